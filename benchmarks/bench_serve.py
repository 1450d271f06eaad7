"""Speed of `wargame serve` in a real browser. Run: `.venv/bin/python benchmarks/bench_serve.py`
(needs Debian's chromium).

The host serves the bundled scenario with every role a human team (five: the scenario has five
roles), the White Cell's page and the teams' pages open in one headless chromium over loopback.
Prints:
- a key in a team's page to its screen showing the change (median of 30; target under 150 ms);
- a team's commit to the White Cell's page showing it (median of 12: a team commits, the White
  Cell's page takes the commit back with Ctrl+U, and again; target under 300 ms);
- memory per connected seat (the resident size of each page's app process; aim under 150 MB);
- both times again with twenty public-board pages connected as well;
- the machine's load before and after (it may be shared: say what else ran).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from cdp import CHROMIUM, Browser, Tab  # noqa: E402
from test_serve_browser import open_app, start_server, stop_server  # noqa: E402


def seat_processes() -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            cmd = (p / "cmdline").read_bytes()
        except OSError:
            continue
        if b"wargame.serve.seat" in cmd and b"/bin/sh" not in cmd:
            out.append(int(p.name))
    return out


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def key_times(tab: Tab, n: int = 30) -> list[float]:
    await tab.call("Page.bringToFront")
    times = []
    for i in range(n):
        before = await tab.text()
        t0 = time.perf_counter()
        await tab.key("down" if i % 2 == 0 else "up")
        while await tab.text() == before:
            await asyncio.sleep(0.002)
        times.append((time.perf_counter() - t0) * 1000)
    return times


async def commit_time(team: Tab, room: Tab) -> float:
    """A team commits; how long until the White Cell's page shows it. The White Cell then
    takes the commit back (Ctrl+U on its page), so that the same team can commit again."""
    before = (await room.text()).count("✓ committed")
    await team.key("s", ctrl=True)
    await team.wait_for("Commit")
    t0 = time.perf_counter()
    await team.key("y", ctrl=True)
    while (await room.text()).count("✓ committed") <= before:
        await asyncio.sleep(0.002)
    took = (time.perf_counter() - t0) * 1000
    await team.wait_for("Your orders are committed")
    await room.key("u", ctrl=True)
    await room.wait_for("Undo: the commit of")
    await room.key("y", ctrl=True)
    await team.wait_for("Your hand")
    # Between two commits in a classroom there are seconds: let the public boards, which
    # update a moment after the seats, finish repainting before the next sample.
    await asyncio.sleep(1.5)
    return took


async def commit_times(teams: list[Tab], room: Tab, n: int = 12) -> list[float]:
    return [await commit_time(teams[1 + i % (len(teams) - 1)], room) for i in range(n)]


def load() -> str:
    return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    return (
        f"median {statistics.median(times):.0f} ms "
        f"(p90 {ordered[int(len(ordered) * 0.9)]:.0f} ms, n={len(times)})"
    )


async def main() -> None:
    if CHROMIUM is None:
        print("chromium is not installed (apt-get install chromium): nothing measured")
        return
    with tempfile.TemporaryDirectory() as tmp:
        proc, links = start_server(Path(tmp))
        browser = await Browser.start()
        try:
            room = await open_app(browser, links["White Cell"], "Seats")
            names = [k for k in links if k not in ("White Cell", "Public")]
            teams = [await open_app(browser, links[k], "Your hand") for k in names]
            print(f"host, {len(teams)} team pages and the White Cell's page connected; {load()}")
            keys = await key_times(teams[0])
            commits = await commit_times(teams, room)
            seats = seat_processes()
            mem = [rss_mb(p) for p in seats]
            print(f"key to repainted screen: {summary(keys)}; target < 150")
            print(f"commit to the White Cell's screen: {summary(commits)}; target < 300")
            print(
                f"memory per connected seat: median {statistics.median(mem):.0f} MB, "
                f"max {max(mem):.0f} MB over {len(mem)} app processes (aim < 150)"
            )
            watchers = []
            for _ in range(20):
                watchers.append(await open_app(browser, links["Public"], "Public board"))
            print(f"with {len(watchers)} public-board pages connected as well:")
            keys = await key_times(teams[0])
            commits = await commit_times(teams, room)
            print(f"  key to repainted screen: {summary(keys)}")
            print(f"  commit to the White Cell's screen: {summary(commits)}")
            print(f"machine: {load()} at the end (2 cores; other work may be running)")
        finally:
            await browser.close()
            stop_server(proc)


if __name__ == "__main__":
    asyncio.run(main())
