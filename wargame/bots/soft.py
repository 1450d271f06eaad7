"""Soft matching: how close a country is to matching a filter, and a condition to holding.

The scenario's objectives are step functions ("1 VP per 2 countries in the circle of friends"):
one order rarely moves a count past a step, so a bot that only read exact scores would see
nothing to gain from most moves. These give partial credit for being close instead.
"""

from __future__ import annotations

import math

from wargame.evaluate import hard_facts_match, holds, metric_value
from wargame.state import State
from wargame.tables import ALIGNED, AMBIGUOUS, NON_ALIGNED, CCondition, CFilter, Tables

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
        lone = t.lone_margin
        npow = len(standing)
        close = [_decay(strong - s, s_scale) for s in standing]
        aligned = []
        # A lone close power short of `lone_margin` leaves the country non-aligned (0: the rule
        # is off, and the old formula stands unchanged).
        lone_short = 0.0
        for p in range(npow):
            v = close[p]
            w = close[p] if npow >= 2 else 0.0
            for q in range(npow):
                if q != p:
                    gap = standing[p] - standing[q]
                    fail = 0.0 if gap >= margin else 1.0 - math.exp(-(margin - gap) / m_scale)
                    lfail = (
                        0.0 if lone == 0 or gap >= lone else 1.0 - math.exp(-(lone - gap) / m_scale)
                    )
                    v *= 1.0 - close[q] * fail - (1.0 - close[q]) * lfail
                    w *= (1.0 - close[q]) * lfail
            aligned.append(max(0.0, v))
            lone_short += w
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
        non = min(1.0, non + lone_short)
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
    for need, subs in f.combos:
        # As close as the `need`-th best of the filters: two of three counts the second.
        got = sorted((soft_match(st, sub, c, scales, cache) for sub in subs), reverse=True)
        x *= got[need - 1]
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
