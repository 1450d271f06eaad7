"""How good a position is for one role: its scoring and income terms, exactly and softly.

`RoleValue` scores a position twice — exactly (what the rules will score) and softly (the same
objectives with partial credit from bots/soft.py and no rounding down) — and mixes them. Both
are computed incrementally: a look-ahead state shares every unchanged ties row with its parent,
so only the countries an order touched are re-examined, and a term's value is cached by the
identity of the state fields it reads (its compiled `reads`). That is what keeps a greedy
decision in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

from wargame.bots.lookahead import project_upkeep, remaining_scorings
from wargame.bots.soft import SoftStatus, soft_holds, soft_match
from wargame.evaluate import country_matches, holds, metric_value
from wargame.state import State
from wargame.tables import ROLE, TARGETS, CCard, CCondition, CFilter, CMetric, CTerm, Tables

_PER_COUNTRY = frozenset({"countries", "alliances", "ties", "standing", "members"})


def _per_country(m: CMetric | None) -> bool:
    if m is None or m.kind not in _PER_COUNTRY:
        return False
    if m.kind in ("ties", "standing"):
        return not m.of_targets
    if m.kind == "members":
        return m.filter is not None
    return True


_PSEUDO = frozenset({TARGETS, ROLE})


def _fields(*reads: frozenset[str]) -> frozenset[str]:
    """The State fields among compiled `reads` (a bot's values are per role, without targets)."""
    return frozenset().union(*reads) - _PSEUDO


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
        and "ties" in m.filter.reads
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
    for cond, _, _ in (*t.sudden_death, *t.end_victories):
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


def _getter(deps: frozenset[str]) -> Callable[[State], tuple[Any, ...]]:
    """A function from a state to the identities of the fields in `deps` (a cache key).
    `tables` is appended so the getter always returns a tuple; `turn` is an int, compared by
    value."""
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
        getters = [
            _getter(
                _fields(
                    frozenset() if x.metric is None else x.metric.reads,
                    frozenset() if x.when is None else x.when.reads,
                )
            )
            for x in terms
        ]
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
            strength = st.alliance_with(c, m.a)
            if strength <= 0:
                return 0.0, 0.0
            v = 1 if m.flag else strength
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
            key = tuple(map(id, getter(st)))
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
        and st.also_allied is b.also_allied
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
        if st.also_allied is not b.also_allied:
            out.update(
                c
                for c, (x, y) in enumerate(zip(st.also_allied, b.also_allied, strict=True))
                if x != y
            )
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
        self._endings = (*t.sudden_death, *t.end_victories)
        """Sudden deaths, then the victories judged after the last turn."""
        self._sudden_getters = [_getter(_fields(cond.reads)) for cond, _, _ in self._endings]
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
        fraction of it, so a bot sees the danger a turn before it is too late. A victory
        judged at the end counts the same way during the last turn."""
        v = 0.0
        t = self.t
        last = len(t.sudden_death) if st.turn < t.turns else len(self._endings)
        for k, (cond, winner, _) in enumerate(self._endings[:last]):
            getter = self._sudden_getters[k]
            key = (k, _ids(getter(st)))
            near = self._sudden_cache.get(key)
            if near is None:
                near = 1.0 if holds(st, cond) else 0.3 * soft_holds(st, cond, -1)
                if len(self._sudden_cache) > 512:
                    self._sudden_cache.clear()
                    self._keep.clear()
                self._sudden_cache[key] = near
                self._keep.append(st)
            v += near * (self.sudden if self.role in t.winners_of(winner) else -self.sudden)
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
                and st.also_allied is b.also_allied
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
