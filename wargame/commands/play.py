"""`wargame play`: the Textual UI, or `--headless` bot-only games that print a summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("play", help="play a game (the terminal UI, or --headless with bots)")
    p.add_argument(
        "--scenario",
        type=Path,
        default=None,
        help="scenario folder (default: the bundled Circle of Friends)",
    )
    p.add_argument("--seed", type=int, default=None, help="random seed (default: a fresh one)")
    p.add_argument(
        "--bots",
        default="",
        help="seats, e.g. all=random or china=greedy,us=planner:hard,russia=absent",
    )
    p.add_argument("--turns", type=int, default=None, help="number of turns (default: scenario)")
    p.add_argument("--saves", type=Path, default=Path("saves"), help="folder for journals")
    p.add_argument("--no-save", action="store_true", help="do not write a journal")
    p.add_argument("--headless", action="store_true", help="no UI: bots play a whole game")
    p.add_argument(
        "--continue",
        dest="resume",
        nargs="?",
        const="latest",
        default=None,
        metavar="SAVE",
        help="resume a saved session (default: the latest)",
    )
    p.add_argument("--high-contrast", action="store_true", help="high-contrast theme")
    p.add_argument(
        "--timer",
        type=int,
        default=None,
        metavar="MIN",
        help="minutes per phase offered at setup (default 10; 0: no timer)",
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
        if not args.bots:
            args.bots = "all=random"
    return headless(args)


def headless(args: argparse.Namespace) -> int:
    import secrets

    from wargame import journal
    from wargame.autoplay import bot_turns, make_bots
    from wargame.bots.registry import bot_names
    from wargame.errors import WargameError
    from wargame.seats import HumanSeat, parse_seats

    tables = load_tables(args.scenario, args.turns)
    seats = parse_seats(args.bots or "all=random", tables, known_bots=bot_names())
    humans = [r for r, s in seats.items() if isinstance(s, HumanSeat)]
    if humans:
        raise WargameError(f"--headless needs a bot in every seat (human: {', '.join(humans)})")
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    session, writer = journal.start(
        tables,
        seed=seed,
        seats=seats,
        facilitated=False,
        saves=None if args.no_save else args.saves,
    )
    bots = make_bots(session, seats)
    t = tables
    print(f"{t.scenario.title} — seed {seed}, {t.turns} turns")
    printed = 0
    prev_tracks = tuple(x.start for x in t.scenario.tracks)
    while not session.over:
        # One action at a time: the tracks printed for a turn are those when it was scored (the
        # next decision after scoring), not the final ones.
        if not bot_turns(session, bots, limit=1):
            raise WargameError("the game is stuck waiting for a seat with no bot")
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
    from wargame.rules import ranking

    st = session.state
    print(f"Game over ({st.ended_by}).")
    for place, r in enumerate(ranking(st), start=1):
        print(f"  {place}. {t.roles[r].name}: {sum(st.vp[r])} VP")
    if writer is not None:
        writer.close()
        print(f"Journal: {writer.path}")
    return 0
