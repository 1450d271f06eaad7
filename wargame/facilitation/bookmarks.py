"""Bookmarks and teaching notes made during a debrief, kept in a sidecar file beside the journal
(`saves/X.jsonl` → `saves/X.debrief.json`).

The journal itself is never rewritten: its hash chain is the record of the game. The sidecar is
written atomically (a temporary file, fsync, rename, fsync of the folder), so a crash leaves the
old sidecar or the new one, never half of one. A sidecar that cannot be read, or that belongs to
another journal, is reported (`Sidecar.problem`) and ignored; it is never fatal, and it is only
replaced when the debrief leader saves new bookmarks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FORMAT = "wargame-debrief"
VERSION = 1

MAX_TEXT = 2000
"""The longest label or note kept (longer ones are cut)."""


def sidecar_path(journal: Path) -> Path:
    """`saves/X.jsonl` → `saves/X.debrief.json`."""
    journal = Path(journal)
    stem = journal.name[: -len(".jsonl")] if journal.name.endswith(".jsonl") else journal.name
    return journal.with_name(stem + ".debrief.json")


def atomic_write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a crash leaves either the old file or the new one."""
    from wargame import atomic

    atomic.write(path, text.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A place in the save the debrief leader wants to come back to, with an optional note."""

    record: int
    """The cursor it marks (0 = the start, i = after record i)."""
    label: str
    note: str = ""
    """A teaching note ('ask the class why the US let this alliance lapse')."""
    created: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "label": self.label,
            "note": self.note,
            "created": self.created,
        }


@dataclass
class Sidecar:
    """The bookmarks of one journal, loaded from and saved to its sidecar file."""

    path: Path
    journal_hash: str
    """The journal header's hash: a sidecar made for another journal is not used."""
    bookmarks: list[Bookmark] = field(default_factory=list)
    problem: str | None = None
    """Why the sidecar on disk was ignored (unreadable, malformed, another journal's)."""

    @classmethod
    def load(cls, journal: Path, journal_hash: str) -> Sidecar:
        path = sidecar_path(journal)
        out = cls(path, journal_hash)
        if not path.exists():
            return out
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            out.problem = f"{path.name} cannot be read ({_short(exc)}); its bookmarks are ignored"
            return out
        try:
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("not a debrief sidecar")
            if data.get("version") != VERSION:
                raise ValueError(f"unknown version {data.get('version')!r}")
            if data.get("journal") != journal_hash:
                raise ValueError("it was made for another save")
            marks = []
            for item in data.get("bookmarks", []):
                record = item["record"]
                if not isinstance(record, int) or isinstance(record, bool) or record < 0:
                    raise ValueError(f"bad record number {record!r}")
                marks.append(
                    Bookmark(
                        record,
                        str(item.get("label", ""))[:MAX_TEXT],
                        str(item.get("note", ""))[:MAX_TEXT],
                        str(item.get("created", "")),
                    )
                )
        except (KeyError, TypeError, ValueError) as exc:
            out.problem = f"{path.name} is not usable ({_short(exc)}); its bookmarks are ignored"
            return out
        out.bookmarks = sorted(marks, key=lambda b: b.record)
        return out

    def add(self, record: int, label: str, note: str = "") -> Bookmark:
        """Add a bookmark (kept in record order); call `save` to keep it."""
        mark = Bookmark(
            record,
            label.strip()[:MAX_TEXT],
            note.strip()[:MAX_TEXT],
            datetime.now(UTC).isoformat(timespec="seconds"),
        )
        self.bookmarks.append(mark)
        self.bookmarks.sort(key=lambda b: b.record)
        return mark

    def remove(self, mark: Bookmark) -> None:
        self.bookmarks.remove(mark)

    def at(self, record: int) -> list[Bookmark]:
        return [b for b in self.bookmarks if b.record == record]

    def save(self) -> None:
        """Write the sidecar atomically (OSError on a full disk or a read-only folder)."""
        data = {
            "format": FORMAT,
            "version": VERSION,
            "journal": self.journal_hash,
            "bookmarks": [b.to_json() for b in self.bookmarks],
        }
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        self.problem = None


def _short(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
