"""Journal integrity: every corruption is detected and names the right line; a truncated tail
is reported and the journal continues; undo and branch are recorded, never erased."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MINI, ROOT, tables_for

from wargame import journal, records
from wargame.actions import Note, Order, Pass, Undo
from wargame.autoplay import bot_turns, make_bots
from wargame.engine import Session
from wargame.errors import IllegalActionError, JournalError, WargameError
from wargame.pending import AdjudicationDue
from wargame.seats import (
    ABSENT,
    BotSeat,
    HumanSeat,
    parse_seats,
    seat_from_json,
    seat_of,
    seats_from_json,
    seats_to_json,
)


def _game(saves: Path, seed: int = 3) -> Path:
    t = tables_for(MINI)
    seats = parse_seats("all=random", t)
    session, writer = journal.start(t, seed=seed, seats=seats, facilitated=False, saves=saves)
    bots = make_bots(session, seats)
    while not session.over:
        bot_turns(session, bots)
    assert writer is not None
    writer.close()
    return writer.path


@pytest.fixture
def save(tmp_path: Path) -> Path:
    return _game(tmp_path)


def _lines(p: Path) -> list[str]:
    return p.read_text().splitlines(keepends=True)


def _expect(path: Path, line: int, phrase: str) -> None:
    with pytest.raises(JournalError) as exc:
        journal.load(path)
    assert exc.value.problem.line == line, exc.value.problem.format()
    assert phrase in exc.value.problem.reason


def test_sound_journal_loads(save: Path) -> None:
    loaded = journal.load(save)
    assert loaded.session.state.over and loaded.truncated is None
    assert loaded.records == len(_lines(save)) - 1


def test_edited_record(save: Path) -> None:
    lines = _lines(save)
    rec = json.loads(lines[5])
    rec["time"] = "2000-01-01T00:00:00.000+00:00"
    lines[5] = json.dumps(rec) + "\n"
    save.write_text("".join(lines))
    _expect(save, 6, "edited")


def test_edited_action_with_recomputed_hash_diverges(save: Path) -> None:
    """A forger who recomputes the record's own hash still breaks the next record's chain."""
    lines = _lines(save)
    i = next(
        i
        for i, line in enumerate(lines)
        if ('"type":"chance"' in line and "success" in line) or '"failure"' in line
    )
    rec = json.loads(lines[i])
    rec["action"]["outcome"] = "failure" if rec["action"]["outcome"] == "success" else "success"
    rec["hash"] = records._hash(rec)
    lines[i] = records._canon(rec) + "\n"
    save.write_text("".join(lines))
    with pytest.raises(JournalError) as exc:
        journal.load(save)
    assert exc.value.problem.line in (i + 1, i + 2)


def test_reordered_lines(save: Path) -> None:
    lines = _lines(save)
    lines[3], lines[4] = lines[4], lines[3]
    save.write_text("".join(lines))
    _expect(save, 4, "chain is broken")


def test_removed_line(save: Path) -> None:
    lines = _lines(save)
    del lines[7]
    save.write_text("".join(lines))
    _expect(save, 8, "chain is broken")


def test_unknown_format_version(save: Path) -> None:
    lines = _lines(save)
    head = json.loads(lines[0])
    head["version"] = 99
    head["hash"] = records._header_hash(head)[0]
    lines[0] = json.dumps(head) + "\n"
    save.write_text("".join(lines))
    _expect(save, 1, "unknown journal format version 99")


def test_edited_header(save: Path) -> None:
    lines = _lines(save)
    head = json.loads(lines[0])
    head["seed"] = 12345
    lines[0] = json.dumps(head) + "\n"
    save.write_text("".join(lines))
    _expect(save, 1, "header has been edited")


def test_divergent_replay(save: Path) -> None:
    """Records re-hashed consistently but carrying a wrong state hash: replay diverges."""
    lines = _lines(save)
    prev = json.loads(lines[0])["hash"]
    out = [lines[0]]
    for i, raw in enumerate(lines[1:], start=2):
        rec = json.loads(raw)
        if i == 6:
            rec["state"] = "0" * 32
        rec["prev"] = prev
        rec["hash"] = records._hash(rec)
        prev = rec["hash"]
        out.append(records._canon(rec) + "\n")
    save.write_text("".join(out))
    _expect(save, 6, "replayed state differs")


def test_not_a_journal(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_text("hello\n")
    _expect(p, 1, "not valid JSON")
    p.write_bytes(b"\xff\xfe\x00garbage")
    _expect(p, 1, "UTF-8")
    p.write_text("")
    _expect(p, 1, "empty")


def test_truncated_tail_reported_and_continued(save: Path) -> None:
    data = save.read_bytes()
    cut = data[: len(data) - 25]  # the last record loses its end and its newline
    save.write_bytes(cut)
    loaded = journal.load(save)
    total = len(data.decode().splitlines()) - 1
    assert loaded.truncated is not None and loaded.records == total - 1
    loaded2, writer = journal.resume(save)
    writer.append(Note("after the crash"), loaded2.session.state)
    writer.close()
    again = journal.load(save)
    assert again.truncated is None and again.records == total


def test_verify_cli(save: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "wargame", "verify", str(save)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert res.returncode == 0 and "ok" in res.stdout and "records" in res.stdout
    lines = _lines(save)
    lines[2], lines[3] = lines[3], lines[2]
    save.write_text("".join(lines))
    res = subprocess.run(
        [sys.executable, "-m", "wargame", "verify", str(save)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert res.returncode == 1
    assert res.stderr.startswith(f"{save}:3: ") and "Traceback" not in res.stderr


def _orders_session(tmp_path: Path) -> tuple[Session, journal.JournalWriter]:
    t = tables_for(MINI)
    seats = parse_seats("all=human", t)
    session, writer = journal.start(t, seed=1, seats=seats, facilitated=True, saves=tmp_path)
    assert writer is not None
    while isinstance(session.waiting_for(), AdjudicationDue):
        from wargame.actions import Accept

        session.step(Accept())
    assert session.state.phase == "orders"
    return session, writer


def test_undo_is_recorded_and_limited(tmp_path: Path) -> None:
    session, writer = _orders_session(tmp_path)
    st0 = session.state
    hand = session.tables.cards[session.state.hand[1][0]]
    raid = next(
        session.tables.cards[c]
        for c in session.state.hand[1]
        if session.tables.cards[c].target_kind is None
    )
    del hand
    session.step(Order("corsairs", raid.id, (), "make noise"))
    assert session.state != st0
    session.step(Undo())
    assert session.state == st0
    with pytest.raises(IllegalActionError):
        session.step(Undo())  # nothing left to undo in this turn (the setup chance is protected)
    session.step(Pass("corsairs"))
    session.step(Pass("merchants"))  # reveal
    with pytest.raises(IllegalActionError, match=r"revealed|chance"):
        session.step(Undo())
    forced_before = session.state
    session.step(Undo(force=True, reason="misclick"))
    assert session.state != forced_before
    writer.close()
    loaded = journal.load(writer.path)
    assert loaded.session.state == session.state
    kinds = [json.loads(x)["action"]["type"] for x in _lines(writer.path)[1:]]
    assert kinds.count("undo") == 2 and "order" in kinds, "undo is recorded; nothing is erased"


def test_illegal_action_changes_nothing(tmp_path: Path) -> None:
    session, writer = _orders_session(tmp_path)
    before = session.state
    size = writer.path.stat().st_size
    with pytest.raises(IllegalActionError, match="not in corsairs's hand"):
        session.step(Order("corsairs", "trade_mission", ("amber",)))
    with pytest.raises(IllegalActionError, match="unknown role"):
        session.step(Pass("nobody"))
    assert session.state is before and writer.path.stat().st_size == size


def test_branch_from_a_record(save: Path, tmp_path: Path) -> None:
    loaded = journal.load(save)
    k = loaded.records // 2
    session, writer = journal.branch(loaded, k, tmp_path / "branches")
    assert session.state == loaded.session.steps[k - 1].after
    writer.close()
    head = json.loads(writer.path.read_text().splitlines()[0])
    assert head["parent"]["file"] == save.name and head["parent"]["record"] == k
    child = journal.load(writer.path)
    assert child.session.state == session.state


def test_replay_cli_and_branch(save: Path, tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "wargame", "replay", "--text", "--all", str(save), "--to", "10"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert res.returncode == 0, res.stderr
    assert "[  10]" in res.stdout and "[  11]" not in res.stdout and "VP:" in res.stdout
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "wargame",
            "replay",
            str(save),
            "--branch",
            "12",
            "--saves",
            str(tmp_path / "b"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert res.returncode == 0, res.stderr
    child = next((tmp_path / "b").glob("*.jsonl"))
    assert journal.load(child).session.state == journal.load(save).session.steps[11].after
    res = subprocess.run(
        [sys.executable, "-m", "wargame", "replay", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert (
        res.returncode == 1
        and "no save at" in res.stderr
        and "nope" in res.stderr
        and "Traceback" not in res.stderr
    )


def test_actions_round_trip_through_their_journal_form() -> None:
    """Every action survives `to_dict` → JSON → `action_from_dict`; a pass without a reason is
    written as it always was (no `rationale` key), so older journals hash the same."""
    from wargame.actions import (
        Accept,
        Chance,
        Inject,
        Note,
        Order,
        Override,
        Pass,
        Undo,
        action_from_dict,
        to_dict,
    )

    samples = [
        Order("us", "us-reaffirm-alliance", ("japan",), "keep Tokyo close"),
        Pass("china"),
        Pass("russia", "nothing playable is worth its cost"),
        Chance("success"),
        Chance(("a", "b")),
        Accept(),
        Override("failure", "storm"),
        Inject("ev-x", "White Cell"),
        Note("teams argue", "us"),
        Undo(True, "misclick"),
    ]
    for a in samples:
        assert action_from_dict(json.loads(json.dumps(to_dict(a)))) == a
    assert to_dict(Pass("china")) == {"type": "pass", "role": "china"}


# Seats as every version of the engine has written them in a header.
OLD_SEATS = [
    {"merchants": {"kind": "human", "name": "Red"}, "corsairs": {"kind": "absent"}},
    {"merchants": {"kind": "human"}, "corsairs": {"kind": "bot", "bot": "random", "level": ""}},
    {
        "merchants": {"kind": "bot", "bot": "greedy", "level": ""},
        "corsairs": {
            "kind": "bot",
            "bot": "planner",
            "level": "easy",
            "options": {"horizon": 1, "worlds": 4},
        },
    },
]


@pytest.mark.parametrize("seats", OLD_SEATS, ids=["human-absent", "unnamed-random", "bots"])
def test_a_header_round_trips_byte_identically(tmp_path: Path, seats: dict[str, object]) -> None:
    """A header written by hand the way the engine writes one (seats as JSON objects) loads,
    and writes back to the same bytes: a branch names its parent by the same hash."""
    t = tables_for(MINI)
    present = [s["kind"] != "absent" for s in seats.values()]  # type: ignore[index]
    rec = {
        "kind": "header",
        "format": journal.FORMAT,
        "version": journal.VERSION,
        "engine": "0.1.0",
        "scenario": t.scenario.model_dump(mode="json"),
        "seed": 11,
        "seats": seats,
        "present": present,
        "facilitated": False,
        "started": "2026-01-01T00:00:00.000+00:00",
        "parent": None,
        "prefix": [],
        "settings": {"timer": 0},
    }
    rec["hash"] = records._header_hash(rec)[0]
    line = records._canon(rec)
    path = tmp_path / "old.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    loaded = journal.load(path)
    assert seats_to_json(loaded.header.seats) == seats
    assert records._canon(loaded.header.to_record()) == line
    assert loaded.header.seats == seats_from_json(seats)


@pytest.mark.parametrize(
    ("seat", "phrase"),
    [
        ({"kind": "robot"}, "unknown seat kind"),
        ({"kind": "bot", "bot": "random", "level": "", "colour": "red"}, "unexpected fields"),
        ({"kind": "human", "name": 3}, "team name"),
        (["human"], "should be an object"),
    ],
)
def test_a_header_with_a_seat_the_engine_never_wrote_is_refused(
    save: Path, tmp_path: Path, seat: object, phrase: str
) -> None:
    rec = json.loads(_lines(save)[0])
    rec["seats"]["merchants"] = seat
    rec["hash"] = records._header_hash(rec)[0]
    path = tmp_path / "odd.jsonl"
    path.write_text(records._canon(rec) + "\n", encoding="utf-8")
    _expect(path, 1, phrase)


def test_seats_read_and_write_their_text_and_json_forms() -> None:
    t = tables_for(MINI)
    seats = parse_seats("all=planner:hard,corsairs=absent", t)
    assert seats == {"merchants": BotSeat("planner", "hard"), "corsairs": ABSENT}
    assert [s.to_text() for s in seats.values()] == ["planner:hard", "absent"]
    assert [s.describe() for s in seats.values()] == ["planner bot (hard)", "absent"]
    assert parse_seats("all=human", t)["corsairs"] == HumanSeat("corsairs")
    budget = BotSeat("planner", "", (("horizon", 1), ("worlds", 4)))
    assert budget.to_text() == "planner(horizon=1,worlds=4)"
    assert seat_from_json(budget.to_json()) == budget
    assert seat_of({}, "merchants") == HumanSeat()
    with pytest.raises(WargameError, match="unknown bot 'nosuch'"):
        parse_seats("all=nosuch", t, known_bots=["random"])


V1_SAVE = ROOT / "tests" / "fixtures" / "saves" / "v1-random-seed7.jsonl"
"""A whole random game saved by journal format 1, whose state hashes are `State.digest`
version 1 (marshal); written by the engine before format 2, never regenerated."""


def test_format_1_save_still_verifies(tmp_path: Path) -> None:
    """Format 1 records hash states with digest version 1: loading checks each record against
    that version, and a resumed format-1 journal goes on writing version-1 hashes."""
    loaded = journal.load(V1_SAVE)
    assert loaded.header.version == 1 and loaded.records == 198 and loaded.session.over
    last = json.loads(V1_SAVE.read_text().splitlines()[-1])
    st = loaded.session.state
    assert st.digest(1) == last["state"] != st.digest()
    res = subprocess.run(
        [sys.executable, "-m", "wargame", "verify", str(V1_SAVE)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert res.returncode == 0 and "198 records" in res.stdout, res.stderr
    # Resumed (before its end), it keeps its format: the appended records verify too.
    lines = V1_SAVE.read_text().splitlines(keepends=True)
    copy = tmp_path / "v1.jsonl"
    copy.write_text("".join(lines[:-1]))
    again, writer = journal.resume(copy)
    assert again.header.version == 1
    again.session.step(Note("a note added after the upgrade"))
    writer.close()
    assert journal.load(copy).records == writer.seq > 197


def test_new_saves_hash_canonical_json(save: Path) -> None:
    """A new journal is format 2, whose state hash is the blake2b of the state's canonical JSON
    (the same in every Python release)."""
    import hashlib

    loaded = journal.load(save)
    assert json.loads(_lines(save)[0])["version"] == journal.VERSION == 2
    st = loaded.session.state
    body = json.dumps(st.key(), separators=(",", ":"), ensure_ascii=False).encode()
    assert st.digest() == hashlib.blake2b(body, digest_size=16).hexdigest()
    assert json.loads(_lines(save)[-1])["state"] == st.digest()


def test_a_roll_drawn_again_after_a_forced_undo_verifies(tmp_path: Path) -> None:
    """A forced undo of a roll, drawn again from the same position, comes out the same
    (`Session.draw_seq`): the save must verify and resume. It used to be refused as edited
    ("the save's seed draws a success"), so a session with a forced undo could not go on."""
    from wargame.actions import Accept, Chance

    t = tables_for(MINI)
    seats = parse_seats("all=random", t)
    # Seed 4: on the mini fixture as it now stands, three rolls come after an acceptance alone.
    session, writer = journal.start(t, seed=4, seats=seats, facilitated=True, saves=tmp_path)
    assert writer is not None
    bots = make_bots(session, seats)
    redrawn = 0
    while not session.over:
        bot_turns(session, bots, auto_accept=False)
        if not isinstance(session.waiting_for(), AdjudicationDue):
            continue
        n = len(session.steps)
        session.step(Accept())
        after = [s.action for s in session.steps[n + 1 :]]
        if len(after) == 1 and isinstance(after[0], Chance) and redrawn < 3:
            # one roll drawn after the acceptance: take it back (the session draws again)
            session.step(Undo(True, "the draw, read out wrong"))
            assert session.steps[-1].action == after[0]  # the same position draws the same
            redrawn += 1
    writer.close()
    assert redrawn >= 1  # the game gave at least one roll to take back and draw again
    loaded = journal.load(writer.path)
    assert loaded.session.state == session.state
    resumed, again_writer = journal.resume(writer.path)
    again_writer.close()
    assert resumed.session.state == session.state
