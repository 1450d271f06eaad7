"""`wargame report SAVE`: a debrief document to hand out — Markdown, one self-contained HTML
file (charts inline, works offline, prints well), or one row per record as CSV or JSON."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

SUFFIXES = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".json": "json",
}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="a debrief report of a saved session (Markdown, HTML, CSV or JSON)",
        description="Write a debrief report of a saved session: setup and seats, the final "
        "ranking and each team's objectives, charts over time, the turning points, a per-turn "
        "timeline with orders, rationales, rolls, overrides, injects and notes, each team's "
        "summary, the concepts each side used and the source passages of the cards played. "
        "CSV and JSON give one row per record, for your own analysis.",
    )
    p.add_argument(
        "save",
        type=Path,
        nargs="?",
        default=None,
        metavar="SAVE",
        help="a journal (default: the latest in --saves)",
    )
    p.add_argument(
        "--format",
        choices=("md", "html", "csv", "json"),
        default=None,
        help="md (default), html, csv or json; guessed from -o's extension when not given",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the report to FILE (default: print it)",
    )
    p.add_argument(
        "--salvage",
        action="store_true",
        help="report on the intact part of a save that fails verification",
    )
    p.add_argument(
        "--saves",
        type=Path,
        default=Path("saves"),
        metavar="DIR",
        help="the saves folder whose latest save is reported when SAVE is not given "
        "(default: ./saves)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from wargame.commands.common import latest_journal, readable_file, writable_file
    from wargame.errors import JournalError, WargameError
    from wargame.facilitation.debrief import Debrief
    from wargame.report import render

    fmt = args.format
    if fmt is None:
        fmt = SUFFIXES.get(args.output.suffix.lower(), "md") if args.output else "md"
    if args.output is not None:
        writable_file(args.output, "report file")
    if args.save is None:
        args.save = latest_journal(args.saves)
    readable_file(args.save)
    try:
        d = Debrief.open(args.save, salvage=args.salvage)
    except JournalError as exc:
        if exc.problem.line >= 2 and not args.salvage:
            raise WargameError(
                f"{exc}; to report on the records before that line, add --salvage"
            ) from None
        raise
    if d.banner:
        print(f"warning: {d.banner}", file=sys.stderr)
    text = render(d, fmt)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    from wargame.facilitation.bookmarks import atomic_write_text

    atomic_write_text(args.output, text)
    print(f"Wrote the {fmt} report of {args.save.name} to {args.output}", file=sys.stderr)
    return 0
