"""Publication versions: publishing is an explicit, confirmed act; a published file never changes."""

from __future__ import annotations

import hashlib
import io

from django.urls import reverse

from memorandum.catalogue.models import Edition, Phase, Status
from memorandum.publication.models import ImmutableError, PublicationFile, PublicationVersion
from memorandum.publication.services import version_publish, version_render
from memorandum.publication.tests.helpers import counted_survey, flat, pdf_text
from memorandum.test import BaseTestCase, run_queued_tasks


def count_test_survey(edition, zones, orders, **fields):
    """A small survey counted as the secretariat does it: ballots, then close and count."""
    from memorandum.survey import casting, services
    from memorandum.survey.tests.helpers import make_survey

    survey = make_survey(edition, title_nl="Testbevraging", **fields)
    for zone, order in zip(zones, orders, strict=False):
        casting.ballot_save(
            survey=survey, zone=zone, payload={"overall": order, "within": {}}, submit=True
        )
    services.survey_close(survey=survey)
    run_queued_tasks()  # counting may run in the worker
    survey.refresh_from_db()
    return survey


class PublishTestCase(BaseTestCase):
    def memorandum_url(self, lang: str = "nl") -> str:
        return f"/{lang}/editions/{self.edition.slug}/memorandum/"

    def publish_url(self) -> str:
        return f"/nl/editions/{self.edition.slug}/memorandum/publish/"

    def publish(self, survey=None) -> PublicationVersion:
        """As the secretariat: choose, confirm, publish; then let the worker render."""
        self.login(self.secretariat)
        value = str(survey.pk) if survey else "none"
        number = PublicationVersion.objects.filter(edition=self.edition).count() + 1
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                self.publish_url(),
                {"survey": value, "expected_number": number, "confirm": "1"},
            )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        run_queued_tasks()
        return PublicationVersion.objects.get(edition=self.edition, number=number)

    def file(self, version: PublicationVersion, lang: str = "nl", fmt: str = "pdf"):
        url = reverse(
            "publication:version_file", args=[self.edition.slug, version.number, lang, fmt]
        )
        return self.client.get(url)


class PublishingTestCase(PublishTestCase):
    def test_before_the_first_version_the_public_page_says_so_and_offers_no_download(self):
        response = self.client.get(self.memorandum_url())
        self.assertContains(response, "Er is nog geen versie van het memorandum gepubliceerd")
        self.assertNotContains(response, ".pdf")
        edition_page = self.client.get(self.edition.get_absolute_url())
        self.assertNotContains(edition_page, "/memorandum/versions/")
        self.assertEqual(
            self.client.get(
                reverse("publication:download", args=[self.edition.slug, "nl", "pdf"])
            ).status_code,
            404,
        )

    def test_the_secretariat_confirms_what_will_happen_before_publishing(self):
        survey = counted_survey(self.edition)
        self.login(self.secretariat)
        form = self.client.get(self.publish_url())
        self.assertContains(form, "Prioriteitenbevraging 2023")
        self.assertContains(form, 'value="none"')
        confirm = self.client.post(self.publish_url(), {"survey": str(survey.pk)})
        self.assertContains(confirm, "Wat er zal gebeuren")
        self.assertContains(confirm, "Versie 1 van het memorandum wordt aangemaakt")
        self.assertContains(confirm, "7 aanbevelingen aan de overheden")
        self.assertContains(confirm, "<strong>Prioriteitenbevraging 2023</strong>", html=True)
        self.assertFalse(PublicationVersion.objects.exists(), "nothing before confirmation")
        with self.captureOnCommitCallbacks(execute=True):
            done = self.client.post(
                self.publish_url(),
                {"survey": str(survey.pk), "expected_number": "1", "confirm": "1"},
            )
        version = PublicationVersion.objects.get()
        self.assertRedirects(done, version.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(
            (version.number, version.survey, version.published_by), (1, survey, self.secretariat)
        )
        # Rendering happens in the worker: until it ran, the version says so.
        self.assertContains(self.client.get(self.memorandum_url()), "worden aangemaakt")
        self.assertEqual(run_queued_tasks(), 1)
        page = self.client.get(self.memorandum_url())
        pdf = self.file(version)
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertIn('filename="memorandum-2024-2028-v1-nl.pdf"', pdf["Content-Disposition"])
        self.assertContains(page, hashlib.sha256(pdf.content).hexdigest())
        self.assertEqual(version.files.count(), 6)

    def test_a_published_pdf_stays_byte_identical_after_catalogue_changes_and_a_new_survey(self):
        first = self.publish()
        before = self.file(first).content
        item = self.edition.recommendations.get(kind="recommendation", number=1)
        item.title_nl = "Een titel die na het publiceren veranderde"
        item.save()
        count_test_survey(self.edition, self.zones[:3], [["R2", "R1"], ["R2"], ["R1", "R2"]])
        run_queued_tasks()
        version_render(first)  # even rendering again writes nothing new
        after = self.file(first).content
        self.assertEqual(before, after)
        self.assertEqual(
            hashlib.sha256(after).hexdigest(),
            PublicationFile.objects.get(version=first, lang="nl", fmt="pdf").sha256,
        )
        page = self.client.get(self.memorandum_url())
        self.assertNotContains(page, "Testbevraging")
        self.assertNotContains(page, "Een titel die na het publiceren veranderde")

    def test_version_2_chooses_the_new_survey_and_the_public_page_serves_it(self):
        first = self.publish()
        survey = count_test_survey(
            self.edition, self.zones[:3], [["R2", "R1"], ["R2"], ["R1", "R2"]]
        )
        second = self.publish(survey)
        self.assertEqual(second.number, 2)
        self.assertEqual(second.snapshot["survey"]["survey_id"], survey.pk)
        self.client.logout()
        page = self.client.get(self.memorandum_url())
        self.assertContains(page, "Versie 2")
        self.assertContains(page, "Prioriteiten volgens de enquête")
        self.assertContains(
            page, "3 van de 22 politiezones namen deel aan de enquête “Testbevraging”"
        )
        # Version 1 stays as it was, listed with its files and without a survey.
        self.assertContains(page, first.get_absolute_url())
        self.assertContains(page, "Geen enquêteresultaat")
        old = self.client.get(first.get_absolute_url())
        self.assertContains(old, "Dit is een eerdere versie.")
        self.assertNotContains(old, "Testbevraging</")
        second_pdf = flat(pdf_text(self.file(second).content))
        self.assertIn("Prioriteiten volgens de enquête", second_pdf)
        # Each copy says which version it is, on the cover and in the colophon.
        self.assertIn("Versie 2, gepubliceerd op", second_pdf)
        self.assertIn("Version 1, publiée le", flat(pdf_text(self.file(first, "fr").content)))
        self.assertNotIn(
            "Prioriteiten volgens de enquête", flat(pdf_text(self.file(first).content))
        )
        # The edition page's buttons point at the latest version's files.
        edition_page = self.client.get(self.edition.get_absolute_url())
        self.assertContains(edition_page, "/memorandum/versions/2/nl.pdf")
        self.assertNotContains(edition_page, "/memorandum/versions/1/nl.pdf")
        # The old address of a download leads to the latest version's file.
        old_address = reverse("publication:download", args=[self.edition.slug, "fr", "docx"])
        self.assertRedirects(
            self.client.get(old_address),
            reverse("publication:version_file", args=[self.edition.slug, 2, "fr", "docx"]),
        )

    def test_a_survey_whose_scores_are_withheld_is_published_with_its_order_and_no_scores(self):
        from memorandum.survey.models import Anonymity, Weighting

        for number, zone in enumerate(self.zones):
            zone.personnel = 100 + 37 * number
            zone.save()
        survey = count_test_survey(
            self.edition,
            self.zones[::4],  # too few ballots per weight class: the scores are withheld
            [["R2", "R1"]] * 6,
            anonymity=Anonymity.ANONYMOUS,
            weighting=Weighting.PERSONNEL,
        )
        self.assertTrue(survey.latest_tally().results.get("scores_withheld"))
        version = self.publish(survey)
        self.assertEqual(version.files.count(), 6)
        page = self.client.get(self.memorandum_url())
        self.assertContains(page, 'id="priorities"')
        self.assertNotContains(page, '<figure class="chart">')
        self.assertIn("Prioriteiten volgens de enquête", flat(pdf_text(self.file(version).content)))

    def test_the_version_survey_can_be_none_even_when_a_survey_was_counted(self):
        counted_survey(self.edition)
        version = self.publish(None)
        self.assertIsNone(version.snapshot["survey"])
        self.assertNotContains(self.client.get(self.memorandum_url()), 'id="priorities"')

    def test_downloads_carry_their_sha256(self):
        version = self.publish()
        response = self.file(version, "fr", "docx")
        self.assertTrue(response.content.startswith(b"PK"))
        self.assertTrue(response["Repr-Digest"].startswith("sha-256=:"))
        html = self.file(version, "nl", "html")
        self.assertTrue(html["Content-Type"].startswith("text/html"))
        for lang, fmt in (("de", "pdf"), ("nl", "odt")):
            self.assertEqual(self.file(version, lang, fmt).status_code, 404)


class PublishFormErrorsTestCase(PublishTestCase):
    def post(self, value):
        self.login(self.secretariat)
        return self.client.post(
            self.publish_url(), {"survey": value, "expected_number": "1", "confirm": "1"}
        )

    def test_a_survey_of_another_edition_is_refused_with_a_clear_message(self):
        from memorandum.catalogue.synthetic import generate_edition

        other = counted_survey(generate_edition(themes=2, recommendations=4, seed=2))
        response = self.post(str(other.pk))
        self.assertContains(response, "Deze enquête hoort bij een andere editie")
        self.assertFalse(PublicationVersion.objects.exists())

    def test_an_open_survey_is_refused_with_a_clear_message(self):
        from memorandum.survey.tests.helpers import make_survey

        response = self.post(str(make_survey(self.edition).pk))
        self.assertContains(response, "is nog niet afgesloten en geteld")
        self.assertFalse(PublicationVersion.objects.exists())

    def test_a_forged_survey_number_is_refused_with_a_clear_message(self):
        for value, message in (
            ("999999", "Er bestaat geen enquête met dit nummer"),
            ("1; drop", "Kies een enquête uit de lijst"),
        ):
            with self.subTest(value=value):
                self.assertContains(self.post(value), message)
        self.assertFalse(PublicationVersion.objects.exists())

    def test_an_edition_the_public_cannot_see_is_not_published(self):
        Edition.objects.filter(pk=self.edition.pk).update(phase=Phase.CONSOLIDATION)
        response = self.post("none")
        self.assertContains(response, "kan pas worden gepubliceerd als de editie in de fase")
        self.assertFalse(PublicationVersion.objects.exists())

    def test_a_confirmation_made_before_another_publication_asks_again(self):
        self.publish()
        response = self.post("none")  # confirms "version 1", but version 1 exists
        self.assertContains(response, "Versie 2 van het memorandum wordt aangemaakt")
        self.assertEqual(PublicationVersion.objects.count(), 1)


class PermissionsTestCase(PublishTestCase):
    def test_only_the_secretariat_previews_and_publishes(self):
        preview = f"/nl/editions/{self.edition.slug}/memorandum/preview/"
        for url in (preview, self.publish_url()):
            self.client.logout()
            self.assertRedirects(
                self.client.get(url), f"/nl/login/?next={url}", fetch_redirect_response=False
            )
            self.assertEqual(
                self.client.post(url, {"survey": "none", "confirm": "1"}).status_code, 302
            )
            for user in (self.chief, self.assembly, self.partner, self.outsider, self.coordinator):
                with self.subTest(url=url, user=user.username):
                    self.login(user)
                    self.assertEqual(self.client.get(url).status_code, 403)
                    self.assertEqual(
                        self.client.post(url, {"survey": "none", "confirm": "1"}).status_code, 403
                    )
        self.assertFalse(PublicationVersion.objects.exists())
        self.login(self.secretariat)
        self.assertEqual(self.client.get(preview).status_code, 200)

    def test_the_public_sees_no_version_of_an_edition_it_cannot_see(self):
        version = self.publish()
        Edition.objects.filter(pk=self.edition.pk).update(phase=Phase.CONSOLIDATION)
        self.client.logout()
        self.assertEqual(self.client.get(self.memorandum_url()).status_code, 404)
        self.assertEqual(self.file(version).status_code, 404)

    def test_an_unknown_version_is_not_found(self):
        self.publish()
        self.assertEqual(
            self.client.get(f"/nl/editions/{self.edition.slug}/memorandum/versions/7/").status_code,
            404,
        )


class PreviewTestCase(PublishTestCase):
    def test_the_preview_shows_what_the_next_version_changes(self):
        self.publish()
        changed = self.edition.recommendations.get(kind="recommendation", number=1)
        changed.title_nl = changed.title_nl + " en een duurzame toekomst"
        changed.save()
        removed = self.edition.recommendations.get(kind="recommendation", number=2)
        removed.status = Status.POSTPONED
        removed.save()
        survey = counted_survey(self.edition)
        self.login(self.secretariat)
        response = self.client.get(
            f"/nl/editions/{self.edition.slug}/memorandum/preview/?survey={survey.pk}"
        )
        self.assertContains(response, "Voorbeeld van versie 2")
        self.assertContains(response, "Wijzigingen ten opzichte van versie 1")
        self.assertContains(response, "<ins> en een duurzame toekomst</ins>", html=False)
        self.assertContains(
            response, f'<span class="code">R2</span> {removed.title_nl}', html=False
        )
        self.assertContains(response, "Prioriteitenbevraging 2023")
        self.assertContains(response, 'id="priorities"')
        self.assertEqual(PublicationVersion.objects.count(), 1, "a preview publishes nothing")

    def test_a_bad_survey_in_the_preview_is_explained_and_left_out(self):
        self.login(self.secretariat)
        response = self.client.get(
            f"/nl/editions/{self.edition.slug}/memorandum/preview/?survey=abc"
        )
        self.assertContains(response, "Kies een enquête uit de lijst")
        self.assertNotContains(response, 'id="priorities"')


class ImmutabilityTestCase(PublishTestCase):
    def test_a_version_and_its_files_cannot_be_changed(self):
        version = version_publish(edition=self.edition)
        version_render(version)
        version.snapshot = {"items": []}
        with self.assertRaises(ImmutableError):
            version.save()
        file = version.files.first()
        file.content = b"forged"
        with self.assertRaises(ImmutableError):
            file.save()

    def test_rendering_a_version_again_keeps_the_first_files(self):
        version = version_publish(edition=self.edition)
        self.assertEqual(version_render(version), 6)
        hashes = dict(version.files.values_list("fmt", "sha256").filter(lang="fr"))
        self.assertEqual(version_render(version), 0)
        self.assertEqual(dict(version.files.values_list("fmt", "sha256").filter(lang="fr")), hashes)


class EscapingTestCase(PublishTestCase):
    def test_markup_typed_into_a_text_is_shown_not_run_in_a_version_and_the_preview(self):
        item = self.edition.recommendations.get(kind="recommendation", number=1)
        item.title_nl = "Titel <script>alert(1)</script>"
        item.save()
        version = self.publish()
        for url in (
            version.get_absolute_url(),
            f"/nl/editions/{self.edition.slug}/memorandum/preview/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertNotContains(response, "<script>alert(1)</script>")
                self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")


class RenderFailureTestCase(PublishTestCase):
    def test_a_failed_rendering_is_shown_to_the_secretariat_and_can_be_run_again(self):
        from unittest import mock

        from django.core.management import call_command

        version = version_publish(edition=self.edition)
        with (
            mock.patch(
                "memorandum.publication.formats.render", side_effect=RuntimeError("no fonts")
            ),
            self.assertRaises(RuntimeError),
        ):
            version_render(version)
        version.refresh_from_db()
        self.assertFalse(version.is_rendered)
        self.assertContains(self.client.get(self.memorandum_url()), "worden aangemaakt")
        self.login(self.secretariat)
        page = self.client.get(self.memorandum_url())
        self.assertContains(page, "RuntimeError: no fonts")
        self.assertContains(page, "manage.py publish 2024-2028 --render 1")
        call_command("publish", "2024-2028", "--render", "1", stdout=io.StringIO())
        version.refresh_from_db()
        self.assertTrue(version.is_rendered)
        self.assertEqual(version.render_error, "")


class OddAddressesTestCase(PublishTestCase):
    def test_odd_numbers_and_values_give_clear_pages_not_errors(self):
        self.publish()
        base = f"/nl/editions/{self.edition.slug}/memorandum"
        for url in (
            f"{base}/versions/99999999999999999999/",
            f"{base}/versions/99999999999/nl.pdf",
            f"{base}/versions/0/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.secretariat)
        for query in ("?survey=", "?survey=99999999999999999999", "?survey=-1"):
            with self.subTest(query=query):
                self.assertEqual(self.client.get(f"{base}/preview/{query}").status_code, 200)
        response = self.client.post(
            f"{base}/publish/", {"survey": "none", "expected_number": "x", "confirm": "1"}
        )
        self.assertContains(response, "Wat er zal gebeuren")
        self.assertEqual(PublicationVersion.objects.count(), 1)


class SurveyResultSafeguardsTestCase(PublishTestCase):
    def test_an_item_never_put_to_the_zones_and_withheld_scores_never_reach_a_version(self):
        """A tally counted before items were frozen may hold a draft item and raw weighted
        scores: the publication prints what the results page shows, nothing more."""
        import copy

        from memorandum.publication.snapshot import collect_snapshot
        from memorandum.publication.tests.helpers import FAKE_PRIORITIES

        result = copy.deepcopy(FAKE_PRIORITIES)
        result["items"].append(
            {
                "code": "R999",
                "title": "Ontwerp",
                "rank": 3,
                "score": 2653980.0,
                "rank_low": 3,
                "rank_high": 3,
            }
        )
        survey = counted_survey(self.edition, result, legacy=True, weighting="population")
        rows = collect_snapshot(self.edition, survey)["survey"]["rows"]
        self.assertNotIn("R999", [row["code"] for row in rows])
        self.assertEqual({row["score"] for row in rows}, {None})  # weighted, frozen before k
        titles = {row["code"]: row["title"]["nl"] for row in rows}
        self.assertEqual(titles["R1"], "Een optimale en duurzame financiering")  # as voted on
