"""The map of the contest in the situation room (issue 20), driven with Pilot: m toggles table
and map, the projector opens on the map, arrow keys move a cursor that names the country and
its standing, the moves since the last turn are marked on the tiles and said in words; and the
snapshots of the map at 80x24 and 160x48 in both themes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from map_fixture import make_map_save
from syrupy.assertion import SnapshotAssertion
from test_tui_fixture import press, screen_text, settle
from test_tui_snapshots import Pictures

from tests.helpers import COF
from wargame.facilitation.launch import Options
from wargame.tui.app import WargameApp
from wargame.tui.screens.resolution import SummaryScreen
from wargame.tui.screens.room import RoomScreen
from wargame.tui.widgets import Board, MapPanel

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


def map_app(tmp_path: Path, *, high_contrast: bool = False, **kw: Any) -> WargameApp:
    save = make_map_save(tmp_path / "saves", tmp_path / "scenario", **kw)
    return WargameApp(
        Options(resume=str(save), saves=save.parent, key_hold=0.0, high_contrast=high_contrast)
    )


async def to_room(app: WargameApp, pilot: Any) -> RoomScreen:
    await settle(app, pilot)
    if isinstance(app.screen, SummaryScreen):  # the summary of turn 1 is owed on resuming
        await press(app, pilot, "enter")
    room = app.screen
    assert isinstance(room, RoomScreen)
    return room


async def test_m_toggles_table_and_map_at_80_columns(tmp_path: Path) -> None:
    app = map_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        room = await to_room(app, pilot)
        # A laptop opens on the table; m shows the map, its key then says what comes back.
        assert room.query_one(Board).display and not room.query_one(MapPanel).display
        assert "m Map" in screen_text(app)
        await press(app, pilot, "m")
        text = screen_text(app)
        assert room.query_one(MapPanel).display and not room.query_one(Board).display
        assert "m Table" in text
        for code in ("AIS", "BRO", "CKE", "DAT", "ESH"):
            assert code in text
        # The tile that moved in turn 1 carries » and the power it moved toward; the line
        # under the map says it in words.
        assert "DAT" in text and "»PIR" in text
        assert "» Moved toward Corsair Captains since the start of turn 1 (1650): Dune Atoll" in (
            text
        )
        # The legend gives every status its tag.
        for words in ("Merchant Houses", "ambiguous", "non-aligned", "alliance"):
            assert words in text
        await press(app, pilot, "m")
        assert room.query_one(Board).display and "m Map" in screen_text(app)


async def test_arrow_keys_move_the_cursor_and_name_the_country(tmp_path: Path) -> None:
    app = map_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_room(app, pilot)
        await press(app, pilot, "m")
        assert "▸ Amber Isle (AIS): aligned with Merchant Houses" in screen_text(app)
        await press(app, pilot, "right")
        assert "▸ Basalt Rock (BRO): aligned with Southern Guilds" in screen_text(app)
        await press(app, pilot, "right")
        text = screen_text(app)
        # Its alliance with the pirates lapsed in turn 1; the south's, a free association, holds.
        assert "▸ Coral Keys (CKE): ambiguous · alliance with Southern Guilds ⚑1" in text
        assert "NOR 1, SOU 4, PIR 4 · moved toward Southern Guilds, was aligned with" in text
        await press(app, pilot, "down")
        assert "▸ Ember Shoals (ESH): non-aligned" in screen_text(app)
        await press(app, pilot, "up", "right")
        assert "▸ Dune Atoll (DAT)" in screen_text(app)
        assert "moved toward Corsair Captains, was non-aligned" in screen_text(app)


async def test_the_projector_opens_on_the_bundled_map(tmp_path: Path) -> None:
    """160x48: the map is what the room shows first, the bundled scenario's hand-placed one
    (China and the United States as landmarks), the teams and tracks beside it."""
    app = map_app(tmp_path, scenario=COF, human="swing", turn=3, seed=5)
    async with app.run_test(size=(160, 48)) as pilot:
        room = await to_room(app, pilot)
        assert room.map_mode and room.query_one(MapPanel).display
        text = screen_text(app)
        for code in ("JPN", "KOR", "PRK", "PHL", "KAZ", "★CHN", "★USA", "AUS", "EU"):
            assert code in text
        rows = text.splitlines()
        japan = next(r for r in rows if "JPN" in r)
        assert japan.index("KOR") < japan.index("JPN")
        assert "Teams" in text and "Tracks" in text
        assert "Moved toward" in text or "No country changed status" in text


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("contrast", [False, True], ids=["default", "high_contrast"])
async def test_map_snapshots(
    snapshot: SnapshotAssertion, tmp_path: Path, size: tuple[int, int], contrast: bool
) -> None:
    """The map after a turn, the cursor on the tile that moved, in both themes."""
    app = map_app(tmp_path, high_contrast=contrast)
    async with app.run_test(size=size) as pilot:
        room = await to_room(app, pilot)
        if not room.map_mode:
            await press(app, pilot, "m")
        await press(app, pilot, "right", "right", "right")
        await Pictures(snapshot, pilot).take("map")


async def test_the_replay_shows_the_map_at_the_cursor(tmp_path: Path) -> None:
    """m in the replay: the map of the record at the cursor, the countries that changed status
    since its turn began marked and named; a step moves it with the cursor."""
    from tests.helpers import ROOT
    from wargame.facilitation.debrief import Debrief
    from wargame.tui.screens.replay import ReplayScreen

    example = ROOT / "saves" / "example-circle-of-friends.jsonl"
    d = Debrief.open(example)
    point = next(p for p in d.turning_points() if p.kind == "status")
    view = d.map_at(point.record)
    moved = [tile for tile in view.tiles if tile.moved]
    assert any(point.text.startswith(t.name) for t in moved)
    app = WargameApp(Options(replay=example, saves=tmp_path, key_hold=0.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        await press(app, pilot, "m")
        assert "m Table" in screen_text(app) and "★CHN" in screen_text(app)
        screen.goto(point.record)
        await settle(app, pilot)
        text = screen_text(app)
        for line in view.moved_lines():
            assert line[:70] in text.replace("\n ", " ")
        assert any(f"{t.code} »" in text or f"{t.code}»" in text for t in moved)
        screen.goto(0)
        await settle(app, pilot)
        assert "No country changed status since the start of turn 1 (2019)." in screen_text(app)


def pointed(text: str) -> str:
    """The country the map's cursor line names ('▸ Japan (JPN): …'), or ''."""
    found = re.search(r"▸ ([A-Z][^(\n]*) \([A-Z]{3}\):", text)
    return found.group(1) if found else ""


@pytest.mark.parametrize("size", SIZES)
async def test_the_replays_map_has_a_cursor_once_tab_brings_the_focus(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """In the replay the arrows step through the save; Tab brings the focus to the map, and
    they then point at a country (named with its standing under the map) without moving the
    replay's cursor; Tab again and they step."""
    from tests.helpers import ROOT
    from wargame.tui.screens.replay import ReplayScreen

    example = ROOT / "saves" / "example-circle-of-friends.jsonl"
    app = WargameApp(Options(replay=example, saves=tmp_path, key_hold=0.0))
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        await press(app, pilot, "m", "right")
        assert screen.cursor == 1 and not pointed(screen_text(app))
        assert "←→ Step" in screen_text(app) and "Point at a country" not in screen_text(app)
        for _ in range(4):  # round the panels to the board, whatever the screen's width
            if isinstance(app.focused, MapPanel):
                break
            await press(app, pilot, "tab")
        assert isinstance(app.focused, MapPanel)
        text = screen_text(app)
        assert pointed(text) and "standing" in text and "Point at a country" in text
        assert "←→ Step" not in text
        first = pointed(text)
        await press(app, pilot, "right")
        moved = pointed(screen_text(app))
        assert screen.cursor == 1 and moved != first
        await press(app, pilot, "tab")
        await press(app, pilot, "right")
        assert screen.cursor > 1 and not pointed(screen_text(app))  # the next shown step
