"""The debrief model (facilitation/debrief.py), read over the bundled example save: states at
each record, viewpoints, filters, checkpoints, turning points, bookmarks, branch and compare,
and saves that fail verification."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import ROOT

from wargame import journal
from wargame.actions import Note, Order, action_from_dict
from wargame.engine import Session
from wargame.errors import JournalError, WargameError
from wargame.facilitation import story
from wargame.facilitation.bookmarks import sidecar_path
from wargame.facilitation.debrief import Debrief
from wargame.observe import HIDDEN
from wargame.savefile import canonical
from wargame.seats import BotSeat, HumanSeat

EXAMPLE = ROOT / "saves" / "example-circle-of-friends.jsonl"
REMAKE = (
    "The bundled example no longer replays with this engine: remake it with `make example` "
    "(scripts/make_example.py), check it with `wargame verify`, and commit it."
)


@pytest.fixture(scope="module")
def d() -> Debrief:
    try:
        return Debrief.open(EXAMPLE)
    except JournalError as exc:  # pragma: no cover - says how to fix it
        pytest.fail(f"{exc}\n{REMAKE}")


def test_the_example_verifies_with_this_engine(d: Debrief) -> None:
    assert d.problem is None and d.truncated is None, REMAKE
    assert d.state_at(d.records).over, REMAKE
    kinds = {e.kind for e in d.entries}
    assert {"note", "override", "inject", "take-back", "order", "roll", "event"} <= kinds
    assert len(d.tables.roles) == 5 and all(d.header.present)


def test_the_readme_names_the_examples_override(d: Debrief) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (override,) = [e for e in d.entries if e.kind == "override"]
    assert f"--to {override.record} saves/example-circle-of-friends.jsonl  # the override" in readme


def test_state_at_each_record_equals_the_engines_replay(d: Debrief) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    session = Session(
        d.tables,
        seed=d.header.seed,
        present=tuple(d.header.present),
        facilitated=True,
        auto_chance=False,
        narrate=False,
    )
    assert d.state_at(0) == session.state
    for i, raw in enumerate(lines[1:], start=1):
        rec = json.loads(raw)
        session.step(action_from_dict(rec["action"]))
        st = d.state_at(i)
        assert st == session.state, f"record {i}"
        assert st.digest(d.header.version) == rec["state"], f"record {i}"
    with pytest.raises(IndexError):
        d.state_at(d.records + 1)


def test_entries_speak_in_words_not_ids(d: Debrief) -> None:
    t = d.tables
    card_ids = {c.id for c in t.cards}
    country_ids = set(t.countries) - set(t.country_names)
    for e in d.entries:
        words = e.text.replace("(", " ").replace(")", " ").replace(",", " ").split()
        assert not card_ids & set(words), e.text
        assert not country_ids & set(words), e.text
    orders = [e for e in d.entries if e.kind == "order"]
    assert orders and all(e.card and e.card in e.text for e in orders)
    assert all(e.reason and "[details:" not in e.reason for e in orders)  # bots explain
    assert any(e.details for e in orders)
    shuffles = [e for e in d.entries if e.kind == "shuffle"]
    assert shuffles and all(e.noise for e in shuffles)
    assert [e.record for e in d.entries] == list(range(1, d.records + 1))


def test_a_team_never_sees_another_teams_unrevealed_orders(d: Debrief) -> None:
    t = d.tables
    titles = {c.title for c in t.cards}
    for role in t.roles:
        seen = d.visible(role.id)
        assert len(seen) == len(d.entries)
        for whole, e in zip(d.entries, seen, strict=True):
            if whole.private_to is None or whole.private_to == role.index:
                assert e == whole
                continue
            if whole.revealed_at is not None and whole.record >= whole.revealed_at:
                continue
            assert e.hidden and not e.card and not e.reason and not e.targets
            assert not any(title in e.text for title in titles if title), e.text
        # Later, with the cursor past the reveal, the same orders are shown whole.
        late = d.visible(role.id, at=d.records)
        assert all(not e.hidden for e, w in zip(late, d.entries, strict=True) if w.revealed_at)
    # Its own hand at a record, not the others'.
    st = d.view_at(12, "us")
    us = t.role_index["us"]
    assert st.hand[us] == d.state_at(12).hand[us]
    assert all(all(c == HIDDEN for c in h) for r, h in enumerate(st.hand) if r != us)
    with pytest.raises(KeyError):
        d.visible("atlantis")


def test_a_take_back_is_masked_for_the_other_teams(d: Debrief) -> None:
    back = next(e for e in d.entries if e.kind == "take-back")
    assert back.card and back.card in back.text
    other = next(r.id for r in d.tables.roles if r.index != back.role)
    seen = d.visible(other)[back.record - 1]
    assert seen.hidden and back.card not in seen.text and "hidden" in seen.text


def test_filters(d: Debrief) -> None:
    notes = d.only("notes")
    raw = [s for s in d.steps if isinstance(s.action, Note)]
    assert len(notes) == len(raw) >= 4 and all(e.kind == "note" for e in notes)
    overrides = d.only("overrides")
    assert len(overrides) == 1 and overrides[0].reason.startswith("White Cell ruling")
    both = d.only("notes,overrides")
    assert [e.record for e in both] == sorted(e.record for e in [*notes, *overrides])
    with pytest.raises(KeyError):
        d.only("gossip")
    interventions = {e.kind for e in d.only("interventions")}
    assert {"note", "override", "inject"} <= interventions
    swing = d.only("swing")
    r = d.tables.role_index["swing"]
    assert swing and all(e.role == r for e in swing)
    assert {"order", "commit", "note"} <= {e.kind for e in swing}
    orders = [s for s in d.steps if isinstance(s.action, Order) and s.action.role == "swing"]
    assert sum(e.kind == "order" for e in swing) == len(orders)
    # Seen from another team, the swing states' unrevealed orders are not "their orders".
    assert len(d.only("swing", viewpoint="china")) < len(swing)


def test_checkpoints_and_turns(d: Debrief) -> None:
    cps = d.checkpoints
    assert cps[0] == 0 and cps == sorted(cps)
    assert d.next_checkpoint(0) == cps[1]
    assert d.prev_checkpoint(cps[2]) == cps[1]
    assert d.prev_checkpoint(0) == 0 and d.next_checkpoint(d.records) == d.records
    for n in range(1, d.tables.turns + 1):
        i = d.first_record_of_turn(n)
        assert d.state_at(i).turn == n and i in cps
        assert i == 0 or d.state_at(i - 1).turn == n - 1
    with pytest.raises(IndexError):
        d.first_record_of_turn(d.tables.turns + 1)


def test_changes_at_a_record(d: Debrief) -> None:
    # The first record that moved a track (a card resolved): its changes are the states' diff.
    at = next(
        e.record
        for e in d.entries
        if d.state_at(e.record).tracks != d.state_at(e.record - 1).tracks
    )
    ch = d.changes_at(at)
    b, a = d.state_at(at - 1), d.state_at(at)
    assert list(ch.changes) == story.diff_states(b, a)
    assert ch.tracks == {k for k in range(len(a.tracks)) if a.tracks[k] != b.tracks[k]}
    assert ch.tracks and ch.changes
    for c, p, k in ch.cells:
        assert c in ch.countries and a.tie(c, p, k) != b.tie(c, p, k)
    assert not d.changes_at(0).changes


def test_series_and_turning_points(d: Debrief) -> None:
    s = d.series()
    assert s.x == tuple(range(d.records + 1))
    final = d.state_at(d.records)
    assert {r: v[-1] for r, v in s.vp.items()} == {r: sum(final.vp[r]) for r in s.vp}
    per_turn = d.series("turn")
    assert per_turn.x == tuple(range(d.tables.turns + 1))
    assert set(per_turn.names["camps"].values()) == set(d.tables.power_names)
    points = d.turning_points()
    assert 1 <= len(points) <= 8
    assert [p.record for p in points] == sorted(p.record for p in points)
    assert all(p.text and 1 <= p.record <= d.records for p in points)
    # The end screen's story tells the turning points of the same finder.
    told = d.story()
    lines = [x for x in told if x.startswith("Turning point — ")]
    assert lines and all(any(p.short in x for p in points) for x in lines)


def test_a_turning_points_swings_each_name_what_made_them(d: Debrief) -> None:
    """A record that settles a roll runs on through the cards that need none and, at the end
    of a turn, through the scoring and upkeep: each swing of it is put down to the part that
    made it, not all to the rolled card. In the example, the Philippines return to the US
    through the US's own card, in the record of China's; a shared lead comes from the scoring
    in a record that ends in the drift."""
    by = {p.record: p for p in d.turning_points()}
    philippines = by[122]
    assert philippines.reason == "as China's “Train officials in China” resolved"
    assert (
        "Philippines: ambiguous → aligned with United States, as United States' “Update the "
        "alliance (time)” (Philippines) succeeded" in philippines.text
    )
    lead = by[64]
    assert lead.reason == "in the drift at the end of the turn"
    assert "share the lead on 21 VP, in the scoring and upkeep at the end of the turn" in lead.text


def test_bookmarks_round_trip_and_survive_a_broken_sidecar(tmp_path: Path, d: Debrief) -> None:
    save = tmp_path / "game.jsonl"
    shutil.copy(EXAMPLE, save)
    mine = Debrief.open(save)
    side = mine.sidecar()
    assert side.path == tmp_path / "game.debrief.json" == sidecar_path(save)
    assert side.bookmarks == [] and side.problem is None
    side.add(40, "the Quad is convened", "ask: why now?")
    side.add(7, "first note")
    side.save()
    again = mine.sidecar()
    assert [(b.record, b.label, b.note) for b in again.bookmarks] == [
        (7, "first note", ""),
        (40, "the Quad is convened", "ask: why now?"),
    ]
    assert save.read_bytes() == EXAMPLE.read_bytes()  # the journal is never rewritten
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.debrief.json", "game.jsonl"]
    side.path.write_text("{ not json", encoding="utf-8")
    broken = mine.sidecar()
    assert broken.bookmarks == [] and broken.problem and "cannot be read" in broken.problem
    side.path.write_text(
        json.dumps(
            {"format": "wargame-debrief", "version": 1, "journal": "another", "bookmarks": []}
        ),
        encoding="utf-8",
    )
    assert "another save" in (mine.sidecar().problem or "")
    broken.add(3, "kept after all")
    broken.save()
    assert [b.label for b in mine.sidecar().bookmarks] == ["kept after all"]


def test_branch_names_parent_and_record_and_compare_finds_the_divergence(
    tmp_path: Path, d: Debrief
) -> None:
    game = d.branch(50, tmp_path, {"china": HumanSeat("Red"), "us": BotSeat("random")})
    assert game.path is not None
    head = json.loads(game.path.read_text(encoding="utf-8").splitlines()[0])
    assert head["parent"]["file"] == EXAMPLE.name and head["parent"]["record"] == 50
    assert head["seats"]["china"] == {"kind": "human", "name": "Red"}
    assert len(head["prefix"]) == 50
    assert game.session.steps[49].after == d.state_at(50)
    game.step(Note("what if China had waited?"))
    game.writer.close()  # type: ignore[union-attr]
    branch = Debrief.open(game.path)
    assert branch.header.parent == head["parent"]
    cmp = d.compare(branch)
    assert cmp.record_a is not None and cmp.record_a > 50
    assert cmp.record_b is not None and cmp.record_b >= 1
    assert f"record {cmp.record_a} of {EXAMPLE.name}" in cmp.text
    assert cmp.a.x[0] == 0 and cmp.b.x[0] == 50  # one axis from the shared start
    with pytest.raises(WargameError, match="cannot be absent"):
        d.branch(10, tmp_path, {"russia": {"kind": "absent"}})


def test_compare_refuses_saves_that_do_not_share_a_start(tmp_path: Path, d: Debrief) -> None:
    tables = d.tables
    _session, writer = journal.start(
        tables, seed=d.header.seed + 1, seats=d.header.seats, facilitated=True, saves=tmp_path
    )
    writer.close()  # type: ignore[union-attr]
    other = Debrief.open(writer.path)  # type: ignore[union-attr]
    with pytest.raises(WargameError, match="do not share a start: they have different seeds"):
        d.compare(other)


def _edit(lines: list[str], i: int) -> None:
    rec = json.loads(lines[i])
    rec["action"]["text"] = "(a remark a teacher edited out)"
    lines[i] = canonical(rec)


def test_a_broken_save_is_refused_and_its_prefix_opens_read_only(tmp_path: Path) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    note = next(i for i, x in enumerate(lines) if i and json.loads(x)["action"]["type"] == "note")
    _edit(lines, note)
    bad = tmp_path / "edited.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(JournalError) as err:
        Debrief.open(bad)
    assert err.value.problem.line == note + 1
    assert "edited" in err.value.problem.reason
    part = Debrief.open(bad, salvage=True)
    assert part.records == note - 1 and part.read_only
    assert f"line {note + 1}" in part.banner and "Read-only" in part.banner
    with pytest.raises(WargameError, match="read-only"):
        part.branch(1, tmp_path)
    # Unknown format version: nothing to salvage, the header is refused.
    head = json.loads(lines[0])
    head["version"] = 99
    worse = tmp_path / "future.jsonl"
    worse.write_text(json.dumps(head) + "\n", encoding="utf-8")
    with pytest.raises(JournalError, match="unknown journal format version 99"):
        Debrief.open(worse, salvage=True)


def test_a_torn_last_line_opens_up_to_the_last_whole_record(tmp_path: Path) -> None:
    data = EXAMPLE.read_bytes()
    torn = tmp_path / "torn.jsonl"
    torn.write_bytes(data[: len(data) - 40])
    part = Debrief.open(torn)
    total = data.count(b"\n") - 1
    assert part.records == total - 1 and part.truncated
    assert "incomplete" in part.banner and not part.read_only


def test_the_example_is_never_the_latest_save(tmp_path: Path) -> None:
    from wargame.commands.common import latest_journal
    from wargame.facilitation.launch import latest_save, list_saves

    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    assert latest_save(tmp_path) is None
    with pytest.raises(WargameError, match="bundled example"):
        latest_journal(tmp_path)
    mine = tmp_path / "20250101-000000-circle-of-friends.jsonl"
    shutil.copy(EXAMPLE, mine)
    import os

    os.utime(mine, (1, 1))  # older than the example's checkout date
    assert latest_save(tmp_path) == mine and latest_journal(tmp_path) == mine
    assert [s.path.name for s in list_saves(tmp_path)] == [mine.name, EXAMPLE.name]


def test_forced_undos_and_reseats_are_told_in_words(tmp_path: Path, d: Debrief) -> None:
    from wargame.actions import Accept, Undo

    (ov,) = d.only("overrides")
    game = d.branch(ov.record, tmp_path, {"china": HumanSeat("Red")})
    game.step(Undo(force=True, reason="the White Cell misread the card"))
    game.step(Undo(force=True, reason="and the draw too"))
    game.reseat(0, "greedy", "Red team left early")
    game.settle()
    game.step(Accept())
    assert game.writer is not None and game.path is not None
    game.writer.close()
    b = Debrief.open(game.path)
    kinds = [e.kind for e in b.entries]
    assert kinds[:5] == ["roll", "undo", "undo", "reseat", "accept"]
    undo = b.entries[2]
    assert undo.text.startswith(f"White Cell undoes the override of a roll to {ov.outcome} (")
    assert undo.reason == "and the draw too"
    assert b.entries[1].text.startswith("White Cell undoes the roll just drawn (")
    assert b.entries[3].text == "White Cell hands China to the greedy bot (Red team left early)"
    assert b.only("interventions")[:3] == b.entries[1:4]
    cmp = d.compare(b)
    assert cmp.record_a is not None and cmp.record_b is not None
    assert cmp.record_a - ov.record == cmp.record_b  # the same draw first, then they part


def _rechain(lines: list[str], start: int) -> None:
    """Re-hash records from `start` on, so only the change made there is wrong."""
    from wargame.records import _canon, _hash

    prev = json.loads(lines[start - 1])["hash"]
    for i in range(start, len(lines)):
        rec = json.loads(lines[i])
        rec["prev"] = prev
        rec["hash"] = _hash(rec)
        lines[i] = _canon(rec)
        prev = rec["hash"]


def _removed(lines: list[str], i: int) -> None:
    del lines[i]


def _swapped(lines: list[str], i: int) -> None:
    lines[i], lines[i + 1] = lines[i + 1], lines[i]


def _diverging(lines: list[str], i: int) -> None:
    rec = json.loads(lines[i])
    rec["state"] = "0" * len(rec["state"])
    lines[i] = canonical(rec)
    _rechain(lines, i)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (_edit, "the record has been edited"),
        (_removed, "the hash chain is broken"),
        (_swapped, "the hash chain is broken"),
        (_diverging, "the replayed state differs from the recorded one"),
    ],
)
def test_each_kind_of_broken_save_names_line_and_reason(
    tmp_path: Path, damage: object, reason: str
) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    at = 100
    damage(lines, at)  # type: ignore[operator]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(JournalError) as err:
        Debrief.open(bad)
    assert err.value.problem.line == at + 1 and reason in err.value.problem.reason
    part = Debrief.open(bad, salvage=True)
    assert part.records == at - 1 and part.read_only and reason in part.banner
    original = Debrief.open(EXAMPLE)
    assert part.state_at(at - 1) == original.state_at(at - 1)


def test_a_turning_point_blames_the_card_whose_lines_name_the_change(d: Debrief) -> None:
    from wargame.engine import Step
    from wargame.facilitation.turning import blame

    roll = next(e for e in d.entries if e.kind == "accept")
    real = d.step_of(roll.record)
    t = d.tables
    china = t.scenario.roles[t.role_index["china"]].short_name
    title = next(c.title for c in t.cards if c.owner == t.role_index["china"])
    lines = [
        "  roll at 65%: failure",
        "Japan: ties with United States (Economic) +1",
        f"{china}: {title}",
        "Thailand, Nepal: ties with People's Republic of China (Party-to-party) +1",
        f"{china}: influence -1",
        "Drift: crises burn out",
        "Sino-US tension: 7 → 6",
    ]
    step = Step(real.action, real.before, real.after, lines)
    assert blame(step, ["Nepal"]) == f"as China's “{title}” resolved"
    assert blame(step, ["Japan"]).startswith("as ") and "(it had " in blame(step, ["Japan"])
    assert blame(step, ["Sino-US tension"]) == "in the drift at the end of the turn"
    assert blame(step, ["Nep"]) == "" and blame(step, []) == ""


def test_a_branch_of_a_branch_starts_where_it_was_cut(tmp_path: Path, d: Debrief) -> None:
    first = d.branch(60, tmp_path / "one")
    assert first.writer is not None and first.path is not None
    first.settle()
    first.step(Note("what if, once"))
    first.writer.close()
    one = Debrief.open(first.path)
    n = one.records  # the bots' moves since record 60 and the note
    second = one.branch(n, tmp_path / "two")
    assert second.writer is not None and second.path is not None
    second.writer.close()
    head = json.loads(second.path.read_text(encoding="utf-8").splitlines()[0])
    assert len(head["prefix"]) == 60 + n and head["parent"]["record"] == n
    two = Debrief.open(second.path)
    assert two.state_at(0) == one.state_at(n)
    same = two.compare(one)  # the second holds all the first's actions, and none of its own
    assert same.diverge is None and "the same actions" in same.text
