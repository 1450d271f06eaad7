"""Snapshots of the screens at 80x24 (a laptop terminal) and 160x48 (a projected screen).

Deterministic content only: a fixed seed, no timer, no dates, the four-seat test scenario (so a
card edit in the bundled scenario does not move them). Update with
`pytest tests/test_tui_snapshots.py --snapshot-update` after checking the new pictures.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from test_tui_fixture import QUAD_SEATS, make_quad, pick_card, press, settle

from wargame.facilitation.launch import Options
from wargame.tui.app import WargameApp
from wargame.tui.screens.resolution import ResolutionScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


def make_app(tmp_path: Path, *, high_contrast: bool = False) -> WargameApp:
    quad = make_quad(tmp_path)
    return WargameApp(
        Options(
            scenario=quad,
            seed=11,
            saves=tmp_path / "saves",
            timer=0,
            bots=QUAD_SEATS,
            high_contrast=high_contrast,
            key_hold=0.0,
        )
    )


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
def test_resolution(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=to_resolution)


@pytest.mark.parametrize("size", SIZES)
def test_turn_summary(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=to_summary)


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
