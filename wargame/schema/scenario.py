"""The scenario: everything about the world that is data, not code.

Nothing about the US, China or any country is written in Python; a second scenario with other
roles, powers, channels and tracks runs with no code change.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from wargame.schema.base import Basis, Id, Model, ShortName, TrackShort, examples
from wargame.schema.cards import Card, Deck
from wargame.schema.language import Condition, Effect, Term
from wargame.schema.tilemap import TileMap

Phase = Literal["event", "income", "orders", "resolution", "scoring", "upkeep"]
PHASE_ORDER: tuple[Phase, ...] = ("event", "income", "orders", "resolution", "scoring", "upkeep")


class Named(Model):
    """A power, channel or region: an id the other fields refer to and a name players read."""

    model_config = examples({"id": "china", "name": "China"})

    id: Id
    """The identifier other fields use to refer to it: lowercase letters, digits, `_` and `-` (e.g.
    `china`, `government`)."""
    name: str = Field(min_length=1, max_length=80)
    """The name players read, e.g. `People's Republic of China`."""


class Bounds(Model):
    """A range of whole numbers, `min` to `max` inclusive."""

    model_config = examples({"min": 0, "max": 5})

    min: int
    """The lowest value."""
    max: int
    """The highest value (not below `min`)."""

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if self.min > self.max:
            raise ValueError("`min` is above `max`")
        return self


class AllianceRules(Model):
    """Formal alliances are binding bonds with a strength that decays unless reaffirmed."""

    model_config = examples({"min": 0, "max": 5, "decay": 1, "standing_weight": 2})

    min: int = 0
    """The lowest alliance strength; an alliance that falls to 0 or below lapses."""
    max: int = 5
    """The highest alliance strength; `form_alliance` and `alliance` effects stop there."""
    decay: int = Field(default=1, ge=0)
    """Strength lost at each upkeep by every alliance not reaffirmed during the turn (an
    alliance signed or strengthened during the turn counts as reaffirmed: it first decays at
    the next turn's upkeep)."""
    decay_with: dict[Id, int] = {}
    """Decay for alliances with one power, in place of `decay`, e.g. `{nz: 0}`: New Zealand's
    free associations never lapse while the US compacts do. Per power; a country's own
    `alliance.decay` overrides it."""
    standing_weight: int = Field(default=2, ge=0)
    """Each point of alliance strength adds this much to the country's standing toward the ally."""
    per_country: int = Field(default=1, ge=1)
    """How many alliances a country may hold at once, each with a different power. With 1 (the
    default) a `form_alliance` with a second power does nothing while the first alliance
    lasts; with 2, Solomon Islands can keep its security treaty with Australia and sign one
    with China. Each alliance keeps its own strength, decays on its own and adds to the
    standing toward its own power."""
    basis: Basis | None = None
    """Whether the rule comes from the source, the public record or a design choice."""


class Group(Model):
    """A derived set of countries, e.g. China's circle of friends: countries aligned with one of
    `aligned_with`, plus (if `ambiguous`) every ambiguous country."""

    model_config = examples(
        {"id": "circle", "name": "circle of friends", "aligned_with": ["china"], "ambiguous": True}
    )

    id: Id
    """The group's identifier, used by `group:` and `not_group:` in country filters."""
    name: str
    """The group's name as players read it, e.g. `circle of friends`."""
    aligned_with: list[Id]
    """The powers whose aligned countries belong to the group."""
    ambiguous: bool = False
    """`true`: every ambiguous country belongs to the group too."""


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

    model_config = examples(
        {
            "strong": 12,
            "margin": 6,
            "channel_weights": {"government": 2},
            "groups": [
                {
                    "id": "circle",
                    "name": "circle of friends",
                    "aligned_with": ["china"],
                    "ambiguous": True,
                }
            ],
        }
    )

    strong: int = Field(ge=1)
    """The standing at which a power counts as close to a country (at least 1)."""
    margin: int = Field(ge=0)
    """How far the leading close power must be ahead of the runner-up for the country to be aligned
    with it; nearer than that, a country close to several powers is ambiguous."""
    lone_margin: int = Field(default=0, ge=0)
    """Lead the only close power needs over the runner-up to count as aligned (0: none)."""
    basis: Basis | None = None
    """Whether the rule comes from the source, the public record or a design choice."""
    channel_weights: dict[Id, int] = {}
    """Weight per channel; channels not listed weigh 1."""
    groups: list[Group] = []
    """Named sets of countries derived from statuses, e.g. a circle of friends, that filters and
    metrics can test (`group:`)."""


class Country(Model):
    """A country on the board: its region, its starting ties to each power on each channel, and
    any formal alliance."""

    model_config = examples(
        {
            "id": "vietnam",
            "name": "Vietnam",
            "region": "southeast_asia",
            "ties": {"china": {"party": 4, "economic": 3}, "us": {"government": 2, "military": 1}},
        }
    )

    id: Id
    """The country's identifier, e.g. `japan`."""
    name: str
    """The country's name as players read it."""
    kind: str = Field(default="country", min_length=1, max_length=20, pattern=r"^[a-z][a-z -]*$")
    """What the entry is, in a student's words, when it is not a country: `union` for the
    European Union. A list of country targets names what it lists ('Choose 1 country or
    union'), so a student is not told that the EU is a country."""
    region: Id
    """The region it is shown under (an id from `regions`)."""
    weight: int = Field(default=1, ge=1, le=10)
    """How much the country counts in weighted metrics (size, strategic value)."""
    ties: dict[Id, dict[Id, int]]
    """Starting ties: power -> channel -> value. Missing powers or channels start at the minimum."""
    alliance: CountryAlliance | None = None
    """A formal alliance at the start of the game, e.g. `{power: us, strength: 4}`; none when
    omitted."""
    alliances: list[CountryAlliance] = []
    """Several formal alliances at the start, one per power, e.g.
    `[{power: australia, strength: 3}, {power: china, strength: 1}]`, in place of `alliance`;
    needs `alliance.per_country` at least as large."""

    def starting_alliances(self) -> list[CountryAlliance]:
        """Every alliance the country starts with, from `alliance` or `alliances`."""
        return [self.alliance, *self.alliances] if self.alliance is not None else self.alliances


class CountryAlliance(Model):
    """A formal alliance a country starts the game with."""

    model_config = examples({"power": "us", "strength": 4})

    power: Id
    """The power the country is allied with (an id from `powers`)."""
    strength: int = Field(ge=1)
    """The alliance's starting strength, from 1 to `alliance.max`."""
    decay: int | None = Field(default=None, ge=0)
    """This alliance's own decay per upkeep, in place of the scenario's (`alliance.decay`,
    `alliance.decay_with`), e.g. `0` for a free association that does not lapse while the
    compacts around it do. It holds for this country's alliance with `power`, also when
    signed again later in the game."""


class Institution(Model):
    """A forum or organisation: its members and its agenda lean toward each power. Cards make
    countries join or leave it, shift its lean and bridge it to other institutions."""

    model_config = examples(
        {
            "id": "sco",
            "name": "Shanghai Cooperation Organisation",
            "short": "SCO",
            "members": ["china", "russia_c", "kazakhstan"],
            "lean": {"china": 4, "us": 0},
        }
    )

    id: Id
    """The institution's identifier, e.g. `sco`."""
    name: str
    """The institution's full name as players read it."""
    short: ShortName | None = None
    """The name where space is short (log lines, tables), e.g. `SCO`. Without it a name in the
    form 'Long name (ABBR)' shows as its abbreviation, and any other name in full. Unique among
    the institutions."""
    kind: str = "forum"
    """What sort of body it is, in a word or two (`forum`, `organisation`, `dialogue`); shown with
    the institution."""
    members: list[Id]
    """Member countries and powers (a power may be a member, e.g. China in the SCO)."""
    lean: dict[Id, int] = {}
    """Agenda lean per power (or per role with `agenda: true`), e.g. `{china: 2, islands: 3}`;
    missing ones start at the lean minimum."""
    note: str = ""
    """A line of background shown with the institution (its founding, its secretariat)."""

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
    """A global track: a number between bounds that cards move and rules read (tension,
    credibility, cohesion)."""

    model_config = examples(
        {
            "id": "tension",
            "name": "Sino-US tension",
            "short": "Tension",
            "min": 0,
            "max": 10,
            "start": 4,
        }
    )

    id: Id
    """The track's identifier, used by `track` effects, conditions and metrics."""
    name: str
    """The track's name as players read it, e.g. `Sino-US tension`."""
    short: TrackShort | None = None
    """The name where space is short (log lines, the tracks panel), e.g. `IP cohesion`; the
    full name otherwise. At most 18 characters, the tracks panel's room at 80 columns: give
    one when the name is longer, or the panel cuts it. Unique among the tracks."""
    min: int
    """The track's lowest value; effects stop there."""
    max: int
    """The track's highest value; effects stop there."""
    start: int
    """The value at the start of the game, between `min` and `max`."""
    description: str = ""
    """What the track measures and what a high value means, for players."""

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

    model_config = examples(
        {
            "base": 3,
            "terms": [
                {
                    "metric": {"kind": "countries", "filter": {"aligned_with": ["us"]}},
                    "per": 3,
                    "points": 1,
                }
            ],
            "max": 6,
        }
    )

    base: int = Field(ge=0)
    """Influence received every income phase."""
    terms: list[Term] = []
    """Extra influence read from the state, e.g. 1 per 3 aligned countries."""
    max: int | None = None
    """The most influence one income phase gives; no cap when omitted."""


class Objective(Term):
    """A scoring rule evaluated at each scoring phase for the role that owns it."""

    model_config = examples(
        {
            "id": "friends",
            "text": "Grow the circle of friends",
            "short": "grow the circle",
            "metric": {"kind": "countries", "filter": {"group": "circle"}},
            "per": 2,
            "points": 1,
        }
    )

    id: Id
    """The objective's identifier."""
    text: str
    """What the role aims at, in a sentence players read."""
    basis: Basis | None = None
    """Whether the aim comes from the source, the public record or a design choice; shown
    with the objective."""
    short: str | None = Field(default=None, min_length=1, max_length=40)
    """The goal in a few plain words, as a student would say it, starting with a verb ('grow
    the circle of friends'): a bot's explanation reads it after 'to' ('why: to grow the circle
    of friends'). Without it, a text of at most 40 characters is used as it is, and a longer
    one by its id in words."""

    @property
    def goal(self) -> str:
        """`short`, else the text when short, else the id in words."""
        if self.short:
            return self.short
        if len(self.text) <= 40:
            return self.text
        return self.id.replace("_", " ")


class Role(Model):
    """A team that plays: the power or countries it speaks for, its deck, its income and how it
    scores."""

    id: Id
    """The role's identifier, e.g. `china`; also used by `role:` fields and `--bots`."""
    name: str
    """The team's full name as players read it."""
    short: ShortName | None = None
    """The team's name where space is short (log lines, tables, the status line), e.g.
    `Swing states` for 'Swing states (ASEAN non-allies, India, …)'; without it, the name
    without its parenthesis. Unique among the roles."""
    power: Id | None = None
    """The power this role speaks for, if any (china and us; not the allies' team)."""
    deck: Id
    """The deck this role plays from (a deck file's `deck:`)."""
    hand_size: int = Field(ge=1, le=12)
    """How many cards the team holds after each draw (1 to 12)."""
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
    """Influence received at each income phase."""
    objectives: list[Objective] = Field(min_length=1)
    """How the role scores victory points at each scoring phase (at least one)."""
    start_influence: int = Field(default=0, ge=0)
    """Influence in hand at the start of the game."""
    description: str = ""
    """A paragraph for the team: who they are and what they want."""

    @property
    def short_name(self) -> str:
        """`short`, else the name without its parenthesis: 'US allies (Japan, …)' → 'US allies'."""
        if self.short:
            return self.short
        head = self.name.split(" (", 1)[0].strip()
        return head or self.name


class TurnRules(Model):
    """How long the game lasts and what happens in a turn."""

    model_config = examples({"count": 6, "start_year": 2019, "max_orders": 2})

    count: int = Field(ge=1, le=50)
    """How many turns the game lasts (1 to 50)."""
    start_year: int
    """The year of the first turn, shown on the screens and in the report."""
    years_per_turn: int = Field(default=1, ge=1)
    """How many years each turn stands for."""
    phases: list[Phase] = list(PHASE_ORDER)
    """The phases of a turn, in order; leave out those the scenario does not use (`orders` is
    required)."""
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

    model_config = examples(
        {
            "id": "cooling",
            "text": "Tension eases a little each year of calm",
            "when": {"kind": "track", "track": "tension", "at_least": 7},
            "effects": [{"kind": "track", "track": "tension", "delta": -1}],
        }
    )

    id: Id
    """The rule's identifier."""
    text: str
    """What the rule does, in a sentence players read in the log."""
    when: Condition | None = None
    """Applies only while this condition holds; every upkeep when omitted."""
    effects: list[Effect] = Field(min_length=1)
    """What happens at each upkeep while the rule applies."""
    basis: Basis | None = None
    """Whether the rule comes from the source, the public record or a design choice."""


class SuddenDeath(Model):
    """Ends the game at once (after scoring) when `when` holds; `winner` ranks first. With
    `winners`, several roles win together and rank first (by their victory points among
    themselves). With `at_end: true` the rule is a victory that needs a condition at the end:
    it is checked once, after the last turn, instead of at every scoring."""

    model_config = examples(
        {
            "id": "crisis",
            "text": "Open crisis ends the game",
            "when": {"kind": "track", "track": "tension", "at_least": 10},
            "winner": "china",
        }
    )

    id: Id
    """The rule's identifier."""
    text: str
    """What ends the game, in a sentence players read."""
    when: Condition
    """The condition that ends the game: checked after each scoring (or, with `at_end`, once
    after the last turn)."""
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
    """The scenario file, `scenario.yaml`: the world (powers, channels, regions, countries,
    institutions, tracks), the teams, the turn, and the rules that run by themselves."""

    id: Id
    """The scenario's identifier; save files are named after it."""
    title: str
    """The scenario's title, shown at setup and in reports."""
    summary: str = ""
    """A paragraph shown at setup: the situation and the years it covers."""
    rationale_hint: str = Field(default="", max_length=80)
    """An example reason shown in the empty "Why?" field when a team gives an order, in the
    scenario's own terms (e.g. 'keep the alliance alive before the election'); a neutral hint
    when empty."""
    powers: list[Named] = Field(min_length=1)
    """The great powers countries have ties to; each power's standing decides a country's status."""
    channels: list[Named] = Field(min_length=1)
    """The channels ties run on (government, military, economic...)."""
    regions: list[Named] = Field(min_length=1)
    """The regions countries are grouped by on the board and in filters."""
    ties: Bounds = Bounds(min=0, max=5)
    """The bounds of every tie value; ties effects stop there."""
    lean: Bounds = Bounds(min=0, max=5)
    """The bounds of every institution's agenda lean."""
    alliance: AllianceRules = AllianceRules()
    """How formal alliances work: their bounds, decay and weight in standing."""
    status: StatusRules
    """How a country's status (aligned, ambiguous, non-aligned) is derived from its ties."""
    countries: list[Country] = Field(min_length=1)
    """The countries on the board, with their starting ties and alliances."""
    institutions: list[Institution] = []
    """Forums and organisations countries belong to, with an agenda lean per power."""
    tracks: list[Track] = []
    """Global tracks (tension, credibility...) that cards move and rules read."""
    roles: list[Role] = Field(min_length=1)
    """The teams that play: their income, hand, deck and objectives."""
    turns: TurnRules
    """How many turns, which years, and the phases of a turn."""
    drift: list[DriftRule] = []
    """Rules applied at each upkeep: the world moving on its own."""
    sudden_death: list[SuddenDeath] = []
    """Conditions that end the game at once with a named winner."""
    tie_break: list[Literal["vp_last_turn", "influence", "initiative"]] = [
        "vp_last_turn",
        "influence",
        "initiative",
    ]
    """How roles with equal victory points are ranked, first rule first: most points in the last
    turn, most influence left, lowest initiative."""
    map: TileMap | None = None
    """The tile map the screens, the report and the seats draw: a tile per country on a grid.
    Without it, the map is laid out by region automatically."""
    decks: list[Deck] = []
    """Filled by the loader from the deck files beside the scenario file."""

    def cards(self) -> list[tuple[Deck, Card]]:
        return [(deck, card) for deck in self.decks for card in deck.cards]


Country.model_rebuild()
