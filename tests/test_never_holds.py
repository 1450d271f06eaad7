"""Values that can never hold and alliances that can never form, found at load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wargame.schema.loader import load_scenario
from wargame.schema.never_holds import check_values
from wargame.schema.references import unlocated

MINI = Path(__file__).parent / "fixtures" / "mini"


def one_each(data: dict[str, Any]) -> dict[str, Any]:
    """The mini scenario as one where a country holds one alliance at a time (Coral Keys'
    two starting alliances dropped)."""
    data["alliance"]["per_country"] = 1
    data["countries"][2]["alliances"] = []
    return data


def with_card(
    effects: list[dict[str, object]], *, decay: int, per_country: int = 1, target: Any = None
) -> list[str]:
    scenario = load_scenario(MINI)
    data = scenario.model_dump(mode="json")
    if per_country == 1:
        one_each(data)
    data["alliance"]["decay"] = decay
    data["countries"][0]["alliance"]["decay"] = None  # Amber's alliance: the scenario's decay
    card = data["decks"][0]["cards"][0]
    card.update(target=target, roll=None, on_success=[], on_failure=[], on_play=effects)
    return [p.message for p in check_values(type(scenario).model_validate(data), unlocated)]


FORM = {"kind": "form_alliance", "power": "south", "strength": 1, "countries": ["amber"]}


def test_a_country_allied_for_good_with_another_power_is_reported() -> None:
    """Amber Isle starts allied with the north; with no decay and nothing that weakens an
    alliance, an alliance with the south can never form there."""
    scenario = load_scenario(MINI)
    weakening = [
        (d.deck, c.id)
        for d in scenario.decks
        for c in d.cards
        for e in (*c.on_play, *c.on_success, *c.on_failure)
        if e.kind == "alliance" and e.delta < 0
    ]
    assert weakening == []
    found = with_card([FORM], decay=0)
    assert found == [
        "`form_alliance` with `south` never acts here: `amber` is allied with another power "
        "from the start and nothing in the scenario ends that alliance, and a country keeps "
        "the alliance it has (an alliance with one power at a time; "
        "`alliance: {per_country: 2}` lets a country hold two)"
    ]


def test_a_country_may_hold_two_alliances_where_the_scenario_allows_it() -> None:
    """With `alliance.per_country: 2` (the mini fixture's own setting), Amber's lasting
    alliance with the north leaves room for one with the south: nothing to report. A country
    whose two lasting alliances with other powers fill its room is reported."""
    assert with_card([FORM], decay=0, per_country=2) == []
    pact = {"kind": "form_alliance", "power": "north", "strength": 1, "countries": ["coral"]}
    # Coral Keys holds alliances with the south and the pirates; with no decay neither lapses.
    assert with_card([pact], decay=0, per_country=2) == [
        "`form_alliance` with `north` never acts here: `coral` holds 2 alliances with other "
        "powers from the start and nothing in the scenario ends them, and a country keeps the "
        "alliances it has (at most 2 at a time)"
    ]


def test_a_card_that_reaches_only_countries_allied_elsewhere_is_reported() -> None:
    """A target filter `allied_with: south` on a card forming an alliance with the north: with
    one alliance a country, every country it can reach is taken. With two, it is not."""
    target = {"kind": "country", "filter": {"allied_with": "south"}}
    north = {"kind": "form_alliance", "power": "north", "strength": 1}
    assert with_card([north], decay=1, target=target) == [
        "`form_alliance` with `north` never acts here: it reaches only countries allied with "
        "`south`, and a country keeps the alliance it has (an alliance with one power at a time; "
        "`alliance: {per_country: 2}` lets a country hold two)"
    ]
    assert with_card([north], decay=1, target=target, per_country=2) == []


def test_an_alliance_that_can_lapse_is_not_reported() -> None:
    assert with_card([FORM], decay=1) == []
    weaken = {"kind": "alliance", "power": "north", "delta": -1, "countries": ["amber"]}
    assert with_card([FORM, weaken], decay=0) == []


def test_the_bundled_and_fixture_scenarios_have_no_such_values() -> None:
    root = Path(__file__).resolve().parents[1]
    for folder in (root / "decks" / "circle-of-friends", MINI):
        assert check_values(load_scenario(folder), unlocated) == []


def test_a_track_short_name_is_what_fits_beside_its_gauge() -> None:
    """The tracks panel at 80 columns has room for 18 characters: a longer `short` would be
    cut where it is meant to be whole."""
    import pytest
    from pydantic import ValidationError

    from wargame.schema.scenario import Track

    track = {"id": "t", "name": "Tension", "min": 0, "max": 3, "start": 0}
    assert Track.model_validate({**track, "short": "Concept legitimacy"}).short_name == (
        "Concept legitimacy"
    )
    with pytest.raises(ValidationError, match="at most 18 characters"):
        Track.model_validate({**track, "short": "Concept legitimacy!"})


def test_an_alliance_with_its_own_decay_of_zero_lasts_whatever_the_scenario_says() -> None:
    scenario = load_scenario(MINI)
    data = one_each(scenario.model_dump(mode="json"))
    data["countries"][0]["alliance"]["decay"] = 0  # Amber Isle's alliance with the north
    card = data["decks"][0]["cards"][0]
    card.update(target=None, roll=None, on_success=[], on_failure=[], on_play=[FORM])
    found = check_values(type(scenario).model_validate(data), unlocated)
    assert [p.message.split(":")[0] for p in found] == [
        "`form_alliance` with `south` never acts here"
    ]


def test_a_power_chosen_in_play_is_never_judged_before() -> None:
    scenario = load_scenario(MINI)
    data = scenario.model_dump(mode="json")
    data["alliance"]["decay"] = 0
    data["countries"][0]["alliance"]["decay"] = 0
    card = data["decks"][0]["cards"][0]
    form = {"kind": "form_alliance", "power": "target", "strength": 1, "countries": ["amber"]}
    card.update(target={"kind": "power"}, roll=None, on_success=[], on_failure=[], on_play=[form])
    assert check_values(type(scenario).model_validate(data), unlocated) == []


def test_a_save_played_shorter_than_written_is_not_judged_by_its_last_turn() -> None:
    """A game set up with fewer turns embeds the scenario with that count; a condition on a
    later turn held in the full game and must not make the save unreadable."""
    from wargame.schema.references import check_references

    scenario = load_scenario(MINI)
    data = scenario.model_dump(mode="json")
    data["turns"]["count"] = 2
    data["decks"][0]["cards"][0]["requires"] = [{"kind": "turn", "at_least": 3}]
    short = type(scenario).model_validate(data)
    assert [p.message.split(":")[0] for p in check_values(short, unlocated)] == ["`at_least"]
    assert check_values(short, unlocated, shortened=True) == []
    assert not any("turn" in p.message for p in check_references(short, shortened=True))
