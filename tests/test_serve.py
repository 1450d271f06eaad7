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
from wargame.actions import Inject, Note, Order, Override, Pass, Undo, to_dict
from wargame.errors import IllegalActionError, WargameError
from wargame.facilitation import clock
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
        # B learns of it by the update the host pushes to every seat, which may come a moment
        # after the White Cell's answer.
        for _ in range(150):
            if b.state.orders[b.role] == ():
                break
            await asyncio.sleep(0.02)
        assert b.state.orders[b.role] == () and len(a.state.orders[a.role]) == 1
    finally:
        await host.stop()


def journal_actions(game: Game) -> list[dict[str, object]]:
    assert game.path is not None
    return [to_dict(s.action) for s in journal.load(game.path).session.steps]


async def test_every_white_cell_control_over_loopback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The White Cell's browser injects, notes, pauses, adds time, overrides a roll with a
    reason, forces an undo with one and reads the summary; each lands in the journal. A team's
    browser sending the same is refused, and the host logs it."""
    tables = load_tables(make_quad(tmp_path), turns=2)
    seats = {r.id: {"kind": "human", "name": None} for r in tables.roles}
    game = Game.new(tables, seed=11, seats=seats, saves=tmp_path / "saves", settings={"timer": 5})
    host = GameHost(game)
    await host.start()
    ids = [r.id for r in tables.roles]
    try:
        white = await join(host, wire.FACILITATOR)
        teams = [await join(host, rid) for rid in ids]
        a = teams[0]

        # A team's browser may not speak as the White Cell, whatever it sends.
        with caplog.at_level("WARNING", logger="wargame.serve"):
            for attempt in (
                lambda: a.white_act(Note("a team writes the record")),
                lambda: a.white_act(Inject("admiral_inject", "")),
                lambda: a.white_act(Undo(True, "a team forces an undo")),
                lambda: a.ask("undo"),
                lambda: a.white_cell("pause"),
            ):
                with pytest.raises(IllegalActionError, match="only the White Cell"):
                    await asyncio.to_thread(attempt)
        assert f"refused a White Cell request (white_act) from {ids[0]}" in caplog.text
        assert f"refused a White Cell request (ask) from {ids[0]}" in caplog.text
        assert not any(d.get("type") in ("note", "inject", "undo") for d in journal_actions(game))

        # An inject, chosen from those the scenario allows now, with the reason for it.
        answer = await asyncio.to_thread(white.ask, "injects")
        cards = [c[0] for c in answer["injects"]]
        assert "admiral_inject" in cards
        await asyncio.to_thread(white.white_act, Inject("admiral_inject", "to test the alliance"))
        # The White Cell's note; one that speaks for a team is refused.
        await asyncio.to_thread(white.white_act, Note("the class asked about the admiral"))
        with pytest.raises(IllegalActionError, match="speaks for no team"):
            await asyncio.to_thread(white.white_act, Note("forged", ids[1]))
        # The timer: paused (every seat's clock stands), resumed, extended.
        await asyncio.to_thread(white.white_cell, "pause")
        assert white.update["paused"] and a.clock.paused_left is not None
        with pytest.raises(IllegalActionError, match="paused already"):
            await asyncio.to_thread(white.white_cell, "pause")
        await asyncio.to_thread(white.white_cell, "resume")
        assert not a.update["paused"]
        await asyncio.to_thread(white.white_cell, "more_time")
        done = journal_actions(game)
        assert {"type": "inject", "card": "admiral_inject", "reason": "to test the alliance"} in [
            {k: d[k] for k in ("type", "card", "reason")} for d in done if d["type"] == "inject"
        ]
        notes = [d["text"] for d in done if d["type"] == "note"]
        assert "the class asked about the admiral" in notes
        assert [clock.PAUSED, clock.PLAY_RESUMED, clock.EXTENDED] == [
            n for n in notes if n in (clock.PAUSED, clock.PLAY_RESUMED, clock.EXTENDED)
        ]

        # Every team gives an order and the White Cell ends the phase: the rolls wait for it.
        for team in teams:
            await asyncio.to_thread(team.step, first_order(team, "why"))
        await asyncio.to_thread(white.white_cell, "end_orders")
        roll = white.update["roll"]
        assert roll is not None and roll["drawn"] in ("success", "failure")
        assert "Chance" in "".join(m for m in roll["panel"] if m)
        other = "failure" if roll["drawn"] == "success" else "success"
        with pytest.raises(IllegalActionError, match="only the White Cell"):
            await asyncio.to_thread(a.white_act, Override(other, "a team wants it"))
        with pytest.raises(IllegalActionError, match="reason"):
            await asyncio.to_thread(white.white_act, Override(other, " "))
        await asyncio.to_thread(white.white_act, Override(other, "the storm was worse"))
        overrides = [d for d in journal_actions(game) if d["type"] == "override"]
        assert overrides == [
            {"type": "override", "outcome": other, "reason": "the storm was worse"}
        ]

        # Taking the override back is a forced undo: asked, confirmed, then with a reason.
        q = await asyncio.to_thread(white.ask, "undo")
        assert q["forced"] and "Force the undo of: the override of the roll" in q["question"]
        with pytest.raises(IllegalActionError, match="moved on"):
            await asyncio.to_thread(white.white_act, Undo(True, "again"), q["seen"] - 1)
        await asyncio.to_thread(white.white_act, Undo(True, "overridden by mistake"), q["seen"])
        undos = [d for d in journal_actions(game) if d["type"] == "undo"]
        assert [(d["force"], d["reason"]) for d in undos][-1] == (True, "overridden by mistake")
        assert white.update["roll"] is not None  # the roll waits again

        # The rolls accepted one by one (Enter), the turn's summary is read, then shown again.
        while white.update["roll"] is not None:
            await asyncio.to_thread(white.white_cell, "accept")
        summary = await asyncio.to_thread(white.ask, "summary")
        assert "Turn 1" in summary["title"] and "Victory points" in summary["body"]
        await asyncio.to_thread(white.white_cell, "summary_read")
        assert white.update["can"]["summary"] and white.state.turn == 2
        again = await asyncio.to_thread(white.ask, "summary")
        assert "shown again" in again["title"]
        with pytest.raises(IllegalActionError, match="not over"):
            await asyncio.to_thread(white.ask, "end")
    finally:
        await host.stop()


def test_the_white_cell_reads_the_end_of_the_game(tmp_path: Path) -> None:
    """A finished game: the White Cell's page asks for the end of the game and gets the final
    ranking and the story in the terminal's words, with the replay command (no Ctrl+R there);
    a team's browser asking the same is refused."""
    example = Path(__file__).resolve().parent.parent / "saves" / "example-circle-of-friends.jsonl"
    save = tmp_path / example.name
    save.write_bytes(example.read_bytes())
    game = Game.resume(save)
    assert game.state.over
    host = GameHost(game)
    end = host.handle(wire.FACILITATOR, wire.Ask(kind="ask", id=1, what="end"))
    assert "Game over" in end["title"]
    assert "Final ranking" in end["body"] and "The story of the game" in end["body"]
    assert "replay" in end["body"] and "Ctrl+R" not in end["body"]
    facts = host.update_for(wire.FACILITATOR)
    assert facts["can"]["summary"] and not facts["can"]["inject"] and facts["roll"] is None
    with pytest.raises(WargameError, match="only the White Cell"):
        host.handle(game.tables.roles[0].id, wire.Ask(kind="ask", id=2, what="end"))


async def test_solo_play_lets_the_bots_rolls_go_by(tmp_path: Path) -> None:
    """One team of people against bots (solo play, as in the terminal): the bots' rolls are
    accepted without the White Cell, the team's own roll waits and cannot be overridden; F6
    on the White Cell's page makes the bots' rolls wait too (journaled)."""
    tables = load_tables(make_quad(tmp_path), turns=2)
    ids = [r.id for r in tables.roles]
    seats = {rid: {"kind": "bot", "bot": "greedy"} for rid in ids[1:]}
    seats[ids[0]] = {"kind": "human", "name": None}
    game = Game.new(tables, seed=11, seats=seats, saves=tmp_path / "saves")
    assert game.solo
    host = GameHost(game)
    await host.start()
    try:
        white = await join(host, wire.FACILITATOR)
        team = await join(host, ids[0])
        await asyncio.to_thread(team.step, first_order(team, "mine"))
        await asyncio.to_thread(team.step, Pass(ids[0]))
        for _ in range(500):
            if not white.update["orders_open"]:
                break
            await asyncio.sleep(0.02)
        assert not white.update["orders_open"]
        bot_accepts = [
            s
            for s in game.session.steps
            if s.action.__class__.__name__ == "Accept" and s.before.queue[0].owner != 0
        ]
        assert bot_accepts, "no bot's roll in this game: choose another seed"
        roll = white.update["roll"]
        if roll is not None:  # the team's own roll waits, and stands as drawn
            assert game.state.queue[0].owner == 0 and not white.update["can"]["override"]
        with pytest.raises(IllegalActionError, match="only the White Cell"):
            await asyncio.to_thread(team.white_cell, "bot_rolls")
        assert white.update["can"]["bot_rolls"] and not white.update["bot_rolls_wait"]
        await asyncio.to_thread(white.white_cell, "bot_rolls")
        assert white.update["bot_rolls_wait"]
        assert journal_actions(game)[-1]["type"] == "note"
    finally:
        await host.stop()


async def test_a_seat_draws_the_rooms_map_from_its_own_view(tmp_path: Path) -> None:
    """The host sends each seat the ties and alliances the map's moves are counted from
    (nothing else: they are on every board); the seat lays them over its own view and draws
    the map the room draws."""
    from types import SimpleNamespace

    from wargame.facilitation.tilemap import map_view
    from wargame.observe import view_for

    host, (a_id, _, _), game = await play_one_turn(tmp_path)
    msg = sent_states(host, a_id)[-1]
    assert set(msg["map_base"]) == {"since", "ties", "ally", "alliance", "also_allied"}
    team = RemoteTeam(SimpleNamespace(welcome=host.welcome(a_id), latest=msg))  # type: ignore[arg-type]
    before, since = game.map_baseline()
    assert team.map_view() == map_view(view_for(game.state, a_id), before, since)
    assert team.map_view().since == "since the start of turn 1 (1650)"


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
async def test_m_shows_the_map_in_a_teams_browser_seat(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """The seat's app (what textual-serve runs for a team's tab), on the bundled scenario: m
    swaps the table for the whole map (at 80 columns too: the teams give way to it), and
    back."""
    from test_tui_fixture import press, screen_text, settle

    from wargame.paths import default_scenario
    from wargame.serve.apps import ServedApp

    tables = load_tables(default_scenario(), turns=2)
    seats = {r.id: {"kind": "human", "name": None} for r in tables.roles}
    game = Game.new(tables, seed=11, seats=seats, saves=tmp_path / "saves")
    host = GameHost(game)
    await host.start()
    try:
        place = tables.roles[1].id
        admitted = host.admit(host.codes[place], "test")
        assert not isinstance(admitted, str)
        app = ServedApp(host.port, admitted[0])
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            if not type(app.screen).__name__.startswith("Served"):
                await press(app, pilot, "escape")  # from the hand to the board
            assert "m Map" in screen_text(app)
            await press(app, pilot, "m")
            text = screen_text(app)
            assert "m Table" in text
            for code in ("BLR", "EU", "JPN", "ECU", "★USA", "NGA", "NZL"):  # the four edges
                assert code in text, code
            assert "non-aligned" in text and "No country changed status" in text
            await press(app, pilot, "m")
            assert "m Map" in screen_text(app)
    finally:
        await host.stop()


async def test_the_white_cells_projected_room_opens_on_the_map(tmp_path: Path) -> None:
    """The facilitator's link is for the projector: wide, it opens on the map, as the
    terminal's room does."""
    from test_tui_fixture import screen_text, settle

    from wargame.serve.apps import ServedApp

    tables = load_tables(make_quad(tmp_path), turns=2)
    seats = {r.id: {"kind": "human", "name": None} for r in tables.roles}
    game = Game.new(tables, seed=11, seats=seats, saves=tmp_path / "saves")
    host = GameHost(game)
    await host.start()
    try:
        admitted = host.admit(host.codes[wire.FACILITATOR], "test")
        assert not isinstance(admitted, str)
        app = ServedApp(host.port, admitted[0])
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(app, pilot)
            text = screen_text(app)
            assert "m Table" in text and "AIS" in text and "Outer Reefs" in text
    finally:
        await host.stop()
