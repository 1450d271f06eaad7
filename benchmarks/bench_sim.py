"""Simulation and bot speed figures. Run: `.venv/bin/python benchmarks/bench_sim.py`.

Prints, on the default scenario:
1. N random-bot games through the simulation runner with `--workers 2` (target: 10,000 < 20 s);
2. greedy decision times (every call, and the turn-planning first call) and M greedy games with
   two workers (target: median decision < 20 ms; 1,000 games < 60 s);
3. planner decision times at the default level (target: under 1 s).

`--quick` runs a tenth of the games and extrapolates, for a check in a few seconds. On a shared
machine the wall-clock figures include whatever else runs; the CPU seconds per worker are what
the run takes with its cores to itself.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

import wargame
from wargame import rules
from wargame.bots.greedy import GreedyBot
from wargame.bots.planner import PlannerBot
from wargame.bots.random_bot import RandomBot
from wargame.chance import draw_outcome
from wargame.observe import view_for
from wargame.paths import default_scenario
from wargame.pending import ChanceDue, GameOver
from wargame.schema.loader import load_scenario
from wargame.seats import parse_seats
from wargame.sim.runner import SimConfig, run
from wargame.state import State
from wargame.tables import Tables, compile_scenario


def _cpu() -> float:
    """CPU seconds used by this process and its finished children (the workers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def sim(path: Path, t: Tables, bot: str, games: int, workers: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds / workers). On a shared machine the second is what the run
    would take with the workers' cores to itself."""
    cfg = SimConfig(path, parse_seats(f"all={bot}", t), games, seed=1, workers=workers)
    start, cpu = time.perf_counter(), _cpu()
    res = run(cfg, t)
    assert res.finished == games
    return time.perf_counter() - start, (_cpu() - cpu) / workers


def decision_states(t: Tables, games: int) -> list[tuple[State, int]]:
    """Positions where a role starts its orders, from random games (varied, reproducible)."""
    out = []
    for seed in range(games):
        rng = np.random.default_rng(seed)
        bot = RandomBot(rng)
        st = rules.new_game(t)
        while True:
            pending = rules.waiting_for(st)
            if isinstance(pending, GameOver):
                break
            if isinstance(pending, ChanceDue):
                a = draw_outcome(st, rng)
            else:
                r = pending.roles[0]
                if not st.orders[r]:
                    out.append((st, r))
                a = bot.choose(view_for(st, t.roles[r].id), r)
            st = rules.apply(st, a)
    return out


def time_turns(make, states: list[tuple[State, int]]) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """(every decision, first decision of each turn) in seconds, playing each turn through."""
    every: list[float] = []
    first: list[float] = []
    for st, r in states:
        bot = make()
        rid = st.tables.roles[r].id
        k = 0
        while True:
            t0 = time.perf_counter()
            a = bot.choose(view_for(st, rid), r)
            dt = time.perf_counter() - t0
            every.append(dt)
            if k == 0:
                first.append(dt)
            k += 1
            st = rules.apply(st, a)
            if st.phase != "orders" or r in st.committed:
                break
    return every, first


def ms(xs: list[float]) -> str:
    a = np.array(xs) * 1000
    return (
        f"median {np.median(a):.1f} ms, p90 {np.percentile(a, 90):.1f} ms, "
        f"max {a.max():.1f} ms (n={len(a)})"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", type=Path, default=None)
    ap.add_argument("--quick", action="store_true", help="a tenth of the games, extrapolated")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    path = args.scenario or default_scenario()
    t = compile_scenario(load_scenario(path))
    scale = 10 if args.quick else 1
    print(
        f"scenario {t.scenario.id}; {os.cpu_count()} CPU(s); load "
        f"{os.getloadavg()[0]:.1f}; python {sys.version.split()[0]}; engine {wargame.NATIVE}"
    )

    n = 10_000 // scale
    s, c = sim(path, t, "random", n, args.workers)
    print(
        f"random: {n} games, --workers {args.workers}: {s:.1f} s wall, {c:.1f} s of CPU per "
        f"worker ({n / s:.0f} games/s)"
        + (f"; 10,000 games ≈ {s * scale:.0f} s" if scale > 1 else "")
        + "  [target < 20 s]"
    )

    states = decision_states(t, 3)
    every, first = time_turns(lambda: GreedyBot(np.random.default_rng(0)), states)
    print(f"greedy decision (every call): {ms(every)}  [target median < 20 ms]")
    print(f"greedy decision (turn plan, first call): {ms(first)}")
    n = 1_000 // scale
    s, c = sim(path, t, "greedy", n, args.workers)
    print(
        f"greedy: {n} games, --workers {args.workers}: {s:.1f} s wall, {c:.1f} s of CPU per "
        f"worker ({n / s:.1f} games/s)"
        + (f"; 1,000 games ≈ {s * scale:.0f} s" if scale > 1 else "")
        + "  [target < 60 s]"
    )

    few = states[:: max(1, len(states) // (12 if args.quick else 40))]
    _, first = time_turns(lambda: PlannerBot(np.random.default_rng(0)), few)
    print(f"planner (normal) decision (turn plan, first call): {ms(first)}  [target < 1 s]")
    _, first = time_turns(lambda: PlannerBot(np.random.default_rng(0), level="hard"), few[::3])
    print(f"planner (hard) decision (turn plan, first call): {ms(first)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
