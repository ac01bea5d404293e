"""Who may read and change what, per role."""

from memorandum.catalogue.models import Phase
from memorandum.roadmap.models import Initiative
from memorandum.roadmap.tests.base import RoadmapTestCase


def url(initiative, suffix: str = "") -> str:
    return f"/nl/editions/{initiative.edition.slug}/roadmap/initiatives/{initiative.pk}/{suffix}"


class ReadingTestCase(RoadmapTestCase):
    def test_the_public_reads_only_public_initiatives(self):
        self.assertEqual(self.client.get(url(self.public_initiative)).status_code, 200)
        self.assertEqual(self.client.get(url(self.private_initiative)).status_code, 404)
        dashboard = self.client.get("/nl/editions/2024-2028/roadmap/").content.decode()
        self.assertIn("Nieuwe financieringswet", dashboard)
        self.assertNotIn("Interne pilot", dashboard)

    def test_an_account_without_a_role_reads_like_the_public(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(url(self.private_initiative)).status_code, 404)
        self.assertEqual(
            list(Initiative.objects.visible_to(self.outsider)), [self.public_initiative]
        )

    def test_members_with_a_role_read_every_initiative(self):
        for user in (self.partner, self.chief, self.coordinator, self.assembly, self.secretariat):
            self.login(user)
            self.assertEqual(
                self.client.get(url(self.private_initiative)).status_code, 200, user.username
            )

    def test_public_initiatives_of_an_unpublished_edition_stay_hidden(self):
        self.edition.phase = Phase.CONSOLIDATION
        self.edition.save()
        self.assertEqual(self.client.get(url(self.public_initiative)).status_code, 404)
        self.login(self.partner)  # partners only see published editions
        self.assertEqual(self.client.get(url(self.public_initiative)).status_code, 404)
        self.login(self.secretariat)
        self.assertEqual(self.client.get(url(self.public_initiative)).status_code, 200)

    def test_the_public_export_holds_only_public_initiatives(self):
        from io import BytesIO

        from openpyxl import load_workbook

        content = self.client.get("/nl/editions/2024-2028/roadmap/opvolgformulier.xlsx").content
        titles = [
            row[2]
            for row in load_workbook(BytesIO(content))["initiatives"].iter_rows(
                min_row=2, values_only=True
            )
        ]
        self.assertEqual(titles, ["Nieuwe financieringswet"])


class ChangingTestCase(RoadmapTestCase):
    def post_update(self, initiative):
        return self.client.post(
            url(initiative, "update/"),
            {"date": "2025-05-01", "text": "Stand van zaken", "status": "at_risk"},
        )

    def test_owners_edit_their_own_initiative(self):
        self.login(self.chief)
        self.assertEqual(self.client.get(url(self.public_initiative, "edit/")).status_code, 200)
        self.assertRedirects(self.post_update(self.public_initiative), url(self.public_initiative))
        self.public_initiative.refresh_from_db()
        self.assertEqual(self.public_initiative.status, "at_risk")

    def test_another_chief_cannot_change_it(self):
        self.login(self.other_chief)
        self.assertEqual(self.client.get(url(self.public_initiative, "edit/")).status_code, 403)
        self.assertEqual(self.post_update(self.public_initiative).status_code, 403)
        self.assertEqual(
            self.client.post(
                url(self.public_initiative, "milestones/new/"),
                {"title_nl": "x", "due_date": "2026-01-01"},
            ).status_code,
            403,
        )
        self.assertEqual(
            self.client.post(
                url(self.public_initiative, "measurements/new/"),
                {"indicator": self.indicator.pk, "date": "2025-01-01", "value": "3"},
            ).status_code,
            403,
        )
        self.assertEqual(
            self.client.post(
                url(self.public_initiative, f"milestones/{self.milestone.pk}/done/"),
                {"done_date": "2025-01-01"},
            ).status_code,
            403,
        )
        self.public_initiative.refresh_from_db()
        self.assertEqual(self.public_initiative.status, "ongoing")
        self.assertFalse(self.public_initiative.milestones.filter(done_date__isnull=False).exists())

    def test_a_partner_who_owns_nothing_only_reads(self):
        self.login(self.partner)
        page = self.client.get(url(self.public_initiative)).content.decode()
        self.assertNotIn(url(self.public_initiative, "update/"), page)
        self.assertNotIn("Voortgangsbericht vastleggen", page)
        self.assertEqual(self.post_update(self.public_initiative).status_code, 403)
        self.assertEqual(
            self.client.get("/nl/editions/2024-2028/roadmap/initiatives/new/").status_code, 403
        )

    def test_a_partner_may_raise_a_point_of_attention(self):
        self.login(self.partner)
        response = self.client.post(
            url(self.public_initiative, "points/new/"), {"text": "Budget ontbreekt"}
        )
        self.assertRedirects(response, url(self.public_initiative))
        self.assertEqual(self.public_initiative.points_of_attention.get().raised_by, self.partner)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.post_update(self.public_initiative)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_the_secretariat_changes_everything_and_creates_initiatives(self):
        self.login(self.secretariat)
        self.assertRedirects(
            self.post_update(self.private_initiative), url(self.private_initiative)
        )
        response = self.client.post(
            "/nl/editions/2024-2028/roadmap/initiatives/new/",
            {
                "title_nl": "Opleiding cyber",
                "lead_organisation": "VCLP",
                "start_date": "2025-01-01",
                "status": "planned",
                "progress": "0",
                "serves": [f"{self.r2.pk}:1", f"{self.r2.pk}:3", str(self.r1.pk)],
                "owners": [self.partner.pk],
                "is_public": "on",
            },
        )
        created = Initiative.objects.get(title_nl="Opleiding cyber")
        self.assertRedirects(response, url(created))
        self.assertEqual(created.serves(), ["R1", "R2.1", "R2.3"])
        self.assertTrue(created.can_edit(self.partner))

    def test_owners_cannot_change_owners_or_publication(self):
        self.login(self.other_chief)
        self.client.post(
            url(self.private_initiative, "edit/"),
            {
                "title_nl": "Interne pilot i-Police",
                "lead_organisation": "Federale Politie",
                "start_date": "2024-06-01",
                "serves": [str(self.r2.pk)],
                "is_public": "on",
                "owners": [self.partner.pk],
            },
        )
        self.private_initiative.refresh_from_db()
        self.assertFalse(self.private_initiative.is_public)
        self.assertEqual(list(self.private_initiative.owners.all()), [self.other_chief])
        self.assertEqual(self.private_initiative.serves(), ["R2"])

    def test_attachments_follow_the_initiative_permissions(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        update = self.record(
            self.private_initiative,
            self.other_chief,
            attachment=SimpleUploadedFile("verslag.pdf", b"%PDF-1.4 test", "application/pdf"),
        )
        from django.conf import settings

        self.assertTrue(update.attachment.path.startswith(settings.ROADMAP_ATTACHMENTS_ROOT))
        self.assertFalse(update.attachment.path.startswith(str(settings.MEDIA_ROOT)))
        path = url(self.private_initiative, f"updates/{update.pk}/attachment/")
        self.assertEqual(self.client.get(path).status_code, 404)
        self.login(self.partner)
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 test")


class BackOfficeTestCase(RoadmapTestCase):
    def test_the_secretariat_opens_an_initiative_with_an_attachment_in_the_back_office(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        update = self.record(
            self.public_initiative,
            self.chief,
            attachment=SimpleUploadedFile("nota.txt", b"tekst", "text/plain"),
        )
        self.login(self.secretariat)
        response = self.client.get(f"/admin/roadmap/initiative/{self.public_initiative.pk}/change/")
        self.assertContains(
            response, url(self.public_initiative, f"updates/{update.pk}/attachment/")
        )
