"""The facilitation layer: what every front end (the terminal UI, `wargame replay`, a report, a
browser seat) needs between the engine and the screen, free of Textual.

- `controller`: the game as a front end drives it (seats, bots, whose turn, the phase clock, the
  White Cell's powers, what to show next).
- `clock`: the per-phase countdown and how a resumed game finds it again.
- `story`: the resolution of a turn, turn summaries and the story of the game; `changes`: what
  changed between two boards and where turns end.
- `room`: what the situation room says (the public log, the teams' activity, the status line).
- `text`: the names of things (roles, powers, statuses, a card's effects and filters).
- `launch`: what a setup screen needs before any game exists (scenarios, saves, loading).
- `debrief`: a saved session read for a debrief (the replay screen, `replay --text`, the
  report): `entries` (each record in words, `entries.py`), the board at any record, each team's
  viewpoint, filters, chart series; `turning` (turning points), `bookmarks` (the sidecar of
  bookmarks and teaching notes) and `compare` (two saves that share a start).
"""
