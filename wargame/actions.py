"""Actions: everything a seat, the facilitator or chance does, as plain typed data.

Actions name things by their scenario ids (not indices) so a journal line reads on its own and
survives a deck being reordered. `to_dict`/`action_from_dict` are the journal's wire format.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from wargame.errors import WargameError


@dataclass(frozen=True, slots=True)
class Order:
    """A role commits a card with its targets; hidden from the other seats until the reveal."""

    role: str
    card: str
    targets: tuple[str, ...] = ()
    rationale: str = ""


@dataclass(frozen=True, slots=True)
class Pass:
    """A role has finished committing orders this turn; `rationale` is why (a bot's
    explanation, or a team's "why?"), shown after the reveal like an order's."""

    role: str
    rationale: str = ""


@dataclass(frozen=True, slots=True)
class Chance:
    """The outcome chance produced: "success"/"failure" for a roll, or a shuffled pile's order
    (card ids, top first) for a shuffle."""

    outcome: str | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Accept:
    """The facilitator accepts the roll just drawn."""


@dataclass(frozen=True, slots=True)
class Override:
    """The facilitator replaces the roll just drawn, with a reason the debrief will show."""

    outcome: str
    reason: str


@dataclass(frozen=True, slots=True)
class Inject:
    """The facilitator puts an event card into play now."""

    card: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    """A remark for the record (facilitator or a team); changes nothing in the game."""

    text: str
    role: str = ""


@dataclass(frozen=True, slots=True)
class Undo:
    """Take back the last action not already undone. Refused across a chance outcome or the
    reveal of hidden orders unless the facilitator forces it."""

    force: bool = False
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Reseat:
    """The facilitator hands a role to someone else mid-game: a bot (`greedy:hard`), or a
    team of people (`human:Red`), in the command line's seat text (`wargame.seats`). Changes
    nothing in the game; who plays each role now is the header's seats with every standing
    Reseat applied in order (`wargame.seats.seating`)."""

    role: str
    seat: str
    reason: str = ""


Action = Order | Pass | Chance | Accept | Override | Inject | Note | Undo | Reseat

_TYPES: dict[str, type] = {
    "order": Order,
    "pass": Pass,
    "chance": Chance,
    "accept": Accept,
    "override": Override,
    "inject": Inject,
    "note": Note,
    "undo": Undo,
    "reseat": Reseat,
}
_NAMES = {v: k for k, v in _TYPES.items()}


def action_type(action: Action) -> str:
    return _NAMES[type(action)]


def to_dict(action: Action) -> dict[str, Any]:
    out: dict[str, Any] = {"type": _NAMES[type(action)]}
    for f in dataclasses.fields(action):
        v = getattr(action, f.name)
        if f.name == "rationale" and not v and isinstance(action, Pass):
            continue  # one journal form for a bare Pass, the one saves made before rationales have
        out[f.name] = list(v) if isinstance(v, tuple) else v
    return out


_KINDS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "bool": (bool,),
    "tuple[str, ...]": (),  # a list, handled above
    "str | tuple[str, ...]": (str,),
}
"""What a journal may hold for each kind of field (the annotations, as strings)."""
_KIND_WORDS = {
    "str": "text",
    "bool": "true or false",
    "tuple[str, ...]": "a list of ids",
    "str | tuple[str, ...]": "text or a list of ids",
}


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:39] + "…"


def action_from_dict(data: Any) -> Action:
    """Rebuild an action from a journal record, refusing anything malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise WargameError("an action needs a `type`")
    cls = _TYPES.get(data["type"])
    if cls is None:
        raise WargameError(f"unknown action type {data['type']!r}")
    fields = {k: v for k, v in data.items() if k != "type"}
    expected = {f.name for f in dataclasses.fields(cls)}
    if set(fields) - expected:
        raise WargameError(f"unknown fields for {data['type']}: {sorted(set(fields) - expected)}")
    kinds = {f.name: f.type for f in dataclasses.fields(cls)}
    for k, v in list(fields.items()):
        kind = str(kinds[k])
        if isinstance(v, list):
            if "tuple" not in kind:
                raise WargameError(f"`{k}` must be {_KIND_WORDS.get(kind, kind)}, not a list")
            if not all(isinstance(x, str) for x in v):
                raise WargameError(f"`{k}` must be a list of ids")
            fields[k] = tuple(v)
        elif not isinstance(v, _KINDS.get(kind, ())):
            raise WargameError(f"`{k}` must be {_KIND_WORDS.get(kind, kind)}, not {_short(v)}")
    try:
        return cls(**fields)  # type: ignore[no-any-return]
    except TypeError as exc:
        raise WargameError(f"malformed {data['type']} action: {exc}") from None


def describe(action: Action) -> str:
    """One line for logs and the UI."""
    if isinstance(action, Order):
        tgt = f" → {', '.join(action.targets)}" if action.targets else ""
        why = f" (why: {action.rationale})" if action.rationale else ""
        return f"{action.role} orders {action.card}{tgt}{why}"
    if isinstance(action, Pass):
        return f"{action.role} commits"
    if isinstance(action, Chance):
        if isinstance(action.outcome, tuple):
            return f"shuffle ({len(action.outcome)} cards)"
        return f"roll: {action.outcome}"
    if isinstance(action, Accept):
        return "facilitator accepts the roll"
    if isinstance(action, Override):
        return f"facilitator overrides the roll to {action.outcome}: {action.reason}"
    if isinstance(action, Inject):
        why = f": {action.reason}" if action.reason else ""
        return f"facilitator injects {action.card}{why}"
    if isinstance(action, Note):
        return f"note{' (' + action.role + ')' if action.role else ''}: {action.text}"
    if isinstance(action, Reseat):
        why = f": {action.reason}" if action.reason else ""
        return f"facilitator hands {action.role} to {action.seat}{why}"
    if isinstance(action, Undo):
        return (
            "undo"
            + (" (forced)" if action.force else "")
            + (f": {action.reason}" if action.reason else "")
        )
    return repr(action)
