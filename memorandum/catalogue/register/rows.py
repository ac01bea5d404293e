"""The register's columns and the form that checks one row of it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from memorandum.catalogue.models import PoliceZone, Province, Region
from memorandum.lib.bilingual import bilingual_columns, required_columns
from memorandum.lib.importing import DateCell, choice_lookup, model_fields

# The file's columns, in order; each is a field of PoliceZone (see MODEL_FIELD) except
# ``region``, which is read from the province and only checked when given.
COLUMNS = [
    "code",
    *bilingual_columns(PoliceZone),  # name_nl, name_fr
    "province",
    "region",
    "language",
    "personnel",
    "population",
    "chief_email",
    "delegate_email",
    "merged_into",
    "ended_on",
]
REQUIRED = ["code", *required_columns(PoliceZone), "province", "language"]
# column -> PoliceZone field, for the columns that hold a value of the zone itself
MODEL_FIELD = {
    **{column: column for column in bilingual_columns(PoliceZone)},
    "language": "language",
    "personnel": "personnel",
    "population": "population",
    "chief_email": "email",
    "delegate_email": "delegate_email",
    "ended_on": "ended_on",
}


def province_lookup() -> dict[str, Province]:
    """A province by its code or its Dutch or French name, in any case."""
    lookup: dict[str, Province] = {}
    for province in Province.objects.all():
        for key in (province.code, province.name_nl, province.name_fr):
            lookup[key.strip().lower()] = province
    return lookup


def region_lookup() -> dict[str, str]:
    """A region by its code or its name in any of our languages."""
    return choice_lookup(Region)


class ZoneRow(forms.Form):
    """One zone; ``lookups`` holds the provinces and regions every row is checked against."""

    code = forms.CharField(max_length=PoliceZone._meta.get_field("code").max_length)
    province = forms.CharField()
    region = forms.CharField(required=False)
    chief_email = forms.EmailField(required=False, max_length=254)
    delegate_email = forms.EmailField(required=False, max_length=254)
    merged_into = forms.CharField(required=False, max_length=10)
    ended_on = DateCell(required=False)

    def __init__(self, *args, lookups: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookups = lookups

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_merged_into(self) -> str:
        return self.cleaned_data["merged_into"].strip().upper()

    def clean_province(self) -> Province:
        text = self.cleaned_data["province"]
        province = self.lookups["provinces"].get(text.strip().lower())
        if province is None:
            known = sorted({p.code for p in self.lookups["provinces"].values()})
            raise forms.ValidationError(
                _("Unknown province “%(value)s”; use one of: %(codes)s.")
                % {"value": text, "codes": ", ".join(known)}
            )
        return province

    def clean(self):
        data = super().clean()
        province, region = data.get("province"), data.get("region")
        if province and region:
            code = self.lookups["regions"].get(region.lower())
            if code is None:
                self.add_error(
                    "region",
                    _("Unknown region “%(value)s”; use one of: %(codes)s.")
                    % {"value": region, "codes": ", ".join(Region.values)},
                )
            elif code != province.region:
                self.add_error(
                    "region",
                    _("The province %(province)s lies in the region “%(region)s”, not “%(value)s”.")
                    % {
                        "province": province.code,
                        "region": Region(province.region).label,
                        "value": region,
                    },
                )
        if data.get("merged_into"):
            if data["merged_into"] == data.get("code"):
                self.add_error("merged_into", _("A zone cannot be merged into itself."))
            elif not data.get("ended_on"):
                self.add_error(
                    "ended_on",
                    _("A zone that merged needs the date its merger took effect."),
                )
        return data


ZoneRow.base_fields.update(
    model_fields(
        PoliceZone,
        [*bilingual_columns(PoliceZone), "language", "personnel", "population"],
        required=[*required_columns(PoliceZone), "language"],
    )
)
