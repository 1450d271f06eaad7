"""The debrief report in Markdown (charts as tables of values: Markdown has no pictures of its
own)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wargame.facilitation.debrief import Entry
    from wargame.report.document import Report

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def esc(text: object) -> str:
    """Text that Markdown prints as written (no emphasis, links, tables or headings)."""
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def _table(head: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(esc(h) for h in head) + " |", "|" + "---|" * len(head)]
    out.extend("| " + " | ".join(esc(c) for c in row) + " |" for row in rows)
    return out


def entry_line(e: Entry) -> str:
    """One record in the per-turn timeline."""
    line = f"- `{e.record}` {esc(e.text)}"
    if e.undone:
        line += " *(later taken back)*"
    if e.reason and e.kind != "note":
        label = "why" if e.kind in ("order", "commit") else "reason"
        line += f" — *{label}:* {esc(e.reason)}"
    return line


def to_markdown(doc: Report) -> str:
    from wargame.report.document import rolls_text

    s = doc.per_turn
    out = [f"# Debrief: {esc(doc.title)}", ""]
    meta = [
        f"Save `{doc.save}`",
        f"seed {doc.seed}",
        f"started {esc(doc.started)}",
        f"{doc.records} records",
        esc(doc.where),
    ]
    out.append(" · ".join(meta))
    if doc.parent:
        out += ["", f"This game is {esc(doc.parent)}."]
    if doc.banner:
        out += ["", f"> **{esc(doc.banner)}**"]
    out += ["", "## Setup and seats", ""]
    out += _table(["Team", "Played by"], [[team, seat] for team, seat in doc.seats])
    out += [
        "",
        f"{esc(rolls_text(doc.facilitated, doc.solo))}; engine {esc(doc.engine)}.",
    ]
    out += ["", "## Final ranking", ""]
    out += _table(
        ["Place", "Team", "VP", "Objectives met"],
        [[t.place, t.name, t.vp, f"{t.met} of {t.applicable}"] for t in doc.teams],
    )
    for t in doc.teams:
        out += ["", f"### {esc(t.name)}: objectives", ""]
        for o in t.objectives:
            if not o.applies:
                out.append(f"- (did not apply: it depends on who was seated) {esc(o.text)}")
            elif o.score > 0:
                out.append(f"- ✓ met: {esc(o.text)} ({o.score:+d} VP)")
            else:
                out.append(f"- ✗ missed: {esc(o.text)}")
    out += ["", "## Over time", "", "Victory points (total at the end of each turn):", ""]
    years = doc.labels
    out += _table(["Team", *years], [[s.names["vp"][r], *v] for r, v in s.vp.items()])
    out += ["", "Global tracks:", ""]
    out += _table(["Track", *years], [[s.names["tracks"][k], *v] for k, v in s.tracks.items()])
    out += ["", "Each power's camp (countries aligned with it, or ambiguous):", ""]
    out += _table(["Power", *years], [[s.names["camps"][p], *v] for p, v in s.camps.items()])
    out += ["", "## Turning points", ""]
    if doc.turning:
        out += [f"- `{p.record}` {esc(p.line)}" for p in doc.turning]
        out += ["", "(`wargame replay SAVE --to N` shows the board after record N.)"]
    else:
        out.append("None: no record moved the game much.")
    if doc.story:
        out += ["", "## The story of the game", ""]
        out += [f"- {esc(line)}" for line in doc.story]
    out += ["", "## Turn by turn"]
    for turn in doc.turns:
        out += ["", f"### Turn {turn.turn} ({turn.year})", ""]
        if turn.vp:
            out.append(
                "VP this turn: "
                + ", ".join(f"{esc(n)} {g:+d} ({tot})" for n, g, tot in turn.vp)
                + "."
            )
        if turn.changes:
            out += ["", "What changed: " + "; ".join(esc(c) for c in turn.changes[:8]) + "."]
        out.append("")
        out += [f"- {esc(x)}" for x in turn.events]
        out += [entry_line(e) for e in turn.entries]
    out += ["", "## The teams"]
    for t in doc.teams:
        out += ["", f"### {esc(t.name)} ({esc(t.seat)})", "", esc(t.summary)]
        if t.cards:
            out += ["", "Cards played: " + ", ".join(f"{esc(c)} ×{n}" for c, n in t.cards) + "."]
        if t.notes:
            out += ["", "Its notes:", ""] + [f"- {esc(n)}" for n in t.notes]
    out += ["", "## Concepts each side used", "", "The tags of the cards each team ordered:", ""]
    out += _table(
        ["Team", "Concepts (times used)"],
        [[t.name, ", ".join(f"{c} ×{n}" for c, n in t.concepts) or "—"] for t in doc.teams],
    )
    out += ["", "## Source passages of the cards played"]
    for c in doc.cards:
        by = ", ".join(c.played_by)
        out += ["", f"### {esc(c.title)}", "", f"Played by {esc(by)}, {c.times}×.", ""]
        note = f" (note {c.note})" if c.note else ""
        if c.quote:
            out += [f"> {esc(c.quote)}{note}", ""]
        if c.citation:
            out += [f"Source: {esc(c.citation)}", ""]
        out += [esc(c.text)]
    return "\n".join(out).rstrip() + "\n"
