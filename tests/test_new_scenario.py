"""`wargame new DIR`: a starter scenario that validates, plays and is checked by editors as
written, and that never overwrites anything."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.json_schema_check import errors
from wargame.cli import main
from wargame.schema.loader import load_scenario

HEADER = "# yaml-language-server: $schema="


def wargame(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "wargame", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_new_validate_and_play_headless_all_exit_zero(tmp_path: Path) -> None:
    made = wargame("new", "harbour", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "validate harbour" in made.stdout
    checked = wargame("validate", "harbour", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.startswith("harbour: ok — scenario harbour: 3 roles")
    played = wargame(
        "play", "--headless", "--scenario", "harbour", "--saves", "saves", "--seed", "5",
        cwd=tmp_path,
    )  # fmt: skip
    assert played.returncode == 0, played.stderr
    assert "Game over" in played.stdout
    saves = list((tmp_path / "saves").glob("*.jsonl"))
    assert len(saves) == 1
    assert wargame("verify", saves[0], cwd=tmp_path).returncode == 0


def test_the_starter_uses_every_sort_of_card_and_most_of_the_language(tmp_path: Path) -> None:
    assert main(["new", str(tmp_path / "s")]) == 0
    scenario = load_scenario(tmp_path / "s")
    assert len(scenario.roles) >= 3 and any(r.power is None for r in scenario.roles)
    assert len(scenario.countries) >= 4 and scenario.institutions and scenario.tracks
    cards = [card for _, card in scenario.cards()]
    assert any(c.target is not None for c in cards)
    assert any(c.roll is not None for c in cards)
    assert any(c.requires for c in cards)
    assert any(c.once for c in cards)
    assert any(c.inject_only for c in cards)
    assert any(deck.owner == "events" for deck in scenario.decks)
    kinds = {e.kind for c in cards for e in (*c.on_play, *c.on_success, *c.on_failure)}
    assert len(kinds) >= 11, kinds


def test_every_starter_file_points_its_editor_at_a_schema_that_accepts_it(tmp_path: Path) -> None:
    root = tmp_path / "s"
    assert main(["new", str(root)]) == 0
    files = sorted(root.rglob("*.yaml"))
    assert len(files) >= 5
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(HEADER), path
        schema_file = path.parent / first.removeprefix(HEADER)
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        assert errors(schema, yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path


def test_an_empty_folder_is_used_and_the_id_comes_from_its_name(tmp_path: Path) -> None:
    root = tmp_path / "My Pacific Game"
    root.mkdir()
    assert main(["new", str(root)]) == 0
    assert load_scenario(root).id == "my-pacific-game"


@pytest.mark.parametrize("what", ["a file", "a folder with something in it"])
def test_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str) -> None:
    root = tmp_path / "taken"
    if what == "a file":
        root.write_text("mine")
    else:
        root.mkdir()
        (root / "scenario.yaml").write_text("mine")
    assert main(["new", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "give a new or empty folder" in err
    if what == "a file":
        assert root.read_text() == "mine"
    else:
        assert [p.name for p in root.iterdir()] == ["scenario.yaml"]
        assert (root / "scenario.yaml").read_text() == "mine"
