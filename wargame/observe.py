"""What a seat may see. Observation is not state: a seat gets a masked copy.

A role sees the board, every track, every score, its own hand and its own committed orders.
Other roles' hands, their committed orders before the reveal, and the order of every draw pile
are hidden: the cards are replaced by HIDDEN placeholders so counts stay visible (a team knows
how many cards a rival holds) but identities do not. The facilitator and the debrief see all.
"""

from __future__ import annotations

from wargame.state import State

HIDDEN = -1
"""Placeholder for a card the seat may not see; never index the card table with it."""

FACILITATOR = "facilitator"


def _mask(cards: tuple[int, ...]) -> tuple[int, ...]:
    return (HIDDEN,) * len(cards)


def view_for(state: State, seat: str) -> State:
    """The state as `seat` (a role id, or "facilitator") may see it."""
    if seat == FACILITATOR:
        return state
    t = state.tables
    me = t.role_index.get(seat, -2)
    n = len(t.roles)
    return state.evolve(
        hand=tuple(state.hand[r] if r == me else _mask(state.hand[r]) for r in range(n)),
        orders=tuple(
            state.orders[r] if r == me else tuple((HIDDEN, (), "") for _ in state.orders[r])
            for r in range(n)
        ),
        draw=tuple(_mask(d) for d in state.draw),
        ev_draw=_mask(state.ev_draw),
    )
