"""The saves that share a start with a given one: the second save a compare view may take.

Read from header lines only (a save's first line embeds its scenario, seed and seats), so a
folder of long saves is listed at once; the save chosen is then loaded and verified whole by
`Debrief.open`. Two saves share a start when they embed the same scenario, the same seed and
the same seated roles (`compare.shares_start` says the same of two loaded saves).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Sibling:
    """A save that shares a start with the one being replayed."""

    path: Path
    label: str
    """'game-x-branch.jsonl — a “what if” of game-x.jsonl from record 57 · 2026-03-02 09:00'."""
    related: bool
    """It is this save's parent or a branch of it (listed first)."""


def _header(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as fh:
            rec = json.loads(fh.readline())
    except (OSError, ValueError):
        return None
    return rec if isinstance(rec, dict) and rec.get("kind") == "header" else None


def _start(rec: dict[str, Any]) -> tuple[Any, Any, Any]:
    return rec.get("scenario"), rec.get("seed"), rec.get("present")


def sharing_start(path: Path, folders: Iterable[Path | None]) -> list[Sibling]:
    """Saves in `folders` (and beside `path`) that share `path`'s start, `path` itself left
    out: its parent and its branches first, then the most recently played."""
    path = Path(path)
    me = _header(path)
    if me is None:
        return []
    start = _start(me)
    mine = me.get("parent") or {}
    seen = {path.resolve()}
    found: list[tuple[bool, float, Sibling]] = []
    for folder in [path.parent, *folders]:
        if folder is None or not Path(folder).is_dir():
            continue
        for p in sorted(Path(folder).glob("*.jsonl")):
            if p.resolve() in seen:
                continue
            seen.add(p.resolve())
            rec = _header(p)
            if rec is None or _start(rec) != start:
                continue
            parent = rec.get("parent") or {}
            is_parent = p.name == mine.get("file") and rec.get("hash") == mine.get("hash")
            is_child = parent.get("file") == path.name and parent.get("hash") == me.get("hash")
            if is_parent:
                what = f"the save this one branched from (at record {mine.get('record')})"
            elif parent:
                what = f"a “what if” of {parent.get('file')} from record {parent.get('record')}"
            else:
                what = "a game from the same start"
            try:
                modified = p.stat().st_mtime
            except OSError:
                continue
            when = datetime.fromtimestamp(modified).strftime("%Y-%m-%d %H:%M")
            related = is_parent or is_child
            found.append((related, modified, Sibling(p, f"{p.name} — {what} · {when}", related)))
    found.sort(key=lambda f: (not f[0], -f[1], f[2].path.name))
    return [s for _, _, s in found]
