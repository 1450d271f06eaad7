"""Each team's objectives as the end of the game shows them: met, missed, or not part of this
game at all.

An objective (or any term) may be conditioned on who is seated (`kind: seated`): China's
"while the Russia seat is empty" aims do not exist in a game where Russia is played, so the end
screen must not list them as missed. Who is seated never changes during a game, so a condition
can be settled on the seats alone, without the board.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wargame.state import State
    from wargame.tables import CCondition


def on_seats(c: CCondition, present: tuple[bool, ...]) -> bool | None:
    """What `c` is for these seats whatever the board: True, False, or None (the board
    decides)."""
    k = c.kind
    if k == "seated":
        return present[c.a] == c.want
    if k == "not":
        v = on_seats(c.of[0], present)
        return None if v is None else not v
    if k in ("all", "any"):
        found = [on_seats(x, present) for x in c.of]
        settles = k == "any"  # one True settles `any`; one False settles `all`
        if settles in found:
            return settles
        if all(v is not None for v in found):
            return not settles
        return None
    return None


@dataclass(frozen=True, slots=True)
class ObjectiveRow:
    text: str
    score: int
    """Its VP on the final board (0 when missed or when it does not apply)."""
    applies: bool
    """False when the seats of this game rule it out (e.g. 'while the Russia seat is empty'
    in a game where Russia was played)."""
    basis: str = ""
    """Where the aim comes from when it is not the source ('A design choice: …', 'From the
    public record: …'); empty for the source's own aims or when the scenario does not say."""


def objective_rows(st: State, role: int) -> list[ObjectiveRow]:
    """The role's objectives on the board `st`, each with whether it applied in this game."""
    from wargame.evaluate import objective_scores

    r = st.tables.roles[role]
    specs = st.tables.scenario.roles[role].objectives
    present = tuple(bool(p) for p in st.present)
    out = []
    for term, text, score, spec in zip(
        r.objectives, r.objective_texts, objective_scores(st, role), specs, strict=True
    ):
        applies = term.when is None or on_seats(term.when, present) is not False
        basis = spec.basis.describe() if spec.basis and spec.basis.kind != "source" else ""
        out.append(ObjectiveRow(text, score if applies else 0, applies, basis))
    return out
