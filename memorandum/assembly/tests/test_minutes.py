"""Minutes as PDF and DOCX, in Dutch and French."""

import io
import subprocess
import tempfile

from django.urls import reverse
from docx import Document

from memorandum.assembly.services import publish_minutes, record_decision
from memorandum.assembly.tests.helpers import item_for, make_meeting
from memorandum.catalogue.models import Phase, Recommendation, Status
from memorandum.catalogue.phases import standing_in
from memorandum.test import BaseTestCase, InEnglish


def pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], capture_output=True, text=True, check=True
        ).stdout


class MinutesTestCase(InEnglish, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Recommendation.objects.filter(edition=cls.edition).update(status=Status.PROPOSED)
        cls.meeting = make_meeting(cls.edition, cls.zones, is_synthetic=True)
        item = item_for(cls.meeting, "R1")
        rec = item.recommendation
        texts = {
            f"{b}_{lang}": getattr(rec, f"{b}_{lang}")
            for b in Recommendation.TEXT_FIELDS
            for lang in ("nl", "fr")
        }
        texts["title_nl"] = "Een optimale, duurzame en transparante financiering"
        texts["title_fr"] = "Un financement optimal, durable et transparent"
        with standing_in(cls.edition, Phase.CONSOLIDATION):
            record_decision(
                item=item,
                kind="amend",
                votes_for=5,
                votes_against=1,
                abstentions=0,
                by=cls.secretariat,
                texts=texts,
            )
        with standing_in(cls.edition, Phase.CONSOLIDATION):
            record_decision(
                item=item_for(cls.meeting, "R2", order=2),
                kind="reject",
                votes_for=1,
                votes_against=4,
                abstentions=1,
                by=cls.secretariat,
            )
        publish_minutes(meeting=cls.meeting, by=cls.secretariat)

    def get(self, lang, fmt):
        return self.client.get(
            reverse("assembly:minutes", args=[self.edition.slug, self.meeting.pk, lang, fmt])
        )

    def test_the_pdf_minutes_show_attendance_votes_results_and_the_amendment(self):
        response = self.get("nl", "pdf")
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = " ".join(pdf_text(response.content).split())
        for expected in (
            "Notulen van de Algemene Vergadering",
            "6 leden aanwezig van de 10; quorum: 5",
            "S001",
            "S006",
            "13 juni 2023 14:00",
            "Geamendeerd aannemen — Aangenomen",
            "5 voor, 1 tegen",
            "R2 Elektronische",
            "Verwerpen — Verworpen",
            "[+transparante]",
        ):
            self.assertIn(expected, text)

    def test_the_french_pdf_uses_the_french_texts(self):
        text = " ".join(pdf_text(self.get("fr", "pdf").content).split())
        self.assertIn("Procès-verbal de l'Assemblée générale", text)
        self.assertIn("6 membres présents sur 10", text)
        self.assertIn("transparent", text)
        self.assertIn("Un financement optimal", text)

    def test_the_docx_minutes_have_real_headings_and_mark_the_amendment(self):
        response = self.get("nl", "docx")
        document = Document(io.BytesIO(response.content))
        headings = [
            (p.style.name, p.text)
            for p in document.paragraphs
            if p.style.name.startswith(("Heading", "Title"))
        ]
        self.assertEqual(headings[0][0], "Title")
        self.assertIn("Heading 1", {style for style, _ in headings})
        self.assertTrue(
            any(style == "Heading 2" and text.startswith("1. R1") for style, text in headings)
        )
        struck = [r.text for p in document.paragraphs for r in p.runs if r.font.strike]
        underlined = [r.text for p in document.paragraphs for r in p.runs if r.font.underline]
        self.assertTrue(struck)
        self.assertTrue(any("transparante" in t for t in underlined))
        body = "\n".join(p.text for p in document.paragraphs)
        self.assertIn("S001", body)

    def test_unpublished_minutes_are_not_public(self):
        self.meeting.published = False
        self.meeting.save()
        self.assertEqual(self.get("nl", "pdf").status_code, 404)
        self.login(self.assembly)
        self.assertEqual(self.get("nl", "pdf").status_code, 200)

    def test_an_unknown_language_or_format_is_not_found(self):
        self.assertEqual(self.get("de", "pdf").status_code, 404)
        self.assertEqual(self.get("nl", "odt").status_code, 404)


class AttendeeNamesTestCase(InEnglish, BaseTestCase):
    def test_visitors_see_the_organisation_of_members_present_unless_they_opted_in(self):
        meeting = make_meeting(self.edition, self.zones)
        self.assembly.first_name, self.assembly.last_name = "Adam", "Assemblee"
        self.assembly.save()
        self.partner.groups.add(*self.assembly.groups.all())
        meeting.members_present.add(self.assembly, self.partner)
        publish_minutes(meeting=meeting, by=self.secretariat)
        page_url = reverse("assembly:meeting", args=[self.edition.slug, meeting.pk])
        page = self.client.get(page_url)
        self.assertNotContains(page, "Adam Assemblee")
        self.assertContains(page, "Federale Politie")
        docx = self.client.get(
            reverse("assembly:minutes", args=[self.edition.slug, meeting.pk, "nl", "docx"])
        )
        body = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
        self.assertNotIn("Adam Assemblee", body)
        self.assembly.profile.show_name_publicly = True
        self.assembly.profile.save()
        self.assertContains(self.client.get(page_url), "Adam Assemblee")
