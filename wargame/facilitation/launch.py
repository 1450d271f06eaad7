"""What a setup screen needs before any game exists: the options asked for, scenarios, saves.

Kept cheap on purpose: listing scenarios reads only the first lines of each `scenario.yaml`,
and listing saves reads only each journal's header line, so the first screen appears before
pydantic or numpy are imported. The full scenario is loaded in a worker (`load_tables`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

_TOP_KEY = re.compile(r"^(id|title):\s*(.+?)\s*$")


@dataclass
class Options:
    """What `wargame play` was asked for."""

    scenario: Path | None = None
    seed: int | None = None
    turns: int | None = None
    saves: Path | None = Path("saves")
    bots: str = ""
    resume: str | None = None
    """'latest' or a journal path."""
    high_contrast: bool = False
    seal_key: bytes | None = None
    """The key new saves are sealed with and sealed saves are continued with
    (`--seal-key-file`); never written to a save."""
    timer: int = 10
    """Default minutes per phase offered at setup (0: no timer)."""
    key_hold: float = 0.5
    """Seconds during which Enter (and Space) are ignored after a new screen or dialog appears,
    so that a key pressed twice, or pressed for the screen before, never skips past a screen
    the room has not seen (0: no hold, as the tests drive the keys one by one)."""

    @classmethod
    def from_args(cls, args: Any) -> Options:
        saves = None if getattr(args, "no_save", False) else getattr(args, "saves", Path("saves"))
        timer = getattr(args, "timer", None)
        return cls(
            scenario=getattr(args, "scenario", None),
            seed=getattr(args, "seed", None),
            turns=getattr(args, "turns", None),
            saves=saves,
            bots=getattr(args, "bots", "") or "",
            resume=getattr(args, "resume", None),
            high_contrast=bool(getattr(args, "high_contrast", False)),
            seal_key=getattr(args, "seal_key", None),
            timer=int(timer) if timer is not None else 10,
        )


@dataclass(frozen=True, slots=True)
class ScenarioChoice:
    path: Path
    id: str
    title: str


def read_title(folder: Path) -> ScenarioChoice:
    """The id and title of a scenario from its first lines, without parsing the YAML."""
    found: dict[str, str] = {}
    try:
        with open(folder / "scenario.yaml", encoding="utf-8") as fh:
            for _, line in zip(range(200), fh, strict=False):
                m = _TOP_KEY.match(line)
                if m and m.group(1) not in found:
                    found[m.group(1)] = _unquote(m.group(2))
                if len(found) == 2:
                    break
    except OSError:
        pass
    return ScenarioChoice(folder, found.get("id", folder.name), found.get("title", folder.name))


def _unquote(v: str) -> str:
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1]
    return v


def scenario_choices(extra: Path | None = None) -> list[ScenarioChoice]:
    from wargame.paths import scenario_folders

    folders = scenario_folders()
    if extra is not None:
        extra = Path(extra)
        if extra.resolve() not in {f.resolve() for f in folders}:
            folders.insert(0, extra)
    return [read_title(f) for f in folders]


# ---------------------------------------------------------------------- saves


@dataclass(slots=True)
class SaveInfo:
    path: Path
    modified: float
    scenario: str = "?"
    seats: dict[str, dict[str, Any]] = field(default_factory=dict)
    records: int = 0
    turn: str = "…"
    """Filled in by a full load (in a worker): 'turn 3 of 8', 'over', or why it is broken."""
    problem: str = ""
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def date(self) -> str:
        return datetime.fromtimestamp(self.modified).strftime("%Y-%m-%d %H:%M")

    @property
    def seats_text(self) -> str:
        return ", ".join(f"{r}: {_seat_text(s)}" for r, s in self.seats.items())


def _seat_text(seat: dict[str, Any]) -> str:
    """A seat as the save's header records it (read without checking the save whole)."""
    from wargame.errors import WargameError
    from wargame.seats import seat_from_json

    try:
        return seat_from_json(seat).describe()
    except WargameError:
        return "?"


EXAMPLE_PREFIX = "example-"
"""Saves named so are bundled examples (`saves/example-circle-of-friends.jsonl`): listed after
the user's own saves, and never taken for "the latest save" that `--continue` resumes or
`replay` opens by default (a fresh checkout gives the example the newest date)."""


def is_example(path: Path) -> bool:
    return Path(path).name.startswith(EXAMPLE_PREFIX)


def list_saves(folder: Path | None) -> list[SaveInfo]:
    """Journals in `folder`, most recently played first (bundled examples last), from their
    header lines only. Special files (a FIFO, a device) are left out without being opened; a file
    whose header line is not whole (a crash while a save was created) is listed as unreadable,
    never as a save."""
    from wargame import savefile

    if folder is None or not Path(folder).is_dir():
        return []
    out = []
    for p in Path(folder).glob("*.jsonl"):
        if savefile.file_problem(p) is not None:
            continue
        try:
            out.append(_save_info(p))
        except OSError:
            continue
    out.sort(key=lambda s: (is_example(s.path), -s.modified, s.path.name))
    return out


def _save_info(p: Path) -> SaveInfo:
    from wargame import savefile

    info = SaveInfo(p, p.stat().st_mtime)
    rec = savefile.peek_header(p)
    if rec is None:
        info.problem = "not a wargame journal, or its first line is incomplete"
        info.turn = "unreadable"
        return info
    info.records = max(0, savefile.count_lines(p) - 1)
    try:
        scen = rec.get("scenario") or {}
        info.scenario = str(scen.get("title") or scen.get("id") or "?")
        info.seats = dict(rec.get("seats") or {})
        info.settings = dict(rec.get("settings") or {})
    except (ValueError, AttributeError, TypeError):
        info.problem = "not a wargame journal"
        info.turn = "unreadable"
    return info


def latest_save(folder: Path | None) -> Path | None:
    """The user's most recently played save whose header is whole (never a partial one, never
    a bundled example), or None."""
    for s in list_saves(folder):
        if not s.problem and not is_example(s.path):
            return s.path
    return None


def describe_position(path: Path) -> str:
    """Where a save stands ('turn 3 of 8 · orders'), by loading it; or why it cannot resume."""
    from wargame import journal
    from wargame.errors import JournalError, WargameError

    try:
        loaded = journal.load(path)
    except JournalError as exc:
        return f"cannot resume: {exc.problem.reason}"
    except WargameError as exc:
        return f"cannot resume: {exc}"
    st = loaded.session.state
    if st.over:
        return "game over"
    return f"turn {st.turn} of {st.tables.turns} · {st.phase}"


# ---------------------------------------------------------------------- loading a scenario


def load_tables(folder: Path, turns: int | None = None) -> Any:
    """Load, validate and compile a scenario; `turns` overrides its length. Raises DeckError."""
    from wargame.errors import WargameError
    from wargame.schema.loader import load_scenario
    from wargame.tables import compile_scenario

    scen = load_scenario(folder)
    if turns is not None and turns != scen.turns.count:
        if not 1 <= turns <= 50:
            raise WargameError("the number of turns must be between 1 and 50")
        scen = scen.model_copy(update={"turns": scen.turns.model_copy(update={"count": turns})})
    return compile_scenario(scen)


def with_turns(tables: Any, turns: int) -> Any:
    """The same compiled scenario with another number of turns."""
    from wargame.errors import WargameError
    from wargame.tables import compile_scenario

    scen = tables.scenario
    if turns == scen.turns.count:
        return tables
    if not 1 <= turns <= 50:
        raise WargameError("the number of turns must be between 1 and 50")
    return compile_scenario(
        scen.model_copy(update={"turns": scen.turns.model_copy(update={"count": turns})})
    )
