"""Reference checks over a validated Scenario: every id a card or rule names must exist, and
every card must be playable by someone.

The schema only knows shapes; whether `amber` is a country, `navy` a channel or `self` a role
depends on the whole scenario and all its decks, so it is checked here, once, at load. The
engine then trusts every id it reads and never has to handle a dangling one mid-game.

Problems are located through `locate(path, message)`, where `path` is a key path in the
assembled Scenario (`('decks', 2, 'cards', 3, 'on_play', 0, 'power')`); the loader maps it
back to the file and line it came from.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from wargame.errors import Problem
from wargame.schema.cards import Card, Target
from wargame.schema.language import (
    AllianceEffect,
    AlliancesMetric,
    BridgeEffect,
    BridgesMetric,
    CountryFilter,
    DrawEffect,
    FlagCondition,
    FlagMetric,
    FormAllianceEffect,
    InfluenceEffect,
    InfluenceMetric,
    InstitutionFilter,
    JoinEffect,
    LeanBound,
    LeanEffect,
    LeanMetric,
    LeaveEffect,
    MembersMetric,
    ModifierEffect,
    PowerFilter,
    SeatedCondition,
    StandingBound,
    StandingMetric,
    TieBound,
    TiesEffect,
    TiesMetric,
    TrackCondition,
    TrackEffect,
    TrackMetric,
    VpEffect,
    VpMetric,
)
from wargame.schema.maps import map_problems
from wargame.schema.names import flags_and_tags
from wargame.schema.never_holds import check_values
from wargame.schema.scenario import Country, CountryAlliance, Scenario
from wargame.schema.yaml_positions import KeyPath, format_path

Locate = Callable[[KeyPath, str], Problem]

EVENTS = "events"
"""The owner of the event deck: drawn by the game, played by no role."""
SELF = "self"
ANY = "any"
ALL = "all"
TARGET = "target"
"""In an effect's `power`: the power the player chose as the card's target."""

_SCOPED = (TiesEffect, AllianceEffect, FormAllianceEffect, JoinEffect, LeaveEffect)
"""Effects on countries that fall back to the card's chosen country targets."""


def unlocated(path: KeyPath, message: str) -> Problem:
    """A `Locate` for scenarios built in code: the key path is the only location there is."""
    return Problem("<scenario>", 0, 0, format_path(path), message)


def check_references(
    scenario: Scenario,
    locate: Locate = unlocated,
    *,
    complete: bool = True,
    shortened: bool = False,
) -> list[Problem]:
    """Every reference problem in the scenario and its decks.

    `complete=False` says some deck file could not be read or validated: checks that need every
    card (a role's deck exists, a flag is set somewhere, a modifier's tag is used) are skipped
    rather than reported falsely. `shortened=True` says the scenario may be played shorter
    than written (a save's embedded scenario, a sweep's variant): an event scheduled after its
    last turn then simply never comes, and is not a mistake."""
    return _Checker(scenario, locate, complete, shortened).run()


@dataclass(frozen=True)
class _Context:
    """What a node may refer to where it stands."""

    self_role: str | None
    """The role `self` means here, or None where no role is playing."""
    where: str
    """Names the place in messages: `the events deck`, `a drift rule`."""
    target: Target | None = None
    in_card: bool = False


class _Checker:
    def __init__(
        self, scenario: Scenario, locate: Locate, complete: bool, shortened: bool = False
    ) -> None:
        self.s = scenario
        self.locate = locate
        self.complete = complete
        self.shortened = shortened
        self.problems: list[Problem] = []
        self.powers = {p.id for p in scenario.powers}
        self.channels = {c.id for c in scenario.channels}
        self.regions = {r.id for r in scenario.regions}
        self.countries = {c.id for c in scenario.countries}
        self.institutions = {i.id for i in scenario.institutions}
        self.tracks = {t.id for t in scenario.tracks}
        self.roles = {r.id: r for r in scenario.roles}
        self.groups = {g.id for g in scenario.status.groups}
        agenda = {r.id for r in scenario.roles if r.agenda and r.power is None}
        self.lean_sides = self.powers | agenda
        self.lean_what = "power or agenda role" if agenda else "power"
        self.decks = {d.deck for d in scenario.decks}
        self.flags_set: set[str] = set()
        self.card_tags: set[str] = set()

    def add(self, path: KeyPath, message: str) -> None:
        self.problems.append(self.locate(path, message))

    def run(self) -> list[Problem]:
        self._collect_flags_and_tags()
        self._duplicates()
        self._reserved()
        self._world()
        self._roles()
        for path, message in map_problems(self.s):
            self.add(path, message)
        for i, rule in enumerate(self.s.drift):
            self._walk(rule, ("drift", i), _Context(None, "a drift rule"))
        for i, ending in enumerate(self.s.sudden_death):
            path = ("sudden_death", i)
            self._walk(ending.when, (*path, "when"), _Context(None, "a sudden-death rule"))
            if ending.winner is not None:
                self.need(ending.winner, set(self.roles), "role", (*path, "winner"))
            seen: set[str] = set()
            for j, role in enumerate(ending.winners or ()):
                self.need(role, set(self.roles), "role", (*path, "winners", j))
                if role in seen:
                    self.add((*path, "winners", j), f"`{role}` is listed twice")
                seen.add(role)
        self._decks()
        self.problems += check_values(self.s, self.locate, shortened=self.shortened)
        return self.problems

    # ----------------------------------------------------------------- helpers

    def need(self, value: str, known: Iterable[str], what: str, path: KeyPath) -> None:
        """Report `value` unless it is one of `known`, suggesting the nearest id."""
        known = set(known)
        if value not in known:
            self.add(path, f"unknown {what} `{value}`{_hint(value, known, what)}")

    def need_all(
        self, values: Iterable[str] | None, known: Iterable[str], what: str, path: KeyPath
    ) -> None:
        known = set(known)
        for i, value in enumerate(values or []):
            self.need(value, known, what, (*path, i))

    def role_ref(self, value: str, ctx: _Context, path: KeyPath) -> None:
        if value == SELF:
            if ctx.self_role is None:
                self.add(
                    path, f"`self` means the playing role, and {ctx.where} has none: name a role"
                )
            return
        self.need(value, self.roles, "role", path)

    def _duplicates(self) -> None:
        lists: list[tuple[str, KeyPath, Iterable[Any]]] = [
            ("power", ("powers",), self.s.powers),
            ("channel", ("channels",), self.s.channels),
            ("region", ("regions",), self.s.regions),
            ("country", ("countries",), self.s.countries),
            ("institution", ("institutions",), self.s.institutions),
            ("track", ("tracks",), self.s.tracks),
            ("role", ("roles",), self.s.roles),
            ("group", ("status", "groups"), self.s.status.groups),
            ("drift rule", ("drift",), self.s.drift),
            ("sudden-death rule", ("sudden_death",), self.s.sudden_death),
        ]
        for i, role in enumerate(self.s.roles):
            lists.append(("objective", ("roles", i, "objectives"), role.objectives))
        for what, path, items in lists:
            first: dict[str, int] = {}
            for i, item in enumerate(items):
                if item.id in first:
                    where = format_path((*path, first[item.id]))
                    self.add((*path, i, "id"), f"duplicate {what} id `{item.id}` (also {where})")
                else:
                    first[item.id] = i
        # Short names stand for their item where space is short: two alike would be two teams
        # (or tracks, institutions) the log cannot tell apart.
        shorts: list[tuple[str, KeyPath, Iterable[Any]]] = [
            ("role", ("roles",), self.s.roles),
            ("track", ("tracks",), self.s.tracks),
            ("institution", ("institutions",), self.s.institutions),
        ]
        for what, path, items in shorts:
            seen: dict[str, int] = {}
            for i, item in enumerate(items):
                if item.short is None:
                    continue
                key = item.short.casefold()
                if key in seen:
                    where = format_path((*path, seen[key]))
                    self.add(
                        (*path, i, "short"),
                        f"duplicate {what} short name `{item.short}` (also {where})",
                    )
                else:
                    seen[key] = i
        clash = self.countries & self.powers
        for i, country in enumerate(self.s.countries):
            if country.id in clash:
                self.add(
                    ("countries", i, "id"),
                    f"`{country.id}` is both a country and a power; "
                    "institution members could not tell them apart",
                )

    def _reserved(self) -> None:
        for i, role in enumerate(self.s.roles):
            if role.id in (SELF, EVENTS):
                self.add(("roles", i, "id"), f"`{role.id}` is a reserved word, not a role id")
        for i, power in enumerate(self.s.powers):
            if power.id == ANY:
                self.add(
                    ("powers", i, "id"), "`any` is a reserved word (any power), not a power id"
                )
            if power.id == TARGET:
                self.add(
                    ("powers", i, "id"),
                    "`target` is a reserved word (the power a player chooses), not a power id",
                )
        for i, channel in enumerate(self.s.channels):
            if channel.id == ALL:
                self.add(
                    ("channels", i, "id"),
                    "`all` is a reserved word (every channel), not a channel id",
                )

    def _collect_flags_and_tags(self) -> None:
        names = flags_and_tags(self.s)
        self.flags_set = set(names.flags_set)
        self.card_tags = set(names.card_tags)

    # ----------------------------------------------------------------- the world

    def _world(self) -> None:
        s = self.s
        for channel in s.status.channel_weights:
            self.need(channel, self.channels, "channel", ("status", "channel_weights", channel))
        for i, group in enumerate(s.status.groups):
            self.need_all(
                group.aligned_with, self.powers, "power", ("status", "groups", i, "aligned_with")
            )
        if s.alliance.per_country > max(len(s.powers), 1):
            n = len(s.powers)
            self.add(
                ("alliance", "per_country"),
                f"`per_country: {s.alliance.per_country}` is more than the {n} "
                f"power{'' if n == 1 else 's'}: a country holds at most one alliance per power; "
                f"write {n} or less",
            )
        for power, value in s.alliance.decay_with.items():
            self.need(power, self.powers, "power", ("alliance", "decay_with", power))
            if value < 0:
                self.add(
                    ("alliance", "decay_with", power),
                    f"decay {value} is below 0: an alliance cannot grow by itself",
                )
        for i, country in enumerate(s.countries):
            path: KeyPath = ("countries", i)
            self.need(country.region, self.regions, "region", (*path, "region"))
            for power, channels in country.ties.items():
                self.need(power, self.powers, "power", (*path, "ties", power))
                for channel, value in channels.items():
                    where = (*path, "ties", power, channel)
                    self.need(channel, self.channels, "channel", where)
                    if not s.ties.min <= value <= s.ties.max:
                        self.add(
                            where,
                            f"tie {value} is outside the tie bounds [{s.ties.min}, {s.ties.max}]",
                        )
            self._starting_alliances(country, path)
        members_known = self.countries | self.powers
        for i, inst in enumerate(s.institutions):
            path = ("institutions", i)
            seen: set[str] = set()
            for j, member in enumerate(inst.members):
                self.need(member, members_known, "country or power", (*path, "members", j))
                if member in seen:
                    self.add((*path, "members", j), f"`{member}` is listed twice")
                seen.add(member)
            for power, value in inst.lean.items():
                self._lean_side(power, (*path, "lean", power))
                if not s.lean.min <= value <= s.lean.max:
                    self.add(
                        (*path, "lean", power),
                        f"lean {value} is outside the lean bounds [{s.lean.min}, {s.lean.max}]",
                    )

    def _starting_alliances(self, country: Country, path: KeyPath) -> None:
        s = self.s
        if country.alliance is not None and country.alliances:
            self.add(
                (*path, "alliances"),
                "give either `alliance` (one) or `alliances` (a list), not both: "
                "put the one in `alliance` into the list",
            )
        entries: list[tuple[CountryAlliance, KeyPath]] = []
        if country.alliance is not None:
            entries.append((country.alliance, (*path, "alliance")))
        entries.extend((a, (*path, "alliances", j)) for j, a in enumerate(country.alliances))
        seen: set[str] = set()
        for entry, where in entries:
            self.need(entry.power, self.powers, "power", (*where, "power"))
            if entry.power in seen:
                self.add(
                    (*where, "power"),
                    f"a second alliance with `{entry.power}`: a country holds one alliance "
                    "per power; give it one entry with the strength it starts at",
                )
            seen.add(entry.power)
            if entry.strength > s.alliance.max:
                self.add(
                    (*where, "strength"),
                    f"alliance strength {entry.strength} is above the maximum {s.alliance.max}",
                )
        if len(entries) > s.alliance.per_country:
            self.add(
                (*path, "alliances"),
                f"{len(entries)} alliances at the start, but `alliance.per_country` is "
                f"{s.alliance.per_country}: a country may hold only that many; raise "
                "`alliance.per_country` or drop one",
            )

    def _roles(self) -> None:
        for i, role in enumerate(self.s.roles):
            path: KeyPath = ("roles", i)
            if role.power is not None:
                self.need(role.power, self.powers, "power", (*path, "power"))
                if role.agenda:
                    self.add(
                        (*path, "agenda"),
                        f"role `{role.id}` speaks for power `{role.power}`, and institutions "
                        "lean toward the power: `agenda` is for roles without one",
                    )
            self.need_all(role.countries, self.countries, "country", (*path, "countries"))
            if self.complete and role.deck not in self.decks:
                self.add(
                    (*path, "deck"),
                    f"role `{role.id}` plays deck `{role.deck}`, but no deck file declares "
                    f"`deck: {role.deck}`{_close(role.deck, self.decks)}",
                )
            ctx = _Context(role.id, f"role `{role.id}`")
            self._walk(role.income, (*path, "income"), ctx)
            self._walk(role.objectives, (*path, "objectives"), ctx)

    # ----------------------------------------------------------------- decks and cards

    def _decks(self) -> None:
        first_deck: dict[str, int] = {}
        first_card: dict[str, str] = {}
        for j, deck in enumerate(self.s.decks):
            path: KeyPath = ("decks", j)
            if deck.deck in first_deck:
                self.add((*path, "deck"), f"deck `{deck.deck}` is declared twice")
            first_deck.setdefault(deck.deck, j)
            is_events = deck.owner == EVENTS
            if is_events:
                ctx = _Context(None, "the events deck")
                players = [r.id for r in self.s.roles if r.deck == deck.deck]
                if players:
                    self.add(
                        (*path, "deck"),
                        f"role `{players[0]}` plays deck `{deck.deck}`, which is the events deck",
                    )
            else:
                ctx = _Context(deck.owner, f"deck `{deck.deck}`")
                owner = self.roles.get(deck.owner)
                if owner is None:
                    hint = _hint(deck.owner, {*self.roles, EVENTS}, "owner")
                    self.add(
                        (*path, "owner"),
                        f"unknown owner `{deck.owner}`{hint}: no role can play these cards "
                        "(the owner is a role id or `events`)",
                    )
                elif owner.deck != deck.deck:
                    self.add(
                        (*path, "owner"),
                        f"deck `{deck.deck}` is owned by role "
                        f"`{owner.id}`, which plays deck `{owner.deck}`: no role can play "
                        "these cards",
                    )
            for k, card in enumerate(deck.cards):
                card_path = (*path, "cards", k)
                if card.id in first_card:
                    self.add(
                        (*card_path, "id"),
                        f"duplicate card id `{card.id}` (also in deck `{first_card[card.id]}`)",
                    )
                else:
                    first_card[card.id] = deck.deck
                self._card(card, card_path, ctx, is_events)

    def _card(self, card: Card, path: KeyPath, ctx: _Context, is_events: bool) -> None:
        if is_events and card.target is not None:
            self.add(
                (*path, "target"),
                "event cards are played by no one, so they cannot choose a `target`",
            )
        if card.inject_only and not is_events:
            self.add((*path, "inject_only"), "`inject_only` is for the events deck only")
        self._schedule(card, path, is_events)
        ctx = _Context(ctx.self_role, ctx.where, card.target, in_card=True)
        for name in ("target", "requires", "roll", "on_play", "on_success", "on_failure"):
            self._walk(getattr(card, name), (*path, name), ctx)

    def _schedule(self, card: Card, path: KeyPath, is_events: bool) -> None:
        """A scheduled event must fall inside the game, in the events deck, drawn by no one."""
        name = "turn" if card.turn is not None else "year" if card.year is not None else None
        if name is None:
            return
        if not is_events:
            self.add(
                (*path, name),
                f"`{name}` schedules an event, but this card is in a role's deck, which its "
                "team plays when it chooses: move it to the events deck or remove the line",
            )
            return
        if card.inject_only:
            self.add(
                (*path, name),
                f"a scheduled event comes in by itself at its {name}, so it cannot also be "
                "`inject_only` (kept for the facilitator): remove one of the two",
            )
        turns = self.s.turns
        last_year = turns.start_year + (turns.count - 1) * turns.years_per_turn
        if card.turn is not None and card.turn > turns.count and not self.shortened:
            self.add(
                (*path, "turn"),
                f"turn {card.turn} never comes: the game has {turns.count} turns",
            )
        before = card.year is not None and card.year < turns.start_year
        after = card.year is not None and turns.turn_of_year(card.year) is None and not before
        if before or (after and not self.shortened):
            self.add(
                (*path, "year"),
                f"year {card.year} never comes: the game covers {turns.start_year}"
                f"–{last_year + turns.years_per_turn - 1}",
            )

    # ----------------------------------------------------------------- the card language

    def _walk(self, node: object, path: KeyPath, ctx: _Context) -> None:
        if isinstance(node, BaseModel):
            self._check(node, path, ctx)
            for name in type(node).model_fields:
                self._walk(getattr(node, name), (*path, name), ctx)
        elif isinstance(node, list | tuple):
            for i, item in enumerate(node):
                self._walk(item, (*path, i), ctx)

    def _check(self, node: BaseModel, path: KeyPath, ctx: _Context) -> None:
        def at(name: str) -> KeyPath:
            return (*path, name)

        if isinstance(node, TiesEffect | AllianceEffect | FormAllianceEffect | LeanEffect):
            if node.power == TARGET:
                if not self._has_target(ctx, "power"):
                    self.add(
                        at("power"),
                        "`power: target` acts on the power the player chooses, but "
                        f"{self._no_target(ctx, 'power')}: add `target: {{kind: power}}` "
                        "or name a power",
                    )
                # The rest of the node (channels, scope) is checked as usual.
                node = node.model_copy(update={"power": next(iter(self.powers), "")})
        if isinstance(node, PowerFilter):
            self.need_all(node.ids, self.powers, "power", at("ids"))
            self.need_all(node.exclude, self.powers, "power", at("exclude"))
            left = [
                p
                for p in self.powers
                if (node.ids is None or p in node.ids) and p not in (node.exclude or ())
            ]
            count = ctx.target.count if ctx.target is not None else 1
            if len(left) < count:
                self.add(
                    path,
                    f"the player must choose {count} power{'' if count == 1 else 's'}, but "
                    f"this filter leaves {len(left)}: the card could never be played",
                )
        if isinstance(node, CountryFilter):
            self.need_all(node.ids, self.countries, "country", at("ids"))
            self.need_all(node.exclude, self.countries, "country", at("exclude"))
            self.need_all(node.region, self.regions, "region", at("region"))
            self.need_all(node.aligned_with, self.powers, "power", at("aligned_with"))
            self.need_all(node.member_of, self.institutions, "institution", at("member_of"))
            self.need_all(node.not_member_of, self.institutions, "institution", at("not_member_of"))
            for name in ("group", "not_group"):
                value = getattr(node, name)
                if value is not None:
                    self.need(value, self.groups, "group", at(name))
            for name in ("allied_with", "not_allied_with"):
                value = getattr(node, name)
                if value is not None and value != ANY:
                    self.need(value, self.powers, "power", at(name))
            for name in ("of_role", "not_of_role"):
                value = getattr(node, name)
                if value is not None:
                    self.role_ref(value, ctx, at(name))
        elif isinstance(node, InstitutionFilter):
            self.need_all(node.ids, self.institutions, "institution", at("ids"))
            self.need_all(node.exclude, self.institutions, "institution", at("exclude"))
            if node.has_member is not None:
                self.need(
                    node.has_member,
                    self.countries | self.powers,
                    "country or power",
                    at("has_member"),
                )
        elif isinstance(node, TieBound):
            self.need(node.power, self.powers, "power", at("power"))
            if node.channel is not None:
                self.need(node.channel, self.channels, "channel", at("channel"))
        elif isinstance(
            node, StandingBound | StandingMetric | AlliancesMetric | FormAllianceEffect
        ):
            self.need(node.power, self.powers, "power", at("power"))
        elif isinstance(node, LeanBound | LeanMetric | LeanEffect):
            self._lean_side(node.power, at("power"))
        elif isinstance(node, TrackMetric | TrackCondition | TrackEffect):
            self.need(node.track, self.tracks, "track", at("track"))
        elif isinstance(node, TiesMetric):
            self.need(node.power, self.powers, "power", at("power"))
            if node.channel is not None:
                self.need(node.channel, self.channels, "channel", at("channel"))
        elif isinstance(node, TiesEffect):
            self.need(node.power, self.powers, "power", at("power"))
            if isinstance(node.channel, list):
                self.need_all(node.channel, self.channels, "channel", at("channel"))
            elif node.channel != ALL:
                self.need(node.channel, self.channels, "channel", at("channel"))
        elif isinstance(node, AllianceEffect) and node.power is not None:
            self.need(node.power, self.powers, "power", at("power"))
        elif isinstance(node, BridgesMetric):
            if node.institution is not None:
                self.need(node.institution, self.institutions, "institution", at("institution"))
            if node.lean_power is not None:
                self._lean_side(node.lean_power, at("lean_power"))
        elif isinstance(node, InfluenceMetric | VpMetric | InfluenceEffect | VpEffect | DrawEffect):
            self.role_ref(node.role, ctx, at("role"))
        elif isinstance(node, ModifierEffect):
            self.role_ref(node.role, ctx, at("role"))
            if self.complete:
                for i, tag in enumerate(node.tags):
                    if tag not in self.card_tags:
                        self.add(
                            (*path, "tags", i),
                            f"no card has tag `{tag}`, so this "
                            f"modifier never applies{_close(tag, self.card_tags)}",
                        )
        elif isinstance(node, SeatedCondition):
            self.need(node.role, self.roles, "role", at("role"))
            role = self.roles.get(node.role)
            if role is not None and not role.optional:
                self.add(
                    at("role"),
                    f"role `{node.role}` is not optional, so it is always seated and this "
                    f"condition is always {'true' if node.seated else 'false'}",
                )
        elif isinstance(node, FlagCondition | FlagMetric):
            if self.complete and node.flag not in self.flags_set:
                self.add(
                    at("flag"),
                    f"flag `{node.flag}` is never set by any effect"
                    f"{_close(node.flag, self.flags_set)}",
                )
        elif isinstance(node, BridgeEffect):
            self.need_all(node.institutions, self.institutions, "institution", at("institutions"))
        if isinstance(node, MembersMetric | LeanMetric):
            self.need(node.institution, self.institutions, "institution", at("institution"))
        if isinstance(node, JoinEffect | LeaveEffect | LeanEffect):
            if node.institution is not None:
                self.need(node.institution, self.institutions, "institution", at("institution"))
            elif not self._has_target(ctx, "institution"):
                self.add(
                    path,
                    f"`{node.kind}` without `institution` acts on the chosen "
                    f"institution, but {self._no_target(ctx, 'institution')}",
                )
        if isinstance(node, _SCOPED):
            self.need_all(node.countries, self.countries, "country", at("countries"))
            if (
                node.countries is None
                and node.where is None
                and not self._has_target(ctx, "country")
            ):
                self.add(
                    path,
                    f"`{node.kind}` without `countries` or `where` acts on the chosen "
                    f"countries, but {self._no_target(ctx, 'country')}",
                )
        if isinstance(node, TiesMetric | StandingMetric) and node.of == "targets":
            if not self._has_target(ctx, "country"):
                self.add(
                    at("of"),
                    f"`of: targets` reads the chosen countries, but "
                    f"{self._no_target(ctx, 'country')}",
                )
        if isinstance(node, BridgeEffect):
            target = ctx.target
            chosen = target.count if target is not None and target.kind == "institution" else 0
            fixed = len(node.institutions)
            if fixed + chosen != 2:
                self.add(
                    path,
                    f"a bridge joins exactly two institutions, but this one has "
                    f"{fixed} in `institutions` and {chosen} chosen by the card's target",
                )

    def _lean_side(self, value: str, path: KeyPath) -> None:
        """A lean is toward a power or a role with its own agenda."""
        role = self.roles.get(value)
        if role is not None and value not in self.lean_sides:
            if role.power is not None:
                message = (
                    f"`{value}` is a role; institutions lean toward the power it speaks "
                    f"for: write `{role.power}`"
                )
            else:
                message = (
                    f"`{value}` is a role without an agenda of its own: give role "
                    f"`{value}` `agenda: true` so institutions can lean its way"
                )
            self.add(path, message)
            return
        self.need(value, self.lean_sides, self.lean_what, path)

    @staticmethod
    def _has_target(ctx: _Context, kind: str) -> bool:
        return ctx.target is not None and ctx.target.kind == kind

    @staticmethod
    def _no_target(ctx: _Context, kind: str) -> str:
        if not ctx.in_card:
            return f"{ctx.where} has no targets"
        return f"the card has no {kind} `target`"


def _hint(value: str, known: set[str], what: str) -> str:
    """The nearest id, or the short list of ids there are, so a typo fixes itself."""
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    if close:
        return f" (did you mean `{close[0]}`?)"
    if not known:
        return f" (the scenario defines no {what})"
    if len(known) <= 12:
        return f" (known: {', '.join(sorted(known))})"
    return ""


def _close(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""
