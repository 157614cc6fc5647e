"""The errors guard itself: what it counts, what it leaves out, how a test declares what it provokes."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter

from bot.i18n import tr
from bot.sandbox.telegram import FakeTelegram
from tests.conftest import ErrorsGuard
from tests.test_fake_telegram import make_bot


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    # Not the tg fixture: that one is watched by this test's own guard.
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    client = make_bot(fake)
    yield client
    await client.session.close()


def _record(message: str, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord("handlers.outbox_sender", level, __file__, 1, message, (), None)


async def test_undeclared_errors_apologies_and_log_lines_are_reported(fake: FakeTelegram, bot: Bot) -> None:
    guard = ErrorsGuard()
    guard.watch(fake)
    fake.user(1)
    with contextlib.suppress(TelegramBadRequest):
        await bot.send_message(2, "кому?")
    await bot.send_message(1, tr("unexpected-error"))
    logger = logging.getLogger("tests.guarded")
    logger.propagate = False  # this test's own guard, on the root logger, must not see these
    logger.addHandler(guard)
    try:
        logger.error("outbox message %s refused: %s", 7, "Bad Request: chat not found")
        logger.warning("429 on sendMessage, retry 1 after 1s")  # not an error
    finally:
        logger.removeHandler(guard)
        logger.propagate = True

    problems = guard.problems()
    assert len(problems) == 3, problems
    assert problems[0] == "ERROR log   tests.guarded: outbox message 7 refused: Bad Request: chat not found"
    assert problems[1].startswith("apology     to chat 1")
    assert problems[2] == "Bot API     sendMessage -> 400 Bad Request: chat not found (chat 2), text 'кому?'"


async def test_injected_failures_polling_and_declared_errors_are_not_reported(fake: FakeTelegram, bot: Bot) -> None:
    guard = ErrorsGuard()
    guard.apply(pytest.mark.allow_errors(log="refused", api=[(400, "chat not found")]).mark)
    guard.watch(fake)
    fake.user(1)
    fake.flood(count=1, chat_id=1)
    with contextlib.suppress(TelegramRetryAfter):
        await bot.send_message(1, "429 on purpose")
    fake.fail_server(count=1, chat_id=1)
    with contextlib.suppress(Exception):
        await bot.send_message(1, "500 on purpose")
    with contextlib.suppress(TelegramBadRequest):
        await bot.send_message(2, "allowed")
    fake.expect_error(403, "blocked")
    fake.block(1)
    with contextlib.suppress(Exception):
        await bot.send_message(1, "expected 403")
    guard.handle(_record("outbox message 7 refused: Bad Request: chat not found"))
    assert guard.problems() == []


async def test_an_expected_error_that_never_came_is_reported(fake: FakeTelegram) -> None:
    guard = ErrorsGuard()
    guard.watch(fake)
    fake.expect_error(403, "blocked")
    assert guard.problems() == ["expected    a Bot API error 403 containing 'blocked', none came"]


def test_an_unknown_allowance_is_a_typo_not_a_pass() -> None:
    with pytest.raises(TypeError, match="allow_errors takes"):
        ErrorsGuard().apply(pytest.mark.allow_errors(logs="refused").mark)
