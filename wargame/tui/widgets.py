"""Widgets that render an immutable State. Attributes down: the screen hands each panel a new
State (and a few display facts) with `show`; a panel re-renders only when those change, so a key
that does not change the game repaints nothing but what it moved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.containers import VerticalScroll
from textual.content import Content
from textual.filter import ANSIToTruecolor, LineFilter
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import RichLog

from wargame.tui import render

if TYPE_CHECKING:
    from wargame.state import State


def true_colour_filters(widget: Widget) -> list[LineFilter]:
    """The app's line filters without the one that turns ANSI colours (and `dim`) into true
    colours, for a widget that draws only theme colours: there that filter changes nothing,
    yet copies every line on every repaint (about a tenth of a full repaint, as on F2)."""
    return [f for f in widget.app.get_line_filters() if not isinstance(f, ANSIToTruecolor)]


class Pane(VerticalScroll):
    """A scrolling pane of `Lines` (only theme colours in it)."""

    def get_line_filters(self) -> list[LineFilter]:
        return true_colour_filters(self)


class Lines(Widget):
    """Content drawn by the widget itself (Textual's line API), its lines kept per theme,
    width and base style: F2 and back, a resize and back, or a key that moves the focus find
    them drawn already, where a Static renders its content again whenever its style changes.
    `WRAP = False` cuts each line at the width with an ellipsis instead of wrapping it."""

    DEFAULT_CSS = """
    Lines {
        height: auto;
    }
    """
    WRAP = True

    def __init__(self, content: Content | str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.content = Content(content) if isinstance(content, str) else content
        self._wrapped: tuple[int, list[Content]] = (-1, [])
        self._strips: dict[tuple[Any, ...], list[Strip]] = {}

    def update(self, content: Content) -> None:
        if content.is_same(self.content):
            return
        self.content = content
        self._wrapped = (-1, [])
        self._strips.clear()
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Content]:
        if self._wrapped[0] != width:
            if width <= 0:
                lines = []
            elif self.WRAP:
                lines = self.content.wrap(width)
            else:
                lines = [
                    line.truncate(width, ellipsis=True)
                    for line in self.content.split(allow_blank=True)
                ]
            self._wrapped = (width, lines)
        return self._wrapped[1]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((line.cell_length for line in self.content.split(allow_blank=True)), default=0)

    def get_line_filters(self) -> list[LineFilter]:
        return true_colour_filters(self)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.visual_style
        key = (self.app.theme, width, base)
        strips = self._strips.get(key)
        if strips is None:
            if len(self._strips) > 8:
                self._strips.clear()
            parse = self.app.stylesheet.parse_style
            rich_base = base.rich_style
            strips = self._strips[key] = [
                Strip(
                    [
                        Segment(text, style.rich_style)
                        for text, style in line.render(base, end="", parse_style=parse)
                    ]
                )
                .adjust_cell_length(width, rich_base)
                .simplify()
                for line in self._lines(width)
            ]
        if y < len(strips):
            return strips[y]
        return Strip.blank(width, base.rich_style)


class StatePanel(Lines):
    """A panel whose content is a pure function of (state, facts)."""

    def __init__(self, draw: Callable[..., Content], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._draw = draw
        self._key: tuple[Any, ...] | None = None

    def show(self, state: State, *facts: Any, wide: bool = False) -> None:
        key = (id(state), wide, *facts)
        if key == self._key:
            return
        self._key = key
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
    """Tracks, teams, and in a wide room the institutions."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(_side, **kwargs)


def _side(
    state: State,
    history: tuple[tuple[int, ...], ...],
    rows: tuple[tuple[int, str, str], ...],
    *,
    wide: bool,
) -> Content:
    parts: list[Content | str] = [
        _titled("Tracks", render.tracks(state, history, wide=wide)),
        "\n\n",
        _titled("Teams", render.scores(state, rows, wide=wide)),
    ]
    if wide:
        parts += ["\n\n", _titled("Institutions", render.institutions(state, wide=True))]
    return Content.assemble(*parts)


class GameLog(RichLog):
    """The narrative: what happened, in the words of the step logs. Appended, never rebuilt,
    except when an undo takes lines back. Rich lines carry their colours: a theme change
    recolours the rendered lines (`recolour`), which costs far less than rendering them again."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            wrap=True, markup=False, highlight=False, max_lines=3000, min_width=20, **kwargs
        )
        self.lines_shown: list[str] = []
        self._colours: dict[str, str] | None = None
        """The theme colours the lines were written with."""

    def set_lines(self, lines: Sequence[str]) -> None:
        self.clear()
        self.lines_shown = []
        self.add_lines(lines)

    def add_lines(self, lines: Sequence[str]) -> None:
        if self._colours is None:
            self._colours = self.app.theme_variables
        colours = self._colours
        for line in lines:
            self.write(_styled_line(line, colours), expand=True)
            self.lines_shown.append(line)

    def recolour(self, colours: dict[str, str]) -> None:
        """Show the lines in the colours of another theme."""
        old = self._colours
        self._colours = colours
        if old is None or old == colours:
            return
        swap: dict[Style, Style] = {}
        for name, bold in _LOG_ROLES:
            before, after = (Style.parse(_role_style(c, name, bold)) for c in (old, colours))
            if swap.setdefault(before, after) != after:  # two roles looked alike: render again
                self.set_lines(list(self.lines_shown))
                return
        lines = self.lines
        for i, strip in enumerate(lines):
            if any(style in swap for _, style, _ in strip if style is not None):
                lines[i] = Strip(
                    [
                        Segment(text, swap.get(style, style) if style else style, ctl)
                        for text, style, ctl in strip
                    ],
                    strip.cell_length,
                )
        self.notify_style_update()  # RichLog drops the lines it cropped for display
        self.refresh()


_LOG_ROLES = (
    ("text-accent", True),
    ("warning", False),
    ("success", True),
    ("error", True),
    ("text-muted", False),
)
"""The colours a log line can take (see `_styled_line`)."""


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
    """The screen's keys on one line. Unlike Textual's Footer it does not rebuild itself when
    focus moves between panels (that alone cost 10+ ms a key in the situation room)."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $panel;
    }
    """
    WRAP = False

    def on_mount(self) -> None:
        self.refresh_keys()

    def refresh_keys(self) -> None:
        """Show the keys that work now (the screen's `check_action` says which)."""
        self.update(self.keys())

    def keys(self) -> Content:
        from textual.binding import Binding

        parts: list[Content | tuple[str, str] | str] = []
        screen = self.screen
        shown = [
            b
            for b in screen.BINDINGS
            if isinstance(b, Binding)
            and b.show
            and ("." in b.action or screen.check_action(b.action.partition("(")[0], ()) is True)
        ]
        # Help first, so it survives a narrow terminal cutting the line short.
        shown.sort(key=lambda b: b.key != "question_mark")
        for b in shown:
            key = self.app.get_key_display(b)
            parts.append((f" {key}", "bold $footer-key-foreground"))
            parts.append(f" {b.description}")
        return Content.assemble(*parts)


class StatusLine(Lines):
    """One line of status at the top of a screen, cut with an ellipsis when too long."""

    WRAP = False
