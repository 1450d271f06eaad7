"""The compare view: two saves that share a start side by side (a game and its "what if", or
two games from one start): where they part, what each did there, and their scores and tracks
over time, with the place they part marked. Enter takes the replay to that record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen

from wargame.tui.widgets import KeyBar, Lines

if TYPE_CHECKING:
    from wargame.facilitation.compare import Comparison
    from wargame.facilitation.debrief import Debrief, Series


def power_colour(p: int) -> str:
    """The theme variable of power `p`'s colour ('' for a role of no power)."""
    return f"power-{p % 6}" if p >= 0 else ""


class CompareScreen(Screen[int | None]):
    """Two saves side by side. Dismissed with the record of the first save where they part
    (Enter: the replay goes there) or None (Escape)."""

    BINDINGS = [
        Binding("question_mark", "app.help", "Help"),
        Binding("enter", "go", "Go to where they part"),
        Binding("escape", "back", "Back to the replay"),
    ]

    def __init__(self, a: Debrief, b: Debrief, comparison: Comparison) -> None:
        super().__init__()
        self.a = a
        self.b = b
        self.c = comparison

    def compose(self) -> ComposeResult:
        yield Lines(self.head(), id="cmp-head")
        with VerticalScroll(id="cmp-body"):
            with Horizontal(id="cmp-columns"):
                with Vertical(classes="cmp-column"):
                    yield Lines(Content.styled(self.a.path.name, "bold"), classes="cmp-name")
                    yield Vertical(id="cmp-a", classes="cmp-charts")
                with Vertical(classes="cmp-column"):
                    yield Lines(Content.styled(self.b.path.name, "bold"), classes="cmp-name")
                    yield Vertical(id="cmp-b", classes="cmp-charts")
        yield KeyBar()

    def head(self) -> Content:
        c = self.c
        parts: list[str | tuple[str, str]] = [
            ("Compare", "bold $text-accent"),
            "  ",
            (c.text, "bold"),
        ]
        for d, record in ((self.a, c.record_a), (self.b, c.record_b)):
            if record is not None:
                e = d.entries[record - 1]
                parts += [
                    "\n",
                    (f"{d.path.name}, record {record} ({e.title}): ", "$text-muted"),
                    e.text,
                ]
            elif c.diverge is not None:
                parts += ["\n", (f"{d.path.name} ends before that point.", "$text-muted")]
        final = []
        for d in (self.a, self.b):
            st = d.state_at(d.records)
            scores = ", ".join(
                f"{name} {sum(st.vp[r])}" for r, name in d.series().names["vp"].items()
            )
            where = "final VP" if st.over else f"VP in turn {st.turn}"
            final.append(f"{d.path.name}, {where}: {scores}")
        parts += ["\n", ("\n".join(final), "$text-muted")]
        return Content.assemble(*parts)

    async def on_mount(self) -> None:
        from wargame.tui.charts import Chart

        for key in ("a", "b"):
            box = self.query_one(f"#cmp-{key}", Vertical)
            await box.mount_all([Chart(id=f"cmp-{key}-vp"), Chart(id=f"cmp-{key}-tracks")])
        self.draw()
        self.query_one("#cmp-body").focus()

    def draw(self) -> None:
        from wargame.tui.charts import Chart, Line

        mark = float(self.c.diverge) if self.c.diverge is not None else None
        both = (self.c.a, self.c.b)
        x_span = (
            float(min(min(s.x) for s in both)),
            float(max(max(s.x) for s in both)),
        )

        def span(values: list[int]) -> tuple[float, float]:
            return float(min(values, default=0)), float(max(values, default=1))

        vp_span = span([v for s in both for ys in s.vp.values() for v in ys])
        tr_span = span([v for s in both for ys in s.tracks.values() for v in ys])
        for key, d, s in (("a", self.a, self.c.a), ("b", self.b, self.c.b)):
            roles = d.tables.roles
            vp = tuple(
                Line(s.names["vp"][r], s.vp[r], power_colour(roles[r].power), s.vp[r][-1])
                for r in sorted(s.vp)
            )
            tracks = tuple(
                Line(s.names["tracks"][k], s.tracks[k], "", s.tracks[k][-1])
                for k in sorted(s.tracks)
            )
            ticks = self.ticks(d, s)
            x = tuple(float(v) for v in s.x)
            self.query_one(f"#cmp-{key}-vp", Chart).show(
                "Victory points (│ where they part)", x, vp, mark, ticks, (x_span, vp_span)
            )
            self.query_one(f"#cmp-{key}-tracks", Chart).show(
                "Tracks", x, tracks, mark, ticks, (x_span, tr_span)
            )

    @staticmethod
    def ticks(d: Debrief, s: Series) -> tuple[tuple[int, str], ...]:
        """The x axis (actions from the shared start) labelled where each turn begins."""
        out = []
        for n in range(1, d.last_turns() + 1):
            try:
                i = d.first_record_of_turn(n)
            except IndexError:
                break
            out.append((i + d.offset, f"T{n}"))
        step = max(1, -(-len(out) // 6))
        return tuple(out[::step])

    def action_go(self) -> None:
        self.dismiss(self.c.record_a if self.c.record_a is not None else None)

    def action_back(self) -> None:
        self.dismiss(None)
