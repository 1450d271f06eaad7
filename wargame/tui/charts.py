"""Charts over time for the replay and compare screens, drawn in the terminal by textual-plotext.

Imported when a chart is first shown, not at start-up: plotext takes a fifth of a second to
import. Each line has its own marker as well as its colour, and the legend under a chart
repeats the marker with the name and the value at the cursor, so a chart reads without colour
(a projector, a print, the high-contrast theme).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Vertical
from textual.content import Content
from textual_plotext import PlotextPlot

from wargame.tui.widgets import Lines

MARKERS = "●▲■◆✚○△□"


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a chart."""

    label: str
    values: tuple[int, ...]
    colour: str
    """A theme variable ('power-0') or '' for the foreground."""
    now: int | None = None
    """The value at the cursor, shown in the legend (None: not shown)."""


class Chart(Vertical):
    """A titled line chart with its legend under it."""

    DEFAULT_CSS = """
    Chart {
        height: 1fr;
    }
    Chart PlotextPlot {
        height: 1fr;
    }
    Chart .chart-legend {
        height: 3;
        padding: 0 1;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._key: tuple[Any, ...] | None = None
        self._shown: tuple[Any, ...] | None = None

    def compose(self) -> ComposeResult:
        yield PlotextPlot()
        yield Lines("", classes="chart-legend")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._recolour)

    def _recolour(self, _: object) -> None:
        self._key = None
        if self._shown is not None:
            self.show(*self._shown)

    def show(
        self,
        title: str,
        x: tuple[float, ...],
        lines: tuple[Line, ...],
        mark: float | None,
        ticks: tuple[tuple[int, str], ...] = (),
        limits: tuple[tuple[float, float], tuple[float, float] | None] | None = None,
    ) -> None:
        """Draw `lines` over `x`, with a vertical line at `mark` (the cursor's turn, or where
        two saves part) and the x axis labelled at `ticks`; `limits` ((x0, x1), (y0, y1) or
        None) gives two charts side by side the same axes, or a game cut at the cursor the
        whole game's x axis."""
        colours = self.app.theme_variables
        self.query_one(".chart-legend", Lines).update(legend(lines, colours), layout=False)
        # The values at the cursor are in the legend only: the plot is drawn again when a
        # line or the mark moves, not at every step.
        key = (
            title,
            x,
            tuple((ln.label, ln.values, ln.colour) for ln in lines),
            mark,
            ticks,
            limits,
        )
        if key == self._key:
            return
        self._key = key
        self._shown = (title, x, lines, mark, ticks, limits)
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(title)
        for k, line in enumerate(lines):
            plt.plot(
                list(x),
                list(line.values),
                marker=MARKERS[k % len(MARKERS)],
                color=_rgb(colours.get(line.colour) or colours.get("foreground", "")),
            )
        if mark is not None:
            plt.vline(mark, color=_rgb(colours.get("warning", "")))
        if ticks:
            plt.xticks([p for p, _ in ticks], [t for _, t in ticks])
        values = [v for line in lines for v in line.values]
        y_span = limits[1] if limits is not None else None
        lo, hi = y_span if y_span is not None else (min(values, default=0), max(values, default=1))
        plt.yticks(*whole_ticks(lo, hi))
        if limits is not None:
            plt.xlim(*limits[0])
            if y_span is not None:
                plt.ylim(*y_span)
        plot.refresh()


def legend(lines: Sequence[Line], colours: dict[str, str]) -> Content:
    parts: list[Content | str | tuple[str, str]] = []
    for k, line in enumerate(lines):
        style = f"bold ${line.colour}" if line.colour in colours else "bold"
        value = f" {line.now}" if line.now is not None else ""
        parts.append((f"{MARKERS[k % len(MARKERS)]} ", style))
        parts.append(f"{line.label}{value}   ")
    return Content.assemble(*parts).rstrip()


def _rgb(value: str) -> tuple[int, int, int] | str:
    try:
        return Color.parse(value).rgb
    except Exception:  # a theme without the colour: plotext's default
        return "default"


def whole_ticks(lo: float, hi: float, most: int = 5) -> tuple[list[float], list[str]]:
    """Whole-number ticks for a y axis of counts and points (plotext would print 16.2 VP)."""
    lo_i, hi_i = int(lo), int(hi) if hi == int(hi) else int(hi) + 1
    span = max(1, hi_i - lo_i)
    step = max(1, -(-span // (most - 1)))
    marks = list(range(lo_i, hi_i + 1, step))
    return [float(m) for m in marks], [str(m) for m in marks]


def turn_ticks(x: Sequence[int], width: int) -> tuple[tuple[int, str], ...]:
    """Labels for a per-turn axis ('start', 'T1'…), thinned so that they fit in `width`."""
    labels = [(v, "start" if v == 0 else f"T{v}") for v in x]
    room = max(1, width // 7)
    step = max(1, -(-len(labels) // room))
    return tuple(labels[::step])
