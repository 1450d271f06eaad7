"""The game state: immutable values, replaced whole, shared structurally between states.

A State is never mutated after construction: `evolve` builds a new one that shares every
unchanged field with the old. That keeps `apply` pure, makes look-ahead copies nearly free, and
lets replay compare states by hash. Everything derived from ties (standing, status, groups) is
computed on demand and cached per state, never stored as truth.
"""

from __future__ import annotations

import hashlib
import marshal
from typing import Any, Final, NamedTuple

from wargame.tables import ALIGNED, AMBIGUOUS, NON_ALIGNED, Tables


class Item:
    """A card waiting to resolve: an order once revealed, an event, or an inject.

    A plain class rather than a NamedTuple: compiled, it is built without a Python-level
    `__new__` (one per revealed order). `astuple` gives the hashed content, the same tuple a
    NamedTuple gave, so state digests (and every saved journal) are unchanged."""

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


class CountryStatus:
    """A country's derived status. A plain class rather than a NamedTuple: compiled, it is built
    without a Python-level `__new__`, and statuses are re-derived after every tie change."""

    __slots__ = ("code", "power", "standing")

    code: int
    """NON_ALIGNED, ALIGNED or AMBIGUOUS."""
    power: int
    """The power a country is aligned with (the leader if ambiguous), or -1."""
    standing: tuple[int, ...]

    def __init__(self, code: int, power: int, standing: tuple[int, ...]) -> None:
        self.code = code
        self.power = power
        self.standing = standing

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, CountryStatus)
            and self.code == other.code
            and self.power == other.power
            and self.standing == other.standing
        )

    def __hash__(self) -> int:
        return hash((self.code, self.power, self.standing))

    def __repr__(self) -> str:
        return f"CountryStatus(code={self.code}, power={self.power}, standing={self.standing})"


_FIELDS: Final = (
    "turn",
    "phase",
    "step",
    "ties",
    "alliance",
    "ally",
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
"""The hashed fields, in hash order. Caches and the tables reference are not part of the state."""


class State:
    """One position of one game. Read-only by convention; build changes with `evolve`."""

    __slots__ = (*_FIELDS, "_cand", "_cmask", "_owned", "_sets", "_status", "tables")

    tables: Tables
    _owned: bool
    _status: list[CountryStatus | None] | None
    _sets: StatusSets | None
    _cand: dict[Any, Any] | None
    _cmask: dict[Any, Any] | None
    turn: int
    phase: str
    step: int
    ties: tuple[tuple[int, ...], ...]
    """Per country, per power * n_channels + channel."""
    alliance: tuple[int, ...]
    """Per country: formal alliance strength (0: none)."""
    ally: tuple[int, ...]
    """Per country: the allied power, or -1."""
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
        """A new state with `changes`; world-changing fields drop the caches that depend on them.
        On a draft (see `draft`) the changes are made in place."""
        new = self.copy()
        if changes:
            for k, v in changes.items():
                setattr(new, k, v)
            if not _WORLD.isdisjoint(changes):
                new._cand = None
                if not _COUNTRY_INPUTS.isdisjoint(changes):
                    new._cmask = None
                    if not _STATUS_INPUTS.isdisjoint(changes):
                        new._status = None
                        new._sets = None
        return new

    def copy(self) -> State:
        """A new state equal to this one, sharing every field and cache (on a draft: the draft
        itself). The caller may then assign fields that no cache depends on (hands, influence,
        orders, commitments, the queue, pending, scores) directly: the hottest callers (views,
        orders, passes) do so rather than pay for `evolve`'s keyword dictionary and name
        lookups. Any field of `_WORLD` must go through `evolve` (or `with_countries_changed`),
        which drop the caches it makes stale.

        Written out field by field (tests/test_playouts.py checks every field of `_FIELDS` is
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
        new._status = self._status
        new._sets = self._sets
        new._cand = self._cand
        new._cmask = self._cmask
        return new

    def with_countries_changed(
        self,
        changed: Any,
        *,
        ties: tuple[tuple[int, ...], ...] | None = None,
        alliance: tuple[int, ...] | None = None,
        ally: tuple[int, ...] | None = None,
        reaffirmed: frozenset[int] | None = None,
    ) -> State:
        """`evolve` for changes to the ties or alliances of `changed` countries only: the derived
        status of every other country stays cached (most effects touch one or two countries).
        The fields are explicit keywords (not `evolve`'s dictionary): this runs for every tie
        effect, and compiled each becomes a direct store."""
        old = self._status
        sets = self._sets
        new = self.copy()
        if ties is not None:
            new.ties = ties
        if alliance is not None:
            new.alliance = alliance
        if ally is not None:
            new.ally = ally
        if reaffirmed is not None:
            new.reaffirmed = reaffirmed
        new._cand = None  # ties and alliances are world and country-filter inputs
        new._cmask = None
        if old is not None:
            cache = list(old)
            for c in changed:
                cache[c] = None
            new._status = cache
            new._sets = sets.updated(changed) if sets is not None else None
        else:
            new._status = None
            new._sets = None
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

    def status_sets(self) -> StatusSets:
        """Countries by derived status and alliance as bit masks, kept up to date incrementally
        by `with_countries_changed`."""
        sets = self._sets
        if sets is None:
            sets = self._sets = StatusSets(self)
        elif sets.dirty:
            sets.clean(self)
        return sets

    # ------------------------------------------------------------------ derived

    def status(self, country: int) -> CountryStatus:
        cache = self._status
        if cache is None:
            cache = self._status = [None] * len(self.ties)
        st = cache[country]
        if st is None:
            st = cache[country] = _derive_status(self, country)
        return st

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

    def total_vp(self, role: int) -> int:
        return sum(self.vp[role])

    # ------------------------------------------------------------------ identity

    def key(self) -> tuple[Any, ...]:
        """Canonical content: sets sorted so the value is the same in every process."""
        out = []
        for name in _FIELDS:
            v = getattr(self, name)
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

    def digest(self) -> str:
        """A content hash, identical in every process: marshal format 2 writes no
        reference-count-dependent back-references, and `key` sorts every set."""
        return hashlib.blake2b(marshal.dumps(self.key(), 2), digest_size=16).hexdigest()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, State) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __repr__(self) -> str:
        return f"<State turn={self.turn} phase={self.phase} step={self.step} {self.digest()[:8]}>"


_WORLD: Final = frozenset(
    {"ties", "alliance", "ally", "members", "lean", "bridges", "tracks", "flags", "turn", "vp"}
)
"""Fields that legal target sets may depend on; changing one drops the candidate cache."""
_STATUS_INPUTS: Final = frozenset({"ties", "alliance", "ally"})
_COUNTRY_INPUTS: Final = frozenset({"ties", "alliance", "ally", "members"})
"""Fields that country filters depend on: their masks survive changes to tracks, flags, leans
and bridges, which most cards make."""
assert _STATUS_INPUTS <= _COUNTRY_INPUTS <= _WORLD  # `evolve` tests them nested


class StatusSets:
    """Countries partitioned by derived status and alliance as bit masks (bit i: country i), so
    a filter is a few integer ANDs instead of a test per country.

    Kept incrementally: a change to a few countries marks them dirty, and they are re-placed
    only when a filter next needs the sets (a country changed three times in a turn is derived
    once). Cleaning mutates the object, which is safe because every state sharing it has the
    same ties and alliances.
    """

    __slots__ = ("aligned", "allied", "allied_any", "by_code", "dirty", "groups")

    def __init__(self, st: State | None) -> None:
        self.groups: dict[int, int] = {}
        self.dirty = 0
        if st is None:
            return
        t = st.tables
        self.by_code = [0, 0, 0]
        self.aligned = [0] * len(t.powers)
        self.allied = [0] * len(t.powers)
        self.allied_any = 0
        for c in range(len(st.ties)):
            self._place(st, c)

    def _place(self, st: State, c: int) -> None:
        s = st.status(c)
        bit = 1 << c
        self.by_code[s.code] |= bit
        if s.code == ALIGNED:
            self.aligned[s.power] |= bit
        p = st.ally[c]
        if p >= 0 and st.alliance[c] > 0:
            self.allied[p] |= bit
            self.allied_any |= bit

    def updated(self, changed: Any) -> StatusSets:
        new = StatusSets(None)
        dirty = self.dirty
        for c in changed:
            dirty |= 1 << c
        new.dirty = dirty
        new.by_code = self.by_code
        new.aligned = self.aligned
        new.allied = self.allied
        new.allied_any = self.allied_any
        return new

    def clean(self, st: State) -> None:
        dirty = self.dirty
        keep = ~dirty
        self.by_code = [m & keep for m in self.by_code]
        self.aligned = [m & keep for m in self.aligned]
        self.allied = [m & keep for m in self.allied]
        self.allied_any &= keep
        self.groups = {}
        while dirty:
            low = dirty & -dirty
            self._place(st, low.bit_length() - 1)
            dirty ^= low
        self.dirty = 0

    def group(self, st: State, g: int) -> int:
        got = self.groups.get(g)
        if got is None:
            powers, ambiguous = st.tables.groups[g]
            got = 0
            for p in powers:
                got |= self.aligned[p]
            if ambiguous:
                got |= self.by_code[AMBIGUOUS]
            self.groups[g] = got
        return got


def _standing(row: tuple[int, ...], n_powers: int, weights: tuple[int, ...]) -> list[int]:
    """Each power's weighted tie sum for one country row (statuses are re-derived after every
    tie change; compiled, this is a few machine instructions per channel)."""
    nch = len(weights)
    out = []
    i = 0
    for _ in range(n_powers):
        total = 0
        for ch in range(nch):
            total += weights[ch] * row[i]
            i += 1
        out.append(total)
    return out


def _derive_status(state: State, c: int) -> CountryStatus:
    """Status from ties, by StatusRules: the leader (lowest index on a tie) is aligned if it is
    the only close power or leads the runner-up by `margin`; several close powers otherwise make
    the country ambiguous."""
    t = state.tables
    standing = _standing(state.ties[c], len(t.powers), t.channel_weights)
    ally = state.ally[c]
    if ally >= 0:
        standing[ally] += state.alliance[c] * t.alliance_weight
    strong = t.strong
    lead = 0
    best = standing[0]
    close = 1 if best >= strong else 0
    runner = -(1 << 60)
    for p in range(1, len(standing)):
        v = standing[p]
        if v >= strong:
            close += 1
        if v > best:
            runner = best
            best = v
            lead = p
        elif v > runner:
            runner = v
    if not close:
        return CountryStatus(NON_ALIGNED, -1, tuple(standing))
    if close == 1 or best - runner >= t.margin:
        return CountryStatus(ALIGNED, lead, tuple(standing))
    return CountryStatus(AMBIGUOUS, lead, tuple(standing))


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
    for c in scen.countries:
        row = [tables.tie_min] * (np_ * nch)
        for p, chans in c.ties.items():
            for ch, v in chans.items():
                row[pidx[p] * nch + chidx[ch]] = min(max(v, tables.tie_min), tables.tie_max)
        ties.append(tuple(row))
        if c.alliance is not None:
            alliance.append(min(c.alliance.strength, tables.alliance_max))
            ally.append(pidx[c.alliance.power])
        else:
            alliance.append(0)
            ally.append(-1)
    ent = tables.idx["entity"]
    members = tuple(frozenset(ent[m] for m in i.members) for i in scen.institutions)
    lean = tuple(
        tuple(
            min(max(i.lean.get(p, tables.lean_min), tables.lean_min), tables.lean_max)
            for p in tables.powers
        )
        for i in scen.institutions
    )
    st = State()
    st.tables = tables
    st._status = None
    st._sets = None
    st._cand = None
    st._cmask = None
    st._owned = False
    st.turn = 1
    st.phase = tables.phases[0]
    st.step = 0
    st.ties = tuple(ties)
    st.alliance = tuple(alliance)
    st.ally = tuple(ally)
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
