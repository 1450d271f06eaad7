"""Pilot-driven tests of the terminal UI: a whole turn with two teams and two bots, the White
Cell's controls, errors as dialogs, and the journal replaying to what the screen showed."""

from __future__ import annotations

import json
from pathlib import Path

from test_tui_fixture import pick_card, press, screen_text, settle
from test_tui_fixture import quad_options as options

from wargame import journal
from wargame.actions import Chance, Order, Undo
from wargame.facilitation.launch import Options
from wargame.pending import AdjudicationDue, ChanceDue, OrdersDue
from wargame.tui.app import WargameApp
from wargame.tui.screens.dialogs import MessageDialog
from wargame.tui.screens.orders import HandOverScreen, OrdersScreen
from wargame.tui.screens.resolution import ResolutionScreen, SummaryScreen
from wargame.tui.screens.room import RoomScreen
from wargame.tui.screens.setup import SetupScreen


def actions_of(path: Path) -> list[dict[str, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [json.loads(x)["action"] for x in lines]


async def test_full_turn_two_teams_two_bots(tmp_path: Path, quad: Path) -> None:
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SetupScreen)
        assert "Red" in screen_text(app) and "random bot" in screen_text(app)
        await press(app, pilot, "ctrl+s")
        assert "Start the game" in screen_text(app)  # the seats, once more, before the start
        await press(app, pilot, "ctrl+y")
        assert isinstance(app.screen, RoomScreen)
        g = app.game
        assert g is not None
        # The bots commit on their own (worker) while the teams are still deciding.
        assert g.bots_waiting() == []
        assert [g.tables.roles[r].id for r in g.humans_waiting()] == ["merchants", "guilds"]
        room = screen_text(app)
        assert "Amber Isle" in room and "Storm season" in room and "Tide Council" in room

        # Red's turn at the keyboard: a curtain first, then its hand.
        await press(app, pilot, "enter")
        assert isinstance(app.screen, HandOverScreen)
        assert "Trade mission" not in screen_text(app)
        await press(app, pilot, "enter")  # Enter alone does not open the hand
        assert isinstance(app.screen, HandOverScreen)
        await press(app, pilot, "ctrl+o")
        assert isinstance(app.screen, OrdersScreen)
        text = screen_text(app)
        assert "Trade mission" in text and "Source:" in text
        # Play "Trade mission" on the first legal target, with a reason.
        await pick_card(app, pilot, "Trade mission")
        await press(app, pilot, "enter")
        dialog = screen_text(app)
        assert "only legal targets" in dialog and "Amber Isle" in dialog
        assert "Coral Keys" not in dialog  # in the grey zone: not a legal target
        await press(app, pilot, "enter", "text:court the inner sea", "enter")
        assert isinstance(app.screen, OrdersScreen)
        assert "why: court the inner sea" in screen_text(app)
        await press(app, pilot, "ctrl+s", "tab", "enter")

        # The hand-over hides Red's orders from Blue.
        assert isinstance(app.screen, HandOverScreen)
        curtain = screen_text(app)
        assert "Blue" in curtain and "Trade mission" not in curtain
        await press(app, pilot, "ctrl+o")
        blue = screen_text(app)
        assert isinstance(app.screen, OrdersScreen)
        assert "court the inner sea" not in blue and "Trade mission" not in blue
        assert "Hold a guild fair" in blue
        await pick_card(app, pilot, "Hold a guild fair")
        await press(app, pilot, "enter", "enter", "enter", "ctrl+s", "ctrl+y")
        assert isinstance(app.screen, HandOverScreen)
        await press(app, pilot, "enter")

        # Resolution: every order revealed with its reason; one override, the rest accepted.
        assert isinstance(app.screen, ResolutionScreen)
        text = screen_text(app)
        assert "orders revealed" in text and "court the inner sea" in text
        assert "bot's reason: chosen at random" in text
        overridden = False
        for _ in range(20):
            screen = app.screen
            assert isinstance(screen, ResolutionScreen)
            if not screen.adjudicating():
                break
            if not overridden:
                await press(app, pilot, "ctrl+o", "enter", "text:the fleet was delayed", "enter")
                overridden = True
            else:
                await press(app, pilot, "enter")
        assert overridden
        assert "Resolution complete" in screen_text(app)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, SummaryScreen)
        summary = screen_text(app)
        assert "what changed" in summary and "Victory points this turn" in summary
        await press(app, pilot, "enter")
        while isinstance(app.screen, ResolutionScreen):  # the next turn's event roll
            await press(app, pilot, "enter")
        assert isinstance(app.screen, RoomScreen)
        assert g.state.turn == 2
        shown = g.state.digest()
        path = g.path
        assert path is not None
        await press(app, pilot, "ctrl+q")
    assert app.exit_message.startswith("Saved: ")

    # The journal on disk replays to the state the UI showed.
    loaded = journal.load(path)
    assert loaded.session.state.digest() == shown
    acts = actions_of(path)
    assert {
        "type": "order",
        "role": "merchants",
        "card": "trade_mission",
        "targets": ["amber"],
        "rationale": "court the inner sea",
    } in acts
    assert any(a["type"] == "override" and a["reason"] == "the fleet was delayed" for a in acts)
    bot_orders = [
        a for a in acts if a["type"] == "order" and a["role"] in ("corsairs", "islanders")
    ]
    assert bot_orders and all(a["rationale"] == "chosen at random" for a in bot_orders)
    # Why each bot committed is journaled with its pass; a human team's pass has no text.
    passes = {a["role"]: a for a in acts if a["type"] == "pass"}
    assert passes["corsairs"]["rationale"] and passes["islanders"]["rationale"]
    assert "rationale" not in passes["merchants"]
    header = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert header["seats"]["merchants"] == {"kind": "human", "name": "Red"}
    assert header["seats"]["corsairs"]["kind"] == "bot"
    assert header["seed"] == 11 and header["facilitated"] is True


async def test_white_cell_controls_are_journaled(tmp_path: Path, quad: Path) -> None:
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        g = app.game
        assert g is not None
        # Help lists the keys.
        await press(app, pilot, "question_mark")
        assert "How a session runs" in screen_text(app)
        assert "inject an event card" in str(app.screen.query_one("#help-body Static").render())
        await press(app, pilot, "escape")
        # A note.
        await press(app, pilot, "ctrl+n", "text:teams argue about the storms", "enter")
        # An inject (the admiral's decree is inject-only; pick the first offered).
        await press(app, pilot, "ctrl+g")
        assert "Inject an event card" in screen_text(app)
        await press(app, pilot, "enter", "text:naval review", "enter")
        # An order by Red, then the White Cell undoes it (normal undo, confirmed).
        await press(app, pilot, "2")  # Corsairs: a bot seat → a message, nothing happens
        assert isinstance(app.screen, MessageDialog)
        await press(app, pilot, "enter", "1", "ctrl+o")
        await pick_card(app, pilot, "Trade mission")
        await press(app, pilot, "enter", "enter", "enter", "escape")
        assert isinstance(app.screen, RoomScreen)
        await press(app, pilot, "ctrl+u", "ctrl+y")
        # Pause and resume; the high-contrast theme.
        await press(app, pilot, "ctrl+p")
        assert "PAUSED" in screen_text(app)
        await press(app, pilot, "ctrl+p")
        await press(app, pilot, "f2")
        assert app.theme == "wargame-contrast"
        await press(app, pilot, "f2")
        # End the phase: both human seats commit what they have.
        await press(app, pilot, "ctrl+e", "ctrl+y")
        assert g.humans_waiting() == []
        path = g.path
    assert path is not None
    acts = actions_of(path)
    kinds = [a["type"] for a in acts]
    assert {"type": "note", "text": "teams argue about the storms", "role": ""} in acts
    assert any(a["type"] == "inject" and a["reason"] == "naval review" for a in acts)
    assert "undo" in kinds
    assert any(a["type"] == "note" and "paused" in str(a["text"]) for a in acts)
    assert {"type": "pass", "role": "merchants"} in acts
    assert {"type": "pass", "role": "guilds"} in acts


async def test_forced_undo_needs_confirmation_and_reason(tmp_path: Path, quad: Path) -> None:
    app = WargameApp(options(tmp_path, quad, bots="all=random"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        g = app.game
        assert g is not None
        while not isinstance(app.screen, ResolutionScreen):
            await press(app, pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ResolutionScreen) and screen.adjudicating()
        accepted = g.state
        assert accepted.pending is not None
        title = g.tables.cards[accepted.queue[0].card].title
        await press(app, pilot, "enter")  # accept one roll
        drawn_after = [
            s.action for s in g.session.steps if s.before is not accepted and not s.undone
        ][-1]
        before = len(g.session.steps)
        await press(app, pilot, "ctrl+u")
        text = screen_text(app)
        assert "Force the undo" in text and "Taken back with it: the roll drawn for" in text
        # What the room just saw is what the undo names: the roll accepted, by card and team;
        # not the draw the rules made after it on their own.
        flat = " ".join(text.replace("█", " ").split())
        assert f"the acceptance of the roll for “{title}”" in flat
        await press(app, pilot, "enter")  # the focus is on "Keep": declined, nothing happens
        assert len(g.session.steps) == before
        await press(app, pilot, "ctrl+u", "right", "enter", "text:wrong card read out", "enter")
        assert g.session.steps[-1].action == Undo(True, "wrong card read out")
        assert g.state == accepted and isinstance(g.pending(), AdjudicationDue)
        # Accepted again from the same position, the next roll is drawn again the same.
        await press(app, pilot, "enter")
        redrawn = [s.action for s in g.session.steps if not s.undone][-1]
        assert redrawn == drawn_after
        assert isinstance(g.pending(), AdjudicationDue | OrdersDue)


async def test_a_draw_undone_is_drawn_again_the_same(tmp_path: Path, quad: Path) -> None:
    """The screen promises that chance is fixed for each position: an undo of a draw, then the
    draw again, gives the same result (even with a note in between)."""
    app = WargameApp(options(tmp_path, quad, bots="all=random"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        g = app.game
        assert g is not None
        while not isinstance(app.screen, ResolutionScreen):
            await press(app, pilot, "enter")
        drawn = [s for s in g.session.steps if isinstance(s.action, Chance)][-1]
        for _ in range(3):
            # The engine's own undo takes back the draw alone (a person's undo never does).
            g.undo(Undo(True, "try the draw again"))
            assert isinstance(g.pending(), ChanceDue) and g.hold_chance
            screen = app.screen
            assert isinstance(screen, ResolutionScreen)
            screen.refresh_view()
            await settle(app, pilot)
            assert "It draws the same as the one undone" in " ".join(screen_text(app).split())
            g.note("a note between the undo and the draw")
            await press(app, pilot, "ctrl+r")
            assert g.session.steps[-1].action == drawn.action
            assert g.state == drawn.after


async def test_illegal_action_is_a_dialog_not_a_traceback(tmp_path: Path, quad: Path) -> None:
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        room = app.screen
        assert isinstance(room, RoomScreen)
        assert not room.act(Order("merchants", "raid"))  # a corsairs card
        await settle(app, pilot)
        assert isinstance(app.screen, MessageDialog)
        assert "not in merchants's hand" in screen_text(app)


async def test_broken_deck_shows_every_problem_with_file_and_line(
    tmp_path: Path, quad: Path
) -> None:
    deck = quad / "cards" / "guilds.yaml"
    deck.write_text(
        deck.read_text().replace("cost: 2\n", "cost: lots\n", 1).replace("base: 45", "base: 450"),
        encoding="utf-8",
    )
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, MessageDialog)
        text = screen_text(app)
        assert "guilds.yaml:" in text and "cost" in text and "base" in text
        await press(app, pilot, "enter")
        assert "cannot be played" in screen_text(app)


async def test_tampered_save_says_why(tmp_path: Path, quad: Path) -> None:
    app = WargameApp(options(tmp_path, quad, bots="all=random"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        assert app.game is not None
        path = app.game.path
        await press(app, pilot, "ctrl+q")
    assert path is not None
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace('"chance"', '"chancy"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    app = WargameApp(options(tmp_path, quad, resume="latest"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, MessageDialog)
        text = screen_text(app)
        assert "cannot be resumed" in text and ":3:" in text and "edited" in text


async def test_continue_resumes_where_it_stopped(tmp_path: Path, quad: Path) -> None:
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y", "enter", "ctrl+o")
        await pick_card(app, pilot, "Trade mission")
        await press(app, pilot, "enter", "enter", "text:keep it", "enter")
        g = app.game
        assert g is not None
        digest = g.state.digest()
        # Killed here in real life; the order is already on disk.
    app = WargameApp(options(tmp_path, quad, resume="latest"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, RoomScreen)
        g2 = app.game
        assert g2 is not None and g2.state.digest() == digest
        assert g2.session.orders_of("merchants")[0].rationale == "keep it"
        assert "deciding (1)" in screen_text(app)
        # The Continue tab lists the save with its position.
    app = WargameApp(options(tmp_path, quad))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "right")
        assert "Continue (1)" in screen_text(app)


async def test_nothing_to_continue(tmp_path: Path, quad: Path) -> None:
    app = WargameApp(options(tmp_path, quad, resume="latest"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "There is no save" in screen_text(app)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, SetupScreen)


async def test_solo_game_to_the_end(tmp_path: Path, quad: Path) -> None:
    """One human seat, three bots, two turns: no hand-over curtains, and the end screen."""
    app = WargameApp(options(tmp_path, quad, turns=2, bots="all=random,guilds=human:Solo"))
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        g = app.game
        assert g is not None and g.tables.turns == 2
        for _ in range(60):
            if g.state.over and "Game over" in screen_text(app):
                break
            screen = app.screen
            if isinstance(screen, RoomScreen) and g.humans_waiting():
                await press(app, pilot, "enter")
                assert isinstance(app.screen, OrdersScreen)  # no curtain for one team
                await press(app, pilot, "ctrl+s", "ctrl+y")
            else:
                await press(app, pilot, "enter")
        text = screen_text(app)
        assert "Game over" in text and "Final ranking" in text and "Objectives" in text
        assert "The story of the game" in text and g.path is not None and g.path.name in text
        from wargame.shell import wargame_command

        assert f"`{wargame_command()} replay" in " ".join(text.split())  # as this install runs it
    acts = [a["type"] for a in actions_of(g.path)]  # type: ignore[arg-type]
    assert acts.count("pass") == 8


async def test_setup_seats_the_optional_role_with_a_bot(tmp_path: Path) -> None:
    """The bundled scenario is balanced with Russia seated (BALANCE.md): the setup screen offers
    it to a greedy bot by default, every other role to a human team, and Absent stays a choice."""
    from textual.widgets import Select

    from wargame.paths import default_scenario

    app = WargameApp(
        Options(scenario=default_scenario(), seed=1, saves=tmp_path, timer=0, key_hold=0.0)
    )
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SetupScreen)
        russia = app.screen.query_one("#seat-russia", Select)
        assert russia.value == "bot:greedy:"
        russia.value = "absent"  # still a choice: Select refuses a value it does not offer
        assert russia.value == "absent"
        assert app.screen.query_one("#seat-china", Select).value == "human"


async def test_a_power_chosen_as_the_target(tmp_path: Path, quad: Path) -> None:
    """A card whose target is a power: the dialog lists the powers its filter allows (not the
    pirates themselves), and the order names the chosen league."""
    seats = "merchants=human:Red,corsairs=human:Green,guilds=random,islanders=random"
    app = WargameApp(options(tmp_path, quad, bots=seats))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y", "enter", "ctrl+o")
        assert isinstance(app.screen, OrdersScreen)
        await press(app, pilot, "ctrl+s", "ctrl+y", "ctrl+o")  # Red gives no order
        assert isinstance(app.screen, OrdersScreen)
        assert "Play both leagues" in screen_text(app)
        await pick_card(app, pilot, "Play both leagues")
        await press(app, pilot, "enter")
        dialog = screen_text(app)
        assert "Choose 1 power (only legal targets are listed)" in dialog
        assert "Northern League" in dialog and "Southern League" in dialog
        assert "Pirate Confederacy" not in dialog
        await press(app, pilot, "down", "enter", "text:court the south", "enter")
        assert isinstance(app.screen, OrdersScreen)
        assert "1. Play both leagues → Southern" in screen_text(app)  # wrapped at 80 columns
        g = app.game
        assert g is not None
        assert g.session.orders_of("corsairs") == [
            Order("corsairs", "play_both_sides", ("south",), "court the south")
        ]
        await press(app, pilot, "ctrl+q")
