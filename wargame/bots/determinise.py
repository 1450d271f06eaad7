"""Determinisation: a full state consistent with what one seat sees.

Nothing in the bots reads hidden information: they take the seat's view, and `determinise`
fills the masked cards by sampling from the cards the seat has not seen.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from wargame.observe import HIDDEN
from wargame.state import State


def determinise(view: State, me: int, rng: Any) -> tuple[State, dict[int, int]]:
    """A full state consistent with what `me` sees: every masked card replaced by one drawn
    from the cards `me` has not seen (its rivals' hands and committed orders, every draw pile,
    the event deck).

    Rivals' hidden committed orders cannot be guessed with their targets, so they go back to
    the rival's hand (with their cost refunded) and the rival is marked as still to order; the
    returned dict gives, per such rival, how many orders it may give (as many as it had
    committed, or the turn's maximum if it had not finished). The caller plays them with its
    model of that rival.
    """
    t = view.tables
    n = len(t.roles)
    hand = list(view.hand)
    draw = list(view.draw)
    orders = list(view.orders)
    inf = list(view.influence)
    committed = set(view.committed)
    limits: dict[int, int] = {}
    for r in range(n):
        if not view.present[r]:
            continue
        pool = Counter(t.roles[r].deck)
        pool.subtract(view.discard[r])
        pool.subtract(view.removed[r])
        pool.subtract(it.card for it in view.queue if it.owner == r)
        if r == me:
            pool.subtract(c for c in view.hand[r] if c != HIDDEN)
            pool.subtract(o[0] for o in view.orders[r] if o[0] != HIDDEN)
        cards = list((+pool).elements())
        n_hand = sum(1 for c in view.hand[r] if c == HIDDEN)
        n_ord = sum(1 for o in view.orders[r] if o[0] == HIDDEN)
        n_draw = len(view.draw[r])
        need = n_hand + n_ord + n_draw
        cards = _fill(cards, need, t.roles[r].deck, rng)
        pos = 0
        if n_hand:
            it = iter(cards[:n_hand])
            hand[r] = tuple(next(it) if c == HIDDEN else c for c in view.hand[r])
            pos = n_hand
        if n_ord:
            back = cards[pos : pos + n_ord]
            pos += n_ord
            kept = tuple(o for o in view.orders[r] if o[0] != HIDDEN)
            orders[r] = kept
            hand[r] = (*hand[r], *back)
            inf[r] += sum(t.cards[c].cost for c in back)
            limits[r] = n_ord + len(kept) if r in committed else t.max_orders
            committed.discard(r)
        draw[r] = tuple(cards[pos : pos + n_draw])
    ev = Counter(t.events_deck)
    ev.subtract(view.ev_discard)
    ev.subtract(view.ev_removed)
    ev.subtract(it.card for it in view.queue if it.owner < 0)
    ev_cards = _fill(list((+ev).elements()), len(view.ev_draw), t.events_deck, rng)
    st = view.evolve(
        hand=tuple(hand),
        draw=tuple(draw),
        orders=tuple(orders),
        influence=tuple(inf),
        committed=frozenset(committed),
        ev_draw=tuple(ev_cards[: len(view.ev_draw)]),
    )
    return st, limits


def _fill(cards: list[int], need: int, deck: tuple[int, ...], rng: Any) -> list[int]:
    """`need` cards drawn at random from `cards`; if the accounting is short (an effect moved
    cards in a way we cannot see), pad from the deck so the state stays well-formed."""
    if need <= 0:
        return []
    if cards:
        perm = rng.permutation(len(cards))
        cards = [cards[int(i)] for i in perm]
    while len(cards) < need and deck:
        cards.append(deck[int(rng.integers(len(deck)))])
    return cards[:need]
