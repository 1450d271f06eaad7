"""A sweep's report: each variant's win rates with intervals, its paired difference from the
baseline, the balance criteria met or missed, variants sorted by their distance from the criteria.

Every variant played the same seeds (game i of each variant used the same random numbers), so
the difference from the baseline is estimated game by game: for role r, d_i = won_i(variant) −
won_i(baseline) ∈ {−1, 0, 1}. Its mean is the difference in win rates, and its 95% interval is
the paired (McNemar) Wald interval, mean ± z·sd/√n. Only games whose winner changed carry any
information, so a variant equal to the baseline has a difference of exactly zero, interval
[0, 0]; and the interval is far narrower than comparing two independent runs would give.

The criteria are `stats.CRITERIA`, judged as BALANCE.md judges them: role win rates in the band
and cards' play rates on the estimate, a card's lift only when its whole interval is above.
The distance from the criteria adds up, in percentage points, how far each miss is from its
bound; variants at distance 0 meet all three and are sorted by their largest gap from a fair
share (the most even first).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wargame.sim.runner import GameRecord, ManyResult, SimConfig, SimResult
from wargame.sim.stats import CRITERIA, Z95, BalanceReport, summarise
from wargame.sim.sweep import Sweep

CRITERION_NAMES = {
    "roles": "role win rates in the band",
    "play_rate": "every card played in ≥ 2% of games held",
    "lift": "no card's lift wholly above +15 points",
}


@dataclass(frozen=True, slots=True)
class RoleResult:
    role: str
    name: str
    wins: int
    win_rate: float
    win_low: float
    win_high: float
    diff: float
    """Win rate minus the baseline's, on the same games."""
    diff_low: float
    diff_high: float
    vp_mean: float = 0.0
    """Mean victory points: a change that moves no win rate may still move the scores (it
    acts, but not enough), or move nothing (it never comes into play)."""
    flag: str = ""


@dataclass(frozen=True, slots=True)
class VariantResult:
    name: str
    values: dict[str, int | float | None]
    games: int
    rank: int
    distance: float
    """Percentage points outside the criteria, summed; 0 when every criterion is met."""
    spread: float
    """The largest gap between a role's win rate and the fair share, in points."""
    criteria: dict[str, bool]
    """Criterion → met."""
    roles: tuple[RoleResult, ...]
    misses: tuple[str, ...]
    baseline: bool = False
    same_as_baseline: bool = False
    """A variant whose values are the scenario's own: the same games as the baseline."""

    @property
    def label(self) -> str:
        """The name as the report shows it: a variant equal to the baseline says so."""
        return self.name + (" (same as the baseline)" if self.same_as_baseline else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "name": self.name,
            "baseline": self.baseline,
            "same_as_baseline": self.same_as_baseline,
            "values": dict(self.values),
            "games": self.games,
            "distance": self.distance,
            "spread": self.spread,
            "criteria": {k: "met" if v else "missed" for k, v in self.criteria.items()},
            "roles": [
                {f: getattr(r, f) for f in r.__dataclass_fields__ if f != "flag" or r.flag}
                for r in self.roles
            ],
            "misses": list(self.misses),
        }


@dataclass(frozen=True, slots=True)
class SweepReport:
    spec: str
    scenario: str
    title: str
    seed: int
    seats: dict[str, str]
    games: int
    """Games per variant in the report (fewer than requested after Ctrl-C)."""
    requested: int
    interrupted: bool
    paths: tuple[str, ...]
    fair_share: float
    criteria: dict[str, float]
    variants: tuple[VariantResult, ...] = ()
    roles: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Results only: no times, no worker counts, so any executor prints the same JSON."""
        return {
            "spec": self.spec,
            "scenario": self.scenario,
            "title": self.title,
            "seed": self.seed,
            "seats": dict(self.seats),
            "games": self.games,
            "requested": self.requested,
            "interrupted": self.interrupted,
            "parameters": list(self.paths),
            "fair_share": self.fair_share,
            "criteria": dict(self.criteria),
            "variants": [v.to_dict() for v in self.variants],
        }


def _r(x: float) -> float:
    return round(float(x), 6)


def summarise_sweep(sweep: Sweep, config: SimConfig, result: ManyResult) -> SweepReport:
    """The sweep's report. After Ctrl-C, only the games every variant finished are counted, so
    the variants are still compared on the same seeds."""
    played = [result.records[v.scenario] for v in sweep.variants]
    common = set.intersection(*({r.index for r in recs} for recs in played))
    kept = [[r for r in recs if r.index in common] for recs in played]
    g = len(common)
    base_t = sweep.tables[0]
    reports: list[BalanceReport] = []
    for v, recs in zip(sweep.variants, kept, strict=True):
        sim = SimResult(config, recs, result.elapsed, result.interrupted)
        reports.append(summarise(sim, sweep.tables[v.scenario]))
    present = [r.role for r in reports[0].roles]
    fair = reports[0].roles[0].fair_share if reports[0].roles else 0.0
    role_index = {r.id: i for i, r in enumerate(base_t.roles)}
    base_wins = _wins(kept[0], len(base_t.roles))
    low_b, high_b = CRITERIA["role_share_low"] * fair, CRITERIA["role_share_high"] * fair
    out: list[VariantResult] = []
    for v, recs, rep in zip(sweep.variants, kept, reports, strict=True):
        wins = _wins(recs, len(base_t.roles))
        roles: list[RoleResult] = []
        distance = 0.0
        spread = 0.0
        for row in rep.roles:
            i = role_index[row.role]
            d = wins[:, i].astype(float) - base_wins[:, i]
            mean = float(d.mean()) if g else 0.0
            half = Z95 * float(d.std(ddof=1)) / np.sqrt(g) if g > 1 else 0.0
            p = row.win_rate or 0.0
            distance += max(0.0, low_b - p, p - high_b)
            spread = max(spread, abs(p - fair))
            roles.append(
                RoleResult(
                    role=row.role,
                    name=row.name,
                    wins=row.wins,
                    win_rate=_r(p),
                    win_low=_r(row.win_low or 0.0),
                    win_high=_r(row.win_high or 0.0),
                    vp_mean=round(row.vp_mean or 0.0, 2),
                    diff=_r(mean),
                    diff_low=_r(mean - half),
                    diff_high=_r(mean + half),
                    flag=row.flag,
                )
            )
        misses: list[str] = []
        criteria = {"roles": True, "play_rate": True, "lift": True}
        for flag in rep.flags:
            if flag.kind == "role_win_rate":
                criteria["roles"] = False
            elif flag.kind in ("card_never_played", "card_rarely_played"):
                criteria["play_rate"] = False
            elif flag.kind == "card_dominant" and flag.significant:
                criteria["lift"] = False
            else:
                continue
            misses.append(flag.text)
        for card in rep.cards:
            if card.in_hand_games and (card.play_rate or 0.0) < CRITERIA["min_play_rate"]:
                distance += CRITERIA["min_play_rate"] - (card.play_rate or 0.0)
            if "dominant" in card.flags and (card.lift_low or 0.0) > CRITERIA["max_lift"]:
                distance += (card.lift_low or 0.0) - CRITERIA["max_lift"]
        out.append(
            VariantResult(
                name=v.name,
                values=dict(v.values),
                games=g,
                rank=0,
                distance=round(distance * 100, 2),
                spread=round(spread * 100, 2),
                criteria=criteria,
                roles=tuple(roles),
                misses=tuple(misses),
                baseline=v is sweep.variants[0],
                same_as_baseline=v is not sweep.variants[0]
                and v.scenario == sweep.variants[0].scenario,
            )
        )
    order = sorted(range(len(out)), key=lambda k: (out[k].distance, out[k].spread, k))
    ranked = tuple(VariantResult(**{**_fields(out[k]), "rank": n + 1}) for n, k in enumerate(order))
    return SweepReport(
        spec=sweep.file,
        scenario=base_t.scenario.id,
        title=base_t.scenario.title,
        seed=config.seed,
        seats=dict(reports[0].seats),
        games=g,
        requested=config.games,
        interrupted=result.interrupted,
        paths=tuple(sweep.paths),
        fair_share=fair,
        criteria=dict(CRITERIA),
        variants=ranked,
        roles=tuple(present),
    )


def _fields(v: VariantResult) -> dict[str, Any]:
    return {f: getattr(v, f) for f in v.__dataclass_fields__}


def _wins(recs: list[GameRecord], roles: int) -> np.ndarray:
    out = np.zeros((len(recs), roles), dtype=np.int8)
    for gi, rec in enumerate(recs):
        if rec.winner >= 0:
            out[gi, rec.winner] = 1
        for r in rec.shared:  # a shared victory is a win for each of its roles
            out[gi, r] = 1
    return out


# ---------------------------------------------------------------------- renderings


def to_json(rep: SweepReport) -> str:
    return json.dumps(rep.to_dict(), indent=2, ensure_ascii=False) + "\n"


def to_csv(rep: SweepReport) -> str:
    """Tidy: one row per variant and role, the variant's values in a column per parameter."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    head = ["rank", "variant", *rep.paths, "distance", "criteria_missed", "role", "win_rate"]
    w.writerow([*head, "win_low", "win_high", "diff", "diff_low", "diff_high", "games"])
    for v in rep.variants:
        missed = " ".join(k for k, ok in v.criteria.items() if not ok)
        for r in v.roles:
            w.writerow(
                [
                    v.rank,
                    v.name,
                    *(v.values.get(p) for p in rep.paths),
                    v.distance,
                    missed,
                    r.role,
                    r.win_rate,
                    r.win_low,
                    r.win_high,
                    r.diff,
                    r.diff_low,
                    r.diff_high,
                    v.games,
                ]
            )
    return buf.getvalue()


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _pts(x: float) -> str:
    return f"{x * 100:+.1f}"


def to_markdown(rep: SweepReport) -> str:
    """The report for the terminal: Markdown tables, best variant first."""
    lines = [
        f"# Sweep: {rep.title} ({rep.scenario})",
        "",
        f"{len(rep.variants)} variants × {rep.games} games on the same seeds (root seed "
        f"{rep.seed}); seats: {', '.join(f'{k}={v}' for k, v in rep.seats.items())}.",
        f"Fair share {_pct(rep.fair_share)}; band "
        f"{_pct(rep.criteria['role_share_low'] * rep.fair_share)}–"
        f"{_pct(rep.criteria['role_share_high'] * rep.fair_share)}.",
    ]
    if rep.interrupted:
        lines.append(
            f"Interrupted: {rep.games} of {rep.requested} games per variant finished in every "
            "variant; those are reported."
        )
    lines += [
        "",
        "## Win rates (95% interval), criteria met",
        "",
        "Distance: points outside the criteria, summed (0 = all met).",
        "",
    ]
    lines += _table(
        ["#", "variant", *rep.roles, "criteria", "distance"],
        [
            [
                str(v.rank),
                v.label,
                *(
                    f"{_pct(r.win_rate)} ({_pct(r.win_low)}–{_pct(r.win_high)})"
                    + (" !" if r.flag else "")
                    for r in v.roles
                ),
                "all met" if all(v.criteria.values()) else _missed(v),
                f"{v.distance:.1f}",
            ]
            for v in rep.variants
        ],
    )
    lines += [
        "",
        "## Difference from the baseline, in points (paired 95% interval)",
        "",
    ]
    lines += _table(
        ["#", "variant", *rep.roles],
        [
            [
                str(v.rank),
                v.label,
                *(f"{_pts(r.diff)} ({_pts(r.diff_low)}..{_pts(r.diff_high)})" for r in v.roles),
            ]
            for v in rep.variants
        ],
    )
    lines += [
        "",
        "## Mean victory points",
        "",
        "A change that moves no win rate may still move the scores; one that moves neither "
        "never came into play.",
        "",
    ]
    lines += _table(
        ["#", "variant", *rep.roles],
        [[str(v.rank), v.label, *(f"{r.vp_mean:.1f}" for r in v.roles)] for v in rep.variants],
    )
    best = rep.variants[0] if rep.variants else None
    if best is not None:
        lines += ["", "## Closest to the criteria", ""]
        verdict = "meets all three criteria" if all(best.criteria.values()) else _missed(best)
        lines.append(f"**{best.name}** {verdict}.")
        for path, value in best.values.items():
            lines.append(f"- `{path}` = {value}")
        for text in best.misses:
            lines.append(f"- {text}")
    return "\n".join(lines) + "\n"


def _missed(v: VariantResult) -> str:
    return "misses: " + ", ".join(CRITERION_NAMES[k] for k, ok in v.criteria.items() if not ok)


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    def cells(row: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |"

    return [cells(head), "| " + " | ".join("---" for _ in head) + " |", *map(cells, rows)]
