"""Splitting a broad proposal into narrower new ones, and undoing a split."""

from django.core.exceptions import ValidationError

from memorandum.audit.models import AuditEntry
from memorandum.catalogue.models import Recommendation
from memorandum.consultation.models import Proposal, ProposalStatus, Split
from memorandum.consultation.services import (
    Part,
    merge_proposals,
    split_proposal,
    undo_split,
)
from memorandum.consultation.tests.helpers import make_event, make_proposal
from memorandum.test import BaseTestCase, InEnglish

PARTS = [
    Part(title="Federale dotatie", text="De dotatie moet de opdrachten dekken."),
    Part(title="Indexering", text="De dotatie volgt de index van de lonen."),
]


class SplitTestCase(InEnglish, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.event = make_event(self.edition)
        self.broad = make_proposal(
            self.edition, self.zones[0], event=self.event, participant_name="Korpschef"
        )
        self.base = f"/en/editions/{self.edition.slug}/proposals/{self.broad.pk}"

    def test_a_split_makes_new_proposals_that_keep_the_origin_and_mark_the_original(self):
        split = split_proposal(proposal=self.broad, parts=PARTS, by=self.secretariat)
        self.broad.refresh_from_db()
        self.assertEqual(self.broad.status, ProposalStatus.SPLIT)
        self.assertEqual(self.broad.title, "Herfinanciering van de lokale politie")
        parts = list(split.parts.order_by("pk"))
        self.assertEqual([p.pk for p in parts], split.part_ids)
        self.assertEqual([p.title for p in parts], ["Federale dotatie", "Indexering"])
        for part in parts:
            self.assertEqual(
                (part.zone, part.event, part.domain, part.language, part.status),
                (self.zones[0], self.event, self.broad.domain, "nl", ProposalStatus.NEW),
            )
            self.assertEqual(part.split_from.original, self.broad)
        entry = AuditEntry.objects.get(action="consultation.split")
        self.assertEqual((entry.actor, entry.details["parts"]), (self.secretariat, split.part_ids))

    def test_only_a_new_proposal_is_split_and_into_at_least_two(self):
        with self.assertRaisesMessage(ValidationError, "at least two"):
            split_proposal(proposal=self.broad, parts=PARTS[:1], by=self.secretariat)
        split_proposal(proposal=self.broad, parts=PARTS, by=self.secretariat)
        with self.assertRaisesMessage(ValidationError, "Only a new proposal can be split"):
            split_proposal(proposal=self.broad, parts=PARTS, by=self.secretariat)

    def test_undoing_a_split_removes_the_parts_and_makes_the_original_new(self):
        split = split_proposal(proposal=self.broad, parts=PARTS, by=self.secretariat)
        undo_split(split=split, by=self.secretariat)
        self.broad.refresh_from_db()
        self.assertEqual(self.broad.status, ProposalStatus.NEW)
        self.assertFalse(Proposal.objects.filter(pk__in=split.part_ids).exists())
        split.refresh_from_db()
        self.assertTrue(split.is_undone)
        self.assertEqual(len(split.part_ids), 2)  # the record keeps what it made
        self.assertTrue(AuditEntry.objects.filter(action="consultation.split_undone").exists())
        with self.assertRaisesMessage(ValidationError, "already undone"):
            undo_split(split=split, by=self.secretariat)

    def test_a_split_whose_part_was_merged_is_not_undone(self):
        split = split_proposal(proposal=self.broad, parts=PARTS, by=self.secretariat)
        part = split.parts.first()
        target = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        merge_proposals(proposals=[part], into=target, by=self.secretariat)
        with self.assertRaisesMessage(ValidationError, f"#{part.pk}"):
            undo_split(split=split, by=self.secretariat)
        self.assertEqual(split.parts.count(), 2)

    def test_the_secretariat_splits_through_the_page_with_edited_texts(self):
        self.login(self.secretariat)
        page = self.client.get(f"{self.base}/split/")
        self.assertContains(page, "Part 2")
        self.assertContains(page, "Herfinanciering van de lokale politie", count=3)
        data = {
            "parts-TOTAL_FORMS": "2",
            "parts-INITIAL_FORMS": "0",
            "parts-MIN_NUM_FORMS": "2",
            "parts-MAX_NUM_FORMS": "6",
            "parts-0-title": "Federale dotatie",
            "parts-0-text": "De dotatie moet de opdrachten dekken.",
            "parts-1-title": "Indexering",
            "parts-1-text": "",
        }
        refused = self.client.post(f"{self.base}/split/", data)
        self.assertContains(refused, "This field is required.")
        self.assertEqual(Split.objects.count(), 0)
        more = self.client.post(f"{self.base}/split/", {**data, "more": "1"})
        self.assertContains(more, "Part 3")
        self.assertContains(more, "Federale dotatie")  # what was typed stays
        same = {**data, "parts-1-text": " De dotatie moet de  opdrachten dekken."}
        self.assertContains(self.client.post(f"{self.base}/split/", same), "the same text")
        data["parts-1-text"] = "De dotatie volgt de index."
        response = self.client.post(f"{self.base}/split/", data, follow=True)
        split = Split.objects.get()
        self.assertRedirects(response, f"{self.base}/")
        self.assertContains(response, f"is split into #{split.part_ids[0]}")
        self.assertContains(response, "Splits of this proposal")
        part = self.client.get(f"/en/editions/{self.edition.slug}/proposals/{split.part_ids[1]}/")
        self.assertContains(part, f"Made by splitting proposal #{self.broad.pk}")
        undo = f"/en/editions/{self.edition.slug}/splits/{split.pk}/undo/"
        self.assertContains(self.client.get(undo), "Undo the split")
        self.client.post(undo)
        self.broad.refresh_from_db()
        self.assertEqual(self.broad.status, ProposalStatus.NEW)

    def test_a_corps_chief_may_not_split(self):
        self.login(self.chief)
        self.assertEqual(self.client.get(f"{self.base}/split/").status_code, 403)
        self.assertNotContains(self.client.get(f"{self.base}/"), "Split this proposal")

    def test_the_back_office_shows_a_split_and_cannot_change_it(self):
        split = split_proposal(proposal=self.broad, parts=PARTS, by=self.secretariat)
        self.login(self.secretariat)
        listing = self.client.get("/admin/consultation/split/")
        self.assertContains(listing, str(self.broad))
        page = self.client.get(f"/admin/consultation/split/{split.pk}/change/")
        self.assertEqual(page.status_code, 200)  # shown to read
        self.assertNotContains(page, 'name="_save"')
        self.assertEqual(self.client.get("/admin/consultation/split/add/").status_code, 403)
        self.client.post(f"/admin/consultation/split/{split.pk}/delete/", {"post": "yes"})
        self.assertTrue(type(split).objects.filter(pk=split.pk).exists())
