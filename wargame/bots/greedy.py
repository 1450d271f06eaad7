"""The greedy bot: one ply, scored by the role's own objectives.

Each legal order is resolved on a copy of the seat's view "as if it resolved now" (on_play, then
the success and failure branches weighted by the chance `roll_breakdown` gives) and scored by
`RoleValue`: the objectives this turn and, after upkeep, for the turns left; VP won outright;
income and influence at a shadow price. The best order is taken if its expected gain beats its
cost in influence; its likely outcome becomes the base for choosing the next one, until the
turn's order limit or nothing is worth its cost, then Pass.

The whole turn is planned at the first call and handed out one order per call; a later call
whose view does not match the plan (a human took over, an undo) plans again. The same policy
plays rivals inside the planner's look-ahead, where `GreedyPolicy` runs on determinised states.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from math import comb
from typing import Any

from wargame.actions import Action, Pass
from wargame.bots.lookahead import (
    has_roll_effects,
    likely_outcome,
    outcomes,
    project_upkeep,
    remaining_scorings,
    singles_then_combos,
)
from wargame.bots.naming import (
    Candidate,
    Targets,
    no_order,
    objective_label,
    order_text,
    scorings,
    to_order,
    with_details,
)
from wargame.bots.valuation import RoleValue, target_only_moves_ties, ties_relevant
from wargame.evaluate import roll_chance
from wargame.rules import apply, legal_actions
from wargame.state import State
from wargame.tables import ALIGNED, AMBIGUOUS, STATUS_NAMES, Tables

_WORLD = (
    "ties",
    "alliance",
    "ally",
    "also_allied",
    "members",
    "lean",
    "bridges",
    "tracks",
    "flags",
    "modifiers",
    "reaffirmed",
    "bonus",
    "turn",
)


def world_key(st: State) -> tuple[Any, ...]:
    """Identity of the parts of a state an order's value depends on. States derived from one
    view (every determinisation of it) share these objects, so a card is evaluated once for
    all of them."""
    return tuple(id(getattr(st, f)) for f in _WORLD)


@dataclass(slots=True)
class Choice:
    card: int
    targets: Targets
    gain: float
    """Expected value gained, before the cost."""
    net: float
    """Gain minus the cost at the shadow price."""
    chance: int = -1
    """Success chance in percent when the card rolls."""


@dataclass(slots=True)
class Plan:
    """The orders chosen for one turn, with the text that explains each."""

    turn: int
    orders: list[Choice]
    explanations: list[str | Callable[[], str]]
    """Each order's explanation, or a function that writes it when it is first read (a
    simulation never reads them, so it never pays for them)."""
    closing: str
    prefix: tuple[tuple[int, Targets], ...] = ()
    """The role's committed orders when the plan was made."""
    extra: dict[str, Any] = field(default_factory=dict)


class GreedyPolicy:
    """One role's greedy planning on any state where that role's hand is known."""

    def __init__(
        self,
        t: Tables,
        role: int,
        *,
        max_combos: int = 80,
        keep_singles: int = 6,
        recheck: int = 6,
        exact_combos: int = 4,
        threshold: float = 0.05,
        soft: float = 0.5,
        price: float = 0.05,
        rivals: float = 0.0,
        explain: bool = True,
        sample: int = 0,
    ) -> None:
        self.t = t
        self.role = role
        self.max_combos = max_combos
        self.keep_singles = keep_singles
        self.recheck = recheck
        self.exact_combos = exact_combos
        """Multi-target cards: how many of the best-looking combinations (by their single
        targets' values) are evaluated exactly."""
        self.threshold = threshold
        self.value = RoleValue(t, role, soft=soft, price=price)
        self.rivals = rivals
        self.explains = explain
        """False inside searches: the explanation costs more than the choice."""
        self.sample = sample
        """Inside searches: consider at most this many targets per card (0: all) — the
        `hint`'s best ones, then a random draw with `rng`."""
        self.rng: Any = None
        self.hint: Callable[[int, int], Sequence[int]] | None = None
        self.ranked: dict[Any, list[int]] = {}
        """(world key, card) -> single targets, best first, from full sweeps."""
        """Weight of the rivals' values (0: the role's own objectives only, as `greedy`
        plays; the planner uses a relative value to choose its candidates)."""
        self._rival_values = (
            [RoleValue(t, r, soft=soft, price=price) for r in range(len(t.roles)) if r != role]
            if rivals
            else []
        )
        self._weights: list[float] = []
        watched = [role] + ([r for r in range(len(t.roles)) if r != role] if rivals else [])
        self._relevant = ties_relevant(t, watched)
        """Countries whose ties this policy's value reads; other targets of a ties-only card
        are all worth the same, so one of them is evaluated for all."""
        self._memo: dict[Any, float] = {}
        self._ties_only: dict[int, bool] = {}
        self._keep: list[State] = []
        self._rebased: Any = None

    def reset(self) -> None:
        """Forget cached evaluations (they hold references to the states they were made on)."""
        self._memo.clear()
        self.ranked.clear()
        self._keep.clear()
        self._rebased = None

    # ------------------------------------------------------------------ scoring

    def total(self, st: State, left: int, price: float) -> float:
        """The role's value, less the rivals' (the leader's fully, the others' a little)."""
        v = self.value.value(st, left, price)
        if self._weights:
            for rv, w in zip(self._rival_values, self._weights, strict=True):
                if w:
                    v -= w * rv.value(st, left, price)
        return v

    def _rebase(self, base: State) -> None:
        self.value.rebase(base)
        if not self.rivals:
            return
        present = [rv for rv in self._rival_values if base.present[rv.role]]
        for rv in present:
            rv.rebase(base)
        if not present:
            self._weights = []
            return
        lead = max(present, key=lambda rv: (rv.projected(base), -rv.role))
        others = max(len(present) - 1, 1)
        self._weights = [
            0.0
            if not base.present[rv.role]
            else self.rivals
            if rv is lead
            else 0.3 * self.rivals / others
            for rv in self._rival_values
        ]

    def expected(
        self,
        base: State,
        card: int,
        targets: Targets,
        left: int,
        price: float,
        v0: float | None = None,
    ) -> float:
        """The expected value after `card` resolves on `targets`; `v0`, the value of `base`,
        saves evaluating an outcome that changes nothing (a failed roll, often)."""
        c = self.t.cards[card]
        total = 0.0
        for p, s in outcomes(base, self.role, c, targets):
            total += p * (v0 if s is base and v0 is not None else self.total(s, left, price))
        return total

    def _options(
        self,
        base: State,
        key: Any,
        card: int,
        cands: tuple[int, ...],
        left: int,
        price: float,
        v0: float,
    ) -> list[tuple[float, Targets]]:
        """Every target choice worth considering for `card`, with its expected gain."""
        c = self.t.cards[card]
        memo = self._memo
        if c.target_kind is None:
            combos: list[Targets] = [()]
        else:
            k = c.target_count
            full = self.sample <= 0 or len(cands) <= self.sample or self.rng is None
            if not full:
                cands = self._sampled(card, cands, k)
            if comb(len(cands), k) <= self.max_combos:
                combos = list(combinations(cands, k))
            else:
                singles = []
                same = self._same_value(card)
                shared: float | None = None
                for x in cands:
                    mk: tuple[Any, int, Targets] = (key, card, (x,))
                    g = memo.get(mk)
                    if g is None:
                        if same and x not in self._relevant and shared is not None:
                            g = memo[mk] = shared
                        else:
                            g = memo[mk] = self.expected(base, card, (x,), left, price, v0) - v0
                    if same and x not in self._relevant:
                        shared = g
                    singles.append((g, x))
                combos = singles_then_combos(
                    self.t, card, singles, k, self.keep_singles, self.exact_combos
                )
                if full:
                    self.ranked[(key[0], card)] = [
                        x for _, x in sorted(singles, key=lambda s: -s[0])
                    ]
        out = []
        same = c.target_kind == "country" and c.target_count == 1 and self._same_value(card)
        shared = None
        for tg in combos:
            mk = (key, card, tg)
            g = memo.get(mk)
            if g is None:
                if same and tg[0] not in self._relevant and shared is not None:
                    g = memo[mk] = shared
                else:
                    g = memo[mk] = self.expected(base, card, tg, left, price, v0) - v0
            if same and tg[0] not in self._relevant:
                shared = g
            out.append((g, tg))
        if (
            c.target_kind is not None
            and c.target_count == 1
            and (self.sample <= 0 or self.rng is None)
        ):
            self.ranked[(key[0], card)] = [tg[0] for _, tg in sorted(out, key=lambda o: -o[0])]
        return out

    def _same_value(self, card: int) -> bool:
        got = self._ties_only.get(card)
        if got is None:
            c = self.t.cards[card]
            got = self._ties_only[card] = c.target_kind == "country" and target_only_moves_ties(c)
        return got

    def _sampled(self, card: int, cands: tuple[int, ...], k: int) -> tuple[int, ...]:
        """A few targets for a quick look: the hinted best first, then drawn at random."""
        n = max(self.sample, k)
        present = set(cands)
        pref = [x for x in (self.hint(self.role, card) if self.hint else ()) if x in present]
        pref = pref[: max(k, n // 2)]
        rest = [x for x in cands if x not in set(pref)]
        need = n - len(pref)
        if need > 0 and rest:
            idx = self.rng.choice(len(rest), size=min(need, len(rest)), replace=False)
            pref += [rest[int(i)] for i in idx]
        return tuple(sorted(pref))

    # ------------------------------------------------------------------ planning

    def plan(self, st: State, limit: int | None = None) -> Plan:
        """The orders this role should give now, best first, and why."""
        t = self.t
        role = self.role
        left = remaining_scorings(st)
        price = self.value.shadow_price(st)
        base = st
        for ci, tg, _ in st.orders[role]:
            base = likely_outcome(base, role, t.cards[ci], tg)
        cap = t.max_orders if limit is None else min(limit, t.max_orders)
        room = cap - len(st.orders[role])
        key = world_key(base)
        if self._rebased != key:
            self._rebase(base)
            self._rebased = key
            self._keep.append(base)
        v0 = self.total(base, left, price)
        real = st
        chosen: list[Choice] = []
        explanations: list[str | Callable[[], str]] = []
        ranked: list[tuple[float, float, int, Targets]] = []
        closing = ""
        prefix: tuple[Candidate, ...] = ()
        for k in range(max(room, 0)):
            legal = legal_actions(real, role)
            playable = legal.cards()
            if not playable:
                closing = self._nothing_playable(real) if k == 0 else "no other card is playable"
                break
            cur_key = (key, prefix)
            scored: list[tuple[float, float, int, Targets]] = []
            if k == 0:
                for ci in playable:
                    cost = t.cards[ci].cost
                    for g, tg in self._options(
                        base, cur_key, ci, legal.targets_for(ci), left, price, v0
                    ):
                        scored.append((g - price * cost, g, ci, tg))
            else:
                allowed = set(playable)
                pool = [x for x in ranked if x[2] in allowed and self._still_legal(legal, x)]
                for _, _, ci, tg in pool[: self.recheck]:
                    mk = (cur_key, ci, tg)
                    got = self._memo.get(mk)
                    if got is None:
                        got = self._memo[mk] = self.expected(base, ci, tg, left, price, v0) - v0
                    scored.append((got - price * t.cards[ci].cost, got, ci, tg))
            if not scored:
                closing = "no other card is worth playing"
                break
            scored.sort(key=lambda x: (-x[0], x[2], x[3]))
            if k == 0:
                ranked = scored
            net, gain, ci, tg = scored[0]
            if net <= self.threshold:
                closing = self._not_worth(scored[0], price) if self.explains else ""
                break
            card = t.cards[ci]
            # The chance in the position as it is (the roll at resolution reads the same
            # modifiers), not in `base`, which assumes the earlier orders' likely outcomes.
            ch = roll_chance(real, card, role, tg) if has_roll_effects(card) else -1
            choice = Choice(ci, tg, gain, net, ch)
            chosen.append(choice)
            explanations.append(self._explainer(base, choice, left, price) if self.explains else "")
            real = apply(real, to_order(t, role, ci, tg))
            base = likely_outcome(base, role, card, tg)
            self._keep.append(base)
            prefix = (*prefix, (ci, tg))
            v0 = self.total(base, left, price)
        else:
            closing = (
                f"the turn's {t.max_orders} orders are given"
                if room > 0
                else "the turn's orders are already given"
            )
        return Plan(
            st.turn, chosen, explanations, closing, tuple((ci, tg) for ci, tg, _ in st.orders[role])
        )

    @staticmethod
    def _still_legal(legal: Any, x: tuple[float, float, int, Targets]) -> bool:
        cands = legal.targets_for(x[2])
        return all(y in cands for y in x[3])

    # ------------------------------------------------------------------ explaining

    def _nothing_playable(self, st: State) -> str:
        inf = st.influence[self.role]
        if not st.hand[self.role]:
            return "no card in hand"
        return f"no card in hand is playable now (influence {inf})"

    def _not_worth(self, best: tuple[float, float, int, Targets], price: float) -> str:
        _net, gain, ci, tg = best
        cost = self.t.cards[ci].cost
        return with_details(
            "no other card is worth its cost now",
            f"the best, {order_text(self.t, ci, tg)}, would gain {gain:+.1f} VP for {cost} "
            "influence",
        )

    def _explainer(self, base: State, ch: Choice, left: int, price: float) -> Callable[[], str]:
        return lambda: self.explain(base, ch, left, price)

    def explain(self, base: State, ch: Choice, left: int, price: float) -> str:
        """One line in the game's terms: what the order does for which objective, the odds,
        and what it costs."""
        t = self.t
        card = t.cards[ch.card]
        v = self.value
        before = v.per_objective(base)
        up_before = v.per_objective(project_upkeep(base)) if left > 1 else before
        outs = outcomes(base, self.role, card, ch.targets)
        delta = [0.0] * len(before)
        for p, s in outs:
            now = v.per_objective(s)
            up = v.per_objective(project_upkeep(s)) if left > 1 else now
            for i in range(len(delta)):
                delta[i] += p * ((now[i] - before[i]) + max(left - 1, 0) * (up[i] - up_before[i]))
        order = order_text(t, ch.card, ch.targets)
        facts = self._target_facts(base, ch)
        scored = max(left, 1)
        # The reason first, in a few plain words (the screens show the order beside it); the
        # points, the odds and the cost in the details (F3).
        numbers: list[str] = [order]
        if delta and max(abs(d) for d in delta) > 0.05:
            i = max(range(len(delta)), key=lambda j: abs(delta[j]))
            goal = objective_label(t, self.role, i)
            if delta[i] > 0:
                plain = f"to {goal}"
            else:
                plain = f"worth its cost overall, though it sets back “{goal}”"
            numbers.append(f"{delta[i]:+.1f} VP over {scorings(scored)}")
        else:
            plain = "for income, influence and position"
            numbers.append(f"expected {ch.gain:+.1f} VP")
        if facts:
            plain += f" ({facts})"
        if ch.chance >= 0:
            # Stated as what it was when chosen: the roll itself is computed again when the
            # order resolves, and the resolution shows both when they differ (issue 13, trap 9).
            numbers.append(f"{ch.chance}% to succeed when chosen")
        numbers.append(f"costs {card.cost} influence")
        return with_details(plain, *numbers)

    def _target_facts(self, st: State, ch: Choice) -> str:
        t = self.t
        card = t.cards[ch.card]
        if card.target_kind != "country":
            return ""
        out = []
        for c in ch.targets:
            s = st.status(c)
            if s.code == ALIGNED:
                status = f"aligned with {t.power_names[s.power]}"
            elif s.code == AMBIGUOUS:
                status = "ambiguous"
            else:
                status = STATUS_NAMES[s.code].replace("_", "-")
            txt = f"{t.country_names[c]} is {status}"
            for p, strength in st.alliances(c):
                same = s.code == ALIGNED and s.power == p and len(st.alliances(c)) == 1
                with_whom = "" if same else f" with {t.power_names[p]}"
                txt += f", its alliance{with_whom} at strength {strength}"
            out.append(txt)
        return "; ".join(out[:2])


def text_of(x: str | Callable[[], str]) -> str:
    return x if isinstance(x, str) else x()


class GreedyBot:
    """Plays the greedy policy from its seat's view. Deterministic for a given view.

    `rationale`: put the explanation in each order's rationale (for the journal). The
    simulation turns it off, and then an explanation is written only if someone reads
    `last_explanation`.
    """

    name = "greedy"

    def __init__(self, rng: Any, **params: Any) -> None:
        self.rng = rng
        self.rationale = True
        self.params = params
        self._explanation: str | Callable[[], str] = ""
        self._policies: dict[tuple[int, int], GreedyPolicy] = {}
        self._plan: Plan | None = None
        self._plan_role = -1

    @property
    def last_explanation(self) -> str:
        """One line on the last choice, in the game's terms."""
        text = self._explanation = text_of(self._explanation)
        return text

    def policy(self, t: Tables, role: int) -> GreedyPolicy:
        key = (id(t), role)
        pol = self._policies.get(key)
        if pol is None:
            pol = self._policies[key] = GreedyPolicy(t, role, **self.params)
        return pol

    def choose(self, view: State, role: int) -> Action:
        t = view.tables
        plan = self._plan
        given = tuple((ci, tg) for ci, tg, _ in view.orders[role])
        if plan is None or self._plan_role != role or not follows(plan, view, role, given):
            pol = self.policy(t, role)
            pol.reset()
            plan = self._plan = pol.plan(view, None)
            self._plan_role = role
            pol.reset()
        k = len(given) - len(plan.prefix)
        if k < len(plan.orders):
            ch = plan.orders[k]
            self._explanation = plan.explanations[k]
            why = self.last_explanation if self.rationale else ""
            return to_order(t, role, ch.card, ch.targets, why)
        self._explanation = no_order(plan.closing) if not plan.orders else plan.closing
        self._plan = None
        return Pass(t.roles[role].id, self.last_explanation[:500] if self.rationale else "")


def follows(plan: Plan, view: State, role: int, given: tuple[Candidate, ...]) -> bool:
    """Is the view where the plan expects to be (same turn, its orders given so far)?"""
    if view.turn != plan.turn or len(given) < len(plan.prefix):
        return False
    k = len(given) - len(plan.prefix)
    if given[: len(plan.prefix)] != plan.prefix or k > len(plan.orders):
        return False
    mine = tuple((c.card, c.targets) for c in plan.orders[:k])
    if given[len(plan.prefix) :] != mine:
        return False
    hand = list(view.hand[role])
    for c in plan.orders[k:]:
        if c.card not in hand:
            return False
        hand.remove(c.card)
    return True
