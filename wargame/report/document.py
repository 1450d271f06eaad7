"""The debrief report's content, independent of its format: what `markdown`, `html` and `rows`
render. Everything is read from the debrief model (`wargame.facilitation.debrief`), so the
report says what the replay says, in the same words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wargame.facilitation.entries import KINDS

if TYPE_CHECKING:
    from wargame.facilitation.debrief import Debrief, Entry, Series
    from wargame.facilitation.objectives import ObjectiveRow
    from wargame.facilitation.tilemap import MapView
    from wargame.facilitation.turning import TurningPoint

TIMELINE_KINDS = frozenset(KINDS) - {"shuffle"}
"""The kinds of records the per-turn timeline lists (shuffles and bookkeeping are left out)."""


@dataclass
class Team:
    """One seated role at the end of the save."""

    role: int
    name: str
    seat: str
    place: int
    vp: int
    objectives: list[ObjectiveRow]
    orders: int
    """Orders that stood (not taken back)."""
    successes: int
    failures: int
    concepts: list[tuple[str, int]]
    """Card tags of its orders, most used first: the concepts it worked with."""
    cards: list[tuple[str, int]]
    """Its cards played, most played first."""
    notes: list[str]

    @property
    def met(self) -> int:
        return sum(1 for o in self.objectives if o.applies and o.score > 0)

    @property
    def applicable(self) -> int:
        return sum(1 for o in self.objectives if o.applies)

    @property
    def summary(self) -> str:
        """One paragraph: place, VP, orders and rolls, objectives, concepts."""
        rolls = self.successes + self.failures
        parts = [
            f"{self.name} finished {_ordinal(self.place)} with {self.vp} VP",
            f"gave {self.orders} order{'s' if self.orders != 1 else ''}"
            + (
                f" ({rolls} rolled: {self.successes} succeeded, {self.failures} failed)"
                if rolls
                else ""
            ),
            f"met {self.met} of its {self.applicable} objectives",
        ]
        text = ", ".join(parts[:-1]) + " and " + parts[-1] + "."
        if self.concepts:
            text += " It worked mostly with " + ", ".join(c for c, _ in self.concepts[:4]) + "."
        return text


@dataclass
class Turn:
    turn: int
    year: int
    vp: list[tuple[str, int, int]]
    """(team, VP this turn, total), best this turn first."""
    changes: list[str]
    """What changed over the turn, largest first."""
    entries: list[Entry]
    events: list[str] = field(default_factory=list)
    """The events that opened the turn ('Event: Blurred lines'), told by the record that ended
    the turn before."""


@dataclass
class TurnMap:
    """The map at the end of a turn, its moves counted from the turn's start."""

    turn: int
    year: int
    view: MapView


@dataclass
class CardPlayed:
    title: str
    played_by: list[str]
    times: int
    quote: str
    """The verbatim passage of the source text; empty when the card only cites a document."""
    note: int | None
    text: str
    """The card's explanation for students."""
    citation: str = ""
    """The document the card cites ('Author, Title, date, page, url'); empty when none."""


@dataclass
class Report:
    d: Debrief
    title: str
    save: str
    seed: int
    started: str
    engine: str
    facilitated: bool
    solo: bool
    """One team of people against bots (its player is his own White Cell)."""
    seats: list[tuple[str, str]]
    """(team, who played it)."""
    parent: str
    """'' or where this branch comes from."""
    banner: str
    records: int
    where: str
    """'game over (last turn played)' or 'turn 3 of 8, orders'."""
    teams: list[Team]
    turning: list[TurningPoint]
    story: list[str]
    turns: list[Turn]
    cards: list[CardPlayed]
    per_turn: Series
    """Chart series per turn (0 = the start)."""
    labels: list[str] = field(default_factory=list)
    """Each point of `per_turn.x` named for a chart's axis: 'start', then the year of each
    turn (its value at the end of that turn)."""
    maps: list[TurnMap] = field(default_factory=list)
    """One map per turn (small multiples), each with the moves of its turn."""
    final_map: MapView | None = None
    """The map at the last record, with the moves since the save's start."""


def rolls_text(facilitated: bool, solo: bool = False) -> str:
    """How the rolls were settled, in a sentence."""
    if facilitated and solo:
        return "A solo game: the player's and the bots' rolls stood as drawn"
    if facilitated:
        return "A White Cell adjudicated every roll (accepted it or overrode it, with a reason)"
    return "Every roll stood as drawn (no White Cell adjudicated)"


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(n, f"#{n}")


def tag_words(tag: str) -> str:
    return tag.replace("_", " ").replace("-", " ")


def build(d: Debrief) -> Report:
    """The report of a debrief."""
    from wargame.actions import Order, Reseat
    from wargame.facilitation.objectives import objective_rows
    from wargame.facilitation.text import Names, role_name
    from wargame.rules import ranking
    from wargame.seats import seat_from_text

    t = d.tables
    h = d.header
    names = Names(t)
    final = d.state_at(d.records)
    where = (
        f"game over ({final.ended_by})"
        if final.over
        else f"turn {final.turn} of {t.turns}, {final.phase}"
    )
    later: dict[str, list[str]] = {}
    for k, step in enumerate(d.steps, start=1):
        a = step.action
        if isinstance(a, Reseat):
            seat = seat_from_text(a.seat, optional=False, role=a.role).describe()
            later.setdefault(a.role, []).append(f"then the {seat} from record {k}")
    seats = [
        (
            role_name(t, r.index),
            "; ".join([h.seats[r.id].describe() if r.id in h.seats else "?", *later.get(r.id, [])]),
        )
        for r in t.roles
    ]
    parent = ""
    if h.parent:
        parent = f"a branch of {h.parent.get('file', '?')} from record {h.parent.get('record')}"
    live = [e for e in d.entries if not e.undone]
    teams = []
    for place, r in enumerate(ranking(final), start=1):
        mine = [e for e in live if e.role == r]
        orders = [e for e in mine if e.kind == "order"]
        rolls = [
            e
            for e in live
            if e.kind in ("roll", "accept", "override") and not e.adjudicated and e.owner == r
        ]
        concepts: Counter[str] = Counter()
        cards: Counter[str] = Counter()
        for e in orders:
            cards[e.card] += 1
        for s in d.steps:
            a = s.action
            if not s.undone and isinstance(a, Order) and a.role == t.roles[r].id:
                for tag in names.cards[a.card].tags:
                    concepts[tag_words(tag)] += 1
        teams.append(
            Team(
                r,
                role_name(t, r),
                seats[r][1],
                place,
                sum(final.vp[r]),
                objective_rows(final, r),
                len(orders),
                sum(1 for e in rolls if e.outcome == "success"),
                sum(1 for e in rolls if e.outcome == "failure"),
                concepts.most_common(),
                cards.most_common(),
                [e.reason for e in mine if e.kind == "note"],
            )
        )
    opened = {e.turn + 1: e.opens for e in d.entries if e.opens and not e.undone}
    turns = []
    for n in d.turns():
        summ = d.summary(n)
        turns.append(
            Turn(
                n,
                summ.year,
                [(role_name(t, r), gained, total) for r, gained, total in summ.vp],
                [c.text for c in summ.changes],
                [
                    e
                    for e in d.entries
                    if e.turn == n
                    and e.kind in TIMELINE_KINDS
                    and not e.noise
                    and not e.adjudicated
                ],
                [x.strip() for x in opened.get(n, ()) if x.startswith(("Event: ", "Inject: "))],
            )
        )
    maps, final_map = maps_of(d)
    per_turn = d.series("turn")
    labels = [
        "start" if n == 0 else str(t.start_year + (n - 1) * t.years_per_turn) for n in per_turn.x
    ]
    return Report(
        d=d,
        title=t.scenario.title,
        save=d.path.name,
        seed=h.seed,
        started=h.started,
        engine=h.engine,
        facilitated=h.facilitated,
        solo=d.solo,
        seats=seats,
        parent=parent,
        banner=d.banner,
        records=d.records,
        where=where,
        teams=teams,
        turning=d.turning_points(),
        story=d.story(),
        turns=turns,
        cards=_cards_played(d, live),
        per_turn=per_turn,
        labels=labels,
        maps=maps,
        final_map=final_map,
    )


def maps_of(d: Debrief) -> tuple[list[TurnMap], MapView]:
    """The map at the end of each turn (its moves since the turn's start), and at the end (its
    moves since the save's start)."""
    from wargame.facilitation.tilemap import map_view

    t = d.tables
    states = d.turn_states()
    out = []
    for k, n in enumerate(d.turns()):
        if k + 1 >= len(states):
            break
        year = t.start_year + (n - 1) * t.years_per_turn
        out.append(TurnMap(n, year, map_view(states[k + 1], states[k], f"in turn {n} ({year})")))
    return out, map_view(states[-1], states[0], "over the game")


def _cards_played(d: Debrief, live: list[Entry]) -> list[CardPlayed]:
    """Every card that came into play (orders, events, injects), with its source passage."""
    from wargame.facilitation.text import Names

    t = d.tables
    names = Names(t)
    by_title = {c.title: c for c in names.cards.values()}
    seen: dict[str, CardPlayed] = {}
    for e in live:
        if e.kind not in ("order", "event", "inject") or not e.card:
            continue
        card = by_title.get(e.card)
        if card is None:
            continue
        who = e.actor if e.kind == "order" else "White Cell" if e.kind == "inject" else "Event"
        got = seen.get(card.id)
        if got is None:
            cited = card.source.citation
            got = seen[card.id] = CardPlayed(
                card.title,
                [],
                0,
                card.source.quote or "",
                card.source.note,
                card.text,
                cited.describe() if cited else "",
            )
        got.times += 1
        if who not in got.played_by:
            got.played_by.append(who)
    return sorted(seen.values(), key=lambda c: (-c.times, c.title))
