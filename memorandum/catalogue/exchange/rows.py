"""One form per catalogue table: what each row may hold, derived from the models."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from memorandum.catalogue.exchange.formats import COLUMNS, REQUIRED
from memorandum.catalogue.models import (
    Addressee,
    DatePrecision,
    Recommendation,
    Reference,
    Status,
    Theme,
    TimelineEvent,
    WorkDomain,
)
from memorandum.lib.bilingual import bilingual_columns, required_columns
from memorandum.lib.importing import model_fields, row_form
from memorandum.lib.validation import url_problem


def _key(**kwargs) -> forms.IntegerField:
    """A number that identifies a row (domain, theme, order …): a whole number from 1."""
    return forms.IntegerField(min_value=1, max_value=32767, **kwargs)


class ReferenceRow(forms.Form):
    order = _key()

    def clean_url(self) -> str:
        problem = url_problem(self.cleaned_data["url"])
        if problem:
            raise forms.ValidationError(problem)
        return self.cleaned_data["url"]


ReferenceRow.base_fields.update(
    model_fields(
        Reference,
        ["kind", *bilingual_columns(Reference), "url"],
        required=["kind", *required_columns(Reference)],
    )
)


class TimelineRow(forms.Form):
    def clean_precision(self) -> str:
        return self.cleaned_data["precision"] or DatePrecision.DAY

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("end_date") and data["end_date"] < data["date"]:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


TimelineRow.base_fields.update(
    model_fields(
        TimelineEvent,
        COLUMNS["timeline"],
        required=REQUIRED["timeline"],
    )
)


class RecommendationRow(forms.Form):
    number = _key()
    domain = _key()
    theme = forms.CharField(required=False)
    addressees = forms.CharField(required=False)
    references = forms.CharField(required=False)

    def clean_status(self) -> str:
        return self.cleaned_data["status"] or Status.DRAFT


RecommendationRow.base_fields.update(
    model_fields(
        Recommendation,
        ["kind", "status", *bilingual_columns(Recommendation)],
        required=["kind", *required_columns(Recommendation)],
    )
)

FORMS: dict[str, type[forms.Form]] = {
    "domains": row_form(
        "DomainRow",
        {
            "number": _key(),
            **model_fields(
                WorkDomain, bilingual_columns(WorkDomain), required=required_columns(WorkDomain)
            ),
        },
    ),
    "themes": row_form(
        "ThemeRow",
        {
            "domain": _key(),
            "number": _key(),
            **model_fields(Theme, bilingual_columns(Theme), required=required_columns(Theme)),
        },
    ),
    "addressees": row_form(
        "AddresseeRow",
        {
            "order": _key(),
            **model_fields(
                Addressee,
                ["honorific", "name", *bilingual_columns(Addressee)],
                required=required_columns(Addressee),
            ),
        },
    ),
    "references": ReferenceRow,
    "timeline": TimelineRow,
    "recommendations": RecommendationRow,
}
