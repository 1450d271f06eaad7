"""What a seat may see. Observation is not state: a seat gets a masked copy.

A role sees the board, every track, every score, its own hand and its own committed orders.
Other roles' hands, their committed orders before the reveal, and the order of every draw pile
are hidden: the cards are replaced by HIDDEN placeholders so counts stay visible (a team knows
how many cards a rival holds) but identities do not. The facilitator and the debrief see all.
"""

from __future__ import annotations

from typing import Any, Final

from wargame.state import State

HIDDEN: Final = -1
"""Placeholder for a card the seat may not see; never index the card table with it."""

FACILITATOR: Final = "facilitator"


_MASKS: Final = [(HIDDEN,) * n for n in range(256)]


def _mask(cards: tuple[int, ...]) -> tuple[int, ...]:
    n = len(cards)
    return _MASKS[n] if n < 256 else (HIDDEN,) * n


def view_for(state: State, seat: str) -> State:
    """The state as `seat` (a role id, or "facilitator") may see it."""
    if seat == FACILITATOR:
        return state
    me = state.tables.role_index.get(seat, -1)
    hand = list(map(_mask, state.hand))
    orders = [_HIDDEN_ORDERS[len(o)] if o else () for o in state.orders]
    if me >= 0:
        hand[me] = state.hand[me]
        orders[me] = state.orders[me]
    draw = state.draw
    last = _LAST_DRAW
    if last[0] is draw:
        masked = last[1]
    else:
        masked = tuple(map(_mask, draw))
        last[0], last[1] = draw, masked
    view = state.copy()  # only hidden cards change: every cache of the state stays valid
    view.hand = tuple(hand)
    view.orders = tuple(orders)
    view.draw = masked
    view.ev_draw = _mask(state.ev_draw)
    return view


_LAST_DRAW: Final[list[Any]] = [None, None]
"""The last draw piles masked and their mask: the piles change only when cards are drawn, so
successive views re-use it. Holding the piles keeps their identity from being re-used."""


_HIDDEN_ORDER: Final[tuple[int, tuple[int, ...], str]] = (HIDDEN, (), "")
_HIDDEN_ORDERS: Final = [(_HIDDEN_ORDER,) * n for n in range(11)]
