"""The Textual terminal UI: a thin front end over the facilitation layer.

Screens are given the game controller (`wargame.facilitation.controller.Game`) and tell the App
what happened by message; widgets render an immutable State; long work (bots thinking, loading
a scenario) runs in thread workers that report back by message. Only this package imports
Textual.
"""
