"""Snapshots of every screen at 80x24 (a laptop terminal) and 160x48 (a projected screen):
setup (a new game, and the tab of saves to continue), the start confirmation, the situation
room, the hand-over curtain, a team's hand (a card chosen, then its targets), the resolution
with a long bot rationale and a roll waiting, the turn summary, the end of the game, the help,
the pause curtain, and the dialogs (confirm, prompt, choice, message).

Deterministic content only: a fixed seed, no timer, fixed dates, no temporary paths, the
four-seat test scenario (so a card edit in the bundled scenario does not move them). Update with
`pytest tests/test_tui_snapshots.py --snapshot-update` after checking the new pictures (the
text of an SVG: `screen_text` in test_tui_fixture.py reads the same format).

Snapshots are slow (a whole app per picture), so one session per size walks through the
screens in the order a class meets them and takes a picture of each on the way:
`tests/__snapshots__/test_tui_snapshots/test_session[80x24][room].svg` and so on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension  # type: ignore[import-untyped]
from syrupy.assertion import SnapshotAssertion
from test_tui_fixture import QUAD_SEATS, make_quad, pick_card, press, settle
from test_tui_layout import long_bot_rationales

from wargame.facilitation.launch import Options
from wargame.tui.app import WargameApp
from wargame.tui.screens.orders import HandOverScreen, OrdersScreen
from wargame.tui.screens.resolution import EndScreen, ResolutionScreen, SummaryScreen
from wargame.tui.screens.room import RoomScreen
from wargame.tui.screens.setup import SetupScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


def make_app(tmp_path: Path, *, high_contrast: bool = False, **kw: Any) -> WargameApp:
    quad = make_quad(tmp_path)
    base: dict[str, Any] = dict(
        scenario=quad,
        seed=11,
        saves=tmp_path / "saves",
        timer=0,
        bots=QUAD_SEATS,
        high_contrast=high_contrast,
        key_hold=0.0,
    )
    base.update(kw)
    return WargameApp(Options(**base))


def make_save(tmp_path: Path) -> None:
    """A game of the test scenario saved in `tmp_path/saves` under a fixed name and date."""
    from wargame.facilitation.controller import Game
    from wargame.facilitation.launch import load_tables
    from wargame.seats import BotSeat, HumanSeat, Seats

    saves = tmp_path / "saves"
    tables = load_tables(make_quad(tmp_path / "saved"))
    seats: Seats = {
        "merchants": HumanSeat("Red"),
        "corsairs": BotSeat("random", ""),
        "guilds": HumanSeat("Blue"),
        "islanders": BotSeat("random", ""),
    }
    game = Game.new(tables, seed=5, seats=seats, saves=saves, settings={"timer": 0, "turns": 4})
    assert game.path is not None
    fixed = saves / "2026-03-02-archipelago.jsonl"
    game.path.rename(fixed)
    when = 1772442000  # 2026-03-02, 09:00 UTC
    os.utime(fixed, (when, when))


class Pictures:
    """Pictures of one running app, each compared with its stored snapshot by name."""

    def __init__(self, snapshot: SnapshotAssertion, pilot: Any) -> None:
        self.snapshot = snapshot.use_extension(SVGImageExtension)
        self.pilot = pilot

    async def take(self, name: str) -> None:
        pilot = self.pilot
        app = pilot.app
        await settle(app, pilot)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        svg = app.export_screenshot(title=app.title)
        assert self.snapshot(name=name) == svg, f"the {name!r} picture changed"


async def walk_session(pictures: Pictures) -> None:
    """Setup to the first turn's summary, a picture of every screen on the way."""
    pilot = pictures.pilot
    app = pilot.app
    take = pictures.take
    await settle(app, pilot)
    assert isinstance(app.screen, SetupScreen)
    await take("setup")
    await press(app, pilot, "ctrl+o")
    await take("setup_continue")  # the tab of saves, one listed
    await press(app, pilot, "ctrl+n", "ctrl+s")
    await take("start_confirmation")  # a confirm dialog, on its safe answer
    await press(app, pilot, "ctrl+y")
    assert isinstance(app.screen, RoomScreen)
    await take("room")
    await press(app, pilot, "2")
    await take("message_dialog")  # the second seat is a bot's
    await press(app, pilot, "escape", "ctrl+n", "text:the corsairs asked for a recess")
    await take("prompt_dialog")
    await press(app, pilot, "escape", "ctrl+g")
    await take("choice_dialog")  # the events the White Cell may inject
    await press(app, pilot, "escape", "question_mark")
    await take("help")
    await press(app, pilot, "escape", "ctrl+p")
    await take("pause")
    await press(app, pilot, "ctrl+p", "enter")
    assert isinstance(app.screen, HandOverScreen)
    await take("hand_over")
    await press(app, pilot, "ctrl+o")
    assert isinstance(app.screen, OrdersScreen)
    await pick_card(app, pilot, "Escort the convoys")
    await take("hand")  # a card chosen: its text, chance and source beside the hand
    await pick_card(app, pilot, "Link the councils")
    await press(app, pilot, "enter", "space", "down")
    await take("targets")  # one target ticked, the cursor on the next
    await press(app, pilot, "escape")
    await pick_card(app, pilot, "Trade mission")
    await press(app, pilot, "enter", "enter", "text:court the inner sea", "enter", "ctrl+s")
    await take("commit_confirmation")
    await press(app, pilot, "ctrl+y")
    await take("hand_over_sealed")  # Red's orders sealed, Blue called
    await press(app, pilot, "ctrl+o")
    await pick_card(app, pilot, "Hold a guild fair")
    await press(app, pilot, "enter", "enter", "enter", "ctrl+s", "ctrl+y", "enter")
    assert isinstance(app.screen, ResolutionScreen) and app.screen.adjudicating()
    await take("resolution")  # a bot's roll waits under its long rationale
    await press(app, pilot, "ctrl+o", "enter", "text:the fleet was delayed", "enter")
    while isinstance(app.screen, ResolutionScreen) and app.screen.adjudicating():
        await press(app, pilot, "enter")
    await take("resolution_complete")
    await press(app, pilot, "enter")
    assert isinstance(app.screen, SummaryScreen)
    await take("turn_summary")


@pytest.mark.parametrize("size", SIZES)
async def test_session(
    snapshot: SnapshotAssertion,
    tmp_path: Path,
    size: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    long_bot_rationales(monkeypatch)
    make_save(tmp_path)
    # The saves folder relative, as `make play` gives it: no temporary path on screen.
    monkeypatch.chdir(tmp_path)
    # The help names the command that resumes this save: its file carries the time it was
    # made and the checkout's path, so the picture shows a fixed one instead.
    monkeypatch.setattr(
        "wargame.tui.app.resume_text",
        lambda save, saves: ".venv/bin/wargame play --continue saves/this-game.jsonl",
    )
    app = make_app(tmp_path, saves=Path("saves"))
    async with app.run_test(size=size) as pilot:
        await walk_session(Pictures(snapshot, pilot))


@pytest.mark.parametrize("size", SIZES)
async def test_end(snapshot: SnapshotAssertion, tmp_path: Path, size: tuple[int, int]) -> None:
    """A one-turn game of bots only: every roll accepted, the summary read, the end. Not
    saved (--no-save): a save's path would carry the temporary folder's name."""
    app = make_app(tmp_path, turns=1, bots="all=random", saves=None)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        for _ in range(40):
            if isinstance(app.screen, EndScreen):
                break
            await press(app, pilot, "enter")
        assert isinstance(app.screen, EndScreen)
        await Pictures(snapshot, pilot).take("end")


async def test_high_contrast(snapshot: SnapshotAssertion, tmp_path: Path) -> None:
    """The high-contrast theme (F2, --high-contrast) on the projected size: a dialog's buttons,
    the room, and a team's hand with the yellow cursor over a card and the target dialog's
    tick boxes."""
    app = make_app(tmp_path, high_contrast=True)
    async with app.run_test(size=(160, 48)) as pilot:
        pictures = Pictures(snapshot, pilot)
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s")
        await pictures.take("start_confirmation")
        await press(app, pilot, "ctrl+y")
        await pictures.take("room")
        await press(app, pilot, "enter", "ctrl+o")
        await pick_card(app, pilot, "Escort the convoys")
        await pictures.take("hand")
        await pick_card(app, pilot, "Link the councils")
        await press(app, pilot, "enter", "space", "down")
        await pictures.take("targets")


@pytest.mark.parametrize("size", SIZES)
async def test_replay(
    snapshot: SnapshotAssertion,
    tmp_path: Path,
    size: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The replay screen over the fixture game (tests/replay_fixture.py): at a roll of the
    first resolution with a bookmark; at 80x24 each panel in turn (board, charts, turning
    points), at 160x48 all at once and as one team saw it; the "what if" dialog and the
    compare view of a branch."""
    from replay_fixture import SAVE_NAME, make_replay_save

    from wargame.actions import Note
    from wargame.facilitation.debrief import Debrief
    from wargame.tui.screens.compare import CompareScreen
    from wargame.tui.screens.replay import ReplayScreen

    monkeypatch.chdir(tmp_path)
    save = make_replay_save(Path("saves"), tmp_path / "scenario")
    d = Debrief.open(save)
    game = d.branch(d.checkpoints[3], Path("saves"))
    game.step(Note("what if the corsairs had been paid off?"))
    assert game.writer is not None and game.path is not None
    game.writer.close()
    game.path.rename(Path("saves") / "2026-03-02-archipelago-what-if.jsonl")
    app = WargameApp(Options(replay=Path("saves") / SAVE_NAME, saves=Path("saves"), key_hold=0.0))
    async with app.run_test(size=size) as pilot:
        pictures = Pictures(snapshot, pilot)
        await settle(app, pilot)
        assert isinstance(app.screen, ReplayScreen)
        await press(app, pilot, "pagedown", "pagedown", "pagedown", "right")
        await press(app, pilot, "ctrl+b", "text:the first roll", "enter")
        await press(app, pilot, "text:ask who expected it", "enter")
        await pictures.take("replay")
        if size == (80, 24):
            await press(app, pilot, "tab")
            await pictures.take("replay_board")
            await press(app, pilot, "tab")
            await pictures.take("replay_charts")
            await press(app, pilot, "tab")
            await pictures.take("replay_marks")
            await press(app, pilot, "tab")
        else:
            await press(app, pilot, "f4", "down", "down", "enter")
            await pictures.take("replay_team_view")
            await press(app, pilot, "f4", "enter")
        await press(app, pilot, "ctrl+w")
        await pictures.take("branch_dialog")
        await press(app, pilot, "escape", "ctrl+o", "enter")
        assert isinstance(app.screen, CompareScreen)
        await pictures.take("compare")
