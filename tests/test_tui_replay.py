"""The replay screen, driven with Textual's Pilot over a saved game of the four-seat test
scenario (tests/replay_fixture.py): stepping, checkpoints, a jump to a turn, a team's view, the
filters, bookmarks kept beside the save, a "what if" branch that opens in the play screen, the
compare view, a save that fails verification, and the board shown equal to the engine's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from replay_fixture import OVERRIDE_REASON, SAVE_NAME, TEAM_NOTE, WHITE_NOTE, make_replay_save
from test_tui_fixture import press, screen_text, settle

from wargame.actions import action_from_dict
from wargame.engine import Session
from wargame.facilitation.bookmarks import sidecar_path
from wargame.facilitation.debrief import Debrief
from wargame.facilitation.launch import Options
from wargame.tui.app import WargameApp
from wargame.tui.screens.compare import CompareScreen
from wargame.tui.screens.dialogs import ConfirmDialog, MessageDialog, PromptDialog
from wargame.tui.screens.replay import ReplayScreen
from wargame.tui.screens.resolution import EndScreen, ResolutionScreen
from wargame.tui.screens.room import RoomScreen
from wargame.tui.screens.setup import SetupScreen


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_replay_save(tmp_path_factory.mktemp("replay") / "saves")


@pytest.fixture
def save(tmp_path: Path, master: Path) -> Path:
    """A copy of the fixture game in this test's own saves folder."""
    folder = tmp_path / "saves"
    folder.mkdir()
    return Path(shutil.copy2(master, folder / SAVE_NAME))


def replay_app(save: Path, **kw: object) -> WargameApp:
    base: dict[str, object] = dict(replay=save, saves=save.parent, key_hold=0.0, timer=0)
    base.update(kw)
    return WargameApp(Options(**base))  # type: ignore[arg-type]


def replay(app: WargameApp) -> ReplayScreen:
    screen = app.screen
    assert isinstance(screen, ReplayScreen), type(screen).__name__
    return screen


def said(app: WargameApp) -> str:
    """What the screen says, its words in one line (the frames of dialogs left out), so that
    a sentence wrapped at 80 columns still reads whole."""
    text = screen_text(app).translate({ord(c): " " for c in "█▀▄▔▁▊▎▕▏"})
    return " ".join(text.split())


async def test_opens_at_the_start_and_steps_through_the_records(save: Path) -> None:
    d = Debrief.open(save)
    shown = [e.record for e in d.entries if not e.noise]
    app = replay_app(save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        s = replay(app)
        assert s.cursor == 0
        text = screen_text(app)
        assert "record 0 of 58" in text and "Start of the game (1650)" in text
        assert "▸Timeline" in text and "Tab: next panel" in text
        await press(app, pilot, "right")
        assert s.cursor == shown[0]
        await press(app, pilot, "right", "right")
        assert s.cursor == shown[2]
        entry = d.entries[shown[2] - 1]
        text = screen_text(app)
        assert f"record {shown[2]} of 58" in text
        assert f"▶{shown[2]:>4}" in text  # the cursor's row is marked, not only coloured
        assert entry.text[:40] in text.replace("\n", " ")
        await press(app, pilot, "left")
        assert s.cursor == shown[1]
        await press(app, pilot, "end")
        assert s.cursor == d.records
        await press(app, pilot, "right")  # nothing past the end
        assert s.cursor == d.records
        await press(app, pilot, "home")
        assert s.cursor == 0
        # Shuffles are folded away: a step never lands on one.
        noise = {e.record for e in d.entries if e.noise}
        assert noise
        for _ in range(12):
            await press(app, pilot, "right")
            assert s.cursor not in noise
        # Up and down in the timeline step as well.
        at = s.cursor
        await press(app, pilot, "down")
        assert s.cursor > at
        await press(app, pilot, "up")
        assert s.cursor == at


async def test_checkpoints_and_jump_to_a_turn(save: Path) -> None:
    d = Debrief.open(save)
    app = replay_app(save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        s = replay(app)
        await press(app, pilot, "pagedown")
        assert s.cursor == d.checkpoints[1]
        await press(app, pilot, "pagedown", "pagedown")
        assert s.cursor == d.checkpoints[3]
        await press(app, pilot, "pageup")
        assert s.cursor == d.checkpoints[2]
        # Digits typed on the replay screen are not a jump.
        await press(app, pilot, "3")
        assert s.cursor == d.checkpoints[2]
        await press(app, pilot, "ctrl+g")
        assert isinstance(app.screen, PromptDialog)
        await press(app, pilot, "9", "enter")
        assert isinstance(app.screen, PromptDialog)  # refused, with the turns it has
        assert "This save has turns 1 to 3" in screen_text(app)
        await press(app, pilot, "backspace", "3", "enter")
        assert isinstance(app.screen, ReplayScreen)
        assert s.cursor == d.first_record_of_turn(3)
        assert "Turn 3 (1660)" in screen_text(app)
        await press(app, pilot, "ctrl+g", "x", "enter")  # a letter is not even typed
        assert isinstance(app.screen, PromptDialog)
        assert "Please write something" in screen_text(app)
        await press(app, pilot, "escape")
        assert s.cursor == d.first_record_of_turn(3)


async def test_a_team_never_sees_another_teams_unrevealed_orders(save: Path) -> None:
    d = Debrief.open(save)
    t = d.tables
    me = t.role_index["guilds"]
    reveal = min(e.revealed_at for e in d.entries if e.revealed_at)
    hidden_titles = {
        e.card for e in d.entries if e.kind == "order" and e.role != me and e.record < reveal
    }
    assert hidden_titles
    app = replay_app(save)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        s = replay(app)
        await press(app, pilot, "f4")
        options = [label for label, _ in app.screen.options]  # type: ignore[attr-defined]
        pick = next(i for i, label in enumerate(options) if label.startswith("Southern Guilds"))
        await press(app, pilot, *["down"] * pick, "enter")
        assert s.viewpoint == "guilds"
        # Every record before the reveal, as the screen shows it to the guilds.
        while s.cursor < reveal - 1:
            await press(app, pilot, "right")
            text = screen_text(app)
            for title in hidden_titles:
                assert title not in text, (s.cursor, title)
            assert "Southern Guilds (what it saw then)" in text
        text = screen_text(app)
        assert "(hidden until the reveal)" in text
        assert "later records are not shown in a team's view" in text
        # Its own hand, and only its own.
        hand = {t.cards[c].title for c in d.state_at(s.cursor).hand[me]}
        assert hand and all(title in text for title in hand)
        # After the reveal the same orders are shown whole.
        await press(app, pilot, "right", "right")
        assert s.cursor >= reveal
        assert any(title in screen_text(app) for title in hidden_titles)
        # The White Cell sees them all at once.
        await press(app, pilot, "home", "f4", "enter")
        assert s.viewpoint == "facilitator"
        assert all(title in screen_text(app) for title in hidden_titles)


async def test_filters(save: Path) -> None:
    d = Debrief.open(save)
    notes = [e.record for e in d.only("notes")]
    app = replay_app(save)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        s = replay(app)
        await press(app, pilot, "ctrl+f")
        labels = [label for label, _ in app.screen.options]  # type: ignore[attr-defined]
        await press(app, pilot, *["down"] * labels.index("Notes only"), "enter")
        text = screen_text(app)
        assert WHITE_NOTE[:30] in text and TEAM_NOTE in text
        assert "orders" not in " ".join(
            line for line in text.splitlines() if "•" in line
        )  # no order rows
        await press(app, pilot, "right")
        assert s.cursor == notes[0]
        await press(app, pilot, "right")
        assert s.cursor == notes[1]
        # Overrides only.
        await press(app, pilot, "ctrl+f")
        await press(app, pilot, *["down"] * labels.index("Overrides only"), "enter")
        await press(app, pilot, "home", "right")
        assert d.entries[s.cursor - 1].kind == "override"
        assert OVERRIDE_REASON in screen_text(app)
        # One team's orders and rationales.
        await press(app, pilot, "ctrl+f")
        labels = [label for label, _ in app.screen.options]  # type: ignore[attr-defined]
        pick = labels.index("Island Councils: its orders and rationales")
        await press(app, pilot, *["down"] * pick, "enter")
        islanders = d.tables.role_index["islanders"]
        kept = {e.record for e in d.only("islanders")}
        assert kept and set(s.stops[1:]) == kept
        assert all(d.entries[r - 1].role == islanders for r in kept)
        assert "Filter: Island Councils's orders" in screen_text(app)


async def test_bookmarks_are_saved_beside_the_save_and_reloaded(save: Path) -> None:
    app = replay_app(save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        s = replay(app)
        await press(app, pilot, "pagedown", "pagedown")
        at = s.cursor
        await press(app, pilot, "ctrl+b", "enter")
        assert isinstance(app.screen, PromptDialog)  # a label is required
        await press(app, pilot, "text:the first reveal", "enter")
        await press(app, pilot, "text:ask who expected the storm", "enter")
        assert isinstance(app.screen, ReplayScreen)
        assert "★ the first reveal — ask who expected the storm" in screen_text(app)
    data = json.loads(sidecar_path(save).read_text(encoding="utf-8"))
    assert [(b["record"], b["label"], b["note"]) for b in data["bookmarks"]] == [
        (at, "the first reveal", "ask who expected the storm")
    ]
    assert save.read_bytes() == (save.parent / SAVE_NAME).read_bytes()
    # Reopened, the bookmark is in the timeline and in the list of marks, and jumps.
    app = replay_app(save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        s = replay(app)
        assert "★ the first reveal" in screen_text(app)
        await press(app, pilot, "ctrl+t")
        text = screen_text(app)
        assert "▸Turning points" in text and f"Record {at:>4}  ★ the first reveal" in text
        marks = s.query_one("#rp-marks")
        row = next(
            i
            for i in range(marks.option_count)  # type: ignore[attr-defined]
            if marks.get_option_at_index(i).id == "b0"  # type: ignore[attr-defined]
        )
        marks.highlighted = row  # type: ignore[attr-defined]
        await press(app, pilot, "enter")
        assert s.cursor == at and s.panel == "timeline"
        # Deleted after confirmation (Delete in the list, then Ctrl+Y).
        await press(app, pilot, "ctrl+t")
        marks.highlighted = row  # type: ignore[attr-defined]
        await press(app, pilot, "delete")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "ctrl+y")
    data = json.loads(sidecar_path(save).read_text(encoding="utf-8"))
    assert data["bookmarks"] == []


async def test_turning_points_are_listed_and_jumpable(save: Path) -> None:
    d = Debrief.open(save)
    points = d.turning_points(limit=10)
    app = replay_app(save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        s = replay(app)
        await press(app, pilot, "ctrl+t")
        text = said(app)
        assert "Turning points — Enter jumps there" in text
        assert points[0].text[:30] in text
        await press(app, pilot, "down", "enter")  # the second point
        assert s.cursor == points[1].record
        assert s.panel == "timeline"


async def test_the_board_shown_is_the_engines(save: Path) -> None:
    d = Debrief.open(save)
    lines = save.read_text(encoding="utf-8").splitlines()
    session = Session(
        d.tables,
        seed=d.header.seed,
        present=tuple(d.header.present),
        facilitated=True,
        auto_chance=False,
        narrate=False,
    )
    states = [session.state]
    for raw in lines[1:]:
        session.step(action_from_dict(json.loads(raw)["action"]))
        states.append(session.state)
    app = replay_app(save)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        s = replay(app)
        for _ in range(30):
            await press(app, pilot, "right")
            st = states[s.cursor]
            assert s.view_state() == st
            text = screen_text(app)
            for r in d.tables.roles:
                assert f"{sum(st.vp[r.index])} VP" in text
            changed = d.changes_at(s.cursor).countries
            for c in changed:  # what this step changed is marked ▶, not only coloured
                assert f"▶{d.tables.country_names[c]}" in text


async def test_branch_opens_the_play_screen_on_a_journal_naming_its_parent(save: Path) -> None:
    d = Debrief.open(save)
    app = replay_app(save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        s = replay(app)
        await press(app, pilot, "pagedown", "pagedown", "pagedown")
        at = s.cursor
        await press(app, pilot, "ctrl+w")
        text = screen_text(app)
        assert f"What if… a new game after record {at}" in text
        assert "Start the “what if” (Ctrl+S)" in text
        await press(app, pilot, "s", "enter")  # typed letters start nothing
        assert not any(p.name != SAVE_NAME for p in save.parent.glob("*.jsonl"))
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, RoomScreen | ResolutionScreen)
        game = app.game
        assert game is not None and game.path is not None
        assert game.path.parent == save.parent and game.path != save
        # The what-if so far, from the play screens (F5 in the room, Ctrl+R at the end),
        # compared with its parent.
        for _ in range(80):
            if isinstance(app.screen, RoomScreen | EndScreen):
                break
            await press(app, pilot, "enter")
        back_to = type(app.screen)
        await press(app, pilot, "f5" if back_to is RoomScreen else "ctrl+r")
        branch = replay(app)
        assert branch.d.path == game.path
        assert f"A “what if” of {SAVE_NAME}, from its record {at}" in said(app)
        await press(app, pilot, "ctrl+o")
        assert "the save this one branched from" in said(app)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, CompareScreen)
        parted = app.screen.c.record_b
        assert parted is not None and parted > at
        assert f"record {parted} of {SAVE_NAME}" in said(app)
        await press(app, pilot, "escape", "escape")
        assert isinstance(app.screen, back_to)
    header = json.loads(game.path.read_text(encoding="utf-8").splitlines()[0])
    assert header["parent"]["file"] == SAVE_NAME and header["parent"]["record"] == at
    assert len(header["prefix"]) == at
    branched = Debrief.open(game.path)
    assert branched.state_at(0) == d.state_at(at)


async def test_compare_names_the_record_where_a_branch_diverges(save: Path) -> None:
    from wargame.actions import Note

    d = Debrief.open(save)
    at = d.checkpoints[3]
    game = d.branch(at, save.parent)
    game.step(Note("a what-if begins"))
    assert game.writer is not None
    game.writer.close()
    app = replay_app(save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        s = replay(app)
        await press(app, pilot, "ctrl+o")
        text = screen_text(app)
        assert "Compare with which save?" in text and "a “what if” of" in text
        await press(app, pilot, "enter")
        assert isinstance(app.screen, CompareScreen)
        comparison = app.screen.c
        text = said(app)
        assert comparison.record_a is not None
        assert f"The saves part at record {comparison.record_a} of {SAVE_NAME}" in text
        assert "Victory points" in text
        await press(app, pilot, "enter")  # the replay goes to where they part
        assert isinstance(app.screen, ReplayScreen)
        assert s.cursor == comparison.record_a


async def test_nothing_to_compare_says_how_to_make_something(save: Path) -> None:
    app = replay_app(save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+o")
        assert isinstance(app.screen, MessageDialog)
        assert "Ctrl+W starts a “what if”" in said(app)


async def test_a_broken_save_is_refused_then_opened_read_only(save: Path) -> None:
    lines = save.read_text(encoding="utf-8").splitlines(keepends=True)
    rec = json.loads(lines[30])
    rec["action"]["text"] = "an edited remark" if "text" in rec["action"] else "x"
    lines[30] = json.dumps(rec) + "\n"
    save.write_text("".join(lines), encoding="utf-8")
    app = replay_app(save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        text = said(app)
        assert "line 31" in text and "edited" in text
        await press(app, pilot, "enter")  # the safe answer: close
        assert app.return_value == 1
        assert "line 31" in app.exit_message
    app = replay_app(save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+y")
        s = replay(app)
        assert s.d.read_only and s.d.records == 29
        text = said(app)
        assert "Read-only: this save failed verification (line 31" in text
        await press(app, pilot, "ctrl+w")
        assert isinstance(app.screen, MessageDialog)
        assert "no “what if”" in said(app)
        await press(app, pilot, "escape", "ctrl+b")
        assert isinstance(app.screen, MessageDialog)
    assert not sidecar_path(save).exists()


async def test_a_save_that_is_not_one_is_refused_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "notes.jsonl"
    bad.write_text("hello\n", encoding="utf-8")
    app = replay_app(bad)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, MessageDialog)
        assert "line 1" in screen_text(app)
        await press(app, pilot, "enter")
    assert app.return_value == 1


async def test_play_pause_and_pace(save: Path) -> None:
    app = replay_app(save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        s = replay(app)
        await press(app, pilot, "plus", "plus", "plus")  # 16 steps a second
        await press(app, pilot, "space")
        assert "▶ playing" in screen_text(app)
        await pilot.pause(0.5)
        await press(app, pilot, "space")
        assert "❚❚ paused" in screen_text(app)
        moved = s.cursor
        assert moved > 1
        await pilot.pause(0.3)
        assert s.cursor == moved


async def test_panels_at_80x24_and_help(save: Path) -> None:
    app = replay_app(save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        s = replay(app)
        await press(app, pilot, "pagedown", "pagedown", "pagedown", "tab")
        assert s.panel == "board"
        text = screen_text(app)
        assert "▸Board" in text and "Amber Isle" in text and "Storm season" in text
        await press(app, pilot, "tab")
        assert s.panel == "charts"
        await settle(app, pilot)
        assert "Victory points" in screen_text(app)
        await press(app, pilot, "tab", "tab")
        assert s.panel == "timeline"
        await press(app, pilot, "question_mark")
        text = screen_text(app)
        assert "Replay (a debrief)" in text
        await press(app, pilot, "escape", "enter")
        assert isinstance(app.screen, MessageDialog)  # the record at the cursor, whole
        assert f"Record {s.cursor}" in screen_text(app)


async def test_end_screen_and_setup_open_the_replay(tmp_path: Path, save: Path) -> None:
    from test_tui_fixture import make_quad

    # The setup's tab of saves: Ctrl+R replays the highlighted save.
    app = WargameApp(
        Options(scenario=make_quad(tmp_path), saves=save.parent, key_hold=0.0, timer=0)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SetupScreen)
        await press(app, pilot, "ctrl+r")  # shows the tab of saves first
        await press(app, pilot, "ctrl+r")
        assert replay(app).d.path == save
        await press(app, pilot, "escape")
        assert isinstance(app.screen, SetupScreen)
    # The end of a game: Ctrl+R replays it.
    app = WargameApp(
        Options(
            scenario=make_quad(tmp_path / "end"),
            saves=tmp_path / "end-saves",
            key_hold=0.0,
            timer=0,
            turns=1,
            bots="all=random",
        )
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        for _ in range(40):
            if isinstance(app.screen, EndScreen):
                break
            await press(app, pilot, "enter")
        assert isinstance(app.screen, EndScreen)
        assert "Ctrl+R replays it here" in said(app)
        await press(app, pilot, "ctrl+r")
        s = replay(app)
        assert app.game is not None and s.d.path == app.game.path
        await press(app, pilot, "escape")
        assert isinstance(app.screen, EndScreen)


async def test_a_what_if_starts_where_it_was_cut(save: Path) -> None:
    """The replay of a "what if" begins at the turn and year it was cut from, not at the
    scenario's first year ("Start of the game (2019)" above turn 2's records)."""
    from wargame.actions import Note

    d = Debrief.open(save)
    at = next(c for c in d.checkpoints if d.state_at(c).turn >= 2)
    start = d.state_at(at)
    game = d.branch(at, save.parent)
    game.step(Note("a what-if begins"))
    assert game.writer is not None
    game.writer.close()
    app = replay_app(game.writer.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        text = said(app)
        assert f"Start of this “what if” (turn {start.turn}, {start.year})" in text, text
        assert "Start of the game" not in text
        assert f"The start of this “what if”: turn {start.turn} ({start.year})" in text
