"""The progress report (PDF, DOCX) and the demo roadmap it is shown with."""

import datetime as dt
import subprocess
import tempfile
from io import BytesIO, StringIO
from pathlib import Path

from django.core.management import call_command

from memorandum.roadmap import report
from memorandum.roadmap.demo import build_demo_roadmap
from memorandum.roadmap.models import Initiative, Measurement, Milestone, Update
from memorandum.test import BaseTestCase


class DemoRoadmapTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_demo_roadmap(cls.edition, seed=3)

    def test_the_demo_is_synthetic_and_can_be_loaded_twice(self):
        counts = (
            Initiative.objects.count(),
            Milestone.objects.count(),
            Measurement.objects.count(),
            Update.objects.count(),
        )
        call_command("demo_roadmap", seed=3, stdout=StringIO())
        self.assertEqual(
            (
                Initiative.objects.count(),
                Milestone.objects.count(),
                Measurement.objects.count(),
                Update.objects.count(),
            ),
            counts,
        )
        self.assertFalse(Initiative.objects.filter(is_synthetic=False).exists())

    def test_the_demo_covers_most_but_not_all_recommendations(self):
        recommendations = self.edition.recommendations.all()
        covered = recommendations.filter(initiatives__isnull=False).distinct().count()
        self.assertGreater(covered, recommendations.count() * 2 // 3)
        self.assertLess(covered, recommendations.count())

    def test_the_demo_has_overdue_milestones_measurements_and_owners(self):
        self.assertTrue(Milestone.objects.overdue().exists())
        self.assertTrue(Measurement.objects.exists())
        self.assertGreaterEqual(self.partner.roadmap_initiatives.count(), 2)
        self.assertEqual(self.chief.roadmap_initiatives.count(), 1)
        self.assertTrue(Update.objects.filter(author=self.partner).exists())

    def test_the_pdf_report_has_the_domains_recommendations_and_initiatives(self):
        content, content_type = report.render(
            self.edition,
            Initiative.objects.all(),
            dt.date(2024, 1, 1),
            dt.date(2025, 12, 31),
            "nl",
            "pdf",
        )
        self.assertEqual(content_type, "application/pdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(content)
            pdf.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", pdf.name, "-"], capture_output=True, text=True, check=True
            ).stdout
        for expected in (
            "Financiering",
            "R2 Elektronische en digitale uitdagingen",
            "Uitrol van i-Police",
            "Zones aangesloten op i-Police",
            "Laadinfrastructuur in kaart gebracht",
            "Pilootzones in productie",
            "C2 Evolutie van het politiemodel",
        ):
            self.assertIn(expected, " ".join(text.split()), expected)

    def test_the_french_docx_report_uses_real_headings(self):
        from docx import Document

        content, _type = report.render(
            self.edition,
            Initiative.objects.all(),
            dt.date(2025, 1, 1),
            dt.date(2025, 12, 31),
            "fr",
            "docx",
        )
        document = Document(BytesIO(content))
        headings = [
            (p.style.name, p.text)
            for p in document.paragraphs
            if p.style.name.startswith(("Heading", "Title"))
        ]
        styles = {style for style, _text in headings}
        self.assertTrue({"Title", "Heading 1", "Heading 2", "Heading 3"} <= styles, styles)
        texts = [text for _style, text in headings]
        self.assertIn("5. Digitalisation et IT", texts)
        self.assertEqual(texts[0], "Rapport d'avancement Mémorandum de la Police locale 2024-2028")
        self.assertTrue(
            any(
                text.startswith("Déploiement d'i-Police dans les zones de police locale (")
                for text in texts
            )
        )

    def test_the_report_command_writes_a_file(self):
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "rapport.docx"
            call_command(
                "roadmap_report",
                "2024-2028",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
                "--lang",
                "fr",
                "--format",
                "docx",
                "-o",
                str(target),
                stdout=StringIO(),
            )
            self.assertTrue(target.read_bytes().startswith(b"PK"))

    def test_the_report_page_validates_the_period_and_downloads(self):
        self.login(self.secretariat)
        page = "/nl/editions/2024-2028/roadmap/report/"
        response = self.client.get(
            page,
            {"date_from": "2025-12-31", "date_to": "2025-01-01", "language": "nl", "format": "pdf"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("date_to", response.context["form"].errors)
        response = self.client.get(
            page,
            {
                "date_from": "2025-01-01",
                "date_to": "2025-12-31",
                "language": "fr",
                "format": "docx",
            },
        )
        self.assertEqual(response["Content-Type"], report.DOCX)
        self.assertIn("attachment;", response["Content-Disposition"])
