"""Dates as precise as the data: '13 June 2023', 'October 2022', 'mid-May 2023'.

A timeline date carries a precision (:class:`~memorandum.catalogue.models.DatePrecision`):
a whole day, a month, or a part of a month ("early", "mid", "late"), for what the source
only knows roughly. :class:`ApproximateDate` keeps the date with that precision and prints
no more than it knows; :func:`when` prints a single date or a period in the active language.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

DAY, PART, MONTH = "day", "part", "month"


@dataclass(frozen=True)
class ApproximateDate:
    """A date known to the day, to a part of its month, or to the month."""

    date: datetime.date
    precision: str = DAY

    @property
    def part(self) -> str:
        """'early', 'mid' or 'late' in the month (days 1-10, 11-20, 21-31)."""
        return "early" if self.date.day <= 10 else "mid" if self.date.day <= 20 else "late"

    def text(self, *, year: bool = True, in_range: bool = False, alone: bool = False) -> str:
        """The date in the active language, with the year unless ``year`` is False.
        ``alone``: a part of a month that stands for the whole time phrase of a sentence
        ("à la mi-mai 2023", "begin juni 2023"), which takes no other preposition."""
        if self.precision == DAY:
            return formats.date_format(self.date, "DATE_FORMAT" if year else "MONTH_DAY_FORMAT")
        month = formats.date_format(self.date, "F")
        if self.precision == PART:
            month = _part(self.part, month, in_range, alone)
        return f"{month} {self.date.year}" if year else month


def _part(part: str, month: str, in_range: bool, alone: bool = False) -> str:
    # French needs an article after "entre" ("entre la mi-mai et début juin") and "à la"
    # in a sentence ("à la mi-mai"), hence three contexts.
    if alone:
        words = {
            "early": pgettext("in a sentence", "early %(month)s"),
            "mid": pgettext("in a sentence", "mid-%(month)s"),
            "late": pgettext("in a sentence", "late %(month)s"),
        }
    elif in_range:
        words = {
            "early": pgettext("between … and", "early %(month)s"),
            "mid": pgettext("between … and", "mid-%(month)s"),
            "late": pgettext("between … and", "late %(month)s"),
        }
    else:
        words = {
            "early": _("early %(month)s"),
            "mid": _("mid-%(month)s"),
            "late": _("late %(month)s"),
        }
    return words[part] % {"month": month}


def when(start: datetime.date, end: datetime.date | None = None, precision: str = DAY) -> str:
    """One date or a period, never more precise than ``precision``.

    '13 June 2023'; '15 May to 5 June 2023'; 'October 2022'; and for parts of months
    'between mid-May and early June 2023'.
    """
    first = ApproximateDate(start, precision)
    if end is None or end == start:
        return first.text()
    last = ApproximateDate(end, precision)
    same_year = start.year == end.year
    if precision == PART:
        return _("between %(start)s and %(end)s") % {
            "start": first.text(year=not same_year, in_range=True),
            "end": last.text(in_range=True),
        }
    if precision == MONTH:
        # Months take other words than days: 'janvier 2024 à décembre 2028', not '… au …'.
        return pgettext("months", "%(start)s to %(end)s") % {
            "start": first.text(),
            "end": last.text(),
        }
    return _("%(start)s to %(end)s") % {
        "start": first.text(year=not same_year or precision == MONTH),
        "end": last.text(),
    }


def during(start: datetime.date, end: datetime.date | None = None, precision: str = DAY) -> str:
    """The period as a phrase for a sentence: 'from 15 May to 5 June 2023', 'from January
    2024 to December 2028', 'in October 2022', 'on 13 June 2023', 'between mid-May and early
    June 2023', and for one part of a month 'in mid-May 2023' (French 'à la mi-mai 2023',
    'début juin 2023'; Dutch 'midden mei 2023': no "en"/"in" before it)."""
    if end is not None and end != start:
        text = when(start, end, precision)
        if precision == PART:
            return text
        if precision == MONTH:
            return elide(pgettext("months", "from %(period)s") % {"period": text})
        return _("from %(period)s") % {"period": text}
    if precision == DAY:
        return _("on %(date)s") % {"date": when(start)}
    if precision == PART:
        return ApproximateDate(start, PART).text(alone=True)
    return _("in %(month)s") % {"month": when(start, None, precision)}


# French elides "de" before a vowel ("d’avril", "d’août", "d’octobre"). A catalogue cannot:
# the month is only known once the date is filled in, so the phrase is corrected afterwards.
_ELIDABLE = re.compile(r"\b([Dd])e ([aeiouyàâéèêîôûAEIOUYÀÂÉÈÊÎÔÛ])")


def elide(text: str) -> str:
    """'de avril 2024' → 'd’avril 2024' when the active language is French; else ``text``."""
    if not (get_language() or "").startswith("fr"):
        return text
    return _ELIDABLE.sub("\\1\u2019\\2", text)


def format_date(value: datetime.date, precision: str = DAY) -> str:
    """'13 juni 2023', or 'oktober 2022' when only the month is known (active language)."""
    return ApproximateDate(value, precision).text()


def join_dates(dates: list[datetime.date]) -> str:
    """'13 juni en 11 juli 2023': the year once when all dates share it."""
    same_year = len({d.year for d in dates}) == 1
    parts = [
        formats.date_format(d, "MONTH_DAY_FORMAT" if same_year else "DATE_FORMAT") for d in dates
    ]
    if same_year:
        parts[-1] = formats.date_format(dates[-1], "DATE_FORMAT")
    if len(parts) == 1:
        return parts[0]
    return _("%(list)s and %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}
