"""What changed: turn summaries, the resolution table and the story of the game.

Pure functions of states and steps (no Textual): the screens render what these return. A turn
summary diffs the state at the start of a turn with the state at its end (after scoring and
upkeep, before the next turn's event), so the players see what their orders, the rolls and the
drift did — largest shifts first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wargame.actions import Accept, Chance, Inject, Note, Override, Pass, Undo
from wargame.facilitation.changes import (
    Change,
    crossings,
    diff_states,
    end_of_turn,
    is_crossing,
    lines_of_turn,
    split_crossing,
)
from wargame.facilitation.text import plural, role_name

if TYPE_CHECKING:
    from wargame.engine import Step
    from wargame.state import State

__all__ = [
    "Change",
    "Revealed",
    "TurnSummary",
    "crossings",
    "diff_states",
    "end_of_turn",
    "header_line",
    "is_crossing",
    "lines_of_turn",
    "resolution",
    "reveal_index",
    "revealed_orders",
    "split_crossing",
    "story",
    "turn_states",
    "turn_summary",
]


# ---------------------------------------------------------------------- the reveal


@dataclass(slots=True)
class Revealed:
    """One revealed order and what became of it."""

    owner: int
    card: int
    targets: tuple[int, ...]
    rationale: str
    status: str = "waiting"
    """waiting | rolling | done"""
    chance: int = -1
    drawn: str = ""
    """The outcome chance produced (before any override)."""
    outcome: str = ""
    """The outcome that counted."""
    override: str = ""
    """The facilitator's reason, when overridden."""
    lines: list[str] = field(default_factory=list)
    """What it did (narrative lines)."""


def ending_word(st: State) -> str:
    """How the winners won: 'sudden death' (a rule checked at every scoring ended the game)
    or 'victory at the end' (a rule that needed its condition after the last turn)."""
    t = st.tables
    if any(text == st.ended_by for _, _, text in t.end_victories):
        return "victory at the end"
    return "sudden death"


def reveal_index(steps: Sequence[Step], turn: int) -> int:
    """The step that revealed the orders of `turn` (the last commit), or -1."""
    for i, s in enumerate(steps):
        if s.undone or not isinstance(s.action, Pass):
            continue
        b, a = s.before, s.after
        if (
            b.turn == turn
            and b.phase == "orders"
            and (a.turn != b.turn or a.phase != "orders" or a.over)
        ):
            return i
    return -1


def revealed_orders(st_before: State) -> list[Revealed]:
    """The resolution queue the reveal builds: round-robin by initiative, first orders first."""
    t = st_before.tables
    out: list[Revealed] = []
    most = max((len(o) for o in st_before.orders), default=0)
    for k in range(most):
        for r in t.initiative_order:
            if k < len(st_before.orders[r]):
                card, targets, why = st_before.orders[r][k]
                out.append(Revealed(r, card, tuple(targets), why))
    return out


def header_line(st: State, item: Revealed) -> str:
    t = st.tables
    return f"{role_name(t, item.owner)}: {t.cards[item.card].title}"


def resolution(steps: Sequence[Step], state: State, turn: int) -> tuple[list[Revealed], list[str]]:
    """The revealed orders of `turn` with their status and results, and the lines that followed
    the last of them (scoring, upkeep, drift). Empty before the reveal."""
    ri = reveal_index(steps, turn)
    if ri < 0:
        return [], []
    items = revealed_orders(steps[ri].before)
    n = len(items)
    if state.turn == turn and state.phase == "resolution" and not state.over:
        done = n - len(state.queue)
    else:
        done = n
    lines: list[str] = []
    for s in steps[ri:]:
        if s.undone or isinstance(s.action, Undo | Note):
            continue
        if s.before.turn != turn and s is not steps[ri]:
            break
        lines.extend(lines_of_turn(s, turn))
        b = s.before
        if b.pending is not None and b.queue and isinstance(s.action, Accept | Override | Chance):
            k = n - len(b.queue)
            if 0 <= k < n and b.pending[0] in ("adjudicate", "roll"):
                it = items[k]
                if b.pending[0] == "adjudicate":
                    it.drawn = str(b.pending[1])
                    it.chance = int(b.pending[2])
                    if isinstance(s.action, Override):
                        it.outcome = s.action.outcome
                        it.override = s.action.reason
                    else:
                        it.outcome = it.drawn
                elif isinstance(s.action, Chance) and not state.facilitated:
                    it.chance = int(b.pending[1])
                    it.drawn = it.outcome = str(s.action.outcome)
        if s.after.turn != turn or s.after.over:
            break
    for k, it in enumerate(items):
        if k < done:
            it.status = "done"
        elif k == done and state.pending is not None and state.turn == turn:
            it.status = "rolling"
            if state.pending[0] == "adjudicate":
                it.drawn = str(state.pending[1])
                it.chance = int(state.pending[2])
    # Split the narrative into one block per item, then whatever followed.
    try:
        start = next(i for i, x in enumerate(lines) if x.startswith("Orders revealed")) + 1
    except StopIteration:
        start = 0
    heads = [header_line(state, it) for it in items]
    pos = start
    for k, it in enumerate(items):
        if pos < len(lines) and lines[pos] == heads[k]:
            pos += 1
        nxt = heads[k + 1] if k + 1 < n else None
        while pos < len(lines) and lines[pos] != nxt and not _after_resolution(state, lines[pos]):
            it.lines.append(lines[pos].strip())
            pos += 1
        it.lines = merge_steps(it.lines)
    return items, [x for x in lines[pos:] if x.strip()]


_STEP = re.compile(r"^(?P<what>.+): (?P<a>-?\d+) → (?P<b>-?\d+)$")


def merge_steps(lines: list[str]) -> list[str]:
    """One line for one value moved twice by one order ("cohesion: 4 → 5", the roll, then
    "cohesion: 5 → 6": a card's effect when played and on success) — "cohesion: 4 → 6"; none
    when it ends where it began. The roll's own lines stay where they are."""
    out: list[str] = []
    for line in lines:
        now = _STEP.match(line)
        k = len(out) - 1
        while k >= 0 and out[k].startswith(("roll at", "overridden")):
            k -= 1
        last = _STEP.match(out[k]) if now and k >= 0 else None
        if now and last and now["what"] == last["what"] and now["a"] == last["b"]:
            if last["a"] == now["b"]:
                del out[k]  # back where it was: no change to tell
            else:
                out[k] = f"{last['what']}: {last['a']} → {now['b']}"
        else:
            out.append(line)
    return out


def _after_resolution(st: State, line: str) -> bool:
    t = st.tables
    return any(line.startswith(f"{role_name(t, r)} scores ") for r in range(len(t.roles)))


# ---------------------------------------------------------------------- summaries


@dataclass(slots=True)
class TurnSummary:
    turn: int
    year: int
    vp: list[tuple[int, int, int]]
    """(role, VP this turn, total), best this turn first."""
    changes: list[Change]
    lines: list[str]
    """The narrative of the turn."""


def turn_summary(start: State, end: State, turn: int, lines: list[str]) -> TurnSummary:
    t = start.tables
    vp = []
    for r in range(len(t.roles)):
        if not end.present[r]:
            continue
        gained = end.vp[r][turn - 1] if len(end.vp[r]) >= turn else 0
        vp.append((r, gained, sum(end.vp[r][:turn])))
    vp.sort(key=lambda x: (-x[1], -x[2], x[0]))
    year = t.start_year + (turn - 1) * t.years_per_turn
    return TurnSummary(turn, year, vp, diff_states(start, end), lines)


def turn_states(steps: Sequence[Step], final: State) -> list[State]:
    """The start of turn 1, then the end of every finished turn."""
    out = [steps[0].before if steps else final]
    ends = crossings(steps)
    out.extend(end_of_turn(steps[ends[turn]]) for turn in sorted(ends))
    return out


def story(states: list[State], steps: Sequence[Step], final: State) -> list[str]:
    """A few lines for the debrief: the largest swings, the lead, the White Cell's hand."""
    lines: list[str] = []
    if not states:
        return lines
    from wargame.facilitation.turning import lead_changes, turning_points

    first = states[0]
    lines.extend(line for _, line, _ in lead_changes(final))
    # The same finder as the replay and the report, less the lead changes told above.
    points = [p for p in turning_points(steps, final, limit=8) if p.kind != "lead"]
    top = sorted(points, key=lambda p: -p.weight)[:3]
    for point in sorted(top, key=lambda p: p.record):
        lines.append(f"Turning point — {point.short}.")
    overall = diff_states(first, final)
    for ch in [c for c in overall if c.kind in ("status", "alliance", "track")][:4]:
        lines.append(f"Over the game — {ch.text}.")
    overrides = sum(1 for s in steps if not s.undone and isinstance(s.action, Override))
    injects = sum(1 for s in steps if not s.undone and isinstance(s.action, Inject))
    if overrides or injects:
        lines.append(
            f"The White Cell overrode {plural(overrides, 'roll')} and injected "
            f"{plural(injects, 'event')}."
        )
    if final.winners():
        word = ending_word(final)
        lines.append(f"{word[0].upper()}{word[1:]}: {final.ended_by}")
    return lines
