"""`wargame new DIR`: a small, valid, commented scenario to start from.

It validates and plays as written (three roles, five countries, two tracks, two institutions,
cards of every sort), and carries the JSON Schemas and the editor header so that an editor
checks each file as it is changed. It is written only into a folder that is new or empty:
nothing a designer already has is ever overwritten.
"""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path
from typing import Any

STARTER = Path(__file__).parent / "starter"
"""The starter scenario's files; `SCENARIO_ID` in scenario.yaml becomes the folder's name."""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "new",
        help="write a small, valid, commented scenario to start from",
        description="Write a small scenario (scenario.yaml, a deck per role and an event deck, "
        "and the JSON Schemas editors use) into DIR, a new or empty folder. It validates and "
        "plays as written; change it piece by piece, running `wargame validate DIR` as you go.",
    )
    p.add_argument("dir", metavar="DIR", help="a new or empty folder for the scenario")
    p.set_defaults(run=run)


def scenario_id(folder: Path) -> str:
    """The folder's name as an id ('My Scenario' → 'my-scenario')."""
    name = folder.resolve().name.lower()
    slug = re.sub(r"[^a-z0-9_-]+", "-", name).strip("-_")
    return slug[:64] or "my-scenario"


def run(args: argparse.Namespace) -> int:
    from wargame import atomic
    from wargame.commands.common import UsageError
    from wargame.schema.reference import SCHEMA_FILES, json_schemas, schema_text
    from wargame.shell import wargame_command

    root = Path(args.dir)
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} is a file; give a new or empty folder")
    if root.is_dir() and any(root.iterdir()):
        raise UsageError(f"{root} is not empty; give a new or empty folder (nothing is replaced)")
    files: dict[Path, str] = {}
    for path in sorted(STARTER.rglob("*.yaml")):
        files[path.relative_to(STARTER)] = path.read_text(encoding="utf-8")
    scenario = Path("scenario.yaml")
    files[scenario] = files[scenario].replace("SCENARIO_ID", scenario_id(root), 1)
    for name in SCHEMA_FILES.values():
        files[Path("schema") / name] = schema_text(json_schemas()[name])
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.create(target, text.encode("utf-8"))
    run_it, folder = wargame_command(), shlex.quote(str(root))
    print(f"A starter scenario is in {root}: {len(files)} files.")
    print(f"Check it:  {run_it} validate {folder}")
    print(f"Play it:   {run_it} play --scenario {folder}")
    print(f"Every field it may hold: {run_it} schema --reference REFERENCE.md")
    return 0
