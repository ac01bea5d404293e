"""Dates no more precise than the data, in every language."""

from __future__ import annotations

import datetime

from django.utils import translation

from memorandum.lib.dates import during, elide, when

MAY_15, JUNE_5 = datetime.date(2023, 5, 15), datetime.date(2023, 6, 5)


def test_an_approximate_period_is_printed_as_approximate_in_both_languages():
    """'Between mid-May and early June 2023', never '15 May to 5 June'."""
    with translation.override("nl"):
        assert when(MAY_15, JUNE_5, "part") == "tussen midden mei en begin juni 2023"
        assert when(MAY_15, JUNE_5) == "15 mei tot 5 juni 2023"
        assert during(datetime.date(2022, 10, 1), None, "month") == "in oktober 2022"
    with translation.override("fr"):
        assert when(MAY_15, JUNE_5, "part") == "entre la mi-mai et début juin 2023"


def test_one_part_of_a_month_takes_the_right_words_in_a_sentence():
    """'à la mi-mai 2023', 'début juin 2023', 'fin mai 2023'; never 'en mi-mai' or 'in midden mei'."""
    early, late = datetime.date(2023, 6, 5), datetime.date(2023, 5, 25)
    with translation.override("fr"):
        assert during(MAY_15, None, "part") == "à la mi-mai 2023"
        assert during(early, None, "part") == "début juin 2023"
        assert during(late, late, "part") == "fin mai 2023"
        assert when(MAY_15, JUNE_5, "part") == "entre la mi-mai et début juin 2023"
    with translation.override("nl"):
        assert during(MAY_15, None, "part") == "midden mei 2023"
        assert during(early, None, "part") == "begin juni 2023"
        assert during(late, None, "part") == "eind mei 2023"
    with translation.override("en"):
        assert during(MAY_15, None, "part") == "in mid-May 2023"


def test_a_period_of_months_reads_as_months_in_every_language():
    """'de janvier 2024 à décembre 2028', never 'du janvier 2024 au décembre 2028'."""
    jan, dec = datetime.date(2024, 1, 1), datetime.date(2028, 12, 1)
    april, october = datetime.date(2024, 4, 1), datetime.date(2028, 10, 1)
    with translation.override("fr"):
        assert when(jan, dec, "month") == "janvier 2024 à décembre 2028"
        assert during(jan, dec, "month") == "de janvier 2024 à décembre 2028"
        assert during(april, october, "month") == "d’avril 2024 à octobre 2028"
        assert during(datetime.date(2024, 8, 1), dec, "month").startswith("d’août 2024")
        assert during(october, dec, "month").startswith("d’octobre 2028")
        assert during(MAY_15, JUNE_5) == "du 15 mai au 5 juin 2023"
    with translation.override("nl"):
        assert during(jan, dec, "month") == "van januari 2024 tot december 2028"
        assert during(MAY_15, JUNE_5) == "van 15 mei tot 5 juni 2023"
    with translation.override("en"):
        assert during(jan, dec, "month") == "from January 2024 to December 2028"


def test_elision_is_french_only_and_spares_consonants():
    """'de janvier' stays, 'de avril' becomes 'd’avril'; Dutch 'de april' is left alone."""
    with translation.override("fr"):
        assert elide("de janvier, de avril, De octobre") == "de janvier, d’avril, D’octobre"
        assert elide("code avril") == "code avril"
    with translation.override("nl"):
        assert elide("de april") == "de april"
