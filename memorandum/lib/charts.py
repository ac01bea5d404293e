"""Every chart of the platform: survey results, roadmap dashboard and the publication.

One palette, one font (the body font of the pages and the printed memorandum) and one set
of matplotlib settings, applied with ``rc_context`` around each drawing: no module changes
matplotlib's global state at import, so one request's chart cannot restyle another's.

- SVG keeps its text as text (``svg.fonttype: none``): searchable, sharp, read by screen
  readers and drawn by the browser or WeasyPrint in the body font; PNG only for Word.
- The same data gives the same bytes (fixed hash salt, no date in the metadata).
- A label that does not fit is wrapped at word boundaries; only past three lines is it
  shortened, at a word. Every chart stands beside a table that has the full label and
  every number, so the chart is a reading aid, never the only way to the data.
- Numbers are shown for what they are: integers without decimals, large scores scaled
  (thousands, millions) with the scale named on the axis.
- A stored value no renderer can place (control characters, ``$`` mathtext, NaN, a number
  or a date out of range) is dropped from the picture rather than taking the page down.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps

import matplotlib
import matplotlib.dates as mdates
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from memorandum.lib.text import printable
from memorandum.lib.validation import is_sane_date

# The palette: the federation's dark blue as the one accent, greys for the rest.
ACCENT = "#1f3864"
GREY = "#767676"  # 4.5:1 against white, both ways
LIGHT = "#cccccc"
GRID = "#d5d9e0"
INK = "#1d2330"
# Colour-blind-safe (Okabe-Ito) colours for the initiative statuses, by stored value.
STATUS_COLOURS = {
    "planned": "#999999",
    "ongoing": "#0072B2",
    "at_risk": "#E69F00",
    "blocked": "#D55E00",
    "done": "#009E73",
    "dropped": LIGHT,
}
DONE, OVERDUE = STATUS_COLOURS["done"], STATUS_COLOURS["blocked"]

# The printed memorandum's text column is 168 mm (A4 less its margins): a chart drawn at
# that width is placed at 100 % and its 9 pt labels stay 9 pt beside 10 pt body text.
TEXT_WIDTH = 168 / 25.4
FONT_SIZE = 9
STYLE = {
    "svg.fonttype": "none",  # text stays text, in the page's font
    "svg.hashsalt": "memorandum",  # same data, same file
    "text.parse_math": False,  # a "$" in a title is text, never mathtext
    "text.usetex": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["Liberation Sans", "DejaVu Sans"],
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE - 1,
    "ytick.labelsize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE - 1,
    "axes.edgecolor": GREY,
    "axes.labelcolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
}
# Beyond this a value is out of any chart's range (the table still shows it).
LARGEST = 1e15
LABEL_WIDTH = 38  # characters per line of a bar's label
PRIORITY_LABEL_WIDTH = 48  # the same in the publication's chart, which has the whole text width
LABEL_LINES = 3


def styled(draw: Callable) -> Callable:
    """Run a drawing function inside the platform's chart style (and only there)."""

    @wraps(draw)
    def inside(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)

    return inside


def svg_bytes(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def png_bytes(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=200, metadata={"Software": None})
    return buffer.getvalue()


def inline_svg(svg: bytes, description: str) -> str:
    """An ``<svg>`` element to put in a page, with its text alternative."""
    text = svg.decode()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    escaped = description.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return text.replace("<svg ", f'<svg role="img" aria-label="{escaped}" ', 1)


def wrap(label: object, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    """The label over at most ``lines`` lines, broken and (if need be) shortened at words."""
    text = " ".join(printable(label).split())
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder=" …")) or "—"


def finite(value: object) -> float:
    """The value as a number a chart can place, or 0 (NaN, infinities, absurd magnitudes)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return 0.0
    return number if math.isfinite(number) and abs(number) < LARGEST else 0.0


@dataclass(frozen=True)
class Scale:
    """How to show a series of numbers: divided by ``divisor``, with ``decimals`` decimals;
    ``unit`` names the division for the axis ("in thousands"), empty when there is none."""

    divisor: float = 1.0
    decimals: int = 0
    unit: str = ""

    def format(self, value: float) -> str:
        """The number as a table cell shows it; "—" for a value no number can say (NaN)."""
        if not math.isfinite(value):
            return "—"
        return number_format(value / self.divisor, self.decimals, force_grouping=True)

    def label(self, text: str) -> str:
        return f"{text} ({self.unit})" if self.unit else text


def scale_for(values: Iterable[object]) -> Scale:
    """Integers as integers; fractions with the decimals their size needs; scores in the
    tens of thousands and more scaled to thousands or millions."""
    numbers = [finite(v) for v in values]
    top = max((abs(n) for n in numbers), default=0.0)
    if top >= 1e6:
        divisor, unit = 1e6, _("in millions")
    elif top >= 1e4:
        divisor, unit = 1e3, _("in thousands")
    else:
        divisor, unit = 1.0, ""
    if divisor == 1.0 and all(n.is_integer() for n in numbers):
        return Scale()
    shown = top / divisor
    return Scale(divisor, 0 if shown >= 100 else 1 if shown >= 10 else 2, unit)


def tick_format(divisor: float = 1.0) -> FuncFormatter:
    """Axis numbers in the user's language: "2", "2,5", "0,25" (never "2,00")."""

    def label(value: float, _position) -> str:
        value = value / divisor
        decimals = 0 if value.is_integer() else 1 if (value * 10).is_integer() else 2
        return number_format(value, decimals, force_grouping=True)

    return FuncFormatter(label)


def _bar_figure(labels: Sequence[str], *, width: float = TEXT_WIDTH) -> tuple[Figure, object]:
    """A figure for one horizontal bar per label, tall enough for the wrapped labels."""
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    row = 0.12 + 0.15 * lines
    figure = Figure(figsize=(width, 0.8 + row * max(len(labels), 1)), layout="constrained")
    return figure, figure.add_subplot()


def _date_axis(axes, days: int) -> None:
    """Dates on the x axis in the user's language ("mei 2025"), not matplotlib's English."""
    pattern = "j b" if days < 90 else "b Y"
    locator = mdates.AutoDateLocator(minticks=2, maxticks=6)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: date_format(mdates.num2date(value).date(), pattern))
    )


# Survey results -------------------------------------------------------------------------


@styled
def rank_intervals(order: list[dict], *, top_k: int, xlabel: str) -> bytes:
    """Each item's rank (dot) with its bootstrap interval (bar), best at the top."""
    labels = [wrap(f"{row['code']} {row['title']}") for row in order]
    figure, axes = _bar_figure(labels, width=7.5)
    ys = list(range(len(order)))
    ranks = [finite(row["rank"]) for row in order]
    # The official rank can fall outside its bootstrap interval in rare, divided cases.
    low = [max(0.0, rank - finite(row["rank_low"])) for rank, row in zip(ranks, order, strict=True)]
    high = [
        max(0.0, finite(row["rank_high"]) - rank) for rank, row in zip(ranks, order, strict=True)
    ]
    axes.errorbar(
        ranks, ys, xerr=[low, high], fmt="o", color=ACCENT, ecolor=GREY, elinewidth=3,
        capsize=4, markersize=7,
    )  # fmt: skip
    axes.set_yticks(ys, labels)
    axes.invert_yaxis()
    last = int(max([finite(row["rank_high"]) for row in order] + [len(order), 1]))
    axes.set_xlim(0.5, last + 0.5)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=min(last, 20)))
    axes.set_xlabel(printable(xlabel))
    if top_k < last:
        axes.axvline(top_k + 0.5, color=GREY, linestyle=":", linewidth=1)
    axes.grid(axis="x")
    return svg_bytes(figure)


@styled
def participation(rows: list[dict], *, xlabel: str) -> bytes:
    """Response rate per region and province, as horizontal bars (0–100 %)."""
    labels = [wrap(row["label"]) for row in rows]
    figure, axes = _bar_figure(labels, width=7.5)
    ys = list(range(len(rows)))
    percents = [min(max(finite(row["percent"]), 0.0), 100.0) for row in rows]
    colours = [ACCENT if row["kind"] == "region" else GREY for row in rows]
    axes.barh(ys, percents, color=colours)
    for y, percent, row in zip(ys, percents, rows, strict=True):
        voted, expected = (number_format(finite(row[key]), 0) for key in ("voted", "expected"))
        text = f"{number_format(percent, 0 if percent.is_integer() else 1)} % ({voted}/{expected})"
        # A long bar carries its figure inside, in white; a short one beside it.
        inside = percent >= 70
        axes.text(
            percent - 1 if inside else percent + 1, y, text, va="center",
            ha="right" if inside else "left", color="white" if inside else INK,
            fontsize=FONT_SIZE - 1,
        )  # fmt: skip
    axes.set_yticks(ys, labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(printable(xlabel))
    return svg_bytes(figure)


# The impact of a mission -------------------------------------------------------------------


@styled
def reported_and_estimated(
    rows: Sequence[dict], *, xlabel: str, reported: str, estimated: str, fmt: str = "svg"
) -> bytes:
    """One bar per group (rows with ``label``, ``reported``, ``estimated``): the part the
    zones reported, then the part estimated for the others (SVG, or PNG for Word)."""
    labels = [wrap(row["label"]) for row in rows]
    figure, axes = _bar_figure(labels, width=7.5)
    ys = list(range(len(rows)))
    known = [finite(row["reported"]) for row in rows]
    axes.barh(ys, known, color=ACCENT, label=printable(reported))
    axes.barh(
        ys, [finite(row["estimated"]) for row in rows], left=known, color=GREY,
        label=printable(estimated),
    )  # fmt: skip
    axes.set_yticks(ys, labels)
    axes.invert_yaxis()
    axes.set_xlabel(printable(xlabel))
    axes.xaxis.set_major_formatter(tick_format())
    axes.legend(loc="lower right", frameon=False)
    return png_bytes(figure) if fmt == "png" else svg_bytes(figure)


# The publication --------------------------------------------------------------------------


@styled
def _priority_figure(rows: Sequence, score_label: str) -> Figure:
    """One bar per recommendation (rows with ``code``, ``title``, ``score``), best on top."""
    # The full text width leaves room for longer lines than the app's charts: most titles
    # fit on one line ("C5 Responsabilité sociétale des entreprises") instead of leaving
    # one word alone on a second.
    labels = [wrap(f"{row.code} {row.title}", PRIORITY_LABEL_WIDTH) for row in rows]
    figure, axes = _bar_figure(labels)
    scale = scale_for(row.score for row in rows)
    scores = [finite(row.score) / scale.divisor for row in rows]
    positions = list(range(len(rows)))
    axes.barh(positions, scores, color=ACCENT, height=0.62)
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_xlabel(scale.label(printable(score_label)))
    axes.xaxis.set_major_formatter(tick_format())
    axes.grid(axis="x")
    for position, row, score in zip(positions, rows, scores, strict=True):
        shown = scale.format(row.score) if finite(row.score) == row.score else "—"
        axes.annotate(
            shown, (score, position), xytext=(3, 0), textcoords="offset points",
            va="center", fontsize=FONT_SIZE - 1,
        )  # fmt: skip
    axes.margins(x=0.08)
    return figure


def priority_chart_svg(priorities, score_label: str, description: str) -> str:
    """The publication's priority chart as an inline ``<svg>`` element with its text
    alternative (HTML pages; the PDF embeds the same SVG as an image)."""
    with matplotlib.rc_context(STYLE):
        svg = svg_bytes(_priority_figure(priorities.rows, score_label))
    return inline_svg(svg, description)


def priority_chart_png(priorities, score_label: str) -> bytes:
    """The same chart as a PNG for Word (which does not take SVG everywhere)."""
    with matplotlib.rc_context(STYLE):
        return png_bytes(_priority_figure(priorities.rows, score_label))


def score_scale(priorities) -> Scale:
    """How the publication's table shows the scores (HTML, PDF, DOCX), the same way as
    its chart: one scale for the column, named in its heading with :meth:`Scale.label`."""
    return scale_for(row.score for row in priorities.rows)


# The roadmap ------------------------------------------------------------------------------


@styled
def status_bars(
    rows: Sequence[tuple[str, dict[str, int]]],
    title: str,
    statuses: Sequence[tuple[str, str]],
) -> bytes:
    """Horizontal stacked bars: one bar per row label, one segment per status
    (``statuses`` are the (value, name) choices in the order of the legend)."""
    labels = [wrap(label) for label, _counts in rows] or ["—"]
    figure, axes = _bar_figure(labels, width=7.5)
    positions = list(range(len(labels)))
    lefts = [0.0] * len(labels)
    for status, name in statuses:
        values = [finite(counts.get(status, 0)) for _label, counts in rows] or [0.0]
        if any(values):
            axes.barh(
                positions, values, left=lefts, color=STATUS_COLOURS.get(status, GREY),
                label=printable(name), edgecolor="white",
            )  # fmt: skip
            lefts = [left + value for left, value in zip(lefts, values, strict=True)]
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_title(printable(title), loc="left")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    if any(lefts):
        axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return svg_bytes(figure)


@styled
def timeline(
    bars: Sequence[tuple[str, dt.date, dt.date | None, str]],
    milestones: Sequence[tuple[str, dt.date, bool]],
    today: dt.date,
    title: str,
) -> bytes:
    """A Gantt-like chart: one bar per initiative (label, start, end, status), milestones as
    diamonds on their initiative's line (label, due, done), and a line for today."""
    # Dates a chart cannot place (refused at the edge, but perhaps stored before) are left out.
    bars = [bar for bar in bars if is_sane_date(bar[1]) and is_sane_date(bar[2])]
    milestones = [m for m in milestones if is_sane_date(m[1])]
    labels = [label for label, *_rest in bars] or ["—"]
    figure, axes = _bar_figure([wrap(label, 34, 2) for label in labels], width=7.5)
    first = last = today
    for row, (_label, start, end, status) in enumerate(bars):
        finish = end or max(today, start) + dt.timedelta(days=30)
        first, last = min(first, start), max(last, finish)
        axes.barh(
            row, (finish - start).days or 1, left=mdates.date2num(start),
            color=STATUS_COLOURS.get(status, GREY), height=0.6,
        )  # fmt: skip
    rows = {label: row for row, label in enumerate(labels)}
    for label, due, done in milestones:
        if label in rows:
            colour = DONE if done else (OVERDUE if due < today else INK)
            axes.plot(mdates.date2num(due), rows[label], marker="D", markersize=5, color=colour)
    axes.axvline(mdates.date2num(today), color=INK, linewidth=0.8, linestyle="--")
    axes.set_yticks(range(len(labels)), [wrap(label, 34, 2) for label in labels])
    axes.invert_yaxis()
    axes.xaxis_date()
    _date_axis(axes, (last - first).days)
    axes.set_title(printable(title), loc="left")
    return svg_bytes(figure)


@styled
def indicator_line(
    points: Sequence[tuple[dt.date, float]], baseline: float, target: float, unit: str, title: str
) -> bytes:
    """A small line of measurements with the baseline and the target as reference lines."""
    figure = Figure(figsize=(4.2, 2.2), layout="constrained")
    axes = figure.add_subplot()
    points = [(d, finite(v)) for d, v in points if is_sane_date(d)]
    if points:
        axes.plot(
            [mdates.date2num(d) for d, _v in points],
            [v for _d, v in points],
            marker="o",
            color=ACCENT,
        )
        days = (max(d for d, _v in points) - min(d for d, _v in points)).days
        _date_axis(axes, days)
    axes.axhline(finite(baseline), color=GREY, linestyle=":", linewidth=1)
    axes.axhline(finite(target), color=DONE, linestyle="--", linewidth=1)
    scale = scale_for([finite(baseline), finite(target), *(v for _d, v in points)])
    axes.yaxis.set_major_formatter(tick_format(scale.divisor))
    axes.set_ylabel(scale.label(printable(unit)))
    axes.set_title(wrap(title, 60, 2), loc="left")
    return svg_bytes(figure)
