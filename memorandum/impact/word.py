"""The impact note as a Word document (python-docx): the same content as the PDF note."""

from __future__ import annotations

import io

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document as WordDocument
from docx.shared import Mm, Pt, RGBColor

from memorandum.impact.report import ImpactReport
from memorandum.lib.i18n import content_language, language_tag

NAVY = RGBColor(0x1F, 0x38, 0x64)


def render_note(report: ImpactReport, chart_png: bytes) -> bytes:
    """A two-page note: headline, figures, method, breakdowns, comments (current language)."""
    mission = report.round.mission
    word = WordDocument()
    section = word.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    word.styles["Normal"].font.size = Pt(9.5)
    word.core_properties.title = str(mission.title)
    word.core_properties.language = language_tag(content_language())
    word.add_heading(_("Impact note: %(title)s") % {"title": mission.title}, level=0)
    if warning := report.synthetic_warning():
        word.add_paragraph(warning).runs[0].bold = True
    source = ", ".join(
        str(s) for s in (mission.source_text, mission.source_authority, mission.source_date) if s
    )
    word.add_paragraph(_("Source: %(source)s") % {"source": source})
    lead = word.add_paragraph()
    lead.add_run(report.headline_text()).bold = True
    table = word.add_table(rows=1, cols=4)
    table.style = "Light Grid Accent 1"
    for cell, text in zip(
        table.rows[0].cells,
        [_("Quantity"), _("Total, all zones"), _("Interval"), _("Estimated share")],
        strict=True,
    ):
        cell.text = text
    for figure in report.figures:
        cells = table.add_row().cells
        cells[0].text = figure.label
        cells[1].text = figure.shown()
        cells[2].text = f"{figure.shown('low')} – {figure.shown('high')}"
        cells[3].text = f"{number_format(round(figure.share_estimated * 100))} %"
    word.add_heading(_("Method"), level=2)
    for paragraph in report.method():
        word.add_paragraph(paragraph)
    word.add_heading(_("By region and size class"), level=2)
    word.add_picture(io.BytesIO(chart_png), width=Mm(150))
    for kind in ("region", "size"):
        rows = report.breakdowns[kind]
        grid = word.add_table(rows=1, cols=4)
        grid.style = "Light Grid Accent 1"
        header = [
            report.kind_labels()[kind],
            _("Answers"),
            report.figures[0].label,
            report.figures[3].label,
        ]
        for cell, text in zip(grid.rows[0].cells, header, strict=True):
            cell.text = text
        for row in rows:
            cells = grid.add_row().cells
            cells[0].text = row.label
            cells[1].text = f"{row.respondents}/{row.zones}"
            cells[2].text = row.shown_with_interval("fte")
            cells[3].text = row.shown_with_interval("one_off_eur")
        word.add_paragraph()
    word.add_heading(_("What the zones say"), level=2)
    feasibility = "; ".join(f"{label}: {count}" for label, count in report.feasibility)
    word.add_paragraph(_("Feasibility: %(levels)s.") % {"levels": feasibility})
    if report.start:
        word.add_paragraph(
            _("Earliest feasible start: half of the zones by %(median)s (from %(first)s).")
            % report.start
        )
    for label, texts in report.comments:
        word.add_paragraph(label).runs[0].bold = True
        for comment in texts:
            count = comment["zones"]
            suffix = f" ({ngettext('%(n)s zone', '%(n)s zones', count) % {'n': count}})"
            word.add_paragraph(comment["text"] + (suffix if count > 1 else ""), style="List Bullet")
    for paragraph in word.paragraphs:
        for run in paragraph.runs:
            if paragraph.style.name.startswith(("Heading", "Title")):
                run.font.color.rgb = NAVY
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
