from __future__ import annotations

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from memorandum.audit.models import Action, AuditEntry, AuditEntryQuerySet
from memorandum.lib.validation import GuardedFormMixin
from memorandum.lib.widgets import DateInput


class AuditFilterForm(GuardedFormMixin, forms.Form):
    """The log page's filters; the same form selects what an export contains."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    action = forms.ChoiceField(label=_("Action"), required=False)
    who = forms.CharField(label=_("Who"), required=False, max_length=150)
    kind = forms.ChoiceField(label=_("Kind of object"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *Action.choices]
        used = AuditEntry.objects.exclude(content_type=None).values("content_type").distinct()
        kinds = ContentType.objects.filter(pk__in=used)
        self.fields["kind"].choices = [("", _("All kinds"))] + sorted(
            (
                (str(ct.pk), str(ct.model_class()._meta.verbose_name).capitalize())
                for ct in kinds
                if ct.model_class()
            ),
            key=lambda choice: choice[1],
        )

    # Each filter field and the lookup it applies when filled in ("q" searches instead).
    LOOKUPS = {
        "action": "action",
        "who": "actor_label__icontains",
        "kind": "content_type_id",
        "object_id": "object_id",
        "date_from": "created_at__date__gte",
        "date_to": "created_at__date__lte",
    }

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date comes before the start date."))
        return data

    def apply(self, queryset: AuditEntryQuerySet) -> AuditEntryQuerySet:
        """The entries that match the valid filters (all of them when the form is unbound)."""
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.search(data["q"])
        for name, lookup in self.LOOKUPS.items():
            if data[name]:
                queryset = queryset.filter(**{lookup: data[name]})
        return queryset
