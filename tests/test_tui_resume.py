"""Never lose a session: the real app, driven by the pilot in a subprocess, is killed with
SIGKILL in the middle of a turn; `wargame play --continue` resumes with every committed order.

Run as a script, this module is the harness: it plays until two human orders and the bots'
orders are journaled, prints READY, and waits to be killed.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


async def _harness(scenario: Path, saves: Path) -> None:
    sys.path.insert(0, str(HERE))
    from test_tui_fixture import QUAD_SEATS, pick_card, press, settle

    from wargame.tui.app import Options, WargameApp

    app = WargameApp(Options(scenario=scenario, seed=5, saves=saves, timer=0, bots=QUAD_SEATS))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s", "enter", "enter")
        await pick_card(app, pilot, "Trade mission")
        await press(app, pilot, "enter", "enter", "text:first", "enter")
        print("ORDER 1", flush=True)
        await pick_card(app, pilot, "Renew the charter")
        await press(app, pilot, "enter", "enter", "text:second", "enter")
        print("ORDER 2", flush=True)
        print("READY", flush=True)
        while True:  # the parent kills us here, mid-turn, with the team's screen open
            await asyncio.sleep(1)


def test_sigkill_mid_turn_then_continue(tmp_path: Path) -> None:
    sys.path.insert(0, str(HERE))
    from test_tui_fixture import make_quad

    quad = make_quad(tmp_path)
    saves = tmp_path / "saves"
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), str(quad), str(saves)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=HERE.parent,
    )
    seen: list[str] = []
    deadline = time.monotonic() + 60
    try:
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line.strip())
            if line.strip() == "READY":
                break
        assert "READY" in seen, (seen, proc.stderr.read() if proc.stderr else "")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    from wargame import journal
    from wargame.tui.launch import latest_save

    path = latest_save(saves)
    assert path is not None
    loaded, writer = journal.resume(path)
    writer.close()
    orders = loaded.session.orders_of("merchants")
    assert [(o.card, o.rationale) for o in orders] == [("trade_mission", "first"),
                                                       ("renew_charter", "second")]
    # The bots had committed too; nothing after the kill is missing.
    st = loaded.session.state
    committed = {loaded.session.tables.roles[r].id for r in st.committed}
    assert committed == {"corsairs", "islanders"}

    # `wargame play --continue`: the app opens on the situation room at the same point.
    async def resume_in_app() -> str:
        from test_tui_fixture import settle

        from wargame.tui.app import Options, WargameApp
        from wargame.tui.screens.room import RoomScreen

        app = WargameApp(Options(saves=saves, resume="latest", timer=0))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, RoomScreen)
            assert app.game is not None
            assert app.game.session.orders_of("merchants") == orders
            return app.game.state.digest()

    assert asyncio.run(resume_in_app()) == st.digest()


if __name__ == "__main__":
    asyncio.run(_harness(Path(sys.argv[1]), Path(sys.argv[2])))
