"""Recording decisions: quorum, majority, and what a carried decision changes."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from memorandum.assembly.models import AgendaItem, Decision
from memorandum.assembly.services import adopted_catalogue, publish_minutes, record_decision
from memorandum.assembly.tests.helpers import item_for, make_meeting
from memorandum.catalogue.models import Phase, Recommendation, Status
from memorandum.catalogue.phases import standing_in
from memorandum.test import BaseTestCase, InEnglish


class DecisionTestCase(InEnglish, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.meeting = make_meeting(self.edition, self.zones)
        self.item = item_for(self.meeting, "R1")
        self.rec = self.item.recommendation
        Recommendation.objects.filter(edition=self.edition).update(status=Status.PROPOSED)
        self.rec.refresh_from_db()

    def decide(self, kind="adopt", votes=(5, 1, 0), item=None, **extra):
        with standing_in(self.edition, Phase.CONSOLIDATION):
            return record_decision(
                item=item or self.item,
                kind=kind,
                votes_for=votes[0],
                votes_against=votes[1],
                abstentions=votes[2],
                by=self.secretariat,
                **extra,
            )

    def publish(self):
        return publish_minutes(meeting=self.meeting, by=self.secretariat)

    def test_a_carried_adoption_adopts_the_recommendation_when_the_minutes_are_published(self):
        decision = self.decide()
        self.rec.refresh_from_db()
        self.assertTrue(decision.carried)
        self.assertEqual(self.rec.status, Status.PROPOSED)
        self.assertIsNone(decision.published_at)
        self.publish()
        decision.refresh_from_db()
        self.rec.refresh_from_db()
        self.assertEqual(self.rec.status, Status.ADOPTED)
        self.assertIsNotNone(decision.published_at)
        latest = self.rec.history.first()
        self.assertEqual(decision.adopted_history_id, latest.history_id)
        self.assertEqual(
            latest.history_change_reason, "Adopted by the General Assembly on 13 June 2023"
        )

    def test_no_decision_without_quorum(self):
        self.meeting.zones_present.set(self.zones[:4])
        with self.assertRaises(ValidationError) as caught:
            self.decide()
        self.assertIn("No quorum: 4 members present, 5 needed", " ".join(caught.exception.messages))
        self.assertFalse(Decision.objects.exists())

    def test_votes_cannot_exceed_the_members_present(self):
        with self.assertRaises(ValidationError) as caught:
            self.decide(votes=(5, 2, 0))
        self.assertIn(
            "7 votes were recorded, more than the members present (6)",
            " ".join(caught.exception.messages),
        )

    def test_a_lost_vote_is_recorded_but_changes_nothing(self):
        decision = self.decide(kind="reject", votes=(2, 3, 1))
        self.assertFalse(decision.carried)
        self.publish()
        self.rec.refresh_from_db()
        self.assertEqual(self.rec.status, Status.PROPOSED)

    def test_the_two_thirds_rule_of_the_meeting_applies(self):
        self.meeting.majority_rule = "two_thirds"
        self.meeting.save()
        self.assertFalse(self.decide(votes=(3, 2, 1)).carried)
        other = item_for(self.meeting, "R2", order=2)
        self.assertTrue(self.decide(item=other, votes=(4, 2, 0)).carried)

    def test_an_amendment_changes_the_text_with_a_reason_and_shows_a_diff(self):
        texts = self.rec.text_in("nl") | {f"{k}_fr": v for k, v in self.rec.text_in("fr").items()}
        texts = {f"{k}_nl" if not k.endswith("_fr") else k: v for k, v in texts.items()}
        texts["title_nl"] = "Een optimale, duurzame en transparante financiering"
        decision = self.decide(kind="amend", texts=texts)
        self.publish()
        decision.refresh_from_db()
        self.rec.refresh_from_db()
        self.assertEqual(self.rec.title_nl, "Een optimale, duurzame en transparante financiering")
        self.assertEqual(self.rec.status, Status.ADOPTED)
        self.assertEqual(
            self.rec.history.first().history_change_reason,
            "Amended by the General Assembly on 13 June 2023",
        )
        diffs = decision.amendment_diffs()
        self.assertEqual(len(diffs), 1)
        self.assertIn("<ins>", str(diffs[0]["diff"]))
        self.assertIn("<del>", str(diffs[0]["diff"]))
        self.assertEqual(
            decision.previous_version().title_nl, "Een optimale en duurzame financiering"
        )

    def test_an_amendment_that_changes_nothing_is_refused(self):
        texts = {
            f"{base}_{lang}": getattr(self.rec, f"{base}_{lang}")
            for base in Recommendation.TEXT_FIELDS
            for lang in ("nl", "fr")
        }
        with self.assertRaises(ValidationError):
            self.decide(kind="amend", texts=texts)

    def test_merge_and_split_update_the_catalogue(self):
        target = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=2)
        self.decide(kind="merge", merge_into=target)
        split_item = item_for(self.meeting, "R3", order=2)
        decision = self.decide(
            kind="split",
            item=split_item,
            split_titles=[("Voertuigen", "Véhicules"), ("Gebouwen", "Bâtiments")],
        )
        self.assertFalse(decision.split_into.exists())
        self.assertEqual(decision.split_parts("fr"), [("", "Véhicules"), ("", "Bâtiments")])
        self.publish()
        self.rec.refresh_from_db()
        self.assertEqual(self.rec.status, Status.MERGED)
        parts = list(decision.split_into.order_by("number"))
        self.assertEqual([p.code for p in parts], ["R8", "R9"])
        self.assertEqual(parts[1].title_fr, "Bâtiments")
        split_item.recommendation.refresh_from_db()
        self.assertEqual(split_item.recommendation.status, Status.WITHDRAWN)

        # The withdrawn and merged recommendations link to their successors, and back.
        self.login(self.chief)  # what a member reads
        page = self.client.get(split_item.recommendation.get_absolute_url())
        for part in parts:
            self.assertContains(page, f'href="{part.get_absolute_url()}"')
        self.assertContains(page, "continued in R8")
        self.assertContains(self.client.get(self.rec.get_absolute_url()), "Merged into R2")
        self.assertContains(self.client.get(parts[0].get_absolute_url()), "split R3")
        self.assertContains(self.client.get(target.get_absolute_url()), "Absorbs R1")

    def test_a_pending_correction_does_not_hide_a_published_merge(self):
        """Until the correction is published, the catalogue still shows the merge: a pending
        decision changes nothing the readers see, the links included."""
        target = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=2)
        merge = self.decide(kind="merge", merge_into=target)
        self.publish()
        self.decide(kind="reject", corrects=merge, reason="Wrongly entered.")
        self.login(self.chief)
        self.assertContains(self.client.get(target.get_absolute_url()), "Absorbs R1")
        self.assertContains(self.client.get(self.rec.get_absolute_url()), "Merged into R2")

    def test_postpone_and_reject_set_the_status(self):
        self.decide(kind="postpone")
        other = item_for(self.meeting, "R2", order=2)
        self.decide(kind="reject", item=other)
        self.publish()
        self.rec.refresh_from_db()
        self.assertEqual(self.rec.status, Status.POSTPONED)
        other.recommendation.refresh_from_db()
        self.assertEqual(other.recommendation.status, Status.REJECTED)

    def test_a_free_item_cannot_be_amended_and_one_decision_per_item(self):
        free = AgendaItem.objects.create(
            meeting=self.meeting, order=5, subject_nl="Resultaten van de enquête"
        )
        with self.assertRaises(ValidationError):
            self.decide(kind="amend", item=free)
        self.decide(kind="adopt", item=free)
        with self.assertRaises(ValidationError):
            self.decide(kind="adopt", item=free)

    def test_the_adopted_catalogue_shows_the_version_the_assembly_adopted(self):
        self.decide()
        self.publish()
        self.rec.refresh_from_db()
        self.rec.title_nl = "Later gewijzigde titel"
        self.rec.save()
        rows = adopted_catalogue(self.edition)
        self.assertEqual(len(rows), 1)
        rec, version, _decision = rows[0]
        self.assertEqual(version.title_nl, "Een optimale en duurzame financiering")
        self.login(self.assembly)
        response = self.client.get(reverse("assembly:adopted", args=[self.edition.slug]))
        self.assertContains(response, "Een optimale en duurzame financiering")
        self.assertNotContains(response, "Later gewijzigde titel")

    def test_the_decision_page_shows_the_reason_it_was_refused_and_keeps_the_input(self):
        self.set_phase(Phase.CONSOLIDATION)
        self.meeting.zones_present.set(self.zones[:2])
        self.login(self.secretariat)
        url = reverse(
            "assembly:decision_new", args=[self.edition.slug, self.meeting.pk, self.item.pk]
        )
        response = self.client.post(
            url, {"kind": "adopt", "votes_for": 2, "votes_against": 0, "abstentions": 0}
        )
        self.assertContains(response, "No quorum")
        self.assertContains(response, 'value="2"')
        self.assertFalse(Decision.objects.exists())

    def test_the_decision_page_records_an_amendment(self):
        self.set_phase(Phase.CONSOLIDATION)
        self.login(self.secretariat)
        url = reverse(
            "assembly:decision_new", args=[self.edition.slug, self.meeting.pk, self.item.pk]
        )
        form = self.client.get(url).context["form"]
        data = {name: form.initial.get(name, "") for name in form.text_columns}
        data.update(
            {
                "kind": "amend",
                "votes_for": 4,
                "votes_against": 1,
                "abstentions": 1,
                "objective_nl": "Nieuwe doelstelling",
            }
        )
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "changes the catalogue when the minutes are published")
        self.assertContains(response, "<ins>Nieuwe</ins>", html=False)
        self.assertContains(response, "<del>Zorgen</del>", html=False)

    def test_outside_the_consolidation_no_decision_is_recorded_and_the_page_says_why(self):
        with self.assertRaises(ValidationError) as caught:
            record_decision(
                item=self.item,
                kind="adopt",
                votes_for=5,
                votes_against=1,
                abstentions=0,
                by=self.secretariat,
            )
        self.assertIn("only be recorded during the consolidation", caught.exception.messages[0])
        self.login(self.secretariat)
        url = reverse(
            "assembly:decision_new", args=[self.edition.slug, self.meeting.pk, self.item.pk]
        )
        response = self.client.post(
            url, {"kind": "adopt", "votes_for": 5, "votes_against": 1, "abstentions": 0}
        )
        self.assertContains(response, "in the phase “Follow-up”")
        self.assertFalse(Decision.objects.exists())
