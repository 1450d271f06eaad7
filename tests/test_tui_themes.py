"""The two themes and F2: the high-contrast look is the same whether it is chosen at start-up or
with F2, and the log's lines follow the theme."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_tui_fixture import QUAD_SEATS, make_quad, press, settle
from textual.color import Color

from wargame.facilitation.launch import Options
from wargame.tui.app import WargameApp
from wargame.tui.widgets import GameLog


def make_app(tmp_path: Path, **kw: Any) -> WargameApp:
    return WargameApp(
        Options(
            scenario=make_quad(tmp_path),
            seed=11,
            saves=tmp_path / "saves",
            timer=0,
            bots=QUAD_SEATS,
            key_hold=0.0,
            **kw,
        )
    )


async def test_high_contrast_at_start_and_with_f2_look_the_same(tmp_path: Path) -> None:
    shots = []
    for contrast in (True, False):
        app = make_app(tmp_path / str(contrast), high_contrast=contrast)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(app, pilot)
            await press(app, pilot, "ctrl+s", "ctrl+y")
            if not contrast:
                assert app.screen.styles.background == Color.parse("#121212")
                await press(app, pilot, "f2")
            await pilot.pause(0.1)
            assert app.theme == "wargame-contrast"
            assert app.screen.styles.background == Color(0, 0, 0)
            shots.append(app.export_screenshot())
    assert shots[0] == shots[1]


async def test_log_follows_the_theme(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        log = app.screen.query_one("#log", GameLog)
        log.add_lines(
            [
                "══ Turn 2 · 1901 ══",
                "White Cell: a storm",
                "  roll at 40%: 12 success",
                "roll at 40%: 90 failure",
                "  muted detail",
                "plain",
            ]
        )
        before = [list(strip) for strip in log.lines]
        await press(app, pilot, "f2")
        await pilot.pause(0.1)
        assert app.theme == "wargame-contrast"
        assert [list(strip) for strip in log.lines] != before
        await press(app, pilot, "f2")
        await pilot.pause(0.1)
        assert app.theme == "wargame"
        assert [list(strip) for strip in log.lines] == before
