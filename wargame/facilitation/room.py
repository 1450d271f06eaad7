"""What the projected situation room says: the public log of each step, the teams' activity and
the status line. Words and their emphasis only; a front end chooses how emphasis looks (the
terminal UI maps it to theme styles).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from wargame.facilitation import story
from wargame.facilitation.text import role_name
from wargame.pending import AdjudicationDue, ChanceDue, GameOver, OrdersDue

if TYPE_CHECKING:
    from wargame.engine import Step
    from wargame.facilitation.controller import Game
    from wargame.state import State
    from wargame.tables import Tables

Span = tuple[str, str]
"""Text and its emphasis: '' (plain), 'strong', 'accent', 'alert', 'error' or 'ok'."""


def draw_waiting(game: Game) -> str:
    """What the room and the resolution say while a draw waits after an undo. From the same
    position the draw repeats the undone one (`Session.draw_seq`): an undo cannot be used to
    roll again (the White Cell overrides a roll instead, with a reason)."""
    again = game.session.redrawn_step()
    if again is not None:
        what = describe_step(game, again)
        return (
            "A draw is waiting: press Ctrl+R to draw it, or Ctrl+U to undo further. It draws "
            f"the same as the one undone ({what}): chance is fixed for each position"
        )
    return (
        "A draw is waiting: press Ctrl+R to draw it, or Ctrl+U to undo further. The position "
        "has changed since the last draw, so the result may differ"
    )


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


def roll_subject(game: Game, st: State) -> str:
    """The card a roll in `st` is for, and whose it is: '“Trade mission” (Team Red (…))'."""
    t = game.tables
    if not st.queue:
        return "a card"
    item = st.queue[0]
    c = t.cards[item.card]
    who = game.team(item.owner) if item.owner >= 0 else ("inject" if c.inject_only else "event")
    return f"“{c.title}” ({who})"


def describe_step(game: Game, index: int) -> str:
    """A step as the White Cell's undo question names it ('an order by Team Red (…)', 'the
    acceptance of the roll for “Trade mission” (Team Red (…)): success')."""
    from wargame.actions import Accept, Chance, Inject, Order, Override, Pass, describe

    t = game.tables
    step = game.session.steps[index]
    a = step.action
    st = step.before
    if isinstance(a, Order) and st.phase == "orders":
        return f"an order by {game.team(t.role_index[a.role])}"
    if isinstance(a, Pass) and a.role in t.role_index:
        return f"the commit of {game.team(t.role_index[a.role])}"
    if isinstance(a, Chance):
        if isinstance(a.outcome, tuple):
            return "the shuffle of a deck"
        return f"the roll drawn for {roll_subject(game, st)}: {a.outcome}"
    if isinstance(a, Accept):
        drawn = str(st.pending[1]) if st.pending is not None else ""
        return f"the acceptance of the roll for {roll_subject(game, st)}: {drawn}"
    if isinstance(a, Inject):
        title = t.cards[t.card_index[a.card]].title if a.card in t.card_index else a.card
        return f"the inject of “{title}”"
    if isinstance(a, Override):
        return f"the override of the roll for {roll_subject(game, st)} to {a.outcome} ({a.reason})"
    return describe(a)


def undo_consequences(game: Game, index: int) -> list[str]:
    """What else an undo of step `index` does, in plain words for its confirmation: the draws
    taken back with it (and whether drawing again repeats them), the bots that decide again,
    and the seats it does not hand back."""
    from wargame.actions import Chance

    out = []
    draws = [i for i in game.draws_after(index) if isinstance(game.session.steps[i].action, Chance)]
    if draws:
        out.append(
            "Taken back with it: "
            + "; ".join(describe_step(game, i) for i in draws)
            + ". Drawn again from the same position, a roll comes out the same; from a changed "
            "one, it may differ."
        )
    moved = list(dict.fromkeys(game.reseats_after(index)))
    if moved:
        # Whichever way the seat went since (to a bot, or back to people), it stays there.
        def holder(r: int) -> str:
            text = game.seat_text(r)
            if game.is_bot(r):
                return f"the {text}"
            return text if text.startswith("team ") else "its team of people"

        who = " and ".join(f"{role_name(game.tables, r)} stays with {holder(r)}" for r in moved)
        out.append(f"An undo does not change who plays a role: {who} (Ctrl+B changes it).")
    return out


def bots_redo_text(game: Game, roles: list[int]) -> str:
    """An undo's confirmation, on the bots whose moves go with it."""
    names = " and ".join(dict.fromkeys(game.team(r) for r in roles))
    many = len(set(roles)) > 1
    return (
        f"What the {names} bot{'s' * many} did since is taken back with it; "
        f"{'they decide' if many else 'it decides'} again."
    )


@dataclass(frozen=True, slots=True)
class UndoQuestion:
    """What the White Cell's undo asks before it acts (every front end asks the same)."""

    question: str
    """The confirmation's words; '' when there is nothing to undo (`reason` says why)."""
    forced: bool = False
    """Only a forced undo reaches it: confirmed, then recorded with a reason."""
    reason: str = ""
    """Why nothing can be undone (with `question` empty)."""


def undo_question(game: Game) -> UndoQuestion:
    """The White Cell's undo (Ctrl+U): what it would take back, and whether it must be forced."""
    target = game.people_undo_target(False)
    forced = isinstance(target, str)
    index = game.people_undo_target(True) if forced else target
    if isinstance(index, str):
        return UndoQuestion("", reason=index)
    what = describe_step(game, index)
    bots = game.bot_steps_after(index)
    more = [bots_redo_text(game, bots)] if bots else []
    more += undo_consequences(game, index)
    also = "".join(f"\n\n{x}" for x in more)
    if not forced:
        return UndoQuestion(f"Undo: {what}?{also}")
    assert isinstance(target, str)
    return UndoQuestion(
        f"{target[0].upper()}{target[1:]}.\n\nForce the undo of: {what}?{also}\n\n"
        "The White Cell may do this; it is recorded with a reason.",
        forced=True,
    )


class InjectChoice(NamedTuple):
    """An event card the White Cell may inject now."""

    card: str
    title: str
    kind: str
    """'inject' (only the White Cell plays it) or 'event'."""
    text: str
    """The card's text on one line."""


def inject_choices(game: Game) -> list[InjectChoice]:
    t = game.tables
    out = []
    for ci in game.legal_injects():
        c = t.cards[ci]
        spec = game.names.cards.get(c.id)
        text = " ".join(spec.text.split()) if spec is not None else ""
        out.append(InjectChoice(c.id, c.title, "inject" if c.inject_only else "event", text))
    return out


def why_no_inject(game: Game) -> str:
    """Why no event can be injected now (when `inject_choices` is empty)."""
    due = game.pending()
    if isinstance(due, OrdersDue):
        return "every event card has been played"
    return (
        "the rules resolve the roll under way first"
        + (" (a draw is waiting: Ctrl+R draws it)" if isinstance(due, ChanceDue) else "")
        + "; an event can be injected while the teams give orders"
    )


class TeamRow(NamedTuple):
    """One seated role in the Teams panel."""

    role: int
    seat: str
    """Who plays it: the name the team typed at setup ('team Red'), 'human team' when it
    gave none, or the bot; a seat handed over mid-game says since when ('greedy bot, from
    turn 3')."""
    short: str
    """The same where space is short: 'Red', 'bot from turn 3'."""
    activity: str
    """'deciding (2)', '✓ committed', 'thinking…' or ''."""


def seat_labels(game: Game, r: int) -> tuple[str, str]:
    """`TeamRow.seat` and `TeamRow.short` of role `r`."""
    from wargame.actions import Reseat
    from wargame.seats import BotSeat, HumanSeat

    seat = game.seat(r)
    rid = game.tables.roles[r].id
    since = [
        s.before.turn
        for s in game.session.steps
        if isinstance(s.action, Reseat) and s.action.role == rid
    ]
    after = f"from turn {since[-1]}" if since else ""
    if isinstance(seat, HumanSeat):
        # Beside the role's name: "China human team" ("China people" reads as a nation).
        name = game.seat_text(r)
        short = name.removeprefix("team ")
    else:
        name = seat.describe()
        short = f"{seat.bot} bot" if isinstance(seat, BotSeat) else name
    if after:
        return f"{name}, {after}", f"bot {after}" if isinstance(seat, BotSeat) else short
    return name, short


def team_rows(game: Game) -> list[TeamRow]:
    """Each seated role: who plays it and what it is doing ('deciding (2)', '✓ committed')."""
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
        rows.append(TeamRow(r, *seat_labels(game, r), activity))
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
