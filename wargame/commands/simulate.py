"""`wargame simulate`: bot-vs-bot Monte Carlo with a progress bar and a balance report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wargame.seats import Seats


def register(sub: Any) -> None:
    from wargame.commands.common import SEED_MAX, int_between

    p = sub.add_parser(
        "simulate",
        help="play many bot-vs-bot games and report balance (win rates, VP, tracks, cards)",
        description="Play many bot-vs-bot games and report each role's win rate with a 95% "
        "interval, victory points, tracks per turn and every card's play and win rates, "
        "flagging what breaks the balance criteria. Results are identical for any --workers.",
    )
    p.add_argument(
        "--scenario",
        type=Path,
        default=None,
        help="scenario folder (default: the bundled Circle of Friends)",
    )
    p.add_argument(
        "--games", "-n", type=int_between(1), default=100, help="games to play (default 100)"
    )
    p.add_argument(
        "--bot",
        default="greedy",
        help="bot for every seat not named in --seats, e.g. random, greedy, "
        "planner:easy (default greedy)",
    )
    p.add_argument(
        "--seats",
        default="",
        help="seats by the scenario's role ids, e.g. ROLE=planner,ROLE=greedy,ROLE=absent",
    )
    p.add_argument(
        "--planner",
        default="",
        metavar="BUDGET",
        help="budget for every planner seat, overriding its level: comma-separated "
        "horizon=N, worlds=N, rounds=N, candidates=N (iteration counts, reproducible), "
        "time_limit=SECONDS (a wall-clock cap; results then depend on the machine), "
        "e.g. --planner worlds=1 for the quickest decisions at level easy",
    )
    p.add_argument(
        "--seed",
        type=int_between(0, SEED_MAX, "2**63-1"),
        default=None,
        help="root seed (default: a fresh one, printed in the report)",
    )
    p.add_argument(
        "--workers",
        "-j",
        type=int_between(1),
        default=None,
        help="worker processes (default: one per CPU)",
    )
    add_scheduler(p)
    p.add_argument(
        "--json",
        nargs="?",
        const="-",
        default=None,
        metavar="FILE",
        help="write the report as JSON (to stdout, or FILE)",
    )
    p.add_argument(
        "--csv",
        nargs="?",
        const="-",
        default=None,
        metavar="FILE",
        help="write the report as tidy CSV (to stdout, or FILE)",
    )
    p.add_argument(
        "--journals",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep every game's journal in DIR (replay them with `wargame replay`)",
    )
    p.add_argument(
        "--check", action="store_true", help="check every bot action against the rules (slower)"
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import os

    from wargame.bots.registry import bot_names
    from wargame.commands.common import UsageError, writable_file, writable_folder, write_exports
    from wargame.errors import WargameError
    from wargame.paths import default_scenario
    from wargame.schema.loader import load_scenario
    from wargame.seats import BotSeat, parse_seats
    from wargame.sim import report as rp
    from wargame.sim.runner import SimConfig
    from wargame.sim.runner import run as run_sim
    from wargame.sim.stats import summarise
    from wargame.tables import compile_scenario

    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    if args.json == "-" and args.csv == "-":
        raise UsageError("--json and --csv cannot both go to stdout; give one a FILE")
    if "," in args.bot or "=" in args.bot:
        raise UsageError(
            f"--bot takes one bot name (got {args.bot!r}); use --seats for per-role bots"
        )
    # Everything the run will write, checked before it starts (a report written after an hour
    # of simulation must not fail on a typo in its file name).
    for option, dest in (("--json", args.json), ("--csv", args.csv)):
        if dest not in (None, "-"):
            writable_file(Path(dest), f"{option} file")
    if args.journals is not None:
        writable_folder(args.journals, "--journals folder")
    path = args.scenario or default_scenario()
    if not path.exists():
        raise WargameError(f"no scenario at {path}")
    tables = compile_scenario(load_scenario(path))
    try:
        seats = parse_seats(f"all={args.bot},{args.seats}", tables, known_bots=bot_names())
    except WargameError as exc:
        raise UsageError(str(exc)) from None
    budget = _planner_budget(args.planner)
    if budget:
        for role, seat in seats.items():
            if isinstance(seat, BotSeat) and seat.bot == "planner":
                seats[role] = BotSeat(seat.bot, seat.level, tuple(dict(budget).items()))
    _check_seats(tables, seats)
    seed = args.seed
    if seed is None:
        import numpy as np

        seed = int(np.random.SeedSequence().entropy % (2**63))  # type: ignore[operator]
    config = SimConfig(
        scenario=path,
        seats=seats,
        games=args.games,
        seed=seed,
        workers=workers,
        journals=args.journals,
        check=args.check,
        scheduler=args.scheduler,
    )
    if args.journals is not None and args.scheduler is not None:
        raise UsageError("--journals cannot be used with --scheduler: journals are kept locally")
    with Progress(args.games, enabled=not args.quiet) as bar:
        result = run_sim(config, tables, progress=bar.update)
    rep = summarise(result, tables)
    wrote_stdout = write_exports(
        {"json": args.json, "csv": args.csv},
        lambda fmt: rp.to_json(rep) if fmt == "json" else rp.to_csv(rep),
    )
    if not wrote_stdout:
        sys.stdout.write(rp.to_text(rep))
    if result.interrupted:
        print(
            f"wargame: interrupted — reported the {result.finished} of {args.games} games "
            "that finished",
            file=sys.stderr,
        )
        return 130
    return 0


_PLANNER_INTS = ("horizon", "worlds", "rounds", "candidates")


def _planner_budget(spec: str) -> dict[str, Any]:
    """`worlds=1,horizon=2` → keyword arguments of `PlannerBot` (validated here)."""
    from wargame.commands.common import UsageError

    out: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, eq, value = (x.strip() for x in part.partition("="))
        try:
            if not eq:
                raise ValueError
            if key in _PLANNER_INTS:
                out[key] = int(value)
                ok = out[key] >= 1
            elif key == "time_limit":
                out[key] = float(value)
                ok = out[key] > 0
            else:
                raise KeyError
        except KeyError:
            raise UsageError(
                f"--planner: unknown setting {key!r} (settings: "
                f"{', '.join(_PLANNER_INTS)}, time_limit)"
            ) from None
        except ValueError:
            raise UsageError(f"--planner: {part!r} should be KEY=NUMBER") from None
        if not ok:
            raise UsageError(f"--planner: {key} must be positive (got {value})")
    return out


def _check_seats(tables: Any, seats: Seats) -> None:
    """Refuse human seats and bad bot levels before any worker starts."""
    from wargame.commands.common import UsageError, check_level
    from wargame.seats import BotSeat, HumanSeat

    for r in tables.roles:
        seat = seats[r.id]
        if isinstance(seat, HumanSeat):
            raise UsageError(
                f"{r.id} is seated as a human: simulate needs a bot or `absent` in every seat"
            )
        if isinstance(seat, BotSeat):
            check_level(r.id, seat.bot, seat.level, option="--bot/--seats")
    if not any(isinstance(s, BotSeat) for s in seats.values()):
        raise UsageError("every seat is absent: nothing to simulate")


def add_scheduler(p: argparse.ArgumentParser) -> None:
    """`--scheduler`, shared by simulate and sweep."""
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="play the games on a Dask cluster: its scheduler's address (tcp://host:8786), or "
        "`local` for a Dask cluster of --workers processes on this machine; needs the extra "
        "`pip install '.[cluster]'`. Results are the same as a local run",
    )


class Progress:
    """Progress on stderr: a rich bar on a terminal, a line every few seconds otherwise."""

    def __init__(self, total: int, *, enabled: bool, label: str = "simulate") -> None:
        self.label = label
        self.total = total
        self.enabled = enabled
        self._bar: Any = None
        self._task: Any = None
        self._last = 0.0
        self._start = 0.0

    def __enter__(self) -> Progress:
        import time

        self._start = self._last = time.perf_counter()
        if self.enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            from wargame.commands.common import drawing_stream

            self._bar = Progress(
                TextColumn(self.label),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} games/s"),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TimeElapsedColumn(),
                # straight to the terminal: the bar is wargame's own text, and its cursor
                # moves and colours must act, not show as escapes
                console=Console(file=drawing_stream(sys.stderr)),
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("games", total=self.total, rate="-")
        elif self.enabled:
            print(
                f"{self.label}: 0/{self.total} games (Ctrl-C stops and reports the games finished)",
                file=sys.stderr,
                flush=True,
            )
        return self

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        import time

        now = time.perf_counter()
        elapsed = max(now - self._start, 1e-9)
        rate = done / elapsed
        if self._bar is not None:
            self._bar.update(self._task, completed=done, rate=f"{rate:.1f}")
            return
        if now - self._last >= 5.0 or done == total:
            self._last = now
            eta = (total - done) / rate if rate > 0 else 0.0
            print(
                f"{self.label}: {done}/{total} games ({rate:.1f} games/s, ETA {eta:.0f} s)",
                file=sys.stderr,
                flush=True,
            )

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
