"""One error handler: a domain error becomes its text; anything else is logged and the user gets an apology."""

from __future__ import annotations

import contextlib
import logging

from aiogram import Bot, Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot.errors import AppError
from bot.i18n import tr

log = logging.getLogger(__name__)


def _chat_id(event: ErrorEvent) -> int | None:
    update = event.update
    if update.message:
        return update.message.chat.id
    if update.callback_query:
        query = update.callback_query
        return query.message.chat.id if query.message else query.from_user.id
    return None


async def _tell(event: ErrorEvent, bot: Bot, text: str) -> None:
    query = event.update.callback_query
    try:
        if query is not None:
            # Already answered or too old: the message below still goes out.
            with contextlib.suppress(Exception):
                await bot.answer_callback_query(query.id)
        chat_id = _chat_id(event)
        if chat_id is not None:
            await bot.send_message(chat_id, text)
    except Exception:
        log.exception("could not tell the user about an error in update %s", event.update.update_id)


async def on_app_error(event: ErrorEvent, bot: Bot) -> None:
    assert isinstance(event.exception, AppError)
    await _tell(event, bot, event.exception.user_text)


async def on_unexpected_error(event: ErrorEvent, bot: Bot) -> None:
    log.error("update %s failed: %r", event.update.update_id, event.exception, exc_info=event.exception)
    await _tell(event, bot, tr("unexpected-error"))


def build_router() -> Router:
    router = Router(name="errors")
    router.error.register(on_app_error, ExceptionTypeFilter(AppError))
    router.error.register(on_unexpected_error)
    return router
