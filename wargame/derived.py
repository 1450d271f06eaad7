"""The values a state's fields determine: derived statuses, country masks, legal targets, and
the metrics and conditions the card language asks about again and again.

A `Derived` belongs to the states that share its inputs (`State.copy` shares it); `State.evolve`
and `State.with_countries_changed` build the next one through `after` and `after_countries`,
keeping what the change cannot affect. What a value depends on is its `reads` (recorded at
compile time, see tables.py), so invalidation is decided here and nowhere else. Other modules
only add entries, for their state, to the caches the methods below hand out.

Three tiers, from the most to the least long-lived:
- statuses and status masks read `STATUS_READS` (ties and alliances);
- country masks read `Tables.mask_reads`;
- targets, card choices, metrics and conditions read `Tables.world_reads`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from wargame.tables import (
    ALIGNED,
    AMBIGUOUS,
    NON_ALIGNED,
    STATUS_READS,
    CCondition,
    CFilter,
    CMetric,
    Tables,
)


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


class Derived:
    """One state's derived values; see the module docstring for what survives which change."""

    __slots__ = (
        "_choices",
        "_conditions",
        "_masks",
        "_member_masks",
        "_metrics",
        "_rows",
        "_targets",
        "sets",
        "status",
    )

    def __init__(self) -> None:
        self.status: list[CountryStatus | None] | None = None
        """Per country, derived on demand (State.status)."""
        self.sets: StatusSets | None = None
        """Countries by status and alliance as masks (State.status_sets)."""
        self._masks: dict[CFilter, int] | None = None
        self._rows: dict[CFilter, tuple[int, ...]] | None = None
        self._member_masks: dict[int, int] | None = None
        self._targets: dict[int, tuple[int, ...]] | None = None
        self._choices: dict[int, tuple[tuple[int, ...], int]] | None = None
        self._metrics: dict[CMetric, int] | None = None
        self._conditions: dict[CCondition, bool] | None = None

    # ------------------------------------------------------------ country masks

    def masks(self) -> dict[CFilter, int]:
        """Country filter -> the matching countries as a bit mask."""
        d = self._masks
        if d is None:
            d = self._masks = {}
        return d

    def rows(self) -> dict[CFilter, tuple[int, ...]]:
        """Country filter -> the matching countries in index order."""
        d = self._rows
        if d is None:
            d = self._rows = {}
        return d

    def member_masks(self) -> dict[int, int]:
        """Institution -> its member countries as a bit mask."""
        d = self._member_masks
        if d is None:
            d = self._member_masks = {}
        return d

    # ------------------------------------------------------------ world values

    def targets(self) -> dict[int, tuple[int, ...]]:
        """Card index -> its legal targets."""
        d = self._targets
        if d is None:
            d = self._targets = {}
        return d

    def choices(self) -> dict[int, tuple[tuple[int, ...], int]]:
        """Card index -> (legal targets, number of target combinations; 0 when its
        requirements fail), for cards whose requirements are all cacheable."""
        d = self._choices
        if d is None:
            d = self._choices = {}
        return d

    def metrics(self) -> dict[CMetric, int]:
        """Cacheable metric -> its value."""
        d = self._metrics
        if d is None:
            d = self._metrics = {}
        return d

    def conditions(self) -> dict[CCondition, bool]:
        """Cacheable condition -> whether it holds."""
        d = self._conditions
        if d is None:
            d = self._conditions = {}
        return d

    # ------------------------------------------------------------ invalidation

    def after(self, changed: Collection[str], t: Tables) -> Derived:
        """The derived values still valid once the fields `changed` take new values."""
        world = not t.world_reads.isdisjoint(changed)
        country = not t.mask_reads.isdisjoint(changed)
        if not world and not country:
            return self
        new = Derived()
        if not country:
            new.status = self.status
            new.sets = self.sets
            new._masks = self._masks
            new._rows = self._rows
            new._member_masks = self._member_masks
        elif STATUS_READS.isdisjoint(changed):
            new.status = self.status
            new.sets = self.sets
        if not world:
            new._targets = self._targets
            new._choices = self._choices
            new._metrics = self._metrics
            new._conditions = self._conditions
        return new

    def after_countries(self, changed: Iterable[int]) -> Derived:
        """The derived values still valid once the ties or alliances of the `changed` countries
        take new values: every other country's status (most effects touch one or two)."""
        new = Derived()
        old = self.status
        if old is not None:
            cache = list(old)
            for c in changed:
                cache[c] = None
            new.status = cache
            sets = self.sets
            new.sets = sets.updated(changed) if sets is not None else None
        return new


class StatusSets:
    """Countries partitioned by derived status and alliance as bit masks (bit i: country i), so
    a filter is a few integer ANDs instead of a test per country.

    Kept incrementally: a change to a few countries marks them dirty, and the State re-places
    them (`take_dirty`, then `place`) only when a filter next needs the sets (a country changed
    three times in a turn is derived once). That mutates the object, which is safe because
    every state sharing it has the same ties and alliances.
    """

    __slots__ = ("aligned", "allied", "allied_any", "by_code", "dirty", "groups", "tables")

    def __init__(
        self,
        t: Tables,
        by_code: list[int],
        aligned: list[int],
        allied: list[int],
        allied_any: int,
        dirty: int,
    ) -> None:
        self.tables = t
        self.groups: dict[int, int] = {}
        self.by_code = by_code
        """Per status code."""
        self.aligned = aligned
        """Per power: the countries aligned with it."""
        self.allied = allied
        """Per power: the countries in a live alliance with it."""
        self.allied_any = allied_any
        self.dirty = dirty
        """The countries whose bits are stale."""

    @staticmethod
    def empty(t: Tables, dirty: int) -> StatusSets:
        """Sets with no country placed yet; `dirty` marks the countries to place."""
        n = len(t.powers)
        return StatusSets(t, [0, 0, 0], [0] * n, [0] * n, 0, dirty)

    def place(self, c: int, s: CountryStatus, alliances: tuple[tuple[int, int], ...]) -> None:
        """Record country `c`'s status and live alliances (its bits must be clear)."""
        bit = 1 << c
        self.by_code[s.code] |= bit
        if s.code == ALIGNED:
            self.aligned[s.power] |= bit
        for ally, _ in alliances:
            self.allied[ally] |= bit
            self.allied_any |= bit

    def updated(self, changed: Iterable[int]) -> StatusSets:
        dirty = self.dirty
        for c in changed:
            dirty |= 1 << c
        return StatusSets(
            self.tables, self.by_code, self.aligned, self.allied, self.allied_any, dirty
        )

    def take_dirty(self) -> int:
        """Clear the dirty countries' bits and return them as a mask, to be placed again."""
        dirty = self.dirty
        keep = ~dirty
        self.by_code = [m & keep for m in self.by_code]
        self.aligned = [m & keep for m in self.aligned]
        self.allied = [m & keep for m in self.allied]
        self.allied_any &= keep
        self.groups = {}
        self.dirty = 0
        return dirty

    def group(self, g: int) -> int:
        got = self.groups.get(g)
        if got is None:
            powers, ambiguous = self.tables.groups[g]
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


def derive_status(
    t: Tables,
    row: tuple[int, ...],
    ally: int,
    alliance: int,
    more: tuple[tuple[int, int], ...] = (),
) -> CountryStatus:
    """A country's status from its ties `row` and alliances (`more`: any after the first), by
    StatusRules: the leader (lowest index on a tie) is aligned if it is the only close power
    and leads the runner-up by `lone_margin`, or leads it by `margin`; several close powers
    otherwise make the country ambiguous, and a lone close power nearer than `lone_margin`
    leaves it non-aligned."""
    standing = _standing(row, len(t.powers), t.channel_weights)
    if ally >= 0:
        standing[ally] += alliance * t.alliance_weight
    for p, v in more:  # further alliances, where the scenario allows several
        standing[p] += v * t.alliance_weight
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
    if close == 1:
        if best - runner >= t.lone_margin:
            return CountryStatus(ALIGNED, lead, tuple(standing))
        return CountryStatus(NON_ALIGNED, -1, tuple(standing))
    if best - runner >= t.margin:
        return CountryStatus(ALIGNED, lead, tuple(standing))
    return CountryStatus(AMBIGUOUS, lead, tuple(standing))
