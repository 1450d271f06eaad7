"""Cards and decks: the moves players spend influence on.

A card is played by the role that owns its deck (or drawn from the event deck). It may choose
targets, must meet its requirements, pays its cost when committed, applies `on_play` when it
resolves, then — if it has a roll — draws a chance outcome and applies `on_success` or
`on_failure`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationInfo, field_validator, model_validator

from wargame.schema.base import Basis, Id, Model, Percent, examples
from wargame.schema.language import (
    Condition,
    CountryFilter,
    Effect,
    InstitutionFilter,
    Metric,
    PowerFilter,
)


class Target(Model):
    """What a player chooses when playing the card: `count` distinct countries, institutions
    or powers among those matching the filter. With `kind: power` the effects that name
    `power: target` act on the chosen power, e.g. `target: {kind: power, filter: {exclude:
    [china]}}`."""

    model_config = examples(
        {"kind": "country", "count": 1, "filter": {"status": ["non_aligned"]}},
        {"kind": "institution", "filter": {"ids": ["sco", "cica", "arf"]}},
        {"kind": "power", "filter": {"exclude": ["china"]}},
    )

    kind: Literal["country", "institution", "power"]
    """`country`, `institution` or `power`: what the player chooses."""
    count: int = Field(default=1, ge=1, le=3)
    """How many distinct targets to choose (1 to 3)."""
    filter: CountryFilter | InstitutionFilter | PowerFilter | None = None
    """Which targets may be chosen (a country, institution or power filter, by `kind`); any
    when omitted."""

    @field_validator("filter", mode="before")
    @classmethod
    def _filter_by_kind(cls, value: object, info: ValidationInfo) -> object:
        # Choose the filter model from `kind` so an institution filter key on a country target
        # is reported as an unknown field, not silently accepted by the other model. A field
        # validator (not a model one) keeps `filter` in the error location. With an invalid
        # `kind` the filter cannot be judged; that error is already reported, so skip it.
        kind = info.data.get("kind")
        if value is None or kind is None:
            return None
        if kind == "power":
            return PowerFilter.model_validate(value)
        model = InstitutionFilter if kind == "institution" else CountryFilter
        return model.model_validate(value)


class RollModifier(Model):
    """Adds `chance` percentage points for every `per` units of `metric` (capped at `max`), or a
    flat `chance` while `when` holds."""

    model_config = examples(
        {
            "metric": {"kind": "track", "track": "credibility"},
            "chance": 3,
            "max": 15,
            "label": "US credibility",
        },
        {"when": {"kind": "flag", "flag": "trade_war"}, "chance": -10, "label": "trade war"},
    )

    metric: Metric | None = None
    """The metric the bonus grows with."""
    per: int = Field(default=1, ge=1)
    """`chance` is added for every this many units of `metric`."""
    chance: Percent
    """Percentage points added (negative to lower the chance), per `per` units of `metric`, or
    flat."""
    when: Condition | None = None
    """The bonus applies only while this condition holds."""
    max: Percent | None = None
    """How far this modifier can move the chance, as a size: `15` caps a bonus at +15, and a
    penalty (a negative `chance`) at −15."""
    label: str = ""
    """The modifier's name in the roll's breakdown players see, e.g. `US credibility`."""

    @field_validator("max")
    @classmethod
    def _max_is_a_size(cls, value: int | None) -> int | None:
        # A negative cap would read as "at most −20" but flip a penalty into a bonus.
        if value is not None and value < 0:
            raise ValueError(
                f"`max` is a size, not a signed cap: write {-value} to keep a penalty within "
                f"{value} (the sign comes from `chance`)"
            )
        return value


class Roll(Model):
    """A chance of success in percent: base plus modifiers read from the state, clamped."""

    model_config = examples(
        {
            "base": 50,
            "modifiers": [
                {
                    "metric": {"kind": "track", "track": "credibility"},
                    "chance": 5,
                    "label": "credibility",
                }
            ],
        }
    )

    base: int = Field(ge=0, le=100)
    """The chance of success in percent before modifiers (0 to 100)."""
    modifiers: list[RollModifier] = []
    """Bonuses and penalties read from the state when the card resolves."""
    min: int = Field(default=5, ge=0, le=100)
    """The chance never goes below this, whatever the modifiers."""
    max: int = Field(default=95, ge=0, le=100)
    """The chance never goes above this, whatever the modifiers."""


class Citation(Model):
    """A document or public record a card rests on, cited so a reader can look it up: for a
    scenario built from several documents, news reports or public records rather than one
    source text. Shown as a citation (author, title, date, page, address), never as a quotation.
    """

    model_config = examples(
        {
            "author": "Pacific Islands Forum",
            "title": "Boe Declaration on Regional Security",
            "date": "2018-09-05",
            "url": "https://www.forumsec.org/",
        },
        {"title": "Annual report to Congress", "date": "2021", "page": "p. 112"},
    )

    author: str = Field(default="", max_length=200)
    """Who wrote or issued it (a person, a government, an organisation); may be left out."""
    title: str = Field(min_length=1, max_length=300)
    """The document's title, e.g. `Boe Declaration on Regional Security`."""
    date: Annotated[str, StringConstraints(max_length=40)] | int = ""
    """When it was published or said, as you would write it: `2018-09-05`, `March 2019`,
    `2019`."""
    page: Annotated[str, StringConstraints(max_length=40)] | int = ""
    """Where in it: `p. 12`, `pp. 3-5`, `section 4`, `12`."""
    url: str = Field(default="", max_length=500, pattern=r"^(https?://\S+)?$")
    """Its web address, starting with `http://` or `https://`."""

    def describe(self) -> str:
        """'Author, Title, date, page, url' with the empty parts left out."""
        parts = (self.author, self.title, str(self.date), self.page_text, self.url)
        return ", ".join(p.strip() for p in parts if p.strip())

    @property
    def page_text(self) -> str:
        """`page` as written, or `p. 12` for a bare number."""
        return f"p. {self.page}" if isinstance(self.page, int) else self.page


class Source(Model):
    """Where the move comes from: a verbatim passage of the scenario's source text (`quote`,
    and `note` when it is from a note), a `citation` of another document, or both. At least one
    of `quote` and `citation` is needed."""

    model_config = examples(
        {
            "quote": "China would make an additional contribution of RMB10 million to the SCO.",
            "note": 5,
        },
        {
            "citation": {
                "author": "Pacific Islands Forum",
                "title": "Boe Declaration",
                "date": "2018",
            }
        },
    )

    quote: str | None = Field(default=None, min_length=10, max_length=300)
    """A verbatim passage from the scenario's source text (10 to 300 characters), shown in
    quotation marks. With a `SOURCE.txt` beside `scenario.yaml`, `wargame validate` checks that
    the passage is in it word for word."""
    note: int | None = Field(default=None, ge=1)
    """The source's note number, when the passage is from a note."""
    citation: Citation | None = None
    """The document or record the move comes from, when it is not (only) the source text."""

    @model_validator(mode="after")
    def _quote_or_citation(self) -> Source:
        if self.quote is None and self.citation is None:
            raise ValueError("give a `quote` from the source text, a `citation`, or both")
        if self.note is not None and self.quote is None:
            raise ValueError("`note` numbers a quoted passage: give the `quote` too")
        return self


class Card(Model):
    """A move a role spends influence on (or an event, in the event deck)."""

    model_config = examples(
        {
            "id": "east-state-visit",
            "title": "State visit",
            "cost": 3,
            "target": {"kind": "country", "filter": {"not_allied_with": "west"}},
            "roll": {"base": 50},
            "on_success": [{"kind": "ties", "power": "east", "channel": "government", "delta": 2}],
            "on_failure": [{"kind": "track", "track": "tension", "delta": 1}],
            "source": {"citation": {"title": "Shipping on the Great Lake", "date": 2029}},
            "text": "The East's president visits the town: a warm welcome builds ties.",
            "tags": ["diplomacy"],
        }
    )

    id: Id
    """The card's identifier, unique in the scenario, e.g. `cn-fund-sco`."""
    title: str = Field(min_length=1, max_length=80)
    """The card's title as players read it (1 to 80 characters)."""
    cost: int = Field(default=1, ge=0, le=20)
    """The influence it costs to play (0 to 20); an event card is never paid for."""
    target: Target | None = None
    """What the player chooses when playing it; no choice when omitted."""
    requires: list[Condition] = []
    """Conditions that must all hold for the card to be played (and for an event to take effect)."""
    roll: Roll | None = None
    """A chance of success; the card always takes effect when omitted."""
    on_play: list[Effect] = []
    """Effects applied when the card resolves, before any roll."""
    on_success: list[Effect] = []
    """Effects applied when the roll succeeds (needs `roll`)."""
    on_failure: list[Effect] = []
    """Effects applied when the roll fails (needs `roll`)."""
    once: bool = False
    """Removed from the game once played; otherwise it goes to its owner's discard pile."""
    inject_only: bool = False
    """Event cards only the facilitator puts in play; never drawn at random."""
    turn: int | None = Field(default=None, ge=1)
    """Events only: the turn this event belongs to, e.g. `turn: 3`. It comes in at that
    turn's event phase, before (and besides) the random draw, and is never drawn at random;
    if its `requires` do not hold then, it is set aside and does not use up the turn's event.
    Give `turn` or `year`, not both."""
    year: int | None = None
    """Events only: the year this event belongs to, e.g. `year: 2022`; it comes in at the
    turn that covers that year (see `turn`)."""
    source: Source
    """Where the move comes from: a verbatim passage of the source text, a citation, or both."""
    basis: Basis | None = None
    """Where the card's effects come from; without it, the source passage it quotes."""
    text: str = Field(min_length=10, max_length=600)
    """One to three sentences a student understands without the article."""
    tags: list[Id] = []
    """Labels (`funding`, `alliance_reaffirmation`) that modifiers and the lab use to group
    cards."""

    @model_validator(mode="after")
    def _roll_and_outcomes(self) -> Card:
        if self.roll is None and (self.on_success or self.on_failure):
            raise ValueError("`on_success`/`on_failure` need a `roll`")
        if not (self.on_play or self.on_success or self.on_failure):
            raise ValueError("a card needs at least one effect")
        if self.turn is not None and self.year is not None:
            raise ValueError("give the event's `turn` or its `year`, not both")
        return self

    @property
    def is_scheduled(self) -> bool:
        """An event that belongs to one turn (`turn` or `year`) rather than a random draw."""
        return self.turn is not None or self.year is not None


class Deck(Model):
    """One deck file: the cards of one role, or the event deck (`owner: events`)."""

    deck: Id
    """The deck's identifier: a role's `deck:` names it."""
    owner: Id
    """The role that plays these cards, or `events` for the event and inject deck."""
    cards: list[Card] = Field(min_length=1)
    """The cards of the deck (at least one)."""
