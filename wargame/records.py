"""The journal's lines as they are written: the header, each record's hash, the keyed seal, and
the writer that appends them durably.

Every line is canonical JSON (`savefile.canonical`); a record's `hash` covers every field but
itself and its `seal`, and its `prev` names the line before, so the lines form a chain. The
writer fsyncs each record before the action counts; when the disk refuses, records wait in
memory (`JournalWriter.problem`) and are written once it takes them. Reading is
`wargame.journal`'s business.
"""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wargame import __version__, atomic, savefile
from wargame.actions import Action, to_dict
from wargame.seats import Seats, seats_to_json
from wargame.state import State

FORMAT = "wargame-journal"
VERSION = 2
"""Format 2 records `State.digest` version 2 (canonical JSON); format 1 recorded version 1
(marshal), and still loads: a record's state hash is checked with its header's version."""
READS = (1, 2)


_canon = savefile.canonical
_UNHASHED = ("hash", "seal")
"""A line's own hash and its keyed seal (`wargame.savefile.seal_of`, itself a MAC of the
hash) are not part of what the hash covers."""


def _hash(obj: dict[str, Any]) -> str:
    body = {k: v for k, v in obj.items() if k not in _UNHASHED}
    return hashlib.blake2b(_canon(body).encode(), digest_size=16).hexdigest()


def _header_hash(rec: dict[str, Any]) -> tuple[str, str]:
    """The header's own hash and its scenario's. The scenario is hashed separately so that the
    compiled rules can be cached by content (many saves share one scenario)."""
    scen = hashlib.blake2b(_canon(rec.get("scenario")).encode(), digest_size=16).hexdigest()
    body = {k: v for k, v in rec.items() if k not in (*_UNHASHED, "scenario")}
    body["scenario"] = scen
    return _hash(body), scen


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class Header:
    scenario: dict[str, Any]
    seed: int
    seats: Seats
    present: list[bool]
    facilitated: bool
    started: str = field(default_factory=now)
    parent: dict[str, Any] | None = None
    prefix: list[dict[str, Any]] = field(default_factory=list)
    engine: str = __version__
    settings: dict[str, Any] = field(default_factory=dict)
    """Shell settings worth keeping (phase timer, turns chosen at setup)."""
    version: int = VERSION
    """The journal format; it selects the state digest (see VERSION)."""
    sealed: str = ""
    """The id of the key every line is sealed with (`savefile.seal_id`), or "" for a save
    without a seal. Written only when set, so that older headers keep their hash."""

    def to_record(self) -> dict[str, Any]:
        rec = {
            "kind": "header",
            "format": FORMAT,
            "version": self.version,
            "engine": self.engine,
            "scenario": self.scenario,
            "seed": self.seed,
            "seats": seats_to_json(self.seats),
            "present": self.present,
            "facilitated": self.facilitated,
            "started": self.started,
            "parent": self.parent,
            "prefix": self.prefix,
            "settings": self.settings,
        }
        if self.sealed:
            rec["sealed"] = self.sealed
        rec["hash"] = _header_hash(rec)[0]
        return rec


def describe_os_error(path: Path, exc: OSError) -> str:
    """A failed save in words a user can act on, naming the file."""
    where = Path(exc.filename) if exc.filename else path
    code = exc.errno
    if code == errno.ENOSPC or code == errno.EDQUOT:
        why = "the disk is full"
    elif code == errno.EROFS:
        why = "the disk is read-only"
    elif code in (errno.EACCES, errno.EPERM):
        why = "permission denied"
    elif code == errno.ENOTDIR:
        why = "a file stands where a folder should be"
    elif code == errno.EIO:
        why = "the disk reported an input/output error"
    elif code == errno.EEXIST:
        why = "a file with that name already exists"
    else:
        why = exc.strerror or type(exc).__name__
    return f"cannot save to {where}: {why}"


class JournalWriter:
    """The Session's sink: appends one record per action, durably, before it counts.

    When the disk refuses (full, read-only, failing, a folder that cannot be created), the
    record is kept in memory, `problem` says why in words naming the file, and every later
    append (or `retry`) tries again: the game goes on and the save catches up once the disk
    takes it. Nothing already written is touched: bytes a failed write may have left are cut
    back to the last whole record before the next try. A new save's header appears whole or
    not at all (`atomic.create`), so a full disk never leaves a partial header behind.
    """

    def __init__(
        self,
        path: Path,
        header: Header | None = None,
        *,
        last_hash: str = "",
        seq: int = 0,
        version: int = VERSION,
        seal_key: bytes | None = None,
    ) -> None:
        self.path = Path(path)
        self.seal_key = seal_key
        self.problem: str | None = None
        """Why the latest records are not on disk yet, or None when everything is saved."""
        self._pending: list[bytes] = []
        self._fd: int | None = None
        self._durable = 0
        self._dirty = False
        self._header_line: bytes | None = None
        self._closed = False
        if header is not None:
            if seal_key is not None:
                header.sealed = savefile.seal_id(seal_key)
            rec = header.to_record()
            self._seal(rec)
            self._header_line = (_canon(rec) + "\n").encode()
            self.last_hash = rec["hash"]
            self.seq = 0
            self.version = header.version
            self._flush()
        else:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0))
            self._durable = os.fstat(self._fd).st_size
            self.last_hash = last_hash
            self.seq = seq
            self.version = version

    @property
    def saved(self) -> bool:
        """Every record so far is on disk."""
        return self.problem is None and not self._pending and self._fd is not None

    def _seal(self, rec: dict[str, Any]) -> None:
        if self.seal_key is not None:
            rec["seal"] = savefile.seal_of(self.seal_key, rec["hash"])

    def _flush(self) -> bool:
        if self._closed:
            return self.problem is None
        try:
            if self._fd is None:
                if self._header_line is not None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    atomic.sweep(self.path.parent)
                    atomic.create(self.path, self._header_line)
                    self._header_line = None  # on disk, whole: only opening it is left
                self._fd = os.open(
                    self.path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
                )
                self._durable = os.fstat(self._fd).st_size
            if self._pending:
                if self._dirty:
                    os.ftruncate(self._fd, self._durable)
                self._dirty = True
                data = memoryview(b"".join(self._pending))
                size = len(data)
                while data:
                    data = data[os.write(self._fd, data) :]
                os.fsync(self._fd)
                self._dirty = False
                self._durable += size
                self._pending.clear()
        except OSError as exc:
            self.problem = describe_os_error(self.path, exc)
            if self._fd is not None and self._dirty:
                try:  # cut what the failed write left; shrinking a file works on a full disk
                    os.ftruncate(self._fd, self._durable)
                    self._dirty = False
                except OSError:
                    pass  # cut before the next try instead
            return False
        self.problem = None
        return True

    def retry(self) -> bool:
        """Try again to write what the disk refused; True once everything is saved."""
        return self._flush()

    def append(self, action: Action, state: State) -> None:
        self.seq += 1
        rec = {
            "seq": self.seq,
            "time": now(),
            "action": to_dict(action),
            "state": state.digest(self.version),
            "prev": self.last_hash,
        }
        rec["hash"] = _hash(rec)
        self._seal(rec)
        self._pending.append((_canon(rec) + "\n").encode())
        self.last_hash = rec["hash"]
        self._flush()

    def close(self) -> None:
        """Write what is still pending (if the disk takes it now) and close the file."""
        if self._pending or self._fd is None:
            self._flush()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._closed = True
