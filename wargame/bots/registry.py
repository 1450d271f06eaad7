"""Bot names to constructors, so seats can be written `china=greedy:hard` on the command line."""

from __future__ import annotations

from typing import Any, Protocol

from wargame.actions import Action
from wargame.state import State


class Bot(Protocol):
    name: str
    last_explanation: str

    def choose(self, view: State, role: int) -> Action: ...


def bot_names() -> list[str]:
    return sorted(_factories())


def _factories() -> dict[str, Any]:
    from wargame.bots.random_bot import RandomBot

    out: dict[str, Any] = {"random": lambda rng, level: RandomBot(rng)}
    try:
        from wargame.bots.greedy import GreedyBot

        out["greedy"] = lambda rng, level: GreedyBot(rng)
    except ImportError:
        pass
    try:
        from wargame.bots.planner import PlannerBot

        out["planner"] = lambda rng, level: PlannerBot(rng, level=level or "normal")
    except ImportError:
        pass
    return out


def make_bot(name: str, rng: Any, level: str = "") -> Bot:
    from wargame.errors import WargameError

    factories = _factories()
    if name not in factories:
        raise WargameError(f"unknown bot {name!r} (known: {', '.join(sorted(factories))})")
    return factories[name](rng, level)  # type: ignore[no-any-return]
