"""What the authorities read: the chart, the spreadsheet and the two-page impact note
(PDF through WeasyPrint, DOCX through python-docx), all drawn from an :class:`ImpactReport`.

Each function takes the report built in the output's language (see :func:`report_in`).
"""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from memorandum.impact.models import CountRun
from memorandum.impact.report import ImpactReport
from memorandum.lib import charts
from memorandum.lib.exports import neutralise_workbook, workbook_bytes, xlsx_row
from memorandum.lib.files import with_fixed_zip_dates
from memorandum.lib.i18n import marked

LANGUAGES = ("nl", "fr")


def report_in(run: CountRun, lang: str) -> ImpactReport:
    with translation.override(lang):
        return ImpactReport.from_run(run)


# --------------------------------------------------------------------------------- chart
def chart_rows(report: ImpactReport) -> list[dict]:
    """The chart's data table: staff need per region and size class, reported and estimated."""
    rows = []
    for kind in ("region", "size"):
        for group in report.breakdowns[kind]:
            total, reported = group.values.get("fte"), group.reported.get("fte")
            if total is None or reported is None:
                continue  # a group too small to show
            rows.append(
                {
                    "label": group.label,
                    "reported": reported,
                    "estimated": total - reported,
                    "total": total,
                }
            )
    return rows


def chart(report: ImpactReport, fmt: str = "svg") -> bytes:
    """Recurring staff need (FTE) per region and size class: reported part and estimated
    part of each bar; the data table is :func:`chart_rows`."""
    return charts.reported_and_estimated(
        chart_rows(report),
        xlabel=_("Recurring staff need (FTE)"),
        reported=_("Reported by the zones"),
        estimated=_("Estimated"),
        fmt=fmt,
    )


# ---------------------------------------------------------------------------------- XLSX
def workbook(report: ImpactReport) -> bytes:
    """The figures as a spreadsheet: totals, one sheet per breakdown, outliers, method."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Totals")[:31]
    sheet.append(xlsx_row([_("Mission"), str(report.round.mission.title)]))
    sheet.append(xlsx_row([_("Zones"), report.zones]))
    sheet.append(xlsx_row([_("Answers"), report.respondents]))
    sheet.append([])
    sheet.append(
        xlsx_row(
            [
                _("Quantity"),
                _("Unit"),
                _("Total, all zones"),
                _("Interval, low"),
                _("Interval, high"),
                _("Reported"),
                _("Estimated"),
                _("Outliers flagged"),
                _("Total without outliers"),
            ]
        )
    )
    for f in report.figures:
        sheet.append(
            xlsx_row(
                [
                    f.label,
                    f.unit,
                    f.total,
                    f.low,
                    f.high,
                    f.reported,
                    f.estimated,
                    f.outliers,
                    f.total_without_outliers,
                ]
            )
        )
    for kind, label in report.kind_labels().items():
        page = book.create_sheet(label[:31])
        page.append(
            xlsx_row(
                [
                    label,
                    _("Zones"),
                    _("Answers"),
                    *[f"{f.label} ({f.unit})" for f in report.figures],
                    _("Merged groups"),
                    *[
                        f"{f.label}: {bound}"
                        for f in report.figures
                        for bound in (_("interval from"), _("interval to"))
                    ],
                ]
            )
        )
        for row in report.breakdowns[kind]:
            page.append(
                xlsx_row(
                    [
                        marked(row.label),
                        row.zones,
                        row.respondents,
                        *[row.values[f.name] for f in report.figures],
                        ", ".join(marked(name) for name in row.merged),
                        *[
                            bound.get(f.name)
                            for f in report.figures
                            for bound in (row.low, row.high)
                        ],
                    ]
                )
            )
    if report.outliers:  # the secretariat's copy only (see views.report_for)
        page = book.create_sheet(_("Outliers")[:31])
        page.append(xlsx_row([_("Zone"), _("Name"), _("Quantity"), _("Value")]))
        names = {f.name: f.label for f in report.figures}
        for row in report.outliers:
            for flag in row["flags"]:
                page.append(
                    xlsx_row([row["zone"], row["name"], names[flag["quantity"]], flag["value"]])
                )
    page = book.create_sheet(_("Method")[:31])
    for paragraph in report.method():
        page.append(xlsx_row([paragraph]))
    neutralise_workbook(book)
    return workbook_bytes(book)


# ---------------------------------------------------------------------------------- note
def note_html(report: ImpactReport, lang: str) -> str:
    with translation.override(lang):
        svg = base64.b64encode(chart(report)).decode()
        return render_to_string(
            "impact/note.html",
            {"report": report, "mission": report.round.mission, "chart": svg, "lang": lang},
        )


def note_pdf(report: ImpactReport, lang: str) -> bytes:
    from weasyprint import HTML

    rendered = HTML(string=note_html(report, lang), base_url=None).render()
    rendered.metadata.lang = lang
    return rendered.write_pdf(pdf_variant="pdf/ua-1")


def note_docx(report: ImpactReport, lang: str) -> bytes:
    from memorandum.impact.word import render_note

    with translation.override(lang):
        return with_fixed_zip_dates(render_note(report, chart(report, fmt="png")))


def _chart_file(report: ImpactReport, lang: str) -> bytes:
    with translation.override(lang):
        return chart(report)


def _workbook_file(report: ImpactReport, lang: str) -> bytes:
    with translation.override(lang):
        return workbook(report)


# File name → (renderer, language or None for the reader's).
DOWNLOADS = {
    "note-nl.pdf": (note_pdf, "nl"),
    "note-fr.pdf": (note_pdf, "fr"),
    "note-nl.docx": (note_docx, "nl"),
    "note-fr.docx": (note_docx, "fr"),
    "figures.xlsx": (_workbook_file, None),
    "chart.svg": (_chart_file, None),
}
