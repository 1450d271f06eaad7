"""What a team's own screens need from the game, whether it runs here or on a game host.

The hand-and-orders screen is written against this, so the same screen serves a team at the
shared keyboard (the local `controller.Game`) and a team in its own browser
(`wargame.serve.remote.RemoteTeam`, which holds only what the host sent it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from wargame.actions import Action, Order
    from wargame.facilitation.clock import PhaseClock
    from wargame.facilitation.text import Names
    from wargame.state import State
    from wargame.tables import Tables


class TeamGame(Protocol):
    @property
    def tables(self) -> Tables: ...

    @property
    def state(self) -> State: ...

    @property
    def names(self) -> Names: ...

    @property
    def clock(self) -> PhaseClock: ...

    def view(self, role: int) -> State:
        """The state as team `role` may see it."""
        ...

    def team(self, r: int) -> str: ...

    def step(self, action: Action) -> None:
        """Apply one action (raises IllegalActionError with the reason)."""
        ...

    def take_back_order(self, r: int) -> Order | str: ...

    def take_back(self, r: int) -> None: ...

    def given_by_bot(self, turn: int, r: int, card: int) -> bool:
        """Was team `r`'s standing order of `card` in `turn` given by a bot that held its seat?"""
        ...

    def words(self, rationale: str) -> str:
        """A rationale as the screens show it (`rationale_words`)."""
        ...


def rationale_words(rationale: str, details: bool) -> str:
    """A bot's or a team's rationale as the screens show it: the plain words, with the numbers
    behind them only when `details` is asked for (F3)."""
    from wargame.bots.naming import split_details
    from wargame.schema.safe_text import literal

    plain, numbers = split_details(literal(rationale))
    return f"{plain} ({numbers})" if numbers and details else plain
