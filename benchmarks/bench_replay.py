"""Speed of the debrief. Run: `.venv/bin/python benchmarks/bench_replay.py [SAVE]`.

On a full-length five-team save (default: the bundled example, 8 turns, 5 teams), prints:
- opening it: the whole process, from start to the debrief model built (median of 5; the
  replay screen draws on top of this; target: well under 1 s);
- seeking to a record: the board there, what changed, a team's view of it and the timeline as
  that team saw it (median and worst over every record; target: under 50 ms);
- `wargame report --format html` with its charts, whole process (median of 3; target: 3 s);
- the replay screen: `wargame replay SAVE` in a real 160x48 pty until its first frame is
  drawn, whole process (median of 5; target: under 1 s), and a seek in it, key to repainted
  frame at 160x48 (→ ← PgDn PgUp End Home and a jump to a turn; target: under 50 ms).
"""

from __future__ import annotations

import asyncio
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


def screen_open(save: Path, runs: int = 5) -> list[float]:
    """`wargame replay SAVE` in a 160x48 pty until the replay screen's first frame."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_tui import _ready_time  # type: ignore[import-not-found]

    cmd = [str(BIN / "wargame"), "replay", str(save)]
    _ready_time(cmd, ROOT)  # warm the file cache and .pyc files
    return [_ready_time(cmd, ROOT) for _ in range(runs)]


async def screen_seeks(save: Path) -> dict[str, list[float]]:
    """Key → repainted frame in the replay screen at 160x48, every panel on screen."""
    from bench_tui import _key_to_frame  # type: ignore[import-not-found]

    from wargame.facilitation.launch import Options
    from wargame.tui.app import WargameApp
    from wargame.tui.screens.replay import ReplayScreen

    sys.path.insert(0, str(ROOT / "tests"))
    from test_tui_fixture import settle  # type: ignore[import-not-found]

    with tempfile.TemporaryDirectory() as tmp:
        app = WargameApp(Options(replay=save, saves=Path(tmp), key_hold=0.0))
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(app, pilot)
            await pilot.pause(0.5)
            screen = app.screen
            assert isinstance(screen, ReplayScreen)
            frames: list[tuple[float, float]] = []
            display = app._display

            def spy(scr, renderable):  # type: ignore[no-untyped-def]
                if renderable is not None:
                    frames.append((time.perf_counter(), time.thread_time()))
                display(scr, renderable)

            app._display = spy  # type: ignore[method-assign]
            timings: dict[str, list[float]] = {}
            keys = ["right", "right", "left", "pagedown", "pagedown", "pageup", "end", "home"]
            for _ in range(5):
                for k in keys:
                    got = await _key_to_frame(app, k, frames)
                    if got is not None:
                        timings.setdefault(k, []).append(got[0])
                        timings.setdefault(f"{k} (CPU)", []).append(got[1])
            # A jump to each turn, as Ctrl+G does once its number is typed.
            for n in range(1, screen.d.last_turns() + 1):
                frames.clear()
                t = time.perf_counter()
                screen.goto(screen.d.first_record_of_turn(n))
                deadline = t + 1.0
                while not frames and time.perf_counter() < deadline:
                    await asyncio.sleep(0.0005)
                if frames:
                    timings.setdefault("jump to a turn", []).append(frames[0][0] - t)
                await asyncio.sleep(0.2)
            app._display = display  # type: ignore[method-assign]
    return timings


def report_maps(save: Path, runs: int = 5) -> tuple[list[float], int]:
    """Seconds the report's maps take (their model and their SVG), on a save opened anew each
    run (so no state is cached from the run before), and their size in KB."""
    from wargame.facilitation.debrief import Debrief
    from wargame.report.document import build, maps_of
    from wargame.report.html import maps_html

    doc = build(Debrief.open(save))
    times = []
    size = 0
    for _ in range(runs):
        d = Debrief.open(save)
        t = time.perf_counter()
        doc.maps, doc.final_map = maps_of(d)
        size = len("".join(maps_html(doc)).encode())
        times.append(time.perf_counter() - t)
    return times, size // 1024


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
    maps, kb = report_maps(save)
    print(
        f"    of which the maps (a map per turn and the final map, {kb} KB of SVG): median "
        f"{statistics.median(maps) * 1000:.1f} ms (target: under 1 s added)"
    )
    shown = screen_open(save)
    print(
        f"wargame replay {save.name} → replay screen drawn, 160x48 (whole process): median "
        f"{statistics.median(shown):.2f} s, worst {max(shown):.2f} s (target < 1 s)"
    )
    timings = asyncio.run(screen_seeks(save))
    every = sorted(x * 1000 for k, v in timings.items() for x in v if "CPU" not in k)
    print(
        f"replay screen, 160x48, seek key → repainted frame: median "
        f"{statistics.median(every):.1f} ms, worst {every[-1]:.1f} ms (target < 50 ms)"
    )
    for k, v in timings.items():
        print(
            f"    {k:<15} {statistics.median(v) * 1000:6.1f} ms median, max {max(v) * 1000:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
