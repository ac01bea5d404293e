"""Writing the follow-up form as an XLSX workbook."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from memorandum.catalogue.models import Edition, Recommendation
from memorandum.lib.bilingual import texts_of
from memorandum.lib.exports import neutralise_sheet, xlsx_row
from memorandum.roadmap.exchange.columns import COLUMNS
from memorandum.roadmap.models import (
    Indicator,
    InitiativeStatus,
)


def _rows(edition: Edition, initiatives) -> dict[str, list[list[Any]]]:
    initiatives = list(
        initiatives.select_related("lead_zone").prefetch_related(
            "links__recommendation", "milestones"
        )
    )
    indicators = (
        Indicator.objects.filter(initiative__in=initiatives)
        .prefetch_related("measurements")
        .order_by("initiative_id", "id")
    )
    return {
        "initiatives": [
            [
                i.pk,
                ", ".join(i.serves()),
                *texts_of(i).values(),
                i.lead_organisation,
                i.lead_zone.code if i.lead_zone else "",
                i.partners,
                i.start_date,
                i.end_date,
                i.status,
                i.progress,
                "",
            ]
            for i in initiatives
        ],
        "milestones": [
            [m.pk, i.pk, i.title_nl, *texts_of(m).values(), m.due_date, m.done_date]
            for i in initiatives
            for m in i.milestones.all()
        ],
        "measurements": [
            [
                m.pk if m else "",
                ind.pk,
                ind.name_nl,
                ind.unit,
                ind.baseline,
                ind.target,
                m.date if m else None,
                m.value if m else None,
                m.note if m else "",
            ]
            # An indicator without measurements still gets a row, ready to be filled in.
            for ind in indicators
            for m in (list(ind.measurements.all()) or [None])
        ],
    }


def export_xlsx(edition: Edition, initiatives) -> bytes:
    """The follow-up form of these initiatives as an XLSX workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in _rows(edition, initiatives).items():
        sheet = workbook.create_sheet(name)
        sheet.append(COLUMNS[name])
        for row in rows:
            sheet.append(xlsx_row(row))
        # A title such as "=HYPERLINK(…)" must stay text, never become a formula.
        neutralise_sheet(sheet)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = (
                14 if cell.value in ("id", "progress", "status") else 24
            )
        sheet.freeze_panes = "B2"
        for column in ("start_date", "end_date", "due_date", "done_date", "date"):
            if column in COLUMNS[name]:
                letter = sheet.cell(row=1, column=COLUMNS[name].index(column) + 1).column_letter
                for cell in sheet[letter][1:]:
                    cell.number_format = "yyyy-mm-dd"
        if name == "initiatives":
            letter = sheet.cell(row=1, column=COLUMNS[name].index("status") + 1).column_letter
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(InitiativeStatus.values) + '"',
                allow_blank=False,
            )
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}1000")
    help_sheet = workbook.create_sheet("help")
    for line in _help_lines(edition):
        help_sheet.append(xlsx_row([line]))
    help_sheet.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _help_lines(edition: Edition) -> list[str]:
    codes = ", ".join(
        r.code for r in Recommendation.objects.filter(edition=edition).order_by("-kind", "number")
    )
    return [
        _("Follow-up form of %(edition)s") % {"edition": edition.title},
        _(
            "Change the cells and upload the file again on the follow-up page. Keep the ids: a row with an id updates that item, a row without an id adds one."
        ),
        _(
            "recommendations: codes separated by commas; add .n for one action line, e.g. R3.2 (this edition has: %(codes)s)."
        )
        % {"codes": codes},
        _("status: one of %(values)s. progress: a whole number from 0 to 100.")
        % {"values": ", ".join(InitiativeStatus.values)},
        _(
            "Dates as 2025-03-31 (or 31/03/2025). update_text: a progress note, recorded as an update of the initiative."
        ),
        _(
            "milestones: 'initiative' is the id of an initiative that already exists. measurements: 'indicator' is the id of the indicator; the columns indicator_name, unit, baseline, target and initiative_title are for reading only."
        ),
        _(
            "Nothing is changed unless the whole file is valid; the page then lists each problem with its sheet, row and column."
        ),
    ]
