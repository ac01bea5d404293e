"""The frozen results of a count, read back as typed rows in the reader's language.

:class:`ImpactReport` is the one contract between the count (:mod:`counting`, which writes
``CountRun.results`` with a version) and every output: the report page, the note (PDF and
DOCX), the spreadsheet and the chart. Build it inside ``translation.override(lang)`` to get
the labels and the method in that language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from memorandum.catalogue.models import Region
from memorandum.impact.counting import OTHER, QUANTITIES, VERSION
from memorandum.impact.estimation import MIN_RESPONDENTS, OUTLIER_Z, SIZE_BOUNDS
from memorandum.impact.forms import HOURS_PER_FTE, UNITS
from memorandum.impact.models import Basis, CountRun, EstimateRound, Feasibility
from memorandum.lib.i18n import LocalizedText, localize_values
from memorandum.lib.stored import from_json


def quantity_labels() -> dict[str, str]:
    return {
        "fte": _("Recurring staff need"),
        "hours_operational": _("Hours per year, operational staff"),
        "hours_calog": _("Hours per year, CALog staff"),
        "one_off_eur": _("One-off cost"),
    }


def size_labels() -> dict[str, str]:
    small, large = (number_format(b) for b in SIZE_BOUNDS)
    return {
        "small": _("Small zones (under %(n)s FTE)") % {"n": small},
        "medium": _("Medium zones (%(low)s to %(high)s FTE)") % {"low": small, "high": large},
        "large": _("Large zones (%(n)s FTE or more)") % {"n": large},
    }


def amount(value: float | None, name: str) -> str:
    """A figure rounded as the note shows it, with its unit."""
    if value is None:
        return "—"
    digits = 1 if name == "fte" else 0
    return f"{number_format(round(value, digits), digits, force_grouping=True)} {UNITS[name]}"


ESTIMATED = ("total", "low", "high", "estimated", "total_without_outliers")


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    unit: str
    total: float
    low: float
    high: float
    reported: float
    estimated: float
    share_estimated: float
    outliers: int
    total_without_outliers: float
    # Fewer than MIN_RESPONDENTS answers: no total for all zones can be estimated, only
    # what was reported is shown (a total of 0 with an interval of 0 to 0 would mislead).
    estimable: bool = True

    def shown(self, attr: str = "total") -> str:
        if not self.estimable and attr in ESTIMATED:
            return "—"
        return amount(getattr(self, attr), self.name)

    @property
    def interval(self) -> str:
        if not self.estimable:
            return "—"
        return f"{self.shown('low')} – {self.shown('high')}"

    @property
    def shown_reported(self) -> str:
        return self.shown("reported")

    @property
    def shown_without(self) -> str:
        return self.shown("total_without_outliers")

    @property
    def share_percent(self) -> str:
        if not self.estimable:
            return "—"
        return number_format(round(self.share_estimated * 100))


@dataclass(frozen=True)
class GroupRow:
    # A province's name is content (marked where a translation is missing, by each output)
    label: str | LocalizedText
    zones: int
    respondents: int
    values: dict[str, float | None]
    reported: dict[str, float | None]
    merged: list[str | LocalizedText]  # the groups counted with this one
    # the group's interval from the total's bootstrap (absent in counts made before it)
    low: dict[str, float | None] = field(default_factory=dict)
    high: dict[str, float | None] = field(default_factory=dict)

    def shown(self, name: str) -> str:
        return amount(self.values.get(name), name)

    def shown_with_interval(self, name: str) -> str:
        """The group's total with its interval: "12,5 (10,1 – 15,0)"."""
        low, high = self.low.get(name), self.high.get(name)
        if self.values.get(name) is None or low is None or high is None:
            return self.shown(name)
        return f"{self.shown(name)} ({amount(low, name)} – {amount(high, name)})"

    @property
    def cells(self) -> list[str]:
        return [self.shown_with_interval(name) for name in QUANTITIES]


@dataclass(frozen=True)
class ImpactReport:
    round: EstimateRound
    counted_at: dt.datetime
    basis: str
    level: float
    replicates: int
    seed: int
    k: int
    zones: int
    respondents: int
    response_rate: float
    figures: list[Figure]
    breakdowns: dict[str, list[GroupRow]]
    outliers: list[dict]
    feasibility: list[tuple[str, int]]
    start: dict[str, str]
    comments: list[tuple[str, list[dict]]]

    @classmethod
    def from_run(cls, run: CountRun) -> ImpactReport:
        data = run.results
        if data.get("version") != VERSION:
            raise ValueError(f"unknown results version {data.get('version')!r}")
        labels, units = quantity_labels(), {k: str(v) for k, v in UNITS.items()}
        estimable = data["respondents"] >= MIN_RESPONDENTS
        figures = [
            Figure(
                name=n,
                label=labels[n],
                unit=units[n],
                estimable=estimable,
                **_figure(data["quantities"][n]),
            )
            for n in QUANTITIES
        ]
        levels = dict(Feasibility.choices)
        return from_json(
            cls,
            data,
            round=run.round,
            counted_at=dt.datetime.fromisoformat(data["counted_at"]),
            figures=figures,
            breakdowns={
                kind: [_group(kind, row, data) for row in rows]
                for kind, rows in data["breakdowns"].items()
            },
            outliers=[
                row | {"flags": [f | {"label": labels[f["quantity"]]} for f in row["flags"]]}
                for row in data["outliers"]
            ],
            feasibility=[
                (str(levels[int(k)]), data["feasibility"].get(str(k), 0)) for k in sorted(levels)
            ],
            start={k: date_format(dt.date.fromisoformat(v)) for k, v in data["start"].items()},
            comments=[(_comment_group(k, levels), texts) for k, texts in data["comments"].items()],
        )

    @property
    def headline(self) -> Figure:
        return self.figures[0]

    def headline_text(self) -> str:
        figure = self.headline
        if not figure.estimable:
            return _(
                "Too few zones answered to estimate a total for all zones: %(n)s of %(zones)s, "
                "at least %(min)s answers are needed. Only what the zones reported is shown."
            ) % {"n": self.respondents, "zones": self.zones, "min": MIN_RESPONDENTS}
        return _(
            "The new mission needs an estimated %(total)s across the %(zones)s zones "
            "(%(level)s %% interval %(low)s to %(high)s); %(share)s %% of this total is "
            "estimated for zones that did not answer."
        ) % {
            "total": figure.shown(),
            "zones": self.zones,
            "level": number_format(round(self.level * 100)),
            "low": figure.shown("low"),
            "high": figure.shown("high"),
            "share": number_format(round(figure.share_estimated * 100)),
        }

    def synthetic_warning(self) -> str:
        if self.round.is_synthetic or self.round.mission.is_synthetic:
            return _("Synthetic demo data: these figures are not real estimates.")
        return ""

    def tables(self) -> list[tuple[str, list[GroupRow]]]:
        """The breakdowns as (heading, rows), in the order the outputs show them."""
        return [(label, self.breakdowns[kind]) for kind, label in self.kind_labels().items()]

    def note_tables(self) -> list[tuple[str, list[GroupRow]]]:
        """The breakdowns the two-page note has room for (provinces are in the spreadsheet)."""
        return [t for t in self.tables() if t[0] != self.kind_labels()["province"]]

    def kind_labels(self) -> dict[str, str]:
        return {"region": _("Region"), "province": _("Province"), "size": _("Size class")}

    def method(self) -> list[str]:
        """The method in plain words, as printed on the report and the note."""
        basis = _("staff") if self.basis == Basis.PERSONNEL else _("population")
        level = number_format(round(self.level * 100))
        answered = ngettext(
            "%(n)s of the %(zones)s zones answered (%(rate)s %%).",
            "%(n)s of the %(zones)s zones answered (%(rate)s %%).",
            self.respondents,
        ) % {
            "n": self.respondents,
            "zones": self.zones,
            "rate": number_format(round(self.response_rate * 100)),
        }
        estimated = _(
            "For the zones that did not answer, the figure is estimated from the zones that "
            "did: within each region and size class, the reported figures are divided by the "
            "%(basis)s of the zones that reported them, and this ratio is applied to the "
            "%(basis)s of each zone that did not answer. A group with fewer than %(min)s "
            "answers is merged with the rest of its region, or with the whole country."
        ) % {"basis": basis, "min": MIN_RESPONDENTS}
        return [
            f"{answered} {estimated}",
            _(
                "The interval is a %(level)s %% interval: the answers of each group were drawn "
                "again at random %(replicates)s times (bootstrap, seed %(seed)s), taking into "
                "account that the answers already cover part of the zones; in %(level)s out of "
                "100 such rounds an interval made this way contains the true total. It covers "
                "the uncertainty from zones that did not answer, not errors in the answers "
                "themselves."
            )
            % {"level": level, "replicates": number_format(self.replicates), "seed": self.seed},
            _(
                "Answers whose figure per staff member is far from the others' (more than "
                "%(z)s robust standard deviations from the median) are flagged for the "
                "secretariat to check. They are kept in the totals; the total without them is "
                "given for comparison. Figures by province, region or size class are shown only "
                "for groups with at least %(k)s answers; smaller groups are counted together as "
                "“other”. Hours per year cannot exceed the zone's staff × %(hours)s hours."
            )
            % {"z": number_format(OUTLIER_Z), "k": self.k, "hours": HOURS_PER_FTE},
        ]


def _comment_group(key: str, levels: dict) -> str:
    if key == OTHER:
        return _("Other feasibility levels (each chosen by few zones)")
    return str(levels.get(int(key), _("No feasibility given")))


def _figure(row: dict) -> dict:
    keys = (
        "total low high reported estimated share_estimated outliers total_without_outliers"
    ).split()
    return {k: row[k] for k in keys}


def _group(kind: str, row: dict, data: dict) -> GroupRow:
    def label(key: str) -> str | LocalizedText:
        if kind == "region":
            return str(Region(key).label)
        if kind == "size":
            return size_labels()[key]
        return localize_values(data["province_labels"].get(key)) or key

    return GroupRow(
        label=_("Other") if row["key"] == OTHER else label(row["key"]),
        zones=row["zones"],
        respondents=row["respondents"],
        values={n: row[n] for n in QUANTITIES},
        reported={n: row[f"{n}_reported"] for n in QUANTITIES},
        merged=[label(k) for k in row["merged"]],
        low={n: row.get(f"{n}_low") for n in QUANTITIES},
        high={n: row.get(f"{n}_high") for n in QUANTITIES},
    )
