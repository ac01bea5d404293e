"""What every ballot form has: the interface (:class:`BallotKind`), a parsed ballot and the
items by group."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

import ranking
from memorandum.survey.contract import WithinGroup
from memorandum.survey.models import TOP_N, Survey, SurveyItem


@dataclass
class Parsed:
    payload: dict
    errors: dict[str, str] = field(default_factory=dict)
    entered: dict[str, str] = field(default_factory=dict)
    # What a draft still lacks before it can be submitted (a draft is kept without it).
    todo: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def items_by_group(items: list[SurveyItem]) -> dict[str, list[SurveyItem]]:
    """The items by the key of their theme or domain, keeping catalogue order."""
    out: dict[str, list[SurveyItem]] = {}
    for item in items:
        out.setdefault(item.group, []).append(item)
    return out


def groups_of(items: list[SurveyItem]) -> list[dict]:
    """The items grouped by theme or domain, keeping catalogue order, with each group's label."""
    return [
        {"key": key, "label": members[0].group_label, "items": members}
        for key, members in items_by_group(items).items()
    ]


class BallotKind:
    """What differs between ballot forms; one instance per form in :data:`KINDS`."""

    form: ClassVar[str]
    # Counting methods that fit this form; the first is the default primary method.
    methods: ClassVar[tuple[str, ...]]

    @property
    def template_name(self) -> str:
        return f"survey/ballot_{self.form}.html"

    def comparison_methods(self, n_items: int) -> list[str]:
        """The methods shown next to the primary one (Kemeny only where it is exact)."""
        return [m for m in self.methods if m != "kemeny" or n_items <= ranking.KEMENY_EXACT_MAX]

    def parse(
        self, post, items: list[SurveyItem], stored: dict, action: str, *, top_n: int = TOP_N
    ) -> Parsed:
        """Read the posted ballot (``stored``: the payload on record, ``{}`` when none;
        ``top_n``: the survey's size of the top, read by the ranking ballot only)."""
        raise NotImplementedError

    def submits(self, action: str, stored_is_submitted: bool) -> bool:
        return action == "submit"

    def saves_as_draft(self, parsed: Parsed) -> bool:
        """May this (possibly incomplete) answer be kept as a draft?"""
        return set(parsed.errors) <= {"__all__"}

    def context(
        self, *, survey: Survey, zone, items: list[SurveyItem], payload: dict, parsed
    ) -> dict:
        """What the page shows: ``payload`` is what is on record or was just posted."""
        raise NotImplementedError

    def profile(
        self, payloads: list[dict], codes: list[str], *, weights, groups, top_n: int = TOP_N
    ):
        """The ballots as the ranking engine's profile."""
        raise NotImplementedError

    def summary(self, payload: dict, items: list[SurveyItem], *, top_n: int = TOP_N) -> list[str]:
        """The answers in a few lines, to check them before an anonymous submit."""
        raise NotImplementedError

    def after_save(self, *, survey: Survey, before: dict, after: dict) -> None:
        """Bookkeeping once a ballot is stored, inside its transaction."""

    def for_method(self, profile, method: str):
        """The profile as ``method`` counts it (the same one, unless the form says otherwise)."""
        return profile

    def agreement_profile(self, profile):
        """The profile Kendall's W reads; None where agreement among voters is not defined."""
        return profile

    def within_groups(
        self, payloads: list[dict], weights, items: list[SurveyItem], method: str
    ) -> dict[str, WithinGroup]:
        """The order inside each theme or domain, for a form whose ballots give one."""
        return {}

    def criteria_means(
        self, payloads: list[dict], weights, codes: list[str]
    ) -> dict[str, dict[str, float | None]]:
        """The weighted mean level per criterion, for a form whose ballots rate criteria."""
        return {}

    def asked(self) -> str:
        """What the invitation e-mail says is asked (one full sentence, translated now)."""
        raise NotImplementedError

    draft_anchor: ClassVar[str] = ""
    # Does reading a posted ballot need the one on record (it adds to it)?
    reads_stored: ClassVar[bool] = False
    # Does the ballot ask for a top of ``survey.top_n`` items (else the top only names the
    # "top N" of the results)?
    asks_top: ClassVar[bool] = False
    # Does the bootstrap resample whole ballots rather than their parts (the profile has
    # one entry per part)?
    resamples_whole_ballots: ClassVar[bool] = False


def ranks_of(result) -> dict[str, int]:
    """The position of each item in a ranking engine result."""
    return {c: int(p) for c, p in result.positions().items()}


def item_name(items: list[SurveyItem]) -> Callable[[str], str]:
    titles = {i.code: str(i.title) for i in items}
    return lambda code: f"{code} {titles.get(code, '')}".strip()
