"""One form per catalogue table: what each row may hold, derived from the models."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from memorandum.catalogue.exchange.formats import COLUMNS
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
    model_fields(Reference, ["kind", "title_nl", "title_fr", "url"], required=["kind", "title_nl"])
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
        required=["date", "kind", "title_nl"],
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
        ["kind", "status"]
        + [f"{base}_{lang}" for base in Recommendation.TEXT_FIELDS for lang in ("nl", "fr")],
        required=["kind", "title_nl"],
    )
)

FORMS: dict[str, type[forms.Form]] = {
    "domains": row_form(
        "DomainRow",
        {
            "number": _key(),
            **model_fields(
                WorkDomain,
                ["name_nl", "name_fr", "description_nl", "description_fr"],
                required=["name_nl"],
            ),
        },
    ),
    "themes": row_form(
        "ThemeRow",
        {
            "domain": _key(),
            "number": _key(),
            **model_fields(Theme, ["name_nl", "name_fr"], required=["name_nl"]),
        },
    ),
    "addressees": row_form(
        "AddresseeRow",
        {
            "order": _key(),
            **model_fields(
                Addressee,
                ["honorific", "name", "function_nl", "function_fr"],
                required=["function_nl"],
            ),
        },
    ),
    "references": ReferenceRow,
    "timeline": TimelineRow,
    "recommendations": RecommendationRow,
}
