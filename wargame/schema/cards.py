"""Cards and decks: the moves players spend influence on.

A card is played by the role that owns its deck (or drawn from the event deck). It may choose
targets, must meet its requirements, pays its cost when committed, applies `on_play` when it
resolves, then — if it has a roll — draws a chance outcome and applies `on_success` or
`on_failure`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from wargame.schema.base import Basis, Id, Model, Percent
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

    kind: Literal["country", "institution", "power"]
    count: int = Field(default=1, ge=1, le=3)
    filter: CountryFilter | InstitutionFilter | PowerFilter | None = None

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

    metric: Metric | None = None
    per: int = Field(default=1, ge=1)
    chance: Percent
    when: Condition | None = None
    max: Percent | None = None
    label: str = ""


class Roll(Model):
    """A chance of success in percent: base plus modifiers read from the state, clamped."""

    base: int = Field(ge=0, le=100)
    modifiers: list[RollModifier] = []
    min: int = Field(default=5, ge=0, le=100)
    max: int = Field(default=95, ge=0, le=100)


class Source(Model):
    """Where in the source document the move comes from."""

    quote: str = Field(min_length=10, max_length=300)
    """Verbatim passage from the source text."""
    note: int | None = Field(default=None, ge=1)
    """The source's note number, when the passage is from a note."""


class Card(Model):
    id: Id
    title: str = Field(min_length=1, max_length=80)
    cost: int = Field(default=1, ge=0, le=20)
    target: Target | None = None
    requires: list[Condition] = []
    roll: Roll | None = None
    on_play: list[Effect] = []
    on_success: list[Effect] = []
    on_failure: list[Effect] = []
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
    basis: Basis | None = None
    """Where the card's effects come from; without it, the source passage it quotes."""
    text: str = Field(min_length=10, max_length=600)
    """One to three sentences a student understands without the article."""
    tags: list[Id] = []

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
    owner: Id
    """The role that plays these cards, or `events` for the event and inject deck."""
    cards: list[Card] = Field(min_length=1)
