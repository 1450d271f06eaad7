"""Random damage to real save files: the journal reader answers with its own error only.

Whatever bytes or lines are deleted, inserted or replaced in a real save (the format-1 fixture
and a fresh mini game), and whatever value a forger puts in a record or the header while
recomputing every hash after it, `journal.load` either succeeds or raises `JournalError` naming
the file and a line of it, in well under two seconds. Any other exception is a bug.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import MINI, ROOT, tables_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_deck_fuzz import byte_edit, line_edit, mutate

from wargame import journal, records
from wargame.autoplay import bot_turns, make_bots
from wargame.errors import JournalError
from wargame.seats import parse_seats

V1 = ROOT / "tests" / "fixtures" / "saves" / "v1-random-seed7.jsonl"

leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["\x1b[2J", "\ud800", "success", "failure", "order", "note", "\u202e"]),
)
value = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
forgery = st.tuples(st.just("forge"), st.floats(0, 1), st.floats(0, 1), value)


@pytest.fixture(scope="module")
def mini_save(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    t = tables_for(MINI)
    seats = parse_seats("all=random", t)
    saves = tmp_path_factory.mktemp("mini")
    session, writer = journal.start(t, seed=9, seats=seats, facilitated=False, saves=saves)
    assert writer is not None
    bots = make_bots(session, seats)
    while not session.over:
        bot_turns(session, bots, limit=1)
    writer.close()
    return writer.path.read_bytes()


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, (*prefix, i))
    return out


def forge(data: bytes, where: float, which: float, new: Any) -> bytes:
    """Put `new` somewhere in one line, then recompute that line's hash and every later
    line's chain, as a forger without a key can."""
    lines = data.split(b"\n")
    whole = [i for i, raw in enumerate(lines) if raw.strip()]
    i = whole[min(int(where * len(whole)), len(whole) - 1)]
    try:
        rec = json.loads(lines[i])
    except ValueError:
        return data
    spots = [p for p in _paths(rec) if p and p[0] not in ("hash", "prev")]
    if not spots:
        return data
    spot = spots[min(int(which * len(spots)), len(spots) - 1)]
    parent = rec
    for k in spot[:-1]:
        parent = parent[k]
    parent[spot[-1]] = new
    out = []
    prev = None
    for j, raw in enumerate(lines):
        if j < i or not raw.strip():
            out.append(raw)
            if j < i and raw.strip():
                try:
                    prev = json.loads(raw).get("hash")
                except (ValueError, AttributeError):
                    prev = None
            continue
        cur = rec if j == i else json.loads(raw)
        if j == 0:
            cur["hash"] = records._header_hash(cur)[0]
        else:
            cur["prev"] = prev
            cur["hash"] = records._hash(cur)
        prev = cur["hash"]
        out.append(records._canon(cur).encode("utf-8", "surrogatepass"))
    return b"\n".join(out)


@settings(
    max_examples=40,
    deadline=None,  # checked below as CPU time: a loaded machine stretches the wall clock
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    which=st.sampled_from(["v1", "mini"]),
    edits=st.lists(st.one_of(byte_edit, line_edit, forgery), min_size=1, max_size=3),
)
def test_damaged_real_saves_give_located_journal_errors(
    tmp_path: Path, mini_save: bytes, which: str, edits: list[tuple[Any, ...]]
) -> None:
    data = V1.read_bytes() if which == "v1" else mini_save
    for edit in edits:
        if edit[0] == "forge":
            try:
                data = forge(data, edit[1], edit[2], edit[3])
            except (UnicodeEncodeError, ValueError, OverflowError, RecursionError):
                continue  # a value the forger cannot even write
        else:
            data = mutate(data, [edit])
    path = tmp_path / "damaged.jsonl"
    path.write_bytes(data)
    start = time.process_time()
    try:
        journal.load(path, narrate=False)
    except JournalError as exc:
        problem = exc.problem
        assert problem.file == str(path)
        assert 0 <= problem.line <= data.count(b"\n") + 1, problem
        assert problem.reason
        assert "\x1b" not in problem.format() and "\u202e" not in problem.format()
    assert time.process_time() - start < 2.0
