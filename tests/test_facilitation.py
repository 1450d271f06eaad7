"""Unit tests of the facilitation layer: turn boundaries, diffs, the resolution table, saves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_tui_fixture import make_quad

from wargame.actions import Accept, Override
from wargame.bots.random_bot import RandomBot
from wargame.facilitation import room, story, text
from wargame.facilitation.clock import PhaseClock
from wargame.facilitation.controller import Game
from wargame.facilitation.launch import describe_position, list_saves, load_tables, read_title
from wargame.pending import AdjudicationDue, OrdersDue
from wargame.seats import ABSENT, BotSeat, HumanSeat


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Game:
    """Two turns of a four-seat game, all random bots, every third roll overridden."""
    tmp = tmp_path_factory.mktemp("digest")
    tables = load_tables(make_quad(tmp), turns=2)
    seats = {r.id: {"kind": "bot", "bot": "random", "level": ""} for r in tables.roles}
    g = Game.new(tables, seed=4, seats=seats, saves=tmp / "saves")
    bots = {r: RandomBot(np.random.default_rng(r)) for r in range(len(tables.roles))}
    n = 0
    while not g.state.over:
        due = g.pending()
        if isinstance(due, OrdersDue):
            r = due.roles[0]
            g.step(bots[r].choose(g.view(r), r))
        elif isinstance(due, AdjudicationDue):
            n += 1
            g.step(Override("success", "test") if n % 3 == 0 else Accept())
        else:
            g.settle()
    return g


def test_turn_end_stops_exactly_at_the_boundary(played: Game) -> None:
    crossings = played.crossings()
    assert sorted(crossings) == [1, 2]
    i = crossings[1]
    step = played.session.steps[i]
    end = story.end_of_turn(step)
    assert end.turn == 1 and len(end.vp[0]) == 1  # scored, but turn 2 has not begun
    head = story.lines_of_turn(step, 1)
    tail = story.lines_of_turn(step, 2)
    assert head + tail == step.log
    assert any("scores" in x for x in head) and not any("scores" in x for x in tail)
    # The start of turn 2 is the end of turn 1.
    assert played.turn_start(2) is end or played.turn_start(2) == end


def test_summary_vp_matches_the_state(played: Game) -> None:
    s = played.summary(1)
    st = played.state
    assert {r: gained for r, gained, _ in s.vp} == {r: st.vp[r][0] for r in range(4)}
    weights = [c.weight for c in s.changes]
    assert weights == sorted(weights, reverse=True)


def test_resolution_table_accounts_for_every_revealed_order(played: Game) -> None:
    items, after = played.resolution(1)
    assert items and all(it.status == "done" for it in items)
    ri = story.reveal_index(played.session.steps, 1)
    revealed = played.session.steps[ri].before.orders
    assert len(items) == sum(len(o) for o in revealed)
    overridden = [it for it in items if it.override]
    for it in overridden:
        assert it.outcome == "success" and it.override == "test"
    assert any(x.startswith(played.tables.roles[0].name + " scores") for x in after)


def test_diff_names_status_track_and_membership_changes(played: Game) -> None:
    a = played.first_state()
    t = a.tables
    tracks = list(a.tracks)
    tracks[0] += 2
    members = list(a.members)
    members[0] = members[0] | {4}
    b = a.evolve(tracks=tuple(tracks), members=tuple(members))
    texts = [c.text for c in story.diff_states(a, b)]
    assert f"{t.scenario.tracks[0].name}: {a.tracks[0]} → {a.tracks[0] + 2} (+2)" in texts
    assert f"{t.country_names[4]} joins {t.scenario.institutions[0].name}" in texts
    assert story.diff_states(a, a) == []


def test_story_tells_the_lead_and_the_white_cell(played: Game) -> None:
    story = played.story()
    assert any("lead" in x for x in story)
    assert any("overrode" in x for x in story)


def test_saves_listing_reads_only_headers(played: Game, tmp_path: Path) -> None:
    assert played.path is not None
    saves = list_saves(played.path.parent)
    assert [s.path for s in saves] == [played.path]
    info = saves[0]
    assert info.scenario.startswith("The Archipelago Contest")
    assert info.records == played.records
    assert "random bot" in info.seats_text
    # By the roles' names, not their ids; in a few words for the narrow table.
    names = [played.tables.scenario.roles[r].short_name for r in range(len(played.tables.roles))]
    assert info.seats_text.startswith(f"{names[0]}: ")
    assert not any(f"{role.id}:" in info.seats_text for role in played.tables.roles)
    assert info.seats_brief == f"{len(played.start_seats)} bots"
    assert describe_position(played.path) == "game over"
    bad = tmp_path / "junk.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    assert list_saves(tmp_path)[0].problem
    assert describe_position(bad).startswith("cannot resume")


def test_read_title_without_yaml(tmp_path: Path) -> None:
    folder = make_quad(tmp_path)
    choice = read_title(folder)
    assert choice.id == "quad-archipelago"
    assert choice.title == "The Archipelago Contest, four seats (test fixture)"
    assert BotSeat("planner", "hard").describe() == "planner bot (hard)"
    assert HumanSeat("Red").describe() == "team Red"
    assert ABSENT.describe() == "absent"


def test_phase_clock_pauses_and_extends() -> None:
    clock = PhaseClock(1)
    assert clock.text() == ("", "")
    clock.sync((1, "orders"))
    assert 59 <= clock.remaining() <= 60
    clock.pause()
    left = clock.remaining()
    clock.extend(120)
    assert clock.remaining() == left + 120
    assert "paused" in clock.text()[0]
    clock.resume()
    assert 178 <= clock.remaining() <= 180
    clock.sync((1, "resolution"))
    assert 59 <= clock.remaining() <= 60
    assert not PhaseClock(0).enabled


def test_the_room_log_and_status_of_a_finished_game(played: Game) -> None:
    lines = room.all_log_lines(played)
    assert lines[0] == "══ Turn 1 · " + str(played.tables.start_year) + " ══"
    assert any(line.startswith("══ Game over: ") for line in lines)
    assert not any("commits an order" in line and "hidden" not in line for line in lines)
    status = room.status(played)
    assert status.phase == ("game over", "alert") and status.next == ""
    assert status.turn == (f"Turn {played.tables.turns}/{played.tables.turns}", "strong")
    assert room.save_status(played) == (f"✓ saved ({played.records})", "ok")
    rows = room.team_rows(played)
    assert [row.role for row in rows] == [
        r for r in range(len(played.tables.roles)) if played.state.present[r]
    ]
    assert all(row.seat == "random bot" and row.activity == "" for row in rows)


def test_status_words_are_shared(played: Game) -> None:
    st = played.state
    t = st.tables
    for c in range(len(t.countries)):
        s = st.status(c)
        words = text.status_text(st, c)
        if s.code == 1:
            assert words == f"aligned with {t.power_names[s.power]}"
            assert text.status_text(st, c, short=True) == "aligned " + t.powers[s.power][:3].upper()
        else:
            assert words in ("non-aligned", "ambiguous")


def test_replay_tells_the_same_story(played: Game) -> None:
    import subprocess
    import sys

    assert played.path is not None
    out = subprocess.run(
        [sys.executable, "-m", "wargame", "replay", str(played.path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "The story of the game:" in out.stdout
    for line in played.story():
        assert f"  • {line}" in out.stdout
    assert "aligned with " in out.stdout or "non-aligned" in out.stdout


def test_a_team_without_a_name_reads_as_a_human_team(tmp_path: Path) -> None:
    """A team that typed no name at setup: the Teams panel (room, browser room, public board)
    reads "1 China human team", never "1 China people" (the Chinese people?)."""
    tables = load_tables(make_quad(tmp_path))
    seats = {r.id: {"kind": "bot", "bot": "random", "level": ""} for r in tables.roles}
    seats["merchants"] = {"kind": "human"}
    g = Game.new(tables, seed=4, seats=seats, saves=None)
    merchants = tables.role_index["merchants"]
    row = next(row for row in room.team_rows(g) if row.role == merchants)
    assert (row.seat, row.short) == ("human team", "human team")


def test_a_value_moved_twice_by_one_order_is_one_line() -> None:
    """The resolution screen said "Indo-Pac cohesion: 4 → 5; Indo-Pac cohesion: 5 → 6" for
    one card (its effect when played, then on success)."""
    from wargame.facilitation.story import merge_steps

    assert merge_steps(["Indo-Pac cohesion: 4 → 5", "Indo-Pac cohesion: 5 → 6"]) == [
        "Indo-Pac cohesion: 4 → 6"
    ]
    assert merge_steps(["Tension: 6 → 7", "Tension: 7 → 8", "Tension: 8 → 7"]) == ["Tension: 6 → 7"]
    assert merge_steps(["Tension: 6 → 7", "Tension: 7 → 6", "Japan joins the Quad"]) == [
        "Japan joins the Quad"
    ]
    rolled = ["Cohesion: 4 → 5", "overridden by the facilitator: why", "roll at 62%: success"]
    assert merge_steps([*rolled, "Cohesion: 5 → 6"]) == ["Cohesion: 4 → 6", *rolled[1:]]
    kept = ["Tension: 6 → 7", "Credibility: 7 → 8", "Tension: 5 → 4", "Japan joins the Quad"]
    assert merge_steps(kept) == kept
