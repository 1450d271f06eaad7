"""What the facilitator's terminal shows while `wargame serve` runs: the links, then one plain
line per page asked for. wargame prints every command's output literally (a control character
shows as `\\x1b`), so the server's log must not be coloured: on a terminal, each request used to
print as a line of `\\x1b[34mINFO \\x1b[0m …` escapes."""

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
