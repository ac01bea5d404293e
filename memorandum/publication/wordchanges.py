"""The annex "What changed since the previous memorandum" in the Word document."""

from __future__ import annotations

from docx.enum.text import WD_BREAK

from memorandum.publication import wordparts


def add_changes(word, doc) -> None:
    """A page break, the annex heading, its introduction and one table per kind of change."""
    annex = doc.changes
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    word.add_heading(doc.labels["changes"], level=1)
    word.add_paragraph(annex.intro)
    for group in annex.groups:
        word.add_heading(f"{group.heading} ({len(group.rows)})", level=2)
        wordparts.add_table(
            word,
            [annex.before_label, annex.after_label, annex.title_label],
            ([row.before or "—", row.after or "—", row.title] for row in group.rows),
            [28, 28, 112],
        )
