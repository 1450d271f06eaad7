"""`wargame serve` tried as a facilitator would, in headless chromium: the bundled scenario with
four human teams and a bot, four team tabs and the White Cell's, a full turn with orders given
and committed in parallel, one tab closed and reopened mid-turn (its order kept), then the White
Cell moves the game to turn 2. Screenshots in build/artifacts/tryout/.

Run: `.venv/bin/python scripts/try_serve.py` (needs Debian's chromium)."""

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from cdp import Browser, Tab  # noqa: E402
from test_serve_browser import give_first_order, open_app, start_server, stop_server  # noqa: E402

OUT = ROOT / "build" / "artifacts" / "tryout"


async def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="wargame-tryout-"))
    proc, links = start_server(tmp, "--bots", "russia=greedy")
    print(links)
    b = await Browser.start(1100, 700)
    try:
        room = await open_app(b, links["White Cell"], "Seats")
        names = [k for k in links if k not in ("White Cell", "Public")]
        tabs = {n: await open_app(b, links[n], "Your hand") for n in names}
        await room.screenshot(OUT / "1-room-all-joined.png")
        # Every team gives an order at once.
        await asyncio.gather(*(give_first_order(t, f"{n} wants this") for n, t in tabs.items()))
        # One team's tab closes mid-turn and is opened again from its link.
        lost = names[1]
        await tabs[lost].close()
        await asyncio.sleep(1.0)
        await room.screenshot(OUT / "2-room-one-tab-closed.png")
        print(
            "room after close:", [ln for ln in (await room.text()).splitlines() if lost in ln][:2]
        )
        tabs[lost] = await open_app(b, links[lost], "Your hand")
        text = await tabs[lost].text()
        assert f"{lost} wants this" in text, text
        await tabs[lost].screenshot(OUT / "3-reopened-seat-kept-its-order.png")

        # All commit in parallel.
        async def commit(t: Tab) -> None:
            await t.key("s", ctrl=True)
            await t.wait_for("Commit 1 order")
            await t.key("y", ctrl=True)
            await t.wait_for("committed")

        await asyncio.gather(*(commit(t) for t in tabs.values()))
        await tabs[names[0]].screenshot(OUT / "4-seat-committed.png")
        # The White Cell moves the game on until the next turn's orders.
        for i in range(20):
            text = await room.wait_for("White Cell")
            status = "\n".join(text.splitlines()[:3])
            if "Turn 2/" in status and "Orders" in status and "Ctrl+E" in status:
                break
            if "Ctrl+E" not in status:
                await asyncio.sleep(0.3)
                continue
            print("room:", status.replace("\n", " | ")[:200])
            await room.key("e", ctrl=True)
            await room.wait_for("Do it")
            await room.key("y", ctrl=True)
            await asyncio.sleep(0.6)
            await room.screenshot(OUT / f"5-room-step-{i}.png")
        await room.screenshot(OUT / "6-room-turn-2.png")
        t = await tabs[names[0]].wait_for("Turn 2/")
        await tabs[names[0]].screenshot(OUT / "7-seat-turn-2.png")
        print("seat now:", t.splitlines()[0])
    finally:
        await b.close()
        stop_server(proc)
        assert proc.stdout is not None
        print(proc.stdout.read()[-2000:])


if __name__ == "__main__":
    asyncio.run(main())
