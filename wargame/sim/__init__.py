"""Monte Carlo: many bot-vs-bot games, a balance report with intervals (numpy).

`runner` plays the games (in parallel, reproducibly), `stats` turns them into the report's
numbers and flags, `report` renders text, JSON and CSV.
"""

from __future__ import annotations
