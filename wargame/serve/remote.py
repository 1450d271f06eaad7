"""A seat process's link to the game host, and the team's game as its screens see it.

`HostLink` is one socket to the host: a reader thread keeps the last update the host sent and
hands each reply to the request waiting for it. `RemoteTeam` is the `TeamGame` the hand-and-
orders screen works on in a browser: it holds only what the host sent this seat (its own view),
and every action goes to the host, which checks it and journals it before it answers.
"""

from __future__ import annotations

import functools
import json
import queue
import socket
import threading
from collections.abc import Callable
from typing import Any

from wargame.actions import Action, Order, to_dict
from wargame.errors import IllegalActionError, WargameError
from wargame.facilitation.clock import PhaseClock
from wargame.facilitation.text import Names
from wargame.facilitation.tilemap import MapView
from wargame.serve import wire
from wargame.state import State
from wargame.tables import Tables

REPLY_SECONDS = 20.0
"""How long a request waits for the host's answer before saying the host is gone."""


class HostGone(WargameError):
    """The game host did not answer: the White Cell's machine stopped or the network failed."""


class HostLink:
    """One connection to the game host (module docstring)."""

    def __init__(self, port: int, ticket: str, host: str = "127.0.0.1") -> None:
        self.port = port
        self.host = host
        self.sock = socket.create_connection((host, port), timeout=REPLY_SECONDS)
        self.sock.settimeout(None)
        self._file = self.sock.makefile("rb")
        self._lock = threading.Lock()
        self._next = 0
        self._replies: queue.Queue[dict[str, Any]] = queue.Queue()
        self.welcome: dict[str, Any] = {}
        self.latest: dict[str, Any] = {}
        self.closed = threading.Event()
        self.refused = ""
        self.listeners: list[Callable[[dict[str, Any]], None]] = []
        """Called in the reader thread after each update (hand it to your event loop)."""
        self._ready = threading.Event()
        self._send({"kind": "hello", "ticket": ticket})
        threading.Thread(target=self._read, name="host-link", daemon=True).start()
        if not self._ready.wait(REPLY_SECONDS) or self.refused:
            raise HostGone(self.refused or "the game host did not answer")

    def _send(self, message: dict[str, Any]) -> None:
        with self._lock:
            self.sock.sendall(wire.dump(message))

    def _read(self) -> None:
        try:
            for line in self._file:
                msg = json.loads(line)
                kind = msg.get("kind")
                if kind == "welcome":
                    self.welcome = msg
                elif kind == "update":
                    self.latest = msg
                    self._ready.set()
                    for fn in list(self.listeners):
                        fn(msg)
                elif kind == "reply":
                    self._replies.put(msg)
                elif kind == "refused":
                    self.refused = str(msg.get("reason", "refused"))
                    break
        except (OSError, ValueError):
            pass
        finally:
            self.closed.set()
            self._ready.set()
            self._replies.put({"kind": "reply", "id": -2, "ok": False, "reason": ""})
            for fn in list(self.listeners):
                fn({"kind": "closed"})

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send one request and wait for its answer (raises IllegalActionError with the host's
        reason, or HostGone)."""
        if self.closed.is_set():
            raise HostGone("the connection to the game host is closed; reload the page")
        self._next += 1
        rid = self._next
        try:
            self._send({**message, "id": rid})
        except OSError:
            raise HostGone("the connection to the game host is closed; reload the page") from None
        while True:
            try:
                reply = self._replies.get(timeout=REPLY_SECONDS)
            except queue.Empty:
                raise HostGone("the game host did not answer in time") from None
            if reply["id"] == -2:
                raise HostGone("the connection to the game host closed; reload the page")
            if reply["id"] == rid:
                break
        if not reply["ok"]:
            raise IllegalActionError(str(reply["reason"]))
        return reply

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class RemoteTeam:
    """A team's game as the host shows it to this seat (a `TeamGame`; see the module)."""

    def __init__(self, link: HostLink) -> None:
        from wargame.journal import tables_from_header

        self.link = link
        self.place: str = link.welcome["place"]
        self.role: int = int(link.welcome["role"])
        self._tables = tables_from_header(link.welcome["scenario"])
        self._clock = PhaseClock(int(link.welcome.get("timer", 0)))
        self._state: tuple[int, State] | None = None
        self._map: tuple[int, MapView] | None = None
        self.show_details = False
        """Whether bots' reasons show the numbers behind them (F3)."""

    @property
    def tables(self) -> Tables:
        return self._tables

    @functools.cached_property
    def names(self) -> Names:
        return Names(self._tables)

    @property
    def update(self) -> dict[str, Any]:
        return self.link.latest

    @property
    def state(self) -> State:
        """This seat's view as the host last sent it (decoded once per update)."""
        msg = self.link.latest
        cached = self._state
        if cached is None or cached[0] != id(msg):
            cached = (id(msg), wire.state_from_json(msg["state"], self._tables))
            self._state = cached
            key, left = msg["clock"]
            if key is not None:
                self._clock.restore((int(key[0]), str(key[1])), float(left))
                if msg.get("paused"):
                    self._clock.pause()  # the White Cell paused the game: the clock stands
            else:
                self._clock.key = None
        return cached[1]

    def map_view(self) -> MapView:
        """The map of this seat's view, with the moves the room's map shows: the host sends
        the ties and alliances of the board they are counted from (`map_base`)."""
        from wargame.facilitation.tilemap import map_view

        msg = self.link.latest
        st = self.state
        base = msg.get("map_base")
        if not base:
            return map_view(st)
        cached = self._map
        if cached is None or cached[0] != id(msg):
            fields = {k: v for k, v in base.items() if k != "since"}
            before = wire.state_from_json({**msg["state"], **fields}, self._tables)
            cached = self._map = (id(msg), map_view(st, before, str(base["since"])))
        return cached[1]

    @property
    def clock(self) -> PhaseClock:
        _ = self.state  # the clock follows the last update
        return self._clock

    def view(self, role: int) -> State:
        if role != self.role:
            raise IllegalActionError("this seat sees only its own team's hand")
        return self.state

    def team(self, r: int) -> str:
        return str(self.link.latest["teams"][r])

    def step(self, action: Action) -> None:
        self.link.request({"kind": "act", "action": to_dict(action)})

    def take_back_order(self, r: int) -> Order | str:
        """The team's last order, as its own view shows it (the host checks that no other seat
        has acted since, and says so if one has)."""
        orders = self.view(r).orders[r]
        if not orders:
            return "You have no order to take back."
        card, targets, why = orders[-1]
        t = self._tables
        c = t.cards[card]
        ids = t.target_ids(c.target_kind)
        return Order(t.roles[r].id, c.id, tuple(ids[x] for x in targets), why)

    def take_back(self, r: int) -> None:
        self.link.request({"kind": "take_back"})

    def given_by_bot(self, turn: int, r: int, card: int) -> bool:
        latest = self.link.latest
        return r == self.role and turn == self.state.turn and card in latest.get("by_bot", ())

    def words(self, rationale: str) -> str:
        from wargame.facilitation.team import rationale_words

        return rationale_words(rationale, self.show_details)

    # ------------------------------------------------------------------ the White Cell

    def white_cell(self, op: str) -> None:
        self.link.request({"kind": "white", "op": op})

    def white_act(self, action: Action, seen: int | None = None) -> None:
        """An override, inject, note or undo, as the White Cell (see `wire.WhiteAct`)."""
        message: dict[str, Any] = {"kind": "white_act", "action": to_dict(action)}
        if seen is not None:
            message["seen"] = seen
        self.link.request(message)

    def ask(self, what: str, turn: int = 0) -> dict[str, Any]:
        """What a White Cell's dialog needs from the host (see `wire.Ask`)."""
        return self.link.request({"kind": "ask", "what": what, "turn": turn})

    def reseat(self, role: str, seat: str) -> None:
        self.link.request({"kind": "reseat", "role": role, "seat": seat})

    def free(self, role: str) -> None:
        self.link.request({"kind": "free", "role": role})

    def local_ticket(self, role: str) -> str:
        """A ticket to play team `role` on this screen (the White Cell only)."""
        return str(self.link.request({"kind": "local", "role": role})["ticket"])

    def open_as(self, ticket: str) -> RemoteTeam:
        """A second link to the same host, as the team `ticket` names."""
        return RemoteTeam(HostLink(self.link.port, ticket, self.link.host))
