"""wargame: a turn-based strategic scenario wargame engine.

The engine is pure and deterministic; the shells (CLI, Textual UI) are thin layers over it.

The engine's hot modules may be compiled with mypyc (setup.py). A compiled module is only used
while it matches its source: when any compiled source has changed since the build, or when
`WARGAME_PURE=1` is set, every one of them is imported from its `.py` file instead (compiled
modules call each other directly, so it is all or nothing). An edit therefore takes effect at
once, slower until the next `make`, never silently ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from importlib.util import spec_from_file_location
from pathlib import Path
from typing import Any

__version__ = "0.1.0"

_HERE = Path(__file__).resolve().parent

NATIVE_MODULES = frozenset(
    line.strip()[:-3].replace("/", ".")
    for line in (_HERE / "native_modules.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)
"""The modules setup.py compiles, read from native_modules.txt (the one list)."""


class _PureFinder(MetaPathFinder):
    """Imports the compiled modules from their sources, ahead of the extension modules."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if name not in NATIVE_MODULES:
            return None
        return spec_from_file_location(name, _HERE.parent / (name.replace(".", "/") + ".py"))


def _native_status() -> str:
    """ "compiled", "pure" (not built, or asked for), or the name of a source changed since."""
    if os.environ.get("WARGAME_PURE"):
        return "pure"
    try:
        built = json.loads((_HERE / "_native_sources.json").read_text())["sources"]
    except (OSError, ValueError, KeyError):
        return "pure"
    for rel, digest in built.items():
        rel = str(rel)
        try:
            if hashlib.sha256((_HERE.parent / rel).read_bytes()).hexdigest() != digest:
                return str(rel)
        except OSError:
            return str(rel)
    return "compiled"


NATIVE = _native_status()
if NATIVE not in ("compiled", "pure"):
    sys.stderr.write(
        f"wargame: {NATIVE} changed since the engine was compiled; using the pure-Python engine "
        "(correct, slower) until `make` rebuilds it.\n"
    )
if NATIVE != "compiled":
    sys.meta_path.insert(0, _PureFinder())
