"""The turn's automatic progression: everything that happens without anyone deciding.

Every function here works on a private draft (`State.draft`, made by `rules.apply` or by
`advance`), so fields no cache depends on (phase, step, queue, pending, piles, influence) are
set in place: this runs dozens of times per action of every simulated game. World fields still
go through `evolve`, which drops the caches that depend on them.

`advance` runs phases forward until the game waits for a decision — a seat's orders, a chance
outcome, or the facilitator's adjudication — or ends. Event → income → orders (hidden,
simultaneous) → resolution (round-robin by initiative) → scoring → upkeep → next turn.
"""

from __future__ import annotations

from wargame.effects import Log, apply_effects
from wargame.evaluate import (
    holds,
    income_of,
    objective_scores,
    roll_chance,
    targets_still_legal,
)
from wargame.state import AllianceEdit, Item, State
from wargame.tables import EVENTS


def _next_phase(st: State) -> State:
    phases = st.tables.phases
    i = phases.index(st.phase)
    if i + 1 < len(phases):
        st.phase = phases[i + 1]
        st.step = 0
        return st
    return _end_turn(st)


def _end_turn(st: State) -> State:
    t = st.tables
    if st.turn >= t.turns:
        for cond, winner, text in t.end_victories:
            if holds(st, cond):
                return st.evolve(over=True, winner=winner, ended_by=text, step=0)
        return st.evolve(over=True, ended_by="last turn played", step=0)
    return st.evolve(turn=st.turn + 1, phase=st.tables.phases[0], step=0)


def finish_item(st: State, item: Item) -> State:
    """Put a resolved card where it belongs (discard, or out of the game if once-only) and clear
    the roll it may have waited for."""
    card = st.tables.cards[item.card]
    queue = st.queue[1:]
    if item.owner >= 0:
        r = item.owner
        if card.once:
            removed = list(st.removed)
            removed[r] = (*removed[r], item.card)
            st.queue, st.removed, st.pending = queue, tuple(removed), None
            return st
        discard = list(st.discard)
        discard[r] = (*discard[r], item.card)
        st.queue, st.discard, st.pending = queue, tuple(discard), None
        return st
    if card.once or card.turn:  # a scheduled event belongs to its turn only
        st.ev_removed = (*st.ev_removed, item.card)
    elif card.inject_only:
        st.injects = (*st.injects, item.card)
    else:
        st.ev_discard = (*st.ev_discard, item.card)
    st.queue, st.pending = queue, None
    return st


def _start_item(st: State, log: Log) -> State:
    item = st.queue[0]
    t = st.tables
    card = t.cards[item.card]
    role = item.owner
    if log is not None:
        who = (
            t.scenario.roles[role].short_name
            if role >= 0
            else ("Inject" if card.inject_only else "Event")
        )
        log.append(f"{who}: {card.title}")
    ok = True
    for c in card.requires:
        if not holds(st, c, role, item.targets):
            ok = False
            break
    if ok and card.target_kind is not None:
        ok = targets_still_legal(st, card, item.targets)
    if not ok:
        if log is not None:
            log.append("  … fizzles: its requirements or targets no longer hold")
        return finish_item(st, item)
    st = apply_effects(st, card.on_play, role, item.targets, card.target_kind, log)
    if card.roll_base is None:
        return finish_item(st, item)
    chance = roll_chance(st, card, role, item.targets)
    head = Item(role, item.card, item.targets, item.rationale, 1, chance)
    st.queue, st.pending = (head, *st.queue[1:]), ("roll", chance)
    return st


def resolve_outcome(st: State, success: bool, log: Log) -> State:
    """Apply the drawn (or overridden) roll outcome to the card at the head of the queue."""
    item = st.queue[0]
    card = st.tables.cards[item.card]
    if log is not None:
        log.append(f"  roll at {item.chance}%: {'success' if success else 'failure'}")
    effects = card.on_success if success else card.on_failure
    st = apply_effects(st, effects, item.owner, item.targets, card.target_kind, log)
    return finish_item(st, item)


def _reveal(st: State, log: Log) -> State:
    t = st.tables
    queue: list[Item] = []
    for k in range(t.max_orders):
        for r in t.initiative_order:
            if k < len(st.orders[r]):
                card, targets, why = st.orders[r][k]
                queue.append(Item(r, card, targets, why, 0, -1))
    if log is not None:
        log.append(f"Orders revealed: {len(queue)} to resolve")
    st = st.evolve(queue=tuple(queue), orders=tuple(() for _ in st.orders), committed=frozenset())
    return _next_phase(st)


def _score(st: State, log: Log) -> State:
    t = st.tables
    vp = []
    for r in range(len(t.roles)):
        gained = sum(objective_scores(st, r)) + st.bonus[r] if st.present[r] else 0
        vp.append((*st.vp[r], gained))
        if log is not None and st.present[r]:
            log.append(f"{t.scenario.roles[r].short_name} scores {gained} VP")
    st = st.evolve(vp=tuple(vp), bonus=tuple(0 for _ in t.roles))
    for cond, winner, text in t.sudden_death:
        if holds(st, cond):
            if log is not None:
                log.append(f"Sudden death: {text}")
            return st.evolve(over=True, winner=winner, ended_by=text)
    return st


def upkeep(st: State, log: Log = None, *, drift: bool = True) -> State:
    """The end of a turn's upkeep: alliances not reaffirmed decay (and lapse at zero),
    modifiers tick down, then drift applies (unless `drift` is false). Bots call it to project
    the world after this turn; fields it leaves unchanged stay the same objects."""
    t = st.tables
    decayed = []
    if t.alliance_decay:
        edit = AllianceEdit(st)
        decays = t.alliance_decays
        for c in range(len(st.ally)):
            held = st.alliances(c)
            if not held:
                continue
            kept = []
            for p, was in held:
                loss = decays[c][p]
                # A free association (no loss) does not lapse; a reaffirmed alliance waits.
                if loss == 0 or st.reaffirm_mark(c, p) in st.reaffirmed:
                    kept.append((p, was))
                    continue
                v = max(0, was - loss)
                if log is not None:
                    log.append(
                        f"{t.country_names[c]}: alliance with {t.power_names[p]} decays to {v}"
                    )
                if v == 0:
                    if log is not None:
                        log.append(
                            f"{t.country_names[c]}: the alliance lapses"
                            if len(held) == 1
                            else f"{t.country_names[c]}: the alliance with "
                            f"{t.power_names[p]} lapses"
                        )
                    continue
                kept.append((p, v))
            if kept != list(held):
                decayed.append(c)
                edit.put(c, kept)
    if decayed:
        st = edit.done(st, decayed, frozenset())
    elif st.reaffirmed:
        st = st.evolve(reaffirmed=frozenset())
    else:
        st = st.copy()
    # Not in EVOLVED: no kept derived value reads the modifiers.
    st.modifiers = tuple(
        m._replace(turns_left=m.turns_left - 1) for m in st.modifiers if m.turns_left > 1
    )
    for cond, effects, text in t.drift if drift else ():
        if cond is None or holds(st, cond):
            if log is not None:
                log.append(f"Drift: {text}")
            st = apply_effects(st, effects, -1, (), None, log)
    return st


def _draw_ready_event(st: State, log: Log) -> State:
    """Draw the first event of the pile whose requirements hold; the unready ones before it
    go, in order, to the bottom of the pile for a later turn. With none ready, the draw is
    spent: the turn has no event."""
    t = st.tables
    pile = st.ev_draw
    k = 0
    while k < len(pile) and not all(holds(st, c) for c in t.cards[pile[k]].requires):
        k += 1
    st.step += 1
    if k == len(pile):
        if log is not None:
            log.append("No event is ready to come in: every event waiting needs another moment")
        return st
    if log is not None:
        for ci in pile[:k]:
            log.append(f"Set aside for a later turn: {t.cards[ci].title}")
    st.ev_draw = pile[k + 1 :] + pile[:k]
    st.queue = (Item(-1, pile[k], (), "", 0, -1),)
    return st


def advance(st: State, log: Log = None) -> State:
    """Run automatic steps until someone must decide or the game is over."""
    if not st.is_draft():
        return _advance(st.draft(), log).seal()
    return _advance(st, log)


def _advance(st: State, log: Log) -> State:
    t = st.tables
    while True:
        if st.over or st.pending is not None:
            return st
        if st.queue:
            head = st.queue[0]
            if head.stage == 0:
                st = _start_item(st, log)
                continue
            raise AssertionError("a started item with no pending outcome")  # pragma: no cover
        ph = st.phase
        if ph == "event":
            # Steps count the turn's scheduled events first, then the random draws.
            scheduled = t.scheduled[st.turn - 1]
            if st.step < len(scheduled):
                st.queue = (Item(-1, scheduled[st.step], (), "", 0, -1),)
                st.step += 1
                continue
            if st.step - len(scheduled) >= t.events_per_turn:
                st = _next_phase(st)
                continue
            if not st.ev_draw:
                if st.ev_discard:
                    return st.evolve(pending=("shuffle", EVENTS))
                st = _next_phase(st)
                continue
            if t.set_aside_unready:
                st = _draw_ready_event(st, log)
                continue
            card = st.ev_draw[0]
            st.ev_draw = st.ev_draw[1:]
            st.queue = (Item(-1, card, (), "", 0, -1),)
            st.step += 1
            continue
        if ph == "income":
            if st.step == 0:
                inf = tuple(
                    st.influence[r] + income_of(st, r) if st.present[r] else st.influence[r]
                    for r in range(len(t.roles))
                )
                if log is not None:
                    for r in range(len(t.roles)):
                        if st.present[r]:
                            who = t.scenario.roles[r].short_name
                            got = inf[r] - st.influence[r]
                            # No verb after the name: a team may be plural ("US allies").
                            log.append(f"Income: {got} influence to {who}")
                st.influence, st.step = inf, 1
                continue
            k = st.step - 1
            order = t.initiative_order
            if k >= len(order):
                st = _next_phase(st)
                continue
            # Fast path: every remaining role can fill its hand from its draw pile.
            rest = [r for r in order[k:] if st.present[r]]
            if all(len(st.draw[r]) >= t.roles[r].hand_size - len(st.hand[r]) for r in rest):
                draw = list(st.draw)
                hand = list(st.hand)
                for r in rest:
                    need = t.roles[r].hand_size - len(hand[r])
                    if need > 0:
                        hand[r] = hand[r] + draw[r][:need]
                        draw[r] = draw[r][need:]
                st.draw, st.hand = tuple(draw), tuple(hand)
                st = _next_phase(st)
                continue
            r = order[k]
            if not st.present[r]:
                st.step += 1
                continue
            need = t.roles[r].hand_size - len(st.hand[r])
            if need > 0:
                if not st.draw[r] and st.discard[r]:
                    return st.evolve(pending=("shuffle", r))
                n = min(need, len(st.draw[r]))
                if n:
                    draw = list(st.draw)
                    hand = list(st.hand)
                    hand[r] = hand[r] + draw[r][:n]
                    draw[r] = draw[r][n:]
                    st.draw, st.hand = tuple(draw), tuple(hand)
                    continue
            st.step += 1
            continue
        if ph == "orders":
            waiting = [r for r in range(len(t.roles)) if st.present[r] and r not in st.committed]
            if waiting:
                return st
            st = _reveal(st, log)
            continue
        if ph == "resolution":
            st = _next_phase(st)
            continue
        if ph == "scoring":
            st = _score(st, log)
            if not st.over:
                st = _next_phase(st)
            continue
        if ph == "upkeep":
            st = _next_phase(upkeep(st, log))
            continue
        raise AssertionError(f"unknown phase {ph!r}")  # pragma: no cover
