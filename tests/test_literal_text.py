"""The second wall (issue 15, item 2): whatever text a save carries — a note, a rationale, a
team's name, typed here or in a save made elsewhere — every shell shows it as typed: Rich markup
is not interpreted (`[red]x[/red]` shows as typed) and no escape reaches the terminal (`\\x1b[2J`
shows as its escape)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import MINI, tables_for
from rich.segment import Segment
from test_tui_fixture import screen_text, settle
from textual.color import Color

from wargame import journal
from wargame.actions import Note
from wargame.facilitation.launch import Options
from wargame.seats import parse_seats
from wargame.tui.app import WargameApp
from wargame.tui.render import ControlFilter, plain

HOSTILE = "[red]x[/red] \x1b[2J\x1b]0;PWNED\x07 \u202eevil"


def _save_with_hostile_text(saves: Path) -> Path:
    t = tables_for(MINI)
    seats = parse_seats(",".join(f"{r.id}=human:[bold]Red{r.index}" for r in t.roles), t)
    session, writer = journal.start(t, seed=4, seats=seats, facilitated=True, saves=saves)
    assert writer is not None
    session.step(Note(HOSTILE))
    writer.close()
    return writer.path


def test_plain_shows_markup_and_escapes_as_typed() -> None:
    assert plain(HOSTILE).plain == "[red]x[/red] \\x1b[2J\\x1b]0;PWNED\\x07 \\u202eevil"


def test_control_filter_never_lets_an_escape_through() -> None:
    line = [Segment("ab\x1b[2Jcd"), Segment("  ")]
    out = ControlFilter().apply(line, Color(0, 0, 0))
    text = "".join(s.text for s in out)
    assert "\x1b" not in text and "␛[2J" in text
    assert Segment.get_line_length(out) == Segment.get_line_length(line)


async def test_tui_shows_a_saves_text_literally(tmp_path: Path) -> None:
    path = _save_with_hostile_text(tmp_path / "saves")
    app = WargameApp(Options(saves=tmp_path / "saves", resume=str(path), timer=0, key_hold=0.0))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "Note (White Cell): [red]x[/red] \\x1b[2J\\x1b]0;PWNED\\x07 \\u202eevil" in text
        assert "Team [bold]Red" in text
        assert not any(ch in text for ch in "\x1b\x07\u202e")


def test_replay_prints_a_saves_text_literally(tmp_path: Path) -> None:
    path = _save_with_hostile_text(tmp_path / "saves")
    res = subprocess.run(
        [sys.executable, "-m", "wargame", "replay", "--text", str(path)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert "Note (White Cell): [red]x[/red] \\x1b[2J\\x1b]0;PWNED\\x07 \\u202eevil" in res.stdout
    assert not any(ch in res.stdout + res.stderr for ch in "\x1b\x07\u202e")


def test_a_save_whose_scenario_carries_an_escape_is_refused(tmp_path: Path) -> None:
    """The embedded scenario is held to the deck rules: a save made elsewhere cannot carry a
    title that drives the terminal, even with every hash recomputed."""
    t = tables_for(MINI)
    dump = t.scenario.model_dump(mode="json")
    dump["title"] = "Mini\x1b[2J"
    header = journal.Header(
        scenario=dump,
        seed=1,
        seats=parse_seats("all=random", t),
        present=[True] * len(t.roles),
        facilitated=False,
    )
    path = tmp_path / "x.jsonl"
    journal.JournalWriter(path, header).close()
    try:
        journal.load(path)
    except journal.JournalError as exc:
        assert exc.problem.line == 1 and "`title`" in exc.problem.reason
        assert "U+001B" in exc.problem.reason
    else:
        raise AssertionError("loaded")
