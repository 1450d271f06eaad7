"""`wargame verify SAVE`: check a journal's chain and replay it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    from wargame.commands.common import add_seal_option

    p = sub.add_parser("verify", help="check a saved journal's hash chain and replay it")
    p.add_argument(
        "paths",
        type=Path,
        nargs="*",
        metavar="SAVE",
        help="journals to check (default: every save in --saves)",
    )
    p.add_argument(
        "--saves",
        type=Path,
        default=Path("saves"),
        metavar="DIR",
        help="the saves folder checked when no SAVE is given (default: ./saves)",
    )
    add_seal_option(
        p,
        "also check every line's seal with the secret key in FILE: a save sealed with it "
        "cannot have been edited or forged by anyone without the key",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from wargame import journal
    from wargame.commands.common import journals_in, read_seal
    from wargame.errors import JournalError, WargameError
    from wargame.rules import ranking

    read_seal(args)
    paths = args.paths or journals_in(args.saves)
    if not paths:
        raise WargameError(f"there is no save in {args.saves}/ to verify (play a game first)")
    status = 0
    for path in paths:
        try:
            loaded = journal.load(path, narrate=False, seal_key=args.seal_key)
        except JournalError as exc:
            print(exc.problem.format(), file=sys.stderr)
            status = 1
            continue
        st = loaded.session.state
        t = loaded.session.tables
        scores = ", ".join(f"{t.roles[r].id} {sum(st.vp[r])}" for r in ranking(st))
        where = "game over" if st.over else f"turn {st.turn}, {st.phase}"
        seal = (
            "; sealed, seal checked"
            if loaded.seal_checked
            else "; sealed (give --seal-key-file to check the seal)"
            if loaded.header.sealed
            else ""
        )
        print(f"{path}: ok — {loaded.records} records, {where}; VP: {scores}{seal}")
        if loaded.truncated:
            print(f"{path}: warning: {loaded.truncated}", file=sys.stderr)
    return status
