"""docs/WRITING_A_SCENARIO.md builds a scenario from scratch: its files, put together as the
text says, validate, play, and fit the editor schema; what it says the validator reports
half-way is what the validator reports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.json_schema_check import errors
from wargame.cli import main
from wargame.schema.loader import load_scenario, load_scenario_report

DOC = Path(__file__).resolve().parents[1] / "docs" / "WRITING_A_SCENARIO.md"
BLOCK = re.compile(r"<!-- file: (?P<name>[\w./-]+) -->\n```yaml\n(?P<body>.*?)\n```", re.DOTALL)
HEADER = "# yaml-language-server: $schema="


def files() -> dict[str, str]:
    """Each file of the walk-through: its blocks in the order the text gives them."""
    found: dict[str, list[str]] = {}
    for match in BLOCK.finditer(DOC.read_text(encoding="utf-8")):
        found.setdefault(match["name"], []).append(match["body"])
    return {name: "\n\n".join(parts) + "\n" for name, parts in found.items()}


def write(root: Path, only: set[str] | None = None) -> Path:
    for name, text in files().items():
        if only is None or name in only:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
    return root


def test_the_walk_through_gives_a_scenario_and_four_decks() -> None:
    assert sorted(files()) == [
        "cards/east.yaml",
        "cards/events.yaml",
        "cards/shore.yaml",
        "cards/west.yaml",
        "scenario.yaml",
    ]


def test_half_way_the_validator_asks_for_the_decks_as_the_text_says(tmp_path: Path) -> None:
    root = write(tmp_path / "lake", {"scenario.yaml"})
    report = load_scenario_report(root)
    assert [p.message.split(",")[0] for p in report.problems] == [
        f"role `{role}` plays deck `{role}`" for role in ("east", "west", "shore")
    ]
    assert all("no deck file declares" in p.message for p in report.problems)
    assert "no deck file declares `deck: east`" in DOC.read_text(encoding="utf-8")


def test_the_finished_scenario_validates_and_plays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write(tmp_path / "lake")
    scenario = load_scenario(root)
    assert (scenario.id, len(scenario.roles), len(scenario.countries)) == ("lake-compact", 3, 4)
    assert main(["validate", str(root)]) == 0
    assert "lake: ok — scenario lake-compact: 3 roles, 4 countries" in capsys.readouterr().out
    saves = tmp_path / "saves"
    played = ["play", "--headless", "--scenario", str(root), "--bots", "all=greedy"]
    assert main([*played, "--saves", str(saves), "--seed", "1"]) == 0
    assert "Game over" in capsys.readouterr().out
    assert main(["verify", str(next(saves.glob("*.jsonl")))]) == 0


def test_the_files_fit_the_schema_their_header_names(tmp_path: Path) -> None:
    root = write(tmp_path / "lake")
    assert main(["schema", "-o", str(root / "schema")]) == 0
    for name in files():
        path = root / name
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(HEADER), name
        schema = json.loads((path.parent / first.removeprefix(HEADER)).read_text())
        assert errors(schema, yaml.safe_load(path.read_text(encoding="utf-8"))) == [], name
