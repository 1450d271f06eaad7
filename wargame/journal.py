"""The journal: a session's save, as a header plus an append-only, hash-chained log of actions.

Line 1 is the header (format version, engine version, the whole scenario and decks, seed, seats,
start time, and for a branch its parent and the actions before the branch point). Each following
line is one action with its wall-clock time, the hash of the state after it, the previous line's
hash and its own. Each append is flushed and fsync'd before the action counts as done
(`wargame.records` writes them; this module reads, starts, resumes and branches journals).

Loading verifies the chain and replays every record, comparing state hashes: an edited,
reordered or foreign line, an unknown format, or a divergent replay is refused with the line
number and the reason. A truncated last line (a crash mid-write) is reported, and the session
can continue from the last whole record. The bytes are read by `wargame.savefile` first,
bounded and line by line; every chance outcome is drawn again from the recorded seed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wargame import savefile
from wargame.actions import Chance, action_from_dict, to_dict
from wargame.chance import draw_outcome
from wargame.engine import Session, chance_rng, sim_chance_rng
from wargame.errors import JournalError, JournalProblem, WargameError
from wargame.pending import ChanceDue
from wargame.records import (
    FORMAT,
    READS,
    VERSION,
    Header,
    JournalWriter,
    _hash,
    _header_hash,
    describe_os_error,
    now,
)
from wargame.rules import waiting_for
from wargame.savefile import LineError, Torn
from wargame.schema.safe_text import UNSAFE_TEXT, char_problem
from wargame.seats import Seats, present_of, seats_from_json
from wargame.tables import Tables, compile_scenario

__all__ = [
    "FORMAT",
    "READS",
    "VERSION",
    "Header",
    "JournalWriter",
    "Loaded",
    "branch",
    "build_session",
    "describe_os_error",
    "load",
    "new_journal_path",
    "now",
    "resume",
    "start",
    "tables_from_header",
]

_TABLES_CACHE: dict[str, Tables] = {}


def tables_from_header(scenario: dict[str, Any]) -> Tables:
    from pydantic import ValidationError

    from wargame.schema.references import check_references
    from wargame.schema.scenario import Scenario

    try:
        scen = Scenario.model_validate(scenario)
    except ValidationError as exc:
        raise WargameError(f"the embedded scenario is invalid: {exc.errors()[0]['msg']}") from None
    # The same reference checks a deck passes at load: the engine trusts every id it reads.
    # A game may be played shorter than the scenario is written: events scheduled later never
    # come, which is no mistake in a save.
    problems = check_references(scen, shortened=True)
    if problems:
        first = problems[0]
        where = f" ({first.path})" if first.path else ""
        raise WargameError(f"the embedded scenario is invalid: {first.message}{where}")
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
    """With `load(salvage=True)`: why reading stopped before the end ("line 25: …"), or None
    when every line was sound. The session stands after the last sound record."""
    newline_owed: bool = False
    """The last whole record lacks its line end (a crash between the two): resuming adds it."""
    seal_checked: bool = False
    """Every line's seal was checked against the key given to `load`."""


def _problem(path: Path, line: int, reason: str) -> JournalError:
    return JournalError(JournalProblem(str(path), line, reason))


def _parse_header(path: Path, rec: dict[str, Any]) -> tuple[str, Header]:
    if rec.get("format") != FORMAT:
        raise _problem(path, 1, "not a wargame journal (no header)")
    if type(rec.get("version")) is not int or rec.get("version") not in READS:
        raise _problem(
            path,
            1,
            f"unknown journal format version {rec.get('version')!r} "
            f"(this engine reads versions {', '.join(map(str, READS))})",
        )
    digest, scen_hash = _header_hash(rec)
    if rec.get("hash") != digest:
        raise _problem(path, 1, "the header has been edited (its hash does not match)")
    seed = rec.get("seed")
    if type(seed) is not int or not 0 <= seed < 2**64:
        raise _problem(path, 1, f"the header's seed {seed!r} is not a whole number from 0")
    unsafe = _unsafe_text(rec.get("scenario"))
    if unsafe is not None:
        raise _problem(path, 1, f"in the embedded scenario, {unsafe}")
    sealed = rec.get("sealed", "")
    if not isinstance(sealed, str):
        raise _problem(path, 1, "the header's `sealed` field is not a key id")
    wrong = _header_shape(rec)
    if wrong is not None:
        raise _problem(path, 1, f"the header is missing or mangles a field ({wrong})")
    try:
        return scen_hash, Header(
            scenario=rec["scenario"],
            seed=seed,
            seats=seats_from_json(rec["seats"]),
            present=[bool(x) for x in rec["present"]],
            facilitated=bool(rec["facilitated"]),
            started=str(rec["started"]),
            parent=rec.get("parent"),
            prefix=list(rec.get("prefix") or []),
            engine=str(rec.get("engine", "?")),
            settings=dict(rec.get("settings") or {}),
            version=int(rec["version"]),
            sealed=sealed,
        )
    except (KeyError, TypeError, ValueError, WargameError) as exc:
        raise _problem(path, 1, f"the header is missing or mangles a field ({exc})") from None


_SETTING_TYPES: dict[str, tuple[type, ...]] = {
    "timer": (int,),
    "turns": (int,),
    "solo": (bool,),
    "confirm_bot_rolls": (bool,),
    "simulate": (dict,),
}
"""The shells' settings a header may carry, and what each must be."""


def _header_shape(rec: dict[str, Any]) -> str | None:
    """What is wrong with the shape of a header's fields that the shells read, or None."""
    present = rec.get("present")
    if not isinstance(present, list) or not all(type(x) is bool for x in present):
        return "`present` must be a list of true or false"
    if type(rec.get("facilitated")) is not bool:
        return "`facilitated` must be true or false"
    if not isinstance(rec.get("started"), str):
        return "`started` must be a time"
    parent = rec.get("parent")
    if parent is not None and not (
        isinstance(parent, dict)
        and isinstance(parent.get("file"), str)
        and type(parent.get("record")) is int
        and isinstance(parent.get("hash"), str)
    ):
        return "`parent` must name a file, a record and a hash"
    if not isinstance(rec.get("prefix", []), list):
        return "`prefix` must be a list of actions"
    settings = rec.get("settings", {})
    if not isinstance(settings, dict):
        return "`settings` must be an object"
    for key, types in _SETTING_TYPES.items():
        v = settings.get(key)
        if v is not None and (not isinstance(v, types) or (type(v) is bool) != (bool in types)):
            return f"`settings.{key}` has the wrong type"
    timer = settings.get("timer")
    if isinstance(timer, int) and not 0 <= timer <= 24 * 60:
        return "`settings.timer` is out of range"
    return None


def _unsafe_text(value: Any) -> str | None:
    """Where the embedded scenario holds a character no deck may (a control or bidi
    character) and which, as "`cards[3].title`: character …"; None when it holds none. A
    deck with one is refused at load; a save made elsewhere gets the same wall."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        where, v = stack.pop()
        if isinstance(v, str):
            m = UNSAFE_TEXT.search(v)
            if m:
                return f"`{where}`: {char_problem(m.group())}"
        elif isinstance(v, dict):
            stack.extend((f"{where}.{k}" if where else str(k), x) for k, x in v.items())
        elif isinstance(v, list):
            stack.extend((f"{where}[{i}]", x) for i, x in enumerate(v))
    return None


class _Redraw:
    """The chance outcomes a save's seed draws, to check each recorded one against.

    A game played through a Session draws record n's outcome from `chance_rng(seed, n)` (or,
    drawn again after a forced undo from the same position, the undone draw's seed); a
    game journaled by `wargame simulate` drew from one stream per game (`sim_chance_rng`),
    which its header's `settings.simulate` names."""

    def __init__(self, header: Header) -> None:
        self.seed = header.seed
        self.stream: Any = None
        sim = header.settings.get("simulate")
        if isinstance(sim, dict) and not header.prefix:
            seed, game = sim.get("seed"), sim.get("game")
            if type(seed) is int and type(game) is int and seed >= 0 and game >= 0:
                self.stream = sim_chance_rng(seed, game)

    def check(self, session: Session, action: Chance) -> str | None:
        if not isinstance(waiting_for(session.state), ChanceDue):
            return None  # the replay refuses it with the rules' own reason
        # The record number the live session seeded this draw with: its own, or that of an
        # undone draw from the same position, which a redraw repeats (`Session.draw_seq`).
        rng = self.stream if self.stream is not None else chance_rng(self.seed, session.draw_seq())
        drawn = draw_outcome(session.state, rng)
        if drawn == action:
            return None
        if isinstance(action.outcome, str) and isinstance(drawn.outcome, str):
            what = (
                f"the roll is recorded as a {action.outcome} but the save's seed draws "
                f"a {drawn.outcome}"
            )
        else:
            what = "the shuffle is recorded in another order than the save's seed draws"
        return (
            f"{what}: the outcome was edited (a facilitator's change of a roll is recorded as "
            "an override, never as another draw)"
        )


def _lines(path: Path, data: bytes) -> Any:
    try:
        yield from savefile.lines_of(data)
    except LineError as exc:
        raise _problem(path, exc.line, exc.reason) from None


def load(
    path: str | Path,
    *,
    tables: Tables | None = None,
    narrate: bool = True,
    salvage: bool = False,
    seal_key: bytes | None = None,
) -> Loaded:
    """Verify and replay a journal. Raises JournalError naming the first bad line. `narrate`
    keeps each step's narrative for a debrief; plain verification skips it.

    `salvage=True` opens the intact part of a broken save instead (read-only use, e.g. a
    debrief): everything before the first bad record, with `Loaded.problem` saying where and
    why it stopped; a bad header still raises. `seal_key` checks every line's keyed seal and
    refuses a save that is not sealed with that key."""
    path = Path(path)
    try:
        return _load(path, tables, narrate, seal_key, stop=None)
    except JournalError as exc:
        if not salvage or exc.problem.line < 2:
            raise
        loaded = _load(path, tables, narrate, seal_key, stop=exc.problem.line)
        loaded.problem = f"line {exc.problem.line}: {exc.problem.reason}"
        return loaded


def _load(
    path: Path,
    tables: Tables | None,
    narrate: bool,
    seal_key: bytes | None,
    stop: int | None,
) -> Loaded:
    try:
        data = savefile.read_bounded(path, cut=stop is not None)
    except LineError as exc:
        raise _problem(path, exc.line, exc.reason) from None
    if stop is not None:  # salvage: never parse the bad line or anything after it
        end = 0
        for _ in range(stop - 1):
            nl = data.find(b"\n", end)
            if nl < 0:
                break
            end = nl + 1
        data = data[:end]
    lines = _lines(path, data)
    first = next(lines)
    if isinstance(first, Torn):
        if not data.startswith(b'{"engine":'):
            try:  # not the start of a header: say what it is instead
                savefile.parse_line(data, 1, limit=savefile.MAX_HEADER_BYTES)
            except LineError as exc:
                raise _problem(path, 1, exc.reason) from None
        raise _problem(
            path, 1, "the header is incomplete (the session stopped while creating the save)"
        )
    scen_hash, header = _parse_header(path, first.obj)
    if not first.canonical:
        raise _problem(path, 1, savefile.NOT_CANONICAL)
    if seal_key is not None:
        if not header.sealed:
            raise _problem(path, 1, "the save is not sealed (it was played without a seal key)")
        if header.sealed != savefile.seal_id(seal_key):
            raise _problem(path, 1, "the save is sealed with another key")
        if not savefile.seal_matches(seal_key, first.obj["hash"], first.obj.get("seal")):
            raise _problem(path, 1, "the header's seal does not match (it was edited)")
    if tables is None:
        tables = _TABLES_CACHE.get(scen_hash)
    try:
        if tables is None:
            tables = tables_from_header(header.scenario)
            if len(_TABLES_CACHE) >= 8:
                _TABLES_CACHE.pop(next(iter(_TABLES_CACHE)))
            _TABLES_CACHE[scen_hash] = tables
        if len(header.present) != len(tables.roles):
            raise WargameError(
                f"the header seats {len(header.present)} roles; its scenario has "
                f"{len(tables.roles)}"
            )
        unknown = sorted(set(header.seats) - set(tables.role_index))
        if unknown:
            raise WargameError(f"the header seats unknown roles: {', '.join(unknown)}")
        session = build_session(header, tables, narrate=narrate)
    except WargameError as exc:
        raise _problem(path, 1, str(exc)) from None
    redraw = _Redraw(header)
    prev = first.obj["hash"]
    truncated = None
    whole = first.end
    newline_owed = not first.terminated
    times: list[str] = []
    count = 0
    for item in lines:
        if stop is not None and item.number >= stop:
            break
        i = item.number
        if isinstance(item, Torn):
            truncated = (
                f"line {i} is incomplete (the session stopped mid-write); "
                f"continuing from record {count}"
            )
            break
        rec = item.obj
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
        if seal_key is not None and not savefile.seal_matches(
            seal_key, rec["hash"], rec.get("seal")
        ):
            raise _problem(path, i, "the record's seal does not match (it was edited or forged)")
        try:
            action = action_from_dict(rec.get("action"))
        except WargameError as exc:
            raise _problem(path, i, f"the action cannot be replayed: {exc}") from None
        if isinstance(action, Chance):
            forged = redraw.check(session, action)
            if forged is not None:
                raise _problem(path, i, forged)
        try:
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
        whole = item.end
        newline_owed = not item.terminated
    loaded = Loaded(path, header, session, count, prev, truncated, times, whole)
    loaded.newline_owed = newline_owed
    loaded.seal_checked = seal_key is not None
    return loaded


class SealError(JournalError):
    """A sealed save continued without its key, or an unsealed one with a key."""


def resume(path: str | Path, *, seal_key: bytes | None = None) -> tuple[Loaded, JournalWriter]:
    """Load a journal and reopen it for appending; a truncated tail is cut off first, so the
    journal continues from the last whole record. A sealed save continues only with its key
    (its new records are sealed too); an unsealed one only without a key."""
    loaded = load(path, seal_key=seal_key)
    if loaded.header.sealed and seal_key is None:
        raise SealError(
            JournalProblem(
                str(loaded.path),
                1,
                "the save is sealed: continue it with the key it was sealed with (--seal-key-file)",
            )
        )
    try:
        if loaded.truncated is not None or loaded.path.stat().st_size != loaded.whole_bytes:
            with open(loaded.path, "r+b") as fh:
                fh.truncate(loaded.whole_bytes)
                fh.flush()
                os.fsync(fh.fileno())
        if loaded.newline_owed:
            with open(loaded.path, "ab") as fh:
                fh.write(b"\n")
                fh.flush()
                os.fsync(fh.fileno())
            loaded.whole_bytes += 1
            loaded.newline_owed = False
        writer = JournalWriter(
            loaded.path,
            last_hash=loaded.last_hash,
            seq=loaded.records,
            version=loaded.header.version,
            seal_key=seal_key,
        )
    except OSError as exc:
        raise WargameError(describe_os_error(loaded.path, exc)) from None
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
    seal_key: bytes | None = None,
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
        writer = JournalWriter(
            new_journal_path(saves, tables.scenario.id), header, seal_key=seal_key
        )
        session.sink = writer
    session.settle()
    return session, writer


def branch(
    loaded: Loaded,
    record: int,
    saves: Path,
    *,
    seats: Seats | None = None,
    seal_key: bytes | None = None,
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
    writer = JournalWriter(
        new_journal_path(saves, session.tables.scenario.id + "-branch"), header, seal_key=seal_key
    )
    session.sink = writer
    session.auto_chance = True
    session.seed = header.seed
    return session, writer
