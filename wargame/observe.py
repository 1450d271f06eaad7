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


_MASKS = [(HIDDEN,) * n for n in range(256)]


def _mask(cards: tuple[int, ...]) -> tuple[int, ...]:
    n = len(cards)
    return _MASKS[n] if n < 256 else (HIDDEN,) * n


def view_for(state: State, seat: str) -> State:
    """The state as `seat` (a role id, or "facilitator") may see it."""
    if seat == FACILITATOR:
        return state
    me = state.tables.role_index.get(seat, -1)
    hand = [_mask(h) for h in state.hand]
    orders = [_HIDDEN_ORDERS[len(o)] if o else () for o in state.orders]
    if me >= 0:
        hand[me] = state.hand[me]
        orders[me] = state.orders[me]
    return state.evolve(
        hand=tuple(hand),
        orders=tuple(orders),
        draw=tuple(_mask(d) for d in state.draw),
        ev_draw=_mask(state.ev_draw),
    )


_HIDDEN_ORDER: tuple[int, tuple[int, ...], str] = (HIDDEN, (), "")
_HIDDEN_ORDERS = [(_HIDDEN_ORDER,) * n for n in range(11)]
