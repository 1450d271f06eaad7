"""The debrief report as one self-contained HTML file: inline style, charts inline as SVG, no
script and nothing fetched, so it opens offline and prints well. Every text from the save
(notes, reasons, names) is escaped."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wargame.facilitation.debrief import Entry
    from wargame.report.document import Report

STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #ccc; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
.meta, .muted { color: #555; }
.banner { border: 2px solid #b00020; background: #fff0f0; padding: .5rem .8rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; }
.met { color: #1a7f37; } .missed { color: #b00020; }
ul.timeline { list-style: none; padding-left: 0; }
ul.timeline li { margin: .15rem 0; padding-left: 3rem; text-indent: -3rem; }
.rec { font: 12px ui-monospace, monospace; color: #666; display: inline-block; min-width: 3rem; }
.kind-override, .kind-inject, .kind-undo { font-weight: 600; }
.kind-note { font-style: italic; }
.why { color: #444; }
blockquote { border-left: 4px solid #ccc; margin: .3rem 0; padding: .1rem .8rem; color: #333; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
.maps { display: flex; flex-wrap: wrap; gap: .8rem 1.2rem; }
.maps figure { margin: 0; width: 23rem; max-width: 100%; }
figcaption { font-size: .9rem; } figcaption .muted { font-size: .85rem; }
.legend { font-size: .9rem; }
.swatch { display: inline-block; min-width: 1.4rem; padding: 0 .3rem; border: 1px solid #999;
          font-weight: 700; text-align: center; }
.swatch.moved { border: 3px solid #000; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; } figure, table, li, blockquote { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def e(text: object) -> str:
    return escape(str(text), quote=True)


def _table(head: list[str], rows: list[list[object]], numeric_from: int = 99) -> str:
    out = ["<table><thead><tr>"]
    out += [f"<th>{e(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = [
            f'<td class="num">{e(c)}</td>' if i >= numeric_from else f"<td>{e(c)}</td>"
            for i, c in enumerate(row)
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def entry_item(x: Entry) -> str:
    parts = [f'<li class="kind-{e(x.kind)}"><span class="rec">{x.record}</span> {e(x.text)}']
    if x.undone:
        parts.append(' <span class="muted">(later taken back)</span>')
    if x.reason and x.kind != "note":
        label = "why" if x.kind in ("order", "commit") else "reason"
        parts.append(f' <span class="why">— <em>{label}:</em> {e(x.reason)}</span>')
    parts.append("</li>")
    return "".join(parts)


def maps_html(doc: Report) -> list[str]:
    """The final map with its legend and moves, then one small map per turn."""
    from wargame.report.svgmap import legend_html, svg_map

    final = doc.final_map
    if final is None:
        return []
    h = ["<h2>The map</h2>"]
    if final.layout.automatic:
        h.append(
            '<p class="muted">This scenario has no map of its own: its countries are laid '
            "out by region.</p>"
        )
    h.append(
        '<figure id="map-final">'
        + svg_map(final, "final", small=False, title="The map at the end of the save")
        + "<figcaption>At the end of the save; framed and marked » : changed status "
        "since the start.</figcaption></figure>"
    )
    h.append(legend_html(final))
    h.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in final.moved_lines()) + "</ul>")
    if doc.maps:
        h.append("<h3>Turn by turn</h3>")
        h.append(
            '<p class="muted">Each turn\'s map at its end, the countries that changed '
            "status during it framed.</p>"
        )
        h.append('<div class="maps">')
        for m in doc.maps:
            moves = "; ".join(m.view.moved_lines())
            h.append(
                f'<figure id="map-turn-{m.turn}">'
                + svg_map(
                    m.view, f"t{m.turn}", small=True, title=f"The map at the end of turn {m.turn}"
                )
                + f"<figcaption><strong>Turn {m.turn} ({m.year})</strong> "
                f'<span class="muted">{e(moves)}</span></figcaption></figure>'
            )
        h.append("</div>")
    return h


def to_html(doc: Report) -> str:
    from wargame.report.charts import line_chart

    s = doc.per_turn
    h: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Debrief: {e(doc.title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Debrief: {e(doc.title)}</h1>",
        f'<p class="meta">Save <code>{e(doc.save)}</code> · seed {doc.seed} · started '
        f"{e(doc.started)} · {doc.records} records · {e(doc.where)}</p>",
    ]
    if doc.parent:
        h.append(f"<p>This game is {e(doc.parent)}.</p>")
    if doc.banner:
        h.append(f'<p class="banner">{e(doc.banner)}</p>')
    h.append("<h2>Setup and seats</h2>")
    h.append(_table(["Team", "Played by"], [[t, seat] for t, seat in doc.seats]))
    from wargame.report.document import rolls_text

    h.append(
        f'<p class="muted">{e(rolls_text(doc.facilitated, doc.solo))}; engine {e(doc.engine)}.</p>'
    )
    h.append("<h2>Final ranking</h2>")
    h.append(
        _table(
            ["Place", "Team", "VP", "Objectives met"],
            [[t.place, t.name, t.vp, f"{t.met} of {t.applicable}"] for t in doc.teams],
        )
    )
    for t in doc.teams:
        h.append(f"<h3>{e(t.name)}: objectives</h3><ul>")
        for o in t.objectives:
            if not o.applies:
                h.append(
                    f'<li class="muted">did not apply (it depends on who was seated): '
                    f"{e(o.text)}</li>"
                )
            elif o.score > 0:
                h.append(f'<li><span class="met">✓ met</span> {e(o.text)} ({o.score:+d} VP)</li>')
            else:
                h.append(f'<li><span class="missed">✗ missed</span> {e(o.text)}</li>')
        h.append("</ul>")
    h.append("<h2>Over time</h2>")
    charts = [
        ("Victory points per team", {s.names["vp"][r]: v for r, v in s.vp.items()}, "VP"),
        ("Global tracks", {s.names["tracks"][k]: v for k, v in s.tracks.items()}, ""),
        (
            "Each power's camp (countries aligned with it, or ambiguous)",
            {s.names["camps"][p]: v for p, v in s.camps.items()},
            "countries",
        ),
    ]
    for title, series, ylabel in charts:
        h.append(f"<figure>{line_chart(title, doc.labels, series, ylabel=ylabel)}</figure>")
    labels = doc.labels
    h.append("<details><summary>The values behind the charts</summary>")
    h.append(_table(["Team", *labels], [[s.names["vp"][r], *v] for r, v in s.vp.items()], 1))
    h.append(
        _table(["Track", *labels], [[s.names["tracks"][k], *v] for k, v in s.tracks.items()], 1)
    )
    h.append(_table(["Power", *labels], [[s.names["camps"][p], *v] for p, v in s.camps.items()], 1))
    h.append("</details>")
    h += maps_html(doc)
    h.append("<h2>Turning points</h2>")
    mapped = {m.turn for m in doc.maps}
    if doc.turning:
        h.append('<ul class="timeline">')
        h += [
            f'<li><span class="rec">{p.record}</span> {e(p.line)}'
            + (
                f' <a href="#map-turn-{p.turn}">(the map of turn {p.turn})</a>'
                if p.turn in mapped
                else ""
            )
            + "</li>"
            for p in doc.turning
        ]
        h.append("</ul>")
        h.append(
            '<p class="muted">The number is the record: <code>wargame replay SAVE --to N</code> '
            "shows the board there.</p>"
        )
    else:
        h.append("<p>None: no record moved the game much.</p>")
    if doc.story:
        h.append("<h2>The story of the game</h2><ul>")
        h += [f"<li>{e(line)}</li>" for line in doc.story]
        h.append("</ul>")
    h.append("<h2>Turn by turn</h2>")
    for turn in doc.turns:
        h.append(f'<h3 id="turn-{turn.turn}">Turn {turn.turn} ({turn.year})</h3>')
        if turn.vp:
            vp = ", ".join(f"{n} {g:+d} ({tot})" for n, g, tot in turn.vp)
            h.append(f"<p>VP this turn: {e(vp)}.</p>")
        if turn.changes:
            h.append(f"<p>What changed: {e('; '.join(turn.changes[:8]))}.</p>")
        h.append('<ul class="timeline">')
        h += [f'<li class="kind-event"><span class="rec"></span> {e(x)}</li>' for x in turn.events]
        h += [entry_item(x) for x in turn.entries]
        h.append("</ul>")
    h.append("<h2>The teams</h2>")
    for t in doc.teams:
        h.append(f"<h3>{e(t.name)} <span class='muted'>({e(t.seat)})</span></h3>")
        h.append(f"<p>{e(t.summary)}</p>")
        if t.cards:
            played = ", ".join(f"{c} ×{n}" for c, n in t.cards)
            h.append(f"<p>Cards played: {e(played)}.</p>")
        if t.notes:
            h.append("<p>Its notes:</p><ul>" + "".join(f"<li>{e(n)}</li>" for n in t.notes))
            h.append("</ul>")
    h.append("<h2>Concepts each side used</h2><p>The tags of the cards each team ordered:</p>")
    h.append(
        _table(
            ["Team", "Concepts (times used)"],
            [[t.name, ", ".join(f"{c} ×{n}" for c, n in t.concepts) or "—"] for t in doc.teams],
        )
    )
    h.append("<h2>Source passages of the cards played</h2>")
    for c in doc.cards:
        note = f" (note {c.note})" if c.note else ""
        quoted = f"<blockquote>{e(c.quote)}{e(note)}</blockquote>" if c.quote else ""
        cited = f"<p class='muted'>Source: {e(c.citation)}</p>" if c.citation else ""
        h.append(
            f"<h3>{e(c.title)}</h3><p class='muted'>Played by {e(', '.join(c.played_by))}, "
            f"{c.times}×.</p>{quoted}{cited}<p>{e(c.text)}</p>"
        )
    h.append("</body></html>")
    return "\n".join(h) + "\n"
