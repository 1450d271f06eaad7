"""The card language: metrics, filters, conditions and effects.

Each is a small typed vocabulary, discriminated by `kind`, so a deck can only say what the
engine knows how to do: no expressions in strings, no eval. The engine interprets the *kind*
of each node and never looks at card ids.

Semantics (what the rules engine does with each node) are documented on each class, because
scenario designers read these docstrings to write decks.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from wargame.schema.base import Id, Model, Percent, examples

Status = Literal["aligned", "ambiguous", "non_aligned"]


# --------------------------------------------------------------------------- filters


class TieBound(Model):
    """Bounds on a country's ties to one power (one channel, or the sum over all channels)."""

    model_config = examples({"power": "china", "channel": "party", "at_least": 2})

    power: Id
    """The power whose ties are read."""
    channel: Id | None = None
    """Channel to read; omitted means the sum over every channel."""
    at_least: int | None = None
    """The ties must be at least this (no lower bound when omitted)."""
    at_most: int | None = None
    """The ties must be at most this (no upper bound when omitted)."""


class StandingBound(Model):
    """Bounds on a country's standing toward a power (weighted ties plus alliance)."""

    model_config = examples({"power": "us", "at_least": 10})

    power: Id
    """The power whose standing is read."""
    at_least: int | None = None
    """The standing must be at least this (no lower bound when omitted)."""
    at_most: int | None = None
    """The standing must be at most this (no upper bound when omitted)."""


class CountryFilter(Model):
    """Which countries qualify; every given field must hold (logical AND)."""

    model_config = examples(
        {"region": ["southeast_asia"], "status": ["ambiguous", "non_aligned"]},
        {"of_role": "allies", "allied_with": "us"},
    )

    ids: list[Id] | None = None
    """Only these countries."""
    exclude: list[Id] | None = None
    """Never these countries."""
    region: list[Id] | None = None
    """In one of these regions."""
    status: list[Status] | None = None
    """With one of these statuses: `aligned`, `ambiguous`, `non_aligned`."""
    aligned_with: list[Id] | None = None
    """Aligned with one of these powers."""
    group: Id | None = None
    """In this derived group (e.g. a circle of friends)."""
    not_group: Id | None = None
    """Not in this derived group."""
    member_of: list[Id] | None = None
    """Member of at least one of these institutions."""
    not_member_of: list[Id] | None = None
    """Member of none of these institutions."""
    allied_with: Id | None = None
    """Has a formal alliance with this power (strength above zero); `any` for any power."""
    not_allied_with: Id | None = None
    """Has no formal alliance with this power; `any` for no alliance at all."""
    of_role: Id | None = None
    """One of the countries this role speaks for."""
    not_of_role: Id | None = None
    """Not one of the countries this role speaks for."""
    ties: list[TieBound] | None = None
    """Ties to a power within bounds, e.g. `[{power: china, channel: party, at_least: 2}]`; every
    bound must hold."""
    standing: list[StandingBound] | None = None
    """Standing toward a power within bounds, e.g. `[{power: us, at_least: 10}]`; every bound must
    hold."""
    any_of: list[CountryFilter] | None = Field(default=None, min_length=1)
    """At least one of these filters holds, e.g. in the Pacific or a Forum member:
    `any_of: [{region: [pacific]}, {member_of: [forum]}]`."""
    all_of: list[CountryFilter] | None = Field(default=None, min_length=1)
    """Every one of these filters holds; with `any_of` or `some_of` inside, it nests choices:
    `all_of: [{any_of: [...]}, {any_of: [...]}]`."""
    some_of: SomeOf | None = None
    """At least `at_least` of the filters in `of` hold, e.g. development ties of 3 or more
    with two of three partners: `some_of: {at_least: 2, of: [{ties: [{power: us, channel:
    development, at_least: 3}]}, {ties: [...]}, {ties: [...]}]}`."""


class SomeOf(Model):
    """A count of filters that must hold: `at_least` of the country filters in `of`."""

    at_least: int = Field(ge=1)
    """How many of the filters must hold, e.g. `2` for two of three."""
    of: list[CountryFilter] = Field(min_length=2)
    """The filters to count, each written like any country filter."""

    @model_validator(mode="after")
    def _reachable(self) -> SomeOf:
        if self.at_least > len(self.of):
            raise ValueError(
                f"`at_least: {self.at_least}` asks for more filters than the {len(self.of)} "
                "in `of`, so no country could ever match: lower it or add filters"
            )
        return self


class LeanBound(Model):
    """Bounds on an institution's agenda lean toward a power (or a role with `agenda`)."""

    model_config = examples({"power": "china", "at_least": 3})

    power: Id
    """A power id, or the id of a role with `agenda: true`."""
    at_least: int | None = None
    """The lean must be at least this (no lower bound when omitted)."""
    at_most: int | None = None
    """The lean must be at most this (no upper bound when omitted)."""


class PowerFilter(Model):
    """Which powers a player may choose for a `power` target, e.g. `{exclude: [china]}`."""

    ids: list[Id] | None = None
    """Only these powers, e.g. `[us, china, australia]`."""
    exclude: list[Id] | None = None
    """Not these powers."""


class InstitutionFilter(Model):
    """Which institutions qualify; every given field must hold."""

    model_config = examples({"lean": [{"power": "china", "at_most": 2}], "exclude": ["quad"]})

    ids: list[Id] | None = None
    """Only these institutions."""
    exclude: list[Id] | None = None
    """Never these institutions."""
    lean: list[LeanBound] | None = None
    """Agenda lean toward a power within bounds, e.g. `[{power: china, at_least: 3}]`."""
    has_member: Id | None = None
    """The institution counts this country or power among its members."""
    bridged: bool | None = None
    """True: bridged to at least one other institution; false: to none."""


# --------------------------------------------------------------------------- metrics


class CountriesMetric(Model):
    """Number of countries matching the filter (or the sum of their weights)."""

    model_config = examples({"kind": "countries", "filter": {"aligned_with": ["china"]}})

    kind: Literal["countries"]
    filter: CountryFilter = CountryFilter()
    """Which countries count; every country when omitted."""
    weighted: bool = False
    """`true`: add up the countries' `weight` instead of counting them."""


class TrackMetric(Model):
    """The current value of a global track."""

    model_config = examples({"kind": "track", "track": "tension"})

    kind: Literal["track"]
    track: Id
    """The track to read."""


class TiesMetric(Model):
    """Sum of ties to a power (on a channel, or all) over the chosen targets or matching
    countries."""

    model_config = examples(
        {"kind": "ties", "power": "china", "channel": "economic", "of": "targets"}
    )

    kind: Literal["ties"]
    power: Id
    """The power whose ties are added up."""
    channel: Id | None = None
    """The channel to read; every channel when omitted."""
    of: Literal["targets", "filter"] = "filter"
    """`targets`: the countries the card targets; `filter`: the countries matching `filter`."""
    filter: CountryFilter = CountryFilter()
    """Which countries count when `of: filter`; every country when omitted."""


class StandingMetric(Model):
    """Sum of standing toward a power over the chosen targets or matching countries."""

    model_config = examples(
        {"kind": "standing", "power": "us", "filter": {"region": ["south_asia"]}}
    )

    kind: Literal["standing"]
    power: Id
    """The power whose standing is added up."""
    of: Literal["targets", "filter"] = "filter"
    """`targets`: the countries the card targets; `filter`: the countries matching `filter`."""
    filter: CountryFilter = CountryFilter()
    """Which countries count when `of: filter`; every country when omitted."""


class AlliancesMetric(Model):
    """Sum of alliance strengths with a power over matching countries (or their count)."""

    model_config = examples({"kind": "alliances", "power": "us", "count": True})

    kind: Literal["alliances"]
    power: Id
    """The power whose alliances are read."""
    filter: CountryFilter = CountryFilter()
    """Which countries count; every country when omitted."""
    count: bool = False
    """`true`: count the alliances instead of adding up their strengths."""


class MembersMetric(Model):
    """Number of members of an institution (countries and powers), optionally filtered."""

    model_config = examples({"kind": "members", "institution": "sco"})

    kind: Literal["members"]
    institution: Id
    """The institution whose members are counted."""
    filter: CountryFilter | None = None
    """When given, count only member countries matching it (powers are not countries)."""


class BridgesMetric(Model):
    """Number of bridges between institutions, optionally only those touching one institution
    or only those between institutions leaning toward a power."""

    model_config = examples({"kind": "bridges", "lean_power": "china", "lean_at_least": 3})

    kind: Literal["bridges"]
    institution: Id | None = None
    """Count only the bridges touching this institution; every bridge when omitted."""
    lean_power: Id | None = None
    """Count only bridges whose two institutions both lean at least `lean_at_least` toward
    this power (or role with `agenda: true`)."""
    lean_at_least: int = 0
    """The lean both institutions need when `lean_power` is given."""


class LeanMetric(Model):
    """An institution's agenda lean toward a power (or a role with `agenda: true`)."""

    model_config = examples({"kind": "lean", "institution": "arf", "power": "china"})

    kind: Literal["lean"]
    institution: Id
    """The institution to read."""
    power: Id
    """A power id, or the id of a role with `agenda: true`, e.g. `islands`."""


class InfluenceMetric(Model):
    """A role's influence in hand (`self` is the playing role)."""

    model_config = examples({"kind": "influence"})

    kind: Literal["influence"]
    role: Id = "self"
    """The role whose influence is read; `self` is the role playing the card or scoring."""


class VpMetric(Model):
    """A role's victory points so far (`self` is the playing role)."""

    model_config = examples({"kind": "vp", "role": "us"})

    kind: Literal["vp"]
    role: Id = "self"
    """The role whose victory points are read; `self` is the role playing the card or scoring."""


class FlagMetric(Model):
    """1 while the flag is set, else 0."""

    model_config = examples({"kind": "flag", "flag": "trade_war"})

    kind: Literal["flag"]
    flag: Id
    """The flag to read (flags are named by use: any effect may set one)."""


class TurnMetric(Model):
    """The current turn number, starting at 1."""

    model_config = examples({"kind": "turn"})

    kind: Literal["turn"]


Metric = Annotated[
    CountriesMetric
    | TrackMetric
    | TiesMetric
    | StandingMetric
    | AlliancesMetric
    | MembersMetric
    | BridgesMetric
    | LeanMetric
    | InfluenceMetric
    | VpMetric
    | FlagMetric
    | TurnMetric,
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- conditions


class _Bounds(Model):
    at_least: int | None = None
    """Holds only when the value is at least this (no lower bound when omitted)."""
    at_most: int | None = None
    """Holds only when the value is at most this (no upper bound when omitted)."""


class TrackCondition(_Bounds):
    """A track lies within bounds."""

    model_config = examples({"kind": "track", "track": "tension", "at_least": 6})

    kind: Literal["track"]
    track: Id
    """The track to read."""


class FlagCondition(Model):
    """A flag is set (or, with `set: false`, is not)."""

    model_config = examples({"kind": "flag", "flag": "trade_war", "set": False})

    kind: Literal["flag"]
    flag: Id
    """The flag to test."""
    set: bool = True
    """`true`: holds while the flag is set; `false`: while it is not."""


class TurnCondition(_Bounds):
    """The turn number lies within bounds."""

    model_config = examples({"kind": "turn", "at_least": 3})

    kind: Literal["turn"]


class SeatedCondition(Model):
    """A role is seated (or, with `seated: false`, absent). Only an optional role can be absent;
    this lets its absence change what the others score or may play (an empty Russia seat acts
    only through events, so China's Russian aims need another footing)."""

    model_config = examples({"kind": "seated", "role": "russia", "seated": False})

    kind: Literal["seated"]
    role: Id
    """The role to test."""
    seated: bool = True
    """`true`: holds when the role is played (by a team or a bot); `false`: when it is absent."""


class MetricCondition(_Bounds):
    """Any metric lies within bounds."""

    model_config = examples(
        {
            "kind": "metric",
            "metric": {"kind": "countries", "filter": {"group": "circle"}},
            "at_least": 5,
        }
    )

    kind: Literal["metric"]
    metric: Metric
    """The metric to read, e.g. `{kind: countries, filter: {status: [aligned]}}`."""


class AllCondition(Model):
    """Holds when every condition in `of` holds."""

    model_config = examples(
        {
            "kind": "all",
            "of": [{"kind": "turn", "at_least": 2}, {"kind": "flag", "flag": "summit_held"}],
        }
    )

    kind: Literal["all"]
    of: list[Condition]
    """The conditions that must all hold."""


class AnyCondition(Model):
    """Holds when at least one condition in `of` holds."""

    model_config = examples(
        {
            "kind": "any",
            "of": [
                {"kind": "track", "track": "tension", "at_most": 3},
                {"kind": "flag", "flag": "summit_held"},
            ],
        }
    )

    kind: Literal["any"]
    of: list[Condition]
    """The conditions of which one must hold."""


class NotCondition(Model):
    """Holds when the condition in `of` does not."""

    model_config = examples({"kind": "not", "of": {"kind": "flag", "flag": "summit_held"}})

    kind: Literal["not"]
    of: Condition
    """The condition that must not hold."""


Condition = Annotated[
    TrackCondition
    | FlagCondition
    | TurnCondition
    | SeatedCondition
    | MetricCondition
    | AllCondition
    | AnyCondition
    | NotCondition,
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- effects


class _CountryScope(Model):
    """Which countries an effect touches: fixed ids, all matching a filter, or (neither given)
    the card's chosen country targets."""

    countries: list[Id] | None = None
    """These countries (ids), whatever the card targets."""
    where: CountryFilter | None = None
    """Every country matching this filter when the effect applies."""

    @model_validator(mode="after")
    def _one_scope(self) -> _CountryScope:
        if self.countries is not None and self.where is not None:
            raise ValueError("give either `countries` or `where`, not both")
        return self


class TiesEffect(_CountryScope):
    """Change ties to a power on one or more channels; results are clamped to the tie bounds."""

    model_config = examples(
        {"kind": "ties", "power": "china", "channel": ["party", "society"], "delta": 1},
        {
            "kind": "ties",
            "power": "us",
            "channel": "all",
            "delta": -1,
            "where": {"region": ["central_asia"]},
        },
    )

    kind: Literal["ties"]
    power: Id
    """A power id, or `target` for the power the player chose (a card with a `power`
    target), e.g. friends to all: `{kind: ties, power: target, channel: all, delta: 1}`."""
    channel: Id | list[Id] | Literal["all"]
    """One channel, a list of channels, or `all`."""
    delta: int
    """How much to add (negative to take away)."""


class TrackEffect(Model):
    """Move a global track; clamped to its bounds."""

    model_config = examples({"kind": "track", "track": "tension", "delta": 1})

    kind: Literal["track"]
    track: Id
    """The track to move."""
    delta: int
    """How much to move it (negative to lower it)."""


class InfluenceEffect(Model):
    """Give or take influence; influence never goes below zero."""

    model_config = examples({"kind": "influence", "role": "us", "delta": -1})

    kind: Literal["influence"]
    role: Id = "self"
    """The role that gains or loses; `self` is the role playing the card."""
    delta: int
    """How much influence to give (negative to take)."""


class VpEffect(Model):
    """Give or take victory points this turn."""

    model_config = examples({"kind": "vp", "delta": 2})

    kind: Literal["vp"]
    role: Id = "self"
    """The role that gains or loses; `self` is the role playing the card."""
    delta: int
    """How many victory points to give (negative to take)."""


class AllianceEffect(_CountryScope):
    """Change the strength of existing alliances (with `power`, or any power).
    A positive change counts as a reaffirmation: that alliance does not decay this turn."""

    model_config = examples(
        {"kind": "alliance", "power": "us", "delta": 1, "where": {"of_role": "allies"}}
    )

    kind: Literal["alliance"]
    power: Id | None = None
    """The ally (omitted: any power), or `target` for the power the player chose."""
    delta: int
    """How much to add to the strength (negative to weaken; at 0 the alliance lapses)."""


class FormAllianceEffect(_CountryScope):
    """Sign a formal alliance with a power, or raise an existing one to at least `strength`."""

    model_config = examples({"kind": "form_alliance", "power": "us", "strength": 2})

    kind: Literal["form_alliance"]
    power: Id
    """The new ally, or `target` for the power the player chose. A country that already holds
    as many alliances with other powers as `alliance.per_country` allows (one by default) is
    left as it is."""
    strength: int = Field(ge=1)
    """The strength of the new alliance, from 1 to `alliance.max`."""


class JoinEffect(_CountryScope):
    """The countries join an institution (a fixed one, or the chosen institution target)."""

    model_config = examples({"kind": "join", "institution": "sco"})

    kind: Literal["join"]
    institution: Id | None = None
    """The institution to join; the card's chosen institution target when omitted."""


class LeaveEffect(_CountryScope):
    """The countries leave an institution (a fixed one, or the chosen institution target)."""

    model_config = examples({"kind": "leave", "institution": "quad", "countries": ["india"]})

    kind: Literal["leave"]
    institution: Id | None = None
    """The institution to leave; the card's chosen institution target when omitted."""


class LeanEffect(Model):
    """Shift an institution's agenda toward (or away from) a power; clamped to lean bounds.
    Without `institution`, applies to the chosen institution targets."""

    model_config = examples({"kind": "lean", "institution": "arf", "power": "china", "delta": 1})

    kind: Literal["lean"]
    institution: Id | None = None
    """The institution whose agenda shifts; the card's chosen institution targets when omitted."""
    power: Id
    """A power id, the id of a role with `agenda: true` (the islands lean their own Forum:
    `power: islands`), or `target` for the power the player chose."""
    delta: int
    """How much to shift it (negative: away from the power)."""


class BridgeEffect(Model):
    """Bridge two institutions (secretariat cooperation, aligned agendas). The pair is the fixed
    `institutions` plus as many chosen institution targets as needed to make two."""

    model_config = examples(
        {"kind": "bridge", "institutions": ["sco", "cica"]},
        {"kind": "bridge", "institutions": ["sco"]},
    )

    kind: Literal["bridge"]
    institutions: list[Id] = []
    """Zero, one or two institution ids; the card's chosen institution targets make up the pair."""
    remove: bool = False
    """`true`: remove the bridge instead (the two institutions drift apart)."""

    @model_validator(mode="after")
    def _at_most_two(self) -> BridgeEffect:
        if len(self.institutions) > 2:
            raise ValueError("a bridge joins exactly two institutions")
        return self


class FlagEffect(Model):
    """Set or clear a named flag (a lasting fact other cards and rules can test)."""

    model_config = examples({"kind": "flag", "flag": "trade_war"})

    kind: Literal["flag"]
    flag: Id
    """The flag's name; a new name declares a new flag."""
    set: bool = True
    """`true` sets the flag, `false` clears it."""


class ModifierEffect(Model):
    """A temporary modifier lasting `turns` upkeeps: adds `chance` (percentage points) to rolls of
    cards carrying any of `tags` (all cards when empty) played by `role`, and `income` to that
    role's income."""

    model_config = examples(
        {
            "kind": "modifier",
            "role": "china",
            "tags": ["funding"],
            "chance": -10,
            "turns": 2,
            "label": "budget squeeze",
        }
    )

    kind: Literal["modifier"]
    role: Id = "self"
    """The role the modifier applies to; `self` is the role playing the card."""
    tags: list[Id] = []
    """Only rolls of cards carrying one of these tags; every roll of the role when empty."""
    chance: Percent = 0
    """Percentage points added to those rolls (negative to lower them)."""
    income: int = 0
    """Influence added to the role's income (negative to lower it)."""
    turns: int = Field(ge=1, le=20)
    """How many upkeeps the modifier lasts (1 to 20)."""
    label: str = ""
    """The modifier's name in the log and on the roll's breakdown, e.g. `sanctions`."""


class DrawEffect(Model):
    """A role draws extra cards."""

    model_config = examples({"kind": "draw", "count": 1})

    kind: Literal["draw"]
    role: Id = "self"
    """The role that draws; `self` is the role playing the card."""
    count: int = Field(ge=1, le=10)
    """How many cards to draw (1 to 10)."""


Effect = Annotated[
    TiesEffect
    | TrackEffect
    | InfluenceEffect
    | VpEffect
    | AllianceEffect
    | FormAllianceEffect
    | JoinEffect
    | LeaveEffect
    | LeanEffect
    | BridgeEffect
    | FlagEffect
    | ModifierEffect
    | DrawEffect,
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- scoring terms


class Term(Model):
    """`points` for every `per` units of `metric` (or flat `points` without a metric), only
    while `when` holds, capped at `max`. Used by income rules and objectives."""

    model_config = examples(
        {
            "metric": {"kind": "countries", "filter": {"aligned_with": ["china"]}},
            "per": 2,
            "points": 1,
            "max": 4,
        }
    )

    metric: Metric | None = None
    """What is counted; without it the term gives flat `points`."""
    per: int = Field(default=1, ge=1)
    """`points` for every this many units of the metric."""
    points: int
    """Points (or influence, in an income rule) per `per` units, or flat."""
    when: Condition | None = None
    """Counts only while this condition holds; always when omitted."""
    max: int | None = None
    """The most this term gives in one phase; no cap when omitted."""


CountryFilter.model_rebuild()
AllCondition.model_rebuild()
AnyCondition.model_rebuild()
NotCondition.model_rebuild()
