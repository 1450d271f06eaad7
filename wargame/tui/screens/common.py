"""What the White Cell can do from the situation room and the resolution screen.

Every intervention is an action the Session journals: an inject, a note, an undo (forced across
a reveal or a roll only after confirmation), the end of a phase (a Pass for each team still
deciding), an override. Pauses and timer extensions are journaled as notes so the debrief sees
them too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.content import Content

from wargame.facilitation import clock, room
from wargame.pending import AdjudicationDue, ChanceDue, OrdersDue
from wargame.tui.screens.base import GameScreen
from wargame.tui.screens.dialogs import (
    ChoiceDialog,
    ConfirmDialog,
    MessageDialog,
    PauseScreen,
    PromptDialog,
)

FACILITATOR_BINDINGS = [
    # No single letter: a word typed at the wrong screen must not inject, undo or end a phase.
    # In order of need, so that a narrow key bar cuts the least needed (all are in the help).
    Binding("ctrl+r", "roll", "Draw"),
    Binding("ctrl+g", "inject", "Inject"),
    Binding("ctrl+u", "undo", "Undo"),
    Binding("ctrl+e", "end_phase", "End phase"),
    Binding("ctrl+l", "last_summary", "Summary"),
    Binding("ctrl+n", "note", "Note"),
    Binding("ctrl+p", "pause", "Pause"),
    Binding("ctrl+t", "more_time", "+2 min", show=False),
    Binding("ctrl+b", "reseat", "Seats"),
    Binding("f6", "confirm_bot_rolls", "Confirm bot rolls"),
]


def ask_inject(
    app: App[Any],
    choices: list[room.InjectChoice],
    why_none: str,
    done: Callable[[str, str], object],
) -> None:
    """The White Cell picks an event card, then says why (optional); `done(card, reason)`.
    With no card to inject, it is told `why_none`."""
    if not choices:
        app.push_screen(
            MessageDialog(
                "Nothing to inject", f"No event can be injected now: {why_none}.", error=False
            )
        )
        return
    titles = {c.card: c.title for c in choices}

    def picked(card: str | None) -> None:
        if card is None:
            return

        def reasoned(reason: str | None) -> None:
            if reason is not None:
                done(card, reason)

        app.push_screen(
            PromptDialog(
                f"Inject “{titles[card]}”", "Why now? (optional, one line for the record)"
            ),
            reasoned,
        )

    options = [
        (Content.assemble((c.title, "bold"), (f"  ({c.kind}) ", "dim"), c.text), c.card)
        for c in choices
    ]
    app.push_screen(
        ChoiceDialog(
            "Inject an event card", options, note="It resolves at once, before anything else."
        ),
        picked,
    )


def ask_note(app: App[Any], done: Callable[[str], object]) -> None:
    """The White Cell's note for the record; `done(text)` once written."""

    def written(text: str | None) -> None:
        if text:
            done(text)

    app.push_screen(
        PromptDialog("Note for the record", "What should the record say?", required=True),
        written,
    )


def ask_undo(app: App[Any], ask: room.UndoQuestion, done: Callable[[bool, str], object]) -> None:
    """The White Cell's undo: confirmed; a forced one confirmed, then given a reason for the
    record. `done(force, reason)`."""
    if not ask.question:
        app.push_screen(MessageDialog("Nothing to undo", ask.reason, error=False))
        return
    if not ask.forced:

        def sure(ok: bool | None) -> None:
            if ok:
                done(False, "")

        app.push_screen(ConfirmDialog(ask.question, yes="Undo"), sure)
        return

    def reasoned(reason: str | None) -> None:
        if reason:
            done(True, reason)

    def sure_force(ok: bool | None) -> None:
        if ok:
            app.push_screen(
                PromptDialog("Forced undo", "Reason for the record:", required=True), reasoned
            )

    app.push_screen(ConfirmDialog(ask.question, yes="Force undo", no="Keep"), sure_force)


class FacilitatorScreen(GameScreen):
    """A screen where the White Cell's keys work (the situation room, the resolution)."""

    def facilitator_check(self, action: str) -> bool | None:
        """Which White Cell keys work now (the key bar shows only those): a draw only when one
        is waiting, an inject only when the rules allow one (not while a roll is being
        resolved), the summary once a turn has ended."""
        g = self.game
        if action == "roll":
            return isinstance(g.pending(), ChanceDue)
        if action == "inject":
            return bool(g.legal_injects()) and not self._next_orders_unseen()
        if action == "end_phase":
            return g.orders_open() or isinstance(g.pending(), AdjudicationDue)
        if action == "last_summary":
            return g.last_summary_turn() is not None
        if action == "confirm_bot_rolls":
            return g.solo
        if action == "reseat":
            return not g.state.over
        return True

    # ------------------------------------------------------------------ seats

    def action_reseat(self) -> None:
        """Hand a role to a bot (a team leaves early; a solo player watches the end), or back
        to people: pick the role, then its new seat (journaled as a Reseat)."""
        from wargame.bots.planner import LEVELS
        from wargame.bots.registry import bot_names
        from wargame.seats import BotSeat, HumanSeat

        g = self.game
        from wargame.facilitation.text import role_name

        # The role, then who plays it: "China — now: team Red" (the team's name once).
        roles = [
            (f"{role_name(g.tables, r)} — now: {g.seat_text(r)}", r)
            for r in range(len(g.tables.roles))
            if g.state.present[r]
        ]

        def seat_options(r: int) -> list[tuple[str, str]]:
            out: list[tuple[str, str]] = []
            for b in bot_names():
                levels = list(LEVELS) if b == "planner" else [""]
                for lvl in levels:
                    seat = BotSeat(b, lvl)
                    if seat != g.seat(r):
                        out.append((f"the {seat.describe()}", seat.to_text()))
            out.append(("a team of people (you give its name)", "human"))
            return out

        def chosen_role(r: int | None) -> None:
            if r is None:
                return

            def chosen_seat(text: str | None) -> None:
                if text is None:
                    return
                if text != "human":
                    if self.attempt(g.reseat, r, text):
                        self.request_drive()
                    return

                def named(team: str | None) -> None:
                    if team is None:
                        return
                    name = team.strip() or g.tables.roles[r].id
                    if self.attempt(g.reseat, r, HumanSeat(name)):
                        note = g.handback_note(r)
                        if note is not None:
                            self.app.push_screen(
                                MessageDialog(f"{g.team(r)} has its seat back", note, error=False)
                            )
                        self.request_drive()

                self.app.push_screen(
                    PromptDialog(
                        f"{g.team(r)}: a team of people",
                        "The team's name (empty: the role's name):",
                        value=g.last_team_name(r),
                    ),
                    named,
                )

            self.app.push_screen(
                ChoiceDialog(
                    f"Who plays {g.team(r)} from now on?",
                    seat_options(r),
                    note="Recorded in the save; Ctrl+B again hands it back.",
                ),
                chosen_seat,
            )

        self.app.push_screen(ChoiceDialog("Hand a seat over: which role?", roles), chosen_role)

    def action_confirm_bot_rolls(self) -> None:
        g = self.game
        if not g.solo:
            return
        if self.attempt(g.toggle_confirm_bot_rolls):
            self.app.notify(
                "The bots' rolls now wait for Enter (F6 again: let them go by)."
                if g.confirm_bot_rolls
                else "The bots' rolls are now accepted as drawn (F6 again: confirm each)."
            )
            self.request_drive()

    # ------------------------------------------------------------------ summary

    def action_last_summary(self) -> None:
        turn = self.game.last_summary_turn()
        if turn is None:
            self.app.notify("No turn has ended yet.")
            return
        self.tell_app(self.ReadSummaryAgain(turn))

    # ------------------------------------------------------------------ inject

    def action_inject(self) -> None:
        from wargame.actions import Inject

        g = self.game
        if self._next_orders_unseen():
            self._not_yet()
            return
        choices = room.inject_choices(g)
        why_none = room.why_no_inject(g) if not choices else ""
        ask_inject(self.app, choices, why_none, lambda card, reason: self.act(Inject(card, reason)))

    # ------------------------------------------------------------------ note

    def action_note(self) -> None:
        from wargame.actions import Note

        ask_note(self.app, lambda text: self.act(Note(text)))

    # ------------------------------------------------------------------ undo

    def action_undo(self) -> None:
        from wargame.actions import Undo

        g = self.game

        def undo(force: bool, reason: str) -> None:
            if self.attempt(g.undo_people, Undo(force, reason)):
                self.request_drive()

        ask_undo(self.app, room.undo_question(g), undo)

    # ------------------------------------------------------------------ time

    def action_pause(self) -> None:
        from wargame.actions import Note

        self.game.clock.pause()
        self.act(Note(clock.PAUSED))

        def resumed(_: Any) -> None:
            self.game.clock.resume()
            self.act(Note(clock.PLAY_RESUMED))

        self.app.push_screen(PauseScreen(), resumed)

    def action_more_time(self) -> None:
        from wargame.actions import Note

        if not self.game.clock.enabled:
            self.app.notify("No phase timer is set (choose one at setup).")
            return
        self.game.clock.extend(clock.EXTENSION)
        self.act(Note(clock.EXTENDED))

    # ------------------------------------------------------------------ phase

    def _next_orders_unseen(self) -> bool:
        """The resolution is over but its summary unread: the next orders phase has not begun
        for the room."""
        return isinstance(self.game.pending(), OrdersDue) and not self.game.orders_open()

    def _not_yet(self) -> None:
        self.app.push_screen(
            MessageDialog(
                "Not yet",
                "This turn's resolution is over: press Enter to read the turn summary. The next "
                "orders phase begins after it.",
                error=False,
            )
        )

    def action_end_phase(self) -> None:
        g = self.game
        if self._next_orders_unseen():
            self._not_yet()
            return
        if isinstance(g.pending(), OrdersDue):
            waiting = g.humans_waiting()
            if not waiting:
                msg = (
                    "Every human team has committed; the bots are still thinking."
                    if g.bots_waiting()
                    else "Nothing is waiting."
                )
                self.app.push_screen(MessageDialog("End the phase", msg, error=False))
                return
            names = ", ".join(g.team(r) for r in waiting)

            def sure(ok: bool | None) -> None:
                if ok:
                    self.attempt(g.commit_remaining_humans)
                    self.request_drive()

            self.app.push_screen(
                ConfirmDialog(
                    f"End the orders phase now?\n\n{names} will commit the orders they have "
                    "already given (possibly none).",
                    yes="End phase",
                    no="Wait",
                ),
                sure,
            )
            return
        if isinstance(g.pending(), AdjudicationDue):

            def sure_accept(ok: bool | None) -> None:
                if ok:
                    self.attempt(g.accept_rolls)
                    self.request_drive()

            self.app.push_screen(
                ConfirmDialog(
                    "Accept every remaining roll of this resolution as drawn?",
                    yes="Accept all",
                    no="Wait",
                ),
                sure_accept,
            )
            return
        self.app.push_screen(
            MessageDialog(
                "End the phase", "Nothing is waiting for the White Cell now.", error=False
            )
        )

    def action_roll(self) -> None:
        g = self.game
        if not isinstance(g.pending(), ChanceDue):
            self.app.notify("No draw is waiting.")
            return
        self.attempt(g.settle)
        self.request_drive()
