"""The Session: the checked entry point every shell uses.

check → apply → (draw chance, record it) → hand each action to the journal sink before it counts.
The Session owns the history that undo needs; the rules stay a pure fold. It assumes nothing about
screens: several shells (a projected situation room, team laptops) can drive one Session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from wargame.actions import Accept, Action, Chance, Note, Order, Override, Pass, Reseat, Undo
from wargame.errors import IllegalActionError
from wargame.observe import view_for
from wargame.pending import ChanceDue, Pending
from wargame.rules import apply, check, new_game, waiting_for
from wargame.state import State
from wargame.tables import Tables


class Sink(Protocol):
    """Where records go (the journal). `append` returns only once the record is durable."""

    def append(self, action: Action, state: State) -> None: ...


@dataclass(slots=True)
class Step:
    """One applied action and what it did, for the narrative log and undo."""

    action: Action
    before: State
    after: State
    log: list[str] = field(default_factory=list)
    undone: bool = False
    undo_of: int = -1
    """For an Undo record: the index of the step it took back."""


def chance_rng(seed: int, seq: int) -> Any:
    """The generator for the chance draw at record `seq`. Derived per record from the one seed, so
    a resumed session draws exactly what the uninterrupted one would have."""
    import numpy as np

    return np.random.default_rng([seed, seq])


def sim_chance_rng(seed: int, game: int) -> Any:
    """The one generator game `game` of a `wargame simulate` run with `seed` draws every chance
    outcome from, in order (see `wargame.sim.runner`); a journal it writes is checked with it."""
    import numpy as np

    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(game, 0)))


class Session:
    """A game in progress: state, history, seats and the journal sink.

    `step` is the checked entry point: an illegal action raises `IllegalActionError` naming the
    reason and changes nothing. Simulation uses `rules.apply` directly instead.
    """

    def __init__(
        self,
        tables: Tables,
        *,
        seed: int,
        present: tuple[bool, ...] | None = None,
        facilitated: bool = False,
        sink: Sink | None = None,
        auto_chance: bool = True,
        narrate: bool = True,
        initial: State | None = None,
    ) -> None:
        self.tables = tables
        self.seed = seed
        self.sink = sink
        self.auto_chance = auto_chance
        self.narrate = narrate
        """Keep each step's narrative lines; verification turns it off for speed."""
        self.state = (
            initial if initial is not None else new_game(tables, present, facilitated=facilitated)
        )
        self.steps: list[Step] = []
        self.listeners: list[Callable[[Step], None]] = []

    # ------------------------------------------------------------------ queries

    @property
    def over(self) -> bool:
        return self.state.over

    def waiting_for(self) -> Pending:
        return waiting_for(self.state)

    def view(self, seat: str) -> State:
        return view_for(self.state, seat)

    def role_index(self, role: str) -> int:
        return self.tables.role_index[role]

    # ------------------------------------------------------------------ acting

    def step(self, action: Action) -> State:
        """Apply a checked action (and the chance outcomes that follow it), journaling each."""
        self._record(action)
        if self.auto_chance:
            self.settle()
        return self.state

    def settle(self) -> None:
        """Draw and record every pending chance outcome (never an adjudication)."""
        while isinstance(waiting_for(self.state), ChanceDue):
            self._record(self._draw())

    def _draw(self) -> Chance:
        from wargame.chance import draw_outcome

        return draw_outcome(self.state, chance_rng(self.seed, self.draw_seq()))

    def draw_seq(self) -> int:
        """The record number the next draw is seeded with: this record's, unless a draw from this
        very position was undone earlier (then that draw's), so that an undo can never be used
        to roll again: from the same position, the redraw repeats the undone result."""
        again = self.redrawn_step()
        return len(self.steps) if again is None else again

    def redrawn_step(self) -> int | None:
        """The first undone draw made from the current position (see `draw_seq`), if any."""
        for i, s in enumerate(self.steps):
            if (
                s.undone
                and isinstance(s.action, Chance)
                and (s.before is self.state or s.before == self.state)
            ):
                return i
        return None

    def _record(self, action: Action) -> None:
        if isinstance(action, Undo):
            self._undo(action)
            return
        reason = check(self.state, action)
        if reason is not None:
            raise IllegalActionError(reason)
        log: list[str] = []
        before = self.state
        after = apply(before, action, log if self.narrate else None)
        step = Step(action, before, after, log)
        if self.sink is not None:
            self.sink.append(action, after)
        self.steps.append(step)
        self.state = after
        for fn in self.listeners:
            fn(step)

    def undo_target(self, force: bool = False) -> int | str:
        """The step an Undo would take back, or why it may not."""
        for i in range(len(self.steps) - 1, -1, -1):
            s = self.steps[i]
            if s.undone or isinstance(s.action, Undo | Note | Reseat):
                continue  # a remark or a change of seat is not taken back: reseat again
            if not force:
                if isinstance(s.action, Chance | Accept | Override):
                    return "the last action was a chance outcome; only the facilitator can force it"
                if isinstance(s.action, Pass) and is_reveal(s):
                    return "the orders have been revealed; only the facilitator can force it"
            return i
        return "nothing to undo"

    def _undo(self, action: Undo) -> None:
        target = self.undo_target(action.force)
        if isinstance(target, str):
            raise IllegalActionError(target)
        undone = self.steps[target]
        before = self.state
        after = undone.before
        if self.sink is not None:
            self.sink.append(action, after)
        undone.undone = True
        # The steps that followed it (chance draws after a forced undo) are undone with it;
        # not a note, a change of seat or an earlier undo, which no undo takes back (a note
        # was written, the seat stays handed over) and which the debrief must not call
        # "taken back".
        for s in self.steps[target + 1 :]:
            if not isinstance(s.action, Undo | Note | Reseat):
                s.undone = True
        step = Step(action, before, after, [f"undo: {describe_step(undone)}"], undo_of=target)
        self.steps.append(step)
        self.state = after
        for fn in self.listeners:
            fn(step)

    # ------------------------------------------------------------------ helpers for shells

    def orders_of(self, role: str) -> list[Order]:
        """The committed, not yet revealed orders of one role (for that team's own screen)."""
        t = self.tables
        r = t.role_index[role]
        out = []
        for card, targets, why in self.state.orders[r]:
            c = t.cards[card]
            names = t.target_ids(c.target_kind)
            out.append(Order(role, c.id, tuple(names[x] for x in targets), why))
        return out


def is_reveal(step: Step) -> bool:
    """A Pass that was the last commitment of the turn revealed every team's orders. A Pass that
    did not leaves the game in the same turn's orders phase with someone committed."""
    a = step.after
    return not (a.phase == "orders" and a.turn == step.before.turn and a.committed)


def describe_step(step: Step) -> str:
    from wargame.actions import describe

    return describe(step.action)
