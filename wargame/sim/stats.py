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
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from wargame.seats import present_of, seat_of
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


@dataclass(frozen=True, slots=True)
class RoleRow:
    """One seated role: its wins (with a 95% Wilson interval) and its victory points."""

    role: str
    name: str
    seat: str
    """The seat as the command line writes it (`greedy:hard`)."""
    wins: int
    win_rate: float | None
    win_low: float | None
    win_high: float | None
    fair_share: float
    vp_mean: float | None
    vp_std: float | None
    vp_min: float | None
    vp_median: float | None
    vp_max: float | None
    flag: str = ""
    """"below band" or "above band" when the win rate is outside the criteria's band."""

    def to_dict(self) -> dict[str, Any]:
        out = {f: getattr(self, f) for f in self.__dataclass_fields__ if f != "flag"}
        if self.flag:
            out["flag"] = self.flag
        return out


@dataclass(frozen=True, slots=True)
class CardRow:
    """One card of a seated role: how often it was played when held, and its owner's win rate
    when it was played vs held but not played (the lift, with Newcombe's interval)."""

    card: str
    title: str
    owner: str
    cost: int
    in_hand_games: int
    played_games: int
    plays: int
    play_rate: float | None
    play_low: float | None
    play_high: float | None
    win_played: float | None
    win_played_low: float | None
    win_played_high: float | None
    win_not_played: float | None
    win_not_played_low: float | None
    win_not_played_high: float | None
    lift: float | None
    lift_low: float | None
    lift_high: float | None
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {f: getattr(self, f) for f in self.__dataclass_fields__}
        out["flags"] = list(self.flags)
        return out


@dataclass(frozen=True, slots=True)
class Flag:
    """A balance criterion the run breaks, about a role or a card."""

    kind: str
    """role_win_rate, card_never_in_hand, card_never_played, card_rarely_played, card_dominant"""
    significant: bool
    """The 95% interval, not only the estimate, is outside the bound."""
    text: str
    role: str = ""
    card: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.role:
            out["role"] = self.role
        if self.card:
            out["card"] = self.card
        out["significant"] = self.significant
        out["text"] = self.text
        return out


@dataclass(frozen=True, slots=True)
class TrackMeans:
    """Each track's mean value when each turn's orders open, and at the end."""

    labels: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict)
    mean: dict[str, tuple[float | None, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "names": dict(self.names),
            "mean": {k: list(v) for k, v in self.mean.items()},
        }


@dataclass(frozen=True, slots=True)
class BalanceReport:
    """The balance report of a simulation run; `wargame.sim.report` renders it as text, JSON
    (`to_dict`) or CSV."""

    scenario: str
    title: str
    games: int
    requested: int
    interrupted: bool
    seed: int
    workers: int
    seats: dict[str, str]
    """Role id → seat as the command line writes it."""
    elapsed_seconds: float
    games_per_second: float | None
    criteria: dict[str, float]
    roles: tuple[RoleRow, ...] = ()
    endings: dict[str, int] = field(default_factory=dict)
    """How games ended → how many did, most common first."""
    tracks: TrackMeans = field(default_factory=TrackMeans)
    cards: tuple[CardRow, ...] = ()
    flags: tuple[Flag, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (what --json prints)."""
        return {
            "scenario": self.scenario,
            "title": self.title,
            "games": self.games,
            "requested": self.requested,
            "interrupted": self.interrupted,
            "seed": self.seed,
            "workers": self.workers,
            "seats": dict(self.seats),
            "elapsed_seconds": self.elapsed_seconds,
            "games_per_second": self.games_per_second,
            "criteria": dict(self.criteria),
            "roles": [r.to_dict() for r in self.roles],
            "endings": dict(self.endings),
            "tracks": self.tracks.to_dict(),
            "cards": [c.to_dict() for c in self.cards],
            "flags": [f.to_dict() for f in self.flags],
        }


def summarise(result: SimResult, tables: Tables) -> BalanceReport:
    """The balance report of a run."""
    t = tables
    cfg = result.config
    recs = result.records
    g = len(recs)
    nr = len(t.roles)
    present = np.array(present_of(t, cfg.seats))
    seated = int(present.sum())
    seats = {r.id: seat_of(cfg.seats, r.id).to_text() for r in t.roles}
    head = BalanceReport(
        scenario=t.scenario.id,
        title=t.scenario.title,
        games=g,
        requested=cfg.games,
        interrupted=result.interrupted,
        seed=cfg.seed,
        workers=cfg.workers,
        seats=seats,
        elapsed_seconds=round(result.elapsed, 3),
        games_per_second=round(g / result.elapsed, 2) if result.elapsed > 0 else None,
        criteria=dict(CRITERIA),
    )
    if g == 0:
        return head
    flags: list[Flag] = []

    # ------------------------------------------------------------------ roles
    winners = np.array([rec.winner for rec in recs])
    wins = np.zeros((g, nr), dtype=bool)
    wins[np.arange(g), winners] = True
    for gi, rec in enumerate(recs):  # a shared victory is a win for each of its roles
        wins[gi, list(rec.shared)] = True
    vp = np.array([rec.vp for rec in recs], dtype=float)
    k = wins.sum(axis=0)
    p, lo, hi = wilson(k, np.full(nr, g))
    fair = 1.0 / seated
    roles = []
    for i, role in enumerate(t.roles):
        if not present[i]:
            continue
        band = ""
        low_b, high_b = CRITERIA["role_share_low"] * fair, CRITERIA["role_share_high"] * fair
        if p[i] < low_b or p[i] > high_b:
            side = "below" if p[i] < low_b else "above"
            sure = (hi[i] < low_b) if side == "below" else (lo[i] > high_b)
            flags.append(
                Flag(
                    kind="role_win_rate",
                    role=role.id,
                    significant=bool(sure),
                    text=f"{role.id} wins {p[i]:.0%} (95% CI {lo[i]:.0%}-{hi[i]:.0%}), {side} "
                    f"the {low_b:.0%}-{high_b:.0%} band (0.6x-1.5x of a fair {fair:.0%})"
                    + ("" if sure else "; the interval still reaches the band"),
                )
            )
            band = f"{side} band"
        roles.append(
            RoleRow(
                role=role.id,
                name=role.name,
                seat=seats[role.id],
                wins=int(k[i]),
                win_rate=_f(p[i]),
                win_low=_f(lo[i]),
                win_high=_f(hi[i]),
                fair_share=round(fair, 6),
                vp_mean=_f(vp[:, i].mean()),
                vp_std=_f(vp[:, i].std(ddof=1) if g > 1 else 0.0),
                vp_min=_f(vp[:, i].min()),
                vp_median=_f(np.median(vp[:, i])),
                vp_max=_f(vp[:, i].max()),
                flag=band,
            )
        )
    endings = dict(Counter(rec.ended_by or "?" for rec in recs).most_common())

    # ------------------------------------------------------------------ tracks per turn
    nturns = max(len(rec.tracks) for rec in recs) - 1
    nt = len(t.tracks)
    arr = np.full((g, nturns + 1, nt), np.nan)
    for gi, rec in enumerate(recs):
        for ti, row in enumerate(rec.tracks[:-1]):
            arr[gi, ti] = row
        arr[gi, nturns] = rec.tracks[-1]
    with warnings.catch_warnings():
        # A turn that no game reached (all ended by sudden death) is an all-NaN column.
        warnings.simplefilter("ignore", category=RuntimeWarning)
        means = np.nanmean(arr, axis=0)
    tracks = TrackMeans(
        labels=(*(f"turn {i + 1}" for i in range(nturns)), "end"),
        names={tid: t.scenario.tracks[j].name for j, tid in enumerate(t.tracks)},
        mean={tid: tuple(_f(x) for x in means[:, j]) for j, tid in enumerate(t.tracks)},
    )

    # ------------------------------------------------------------------ cards
    nc = len(t.cards)
    plays = np.zeros((g, nc), dtype=np.int64)
    seen = np.zeros((g, nc), dtype=bool)
    for gi, rec in enumerate(recs):
        for c, n in rec.plays:
            plays[gi, c] = n
        seen[gi, list(rec.seen)] = True
    played = plays > 0
    seen |= played
    cards = []
    for card in t.cards:
        if card.owner == EVENTS or not present[card.owner]:
            continue
        ci = card.index
        won = wins[:, card.owner]
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
        marks: list[str] = []
        name = f"{card.id} ({card.title})"
        if n_hand == 0:
            marks.append("never in hand")
            flags.append(
                Flag("card_never_in_hand", False, f"{name} was never in hand", card=card.id)
            )
        elif n_pl == 0:
            marks.append("never played")
            flags.append(
                Flag(
                    "card_never_played",
                    bool(rhi < CRITERIA["min_play_rate"]),
                    f"{name} was never played in {n_hand} games where it was in hand",
                    card=card.id,
                )
            )
        elif float(rate) < CRITERIA["min_play_rate"]:
            marks.append("rarely played")
            flags.append(
                Flag(
                    "card_rarely_played",
                    bool(rhi < CRITERIA["min_play_rate"]),
                    f"{name} played in {float(rate):.1%} of the {n_hand} games where it was in "
                    f"hand (under {CRITERIA['min_play_rate']:.0%})",
                    card=card.id,
                )
            )
        enough = min(n_pl, n_not) >= CRITERIA["min_games_for_lift"]
        if enough and float(d) > CRITERIA["max_lift"]:
            marks.append("dominant")
            flags.append(
                Flag(
                    "card_dominant",
                    bool(dlo > CRITERIA["max_lift"]),
                    f"{name}: its player wins {float(wp):.0%} when it is played vs "
                    f"{float(wn):.0%} when it is held but not played "
                    f"(+{float(d) * 100:.0f} points, 95% CI "
                    f"{float(dlo) * 100:+.0f} to {float(dhi) * 100:+.0f})",
                    card=card.id,
                )
            )
        cards.append(
            CardRow(
                card=card.id,
                title=card.title,
                owner=t.roles[card.owner].id,
                cost=card.cost,
                in_hand_games=n_hand,
                played_games=n_pl,
                plays=int(plays[:, ci].sum()),
                play_rate=_f(rate),
                play_low=_f(rlo),
                play_high=_f(rhi),
                win_played=_f(wp),
                win_played_low=_f(wplo),
                win_played_high=_f(wphi),
                win_not_played=_f(wn),
                win_not_played_low=_f(wnlo),
                win_not_played_high=_f(wnhi),
                lift=_f(d),
                lift_low=_f(dlo),
                lift_high=_f(dhi),
                flags=tuple(marks),
            )
        )
    return replace(
        head,
        roles=tuple(roles),
        endings=endings,
        tracks=tracks,
        cards=tuple(cards),
        flags=tuple(flags),
    )
