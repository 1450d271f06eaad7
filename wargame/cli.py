"""The `wargame` command: a thin dispatcher over one module per sub-command.

Each sub-command lives in `wargame/commands/<name>.py` and exposes `register(subparsers)` and a
`run(args) -> int`. Heavy imports (numpy, pydantic, textual) happen inside `run`, so `--help`
and the UI start fast. Every `WargameError` is printed to stderr without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

COMMANDS = ("play", "validate", "verify", "replay", "simulate")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wargame",
        description="Strategic scenario wargame: China's new type of security partnership "
        "versus the US alliance system.",
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
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command is None:
        args = parser.parse_args(["play", *(list(argv) if argv else [])])
    from wargame.errors import WargameError
    from wargame.tuning import tune_gc

    tune_gc()  # this is wargame's own process: see wargame/tuning.py
    try:
        return int(args.run(args) or 0)
    except WargameError as exc:
        print(f"wargame: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("wargame: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
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
