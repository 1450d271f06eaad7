"""What every sub-command checks before it does anything: numbers, files, folders, bot seats.

A user's mistake must be one line and an exit status, never a traceback or an "internal error",
and it must be found before anything is written: a refused command leaves no journal behind.
Numbers are checked by argparse (`type=`), so a bad one is a usage error (exit 2) at parse time;
files and folders raise `WargameError` (exit 1) naming the path.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from wargame.errors import WargameError

if TYPE_CHECKING:
    from wargame.seats import Seats


class UsageError(WargameError):
    """The command line itself is wrong (exit 2), as opposed to a file or folder (exit 1)."""


def int_between(lo: int, hi: int | None = None, hi_text: str = "") -> Callable[[str], int]:
    """An argparse `type` for a whole number in [lo, hi] (no upper bound when hi is None);
    `hi_text` writes a huge bound readably."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < lo or (hi is not None and value > hi):
            if hi is None:
                raise argparse.ArgumentTypeError(f"must be at least {lo} (got {value})")
            raise argparse.ArgumentTypeError(
                f"must be between {lo} and {hi_text or hi} (got {value})"
            )
        return value

    return parse


SEED_MAX = 2**63 - 1
"""The largest seed the setup screen accepts; seeds are never negative."""


def readable_file(path: Path, what: str = "save") -> Path:
    """`path` if it is a file that can be read, else a one-line error naming it."""
    if not path.exists():
        raise WargameError(f"no {what} at {path}")
    if path.is_dir():
        raise WargameError(f"{path} is a folder, not a {what} file")
    if not os.access(path, os.R_OK):
        raise WargameError(f"{path} cannot be read (permission denied)")
    return path


def writable_folder(path: Path, what: str = "saves folder") -> Path:
    """Check, without creating anything, that `path` is a folder files can be written to, or
    can be created as one; a one-line error naming the path otherwise."""
    if path.exists():
        if not path.is_dir():
            raise WargameError(f"the {what} {path} is a file, not a folder")
        if not os.access(path, os.W_OK | os.X_OK):
            raise WargameError(f"the {what} {path} is not writable")
        return path
    parent = next(p for p in path.parents if p.exists())
    if not parent.is_dir():
        raise WargameError(f"cannot create the {what} {path}: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise WargameError(f"cannot create the {what} {path}: {parent} is not writable")
    return path


def writable_file(path: Path, what: str = "output file") -> Path:
    """Check that `path` can be written (created or replaced) before a long run produces it."""
    if path.is_dir():
        raise WargameError(f"the {what} {path} is a folder")
    if path.exists():
        if not os.access(path, os.W_OK):
            raise WargameError(f"the {what} {path} is not writable")
        return path
    parent = next(p for p in path.parents if p.exists())
    if not parent.is_dir():
        raise WargameError(f"cannot write the {what} {path}: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise WargameError(f"cannot write the {what} {path}: {parent} is not writable")
    return path


def journals_in(folder: Path) -> list[Path]:
    """The journals in `folder`, most recently played first (as the setup screen lists them)."""
    if not folder.is_dir():
        return []
    found = []
    for p in folder.glob("*.jsonl"):
        try:
            found.append((-p.stat().st_mtime, p.name, p))
        except OSError:
            continue
    return [p for *_, p in sorted(found)]


def latest_journal(folder: Path) -> Path:
    """The most recently played journal in `folder` (never a bundled example, see
    `launch.is_example`), or a one-line error saying there is none. A file whose header line is
    not whole (a crash while a save was created) or that is not a regular file (a FIFO) is
    passed over, without being opened blocking."""
    from wargame.facilitation.launch import is_example
    from wargame.savefile import peek_header

    every = [p for p in journals_in(folder) if peek_header(p) is not None]
    found = [p for p in every if not is_example(p)]
    if not found:
        examples = [p for p in every if is_example(p)]
        hint = f"; the bundled example is {examples[0]}" if examples else ""
        raise WargameError(f"there is no save in {folder}/ yet (play a game first{hint})")
    return found[0]


def check_bots(spec: str, tables: Any, *, option: str = "--bots") -> Seats:
    """Parse a seat spec and check every bot's name and level; returns the seats it names.

    `parse_seats` checks roles and bot names; levels are checked here, so `planner:superhard`
    is refused before a game (and its journal) starts, and a level given to a bot that has none
    (`greedy:hard`) is refused instead of being ignored."""
    from wargame.bots.registry import bot_names
    from wargame.seats import BotSeat, parse_seats

    try:
        seats = parse_seats(spec, tables, known_bots=bot_names())
    except WargameError as exc:
        raise UsageError(f"{option}: {exc}") from None
    for role, seat in seats.items():
        if isinstance(seat, BotSeat):
            check_level(role, seat.bot, seat.level, option=option)
    return seats


def check_level(role: str, bot: str, level: str, *, option: str) -> None:
    levels = bot_levels(bot)
    if not level:
        return
    if not levels:
        raise UsageError(
            f"{option}: the {bot} bot has no levels ({role}={bot}:{level}); write {role}={bot}"
        )
    if level not in levels:
        raise UsageError(
            f"{option}: unknown {bot} level {level!r} for {role} (levels: {', '.join(levels)})"
        )


def bot_levels(bot: str) -> tuple[str, ...]:
    """The levels a bot takes (empty for a bot without levels)."""
    if bot == "planner":
        from wargame.bots.planner import LEVELS

        return tuple(LEVELS)
    return ()


def add_seal_option(parser: Any, help_text: str) -> None:
    parser.add_argument(
        "--seal-key-file",
        type=Path,
        default=None,
        metavar="FILE",
        dest="seal_key_file",
        help=help_text,
    )


def read_seal(args: argparse.Namespace) -> None:
    """`args.seal_key`: the key in `--seal-key-file` (None without it); a one-line error
    naming the file otherwise."""
    from wargame.savefile import read_seal_key

    path = getattr(args, "seal_key_file", None)
    args.seal_key = None
    if path is None:
        return
    try:
        args.seal_key = read_seal_key(path)
    except ValueError as exc:
        raise WargameError(str(exc)) from None


def write_exports(dests: dict[str, Path | str | None], text_of: Callable[[str], str]) -> bool:
    """Write each export asked for (format → FILE, or "-" for standard output) with the text
    `text_of(format)`, atomically; True when one went to standard output (then the table the
    command prints by default would mix with it, and is left out)."""
    import sys

    from wargame import atomic

    wrote_stdout = False
    for fmt, dest in dests.items():
        if dest is None:
            continue
        text = text_of(fmt)
        if str(dest) == "-":
            sys.stdout.write(text)
            wrote_stdout = True
        else:
            atomic.write(Path(dest), text.encode("utf-8"))
            print(f"wrote {dest}", file=sys.stderr)
    return wrote_stdout


def drawing_stream(stream: TextIO) -> TextIO:
    """Where wargame's own drawing goes: the terminal under the literal stream `wargame.cli`
    wraps around stdout and stderr (which shows control characters as escapes, so a progress
    bar drawn through it would print screenfuls of `\\x1b[2K…`). Only text wargame writes
    itself may go there, never text read from a file."""
    raw = getattr(stream, "raw", None)
    return raw if raw is not None else stream
