"""Seat specifications: who plays each role (a human team, a bot and its level, or nobody)."""

from __future__ import annotations

from typing import Any

from wargame.errors import WargameError
from wargame.tables import Tables


def parse_seats(spec: str, tables: Tables, default: str = "random") -> dict[str, dict[str, Any]]:
    """`all=random,china=greedy:hard,russia=absent` → {role: seat}. `all` sets every role first;
    roles not named get `default`. `absent` only for optional roles."""
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
    seats: dict[str, dict[str, Any]] = {}
    for r in tables.roles:
        seats[r.id] = seat_from_text(chosen[r.id], optional=r.optional, role=r.id)
    return seats


def seat_from_text(text: str, *, optional: bool, role: str) -> dict[str, Any]:
    if text == "absent":
        if not optional:
            raise WargameError(f"{role} cannot be absent (only optional roles can)")
        return {"kind": "absent"}
    if text.startswith("human"):
        _, _, team = text.partition(":")
        return {"kind": "human", "name": team or role}
    name, _, level = text.partition(":")
    from wargame.bots.registry import bot_names

    if name not in bot_names():
        raise WargameError(
            f"unknown bot {name!r} for {role} (known: {', '.join(bot_names())}, human, absent)"
        )
    return {"kind": "bot", "bot": name, "level": level}


def describe_seat(seat: dict[str, Any]) -> str:
    if seat.get("kind") == "bot":
        lvl = f" ({seat['level']})" if seat.get("level") else ""
        return f"{seat['bot']} bot{lvl}"
    if seat.get("kind") == "absent":
        return "absent"
    return f"team {seat.get('name', '?')}"
