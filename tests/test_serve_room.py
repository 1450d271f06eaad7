"""The White Cell's page of `wargame serve`, driven with Textual's Pilot at 80x24: the app a
browser runs for the facilitator, linked to a real game host (in a thread of its own, as the
`wargame serve` process is), with the terminal room's dialogs for every White Cell control."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_serve import first_order, join
from test_tui_fixture import make_quad, screen_text

from wargame.actions import Inject, Note, Override
from wargame.errors import WargameError
from wargame.facilitation import clock
from wargame.facilitation import room as room_text
from wargame.facilitation.controller import Game
from wargame.facilitation.launch import load_tables
from wargame.serve import wire
from wargame.serve.apps import ServedApp
from wargame.serve.host import GameHost


@pytest.fixture
def served(tmp_path: Path) -> Iterator[GameHost]:
    tables = load_tables(make_quad(tmp_path), turns=2)
    seats = {r.id: {"kind": "human", "name": None} for r in tables.roles}
    game = Game.new(tables, seed=11, seats=seats, saves=tmp_path / "saves", settings={"timer": 5})
    host = GameHost(game)
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(host.start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(20)
    yield host
    asyncio.run_coroutine_threadsafe(host.stop(), loop).result(20)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def actions(host: GameHost, kind: type) -> list[object]:
    return [s.action for s in list(host.game.session.steps) if isinstance(s.action, kind)]


async def until(app: ServedApp, pilot: object, needle: str, seconds: float = 15) -> str:
    text = ""
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        text = screen_text(app)
        if needle in text:
            return text
    raise AssertionError(f"{needle!r} did not appear; the screen shows:\n{text}")


async def test_the_white_cells_page_has_its_controls(served: GameHost) -> None:
    host = served
    ticket, _ = host.admit(host.codes[wire.FACILITATOR], "test")  # type: ignore[misc]
    app = ServedApp(host.port, ticket)
    async with app.run_test(size=(80, 24)) as pilot:
        room = await until(app, pilot, "Seats")
        # While the teams give orders: inject and note on the key bar, no roll to override.
        assert "^g Inject" in room and "^k Note" in room and "Override" not in room
        # Letters typed at the room do nothing.
        await pilot.press(*"yes")
        assert not actions(host, Note) and len(app.screen_stack) == 2

        # An inject: the scenario's events to choose from, then why (the terminal's dialogs).
        first = room_text.inject_choices(host.game)[0].card
        await pilot.press("ctrl+g")
        await until(app, pilot, "Inject an event card")
        await pilot.press("enter")
        await until(app, pilot, "Why now?")
        await pilot.press(*"a test", "enter")
        await until(app, pilot, "”: a test")
        assert [(a.card, a.reason) for a in actions(host, Inject)] == [(first, "a test")]  # type: ignore[attr-defined]

        # A note; the dialog will not take an empty one.
        await pilot.press("ctrl+k")
        await until(app, pilot, "Note for the record")
        await pilot.press("enter")
        await until(app, pilot, "Please write something")
        await pilot.press(*"noted", "enter")
        await until(app, pilot, "Note (White Cell): noted")

        # Pause: the board is hidden until the White Cell resumes; both are in the record.
        await pilot.press("ctrl+p")
        await until(app, pilot, "PAUSED")
        assert host.game.clock.paused_left is not None
        await pilot.press("enter")
        await until(app, pilot, "Seats")
        texts = [a.text for a in actions(host, Note)]  # type: ignore[attr-defined]
        assert texts[-2:] == [clock.PAUSED, clock.PLAY_RESUMED]

        # The teams commit; the White Cell ends the phase and a roll waits for it.
        teams = [await join(host, r.id) for r in host.game.tables.roles]
        for team in teams:
            await asyncio.to_thread(team.step, first_order(team, "why"))
        await pilot.press("ctrl+e")
        await until(app, pilot, "End the orders phase")
        await pilot.press("ctrl+y")
        room = await until(app, pilot, "The roll:")
        assert "^o Override" in room and "Team plays here" not in room
        drawn = str(app.team.update["roll"]["drawn"]) if app.team else ""
        other = "failure" if drawn == "success" else "success"
        await pilot.press("ctrl+o")
        await until(app, pilot, "Make it")
        await pilot.press("enter")
        await until(app, pilot, "Why does the White Cell make it")
        await pilot.press(*"a storm", "enter")
        for _ in range(300):
            if actions(host, Override):
                break
            await pilot.pause(0.05)
        assert [(a.outcome, a.reason) for a in actions(host, Override)] == [(other, "a storm")]  # type: ignore[attr-defined]

        # Every roll accepted (Ctrl+E), the turn's summary is read before the next turn begins,
        # and can be shown again.
        while app.team and app.team.update.get("roll"):
            await pilot.press("ctrl+e")
            await until(app, pilot, "Accept the rolls as drawn?")
            await pilot.press("ctrl+y")
            await pilot.pause(0.3)
        await until(app, pilot, "read the")
        await pilot.press("ctrl+e")
        await until(app, pilot, "what changed")
        assert host.game.summaries_due == [1]
        await pilot.press("enter")
        await until(app, pilot, "Seats")
        assert host.game.summaries_due == []
        await pilot.press("ctrl+l")
        await until(app, pilot, "shown again")
        await pilot.press("escape")
        await until(app, pilot, "Seats")

        # The help opens on the White Cell page's keys.
        await pilot.press("question_mark")
        help_text = await until(app, pilot, "The White Cell's page")
        assert "Ctrl+K" in help_text


async def test_a_pause_curtains_the_teams_pages_and_holds_their_orders(served: GameHost) -> None:
    """The White Cell's pause stops the room, not only the clock: a team's page shows PAUSED
    and hides the board, an order sent meanwhile is refused with the reason, and the page
    comes back by itself on resume, the team's hand where it was."""
    host = served
    role = host.game.tables.roles[0].id
    ticket, _ = host.admit(host.codes[role], "test")  # type: ignore[misc]
    white = await join(host, wire.FACILITATOR)
    other = await join(host, host.game.tables.roles[1].id)
    app = ServedApp(host.port, ticket)
    async with app.run_test(size=(80, 24)) as pilot:
        hand = await until(app, pilot, "Commit")
        await asyncio.to_thread(white.white_cell, "pause")
        text = await until(app, pilot, "PAUSED")
        assert "comes back by itself" in text and "Commit" not in text
        # Keys typed at the curtain do nothing; another team's order is refused, with why.
        await pilot.press("enter", "ctrl+y", *"yes")
        with pytest.raises(WargameError, match="paused the game"):
            await asyncio.to_thread(other.step, first_order(other, "during the pause"))
        assert host.game.clock.paused_left is not None
        await asyncio.to_thread(white.white_cell, "resume")
        back = await until(app, pilot, "Commit")
        assert "PAUSED" not in back and hand.splitlines()[1:3] == back.splitlines()[1:3]
        await asyncio.to_thread(other.step, first_order(other, "after the pause"))
    for link in (white, other):
        link.link.close()
