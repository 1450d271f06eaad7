"""What the thinking bots share: naming, candidate orders, resolving an order "as if now", a
shaped value of a position for one role, and determinising a seat's view.

The scenario's objectives are step functions ("1 VP per 2 countries in the circle of friends"):
one order rarely moves a count past a step, so a bot that only read `objective_scores` would
see nothing to gain from most moves. `RoleValue` therefore scores a position twice — exactly
(what the rules will score) and softly (the same objectives with partial credit for a country
that is close to matching a filter and no rounding down) — and mixes them. Both are computed
incrementally: a look-ahead state shares every unchanged ties row with its parent, so only the
countries an order touched are re-examined. That is what keeps a greedy decision in
milliseconds.

Nothing here reads hidden information: everything takes the seat's view, and `determinise`
fills the masked cards by sampling from the cards the seat has not seen.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import combinations
from operator import attrgetter
from typing import Any

from wargame.actions import Order
from wargame.effects import apply_effects
from wargame.evaluate import country_matches, hard_facts_match, holds, metric_value, roll_chance
from wargame.observe import HIDDEN
from wargame.rules import legal_actions
from wargame.state import State
from wargame.tables import (
    ALIGNED,
    AMBIGUOUS,
    NON_ALIGNED,
    CCard,
    CCondition,
    CFilter,
    CMetric,
    CTerm,
    Tables,
)

Targets = tuple[int, ...]
Candidate = tuple[int, Targets]
"""(card index, target indices)."""

# ---------------------------------------------------------------------- names


def card_title(t: Tables, card: int) -> str:
    return t.cards[card].title if card >= 0 else "a hidden card"


def target_names(t: Tables, card: CCard, targets: Targets) -> list[str]:
    if card.target_kind == "country":
        return [t.country_names[x] for x in targets]
    if card.target_kind == "institution":
        insts = t.scenario.institutions
        return [insts[x].name for x in targets]
    return []


def order_text(t: Tables, card: int, targets: Targets) -> str:
    """'Renew the charter (Amber Isle)': how a person would name the order."""
    c = t.cards[card]
    names = target_names(t, c, targets)
    return f"{c.title} ({', '.join(names)})" if names else c.title


def to_order(t: Tables, role: int, card: int, targets: Targets, rationale: str = "") -> Order:
    c = t.cards[card]
    ids = t.countries if c.target_kind == "country" else t.institutions
    return Order(t.roles[role].id, c.id, tuple(ids[x] for x in targets), rationale[:500])


def power_name(t: Tables, power: int) -> str:
    """'United States' rather than `us`: explanations speak the scenario's language."""
    return t.scenario.powers[power].name


def objective_label(t: Tables, role: int, k: int) -> str:
    text = t.roles[role].objective_texts[k]
    return text or t.roles[role].objective_ids[k].replace("_", " ")


# ---------------------------------------------------------------------- orders


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
    """The world after this turn's upkeep: alliances not reaffirmed decay, drift applies.
    Mirrors `flow`'s upkeep on the world only (no phase change), so a bot sees that an alliance
    left alone loses strength."""
    t = st.tables
    if t.alliance_decay:
        alliance = list(st.alliance)
        ally = list(st.ally)
        changed = False
        for c in range(len(alliance)):
            if ally[c] >= 0 and c not in st.reaffirmed:
                alliance[c] = max(0, alliance[c] - t.alliance_decay)
                if alliance[c] == 0:
                    ally[c] = -1
                changed = True
        if changed:
            st = st.evolve(alliance=tuple(alliance), ally=tuple(ally), reaffirmed=frozenset())
    for cond, effects, _ in t.drift if drift else ():
        if cond is None or holds(st, cond):
            st = apply_effects(st, effects, -1, (), None)
    return st


# ---------------------------------------------------------------------- soft matching

_TIE_SCALE = 1.0
"""A country one tie point short of a filter gets e^-1 of the credit of a matching one."""


def _decay(d: float, scale: float) -> float:
    return 1.0 if d <= 0 else math.exp(-d / scale)


class SoftStatus:
    """Partial membership of one country in each status: how close it is to being aligned with
    each power, ambiguous, or non-aligned, from its standings."""

    __slots__ = ("aligned", "ambiguous", "non_aligned")

    def __init__(self, st: State, c: int, s_scale: float, m_scale: float) -> None:
        t = st.tables
        standing = st.status(c).standing
        strong = t.strong
        margin = t.margin
        npow = len(standing)
        close = [_decay(strong - s, s_scale) for s in standing]
        aligned = []
        for p in range(npow):
            v = close[p]
            for q in range(npow):
                if q != p:
                    gap = standing[p] - standing[q]
                    fail = 0.0 if gap >= margin else 1.0 - math.exp(-(margin - gap) / m_scale)
                    v *= 1.0 - close[q] * fail
            aligned.append(v)
        order = sorted(range(npow), key=lambda p: -standing[p])
        if npow >= 2:
            a, b = order[0], order[1]
            gap = standing[a] - standing[b]
            fail = 0.0 if gap >= margin else 1.0 - math.exp(-(margin - gap) / m_scale)
            amb = close[a] * close[b] * fail
        else:
            amb = 0.0
        non = 1.0
        for x in close:
            non *= 1.0 - x
        self.aligned = aligned
        self.ambiguous = amb
        self.non_aligned = non

    def of_code(self, code: int) -> float:
        if code == ALIGNED:
            return min(1.0, sum(self.aligned))
        if code == AMBIGUOUS:
            return self.ambiguous
        if code == NON_ALIGNED:
            return self.non_aligned
        return 0.0


def soft_match(
    st: State,
    f: CFilter | None,
    c: int,
    scales: tuple[float, float],
    cache: dict[int, SoftStatus] | None = None,
) -> float:
    """1 for a country that matches `f`, less the further it is from matching on ties and
    status; 0 when a yes-or-no part fails. `cache` keeps each country's SoftStatus for one
    state, since several objectives ask about the same country."""
    if f is None:
        return 1.0
    if not hard_facts_match(st, f, c):
        return 0.0
    x = 1.0
    t = st.tables
    nch = t.n_channels
    for power, ch, lo, hi in f.ties:
        row = st.ties[c]
        v = sum(row[power * nch : power * nch + nch]) if ch < 0 else row[power * nch + ch]
        if lo is not None and v < lo:
            x *= _decay(lo - v, _TIE_SCALE)
        elif hi is not None and v > hi:
            x *= _decay(v - hi, _TIE_SCALE)
    if (
        f.status is None
        and f.aligned_with is None
        and not f.standing
        and f.group is None
        and f.not_group is None
    ):
        return x
    ss = cache.get(c) if cache is not None else None
    if ss is None:
        ss = SoftStatus(st, c, *scales)
        if cache is not None:
            cache[c] = ss
    if f.status is not None:
        x *= min(1.0, sum(ss.of_code(code) for code in f.status))
    if f.aligned_with is not None:
        x *= min(1.0, sum(ss.aligned[p] for p in f.aligned_with))
    if f.standing:
        standing = st.status(c).standing
        for power, lo, hi in f.standing:
            v = standing[power]
            if lo is not None and v < lo:
                x *= _decay(lo - v, scales[0])
            elif hi is not None and v > hi:
                x *= _decay(v - hi, scales[0])
    if f.group is not None:
        x *= _group(t, ss, f.group)
    if f.not_group is not None:
        x *= 1.0 - _group(t, ss, f.not_group)
    return x


def _group(t: Tables, ss: SoftStatus, g: int) -> float:
    powers, ambiguous = t.groups[g]
    v = sum(ss.aligned[p] for p in powers)
    if ambiguous:
        v += ss.ambiguous
    return min(1.0, v)


def soft_holds(st: State, c: CCondition, role: int) -> float:
    """1 when the condition holds, less the further a track or metric is from its bounds."""
    k = c.kind
    if k == "track":
        v = st.tracks[c.a]
        return _bounds_closeness(v, c.lo, c.hi, 1.0)
    if k == "metric":
        v = metric_value(st, c.metric, role)  # type: ignore[arg-type]
        return _bounds_closeness(v, c.lo, c.hi, 1.0)
    if k == "all":
        x = 1.0
        for sub in c.of:
            x *= soft_holds(st, sub, role)
        return x
    if k == "any":
        return max((soft_holds(st, sub, role) for sub in c.of), default=0.0)
    if k == "not":
        return 1.0 - soft_holds(st, c.of[0], role)
    return 1.0 if holds(st, c, role) else 0.0


def _bounds_closeness(v: int, lo: int | None, hi: int | None, scale: float) -> float:
    if lo is not None and v < lo:
        return _decay(lo - v, scale)
    if hi is not None and v > hi:
        return _decay(v - hi, scale)
    return 1.0


# ---------------------------------------------------------------------- values


_PER_COUNTRY = frozenset({"countries", "alliances", "ties", "standing", "members"})


def _per_country(m: CMetric | None) -> bool:
    if m is None or m.kind not in _PER_COUNTRY:
        return False
    if m.kind in ("ties", "standing"):
        return not m.of_targets
    if m.kind == "members":
        return m.filter is not None
    return True


def _filter_deps(f: CFilter | None) -> set[str]:
    """The state fields a country filter reads (besides the scenario's fixed data)."""
    if f is None:
        return set()
    out: set[str] = set()
    if f.allied_with is not None or f.not_allied_with is not None:
        out |= {"ally", "alliance"}
    if f.member_of is not None or f.not_member_of is not None:
        out.add("members")
    if f.ties:
        out.add("ties")
    if (
        f.status is not None
        or f.aligned_with is not None
        or f.standing
        or f.group is not None
        or f.not_group is not None
    ):
        out |= {"ties", "ally", "alliance"}
    return out


_METRIC_FIELDS = {
    "track": {"tracks"},
    "countries": set(),
    "ties": {"ties"},
    "standing": {"ties", "ally", "alliance"},
    "alliances": {"ally", "alliance"},
    "members": {"members"},
    "bridges": {"bridges", "lean"},
    "lean": {"lean"},
    "influence": {"influence"},
    "vp": {"vp"},
    "flag": {"flags"},
    "turn": {"turn"},
}


def _metric_deps(m: CMetric | None) -> set[str] | None:
    """The fields a metric reads, or None when unknown (then it is never cached)."""
    if m is None:
        return set()
    base = _METRIC_FIELDS.get(m.kind)
    if base is None:
        return None
    return base | _filter_deps(m.filter)


def _condition_deps(c: CCondition | None) -> set[str] | None:
    if c is None:
        return set()
    if c.kind == "track":
        return {"tracks"}
    if c.kind == "flag":
        return {"flags"}
    if c.kind == "turn":
        return {"turn"}
    if c.kind == "seated":
        return set()  # who is seated never changes during a game
    if c.kind == "metric":
        return _metric_deps(c.metric)
    if c.kind in ("all", "any", "not"):
        out: set[str] = set()
        for x in c.of:
            d = _condition_deps(x)
            if d is None:
                return None
            out |= d
        return out
    return None


def _static_set(t: Tables, f: CFilter | None) -> frozenset[int]:
    """The countries a filter could ever match, from its fixed parts alone."""
    out = set(range(len(t.countries)))
    if f is None:
        return frozenset(out)
    if f.ids is not None:
        out &= f.ids
    if f.exclude is not None:
        out -= f.exclude
    if f.regions is not None:
        out = {c for c in out if t.country_region[c] in f.regions}
    if f.of_role is not None:
        out &= f.of_role
    if f.not_of_role is not None:
        out -= f.not_of_role
    return frozenset(out)


def _tie_readers(t: Tables, m: CMetric | None) -> frozenset[int]:
    """Countries whose ties a metric reads."""
    if m is None:
        return frozenset()
    if m.kind in ("ties", "standing"):
        return _static_set(t, m.filter) if not m.of_targets else frozenset()
    if (
        m.kind in ("countries", "alliances", "members")
        and m.filter is not None
        and "ties" in _filter_deps(m.filter)
    ):
        return _static_set(t, m.filter)
    return frozenset()


def _condition_tie_readers(t: Tables, c: CCondition | None) -> frozenset[int]:
    if c is None:
        return frozenset()
    if c.kind == "metric":
        return _tie_readers(t, c.metric)
    out: frozenset[int] = frozenset()
    for x in c.of:
        out |= _condition_tie_readers(t, x)
    return out


def ties_relevant(t: Tables, roles: Iterable[int]) -> frozenset[int]:
    """The countries whose ties can change the value of any of `roles`: those a scoring or
    income term, or a sudden-death condition, reads ties of. A card that only moves the ties
    of its target has the same value for every target outside this set."""
    out: frozenset[int] = frozenset()
    for r in roles:
        role = t.roles[r]
        for term in (*role.objectives, *role.income_terms):
            out |= _tie_readers(t, term.metric) | _condition_tie_readers(t, term.when)
    for cond, _, _ in t.sudden_death:
        out |= _condition_tie_readers(t, cond)
    return out


def _reads_targets(c: CCondition | None) -> bool:
    if c is None:
        return False
    if c.kind == "metric":
        return c.metric is not None and c.metric.of_targets
    return any(_reads_targets(x) for x in c.of)


def target_only_moves_ties(card: CCard) -> bool:
    """Does the choice of target change only the target's ties (and not the odds)? Then two
    targets that no objective looks at are worth the same."""
    for e in (*card.on_play, *card.on_success, *card.on_failure):
        scoped = e.countries is None and e.where is None
        if scoped and e.kind in ("alliance", "form_alliance", "join", "leave"):
            return False
    for mod in card.roll_mods:
        if (mod.metric is not None and mod.metric.of_targets) or _reads_targets(mod.when):
            return False
    return not any(_reads_targets(c) for c in card.requires)


def _getter(deps: set[str] | None) -> Callable[[State], tuple[Any, ...]] | None:
    """A function from a state to the identities of the fields in `deps` (a cache key).
    `tables` is appended so the getter always returns a tuple; `turn` is an int, compared by
    value."""
    if deps is None:
        return None
    return attrgetter(*sorted(deps), "tables")


def _ids(values: tuple[Any, ...]) -> tuple[int, ...]:
    return tuple(map(id, values))


class TermSet:
    """A role's scoring (or income) terms, evaluated exactly and softly.

    Two caches make look-ahead cheap. A term's value is cached by the identity of the state
    fields it reads (most orders leave most fields shared with their parent state). A term
    summed over countries is computed incrementally against a base state: per-country
    contributions are kept, and only the countries whose ties, alliance or memberships changed
    are recomputed.
    """

    def __init__(self, t: Tables, role: int, terms: tuple[CTerm, ...]) -> None:
        self.t = t
        self.role = role
        self.terms = terms
        self.country_terms = [i for i, x in enumerate(terms) if _per_country(x.metric)]
        self._slot = {i: k for k, i in enumerate(self.country_terms)}
        self.scales = (max(1.0, t.strong / 5.0), max(1.0, t.margin / 3.0))
        getters = []
        for x in terms:
            a, b = _metric_deps(x.metric), _condition_deps(x.when)
            getters.append(None if a is None or b is None else _getter(a | b))
        self._getters = getters
        self._cache: list[dict[Any, tuple[float, float]]] = [{} for _ in terms]
        self._rows = [(i, x, getters[i], self._cache[i]) for i, x in enumerate(terms)]
        self._keep: list[Any] = []
        """References that keep the ids in the cache keys alive."""
        self.base: State | None = None
        self._ex: list[list[float]] = []
        self._so: list[list[float]] = []
        self._sum_ex: list[float] = []
        self._sum_so: list[float] = []

    # per-country contribution of term i at country c: (exact, soft)
    def _contrib(
        self, st: State, m: CMetric, c: int, cache: dict[int, SoftStatus]
    ) -> tuple[float, float]:
        k = m.kind
        t = self.t
        if k == "countries":
            w = t.country_weight[c] if m.flag else 1
            ex = w if country_matches(st, m.filter, c) else 0
            return ex, w * soft_match(st, m.filter, c, self.scales, cache)
        if k == "alliances":
            if st.ally[c] != m.a or st.alliance[c] <= 0:
                return 0.0, 0.0
            v = 1 if m.flag else st.alliance[c]
            ex = v if country_matches(st, m.filter, c) else 0
            return ex, v * soft_match(st, m.filter, c, self.scales, cache)
        if k == "members":
            if c not in st.members[m.a]:
                return 0.0, 0.0
            return (
                1.0 if country_matches(st, m.filter, c) else 0.0,
                soft_match(st, m.filter, c, self.scales, cache),
            )
        if k == "ties":
            nch = t.n_channels
            row = st.ties[c]
            base = m.a * nch
            v = sum(row[base : base + nch]) if m.b < 0 else row[base + m.b]
        else:  # standing
            v = st.status(c).standing[m.a]
        ex = v if country_matches(st, m.filter, c) else 0
        return ex, v * soft_match(st, m.filter, c, self.scales, cache)

    def rebase(self, st: State) -> None:
        """Make `st` the reference: compute every country's contribution once — or, when
        `st` follows the old reference (a later position of the same game), only those of
        the countries that changed since."""
        n = len(st.ties)
        old = self.base
        if old is not None and old.tables is st.tables and old is not st and self._ex:
            changed = _changed_since(old, st)
            if len(changed) * 2 < n:  # type: ignore[arg-type]
                cache: dict[int, SoftStatus] = {}
                for j, i in enumerate(self.country_terms):
                    m = self.terms[i].metric
                    assert m is not None
                    ex, so = self._ex[j], self._so[j]
                    for c in changed:
                        ex[c], so[c] = self._contrib(st, m, c, cache)
                    self._sum_ex[j] = sum(ex)
                    self._sum_so[j] = sum(so)
                self.base = st
                return
        if old is st and self._ex:
            return
        self.base = st
        self._ex, self._so, self._sum_ex, self._sum_so = [], [], [], []
        cache = {}
        for i in self.country_terms:
            m = self.terms[i].metric
            assert m is not None
            ex = [0.0] * n
            so = [0.0] * n
            for c in range(n):
                ex[c], so[c] = self._contrib(st, m, c, cache)
            self._ex.append(ex)
            self._so.append(so)
            self._sum_ex.append(sum(ex))
            self._sum_so.append(sum(so))

    def _metric(
        self, st: State, i: int, changed: Iterable[int], cache: dict[int, SoftStatus]
    ) -> tuple[float, float]:
        m = self.terms[i].metric
        assert m is not None
        if i in self._slot:
            j = self._slot[i]
            ex, so = self._sum_ex[j], self._sum_so[j]
            bex, bso = self._ex[j], self._so[j]
            for c in changed:
                e2, s2 = self._contrib(st, m, c, cache)
                ex += e2 - bex[c]
                so += s2 - bso[c]
            return ex, so
        v = float(metric_value(st, m, self.role))
        return v, v

    def scores(
        self, st: State, cache: dict[int, SoftStatus] | None = None
    ) -> tuple[list[float], list[float]]:
        """Each term's points, exactly as the rules score it and softly. `cache` may carry
        the SoftStatus of `st`'s countries between TermSets."""
        if self.base is None:
            self.rebase(st)
        if cache is None:
            cache = {}
        changed: Iterable[int] | None = None
        ex_out: list[float] = []
        so_out: list[float] = []
        role = self.role
        for i, term, getter, memo in self._rows:
            key = tuple(map(id, getter(st))) if getter is not None else None
            if key is not None:
                got = memo.get(key)
                if got is not None:
                    ex_out.append(got[0])
                    so_out.append(got[1])
                    continue
            when = term.when
            if when is not None:
                gate_ex = 1.0 if holds(st, when, role) else 0.0
                gate_so = soft_holds(st, when, role)
            else:
                gate_ex = gate_so = 1.0
            if term.metric is None:
                e = s = float(term.points)
            elif gate_so == 0.0:
                e = s = 0.0
            else:
                if changed is None:
                    base = self.base
                    assert base is not None  # `rebase` ran before any scoring
                    changed = _changed_since(base, st) if st is not base else ()
                me, ms = self._metric(st, i, changed, cache)
                e = float(term.points * (round(me) // term.per))
                s = term.points * ms / term.per
            if term.max is not None:
                e = min(e, term.max)
                s = min(s, term.max)
            e *= gate_ex
            s *= gate_so
            if key is not None:
                if len(memo) > 256:
                    memo.clear()
                    if len(self._keep) > 4096:
                        self._keep.clear()
                        for other in self._cache:
                            other.clear()
                memo[key] = (e, s)
                self._keep.append(st)
            ex_out.append(e)
            so_out.append(s)
        return ex_out, so_out


_LAST_CHANGED: list[Any] = [(None, None, ())]
"""[(base, state, changed countries)] of the last comparison, replaced whole so that bots
thinking in several threads never read a torn entry (only a stale one, which misses)."""


def _changed_since(b: State, st: State) -> Iterable[int]:
    """Countries whose ties, alliance or memberships differ between `b` and `st`. States
    share unchanged rows, so identity tells most of it."""
    lb, ls, lc = _LAST_CHANGED[0]
    if lb is b and ls is st:
        return lc  # type: ignore[no-any-return]
    if (
        st.ties is b.ties
        and st.alliance is b.alliance
        and st.ally is b.ally
        and st.members is b.members
    ):
        out: set[int] | tuple[()] = ()
    else:
        out = set()
        if st.ties is not b.ties:
            out.update(
                c for c, (x, y) in enumerate(zip(st.ties, b.ties, strict=True)) if x is not y
            )
        if st.alliance is not b.alliance:
            out.update(
                c for c, (x, y) in enumerate(zip(st.alliance, b.alliance, strict=True)) if x != y
            )
        if st.ally is not b.ally:
            out.update(c for c, (x, y) in enumerate(zip(st.ally, b.ally, strict=True)) if x != y)
        if st.members is not b.members:
            n = len(st.ties)
            for new, old in zip(st.members, b.members, strict=True):
                if new is not old and new != old:
                    out.update(e for e in new ^ old if e < n)
    _LAST_CHANGED[0] = (b, st, out)
    return out


class RoleValue:
    """How good a position is for one role, in victory points still to be won.

    value = this turn's scoring + (turns left after it) x the scoring after upkeep,
    each blended `(1 - soft) * exact + soft * shaped`, + VP already won by effects this turn,
    + influence and future income at a shadow price, + a large term for a sudden-death win
    or loss. Cached against a base state (`rebase`) so look-ahead states cost little.
    """

    def __init__(
        self, t: Tables, role: int, *, soft: float = 0.5, price: float = 0.05, sudden: float = 30.0
    ) -> None:
        self.t = t
        self.role = role
        self.soft = soft
        self.price = price
        self.sudden = sudden
        r = t.roles[role]
        self.n_obj = len(r.objectives)
        self.terms = TermSet(t, role, (*r.objectives, *r.income_terms))
        """Objectives then income terms: one pass over the terms scores both."""
        self._base: State | None = None
        self._base_up_obj = 0.0
        self._base_obj = 0.0
        self._drift_offset = 0.0
        self._base_drift: tuple[bool, ...] = ()
        self._sudden_getters = [_getter(_condition_deps(cond)) for cond, _, _ in t.sudden_death]
        self._sudden_cache: dict[Any, float] = {}
        self._keep: list[Any] = []

    def rebase(self, st: State) -> None:
        self.terms.rebase(st)
        self._sudden_cache.clear()
        self._keep.clear()
        self._base = st
        self._base_obj = self.objective(st)
        self._base_drift = self._drift(st)
        self._base_up_obj = self.objective(project_upkeep(st))
        self._drift_offset = self._base_up_obj - self.objective(project_upkeep(st, drift=False))

    def _drift(self, st: State) -> tuple[bool, ...]:
        return tuple(cond is None or holds(st, cond) for cond, _, _ in self.t.drift)

    def _both(self, st: State, cache: dict[int, SoftStatus] | None = None) -> tuple[float, float]:
        """(objective score, income) in `st`, blended exact and soft."""
        ex, so = self.terms.scores(st, cache)
        n, w = self.n_obj, self.soft
        obj = (1.0 - w) * sum(ex[:n]) + w * sum(so[:n])
        r = self.t.roles[self.role]
        inc = r.income_base + (1.0 - w) * sum(ex[n:]) + w * sum(so[n:])
        if r.income_max is not None:
            inc = min(inc, r.income_max)
        return obj, max(inc, 0.0)

    def objective(self, st: State, cache: dict[int, SoftStatus] | None = None) -> float:
        return self._both(st, cache)[0]

    def per_objective(self, st: State) -> list[float]:
        ex, so = self.terms.scores(st)
        n = self.n_obj
        return [(1.0 - self.soft) * e + self.soft * s for e, s in zip(ex[:n], so[:n], strict=True)]

    def income_value(self, st: State, cache: dict[int, SoftStatus] | None = None) -> float:
        return self._both(st, cache)[1]

    def shadow_price(self, st: State) -> float:
        """Influence is worth less as the game nears its end, and almost nothing after it."""
        left = remaining_scorings(st)
        return self.price * min(left - 1, 3) / 3.0 + 0.02 if left > 1 else 0.02

    def sudden_death(self, st: State) -> float:
        """A sudden-death ending counts as a large win or loss; being close to one counts a
        fraction of it, so a bot sees the danger a turn before it is too late."""
        v = 0.0
        for k, (cond, winner, _) in enumerate(self.t.sudden_death):
            getter = self._sudden_getters[k]
            key = (k, _ids(getter(st))) if getter is not None else None
            near = self._sudden_cache.get(key) if key is not None else None
            if near is None:
                near = 1.0 if holds(st, cond) else 0.3 * soft_holds(st, cond, -1)
                if key is not None:
                    if len(self._sudden_cache) > 512:
                        self._sudden_cache.clear()
                        self._keep.clear()
                    self._sudden_cache[key] = near
                    self._keep.append(st)
            v += near * (self.sudden if winner == self.role else -self.sudden)
        return v

    def value(self, st: State, left: int, price: float) -> float:
        """The value of a look-ahead state reached during the orders phase (nothing scored
        yet this turn). `left` = scorings left; `price` = influence shadow price."""
        cache: dict[int, SoftStatus] = {}
        now, inc = self._both(st, cache)
        if left > 1:
            b = self._base
            if (
                b is not None
                and st.alliance is b.alliance
                and st.ally is b.ally
                and st.reaffirmed is b.reaffirmed
                and (st.tracks is b.tracks or self._drift(st) == self._base_drift)
            ):
                up = self._base_up_obj + (now - self._base_obj)
            else:
                # Decay alone, plus the drift's effect as measured on the base: drift filters
                # scan every country, too dear to redo for each candidate.
                up = self.objective(project_upkeep(st, drift=False)) + self._drift_offset
            future = (left - 1) * up
            income = (left - 1) * inc
        else:
            future = income = 0.0
        r = self.role
        return (
            now + future + st.bonus[r] + price * (st.influence[r] + income) + self.sudden_death(st)
        )

    def projected(self, st: State) -> float:
        """Total VP this role can expect at the end, read from any state: VP banked so far plus
        the current scoring repeated for the scorings left, plus influence at its price."""
        r = self.role
        left = remaining_scorings(st)
        v = float(sum(st.vp[r]) + st.bonus[r])
        if left:
            v += left * self.objective(st) + self.shadow_price(st) * st.influence[r]
            v += self.sudden_death(st)
        return v


# ---------------------------------------------------------------------- hidden information


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
