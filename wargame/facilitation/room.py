"""What the projected situation room says: the public log of each step, the teams' activity and
the status line. Words and their emphasis only; a front end chooses how emphasis looks (the
terminal UI maps it to theme styles).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wargame.facilitation import story
from wargame.pending import AdjudicationDue, ChanceDue, GameOver, OrdersDue

if TYPE_CHECKING:
    from wargame.engine import Step
    from wargame.facilitation.controller import Game
    from wargame.tables import Tables

Span = tuple[str, str]
"""Text and its emphasis: '' (plain), 'strong', 'accent', 'alert', 'error' or 'ok'."""


DRAW_WAITING = (
    "A draw is waiting: press Ctrl+R to draw it, or Ctrl+U to undo further. Chance is fixed "
    "for each record, so drawing again after an undo gives the same result as before"
)
"""What the room and the resolution say while a draw waits after an undo: an undo cannot be
used to roll again (the White Cell overrides a roll instead, with a reason)."""


def turn_header(t: Tables, turn: int) -> str:
    return f"══ Turn {turn} · {t.start_year + (turn - 1) * t.years_per_turn} ══"


def step_lines(game: Game, step: Step) -> list[str]:
    """The log lines of one step; a step that ends a turn also opens the next one."""
    b, a = step.before, step.after
    if story.is_crossing(step):
        out = game.narrative(step, b.turn)
        if not a.over:
            out.append(turn_header(game.tables, a.turn))
            out.extend(game.narrative(step, a.turn))
        else:
            out.append(f"══ Game over: {a.ended_by} ══")
        return out
    return game.narrative(step)


def all_log_lines(game: Game) -> list[str]:
    """The whole public log so far, as a resumed room shows it."""
    lines = [turn_header(game.tables, game.first_state().turn)]
    for s in game.session.steps:
        lines.extend(step_lines(game, s))
    return lines


def describe_step(game: Game, index: int) -> str:
    """A step as the White Cell's undo question names it ('an order by Team Red (…)')."""
    from wargame.actions import Order, Pass

    t = game.tables
    step = game.session.steps[index]
    a = step.action
    if isinstance(a, Order) and step.before.phase == "orders":
        return f"an order by {game.team(t.role_index[a.role])}"
    if isinstance(a, Pass) and a.role in t.role_index:
        return f"the commit of {game.team(t.role_index[a.role])}"
    return game.action_words(step)


def team_rows(game: Game) -> list[tuple[int, str, str]]:
    """(role, seat label, activity) for each seated role: 'deciding (2)', '✓ committed'…"""
    st = game.public()
    due = game.pending()
    rows = []
    for r in range(len(game.tables.roles)):
        if not st.present[r]:
            continue
        activity = ""
        if isinstance(due, OrdersDue):
            n = len(st.orders[r])
            if r not in due.roles:
                activity = "✓ committed"
            elif game.is_bot(r):
                activity = "thinking…"
            else:
                activity = f"deciding ({n})" if n else "deciding"
        rows.append((r, game.seat_text(r), activity))
    return rows


@dataclass(frozen=True, slots=True)
class Status:
    """The status line: `turn`, `year`, `phase`, then the clock and the save, then `next`."""

    turn: Span
    year: str
    phase: Span
    next: str


def status(game: Game) -> Status:
    st = game.state
    t = game.tables
    due = game.pending()
    turn = (f"Turn {min(st.turn, t.turns)}/{t.turns}", "strong")
    year = f" · {st.year} · "
    following = ""
    if isinstance(due, GameOver):
        phase = ("game over", "alert")
    elif isinstance(due, OrdersDue):
        phase = ("ORDERS", "accent")
        humans = game.humans_waiting()
        if humans:
            following = "Enter: hand over to " + game.team(humans[0])
            if len(humans) > 1:
                following += f" (+{len(humans) - 1} more)"
        elif game.bots_waiting():
            following = "bots thinking…"
    elif isinstance(due, AdjudicationDue):
        phase = ("ROLL TO ADJUDICATE", "alert")
    elif isinstance(due, ChanceDue):
        phase = ("a draw is waiting (Ctrl+R)", "alert")
    else:
        phase = (st.phase, "")
    return Status(turn, year, phase, following)


def save_status(game: Game) -> Span:
    if game.writer is None:
        return ("NOT SAVED", "error")
    if game.save_problem is not None:
        why = game.save_problem.rsplit(": ", 1)[-1]  # "the disk is full"
        return (f"NOT SAVED ({why}): retrying", "error")
    return (f"✓ saved ({game.records})", "ok")


def save_problem_text(problem: str) -> str:
    """What a shell says when the disk refuses the save (the problem names the file)."""
    return (
        f"{problem}. The game goes on in memory and is saved as soon as the disk takes it "
        "(wargame tries again every few seconds); quitting now would lose what is not saved."
    )
