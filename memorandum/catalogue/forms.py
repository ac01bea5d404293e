from django import forms
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import (
    Edition,
    EditionPhase,
    RecommendationKind,
    Status,
    UserProfile,
)
from memorandum.catalogue.succession import refusals
from memorandum.lib.bilingual import bilingual_columns, bilingual_form
from memorandum.lib.spreadsheets import UploadField
from memorandum.lib.validation import EARLIEST, LATEST
from memorandum.lib.widgets import DateInput


def save_in_edition(form: forms.ModelForm, edition: Edition):
    """Save the new object of a valid ``ModelForm`` that has no edition field into ``edition``,
    with its many-to-many fields, and return it."""
    instance = form.save(commit=False)
    instance.edition = edition
    instance.save()
    form.save_m2m()
    return instance


class CatalogueFilterForm(forms.Form):
    """The search and filter bar above the catalogue."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    domain = forms.TypedChoiceField(
        label=_("Work domain"), required=False, coerce=int, empty_value=None
    )
    theme = forms.TypedChoiceField(label=_("Theme"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, edition, show_status: bool, **kwargs):
        super().__init__(*args, **kwargs)
        domains = list(edition.domains.prefetch_related("themes"))
        self.fields["domain"].choices = [("", _("All domains"))] + [
            (d.pk, f"{d.number}. {d.name}") for d in domains
        ]
        themes = [(t.pk, f"{t.code} {t.name}") for d in domains for t in d.themes.all()]
        self.fields["theme"].choices = [("", _("All themes"))] + themes
        self.fields["kind"].choices = [("", _("All kinds"))] + list(RecommendationKind.choices)
        self.fields["status"].choices = [("", _("All statuses"))] + list(Status.choices)
        if not show_status:
            del self.fields["status"]

    def apply(self, queryset):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("domain"):
            queryset = queryset.filter(domain_id=data["domain"])
        if data.get("theme"):
            queryset = queryset.filter(theme_id=data["theme"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        return queryset


class CompareVersionsForm(forms.Form):
    old = forms.IntegerField(label=_("Older version"), min_value=1)
    new = forms.IntegerField(label=_("Newer version"), min_value=1)


class ImportForm(forms.Form):
    file = UploadField(
        extensions=("xlsx", "csv", "json"),
        label=_("Catalogue file"),
        help_text=_(
            "XLSX, CSV or JSON, as produced by the export. Nothing is changed unless the whole file is valid."
        ),
    )


class RegisterImportForm(forms.Form):
    file = UploadField(
        extensions=("xlsx", "csv"),
        label=_("Member register"),
        help_text=_(
            "XLSX or CSV, as produced by the export. Nothing is changed unless the whole file is valid."
        ),
    )


class ProfileForm(forms.ModelForm):
    """What a person may change about themselves: language, and whether visitors see their name.

    Saved by ``accounts.services.update_own_details``, which records the change in the audit
    log as My account does, never by ``save()``.
    """

    class Meta:
        model = UserProfile
        fields = ["preferred_language", "show_name_publicly"]


class NextEditionForm(bilingual_form(Edition, ["title"])):
    """The next edition: which edition it starts from, its address, titles and period."""

    source = forms.ModelChoiceField(
        label=_("Start from edition"),
        queryset=Edition.objects.order_by("-period_start"),
        empty_label=None,
    )
    slug = forms.SlugField(
        label=_("Address (slug)"), max_length=50, help_text=_("Used in addresses, e.g. 2029-2033.")
    )
    period_start = forms.IntegerField(
        label=_("First year"), min_value=EARLIEST.year, max_value=LATEST.year
    )
    period_end = forms.IntegerField(
        label=_("Last year"), min_value=EARLIEST.year, max_value=LATEST.year
    )
    field_order = [
        "source",
        "slug",
        *bilingual_columns(Edition, ["title"]),
        "period_start",
        "period_end",
    ]

    def clean(self):
        data = super().clean()
        if all(
            data.get(name) is not None for name in ("source", "slug", "period_start", "period_end")
        ):
            for problem in refusals(
                source=data["source"],
                slug=data["slug"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            ):
                self.add_error(None, problem)
        return data

    def texts(self) -> dict[str, str]:
        return {column: self.cleaned_data[column] for column in self.text_columns}


class PhaseBackForm(forms.Form):
    """Move an edition back to an earlier phase: which one, and why (kept in the record)."""

    phase = forms.ChoiceField(label=_("Go back to the phase"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the edition goes back; it is kept in the audit log and the versions."),
    )

    def __init__(self, *args, phases: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = phases


class PlannedDatesForm(forms.ModelForm):
    """The planned start and end of one phase, as precisely as they are known."""

    class Meta:
        model = EditionPhase
        fields = ["planned_start", "planned_end", "planned_precision"]
        widgets = {
            "planned_start": DateInput(),
            "planned_end": DateInput(),
        }
        help_texts = {
            "planned_precision": _(
                "“Month” when only the month is planned (give any day of it); “early, mid or "
                "late” for a part of a month (give a day in that part)."
            ),
        }
