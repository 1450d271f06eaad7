"""The rules-case catalogue: one numbered case per rule, the rule quoted, the result hand-computed.

Cases run on the mini fixture (tests/fixtures/mini): powers north/south/pirates, channels
trade/navy(weight 2)/faith, ties 0..4, status strong=4 margin=2, alliance weight 1.
"""

from __future__ import annotations

import pytest
from helpers import (
    c,
    cfilter,
    condition,
    effect,
    metric,
    mini,
    random_playout,
    scenario_dirs,
    set_ties,
    tables_for,
)

from wargame import rules
from wargame.actions import Accept, Chance, Inject, Order, Override, Pass
from wargame.effects import apply_effects
from wargame.evaluate import (
    countries_where,
    country_matches,
    holds,
    income_of,
    institution_matches,
    metric_value,
    objective_scores,
    roll_breakdown,
    roll_chance,
)
from wargame.flow import upkeep
from wargame.pending import ChanceDue
from wargame.state import initial_state
from wargame.tables import ALIGNED, AMBIGUOUS, NON_ALIGNED, IFilter, compile_scenario


@pytest.fixture
def t():  # type: ignore[no-untyped-def]
    return mini()


@pytest.fixture
def st(t):  # type: ignore[no-untyped-def]
    return initial_state(t)


def run(st, data, role=-1, targets=(), tkind=None):  # type: ignore[no-untyped-def]
    return apply_effects(st, (effect(st.tables, data),), role, targets, tkind)


# ----------------------------------------------------------------------------- status


def test_case_01_status_non_aligned(t, st):  # type: ignore[no-untyped-def]
    """Rule: "None close: non-aligned." Ember Shoals starts with no ties: standing 0 everywhere."""
    s = st.status(c(t, "ember"))
    assert s.code == NON_ALIGNED and s.standing == (0, 0, 0)


def test_case_02_status_aligned_with_alliance_weight(t, st):  # type: ignore[no-untyped-def]
    """Rule: "standing = sum of weight * tie, plus alliance strength times standing_weight";
    "one close: aligned". Amber: north trade 3 + navy 1*2 + alliance 2*1 = 7 >= 4; south 1."""
    s = st.status(c(t, "amber"))
    assert s.standing[0] == 7 and s.standing[1] == 1
    assert s.code == ALIGNED and s.power == 0


def test_case_03_status_ambiguous_within_margin(t, st):  # type: ignore[no-untyped-def]
    """Rule: "Otherwise: ambiguous (strong ties to several powers)": leader not ahead by margin 2.
    Coral: pirates navy 2*2 + alliance 1 = 5, south trade 2 + alliance 1 = 3 -> raise south
    faith to 2 -> 5 and 5."""
    st = set_ties(st, "coral", "south", faith=2)
    s = st.status(c(t, "coral"))
    assert s.standing[1] == 5 and s.standing[2] == 5
    assert s.code == AMBIGUOUS


def test_case_04_status_aligned_by_margin(t, st):  # type: ignore[no-untyped-def]
    """Rule: "the leader ahead of the runner-up by at least `margin`: aligned with the leader".
    Coral: pirates 5 + trade 2 = 7, south 5: lead 2 = margin -> aligned with pirates."""
    st = set_ties(st, "coral", "south", faith=2)
    st = set_ties(st, "coral", "pirates", trade=2)
    s = st.status(c(t, "coral"))
    assert s.code == ALIGNED and s.power == 2


def test_case_05_groups_derived(t, st):  # type: ignore[no-untyped-def]
    """Rule: a group is "countries aligned with one of `aligned_with`, plus (if `ambiguous`) every
    ambiguous country". grey_zone = aligned with pirates or ambiguous."""
    g = t.idx["group"]["grey_zone"]
    assert st.in_group(c(t, "coral"), g)  # aligned with pirates (4 vs south 2)
    assert not st.in_group(c(t, "amber"), g)
    st2 = set_ties(st, "amber", "south", navy=3)  # south 1+6 = 7 vs north 7: ambiguous
    assert st2.status(c(t, "amber")).code == AMBIGUOUS
    assert st2.in_group(c(t, "amber"), g)


# ----------------------------------------------------------------------------- effects


def test_case_10_ties_effect_clamped(t, st):  # type: ignore[no-untyped-def]
    """Rule (ties): "Change ties to a power on one or more channels; results are clamped to the
    tie bounds." Amber north trade 3 +3 -> 4 (max 4); navy 1 +3 -> 4."""
    st2 = run(
        st,
        {
            "kind": "ties",
            "power": "north",
            "channel": ["trade", "navy"],
            "delta": 3,
            "countries": ["amber"],
        },
    )
    assert st2.tie(c(t, "amber"), 0, 0) == 4 and st2.tie(c(t, "amber"), 0, 1) == 4
    st3 = run(
        st,
        {"kind": "ties", "power": "north", "channel": "all", "delta": -9, "countries": ["amber"]},
    )
    assert st3.ties[c(t, "amber")][:3] == (0, 0, 0)
    assert st.tie(c(t, "amber"), 0, 0) == 3, "the old state is never mutated"


def test_case_11_ties_effect_on_targets_and_where(t, st):  # type: ignore[no-untyped-def]
    """Rule: "neither given: the card's chosen country targets"; `where`: all matching."""
    st2 = run(
        st,
        {"kind": "ties", "power": "south", "channel": "faith", "delta": 1},
        targets=(c(t, "dune"),),
        tkind="country",
    )
    assert st2.tie(c(t, "dune"), 1, 2) == 1
    st3 = run(
        st,
        {
            "kind": "ties",
            "power": "south",
            "channel": "faith",
            "delta": 1,
            "where": {"region": ["outer"]},
        },
    )
    assert [st3.tie(c(t, x), 1, 2) for x in ("coral", "dune", "ember", "amber")] == [1, 1, 1, 0]


def test_case_12_track_effect_clamped(t, st):  # type: ignore[no-untyped-def]
    """Rule (track): "Move a global track; clamped to its bounds." storms 2 +10 -> 6 (max)."""
    st2 = run(st, {"kind": "track", "track": "storms", "delta": 10})
    assert st2.tracks[0] == 6
    assert run(st, {"kind": "track", "track": "piracy", "delta": -10}).tracks[1] == 0


def test_case_13_influence_never_negative(t, st):  # type: ignore[no-untyped-def]
    """Rule (influence): "influence never goes below zero". 0 - 3 -> 0; self = the player."""
    st2 = run(st, {"kind": "influence", "role": "self", "delta": -3}, role=0)
    assert st2.influence[0] == 0
    assert run(st, {"kind": "influence", "role": "corsairs", "delta": 2}).influence[1] == 2


def test_case_14_vp_effect_added_at_scoring(t, st):  # type: ignore[no-untyped-def]
    """Rule (vp): "Give or take victory points this turn" — banked, added at the next scoring."""
    st2 = run(st, {"kind": "vp", "role": "self", "delta": 3}, role=1)
    assert st2.bonus[1] == 3 and st2.vp[1] == ()


def test_case_15_alliance_effect_reaffirms(t, st):  # type: ignore[no-untyped-def]
    """Rule (alliance): "A positive change counts as a reaffirmation: that alliance does not decay
    this turn." Amber 2 +1 -> 3, no decay at upkeep; unreaffirmed it would decay 2 -> 1."""
    st2 = run(st, {"kind": "alliance", "power": "north", "delta": 1, "countries": ["amber"]})
    assert st2.alliance[c(t, "amber")] == 3
    assert upkeep(st2, None).alliance[c(t, "amber")] == 3
    assert upkeep(st, None).alliance[c(t, "amber")] == 1


def test_case_16_alliance_lapses_at_zero(t, st):  # type: ignore[no-untyped-def]
    """Rule: "Formal alliances ... decay unless reaffirmed"; at strength 0 the alliance lapses."""
    st2 = run(st, {"kind": "alliance", "delta": -5, "countries": ["amber"]})
    assert st2.alliance[c(t, "amber")] == 0 and st2.ally[c(t, "amber")] == -1
    assert st2.status(c(t, "amber")).standing[0] == 5  # 3 + 2, no alliance bonus


def test_case_17_form_alliance(t, st):  # type: ignore[no-untyped-def]
    """Rule (form_alliance): "Sign a formal alliance with a power, or raise an existing one to at
    least `strength`." Never replaces an alliance with another power."""
    st2 = run(
        st,
        {
            "kind": "form_alliance",
            "power": "south",
            "strength": 2,
            "countries": ["basalt", "amber"],
        },
    )
    assert st2.ally[c(t, "basalt")] == 1 and st2.alliance[c(t, "basalt")] == 2
    assert st2.ally[c(t, "amber")] == 0 and st2.alliance[c(t, "amber")] == 2


def test_case_17b_form_alliance_fizzle_is_logged(t):  # type: ignore[no-untyped-def]
    """Rule (form_alliance): "A country already allied with another power is left as it is"
    (where `alliance.per_country` is 1); the log says so, with the reason, so the table does
    not take it for a bug."""
    scen = t.scenario
    coral = scen.countries[2].model_copy(update={"alliances": []})
    one = compile_scenario(
        scen.model_copy(
            update={
                "alliance": scen.alliance.model_copy(update={"per_country": 1}),
                "countries": [*scen.countries[:2], coral, *scen.countries[3:]],
            }
        )
    )
    log: list[str] = []
    effect_ = effect(one, {"kind": "form_alliance", "power": "south", "strength": 2})
    targets = (c(one, "amber"), c(one, "basalt"))
    apply_effects(initial_state(one), (effect_,), -1, targets, "country", log)
    assert log == [
        "  … fizzles for Amber Isle: already allied with Northern League, so no alliance with "
        "Southern League",
        "Basalt Rock: alliance with Southern League at strength 2",
    ]


def test_case_18_join_and_leave(t, st):  # type: ignore[no-untyped-def]
    """Rule (join/leave): "The countries join an institution (a fixed one, or the chosen
    institution target)." """
    i = t.idx["institution"]["reef_pact"]
    st2 = run(st, {"kind": "join", "institution": "reef_pact", "countries": ["ember"]})
    assert c(t, "ember") in st2.members[i]
    st3 = run(
        st2, {"kind": "leave", "countries": ["ember", "coral"]}, targets=(i,), tkind="institution"
    )
    assert c(t, "ember") not in st3.members[i] and c(t, "coral") not in st3.members[i]


def test_case_19_lean_clamped(t, st):  # type: ignore[no-untyped-def]
    """Rule (lean): "Shift an institution's agenda toward a power; clamped to lean bounds"."""
    i = t.idx["institution"]["reef_pact"]
    st2 = run(st, {"kind": "lean", "institution": "reef_pact", "power": "pirates", "delta": 5})
    assert st2.lean[i][2] == 3


def test_case_20_bridge_from_targets(t, st):  # type: ignore[no-untyped-def]
    """Rule (bridge): "The pair is the fixed `institutions` plus as many chosen institution
    targets as needed to make two." A bridge is unordered and counted once."""
    a, b = t.idx["institution"]["tide_council"], t.idx["institution"]["market_fair"]
    st2 = run(st, {"kind": "bridge"}, targets=(b, a), tkind="institution")
    assert st2.bridges == {(a, b)}
    st3 = run(
        st2, {"kind": "bridge", "institutions": ["tide_council"]}, targets=(b,), tkind="institution"
    )
    assert st3.bridges == {(a, b)}
    assert metric_value(st3, metric(t, {"kind": "bridges"})) == 1
    st4 = run(
        st3, {"kind": "bridge", "institutions": ["tide_council", "market_fair"], "remove": True}
    )
    assert st4.bridges == frozenset()


def test_case_21_flags(t, st):  # type: ignore[no-untyped-def]
    """Rule (flag): "Set or clear a named flag (a lasting fact other cards and rules can test)"."""
    # flags are interned at compile time: use one the mini scenario never mentions via metric
    cond = condition(t, {"kind": "flag", "flag": "storm_warning"})
    st2 = apply_effects(st, (effect(t, {"kind": "flag", "flag": "storm_warning"}),), -1, (), None)
    # compile again to share the same interned index
    assert holds(st2, cond) is (cond.a in st2.flags)


def test_case_22_modifier_chance_and_expiry(t, st):  # type: ignore[no-untyped-def]
    """Rule (modifier): "adds `chance` to rolls of cards carrying any of `tags` ... played by
    `role`, lasting `turns` upkeeps". Smuggler networks (channels tag) base 60 + 10 -> 70, gone
    after two upkeeps."""
    card = t.cards[t.card_index["smuggler_ties"]]
    st2 = run(
        st, {"kind": "modifier", "role": "corsairs", "tags": ["channels"], "chance": 10, "turns": 2}
    )
    # smuggler ties modifier: +5 per pirates tie of the target, Coral has navy 2 -> +10
    base, _ = roll_breakdown(st, card, 1, (c(t, "coral"),))
    boosted, parts = roll_breakdown(st2, card, 1, (c(t, "coral"),))
    assert base == 70 and boosted == 80 and ("modifier", 10) in parts
    once = upkeep(st2, None)
    assert len(once.modifiers) == 1 and once.modifiers[0].turns_left == 1
    assert upkeep(once, None).modifiers == ()


def test_case_23_modifier_income(t, st):  # type: ignore[no-untyped-def]
    """Rule (modifier): "and `income` to that role's income"; income = base + terms, capped,
    then modifiers. Merchants: 3 + 1 per country aligned with north (amber) = 4; +2 -> 6."""
    assert income_of(st, 0) == 4
    st2 = run(st, {"kind": "modifier", "role": "merchants", "income": 2, "turns": 1})
    assert income_of(st2, 0) == 6


def test_case_24_draw(t, st):  # type: ignore[no-untyped-def]
    """Rule (draw): "A role draws extra cards" from its draw pile (none if it is empty)."""
    st2 = st.evolve(draw=((1, 2), ()), hand=((0,), ()))
    st3 = run(st2, {"kind": "draw", "role": "merchants", "count": 3})
    assert st3.hand[0] == (0, 1, 2) and st3.draw[0] == ()


# ----------------------------------------------------------------------------- conditions


def test_case_30_conditions(t, st):  # type: ignore[no-untyped-def]
    """Rule: track/turn/metric bounds are inclusive; all/any/not combine."""
    assert holds(
        st, condition(t, {"kind": "track", "track": "storms", "at_least": 2, "at_most": 2})
    )
    assert not holds(st, condition(t, {"kind": "track", "track": "storms", "at_least": 3}))
    assert holds(st, condition(t, {"kind": "turn", "at_most": 1}))
    m = {
        "kind": "metric",
        "metric": {"kind": "members", "institution": "tide_council"},
        "at_least": 3,
    }
    assert holds(st, condition(t, m))
    assert holds(st, condition(t, {"kind": "any", "of": [{"kind": "turn", "at_least": 5}, m]}))
    assert not holds(st, condition(t, {"kind": "all", "of": [{"kind": "turn", "at_least": 5}, m]}))
    assert holds(st, condition(t, {"kind": "not", "of": {"kind": "turn", "at_least": 5}}))


def test_case_30b_seated(t):  # type: ignore[no-untyped-def]
    """Rule: `seated` holds while the role has a seat, `seated: false` while it is absent; an
    objective under it scores accordingly (the corsairs are the mini fixture's optional role)."""
    here = initial_state(t, (True, True))
    away = initial_state(t, (True, False))
    seated = condition(t, {"kind": "seated", "role": "corsairs"})
    absent = condition(t, {"kind": "seated", "role": "corsairs", "seated": False})
    assert holds(here, seated) and not holds(here, absent)
    assert not holds(away, seated) and holds(away, absent)
    assert holds(away, condition(t, {"kind": "not", "of": {"kind": "seated", "role": "corsairs"}}))


def test_case_31_metrics(t, st):  # type: ignore[no-untyped-def]
    """Rule: each metric reads the state as documented in the language."""
    assert metric_value(st, metric(t, {"kind": "countries", "filter": {"region": ["outer"]}})) == 3
    assert (
        metric_value(
            st, metric(t, {"kind": "countries", "weighted": True, "filter": {"region": ["outer"]}})
        )
        == 5
    )
    assert metric_value(st, metric(t, {"kind": "ties", "power": "south"})) == 7
    assert metric_value(st, metric(t, {"kind": "ties", "power": "south", "channel": "trade"})) == 5
    assert (
        metric_value(
            st, metric(t, {"kind": "standing", "power": "north", "filter": {"ids": ["amber"]}})
        )
        == 7
    )
    assert metric_value(st, metric(t, {"kind": "alliances", "power": "north"})) == 2
    assert metric_value(st, metric(t, {"kind": "alliances", "power": "north", "count": True})) == 1
    assert metric_value(st, metric(t, {"kind": "members", "institution": "tide_council"})) == 3
    assert (
        metric_value(
            st, metric(t, {"kind": "members", "institution": "tide_council", "filter": {}})
        )
        == 2
    )  # countries only, not the power
    assert (
        metric_value(
            st, metric(t, {"kind": "lean", "institution": "reef_pact", "power": "pirates"})
        )
        == 2
    )
    assert metric_value(st, metric(t, {"kind": "turn"})) == 1
    assert metric_value(st.evolve(influence=(4, 1)), metric(t, {"kind": "influence"}), 0) == 4


# ----------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"region": ["inner"]}, {"amber", "basalt"}),
        ({"ids": ["amber", "dune"], "exclude": ["dune"]}, {"amber"}),
        ({"status": ["non_aligned"]}, {"dune", "ember"}),
        ({"aligned_with": ["north"]}, {"amber"}),
        ({"group": "grey_zone"}, {"coral"}),
        ({"not_group": "league_friends"}, {"coral", "dune", "ember"}),
        ({"member_of": ["reef_pact"]}, {"coral", "dune"}),
        ({"not_member_of": ["market_fair", "reef_pact"]}, {"basalt"}),
        ({"allied_with": "any"}, {"amber", "coral"}),
        ({"allied_with": "pirates"}, {"coral"}),
        ({"not_allied_with": "south"}, {"amber", "basalt", "dune", "ember"}),
        ({"not_allied_with": "north"}, {"basalt", "coral", "dune", "ember"}),
        ({"of_role": "merchants"}, set()),
        ({"ties": [{"power": "south", "channel": "trade", "at_least": 2}]}, {"basalt", "coral"}),
        ({"ties": [{"power": "south", "at_least": 4}]}, {"basalt"}),
        ({"standing": [{"power": "pirates", "at_least": 1, "at_most": 1}]}, {"dune"}),
    ],
)
def test_case_40_country_filters(t, st, data, expected):  # type: ignore[no-untyped-def]
    """Rule: "Which countries qualify; every given field must hold (logical AND)." Starting
    position: amber aligned north; basalt aligned south (trade 2 + navy 2 + faith 1 = 5);
    coral aligned pirates (4 + alliance 1 vs 2 + alliance 1), allied with both; dune, ember
    non-aligned."""
    f = cfilter(t, data)
    got = {t.countries[i] for i in range(len(t.countries)) if country_matches(st, f, i)}
    assert got == expected
    # the set-based fast path agrees with the per-country reference
    assert {t.countries[i] for i in countries_where(st, f)} == expected


def test_case_41_institution_filters(t, st):  # type: ignore[no-untyped-def]
    """Rule: institution filters on ids, lean bounds, a member, and bridged or not."""
    a, b = t.idx["institution"]["tide_council"], t.idx["institution"]["market_fair"]
    st2 = st.evolve(bridges=frozenset({(a, b)}))
    north = t.idx["power"]["north"]
    assert [institution_matches(st, IFilter(lean=((north, 1, None),)), i) for i in range(3)] == [
        True,
        False,
        False,
    ]
    assert [institution_matches(st2, IFilter(bridged=True), i) for i in range(3)] == [
        True,
        False,
        True,
    ]
    amber = c(t, "amber")
    assert [institution_matches(st, IFilter(has_member=amber), i) for i in range(3)] == [
        True,
        False,
        True,
    ]


# ----------------------------------------------------------------------------- rolls


def test_case_50_roll_modifier_per_and_cap(t, st):  # type: ignore[no-untyped-def]
    """Rule (roll): "`chance` for every `per` units of `metric` (capped at `max`)"; the total is
    clamped to [min, max]. Smuggler networks: 60 + 5 per pirates tie of the target, max 20."""
    card = t.cards[t.card_index["smuggler_ties"]]
    assert roll_breakdown(st, card, 1, (c(t, "ember"),))[0] == 60
    st2 = set_ties(st, "ember", "pirates", trade=4, navy=4, faith=4)
    assert roll_breakdown(st2, card, 1, (c(t, "ember"),))[0] == 80  # capped at +20
    st3 = run(st2, {"kind": "modifier", "role": "corsairs", "chance": 50, "turns": 1})
    assert roll_breakdown(st3, card, 1, (c(t, "ember"),))[0] == 95  # clamped to max 95


def test_case_51_negative_metric_modifier(t, st):  # type: ignore[no-untyped-def]
    """Rule: a negative `chance` per unit lowers the roll. Escort: 50 - 5 per storm (2) = 40."""
    card = t.cards[t.card_index["escort_convoy"]]
    assert roll_breakdown(st, card, 0, ())[0] == 40


# ----------------------------------------------------------------------------- scoring


def test_case_60_objective_terms(t, st):  # type: ignore[no-untyped-def]
    """Rule (objective): "`points` for every `per` units of `metric` (or flat `points`), only
    while `when` holds, capped at `max`." Merchants: weighted countries aligned north (amber,
    weight 2) = 2; calm seas (piracy <= 2) fails at 3 -> [2, 0]. Corsairs: grey zone (coral) 1,
    piracy 3 per 3 -> 1."""
    assert objective_scores(st, 0) == [2, 0]
    assert objective_scores(st, 1) == [1, 1]
    calm = run(st, {"kind": "track", "track": "piracy", "delta": -1})
    assert objective_scores(calm, 0) == [2, 2]


def test_case_61_scoring_phase_adds_bonus_and_sudden_death(t):  # type: ignore[no-untyped-def]
    """Rule: scoring adds each role's objectives plus effect VP; "Sudden death ... ends the game
    at once (after scoring) when `when` holds; `winner` ranks first"."""
    from wargame.flow import _score

    st = initial_state(t).evolve(phase="scoring", bonus=(1, 0))
    st2 = _score(st, None)
    assert st2.vp == ((3,), (2,)) and st2.bonus == (0, 0) and not st2.over
    st3 = _score(st.evolve(tracks=(2, 8)), None)
    assert st3.over and st3.winner == 1
    assert rules.ranking(st3.evolve(vp=((50,), (0,))))[0] == 1


def test_case_62_ranking_tie_breaks(t):  # type: ignore[no-untyped-def]
    """Rule: rank by total VP, then the scenario's tie-breaks: last turn's VP, influence,
    initiative."""
    st = initial_state(t)
    assert rules.ranking(st.evolve(vp=((1, 2), (2, 1)))) == [0, 1]
    assert rules.ranking(st.evolve(vp=((2, 1), (2, 1)), influence=(0, 3))) == [1, 0]
    assert rules.ranking(st.evolve(vp=((2, 1), (2, 1)), influence=(3, 3))) == [0, 1]


# ----------------------------------------------------------------------------- upkeep


def test_case_70_drift_rule(t, st):  # type: ignore[no-untyped-def]
    """Rule (drift): "Applied at upkeep while `when` holds". Storms >= 4 raise piracy by 1."""
    assert upkeep(st, None).tracks == st.tracks
    stormy = st.evolve(tracks=(4, 3))
    assert upkeep(stormy, None).tracks == (4, 4)


# ----------------------------------------------------------------------------- turn & actions


def test_case_80_turn_structure_and_hidden_orders(t):  # type: ignore[no-untyped-def]
    """Rule: event -> income -> orders (hidden, simultaneous) -> resolution by initiative ->
    scoring -> upkeep. Orders are refused outside the orders phase and beyond the budget."""
    st = rules.new_game(t)
    assert isinstance(rules.waiting_for(st), ChanceDue)  # the event deck's first shuffle
    while isinstance(rules.waiting_for(st), ChanceDue):
        pile = rules.shuffle_pile(st) if st.pending[0] == "shuffle" else None
        if pile is not None:
            st = rules.apply(st, Chance(tuple(t.cards[x].id for x in pile)))
        else:
            st = rules.apply(st, Chance("success"))
    assert st.phase == "orders" and st.turn == 1
    assert len(st.hand[0]) == 3 and len(st.hand[1]) == 3
    expensive = Order("merchants", "escort_convoy")
    assert st.influence[0] >= 3
    st2 = rules.apply(st, expensive)
    assert st2.orders[0] and st2.influence[0] == st.influence[0] - 3
    assert rules.check(st2, Order("merchants", "escort_convoy")) is not None  # not in hand now
    assert rules.check(st2, Order("corsairs", "escort_convoy")) is not None
    st3 = rules.apply(st2, Pass("merchants"))
    assert st3.phase == "orders", "waits for every seated role"
    assert (
        rules.check(st3, Pass("merchants")) == "merchants has already committed its orders "
        "this turn"
    )


def test_case_81_facilitated_adjudication(t):  # type: ignore[no-untyped-def]
    """Rule: in a facilitated session each roll waits for the facilitator: Accept keeps the drawn
    outcome, Override replaces it (a reason is required)."""
    st = initial_state(t, facilitated=True).evolve(
        ev_draw=(t.card_index["bonanza"],), ev_discard=()
    )
    from wargame.flow import advance

    st = advance(st)
    assert st.pending == ("roll", 50)
    st2 = rules.apply(st, Chance("success"))
    assert st2.pending == ("adjudicate", "success", 50)
    assert rules.check(st2, Override("failure", " ")) == "an override needs a reason"
    over = rules.apply(st2, Override("failure", "the harvest was looted"))
    acc = rules.apply(st2, Accept())
    # the game then moves on to income alike in both; the difference is the bonanza's 2
    assert over.influence[1] - acc.influence[1] == 2
    assert acc.influence[0] - over.influence[0] == 2


def test_case_82_inject(t):  # type: ignore[no-untyped-def]
    """Rule: the facilitator may inject an event card (an inject-only card, or one still in the
    event deck) when no roll is pending; it resolves at once and returns to the injects."""
    st = rules.new_game(t)
    while st.pending is not None:
        if st.pending[0] == "shuffle":
            st = rules.apply(st, Chance(tuple(t.cards[x].id for x in rules.shuffle_pile(st))))
        else:
            st = rules.apply(st, Chance("failure"))
    before = [st.tie(c(t, x), 0, 1) for x in ("amber", "basalt")]
    st2 = rules.apply(st, Inject("admiral_inject", "naval review"))
    after = [st2.tie(c(t, x), 0, 1) for x in ("amber", "basalt")]
    assert after == [b + 1 for b in before]
    assert t.card_index["admiral_inject"] in st2.injects
    assert rules.check(st, Inject("raid")) == "raid is not an event card"


@pytest.mark.parametrize("path", scenario_dirs(), ids=lambda p: p.name)
def test_case_roll_chance_matches_breakdown(path):  # type: ignore[no-untyped-def]
    """Rule: the chance shown to a team ("chance now", with its parts) is the chance the roll
    uses. `roll_chance` is the hot-path total, `roll_breakdown` the displayed one: they must
    agree for every rolled card in hand, on every target, in positions from random games."""
    t = tables_for(path)
    checked = 0

    def compare(st, _action):  # type: ignore[no-untyped-def]
        nonlocal checked
        if st.phase != "orders" or st.pending is not None:
            return
        for r in range(len(t.roles)):
            for ci in st.hand[r]:
                card = t.cards[ci]
                if card.roll_base is None:
                    continue
                targets = rules.legal_actions(st, r).targets_for(ci)[:3] or ((),)
                for x in targets:
                    tg = (x,) * card.target_count if x != () else ()
                    assert roll_chance(st, card, r, tg) == roll_breakdown(st, card, r, tg)[0]
                    checked += 1

    for seed in range(3):
        random_playout(t, seed, check=False, on_state=compare)
    assert checked > 50


def test_case_status_lone_margin(t, st):  # type: ignore[no-untyped-def]
    """Rule: "With `lone_margin`, a power that is the only close one must also lead the runner-up
    by that much to be aligned; nearer than that the country stays non-aligned." Amber: north 7
    (close alone), south 1: lead 6. With lone_margin 6 it stays aligned; with 7, non-aligned."""
    import dataclasses

    from wargame.derived import derive_status

    amber = c(t, "amber")
    row, ally, strength = st.ties[amber], 0, 2
    assert derive_status(dataclasses.replace(t, lone_margin=6), row, ally, strength).code == ALIGNED
    s = derive_status(dataclasses.replace(t, lone_margin=7), row, ally, strength)
    assert s.code == NON_ALIGNED and s.standing[:2] == (7, 1)
