"""Traps found in a trial of the merged game, typing as a class would.

Most are keys that arrive in one burst: a terminal delivers a quick double Enter as one read,
so both keys are queued for the focused list, button or field before the first is handled.
The first answers; the rest must not answer again on a screen that is gone (which would open a
second dialog, or pop the screen under it: the team's hand, the room itself). Pilot's `press`
waits for each key to be handled, so these tests queue the keys at once, as the terminal does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_tui_fixture import QUAD_SEATS, pick_card, press, settle
from textual import events

from wargame.tui.app import Options, WargameApp
from wargame.tui.screens.dialogs import ChoiceDialog
from wargame.tui.screens.orders import OrdersScreen, PlayDialog
from wargame.tui.screens.room import RoomScreen


def options(tmp_path: Path, scenario: Path) -> Options:
    return Options(
        scenario=scenario,
        seed=11,
        saves=tmp_path / "saves",
        timer=0,
        bots=QUAD_SEATS,
        key_hold=0.0,
    )


async def burst(app: WargameApp, pilot: Any, n: int) -> None:
    """`n` Enters queued at once, as a terminal reads a quick double press."""
    for _ in range(n):
        app.post_message(events.Key("enter", "\r"))
    await settle(app, pilot)


def stack(app: WargameApp) -> list[str]:
    return [type(s).__name__ for s in app.screen_stack]


async def open_hand(app: WargameApp, pilot: Any) -> None:
    await settle(app, pilot)
    await press(app, pilot, "ctrl+s", "ctrl+y", "enter", "ctrl+o")
    assert isinstance(app.screen, OrdersScreen)


async def test_enter_three_times_on_a_card_opens_one_dialog(tmp_path: Path, quad: Path) -> None:
    """Three dialogs for one card used to stack up; Escape seemed not to work."""
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_hand(app, pilot)
        await pick_card(app, pilot, "Trade mission")
        await burst(app, pilot, 3)
        assert stack(app) == ["Screen", "RoomScreen", "OrdersScreen", "PlayDialog"]
        await press(app, pilot, "escape")
        assert isinstance(app.screen, OrdersScreen)


async def test_double_enter_after_the_why_keeps_the_team_at_its_hand(
    tmp_path: Path, quad: Path
) -> None:
    """A student types the reason and presses Enter twice: one order, and the hand stays on
    screen (the second Enter used to pop the hand and show the room)."""
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_hand(app, pilot)
        await pick_card(app, pilot, "Trade mission")
        await press(app, pilot, "enter", "enter", "text:court the inner sea")
        assert isinstance(app.screen, PlayDialog)
        await burst(app, pilot, 2)
        assert stack(app) == ["Screen", "RoomScreen", "OrdersScreen"]
        g = app.game
        assert g is not None
        assert [o.rationale for o in g.session.orders_of("merchants")] == ["court the inner sea"]


async def test_double_enter_in_a_choice_keeps_the_room(tmp_path: Path, quad: Path) -> None:
    """Ctrl+B, then Enter twice on the role: the next question waits, and the room is still
    under it (the second Enter used to pop the room, leaving a blank screen behind)."""
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        assert isinstance(app.screen, RoomScreen)
        await press(app, pilot, "ctrl+b")
        await burst(app, pilot, 2)
        assert stack(app) == ["Screen", "RoomScreen", "ChoiceDialog"]
        assert isinstance(app.screen, ChoiceDialog)
        assert app.screen.title_text.startswith("Who plays")
        await press(app, pilot, "escape")
        assert isinstance(app.screen, RoomScreen)


async def test_double_enter_on_a_save_resumes_it_once(tmp_path: Path, quad: Path) -> None:
    """Enter twice on a save in the Continue tab: one resume, one "resumed" note in the save
    (a second resume used to load the save again over the first)."""
    from wargame.actions import Note

    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        g = app.game
        assert g is not None and g.path is not None
        path = g.path
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+o")
        await burst(app, pilot, 2)
        assert isinstance(app.screen, RoomScreen)
        g = app.game
        assert g is not None and g.path == path
        notes = [s.action for s in g.session.steps if isinstance(s.action, Note)]
        assert len(notes) == 1, notes
    assert path.read_text().count('"type":"note"') == 1


async def test_a_seat_handed_back_to_people_offers_its_team_name(
    tmp_path: Path, quad: Path
) -> None:
    """Team Red leaves, its seat goes to a bot, and comes back: the name asked for is Red's
    already (pressing Enter used to rename the team after its role)."""
    from wargame.tui.screens.dialogs import PromptDialog

    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        g = app.game
        assert g is not None
        red = g.tables.role_index["merchants"]
        g.reseat(red, "greedy", "Team Red left early")
        await press(app, pilot, "ctrl+b", "enter")  # the first role: the merchants
        assert isinstance(app.screen, ChoiceDialog)
        await press(app, pilot, "end", "enter")  # the last choice: a team of people
        assert isinstance(app.screen, PromptDialog)
        await press(app, pilot, "enter")
        assert g.seat_text(red) == "team Red"


async def test_the_seat_list_names_each_team_once(tmp_path: Path, quad: Path) -> None:
    """Ctrl+B lists the roles: "Merchant Houses — now: team Red", not "Team Red (Merchant
    Houses) — now: team Red"."""
    from wargame.facilitation.text import role_name

    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y", "ctrl+b")
        assert isinstance(app.screen, ChoiceDialog)
        g = app.game
        assert g is not None
        labels = [str(label) for label, _ in app.screen.options]
        red = g.tables.role_index["merchants"]
        assert labels[0] == f"{role_name(g.tables, red)} — now: team Red"
        assert all(label.count("Red") <= 1 for label in labels)


async def test_two_long_targets_leave_the_keys_in_sight_at_80x24() -> None:
    """China's "Secretariats cooperate" names two institutions with long names: once both are
    ticked, the line naming them must not push the "Why?" field and the keys off an 80x24
    screen."""
    from test_tui_fixture import screen_text
    from textual.app import App

    from tests.helpers import COF, tables_for
    from wargame.engine import Session
    from wargame.facilitation.text import Names

    t = tables_for(COF)
    session = Session(t, seed=1)
    session.settle()
    st = session.state
    china, card = t.role_index["china"], t.card_index["cn-bridge-secretariats"]
    hand = list(st.hand)
    hand[china] = (card, *hand[china])
    view = st.evolve(hand=tuple(hand))
    dialog = PlayDialog(view, china, card, Names(t))
    app: App[None] = App()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(dialog)
        await settle(app, pilot)
        # CICA and the ADMM-Plus: the second and the fourth of the legal targets.
        await press(app, pilot, "down", "space", "down", "down", "space")
        text = screen_text(app)
        assert "2 of 2 chosen: CICA, ADMM-Plus" in text
        assert "Why? One line for the record" in text
        assert "Enter: give the order" in text
