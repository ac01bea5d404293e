"""Reading a filled-in follow-up form: check everything, then apply it in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from memorandum.catalogue.models import Edition, PoliceZone, Recommendation
from memorandum.catalogue.phases import PhaseAction, phase_refusal
from memorandum.lib import spreadsheets
from memorandum.lib.i18n import marked
from memorandum.lib.importing import ImportResult, Progress, check_row, read_table
from memorandum.lib.spreadsheets import Problem, UnreadableFile
from memorandum.roadmap.exchange.columns import COLUMNS, REQUIRED_COLUMNS
from memorandum.roadmap.exchange.rows import (
    FORMS,
    INITIATIVE_FIELDS,
    MILESTONE_FIELDS,
    status_lookup,
)
from memorandum.roadmap.models import Indicator, Initiative, Measurement, Milestone, Update, today
from memorandum.roadmap.services import (
    initiative_create,
    initiative_record_update,
    initiative_update,
)

# The reason the initiative's history gives for a version the import made.
HISTORY_REASON = "follow-up form import"


def _read(workbook, name: str, problems: list[Problem]) -> list[tuple[int, dict[str, Any]]]:
    if name not in workbook.sheetnames:
        problems.append(
            Problem(name, None, None, _("The sheet “%(sheet)s” is missing.") % {"sheet": name})
        )
        return []
    table = read_table(
        spreadsheets.sheet_rows(workbook[name]),
        name,
        columns=COLUMNS[name],
        required=REQUIRED_COLUMNS[name],
        problems=problems,
    )
    if table is None:
        return []
    rows = table[1]
    if name == "measurements":
        # the empty row the export offers for an indicator without measurements
        rows = [
            (n, r)
            for n, r in rows
            if any(r.get(c) not in (None, "") for c in ("id", "date", "value"))
        ]
    return rows


def _same_text(text: str) -> str:
    """A note's text compared without its outer spaces and runs of white space
    (a spreadsheet re-saved by another program may change them)."""
    return " ".join(text.split())


def import_xlsx(
    edition: Edition, content: bytes, user, progress: Progress | None = None
) -> ImportResult:
    """Check the whole workbook, then apply it in one transaction (or not at all).

    ``progress(done, total)`` is called while rows are checked (the worker shows it).
    """
    result = ImportResult()
    if refusal := phase_refusal(edition, PhaseAction.FOLLOW_UP):
        result.problems.append(Problem(None, None, None, refusal))
        return result
    try:
        workbook = spreadsheets.open_workbook(content)
        try:
            sheets = {name: _read(workbook, name, result.problems) for name in COLUMNS}
        finally:
            workbook.close()
    except UnreadableFile as error:
        result.problems = error.problems
        return result
    plan = _Plan(edition, user, result)
    total = sum(len(rows) for rows in sheets.values())
    done = 0
    for name, rows in sheets.items():
        check = getattr(plan, f"check_{name}")
        for number, record in rows:
            data = check_row(
                FORMS[name], name, number, record, result.problems, lookups=plan.lookups
            )
            if data is not None:
                check(name, number, data)
            done += 1
            if progress and done % 50 == 0:
                progress(done, total)
    if result.problems:
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
        self.lookups = {
            "codes": {r.code: r for r in Recommendation.objects.filter(edition=edition)},
            "zones": {z.code.upper(): z for z in PoliceZone.objects.all()},
            "statuses": status_lookup(),
        }
        self.milestones = {m.pk: m for m in Milestone.objects.filter(initiative__edition=edition)}
        self.indicators = {i.pk: i for i in Indicator.objects.filter(initiative__edition=edition)}
        self.measurements = {
            m.pk: m for m in Measurement.objects.filter(indicator__initiative__edition=edition)
        }
        # notes already recorded today, so that uploading the same file twice adds each once
        self.notes_today: set[tuple[int, str]] = {
            (pk, _same_text(text))
            for pk, text in Update.objects.filter(
                initiative__edition=edition, date=today()
            ).values_list("initiative_id", "text")
        }
        self.actions: list = []
        self.seen: dict[tuple[str, int], int] = {}

    def error(self, sheet: str, row: int, column: str | None, message: str) -> None:
        self.result.problems.append(Problem(sheet, row, column, message))

    def _may_change(self, sheet: str, number: int, initiative_pk: int) -> bool:
        if initiative_pk in self.editable:
            return True
        title = marked(self.initiatives[initiative_pk].title)
        self.error(
            sheet,
            number,
            None,
            _(
                "You may not change initiative %(id)s (“%(title)s”): only its owners and the secretariat may."
            )
            % {"id": initiative_pk, "title": title},
        )
        return False

    def _existing(self, sheet: str, number: int, pk: int | None, objects: dict, what: str):
        if pk is None:
            return None, True
        if pk not in objects:
            self.error(
                sheet,
                number,
                "id",
                _(
                    "There is no %(what)s with id “%(id)s” in this edition. Leave the id empty to add a new one."
                )
                % {"what": what, "id": pk},
            )
            return None, False
        first = self.seen.setdefault((sheet, pk), number)
        if first != number:
            self.error(
                sheet,
                number,
                "id",
                _("The id %(id)s is also on row %(row)s; each item may appear only once.")
                % {"id": pk, "row": first},
            )
            return None, False
        return objects[pk], True

    def _parent(self, sheet: str, number: int, column: str, pk: int, objects: dict, message: str):
        if pk not in objects:
            self.error(sheet, number, column, message % {"id": pk})
            return None
        return objects[pk]

    def check_initiatives(self, sheet: str, number: int, data: dict) -> None:
        initiative, found = self._existing(
            sheet, number, data["id"], self.initiatives, _("initiative")
        )
        if not found:
            return
        fields = {name: data[name] for name in [*INITIATIVE_FIELDS, "lead_zone"]}
        selection, status, progress = data["recommendations"], data["status"], data["progress"]
        note = data["update_text"]
        if initiative is None:
            if not self.user.has_perm("roadmap.add_initiative"):
                self.error(
                    sheet,
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
        status_changed = status != initiative.status
        progress_changed = progress != initiative.progress
        if note and self.already_noted(initiative.pk, note):
            note = ""
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

    def already_noted(self, initiative_pk: int, note: str) -> bool:
        """Whether this initiative already has this progress note, dated today."""
        return (initiative_pk, _same_text(note)) in self.notes_today

    def check_milestones(self, sheet: str, number: int, data: dict) -> None:
        milestone, found = self._existing(
            sheet, number, data["id"], self.milestones, _("milestone")
        )
        initiative = self._parent(
            sheet,
            number,
            "initiative",
            data["initiative"],
            self.initiatives,
            _("There is no initiative with id “%(id)s” in this edition."),
        )
        if not found or initiative is None:
            return
        if milestone is not None and milestone.initiative_id != initiative.pk:
            self.error(
                sheet,
                number,
                "initiative",
                _("Milestone %(id)s belongs to initiative %(owner)s, not %(other)s.")
                % {"id": milestone.pk, "owner": milestone.initiative_id, "other": initiative.pk},
            )
            return
        fields = {name: data[name] for name in MILESTONE_FIELDS}
        if milestone is not None:
            fields = {k: v for k, v in fields.items() if getattr(milestone, k) != v}
            if not fields:
                return
        if self._may_change(sheet, number, initiative.pk):
            self.actions.append(("milestone", milestone, initiative.pk, fields))

    def check_measurements(self, sheet: str, number: int, data: dict) -> None:
        measurement, found = self._existing(
            sheet, number, data["id"], self.measurements, _("measurement")
        )
        indicator = self._parent(
            sheet,
            number,
            "indicator",
            data["indicator"],
            self.indicators,
            _("There is no indicator with id “%(id)s” in this edition."),
        )
        if not found or indicator is None:
            return
        if measurement is not None and measurement.indicator_id != indicator.pk:
            self.error(
                sheet,
                number,
                "indicator",
                _("Measurement %(id)s belongs to indicator %(owner)s, not %(other)s.")
                % {"id": measurement.pk, "owner": measurement.indicator_id, "other": indicator.pk},
            )
            return
        fields = {name: data[name] for name in ("date", "value", "note")}
        if measurement is not None:
            fields = {k: v for k, v in fields.items() if getattr(measurement, k) != v}
            if not fields:
                return
        if self._may_change(sheet, number, indicator.initiative_id):
            self.actions.append(("measurement", measurement, indicator.pk, fields))

    def _count(self, table: str, created: bool) -> None:
        self.result.count(table, created=created)

    @transaction.atomic
    def apply(self) -> None:
        default_note = _("Updated with the follow-up form (XLSX import).")
        for action, *args in self.actions:
            if action == "new_initiative":
                fields, status, progress, selection, note = args
                initiative = initiative_create(
                    edition=self.edition,
                    values={**fields, "status": status, "progress": progress},
                    serves=selection,
                    by=self.user,
                    reason=HISTORY_REASON,
                )
                if note:
                    initiative_record_update(initiative=initiative, author=self.user, text=note)
                self._count("initiatives", True)
            elif action == "initiative":
                initiative, changed, selection, status, progress, note = args
                initiative_update(
                    initiative=initiative,
                    changes=changed,
                    serves=selection,
                    by=self.user,
                    reason=HISTORY_REASON,
                )
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
