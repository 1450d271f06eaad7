"""The per-phase countdown shown in the situation room, and how a resumed game finds it again.

The clock is display only: the White Cell ends a phase, the clock never does. What moves it is
in the journal: a phase starts with the action that opened it (after a turn's end, with the
reading of its summary); pauses, resumptions of play and extensions are notes with fixed texts
(below); each record carries its wall-clock time. So a
resumed game replays the clock from the journal (`replay`) and carries on with the time that
was left at the last record written before the stop. The time between that record and the
stop is not known, and is not counted; nor is the time the session was down: each
`wargame play --continue` journals `SESSION_RESUMED`, which closes the gap.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

PAUSED = "the White Cell paused the game"
PLAY_RESUMED = "the game resumed"
EXTENDED = "the phase timer was extended by 2 minutes"
EXTENSION = 120
SESSION_RESUMED = "the session was resumed from its save (wargame play --continue)"
SUMMARY_READ = "the turn summary was read"
"""Journaled when the White Cell leaves a turn's summary: the next phase's clock starts then,
not while the room discusses what changed."""

Key = tuple[int, str] | None


class PhaseClock:
    """A per-phase countdown (orders and resolution)."""

    def __init__(self, minutes: int) -> None:
        self.length = max(0, int(minutes)) * 60
        self.key: Key = None
        self.deadline = 0.0
        self.paused_left: float | None = None
        self.rang = False

    @property
    def enabled(self) -> bool:
        return self.length > 0

    def sync(self, key: Key) -> None:
        if key != self.key:
            self.key = key
            self.deadline = time.monotonic() + self.length
            self.paused_left = None if self.paused_left is None else float(self.length)
            self.rang = False

    def restore(self, key: Key, left: float) -> None:
        """Carry on a phase already under way with `left` seconds (a resumed game)."""
        self.key = key
        self.deadline = time.monotonic() + left
        self.paused_left = None
        self.rang = left <= 0  # the bell rang before the stop

    def remaining(self) -> float:
        if self.paused_left is not None:
            return self.paused_left
        return self.deadline - time.monotonic()

    def pause(self) -> None:
        if self.paused_left is None:
            self.paused_left = self.remaining()

    def resume(self) -> None:
        if self.paused_left is not None:
            self.deadline = time.monotonic() + self.paused_left
            self.paused_left = None

    def extend(self, seconds: int) -> None:
        if self.paused_left is not None:
            self.paused_left += seconds
        else:
            self.deadline = max(self.deadline, time.monotonic()) + seconds
        self.rang = False

    def text(self) -> tuple[str, str]:
        """What the clock shows and its emphasis (see `room.Span`); empty when it is off."""
        if not self.enabled or self.key is None:
            return ("", "")
        left = self.remaining()
        if left <= 0:
            return ("time is up", "error")
        m, s = divmod(int(left + 0.999), 60)
        emphasis = "alert" if left < 60 else "strong"
        return (
            f"timer {m:02d}:{s:02d}" + (" (paused)" if self.paused_left is not None else ""),
            emphasis,
        )


@dataclass(frozen=True, slots=True)
class Mark:
    """One journal record as the clock sees it."""

    time: float
    """Wall-clock seconds (epoch)."""
    key: Key
    """The clock's phase after the record."""
    note: str = ""
    """The text of a White Cell note, if the record is one."""


def replay(length: float, start: float, first: Key, marks: Iterable[Mark]) -> tuple[Key, float]:
    """The phase and the seconds left on its clock after the last of `marks`, as the live clock
    would have shown them at that record's time. `start` is when the game began (its first
    phase, `first`, with it)."""
    key = first
    used = 0.0  # seconds the clock ran in this phase, up to `since`
    extra = 0.0
    since = start  # start of the running stretch (when not paused)
    paused = False
    last = start
    for m in marks:
        t = m.time
        if m.note == SESSION_RESUMED:
            # The session was down from the record before this one until now.
            if not paused:
                used += max(0.0, last - since)
            paused = False  # the pause screen is not restored: the clock runs again
            since = t
        elif m.note == PAUSED and not paused:
            used += max(0.0, t - since)
            paused = True
        elif m.note == PLAY_RESUMED and paused:
            paused = False
            since = t
        elif m.note == EXTENDED:
            if paused:
                extra += EXTENSION
            else:  # from now when the time was up, as the live clock does
                left = length + extra - used - max(0.0, t - since)
                extra += max(0.0, -left) + EXTENSION
        if m.key != key:
            key = m.key
            used = extra = 0.0
            since = t
        last = t
    if not paused:
        used += max(0.0, last - since)
    return key, length + extra - used
