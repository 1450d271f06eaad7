"""I/O faults (issue 15, item 10): a full disk (ENOSPC), a failing disk (EIO), a refused
permission (EACCES) or a read-only disk (EROFS) at each write, fsync, link, replace and open the
journal and `wargame.atomic` make. Each is reported naming the file, the game goes on in
memory, saving resumes when the disk takes it, nothing already written is harmed, and the
command line says it in one line with exit 1 (never 70)."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import MINI, tables_for

from wargame import atomic, journal, records
from wargame.actions import Note
from wargame.autoplay import bot_turns, make_bots
from wargame.cli import main
from wargame.seats import parse_seats

ERRORS = {
    errno.ENOSPC: "the disk is full",
    errno.EIO: "input/output error",
    errno.EACCES: "permission denied",
    errno.EROFS: "the disk is read-only",
}


class FaultyOS:
    """`os` as the journal and `wargame.atomic` see it, with `func` (or each of `a+b`)
    failing with `code` on calls `first` to `first + times - 1`, counted while `armed`."""

    def __init__(self, func: str, code: int, first: int, times: int = 3) -> None:
        self.funcs = set(func.split("+"))
        self.code, self.first, self.times = code, first, times
        self.calls = 0
        self.armed = False
        self.failed = 0

    def __getattr__(self, name: str) -> Any:
        real = getattr(os, name)
        if name not in self.funcs:
            return real

        def faulty(*args: Any, **kwargs: Any) -> Any:
            if self.armed:
                self.calls += 1
                if self.first <= self.calls < self.first + self.times:
                    self.failed += 1
                    raise OSError(self.code, os.strerror(self.code))
            return real(*args, **kwargs)

        return faulty


def _install(monkeypatch: pytest.MonkeyPatch, fault: FaultyOS) -> None:
    monkeypatch.setattr(records, "os", fault)
    monkeypatch.setattr(atomic, "os", fault)


@pytest.mark.parametrize("code", sorted(ERRORS))
@pytest.mark.parametrize(
    ("func", "during"),
    [
        ("open", "start"),  # the header's temporary file
        ("write", "start"),
        ("fsync", "start"),
        ("link", "start"),  # the header taking its name
        ("write", "play"),  # a record
        ("fsync", "play"),
        ("ftruncate", "play"),  # cutting a failed write back (with the write failing too)
    ],
)
def test_fault_at_each_call_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, func: str, during: str, code: int
) -> None:
    t = tables_for(MINI)
    seats = parse_seats("all=random", t)
    if during == "start":  # failing until the game is under way
        fault = FaultyOS(func, code, first=1, times=10**9)
    elif func == "ftruncate":  # a cut is only tried after a failed write: both fail
        fault = FaultyOS("write+ftruncate", code, first=7, times=4)
    else:
        fault = FaultyOS(func, code, first=7)
    _install(monkeypatch, fault)
    saves = tmp_path / "saves"
    fault.armed = during == "start"
    session, writer = journal.start(t, seed=2, seats=seats, facilitated=False, saves=saves)
    assert writer is not None
    if during == "start":
        assert writer.problem is not None and fault.failed
        assert str(writer.path) in writer.problem and ERRORS[code] in writer.problem
        assert not writer.path.exists()  # never a partial header
        fault.times = fault.calls  # the disk takes writes again from now on
    else:
        assert writer.saved
    bots = make_bots(session, seats)
    fault.armed = True
    before = writer.path.read_bytes() if writer.path.exists() else b""
    problems: set[str] = set()
    session.listeners.append(lambda _step: problems.add(writer.problem or ""))
    while not session.over:
        bot_turns(session, bots, limit=1)  # never raises: the game goes on in memory
    assert fault.failed, "the fault never fired"
    assert any(str(writer.path) in p and ERRORS[code] in p for p in problems) or during == "start"
    session.step(Note("the end"))
    writer.close()
    assert writer.problem is None  # the disk took it in the end
    after = writer.path.read_bytes()
    assert after.startswith(before)  # nothing already written was harmed
    loaded = journal.load(writer.path, narrate=False)
    assert loaded.records == len(session.steps) and loaded.truncated is None
    assert loaded.session.state.digest() == session.state.digest()
    assert not list(saves.glob(".*.tmp"))


def test_atomic_write_keeps_the_old_file_when_replace_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "bookmarks.json"
    target.write_bytes(b"old")
    for code in ERRORS:
        for func in ("write", "fsync", "replace", "open"):
            fault = FaultyOS(func, code, first=1, times=1)
            fault.armed = True
            monkeypatch.setattr(atomic, "os", fault)
            with pytest.raises(OSError):
                atomic.write(target, b"new")
            assert target.read_bytes() == b"old"
            assert [p.name for p in tmp_path.iterdir()] == ["bookmarks.json"]
    monkeypatch.setattr(atomic, "os", os)
    atomic.write(target, b"new")
    assert target.read_bytes() == b"new"


def test_stale_temporary_files_are_swept(tmp_path: Path) -> None:
    dead = tmp_path / ".x.jsonl.999999999.0123abcd.tmp"  # no such process
    dead.write_bytes(b"half")
    mine = tmp_path / f".y.jsonl.{os.getpid()}.0123abcd.tmp"
    mine.write_bytes(b"being written")
    old = tmp_path / f".z.jsonl.{os.getpid()}.89abcdef.tmp"
    old.write_bytes(b"")
    os.utime(old, (time.time() - 2 * atomic.STALE_AFTER,) * 2)
    other = tmp_path / "notes.tmp"
    other.write_bytes(b"not ours")
    assert sorted(atomic.sweep(tmp_path)) == sorted([dead, old])
    assert mine.exists() and other.exists()


def test_cli_full_disk_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fault = FaultyOS("write", errno.ENOSPC, first=1, times=10**9)
    fault.armed = True
    _install(monkeypatch, fault)
    rc = main(
        ["play", "--headless", "--scenario", str(MINI), "--bots", "all=random", "--saves",
         str(tmp_path / "saves")]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert rc == 1
    lines = [line for line in err.splitlines() if line]
    assert all(line.startswith("wargame: cannot save to ") for line in lines), err
    assert "the disk is full" in lines[-1] and "not saved whole" in lines[-1]
    assert "Traceback" not in err and "internal error" not in err


@pytest.mark.parametrize("where", ["file", "under-file"])
def test_cli_saves_pointing_at_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    f = tmp_path / "a-file"
    f.write_text("x")
    saves = f if where == "file" else f / "saves"
    rc = main(["play", "--headless", "--scenario", str(MINI), "--saves", str(saves)])
    err = capsys.readouterr().err
    assert rc == 1 and str(f) in err and len(err.strip().splitlines()) == 1, err


def test_cli_read_only_save_cannot_be_continued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    t = tables_for(MINI)
    _, writer = journal.start(
        t, seed=1, seats=parse_seats("all=random", t), facilitated=False, saves=tmp_path
    )
    assert writer is not None
    writer.close()
    fault = FaultyOS("open", errno.EROFS, first=1, times=10**9)
    fault.armed = True
    _install(monkeypatch, fault)
    rc = main(["play", "--headless", "--continue", str(writer.path), "--saves", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 1 and "the disk is read-only" in err and str(writer.path) in err, err
    assert len(err.strip().splitlines()) == 1


async def test_tui_says_on_screen_when_saving_stops_and_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk at the start of a game: the room says NOT SAVED and names the file, the
    game goes on, and once the disk takes writes again the next action saves everything."""
    from test_tui_fixture import press, screen_text, settle

    from wargame.facilitation.launch import Options
    from wargame.tui.app import WargameApp
    from wargame.tui.screens.resolution import ResolutionScreen
    from wargame.tui.screens.room import RoomScreen

    fault = FaultyOS("write", errno.ENOSPC, first=1, times=10**9)
    fault.armed = True
    _install(monkeypatch, fault)
    saves = tmp_path / "saves"
    app = WargameApp(
        Options(
            scenario=MINI,
            seed=3,
            saves=saves,
            timer=0,
            bots="merchants=human,corsairs=random",
            key_hold=0.0,
        )
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "ctrl+y")
        # Said on whatever screen comes first, and kept in sight while it lasts.
        assert "NOT SAVED (the disk is full): retrying" in screen_text(app)
        while isinstance(app.screen, ResolutionScreen):  # the first turn's event roll
            await press(app, pilot, "enter")
        assert isinstance(app.screen, RoomScreen)
        text = screen_text(app)
        assert "NOT SAVED (the disk is full): retrying" in text, text
        assert "Traceback" not in text
        game = app.game
        assert game is not None and game.save_problem is not None
        fault.armed = False  # the disk has room again
        game.note("room on the disk again")
        await settle(app, pilot)
        text = screen_text(app)
        assert f"✓ saved ({len(game.session.steps)})" in text, text
        path = game.path
    assert path is not None
    loaded = journal.load(path, narrate=False)
    assert loaded.records == len(game.session.steps)


def test_header_written_then_open_refused_catches_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header took its name but the file could not be opened to append: the next try
    opens it (it does not try to create it again), and closing twice is harmless."""
    t = tables_for(MINI)
    fault = FaultyOS("open", errno.EIO, first=2, times=1)  # 1: the temporary file, 2: the save
    fault.armed = True
    _install(monkeypatch, fault)
    session, writer = journal.start(
        t, seed=2, seats=parse_seats("all=random", t), facilitated=False, saves=tmp_path
    )
    assert writer is not None and fault.failed == 1
    session.step(Note("x"))
    assert writer.saved
    writer.close()
    writer.close()
    assert journal.load(writer.path).records == len(session.steps)
