"""Commands as a user types them: what wargame prints for the user to run next must work as
typed in the same terminal, in the form the README documents (`.venv/bin/wargame ...` in a
checkout, where `make` installs it; plain `wargame` when that is on the PATH).

Imported by the CLI and the TUI alike, so it depends on nothing but the standard library.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path


def wargame_command() -> str:
    """How to start this install of wargame from the working directory."""
    script = Path(sys.executable).parent / "wargame"
    if not script.is_file():
        return f"{shlex.quote(sys.executable)} -m wargame"
    on_path = shutil.which("wargame")
    if on_path is not None and Path(on_path).resolve() == script.resolve():
        return "wargame"
    return shlex.quote(_as_typed(script))


def _as_typed(path: Path) -> str:
    """`path` relative to the working directory when it lies below it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def resume_command(save: Path, saves: Path | None, *, high_contrast: bool = False) -> str:
    """The command that continues exactly this save, in the same saves folder."""
    words = [wargame_command(), "play", "--continue", shlex.quote(_as_typed(save))]
    if saves is not None:
        words += ["--saves", shlex.quote(_as_typed(saves))]
    if high_contrast:
        words.append("--high-contrast")
    return " ".join(words)


def serve_resume_command(save: Path, host: str, port: int) -> str:
    """The command that serves this save again at the same address, so its links still work."""
    words = [wargame_command(), "serve", "--continue", shlex.quote(_as_typed(save))]
    if host != "127.0.0.1":
        words += ["--host", shlex.quote(host)]
    if port != 8000:
        words += ["--port", str(port)]
    return " ".join(words)


def command_lines(command: str, width: int = 80, indent: str = "  ") -> str:
    """`command` (as `resume_command` gives it) for a terminal `width` wide: when it does not
    fit on one line, broken between words with a trailing backslash, each line indented, so that
    it still runs when copied whole and never wraps in the middle of a path."""
    words = shlex.split(command)
    quoted = [shlex.quote(w) for w in words]
    if len(indent) + len(command) <= width:
        return indent + command
    lines: list[str] = []
    line = indent
    for w in quoted:
        if line.strip() and len(line) + 1 + len(w) + 2 > width:
            lines.append(line + " \\")
            line = indent + "  "
        line = line + (" " if line.strip() else "") + w
    lines.append(line)
    return "\n".join(lines)
