"""The map of the contest, as every front end draws it: a tile per country on the scenario's
grid, each with its code, its status (a tag as well as a colour, so it reads without colour),
its alliance and strength, and whether it moved since a given board, and toward which power.

Free of Textual: the situation room, the replay screen, the report's SVG maps and the browser
seats all draw a `MapView`, so none words a status or a move differently from another.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wargame.facilitation.text import power_abbrev, short

if TYPE_CHECKING:
    from wargame.schema.scenario import Scenario
    from wargame.state import State
    from wargame.tables import Tables

ALIGNED_KIND = "aligned"
AMBIGUOUS_KIND = "ambiguous"
NON_ALIGNED_KIND = "non-aligned"

AMBIGUOUS_TAG = "≈"
"""The tag of an ambiguous tile (close to several powers)."""
NON_ALIGNED_TAG = "·"
"""The tag of a non-aligned tile."""
MOVED_MARK = "»"
"""Before the tag of the power a tile moved toward: `»CHI`."""
ALLIANCE_MARK = "⚑"


# ---------------------------------------------------------------------- where each tile goes


@dataclass(frozen=True, slots=True)
class Landmark:
    """A power's tile: a bearing for the reader (China amid its neighbours), no status."""

    col: int
    row: int
    code: str
    power: int
    name: str


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each country's tile sits on a `cols` × `rows` grid, its code, the landmarks and
    the region labels. From the scenario's map, or `automatic` by region without one."""

    cols: int
    rows: int
    places: tuple[tuple[int, int], ...]
    """(col, row) per country index."""
    codes: tuple[str, ...]
    """The code per country index."""
    landmarks: tuple[Landmark, ...]
    labels: tuple[tuple[int, int, str], ...]
    """(col, row, region name): the name starts at that cell and runs east over empty cells."""
    automatic: bool

    def occupied(self) -> set[tuple[int, int]]:
        """Cells holding a tile or a label: where a label's text must stop."""
        cells = set(self.places)
        cells.update((m.col, m.row) for m in self.landmarks)
        cells.update((c, r) for c, r, _ in self.labels)
        return cells

    def label_cells(self, col: int, row: int) -> int:
        """How many cells the label starting at (col, row) may use: up to the next occupied
        cell of its row or the grid's edge."""
        taken = self.occupied()
        n = 1
        while col + n < self.cols and (col + n, row) not in taken:
            n += 1
        return n


_LAYOUTS: dict[int, tuple[Scenario, Layout]] = {}


def layout_of(t: Tables) -> Layout:
    """The layout of a compiled scenario (computed once per scenario object)."""
    scen = t.scenario
    cached = _LAYOUTS.get(id(scen))
    if cached is not None and cached[0] is scen:
        return cached[1]
    out = scenario_layout(scen)
    if len(_LAYOUTS) > 16:
        _LAYOUTS.clear()
    _LAYOUTS[id(scen)] = (scen, out)
    return out


def scenario_layout(scen: Scenario) -> Layout:
    """The scenario's own map when it has one, else `automatic_layout`."""
    from wargame.schema.maps import tile_codes

    if scen.map is None:
        return automatic_layout(scen)
    tm = scen.map
    codes = tile_codes(scen)
    region_names = {r.id: r.name for r in scen.regions}
    power_ids = [p.id for p in scen.powers]
    return Layout(
        cols=tm.cols,
        rows=tm.rows,
        places=tuple((tm.countries[c.id].col, tm.countries[c.id].row) for c in scen.countries),
        codes=tuple(codes[c.id] for c in scen.countries),
        landmarks=tuple(
            Landmark(tile.col, tile.row, codes[pid], power_ids.index(pid), _power_word(scen, pid))
            for pid, tile in tm.powers.items()
        ),
        labels=tuple(
            (place.col, place.row, region_names[rid]) for rid, place in tm.regions.items()
        ),
        automatic=False,
    )


def automatic_layout(scen: Scenario) -> Layout:
    """A map for a scenario without one: each region a block (its label on the block's first
    row, its countries in scenario order in the rows below, as near square as may be), blocks
    left to right with an empty column between, wrapping to a new band past a width about
    twice the square root of the number of countries. Deterministic: the same scenario, the
    same map."""
    members: dict[str, list[int]] = {r.id: [] for r in scen.regions}
    for i, country in enumerate(scen.countries):
        members.setdefault(country.region, []).append(i)
    names = {r.id: r.name for r in scen.regions}
    limit = max(6, math.ceil(2 * math.sqrt(len(scen.countries))))
    places: list[tuple[int, int]] = [(0, 0)] * len(scen.countries)
    labels: list[tuple[int, int, str]] = []
    x = y = band = width = 0
    for rid, group in members.items():
        if not group:
            continue
        bw = math.ceil(math.sqrt(len(group)))
        bh = 1 + math.ceil(len(group) / bw)
        if x and x + bw > limit:
            x, y = 0, y + band
            band = 0
        labels.append((x, y, names.get(rid, rid)))
        for k, c in enumerate(group):
            places[c] = (x + k % bw, y + 1 + k // bw)
        band = max(band, bh)
        width = max(width, x + bw)
        x += bw + 1
    from wargame.schema.maps import tile_codes

    codes = tile_codes(scen)
    return Layout(
        cols=max(1, width),
        rows=max(1, y + band),
        places=tuple(places),
        codes=tuple(codes[c.id] for c in scen.countries),
        landmarks=(),
        labels=tuple(labels),
        automatic=True,
    )


def _power_word(scen: Scenario, pid: str) -> str:
    """A power as a student says it: the short name of the role that speaks for it ('China'),
    else the power's name."""
    for role in scen.roles:
        if role.power == pid:
            return role.short_name
    return next(p.name for p in scen.powers if p.id == pid)


def power_word(t: Tables, p: int) -> str:
    return _power_word(t.scenario, t.powers[p])


# ---------------------------------------------------------------------- what each tile shows


@dataclass(frozen=True, slots=True)
class Tile:
    """A country's tile as every front end shows it."""

    country: int
    col: int
    row: int
    code: str
    name: str
    kind: str
    """`aligned`, `ambiguous` or `non-aligned`."""
    power: int
    """The power it is aligned with, or -1."""
    tag: str
    """The status as a short tag: the power's abbreviation (`CHI`, `US`), `≈`, `·`."""
    status: str
    """The status in words: 'aligned with China', 'ambiguous', 'non-aligned'."""
    standing: tuple[int, ...]
    moved: bool
    """Its status changed since the board it is compared with."""
    toward: int
    """The power it moved toward (-1 when it did not move)."""
    was: str
    """Its status then, in words, when it moved."""
    shifted: bool
    """Its ties or alliance changed, its status did not."""
    alliances: tuple[tuple[int, int], ...] = ()
    """Its formal alliances as (power, strength), in power order (several where a scenario
    lets a country hold them)."""

    @property
    def alliance_text(self) -> str:
        """'⚑4' for an alliance of strength 4, '⚑4+2' for two alliances, else ''."""
        if not self.alliances:
            return ""
        return ALLIANCE_MARK + "+".join(str(v) for _, v in self.alliances)


@dataclass(frozen=True, slots=True)
class MapView:
    """The map of one board, compared with an earlier one."""

    layout: Layout
    tiles: tuple[Tile, ...]
    powers: tuple[str, ...]
    """Each power as a student says it ('China', 'United States')."""
    abbrevs: tuple[str, ...]
    """Each power's tag (`CHI`, `US`)."""
    since: str
    """What the moves are counted from: 'since the start of turn 3 (2021)'; '' for none."""

    def at(self, col: int, row: int) -> Tile | None:
        for tile in self.tiles:
            if tile.col == col and tile.row == row:
                return tile
        return None

    def first(self) -> tuple[int, int]:
        """Where a cursor starts: the tile nearest the top left."""
        tile = min(self.tiles, key=lambda t: (t.row, t.col))
        return tile.col, tile.row

    def neighbour(self, col: int, row: int, dx: int, dy: int) -> tuple[int, int]:
        """The tile an arrow key moves a cursor to from (col, row): the nearest tile in that
        direction, those in line with the cursor first; the same cell when there is none."""
        best: tuple[int, int, int] | None = None
        for t in self.tiles:
            ax, ay = t.col - col, t.row - row
            along = ax * dx + ay * dy
            if along <= 0:
                continue
            across = abs(ax * dy) + abs(ay * dx)
            score = along + 3 * across
            if best is None or (score, across) < (best[0], best[1]):
                best = (score, across, t.country)
        if best is None:
            return col, row
        t = self.tiles[best[2]]
        return t.col, t.row

    def describe(self, tile: Tile) -> str:
        """The tile in one line of words: what a screen reader reads, what the cursor shows."""
        parts = [f"{tile.name} ({tile.code}): {tile.status}"]
        if len(tile.alliances) > 1:
            parts.append(
                "alliances with "
                + " and ".join(f"{self.powers[p]} {ALLIANCE_MARK}{v}" for p, v in tile.alliances)
            )
        elif tile.alliances:
            parts.append(f"alliance with {self.powers[tile.alliances[0][0]]} {tile.alliance_text}")
        parts.append(
            "standing " + ", ".join(f"{self.abbrevs[p]} {v}" for p, v in enumerate(tile.standing))
        )
        if tile.moved:
            parts.append(f"moved toward {self.powers[tile.toward]}, was {tile.was}")
        elif tile.shifted:
            parts.append("ties or alliances changed")
        return " · ".join(parts)

    def moved_toward(self) -> list[tuple[int, list[Tile]]]:
        """Each power with the tiles that moved toward it (powers with none left out)."""
        out: list[tuple[int, list[Tile]]] = []
        for p in range(len(self.powers)):
            tiles = [t for t in self.tiles if t.moved and t.toward == p]
            if tiles:
                out.append((p, tiles))
        return out

    def moved_lines(self) -> list[str]:
        """'Moved toward China since the start of turn 3 (2021): Philippines, Thailand', one
        line per power; one line saying none moved when none did."""
        when = f" {self.since}" if self.since else ""
        groups = self.moved_toward()
        if not groups:
            return [f"No country changed status{when}."]
        return [
            f"Moved toward {self.powers[p]}{when}: " + ", ".join(t.name for t in tiles)
            for p, tiles in groups
        ]

    def legend(self) -> list[tuple[str, str, str, int]]:
        """(tag, words, kind, power) for each status a tile can have: aligned with each power,
        ambiguous, non-aligned."""
        out = [
            (self.abbrevs[p], f"aligned with {self.powers[p]}", ALIGNED_KIND, p)
            for p in range(len(self.powers))
        ]
        out.append((AMBIGUOUS_TAG, "ambiguous (close to both)", AMBIGUOUS_KIND, -1))
        out.append((NON_ALIGNED_TAG, "non-aligned", NON_ALIGNED_KIND, -1))
        return out


def map_view(st: State, before: State | None = None, since: str = "") -> MapView:
    """The map of `st`, each tile compared with `before` (none moved without it)."""
    from wargame.compiled import ALIGNED

    t = st.tables
    lay = layout_of(t)
    words = tuple(power_word(t, p) for p in range(len(t.powers)))
    abbrevs = tuple(power_abbrev(pid) for pid in t.powers)
    tiles = []
    for c, (col, row) in enumerate(lay.places):
        s = st.status(c)
        kind, tag, status = _status(s.code, s.power, words, abbrevs)
        moved = shifted = False
        toward = -1
        was = ""
        if before is not None:
            b = before.status(c)
            then = (b.code, b.power if b.code == ALIGNED else -1)
            if then != (s.code, s.power if s.code == ALIGNED else -1):
                moved = True
                toward = _toward(b.code, b.power, b.standing, s.code, s.power, s.standing)
                was = _status(b.code, b.power, words, abbrevs)[2]
            else:
                shifted = before.ties[c] != st.ties[c] or before.alliances(c) != st.alliances(c)
        tiles.append(
            Tile(
                country=c,
                col=col,
                row=row,
                code=lay.codes[c],
                name=short(t.country_names[c]),
                kind=kind,
                power=s.power if s.code == ALIGNED else -1,
                tag=tag,
                status=status,
                standing=tuple(s.standing),
                moved=moved,
                toward=toward,
                was=was,
                shifted=shifted,
                alliances=st.alliances(c),
            )
        )
    return MapView(lay, tuple(tiles), words, abbrevs, since)


def _status(
    code: int, power: int, words: tuple[str, ...], abbrevs: tuple[str, ...]
) -> tuple[str, str, str]:
    from wargame.compiled import ALIGNED, AMBIGUOUS

    if code == ALIGNED:
        return ALIGNED_KIND, abbrevs[power], f"aligned with {words[power]}"
    if code == AMBIGUOUS:
        return AMBIGUOUS_KIND, AMBIGUOUS_TAG, "ambiguous"
    return NON_ALIGNED_KIND, NON_ALIGNED_TAG, "non-aligned"


def _toward(
    code_a: int,
    power_a: int,
    standing_a: tuple[int, ...],
    code_b: int,
    power_b: int,
    standing_b: tuple[int, ...],
) -> int:
    """The power a status change brought the country toward: the one it is now aligned with;
    else, leaving an alignment, the other power that now stands highest (a country that turns
    ambiguous between two powers moved toward the other of them, not toward a distant third
    that gained a point), then the one that gained most on it; else (between ambiguous and
    non-aligned) the power whose standing gained most."""
    from wargame.compiled import ALIGNED

    if code_b == ALIGNED:
        return power_b
    powers = range(len(standing_b))
    gain = [standing_b[p] - standing_a[p] for p in powers]
    if code_a == ALIGNED:
        others = [p for p in powers if p != power_a]
        if others:
            return max(others, key=lambda p: (standing_b[p], gain[p] - gain[power_a], -p))
    return max(powers, key=lambda p: (gain[p], -p))
