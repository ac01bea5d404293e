from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from memorandum.accounts import roles as account_roles
from memorandum.accounts.services import AccountData, email_taken, roles_of
from memorandum.catalogue.models import PoliceZone, Province
from memorandum.lib.validation import GuardedFormMixin

User = get_user_model()


class AccountForm(GuardedFormMixin, forms.Form):
    """Invite a person or change an account: who they are, their language, roles and scope."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The invitation goes to this address; the person signs in with it."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("E-mails are written in this language."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A corps chief needs a police zone, a provincial coordinator a province, "
            "a partner an organisation."
        ),
    )
    zone = forms.ModelChoiceField(
        label=_("Police zone"),
        queryset=PoliceZone.objects.order_by("name_nl"),
        required=False,
        help_text=_("For a corps chief."),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        required=False,
        help_text=_("For a provincial coordinator."),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("For a partner, e.g. 'Federale Politie'."),
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        self.user = user
        if user is not None and "initial" not in kwargs:
            profile = getattr(user, "profile", None)
            kwargs["initial"] = {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "preferred_language": profile.preferred_language if profile else "nl",
                "roles": roles_of(user),
                "zone": profile.zone_id if profile else None,
                "province": profile.province_id if profile else None,
                "organisation": profile.organisation if profile else "",
            }
        super().__init__(*args, **kwargs)
        # an ended zone takes no new corps chief; an account already tied to one keeps it
        profile = getattr(user, "profile", None) if user is not None else None
        self.fields["zone"].queryset = PoliceZone.objects.choosable(
            profile.zone_id if profile else None
        ).order_by("name_nl")
        self.fields["roles"].choices = [
            (code, account_roles.ROLE_LABELS[code]) for code in account_roles.MANAGED_ROLES
        ]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email_taken(email, exclude=self.user):
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email

    def clean(self):
        data = super().clean()
        chosen = data.get("roles") or []
        messages = {
            "zone": _("A corps chief needs a police zone."),
            "province": _("A provincial coordinator needs a province."),
            "organisation": _("A partner needs an organisation."),
        }
        for role, field in account_roles.SCOPE_FIELD.items():
            if role in chosen and not data.get(field) and field not in self.errors:
                self.add_error(field, messages[field])
        return data

    def account_data(self) -> AccountData:
        data = self.cleaned_data
        return AccountData(
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            email=data["email"],
            preferred_language=data["preferred_language"],
            roles=list(data["roles"]),
            zone=data["zone"],
            province=data["province"],
            organisation=data["organisation"].strip(),
        )


class Status:
    ACTIVE = "active"
    INVITED = "invited"
    INACTIVE = "inactive"


class AccountFilterForm(GuardedFormMixin, forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Role"), required=False)
    zone = forms.ModelChoiceField(
        label=_("Police zone"),
        queryset=PoliceZone.objects.order_by("name_nl"),
        required=False,
        empty_label=_("All zones"),
    )
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.all(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            (Status.ACTIVE, _("Active")),
            (Status.INVITED, _("Invited, no password yet")),
            (Status.INACTIVE, _("Deactivated")),
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles"))] + [
            (code, account_roles.ROLE_LABELS[code]) for code in account_roles.MANAGED_ROLES
        ]

    def apply(self, queryset: QuerySet) -> QuerySet:
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            for word in data["q"].split():
                queryset = queryset.filter(
                    Q(first_name__icontains=word)
                    | Q(last_name__icontains=word)
                    | Q(email__icontains=word)
                    | Q(username__icontains=word)
                    | Q(profile__organisation__icontains=word)
                )
        if data["role"]:
            queryset = queryset.filter(groups__name=data["role"])
        if data["zone"]:
            queryset = queryset.filter(profile__zone=data["zone"])
        if data["province"]:
            queryset = queryset.filter(
                Q(profile__province=data["province"]) | Q(profile__zone__province=data["province"])
            )
        if data["status"] == Status.ACTIVE:
            queryset = queryset.filter(is_active=True).exclude(
                password__startswith=UNUSABLE_PASSWORD_PREFIX
            )
        elif data["status"] == Status.INVITED:
            queryset = queryset.filter(
                is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX
            )
        elif data["status"] == Status.INACTIVE:
            queryset = queryset.filter(is_active=False)
        return queryset.distinct()


class MyAccountForm(GuardedFormMixin, forms.Form):
    """What every signed-in person changes themselves: their name and language."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The platform's e-mails to you are written in this language."),
    )
