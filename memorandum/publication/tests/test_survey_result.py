"""From ballots to the printed memorandum: the survey's result reaches a published version
through the typed contract, with nothing mocked."""

from __future__ import annotations

import re

from django.utils.html import strip_tags

from memorandum.publication.tests.helpers import flat, pdf_text
from memorandum.publication.tests.test_versions import PublishTestCase
from memorandum.survey import casting
from memorandum.survey.items import survey_items
from memorandum.survey.models import SurveyStatus
from memorandum.survey.tests.helpers import make_survey, through_the_worker

ROW = re.compile(r"<tr><td>(\d+)</td><td>([RC]\d+)</td><td>(.*?)</td>", re.S)


def priority_rows(html: str) -> list[tuple[int, str, str]]:
    """(rank, code, title) of each row of the document's priorities table."""
    table = re.split(r'<table class="data priorities[^"]*">', html, maxsplit=1)[1]
    table = table.split("</table>", 1)[0]
    return [(int(rank), code, flat(strip_tags(title))) for rank, code, title in ROW.findall(table)]


class CountedSurveyInTheMemorandumTestCase(PublishTestCase):
    def test_a_survey_counted_by_the_worker_is_printed_in_the_published_version(self):
        survey = make_survey(self.edition, title_nl="Bevraging 2027", title_fr="Enquête 2027")
        orders = [["R2", "R1", "R3"]] * 4 + [["R1", "R2", "R3"]]
        for zone, order in zip(self.zones[:5], orders, strict=False):
            casting.ballot_save(
                survey=survey, zone=zone, payload={"overall": order, "within": {}}, submit=True
            )
        self.login(self.secretariat)
        # Close and count as the secretariat does: the request closes, the worker counts.
        through_the_worker(
            self,
            self.client.post,
            f"/nl/editions/{self.edition.slug}/surveys/{survey.pk}/do/close/",
        )
        survey.refresh_from_db()
        self.assertEqual(survey.status, SurveyStatus.TALLIED)
        order = survey.latest_tally().result.order
        self.assertEqual([row.code for row in order[:2]], ["R2", "R1"])
        # The document lists ties by code.
        counted = [row.code for row in sorted(order, key=lambda row: (row.rank, row.code))]

        version = self.publish(survey)

        titles = {item.code: item for item in survey_items(survey)}
        for lang in ("nl", "fr"):
            with self.subTest(lang=lang):
                html = self.file(version, lang, "html").content.decode()
                rows = priority_rows(html)
                self.assertEqual([code for _rank, code, _title in rows], counted)
                self.assertEqual(rows[0][:2], (1, "R2"))
                self.assertEqual(rows[0][2], getattr(titles["R2"], f"title_{lang}"))
        pdf = flat(pdf_text(self.file(version, "nl", "pdf").content))
        self.assertIn("Prioriteiten volgens de enquête", pdf)
        self.assertIn("5 van de 22 politiezones namen deel aan de enquête “Bevraging 2027”", pdf)
        self.assertIn("Enquête 2027", flat(pdf_text(self.file(version, "fr", "pdf").content)))
        # What the version froze reads back through the contract, typed.
        printed = version.survey_summary
        self.assertEqual((printed.survey_id, printed.ballots), (survey.pk, 5))
        self.assertEqual({row.code for row in printed.rows}, set(counted))
