"""The `wargame` command: a thin dispatcher over one module per sub-command.

Each sub-command lives in `wargame/commands/<name>.py` and exposes `register(subparsers)` and a
`run(args) -> int`. Heavy imports (numpy, pydantic, textual) happen inside `run`, so `--help`
and the UI start fast.

Exit statuses: 0 done; 2 the command line is wrong (argparse, or a `UsageError`); 1 a file or
folder is wrong (any other `WargameError`, or an `OSError`); 130 interrupted; 70 only for a bug
in wargame. Every user's mistake is one line on stderr, without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

COMMANDS = ("play", "serve", "validate", "verify", "replay", "report", "simulate")


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (what is wrong, and where to read more), exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="wargame",
        description="A turn-based strategic wargame engine: play a scenario (YAML decks; "
        "bundled: Circle of Friends) in the terminal, replay and verify its saves, write a "
        "debrief report, check a scenario, and simulate bot games for balance. `wargame` alone "
        "is `wargame play`.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"wargame.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"wargame.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(argv) if argv is not None else sys.argv[1:]
    if not words or (words[0].startswith("-") and words[0] not in ("-h", "--help")):
        words = ["play", *words]  # `wargame`, `wargame --continue`: play is the default
    try:
        args = parser.parse_args(words)
    except SystemExit as exc:  # --help, or a usage error already printed on one line
        return exc.code if isinstance(exc.code, int) else 2
    from wargame.commands.common import UsageError
    from wargame.errors import WargameError
    from wargame.tuning import tune_gc

    tune_gc()  # this is wargame's own process: see wargame/tuning.py
    try:
        return int(args.run(args) or 0)
    except UsageError as exc:
        print(f"wargame {args.command}: {exc}", file=sys.stderr)
        return 2
    except WargameError as exc:
        print(f"wargame: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("wargame: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a disk or a folder failed us mid-run: the user's machine, not a bug
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"wargame: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # an engine bug, not a user error: say so, keep the screen clean
        if os.environ.get("WARGAME_DEBUG"):
            raise
        print(
            f"wargame: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in wargame, not in your input; run again with WARGAME_DEBUG=1 "
            "for the full traceback.",
            file=sys.stderr,
        )
        return 70
