"""Monte Carlo: reproducible for any number of workers, statistics and flags, the report's
formats, journals that replay, and the `wargame simulate` command (including bad input and
Ctrl-C) run as a user would."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from helpers import COF, MINI, ROOT, tables_for

from wargame import journal
from wargame.errors import WargameError
from wargame.seats import parse_seats
from wargame.sim import report
from wargame.sim.runner import GameRecord, SimConfig, SimResult, play_game, run
from wargame.sim.stats import newcombe, summarise, wilson


def config(
    spec: str, games: int, workers: int, seed: int = 7, path: Path = MINI, **kw: object
) -> SimConfig:
    t = tables_for(path)
    return SimConfig(path, parse_seats(spec, t), games, seed, workers=workers, **kw)  # type: ignore[arg-type]


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wargame", "simulate", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


# ---------------------------------------------------------------------- runner


def test_results_do_not_depend_on_the_number_of_workers() -> None:
    t = tables_for(MINI)
    one = run(config("merchants=greedy,corsairs=random", 24, 1), t)
    two = run(config("merchants=greedy,corsairs=random", 24, 2), t)
    assert one.records == two.records
    assert [r.index for r in one.records] == list(range(24))
    a, b = (
        replace(summarise(res, t), elapsed_seconds=0.0, games_per_second=None, workers=1)
        for res in (one, two)
    )
    assert a == b


def test_a_game_depends_only_on_the_seed_and_its_index() -> None:
    t = tables_for(MINI)
    seats = parse_seats("all=greedy", t)
    _, a = play_game(t, seats, 3, 5)
    _, b = play_game(t, seats, 3, 5)
    _, c = play_game(t, seats, 3, 6)
    assert a == b
    assert a != c or a.index != c.index


def test_checked_games_agree_with_unchecked_ones() -> None:
    t = tables_for(MINI)
    seats = parse_seats("merchants=planner:easy,corsairs=greedy", t)
    _, fast = play_game(t, seats, 1, 0)
    _, checked = play_game(t, seats, 1, 0, check=True)
    assert fast == checked


@pytest.mark.skipif(not (COF / "scenario.yaml").is_file(), reason="bundled scenario missing")
def test_bundled_scenario_runs_with_every_bot() -> None:
    t = tables_for(COF)
    res = run(config("all=random,china=greedy,us=planner:easy", 1, 1, path=COF, check=True), t)
    rep = summarise(res, t)
    assert rep.games == 1
    assert {r.role for r in rep.roles} == {r.id for r in t.roles}
    assert len(rep.tracks.labels) >= 2


def test_absent_roles_are_left_out() -> None:
    t = tables_for(MINI)
    res = run(config("merchants=random,corsairs=absent", 6, 1), t)
    rep = summarise(res, t)
    assert [r.role for r in rep.roles] == ["merchants"]
    assert all(c.owner == "merchants" for c in rep.cards)


def test_journals_replay_to_the_same_result(tmp_path: Path) -> None:
    t = tables_for(MINI)
    res = run(config("merchants=greedy,corsairs=random", 3, 2, journals=tmp_path), t)
    assert len(list(tmp_path.glob("*.jsonl"))) == 3
    for rec in res.records:
        loaded = journal.load(rec.journal)
        st = loaded.session.state
        assert st.over
        assert tuple(sum(v) for v in st.vp) == rec.vp
    with pytest.raises(WargameError, match="already exists"):
        run(config("merchants=greedy,corsairs=random", 3, 1, journals=tmp_path), t)


def test_bad_configurations_are_refused() -> None:
    t = tables_for(MINI)
    with pytest.raises(WargameError):
        run(config("all=random", 0, 1), t)
    with pytest.raises(WargameError):
        run(config("all=random", 3, 0), t)
    with pytest.raises(WargameError, match="needs a bot"):
        run(config("merchants=human,corsairs=random", 2, 1), t)


# ---------------------------------------------------------------------- statistics


def test_wilson_interval() -> None:
    p, lo, hi = wilson(0, 10)
    assert p == 0 and lo == pytest.approx(0, abs=1e-12) and hi == pytest.approx(0.2775, abs=1e-3)
    p, lo, hi = wilson(50, 100)
    assert (
        p == 0.5 and lo == pytest.approx(0.4038, abs=1e-3) and hi == pytest.approx(0.5962, abs=1e-3)
    )
    assert np.isnan(wilson(0, 0)[0])
    d, lo, hi = newcombe(56, 70, 48, 80)
    assert (
        d == pytest.approx(0.2)
        and lo == pytest.approx(0.0524, abs=2e-3)
        and hi == pytest.approx(0.3339, abs=2e-3)
    )


def _fake(
    t: object, winners: list[int], plays: list[dict[int, int]], seen: list[set[int]]
) -> SimResult:
    recs = [
        GameRecord(
            i,
            w,
            (w, 1 - w),
            (10, 5) if w == 0 else (5, 10),
            "last turn played",
            4,
            ((1, 1), (2, 2)),
            tuple(sorted(p.items())),
            tuple(sorted(s)),
        )
        for i, (w, p, s) in enumerate(zip(winners, plays, seen, strict=True))
    ]
    return SimResult(config("all=random", len(recs), 1), recs, 1.0)


def test_flags_follow_the_balance_criteria() -> None:
    t = tables_for(MINI)
    trade = t.card_index["trade_mission"]
    escort = t.card_index["escort_convoy"]
    n = 100
    winners = [0] * 80 + [1] * 20  # merchants win 80%: above 1.5 x 50%
    # escort played in exactly the games merchants won (a dominant card); trade always held,
    # never played
    plays = [{escort: 1} if w == 0 else {} for w in winners]
    seen = [{trade, escort} for _ in range(n)]
    rep = summarise(_fake(t, winners, plays, seen), t)
    kinds = {(f.kind, f.role or f.card) for f in rep.flags}
    assert ("role_win_rate", "merchants") in kinds
    assert ("role_win_rate", "corsairs") in kinds
    assert ("card_never_played", "trade_mission") in kinds
    assert ("card_dominant", "escort_convoy") in kinds
    assert ("card_never_in_hand", "raid") in kinds
    esc = next(c for c in rep.cards if c.card == "escort_convoy")
    assert esc.play_rate == 0.8 and esc.win_played == 1.0 and esc.win_not_played == 0.0


def test_a_balanced_run_has_no_role_flag() -> None:
    t = tables_for(MINI)
    n = 100
    winners = [i % 2 for i in range(n)]
    rep = summarise(_fake(t, winners, [{} for _ in range(n)], [set() for _ in range(n)]), t)
    assert not [f for f in rep.flags if f.kind == "role_win_rate"]


def test_report_formats_parse() -> None:
    t = tables_for(MINI)
    rep = summarise(run(config("all=greedy", 10, 1), t), t)
    assert json.loads(report.to_json(rep)) == rep.to_dict()
    rows = list(csv.DictReader(io.StringIO(report.to_csv(rep))))
    assert set(rows[0]) == set(report.CSV_FIELDS)
    wins = [r for r in rows if r["section"] == "role" and r["metric"] == "win_rate"]
    assert {r["role"] for r in wins} == {"merchants", "corsairs"}
    assert sum(float(r["value"]) for r in wins) == pytest.approx(1.0)
    text = report.to_text(rep)
    for heading in ("Roles", "Tracks", "Cards", "Balance check"):
        assert heading in text


# ---------------------------------------------------------------------- the command


def test_cli_table_json_and_csv(tmp_path: Path) -> None:
    base = ["--scenario", str(MINI), "--games", "6", "--seed", "3", "--workers", "2"]
    out = cli(*base, "--bot", "random")
    assert out.returncode == 0, out.stderr
    assert "Roles" in out.stdout and "merchants" in out.stdout
    assert "Traceback" not in out.stderr
    js = cli(*base, "--seats", "merchants=greedy", "--json", "-q")
    assert js.returncode == 0, js.stderr
    data = json.loads(js.stdout)
    assert data["games"] == 6 and data["seats"]["merchants"] == "greedy"
    assert data["seats"]["corsairs"] == "greedy"
    target = tmp_path / "r.csv"
    cs = cli(*base, "--bot", "random", "--csv", str(target), "--json", "-q")
    assert cs.returncode == 0, cs.stderr
    rows = list(csv.DictReader(target.open()))
    assert rows and json.loads(cs.stdout)["games"] == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bot", "nosuchbot"], "unknown bot"),
        (["--seats", "merchants"], "should look like"),
        (["--seats", "pirates=random"], "unknown role"),
        (["--seats", "merchants=human"], "human"),
        (["--seats", "merchants=absent,corsairs=absent"], "cannot be absent"),
        (["--bot", "planner:ultra"], "unknown planner level"),
        (["--games", "0"], "at least 1"),
        (["--games", "-3"], "at least 1"),
        (["--workers", "0"], "at least 1"),
        (["--games", "many"], "not a whole number"),
        (["--json", "--csv"], "both go to stdout"),
        (["--scenario", "/nonexistent/place"], "no scenario"),
    ],
)
def test_cli_bad_input_is_a_message_not_a_traceback(args: list[str], message: str) -> None:
    scen = [] if "--scenario" in args else ["--scenario", str(MINI)]
    out = cli(*scen, "--games", "2", *args) if "--games" not in args else cli(*scen, *args)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert message in out.stderr


def test_cli_ctrl_c_reports_what_finished() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wargame",
            "simulate",
            "--scenario",
            str(MINI),
            "--games",
            "200000",
            "--bot",
            "random",
            "--seed",
            "1",
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stderr is not None
    first = proc.stderr.readline()  # printed once the games start
    assert "simulate: 0/" in first
    time.sleep(1.5)
    os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "interrupted" in err
    assert "(interrupted)" in out and "Roles" in out
