"""`wargame verify SAVE`: check a journal's chain and replay it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("verify", help="check a saved journal's hash chain and replay it")
    p.add_argument("saves", type=Path, nargs="+", metavar="SAVE")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from wargame import journal
    from wargame.errors import JournalError
    from wargame.rules import ranking

    status = 0
    for path in args.saves:
        try:
            loaded = journal.load(path, narrate=False)
        except JournalError as exc:
            print(exc.problem.format(), file=sys.stderr)
            status = 1
            continue
        st = loaded.session.state
        t = loaded.session.tables
        scores = ", ".join(f"{t.roles[r].id} {sum(st.vp[r])}" for r in ranking(st))
        where = "game over" if st.over else f"turn {st.turn}, {st.phase}"
        print(f"{path}: ok — {loaded.records} records, {where}; VP: {scores}")
        if loaded.truncated:
            print(f"{path}: warning: {loaded.truncated}", file=sys.stderr)
    return status
