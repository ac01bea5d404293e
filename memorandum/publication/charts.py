"""The priority chart: a horizontal bar per recommendation, best-ranked on top.

Drawn with matplotlib's object API (no pyplot, so no global state between requests);
SVG for HTML and PDF, PNG for Word. The SVG is deterministic (fixed hash salt, no date)
so that the same data gives a byte-identical HTML page. The data table always goes
beside the chart; the chart only adds the picture.
"""

from __future__ import annotations

import io
import re
import textwrap

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["text.parse_math"] = False  # a "$" in a title is text, never mathtext

from django.utils.formats import number_format  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from memorandum.publication.document import Priorities  # noqa: E402

ACCENT = "#1f3864"


def _figure(priorities: Priorities, score_label: str) -> Figure:
    rows = priorities.rows
    labels = [f"{r.code}  " + textwrap.shorten(str(r.title), 42, placeholder="…") for r in rows]
    height = 0.9 + 0.34 * max(len(rows), 1)
    figure = Figure(figsize=(6.4, height), dpi=100)
    axes = figure.add_subplot()
    positions = list(range(len(rows)))
    axes.barh(positions, [r.score for r in rows], color=ACCENT, height=0.62)
    axes.set_yticks(positions, labels=labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel(score_label, fontsize=8)
    # Decimal commas in French and Dutch, like the table beside the chart.
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: number_format(value, 1)))
    axes.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="x", color="#d5d9e0", linewidth=0.6)
    axes.set_axisbelow(True)
    for position, row in zip(positions, rows, strict=True):
        axes.text(
            row.score,
            position,
            f" {number_format(row.score, 2)}",
            va="center",
            fontsize=7,
            color="#1d2330",
        )
    figure.tight_layout()
    return figure


def priority_chart_svg(priorities: Priorities, score_label: str, description: str) -> str:
    """The chart as an inline ``<svg>`` element with a text alternative."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "memorandum", "svg.fonttype": "path"}):
        _figure(priorities, score_label).savefig(
            buffer, format="svg", metadata={"Date": None, "Creator": None}
        )
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    escaped = description.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escaped}" ', 1)


def priority_chart_png(priorities: Priorities, score_label: str) -> bytes:
    """The chart as a PNG for Word (which does not take SVG everywhere)."""
    buffer = io.BytesIO()
    _figure(priorities, score_label).savefig(
        buffer, format="png", dpi=200, metadata={"Software": None}
    )
    return buffer.getvalue()
