"""Issue 13, friction: hand a seat to a bot mid-game and back (a Reseat in the journal), and
solo play (the bots' rolls go by without a key press; nobody overrides the player's own roll)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_tui_fixture import press, screen_text, settle

from wargame import journal
from wargame.actions import Accept, Order, Override, Pass, Reseat, action_from_dict, to_dict
from wargame.errors import IllegalActionError, WargameError
from wargame.facilitation.controller import Game
from wargame.facilitation.launch import load_tables
from wargame.pending import AdjudicationDue, OrdersDue
from wargame.rules import legal_actions
from wargame.seats import BotSeat, HumanSeat

SEATS: dict[str, Any] = {
    "merchants": {"kind": "human", "name": "Red"},
    "corsairs": {"kind": "bot", "bot": "random", "level": ""},
    "guilds": {"kind": "human", "name": "Blue"},
    "islanders": {"kind": "bot", "bot": "random", "level": ""},
}
SOLO: dict[str, Any] = {**SEATS, "merchants": {"kind": "bot", "bot": "greedy", "level": ""}}


def play(g: Game, *, turns: int = 1, accept: bool = True) -> None:
    """Bots choose, humans commit at once, rolls are accepted, for `turns` turns."""
    start = g.state.turn
    while not g.state.over and g.state.turn < start + turns:
        g.summaries_due.clear()
        due = g.pending()
        if isinstance(due, OrdersDue):
            r = due.roles[0]
            if g.is_bot(r):
                bot = g.bots[r]
                g.step(g.bot_action(r, bot.choose(g.view(r), r), bot.last_explanation))
            else:
                g.step(Pass(g.tables.roles[r].id))
        elif isinstance(due, AdjudicationDue):
            if not accept:
                return
            g.accept_bot_rolls()
            if isinstance(g.pending(), AdjudicationDue):
                g.step(Accept())
        else:
            g.settle()


def test_reseat_round_trip_journal_replay_and_resume(tmp_path: Path, quad: Path) -> None:
    tables = load_tables(quad)
    g = Game.new(tables, seed=5, seats=SEATS, saves=tmp_path / "saves")
    red = tables.role_index["merchants"]
    play(g)
    assert g.is_human(red) and not g.is_bot(red)
    g.reseat(red, "greedy", "Team Red left early")
    assert g.is_bot(red) and g.seat(red) == BotSeat("greedy")
    assert red in g.bots_waiting() or not isinstance(g.pending(), OrdersDue)
    assert "White Cell hands Merchant" in " ".join(g.narrative(g.session.steps[-1]))
    play(g)
    g.reseat(red, HumanSeat("Red"))
    assert g.is_human(red) and not g.is_bot(red)
    with pytest.raises(IllegalActionError):
        g.reseat(red, HumanSeat("Red"))  # already theirs
    with pytest.raises(WargameError):
        g.reseat(red, "superbot")
    assert g.path is not None
    lines = g.path.read_text().splitlines()
    header = json.loads(lines[0])
    assert header["seats"] == SEATS  # the header keeps the seats the game started with
    records = [json.loads(x)["action"] for x in lines[1:]]
    reseats = [a for a in records if a["type"] == "reseat"]
    assert reseats == [
        {"type": "reseat", "role": "merchants", "seat": "greedy", "reason": "Team Red left early"},
        {"type": "reseat", "role": "merchants", "seat": "human:Red", "reason": ""},
    ]
    assert action_from_dict(reseats[0]) == Reseat("merchants", "greedy", "Team Red left early")
    assert to_dict(action_from_dict(reseats[1])) == reseats[1]
    loaded = journal.load(g.path)  # verify: replay, hash chain, state digests
    assert loaded.records == len(lines) - 1
    # Resumed in the middle (bot seat) and at the end (human again): the seating is restored.
    g.writer.close() if g.writer else None
    again = Game.resume(g.path)
    assert again.seat(red) == HumanSeat("Red") and not again.is_bot(red)


def test_a_reseated_bot_draws_from_the_seed_and_the_record(tmp_path: Path, quad: Path) -> None:
    """The new bot's generator comes from the seed and the Reseat's record: a resumed game
    (a replay) gives it the same generator as the live one."""
    tables = load_tables(quad)
    g = Game.new(tables, seed=9, seats=SEATS, saves=tmp_path / "saves")
    red = tables.role_index["merchants"]
    g.reseat(red, "random")
    live = g.bots[red].rng.random(4)  # type: ignore[attr-defined]
    assert g.path is not None and g.writer is not None
    g.writer.close()
    again = Game.resume(g.path)
    assert again.is_bot(red)
    assert list(again.bots[red].rng.random(4)) == list(live)  # type: ignore[attr-defined]
    other = Game.new(tables, seed=9, seats=SEATS, saves=None)
    assert list(other.bots[tables.role_index["corsairs"]].rng.random(4)) != list(live)


def test_old_saves_without_reseat_still_load(tmp_path: Path, quad: Path) -> None:
    tables = load_tables(quad)
    g = Game.new(tables, seed=3, seats=SEATS, saves=tmp_path / "saves")
    play(g)
    assert g.path is not None and g.writer is not None
    g.writer.close()
    again = Game.resume(g.path)
    assert again.seats == g.seats and again.start_seats == g.start_seats


async def test_ctrl_b_hands_a_team_to_a_bot_from_the_room(tmp_path: Path, quad: Path) -> None:
    from test_tui_keys import key_bar, options, start

    from wargame.tui.app import WargameApp
    from wargame.tui.screens.dialogs import ChoiceDialog

    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(160, 40)) as pilot:
        await start(app, pilot)
        g = app.game
        assert g is not None
        assert "Seats" in key_bar(app)
        red = g.tables.role_index["merchants"]
        await press(app, pilot, "ctrl+b")
        assert isinstance(app.screen, ChoiceDialog)
        await press(app, pilot, "enter")  # the first role: Team Red
        assert isinstance(app.screen, ChoiceDialog)
        await press(app, pilot, "enter")  # the first seat offered: the greedy bot
        await settle(app, pilot)
        assert g.seat(red) == BotSeat("greedy")
        assert any(isinstance(s.action, Reseat) for s in g.session.steps)
        await settle(app, pilot)
        assert red not in g.humans_waiting()  # the bot plays Red's orders now
        # And back to the team: the last seat offered is people, then the team's name (its
        # old name is offered, selected: typing replaces it).
        await press(app, pilot, "ctrl+b", "enter", "end", "enter", "R", "e", "d", "enter")
        await settle(app, pilot)
        assert g.seat(red) == HumanSeat("Red") and not g.is_bot(red)
        assert [s.action.seat for s in g.session.steps if isinstance(s.action, Reseat)] == [
            "greedy",
            "human:Red",
        ]


# ---------------------------------------------------------------------- solo play


def test_solo_bot_rolls_need_no_acceptance_and_own_rolls_no_override(
    tmp_path: Path, quad: Path
) -> None:
    tables = load_tables(quad)
    g = Game.new(tables, seed=5, seats=SOLO, saves=None)
    assert g.solo
    seen_bot = seen_own = False
    for _ in range(3000):
        if g.state.over:
            break
        g.summaries_due.clear()
        due = g.pending()
        if isinstance(due, OrdersDue):
            r = due.roles[0]
            if g.is_bot(r):
                bot = g.bots[r]
                g.step(g.bot_action(r, bot.choose(g.view(r), r), bot.last_explanation))
            else:
                rolled = [
                    a
                    for a in legal_actions(g.view(r), r)
                    if isinstance(a, Order)
                    and g.tables.cards[g.tables.card_index[a.card]].roll_base
                ]
                g.step(rolled[0] if rolled else Pass(g.tables.roles[r].id))
        elif isinstance(due, AdjudicationDue):
            owner = g.roll_owner()
            assert owner is not None
            if owner >= 0 and g.is_bot(owner):
                seen_bot = True
                assert g.accepts_itself()
                n = g.accept_bot_rolls()
                assert n >= 1
            else:
                if owner >= 0 and g.is_human(owner):
                    seen_own = True
                    assert g.why_no_override() is not None
                    with pytest.raises(IllegalActionError, match="your own roll"):
                        g.step(Override("success", "I insist"))
                g.step(Accept())
        else:
            g.settle()
    assert seen_bot and seen_own
    # Asking for confirmation stops the bots' rolls going by (journaled as a note).
    h = Game.new(tables, seed=5, seats=SOLO, saves=None)
    assert h.toggle_confirm_bot_rolls() is True
    assert not h.accepts_itself()


def test_seminar_rolls_all_wait_for_the_white_cell(tmp_path: Path, quad: Path) -> None:
    tables = load_tables(quad)
    g = Game.new(tables, seed=5, seats=SEATS, saves=None)
    assert not g.solo
    play(g, accept=False)
    assert isinstance(g.pending(), AdjudicationDue)
    assert not g.accepts_itself() and g.accept_bot_rolls() == 0
    assert g.why_no_override() is None


async def test_solo_app_lets_bot_rolls_go_by_and_hides_override_of_own_roll(
    tmp_path: Path, quad: Path
) -> None:
    """Solo in the app: the bots' rolls are accepted without a key (journaled Accepts), the
    screen waits only on the player's own roll or an event, and there Ctrl+O is not offered;
    F6 makes the bots' rolls wait again."""
    from test_tui_keys import key_bar, options, start

    from wargame.tui.app import WargameApp
    from wargame.tui.screens.resolution import ResolutionScreen

    solo = "merchants=greedy,corsairs=random,guilds=human:Blue,islanders=random"
    app = WargameApp(options(tmp_path, quad, bots=solo))
    async with app.run_test(size=(160, 48)) as pilot:
        await start(app, pilot)
        g = app.game
        assert g is not None and g.solo
        assert "F6" in key_bar(app) or "f6" in key_bar(app)
        guilds = g.tables.role_index["guilds"]
        view = g.view(guilds)
        patrol = next(
            g.tables.cards[c].id
            for c in view.hand[guilds]
            if g.tables.cards[c].roll_base is not None and g.tables.cards[c].target_kind is None
        )
        g.step(Order("guilds", patrol))
        await press(app, pilot, "ctrl+e", "ctrl+y")  # end the phase: Blue commits
        await settle(app, pilot)
        seen_own = False
        for _ in range(40):
            await settle(app, pilot)
            p = g.pending()
            if not isinstance(p, AdjudicationDue):
                if g.state.turn > 1 or isinstance(app.screen, ResolutionScreen):
                    break
                continue
            owner = g.roll_owner()
            assert owner is not None and not (owner >= 0 and g.is_bot(owner))
            if owner == guilds:
                seen_own = True
                assert isinstance(app.screen, ResolutionScreen)
                assert "Override" not in key_bar(app)
                assert "your own roll stands as drawn" in " ".join(screen_text(app).split())
            await press(app, pilot, "enter")
        accepted_alone = sum(
            1
            for s in g.session.steps
            if isinstance(s.action, Accept)
            and s.before.queue[0].owner != guilds
            and s.before.queue[0].owner >= 0
        )
        assert accepted_alone >= 1 and seen_own
        await press(app, pilot, "f6")
        assert g.confirm_bot_rolls and not g.accepts_itself()


def test_headless_continue_finishes_a_game_whose_teams_left(
    tmp_path: Path, quad: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both teams handed their seats to bots: `--headless --continue` reads the seating from
    the journal (not the header's human seats) and lets the bots finish; the save verifies."""
    from wargame.cli import main

    tables = load_tables(quad)
    saves = tmp_path / "saves"
    g = Game.new(tables, seed=4, seats=SEATS, saves=saves)
    play(g)
    g.reseat(tables.role_index["merchants"], "greedy", "the class ended")
    g.reseat(tables.role_index["guilds"], "random", "the class ended")
    assert g.writer is not None and g.path is not None
    g.writer.close()
    assert main(["play", "--headless", "--saves", str(saves), "--continue", str(g.path)]) == 0
    capsys.readouterr()
    assert journal.load(g.path).session.state.over


def test_forced_undo_in_solo_targets_the_players_accept_not_a_bots_roll(
    tmp_path: Path, quad: Path
) -> None:
    """In solo play the bots' rolls go by unseen after the player accepts his own: a forced
    undo takes back what the player did (with the draws and acceptances that followed), and
    its question names the card and the team. A seat handed over since is not handed back,
    and the question says so."""
    from wargame.actions import Chance
    from wargame.facilitation import room

    tables = load_tables(quad)
    for seed in range(5, 40):
        g = Game.new(tables, seed=seed, seats=SOLO, saves=None)
        blue = tables.role_index["guilds"]
        mine = None
        while mine is None and not g.state.over:
            g.summaries_due.clear()
            due = g.pending()
            if isinstance(due, OrdersDue):
                r = due.roles[0]
                if g.is_bot(r):
                    bot = g.bots[r]
                    g.step(g.bot_action(r, bot.choose(g.view(r), r), bot.last_explanation))
                else:
                    rolled = [
                        a
                        for a in legal_actions(g.view(r), r)
                        if isinstance(a, Order)
                        and g.tables.cards[g.tables.card_index[a.card]].roll_base
                    ]
                    g.step(rolled[0] if rolled else Pass(g.tables.roles[r].id))
            elif isinstance(due, AdjudicationDue):
                if g.roll_owner() == blue:
                    index = len(g.session.steps)
                    g.step(Accept())  # and the draws that follow it at once
                    g.accept_bot_rolls()
                    tail = g.session.steps[index + 1 :]
                    if any(isinstance(s.action, Accept) for s in tail):
                        mine = index  # a bot's roll went by after the player's
                else:
                    g.accept_bot_rolls()
                    if isinstance(g.pending(), AdjudicationDue):
                        g.step(Accept())
            else:
                g.settle()
        if mine is not None:
            break
    assert mine is not None, "no seed gave a bot roll after the player's"
    assert isinstance(g.session.steps[-1].action, Chance | Accept)
    g.reseat(tables.role_index["islanders"], "greedy", "watch")
    assert g.people_undo_target(True) == mine
    what = room.describe_step(g, mine)
    assert what.startswith("the acceptance of the roll for “") and "Blue" in what
    also = " ".join(room.undo_consequences(g, mine))
    assert "Taken back with it: the roll drawn for" in also
    # The islanders went to a bot since: the undo leaves them there, and says so.
    assert "An undo does not change who plays a role: " in also
    assert "stays with the greedy bot (Ctrl+B changes it)" in also


def test_an_undo_does_not_mark_a_later_reseat_or_note_as_taken_back(
    tmp_path: Path, quad: Path
) -> None:
    """The White Cell hands a seat over and writes a note, then takes back a team's earlier
    order. The order is taken back; the reseat and the note stand (the seat stays handed over,
    the note was written), so the debrief must not say "(later taken back)" of them, and the
    turn's story keeps the reseat."""
    from wargame.actions import Undo
    from wargame.facilitation.debrief import Debrief

    tables = load_tables(quad)
    g = Game.new(tables, seed=5, seats=SEATS, saves=tmp_path / "saves")
    red = tables.role_index["merchants"]
    blue = tables.role_index["guilds"]
    while not isinstance(g.pending(), OrdersDue) or red not in g.humans_waiting():
        play(g, turns=0)
        g.settle()
    order = next(a for a in legal_actions(g.view(red), red) if isinstance(a, Order))
    g.step(order)
    g.note("Red asked about the storms")
    g.reseat(blue, "greedy", "Team Blue left early")
    g.undo_people(Undo(False, ""))
    assert g.session.orders_of("merchants") == []
    assert g.seat(blue) == BotSeat("greedy")
    steps = g.session.steps
    kinds = {type(s.action).__name__: s.undone for s in steps[-4:]}
    assert kinds["Order"] and not kinds["Note"] and not kinds["Reseat"]
    assert g.path is not None
    d = Debrief.open(g.path)
    n = len(steps)
    assert [d.entry(k).undone for k in range(n - 3, n + 1)] == [True, False, False, False]
    assert any("hands" in line and "greedy" in line for line in g.turn_lines(g.state.turn))


def test_a_solo_games_timeline_has_no_white_cell_accepting_rolls(
    tmp_path: Path, quad: Path
) -> None:
    """In solo play nobody adjudicates: the debrief's timeline says a roll stands, not that
    "White Cell accepts the roll" (there was no White Cell)."""
    from wargame.facilitation.debrief import Debrief

    tables = load_tables(quad)
    g = Game.new(tables, seed=5, seats=SOLO, saves=tmp_path / "saves")
    assert g.solo
    play(g)
    assert g.path is not None
    d = Debrief.open(g.path)
    accepts = [e for e in d.entries if e.kind == "accept"]
    assert accepts
    assert all("White Cell" not in e.text and " stands: " in e.text for e in accepts)
    assert all(e.actor != "White Cell" for e in accepts)


def test_the_undo_question_after_a_seat_came_back_to_its_team(tmp_path: Path, quad: Path) -> None:
    """Red's seat went to a bot, which committed; Red came back. Undoing that commit leaves
    the seat with team Red, and the question says so (it used to say "stays as it is: Ctrl+B
    hands it back", as if the seat were still the bot's)."""
    from wargame.facilitation import room

    tables = load_tables(quad)
    g = Game.new(tables, seed=5, seats=SEATS, saves=tmp_path / "saves")
    red = tables.role_index["merchants"]
    g.reseat(red, "greedy", "Team Red is late")
    while red not in g.committed_roles(g.state.turn):
        due = g.pending()
        assert isinstance(due, OrdersDue)
        r = due.roles[0]
        if g.is_bot(r):
            bot = g.bots[r]
            g.step(g.bot_action(r, bot.choose(g.view(r), r), bot.last_explanation))
        else:
            g.step(Pass(tables.roles[r].id))
    commit = max(
        i
        for i, s in enumerate(g.session.steps)
        if isinstance(s.action, Pass) and s.action.role == "merchants"
    )
    g.reseat(red, HumanSeat("Red"))
    said = " ".join(room.undo_consequences(g, commit))
    assert "An undo does not change who plays a role: " in said
    assert "stays with team Red (Ctrl+B changes it)" in said
