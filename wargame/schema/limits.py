"""Display limits the scenario language enforces, in a module free of pydantic so that the
terminal UI can read them without loading the schema (it starts before any scenario loads)."""

from __future__ import annotations

SHORT_MAX = 20
"""The longest short name: what fits a log line's subject, a table column or the status line."""

TRACK_SHORT_MAX = 18
"""A track's short name is shown beside its gauge in the 80-column side panel: 18 fit."""
