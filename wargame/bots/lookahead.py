"""Looking ahead: a role's candidate orders, and the states an order leads to "as if now"."""

from __future__ import annotations

import math
from itertools import combinations
from typing import Any

from wargame.bots.naming import Candidate, Targets
from wargame.effects import apply_effects
from wargame.evaluate import roll_chance
from wargame.flow import upkeep
from wargame.rules import legal_actions
from wargame.state import State
from wargame.tables import CCard, Tables


def candidate_orders(
    st: State, role: int, rng: Any = None, max_combos: int = 40
) -> list[Candidate]:
    """Every legal (card, targets) of `role` now, except that a card with more target
    combinations than `max_combos` is represented by a sample of them (drawn with `rng`, or the
    first ones without it); `top_combinations` refines those once single targets are scored."""
    legal = legal_actions(st, role)
    t = st.tables
    out: list[Candidate] = []
    for ci in legal.cards():
        card = t.cards[ci]
        if card.target_kind is None:
            out.append((ci, ()))
            continue
        cands = legal.targets_for(ci)
        k = card.target_count
        if math.comb(len(cands), k) <= max_combos:
            out.extend((ci, combo) for combo in combinations(cands, k))
        elif rng is not None:
            seen: set[Targets] = set()
            for _ in range(max_combos):
                idx = rng.choice(len(cands), size=k, replace=False)
                combo = tuple(sorted(cands[int(i)] for i in idx))
                if combo not in seen:
                    seen.add(combo)
                    out.append((ci, combo))
        else:
            out.extend(
                (ci, combo)
                for _, combo in zip(range(max_combos), combinations(cands, k), strict=False)
            )
    return out


def singles_then_combos(
    t: Tables,
    card: int,
    singles: list[tuple[float, int]],
    k: int,
    keep: int,
    exact: int = 0,
) -> list[Targets]:
    """The combinations of `k` targets among the `keep` best single targets, best first by
    the sum of their single values (effects mostly add up target by target); only the first
    `exact` (all, if 0) are worth evaluating exactly."""
    gain = dict((x, g) for g, x in singles)
    best = [x for _, x in sorted(singles, key=lambda s: (-s[0], s[1]))[: max(keep, k)]]
    combos = sorted(
        (tuple(sorted(c)) for c in combinations(best, k)),
        key=lambda c: (-sum(gain[x] for x in c), c),
    )
    return combos[:exact] if exact > 0 else combos


def has_roll_effects(card: CCard) -> bool:
    return card.roll_base is not None and bool(card.on_success or card.on_failure)


def outcomes(st: State, role: int, card: CCard, targets: Targets) -> list[tuple[float, State]]:
    """The states after the card resolves now, with their probabilities: on_play, then the
    success or failure branch with the chance the rules would give (`roll_breakdown`)."""
    s = apply_effects(st, card.on_play, role, targets, card.target_kind) if card.on_play else st
    if not has_roll_effects(card):
        return [(1.0, s)]
    p = roll_chance(s, card, role, targets) / 100.0
    out: list[tuple[float, State]] = []
    if p > 0:
        out.append((p, apply_effects(s, card.on_success, role, targets, card.target_kind)))
    if p < 1:
        out.append((1.0 - p, apply_effects(s, card.on_failure, role, targets, card.target_kind)))
    return out


def likely_outcome(st: State, role: int, card: CCard, targets: Targets) -> State:
    """The single most likely resolution: the base for choosing the next order of a turn."""
    return max(outcomes(st, role, card, targets), key=lambda o: o[0])[1]


def remaining_scorings(st: State) -> int:
    """How many scoring phases are still to come, counting this turn's if not yet scored."""
    t = st.tables
    if st.over:
        return 0
    left = t.turns - st.turn
    phases = t.phases
    if "scoring" in phases and phases.index(st.phase) <= phases.index("scoring"):
        left += 1
    return max(left, 0)


def project_upkeep(st: State, *, drift: bool = True) -> State:
    """The world after this turn's upkeep (the rules' own, without a phase change), so a bot
    sees that an alliance left alone loses strength."""
    return upkeep(st, drift=drift)
