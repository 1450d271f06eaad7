"""The uniform random bot: a baseline opponent and the engine's fuzzer."""

from __future__ import annotations

from typing import Any, Final

from wargame.actions import Action
from wargame.rules import legal_actions
from wargame.state import State

_BLOCK: Final = 64


class Uniforms:
    """Uniform floats in [0, 1) from a numpy Generator, drawn 64 at a time.

    The random bot needs one or two floats a decision, and a scalar `Generator.random()` costs
    more than the rest of the draw (argument parsing, a boxed result), so floats are drawn in
    blocks and popped from a list. They are the Generator's own, in its order, so a seed still
    fixes every choice."""

    __slots__ = ("_buf", "_rng")

    def __init__(self, rng: Any) -> None:
        self._rng = rng
        self._buf: list[float] = []

    def random(self) -> float:
        buf = self._buf
        if not buf:
            buf = self._buf = self._rng.random(_BLOCK).tolist()
            buf.reverse()
        return buf.pop()


class RandomBot:
    """Uniform over every legal action of its role (each order with its targets once)."""

    name = "random"

    def __init__(self, rng: Any) -> None:
        self.rng = rng
        self._uniforms = Uniforms(rng)
        self.last_explanation = ""

    def choose(self, view: State, role: int) -> Action:
        action = legal_actions(view, role).sample(self._uniforms)
        self.last_explanation = "chosen at random"
        return action
