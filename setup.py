"""Build hook: the engine's hot modules are compiled to C with mypyc when a compiler is present.

Everything else about the package is declared in pyproject.toml. The compiled modules are the
same source files as the pure-Python ones, only faster, so a machine without a C compiler (or
without mypyc) still gets a working install: the failed compile is reported and the
pure-Python engine is used. A type error in a compiled module is different: it is a bug that
the compiled engine would turn into a crash, so it fails the build, with mypy's messages.
`WARGAME_PURE=1` at build time skips compiling; at run time it makes `import wargame` ignore
compiled modules (see wargame/__init__.py, which also falls back to pure Python when a source
changed after the build).

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

# The one list of compiled modules, shared with wargame/__init__.py and the Makefile.
COMPILED = [
    line.strip()
    for line in (ROOT / "wargame" / "native_modules.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]

# mypyc needs sound types, and `make lint` runs mypy --strict on the whole tree; the build does
# not repeat lint's stylistic checks (an unused `type: ignore`, a function returning Any).
MYPYC_FLAGS = ["--no-warn-unused-ignores", "--no-warn-return-any"]


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
                "engine, which is correct but slower.\n\n"
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
            [*COMPILED, *MYPYC_FLAGS], opt_level="3", debug_level="0", group_name="wargame._native"
        )
    except SystemExit as exc:  # mypyc has printed the type errors above
        sys.stderr.write(
            f"\nwargame: mypyc found type errors in the compiled modules (exit {exc.code}); fix "
            "them, or build the pure-Python engine with WARGAME_PURE=1.\n"
        )
        raise SystemExit(1) from None
    finally:
        os.chdir(cwd)


setup(ext_modules=_ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
