"""The uniform random bot: a baseline opponent and the engine's fuzzer."""

from __future__ import annotations

from typing import Any

from wargame.actions import Action
from wargame.rules import legal_actions
from wargame.state import State


class RandomBot:
    """Uniform over every legal action of its role (each order with its targets once)."""

    name = "random"

    def __init__(self, rng: Any) -> None:
        self.rng = rng
        self.last_explanation = ""

    def choose(self, view: State, role: int) -> Action:
        action = legal_actions(view, role).sample(self.rng)
        self.last_explanation = "chosen at random"
        return action
