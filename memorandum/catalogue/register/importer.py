"""Reading a member register: check every row, then apply it in one transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from memorandum.audit import services as audit
from memorandum.catalogue.models import PoliceZone
from memorandum.catalogue.register.rows import (
    COLUMNS,
    MODEL_FIELD,
    REQUIRED,
    ZoneRow,
    province_lookup,
    region_lookup,
)
from memorandum.lib import spreadsheets
from memorandum.lib.importing import ImportResult, Progress, Rows, check_row, read_table
from memorandum.lib.spreadsheets import Problem, UnreadableFile

SHEET = "zones"
TABLE = "zones"


def _grid(name: str, content: bytes) -> list:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "csv":
        return spreadsheets.read_csv(content, SHEET)
    if suffix != "xlsx":
        raise UnreadableFile(
            [Problem(None, None, None, _("Unknown file type: use a .xlsx or .csv file."))]
        )
    workbook = spreadsheets.open_workbook(content)
    try:
        names = [sheet.title for sheet in workbook.worksheets]
        # the export's sheet, or the only sheet of a hand-made file
        title = next((n for n in names if n.strip().lower() == SHEET), names[0])
        return spreadsheets.sheet_rows(workbook[title])
    finally:
        workbook.close()


def import_register(
    name: str,
    content: bytes,
    *,
    request: HttpRequest | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check the whole register, then create and update zones in one transaction (or not at
    all). Zones missing from the file stay as they are. Each merger the file makes is
    written to the audit log (``zone.merged``, by the user of ``request``)."""
    result = ImportResult()
    try:
        table = read_table(
            _grid(name, content), None, columns=COLUMNS, required=REQUIRED, problems=result.problems
        )
    except UnreadableFile as error:
        result.problems = error.problems
        return result
    if table is None:
        return result
    plan = _Plan(result, request)
    plan.check(table[1], progress)
    if result.ok:
        plan.apply()
    return result


class _Plan:
    def __init__(self, result: ImportResult, request: HttpRequest | None):
        self.result, self.request = result, request
        self.zones = {z.code.upper(): z for z in PoliceZone.objects.select_related("merged_into")}
        self.lookups = {"provinces": province_lookup(), "regions": region_lookup()}
        self.rows: list[tuple[int, dict[str, Any]]] = []

    def error(self, row: int, column: str | None, message: str) -> None:
        self.result.problems.append(Problem(None, row, column, message))

    def check(self, rows: Rows, progress: Progress | None) -> None:
        seen: dict[str, int] = {}
        for done, (number, row) in enumerate(rows, start=1):
            data = check_row(ZoneRow, None, number, row, self.result.problems, lookups=self.lookups)
            if progress and done % 50 == 0:
                progress(done, len(rows))
            if data is None:
                continue
            first = seen.setdefault(data["code"], number)
            if first != number:
                self.error(
                    number,
                    "code",
                    _("The zone %(code)s is also on row %(row)s; each zone may appear only once.")
                    % {"code": data["code"], "row": first},
                )
                continue
            self.rows.append((number, data))
        merging = {data["code"] for _n, data in self.rows if data["merged_into"]}
        for number, data in self.rows:
            target = data["merged_into"]
            if not target:
                continue
            if target not in seen and target not in self.zones:
                self.error(
                    number,
                    "merged_into",
                    _("There is no zone %(code)s, in the file or in the register.")
                    % {"code": target},
                )
            elif target in merging or (target not in seen and self.zones[target].ended_on):
                self.error(
                    number,
                    "merged_into",
                    _("The zone %(code)s has ended itself; name the zone that exists today.")
                    % {"code": target},
                )

    def _values(self, data: dict[str, Any]) -> dict[str, Any]:
        values = {field: data[column] for column, field in MODEL_FIELD.items()}
        values["province"] = data["province"]
        for number in ("personnel", "population"):
            values[number] = values[number] or 0
        return values

    @transaction.atomic
    def apply(self) -> None:
        # first every zone, then the mergers, which may point to a zone this file creates
        touched: dict[str, bool] = {}  # code -> created
        for _number, data in self.rows:
            values = self._values(data)
            zone = self.zones.get(data["code"])
            if zone is None:
                self.zones[data["code"]] = PoliceZone.objects.create(code=data["code"], **values)
                touched[data["code"]] = True
                continue
            changed = [f for f, v in values.items() if getattr(zone, f) != v]
            if changed:
                for field in changed:
                    setattr(zone, field, values[field])
                zone.save(update_fields=changed)
                touched[data["code"]] = False
        merged: dict[str, list[str]] = {}
        for _number, data in self.rows:
            zone = self.zones[data["code"]]
            target = self.zones[data["merged_into"]] if data["merged_into"] else None
            if zone.merged_into_id != (target.pk if target else None):
                zone.merged_into = target
                zone.save(update_fields=["merged_into"])
                touched.setdefault(data["code"], False)
                if target is not None:
                    merged.setdefault(target.code, []).append(zone.code)
        for code, old in merged.items():
            audit.record(
                audit.Action.ZONES_MERGED, request=self.request, target=self.zones[code], merged=old
            )
        for created in touched.values():
            self.result.count(TABLE, created=created)


def zones_without_account() -> list[PoliceZone]:
    """Today's zones whose corps chief's e-mail belongs to no account (to invite them)."""
    emails = {
        e.lower()
        for e in get_user_model().objects.exclude(email="").values_list("email", flat=True)
    }
    return [
        zone
        for zone in PoliceZone.objects.filter(ended_on=None).exclude(email="").order_by("code")
        if zone.email.lower() not in emails
    ]
