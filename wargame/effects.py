"""Applying the effect vocabulary to a state. Pure: each call returns a new state.

`log`, when given, receives one narrative line per visible change; simulation passes None so
the hot path formats no strings.
"""

from __future__ import annotations

from dataclasses import replace

from wargame.evaluate import countries_where
from wargame.state import AllianceEdit, Modifier, State
from wargame.tables import ANY, CHOSEN, SELF, CEffect

Log = list[str] | None


def _scope(st: State, e: CEffect, targets: tuple[int, ...], tkind: str | None) -> tuple[int, ...]:
    if e.countries is not None:
        return e.countries
    if e.where is not None:
        return tuple(countries_where(st, e.where))
    return targets if tkind == "country" else ()


def _insts(e: CEffect, targets: tuple[int, ...], tkind: str | None) -> tuple[int, ...]:
    if e.kind in ("join", "leave"):
        if e.a >= 0:
            return (e.a,)
        return targets if tkind == "institution" else ()
    fixed = e.institutions
    if tkind == "institution":
        return fixed + tuple(t for t in targets if t not in fixed)
    return fixed


def _clamp(v: int, lo: int, hi: int) -> int:
    return lo if v < lo else hi if v > hi else v


def apply_effect(
    st: State,
    e: CEffect,
    role: int,
    targets: tuple[int, ...],
    tkind: str | None,
    log: Log = None,
) -> State:
    t = st.tables
    if e.a == CHOSEN:  # `power: target`: the power the player chose (one effect per power)
        if tkind != "power":
            return st
        for p in targets:
            st = apply_effect(st, replace(e, a=p), role, targets, tkind, log)
        return st
    k = e.kind
    if k == "ties":
        cs = _scope(st, e, targets, tkind)
        if not cs:
            return st
        nch = t.n_channels
        ties = list(st.ties)
        lo, hi = t.tie_min, t.tie_max
        changed = []
        for c in cs:
            row = list(ties[c])
            for ch in e.channels:
                i = e.a * nch + ch
                row[i] = _clamp(row[i] + e.delta, lo, hi)
            row_t = tuple(row)
            if row_t != ties[c]:
                changed.append(c)
                ties[c] = row_t
        if not changed:
            return st
        if log is not None:
            names = ", ".join(t.country_names[c] for c in cs)
            chans = ", ".join(t.channel_names[ch] for ch in e.channels)
            log.append(f"{names}: ties with {t.power_names[e.a]} ({chans}) {e.delta:+d}")
        return st.with_countries_changed(changed, ties=tuple(ties))
    if k == "track":
        lo, hi = t.track_bounds[e.a]
        v = _clamp(st.tracks[e.a] + e.delta, lo, hi)
        if v == st.tracks[e.a]:
            return st
        if log is not None:
            log.append(f"{t.scenario.tracks[e.a].short_name}: {st.tracks[e.a]} → {v}")
        tracks = list(st.tracks)
        tracks[e.a] = v
        return st.evolve(tracks=tuple(tracks))
    if k == "influence" or k == "vp":
        r = role if e.a == SELF else e.a
        if r < 0 or not st.present[r]:
            return st
        if k == "influence":
            inf = list(st.influence)
            inf[r] = max(0, inf[r] + e.delta)
            if log is not None:
                log.append(f"{t.scenario.roles[r].short_name}: influence {e.delta:+d}")
            return st.evolve(influence=tuple(inf))
        bonus = list(st.bonus)
        bonus[r] += e.delta
        if log is not None:
            log.append(f"{t.scenario.roles[r].short_name}: {e.delta:+d} VP")
        return st.evolve(bonus=tuple(bonus))
    if k == "alliance":
        cs = _scope(st, e, targets, tkind)
        edit = AllianceEdit(st)
        reaff = set(st.reaffirmed)
        for c in cs:
            kept = []
            for p, was in st.alliances(c):
                if e.a != ANY and p != e.a:
                    kept.append((p, was))
                    continue
                v = _clamp(was + e.delta, t.alliance_min, t.alliance_max)
                if e.delta > 0:
                    reaff.add(st.reaffirm_mark(c, p))
                if log is not None and v != was:  # a reaffirmation at the cap changes nothing
                    log.append(
                        f"{t.country_names[c]}: alliance with {t.power_names[p]} {was} → {v}"
                    )
                if v <= 0:
                    if log is not None:
                        log.append(
                            f"{t.country_names[c]}: the alliance with {t.power_names[p]} lapses"
                        )
                    continue
                kept.append((p, v))
            edit.put(c, kept)
        return edit.done(st, cs, frozenset(reaff))
    if k == "form_alliance":
        cs = _scope(st, e, targets, tkind)
        edit = AllianceEdit(st)
        reaff = set(st.reaffirmed)
        room = t.alliances_per_country
        for c in cs:
            held = st.alliances(c)
            was = st.alliance_with(c, e.a)
            if not was and len(held) >= room:
                # Say why nothing happened, or it looks like a bug.
                if log is not None:
                    if room == 1:
                        why = f"already allied with {t.power_names[held[0][0]]}"
                    else:
                        why = (
                            "already allied with "
                            + " and ".join(t.power_names[p] for p, _ in held)
                            + f", the most alliances a country may hold ({room})"
                        )
                    log.append(
                        f"  … fizzles for {t.country_names[c]}: {why}, "
                        f"so no alliance with {t.power_names[e.a]}"
                    )
                continue
            v = _clamp(max(was, e.delta), t.alliance_min, t.alliance_max)
            if v <= 0:
                continue
            edit.put(c, [*(x for x in held if x[0] != e.a), (e.a, v)])
            reaff.add(st.reaffirm_mark(c, e.a))
            if log is not None:
                log.append(
                    f"{t.country_names[c]}: alliance with {t.power_names[e.a]} at strength {v}"
                )
        return edit.done(st, cs, frozenset(reaff))
    if k == "join" or k == "leave":
        cs = _scope(st, e, targets, tkind)
        insts = _insts(e, targets, tkind)
        if not cs or not insts:
            return st
        members = list(st.members)
        for i in insts:
            before = members[i]
            members[i] = before | frozenset(cs) if k == "join" else before - frozenset(cs)
            if log is not None and members[i] != before:
                verb = "join" if k == "join" else "leave"
                if len(cs) == 1:
                    verb += "s"
                names = ", ".join(t.country_names[c] for c in cs)
                log.append(f"{names} {verb} {t.scenario.institutions[i].short_name}")
        return st.evolve(members=tuple(members))
    if k == "lean":
        insts = _insts(e, targets, tkind)
        lean = list(st.lean)
        for i in insts:
            row = list(lean[i])
            old = row[e.a]
            row[e.a] = _clamp(old + e.delta, t.lean_min, t.lean_max)
            lean[i] = tuple(row)
            if log is not None and row[e.a] != old:  # clamped at a bound: nothing to report
                log.append(
                    f"{t.scenario.institutions[i].short_name}: agenda lean toward "
                    f"{t.lean_side_names[e.a]} {old} → {row[e.a]}"
                )
        return st.evolve(lean=tuple(lean))
    if k == "bridge":
        insts = _insts(e, targets, tkind)
        if len(insts) != 2 or insts[0] == insts[1]:
            return st
        pair = (min(insts), max(insts))
        bridges = st.bridges | {pair} if e.flag else st.bridges - {pair}
        if log is not None and bridges != st.bridges:
            a, b = (t.scenario.institutions[i].short_name for i in pair)
            log.append(f"{a} and {b} {'are bridged' if e.flag else 'drift apart'}")
        return st.evolve(bridges=bridges)
    if k == "flag":
        flags = st.flags | {e.a} if e.flag else st.flags - {e.a}
        return st.evolve(flags=flags) if flags != st.flags else st
    if k == "modifier":
        r = role if e.a == SELF else e.a
        if r < 0:
            return st
        mod = Modifier(r, e.tags, e.delta, e.income, e.turns, e.label)
        if log is not None:
            turns = f"{e.turns} turn" if e.turns == 1 else f"{e.turns} turns"
            log.append(f"{t.scenario.roles[r].short_name}: {e.label or 'modifier'} for {turns}")
        return st.evolve(modifiers=(*st.modifiers, mod))
    if k == "draw":
        r = role if e.a == SELF else e.a
        if r < 0 or not st.present[r]:
            return st
        n = min(e.delta, len(st.draw[r]))
        if n == 0:
            return st
        draw = list(st.draw)
        hand = list(st.hand)
        hand[r] = hand[r] + draw[r][:n]
        draw[r] = draw[r][n:]
        return st.evolve(draw=tuple(draw), hand=tuple(hand))
    raise ValueError(f"unknown effect kind {k!r}")


def apply_effects(
    st: State,
    effects: tuple[CEffect, ...],
    role: int,
    targets: tuple[int, ...],
    tkind: str | None,
    log: Log = None,
) -> State:
    for e in effects:
        st = apply_effect(st, e, role, targets, tkind, log)
    return st
