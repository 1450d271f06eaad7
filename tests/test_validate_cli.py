"""`wargame validate` as a user runs it: a subprocess, its output and its exit status.

Every run here must end without a Python traceback, whatever it is given.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
BAD = FIXTURES / "bad"
LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


def validate(
    *args: str | Path, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "wargame", "validate", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result


def broken_scenario(tmp_path: Path) -> Path:
    root = tmp_path / "broken"
    shutil.copytree(MINI, root)
    shutil.copytree(BAD / "unknown_field", root, dirs_exist_ok=True)
    shutil.copytree(BAD / "self_in_events", root, dirs_exist_ok=True)
    return root


def test_clean_scenario_exits_zero_with_a_summary() -> None:
    result = validate(MINI)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"{MINI}: ok — scenario mini-archipelago: 2 roles, 5 countries, 3 institutions, "
        "2 tracks; 14 cards in 3 decks (corsairs 4, events 6, merchants 4)"
    ]


def test_problems_as_file_line_column(tmp_path: Path) -> None:
    broken_scenario(tmp_path)
    result = validate("broken", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    located = [LOCATED.match(line) for line in lines[:-1]]
    assert all(located), lines
    assert [(m["file"], m["line"], m["col"]) for m in located if m] == [
        ("broken/cards/events.yaml", "10", "9"),
        ("broken/cards/events.yaml", "15", "5"),
        ("broken/cards/merchants.yaml", "10", "9"),
        ("broken/cards/merchants.yaml", "13", "9"),
    ]
    assert "unknown field `detla` (did you mean `delta`?) (cards[0].on_play[0].detla)" in lines[3]
    assert lines[-1].startswith("broken: 4 problems — scenario mini-archipelago")


def test_json_output(tmp_path: Path) -> None:
    root = broken_scenario(tmp_path)
    result = validate("--json", root, MINI)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert set(document) == {"ok", "problems", "summary"}
    assert len(document["problems"]) == 4
    first = document["problems"][2]
    assert set(first) == {"file", "line", "column", "path", "message"}
    assert first["file"] == str(root / "cards" / "merchants.yaml")
    assert (first["line"], first["column"]) == (10, 9)
    assert first["path"] == "cards[0].on_play[0].delta"
    assert document["summary"][str(MINI)]["cards"] == 14
    assert document["summary"][str(root)]["decks"][2] == {
        "file": str(root / "cards" / "merchants.yaml"),
        "deck": "merchants",
        "owner": "merchants",
        "cards": 1,
        "loaded": True,
    }


def test_json_clean() -> None:
    result = validate(MINI, "--json")
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert document["ok"] is True and document["problems"] == []


def test_odd_inputs_never_crash(tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_bytes(b"")
    (tmp_path / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    (tmp_path / "scalar.yaml").write_text("42\n")
    (tmp_path / "no_scenario").mkdir()
    (tmp_path / "no_scenario" / "deck.yaml").write_text("deck: x\n")
    (tmp_path / "evil.yaml").write_text("a: !!python/object/apply:os.system ['touch pwned']\n")
    names = [
        "missing",
        "empty.yaml",
        "binary.yaml",
        "list.yaml",
        "scalar.yaml",
        "no_scenario",
        "evil.yaml",
        "/dev/null",
    ]
    result = validate(*names, cwd=tmp_path)
    assert result.returncode == 1
    out = result.stdout
    for phrase in (
        "missing:1:1: no such file or folder",
        "empty.yaml:1:1: the file is empty",
        "binary.yaml:2:118: not UTF-8 text",
        "list.yaml:1:1: expected `key: value` lines at the top of the file, got a list",
        "scalar.yaml:1:1: expected `key: value` lines at the top of the file, got the number 42",
        "no_scenario:1:1: no scenario.yaml in this folder",
        "evil.yaml:1:4: tag `!!python/object/apply:os.system` is not allowed",
        "/dev/null:1:1: a device, not a regular file",
    ):
        assert phrase in out, out
    assert not (tmp_path / "pwned").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_nothing_blocks_on_a_fifo(tmp_path: Path) -> None:
    """A FIFO named like a deck, like the scenario, or given as the path: each is named as a
    problem at once (a blocked run would raise TimeoutExpired here)."""
    root = tmp_path / "piped"
    shutil.copytree(MINI, root)
    os.mkfifo(root / "cards" / "pipe.yaml")
    (root / "cards" / "folder.yaml").mkdir()
    os.mkfifo(tmp_path / "alone.yaml")
    result = validate("piped", "alone.yaml", cwd=tmp_path, timeout=20)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:3] == [
        "piped/cards/folder.yaml:1:1: a folder, not a deck file: rename it, or move its decks "
        "out of it",
        "piped/cards/pipe.yaml:1:1: a named pipe (FIFO), not a deck file: a deck is a regular "
        "`.yaml` file",
        "piped: 2 problems — scenario mini-archipelago: 2 roles, 5 countries, 3 institutions, "
        "2 tracks; 14 cards in 3 decks (corsairs 4, events 6, merchants 4)",
    ]
    assert "alone.yaml:1:1: a named pipe (FIFO), not a regular file" in result.stdout


def test_output_never_carries_terminal_escapes(tmp_path: Path) -> None:
    """Control and bidi characters a file holds (raw or as escapes) are refused with their
    line, and every line printed about them, summary included, shows them as escapes."""
    root = tmp_path / "escapes"
    shutil.copytree(MINI, root)
    deck = root / "cards" / "merchants.yaml"
    text = deck.read_text().replace("deck: merchants", 'deck: "\\e]0;PWNED\\a\\u202e"', 1)
    deck.write_text(text.replace("title: Trade mission", "title: Trade \u202emission", 1))
    for args in (["escapes"], ["--json", "escapes"]):
        result = validate(*args, cwd=tmp_path)
        assert result.returncode == 1
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", result.stdout)
    result = validate("escapes", cwd=tmp_path)
    assert "escapes/cards/merchants.yaml:1:8: character U+001B (escape) is not allowed" in (
        result.stdout
    )
    assert "escapes/cards/merchants.yaml:5:18: character U+202E" in result.stdout
    assert "\\x1b]0;PWNED\\x07\\u202e 4" in result.stdout.splitlines()[-1]


def test_unreadable_scenario(tmp_path: Path) -> None:
    root = tmp_path / "locked"
    shutil.copytree(MINI, root)
    (root / "scenario.yaml").chmod(0)
    try:
        result = validate(root)
    finally:
        (root / "scenario.yaml").chmod(0o644)
    # Root may read it anyway; either way no traceback and a truthful status.
    assert result.returncode in (0, 1)
    if result.returncode:
        assert "cannot read" in result.stdout


def test_no_paths_is_a_usage_error() -> None:
    result = validate()
    assert result.returncode == 2
    # One line: what is missing and where to read more (the project's form for usage errors).
    missing = "the following arguments are required: PATH"
    assert result.stderr.splitlines() == [
        f"wargame validate: {missing} (see wargame validate --help)"
    ]


def test_a_file_that_did_not_load_is_named_in_the_summary(tmp_path: Path) -> None:
    root = tmp_path / "colons"
    shutil.copytree(MINI, root)
    for name, old, new in (
        ("scenario.yaml", "title: The Archipelago Contest (test fixture)", "title: Isles: a war"),
        ("cards/merchants.yaml", "title: Trade mission\n", "title: Trade: the isles\n"),
    ):
        path = root / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = validate("colons", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        'colons/scenario.yaml:4:13: a value that holds ": " (a colon and a space) must be '
        'quoted: title: "Isles: a war"',
        'colons/cards/merchants.yaml:5:17: a value that holds ": " (a colon and a space) must '
        'be quoted: title: "Trade: the isles"',
        "colons: 2 problems — scenario.yaml did not load; 10 cards in 3 decks (corsairs 4, "
        "events 6, cards/merchants.yaml did not load)",
    ]
