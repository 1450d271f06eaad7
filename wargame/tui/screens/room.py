"""The situation room: the projected board every team may see.

Rendered from the public view (no hand, no unrevealed order), so it can stay on the shared
screen during the orders phase. The White Cell drives the session from here.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.filter import LineFilter

from wargame.facilitation import room
from wargame.pending import ChanceDue, OrdersDue
from wargame.tui.render import board_width, status_parts
from wargame.tui.screens.common import FACILITATOR_BINDINGS, FacilitatorScreen
from wargame.tui.screens.dialogs import MessageDialog
from wargame.tui.widgets import (
    Board,
    GameLog,
    KeyBar,
    Pane,
    SidePanel,
    StatusLine,
    true_colour_filters,
)


class RoomScreen(FacilitatorScreen):
    BINDINGS = [
        Binding("enter", "next_team", "Next team"),
        *FACILITATOR_BINDINGS,
        *[Binding(str(k), f"team({k})", show=False) for k in range(1, 10)],
        Binding("question_mark", "app.help", "Help"),
        Binding("ctrl+q", "app.request_quit", "Quit", show=False),  # Ctrl+Q: every screen
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.facilitator_check(action)

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        # A grid, not a Horizontal: one container less to restyle and paint on every F2.
        with Pane(id="board-pane"):
            yield Board(id="board")
        with Pane(id="side"):
            yield SidePanel(id="side-panel", classes="section")
        yield GameLog(id="log")
        yield KeyBar()

    def get_line_filters(self) -> list[LineFilter]:
        return true_colour_filters(self)  # the screen itself only shows its background

    def on_mount(self) -> None:
        self.query_one("#log", GameLog).set_lines(room.all_log_lines(self.game))
        self.refresh_view()
        self.query_one("#board-pane").focus()

    def on_resize(self) -> None:
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.refresh_view()
        self.query_one("#log", GameLog).scroll_end(animate=False)
        self.request_drive()

    # ------------------------------------------------------------------ rendering

    def refresh_view(self) -> None:
        g = self.game
        st = g.public()
        wide = self.wide
        # The board shows numbers beside its bars when its pane has room for them.
        pane = self.query_one("#board-pane").scrollable_content_region.width
        board_wide = pane >= board_width(st, wide=True)
        self.query_one("#board", Board).show(st, not wide, wide=board_wide)
        self.query_one("#side-panel", SidePanel).show(
            st, tuple(g.track_history()), tuple(room.team_rows(g)), wide=wide
        )
        self.refresh_status()

    def refresh_status(self) -> None:
        self.query_one("#status", StatusLine).update(self.status_content())
        self.query_one(KeyBar).refresh_keys()

    def status_content(self) -> Content:
        """The status line; when it is too long for the screen (80 columns), what comes next
        ("Enter: hand over to …") goes whole onto a second line rather than being cut."""
        head, following = status_parts(self.game)
        width = self.size.width or self.app.size.width
        if not following:
            return head
        if head.cell_length + 2 + following.cell_length <= width - 2:
            return Content.assemble(head, "  ", following)
        return Content.assemble(head, "\n", following)

    def add_log(self, lines: list[str]) -> None:
        if lines:
            self.query_one("#log", GameLog).add_lines(lines)

    # ------------------------------------------------------------------ keys

    def action_next_team(self) -> None:
        g = self.game
        waiting = g.humans_waiting()
        if waiting:
            self.tell_app(self.HandOver(waiting[0]))
            return
        due = g.pending()
        if isinstance(due, OrdersDue) and g.bots_waiting():
            self.app.notify("Every team has committed; the bots are finishing their orders.")
        elif isinstance(due, ChanceDue):
            from wargame.facilitation.room import DRAW_WAITING

            self.app.notify(DRAW_WAITING + ".", timeout=8)
        else:
            self.request_drive()

    def action_team(self, k: int) -> None:
        g = self.game
        r = k - 1
        t = g.tables
        if not 0 <= r < len(t.roles) or not g.state.present[r]:
            return
        if r in g.humans_waiting():
            self.tell_app(self.HandOver(r))
        elif g.is_bot(r):
            self.app.push_screen(
                MessageDialog(g.team(r), "This seat is played by a bot.", error=False)
            )
        elif not isinstance(g.pending(), OrdersDue):
            self.app.notify("Orders are not open now.")
        else:
            self.app.notify(f"{g.team(r)} has already committed its orders.", markup=False)
