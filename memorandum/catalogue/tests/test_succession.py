"""Starting the next edition from this one: what is copied, carried over, refused, and what
changed since (catalogue/succession.py with the follow-up rule of roadmap/succession.py)."""

import datetime as dt
from unittest import mock

from django.core.exceptions import ValidationError
from django.utils import translation

from memorandum.audit.models import Action, AuditEntry
from memorandum.catalogue.models import Edition, Phase, Recommendation, Status, Theme
from memorandum.catalogue.succession import (
    changes_since_previous,
    edition_start_next,
    succession_plan,
)
from memorandum.roadmap.models import Initiative, InitiativeLink, Milestone
from memorandum.test import BaseTestCase

TEXTS = {"title_nl": "Memorandum 2029-2033", "title_fr": "Mémorandum 2029-2033"}


class SuccessionTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        items = Recommendation.objects.filter(edition=cls.edition)
        cls.r1 = items.get(kind="recommendation", number=1)
        cls.r2 = items.get(kind="recommendation", number=2)
        cls.r3 = items.get(kind="recommendation", number=3)
        cls.c1 = items.get(kind="commitment", number=1)
        domain = cls.r1.domain
        cls.theme = Theme.objects.create(domain=domain, number=1, name_nl="Financiering")
        Recommendation.objects.filter(pk=cls.r1.pk).update(theme=cls.theme)
        # R1: its one initiative is done -> achieved.
        cls.done = cls.initiative("Klaar", "done", 100, cls.r1)
        # R2: one done initiative on line 1 only, of several lines -> not achieved.
        cls.partial = cls.initiative("Deels", "done", 100, cls.r2, lines=[1])
        # R3: a running initiative -> carried over, with the initiative.
        cls.running = cls.initiative("Loopt", "ongoing", 40, cls.r3)
        Milestone.objects.create(
            initiative=cls.running, title_nl="Open", due_date=dt.date(2029, 6, 1)
        )
        Milestone.objects.create(
            initiative=cls.running,
            title_nl="Gehaald",
            due_date=dt.date(2025, 1, 1),
            done_date=dt.date(2025, 1, 2),
        )
        # C1: only a dropped initiative -> not achieved.
        cls.dropped = cls.initiative("Gestopt", "dropped", 10, cls.c1)

    @classmethod
    def initiative(cls, title, status, progress, recommendation, lines=()):
        initiative = Initiative.objects.create(
            edition=cls.edition,
            title_nl=title,
            lead_organisation="VCLP",
            start_date=dt.date(2024, 3, 1),
            status=status,
            progress=progress,
        )
        initiative.owners.add(cls.chief)
        InitiativeLink.objects.create(
            initiative=initiative, recommendation=recommendation, action_lines=list(lines)
        )
        return initiative

    def start(self, **overrides):
        values = {
            "source": self.edition,
            "slug": "2029-2033",
            "texts": TEXTS,
            "period_start": 2029,
            "period_end": 2033,
            "by": self.secretariat,
        }
        return edition_start_next(**(values | overrides))

    def test_the_plan_carries_over_what_the_follow_up_does_not_show_achieved(self):
        plan = succession_plan(self.edition)
        self.assertEqual([r.code for r in plan.achieved], ["R1"])
        self.assertEqual(len(plan.carried), 11)
        self.assertNotIn(self.r1, plan.carried)
        self.assertIn(self.r2, plan.carried)  # only one of its action lines is done
        self.assertIn(self.c1, plan.carried)  # its only initiative was dropped
        self.assertEqual(plan.initiatives, [self.running])

    def test_it_copies_the_structure_and_carries_over_linked_to_the_origin(self):
        new = self.start()
        self.assertEqual(new.phase, Phase.CONSULTATION)
        self.assertEqual(new.previous, self.edition)
        self.assertEqual(new.title_fr, "Mémorandum 2029-2033")
        self.assertEqual(new.issuing_body_nl, self.edition.issuing_body_nl)
        self.assertEqual(new.domains.count(), self.edition.domains.count())
        self.assertEqual(Theme.objects.filter(domain__edition=new).count(), 1)
        self.assertEqual(new.addressees.count(), self.edition.addressees.count())
        self.assertEqual(new.references.count(), self.edition.references.count())
        carried = Recommendation.objects.filter(edition=new)
        self.assertEqual(carried.count(), 11)
        self.assertFalse(carried.filter(carried_over_from=self.r1).exists())
        r3 = carried.get(carried_over_from=self.r3)
        self.assertEqual(r3.status, Status.PROPOSED)
        self.assertEqual(r3.title_nl, self.r3.title_nl)
        self.assertEqual(r3.domain.edition, new)
        self.assertEqual(r3.domain.number, self.r3.domain.number)
        self.assertEqual(
            [a.order for a in r3.addressees.all()], [a.order for a in self.r3.addressees.all()]
        )
        self.assertTrue(all(a.edition == new for a in r3.addressees.all()))
        self.assertEqual(r3.history.first().history_user, self.secretariat)
        # Numbered anew, per kind, in the old order: R2..R7 become R1..R6.
        self.assertEqual(
            sorted(carried.filter(kind="recommendation").values_list("number", flat=True)),
            [1, 2, 3, 4, 5, 6],
        )

    def test_running_initiatives_are_carried_over_with_their_open_milestones(self):
        new = self.start()
        copy = Initiative.objects.get(edition=new)
        self.assertEqual(copy.carried_over_from, self.running)
        self.assertEqual((copy.status, copy.progress), ("ongoing", 40))
        self.assertEqual(list(copy.owners.all()), [self.chief])
        self.assertEqual(
            [link.recommendation.carried_over_from for link in copy.links.all()], [self.r3]
        )
        self.assertEqual([m.title_nl for m in copy.milestones.all()], ["Open"])

    def test_the_previous_edition_and_its_versions_are_not_touched(self):
        before = {r.pk: r.history.count() for r in Recommendation.objects.all()}
        statuses = dict(Recommendation.objects.values_list("pk", "status"))
        self.start()
        for pk, versions in before.items():
            recommendation = Recommendation.objects.get(pk=pk)
            self.assertEqual(recommendation.history.count(), versions)
            self.assertEqual(recommendation.status, statuses[pk])
        self.assertEqual(Initiative.objects.get(pk=self.running.pk).status, "ongoing")

    def test_it_is_recorded_in_the_audit_log(self):
        new = self.start()
        entry = AuditEntry.objects.get(action=Action.EDITION_CREATED)
        self.assertEqual(entry.object_id, str(new.pk))
        self.assertEqual(entry.actor, self.secretariat)
        self.assertEqual(entry.details["source"], "2024-2028")
        self.assertEqual(entry.details["achieved"], ["R1"])
        self.assertEqual(len(entry.details["carried_over"]), 11)

    def test_it_refuses_an_address_that_exists(self):
        with translation.override("nl"), self.assertRaises(ValidationError) as refused:
            self.start(slug="2024-2028")
        self.assertIn("bestaat al", " ".join(refused.exception.messages))

    def test_it_refuses_a_reversed_period_in_french(self):
        with translation.override("fr"), self.assertRaises(ValidationError) as refused:
            self.start(period_start=2033, period_end=2029)
        self.assertIn("inversée", " ".join(refused.exception.messages))

    def test_it_refuses_a_period_that_overlaps_the_source_or_another_edition(self):
        with self.assertRaises(ValidationError):
            self.start(period_start=2028, period_end=2032)
        Edition.objects.create(slug="later", title_nl="Later", period_start=2031, period_end=2035)
        with self.assertRaises(ValidationError) as refused:
            self.start()
        self.assertIn("later", " ".join(refused.exception.messages))

    def test_a_failure_half_way_leaves_nothing_behind(self):
        editions, recommendations = Edition.objects.count(), Recommendation.objects.count()
        with (
            mock.patch(
                "memorandum.roadmap.succession.initiatives_carry_over",
                side_effect=RuntimeError("disk full"),
            ),
            self.assertRaises(RuntimeError),
        ):
            self.start()
        self.assertEqual(Edition.objects.count(), editions)
        self.assertEqual(Recommendation.objects.count(), recommendations)
        self.assertFalse(AuditEntry.objects.filter(action=Action.EDITION_CREATED).exists())

    def test_what_changed_lists_carried_new_merged_dropped_and_achieved(self):
        new = self.start()
        items = Recommendation.objects.filter(edition=new)
        items.filter(carried_over_from=self.r2).update(status=Status.MERGED)
        items.filter(carried_over_from=self.c1).update(status=Status.REJECTED)
        items.filter(carried_over_from=self.r3).update(status=Status.ADOPTED)
        items.filter(carried_over_from__kind="commitment", carried_over_from__number=2).delete()
        added = Recommendation.objects.create(
            edition=new,
            kind="recommendation",
            number=20,
            domain=new.domains.first(),
            title_nl="Nieuw",
            status=Status.ADOPTED,
        )
        changes = changes_since_previous(new, public_only=False)
        self.assertEqual([c.before for c in changes.merged], [self.r2])
        self.assertEqual(
            sorted(c.before.code for c in changes.dropped), ["C1", "C2"]
        )  # rejected, and removed from the new edition
        self.assertEqual([c.before for c in changes.achieved], [self.r1])
        self.assertEqual([c.after for c in changes.new], [added])
        self.assertEqual(len(changes.carried), 8)
        public = changes_since_previous(new, public_only=True)
        self.assertEqual([c.before for c in public.carried], [self.r3])

    def test_an_edition_without_a_previous_one_has_no_changes(self):
        self.assertIsNone(changes_since_previous(self.edition, public_only=False))
