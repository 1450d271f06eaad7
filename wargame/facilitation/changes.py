"""What changed between two boards, and where turns end: the pieces the story, the turn
summaries, the turning points and the debrief all stand on (pure functions of states and steps,
no Textual). `story` re-exports them under their old names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wargame.actions import Undo
from wargame.facilitation.text import institution_name, power_name, status_text

if TYPE_CHECKING:
    from wargame.engine import Step
    from wargame.state import State


# ---------------------------------------------------------------------- end of a turn


def end_of_turn(step: Step) -> State:
    """The state at the end of the turn `step` finished: after scoring and upkeep, before the
    next turn's event and income (which the same step ran on into)."""
    return split_crossing(step)[0]


def split_crossing(step: Step) -> tuple[State, list[str]]:
    """The end-of-turn state of a step that crossed into the next turn, and the narrative lines
    that belong to the turn it finished (the rest of `step.log` opens the next turn).

    The step is replayed on a copy of the tables that says the game ends with this turn, so the
    automatic progression stops exactly at the turn boundary. Pure, no journal involved.
    """
    before, after = step.before, step.after
    if after.over or after.turn == before.turn or isinstance(step.action, Undo):
        return after, list(step.log)
    cached = _SPLITS.get(id(step))
    if cached is not None and cached[0] is step:
        return cached[1], cached[2]
    try:
        from wargame.rules import apply

        tables = dataclasses.replace(before.tables, turns=before.turn)
        probe = before.evolve()
        probe.tables = tables
        log: list[str] = []
        end = apply(probe, step.action, log)
        out = end.evolve(over=after.over, ended_by=after.ended_by)
        out.tables = before.tables
        if step.log[: len(log)] != log:
            log = list(step.log)
    except Exception:  # the engine changed shape: fall back to the state it reached
        out, log = after, list(step.log)
    if len(_SPLITS) > 256:
        _SPLITS.clear()
    _SPLITS[id(step)] = (step, out, log)
    return out, log


_SPLITS: dict[int, tuple[Step, State, list[str]]] = {}


def lines_of_turn(step: Step, turn: int) -> list[str]:
    """The part of a step's narrative that belongs to `turn`."""
    b, a = step.before, step.after
    if b.turn == a.turn or isinstance(step.action, Undo):
        return list(step.log) if b.turn == turn else []
    head = split_crossing(step)[1]
    if b.turn == turn:
        return head
    if a.turn == turn:
        return list(step.log[len(head) :])
    return []


# ---------------------------------------------------------------------- changes


@dataclass(frozen=True, slots=True)
class Change:
    weight: int
    """How large the shift is, for ordering (status changes first)."""
    kind: str
    """status | alliance | track | ties | member | lean | bridge"""
    text: str


def diff_states(a: State, b: State) -> list[Change]:
    """Every visible change from `a` to `b`, largest first."""
    from wargame.compiled import ALIGNED

    t = a.tables
    scen = t.scenario
    out: list[Change] = []
    names = t.country_names
    for c in range(len(names)):
        sa, sb = a.status(c), b.status(c)
        ka = (sa.code, sa.power if sa.code == ALIGNED else -1)
        if ka != (sb.code, sb.power if sb.code == ALIGNED else -1):
            out.append(
                Change(1000, "status", f"{names[c]}: {status_text(a, c)} → {status_text(b, c)}")
            )
        was, now = dict(a.alliances(c)), dict(b.alliances(c))
        for p in sorted(was.keys() | now.keys()):
            x, y = was.get(p, 0), now.get(p, 0)
            if x == y:
                continue
            if not y:
                text = f"{names[c]}: the alliance with {power_name(t, p)} lapses"
                out.append(Change(400, "alliance", text))
            elif not x:
                text = f"{names[c]}: new alliance with {power_name(t, p)} (strength {y})"
                out.append(Change(400, "alliance", text))
            else:
                text = f"{names[c]}: alliance with {power_name(t, p)} {x} → {y} ({y - x:+d})"
                out.append(Change(60 * abs(y - x), "alliance", text))
        nch = t.n_channels
        for p in range(len(t.powers)):
            parts = []
            total = 0
            for ch in range(nch):
                d = b.ties[c][p * nch + ch] - a.ties[c][p * nch + ch]
                if d:
                    parts.append(f"{t.channels[ch]} {d:+d}")
                    total += abs(d)
            if parts:
                out.append(
                    Change(
                        10 * total, "ties", f"{names[c]} ↔ {power_name(t, p)}: " + ", ".join(parts)
                    )
                )
    for i, tr in enumerate(scen.tracks):
        d = b.tracks[i] - a.tracks[i]
        if d:
            span = max(1, tr.max - tr.min)
            out.append(
                Change(
                    max(30, 300 * abs(d) // span),
                    "track",
                    f"{tr.name}: {a.tracks[i]} → {b.tracks[i]} ({d:+d})",
                )
            )
    for i in range(len(scen.institutions)):
        for e in sorted(b.members[i] - a.members[i]):
            out.append(Change(150, "member", f"{_entity(a, e)} joins {institution_name(t, i)}"))
        for e in sorted(a.members[i] - b.members[i]):
            out.append(Change(150, "member", f"{_entity(a, e)} leaves {institution_name(t, i)}"))
        for p in range(len(t.lean_sides)):
            d = b.lean[i][p] - a.lean[i][p]
            if d:
                out.append(
                    Change(
                        20 * abs(d),
                        "lean",
                        f"{institution_name(t, i)} leans "
                        f"{'more' if d > 0 else 'less'} toward {t.lean_side_names[p]} "
                        f"({a.lean[i][p]} → {b.lean[i][p]})",
                    )
                )
    for x, y in sorted(b.bridges - a.bridges):
        out.append(
            Change(
                150, "bridge", f"{institution_name(t, x)} and {institution_name(t, y)} are bridged"
            )
        )
    for x, y in sorted(a.bridges - b.bridges):
        out.append(
            Change(
                150, "bridge", f"{institution_name(t, x)} and {institution_name(t, y)} drift apart"
            )
        )
    out.sort(key=lambda ch: (-ch.weight, ch.text))
    return out


def _entity(st: State, e: int) -> str:
    t = st.tables
    n = len(t.countries)
    return t.country_names[e] if e < n else power_name(t, e - n)


# ---------------------------------------------------------------------- turn boundaries


def is_crossing(step: Step) -> bool:
    """Did this step finish a turn (move to the next one or end the game)?"""
    if step.undone or isinstance(step.action, Undo):
        return False
    b, a = step.before, step.after
    return a.turn != b.turn or (a.over and not b.over)


def crossings(steps: Sequence[Step]) -> dict[int, int]:
    """Turn → index of the step that finished it (live steps only)."""
    out: dict[int, int] = {}
    for i, s in enumerate(steps):
        if is_crossing(s):
            out[s.before.turn] = i
    return out
