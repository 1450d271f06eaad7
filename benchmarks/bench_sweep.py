"""Sweep speed figures. Run: `.venv/bin/python benchmarks/bench_sweep.py` (it lowers its own
priority, as `nice -n 19` would: the machine may be shared).

Prints, on the bundled scenario with greedy bots and two workers:
1. a 6-variant × N-game sweep, local processes, against one simulate of the same 6N games
   (target: under 1.2x);
2. the same sweep through a local Dask cluster of two worker processes, cluster start included,
   against the local sweep (target: overhead under 15%);
3. the CPU cost of one planner game (level easy, worlds=1, as BALANCE.md runs it), from which a
   planner sweep's time on a bigger machine follows.

The three runs are interleaved, `--rounds` times, so a neighbour's load falls on all of them
alike; each figure is the median with the spread (min–max) over the rounds. `--games 100` gives
a figure in a few minutes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from wargame.paths import default_scenario
from wargame.schema.loader import load_scenario
from wargame.schema.scenario import Scenario
from wargame.seats import BotSeat, Seats, parse_seats
from wargame.sim.runner import SimConfig, play_game, run, run_many
from wargame.tables import Tables, compile_scenario

CHANGES = [
    ("cn-fund-sco", "cost", 1),
    ("cn-fund-sco", "cost", 3),
    ("us-trade-pressure", "cost", 1),
    ("ru-baltic-exercise", "cost", 2),
    ("al-reaffirm", "cost", 3),
]
"""Five one-card changes: with the scenario itself, six different variants."""


def variants(base: Scenario) -> list[Tables]:
    out = [compile_scenario(base)]
    for card_id, key, value in CHANGES:
        data = base.model_dump(mode="json", by_alias=True, round_trip=True)
        for deck in data["decks"]:
            for card in deck["cards"]:
                if card["id"] == card_id:
                    card[key] = value
        out.append(compile_scenario(Scenario.model_validate(data)))
    return out


def spread(xs: list[float]) -> str:
    return f"{statistics.median(xs):.1f} s (min {min(xs):.1f}, max {max(xs):.1f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--games", type=int, default=400, help="games per variant (default 400)")
    ap.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default 2)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--planner-games", type=int, default=3)
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    os.nice(19)
    path = default_scenario()
    scenario = load_scenario(path)
    tables = variants(scenario)
    seats = parse_seats("all=greedy", tables[0])
    n, w = args.games, args.workers
    times: dict[str, list[float]] = {"simulate": [], "sweep": [], "dask": []}
    print(f"{len(tables)} variants × {n} greedy games, {w} workers, {args.rounds} rounds")
    for r in range(args.rounds):
        t = time.perf_counter()
        run(SimConfig(path, seats, n * len(tables), 2019, workers=w), tables[0])
        times["simulate"].append(time.perf_counter() - t)
        t = time.perf_counter()
        local = run_many(SimConfig(path, seats, n, 2019, workers=w), tables)
        times["sweep"].append(time.perf_counter() - t)
        if not args.no_dask:
            t = time.perf_counter()
            cfg = SimConfig(path, seats, n, 2019, workers=w, scheduler="local")
            dask = run_many(cfg, tables)
            times["dask"].append(time.perf_counter() - t)
            if dask.records != local.records:
                print("DIFFERENT RESULTS through Dask", file=sys.stderr)
                return 1
        print(
            f"round {r + 1}: simulate {times['simulate'][-1]:.1f} s, sweep "
            f"{times['sweep'][-1]:.1f} s"
            + (f", sweep on Dask {times['dask'][-1]:.1f} s" if times["dask"] else ""),
            flush=True,
        )
    sim, swp = statistics.median(times["simulate"]), statistics.median(times["sweep"])
    print(f"1. simulate, {n * len(tables)} games: {spread(times['simulate'])}")
    print(f"   sweep, {len(tables)} × {n} games:  {spread(times['sweep'])}")
    ratios = [b / a for a, b in zip(times["simulate"], times["sweep"], strict=True)]
    print(
        f"   sweep / simulate: {swp / sim:.2f}x (per round {min(ratios):.2f}–{max(ratios):.2f}; "
        "target < 1.2x)"
    )
    per_game = sim * w / (n * len(tables))
    print(f"   greedy: {per_game * 1000:.0f} ms of a core per game")
    if times["dask"]:
        dk = statistics.median(times["dask"])
        over = [d / s - 1 for s, d in zip(times["sweep"], times["dask"], strict=True)]
        print(f"2. sweep on a local Dask cluster: {spread(times['dask'])}")
        print(
            f"   overhead over the local sweep: {dk / swp - 1:+.0%} (per round "
            f"{min(over):+.0%} to {max(over):+.0%}; target < 15%); results identical"
        )
    planner: Seats = {
        role: BotSeat("planner", "easy", (("worlds", 1),))
        for role in parse_seats("all=greedy", tables[0])
    }
    cpu: list[float] = []
    for i in range(args.planner_games):
        t = time.process_time()
        play_game(tables[0], planner, 2026, i)
        cpu.append(time.process_time() - t)
    pg = statistics.median(cpu)
    print(
        f"3. planner (easy, worlds=1): {pg:.1f} s of a core per game (median of {len(cpu)}; "
        f"min {min(cpu):.1f}, max {max(cpu):.1f})"
    )
    games = 20 * 500
    print(
        f"   on paper: 20 variants × 500 games = {games} games × {pg:.1f} s / 64 cores = "
        f"{games * pg / 64 / 60:.0f} min (plus the cluster's overhead)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
