"""manage.py publish: one command per document, clear errors, same data gives the same file."""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command

from memorandum.catalogue.models import Phase
from memorandum.publication.tests.helpers import docx_paragraphs, flat, pdf_text
from memorandum.test import BaseTestCase


class PublishCommandTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)

    def publish(self, *args: str) -> Path:
        path = Path(self.folder.name) / "out"
        call_command("publish", *args, "-o", str(path), stdout=io.StringIO())
        return path

    def test_it_writes_a_pdf_in_french(self):
        path = self.publish("2024-2028", "--format", "pdf", "--lang", "fr")
        self.assertTrue(path.read_bytes().startswith(b"%PDF"))
        self.assertIn("Recommandations aux autorités", flat(pdf_text(path.read_bytes())))

    def test_it_says_how_many_texts_are_shown_in_the_other_language(self):
        out = io.StringIO()
        call_command(
            "publish",
            "2024-2028",
            "--lang",
            "fr",
            "-o",
            str(Path(self.folder.name) / "fr.html"),
            "--format",
            "html",
            stdout=out,
        )
        self.assertRegex(
            out.getvalue(),
            r"\d+ texts are missing in “fr” and are shown in nl instead, marked \[NL\]\.",
        )
        out = io.StringIO()
        call_command(
            "publish",
            "2024-2028",
            "--lang",
            "nl",
            "-o",
            str(Path(self.folder.name) / "nl.html"),
            "--format",
            "html",
            stdout=out,
        )
        self.assertNotIn("missing", out.getvalue())

    def test_it_writes_a_word_document_in_dutch(self):
        path = self.publish("2024-2028", "--format", "docx", "--lang", "nl")
        self.assertIn(
            ("Heading 1", "Aanbevelingen aan de overheden"), docx_paragraphs(path.read_bytes())
        )

    def test_html_is_byte_identical_for_the_same_data(self):
        first = self.publish("2024-2028", "--format", "html", "--lang", "nl").read_bytes()
        second = self.publish("2024-2028", "--format", "html", "--lang", "nl").read_bytes()
        self.assertEqual(first, second)
        self.assertIn(b'<html lang="nl-BE">', first)
        self.assertIn(b"Engagementen van de Lokale Politie", first)

    def test_pdf_and_word_files_are_identical_for_the_same_data(self):
        for fmt, extract in (("pdf", pdf_text), ("docx", docx_paragraphs)):
            with self.subTest(fmt=fmt):
                first = self.publish("2024-2028", "--format", fmt, "--lang", "fr").read_bytes()
                with mock.patch("time.time", return_value=time.time() + 86_400 * 400):
                    second = self.publish("2024-2028", "--format", fmt, "--lang", "fr").read_bytes()
                self.assertEqual(extract(first), extract(second))
                self.assertEqual(first, second)

    def test_it_refuses_an_unknown_edition_format_or_language_and_writes_nothing(self):
        cases = [
            (
                ("1999-2003", "--format", "pdf"),
                "No edition with slug “1999-2003” (known editions: 2024-2028)",
            ),
            (("2024-2028", "--format", "odt"), "Unknown format “odt”: use one of html, pdf, docx"),
            (("2024-2028", "--lang", "de"), "Unknown language “de”: use one of nl, fr"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                with self.assertRaisesMessage(CommandError, message):
                    self.publish(*args)
                self.assertFalse((Path(self.folder.name) / "out").exists())

    def test_it_refuses_a_folder_that_does_not_exist(self):
        with self.assertRaisesMessage(CommandError, "does not exist"):
            call_command(
                "publish", "2024-2028", "-o", "/nonexistent/folder/x.pdf", stdout=io.StringIO()
            )

    def test_it_publishes_an_unpublished_edition_marked_as_a_draft(self):
        self.edition.phase = Phase.CONSOLIDATION
        self.edition.save()
        html = self.publish("2024-2028", "--format", "html").read_text()
        self.assertIn("Ontwerp: deze editie is niet gepubliceerd.", html)


class PublishVersionCommandTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)

    def test_create_publishes_the_next_version_with_its_files_and_hashes(self):
        from memorandum.publication.models import PublicationVersion
        from memorandum.publication.tests.helpers import counted_survey

        survey = counted_survey(self.edition)
        out = io.StringIO()
        call_command("publish", "2024-2028", "--create", "--survey", str(survey.pk), stdout=out)
        version = PublicationVersion.objects.get()
        self.assertEqual((version.number, version.survey), (1, survey))
        self.assertTrue(version.is_rendered)
        self.assertIn("Published version 1 of 2024-2028.", out.getvalue())
        self.assertIn(version.files.get(lang="fr", fmt="pdf").sha256, out.getvalue())
        # The stored file is written byte for byte.
        path = Path(self.folder.name) / "v1.pdf"
        call_command(
            "publish", "2024-2028", "--number", "1", "--lang", "fr", "-o", str(path), stdout=out
        )
        self.assertEqual(path.read_bytes(), bytes(version.files.get(lang="fr", fmt="pdf").content))
        out = io.StringIO()
        call_command("publish", "2024-2028", "--render", "1", stdout=out)
        self.assertIn("Version 1: 0 file(s) rendered.", out.getvalue())

    def test_it_refuses_an_unknown_version_or_survey_with_a_message(self):
        from memorandum.survey.tests.helpers import make_survey

        with self.assertRaisesMessage(CommandError, "has no version 3 (versions: none yet)"):
            call_command("publish", "2024-2028", "--render", "3", stdout=io.StringIO())
        with self.assertRaisesMessage(CommandError, "No survey with id “999”."):
            call_command(
                "publish", "2024-2028", "--create", "--survey", "999", stdout=io.StringIO()
            )
        with self.assertRaisesMessage(CommandError, "has not been closed and counted"):
            call_command(
                "publish",
                "2024-2028",
                "--create",
                "--survey",
                str(make_survey(self.edition).pk),
                stdout=io.StringIO(),
            )
