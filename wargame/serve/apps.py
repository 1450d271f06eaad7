"""The apps a browser runs under `wargame serve`: a team's seat, the White Cell's room, the
public board. Each is one process started by the web server for one browser tab, linked to the
game host (`remote.HostLink`); it shows only what the host sent it.

A team's seat shows its hand and orders on the same screen the shared keyboard uses
(`OrdersScreen`, over a `RemoteTeam`); between its turns, and for the other two places, the
board, the teams and the public log, drawn by the terminal UI's own renderers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from wargame.actions import Action, Inject, Note, Override, Undo
from wargame.errors import WargameError
from wargame.serve import wire
from wargame.serve.remote import HostLink, RemoteTeam
from wargame.tui import maprender, render
from wargame.tui.screens.base import SeatScreen, attempt
from wargame.tui.screens.dialogs import ConfirmDialog, MessageDialog, PauseScreen
from wargame.tui.screens.help import SERVED_ROOM, HelpFacts, HelpScreen
from wargame.tui.screens.orders import OrdersScreen
from wargame.tui.themes import THEMES
from wargame.tui.widgets import WIDE, KeyBar

TCSS = Path(render.__file__).with_name("wargame.tcss")


class Updated(Message):
    """The host sent a new update (or the link closed)."""

    def __init__(self, closed: bool = False) -> None:
        super().__init__()
        self.closed = closed


MAP_BINDING = Binding("m", "toggle_map", "Map")
"""m shows the map (or the table again), as in the room: it commits nothing."""


class ServedBoard(Screen[None]):
    """The board, the teams and the public log; for the White Cell, the seats and its keys."""

    DEFAULT_CSS = """
    ServedBoard { layout: vertical; }
    ServedBoard #serve-status { height: auto; padding: 0 1; background: $panel; }
    ServedBoard #serve-body { height: 1fr; }
    ServedBoard #serve-board { width: 1fr; padding: 0 1; }
    ServedBoard #serve-side { width: 1fr; padding: 0 1; }
    ServedBoard #serve-log { height: 5; padding: 0 1; border-top: solid $panel-lighten-2; }
    ServedBoard.-wide #serve-log { height: 8; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "app.help", "Help"),
        MAP_BINDING,
    ]

    def __init__(self, team: RemoteTeam) -> None:
        super().__init__()
        self.team = team
        self._shown: dict[str, str] = {}

    def action_toggle_map(self) -> None:
        """Table or map, as m does in the room (the choice holds for this tab)."""
        app = self.app
        if isinstance(app, ServedApp):
            app.on_map = not self.on_map
        self._shown.clear()
        self.redraw()
        self.query_one(KeyBar).refresh_keys()

    def key_label(self, action: str) -> str | None:
        if action == "toggle_map":
            return "Table" if self.on_map else "Map"
        return None

    @property
    def on_map(self) -> bool:
        """The map as this tab last chose (m); before any choice, the map on the White Cell's
        projected room when the screen is wide, the table elsewhere."""
        app = self.app
        if not isinstance(app, ServedApp):
            return False
        if app.on_map is None:
            return isinstance(self, ServedRoom) and app.size.width >= WIDE
        return app.on_map

    def compose(self) -> ComposeResult:
        yield Static("", id="serve-status")
        with Horizontal(id="serve-body"):
            with VerticalScroll(id="serve-board"):
                yield Static("", id="serve-board-text")
            with VerticalScroll(id="serve-side"):
                yield Static("", id="serve-side-text")
        with VerticalScroll(id="serve-log"):
            yield Static("", id="serve-log-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.call_after_refresh(self.redraw)  # mounted by then: its parts can be found

    def status(self) -> Content:
        u = self.team.update
        st = self.team.state
        t = self.team.tables
        head = Content.assemble(
            (self.title_text(), "bold $text-accent"),
            f" · Turn {min(st.turn, t.turns)}/{t.turns} · {st.year}",
        )
        clock, _ = self.team.clock.text()
        if clock:
            head = head.append(f" · {clock}")
        return Content.assemble(head, "\n", self.doing(u))

    def title_text(self) -> str:
        return "Public board"

    def doing(self, u: dict[str, Any]) -> Content:
        if self.team.state.over:
            return Content.styled("The game is over.", "bold")
        if u["beat"] == "orders":
            names = [self.team.team(r) for r in u["waiting"]]
            if names:
                return Content("Orders: still deciding: " + ", ".join(names))
            return Content("Orders: every team has committed.")
        return Content("The White Cell is resolving the turn: watch the projector.")

    def side(self) -> list[Content | str]:
        st = self.team.state
        rows = [(int(r), str(s), str(b), str(a)) for r, s, b, a in self.team.update["rows"]]
        return [
            Content.styled("Teams", "bold $text-accent"),
            "\n",
            render.scores(st, rows, wide=True),
            "\n\n",
            Content.styled("Institutions", "bold $text-accent"),
            "\n",
            render.institutions(st, wide=False),
        ]

    def on_screen_resume(self) -> None:
        self.redraw()

    def _put(self, selector: str, content: Content) -> bool:
        """Update one text only when it changed: an update that leaves the board alone (a
        commit) repaints the lines that changed, not the screen."""
        key = content.markup
        if self._shown.get(selector) == key:
            return False
        self._shown[selector] = key
        self.query_one(selector, Static).update(content)
        return True

    def redraw(self) -> None:
        """Draw the last update; a screen under another one waits until it shows again, and
        one still being built draws when it is mounted (`on_screen_resume`)."""
        if not self.team.update or not self.is_current or not self.is_mounted:
            return
        st = self.team.state
        wide = self.app.size.width >= WIDE
        # The board at its own width (it never wraps); the side takes the rest. The map takes
        # what the side can spare (30 columns for the teams), at the tile size that fits.
        # At 80 columns the map takes the screen, the teams and the log one m away (as in the
        # room).
        side = self.query_one("#serve-side")
        side.display = self.query_one("#serve-log").display = wide or not self.on_map
        if self.on_map:
            view = self.team.map_view()
            spare = 30 + 3 if wide else 0
            room = (self.app.size.width - spare - 3, self.query_one("#serve-body").size.height)
            size = maprender.tile_size(view, *room)
            width = min(room[0], max(size.map_width(view.layout.cols), 60)) + 3
            board = maprender.map_content(view, None, width - 3, room[1], with_cursor=False)
        else:
            width = render.board_width(st, wide=wide) + 3
            board = render.board(st, wide=wide)
        pane = self.query_one("#serve-board")
        if pane.styles.width is None or pane.styles.width.value != width:
            pane.styles.width = width  # set only when it changes: a new width lays out again
        if self._put("#serve-status", self.status()):
            self.query_one(KeyBar).refresh_keys()  # the keys that work follow the phase
        self._put("#serve-board-text", board)
        self._put("#serve-side-text", Content.assemble(*self.side()))
        # Content, not a string: a log line may quote a team's words, never read as markup.
        if self._put("#serve-log-text", Content("\n".join(self.team.update["log"][-40:]))):
            log = self.query_one("#serve-log", VerticalScroll)
            self.call_after_refresh(log.scroll_end, animate=False)


class ServedWaiting(ServedBoard):
    """A team's seat between its turns: the public board, and what the game waits for."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "hand", "Our hand"),
        Binding("question_mark", "app.help", "Help"),
        MAP_BINDING,
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hand":
            u = self.team.update
            return bool(u.get("orders_open")) and self.team.role in u.get("waiting", [])
        return True

    def action_hand(self) -> None:
        app = self.app
        if isinstance(app, ServedApp):
            app.action_hand()

    def title_text(self) -> str:
        return self.team.team(self.team.role)

    def doing(self, u: dict[str, Any]) -> Content:
        if (
            not self.team.state.over
            and u["beat"] == "orders"
            and self.team.role not in u["waiting"]
        ):
            others = [self.team.team(r) for r in u["waiting"]]
            if others:
                return Content.assemble(
                    ("✓ Your orders are committed. ", "$success"),
                    "Waiting for " + ", ".join(others) + ".",
                )
        if u["beat"] == "orders" and u["orders_open"] and self.team.role in u["waiting"]:
            return Content.assemble(
                ("Your orders are open. ", "bold $warning"), "Ctrl+O: back to your hand."
            )
        return super().doing(u)


class ServedRoom(ServedBoard):
    """The White Cell's room in a browser: who is connected, each team's link, the roll waiting
    for it, and the terminal room's White Cell keys (override, inject, note, undo, timer,
    summary, end of the game), each checked again by the host."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # The terminal room's and resolution's keys where they mean the same.
        Binding("enter", "accept", "Accept roll"),
        Binding("ctrl+o", "override", "Override"),
        Binding("ctrl+e", "next", "Next step"),
        Binding("ctrl+r", "draw", "Draw"),
        Binding("ctrl+g", "inject", "Inject"),
        Binding("ctrl+u", "undo", "Undo"),
        Binding("ctrl+l", "summary", "Summary"),
        # A browser keeps Ctrl+N and Ctrl+T (a new window, a new tab) for itself: the page
        # never hears them, so the note and the extra time have keys of their own here.
        Binding("ctrl+k", "note", "Note"),
        Binding("ctrl+n", "note", "Note", show=False),
        Binding("ctrl+p", "pause", "Pause"),
        Binding("f9", "more_time", "+2 min", show=False),
        Binding("ctrl+t", "more_time", "+2 min", show=False),
        Binding("ctrl+b", "bot", "Seat ↔ bot"),
        Binding("ctrl+f", "free", "Free seat"),
        # While the teams give orders (never while a roll waits: Ctrl+O overrides then).
        Binding("ctrl+o", "local", "Team plays here"),
        Binding("f6", "bot_rolls", "Confirm bot rolls"),
        *[Binding(str(k), f"pick({k})", show=False) for k in range(1, 10)],
        Binding("question_mark", "app.help", "Help"),
        MAP_BINDING,
    ]

    HOLD = 0.5
    """Seconds Enter is held after a new roll appears, as in the terminal: a key pressed twice
    must not accept a roll before the room has seen it."""

    def __init__(self, team: RemoteTeam) -> None:
        super().__init__(team)
        self.picked = 0
        self._roll: Any = None
        self._roll_at = 0.0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        u = self.team.update
        if not u:
            return True
        can = u.get("can", {})
        roll = u.get("roll")
        if action == "accept":
            return roll is not None
        if action == "override":
            return bool(can.get("override")) and roll is not None
        if action == "local":
            return bool(u.get("orders_open"))
        if action in ("draw", "inject", "summary", "bot_rolls"):
            return bool(can.get(action))
        if action in ("bot", "free"):
            return not self.team.state.over
        return True

    def title_text(self) -> str:
        return "White Cell"

    def doing(self, u: dict[str, Any]) -> Content:
        nxt = u.get("white", "")
        text = super().doing(u)
        if self.team.state.over:
            text = text.append(Content.assemble("  Ctrl+E: ", ("the final ranking", "bold")))
        elif nxt:
            text = text.append(Content.assemble("  Ctrl+E: ", (str(nxt), "bold")))
        return text

    def status(self) -> Content:
        """The status; while a roll waits, the roll as the terminal's resolution pins it."""
        text = super().status()
        roll = self.team.update.get("roll")
        if roll != self._roll:
            self._roll = roll
            self._roll_at = time.monotonic()
        if not roll:
            return text
        lines = [Content.from_markup(m) for m in roll["panel"] if m]
        return Content("\n").join([text, *lines])

    def side(self) -> list[Content | str]:
        u = self.team.update
        t = self.team.tables
        parts: list[Content | str] = [
            Content.styled("Seats (● connected; 1-9 picks one)", "bold $text-accent"),
            "\n",
        ]
        links = u.get("links", {})
        wide = self.app.size.width >= WIDE
        if not wide and links:
            # At 80 columns a whole link does not fit beside the board: the common start once.
            first = str(next(iter(links.values())))
            parts.append(Content.styled(f"links: {first.rsplit('/t/', 1)[0]} + …\n", "$text-muted"))
            links = {p: "/t/" + str(v).rsplit("/t/", 1)[1] for p, v in links.items()}
        for r, role in enumerate(t.roles):
            if role.id not in u["codes"]:
                continue
            here = role.id in u["connected"]
            mark = ("▶ " if r == self.picked else "  ", "bold")
            parts.append(
                Content.assemble(
                    mark,
                    (f"{r + 1} {self.team.team(r)}", "bold"),
                    (" ●" if here else " ○", "$success" if here else "$text-muted"),
                    f" {u['seats'][role.id]}",
                    (
                        (" connected" if here else " not connected") if wide else "",
                        "$success" if here else "$text-muted",
                    ),
                    "\n    ",
                    (str(links.get(role.id, u["codes"][role.id])), "$text-muted"),
                    "\n",
                )
            )
        for place, label in ((wire.OBSERVER, "Public board"),):
            parts.append(
                Content.assemble(f"  {label}: ", (str(links.get(place, "")), "$text-muted"), "\n")
            )
        return [*parts, "\n", *super().side()]

    def action_pick(self, k: int) -> None:
        if 0 < k <= len(self.team.tables.roles):
            self.picked = k - 1
            self.redraw()

    # ------------------------------------------------------------------ moving the game on

    def action_next(self) -> None:
        if self.team.state.over:
            self.show_text("end")
            return
        nxt = str(self.team.update.get("white", ""))
        if not nxt:
            self.app.push_screen(
                MessageDialog("Nothing to do", "Nothing waits for the White Cell now.", error=False)
            )
            return
        if nxt.startswith("read the summary"):
            self.show_text("summary")  # read first; Enter there goes on
            return

        def sure(ok: bool | None) -> None:
            if ok:
                self.ask("white_step")

        self.app.push_screen(
            ConfirmDialog(f"{nxt[0].upper()}{nxt[1:]}?", yes="Do it", no="Not yet"), sure
        )

    def action_accept(self) -> None:
        if self.team.update.get("roll") is None:
            return
        if time.monotonic() - self._roll_at < self.HOLD:
            return  # the roll has only just appeared (see HOLD)
        self.ask("accept")

    def action_override(self) -> None:
        from wargame.tui.screens.resolution import ask_override

        roll = self.team.update.get("roll")
        if roll is None:
            return
        ask_override(
            self.app,
            str(roll["subject"]),
            str(roll["drawn"]),
            lambda outcome, reason: self.act(Override(outcome, reason)),
        )

    def action_draw(self) -> None:
        self.ask("draw")

    def action_inject(self) -> None:
        from wargame.facilitation.room import InjectChoice
        from wargame.tui.screens.common import ask_inject

        answer = self.question("injects")
        if answer is None:
            return
        choices = [InjectChoice(*(str(x) for x in c)) for c in answer["injects"]]
        ask_inject(
            self.app,
            choices,
            str(answer["none"]),
            lambda card, reason: self.act(Inject(card, reason)),
        )

    def action_note(self) -> None:
        from wargame.tui.screens.common import ask_note

        ask_note(self.app, lambda text: self.act(Note(text)))

    def action_undo(self) -> None:
        from wargame.facilitation.room import UndoQuestion
        from wargame.tui.screens.common import ask_undo

        answer = self.question("undo")
        if answer is None:
            return
        seen = int(answer["seen"])
        q = UndoQuestion(str(answer["question"]), bool(answer["forced"]), str(answer["why_not"]))
        ask_undo(self.app, q, lambda force, reason: self.act(Undo(force, reason), seen))

    def action_summary(self) -> None:
        self.show_text("summary", review=True)

    def action_pause(self) -> None:
        # Paused already (this page was reloaded meanwhile): the curtain again, Enter resumes.
        if not self.team.update.get("paused") and not self.ask("pause"):
            return

        def resumed(_: None) -> None:
            self.ask("resume")

        self.app.push_screen(PauseScreen(), resumed)

    def action_more_time(self) -> None:
        if self.ask("more_time"):
            self.app.notify("2 more minutes for this phase.")

    def action_bot_rolls(self) -> None:
        if self.ask("bot_rolls"):
            self.app.notify(
                "The bots' rolls now wait for Enter (F6 again: let them go by)."
                if self.team.update.get("bot_rolls_wait")
                else "The bots' rolls are now accepted as drawn (F6 again: confirm each)."
            )

    # ------------------------------------------------------------------ seats

    def action_bot(self) -> None:
        role = self.team.tables.roles[self.picked]
        seat = str(self.team.update["seats"].get(role.id, ""))
        to = "human" if "bot" in seat else "greedy"
        what = "back to its team" if to == "human" else "to the greedy bot"
        name = self.team.team(self.picked)

        def sure(ok: bool | None) -> None:
            if ok:
                self.ask("reseat", role.id, to)

        self.app.push_screen(
            ConfirmDialog(f"Hand {name} {what}?", yes="Hand over", no="Keep"), sure
        )

    def action_free(self) -> None:
        role = self.team.tables.roles[self.picked]
        self.ask("free", role.id)

    def action_local(self) -> None:
        """A team without a laptop plays at this screen: the curtain, then its hand."""
        role = self.team.tables.roles[self.picked]
        app = self.app
        if not isinstance(app, ServedApp):
            return
        try:
            ticket = self.team.local_ticket(role.id)
            local = self.team.open_as(ticket)
        except WargameError as exc:
            self.app.push_screen(MessageDialog("Not allowed now", str(exc)))
            return
        app.play_here(local)

    # ------------------------------------------------------------------ talking to the host

    def ask(self, what: str, *args: str) -> bool:
        """One White Cell request; a refusal becomes a dialog. True when the host did it."""
        fn = {
            "white_step": lambda: self.team.white_cell("step"),
            "undo": lambda: self.team.white_cell("undo"),
            "reseat": lambda: self.team.reseat(args[0], args[1]),
            "free": lambda: self.team.free(args[0]),
        }.get(what) or (lambda: self.team.white_cell(what))
        return attempt(self.app, fn)

    def act(self, action: Action, seen: int | None = None) -> bool:
        return attempt(self.app, self.team.white_act, action, seen)

    def question(self, what: str, turn: int = 0) -> dict[str, Any] | None:
        answer: list[dict[str, Any]] = []
        if attempt(self.app, lambda: answer.append(self.team.ask(what, turn))):
            return answer[0]
        return None

    def show_text(self, what: str, *, review: bool = False) -> None:
        """A turn's summary, or the end of the game, as the terminal words them."""
        answer = self.question(what)
        if answer is None:
            return
        due = what == "summary" and not review
        self.app.push_screen(
            ServedText(
                Content.from_markup(str(answer["title"])),
                Content.from_markup(str(answer["body"])),
                on_enter=(lambda: self.ask("summary_read")) if due else None,
            )
        )


class ServedText(Screen[None]):
    """A text the host words for the White Cell (a turn's summary, the end of the game). A
    summary that waits to be read: Enter reads it (the next phase begins); else Enter or Escape
    goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next", "Continue"),
        Binding("escape", "back", "Back", show=False),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(
        self, title: Content, body: Content, *, on_enter: Callable[[], bool] | None = None
    ) -> None:
        super().__init__()
        self.title_content = title
        self.body = body
        self.on_enter = on_enter

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "back" or self.on_enter is None

    def key_label(self, action: str) -> str | None:
        return "Back" if action == "next" and self.on_enter is None else None

    def compose(self) -> ComposeResult:
        yield Static(self.title_content, id="sum-title")
        with VerticalScroll(id="sum-body"):
            yield Static(self.body, id="sum-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#sum-body").focus()

    def action_next(self) -> None:
        if self.on_enter is None or self.on_enter():
            self.dismiss()

    def action_back(self) -> None:
        self.dismiss()


class Curtain(Screen[None]):
    """Before a team's hand opens at the White Cell's screen: only that team may look."""

    DEFAULT_CSS = "Curtain { align: center middle; } Curtain Static { width: 70; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "open", "Open our hand"),
        Binding("escape", "back", "Back to the room"),
    ]

    def __init__(self, team: RemoteTeam) -> None:
        super().__init__()
        self.team = team

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble(
                "Hand the keyboard to\n\n",
                (self.team.team(self.team.role), "bold $text-accent"),
                "\n\nEveryone else, please look away from the screen.\nWhen only your team "
                "can see it, press ",
                ("Ctrl+O", "bold"),
                " to open your hand.\nEscape: back to the room.",
            )
        )
        yield KeyBar()

    def action_open(self) -> None:
        self.app.switch_screen(OrdersScreen(self.team, self.team.role))

    def action_back(self) -> None:
        self.app.pop_screen()
        app = self.app
        if isinstance(app, ServedApp):
            app.close_local()


class Paused(Screen[None]):
    """A team's page or the public board while the White Cell has paused the game: the board
    is hidden and nothing can be ordered, as at the terminal's pause; it lifts by itself when
    the White Cell resumes."""

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical

        with Vertical(classes="curtain"):
            yield Static(Content.styled("PAUSED", "bold $warning"), classes="curtain-big")
            yield Static(
                "The White Cell has paused the game and stopped the timer. Your orders so far "
                "are kept. This page comes back by itself when the game resumes.",
                classes="curtain-text",
            )


class Notice(Screen[None]):
    """One message and nothing else: a refused link, a lost host."""

    DEFAULT_CSS = "Notice { align: center middle; } Notice Static { width: 70; }"

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Content(self.text))  # may name a team: plain text, never markup


class ServedApp(App[None]):
    """One browser tab's app (module docstring)."""

    CSS_PATH = str(TCSS)
    TITLE = "wargame"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]

    def __init__(self, port: int, ticket: str, refused: str = "") -> None:
        super().__init__()
        self.port = port
        self.ticket = ticket
        self.refused = refused
        self.team: RemoteTeam | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._last_state: Any = None
        self.board_view = False
        """The team looks at the board while its orders are open (Ctrl+O goes back)."""
        self.on_map: bool | None = None
        """The board shows as the map (m), not the table; None: not chosen yet."""
        self.local: RemoteTeam | None = None
        """A team playing at the White Cell's screen (no laptop of its own), if any."""
        self.animation_level = "none"
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = "wargame"

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        if self.refused:
            self.push_screen(Notice(self.refused))
            return
        self.push_screen(Notice("Joining the game…"))
        self.connect()

    @work(thread=True, exit_on_error=False)
    def connect(self) -> None:
        try:
            link = HostLink(self.port, self.ticket)
            team = RemoteTeam(link)
        except Exception as exc:  # the host is gone or refused: say so in the page
            self.call_from_thread(self.switch_screen, Notice(f"Could not join the game: {exc}"))
            return
        loop = self._loop
        assert loop is not None

        def heard(msg: dict[str, Any]) -> None:  # in the link's thread: hand over, never block
            if not loop.is_closed():  # the app has ended (its link closes after it)
                loop.call_soon_threadsafe(self.post_message, Updated(msg.get("kind") == "closed"))

        link.listeners.append(heard)
        self.call_from_thread(self._joined, team)

    def _joined(self, team: RemoteTeam) -> None:
        self.team = team
        place = team.place
        if place == wire.FACILITATOR:
            screen: ServedBoard = ServedRoom(team)
        elif place == wire.OBSERVER:
            screen = ServedBoard(team)
        else:
            screen = ServedWaiting(team)
        self.switch_screen(screen)
        self.call_after_refresh(self.route)

    def on_updated(self, msg: Updated) -> None:
        if msg.closed:
            self.team = None
            while len(self.screen_stack) > 2:
                self.pop_screen()
            self.switch_screen(
                Notice(
                    "This seat is no longer linked to the game (the White Cell freed it, or the "
                    "game host stopped). Reload the page to join again."
                )
            )
            return
        self.route()

    def play_here(self, local: RemoteTeam) -> None:
        self.close_local()
        self.local = local
        loop = self._loop
        assert loop is not None

        def heard(msg: dict[str, Any]) -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(self.post_message, Updated())

        local.link.listeners.append(heard)
        self.push_screen(Curtain(local))

    def close_local(self) -> None:
        """The team at the White Cell's screen is done: its link closes, the seat is free."""
        if self.local is not None:
            self.local.link.close()
            self.local = None

    def on_game_screen_drive(self, _: SeatScreen.Drive) -> None:
        if self.local is not None:
            self.route()
            return
        if not any(isinstance(s, OrdersScreen) for s in self.screen_stack):
            self.board_view = True  # the team left its hand for the board (Escape)
        self.route()

    def action_hand(self) -> None:
        self.board_view = False
        self.route()

    def on_game_screen_committed(self, _: SeatScreen.Committed) -> None:
        self.route()

    def route(self) -> None:
        """Show what this place needs now: a team's hand while its orders are due."""
        team = self.team
        if team is None or not team.update:
            return
        u = team.update
        orders: OrdersScreen | None = next(
            (s for s in self.screen_stack if isinstance(s, OrdersScreen)), None
        )
        if self.local is not None:
            self.route_local(orders)
            return
        if self._curtain(bool(u.get("paused")) and team.place != wire.FACILITATOR):
            return
        due = team.role >= 0 and u["orders_open"] and team.role in u["waiting"]
        if not due:
            self.board_view = False
        if due and orders is None and not self.board_view:
            self.push_screen(OrdersScreen(team, team.role))
        elif not due and orders is not None:
            while orders in self.screen_stack:
                self.pop_screen()
        elif orders is not None and self._mine(u) != self._last_state:
            orders.refresh_view()
        self._last_state = self._mine(u)
        for s in self.screen_stack:
            if isinstance(s, ServedBoard):
                s.redraw()

    def _curtain(self, paused: bool) -> bool:
        """Raise or lift the pause curtain; whether it is up (nothing else is routed then)."""
        up = isinstance(self.screen, Paused)
        if paused and not up:
            self.push_screen(Paused())
        elif not paused and up:
            self.pop_screen()
        return paused

    def route_local(self, orders: OrdersScreen | None) -> None:
        """A team plays at the White Cell's screen: its hand until it commits or leaves."""
        local = self.local
        assert local is not None
        lu = local.update
        due = bool(lu) and lu["orders_open"] and local.role in lu["waiting"]
        curtain = any(isinstance(s, Curtain) for s in self.screen_stack)
        if orders is None and not curtain:
            self.close_local()  # the team left its hand (Escape)
        elif not due:
            while len(self.screen_stack) > 2 and not isinstance(self.screen, ServedBoard):
                self.pop_screen()
            self.close_local()
        elif orders is not None:
            orders.refresh_view()
        for s in self.screen_stack:
            if isinstance(s, ServedBoard):
                s.redraw()

    def _mine(self, u: dict[str, Any]) -> Any:
        """What the team's own screen shows of an update: another team's commit leaves it."""
        st = u["state"]
        r = self.team.role if self.team is not None else -1
        if r < 0:
            return None
        return (
            st["turn"],
            st["phase"],
            st["hand"][r],
            st["orders"][r],
            st["influence"][r],
            st["modifiers"],
            st["ties"],
            st["tracks"],
            st["flags"],
            u["teams"][r],
            u["clock"][0],
        )

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen) or self.team is None:
            return
        topic = SERVED_ROOM if self.team.place == wire.FACILITATOR else ""
        facts = HelpFacts(powers=self.team.tables.power_names, resume="", topic=topic)
        self.push_screen(HelpScreen(facts))
