"""The Textual application: setup, then the situation room and the screens of a turn.

The App receives its options (elia-style) and owns one `Game`. Screens call the App's few verbs
(`act`, `hand_over`, `after_commit`, `drive`…); `drive` decides from the Game which screen the
session needs next, so a resumed game and a live one follow the same path. Bots think in thread
workers and report by message; their actions are applied on the UI thread, journaled like any
other. Nothing here imports pydantic or numpy at start-up: the scenario loads in a worker.
"""

from __future__ import annotations

import gc
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen

from wargame.tui.clock import PhaseClock
from wargame.tui.screens.dialogs import ConfirmDialog, MessageDialog
from wargame.tui.themes import THEMES, ThemeStylesheet, theme_css_variables

if TYPE_CHECKING:
    from wargame.actions import Action
    from wargame.engine import Step
    from wargame.seats import Seats
    from wargame.tui.game import Game
    from wargame.tui.render import Names


@dataclass
class Options:
    """What `wargame play` was asked for."""

    scenario: Path | None = None
    seed: int | None = None
    turns: int | None = None
    saves: Path | None = Path("saves")
    bots: str = ""
    resume: str | None = None
    """'latest' or a journal path."""
    high_contrast: bool = False
    timer: int = 10
    """Default minutes per phase offered at setup (0: no timer)."""


WIDE = 130
"""From this many columns the screens use the wide (projector) layout."""


class BotDecided(Message):
    """A bot worker chose an action (or failed)."""

    def __init__(
        self, role: int, action: Action | None, explanation: str, error: str, token: int
    ) -> None:
        super().__init__()
        self.role = role
        self.action = action
        self.explanation = explanation
        self.error = error
        self.token = token


class WargameApp(App[int]):
    CSS_PATH = "wargame.tcss"
    TITLE = "wargame"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", show=False),
        Binding("f2", "toggle_contrast", "Contrast", show=False),
        Binding("ctrl+q", "request_quit", "Quit", show=False, priority=True),
        Binding("ctrl+c", "request_quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, options: Options | None = None) -> None:
        super().__init__()
        self.options = options or Options()
        self.game: Game | None = None
        self.clock = PhaseClock(0)
        self.exit_message = ""
        self._names: Names | None = None
        self._driving = False
        self._thinking: int | None = None
        self._rang_key: tuple[int, str] | None = None
        # No smooth scrolling: on a projector a scroll should land at once, in the next frame.
        self.animation_level = "none"
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = "wargame-contrast" if self.options.high_contrast else "wargame"
        # Before any CSS is read: one stylesheet per theme, each parsing a source only once
        # (see themes.py); F2 swaps them.
        self._theme_variables: dict[str, dict[str, str]] = {}
        self._stylesheets: dict[str, ThemeStylesheet] = {}
        self.stylesheet = self._stylesheet_of(self.theme)
        self._other_theme_parsed = False
        self._sources_seen: tuple[object, ...] = ()

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        from wargame.tui.screens.setup import SetupScreen

        if self.options.resume:
            self.call_after_refresh(self._resume_from_options)
        else:
            self.push_screen(SetupScreen(self.options))
        self.set_interval(1.0, self._tick)
        self.set_interval(0.2, self._parse_other_theme)

    def first_screen_ready(self) -> None:
        """Called by the first screen once it is drawn. benchmarks/bench_tui.py sets
        WARGAME_READY_FILE to time the start-up: the time is noted and the app leaves."""
        ready = os.environ.get("WARGAME_READY_FILE")
        if ready:
            Path(ready).write_text(repr(time.time()), encoding="utf-8")
            self.exit(0)

    def _resume_from_options(self) -> None:
        """`--continue`: straight to the situation room; the setup screen only if that fails."""
        from wargame.tui.launch import latest_save
        from wargame.tui.screens.setup import SetupScreen

        want = self.options.resume
        path = latest_save(self.options.saves) if want == "latest" else Path(str(want))
        if path is not None and self.resume_game(path, quiet=True):
            return
        self.push_screen(SetupScreen(self.options))
        if path is None:
            self.push_screen(
                MessageDialog(
                    "Nothing to continue",
                    f"There is no save in {self.options.saves}/ yet. Start a new game here.",
                    error=False,
                )
            )
        else:
            self.resume_game(path)  # shows why it cannot be resumed

    def start_game(
        self,
        tables: Any,
        *,
        seats: Seats,
        seed: int,
        turns: int | None = None,
        timer: int = 0,
    ) -> bool:
        from wargame.errors import WargameError
        from wargame.tui.game import Game
        from wargame.tui.launch import with_turns

        try:
            if turns is not None:
                tables = with_turns(tables, turns)
            game = Game.new(
                tables,
                seed=seed,
                seats=seats,
                saves=self.options.saves,
                settings={"timer": timer, "turns": tables.turns},
            )
        except (WargameError, OSError) as exc:
            self.push_screen(MessageDialog("Cannot start the game", str(exc)))
            return False
        self.open_game(game)
        return True

    def resume_game(self, path: Path, *, quiet: bool = False) -> bool:
        from wargame.errors import JournalError, WargameError
        from wargame.tui.game import Game

        try:
            game = Game.resume(path)
        except JournalError as exc:
            if not quiet:
                self.push_screen(
                    MessageDialog("This save cannot be resumed", [exc.problem.format()])
                )
            return False
        except (WargameError, OSError) as exc:
            if not quiet:
                self.push_screen(MessageDialog("This save cannot be resumed", [f"{path}: {exc}"]))
            return False
        self.open_game(game)
        if game.truncated:
            self.notify(game.truncated, title="Resumed", timeout=8)
        if not game.state.over:
            from wargame.actions import Note
            from wargame.tui.clock import SESSION_RESUMED

            # For the record, and so that the phase clock of a later resume does not count
            # the time the session was down.
            self.safely(game.step, Note(SESSION_RESUMED))
        return True

    def open_game(self, game: Game) -> None:
        from wargame.tui.screens.room import RoomScreen

        if self.game is not None:
            self.game.listeners.clear()
        self.game = game
        self._names = None
        self._thinking = None
        self.clock = PhaseClock(int(game.settings.get("timer", 0) or 0))
        if game.clock_at_stop is not None:
            self.clock.restore(*game.clock_at_stop)
        game.listeners.append(self._on_step)
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(RoomScreen())
        else:
            self.push_screen(RoomScreen())
        self.call_after_refresh(self.drive)
        self.call_after_refresh(freeze_garbage)

    # ------------------------------------------------------------------ helpers for screens

    def names(self) -> Names:
        from wargame.tui.render import Names

        if self._names is None:
            assert self.game is not None
            self._names = Names(self.game.tables)
        return self._names

    def safely(self, fn: Any, *args: Any) -> bool:
        """Run a Session call; a refusal or a failed save becomes a dialog."""
        from wargame.errors import IllegalActionError, JournalError, WargameError

        try:
            fn(*args)
        except IllegalActionError as exc:
            self.push_screen(MessageDialog("Not allowed now", exc.reason))
            return False
        except JournalError as exc:
            self.push_screen(MessageDialog("The save refused this", [exc.problem.format()]))
            return False
        except WargameError as exc:
            self.push_screen(MessageDialog("Not allowed now", str(exc)))
            return False
        except OSError as exc:
            self.push_screen(
                MessageDialog(
                    "Could not write the save",
                    [
                        f"{exc.strerror or exc}. The action was not applied; free some space or "
                        "check the saves folder, then try again."
                    ],
                )
            )
            return False
        return True

    def act(self, action: Action) -> bool:
        """Apply one action through the Session (journaled before it counts), then move on."""
        assert self.game is not None
        ok = self.safely(self.game.step, action)
        self.drive()
        return ok

    def describe_step(self, index: int) -> str:
        from wargame.actions import Accept, Chance, Inject, Order, Override, describe

        g = self.game
        assert g is not None
        step = g.session.steps[index]
        a = step.action
        if isinstance(a, Order) and step.before.phase == "orders":
            return f"an order by {g.team(g.tables.role_index[a.role])}"
        if isinstance(a, Chance):
            if isinstance(a.outcome, tuple):
                return "the shuffle of a deck"
            return f"the roll just drawn ({a.outcome})"
        if isinstance(a, Accept):
            return "the White Cell's acceptance of the last roll"
        if isinstance(a, Inject):
            title = g.tables.cards[g.tables.card_index[a.card]].title
            return f"the inject of “{title}”"
        if isinstance(a, Override):
            return f"the override of a roll to {a.outcome} ({a.reason})"
        return describe(a)

    def hand_over(self, role: int) -> None:
        from wargame.tui.screens.orders import HandOverScreen, OrdersScreen

        assert self.game is not None
        if self.game.needs_handover:
            self.push_screen(HandOverScreen(role))
        else:
            self.push_screen(OrdersScreen(role))

    def after_commit(self, role: int) -> None:
        from wargame.tui.screens.orders import HandOverScreen

        g = self.game
        assert g is not None
        if not g.needs_handover:
            self.pop_screen()
            self.drive()
            return
        nxt = g.humans_waiting()
        self.switch_screen(HandOverScreen(nxt[0] if nxt else None, sealed=role))

    def end_orders(self) -> None:
        g = self.game
        assert g is not None
        self.safely(g.commit_remaining_humans)
        self.drive()

    def accept_all(self) -> None:
        from wargame.actions import Accept

        g = self.game
        assert g is not None
        turn = g.state.turn
        while g.waiting()[0] == "facilitator" and g.state.turn == turn:
            if not self.safely(g.step, Accept()):
                break
        self.drive()

    # ------------------------------------------------------------------ the flow

    def drive(self) -> None:
        """Show what the session needs next; start the bots when they are waited for."""
        from wargame.tui.screens.orders import HandOverScreen, OrdersScreen
        from wargame.tui.screens.resolution import EndScreen, ResolutionScreen, SummaryScreen
        from wargame.tui.screens.room import RoomScreen

        g = self.game
        if g is None or self._driving:
            return
        self._driving = True
        try:
            beat = g.next_beat()
            if beat.kind == "chance" and not g.hold_chance:
                self.safely(g.settle)
                beat = g.next_beat()
            top = self.screen
            self.sync_clock()
            if beat.kind == "orders":
                self.run_bots()  # bots think while the teams decide, whatever is on screen
            if isinstance(top, ModalScreen | HandOverScreen | OrdersScreen):
                return  # a dialog or a team's turn: it calls drive when it closes
            if beat.kind == "resolution":
                if not (isinstance(top, ResolutionScreen) and top.turn == beat.turn):
                    self._pop_to_room()
                    self.push_screen(ResolutionScreen(beat.turn))
                elif top.is_mounted:
                    top.refresh_view()
            elif beat.kind == "summary":
                if not (isinstance(top, SummaryScreen) and top.turn == beat.turn):
                    self._pop_to_room()
                    self.push_screen(SummaryScreen(beat.turn))
            elif beat.kind == "chance" and isinstance(top, ResolutionScreen):
                if top.is_mounted:
                    top.refresh_view()  # an undo left a draw waiting: stay until r or u
            elif beat.kind == "over":
                if not isinstance(top, EndScreen):
                    self._pop_to_room()
                    self.push_screen(EndScreen())
            elif not isinstance(top, RoomScreen):
                self._pop_to_room()
        finally:
            self._driving = False
        self.refresh_room()

    def _pop_to_room(self) -> None:
        from wargame.tui.screens.room import RoomScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, RoomScreen):
            self.pop_screen()

    def room(self) -> Any:
        from wargame.tui.screens.room import RoomScreen

        for screen in self.screen_stack:
            if isinstance(screen, RoomScreen):
                return screen
        return None

    def refresh_room(self) -> None:
        room = self.room()
        if room is not None and room.is_mounted:
            room.refresh_view()

    def sync_clock(self) -> None:
        g = self.game
        if g is None:
            return
        self.clock.sync(g.clock_key())

    def _tick(self) -> None:
        if self.game is None or not self.clock.enabled:
            return
        room = self.room()
        if room is not None and room.is_mounted:
            room.refresh_status()
        if self.clock.key is not None and self.clock.remaining() <= 0 and not self.clock.rang:
            self.clock.rang = True
            self.bell()
            self.notify(
                "Time is up for this phase. Press e to end it, or t for 2 more minutes.",
                title="Timer",
                severity="warning",
                timeout=10,
            )

    # ------------------------------------------------------------------ bots

    def run_bots(self) -> None:
        g = self.game
        if g is None or self._thinking is not None:
            return
        waiting = g.bots_waiting()
        if not waiting:
            return
        r = waiting[0]
        self._thinking = r
        self.think(r, g.bots[r], g.view(r), len(g.session.steps))
        self.refresh_room()

    @work(thread=True, group="bots")
    def think(self, role: int, bot: Any, view: Any, token: int) -> None:
        try:
            action = bot.choose(view, role)
            self.post_message(BotDecided(role, action, str(bot.last_explanation or ""), "", token))
        except Exception as exc:  # a bot bug must not take the session down
            self.post_message(BotDecided(role, None, "", f"{type(exc).__name__}: {exc}", token))

    def on_bot_decided(self, msg: BotDecided) -> None:
        from wargame.actions import Note, Pass
        from wargame.errors import WargameError

        g = self.game
        self._thinking = None
        if g is None or msg.role not in g.bots_waiting():
            self.drive()
            return
        rid = g.tables.roles[msg.role].id
        if msg.action is None:
            self.notify(
                f"The {rid} bot failed ({msg.error}); it passes this turn.",
                severity="error",
                timeout=10,
            )
            self.safely(g.step, Note(f"the bot failed ({msg.error}) and passes", rid))
            self.safely(g.step, Pass(rid))
        else:
            action = g.bot_action(msg.role, msg.action, msg.explanation)
            try:
                g.step(action)
            except WargameError:
                # The world moved while it thought (an inject, an undo): think again.
                pass
            except OSError as exc:
                self.push_screen(MessageDialog("Could not write the save", str(exc)))
                return
        self.drive()

    # ------------------------------------------------------------------ listening

    def _on_step(self, step: Step) -> None:
        room = self.room()
        if room is not None and room.is_mounted:
            room.add_log(self.step_lines(step))

    def step_lines(self, step: Step) -> list[str]:
        from wargame.tui import digest

        g = self.game
        assert g is not None
        b, a = step.before, step.after
        if digest.is_crossing(step):
            out = g.narrative(step, b.turn)
            if not a.over:
                out.append(self.turn_header(a.turn))
                out.extend(g.narrative(step, a.turn))
            else:
                out.append(f"══ Game over: {a.ended_by} ══")
            return out
        return g.narrative(step)

    def turn_header(self, turn: int) -> str:
        assert self.game is not None
        t = self.game.tables
        return f"══ Turn {turn} · {t.start_year + (turn - 1) * t.years_per_turn} ══"

    def all_log_lines(self) -> list[str]:
        g = self.game
        assert g is not None
        lines = [self.turn_header(g.first_state().turn)]
        for s in g.session.steps:
            lines.extend(self.step_lines(s))
        return lines

    # ------------------------------------------------------------------ what the room shows

    def score_rows(self) -> list[tuple[int, str, str]]:
        g = self.game
        assert g is not None
        st = g.public()
        kind, who = g.waiting()
        rows = []
        for r in range(len(g.tables.roles)):
            if not st.present[r]:
                continue
            activity = ""
            if kind == "orders":
                n = len(st.orders[r])
                if r not in who:
                    activity = "✓ committed"
                elif g.is_bot(r):
                    activity = "thinking…"
                else:
                    activity = f"deciding ({n})" if n else "deciding"
            rows.append((r, g.seat_text(r), activity))
        return rows

    def status_line(self) -> Content:
        g = self.game
        assert g is not None
        st = g.state
        t = g.tables
        kind, _ = g.waiting()
        parts: list[Any] = [(f"Turn {min(st.turn, t.turns)}/{t.turns}", "bold"), f" · {st.year} · "]
        tail: list[Any] = ["  ", self.status_tail(), "  "]
        if kind == "over":
            parts.append(("game over", "bold $warning"))
        elif kind == "orders":
            humans = g.humans_waiting()
            parts.append(("ORDERS", "bold $text-accent"))
            parts.extend(tail)
            tail = []
            if humans:
                parts.append("Enter: hand over to " + g.team(humans[0]))
                if len(humans) > 1:
                    parts.append(f" (+{len(humans) - 1} more)")
            elif g.bots_waiting():
                parts.append("bots thinking…")
        elif kind == "facilitator":
            parts.append(("ROLL TO ADJUDICATE", "bold $warning"))
        elif kind == "chance":
            parts.append(("a draw is waiting (r)", "bold $warning"))
        else:
            parts.append(st.phase)
        parts.extend(tail)
        return Content.assemble(*parts)

    def status_tail(self) -> Content:
        g = self.game
        assert g is not None
        clock, style = self.clock.text()
        parts: list[Any] = []
        if clock:
            parts.extend([(clock, style), "  "])
        if g.writer is None:
            parts.append(("NOT SAVED", "bold $error"))
        else:
            parts.append((f"✓ saved ({g.records})", "$success"))
        return Content.assemble(*parts)

    # ------------------------------------------------------------------ app keys

    def action_help(self) -> None:
        from wargame.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        if not self.is_screen_installed("help"):
            self.install_screen(HelpScreen(), "help")
        self.push_screen("help")

    def get_css_variables(self) -> dict[str, str]:
        """Textual's, computed once per theme (F2 would otherwise build the colour system
        again on every switch)."""
        cache = self.__dict__.get("_theme_variables")
        if cache is None:  # called by App.__init__, before ours has run
            return super().get_css_variables()
        variables = cache.get(self.theme)
        if variables is None:
            variables = cache[self.theme] = super().get_css_variables()
        self.theme_variables = variables
        return variables

    def css_variables_of(self, name: str) -> dict[str, str]:
        """The CSS variables of a registered theme, whether or not it is the app's."""
        variables = self._theme_variables.get(name)
        if variables is None:
            variables = theme_css_variables(self, self.available_themes[name])
            self._theme_variables[name] = variables
        return variables

    def _stylesheet_of(self, name: str) -> ThemeStylesheet:
        sheet = self._stylesheets.get(name)
        if sheet is None:
            sheet = self._stylesheets[name] = ThemeStylesheet(variables=self.css_variables_of(name))
        return sheet

    def _parse_other_theme(self) -> None:
        """While idle, give the other theme's stylesheet the sources it lacks, a few at a time
        (each new kind of widget brings its own), and parse them, so that F2 finds them
        parsed. Then parse this theme's too: a widget class mounted later may have changed
        a source's priority without Textual parsing it again yet."""
        current = self.stylesheet
        seen = tuple(current.source.values())
        if seen == self._sources_seen:
            self._other_theme_parsed = True
            return
        other = "wargame" if self.theme == "wargame-contrast" else "wargame-contrast"
        sheet = self._stylesheet_of(other)
        added, done = sheet.take_sources(current, limit=3)
        try:
            if added:
                sheet.parse()
            if done:
                current.parse()
        except Exception:  # Textual reports it if the theme is ever used
            done = True
        if done:
            self._sources_seen = seen
        self._other_theme_parsed = done

    def action_toggle_contrast(self) -> None:
        name = "wargame" if self.theme == "wargame-contrast" else "wargame-contrast"
        sheet = self._stylesheet_of(name)
        sheet.take_sources(self.stylesheet)
        self.stylesheet = sheet
        self.theme = name
        room = self.room()
        if room is not None and room.is_mounted:
            from wargame.tui.widgets import GameLog

            # The log's lines carry their colours: recolour them once the new theme is shown
            # (up to 30 ms for a full log, which the key's own frame need not wait for).
            log = room.query_one("#log", GameLog)
            self.call_after_refresh(log.recolour, self.css_variables_of(name))
        # What the new theme's repaint keeps (every widget's lines) lives until the next F2:
        # out of the collector's sight it does not lengthen every later full collection.
        # (gc.freeze only moves lists: no pause.)
        self.call_after_refresh(self.call_after_refresh, gc.freeze)

    def action_request_quit(self) -> None:
        g = self.game
        if g is not None and g.writer is None and not g.state.over:

            def sure(ok: bool | None) -> None:
                if ok:
                    self.exit(0)

            self.push_screen(
                ConfirmDialog(
                    "This game is not being saved (--no-save). Quit and lose it?",
                    yes="Quit",
                    no="Stay",
                ),
                sure,
            )
            return
        if g is not None and g.path is not None:
            self.exit_message = f"Saved: {g.path}" + (
                "" if g.state.over else "\nResume with: wargame play --continue"
            )
        self.exit(0)


def freeze_garbage() -> None:
    """Move everything alive now (the scenario, its tables, the widgets) out of the garbage
    collector's sight: a full collection then scans only what a turn adds, which keeps its
    pauses far below a frame instead of growing to 100 ms and more."""
    import gc

    gc.collect()
    gc.freeze()


def options_from_args(args: Any) -> Options:
    saves = None if getattr(args, "no_save", False) else getattr(args, "saves", Path("saves"))
    return Options(
        scenario=getattr(args, "scenario", None),
        seed=getattr(args, "seed", None),
        turns=getattr(args, "turns", None),
        saves=saves,
        bots=getattr(args, "bots", "") or "",
        resume=getattr(args, "resume", None),
        high_contrast=bool(getattr(args, "high_contrast", False)),
        timer=int(getattr(args, "timer", 10) if getattr(args, "timer", None) is not None else 10),
    )


def run_app(args: Any) -> int:
    app = WargameApp(options_from_args(args))
    rc = app.run()
    if app.exit_message:
        print(app.exit_message)
    return int(rc or 0)
