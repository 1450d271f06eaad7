"""Two saves side by side: a game and a "what if" branch of it, or two games from one start.

Two journals share a start when they embed the same scenario, the same seed and the same
seated roles. Their actions are then compared from the beginning (a branch's inherited actions
count as its parent's records), and the first one that differs is where they diverge.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from wargame.actions import to_dict
from wargame.errors import WargameError

if TYPE_CHECKING:
    from wargame.engine import Session
    from wargame.journal import Header


class Saved(Protocol):
    """What a comparison reads of a save (`debrief.Debrief` is one)."""

    path: Path
    header: Header
    session: Session
    offset: int
    records: int

    def series(self, per: str = "record") -> Any: ...


@dataclass(frozen=True, slots=True)
class Comparison:
    """Where two saves part, and their series side by side on one axis."""

    diverge: int | None
    """The first action (counted from the shared start, from 1) that differs, or None when one
    save is the other's beginning (or both are the same)."""
    record_a: int | None
    """That action's record number in the first save (None when it has no such record)."""
    record_b: int | None
    """… and in the second."""
    a: Any
    """The first save's `debrief.Series` per record, x counted from the shared start."""
    b: Any
    text: str
    """One line saying where they part ('The saves part at record 58 of …, record 1 of …')."""


def _actions(d: Saved) -> list[dict[str, object]]:
    return [to_dict(s.action) for s in d.session.steps]


def shares_start(a: Saved, b: Saved) -> str:
    """'' when `a` and `b` start from one position, else why not."""
    ha, hb = a.header, b.header
    if ha.scenario != hb.scenario:
        return "they were played with different scenarios (or decks)"
    if ha.seed != hb.seed:
        return f"they have different seeds ({ha.seed} and {hb.seed})"
    if list(ha.present) != list(hb.present):
        return "different roles were seated"
    return ""


def compare(a: Saved, b: Saved) -> Comparison:
    """Compare two saves that share a start (WargameError naming why, when they do not)."""
    why = shares_start(a, b)
    if why:
        raise WargameError(f"{a.path.name} and {b.path.name} do not share a start: {why}")
    xa, xb = _actions(a), _actions(b)
    n = 0
    while n < len(xa) and n < len(xb) and xa[n] == xb[n]:
        n += 1
    diverge = n + 1 if n < len(xa) or n < len(xb) else None
    if n == len(xa) and n == len(xb):
        diverge = None

    def record(d: Saved, k: int | None) -> int | None:
        if k is None:
            return None
        r = k - d.offset
        return r if 1 <= r <= d.records else None

    ra, rb = record(a, diverge), record(b, diverge)
    na, nb = a.path.name, b.path.name
    if na == nb:  # two folders' saves of one name: say which is which
        na, nb = str(a.path), str(b.path)

    def shifted(d: Saved) -> Any:
        s = d.series("record")
        return dataclasses.replace(s, x=tuple(x + d.offset for x in s.x))

    if diverge is None:
        text = f"{na} and {nb} do not diverge: one is the other's beginning"
        if len(xa) == len(xb):
            text = f"{na} and {nb} hold the same actions"
    else:
        where_a = f"record {ra} of {na}" if ra else f"the end of {na}"
        where_b = f"record {rb} of {nb}" if rb else f"the end of {nb}"
        text = f"The saves part at {where_a} and {where_b}"
    return Comparison(diverge, ra, rb, shifted(a), shifted(b), text)
