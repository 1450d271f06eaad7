"""Issue 13: a bot's stated chance and the roll agree or are both explained (trap 9), and a
bot's explanation leads with its reason in plain words, the numbers one key away (friction)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_tui_fixture import press, screen_text, settle

from wargame.actions import Accept, Inject, Order
from wargame.bots.naming import points, split_details, with_details
from wargame.facilitation.controller import Game
from wargame.facilitation.launch import load_tables
from wargame.pending import AdjudicationDue, OrdersDue
from wargame.rules import check

GREEDY: dict[str, Any] = {
    r: {"kind": "bot", "bot": "greedy", "level": ""}
    for r in ("merchants", "corsairs", "guilds", "islanders")
}


def to_the_convoy_roll(g: Game) -> None:
    """The greedy merchants order the convoy escort (its chance falls with the storms); an
    inject of a great storm (+2 storms) follows at once; play on to that roll."""
    injected = False
    while not g.state.over:
        due = g.pending()
        if isinstance(due, OrdersDue):
            r = due.roles[0]
            bot = g.bots[r]
            a = g.bot_action(r, bot.choose(g.view(r), r), bot.last_explanation)
            g.step(a)
            if isinstance(a, Order) and a.card == "escort_convoy" and not injected:
                assert check(g.state, Inject("great_storm")) is None
                g.step(Inject("great_storm", "a storm season"))
                injected = True
        elif isinstance(due, AdjudicationDue):
            if injected and g.state.queue[0].owner == g.tables.role_index["merchants"]:
                return
            g.step(Accept())
        else:
            g.settle()
    raise AssertionError("the convoy roll never came")


def test_the_stated_chance_is_the_roll_when_nothing_changed(quad: Path) -> None:
    """One computation: in a game of bots alone, each bot's chance 'when chosen' is exactly the
    roll it meets at resolution when nothing moved in between (it used to assume its earlier
    orders' likely outcomes, so 69% stood above a roll at 72%)."""
    g = Game.new(load_tables(quad), seed=3, seats=GREEDY, saves=None)
    rolls = 0
    while not g.state.over:
        due = g.pending()
        if isinstance(due, OrdersDue):
            r = due.roles[0]
            bot = g.bots[r]
            g.step(g.bot_action(r, bot.choose(g.view(r), r), bot.last_explanation))
        elif isinstance(due, AdjudicationDue):
            then = g.chance_when_ordered()
            if then is not None:
                rolls += 1
                assert f"{then[0]}% to succeed when chosen" in g.state.queue[0].rationale
                if then[0] == int(g.state.pending[2]):  # type: ignore[index]
                    assert g.chance_change() == ""
            g.step(Accept())
        else:
            g.settle()
    assert rolls


def test_a_chance_changed_by_an_inject_is_explained(quad: Path) -> None:
    g = Game.new(load_tables(quad), seed=1, seats=GREEDY, saves=None)
    to_the_convoy_roll(g)
    assert isinstance(g.pending(), AdjudicationDue)
    assert g.chance_change() == "when chosen: 30%; now, after storms -20 → -30: 20%"


async def test_resolution_shows_both_chances_and_plain_words(tmp_path: Path, quad: Path) -> None:
    """Trap 9 on screen: above 'Chance 20%' the bot's words no longer say '30% to succeed';
    the line under the chance says what it was when chosen and what changed; F3 shows the
    numbers behind the bot's words."""
    from wargame.tui.app import Options, WargameApp
    from wargame.tui.screens.resolution import ResolutionScreen

    saves = tmp_path / "saves"
    g = Game.new(load_tables(quad), seed=1, seats=GREEDY, saves=saves)
    to_the_convoy_roll(g)
    assert g.writer is not None
    g.writer.close()
    app = WargameApp(Options(saves=saves, resume="latest", timer=0, key_hold=0.0))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        for _ in range(5):
            if isinstance(app.screen, ResolutionScreen):
                break
            await press(app, pilot, "enter")
        assert isinstance(app.screen, ResolutionScreen)
        text = " ".join(screen_text(app).split())
        assert "Chance 20%" in text
        assert "when chosen: 30%; now, after storms -20 → -30: 20%" in text
        assert "30% to succeed" not in text and "VP over" not in text
        # The reason first, in a few words; the long text of an objective is not quoted.
        assert "bot's reason: to keep piracy low" in text
        await press(app, pilot, "f3")
        text = " ".join(screen_text(app).split())
        assert "30% to succeed when chosen" in text and "+3.8 VP over 4 scorings" in text


# ---------------------------------------------------------------------- the words


def test_explanations_lead_with_plain_words_greedy_and_planner(quad: Path) -> None:
    tables = load_tables(quad)
    for bot in ("greedy", "planner"):
        seats = {
            r: {"kind": "bot", "bot": bot, "level": "easy" * (bot == "planner")} for r in GREEDY
        }
        g = Game.new(tables, seed=2, seats=seats, saves=None)
        said: list[tuple[object, str]] = []
        while g.state.turn == 1 and not g.state.over:
            due = g.pending()
            if isinstance(due, OrdersDue):
                r = due.roles[0]
                b = g.bots[r]
                act = b.choose(g.view(r), r)
                said.append((act, b.last_explanation))
                g.step(g.bot_action(r, act, b.last_explanation))
            elif isinstance(due, AdjudicationDue):
                g.step(Accept())
            else:
                g.settle()
        orders = [text for act, text in said if isinstance(act, Order)]
        commits = [text for act, text in said if not isinstance(act, Order)]
        assert orders and commits, bot
        longest = max(len(o.text) for role in tables.scenario.roles for o in role.objectives)
        for text in orders:
            plain, details = split_details(text)
            assert "VP" not in plain and "%" not in plain and "scoring(s)" not in text
            assert "look-ahead" not in plain and "sampled futures" not in plain
            assert plain.startswith(("to ", "worth its cost", "for income")), plain
            assert len(plain.split(" (")[0]) < longest  # no objective's whole text quoted
            assert details and "influence" in details
        for text in commits:
            # The action is a commit: never called a 'pass'.
            assert not text.startswith("pass") and "pass:" not in text, text
        if bot == "planner":
            assert any("sampled futures" in split_details(s)[1] for s in orders)


def test_points_and_details_helpers() -> None:
    assert points(4.1, signed=True) == "+4 points"
    assert points(1.2) == "1 point"
    assert points(-0.3) == "less than a point"
    text = with_details("Escort the convoys", "+4.1 VP over 7 scorings")
    assert split_details(with_details(text, "look-ahead")) == (
        "Escort the convoys",
        "+4.1 VP over 7 scorings; look-ahead",
    )
    assert split_details("a team's own [words]") == ("a team's own [words]", "")


def test_bundled_scenario_explanations_are_short_and_never_say_pass() -> None:
    """In Circle of Friends, whose objective texts are long scoring rules, a bot's reason is
    the objective's few plain words ('to grow the circle of friends'), never the rule quoted;
    committing without an order is never called a 'pass'."""
    from wargame.paths import default_scenario

    tables = load_tables(default_scenario())
    seats = {r.id: {"kind": "bot", "bot": "greedy", "level": ""} for r in tables.roles}
    g = Game.new(tables, seed=4, seats=seats, saves=None)
    texts = [o.text for role in tables.scenario.roles for o in role.objectives]
    said: list[tuple[object, str]] = []
    while g.state.turn <= 2 and not g.state.over:
        due = g.pending()
        if isinstance(due, OrdersDue):
            r = due.roles[0]
            b = g.bots[r]
            act = b.choose(g.view(r), r)
            said.append((act, b.last_explanation))
            g.step(g.bot_action(r, act, b.last_explanation))
        elif isinstance(due, AdjudicationDue):
            g.step(Accept())
        else:
            g.settle()
    orders = [split_details(t)[0] for a, t in said if isinstance(a, Order)]
    assert orders
    for plain in orders:
        reason = plain.split(" (")[0]
        assert len(reason) <= 45, reason
        assert not any(text in plain for text in texts), plain
    assert any(p.startswith("to ") for p in orders)
    assert not any("pass" in split_details(t)[0] for a, t in said if not isinstance(a, Order))
