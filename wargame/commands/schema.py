"""`wargame schema [-o DIR]`: the JSON Schema of scenario and deck files, for editors.

Editors that use the YAML language server check and complete a file whose first line is
`# yaml-language-server: $schema=PATH` (the reference shows it); `--reference` also writes the
scenario language reference, both made from the models so they always match this version.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "schema",
        help="write the JSON Schema of scenario and deck files (for editors)",
        description="Write scenario.schema.json and deck.schema.json into DIR (default: the "
        "current folder), so that an editor checks and completes scenario and deck files as "
        "they are typed. Put `# yaml-language-server: $schema=PATH` on a file's first line.",
    )
    p.add_argument("-o", "--out", metavar="DIR", default=".", help="the folder to write into")
    p.add_argument(
        "--reference",
        metavar="FILE",
        help="also write the scenario language reference (Markdown) to FILE",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from wargame import atomic
    from wargame.commands.common import UsageError
    from wargame.schema.reference import json_schemas, reference_markdown, schema_text

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file; -o takes a folder")
    reference = Path(args.reference) if args.reference else None
    if reference is not None and reference.is_dir():
        raise UsageError(f"{reference} is a folder; --reference takes a file name")
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in json_schemas().items():
        atomic.write(out / name, schema_text(schema).encode("utf-8"))
        print(f"wrote {out / name}")
    if reference is not None:
        atomic.write(reference, reference_markdown().encode("utf-8"))
        print(f"wrote {reference}")
    return 0
