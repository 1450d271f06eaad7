"""Reading the state: filters, metrics, conditions, roll chances, income and objectives.

Pure functions of (state, context). The context is the role playing a card (for `self`) and its
chosen targets (for `of: targets`). Nothing here changes a state.
"""

from __future__ import annotations

from typing import Final

from wargame.state import Modifier, State
from wargame.tables import (
    ALIGNED,
    ANY,
    SELF,
    CCard,
    CCondition,
    CFilter,
    CMetric,
    CRollMod,
    CTerm,
    IFilter,
)


def hard_facts_match(st: State, f: CFilter, c: int) -> bool:
    """The yes-or-no parts of a filter: where a country is, whom it is allied with, which
    institutions it sits in (bots give no partial credit for these)."""
    if f.ids is not None and c not in f.ids:
        return False
    if f.exclude is not None and c in f.exclude:
        return False
    if f.regions is not None and st.tables.country_region[c] not in f.regions:
        return False
    if f.of_role is not None and c not in f.of_role:
        return False
    if f.not_of_role is not None and c in f.not_of_role:
        return False
    if f.allied_with is not None:
        if f.allied_with == ANY:
            if not st.alliances(c):
                return False
        elif st.alliance_with(c, f.allied_with) <= 0:
            return False
    if f.not_allied_with is not None:
        if f.not_allied_with == ANY:
            if st.alliances(c):
                return False
        elif st.alliance_with(c, f.not_allied_with) > 0:
            return False
    if f.member_of is not None and not any(c in st.members[i] for i in f.member_of):
        return False
    return not (f.not_member_of is not None and any(c in st.members[i] for i in f.not_member_of))


def country_matches(st: State, f: CFilter | None, c: int) -> bool:
    """The per-country reference for a filter; `countries_where` is the fast set-based path
    and a test holds the two equal on every filter of every scenario."""
    if f is None:
        return True
    if not hard_facts_match(st, f, c):
        return False
    t = st.tables
    for power, ch, lo, hi in f.ties:
        if ch < 0:
            nch = t.n_channels
            v = sum(st.ties[c][power * nch : power * nch + nch])
        else:
            v = st.ties[c][power * t.n_channels + ch]
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            return False
    if f.status is not None or f.aligned_with is not None or f.standing:
        s = st.status(c)
        if f.status is not None and s.code not in f.status:
            return False
        if f.aligned_with is not None and not (s.code == ALIGNED and s.power in f.aligned_with):
            return False
        for power, lo, hi in f.standing:
            v = s.standing[power]
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                return False
    if f.group is not None and not st.in_group(c, f.group):
        return False
    if f.not_group is not None and st.in_group(c, f.not_group):
        return False
    for need, subs in f.combos:
        held = 0
        for sub in subs:
            if country_matches(st, sub, c):
                held += 1
        if held < need:
            return False
    return True


def institution_matches(st: State, f: IFilter | None, i: int) -> bool:
    if f is None:
        return True
    if f.ids is not None and i not in f.ids:
        return False
    if f.exclude is not None and i in f.exclude:
        return False
    for power, lo, hi in f.lean:
        v = st.lean[i][power]
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            return False
    if f.has_member is not None and f.has_member not in st.members[i]:
        return False
    if f.bridged is not None:
        linked = any(i in pair for pair in st.bridges)
        if linked != f.bridged:
            return False
    return True


def _member_mask(st: State, i: int) -> int:
    cache = st.derived().member_masks()
    got = cache.get(i)
    if got is None:
        n = len(st.ties)
        got = 0
        for e in st.members[i]:
            if e < n:
                got |= 1 << e
        cache[i] = got
    return got


def countries_where(st: State, f: CFilter | None) -> tuple[int, ...]:
    """The countries matching a filter now, in index order; kept with the derived values."""
    if f is None:
        return tuple(range(len(st.ties)))
    cache = st.derived().rows()
    got = cache.get(f)
    if got is None:
        got = cache[f] = _bits(country_mask(st, f))
    return got


def country_mask(st: State, f: CFilter) -> int:
    """The countries matching a filter now as a bit mask; kept with the derived values."""
    cache = st.derived().masks()
    got = cache.get(f)
    if got is None:
        got = cache[f] = _country_mask(st, f)
    return got


_CHUNKS: Final = [
    [tuple(k * 8 + i for i in range(8) if b >> i & 1) for b in range(256)] for k in range(16)
]
"""_CHUNKS[k][byte]: the indices set in byte k of a mask (scenarios of up to 128 countries)."""


def _bits(mask: int) -> tuple[int, ...]:
    """The set bits of a mask, ascending, one table lookup per byte."""
    if mask < 256:
        return _CHUNKS[0][mask]
    out: tuple[int, ...] = ()
    k = 0
    while mask:
        if k < 16:
            out += _CHUNKS[k][mask & 255]
        else:  # pragma: no cover - beyond 128 countries
            out += tuple(k * 8 + i for i in range(8) if mask >> i & 1)
        mask >>= 8
        k += 1
    return out


def _country_mask(st: State, f: CFilter) -> int:
    cand = f.static_mask
    if cand and (
        f.status is not None
        or f.aligned_with is not None
        or f.group is not None
        or f.not_group is not None
        or f.allied_with is not None
        or f.not_allied_with is not None
    ):
        ws = st.status_sets()
        if f.status is not None:
            m = 0
            for x in f.status:
                m |= ws.by_code[x]
            cand &= m
        if f.aligned_with is not None:
            m = 0
            for p in f.aligned_with:
                m |= ws.aligned[p]
            cand &= m
        if f.group is not None:
            cand &= ws.group(f.group)
        if f.not_group is not None:
            cand &= ~ws.group(f.not_group)
        if f.allied_with is not None:
            cand &= ws.allied_any if f.allied_with == ANY else ws.allied[f.allied_with]
        if f.not_allied_with is not None:
            cand &= ~(ws.allied_any if f.not_allied_with == ANY else ws.allied[f.not_allied_with])
    if cand and f.member_of is not None:
        m = 0
        for i in f.member_of:
            m |= _member_mask(st, i)
        cand &= m
    if cand and f.not_member_of is not None:
        for i in f.not_member_of:
            cand &= ~_member_mask(st, i)
    for need, subs in f.combos:
        if cand:
            cand &= _at_least(st, need, subs)
    if not cand or not (f.ties or f.standing):
        return cand
    t = st.tables
    nch = t.n_channels
    for c in _bits(cand):
        ok = True
        row = st.ties[c]
        for power, ch, lo, hi in f.ties:
            v = sum(row[power * nch : power * nch + nch]) if ch < 0 else row[power * nch + ch]
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                ok = False
                break
        if ok and f.standing:
            standing = st.status(c).standing
            for power, lo, hi in f.standing:
                v = standing[power]
                if (lo is not None and v < lo) or (hi is not None and v > hi):
                    ok = False
                    break
        if not ok:
            cand &= ~(1 << c)
    return cand


def _at_least(st: State, need: int, subs: tuple[CFilter, ...]) -> int:
    """The countries matching at least `need` of the filters, as a bit mask."""
    masks = [country_mask(st, sub) for sub in subs]
    if need == 1:
        out = 0
        for m in masks:
            out |= m
        return out
    if need == len(masks):
        out = -1
        for m in masks:
            out &= m
        return out
    # Counting bits: at_least[k] holds the countries matching k or more filters so far.
    at_least = [-1] + [0] * need
    for m in masks:
        for k in range(need, 0, -1):
            at_least[k] |= at_least[k - 1] & m
    return at_least[need]


def target_candidates(st: State, card: CCard) -> tuple[int, ...]:
    """Legal targets for a card now. Kept with the derived values, which makes the whole orders
    phase (where only hands and influence move) one evaluation per card."""
    cache = st.derived().targets()
    got = cache.get(card.index)
    if got is None:
        if card.target_kind == "country":
            got = tuple(countries_where(st, card.target_filter))  # type: ignore[arg-type]
        elif card.target_kind == "power":
            got = card.power_choices
        elif card.target_kind == "institution":
            f = card.target_filter
            got = tuple(
                i
                for i in range(len(st.members))
                if institution_matches(st, f, i)  # type: ignore[arg-type]
            )
        else:
            got = ()
        cache[card.index] = got
    return got


def targets_still_legal(st: State, card: CCard, targets: tuple[int, ...]) -> bool:
    """Whether chosen targets still match the card's filter. At resolution the world has just
    changed, so testing the few chosen targets beats rebuilding the whole candidate set."""
    f = card.target_filter
    if f is None:
        return True
    if card.target_kind == "country":
        return all(country_matches(st, f, x) for x in targets)  # type: ignore[arg-type]
    if card.target_kind == "power":
        return True
    return all(institution_matches(st, f, x) for x in targets)  # type: ignore[arg-type]


def _role(ref: int, role: int) -> int:
    return role if ref == SELF else ref


def metric_value(st: State, m: CMetric, role: int = -1, targets: tuple[int, ...] = ()) -> int:
    """A metric's value; a cacheable one is kept with the derived values (objectives, income
    terms, requirements and roll modifiers re-read the same ones)."""
    if m.cacheable:
        cache = st.derived().metrics()
        v = cache.get(m)
        if v is None:
            v = cache[m] = _metric_value(st, m, role, targets)
        return v
    return _metric_value(st, m, role, targets)


def _metric_value(st: State, m: CMetric, role: int, targets: tuple[int, ...]) -> int:
    k = m.kind
    if k == "track":
        return st.tracks[m.a]
    if k == "countries":
        if m.filter is None:
            mask = (1 << len(st.ties)) - 1
        else:
            mask = country_mask(st, m.filter)
        if m.flag:
            w = st.tables.country_weight
            return sum(w[c] for c in _bits(mask))
        return mask.bit_count()
    if k == "ties":
        nch = st.tables.n_channels
        cs = targets if m.of_targets else countries_where(st, m.filter)
        base = m.a * nch
        if m.b < 0:
            return sum(sum(st.ties[c][base : base + nch]) for c in cs)
        return sum(st.ties[c][base + m.b] for c in cs)
    if k == "standing":
        cs = targets if m.of_targets else countries_where(st, m.filter)
        return sum(st.status(c).standing[m.a] for c in cs)
    if k == "alliances":
        total = 0
        for c in countries_where(st, m.filter):
            v = st.alliance_with(c, m.a)
            if v > 0:
                total += 1 if m.flag else v
        return total
    if k == "members":
        mem = st.members[m.a]
        if m.filter is None:
            return len(mem)
        return len(mem.intersection(countries_where(st, m.filter)))
    if k == "bridges":
        total = 0
        for a, b in st.bridges:
            if m.a >= 0 and m.a not in (a, b):
                continue
            if m.b >= 0 and (st.lean[a][m.b] < m.threshold or st.lean[b][m.b] < m.threshold):
                continue
            total += 1
        return total
    if k == "lean":
        return st.lean[m.a][m.b]
    if k == "influence":
        r = _role(m.a, role)
        return st.influence[r] if r >= 0 else 0
    if k == "vp":
        r = _role(m.a, role)
        return sum(st.vp[r]) if r >= 0 else 0
    if k == "flag":
        return 1 if m.a in st.flags else 0
    if k == "turn":
        return st.turn
    raise ValueError(f"unknown metric kind {k!r}")


def _within(v: int, lo: int | None, hi: int | None) -> bool:
    return (lo is None or v >= lo) and (hi is None or v <= hi)


def holds(st: State, c: CCondition, role: int = -1, targets: tuple[int, ...] = ()) -> bool:
    if c.cacheable and c.kind != "track" and c.kind != "flag":  # those two are cheaper to read
        cache = st.derived().conditions()
        v = cache.get(c)
        if v is None:
            v = cache[c] = _holds(st, c, role, targets)
        return v
    return _holds(st, c, role, targets)


def _holds(st: State, c: CCondition, role: int, targets: tuple[int, ...]) -> bool:
    k = c.kind
    if k == "track":
        return _within(st.tracks[c.a], c.lo, c.hi)
    if k == "flag":
        return (c.a in st.flags) == c.want
    if k == "turn":
        return _within(st.turn, c.lo, c.hi)
    if k == "seated":
        return st.present[c.a] == c.want
    if k == "metric":
        return _within(metric_value(st, c.metric, role, targets), c.lo, c.hi)  # type: ignore[arg-type]
    if k == "all":
        return all(holds(st, x, role, targets) for x in c.of)
    if k == "any":
        return any(holds(st, x, role, targets) for x in c.of)
    if k == "not":
        return not holds(st, c.of[0], role, targets)
    raise ValueError(f"unknown condition kind {k!r}")


def term_value(st: State, term: CTerm, role: int) -> int:
    if term.when is not None and not holds(st, term.when, role):
        return 0
    if term.metric is None:
        v = term.points
    else:
        v = term.points * (metric_value(st, term.metric, role) // term.per)
    if term.max is not None and v > term.max:
        v = term.max
    return v


def income_of(st: State, role: int) -> int:
    r = st.tables.roles[role]
    v = r.income_base + sum(term_value(st, t, role) for t in r.income_terms)
    if r.income_max is not None:
        v = min(v, r.income_max)
    v += sum(m.income for m in st.modifiers if m.role == role)
    return max(v, 0)


def objective_scores(st: State, role: int) -> list[int]:
    return [term_value(st, o, role) for o in st.tables.roles[role].objectives]


def _roll_mod(st: State, mod: CRollMod, role: int, targets: tuple[int, ...]) -> int:
    """One roll modifier's points now (0 when its condition does not hold)."""
    if mod.when is not None and not holds(st, mod.when, role, targets):
        return 0
    if mod.metric is None:
        v = mod.chance
    else:
        v = mod.chance * (metric_value(st, mod.metric, role, targets) // mod.per)
    if mod.max is not None:
        v = min(v, mod.max) if mod.chance >= 0 else max(v, -mod.max)
    return v


def _modifier_applies(m: Modifier, role: int, card: CCard) -> bool:
    return m.role == role and m.chance != 0 and (not m.tags or bool(m.tags & card.tags))


def roll_breakdown(
    st: State, card: CCard, role: int, targets: tuple[int, ...]
) -> tuple[int, list[tuple[str, int]]]:
    """The chance of success in percent, and each contribution (label, points) for display."""
    assert card.roll_base is not None
    parts: list[tuple[str, int]] = [("base", card.roll_base)]
    total = card.roll_base
    for mod in card.roll_mods:
        v = _roll_mod(st, mod, role, targets)
        if v:
            parts.append((mod.label or mod.metric.kind if mod.metric else mod.label or "when", v))
            total += v
    if role >= 0:
        for m in st.modifiers:
            if _modifier_applies(m, role, card):
                parts.append((m.label or "modifier", m.chance))
                total += m.chance
    return max(card.roll_min, min(card.roll_max, total)), parts


def roll_chance(st: State, card: CCard, role: int, targets: tuple[int, ...]) -> int:
    """`roll_breakdown`'s total without building its labelled parts: every resolved roll of
    every simulated game calls this. tests/test_rules_cases.py checks the two agree."""
    total = card.roll_base
    assert total is not None
    for mod in card.roll_mods:
        total += _roll_mod(st, mod, role, targets)
    if role >= 0:
        for m in st.modifiers:
            if _modifier_applies(m, role, card):
                total += m.chance
    return max(card.roll_min, min(card.roll_max, total))
