"""Count messages of surveys say 1 ballot and 2 ballots."""

from django.template.loader import render_to_string
from django.utils import translation

from memorandum.survey.counting import counting_step
from memorandum.survey.tests.helpers import invite, link, make_survey
from memorandum.test import BaseTestCase


def test_counting_one_ballot_with_one_replicate_reads_in_the_singular():
    """A count of 1 reads in the singular, for each of the two counts."""
    with translation.override("en"):
        assert counting_step(1, 1) == "Counting 1 ballot with 1 bootstrap replicate"


def test_counting_two_ballots_reads_in_the_plural():
    """A count of 2 reads in the plural."""
    with translation.override("en"):
        assert counting_step(2, 500) == "Counting 2 ballots with 500 bootstrap replicates"


def test_counting_in_dutch_and_french():
    """Both translations have the singular and the plural."""
    with translation.override("nl"):
        assert counting_step(1, 2) == "Tellen van 1 stembiljet met 2 bootstrap-herhalingen"
    with translation.override("fr"):
        assert counting_step(2, 1) == "Dépouillement de 2 bulletins avec 1 répétition du bootstrap"


def _participation(voted: int, expected: int = 22, language: str = "en") -> str:
    data = {
        "overall": {"voted": voted, "expected": expected, "percent": 50},
        "drafts": 0,
        "remindable": 0,
    }
    with translation.override(language):
        return render_to_string("survey/_participation.html", {"data": data})


def test_the_participation_line_agrees_with_the_zones_that_answered():
    """The verb agrees with the zones that answered, not with the zones asked."""
    assert "1 of 22 zones has answered (50 %)." in _participation(1)
    assert "2 of 22 zones have answered (50 %)." in _participation(2)
    assert "1 van de 22 zones heeft geantwoord (50 %)." in _participation(1, language="nl")
    assert "2 van de 22 zones hebben geantwoord (50 %)." in _participation(2, language="nl")
    # French counts 0 and 1 in the singular.
    assert "0 zone sur 22 a répondu (50 %)." in _participation(0, language="fr")
    assert "1 zone sur 22 a répondu (50 %)." in _participation(1, language="fr")
    assert "2 zones sur 22 ont répondu (50 %)." in _participation(2, language="fr")


class RankingHelpTestCase(BaseTestCase):
    def _help(self, top_n: int) -> str:
        survey = make_survey(self.edition, top_n=top_n)
        _, raw = invite(survey, self.zones[0])
        page = self.client.get(link(raw), follow=True).content.decode()
        return page.split('id="overall-help">', 1)[1].split("</p>", 1)[0]

    def test_a_top_of_one_asks_for_the_most_urgent_item(self):
        """A top of 1 asks for one item in position 1, not for 'the 1 most urgent items'."""
        self.assertTrue(self._help(1).startswith("Choose the most urgent item"))

    def test_a_top_of_three_asks_for_the_three_most_urgent_items(self):
        """A top of 3 reads in the plural."""
        self.assertTrue(self._help(3).startswith("Choose the 3 most urgent items"))
