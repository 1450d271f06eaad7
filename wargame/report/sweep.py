"""A sweep's report as one offline HTML file: the tables of the terminal report and, per role,
a chart of its win rate by variant (with intervals and the criteria's band). Same style as the
debrief report; no script, nothing fetched; every text is escaped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wargame.report.charts import interval_chart
from wargame.report.html import STYLE, _table, e

if TYPE_CHECKING:
    from wargame.sim.sweep_report import SweepReport, VariantResult


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


SHORT_CRITERIA = {"roles": "roles in band", "play_rate": "cards played", "lift": "no big lift"}
"""The criteria as column heads (the words in full are under the table)."""


def _variants_table(rep: SweepReport) -> str:
    """Rank, the values of each path, the criteria met, the distance. A grid variant's name
    only repeats its values, so the name column is there only for named variants; the paths
    may break after each dot, so that the table fits the page."""
    from wargame.sim.sweep import show_value

    def grid_name(v: VariantResult) -> str:
        return " ".join(f"{p}={show_value(v.values[p])}" for p in rep.paths if p in v.values)

    named = any(v.name not in ("baseline", grid_name(v)) for v in rep.variants)
    head = ["#", *(["variant"] if named else []), *rep.paths, *SHORT_CRITERIA.values()]
    cells = ["<table><thead><tr>"]
    cells += ["<th>" + "<wbr>.".join(e(part) for part in h.split(".")) + "</th>" for h in head]
    cells.append('<th class="num">distance</th></tr></thead><tbody>')
    for v in rep.variants:
        rank = f"{v.rank}" + (" (baseline)" if v.baseline else "")
        rank += " (same as the baseline)" if v.same_as_baseline else ""
        row = [rank, *([v.name] if named else [])]
        row += ["—" if v.values.get(p) is None else show_value(v.values[p]) for p in rep.paths]
        row += ["met" if v.criteria[k] else "missed" for k in SHORT_CRITERIA]
        cells.append(
            "<tr>"
            + "".join(f"<td>{e(c)}</td>" for c in row)
            + f'<td class="num">{v.distance:.1f}</td></tr>'
        )
    cells.append("</tbody></table>")
    return "".join(cells)


def to_html(rep: SweepReport) -> str:
    from wargame.sim.sweep_report import CRITERION_NAMES

    low = rep.criteria["role_share_low"] * rep.fair_share
    high = rep.criteria["role_share_high"] * rep.fair_share
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Sweep: {e(rep.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>Sweep: {e(rep.title)}</h1>",
        f'<p class="meta">{len(rep.variants)} variants × {rep.games} games on the same seeds '
        f"(root seed {rep.seed}); spec {e(rep.spec)}; seats "
        f"{e(', '.join(f'{k}={v}' for k, v in rep.seats.items()))}. Fair share "
        f"{_pct(rep.fair_share)}, band {_pct(low)}–{_pct(high)}.</p>",
    ]
    if rep.interrupted:
        out.append(
            f'<p class="banner">Interrupted: {rep.games} of {rep.requested} games per variant '
            "finished in every variant; those are reported.</p>"
        )
    out.append("<h2>Variants, closest to the criteria first</h2>")
    out.append(_variants_table(rep))
    out.append(
        '<p class="muted">'
        + "; ".join(f"<b>{e(SHORT_CRITERIA[k])}</b>: {e(v)}" for k, v in CRITERION_NAMES.items())
        + "; distance: points outside the criteria, summed (0: all met).</p>"
    )
    out.append("<h2>Win rate by variant, per role</h2>")
    out.append(
        '<p class="muted">Bars: win rate with its 95% interval; red outside the band, which is '
        "shaded. Below each chart, the difference from the baseline on the same games, in "
        f"points, with its paired 95% interval. Long names are shown by their values, in the "
        f"order {e(' / '.join(rep.paths))}.</p>"
    )
    # A grid variant's name repeats every path; on a chart its values say it in a line.
    labels = [
        f"{v.rank}. "
        + (v.name if len(v.name) <= 30 else " / ".join(str(v.values.get(p)) for p in rep.paths))
        for v in rep.variants
    ]
    for k, role in enumerate(rep.roles):
        rows_of = [v.roles[k] for v in rep.variants]
        name = rows_of[0].name if rows_of else role
        svg = interval_chart(
            f"{name}: win rate",
            labels,
            [r.win_rate for r in rows_of],
            [r.win_low for r in rows_of],
            [r.win_high for r in rows_of],
            band=(low, high),
            ylabel="win rate",
            percent=True,
        )
        out.append(f"<h3>{e(name)} ({e(role)})</h3><figure>{svg}</figure>")
        out.append(
            _table(
                ["variant", "win rate", "difference (points)", "mean VP"],
                [
                    [
                        label,
                        f"{_pct(r.win_rate)} ({_pct(r.win_low)}–{_pct(r.win_high)})",
                        f"{r.diff * 100:+.1f} ({r.diff_low * 100:+.1f}..{r.diff_high * 100:+.1f})",
                        f"{r.vp_mean:.1f}",
                    ]
                    for label, r in zip(labels, rows_of, strict=True)
                ],
                numeric_from=1,
            )
        )
    misses = [(v, t) for v in rep.variants for t in v.misses]
    if misses:
        out.append("<h2>What each variant misses</h2><ul>")
        out += [f"<li><b>{e(v.name)}</b>: {e(t)}</li>" for v, t in misses]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
