"""A game of the four-seat test scenario stopped in the room at the second turn's orders, with
the first turn's moves on the map: the bots play every seat but the merchants', whose team
commits no order. Deterministic: fixed seed, fixed clock, fixed file name."""

from __future__ import annotations

from pathlib import Path

from test_tui_fixture import facilitated_game, fix_clock, make_quad

SAVE_NAME = "2026-03-02-map.jsonl"


def make_map_save(
    folder: Path,
    scenario_dir: Path,
    *,
    seed: int = 1,
    turn: int = 2,
    scenario: Path | None = None,
    human: str = "merchants",
) -> Path:
    """Write the game to `folder/SAVE_NAME`, stopped at `turn`'s orders, and return its path.
    `scenario`: another scenario folder than the four-seat one, `human` its role played by
    people."""
    from wargame.actions import Accept, Pass
    from wargame.facilitation.launch import load_tables
    from wargame.pending import AdjudicationDue, ChanceDue, OrdersDue

    restore = fix_clock()
    try:
        tables = load_tables(scenario or make_quad(scenario_dir), turns=max(4, turn))
        path = folder / SAVE_NAME
        game = facilitated_game(tables, f"all=greedy,{human}=human", seed, path)
        while True:
            st = game.state
            due = game.pending()
            if isinstance(due, OrdersDue):
                if st.turn == turn:
                    break
                r = due.roles[0]
                if game.is_human(r):
                    game.step(Pass(tables.roles[r].id))
                    continue
                bot = game.bots[r]
                game.step(game.bot_action(r, bot.choose(game.view(r), r), bot.last_explanation))
            elif isinstance(due, ChanceDue):
                game.settle()
            elif isinstance(due, AdjudicationDue):
                game.step(Accept())
            else:
                break
        game.writer.close()
        return path
    finally:
        restore()
