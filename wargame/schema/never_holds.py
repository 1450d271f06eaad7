"""Values that are well formed but can never hold, and effects that can never act.

A `requires` of a track at 11 on a 0–10 track, a turn 99 in a six-turn game or a
`form_alliance` stronger than `alliance.max` pass the schema and every reference check, and
then silently never happen in play. They are found here, once, at load, from the scenario's
own bounds, and reported like any other problem: with the file, the line and what to change.
Run after the reference checks, on references that resolve (an unknown track is reported
there, and skipped here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pydantic import BaseModel

from wargame.errors import Problem
from wargame.schema.cards import Card, Target
from wargame.schema.language import (
    AllianceEffect,
    CountriesMetric,
    CountryFilter,
    FlagMetric,
    FormAllianceEffect,
    LeanBound,
    LeanMetric,
    MetricCondition,
    TieBound,
    TrackCondition,
    TrackMetric,
    TurnCondition,
    TurnMetric,
)
from wargame.schema.scenario import CountryAlliance, Scenario
from wargame.schema.yaml_positions import KeyPath

Locate = Callable[[KeyPath, str], Problem]


def check_values(scenario: Scenario, locate: Locate, *, shortened: bool = False) -> list[Problem]:
    """Every bound that can never be met and every `form_alliance` that can never form.
    `shortened=True` (a save's or a sweep's copy, possibly played with fewer turns than
    written) leaves out the bounds past the last turn, which hold in the full game."""
    return _Values(scenario, locate, shortened).run()


def _walk(
    node: object, path: KeyPath, card: Card | None
) -> Iterator[tuple[BaseModel, KeyPath, Card | None]]:
    """Every model below `node` with its key path and the card it belongs to, if any."""
    if isinstance(node, BaseModel):
        card = node if isinstance(node, Card) else card
        yield node, path, card
        for name in type(node).model_fields:
            yield from _walk(getattr(node, name), (*path, name), card)
    elif isinstance(node, list | tuple):
        for i, item in enumerate(node):
            yield from _walk(item, (*path, i), card)


class _Values:
    def __init__(self, scenario: Scenario, locate: Locate, shortened: bool) -> None:
        self.s = scenario
        self.locate = locate
        self.last_turn = 10**9 if shortened else scenario.turns.count
        self.problems: list[Problem] = []
        self.tracks = {t.id: t for t in scenario.tracks}
        self.weights = sum(c.weight for c in scenario.countries)

    def run(self) -> list[Problem]:
        for node, path, card in _walk(self.s, (), None):
            self._bounds(node, path)
            if isinstance(node, FormAllianceEffect):
                self._form_alliance(node, path, card)
        return self.problems

    def add(self, path: KeyPath, message: str) -> None:
        self.problems.append(self.locate(path, message))

    # ------------------------------------------------------------------ bounds

    def _range(self, node: BaseModel) -> tuple[int, int, str] | None:
        """The values the thing a bound tests can take, and its name in a message."""
        s = self.s
        if isinstance(node, TrackCondition):
            return self._track(node.track)
        if isinstance(node, TurnCondition):
            return 1, self.last_turn, f"the game has {s.turns.count} turns"
        if isinstance(node, MetricCondition):
            return self._metric(node.metric)
        if isinstance(node, TieBound):
            if node.channel is not None:
                return s.ties.min, s.ties.max, f"a tie goes from {s.ties.min} to {s.ties.max}"
            n = len(s.channels)
            low, high = s.ties.min * n, s.ties.max * n
            return low, high, f"ties summed over the {n} channels go from {low} to {high}"
        if isinstance(node, LeanBound):
            return s.lean.min, s.lean.max, f"a lean goes from {s.lean.min} to {s.lean.max}"
        return None

    def _track(self, track_id: str) -> tuple[int, int, str] | None:
        track = self.tracks.get(track_id)
        if track is None:
            return None
        return track.min, track.max, f"track `{track.id}` goes from {track.min} to {track.max}"

    def _metric(self, metric: BaseModel) -> tuple[int, int, str] | None:
        s = self.s
        if isinstance(metric, TrackMetric):
            return self._track(metric.track)
        if isinstance(metric, TurnMetric):
            return 1, self.last_turn, f"the game has {s.turns.count} turns"
        if isinstance(metric, LeanMetric):
            return s.lean.min, s.lean.max, f"a lean goes from {s.lean.min} to {s.lean.max}"
        if isinstance(metric, FlagMetric):
            return 0, 1, "a flag reads 1 when set, else 0"
        if isinstance(metric, CountriesMetric):
            if metric.weighted:
                return 0, self.weights, f"the countries' weights add up to {self.weights}"
            n = len(s.countries)
            return 0, n, f"the scenario has {n} countries"
        return None

    def _bounds(self, node: BaseModel, path: KeyPath) -> None:
        low = getattr(node, "at_least", None)
        high = getattr(node, "at_most", None)
        if not isinstance(low, int | None) or not isinstance(high, int | None):
            return
        if low is not None and high is not None and low > high:
            self.add(
                (*path, "at_least"),
                f"`at_least: {low}` is above `at_most: {high}`, so this never holds",
            )
            return
        reach = self._range(node)
        if reach is None:
            return
        lo, hi, why = reach
        if low is not None and low > hi:
            self.add(
                (*path, "at_least"),
                f"`at_least: {low}` can never hold: {why}; use a value up to {hi}",
            )
        if high is not None and high < lo:
            self.add(
                (*path, "at_most"),
                f"`at_most: {high}` can never hold: {why}; use a value from {lo}",
            )

    # ------------------------------------------------------------------ alliances

    def _form_alliance(self, node: FormAllianceEffect, path: KeyPath, card: Card | None) -> None:
        top = self.s.alliance.max
        if node.strength > top:
            self.add(
                (*path, "strength"),
                f"strength {node.strength} is above `alliance.max` {top}: alliances never "
                f"get stronger than {top}; write {top} or less, or raise `alliance.max`",
            )
        other = self._allied_elsewhere(node, card)
        if other is not None:
            self.add(
                path,
                f"`form_alliance` with `{node.power}` never acts here: {other}, and a country "
                + (
                    "keeps the alliance it has (an alliance with one power at a time; "
                    "`alliance: {per_country: 2}` lets a country hold two)"
                    if self.s.alliance.per_country == 1
                    else "keeps the alliances it has "
                    f"(at most {self.s.alliance.per_country} at a time)"
                ),
            )

    def _allied_elsewhere(self, node: FormAllianceEffect, card: Card | None) -> str | None:
        """Why every country this effect reaches is always allied with another power, or None
        when that cannot be known before play (as with `power: target`, chosen in play)."""
        if node.power == "target":
            return None
        one_each = self.s.alliance.per_country == 1
        chosen: CountryFilter | None = None
        if node.where is not None:
            chosen = node.where
        elif node.countries is None and card is not None and isinstance(card.target, Target):
            found = card.target.filter
            chosen = found if isinstance(found, CountryFilter) else None
        if chosen is not None:
            ally = chosen.allied_with
            if ally is not None and ally not in ("any", node.power) and one_each:
                return f"it reaches only countries allied with `{ally}`"
            return None
        if node.countries is None:
            return None
        weakened = self._weakened()
        rules = self.s.alliance

        def lasting(a: CountryAlliance) -> bool:
            """An alliance with another power that nothing in the scenario ends."""
            decay = a.decay if a.decay is not None else rules.decay_with.get(a.power, rules.decay)
            return (
                a.power != node.power
                and a.power not in weakened
                and None not in weakened
                and decay == 0
            )

        stuck = [
            c.id
            for c in self.s.countries
            if c.id in node.countries
            and node.power not in {a.power for a in c.starting_alliances()}
            and sum(lasting(a) for a in c.starting_alliances()) >= rules.per_country
        ]
        if stuck and len(stuck) == len(node.countries):
            names = ", ".join(f"`{c}`" for c in stuck)
            if one_each:
                return (
                    f"{names} {'is' if len(stuck) == 1 else 'are'} allied with another power "
                    "from the start and nothing in the scenario ends that alliance"
                )
            return (
                f"{names} {'holds' if len(stuck) == 1 else 'hold'} "
                f"{self.s.alliance.per_country} alliances with other powers from the start "
                "and nothing in the scenario ends them"
            )
        return None

    def _weakened(self) -> set[str | None]:
        """The powers some effect weakens alliances with (None: any power's), besides decay."""
        weakened: set[str | None] = set()
        for node, _, _ in _walk(self.s, (), None):
            if isinstance(node, AllianceEffect) and node.delta < 0:
                weakened.add(None if node.power in (None, "target") else node.power)
        return weakened
