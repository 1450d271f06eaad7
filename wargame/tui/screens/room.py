"""The situation room: the projected board every team may see.

Rendered from the public view (no hand, no unrevealed order), so it can stay on the shared
screen during the orders phase. The White Cell drives the session from here.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.filter import LineFilter
from textual.widget import Widget

from wargame.facilitation import room
from wargame.facilitation.tilemap import MapView, layout_of, map_view
from wargame.pending import ChanceDue, OrdersDue
from wargame.tui import maprender
from wargame.tui.render import board_width, status_parts
from wargame.tui.screens.common import FACILITATOR_BINDINGS, FacilitatorScreen
from wargame.tui.screens.dialogs import MessageDialog
from wargame.tui.widgets import (
    Board,
    GameLog,
    KeyBar,
    MapPanel,
    Pane,
    SidePanel,
    StatusLine,
    true_colour_filters,
)

SIDE_BESIDE_MAP = 34
"""The side panel's width beside the map on a projector (wargame.tcss, `RoomScreen.-map`)."""
LOG_BESIDE_MAP = 8
"""The log's height under the map on a projector (wargame.tcss)."""


def region_width(pane: Widget) -> int:
    return pane.scrollable_content_region.width


class RoomScreen(FacilitatorScreen):
    BINDINGS = [
        Binding("enter", "next_team", "Next team"),
        *FACILITATOR_BINDINGS,
        # Showing a map commits nothing: a letter is safe here, and "m" is what people try.
        Binding("m", "toggle_map", "Map"),
        *[Binding(str(k), f"team({k})", show=False) for k in range(1, 10)],
        # Not on the key bar (it is full at 80 columns): the help and the README name it.
        Binding("f5", "replay_so_far", "Replay so far", show=False),
        Binding("question_mark", "app.help", "Help"),
        Binding("ctrl+q", "app.request_quit", "Quit", show=False),  # Ctrl+Q: every screen
    ]

    map_chosen: bool | None = None
    """Table or map as the White Cell last chose (m); None: the map on a projector when it
    fits, the table otherwise."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_map":
            return True
        return self.facilitator_check(action)

    def key_label(self, action: str) -> str | None:
        if action == "toggle_map":
            return "Table" if self.map_mode else "Map"
        return None

    @property
    def map_mode(self) -> bool:
        if self.map_chosen is not None:
            return self.map_chosen
        if not self.wide:
            return False
        # The projector's room: the side panel narrows to 34 columns beside the map, the log
        # to 8 lines.
        return maprender.fits(layout_of(self.game.tables), *self.map_area(True))

    def map_area(self, on_map: bool) -> tuple[int, int]:
        """Columns and lines the map's pane holds in map mode, from the screen's size and the
        room's layout in wargame.tcss (beside the map on a projector: the side panel's 34
        columns and the log's 8 lines; at 80 columns, neither), less the pane's padding and
        scroll bar, and the status line and key bar."""
        width, height = self.app.size
        if self.is_mounted:
            height -= self.query_one("#status").outer_size.height
            height -= self.query_one(KeyBar).outer_size.height
        else:
            height -= 3
        if self.wide:
            width -= SIDE_BESIDE_MAP + 1
            height -= LOG_BESIDE_MAP
        return width - 3, height

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        # A grid, not a Horizontal: one container less to restyle and paint on every F2.
        with Pane(id="board-pane"):
            yield Board(id="board")
            yield MapPanel(id="map")
        with Pane(id="side"):
            yield SidePanel(id="side-panel", classes="section")
        yield GameLog(id="log")
        yield KeyBar()

    def get_line_filters(self) -> list[LineFilter]:
        return true_colour_filters(self)  # the screen itself only shows its background

    def on_mount(self) -> None:
        self.query_one("#log", GameLog).set_lines(room.all_log_lines(self.game))
        self.refresh_view()
        self.focus_board()

    def focus_board(self) -> None:
        self.query_one("#map" if self.map_mode else "#board-pane").focus()

    def on_resize(self) -> None:
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.refresh_view()
        self.query_one("#log", GameLog).scroll_end(animate=False)
        self.request_drive()

    # ------------------------------------------------------------------ rendering

    _laid_out: tuple[bool, bool] = (False, False)

    def lay_out(self, on_map: bool) -> None:
        """The room's grid for the table or the map. At 80 columns the map takes the room
        whole (the teams and the log are on the table's side of m); on a projector the teams
        and tracks stay beside it, narrowed, and the log shortens. Inline styles rather than a
        class on the screen: a class would restyle every widget (60+ ms at 160x48), these
        lay the screen out again and no more."""
        key = (on_map, self.wide)
        if key == self._laid_out:
            return
        self._laid_out = key
        side = self.query_one("#side")
        log = self.query_one("#log", GameLog)
        for rule in ("grid_size_columns", "grid_size_rows", "grid_columns", "grid_rows"):
            self.styles.clear_rule(rule)
        side.styles.clear_rule("width")
        log.styles.clear_rule("height")
        side.display = log.display = not on_map or self.wide
        if on_map and self.wide:
            self.styles.grid_columns = f"1fr {SIDE_BESIDE_MAP}"
            self.styles.grid_rows = f"1fr {LOG_BESIDE_MAP}"
            side.styles.width = SIDE_BESIDE_MAP
            log.styles.height = LOG_BESIDE_MAP
        elif on_map:
            self.styles.grid_size_columns = 1
            self.styles.grid_size_rows = 1
            self.styles.grid_columns = "1fr"
            self.styles.grid_rows = "1fr"
        self.refresh(layout=True)

    def map_view(self) -> MapView:
        """The map of the public board, with the moves since `map_baseline`."""
        g = self.game
        before, since = g.map_baseline()
        return map_view(g.public(), before, since)

    def refresh_view(self) -> None:
        g = self.game
        st = g.public()
        wide = self.wide
        on_map = self.map_mode
        self.lay_out(on_map)
        board = self.query_one("#board", Board)
        panel = self.query_one("#map", MapPanel)
        board.display = not on_map
        panel.display = on_map
        pane = self.query_one("#board-pane")
        if on_map:
            panel.show(self.map_view(), self.map_area(True))
        else:
            # The board shows numbers beside its bars when its pane has room for them.
            board_wide = region_width(pane) >= board_width(st, wide=True)
            board.show(st, not wide, wide=board_wide)
        rows = tuple(room.team_rows(g))
        # Teams (two lines each) and tracks, each under its title, with a blank line between
        # them when the pane has room for it. Beside the map, the side panel is the narrow one.
        side_wide = wide and not on_map
        needed = 2 + 2 * len(rows) + 2 + len(g.tables.scenario.tracks)
        tight = not side_wide and needed > self.query_one("#side").scrollable_content_region.height
        self.query_one("#side-panel", SidePanel).show(
            st, tuple(g.track_history()), rows, tight, wide=side_wide
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

    def action_toggle_map(self) -> None:
        """Table or map: the map for the class, the table for the numbers."""
        self.map_chosen = not self.map_mode
        self.refresh_view()
        self.focus_board()

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
            from wargame.facilitation.room import draw_waiting

            self.app.notify(draw_waiting(self.game) + ".", timeout=8)
        else:
            self.request_drive()

    def action_replay_so_far(self) -> None:
        """The game so far in the replay screen (a "what if" compared with its parent, a
        moment shown again to the class); Escape comes back here."""
        from wargame.tui.screens.base import ReplayRequested

        if self.game.path is None:
            self.app.notify("This game is not being saved (--no-save): there is nothing to replay.")
            return
        self.tell_app(ReplayRequested(self.game.path))

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
