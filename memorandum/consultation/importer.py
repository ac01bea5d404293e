"""Bulk import of proposals from an XLSX sheet: every row checked first, then all or nothing."""

from __future__ import annotations

import io

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from memorandum.catalogue.models import Edition, PoliceZone, Theme
from memorandum.catalogue.phases import PhaseAction, phase_refusal
from memorandum.consultation.models import Proposal, ProposalLanguage
from memorandum.lib import spreadsheets
from memorandum.lib.exports import neutralise_workbook, xlsx_row
from memorandum.lib.i18n import marked
from memorandum.lib.importing import (
    ImportResult,
    Progress,
    Rows,
    check_row,
    model_fields,
    read_table,
)
from memorandum.lib.spreadsheets import Problem, UnreadableFile

COLUMNS = ["zone", "event", "participant", "language", "domain", "theme", "title", "text"]
# The columns a file must have; a missing optional column reads as empty cells.
REQUIRED = ["language", "domain", "title", "text"]
SHEET = "proposals"


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
        values.append(xlsx_row(["domain", domain.number, marked(domain.name)]))
    for theme in Theme.objects.filter(domain__edition=edition).select_related("domain"):
        values.append(xlsx_row(["theme", theme.code, marked(theme.name)]))
    for event in edition.consultation_events.all():
        values.append(xlsx_row(["event", event.pk, str(event)]))
    values.append(["zone", "S001 …", _("code of the police zone")])
    neutralise_workbook(book)  # names typed by users (themes, events) stay text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class ProposalRow(forms.Form):
    """One row of the sheet; lookups of the edition's domains, themes, events and zones are
    given by the import so that every row is checked against the same ones."""

    zone = forms.CharField(required=False)
    event = forms.CharField(required=False)
    participant = forms.CharField(
        required=False, max_length=Proposal._meta.get_field("participant_name").max_length
    )
    domain = forms.IntegerField()
    theme = forms.CharField(required=False)

    def __init__(self, *args, lookups: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookups = lookups

    def _find(self, table: str, message: str):
        value = self.cleaned_data.get(table)
        if value in (None, ""):
            return None
        found = self.lookups[table].get(str(value).upper())
        if found is None:
            self.add_error(table, message % {"value": value, "last": len(self.lookups[table])})
        return found

    def clean(self):
        data = super().clean()
        if not data.get("zone") and not data.get("participant"):
            self.add_error("zone", _("Give the zone code or the participant's name."))
        data["zone"] = self._find("zone", _("There is no police zone with code %(value)s."))
        data["event"] = self._find(
            "event",
            _(
                "There is no consultation event number %(value)s in this edition; see the template's second sheet."
            ),
        )
        data["domain"] = self._find(
            "domain",
            _("There is no work domain number %(value)s in this edition (1 to %(last)s)."),
        )
        data["theme"] = self._find(
            "theme", _("There is no theme with code %(value)s in this edition.")
        )
        theme, domain = data["theme"], data["domain"]
        if theme and domain and theme.domain_id != domain.pk:
            self.add_error(
                "theme",
                _("Theme %(theme)s does not belong to work domain %(domain)s.")
                % {"theme": theme.code, "domain": domain.number},
            )
        return data


ProposalRow.base_fields.update(
    model_fields(Proposal, ["language", "title", "text"], required=REQUIRED)
)


def read_rows(content: bytes, result: ImportResult) -> Rows:
    """The data rows (with their spreadsheet row number); problems go to ``result``."""
    try:
        book = spreadsheets.open_workbook(content)
        try:
            sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
            grid = spreadsheets.sheet_rows(sheet)
        finally:
            book.close()
    except UnreadableFile as error:
        result.problems.extend(error.problems)
        return []
    except IndexError:  # a workbook without any sheet
        grid = []
    if not grid:
        result.problems.append(Problem(SHEET, None, None, _("The sheet is empty.")))
        return []
    table = read_table(grid, SHEET, columns=COLUMNS, required=REQUIRED, problems=result.problems)
    if table is None:
        return []
    rows = table[1]
    if not rows:
        result.problems.append(
            Problem(SHEET, None, None, _("The sheet has a header but no proposals."))
        )
    return rows


def check_rows(
    edition: Edition, rows: Rows, result: ImportResult, progress: Progress | None = None
) -> list[Proposal]:
    """Turn rows into unsaved proposals, collecting every problem with its row and column."""
    lookups = {
        "domain": {str(d.number): d for d in edition.domains.all()},
        "theme": {
            t.code: t
            for t in Theme.objects.filter(domain__edition=edition).select_related("domain")
        },
        "event": {str(e.pk): e for e in edition.consultation_events.all()},
        "zone": {z.code.upper(): z for z in PoliceZone.objects.all()},
    }
    proposals: list[Proposal] = []
    for done, (number, row) in enumerate(rows, start=1):
        if progress and done % 50 == 0:
            progress(done, len(rows))
        data = check_row(ProposalRow, SHEET, number, row, result.problems, lookups=lookups)
        if data is None:
            continue
        proposals.append(
            Proposal(
                edition=edition,
                event=data["event"],
                zone=data["zone"],
                participant_name=data["participant"],
                language=data["language"],
                domain=data["domain"],
                theme=data["theme"],
                title=data["title"],
                text=data["text"],
            )
        )
    return proposals


def import_proposals(edition: Edition, content: bytes, *, by, progress=None) -> ImportResult:
    """Check the whole file, then create every proposal in one transaction (or none)."""
    result = ImportResult()
    if refusal := phase_refusal(edition, PhaseAction.PROPOSE):
        result.problems.append(Problem(None, None, None, refusal))
        return result
    rows = read_rows(content, result)
    proposals = check_rows(edition, rows, result, progress) if rows else []
    if result.problems:
        return result
    with transaction.atomic():
        for proposal in proposals:
            proposal.author = by
        Proposal.objects.bulk_create(proposals)
    result.created["proposals"] = len(proposals)
    return result
