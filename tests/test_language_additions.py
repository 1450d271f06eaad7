"""Rules cases for the language additions of issue 18 (section 3), each quoting its rule.

Cases run on the mini fixture (tests/fixtures/mini), whose scenario and decks use every
addition, so the generic playout, journal and replay tests cover them too.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from helpers import MINI, c, cfilter, effect, metric, mini, set_ties

from wargame import rules
from wargame.actions import Chance, Inject, Order
from wargame.bots.soft import soft_match
from wargame.bots.valuation import RoleValue
from wargame.effects import apply_effects
from wargame.evaluate import countries_where, country_matches, institution_matches, metric_value
from wargame.facilitation.story import ending_word
from wargame.flow import advance, upkeep
from wargame.pending import ChanceDue, OrdersDue
from wargame.rules import pass_of, shuffle_pile, waiting_for
from wargame.schema.cards import Card
from wargame.schema.references import check_references
from wargame.schema.scenario import SuddenDeath
from wargame.seats import parse_seats
from wargame.sim.runner import SimConfig, SimResult, play_game
from wargame.sim.stats import summarise
from wargame.state import State, initial_state
from wargame.tables import IFilter, Tables, compile_scenario

_STORMS = {"kind": "track", "track": "storms", "delta": 1}
_FORM_SOUTH = {"kind": "form_alliance", "power": "south", "strength": 2, "countries": ["basalt"]}


@pytest.fixture
def t() -> Tables:
    return mini()


def _names(t: Tables, got: tuple[int, ...]) -> list[str]:
    return [t.countries[i] for i in got]


TRADE = {"channel": "trade", "at_least": 1}


def test_some_of_counts_the_filters_that_hold(t: Tables) -> None:
    """Rule: "`some_of`: at least `at_least` of the filters in `of` hold". Trade ties of 1 or
    more with two of the three powers: Amber (north 3, south 1) and Basalt (south 2, north 1);
    Coral trades with the south only, Dune with the pirates only."""
    st = initial_state(t)
    f = cfilter(
        t,
        {
            "some_of": {
                "at_least": 2,
                "of": [{"ties": [{"power": p, **TRADE}]} for p in ("north", "south", "pirates")],
            }
        },
    )
    assert _names(t, countries_where(st, f)) == ["amber", "basalt"]
    assert [country_matches(st, f, i) for i in range(5)] == [True, True, False, False, False]
    # Coral gains pirate trade: now two of three.
    st = set_ties(st, "coral", "pirates", trade=1)
    assert _names(t, countries_where(st, f)) == ["amber", "basalt", "coral"]


def test_any_of_and_all_of(t: Tables) -> None:
    """Rule: "`any_of`: at least one of these filters holds; `all_of`: every one holds"."""
    st = initial_state(t)
    either = cfilter(t, {"any_of": [{"region": ["inner"]}, {"member_of": ["reef_pact"]}]})
    assert _names(t, countries_where(st, either)) == ["amber", "basalt", "coral", "dune"]
    both = cfilter(
        t,
        {
            "all_of": [
                {"region": ["inner"]},
                {"ties": [{"power": "north", "channel": "trade", "at_least": 3}]},
            ]
        },
    )
    assert _names(t, countries_where(st, both)) == ["amber"]
    # Combined with the filter's own fields (logical AND with the rest).
    outer = cfilter(t, {"region": ["outer"], "any_of": [{"ids": ["coral"]}, {"ids": ["amber"]}]})
    assert _names(t, countries_where(st, outer)) == ["coral"]


def test_combinators_nest_and_bots_see_partial_matches(t: Tables) -> None:
    """Nested choices: (inner or Reef Pact) and two of three trade partners. A bot's soft
    match of a two-of-three filter is its second-best part: Coral, one partner short, scores
    below 1 but above 0."""
    st = initial_state(t)
    two_of_three = {
        "some_of": {
            "at_least": 2,
            "of": [{"ties": [{"power": p, **TRADE}]} for p in ("north", "south", "pirates")],
        }
    }
    f = cfilter(
        t,
        {
            "all_of": [
                {"any_of": [{"region": ["inner"]}, {"member_of": ["reef_pact"]}]},
                two_of_three,
            ]
        },
    )
    assert _names(t, countries_where(st, f)) == ["amber", "basalt"]
    soft = cfilter(t, two_of_three)
    assert soft_match(st, soft, c(t, "amber"), (3.0, 3.0)) == 1.0
    assert 0.0 < soft_match(st, soft, c(t, "coral"), (3.0, 3.0)) < 1.0


def _alliance_game(t: Tables, **alliance: object) -> Tables:
    """The mini scenario with its alliance rules and Amber's alliance changed."""
    scen = t.scenario
    rules = scen.alliance.model_copy(update=alliance)
    return compile_scenario(scen.model_copy(update={"alliance": rules}))


def test_alliance_decay_per_power_and_per_alliance(t: Tables) -> None:
    """Rule: "`alliance.decay_with`: decay for alliances with one power, in place of `decay`";
    a country's own `alliance.decay` overrides both. The mini fixture: southern alliances
    never lapse (`decay_with: {south: 0}`); Amber's northern compact decays by its own 1.
    Basalt, given a southern alliance, keeps it."""
    st = initial_state(t)
    # Signed during an earlier turn: not reaffirmed this one.
    st = apply_effects(st, (effect(t, _FORM_SOUTH),), -1, (), None).evolve(reaffirmed=frozenset())
    amber, basalt = c(t, "amber"), c(t, "basalt")
    log: list[str] = []
    after = upkeep(st, log, drift=False)
    assert after.alliance[amber] == 1 and after.alliance[basalt] == 2
    # Coral Keys' two alliances decay each by its own rule: the pirates' lapses, the south's
    # (a free association) stays.
    assert after.alliances(c(t, "coral")) == ((t.idx["power"]["south"], 1),)
    assert log == [
        "Amber Isle: alliance with Northern League decays to 1",
        "Coral Keys: alliance with Pirate Confederacy decays to 0",
        "Coral Keys: the alliance with Pirate Confederacy lapses",
    ]
    # Without `decay_with`, the southern alliance decays at the scenario's rate.
    t2 = _alliance_game(t, decay_with={})
    plain = apply_effects(initial_state(t2), (effect(t2, _FORM_SOUTH),), -1, (), None)
    plain = upkeep(plain.evolve(reaffirmed=frozenset()))
    assert plain.alliance[amber] == 1 and plain.alliance[basalt] == 1


def _powers(t: Tables, *names: str) -> tuple[int, ...]:
    return tuple(t.idx["power"][n] for n in names)


def test_a_country_holds_several_alliances_where_the_scenario_allows(t: Tables) -> None:
    """Rule: "`alliance.per_country`: how many alliances a country may hold at once, each with
    a different power ... Each alliance keeps its own strength, decays on its own and adds to
    the standing toward its own power." Coral Keys starts allied with the south and the
    pirates (strength 1 each); the mini fixture allows two."""
    st = initial_state(t)
    coral, amber = c(t, "coral"), c(t, "amber")
    north, south, pirates = _powers(t, "north", "south", "pirates")
    assert st.alliances(coral) == ((south, 1), (pirates, 1))
    assert st.alliance_with(coral, pirates) == 1 and st.alliance_with(coral, north) == 0
    # Each alliance adds to the standing toward its own power (weight 1).
    assert st.status(coral).standing == (0, 2 + 1, 4 + 1)
    # A second alliance for Amber (allied with the north): both hold, each with its strength.
    log: list[str] = []
    st2 = apply_effects(
        st, (effect(t, {**_FORM_SOUTH, "countries": ["amber"]}),), -1, (), None, log
    )
    assert st2.alliances(amber) == ((north, 2), (south, 2))
    assert log == ["Amber Isle: alliance with Southern League at strength 2"]
    # Coral Keys is full: a third power's alliance fizzles, and the log says why.
    log = []
    pact = {"kind": "form_alliance", "power": "north", "strength": 1, "countries": ["coral"]}
    st3 = apply_effects(st2, (effect(t, pact),), -1, (), None, log)
    assert st3.alliances(coral) == st2.alliances(coral)
    assert log == [
        "  … fizzles for Coral Keys: already allied with Southern League and Pirate "
        "Confederacy, the most alliances a country may hold (2), so no alliance with "
        "Northern League"
    ]
    # Weakening one alliance leaves the other; at 0 it lapses and frees the room.
    log = []
    cut = {"kind": "alliance", "power": "pirates", "delta": -1, "countries": ["coral"]}
    st4 = apply_effects(st3, (effect(t, cut),), -1, (), None, log)
    assert st4.alliances(coral) == ((south, 1),)
    assert log == [
        "Coral Keys: alliance with Pirate Confederacy 1 → 0",
        "Coral Keys: the alliance with Pirate Confederacy lapses",
    ]
    st5 = apply_effects(st4, (effect(t, pact),), -1, (), None)
    assert st5.alliances(coral) == ((north, 1), (south, 1))
    # `power` omitted: every alliance of the country changes.
    both = {"kind": "alliance", "delta": 1, "countries": ["amber"]}
    assert apply_effects(st2, (effect(t, both),), -1, (), None).alliances(amber) == (
        (north, 3),
        (south, 3),
    )


def test_reaffirming_one_alliance_does_not_spare_the_other(t: Tables) -> None:
    """Rule: "A positive change counts as a reaffirmation: that alliance does not decay this
    turn" — that alliance, not the country's others. Without `decay_with` both of Coral's
    alliances decay by 1; reaffirming the pirates' keeps it, the south's lapses."""
    t2 = _alliance_game(t, decay_with={})
    coral = c(t2, "coral")
    south, pirates = _powers(t2, "south", "pirates")
    up = {"kind": "alliance", "power": "pirates", "delta": 1, "countries": ["coral"]}
    st = apply_effects(initial_state(t2), (effect(t2, up),), -1, (), None)
    assert st.alliances(coral) == ((south, 1), (pirates, 2))
    after = upkeep(st, drift=False)
    assert after.alliances(coral) == ((pirates, 2),)
    assert after.ally[coral] == pirates  # the first alliance in power order is kept in `ally`


def test_several_alliances_in_filters_metrics_and_changes(t: Tables) -> None:
    """Filters and metrics see every alliance of a country, not only the first; the change
    list names each alliance that changed."""
    from wargame.facilitation.changes import diff_states

    st = initial_state(t)
    pirates_allies = cfilter(t, {"allied_with": "pirates"})
    assert _names(t, countries_where(st, pirates_allies)) == ["coral"]
    south_allies = cfilter(t, {"allied_with": "south"})
    assert _names(t, countries_where(st, south_allies)) == ["coral"]
    assert _names(t, countries_where(st, cfilter(t, {"not_allied_with": "any"}))) == [
        "basalt",
        "dune",
        "ember",
    ]
    count = metric(t, {"kind": "alliances", "power": "pirates", "count": True})
    assert metric_value(st, count, -1) == 1
    after = apply_effects(st, (effect(t, {**_FORM_SOUTH, "countries": ["amber"]}),), -1, (), None)
    assert metric_value(after, metric(t, {"kind": "alliances", "power": "south"}), -1) == 3
    texts = [ch.text for ch in diff_states(st, after)]
    assert "Amber Isle: new alliance with Southern League (strength 2)" in texts


def test_a_one_alliance_scenario_hashes_as_before(t: Tables) -> None:
    """The further-alliances slot is left out of the hash where a country holds one alliance,
    so saves made before it existed still verify; with several it is part of the position."""
    from wargame.paths import default_scenario
    from wargame.schema.loader import load_scenario

    bundled = initial_state(compile_scenario(load_scenario(default_scenario())))
    assert bundled.also_allied == ()
    assert "also_allied" not in repr(bundled.key())
    st = initial_state(t)
    assert len(st.key()) == len(bundled.key()) + 1
    assert st.also_allied[c(t, "coral")] == ((t.idx["power"]["pirates"], 1),)


def test_alliance_decay_of_one_country(t: Tables) -> None:
    """Rule: "a country's `alliance.decay`: this alliance's own decay per upkeep" — a free
    association (0) never lapses while the scenario's decay of 1 runs on."""
    scen = t.scenario
    amber = scen.countries[0]
    assert amber.alliance is not None
    free = amber.alliance.model_copy(update={"decay": 0})
    countries = [amber.model_copy(update={"alliance": free}), *scen.countries[1:]]
    t2 = compile_scenario(scen.model_copy(update={"countries": countries}))
    st = initial_state(t2)
    for _ in range(3):
        st = upkeep(st)
    assert st.alliance[0] == 2 and st.ally[0] == t2.idx["power"]["north"]


def _with_events(t: Tables, cards: list[dict[str, Any]], **turns: Any) -> Tables:
    """The mini scenario with `cards` added to its events deck and its turn rules changed."""
    scen = t.scenario
    decks = []
    for deck in scen.decks:
        if deck.owner == "events":
            extra = [Card.model_validate({**_EVENT, **card}) for card in cards]
            # The fixture's own four events only, so the draws below are the ones written.
            kept = [x for x in deck.cards if x.id in _PLAIN_EVENTS]
            deck = deck.model_copy(update={"cards": [*kept, *extra]})
        decks.append(deck)
    rules = scen.turns.model_copy(update={"set_aside_unready_events": False, **turns})
    return compile_scenario(scen.model_copy(update={"decks": decks, "turns": rules}))


_PLAIN_EVENTS = ("great_storm", "calm_year", "bonanza", "admiral_inject")
_EVENT: dict[str, Any] = {
    "source": {"quote": "this remains a work-in-progress"},
    "text": "Something happens on schedule.",
}


def _play_passing(t: Tables, stop_turn: int) -> tuple[State, list[str]]:
    """Every team passes, every shuffle keeps the pile's order, every roll succeeds: the log
    until the start of `stop_turn`'s orders."""
    log: list[str] = []
    st = advance(initial_state(t), log)
    while not st.over and not (st.turn == stop_turn and st.phase == "orders"):
        pending = waiting_for(st)
        if isinstance(pending, ChanceDue):
            if st.pending is not None and st.pending[0] == "shuffle":
                action = Chance(tuple(t.cards[i].id for i in shuffle_pile(st)))
            else:
                action = Chance("success")
        else:
            assert isinstance(pending, OrdersDue)
            action = pass_of(t.roles[pending.roles[0]].id)
        st = rules.apply(st, action, log)
    return st, log


def test_scheduled_event_comes_in_its_turn_and_year(t: Tables) -> None:
    """Rule: "`turn`: the turn this event belongs to. It comes in at that turn's event phase,
    before (and besides) the random draw, and is never drawn at random"; `year` names the
    turn covering it (mini: 1650 in steps of 5, so 1657 is turn 2)."""
    t2 = _with_events(
        t,
        [
            {"id": "charter_day", "title": "Charter day", "year": 1657, "on_play": [_STORMS]},
            {"id": "fleet_review", "title": "Fleet review", "turn": 3, "on_play": [_STORMS]},
        ],
    )
    assert [t2.cards[i].id for i in t2.events_deck] == ["great_storm", "calm_year", "bonanza"]
    st, log = _play_passing(t2, 4)
    events = [line for line in log if line.startswith("Event:")]
    # One random event a turn, and the scheduled one first in its own turn.
    assert events == [
        "Event: A great storm",
        "Event: Charter day",
        "Event: A calm year",
        "Event: Fleet review",
        "Event: Trade bonanza",
        "Event: A great storm",
    ]
    # Scheduled events belong to their turn only: out of the game afterwards.
    assert {t2.cards[i].id for i in st.ev_removed} == {"charter_day", "fleet_review"}


def test_unready_events_are_set_aside(t: Tables) -> None:
    """Rule: "`set_aside_unready_events`: a randomly drawn event whose `requires` do not hold
    is set aside (to the bottom of the event pile) and the next one is drawn in its place";
    "when no event in the pile is ready, the turn has none". A scheduled event that is not
    ready fizzles without using up the random draw."""
    not_yet = {"requires": [{"kind": "track", "track": "piracy", "at_least": 8}]}
    cards = [
        {"id": "pirate_king", "title": "A pirate king", "on_play": [_STORMS], **not_yet},
        {"id": "king_crowned", "title": "Crowning", "turn": 1, "on_play": [_STORMS], **not_yet},
    ]
    t2 = _with_events(t, cards, set_aside_unready_events=True)
    # The pile as shuffled: the unready pirate king on top.
    st = initial_state(t2)
    king = t2.card_index["pirate_king"]
    st = st.evolve(ev_discard=(king, *[i for i in st.ev_discard if i != king]))
    log: list[str] = []
    st = advance(st, log)
    st = rules.apply(st, Chance(tuple(t2.cards[i].id for i in shuffle_pile(st))), log)
    assert log[:4] == [
        "Event: Crowning",
        "  … fizzles: its requirements or targets no longer hold",
        "Set aside for a later turn: A pirate king",
        "Event: A great storm",
    ]
    assert [t2.cards[i].id for i in st.ev_draw] == ["calm_year", "bonanza", "pirate_king"]
    # Nothing ready at all: no event this turn, and the pile is kept.
    only_king = st.evolve(ev_draw=(king,), phase="event", step=0, turn=2, pending=None)
    log = []
    after = advance(only_king, log)
    assert log[0] == "No event is ready to come in: every event waiting needs another moment"
    assert after.ev_draw == (king,) and after.phase != "event"
    # Without the setting the same draw fizzles and uses up the turn's event.
    t3 = _with_events(t, cards[:1])
    king = t3.card_index["pirate_king"]
    st = initial_state(t3)
    st = st.evolve(ev_discard=(king, *[i for i in st.ev_discard if i != king]))
    log = []
    st = advance(st, log)
    st = rules.apply(st, Chance(tuple(t3.cards[i].id for i in shuffle_pile(st))), log)
    assert log[:2] == [
        "Event: A pirate king",
        "  … fizzles: its requirements or targets no longer hold",
    ]
    assert not any(line.startswith("Set aside") for line in log)
    assert "Event: A great storm" not in log


def _with_endings(t: Tables, endings: list[dict[str, Any]]) -> Tables:
    scen = t.scenario
    rules = [SuddenDeath.model_validate(e) for e in endings]
    return compile_scenario(scen.model_copy(update={"sudden_death": rules}))


def test_shared_sudden_death(t: Tables) -> None:
    """Rule: "with `winners`, several roles win together and rank first (by their victory
    points among themselves)". Calm seas (piracy at most 3) ends the game for both."""
    t2 = _with_endings(
        t,
        [
            {
                "id": "calm",
                "text": "The seas are calm: both win.",
                "when": {"kind": "track", "track": "piracy", "at_most": 3},
                "winners": ["corsairs", "merchants"],
            }
        ],
    )
    st, _ = _play_passing(t2, 9)
    assert st.over and st.turn == 1 and st.ended_by == "The seas are calm: both win."
    assert st.winners() == frozenset({0, 1})
    assert set(rules.ranking(st)) == {0, 1}


def test_victory_at_the_end_needs_its_condition_then(t: Tables) -> None:
    """Rule: "`at_end: true`: checked only when the last turn has been played". Piracy at
    most 5 holds from turn 1 (3), yet the game runs its four turns and piracy ends at 5; the
    corsairs win at the end, ranked above the merchants they tie with on points."""
    ending = {
        "id": "quiet_end",
        "text": "The seas end quiet: the corsairs retire rich.",
        "when": {"kind": "track", "track": "piracy", "at_most": 5},
        "winner": "corsairs",
        "at_end": True,
    }
    t2 = _with_endings(t, [ending])
    st, _ = _play_passing(t2, 9)
    assert st.over and st.turn == 4 and st.ended_by == ending["text"]
    corsairs = t2.role_index["corsairs"]
    assert st.winners() == frozenset({corsairs}) and rules.ranking(st)[0] == corsairs
    assert ending_word(st) == "victory at the end"
    # The condition fails at the end: the game ends on points.
    t3 = _with_endings(t, [{**ending, "when": {"kind": "track", "track": "piracy", "at_least": 8}}])
    st, _ = _play_passing(t3, 9)
    assert st.ended_by == "last turn played" and st.winners() == frozenset()


def test_a_role_without_a_power_leans_its_own_agenda(t: Tables) -> None:
    """Rule: "`agenda: true` for a role without a `power` that still has an agenda of its own
    in every institution: cards, metrics and filters name the role's id where they name a
    power for a lean". A powerless guild of islanders leans its Market Fair."""
    scen = t.scenario
    guild = scen.roles[0].model_copy(
        update={"id": "guild", "name": "Island Guild", "power": None, "agenda": True}
    )
    fair = scen.institutions[2].model_copy(update={"lean": {"guild": 2}})
    t2 = compile_scenario(
        scen.model_copy(
            update={
                "roles": [*scen.roles, guild],
                "institutions": [*scen.institutions[:2], fair],
            }
        )
    )
    assert t2.lean_sides == ("north", "south", "pirates", "guild")
    st = initial_state(t2)
    fair_i = t2.idx["institution"]["market_fair"]
    assert st.lean[fair_i] == (0, 0, 0, 2)
    lean = {"kind": "lean", "institution": "market_fair", "power": "guild", "delta": 1}
    log: list[str] = []
    st = apply_effects(st, (effect(t2, lean),), -1, (), None, log)
    assert log == ["Market Fair: agenda lean toward Island Guild 2 → 3"]
    got = metric(t2, {"kind": "lean", "institution": "market_fair", "power": "guild"})
    assert metric_value(st, got) == 3
    f = IFilter(lean=((3, 3, None),))
    assert [i for i in range(3) if institution_matches(st, f, i)] == [fair_i]


def test_a_power_chosen_by_the_player(t: Tables) -> None:
    """Rule: "With `kind: power` the effects that name `power: target` act on the chosen
    power". Friends to all: the merchants raise Amber's faith ties with a power they pick,
    among those the filter leaves (not the pirates); the order names the power by its id."""
    scen = t.scenario
    friends = Card.model_validate(
        {
            **_EVENT,
            "id": "friends_to_all",
            "title": "Friends to all",
            "cost": 0,
            "target": {"kind": "power", "filter": {"exclude": ["pirates"]}},
            "on_play": [
                {
                    "kind": "ties",
                    "power": "target",
                    "channel": "faith",
                    "delta": 2,
                    "countries": ["amber"],
                }
            ],
        }
    )
    decks = [
        d.model_copy(update={"cards": [*d.cards, friends]}) if d.owner == "merchants" else d
        for d in scen.decks
    ]
    t2 = compile_scenario(scen.model_copy(update={"decks": decks}))
    card = t2.cards[t2.card_index["friends_to_all"]]
    st = _play_passing(t2, 1)[0]
    merchants = t2.role_index["merchants"]
    hand = list(st.hand)
    hand[merchants] = (*hand[merchants], card.index)
    st = st.evolve(hand=tuple(hand))
    legal = rules.legal_actions(st, merchants)
    assert legal.targets_for(card.index) == (0, 1)
    order = Order("merchants", "friends_to_all", ("south",))
    assert rules.check(st, order) is None
    assert rules.check(st, Order("merchants", "friends_to_all", ("pirates",))) == (
        "pirates is not a legal target for friends_to_all now"
    )
    assert "friends_to_all" in {a.card for a in legal if isinstance(a, Order)}
    log: list[str] = []
    st = rules.apply(st, order, log)
    st = rules.apply(st, pass_of("merchants"), log)
    st = rules.apply(st, pass_of("corsairs"), log)
    amber, south = c(t2, "amber"), t2.idx["power"]["south"]
    assert st.tie(amber, south, t2.idx["channel"]["faith"]) == 2
    assert "Amber Isle: ties with Southern League (Faith) +2" in log
    assert "Merchant Houses: Friends to all" in log


def test_a_shortened_game_keeps_its_later_events(t: Tables) -> None:
    """A game may be played shorter than written (setup's Turns, a sweep): the mini's event of
    1660 (turn 3) then never comes. That is a mistake in the scenario as written, not in a
    save of a two-turn game."""
    scen = t.scenario
    short = scen.model_copy(update={"turns": scen.turns.model_copy(update={"count": 2})})
    found = check_references(short)
    assert [p.message for p in found] == ["year 1660 never comes: the game covers 1650–1659"]
    assert check_references(short, shortened=True) == []
    assert compile_scenario(short).scheduled == ((), ())


def test_a_shared_victory_counts_for_each_winner_in_the_balance_report(t: Tables) -> None:
    """The Monte Carlo report counts a shared victory as a win for every role that shares it:
    a game ended by the shared ending records its other winner, and both win rates are 1."""
    t2 = _with_endings(
        t,
        [
            {
                "id": "calm",
                "text": "The seas are calm: both win.",
                "when": {"kind": "turn", "at_least": 1},
                "winners": ["corsairs", "merchants"],
            }
        ],
    )
    seats = parse_seats("all=random", t2)
    _, rec = play_game(t2, seats, 5, 0)
    assert rec.ended_by == "The seas are calm: both win."
    assert sorted((rec.winner, *rec.shared)) == [0, 1]
    config = SimConfig(MINI, seats, 2, 5)
    rep = summarise(SimResult(config, [rec, replace(rec, index=1)], 1.0), t2)
    assert [r.win_rate for r in rep.roles] == [1.0, 1.0]


def test_a_scheduled_event_is_not_injected_early(t: Tables) -> None:
    """The White Cell cannot inject a scheduled event before its turn: it comes in by itself."""
    st, _ = _play_passing(t, 1)  # turn 1's orders: nothing pending
    assert rules.check(st, Inject("southern_compact", "early")) == (
        "southern_compact is scheduled for turn 3 and comes in by itself then"
    )


def test_bots_weigh_a_victory_at_the_end_in_the_last_turn(t: Tables) -> None:
    """A bot's valuation counts a victory judged at the end like a sudden death, but only in
    the last turn, when this turn's moves decide it: the mini's shared calm-seas victory is
    worth a large bonus to the merchants once storms are low in turn 4."""
    merchants = t.role_index["merchants"]
    value = RoleValue(t, merchants)
    st = initial_state(t).evolve(tracks=(1, 3))
    early = value.sudden_death(st)  # turn 1: only the pirates' sudden death counts
    assert value.sudden_death(st.evolve(turn=4)) == pytest.approx(early + value.sudden)
