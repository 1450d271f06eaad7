"""Engine speed figures (issue: the engine). Run: `.venv/bin/python benchmarks/bench_engine.py`.

Prints: random-bot full games per second (one core, journal off), random-bot decisions per second,
load+verify+replay of a full-length journal, durable append latency, and state copy time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import wargame
from wargame import journal, rules
from wargame.actions import Note
from wargame.bots.random_bot import RandomBot
from wargame.chance import draw_outcome
from wargame.observe import view_for
from wargame.paths import default_scenario
from wargame.pending import ChanceDue, GameOver
from wargame.schema.loader import load_scenario
from wargame.seats import parse_seats
from wargame.tables import compile_scenario
from wargame.tuning import tune_gc


def play_game(tables, seed: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """One random-bot game on the unchecked fast path; returns (actions, decisions)."""
    rng = np.random.default_rng(seed)
    bot = RandomBot(rng)
    st = rules.new_game(tables)
    roles = tables.roles
    n = d = 0
    while True:
        pending = rules.waiting_for(st)
        if isinstance(pending, GameOver):
            return n, d
        if isinstance(pending, ChanceDue):
            action = draw_outcome(st, rng)
        else:
            r = pending.roles[0]
            action = bot.choose(view_for(st, roles[r].id), r)
            d += 1
        st = rules.apply(st, action)
        n += 1


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", type=Path, default=default_scenario())
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument(
        "--default-gc",
        action="store_true",
        help="keep CPython's default collector settings instead of wargame's",
    )
    args = ap.parse_args()
    tables = compile_scenario(load_scenario(args.scenario))
    if not args.default_gc:
        tune_gc()  # as every wargame process runs (the CLI, simulation workers): tuning.py
    print(
        f"scenario: {tables.scenario.id} ({len(tables.countries)} countries, "
        f"{len(tables.roles)} roles, {len(tables.cards)} cards, {tables.turns} turns); "
        f"engine: {wargame.NATIVE} (`make build` compiles it); collector: "
        f"{'CPython default' if args.default_gc else 'wargame.tuning (as in the wargame CLI)'}"
    )

    # Full games per second, over the whole run and per half-second batch: on a shared virtual
    # machine the host's other load only ever adds time, so the spread says how noisy the
    # figure is and the fastest batch what the engine itself can do.
    t0 = time.perf_counter()
    games = actions = decisions = 0
    rates = []
    while time.perf_counter() - t0 < args.seconds:
        b0, n = time.perf_counter(), 0
        while time.perf_counter() - b0 < 0.5:
            a, d = play_game(tables, games)
            games += 1
            n += 1
            actions += a
            decisions += d
        rates.append(n / (time.perf_counter() - b0))
    dt = time.perf_counter() - t0
    rates.sort()
    print(
        f"random-bot full games/s (1 core, journal off): {games / dt:,.0f}  "
        f"({actions / games:.0f} actions, {decisions / games:.0f} decisions per game; "
        f"half-second batches {rates[0]:,.0f} to {rates[-1]:,.0f}, median "
        f"{statistics.median(rates):,.0f})"
    )

    # Decisions per second: the bot's choice from its view, on positions from real games.
    rng = np.random.default_rng(1)
    bot = RandomBot(rng)
    positions = []
    st = rules.new_game(tables)
    while len(positions) < 2000:
        pending = rules.waiting_for(st)
        if isinstance(pending, GameOver):
            st = rules.new_game(tables)
            continue
        if isinstance(pending, ChanceDue):
            st = rules.apply(st, draw_outcome(st, rng))
            continue
        positions.append((st, pending.roles[0]))
        st = rules.apply(st, bot.choose(st, pending.roles[0]))
    t0 = time.perf_counter()
    k = 0
    while time.perf_counter() - t0 < args.seconds:
        for pos, r in positions:
            bot.choose(view_for(pos, tables.roles[r].id), r)
        k += len(positions)
    dt = time.perf_counter() - t0
    print(f"random-bot decisions/s (view + legal + choice): {k / dt:,.0f}")

    with tempfile.TemporaryDirectory() as tmp:
        saves = Path(tmp)
        seats = parse_seats("all=random", tables)
        session, writer = journal.start(tables, seed=7, seats=seats, facilitated=False, saves=saves)
        from wargame.autoplay import bot_turns, make_bots

        bots = make_bots(session, seats)
        while not session.over:
            bot_turns(session, bots)
        assert writer is not None
        writer.close()
        path = writer.path
        records = sum(1 for _ in open(path)) - 1
        journal._TABLES_CACHE.clear()
        t0 = time.perf_counter()
        journal.load(path, narrate=False)
        cold = time.perf_counter() - t0
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            journal.load(path, narrate=False)
            times.append(time.perf_counter() - t0)
        print(
            f"load + verify + replay a full journal ({records} records): "
            f"median {statistics.median(times) * 1000:.1f} ms "
            f"(first load in the process, compiling the scenario: {cold * 1000:.1f} ms)"
        )

        session2, writer2 = journal.start(
            tables, seed=8, seats=seats, facilitated=False, saves=saves
        )
        assert writer2 is not None
        lat = []
        for i in range(200):
            t0 = time.perf_counter()
            writer2.append(Note(f"note {i}"), session2.state)
            lat.append(time.perf_counter() - t0)
        writer2.close()
        print(
            f"durable append (write + flush + fsync): median {statistics.median(lat) * 1000:.2f}"
            f" ms, p95 {sorted(lat)[int(len(lat) * 0.95)] * 1000:.2f} ms"
        )

    st = positions[len(positions) // 2][0]
    n = 100_000
    t0 = time.perf_counter()
    for _ in range(n):
        st.evolve()
    dt = time.perf_counter() - t0
    print(f"copy of a state for look-ahead (State.evolve): {dt / n * 1e6:.2f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
