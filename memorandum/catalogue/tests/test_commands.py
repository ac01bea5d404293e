import io
import json
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from memorandum.catalogue.exchange import catalogue_tables
from memorandum.catalogue.models import Edition, PoliceZone, Province, Recommendation
from memorandum.test import BaseTestCase


@pytest.fixture(autouse=True)
def _english_messages(english):
    """These tests read the import messages in English."""


@override_settings(DEBUG=True)
class LoadDemoTestCase(TestCase):
    def test_it_loads_the_edition_zones_and_accounts_and_is_idempotent(self):
        call_command("load_demo", stdout=io.StringIO())
        versions = Recommendation.history.count()
        call_command("load_demo", stdout=io.StringIO())
        self.assertEqual(
            Recommendation.history.count(), versions, "a second load made new versions"
        )
        edition = Edition.objects.get(slug="2024-2028")
        self.assertEqual(edition.recommendations.filter(kind="recommendation").count(), 7)
        self.assertEqual(edition.recommendations.filter(kind="commitment").count(), 5)
        self.assertEqual(PoliceZone.objects.count(), 185)
        self.assertEqual(Province.objects.count(), 11)
        self.assertEqual(edition.timeline.count(), 7)
        from django.contrib.auth import get_user_model

        for name in ("secretariat", "chief", "assembly", "partner"):
            self.assertTrue(get_user_model().objects.get(username=name).check_password("demo"))

    @override_settings(DEBUG=False)
    def test_it_refuses_to_run_in_production(self):
        with self.assertRaises(CommandError):
            call_command("load_demo", stdout=io.StringIO())


class GenerateSyntheticTestCase(TestCase):
    def test_it_builds_a_full_scale_labelled_edition(self):
        call_command(
            "generate_synthetic",
            "--zones",
            "185",
            "--themes",
            "21",
            "--recommendations",
            "219",
            "--seed",
            "3",
            stdout=io.StringIO(),
        )
        edition = Edition.objects.get(slug="synthetic-3")
        self.assertTrue(edition.is_synthetic)
        self.assertEqual(edition.domains.count(), 10)
        self.assertEqual(sum(d.themes.count() for d in edition.domains.all()), 21)
        self.assertEqual(edition.recommendations.count(), 219)
        self.assertTrue(all(edition.recommendations.values_list("is_synthetic", flat=True)))
        zones = PoliceZone.objects.all()
        self.assertEqual(zones.count(), 185)
        self.assertEqual(
            {z.province.code for z in zones},
            {"ANT", "LIM", "OVL", "WVL", "VBR", "BRU", "WBR", "HAI", "LIE", "LUX", "NAM"},
        )
        self.assertTrue(all(z.is_synthetic and "synthetic" in z.name for z in zones))
        self.assertGreater(max(z.population for z in zones), 150_000)
        self.assertLess(min(z.population for z in zones), 20_000)
        self.assertTrue(edition.recommendations.search("synthetisch").exists())

    def test_the_same_seed_gives_the_same_data(self):
        call_command(
            "generate_synthetic", "--recommendations", "30", "--seed", "5", stdout=io.StringIO()
        )
        first = list(
            Recommendation.objects.order_by("kind", "number").values_list("title_nl", flat=True)
        )
        call_command(
            "generate_synthetic", "--recommendations", "30", "--seed", "5", stdout=io.StringIO()
        )
        self.assertEqual(
            first,
            list(
                Recommendation.objects.order_by("kind", "number").values_list("title_nl", flat=True)
            ),
        )

    def test_bad_numbers_are_refused(self):
        with self.assertRaises(CommandError):
            call_command("generate_synthetic", "--recommendations", "0", stdout=io.StringIO())


class ExportImportCommandTestCase(BaseTestCase):
    def test_export_then_import_round_trips(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "c.xlsx"
            call_command(
                "export_catalogue",
                "2024-2028",
                "--format",
                "xlsx",
                "-o",
                str(path),
                stdout=io.StringIO(),
            )
            copy = Edition.objects.create(
                slug="copy", title_nl="Kopie", period_start=2024, period_end=2028
            )
            out = io.StringIO()
            call_command("import_catalogue", "copy", str(path), stdout=out)
            self.assertIn("'recommendations': 12", out.getvalue())
            self.assertEqual(catalogue_tables(copy), catalogue_tables(self.edition))
            versions = Recommendation.history.count()
            out = io.StringIO()
            call_command("import_catalogue", "2024-2028", str(path), stdout=out)
            self.assertIn("created {}, updated {}", out.getvalue())
            self.assertEqual(Recommendation.history.count(), versions)

    def test_import_of_a_bad_file_says_where(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "c.json"
            document = json.loads(
                call_command_output("export_catalogue", "2024-2028", "--format", "json", "-o", "-")
            )
            document["recommendations"][2]["domain"] = 77
            path.write_text(json.dumps(document))
            with self.assertRaisesMessage(CommandError, "recommendations, row 3, column “domain”"):
                call_command("import_catalogue", "2024-2028", str(path), stdout=io.StringIO())

    def test_unknown_edition(self):
        with self.assertRaisesMessage(CommandError, "No edition"):
            call_command("export_catalogue", "1999", "-o", "-", stdout=io.StringIO())


def call_command_output(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
