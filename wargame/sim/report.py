"""Rendering the balance report: a readable text table, JSON, and a tidy CSV.

The CSV is "tidy" (one measurement per row: section, role, card, turn, metric, value, low,
high) so a spreadsheet or pandas can pivot it any way without parsing several tables.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from wargame.sim.stats import BalanceReport


def _pct(x: float | None) -> str:
    return "  -" if x is None else f"{x * 100:.0f}%"


def _ci(lo: float | None, hi: float | None) -> str:
    if lo is None or hi is None:
        return "-"
    return f"{lo * 100:.0f}-{hi * 100:.0f}%"


def _num(x: float | None, fmt: str = ".1f") -> str:
    return "-" if x is None else format(x, fmt)


def _table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    right = right or set()
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            out.append(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]))
        return "  ".join(out).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])


def to_text(rep: BalanceReport) -> str:
    parts: list[str] = []
    head = (
        f"{rep.title} — {rep.games} game{'' if rep.games == 1 else 's'}"
        + (f" of {rep.requested} (interrupted)" if rep.interrupted else "")
        + f", seed {rep.seed}"
    )
    parts.append(head)
    seats = ", ".join(f"{r}={s}" for r, s in rep.seats.items())
    speed = rep.games_per_second
    parts.append(
        f"seats: {seats}; {rep.elapsed_seconds:.1f} s"
        + (f" ({speed:.1f} games/s)" if speed else "")
    )
    if not rep.games:
        parts.append("\nno game finished")
        return "\n".join(parts) + "\n"

    rows = []
    for r in rep.roles:
        rows.append(
            [
                r.role,
                r.seat,
                _pct(r.win_rate),
                _ci(r.win_low, r.win_high),
                _pct(r.fair_share),
                _num(r.vp_mean),
                _num(r.vp_std),
                f"{_num(r.vp_min, '.0f')}-{_num(r.vp_max, '.0f')}",
                r.flag,
            ]
        )
    parts.append("\nRoles")
    parts.append(
        _table(
            ["role", "seat", "wins", "95% CI", "fair", "VP mean", "sd", "range", "flag"],
            rows,
            right={2, 4, 5, 6},
        )
    )

    parts.append("\nHow games ended")
    parts.append(
        _table(["games", "ending"], [[str(n), text] for text, n in rep.endings.items()], right={0})
    )

    tr = rep.tracks
    if tr.mean:
        rows = []
        for tid, vals in tr.mean.items():
            rows.append([tid, *[_num(v) for v in vals]])
        parts.append("\nTracks (mean when each turn's orders open, and at the end)")
        parts.append(_table(["track", *tr.labels], rows, right=set(range(1, len(tr.labels) + 1))))

    rows = []
    for c in rep.cards:
        lift = "-" if c.lift is None else f"{c.lift * 100:+.0f}"
        lift_ci = (
            "-"
            if c.lift_low is None or c.lift_high is None
            else f"{c.lift_low * 100:+.0f}..{c.lift_high * 100:+.0f}"
        )
        rows.append(
            [
                c.owner,
                c.card,
                str(c.in_hand_games),
                _pct(c.play_rate),
                _ci(c.play_low, c.play_high),
                _pct(c.win_played),
                _pct(c.win_not_played),
                lift,
                lift_ci,
                ", ".join(c.flags),
            ]
        )
    parts.append(
        "\nCards (play rate among games where the card was in hand; its owner's win "
        "rate when played vs held but not played)"
    )
    parts.append(
        _table(
            [
                "owner",
                "card",
                "held",
                "played",
                "95% CI",
                "win if",
                "win if not",
                "lift",
                "95% CI",
                "flag",
            ],
            rows,
            right={2, 3, 5, 6, 7},
        )
    )

    crit = rep.criteria
    parts.append(
        f"\nBalance check (each role {crit['role_share_low']}x-"
        f"{crit['role_share_high']}x its fair share; every card played in at least "
        f"{crit['min_play_rate']:.0%} of the games where held; no card lifting its "
        f"player's win rate by more than {crit['max_lift'] * 100:.0f} points)"
    )
    if rep.flags:
        for f in rep.flags:
            mark = "!" if f.significant else "?"
            parts.append(f"  {mark} {f.text}")
        parts.append("  (! = the 95% interval is outside the bound too; ? = the estimate is)")
    else:
        parts.append("  no violations")
    return "\n".join(parts) + "\n"


def to_json(rep: BalanceReport) -> str:
    return json.dumps(rep.to_dict(), indent=2, ensure_ascii=False) + "\n"


CSV_FIELDS = ["section", "role", "card", "turn", "metric", "value", "low", "high"]


def to_csv(rep: BalanceReport) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)

    def row(
        section: str,
        role: str = "",
        card: str = "",
        turn: str = "",
        metric: str = "",
        value: Any = None,
        low: Any = None,
        high: Any = None,
    ) -> None:
        w.writerow([section, role, card, turn, metric, _cell(value), _cell(low), _cell(high)])

    row("run", metric="games", value=rep.games)
    row("run", metric="requested", value=rep.requested)
    row("run", metric="seed", value=rep.seed)
    row("run", metric="interrupted", value=int(rep.interrupted))
    for r in rep.roles:
        row("role", r.role, metric="win_rate", value=r.win_rate, low=r.win_low, high=r.win_high)
        row("role", r.role, metric="fair_share", value=r.fair_share)
        for m in ("vp_mean", "vp_std", "vp_min", "vp_median", "vp_max"):
            row("role", r.role, metric=m, value=getattr(r, m))
    tr = rep.tracks
    for tid, vals in tr.mean.items():
        for label, v in zip(tr.labels, vals, strict=True):
            row("track", turn=label, metric=tid, value=v)
    for c in rep.cards:
        ids = (c.owner, c.card)
        row("card", *ids, metric="in_hand_games", value=c.in_hand_games)
        row("card", *ids, metric="plays", value=c.plays)
        row("card", *ids, metric="play_rate", value=c.play_rate, low=c.play_low, high=c.play_high)
        row(
            "card",
            *ids,
            metric="win_played",
            value=c.win_played,
            low=c.win_played_low,
            high=c.win_played_high,
        )
        row(
            "card",
            *ids,
            metric="win_not_played",
            value=c.win_not_played,
            low=c.win_not_played_low,
            high=c.win_not_played_high,
        )
        row("card", *ids, metric="lift", value=c.lift, low=c.lift_low, high=c.lift_high)
    for f in rep.flags:
        row("flag", f.role, f.card, metric=f.kind, value=int(f.significant))
    return buf.getvalue()


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)
