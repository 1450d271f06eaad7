"""Rules cases for the language additions of issue 18 (section 3), each quoting its rule.

Cases run on the mini fixture (tests/fixtures/mini), whose scenario and decks use every
addition, so the generic playout, journal and replay tests cover them too.
"""

from __future__ import annotations

import pytest
from helpers import c, cfilter, mini, set_ties

from wargame.bots.soft import soft_match
from wargame.evaluate import countries_where, country_matches
from wargame.state import initial_state
from wargame.tables import Tables


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
