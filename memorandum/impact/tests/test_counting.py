"""The count as the report reads it: groups below k merged, reminders only to the silent."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from django.core import mail
from django.utils import timezone

from memorandum.impact.counting import OTHER, aggregate, breakdown
from memorandum.impact.models import EstimateRound, Mission, RoundStatus, ZoneEstimate
from memorandum.impact.services import round_remind
from memorandum.impact.synthetic import fill_with_estimates, invite_all
from memorandum.survey.tests.helpers import through_the_worker
from memorandum.test import BaseTestCase


def test_groups_below_k_are_counted_together_as_other():
    """Two provinces of two answers each become "other"; a lone one under k shows no figure."""
    keys = ["A"] * 5 + ["B"] * 2 + ["C"] * 2
    answered = np.ones(9, dtype=bool)
    imputed = {"fte": np.arange(9, dtype=float)}
    rows = breakdown(keys, answered, imputed, k=4)
    assert [r["key"] for r in rows] == ["A", OTHER]
    assert rows[1]["merged"] == ["B", "C"] and rows[1]["fte"] == 5 + 6 + 7 + 8
    rows = breakdown(["A"] * 2, answered[:2], {"fte": np.arange(2.0)}, k=4)
    assert rows[0]["key"] == OTHER and rows[0]["fte"] is None and rows[0]["respondents"] == 2


def test_a_hidden_group_is_never_the_total_minus_what_is_shown():
    """Brussels (2 answers, k=5) is not 'all zones minus Flanders minus Wallonia': the
    smallest shown group joins it in "other", which then holds enough answers to show."""
    keys = ["flanders"] * 10 + ["wallonia"] * 10 + ["brussels"] * 2
    answered = np.ones(22, dtype=bool)
    rows = breakdown(keys, answered, {"fte": np.arange(1.0, 23.0)}, k=5)
    other = rows[-1]
    assert other["key"] == OTHER and set(other["merged"]) == {"brussels", "flanders"}
    assert other["respondents"] >= 5 and other["fte"] is not None
    assert [r["key"] for r in rows[:-1]] == ["wallonia"]


def test_within_a_region_hidden_provinces_are_not_the_region_minus_its_shown_provinces():
    """p4 (2 answers) is alone hidden in region R2, whose total is published too: p3 joins."""
    keys = ["p1"] * 6 + ["p2"] * 2 + ["p3"] * 6 + ["p4"] * 2
    parents = {"p1": "R1", "p2": "R1", "p3": "R2", "p4": "R2"}
    rows = breakdown(keys, np.ones(16, dtype=bool), {"fte": np.ones(16)}, k=5, parents=parents)
    shown = {r["key"] for r in rows if r["key"] != OTHER}
    for region in ("R1", "R2"):
        hidden = [p for p, r in parents.items() if r == region and p not in shown]
        assert not hidden or sum(keys.count(p) for p in hidden) >= 5


def test_shown_groups_get_an_interval_and_a_group_too_small_to_show_gets_none():
    """The breakdown takes its intervals from the total's bootstrap replicates."""
    from memorandum.impact.estimation import estimate_total, strata_for

    rng = np.random.default_rng(4)
    keys = ["A"] * 12 + ["B"] * 12 + ["C"] * 2
    staff = rng.uniform(50, 300, 26)
    y = staff * 0.02
    answered = np.array([True, False] * 13)
    strata = strata_for(["R"] * 26, ["small"] * 26, answered)
    result = estimate_total(y, staff, answered, strata, replicates=300)
    rows = breakdown(keys, answered, {"fte": result.imputed}, k=3, estimates={"fte": result})
    # C (one answer) takes A with it into "other", which then holds enough to show
    assert [r["key"] for r in rows] == ["B", OTHER]
    for row in rows:
        assert row["fte_low"] <= row["fte"] <= row["fte_high"]
    lone = breakdown(keys, answered, {"fte": result.imputed}, k=20, estimates={"fte": result})
    assert lone[0]["fte"] is None and lone[0]["fte_low"] is None and lone[0]["fte_high"] is None


class CountingTestCase(BaseTestCase):
    def setUp(self):
        mission = Mission.objects.create(edition=self.edition, title_nl="M", source_text="S")
        now = timezone.now()
        self.round = EstimateRound.objects.create(
            mission=mission,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=3),
            status=RoundStatus.OPEN,
            replicates=200,
            min_group=3,
        )
        invite_all(self.round)

    def test_reminders_go_only_to_zones_that_have_not_submitted(self):
        for zone in self.zones:
            zone.email = f"z{zone.pk}@example.invalid"
            zone.save()
        ZoneEstimate.objects.create(
            round=self.round, zone=self.zones[0], fte=1, submitted_at=timezone.now()
        )
        ZoneEstimate.objects.create(round=self.round, zone=self.zones[1], fte=1)  # a draft
        count = through_the_worker(self, round_remind, round=self.round)
        self.assertEqual(count, len(self.zones) - 1)
        self.assertNotIn([self.zones[0].email], [m.to for m in mail.outbox])

    def test_the_count_states_the_response_rate_and_keeps_flagged_answers(self):
        submitted = fill_with_estimates(
            self.round, fte_per_100=1, one_off_per_staff=50, response_rate=0.7, seed=9
        )
        results = aggregate(self.round)
        self.assertEqual(results["respondents"], submitted)
        self.assertAlmostEqual(results["response_rate"], submitted / len(self.zones))
        fte = results["quantities"]["fte"]
        self.assertLessEqual(fte["low"], fte["total"])
        self.assertLessEqual(fte["total"], fte["high"])
        reported = sum(float(e.fte) for e in ZoneEstimate.objects.submitted())
        self.assertAlmostEqual(fte["reported"], reported, places=6)
        self.assertAlmostEqual(fte["total"], fte["reported"] + fte["estimated"], places=6)

    def test_a_round_past_its_deadline_is_closed_and_counted_by_the_command(self):
        import io

        from django.core.management import call_command

        fill_with_estimates(
            self.round, fte_per_100=1, one_off_per_staff=50, response_rate=0.8, seed=1
        )
        EstimateRound.objects.filter(pk=self.round.pk).update(
            closes_at=timezone.now() - timedelta(minutes=1)
        )
        through_the_worker(self, call_command, "close_due_rounds", stdout=io.StringIO())
        self.round.refresh_from_db()
        self.assertEqual(self.round.status, RoundStatus.COUNTED)

    def test_comments_of_a_feasibility_level_few_zones_chose_are_merged_or_left_out(self):
        """k = 3: four zones at level 2 are shown; one zone alone at level 5 joins "other",
        which then holds too few zones and is left out; a zone's own name is taken out."""
        now = timezone.now()
        for zone in self.zones[:4]:
            ZoneEstimate.objects.create(
                round=self.round,
                zone=zone,
                fte=1,
                feasibility=2,
                comments=f"Voor {zone.name} is opleiding nodig.",
                submitted_at=now,
            )
        ZoneEstimate.objects.create(
            round=self.round,
            zone=self.zones[4],
            fte=1,
            feasibility=5,
            comments="Bij ons geen probleem.",
            submitted_at=now,
        )
        comments = aggregate(self.round)["comments"]
        self.assertEqual(list(comments), ["2"])
        texts = [c["text"] for c in comments["2"]]
        self.assertEqual(set(texts), {"Voor … is opleiding nodig."})
        self.assertEqual(comments["2"][0]["zones"], 4)
