"""Words a student reads (issue 13: trap 8, "Names", "Wording in the log", "Choosing targets"):
short names where space is short, objectives that did not apply, log lines in plain grammar,
target lists that say what they list and show what is chosen."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import COF, MINI, effect, random_playout, tables_for
from pydantic import ValidationError
from test_tui_fixture import make_quad, pick_card, press, screen_text, settle

from wargame import rules
from wargame.actions import Accept, Order, Override, Undo
from wargame.bots.random_bot import RandomBot
from wargame.cli import main
from wargame.effects import apply_effects
from wargame.facilitation import room, story, text
from wargame.facilitation.controller import Game
from wargame.facilitation.history import TEAM_TAKE_BACK
from wargame.facilitation.launch import Options, load_tables
from wargame.facilitation.objectives import objective_rows
from wargame.pending import AdjudicationDue, ChanceDue, OrdersDue
from wargame.schema.loader import load_scenario
from wargame.schema.references import check_references
from wargame.schema.scenario import Institution, Scenario
from wargame.seats import ABSENT, BotSeat, HumanSeat
from wargame.shell import resume_command
from wargame.tui import render
from wargame.tui.app import WargameApp
from wargame.tui.screens.help import HelpFacts, help_content
from wargame.tui.screens.orders import OrdersScreen, PlayDialog, target_words
from wargame.tui.screens.resolution import EndScreen, ResolutionScreen

# ---------------------------------------------------------------------- names


def _mini() -> dict[str, Any]:
    return load_scenario(MINI).model_dump()


@pytest.mark.parametrize(
    ("short", "phrase"),
    [("", "at least 1"), ("x" * 21, "at most 20"), (" Red", "pattern"), ("Red ", "pattern")],
)
def test_a_short_name_is_short_and_not_blank(short: str, phrase: str) -> None:
    data = _mini()
    data["roles"][0]["short"] = short
    with pytest.raises(ValidationError, match=phrase):
        Scenario.model_validate(data)


def test_short_names_are_unique_among_their_kind() -> None:
    data = _mini()
    data["roles"][0]["short"] = "Sea people"
    data["roles"][1]["short"] = "sea people"
    data["tracks"][0]["short"] = "Storms"
    data["tracks"][1]["short"] = "Storms"
    data["institutions"][0]["short"] = "Sea people"  # another kind: allowed
    found = [(p.path, p.message) for p in check_references(Scenario.model_validate(data))]
    assert ("roles[1].short", "duplicate role short name `sea people` (also roles[0])") in found
    assert ("tracks[1].short", "duplicate track short name `Storms` (also tracks[0])") in found
    assert not any(path.startswith("institutions") for path, _ in found)


def test_the_bundled_scenario_names_everything_briefly() -> None:
    scen = load_scenario(COF)
    for item in [*scen.roles, *scen.tracks, *scen.institutions]:
        assert item.short, item.id
        assert len(item.short_name) <= 20
    assert scen.rationale_hint
    assert {c.id for c in scen.countries if c.kind != "country"} == {"eu"}


def test_a_long_institution_name_is_not_its_uppercased_id() -> None:
    long = Institution(
        id="eu_japan_spa", name="EU-Japan Strategic Partnership Agreement", members=[]
    )
    assert long.short_name == "EU-Japan Strategic Partnership Agreement"
    assert long.model_copy(update={"short": "EU-Japan SPA"}).short_name == "EU-Japan SPA"
    abbr = Institution(id="sco", name="Shanghai Cooperation Organisation (SCO)", members=[])
    assert abbr.short_name == "SCO"
    t = tables_for(COF)
    names = text.Names(t)
    assert names.inst["eu_japan_spa"] == "EU-Japan SPA" and names.inst["cica"] == "CICA"
    assert names.role["swing"] == "Swing states"


def test_the_tracks_panel_uses_short_names_where_narrow() -> None:
    t = tables_for(COF)
    st = rules.new_game(t)
    narrow = render.tracks(st, [st.tracks]).plain
    assert "Indo-Pac cohesion" in narrow and "…" not in narrow
    wide = render.tracks(st, [st.tracks], wide=True).plain
    assert "Indo-Pacific cohesion" in wide and "Concept legitimacy" in wide


# ---------------------------------------------------------------------- the engine's log


@pytest.fixture(scope="module")
def cof_log() -> list[str]:
    """Every narrative line of a few random five-seat games of the bundled scenario."""
    t = tables_for(COF)
    lines: list[str] = []
    for seed in (1, 2):
        _, actions = random_playout(t, seed, check=False)
        st = rules.new_game(t)
        for a in actions:
            st = rules.apply(st, a, lines)
    return lines


def test_log_lines_use_short_names(cof_log: list[str]) -> None:
    assert any(
        line.startswith("Income: ") and line.endswith(" to Swing states") for line in cof_log
    )
    assert not any("Swing states (" in line or "US allies (" in line for line in cof_log)
    assert not any("Conference on Interaction" in line for line in cof_log)


def test_log_lines_have_proper_grammar_and_no_non_changes(cof_log: list[str]) -> None:
    assert not any("(s)" in line for line in cof_log)
    # one country joins, several join
    assert not any(re.match(r"^[^,]+ (join|leave) ", line) for line in cof_log)
    assert not any(re.search(r"\b(\d+) → \1\b", line) for line in cof_log)


def test_a_reaffirmation_at_the_cap_is_not_logged_as_a_change() -> None:
    t = tables_for(COF)
    st = rules.new_game(t)
    log: list[str] = []
    e = effect(t, {"kind": "alliance", "power": "us", "delta": 1, "countries": ["japan"]})
    after = apply_effects(st, (e,), 0, (), None, log)
    assert log == []  # Japan's alliance is at 5 of 5 already
    assert t.idx["country"]["japan"] in after.reaffirmed


def test_words_for_lists_and_counts() -> None:
    assert text.join_words(["A"]) == "A"
    assert text.join_words(["A", "B"]) == "A and B"
    assert text.join_words(["A", "B", "C"]) == "A, B and C"
    assert text.plural(1, "roll") == "1 roll" and text.plural(0, "roll") == "0 rolls"
    t = tables_for(MINI)
    st = rules.new_game(t)
    tied = st.evolve(vp=tuple((1,) for _ in t.roles))
    lines = story.story([st], [], tied)
    names = [text.role_name(t, r) for r in range(len(t.roles))]
    assert lines[0].endswith(f"{text.join_words(names)} share the lead on 1 VP.")
    assert " and ".join(names) not in lines[0] or len(names) == 2


def test_giving_and_taking_back_an_order_in_the_log(tmp_path: Path) -> None:
    tables = load_tables(make_quad(tmp_path), turns=1)
    seats = {r.id: HumanSeat("") for r in tables.roles}
    g = Game.new(tables, seed=3, seats=seats, saves=tmp_path / "saves")
    while not isinstance(g.pending(), OrdersDue):
        g.settle() if isinstance(g.pending(), ChanceDue) else g.step(Accept())
    r = g.humans_waiting()[0]
    st = g.state
    legal = rules.legal_actions(st, r)
    card = next(iter(legal.cards()))
    targets = legal.targets_for(card)
    c = tables.cards[card]
    ids = tuple(tables.target_ids(c.target_kind)[x] for x in targets[: c.target_count])
    g.step(Order(tables.roles[r].id, c.id, ids, "why not"))
    team = text.role_name(tables, r)
    assert room.step_lines(g, g.session.steps[-1]) == [
        f"Order given by {team} (hidden until the reveal)"
    ]
    g.undo_people(Undo(False, TEAM_TAKE_BACK))
    said = room.step_lines(g, g.session.steps[-1])
    assert said == [f"Order taken back by {team} (hidden until the reveal)"]
    assert not any("White Cell" in line or "commits an order" in line for line in said)


def test_a_target_list_says_what_it_lists() -> None:
    t = tables_for(COF)
    st = rules.new_game(t)
    eu, japan, india = (t.idx["country"][x] for x in ("eu", "japan", "india"))
    assert target_words(st, "country", (japan, india), 1) == "1 country"
    assert target_words(st, "country", (japan, eu), 1) == "1 country or union"
    assert target_words(st, "country", (japan, eu), 2) == "2 countries or unions"
    assert target_words(st, "institution", (0, 1), 2) == "2 institutions"


# ---------------------------------------------------------------------- trap 8: the end screen


def _finished(tmp_path: Path, russia: bool) -> Game:
    tables = load_tables(COF, turns=1)
    seats = {r.id: BotSeat("random") for r in tables.roles}
    if not russia:
        seats["russia"] = ABSENT
    g = Game.new(tables, seed=5, seats=seats, saves=tmp_path / "saves")
    bots = {r: RandomBot(np.random.default_rng(r)) for r in range(len(tables.roles))}
    while not g.state.over:
        due = g.pending()
        if isinstance(due, OrdersDue):
            g.step(bots[due.roles[0]].choose(g.view(due.roles[0]), due.roles[0]))
        elif isinstance(due, AdjudicationDue):
            g.step(Accept())
        else:
            g.settle()
    return g


def test_objectives_of_an_empty_seat_do_not_apply_when_it_is_seated(tmp_path: Path) -> None:
    t = tables_for(COF)
    china = t.role_index["china"]
    ids = t.roles[china].objective_ids
    seated = dict(zip(ids, objective_rows(rules.new_game(t), china), strict=True))
    assert not seated["eurasian_alternative_alone"].applies
    assert seated["support_of_russia"].applies  # its other half may still hold
    absent = rules.new_game(t, tuple(r.id != "russia" for r in t.roles))
    rows = dict(zip(ids, objective_rows(absent, china), strict=True))
    assert all(row.applies for row in rows.values())


@pytest.mark.parametrize("russia", [True, False])
async def test_the_end_screen_lists_only_what_applied(tmp_path: Path, russia: bool) -> None:
    g = _finished(tmp_path, russia)
    app = WargameApp(Options(saves=tmp_path / "saves", key_hold=0.0))
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(app, pilot)
        app.game = g
        await app.push_screen(EndScreen(g))
        await settle(app, pilot)
        assert isinstance(app.screen, EndScreen)
        shown = str(app.screen.query_one("#end-text").render())
    empty_seat = "While the Russia seat is empty"
    if russia:
        assert empty_seat not in shown
        assert "did not apply in this game" in shown
    else:
        assert empty_seat in shown
        assert "did not apply" not in shown


# ---------------------------------------------------------------------- help and --help


def test_help_takes_the_scenarios_powers_and_this_installs_command(tmp_path: Path) -> None:
    generic = help_content().plain
    assert "strong ties to both)" not in generic
    assert "strong ties to more than one power" in generic
    facts = HelpFacts(
        powers=("People's Republic of China", "United States"),
        resume=resume_command(tmp_path / "saves" / "x.jsonl", tmp_path / "saves"),
    )
    shown = help_content(facts).plain
    assert "strong ties to both People's Republic of China and United States" in shown
    assert facts.resume in shown and "`wargame play --continue`" not in shown


async def test_the_help_screen_in_a_game(tmp_path: Path) -> None:
    quad = make_quad(tmp_path)
    app = WargameApp(_options(tmp_path, quad))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        g = app.game
        assert g is not None and g.path is not None
        await press(app, pilot, "question_mark")
        shown = str(app.screen.query_one("#help-body Static").render())
        assert "Northern League, Southern League and Pirate Confederacy" in shown
        assert resume_command(g.path, tmp_path / "saves") in shown


def test_cli_help_names_no_scenario_roles(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", "--help"]) == 0
    out = capsys.readouterr().out
    assert "china=" not in out and "russia=" not in out


# ---------------------------------------------------------------------- choosing targets


def _options(tmp_path: Path, scenario: Path, **kw: object) -> Options:
    base: dict[str, object] = dict(
        scenario=scenario,
        seed=11,
        saves=tmp_path / "saves",
        timer=0,
        bots="merchants=human:Red,corsairs=random,guilds=human:Blue,islanders=random",
        key_hold=0.0,
    )
    base.update(kw)
    return Options(**base)  # type: ignore[arg-type]


async def test_a_chosen_target_is_marked_and_the_message_clears(tmp_path: Path) -> None:
    quad = make_quad(tmp_path)
    app = WargameApp(_options(tmp_path, quad))
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y", "enter", "ctrl+o")
        assert isinstance(app.screen, OrdersScreen)
        await pick_card(app, pilot, "Trade mission")
        await press(app, pilot, "enter")
        assert isinstance(app.screen, PlayDialog)
        shown = screen_text(app)
        assert "0 of 1 chosen" in shown and "○ Amber Isle" in shown and "● Amber" not in shown
        assert "e.g. what you expect this order to achieve" in shown  # no scenario hint
        # Highlighted is not chosen: Enter in the "Why?" field asks for a target first.
        await press(app, pilot, "tab", "enter")
        assert "first (↑↓ and Enter)" in screen_text(app)
        await press(app, pilot, "enter")  # the focus is back on the list: choose
        shown = screen_text(app)
        assert "1 of 1 chosen: Amber Isle" in shown and "● Amber Isle" in shown
        assert "first (↑↓ and Enter)" not in shown


async def test_a_draw_after_an_undo_says_it_repeats(tmp_path: Path) -> None:
    quad = make_quad(tmp_path)
    app = WargameApp(_options(tmp_path, quad, bots="all=random"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        g = app.game
        assert g is not None
        while not isinstance(app.screen, ResolutionScreen):
            await press(app, pilot, "enter")
        await press(app, pilot, "enter")  # accept one roll
        # A draw taken back alone (the engine's undo; a person's undo takes back the
        # acceptance before it too) waits, and the screen says it repeats.
        g.undo(Undo(True, "wrong card read out"))
        screen = app.screen
        assert isinstance(screen, ResolutionScreen)
        screen.refresh_view()
        await settle(app, pilot)
        assert isinstance(g.pending(), ChanceDue)
        assert "It draws the same as the one undone" in " ".join(screen_text(app).split())
        assert isinstance(g.session.steps[-1].action, Undo)
        assert not isinstance(g.session.steps[-1].action, Override)
        # Enter does not leave the resolution while the draw waits (found in the 80x24 trial).
        await press(app, pilot, "enter")
        assert isinstance(app.screen, ResolutionScreen) and isinstance(g.pending(), ChanceDue)


def test_the_undo_question_names_a_commit_by_its_team(tmp_path: Path) -> None:
    """The White Cell's undo question named a commit by its role id ("russia commits")."""
    from wargame.actions import Pass
    from wargame.facilitation.room import describe_step

    g = _finished(tmp_path, russia=True)
    steps = g.session.steps
    i = next(i for i, s in enumerate(steps) if isinstance(s.action, Pass))
    text = describe_step(g, i)
    role = g.tables.role_index[steps[i].action.role]  # type: ignore[union-attr]
    assert text == f"the commit of {g.team(role)}"
    assert "commits" not in text
