"""Reference checks on scenarios built in code: what may be named where, and what must exist.

The file-and-line side is covered by `test_loader.py`; here each rule is checked on its own,
including the cases that must *not* be reported.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from wargame.schema.loader import load_scenario
from wargame.schema.references import check_references
from wargame.schema.scenario import Scenario

MINI = Path(__file__).parent / "fixtures" / "mini"
CORSAIRS, EVENTS, MERCHANTS = 0, 1, 2


@cache
def _mini_dump() -> dict[str, Any]:
    return load_scenario(MINI).model_dump()


def mini() -> dict[str, Any]:
    """A fresh, mutable copy of the mini scenario with its decks."""
    return Scenario.model_validate(_mini_dump()).model_dump()


def card(card_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": card_id,
        "title": "A test card",
        "source": {"quote": "a quotation long enough"},
        "text": "What the card does, in words.",
        **fields,
    }


def problems(data: dict[str, Any], *, complete: bool = True) -> list[tuple[str, str]]:
    scenario = Scenario.model_validate(data)
    return [(p.path, p.message) for p in check_references(scenario, complete=complete)]


def with_card(deck: int, *cards: dict[str, Any]) -> list[tuple[str, str]]:
    data = mini()
    data["decks"][deck]["cards"] += list(cards)
    return problems(data)


def test_mini_is_clean() -> None:
    assert problems(mini()) == []


def test_problem_paths_point_into_the_deck() -> None:
    found = with_card(
        MERCHANTS,
        card(
            "x",
            on_play=[
                {
                    "kind": "ties",
                    "power": "north",
                    "channel": "trade",
                    "delta": 1,
                    "countries": ["atlantis"],
                }
            ],
        ),
    )
    assert found == [
        (
            "decks[2].cards[4].on_play[0].countries[0]",
            "unknown country `atlantis` (known: amber, basalt, coral, dune, ember)",
        )
    ]


@pytest.mark.parametrize(
    ("effect", "ok"),
    [
        ({"kind": "ties", "power": "north", "channel": "all", "delta": 1, "where": {}}, True),
        (
            {
                "kind": "ties",
                "power": "north",
                "channel": ["trade", "navy"],
                "delta": 1,
                "countries": ["amber"],
            },
            True,
        ),
        (
            {
                "kind": "ties",
                "power": "north",
                "channel": ["trade", "sail"],
                "delta": 1,
                "countries": ["amber"],
            },
            False,
        ),
        ({"kind": "alliance", "delta": 1, "where": {"allied_with": "any"}}, True),
        ({"kind": "alliance", "delta": 1, "where": {"not_allied_with": "any"}}, True),
        ({"kind": "alliance", "delta": 1, "where": {"aligned_with": ["any"]}}, False),
        ({"kind": "join", "institution": "market_fair", "countries": ["dune"]}, True),
        ({"kind": "bridge", "institutions": ["tide_council", "reef_pact"]}, True),
        ({"kind": "bridge", "institutions": ["tide_council"]}, False),
        ({"kind": "lean", "institution": "reef_pact", "power": "pirates", "delta": 1}, True),
        ({"kind": "influence", "role": "corsairs", "delta": 1}, True),
        ({"kind": "influence", "delta": 1}, True),
        ({"kind": "draw", "role": "pirates", "count": 1}, False),
        ({"kind": "track", "track": "piracy", "delta": 1}, True),
        ({"kind": "flag", "flag": "anything"}, True),
        ({"kind": "modifier", "tags": ["economic"], "chance": 5, "turns": 1}, True),
        ({"kind": "modifier", "role": "merchants", "income": 1, "turns": 1}, True),
        ({"kind": "form_alliance", "power": "south", "strength": 1, "countries": ["dune"]}, True),
        ({"kind": "vp", "role": "self", "delta": 1}, True),
    ],
)
def test_effects_in_a_role_deck(effect: dict[str, Any], ok: bool) -> None:
    found = with_card(MERCHANTS, card("x", on_play=[effect]))
    assert (found == []) is ok, found


def test_self_only_where_a_role_plays() -> None:
    data = mini()
    data["drift"][0]["effects"].append({"kind": "vp", "delta": 1})
    data["roles"][0]["objectives"][0]["metric"] = {"kind": "influence"}
    assert problems(data) == [
        (
            "drift[0].effects[1].role",
            "`self` means the playing role, and a drift rule has none: name a role",
        )
    ]


def test_self_in_an_event_card_filter() -> None:
    target_free = {
        "kind": "ties",
        "power": "north",
        "channel": "trade",
        "delta": 1,
        "where": {"of_role": "self"},
    }
    found = with_card(EVENTS, card("x", on_play=[target_free]))
    assert found == [
        (
            "decks[1].cards[6].on_play[0].where.of_role",
            "`self` means the playing role, and the events deck has none: name a role",
        )
    ]


def test_chosen_targets_must_exist() -> None:
    no_scope = {"kind": "join", "institution": "reef_pact"}
    assert with_card(MERCHANTS, card("x", target={"kind": "country"}, on_play=[no_scope])) == []
    found = with_card(MERCHANTS, card("x", target={"kind": "institution"}, on_play=[no_scope]))
    assert [p for p, _ in found] == ["decks[2].cards[4].on_play[0]"]
    assert "no country `target`" in found[0][1]
    # Join with neither a fixed institution nor one chosen, on a country-target card.
    found = with_card(MERCHANTS, card("x", target={"kind": "country"}, on_play=[{"kind": "join"}]))
    assert "acts on the chosen institution" in found[0][1]


def test_bridge_counts_fixed_and_chosen_institutions() -> None:
    def bridge(fixed: list[str], count: int | None) -> list[tuple[str, str]]:
        target = {"kind": "institution", "count": count} if count else None
        effect = {"kind": "bridge", "institutions": fixed}
        return with_card(MERCHANTS, card("x", target=target, on_play=[effect]))

    assert bridge(["reef_pact"], 1) == []
    assert bridge([], 2) == []
    assert "1 in `institutions` and 2 chosen" in bridge(["reef_pact"], 2)[0][1]
    assert "0 in `institutions` and 0 chosen" in bridge([], None)[0][1]


def test_of_targets_needs_country_targets_and_no_targets_in_objectives() -> None:
    metric = {"kind": "standing", "power": "north", "of": "targets"}
    data = mini()
    data["roles"][0]["objectives"][0]["metric"] = metric
    assert problems(data) == [
        (
            "roles[0].objectives[0].metric.of",
            "`of: targets` reads the chosen countries, but role `merchants` has no targets",
        )
    ]
    roll = {"base": 50, "modifiers": [{"metric": metric, "chance": 5}]}
    effect = [{"kind": "track", "track": "piracy", "delta": 1}]
    assert (
        with_card(MERCHANTS, card("y", target={"kind": "country"}, roll=roll, on_success=effect))
        == []
    )


def test_institution_members_may_be_powers_but_must_exist() -> None:
    data = mini()
    data["institutions"][2]["members"] += ["south", "atlantis"]
    assert [p for p, _ in problems(data)] == ["institutions[2].members[4]"]


def test_bounds_of_starting_values() -> None:
    data = mini()
    data["countries"][0]["ties"]["north"]["trade"] = 9
    data["institutions"][0]["lean"]["north"] = 4
    assert problems(data) == [
        ("countries[0].ties.north.trade", "tie 9 is outside the tie bounds [0, 4]"),
        ("institutions[0].lean.north", "lean 4 is outside the lean bounds [0, 3]"),
    ]


def test_duplicate_ids_everywhere() -> None:
    data = mini()
    data["powers"].append({"id": "north", "name": "Again"})
    data["tracks"].append(dict(data["tracks"][0]))
    data["status"]["groups"].append(dict(data["status"]["groups"][0]))
    data["roles"][0]["objectives"].append(dict(data["roles"][0]["objectives"][0]))
    data["decks"].append(dict(data["decks"][CORSAIRS]))
    found = [m for _, m in problems(data)]
    for phrase in (
        "duplicate power id `north` (also powers[0])",
        "duplicate track id `storms` (also tracks[0])",
        "duplicate group id `league_friends`",
        "duplicate objective id `trade_network`",
        "deck `corsairs` is declared twice",
        "duplicate card id `raid` (also in deck `corsairs`)",
    ):
        assert any(phrase in m for m in found), (phrase, found)


def test_reserved_words_cannot_be_ids() -> None:
    data = mini()
    data["powers"][0]["id"] = "any"
    data["channels"][0]["id"] = "all"
    found = [m for _, m in problems(data)]
    assert any("`any` is a reserved word" in m for m in found)
    assert any("`all` is a reserved word" in m for m in found)


def test_a_country_and_a_power_may_not_share_an_id() -> None:
    data = mini()
    data["countries"][4]["id"] = "south"
    assert any("both a country and a power" in m for _, m in problems(data))


def test_every_deck_playable_and_every_role_deck_present() -> None:
    data = mini()
    data["decks"] = [d for d in data["decks"] if d["deck"] != "corsairs"]
    assert problems(data) == [
        (
            "roles[1].deck",
            "role `corsairs` plays deck `corsairs`, but no deck file declares `deck: corsairs`",
        )
    ]
    # An incomplete load (a deck file that failed) does not blame the missing deck.
    assert problems(data, complete=False) == []


def test_incomplete_load_skips_flag_and_tag_checks() -> None:
    data = mini()
    data["decks"][MERCHANTS]["cards"][0]["requires"] = [{"kind": "flag", "flag": "ghost"}]
    assert [m for _, m in problems(data)] == ["flag `ghost` is never set by any effect"]
    assert problems(data, complete=False) == []


def test_flags_set_by_drift_count() -> None:
    data = mini()
    data["drift"][0]["effects"].append({"kind": "flag", "flag": "stormy"})
    data["roles"][0]["objectives"][1]["when"] = {"kind": "flag", "flag": "stormy"}
    assert problems(data) == []


def test_per_country_at_most_one_alliance_per_power() -> None:
    """Room for more alliances than there are powers can never be used: refused with the fix."""
    data = mini()
    data["alliance"]["per_country"] = 3
    assert problems(data) == []  # three powers in the mini scenario
    data["alliance"]["per_country"] = 4
    assert problems(data) == [
        (
            "alliance.per_country",
            "`per_country: 4` is more than the 3 powers: a country holds at most one alliance "
            "per power; write 3 or less",
        )
    ]
