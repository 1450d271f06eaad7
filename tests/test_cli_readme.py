"""Every command the README shows works as typed on a fresh clone after `make play`/`make build`.

Cheap on purpose (no game is played): each shell line must be a `make` target the Makefile
defines, or a program that `make` creates (`.venv/bin/...`) with arguments that `wargame`'s own
parser accepts and paths that exist in a fresh clone. A bare `wargame ...` fails: `make` does not
put it on the PATH.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from wargame.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MAKEFILE = ROOT / "Makefile"
BLOCK = re.compile(r"^```(?:sh|bash|shell|console)\n(.*?)^```", re.M | re.S)


def shell_lines() -> list[str]:
    """Every command in the README's shell blocks, comments removed."""
    text = README.read_text(encoding="utf-8")
    out = []
    for block in BLOCK.findall(text):
        for raw in block.splitlines():
            line = raw.split(" #", 1)[0].strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


def make_targets() -> set[str]:
    text = MAKEFILE.read_text(encoding="utf-8")
    phony = set(re.search(r"^\.PHONY:(.*)$", text, re.M).group(1).split())  # type: ignore[union-attr]
    defined = set(re.findall(r"^([A-Za-z][\w-]*):", text, re.M))
    return phony & defined


def tracked(path: str) -> bool:
    """In a fresh clone: tracked by git (falls back to existing when git is unavailable)."""
    try:
        res = subprocess.run(
            ["git", "ls-files", "--error-unmatch", path],
            cwd=ROOT,
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return (ROOT / path).exists()
    if res.returncode == 128 and b"not a git repository" in res.stderr:
        return (ROOT / path).exists()
    return res.returncode == 0 or any(
        # a folder: tracked when something under it is
        subprocess.run(
            ["git", "ls-files", path], cwd=ROOT, capture_output=True, text=True, timeout=30
        ).stdout.split()
    )


def test_the_readme_opens_with_make_play_and_make_test() -> None:
    lines = shell_lines()
    assert lines[:2] == ["make play", "make test"]


def test_make_creates_the_programs_the_readme_runs() -> None:
    """`.venv/bin/wargame` is the console script of the package that `make` installs there."""
    text = MAKEFILE.read_text(encoding="utf-8")
    assert re.search(r"^VENV := \.venv$", text, re.M)
    assert re.search(r"^BIN := \$\(VENV\)/bin$", text, re.M)
    assert "-m venv $(VENV)" in text and "-e '.[test,native,cluster]'" in text
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'wargame = "wargame.cli:main"' in pyproject
    for target in ("play", "build", "test"):
        assert target in make_targets()


@pytest.mark.parametrize("line", shell_lines())
def test_every_readme_command_works_as_typed(line: str) -> None:
    words = shlex.split(line)
    program, args = words[0], words[1:]
    if program == "make":
        targets = [a for a in args if "=" not in a]
        assert len(targets) == 1, line
        assert targets[0] in make_targets(), f"{line}: no such make target"
        for setting in (a for a in args if "=" in a):
            name = setting.split("=", 1)[0]
            assert f"$({name})" in MAKEFILE.read_text(encoding="utf-8"), line
        return
    assert program != "wargame", f"{line}: `wargame` is not on the PATH after make"
    assert program in (".venv/bin/wargame", ".venv/bin/python"), f"{line}: unknown program"
    if program == ".venv/bin/python":
        assert args and tracked(args[0]), f"{line}: {args[0]} is not in a fresh clone"
        return
    try:
        parsed = build_parser().parse_args(args)
    except SystemExit as exc:
        assert exc.code == 0, f"{line}: wargame refuses these arguments"
        return
    for name in ("paths", "scenario"):
        for p in getattr(parsed, name, None) or []:
            assert tracked(str(p)), f"{line}: {p} is not in a fresh clone"


def test_every_make_target_the_readme_names_runs_wargame_with_arguments_it_accepts() -> None:
    """`make -n` prints each recipe without running it; the wargame lines must parse."""
    targets = sorted(
        {shlex.split(line)[1] for line in shell_lines() if line.startswith("make ")}
        - {"test", "test-slow", "lint", "build", "bench"}
    )
    res = subprocess.run(
        ["make", "-n", "--no-print-directory", *targets],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    runs = [shlex.split(x) for x in res.stdout.splitlines() if x.startswith(".venv/bin/wargame ")]
    assert len(runs) == len(targets), res.stdout
    for words in runs:
        build_parser().parse_args(words[1:])
