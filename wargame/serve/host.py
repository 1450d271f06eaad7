"""The game host of `wargame serve`: the one process that owns the Session and the journal.

Browser seats run as separate processes (one per open tab, started by the web server only after
the join link's code was checked); each talks to this host over a local socket, one JSON message
a line (`wire`). The host binds each connection to one place (a team's role, the White Cell or
the public board) when it is opened, so a request can never speak for another place: a team may
give its own orders, commit them and take back its last order; only the White Cell reseats,
frees seats and moves the game on. What a place receives is built here, from
`view_for(state, place)`: another team's hand or unrevealed orders never leave this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wargame.actions import (
    Accept,
    Inject,
    Note,
    Order,
    Override,
    Pass,
    Undo,
    action_from_dict,
)
from wargame.errors import WargameError
from wargame.facilitation import clock, room
from wargame.facilitation.controller import PUBLIC, Game
from wargame.observe import view_for
from wargame.pending import AdjudicationDue, ChanceDue, OrdersDue
from wargame.serve import wire

log = logging.getLogger("wargame.serve")

BOARD_DELAY = 0.5
"""Seconds the public boards' update waits, gathering the changes made meanwhile."""

LOG_LINES = 60
"""How many of the public log's last lines each update carries."""


def new_code() -> str:
    """A join code: short enough to read aloud, too many to guess (about 2**48)."""
    return secrets.token_urlsafe(6)


def codes_path(journal: Path) -> Path:
    """Where a served game keeps its join codes, so `--continue` keeps the links."""
    return journal.with_name(journal.name + ".codes.json")


@dataclass
class Conn:
    place: str
    writer: asyncio.StreamWriter
    sent: list[bytes] = field(default_factory=list)
    """Every line sent on this connection, kept only when the host records traffic (tests)."""


class GameHost:
    """Owns `game`; admits seats by code; serves each place its own view (module docstring)."""

    def __init__(self, game: Game, *, codes: dict[str, str] | None = None) -> None:
        self.game = game
        t = game.tables
        places = [r.id for i, r in enumerate(t.roles) if game.state.present[i]]
        places += [wire.FACILITATOR, wire.OBSERVER]
        codes = dict(codes or {})
        self.codes: dict[str, str] = {p: codes.get(p) or new_code() for p in places}
        """Place → its code. A team's place is its role id."""
        self._tickets: dict[str, str] = {}
        self.conns: list[Conn] = []
        self.past: list[Conn] = []
        """Closed connections, kept only when the host records traffic (tests)."""
        self._joining: set[str] = set()
        self.record_traffic = False
        self.base_url = ""
        """The address browsers reach the web server at (the White Cell's screen shows each
        place's link under it)."""
        self.on_change: list[Callable[[], None]] = []
        self._server: asyncio.AbstractServer | None = None
        self.port = 0
        self._lock = asyncio.Lock()
        self._bots_task: asyncio.Task[None] | None = None
        self._handlers: set[asyncio.Task[Any]] = set()
        self._boards: asyncio.TimerHandle | None = None

    # ------------------------------------------------------------------ codes

    def save_codes(self) -> None:
        path = self.game.path
        if path is None:
            return
        target = codes_path(path)
        target.write_text(json.dumps(self.codes, indent=1) + "\n", encoding="utf-8")
        with contextlib.suppress(OSError):
            target.chmod(0o600)

    @staticmethod
    def load_codes(journal: Path) -> dict[str, str]:
        try:
            data = json.loads(codes_path(journal).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}

    def place_of(self, code: str) -> str | None:
        for place, c in self.codes.items():
            if secrets.compare_digest(c, code):
                return place
        return None

    def connected(self, place: str) -> bool:
        return any(c.place == place for c in self.conns) or place in self._joining

    def admit(self, code: str, peer: str = "?") -> tuple[str, str] | str:
        """A browser asks to open a place with `code`: (ticket, place) for its seat process, or
        why not (logged). A team's seat opens in one browser at a time."""
        place = self.place_of(code)
        if place is None:
            log.warning("refused a join from %s: wrong or missing code", peer)
            return "This link's code is not one of this game's. Ask the White Cell for your link."
        if place not in (wire.OBSERVER,) and self.connected(place):
            log.warning("refused a second browser for %s from %s", place, peer)
            return (
                f"{self.place_name(place)} is already open in another browser. Close it there, "
                "or ask the White Cell to free the seat."
            )
        ticket = secrets.token_urlsafe(16)
        self._tickets[ticket] = place
        if place != wire.OBSERVER:
            self._joining.add(place)
        log.info("%s joined from %s", self.place_name(place), peer)
        return ticket, place

    def forget_ticket(self, ticket: str) -> None:
        """The seat process never connected (its browser left first)."""
        place = self._tickets.pop(ticket, None)
        if place is not None:
            self._joining.discard(place)
            self._changed()

    def link(self, place: str) -> str:
        """The join link of `place` (its code in the path)."""
        return f"{self.base_url}/t/{self.codes[place]}"

    def place_name(self, place: str) -> str:
        if place == wire.FACILITATOR:
            return "The White Cell"
        if place == wire.OBSERVER:
            return "The public board"
        r = self.game.tables.role_index.get(place)
        return place if r is None else self.game.team(r)

    def human_places(self) -> list[str]:
        """The teams played by people now (each gets a join link)."""
        t = self.game.tables
        return [t.roles[r].id for r in range(len(t.roles)) if self.game.is_human(r)]

    # ------------------------------------------------------------------ socket

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        self._server = await asyncio.start_server(self._serve, host, port, limit=1 << 20)
        self.port = self._server.sockets[0].getsockname()[1]
        self.game.sync_clock()
        await self.run_bots()
        return self.port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for c in list(self.conns):
            c.writer.close()
        # Each connection's handler ends on its own once its socket is closed.
        if self._handlers:
            await asyncio.wait(list(self._handlers), timeout=5)
        if self._server is not None:
            await self._server.wait_closed()
        if self._boards is not None:
            self._boards.cancel()
        if self._bots_task is not None:
            self._bots_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._bots_task

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)
        conn: Conn | None = None
        try:
            first = await asyncio.wait_for(reader.readline(), 10)
            try:
                hello = wire.parse_request(first)
            except ValidationError:
                hello = None
            place = self._tickets.pop(hello.ticket, None) if isinstance(hello, wire.Hello) else None
            if place is None:
                log.warning("refused a seat process without a valid ticket")
                writer.write(wire.dump({"kind": "refused", "reason": "no valid ticket"}))
                return
            self._joining.discard(place)
            conn = Conn(place, writer)
            self.conns.append(conn)
            self._send(conn, self.welcome(place))
            self._send(conn, self.update_for(place))
            self._changed()
            while line := await reader.readline():
                await self._handle(conn, line)
        except (TimeoutError, ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            if conn is not None and conn in self.conns:
                self.conns.remove(conn)
                if self.record_traffic:
                    self.past.append(conn)
                log.info("%s left", self.place_name(conn.place))
                self._changed()
            writer.close()

    def _send(self, conn: Conn, message: dict[str, Any]) -> None:
        data = wire.dump(message)
        if self.record_traffic:
            conn.sent.append(data)
        if not conn.writer.is_closing():
            conn.writer.write(data)

    def _changed(self) -> None:
        """Tell every open place what it may see now (and the local listeners): the White Cell
        first, then the teams; the public boards together a moment later, so that twenty of
        them repainting at once never slow down the seats (they share one message)."""
        self.game.sync_clock()
        order = sorted(self.conns, key=lambda c: c.place != wire.FACILITATOR)
        for conn in order:
            if conn.place != wire.OBSERVER:
                self._send(conn, self.update_for(conn.place))
        if self._boards is None and any(c.place == wire.OBSERVER for c in self.conns):
            self._boards = asyncio.get_running_loop().call_later(BOARD_DELAY, self._send_boards)
        for fn in list(self.on_change):
            fn()

    def _send_boards(self) -> None:
        self._boards = None
        message = self.update_for(wire.OBSERVER)
        for conn in list(self.conns):
            if conn.place == wire.OBSERVER:
                self._send(conn, message)

    # ------------------------------------------------------------------ what a place sees

    def welcome(self, place: str) -> dict[str, Any]:
        t = self.game.tables
        role = t.role_index.get(place, -1)
        return {
            "kind": "welcome",
            "place": place,
            "role": role,
            "scenario": t.scenario.model_dump(mode="json"),
            "timer": int(self.game.settings.get("timer", 0) or 0),
        }

    def update_for(self, place: str) -> dict[str, Any]:
        g = self.game
        t = g.tables
        seat = place if place in t.role_index else PUBLIC
        view = view_for(g.state, seat)
        due = g.pending()
        waiting = list(due.roles) if isinstance(due, OrdersDue) else []
        beat = g.next_beat()
        msg: dict[str, Any] = {
            "kind": "update",
            "records": len(g.session.steps),
            "state": wire.state_to_json(view),
            "teams": [g.team(r) for r in range(len(t.roles))],
            "rows": [list(row) for row in room.team_rows(g)],
            "waiting": waiting,
            "orders_open": g.orders_open(),
            "beat": beat.kind,
            "clock": [list(g.clock.key) if g.clock.key else None, g.clock.remaining()],
            "paused": g.clock.paused_left is not None,
            "log": room.all_log_lines(g)[-LOG_LINES:],
            "connected": sorted(p for p in self.codes if self.connected(p)),
            "map_base": self.map_base(),
        }
        if seat != PUBLIC:
            # Which of this team's standing orders a bot gave while it held the seat: they stand,
            # and the seat's screen marks them.
            r = t.role_index[seat]
            msg["by_bot"] = [c for c, _, _ in view.orders[r] if g.given_by_bot(view.turn, r, c)]
        if place == wire.FACILITATOR:
            msg["codes"] = dict(self.codes)
            msg["links"] = {p: self.link(p) for p in self.codes}
            msg["seats"] = {t.roles[r].id: g.seat_text(r) for r in range(len(t.roles))}
            msg["white"] = self.white_cell_next()
            msg.update(self.white_cell_facts())
        return msg

    def map_base(self) -> dict[str, Any]:
        """What a seat's map counts the moves from (`Game.map_baseline`): that board's ties and
        alliances, public on every board, and the words for it. The seat lays them over its
        own view, so its map follows `view_for` like the rest of its screen."""
        base, since = self.game.map_baseline()
        return {"since": since, **{name: wire.encode(getattr(base, name)) for name in MAP_BASE}}

    def white_cell_facts(self) -> dict[str, Any]:
        """What the White Cell's keys need to know now: which of them work, and the roll
        waiting for it (as the terminal's resolution shows it)."""
        g = self.game
        due = g.pending()
        adjudicating = isinstance(due, AdjudicationDue)
        facts: dict[str, Any] = {
            "can": {
                "draw": isinstance(due, ChanceDue),
                "inject": g.orders_open() and bool(g.legal_injects()),
                "end_phase": g.orders_open() or adjudicating,
                "summary": g.last_summary_turn() is not None,
                "bot_rolls": g.solo,
                "override": adjudicating and g.why_no_override() is None,
                "timer": g.clock.enabled,
            },
            "bot_rolls_wait": g.confirm_bot_rolls,
            "roll": None,
        }
        if adjudicating and not g.summaries_due:
            from wargame.tui.screens.resolution import adjudication_panel

            st = g.state
            assert st.pending is not None
            panel = adjudication_panel(g, st, st.turn)
            facts["roll"] = {
                "panel": [None if c is None else c.markup for c in panel],
                "subject": room.roll_subject(g, st),
                "drawn": str(st.pending[1]),
            }
        return facts

    def white_cell_next(self) -> str:
        """What the White Cell's Ctrl+E does now, in words ('' when nothing waits for it)."""
        g = self.game
        beat = g.next_beat()
        if beat.kind in ("resolution", "summary") and g.summaries_due:
            return f"read the summary of turn {g.summaries_due[0]}"
        p = g.pending()
        if isinstance(p, AdjudicationDue):
            return "accept the rolls as drawn"
        if isinstance(p, ChanceDue):
            return "draw the next chance outcome"
        if isinstance(p, OrdersDue) and g.humans_waiting():
            return "end the orders phase (every team still deciding commits what it has)"
        return ""

    # ------------------------------------------------------------------ requests

    async def _handle(self, conn: Conn, line: bytes) -> None:
        try:
            req = wire.parse_request(line)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(x) for x in err["loc"])
            self._send(
                conn, {"kind": "reply", "id": -1, "ok": False, "reason": f"{where}: {err['msg']}"}
            )
            return
        if isinstance(req, wire.Hello):
            return
        async with self._lock:
            try:
                extra = self.handle(conn.place, req)
                reply: dict[str, Any] = {
                    "kind": "reply",
                    "id": req.id,
                    "ok": True,
                    "reason": "",
                    **extra,
                }
            except WargameError as exc:
                reply = {"kind": "reply", "id": req.id, "ok": False, "reason": _reason(exc)}
            except OSError as exc:
                reply = {
                    "kind": "reply",
                    "id": req.id,
                    "ok": False,
                    "reason": f"the save could not be written ({exc.strerror or exc}); "
                    "the action was not applied",
                }
            if reply["ok"] and not isinstance(req, wire.Ask):
                self.accept_bot_rolls()
        if isinstance(req, wire.Ask):
            self._send(conn, reply)  # a question changes nothing: nobody else hears of it
            return
        # Journaled (Session.step writes first) before it is acknowledged; the asking seat's
        # new view goes out before the answer, so the screen that asked redraws from it.
        self._changed()
        self._send(conn, reply)
        if reply["ok"]:
            self.kick_bots()

    def accept_bot_rolls(self) -> None:
        """Solo play: a bot's roll goes by without the White Cell, as in the terminal (what was
        asked for is done either way; a roll left waiting is accepted by hand)."""
        if not self.game.accepts_itself():
            return
        try:
            self.game.accept_bot_rolls()
        except (WargameError, OSError) as exc:
            log.error("a bot's roll could not be accepted by itself: %s", exc)

    def handle(
        self,
        place: str,
        req: wire.Act
        | wire.TakeBack
        | wire.Reseat
        | wire.Free
        | wire.Local
        | wire.WhiteCell
        | wire.WhiteAct
        | wire.Ask,
    ) -> dict[str, Any]:
        """Apply one request from `place`, checked as if typed at that place's own keyboard
        (raises WargameError with the reason). Returns what the answer carries besides: a
        ticket for `Local`, the answer to an `Ask`."""
        g = self.game
        t = g.tables
        if isinstance(req, wire.Act | wire.TakeBack):
            if place not in t.role_index:
                raise WargameError("only a team's seat gives orders")
            r = t.role_index[place]
            if g.clock.paused_left is not None:
                raise WargameError("the White Cell has paused the game: wait until it resumes")
            if not g.is_human(r):
                raise WargameError(
                    f"{g.team(r)} is played by {g.seat(r).describe()} now; ask the White Cell"
                )
            if isinstance(req, wire.TakeBack):
                g.take_back(r)
                return {}
            action = action_from_dict(req.action)
            if not isinstance(action, Order | Pass):
                raise WargameError("a team's seat may only give orders and commit them")
            if action.role != place:
                raise WargameError("a team's seat acts only for its own team")
            g.step(action)
            return {}
        if place != wire.FACILITATOR:
            # A team's browser sending what only the White Cell's may: someone is trying.
            log.warning("refused a White Cell request (%s) from %s", req.kind, place)
            raise WargameError("only the White Cell may do that")
        if isinstance(req, wire.Ask):
            return self.answer(req)
        if isinstance(req, wire.WhiteAct):
            self.white_cell_act(req)
            return {}
        if isinstance(req, wire.Reseat):
            who = t.role_index.get(req.role)
            if who is None:
                raise WargameError(f"no role {req.role!r} in this scenario")
            g.reseat(who, req.seat, "handed over from the White Cell's browser")
            if req.role not in self.codes:
                self.codes[req.role] = new_code()
                self.save_codes()
        elif isinstance(req, wire.Local):
            who = t.role_index.get(req.role)
            if who is None or not g.is_human(who):
                raise WargameError(f"{req.role} is not a human team's seat now")
            if self.connected(req.role):
                raise WargameError(
                    f"{g.team(who)} is open in a browser; free the seat first (Ctrl+F)"
                )
            ticket = secrets.token_urlsafe(16)
            self._tickets[ticket] = req.role
            self._joining.add(req.role)
            log.info("%s plays at the White Cell's screen", g.team(who))
            return {"ticket": ticket}
        elif isinstance(req, wire.Free):
            for c in list(self.conns):
                if c.place == req.role:
                    c.writer.close()
            self._joining.discard(req.role)
        elif req.op == "step":
            self.white_cell_step()
        else:
            self.white_cell(req.op)
        return {}

    def white_cell(self, op: str) -> None:
        g = self.game
        if op == "end_orders":
            if not g.orders_open():
                raise WargameError("the orders phase is not open")
            g.commit_remaining_humans()
        elif op == "accept_rolls":
            if g.summaries_due:
                raise WargameError("read the turn's summary first")
            if isinstance(g.pending(), ChanceDue):
                g.settle()
            elif isinstance(g.pending(), AdjudicationDue):
                g.accept_rolls()
            else:
                raise WargameError("no roll waits for the White Cell")
        elif op == "undo":
            g.undo_people(Undo(False, ""))
        elif op == "summary_read":
            if not g.summaries_due:
                raise WargameError("no turn summary waits to be read")
            turn = g.summaries_due[0]
            g.ack_resolution(turn)
            g.ack_summary(turn)
        elif op == "accept":
            if g.summaries_due or not isinstance(g.pending(), AdjudicationDue):
                raise WargameError("no roll waits for the White Cell")
            g.step(Accept())
        elif op == "draw":
            if not isinstance(g.pending(), ChanceDue):
                raise WargameError("no draw is waiting")
            g.settle()
        elif op == "pause":
            if g.clock.paused_left is not None:
                raise WargameError("the game is paused already")
            g.clock.pause()
            g.note(clock.PAUSED)
        elif op == "resume":
            if g.clock.paused_left is None:
                raise WargameError("the game is not paused")
            g.clock.resume()
            g.note(clock.PLAY_RESUMED)
        elif op == "more_time":
            if not g.clock.enabled:
                raise WargameError(
                    "no phase timer is set (start the game with --timer MINUTES to have one)"
                )
            g.clock.extend(clock.EXTENSION)
            g.note(clock.EXTENDED)
        elif op == "bot_rolls":
            if not g.solo:
                raise WargameError("only in solo play do the bots' rolls go by on their own")
            g.toggle_confirm_bot_rolls()

    def white_cell_act(self, req: wire.WhiteAct) -> None:
        """An override, an inject, a note or an undo from the White Cell's browser, checked as
        the terminal's keys check it."""
        g = self.game
        action = action_from_dict(req.action)
        if isinstance(action, Override):
            if g.summaries_due or not isinstance(g.pending(), AdjudicationDue):
                raise WargameError("there is no roll to override now")
            if not action.reason.strip():
                raise WargameError("an override needs a reason for the record")
            g.step(action)
        elif isinstance(action, Inject):
            if g.summaries_due:
                raise WargameError("read the turn's summary first")
            g.step(action)
        elif isinstance(action, Note):
            if action.role:
                raise WargameError("the White Cell's note speaks for no team")
            if not action.text.strip():
                raise WargameError("a note needs some words")
            g.step(action)
        elif isinstance(action, Undo):
            if req.seen is not None and req.seen != len(g.session.steps):
                raise WargameError(
                    "the game moved on since you asked (someone acted): nothing was undone; "
                    "press Ctrl+U again to see what an undo would take back now"
                )
            if action.force and not action.reason.strip():
                raise WargameError("a forced undo needs a reason for the record")
            g.undo_people(action)
        else:
            raise WargameError(
                "the White Cell's browser sends overrides, injects, notes and undos only"
            )

    def answer(self, req: wire.Ask) -> dict[str, Any]:
        """What one of the White Cell's dialogs needs (the words the terminal's would show)."""
        g = self.game
        if req.what == "injects":
            if g.summaries_due:
                return {"injects": [], "none": "read the turn's summary first"}
            choices = room.inject_choices(g)
            return {
                "injects": [list(c) for c in choices],
                "none": "" if choices else room.why_no_inject(g),
            }
        if req.what == "undo":
            q = room.undo_question(g)
            return {
                "question": q.question,
                "forced": q.forced,
                "why_not": q.reason,
                "seen": len(g.session.steps),
            }
        from wargame.tui.screens.resolution import end_content, summary_content

        if req.what == "end":
            if not g.state.over:
                raise WargameError("the game is not over")
            title, body = end_content(g, here=False)
        else:
            last = g.last_summary_turn()
            turn = req.turn or (g.summaries_due[0] if g.summaries_due else last)
            if turn is None or turn not in g.crossings():
                raise WargameError("no turn has ended yet" if last is None else "no such turn")
            title, body = summary_content(g, turn, review=turn not in g.summaries_due)
        return {"title": title.markup, "body": body.markup}

    def white_cell_step(self) -> None:
        """What the White Cell's 'next' key does (see `white_cell_next`)."""
        g = self.game
        if g.summaries_due:
            self.white_cell("summary_read")
        elif isinstance(g.pending(), AdjudicationDue | ChanceDue):
            self.white_cell("accept_rolls")
        else:
            self.white_cell("end_orders")

    # ------------------------------------------------------------------ bots

    def kick_bots(self) -> None:
        if self._bots_task is None or self._bots_task.done():
            self._bots_task = asyncio.get_running_loop().create_task(self.run_bots())

    async def run_bots(self) -> None:
        """Every bot seat the orders phase waits for chooses (in a thread: the seats stay
        answered meanwhile) and acts, as the terminal's app has them do."""
        g = self.game
        while g.orders_open() and g.bots_waiting():
            r = g.bots_waiting()[0]
            bot = g.bots[r]
            view = g.view(r)
            try:
                action = await asyncio.to_thread(bot.choose, view, r)
                explanation = str(getattr(bot, "last_explanation", "") or "")
            except Exception as exc:  # a bot bug must not take the session down
                log.error("the %s bot failed: %s", t_id(g, r), exc)
                action, explanation = Pass(t_id(g, r)), f"the bot failed ({exc}) and passes"
            async with self._lock:
                if r not in g.bots_waiting() or g.bots.get(r) is not bot:
                    continue  # the seat was handed over meanwhile
                try:
                    g.step(g.bot_action(r, action, explanation))
                except WargameError as exc:
                    log.error("the %s bot's move was refused: %s", t_id(g, r), exc)
                    g.step(Pass(t_id(g, r)))
                self.accept_bot_rolls()
            self._changed()


MAP_BASE = ("ties", "ally", "alliance", "also_allied")
"""The fields of a board a map's moves are counted from."""


def t_id(g: Game, r: int) -> str:
    return g.tables.roles[r].id


def _reason(exc: WargameError) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason) if reason else str(exc)
