"""Build hook: the engine's hot modules are compiled to C with mypyc when a compiler is present.

Everything else about the package is declared in pyproject.toml. The compiled modules are the
same source files as the pure-Python ones, only faster (a simulated game is about twice as
fast), so a machine without a C compiler still gets a working install: a failed compile is
reported and the pure-Python engine is used. `WARGAME_PURE=1` at build time skips compiling;
at run time it makes `import wargame` ignore compiled modules (see wargame/__init__.py, which
also falls back to pure Python when a source changed after the build).

The Makefile builds in place (`python setup.py build_ext --inplace`) after an editable install:
pip's editable mode does not place extension modules next to their sources.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent

# The engine layers every simulated game runs through, and the bots. Kept in step with
# NATIVE_MODULES in wargame/__init__.py (tests/test_native.py checks it).
COMPILED = [
    "wargame/compiled.py",
    "wargame/tables.py",
    "wargame/state.py",
    "wargame/evaluate.py",
    "wargame/effects.py",
    "wargame/flow.py",
    "wargame/rules.py",
    "wargame/observe.py",
    "wargame/chance.py",
    "wargame/bots/random_bot.py",
    "wargame/derived.py",
    "wargame/bots/naming.py",
    "wargame/bots/lookahead.py",
    "wargame/bots/soft.py",
    "wargame/bots/valuation.py",
    "wargame/bots/determinise.py",
    "wargame/bots/greedy.py",
    "wargame/bots/planner.py",
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class OptionalBuildExt(build_ext):
    """Compiles the extensions if it can; otherwise removes any partial output and warns, so
    the install goes on with the pure-Python engine."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # a missing compiler or headers: fall back, loudly
            for out in self.get_outputs():
                Path(out).unlink(missing_ok=True)
            sys.stderr.write(
                f"\nwargame: could not compile the engine ({exc}); installing the pure-Python "
                "engine, which is correct but about half as fast.\n\n"
            )
            return
        if not self.extensions:
            return
        # Record what was compiled, so `import wargame` can tell a stale build from a fresh one.
        target = ROOT / "wargame" if self.inplace else Path(self.build_lib) / "wargame"
        if target.is_dir():
            sources = {p: _digest(ROOT / p) for p in COMPILED}
            (target / "_native_sources.json").write_text(
                json.dumps({"sources": sources}, indent=1, sort_keys=True) + "\n"
            )


def _ext_modules() -> list:  # type: ignore[type-arg]
    if os.environ.get("WARGAME_PURE"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        sys.stderr.write("wargame: mypyc is not available; installing the pure-Python engine\n")
        return []
    cwd = os.getcwd()
    os.chdir(ROOT)  # mypyc resolves module names from the paths it is given
    try:
        # One shared library inside the package (wargame/_native__mypyc.*.so), so the compiled
        # modules import from wherever the package is, not only from the project root.
        return mypycify(  # type: ignore[no-any-return]
            COMPILED, opt_level="3", debug_level="0", group_name="wargame._native"
        )
    except (Exception, SystemExit) as exc:  # type errors end mypyc with SystemExit
        sys.stderr.write(f"wargame: mypyc failed ({exc}); installing the pure-Python engine\n")
        return []
    finally:
        os.chdir(cwd)


setup(ext_modules=_ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
