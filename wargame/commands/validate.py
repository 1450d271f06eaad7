"""`wargame validate PATH...`: check scenarios and decks, reporting every problem at once.

Problems print as `FILE:LINE:COL: message (key.path)` so an editor can jump to each one; a
summary of what was read follows, so a designer sees that the deck they just wrote was picked up
at all. `--json` prints one object for tools. Exit status 1 on any problem, 0 when clean.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "validate",
        help="check scenario folders (or files) and their decks; list every problem",
        description="Check each scenario folder (scenario.yaml plus deck files) or scenario "
        "file, and print every problem as FILE:LINE:COL: message.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="a scenario folder or file")
    p.add_argument("--json", action="store_true", help="print one JSON object for machines")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from wargame.errors import Problem
    from wargame.schema.loader import LoadReport, load_scenario_report

    reports: dict[str, LoadReport] = {}
    for path in args.paths:
        try:
            reports[path] = load_scenario_report(path)
        except Exception as exc:  # a loader bug must not become a traceback
            problem = Problem(path, 1, 1, "", f"internal error while loading: {exc!r}")
            reports[path] = LoadReport(None, [problem])
    ok = all(report.ok for report in reports.values())
    if args.json:
        document = {
            "ok": ok,
            "problems": [p.as_dict() for r in reports.values() for p in r.problems],
            "summary": {path: r.summary for path, r in reports.items()},
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 0 if ok else 1
    for path, report in reports.items():
        for problem in report.problems:
            print(problem.format())
        print(summary_line(path, report.summary, len(report.problems)))
    sys.stdout.flush()
    return 0 if ok else 1


def summary_line(path: str, summary: dict[str, Any], problems: int) -> str:
    """One line saying what was read, so a deck that silently failed to load would show."""
    verdict = "ok" if not problems else _count(problems, "problem")
    if not summary or (summary.get("scenario") is None and not summary.get("decks")):
        return f"{path}: {verdict}; nothing loaded"
    counts = ", ".join(
        _count(summary.get(key, 0), one, many)
        for key, one, many in (
            ("roles", "role", "roles"),
            ("countries", "country", "countries"),
            ("institutions", "institution", "institutions"),
            ("tracks", "track", "tracks"),
        )
    )
    decks = summary.get("decks", [])
    cards = f"{_count(summary.get('cards', 0), 'card')} in {_count(len(decks), 'deck')}"
    if decks:
        cards += " (" + ", ".join(_deck_words(path, d) for d in decks) + ")"
    if summary.get("loaded") is False:  # not a mapping, or not YAML at all: nothing to count
        what = f"{_within(path, summary.get('file') or path)} did not load"
        return f"{path}: {verdict} — {what}; {cards}"
    return f"{path}: {verdict} — scenario {summary.get('scenario') or '?'}: {counts}; {cards}"


def _deck_words(path: str, deck: dict[str, Any]) -> str:
    """'merchants 4', or the file's name and that it did not load (its problems say why)."""
    if deck.get("loaded") is False:
        return f"{_within(path, deck.get('file') or '?')} did not load"
    return f"{deck.get('deck') or '?'} {deck.get('cards', 0)}"


def _within(root: str, file: str) -> str:
    """A file's name below the folder the user typed, as they would look for it."""
    prefix = root.rstrip("/") + "/"
    return file[len(prefix) :] if file.startswith(prefix) else file


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
