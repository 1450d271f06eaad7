"""The two themes and F2: the high-contrast look is the same whether it is chosen at start-up or
with F2, F2 re-uses the CSS rules parsed for each theme instead of parsing them again, and the
log's lines are recoloured rather than rendered again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_tui_fixture import QUAD_SEATS, make_quad, press, settle
from textual.color import Color

from wargame.tui.app import Options, WargameApp
from wargame.tui.themes import THEMES, ThemeStylesheet, theme_css_variables
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


async def other_theme_parsed(app: WargameApp, pilot: Any) -> None:
    app._other_theme_parsed = False  # found again by the next idle pass over the sources
    for _ in range(200):
        await pilot.pause(0.05)
        if app._other_theme_parsed:
            return
    raise AssertionError("the other theme's rules were never parsed in advance")


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_theme_variables_are_textuals(theme: Any) -> None:
    """`theme_css_variables` must give exactly what Textual computes when the theme is set, or
    the rules parsed in advance for F2 would never be used."""
    app = WargameApp()
    app.theme = theme.name
    assert theme_css_variables(app, theme) == app.get_css_variables()


async def test_f2_parses_no_css(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import textual.css.stylesheet as stylesheet_module

    parsed: list[object] = []
    original = stylesheet_module.parse

    def counting(*args: Any, **kw: Any) -> Any:
        parsed.append(args[2] if len(args) > 2 else kw.get("read_from"))
        return original(*args, **kw)

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.stylesheet, ThemeStylesheet)
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        await other_theme_parsed(app, pilot)
        monkeypatch.setattr(stylesheet_module, "parse", counting)
        await press(app, pilot, "f2")
        assert app.theme == "wargame-contrast"
        await press(app, pilot, "f2")
        assert app.theme == "wargame"
        assert parsed == [], [str(p) for p in parsed]


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
            log = app.screen.query_one("#log", GameLog)
            # The log's lines were recoloured, not rendered again: they are the same as if
            # they had been written in this theme.
            recoloured = [list(strip) for strip in log.lines]
            log.set_lines(list(log.lines_shown))
            assert [list(strip) for strip in log.lines] == recoloured
            shots.append(app.export_screenshot())
    assert shots[0] == shots[1]


async def test_log_recolours_both_ways(tmp_path: Path) -> None:
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
        for _ in range(2):
            await press(app, pilot, "f2")
            await pilot.pause(0.1)
        assert app.theme == "wargame"
        assert [list(strip) for strip in log.lines] == before
