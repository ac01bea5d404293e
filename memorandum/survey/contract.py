"""The typed contract of a counted survey: the tally and the priorities a publication prints.

Two shapes leave the survey app as JSON and are read back later, possibly years later:

* :class:`TallyResult`, frozen in ``Tally.results`` when a survey is counted, read by the
  results page, its charts and exports;
* :class:`PublishedPriorities`, frozen in a publication version's snapshot (``"survey"``),
  read by the publication's renderers.

Each has a schema version, one function that writes it (:func:`write_tally`,
:func:`write_priorities`) and one that reads it (:func:`read_tally`,
:func:`read_priorities`). A reader accepts every version ever stored and upgrades older
ones explicitly (``_tally_v1``); a version it does not know is an error, never a guess.
Nothing else reads these JSON values.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from memorandum.lib.stored import from_json

if TYPE_CHECKING:
    from memorandum.survey.models import Tally

TALLY_SCHEMA = 2
PRIORITIES_SCHEMA = 1
# Level of the bootstrap intervals and size of the "top" when a tally did not record them.
DEFAULT_LEVEL = 0.95
DEFAULT_TOP_K = 10


class UnknownSchema(ValueError):
    """Stored JSON of a schema version this code does not know (written by newer code)."""


# ------------------------------------------------------------------------------ the tally
@dataclass
class TallyItem:
    """An item the survey asked about, with the title and group it had when counted."""

    code: str
    title: str
    group: str = ""
    group_label: str = ""


@dataclass
class OrderRow:
    """An item's place in the primary method's order, with its bootstrap interval."""

    code: str
    rank: int
    score: float | None
    rank_low: int
    rank_high: int
    p_top_k: float | None = None
    mean_rank: float | None = None


@dataclass
class GroupRanks:
    """The order inside a region, province or weight class (``ranks`` None: too small to show).

    ``merged`` lists the small groups the group *other* holds; None for an ordinary group.
    """

    ballots: int
    ranks: dict[str, int] | None
    merged: list[str] | None = None


@dataclass
class WithinGroup:
    """The order of the items inside one theme or domain (ranking ballots)."""

    label: str
    ranks: dict[str, int]


@dataclass
class GroupCount:
    key: str
    label: str
    expected: int
    voted: int


@dataclass
class ParticipationCounts:
    """Zones expected and zones that voted, overall and per region and province."""

    expected: int = 0
    voted: int = 0
    regions: list[GroupCount] = field(default_factory=list)
    provinces: list[GroupCount] = field(default_factory=list)


@dataclass
class TallyResult:
    """Everything a count froze: the order, its uncertainty, the breakdowns.

    ``weighting`` and ``min_group`` are None in a tally frozen before they were recorded
    (schema 1 without them): readers then apply the survey's settings and the cautious rule
    (no weighted score, no group below k) — see :mod:`memorandum.survey.results`.
    """

    form: str
    method: str
    seed: int
    replicates: int
    ballots: int
    total_weight: float
    weighting: str | None
    min_group: int | None
    participation: ParticipationCounts
    items: list[TallyItem]
    level: float = DEFAULT_LEVEL
    top_k: int = DEFAULT_TOP_K
    withheld: bool = False
    approximate: bool = False
    scores_withheld: bool = False
    order: list[OrderRow] = field(default_factory=list)
    methods: dict[str, dict[str, int]] = field(default_factory=dict)
    agreement: dict[str, float | None] = field(default_factory=dict)
    kendall_w: float | None = None
    by_region: dict[str, GroupRanks] = field(default_factory=dict)
    by_province: dict[str, GroupRanks] = field(default_factory=dict)
    by_weight_class: dict[str, GroupRanks] = field(default_factory=dict)
    within: dict[str, WithinGroup] = field(default_factory=dict)
    criteria: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def breakdown(self, key: str) -> dict[str, GroupRanks]:
        """``by_region``, ``by_province`` or ``by_weight_class`` by name."""
        return {
            "by_region": self.by_region,
            "by_province": self.by_province,
            "by_weight_class": self.by_weight_class,
        }[key]


def write_tally(result: TallyResult) -> dict[str, Any]:
    """The JSON stored in ``Tally.results`` (the current schema)."""
    return {"schema": TALLY_SCHEMA, **asdict(result)}


def read_tally(tally: Tally) -> TallyResult:
    """The tally's result, from its stored JSON, whatever schema it was written with.

    Schema 1 (no ``"schema"`` key) may lack any key added later; the tally row's own
    columns give the method, seed, replicates and ballot count it then lacks.
    """
    data = dict(tally.results or {})
    version = data.pop("schema", 1)
    if version == 1:
        data = _tally_v1(data, tally)
    elif version != TALLY_SCHEMA:
        raise UnknownSchema(f"tally {tally.pk}: unknown schema {version!r}")
    part = data["participation"]
    return from_json(
        TallyResult,
        data,
        participation=ParticipationCounts(
            expected=part["expected"],
            voted=part["voted"],
            regions=[GroupCount(**g) for g in part["regions"]],
            provinces=[GroupCount(**g) for g in part["provinces"]],
        ),
        items=[TallyItem(**i) for i in data["items"]],
        order=[OrderRow(**{**row, "score": _finite(row["score"])}) for row in data["order"]],
        by_region=_groups(data["by_region"]),
        by_province=_groups(data["by_province"]),
        by_weight_class=_groups(data["by_weight_class"]),
        within={k: WithinGroup(**w) for k, w in data["within"].items()},
    )


def _groups(data: dict) -> dict[str, GroupRanks]:
    return {key: GroupRanks(**group) for key, group in data.items()}


def _finite(value: object) -> float | None:
    """A score as a float, or None (withheld, or a NaN some old tallies stored)."""
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def _tally_v1(data: dict[str, Any], tally: Tally) -> dict[str, Any]:
    """Schema 1 → 2: the keys a tally may lack, filled with what they meant when absent.

    Tallies were first frozen without ``weighting``, ``min_group`` (groups were not
    checked against k: read as None, see :class:`TallyResult`), ``withheld``,
    ``scores_withheld``, ``approximate``, per-row intervals and the breakdowns; groups of
    *other* were added later (``merged``) and so were items' groups.
    """
    part = data.get("participation") or {}

    def row(r: dict) -> dict:
        return {
            "code": r["code"],
            "rank": int(r["rank"]),
            "score": r.get("score"),
            "rank_low": int(r.get("rank_low", r["rank"])),
            "rank_high": int(r.get("rank_high", r["rank"])),
            "p_top_k": r.get("p_top_k"),
            "mean_rank": r.get("mean_rank"),
        }

    def groups(key: str) -> dict:
        return {
            label: {"ballots": g["ballots"], "ranks": g.get("ranks"), "merged": g.get("merged")}
            for label, g in (data.get(key) or {}).items()
        }

    def counts(key: str) -> list[dict]:
        return [
            {"key": g["key"], "label": g.get("label", g["key"]), **_rate(g)}
            for g in part.get(key, [])
        ]

    return {
        "form": data.get("form", ""),
        "method": data.get("method", tally.method),
        "seed": data.get("seed", tally.seed),
        "replicates": data.get("replicates", tally.replicates),
        "ballots": data.get("ballots", tally.ballot_count),
        "total_weight": float(data.get("total_weight", tally.ballot_count)),
        "weighting": data.get("weighting"),
        "min_group": data.get("min_group"),
        "participation": {
            **_rate(part),
            "regions": counts("regions"),
            "provinces": counts("provinces"),
        },
        "items": [
            {
                "code": i["code"],
                "title": i.get("title", ""),
                "group": i.get("group", ""),
                "group_label": i.get("group_label", ""),
            }
            for i in data.get("items", [])
        ],
        "level": data.get("level", DEFAULT_LEVEL),
        "top_k": data.get("top_k", DEFAULT_TOP_K),
        "withheld": bool(data.get("withheld")),
        "approximate": bool(data.get("approximate")),
        "scores_withheld": bool(data.get("scores_withheld")),
        "order": [row(r) for r in data.get("order", [])],
        "methods": data.get("methods", {}),
        "agreement": data.get("agreement", {}),
        "kendall_w": data.get("kendall_w"),
        "by_region": groups("by_region"),
        "by_province": groups("by_province"),
        "by_weight_class": groups("by_weight_class"),
        "within": {
            k: {"label": w.get("label", k), "ranks": w["ranks"]}
            for k, w in (data.get("within") or {}).items()
        },
        "criteria": data.get("criteria", {}),
    }


def _rate(group: dict) -> dict[str, int]:
    return {"expected": int(group.get("expected", 0)), "voted": int(group.get("voted", 0))}


# ------------------------------------------------------------------ the printed priorities
@dataclass
class PriorityRow:
    """One item as a publication prints it: its titles (``{"nl", "fr"}``) as the zones
    saw them, its rank, its score (None when withheld) and its plausible ranks."""

    code: str
    title: dict[str, str]
    rank: int
    score: float | None
    rank_low: int
    rank_high: int


@dataclass
class PublishedPriorities:
    """A counted survey's result as a publication freezes it in its snapshot.

    Built by :func:`memorandum.survey.results.published_priorities`, which decides what of a
    result may be printed (the same safeguards as the results page).
    """

    survey_id: int
    tally_id: int
    title: dict[str, str]
    method: str
    ballot_form: str
    weighting: str
    ballots: int
    zones_total: int
    opens: datetime.date
    closes: datetime.date
    counted: datetime.date
    synthetic: bool
    rows: list[PriorityRow]

    @property
    def key(self) -> tuple[int, int]:
        """Which count this is: two snapshots with the same key print the same result."""
        return self.survey_id, self.tally_id


def write_priorities(priorities: PublishedPriorities | None) -> dict[str, Any] | None:
    """The JSON a snapshot stores under ``"survey"`` (None: no survey in the memorandum)."""
    if priorities is None:
        return None
    data = asdict(priorities)
    for key in ("opens", "closes", "counted"):
        data[key] = data[key].isoformat()
    return {"schema": PRIORITIES_SCHEMA, **data}


def read_priorities(data: dict[str, Any] | None) -> PublishedPriorities | None:
    """The priorities frozen in a snapshot, or None when it holds none.

    Versions published before the key ``"schema"`` was written hold the same fields as
    schema 1: they are read as schema 1.
    """
    if not data:
        return None
    data = dict(data)
    version = data.pop("schema", 1)
    if version != PRIORITIES_SCHEMA:
        raise UnknownSchema(f"published priorities: unknown schema {version!r}")
    return from_json(
        PublishedPriorities,
        data,
        opens=datetime.date.fromisoformat(data["opens"]),
        closes=datetime.date.fromisoformat(data["closes"]),
        counted=datetime.date.fromisoformat(data["counted"]),
        rows=[PriorityRow(**row) for row in data["rows"]],
    )
