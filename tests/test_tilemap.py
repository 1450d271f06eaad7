"""The map of the contest (issue 20): the layout from the scenario or by region, and the tiles
every front end draws (status, alliance, moves since an earlier board)."""

from __future__ import annotations

from tests.helpers import COF, effect, mini, tables_for
from wargame.effects import apply_effects
from wargame.facilitation.tilemap import (
    AMBIGUOUS_KIND,
    automatic_layout,
    layout_of,
    map_view,
)
from wargame.rules import new_game
from wargame.schema.maps import code_candidates, tile_codes


def test_automatic_layout_of_the_fixture_scenario() -> None:
    """Without a map: each region a block under its label, countries in scenario order, an
    empty column between regions (Inner Sea: Amber, Basalt; Outer Reefs: Coral, Dune, Ember)."""
    t = mini()
    assert t.scenario.map is None
    lay = layout_of(t)
    assert lay.automatic
    assert (lay.cols, lay.rows) == (5, 3)
    assert lay.labels == ((0, 0, "Inner Sea"), (3, 0, "Outer Reefs"))
    assert lay.places == ((0, 1), (1, 1), (3, 1), (4, 1), (3, 2))
    assert lay.codes == ("AIS", "BRO", "CKE", "DAT", "ESH")
    # Deterministic: computed again from the scenario, the same map.
    assert automatic_layout(t.scenario) == lay
    assert len(set(lay.places)) == len(lay.places)


def test_the_bundled_map_reads_like_asia() -> None:
    """Hand-placed: Japan east of South Korea, North Korea north of it, the Philippines south
    of an empty cell (Taiwan's gap), Central Asia west of China, Australia south of Papua New
    Guinea, the United States east of everything."""
    t = tables_for(COF)
    lay = layout_of(t)
    assert not lay.automatic
    at = {t.countries[c]: lay.places[c] for c in range(len(t.countries))}
    china = next(m for m in lay.landmarks if m.code == "CHN")
    usa = next(m for m in lay.landmarks if m.code == "USA")
    assert at["japan"][0] > at["south_korea"][0] and at["japan"][1] == at["south_korea"][1]
    assert at["north_korea"] == (at["south_korea"][0], at["south_korea"][1] - 1)
    phl = at["philippines"]
    gap = (phl[0], phl[1] - 1)
    assert gap not in lay.occupied()
    for ca in ("kazakhstan", "kyrgyzstan", "tajikistan", "uzbekistan"):
        assert at[ca][0] < china.col
    assert at["mongolia"] == (china.col, china.row - 1)
    assert at["australia"][1] > at["papua_new_guinea"][1]
    assert all(usa.col > col for col, _ in lay.places if (col, _) != at["ecuador"])
    assert len(set(lay.places)) == 32 == len(t.countries)


def test_codes_made_from_names_are_unique() -> None:
    assert code_candidates("South Korea")[0] == "SKO"
    assert code_candidates("Papua New Guinea")[0] == "PNG"
    assert code_candidates("North Korea (DPRK)")[0] == "NKO"
    codes = tile_codes(mini().scenario)
    assert len(set(codes.values())) == len(codes)


def test_a_status_change_changes_exactly_that_tile() -> None:
    """Ties moved by the engine's effects tip one country: its tile, and no other, says it
    moved, toward which power, and what it was."""
    t = mini()
    st = new_game(t)
    before = map_view(st)
    assert not any(tile.moved or tile.shifted for tile in before.tiles)
    c = t.countries.index("basalt")
    data = {
        "kind": "ties",
        "power": "pirates",
        "channel": "navy",
        "delta": 4,
        "countries": ["basalt"],
    }
    after_state = apply_effects(st, (effect(t, data),), -1, (), None)
    after = map_view(after_state, st, "since the start of turn 1 (1700)")
    changed = [(a.country, a.tag) for a, b in zip(after.tiles, before.tiles, strict=True) if a != b]
    assert [country for country, _ in changed] == [c]
    tile = after.tiles[c]
    assert tile.moved and tile.toward == t.powers.index("pirates")
    assert tile.was == before.tiles[c].status != tile.status
    assert after.moved_lines() == [
        f"Moved toward {after.powers[tile.toward]} since the start of turn 1 (1700): Basalt Rock"
    ]
    assert after.describe(tile).startswith(f"Basalt Rock (BRO): {tile.status}")


def test_the_legend_names_every_status_with_a_tag() -> None:
    view = map_view(new_game(tables_for(COF)))
    tags = [tag for tag, *_ in view.legend()]
    assert tags == ["CHI", "US", "≈", "·"]
    assert {tile.kind for tile in view.tiles} >= {"aligned", "non-aligned"}
    japan = view.tiles[tables_for(COF).countries.index("japan")]
    assert (japan.tag, japan.alliance_text) == ("US", "⚑5")
    assert AMBIGUOUS_KIND in [kind for _, _, kind, _ in view.legend()]
