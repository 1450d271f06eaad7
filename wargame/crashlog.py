"""The crash report of a real bug: what a maintainer needs, and nothing of the user's game.

A report holds the traceback (file, line and function of each frame, never local variables:
they would carry game state, a team's hidden orders, or a seal key), the wargame and Python
versions, the platform and the command line. It is written whole (`atomic.write`) to the
user's state folder, or the temporary folder when that cannot be written.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from wargame import atomic


def crash_folder() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "wargame" / "crashes"


def report_text(exc: BaseException, argv: Sequence[str]) -> str:
    from wargame import __version__

    lines = [
        "wargame crash report",
        f"time: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"wargame: {__version__}",
        f"python: {sys.version.split()[0]} ({platform.python_implementation()})",
        f"platform: {platform.platform()}",
        f"argv: {list(argv)!r}",
        "",
        *traceback.format_exception(exc),  # frames and source lines only: no locals
    ]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def write_report(exc: BaseException, argv: Sequence[str]) -> Path | None:
    """Write the report and return its path (None if no folder at all would take it)."""
    import tempfile

    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    name = f"crash-{stamp}-{os.getpid()}.log"
    data = report_text(exc, argv).encode("utf-8", "backslashreplace")
    for folder in (crash_folder(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            atomic.write(folder / name, data)
        except OSError:
            continue
        return folder / name
    return None
