"""Driving bot seats through a Session: shared by headless play, the UI's bot worker and tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wargame.bots.registry import Bot, make_bot
from wargame.engine import Session
from wargame.pending import AdjudicationDue, OrdersDue
from wargame.seats import BotSeat, Seat, Seats, seating


def bot_rng(seed: int, role: int, record: int | None = None) -> Any:
    """A bot seat's generator: from the game's seed and the role, and for a bot that took
    over mid-game (a Reseat) from the index of that record too, so a replay or a resumed game
    gives the new bot the same generator."""
    import numpy as np

    if record is None:
        return np.random.default_rng([seed, 1000 + role])
    return np.random.default_rng([seed, 1000 + role, 1 + record])


def seating_now(session: Session, seats: Mapping[str, Seat]) -> tuple[Seats, dict[str, int]]:
    """Who plays each role after the session's Reseat records (the header's `seats` first),
    and for each role reseated, the index of its last Reseat record (for `bot_rng`)."""
    from wargame.actions import Reseat

    reseats = [(i, s.action) for i, s in enumerate(session.steps) if isinstance(s.action, Reseat)]
    now = seating(seats, [(a.role, a.seat) for _, a in reseats])
    return now, {a.role: i for i, a in reseats}


def make_bots(
    session: Session, seats: Mapping[str, Seat], since: Mapping[str, int] | None = None
) -> dict[int, Bot]:
    """One bot per bot seat, each with its own generator spawned from the session seed;
    `since` names, per role reseated mid-game, the index of its last Reseat record."""
    bots: dict[int, Bot] = {}
    for i, r in enumerate(session.tables.roles):
        seat = seats.get(r.id)
        if isinstance(seat, BotSeat):
            rng = bot_rng(session.seed, i, (since or {}).get(r.id))
            bots[i] = make_bot(seat.bot, rng, seat.level, dict(seat.options))
    return bots


def bot_turns(
    session: Session, bots: dict[int, Bot], *, auto_accept: bool = True, limit: int | None = None
) -> bool:
    """Let every bot seat that is waiting act until only humans (or nobody) are waited for, or
    until `limit` actions have been taken (a caller that reports turn by turn steps one at a
    time: with bots in every seat, one unlimited call plays the whole game). Returns True when
    something was done."""
    did = False
    taken = 0
    while not session.over and (limit is None or taken < limit):
        taken += 1
        pending = session.waiting_for()
        if isinstance(pending, AdjudicationDue):
            if not auto_accept:
                return did
            from wargame.actions import Accept

            session.step(Accept())
            did = True
            continue
        if not isinstance(pending, OrdersDue):
            return did
        movers = [r for r in pending.roles if r in bots]
        if not movers:
            return did
        r = movers[0]
        role = session.tables.roles[r].id
        action = bots[r].choose(session.view(role), r)
        session.step(action)
        did = True
    return did
