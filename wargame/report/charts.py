"""The report's charts as inline SVG, drawn with matplotlib's SVG backend (no display, no
files): VP per team, the global tracks, and the size of each power's camp, over the turns."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

WIDTH, HEIGHT = 7.2, 3.0
"""Inches: a chart fills the width of a printed page."""


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[int]],
    *,
    ylabel: str = "",
) -> str:
    """One line chart as an `<svg>` element (without an XML prolog, ready to inline)."""
    import matplotlib

    matplotlib.use("svg")
    matplotlib.rcParams["svg.hashsalt"] = "wargame-report"  # the same ids on every run
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, searchable
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH, HEIGHT))
    ax = fig.add_subplot()
    xs = list(range(len(labels)))
    markers = "osD^vP*X"
    for k, (name, values) in enumerate(series.items()):
        ax.plot(xs, list(values), marker=markers[k % len(markers)], markersize=3, label=name)
    ax.set_xticks(xs, list(labels))
    ax.set_xlabel("at the end of each turn", fontsize=7)
    ax.set_title(title, fontsize=10)
    if ylabel:
        ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
