"""The MAX side of a running bot: the client, the adapter, the updates (polling or webhook) and the outbox
sender, started and stopped together by `bot.app`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.clock import Clock
from bot.commands import PARTICIPANT_COMMANDS, described
from bot.flows.events import Messenger, Person
from handlers.max.adapter import MaxAdapter
from handlers.max.client import MaxClient, MaxError
from handlers.max.polling import Polling, webhook_app
from handlers.max.sender import MaxOutboxSender
from storage.markers import UpdateMarkers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Webhook:
    url: str  # the public HTTPS address MAX posts to (the reverse proxy's)
    secret: str
    host: str  # where the bot's own server listens behind the proxy
    port: int


class MaxRuntime:
    def __init__(
        self,
        token: str,
        base_url: str,
        services: Mapping[str, Any],
        clock: Clock,
        *,
        outbox_rate: float = 20.0,
        webhook: Webhook | None = None,
        poll_timeout: int = 30,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`sleep`: the client's pauses (a file MAX has not processed yet), injectable for tests."""
        self.client = MaxClient(token, base_url, sleep=sleep)
        self.adapter = MaxAdapter(self.client, services)
        self.polling = Polling(self.adapter, UpdateMarkers(services["db"]), timeout=poll_timeout)
        self.sender = MaxOutboxSender(
            self.client, services["outbox"], clock, rate=outbox_rate, on_blocked=self._blocked
        )
        self._services = services
        self._webhook = webhook
        self._stopping = asyncio.Event()

    async def _blocked(self, account_id: int) -> None:
        """The outbox found the chat refused and marked it unreachable (the first time): the curators are told.
        Not through the adapter's `_stopped`, whose own mark would find the chat marked already and tell nobody."""
        await self.adapter._tell_curators(Person(Messenger.MAX, account_id), "curator-user-blocked")

    async def start(self) -> None:
        """Learn the bot's name (its links), list the participants' commands, start the outbox's MAX rows.
        A token MAX refuses raises `MaxError` with status 401."""
        username = await self.client.me()
        self._services["repos"].links.learn(Messenger.MAX, username)
        try:
            await self.client.set_commands(described(PARTICIPANT_COMMANDS).items())
        except MaxError as exc:
            log.warning("MAX did not take the command list: %s", exc)
        self.sender.start()

    async def run(self) -> None:
        """Take updates until `stop`."""
        if self._webhook is None:
            if await self.client.subscriptions():
                log.warning("the MAX bot has a webhook subscription: MAX sends it the updates, not to long polling")
            await self.polling.run()
            return
        await self.client.subscribe(self._webhook.url, self._webhook.secret)
        runner = web.AppRunner(webhook_app(self.adapter, self._webhook.secret))
        await runner.setup()
        site = web.TCPSite(runner, self._webhook.host, self._webhook.port)
        await site.start()
        log.info("MAX webhook listening on %s:%d", self._webhook.host, self._webhook.port)
        try:
            await self._stopping.wait()
        finally:
            await runner.cleanup()

    def stop(self) -> None:
        self._stopping.set()
        self.polling.stop()

    async def close(self) -> None:
        await self.sender.stop()
        await self.client.close()
