"""Issue 13, traps 1, 2, 3, 6 and 7: nothing a student types can misfire.

Each test drives the app as a class would (Pilot key presses, no private attribute) and checks
the journal through the Game's public methods: no single letter commits, confirms, undoes, ends
a phase or leaves; Enter is held a moment after a screen appears and a team's hand needs a
deliberate key; the setup asks before it starts; undo skips the bots' moves; the key bar shows
the keys that work now.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

from test_tui_fixture import pick_card, press, screen_text, settle
from test_tui_fixture import quad_options as options

from wargame.actions import Inject, Order, Pass, Undo
from wargame.pending import AdjudicationDue, ChanceDue, OrdersDue
from wargame.tui.app import WargameApp
from wargame.tui.screens.dialogs import ConfirmDialog, MessageDialog, PauseScreen
from wargame.tui.screens.help import HelpScreen
from wargame.tui.screens.orders import HandOverScreen, OrdersScreen
from wargame.tui.screens.resolution import ResolutionScreen, SummaryScreen
from wargame.tui.screens.room import RoomScreen
from wargame.tui.screens.setup import SetupScreen

TYPED = ["policy", string.ascii_lowercase, string.ascii_uppercase]
"""What a typist might enter at the wrong screen: a word, then every letter, small and capital."""


async def type_letters(app: WargameApp, pilot: Any) -> None:
    """Type each word of TYPED, a key per letter, as a person at the keyboard would."""
    for word in TYPED:
        for ch in word:
            await pilot.press(ch)
        await settle(app, pilot)


def journal_kinds(app: WargameApp) -> list[str]:
    g = app.game
    assert g is not None
    return [type(s.action).__name__ for s in g.session.steps]


def key_bar(app: WargameApp) -> str:
    return screen_text(app).rstrip("\n").splitlines()[-1]


async def start(app: WargameApp, pilot: Any) -> None:
    await settle(app, pilot)
    await press(app, pilot, "ctrl+s", "ctrl+y")
    assert isinstance(app.screen, RoomScreen | ResolutionScreen)


# ---------------------------------------------------------------------- trap 1


async def test_typing_on_the_hand_screen_commits_nothing(tmp_path: Path, quad: Path) -> None:
    """The reported case: an order given (Enter in "Why?"), the focus back on the card list,
    then the word `policy` typed there. It used to commit the team's orders (c, then y)."""
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        g = app.game
        assert g is not None
        await press(app, pilot, "enter", "ctrl+o")
        assert isinstance(app.screen, OrdersScreen)
        await pick_card(app, pilot, "Trade mission")
        await press(app, pilot, "enter", "enter", "text:court the inner sea", "enter")
        assert isinstance(app.screen, OrdersScreen)
        merchants = g.tables.role_index["merchants"]
        assert merchants in g.humans_waiting()
        before = journal_kinds(app)
        await type_letters(app, pilot)
        assert isinstance(app.screen, OrdersScreen)  # nothing left the screen
        assert merchants in g.humans_waiting()  # not committed
        assert journal_kinds(app) == before  # nothing taken back or added
        assert g.session.orders_of("merchants")[0].rationale == "court the inner sea"
        # Committing needs Ctrl+S, and then a confirmation no letter gives.
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
        await type_letters(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert merchants in g.humans_waiting()
        await press(app, pilot, "enter")  # the focus starts on "Not yet"
        assert isinstance(app.screen, OrdersScreen) and merchants in g.humans_waiting()
        await press(app, pilot, "ctrl+s", "tab", "enter")
        assert merchants not in g.humans_waiting()
        assert isinstance(app.screen, HandOverScreen)
        # The curtain before the next team: letters neither open the hand nor leave.
        await type_letters(app, pilot)
        assert isinstance(app.screen, HandOverScreen)
        assert journal_kinds(app)[-1] == "Pass"


async def test_typing_in_the_room_and_at_resolution_does_nothing(
    tmp_path: Path, quad: Path
) -> None:
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        # Setup: letters typed at the form start nothing.
        await settle(app, pilot)
        assert isinstance(app.screen, SetupScreen)
        await type_letters(app, pilot)
        assert isinstance(app.screen, SetupScreen) and app.game is None
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
        await type_letters(app, pilot)  # the start confirmation: no letter confirms
        assert isinstance(app.screen, ConfirmDialog) and app.game is None
        await press(app, pilot, "ctrl+y")
        g = app.game
        assert g is not None
        # The situation room: no letter undoes, injects, pauses, ends the phase or quits.
        assert isinstance(app.screen, RoomScreen)
        before = journal_kinds(app)
        await type_letters(app, pilot)
        assert isinstance(app.screen, RoomScreen)
        assert journal_kinds(app) == before and app.is_running
        assert len(g.humans_waiting()) == 2
        # The pause curtain and the help: no letter resumes or closes them.
        await press(app, pilot, "ctrl+p")
        assert isinstance(app.screen, PauseScreen)
        await type_letters(app, pilot)
        assert isinstance(app.screen, PauseScreen)
        await press(app, pilot, "ctrl+p", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await type_letters(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        await press(app, pilot, "escape")
        assert isinstance(app.screen, RoomScreen)
        await press(app, pilot, "ctrl+e", "ctrl+y")  # the White Cell ends the phase
        screen = app.screen
        assert isinstance(screen, ResolutionScreen) and screen.adjudicating()
        before = journal_kinds(app)
        await type_letters(app, pilot)  # o (override), u (undo), e (end phase), q, i, n, p…
        assert app.screen is screen and screen.adjudicating()
        assert journal_kinds(app) == before
        # Accept every roll, then the summary: letters do nothing on it either.
        while isinstance(app.screen, ResolutionScreen) and not app.screen.complete():
            await press(app, pilot, "enter")
        await press(app, pilot, "enter")
        assert isinstance(app.screen, SummaryScreen)
        before = journal_kinds(app)
        await type_letters(app, pilot)
        assert isinstance(app.screen, SummaryScreen) and journal_kinds(app) == before


async def test_dialogs_refuse_y(tmp_path: Path, quad: Path) -> None:
    """A confirmation's safe answer has the focus; `y` alone never confirms (End phase)."""
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        g = app.game
        assert g is not None
        await press(app, pilot, "ctrl+e")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "y", "Y", "enter")
        assert isinstance(app.screen, RoomScreen) and len(g.humans_waiting()) == 2
        await press(app, pilot, "ctrl+e", "right", "enter")
        assert g.humans_waiting() == []


# ---------------------------------------------------------------------- trap 2


class HandClock:
    """A clock that moves only when the test says: the key hold then does not depend on how
    fast a loaded machine delivers the keys."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


async def test_enter_is_held_after_a_screen_appears(tmp_path: Path, quad: Path) -> None:
    """A quick Enter after a screen appears is ignored; a later one works. Two Enters never
    put a team's hand on the projector: the curtain opens the hand with Ctrl+O only."""
    hold = 1.0
    clock = HandClock()
    app = WargameApp(options(tmp_path, quad, key_hold=hold))
    app.hold_clock = clock
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        clock.advance(hold + 0.1)
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "tab", "enter")  # at once: held, the dialog stays
        assert isinstance(app.screen, ConfirmDialog) and app.game is None
        clock.advance(hold + 0.1)
        await press(app, pilot, "enter")  # later: it answers (Start had the focus)
        assert isinstance(app.screen, RoomScreen)
        await press(app, pilot, "enter")  # the room has just appeared: held
        assert isinstance(app.screen, RoomScreen)
        clock.advance(hold + 0.1)
        await press(app, pilot, "enter", "enter")
        assert isinstance(app.screen, HandOverScreen)  # one curtain, and no further
        clock.advance(hold + 0.1)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, HandOverScreen)  # Enter never opens a hand
        await press(app, pilot, "ctrl+o")
        assert isinstance(app.screen, OrdersScreen)


async def test_quick_enters_do_not_skip_rolls_or_the_summary(tmp_path: Path, quad: Path) -> None:
    """Eight quick Enters mid-resolution accept one roll at most (each new roll, and the end
    of the resolution, holds Enter again), never reaching the summary unseen."""
    hold = 1.0
    clock = HandClock()
    app = WargameApp(options(tmp_path, quad, bots="all=random"))
    app.hold_clock = clock
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        g = app.game
        assert g is not None
        while not isinstance(app.screen, ResolutionScreen):
            await press(app, pilot, "enter")
        app.key_hold = hold
        clock.advance(hold + 0.1)
        accepted = journal_kinds(app).count("Accept")
        for _ in range(8):
            await pilot.press("enter")
        await settle(app, pilot)
        assert journal_kinds(app).count("Accept") == accepted + 1
        assert isinstance(app.screen, ResolutionScreen)
        clock.advance(hold + 0.1)
        await press(app, pilot, "enter")
        assert journal_kinds(app).count("Accept") == accepted + 2


async def test_the_turn_summary_can_be_read_again(tmp_path: Path, quad: Path) -> None:
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        g = app.game
        assert g is not None
        assert "Summary" not in key_bar(app)  # no turn has ended yet
        await press(app, pilot, "ctrl+e", "ctrl+y")
        while not isinstance(app.screen, SummaryScreen):
            await press(app, pilot, "enter")
        first = screen_text(app).split("Largest shifts first")[1][:200]
        await press(app, pilot, "enter")
        while isinstance(app.screen, ResolutionScreen):  # the next turn's event roll
            await press(app, pilot, "enter")
        assert isinstance(app.screen, RoomScreen) and g.state.turn == 2
        before = journal_kinds(app)
        assert "Summary" in key_bar(app)
        await press(app, pilot, "ctrl+l")
        assert isinstance(app.screen, SummaryScreen) and app.screen.turn == 1
        assert "shown again" in screen_text(app)
        assert first in screen_text(app)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, RoomScreen)
        assert journal_kinds(app) == before  # reading it again changes nothing


# ---------------------------------------------------------------------- trap 3


async def test_setup_start_needs_a_confirmation_showing_the_seats(
    tmp_path: Path, quad: Path
) -> None:
    from textual.widgets import Input

    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        # A bot's seat shows no team-name field to type into.
        assert not screen.query_one("#team-corsairs", Input).display
        assert screen.query_one("#team-merchants", Input).display
        # Tab, Tab, Enter (and more) never starts a game on its own.
        await press(app, pilot, "tab", "tab", "enter")
        assert app.game is None
        for _ in range(12):
            await press(app, pilot, "tab", "enter")
            if isinstance(app.screen, ConfirmDialog):
                break
        assert app.game is None
        if not isinstance(app.screen, ConfirmDialog):
            await press(app, pilot, "escape", "ctrl+s")
        text = screen_text(app)
        assert isinstance(app.screen, ConfirmDialog)
        assert "human team Red" in text and "random bot" in text and "seed 11" in text
        await press(app, pilot, "enter")  # the focus is on "Back to setup"
        assert isinstance(app.screen, SetupScreen) and app.game is None
        await press(app, pilot, "ctrl+s", "tab", "enter")
        assert isinstance(app.screen, RoomScreen) and app.game is not None


# ---------------------------------------------------------------------- trap 6


async def test_undo_in_orders_does_not_undo_a_bot(tmp_path: Path, quad: Path) -> None:
    """The bots commit as the phase opens; Ctrl+U then says no person's move can be undone
    (it used to undo the last bot's commit, which the bot made again at once)."""
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        g = app.game
        assert g is not None and g.bots_waiting() == []
        before = journal_kinds(app)
        await press(app, pilot, "ctrl+u")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog | MessageDialog)
        said = dialog.question if isinstance(dialog, ConfirmDialog) else " ".join(dialog.lines)
        assert "only the bots have acted" in said
        await press(app, pilot, "escape")
        assert journal_kinds(app) == before and "Undo" not in before
        # A team's order, then the White Cell's undo takes back that order.
        await press(app, pilot, "1", "ctrl+o")
        await pick_card(app, pilot, "Trade mission")
        await press(app, pilot, "enter", "enter", "enter", "escape", "ctrl+u")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and "an order by Team Red" in dialog.question
        await press(app, pilot, "ctrl+y")
        assert g.session.orders_of("merchants") == []
        assert g.bots_waiting() == []  # the bots' commits stand


def test_undo_skips_the_bots_moves_made_since(tmp_path: Path, quad: Path) -> None:
    """A team's order, then a bot's order and commit: the undo takes back the team's order,
    with the bot's moves (the bot decides again), and never the bot's alone."""
    from wargame.facilitation.controller import Game
    from wargame.facilitation.launch import load_tables

    seats = {
        "merchants": {"kind": "human", "name": "Red"},
        "corsairs": {"kind": "bot", "bot": "random", "level": ""},
        "guilds": {"kind": "human", "name": "Blue"},
        "islanders": {"kind": "bot", "bot": "random", "level": ""},
    }
    g = Game.new(load_tables(quad), seed=11, seats=seats, saves=None)
    g.settle()
    view = g.view(g.tables.role_index["merchants"])
    card = next(
        g.tables.cards[c] for c in view.hand[0] if g.tables.cards[c].title == "Trade mission"
    )
    g.step(Order("merchants", card.id, ("amber",), "court"))
    mine = len(g.session.steps) - 1
    g.step(Pass("corsairs", "the bot's reason"))
    assert g.people_undo_target() == mine
    assert g.bot_steps_after(mine) == [g.tables.role_index["corsairs"]]
    g.undo_people(Undo())
    assert g.session.orders_of("merchants") == []
    corsairs = g.tables.role_index["corsairs"]
    assert corsairs in g.bots_waiting()  # its commit was taken back with it: it decides again
    assert isinstance(g.people_undo_target(), str)  # nothing else a person did this turn


# ---------------------------------------------------------------------- trap 7


async def test_key_bar_shows_the_keys_that_work_now(tmp_path: Path, quad: Path) -> None:
    app = WargameApp(options(tmp_path, quad, bots="all=random"))
    async with app.run_test(size=(160, 40)) as pilot:
        await start(app, pilot)
        g = app.game
        assert g is not None
        # Before the orders are in (the bots are quick): an inject is possible, no draw waits.
        while not isinstance(app.screen, ResolutionScreen):
            await press(app, pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ResolutionScreen) and screen.adjudicating()
        bar = key_bar(app)
        assert "Override" in bar and "Draw" not in bar
        assert "Inject" not in bar  # the rules refuse an inject while a roll is resolved
        await press(app, pilot, "enter")
        # A draw taken back alone (the engine's undo: a person's undo takes back the
        # acceptance with it) waits for Ctrl+R.
        g.undo(Undo(True, "read the wrong card"))
        screen.refresh_view()
        await settle(app, pilot)
        assert isinstance(g.pending(), ChanceDue)
        bar = key_bar(app)
        assert "^r Draw" in bar and "Inject" not in bar and "Override" not in bar
        assert "Ctrl+R" in screen_text(app)
        await press(app, pilot, "ctrl+r")
        assert isinstance(g.pending(), AdjudicationDue)
        assert "Draw" not in key_bar(app)


async def test_inject_in_the_orders_phase_is_shown_and_works(tmp_path: Path, quad: Path) -> None:
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(160, 40)) as pilot:
        await start(app, pilot)
        g = app.game
        assert g is not None
        bar = key_bar(app)
        assert "^g Inject" in bar and "Draw" not in bar
        await press(app, pilot, "ctrl+g", "enter", "text:naval review", "enter")
        injects = [s.action for s in g.session.steps if isinstance(s.action, Inject)]
        assert [a.reason for a in injects] == ["naval review"]


async def test_end_phase_after_the_resolution_does_not_touch_the_next_turn(
    tmp_path: Path, quad: Path
) -> None:
    """Found in a trial at 80x24: with every roll accepted ("Resolution complete", summary
    unread), Ctrl+E then Ctrl+Y committed every human team's *next* turn, which nobody had
    seen begin. Until the summary is read, neither end-phase nor inject acts."""
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        g = app.game
        assert g is not None
        await press(app, pilot, "ctrl+e", "ctrl+y")  # end turn 1's orders phase
        while not (isinstance(app.screen, ResolutionScreen) and app.screen.complete()):
            await press(app, pilot, "enter")
        assert isinstance(g.pending(), OrdersDue) and not g.orders_open()
        assert "End phase" not in key_bar(app) and "Inject" not in key_bar(app)
        before = journal_kinds(app)
        await press(app, pilot, "ctrl+e", "ctrl+y", "ctrl+g", "ctrl+y")
        await settle(app, pilot)
        assert journal_kinds(app) == before
        while isinstance(app.screen, MessageDialog):
            await press(app, pilot, "escape")
        await press(app, pilot, "enter")  # the summary
        assert isinstance(app.screen, SummaryScreen)
        await press(app, pilot, "enter")
        while isinstance(app.screen, ResolutionScreen):  # the next turn's event roll
            await press(app, pilot, "enter")
        assert g.orders_open() and g.humans_waiting()
