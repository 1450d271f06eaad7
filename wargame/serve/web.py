"""The web server of `wargame serve`, built on textual-serve: its page, its scripts and its way
of running one app process per browser tab, with the routes a classroom needs.

textual-serve serves one fixed command to everyone at `/`. Here each place has its own link,
`/t/CODE`: the code is checked when the page is asked for and again before a process starts
(a wrong code is refused and logged; a team's seat opens in one tab at a time). The process is
`python -m wargame.serve.seat`, told its place by a one-time ticket in its environment, so the
page shows neither the code's meaning nor any path.
"""

from __future__ import annotations

import asyncio
import html
import logging
import sys
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from rich.console import Console
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from wargame.serve import seat
from wargame.serve.host import GameHost

log = logging.getLogger("wargame.serve")

SEAT_COMMAND = f"{sys.executable} -m wargame.serve.seat"


class SeatService(AppService):
    """textual-serve's app process, with the seat's place in its environment."""

    def __init__(self, *args: Any, extra_env: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_env = extra_env

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(width=width, height=height)
        env.update(self.extra_env)
        return env


def _page(title: str, text: str, status: int = 200) -> web.Response:
    body = (
        "<!doctype html><html><head><meta charset='utf-8'><title>wargame</title></head>"
        "<body style='font-family:sans-serif;max-width:40em;margin:4em auto'>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
    return web.Response(text=body, content_type="text/html", status=status)


class SeatServer(Server):
    """textual-serve's server with one route per place (module docstring)."""

    def __init__(self, game_host: GameHost, *, host: str, port: int) -> None:
        super().__init__(SEAT_COMMAND, host=host, port=port, title="wargame")
        self.game_host = game_host
        # wargame prints literally (a control character shows as `\x1b`, `wargame.cli`):
        # the request log in colour would fill the facilitator's terminal with escapes.
        self.console = Console(color_system=None, highlight=False)

    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_root),
                web.get("/t/{code}", self.handle_index, name="index"),
                web.get("/ws/{code}", self.handle_websocket, name="websocket"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_startup(self, app: web.Application) -> None:
        await self.game_host.start()

    async def on_shutdown(self, app: web.Application) -> None:
        await self.game_host.stop()

    async def handle_root(self, request: web.Request) -> web.Response:
        return _page("wargame", "Open the link the White Cell gave your team.")

    async def handle_index(self, request: web.Request) -> web.Response:
        code = request.match_info["code"]
        place = self.game_host.place_of(code)
        if place is None:
            log.warning("refused a page from %s: wrong code", request.remote)
            return _page(
                "This link is not valid",
                "Its code is not one of this game's. Ask the White Cell for your team's link.",
                status=403,
            )
        base = f"{request.scheme}://{request.host}"
        ws = ("wss" if request.scheme == "https" else "ws") + f"://{request.host}/ws/{code}"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": ws,
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": f"wargame: {self.game_host.place_name(place)}"},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        code = request.match_info["code"]
        if self.game_host.place_of(code) is None:
            # No process for a wrong code: refused (and logged by admit) before anything starts.
            self.game_host.admit(code, str(request.remote))
            await websocket.prepare(request)
            await websocket.close()
            return websocket
        admitted = self.game_host.admit(code, str(request.remote))
        env = {seat.ENV_PORT: str(self.game_host.port)}
        ticket = ""
        if isinstance(admitted, str):
            # A right code for a seat already open elsewhere: the tab says why, in words.
            env[seat.ENV_REFUSED] = admitted
        else:
            ticket = admitted[0]
            env[seat.ENV_TICKET] = ticket
        service: SeatService | None = None
        try:
            await websocket.prepare(request)
            service = SeatService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
                extra_env=env,
            )
            await service.start(width, height)
            try:
                await self._process_messages(websocket, service)
            finally:
                await service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one tab's failure must not stop the game
            log.exception(error)
        finally:
            if service is not None:
                await service.stop()
            if ticket:
                self.game_host.forget_ticket(ticket)
        return websocket
