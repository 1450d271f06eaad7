"""`wargame play`: the Textual UI, or `--headless` bot-only games that print a summary."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from wargame.commands.common import check_bots
from wargame.errors import WargameError

_EPILOG = """\
--continue resumes a save exactly where it stopped: its scenario, seats, seed, turns and timer
come from the save, so --scenario, --bots, --seed, --turns, --timer and --no-save are refused
with it. With --headless the bots finish the save (every seat must be a bot or absent; a save
with a human team is continued in the terminal UI) and rolls are accepted as drawn.

Every argument is checked before anything is written: a refused command leaves no journal.
"""


def register(sub: Any) -> None:
    from wargame.commands.common import SEED_MAX, add_seal_option, int_between

    p = sub.add_parser(
        "play",
        help="play a game (the terminal UI, or --headless with bots)",
        description="Play a game in the terminal UI, or --headless with a bot in every seat.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--scenario",
        type=Path,
        default=None,
        help="scenario folder (default: the bundled Circle of Friends)",
    )
    p.add_argument(
        "--seed",
        type=int_between(0, SEED_MAX, "2**63-1"),
        default=None,
        help="random seed, 0 or more (default: a fresh one)",
    )
    p.add_argument(
        "--bots",
        default="",
        help="seats by the scenario's role ids, e.g. all=random or ROLE=greedy,ROLE=planner:hard "
        "(bots: random, greedy, planner:easy|normal|hard; human or human:TEAM; absent; "
        "role ids as under `roles:` in the scenario)",
    )
    p.add_argument(
        "--turns",
        type=int_between(1, 50),
        default=None,
        help="number of turns, 1 to 50 (default: the scenario's)",
    )
    p.add_argument(
        "--saves",
        type=Path,
        default=Path("saves"),
        metavar="DIR",
        help="folder for journals (default: ./saves)",
    )
    p.add_argument("--no-save", action="store_true", help="do not write a journal")
    p.add_argument("--headless", action="store_true", help="no UI: bots play a whole game")
    p.add_argument(
        "--continue",
        dest="resume",
        nargs="?",
        const="latest",
        default=None,
        metavar="SAVE",
        help="resume a save (default: the latest in --saves); with --headless, bots finish it",
    )
    p.add_argument("--high-contrast", action="store_true", help="high-contrast theme")
    add_seal_option(
        p,
        "seal the save with the secret key in FILE (HMAC), so that `wargame verify "
        "--seal-key-file FILE` proves nobody without the key edited it; a sealed save is "
        "continued with the same option",
    )
    p.add_argument(
        "--timer",
        type=int_between(0, 240),
        default=None,
        metavar="MIN",
        help="minutes per phase offered at setup, 0 to 240 (default 10; 0: no timer)",
    )
    p.set_defaults(run=run)


def load_tables(scenario: Path | None, turns: int | None = None) -> Any:
    from wargame.paths import default_scenario
    from wargame.schema.loader import load_scenario
    from wargame.tables import compile_scenario

    scen = load_scenario(scenario or default_scenario())
    if turns is not None:
        from wargame.errors import WargameError

        if not 1 <= turns <= 50:
            raise WargameError("--turns must be between 1 and 50")
        scen = scen.model_copy(update={"turns": scen.turns.model_copy(update={"count": turns})})
    return compile_scenario(scen)


def run(args: argparse.Namespace) -> int:
    tables = check(args)
    if not args.headless:
        try:
            from wargame.tui.app import run_app
        except ImportError:
            print(
                "wargame: the terminal UI is not installed; running a headless demo game",
                file=sys.stderr,
            )
        else:
            return int(run_app(args))
        if not args.bots and args.resume is None:
            args.bots = "all=random"
            tables = check(args)
    if args.resume is not None:
        return headless_continue(args)
    return headless(args, tables)


_NOT_WITH_CONTINUE = (
    ("--scenario", "scenario"),
    ("--bots", "bots"),
    ("--seed", "seed"),
    ("--turns", "turns"),
    ("--timer", "timer"),
    ("--no-save", "no_save"),
)


def check(args: argparse.Namespace) -> Any:
    """Every argument, before the UI opens or anything is written. Returns the compiled
    scenario when checking needed it (--bots names roles), else None. `args.bots` is rewritten
    in the form the setup screen reads (a planner without a level gets `normal`)."""
    from wargame.commands.common import UsageError, read_seal, readable_file, writable_folder

    read_seal(args)
    if args.resume is not None:
        for flag, attr in _NOT_WITH_CONTINUE:
            if getattr(args, attr) not in (None, "", False):
                raise UsageError(
                    f"{flag} cannot be used with --continue: a save keeps its own scenario, "
                    "seats, seed, turns and timer"
                )
        if args.resume != "latest":
            save = readable_file(Path(args.resume))
            if not os.access(save, os.W_OK):
                raise WargameError(f"{save} is read-only: it cannot be continued")
    if not args.no_save:
        writable_folder(args.saves)
    if args.scenario is not None and not args.scenario.exists():
        raise WargameError(f"no scenario at {args.scenario}")
    tables = None
    if args.bots or (args.headless and args.resume is None):
        tables = load_tables(args.scenario, args.turns)
        seats = check_bots(args.bots or "all=random", tables)
        if args.headless:
            from wargame.seats import HumanSeat

            humans = [r for r, s in seats.items() if isinstance(s, HumanSeat)]
            if humans:
                raise UsageError(
                    f"--headless needs a bot in every seat (human: {', '.join(humans)})"
                )
        args.bots = setup_form(args.bots)
    return tables


def setup_form(spec: str) -> str:
    """A checked seat spec as the setup screen's seat choices name them."""
    from wargame.commands.common import bot_levels

    parts = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        role, _, who = (x.strip() for x in part.partition("="))
        name, _, level = who.partition(":")
        levels = bot_levels(name)
        if levels and not level and not who.startswith("human"):
            who = f"{name}:{'normal' if 'normal' in levels else levels[0]}"
        parts.append(f"{role}={who}")
    return ",".join(parts)


def headless(args: argparse.Namespace, tables: Any) -> int:
    import secrets

    from wargame import journal
    from wargame.autoplay import make_bots
    from wargame.bots.registry import bot_names
    from wargame.seats import parse_seats

    seats = parse_seats(args.bots or "all=random", tables, known_bots=bot_names())
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    session, writer = journal.start(
        tables,
        seed=seed,
        seats=seats,
        facilitated=False,
        saves=None if args.no_save else args.saves,
        seal_key=args.seal_key,
    )
    print(f"{tables.scenario.title} — seed {seed}, {tables.turns} turns")
    if writer is not None and writer.problem:
        print(
            f"wargame: {writer.problem}; the game goes on and is saved when the disk takes it",
            file=sys.stderr,
        )
    play_out(session, make_bots(session, seats))
    if writer is not None:
        return finish_save(writer)
    return 0


def finish_save(writer: Any) -> int:
    """Close the journal; 0 once every record is on disk, else 1 with one line saying why."""
    writer.close()
    if writer.problem:
        print(
            f"wargame: {writer.problem}; the game was played but is not saved whole",
            file=sys.stderr,
        )
        return 1
    print(f"Journal: {writer.path}")
    return 0


def headless_continue(args: argparse.Namespace) -> int:
    """`--headless --continue [SAVE]`: the bots finish a save, appending to it."""
    from wargame import journal
    from wargame.autoplay import make_bots, seating_now
    from wargame.commands.common import latest_journal
    from wargame.seats import HumanSeat
    from wargame.shell import resume_command

    path = latest_journal(args.saves) if args.resume == "latest" else Path(args.resume)
    loaded = journal.load(path, narrate=False, seal_key=args.seal_key)
    seats, since = seating_now(loaded.session, loaded.header.seats)
    st = loaded.session.state
    t = loaded.session.tables
    if not st.over:
        humans = [f"{r} ({s.describe()})" for r, s in seats.items() if isinstance(s, HumanSeat)]
        if humans:
            raise WargameError(
                f"{path} has human seats ({', '.join(humans)}), so --headless cannot finish it; "
                f"continue it in the terminal UI: {resume_command(path, args.saves)}"
            )
        loaded, writer = journal.resume(path, seal_key=args.seal_key)
        session = loaded.session
        print(
            f"{t.scenario.title} — seed {loaded.header.seed}, {t.turns} turns; "
            f"continuing {path} at turn {st.turn}"
        )
        play_out(session, make_bots(session, seats, since))
        return finish_save(writer)
    else:
        print(f"{t.scenario.title} — seed {loaded.header.seed}: {path} is already over")
        play_out(loaded.session, {})
    print(f"Journal: {path}")
    return 0


def play_out(session: Any, bots: dict[int, Any]) -> None:
    """Let the bots play to the end, printing each turn's scores as it is scored, then the
    ranking."""
    from wargame.autoplay import bot_turns
    from wargame.rules import ranking

    t = session.tables
    st = session.state
    printed = min(len(v) for v in st.vp)
    prev_tracks = tuple(st.tracks) if printed else tuple(x.start for x in t.scenario.tracks)
    session.settle()  # a save cut off before a draw was recorded: draw it now
    while True:
        st = session.state
        scored = min(len(v) for v in st.vp)
        while printed < scored:
            printed += 1
            year = t.start_year + (printed - 1) * t.years_per_turn
            parts = []
            for r in t.roles:
                if st.present[r.index]:
                    vp = st.vp[r.index]
                    parts.append(f"{r.id} {vp[printed - 1]:+d} ({sum(vp[:printed])})")
            tr = ", ".join(
                f"{x.id} {a}→{b}" if a != b else f"{x.id} {b}"
                for x, a, b in zip(t.scenario.tracks, prev_tracks, st.tracks, strict=True)
            )
            prev_tracks = st.tracks
            print(f"Turn {printed} ({year}): {' · '.join(parts)} | {tr}")
        if session.over:
            break
        # One action at a time: the tracks printed for a turn are those when it was scored (the
        # next decision after scoring), not the final ones.
        if not bot_turns(session, bots, limit=1):
            raise WargameError("the game is stuck waiting for a seat with no bot")
    st = session.state
    print(f"Game over ({st.ended_by}).")
    for place, r in enumerate(ranking(st), start=1):
        print(f"  {place}. {t.roles[r].name}: {sum(st.vp[r])} VP")
