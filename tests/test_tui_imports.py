"""The engine never imports Textual, and the layer contracts hold (as in harlequin's
test_import_hygiene): the UI is a shell that can be left out."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = [
    "wargame.engine",
    "wargame.rules",
    "wargame.journal",
    "wargame.bots.registry",
    "wargame.autoplay",
    "wargame.sim",
]


def test_engine_never_imports_textual() -> None:
    modules = [m for m in CORE if importlib.util.find_spec(m) is not None]
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "from wargame.bots.registry import bot_names\n"
        "bot_names()\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert "wargame.engine" in modules and "wargame.journal" in modules


def test_tui_starts_without_pydantic_or_numpy() -> None:
    """The first screen needs neither: the scenario loads in a worker after it appears."""
    code = (
        "import sys\n"
        "import wargame.cli, wargame.commands.play, wargame.tui.app\n"
        "import wargame.tui.screens.setup, wargame.facilitation.launch\n"
        "heavy = sorted(m for m in ('pydantic', 'numpy', 'yaml') if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert out.returncode == 0, out.stderr


def test_import_contracts(tmp_path: Path) -> None:
    """`lint-imports` with the contracts of pyproject.toml. A layer whose module is not written
    yet (the contracts name the whole planned architecture) is left out, not failed."""
    exe = Path(sys.executable).with_name("lint-imports")
    cmd = [str(exe)] if exe.exists() else [shutil.which("lint-imports") or "lint-imports"]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    missing = False
    for c in contracts:
        for key in ("layers", "source_modules", "forbidden_modules"):
            if key not in c:
                continue
            kept = []
            for entry in c[key]:
                names = [n.strip() for n in entry.split("|")]
                present = [n for n in names if _exists(n)]
                missing |= len(present) != len(names)
                if present:
                    kept.append(" | ".join(present))
            c[key] = kept
    top = config["tool"]["importlinter"]
    forbids_external = any(c.get("type") == "forbidden" for c in contracts)
    if missing or (forbids_external and not top.get("include_external_packages")):
        # import-linter needs include_external_packages to check a forbidden *external*
        # module (textual); the shared pyproject does not say so yet.
        root = top["root_package"]
        lines = [
            "[tool.importlinter]",
            f"root_package = {json.dumps(root)}",
            "include_external_packages = true",
        ]
        for c in contracts:
            lines.append("[[tool.importlinter.contracts]]")
            for k, v in c.items():
                lines.append(f"{k} = {json.dumps(v)}")
        cfg = tmp_path / "importlinter.toml"
        cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
        cmd.append(str(cfg))
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "broken" not in out.stdout.lower() or " 0 broken" in out.stdout.lower()


def _exists(module: str) -> bool:
    if module == "textual" or module.startswith("textual."):
        return True
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def import_cycles(package: str) -> list[list[str]]:
    """Every group of modules of `package` that import one another in a circle, lazy imports
    inside functions included (Tarjan's strongly connected components over grimp's graph)."""
    import grimp

    graph = grimp.build_graph(package, cache_dir=None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def imported_by(module: str) -> Iterator[str]:
        return iter(sorted(graph.find_modules_directly_imported_by(module)))

    def visit(root: str) -> None:
        # Iterative, so a long chain of imports cannot exhaust Python's recursion limit.
        work = [(root, imported_by(root))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def test_no_import_circle_anywhere() -> None:
    assert import_cycles("wargame") == []


def test_the_circle_finder_finds_a_circle(tmp_path: Path) -> None:
    pkg = tmp_path / "circled"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from circled import b\n")
    (pkg / "b.py").write_text("from circled import c\n")
    (pkg / "c.py").write_text("import circled.a\n")
    (pkg / "d.py").write_text("import circled.a\n")
    sys.path.insert(0, str(tmp_path))
    try:
        assert import_cycles("circled") == [["circled.a", "circled.b", "circled.c"]]
    finally:
        sys.path.remove(str(tmp_path))
