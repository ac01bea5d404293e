"""The memorandum as a Word document (python-docx).

Headings use Word's built-in "Heading 1/2/3" styles so that the navigation pane works.
The contents page lists the headings (linked to bookmarks) with PAGEREF page numbers,
which LibreOffice and Word compute themselves (see :func:`_fill_contents`). Page
numbers are a PAGE field in the footer. Word-specific XML lives in ``wordparts.py``.
"""

from __future__ import annotations

import base64
import datetime
import io

from django.utils import translation
from docx import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from memorandum.lib.charts import priority_chart_png, score_scale
from memorandum.lib.files import with_fixed_zip_dates
from memorandum.lib.i18n import LocalizedText, set_docx_language
from memorandum.publication import wordchanges, wordparts
from memorandum.publication.document import Document, Item
from memorandum.publication.notes import strip_notes
from memorandum.publication.wordparts import STATE, WordState, add_text

NAVY = RGBColor(0x1F, 0x38, 0x64)
GREY = RGBColor(0x5A, 0x62, 0x72)
MARKER = RGBColor(0x8A, 0x52, 0x00)


FONT = "Liberation Sans"


def render_docx(doc: Document) -> bytes:
    """A .docx with cover, filled-in contents, numbered items, footnotes and page numbers."""
    token = STATE.set(WordState(lang=doc.lang))
    try:
        with translation.override(doc.lang):  # numbers and the chart in the document's language
            return _render(doc)
    finally:
        STATE.reset(token)


def _render(doc: Document) -> bytes:
    word = WordDocument()
    _set_up(word, doc)
    _cover(word, doc)
    contents = _contents(word, doc)
    labels = doc.labels
    if doc.addressees:
        _page_break(word)  # not on the contents page: every chapter opens a page
        word.add_heading(labels["addressees"], level=1)
        for addressee in doc.addressees:
            paragraph = word.add_paragraph()
            paragraph.paragraph_format.keep_together = True
            # Tight enough for the source's 22 addressees to stand on one page.
            paragraph.paragraph_format.space_after = Pt(5)
            paragraph.paragraph_format.line_spacing = 1.0
            if addressee.name:
                paragraph.add_run(addressee.salutation + ",").bold = True
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
        wordparts.add_table(
            word,
            [labels["process_date"], labels["process_step"]],
            ([step.when, step.title] for step in doc.process),
            [48, 120],
        )
    for key, items, intro in (
        ("recommendations", doc.recommendations, labels["recommendations_intro"]),
        ("commitments", doc.commitments, labels["commitments_intro"]),
    ):
        if items:
            _page_break(word)
            word.add_heading(labels[key], level=1)
            word.add_paragraph(intro)
            groups = doc.item_groups.get(key)
            if not groups:
                for item in items:
                    _item(word, item, labels)
            for domain in groups or []:
                heading = word.add_heading(level=2)
                heading.add_run(f"{domain.number}. ")
                _text(heading, domain.title)
                for theme in domain.themes:
                    if theme.title:
                        heading = word.add_heading(level=3)
                        heading.add_run(f"{theme.code} ")
                        _text(heading, theme.title)
                    for item in theme.items:
                        _item(word, item, labels, level=4)
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
                    paragraph.add_run(" ")
                    _link(paragraph, reference.url)
    if doc.changes:
        wordchanges.add_changes(word, doc)
    _page_break(word)
    word.add_heading(labels["colophon"], level=1)
    paragraph = word.add_paragraph()
    paragraph.add_run(labels["issued_by"] + _colon(doc)).bold = True
    _text(paragraph, doc.issuing_body)
    paragraph = word.add_paragraph()
    paragraph.add_run(labels["period"] + _colon(doc)).bold = True
    paragraph.add_run(doc.period)
    if doc.version:
        paragraph = word.add_paragraph()
        paragraph.add_run(labels["version"] + _colon(doc)).bold = True
        paragraph.add_run(doc.version)
    if doc.synthetic_parts:
        paragraph = word.add_paragraph()
        paragraph.add_run(labels["synthetic_parts"] + ". ").bold = True
        paragraph.add_run(doc.synthetic_note)
    _paragraphs(word, doc.notes)
    if doc.fallback_languages:
        word.add_paragraph(labels["fallback_notes"])
    word.add_paragraph(labels["generated"])
    _fill_contents(word, contents, doc.grouped)
    wordparts.write_footnotes(word)
    words, paragraphs = wordparts.count_words(word)
    wordparts.clean_properties(
        word, title=strip_notes(str(doc.title)), words=words, paragraphs=paragraphs
    )
    buffer = io.BytesIO()
    word.save(buffer)
    moment = datetime.datetime.combine(doc.date, datetime.time(), tzinfo=datetime.UTC)
    return with_fixed_zip_dates(buffer.getvalue(), moment)


def _colon(doc: Document) -> str:
    return "\u202f: " if doc.lang == "fr" else ": "


def _link(paragraph, url: str) -> None:
    """A clickable address."""
    part = paragraph.part
    rid = part.relate_to(
        url,
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "1F4E8C")
    rpr.append(color)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = url
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def _set_up(word, doc: Document) -> None:
    properties = word.core_properties
    properties.title = strip_notes(str(doc.title))
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
    normal.font.name = FONT
    normal.font.size = Pt(10)
    set_docx_language(normal.element, doc.lang)  # so Word proofs in Dutch or French
    # A grouped edition goes two levels deeper (item heading 4, context heading 5): the
    # template's italic, light-blue Heading 4/5 would set its items apart from the demo's.
    sizes = (("Title", 28), ("Heading 1", 18), ("Heading 2", 13), ("Heading 3", 10))
    for name, size in (*sizes, ("Heading 4", 11), ("Heading 5", 10)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = NAVY
    for name in ("Heading 4", "Heading 5"):
        styles[name].font.italic = False
        styles[name].font.bold = True
    wordparts.fix_heading_fonts(word, FONT)


def _cover(word, doc: Document) -> None:
    if doc.cover_image:
        data = base64.b64decode(doc.cover_image.split(",", 1)[1])
        picture = word.add_picture(io.BytesIO(data), height=Mm(30))
        wordparts.describe_picture(picture, doc.cover_alt, doc.cover_alt)
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
    flags = [doc.labels[flag] for flag in ("draft", "synthetic") if getattr(doc, f"is_{flag}")]
    if doc.synthetic_parts:
        flags.append(doc.labels["synthetic_parts"] + _colon(doc) + ", ".join(doc.synthetic_parts))
    for flag in flags:
        run = word.add_paragraph().add_run(flag)
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


def _contents(word, doc: Document):
    """The contents page; its entries are filled in by :func:`_fill_contents` at the end."""
    word.add_section(WD_SECTION.NEW_PAGE)
    heading = word.add_paragraph(doc.labels["contents"], style="TOC Heading")
    if doc.fallback_languages:
        run = word.add_paragraph().add_run(doc.labels["fallback_notes"])
        run.font.color.rgb = MARKER
    return heading


def _fill_contents(word, start, grouped: bool = False) -> None:
    """The contents: one linked line per heading of level 1 and 2 (and 3 in a grouped
    edition) with its page number, a PAGEREF field to the heading's bookmark.

    Not a TOC field: LibreOffice shows a TOC field's stored result as static text and drops
    the page-number fields inside it, so its contents would have no page numbers. PAGEREF
    fields on their own are computed by LibreOffice as it lays the page out, and by Word
    on opening (they are marked dirty)."""
    from docx.text.paragraph import Paragraph

    headings = [
        (p, int(p.style.name[-1]))
        for p in word.paragraphs
        if p.style.name in ("Heading 1", "Heading 2", "Heading 3")
        and p.text.strip()
        and (grouped or p.style.name != "Heading 3")
    ]
    section = word.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    last = start
    for number, (heading, level) in enumerate(headings, start=1):
        anchor = f"_Toc{number:05d}"
        wordparts.add_bookmark(heading, anchor, number)
        entry = Paragraph(OxmlElement("w:p"), start._parent)
        last._p.addnext(entry._p)
        entry.style = word.styles["Normal"]
        wordparts.contents_entry(entry, heading.text, anchor, level, page_tab=text_width)
        last = entry


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


def _text(paragraph, text: str, **style) -> None:
    """Add a content text (marker, language runs, footnotes: see :func:`wordparts.add_text`)."""
    add_text(paragraph, text, **style)


def _paragraphs(word, text: str, style: str | None = None) -> None:
    lang = text.lang if isinstance(text, LocalizedText) else STATE.get().lang
    for index, block in enumerate(p for p in str(text).split("\n\n") if p.strip()):
        paragraph = word.add_paragraph(style=style)
        # Only the first paragraph carries the "[NL]" marker; all keep their language.
        wanted = text.wanted if index == 0 and isinstance(text, LocalizedText) else lang
        _text(paragraph, LocalizedText(block.strip(), lang, wanted))


def _item(word, item: Item, labels: dict[str, str], level: int = 2) -> None:
    paragraph = word.add_paragraph()
    eyebrow = f"{labels['domain']} · {item.domain}"
    if item.theme:
        eyebrow += f" — {labels['theme']} {item.theme_code} · {item.theme}"
    if level > 2:
        # Grouped under domain and theme headings already: the catalogue code, as in the PDF.
        eyebrow = item.code
    run = paragraph.add_run(eyebrow.upper())
    run.font.size = Pt(7.5)
    run.font.color.rgb = GREY
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.keep_with_next = True
    heading = word.add_heading(level=level)
    heading.add_run(f"{item.label}. ")
    _text(heading, item.title)
    if item.objective:
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        _text(paragraph, item.objective, bold=not item.objective.is_fallback)
    if item.actions:
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        namely = LocalizedText(item.namely, item.actions_text.lang, item.actions_text.wanted)
        _text(paragraph, namely)
        paragraph.runs[-1].italic = True
        actions_lang = item.actions_text.lang
        for action in item.actions:
            _text(
                word.add_paragraph(style="List Bullet"),
                LocalizedText(action.text, actions_lang, actions_lang),
            )
            for child in action.children:
                _text(
                    word.add_paragraph(style="List Bullet 2"),
                    LocalizedText(child, actions_lang, actions_lang),
                )
    if item.context:
        word.add_heading(labels["context"], level=level + 1)
        _paragraphs(word, item.context)


def _priorities(word, doc: Document) -> None:
    labels, priorities = doc.labels, doc.priorities
    _page_break(word)
    heading = labels["priorities"]
    if priorities.synthetic:
        heading += f" ({labels['synthetic_section']})"
    word.add_heading(heading, level=1)
    if priorities.title:
        word.add_paragraph(priorities.title)
    if priorities.synthetic:
        run = word.add_paragraph().add_run(labels["synthetic"])
        run.bold = True
        run.font.color.rgb = MARKER
    word.add_paragraph(priorities.summary)
    if priorities.has_scores:
        chart = priority_chart_png(priorities.for_chart(doc.lang), labels["score"])
        picture = word.add_picture(io.BytesIO(chart), width=Mm(160))
        wordparts.describe_picture(
            picture, labels["priorities"], labels["priorities"] + ". " + labels["chart_note"]
        )
        # The note belongs under its chart; the table may start the next page.
        word.paragraphs[-1].paragraph_format.keep_with_next = True
        word.add_paragraph(labels["chart_note"], style="Caption")
    scale = score_scale(priorities)
    table = wordparts.add_table(
        word,
        [
            labels["rank"],
            labels["code"],
            labels["title"],
            scale.label(labels["score"]),
            labels["rank_range"],
        ],
        (
            [
                str(row.rank),
                row.code,
                row.title,
                scale.format(row.score) if priorities.has_scores else "—",
                row.rank_range,
            ]
            for row in priorities.rows
        ),
        # The plausible ranks' heading must fit its longest word ("plausibles") in bold.
        [14, 14, 92, 20, 28],
        numeric=(3,),
    )
    wordparts.keep_together(table)
