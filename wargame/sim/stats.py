"""From game records to the balance report: win rates, VP, tracks, card play — with intervals.

Proportions get Wilson score intervals (sound near 0 and 1, where balance problems live); a
difference of two proportions (a card's "lift" on its player's win rate) gets Newcombe's
hybrid interval built from the two Wilson intervals. The balance criteria are the designers':
each role's win rate within 0.6x-1.5x of its fair share, no card played in under 2% of the
games where it was in hand, no card whose play lifts its player's win rate by more than 15
points. A flag says whether the interval, not just the estimate, is outside the bound.
"""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Any

import numpy as np

from wargame.sim.runner import SimResult
from wargame.tables import EVENTS, Tables

Z95 = 1.959963984540054

CRITERIA = {
    "role_share_low": 0.6,
    "role_share_high": 1.5,
    "min_play_rate": 0.02,
    "max_lift": 0.15,
    "min_games_for_lift": 20,
}


def wilson(k: Any, n: Any, z: float = Z95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(estimate, low, high) for k successes in n trials; NaN where n is 0."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        den = 1.0 + z * z / n
        centre = (p + z * z / (2 * n)) / den
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return p, centre - half, centre + half


def newcombe(k1: Any, n1: Any, k2: Any, n2: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Difference p1 - p2 with Newcombe's (method 10) 95% interval."""
    p1, l1, u1 = wilson(k1, n1)
    p2, l2, u2 = wilson(k2, n2)
    d = p1 - p2
    lo = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, lo, hi


def _f(x: Any) -> float | None:
    """A JSON-friendly float (None for NaN)."""
    v = float(x)
    return None if np.isnan(v) else round(v, 6)


def seat_label(seat: dict[str, Any]) -> str:
    if seat.get("kind") == "bot":
        opts = seat.get("options") or {}
        return (
            seat["bot"]
            + (f":{seat['level']}" if seat.get("level") else "")
            + (f"({','.join(f'{k}={v}' for k, v in opts.items())})" if opts else "")
        )
    return str(seat.get("kind", "?"))


def summarise(result: SimResult, tables: Tables) -> dict[str, Any]:
    """The whole report as plain data (what --json prints)."""
    t = tables
    cfg = result.config
    recs = result.records
    g = len(recs)
    nr = len(t.roles)
    present = np.array([cfg.seats.get(r.id, {}).get("kind") != "absent" for r in t.roles])
    seated = int(present.sum())
    out: dict[str, Any] = {
        "scenario": t.scenario.id,
        "title": t.scenario.title,
        "games": g,
        "requested": cfg.games,
        "interrupted": result.interrupted,
        "seed": cfg.seed,
        "workers": cfg.workers,
        "seats": {r.id: seat_label(cfg.seats.get(r.id, {})) for r in t.roles},
        "elapsed_seconds": round(result.elapsed, 3),
        "games_per_second": round(g / result.elapsed, 2) if result.elapsed > 0 else None,
        "criteria": dict(CRITERIA),
    }
    flags: list[dict[str, Any]] = []
    if g == 0:
        out.update(roles=[], endings={}, tracks={"labels": [], "mean": {}}, cards=[], flags=[])
        return out

    # ------------------------------------------------------------------ roles
    winners = np.array([r.winner for r in recs])
    wins = np.zeros((g, nr), dtype=bool)
    wins[np.arange(g), winners] = True
    vp = np.array([r.vp for r in recs], dtype=float)
    k = wins.sum(axis=0)
    p, lo, hi = wilson(k, np.full(nr, g))
    fair = 1.0 / seated
    roles = []
    for i, r in enumerate(t.roles):
        if not present[i]:
            continue
        row = {
            "role": r.id,
            "name": r.name,
            "seat": out["seats"][r.id],
            "wins": int(k[i]),
            "win_rate": _f(p[i]),
            "win_low": _f(lo[i]),
            "win_high": _f(hi[i]),
            "fair_share": round(fair, 6),
            "vp_mean": _f(vp[:, i].mean()),
            "vp_std": _f(vp[:, i].std(ddof=1) if g > 1 else 0.0),
            "vp_min": _f(vp[:, i].min()),
            "vp_median": _f(np.median(vp[:, i])),
            "vp_max": _f(vp[:, i].max()),
        }
        low_b, high_b = CRITERIA["role_share_low"] * fair, CRITERIA["role_share_high"] * fair
        if p[i] < low_b or p[i] > high_b:
            side = "below" if p[i] < low_b else "above"
            sure = (hi[i] < low_b) if side == "below" else (lo[i] > high_b)
            flags.append(
                {
                    "kind": "role_win_rate",
                    "role": r.id,
                    "significant": bool(sure),
                    "text": f"{r.id} wins {p[i]:.0%} (95% CI {lo[i]:.0%}-{hi[i]:.0%}), {side} the "
                    f"{low_b:.0%}-{high_b:.0%} band (0.6x-1.5x of a fair {fair:.0%})"
                    + ("" if sure else "; the interval still reaches the band"),
                }
            )
            row["flag"] = f"{side} band"
        roles.append(row)
    out["roles"] = roles
    out["endings"] = dict(Counter(r.ended_by or "?" for r in recs).most_common())

    # ------------------------------------------------------------------ tracks per turn
    nturns = max(len(r.tracks) for r in recs) - 1
    nt = len(t.tracks)
    arr = np.full((g, nturns + 1, nt), np.nan)
    for gi, r in enumerate(recs):
        body = r.tracks[:-1]
        for ti, row in enumerate(body):
            arr[gi, ti] = row
        arr[gi, nturns] = r.tracks[-1]
    with warnings.catch_warnings():
        # A turn that no game reached (all ended by sudden death) is an all-NaN column.
        warnings.simplefilter("ignore", category=RuntimeWarning)
        means = np.nanmean(arr, axis=0)
    labels = [f"turn {i + 1}" for i in range(nturns)] + ["end"]
    out["tracks"] = {
        "labels": labels,
        "names": {tid: t.scenario.tracks[j].name for j, tid in enumerate(t.tracks)},
        "mean": {tid: [_f(x) for x in means[:, j]] for j, tid in enumerate(t.tracks)},
    }

    # ------------------------------------------------------------------ cards
    nc = len(t.cards)
    plays = np.zeros((g, nc), dtype=np.int64)
    seen = np.zeros((g, nc), dtype=bool)
    for gi, r in enumerate(recs):
        for c, n in r.plays:
            plays[gi, c] = n
        seen[gi, list(r.seen)] = True
    played = plays > 0
    seen |= played
    cards = []
    for c in t.cards:
        if c.owner == EVENTS or not present[c.owner]:
            continue
        ci = c.index
        won = wins[:, c.owner]
        in_hand = seen[:, ci]
        n_hand = int(in_hand.sum())
        pl = played[:, ci]
        n_pl = int(pl.sum())
        rate, rlo, rhi = wilson(n_pl, n_hand)
        not_pl = in_hand & ~pl
        n_not = int(not_pl.sum())
        wp, wplo, wphi = wilson(int((won & pl).sum()), n_pl)
        wn, wnlo, wnhi = wilson(int((won & not_pl).sum()), n_not)
        d, dlo, dhi = newcombe(int((won & pl).sum()), n_pl, int((won & not_pl).sum()), n_not)
        row = {
            "card": c.id,
            "title": c.title,
            "owner": t.roles[c.owner].id,
            "cost": c.cost,
            "in_hand_games": n_hand,
            "played_games": n_pl,
            "plays": int(plays[:, ci].sum()),
            "play_rate": _f(rate),
            "play_low": _f(rlo),
            "play_high": _f(rhi),
            "win_played": _f(wp),
            "win_played_low": _f(wplo),
            "win_played_high": _f(wphi),
            "win_not_played": _f(wn),
            "win_not_played_low": _f(wnlo),
            "win_not_played_high": _f(wnhi),
            "lift": _f(d),
            "lift_low": _f(dlo),
            "lift_high": _f(dhi),
            "flags": [],
        }
        if n_hand == 0:
            row["flags"].append("never in hand")
            flags.append(
                {
                    "kind": "card_never_in_hand",
                    "card": c.id,
                    "significant": False,
                    "text": f"{c.id} ({c.title}) was never in hand",
                }
            )
        elif n_pl == 0:
            row["flags"].append("never played")
            flags.append(
                {
                    "kind": "card_never_played",
                    "card": c.id,
                    "significant": bool(rhi < CRITERIA["min_play_rate"]),
                    "text": f"{c.id} ({c.title}) was never played in {n_hand} games "
                    "where it was in hand",
                }
            )
        elif float(rate) < CRITERIA["min_play_rate"]:
            row["flags"].append("rarely played")
            flags.append(
                {
                    "kind": "card_rarely_played",
                    "card": c.id,
                    "significant": bool(rhi < CRITERIA["min_play_rate"]),
                    "text": f"{c.id} ({c.title}) played in {float(rate):.1%} of the "
                    f"{n_hand} games where it was in hand (under "
                    f"{CRITERIA['min_play_rate']:.0%})",
                }
            )
        enough = min(n_pl, n_not) >= CRITERIA["min_games_for_lift"]
        if enough and float(d) > CRITERIA["max_lift"]:
            row["flags"].append("dominant")
            flags.append(
                {
                    "kind": "card_dominant",
                    "card": c.id,
                    "significant": bool(dlo > CRITERIA["max_lift"]),
                    "text": f"{c.id} ({c.title}): its player wins {float(wp):.0%} when "
                    f"it is played vs {float(wn):.0%} when it is held but not "
                    f"played (+{float(d) * 100:.0f} points, 95% CI "
                    f"{float(dlo) * 100:+.0f} to {float(dhi) * 100:+.0f})",
                }
            )
        cards.append(row)
    out["cards"] = cards
    out["flags"] = flags
    return out
