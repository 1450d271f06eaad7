"""Saves from anywhere (issue 15, items 6-9): each bad input the journal can never have written is
refused as the save's fault, naming the file, the line and the reason, in bounded time; a torn
tail is a torn tail whatever byte it stops on; a forged chance outcome and a broken seal are
caught. One case per kind of bad input, each built from a real save."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import MINI, ROOT, tables_for

from wargame import journal, records, savefile
from wargame.actions import Chance, Note, action_from_dict
from wargame.autoplay import bot_turns, make_bots
from wargame.commands.common import latest_journal
from wargame.engine import Session
from wargame.errors import JournalError
from wargame.facilitation.launch import latest_save, list_saves
from wargame.seats import parse_seats

KEY = b"a facilitator's key, kept off the save"


def _game(saves: Path, *, seal_key: bytes | None = None, seed: int = 3) -> Path:
    """A whole bot game on the mini scenario, with notes holding multi-byte text."""
    t = tables_for(MINI)
    seats = parse_seats("all=random", t)
    session, writer = journal.start(
        t, seed=seed, seats=seats, facilitated=False, saves=saves, seal_key=seal_key
    )
    assert writer is not None
    bots = make_bots(session, seats)
    session.step(Note("the “first” move — café"))
    while not session.over:
        bot_turns(session, bots, limit=1)
    session.step(Note("a last word: déjà vu “again”"))
    writer.close()
    return writer.path


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return _game(tmp_path_factory.mktemp("master")).read_bytes()


@pytest.fixture
def save(tmp_path: Path, master: bytes) -> Path:
    p = tmp_path / "game.jsonl"
    p.write_bytes(master)
    return p


def _lines(p: Path) -> list[bytes]:
    return p.read_bytes().split(b"\n")[:-1]


def _write(p: Path, lines: list[bytes]) -> None:
    p.write_bytes(b"".join(x + b"\n" for x in lines))


def _refused(path: Path, line: int, phrase: str) -> None:
    start = time.monotonic()
    with pytest.raises(JournalError) as exc:
        journal.load(path, narrate=False)
    assert time.monotonic() - start < 2
    problem = exc.value.problem
    assert problem.file == str(path)
    assert (problem.line, phrase in problem.reason) == (line, True), problem.format()


def _rechain(
    lines: list[bytes], edit: Callable[[int, dict], dict | None], errors: str = "surrogatepass"
) -> list[bytes]:
    """Edit records and recompute every hash after, as a forger without a key would."""
    out = [lines[0]]
    prev = json.loads(lines[0])["hash"]
    for i, raw in enumerate(lines[1:], start=2):
        rec = json.loads(raw)
        rec = edit(i, rec) or rec
        rec["prev"] = prev
        body = {k: v for k, v in rec.items() if k not in ("hash", "seal")}
        text = records._canon(body).encode("utf-8", "surrogatepass")
        rec["hash"] = hashlib.blake2b(text, digest_size=16).hexdigest()
        prev = rec["hash"]
        out.append(records._canon(rec).encode("utf-8", errors))
    return out


# ---------------------------------------------------------------------- item 6: bytes and tails


def test_invalid_utf8_is_reported_at_its_line(save: Path) -> None:
    lines = _lines(save)
    lines[9] = lines[9].replace(b'"seq"', b'"s\xffq"', 1)
    _write(save, lines)
    _refused(save, 10, "not UTF-8")


def test_torn_tail_inside_a_multibyte_character_resumes(save: Path) -> None:
    data = save.read_bytes()
    cut = data.rindex("é".encode()) + 1  # the last record stops inside the “é”
    total = data.count(b"\n") - 1
    save.write_bytes(data[:cut])
    loaded = journal.load(save)
    assert loaded.truncated is not None and loaded.records == total - 1
    res = subprocess.run(
        [sys.executable, "-m", "wargame", "verify", str(save)], capture_output=True, text=True
    )
    assert res.returncode == 0 and "incomplete" in res.stderr, res.stderr
    again, writer = journal.resume(save)
    writer.append(Note("after the crash"), again.session.state)
    writer.close()
    whole = journal.load(save)
    assert whole.truncated is None and whole.records == total


def test_whole_last_record_without_its_line_end_continues(save: Path) -> None:
    save.write_bytes(save.read_bytes()[:-1])
    total = save.read_bytes().count(b"\n")
    loaded, writer = journal.resume(save)
    assert loaded.records == total and loaded.truncated is None
    writer.append(Note("next"), loaded.session.state)
    writer.close()
    assert journal.load(save).records == total + 1


def test_partial_header_is_never_offered_as_a_save(tmp_path: Path, master: bytes) -> None:
    good = tmp_path / "20200101-000000-good.jsonl"
    good.write_bytes(master)
    partial = tmp_path / "20300101-000000-partial.jsonl"
    partial.write_bytes(master[:5000])
    os.utime(good, (1, 1))  # the partial one is the most recent
    _refused(partial, 1, "header is incomplete")
    assert latest_journal(tmp_path) == good
    assert latest_save(tmp_path) == good
    listed = {s.path: s for s in list_saves(tmp_path)}
    assert listed[partial].problem and not listed[good].problem


# ---------------------------------------------------------------------- item 7: unbounded input


def _in_thread(fn: Callable[[], object], seconds: float = 5) -> object:
    out: list[object] = []
    th = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    th.start()
    th.join(seconds)
    assert not th.is_alive(), "blocked"
    return out[0] if out else None


def test_fifo_is_refused_without_blocking(tmp_path: Path, master: bytes) -> None:
    fifo = tmp_path / "zz-pipe.jsonl"
    os.mkfifo(fifo)
    (tmp_path / "a.jsonl").write_bytes(master)
    _in_thread(lambda: _refused(fifo, 0, "named pipe"))
    listed = _in_thread(lambda: [s.path for s in list_saves(tmp_path)])
    assert listed == [tmp_path / "a.jsonl"]
    assert _in_thread(lambda: latest_journal(tmp_path)) == tmp_path / "a.jsonl"
    res = subprocess.run(
        [sys.executable, "-m", "wargame", "verify", "--saves", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 1 and f"{fifo}:0: this is a named pipe" in res.stderr


def test_device_is_refused(tmp_path: Path) -> None:
    _refused(Path("/dev/zero"), 0, "a device")


def test_huge_line_is_refused_at_its_line(save: Path) -> None:
    lines = _lines(save)
    lines[4] = lines[4][:-1] + b',"x":"' + b"a" * (savefile.MAX_RECORD_BYTES + 10) + b'"}'
    _write(save, lines)
    _refused(save, 5, "bytes long")


def test_huge_file_is_refused_without_reading_it_all(save: Path) -> None:
    with open(save, "ab") as fh:
        fh.truncate(savefile.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    _refused(save, len(_lines(save)) + 1, "larger than")


def test_deep_nesting_is_refused(save: Path) -> None:
    lines = _lines(save)
    lines[6] = b"[" * 20000 + b"]" * 20000
    _write(save, lines)
    _refused(save, 7, "nested")
    lines[6] = b'{"a":' + b"[" * 100 + b"]" * 100 + b"}"
    _write(save, lines)
    _refused(save, 7, "nested")


def test_lone_surrogate_is_refused(save: Path) -> None:
    def note(i: int, rec: dict) -> dict | None:
        if rec["action"]["type"] == "note":
            rec["action"]["text"] = "x\ud800y"
            return rec
        return None

    first_note = next(i for i, raw in enumerate(_lines(save)) if i and b'"note"' in raw) + 1
    lines = _lines(save)
    _write(save, _rechain(lines, note, "backslashreplace"))  # written as the escape \ud800
    _refused(save, first_note, "lone surrogate")
    _write(save, _rechain(lines, note, "surrogatepass"))  # its three bytes, not UTF-8
    _refused(save, first_note, "not UTF-8")


def test_nan_is_refused(save: Path) -> None:
    lines = _lines(save)
    lines[3] = lines[3].replace(b'"seq":3', b'"seq":NaN')
    _write(save, lines)
    _refused(save, 4, "NaN")


# ---------------------------------------------------------------------- item 8: one form only


def test_duplicate_keys_are_refused(save: Path) -> None:
    lines = _lines(save)
    lines[2] = lines[2].replace(b'"seq":2', b'"seq":999,"seq":2')
    _write(save, lines)
    _refused(save, 3, "appears twice")


def test_non_canonical_record_is_refused(save: Path) -> None:
    lines = _lines(save)
    lines[2] = json.dumps(json.loads(lines[2])).encode()  # same object, other spacing
    _write(save, lines)
    _refused(save, 3, "not in the form the journal writes")


# ---------------------------------------------------------------------- item 9: forgery


def _forge_first_roll(save: Path) -> int:
    """A fully consistent journal whose first roll is flipped: every hash and state digest is
    recomputed by replaying through the engine."""
    loaded = journal.load(save)
    header = loaded.header
    actions = [s.action for s in loaded.session.steps]
    at = next(
        i for i, a in enumerate(actions) if isinstance(a, Chance) and isinstance(a.outcome, str)
    )
    flipped = "failure" if actions[at] == Chance("success") else "success"
    out = save.with_name("forged.jsonl")
    writer = journal.JournalWriter(out, header)
    session = journal.build_session(header, loaded.session.tables)
    session.sink = writer
    for i, a in enumerate(actions):
        action = Chance(flipped) if i == at else a
        try:
            session.step(action)
        except Exception:
            break  # the game took another course after the flip: the forgery ends here
    writer.close()
    os.replace(out, save)
    return at + 2


def test_forged_roll_is_caught_by_redrawing(save: Path) -> None:
    line = _forge_first_roll(save)
    _refused(save, line, "the save's seed draws")


def test_simulated_games_journals_verify(tmp_path: Path) -> None:
    """`wargame simulate --journals` draws from one stream per game; verify re-draws it."""
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "wargame",
            "simulate",
            "--scenario",
            str(MINI),
            "--games",
            "2",
            "--seed",
            "5",
            "--journals",
            str(tmp_path),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert res.returncode == 0, res.stderr
    for p in sorted(tmp_path.glob("*.jsonl")):
        journal.load(p, narrate=False)


def test_seal(tmp_path: Path) -> None:
    sealed = _game(tmp_path / "s", seal_key=KEY)
    loaded = journal.load(sealed, seal_key=KEY)
    assert loaded.seal_checked and loaded.header.sealed == savefile.seal_id(KEY)
    journal.load(sealed)  # readable without the key (the chain is still checked)
    with pytest.raises(JournalError, match="another key"):
        journal.load(sealed, seal_key=b"x" * 32)
    plain = _game(tmp_path / "p")
    with pytest.raises(JournalError, match="not sealed"):
        journal.load(plain, seal_key=KEY)
    # A forger without the key rewrites a note and every hash after it: the chain holds, the
    # seal does not.
    lines = _lines(sealed)
    target = next(i for i, raw in enumerate(lines) if i and b'"note"' in raw)

    def edit(i: int, rec: dict) -> dict | None:
        if i == target + 1:
            rec["action"]["text"] = "something else"
        return rec

    _write(sealed, _rechain(lines, edit))
    journal.load(sealed)
    with pytest.raises(JournalError) as exc:
        journal.load(sealed, seal_key=KEY)
    assert exc.value.problem.line == target + 1 and "seal" in exc.value.problem.reason
    # Continuing needs the key; with it, the new records are sealed too.
    good = _game(tmp_path / "g", seal_key=KEY)
    with pytest.raises(JournalError, match="sealed"):
        journal.resume(good)
    again, writer = journal.resume(good, seal_key=KEY)
    writer.append(Note("later"), again.session.state)
    writer.close()
    assert journal.load(good, seal_key=KEY).records == again.records + 1


# ---------------------------------------------------------------------- salvage


def test_salvage_opens_the_intact_prefix(save: Path) -> None:
    lines = _lines(save)
    rec = json.loads(lines[9])
    rec["time"] = "edited"
    lines[9] = records._canon(rec).encode()
    _write(save, lines)
    _refused(save, 10, "edited")
    loaded = journal.load(save, salvage=True)
    assert loaded.records == 8 and loaded.problem is not None
    assert loaded.problem.startswith("line 10: ") and "edited" in loaded.problem
    assert action_from_dict(json.loads(lines[8])["action"]) == loaded.session.steps[7].action
    assert journal.load(save.with_name("game.jsonl"), salvage=True).problem is not None
    fresh = save.with_name("fresh.jsonl")
    fresh.write_bytes(b"".join(x + b"\n" for x in lines[:9]))
    assert journal.load(fresh, salvage=True).problem is None


def test_session_unaffected_by_reader(save: Path) -> None:
    """The checks cost little: verifying the mini game stays fast."""
    start = time.monotonic()
    loaded = journal.load(save, narrate=False)
    assert isinstance(loaded.session, Session)
    assert time.monotonic() - start < 2
