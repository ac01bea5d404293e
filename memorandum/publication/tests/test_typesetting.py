"""French typography, footnotes, scores, the cover."""

from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace

from django.utils import translation

from memorandum.lib.charts import score_scale
from memorandum.publication.demo import apply_demo_content
from memorandum.publication.document import build_document
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
