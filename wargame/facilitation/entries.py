"""One journal record in words: the `Entry` every debrief front end lists.

Card titles and country names, never ids; who acted; why (a rationale, a bot's explanation in
words with its numbers apart, an override's or undo's reason, a note); what it did (the
narrative lines); and who could see it when it was made (an order is its team's alone until
the reveal). Built by `debrief.Debrief`, which owns the journal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

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
from wargame.facilitation import story
from wargame.facilitation.history import BOT_DECIDES_AGAIN, TEAM_TAKE_BACK, WHITE_CELL
from wargame.facilitation.text import possessive, role_name
from wargame.observe import FACILITATOR

if TYPE_CHECKING:
    from wargame.engine import Session, Step
    from wargame.facilitation.history import GameHistory
    from wargame.state import State
    from wargame.tables import Tables


class Reader(Protocol):
    """What `entry_of` reads from the debrief (`debrief.Debrief` is one)."""

    tables: Tables
    session: Session
    narrator: GameHistory

    @property
    def solo(self) -> bool:
        """One team of people against bots: no White Cell, every roll stands as drawn."""
        ...

    def reveal_record(self, turn: int) -> int | None: ...


CHANCE = "Chance"
"""The actor of a draw (a roll or a shuffle)."""

KINDS = (
    "order",
    "commit",
    "take-back",
    "roll",
    "accept",
    "override",
    "undo",
    "inject",
    "note",
    "reseat",
    "event",
    "shuffle",
)
"""Every `Entry.kind`, in the order a legend lists them."""

Checkpoint = Literal["", "turn", "phase"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One record of the journal in words (card titles and country names, never ids)."""

    record: int
    """Its number, from 1, as `wargame verify` and `--to` count them."""
    turn: int
    """The turn it was played in (a record that ends a turn belongs to the turn it ends)."""
    year: int
    phase: str
    """The phase it was played in."""
    kind: str
    """One of `KINDS`."""
    actor: str
    """A team's name, `White Cell` or `Chance`."""
    role: int | None
    """The acting role's index, or None (the White Cell, chance)."""
    text: str
    """The record in one line, as the facilitator sees it."""
    reason: str = ""
    """Why: an order's or commit's rationale (a bot's explanation in words), an override's,
    undo's or inject's reason, a note's text."""
    details: str = ""
    """The numbers behind a bot's explanation (shown only on request)."""
    lines: tuple[str, ...] = ()
    """What it did, as the narrative tells it (the lines of its own turn)."""
    opens: tuple[str, ...] = ()
    """For a record that ended a turn: the lines that opened the next one (event, income)."""
    checkpoint: Checkpoint = ""
    """'turn' when a turn begins (or the game ends) after it, 'phase' when a phase does."""
    private_to: int | None = None
    """The role that alone could see it when it was made (an order before the reveal)."""
    revealed_at: int | None = None
    """The record that revealed it to every team, or None (never: taken back before)."""
    masked: str = ""
    """Its line as the other teams saw it before the reveal ('Order given by China (hidden
    until the reveal)'); '' for a public record."""
    noise: bool = False
    """A shuffle or bookkeeping record: kept, but folded away by default."""
    undone: bool = False
    """Taken back later (it stays in the journal, and in the debrief)."""
    card: str = ""
    """The card's title (orders, rolls, overrides, injects, events)."""
    targets: tuple[str, ...] = ()
    """The order's targets by name."""
    outcome: str = ""
    """success / failure for a roll, an accepted or overridden roll."""
    chance: int | None = None
    """The roll's chance in percent."""
    owner: int | None = None
    """For a roll, an accepted or an overridden roll: the role whose card it was (None for an
    event's)."""
    adjudicated: bool = False
    """A roll drawn for the White Cell to adjudicate: the next record accepts or overrides it
    (a summary can show that record alone)."""
    hidden: bool = False
    """True in a team's view when this is another team's record it could not see yet (then
    `text` is `masked` and reason, details, card and targets are empty)."""

    @property
    def effects(self) -> tuple[str, ...]:
        """`lines` less those that restate the entry itself (its event, its roll, its
        override's reason), stripped: what a timeline prints under the entry."""
        out = []
        for line in self.lines:
            x = line.strip()
            if not x or x == self.text or x.startswith(("roll at ", "overridden by the ")):
                continue
            out.append(x)
        return tuple(out)

    @property
    def title(self) -> str:
        """'Turn 3 (2021), orders'."""
        return f"Turn {self.turn} ({self.year}), {self.phase}"

    def is_hidden_from(self, viewpoint: str, role: int | None, at: int | None = None) -> bool:
        """Could `viewpoint` (role index `role`) not see this at cursor `at` (default: when it
        was made)?"""
        if viewpoint == FACILITATOR or self.private_to is None or self.private_to == role:
            return False
        when = self.record if at is None else at
        return self.revealed_at is None or when < self.revealed_at


# ---------------------------------------------------------------------- one record in words

_BOOKKEEPING: tuple[str, ...] = ()


def _bookkeeping() -> tuple[str, ...]:
    global _BOOKKEEPING
    if not _BOOKKEEPING:
        from wargame.facilitation.clock import SUMMARY_READ
        from wargame.facilitation.controller import ACCEPT_BOT_ROLLS, CONFIRM_BOT_ROLLS

        _BOOKKEEPING = (SUMMARY_READ, ACCEPT_BOT_ROLLS, CONFIRM_BOT_ROLLS)
    return _BOOKKEEPING


def _targets(t: Tables, card_id: str, ids: Sequence[str]) -> tuple[int, tuple[int, ...]]:
    ci = t.card_index[card_id]
    card = t.cards[ci]
    kind = card.target_kind or "country"
    return ci, tuple(t.idx[kind][x] for x in ids)


def order_words(t: Tables, card: int, targets: tuple[int, ...]) -> tuple[str, tuple[str, ...]]:
    """An order as a person names it ('Secretariats cooperate (SCO, CICA)') and its targets."""
    from wargame.bots.naming import order_text, target_names

    c = t.cards[card]
    return order_text(t, card, targets, short=True), tuple(target_names(t, c, targets, short=True))


def _item_of(st: State) -> tuple[int, int, tuple[int, ...]] | None:
    """(owner, card, targets) of the item at the head of the resolution queue."""
    if not st.queue:
        return None
    it = st.queue[0]
    return it.owner, it.card, tuple(it.targets)


def _subject(t: Tables, owner: int, card: int, targets: tuple[int, ...]) -> str:
    from wargame.facilitation.turning import subject

    return subject(t, owner, card, targets)


def _checkpoint(step: Step) -> Checkpoint:
    b, a = step.before, step.after
    if a.turn != b.turn or a.over != b.over:
        return "turn"
    if a.phase != b.phase:
        return "phase"
    return ""


def entry_of(d: Reader, k: int, step: Step) -> Entry:
    """Record `k` of debrief `d` in words."""
    from wargame.bots.naming import order_text, split_details

    t = d.tables
    a: Action = step.action
    b = step.before
    turn = min(b.turn, t.turns)
    year = t.start_year + (turn - 1) * t.years_per_turn
    crossing = story.is_crossing(step) or (not isinstance(a, Undo) and step.after.turn != b.turn)
    if isinstance(a, Undo):
        lines: tuple[str, ...] = ()
        opens: tuple[str, ...] = ()
    elif crossing:
        lines = tuple(story.lines_of_turn(step, b.turn))
        opens = tuple(step.log[len(lines) :])
    else:
        lines = tuple(step.log)
        opens = ()
    base: dict[str, Any] = {
        "record": k,
        "turn": turn,
        "year": year,
        "phase": b.phase,
        "lines": lines,
        "opens": opens,
        "checkpoint": _checkpoint(step),
        "undone": step.undone,
    }
    narr = d.narrator.narrative(step)
    if isinstance(a, Order):
        r = t.role_index[a.role]
        ci, tg = _targets(t, a.card, a.targets)
        words, names = order_words(t, ci, tg)
        plain, details = split_details(a.rationale)
        # A bot's explanation opens with the order itself: the entry already says it.
        said = order_text(t, ci, tg) + ", "
        plain = plain[len(said) :] if plain.startswith(said) else plain
        return Entry(
            kind="order",
            actor=role_name(t, r),
            role=r,
            text=f"{role_name(t, r)} orders {words}",
            reason=plain,
            details=details,
            private_to=r,
            revealed_at=None if step.undone else d.reveal_record(b.turn),
            masked=narr[0] if narr else f"Order given by {role_name(t, r)}",
            card=t.cards[ci].title,
            targets=names,
            **base,
        )
    if isinstance(a, Pass):
        r = t.role_index[a.role]
        plain, details = split_details(a.rationale)
        reveal = b.phase == "orders" and _checkpoint(step) != ""
        text = f"{role_name(t, r)} commits its orders"
        if reveal:
            text += " — every team's orders are revealed"
        return Entry(
            kind="commit",
            actor=role_name(t, r),
            role=r,
            text=text,
            reason=plain,
            details=details,
            private_to=r if plain else None,
            revealed_at=None if step.undone else d.reveal_record(b.turn),
            masked=text,
            **base,
        )
    if isinstance(a, Chance):
        if isinstance(a.outcome, tuple):
            event = next((x for x in step.log if x.startswith("Event: ")), "")
            if event:
                return Entry(
                    kind="event",
                    actor=CHANCE,
                    role=None,
                    text=event,
                    card=event.removeprefix("Event: "),
                    **base,
                )
            deck = b.pending[1] if b.pending is not None else -1
            whose = "the events deck" if deck < 0 else f"{possessive(role_name(t, int(deck)))} deck"
            return Entry(
                kind="shuffle",
                actor=CHANCE,
                role=None,
                text=f"Chance shuffles {whose} ({len(a.outcome)} cards)",
                noise=True,
                **base,
            )
        item = _item_of(b)
        chance = int(b.pending[1]) if b.pending is not None and b.pending[0] == "roll" else None
        subject = _subject(t, *item) if item is not None else "a card"
        odds = f" ({chance}% to succeed)" if chance is not None else ""
        adjudicated = step.after.pending is not None and step.after.pending[0] == "adjudicate"
        if adjudicated:
            text = f"Chance draws {a.outcome} for {subject}{odds}; the White Cell adjudicates"
        else:
            text = f"Roll for {subject}{odds}: {a.outcome}"
        return Entry(
            kind="roll",
            actor=CHANCE,
            role=None,
            text=text,
            card=t.cards[item[1]].title if item is not None else "",
            targets=order_words(t, item[1], item[2])[1] if item is not None else (),
            outcome=str(a.outcome),
            chance=chance,
            adjudicated=adjudicated,
            owner=item[0] if item is not None and item[0] >= 0 else None,
            **base,
        )
    if isinstance(a, Accept | Override):
        item = _item_of(b)
        pend = b.pending
        drawn = str(pend[1]) if pend is not None else ""
        chance = int(pend[2]) if pend is not None and len(pend) > 2 else None
        subject = _subject(t, *item) if item is not None else "the roll"
        card = t.cards[item[1]].title if item is not None else ""
        targets = order_words(t, item[1], item[2])[1] if item is not None else ()
        owner = item[0] if item is not None and item[0] >= 0 else None
        odds = f" ({chance}% to succeed)" if chance is not None else ""
        if isinstance(a, Accept):
            # In solo play nobody adjudicates: the roll stands as drawn (no White Cell).
            return Entry(
                kind="accept",
                actor=CHANCE if d.solo else WHITE_CELL,
                role=None,
                text=(
                    f"The roll for {subject}{odds} stands: {drawn}"
                    if d.solo
                    else f"{WHITE_CELL} accepts the roll for {subject}{odds}: {drawn}"
                ),
                owner=owner,
                card=card,
                targets=targets,
                outcome=drawn,
                chance=chance,
                **base,
            )
        return Entry(
            kind="override",
            actor=WHITE_CELL,
            role=None,
            text=f"{WHITE_CELL} overrides the roll for {subject}{odds}: {drawn} → {a.outcome}",
            owner=owner,
            reason=a.reason,
            card=card,
            targets=targets,
            outcome=a.outcome,
            chance=chance,
            **base,
        )
    if isinstance(a, Inject):
        title = t.cards[t.card_index[a.card]].title if a.card in t.card_index else a.card
        return Entry(
            kind="inject",
            actor=WHITE_CELL,
            role=None,
            text=f"{WHITE_CELL} injects “{title}”",
            reason=a.reason,
            card=title,
            **base,
        )
    if isinstance(a, Note):
        who = t.role_index.get(a.role) if a.role else None
        actor = role_name(t, who) if who is not None else WHITE_CELL
        return Entry(
            kind="note",
            actor=actor,
            role=who,
            text=f"Note ({actor}): {a.text}",
            reason=a.text,
            noise=a.text in _bookkeeping(),
            **base,
        )
    if isinstance(a, Reseat):
        return Entry(
            kind="reseat",
            actor=WHITE_CELL,
            role=t.role_index.get(a.role),
            text=narr[0] if narr else f"{WHITE_CELL} reseats {a.role}",
            reason=a.reason,
            **base,
        )
    assert isinstance(a, Undo)
    return _undo_entry(d, step, a, narr, base)


def _undo_entry(d: Reader, step: Step, a: Undo, narr: list[str], base: dict[str, Any]) -> Entry:
    t = d.tables
    steps = d.session.steps
    target = steps[step.undo_of] if 0 <= step.undo_of < len(steps) else None
    masked = narr[0] if narr else "undo"
    ta = target.action if target is not None else None
    if (
        target is not None
        and isinstance(ta, Order | Pass)
        and target.before.phase == "orders"
        and a.reason in (TEAM_TAKE_BACK, BOT_DECIDES_AGAIN)
    ):
        r = t.role_index[ta.role]
        who = role_name(t, r)
        if isinstance(ta, Order):
            ci, tg = _targets(t, ta.card, ta.targets)
            words, names = order_words(t, ci, tg)
            text = f"{who} takes back its order {words}"
            card = t.cards[ci].title
        else:
            text, names, card = f"{who} takes back its commit", (), ""
        if a.reason == BOT_DECIDES_AGAIN:
            text += " (the bot decides again)"
        return Entry(
            kind="take-back",
            actor=who,
            role=r,
            text=text,  # its reason is only the marker of a take-back: the text says it
            private_to=r if isinstance(ta, Order) else None,
            masked=masked,
            card=card,
            targets=names,
            **base,
        )
    text = masked
    private = None
    card = ""
    names = ()
    if target is not None and isinstance(ta, Order) and target.before.phase == "orders":
        r = t.role_index[ta.role]
        ci, tg = _targets(t, ta.card, ta.targets)
        words, names = order_words(t, ci, tg)
        why = f" ({a.reason})" if a.reason else ""
        text = f"{WHITE_CELL} undoes {possessive(role_name(t, r))} order {words}{why}"
        card = t.cards[ci].title
        private = r
    return Entry(
        kind="undo",
        actor=WHITE_CELL,
        role=None,
        text=text,
        reason=a.reason,
        private_to=private,
        masked=masked,
        card=card,
        targets=names,
        **base,
    )
