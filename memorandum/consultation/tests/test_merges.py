"""Merging proposals into recommendations, and undoing a merge."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from memorandum.catalogue.models import Recommendation, Status
from memorandum.consultation.models import Merge, ProposalStatus, provenance
from memorandum.consultation.services import merge_proposals, undo_merge
from memorandum.consultation.tests.helpers import (
    make_event,
    make_proposal,
    recommendation,
)
from memorandum.test import BaseTestCase, InEnglish


class MergeTestCase(InEnglish, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.event = make_event(self.edition)
        self.first = make_proposal(self.edition, self.zones[0], event=self.event)
        self.second = make_proposal(self.edition, self.zones[1], title="Hogere federale dotatie")
        self.third = make_proposal(self.edition, self.zones[1], title="Nog een voorstel")

    def test_merging_into_an_existing_recommendation_links_the_proposals_and_keeps_their_text(self):
        target = recommendation(self.edition, "R1")
        versions = target.history.count()
        merge = merge_proposals(
            proposals=[self.first, self.second], into=target, by=self.secretariat
        )
        self.first.refresh_from_db()
        self.assertEqual(self.first.status, ProposalStatus.MERGED)
        self.assertEqual(self.first.merged_into, target)
        self.assertEqual(self.first.title, "Herfinanciering van de lokale politie")
        self.assertEqual(merge.history_id_before, target.history.first().history_id)
        self.assertEqual(target.history.count(), versions)
        self.assertEqual(set(merge.proposals.all()), {self.first, self.second})

    def test_provenance_counts_distinct_zones_and_lists_events(self):
        target = recommendation(self.edition, "R1")
        merge_proposals(
            proposals=[self.first, self.second, self.third], into=target, by=self.secretariat
        )
        origin = provenance(target)
        self.assertEqual(origin["zone_count"], 2)
        self.assertEqual(origin["events"], [self.event])
        self.assertEqual(len(origin["proposals"]), 3)

    def test_merging_into_a_new_recommendation_creates_it_with_the_next_number(self):
        domain = self.edition.domains.get(number=3)
        merge = merge_proposals(
            proposals=[self.first],
            into={"domain": domain, "title_nl": "Een nieuwe aanbeveling"},
            by=self.secretariat,
        )
        created = merge.recommendation
        self.assertEqual(created.number, 8)
        self.assertEqual(created.status, Status.PROPOSED)
        self.assertTrue(merge.created_recommendation)
        self.assertIsNone(merge.history_id_before)
        self.assertEqual(created.history.first().history_user, self.secretariat)

    def test_a_merged_proposal_cannot_be_merged_again(self):
        merge_proposals(
            proposals=[self.first], into=recommendation(self.edition, "R1"), by=self.secretariat
        )
        with self.assertRaises(ValidationError):
            merge_proposals(
                proposals=[self.first], into=recommendation(self.edition, "R2"), by=self.secretariat
            )

    def test_undoing_a_merge_restores_the_proposals_and_keeps_a_trace(self):
        target = recommendation(self.edition, "R1")
        merge = merge_proposals(
            proposals=[self.first, self.second], into=target, by=self.secretariat
        )
        undo_merge(merge=merge, by=self.secretariat)
        self.first.refresh_from_db()
        self.assertEqual(self.first.status, ProposalStatus.NEW)
        self.assertIsNone(self.first.merged_into)
        merge.refresh_from_db()
        self.assertTrue(merge.is_undone)
        self.assertEqual(merge.undone_by, self.secretariat)
        self.assertEqual(merge.proposals.count(), 2)
        self.assertTrue(Recommendation.objects.filter(pk=target.pk).exists())
        with self.assertRaises(ValidationError):
            undo_merge(merge=merge, by=self.secretariat)

    def test_undoing_removes_a_recommendation_the_merge_created(self):
        domain = self.edition.domains.get(number=3)
        merge = merge_proposals(
            proposals=[self.first],
            into={"domain": domain, "title_nl": "Nieuw"},
            by=self.secretariat,
        )
        pk = merge.recommendation.pk
        undo_merge(merge=merge, by=self.secretariat)
        self.assertFalse(Recommendation.objects.filter(pk=pk).exists())
        merge.refresh_from_db()
        self.assertEqual(merge.recommendation_code, "R8")
        self.assertIn("R8", merge.undo_note)
        # The history of the removed recommendation is still there: nothing is lost.
        self.assertTrue(Recommendation.history.filter(id=pk, history_type="-").exists())

    def test_undoing_keeps_a_created_recommendation_that_other_proposals_joined(self):
        domain = self.edition.domains.get(number=3)
        merge = merge_proposals(
            proposals=[self.first],
            into={"domain": domain, "title_nl": "Nieuw"},
            by=self.secretariat,
        )
        merge_proposals(proposals=[self.second], into=merge.recommendation, by=self.secretariat)
        undo_merge(merge=merge, by=self.secretariat)
        self.assertTrue(Recommendation.objects.filter(pk=merge.recommendation_id).exists())
        self.second.refresh_from_db()
        self.assertEqual(self.second.status, ProposalStatus.MERGED)

    def test_the_secretariat_merges_from_the_page_and_lands_on_the_provenance(self):
        self.login(self.secretariat)
        url = reverse("consultation:merge", args=[self.edition.slug])
        response = self.client.get(url, {"proposals": [self.first.pk, self.second.pk]})
        self.assertContains(response, "Herfinanciering van de lokale politie")
        target = recommendation(self.edition, "R1")
        response = self.client.post(
            url,
            {"confirm": "1", "proposals": [self.first.pk, self.second.pk], "target": target.pk},
            follow=True,
        )
        self.assertRedirects(
            response, reverse("consultation:provenance", args=[self.edition.slug, "R1"])
        )
        self.assertContains(response, str(self.zones[0]))
        self.assertEqual(Merge.objects.count(), 1)

    def test_a_new_recommendation_needs_a_domain_and_a_dutch_title(self):
        self.login(self.secretariat)
        url = reverse("consultation:merge", args=[self.edition.slug])
        response = self.client.post(
            url, {"confirm": "1", "proposals": [self.first.pk], "title_fr": "Titre"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Dutch title")
        self.assertEqual(Merge.objects.count(), 0)

    def test_undo_from_the_merges_page(self):
        merge = merge_proposals(
            proposals=[self.first], into=recommendation(self.edition, "R2"), by=self.secretariat
        )
        self.login(self.secretariat)
        response = self.client.post(
            reverse("consultation:merge_undo", args=[self.edition.slug, merge.pk]), follow=True
        )
        self.assertContains(response, "Undone on")
        self.first.refresh_from_db()
        self.assertEqual(self.first.status, ProposalStatus.NEW)

    def test_undo_asks_for_confirmation_and_says_what_will_happen(self):
        merge = merge_proposals(
            proposals=[self.first, self.second],
            into={"domain": self.edition.domains.first(), "title_nl": "Nieuwe aanbeveling"},
            by=self.secretariat,
        )
        code = merge.recommendation.code
        self.login(self.secretariat)
        url = reverse("consultation:merge_undo", args=[self.edition.slug, merge.pk])
        self.assertContains(
            self.client.get(reverse("consultation:merges", args=[self.edition.slug])), url
        )
        page = self.client.get(url)
        self.assertContains(page, f"2 proposals are unlinked from {code} and become new again.")
        self.assertContains(page, f"Recommendation {code}, created by the merge, will be removed.")
        self.assertContains(page, "cannot be undone")
        self.first.refresh_from_db()
        self.assertEqual(self.first.status, ProposalStatus.MERGED)  # looking changes nothing
        self.client.post(url)
        self.first.refresh_from_db()
        self.assertEqual(self.first.status, ProposalStatus.NEW)
        self.assertFalse(
            Recommendation.objects.filter(
                edition=self.edition, title_nl="Nieuwe aanbeveling"
            ).exists()
        )

    def test_the_confirmation_says_when_a_created_recommendation_is_kept(self):
        merge = merge_proposals(
            proposals=[self.first],
            into={"domain": self.edition.domains.first(), "title_nl": "Nieuwe aanbeveling"},
            by=self.secretariat,
        )
        merge_proposals(proposals=[self.second], into=merge.recommendation, by=self.secretariat)
        self.login(self.secretariat)
        page = self.client.get(
            reverse("consultation:merge_undo", args=[self.edition.slug, merge.pk])
        )
        self.assertContains(page, "will be kept: other proposals are merged into it")

    def test_the_merges_page_has_a_pager_past_fifty(self):
        target = recommendation(self.edition, "R1")
        Merge.objects.bulk_create(
            Merge(
                edition=self.edition,
                recommendation=target,
                recommendation_code="R1",
                merged_by=self.secretariat,
            )
            for _ in range(51)
        )
        self.login(self.secretariat)
        url = reverse("consultation:merges", args=[self.edition.slug])
        self.assertContains(self.client.get(url), "Page 1 of 2")
        self.assertContains(self.client.get(url, {"page": 2}), "Page 2 of 2")
