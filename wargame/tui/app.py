"""The Textual application: setup, then the situation room and the screens of a turn.

The App receives its options (elia-style) and owns one game controller (`Game`). Screens are
given the controller and say what happened by message (`GameScreen.Drive`, `HandOver`,
`Committed`, `SetupScreen.StartGame`…) or by `dismiss`; the App routes: `drive` decides from the
controller which screen the session needs next, so a resumed game and a live one follow the
same path. Bots think in thread workers and report by message; their actions are applied on the
UI thread, journaled like any other. Nothing here imports pydantic or numpy at start-up: the
scenario loads in a worker.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.filter import LineFilter
from textual.message import Message
from textual.screen import ModalScreen

from wargame.facilitation.launch import Options
from wargame.tui.render import ControlFilter
from wargame.tui.screens.base import GameScreen, ReplayRequested, attempt
from wargame.tui.screens.compare import CompareScreen
from wargame.tui.screens.dialogs import ConfirmDialog, MessageDialog
from wargame.tui.screens.help import REPLAY, HelpFacts, HelpScreen, resume_text
from wargame.tui.screens.orders import HandOverScreen, OrdersScreen
from wargame.tui.screens.replay import ReplayScreen
from wargame.tui.screens.resolution import EndScreen, ResolutionScreen, SummaryScreen
from wargame.tui.screens.room import RoomScreen
from wargame.tui.screens.setup import SetupScreen
from wargame.tui.themes import THEMES
from wargame.tui.widgets import WIDE

CONTROL_FILTER = ControlFilter()

if TYPE_CHECKING:
    from wargame.actions import Action
    from wargame.engine import Step
    from wargame.facilitation.controller import Game
    from wargame.facilitation.debrief import Debrief
    from wargame.seats import Seats

__all__ = ["Options", "WargameApp", "run_app"]

HELD_KEYS = frozenset({"enter", "space"})
"""The keys held for `Options.key_hold` after a screen appears: the ones that answer a screen."""


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


def freeze_garbage() -> None:
    """Move everything alive now (the scenario, its tables, the widgets) out of the garbage
    collector's sight: a full collection then scans only what a turn adds, which keeps its
    pauses far below a frame."""
    gc.collect()
    gc.freeze()


class WargameApp(App[int]):
    CSS_PATH = "wargame.tcss"
    TITLE = "wargame"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", show=False),
        Binding("f1", "help", "Help", show=False),
        Binding("f2", "toggle_contrast", "Contrast", show=False),
        Binding("ctrl+q", "request_quit", "Quit", show=False, priority=True),
        Binding("ctrl+c", "request_quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, options: Options | None = None, *, debrief: Debrief | None = None) -> None:
        """`debrief`: a save `wargame replay` has loaded already, shown in the replay screen
        (at `options.replay_at`, as `replay_view` saw it, through `replay_only`)."""
        super().__init__()
        self.options = options or Options()
        self._debrief = debrief
        self.game: Game | None = None
        self.exit_message = ""
        self._driving = False
        self._thinking: int | None = None
        self.crash: Exception | None = None
        """The bug that stopped the app, if one did."""
        self._save_warned: str | None = None
        """The saving problem last shown on screen (None: saving works)."""
        self._save_clock = 0
        self._thinker: Any = None
        """The bot object thinking now: a seat handed over meanwhile (Ctrl+B) drops its move."""
        self.key_hold = self.options.key_hold
        """Seconds Enter and Space are held after a screen appears (see Options.key_hold)."""
        self.hold_clock: Callable[[], float] = time.monotonic
        """The clock the key hold reads (a test gives one it advances by hand, so the hold
        does not depend on how fast a loaded machine delivers keys)."""
        self._held_until = 0.0
        # No smooth scrolling: on a projector a scroll should land at once, in the next frame.
        self.animation_level = "none"
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = "wargame-contrast" if self.options.high_contrast else "wargame"

    @property
    def thinking(self) -> bool:
        """A bot is choosing its action in a worker."""
        return self._thinking is not None

    def get_line_filters(self) -> Sequence[LineFilter]:
        return [*super().get_line_filters(), CONTROL_FILTER]

    # ------------------------------------------------------------------ a bug

    def _handle_exception(self, error: Exception) -> None:
        # Textual offers no public hook for an unhandled exception, and its own report prints
        # a traceback with every frame's local variables (the game, hidden orders) to the
        # terminal. Keep the error for `run_app`, which raises it again for the crash report
        # (no local variables), and leave as Textual does otherwise.
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        if os.environ.get("WARGAME_DEBUG"):
            super()._fatal_error()
            return
        self.bell()
        self.exit(1)

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._screen_changed, immediate=True)
        if self._debrief is not None:
            o = self.options
            self.push_screen(
                ReplayScreen(
                    self._debrief,
                    start=o.replay_at,
                    saves=o.saves,
                    viewpoint=o.replay_view,
                    only=o.replay_only,
                )
            )
        elif self.options.replay is not None:
            self.open_replay(self.options.replay, start=self.options.replay_at)
        elif self.options.resume:
            self.call_after_refresh(self._resume_from_options)
        else:
            self.push_screen(SetupScreen(self.options))
        self.set_interval(1.0, self._tick)

    def on_setup_screen_start_game(self, msg: SetupScreen.StartGame) -> None:
        self.start_game(
            msg.tables, seats=msg.seats, seed=msg.seed, turns=msg.turns, timer=msg.timer
        )

    def on_setup_screen_resume_save(self, msg: SetupScreen.ResumeSave) -> None:
        # Enter pressed twice on a save asks twice before the first is answered: once the
        # setup is gone (or a refusal covers it), the second must not load the save again.
        if isinstance(self.screen, SetupScreen):
            self.resume_game(msg.path)

    def on_setup_screen_replay_save(self, msg: SetupScreen.ReplaySave) -> None:
        if isinstance(self.screen, SetupScreen):
            self.open_replay(msg.path)

    def on_replay_requested(self, msg: ReplayRequested) -> None:
        self.open_replay(msg.path)

    # ------------------------------------------------------------------ the replay

    def open_replay(self, path: Path, *, start: int | None = None, salvage: bool = False) -> None:
        """Open a save in the replay screen. A save that fails verification is refused with
        the line and the reason, and its intact part may be opened read-only instead."""
        from wargame.errors import JournalError, WargameError
        from wargame.facilitation.debrief import Debrief

        try:
            d = Debrief.open(path, salvage=salvage)
        except JournalError as exc:
            p = exc.problem
            problem = (
                f"line {p.line} of {p.file}: {p.reason}" if p.line else f"{p.file}: {p.reason}"
            )
            if exc.problem.line >= 2 and not salvage:

                def sure(ok: bool | None) -> None:
                    if ok:
                        self.open_replay(path, start=start, salvage=True)
                    else:
                        self._nothing_left(problem)

                self.push_screen(
                    ConfirmDialog(
                        f"This save failed verification:\n\n{problem}\n\nOpen the records "
                        "before that line, read-only? (Nothing can be branched from it.)",
                        yes="Open read-only",
                        no="Close",
                    ),
                    sure,
                )
                return
            self.push_screen(
                MessageDialog("This save cannot be replayed", [problem]),
                lambda _: self._nothing_left(problem),
            )
            return
        except (WargameError, OSError) as exc:
            problem = f"{path}: {exc}"
            self.push_screen(
                MessageDialog("This save cannot be replayed", [problem]),
                lambda _: self._nothing_left(problem),
            )
            return
        self.push_screen(ReplayScreen(d, start=start, saves=self.options.saves))

    def _nothing_left(self, problem: str) -> None:
        """`wargame replay` of a save that could not be opened: nothing else to show."""
        if not any(not isinstance(s, ModalScreen) for s in self.screen_stack[1:]):
            self.exit_message = f"wargame: {problem}"
            self.exit(1)

    def on_replay_screen_branched(self, msg: ReplayScreen.Branched) -> None:
        self.open_game(msg.game)

    def on_replay_screen_compare(self, msg: ReplayScreen.Compare) -> None:
        from wargame.errors import JournalError, WargameError
        from wargame.facilitation.debrief import Debrief

        replay = msg.screen
        try:
            other = Debrief.open(msg.other)
            comparison = replay.d.compare(other)
        except JournalError as exc:
            self.push_screen(MessageDialog("Cannot compare", [exc.problem.format()]))
            return
        except (WargameError, OSError) as exc:
            self.push_screen(MessageDialog("Cannot compare", [str(exc)]))
            return

        def back(record: int | None) -> None:
            if record is not None and replay.is_mounted:
                replay.goto(record)

        self.push_screen(CompareScreen(replay.d, other, comparison), back)

    def _resume_from_options(self) -> None:
        """`--continue`: straight to the situation room; the setup screen only if that fails."""
        from wargame.facilitation.launch import latest_save

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
        from wargame.facilitation.controller import Game
        from wargame.facilitation.launch import with_turns

        try:
            if turns is not None:
                tables = with_turns(tables, turns)
            game = Game.new(
                tables,
                seed=seed,
                seats=seats,
                saves=self.options.saves,
                settings={"timer": timer, "turns": tables.turns},
                seal_key=self.options.seal_key,
            )
        except (WargameError, OSError) as exc:
            self.push_screen(MessageDialog("Cannot start the game", str(exc)))
            return False
        self.open_game(game)
        return True

    def resume_game(self, path: Path, *, quiet: bool = False) -> bool:
        from wargame.errors import JournalError, WargameError
        from wargame.facilitation.controller import Game

        try:
            game = Game.resume(path, seal_key=self.options.seal_key)
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
            self.notify(game.truncated, title="Resumed", timeout=8, markup=False)
        if not game.state.over:
            from wargame.actions import Note
            from wargame.facilitation.clock import SESSION_RESUMED

            # For the record, and so that the phase clock of a later resume does not count
            # the time the session was down.
            attempt(self, game.step, Note(SESSION_RESUMED))
        return True

    def open_game(self, game: Game) -> None:
        if self.game is not None:
            self.game.listeners.clear()
        self.game = game
        self._thinking = None
        self._save_warned = None
        game.listeners.append(self._on_step)
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(RoomScreen(game))
        else:
            self.push_screen(RoomScreen(game))
        self.call_after_refresh(self.drive)
        self.call_after_refresh(freeze_garbage)
        self.call_after_refresh(self._saving_tick, game, retry=False)

    # ------------------------------------------------------------------ held keys

    def _screen_changed(self, _screen: Any) -> None:
        self.hold_keys()

    def hold_keys(self) -> None:
        """Ignore Enter and Space for `key_hold` seconds from now: a screen (or what it asks
        the room to read, such as the next roll) has just appeared."""
        self._held_until = self.hold_clock() + self.key_hold

    def keys_held(self) -> bool:
        return self.hold_clock() < self._held_until

    async def on_event(self, event: events.Event) -> None:
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and event.key in HELD_KEYS
            and self.keys_held()
        ):
            event.stop()
            return
        await super().on_event(event)

    # ------------------------------------------------------------------ what screens say

    def on_game_screen_drive(self, _: GameScreen.Drive) -> None:
        self.drive()

    def on_game_screen_hand_over(self, msg: GameScreen.HandOver) -> None:
        g = self.game
        assert g is not None
        if g.needs_handover:
            self.push_screen(HandOverScreen(g, msg.role))
        else:
            self.push_screen(OrdersScreen(g, msg.role))

    def on_game_screen_read_summary_again(self, msg: GameScreen.ReadSummaryAgain) -> None:
        if self.game is not None:
            self.push_screen(SummaryScreen(self.game, msg.turn, review=True))

    def on_game_screen_committed(self, msg: GameScreen.Committed) -> None:
        g = self.game
        assert g is not None
        if not g.needs_handover:
            self.pop_screen()
            self.drive()
            return
        nxt = g.humans_waiting()
        self.switch_screen(HandOverScreen(g, nxt[0] if nxt else None, sealed=msg.role))

    def _summary_read(self, _: None) -> None:
        self.drive()
        # Between turns, with nothing but the room on screen: keep what the turn left alive
        # out of later full collections, so that their pauses stay far below a frame.
        self.call_after_refresh(freeze_garbage)

    # ------------------------------------------------------------------ the flow

    def drive(self) -> None:
        """Show what the session needs next; start the bots when they are waited for."""
        g = self.game
        if g is None or self._driving:
            return
        self._driving = True
        try:
            beat = g.next_beat()
            if beat.kind == "chance" and not g.hold_chance:
                attempt(self, g.settle)
                beat = g.next_beat()
            if g.accepts_itself():  # solo play: a bot's roll goes by without a key press
                attempt(self, g.accept_bot_rolls)
                beat = g.next_beat()
            top = self.screen
            g.sync_clock()
            if beat.kind == "orders":
                self.run_bots()  # bots think while the teams decide, whatever is on screen
            if isinstance(
                top, ModalScreen | HandOverScreen | OrdersScreen | ReplayScreen | CompareScreen
            ) or (isinstance(top, SummaryScreen) and top.review):
                return  # a dialog, a team's turn, a summary read again: drive when it closes
            if beat.kind == "resolution":
                if not (isinstance(top, ResolutionScreen) and top.turn == beat.turn):
                    self._pop_to_room()
                    self.push_screen(ResolutionScreen(g, beat.turn))
                elif top.is_mounted:
                    top.refresh_view()
            elif beat.kind == "summary":
                if not (isinstance(top, SummaryScreen) and top.turn == beat.turn):
                    self._pop_to_room()
                    self.push_screen(SummaryScreen(g, beat.turn), self._summary_read)
            elif beat.kind == "chance" and isinstance(top, ResolutionScreen):
                if top.is_mounted:
                    top.refresh_view()  # an undo left a draw waiting: stay until r or u
            elif beat.kind == "over":
                if not isinstance(top, EndScreen):
                    self._pop_to_room()
                    self.push_screen(EndScreen(g))
            elif not isinstance(top, RoomScreen):
                self._pop_to_room()
        finally:
            self._driving = False
        self.refresh_room()

    def _pop_to_room(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, RoomScreen):
            self.pop_screen()

    def room(self) -> RoomScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, RoomScreen):
                return screen
        return None

    def refresh_room(self) -> None:
        room = self.room()
        if room is not None and room.is_mounted:
            room.refresh_view()

    def _tick(self) -> None:
        g = self.game
        if g is None:
            return
        self._saving_tick(g)
        if not g.clock.enabled:
            return
        room = self.room()
        if room is not None and room.is_mounted:
            room.refresh_status()
        clock = g.clock
        if clock.key is not None and clock.remaining() <= 0 and not clock.rang:
            clock.rang = True
            self.bell()
            if isinstance(self.screen, RoomScreen | ResolutionScreen):
                text = (
                    "Time is up for this phase. Press Ctrl+E to end it, or Ctrl+T for 2 more "
                    "minutes."
                )
            else:  # a team's own screen: the White Cell's keys do not work here
                text = "Time is up: finish your orders and commit them (Ctrl+S)."
            self.notify(text, title="Timer", severity="warning", timeout=6)

    def _saving_tick(self, g: Game, *, retry: bool = True) -> None:
        """While the disk refuses the save, try again every few seconds; say on screen when
        saving stops and when it resumes (the status line says it meanwhile)."""
        problem = g.save_problem
        if problem is not None and retry:
            self._save_clock += 1
            if self._save_clock % 5 == 0 and g.retry_saving():
                problem = None
        if problem == self._save_warned:
            return
        self._save_warned = problem
        if problem is None:
            self.clear_notifications()
            self.notify("Every action is saved again.", title="Saving resumed", timeout=8)
        else:
            from wargame.facilitation.room import save_problem_text

            self.notify(
                save_problem_text(problem),
                title="Not saved",
                severity="error",
                timeout=20,
                markup=False,
            )
        self.refresh_room()

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
        self._thinker = g.bots[r]
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
        thinker, self._thinker = self._thinker, None
        if g is None or msg.role not in g.bots_waiting() or g.bots.get(msg.role) is not thinker:
            self.drive()
            return
        rid = g.tables.roles[msg.role].id
        if msg.action is None:
            self.notify(
                f"The {rid} bot failed ({msg.error}); it passes this turn.",
                severity="error",
                timeout=10,
                markup=False,
            )
            attempt(self, g.step, Note(f"the bot failed ({msg.error}) and passes", rid))
            attempt(self, g.step, Pass(rid))
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
        from wargame.facilitation.room import step_lines

        room = self.room()
        if room is not None and room.is_mounted and self.game is not None:
            room.add_log(step_lines(self.game, step))
        if self.game is not None:
            self._saving_tick(self.game, retry=False)

    # ------------------------------------------------------------------ app keys

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        g = self.game
        replaying = isinstance(self.screen, ReplayScreen | CompareScreen)
        facts = HelpFacts(
            powers=g.tables.power_names if g is not None else (),
            resume=resume_text(g.path if g is not None else None, self.options.saves),
            topic=REPLAY if replaying else "",
        )
        self.push_screen(HelpScreen(facts))

    def action_toggle_contrast(self) -> None:
        self.theme = "wargame" if self.theme == "wargame-contrast" else "wargame-contrast"

    def action_request_quit(self) -> None:
        g = self.game
        unsaved = g is not None and g.save_problem is not None and not g.retry_saving()
        if g is not None and ((g.writer is None and not g.state.over) or unsaved):

            def sure(ok: bool | None) -> None:
                if ok:
                    self.exit(0)

            question = (
                f"{g.save_problem}. Quit and lose what is not saved?"
                if unsaved
                else "This game is not being saved (--no-save). Quit and lose it?"
            )
            self.push_screen(ConfirmDialog(question, yes="Quit", no="Stay"), sure)
            return
        if g is not None and g.path is not None:
            from wargame.shell import command_lines, resume_command

            # The command on lines of its own, broken between words (80 columns): a terminal
            # would wrap it in the middle of the path.
            command = command_lines(resume_command(g.path, self.options.saves))
            self.exit_message = f"Saved: {g.path}" + (
                "" if g.state.over else f"\nResume with:\n{command}"
            )
        self.exit(0)


def run_app(args: Any) -> int:
    """Run the app; a bug that stopped it is raised again here, after the terminal is back to
    normal, for the command line's crash report (`wargame.cli`)."""
    app = WargameApp(Options.from_args(args))
    rc = app.run()
    if app.crash is not None:
        raise app.crash
    if app.exit_message:
        print(app.exit_message)
    return int(rc or 0)
