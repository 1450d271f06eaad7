"""Exit statuses (issue 15, item 11): 0 done, 1 a problem in the user's file, 2 the command line,
70 only for a real bug — and then a crash report (traceback, version, command line; no local
variables) is written to a file whose path is printed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wargame import __version__
from wargame.cli import main
from wargame.commands import verify

SECRET = "hidden-orders-of-team-red"


def test_usage_error_is_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--no-such-option"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_a_broken_save_is_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"engine":"0.1.0","format":"wargame-journal"\n\xff\n')
    assert main(["verify", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:1:" in err and "internal error" not in err


def test_a_bug_is_70_with_a_crash_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        orders = SECRET  # a local variable the report must not carry
        return len(orders) // 0

    monkeypatch.setattr(verify, "run", broken)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert main(["verify", "some.jsonl"]) == 70
    err = capsys.readouterr().err
    assert "This is a bug in wargame" in err and "Traceback" not in err
    m = re.search(r"is in (\S+\.log)", err)
    assert m, err
    report = Path(m.group(1))
    assert report.parent == tmp_path / "state" / "wargame" / "crashes"
    text = report.read_text(encoding="utf-8")
    assert f"wargame: {__version__}" in text
    assert "argv: ['wargame', 'verify', 'some.jsonl']" in text
    assert "ZeroDivisionError" in text and "in broken" in text
    assert SECRET not in text  # the frames' lines, never their variables' values
