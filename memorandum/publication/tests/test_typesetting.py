"""French typography, footnotes, scores, the cover."""

from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace

from django.utils import translation

from memorandum.lib.charts import priority_chart_svg, score_scale
from memorandum.lib.i18n import LocalizedText
from memorandum.publication.demo import apply_demo_content
from memorandum.publication.document import Priorities, PriorityRow, build_document
from memorandum.publication.html import render_print, render_standalone
from memorandum.publication.models import EditionCover
from memorandum.publication.typography import typeset, typeset_html
from memorandum.publication.word import render_docx
from memorandum.test import BaseTestCase


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 2), "#1f3864").save(buffer, "PNG")
    return buffer.getvalue()


def test_chart_labels_get_french_typography_and_lose_their_notes():
    """The chart says 'Les collaborateurs d’abord' like the table, without a raw '[^…]'."""
    title = LocalizedText("Les collaborateurs d'abord[^Une note.] [[nl:zo'n]]", "fr", "fr")
    row = PriorityRow(code="R6", title=title, rank=1, score=3.0, rank_low=1, rank_high=1)
    priorities = Priorities("T", "schulze", 1, 1, "", [row], False, "")
    shown = priorities.for_chart("fr")
    assert shown.rows[0].title == "Les collaborateurs d\u2019abord zo'n"
    assert priorities.rows[0].title == title  # the table keeps the text with its note
    svg = priority_chart_svg(shown, "Score", "Priorités")
    assert "d\u2019abord" in svg and "d'abord" not in svg


def test_french_typography_spares_addresses_entities_and_dutch_passages():
    """Typographic apostrophes and narrow no-break spaces, but not inside what is not French."""
    assert typeset("l'avenir : oui; non!") == "l’avenir\u202f: oui\u202f; non\u202f!"
    assert typeset("https://example.org/a?b=1") == "https://example.org/a?b=1"
    html = '<p>police &amp; citoyens <span lang="nl">zo\'n vraag?</span></p>'
    assert typeset_html(html) == '<p>police &amp; citoyens <span lang="nl">zo\'n vraag?</span></p>'


def scores(*values: float) -> SimpleNamespace:
    return SimpleNamespace(rows=[SimpleNamespace(score=value) for value in values])


def test_the_score_column_is_scaled_as_the_chart_is():
    """'11', not '11,00'; '54,1' in millions (as on the chart's axis); '—' for no number."""
    with translation.override("nl"):
        assert score_scale(scores(11.0, 7.0)).format(11.0) == "11"
        large = score_scale(scores(54_143_450.0, 1_000_000.0))
        assert large.format(54_143_450.0) == "54,1"
        assert large.label("Score") == "Score (in miljoenen)"
        assert score_scale(scores(0.83, 0.71)).format(0.83) == "0,83"
        assert score_scale(scores(1.5, float("nan"))).format(float("nan")) == "—"


class DemoEditionTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        apply_demo_content(self.edition)

    def test_the_foreword_is_the_chairs_text_with_its_footnote_in_every_format(self):
        doc = build_document(self.edition, "nl")
        self.assertIn("bijna driekwart van het personeel", doc.foreword)
        html = render_standalone(doc)
        self.assertIn('<span class="footnote" role="note">www.politie.be', html)
        with zipfile.ZipFile(io.BytesIO(render_docx(doc))) as package:
            notes = package.read("word/footnotes.xml").decode()
            body = package.read("word/document.xml").decode()
        self.assertIn("www.politie.be (federale statistieken)", notes)
        self.assertIn("w:footnoteReference", body)
        self.assertNotIn("[^", body)

    def test_the_introduction_names_the_domains_and_the_recommendations_considered(self):
        facts = " ".join(build_document(self.edition, "nl").facts)
        self.assertIn("10 werkgebieden: politieopdrachten, nabijheidspolitie, financiering", facts)
        self.assertIn("219 aanbevelingen.", facts)
        self.assertIn("tussen midden mei en begin juni 2023", facts)

    def test_the_french_edition_has_no_dutch_stand_ins_and_french_honorifics(self):
        doc = build_document(self.edition, "fr")
        self.assertEqual(doc.fallback_languages, [])
        self.assertEqual(doc.addressees[0].salutation, "Monsieur Alexander De Croo")
        html = render_print(doc)
        self.assertNotIn("[NL]", html)
        self.assertIn('<span lang="nl">Vereniging van Vlaamse Steden en Gemeenten</span>', html)
        self.assertIn("entre la mi-mai et début juin 2023", html)
        self.assertNotIn("15 mai", html)

    def test_the_synthetic_survey_is_named_on_the_cover_contents_and_colophon(self):
        from memorandum.publication.tests.helpers import counted_survey

        doc = build_document(self.edition, "nl", survey=counted_survey(self.edition))
        self.assertEqual(doc.synthetic_parts, ["Prioriteiten volgens de enquête"])
        html = render_print(doc)
        self.assertIn("Synthetische onderdelen: Prioriteiten volgens de enquête", html)
        self.assertIn('class="synthetic-parts"', html)
        self.assertIn("synthetische gegevens</span></a>", html)

    def test_an_edition_cover_picture_goes_on_the_cover_with_its_text_alternative(self):
        EditionCover.objects.create(
            edition=self.edition, image=png(), media_type="image/png", alt_nl="Logo van de VCLP"
        )
        doc = build_document(self.edition, "nl")
        self.assertIn('class="cover-image" src="data:image/png;base64,', render_print(doc))
        with zipfile.ZipFile(io.BytesIO(render_docx(doc))) as package:
            self.assertIn('descr="Logo van de VCLP"', package.read("word/document.xml").decode())

    def test_the_word_priority_table_fits_its_headings_and_sets_scores_flush_right(self):
        import docx
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        from memorandum.publication.tests.helpers import counted_survey

        doc = build_document(self.edition, "fr", survey=counted_survey(self.edition))
        table = docx.Document(io.BytesIO(render_docx(doc))).tables[-1]
        self.assertEqual(table.rows[0].cells[4].text, "Rangs plausibles")
        widths = [cell.width for cell in table.rows[0].cells]
        self.assertGreaterEqual(widths[4], Mm(26))  # "plausibles" in bold, not cut
        self.assertLessEqual(sum(widths), Mm(168.5))  # within the text width (168 mm)
        for row in table.rows:
            self.assertEqual(row.cells[3].paragraphs[0].alignment, WD_ALIGN_PARAGRAPH.RIGHT)

    def test_the_colophon_names_the_foreword_as_its_heading_does(self):
        """'L’avant-propos du président', not another name for the same chapter."""
        for lang in ("nl", "fr"):
            doc = build_document(self.edition, lang)
            self.assertIn(doc.labels["foreword"].lower(), str(doc.notes).lower())

    def test_the_word_file_has_no_empty_page_with_or_without_addressees(self):
        """Each chapter opens one new page: never two page breaks with nothing between."""
        import docx

        full = build_document(self.edition, "nl")
        bare = build_document(self.edition, "nl")
        bare.addressees, bare.foreword = [], ""
        for doc in (full, bare):
            body = docx.Document(io.BytesIO(render_docx(doc))).element.body
            breaks_in_a_row = 0
            for paragraph in body.iter("{*}p"):
                text = "".join(t.text or "" for t in paragraph.iter("{*}t")).strip()
                if paragraph.xpath(".//w:br[@w:type='page']"):
                    breaks_in_a_row += 1
                    self.assertLess(breaks_in_a_row, 2, "an empty page")
                elif text:
                    breaks_in_a_row = 0

    def test_a_grouped_word_file_styles_its_item_headings_like_the_others(self):
        """Items one level deeper (Heading 4/5) in the body font and navy, not italic blue."""
        from unittest import mock

        import docx

        from memorandum.publication import document as document_module

        with mock.patch.object(document_module, "CONTENTS_ITEMS_LIMIT", 5):
            doc = build_document(self.edition, "fr")
        word = docx.Document(io.BytesIO(render_docx(doc)))
        used = {p.style.name for p in word.paragraphs}
        self.assertTrue({"Heading 4", "Heading 5"} <= used)
        for name in ("Heading 4", "Heading 5"):
            style = word.styles[name]
            self.assertEqual(style.font.name, "Liberation Sans")
            self.assertFalse(style.font.italic)
            self.assertEqual(str(style.font.color.rgb), "1F3864")

    def test_the_french_word_file_has_no_colon_without_its_narrow_space(self):
        """'Publié par : …' in the colophon too: every ' :' of the French text is narrow."""
        import html
        import re

        doc = build_document(self.edition, "fr")
        with zipfile.ZipFile(io.BytesIO(render_docx(doc))) as package:
            xml = package.read("word/document.xml").decode()
        text = html.unescape(re.sub(r"<[^>]+>", "", xml))
        self.assertIn("Publié par\u202f:", text)
        self.assertEqual(re.findall(r"\w[:;]\s", text), [])

    def test_the_word_priority_table_is_not_split_and_the_chart_keeps_its_note(self):
        """A dozen rows move to the next page as a whole rather than leave a few alone."""
        import docx

        from memorandum.publication.tests.helpers import counted_survey

        doc = build_document(self.edition, "nl", survey=counted_survey(self.edition))
        word = docx.Document(io.BytesIO(render_docx(doc)))
        rows = word.tables[-1].rows
        for row in rows[:-1]:
            self.assertTrue(row.cells[0].paragraphs[0].paragraph_format.keep_with_next)
        picture = next(p for p in word.paragraphs if p._p.xpath(".//pic:pic"))
        self.assertTrue(picture.paragraph_format.keep_with_next)

    def test_dutch_names_in_french_references_are_tagged_as_dutch(self):
        """A screen reader reads 'Katholieke Universiteit Leuven' in Dutch in the French file."""
        html = render_print(build_document(self.edition, "fr"))
        self.assertIn('<span lang="nl">Katholieke Universiteit Leuven</span>', html)
        self.assertIn('<span lang="nl">Politie Nederland / Vrije Universiteit Amsterdam', html)

    def test_a_grouped_word_file_does_not_repeat_domain_and_theme_above_each_item(self):
        """The headings say the domain and theme; above an item stands its code, as in the PDF."""
        from unittest import mock

        from memorandum.publication import document as document_module
        from memorandum.publication.tests.helpers import docx_paragraphs

        with mock.patch.object(document_module, "CONTENTS_ITEMS_LIMIT", 5):
            doc = build_document(self.edition, "nl")
        texts = [text for _style, text in docx_paragraphs(render_docx(doc))]
        self.assertIn("R1", texts)
        self.assertFalse([t for t in texts if t.startswith("WERKGEBIED ·")])

    def test_the_dutch_edition_prints_typographic_apostrophes_too(self):
        """'21 thema’s', 'Beleidsnota’s' as in the source, not a typewriter apostrophe."""
        import re

        from memorandum.publication.tests.helpers import counted_survey

        doc = build_document(self.edition, "nl", survey=counted_survey(self.edition))
        text = re.sub(r"<(style|svg)\b.*?</\1>|<[^>]+>", " ", render_print(doc), flags=re.S)
        self.assertIn("21 thema’s", text)
        self.assertIn("Beleidsnota’s en analyses", text)
        self.assertNotRegex(text, r"\w's\b")


def test_the_publication_chart_keeps_a_title_of_the_source_on_one_line():
    """'R4 Une vision ambitieuse pour la Police' is one label line, not '… pour la' / 'Police'."""
    title = LocalizedText("Une vision ambitieuse pour la Police", "fr", "fr")
    row = PriorityRow(code="R4", title=title, rank=1, score=3.0, rank_low=1, rank_high=1)
    svg = priority_chart_svg(Priorities("T", "schulze", 1, 1, "", [row], False, ""), "Score", "")
    assert "R4 Une vision ambitieuse pour la Police" in svg
