"""A small Chrome DevTools Protocol client: headless Debian chromium, driven over its debugging
websocket (aiohttp), to open pages, click, type and take screenshots. Used by the browser test,
benchmarks/bench_serve.py and scripts that try `wargame serve` as a facilitator would."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Key names as the DevTools protocol wants them: (key, code, keyCode).
KEYS = {
    "enter": ("Enter", "Enter", 13),
    "escape": ("Escape", "Escape", 27),
    "tab": ("Tab", "Tab", 9),
    "down": ("ArrowDown", "ArrowDown", 40),
    "up": ("ArrowUp", "ArrowUp", 38),
    "left": ("ArrowLeft", "ArrowLeft", 37),
    "right": ("ArrowRight", "ArrowRight", 39),
}


KEEP_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(v) {
    window.__terminal = v;
    Object.defineProperty(this, 'terminal', {value: v, writable: true, configurable: true});
  },
});
"""
"""textual-serve's page draws on a canvas and keeps its xterm.js Terminal in a closure; this
keeps a reference to it as the page assigns it, so a test can read the screen's text."""

READ_SCREEN = """
(() => { const t = window.__terminal; if (!t) return '';
  const b = t.buffer.active, out = [];
  for (let i = 0; i < t.rows; i++) { const l = b.getLine(b.viewportY + i);
    out.push(l ? l.translateToString(true) : ''); }
  return out.join('\\n'); })()
"""


class Browser:
    """One headless chromium process; `await Browser.start()`, then `await browser.tab(url)`."""

    def __init__(self, proc: subprocess.Popen[bytes], ws_url: str, profile: str) -> None:
        self.proc = proc
        self.ws_url = ws_url
        self.profile = profile
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._reader: asyncio.Task[None] | None = None

    @classmethod
    async def start(cls, width: int = 1100, height: int = 700) -> Browser:
        if CHROMIUM is None:
            raise RuntimeError("chromium is not installed")
        profile = tempfile.mkdtemp(prefix="wargame-chromium-")
        proc = subprocess.Popen(
            [
                CHROMIUM,
                "--headless=new",
                "--no-sandbox",  # needed as root (CI containers)
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-port=0",
                # Pages in background tabs keep their timers and rendering: several seats
                # are open at once, and each must update as a team's own window would.
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert proc.stderr is not None
        loop = asyncio.get_running_loop()
        url = ""
        deadline = loop.time() + 30
        while loop.time() < deadline:
            line = await loop.run_in_executor(None, proc.stderr.readline)
            if not line:
                break
            m = re.search(rb"DevTools listening on (ws://\S+)", line)
            if m:
                url = m.group(1).decode()
                break
        if not url:
            proc.kill()
            raise RuntimeError("chromium did not open its debugging port")
        self = cls(proc, url, profile)
        self.http = aiohttp.ClientSession()
        self.ws = await self.http.ws_connect(url, max_msg_size=64 << 20)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self.ws is not None
        async for msg in self.ws:
            data = json.loads(msg.data)
            fut = self._waiting.pop(data.get("id", -1), None)
            if fut is not None and not fut.done():
                fut.set_result(data)

    async def call(self, method: str, session: str | None = None, **params: Any) -> Any:
        assert self.ws is not None
        i = next(self._ids)
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[i] = fut
        msg: dict[str, Any] = {"id": i, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        await self.ws.send_str(json.dumps(msg))
        data = await asyncio.wait_for(fut, 30)
        if "error" in data:
            raise RuntimeError(f"{method}: {data['error']}")
        return data.get("result", {})

    async def tab(self, url: str) -> Tab:
        target = (await self.call("Target.createTarget", url="about:blank"))["targetId"]
        session = (await self.call("Target.attachToTarget", targetId=target, flatten=True))[
            "sessionId"
        ]
        tab = Tab(self, target, session)
        await tab.call("Page.enable")
        await tab.call("Runtime.enable")
        await tab.call("Page.addScriptToEvaluateOnNewDocument", source=KEEP_TERMINAL)
        await tab.call("Page.navigate", url=url)
        return tab

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self.ws is not None:
            await self.ws.close()
        if self.http is not None:
            await self.http.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


class Tab:
    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self.browser = browser
        self.target = target
        self.session = session

    async def call(self, method: str, **params: Any) -> Any:
        return await self.browser.call(method, self.session, **params)

    async def js(self, expression: str) -> Any:
        r = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return r.get("result", {}).get("value")

    async def click(self, x: float = 300, y: float = 300) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            await self.call(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )

    async def key(self, name: str, ctrl: bool = False) -> None:
        """A key press: 'enter', 'down'…, or one character (with Ctrl: 'ctrl+s')."""
        mods = 2 if ctrl else 0
        if name in KEYS:
            key, code, kc = KEYS[name]
            text = "\r" if name == "enter" else ""
        else:
            key, code, kc = name, f"Key{name.upper()}", ord(name.upper())
            text = "" if ctrl else name
        down: dict[str, Any] = {
            "type": "keyDown",
            "key": key,
            "code": code,
            "windowsVirtualKeyCode": kc,
            "modifiers": mods,
        }
        if text:
            down["text"] = text
        await self.call("Input.dispatchKeyEvent", **down)
        await self.call(
            "Input.dispatchKeyEvent",
            type="keyUp",
            key=key,
            code=code,
            windowsVirtualKeyCode=kc,
            modifiers=mods,
        )

    async def type(self, text: str) -> None:
        await self.call("Input.insertText", text=text)

    async def text(self) -> str:
        """The terminal's text as drawn (xterm.js rows), or '' before the app has started."""
        return str(await self.js(READ_SCREEN) or "")

    async def wait_for(self, needle: str, seconds: float = 20) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        text = ""
        while loop.time() < deadline:
            text = await self.text()
            if needle in text:
                return text
            await asyncio.sleep(0.05)
        raise TimeoutError(f"{needle!r} did not appear; the screen shows:\n{text}")

    async def screenshot(self, path: Path) -> None:
        await self.call("Page.bringToFront")  # a tab in the background paints no frame
        await asyncio.sleep(0.2)
        data = (await self.call("Page.captureScreenshot", format="png"))["data"]
        path.write_bytes(base64.b64decode(data))

    async def close(self) -> None:
        await self.browser.call("Target.closeTarget", targetId=self.target)
