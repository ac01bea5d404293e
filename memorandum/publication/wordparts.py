"""The parts of a Word file that python-docx does not write by itself.

Footnotes (a ``footnotes.xml`` part), language runs for passages in another language, a
contents already filled in (page numbers as PAGEREF fields), heading fonts without the
theme's override, repeated table header rows, column widths, alt text on pictures and clean document properties.
``word.py`` lays the document out; this module only knows Word's XML.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from memorandum.lib.i18n import LocalizedText, language_tag, set_docx_language, split_languages
from memorandum.publication.notes import split_notes
from memorandum.publication.typography import typeset

MARKER = RGBColor(0x8A, 0x52, 0x00)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass
class WordState:
    """What the runs of one document need to know: its language and its footnotes so far."""

    lang: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (text, language)


STATE: ContextVar[WordState] = ContextVar("word_state")


def add_text(paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    """A content text in a paragraph: a "[NL]" marker when it stands in for a missing
    translation, language runs for passages in another language than the document,
    footnotes as Word footnotes, and French typography on French passages."""
    state = STATE.get()
    own = text.lang if isinstance(text, LocalizedText) and text else state.lang
    if isinstance(text, LocalizedText) and text.is_fallback:
        run = paragraph.add_run(f"[{text.lang.upper()}] ")
        run.bold = True
        run.font.color.rgb = MARKER
        set_docx_language(run._r, state.lang)
    for segment, lang in split_languages(str(text), own):
        for piece, is_note in split_notes(segment):
            if lang == "fr":
                piece = typeset(piece)
            if is_note:
                _footnote_reference(paragraph, piece, lang)
                continue
            run = paragraph.add_run(piece)
            run.bold = bold or None
            run.italic = italic or None
            if lang != state.lang:
                set_docx_language(run._r, lang)


def _footnote_reference(paragraph, text: str, lang: str) -> None:
    state = STATE.get()
    state.notes.append((text, lang))
    run = paragraph.add_run()
    run.font.superscript = True
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(len(state.notes)))
    run._r.append(reference)


def write_footnotes(word) -> None:
    """Add the ``footnotes.xml`` part holding every note referenced so far (if any)."""
    notes = STATE.get().notes
    if not notes:
        return
    body = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>",
    ]
    for number, (text, lang) in enumerate(notes, start=1):
        body.append(
            f'<w:footnote w:id="{number}"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="16"/></w:rPr>'
            "<w:footnoteRef/></w:r>"
            f'<w:r><w:rPr><w:lang w:val="{language_tag(lang)}"/><w:sz w:val="16"/></w:rPr>'
            f'<w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
        )
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<w:footnotes xmlns:w="{W_NS}">' + "".join(body) + "</w:footnotes>"
    ).encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml, word.part.package)
    word.part.relate_to(part, RT.FOOTNOTES)


def fix_heading_fonts(word, font: str) -> None:
    """Headings in ``font``: drop the theme fonts the template sets, which win otherwise."""
    for style in word.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        if not (style.name.startswith("Heading") or style.name in ("Title", "TOC Heading")):
            continue
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{name}"), None)
        for name in ("ascii", "hAnsi", "cs"):
            fonts.set(qn(f"w:{name}"), font)


def add_bookmark(paragraph, name: str, number: int) -> None:
    """A bookmark around the paragraph's content (the target of a contents entry)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def contents_entry(paragraph, text: str, anchor: str, level: int, page_tab=None) -> None:
    """One filled-in line of the contents: the heading's text, linked to its bookmark, and
    with ``page_tab`` (the text width) its page number set flush right."""
    paragraph.paragraph_format.left_indent = Mm(6 * (level - 1))
    paragraph.paragraph_format.space_after = Pt(2 if level > 1 else 4)
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    if level == 1:
        rpr.append(OxmlElement("w:b"))
    run.append(rpr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)
    if page_tab is not None:
        # The page number: a PAGEREF field to the heading's bookmark after a right tab.
        # LibreOffice computes it when it lays the document out; Word when it updates fields.
        paragraph.paragraph_format.tab_stops.add_tab_stop(page_tab, WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run("\t")
        field_char(paragraph, "begin", dirty=True)
        field_instruction(paragraph, f"PAGEREF {anchor} \\h")
        field_char(paragraph, "separate")
        paragraph.add_run("")
        field_char(paragraph, "end")


def field_char(paragraph, kind: str, *, dirty: bool = False) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    if dirty:
        element.set(qn("w:dirty"), "true")
    paragraph.add_run()._r.append(element)


def field_instruction(paragraph, instruction: str) -> None:
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    paragraph.add_run()._r.append(text)


def add_table(word, headers: list[str], rows, widths_mm: list[float], numeric: tuple = ()):
    """A table with a bold header row that repeats on every page, one row per list of
    texts in ``rows`` (content texts: see :func:`add_text`) and fixed column widths.
    The columns whose indexes are in ``numeric`` are set flush right, as in the PDF."""
    table = word.add_table(rows=1, cols=len(headers))
    table.style = "Light List Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for index, (cell, header) in enumerate(zip(table.rows[0].cells, headers, strict=True)):
        cell.text = ""
        cell.paragraphs[0].add_run(header).bold = True
        if index in numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for values in rows:
        for index, (cell, value) in enumerate(zip(table.add_row().cells, values, strict=True)):
            add_text(cell.paragraphs[0], value)
            if index in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_column_widths(table, widths_mm)
    repeat_header_row(table)
    return table


def repeat_header_row(table) -> None:
    """The first row repeats on every page; no row is split across two pages."""
    for index, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if index == 0:
            trpr.append(OxmlElement("w:tblHeader"))


def keep_together(table, *, up_to: int = 30) -> None:
    """A table of at most ``up_to`` rows is not split over two pages (it moves to the next
    page as a whole, with the caption above it): a few rows alone on a page read as an
    orphan. Longer tables break between rows, their header row repeated."""
    if len(table.rows) > up_to:
        return
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def set_column_widths(table, widths_mm: list[float]) -> None:
    """Fixed column widths (Word and LibreOffice otherwise share the width equally)."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        column.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def describe_picture(shape, title: str, description: str) -> None:
    """Alt text of an inline picture (read out by screen readers, shown by Word)."""
    doc_pr = shape._inline.docPr
    doc_pr.set("title", title)
    doc_pr.set("descr", description)


def clean_properties(word, *, title: str, words: int, paragraphs: int) -> None:
    """Extended properties that describe this file (not the template's), no thumbnail."""
    package = word.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _app_xml(title, words, paragraphs)


def _app_xml(title: str, words: int, paragraphs: int) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>Memorandum</Application><DocSecurity>0</DocSecurity>"
        f"<Words>{words}</Words><Paragraphs>{paragraphs}</Paragraphs>"
        "<ScaleCrop>false</ScaleCrop>"
        '<TitlesOfParts><vt:vector size="1" baseType="lpstr">'
        f"<vt:lpstr>{escape(title)}</vt:lpstr></vt:vector></TitlesOfParts>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


def count_words(word) -> tuple[int, int]:
    """(words, non-empty paragraphs) of the body, for the document properties."""
    texts = [p.text for p in word.paragraphs if p.text.strip()]
    return sum(len(re.findall(r"\w+", t)) for t in texts), len(texts)
