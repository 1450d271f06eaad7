"""`wargame serve` in a real browser: Debian's headless chromium opens a team's join link, gives
an order and commits it, and the White Cell's page shows the commit. Screenshots of both pages
are kept in build/artifacts/ (the CI keeps that folder).

Runs where chromium is installed (`.ci/run` installs it); skipped, saying so, elsewhere."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from cdp import CHROMIUM, Browser, Tab
from test_tui_fixture import make_quad

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)

ARTIFACTS = Path(__file__).resolve().parent.parent / "build" / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(tmp: Path, *extra: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """`wargame serve` on a free port; its links by name ('White Cell', a team, 'Public')."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wargame",
            "serve",
            "--saves",
            str(tmp / "saves"),
            "--port",
            str(port),
            "--seed",
            "5",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.stdout is not None
    links: dict[str, str] = {}
    label = ""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        text = line.strip()
        if text.startswith("White Cell"):
            label = "White Cell"
        elif text.startswith("Public board"):
            label = "Public"
        elif "http://" in text:
            name, _, url = text.rpartition(" ")
            links[name.rstrip(":") or label] = url
        if text.startswith("Ctrl+C"):
            break
    # the server is up once its port answers
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            break
        except OSError:
            time.sleep(0.1)
    return proc, links


def stop_server(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


async def open_app(browser: Browser, url: str, ready: str) -> Tab:
    """Open a link and click into the page (the click gives the terminal the keyboard)."""
    tab = await browser.tab(url)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while loop.time() < deadline:
        if await tab.js("!!window.__terminal && document.readyState === 'complete'"):
            break
        await asyncio.sleep(0.05)
    await tab.click()
    await tab.wait_for(ready, 30)
    # The click may land on the page's start-up overlay rather than on the terminal: give the
    # terminal the keyboard as a user's second click would.
    await tab.js("window.__terminal.focus()")
    return tab


async def give_first_order(tab: Tab, why: str) -> None:
    await tab.key("enter")
    text = await tab.wait_for("Why?")
    if "0 of 1 chosen" in text:  # the card has a target: the first legal one
        await tab.key("enter")
        await tab.wait_for("1 of 1 chosen")  # and the focus is on "Why?" now
    await tab.type(why)
    await tab.key("enter")
    await tab.wait_for(f"why: {why}")


async def test_a_team_commits_in_the_browser_and_the_room_sees_it(tmp_path: Path) -> None:
    folder = make_quad(tmp_path)
    proc, links = start_server(tmp_path, "--scenario", str(folder))
    try:
        assert "White Cell" in links and len(links) >= 3, links
        team_name = next(k for k in links if k not in ("White Cell", "Public"))
        browser = await Browser.start()
        try:
            room = await asyncio.wait_for(open_app(browser, links["White Cell"], "Seats"), 60)
            seat = await asyncio.wait_for(open_app(browser, links[team_name], "Your hand"), 60)
            await asyncio.wait_for(give_first_order(seat, "from the browser"), 30)
            await seat.key("s", ctrl=True)
            await seat.wait_for("Commit 1 order")
            await seat.key("y", ctrl=True)
            await seat.wait_for("Your orders are committed")
            shown = await room.wait_for("✓ committed")
            assert f"{team_name}" in shown
            # A team without a laptop plays at the White Cell's screen (mixed seats).
            await room.call("Page.bringToFront")
            await room.key("2")
            await room.key("o", ctrl=True)
            await room.wait_for("Hand the keyboard to")
            await room.key("o", ctrl=True)
            await room.wait_for("Your hand")
            await give_first_order(room, "at the projector")
            await room.key("s", ctrl=True)
            await room.wait_for("Commit 1 order")
            await room.key("y", ctrl=True)
            back = await room.wait_for("Seats")
            # The room returns when the team's own link hears its commit; the White Cell's
            # link may hear it a moment later.
            for _ in range(100):
                if back.count("✓ committed") == 2:
                    break
                await asyncio.sleep(0.1)
                back = await room.text()
            assert back.count("✓ committed") == 2, back
            # The White Cell's own controls from its page: an inject with its reason, a note.
            await room.key("g", ctrl=True)
            await room.wait_for("Inject an event card")
            await room.key("enter")
            await room.wait_for("Why now?")
            await room.type("from the projector")
            await room.key("enter")
            await room.wait_for("”: from the projector")
            await room.key("k", ctrl=True)
            await room.wait_for("Note for the record")
            await room.type("the class argued about it")
            await room.key("enter")
            await room.wait_for("Note (White Cell): the class argued about it")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            await seat.screenshot(ARTIFACTS / "serve-team.png")
            await room.screenshot(ARTIFACTS / "serve-white-cell.png")
            # The same team's link in a second tab: refused while the first is open.
            twice = await open_app(browser, links[team_name], "already open in another browser")
            await twice.close()
            # A wrong code gets a refusal page, and no app; its websocket is closed at once.
            bad = await browser.tab(links["White Cell"].rsplit("/", 1)[0] + "/not-a-code")
            await asyncio.sleep(0.5)
            assert "not valid" in str(await bad.js("document.body.innerText"))
            base = links["White Cell"].rsplit("/t/", 1)[0].replace("http", "ws")
            async with aiohttp.ClientSession() as http:
                async with http.ws_connect(f"{base}/ws/not-a-code") as ws:
                    msg = await ws.receive(timeout=10)
                    assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        finally:
            await browser.close()
    finally:
        stop_server(proc)
    assert proc.stdout is not None
    log = proc.stdout.read()
    assert "refused a page" in log
    assert "refused a join" in log  # the websocket with a wrong code
    assert "refused a second browser" in log
