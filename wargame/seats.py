"""Who plays each role: a human team, a bot at some level, or nobody (an optional role left out).

A seat is a small frozen value, one of `HumanSeat`, `BotSeat` and `AbsentSeat`; a game's seats
map role ids to them. Branch with `isinstance` (or `match`) and mypy checks each case. Seats are
written in two forms: the command line's text (`china=greedy:hard,russia=absent`, `parse_seats`)
and the journal header's JSON (`seats_from_json`, `seats_to_json`), whose format is fixed: old
saves load, and a header read and written again is byte-identical.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

from wargame.errors import WargameError

if TYPE_CHECKING:
    from wargame.tables import Tables


@dataclass(frozen=True, slots=True)
class HumanSeat:
    """A team of people at the table."""

    kind: ClassVar[str] = "human"
    name: str | None = None
    """The team's name; None when a save did not record one (screens show the role's name)."""

    def to_json(self) -> dict[str, Any]:
        return {"kind": "human"} if self.name is None else {"kind": "human", "name": self.name}

    def to_text(self) -> str:
        return "human" if self.name is None else f"human:{self.name}"

    def describe(self) -> str:
        return f"team {self.name or '?'}"


@dataclass(frozen=True, slots=True)
class BotSeat:
    """A bot from the registry (`wargame.bots.registry`), at a level it understands."""

    kind: ClassVar[str] = "bot"
    bot: str
    level: str = ""
    """The bot's own level name ("" for its default)."""
    options: tuple[tuple[str, Any], ...] = ()
    """Keyword arguments for the bot, in order (a planner budget from `simulate --planner`)."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": "bot", "bot": self.bot, "level": self.level}
        if self.options:
            out["options"] = dict(self.options)
        return out

    def to_text(self) -> str:
        level = f":{self.level}" if self.level else ""
        opts = ",".join(f"{k}={v}" for k, v in self.options)
        return self.bot + level + (f"({opts})" if opts else "")

    def describe(self) -> str:
        return f"{self.bot} bot" + (f" ({self.level})" if self.level else "")


@dataclass(frozen=True, slots=True)
class AbsentSeat:
    """Nobody: the role sits out the game (only optional roles may)."""

    kind: ClassVar[str] = "absent"

    def to_json(self) -> dict[str, Any]:
        return {"kind": "absent"}

    def to_text(self) -> str:
        return "absent"

    def describe(self) -> str:
        return "absent"


Seat: TypeAlias = HumanSeat | BotSeat | AbsentSeat
Seats: TypeAlias = dict[str, Seat]
"""Role id → seat."""

ABSENT = AbsentSeat()


def seat_of(seats: Mapping[str, Seat], role: str) -> Seat:
    """The seat of `role`; a role the mapping does not name is played by people."""
    return seats.get(role) or HumanSeat()


def present_of(tables: Tables, seats: Mapping[str, Seat]) -> tuple[bool, ...]:
    """Per role, in the scenario's order: does anyone play it?"""
    return tuple(not isinstance(seat_of(seats, r.id), AbsentSeat) for r in tables.roles)


# ---------------------------------------------------------------------- JSON (journal headers)

_KEYS: dict[str, frozenset[str]] = {
    "human": frozenset({"kind", "name"}),
    "bot": frozenset({"kind", "bot", "level", "options"}),
    "absent": frozenset({"kind"}),
}


def seat_from_json(data: object) -> Seat:
    """A seat from its header form. Raises WargameError for anything the engine never wrote
    (so that writing the seat back cannot drop a field)."""
    if not isinstance(data, dict):
        raise WargameError(f"a seat should be an object, not {data!r}")
    kind = data.get("kind")
    allowed = _KEYS.get(kind) if isinstance(kind, str) else None
    if allowed is None:
        raise WargameError(f"unknown seat kind {kind!r} (human, bot or absent)")
    extra = sorted(set(data) - allowed)
    if extra:
        raise WargameError(f"a {kind} seat has unexpected fields: {', '.join(extra)}")
    if kind == "absent":
        return ABSENT
    if kind == "human":
        name = data.get("name")
        if name is not None and not isinstance(name, str):
            raise WargameError(f"a team name should be text, not {name!r}")
        return HumanSeat(name)
    bot, level, options = data.get("bot"), data.get("level", ""), data.get("options") or {}
    if not isinstance(bot, str) or not isinstance(level, str) or not isinstance(options, dict):
        raise WargameError(f"a bot seat needs a bot name and a level as text, not {data!r}")
    return BotSeat(bot, level, tuple(options.items()))


def seats_from_json(data: object) -> Seats:
    if not isinstance(data, dict):
        raise WargameError(f"seats should be an object mapping roles to seats, not {data!r}")
    return {str(role): seat_from_json(seat) for role, seat in data.items()}


def seats_to_json(seats: Mapping[str, Seat]) -> dict[str, dict[str, Any]]:
    return {role: seat.to_json() for role, seat in seats.items()}


def as_seats(seats: Mapping[str, Seat | Mapping[str, Any]]) -> Seats:
    """Seats given as values or in their header form (for callers still writing the JSON)."""
    return {
        role: s if isinstance(s, HumanSeat | BotSeat | AbsentSeat) else seat_from_json(dict(s))
        for role, s in seats.items()
    }


def seating(seats: Mapping[str, Seat], reseats: Iterable[tuple[str, str]]) -> Seats:
    """Who plays each role after the journal's standing reseats (role, seat text), in order:
    the header keeps the seats a game started with, the records say who took over since."""
    out: Seats = dict(seats)
    for role, text in reseats:
        out[role] = seat_from_text(text, optional=False, role=role)
    return out


# ---------------------------------------------------------------------- text (command line)


def parse_seats(
    spec: str,
    tables: Tables,
    default: str = "random",
    *,
    known_bots: Collection[str] | None = None,
) -> Seats:
    """`all=random,china=greedy:hard,russia=absent` → {role: seat}. `all` sets every role first;
    roles not named get `default`. `absent` only for optional roles. `known_bots`, when given,
    are the bot names to accept (`wargame.bots.registry.bot_names()`, which this layer cannot
    import); without it an unknown name is refused when the bot is made."""
    roles = [r.id for r in tables.roles]
    chosen: dict[str, str] = {r: default for r in roles}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        if "=" not in part:
            raise WargameError(f"seat {part!r} should look like ROLE=BOT (e.g. china=greedy)")
        role, who = (x.strip() for x in part.split("=", 1))
        if role == "all":
            chosen = dict.fromkeys(roles, who)
        elif role in chosen:
            chosen[role] = who
        else:
            raise WargameError(f"unknown role {role!r} (roles: {', '.join(roles)})")
    return {
        r.id: seat_from_text(chosen[r.id], optional=r.optional, role=r.id, known_bots=known_bots)
        for r in tables.roles
    }


def seat_from_text(
    text: str, *, optional: bool, role: str, known_bots: Collection[str] | None = None
) -> Seat:
    """One seat of a command line: `human`, `human:TEAM`, `absent`, `BOT` or `BOT:LEVEL`; a
    human team without a name takes the role's id."""
    if text == "absent":
        if not optional:
            raise WargameError(f"{role} cannot be absent (only optional roles can)")
        return ABSENT
    if text.startswith("human"):
        _, _, team = text.partition(":")
        return HumanSeat(team or role)
    name, _, level = text.partition(":")
    if known_bots is not None and name not in known_bots:
        known = ", ".join(sorted(known_bots))
        raise WargameError(f"unknown bot {name!r} for {role} (known: {known}, human, absent)")
    return BotSeat(name, level)
