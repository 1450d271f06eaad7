"""`wargame serve`: the game host and several seat clients over loopback, in one test process.

What is checked is what travels: every line the host sent each seat is kept and read back, so
"hidden orders never reach another seat" is about the traffic, not about what a screen draws.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from test_tui_fixture import make_quad

from wargame import journal
from wargame.actions import Order, Pass, to_dict
from wargame.errors import IllegalActionError
from wargame.facilitation.controller import Game
from wargame.facilitation.launch import load_tables
from wargame.observe import HIDDEN
from wargame.rules import legal_actions
from wargame.serve import wire
from wargame.serve.host import GameHost
from wargame.serve.remote import HostGone, HostLink, RemoteTeam
from wargame.state import State


def first_order(team: RemoteTeam, secret: str) -> Order:
    """A legal order from the team's own view, with a rationale no other seat may read."""
    view = team.view(team.role)
    t = team.tables
    legal = legal_actions(view, team.role)
    card = legal.cards()[0]
    c = t.cards[card]
    targets: tuple[str, ...] = ()
    if c.target_kind is not None:
        ids = t.target_ids(c.target_kind)
        cands = legal.targets_for(card)
        targets = tuple(ids[x] for x in cands[: c.target_count])
    return Order(t.roles[team.role].id, c.id, targets, secret)


async def join(host: GameHost, place: str) -> RemoteTeam:
    admitted = host.admit(host.codes[place], "test")
    assert not isinstance(admitted, str), admitted
    ticket, got = admitted
    assert got == place
    link = await asyncio.to_thread(HostLink, host.port, ticket)
    return RemoteTeam(link)


def sent_states(host: GameHost, place: str, upto: int | None = None) -> list[dict[str, object]]:
    out = []
    for conn in host.past + host.conns:
        if conn.place != place:
            continue
        for line in conn.sent[:upto]:
            msg = json.loads(line)
            if msg["kind"] == "update":
                out.append(msg)
    return out


async def play_one_turn(tmp: Path) -> tuple[GameHost, list[str], Game]:
    tables = load_tables(make_quad(tmp), turns=2)
    seats = {r.id: {"kind": "human", "name": None} for r in tables.roles}
    game = Game.new(tables, seed=11, seats=seats, saves=tmp / "saves")
    host = GameHost(game)
    host.record_traffic = True
    await host.start()
    ids = [r.id for r in tables.roles]
    a_id, b_id = ids[0], ids[1]
    try:
        # A wrong code is refused before any process starts; so is a forged ticket.
        assert isinstance(host.admit("not-a-code", "test"), str)
        with pytest.raises(HostGone):
            await asyncio.to_thread(HostLink, host.port, "forged-ticket")

        a = await join(host, a_id)
        b = await join(host, b_id)
        white = await join(host, wire.FACILITATOR)
        watcher = await join(host, wire.OBSERVER)
        # One browser per seat at a time.
        assert "already open" in str(host.admit(host.codes[a_id], "test"))

        # A team cannot act for another team, nor as the White Cell.
        with pytest.raises(IllegalActionError, match="own team"):
            await asyncio.to_thread(a.step, Pass(b_id))
        with pytest.raises(IllegalActionError, match="White Cell"):
            await asyncio.to_thread(a.white_cell, "end_orders")
        with pytest.raises(IllegalActionError, match="only a team"):
            await asyncio.to_thread(white.step, Pass(a_id))

        # Two teams give an order each, at the same time.
        oa, ob = first_order(a, "SECRET-OF-A"), first_order(b, "SECRET-OF-B")
        await asyncio.gather(asyncio.to_thread(a.step, oa), asyncio.to_thread(b.step, ob))
        assert len(a.state.orders[a.role]) == 1 and len(b.state.orders[b.role]) == 1

        # A's tab closes mid-turn: nothing is lost, and its link opens the seat again.
        a.link.close()
        for _ in range(100):
            if not host.connected(a_id):
                break
            await asyncio.sleep(0.02)
        assert not host.connected(a_id)
        a = await join(host, a_id)
        assert a.state.orders[a.role][0][2] == "SECRET-OF-A"

        # Both commit concurrently; the other two teams are still deciding.
        await asyncio.gather(
            asyncio.to_thread(a.step, Pass(a_id)), asyncio.to_thread(b.step, Pass(b_id))
        )
        before_reveal = {p: len(c.sent) for c in host.conns for p in [c.place]}
        assert set(white.update["waiting"]) == {2, 3}
        # The White Cell ends the orders phase, accepts the rolls, reads the summary.
        await asyncio.to_thread(white.white_cell, "end_orders")
        while white.update["white"].startswith("accept"):
            await asyncio.to_thread(white.white_cell, "accept_rolls")
        assert white.update["white"].startswith("read the summary")
        await asyncio.to_thread(white.white_cell, "summary_read")
        assert white.state.turn == 2
        del watcher
        return host, [a_id, b_id, str(before_reveal)], game
    finally:
        await host.stop()


async def test_seats_over_loopback(tmp_path: Path) -> None:
    host, (a_id, b_id, _), game = await asyncio.wait_for(play_one_turn(tmp_path), 60)
    t = game.tables
    # Hidden orders never reach another seat: neither the card, nor the words of the rationale,
    # in any update sent to B, the White Cell or the public board before the reveal.
    for place, secret, mine in ((b_id, "SECRET-OF-A", a_id), (a_id, "SECRET-OF-B", b_id)):
        for msg in sent_states(host, place):
            st = msg["state"]
            assert isinstance(st, dict)
            other = t.role_index[mine]
            for card in st["hand"][other]:
                assert card == HIDDEN
            if st["phase"] == "orders":
                assert all(o[0] == HIDDEN for o in st["orders"][other])
                assert secret not in json.dumps(msg)
    for place in (wire.FACILITATOR, wire.OBSERVER):
        msgs = sent_states(host, place)
        assert msgs
        for msg in msgs:
            st = msg["state"]
            assert isinstance(st, dict)
            assert all(c == HIDDEN for hand in st["hand"] for c in hand)
            if st["phase"] == "orders":
                assert "SECRET-OF" not in json.dumps(msg)
    # Only the White Cell is sent the codes.
    assert all("codes" not in m for m in sent_states(host, a_id))

    # The journal equals a local game given the same actions (the chance draws follow).
    assert game.path is not None
    loaded = journal.load(game.path)
    served = [to_dict(s.action) for s in loaded.session.steps]
    local = Game.new(game.tables, seed=11, seats=game.start_seats, saves=None)
    for s in game.session.steps:
        if s.action.__class__.__name__ != "Chance":
            local.step(s.action)
    assert [to_dict(s.action) for s in local.session.steps] == served
    assert local.state.digest() == loaded.session.state.digest()


def test_state_travels_whole(tmp_path: Path) -> None:
    tables = load_tables(make_quad(tmp_path), turns=2)
    game = Game.new(tables, seed=3, seats={}, saves=None)
    st: State = game.view(0)
    back = wire.state_from_json(json.loads(json.dumps(wire.state_to_json(st))), tables)
    assert back.digest() == st.digest()


def test_requests_are_checked_at_the_edge() -> None:
    with pytest.raises(ValueError):
        wire.parse_request('{"kind": "act", "id": 1, "action": {}, "role": "x"}')
    with pytest.raises(ValueError):
        wire.parse_request('{"kind": "white", "id": 1, "op": "undo_everything"}')
    ok = wire.parse_request('{"kind": "take_back", "id": 3}')
    assert isinstance(ok, wire.TakeBack)


async def test_white_cell_hands_a_seat_to_a_bot_and_back(tmp_path: Path) -> None:
    tables = load_tables(make_quad(tmp_path), turns=2)
    seats = {r.id: {"kind": "human", "name": None} for r in tables.roles}
    game = Game.new(tables, seed=5, seats=seats, saves=tmp_path / "saves")
    host = GameHost(game)
    await host.start()
    try:
        gone = tables.roles[2].id
        white = await join(host, wire.FACILITATOR)
        seat = await join(host, gone)
        await asyncio.to_thread(white.reseat, gone, "greedy")
        # The bot plays the seat at once: its commit reaches everyone.
        for _ in range(200):
            if 2 not in white.update["waiting"]:
                break
            await asyncio.sleep(0.02)
        assert 2 not in white.update["waiting"]
        assert "greedy" in white.update["seats"][gone]
        # The team's browser can no longer act for the role the bot plays.
        with pytest.raises(IllegalActionError, match="played by"):
            await asyncio.to_thread(seat.step, Pass(gone))
        await asyncio.to_thread(white.reseat, gone, "human")
        assert white.update["seats"][gone] == "human team"
        # Freeing a seat lets its browser go; its link then joins again.
        await asyncio.to_thread(white.free, gone)
        assert await asyncio.to_thread(seat.link.closed.wait, 5)
        for _ in range(100):
            if not host.connected(gone):
                break
            await asyncio.sleep(0.02)
        assert not isinstance(host.admit(host.codes[gone]), str)
    finally:
        await host.stop()


def test_continue_keeps_the_links(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    tables = load_tables(make_quad(tmp_path), turns=2)
    game = Game.new(tables, seed=5, seats={}, saves=tmp_path / "saves")
    host = GameHost(game)
    host.save_codes()
    assert game.path is not None
    again = GameHost(Game.resume(game.path), codes=GameHost.load_codes(game.path))
    assert again.codes == host.codes
    assert len(set(host.codes.values())) == len(host.codes)  # every place its own code
    with caplog.at_level("WARNING", logger="wargame.serve"):
        assert isinstance(again.admit("guess", "10.0.0.9"), str)
    assert "refused a join from 10.0.0.9" in caplog.text


async def test_a_team_takes_back_only_its_own_last_order(tmp_path: Path) -> None:
    tables = load_tables(make_quad(tmp_path), turns=2)
    game = Game.new(tables, seed=7, seats={}, saves=None)
    host = GameHost(game)
    await host.start()
    try:
        a = await join(host, tables.roles[0].id)
        b = await join(host, tables.roles[1].id)
        await asyncio.to_thread(a.step, first_order(a, "first"))
        influence = a.state.influence[a.role]
        assert isinstance(a.take_back_order(a.role), Order)
        await asyncio.to_thread(a.take_back, a.role)
        assert a.state.orders[a.role] == () and a.state.influence[a.role] > influence
        assert a.take_back_order(a.role) == "You have no order to take back."
        # Once another team has acted, the host refuses, with the reason the screen shows.
        await asyncio.to_thread(a.step, first_order(a, "again"))
        await asyncio.to_thread(b.step, first_order(b, "other"))
        with pytest.raises(IllegalActionError, match="Another seat has acted"):
            await asyncio.to_thread(a.take_back, a.role)
        assert len(a.state.orders[a.role]) == 1
        # The White Cell may: its undo takes back the last thing a person did (B's order).
        with pytest.raises(IllegalActionError, match="White Cell"):
            await asyncio.to_thread(a.white_cell, "undo")
        white = await join(host, wire.FACILITATOR)
        await asyncio.to_thread(white.white_cell, "undo")
        assert b.state.orders[b.role] == () and len(a.state.orders[a.role]) == 1
    finally:
        await host.stop()
