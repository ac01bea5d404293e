"""Reading a filled-in follow-up form: check everything, then apply it in one transaction."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from memorandum.catalogue.models import Edition, PoliceZone, Recommendation
from memorandum.lib import spreadsheets
from memorandum.lib.spreadsheets import UnreadableFile
from memorandum.lib.validation import date_problem
from memorandum.roadmap.exchange.columns import (
    CODE,
    COLUMNS,
    MAX_LENGTH,
    REQUIRED_CELLS,
    REQUIRED_COLUMNS,
    ImportResult,
    Issue,
)
from memorandum.roadmap.models import (
    Indicator,
    Initiative,
    InitiativeStatus,
    Measurement,
    Milestone,
    today,
)
from memorandum.roadmap.services import initiative_record_update, initiative_set_links


class _Sheet:
    """Reads one sheet's cells and collects issues for it."""

    def __init__(self, name: str, issues: list[Issue]):
        self.name, self.issues = name, issues

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.issues.append(Issue(self.name, row, column, message))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None | str:
    """A date from a cell, None for an empty cell, or the offending text."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return text


def _int(value: Any) -> int | None | str:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return _text(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    return int(text) if re.fullmatch(r"-?\d{1,18}", text) else text


def _decimal(value: Any) -> Decimal | None | str:
    """A measurement value that fits the field, None for an empty cell, or a message."""
    field = Measurement._meta.get_field("value")
    return spreadsheets.parse_decimal(
        value, max_digits=field.max_digits, decimal_places=field.decimal_places
    )


def _status_lookup() -> dict[str, str]:
    """Accept the code or the label in any of our languages ('at_risk', 'At risk', 'In gevaar')."""
    lookup = {value: value for value in InitiativeStatus.values}
    for lang in ("en", "nl", "fr"):
        with translation.override(lang):
            lookup.update({str(label).lower(): value for value, label in InitiativeStatus.choices})
    return lookup


def _read(
    workbook, name: str, issues: list[Issue]
) -> tuple[_Sheet, list[tuple[int, dict[str, Any]]]]:
    sheet = _Sheet(name, issues)
    if name not in workbook.sheetnames:
        sheet.error(None, None, _("The sheet “%(sheet)s” is missing.") % {"sheet": name})
        return sheet, []
    rows = iter(spreadsheets.sheet_rows(workbook[name]))
    header = [_text(cell).lower() for cell in next(rows, [])]
    missing = [c for c in REQUIRED_COLUMNS[name] if c not in header]
    for column in missing:
        sheet.error(
            1,
            column,
            _("The column “%(column)s” is missing from the header row.") % {"column": column},
        )
    if missing:
        return sheet, []
    result = []
    for number, cells in enumerate(rows, start=2):
        if all(_text(cell) == "" for cell in cells):
            continue
        record = {
            col: cells[i] if i < len(cells) else None
            for i, col in enumerate(header)
            if col in COLUMNS[name]
        }
        if name == "measurements" and not any(
            _text(record.get(c)) for c in ("id", "date", "value")
        ):
            continue  # the empty row the export offers for an indicator without measurements
        for column, message in spreadsheets.row_problems(record):
            sheet.error(number, column, message)
        for column in REQUIRED_CELLS[name]:
            if _text(record.get(column)) == "":
                sheet.error(number, column, _("This cell is required and empty."))
        result.append((number, record))
    return sheet, result


def import_xlsx(edition: Edition, content: bytes, user) -> ImportResult:
    """Check the whole workbook, then apply it in one transaction (or not at all)."""
    result = ImportResult()
    try:
        workbook = spreadsheets.open_workbook(content)
        try:
            plan = _Plan(edition, user, result)
            sheets = {name: _read(workbook, name, result.issues) for name in COLUMNS}
        finally:
            workbook.close()
    except UnreadableFile as error:
        result.issues = [
            Issue(p.sheet or _("file"), p.row, p.column, p.message) for p in error.problems
        ]
        return result
    for name, (sheet, rows) in sheets.items():
        check = getattr(plan, f"check_{name}")
        for number, record in rows:
            check(sheet, number, record)
    if result.issues:
        return result
    plan.apply()
    return result


class _Plan:
    """Checked changes, applied only when the whole workbook is valid."""

    def __init__(self, edition: Edition, user, result: ImportResult):
        self.edition, self.user, self.result = edition, user, result
        self.initiatives = {
            i.pk: i
            for i in Initiative.objects.filter(edition=edition)
            .select_related("lead_zone")
            .prefetch_related("links__recommendation", "owners")
        }
        self.editable = set(
            Initiative.objects.filter(edition=edition)
            .editable_by(user)
            .values_list("pk", flat=True)
        )
        self.codes = {r.code: r for r in Recommendation.objects.filter(edition=edition)}
        self.zones = {z.code.upper(): z for z in PoliceZone.objects.all()}
        self.statuses = _status_lookup()
        self.milestones = {m.pk: m for m in Milestone.objects.filter(initiative__edition=edition)}
        self.indicators = {i.pk: i for i in Indicator.objects.filter(initiative__edition=edition)}
        self.measurements = {
            m.pk: m for m in Measurement.objects.filter(indicator__initiative__edition=edition)
        }
        self.actions: list = []
        self.seen: dict[tuple[str, int], int] = {}

    def _may_change(self, sheet: _Sheet, number: int, initiative_pk: int) -> bool:
        if initiative_pk in self.editable:
            return True
        title = self.initiatives[initiative_pk].title_nl
        sheet.error(
            number,
            None,
            _(
                "You may not change initiative %(id)s (“%(title)s”): only its owners and the secretariat may."
            )
            % {"id": initiative_pk, "title": title},
        )
        return False

    def _existing(self, sheet, number, record, objects: dict, what: str):
        pk = _int(record.get("id"))
        if pk is None:
            return None, True
        if isinstance(pk, str) or pk not in objects:
            sheet.error(
                number,
                "id",
                _(
                    "There is no %(what)s with id “%(id)s” in this edition. Leave the id empty to add a new one."
                )
                % {"what": what, "id": _text(record.get("id"))},
            )
            return None, False
        first = self.seen.setdefault((sheet.name, pk), number)
        if first != number:
            sheet.error(
                number,
                "id",
                _("The id %(id)s is also on row %(row)s; each item may appear only once.")
                % {"id": pk, "row": first},
            )
            return None, False
        return objects[pk], True

    def _dates(self, sheet, number, record, columns: list[str]) -> dict[str, dt.date | None]:
        values = {}
        for column in columns:
            value = _date(record.get(column))
            if isinstance(value, str):
                sheet.error(
                    number,
                    column,
                    _("“%(value)s” is not a date; write it as 2025-03-31.") % {"value": value},
                )
            elif date_problem(value):
                sheet.error(number, column, date_problem(value))
                value = None
            values[column] = None if isinstance(value, str) else value
        return values

    def _texts(self, sheet, number, record, columns: list[str]) -> dict[str, str]:
        values = {column: _text(record.get(column)) for column in columns}
        for column, value in values.items():
            if column in MAX_LENGTH and len(value) > MAX_LENGTH[column]:
                sheet.error(
                    number,
                    column,
                    _("At most %(max)s characters (this cell has %(length)s).")
                    % {"max": MAX_LENGTH[column], "length": len(value)},
                )
        return values

    def _selection(self, sheet, number, text: str) -> dict:
        selection: dict = {}
        for token in [t for t in re.split(r"[,;\s]+", text) if t]:
            match = CODE.match(token)
            recommendation = self.codes.get(f"{match[1].upper()}{int(match[2])}") if match else None
            if recommendation is None:
                known = ", ".join(self.codes) or "—"
                sheet.error(
                    number,
                    "recommendations",
                    _("Unknown recommendation code “%(code)s”; this edition has %(known)s.")
                    % {"code": token, "known": known},
                )
                continue
            lines = selection.setdefault(recommendation, [])
            if match[3]:
                line, count = int(match[3]), len(recommendation.action_items())
                if not 1 <= line <= count:
                    sheet.error(
                        number,
                        "recommendations",
                        _("%(code)s has no action line %(line)s (it has %(count)s).")
                        % {"code": recommendation.code, "line": line, "count": count},
                    )
                lines.append(line)
        return selection

    def check_initiatives(self, sheet: _Sheet, number: int, record: dict) -> None:
        initiative, found = self._existing(sheet, number, record, self.initiatives, _("initiative"))
        if not found:
            return
        values: dict[str, Any] = self._texts(
            sheet,
            number,
            record,
            [
                "title_nl",
                "title_fr",
                "description_nl",
                "description_fr",
                "lead_organisation",
                "partners",
            ],
        )
        values.update(self._dates(sheet, number, record, ["start_date", "end_date"]))
        raw_status = _text(record.get("status"))
        status = self.statuses.get(raw_status.lower()) if raw_status else None
        if raw_status and status is None:
            sheet.error(
                number,
                "status",
                _("“%(value)s” is not a status; use one of: %(values)s.")
                % {"value": raw_status, "values": ", ".join(InitiativeStatus.values)},
            )
        progress = _int(record.get("progress"))
        if isinstance(progress, str):
            sheet.error(
                number,
                "progress",
                _("“%(value)s” is not a whole number; progress is a percentage from 0 to 100.")
                % {"value": progress},
            )
        elif progress is not None and not 0 <= progress <= 100:
            sheet.error(
                number,
                "progress",
                _("Progress must be between 0 and 100 (not %(value)s).") % {"value": progress},
            )
        zone_code = _text(record.get("lead_zone")).upper()
        zone = self.zones.get(zone_code) if zone_code else None
        if zone_code and zone is None:
            sheet.error(
                number, "lead_zone", _("Unknown police zone code “%(code)s”.") % {"code": zone_code}
            )
        if (
            values["start_date"]
            and values["end_date"]
            and values["end_date"] < values["start_date"]
        ):
            sheet.error(number, "end_date", _("The planned end cannot be before the start."))
        selection = self._selection(sheet, number, _text(record.get("recommendations")))
        note = _text(record.get("update_text"))
        fields = {**values, "lead_zone": zone}
        if initiative is None:
            if not self.user.has_perm("roadmap.add_initiative"):
                sheet.error(
                    number,
                    "id",
                    _(
                        "Only the secretariat may add initiatives; leave out this row or ask the secretariat."
                    ),
                )
            self.actions.append(("new_initiative", fields, status, progress, selection, note))
            return
        current_links = {
            link.recommendation: sorted(link.action_lines) for link in initiative.links.all()
        }
        changed = {
            name: value for name, value in fields.items() if getattr(initiative, name) != value
        }
        links_changed = current_links != {
            rec: sorted(set(lines)) for rec, lines in selection.items()
        }
        status_changed = status is not None and status != initiative.status
        progress_changed = isinstance(progress, int) and progress != initiative.progress
        if not (changed or links_changed or status_changed or progress_changed or note):
            return
        if self._may_change(sheet, number, initiative.pk):
            self.actions.append(
                (
                    "initiative",
                    initiative,
                    changed,
                    selection if links_changed else None,
                    status if status_changed else "",
                    progress if progress_changed else None,
                    note,
                )
            )

    def check_milestones(self, sheet: _Sheet, number: int, record: dict) -> None:
        milestone, found = self._existing(sheet, number, record, self.milestones, _("milestone"))
        initiative_pk = _int(record.get("initiative"))
        if not found or initiative_pk is None:
            return
        if isinstance(initiative_pk, str) or initiative_pk not in self.initiatives:
            sheet.error(
                number,
                "initiative",
                _("There is no initiative with id “%(id)s” in this edition.")
                % {"id": _text(record.get("initiative"))},
            )
            return
        if milestone is not None and milestone.initiative_id != initiative_pk:
            sheet.error(
                number,
                "initiative",
                _("Milestone %(id)s belongs to initiative %(owner)s, not %(other)s.")
                % {"id": milestone.pk, "owner": milestone.initiative_id, "other": initiative_pk},
            )
            return
        fields: dict[str, Any] = self._texts(sheet, number, record, ["title_nl", "title_fr"])
        fields.update(self._dates(sheet, number, record, ["due_date", "done_date"]))
        if fields["done_date"] and fields["done_date"] > today():
            sheet.error(number, "done_date", _("A milestone cannot be done in the future."))
        if milestone is not None:
            fields = {
                name: value for name, value in fields.items() if getattr(milestone, name) != value
            }
            if not fields:
                return
        if self._may_change(sheet, number, initiative_pk):
            self.actions.append(("milestone", milestone, initiative_pk, fields))

    def check_measurements(self, sheet: _Sheet, number: int, record: dict) -> None:
        measurement, found = self._existing(
            sheet, number, record, self.measurements, _("measurement")
        )
        indicator_pk = _int(record.get("indicator"))
        if not found or indicator_pk is None:
            return
        if isinstance(indicator_pk, str) or indicator_pk not in self.indicators:
            sheet.error(
                number,
                "indicator",
                _("There is no indicator with id “%(id)s” in this edition.")
                % {"id": _text(record.get("indicator"))},
            )
            return
        if measurement is not None and measurement.indicator_id != indicator_pk:
            sheet.error(
                number,
                "indicator",
                _("Measurement %(id)s belongs to indicator %(owner)s, not %(other)s.")
                % {"id": measurement.pk, "owner": measurement.indicator_id, "other": indicator_pk},
            )
            return
        value = _decimal(record.get("value"))
        if isinstance(value, str):
            sheet.error(number, "value", value)
        fields: dict[str, Any] = {
            **self._dates(sheet, number, record, ["date"]),
            **self._texts(sheet, number, record, ["note"]),
            "value": value,
        }
        if measurement is not None:
            fields = {name: v for name, v in fields.items() if getattr(measurement, name) != v}
            if not fields:
                return
        if self._may_change(sheet, number, self.indicators[indicator_pk].initiative_id):
            self.actions.append(("measurement", measurement, indicator_pk, fields))

    def _count(self, table: str, created: bool) -> None:
        bucket = self.result.created if created else self.result.updated
        bucket[table] = bucket.get(table, 0) + 1

    @transaction.atomic
    def apply(self) -> None:
        default_note = _("Updated with the follow-up form (XLSX import).")
        for action, *args in self.actions:
            if action == "new_initiative":
                fields, status, progress, selection, note = args
                initiative = Initiative.objects.create(
                    edition=self.edition, status=status, progress=progress, **fields
                )
                initiative_set_links(initiative=initiative, selection=selection)
                if note:
                    initiative_record_update(initiative=initiative, author=self.user, text=note)
                self._count("initiatives", True)
            elif action == "initiative":
                initiative, changed, selection, status, progress, note = args
                for name, value in changed.items():
                    setattr(initiative, name, value)
                if changed:
                    initiative.save()
                if selection is not None:
                    initiative_set_links(initiative=initiative, selection=selection)
                if status or progress is not None or note:
                    initiative_record_update(
                        initiative=initiative,
                        author=self.user,
                        text=note or default_note,
                        status=status,
                        progress=progress,
                    )
                self._count("initiatives", False)
            elif action == "milestone":
                milestone, initiative_pk, fields = args
                if milestone is None:
                    Milestone.objects.create(initiative_id=initiative_pk, **fields)
                else:
                    for name, value in fields.items():
                        setattr(milestone, name, value)
                    milestone.save()
                self._count("milestones", milestone is None)
            elif action == "measurement":
                measurement, indicator_pk, fields = args
                if measurement is None:
                    Measurement.objects.create(
                        indicator_id=indicator_pk, recorded_by=self.user, **fields
                    )
                else:
                    for name, value in fields.items():
                        setattr(measurement, name, value)
                    measurement.save()
                self._count("measurements", measurement is None)
