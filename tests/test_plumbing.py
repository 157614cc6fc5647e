"""The shared mechanisms: 429 retry, the error handler, edit-or-send, the outbox sender."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

import handlers.core
from bot.app import build_bot
from bot.i18n import tr
from bot.sandbox.telegram import CALLBACK_QUERY_TTL, FakeTelegram
from bot.settings import Settings
from handlers.middlewares import RetryAfterMiddleware
from handlers.outbox_sender import OutboxSender
from storage.database import Database
from storage.outbox import Outbox
from storage.participants import ParticipantRepo
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock


async def test_a_reply_that_meets_429_waits_and_arrives(tg: FakeTelegram, running: RunningBot) -> None:
    user = tg.user(551)
    tg.flood(count=1, retry_after=1, chat_id=551)
    await user.send("/help")
    await user.expect("Что умеет бот", timeout=8)
    assert any(code == 429 for _, code, _ in tg.errors)


@pytest.mark.allow_errors(log="disk on fire", apology=True)
async def test_an_unexpected_error_is_logged_and_the_user_gets_an_apology(
    tg: FakeTelegram, running: RunningBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(self: ParticipantRepo, *args: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ParticipantRepo, "by_account", broken)
    user = tg.user(552)
    with caplog.at_level(logging.ERROR):
        await user.send("/menu")
        await user.expect("что-то пошло не так")
    assert any("update" in r.getMessage() and "disk on fire" in r.getMessage() for r in caplog.records)


async def test_pressing_the_same_button_twice_is_not_an_error(tg: FakeTelegram, running: RunningBot) -> None:
    tg.expect_error(400, "message is not modified")  # ui.show takes it as "nothing to change"
    curator = tg.user(CURATOR_ID)
    await curator.send("/invite")
    menu = await curator.expect("Кого приглашаем")
    await curator.click("наставник", menu)
    await curator.expect("Форма наставничества")
    await curator.click_data(menu.buttons[2][0].callback_data or "", menu.message_id)
    await tg.wait_for(lambda: any("not modified" in d for _, _, d in tg.errors))
    await tg.wait_for(lambda: len(curator.callback_answers()) == 2)
    assert not [m for m in curator.replies() if tr("unexpected-error") in (m.text or "")]


async def test_a_press_that_waited_too_long_for_the_bot_still_does_its_work(
    tg: FakeTelegram, running: RunningBot
) -> None:
    """The bot was down (or busy) longer than Telegram keeps a callback query answerable: the answer fails,
    the press must still be handled, without an apology."""
    curator = tg.user(CURATOR_ID)
    await curator.send("/invite")
    menu = await curator.expect("Кого приглашаем")
    await running.stop()
    await curator.click("наставник", menu)
    tg.advance_clock(CALLBACK_QUERY_TTL + 5)
    tg.expect_error(400, "query is too old")
    await running.start()
    screen = await curator.expect("Форма наставничества")
    assert screen.message_id == menu.message_id


async def test_a_shutdown_lets_the_update_in_hand_finish(
    tg: FakeTelegram, running: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telegram has the update confirmed once it is fetched: closing the app must not cut its handler off.

    The handler is held where a slow one waits: on Telegram, sending its answer after the action's transaction
    (a handler never waits on the network inside one, so a shutdown's last tick is not held up)."""
    entered, release = asyncio.Event(), asyncio.Event()
    original = handlers.core.render

    async def slow(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        await release.wait()
        return await original(*args, **kwargs)

    monkeypatch.setattr(handlers.core, "render", slow)
    user = tg.user(554)
    await user.send("/menu")
    await asyncio.wait_for(entered.wait(), 5)
    app, polling = running.app, running._task
    assert app is not None and polling is not None
    await app.dp.stop_polling()  # SIGTERM: polling stops, the handler is still in hand
    closing = asyncio.create_task(app.close())
    done, _ = await asyncio.wait({closing}, timeout=1)
    assert not done, "the app closed its session and database under a handler"
    release.set()
    await asyncio.wait_for(closing, 15)
    running.app = running._task = None  # closed here, not by the fixture
    await user.expect("пока не участник")


async def test_a_screen_whose_message_is_gone_is_sent_anew(tg: FakeTelegram, running: RunningBot) -> None:
    curator = tg.user(CURATOR_ID)
    await curator.send("/invite")
    menu = await curator.expect("Кого приглашаем")
    assert running.app is not None
    await running.app.bot.delete_message(CURATOR_ID, menu.message_id)
    await curator.click_data(menu.buttons[2][0].callback_data or "", menu.message_id)
    fresh = await curator.expect("Форма наставничества")
    assert fresh.message_id != menu.message_id and not fresh.edited


async def drain(sender: OutboxSender) -> None:
    """Everything due now, as the sender's loop would (one pass may leave a chat for its per-chat pace)."""
    while await sender.drain_once():
        pass


async def test_outbox_sender_handles_429_403_and_5xx(
    tg: FakeTelegram, settings: Settings, clock: FakeClock, tmp_path: Path
) -> None:
    db = await Database.open(tmp_path / "outbox.sqlite3")
    bot = build_bot(settings, retry=RetryAfterMiddleware(attempts=1))
    outbox = Outbox(db, clock)
    blocked: list[int] = []

    async def on_blocked(chat_id: int) -> None:
        blocked.append(chat_id)

    sender = OutboxSender(bot, outbox, clock, rate=1000, chat_rate=1000, on_blocked=on_blocked)
    try:
        tg.expect_error(403, "bot was blocked by the user")
        friend, _, flaky = tg.user(561), tg.user(562), tg.user(563)
        tg.flood(count=1, retry_after=30, chat_id=561)
        tg.block(562)
        tg.fail_server(count=1, chat_id=563)
        for chat in (561, 562, 563):
            await outbox.enqueue(chat, f"Напоминание {chat}")
        await drain(sender)
        rows = {r["chat_id"]: dict(r) for r in await db.fetchall("SELECT * FROM outbox")}
        assert rows[561]["status"] == "pending" and rows[561]["attempts"] == 0
        assert rows[562]["status"] == "blocked" and blocked == [562]
        assert rows[563]["status"] == "pending" and rows[563]["attempts"] == 1
        assert await outbox.due() == []  # both wait: 429 for retry_after, 5xx for its backoff

        clock.advance(seconds=31)
        await drain(sender)
        await friend.expect("Напоминание 561")
        await flaky.expect("Напоминание 563")
        assert await outbox.counts() == {"sent": 2, "blocked": 1}

        await outbox.enqueue(562, "Ещё одно")
        await drain(sender)
        assert blocked == [562]  # the curator is told once, not at every message
        assert await outbox.is_unreachable(562)
        await drain(sender)
        assert sender.sent == 2  # nothing is sent twice
    finally:
        await bot.session.close()
        await db.close()


async def test_the_running_bot_delivers_queued_notices(tg: FakeTelegram, running: RunningBot) -> None:
    curator = tg.user(OTHER_CURATOR_ID)
    await running.service("outbox").enqueue(OTHER_CURATOR_ID, "Сводка за день")
    await curator.expect("Сводка за день")
    await running.restart()
    # Sent before the restart: not sent again after it.
    assert await running.db.fetchval("SELECT status FROM outbox WHERE text='Сводка за день'") == "sent"
    assert len([m for m in curator.replies() if m.text == "Сводка за день"]) == 1
