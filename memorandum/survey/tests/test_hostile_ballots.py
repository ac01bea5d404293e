"""Hostile posts to the ballot pages of every ballot form: never a 5xx, nothing malformed stored.

The site-wide fuzzing suite (``memorandum/tests/test_fuzz_forms.py``) posts to a ranking ballot;
these cases cover the other forms too (rating, points, pairwise), anonymous surveys (the
confirmation step) and a closed survey, with wrong types, huge numbers, NUL characters,
repeated fields and unknown items.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from memorandum.survey import pairs
from memorandum.survey.items import survey_items
from memorandum.survey.models import Anonymity, Ballot, BallotForm, PairCount
from memorandum.survey.tests.helpers import invite, link, make_survey
from memorandum.test import BaseTestCase

METHOD = {
    BallotForm.RANKING: "schulze",
    BallotForm.RATING: "mean",
    BallotForm.POINTS: "points",
    BallotForm.PAIRWISE: "bradley-terry",
}
VALUES = ["", "abc", "-1", "0", "1e9", "9" * 5000, "\x00", "1\x00", "٣", "5_0", "none", " 3 "]
ACTIONS = ["submit", "draft", "choose", "", "\x00", "delegate"]


def field_names(survey) -> list[str]:
    codes = [i.code for i in survey_items(survey)]
    return (
        [f"overall-{c}" for c in codes]
        + [f"points-{c}" for c in codes]
        + [f"importance-{c}" for c in codes]
        + [f"urgency-{c}" for c in codes]
    )


def hostile_posts(survey) -> list[dict]:
    names = field_names(survey)
    posts: list[dict] = [{}, {"action": "submit", "confirmed": "1"}]
    for action in ACTIONS:
        for value in VALUES:
            posts.append({"action": action, **{name: value for name in names}})
        posts.append({"action": [action, "submit"], names[0]: ["1", "2", "x"]})
    pair = {"a": "R1", "b": "R2"}
    for a, b, choice in [
        ("R1", "R2", "c"),
        ("R1", "R1", "a"),
        ("R1", "ZZ" * 40, "b"),
        ("\x00", "R2", "a"),
        (["R1", "R2"], "R2", "none"),
        ("R1", "R2", ["a", "b"]),
    ]:
        for action in ("choose", "submit", ""):
            posts.append({**pair, "a": a, "b": b, "choice": choice, "action": action})
    return posts


class HostileBallotPostTestCase(BaseTestCase):
    def check_form(self, ballot_form: str, **fields) -> None:
        survey = make_survey(
            self.edition, ballot_form=ballot_form, primary_method=METHOD[ballot_form], **fields
        )
        _invitation, raw = invite(survey, self.zones[0])
        url = link(raw)
        for data in hostile_posts(survey):
            for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
                with self.subTest(form=ballot_form, data=str(data)[:120], htmx=bool(headers)):
                    response = self.client.post(url, data, **headers)
                    self.assertLess(response.status_code, 500)
        codes = {i.code for i in survey_items(survey)}
        for payload in Ballot.objects.filter(survey=survey).values_list("payload", flat=True):
            for a, b, winner in (payload or {}).get("choices", []):
                self.assertLessEqual({a, b}, codes)
                self.assertIn(winner, {a, b, None})
            for value in (payload or {}).get("points", {}).values():
                self.assertIsInstance(value, int)
        self.assertLessEqual(
            {c for row in PairCount.objects.values_list("first", "second") for c in row}, codes
        )
        return survey

    def test_ranking(self):
        self.check_form(BallotForm.RANKING)

    def test_rating(self):
        self.check_form(BallotForm.RATING)

    def test_points(self):
        self.check_form(BallotForm.POINTS)

    def test_pairwise(self):
        survey = self.check_form(BallotForm.PAIRWISE)
        ballot = Ballot.objects.filter(survey=survey).first()
        recount = pairs.pair_counts(survey)
        expected = {
            pairs.pair_key(a, b): 1
            for a, b, _w in (ballot.payload if ballot else {}).get("choices", [])
        }
        self.assertEqual(dict(recount), expected)

    def test_anonymous_pairwise(self):
        self.check_form(BallotForm.PAIRWISE, anonymity=Anonymity.ANONYMOUS, min_group=3)

    def test_anonymous_points(self):
        self.check_form(BallotForm.POINTS, anonymity=Anonymity.ANONYMOUS, min_group=3)

    def test_closed_rating(self):
        now = timezone.now()
        self.check_form(
            BallotForm.RATING, opens_at=now - timedelta(days=3), closes_at=now - timedelta(days=1)
        )
