"""Random damage to the real bundled deck files: the loader answers with its own errors only.

Whatever bytes or lines are deleted, inserted or replaced in `decks/circle-of-friends/`, loading
either succeeds or raises `DeckError` whose every problem names a file of the scenario and a
line and column inside it, in well under two seconds. Any other exception is a bug.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.errors import DeckError
from wargame.schema.loader import load_scenario

COF = Path(__file__).parent.parent / "decks" / "circle-of-friends"
FILES = sorted(p.relative_to(COF).as_posix() for p in COF.rglob("*.yaml"))

NASTY = [
    b"\x00",
    b"\x1b[2J",
    b"\x7f",
    b"\xc2\x9b",  # C1 CSI
    b"\xe2\x80\xae",  # U+202E
    b"\xe2\x80\xa8",  # U+2028
    b"\r",
    b"\t",
    b"\xc3",  # a lone lead byte
    b"\xc3\xa9\xe4\xb8\xad\xf0\x9d\x84\x9e",  # e-acute, a CJK character, a 4-byte one
    b"010",
    b"0x1F",
    b"1:30",
    b"1_0",
    b"yes",
    b".nan",
    b": ",
    b"- ",
    b"{",
    b"]",
    b"&a ",
    b"*a",
    b"<<: *a",
    b"!!python/name:os.system ",
    b"!include ",
    b"---\n",
    b'"\\e\\u202e"',
    b"'",
    b"#",
]

chunk = st.one_of(st.sampled_from(NASTY), st.binary(min_size=1, max_size=6))
byte_edit = st.tuples(
    st.sampled_from(["delete", "insert", "replace"]), st.floats(0, 1), st.integers(1, 12), chunk
)
line_edit = st.tuples(
    st.sampled_from(["drop line", "repeat line", "swap lines", "indent line"]),
    st.floats(0, 1),
    st.floats(0, 1),
)


def mutate(data: bytes, edits: list[tuple[object, ...]]) -> bytes:
    for edit in edits:
        kind, where = edit[0], edit[1]
        if kind in ("delete", "insert", "replace"):
            assert isinstance(where, float)
            _, _, size, piece = edit
            assert isinstance(size, int) and isinstance(piece, bytes)
            at = int(where * len(data))
            if kind == "delete":
                data = data[:at] + data[at + size :]
            elif kind == "insert":
                data = data[:at] + piece + data[at:]
            else:
                data = data[:at] + piece + data[at + len(piece) :]
            continue
        lines = data.split(b"\n")
        assert isinstance(where, float) and isinstance(edit[2], float)
        i = min(int(where * len(lines)), len(lines) - 1)
        j = min(int(edit[2] * len(lines)), len(lines) - 1)
        if kind == "drop line":
            del lines[i]
        elif kind == "repeat line":
            lines.insert(j, lines[i])
        elif kind == "swap lines":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = b"  " + lines[i]
        data = b"\n".join(lines)
    return data


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("fuzz") / "circle-of-friends"
    shutil.copytree(COF, root)
    yield root


@pytest.mark.skipif(not FILES, reason="bundled scenario missing")
@settings(
    max_examples=60,
    deadline=2000,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    file=st.sampled_from(FILES or ["scenario.yaml"]),
    edits=st.lists(st.one_of(byte_edit, line_edit), min_size=1, max_size=4),
)
def test_damaged_real_decks_give_located_deck_errors(
    scenario: Path, file: str, edits: list[tuple[object, ...]]
) -> None:
    original = (COF / file).read_bytes()
    damaged = mutate(original, edits)
    (scenario / file).write_bytes(damaged)
    try:
        start = time.process_time()
        try:
            load_scenario(scenario)
        except DeckError as exc:
            assert exc.problems
            for problem in exc.problems:
                shown = Path(problem.file)
                assert shown.is_relative_to(scenario), problem
                name = shown.relative_to(scenario).as_posix()
                size = (scenario / name).read_bytes().count(b"\n") + 1
                assert 1 <= problem.line <= size, problem
                assert problem.column >= 1, problem
                assert "\x1b" not in problem.format() and "\u202e" not in problem.format()
        assert (
            time.process_time() - start < 2.0
        )  # CPU time: a loaded machine stretches the wall clock
    finally:
        (scenario / file).write_bytes(original)
