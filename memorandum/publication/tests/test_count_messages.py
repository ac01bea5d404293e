"""The survey choice on the publish form says 1 ballot counted, 2 ballots counted."""

import datetime
from types import SimpleNamespace

from django.utils import translation

from memorandum.publication.forms import survey_label


def _label(ballots: int, lang: str = "en") -> str:
    survey = SimpleNamespace(
        title="Priorities",
        closes_at=datetime.datetime(2025, 5, 5, 12, tzinfo=datetime.UTC),
        latest_tally=lambda: SimpleNamespace(ballot_count=ballots),
    )
    with translation.override(lang):
        return survey_label(survey)


def test_one_ballot_reads_in_the_singular():
    """A count of 1 reads in the singular, with the date in the site's one date format."""
    assert _label(1) == "Priorities — closed 5 May 2025, 1 ballot counted"


def test_two_ballots_read_in_the_plural():
    """A count of 2 reads in the plural; Dutch and French write the date the same way."""
    assert _label(2) == "Priorities — closed 5 May 2025, 2 ballots counted"
    assert _label(2, "nl") == "Priorities — afgesloten op 5 mei 2025, 2 stembiljetten geteld"
    assert _label(1, "fr") == "Priorities — clôturée le 5 mai 2025, 1 bulletin dépouillé"
