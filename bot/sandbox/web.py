"""The sandbox's page and its JSON API, served on 127.0.0.1 (aiohttp, which aiogram already brings).

The page is served at once, before the bot is up (aiogram takes seconds to import): `/api/state` says
`ready: false` until `attach(world)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from bot.sandbox.world import Sandbox

STATIC = Path(__file__).with_name("static")
WORLD = web.AppKey("world", dict)


def build_app() -> web.Application:
    app = web.Application(client_max_size=60 * 1024 * 1024)
    app[WORLD] = {}
    app.router.add_get("/", index)
    app.router.add_get("/api/state", state)
    app.router.add_static("/static/", STATIC)
    return app


def attach(app: web.Application, world: Sandbox) -> None:
    app[WORLD]["world"] = world


def world_of(request: web.Request) -> Sandbox | None:
    return request.app[WORLD].get("world")


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html")


async def state(request: web.Request) -> web.Response:
    world = world_of(request)
    if world is None or not world.ready:
        return web.json_response({"ready": False})
    body: dict[str, Any] = {
        "ready": True,
        "version": world.version,
        "now": world.now().astimezone(world.tz).isoformat(),
        "personas": [p.to_json() for p in world.personas.values()],
    }
    return web.json_response(body)
