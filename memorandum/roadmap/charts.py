"""SVG charts (matplotlib) for the dashboard and the initiative page.

Every chart is shown next to a table with the same numbers, so the chart is a reading aid,
never the only way to the data.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from memorandum.lib.text import printable  # noqa: E402
from memorandum.lib.validation import is_sane_date  # noqa: E402
from memorandum.roadmap.models import InitiativeStatus  # noqa: E402

# Colour-blind-safe (Okabe-Ito) colours, in the order the statuses are listed.
STATUS_COLOURS = {
    InitiativeStatus.PLANNED: "#999999",
    InitiativeStatus.ONGOING: "#0072B2",
    InitiativeStatus.AT_RISK: "#E69F00",
    InitiativeStatus.BLOCKED: "#D55E00",
    InitiativeStatus.DONE: "#009E73",
    InitiativeStatus.DROPPED: "#CCCCCC",
}

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "memorandum",
        "font.size": 9,
        "text.parse_math": False,  # a "$" in a title is text, never mathtext
    }
)


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def _short(label: str, length: int = 42) -> str:
    label = printable(label)
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def status_bars(rows: Sequence[tuple[str, dict[str, int]]], title: str) -> bytes:
    """Horizontal stacked bars: one bar per row label, one segment per status."""
    labels = [_short(label) for label, _counts in rows] or ["—"]
    height = 0.9 + 0.32 * len(labels)
    figure = Figure(figsize=(6.5, height))
    axes = figure.subplots()
    lefts = [0] * len(labels)
    for status, name in InitiativeStatus.choices:
        values = [counts.get(status, 0) for _label, counts in rows] or [0]
        if any(values):
            axes.barh(
                labels,
                values,
                left=lefts,
                color=STATUS_COLOURS[status],
                label=str(name),
                edgecolor="white",
            )
            lefts = [left + value for left, value in zip(lefts, values, strict=True)]
    axes.invert_yaxis()
    axes.set_title(printable(title), loc="left")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    if any(lefts):
        axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return _svg(figure)


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
    figure = Figure(figsize=(7.5, 1.0 + 0.3 * len(labels)))
    axes = figure.subplots()
    for row, (_label, start, end, status) in enumerate(bars):
        finish = end or max(today, start) + dt.timedelta(days=30)
        axes.barh(
            row,
            (finish - start).days or 1,
            left=mdates.date2num(start),
            color=STATUS_COLOURS.get(status, "#999999"),
            height=0.6,
        )
    rows = {label: row for row, label in enumerate(labels)}
    for label, due, done in milestones:
        if label in rows:
            axes.plot(
                mdates.date2num(due),
                rows[label],
                marker="D",
                markersize=5,
                color="#009E73" if done else ("#D55E00" if due < today else "#000000"),
                linestyle="none",
            )
    axes.axvline(mdates.date2num(today), color="#000000", linewidth=0.8, linestyle="--")
    axes.set_yticks(range(len(labels)), [_short(label) for label in labels])
    axes.invert_yaxis()
    axes.xaxis_date()
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    axes.set_title(printable(title), loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def indicator_line(
    points: Sequence[tuple[dt.date, float]], baseline: float, target: float, unit: str, title: str
) -> bytes:
    """A small line of measurements with the baseline and the target as reference lines."""
    figure = Figure(figsize=(4.2, 2.2))
    axes = figure.subplots()
    points = [(d, v) for d, v in points if is_sane_date(d) and math.isfinite(v)]
    if points:
        axes.plot(
            [mdates.date2num(d) for d, _v in points],
            [v for _d, v in points],
            marker="o",
            color="#0072B2",
        )
        locator = mdates.AutoDateLocator(minticks=2, maxticks=5)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.axhline(baseline, color="#999999", linestyle=":", linewidth=1)
    axes.axhline(target, color="#009E73", linestyle="--", linewidth=1)
    axes.set_ylabel(printable(unit))
    axes.set_title(printable(title), loc="left", fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)
