"""One form per sheet of the follow-up form: what each row may hold.

The fields come from the models (:func:`memorandum.lib.importing.model_fields`); lookups
that need the edition (recommendation codes, zones, status labels) are given by the import,
so every row is checked against the same ones.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _

from memorandum.lib.bilingual import bilingual_columns, required_columns
from memorandum.lib.importing import choice_lookup, model_fields
from memorandum.roadmap.forms import PlannedPeriodMixin
from memorandum.roadmap.models import Initiative, InitiativeStatus, Measurement, Milestone, today

# The initiative's own columns of the sheet, as the model holds them.
INITIATIVE_FIELDS = [
    *bilingual_columns(Initiative),
    "lead_organisation",
    "partners",
    "start_date",
    "end_date",
]
# The milestone's own columns.
MILESTONE_FIELDS = [*bilingual_columns(Milestone), "due_date", "done_date"]
CODE = re.compile(r"^([RC])(\d{1,9})(?:\.(\d{1,9}))?$", re.IGNORECASE)


def status_lookup() -> dict[str, str]:
    """Accept the code or the label in any of our languages ('at_risk', 'At risk', 'In gevaar')."""
    return choice_lookup(InitiativeStatus)


class Row(forms.Form):
    """A row with an optional ``id``; ``lookups`` are the edition's codes, zones, statuses."""

    id = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, lookups: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookups = lookups


class InitiativeRow(PlannedPeriodMixin, Row):
    recommendations = forms.CharField()
    status = forms.CharField()
    progress = forms.IntegerField(min_value=0, max_value=100)
    lead_zone = forms.CharField(required=False)
    update_text = forms.CharField(required=False)

    def clean_status(self) -> str:
        text = self.cleaned_data["status"]
        status = self.lookups["statuses"].get(text.lower())
        if status is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a status; use one of: %(values)s.")
                % {"value": text, "values": ", ".join(InitiativeStatus.values)}
            )
        return status

    def clean_lead_zone(self):
        code = self.cleaned_data["lead_zone"].upper()
        if not code:
            return None
        zone = self.lookups["zones"].get(code)
        if zone is None:
            raise forms.ValidationError(_("Unknown police zone code “%(code)s”.") % {"code": code})
        return zone

    def clean_recommendations(self) -> dict:
        """{recommendation: [action lines]} from "R1, R3.2"."""
        codes, selection, errors = self.lookups["codes"], {}, []
        for token in [t for t in re.split(r"[,;\s]+", self.cleaned_data["recommendations"]) if t]:
            match = CODE.match(token)
            recommendation = codes.get(f"{match[1].upper()}{int(match[2])}") if match else None
            if recommendation is None:
                errors.append(
                    _("Unknown recommendation code “%(code)s”; this edition has %(known)s.")
                    % {"code": token, "known": ", ".join(codes) or "—"}
                )
                continue
            lines = selection.setdefault(recommendation, [])
            if match[3]:
                line, count = int(match[3]), len(recommendation.action_items())
                if not 1 <= line <= count:
                    errors.append(
                        _("%(code)s has no action line %(line)s (it has %(count)s).")
                        % {"code": recommendation.code, "line": line, "count": count}
                    )
                lines.append(line)
        if errors:
            raise forms.ValidationError(errors)
        return selection


InitiativeRow.base_fields.update(
    model_fields(
        Initiative,
        INITIATIVE_FIELDS,
        required=[*required_columns(Initiative), "lead_organisation", "start_date"],
    )
)


class MilestoneRow(Row):
    initiative = forms.IntegerField(min_value=1)

    def clean_done_date(self):
        done = self.cleaned_data["done_date"]
        if done and done > today():
            raise forms.ValidationError(_("A milestone cannot be done in the future."))
        return done


MilestoneRow.base_fields.update(
    model_fields(
        Milestone,
        MILESTONE_FIELDS,
        required=[*required_columns(Milestone), "due_date"],
    )
)


class MeasurementRow(Row):
    indicator = forms.IntegerField(min_value=1)


MeasurementRow.base_fields.update(
    model_fields(Measurement, ["date", "value", "note"], required=["date", "value"])
)

FORMS: dict[str, type[Row]] = {
    "initiatives": InitiativeRow,
    "milestones": MilestoneRow,
    "measurements": MeasurementRow,
}
