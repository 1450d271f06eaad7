"""The typed error family: every failure a user can cause has its own class.

Shells catch `WargameError` and print or show its message; nothing below the shells prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class WargameError(Exception):
    """Base of every error the engine raises on purpose (bad input, illegal action, bad save)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in a scenario or deck, located so an editor can jump to it."""

    file: str
    line: int
    column: int
    path: str
    """Dotted key path inside the file, e.g. `cards[3].roll.base`."""
    message: str

    def format(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {self.message}{where}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }


class DeckError(WargameError, ValueError):
    """A scenario or deck could not be loaded; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        head = problems[0].format() if problems else "invalid scenario"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(head + more)


class IllegalActionError(WargameError, ValueError):
    """An action that the rules do not allow now; the state is unchanged."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class JournalProblem:
    """Where and why a save cannot be trusted."""

    file: str
    line: int
    reason: str

    def format(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class JournalError(WargameError, ValueError):
    """A save is broken, tampered with, or diverges on replay; it is refused with a reason."""

    def __init__(self, problem: JournalProblem, *, truncated_tail: bool = False) -> None:
        self.problem = problem
        self.truncated_tail = truncated_tail
        super().__init__(problem.format())


@dataclass
class ProblemList:
    """Collects problems and reads on, so one run reports every mistake."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def __bool__(self) -> bool:
        return bool(self.items)
