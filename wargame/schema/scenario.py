"""The scenario: everything about the world that is data, not code.

Nothing about the US, China or any country is written in Python; a second scenario with other
roles, powers, channels and tracks runs with no code change.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from wargame.schema.base import Basis, Id, Model, ShortName
from wargame.schema.cards import Card, Deck
from wargame.schema.language import Condition, Effect, Term

Phase = Literal["event", "income", "orders", "resolution", "scoring", "upkeep"]
PHASE_ORDER: tuple[Phase, ...] = ("event", "income", "orders", "resolution", "scoring", "upkeep")


class Named(Model):
    id: Id
    name: str = Field(min_length=1, max_length=80)


class Bounds(Model):
    min: int
    max: int

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if self.min > self.max:
            raise ValueError("`min` is above `max`")
        return self


class AllianceRules(Model):
    """Formal alliances are binding bonds with a strength that decays unless reaffirmed."""

    min: int = 0
    max: int = 5
    decay: int = Field(default=1, ge=0)
    """Strength lost at each upkeep by every alliance not reaffirmed during the turn."""
    decay_with: dict[Id, int] = {}
    """Decay for alliances with one power, in place of `decay`, e.g. `{nz: 0}`: New Zealand's
    free associations never lapse while the US compacts do. Per power; a country's own
    `alliance.decay` overrides it."""
    standing_weight: int = Field(default=2, ge=0)
    """Each point of alliance strength adds this much to the country's standing toward the ally."""
    basis: Basis | None = None
    """Whether the rule comes from the source, the public record or a design choice."""


class Group(Model):
    """A derived set of countries, e.g. China's circle of friends: countries aligned with one of
    `aligned_with`, plus (if `ambiguous`) every ambiguous country."""

    id: Id
    name: str
    aligned_with: list[Id]
    ambiguous: bool = False


class StatusRules(Model):
    """How a country's status is derived from its ties (never stored).

    standing(country, power) = sum over channels of weight * tie, plus the alliance strength times
    `alliance.standing_weight` when allied with that power. Powers with standing >= `strong` are
    close. None close: non-aligned. One close, or the leader ahead of the runner-up by at least
    `margin`: aligned with the leader. Otherwise: ambiguous (strong ties to several powers).
    With `lone_margin`, a power that is the only close one must also lead the runner-up by that
    much to be aligned; nearer than that the country stays non-aligned. This keeps one card from
    tipping a country that is nearly as close to both powers into a camp.
    """

    strong: int = Field(ge=1)
    margin: int = Field(ge=0)
    lone_margin: int = Field(default=0, ge=0)
    """Lead the only close power needs over the runner-up to count as aligned (0: none)."""
    basis: Basis | None = None
    """Whether the rule comes from the source, the public record or a design choice."""
    channel_weights: dict[Id, int] = {}
    """Weight per channel; channels not listed weigh 1."""
    groups: list[Group] = []


class Country(Model):
    id: Id
    name: str
    kind: str = Field(default="country", min_length=1, max_length=20, pattern=r"^[a-z][a-z -]*$")
    """What the entry is, in a student's words, when it is not a country: `union` for the
    European Union. A list of country targets names what it lists ('Choose 1 country or
    union'), so a student is not told that the EU is a country."""
    region: Id
    weight: int = Field(default=1, ge=1, le=10)
    """How much the country counts in weighted metrics (size, strategic value)."""
    ties: dict[Id, dict[Id, int]]
    """Starting ties: power -> channel -> value. Missing powers or channels start at the minimum."""
    alliance: CountryAlliance | None = None


class CountryAlliance(Model):
    power: Id
    strength: int = Field(ge=1)
    decay: int | None = Field(default=None, ge=0)
    """This alliance's own decay per upkeep, in place of the scenario's (`alliance.decay`,
    `alliance.decay_with`), e.g. `0` for a free association that does not lapse while the
    compacts around it do. It holds for this country's alliance with `power`, also when
    signed again later in the game."""


class Institution(Model):
    id: Id
    name: str
    short: ShortName | None = None
    """The name where space is short (log lines, tables), e.g. `SCO`. Without it a name in the
    form 'Long name (ABBR)' shows as its abbreviation, and any other name in full. Unique among
    the institutions."""
    kind: str = "forum"
    members: list[Id]
    """Member countries and powers (a power may be a member, e.g. China in the SCO)."""
    lean: dict[Id, int] = {}
    """Agenda lean per power (or per role with `agenda: true`), e.g. `{china: 2, islands: 3}`;
    missing ones start at the lean minimum."""
    note: str = ""

    @property
    def short_name(self) -> str:
        """`short`, else the abbreviation in 'Long name (ABBR)', else the name."""
        if self.short:
            return self.short
        name = self.name
        if name.endswith(")") and "(" in name:
            inner = name[name.rindex("(") + 1 : -1]
            if 1 < len(inner) <= 14:
                return inner
        return name


class Track(Model):
    id: Id
    name: str
    short: ShortName | None = None
    """The name where space is short (log lines, the tracks panel), e.g. `IP cohesion`; the
    full name otherwise. Unique among the tracks."""
    min: int
    max: int
    start: int
    description: str = ""

    @model_validator(mode="after")
    def _start_in_bounds(self) -> Track:
        if not self.min <= self.start <= self.max:
            raise ValueError(f"`start` {self.start} is outside [{self.min}, {self.max}]")
        return self

    @property
    def short_name(self) -> str:
        return self.short or self.name


class Income(Model):
    """Influence received each income phase: base plus terms, capped at `max`."""

    base: int = Field(ge=0)
    terms: list[Term] = []
    max: int | None = None


class Objective(Term):
    """A scoring rule evaluated at each scoring phase for the role that owns it."""

    id: Id
    text: str
    basis: Basis | None = None
    """Whether the aim comes from the source, the public record or a design choice; shown
    with the objective."""
    short: str | None = Field(default=None, min_length=1, max_length=40)
    """The goal in a few plain words, as a student would say it ('grow the circle of
    friends'): a bot's explanation leads with it. Without it, a text of at most 40 characters
    is used as it is, and a longer one by its id in words."""

    @property
    def goal(self) -> str:
        """`short`, else the text when short, else the id in words."""
        if self.short:
            return self.short
        if len(self.text) <= 40:
            return self.text
        return self.id.replace("_", " ")


class Role(Model):
    id: Id
    name: str
    short: ShortName | None = None
    """The team's name where space is short (log lines, tables, the status line), e.g.
    `Swing states` for 'Swing states (ASEAN non-allies, India, …)'; without it, the name
    without its parenthesis. Unique among the roles."""
    power: Id | None = None
    """The power this role speaks for, if any (china and us; not the allies' team)."""
    deck: Id
    hand_size: int = Field(ge=1, le=12)
    initiative: int
    """Lower resolves first each round of resolution."""
    optional: bool = False
    """May be left absent at setup."""
    countries: list[Id] = []
    """Countries this role speaks for (the allies' team, the swing states)."""
    agenda: bool = False
    """`true` for a role without a `power` that still has an agenda of its own in every
    institution: cards, metrics and filters name the role's id where they name a power for
    a lean, e.g. `{kind: lean, institution: forum, power: islands, delta: 1}` when the islands
    own their Forum. Its lean starts at the lean minimum unless an institution's `lean` gives
    it."""
    income: Income
    objectives: list[Objective] = Field(min_length=1)
    start_influence: int = Field(default=0, ge=0)
    description: str = ""

    @property
    def short_name(self) -> str:
        """`short`, else the name without its parenthesis: 'US allies (Japan, …)' → 'US allies'."""
        if self.short:
            return self.short
        head = self.name.split(" (", 1)[0].strip()
        return head or self.name


class TurnRules(Model):
    count: int = Field(ge=1, le=50)
    start_year: int
    years_per_turn: int = Field(default=1, ge=1)
    phases: list[Phase] = list(PHASE_ORDER)
    max_orders: int = Field(default=3, ge=1, le=10)
    """Most orders one role may commit in a turn."""
    events_per_turn: int = Field(default=1, ge=0, le=5)
    """Events drawn at random at each event phase (scheduled events come in besides)."""
    set_aside_unready_events: bool = False
    """When true, a randomly drawn event whose `requires` do not hold is set aside (to the
    bottom of the event pile, for a later turn) and the next one is drawn in its place, so the
    turn's event is not wasted; when no event in the pile is ready, the turn has none. When
    false, such an event is drawn and fizzles."""

    def turn_of_year(self, year: int) -> int | None:
        """The turn that covers `year`, or None outside the game."""
        if year < self.start_year:
            return None
        turn = (year - self.start_year) // self.years_per_turn + 1
        return turn if turn <= self.count else None

    @model_validator(mode="after")
    def _phase_order(self) -> TurnRules:
        if "orders" not in self.phases:
            raise ValueError("the turn needs an `orders` phase")
        order = [PHASE_ORDER.index(p) for p in self.phases]
        if order != sorted(set(order)):
            raise ValueError(f"phases must be distinct and in the order {list(PHASE_ORDER)}")
        return self


class DriftRule(Model):
    """Applied at upkeep while `when` holds: the world moves on its own."""

    id: Id
    text: str
    when: Condition | None = None
    effects: list[Effect] = Field(min_length=1)
    basis: Basis | None = None
    """Whether the rule comes from the source, the public record or a design choice."""


class SuddenDeath(Model):
    """Ends the game at once (after scoring) when `when` holds; `winner` ranks first. With
    `winners`, several roles win together and rank first (by their victory points among
    themselves). With `at_end: true` the rule is a victory that needs a condition at the end:
    it is checked once, after the last turn, instead of at every scoring."""

    id: Id
    text: str
    when: Condition
    winner: Id | None = None
    """The role that wins, e.g. `winner: corsairs`. Give `winner` or `winners`."""
    winners: list[Id] | None = Field(default=None, min_length=2)
    """Roles that win together when `when` holds, e.g. `winners: [islands, australia]` for a
    shared Pacific order. Give `winner` or `winners`."""
    at_end: bool = False
    """`true`: checked only when the last turn has been played, e.g. a victory for the islands
    if the Forum still leans their way at the end; `false`: checked at every scoring, ending
    the game at once."""
    basis: Basis | None = None
    """Whether the rule comes from the source, the public record or a design choice."""

    @model_validator(mode="after")
    def _one_winner_field(self) -> SuddenDeath:
        if (self.winner is None) == (self.winners is None):
            raise ValueError("give `winner` (one role) or `winners` (roles that win together)")
        return self

    @property
    def winner_ids(self) -> list[str]:
        """The winning roles' ids, one or several."""
        return [self.winner] if self.winner is not None else list(self.winners or ())


class Scenario(Model):
    id: Id
    title: str
    summary: str = ""
    rationale_hint: str = Field(default="", max_length=80)
    """An example reason shown in the empty "Why?" field when a team gives an order, in the
    scenario's own terms (e.g. 'keep the alliance alive before the election'); a neutral hint
    when empty."""
    powers: list[Named] = Field(min_length=1)
    channels: list[Named] = Field(min_length=1)
    regions: list[Named] = Field(min_length=1)
    ties: Bounds = Bounds(min=0, max=5)
    lean: Bounds = Bounds(min=0, max=5)
    alliance: AllianceRules = AllianceRules()
    status: StatusRules
    countries: list[Country] = Field(min_length=1)
    institutions: list[Institution] = []
    tracks: list[Track] = []
    roles: list[Role] = Field(min_length=1)
    turns: TurnRules
    drift: list[DriftRule] = []
    sudden_death: list[SuddenDeath] = []
    tie_break: list[Literal["vp_last_turn", "influence", "initiative"]] = [
        "vp_last_turn",
        "influence",
        "initiative",
    ]
    decks: list[Deck] = []
    """Filled by the loader from the deck files beside the scenario file."""

    def cards(self) -> list[tuple[Deck, Card]]:
        return [(deck, card) for deck in self.decks for card in deck.cards]


Country.model_rebuild()
