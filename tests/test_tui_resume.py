"""Never lose a session: the real app, driven by the pilot in a subprocess, is killed with
SIGKILL in the middle of a turn; `wargame play --continue` resumes with every committed order.

Run as a script, this module is the harness: it plays until two human orders and the bots'
orders are journaled, prints READY, and waits to be killed.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from wargame.pending import AdjudicationDue

HERE = Path(__file__).resolve().parent


async def _harness(scenario: Path, saves: Path) -> None:
    sys.path.insert(0, str(HERE))
    from test_tui_fixture import QUAD_SEATS, pick_card, press, settle

    from wargame.facilitation.launch import Options
    from wargame.tui.app import WargameApp

    app = WargameApp(
        Options(scenario=scenario, seed=5, saves=saves, timer=0, bots=QUAD_SEATS, key_hold=0.0)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y", "enter", "ctrl+o")
        await pick_card(app, pilot, "Trade mission")
        await press(app, pilot, "enter", "enter", "text:first", "enter")
        print("ORDER 1", flush=True)
        await pick_card(app, pilot, "Renew the charter")
        await press(app, pilot, "enter", "enter", "text:second", "enter")
        print("ORDER 2", flush=True)
        print("READY", flush=True)
        while True:  # the parent kills us here, mid-turn, with the team's screen open
            await asyncio.sleep(1)


def test_sigkill_mid_turn_then_continue(tmp_path: Path) -> None:
    sys.path.insert(0, str(HERE))
    from test_tui_fixture import make_quad

    quad = make_quad(tmp_path)
    saves = tmp_path / "saves"
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), str(quad), str(saves)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=HERE.parent,
    )
    seen: list[str] = []
    deadline = time.monotonic() + 60
    try:
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line.strip())
            if line.strip() == "READY":
                break
        assert "READY" in seen, (seen, proc.stderr.read() if proc.stderr else "")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    from wargame import journal
    from wargame.facilitation.launch import latest_save

    path = latest_save(saves)
    assert path is not None
    loaded, writer = journal.resume(path)
    writer.close()
    orders = loaded.session.orders_of("merchants")
    assert [(o.card, o.rationale) for o in orders] == [
        ("trade_mission", "first"),
        ("renew_charter", "second"),
    ]
    # The bots had committed too; nothing after the kill is missing.
    st = loaded.session.state
    committed = {loaded.session.tables.roles[r].id for r in st.committed}
    assert committed == {"corsairs", "islanders"}

    # `wargame play --continue`: the app opens on the situation room at the same point.
    async def resume_in_app() -> str:
        from test_tui_fixture import settle

        from wargame.facilitation.launch import Options
        from wargame.tui.app import WargameApp
        from wargame.tui.screens.room import RoomScreen

        app = WargameApp(Options(saves=saves, resume="latest", timer=0, key_hold=0.0))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, RoomScreen)
            assert app.game is not None
            assert app.game.session.orders_of("merchants") == orders
            return app.game.state.digest()

    assert asyncio.run(resume_in_app()) == st.digest()


async def _play_to_resolution_complete(saves: Path, quad: Path) -> str:
    """Play turn 1 until its last roll is accepted (the summary not yet read); the digest."""
    from test_tui_fixture import QUAD_SEATS, press, settle

    from wargame.facilitation.launch import Options
    from wargame.tui.app import WargameApp
    from wargame.tui.screens.resolution import ResolutionScreen

    app = WargameApp(
        Options(scenario=quad, seed=11, saves=saves, timer=0, bots=QUAD_SEATS, key_hold=0.0)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(
            app, pilot, "ctrl+s", "ctrl+y", "ctrl+e", "ctrl+y"
        )  # the White Cell ends orders
        for _ in range(20):
            screen = app.screen
            assert isinstance(screen, ResolutionScreen)
            if not screen.adjudicating():
                break
            await press(app, pilot, "enter")
        assert app.screen.complete()  # type: ignore[attr-defined]
        assert app.game is not None and app.game.state.turn == 2
        return app.game.state.digest()
        # Killed here in real life: the turn is over on disk, its summary not yet read.


async def test_continue_shows_the_turn_summary_still_owed(tmp_path: Path) -> None:
    from test_tui_fixture import make_quad, press, settle

    from wargame.facilitation.launch import Options
    from wargame.tui.app import WargameApp
    from wargame.tui.screens.resolution import ResolutionScreen, SummaryScreen
    from wargame.tui.screens.room import RoomScreen

    saves = tmp_path / "saves"
    digest = await _play_to_resolution_complete(saves, make_quad(tmp_path))
    app = WargameApp(Options(saves=saves, resume="latest", timer=0, key_hold=0.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SummaryScreen) and app.screen.turn == 1
        assert app.game is not None and app.game.state.digest() == digest
        await press(app, pilot, "enter")
        while isinstance(app.screen, ResolutionScreen):  # turn 2's event roll
            await press(app, pilot, "enter")
        assert isinstance(app.screen, RoomScreen)
    # Read once (and journaled so), it is not owed again.
    from wargame import journal
    from wargame.actions import Note
    from wargame.facilitation.clock import SUMMARY_READ
    from wargame.facilitation.launch import latest_save

    path = latest_save(saves)
    assert path is not None
    assert Note(SUMMARY_READ) in [s.action for s in journal.load(path).session.steps]
    app = WargameApp(Options(saves=saves, resume="latest", timer=0, key_hold=0.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, RoomScreen)


def test_clock_replay() -> None:
    from wargame.facilitation.clock import (
        EXTENDED,
        PAUSED,
        PLAY_RESUMED,
        SESSION_RESUMED,
        Mark,
        replay,
    )

    orders, res = (1, "orders"), (1, "resolution")
    # Running 100 s, paused 50 s, running 30 s more, extended: 600 - 130 + 120.
    marks = [
        Mark(100, orders, PAUSED),
        Mark(150, orders, PLAY_RESUMED),
        Mark(180, orders),
        Mark(180, orders, EXTENDED),
    ]
    assert replay(600, 0, orders, marks) == (orders, 590)
    # A new phase starts the clock again, from the record that opened it.
    assert replay(600, 0, orders, [*marks, Mark(200, res), Mark(260, res)]) == (res, 540)
    # The session was down from t=300 to t=5000: not counted.
    down = [Mark(300, orders), Mark(5000, orders, SESSION_RESUMED), Mark(5040, orders)]
    assert replay(600, 0, orders, down) == (orders, 600 - 300 - 40)
    # Stopped while paused: the pause ends with the stop; the clock runs again on resume.
    paused = [Mark(100, orders, PAUSED), Mark(5000, orders, SESSION_RESUMED), Mark(5010, orders)]
    assert replay(600, 0, orders, paused) == (orders, 490)
    # Extended after the time was up: 2 minutes from then, as the live clock gives.
    late = [Mark(700, orders, EXTENDED), Mark(760, orders)]
    assert replay(600, 0, orders, late) == (orders, 60)


def test_resumed_clock_keeps_the_time_left(tmp_path: Path, monkeypatch: object) -> None:
    """The phase clock of a resumed game carries on with the time it had left, from the
    journal's record times, not counting pauses or the time the session was down."""
    from datetime import UTC, datetime, timedelta

    from test_tui_fixture import make_quad

    from wargame import records
    from wargame.actions import Note
    from wargame.facilitation.clock import EXTENDED, PAUSED, PLAY_RESUMED, SESSION_RESUMED
    from wargame.facilitation.controller import Game
    from wargame.facilitation.launch import load_tables

    base = datetime.now(UTC)
    offset = [0.0]

    def fake_now() -> str:
        return (base + timedelta(seconds=offset[0])).isoformat(timespec="milliseconds")

    monkeypatch.setattr(records, "now", fake_now)  # type: ignore[attr-defined]
    tables = load_tables(make_quad(tmp_path))
    seats = {r.id: {"kind": "human", "name": r.id} for r in tables.roles}
    game = Game.new(tables, seed=5, seats=seats, saves=tmp_path / "saves", settings={"timer": 10})
    key = (game.state.turn, "orders")
    for t, text in (
        (60, "hello"),
        (120, PAUSED),
        (300, PLAY_RESUMED),
        (360, EXTENDED),
        (400, "last word before the stop"),
    ):
        offset[0] = t
        game.step(Note(text))
    assert game.writer is not None and game.path is not None
    game.writer.close()
    again = Game.resume(game.path)
    assert again.clock_at_stop is not None
    got_key, left = again.clock_at_stop
    assert got_key == key
    assert abs(left - (600 - (400 - 180) + 120)) < 2  # 500 s
    # Down until t=10000, then 60 s more: 440 s left.
    offset[0] = 10000
    again.step(Note(SESSION_RESUMED))
    offset[0] = 10060
    again.step(Note("and on"))
    assert again.writer is not None
    again.writer.close()
    third = Game.resume(game.path)
    assert third.clock_at_stop is not None
    assert abs(third.clock_at_stop[1] - 440) < 2


def test_next_phase_clock_starts_when_the_summary_is_read(
    tmp_path: Path, monkeypatch: object
) -> None:
    from datetime import UTC, datetime, timedelta

    from test_tui_fixture import make_quad

    from wargame import records
    from wargame.actions import Accept, Note
    from wargame.facilitation.controller import Game
    from wargame.facilitation.launch import load_tables

    base = datetime.now(UTC)
    offset = [0.0]
    monkeypatch.setattr(
        records,
        "now",
        lambda: (
            (base + timedelta(seconds=offset[0]))  # type: ignore[attr-defined]
            .isoformat(timespec="milliseconds")
        ),
    )
    tables = load_tables(make_quad(tmp_path))
    seats = {r.id: {"kind": "human", "name": r.id} for r in tables.roles}
    game = Game.new(tables, seed=5, seats=seats, saves=tmp_path / "saves", settings={"timer": 10})
    offset[0] = 100
    game.commit_remaining_humans()
    while isinstance(game.pending(), AdjudicationDue) and game.state.turn == 1:
        game.step(Accept())
    assert game.summaries_due == [1] and game.clock_key() is None  # no clock on the summary
    offset[0] = 500
    game.ack_summary(1)
    assert game.clock_key() is not None and game.clock_key()[0] == 2  # type: ignore[index]
    offset[0] = 560
    game.step(Note("first words of turn 2"))
    assert game.writer is not None and game.path is not None
    game.writer.close()
    again = Game.resume(game.path)
    assert again.summaries_due == []
    assert again.clock_at_stop is not None
    assert again.clock_at_stop[0] == game.clock_key()
    assert abs(again.clock_at_stop[1] - 540) < 2  # the 400 s on the summary did not count


if __name__ == "__main__":
    asyncio.run(_harness(Path(sys.argv[1]), Path(sys.argv[2])))
