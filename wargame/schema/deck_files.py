"""Which files of a scenario folder are read, and why the others are not.

A deck that quietly does not load is the worst kind of typo, so nothing that looks like a deck
is skipped silently: `.yml` names, folders named `*.yaml`, FIFOs, devices, sockets, links to
folders and links leading out of the scenario are each reported by name. Nothing here opens a
file, so nothing blocks on a FIFO; `yaml_positions.read_yaml_file` opens without blocking.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from wargame.errors import Problem
from wargame.schema.yaml_positions import display_name, file_kind

SCENARIO_FILE = "scenario.yaml"
SWEEPS_FOLDER = "sweeps"
"""A scenario folder's `sweeps/` holds balance sweep specs (`wargame sweep`), not decks: it is
the one folder at the top of a scenario that is not read (hidden folders aside)."""


def deck_files(root: Path, typed: str, problems: list[Problem]) -> list[Path]:
    """Every `*.yaml` below `root` except the scenario itself and the sweep specs in
    `root/sweeps/`, sorted so a run is repeatable.

    Nothing that looks like a deck is skipped silently, because a deck that quietly does not
    load is the worst kind of typo: `.yml` files, folders named `*.yaml`, pipes, devices, links
    to folders (never followed, so the walk cannot loop) and links leading out of the scenario
    are each reported by name. Nothing here opens a file, so nothing can block on a FIFO."""
    found: list[Path] = []
    real_root = os.path.realpath(root)

    def report(path: Path, message: str) -> None:
        problems.append(Problem(display_name(typed, root, path), 1, 1, "", message))

    def on_error(exc: OSError) -> None:
        where = exc.filename or typed
        problems.append(Problem(os.fspath(where), 1, 1, "", f"cannot read: {exc.strerror}"))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        here = Path(folder)
        kept: list[str] = []
        for name in sorted(dirs):
            path = here / name
            if name.startswith(".") or (here == root and name == SWEEPS_FOLDER):
                continue
            if path.is_symlink():
                report(path, "a link to a folder: links are not followed, so no deck in it loads")
                continue
            if name.endswith((".yaml", ".yml")):
                report(path, "a folder, not a deck file: rename it, or move its decks out of it")
            kept.append(name)
        dirs[:] = kept
        for file in files:
            path = here / file
            if file.startswith("."):
                continue
            if file.endswith(".yml"):
                report(path, "`.yml` files are not loaded: rename it to `.yaml`")
            elif file.endswith(".yaml") and path != root / SCENARIO_FILE:
                why_not = not_a_file_here(path, real_root)
                if why_not is None:
                    found.append(path)
                else:
                    report(path, why_not)
    return sorted(found)


def not_a_file_here(path: Path, real_root: str, what: str = "deck") -> str | None:
    """Why `path` cannot be read as a file of this scenario, or None when it can: it must be
    a regular file, or a link to one inside the scenario folder."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            target = os.path.realpath(path)
            if not _is_within(target, real_root):
                return f"a link to {target}, outside the scenario folder: copy the file in instead"
            if not os.path.exists(target):
                return f"a link to {target}, which does not exist"
            info = path.stat()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        kind = file_kind(info.st_mode)
        return f"{kind}, not a {what} file: a {what} is a regular `.yaml` file"
    return None


def _is_within(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # another drive
        return False


def no_scenario(root: Path) -> str:
    """Say so, and point at what was likely meant: a `.yml` name, or scenario folders below."""
    if (root / "scenario.yml").is_file():
        return f"no {SCENARIO_FILE} in this folder (rename scenario.yml to {SCENARIO_FILE})"
    below: list[str] = []
    try:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            if SCENARIO_FILE in files:
                below.append(os.path.relpath(folder, root))
            if len(below) >= 3:
                break
    except OSError:
        pass
    hint = f" (scenario folders below it: {', '.join(below)})" if below else ""
    return f"no {SCENARIO_FILE} in this folder{hint}"
