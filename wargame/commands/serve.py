"""`wargame serve`: each team at its own laptop, in a browser; the White Cell's room at its own
link for the projector. One game host owns the game and its journal (wargame/serve/)."""

from __future__ import annotations

import argparse
import os
import socket
from pathlib import Path
from typing import Any

from wargame.commands.common import UsageError
from wargame.errors import WargameError

_EPILOG = """\
The links carry a code each (new for each game, kept beside its save so that --continue keeps
them): give each team its own link, and keep the White Cell's to yourself. A wrong code is
refused and logged; a team's link opens in one browser at a time.

By default only this machine can open the links (--host 127.0.0.1). For a classroom, serve the
network with --host 0.0.0.0: the laptops must be on the same network as this machine, and its
firewall must let them reach the port (--port, default 8000).
"""


def register(sub: Any) -> None:
    from wargame.commands.common import SEED_MAX, int_between

    p = sub.add_parser(
        "serve",
        help="serve a game to the teams' browsers (one link per team, one for the White Cell)",
        description="Serve a game: each team plays in its own browser through its own link; "
        "the White Cell runs the room from another link (for the projector); a public board "
        "link is for everyone else.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--scenario", type=Path, default=None, help="scenario folder (default: bundled)")
    p.add_argument(
        "--seed", type=int_between(0, SEED_MAX, "2**63-1"), default=None, help="random seed"
    )
    p.add_argument(
        "--bots",
        default="",
        help="seats as for `wargame play` (e.g. ROLE=greedy); every other role is a human team",
    )
    p.add_argument("--turns", type=int_between(1, 50), default=None, help="number of turns")
    p.add_argument(
        "--timer", type=int_between(0, 240), default=0, metavar="MIN", help="minutes per phase"
    )
    p.add_argument(
        "--saves", type=Path, default=Path("saves"), metavar="DIR", help="folder for journals"
    )
    p.add_argument(
        "--continue",
        dest="resume",
        nargs="?",
        const="latest",
        default=None,
        metavar="SAVE",
        help="resume a served game (default: the latest in --saves); its links work again",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: the network)",
    )
    p.add_argument("--port", type=int_between(1, 65535), default=8000, help="port (default 8000)")
    p.set_defaults(run=run)


def lan_address() -> str:
    """This machine's address on the network it would reach others by (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
    except OSError:
        return socket.gethostname()


def make_host(args: argparse.Namespace) -> Any:
    """The game host for the command line: a new game, or a save continued."""
    import secrets

    from wargame.commands.common import check_bots, latest_journal, readable_file, writable_folder
    from wargame.commands.play import load_tables
    from wargame.facilitation.controller import Game
    from wargame.serve.host import GameHost

    writable_folder(args.saves)
    if args.resume is not None:
        for flag, attr in (("--scenario", "scenario"), ("--bots", "bots"), ("--seed", "seed")):
            if getattr(args, attr) not in (None, ""):
                raise UsageError(f"{flag} cannot be used with --continue: the save keeps its own")
        if args.resume == "latest":
            path = latest_journal(args.saves)
        else:
            path = readable_file(Path(args.resume))
        if not os.access(path, os.W_OK):
            raise WargameError(f"{path} is read-only: it cannot be continued")
        game = Game.resume(path)
        return GameHost(game, codes=GameHost.load_codes(path))
    if args.scenario is not None and not args.scenario.exists():
        raise WargameError(f"no scenario at {args.scenario}")
    tables = load_tables(args.scenario, args.turns)
    # Unlike `play` (whose setup screen asks), every role not named is a human team.
    seats = check_bots(",".join(filter(None, ["all=human", args.bots])), tables)
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    settings: dict[str, Any] = {"timer": args.timer} if args.timer else {}
    game = Game.new(tables, seed=seed, seats=seats, saves=args.saves, settings=settings)
    host = GameHost(game)
    host.save_codes()
    return host


def links_text(host: Any, base: str) -> list[str]:
    from wargame.serve import wire

    host.base_url = base
    lines = [
        "White Cell (the room, for the projector; keep it to yourself):",
        f"  {host.link(wire.FACILITATOR)}",
        "Teams (one link each):",
    ]
    for place in host.human_places():
        lines.append(f"  {host.place_name(place)}: {host.link(place)}")
    lines.append(
        f"Public board (read-only, for anyone without a seat):\n  {host.link(wire.OBSERVER)}"
    )
    return lines


def run(args: argparse.Namespace) -> int:
    import logging

    from wargame.serve.web import SeatServer

    host = make_host(args)
    shown = lan_address() if args.host in ("0.0.0.0", "::") else args.host
    base = f"http://{shown}:{args.port}"
    g = host.game
    print(f"{g.tables.scenario.title} — seed {g.seed}; save: {g.path}")
    for line in links_text(host, base):
        print(line)
    if args.host in ("0.0.0.0", "::"):
        print(
            f"Warning: serving every network this machine is on (--host {args.host}): anyone "
            f"who can reach port {args.port} can open the pages; only the codes keep the seats. "
            "The laptops must be on the same network, and the firewall must let them in."
        )
    print("Ctrl+C stops the server; `wargame serve --continue` resumes with the same links.")
    server = SeatServer(host, host=args.host, port=args.port)
    server.serve()
    logging.shutdown()
    if g.path is not None:
        from wargame.shell import serve_resume_command

        # The same words as `play` says on quitting: where the game is, and how to go on.
        print(f"Stopped. The game is saved in {g.path}.")
        print(
            f"Resume it, with the same links: {serve_resume_command(g.path, args.host, args.port)}"
        )
    return 0
