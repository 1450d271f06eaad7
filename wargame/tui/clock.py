"""The per-phase countdown shown in the situation room."""

from __future__ import annotations

import time


class PhaseClock:
    """A per-phase countdown (orders and resolution). Display only: the White Cell ends a
    phase, the clock never does."""

    def __init__(self, minutes: int) -> None:
        self.length = max(0, int(minutes)) * 60
        self.key: tuple[int, str] | None = None
        self.deadline = 0.0
        self.paused_left: float | None = None
        self.rang = False

    @property
    def enabled(self) -> bool:
        return self.length > 0

    def sync(self, key: tuple[int, str] | None) -> None:
        if key != self.key:
            self.key = key
            self.deadline = time.monotonic() + self.length
            self.paused_left = None if self.paused_left is None else float(self.length)
            self.rang = False

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
        if not self.enabled or self.key is None:
            return ("", "")
        left = self.remaining()
        if left <= 0:
            return ("time is up", "bold $error")
        m, s = divmod(int(left + 0.999), 60)
        style = "bold $warning" if left < 60 else "bold"
        return (f"timer {m:02d}:{s:02d}" + (" (paused)" if self.paused_left is not None else ""),
                style)
