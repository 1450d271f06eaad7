"""The compiled scenario: plain, index-based data for the hot path.

`tables.compile_scenario` builds it once per Scenario; the rules read nothing else. Effects,
conditions, metrics and filters are small slotted dataclasses the interpreter dispatches on by
`kind`, each carrying `reads`, the record of the State fields its value depends on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import comb
from typing import Any, Final

from wargame.schema.scenario import Scenario

NON_ALIGNED, ALIGNED, AMBIGUOUS = 0, 1, 2
STATUS_CODES: Final = {"non_aligned": NON_ALIGNED, "aligned": ALIGNED, "ambiguous": AMBIGUOUS}
STATUS_NAMES: Final = {v: k for k, v in STATUS_CODES.items()}
SELF: Final = -1
"""Role index meaning 'the role playing the card'."""
ANY: Final = -2
"""Power index meaning 'any power' (allied_with: any)."""
CHOSEN: Final = -3
"""Power index meaning 'the power the player chose as the card's target' (`power: target`)."""
EVENTS: Final = -1
"""Owner index of the event deck."""

# What the card language reads. Every compiled filter, metric and condition carries `reads`,
# the set of State fields its value depends on (plus the two pseudo-fields below); the State's
# derived-value cache (which values survive a change), `cacheable` and the bots' cache keys
# are all computed from it.
TARGETS: Final = "targets"
"""Pseudo-field: the value depends on the targets chosen for a card."""
ROLE: Final = "role"
"""Pseudo-field: the value depends on which role asks (`self`)."""
STATUS_READS: Final = frozenset({"ties", "alliance", "ally", "also_allied"})
"""What a country's derived status (and the status and alliance masks) reads."""
EVOLVED: Final = frozenset(
    {
        "turn",
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
        "vp",
        "bonus",
        "reaffirmed",
        "facilitated",
        "over",
        "winner",
        "ended_by",
    }
)
"""The State fields the rules change only through `State.evolve` (which drops the derived
values that read them). The others (hands, piles, influence, orders, the queue, the phase) are
assigned directly on a copy or a draft on the hot paths, so a value reading them is never
cached."""


@dataclass(frozen=True, slots=True, eq=False)
class CFilter:
    """Compared by identity: filters are keys of the per-state world cache."""

    ids: frozenset[int] | None = None
    exclude: frozenset[int] | None = None
    regions: frozenset[int] | None = None
    status: frozenset[int] | None = None
    aligned_with: frozenset[int] | None = None
    group: int | None = None
    not_group: int | None = None
    member_of: tuple[int, ...] | None = None
    not_member_of: tuple[int, ...] | None = None
    allied_with: int | None = None
    not_allied_with: int | None = None
    of_role: frozenset[int] | None = None
    not_of_role: frozenset[int] | None = None
    ties: tuple[tuple[int, int, int | None, int | None], ...] = ()
    """(power, channel or -1 for all, at_least, at_most)"""
    standing: tuple[tuple[int, int | None, int | None], ...] = ()
    combos: tuple[tuple[int, tuple[CFilter, ...]], ...] = ()
    """(how many must hold, the filters): `any_of` is (1, …), `all_of` (all, …), `some_of`
    (at_least, …)."""
    static: frozenset[int] | None = None
    """The countries allowed by the parts that never change (ids, exclude, region, role)."""
    static_mask: int = 0
    """`static` as a bit mask (bit i: country i), for the set-algebra fast path."""
    reads: frozenset[str] = frozenset()
    """The State fields the filter reads."""


@dataclass(frozen=True, slots=True)
class IFilter:
    ids: frozenset[int] | None = None
    exclude: frozenset[int] | None = None
    lean: tuple[tuple[int, int | None, int | None], ...] = ()
    has_member: int | None = None
    bridged: bool | None = None
    reads: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, eq=False)
class CMetric:
    """Compared by identity: metrics are keys of the per-state world cache."""

    kind: str
    a: int = 0
    """Primary index: track, power, institution, role or flag, by kind."""
    b: int = -1
    """Secondary index: channel (-1 all) or lean power, by kind."""
    filter: CFilter | None = None
    of_targets: bool = False
    flag: bool = False
    """weighted (countries), count (alliances)."""
    threshold: int = 0
    reads: frozenset[str] = frozenset()
    """The State fields (and pseudo-fields TARGETS, ROLE) the metric reads."""
    cacheable: bool = False
    """`is_cacheable(reads)`, computed once."""


@dataclass(frozen=True, slots=True, eq=False)
class CCondition:
    kind: str
    """track | flag | turn | seated | metric | all | any | not"""
    a: int = 0
    lo: int | None = None
    hi: int | None = None
    metric: CMetric | None = None
    of: tuple[CCondition, ...] = ()
    want: bool = True
    reads: frozenset[str] = frozenset()
    """The State fields (and pseudo-fields TARGETS, ROLE) the condition reads."""
    cacheable: bool = False
    """`is_cacheable(reads)`, computed once."""


@dataclass(frozen=True, slots=True)
class CEffect:
    kind: str
    delta: int = 0
    a: int = -1
    """power / track / role / institution / flag index, by kind."""
    channels: tuple[int, ...] = ()
    countries: tuple[int, ...] | None = None
    where: CFilter | None = None
    institutions: tuple[int, ...] = ()
    flag: bool = True
    tags: frozenset[int] = frozenset()
    turns: int = 0
    income: int = 0
    label: str = ""


@dataclass(frozen=True, slots=True)
class CTerm:
    metric: CMetric | None
    per: int
    points: int
    when: CCondition | None
    max: int | None


@dataclass(frozen=True, slots=True)
class CRollMod:
    metric: CMetric | None
    per: int
    chance: int
    when: CCondition | None
    max: int | None
    label: str


@dataclass(frozen=True, slots=True)
class CCard:
    index: int
    id: str
    title: str
    owner: int
    """Role index, or EVENTS."""
    cost: int
    target_kind: str | None
    target_count: int
    target_filter: CFilter | IFilter | None
    requires: tuple[CCondition, ...]
    roll_base: int | None
    roll_mods: tuple[CRollMod, ...]
    roll_min: int
    roll_max: int
    on_play: tuple[CEffect, ...]
    on_success: tuple[CEffect, ...]
    on_failure: tuple[CEffect, ...]
    once: bool
    inject_only: bool
    tags: frozenset[int]
    power_choices: tuple[int, ...] = ()
    """For a power target: the powers the player may choose."""
    turn: int = 0
    """The turn a scheduled event belongs to (0: drawn at random, or not an event)."""
    requires_cacheable: bool = True
    """Every requirement is cacheable, so legality can be kept with the state's derived values."""


@dataclass(frozen=True, slots=True)
class CRole:
    index: int
    id: str
    name: str
    power: int
    deck: tuple[int, ...]
    hand_size: int
    initiative: int
    optional: bool
    countries: frozenset[int]
    income_base: int
    income_terms: tuple[CTerm, ...]
    income_max: int | None
    objectives: tuple[CTerm, ...]
    objective_ids: tuple[str, ...]
    objective_texts: tuple[str, ...]
    start_influence: int


@dataclass(slots=True)
class Tables:
    """Everything the rules need, index-based. Built once per Scenario by `compile_scenario`."""

    scenario: Scenario
    powers: tuple[str, ...]
    channels: tuple[str, ...]
    regions: tuple[str, ...]
    countries: tuple[str, ...]
    country_names: tuple[str, ...]
    power_names: tuple[str, ...]
    channel_names: tuple[str, ...]
    country_region: tuple[int, ...]
    country_weight: tuple[int, ...]
    institutions: tuple[str, ...]
    tracks: tuple[str, ...]
    track_bounds: tuple[tuple[int, int], ...]
    roles: tuple[CRole, ...]
    role_index: dict[str, int]
    cards: tuple[CCard, ...]
    card_index: dict[str, int]
    events_deck: tuple[int, ...]
    inject_cards: tuple[int, ...]
    flags: tuple[str, ...]
    flag_index: dict[str, int]
    tags: tuple[str, ...]
    tag_index: dict[str, int]
    groups: tuple[tuple[frozenset[int], bool], ...]
    group_ids: tuple[str, ...]
    channel_weights: tuple[int, ...]
    strong: int
    margin: int
    lone_margin: int
    tie_min: int
    tie_max: int
    lean_sides: tuple[str, ...]
    """Who an institution's agenda can lean toward: the powers, then the roles with `agenda`
    (a lean row's columns)."""
    lean_side_names: tuple[str, ...]
    lean_min: int
    lean_max: int
    alliance_min: int
    alliance_max: int
    alliance_decay: int
    """The largest decay of any alliance (0: no alliance ever decays)."""
    alliance_decays: tuple[tuple[int, ...], ...]
    """Per country, per power: what that alliance loses at each upkeep."""
    alliance_weight: int
    alliances_per_country: int
    """How many alliances a country may hold at once (1: `State.also_allied` is empty)."""
    drift: tuple[tuple[CCondition | None, tuple[CEffect, ...], str], ...]
    sudden_death: tuple[tuple[CCondition, int, str], ...]
    """Endings checked at every scoring: (condition, winner code, text); see `winners_of`."""
    end_victories: tuple[tuple[CCondition, int, str], ...]
    """Victories checked once after the last turn, in the same form."""
    ending_winners: tuple[frozenset[int], ...]
    """Per ending rule of the scenario (index k): the roles that win by it."""
    turns: int
    start_year: int
    years_per_turn: int
    phases: tuple[str, ...]
    max_orders: int
    events_per_turn: int
    scheduled: tuple[tuple[int, ...], ...]
    """Per turn (index turn - 1): the scheduled events that come in, in deck order."""
    set_aside_unready: bool
    """Random events whose requirements fail are set aside and the next drawn."""
    tie_break: tuple[str, ...]
    initiative_order: tuple[int, ...]
    world_reads: frozenset[str] = frozenset()
    """Every field a cached metric, condition, or target or requirement of a card reads:
    changing one drops those derived values."""
    mask_reads: frozenset[str] = frozenset()
    """Every field a country filter reads: changing one drops the country masks."""
    idx: dict[str, dict[str, int]] = field(default_factory=dict)
    memo: dict[Any, Any] = field(default_factory=dict)
    """Values derived once per scenario by higher layers (the opening position): immutable, so
    every game and look-ahead shares them."""

    @property
    def n_countries(self) -> int:
        return len(self.countries)

    @property
    def n_channels(self) -> int:
        return len(self.channels)

    def entity_name(self, entity: int) -> str:
        """Institution members are countries (0..n-1) then powers (n..n+P-1)."""
        n = len(self.countries)
        return self.countries[entity] if entity < n else self.powers[entity - n]

    def winners_of(self, code: int) -> frozenset[int]:
        """The roles a winner code names: a role index, or -2 - k for the roles of ending
        rule k winning together (a state keeps one int, so one-winner games hash as before)."""
        if code >= 0:
            return frozenset((code,))
        if code <= -2:
            return self.ending_winners[-2 - code]
        return frozenset()

    def target_ids(self, kind: str | None) -> tuple[str, ...]:
        """The ids a card's target indices of `kind` stand for."""
        if kind == "country":
            return self.countries
        if kind == "power":
            return self.powers
        return self.institutions

    def target_label(self, kind: str | None, x: int, *, short: bool = False) -> str:
        """A target by name: a country's or power's name, an institution's (short) name."""
        if kind == "country":
            return self.country_names[x]
        if kind == "power":
            return self.power_names[x]
        inst = self.scenario.institutions[x]
        return inst.short_name if short else inst.name

    def target_combinations(self, card: CCard, candidates: int) -> int:
        if card.target_kind is None:
            return 1
        return comb(candidates, card.target_count)
