"""The command line as a user types it: every mistake is one line and exit 2 (usage) or 1 (a
file or folder), found before anything is written, and never an "internal error".

Runs `wargame.cli.main` in-process (the terminal UI replaced by a stub that fails the test if it
is reached), in a temporary working directory.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest

from wargame import journal
from wargame.cli import build_parser, main

INTERNAL = "internal error"


OPENED: list[Any] = []
"""The arguments of every (stubbed) UI run in the current test."""


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test in its own working directory, with the UI replaced by a stub."""
    import wargame.tui.app

    monkeypatch.chdir(tmp_path)
    OPENED.clear()

    def fake_run_app(args: Any) -> int:
        OPENED.append(args)
        return 0

    monkeypatch.setattr(wargame.tui.app, "run_app", fake_run_app)
    return tmp_path


def ui_opened() -> list[Any]:
    return OPENED


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert INTERNAL not in err and "Traceback" not in err, err
    return code, out, err


def refused(capsys: pytest.CaptureFixture[str], code: int, *argv: str) -> str:
    """Run a command that must be refused with `code` and one line on stderr; the line."""
    got, _, err = run(capsys, *argv)
    assert got == code, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert not ui_opened(), "the UI opened for a refused command"
    return lines[0]


def headless_game(saves: Path, *more: str) -> Path:
    code = main(
        [
            *("play", "--headless", "--turns", "2", "--seed", "3", "--bots", "all=random"),
            *("--saves", str(saves), *more),
        ]
    )
    assert code == 0
    (path,) = saves.glob("*.jsonl")
    return path


def cut_in_half(path: Path) -> int:
    """Keep the header and the first half of the records (a session stopped mid-game)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    keep = len(lines) // 2
    path.write_text("".join(lines[:keep]), encoding="utf-8")
    return keep - 1


# ---------------------------------------------------------------------- play --headless --continue


@pytest.mark.parametrize("which", ["path", "latest"])
def test_headless_continue_lets_the_bots_finish_that_save(
    here: Path, capsys: pytest.CaptureFixture[str], which: str
) -> None:
    saves = here / "saves"
    path = headless_game(saves)
    records = cut_in_half(path)
    assert not journal.load(path).session.state.over
    capsys.readouterr()
    target = [str(path)] if which == "path" else []
    code, out, _ = run(capsys, "play", "--headless", "--saves", str(saves), "--continue", *target)
    assert code == 0
    assert f"continuing {path}" in out
    assert list(saves.glob("*.jsonl")) == [path], "a new game was started instead"
    loaded = journal.load(path)
    assert loaded.session.state.over
    assert loaded.records > records
    assert f"Journal: {path}" in out


def test_headless_continue_refuses_a_save_with_a_human_team(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wargame.commands.play import load_tables
    from wargame.seats import parse_seats

    t = load_tables(None, 2)
    saves = here / "saves"
    _, writer = journal.start(
        t,
        seed=1,
        seats=parse_seats("all=random,china=human:Red", t),
        facilitated=True,
        saves=saves,
    )
    assert writer is not None
    writer.close()
    before = writer.path.read_bytes()
    line = refused(capsys, 1, "play", "--headless", "--continue", str(writer.path))
    assert "human" in line and "china" in line
    # The way out is in the message, as typed.
    args = parse_typed(line.partition("in the terminal UI: ")[2])
    assert Path(args.resume).resolve() == writer.path.resolve() and not args.headless
    assert writer.path.read_bytes() == before
    assert list(saves.glob("*.jsonl")) == [writer.path]


def test_continue_refuses_settings_a_save_already_has(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for extra in (["--seed", "4"], ["--bots", "all=random"], ["--turns", "3"], ["--timer", "5"]):
        line = refused(capsys, 2, "play", "--continue", *extra)
        assert extra[0] in line and "--continue" in line
    assert not (here / "saves").exists()


def test_continue_a_missing_save_is_one_line(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "nope.jsonl" in refused(capsys, 1, "play", "--continue", "nope.jsonl")
    assert "nope.jsonl" in refused(capsys, 1, "play", "--headless", "--continue", "nope.jsonl")
    line = refused(capsys, 1, "play", "--headless", "--continue", "--saves", "empty")
    assert "no save in empty" in line


# ---------------------------------------------------------------------- --bots, --timer, numbers


@pytest.mark.parametrize("headless", [False, True])
@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("china=superbot", "unknown bot 'superbot'"),
        ("china=planner:superhard", "unknown planner level 'superhard'"),
        ("china=greedy:hard", "no levels"),
        ("mars=random", "unknown role 'mars'"),
        ("china", "ROLE=BOT"),
        ("china=absent", "cannot be absent"),
    ],
)
def test_bad_bots_are_refused_before_the_ui_and_before_any_journal(
    here: Path, capsys: pytest.CaptureFixture[str], spec: str, says: str, headless: bool
) -> None:
    argv = ["play", "--bots", spec, *(["--headless"] if headless else [])]
    line = refused(capsys, 2, *argv)
    assert says in line
    assert line.startswith("wargame play: --bots: ")
    assert not (here / "saves").exists(), "a refused command wrote a journal"


def test_good_bots_reach_the_setup_screen_as_its_choices_name_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, _ = run(capsys, "play", "--bots", "china=planner,us=human:Red,russia=absent")
    assert code == 0
    (args,) = ui_opened()
    assert args.bots == "china=planner:normal,us=human:Red,russia=absent"


@pytest.mark.parametrize(
    "argv",
    [
        ["play", "--timer", "-5"],
        ["play", "--timer", "241"],
        ["play", "--timer", "ten"],
        ["play", "--seed", "-1"],
        ["play", "--turns", "0"],
        ["play", "--turns", "51"],
        ["--timer", "-5"],  # play is the default command
        ["simulate", "--games", "0"],
        ["simulate", "--games", "-3"],
        ["simulate", "--workers", "0"],
        ["simulate", "--seed", "-1"],
        ["simulate", "--bot", "planner:superhard"],
        ["simulate", "--bot", "greedy:hard"],
        ["simulate", "--seats", "china=human"],
        ["simulate", "--planner", "worlds=0"],
        ["replay", "x.jsonl", "--to", "-1"],
        ["replay", "x.jsonl", "--from", "0"],
        ["replay", "x.jsonl", "--branch", "-2"],
        ["validate"],
        ["frobnicate"],
    ],
)
def test_bad_numbers_and_words_are_usage_errors(
    here: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    refused(capsys, 2, *argv)
    assert not any(here.iterdir()), "a refused command wrote something"


# ---------------------------------------------------------------------- folders and files


def unwritable_places(root: Path) -> dict[str, Path]:
    """Save folders that cannot be written, whoever runs the tests (root writes read-only
    folders, so none is used)."""
    a_file = root / "a-file"
    a_file.write_text("not a folder\n", encoding="utf-8")
    return {"a file": a_file, "under a file": a_file / "saves", "deep under a file": a_file / "x/y"}


@pytest.mark.parametrize("headless", [False, True])
def test_a_save_folder_that_cannot_be_written_is_one_line_exit_1(
    here: Path, capsys: pytest.CaptureFixture[str], headless: bool
) -> None:
    for what, place in unwritable_places(here).items():
        argv = ["play", "--saves", str(place.relative_to(here))]
        if headless:
            argv += ["--headless", "--bots", "all=random", "--turns", "1"]
        line = refused(capsys, 1, *argv)
        assert str(place.relative_to(here)) in line, (what, line)
        assert "a file, not a folder" in line
    assert sorted(p.name for p in here.iterdir()) == ["a-file"]


def test_a_read_only_save_folder_is_refused(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read-only is checked with os.access (tests may run as root, who may write anyway)."""
    import os

    (here / "ro").mkdir()
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p).name == "ro" else real(p, mode)
    )
    assert "ro is not writable" in refused(capsys, 1, "play", "--saves", "ro")
    assert "ro is not writable" in refused(capsys, 1, "play", "--saves", "ro/new")


def test_no_save_needs_no_save_folder(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "a-file").write_text("x", encoding="utf-8")
    code, _, _ = run(capsys, "play", "--saves", "a-file", "--no-save")
    assert code == 0 and len(ui_opened()) == 1


def test_missing_scenario(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "no scenario at nowhere" in refused(capsys, 1, "play", "--scenario", "nowhere")
    assert "nowhere" in refused(capsys, 1, "simulate", "--scenario", "nowhere")


def test_simulate_checks_its_outputs_before_playing(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import wargame.sim.runner

    def no_games(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the simulation started")

    monkeypatch.setattr(wargame.sim.runner, "run", no_games)
    (here / "a-file").write_text("x", encoding="utf-8")
    (here / "a-folder").mkdir()
    for argv in (
        ["--json", "a-folder"],
        ["--csv", "a-file/report.csv"],
        ["--journals", "a-file"],
        ["--journals", "a-file/games"],
    ):
        line = refused(capsys, 1, "simulate", "-q", "-n", "1", *argv)
        assert argv[1] in line or argv[1].split("/")[0] in line


def test_verify_and_replay_name_the_path(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "a-folder").mkdir()
    (here / "not-a-save.jsonl").write_text("hello\n", encoding="utf-8")
    for argv in (
        ["verify", "nope.jsonl"],
        ["verify", "a-folder"],
        ["replay", "nope.jsonl"],
        ["replay", "a-folder"],
        ["replay", "not-a-save.jsonl"],
    ):
        got, _, err = run(capsys, *argv)
        assert got == 1 and argv[1] in err, (argv, err)
    got, _, err = run(capsys, "verify", "not-a-save.jsonl")
    assert got == 1 and "not-a-save.jsonl:1:" in err
    assert "no save in saves/" in refused(capsys, 1, "replay")
    assert "no save in saves/" in refused(capsys, 1, "verify")


def test_replay_and_verify_default_to_the_saves_folder(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = headless_game(here / "saves")
    capsys.readouterr()
    code, out, _ = run(capsys, "verify")
    assert code == 0 and out.startswith(f"{Path('saves') / path.name}: ok")
    code, out, _ = run(capsys, "replay", "--text", "--all", "--to", "3")
    assert code == 0 and "[   3]" in out and "[   4]" not in out
    code, out, _ = run(capsys, "replay", "--text", "--to", "3")  # shuffles folded away
    assert code == 0 and "shuffles" not in out and "[   4]" not in out


def test_a_branch_into_an_unwritable_folder_writes_nothing(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = headless_game(here / "saves")
    capsys.readouterr()
    (here / "a-file").write_text("x", encoding="utf-8")
    assert "a-file" in refused(capsys, 1, "replay", str(path), "--branch", "3", "--saves", "a-file")
    assert "between 0 and" in refused(capsys, 1, "replay", str(path), "--branch", "100000")
    assert list((here / "saves").iterdir()) == [path]


def test_a_branch_says_how_to_continue_it_as_typed(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = headless_game(here / "saves")
    capsys.readouterr()
    code, out, _ = run(capsys, "replay", str(path), "--branch", "3", "--saves", "b")
    assert code == 0
    hint = out.splitlines()[-1].removeprefix("Continue it with: ")
    args = parse_typed(hint)
    (child,) = (here / "b").glob("*.jsonl")
    assert Path(args.resume).resolve() == child.resolve()
    assert args.saves == Path("b")


# ---------------------------------------------------------------------- the resume hint


def parse_typed(command: str) -> Any:
    """The arguments a printed command would run with; its first word must be the command
    the README documents (`.venv/bin/wargame`, or `wargame` when that is on the PATH)."""
    words = shlex.split(command)
    assert words[0] in ("wargame", ".venv/bin/wargame") or words[0].endswith("/bin/wargame")
    return build_parser().parse_args(words[1:])


def test_resume_command_names_the_save_and_its_folder(here: Path) -> None:
    from wargame.shell import resume_command

    hint = resume_command(Path("class 3/saves/a.jsonl"), Path("class 3/saves"))
    args = parse_typed(hint)
    assert args.resume == "class 3/saves/a.jsonl"
    assert args.saves == Path("class 3/saves")


def test_resume_command_from_a_checkout_is_the_readme_form(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from wargame.shell import wargame_command

    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    monkeypatch.setattr(sys, "executable", str(root / ".venv" / "bin" / "python"))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert wargame_command() == ".venv/bin/wargame"
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/wargame play --continue" in readme


async def test_quitting_prints_the_command_that_resumes_this_save(here: Path) -> None:
    """The hint after quitting the UI resumes this exact save in its own saves folder (it
    used to say `wargame play --continue`, which opens the latest save of ./saves)."""
    from test_tui_fixture import settle

    from wargame.commands.play import load_tables
    from wargame.seats import parse_seats
    from wargame.tui.app import Options, WargameApp

    t = load_tables(None, 2)
    saves = here / "class-3"
    _, writer = journal.start(
        t, seed=1, seats=parse_seats("all=human", t), facilitated=True, saves=saves
    )
    assert writer is not None
    writer.close()
    app = WargameApp(Options(saves=Path("class-3"), resume=str(writer.path), timer=0))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.game is not None
        app.action_request_quit()
        await pilot.pause()
    assert app.exit_message is not None
    hint = app.exit_message.splitlines()[-1]
    assert hint.startswith("Resume with: ")
    args = parse_typed(hint.removeprefix("Resume with: "))
    assert Path(args.resume).resolve() == writer.path.resolve()
    assert args.saves == Path("class-3")


def test_the_installed_command_reports_a_bad_saves_folder_in_one_line(here: Path) -> None:
    """The same through the console script `make` installs (it said "internal error … This is
    a bug in wargame" and exited 70)."""
    import subprocess
    import sys

    script = Path(sys.executable).parent / "wargame"
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "wargame"]
    (here / "a-file").write_text("x", encoding="utf-8")
    expected = {
        "a-file": "the saves folder a-file is a file, not a folder",
        "a-file/saves": "cannot create the saves folder a-file/saves: "
        "a-file is a file, not a folder",
    }
    for saves, message in expected.items():
        res = subprocess.run(
            [*command, "play", "--headless", "--saves", saves],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert res.returncode == 1, res.stderr
        assert res.stderr.splitlines() == [f"wargame: {message}"]
    assert sorted(p.name for p in here.iterdir()) == ["a-file"]
