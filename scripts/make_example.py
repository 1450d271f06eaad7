"""Make the bundled example save, `saves/example-circle-of-friends.jsonl` (`make example`).

A full game of the bundled scenario, five teams played by the greedy bot, run by a White Cell
that writes notes, overrides a roll, injects an event and lets a team take an order back: a
save a new user can replay and report on at once. Deterministic: the same engine makes the same
file, byte for byte (the clock in the records is a fixed, made-up one).

    .venv/bin/python scripts/make_example.py [OUTPUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "saves" / "example-circle-of-friends.jsonl"
SEED = 2019
SEATS = "all=greedy"

NOTES = {
    1: "Debrief question: which channels does China use when government ties are frozen?",
    3: "Watch the swing states: do they draw benefits from both sides, or pick one?",
    6: "Ask each team: which of your objectives did the other teams' moves make harder?",
}
"""White Cell notes, written at the start of these turns."""

TEAM_NOTE = (4, "swing", "We keep both doors open: no side gets our ports for free.")
OVERRIDE_TURN = 3
INJECT_TURN = 5
TAKE_BACK_TURN = 2


def make(output: Path) -> Path:
    from wargame import __version__, journal, records
    from wargame.actions import Accept, Inject, Note, Override, Undo
    from wargame.engine import Session
    from wargame.facilitation.controller import Game
    from wargame.facilitation.history import TEAM_TAKE_BACK
    from wargame.facilitation.launch import load_tables
    from wargame.pending import AdjudicationDue, ChanceDue, OrdersDue
    from wargame.seats import parse_seats, present_of

    tick = [0]

    def clock() -> str:
        tick[0] += 7
        m, s = divmod(tick[0], 60)
        h, m = divmod(m, 60)
        return f"2025-03-14T{9 + h:02d}:{m:02d}:{s:02d}.000+00:00"

    # Records carry made-up times, so the file is the same on every run.
    records.now = clock
    tables = load_tables(ROOT / "decks" / "circle-of-friends")
    seats = parse_seats(SEATS, tables)
    present = present_of(tables, seats)
    header = journal.Header(
        scenario=tables.scenario.model_dump(mode="json"),
        seed=SEED,
        seats=seats,
        present=list(present),
        facilitated=True,
        started="2025-03-14T09:00:00.000+00:00",
        engine=__version__,
        settings={"timer": 0, "example": True},
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.unlink(missing_ok=True)
    writer = journal.JournalWriter(tmp, header)
    session = Session(tables, seed=SEED, present=present, facilitated=True, sink=writer)
    session.settle()
    game = Game(session, writer, seats, header.settings)
    noted: set[int] = set()
    overridden = injected = taken_back = False
    team_noted = False
    while not game.state.over:
        st = game.state
        due = game.pending()
        if isinstance(due, OrdersDue):
            turn = st.turn
            if turn in NOTES and turn not in noted:
                noted.add(turn)
                game.note(NOTES[turn])
                continue
            if turn == TEAM_NOTE[0] and not team_noted:
                team_noted = True
                game.note(TEAM_NOTE[2], TEAM_NOTE[1])
                continue
            if turn == INJECT_TURN and not injected:
                injected = True
                legal = game.legal_injects()
                if legal:
                    card = tables.cards[legal[0]]
                    game.step(Inject(card.id, "to see how the alliances hold under a sudden shock"))
                    continue
            r = due.roles[0]
            bot = game.bots[r]
            action = game.bot_action(r, bot.choose(game.view(r), r), bot.last_explanation)
            game.step(action)
            if turn == TAKE_BACK_TURN and not taken_back and type(action).__name__ == "Order":
                taken_back = True
                game.step(Undo(reason=TEAM_TAKE_BACK))
        elif isinstance(due, AdjudicationDue):
            drawn = str(st.pending[1]) if st.pending is not None else "success"
            if st.turn == OVERRIDE_TURN and not overridden:
                overridden = True
                other = "failure" if drawn == "success" else "success"
                game.step(
                    Override(
                        other,
                        "White Cell ruling: the host government fell the week before the "
                        "meeting (ask the class whether chance alone should decide this)",
                    )
                )
            else:
                game.step(Accept())
        elif isinstance(due, ChanceDue):
            game.settle()
        else:
            raise SystemExit(f"the example game is stuck waiting for {due!r}")
    game.step(Note("End of the example game: open it with `wargame replay` or `wargame report`."))
    writer.close()
    if not (overridden and injected and taken_back and noted):
        raise SystemExit("the example game did not get its override, inject, take-back and notes")
    tmp.replace(output)
    return output


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUTPUT
    path = make(out)
    print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
