"""Issue 13, the 80x24 trial of a four-team session: what a new facilitator met after the traps
were fixed. Each test drives the app (Pilot keys) or the facilitation layer as a class would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_tui_fixture import pick_card, press, screen_text, settle
from test_tui_fixture import quad_options as options
from textual.widgets import Input

from wargame.tui.app import WargameApp
from wargame.tui.screens.orders import OrdersScreen
from wargame.tui.screens.room import RoomScreen


def flat(app: WargameApp) -> str:
    """The screen's text on one line (a dialog wraps its words anywhere)."""
    return " ".join(screen_text(app).replace("█", " ").split())


def tick_rows(app: WargameApp) -> list[str]:
    """The lines of a list of targets to tick."""
    return [
        ln
        for ln in screen_text(app).splitlines()
        if ("[ ] " in ln or "[x] " in ln) and "chosen" not in ln
    ]


async def start(app: WargameApp, pilot: Any) -> None:
    await settle(app, pilot)
    await press(app, pilot, "ctrl+s", "ctrl+y")
    assert isinstance(app.screen, RoomScreen)


# ---------------------------------------------------------------------- item 2


@pytest.mark.parametrize("contrast", [False, True], ids=["theme", "high-contrast"])
async def test_ticked_targets_read_without_colour(
    tmp_path: Path, quad: Path, contrast: bool
) -> None:
    """A multi-target list marks a chosen target `[x]` and the others `[ ]`, in text: a
    projector that loses the colours (or the high-contrast theme) still shows the choice."""
    app = WargameApp(options(tmp_path, quad, high_contrast=contrast))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        await press(app, pilot, "enter", "ctrl+o")
        assert isinstance(app.screen, OrdersScreen)
        await pick_card(app, pilot, "Link the councils")
        await press(app, pilot, "enter")
        rows = tick_rows(app)
        assert rows and all("[ ]" in ln for ln in rows)
        await press(app, pilot, "space", "down")
        rows = tick_rows(app)
        assert sum("[x]" in ln for ln in rows) == 1 and sum("[ ]" in ln for ln in rows) >= 1
        assert "1 of 2 chosen" in screen_text(app)
        await press(app, pilot, "up", "space")  # untick it
        rows = tick_rows(app)
        assert not any("[x]" in ln for ln in rows)
        await press(app, pilot, "space", "down", "enter")  # two ticked: on to "Why?"
        assert "2 of 2 chosen" in screen_text(app)
        assert sum("[x]" in ln for ln in tick_rows(app)) == 2


# ---------------------------------------------------------------------- item 3


async def to_turn_two(app: WargameApp, pilot: Any) -> None:
    """End the first turn's orders phase (Ctrl+E), accept its rolls and read its summary."""
    g = app.game
    assert g is not None
    await press(app, pilot, "ctrl+e", "ctrl+y")
    while not (isinstance(app.screen, RoomScreen) and g.state.turn == 2):
        await press(app, pilot, "enter")


async def test_room_at_80x24_shows_every_team_and_track_in_turn_two(tmp_path: Path) -> None:
    """The bundled scenario with all five roles seated: from turn 2 the key bar takes two
    lines (Summary is offered), yet every team and every track shows beside the board."""
    seats = "china=human:Red,us=human:Blue,allies=greedy,swing=greedy,russia=greedy"
    app = WargameApp(options(tmp_path, None, bots=seats))  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        await to_turn_two(app, pilot)
        g = app.game
        assert g is not None
        text = screen_text(app)
        assert "Summary" in text.splitlines()[-1] or "Summary" in text.splitlines()[-2]
        for track in g.tables.scenario.tracks:
            assert track.short_name in text, track.short_name
        for r in range(len(g.tables.roles)):
            assert f"{r + 1} {g.tables.scenario.roles[r].short_name}" in text


# ---------------------------------------------------------------------- item 5


async def test_teams_panel_names_the_teams_and_a_seat_handed_to_a_bot(
    tmp_path: Path, quad: Path
) -> None:
    """At 80x24 the Teams panel shows the names typed at setup and marks a seat handed to a
    bot mid-game; handed back, the room says that the bot's orders stand and how to take them
    back, and the team's hand labels them and their reasons as the bot's."""
    from wargame.seats import HumanSeat
    from wargame.tui.screens.dialogs import MessageDialog
    from wargame.tui.screens.orders import HandOverScreen

    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        g = app.game
        assert g is not None
        side = screen_text(app)
        assert "1 Merchant Houses team Red" in side and "Blue" in side  # QUAD_SEATS: Red, Blue
        red = g.tables.role_index["merchants"]
        await press(app, pilot, "ctrl+b", "enter", "enter")  # Red → the greedy bot
        await settle(app, pilot)
        assert red not in g.humans_waiting() and g.state.orders[red]
        assert "1 Merchant Houses bot\n" in screen_text(app)  # handed to a bot: marked
        await press(app, pilot, "ctrl+b", "enter", "end", "enter", "text:Red", "enter")
        assert g.seat(red) == HumanSeat("Red")
        assert isinstance(app.screen, MessageDialog)
        assert "The bot's orders for this turn stand" in flat(app)
        await press(app, pilot, "escape")
        assert "1 Merchant Houses Red" in screen_text(app)
        # The White Cell takes back the bot's commit; the team then sees the bot's orders.
        await press(app, pilot, "ctrl+u")
        assert "the commit of Team Red" in flat(app)
        await press(app, pilot, "ctrl+y")
        assert red in g.humans_waiting()
        await press(app, pilot, "1")
        assert isinstance(app.screen, HandOverScreen)
        await press(app, pilot, "ctrl+o")
        assert isinstance(app.screen, OrdersScreen)
        text = screen_text(app)
        assert "(bot)" in text and "bot's reason:" in text and "The bot that held your" in text


# ---------------------------------------------------------------------- item 4


async def test_nothing_important_is_cut_at_80x24(tmp_path: Path) -> None:
    """A long team name, a long country name, the setup's team-name fields: whole at 80x24."""
    from wargame.tui.screens.orders import HandOverScreen

    seats = "china=human,us=human:The Red Dragon Delegation,allies=greedy,swing=greedy"
    app = WargameApp(options(tmp_path, None, bots=seats))  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "team name (optional)" in screen_text(app)  # the placeholder, whole
        await press(app, pilot, "ctrl+s", "ctrl+y")
        room = screen_text(app)
        assert "North Korea " in room and "North Korea…" not in room
        await press(app, pilot, "2")
        assert isinstance(app.screen, HandOverScreen)
        await press(app, pilot, "ctrl+o")
        assert isinstance(app.screen, OrdersScreen)
        top = screen_text(app).splitlines()[:2]
        assert "Team The Red Dragon Delegation (United States)" in top[0]
        assert "orders 0/" in top[1] and "influence" in top[1]


# ---------------------------------------------------------------------- item 7


def bar(app: WargameApp) -> str:
    """The key bar: the last lines of the screen (it wraps onto two at 80 columns)."""
    return " ".join(screen_text(app).rstrip("\n").splitlines()[-2:])


async def test_the_key_bar_says_what_each_key_does_now(tmp_path: Path, quad: Path) -> None:
    """Enter is 'Accept roll' while a roll waits, 'Turn summary' once the resolution is
    complete (there is nothing to accept), and 'Back' on a summary shown again; a text field,
    where '?' is typed, offers F1 for help."""
    from wargame.tui.screens.resolution import ResolutionScreen, SummaryScreen
    from wargame.tui.screens.setup import SetupScreen

    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SetupScreen)
        assert "? Help" in bar(app) and "f1 Help" not in bar(app)
        while not isinstance(app.focused, Input):
            await press(app, pilot, "tab")
        assert "f1 Help" in bar(app) and "? Help" not in bar(app)
        await press(app, pilot, "f1")
        assert "Help — keys" in screen_text(app)
        await press(app, pilot, "escape")
        await press(app, pilot, "ctrl+s", "ctrl+y", "ctrl+e", "ctrl+y")  # the teams commit
        g = app.game
        assert g is not None
        while not isinstance(app.screen, ResolutionScreen):
            await press(app, pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ResolutionScreen)
        while screen.adjudicating():
            assert "⏎ Accept roll" in bar(app)
            await press(app, pilot, "enter")
        assert screen.complete() and "Resolution complete" in screen_text(app)
        assert "⏎ Turn summary" in bar(app) and "Accept" not in bar(app)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, SummaryScreen)
        assert "⏎ Continue" in bar(app)
        for _ in range(20):
            if isinstance(app.screen, RoomScreen):
                break
            await press(app, pilot, "enter")
        assert isinstance(app.screen, RoomScreen)
        await press(app, pilot, "ctrl+l")
        assert isinstance(app.screen, SummaryScreen)
        assert "⏎ Back" in bar(app) and "Continue" not in bar(app)
        # The text fields of the dialogs say how to reach help.
        await press(app, pilot, "enter", "ctrl+n")
        assert "F1: help" in screen_text(app)
        await press(app, pilot, "f1")  # and it does, in a dialog too (the trial: it did not)
        assert "Help — keys" in screen_text(app)
        await press(app, pilot, "escape")
        assert "F1: help" in screen_text(app)  # back in the note's prompt


# ---------------------------------------------------------------------- item 8


async def test_inject_and_override_dialogs_name_the_card(tmp_path: Path, quad: Path) -> None:
    from wargame.tui.screens.resolution import ResolutionScreen

    app = WargameApp(options(tmp_path, quad, bots="all=random"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        g = None
        await press(app, pilot, "ctrl+s", "ctrl+y")
        g = app.game
        assert g is not None
        while not isinstance(app.screen, ResolutionScreen):
            await press(app, pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ResolutionScreen) and screen.adjudicating()
        item = g.state.queue[0]
        title = g.tables.cards[item.card].title
        await press(app, pilot, "ctrl+o")
        text = flat(app)
        assert f"Override the roll for “{title}”" in text and g.team(item.owner) in text
        await press(app, pilot, "enter")
        assert f"Override the roll for “{title}”" in flat(app)  # the reason's prompt too


async def test_inject_prompt_names_the_card_and_the_log_reads_for_plural_teams(
    tmp_path: Path, quad: Path
) -> None:
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        g = app.game
        assert g is not None
        cards = g.legal_injects()
        assert cards
        await press(app, pilot, "ctrl+g", "enter")
        assert f"Inject “{g.tables.cards[cards[0]].title}”" in flat(app)
        # No verb after a team's name, which may be plural ('US allies'): 'Order given by …'.
        await press(app, pilot, "escape")
        text = screen_text(app)
        assert "Order given by " in text or "Orders committed by " in text
        assert " gives an order" not in text and "has committed its orders" not in text


def test_an_order_given_before_a_handover_to_a_bot_stays_the_teams(
    tmp_path: Path, quad: Path
) -> None:
    """The trial: a team's order, its seat then handed to a bot, was shown at the resolution as
    'bot's reason: <the team's own words>'. Who gave an order is who sat there then."""
    from wargame.actions import Order
    from wargame.facilitation.controller import Game
    from wargame.facilitation.launch import load_tables
    from wargame.rules import legal_actions

    tables = load_tables(quad)
    seats = {
        "merchants": {"kind": "human", "name": "Red"},
        "corsairs": {"kind": "bot", "bot": "random", "level": ""},
        "guilds": {"kind": "human", "name": "Blue"},
        "islanders": {"kind": "bot", "bot": "random", "level": ""},
    }
    g = Game.new(tables, seed=5, seats=seats, saves=None)
    red = tables.role_index["merchants"]
    order = next(a for a in legal_actions(g.view(red), red) if isinstance(a, Order))
    g.step(Order(order.role, order.card, order.targets, "our own words"))
    card = tables.card_index[order.card]
    g.reseat(red, "greedy", "Team Red left early")
    assert g.is_bot(red) and not g.given_by_bot(g.state.turn, red, card)
