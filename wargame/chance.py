"""Drawing chance outcomes: the only place randomness touches the game.

The rules say what is uncertain (`State.pending`) and with what probability; this draws it from
a seeded `numpy.random.Generator` and returns a `Chance` action for the journal. Replay never
calls this: it reads the recorded outcomes.
"""

from __future__ import annotations

from typing import Any, Final

from wargame.actions import Chance
from wargame.rules import roll_probability, shuffle_pile
from wargame.state import State

_SUCCESS: Final = Chance("success")
_FAILURE: Final = Chance("failure")


def draw_outcome(st: State, rng: Any) -> Chance:
    assert st.pending is not None
    if st.pending[0] == "roll":
        return _SUCCESS if rng.random() < roll_probability(st) else _FAILURE
    pile = shuffle_pile(st)
    order: list[int] = rng.permutation(len(pile)).tolist()  # one conversion, not one per card
    cards = st.tables.cards
    return Chance(tuple([cards[pile[i]].id for i in order]))
