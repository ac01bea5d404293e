"""The memorandum as PDF and Word: sections, numbering and order, in Dutch and French."""

from __future__ import annotations

import re

from memorandum.catalogue.models import Recommendation, RecommendationKind, Status
from memorandum.publication.document import build_document
from memorandum.publication.pdf import layout, render_pdf
from memorandum.publication.tests.helpers import docx_paragraphs, flat, pdf_has_object, pdf_text
from memorandum.publication.typography import typeset
from memorandum.publication.word import render_docx
from memorandum.test import BaseTestCase

LABELS = {
    "nl": {
        "addressees": "Ter attentie van",
        "foreword": "Woord van de voorzitter",
        "recommendations": "Aanbevelingen aan de overheden",
        "commitments": "Engagementen van de Lokale Politie",
        "references": "Belangrijkste referenties",
        "namely": "met name:",
        "context": "Contextuele elementen",
        "colophon": "Colofon",
    },
    "fr": {
        "addressees": "À l’attention de",
        "foreword": "Avant-propos du président",
        "recommendations": "Recommandations aux autorités",
        "commitments": "Engagements de la Police locale",
        "references": "Principales références",
        "namely": "notamment :",
        "context": "Éléments contextuels",
        "colophon": "Colophon",
    },
}


def french(text: str, lang: str) -> str:
    """The text as a French document prints it (typographic apostrophes, narrow spaces)."""
    return typeset(text) if lang == "fr" else text


def norm(text: str) -> str:
    """Flat text where a line broken after a hyphen ("i-\\nPolice") reads as one word again."""
    return re.sub(r"-\s+", "-", flat(text))


class DocumentTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Only bytes here: Django deep-copies test data, and LocalizedText does not deep-copy.
        cls.pdf = {lang: render_pdf(build_document(cls.edition, lang)) for lang in ("nl", "fr")}
        cls.docx = {lang: render_docx(build_document(cls.edition, lang)) for lang in ("nl", "fr")}

    def setUp(self) -> None:
        self.docs = {lang: build_document(self.edition, lang) for lang in ("nl", "fr")}

    def adopted(self, kind: str) -> list[Recommendation]:
        return list(
            Recommendation.objects.filter(
                edition=self.edition, kind=kind, status=Status.ADOPTED
            ).order_by("number")
        )

    def expected_items(self, lang: str) -> list[tuple[str, Recommendation]]:
        return [("recommendations", r) for r in self.adopted(RecommendationKind.RECOMMENDATION)] + [
            ("commitments", r) for r in self.adopted(RecommendationKind.COMMITMENT)
        ]

    def test_the_demo_edition_has_seven_recommendations_and_five_commitments(self):
        doc = self.docs["nl"]
        self.assertEqual([i.number for i in doc.recommendations], [1, 2, 3, 4, 5, 6, 7])
        self.assertEqual([i.number for i in doc.commitments], [1, 2, 3, 4, 5])

    def test_the_pdf_has_every_item_in_order_with_its_title_and_action_lines(self):
        for lang in ("nl", "fr"):
            with self.subTest(lang=lang):
                text = norm(pdf_text(self.pdf[lang]))
                labels = LABELS[lang]
                # The contents come first and end with the colophon; the body follows.
                toc_end = text.index(labels["colophon"])
                sections = [
                    "addressees",
                    "foreword",
                    "recommendations",
                    "commitments",
                    "references",
                ]
                section_at = {key: text.find(labels[key], toc_end) for key in sections}
                self.assertTrue(all(at > toc_end for at in section_at.values()), section_at)
                self.assertEqual(sorted(sections, key=section_at.get), sections)
                position = section_at["recommendations"]
                for section, item in self.expected_items(lang):
                    title = norm(french(getattr(item, f"title_{lang}") or item.title_nl, lang))
                    found = text.find(f"{item.number} {title}", position)
                    self.assertGreater(
                        found,
                        position,
                        f"{item.code} «{title}» missing or out of order in the {lang} PDF",
                    )
                    self.assertGreater(found, section_at[section])
                    position = found
                    actions_lang = lang if getattr(item, f"actions_{lang}") else "nl"
                    for action in item.action_items(actions_lang):
                        at = text.find(norm(french(action["text"], actions_lang)), position)
                        self.assertGreater(
                            at,
                            position,
                            f"{item.code}: action «{action['text']}» missing or out of order",
                        )
                        position = at
                with_actions = [
                    item
                    for _s, item in self.expected_items(lang)
                    if getattr(item, f"actions_{lang}")
                ]
                self.assertEqual(text.count(labels["namely"]), len(with_actions))
                self.assertIn(labels["context"], text)

    def test_the_pdf_has_a_table_of_contents_with_page_numbers_and_bookmarks(self):
        for lang, doc in self.docs.items():
            with self.subTest(lang=lang):
                text = pdf_text(self.pdf[lang])
                first_title = doc.recommendations[0].title
                self.assertIsNotNone(
                    re.search(rf"1\. {re.escape(first_title)} \d+ ", flat(text)),
                    "no page number",
                )
                rendered = layout(doc)
                self.assertGreater(len(rendered.pages), 1)
                tree = rendered.make_bookmark_tree()
                # Each bookmark is (label, target, children, state).
                self.assertEqual([b[0] for b in tree], [s.title for s in doc.sections])
                recommendations = next(b for b in tree if b[0] == LABELS[lang]["recommendations"])
                self.assertEqual(
                    [b[0] for b in recommendations[2]],
                    [
                        typeset(f"{i.label} {i.title}") if lang == "fr" else f"{i.label} {i.title}"
                        for i in doc.recommendations
                    ],
                )

    def test_the_pdf_states_its_language_and_title_and_is_tagged(self):
        import subprocess
        import tempfile

        for lang, tag in (("nl", "nl-BE"), ("fr", "fr-BE")):
            with self.subTest(lang=lang), tempfile.NamedTemporaryFile(suffix=".pdf") as file:
                file.write(self.pdf[lang])
                file.flush()
                info = subprocess.run(
                    ["pdfinfo", file.name], capture_output=True, text=True, check=True
                ).stdout
                self.assertIn(f"Title:           {self.docs[lang].title}", info)
                self.assertIn("Tagged:          yes", info)
                self.assertIn("A4", info)
                self.assertTrue(
                    pdf_has_object(self.pdf[lang], f"/Lang ({tag})".encode()),
                    "document language not set",
                )

    def test_the_word_document_uses_heading_styles_and_lists_the_actions_in_order(self):
        for lang in ("nl", "fr"):
            with self.subTest(lang=lang):
                paragraphs = docx_paragraphs(self.docx[lang])
                headings_1 = [text for style, text in paragraphs if style == "Heading 1"]
                labels = LABELS[lang]
                for key in (
                    "addressees",
                    "foreword",
                    "recommendations",
                    "commitments",
                    "references",
                ):
                    self.assertIn(labels[key], headings_1)
                self.assertLess(
                    headings_1.index(labels["recommendations"]),
                    headings_1.index(labels["commitments"]),
                )
                items = self.expected_items(lang)
                headings_2 = [text for style, text in paragraphs if style == "Heading 2"]
                item_headings = [h for h in headings_2 if re.match(r"\d+\. ", h)]
                expected = []
                for _section, item in items:
                    title = getattr(item, f"title_{lang}") or item.title_nl
                    prefix = "" if getattr(item, f"title_{lang}") else "[NL] "
                    expected.append(f"{item.number}. {prefix}{french(title, lang)}")
                self.assertEqual(item_headings, expected)
                # The bullets under each heading are that item's action lines, in order.
                bullets: dict[str, list[str]] = {}
                current = None
                for style, text in paragraphs:
                    if style == "Heading 2" and re.match(r"\d+\. ", text):
                        current = text
                    elif style == "Heading 1":
                        current = None
                    elif style == "List Bullet" and current:
                        bullets.setdefault(current, []).append(text)
                for heading, (_section, item) in zip(expected, items, strict=True):
                    actions_lang = lang if getattr(item, f"actions_{lang}") else "nl"
                    self.assertEqual(
                        bullets.get(heading, []),
                        [french(a["text"], actions_lang) for a in item.action_items(actions_lang)],
                    )
                self.assertIn(("Heading 3", labels["context"]), paragraphs)

    def test_the_word_document_has_a_contents_field_page_numbers_and_properties(self):
        import io
        import zipfile

        import docx

        for lang, tag in (("nl", "nl-BE"), ("fr", "fr-BE")):
            with self.subTest(lang=lang):
                document = docx.Document(io.BytesIO(self.docx[lang]))
                self.assertEqual(document.core_properties.title, self.docs[lang].title)
                self.assertEqual(document.core_properties.language, tag)
                body = document.element.xml
                # Page numbers of the contents are PAGEREF fields (LibreOffice drops them
                # inside a TOC field's stored result), computed when the file is opened.
                self.assertIn("PAGEREF _Toc00001 \\h", body)
                self.assertNotIn(" TOC ", body)
                footer = document.sections[0].footer._element.xml
                self.assertIn(" PAGE ", footer)
                # The contents is filled in, linked to bookmarked headings; tables repeat
                # their header row; the properties describe this file on the edition's date.
                self.assertIn('w:anchor="_Toc00001"', body)
                self.assertIn("<w:tblHeader/>", body)
                self.assertEqual(document.core_properties.created.date(), self.docs[lang].date)
                with zipfile.ZipFile(io.BytesIO(self.docx[lang])) as package:
                    app = package.read("docProps/app.xml").decode()
                    self.assertNotIn("docProps/thumbnail.jpeg", package.namelist())
                self.assertIn("<Application>Memorandum</Application>", app)
