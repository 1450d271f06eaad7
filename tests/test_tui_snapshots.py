"""Snapshots of every screen at 80x24 (a laptop terminal) and 160x48 (a projected screen):
setup (a new game, and the tab of saves to continue), the start confirmation, the situation
room, the hand-over curtain, a team's hand (a card chosen, then its targets), the resolution
with a long bot rationale and a roll waiting, the turn summary, the end of the game, the help,
the pause curtain, and the dialogs (confirm, prompt, choice, message).

Deterministic content only: a fixed seed, no timer, fixed dates, no temporary paths, the
four-seat test scenario (so a card edit in the bundled scenario does not move them). Update with
`pytest tests/test_tui_snapshots.py --snapshot-update` after checking the new pictures (the
text of an SVG: `screen_text` in test_tui_fixture.py reads the same format).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from test_tui_fixture import QUAD_SEATS, make_quad, pick_card, press, settle
from test_tui_layout import long_bot_rationales

from wargame.facilitation.launch import Options
from wargame.tui.app import WargameApp
from wargame.tui.screens.resolution import EndScreen, ResolutionScreen

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
    from wargame.seats import BotSeat, HumanSeat

    saves = tmp_path / "saves"
    tables = load_tables(make_quad(tmp_path / "saved"))
    seats = {
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


def steps(
    *keys: str, card: str | None = None, after: tuple[str, ...] = ()
) -> Callable[[Any], Awaitable[None]]:
    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await settle(app, pilot)
        await press(app, pilot, *keys)
        if card is not None:
            await pick_card(app, pilot, card)
        await press(app, pilot, *after)

    return run_before


async def to_resolution(pilot: Any) -> None:
    """Both teams commit one order; the first roll waits for the White Cell."""
    app = pilot.app
    await settle(app, pilot)
    await press(app, pilot, "ctrl+s", "ctrl+y", "enter", "ctrl+o")
    await pick_card(app, pilot, "Trade mission")
    await press(app, pilot, "enter", "enter", "text:court the inner sea", "enter")
    await press(app, pilot, "ctrl+s", "ctrl+y", "ctrl+o")
    await pick_card(app, pilot, "Hold a guild fair")
    await press(app, pilot, "enter", "enter", "enter", "ctrl+s", "ctrl+y", "enter")
    assert isinstance(app.screen, ResolutionScreen)


async def to_summary(pilot: Any) -> None:
    app = pilot.app
    await to_resolution(pilot)
    first = True
    while isinstance(app.screen, ResolutionScreen) and app.screen.adjudicating():
        if first:
            await press(app, pilot, "ctrl+o", "enter", "text:the fleet was delayed", "enter")
            first = False
        else:
            await press(app, pilot, "enter")
    await press(app, pilot, "enter")


@pytest.mark.parametrize("size", SIZES)
def test_setup(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", SIZES)
def test_situation_room(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(tmp_path), terminal_size=size, run_before=steps("ctrl+s", "ctrl+y")
    )


@pytest.mark.parametrize("size", SIZES)
def test_card_detail(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(tmp_path),
        terminal_size=size,
        run_before=steps("ctrl+s", "ctrl+y", "enter", "ctrl+o", card="Escort the convoys"),
    )


@pytest.mark.parametrize("size", SIZES)
def test_hand_over(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(tmp_path),
        terminal_size=size,
        run_before=steps("ctrl+s", "ctrl+y", "enter", "ctrl+o", "ctrl+s", "ctrl+y"),
    )


@pytest.mark.parametrize("size", SIZES)
def test_start_confirmation(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """The seats shown once more before the start, the focus on "Back to setup"."""
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=steps("ctrl+s"))


@pytest.mark.parametrize("size", SIZES)
def test_resolution(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bot's long rationale (it scrolls) above its roll, which waits: the chance, the roll
    and the keys to accept or override show whole at 80x24."""
    long_bot_rationales(monkeypatch)
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=to_resolution)


@pytest.mark.parametrize("size", SIZES)
def test_turn_summary(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=to_summary)


@pytest.mark.parametrize("size", SIZES)
def test_setup_continue(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tab of saves to continue (Ctrl+O at setup), one save listed. The saves folder is
    given relative, as `make play` does, so that no temporary path shows."""
    make_save(tmp_path)
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path, saves=Path("saves"))
    assert snap_compare(app, terminal_size=size, run_before=steps("ctrl+o"))


@pytest.mark.parametrize("size", SIZES)
def test_targets(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """A card chosen in the hand, then its target dialog: one target ticked, the cursor on
    the next."""
    assert snap_compare(
        make_app(tmp_path),
        terminal_size=size,
        run_before=steps(
            "ctrl+s",
            "ctrl+y",
            "enter",
            "ctrl+o",
            card="Link the councils",
            after=("enter", "space", "down"),
        ),
    )


async def to_end(pilot: Any) -> None:
    """A one-turn game of bots only: every roll accepted, the summary read."""
    app = pilot.app
    await settle(app, pilot)
    await press(app, pilot, "ctrl+s", "ctrl+y")
    for _ in range(40):
        if isinstance(app.screen, EndScreen):
            break
        await press(app, pilot, "enter")
    assert isinstance(app.screen, EndScreen)


@pytest.mark.parametrize("size", SIZES)
def test_end(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    # Not saved (--no-save): a save's path would carry the temporary folder's name.
    app = make_app(tmp_path, turns=1, bots="all=random", saves=None)
    assert snap_compare(app, terminal_size=size, run_before=to_end)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(tmp_path), terminal_size=size, run_before=steps("ctrl+s", "ctrl+y", "?")
    )


@pytest.mark.parametrize("size", SIZES)
def test_pause(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(tmp_path), terminal_size=size, run_before=steps("ctrl+s", "ctrl+y", "ctrl+p")
    )


@pytest.mark.parametrize("size", SIZES)
def test_confirm_dialog(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """A team commits its orders: the question starts on its safe answer."""
    assert snap_compare(
        make_app(tmp_path),
        terminal_size=size,
        run_before=steps("ctrl+s", "ctrl+y", "enter", "ctrl+o", "ctrl+s"),
    )


@pytest.mark.parametrize("size", SIZES)
def test_prompt_dialog(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """A note for the record (Ctrl+N), with a few words typed."""
    assert snap_compare(
        make_app(tmp_path),
        terminal_size=size,
        run_before=steps("ctrl+s", "ctrl+y", "ctrl+n", "text:the corsairs asked for a recess"),
    )


@pytest.mark.parametrize("size", SIZES)
def test_choice_dialog(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """The event cards the White Cell may inject (Ctrl+G)."""
    assert snap_compare(
        make_app(tmp_path), terminal_size=size, run_before=steps("ctrl+s", "ctrl+y", "ctrl+g")
    )


@pytest.mark.parametrize("size", SIZES)
def test_message_dialog(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """The room's key 2 calls the second team, whose seat a bot plays: a message says so."""
    assert snap_compare(
        make_app(tmp_path), terminal_size=size, run_before=steps("ctrl+s", "ctrl+y", "2")
    )


# The high-contrast theme (F2, --high-contrast) on the projected size: the room, and a team's
# hand with the yellow cursor over a card and the target dialog's tick boxes.


def test_situation_room_high_contrast(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(
        make_app(tmp_path, high_contrast=True), terminal_size=(160, 48), run_before=steps("ctrl+s")
    )


def test_card_detail_high_contrast(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(
        make_app(tmp_path, high_contrast=True),
        terminal_size=(160, 48),
        run_before=steps("ctrl+s", "ctrl+y", "enter", "ctrl+o", card="Escort the convoys"),
    )


def test_targets_high_contrast(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(
        make_app(tmp_path, high_contrast=True),
        terminal_size=(160, 48),
        run_before=steps(
            "ctrl+s",
            "ctrl+y",
            "enter",
            "ctrl+o",
            card="Link the councils",
            after=("enter", "space", "down"),
        ),
    )
