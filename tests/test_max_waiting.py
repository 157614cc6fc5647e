"""MAX: a notice that waits for its person (MAX did not know the dialog: they had never started the bot) goes
as soon as they write, and someone with nothing waiting writes without touching the waiting list."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.clock import SystemClock
from bot.flows.events import Messenger
from bot.sandbox.max import FakeMax
from bot.settings import load_settings
from handlers.max.runtime import MaxRuntime
from storage.database import Database
from storage.repositories import build_services

NOTICE = "Встреча наставников в субботу в 11:00."


@pytest.fixture
async def max_bot(tmp_path: Path) -> AsyncIterator[tuple[FakeMax, dict[str, Any]]]:
    settings = load_settings(
        env_file=None,
        telegram={"bot_token": "123456:" + "A" * 35, "curator_ids": "1"},
        storage={"database_path": tmp_path / "db.sqlite3"},
        institution={},
        logging={},
        schedule={},
    )
    async with FakeMax(chat_messages_per_second=None, chat_answers_per_second=None) as fake:
        db = await Database.open(tmp_path / "db.sqlite3")
        services = build_services(settings, db, SystemClock())
        await services["curators"].load()
        await services["outbox"].load_waiting()
        runtime = MaxRuntime(fake.token, fake.base_url, services, SystemClock(), outbox_rate=1000, poll_timeout=1)
        services["runtime"] = runtime
        try:
            yield fake, services
        finally:
            await runtime.close()
            await db.close()


async def test_a_waiting_notice_goes_when_its_person_writes(max_bot: tuple[FakeMax, dict[str, Any]]) -> None:
    fake, services = max_bot
    outbox = services["outbox"]
    await outbox.enqueue(5001, NOTICE, messenger=Messenger.MAX)
    # What the outbox records when MAX answers that it does not know the dialog (404): the notice waits.
    row = await services["db"].fetchone("SELECT id FROM outbox WHERE chat_id=5001")
    await outbox.wait_for_chat(5001, row["id"], "chat.not.found", Messenger.MAX)
    runtime = services["runtime"]
    await runtime.start()
    polling = asyncio.create_task(runtime.run())
    try:
        other = fake.user(5002, "Оля Смирнова")
        await other.send("/help")
        await other.expect("")
        assert outbox.waiting[Messenger.MAX] == {5001}  # someone else's update lets nothing go

        person = fake.user(5001, "Петя Иванов")
        await person.send("/help")
        await fake.wait_for(lambda: any(m.text == NOTICE for m in person.replies()))
        assert outbox.waiting[Messenger.MAX] == set()
        assert await services["db"].fetchval("SELECT status FROM outbox WHERE chat_id=5001") == "sent"
    finally:
        runtime.stop()
        await polling
