"""Random playouts over every scenario: invariants after every action, journal round trips,
replay equals the live game, and determinism (also across processes)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from helpers import ROOT, random_playout, scenario_dirs, tables_for

from wargame import journal, rules
from wargame.actions import Chance, Pass
from wargame.autoplay import bot_turns, make_bots
from wargame.pending import ChanceDue
from wargame.seats import parse_seats
from wargame.state import State
from wargame.tables import STATUS_CODES, Tables

SCENARIOS = scenario_dirs()
IDS = [p.name for p in SCENARIOS]


def check_invariants(st: State) -> None:
    t = st.tables
    for row in st.ties:
        assert all(t.tie_min <= v <= t.tie_max for v in row), "ties within bounds"
    for v, (lo, hi) in zip(st.tracks, t.track_bounds, strict=True):
        assert lo <= v <= hi, "tracks within bounds"
    assert all(v >= 0 for v in st.influence), "influence never negative"
    for a, p in zip(st.alliance, st.ally, strict=True):
        assert t.alliance_min <= a <= t.alliance_max
        assert (p >= 0) == (a > 0), "an alliance has a power iff it has strength"
    for row in st.lean:
        assert all(t.lean_min <= v <= t.lean_max for v in row)
    # Every card is in exactly one place.
    places: Counter[int] = Counter()
    for r in range(len(t.roles)):
        places.update(st.draw[r])
        places.update(st.hand[r])
        places.update(st.discard[r])
        places.update(st.removed[r])
        places.update(card for card, _, _ in st.orders[r])
    places.update(st.ev_draw)
    places.update(st.ev_discard)
    places.update(st.ev_removed)
    places.update(st.injects)
    places.update(item.card for item in st.queue)
    # A scheduled event waits for its turn in no pile: it is in the schedule until it comes in.
    gone = set(st.ev_removed) | {item.card for item in st.queue}
    places.update(ci for turn in t.scheduled for ci in turn if ci not in gone)
    assert places == Counter(range(len(t.cards))), "each card in exactly one place"
    # Statuses consistent with ties: recompute from scratch on a cache-free copy.
    fresh = st.evolve(ties=st.ties)
    for ci in range(len(st.ties)):
        s = fresh.status(ci)
        assert s.code in STATUS_CODES.values()
        assert s == st.status(ci)
        strong = [p for p, v in enumerate(s.standing) if v >= t.strong]
        ranked = sorted(s.standing, reverse=True)
        lone_short = len(strong) == 1 and ranked[0] - ranked[1] < t.lone_margin
        assert (s.code == 0) == (not strong or lone_short)


@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_random_playouts_keep_invariants(path: Path) -> None:
    t = tables_for(path)
    for seed in range(12):
        final, _ = random_playout(t, seed, on_state=lambda st, a: check_invariants(st))
        assert final.over
        if final.winner < 0:  # no sudden death: every turn was scored
            assert all(len(v) == t.turns for v in final.vp)


@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_absent_optional_roles(path: Path) -> None:
    t = tables_for(path)
    present = tuple(not r.optional for r in t.roles)
    final, _ = random_playout(t, 3, present=present, on_state=lambda st, a: check_invariants(st))
    assert final.over
    for r in t.roles:
        if r.optional:
            assert sum(final.vp[r.index]) == 0 and r.index not in rules.ranking(final)


def _journaled_game(path: Path, saves: Path, seed: int) -> journal.JournalWriter:
    t = tables_for(path)
    seats = parse_seats("all=random", t)
    session, writer = journal.start(t, seed=seed, seats=seats, facilitated=False, saves=saves)
    bots = make_bots(session, seats)
    live = [session.state] + [s.after for s in session.steps]
    session.listeners.append(lambda step: live.append(step.after))
    while not session.over:
        bot_turns(session, bots)
    assert writer is not None
    writer.close()
    writer.live = live  # type: ignore[attr-defined]
    return writer


@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_journal_round_trip_and_replay_equals_live(path: Path, tmp_path: Path) -> None:
    writer = _journaled_game(path, tmp_path, seed=11)
    loaded = journal.load(writer.path)
    replayed = [s.after for s in loaded.session.steps]
    live = writer.live[1:]  # type: ignore[attr-defined]
    live = live[len(live) - loaded.records :]
    assert len(replayed) == len(live) == loaded.records
    for a, b in zip(replayed, live, strict=True):
        assert a == b, "replay equals the live game, state for state"
    assert loaded.session.state.over


@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_same_seed_same_journal(path: Path, tmp_path: Path) -> None:
    a = _journaled_game(path, tmp_path / "a", seed=5).path
    b = _journaled_game(path, tmp_path / "b", seed=5).path
    assert _strip_times(a) == _strip_times(b)
    c = _journaled_game(path, tmp_path / "c", seed=6).path
    assert _strip_times(a) != _strip_times(c)


def _strip_times(path: Path) -> list[dict[str, object]]:
    out = []
    for i, line in enumerate(path.read_text().splitlines()):
        rec = json.loads(line)
        if i == 0:
            rec.pop("started")
        rec.pop("time", None)
        rec.pop("hash", None)
        rec.pop("prev", None)
        out.append(rec)
    return out


@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_determinism_across_processes(path: Path) -> None:
    """Two separate interpreters (different hash seeds) produce the same state hashes."""
    script = (
        "import sys; sys.path.insert(0, 'tests');"
        "from helpers import random_playout, tables_for;"
        "from pathlib import Path;"
        f"t = tables_for(Path({str(path)!r}));"
        "hashes = [];"
        "random_playout(t, 42, check=False, on_state=lambda st, a: hashes.append(st.digest()));"
        "print(hashes[-1], len(hashes))"
    )
    outs = []
    for hashseed in ("1", "2"):
        env = {"PYTHONHASHSEED": hashseed, "PATH": "/usr/bin:/bin"}
        res = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert res.returncode == 0, res.stderr
        outs.append(res.stdout)
    assert outs[0] == outs[1]


def fixed_positions(t: Tables) -> list[State]:
    """Positions that depend on the rules alone: shuffles keep the pile's order, rolls succeed,
    every role plays the first legal order of its hand once per turn, then passes."""
    st = rules.new_game(t)
    out = []
    while not st.over:
        pending = rules.waiting_for(st)
        if isinstance(pending, ChanceDue):
            if st.pending[0] == "shuffle":
                pile = rules.shuffle_pile(st)
                st = rules.apply(st, Chance(tuple(t.cards[x].id for x in pile)))
            else:
                st = rules.apply(st, Chance("success"))
            continue
        if not st.committed and not any(st.orders):
            out.append(st)
        r = pending.roles[0]
        first = next(iter(rules.legal_actions(st, r)))
        st = rules.apply(st, first if not st.orders[r] else Pass(t.roles[r].id))
    return out


@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_golden_legal_order_counts(path: Path) -> None:
    """Golden counts: legal orders per role from fixed positions (guards against accidental rule
    changes). Iterating the legal orders yields exactly the counted actions, all legal."""
    t = tables_for(path)
    got = []
    for st in fixed_positions(t):
        got.append(tuple(len(rules.legal_actions(st, r)) for r in range(len(t.roles))))
        for r in range(len(t.roles)):
            acts = list(rules.legal_actions(st, r))
            assert len(acts) == len(rules.legal_actions(st, r))
            assert all(rules.check(st, a) is None for a in acts)
    assert got == GOLDEN[path.name], got


# Hand-checked for the mini fixture's turn 1: merchants hold trade_mission (4 islands outside the
# grey zone), escort_convoy (no target), renew_charter (1: Amber, the north's only ally) + Pass = 7;
# corsairs hold raid (1), smuggler_ties (5 islands), join_pact (3 non-members) + Pass = 10.
GOLDEN = {
    "mini": [(7, 10), (6, 11), (8, 7), (6, 9)],
    "circle-of-friends": [
        (33, 34, 18, 62, 17),
        (33, 115, 45, 54, 18),
        (50, 111, 41, 47, 18),
        (35, 111, 47, 30, 17),
        (139, 121, 51, 17, 17),
        (273, 122, 47, 26, 12),
        (272, 113, 20, 45, 7),
        (323, 42, 20, 62, 6),
    ],
}


@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_fast_filters_agree_with_reference(path: Path) -> None:
    """The set-based `countries_where` (cached per world) equals the per-country reference
    `country_matches` for every filter in the scenario, on positions from random games."""
    from wargame.evaluate import countries_where, country_matches
    from wargame.tables import CFilter

    t = tables_for(path)
    filters: list[CFilter] = []

    def walk(node: object) -> None:
        if isinstance(node, CFilter):
            filters.append(node)
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            for f in dataclasses.fields(node):
                walk(getattr(node, f.name, None))
        elif isinstance(node, tuple):
            for x in node:
                walk(x)

    for card in t.cards:
        walk(card)
    for role in t.roles:
        walk(role)
    walk(t.drift)
    assert filters or path.name == "mini"

    def compare(st: State, action: object) -> None:
        for f in filters:
            ref = tuple(c for c in range(len(st.ties)) if country_matches(st, f, c))
            assert countries_where(st, f) == ref

    random_playout(t, 9, on_state=compare)


def test_circle_of_friends_200_random_games() -> None:
    """The bundled scenario plays to the end with random bots in every seat for 200 seeds, every
    action checked legal; with Russia seated and absent."""
    from helpers import COF

    t = tables_for(COF)
    no_russia = tuple(not r.optional for r in t.roles)
    for seed in range(200):
        final, _ = random_playout(t, seed, present=None if seed % 2 else no_russia)
        assert final.over
        assert rules.ranking(final)


def test_journals_identical_across_processes(tmp_path: Path) -> None:
    """The same seed in two separate processes (different hash seeds) writes the same journal,
    apart from wall-clock times."""
    paths = []
    for hashseed in ("3", "4"):
        out = tmp_path / hashseed
        env = {"PYTHONHASHSEED": hashseed, "PATH": "/usr/bin:/bin"}
        res = subprocess.run(
            [
                sys.executable,
                "-m",
                "wargame",
                "play",
                "--headless",
                "--seed",
                "5",
                "--bots",
                "all=random",
                "--saves",
                str(out),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert res.returncode == 0, res.stderr
        paths.append(next(out.glob("*.jsonl")))
    assert _strip_times(paths[0]) == _strip_times(paths[1])


def test_evolve_copies_every_field() -> None:
    """`State.evolve` is written out field by field for speed: a field it forgot to copy would
    silently reset in every later state."""
    from wargame.state import FIELDS

    t = tables_for(scenario_dirs()[0])
    st, _ = random_playout(t, 0, check=False)
    for changes in ({}, {"turn": 99}, {"ties": st.ties}):
        new = st.evolve(**changes)
        assert new is not st
        for name in FIELDS:
            want = changes.get(name, getattr(st, name))
            assert getattr(new, name) is want, name
        assert new.tables is st.tables


def test_headless_prints_each_turns_tracks(capsys: pytest.CaptureFixture[str]) -> None:
    """`play --headless` prints, for each turn, the tracks as that turn was scored — not the
    final ones on every line (with bots in every seat one `bot_turns` call plays the whole game,
    so the command steps one action at a time). The oracle replays the same seeded game."""
    from wargame.autoplay import bot_turns, make_bots
    from wargame.cli import main
    from wargame.seats import parse_seats

    assert main(["play", "--headless", "--seed", "4", "--bots", "all=greedy", "--no-save"]) == 0
    lines = [x for x in capsys.readouterr().out.splitlines() if x.startswith("Turn ")]
    t = tables_for(ROOT / "decks" / "circle-of-friends")
    printed = []
    for line in lines:
        tracks = dict(x.rsplit(" ", 1) for x in line.split(" | ")[1].split(", "))
        printed.append(tuple(int(tracks[tr.id].split("→")[-1]) for tr in t.scenario.tracks))

    seats = parse_seats("all=greedy", t)
    session, _ = journal.start(t, seed=4, seats=seats, facilitated=False, saves=None)
    bots = make_bots(session, seats)
    expected: list[tuple[int, ...]] = []
    while not session.over:
        bot_turns(session, bots, limit=1)
        while len(expected) < min(len(v) for v in session.state.vp):
            expected.append(tuple(session.state.tracks))
    assert printed == expected and len(printed) == t.turns
    assert len(set(printed)) > 1  # the tracks do move over a game
