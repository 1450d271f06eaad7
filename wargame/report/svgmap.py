"""The map of the contest as inline SVG for the HTML report, drawn by hand (no library): one
small map per turn (small multiples) and the final map, from the facilitation layer's
`MapView`, so a tile says in the report what it says on the screen.

Each tile is a group with `role="img"` and an `aria-label` (and a `<title>` for a pointer)
giving the country and its status in words, and its code and status tag as visible text: a
screen reader, a greyscale print and a colour-blind reader all get the status without the
colour. Ambiguous tiles are hatched, moved tiles framed thick and marked `»`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from wargame.facilitation.tilemap import ALIGNED_KIND, AMBIGUOUS_KIND, MOVED_MARK

if TYPE_CHECKING:
    from wargame.facilitation.tilemap import MapView, Tile

POWER_FILLS = ("#e4574c", "#4d8fd6", "#e8b92f", "#5aae61", "#a974c9", "#3fb5b5")
"""Each power's colour on paper (the terminal's `$power-N` hues, darkened for white)."""
AMBIGUOUS_FILL = "url(#hatch)"
NON_ALIGNED_FILL = "#f4f4f4"


def e(text: object) -> str:
    return escape(str(text), quote=True)


def _fill(tile: Tile) -> str:
    if tile.kind == ALIGNED_KIND:
        return POWER_FILLS[tile.power % len(POWER_FILLS)]
    if tile.kind == AMBIGUOUS_KIND:
        return AMBIGUOUS_FILL
    return NON_ALIGNED_FILL


def _text_colour(tile: Tile) -> str:
    return "#ffffff" if tile.kind == ALIGNED_KIND else "#1b1b1b"


def _defs(uid: str) -> str:
    """The hatch pattern of ambiguous tiles (close to several powers): grey stripes that
    survive a black-and-white print."""
    return (
        f'<defs><pattern id="hatch-{uid}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<rect width="3" height="6" fill="#c9c9c9"/></pattern></defs>'
    )


def svg_map(view: MapView, uid: str, *, small: bool, title: str) -> str:
    """One map as an `<svg>` element. `small`: a thumbnail of a turn (code and tag only);
    else the full map with each tile's alliance, the region labels and the landmarks. `uid`
    keeps each map's pattern id apart within one page."""
    lay = view.layout
    tw, th, gap = (30, 22, 2) if small else (64, 42, 4)
    code_size, tag_size = (8, 7) if small else (13, 11)
    label_h = 0 if small else 14
    width = lay.cols * (tw + gap) + gap
    height = lay.rows * (th + gap + label_h) + gap
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="group" aria-label="{e(title)}" '
        f'font-family="system-ui, sans-serif">',
        _defs(uid),
    ]

    def origin(col: int, row: int) -> tuple[int, int]:
        return gap + col * (tw + gap), gap + row * (th + gap + label_h)

    if not small:
        for col, row, name in lay.labels:
            x, y = origin(col, row)
            out.append(
                f'<text x="{x}" y="{y + th // 2 + 4}" font-size="12" font-style="italic" '
                f'fill="#666">{e(name)}</text>'
            )
    for mark in lay.landmarks:
        x, y = origin(mark.col, mark.row)
        colour = POWER_FILLS[mark.power % len(POWER_FILLS)]
        out.append(
            f'<g role="img" aria-label="{e(mark.name)} (a power, no status)">'
            f"<title>{e(mark.name)}</title>"
            f'<rect x="{x + 1}" y="{y + 1}" width="{tw - 2}" height="{th - 2}" fill="none" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="4 2"/>'
            f'<text x="{x + tw / 2}" y="{y + th / 2 + code_size / 3}" font-size="{code_size}" '
            f'font-weight="bold" text-anchor="middle" fill="{colour}">★{e(mark.code)}</text></g>'
        )
    for tile in view.tiles:
        x, y = origin(tile.col, tile.row)
        words = view.describe(tile)
        fill = _fill(tile).replace("#hatch", f"#hatch-{uid}")
        ink = _text_colour(tile)
        stroke = ' stroke="#000000" stroke-width="3"' if tile.moved else ' stroke="#9a9a9a"'
        # A thumbnail has no room for » beside the code: its thick frame marks the move.
        head = tile.code + (f" {MOVED_MARK}" if tile.moved and not small else "")
        tag = tile.tag + (f" {tile.alliance_text}" if tile.alliance_text and not small else "")
        out.append(
            f'<g role="img" aria-label="{e(words)}"><title>{e(words)}</title>'
            f'<rect x="{x}" y="{y}" width="{tw}" height="{th}" rx="2" fill="{fill}"{stroke}/>'
            f'<text x="{x + 3}" y="{y + code_size + 2}" font-size="{code_size}" '
            f'font-weight="bold" fill="{ink}">{e(head)}</text>'
            f'<text x="{x + 3}" y="{y + th - 4}" font-size="{tag_size}" fill="{ink}">'
            f"{e(tag)}</text>"
        )
        if not small:
            out.append(
                f'<text x="{x + 1}" y="{y + th + label_h - 3}" font-size="10" fill="#444">'
                f"{e(_cut(tile.name, 12))}</text>"
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def legend_html(view: MapView) -> str:
    """The legend under the final map: each status's swatch, tag and words, and the marks."""
    items = []
    for tag, words, kind, power in view.legend():
        if kind == ALIGNED_KIND:
            style = f"background:{POWER_FILLS[power % len(POWER_FILLS)]};color:#fff"
        elif kind == AMBIGUOUS_KIND:
            style = (
                "background:repeating-linear-gradient(45deg,#fff 0 3px,#c9c9c9 3px 6px);"
                "color:#1b1b1b"
            )
        else:
            style = f"background:{NON_ALIGNED_FILL};color:#1b1b1b"
        items.append(f'<span class="swatch" style="{style}">{e(tag)}</span> {e(words)}')
    items.append("⚑ alliance and its strength")
    items.append(f'<span class="swatch moved">{MOVED_MARK}</span> changed status (thick frame)')
    items.append("★ a power (a landmark, no status)")
    return '<p class="legend">' + " · ".join(items) + "</p>"
