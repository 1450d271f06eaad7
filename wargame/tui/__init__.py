"""The Textual terminal UI: a thin shell over the Session.

Screens call the Session (through `game.Game`), widgets render an immutable State, long work
(bots thinking, loading a scenario) runs in thread workers that report back by message. Nothing
below `wargame.tui` imports Textual.
"""
