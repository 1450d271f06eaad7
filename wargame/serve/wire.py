"""What travels between the game host and the seat processes: plain JSON, one message a line.

The host sends a seat only `view_for(state, seat)` (a State turned into JSON here) and the words
of the public log; a seat sends requests that the host checks as if they had been typed at its
own keyboard. The requests are pydantic models: anything else on the socket is refused.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from wargame.derived import Derived
from wargame.state import FIELDS, Item, Modifier, State
from wargame.tables import Tables

FACILITATOR = "facilitator"
OBSERVER = "observer"
"""The two places that are no team: the White Cell's room, and the public board."""


# ---------------------------------------------------------------------- a State as JSON


def _enc(v: Any) -> Any:
    if isinstance(v, bool | int | str) or v is None:
        return v
    if isinstance(v, Item):
        return {"item": [_enc(x) for x in v.astuple()]}
    if isinstance(v, Modifier):
        return {"mod": [_enc(x) for x in v]}
    if isinstance(v, frozenset):
        return {"set": sorted((_enc(x) for x in v), key=repr)}
    if isinstance(v, tuple | list):
        return [_enc(x) for x in v]
    raise TypeError(f"cannot send {type(v).__name__} in a state")


def _dec(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(_dec(x) for x in v)
    if isinstance(v, dict):
        if "item" in v:
            return Item(*_dec(v["item"]))
        if "mod" in v:
            return Modifier(*_dec(v["mod"]))
        return frozenset(_dec(x) for x in v["set"])
    return v


def encode(v: Any) -> Any:
    """A field of a State as JSON."""
    return _enc(v)


def state_to_json(st: State) -> dict[str, Any]:
    return {name: _enc(getattr(st, name)) for name in FIELDS}


def state_from_json(data: dict[str, Any], tables: Tables) -> State:
    st = State()
    for name in FIELDS:
        setattr(st, name, _dec(data[name]))
    st.tables = tables
    st._owned = False
    st._derived = Derived()
    return st


# ---------------------------------------------------------------------- seat → host


class _Msg(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Hello(_Msg):
    kind: Literal["hello"]
    ticket: str = Field(max_length=100)


class Act(_Msg):
    """An order or a commit, as the seat's own team."""

    kind: Literal["act"]
    id: int
    action: dict[str, Any]


class TakeBack(_Msg):
    kind: Literal["take_back"]
    id: int


class Reseat(_Msg):
    """The White Cell hands `role` to `seat` ('greedy', 'human:Red', …)."""

    kind: Literal["reseat"]
    id: int
    role: str = Field(max_length=100)
    seat: str = Field(max_length=100)


class Free(_Msg):
    """The White Cell frees a seat: its browser is let go, the link may join again."""

    kind: Literal["free"]
    id: int
    role: str = Field(max_length=100)


class Local(_Msg):
    """The White Cell opens a team's hand on its own screen (a team without a laptop): the
    answer carries a one-time ticket for a link that acts as that team."""

    kind: Literal["local"]
    id: int
    role: str = Field(max_length=100)


class WhiteCell(_Msg):
    """The White Cell moves the game on: end the orders phase, accept the rolls, read the
    summary (each as the terminal's room does it), or `step`: whichever of them is due;
    `undo` takes back the last thing a person did (as the room's Ctrl+U, never forced; a
    forced undo is a `WhiteAct`); `accept` one roll, `draw` a waiting one; `pause`, `resume`
    and `more_time` for the phase timer; `bot_rolls` (solo play) switches whether the bots'
    rolls wait for acceptance."""

    kind: Literal["white"]
    id: int
    op: Literal[
        "step",
        "end_orders",
        "accept_rolls",
        "summary_read",
        "undo",
        "accept",
        "draw",
        "pause",
        "resume",
        "more_time",
        "bot_rolls",
    ]


class WhiteAct(_Msg):
    """An action only the White Cell takes, as the journal writes it: an override of the roll
    waiting (with its reason), an inject, a note, an undo (forced, with a reason). `seen`: how
    many records the White Cell's screen showed when it asked (an undo is refused if a team
    acted meanwhile: it would take back something else than the question named)."""

    kind: Literal["white_act"]
    id: int
    action: dict[str, Any]
    seen: int | None = None


class Ask(_Msg):
    """The White Cell asks what a dialog needs: the events it may inject, what its undo would
    take back, a turn's summary (`turn`; 0: the last), the end of the game."""

    kind: Literal["ask"]
    id: int
    what: Literal["injects", "undo", "summary", "end"]
    turn: int = Field(default=0, ge=0, le=1000)


AnyRequest = Hello | Act | TakeBack | Reseat | Free | Local | WhiteCell | WhiteAct | Ask
Request = Annotated[AnyRequest, Field(discriminator="kind")]
REQUEST: TypeAdapter[AnyRequest] = TypeAdapter(Request)


def parse_request(line: bytes | str) -> AnyRequest:
    """One request line, checked (raises pydantic's ValidationError)."""
    return REQUEST.validate_json(line)


def dump(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"
