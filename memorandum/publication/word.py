"""The memorandum as a Word document (python-docx).

Headings use Word's built-in "Heading 1/2/3" styles so that the navigation pane and
Word's own table of contents work; the contents page is a real TOC field that Word fills
in when the document is opened. Page numbers are a PAGE field in the footer.
"""

from __future__ import annotations

import datetime
import io

from django.template.defaultfilters import floatformat
from django.utils import translation
from docx import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from memorandum.lib.charts import priority_chart_png
from memorandum.lib.files import with_fixed_zip_dates
from memorandum.lib.i18n import LocalizedText
from memorandum.publication.document import Document, Item

NAVY = RGBColor(0x1F, 0x38, 0x64)
GREY = RGBColor(0x5A, 0x62, 0x72)
MARKER = RGBColor(0x8A, 0x52, 0x00)


def render_docx(doc: Document) -> bytes:
    """A .docx with cover, contents field, numbered items and page numbers."""
    with translation.override(doc.lang):  # numbers and the chart in the document's language
        return _render(doc)


def _render(doc: Document) -> bytes:
    word = WordDocument()
    _set_up(word, doc)
    _cover(word, doc)
    _contents(word, doc)
    labels = doc.labels
    if doc.addressees:
        word.add_heading(labels["addressees"], level=1)
        for addressee in doc.addressees:
            paragraph = word.add_paragraph()
            if addressee.name:
                paragraph.add_run(addressee.name + ",").bold = True
                paragraph.add_run().add_break()
            _text(paragraph, addressee.function)
    if doc.foreword:
        _page_break(word)
        word.add_heading(labels["foreword"], level=1)
        _paragraphs(word, doc.foreword, style="Quote")
        if doc.foreword_author:
            paragraph = word.add_paragraph()
            paragraph.add_run(doc.foreword_author).bold = True
            paragraph.add_run().add_break()
            _text(paragraph, doc.foreword_author_function)
    _page_break(word)
    word.add_heading(labels["introduction"], level=1)
    _paragraphs(word, doc.introduction)
    word.add_heading(labels["process"], level=2)
    word.add_paragraph(" ".join(doc.facts))
    if doc.process:
        table = _table(word, [labels["process_date"], labels["process_step"]])
        for step in doc.process:
            _row(table, [step.when, step.title])
    for key, items, intro in (
        ("recommendations", doc.recommendations, labels["recommendations_intro"]),
        ("commitments", doc.commitments, labels["commitments_intro"]),
    ):
        if items:
            _page_break(word)
            word.add_heading(labels[key], level=1)
            word.add_paragraph(intro)
            for item in items:
                _item(word, item, labels)
    if doc.priorities:
        _priorities(word, doc)
    if doc.references:
        _page_break(word)
        word.add_heading(labels["references"], level=1)
        for group in doc.references:
            word.add_heading(group.label, level=2)
            for reference in group.references:
                paragraph = word.add_paragraph(style="List Bullet")
                _text(paragraph, reference.title)
                if reference.url:
                    paragraph.add_run(" " + reference.url)
    _page_break(word)
    word.add_heading(labels["colophon"], level=1)
    paragraph = word.add_paragraph()
    paragraph.add_run(labels["issued_by"] + ": ").bold = True
    _text(paragraph, doc.issuing_body)
    paragraph = word.add_paragraph()
    paragraph.add_run(labels["period"] + ": ").bold = True
    paragraph.add_run(doc.period)
    if doc.version:
        paragraph = word.add_paragraph()
        paragraph.add_run(labels["version"] + ": ").bold = True
        paragraph.add_run(doc.version)
    _paragraphs(word, doc.notes)
    if doc.fallback_languages:
        word.add_paragraph(labels["fallback_notes"])
    word.add_paragraph(labels["generated"])
    buffer = io.BytesIO()
    word.save(buffer)
    return with_fixed_zip_dates(buffer.getvalue())


def _set_up(word, doc: Document) -> None:
    properties = word.core_properties
    properties.title = f"{doc.title}"
    properties.subject = doc.period
    properties.author = str(doc.issuing_body)
    properties.last_modified_by = str(doc.issuing_body)
    properties.language = doc.language_tag
    properties.keywords = "memorandum"
    properties.comments = ""
    properties.revision = 1
    # Dates from the data, not the clock: the same data gives the same document.
    moment = datetime.datetime.combine(doc.date, datetime.time(), tzinfo=datetime.UTC)
    properties.created = moment
    properties.modified = moment
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(22), Mm(20)
    section.top_margin, section.bottom_margin = Mm(24), Mm(22)
    styles = word.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    _language(normal.element, doc.language_tag)
    for name, size in (("Title", 28), ("Heading 1", 18), ("Heading 2", 13), ("Heading 3", 10)):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = NAVY
    # Word opens the file and fills in the contents field and page numbers.
    settings = word.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _language(style_element, tag: str) -> None:
    """Proofing language of a style (so Word checks spelling in Dutch or French)."""
    rpr = style_element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)
    lang.set(qn("w:bidi"), tag)
    rpr.append(lang)


def _cover(word, doc: Document) -> None:
    paragraph = word.add_paragraph()
    run = paragraph.add_run(str(doc.issuing_body).upper())
    run.font.color.rgb = GREY
    run.font.size = Pt(11)
    paragraph.paragraph_format.space_after = Pt(120)
    paragraph = word.add_paragraph()
    run = paragraph.add_run(f"{doc.labels['period']} {doc.period}".upper())
    run.bold = True
    run.font.color.rgb = RGBColor(0x8A, 0x6D, 0x1A)
    word.add_paragraph(str(doc.title), style="Title")
    if doc.version:
        word.add_paragraph(doc.version)
    for flag in ("draft", "synthetic"):
        if getattr(doc, f"is_{flag}"):
            run = word.add_paragraph().add_run(doc.labels[flag])
            run.bold = True
            run.font.color.rgb = MARKER
    _footer(word.sections[0], doc)
    word.sections[0].different_first_page_header_footer = True


def _footer(section, doc: Document) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(f"{doc.title} · {doc.labels['page']} ")
    run.font.size = Pt(8)
    run.font.color.rgb = GREY
    _field(paragraph, "PAGE", "1")
    run = paragraph.add_run(f" {doc.labels['of']} ")
    run.font.size = Pt(8)
    _field(paragraph, "NUMPAGES", "1")


def _contents(word, doc: Document) -> None:
    word.add_section(WD_SECTION.NEW_PAGE)
    paragraph = word.add_paragraph(doc.labels["contents"], style="TOC Heading")
    paragraph = word.add_paragraph()
    _field(paragraph, 'TOC \\o "1-2" \\h \\z \\u', doc.labels["update_contents"])
    if doc.fallback_languages:
        run = word.add_paragraph().add_run(doc.labels["fallback_notes"])
        run.font.color.rgb = MARKER


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (PAGE, TOC …) that Word computes; ``placeholder`` shows until then."""

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        run = paragraph.add_run()
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _page_break(word) -> None:
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _text(paragraph, text: str) -> None:
    """Add a content text, with a "[NL]" marker when it is shown in the other language."""
    if isinstance(text, LocalizedText) and text.is_fallback:
        run = paragraph.add_run(f"[{text.lang.upper()}] ")
        run.bold = True
        run.font.color.rgb = MARKER
    paragraph.add_run(str(text))


def _paragraphs(word, text: str, style: str | None = None) -> None:
    for index, block in enumerate(p for p in str(text).split("\n\n") if p.strip()):
        paragraph = word.add_paragraph(style=style)
        if index == 0:
            _text(
                paragraph,
                LocalizedText(block.strip(), text.lang, text.wanted)
                if isinstance(text, LocalizedText)
                else block,
            )
        else:
            paragraph.add_run(block.strip())


def _item(word, item: Item, labels: dict[str, str]) -> None:
    paragraph = word.add_paragraph()
    eyebrow = f"{labels['domain']} · {item.domain}"
    if item.theme:
        eyebrow += f" — {labels['theme']} {item.theme_code} · {item.theme}"
    run = paragraph.add_run(eyebrow.upper())
    run.font.size = Pt(7.5)
    run.font.color.rgb = GREY
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.keep_with_next = True
    heading = word.add_heading(level=2)
    heading.add_run(f"{item.number}. ")
    _text(heading, item.title)
    if item.objective:
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        if item.objective.is_fallback:
            _text(paragraph, item.objective)
        else:
            paragraph.add_run(str(item.objective)).bold = True
    if item.actions:
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        namely = LocalizedText(item.namely, item.actions_text.lang, item.actions_text.wanted)
        _text(paragraph, namely)
        paragraph.runs[-1].italic = True
        for action in item.actions:
            word.add_paragraph(action.text, style="List Bullet")
            for child in action.children:
                word.add_paragraph(child, style="List Bullet 2")
    if item.context:
        word.add_heading(labels["context"], level=3)
        _paragraphs(word, item.context)


def _table(word, headers: list[str]):
    table = word.add_table(rows=1, cols=len(headers))
    table.style = "Light List Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(header).bold = True
    return table


def _row(table, values: list[str]) -> None:
    cells = table.add_row().cells
    for cell, value in zip(cells, values, strict=True):
        _text(cell.paragraphs[0], value)


def _priorities(word, doc: Document) -> None:
    labels, priorities = doc.labels, doc.priorities
    _page_break(word)
    word.add_heading(labels["priorities"], level=1)
    if priorities.title:
        word.add_paragraph(priorities.title)
    if priorities.synthetic:
        run = word.add_paragraph().add_run(labels["synthetic"])
        run.bold = True
        run.font.color.rgb = MARKER
    word.add_paragraph(priorities.summary)
    if priorities.has_scores:
        chart = priority_chart_png(priorities, labels["score"])
        word.add_picture(io.BytesIO(chart), width=Mm(160))
        caption = word.add_paragraph(labels["chart_note"], style="Caption")
        caption.paragraph_format.keep_with_next = True
    table = _table(
        word,
        [labels["rank"], labels["code"], labels["title"], labels["score"], labels["rank_range"]],
    )
    for row in priorities.rows:
        _row(
            table,
            [
                str(row.rank),
                row.code,
                row.title,
                # Integers as integers ("11", not "11,00"), as in the chart and the HTML table.
                floatformat(row.score, "-2g") if priorities.has_scores else "—",
                row.rank_range,
            ],
        )
