"""What a terminal shows while a long command runs: `wargame serve`'s request log, the progress
bar of `simulate` and `sweep`. wargame prints every command's output literally (a control
character shows as `\\x1b`, `wargame.cli`), so its own drawing must not pass through that: on a
terminal, each request used to print as a line of `\\x1b[34mINFO \\x1b[0m …`, and the progress
bar as screenfuls of `\\x1b[2Ksweep \\x1b[38;5;197m━…`."""

from __future__ import annotations

import os
import pty
import select
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def read_until(fd: int, phrase: str, seconds: float) -> str:
    out = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and phrase.encode() not in out:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return out.decode("utf-8", "replace")


def test_the_server_log_on_a_terminal_is_plain_text(tmp_path: Path) -> None:
    port = free_port()
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "wargame", "serve", "--saves", str(tmp_path), "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "COLUMNS": "200", "TERM": "xterm-256color"},
    )
    os.close(slave)
    try:
        shown = read_until(master, "Ctrl+C stops", 60)
        assert "White Cell" in shown
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/t/not-a-code", timeout=5)
            except urllib.error.HTTPError as exc:
                assert exc.code == 403
                break
            except OSError:
                time.sleep(0.2)
        logged = read_until(master, "GET /t/not-a-code", 20)
        assert "refused a page" in logged and "GET /t/not-a-code" in logged, logged
        assert "\\x1b" not in logged and "\x1b" not in logged, logged
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        os.close(master)


def run_on_terminal(args: list[str], seconds: float) -> tuple[int, str]:
    """A wargame command with a pseudo-terminal for its stdout and stderr."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "wargame", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"},
    )
    os.close(slave)
    out = ""
    try:
        out = read_until(master, "\0never", seconds) if proc.poll() is None else ""
    finally:
        code = proc.wait(seconds)
        os.close(master)
    return code, out


def test_the_simulate_progress_bar_draws_on_a_terminal(tmp_path: Path) -> None:
    code, out = run_on_terminal(["simulate", "--games", "6", "--bot", "random", "-j", "1"], 120)
    assert code == 0, out
    assert "simulate" in out and "6/6" in out, out
    assert "\\x1b" not in out, out  # drawn, not printed as escapes


def test_ctrl_c_says_where_the_game_is_and_how_to_resume_it(tmp_path: Path) -> None:
    import signal

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "wargame", "serve", "--saves", str(tmp_path), "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if not line or line.startswith("Ctrl+C stops"):
                break
        time.sleep(1.0)  # the server is listening by now
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    (save,) = tmp_path.glob("*.jsonl")
    assert proc.returncode == 0, out
    assert f"Stopped. The game is saved in {save}." in out
    assert f"serve --continue {save} --port {port}" in out
