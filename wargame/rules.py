"""The rules: what may be done now, and what it does.

Two entry points, as in python-chess: `check` + `apply` for people (the Session refuses an
illegal action with the reason and changes nothing), and `apply` alone for simulation, which
trusts its caller. Both are pure: no I/O, no randomness — chance arrives as `Chance` actions.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from math import comb
from typing import Any, Final

from wargame.actions import (
    Accept,
    Action,
    Chance,
    Inject,
    Note,
    Order,
    Override,
    Pass,
    Reseat,
    Undo,
)
from wargame.effects import Log
from wargame.evaluate import holds, target_candidates
from wargame.flow import advance, resolve_outcome
from wargame.pending import GAME_OVER, AdjudicationDue, ChanceDue, OrdersDue, Pending
from wargame.state import Item, State, initial_state
from wargame.tables import EVENTS, Tables


def new_game(
    tables: Tables, present: tuple[bool, ...] | None = None, *, facilitated: bool = False
) -> State:
    """The first position where someone must decide (usually the opening shuffles). States are
    immutable, so the opening is built once per seating and shared by every game."""
    key = ("new_game", None if present is None else tuple(present), facilitated)
    st = tables.memo.get(key)
    if st is None:
        st = tables.memo[key] = advance(initial_state(tables, present, facilitated=facilitated))
    return st


def waiting_for(st: State) -> Pending:
    """Who the game waits for: `GAME_OVER`, `ChanceDue`, `AdjudicationDue` (both carrying the
    state's pending request), or `OrdersDue` (the roles still to commit)."""
    if st.over:
        return GAME_OVER
    pending = st.pending
    if pending is not None:
        if pending[0] == "adjudicate":
            return AdjudicationDue(pending)
        return ChanceDue(pending)
    committed = st.committed
    return OrdersDue(tuple([r for r, p in enumerate(st.present) if p and r not in committed]))


def shuffle_pile(st: State) -> tuple[int, ...]:
    """The pile a pending shuffle will reorder."""
    assert st.pending is not None and st.pending[0] == "shuffle"
    deck = st.pending[1]
    return st.ev_discard if deck == EVENTS else st.discard[deck]


def roll_probability(st: State) -> float:
    """Chance of success of the pending roll, as a probability (rules state, Session draws)."""
    assert st.pending is not None and st.pending[0] == "roll"
    return float(st.pending[1]) / 100.0


# ---------------------------------------------------------------------- legal orders


class LegalOrders:
    """Every legal order of one role now, plus Pass; counted and sampled without building them.

    Target sets come from a per-state cache, so a random bot pays for one list per card, not
    for every combination of targets.
    """

    __slots__ = ("_choices", "role", "state", "total")

    def __init__(self, st: State, role: int) -> None:
        self.state = st
        self.role = role
        self._choices: list[tuple[int, tuple[int, ...], int]] = []
        total = 1  # Pass
        if can_order(st, role):
            cards = st.tables.cards
            inf = st.influence[role]
            cache = st.derived().choices()
            hand = st.hand[role]
            choices = self._choices
            for i in range(len(hand)):
                ci = hand[i]
                dup = False
                for j in range(i):  # a second copy of a card adds no new orders
                    if hand[j] == ci:
                        dup = True
                        break
                if dup:
                    continue
                card = cards[ci]
                if card.cost > inf:
                    continue
                got: tuple[tuple[int, ...], int] | None
                if card.requires_cacheable:
                    got = cache.get(ci)
                    if got is None:
                        got = cache[ci] = _card_choices(st, card, role)
                else:
                    got = _card_choices(st, card, role)
                cands = got[0]
                n = got[1]
                if n:
                    choices.append((ci, cands, n))
                    total += n
        self.total = total

    def __len__(self) -> int:
        return self.total

    def cards(self) -> list[int]:
        return [c for c, _, _ in self._choices]

    def targets_for(self, card: int) -> tuple[int, ...]:
        for c, cands, _ in self._choices:
            if c == card:
                return cands
        return ()

    def __iter__(self) -> Iterator[Action]:
        t = self.state.tables
        rid = t.roles[self.role].id
        for ci, cands, _ in self._choices:
            card = t.cards[ci]
            if card.target_kind is None:
                yield Order(rid, card.id)
                continue
            names = t.target_ids(card.target_kind)
            for combo in combinations(cands, card.target_count):
                yield Order(rid, card.id, tuple(names[x] for x in combo))
        yield Pass(rid)

    def sample(self, rng: Any) -> Action:
        """Uniform over all legal actions (each order with its targets counts once)."""
        t = self.state.tables
        rid = t.roles[self.role].id
        k = int(rng.random() * self.total)
        for ci, cands, n in self._choices:
            if k < n:
                card = t.cards[ci]
                if card.target_kind is None:
                    return _order_of(rid, card.id, ())
                names = t.target_ids(card.target_kind)
                pool = list(cands)
                picked = []
                for _ in range(card.target_count):  # uniform combination, no replacement
                    picked.append(pool.pop(int(rng.random() * len(pool))))
                picked.sort()
                return _order_of(rid, card.id, tuple([names[x] for x in picked]))
            k -= n
        return pass_of(rid)


_PASSES: Final[dict[str, Pass]] = {}
_ORDERS: Final[dict[tuple[str, str, tuple[str, ...]], Order]] = {}


def _order_of(role: str, card: str, targets: tuple[str, ...]) -> Order:
    """A sampled order without a rationale, made once per process and shared (actions are
    immutable): building a frozen dataclass costs more than the rest of a random choice. The
    cache is emptied when it grows past 100,000 orders, far above one scenario's distinct
    orders in practice."""
    key = (role, card, targets)
    o = _ORDERS.get(key)
    if o is None:
        if len(_ORDERS) >= 100_000:
            _ORDERS.clear()
        o = _ORDERS[key] = Order(role, card, targets)
    return o


def pass_of(role: str) -> Pass:
    """The plain Pass of a role, made once: actions are immutable, and a random bot passes
    about once a decision in three."""
    p = _PASSES.get(role)
    if p is None:
        p = _PASSES[role] = Pass(role)
    return p


def _card_choices(st: State, card: Any, role: int) -> tuple[tuple[int, ...], int]:
    """A card's legal targets and its number of target combinations (0: not playable now)."""
    if card.requires and not all(holds(st, c, role) for c in card.requires):
        return ((), 0)
    if card.target_kind is None:
        return ((), 1)
    cands = target_candidates(st, card)
    return (cands, comb(len(cands), card.target_count))


def can_order(st: State, role: int) -> bool:
    return (
        not st.over
        and st.pending is None
        and st.phase == "orders"
        and st.present[role]
        and role not in st.committed
        and len(st.orders[role]) < st.tables.max_orders
    )


def legal_actions(st: State, role: int) -> LegalOrders:
    return LegalOrders(st, role)


# ---------------------------------------------------------------------- checking


def check(st: State, action: Action) -> str | None:
    """Why `action` is illegal now, or None when it may be applied."""
    t = st.tables
    if isinstance(action, Note):
        if action.role and action.role not in t.role_index:
            return f"unknown role {action.role!r}"
        return None
    if isinstance(action, Undo):
        return "undo is handled by the Session"
    if st.over:
        return "the game is over"
    if isinstance(action, Reseat):
        return _check_reseat(st, action)
    if isinstance(action, Order | Pass):
        r = t.role_index.get(action.role)
        if r is None:
            return f"unknown role {action.role!r}"
        if st.pending is not None:
            return "the game is waiting for a roll or the facilitator"
        if st.phase != "orders":
            return f"orders are not open (phase: {st.phase})"
        if not st.present[r]:
            return f"{action.role} is not seated in this game"
        if r in st.committed:
            return f"{action.role} has already committed its orders this turn"
        if isinstance(action, Pass):
            return None
        return _check_order(st, r, action)
    if isinstance(action, Chance):
        if st.pending is None or st.pending[0] not in ("roll", "shuffle"):
            return "no chance outcome is expected now"
        if st.pending[0] == "roll":
            if action.outcome not in ("success", "failure"):
                return "a roll's outcome is `success` or `failure`"
            return None
        pile = shuffle_pile(st)
        if not isinstance(action.outcome, tuple):
            return "a shuffle's outcome is the new order of the pile"
        try:
            got = sorted(t.card_index[c] for c in action.outcome)
        except KeyError as exc:
            return f"unknown card {exc.args[0]!r} in the shuffle"
        if got != sorted(pile):
            return "the shuffle is not a reordering of the pile"
        return None
    if isinstance(action, Accept | Override):
        if st.pending is None or st.pending[0] != "adjudicate":
            return "there is no roll to adjudicate"
        if isinstance(action, Override):
            if action.outcome not in ("success", "failure"):
                return "an override's outcome is `success` or `failure`"
            if not action.reason.strip():
                return "an override needs a reason"
        return None
    if isinstance(action, Inject):
        if st.pending is not None:
            return "resolve the pending roll first"
        ci = t.card_index.get(action.card)
        if ci is None:
            return f"unknown card {action.card!r}"
        if t.cards[ci].owner != EVENTS:
            return f"{action.card} is not an event card"
        if t.cards[ci].turn and ci not in st.ev_removed:
            return (
                f"{action.card} is scheduled for turn {t.cards[ci].turn} and comes in by itself "
                "then"
            )
        if ci not in st.injects and ci not in st.ev_draw and ci not in st.ev_discard:
            return f"{action.card} is not available (already played and out of the game)"
        if t.cards[ci].target_kind is not None:
            return f"{action.card} needs targets and cannot be injected"
        return None
    return f"unknown action {action!r}"


def _check_reseat(st: State, action: Reseat) -> str | None:
    """The seat's text is parsed where seats are known (`wargame.seats`, above the rules); the
    rules check only what they know: the role, and that it stays seated."""
    r = st.tables.role_index.get(action.role)
    if r is None:
        return f"unknown role {action.role!r}"
    if not st.present[r]:
        return f"{action.role} is not seated in this game"
    if not action.seat.strip():
        return "a reseat needs the new seat (a bot, or human:TEAM)"
    if action.seat == "absent":
        return "a seated role cannot become absent"
    return None


def _check_order(st: State, r: int, o: Order) -> str | None:
    t = st.tables
    ci = t.card_index.get(o.card)
    if ci is None:
        return f"unknown card {o.card!r}"
    card = t.cards[ci]
    if ci not in st.hand[r]:
        return f"{o.card} is not in {o.role}'s hand"
    if len(st.orders[r]) >= t.max_orders:
        return f"{o.role} has already given the most orders allowed ({t.max_orders}) this turn"
    if card.cost > st.influence[r]:
        return f"{o.card} costs {card.cost} influence; {o.role} has {st.influence[r]}"
    targets = _target_indices(t, card.target_kind, o.targets)
    if isinstance(targets, str):
        return targets
    if card.target_kind is None:
        if targets:
            return f"{o.card} takes no targets"
    else:
        if len(targets) != card.target_count:
            n = card.target_count
            return f"{o.card} needs {n} {card.target_kind} target{'' if n == 1 else 's'}"
        if len(set(targets)) != len(targets):
            return "targets must be distinct"
        cands = target_candidates(st, card)
        for name, x in zip(o.targets, targets, strict=True):
            if x not in cands:
                return f"{name} is not a legal target for {o.card} now"
    for c in card.requires:
        if not holds(st, c, r, targets):
            return f"the requirements of {o.card} are not met now"
    if len(o.rationale) > 500:
        return "the rationale is limited to 500 characters"
    return None


def _target_indices(t: Tables, kind: str | None, names: tuple[str, ...]) -> tuple[int, ...] | str:
    table = t.idx["country" if kind is None else kind]
    out = []
    for n in names:
        if n not in table:
            return f"unknown {kind or 'target'} {n!r}"
        out.append(table[n])
    return tuple(out)


# ---------------------------------------------------------------------- applying


def apply(st: State, action: Action, log: Log = None) -> State:
    """The new state after `action`, which the caller has checked (or trusts). Never mutates
    `st`: the many small steps of one action (flow, effects) work on one private draft."""
    if isinstance(action, Order):
        # An order only moves a card from hand to the hidden orders: one copy, no flow.
        return _order(st, action)
    if isinstance(action, Pass):
        r = st.tables.role_index[action.role]
        committed = st.committed | {r}
        if any(p and i not in committed for i, p in enumerate(st.present)):
            new = st.copy()  # others still to commit: nothing runs
            new.committed = committed
            return new
    return _apply(st.draft(), action, log).seal()


def _order(st: State, action: Order) -> State:
    t = st.tables
    r = t.role_index[action.role]
    ci = t.card_index[action.card]
    card = t.cards[ci]
    targets = _target_indices(t, card.target_kind, action.targets)
    assert not isinstance(targets, str)
    hand = list(st.hand)
    h = list(hand[r])
    h.remove(ci)
    hand[r] = tuple(h)
    inf = list(st.influence)
    inf[r] -= card.cost
    orders = list(st.orders)
    orders[r] = (*orders[r], (ci, targets, action.rationale))
    new = st.copy()  # hands, influence and orders: no cache depends on them
    new.hand = tuple(hand)
    new.influence = tuple(inf)
    new.orders = tuple(orders)
    return new


def _apply(st: State, action: Action, log: Log) -> State:
    """Every action but an order (see `apply`), on a private draft."""
    t = st.tables
    if isinstance(action, Pass):
        r = t.role_index[action.role]
        return advance(st.evolve(committed=st.committed | {r}), log)
    if isinstance(action, Chance):
        assert st.pending is not None
        if st.pending[0] == "roll":
            if st.facilitated:
                return st.evolve(pending=("adjudicate", action.outcome, st.pending[1]))
            return advance(resolve_outcome(st, action.outcome == "success", log), log)
        deck = st.pending[1]
        order = tuple(t.card_index[c] for c in action.outcome)
        if deck == EVENTS:
            st = st.evolve(ev_draw=st.ev_draw + order, ev_discard=(), pending=None)
        else:
            draw = list(st.draw)
            discard = list(st.discard)
            draw[deck] = draw[deck] + order
            discard[deck] = ()
            st = st.evolve(draw=tuple(draw), discard=tuple(discard), pending=None)
        return advance(st, log)
    if isinstance(action, Accept):
        assert st.pending is not None
        return advance(resolve_outcome(st, st.pending[1] == "success", log), log)
    if isinstance(action, Override):
        if log is not None:
            log.append(f"  overridden by the facilitator: {action.reason}")
        return advance(resolve_outcome(st, action.outcome == "success", log), log)
    if isinstance(action, Inject):
        ci = t.card_index[action.card]
        st = st.evolve(
            injects=tuple(c for c in st.injects if c != ci),
            ev_draw=_without(st.ev_draw, ci),
            ev_discard=_without(st.ev_discard, ci),
            queue=(Item(-1, ci, (), action.reason, 0, -1), *st.queue),
        )
        return advance(st, log)
    if isinstance(action, Note | Reseat):
        return st
    raise TypeError(f"cannot apply {action!r}")


def _without(pile: tuple[int, ...], card: int) -> tuple[int, ...]:
    if card not in pile:
        return pile
    lst = list(pile)
    lst.remove(card)
    return tuple(lst)


def ranking(st: State) -> list[int]:
    """Seated roles best first: the winners by an ending rule (sudden death, shared or at the
    end), then total VP, then the tie-breaks."""
    t = st.tables
    won = st.winners()

    def key(r: int) -> tuple[int, ...]:
        parts = [0 if r in won else 1, -sum(st.vp[r])]
        for tb in t.tie_break:
            if tb == "vp_last_turn":
                parts.append(-(st.vp[r][-1] if st.vp[r] else 0))
            elif tb == "influence":
                parts.append(-st.influence[r])
            else:
                parts.append(t.roles[r].initiative)
        parts.append(r)
        return tuple(parts)

    return sorted((r for r in range(len(t.roles)) if st.present[r]), key=key)


__all__ = [
    "Accept",
    "Chance",
    "Inject",
    "LegalOrders",
    "Note",
    "Order",
    "Override",
    "Pass",
    "Reseat",
    "apply",
    "check",
    "legal_actions",
    "new_game",
    "ranking",
    "waiting_for",
]
