"""The compiled engine (setup.py, mypyc) is the pure-Python engine, only faster.

Compiled modules are used only while they match their sources; `WARGAME_PURE=1` or any edit
since the build switches every one of them back to its `.py` file.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import random_playout, scenario_dirs, tables_for

import wargame

ROOT = Path(__file__).resolve().parent.parent
compiled = pytest.mark.skipif(
    wargame.NATIVE != "compiled",
    reason=f"the engine is not compiled here ({wargame.NATIVE}); `make build` compiles it",
)


def test_one_list_of_compiled_modules() -> None:
    """native_modules.txt is the only list: setup.py and the Makefile read it, and every entry
    is a module of the package."""
    listed = (ROOT / "wargame" / "native_modules.txt").read_text().splitlines()
    paths = [p.strip() for p in listed if p.strip() and not p.startswith("#")]
    assert sorted(p[:-3].replace("/", ".") for p in paths) == sorted(wargame.NATIVE_MODULES)
    for p in paths:
        assert (ROOT / p).is_file(), f"{p} is listed as compiled but does not exist"
    for other in ("setup.py", "Makefile"):
        text = (ROOT / other).read_text()
        assert "native_modules.txt" in text, f"{other} does not read the list"
        assert not any(p in text for p in paths), f"{other} lists compiled modules of its own"


def test_a_type_error_in_a_compiled_module_fails_the_build(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """mypyc prints mypy's errors and exits; setup.py must exit non-zero too (so `make build`
    fails), not fall back to the pure engine as it does for a missing C compiler."""
    import runpy

    import setuptools

    mypyc_build = pytest.importorskip("mypyc.build")

    given: list[list[str]] = []

    def type_errors(paths: list[str], **kw: object) -> None:
        given.append(paths)
        raise SystemExit(1)

    monkeypatch.setattr(setuptools, "setup", lambda **kw: None)
    monkeypatch.setattr(mypyc_build, "mypycify", type_errors)
    monkeypatch.delenv("WARGAME_PURE", raising=False)
    with pytest.raises(SystemExit) as exc:
        runpy.run_path(str(ROOT / "setup.py"))
    assert exc.value.code == 1
    assert "mypyc found type errors" in capsys.readouterr().err
    compiled = [p for p in given[0] if not p.startswith("--")]
    assert sorted(p[:-3].replace("/", ".") for p in compiled) == sorted(wargame.NATIVE_MODULES)


@compiled
def test_compiled_modules_are_in_use() -> None:
    for name in wargame.NATIVE_MODULES:
        mod = importlib.import_module(name)
        assert not str(mod.__file__).endswith(".py"), f"{name} runs from {mod.__file__}"


_DIGESTS = """
import sys
sys.path.insert(0, {tests!r})
from helpers import random_playout, tables_for
from pathlib import Path
import wargame
t = tables_for(Path({path!r}))
print(wargame.NATIVE)
for seed in range(6):
    st, _ = random_playout(t, seed, check=False)
    print(st.digest())
"""


@compiled
@pytest.mark.parametrize("path", scenario_dirs(), ids=lambda p: p.name)
def test_compiled_and_pure_play_identical_games(path: Path) -> None:
    """Same seeds, same final state hashes, whichever engine runs."""
    t = tables_for(path)
    here = [random_playout(t, seed, check=False)[0].digest() for seed in range(6)]
    code = _DIGESTS.format(tests=str(ROOT / "tests"), path=str(path))
    env = {**os.environ, "WARGAME_PURE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert out[0] == "pure"
    assert out[1:] == here


_WHICH = "import wargame, wargame.state as s; print(wargame.NATIVE, s.__file__)"


@compiled
def test_an_edited_source_falls_back_to_pure_python(tmp_path: Path) -> None:
    """A stale build is never used: the edit takes effect, with a warning naming the file."""
    pkg = tmp_path / "wargame"
    shutil.copytree(ROOT / "wargame", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    env.pop("WARGAME_PURE", None)
    fresh = subprocess.run(
        [sys.executable, "-c", _WHICH],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert fresh.stdout.startswith("compiled ") and str(pkg) in fresh.stdout
    with open(pkg / "state.py", "a") as f:
        f.write("\n# edited after the build\n")
    stale = subprocess.run(
        [sys.executable, "-c", _WHICH],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert stale.stdout.split() == ["wargame/state.py", str(pkg / "state.py")]
    assert "wargame/state.py changed since the engine was compiled" in stale.stderr
    forced = subprocess.run(
        [sys.executable, "-c", _WHICH],
        cwd=tmp_path,
        text=True,
        env={**env, "WARGAME_PURE": "1"},
        capture_output=True,
        check=True,
    )
    assert forced.stdout.split()[0] == "pure" and forced.stderr == ""


_GREEDY = """
from pathlib import Path
import wargame
from wargame.schema.loader import load_scenario
from wargame.seats import parse_seats
from wargame.sim.runner import play_game
from wargame.tables import compile_scenario
t = compile_scenario(load_scenario(Path({path!r})))
seats = parse_seats("all=greedy", t)
print(wargame.NATIVE)
for i in range(2):
    st, rec = play_game(t, seats, 5, i)
    print(st.digest())
"""


@compiled
def test_compiled_and_pure_greedy_bots_choose_alike() -> None:
    """The compiled bots (float arithmetic included) make the same choices as the pure ones."""
    path = scenario_dirs()[0]
    code = _GREEDY.format(path=str(path))
    runs = []
    for env in ({}, {"WARGAME_PURE": "1"}):
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        runs.append(out.split())
    assert runs[0][0] == "compiled" and runs[1][0] == "pure"
    assert runs[0][1:] == runs[1][1:]
