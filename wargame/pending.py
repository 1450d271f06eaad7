"""What the game waits for next: the typed answer of `rules.waiting_for`.

One of four values: the game is over, some roles still have to commit orders, chance has to
draw an outcome, or the facilitator has to adjudicate. Callers branch with `isinstance` (or
`match`), and mypy checks that each branch reads only what that case carries.

Compiled with mypyc, and allocated once per call in the simulation's hot loop: plain classes
with no base class, and the one value without fields (`GAME_OVER`) is a shared constant.
Treat every value as read-only.
"""

from __future__ import annotations

from typing import Any, ClassVar, Final, TypeAlias


class GameOver:
    """Nobody: the game has ended."""

    kind: ClassVar[str] = "over"

    def __repr__(self) -> str:
        return "GameOver()"


class OrdersDue:
    """Roles that have not yet committed their orders this turn, in role order."""

    kind: ClassVar[str] = "orders"

    def __init__(self, roles: tuple[int, ...]) -> None:
        self.roles = roles

    def __repr__(self) -> str:
        return f"OrdersDue({self.roles!r})"


class ChanceDue:
    """A chance outcome to draw (a roll, a shuffle): `request` is the state's pending request,
    which `chance.draw_outcome` and `rules.roll_probability` read."""

    kind: ClassVar[str] = "chance"

    def __init__(self, request: tuple[Any, ...]) -> None:
        self.request = request

    def __repr__(self) -> str:
        return f"ChanceDue({self.request!r})"


class AdjudicationDue:
    """A drawn outcome that the facilitator accepts or overrides (facilitated games only)."""

    kind: ClassVar[str] = "facilitator"

    def __init__(self, request: tuple[Any, ...]) -> None:
        self.request = request

    def __repr__(self) -> str:
        return f"AdjudicationDue({self.request!r})"


Pending: TypeAlias = GameOver | OrdersDue | ChanceDue | AdjudicationDue

GAME_OVER: Final = GameOver()
