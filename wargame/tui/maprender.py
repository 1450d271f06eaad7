"""The map of the contest drawn in the terminal, from the facilitation layer's `MapView`.

A tile per country on the scenario's grid, as large as the space allows (from 5×2 cells at 80
columns to 11×3 on a projector): its code, its status as a tag (`CHI`, `US`, `≈`, `·`) on the
status's colour, its alliance (`⚑4`), and `»` when it moved since the map's baseline. Nothing
rests on colour alone: the tag says the status and the mark says the move; the legend and the
line of moves say it in words. Colours are theme variables, so F2's high contrast recolours it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from wargame.facilitation.tilemap import (
    ALIGNED_KIND,
    AMBIGUOUS_KIND,
    MOVED_MARK,
    Layout,
    MapView,
    Tile,
)


@dataclass(frozen=True, slots=True)
class TileSize:
    width: int
    """Cells of a tile's text (a gap column follows each tile)."""
    height: int
    """Lines of a tile."""
    gap: int
    """Blank lines between rows of tiles."""

    def map_width(self, cols: int) -> int:
        return 1 + cols * (self.width + 1)

    def map_height(self, rows: int) -> int:
        return rows * (self.height + self.gap) - self.gap


SIZES = (
    TileSize(11, 3, 1),
    TileSize(9, 3, 1),
    TileSize(7, 2, 1),
    TileSize(5, 2, 1),
    TileSize(5, 2, 0),
)
"""Largest first; the smallest is what 80x24 shows."""

FOOTER_LINES = 4
"""Lines under the grid: the legend, the moves (one or two) and the tile at the cursor."""


def tile_size(view: MapView, width: int, height: int) -> TileSize:
    """The largest tile size whose map and footer fit `width` × `height`; the smallest when
    none does (the pane scrolls)."""
    lay = view.layout
    for size in SIZES:
        if size.map_width(lay.cols) <= width and (
            size.map_height(lay.rows) + FOOTER_LINES <= height
        ):
            return size
    return SIZES[-1]


def fits(lay: Layout, width: int, height: int) -> bool:
    """Does the map show whole, with its legend, in `width` × `height`?"""
    size = SIZES[-1]
    return size.map_width(lay.cols) <= width and (
        size.map_height(lay.rows) + FOOTER_LINES <= height
    )


def tile_style(tile: Tile) -> str:
    if tile.kind == ALIGNED_KIND:
        return f"bold #000000 on $power-{tile.power % 6}"
    if tile.kind == AMBIGUOUS_KIND:
        return "bold #000000 on $foreground"
    return "$foreground on $panel-lighten-1"


def moved_style(tile: Tile) -> str:
    """A moved tile's first line: the tile's colour on the background, as a band across the
    top of the tile that shows from the back of a room (and `»` says it without colour)."""
    if tile.kind == ALIGNED_KIND:
        return f"bold $power-{tile.power % 6} on $background"
    if tile.kind == AMBIGUOUS_KIND:
        return "bold $foreground on $background"
    return "bold $accent on $background"


def _tile_lines(tile: Tile, view: MapView, size: TileSize) -> list[str]:
    w = size.width
    head = tile.code
    if tile.moved:
        toward = view.abbrevs[tile.toward]
        mark = f" {MOVED_MARK}{toward}" if len(head) + 2 + len(toward) <= w else MOVED_MARK
        head = head.ljust(w - len(mark)) + mark
    second = tile.tag
    flags = tile.alliance_text
    if len(second) + len(flags) > w and len(tile.alliances) > 1:
        flags = "⚑" * len(tile.alliances)  # one flag an alliance; the cursor line says whose
    if flags:
        sep = " " if len(second) + 1 + len(flags) <= w else ""
        second = f"{second}{sep}{flags}"
    lines = [head, second]
    if size.height >= 3:
        lines.append(_cut(tile.name, w))
    return [line[:w].ljust(w) for line in lines]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def draw_map(view: MapView, cursor: tuple[int, int] | None, size: TileSize) -> Content:
    """The grid of tiles, with brackets around the tile at `cursor`."""
    lay = view.layout
    width = size.map_width(lay.cols)
    height = size.map_height(lay.rows)
    pitch_x, pitch_y = size.width + 1, size.height + size.gap
    cells: list[list[tuple[str, str]]] = [[(" ", "")] * width for _ in range(height)]

    def put(x: int, y: int, text: str, style: str) -> None:
        row = cells[y]
        for i, ch in enumerate(text):
            if 0 <= x + i < width:
                row[x + i] = (ch, style)

    for col, row, name in lay.labels:
        room = lay.label_cells(col, row) * pitch_x - 1
        text = name if len(name) <= room else name[: max(0, room - 1)] + "…"
        put(1 + col * pitch_x, row * pitch_y, text, "italic $text-muted")
    for mark in lay.landmarks:
        x, y = 1 + mark.col * pitch_x, mark.row * pitch_y
        put(x, y, f"★{mark.code}"[: size.width], f"bold $power-{mark.power % 6}")
        if size.height >= 3:
            put(x, y + 1, _cut(mark.name, size.width), f"$power-{mark.power % 6}")
    for tile in view.tiles:
        x, y = 1 + tile.col * pitch_x, tile.row * pitch_y
        style = tile_style(tile)
        for k, line in enumerate(_tile_lines(tile, view, size)):
            put(x, y + k, line, moved_style(tile) if k == 0 and tile.moved else style)
    if cursor is not None:
        col, row = cursor
        x, y = col * pitch_x, row * pitch_y
        for k in range(size.height):
            put(x, y + k, "▐", "bold $accent")
            put(x + pitch_x, y + k, "▌", "bold $accent")
    lines: list[Content] = []
    blank = (" ", "")
    for row_cells in cells:
        # Trailing blank cells go (a line as long as its last tile), a tile's own spaces stay.
        end = len(row_cells)
        while end and row_cells[end - 1] == blank:
            end -= 1
        parts: list[tuple[str, str]] = []
        for ch, style in row_cells[:end]:
            if parts and parts[-1][1] == style:
                parts[-1] = (parts[-1][0] + ch, style)
            else:
                parts.append((ch, style))
        lines.append(Content.assemble(*parts))
    return Content("\n").join(lines)


def legend(view: MapView, width: int) -> Content:
    """Each status as a small tile with its tag and in words, then the alliance mark; wrapped
    to `width`. (The move mark `»` opens each line of moves under it, which says it in
    words.)"""
    items: list[Content] = []
    for tag, words, kind, power in view.legend():
        style = tile_style(Tile(-1, 0, 0, "", "", kind, power, tag, "", (), False, -1, "", False))
        short = words.replace("aligned with ", "") if kind == ALIGNED_KIND else words
        short = short.replace(" (close to both)", "")
        items.append(Content.assemble((f" {tag} ", style), f" {short}"))
    items.append(Content.assemble(("⚑", "bold"), " alliance"))
    return _wrap(items, width)


def moves(view: MapView) -> Content:
    """The countries that moved, toward each power, in words."""
    return Content("\n").join(
        Content.assemble((f"{MOVED_MARK} ", "bold $accent"), line) for line in view.moved_lines()
    )


def cursor_line(view: MapView, cursor: tuple[int, int] | None) -> Content:
    """The tile at the cursor in words, its standing toward each power with it."""
    tile = view.at(*cursor) if cursor is not None else None
    if tile is None:
        return Content.assemble(
            ("▸ ", "bold $accent"), ("arrow keys: a country's standing", "$text-muted")
        )
    return Content.assemble(("▸ ", "bold $accent"), view.describe(tile))


def _wrap(items: list[Content], width: int) -> Content:
    lines: list[list[Content]] = [[]]
    used = 0
    for item in items:
        need = item.cell_length + (2 if lines[-1] else 0)
        if lines[-1] and used + need > width:
            lines.append([])
            used, need = 0, item.cell_length
        lines[-1].append(item)
        used += need
    return Content("\n").join(Content("  ").join(line) for line in lines)


def map_content(
    view: MapView,
    cursor: tuple[int, int] | None,
    width: int,
    height: int,
    *,
    with_cursor: bool = True,
) -> Content:
    """The whole map panel: the grid, the legend, the moves and (`with_cursor`) the tile at the
    cursor. Without a cursor (the replay, whose arrow keys step through the save; a seat) the
    last line is left out."""
    size = tile_size(view, width, height)
    grid = draw_map(view, cursor, size)
    footer = [legend(view, width), moves(view)]
    if with_cursor:
        pointer = cursor_line(view, cursor)
        fixed = len(grid.wrap(width)) + len(pointer.wrap(width))
        sizes = [len(p.wrap(width)) for p in footer]
        # Where the map fills the pane (the replay at 80x24) the line naming the country at
        # the cursor must still show: the moves (marked on the tiles too) give way, then the
        # legend.
        while footer and fixed + sum(sizes) > height:
            footer.pop()
            sizes.pop()
        footer.append(pointer)
    return Content("\n").join([grid, *footer])
