"""Turning points: the records with the largest swings, each with a one-line reason.

One finder for every front end: the end screen of `wargame play` (through `story.story`), the
replay screen, `wargame replay --text` and `wargame report` all list what this returns, so they
agree. A swing is a lead change, a large VP swing, a country changing status, an alliance made
or lost, an institution bridged or joined, a track jump, or a decisive roll (an unlikely
outcome, or one the White Cell overrode).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wargame.actions import Accept, Chance, Inject, Override, Pass, Undo
from wargame.facilitation.text import join_words, possessive, role_name

if TYPE_CHECKING:
    from wargame.engine import Step
    from wargame.state import State
    from wargame.tables import Tables

UNLIKELY = 35
"""A roll is decisive when it went the way it had at most this chance (in percent) to go."""

TRACK_JUMP = 2
"""A track moving at least this much in one record is a jump."""

VP_SWING = 3
"""A team outscoring every other by at least this much in one scoring, or gaining this much
VP from one card, is a swing."""


@dataclass(frozen=True, slots=True)
class TurningPoint:
    """One record that changed the game."""

    record: int
    """Its number in the steps given (from 1): the record number of a debrief."""
    turn: int
    year: int
    kind: str
    """The largest swing in it: lead | status | alliance | institution | vp | track | roll."""
    text: str
    """What changed, in one line ('Bangladesh: non-aligned → aligned with China')."""
    reason: str
    """What did it ('as China's “Invite 15,000 foreign party members” resolved', 'after the
    event “Blurred lines”', 'in the drift at the end of the turn'); '' when the text says it."""
    weight: int
    """How large the swing is (for choosing the largest)."""

    @property
    def line(self) -> str:
        """'Turn 3 (2021): Bangladesh: … → … — after …'."""
        why = f" — {self.reason}" if self.reason else ""
        return f"Turn {self.turn} ({self.year}): {self.text}{why}"

    @property
    def short(self) -> str:
        """`line` with its largest swing only and the first part of its reason, where room is
        short (the story on the end screen)."""
        text = self.text.split("; ", 1)[0]
        why = self.reason.split(", then ", 1)[0]
        why = f" — {why}" if why else ""
        return f"Turn {self.turn} ({self.year}): {text}{why}"


def lead_changes(final: State) -> list[tuple[int, str, int]]:
    """(turn, line, weight) for each turn the lead changed hands, read from the scores."""
    t = final.tables
    out: list[tuple[int, str, int]] = []
    leader: tuple[int, ...] = ()
    for turn in range(1, (len(final.vp[0]) if final.vp else 0) + 1):
        totals = {r: sum(final.vp[r][:turn]) for r in range(len(t.roles)) if final.present[r]}
        if not totals:
            break
        best = max(totals.values())
        top = tuple(r for r, v in totals.items() if v == best)
        if top != leader:
            year = t.start_year + (turn - 1) * t.years_per_turn
            names = join_words([role_name(t, r) for r in top])
            if len(top) > 1:
                out.append(
                    (turn, f"Turn {turn} ({year}): {names} share the lead on {best} VP.", 500)
                )
            else:
                verb = "takes the lead" if leader else "leads"
                weight = 800 if leader else 300
                out.append((turn, f"Turn {turn} ({year}): {names} {verb} with {best} VP.", weight))
            leader = top
    return out


def subject(t: Tables, owner: int, card: int, targets: tuple[int, ...]) -> str:
    """A card in play named with its player: 'China's “Secretariats cooperate” (SCO, CICA)',
    'the event “Xiangshan Forum cancelled”'."""
    from wargame.bots.naming import target_names

    c = t.cards[card]
    names = target_names(t, c, targets, short=True)
    where = f" ({', '.join(names)})" if names else ""
    if owner < 0:
        return f"the {'inject' if c.inject_only else 'event'} “{c.title}”{where}"
    return f"{possessive(role_name(t, owner))} “{c.title}”{where}"


def resolved(step: Step) -> list[str]:
    """The cards one record resolved (a roll settles one card, and the resolution runs on
    through every card that needs no roll), named with their players."""
    b, a = step.before, step.after
    if not b.queue:
        return []
    done = len(b.queue) if (a.turn != b.turn or a.over) else len(b.queue) - len(a.queue)
    return [
        subject(b.tables, it.owner, it.card, tuple(it.targets)) for it in b.queue[: max(done, 0)]
    ]


def roll_of(step: Step) -> tuple[str, int, str, str] | None:
    """For a record that settled a roll: (what was rolled for, its chance, the outcome that
    counted, the override's reason or ''); None for any other record."""
    a, b = step.action, step.before
    if not b.queue or b.pending is None:
        return None
    it = b.queue[0]
    what = subject(b.tables, it.owner, it.card, tuple(it.targets))
    if isinstance(a, Chance) and isinstance(a.outcome, str) and b.pending[0] == "roll":
        if step.after.pending is not None and step.after.pending[0] == "adjudicate":
            return None  # drawn, but the White Cell settles it in the next record
        return what, int(b.pending[1]), a.outcome, ""
    if isinstance(a, Accept) and b.pending[0] == "adjudicate":
        return what, int(b.pending[2]), str(b.pending[1]), ""
    if isinstance(a, Override) and b.pending[0] == "adjudicate":
        return what, int(b.pending[2]), a.outcome, a.reason
    return None


def cause(step: Step) -> str:
    """What made a record's changes, in a few words ('' for none worth naming)."""
    a = step.action
    t = step.before.tables
    roll = roll_of(step)
    if roll is not None:
        what, chance, outcome, reason = roll
        verb = "succeeded" if outcome == "success" else "failed"
        if isinstance(a, Override):
            head = f"the White Cell ruled that {what} {verb} ({reason})"
        else:
            head = f"{what} {verb} (it had {chance}% to succeed)"
        rest = resolved(step)[1:]
        if rest:
            more = f" and {len(rest) - 3} more" if len(rest) > 3 else ""
            return f"as {head}, then {join_words(rest[:3])}{more} resolved"
        return f"as {head}"
    if isinstance(a, Inject):
        title = t.cards[t.card_index[a.card]].title if a.card in t.card_index else a.card
        return f"after the White Cell injected “{title}”"
    event = next((x for x in step.log if x.startswith(("Event: ", "Inject: "))), "")
    if event:
        return f"after the {event.split(':', 1)[0].lower()} “{event.split(': ', 1)[1]}”"
    if isinstance(a, Pass) and step.after.phase != step.before.phase:
        return "as the orders were revealed and resolved"
    if step.after.turn != step.before.turn or step.after.over != step.before.over:
        return SCORING
    return ""


Part = tuple[str, str, int, tuple[str, ...]]
"""(kind, text, weight, keys): one swing, and the names whose lines in the narrative say
what made it (a country's, a track's)."""


def blame(step: Step, keys: Sequence[str]) -> str:
    """Which part of a record made a change: the card (or the event, the scoring, the drift)
    whose lines in the record's narrative last name one of `keys`; '' when none does.

    A record that settles a roll runs on through every card that needs none, and a record that
    ends a turn through scoring and upkeep, so a change in it is not always the rolled card's.
    """
    import re

    if not any(keys):
        return ""
    t = step.before.tables
    titles = {c.title for c in t.cards}
    shorts = {r.short_name for r in t.scenario.roles}
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys if k) + r")(?!\w)")
    roll = roll_of(step)
    current = ""
    if roll is not None:
        what, chance, outcome, reason = roll
        verb = "succeeded" if outcome == "success" else "failed"
        current = (
            f"as the White Cell ruled that {what} {verb} ({reason})"
            if reason
            else f"as {what} {verb} (it had {chance}% to succeed)"
        )
    found = ""
    for line in step.log:
        if not line.startswith(" "):
            who, sep, title = line.partition(": ")
            if sep and title in titles and (who in shorts or who in ("Event", "Inject")):
                if who in ("Event", "Inject"):
                    current = f"after the {who.lower()} “{title}”"
                else:
                    current = f"as {possessive(who)} “{title}” resolved"
                continue
            if any(line.startswith(f"{x} scores ") for x in shorts):
                current = SCORING
                continue
            if line.startswith("Drift: "):
                current = "in the drift at the end of the turn"
                continue
        if current and pattern.search(line):
            found = current
    return found


def _parts(step: Step) -> list[Part]:
    """Every swing in one record."""
    from wargame.facilitation.changes import diff_states

    b, a = step.before, step.after
    t = b.tables
    out: list[Part] = []
    for ch in diff_states(b, a):
        country = (ch.text.split(": ", 1)[0],)
        if ch.kind == "status":
            out.append(("status", ch.text, ch.weight, country))
        elif ch.kind == "alliance" and ch.weight >= 400:
            out.append(("alliance", ch.text, ch.weight, country))
        elif ch.kind in ("bridge", "member"):
            out.append(("institution", ch.text, ch.weight, (ch.text,)))
        elif ch.kind == "track":
            i = next(k for k, tr in enumerate(t.scenario.tracks) if ch.text.startswith(tr.name))
            if abs(a.tracks[i] - b.tracks[i]) >= TRACK_JUMP:
                tr = t.scenario.tracks[i]
                out.append(("track", ch.text, ch.weight * 2, (tr.name, tr.short_name)))
    seated = [r for r in range(len(t.roles)) if b.present[r]]
    gains = sorted(((sum(a.vp[r]) - sum(b.vp[r]), r) for r in seated), reverse=True)
    scoring = len(a.vp[seated[0]]) > len(b.vp[seated[0]]) if seated else False
    if gains and scoring and len(gains) > 1:
        (g1, r1), (g2, _) = gains[0], gains[1]
        if g1 - g2 >= VP_SWING:
            out.append(
                (
                    "vp",
                    f"{role_name(t, r1)} scores {g1:+d} VP, {g1 - g2} more than any other team",
                    100 * (g1 - g2),
                    (),
                )
            )
    elif gains and not scoring:
        for g, r in gains:
            if abs(g) >= VP_SWING:
                out.append(
                    (
                        "vp",
                        f"{role_name(t, r)} {'gains' if g > 0 else 'loses'} {abs(g)} VP",
                        100 * abs(g),
                        (),
                    )
                )
    roll = roll_of(step)
    if roll is not None:
        what, chance, outcome, reason = roll
        went = chance if outcome == "success" else 100 - chance
        verb = "succeeds" if outcome == "success" else "fails"
        if reason:
            out.append(("roll", f"the White Cell overrides the roll: {what} {verb}", 600, ()))
        elif went <= UNLIKELY:
            out.append(
                (
                    "roll",
                    f"against the odds, {what} {verb} ({went}% chance)",
                    300 + 8 * (UNLIKELY - went),
                    (),
                )
            )
    return out


SCORING = "in the scoring and upkeep at the end of the turn"


def _reason(step: Step, kind: str, keys: tuple[str, ...], *, fallback: bool = True) -> str:
    """What made one swing of a record: a lead or a scoring swing comes from the scoring (even
    in a record that settles a roll first); another from the part of the record whose lines
    name it (`blame`), else (with `fallback`) the record's own cause."""
    if kind == "roll":
        return ""
    if kind in ("vp", "lead") and not keys:
        b, a = step.before, step.after
        scored = any(len(x) != len(y) for x, y in zip(a.vp, b.vp, strict=True))
        if scored or a.turn != b.turn or a.over != b.over:
            return SCORING
    found = blame(step, keys) if keys else ""
    return found or (cause(step) if fallback else "")


def turning_points(
    steps: Sequence[Step], final: State | None = None, *, limit: int = 8
) -> list[TurningPoint]:
    """The `limit` records of `steps` with the largest swings, in the order they happened.
    Records taken back (and the undos themselves) are not part of the game that stands."""
    from wargame.facilitation.changes import crossings

    if not steps:
        return []
    t = steps[0].before.tables
    end = final if final is not None else steps[-1].after
    found: dict[int, list[Part]] = {}
    for i, s in enumerate(steps):
        if s.undone or isinstance(s.action, Undo):
            continue
        parts = _parts(s)
        if parts:
            found[i] = parts
    ends = crossings(steps)
    for turn, line, weight in lead_changes(end):
        at = ends.get(turn)
        if at is None:
            continue
        i = at
        text = line.split(": ", 1)[1].rstrip(".")
        found.setdefault(i, []).append(("lead", text, weight, ()))
    points = []
    for i, parts in found.items():
        parts.sort(key=lambda p: -p[2])
        s = steps[i]
        kind, text, _, keys = parts[0]
        reason = _reason(s, kind, keys)
        more = []
        for other in parts[1:3]:
            if other[0] == "roll":
                continue  # the reason names the roll
            # A record that settles a roll runs on into the scoring and upkeep: a change the
            # first one's reason does not account for says its own.
            why = _reason(s, other[0], other[3], fallback=False)
            more.append(other[1] + (f", {why}" if why and why != reason else ""))
        if more:
            text += "; " + "; ".join(more)
        if len(parts) > 3:
            text += f" (and {len(parts) - 3} more)"
        turn = min(s.before.turn, t.turns)
        year = t.start_year + (turn - 1) * t.years_per_turn
        weight = sum(p[2] for p in parts)
        points.append(TurningPoint(i + 1, turn, year, kind, text, reason, weight))
    points.sort(key=lambda p: (-p.weight, p.record))
    return sorted(points[:limit], key=lambda p: p.record)
