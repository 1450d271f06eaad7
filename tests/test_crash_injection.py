"""Crash injection (issue 15): a bot game in a subprocess is killed with SIGKILL at a random
moment; every action it acknowledged (its record written and fsync'd) is in the save afterwards,
the save loads, and the journal continues from it. Then the same save is cut at a random byte of
its last record, as a torn write would leave it, and still loads and continues.

10 kills in the default run; `make test-slow` runs 200 (`-m slow`).

Run as a script, this module is the harness: it plays bot games on the mini scenario into the
folder given, printing `ACK seq hash` once each record is durable.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _harness(saves: Path, seed: int) -> None:
    sys.path.insert(0, str(HERE))
    from helpers import MINI, tables_for

    from wargame import journal
    from wargame.autoplay import bot_turns, make_bots
    from wargame.seats import parse_seats

    t = tables_for(MINI)
    seats = parse_seats("all=random", t)
    print("START", flush=True)
    while True:  # game after game, until killed
        session, writer = journal.start(t, seed=seed, seats=seats, facilitated=False, saves=saves)
        assert writer is not None

        def ack(_step: object, writer: journal.JournalWriter = writer) -> None:
            if writer.saved:
                print(f"ACK {writer.path.name} {writer.seq} {writer.last_hash}", flush=True)

        session.listeners.append(ack)
        bots = make_bots(session, seats)
        while not session.over:
            bot_turns(session, bots, limit=1)
        writer.close()
        seed += 1


def _kill_at_random(saves: Path, rng: random.Random) -> list[tuple[str, int, str]]:
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), str(saves), str(rng.randrange(1000))],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=HERE.parent,
    )
    acks: list[tuple[str, int, str]] = []
    started = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("START"):
                started.set()
            elif line.startswith("ACK "):
                name, seq, digest = line.split()[1:]
                acks.append((name, int(seq), digest))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert started.wait(60), "the harness did not start"
    time.sleep(rng.uniform(0, 0.5))  # a mini game takes a few tens of milliseconds
    seen = len(acks)  # what was acknowledged before the kill
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(10)
    return acks[:seen]


def _check(saves: Path, acks: list[tuple[str, int, str]], rng: random.Random) -> None:
    from wargame import journal
    from wargame.actions import Note

    # No save is ever left with a partial header (a new save's header appears whole).
    files = sorted(saves.glob("*.jsonl"))
    for p in files:
        head = p.read_bytes().split(b"\n", 1)
        assert len(head) == 2, f"{p.name}: partial header"
    last: dict[str, tuple[int, str]] = {}
    for name, seq, digest in acks:
        last[name] = (seq, digest)
    for p in files:
        loaded = journal.load(p, narrate=False)
        if p.name in last:
            seq, digest = last[p.name]
            assert loaded.records >= seq, f"{p.name}: acknowledged record {seq} lost"
            assert _hash_at(p, seq) == digest
        loaded, writer = journal.resume(p)
        writer.append(Note("after the crash"), loaded.session.state)
        writer.close()
        assert journal.load(p, narrate=False).records == loaded.records + 1
    # A torn write: the newest save cut at a random byte of its last record.
    if files:
        p = files[-1]
        data = p.read_bytes()
        start = data.rstrip(b"\n").rfind(b"\n") + 1
        if start > 0 and data.count(b"\n") > 1:
            p.write_bytes(data[: rng.randrange(start, len(data))])
            before = data.count(b"\n") - 1
            cut = journal.load(p, narrate=False)
            assert cut.records in (before - 1, before)
            loaded, writer = journal.resume(p)
            writer.append(Note("after the cut"), loaded.session.state)
            writer.close()
            assert journal.load(p, narrate=False).records == cut.records + 1


def _hash_at(path: Path, seq: int) -> str:
    import json

    line = path.read_bytes().split(b"\n")[seq]
    return str(json.loads(line)["hash"])


def _run(tmp_path: Path, kills: int, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(kills):
        saves = tmp_path / f"run{i}"
        acks = _kill_at_random(saves, rng)
        _check(saves, acks, rng)


def test_sigkill_at_random_moments(tmp_path: Path) -> None:
    _run(tmp_path, 10, seed=15)


@pytest.mark.slow
def test_sigkill_at_random_moments_many(tmp_path: Path) -> None:
    _run(tmp_path, 200, seed=1515)


if __name__ == "__main__":
    os.chdir(HERE.parent)
    _harness(Path(sys.argv[1]), int(sys.argv[2]))
