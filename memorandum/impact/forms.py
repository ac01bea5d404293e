"""Forms of the impact app: a mission, a round, a zone's estimate (with its units)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from memorandum.catalogue.models import PoliceZone, Recommendation
from memorandum.impact.models import EstimateRound, Feasibility, Mission, ZoneEstimate
from memorandum.lib.bilingual import bilingual_columns
from memorandum.lib.validation import GuardedFormMixin
from memorandum.lib.widgets import DateInput, DateTimeLocalInput
from memorandum.survey.forms import DelegateForm  # noqa: F401 (shared)

# Hours one FTE works in a year: a declared number of hours per category cannot exceed
# the zone's whole staff working full time on the new mission alone.
HOURS_PER_FTE = 1600
MAX_ONE_OFF = Decimal("100000000")

# Field name → unit shown beside it (and in the note and spreadsheet).
UNITS = {
    "fte": gettext_lazy("FTE"),
    "hours_operational": gettext_lazy("hours/year"),
    "hours_calog": gettext_lazy("hours/year"),
    "one_off_eur": gettext_lazy("EUR"),
}


class MissionForm(GuardedFormMixin, forms.ModelForm):
    class Meta:
        model = Mission
        fields = [
            *bilingual_columns(Mission, ["title", "description"]),
            "source_text",
            "source_date",
            "source_authority",
            "recommendations",
            *bilingual_columns(Mission, ["questions"]),
        ]
        widgets = {
            "source_date": DateInput(),
            "recommendations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].queryset = Recommendation.objects.filter(
            edition=edition
        ).order_by("-kind", "number")
        self.fields["recommendations"].label_from_instance = lambda r: f"{r.code} {r.title}"


class RoundForm(GuardedFormMixin, forms.ModelForm):
    class Meta:
        model = EstimateRound
        fields = ["closes_at", "basis", "min_group", "replicates", "seed"]
        widgets = {"closes_at": DateTimeLocalInput(), "basis": forms.RadioSelect}

    def clean_closes_at(self):
        """A round opens now at the earliest: a deadline already past could never be met
        (and would break the rule that a round closes after it opens)."""
        value = self.cleaned_data.get("closes_at")
        if value is not None and value <= max(self.instance.opens_at, timezone.now()):
            raise forms.ValidationError(_("Give a deadline in the future."))
        return value


class EstimateForm(GuardedFormMixin, forms.ModelForm):
    """A zone's answer. A draft may be incomplete; a submitted answer is complete."""

    class Meta:
        model = ZoneEstimate
        fields = [
            "fte",
            "hours_operational",
            "hours_calog",
            "one_off_eur",
            "earliest_start",
            "feasibility",
            "comments",
        ]
        widgets = {
            "earliest_start": DateInput(),
            "feasibility": forms.RadioSelect,
            "comments": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, zone: PoliceZone, complete: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone, self.complete = zone, complete
        self.fields["feasibility"].choices = Feasibility.choices
        for name, field in self.fields.items():
            field.required = complete and name != "comments"
            if name in UNITS:
                field.widget.attrs.update({"min": "0", "inputmode": "decimal"})
                field.label = f"{field.label} ({UNITS[name]})"
        self.fields["fte"].widget.attrs["max"] = str(zone.personnel)
        self.fields["fte"].help_text = _("Your zone's staff: %(staff)s FTE.") % {
            "staff": number_format(zone.personnel)
        }

    def clean_fte(self):
        value = self.cleaned_data.get("fte")
        if value is None:
            return value
        if value < 0:
            raise forms.ValidationError(_("A staff need cannot be negative: give 0 or more FTE."))
        if value > self.zone.personnel:
            raise forms.ValidationError(
                _(
                    "%(value)s FTE is more than your zone's whole staff (%(staff)s FTE). "
                    "Give the extra staff the mission needs, in full-time equivalents."
                )
                % {"value": number_format(value), "staff": number_format(self.zone.personnel)}
            )
        return value

    def _clean_hours(self, name: str):
        value = self.cleaned_data.get(name)
        ceiling = self.zone.personnel * HOURS_PER_FTE
        if value is not None and value > ceiling:
            raise forms.ValidationError(
                _(
                    "%(value)s hours per year is more than your whole staff can work "
                    "(%(staff)s FTE × %(hours)s hours = %(ceiling)s hours)."
                )
                % {
                    "value": number_format(value),
                    "staff": number_format(self.zone.personnel),
                    "hours": number_format(HOURS_PER_FTE),
                    "ceiling": number_format(ceiling),
                }
            )
        return value

    def clean_hours_operational(self):
        return self._clean_hours("hours_operational")

    def clean_hours_calog(self):
        return self._clean_hours("hours_calog")

    def clean_one_off_eur(self):
        value = self.cleaned_data.get("one_off_eur")
        if value is not None and value < 0:
            raise forms.ValidationError(_("A cost cannot be negative: give 0 or more euro."))
        if value is not None and value > MAX_ONE_OFF:
            raise forms.ValidationError(_("Give a one-off cost below 100 million euro."))
        return value

    def other_fields(self) -> list:
        return [self[name] for name in self.fields if name not in UNITS]

    def unit_rows(self) -> list[tuple]:
        """(bound field, unit) for the number fields, in order."""
        return [(self[name], unit) for name, unit in UNITS.items()]
