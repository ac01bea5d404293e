"""The typed contract of a counted survey: what is written reads back the same, older
stored versions are read explicitly, an unknown version is refused."""

from __future__ import annotations

from memorandum.survey import casting, services
from memorandum.survey.contract import (
    TALLY_SCHEMA,
    UnknownSchema,
    read_priorities,
    read_tally,
    write_priorities,
    write_tally,
)
from memorandum.survey.models import Tally
from memorandum.survey.results import published_priorities
from memorandum.survey.tests.helpers import make_survey
from memorandum.test import BaseTestCase


class TallyContractTestCase(BaseTestCase):
    def counted(self):
        survey = make_survey(self.edition, title_fr="Priorités")
        for zone in self.zones[:5]:
            casting.ballot_save(
                survey=survey, zone=zone, payload={"overall": ["R2", "R1"]}, submit=True
            )
        return survey, services.survey_close(survey=survey)

    def test_a_count_is_stored_with_its_schema_and_reads_back_equal(self):
        survey, tally = self.counted()
        self.assertEqual(tally.results["schema"], TALLY_SCHEMA)
        stored = Tally.objects.get(pk=tally.pk)
        self.assertEqual(write_tally(read_tally(stored)), stored.results)
        self.assertEqual(stored.result.order[0].code, "R2")
        self.assertEqual(stored.result.participation.voted, 5)

    def test_a_tally_of_schema_1_is_read_with_what_its_missing_keys_meant(self):
        survey, tally = self.counted()
        old = Tally(
            survey=survey,
            method="borda",
            seed=3,
            replicates=50,
            ballot_count=7,
            results={
                "order": [{"code": "R1", "rank": 1, "score": float("nan")}],
                "by_province": {"LUX": {"ballots": 1, "ranks": {"R1": 1}}},
            },
        )
        result = read_tally(old)
        self.assertEqual((result.method, result.seed, result.ballots), ("borda", 3, 7))
        self.assertIsNone(result.min_group)  # frozen before groups were checked against k
        self.assertIsNone(result.weighting)
        row = result.order[0]
        self.assertEqual((row.rank_low, row.rank_high, row.score), (1, 1, None))
        self.assertIsNone(result.by_province["LUX"].merged)

    def test_a_tally_of_an_unknown_schema_is_refused(self):
        with self.assertRaises(UnknownSchema):
            read_tally(Tally(results={"schema": TALLY_SCHEMA + 1}))

    def test_the_printed_priorities_read_back_equal_and_a_version_without_schema_reads(self):
        survey, _tally = self.counted()
        priorities = published_priorities(survey)
        stored = write_priorities(priorities)
        self.assertEqual(read_priorities(stored), priorities)
        del stored["schema"]  # as versions published before the key was written
        self.assertEqual(read_priorities(stored), priorities)
        self.assertEqual(priorities.title, {"nl": "Prioriteiten", "fr": "Priorités"})
        self.assertIsNone(read_priorities(None))
        with self.assertRaises(UnknownSchema):
            read_priorities(stored | {"schema": 99})
