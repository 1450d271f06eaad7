"""A saved game of the four-seat test scenario for the replay screen's tests: three turns played
by random bots and run by a White Cell that writes notes (its own and a team's), overrides a
roll, injects an event and lets a team take an order back. Deterministic: fixed seed, fixed
clock, fixed file name and date."""

from __future__ import annotations

import os
from pathlib import Path

from test_tui_fixture import facilitated_game, fix_clock, make_quad

SAVE_NAME = "2026-03-02-archipelago.jsonl"
WHEN = 1772442000  # 2026-03-02, 09:00 UTC
OVERRIDE_REASON = "the harbour master was bribed"
WHITE_NOTE = "Ask the class: why did the guilds court the outer reefs?"
TEAM_NOTE = "We keep both fleets guessing."


def make_replay_save(folder: Path, scenario_dir: Path | None = None) -> Path:
    """Write the game to `folder/SAVE_NAME` and return its path."""
    from wargame.actions import Accept, Inject, Note, Order, Override, Undo
    from wargame.facilitation.history import TEAM_TAKE_BACK
    from wargame.facilitation.launch import load_tables
    from wargame.pending import AdjudicationDue, ChanceDue, OrdersDue

    restore = fix_clock()
    try:
        tables = load_tables(make_quad(scenario_dir or folder / "scenario"), turns=3)
        path = folder / SAVE_NAME
        game = facilitated_game(tables, "all=random", 7, path)
        done: set[str] = set()
        while not game.state.over:
            st = game.state
            due = game.pending()
            if isinstance(due, OrdersDue):
                if st.turn == 1 and "note" not in done:
                    done.add("note")
                    game.note(WHITE_NOTE)
                    continue
                if st.turn == 2 and "team note" not in done:
                    done.add("team note")
                    game.note(TEAM_NOTE, "guilds")
                    continue
                if st.turn == 2 and "inject" not in done and game.legal_injects():
                    done.add("inject")
                    card = tables.cards[game.legal_injects()[0]]
                    game.step(Inject(card.id, "a storm nobody planned for"))
                    continue
                r = due.roles[0]
                bot = game.bots[r]
                action = game.bot_action(r, bot.choose(game.view(r), r), bot.last_explanation)
                game.step(action)
                if "take back" not in done and isinstance(action, Order):
                    done.add("take back")
                    game.step(Undo(reason=TEAM_TAKE_BACK))
            elif isinstance(due, AdjudicationDue):
                drawn = str(st.pending[1]) if st.pending is not None else "success"
                if "override" not in done:
                    done.add("override")
                    other = "failure" if drawn == "success" else "success"
                    game.step(Override(other, OVERRIDE_REASON))
                else:
                    game.step(Accept())
            elif isinstance(due, ChanceDue):
                game.settle()
            else:  # pragma: no cover - says what the fixture game waits for
                raise AssertionError(f"the fixture game is stuck waiting for {due!r}")
        game.step(Note("End of the test game."))
        game.writer.close()
    finally:
        restore()
    missing = {"note", "team note", "inject", "take back", "override"} - done
    assert not missing, f"the fixture game lacks: {missing}"
    os.utime(path, (WHEN, WHEN))
    return path
