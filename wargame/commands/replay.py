"""`wargame replay SAVE`: step through a saved session for a debrief, or branch from a record.

Text mode, so a debrief leader can page it, grep it or paste it into notes: each record with its
narrative, a board summary at any record, the story of the game up to there (the same story the
end screen of `wargame play` tells), and `--branch N` to start a "what if" journal there.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wargame.state import State


def register(sub: Any) -> None:
    from wargame.commands.common import int_between

    p = sub.add_parser("replay", help="step through a saved session (debrief), or branch from it")
    p.add_argument(
        "save",
        type=Path,
        nargs="?",
        default=None,
        metavar="SAVE",
        help="a journal (default: the latest in --saves)",
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
        "--text",
        action="store_true",
        help="print the records as text instead of opening the replay screen (also when the "
        "output is not a terminal, or with --step, --board, --from or --branch)",
    )
    p.add_argument("--high-contrast", action="store_true", help="high-contrast theme")
    p.add_argument("--board", action="store_true", help="print the board after each turn")
    p.add_argument(
        "--step", action="store_true", help="interactive: Enter for the next record, q to stop"
    )
    p.add_argument(
        "--branch",
        type=int_between(0),
        default=None,
        metavar="N",
        help="start a new journal from record N (continue it with play --continue)",
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
    out.append("  Influence: " + ", ".join(f"{r.id} {st.influence[r.index]}" for r in seated))
    out.append(
        "  Tracks: "
        + ", ".join(
            f"{tr.name} {v}/{tr.max}" for tr, v in zip(t.scenario.tracks, st.tracks, strict=True)
        )
    )
    groups: dict[str, list[str]] = {}
    for c in range(len(t.countries)):
        name = t.country_names[c]
        if st.ally[c] >= 0:
            name += f" [alliance {st.alliance[c]}]"
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


def wants_screen(args: argparse.Namespace) -> bool:
    """The replay screen, unless text is asked for (or implied by a text-only option, or by
    an output that is not a terminal: `wargame replay SAVE | less`)."""
    text_only = args.text or args.step or args.board or args.branch is not None or args.start != 1
    return not text_only and sys.stdin.isatty() and sys.stdout.isatty()


def screen(args: argparse.Namespace) -> int:
    """`wargame replay SAVE`: the replay screen, at record `--to` if given."""
    from wargame.commands.common import readable_file
    from wargame.facilitation.launch import Options

    try:
        from wargame.tui.app import WargameApp
    except ImportError:  # an install without the terminal UI: the text replay
        args.text = True
        return run(args)
    save = readable_file(Path(args.save))
    app = WargameApp(
        Options(
            saves=args.saves,
            replay=save,
            replay_at=args.to,
            high_contrast=bool(args.high_contrast),
        )
    )
    rc = app.run()
    if app.exit_message:
        print(app.exit_message, file=sys.stderr if rc else sys.stdout)
    return int(rc or 0)


def run(args: argparse.Namespace) -> int:
    from wargame import journal
    from wargame.actions import describe
    from wargame.commands.common import latest_journal, writable_folder
    from wargame.errors import WargameError
    from wargame.facilitation import story
    from wargame.shell import resume_command

    if args.save is None:
        args.save = latest_journal(args.saves)
    if wants_screen(args):
        return screen(args)
    if args.branch is not None:
        writable_folder(args.saves)
    loaded = journal.load(args.save)
    session = loaded.session
    if args.branch is not None:
        if args.branch > loaded.records:
            raise WargameError(f"--branch must be between 0 and {loaded.records}")
        _, writer = journal.branch(loaded, args.branch, args.saves)
        writer.close()
        print(f"Branched from record {args.branch} of {args.save.name}: {writer.path}")
        print(f"Continue it with: {resume_command(writer.path, args.saves)}")
        return 0
    if loaded.truncated:
        print(f"warning: {loaded.truncated}", file=sys.stderr)
    last = loaded.records if args.to is None else args.to
    if not 0 <= last <= loaded.records:
        raise WargameError(f"--to must be between 0 and {loaded.records}")
    h = loaded.header
    seats = ", ".join(f"{k}: {v.describe()}" for k, v in h.seats.items())
    print(f"{session.tables.scenario.title} — seed {h.seed}, started {h.started}")
    print(f"Seats: {seats}")
    if h.parent:
        print(f"Branched from {h.parent['file']} at record {h.parent['record']}")
    offset = len(h.prefix)
    for i, step in enumerate(session.steps[offset : offset + last], start=1):
        if i < args.start:
            continue
        when = loaded.times[i - 1][11:19] if i - 1 < len(loaded.times) else ""
        print(f"[{i:>4}] {when} {describe(step.action)}")
        for line in step.log:
            print(f"         {line}")
        if args.board and step.after.turn != step.before.turn:
            print("\n".join(board(story.end_of_turn(step))))
        if args.step:
            try:
                if input().strip().lower() == "q":
                    break
            except EOFError:
                break
    end = (
        session.steps[offset + last - 1].after
        if last
        else (session.steps[offset - 1].after if offset else journal.build_session(h).state)
    )
    print("\n".join(board(end)))
    steps = session.steps[: offset + last]
    lines = story.story(story.turn_states(steps, end), steps, end)
    if lines:
        print("\nThe story of the game so far:" if not end.over else "\nThe story of the game:")
        print("\n".join(f"  • {line}" for line in lines))
    return 0
