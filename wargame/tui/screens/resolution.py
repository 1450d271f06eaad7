"""The reveal and resolution of a turn, its summary, and the end of the game.

Resolution shows every revealed order (with its team's reason, or the bot's explanation) and
resolves them one by one: for each roll the chance and the result, which the White Cell accepts
or overrides with a reason. The summary diffs the start and the end of the turn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from wargame.facilitation.story import ending_word, reveal_index
from wargame.facilitation.text import role_name
from wargame.pending import AdjudicationDue, ChanceDue
from wargame.tui.render import objective_basis, status_tail
from wargame.tui.screens.base import ReplayRequested, attempt
from wargame.tui.screens.common import FACILITATOR_BINDINGS, FacilitatorScreen
from wargame.tui.screens.dialogs import ChoiceDialog, PromptDialog
from wargame.tui.widgets import KeyBar

if TYPE_CHECKING:
    from wargame.facilitation.controller import Game
    from wargame.facilitation.story import Revealed
    from wargame.state import State

Part = str | tuple[str, str] | Content


def _targets(st: State, kind: str | None, targets: tuple[int, ...]) -> str:
    t = st.tables
    if not targets:
        return ""
    return ", ".join(t.target_label(kind, x, short=True) for x in targets)


def _outcome(text: str) -> tuple[str, str]:
    if text == "success":
        return ("SUCCESS", "bold $success")
    if text == "failure":
        return ("FAILURE", "bold $error")
    return (text, "")


def reason_label(g: Game, turn: int, owner: int, card: int) -> str:
    """'bot's reason' for an order a bot gave (even if people have the seat back now),
    'why' for a team's own (even if a bot has the seat now)."""
    if owner >= 0 and g.given_by_bot(turn, owner, card):
        return "bot's reason"
    return "why"


def adjudication_panel(
    g: Game, st: State, turn: int
) -> tuple[Content, Content | None, Content | None]:
    """The roll waiting for the White Cell, as the room must see it: a head line (whose card,
    on what), the order's reason, and the chance, the roll and its keys."""
    from wargame.evaluate import roll_breakdown

    t = st.tables
    assert st.pending is not None and st.queue
    item = st.queue[0]
    c = t.cards[item.card]
    who = role_name(t, item.owner) if item.owner >= 0 else ("Inject" if c.inject_only else "Event")
    drawn, chance = str(st.pending[1]), int(st.pending[2])
    _, bits = roll_breakdown(st, c, item.owner, item.targets)
    tgt = _targets(st, c.target_kind, item.targets)
    head: list[Part] = [("Now: ", "bold"), (who, "bold $text-accent"), ": ", (c.title, "bold")]
    if tgt:
        head.append(f" → {tgt}")
    why: Content | None = None
    if item.rationale:
        label = reason_label(g, turn, item.owner, item.card)
        why = Content.styled(f"{label}: {g.words(item.rationale)}", "$text-muted")
    parts: list[Part] = [(f"Chance {chance}%", "bold")]
    parts.append(
        (
            "  ("
            + ", ".join(f"{lbl} {v:+d}" if i else f"{lbl} {v}" for i, (lbl, v) in enumerate(bits))
            + ")\n",
            "$text-muted",
        )
    )
    change = g.chance_change()
    if change:
        parts.append((f"({change})\n", "$warning"))
    parts.append("The roll: ")
    parts.append(_outcome(drawn))
    if g.why_no_override() is None:
        parts.append(("\nEnter: accept   Ctrl+O: override (with a reason)", "$text-muted"))
    else:
        parts.append(("\nEnter: accept (your own roll stands as drawn)", "$text-muted"))
    return Content.assemble(*head), why, Content.assemble(*parts)


def ask_override(
    app: App[Any], subject: str, drawn: str, done: Callable[[str, str], object]
) -> None:
    """The White Cell overrides a roll: the outcome, then the reason (required);
    `done(outcome, reason)`."""
    other = "failure" if drawn == "success" else "success"
    options = [
        (Content.assemble("Make it ", _outcome(other)), other),
        (Content.assemble("Keep it ", _outcome(drawn), " (with a note)"), drawn),
    ]

    def picked(outcome: str | None) -> None:
        if outcome is None:
            return

        def reasoned(reason: str | None) -> None:
            if reason:
                done(outcome, reason)

        app.push_screen(
            PromptDialog(
                f"Override the roll for {subject}",
                f"Why does the White Cell make it {outcome}? (for the record and the debrief)",
                required=True,
            ),
            reasoned,
        )

    app.push_screen(
        ChoiceDialog(
            f"Override the roll for {subject}", options, note=f"The roll came out {drawn}."
        ),
        picked,
    )


class ResolutionScreen(FacilitatorScreen):
    BINDINGS = [
        Binding("enter", "accept", "Accept"),
        Binding("ctrl+o", "override", "Override"),
        *FACILITATOR_BINDINGS,
        Binding("f3", "details", "Details"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, game: Game, turn: int) -> None:
        super().__init__(game)
        self.turn = turn
        self._roll_shown: int | None = None
        self._title = Content("")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "override":
            return self.adjudicating() and self.game.why_no_override() is None
        if action == "accept" and isinstance(self.game.pending(), ChanceDue):
            return None  # shown dimmed: the draw (Ctrl+R) comes first
        return self.facilitator_check(action)

    def key_label(self, action: str) -> str | None:
        """What Enter does now: accept the roll shown, open the turn summary, or go on."""
        if action != "accept":
            return None
        if self.adjudicating():
            return "Accept roll"
        if self.complete():
            return "Turn summary"
        return "Continue"

    def compose(self) -> ComposeResult:
        yield Static("", id="res-title")
        with VerticalScroll(id="res-body"):
            yield Static("", id="res-table")
        # What the room must see is pinned at the bottom: the order being resolved, then its
        # rationale (which scrolls when long: Tab reaches it), then the chance, the roll and
        # its keys, which always show whole, even at 80x24.
        with Vertical(id="res-now"):
            yield Static("", id="res-now-head")
            with VerticalScroll(id="res-why"):
                yield Static("", id="res-why-text")
            yield Static("", id="res-roll")
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#res-body").focus()
        if self.game.clock.enabled:
            self.set_interval(1.0, self.refresh_title)

    def refresh_title(self) -> None:
        """The title with the phase clock, redrawn each second while a timer is set."""
        self.query_one("#res-title", Static).update(
            Content.assemble(self._title, "   ", status_tail(self.game))
        )

    def on_screen_resume(self) -> None:
        self.refresh_view()
        self.request_drive()

    # ------------------------------------------------------------------ state of play

    def adjudicating(self) -> bool:
        """A roll of this turn waits for the White Cell."""
        g = self.game
        return isinstance(g.pending(), AdjudicationDue) and g.state.turn == self.turn

    def complete(self) -> bool:
        """This turn's resolution is over (its summary is due)."""
        return self.turn in self.game.summaries_due and not self.adjudicating()

    def refresh_view(self) -> None:
        g = self.game
        st = g.state
        t = g.tables
        year = t.start_year + (self.turn - 1) * t.years_per_turn
        items, after = g.resolution(self.turn)
        revealed = reveal_index(g.session.steps, self.turn) >= 0
        head = "Resolution" if revealed else "Event"
        self._title = Content.styled(f"{head} — turn {self.turn} ({year})", "bold $text-accent")
        self.refresh_title()
        parts: list[Part] = []
        if items:
            parts.append((f"{len(items)} orders revealed, resolved in initiative order:\n", "bold"))
            for k, it in enumerate(items, start=1):
                parts.extend(self._row(st, k, it))
            if after and self.complete():
                parts.append(("\nThen:\n", "bold"))
                parts.extend(f"  {ln}\n" for ln in after)
        elif revealed:
            parts.append(("No team gave an order this turn.\n", "$text-muted"))
        closings = g.closing_notes(self.turn)
        if closings:
            parts.append(("\nWhy each bot committed its orders:\n", "bold"))
            for r, text in closings:
                parts.append((f"  {role_name(t, r)}: ", "bold"))
                parts.append((f"{g.words(text)}\n", "$text-muted"))
        else:
            parts.append(("The orders of this turn are not revealed yet.\n", "$text-muted"))
        self.query_one("#res-table", Static).update(Content.assemble(*parts).rstrip())
        self._show_now(st)
        self.query_one(KeyBar).refresh_keys()
        # Something new to read (the next roll, or the end of the resolution): hold Enter a
        # moment, as for a new screen, so that a key pressed twice does not accept a roll, or
        # leave for the summary, before the room has seen it.
        shown = len(g.session.steps)
        if self._roll_shown is not None and shown != self._roll_shown:
            self.hold_keys()
        self._roll_shown = shown

    def _row(self, st: State, k: int, it: Revealed) -> list[Part]:
        t = st.tables
        c = t.cards[it.card]
        marker = {"done": ("✓", "$success"), "rolling": ("▶", "bold $warning")}.get(
            it.status, ("·", "$text-muted")
        )
        tgt = _targets(st, c.target_kind, it.targets)
        parts: list[Part] = [
            (f"{marker[0]} {k:>2}. ", marker[1]),
            (role_name(t, it.owner), "bold"),
            ": ",
            c.title,
        ]
        if tgt:
            parts.append(f" → {tgt}")
        if it.status == "done" and it.outcome:
            parts.append((f"  {it.chance}% ", "$text-muted"))
            parts.append(_outcome(it.outcome))
            if it.override:
                parts.append((f" (overridden: {it.override})", "$warning"))
        parts.append("\n")
        if it.rationale:
            who = self._reason_label(it.owner, it.card)
            parts.append((f"       {who}: {self.game.words(it.rationale)}\n", "$text-muted"))
        if it.status == "done":
            effects = [ln for ln in it.lines if not ln.startswith(("roll at", "overridden"))]
            if effects:
                parts.append((f"       {'; '.join(effects)}\n", "$text-muted"))
        return parts

    def _reason_label(self, owner: int, card: int) -> str:
        return reason_label(self.game, self.turn, owner, card)

    def _show_now(self, st: State) -> None:
        head, why, roll = self._now(st)
        self.query_one("#res-now-head", Static).update(head)
        self.query_one("#res-why-text", Static).update(why or "")
        self.query_one("#res-why").display = why is not None
        self.query_one("#res-roll", Static).update(roll or "")
        self.query_one("#res-roll").display = roll is not None

    def _now(self, st: State) -> tuple[Content, Content | None, Content | None]:
        """The pinned panel: a head line, the rationale (scrolls), the roll and its keys."""
        g = self.game
        if self.adjudicating():
            return self._adjudication(st)
        if self.complete():
            return (
                Content.assemble(
                    ("Resolution complete. ", "bold $success"),
                    "Press Enter for the turn summary.",
                ),
                None,
                None,
            )
        if isinstance(g.pending(), ChanceDue):
            from wargame.facilitation.room import draw_waiting

            return Content.styled(draw_waiting(self.game) + ".", "$warning"), None, None
        return Content.styled("Press Enter to continue.", "$text-muted"), None, None

    def _adjudication(self, st: State) -> tuple[Content, Content | None, Content | None]:
        return adjudication_panel(self.game, st, self.turn)

    # ------------------------------------------------------------------ keys

    def action_details(self) -> None:
        """Show or hide the numbers behind the bots' explanations."""
        self.game.show_details = not self.game.show_details
        self.refresh_view()

    def action_accept(self) -> None:
        from wargame.actions import Accept

        g = self.game
        if self.adjudicating():
            self.act(Accept())
            return
        if isinstance(g.pending(), ChanceDue):
            from wargame.facilitation.room import draw_waiting

            self.app.notify(
                draw_waiting(self.game) + "."
            )  # stay: the room is reading this resolution
            return
        if self.complete():
            g.ack_resolution(self.turn)
        self.leave()

    def action_override(self) -> None:
        from wargame.actions import Override

        if not self.adjudicating():
            self.app.notify("There is no roll to override now.")
            return
        why = self.game.why_no_override()
        if why is not None:
            self.app.notify(f"No override: {why}.", markup=False)
            return
        from wargame.facilitation.room import roll_subject

        st = self.game.state
        assert st.pending is not None
        ask_override(
            self.app,
            roll_subject(self.game, st),
            str(st.pending[1]),
            lambda outcome, reason: self.act(Override(outcome, reason)),
        )


def summary_content(g: Game, turn: int, *, review: bool = False) -> tuple[Content, Content]:
    """A turn's summary: its title, and what changed, largest shifts first (`review`: shown
    again, Enter goes back)."""
    s = g.summary(turn)
    t = g.tables
    title = Content.assemble(
        (f"Turn {s.turn} ({s.year}) — what changed", "bold $text-accent"),
        ("   (shown again: Enter goes back)" if review else "", "$text-muted"),
    )
    parts: list[Part] = [("Victory points this turn\n", "bold")]
    for r, gained, total in s.vp:
        parts.append(f"  {role_name(t, r):<24}")
        parts.append((f"{gained:+3d}", "bold $success" if gained > 0 else "bold"))
        parts.append((f"   total {total}\n", "$text-muted"))
    parts.append(("\nLargest shifts first\n", "bold"))
    if not s.changes:
        parts.append(("  Nothing on the board changed.\n", "$text-muted"))
    limit = 30
    for ch in s.changes[:limit]:
        style = {"status": "bold $warning", "alliance": "$warning"}.get(ch.kind, "")
        parts.append(("  • " + ch.text + "\n", style))
    if len(s.changes) > limit:
        parts.append((f"  … and {len(s.changes) - limit} smaller changes\n", "$text-muted"))
    if s.lines:
        parts.append(("\nWhat happened\n", "bold"))
        parts.extend((f"  {ln}\n", "$text-muted") for ln in s.lines)
    return title, Content.assemble(*parts).rstrip()


class SummaryScreen(Screen[None]):
    """What changed this turn, largest shifts first. Dismissed once the White Cell has read it
    (the reading is journaled: the next phase's clock starts then). With `review`, a summary
    read again (Ctrl+L from the room or the resolution): Enter or Escape goes back, nothing
    else."""

    BINDINGS = [
        Binding("enter", "next", "Continue"),
        Binding("escape", "back", "Back", show=False),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, game: Game, turn: int, *, review: bool = False) -> None:
        super().__init__()
        self.game = game
        self.turn = turn
        self.review = review

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "back" or self.review

    def key_label(self, action: str) -> str | None:
        """A summary shown again: Enter goes back to where it was opened."""
        return "Back" if action == "next" and self.review else None

    def action_back(self) -> None:
        self.app.pop_screen()

    def compose(self) -> ComposeResult:
        yield Static("", id="sum-title")
        with VerticalScroll(id="sum-body"):
            yield Static("", id="sum-text")
        yield KeyBar()

    def on_mount(self) -> None:
        title, body = summary_content(self.game, self.turn, review=self.review)
        self.query_one("#sum-title", Static).update(title)
        self.query_one("#sum-text", Static).update(body)
        self.query_one("#sum-body").focus()

    def action_next(self) -> None:
        if self.review:
            self.dismiss()
            return
        if attempt(self.app, self.game.ack_summary, self.turn):
            self.dismiss()


def end_content(g: Game, *, here: bool = True) -> tuple[Content, Content]:
    """The end of the game: final ranking, the save, the objectives, the story. `here`: the
    replay opens on this screen (Ctrl+R), not only from the command line."""
    from wargame.facilitation.objectives import objective_rows
    from wargame.facilitation.text import plural
    from wargame.rules import ranking

    st = g.state
    t = g.tables
    title = Content.assemble(("Game over", "bold $text-accent"), f" — {st.ended_by}")
    parts: list[Part] = [("Final ranking\n", "bold")]
    for place, r in enumerate(ranking(st), start=1):
        crown = f" ({ending_word(st)})" if r in st.winners() else ""
        parts.append((f"  {place}. {role_name(t, r):<24}", "bold" if place == 1 else ""))
        parts.append(f"{sum(st.vp[r]):>4} VP   {g.seat_text(r)}{crown}\n")
    parts.append(("\nThe save\n", "bold"))
    if g.path is not None:
        import shlex

        from wargame.shell import wargame_command

        # As this install runs it (`.venv/bin/wargame` after make): plain `wargame` is not
        # on the PATH there.
        run, save = wargame_command(), shlex.quote(str(g.path))
        parts.append(f"  {g.path}\n")
        parts.append(
            (
                (
                    f"  Ctrl+R replays it here for the debrief (turning points, “what if”"
                    f" branches); later: `{run} replay {save}`; check it with"
                    f" `{run} verify {save}`.\n"
                    if here
                    else f"  Replay it for the debrief (turning points, “what if” branches):"
                    f" `{run} replay {save}`; check it with `{run} verify {save}`.\n"
                ),
                "$text-muted",
            )
        )
    else:
        parts.append(("  This game was not saved (--no-save).\n", "$warning"))
    parts.append(("\nObjectives (as the board stands now)\n", "bold"))
    for r in ranking(st):
        parts.append((f"  {role_name(t, r)}\n", "bold"))
        rows = objective_rows(st, r)
        for row in rows:
            if not row.applies:
                continue
            if row.score > 0:
                parts.append(("    ✓ met    ", "$success"))
                parts.append(f"{row.text} ({row.score:+d} VP)\n")
            else:
                parts.append(("    ✗ missed ", "$error"))
                parts.append(f"{row.text}\n")
            if row.basis:
                parts.append(objective_basis(row.basis))
        skipped = sum(1 for row in rows if not row.applies)
        if skipped:
            parts.append(
                (
                    f"    ({plural(skipped, 'other objective')} did not apply in this "
                    "game: it depends on who was seated)\n"
                    if skipped == 1
                    else f"    ({plural(skipped, 'other objective')} did not apply in "
                    "this game: they depend on who was seated)\n",
                    "$text-muted",
                )
            )
    story = g.story()
    if story:
        parts.append(("\nThe story of the game\n", "bold"))
        parts.extend(f"  • {line}\n" for line in story)
    return title, Content.assemble(*parts).rstrip()


class EndScreen(Screen[None]):
    """Final ranking, objectives met or missed, the story of the game, and where the save is."""

    BINDINGS = [
        Binding("ctrl+q", "app.request_quit", "Quit"),
        Binding("ctrl+r", "replay", "Replay (debrief)"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "replay":
            return self.game.path is not None
        return True

    def action_replay(self) -> None:
        if self.game.path is not None:
            self.app.post_message(ReplayRequested(self.game.path))

    def compose(self) -> ComposeResult:
        yield Static("", id="end-title")
        with VerticalScroll(id="end-body"):
            yield Static("", id="end-text")
        yield KeyBar()

    def on_mount(self) -> None:
        title, body = end_content(self.game)
        self.query_one("#end-title", Static).update(title)
        self.query_one("#end-text", Static).update(body)
        self.query_one("#end-body").focus()
