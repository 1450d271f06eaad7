"""Turning an immutable State into Textual Content: the board, gauges, scores and cards.

Pure functions of (state, a few display facts). Colours are theme variables (`$power-0`,
`$gauge`…) so the high-contrast theme recolours everything without re-rendering logic, and no
meaning rests on colour alone (status words, signs and arrows carry it too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual.color import Color
from textual.content import Content
from textual.filter import LineFilter

from wargame.facilitation import room
from wargame.facilitation.text import (
    Names,
    effect_text,
    filter_text,
    power_abbrev,
    role_name,
    short,
)
from wargame.schema.limits import TRACK_SHORT_MAX

if TYPE_CHECKING:
    from wargame.facilitation.clock import PhaseClock
    from wargame.facilitation.controller import Game
    from wargame.facilitation.entries import Entry
    from wargame.schema.cards import Source
    from wargame.state import State

BARS = "▁▂▃▄▅▆▇█"
SPARK = "▁▂▃▄▅▆▇█"
Part = str | tuple[str, str] | Content


def plain(text: str) -> Content:
    """Text from a save, a deck or a person, shown as typed: never read as markup (`[bold]`
    stays `[bold]`), control characters as visible escapes (`\x1b[2J` shows as `\x1b[2J`)."""
    from wargame.schema.safe_text import literal

    return Content(literal(text))


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _glyph(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for escape
    return "\u2421" if code == 0x7F else "\ufffd"


class ControlFilter(LineFilter):
    """The last wall before the terminal: any control, bidi or line-break character left in a
    drawn line (text that did not go through `plain`) is drawn as a visible symbol, never sent
    to the terminal. The line keeps its width (those characters take no cell; a symbol does,
    so the line's end is trimmed by as many cells)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(_CONTROL.search(s.text) for s in segments if not s.control):
            return segments
        width = Segment.get_line_length(segments)
        shown = [
            s if s.control else Segment(_CONTROL.sub(_glyph, s.text), s.style) for s in segments
        ]
        return Segment.adjust_line_length(shown, width)


def power_style(p: int) -> str:
    return f"$power-{p % 6}"


SIDE_WIDTH = 31
"""The text width of the situation room's side panel at 80 columns (34 less its border, padding
and scroll bar)."""


def _fit(text: str, width: int) -> str:
    if len(text) <= width:
        return text.ljust(width)
    return text[: max(0, width - 1)] + "…"


def level_char(v: int, lo: int, hi: int) -> str:
    if v <= lo:
        return "·"
    span = max(1, hi - lo)
    return BARS[min(len(BARS) - 1, max(0, round((v - lo) / span * len(BARS)) - 1))]


# ---------------------------------------------------------------------- the board


def board(st: State, *, wide: bool = False, changed: frozenset[int] = frozenset()) -> Content:
    """Countries by region: ties to each power per channel as bars, then the status. The
    `changed` countries (a replay's step) are marked ▶ and underlined: a marker, not only a
    colour."""
    t = st.tables
    nch = t.n_channels
    name_w = 20 if wide else 13
    cell = nch * (2 if wide else 1) + 1
    chans = " ".join(t.channels) if wide else " ".join(ch[:3] for ch in t.channels)
    parts: list[Part] = [("ties per channel: " + chans, "$text-muted"), "\n", " " * (name_w + 2)]
    for p in range(len(t.powers)):
        parts.append((power_abbrev(t.powers[p]).ljust(cell), f"bold {power_style(p)}"))
    parts.append(("status", "$text-muted"))
    if wide:
        parts.append(("         standing", "$text-muted"))
    parts.append("\n")
    regions = t.scenario.regions
    for g, region in enumerate(regions):
        members = [c for c in range(len(t.countries)) if t.country_region[c] == g]
        if not members:
            continue
        parts.append((region.name, "bold $text-accent"))
        parts.append("\n")
        for c in members:
            name = t.country_names[c]
            if len(name) > name_w - 1:
                name = short(name)  # 'North Korea (DPRK)' → 'North Korea', not 'North Korea…'
            if c in changed:
                parts.append(("▶", "bold $warning"))
                parts.append((_fit(name, name_w - 1), "bold underline"))
                parts.append(" ")
            else:
                parts.append(" " + _fit(name, name_w - 1) + " ")
            row = st.ties[c]
            for p in range(len(t.powers)):
                style = power_style(p)
                for ch in range(nch):
                    v = row[p * nch + ch]
                    ch_s = level_char(v, t.tie_min, t.tie_max)
                    parts.append((ch_s, style if ch_s != "·" else "$text-muted"))
                    if wide:
                        parts.append((str(v), "$text-muted"))
                parts.append(" ")
            parts.append(status_cell(st, c, wide=wide))
            parts.append("\n")
    return Content.assemble(*parts).rstrip()


def board_width(st: State, *, wide: bool) -> int:
    """Columns a board row needs."""
    t = st.tables
    nch, npw = t.n_channels, len(t.powers)
    name_w = 20 if wide else 13
    cell = nch * (2 if wide else 1) + 1
    status = 11 + 3 + (2 + 3 * npw if wide else 0)
    return 1 + name_w + 1 + npw * cell + status


def status_cell(st: State, c: int, *, wide: bool = False) -> Content:
    from wargame.compiled import ALIGNED, AMBIGUOUS

    t = st.tables
    s = st.status(c)
    parts: list[Part] = []
    if s.code == ALIGNED:
        label = f"aligned {power_abbrev(t.powers[s.power])}"
        parts.append((label.ljust(11), f"bold {power_style(s.power)}"))
    elif s.code == AMBIGUOUS:
        parts.append(("ambiguous".ljust(11), "bold $warning"))
    else:
        parts.append(("non-aligned".ljust(11), "$text-muted"))
    held = st.alliances(c)
    if len(held) > 1 and not wide:
        # Several alliances in a narrow row: '⚑3+1', each strength in its power's colour
        # (the map's cursor line and a wide board name the powers).
        parts.append(" ⚑")
        for i, (p, strength) in enumerate(held):
            parts.append((f"{'+' if i else ''}{strength}", power_style(p)))
    else:
        for p, strength in held:
            # Several alliances: each named by its power, so that they read without colour.
            who = power_abbrev(t.powers[p]) if len(held) > 1 else ""
            parts.append((f" {who}⚑{strength}", power_style(p)))
    if not held and wide:
        parts.append("   ")
    if wide:
        parts.append("  ")
        for p, v in enumerate(s.standing):
            parts.append((f"{v:>3}", power_style(p)))
    return Content.assemble(*parts)


# ---------------------------------------------------------------------- institutions


def institutions(st: State, *, wide: bool = False) -> Content:
    """Each institution: its lean toward each power, its bridges, and its members."""
    t = st.tables
    parts: list[Part] = []
    n = len(t.countries)
    for i, inst in enumerate(t.scenario.institutions):
        parts.append((inst.name if wide else inst.short_name, "bold"))
        links = sorted((b if a == i else a) for a, b in st.bridges if i in (a, b))
        if links:
            parts.append(
                (
                    "  ⇄ " + ", ".join(t.scenario.institutions[x].short_name for x in links),
                    "$accent",
                )
            )
        parts.append(("\n  lean ", "$text-muted"))
        best = max(range(len(t.lean_sides)), key=lambda p: st.lean[i][p])
        for p, v in enumerate(st.lean[i]):
            style = f"bold {power_style(p)}" if p == best and v > 0 else power_style(p)
            parts.append((f"{power_abbrev(t.lean_sides[p])} {v} ", style))
        members = sorted(st.members[i])
        names = [t.country_names[e] if e < n else power_abbrev(t.powers[e - n]) for e in members]
        parts.append((f"· {len(members)} members: ", "$text-muted"))
        parts.append(
            ", ".join(names)
            if wide or len(names) <= 4
            else ", ".join(names[:4]) + f", +{len(names) - 4}"
        )
        parts.append("\n")
    return Content.assemble(*parts).rstrip()


# ---------------------------------------------------------------------- tracks


def gauge(v: int, lo: int, hi: int, width: int) -> str:
    span = max(1, hi - lo)
    filled = round((v - lo) / span * width)
    return "█" * filled + "░" * (width - filled)


def sparkline(values: Sequence[int], lo: int, hi: int) -> str:
    span = max(1, hi - lo)
    return "".join(SPARK[min(7, max(0, round((v - lo) / span * 7)))] for v in values)


def tracks(
    st: State,
    history: Sequence[tuple[int, ...]],
    *,
    wide: bool = False,
    changed: frozenset[int] = frozenset(),
) -> Content:
    """Each global track as a gauge, its value, the change this turn and its history; the
    `changed` tracks (a replay's step) end with ◀."""
    t = st.tables
    parts: list[Part] = []
    name_w = 26 if wide else TRACK_SHORT_MAX  # a track's `short` always fits at 80 columns
    bar_w = 16 if wide else 6
    # The change since the start of the previous turn: a whole turn's movement is always shown.
    start = history[-3] if len(history) >= 3 else history[0] if history else st.tracks
    for i, tr in enumerate(t.scenario.tracks):
        v = st.tracks[i]
        name = tr.name if wide and len(tr.name) <= name_w else tr.short_name
        parts.append(_fit(name, name_w) + " ")
        bar = gauge(v, tr.min, tr.max, bar_w)
        filled = bar.count("█")
        parts.append((bar[:filled], "$gauge"))
        parts.append((bar[filled:], "$text-muted"))
        parts.append((f" {v:>2}", "bold"))
        d = v - start[i]
        # Up or down is good news for one team and bad for another: no colour verdict.
        if d > 0:
            parts.append((f" ▲{d}", "bold $text-accent"))
        elif d < 0:
            parts.append((f" ▼{-d}", "bold $text-accent"))
        else:
            parts.append((" =", "$text-muted"))
        if wide:
            parts.append((f"  /{tr.max}  ", "$text-muted"))
            parts.append((sparkline([h[i] for h in history], tr.min, tr.max), "$gauge"))
        if i in changed:
            parts.append((" ◀", "bold $warning"))
        parts.append("\n")
    return Content.assemble(*parts).rstrip()


# ---------------------------------------------------------------------- scores


def scores(st: State, rows: Sequence[tuple[int, str, str, str]], *, wide: bool = False) -> Content:
    """Each seated role: who plays it, VP (and last turn's), influence, cards in hand, what it
    is doing. `rows` is (role, seat, short seat, activity): `facilitation.room.TeamRow`."""
    t = st.tables
    parts: list[Part] = []
    for r, seat, brief, activity in rows:
        role = t.roles[r]
        style = power_style(role.power) if role.power >= 0 else "$foreground"
        parts.append((f"{r + 1} ", "$text-muted"))
        name = role_name(t, r)
        parts.append((name, f"bold {style}"))
        # Who plays it (the team's own name, or the bot), cut to the narrow panel's width.
        room = 80 if wide else SIDE_WIDTH - len(f"{r + 1} {name} ")
        options = [seat, brief, *(["bot"] if brief.startswith("bot") else [])]
        label = next((x for x in options if len(x) <= room), options[-1])
        if room >= 3:
            parts.append((" " + _fit(label, room).rstrip(), "$text-muted"))
        parts.append("\n  ")
        total = sum(st.vp[r])
        last = st.vp[r][-1] if st.vp[r] else 0
        parts.append((f"{total} VP", "bold"))
        parts.append((f" ({last:+d})", "$text-muted"))
        parts.append(f"  ◆{st.influence[r]}")
        if wide:
            n = len(st.hand[r])
            parts.append((f"  {n} card{'s' * (n != 1)}", "$text-muted"))
        if activity:
            parts.append(("  " + activity, "$success" if "✓" in activity else "$warning"))
        parts.append("\n")
    return Content.assemble(*parts).rstrip()


# ---------------------------------------------------------------------- cards


def card_detail(
    st: State,
    card: int,
    role: int,
    names: Names,
    *,
    chance: tuple[int, list[tuple[str, int]]] | None,
    playable: str,
) -> Content:
    """The full card: cost, target, chance now with its parts, text, effects and source."""
    t = st.tables
    c = t.cards[card]
    spec = names.cards.get(c.id)
    parts: list[Part] = [(c.title, "bold $text-accent"), "\n"]
    parts.append((f"cost {c.cost} ◆", "bold"))
    parts.append((f"  (you have {st.influence[role]})" if role >= 0 else "", "$text-muted"))
    if c.once:
        parts.append(("  · once per game", "$text-muted"))
    parts.append("\n")
    if c.target_kind is not None:
        desc = filter_text(spec.target.filter, names) if spec is not None and spec.target else ""
        n = c.target_count
        kind = (
            c.target_kind
            if n == 1
            else {"country": "countries", "power": "powers"}.get(c.target_kind, "institutions")
        )
        parts.append(("Target: ", "bold"))
        parts.append(f"{n} {kind}" + (f" — {desc}" if desc else "") + "\n")
    if chance is None:
        parts.append(("Chance: ", "bold"))
        parts.append("no roll — it always takes effect\n")
    else:
        pct, bits = chance
        parts.append(("Chance now: ", "bold"))
        parts.append((f"{pct}%", "bold $warning"))
        parts.append(
            (
                "  ("
                + ", ".join(
                    f"{lbl} {v:+d}" if i else f"{lbl} {v}" for i, (lbl, v) in enumerate(bits)
                )
                + ")",
                "$text-muted",
            )
        )
        parts.append("\n")
    parts.append((playable, "$success" if playable.startswith("✓") else "$error"))
    parts.append("\n\n")
    if spec is not None:
        parts.append(spec.text.strip() + "\n\n")
        for label, effects in (
            ("When played", spec.on_play),
            ("On success", spec.on_success),
            ("On failure", spec.on_failure),
        ):
            if effects:
                parts.append((label + ": ", "bold"))
                parts.append("; ".join(effect_text(e, names) for e in effects) + "\n")
        parts.append("\n")
        parts += source_parts(spec.source)
        if spec.basis is not None and spec.basis.kind != "source":
            parts.append(("Not in the source: ", "bold $warning"))
            parts.append(spec.basis.describe() + "\n")
    return Content.assemble(*parts).rstrip()


def source_parts(source: Source) -> list[Part]:
    """A quoted passage in quotation marks (with its note), a cited document as a citation:
    its title in italics, never in quotation marks, since it is not the document's words."""
    parts: list[Part] = []
    if source.quote is not None:
        parts.append(("Source: ", "bold"))
        parts.append((f"“{source.quote.strip()}”", "italic"))
        if source.note is not None:
            parts.append((f"  (note {source.note})", "$text-muted"))
        parts.append("\n")
    cited = source.citation
    if cited is not None:
        parts.append(("Source: " if source.quote is None else "Cited: ", "bold"))
        if cited.author.strip():
            parts.append(cited.author.strip() + ", ")
        parts.append((cited.title.strip(), "italic"))
        rest = [x.strip() for x in (str(cited.date), cited.page_text, cited.url) if x.strip()]
        parts.append("".join(", " + x for x in rest) + "\n")
    return parts


def objective_basis(basis: str) -> tuple[str, str]:
    """The line under an objective that is not the source's own aim."""
    return (f"             ({basis})\n", "$text-muted")


# ---------------------------------------------------------------------- status


EMPHASIS = {
    "": "",
    "strong": "bold",
    "accent": "bold $text-accent",
    "alert": "bold $warning",
    "error": "bold $error",
    "ok": "$success",
}
"""How the terminal shows each emphasis the facilitation layer names (`room.Span`)."""


def styled(span: room.Span) -> str | tuple[str, str]:
    text, emphasis = span
    return (text, EMPHASIS[emphasis]) if emphasis else text


def clock_badge(clock: PhaseClock) -> Content:
    """The phase clock as every screen shows it (empty when no timer is set): the time left,
    "(paused)", and at zero "TIME IS UP" in reverse on the error colour, which stands out in
    both themes and does not rest on colour alone."""
    text, emphasis = clock.text()
    if not text:
        return Content("")
    if emphasis == "error":
        return Content.styled(f" {text.upper()} ", "bold $background on $error")
    return Content.assemble(styled((text, emphasis)))


def status_tail(game: Game) -> Content:
    """The phase clock and whether the game is being saved."""
    parts: list[Part] = []
    badge = clock_badge(game.clock)
    if badge:
        parts.extend([badge, "  "])
    parts.append(styled(room.save_status(game)))
    return Content.assemble(*parts)


def status_parts(game: Game) -> tuple[Content, Content]:
    """The status line in two parts: turn, year, phase, clock and save; then who is next
    (which a narrow screen puts on a line of its own)."""
    s = room.status(game)
    head = Content.assemble(styled(s.turn), s.year, styled(s.phase), "  ", status_tail(game))
    return head, Content(s.next)


# ---------------------------------------------------------------------- the replay


KIND_MARK = {
    "order": "•",
    "commit": "✓",
    "take-back": "↺",
    "roll": "◇",
    "accept": "=",
    "override": "!",
    "undo": "↺",
    "inject": "✦",
    "note": "✎",
    "reseat": "⇄",
    "event": "✦",
    "shuffle": "~",
}
"""A mark per kind of record, so that the timeline reads without colour."""

_KIND_STYLE = {
    "override": "bold $warning",
    "undo": "$warning",
    "inject": "bold $warning",
    "note": "$warning",
    "reseat": "$warning",
    "event": "bold",
}


def entry_row(e: Entry, *, current: bool, bot: bool = False) -> Content:
    """One record as a line of the timeline: its number, a mark for its kind, its words and
    (muted) a person's reason (a `bot`'s restates its order: it is left to the detail). The
    record at the cursor starts with ▶ (a marker, not only a colour)."""
    parts: list[Part] = [
        ("▶" if current else " ", "bold $warning"),
        (f"{e.record:>4} ", "$text-muted"),
        (KIND_MARK.get(e.kind, "·") + " ", "bold"),
        (e.text, _KIND_STYLE.get(e.kind, "")),
    ]
    if e.undone:
        parts.append((" (taken back later)", "$text-muted"))
    people = e.kind in ("override", "undo", "inject", "reseat") or (
        e.kind in ("order", "commit") and not bot
    )
    if e.reason and people:
        parts.append((f" — {e.reason}", "$text-muted"))
    line = Content.assemble(*parts)
    return line.stylize("reverse") if current else line


def entry_detail(
    e: Entry,
    changes: Sequence[str],
    *,
    records: int,
    details: bool,
    bookmarks: Sequence[tuple[str, str]] = (),
) -> Content:
    """Everything about one record: when and who, its words, why, the numbers behind a bot's
    reason (with `details`), what it did, what it changed on the board, and the bookmarks
    made there."""
    parts: list[Part] = [
        (f"Record {e.record} of {records}", "bold"),
        (f" · {e.title} · {e.actor}", "$text-muted"),
        "\n",
        (e.text, "bold"),
    ]
    if e.hidden:
        parts.append(("\nHidden from this team until the orders are revealed.", "$text-muted"))
    if e.undone:
        parts.append(("\nTaken back later: it stays in the record.", "$text-muted"))
    label = {"note": "", "order": "Why: ", "commit": "Why: "}.get(e.kind, "Reason: ")
    if e.reason and label:
        parts += ["\n", (label, "bold"), e.reason]
    if e.chance is not None and e.kind in ("accept", "override"):
        parts.append((f"\nThe roll had {e.chance}% to succeed.", "$text-muted"))
    if e.details:
        if details:
            parts += ["\n", ("The numbers behind it: ", "bold"), (e.details, "$text-muted")]
        else:
            parts.append(("\nF3: the numbers behind the bot's reason", "$text-muted"))
    if e.lines:
        parts += ["\n", ("What it did", "bold")]
        parts.extend(f"\n  {line.strip()}" for line in e.lines)
    if e.opens:
        parts += ["\n", ("Then the next turn opens", "bold")]
        parts.extend(f"\n  {line.strip()}" for line in e.opens)
    if changes:
        parts += ["\n", ("Changed on the board", "bold")]
        parts.extend(f"\n  ▶ {text}" for text in changes)
    for label_, note in bookmarks:
        parts += ["\n", (f"★ {label_}", "bold $accent")]
        if note:
            parts.append(f" — {note}")
    return Content.assemble(*parts)
