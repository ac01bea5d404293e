"""Bulk import of proposals from an XLSX sheet: every row checked first, then all or nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from memorandum.catalogue.models import Edition, PoliceZone, Theme
from memorandum.consultation.models import Proposal, ProposalLanguage
from memorandum.lib import spreadsheets
from memorandum.lib.exports import neutralise_workbook, xlsx_row
from memorandum.lib.spreadsheets import UnreadableFile

COLUMNS = ["zone", "event", "participant", "language", "domain", "theme", "title", "text"]
REQUIRED = {"language", "domain", "title", "text"}
SHEET = "proposals"


@dataclass
class RowError:
    row: int | None
    column: str | None
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def template_xlsx(edition: Edition) -> bytes:
    """An empty proposals sheet with its header, and a sheet listing the accepted values."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    values = book.create_sheet("accepted values")
    values.append([_("column"), _("value"), _("meaning")])
    for cell in values[1]:
        cell.font = Font(bold=True)
    for code, label in ProposalLanguage.choices:
        values.append(["language", code, str(label)])
    for domain in edition.domains.all():
        values.append(xlsx_row(["domain", domain.number, domain.name_nl]))
    for theme in Theme.objects.filter(domain__edition=edition).select_related("domain"):
        values.append(xlsx_row(["theme", theme.code, theme.name_nl]))
    for event in edition.consultation_events.all():
        values.append(xlsx_row(["event", event.pk, str(event)]))
    values.append(["zone", "S001 …", _("code of the police zone")])
    neutralise_workbook(book)  # names typed by users (themes, events) stay text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(content: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The data rows (with their spreadsheet row number), or the reason the file is unreadable."""
    try:
        book = spreadsheets.open_workbook(content)
        try:
            sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
            rows = spreadsheets.sheet_rows(sheet)
        finally:
            book.close()
    except UnreadableFile as error:
        return [], [RowError(p.row, p.column, p.message) for p in error.problems]
    except IndexError:  # a workbook without any sheet
        rows = []
    if not rows:
        return [], [RowError(None, None, _("The sheet is empty."))]
    header = [_cell(h).lower() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [
            RowError(
                1,
                None,
                _("Missing columns: %(columns)s. Use the template.")
                % {"columns": ", ".join(missing)},
            )
        ]
    data = []
    errors = []
    for number, values in enumerate(rows[1:], start=2):
        raw = {name: values[i] for i, name in enumerate(header[: len(values)]) if name in COLUMNS}
        errors += [RowError(number, c, m) for c, m in spreadsheets.row_problems(raw)]
        row = {
            name: _cell(values[i]) if i < len(values) else ""
            for i, name in enumerate(header)
            if name in COLUMNS
        }
        if any(row.values()):
            data.append((number, row))
    if errors:
        return [], errors
    if not data:
        return [], [RowError(None, None, _("The sheet has a header but no proposals."))]
    return data, []


def check_rows(
    edition: Edition, rows: list[tuple[int, dict[str, str]]]
) -> tuple[list[Proposal], list[RowError]]:
    """Turn rows into unsaved proposals, collecting every problem with its row and column."""
    domains = {str(d.number): d for d in edition.domains.all()}
    themes = {
        t.code: t for t in Theme.objects.filter(domain__edition=edition).select_related("domain")
    }
    events = {str(e.pk): e for e in edition.consultation_events.all()}
    zones = {z.code.upper(): z for z in PoliceZone.objects.all()}
    errors: list[RowError] = []
    proposals: list[Proposal] = []
    for number, row in rows:
        errors_before = len(errors)

        def fail(column: str, message: str, number=number) -> None:
            errors.append(RowError(number, column, message))

        for column in COLUMNS:
            if column in REQUIRED and not row[column]:
                fail(column, _("This cell is empty; it is required."))
        if not row["zone"] and not row["participant"]:
            fail("zone", _("Give the zone code or the participant's name."))
        language = row["language"].lower()
        if language and language not in ProposalLanguage.values:
            fail(
                "language",
                _("“%(value)s” is not a language we accept; write nl or fr.")
                % {"value": row["language"]},
            )
        domain = domains.get(row["domain"])
        if row["domain"] and domain is None:
            fail(
                "domain",
                _("There is no work domain number %(value)s in this edition (1 to %(last)s).")
                % {"value": row["domain"], "last": len(domains)},
            )
        theme = themes.get(row["theme"]) if row["theme"] else None
        if row["theme"] and theme is None:
            fail(
                "theme",
                _("There is no theme with code %(value)s in this edition.")
                % {"value": row["theme"]},
            )
        elif theme and domain and theme.domain_id != domain.pk:
            fail(
                "theme",
                _("Theme %(theme)s does not belong to work domain %(domain)s.")
                % {"theme": theme.code, "domain": domain.number},
            )
        event = events.get(row["event"]) if row["event"] else None
        if row["event"] and event is None:
            fail(
                "event",
                _(
                    "There is no consultation event number %(value)s in this edition; see the template's second sheet."
                )
                % {"value": row["event"]},
            )
        zone = zones.get(row["zone"].upper()) if row["zone"] else None
        if row["zone"] and zone is None:
            fail("zone", _("There is no police zone with code %(value)s.") % {"value": row["zone"]})
        if len(row["title"]) > 300:
            fail("title", _("The title is longer than 300 characters."))
        if len(errors) > errors_before:
            continue
        proposals.append(
            Proposal(
                edition=edition,
                event=event,
                zone=zone,
                participant_name=row["participant"][:150],
                language=language,
                domain=domain,
                theme=theme,
                title=row["title"],
                text=row["text"],
            )
        )
    return proposals, errors


def import_proposals(edition: Edition, content: bytes, *, by) -> ImportResult:
    """Check the whole file, then create every proposal in one transaction (or none)."""
    rows, errors = read_rows(content)
    if errors:
        return ImportResult(errors=errors)
    proposals, errors = check_rows(edition, rows)
    if errors:
        return ImportResult(errors=errors)
    with transaction.atomic():
        for proposal in proposals:
            proposal.author = by
        Proposal.objects.bulk_create(proposals)
    return ImportResult(created=len(proposals))
