"""What happened so far, read from the Session's steps: turn boundaries, each turn's public
lines and summary, the story of the game, the chance a roll had when its order was given, and
what the room may print for each step (hidden orders counted, never named).

A part of the game controller (`controller.Game` inherits it), kept apart because it only reads:
nothing here changes the Session.
"""

from __future__ import annotations

from wargame.actions import (
    Accept,
    Chance,
    Inject,
    Note,
    Order,
    Override,
    Pass,
    Reseat,
    Undo,
    describe,
)
from wargame.engine import Session, Step
from wargame.facilitation import clock, story
from wargame.facilitation.story import Revealed, TurnSummary
from wargame.facilitation.text import role_name
from wargame.pending import AdjudicationDue, Pending
from wargame.schema.safe_text import literal
from wargame.seats import HumanSeat, seat_from_text
from wargame.state import State
from wargame.tables import Tables

WHITE_CELL = "White Cell"

TEAM_TAKE_BACK = "taken back by the team"
"""The reason an Undo carries when a team takes back its own last order (not the White Cell)."""

BOT_DECIDES_AGAIN = "the bot decides again"
"""The reason of each Undo of a bot's move that goes with a person's undo."""


class GameHistory:
    """The reading half of the game controller."""

    session: Session
    tables: Tables
    _cross_key: int
    _cross: dict[int, int]

    @property
    def state(self) -> State:
        return self.session.state

    def pending(self) -> Pending:
        return self.session.waiting_for()

    def roll_owner(self) -> int | None:
        """The role whose card's roll waits for adjudication (-1 for an event), or None."""
        st = self.state
        if not isinstance(self.pending(), AdjudicationDue) or not st.queue:
            return None
        return st.queue[0].owner

    def chance_when_ordered(self) -> tuple[int, list[tuple[str, int]]] | None:
        """For the roll waiting now: its chance, with the parts that made it, in the position
        where its order was given (the chance a bot stated when it chose). None for an event
        or when the order is not found."""
        from wargame.evaluate import roll_breakdown

        st = self.state
        owner = self.roll_owner()
        if owner is None or owner < 0:
            return None
        item = st.queue[0]
        t = self.tables
        card = t.cards[item.card]
        names = t.target_ids(card.target_kind)
        want = Order(t.roles[owner].id, card.id, tuple(names[x] for x in item.targets))
        for s in reversed(self.session.steps):
            a = s.action
            if s.before.turn < st.turn:
                break
            if (
                isinstance(a, Order)
                and not s.undone
                and (a.role, a.card, a.targets) == (want.role, want.card, want.targets)
            ):
                return roll_breakdown(s.before, card, owner, item.targets)
        return None

    def chance_change(self) -> str:
        """'' when the roll waiting now has the chance its order had when given; otherwise
        the two explained: 'when chosen: 69%; now, after tension +2 → +5: 72%'."""
        from wargame.evaluate import roll_breakdown

        then = self.chance_when_ordered()
        st = self.state
        if then is None or st.pending is None:
            return ""
        chance = int(st.pending[2])
        if then[0] == chance:
            return ""
        item = st.queue[0]
        card = self.tables.cards[item.card]
        _, parts = roll_breakdown(st, card, item.owner, item.targets)
        old, new = dict(then[1]), dict(parts)
        changes = []
        for label in dict.fromkeys([*old, *new]):
            a, b = old.get(label), new.get(label)
            if a == b:
                continue
            if a is None:
                changes.append(f"{label} {b:+d}")
            elif b is None:
                changes.append(f"{label} {a:+d} gone")
            else:
                changes.append(f"{label} {a:+d} → {b:+d}")
        after = f"after {', '.join(changes)}" if changes else "the position changed since"
        return f"when chosen: {then[0]}%; now, {after}: {chance}%"

    # ------------------------------------------------------------------ history

    def crossings(self) -> dict[int, int]:
        key = len(self.session.steps)
        if key != self._cross_key:
            self._cross = story.crossings(self.session.steps)
            self._cross_key = key
        return self._cross

    def first_state(self) -> State:
        steps = self.session.steps
        return steps[0].before if steps else self.state

    def turn_start(self, turn: int) -> State:
        if turn <= 1:
            return self.first_state()
        end = self.turn_end(turn - 1)
        return end if end is not None else self.first_state()

    def turn_end(self, turn: int) -> State | None:
        i = self.crossings().get(turn)
        if i is None:
            return None
        return story.end_of_turn(self.session.steps[i])

    def turn_lines(self, turn: int) -> list[str]:
        """The public narrative of one turn."""
        out: list[str] = []
        for s in self.session.steps:
            if s.undone and not isinstance(s.action, Note):  # an undo takes no remark back
                continue
            if s.before.turn == turn or s.after.turn == turn:
                out.extend(self.narrative(s, turn))
            if s.before.turn > turn:
                break
        return out

    def summary(self, turn: int) -> TurnSummary:
        end = self.turn_end(turn) or self.state
        noise = ("Order given by ", "Orders committed by ", "Orders revealed")
        lines = [ln for ln in self.turn_lines(turn) if not any(n in ln for n in noise)]
        return story.turn_summary(self.turn_start(turn), end, turn, lines)

    def resolution(self, turn: int) -> tuple[list[Revealed], list[str]]:
        return story.resolution(self.session.steps, self.state, turn)

    def track_history(self) -> list[tuple[int, ...]]:
        """Track values at the start of each turn so far, then now."""
        out = [self.turn_start(t).tracks for t in range(1, self.state.turn + 1)]
        if not self.state.over:
            out.append(self.state.tracks)
        else:
            out.append(self.state.tracks)
        return out

    def map_baseline(self) -> tuple[State, str]:
        """The board the map's moves are counted from, and those words. Once this turn's
        orders are revealed (resolution onward), its start: the class sees this turn's moves
        as they resolve. Before that, the start of the previous turn: between turns the last
        turn's moves stay on the map (and this turn's event with them)."""
        st = self.state
        turn = st.turn
        if turn > 1 and not st.over and st.phase in ("event", "income", "orders"):
            turn -= 1
        t = self.tables
        year = t.scenario.turns.start_year + (turn - 1) * t.scenario.turns.years_per_turn
        return self.turn_start(turn), f"since the start of turn {turn} ({year})"

    def turn_states(self) -> list[State]:
        """The start of turn 1, then the end of every finished turn."""
        out = [self.first_state()]
        for turn in sorted(self.crossings()):
            end = self.turn_end(turn)
            if end is not None:
                out.append(end)
        return out

    def story(self) -> list[str]:
        """The story of the game so far (see `story.story`)."""
        return story.story(self.turn_states(), self.session.steps, self.state)

    # ------------------------------------------------------------------ the public log

    def narrative(self, step: Step, turn: int | None = None) -> list[str]:
        """What the room may print for a step: hidden orders are counted, never named. With
        `turn`, only the lines of that turn (a step may finish one turn and open the next).
        Text people typed (notes, reasons) comes out literal: a control character shows as
        its escape, whatever save it came from."""
        return [literal(line) for line in self._narrative(step, turn)]

    def _narrative(self, step: Step, turn: int | None) -> list[str]:
        a = step.action
        t = self.tables
        log = step.log if turn is None else story.lines_of_turn(step, turn)
        if turn is not None and step.before.turn != turn:
            return list(log)
        if isinstance(a, Order):
            # No verb to agree with a team's name ('US allies', 'China'): 'Order given by …'.
            return [f"Order given by {self._role_name(a.role)} (hidden until the reveal)"]
        if isinstance(a, Pass):
            return [f"Orders committed by {self._role_name(a.role)}", *log]
        if isinstance(a, Note):
            if a.text == clock.SUMMARY_READ and not a.role:
                return []  # bookkeeping for the phase clock
            who = self._role_name(a.role) if a.role else WHITE_CELL
            return [f"Note ({who}): {a.text}"]
        if isinstance(a, Undo):
            target = self.session.steps[step.undo_of] if step.undo_of >= 0 else None
            what = "the last action"
            if target is not None:
                ta = target.action
                if isinstance(ta, Order) and target.before.phase == "orders":
                    who = self._role_name(ta.role)
                    if a.reason == TEAM_TAKE_BACK:
                        return [f"Order taken back by {who} (hidden until the reveal)"]
                    if a.reason == BOT_DECIDES_AGAIN:
                        return [f"{who}'s order is taken back with it (the bot decides again)"]
                    what = f"an order by {who}"
                elif isinstance(ta, Pass) and target.before.phase == "orders":
                    who = self._role_name(ta.role)
                    if a.reason == BOT_DECIDES_AGAIN:
                        return [f"{who}'s commit is taken back with it (the bot decides again)"]
                    what = f"the commit of {who}"
                else:
                    what = self.action_words(target)
            why = f" ({a.reason})" if a.reason else ""
            return [f"{WHITE_CELL} undoes {what}{why}"]
        if isinstance(a, Reseat):
            seat = seat_from_text(a.seat, optional=False, role=a.role)
            if isinstance(seat, HumanSeat):
                named = seat.name not in (None, a.role)
                who = f"team {seat.name}" if named else "a team of people"
            else:
                who = f"the {seat.describe()}"
            why = f" ({a.reason})" if a.reason else ""
            return [f"{WHITE_CELL} hands {self._role_name(a.role)} to {who}{why}"]
        if isinstance(a, Inject):
            title = t.cards[t.card_index[a.card]].title if a.card in t.card_index else a.card
            why = f": {a.reason}" if a.reason else ""
            return [f"{WHITE_CELL} injects “{title}”{why}", *log]
        return list(log)

    def action_words(self, step: Step) -> str:
        """A step named in words, as the undo question and the log name what is taken back:
        'the roll just drawn (success)', 'the override of a roll to failure (storm)'."""
        a = step.action
        t = self.tables
        if isinstance(a, Chance):
            if isinstance(a.outcome, tuple):
                return "the shuffle of a deck"
            return f"the roll just drawn ({a.outcome})"
        if isinstance(a, Accept):
            return "the White Cell's acceptance of the last roll"
        if isinstance(a, Inject):
            title = t.cards[t.card_index[a.card]].title if a.card in t.card_index else a.card
            return f"the inject of “{title}”"
        if isinstance(a, Override):
            return f"the override of a roll to {a.outcome} ({a.reason})"
        if isinstance(a, Order):
            return f"an order by {self._role_name(a.role)}"
        if isinstance(a, Pass):
            return f"the commit of {self._role_name(a.role)}"
        return describe(a)

    def _role_name(self, rid: str) -> str:
        r = self.tables.role_index.get(rid)
        return role_name(self.tables, r) if r is not None else rid
