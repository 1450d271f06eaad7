"""A scenario's tile map: one equal tile per country on a grid, placed roughly where the
country lies (as data journalism draws a map of many countries at once), and a label per
region. Presentation only: the rules never read it, so a save of a scenario without a map
replays the same, and every front end (terminal, report, browser seats) draws from one layout.

Checked at load with the scenario's ids (`maps.map_problems`, from `references`): a tile off
the grid, two tiles on one cell, a label on a tile, an unknown id or a country without a tile is
refused with its line.
"""

from __future__ import annotations

from pydantic import Field

from wargame.schema.base import Id, Model

CODE_MAX = 4
"""The longest tile code: what a compact tile shows at 80 columns."""


class MapPlace(Model):
    """A cell of the grid: columns count from the left (west), rows from the top (north), both
    from 0."""

    col: int = Field(ge=0)
    """The column, from 0 at the left edge (west)."""
    row: int = Field(ge=0)
    """The row, from 0 at the top edge (north)."""


class MapTile(MapPlace):
    """Where a country (or a power's landmark) sits, and the short code on its tile."""

    code: str | None = Field(default=None, pattern=r"^[A-Z0-9][A-Z0-9.\-]{0,3}$")
    """The tile's code, 1 to 4 capital letters or digits, e.g. `JPN`: what the smallest tile
    shows. Without it, one is made from the name ('South Korea' → `SKO`). Unique on the map."""


class TileMap(Model):
    """The scenario's tile map: a grid of `cols` × `rows` cells, a tile per country, and
    optionally a tile per power (a landmark such as China in the middle of Asia, drawn without a
    status) and a label per region. Every country needs a tile; a cell holds one tile or one
    label."""

    cols: int = Field(ge=1, le=40)
    """Columns of the grid (west to east)."""
    rows: int = Field(ge=1, le=30)
    """Rows of the grid (north to south)."""
    countries: dict[Id, MapTile] = Field(min_length=1)
    """Country id → its tile. Every country of the scenario, and only those."""
    powers: dict[Id, MapTile] = {}
    """Power id → a landmark tile, so readers find their bearings (China amid its
    neighbours, the United States across the Pacific). Optional."""
    regions: dict[Id, MapPlace] = {}
    """Region id → the cell where its name starts; the name runs east over empty cells.
    Optional: a region without a label is simply not named on the map."""
