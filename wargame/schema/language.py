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

from wargame.schema.base import Id, Model, Percent

Status = Literal["aligned", "ambiguous", "non_aligned"]


# --------------------------------------------------------------------------- filters


class TieBound(Model):
    """Bounds on a country's ties to one power (one channel, or the sum over all channels)."""

    power: Id
    channel: Id | None = None
    """Channel to read; omitted means the sum over every channel."""
    at_least: int | None = None
    at_most: int | None = None


class StandingBound(Model):
    """Bounds on a country's standing toward a power (weighted ties plus alliance)."""

    power: Id
    at_least: int | None = None
    at_most: int | None = None


class CountryFilter(Model):
    """Which countries qualify; every given field must hold (logical AND)."""

    ids: list[Id] | None = None
    exclude: list[Id] | None = None
    region: list[Id] | None = None
    status: list[Status] | None = None
    aligned_with: list[Id] | None = None
    """Aligned with one of these powers."""
    group: Id | None = None
    """In this derived group (e.g. a circle of friends)."""
    not_group: Id | None = None
    member_of: list[Id] | None = None
    """Member of at least one of these institutions."""
    not_member_of: list[Id] | None = None
    """Member of none of these institutions."""
    allied_with: Id | None = None
    """Has a formal alliance with this power (strength above zero); `any` for any power."""
    not_allied_with: Id | None = None
    of_role: Id | None = None
    """One of the countries this role speaks for."""
    not_of_role: Id | None = None
    ties: list[TieBound] | None = None
    standing: list[StandingBound] | None = None
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

    power: Id
    """A power id, or the id of a role with `agenda: true`."""
    at_least: int | None = None
    at_most: int | None = None


class PowerFilter(Model):
    """Which powers a player may choose for a `power` target, e.g. `{exclude: [china]}`."""

    ids: list[Id] | None = None
    """Only these powers, e.g. `[us, china, australia]`."""
    exclude: list[Id] | None = None
    """Not these powers."""


class InstitutionFilter(Model):
    """Which institutions qualify; every given field must hold."""

    ids: list[Id] | None = None
    exclude: list[Id] | None = None
    lean: list[LeanBound] | None = None
    has_member: Id | None = None
    """The institution counts this country or power among its members."""
    bridged: bool | None = None
    """True: bridged to at least one other institution; false: to none."""


# --------------------------------------------------------------------------- metrics


class CountriesMetric(Model):
    """Number of countries matching the filter (or the sum of their weights)."""

    kind: Literal["countries"]
    filter: CountryFilter = CountryFilter()
    weighted: bool = False


class TrackMetric(Model):
    """The current value of a global track."""

    kind: Literal["track"]
    track: Id


class TiesMetric(Model):
    """Sum of ties to a power (on a channel, or all) over the chosen targets or matching
    countries."""

    kind: Literal["ties"]
    power: Id
    channel: Id | None = None
    of: Literal["targets", "filter"] = "filter"
    filter: CountryFilter = CountryFilter()


class StandingMetric(Model):
    """Sum of standing toward a power over the chosen targets or matching countries."""

    kind: Literal["standing"]
    power: Id
    of: Literal["targets", "filter"] = "filter"
    filter: CountryFilter = CountryFilter()


class AlliancesMetric(Model):
    """Sum of alliance strengths with a power over matching countries (or their count)."""

    kind: Literal["alliances"]
    power: Id
    filter: CountryFilter = CountryFilter()
    count: bool = False


class MembersMetric(Model):
    """Number of members of an institution (countries and powers), optionally filtered."""

    kind: Literal["members"]
    institution: Id
    filter: CountryFilter | None = None
    """When given, count only member countries matching it (powers are not countries)."""


class BridgesMetric(Model):
    """Number of bridges between institutions, optionally only those touching one institution
    or only those between institutions leaning toward a power."""

    kind: Literal["bridges"]
    institution: Id | None = None
    lean_power: Id | None = None
    """Count only bridges whose two institutions both lean at least `lean_at_least` toward
    this power (or role with `agenda: true`)."""
    lean_at_least: int = 0


class LeanMetric(Model):
    """An institution's agenda lean toward a power (or a role with `agenda: true`)."""

    kind: Literal["lean"]
    institution: Id
    power: Id
    """A power id, or the id of a role with `agenda: true`, e.g. `islands`."""


class InfluenceMetric(Model):
    """A role's influence in hand (`self` is the playing role)."""

    kind: Literal["influence"]
    role: Id = "self"


class VpMetric(Model):
    """A role's victory points so far (`self` is the playing role)."""

    kind: Literal["vp"]
    role: Id = "self"


class FlagMetric(Model):
    """1 while the flag is set, else 0."""

    kind: Literal["flag"]
    flag: Id


class TurnMetric(Model):
    """The current turn number, starting at 1."""

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
    at_most: int | None = None


class TrackCondition(_Bounds):
    """A track lies within bounds."""

    kind: Literal["track"]
    track: Id


class FlagCondition(Model):
    """A flag is set (or, with `set: false`, is not)."""

    kind: Literal["flag"]
    flag: Id
    set: bool = True


class TurnCondition(_Bounds):
    """The turn number lies within bounds."""

    kind: Literal["turn"]


class SeatedCondition(Model):
    """A role is seated (or, with `seated: false`, absent). Only an optional role can be absent;
    this lets its absence change what the others score or may play (an empty Russia seat acts
    only through events, so China's Russian aims need another footing)."""

    kind: Literal["seated"]
    role: Id
    seated: bool = True


class MetricCondition(_Bounds):
    """Any metric lies within bounds."""

    kind: Literal["metric"]
    metric: Metric


class AllCondition(Model):
    kind: Literal["all"]
    of: list[Condition]


class AnyCondition(Model):
    kind: Literal["any"]
    of: list[Condition]


class NotCondition(Model):
    kind: Literal["not"]
    of: Condition


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
    where: CountryFilter | None = None

    @model_validator(mode="after")
    def _one_scope(self) -> _CountryScope:
        if self.countries is not None and self.where is not None:
            raise ValueError("give either `countries` or `where`, not both")
        return self


class TiesEffect(_CountryScope):
    """Change ties to a power on one or more channels; results are clamped to the tie bounds."""

    kind: Literal["ties"]
    power: Id
    """A power id, or `target` for the power the player chose (a card with a `power`
    target), e.g. friends to all: `{kind: ties, power: target, channel: all, delta: 1}`."""
    channel: Id | list[Id] | Literal["all"]
    delta: int


class TrackEffect(Model):
    """Move a global track; clamped to its bounds."""

    kind: Literal["track"]
    track: Id
    delta: int


class InfluenceEffect(Model):
    """Give or take influence; influence never goes below zero."""

    kind: Literal["influence"]
    role: Id = "self"
    delta: int


class VpEffect(Model):
    """Give or take victory points this turn."""

    kind: Literal["vp"]
    role: Id = "self"
    delta: int


class AllianceEffect(_CountryScope):
    """Change the strength of existing alliances (with `power`, or any power).
    A positive change counts as a reaffirmation: that alliance does not decay this turn."""

    kind: Literal["alliance"]
    power: Id | None = None
    """The ally (omitted: any power), or `target` for the power the player chose."""
    delta: int


class FormAllianceEffect(_CountryScope):
    """Sign a formal alliance with a power, or raise an existing one to at least `strength`."""

    kind: Literal["form_alliance"]
    power: Id
    """The new ally, or `target` for the power the player chose."""
    strength: int = Field(ge=1)


class JoinEffect(_CountryScope):
    """The countries join an institution (a fixed one, or the chosen institution target)."""

    kind: Literal["join"]
    institution: Id | None = None


class LeaveEffect(_CountryScope):
    """The countries leave an institution (a fixed one, or the chosen institution target)."""

    kind: Literal["leave"]
    institution: Id | None = None


class LeanEffect(Model):
    """Shift an institution's agenda toward (or away from) a power; clamped to lean bounds.
    Without `institution`, applies to the chosen institution targets."""

    kind: Literal["lean"]
    institution: Id | None = None
    power: Id
    """A power id, the id of a role with `agenda: true` (the islands lean their own Forum:
    `power: islands`), or `target` for the power the player chose."""
    delta: int


class BridgeEffect(Model):
    """Bridge two institutions (secretariat cooperation, aligned agendas). The pair is the fixed
    `institutions` plus as many chosen institution targets as needed to make two."""

    kind: Literal["bridge"]
    institutions: list[Id] = []
    remove: bool = False

    @model_validator(mode="after")
    def _at_most_two(self) -> BridgeEffect:
        if len(self.institutions) > 2:
            raise ValueError("a bridge joins exactly two institutions")
        return self


class FlagEffect(Model):
    """Set or clear a named flag (a lasting fact other cards and rules can test)."""

    kind: Literal["flag"]
    flag: Id
    set: bool = True


class ModifierEffect(Model):
    """A temporary modifier lasting `turns` upkeeps: adds `chance` (percentage points) to rolls of
    cards carrying any of `tags` (all cards when empty) played by `role`, and `income` to that
    role's income."""

    kind: Literal["modifier"]
    role: Id = "self"
    tags: list[Id] = []
    chance: Percent = 0
    income: int = 0
    turns: int = Field(ge=1, le=20)
    label: str = ""


class DrawEffect(Model):
    """A role draws extra cards."""

    kind: Literal["draw"]
    role: Id = "self"
    count: int = Field(ge=1, le=10)


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

    metric: Metric | None = None
    per: int = Field(default=1, ge=1)
    points: int
    when: Condition | None = None
    max: int | None = None


CountryFilter.model_rebuild()
AllCondition.model_rebuild()
AnyCondition.model_rebuild()
NotCondition.model_rebuild()
