"""Issue 13, the 80x24 trial of a four-team session: what a new facilitator met after the traps
were fixed. Each test drives the app (Pilot keys) or the facilitation layer as a class would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_tui_fixture import QUAD_SEATS, make_quad, pick_card, press, screen_text, settle

from wargame.facilitation.launch import Options
from wargame.tui.app import WargameApp
from wargame.tui.screens.orders import OrdersScreen
from wargame.tui.screens.room import RoomScreen


@pytest.fixture
def quad(tmp_path: Path) -> Path:
    return make_quad(tmp_path)


def options(tmp_path: Path, scenario: Path, **kw: Any) -> Options:
    base: dict[str, Any] = dict(
        scenario=scenario, seed=11, saves=tmp_path / "saves", timer=0, bots=QUAD_SEATS
    )
    base.update(key_hold=0.0)
    base.update(kw)
    return Options(**base)


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
