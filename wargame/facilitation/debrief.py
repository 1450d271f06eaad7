"""The debrief of a saved session: its records in words, the board at any record, what each team
saw then, filters, series for charts and the turning points. Free of Textual: the replay screen,
`wargame replay --text` and `wargame report` all read this one model, so they say the same thing.

A `Debrief` is built once from a loaded journal (`journal.load`) and never changes the journal.
Positions are *cursor* numbers, counted as `wargame verify` and `wargame replay --to` count
records: 0 is the start of the save (after a branch's inherited actions), and `i` is the board
just after record `i`. Record `i` is `entries[i - 1]`.

The public API (kept stable for the front ends; new things are added, nothing renamed):

- `Debrief.open(path, salvage=False)` / `Debrief(loaded)`; `records`, `entries`, `entry(n)`,
  `problem` (why a save opened only in part), `banner` (the line to show above it),
  `read_only`, `truncated`.
- `state_at(i)`, `view_at(i, viewpoint)`, `changes_at(i)` (a `Changes`).
- `checkpoints`, `next_checkpoint(i)`, `prev_checkpoint(i)`, `first_record_of_turn(n)`,
  `turn_at(i)`, `last_turns()`, `turns()`, `summary(n)` (a turn's summary), `turn_states()`.
- `visible(viewpoint, at=None)`, `only(what, viewpoint=FACILITATOR)` (`FILTERS`), and
  `blocks(entries)`: entries grouped by turn and phase for a timeline.
- `series(per="record"|"turn")` (a `Series`), `turning_points(limit)` (see `turning.py`).
- `story(i)`: the story of the game up to cursor `i`, as the end screen of `wargame play` says it.
- `branch(record, saves, seats=None)`: a "what if" game from a record (a controller `Game`).
- `sidecar()`: the bookmarks and teaching notes beside the journal (see `bookmarks.py`).
- `compare(other)` (see `compare.py`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wargame.facilitation import story
from wargame.facilitation.entries import CHANCE, KINDS, Checkpoint, Entry, entry_of
from wargame.facilitation.history import GameHistory
from wargame.facilitation.text import role_name
from wargame.observe import FACILITATOR, view_for

if TYPE_CHECKING:
    from wargame.engine import Session, Step
    from wargame.facilitation.bookmarks import Sidecar
    from wargame.facilitation.compare import Comparison
    from wargame.facilitation.controller import Game
    from wargame.facilitation.tilemap import MapView
    from wargame.facilitation.turning import TurningPoint
    from wargame.journal import Loaded
    from wargame.seats import Seat
    from wargame.state import State
    from wargame.tables import Tables

__all__ = [
    "CHANCE",
    "FILTERS",
    "KINDS",
    "Block",
    "Changes",
    "Checkpoint",
    "Debrief",
    "Entry",
    "Series",
    "blocks",
]

FILTERS = {
    "notes": "notes only (the White Cell's and the teams')",
    "overrides": "overrides only",
    "interventions": "the White Cell's hand: notes, overrides, undos, injects and reseats",
}
"""The filters `Debrief.only` takes besides a role id (one team's orders and rationales)."""

_FILTER_KINDS = {
    "notes": {"note"},
    "overrides": {"override"},
    "interventions": {"note", "override", "undo", "inject", "reseat"},
}


@dataclass(frozen=True, slots=True)
class Changes:
    """What one record changed, for highlighting the board."""

    changes: tuple[story.Change, ...]
    """`story.diff_states` of the board before and after, largest first."""
    countries: frozenset[int]
    """Countries whose ties, alliance or status changed."""
    cells: frozenset[tuple[int, int, int]]
    """(country, power, channel) ties that changed."""
    tracks: frozenset[int]
    scores: frozenset[int]
    """Roles whose VP changed."""
    influence: frozenset[int]
    """Roles whose influence changed."""
    institutions: frozenset[int]
    """Institutions whose members, lean or bridges changed."""


@dataclass(frozen=True, slots=True)
class Series:
    """Values over time for charts: `x` are cursor numbers (per record) or turns (0 = start)."""

    per: str
    """'record' or 'turn'."""
    x: tuple[int, ...]
    vp: dict[int, tuple[int, ...]]
    """Role index → total VP (seated roles only)."""
    tracks: dict[int, tuple[int, ...]]
    """Track index → value."""
    camps: dict[int, tuple[int, ...]]
    """Power index → countries aligned with it or ambiguous (its camp, or circle of friends)."""
    names: dict[str, dict[int, str]]
    """'vp' / 'tracks' / 'camps' → index → the name a legend shows."""


@dataclass(frozen=True, slots=True)
class Block:
    """A run of entries of one turn and phase, as a timeline groups them."""

    turn: int
    year: int
    phase: str
    entries: tuple[Entry, ...]
    opening: tuple[str, ...] = ()
    """For a turn's first block: what opened the turn before anyone acted (its event and
    income), told by the record that ended the turn before."""
    first_of_turn: bool = False
    """The first block of its turn (a front end prints the turn's header above it)."""


def blocks(entries: Sequence[Entry]) -> list[Block]:
    """Entries grouped by turn and phase, in order, each turn's opening lines on its first
    block (pass the entries a front end shows: all, a viewpoint's, a filter's)."""
    openings = {e.turn + 1: e.opens for e in entries if e.opens}
    out: list[Block] = []
    run: list[Entry] = []
    for e in entries:
        if run and (e.turn, e.phase) != (run[0].turn, run[0].phase):
            out.append(_block(run, out, openings))
            run = []
        run.append(e)
    if run:
        out.append(_block(run, out, openings))
    return out


def _block(run: list[Entry], done: list[Block], openings: dict[int, tuple[str, ...]]) -> Block:
    e = run[0]
    first = not done or done[-1].turn != e.turn
    opening = openings.get(e.turn, ()) if first else ()
    return Block(e.turn, e.year, e.phase, tuple(run), opening, first)


class _Narrator(GameHistory):
    """The controller's reading half over a loaded session: the room's words for each step."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.tables = session.tables
        self._cross_key = -1
        self._cross = {}


class Debrief:
    """A loaded journal read for a debrief (see the module's docstring)."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.path: Path = loaded.path
        self.header = loaded.header
        self.session = loaded.session
        self.tables: Tables = loaded.session.tables
        self.offset = len(loaded.header.prefix)
        """Steps inherited from a parent save (a branch's prefix) come before record 1."""
        self.steps: Sequence[Step] = loaded.session.steps[self.offset :]
        self.records = len(self.steps)
        self.problem: str | None = getattr(loaded, "problem", None)
        """Why only part of the save is shown (it failed verification past this part), or
        None. A front end shows it as a banner and offers nothing that writes."""
        self.truncated: str | None = loaded.truncated
        """Why the last line was ignored (a torn write), if it was."""
        self._start = (
            loaded.session.steps[self.offset].before if self.records else loaded.session.state
        )
        self.narrator: GameHistory = _Narrator(loaded.session)
        """The room's words for each step (hidden orders counted, never named)."""
        self._reveals: dict[int, int] = {}
        self.entries: list[Entry] = [self._entry(k) for k in range(1, self.records + 1)]
        self.checkpoints: list[int] = [0] + [e.record for e in self.entries if e.checkpoint]
        """Cursor numbers where a turn or a phase begins (0, the start, first)."""
        self._series: dict[str, Series] = {}

    @classmethod
    def open(cls, path: str | Path, *, salvage: bool = False) -> Debrief:
        """Load and verify a journal for a debrief. A save that fails verification raises
        `JournalError` (line and reason), unless `salvage`: then its intact prefix opens, with
        `problem` saying why the rest is not shown."""
        from wargame import journal

        if salvage:
            return cls(journal.load(path, salvage=True))
        return cls(journal.load(path))

    @property
    def solo(self) -> bool:
        """One team of people against bots (the setting the game was played with, or else its
        seats): no White Cell, every roll stood as drawn."""
        from wargame.seats import HumanSeat

        h = self.header
        humans = sum(1 for seat in h.seats.values() if isinstance(seat, HumanSeat))
        return bool(h.settings.get("solo", humans == 1))

    @property
    def read_only(self) -> bool:
        """Nothing may be built on a save shown only in part (no branch)."""
        return self.problem is not None

    @property
    def banner(self) -> str:
        """The one line a front end shows above a save it could not open whole ('' if whole)."""
        if self.problem is not None:
            return (
                f"Read-only: this save failed verification ({self.problem}). Showing the "
                f"{self.records} records before that line; nothing can be branched from it."
            )
        if self.truncated is not None:
            return f"The last line of this save was incomplete: {self.truncated}."
        return ""

    # ------------------------------------------------------------------ positions

    def _check(self, i: int) -> None:
        if not 0 <= i <= self.records:
            raise IndexError(f"record {i} is outside 0..{self.records}")

    def state_at(self, i: int) -> State:
        """The board just after record `i` (0: the start). O(1): every step keeps its state."""
        self._check(i)
        return self.steps[i - 1].after if i else self._start

    def view_at(self, i: int, viewpoint: str = FACILITATOR) -> State:
        """The board after record `i` as `viewpoint` (a role id, or `facilitator`) saw it: its
        own hand and orders, the others' hidden (`observe.view_for`)."""
        return view_for(self.state_at(i), viewpoint)

    def entry(self, record: int) -> Entry:
        """Record `record` (from 1) in words: `entries[record - 1]`."""
        if not 1 <= record <= self.records:
            raise IndexError(f"record {record} is outside 1..{self.records}")
        return self.entries[record - 1]

    def step_of(self, record: int) -> Step:
        """The engine's step of record `record` (from 1)."""
        self._check(record)
        if record == 0:
            raise IndexError("record 0 is the start, not a record")
        return self.steps[record - 1]

    def changes_at(self, i: int) -> Changes:
        """What record `i` changed (nothing for 0)."""
        self._check(i)
        if i == 0:
            empty: frozenset[int] = frozenset()
            return Changes((), empty, frozenset(), empty, empty, empty, empty)
        a, b = self.steps[i - 1].before, self.steps[i - 1].after
        t = self.tables
        nch = t.n_channels
        countries: set[int] = set()
        cells: set[tuple[int, int, int]] = set()
        for c in range(len(t.countries)):
            if a.ties[c] != b.ties[c]:
                countries.add(c)
                for k, (x, y) in enumerate(zip(a.ties[c], b.ties[c], strict=True)):
                    if x != y:
                        cells.add((c, k // nch, k % nch))
            if a.alliances(c) != b.alliances(c):
                countries.add(c)
        insts = {
            i
            for i in range(len(t.scenario.institutions))
            if a.members[i] != b.members[i] or a.lean[i] != b.lean[i]
        }
        for x, y in a.bridges ^ b.bridges:
            insts.update((x, y))
        return Changes(
            tuple(story.diff_states(a, b)),
            frozenset(countries),
            frozenset(cells),
            frozenset(k for k, (x, y) in enumerate(zip(a.tracks, b.tracks, strict=True)) if x != y),
            frozenset(r for r in range(len(t.roles)) if sum(a.vp[r]) != sum(b.vp[r])),
            frozenset(r for r in range(len(t.roles)) if a.influence[r] != b.influence[r]),
            frozenset(insts),
        )

    def next_checkpoint(self, i: int) -> int:
        """The first checkpoint after cursor `i` (the last record when there is none)."""
        for c in self.checkpoints:
            if c > i:
                return c
        return self.records

    def prev_checkpoint(self, i: int) -> int:
        """The last checkpoint before cursor `i` (0 when there is none)."""
        for c in reversed(self.checkpoints):
            if c < i:
                return c
        return 0

    def turn_at(self, i: int) -> int:
        """The turn shown at cursor `i` (the game's last turn once it is over)."""
        st = self.state_at(i)
        return min(st.turn, self.tables.turns)

    def last_turns(self) -> int:
        """The last turn the save reaches."""
        return self.turn_at(self.records)

    def first_record_of_turn(self, n: int) -> int:
        """The cursor where turn `n` begins: 0 for the save's first turn, else the record that
        ended turn n - 1. Raises IndexError when the save never reaches turn `n`."""
        first = self._start.turn
        if n <= first:
            if n < 1:
                raise IndexError(f"there is no turn {n}")
            return 0
        for i in range(1, self.records + 1):
            st = self.steps[i - 1].after
            if st.turn >= n and not self.steps[i - 1].before.turn >= n:
                if not self.steps[i - 1].undone:
                    return i
        raise IndexError(f"this save does not reach turn {n}")

    def start_of_turn(self, n: int) -> State:
        """The board as turn `n` began: the save's start for its first turn, else the end of
        turn n - 1 (after its scoring and upkeep, before turn n's event)."""
        ends = story.crossings(self.steps)
        if n <= self._start.turn or n - 1 not in ends:
            return self._start
        return story.end_of_turn(self.steps[ends[n - 1]])

    def map_at(self, i: int, viewpoint: str = FACILITATOR) -> MapView:
        """The map at cursor `i` as `viewpoint` saw it, the moves counted from the start of
        the cursor's turn: the replay's map, which the class reads turn by turn."""
        from wargame.facilitation.tilemap import map_view

        n = self.turn_at(i)
        t = self.tables
        year = t.start_year + (n - 1) * t.years_per_turn
        return map_view(
            self.view_at(i, viewpoint),
            self.start_of_turn(n),
            f"since the start of turn {n} ({year})",
        )

    # ------------------------------------------------------------------ what was seen

    def visible(self, viewpoint: str = FACILITATOR, at: int | None = None) -> list[Entry]:
        """Every entry as `viewpoint` saw it. For a team, another team's orders and commit
        reasons appear as the room showed them before the reveal (`Entry.masked`, `hidden`);
        with `at`, those revealed by cursor `at` are shown whole."""
        if viewpoint == FACILITATOR:
            return list(self.entries)
        role = self._role(viewpoint)
        out = []
        for e in self.entries:
            if e.is_hidden_from(viewpoint, role, at):
                out.append(
                    dataclasses.replace(
                        e,
                        text=e.masked,
                        reason="",
                        details="",
                        card="",
                        targets=(),
                        outcome="",
                        chance=None,
                        hidden=True,
                    )
                )
            else:
                out.append(e)
        return out

    def only(self, what: str, viewpoint: str = FACILITATOR) -> list[Entry]:
        """Entries through a filter: a key of `FILTERS`, a role id (that team's orders,
        commits, take-backs and notes, with their rationales), or several of them joined by
        commas ('notes,overrides': either). Noise is left out. KeyError names an unknown one."""
        kinds: set[str] = set()
        roles: set[int] = set()
        for part in filter(None, (p.strip() for p in what.split(","))):
            if part in _FILTER_KINDS:
                kinds |= _FILTER_KINDS[part]
            else:
                roles.add(self._role(part))
        team = {"order", "commit", "take-back", "note"}
        return [
            e
            for e in self.visible(viewpoint)
            if not e.noise
            and (e.kind in kinds or (e.role in roles and e.kind in team and not e.hidden))
        ]

    def _role(self, role_id: str) -> int:
        r = self.tables.role_index.get(role_id)
        if r is None:
            known = ", ".join(x.id for x in self.tables.roles)
            raise KeyError(f"unknown role {role_id!r} (roles: {known})")
        return r

    # ------------------------------------------------------------------ over time

    def series(self, per: str = "record") -> Series:
        """VP per team, each track and each power's camp, per record (x = cursor 0..records)
        or per turn (x = 0 for the start, then each finished turn's end)."""
        if per not in ("record", "turn"):
            raise ValueError("per must be 'record' or 'turn'")
        cached = self._series.get(per)
        if cached is not None:
            return cached
        if per == "record":
            states = [self.state_at(i) for i in range(self.records + 1)]
            x = tuple(range(self.records + 1))
        else:
            ends = story.crossings(self.steps)
            states = [self._start] + [story.end_of_turn(self.steps[ends[n]]) for n in sorted(ends)]
            x = tuple([0, *sorted(ends)])
        out = series_of(self.tables, per, x, states)
        self._series[per] = out
        return out

    def turn_states(self) -> list[State]:
        """The start of the save, then the end of each finished turn (after its scoring and
        upkeep), then, if the last turn is unfinished, the board at the last record."""
        ends = story.crossings(self.steps)
        out = [self._start] + [story.end_of_turn(self.steps[ends[n]]) for n in sorted(ends)]
        last = self.state_at(self.records)
        if not last.over and self.records and (not ends or max(ends) < last.turn):
            out.append(last)
        return out

    def turns(self) -> list[int]:
        """The turns this save's records cover, first to last (a branch may start mid-game)."""
        return list(range(min(self._start.turn, self.tables.turns), self.last_turns() + 1))

    def summary(self, n: int) -> story.TurnSummary:
        """Turn `n`'s summary (VP this turn and what changed, largest first), as the turn
        summary screen of `wargame play` shows it (its narrative lines are left to the
        entries). A turn the save leaves unfinished is summed up to its last record."""
        if n not in self.turns():
            raise IndexError(f"this save has no turn {n}")
        ends = story.crossings(self.steps)
        if n == self.turns()[0]:
            start = self._start
        else:
            start = story.end_of_turn(self.steps[ends[n - 1]])
        end = story.end_of_turn(self.steps[ends[n]]) if n in ends else self.state_at(self.records)
        return story.turn_summary(start, end, n, [])

    def turning_points(self, limit: int = 8) -> list[TurningPoint]:
        """The records with the largest swings, each with a one-line reason (`turning.py`)."""
        from wargame.facilitation.turning import turning_points

        return turning_points(self.steps, self.state_at(self.records), limit=limit)

    def story(self, i: int | None = None) -> list[str]:
        """The story of the game up to cursor `i` (default: the end), in the words of the end
        screen of `wargame play`."""
        i = self.records if i is None else i
        self._check(i)
        steps = self.session.steps[: self.offset + i]
        end = self.state_at(i)
        return story.story(story.turn_states(steps, end), steps, end)

    # ------------------------------------------------------------------ what if / beside

    def branch(
        self, record: int, saves: Path, seats: dict[str, Seat | dict[str, str]] | None = None
    ) -> Game:
        """A new game from cursor `record`, journaled under `saves`: its header names this
        save and the record, and carries every action before it. `seats` (role id → seat,
        or its header form) chooses who plays each role from there; roles it leaves out keep
        this save's seat, and a role absent here stays absent. Note that a Reseat record
        before `record` still applies on top (it is part of the history). The game is ready
        for the play screen (`controller.Game`)."""
        from wargame import journal
        from wargame.errors import WargameError
        from wargame.facilitation.controller import Game
        from wargame.seats import AbsentSeat, as_seats, seat_of

        if self.read_only:
            raise WargameError("this save is open read-only (it failed verification)")
        self._check(record)
        chosen = {**self.header.seats, **(as_seats(seats) if seats is not None else {})}
        for r in self.tables.roles:
            absent = isinstance(seat_of(chosen, r.id), AbsentSeat)
            if absent != (not self.header.present[r.index]):
                was = "absent" if absent else "played"
                raise WargameError(
                    f"{role_name(self.tables, r.index)} was {'played' if absent else 'absent'} "
                    f"in this save, so it cannot be {was} in a branch of it"
                )
        session, writer = journal.branch(self.loaded, record, saves, seats=chosen)
        game = Game(session, writer, chosen, dict(self.header.settings))
        game.settle()
        return game

    def sidecar(self) -> Sidecar:
        """The bookmarks and teaching notes saved beside this journal (a broken sidecar is
        reported in its `problem` and starts empty)."""
        from wargame.facilitation.bookmarks import Sidecar

        return Sidecar.load(self.path, self.header.to_record()["hash"])

    def compare(self, other: Debrief) -> Comparison:
        """This save beside another that shares its start (see `compare.compare`)."""
        from wargame.facilitation.compare import compare

        return compare(self, other)

    # ------------------------------------------------------------------ entries

    def reveal_record(self, turn: int) -> int | None:
        """The record that revealed the orders of `turn`, or None (not revealed in this
        save)."""
        if turn not in self._reveals:
            i = story.reveal_index(self.steps, turn)
            self._reveals[turn] = i + 1 if i >= 0 else 0
        k = self._reveals[turn]
        return k or None

    def _entry(self, k: int) -> Entry:
        return entry_of(self, k, self.steps[k - 1])


def series_of(t: Tables, per: str, x: tuple[int, ...], states: list[State]) -> Series:
    """The chart series of a run of states (see `Series`)."""
    from wargame.compiled import ALIGNED, AMBIGUOUS
    from wargame.facilitation.text import power_name, track_name

    first = states[0]
    seated = [r for r in range(len(t.roles)) if first.present[r]]
    vp = {r: tuple(sum(st.vp[r]) for st in states) for r in seated}
    tracks = {k: tuple(st.tracks[k] for st in states) for k in range(len(t.scenario.tracks))}
    n = len(t.countries)
    camps: dict[int, list[int]] = {p: [] for p in range(len(t.powers))}
    for st in states:
        counts = [0] * len(t.powers)
        amb = 0
        for c in range(n):
            s = st.status(c)
            if s.code == ALIGNED:
                counts[s.power] += 1
            elif s.code == AMBIGUOUS:
                amb += 1
        for p in camps:
            camps[p].append(counts[p] + amb)
    names = {
        "vp": {r: role_name(t, r) for r in seated},
        "tracks": {k: track_name(t, k) for k in tracks},
        "camps": {p: power_name(t, p) for p in camps},
    }
    return Series(per, x, vp, tracks, {p: tuple(v) for p, v in camps.items()}, names)
