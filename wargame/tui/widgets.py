"""Widgets that render an immutable State. Attributes down: the screen hands each panel a new
State (and a few display facts) with `show`; a panel re-renders only when those change, so a key
that does not change the game repaints nothing but what it moved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.styles import RulesMap
from textual.filter import ANSIToTruecolor, LineFilter
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import OptionList, RichLog, Static

from wargame.tui import maprender, render

if TYPE_CHECKING:
    from wargame.facilitation.clock import PhaseClock
    from wargame.facilitation.tilemap import MapView
    from wargame.state import State

WIDE = 130
"""From this many columns the screens use the wide (projector) layout."""


def true_colour_filters(widget: Widget) -> list[LineFilter]:
    """The app's line filters without the one that turns ANSI colours (and `dim`) into true
    colours, for a widget that draws only theme colours: there that filter changes nothing,
    yet copies every line on every repaint."""
    return [f for f in widget.app.get_line_filters() if not isinstance(f, ANSIToTruecolor)]


class TickList(OptionList):
    """A list of options each ticked or not, shown by its text (`[x]` / `[ ]`, which the
    screen writes into each prompt), not by colour alone: readable on any projector and in the
    high-contrast theme. Space or Enter selects the highlighted option (the screen toggles it)."""

    BINDINGS = [Binding("space", "select", "Tick", show=False)]


class Pane(VerticalScroll):
    """A scrolling pane of `Lines` (only theme colours in it)."""

    def get_line_filters(self) -> list[LineFilter]:
        return true_colour_filters(self)


class Lines(Static):
    """Content in theme colours only: Textual's Static without the true-colour filter."""

    def get_line_filters(self) -> list[LineFilter]:
        return true_colour_filters(self)

    def show_content(self, content: Content) -> None:
        """`update`, laying the screen out again only when the new content needs another
        height: a replay's step changes the words of half a dozen panels, and a layout of
        the whole screen for each would cost more than the 50 ms a step may take."""
        width = self.content_region.width
        if not width or not self.is_mounted:
            self.update(content)
            return
        height = content.get_height(cast(RulesMap, self.styles), width)
        self.update(content, layout=height != self.content_region.height)


class StatePanel(Lines):
    """A panel whose content is a pure function of (state, facts)."""

    KEEP_LAYOUT = False
    """Lay the screen out again only when the panel's height changes (`show_content`)."""

    def __init__(self, draw: Callable[..., Content], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._draw = draw
        self._key: tuple[Any, ...] | None = None

    def show(self, state: State, *facts: Any, wide: bool = False) -> None:
        key = (id(state), wide, *facts)
        if key == self._key:
            return
        self._key = key
        if self.KEEP_LAYOUT:
            self.show_content(self._draw(state, *facts, wide=wide))
        else:
            self.update(self._draw(state, *facts, wide=wide))


def _titled(title: str, body: Content) -> Content:
    return Content.assemble((title, "bold $text-accent"), "\n", body)


class Board(StatePanel):
    """The board; in a narrow room, the institutions under it. (One widget rather than two:
    every widget is restyled and repainted on F2.)"""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(_board, **kwargs)


def _board(state: State, with_institutions: bool, *, wide: bool) -> Content:
    board = render.board(state, wide=wide)
    if not with_institutions:
        return board
    return Content.assemble(
        board, "\n\n", _titled("Institutions", render.institutions(state, wide=False))
    )


class SidePanel(StatePanel):
    """Teams, tracks, and in a wide room the institutions. The teams come first: who is still
    deciding must show without scrolling. `tight`: no blank line between teams and tracks (at
    80x24 with five teams, so that every track shows too)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(_side, **kwargs)


def _side(
    state: State,
    history: tuple[tuple[int, ...], ...],
    rows: tuple[tuple[int, str, str, str], ...],
    tight: bool = False,
    *,
    wide: bool,
) -> Content:
    parts: list[Content | str] = [
        _titled("Teams", render.scores(state, rows, wide=wide)),
        "\n" if tight else "\n\n",
        _titled("Tracks", render.tracks(state, history, wide=wide)),
    ]
    if wide:
        parts += ["\n\n", _titled("Institutions", render.institutions(state, wide=True))]
    return Content.assemble(*parts)


class GameLog(RichLog):
    """The narrative: what happened, in the words of the step logs. Appended, never rebuilt,
    except when an undo takes lines back or the theme changes (Rich lines carry the colours
    they were written with)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            wrap=True, markup=False, highlight=False, max_lines=3000, min_width=20, **kwargs
        )
        self.lines_shown: list[str] = []

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _: object) -> None:
        self.set_lines(list(self.lines_shown))

    def set_lines(self, lines: Sequence[str]) -> None:
        self.clear()
        self.lines_shown = []
        self.add_lines(lines)

    def add_lines(self, lines: Sequence[str]) -> None:
        colours = self.app.theme_variables
        for line in lines:
            self.write(_styled_line(line, colours), expand=True)
            self.lines_shown.append(line)


def _role_style(colours: dict[str, str], name: str, bold: bool = False) -> str:
    value = colours.get(name, "")
    colour = value if value.startswith("#") else "dim"
    return ("bold " if bold else "") + colour


def _styled_line(line: str, colours: dict[str, str]) -> Text:
    stripped = line.strip()

    def c(name: str, bold: bool = False) -> str:
        return _role_style(colours, name, bold)

    if stripped.startswith(("Turn ", "══")):
        return Text(line, style=c("text-accent", True))
    if stripped.startswith(("White Cell", "Note (")):
        return Text(line, style=c("warning"))
    if stripped.startswith("roll at"):
        return Text(line, style=c("success" if stripped.endswith("success") else "error", True))
    if line.startswith("  ") or stripped.startswith("overridden"):
        return Text(line, style=c("text-muted"))
    return Text(line)


class KeyBar(Lines):
    """The screen's own keys, help first. Unlike Textual's Footer it is built once per screen,
    not again each time the focus moves between panels. When they do not fit on one line (80
    columns, late in the game) they wrap onto a second: a key is never cut off the bar, and a
    key and its name are never split."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        background: $panel;
    }
    """

    def on_mount(self) -> None:
        self.refresh_keys()

    def on_resize(self) -> None:
        self.refresh_keys()

    def refresh_keys(self) -> None:
        """Show the keys that work now (the screen's `check_action` says which)."""
        self.update(self.keys())

    def items(self) -> list[Content]:
        """One piece per key that works now: the key and what it does."""
        screen = self.screen
        shown = [
            b
            for b in screen.BINDINGS
            if isinstance(b, Binding)
            and b.show
            and ("." in b.action or screen.check_action(b.action.partition("(")[0], ()) is True)
        ]
        # Help first, so that it opens the list wherever the bar wraps.
        shown.sort(key=lambda b: b.key != "question_mark")
        # What a key does may depend on the state (Enter accepts a roll, or opens the turn
        # summary): the screen may name it (`key_label(action)`), else the binding does.
        label = getattr(screen, "key_label", None)
        return [
            Content.assemble(
                (f" {self.app.get_key_display(b)}", "bold $footer-key-foreground"),
                f" {(label(b.action) if label is not None else None) or b.description}",
            )
            for b in shown
        ]

    def keys(self) -> Content:
        width = self.size.width or self.app.size.width
        lines: list[list[Content]] = [[]]
        used = 0
        for item in self.items():
            if lines[-1] and used + item.cell_length > width:
                lines.append([])
                used = 0
            lines[-1].append(item)
            used += item.cell_length
        return Content("\n").join(Content.assemble(*line) for line in lines)


class StatusLine(Lines):
    """Status at the top of a screen: its lines as given (the screen breaks them where it
    likes), each cut with an ellipsis when too long."""

    DEFAULT_CSS = """
    StatusLine {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """


class ClockedLine(Lines):
    """A line of status with the phase clock after it, redrawn each second while a timer is
    set: the teams see their time on their own screens. When both do not fit on one line
    (80 columns), the clock goes whole onto a next line rather than being cut; a head may have
    several lines (the screen breaks it where it likes)."""

    DEFAULT_CSS = """
    ClockedLine {
        height: auto;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, clock: PhaseClock, head: Content | str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.clock = clock
        self.head = Content(head) if isinstance(head, str) else head
        self._shown: tuple[str, tuple[Any, ...]] | None = None

    def on_mount(self) -> None:
        self.redraw()
        if self.clock.enabled:
            self.set_interval(1.0, self.redraw)

    def on_resize(self) -> None:
        self.redraw()

    def show(self, head: Content) -> None:
        self.head = head
        self.redraw()

    def redraw(self) -> None:
        badge = render.clock_badge(self.clock)
        head = self.head
        self.display = bool(head or badge)
        width = self.size.width or self.app.size.width - self.styles.gutter.width
        if not badge or not head:
            content = head or badge
        else:
            *first, last = head.split("\n")
            if last.cell_length + 3 + badge.cell_length <= width:
                content = Content("\n").join([*first, Content.assemble(last, "   ", badge)])
            else:
                content = Content("\n").join([head, badge])
        # Content's == compares the text only: the styles too decide whether to repaint.
        key = (content.plain, tuple(content.spans))
        if key != self._shown:
            self._shown = key
            self.update(content)


# ---------------------------------------------------------------------- the replay


class ReplayBoard(StatePanel):
    """The board at a replay's cursor, the countries its step changed marked ▶."""

    KEEP_LAYOUT = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(_replay_board, **kwargs)


def _replay_board(state: State, changed: frozenset[int], *, wide: bool) -> Content:
    return render.board(state, wide=wide, changed=changed)


class ReplaySide(StatePanel):
    """A replay's teams, tracks and (in a team's view) its hand, with what the step at the
    cursor changed marked ◀."""

    KEEP_LAYOUT = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(_replay_side, **kwargs)


def _replay_side(
    state: State,
    history: tuple[tuple[int, ...], ...],
    rows: tuple[tuple[int, str, str, str], ...],
    tracks_changed: frozenset[int],
    hand: tuple[str, ...],
    *,
    wide: bool,
) -> Content:
    parts: list[Content | str] = [
        _titled("Teams", render.scores(state, rows, wide=wide)),
        "\n\n",
        _titled("Tracks", render.tracks(state, history, wide=wide, changed=tracks_changed)),
    ]
    if hand:
        parts += ["\n\n", _titled("Its hand then", Content("\n".join(f"• {c}" for c in hand)))]
    return Content.assemble(*parts)


class Timeline(ScrollView, can_focus=True):
    """A long list drawn line by line (Textual's line API): only the rows on screen are
    rendered, so moving the cursor through a long save repaints a screenful, whatever its
    length. The screen owns the rows; `draw(row)` gives one as Content."""

    DEFAULT_CSS = """
    Timeline {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        scrollbar-size-vertical: 1;
    }
    """

    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("enter", "open", show=False),
    ]

    class Moved(Message):
        """Up or down was pressed in the timeline: one step back or forward."""

        def __init__(self, delta: int) -> None:
            super().__init__()
            self.delta = delta

    class Picked(Message):
        """A row was clicked, or Enter pressed on the current row (`opened`)."""

        def __init__(self, row: int, opened: bool) -> None:
            super().__init__()
            self.row = row
            self.opened = opened

    def __init__(self, draw: Callable[[int], Content], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._draw = draw
        self.count = 0
        self.current = 0

    def get_line_filters(self) -> list[LineFilter]:
        return true_colour_filters(self)

    def show(self, count: int, current: int, *, changed: bool = True) -> None:
        """Draw `count` rows with row `current` in sight. Unless the rows `changed`, only the
        cursor's old and new rows are drawn again (when no scroll is needed)."""
        old = self.current
        same = not changed and count == self.count
        self.count = count
        self.current = current
        width = self.scrollable_content_region.width
        if self.virtual_size != Size(width, count):
            self.virtual_size = Size(width, count)
        top = int(self.scroll_offset.y)
        self.keep_in_sight()
        if same and int(self.scroll_offset.y) == top:
            self.refresh_line(old - top)
            self.refresh_line(current - top)
        else:
            self.refresh()

    def keep_in_sight(self) -> None:
        height = self.scrollable_content_region.height
        if not height:
            return
        top = int(self.scroll_offset.y)
        # Two rows of context on either side of the cursor where there is room.
        margin = min(2, max(0, (height - 1) // 2))
        want = top
        if self.current - margin < top:
            want = max(0, self.current - margin)
        elif self.current + margin >= top + height:
            want = self.current + margin - height + 1
        want = max(0, min(want, max(0, self.count - height)))
        if want != top:
            self.scroll_to(y=want, animate=False, force=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.count)
        self.keep_in_sight()

    def render_line(self, y: int) -> Strip:
        row = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        style = self.visual_style
        if not 0 <= row < self.count:
            return Strip.blank(width, style.rich_style)
        strips = Visual.to_strips(self, self._draw(row), width, 1, style, pad=True)
        return strips[0] if strips else Strip.blank(width, style.rich_style)

    def action_move(self, delta: int) -> None:
        self.post_message(self.Moved(delta))

    def action_open(self) -> None:
        self.post_message(self.Picked(self.current, True))

    def on_click(self, event: events.Click) -> None:
        row = int(self.scroll_offset.y) + event.y
        if 0 <= row < self.count:
            self.post_message(self.Picked(row, event.chain > 1))


# ---------------------------------------------------------------------- the map


class MapPanel(Lines, can_focus=True):
    """The map of the contest (`maprender`): arrow keys move a cursor from tile to tile, and
    the line under the map names the country at the cursor with its standing. The screen hands
    it a new `MapView` and the room it has with `show`; a key redraws the map and nothing
    else (the panel keeps its height, so the screen is not laid out again)."""

    BINDINGS = [
        Binding("up", "move(0, -1)", show=False),
        Binding("down", "move(0, 1)", show=False),
        Binding("left", "move(-1, 0)", show=False),
        Binding("right", "move(1, 0)", show=False),
    ]

    def __init__(
        self, *, with_cursor: bool = True, cursor_on_focus: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.with_cursor = with_cursor
        """False where the arrow keys do something else (the replay steps with them)."""
        self.cursor_on_focus = cursor_on_focus
        """The cursor shows only while the panel has the focus (the replay's arrows step
        through the save until Tab brings the focus to the map)."""
        self.can_focus = with_cursor or cursor_on_focus
        self.view: MapView | None = None
        self.cursor: tuple[int, int] | None = None
        self.area = (0, 0)
        self._shown: tuple[Any, ...] | None = None

    def show(self, view: MapView, area: tuple[int, int]) -> None:
        """Draw `view` at the largest tile size that fits `area` (columns, lines): the screen
        says what its pane will hold, so a toggle draws once, not once per layout."""
        self.view = view
        self.area = area
        if self.with_cursor and (self.cursor is None or view.at(*self.cursor) is None):
            self.cursor = view.first()
        self.redraw()

    def on_focus(self) -> None:
        if self.cursor_on_focus:
            self._point(True)

    def on_blur(self) -> None:
        if self.cursor_on_focus:
            self._point(False)

    def _point(self, on: bool) -> None:
        self.with_cursor = on
        view = self.view
        if on and view is not None and (self.cursor is None or view.at(*self.cursor) is None):
            self.cursor = view.first()
        self.redraw()

    def redraw(self) -> None:
        view = self.view
        if view is None:
            return
        key = (view, self.cursor, self.area, self.with_cursor)
        if key == self._shown:
            return
        self._shown = key
        self.show_content(
            maprender.map_content(view, self.cursor, *self.area, with_cursor=self.with_cursor)
        )

    def action_move(self, dx: int, dy: int) -> None:
        if self.view is None or self.cursor is None or not self.with_cursor:
            return
        self.cursor = self.view.neighbour(*self.cursor, dx, dy)
        self.redraw()
