"""The game controller every front end drives: a Session, its journal, its seats and bots, the
phase clock, and what the front end still owes the players (a resolution to show, a turn
summary to read).

No Textual here, and no rules: every change goes through `Session.step`, which journals it
before it counts. This module decides only *what to show next* (`next_beat`) from the Session's
history, so a resumed game and a live one behave the same.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wargame import journal
from wargame.actions import (
    Accept,
    Action,
    Chance,
    Inject,
    Note,
    Order,
    Override,
    Pass,
    Reseat,
    Undo,
)
from wargame.autoplay import bot_rng, make_bots, seating_now
from wargame.engine import Session, Step, is_reveal
from wargame.errors import IllegalActionError
from wargame.facilitation import clock, story
from wargame.facilitation.history import BOT_DECIDES_AGAIN, TEAM_TAKE_BACK, GameHistory
from wargame.facilitation.text import Names, role_name
from wargame.pending import AdjudicationDue, ChanceDue, GameOver, OrdersDue
from wargame.rules import check, waiting_for
from wargame.schema.safe_text import literal
from wargame.seats import (
    AbsentSeat,
    BotSeat,
    HumanSeat,
    Seat,
    Seats,
    as_seats,
    seat_from_text,
    seat_of,
)
from wargame.state import State
from wargame.tables import EVENTS, Tables

PUBLIC = "*public*"
"""A seat that is no role: its view hides every hand and every unrevealed order."""


CONFIRM_BOT_ROLLS = "in solo play, the bots' rolls now wait for the player to accept them"
ACCEPT_BOT_ROLLS = "in solo play, the bots' rolls are now accepted as drawn"
"""Journaled when a solo player toggles the confirmation of the bots' rolls (the last one
standing wins on resume; the setup's `confirm_bot_rolls` setting before any)."""


def clock_key(st: State) -> clock.Key:
    """Which phase the countdown times in `st`: a turn's orders, or its resolution while a roll
    waits for the White Cell; None when no clock runs."""
    phase = "resolution" if isinstance(waiting_for(st), AdjudicationDue) else st.phase
    if st.over or phase not in ("orders", "resolution"):
        return None
    return (st.turn, phase)


def _epoch(stamp: str) -> float | None:
    try:
        return datetime.fromisoformat(stamp).timestamp()
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class Beat:
    """What the screens should show next."""

    kind: str
    """orders | resolution | summary | chance | over"""
    turn: int


class Game(GameHistory):
    """The game under way, as every front end drives it (see the module's docstring)."""

    def __init__(
        self,
        session: Session,
        writer: journal.JournalWriter | None,
        seats: Seats,
        settings: dict[str, Any] | None = None,
        *,
        resumed: bool = False,
        truncated: str | None = None,
        started: str = "",
        times: list[str] | None = None,
    ) -> None:
        self.session = session
        self.tables: Tables = session.tables
        self.writer = writer
        self.start_seats = seats
        """The seats the game started with (the journal's header)."""
        self.seats, since = seating_now(session, seats)
        """Who plays each role now: the header's seats, then every Reseat in the journal."""
        self.settings = dict(settings or {})
        self.resumed = resumed
        self.truncated = truncated
        self.bots = make_bots(session, self.seats, since)
        self.solo = bool(
            self.settings.get(
                "solo",
                sum(isinstance(x, HumanSeat) for x in seats.values())
                + sum(r.id not in seats for r in self.tables.roles)
                == 1,
            )
        )
        """Solo play (one human seat at the start, or the `solo` setting): the player is his own
        White Cell, so the bots' rolls need no acceptance (unless `confirm_bot_rolls`) and the
        player cannot override his own rolls. With several teams the White Cell adjudicates
        every roll."""
        self.confirm_bot_rolls = bool(self.settings.get("confirm_bot_rolls", False))
        self.show_details = False
        """Show the numbers behind the bots' explanations (a display choice, not journaled)."""
        toggles = (CONFIRM_BOT_ROLLS, ACCEPT_BOT_ROLLS)
        for done in session.steps:
            a = done.action
            if isinstance(a, Note) and not a.role and a.text in toggles:
                self.confirm_bot_rolls = a.text == CONFIRM_BOT_ROLLS
        self.summaries_due: list[int] = []
        self.resolution_seen: set[int] = set()
        self.hold_chance = False
        """After an undo that left a chance pending: wait for the facilitator to draw again."""
        self.listeners: list[Callable[[Step], None]] = []
        self._cross_key = -1
        self._cross: dict[int, int] = {}
        self._public: tuple[int, State] | None = None
        self.clock_at_stop: tuple[clock.Key, float] | None = None
        """For a resumed game with a timer: the phase and the seconds its clock had left at
        the last record before the stop."""
        if resumed:
            self._summary_owed()
            self.clock_at_stop = self._clock_at_stop(started, times or [])
        self.clock = clock.PhaseClock(int(self.settings.get("timer", 0) or 0))
        """The countdown of the phase under way (display only: it never ends a phase)."""
        if self.clock_at_stop is not None:
            self.clock.restore(*self.clock_at_stop)
        session.listeners.append(self._on_step)

    # ------------------------------------------------------------------ constructors

    @classmethod
    def new(
        cls,
        tables: Tables,
        *,
        seed: int,
        seats: Mapping[str, Seat | Mapping[str, Any]],
        saves: Path | None,
        settings: dict[str, Any] | None = None,
        seal_key: bytes | None = None,
    ) -> Game:
        typed = as_seats(seats)
        session, writer = journal.start(
            tables,
            seed=seed,
            seats=typed,
            facilitated=True,
            saves=saves,
            settings=settings,
            seal_key=seal_key,
        )
        return cls(session, writer, typed, settings)

    @classmethod
    def resume(cls, path: Path, *, seal_key: bytes | None = None) -> Game:
        loaded, writer = journal.resume(path, seal_key=seal_key)
        return cls(
            loaded.session,
            writer,
            loaded.header.seats,
            loaded.header.settings,
            resumed=True,
            truncated=loaded.truncated,
            started=loaded.header.started,
            times=loaded.times,
        )

    def _summary_owed(self) -> None:
        """A game stopped between a turn's last roll and the reading of its summary owes the
        summary: nothing but draws and notes has happened since the turn ended (the next
        turn's first order or roll is made only once the summary is read)."""
        for s in reversed(self.session.steps):
            if isinstance(s.action, Note) and s.action.text == clock.SUMMARY_READ:
                return
            if s.undone or isinstance(s.action, Chance | Note | Reseat):
                continue
            if story.is_crossing(s):
                turn = s.before.turn
                self.summaries_due = [turn]
                self.resolution_seen.add(turn)  # the rolls were shown one by one already
            return

    def _clock_at_stop(self, started: str, times: list[str]) -> tuple[clock.Key, float] | None:
        minutes = int(self.settings.get("timer", 0) or 0)
        start = _epoch(started)
        steps = self.session.steps
        if minutes <= 0 or start is None or len(times) > len(steps):
            return None
        records = steps[len(steps) - len(times) :] if times else []
        marks = []
        owed = False  # a turn summary not read yet: no phase clock runs
        for s, stamp in zip(records, times, strict=True):
            t = _epoch(stamp)
            if t is None:
                return None
            note = s.action.text if isinstance(s.action, Note) and not s.action.role else ""
            if story.is_crossing(s):
                owed = True
            elif note == clock.SUMMARY_READ:
                owed = False
            elif owed and not isinstance(s.action, Chance | Note | Reseat):
                owed = False  # a save made before the summary was journaled
            marks.append(clock.Mark(t, None if owed else clock_key(s.after), note))
        first = clock_key(records[0].before) if records else clock_key(self.state)
        return clock.replay(minutes * 60, start, first, marks)

    # ------------------------------------------------------------------ reading

    @property
    def path(self) -> Path | None:
        return None if self.writer is None else self.writer.path

    @property
    def seed(self) -> int:
        return self.session.seed

    @property
    def save_problem(self) -> str | None:
        """Why the latest actions are not on disk yet (a full disk, a read-only folder…), or
        None. The game goes on in memory meanwhile; `retry_saving` tries again."""
        return None if self.writer is None else self.writer.problem

    def retry_saving(self) -> bool:
        """Write what the disk refused before; True once everything is saved."""
        return self.writer is None or self.writer.retry()

    @property
    def records(self) -> int:
        return 0 if self.writer is None else self.writer.seq

    @functools.cached_property
    def names(self) -> Names:
        """Display names for the ids a card's effects and filters mention."""
        return Names(self.tables)

    def public(self) -> State:
        """The state as every team may see it (the projected situation room)."""
        st = self.session.state
        cached = self._public
        if cached is not None and cached[0] == id(st):
            return cached[1]
        view = self.session.view(PUBLIC)
        self._public = (id(st), view)
        return view

    def view(self, role: int) -> State:
        return self.session.view(self.tables.roles[role].id)

    def seat(self, r: int) -> Seat:
        return seat_of(self.seats, self.tables.roles[r].id)

    def seat_at(self, index: int, r: int) -> Seat:
        """Who played role `r` when step `index` was made (the Reseats before it count)."""
        rid = self.tables.roles[r].id
        seat = seat_of(self.start_seats, rid)
        for s in self.session.steps[:index]:
            if isinstance(s.action, Reseat) and s.action.role == rid:
                seat = seat_from_text(s.action.seat, optional=False, role=rid)
        return seat

    def given_by_bot(self, turn: int, r: int, card: int) -> bool:
        """Was role `r`'s standing order of `card` in `turn` given by a bot seat? (A seat
        handed back to people keeps the orders its bot gave: they are the bot's, not the
        team's, on every screen.)"""
        rid = self.tables.roles[r].id
        cid = self.tables.cards[card].id
        for i, s in enumerate(self.session.steps):
            a = s.action
            if (
                isinstance(a, Order)
                and not s.undone
                and a.role == rid
                and a.card == cid
                and s.before.turn == turn
                and s.before.phase == "orders"
            ):
                return isinstance(self.seat_at(i, r), BotSeat)
        return False

    def is_human(self, r: int) -> bool:
        return isinstance(self.seat(r), HumanSeat) and self.state.present[r]

    def is_bot(self, r: int) -> bool:
        return r in self.bots

    def team(self, r: int) -> str:
        """How the screens name a seat: 'Team Red (Merchant Houses)'."""
        return self.team_of(r, self.seat(r))

    def team_of(self, r: int, seat: Seat) -> str:
        role = self.tables.roles[r]
        rname = role_name(self.tables, r)
        if isinstance(seat, HumanSeat):
            name = seat.name or role.name
            if name in (role.id, role.name, rname):
                return rname
            return f"Team {literal(name)} ({rname})"
        return rname

    def seat_text(self, r: int) -> str:
        seat = self.seat(r)
        role = self.tables.roles[r]
        if isinstance(seat, HumanSeat) and (seat.name or role.name) in (
            role.id,
            role.name,
            role_name(self.tables, r),
        ):
            return "human team"
        return seat.describe()

    def humans(self) -> list[int]:
        return [r for r in range(len(self.tables.roles)) if self.is_human(r)]

    def orders_open(self) -> bool:
        """The teams are giving orders in a phase the room has seen begin. Between the last
        roll and the reading of the turn summary the rules already wait for the next turn's
        orders; no White Cell key may act on that phase before the room has seen it."""
        return isinstance(self.pending(), OrdersDue) and not self.summaries_due

    def humans_waiting(self) -> list[int]:
        p = self.pending()
        if not isinstance(p, OrdersDue):
            return []
        return [r for r in p.roles if r not in self.bots]

    def bots_waiting(self) -> list[int]:
        p = self.pending()
        if not isinstance(p, OrdersDue):
            return []
        return [r for r in p.roles if r in self.bots]

    @property
    def needs_handover(self) -> bool:
        """Hide each team's screen from the others only when more than one team plays here."""
        return len(self.humans()) > 1

    # ------------------------------------------------------------------ acting

    def step(self, action: Action) -> None:
        """Apply and journal one action (raises IllegalActionError with the reason)."""
        if isinstance(action, Undo):
            self.undo(action)
            return
        if isinstance(action, Override):
            why = self.why_no_override()
            if why is not None:
                raise IllegalActionError(why)
        self.hold_chance = False
        self.session.step(action)

    def undo(self, action: Undo) -> None:
        """Undo without drawing again at once: a forced undo may go back across a roll, and
        the facilitator decides when chance speaks again (or undoes further)."""
        s = self.session
        auto = s.auto_chance
        s.auto_chance = False
        try:
            s.step(action)
        finally:
            s.auto_chance = auto
        self.hold_chance = isinstance(s.waiting_for(), ChanceDue)

    # Undo by a person: a bot's move is never the one taken back on its
    # own, since the bot would only make it again at once.

    def is_bot_step(self, step: Step) -> bool:
        """A bot seat's order or commit in the orders phase (not the one that revealed)."""
        a = step.action
        if not isinstance(a, Order | Pass) or step.before.phase != "orders":
            return False
        r = self.tables.role_index.get(a.role)
        if isinstance(a, Pass) and is_reveal(step):
            return False
        return r is not None and self.is_bot(r)

    def is_automatic(self, step: Step) -> bool:
        """A step nobody chose on screen: a draw (the rules make it as soon as a roll or a
        shuffle is due, before the room has seen it), or, in solo play, the acceptance of a
        bot's roll that went by without a key. A person's undo never targets one on its own: it
        goes with the person's action before it."""
        if isinstance(step.action, Chance):
            return True
        if isinstance(step.action, Accept) and self.solo and not self.confirm_bot_rolls:
            st = step.before
            owner = st.queue[0].owner if st.queue else -1
            return owner >= 0 and self.is_bot(owner)
        return False

    def people_undo_target(self, force: bool = False) -> int | str:
        """The last step a person (a team or the White Cell) made that an Undo may take back,
        skipping the bots' moves and the automatic draws made since (taken back with it); or
        why there is none."""
        steps = self.session.steps
        skipped = False
        drawn = False
        for i in range(len(steps) - 1, -1, -1):
            s = steps[i]
            if s.undone or isinstance(s.action, Undo | Note | Reseat):
                continue
            if self.is_bot_step(s):
                skipped = True
                continue
            if self.is_automatic(s):
                drawn = True
                continue
            if not force:
                barrier = None
                if isinstance(s.action, Accept | Override):
                    barrier = "the last action was a chance outcome"
                elif isinstance(s.action, Pass) and is_reveal(s):
                    barrier = "the orders have been revealed"
                elif drawn:
                    barrier = "a roll has been drawn since"
                if barrier is not None:
                    if skipped:
                        return (
                            "nothing a person did in this phase can be undone: only the bots "
                            "have acted, and a bot's move is not undone on its own (the bot "
                            f"would make it again); before them, {barrier}"
                        )
                    return f"{barrier}: taking it back is a forced undo, with a reason"
            return i
        if skipped:
            return (
                "nothing a person did can be undone: only the bots have acted, and a bot's move "
                "is not undone on its own (the bot would make it again)"
            )
        return "nothing to undo"

    def draws_after(self, index: int) -> list[int]:
        """The standing automatic steps (draws) after step `index`, taken back with it."""
        steps = self.session.steps
        return [
            i
            for i in range(index + 1, len(steps))
            if not steps[i].undone and self.is_automatic(steps[i])
        ]

    def reseats_after(self, index: int) -> list[int]:
        """The roles handed to another seat after step `index`: an undo does not hand them
        back (a change of seat is not a move of the game; Ctrl+B hands a seat back)."""
        return [
            self.tables.role_index[s.action.role]
            for s in self.session.steps[index + 1 :]
            if isinstance(s.action, Reseat)
        ]

    def bot_steps_after(self, index: int) -> list[int]:
        """The bot seats whose moves (still standing) follow step `index`."""
        return [
            self.tables.role_index[s.action.role]  # type: ignore[union-attr]
            for s in self.session.steps[index + 1 :]
            if not s.undone and self.is_bot_step(s)
        ]

    def undo_people(self, action: Undo) -> None:
        """Undo the step `people_undo_target` names, with the bots' moves made since (each
        journaled as an undo; the bots then decide again)."""
        target = self.people_undo_target(action.force)
        if isinstance(target, str):
            raise IllegalActionError(target)
        steps = self.session.steps
        while not steps[target].undone:
            last = self.session.undo_target(action.force)
            if isinstance(last, str):
                raise IllegalActionError(last)
            bot = last != target and self.is_bot_step(steps[last])
            self.undo(dataclasses.replace(action, reason=BOT_DECIDES_AGAIN) if bot else action)

    def take_back_order(self, r: int) -> Order | str:
        """The order a team's take-back removes: its last order, when no other seat has acted
        since (the bots' moves since are taken back with it); or why there is none."""
        target = self.people_undo_target(False)
        step = None if isinstance(target, str) else self.session.steps[target]
        if step is None or not (
            isinstance(step.action, Order) and step.action.role == self.tables.roles[r].id
        ):
            if not self.view(r).orders[r]:
                return "You have no order to take back."
            return (
                "Another seat has acted since your last order, so it cannot be taken back "
                "here. Ask the White Cell."
            )
        return step.action

    def take_back(self, r: int) -> None:
        """Team `r` takes back its last order (see `take_back_order`), journaled as an undo."""
        order = self.take_back_order(r)
        if isinstance(order, str):
            raise IllegalActionError(order)
        self.undo_people(Undo(False, TEAM_TAKE_BACK))

    # Handing a seat over mid-game: a team leaves early, a solo player watches the
    # end, and back. Journaled as a Reseat; the seating is rebuilt from the journal on resume.

    def reseat(self, r: int, seat: Seat | str, reason: str = "") -> None:
        """Hand role `r` to `seat` (a value, or its text `greedy:hard`, `human:Red`): checked,
        journaled, then the bot (if any) is made with a generator derived from the seed and
        this record. Raises WargameError (IllegalActionError) with the reason."""
        from wargame.bots.registry import bot_names, make_bot

        role = self.tables.roles[r]
        if isinstance(seat, str):
            seat = seat_from_text(seat, optional=False, role=role.id, known_bots=bot_names())
        if isinstance(seat, AbsentSeat):
            raise IllegalActionError("a seated role cannot become absent")
        if isinstance(seat, BotSeat) and seat.options:
            raise IllegalActionError("a bot taking over mid-game takes no options")
        if isinstance(seat, HumanSeat) and seat.name is None:
            seat = HumanSeat(role.id)
        if seat == self.seat(r):
            raise IllegalActionError(
                f"{role_name(self.tables, r)} is already played by {seat.describe()}"
            )
        if isinstance(seat, BotSeat):
            make_bot(seat.bot, None, seat.level)  # refuse an unknown level before journaling
        self.step(Reseat(role.id, seat.to_text(), reason))

    def last_team_name(self, r: int) -> str:
        """The name of the last team of people that played role `r` ('' if none had one): the
        name a seat handed back to people is offered again."""
        role = self.tables.roles[r].id
        seats = [seat_of(self.start_seats, role)] + [
            seat_from_text(s.action.seat, optional=False, role=role)
            for s in self.session.steps
            if isinstance(s.action, Reseat) and s.action.role == role
        ]
        names = [
            x.name for x in seats if isinstance(x, HumanSeat) and x.name not in (None, "", role)
        ]
        return names[-1] if names else ""

    def handback_note(self, r: int) -> str | None:
        """After role `r` is handed back to people: what its bot did this turn that stands
        (its orders, its commit), and how the team takes it back; None when nothing."""
        st = self.state
        if not isinstance(self.pending(), OrdersDue) or not self.is_human(r):
            return None
        n = sum(self.given_by_bot(st.turn, r, ci) for ci, _, _ in st.orders[r])
        committed = r in self.committed_roles(st.turn)
        if not n and not committed:
            return None
        from wargame.facilitation.text import plural

        what = plural(n, "order") if n else "no order"
        if committed:
            return (
                f"The bot's orders for this turn stand: {what}, and it has committed them. "
                f"To change them, the White Cell takes back the commit (Ctrl+U), then "
                f"{self.team(r)} takes back the orders on its hand screen (Ctrl+U)."
            )
        return (
            f"The bot's orders for this turn stand: {what}. {self.team(r)} can take them back "
            "on its hand screen (Ctrl+U, the last one first)."
        )

    def _reseated(self, index: int, action: Reseat) -> None:
        r = self.tables.role_index[action.role]
        seat = seat_from_text(action.seat, optional=False, role=action.role)
        self.seats = {**self.seats, action.role: seat}
        self.bots.pop(r, None)
        if isinstance(seat, BotSeat):
            from wargame.bots.registry import make_bot

            rng = bot_rng(self.seed, r, index)
            self.bots[r] = make_bot(seat.bot, rng, seat.level)

    def settle(self) -> None:
        """Draw every pending chance outcome (journaled like any action)."""
        self.hold_chance = False
        self.session.settle()

    def commit_remaining_humans(self) -> list[int]:
        """End the orders phase: every human seat still deciding commits what it has."""
        done = []
        for r in self.humans_waiting():
            self.step(Pass(self.tables.roles[r].id))
            done.append(r)
        return done

    def accept_rolls(self) -> None:
        """Accept every roll of this turn's resolution still waiting for the White Cell."""
        turn = self.state.turn
        while isinstance(self.pending(), AdjudicationDue) and self.state.turn == turn:
            self.step(Accept())

    # Solo play: the bots' rolls go by without a key press, and nobody overrides
    # the player's own roll.

    def accepts_itself(self) -> bool:
        """Does the roll waiting now need nobody's key: a bot's roll in solo play, unless the
        player asked to confirm the bots' rolls?"""
        owner = self.roll_owner()
        return (
            self.solo
            and not self.confirm_bot_rolls
            and owner is not None
            and owner >= 0
            and self.is_bot(owner)
        )

    def accept_bot_rolls(self) -> int:
        """Accept (journaled, as any Accept) every roll that `accepts_itself`; how many."""
        n = 0
        while self.accepts_itself():
            self.step(Accept())
            n += 1
        return n

    def why_no_override(self) -> str | None:
        """Why the roll waiting now may not be overridden, or None when it may."""
        owner = self.roll_owner()
        if owner is None:
            return "there is no roll to override now"
        if self.solo and owner >= 0 and self.is_human(owner):
            return "in solo play you cannot override your own roll"
        return None

    def toggle_confirm_bot_rolls(self) -> bool:
        """Solo play: switch the confirmation of the bots' rolls (journaled as a note)."""
        on = not self.confirm_bot_rolls
        self.note(CONFIRM_BOT_ROLLS if on else ACCEPT_BOT_ROLLS)
        self.confirm_bot_rolls = on
        return on

    # A bot's explanation: the reason in plain words first, the numbers one key away.

    def words(self, rationale: str) -> str:
        """A rationale as the screens show it: the plain words, with the numbers behind them
        only while `show_details` is on (F3)."""
        from wargame.facilitation.team import rationale_words

        return rationale_words(rationale, self.show_details)

    def note(self, text: str, role: str = "") -> None:
        self.step(Note(text, role))

    def legal_injects(self) -> list[int]:
        """Event cards the facilitator may inject now."""
        st = self.state
        t = self.tables
        return [c.index for c in t.cards if c.owner == EVENTS and check(st, Inject(c.id)) is None]

    def bot_action(self, r: int, action: Action, explanation: str) -> Action:
        """A bot's order, or its Pass, carries its one-line explanation as the rationale, so
        the journal keeps it and the resolution shows it once the orders are revealed."""
        text = explanation.strip()[:500]
        if isinstance(action, Order | Pass) and not action.rationale and text:
            action = dataclasses.replace(action, rationale=text)
        return action

    def committed_roles(self, turn: int) -> set[int]:
        """Roles whose commit (Pass) in `turn` still stands."""
        out = set()
        for s in self.session.steps:
            if isinstance(s.action, Pass) and not s.undone and s.before.turn == turn:
                out.add(self.tables.role_index[s.action.role])
        return out

    def closing_notes(self, turn: int) -> list[tuple[int, str]]:
        """The bot seats' explanations for committing in `turn`, from their Pass actions;
        none before the reveal (the words may hint at a hidden order or hand)."""
        if story.reveal_index(self.session.steps, turn) < 0:
            return []
        out = []
        for s in self.session.steps:
            a = s.action
            if isinstance(a, Pass) and a.rationale and not s.undone and s.before.turn == turn:
                r = self.tables.role_index[a.role]
                if self.is_bot(r):
                    out.append((r, a.rationale))
        return sorted(out)

    def _on_step(self, step: Step) -> None:
        if isinstance(step.action, Reseat):
            self._reseated(len(self.session.steps) - 1, step.action)
        if isinstance(step.action, Undo):
            b, a = step.before, step.after
            if a.turn < b.turn or (b.over and not a.over):
                self.summaries_due = [t for t in self.summaries_due if t < a.turn]
                self.resolution_seen = {t for t in self.resolution_seen if t < a.turn}
        elif story.is_crossing(step):
            turn = step.before.turn
            if turn not in self.summaries_due:
                self.summaries_due.append(turn)
        for fn in list(self.listeners):
            fn(step)

    def next_beat(self) -> Beat:
        st = self.state
        if self.summaries_due:
            turn = self.summaries_due[0]
            if turn in self.resolution_seen or not self.resolution(turn)[0]:
                return Beat("summary", turn)  # nothing was revealed: straight to the summary
            return Beat("resolution", turn)
        pending = self.pending()
        if isinstance(pending, AdjudicationDue):
            return Beat("resolution", st.turn)
        if isinstance(pending, ChanceDue):
            return Beat("chance", st.turn)
        if isinstance(pending, GameOver):
            return Beat("over", st.turn)
        return Beat("orders", st.turn)

    def last_summary_turn(self) -> int | None:
        """The last turn that has ended (its summary can be shown again), if any."""
        ends = self.crossings()
        return max(ends) if ends else None

    def ack_resolution(self, turn: int) -> None:
        self.resolution_seen.add(turn)

    def ack_summary(self, turn: int) -> None:
        """The White Cell leaves the summary of `turn`: journaled, as the next phase's clock
        starts now (see clock.SUMMARY_READ)."""
        if turn in self.summaries_due:
            self.summaries_due.remove(turn)
            self.step(Note(clock.SUMMARY_READ))

    def clock_key(self) -> clock.Key:
        """The phase the countdown times now: none while a turn summary is owed."""
        return None if self.summaries_due else clock_key(self.state)

    def sync_clock(self) -> None:
        """Start the countdown afresh when the phase it times has changed."""
        self.clock.sync(self.clock_key())
