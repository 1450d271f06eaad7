"""Speed of the debrief. Run: `.venv/bin/python benchmarks/bench_replay.py [SAVE]`.

On a full-length five-team save (default: the bundled example, 8 turns, 5 teams), prints:
- opening it: the whole process, from start to the debrief model built (median of 5; the
  replay screen draws on top of this; target: well under 1 s);
- seeking to a record: the board there, what changed, a team's view of it and the timeline as
  that team saw it (median and worst over every record; target: under 50 ms);
- `wargame report --format html` with its charts, whole process (median of 3; target: 3 s).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "saves" / "example-circle-of-friends.jsonl"

OPEN = """
import sys
from wargame.facilitation.debrief import Debrief
d = Debrief.open(sys.argv[1])
assert d.records > 0
"""


def whole_process(cmd: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True, timeout=120)
        out.append(time.perf_counter() - t0)
    return out


def seek_times(save: Path) -> list[float]:
    from wargame.facilitation.debrief import Debrief

    d = Debrief.open(save)
    role = d.tables.roles[0].id
    d.series()  # charts are drawn once per screen, not per seek
    out = []
    order = list(range(d.records, -1, -1)) + list(range(0, d.records + 1, 7))
    for i in order:
        t0 = time.perf_counter()
        d.state_at(i)
        d.changes_at(i)
        d.view_at(i, role)
        d.visible(role, at=i)
        d.turn_at(i)
        out.append(time.perf_counter() - t0)
    return out


def main(argv: list[str]) -> int:
    save = Path(argv[1]) if len(argv) > 1 else EXAMPLE
    py = str(BIN / "python")
    opened = whole_process([py, "-c", OPEN, str(save)], 5)
    print(
        f"open {save.name} (whole process, model built): median "
        f"{statistics.median(opened):.2f} s, worst {max(opened):.2f} s"
    )
    seeks = seek_times(save)
    print(
        f"seek to a record ({len(seeks)} seeks): median {statistics.median(seeks) * 1000:.1f} ms, "
        f"worst {max(seeks) * 1000:.1f} ms"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        cmd = [str(BIN / "wargame"), "report", "--format", "html", "-o", str(out), str(save)]
        report = whole_process(cmd, 3)
        size = out.stat().st_size
    print(
        f"wargame report --format html (whole process, {size // 1024} KB): median "
        f"{statistics.median(report):.2f} s, worst {max(report):.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
