"""Accounts for the secretariat (list, invite, roles, deactivate) and for everyone
(set a password through an invitation link, My account)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from memorandum.accounts import services, tokens
from memorandum.accounts.forms import AccountFilterForm, AccountForm, MyAccountForm
from memorandum.accounts.roles import MANAGED_ROLES, role_label
from memorandum.audit.models import AuditEntry
from memorandum.catalogue.models import UserProfile
from memorandum.lib.paging import paginate

User = get_user_model()
manage = permission_required("accounts.manage_accounts", raise_exception=True)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@manage
def account_list(request: HttpRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET or None)
    queryset = form.apply(
        User.objects.select_related("profile__zone", "profile__province", "invitation")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.filter(name__in=MANAGED_ROLES)))
        .order_by("last_name", "first_name", "username")
    )
    page, query_string = paginate(request, queryset)
    rows = [
        {"user": user, "roles": [role_label(g.name) for g in user.groups.all()]}
        for user in page.object_list
    ]
    return render(
        request,
        "accounts/list.html",
        {"form": form, "page": page, "rows": rows, "query_string": query_string},
    )


@login_required
@manage
@require_http_methods(["GET", "POST"])
def account_invite(request: HttpRequest) -> HttpResponse:
    # A link can preset the role and scope, e.g. ?roles=corps_chief&zone=12 from a zone's page.
    initial = {"preferred_language": request.LANGUAGE_CODE[:2]}
    initial.update(
        {
            key: request.GET.getlist(key) if key == "roles" else request.GET[key]
            for key in ("roles", "zone", "province", "organisation", "email")
            if request.GET.get(key)
        }
    )
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invite_account(
                data=form.account_data(), by=request.user, request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is invited: the e-mail with the link to set a password is on its way.")
                % {"name": user.get_full_name()},
            )
            return redirect("accounts:list")
    return render(request, "accounts/form.html", {"form": form, "account": None})


@login_required
@manage
@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("profile"), pk=pk)
    form = AccountForm(request.POST or None, user=account)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_account(
                user=account, data=form.account_data(), by=request.user, request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if changed:
                messages.success(request, _("The account is saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("accounts:edit", pk=account.pk)
    history = AuditEntry.objects.filter(
        content_type__app_label=account._meta.app_label,
        content_type__model=account._meta.model_name,
        object_id=str(account.pk),
    )[:10]
    return render(
        request,
        "accounts/form.html",
        {
            "form": form,
            "account": account,
            "invitation": getattr(account, "invitation", None),
            "history": history,
            "is_self": account.pk == request.user.pk,
        },
    )


@login_required
@manage
@require_http_methods(["GET", "POST"])
def account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page (GET) that says what deactivating does; POST deactivates."""
    account = get_object_or_404(User, pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.deactivate_account(user=account, by=request.user, request=request)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                _("The account of %(name)s is deactivated.")
                % {"name": account.get_full_name() or account.username},
            )
            return redirect("accounts:edit", pk=account.pk)
    elif account.pk == request.user.pk:
        error = _("You cannot deactivate your own account.")
    return render(
        request,
        "accounts/deactivate.html",
        {"account": account, "error": error},
        status=400 if error and request.method == "POST" else 200,
    )


@login_required
@manage
@require_POST
def account_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_action(
        request, pk, services.reactivate_account, _("The account is active again.")
    )


@login_required
@manage
@require_POST
def account_resend(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_action(
        request,
        pk,
        services.resend_invitation,
        _("A new invitation is on its way; earlier links no longer work."),
    )


def _account_action(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    """Run a service on the account (``action(user=, by=, request=)``), say how it went and
    go back to the account's page."""
    account = get_object_or_404(User, pk=pk)
    try:
        action(user=account, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("accounts:edit", pk=account.pk)


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the invitation link: choose a password (Django's validators apply)."""
    found = tokens.check_token(token)
    if isinstance(found, tokens.LinkProblem):
        return render(request, "accounts/set_password.html", {"problem": found.value}, status=400)
    form = SetPasswordForm(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.accept_invitation(user=found, form=form, request=request)
        messages.success(
            request,
            _("Your password is set. Sign in with your e-mail address and this password."),
        )
        return redirect("login")
    return render(request, "accounts/set_password.html", {"form": form, "account": found})


@login_required
@require_http_methods(["GET", "POST"])
def my_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    profile, _created = UserProfile.objects.get_or_create(user=user)
    form = MyAccountForm(
        request.POST or None,
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "preferred_language": profile.preferred_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.update_own_details(
            user=user,
            first_name=form.cleaned_data["first_name"].strip(),
            last_name=form.cleaned_data["last_name"].strip(),
            preferred_language=form.cleaned_data["preferred_language"],
            request=request,
        )
        messages.success(request, _("Your details are saved."))
        return redirect("accounts:me")
    return render(
        request,
        "accounts/me.html",
        {
            "form": form,
            "profile": profile,
            "roles": [
                role_label(name)
                for name in user.groups.filter(name__in=MANAGED_ROLES).values_list(
                    "name", flat=True
                )
            ],
        },
    )


@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def my_password(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_own_password(user=request.user, form=form, request=request)
        update_session_auth_hash(request, form.user)  # stay signed in here, out elsewhere
        messages.success(request, _("Your password is changed."))
        return redirect("accounts:me")
    return render(request, "accounts/password.html", {"form": form})
