"""Shared fixtures: a fake clock, a strict fake Bot API server, and the real bot running against it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, create_app
from bot.settings import Settings, load_settings
from storage.database import Database
from tests.fakes.clock import FakeClock
from tests.fakes.telegram import FakeTelegram

CURATOR_ID = 1000
OTHER_CURATOR_ID = 1001
# Telegram's per-chat limit (bursts of 3, then 1 message/s) at test speed: the fake enforces it on every chat,
# and the app's pace (OUTBOX_CHAT_RATE) keeps to it, replies and outbox alike.
CHAT_RATE = 100.0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(rate_limit_per_chat=CHAT_RATE, chat_burst=3)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "nastavnik.sqlite3"


@pytest.fixture
def make_settings(tg: FakeTelegram, db_path: Path) -> Callable[..., Settings]:
    def factory(**institution: Any) -> Settings:
        return load_settings(
            env_file=None,
            telegram={
                "bot_token": tg.token,
                "bot_api_base_url": tg.base_url,
                "curator_ids": f"{CURATOR_ID},{OTHER_CURATOR_ID}",
            },
            storage={"database_path": db_path},
            institution={"organization_name": "МБУ ДО «Станция юных техников»", **institution},
            logging={"log_level": "INFO"},
            schedule={"outbox_rate": 1000, "outbox_chat_rate": CHAT_RATE},
        )

    return factory


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


class RunningBot:
    """The real app (dispatcher, SQLite, outbox sender) polling the fake server in this event loop."""

    def __init__(self, settings: Settings, clock: FakeClock) -> None:
        self.settings = settings
        self.clock = clock
        self.app: App | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> App:
        self.app = await create_app(self.settings, clock=self.clock)
        started = asyncio.Event()
        self.app.dp.startup.register(lambda: started.set())
        self._task = asyncio.create_task(
            self.app.dp.start_polling(
                self.app.bot, handle_signals=False, close_bot_session=False, polling_timeout=1
            )
        )
        await asyncio.wait_for(started.wait(), 5)
        return self.app

    async def stop(self) -> None:
        if self.app is None or self._task is None:
            return
        with contextlib.suppress(RuntimeError):
            await self.app.dp.stop_polling()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(self._task, 10)
        await self.app.close()
        self.app, self._task = None, None

    async def restart(self) -> App:
        await self.stop()
        return await self.start()

    @property
    def db(self) -> Database:
        assert self.app is not None
        return self.app.db

    def service(self, name: str) -> Any:
        assert self.app is not None
        return self.app.services[name]


@pytest.fixture
async def running(tg: FakeTelegram, settings: Settings, clock: FakeClock) -> AsyncIterator[RunningBot]:
    # The curators have opened the bot before (Telegram answers "chat not found" otherwise).
    tg.user(CURATOR_ID, "Куратор")
    tg.user(OTHER_CURATOR_ID, "Второй куратор")
    runner = RunningBot(settings, clock)
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()
