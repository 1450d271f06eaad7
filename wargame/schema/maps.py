"""The checks of a scenario's tile map against its ids, and the codes its tiles show: apart
from the models (`tilemap`) because they read the whole Scenario, which holds a map."""

from __future__ import annotations

import difflib
import re

from wargame.schema.scenario import Scenario
from wargame.schema.tilemap import CODE_MAX, MapPlace, MapTile
from wargame.schema.yaml_positions import KeyPath


def map_problems(scenario: Scenario) -> list[tuple[KeyPath, str]]:
    """Every problem of the scenario's map, each at its key path: unknown ids, a country
    without a tile, a cell off the grid, two things on one cell, a code used twice."""
    tm = scenario.map
    if tm is None:
        return []
    out: list[tuple[KeyPath, str]] = []
    countries = [c.id for c in scenario.countries]
    known = {
        "countries": (set(countries), "country"),
        "powers": ({p.id for p in scenario.powers}, "power"),
        "regions": ({r.id for r in scenario.regions}, "region"),
    }
    taken: dict[tuple[int, int], KeyPath] = {}
    codes: dict[str, KeyPath] = {}
    places: list[tuple[str, dict[str, MapTile] | dict[str, MapPlace]]] = [
        ("countries", tm.countries),
        ("powers", tm.powers),
        ("regions", tm.regions),
    ]
    for section, entries in places:
        ids, what = known[section]
        for key, place in entries.items():
            path: KeyPath = ("map", section, key)
            if key not in ids:
                close = difflib.get_close_matches(key, sorted(ids), n=1)
                hint = f" (did you mean `{close[0]}`?)" if close else ""
                out.append((path, f"unknown {what} `{key}`{hint}"))
            if place.col >= tm.cols or place.row >= tm.rows:
                out.append(
                    (
                        path,
                        f"({place.col}, {place.row}) is off the grid: columns 0 to "
                        f"{tm.cols - 1}, rows 0 to {tm.rows - 1}",
                    )
                )
                continue
            cell = (place.col, place.row)
            if cell in taken:
                out.append(
                    (
                        path,
                        f"({place.col}, {place.row}) is already taken by {_what(taken[cell])}: "
                        "one tile or label per cell",
                    )
                )
            else:
                taken[cell] = path
            code = getattr(place, "code", None)
            if code is not None:
                if code in codes:
                    out.append(
                        (
                            (*path, "code"),
                            f"code `{code}` is also the code of {_what(codes[code])}",
                        )
                    )
                else:
                    codes[code] = path
    missing = [c for c in countries if c not in tm.countries]
    if missing:
        shown = ", ".join(f"`{c}`" for c in missing[:6])
        more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        out.append((("map", "countries"), f"every country needs a tile; missing: {shown}{more}"))
    return out


def _what(path: KeyPath) -> str:
    section, key = path[1], path[2]
    if section == "regions":
        return f"the label of region `{key}`"
    if section == "powers":
        return f"the tile of power `{key}`"
    return f"the tile of `{key}`"


def code_candidates(name: str) -> list[str]:
    """Codes for a name, best first: 'Japan' → JAP, 'South Korea' → SKO, 'Papua New Guinea'
    → PNG; then other letters of the name, so that a clash still finds a code."""
    head = name.split(" (", 1)[0].strip() or name
    words = [w for w in re.split(r"[^A-Za-z0-9]+", head) if w]
    if not words:
        return ["X"]
    up = [w.upper() for w in words]
    first: list[str] = []
    if len(up) >= 3:
        first.append("".join(w[0] for w in up[:3]))
    if len(up) == 2:
        first.append(up[0][0] + up[1][:2])
    first.append(up[0][:3])
    letters = "".join(up)
    first += [letters[0] + a + b for i, a in enumerate(letters[1:], 1) for b in letters[i + 1 :]]
    return list(dict.fromkeys(code[:CODE_MAX] for code in first if code))


def tile_codes(scenario: Scenario) -> dict[str, str]:
    """Country and power id → its tile's code: the map's where it gives one, else the first
    of `code_candidates` no other tile has (countries in scenario order, then powers)."""
    tm = scenario.map
    given: dict[str, str] = {}
    if tm is not None:
        for key, tile in [*tm.countries.items(), *tm.powers.items()]:
            if tile.code is not None:
                given[key] = tile.code
    used = set(given.values())
    out: dict[str, str] = {}
    named = [(c.id, c.name) for c in scenario.countries] + [(p.id, p.id) for p in scenario.powers]
    for key, name in named:
        if key in given:
            out[key] = given[key]
            continue
        for code in code_candidates(name):
            if code not in used:
                break
        else:
            n = 2
            while f"{code_candidates(name)[0][:2]}{n}" in used:
                n += 1
            code = f"{code_candidates(name)[0][:2]}{n}"
        used.add(code)
        out[key] = code
    return out
