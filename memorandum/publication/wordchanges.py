"""The annex "What changed since the previous memorandum" in the Word document."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK

from memorandum.publication import wordparts
from memorandum.publication.wordparts import add_text


def add_changes(word, doc) -> None:
    """A page break, the annex heading, its introduction and one table per kind of change."""
    annex = doc.changes
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    word.add_heading(doc.labels["changes"], level=1)
    word.add_paragraph(annex.intro)
    for group in annex.groups:
        word.add_heading(f"{group.heading} ({len(group.rows)})", level=2)
        headers = [annex.before_label, annex.after_label, annex.title_label]
        table = word.add_table(rows=1, cols=len(headers))
        table.style = "Light List Accent 1"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(header).bold = True
        for row in group.rows:
            cells = table.add_row().cells
            for cell, value in zip(
                cells, [row.before or "—", row.after or "—", row.title], strict=True
            ):
                add_text(cell.paragraphs[0], value)
        wordparts.set_column_widths(table, [28, 28, 112])
        wordparts.repeat_header_row(table)
