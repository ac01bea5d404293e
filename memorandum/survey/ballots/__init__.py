"""The four ballot forms, one class each, with the same small interface.

A ballot form knows how to read a posted ballot (:meth:`BallotKind.parse`), what its page
shows (:meth:`~BallotKind.context`, :attr:`~BallotKind.template_name`), how its ballots
become the ranking engine's profile (:meth:`~BallotKind.profile`) and which counting
methods fit it (:attr:`~BallotKind.methods`), how the count reads them (as another form's
profile for some methods, with or without Kendall's W, resampled whole or in parts, with
orders inside groups or means per criterion) and what the invitation e-mail says is asked.
The ballot page, the tally, the e-mails, the set-up form and the survey page ask
:func:`kind_of` instead of switching on :class:`BallotForm` themselves. One module per form.

A parser returns the JSON payload to store and the errors to show (keyed by field name,
each saying which item and why), and never guesses: a ballot with errors is shown again
with exactly what was typed.
"""

from memorandum.survey.ballots.base import BallotKind, Parsed, groups_of, items_by_group, ranks_of
from memorandum.survey.ballots.pairwise import Pairwise
from memorandum.survey.ballots.points import Points
from memorandum.survey.ballots.rankings import Ranking, top_size
from memorandum.survey.ballots.ratings import Rating

__all__ = [
    "KINDS",
    "BallotKind",
    "Pairwise",
    "Parsed",
    "Points",
    "Ranking",
    "Rating",
    "groups_of",
    "items_by_group",
    "kind_of",
    "ranks_of",
    "top_size",
]

KINDS: dict[str, BallotKind] = {
    kind.form: kind for kind in (Ranking(), Rating(), Points(), Pairwise())
}


def kind_of(form: str) -> BallotKind:
    """The ballot form's strategy; a ``ValueError`` for a form that does not exist."""
    try:
        return KINDS[form]
    except KeyError:
        raise ValueError(f"unknown ballot form {form!r}") from None
