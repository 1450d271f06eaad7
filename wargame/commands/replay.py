"""`wargame replay SAVE`: step through a saved session for a debrief, or branch from a record.

`--text` prints the timeline, so a debrief leader can page it, grep it or paste it into notes:
turn and phase headers, each record in words (card titles and country names) with its reason
and what it did, shuffles folded away, the board at any record, the turning points and the
story of the game (the same story the end screen of `wargame play` tells). Every line comes
from the debrief model (`wargame.facilitation.debrief`), which the replay screen and
`wargame report` read too. `--branch N` starts a "what if" journal at record N.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wargame.facilitation.debrief import Debrief, Entry
    from wargame.state import State

INDENT = " " * 7


def register(sub: Any) -> None:
    from wargame.commands.common import int_between

    p = sub.add_parser(
        "replay",
        help="step through a saved session (debrief), or branch from it",
        description="Replay a saved session for a debrief: each record in words, grouped by "
        "turn and phase, the board at any record, the turning points and the story of the game.",
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
        "--text",
        action="store_true",
        help="print the timeline as text (to page, grep or paste into notes)",
    )
    p.add_argument(
        "--to",
        type=int_between(0),
        default=None,
        metavar="N",
        help="stop after record N and show the board there",
    )
    p.add_argument(
        "--from",
        dest="start",
        type=int_between(1),
        default=1,
        metavar="N",
        help="first record to print (default 1)",
    )
    p.add_argument(
        "--viewpoint",
        default=None,
        metavar="ROLE",
        help="what one team saw then: its own orders, the others' only once revealed",
    )
    p.add_argument(
        "--only",
        default=None,
        metavar="WHAT",
        help="only notes, overrides, interventions (the White Cell's notes, overrides, undos, "
        "injects and reseats), or one ROLE's orders and rationales; several with commas "
        "(notes,overrides)",
    )
    p.add_argument("--all", action="store_true", help="also print shuffles and bookkeeping records")
    p.add_argument(
        "--high-contrast", action="store_true", help="the replay screen in high contrast"
    )
    p.add_argument("--board", action="store_true", help="print the board after each turn")
    p.add_argument(
        "--step",
        action="store_true",
        help="interactive: Enter for the next record, b for the one before, a number to jump "
        "there, q to stop",
    )
    p.add_argument(
        "--branch",
        type=int_between(0),
        default=None,
        metavar="N",
        help="start a new journal from record N (continue it with play --continue)",
    )
    p.add_argument(
        "--salvage",
        action="store_true",
        help="open the intact part of a save that fails verification, read-only",
    )
    p.add_argument(
        "--saves",
        type=Path,
        default=Path("saves"),
        metavar="DIR",
        help="saves folder: the latest save in it is replayed when SAVE is not given, and a "
        "branch is written there (default: ./saves)",
    )
    p.set_defaults(run=run)


def board(st: State) -> list[str]:
    """A compact text board: turn, scores, tracks, and countries by status."""
    from wargame.facilitation.text import role_name, status_text

    t = st.tables
    out = [
        f"— Turn {min(st.turn, t.turns)} ({st.year}), {st.phase}"
        + (" — game over" if st.over else "")
    ]
    seated = [r for r in t.roles if st.present[r.index]]
    out.append(
        "  VP: " + ", ".join(f"{role_name(t, r.index)} {sum(st.vp[r.index])}" for r in seated)
    )
    out.append(
        "  Influence: "
        + ", ".join(f"{role_name(t, r.index)} {st.influence[r.index]}" for r in seated)
    )
    out.append(
        "  Tracks: "
        + ", ".join(
            f"{tr.name} {v}/{tr.max}" for tr, v in zip(t.scenario.tracks, st.tracks, strict=True)
        )
    )
    groups: dict[str, list[str]] = {}
    for c in range(len(t.countries)):
        name = t.country_names[c]
        held = st.alliances(c)
        if len(held) == 1 and t.alliances_per_country == 1:
            name += f" [alliance {held[0][1]}]"
        elif held:  # where a country may hold several, say with whom even for one
            name += " [alliances: " + ", ".join(f"{t.power_names[p]} {v}" for p, v in held) + "]"
        groups.setdefault(status_text(st, c), []).append(name)
    for label in sorted(groups):
        out.append(f"  {label}: {', '.join(groups[label])}")
    if st.bridges:
        names = t.scenario.institutions
        out.append(
            "  Bridges: "
            + ", ".join(f"{names[a].name} – {names[b].name}" for a, b in sorted(st.bridges))
        )
    return out


def entry_lines(e: Entry, *, time: str = "") -> list[str]:
    """One entry as the text timeline prints it: its number and line, then why and what it
    did, indented."""
    when = f" {time}" if time else ""
    mark = " (later taken back)" if e.undone else ""
    out = [f"[{e.record:>4}]{when} {e.text}{mark}"]
    if e.reason and e.kind != "note":
        label = "why" if e.kind in ("order", "commit") else "reason"
        out.append(f"{INDENT}{label}: {e.reason}")
    out.extend(f"{INDENT}{line}" for line in e.effects)
    return out


def timeline(
    d: Debrief, entries: list[Entry], *, last: int, first: int = 1, boards: bool = False
) -> list[str]:
    """The timeline of `entries` up to record `last` (from record `first`), with headers;
    `boards` adds the board at the end of each turn."""
    from wargame.facilitation import story
    from wargame.facilitation.debrief import blocks
    from wargame.facilitation.room import turn_header

    out: list[str] = []
    shown = [e for e in entries if e.record <= last]
    for block in blocks(shown):
        if all(e.record < first for e in block.entries):
            continue
        if block.first_of_turn:
            out.append("")
            out.append(turn_header(d.tables, block.turn))
            out.extend(f"{INDENT}{line.strip()}" for line in block.opening if line.strip())
        out.append(f"── {block.phase} ──")
        for e in block.entries:
            if e.record >= first:
                out.extend(entry_lines(e, time=_time(d, e.record)))
                if boards and e.checkpoint == "turn" and not e.undone:
                    out.extend(board(story.end_of_turn(d.step_of(e.record))))
    return out


def _shown_last(lines: list[str], board_lines: list[str]) -> bool:
    """With --board: whether the last board the timeline printed is this one (its heading
    aside), so that the end of the game is not printed twice when only notes followed."""
    heads = [i for i, line in enumerate(lines) if line.startswith("— ")]
    if not heads:
        return False
    at = heads[-1] + 1
    return lines[at : at + len(board_lines) - 1] == board_lines[1:]


def _time(d: Debrief, record: int) -> str:
    times = d.loaded.times
    return times[record - 1][11:19] if 0 < record <= len(times) else ""


ReplayScreen = Callable[["Debrief", argparse.Namespace], int]


def replay_screen() -> ReplayScreen | None:
    """The interactive replay screen `wargame replay SAVE` opens (without `--text`), or None
    when there is no terminal to show it in (`wargame replay SAVE | less`) or the terminal UI
    is not installed: then the text timeline is printed. This is the one seam the screen
    plugs into."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    try:
        import wargame.tui.app  # noqa: F401
    except ImportError:
        return None
    return open_screen


def open_screen(d: Debrief, args: argparse.Namespace) -> int:
    """The replay screen on a save already loaded, at `--to`, as `--viewpoint` saw it and
    through `--only`."""
    from wargame.facilitation.launch import Options
    from wargame.tui.app import WargameApp

    app = WargameApp(
        Options(
            saves=args.saves,
            replay=d.path,
            replay_at=args.to,
            replay_view=args.viewpoint or "",
            replay_only=args.only or "",
            high_contrast=bool(getattr(args, "high_contrast", False)),
        ),
        debrief=d,
    )
    rc = app.run()
    if app.exit_message:
        print(app.exit_message, file=sys.stderr if rc else sys.stdout)
    return int(rc or 0)


def run(args: argparse.Namespace) -> int:
    from wargame import journal
    from wargame.commands.common import UsageError, latest_journal, readable_file, writable_folder
    from wargame.errors import JournalError, WargameError
    from wargame.facilitation.debrief import FILTERS, Debrief
    from wargame.shell import resume_command

    if args.save is None:
        args.save = latest_journal(args.saves)
    readable_file(args.save)
    if args.branch is not None:
        writable_folder(args.saves)
    try:
        d = Debrief.open(args.save, salvage=args.salvage)
    except JournalError as exc:
        if exc.problem.line >= 2 and not args.salvage:
            raise WargameError(
                f"{exc}; to debrief the records before that line, read-only, add --salvage"
            ) from None
        raise
    roles = [r.id for r in d.tables.roles]
    if args.viewpoint is not None and args.viewpoint not in roles:
        raise UsageError(
            f"--viewpoint: unknown role {args.viewpoint!r} (roles: {', '.join(roles)})"
        )
    for part in (args.only or "").split(","):
        if args.only is not None and part.strip() not in (*FILTERS, *roles):
            choices = ", ".join([*FILTERS, *roles])
            raise UsageError(f"--only: {part.strip()!r} is not one of {choices}")
    if args.branch is not None:
        if d.read_only:
            raise WargameError("a save opened with --salvage cannot be branched")
        if args.branch > d.records:
            raise WargameError(f"--branch must be between 0 and {d.records}")
        _, writer = journal.branch(d.loaded, args.branch, args.saves)
        writer.close()
        if writer.problem:
            raise WargameError(writer.problem)
        print(f"Branched from record {args.branch} of {args.save.name}: {writer.path}")
        print(f"Continue it with: {resume_command(writer.path, args.saves)}")
        return 0
    last = d.records if args.to is None else args.to
    if not 0 <= last <= d.records:
        raise WargameError(f"--to must be between 0 and {d.records}")
    text_only = args.text or args.step or args.board or args.all or args.start != 1
    if not text_only:
        screen = replay_screen()
        if screen is not None:
            return screen(d, args)
    return print_text(d, args, last)


def print_text(d: Debrief, args: argparse.Namespace, last: int) -> int:
    """`wargame replay --text`: the header, the timeline, the board at the end, the turning
    points and the story."""
    from wargame.facilitation.text import role_name
    from wargame.observe import FACILITATOR

    if d.banner:
        print(f"warning: {d.banner}", file=sys.stderr)
    h = d.header
    t = d.tables
    viewpoint = args.viewpoint or FACILITATOR
    seats = ", ".join(
        f"{role_name(t, r.index)}: {h.seats[r.id].describe()}" for r in t.roles if r.id in h.seats
    )
    print(f"{t.scenario.title} — seed {h.seed}, started {h.started}")
    print(f"Seats: {seats}")
    if h.parent:
        print(f"Branched from {h.parent['file']} at record {h.parent['record']}")
    if viewpoint != FACILITATOR:
        who = role_name(t, t.role_index[viewpoint])
        print(f"As {who} saw it: the other teams' orders appear only once revealed.")
    if args.only:
        print(f"Only: {args.only}")
    if args.only:
        entries = d.only(args.only, viewpoint)
    else:
        entries = [e for e in d.visible(viewpoint) if args.all or not e.noise]
    if args.step:
        return _step_through(d, entries, last, args.start)
    lines = timeline(d, entries, last=last, first=args.start, boards=args.board)
    print("\n".join(lines))
    end = d.view_at(last, viewpoint)
    final = board(end)
    if not (args.board and _shown_last(lines, final)):
        print()
        print("\n".join(final))
    points = [p for p in d.turning_points() if p.record <= last]
    if points:
        print("\nTurning points (replay --to N shows the board there):")
        for p in points:
            print(f"  [{p.record:>4}] {p.line}")
    lines = d.story(last)
    if lines:
        print("\nThe story of the game so far:" if not end.over else "\nThe story of the game:")
        print("\n".join(f"  • {line}" for line in lines))
    return 0


def _step_through(d: Debrief, entries: list[Entry], last: int, first: int) -> int:
    """`--step`: one record at a time. Enter for the next, `b` for the one before, a number
    to jump to that record, `q` to stop."""
    shown = [e for e in entries if first <= e.record <= last]
    k = 0
    while 0 <= k < len(shown):
        print("\n".join(entry_lines(shown[k], time=_time(d, shown[k].record))))
        try:
            answer = input("(Enter: next · b: back · N: record N · q: quit) ").strip().lower()
        except EOFError:
            break
        if answer == "q":
            break
        if answer == "b":
            k = max(0, k - 1)
        elif answer.isdigit():
            want = int(answer)
            k = next((j for j, e in enumerate(shown) if e.record >= want), len(shown) - 1)
        else:
            k += 1
    return 0
