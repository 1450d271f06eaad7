"""The report's charts as inline SVG, drawn with matplotlib's SVG backend (no display, no
files): VP per team, the global tracks, and the size of each power's camp, over the turns; and
a sweep's win rates by variant."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

WIDTH, HEIGHT = 7.2, 3.0
"""Inches: a chart fills the width of a printed page."""


def _figure(height: float = HEIGHT) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("svg")
    matplotlib.rcParams["svg.hashsalt"] = "wargame-report"  # the same ids on every run
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, searchable
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH, height))
    return fig, fig.add_subplot()


def _svg(fig: Any) -> str:
    """The figure as an `<svg>` element (without an XML prolog, ready to inline)."""
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[int]],
    *,
    ylabel: str = "",
) -> str:
    """One line chart as an `<svg>` element (without an XML prolog, ready to inline)."""
    fig, ax = _figure()
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
    return _svg(fig)


def interval_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    lows: Sequence[float],
    highs: Sequence[float],
    *,
    band: tuple[float, float] | None = None,
    ylabel: str = "",
    percent: bool = False,
) -> str:
    """Estimates with their intervals, one bar per label (horizontal, so long labels read),
    with a shaded `band` (the range the criteria accept) when given, `percent` for values that
    are fractions; as an `<svg>` element."""
    fig, ax = _figure(height=max(1.6, 0.9 + 0.28 * len(labels)))
    ys = list(range(len(labels)))
    inside = [band is None or band[0] <= v <= band[1] for v in values]
    colours = ["#4c72b0" if ok else "#c44e52" for ok in inside]
    below = [v - lo for v, lo in zip(values, lows, strict=True)]
    errs = [below, [hi - v for v, hi in zip(values, highs, strict=True)]]
    ax.barh(ys, list(values), xerr=errs, color=colours, height=0.6, capsize=2)
    if band is not None:
        ax.axvspan(band[0], band[1], color="#55a868", alpha=0.15)
        title += " (shaded: the criteria's band)"
    if percent:
        from matplotlib.ticker import PercentFormatter

        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_yticks(ys, list(labels))
    ax.invert_yaxis()  # the first label on top, as in the tables
    ax.set_title(title, fontsize=10)
    if ylabel:
        ax.set_xlabel(ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, axis="x", alpha=0.3)
    return _svg(fig)
