"""The journal: a session's save, as a header plus an append-only, hash-chained log of actions.

Line 1 is the header (format version, engine version, the whole scenario and decks, seed, seats,
start time, and for a branch its parent and the actions before the branch point). Each following
line is one action with its wall-clock time, the hash of the state after it, the previous line's
hash and its own. Each append is flushed and fsync'd before the action counts as done.

Loading verifies the chain and replays every record, comparing state hashes: an edited,
reordered or foreign line, an unknown format, or a divergent replay is refused with the line
number and the reason. A truncated last line (a crash mid-write) is reported, and the session
can continue from the last whole record.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wargame import __version__
from wargame.actions import Action, action_from_dict, to_dict
from wargame.engine import Session
from wargame.errors import JournalError, JournalProblem, WargameError
from wargame.seats import Seats, present_of, seats_from_json, seats_to_json
from wargame.state import State
from wargame.tables import Tables, compile_scenario

FORMAT = "wargame-journal"
VERSION = 2
"""Format 2 records `State.digest` version 2 (canonical JSON); format 1 recorded version 1
(marshal), and still loads: a record's state hash is checked with its header's version."""
READS = (1, 2)


def _canon(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _hash(obj: dict[str, Any]) -> str:
    body = {k: v for k, v in obj.items() if k != "hash"}
    return hashlib.blake2b(_canon(body).encode(), digest_size=16).hexdigest()


def _header_hash(rec: dict[str, Any]) -> tuple[str, str]:
    """The header's own hash and its scenario's. The scenario is hashed separately so that the
    compiled rules can be cached by content (many saves share one scenario)."""
    scen = hashlib.blake2b(_canon(rec.get("scenario")).encode(), digest_size=16).hexdigest()
    body = {k: v for k, v in rec.items() if k not in ("hash", "scenario")}
    body["scenario"] = scen
    return _hash(body), scen


_TABLES_CACHE: dict[str, Tables] = {}


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
        rec["hash"] = _header_hash(rec)[0]
        return rec


class JournalWriter:
    """The Session's sink: appends one record per action, durably, before it counts."""

    def __init__(
        self,
        path: Path,
        header: Header | None = None,
        *,
        last_hash: str = "",
        seq: int = 0,
        version: int = VERSION,
    ) -> None:
        self.path = Path(path)
        if header is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            rec = header.to_record()
            self._fh = open(self.path, "x", encoding="utf-8")
            self._write(rec)
            self.last_hash = rec["hash"]
            self.seq = 0
            self.version = header.version
        else:
            self._fh = open(self.path, "a", encoding="utf-8")
            self.last_hash = last_hash
            self.seq = seq
            self.version = version

    def _write(self, rec: dict[str, Any]) -> None:
        self._fh.write(_canon(rec) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

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
        self._write(rec)
        self.last_hash = rec["hash"]

    def close(self) -> None:
        self._fh.close()


def tables_from_header(scenario: dict[str, Any]) -> Tables:
    from pydantic import ValidationError

    from wargame.schema.scenario import Scenario

    try:
        scen = Scenario.model_validate(scenario)
    except ValidationError as exc:
        raise WargameError(f"the embedded scenario is invalid: {exc.errors()[0]['msg']}") from None
    return compile_scenario(scen)


def build_session(header: Header, tables: Tables | None = None, *, narrate: bool = True) -> Session:
    """A Session at the start of the journal: the scenario's first position, then the prefix
    actions of a branch."""
    tables = tables or tables_from_header(header.scenario)
    session = Session(
        tables,
        seed=header.seed,
        present=tuple(header.present),
        facilitated=header.facilitated,
        auto_chance=False,
        narrate=narrate,
    )
    for i, data in enumerate(header.prefix):
        try:
            session.step(action_from_dict(data))
        except WargameError as exc:
            raise WargameError(f"branch prefix action {i + 1}: {exc}") from None
    return session


@dataclass
class Loaded:
    """A verified journal, replayed into a Session positioned after its last whole record."""

    path: Path
    header: Header
    session: Session
    records: int
    last_hash: str
    truncated: str | None = None
    """Why the last line was ignored (a crash mid-write), if it was."""
    times: list[str] = field(default_factory=list)
    whole_bytes: int = 0
    """Length of the file up to and including the last whole record."""
    problem: str | None = None
    """With `load(..., salvage=True)`: why the records after `records` were not loaded (the
    first bad line and its reason), or None when the whole save verified."""


def _problem(path: Path, line: int, reason: str) -> JournalError:
    return JournalError(JournalProblem(str(path), line, reason))


def _parse_header(path: Path, raw: str) -> tuple[str, Header]:
    try:
        rec = json.loads(raw)
    except ValueError:
        raise _problem(path, 1, "the header is not valid JSON") from None
    if not isinstance(rec, dict) or rec.get("format") != FORMAT:
        raise _problem(path, 1, "not a wargame journal (no header)")
    if rec.get("version") not in READS:
        raise _problem(
            path,
            1,
            f"unknown journal format version {rec.get('version')!r} "
            f"(this engine reads versions {', '.join(map(str, READS))})",
        )
    digest, scen_hash = _header_hash(rec)
    if rec.get("hash") != digest:
        raise _problem(path, 1, "the header has been edited (its hash does not match)")
    try:
        return scen_hash, Header(
            scenario=rec["scenario"],
            seed=int(rec["seed"]),
            seats=seats_from_json(rec["seats"]),
            present=list(rec["present"]),
            facilitated=bool(rec["facilitated"]),
            started=rec["started"],
            parent=rec.get("parent"),
            prefix=list(rec.get("prefix") or []),
            engine=rec.get("engine", "?"),
            settings=dict(rec.get("settings") or {}),
            version=int(rec["version"]),
        )
    except (KeyError, TypeError, ValueError, WargameError) as exc:
        raise _problem(path, 1, f"the header is missing or mangles a field ({exc})") from None


def load(
    path: str | Path,
    *,
    tables: Tables | None = None,
    narrate: bool = True,
    salvage: bool = False,
) -> Loaded:
    """Verify and replay a journal. Raises JournalError naming the first bad line. `narrate`
    keeps each step's narrative for a debrief; plain verification skips it.

    With `salvage`, a bad record past the header does not raise: the records before it are
    returned, read for a debrief only, with `problem` naming the line and the reason (a bad
    header still raises: there is nothing to show without it)."""
    try:
        return _load(Path(path), tables, narrate)
    except JournalError as exc:
        if not salvage or exc.problem.line < 2:
            raise
        loaded = _load(Path(path), tables, narrate, stop=exc.problem.line)
        loaded.problem = f"line {exc.problem.line}: {exc.problem.reason}"
        return loaded


def _load(path: Path, tables: Tables | None, narrate: bool, stop: int = 0) -> Loaded:
    """`load`, reading only the lines before line `stop` when it is given."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _problem(path, 0, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _problem(path, 1, "not a text file (invalid UTF-8)") from None
    lines = text.split("\n")
    ends_clean = text.endswith("\n")
    if ends_clean:
        lines.pop()
    if stop:
        lines, ends_clean = lines[: stop - 1], True
    if not lines or not lines[0].strip():
        raise _problem(path, 1, "empty file")
    scen_hash, header = _parse_header(path, lines[0])
    if tables is None:
        tables = _TABLES_CACHE.get(scen_hash)
    try:
        if tables is None:
            tables = tables_from_header(header.scenario)
            if len(_TABLES_CACHE) >= 8:
                _TABLES_CACHE.pop(next(iter(_TABLES_CACHE)))
            _TABLES_CACHE[scen_hash] = tables
        session = build_session(header, tables, narrate=narrate)
    except WargameError as exc:
        raise _problem(path, 1, str(exc)) from None
    prev = json.loads(lines[0])["hash"]
    truncated = None
    whole = len(lines[0].encode()) + 1
    times: list[str] = []
    count = 0
    for i, raw in enumerate(lines[1:], start=2):
        last = i == len(lines)
        try:
            rec = json.loads(raw)
            if not isinstance(rec, dict):
                raise ValueError
        except ValueError:
            if last and not ends_clean:
                truncated = (
                    f"line {i} is incomplete (the session stopped mid-write); "
                    f"continuing from record {count}"
                )
                break
            raise _problem(path, i, "not a valid record (malformed JSON)") from None
        if last and not ends_clean:
            # A whole JSON object without its newline: accept it, the write completed.
            pass
        if rec.get("hash") != _hash(rec):
            raise _problem(path, i, "the record has been edited (its hash does not match)")
        if rec.get("prev") != prev:
            raise _problem(
                path,
                i,
                "the hash chain is broken (a line was removed, inserted or "
                "reordered before this one)",
            )
        if rec.get("seq") != count + 1:
            raise _problem(
                path, i, f"record number {rec.get('seq')!r} where {count + 1} was expected"
            )
        try:
            action = action_from_dict(rec.get("action"))
            session.step(action)
        except WargameError as exc:
            raise _problem(path, i, f"the action cannot be replayed: {exc}") from None
        if session.state.digest(header.version) != rec.get("state"):
            raise _problem(
                path,
                i,
                "the replayed state differs from the recorded one (the "
                "journal was made by different rules or was tampered with)",
            )
        prev = rec["hash"]
        times.append(str(rec.get("time", "")))
        count += 1
        whole += len(raw.encode()) + 1
    return Loaded(path, header, session, count, prev, truncated, times, whole)


def resume(path: str | Path) -> tuple[Loaded, JournalWriter]:
    """Load a journal and reopen it for appending; a truncated tail is cut off first, so the
    journal continues from the last whole record."""
    loaded = load(path)
    if loaded.truncated is not None or loaded.path.stat().st_size != loaded.whole_bytes:
        with open(loaded.path, "r+b") as fh:
            fh.truncate(loaded.whole_bytes)
            fh.flush()
            os.fsync(fh.fileno())
    writer = JournalWriter(
        loaded.path, last_hash=loaded.last_hash, seq=loaded.records, version=loaded.header.version
    )
    loaded.session.sink = writer
    loaded.session.auto_chance = True
    return loaded, writer


def new_journal_path(saves: Path, scenario_id: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    base = saves / f"{stamp}-{scenario_id}"
    path = base.with_suffix(".jsonl")
    n = 2
    while path.exists():
        path = Path(f"{base}-{n}.jsonl")
        n += 1
    return path


def start(
    tables: Tables,
    *,
    seed: int,
    seats: Seats,
    facilitated: bool,
    saves: Path | None,
    settings: dict[str, Any] | None = None,
) -> tuple[Session, JournalWriter | None]:
    """A new Session, journaled to a new file under `saves` (or not journaled when None)."""
    present = present_of(tables, seats)
    session = Session(tables, seed=seed, present=present, facilitated=facilitated)
    writer = None
    if saves is not None:
        header = Header(
            scenario=tables.scenario.model_dump(mode="json"),
            seed=seed,
            seats=seats,
            present=list(present),
            facilitated=facilitated,
            settings=settings or {},
        )
        writer = JournalWriter(new_journal_path(saves, tables.scenario.id), header)
        session.sink = writer
    session.settle()
    return session, writer


def branch(
    loaded: Loaded, record: int, saves: Path, *, seats: Seats | None = None
) -> tuple[Session, JournalWriter]:
    """A new journal that starts where record `record` of `loaded` left the game; its header
    names the parent journal and record and carries the actions before it. `seats` chooses
    who plays from there (default: the parent's seats); who is present cannot change."""
    if not 0 <= record <= loaded.records:
        raise WargameError(f"record {record} is outside 0..{loaded.records}")
    # A branch of a branch: its session's steps start with the inherited ones.
    first = len(loaded.header.prefix)
    actions = [to_dict(s.action) for s in loaded.session.steps[first : first + record]]
    header = Header(
        scenario=loaded.header.scenario,
        seed=loaded.header.seed,
        seats=loaded.header.seats if seats is None else seats,
        present=loaded.header.present,
        facilitated=loaded.header.facilitated,
        parent={
            "file": loaded.path.name,
            "record": record,
            "hash": loaded.header.to_record()["hash"],
        },
        prefix=loaded.header.prefix + actions,
        settings=loaded.header.settings,
    )
    session = build_session(header, loaded.session.tables)
    writer = JournalWriter(new_journal_path(saves, session.tables.scenario.id + "-branch"), header)
    session.sink = writer
    session.auto_chance = True
    session.seed = header.seed
    return session, writer
