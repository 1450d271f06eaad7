"""`wargame replay --text` and `wargame report` over the bundled example save: words not ids,
viewpoints and filters, every turn, override and note in the report, rows that parse, escaping,
and saves that fail verification."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import ROOT

from wargame.actions import Note
from wargame.cli import main
from wargame.facilitation.debrief import Debrief
from wargame.savefile import canonical

EXAMPLE = ROOT / "saves" / "example-circle-of-friends.jsonl"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return code, out, err


@pytest.fixture(scope="module")
def d() -> Debrief:
    return Debrief.open(EXAMPLE)


def _card_ids(d: Debrief) -> re.Pattern[str]:
    ids = sorted((c.id for c in d.tables.cards), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")


def test_replay_text_shows_card_titles_not_ids(
    capsys: pytest.CaptureFixture[str], d: Debrief
) -> None:
    code, out, _ = run(capsys, "replay", "--text", str(EXAMPLE))
    assert code == 0
    assert not _card_ids(d).search(out), _card_ids(d).search(out)
    first = next(e for e in d.entries if e.kind == "order")
    assert first.card in out
    for n in range(1, d.tables.turns + 1):
        assert f"══ Turn {n} · {d.tables.start_year + n - 1} ══" in out
    assert "── orders ──" in out and "── resolution ──" in out
    assert "shuffles" not in out  # folded away
    assert "Turning points" in out and "The story of the game:" in out
    _, every, _ = run(capsys, "replay", "--text", "--all", str(EXAMPLE))
    assert "shuffles" in every


def test_replay_text_boards_end_once(capsys: pytest.CaptureFixture[str], d: Debrief) -> None:
    """`--board` prints the board after each turn; the end of the game, where only a note
    follows the last turn's board, is not printed a second time. Stopped mid-turn, the board
    at the stop follows."""
    code, out, _ = run(capsys, "replay", "--text", "--board", str(EXAMPLE))
    assert code == 0
    heads = [line for line in out.splitlines() if line.startswith("— Turn")]
    assert len(heads) == d.tables.turns and heads[-1].endswith("game over")
    _, part, _ = run(capsys, "replay", "--text", "--board", "--to", "100", str(EXAMPLE))
    heads = [line for line in part.splitlines() if line.startswith("— Turn")]
    assert heads[-1] == f"— Turn {d.turn_at(100)} ({d.state_at(100).year}), orders"


def test_replay_viewpoint_and_filters(capsys: pytest.CaptureFixture[str], d: Debrief) -> None:
    code, out, _ = run(capsys, "replay", "--text", "--viewpoint", "china", str(EXAMPLE))
    assert code == 0 and "As China saw it" in out
    assert "Order given by United States (hidden until the reveal)" in out
    us_first = next(e for e in d.entries if e.kind == "order" and e.actor == "United States")
    assert f"United States orders {us_first.card}" not in out
    code, out, _ = run(capsys, "replay", "--text", "--only", "notes", str(EXAMPLE))
    notes = [e for e in d.entries if e.kind == "note"]
    printed = re.findall(r"^\[\s*(\d+)\]", out, re.M)
    assert code == 0 and [int(x) for x in printed] == [e.record for e in notes]
    code, out, _ = run(capsys, "replay", "--text", "--only", "overrides", str(EXAMPLE))
    assert len(re.findall(r"^\[", out, re.M)) == 1 and "White Cell ruling" in out
    code, out, err = run(capsys, "replay", "--text", "--viewpoint", "atlantis", str(EXAMPLE))
    assert code == 2 and "unknown role 'atlantis'" in err and "china" in err
    code, out, err = run(capsys, "replay", "--text", "--only", "gossip", str(EXAMPLE))
    assert code == 2 and "notes, overrides" in err


def test_replay_to_shows_the_board_there(capsys: pytest.CaptureFixture[str], d: Debrief) -> None:
    i = d.first_record_of_turn(3)
    code, out, _ = run(capsys, "replay", "--text", "--to", str(i), str(EXAMPLE))
    assert code == 0 and f"— Turn 3 ({d.tables.start_year + 2})" in out
    assert not re.search(rf"^\[\s*{i + 1}\]", out, re.M)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_report_has_every_turn_override_and_note(
    fmt: str, capsys: pytest.CaptureFixture[str], d: Debrief
) -> None:
    from html import escape

    code, out, _ = run(capsys, "report", "--format", fmt, str(EXAMPLE))
    assert code == 0
    quote = (lambda s: escape(s, quote=True)) if fmt == "html" else (lambda s: s)
    for n in range(1, d.tables.turns + 1):
        assert f"Turn {n} ({d.tables.start_year + n - 1})" in out
    for e in d.entries:
        if e.kind == "override":
            assert quote(e.reason) in out
        if e.kind == "note":
            md = e.reason.replace("`", "\\`")
            assert (quote(e.reason) if fmt == "html" else md) in out
    for heading in (
        "Setup and seats",
        "Final ranking",
        "Turning points",
        "Turn by turn",
        "The teams",
        "Concepts each side used",
        "Source passages of the cards played",
    ):
        assert heading in out
    assert "✓ met" in out
    for p in d.turning_points():
        assert quote(p.text) in out or p.text.replace("*", "\\*") in out


def test_the_html_report_is_self_contained(capsys: pytest.CaptureFixture[str], d: Debrief) -> None:
    code, out, _ = run(capsys, "report", "--format", "html", str(EXAMPLE))
    assert code == 0 and out.startswith("<!DOCTYPE html>")
    # Three charts, the final map and a map per turn.
    assert out.count("<svg") == 3 + 1 + len(d.turns()) and "@media print" in out
    assert "<script" not in out and "<link" not in out and " src=" not in out
    assert not re.search(r"(?:href|src)=\"https?:", out)


def test_text_from_the_save_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], d: Debrief
) -> None:
    game = d.branch(d.records, tmp_path)
    remark = "<script>alert('x')</script> *shout* | A & B"
    game.step(Note(remark))
    assert game.writer is not None and game.path is not None
    game.writer.close()
    code, html, _ = run(capsys, "report", "--format", "html", str(game.path))
    assert code == 0 and "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; *shout* | A &amp; B" in html
    code, md, _ = run(capsys, "report", "--format", "md", str(game.path))
    assert "\\<script\\>alert('x')\\</script\\> \\*shout\\* \\| A & B" in md
    assert "a branch of example-circle-of-friends.jsonl" in md


def test_rows_parse_and_have_one_row_per_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], d: Debrief
) -> None:
    out = tmp_path / "rows.csv"
    code, _, err = run(capsys, "report", str(EXAMPLE), "-o", str(out))  # format from the name
    assert code == 0 and "csv report" in err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == d.records
    assert [int(r["record"]) for r in rows] == list(range(1, d.records + 1))
    for col in ("turn", "phase", "actor", "action", "card", "targets", "outcome", "reason"):
        assert col in rows[0]
    final = d.state_at(d.records)
    for r in d.tables.roles:
        assert int(rows[-1][f"vp_{r.id}"]) == sum(final.vp[r.index])
    override = next(r for r in rows if r["kind"] == "override")
    assert override["reason"].startswith("White Cell ruling") and override["card"]
    code, text, _ = run(capsys, "report", "--format", "json", str(EXAMPLE))
    data = json.loads(text)
    assert len(data["records"]) == d.records and data["seed"] == d.header.seed
    assert data["records"][0]["turn"] == 1
    assert set(data["records"][0]) == set(rows[0])


def _edited(tmp_path: Path) -> tuple[Path, int]:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    i = next(k for k, x in enumerate(lines) if k and json.loads(x)["action"]["type"] == "note")
    rec = json.loads(lines[i])
    rec["action"]["text"] = "(edited out)"
    lines[i] = canonical(rec)
    bad = tmp_path / "edited.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad, i + 1


def test_a_broken_save_is_refused_with_line_and_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad, line = _edited(tmp_path)
    for cmd in ("replay", "report"):
        code, _, err = (
            run(capsys, cmd, str(bad)) if cmd == "report" else run(capsys, cmd, "--text", str(bad))
        )
        assert code == 1 and f"edited.jsonl:{line}: the record has been edited" in err
        assert "--salvage" in err and len(err.splitlines()) == 1
    code, out, err = run(capsys, "replay", "--text", "--all", "--salvage", str(bad))
    assert code == 0 and "Read-only" in err and f"line {line}" in err
    assert re.findall(r"^\[\s*(\d+)\]", out, re.M)[-1] == str(line - 2)
    code, out, err = run(capsys, "report", "--salvage", str(bad))
    assert code == 0 and "Read-only" in out and "Read-only" in err
    code, _, err = run(capsys, "replay", "--salvage", "--branch", "3", str(bad))
    assert code == 1 and "cannot be branched" in err


def test_reports_refuse_a_bad_output_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "report", str(EXAMPLE), "-o", str(tmp_path / "a-file" / "r.md"))
    assert code == 1 and "a-file" in err
    code, _, err = run(capsys, "report", "--format", "pdf", str(EXAMPLE))
    assert code == 2 and "invalid choice" in err
    copy = tmp_path / "saves"
    copy.mkdir()
    shutil.copy(EXAMPLE, copy / EXAMPLE.name)
    code, _, err = run(capsys, "report", "--saves", str(copy))
    assert code == 1 and "bundled example" in err


def test_replay_step_goes_forward_back_and_jumps(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], d: Debrief
) -> None:
    answers = iter(["", "b", "40", "q"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    code, out, _ = run(capsys, "replay", "--step", str(EXAMPLE))
    shown = [int(x) for x in re.findall(r"^\[\s*(\d+)\]", out, re.M)]
    visible = [e.record for e in d.entries if not e.noise]
    jump = next(r for r in visible if r >= 40)
    assert code == 0 and shown == [visible[0], visible[1], visible[0], jump]


def test_the_html_report_has_the_map_turn_by_turn(d: Debrief) -> None:
    """The final map and one small map per turn, inline SVG: one tile per country, each with
    its status in words for a screen reader (aria-label and title) and its code and tag as
    visible text; the turning points link to the map of their turn."""
    from wargame.facilitation.tilemap import map_view
    from wargame.report import render

    html = render(d, "html")
    final = html[
        html.index('<figure id="map-final">') : html.index(
            "</figure>", html.index('<figure id="map-final">')
        )
    ]
    labels = re.findall(r'<g role="img" aria-label="([^"]*)"><title>\1</title>', final)
    names = {tile.name for tile in map_view(d.state_at(d.records)).tiles}
    countries = [label for label in labels if "(a power, no status)" not in label]
    assert len(countries) == len(d.tables.countries) == len(names)
    assert {label.split(" (", 1)[0] for label in countries} == names
    for label in countries:
        assert re.search(r": (aligned with \w|ambiguous|non-aligned)", label), label
    assert "JPN" in final and "US ⚑" in final  # code and tag as text, not only colour
    assert not map_view(d.state_at(d.records)).layout.automatic  # the bundled, placed map
    for n in d.turns():
        assert f'<figure id="map-turn-{n}">' in html
    links = re.findall(r'<a href="#map-turn-(\d+)">', html)
    assert links and {int(n) for n in links} <= set(d.turns())
    assert len(links) == len(d.turning_points())
