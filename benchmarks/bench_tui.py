"""Speed of the terminal UI. Run: `.venv/bin/python benchmarks/bench_tui.py`.

Prints:
- the whole process from `wargame play` to the first screen ready (a real pty, median of 5),
  next to an empty Textual app for reference (target: under 1.0 s);
- the time a key takes in the situation room of the bundled scenario at 160x48 (pilot press
  until every widget has processed it) and a full repaint of that screen (target: under 50 ms);
- that a bot turn never freezes the screen (keys answered while a slow bot thinks).
"""

from __future__ import annotations

import asyncio
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

EMPTY_APP = """
import os, sys, time
from pathlib import Path
from textual.app import App
class Empty(App):
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        Path(os.environ["WARGAME_READY_FILE"]).write_text(repr(time.time()))
        self.exit()
Empty().run()
"""


def _ready_time(cmd: list[str], cwd: Path) -> float:
    """Seconds from spawning `cmd` in a 160x48 pty until it writes its ready time."""
    import fcntl
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 48, 160, 0, 0))
    with tempfile.TemporaryDirectory() as tmp:
        ready = Path(tmp) / "ready"
        env = dict(os.environ, WARGAME_READY_FILE=str(ready), TERM="xterm-256color")
        # As installed for a user: the first run writes the .pyc files the others use.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        t0 = time.time()
        proc = subprocess.Popen(
            cmd, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, close_fds=True
        )
        os.close(slave)

        def drain() -> None:
            try:
                while os.read(master, 65536):
                    pass
            except OSError:
                pass

        t = threading.Thread(target=drain, daemon=True)
        t.start()
        proc.wait(timeout=60)
        os.close(master)
        if not ready.exists():
            raise RuntimeError(f"{cmd} never reported ready (exit {proc.returncode})")
        return float(ready.read_text()) - t0


def startup(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        play = [str(BIN / "wargame"), "play", "--saves", str(Path(tmp) / "saves")]
        empty = [sys.executable, "-c", EMPTY_APP]
        _ready_time(play, ROOT)  # warm the file cache and .pyc files
        ours = [_ready_time(play, ROOT) for _ in range(runs)]
        base = [_ready_time(empty, ROOT) for _ in range(runs)]
    print(
        f"wargame play → first screen ready: {statistics.median(ours):.3f} s median "
        f"(min {min(ours):.3f}, max {max(ours):.3f}; target < 1.0 s)"
    )
    print(f"empty Textual app → ready:         {statistics.median(base):.3f} s median")


async def _key_to_frame(
    app, key: str, frames: list[tuple[float, float]]
) -> tuple[float, float] | None:  # type: ignore[no-untyped-def]
    """Seconds from a key reaching the app to the next frame composed for the terminal (the
    headless driver skips only the final write), and the CPU seconds the app's thread spent
    meanwhile (on a loaded machine the first is up to twice the second); None when nothing
    needed repainting."""
    from textual import events

    char = {"question_mark": "?"}.get(key, key if len(key) == 1 else None)
    frames.clear()
    event = events.Key(key, char)
    event.set_sender(app)
    t, cpu = time.perf_counter(), time.thread_time()
    app._driver.send_message(event)
    deadline = t + 1.0
    while not frames and time.perf_counter() < deadline:
        await asyncio.sleep(0.0005)
    latency = (frames[0][0] - t, frames[0][1] - cpu) if frames else None
    await asyncio.sleep(0.2)  # a brisk typist; lets animations and follow-up frames finish
    return latency


def room_app(saves: Path) -> Any:
    """The app on the bundled scenario, China and Russia for people, a phase timer: what the
    room benchmarks open."""
    from wargame.facilitation.launch import Options
    from wargame.paths import default_scenario
    from wargame.tui.app import WargameApp

    return WargameApp(
        Options(
            scenario=default_scenario(),
            seed=3,
            saves=saves,
            timer=10,
            bots="us=random,allies=random,swing=random",
        )
    )


def spy_on_frames(app: Any) -> tuple[list[tuple[float, float]], Any]:
    """The times (wall, thread CPU) of each frame the app paints from now on, and the app's own
    painting function, to put back when done."""
    frames: list[tuple[float, float]] = []
    display = app._display

    def spy(screen, renderable):  # type: ignore[no-untyped-def]
        if renderable is not None:
            frames.append((time.perf_counter(), time.thread_time()))
        display(screen, renderable)

    app._display = spy
    return frames, display


async def keys_in_room() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_tui_fixture import settle  # type: ignore[import-not-found]

    with tempfile.TemporaryDirectory() as tmp:
        app = room_app(Path(tmp))
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(app, pilot)
            await pilot.press("ctrl+s", "ctrl+y")
            await settle(app, pilot)
            assert app.room() is not None and app.screen is app.room()
            # The projector opens on the map (keys_on_map times it): these keys are the table's.
            await pilot.press("m")
            await settle(app, pilot)
            frames, display = spy_on_frames(app)
            # Pairs that each change the screen, so every key needs a repaint.
            keys = [
                "down",
                "up",
                "pagedown",
                "pageup",
                "end",
                "home",
                "tab",
                "shift+tab",
                "question_mark",
                "escape",
                "f2",
                "f2",
            ]
            timings: dict[str, list[float]] = {}
            cpu: dict[str, list[float]] = {}
            for _ in range(5):
                for k in keys:
                    got = await _key_to_frame(app, k, frames)
                    if got is not None:
                        timings.setdefault(k, []).append(got[0])
                        cpu.setdefault(k, []).append(got[1])
            app._display = display  # type: ignore[method-assign]
            all_ms = sorted(x * 1000 for v in timings.values() for x in v)
            print(
                f"situation room, 160x48, key → repainted frame: median "
                f"{statistics.median(all_ms):.1f} ms, p95 {all_ms[int(len(all_ms) * 0.95)]:.1f} "
                f"ms, max {all_ms[-1]:.1f} ms (target < 50 ms)"
            )
            for k, v in timings.items():
                print(
                    f"    {k:<14} {statistics.median(v) * 1000:6.1f} ms median, "
                    f"max {max(v) * 1000:.1f} ms  (CPU {statistics.median(cpu[k]) * 1000:.1f} "
                    "ms median)"
                )
            screen = app.screen
            reps = []
            for _ in range(20):
                t = time.perf_counter()
                screen._compositor.render_update(full=True)
                reps.append(time.perf_counter() - t)
            print(
                f"full repaint of the situation room, 160x48: "
                f"{statistics.median(reps) * 1000:.1f} ms median"
            )
            room = app.room()
            g = app.game
            reps = []
            for _ in range(20):
                g._public = None
                for w in room.query("StatePanel"):
                    w._key = None
                t = time.perf_counter()
                room.refresh_view()
                reps.append(time.perf_counter() - t)
            print(
                f"rebuild every panel from a new state (after an action): "
                f"{statistics.median(reps) * 1000:.1f} ms median"
            )


async def keys_on_map() -> None:
    """The map in the situation room (m): toggling table and map, and the arrow keys moving its
    cursor (which redraws the map and the line naming the country), at 80x24 and 160x48."""
    for size in ((80, 24), (160, 48)):
        await _keys_on_map_at(size)


async def _keys_on_map_at(size: tuple[int, int]) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_tui_fixture import settle  # type: ignore[import-not-found]

    with tempfile.TemporaryDirectory() as tmp:
        app = room_app(Path(tmp))
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press("ctrl+s", "ctrl+y")
            await settle(app, pilot)
            assert app.room() is not None and app.screen is app.room()
            frames, display = spy_on_frames(app)
            keys = ["m", "m", "right", "down", "left", "up"]
            timings: dict[str, list[float]] = {}
            cpu: dict[str, list[float]] = {}
            for _ in range(5):
                for k in keys:
                    if k != "m" and not app.room().map_mode:
                        await _key_to_frame(app, "m", frames)
                    got = await _key_to_frame(app, k, frames)
                    if got is not None:
                        timings.setdefault(k, []).append(got[0])
                        cpu.setdefault(k, []).append(got[1])
            app._display = display  # type: ignore[method-assign]
            all_ms = sorted(x * 1000 for v in timings.values() for x in v)
            print(
                f"the map, {size[0]}x{size[1]}, key → repainted frame: median "
                f"{statistics.median(all_ms):.1f} ms, max {all_ms[-1]:.1f} ms "
                "(target < 50 ms)"
            )
            for k, v in timings.items():
                what = "toggle table/map" if k == "m" else "move the cursor"
                print(
                    f"    {k:<6} {what:<17} {statistics.median(v) * 1000:6.1f} ms median, "
                    f"max {max(v) * 1000:.1f} ms  (CPU {statistics.median(cpu[k]) * 1000:.1f} "
                    "ms median)"
                )


async def bot_never_freezes() -> None:
    """A deliberately slow bot (0.8 s per decision): keys are still answered meanwhile."""
    from wargame.bots import registry
    from wargame.bots.random_bot import RandomBot
    from wargame.facilitation.launch import Options
    from wargame.tui.app import WargameApp

    class SlowBot:
        """A random bot that thinks for 0.8 s (wraps it: the compiled bot cannot be
        subclassed from interpreted code)."""

        name = "random"

        def __init__(self, rng):  # type: ignore[no-untyped-def]
            self.inner = RandomBot(rng)
            self.last_explanation = ""

        def choose(self, view, role):  # type: ignore[no-untyped-def]
            time.sleep(0.8)
            action = self.inner.choose(view, role)
            self.last_explanation = self.inner.last_explanation
            return action

    original = registry._factories

    def factories():  # type: ignore[no-untyped-def]
        out = original()
        out["random"] = lambda rng, level: SlowBot(rng)
        return out

    registry._factories = factories  # type: ignore[assignment]
    from wargame.paths import default_scenario

    try:
        with tempfile.TemporaryDirectory() as tmp:
            app = WargameApp(
                Options(
                    scenario=default_scenario(),
                    seed=3,
                    saves=Path(tmp),
                    timer=0,
                    bots="all=random,china=human",
                )
            )
            async with app.run_test(size=(120, 40)) as pilot:
                for _ in range(100):
                    await pilot.pause(0.02)
                    if len(app.screen.query("#seat-china")):
                        break
                await pilot.pause(0.3)
                await pilot.press("ctrl+s")
                from wargame.tui.screens.resolution import ResolutionScreen

                while isinstance(app.screen, ResolutionScreen):  # an opening event's roll
                    await pilot.press("enter")
                    await pilot.pause(0.05)
                frames: list[tuple[float, float]] = []
                display = app._display

                def spy(screen, renderable):  # type: ignore[no-untyped-def]
                    if renderable is not None:
                        frames.append((time.perf_counter(), time.thread_time()))
                    display(screen, renderable)

                app._display = spy  # type: ignore[method-assign]
                worst = 0.0
                thinking = 0
                for k in ["tab", "shift+tab"] * 10:
                    busy = app.thinking
                    got = await _key_to_frame(app, k, frames)
                    if busy and got is not None:
                        thinking += 1
                        worst = max(worst, got[0])
                app._display = display  # type: ignore[method-assign]
                print(
                    f"while slow bots think (0.8 s a decision): {thinking} keys answered "
                    f"during their turns, slowest {worst * 1000:.1f} ms"
                )
    finally:
        registry._factories = original  # type: ignore[assignment]


def main() -> None:
    # Wall times depend on what else the machine runs: say so beside them.
    print(
        "load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}, {} CPUs".format(
            *os.getloadavg(), os.cpu_count()
        )
    )
    startup()
    asyncio.run(keys_in_room())
    asyncio.run(keys_on_map())
    asyncio.run(bot_never_freezes())


if __name__ == "__main__":
    main()
