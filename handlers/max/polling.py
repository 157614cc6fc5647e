"""Updates from MAX: long polling (`GET /updates` with a marker), or a webhook the platform POSTs to.

Long polling is the default: a school's server behind NAT has no public HTTPS address, which MAX's webhooks
require. The marker after the last batch handled in full is kept in SQLite (`storage.markers`), and the next poll
passes it, which tells MAX the batch is done. So a batch that was being handled when the process died is read
again after a restart (nothing acknowledged is lost; a press handled twice is answered as an old button), and a
restart never polls without a marker, which would get only the newest update.

The webhook mode (MAX_WEBHOOK_URL) subscribes that URL with the secret and serves `POST /` on
MAX_WEBHOOK_LISTEN behind the school's reverse proxy: a request without the right `X-Max-Bot-Api-Secret` is
refused with 401, and an update is answered 200 only once it is handled (MAX sends it again otherwise).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from typing import Any

from aiohttp import web

from bot.flows.events import Messenger
from handlers.max.adapter import MaxAdapter
from handlers.max.client import MaxError
from storage.markers import UpdateMarkers

log = logging.getLogger(__name__)

POLL_TIMEOUT = 30
SECRET_HEADER = "X-Max-Bot-Api-Secret"


class Polling:
    def __init__(self, adapter: MaxAdapter, markers: UpdateMarkers, *, timeout: int = POLL_TIMEOUT) -> None:
        self._adapter = adapter
        self._markers = markers
        self._timeout = timeout
        self._stopping = asyncio.Event()
        self.batches = 0

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        marker = await self._markers.get(Messenger.MAX)
        pause = 1.0
        first = True
        while not self._stopping.is_set():
            # Without a marker MAX answers only the newest update, dropping whatever came before it: the first
            # poll of a bot that never polled does not wait, to get a marker before anyone writes.
            wait = 0 if marker is None and first else self._timeout
            first = False
            poll = asyncio.ensure_future(self._adapter.client.updates(marker, wait))
            stop = asyncio.ensure_future(self._stopping.wait())
            done, _ = await asyncio.wait({poll, stop}, return_when=asyncio.FIRST_COMPLETED)
            if poll not in done:
                poll.cancel()
                break
            stop.cancel()
            try:
                got = poll.result()
            except MaxError as exc:
                if exc.status == 401:
                    raise
                log.warning("MAX updates: %s; polling again in %.0f s", exc, pause)
                await self._pause(pause)
                pause = min(pause * 2, 60.0)
                continue
            pause = 1.0
            updates = list(got.get("updates") or [])
            if updates:
                await self._adapter.handle_batch(updates)
                self.batches += 1
            new_marker = got.get("marker")
            if isinstance(new_marker, int) and new_marker != marker:
                marker = new_marker
                await self._markers.put(Messenger.MAX, marker)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)


def webhook_app(adapter: MaxAdapter, secret: str) -> web.Application:
    """The HTTP endpoint MAX POSTs updates to (one update per request)."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.json_response({"code": "unauthorized", "message": "wrong secret"}, status=401)
        try:
            update: Any = await request.json()
        except ValueError:
            return web.json_response({"code": "bad.request", "message": "not JSON"}, status=400)
        if not isinstance(update, dict):
            return web.json_response({"code": "bad.request", "message": "not an update"}, status=400)
        await adapter.handle_batch([update])
        return web.json_response({"success": True})

    app = web.Application(client_max_size=1 << 20)
    app.router.add_post("/", receive)
    return app
