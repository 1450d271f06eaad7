"""The replay screen: a saved session stepped through for a debrief.

Everything it shows comes from the debrief model (`facilitation/debrief.py`), which `wargame
replay --text` and `wargame report` read too: the records in words, the board at any record and
what it changed, checkpoints, a team's viewpoint, filters, series, turning points, bookmarks.
The screen keeps only where the cursor is and how the leader looks at it (viewpoint, filter,
panel, pace); it never writes the journal. Bookmarks go to the sidecar beside it; a "what if"
and a comparison are asked of the App by message.

Panels: the timeline (with the record at the cursor in full under it), the board, the charts,
and the turning points with the bookmarks. At 160x48 all four show; at 80x24 one at a time,
and Tab changes panel. The VCR keys (arrows, PgUp/PgDn, Home/End, Space) work in every panel.
"""

from __future__ import annotations

import bisect
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from wargame.facilitation.text import role_name
from wargame.seats import BotSeat, HumanSeat, Seat
from wargame.tui import render
from wargame.tui.screens.compare import power_colour
from wargame.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, MessageDialog, PromptDialog
from wargame.tui.widgets import (
    WIDE,
    KeyBar,
    Lines,
    MapPanel,
    Pane,
    ReplayBoard,
    ReplaySide,
    StatusLine,
    Timeline,
)

if TYPE_CHECKING:
    from wargame.facilitation.bookmarks import Sidecar
    from wargame.facilitation.controller import Game
    from wargame.facilitation.debrief import Debrief, Entry
    from wargame.facilitation.turning import TurningPoint
    from wargame.state import State

PANELS = ("timeline", "board", "charts", "marks")
PANEL_NAMES = {
    "timeline": "Timeline",
    "board": "Board",
    "charts": "Charts",
    "marks": "Turning points",
}
CHARTS_DELAY = 0.08
"""Seconds after a step before the charts are drawn again (see `refresh_view`)."""

PACES = (0.5, 1.0, 2.0, 4.0, 8.0)
"""Steps per second when playing."""

FILTER_NAMES = {
    "": "everything (shuffles folded away)",
    "all": "everything, shuffles too",
    "notes": "notes only",
    "overrides": "overrides only",
    "notes,overrides": "notes and overrides",
    "interventions": "the White Cell's hand",
}

SHORT_FILTERS = {
    "": "all but shuffles",
    "all": "all, shuffles too",
    "notes": "notes",
    "overrides": "overrides",
    "notes,overrides": "notes, overrides",
    "interventions": "White Cell's hand",
}
"""The filters as the status line names them."""

Row = tuple[str, int]
"""('start', 0), ('head', record), ('entry', record), ('mark', bookmark index), ('more', 0)."""


class RecordDialog(MessageDialog):
    """One record whole (Enter in the timeline): its text scrolls with ↑↓, Enter or Escape
    closes it."""

    def __init__(self, title: str, body: Content) -> None:
        super().__init__(title, body, error=False)

    def on_mount(self) -> None:
        self.fit()
        self.query_one(".dialog-body").focus()


def seat_words(seat: Seat | None) -> tuple[str, str]:
    """Who played a seat, whole and where space is short ('greedy bot (hard)', 'greedy bot')."""
    if seat is None:
        return "", ""
    if isinstance(seat, BotSeat):
        return seat.describe(), f"{seat.bot} bot"
    if isinstance(seat, HumanSeat):
        return seat.describe(), (seat.name or seat.describe()).removeprefix("team ")
    return seat.describe(), seat.describe()


class ReplayScreen(Screen[None]):
    """A saved session for a debrief (see the module's docstring)."""

    BINDINGS = [
        Binding("question_mark", "app.help", "Help"),
        # The VCR keys work whichever panel has the focus: priority over the panels' own.
        Binding("left", "step(-1)", "Step", key_display="←→", priority=True),
        Binding("right", "step(1)", "Step", show=False, priority=True),
        Binding("pageup", "checkpoint(-1)", "Phase", key_display="PgUp/Dn", priority=True),
        Binding("pagedown", "checkpoint(1)", "Phase", show=False, priority=True),
        Binding("home", "first", "First", show=False, priority=True),
        Binding("end", "last", "Last", show=False, priority=True),
        Binding("space", "play", "Play", key_display="Space", priority=True),
        Binding("plus", "pace(1)", "Faster", show=False),
        Binding("equals_sign", "pace(1)", "Faster", show=False),
        Binding("minus", "pace(-1)", "Slower", show=False),
        Binding("ctrl+g", "goto_turn", "Turn N"),
        Binding("ctrl+t", "marks", "Turning points"),
        Binding("ctrl+f", "filter", "Filter"),
        Binding("f4", "viewpoint", "View as"),
        Binding("ctrl+b", "bookmark", "Bookmark"),
        Binding("ctrl+w", "branch", "What if"),
        Binding("ctrl+o", "compare", "Compare"),
        Binding("f3", "details", "Numbers", show=False),
        # Showing the map commits nothing: a letter is safe, as in the room.
        Binding("m", "toggle_map", "Map"),
        # Shown while the map has the focus; the map's own arrow bindings move its cursor.
        Binding("up", "point", "Point at a country", key_display="←↑↓→"),
        Binding("delete", "delete_bookmark", "Delete bookmark", show=False),
        Binding("tab", "panel(1)", "Panel", key_display="Tab", priority=True),
        Binding("shift+tab", "panel(-1)", "Panel", show=False, priority=True),
        Binding("escape", "back", "Back"),
    ]

    class Branched(Message):
        """A "what if" game was started from the replay: the App opens it to play."""

        def __init__(self, game: Game) -> None:
            super().__init__()
            self.game = game

    class Compare(Message):
        """Compare the save replayed with the save at `other`."""

        def __init__(self, screen: ReplayScreen, other: Path) -> None:
            super().__init__()
            self.screen = screen
            self.other = other

    def __init__(
        self,
        debrief: Debrief,
        *,
        start: int | None = None,
        saves: Path | None = Path("saves"),
        bots: list[str] | None = None,
        viewpoint: str = "",
        only: str = "",
    ) -> None:
        """`viewpoint` (a role id) and `only` (a filter of `Debrief.only`) as `wargame replay
        --viewpoint --only` give them; unknown ones are refused by the command first."""
        super().__init__()
        self.d = debrief
        self.saves = saves
        self.cursor = 0 if start is None else max(0, min(start, debrief.records))
        from wargame.observe import FACILITATOR

        self.everything = FACILITATOR
        """The White Cell's viewpoint (everything); otherwise `viewpoint` is a role id."""
        self.viewpoint = viewpoint or FACILITATOR
        self.filter = only
        self.panel = "timeline"
        self.on_map = False
        """The board panel shows the map (m), not the table."""
        self.details = False
        self.pace = 2
        self.timer: Timer | None = None
        self.sidecar: Sidecar = debrief.sidecar()
        self.rows: list[Row] = []
        self.stops: list[int] = [0]
        """The records a step lands on (those the filter keeps), 0 first."""
        self._entry_row: dict[int, int] = {}
        self._seen: list[Entry] = list(debrief.entries)
        self._seen_key: tuple[str, int] = (FACILITATOR, -1)
        self._reveals = sorted({e.revealed_at for e in debrief.entries if e.revealed_at})
        self._charts_ready = False
        self._bots = bots
        self._cut = 0
        self._points: list[TurningPoint] = []
        """Found after the first frame (`find_turning_points`)."""
        self._marks_key: tuple[object, ...] = ()
        self._rows_key: tuple[object, ...] = ()
        self._charts_timer: Timer | None = None
        h = debrief.header
        self._bots_seated = {
            r.index for r in debrief.tables.roles if isinstance(h.seats.get(r.id), BotSeat)
        }
        """Roles a bot played (from the save's seats): their reasons restate their orders, so
        the timeline leaves them to the detail."""
        """Rows past this one are not shown (a team's view stops at the cursor)."""

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield StatusLine(id="rp-status")
        yield Lines("", id="rp-banner")
        yield Lines("", id="rp-tabs")
        with Horizontal(id="rp-body"):
            with Vertical(id="rp-left"):
                with Vertical(id="rp-timeline-panel", classes="rp-panel"):
                    yield Timeline(self.draw_row, id="rp-timeline")
                    yield Lines("", id="rp-detail")
                with Vertical(id="rp-marks-panel", classes="rp-panel"):
                    yield OptionList(id="rp-marks")
            with Vertical(id="rp-right"):
                with Horizontal(id="rp-board-panel", classes="rp-panel"):
                    with Pane(id="rp-board-pane"):
                        yield ReplayBoard(id="rp-board")
                        yield MapPanel(id="rp-map", with_cursor=False, cursor_on_focus=True)
                    with Pane(id="rp-side"):
                        yield ReplaySide(id="rp-side-panel")
                yield VerticalScroll(id="rp-charts-panel", classes="rp-panel")
        yield KeyBar()

    def on_mount(self) -> None:
        banner = self.d.banner
        if self.sidecar.problem:
            banner = (banner + "\n" if banner else "") + self.sidecar.problem
        self.query_one("#rp-banner", Lines).update(Content.styled(banner, "bold $warning"))
        self.query_one("#rp-banner").display = bool(banner)
        self.build_rows()
        self.layout_panels()
        self.refresh_view()
        self.query_one("#rp-timeline").focus()
        self.call_after_refresh(self.find_turning_points)
        # The charts after the first frame: plotext is slow to import, and the timeline is
        # what the leader reads first.
        self.call_after_refresh(self._first_frame)
        self.call_after_refresh(self.mount_charts)

    def find_turning_points(self) -> None:
        self._points = self.d.turning_points(limit=10)
        self.fill_marks()

    def _first_frame(self) -> None:
        """benchmarks/bench_replay.py sets WARGAME_READY_FILE to time the opening of a
        save, as the setup screen does for the start-up."""
        import os
        import time

        ready = os.environ.get("WARGAME_READY_FILE")
        if ready:
            Path(ready).write_text(repr(time.time()), encoding="utf-8")
            self.app.exit(0)

    def on_resize(self) -> None:
        self.layout_panels()
        self.refresh_view()

    @property
    def wide(self) -> bool:
        return self.app.size.width >= WIDE

    def layout_panels(self) -> None:
        """At 160x48 every panel shows; at 80x24 only the chosen one (Tab changes it)."""
        wide = self.wide
        for name in PANELS:
            self.query_one(f"#rp-{name}-panel").display = wide or name == self.panel
        self.query_one("#rp-left").display = wide or self.panel in ("timeline", "marks")
        self.query_one("#rp-right").display = wide or self.panel in ("board", "charts")
        tabs = self.query_one("#rp-tabs", Lines)
        tabs.display = not wide
        parts: list[str | tuple[str, str]] = []
        for name in PANELS:
            if name == self.panel:
                parts.append((f" ▸{PANEL_NAMES[name]} ", "bold reverse"))
            else:
                parts.append((f"  {PANEL_NAMES[name]} ", "$text-muted"))
        parts.append(("  Tab: next panel", "$text-muted"))
        tabs.update(Content.assemble(*parts))

    async def mount_charts(self) -> None:
        from wargame.tui.charts import Chart

        box = self.query_one("#rp-charts-panel", VerticalScroll)
        await box.mount_all(
            [Chart(id="rp-chart-vp"), Chart(id="rp-chart-tracks"), Chart(id="rp-chart-camps")]
        )
        self._charts_ready = True
        self.refresh_charts()

    # ------------------------------------------------------------------ the rows

    def build_rows(self) -> None:
        """The timeline's rows for the filter: a header per turn and phase, the records kept,
        and the bookmarks after the record they mark."""
        d = self.d
        f = self.filter
        if f == "":
            keep = {e.record for e in d.entries if not e.noise}
        elif f == "all":
            keep = {e.record for e in d.entries}
        else:
            keep = {e.record for e in d.only(f)}
        marks = sorted(enumerate(self.sidecar.bookmarks), key=lambda m: m[1].record)
        rows: list[Row] = [("start", 0)]
        k = 0
        while k < len(marks) and marks[k][1].record == 0:
            rows.append(("mark", marks[k][0]))
            k += 1
        group: tuple[int, str] | None = None
        entry_row: dict[int, int] = {}
        for e in d.entries:
            if e.record not in keep:
                continue
            while k < len(marks) and marks[k][1].record < e.record:
                rows.append(("mark", marks[k][0]))
                k += 1
            if (e.turn, e.phase) != group:
                group = (e.turn, e.phase)
                rows.append(("head", e.record))
            entry_row[e.record] = len(rows)
            rows.append(("entry", e.record))
            while k < len(marks) and marks[k][1].record == e.record:
                rows.append(("mark", marks[k][0]))
                k += 1
        rows.extend(("mark", m[0]) for m in marks[k:])
        self.rows = rows
        self._entry_row = entry_row
        self.stops = [0, *sorted(keep)]

    def current_row(self) -> int:
        """The row of the record at the cursor, or of the last one the filter keeps before it
        (the start's row when there is none)."""
        k = bisect.bisect_right(self.stops, self.cursor) - 1
        record = self.stops[max(0, k)]
        return self._entry_row.get(record, 0)

    def shown_rows(self) -> int:
        """How many rows the timeline shows: all for the White Cell; for a team, those up to
        the cursor (what it had seen by then), and one saying so."""
        if self.viewpoint == self.everything:
            self._cut = len(self.rows)
            return self._cut
        cut = self.current_row() + 1
        while cut < len(self.rows) and self.rows[cut][0] == "mark":
            if self.sidecar.bookmarks[self.rows[cut][1]].record > self.cursor:
                break
            cut += 1
        self._cut = cut
        return cut + 1 if cut < len(self.rows) else cut

    def seen(self, record: int) -> Entry:
        """Record `record` as the viewpoint saw it with the cursor where it is."""
        if self.viewpoint == self.everything:
            return self.d.entries[record - 1]
        key = (self.viewpoint, bisect.bisect_right(self._reveals, self.cursor))
        if key != self._seen_key:
            self._seen = self.d.visible(self.viewpoint, at=self.cursor)
            self._seen_key = key
        return self._seen[record - 1]

    def draw_row(self, i: int) -> Content:
        if i >= self._cut:
            return Content.styled(
                "  … later records are not shown in a team's view: → steps on", "$text-muted"
            )
        kind, value = self.rows[i]
        current = i == self.current_row()
        if kind == "start":
            text = f"{'▶' if current else ' '}    {self.start_title()}"
            line = Content.styled(text, "bold")
            return line.stylize("reverse") if current else line
        if kind == "head":
            return Content.styled(f"── {self.d.entries[value - 1].title} ──", "bold $text-accent")
        if kind == "mark":
            b = self.sidecar.bookmarks[value]
            note = f" — {b.note}" if b.note else ""
            return Content.assemble(("      ★ ", "bold $accent"), (b.label, "bold"), note)
        e = self.seen(value)
        return render.entry_row(e, current=current, bot=e.role in self._bots_seated)

    # ------------------------------------------------------------------ drawing

    def refresh_view(self) -> None:
        self.refresh_status()
        self.fill_marks(force=False)
        # The rows are drawn again whole when they change (a filter, a bookmark, a team's view,
        # whose rows depend on the cursor); a step alone redraws the cursor's two rows.
        key = (self.viewpoint, self.filter, len(self.rows), id(self.rows))
        same = key == self._rows_key and self.viewpoint == self.everything
        self._rows_key = key
        self.query_one("#rp-timeline", Timeline).show(
            self.shown_rows(), self.current_row(), changed=not same
        )
        self.refresh_detail()
        if self.wide or self.panel == "board":
            self.refresh_board()
        if self.wide or self.panel == "charts":
            # The charts a moment later, once the step is on screen: drawing three plots
            # costs more than the rest of a step, and holding a key down should not queue
            # them up (one redraw for the last position).
            if self._charts_timer is not None:
                self._charts_timer.stop()
            self._charts_timer = self.set_timer(CHARTS_DELAY, self.refresh_charts)

    def refresh_status(self) -> None:
        d = self.d
        st = d.state_at(self.cursor)
        t = d.tables
        turn = min(st.turn, t.turns)
        year = t.start_year + (turn - 1) * t.years_per_turn
        where = "game over" if st.over else f"Turn {turn} ({year}), {st.phase}"
        play = (
            f"▶ playing {PACES[self.pace]:g}/s (+/- pace)"
            if self.timer is not None
            else "❚❚ paused"
        )
        head = Content.assemble(
            ("Replay", "bold $text-accent"),
            "  ",
            (f"record {self.cursor} of {d.records}", "bold"),
            f"  {where}  ",
            (play, "bold" if self.timer is not None else "$text-muted"),
        )
        view = (
            "White Cell (all)"
            if self.viewpoint == self.everything
            else f"{role_name(t, t.role_index[self.viewpoint])} (what it saw then)"
        )
        f = self.filter
        shown = SHORT_FILTERS.get(f) or self.filter_words(f)
        parent = d.header.parent
        tail = Content.assemble(
            ("View: ", "$text-muted"),
            view,
            ("  Filter: ", "$text-muted"),
            shown,
            "  ",
            (d.path.name, "bold"),
            (
                f" (a “what if” of {parent.get('file')} from record {parent.get('record')})"
                if parent
                else "",
                "$text-muted",
            ),
        )
        width = self.size.width or self.app.size.width
        if head.cell_length + 3 + tail.cell_length <= width - 2:
            content = Content.assemble(head, "   ", tail)
        else:
            content = Content("\n").join([head, tail])
        self.query_one("#rp-status", StatusLine).show_content(content)

    def filter_words(self, f: str) -> str:
        """A filter as the status line names it ('notes, Island Councils's orders')."""
        t = self.d.tables
        words = []
        for part in filter(None, (p.strip() for p in f.split(","))):
            r = t.role_index.get(part)
            words.append(
                SHORT_FILTERS.get(part)
                or (f"{role_name(t, r)}'s orders" if r is not None else part)
            )
        return ", ".join(words)

    def refresh_detail(self) -> None:
        box = self.query_one("#rp-detail", Lines)
        k = bisect.bisect_right(self.stops, self.cursor) - 1
        record = self.cursor if self.cursor in self._entry_row else self.stops[max(0, k)]
        body = self.start_text() if record == 0 else self.detail(record)
        # A box of fixed height (a new height at each step would lay the screen out again):
        # what does not fit is one key away.
        width = box.content_region.width or self.app.size.width - 2
        height = box.content_region.height or 6
        lines = body.wrap(max(10, width))
        if len(lines) > height:
            more = Content.styled("… Enter shows the whole record", "$text-muted")
            body = Content("\n").join([*lines[: height - 1], more])
        box.update(body, layout=False)

    def detail(self, record: int) -> Content:
        d = self.d
        e = self.seen(record)
        changes = () if e.hidden else tuple(c.text for c in d.changes_at(record).changes[:6])
        marks = tuple((b.label, b.note) for b in self.sidecar.at(record))
        body = render.entry_detail(
            e, changes, records=d.records, details=self.details, bookmarks=marks
        )
        if 0 < record == self.cursor:
            st = d.state_at(record)
            if not st.over and st.turn > d.state_at(record - 1).turn:
                # The board here is the new turn's (the status line says so), the step the
                # last of the turn before: a "go to turn N" lands here.
                body = Content.assemble(
                    (
                        f"Turn {st.turn} ({st.year}) begins after this step, the last of turn "
                        f"{st.turn - 1}:\n",
                        "bold",
                    ),
                    body,
                )
        if record != self.cursor:
            body = Content.assemble(
                (
                    f"The cursor is at record {self.cursor}, which this filter leaves out; "
                    f"the last record shown is:\n",
                    "$text-muted",
                ),
                body,
            )
        return body

    def start_title(self) -> str:
        """The timeline's first row: a "what if" starts where it was cut from."""
        if not self.d.header.parent:
            return f"Start of the game ({self.d.tables.start_year})"
        st = self.d.state_at(0)
        return f"Start of this “what if” (turn {st.turn}, {st.year})"

    def start_text(self) -> Content:
        d = self.d
        t = d.tables
        h = d.header
        st = d.state_at(0)
        seats = ", ".join(
            f"{role_name(t, r.index)}: {h.seats[r.id].describe()}"
            for r in t.roles
            if h.present[r.index] and r.id in h.seats
        )
        title = (
            f"The start of this “what if”: turn {st.turn} ({st.year})"
            if h.parent
            else "The start of the game"
        )
        parts: list[str | tuple[str, str]] = [
            (title, "bold"),
            f"\n{t.scenario.title}, {t.turns} turns from {t.start_year}, seed {h.seed}.",
            f"\nSeats: {seats}.",
        ]
        if h.parent:
            parts.append(
                f"\nA “what if” of {h.parent.get('file')}, from its record "
                f"{h.parent.get('record')}."
            )
        parts.append(
            (
                "\n→ steps forward, PgDn goes to the next phase, Ctrl+T lists the turning points.",
                "$text-muted",
            )
        )
        return Content.assemble(*parts)

    def view_state(self) -> State:
        return self.d.view_at(self.cursor, self.viewpoint)

    def refresh_board(self) -> None:
        from wargame.tui.render import board_width

        d = self.d
        t = d.tables
        st = self.view_state()
        ch = d.changes_at(self.cursor)
        board = self.query_one("#rp-board", ReplayBoard)
        panel = self.query_one("#rp-map", MapPanel)
        side = self.query_one("#rp-side")
        # Beside the map the teams and tracks give way to it (they are one m away).
        board.display = side.display = not self.on_map
        panel.display = self.on_map
        if self.on_map:
            panel.show(d.map_at(self.cursor, self.viewpoint), self.map_area())
            return
        pane = self.query_one("#rp-board-pane").scrollable_content_region.width
        board.show(st, ch.countries, wide=pane >= board_width(st, wide=True))
        rows = tuple(
            (
                r.index,
                *seat_words(d.header.seats.get(r.id)),
                "◀" if r.index in ch.scores or r.index in ch.influence else "",
            )
            for r in t.roles
            if st.present[r.index]
        )
        hand: tuple[str, ...] = ()
        if self.viewpoint != self.everything:
            me = t.role_index[self.viewpoint]
            hand = tuple(t.cards[c].title for c in st.hand[me] if 0 <= c < len(t.cards))
        self.query_one("#rp-side-panel", ReplaySide).show(
            st, self.track_history(st), rows, ch.tracks, hand, wide=self.wide
        )

    def track_history(self, st: State) -> tuple[tuple[int, ...], ...]:
        """The tracks at the end of each turn before the cursor's, then at the cursor."""
        s = self.d.series("turn")
        ends = [j for j, x in enumerate(s.x) if x < st.turn]
        keys = sorted(s.tracks)
        return (*(tuple(s.tracks[k][j] for k in keys) for j in ends), tuple(st.tracks))

    def refresh_charts(self) -> None:
        """VP, tracks and camps per turn, the cursor's turn marked. For the White Cell the
        whole game; for a team, only up to the cursor (the rest had not happened for it)."""
        if not self._charts_ready:
            return
        from wargame.facilitation.debrief import series_of
        from wargame.tui.charts import Chart, Line, turn_ticks

        d = self.d
        t = d.tables
        s = d.series("turn")
        st = d.state_at(self.cursor)
        now = series_of(t, "record", (self.cursor,), [st])
        turn = min(st.turn, t.turns)
        mark = float(turn) if st.over else turn - 0.5
        width = self.query_one("#rp-charts-panel").size.width or 80
        ticks = turn_ticks(s.x, width // (3 if self.wide else 1))
        x: tuple[float, ...] = tuple(float(v) for v in s.x)
        keep = len(x)
        if self.viewpoint != self.everything:
            # The turns ended before the cursor, then the cursor itself.
            keep = sum(1 for v in s.x if v < st.turn)
            x = (*x[:keep], mark)

        def upto(values: tuple[int, ...], value: int) -> tuple[int, ...]:
            return values if keep == len(s.x) else (*values[:keep], value)

        vp = tuple(
            Line(
                s.names["vp"][r],
                upto(s.vp[r], now.vp[r][0]),
                power_colour(t.roles[r].power),
                now.vp[r][0],
            )
            for r in sorted(s.vp)
        )
        tracks = tuple(
            Line(s.names["tracks"][k], upto(s.tracks[k], now.tracks[k][0]), "", now.tracks[k][0])
            for k in sorted(s.tracks)
        )
        camps = tuple(
            Line(
                s.names["camps"][p],
                upto(s.camps[p], now.camps[p][0]),
                power_colour(p),
                now.camps[p][0],
            )
            for p in sorted(s.camps)
        )
        # The whole game's x axis, so a team's chart cut at the cursor leaves the rest blank.
        limits = ((float(s.x[0]), float(s.x[-1])), None) if len(s.x) > 1 else None
        self.query_one("#rp-chart-vp", Chart).show("Victory points", x, vp, mark, ticks, limits)
        self.query_one("#rp-chart-tracks", Chart).show("Tracks", x, tracks, mark, ticks, limits)
        self.query_one("#rp-chart-camps", Chart).show(
            "Camps (aligned or ambiguous countries)", x, camps, mark, ticks, limits
        )

    def fill_marks(self, force: bool = True) -> None:
        """The turning points (each with its reason) and the bookmarks, each jumpable. In a
        team's view, only those up to the cursor: a later turning point names orders the
        team had not seen yet."""
        points = self._points
        marks_kept = list(enumerate(self.sidecar.bookmarks))
        if self.viewpoint != self.everything:
            points = [p for p in points if p.record <= self.cursor]
            marks_kept = [(k, b) for k, b in marks_kept if b.record <= self.cursor]
        key = (self.viewpoint, len(points), tuple(k for k, _ in marks_kept))
        if key == self._marks_key and not force:
            return
        self._marks_key = key
        marks = self.query_one("#rp-marks", OptionList)
        at = marks.highlighted
        marks.clear_options()
        # The leader's own bookmarks first (a few lines), then the turning points (a long
        # reason wraps over several lines at 80 columns).
        options: list[Option] = [
            Option(
                Content.styled(
                    "Bookmarks — Ctrl+B marks the cursor, Delete removes one", "bold $text-accent"
                ),
                disabled=True,
            )
        ]
        for k, b in marks_kept:
            note = f" — {b.note}" if b.note else ""
            options.append(
                Option(
                    Content.assemble(
                        (f"Record {b.record:>4}  ", "$text-muted"),
                        ("★ ", "bold $accent"),
                        (b.label, "bold"),
                        note,
                    ),
                    id=f"b{k}",
                )
            )
        if not marks_kept:
            options.append(Option(Content.styled("(none yet)", "$text-muted"), disabled=True))
        options.append(
            Option(
                Content.styled("Turning points — Enter jumps there", "bold $text-accent"),
                disabled=True,
            )
        )
        for p in points:
            why = f" — {p.reason}" if p.reason else ""
            options.append(
                Option(
                    Content.assemble(
                        (f"Record {p.record:>4}  ", "$text-muted"),
                        (f"Turn {p.turn} ({p.year}): ", "bold"),
                        p.text,
                        (why, "$text-muted"),
                    ),
                    id=f"r{p.record}",
                )
            )
        if not points:
            none = (
                "(none yet)" if self.viewpoint != self.everything else "(none: nothing swung much)"
            )
            options.append(Option(Content.styled(none, "$text-muted"), disabled=True))
        marks.add_options(options)
        if at is not None and at < len(options):
            marks.highlighted = at

    # ------------------------------------------------------------------ moving

    def goto(self, record: int) -> None:
        self.cursor = max(0, min(record, self.d.records))
        self.refresh_view()

    def action_step(self, delta: int) -> None:
        k = bisect.bisect_right(self.stops, self.cursor) - 1
        if delta > 0:
            nxt = k + 1 if self.stops[max(0, k)] <= self.cursor else k
            if nxt >= len(self.stops):
                self.stop_playing()
                self.app.notify("This is the last record the filter shows.", timeout=3)
                return
            self.goto(self.stops[nxt])
        else:
            prev = k - 1 if self.stops[max(0, k)] == self.cursor else k
            if prev < 0 or self.cursor == 0:
                self.app.notify("This is the start of the game.", timeout=3)
                return
            self.goto(self.stops[prev])

    def action_checkpoint(self, delta: int) -> None:
        d = self.d
        self.goto(d.next_checkpoint(self.cursor) if delta > 0 else d.prev_checkpoint(self.cursor))

    def action_first(self) -> None:
        self.goto(0)

    def action_last(self) -> None:
        self.goto(self.d.records)

    def on_timeline_moved(self, msg: Timeline.Moved) -> None:
        msg.stop()
        self.action_step(msg.delta)

    def on_timeline_picked(self, msg: Timeline.Picked) -> None:
        msg.stop()
        if not 0 <= msg.row < len(self.rows):
            return
        kind, value = self.rows[msg.row]
        if kind == "entry":
            self.goto(value)
        elif kind == "start":
            self.goto(0)
        elif kind == "mark":
            self.goto(self.sidecar.bookmarks[value].record)
        if msg.opened and self.cursor > 0:
            self.app.push_screen(RecordDialog(f"Record {self.cursor}", self.detail(self.cursor)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id or ""
        if oid.startswith("r"):
            self.goto(int(oid[1:]))
        elif oid.startswith("b"):
            k = int(oid[1:])
            if 0 <= k < len(self.sidecar.bookmarks):
                self.goto(self.sidecar.bookmarks[k].record)
        if not self.wide:
            self.show_panel("timeline")

    # ------------------------------------------------------------------ playing

    def action_play(self) -> None:
        if self.timer is not None:
            self.stop_playing()
            return
        if self.cursor >= self.stops[-1]:
            self.cursor = 0
        self.timer = self.set_interval(1 / PACES[self.pace], self._tick)
        self.refresh_status()

    def stop_playing(self) -> None:
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
            self.refresh_status()

    def _tick(self) -> None:
        if self.cursor >= self.stops[-1]:
            self.stop_playing()
            return
        self.action_step(1)

    def action_pace(self, delta: int) -> None:
        self.pace = max(0, min(len(PACES) - 1, self.pace + delta))
        if self.timer is not None:
            self.timer.stop()
            self.timer = self.set_interval(1 / PACES[self.pace], self._tick)
        self.refresh_status()
        self.app.notify(f"Pace: {PACES[self.pace]:g} steps a second.", timeout=2)

    # ------------------------------------------------------------------ panels

    def action_panel(self, delta: int) -> None:
        if self.wide:
            board = "rp-map" if self.on_map else "rp-board-pane"
            order = ["rp-timeline", board, "rp-charts-panel", "rp-marks"]
            focused = self.focused.id if self.focused is not None else ""
            i = order.index(focused) if focused in order else -1
            self.query_one(f"#{order[(i + delta) % len(order)]}").focus()
            return
        i = PANELS.index(self.panel)
        self.show_panel(PANELS[(i + delta) % len(PANELS)])

    def show_panel(self, name: str, *, point: bool = True) -> None:
        """Bring panel `name` forward with the focus; on the board panel the map takes it when
        shown (the arrows then point at a country), unless `point` is false (m keeps them
        stepping)."""
        self.panel = name
        self.layout_panels()
        self.refresh_view()
        target = {
            "timeline": "#rp-timeline",
            "board": "#rp-map" if self.on_map and point else "#rp-board-pane",
            "charts": "#rp-charts-panel",
            "marks": "#rp-marks",
        }[name]
        self.query_one(target).focus()

    def action_marks(self) -> None:
        if self.wide:
            self.query_one("#rp-marks").focus()
        else:
            self.show_panel("marks")
        marks = self.query_one("#rp-marks", OptionList)
        if marks.highlighted is None:
            first = next(
                (i for i, o in enumerate(marks.options) if not o.disabled and o.id != "b-none"),
                None,
            )
            marks.highlighted = first

    def map_area(self) -> tuple[int, int]:
        """Columns and lines the board panel gives the map, from the screen's size (the panel
        may not be laid out yet when m brings it forward at 80 columns): on a projector the
        right-hand column beside the timeline (wargame.tcss: 66 columns and a border) above
        the charts; at 80 columns the screen under the status line and the tabs."""
        width, height = self.app.size
        for selector in ("#rp-status", "#rp-banner", KeyBar):
            widget = self.query_one(selector)
            if widget.display:
                height -= widget.outer_size.height
        if self.wide:
            return width - 66 - 1 - 3, self.query_one("#rp-board-panel").content_region.height
        return width - 3, height - 1  # the line of tabs

    def action_toggle_map(self) -> None:
        """Table or map in the board panel (at 80 columns the board panel comes forward). The
        arrow keys still step through the save; Tab brings the focus to the map, and they then
        point at a country (its standing and alliances under the map) until Tab moves on."""
        focused = self.focused.id if self.focused is not None else ""
        self.on_map = not self.on_map
        if not self.wide and self.panel != "board":
            self.show_panel("board", point=False)
        else:
            self.refresh_board()
            if focused == "rp-map":
                self.query_one("#rp-board-pane").focus()
        self.query_one(KeyBar).refresh_keys()

    def key_label(self, action: str) -> str | None:
        if action == "toggle_map":
            return "Table" if self.on_map else "Map"
        return None

    def action_details(self) -> None:
        self.details = not self.details
        self.refresh_detail()

    def action_back(self) -> None:
        self.stop_playing()
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.notify("Ctrl+Q leaves the replay.", timeout=3)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return len(self.app.screen_stack) > 2
        if action == "panel":
            return True
        pointing = isinstance(self.focused, MapPanel)
        if action == "step" and pointing:
            return False  # the arrows point at a country on the map (Tab: back to stepping)
        if action == "point":
            return pointing
        return True

    def action_point(self) -> None:
        """Nothing: the map's own arrow keys move its cursor (this binding names them)."""

    def on_descendant_focus(self, _: events.DescendantFocus) -> None:
        self.keys_changed()

    def on_descendant_blur(self, _: events.DescendantBlur) -> None:
        self.keys_changed()

    def keys_changed(self) -> None:
        """The arrows step, or point at the map: the key bar says which, and the map is drawn
        again for the room the bar leaves it (its line naming the country must show)."""
        self.query_one(KeyBar).refresh_keys()
        if self.on_map:
            self.call_after_refresh(self.refresh_board)

    # ------------------------------------------------------------------ looking

    def action_goto_turn(self) -> None:
        last = self.d.last_turns()
        first = self.d.turn_at(0)

        def check(text: str) -> str | None:
            try:
                n = int(text)
            except ValueError:
                return f"Type a turn number from {first} to {last}."
            if not first <= n <= last:
                return f"This save has turns {first} to {last}."
            return None

        def chosen(text: str | None) -> None:
            if text:
                self.goto(self.d.first_record_of_turn(int(text)))

        self.app.push_screen(
            PromptDialog(
                "Go to a turn",
                f"Turn number ({first} to {last}), then Enter:",
                number=True,
                required=True,
                max_length=3,
                check=check,
            ),
            chosen,
        )

    def action_viewpoint(self) -> None:
        t = self.d.tables
        options: list[tuple[str, str]] = [("The White Cell: everything", self.everything)]
        for r in t.roles:
            if self.d.header.present[r.index]:
                name = role_name(t, r.index)
                options.append(
                    (f"{name}: what it saw then (its hand, not the others' orders)", r.id)
                )

        def chosen(v: str | None) -> None:
            if v is None:
                return
            self.viewpoint = v
            self.refresh_view()

        self.app.push_screen(ChoiceDialog("Whose view?", options), chosen)

    def action_filter(self) -> None:
        t = self.d.tables
        options = [(text[0].upper() + text[1:], key) for key, text in FILTER_NAMES.items()]
        options[-1] = (
            "The White Cell's hand: notes, overrides, undos, injects and reseats",
            "interventions",
        )
        for r in t.roles:
            if self.d.header.present[r.index]:
                options.append((f"{role_name(t, r.index)}: its orders and rationales", r.id))

        def chosen(v: str | None) -> None:
            if v is None:
                return
            self.filter = v
            self.build_rows()
            self.refresh_view()

        self.app.push_screen(ChoiceDialog("Show which records?", options), chosen)

    # ------------------------------------------------------------------ bookmarks

    def action_bookmark(self) -> None:
        if self.d.read_only:
            self.app.push_screen(
                MessageDialog(
                    "Read-only",
                    "This save is shown only in part (it failed verification): no bookmark "
                    "is written beside it.",
                    error=False,
                )
            )
            return
        record = self.cursor

        def noted(note: str | None, label: str) -> None:
            if note is None:
                return
            self.sidecar.add(record, label, note)
            self.save_sidecar()

        def labelled(label: str | None) -> None:
            if not label:
                return
            self.app.push_screen(
                PromptDialog(
                    f"Bookmark at record {record}",
                    "A teaching note for the class (optional; Enter to skip):",
                ),
                lambda note: noted(note, label),
            )

        self.app.push_screen(
            PromptDialog(
                f"Bookmark at record {record}",
                "A short label (shown in the timeline and the list of marks):",
                required=True,
                max_length=120,
            ),
            labelled,
        )

    def save_sidecar(self) -> None:
        try:
            self.sidecar.save()
        except OSError as exc:
            self.app.push_screen(
                MessageDialog(
                    "Could not save the bookmarks",
                    [f"{self.sidecar.path}: {exc.strerror or exc}"],
                )
            )
        self.build_rows()
        self.fill_marks()
        self.refresh_view()

    def action_delete_bookmark(self) -> None:
        marks = self.query_one("#rp-marks", OptionList)
        if self.focused is not marks or marks.highlighted is None:
            return
        oid = marks.get_option_at_index(marks.highlighted).id or ""
        if not oid.startswith("b"):
            return
        mark = self.sidecar.bookmarks[int(oid[1:])]

        def sure(ok: bool | None) -> None:
            if ok:
                self.sidecar.remove(mark)
                self.save_sidecar()

        self.app.push_screen(
            ConfirmDialog(f"Delete the bookmark “{mark.label}”?", yes="Delete", no="Keep"), sure
        )

    # ------------------------------------------------------------------ what if, compare

    def action_branch(self) -> None:
        from wargame.tui.screens.branch import BranchDialog

        self.stop_playing()
        if self.d.read_only:
            self.app.push_screen(
                MessageDialog(
                    "Read-only",
                    "This save is shown only in part (it failed verification): no “what if” "
                    "can be built on it.",
                    error=False,
                )
            )
            return
        if self.saves is None:
            self.app.push_screen(
                MessageDialog(
                    "Saving is off",
                    "A “what if” is a new game with its own save, and saving is off (--no-save).",
                    error=False,
                )
            )
            return
        record = self.cursor

        def chosen(seats: Any) -> None:
            if seats is None:
                return
            from wargame.errors import WargameError

            try:
                game = self.d.branch(record, Path(self.saves or "saves"), seats)
            except (WargameError, OSError) as exc:
                self.app.push_screen(MessageDialog("Cannot start the “what if”", str(exc)))
                return
            self.app.post_message(self.Branched(game))

        self.app.push_screen(BranchDialog(self.d, record, self._bots), chosen)

    def action_compare(self) -> None:
        from wargame.facilitation.siblings import sharing_start

        self.stop_playing()
        found = sharing_start(self.d.path, [self.saves])
        if not found:
            self.app.push_screen(
                MessageDialog(
                    "Nothing to compare with",
                    "No other save shares this one's start (the same scenario, seed and "
                    "seats). Ctrl+W starts a “what if” from the cursor; compare with it "
                    "once it is played.",
                    error=False,
                )
            )
            return

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.app.post_message(self.Compare(self, path))

        self.app.push_screen(
            ChoiceDialog(
                "Compare with which save?",
                [(s.label, s.path) for s in found],
                note="Saves that share this one's start: the same scenario, seed and seats.",
            ),
            chosen,
        )
