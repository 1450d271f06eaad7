"""`wargame sweep SPEC.yaml`: vary a scenario's numbers, play every variant on the same seeds,
and report which variants meet the balance criteria."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    from wargame.commands.simulate import add_scheduler

    p = sub.add_parser(
        "sweep",
        help="vary a scenario's numbers and compare the variants' balance (bot games)",
        description="Read a sweep spec (YAML: scenario, bot, games, seed, and the numbers to "
        "vary by their path, e.g. `cn-fund-sco.cost: [1, 2, 3]` or `roles.us.income.base: "
        "[4, 5]`), play every variant on the same seeds, and report each variant's win rates, "
        "its difference from the unchanged scenario (paired intervals), and the balance "
        "criteria met or missed, closest to the criteria first. Results are identical for any "
        "--workers and --scheduler. See README.md, 'Balance sweeps'.",
    )
    p.add_argument("spec", type=Path, help="the sweep spec (YAML)")
    p.add_argument(
        "--workers",
        "-j",
        type=_positive,
        default=None,
        help="worker processes (default: one per CPU); with --scheduler local, Dask workers",
    )
    add_scheduler(p)
    for fmt, what in (("json", "JSON"), ("csv", "tidy CSV (a row per variant and role)")):
        p.add_argument(
            f"--{fmt}",
            nargs="?",
            const="-",
            default=None,
            metavar="FILE",
            help=f"write the report as {what} (to stdout, or FILE)",
        )
    p.add_argument(
        "--html",
        default=None,
        metavar="FILE",
        help="also write the report as one offline HTML file, with a chart per role",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.set_defaults(run=run)


def _positive(text: str) -> int:
    from wargame.commands.common import int_between

    return int_between(1)(text)


def run(args: argparse.Namespace) -> int:
    import os

    from wargame import atomic
    from wargame.bots.registry import bot_names
    from wargame.commands.common import UsageError, writable_file, write_exports
    from wargame.commands.simulate import Progress, _check_seats, _planner_budget
    from wargame.errors import WargameError
    from wargame.schema.loader import load_scenario
    from wargame.seats import BotSeat, parse_seats
    from wargame.sim import sweep_report as sr
    from wargame.sim.runner import SimConfig, run_many
    from wargame.sim.sweep import SpecError, build, read_spec

    if args.json == "-" and args.csv == "-":
        raise UsageError("--json and --csv cannot both go to stdout; give one a FILE")
    for option, dest in (("--json", args.json), ("--csv", args.csv), ("--html", args.html)):
        if dest not in (None, "-"):
            writable_file(Path(dest), f"{option} file")
    if not args.spec.exists():
        raise WargameError(f"no sweep spec at {args.spec}")
    spec, parsed = read_spec(args.spec)
    src = parsed.source
    scenario_path = args.spec.parent / spec.scenario
    if not scenario_path.exists():
        raise SpecError(
            [src.problem(("scenario",), f"no scenario at {scenario_path} (relative to the spec)")]
        )
    scenario = load_scenario(scenario_path)
    sweep = build(scenario_path, scenario, spec, parsed)
    tables = sweep.tables[0]
    try:
        if "," in spec.bot or "=" in spec.bot:
            raise UsageError(f"bot takes one bot name (got {spec.bot!r}); use seats")
        seats = parse_seats(f"all={spec.bot},{spec.seats}", tables, known_bots=bot_names())
        budget = _planner_budget(spec.planner)
        for role, seat in seats.items():
            if budget and isinstance(seat, BotSeat) and seat.bot == "planner":
                seats[role] = BotSeat(seat.bot, seat.level, tuple(budget.items()))
        _check_seats(tables, seats)
    except WargameError as exc:
        field = "seats" if spec.seats else "bot"
        if str(exc).startswith("--planner"):
            field = "planner"
        raise SpecError([src.problem((field,), str(exc))]) from None
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    config = SimConfig(
        scenario=scenario_path,
        seats=seats,
        games=spec.games,
        seed=spec.seed,
        workers=workers,
        scheduler=args.scheduler,
    )
    total = spec.games * len(sweep.tables)
    shared = len(sweep.variants) - len(sweep.tables)
    if not args.quiet:
        print(
            f"sweep: {len(sweep.variants)} variants (the baseline first) × {spec.games} games"
            + (f"; {shared} equal to another, played once" if shared else ""),
            file=sys.stderr,
        )
    with Progress(total, enabled=not args.quiet, label="sweep") as bar:
        result = run_many(config, sweep.tables, progress=bar.update)
    rep = sr.summarise_sweep(sweep, config, result)
    if not args.quiet:
        print(
            f"sweep: {sum(map(len, result.records))} games in {result.elapsed:.1f} s",
            file=sys.stderr,
        )
    wrote_stdout = write_exports(
        {"json": args.json, "csv": args.csv},
        lambda fmt: sr.to_json(rep) if fmt == "json" else sr.to_csv(rep),
    )
    if args.html is not None:
        from wargame.report.sweep import to_html

        atomic.write(args.html, to_html(rep).encode("utf-8"))
        print(f"wrote {args.html}", file=sys.stderr)
    if not wrote_stdout:
        sys.stdout.write(sr.to_markdown(rep))
    if result.interrupted:
        print(
            f"wargame: interrupted — reported the {rep.games} of {spec.games} games per variant "
            "that finished in every variant",
            file=sys.stderr,
        )
        return 130
    return 0
