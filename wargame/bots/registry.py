"""Bot names to constructors, so seats can be written `china=greedy:hard` on the command line."""

from __future__ import annotations

from collections.abc import Mapping
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

    out: dict[str, Any] = {"random": lambda rng, level, **opts: RandomBot(rng)}
    try:
        from wargame.bots.greedy import GreedyBot

        out["greedy"] = lambda rng, level, **opts: GreedyBot(rng)
    except ImportError:
        pass
    try:
        from wargame.bots.planner import PlannerBot

        out["planner"] = lambda rng, level, **opts: PlannerBot(rng, level=level or "normal", **opts)
    except ImportError:
        pass
    return out


def make_bot(name: str, rng: Any, level: str = "", options: Mapping[str, Any] | None = None) -> Bot:
    """The bot `name` at `level`; `options` are keyword arguments only the planner takes (its
    budget: horizon, worlds, ..., time_limit)."""
    from wargame.errors import WargameError

    factories = _factories()
    if name not in factories:
        raise WargameError(f"unknown bot {name!r} (known: {', '.join(sorted(factories))})")
    if options and name != "planner":
        raise WargameError(f"the {name} bot takes no options (got {', '.join(options)})")
    return factories[name](rng, level, **(options or {}))  # type: ignore[no-any-return]
