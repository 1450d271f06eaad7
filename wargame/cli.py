"""The `wargame` command: a thin dispatcher over one module per sub-command.

Each sub-command lives in `wargame/commands/<name>.py` and exposes `register(subparsers)` and a
`run(args) -> int`. Heavy imports (numpy, pydantic, textual) happen inside `run`, so `--help`
and the UI start fast.

Exit statuses: 0 done; 2 the command line is wrong (argparse, or a `UsageError`); 1 a file or
folder is wrong (any other `WargameError`, or an `OSError`); 130 interrupted; 70 only for a bug
in wargame, whose crash report (traceback, version, command line; no local variables) is
written to a file whose path is printed. Every user's mistake is one line on stderr, without a
traceback. Whatever a file holds is shown literally: control characters written to stdout or
stderr are shown as escapes (`literal_streams`), so no save or deck can drive the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import sys
from collections.abc import Iterator, Sequence
from typing import NoReturn, TextIO

COMMANDS = (
    "play",
    "serve",
    "validate",
    "verify",
    "replay",
    "report",
    "simulate",
    "sweep",
    "new",
    "schema",
)


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (what is wrong, and where to read more), exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="wargame",
        description="A turn-based strategic wargame engine: play a scenario (YAML decks; "
        "bundled: Circle of Friends) in the terminal, replay and verify its saves, write a "
        "debrief report, start or check a scenario, and simulate bot games for balance. "
        "`wargame` alone is `wargame play`.",
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
    from wargame.tuning import tune_gc

    tune_gc()  # this is wargame's own process: see wargame/tuning.py
    # The terminal UI draws through Textual, which shows text literally (`wargame.tui.render`);
    # every other command prints, and prints through the literal streams.
    tui = args.command == "play" and not getattr(args, "headless", False)
    with contextlib.nullcontext() if tui else literal_streams():
        return _run(args, words)


class _Literal(io.TextIOBase):
    """A text stream that shows control characters as escapes (`safe_text.literal`)."""

    def __init__(self, inner: TextIO, *, keep_cr: bool) -> None:
        self.inner = inner
        self.keep_cr = keep_cr

    def write(self, s: str) -> int:
        from wargame.schema.safe_text import literal

        text = literal(s, keep_cr=self.keep_cr)
        try:
            self.inner.write(text)
        except UnicodeEncodeError:  # a terminal that cannot show “ or é: show their escapes
            enc = getattr(self.inner, "encoding", None) or "ascii"
            self.inner.write(text.encode(enc, "backslashreplace").decode(enc))
        return len(s)

    @property
    def raw(self) -> TextIO:
        """The stream underneath, for wargame's own drawing on a terminal (the progress bar of
        `simulate` and `sweep`: colours and cursor moves), never for text from a file
        (`wargame.commands.common.drawing_stream`)."""
        return self.inner

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", "utf-8")


@contextlib.contextmanager
def literal_streams() -> Iterator[None]:
    """stdout and stderr, for the time of a command, show text literally."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = _Literal(out, keep_cr=False)
    sys.stderr = _Literal(err, keep_cr=True)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def _run(args: argparse.Namespace, words: list[str]) -> int:
    from wargame.commands.common import UsageError
    from wargame.errors import WargameError

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
        from wargame.crashlog import write_report
        from wargame.schema.safe_text import printable

        report = write_report(exc, ["wargame", *words])
        where = (
            f"A crash report (the error and where it happened, none of your game) is in {report}"
            if report is not None
            else "No crash report could be written"
        )
        print(
            f"wargame: internal error: {type(exc).__name__}: {printable(str(exc))}\n"
            f"This is a bug in wargame, not in your input. {where}; please send it with a "
            "note of what you were doing. WARGAME_DEBUG=1 shows the full traceback.",
            file=sys.stderr,
        )
        return 70
