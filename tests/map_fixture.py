"""A game of the four-seat test scenario stopped in the room at the second turn's orders, with
the first turn's moves on the map: the bots play every seat but the merchants', whose team
commits no order. Deterministic: fixed seed, fixed clock, fixed file name."""

from __future__ import annotations

from pathlib import Path

from test_tui_fixture import fix_clock, make_quad

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
    from wargame import journal
    from wargame.actions import Accept, Pass
    from wargame.engine import Session
    from wargame.facilitation.controller import Game
    from wargame.facilitation.launch import load_tables
    from wargame.pending import AdjudicationDue, ChanceDue, OrdersDue
    from wargame.seats import parse_seats, present_of

    restore = fix_clock()
    try:
        tables = load_tables(scenario or make_quad(scenario_dir), turns=max(4, turn))
        seats = parse_seats(f"all=greedy,{human}=human", tables)
        present = present_of(tables, seats)
        header = journal.Header(
            scenario=tables.scenario.model_dump(mode="json"),
            seed=seed,
            seats=seats,
            present=list(present),
            facilitated=True,
            started="2026-03-02T09:00:00.000+00:00",
            settings={"timer": 0},
        )
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / SAVE_NAME
        path.unlink(missing_ok=True)
        writer = journal.JournalWriter(path, header)
        session = Session(tables, seed=seed, present=present, facilitated=True, sink=writer)
        session.settle()
        game = Game(session, writer, seats, header.settings)
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
        writer.close()
        return path
    finally:
        restore()
