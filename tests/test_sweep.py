"""`wargame sweep`: paths into a scenario, spec errors at the spec's line, common random numbers
(the baseline is a plain simulate; a variant equal to it differs by exactly zero), identical
results for 1 worker, 2 workers and a Dask cluster, and the command run as a user would."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MINI, ROOT, tables_for

from wargame.schema.loader import load_scenario
from wargame.seats import parse_seats
from wargame.sim.runner import SimConfig, run, run_many
from wargame.sim.stats import summarise
from wargame.sim.sweep import PathError, SpecError, build, read_spec, resolve
from wargame.sim.sweep_report import SweepReport, summarise_sweep, to_csv, to_json, to_markdown

SPEC = f"""\
scenario: {MINI}
bot: greedy
games: 24
seed: 5
vary:
  raid.cost: [1, 2]
  roles.merchants.income.base: [2, 4]
"""


def write(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def sweep_of(path: Path, **kw: object) -> tuple[SweepReport, SimConfig]:
    spec, parsed = read_spec(path)
    sweep = build(MINI, load_scenario(MINI), spec, parsed)
    seats = parse_seats(f"all={spec.bot}", sweep.tables[0])
    config = SimConfig(MINI, seats, spec.games, spec.seed, **kw)  # type: ignore[arg-type]
    return summarise_sweep(sweep, config, run_many(config, sweep.tables)), config


def cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wargame", "sweep", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


# ---------------------------------------------------------------------- paths


def test_paths_name_numbers_by_ids_fields_and_positions() -> None:
    data = load_scenario(MINI).model_dump(mode="json", by_alias=True, round_trip=True)
    parent, key, where = resolve(data, "raid.cost")
    assert parent[key] == 1 and where[0] == "decks" and where[-1] == "cost"
    parent, key, where = resolve(data, "roles.merchants.income.base")
    assert parent[key] == 3 and where == ("roles", 0, "income", "base")
    parent, key, _ = resolve(data, "roles.merchants.income.terms[0].points")
    assert parent[key] == 1
    parent, key, _ = resolve(data, "countries.amber.ties.north.trade")
    assert parent[key] == 3


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("raid.cots", "did you mean 'cost'"),
        ("rade.cost", "neither a field of the scenario nor a card id"),
        ("raid", "a whole card"),
        ("raid.title", "is text, not a number"),
        ("raid.roll.base", "raid.roll is not set in the scenario"),
        ("roles.pirates.hand_size", "no item with id 'pirates'"),
        ("roles.merchants.income.terms.points", "without ids"),
        ("roles.merchants.income.terms[7].points", "names nothing"),
        ("roles..income", "not a path"),
    ],
)
def test_a_path_that_names_no_number_is_refused(path: str, message: str) -> None:
    data = load_scenario(MINI).model_dump(mode="json", by_alias=True, round_trip=True)
    with pytest.raises(PathError, match=message):
        resolve(data, path)


# ---------------------------------------------------------------------- spec errors


def test_a_bad_path_is_reported_at_the_spec_line(tmp_path: Path) -> None:
    path = write(tmp_path, SPEC.replace("raid.cost", "raid.cots"))
    spec, parsed = read_spec(path)
    with pytest.raises(SpecError) as info:
        build(MINI, load_scenario(MINI), spec, parsed)
    [problem] = info.value.problems
    assert (problem.line, problem.path) == (6, "vary.raid.cots")
    assert "no field 'cots'" in problem.message


def test_a_value_the_schema_refuses_is_reported_at_its_line_once(tmp_path: Path) -> None:
    path = write(tmp_path, SPEC.replace("[2, 4]", "[2,\n    -1]"))
    spec, parsed = read_spec(path)
    with pytest.raises(SpecError) as info:
        build(MINI, load_scenario(MINI), spec, parsed)
    [problem] = info.value.problems  # in two variants of the grid, reported once
    assert (problem.line, problem.path) == (8, "vary.roles.merchants.income.base[1]")
    assert "= -1 is refused" in problem.message and "at least 0" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (SPEC.replace("games: 24", 'games: "24"'), 3, "whole number"),
        (SPEC.replace("games: 24", "games: 0"), 3, "at least 1"),
        (
            SPEC.replace("vary:", "variants:\n  - {name: a, set: {raid.cost: 2}}\nvary:"),
            5,
            "not both",
        ),
        (SPEC + "colour: red\n", 8, "colour"),
    ],
)
def test_spec_mistakes_name_their_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(SpecError) as info:
        read_spec(write(tmp_path, text))
    problem = info.value.problems[0]
    assert problem.line == line and message in problem.message


# ---------------------------------------------------------------------- results


def test_baseline_is_a_simulate_of_the_same_seeds_and_its_equal_has_zero_difference(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        SPEC.split("vary:")[0]
        + "variants:\n"
        + "  - {name: same, set: {raid.cost: 1}}\n"  # the scenario's own value
        + "  - {name: dear-raids, set: {raid.cost: 2}}\n",
    )
    rep, config = sweep_of(path)
    by = {v.name: v for v in rep.variants}
    for r in by["same"].roles:
        assert (r.diff, r.diff_low, r.diff_high) == (0.0, 0.0, 0.0)
    assert [r.win_rate for r in by["same"].roles] == [r.win_rate for r in by["baseline"].roles]
    # The reports say which variant is the baseline's own game, and the JSON too.
    assert by["same"].same_as_baseline and not by["dear-raids"].same_as_baseline
    assert "| same (same as the baseline) |" in to_markdown(rep)
    # Mean victory points per role: equal where the games are the same, and reported.
    assert [r.vp_mean for r in by["same"].roles] == [r.vp_mean for r in by["baseline"].roles]
    assert "## Mean victory points" in to_markdown(rep)
    assert json.loads(to_json(rep))["variants"][0].keys() >= {"baseline", "same_as_baseline"}
    # Common random numbers: the baseline's games are a plain simulate's, seed for seed.
    plain = summarise(run(config, tables_for(MINI)), tables_for(MINI))
    assert [r.wins for r in by["baseline"].roles] == [r.wins for r in plain.roles]
    assert [r.vp_mean for r in by["baseline"].roles] == [
        round(r.vp_mean or 0.0, 2) for r in plain.roles
    ]
    # A change that matters moves the win rates, and the paired interval is not degenerate.
    moved = by["dear-raids"].roles[0]
    assert moved.diff != 0.0 and moved.diff_low < moved.diff < moved.diff_high
    assert sorted(v.rank for v in rep.variants) == [1, 2, 3]
    assert [v.distance for v in rep.variants] == sorted(v.distance for v in rep.variants)


def test_identical_results_for_one_two_workers_and_a_dask_cluster(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    path = write(tmp_path, SPEC)
    one, _ = sweep_of(path, workers=1)
    two, _ = sweep_of(path, workers=2)
    dask, _ = sweep_of(path, workers=2, scheduler="local", dask_processes=False)
    assert to_json(one) == to_json(two) == to_json(dask)
    assert len(one.variants) == 5 and one.games == 24


@pytest.mark.parametrize(("games", "variants", "slots"), [(400, 6, 2), (7, 3, 4), (1, 1, 1)])
def test_cluster_batches_cover_every_game_once_largest_first(
    games: int, variants: int, slots: int
) -> None:
    """Every (variant, game) is in exactly one task, game-major like the local run; tasks
    shrink toward the end, so the last ones are small and no worker waits long on another."""
    from wargame.sim.cluster import batches

    plan = batches(games, variants, slots)
    played = [(v, i) for v, block in plan for i in block]
    assert sorted(played) == [(v, i) for v in range(variants) for i in range(games)]
    sizes = [len(block) for _, block in plan]
    assert sizes == sorted(sizes, reverse=True) and max(sizes) <= 50
    assert sizes[-1] <= max(1, sizes[0] // 10) or len(plan) <= variants * 2
    firsts = [block[0] for _, block in plan]
    assert firsts == sorted(firsts)


def test_simulate_on_dask_equals_the_local_run() -> None:
    pytest.importorskip("distributed")
    t = tables_for(MINI)
    seats = parse_seats("all=greedy", t)
    local = run(SimConfig(MINI, seats, 20, 9, workers=1), t)
    dask = run(SimConfig(MINI, seats, 20, 9, workers=1, scheduler="local", dask_processes=False), t)
    assert local.records == dask.records


def test_report_formats(tmp_path: Path) -> None:
    rep, _ = sweep_of(write(tmp_path, SPEC))
    data = json.loads(to_json(rep))
    assert data["parameters"] == ["raid.cost", "roles.merchants.income.base"]
    assert data["variants"][0]["rank"] == 1 and "elapsed_seconds" not in data
    rows = list(csv.DictReader(io.StringIO(to_csv(rep))))
    assert len(rows) == 5 * 2 and rows[0]["raid.cost"] in ("1", "2")
    text = to_markdown(rep)
    assert "| # | variant | merchants | corsairs |" in text and "baseline" in text


def test_html_variants_table_fits_the_page(tmp_path: Path) -> None:
    """A grid variant's name only repeats its values: the HTML's first table gives the values
    in one column per path (breakable at each dot) and short criteria heads, explained under
    it; named variants keep their name column."""
    from wargame.report.sweep import to_html

    grid, _ = sweep_of(write(tmp_path, SPEC))
    page = to_html(grid)
    first = page.split("<table>")[1].split("</table>")[0]
    heads = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", first)
    assert heads == [
        "#",
        "raid<wbr>.cost",
        "roles<wbr>.merchants<wbr>.income<wbr>.base",
        "roles in band",
        "cards played",
        "no big lift",
        "distance",
    ]
    assert "1 (baseline)" in first or "(baseline)</td>" in first
    assert "raid.cost=" not in first
    assert "<b>no big lift</b>: no card&#x27;s lift wholly above +15 points" in page
    named = SPEC.replace("vary:\n  raid.cost: [1, 2]\n  roles.merchants.income.base: [2, 4]\n", "")
    named += "variants:\n  - {name: dear-raids, set: {raid.cost: 2}}\n"
    rep, _ = sweep_of(write(tmp_path, named, "named.yaml"))
    first = to_html(rep).split("<table>")[1].split("</table>")[0]
    assert "<th>variant</th>" in first and "<td>dear-raids</td>" in first


# ---------------------------------------------------------------------- the command


def test_cli_json_is_the_same_for_any_workers_and_writes_html(tmp_path: Path) -> None:
    path = write(tmp_path, SPEC)
    html = tmp_path / "sweep.html"
    a = cli(str(path), "-j", "1", "--json", "-q")
    b = cli(str(path), "-j", "2", "--json", "-q", "--html", str(html))
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert a.stdout == b.stdout
    page = html.read_text()
    assert page.count("<svg") == 2 and "http" not in page.split("<svg")[0]
    md = cli(str(path), "-q")
    assert md.returncode == 0 and "## Closest to the criteria" in md.stdout


def test_cli_bad_spec_is_a_message_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, SPEC.replace("raid.cost", "raid.cots"))
    out = cli(str(path))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"{path}:6:3: raid has no field 'cots'" in out.stderr
    missing = cli(str(tmp_path / "nothing.yaml"))
    assert missing.returncode == 1 and "no sweep spec" in missing.stderr


def test_a_scenario_folders_sweeps_are_not_read_as_decks(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    (folder / "sweeps").mkdir()
    write(folder / "sweeps", SPEC.replace(str(MINI), ".."), "try.yaml")
    assert load_scenario(folder) == load_scenario(MINI)
    out = cli(str(folder / "sweeps" / "try.yaml"), "-q", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["scenario"] == "mini-archipelago"


def test_cli_ctrl_c_reports_what_every_variant_finished(tmp_path: Path) -> None:
    import os
    import signal
    import time

    path = write(tmp_path, SPEC.replace("games: 24", "games: 100000"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "wargame", "sweep", str(path), "-j", "2", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    time.sleep(6)
    os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    data = json.loads(out)
    assert data["interrupted"] and 0 < data["games"] < 100000
    assert {v["games"] for v in data["variants"]} == {data["games"]}
