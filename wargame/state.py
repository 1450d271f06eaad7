"""The game state: immutable values, replaced whole, shared structurally between states.

A State is never mutated after construction: `evolve` builds a new one that shares every
unchanged field with the old. That keeps `apply` pure, makes look-ahead copies nearly free, and
lets replay compare states by hash. Everything derived from the fields (statuses, masks, legal
targets, metrics) is computed on demand and kept in the state's `Derived` object, never stored as
truth; the State alone decides what a change invalidates.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from collections.abc import Iterable
from typing import Any, Final, NamedTuple

from wargame.derived import CountryStatus, Derived, StatusSets, derive_status
from wargame.tables import ALIGNED, AMBIGUOUS, Tables

DIGEST_VERSION: Final = 2
"""The current `State.digest` scheme (see there)."""


class Item:
    """A card waiting to resolve: an order once revealed, an event, or an inject.

    A plain class rather than a NamedTuple: compiled, it is built without a Python-level
    `__new__` (one per revealed order). `astuple` gives the hashed content."""

    __slots__ = ("card", "chance", "owner", "rationale", "stage", "targets")

    owner: int
    """Role index, or -1 for an event or inject."""
    card: int
    targets: tuple[int, ...]
    rationale: str
    stage: int
    """0: not started; 1: on_play done and roll pending or drawn."""
    chance: int
    """The success chance in percent computed when the roll was called (-1 before)."""

    def __init__(
        self,
        owner: int,
        card: int,
        targets: tuple[int, ...],
        rationale: str,
        stage: int,
        chance: int,
    ) -> None:
        self.owner = owner
        self.card = card
        self.targets = targets
        self.rationale = rationale
        self.stage = stage
        self.chance = chance

    def astuple(self) -> tuple[int, int, tuple[int, ...], str, int, int]:
        return (self.owner, self.card, self.targets, self.rationale, self.stage, self.chance)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Item) and self.astuple() == other.astuple()

    def __hash__(self) -> int:
        return hash(self.astuple())

    def __repr__(self) -> str:
        return "Item(owner={}, card={}, targets={}, rationale={!r}, stage={}, chance={})".format(
            *self.astuple()
        )


class Modifier(NamedTuple):
    role: int
    tags: frozenset[int]
    chance: int
    income: int
    turns_left: int
    label: str


FIELDS: Final = (
    "turn",
    "phase",
    "step",
    "ties",
    "alliance",
    "ally",
    "also_allied",
    "members",
    "lean",
    "bridges",
    "tracks",
    "flags",
    "present",
    "influence",
    "draw",
    "hand",
    "discard",
    "removed",
    "ev_draw",
    "ev_discard",
    "ev_removed",
    "injects",
    "modifiers",
    "vp",
    "bonus",
    "reaffirmed",
    "orders",
    "committed",
    "queue",
    "pending",
    "facilitated",
    "over",
    "winner",
    "ended_by",
)
"""A position's fields, in hash order (`also_allied` is left out of the hash when empty): what
`key` hashes and what a wire format sends. Caches and the tables are not part of a position."""


class State:
    """One position of one game. Read-only by convention; build changes with `evolve`."""

    __slots__ = (*FIELDS, "_derived", "_owned", "tables")

    tables: Tables
    _owned: bool
    _derived: Derived
    turn: int
    phase: str
    step: int
    ties: tuple[tuple[int, ...], ...]
    """Per country, per power * n_channels + channel."""
    alliance: tuple[int, ...]
    """Per country: formal alliance strength (0: none)."""
    ally: tuple[int, ...]
    """Per country: the allied power, or -1."""
    also_allied: tuple[tuple[tuple[int, int], ...], ...]
    """Per country, when the scenario lets a country hold several alliances: its further
    alliances as (power, strength), in power order after the one in `ally` and `alliance`
    (which is then the one with the lowest power index). `()`, with no entry per country,
    when it allows one: the field is then left out of `key`, so the hash is the one-alliance
    scenario's as before the field existed. Read through `alliances` and `alliance_with`."""
    members: tuple[frozenset[int], ...]
    """Per institution: member entities (countries, then powers offset by n_countries)."""
    lean: tuple[tuple[int, ...], ...]
    bridges: frozenset[tuple[int, int]]
    tracks: tuple[int, ...]
    flags: frozenset[int]
    present: tuple[bool, ...]
    influence: tuple[int, ...]
    draw: tuple[tuple[int, ...], ...]
    hand: tuple[tuple[int, ...], ...]
    discard: tuple[tuple[int, ...], ...]
    removed: tuple[tuple[int, ...], ...]
    ev_draw: tuple[int, ...]
    ev_discard: tuple[int, ...]
    ev_removed: tuple[int, ...]
    injects: tuple[int, ...]
    modifiers: tuple[Modifier, ...]
    vp: tuple[tuple[int, ...], ...]
    """Per role, per completed scoring phase."""
    bonus: tuple[int, ...]
    """Per role: victory points won by effects this turn, added at the next scoring."""
    reaffirmed: frozenset[int]
    orders: tuple[tuple[tuple[int, tuple[int, ...], str], ...], ...]
    """Per role: committed orders (card, targets, rationale), hidden until the reveal."""
    committed: frozenset[int]
    queue: tuple[Item, ...]
    pending: tuple[Any, ...] | None
    """What the game waits for that is not a seat's order: ("shuffle", deck), ("roll", chance),
    or ("adjudicate", outcome, chance)."""
    facilitated: bool
    over: bool
    winner: int
    ended_by: str

    def evolve(self, **changes: Any) -> State:
        """A new state with `changes`, keeping the derived values they cannot affect. On a draft
        (see `draft`) the changes are made in place."""
        new = self.copy()
        if changes:
            for k, v in changes.items():
                setattr(new, k, v)
            new._derived = new._derived.after(changes, self.tables)
        return new

    def copy(self) -> State:
        """A new state equal to this one, sharing every field and cache (on a draft: the draft
        itself). The caller may then assign fields outside `tables.EVOLVED` (hands, piles,
        influence, orders, commitments, the queue, pending, the phase) directly, since no kept
        derived value reads them: the hottest callers (views, orders, passes, flow) do so
        rather than pay for `evolve`'s keyword dictionary and name lookups. A field of
        `EVOLVED` must go through `evolve` (or `with_countries_changed`).

        Written out field by field (tests/test_playouts.py checks every field of `FIELDS` is
        copied): this runs on every action of every simulated game, and compiled it is a few
        machine instructions per field."""
        if self._owned:
            return self
        new = State()
        new.turn = self.turn
        new.phase = self.phase
        new.step = self.step
        new.ties = self.ties
        new.alliance = self.alliance
        new.ally = self.ally
        new.also_allied = self.also_allied
        new.members = self.members
        new.lean = self.lean
        new.bridges = self.bridges
        new.tracks = self.tracks
        new.flags = self.flags
        new.present = self.present
        new.influence = self.influence
        new.draw = self.draw
        new.hand = self.hand
        new.discard = self.discard
        new.removed = self.removed
        new.ev_draw = self.ev_draw
        new.ev_discard = self.ev_discard
        new.ev_removed = self.ev_removed
        new.injects = self.injects
        new.modifiers = self.modifiers
        new.vp = self.vp
        new.bonus = self.bonus
        new.reaffirmed = self.reaffirmed
        new.orders = self.orders
        new.committed = self.committed
        new.queue = self.queue
        new.pending = self.pending
        new.facilitated = self.facilitated
        new.over = self.over
        new.winner = self.winner
        new.ended_by = self.ended_by
        new.tables = self.tables
        new._owned = False
        new._derived = self._derived
        return new

    def with_countries_changed(
        self,
        changed: Iterable[int],
        *,
        ties: tuple[tuple[int, ...], ...] | None = None,
        alliance: tuple[int, ...] | None = None,
        ally: tuple[int, ...] | None = None,
        also_allied: tuple[tuple[tuple[int, int], ...], ...] | None = None,
        reaffirmed: frozenset[int] | None = None,
    ) -> State:
        """`evolve` for changes to the ties or alliances of `changed` countries only: the derived
        status of every other country stays cached (most effects touch one or two countries).
        The fields are explicit keywords (not `evolve`'s dictionary): this runs for every tie
        effect, and compiled each becomes a direct store."""
        new = self.copy()
        if ties is not None:
            new.ties = ties
        if alliance is not None:
            new.alliance = alliance
        if ally is not None:
            new.ally = ally
        if also_allied is not None:
            new.also_allied = also_allied
        if reaffirmed is not None:
            new.reaffirmed = reaffirmed
        new._derived = new._derived.after_countries(changed)
        return new

    def recomputed(self) -> State:
        """The same position with no derived value kept: everything is computed afresh (the
        reference the kept values are tested against)."""
        new = self.copy()
        new._derived = Derived()
        return new

    def draft(self) -> State:
        """A private copy that `evolve` then changes in place, for the many small steps of one
        `rules.apply`; `seal` makes it an ordinary immutable state again. Only the function that
        made the draft may hold it, so nobody can see it change."""
        new = self.evolve()
        new._owned = True
        return new

    def seal(self) -> State:
        self._owned = False
        return self

    def is_draft(self) -> bool:
        return self._owned

    def derived(self) -> Derived:
        """This state's derived values (shared with every state of the same inputs)."""
        return self._derived

    def status_sets(self) -> StatusSets:
        """Countries by derived status and alliance as bit masks, kept up to date incrementally
        by `with_countries_changed`."""
        d = self._derived
        sets = d.sets
        if sets is None:
            sets = d.sets = StatusSets.empty(self.tables, (1 << len(self.ties)) - 1)
        dirty = sets.take_dirty() if sets.dirty else 0
        while dirty:
            low = dirty & -dirty
            c = low.bit_length() - 1
            sets.place(c, self.status(c), self.alliances(c))
            dirty ^= low
        return sets

    # ------------------------------------------------------------------ derived

    def status(self, country: int) -> CountryStatus:
        d = self._derived
        cache = d.status
        if cache is None:
            cache = d.status = [None] * len(self.ties)
        st = cache[country]
        if st is None:
            more = self.also_allied
            st = cache[country] = derive_status(
                self.tables,
                self.ties[country],
                self.ally[country],
                self.alliance[country],
                more[country] if more else (),
            )
        return st

    def alliances(self, country: int) -> tuple[tuple[int, int], ...]:
        """The country's live alliances as (power, strength), in power order."""
        p = self.ally[country]
        if p < 0 or self.alliance[country] <= 0:
            return ()
        first = ((p, self.alliance[country]),)
        more = self.also_allied
        return first + more[country] if more else first

    def alliance_with(self, country: int, power: int) -> int:
        """The strength of the country's alliance with `power` (0: none)."""
        if self.ally[country] == power:
            return max(self.alliance[country], 0)
        more = self.also_allied
        if more:
            for p, v in more[country]:
                if p == power:
                    return v
        return 0

    def reaffirm_mark(self, country: int, power: int) -> int:
        """What `reaffirmed` holds for the country's alliance with `power`: the country itself
        when it may hold one alliance (the hash of such games is unchanged), else one mark per
        (country, power), so that reaffirming one alliance does not spare the others."""
        if not self.also_allied:
            return country
        return country + len(self.ties) * (power + 1)

    def standing(self, country: int, power: int) -> int:
        return self.status(country).standing[power]

    def in_group(self, country: int, group: int) -> bool:
        powers, ambiguous = self.tables.groups[group]
        st = self.status(country)
        if st.code == ALIGNED:
            return st.power in powers
        return ambiguous and st.code == AMBIGUOUS

    def tie(self, country: int, power: int, channel: int) -> int:
        return self.ties[country][power * self.tables.n_channels + channel]

    @property
    def year(self) -> int:
        t = self.tables
        return t.start_year + (min(self.turn, t.turns) - 1) * t.years_per_turn

    def winners(self) -> frozenset[int]:
        """The roles that won by an ending rule (sudden death, or a victory at the end),
        one or several; empty when the game ended on points alone or goes on."""
        return self.tables.winners_of(self.winner)

    def total_vp(self, role: int) -> int:
        return sum(self.vp[role])

    # ------------------------------------------------------------------ identity

    def key(self) -> tuple[Any, ...]:
        """Canonical content: sets sorted so the value is the same in every process."""
        out = []
        for name in FIELDS:
            v = getattr(self, name)
            if name == "also_allied" and not v:
                continue
            if isinstance(v, frozenset):
                v = tuple(sorted(v))
            elif name == "members":
                v = tuple(tuple(sorted(m)) for m in v)
            elif name == "modifiers":
                v = tuple((m[0], tuple(sorted(m[1])), *m[2:]) for m in v)
            elif name == "queue":
                v = tuple(item.astuple() for item in v)
            out.append(v)
        return tuple(out)

    def digest(self, version: int = DIGEST_VERSION) -> str:
        """A content hash, identical in every process and Python release: the canonical JSON of
        `key` (every set sorted). `version` 1 is the hash journals of format 1 recorded, kept so
        that they still verify: it hashed `marshal` output, whose format Python may change."""
        if version == 1:
            body = marshal.dumps(self.key(), 2)
        else:
            body = json.dumps(self.key(), separators=(",", ":"), ensure_ascii=False).encode()
        return hashlib.blake2b(body, digest_size=16).hexdigest()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, State) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __repr__(self) -> str:
        return f"<State turn={self.turn} phase={self.phase} step={self.step} {self.digest()[:8]}>"


def initial_state(
    tables: Tables, present: tuple[bool, ...] | None = None, *, facilitated: bool = False
) -> State:
    """The position before turn 1: decks unshuffled in their discard piles (the first draw
    calls for a recorded shuffle), nothing committed."""
    scen = tables.scenario
    nr = len(tables.roles)
    if present is None:
        present = tuple(True for _ in range(nr))
    np_, nch = len(tables.powers), tables.n_channels
    pidx, chidx = tables.idx["power"], tables.idx["channel"]
    ties = []
    alliance = []
    ally = []
    more: list[tuple[tuple[int, int], ...]] = []
    for c in scen.countries:
        row = [tables.tie_min] * (np_ * nch)
        for p, chans in c.ties.items():
            for ch, v in chans.items():
                row[pidx[p] * nch + chidx[ch]] = min(max(v, tables.tie_min), tables.tie_max)
        ties.append(tuple(row))
        pairs = sorted(
            (pidx[a.power], min(a.strength, tables.alliance_max)) for a in c.starting_alliances()
        )
        ally.append(pairs[0][0] if pairs else -1)
        alliance.append(pairs[0][1] if pairs else 0)
        more.append(tuple(pairs[1:]))
    ent = tables.idx["entity"]
    members = tuple(frozenset(ent[m] for m in i.members) for i in scen.institutions)
    lean = tuple(
        tuple(
            min(max(i.lean.get(p, tables.lean_min), tables.lean_min), tables.lean_max)
            for p in tables.lean_sides
        )
        for i in scen.institutions
    )
    st = State()
    st.tables = tables
    st._derived = Derived()
    st._owned = False
    st.turn = 1
    st.phase = tables.phases[0]
    st.step = 0
    st.ties = tuple(ties)
    st.alliance = tuple(alliance)
    st.ally = tuple(ally)
    st.also_allied = tuple(more) if tables.alliances_per_country > 1 else ()
    st.members = members
    st.lean = lean
    st.bridges = frozenset()
    st.tracks = tuple(t.start for t in scen.tracks)
    st.flags = frozenset()
    st.present = tuple(present)
    st.influence = tuple(r.start_influence for r in tables.roles)
    st.draw = tuple(() for _ in range(nr))
    st.hand = tuple(() for _ in range(nr))
    st.discard = tuple(r.deck for r in tables.roles)
    st.removed = tuple(() for _ in range(nr))
    st.ev_draw = ()
    st.ev_discard = tables.events_deck
    st.ev_removed = ()
    st.injects = tables.inject_cards
    st.modifiers = ()
    st.vp = tuple(() for _ in range(nr))
    st.bonus = tuple(0 for _ in range(nr))
    st.reaffirmed = frozenset()
    st.orders = tuple(() for _ in range(nr))
    st.committed = frozenset()
    st.queue = ()
    st.pending = None
    st.facilitated = facilitated
    st.over = False
    st.winner = -1
    st.ended_by = ""
    return st


class AllianceEdit:
    """The alliances of some countries as one effect (or an upkeep) changes them: the lists are
    copied once, `put` sets a country's alliances, `done` makes the new state."""

    __slots__ = ("alliance", "ally", "more")

    def __init__(self, st: State) -> None:
        self.ally = list(st.ally)
        self.alliance = list(st.alliance)
        self.more: list[tuple[tuple[int, int], ...]] | None = (
            list(st.also_allied) if st.also_allied else None
        )
        """None where the scenario allows one alliance a country."""

    def put(self, country: int, pairs: Iterable[tuple[int, int]]) -> None:
        """Set the country's alliances to `pairs` (power, strength): the live ones in power
        order, the first in `ally`/`alliance`, so that equal positions hash alike."""
        live = sorted((p, v) for p, v in pairs if v > 0)
        if live:
            self.ally[country], self.alliance[country] = live[0]
        else:
            self.ally[country], self.alliance[country] = -1, 0
        if self.more is not None:
            self.more[country] = tuple(live[1:])

    def done(self, st: State, changed: Iterable[int], reaffirmed: frozenset[int]) -> State:
        return st.with_countries_changed(
            changed,
            alliance=tuple(self.alliance),
            ally=tuple(self.ally),
            also_allied=tuple(self.more) if self.more is not None else None,
            reaffirmed=reaffirmed,
        )
