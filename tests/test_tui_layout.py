"""Every screen usable at 80x24 (issue 13, traps 4 and 5): the roll and its keys always in sight
on the resolution screen, the room's status and teams whole, Start in sight at setup, every
working key on the key bar, and the phase clock on a team's own screens.

Checked through public APIs only: what the screen shows (`screen_text`, from Textual's
screenshot), `widget.region` against the screen's, and `app.size`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_tui_fixture import QUAD_SEATS, make_quad, pick_card, press, screen_text, settle
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from wargame import tui
from wargame.actions import Order
from wargame.bots.naming import with_details
from wargame.facilitation.controller import Game
from wargame.facilitation.launch import Options
from wargame.facilitation.text import short
from wargame.tui.app import WargameApp
from wargame.tui.screens.common import FACILITATOR_BINDINGS
from wargame.tui.screens.orders import HandOverScreen, OrdersScreen
from wargame.tui.screens.resolution import ResolutionScreen
from wargame.tui.screens.room import RoomScreen
from wargame.tui.widgets import KeyBar

LONG_RATIONALE = with_details(
    "to keep piracy low (Amber Isle is aligned with the Northern League, its alliance at "
    "strength 2; Coral Keys is aligned with the Pirate Confederacy, in the grey zone between the "
    "two trading leagues, where the corsairs rebuild their fleet)",
    "Raid the convoys (Amber Isle, Coral Keys)",
    "+4.1 VP over 7 scorings",
    "59% to succeed when chosen",
    "costs 2 influence",
    "look-ahead: about 66% to finish first, 12 points better than the plain greedy choice "
    "(45 sampled futures)",
)
"""A planner's explanation as the bots write it now (`bots.naming.with_details`): the reason in
plain words, then the numbers behind it, which the screens show only on F3."""


def long_bot_rationales(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every bot order carries a long explanation, as the planner's do (the random bot's
    "chosen at random" is short and the planner is slow)."""
    original = Game.bot_action

    def bot_action(self: Game, r: int, action: Any, explanation: str) -> Any:
        if isinstance(action, Order):
            explanation = LONG_RATIONALE
        return original(self, r, action, explanation)

    monkeypatch.setattr(Game, "bot_action", bot_action)


def quad_app(tmp_path: Path, **kw: Any) -> WargameApp:
    base: dict[str, Any] = dict(
        scenario=make_quad(tmp_path),
        seed=11,
        saves=tmp_path / "saves",
        timer=0,
        bots=QUAD_SEATS,
        key_hold=0.0,
    )
    base.update(kw)
    return WargameApp(Options(**base))


def inside(app: App[Any], widget: Any) -> bool:
    """The widget is laid out whole within the terminal."""
    screen = app.screen.region
    return bool(widget.region) and screen.contains_region(widget.region)


async def to_resolution(app: WargameApp, pilot: Any) -> None:
    await settle(app, pilot)
    await press(app, pilot, "ctrl+s", "ctrl+y", "enter", "ctrl+o")
    await pick_card(app, pilot, "Trade mission")
    await press(app, pilot, "enter", "enter", "text:court the inner sea", "enter")
    await press(app, pilot, "ctrl+s", "ctrl+y", "ctrl+o")
    await pick_card(app, pilot, "Hold a guild fair")
    await press(app, pilot, "enter", "enter", "enter", "ctrl+s", "ctrl+y", "enter")
    assert isinstance(app.screen, ResolutionScreen)


async def test_the_roll_and_its_keys_show_at_80x24_under_a_long_rationale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_bot_rationales(monkeypatch)
    app = quad_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_resolution(app, pilot)
        screen = app.screen
        assert isinstance(screen, ResolutionScreen) and screen.adjudicating()
        text = screen_text(app)
        assert "Now: Island Councils" in text
        assert "bot's reason: to keep piracy low" in text
        assert "VP over" not in text  # the numbers are one key away
        await press(app, pilot, "f3")
        text = screen_text(app)
        assert "+4.1 VP over 7 scorings" in " ".join(text.split())
        assert re.search(r"Chance \d+%", text)
        assert "The roll: SUCCESS" in text or "The roll: FAILURE" in text
        assert "Enter: accept" in text and "Ctrl+O: override" in text
        roll = screen.query_one("#res-roll")
        assert inside(app, roll) and inside(app, screen.query_one(KeyBar))
        assert app.size == (80, 24)
        # The rationale scrolls in its own pane, which the keyboard reaches (Tab) and scrolls.
        why = screen.query_one("#res-why")
        assert why.max_scroll_y > 0
        while app.focused is not why:
            await press(app, pilot, "tab")
        await press(app, pilot, "end")
        assert why.scroll_y == why.max_scroll_y
        assert "The roll:" in screen_text(app)  # and the roll still in sight


async def test_room_status_and_teams_whole_at_80x24_with_the_bundled_scenario(
    tmp_path: Path,
) -> None:
    from wargame.paths import default_scenario

    app = WargameApp(
        Options(scenario=default_scenario(), seed=3, saves=tmp_path, timer=10, key_hold=0.0)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        # At setup, Start is in sight below the form, whatever the number of seats.
        assert "Start (Ctrl+S)" in screen_text(app)
        assert inside(app, app.screen.query_one("#start"))
        await press(app, pilot, "ctrl+s", "ctrl+y")
        assert isinstance(app.screen, RoomScreen)
        g = app.game
        assert g is not None
        text = screen_text(app)
        first = g.team(g.humans_waiting()[0])
        assert f"Enter: hand over to {first}" in text  # not cut ("hand over to Unit…")
        side = "\n".join(line.partition("▏")[2] for line in text.splitlines())
        for r, role in enumerate(g.tables.roles):
            if g.state.present[r]:
                assert f"{r + 1} {short(role.name)}" in side, (role.name, side)


class _ManyKeys(Screen[None]):
    BINDINGS = [
        Binding("enter", "next_team", "Next team"),
        *FACILITATOR_BINDINGS,
        Binding("question_mark", "app.help", "Help"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return True

    def compose(self) -> ComposeResult:
        yield KeyBar()


class _KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(_ManyKeys())


async def test_key_bar_shows_every_working_key_at_80_columns() -> None:
    """Late in the game every White Cell key works at once (a draw waiting, a summary to
    read again): at 80 columns the bar wraps rather than cutting the last ones off."""
    app = _KeysApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        text = screen_text(app)
        for b in _ManyKeys.BINDINGS:
            assert isinstance(b, Binding)
            if b.show:
                assert b.description in text, b.description
        assert inside(app, bar)
        assert bar.region.height == 2
        # A key and its name stay together on one line.
        assert all(not line.rstrip().endswith(("^r", "^l", "^p")) for line in text.splitlines())
    async with _KeysApp().run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert pilot.app.screen.query_one(KeyBar).region.height == 1


async def test_teams_see_the_phase_clock_on_their_own_screens(tmp_path: Path) -> None:
    """Trap 5: the curtain and the orders screen show the time left, each second, the paused
    state, and at zero "TIME IS UP" in reverse on the error colour (high contrast too)."""
    app = quad_app(tmp_path, timer=1, high_contrast=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y", "enter")
        assert isinstance(app.screen, HandOverScreen)
        assert re.search(r"timer 0[01]:\d\d", screen_text(app))
        await press(app, pilot, "ctrl+o")
        assert isinstance(app.screen, OrdersScreen)
        g = app.game
        assert g is not None
        first = re.search(r"timer (0[01]:\d\d)", screen_text(app))
        assert first is not None
        await pilot.pause(1.2)
        second = re.search(r"timer (0[01]:\d\d)", screen_text(app))
        assert second is not None and second.group(1) != first.group(1)  # ticks each second
        told: list[str] = []
        app.notify = lambda message, **_: told.append(str(message))  # type: ignore[method-assign]
        g.clock.deadline -= 120  # the phase ran out (the paused state: test_clock_badge_words)
        await pilot.pause(1.1)
        text = screen_text(app)
        assert "TIME IS UP" in text
        # The notice speaks to the team, not with the White Cell's keys, which do not work here.
        assert told and "finish your orders" in told[-1] and "Ctrl+E" not in told[-1]
        head = text.splitlines()[:2]
        assert any("TIME IS UP" in line for line in head), head  # at the top, whole
        # In reverse: the high-contrast theme's error colour is the background behind it.
        assert re.search(r'fill="#f[ef]7070"', app.export_screenshot().lower())
        # Back at the curtain (the next team), the clock shows there too.
        await press(app, pilot, "escape", "enter")
        assert isinstance(app.screen, HandOverScreen)
        assert "TIME IS UP" in screen_text(app)


def test_clock_badge_words() -> None:
    from wargame.facilitation.clock import PhaseClock
    from wargame.tui.render import clock_badge

    off = PhaseClock(0)
    assert clock_badge(off).plain == ""
    on = PhaseClock(5)
    on.sync((1, "orders"))
    assert clock_badge(on).plain == "timer 05:00"
    on.pause()
    assert clock_badge(on).plain == "timer 05:00 (paused)"
    on.restore((1, "orders"), 0)
    badge = clock_badge(on)
    assert badge.plain.strip() == "TIME IS UP"
    assert any("on $error" in str(span.style) for span in badge.spans)


async def test_a_long_target_list_scrolls_and_the_why_field_stays_in_sight(tmp_path: Path) -> None:
    """Thirty countries at 80x24 in the bundled scenario; here five at 80x20: the list of
    targets shrinks to what the dialog has room for, the "Why?" field and the keys show."""
    from textual.widgets import Input

    app = quad_app(tmp_path)
    async with app.run_test(size=(80, 20)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y", "enter", "ctrl+o", "ctrl+s", "ctrl+y")
        await press(app, pilot, "ctrl+o")
        await pick_card(app, pilot, "Faith mission")
        await press(app, pilot, "enter")
        text = screen_text(app)
        assert "Choose 1 country" in text and "Enter: give the order" in text
        assert inside(app, app.screen.query_one("#why", Input))
        targets = app.screen.query_one("#targets")
        assert inside(app, targets) and targets.max_scroll_y > 0


class _DialogApp(App[None]):
    CSS_PATH = str(Path(tui.__file__).parent / "wargame.tcss")  # the dialogs' own styles

    def __init__(self, dialog: Screen[Any]) -> None:
        super().__init__()
        self.dialog = dialog

    def on_mount(self) -> None:
        self.push_screen(self.dialog)


async def test_a_long_message_scrolls_and_its_button_stays_in_sight() -> None:
    """A broken deck's thirty problems at 80x24: the list scrolls, the OK button shows."""
    from textual.widgets import Button

    from wargame.tui.screens.dialogs import ChoiceDialog, MessageDialog

    problems = [
        f"decks/x/cards/c{i}.yaml:{i}: problem {i}, explained at some length" for i in range(30)
    ]
    app = _DialogApp(MessageDialog("Cannot load decks/x", problems))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert inside(app, app.screen.query_one("#ok", Button))
        assert "OK (Enter)" in screen_text(app)
    options = [(f"Event {i}: a long text that takes a whole line " * 2, i) for i in range(20)]
    app = _DialogApp(ChoiceDialog("Inject an event card", options, note="It resolves at once."))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Enter: pick" in screen_text(app)
