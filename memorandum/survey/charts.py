"""Result charts as SVG (matplotlib), drawn in greys and one accent so they print well.

Every chart has a data table beside it on the page; the charts only add the picture.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display on servers
from matplotlib.figure import Figure  # noqa: E402

ACCENT = "#1f4e79"
GREY = "#8a8a8a"
matplotlib.rcParams["svg.fonttype"] = "none"  # keep text as text: sharper, searchable, smaller
matplotlib.rcParams["svg.hashsalt"] = "memorandum"  # same data, same file
matplotlib.rcParams["text.parse_math"] = False  # a "$" in a title is text, never mathtext


def _svg(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def _short(text: str, limit: int = 48) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rank_intervals(order: list[dict], *, top_k: int, xlabel: str) -> bytes:
    """Each item's rank (dot) with its bootstrap interval (bar), best at the top."""
    n = len(order)
    fig = Figure(figsize=(7.5, 0.42 * n + 1.1))
    ax = fig.add_subplot()
    ys = list(range(n))
    ranks = [row["rank"] for row in order]
    # The official rank can fall outside its bootstrap interval in rare, divided cases.
    low = [max(0, row["rank"] - row["rank_low"]) for row in order]
    high = [max(0, row["rank_high"] - row["rank"]) for row in order]
    ax.errorbar(
        ranks,
        ys,
        xerr=[low, high],
        fmt="o",
        color=ACCENT,
        ecolor=GREY,
        elinewidth=3,
        capsize=4,
        markersize=7,
    )
    ax.set_yticks(ys, [f"{row['code']}  {_short(row['title'])}" for row in order])
    ax.invert_yaxis()
    last = max([row["rank_high"] for row in order] + [n, 1])
    ax.set_xlim(0.5, last + 0.5)
    step = 1 if last <= 20 else 5
    ax.set_xticks([1, *range(step, last + 1, step)] if step > 1 else range(1, last + 1))
    ax.set_xlabel(xlabel)
    if top_k < last:
        ax.axvline(top_k + 0.5, color=GREY, linestyle=":", linewidth=1)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig)


def participation(rows: list[dict], *, xlabel: str) -> bytes:
    """Response rate per region and province, as horizontal bars (0–100 %)."""
    n = len(rows)
    fig = Figure(figsize=(7.5, 0.36 * n + 1.0))
    ax = fig.add_subplot()
    ys = list(range(n))
    colours = [ACCENT if row["kind"] == "region" else GREY for row in rows]
    ax.barh(ys, [row["percent"] for row in rows], color=colours)
    for y, row in zip(ys, rows, strict=True):
        ax.text(
            min(row["percent"] + 1, 92),
            y,
            f"{row['percent']} % ({row['voted']}/{row['expected']})",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(ys, [row["label"] for row in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig)
