"""Middlewares of the messenger layer: a bounded 429 retry for every Bot API request, the per-chat pace shared
with the outbox, the pinned answer types that keep aiogram from rebuilding a pydantic model for every few
requests, callback answers that a late press survives, the count of updates in hand for a clean shutdown, and
the update middleware that releases the notices waiting for someone's first message."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, TelegramObject, User
from aiogram.utils.callback_answer import CallbackAnswer, CallbackAnswerMiddleware

from bot.pacing import ChatPacer
from storage.outbox import Outbox

log = logging.getLogger(__name__)


class RetryAfterMiddleware(BaseRequestMiddleware):
    """Waits `retry_after` on 429 and repeats the request, at most `attempts` times and `max_wait` seconds.

    A reply to a user should arrive late rather than never; a wait longer than `max_wait` re-raises so that
    the caller (the error handler, or the outbox that has its own schedule) decides.
    """

    def __init__(
        self,
        attempts: int = 3,
        max_wait: float = 30.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.attempts = attempts
        self.max_wait = max_wait
        self._sleep = sleep

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == self.attempts or exc.retry_after > self.max_wait:
                    raise
                log.warning("429 on %s, retry %d after %ss", type(method).__name__, attempt, exc.retry_after)
                await self._sleep(exc.retry_after)
        raise AssertionError("unreachable")


class PinResponseTypes(BaseRequestMiddleware):
    """Keeps a strong reference to `Response[<method's result type>]` for every method class the bot calls.

    aiogram parses each answer with `Response[method.__returning__]`, a parametrised pydantic generic made
    inside a function, so pydantic keeps it only in its weak-valued cache: the garbage collector drops it every
    few requests and the next request builds the whole model schema again (about 1.5 ms each time). In the
    intake benchmark that happened once in about 27 requests. One class per method kind stays alive here for
    the life of the bot.
    """

    def __init__(self) -> None:
        self._pinned: dict[type[TelegramMethod[Any]], type[Response[Any]]] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        kind = type(method)
        if kind not in self._pinned:
            self._pinned[kind] = Response[kind.__returning__]  # type: ignore[name-defined]
        return await make_request(bot, method)


class LateTolerantCallbackAnswer(CallbackAnswerMiddleware):
    """aiogram's callback answering, except that a query Telegram no longer accepts does not lose the press.

    Telegram answers "query is too old" when the bot took longer than about 15 s to answer (it was restarting,
    or busy). The press itself is still valid: its handler runs, and the user sees its screen rather than an
    apology; only the button's spinner stopped on its own.
    """

    async def answer(self, event: CallbackQuery, callback_answer: CallbackAnswer) -> Any:  # type: ignore[override]
        try:
            return await super().answer(event, callback_answer)
        except TelegramBadRequest as exc:
            if "query is too old" not in exc.message:
                raise
            log.info("callback query %s was answered too late; handling it anyway", event.id)
            return False


class InFlightUpdates(BaseMiddleware):
    """Counts the updates being handled, so that a shutdown lets them finish before the session closes.

    aiogram confirms an update to Telegram as soon as it fetches it and handles it in a task of its own;
    stopping the polling does not wait for those tasks. Closing the session and the database under them loses
    the update (its reply, its committed answer) and logs an error.
    """

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        self._count += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self._count -= 1
            if self._count == 0:
                self._idle.set()

    async def wait_idle(self, timeout: float) -> bool:  # noqa: ASYNC109
        """True when no update is in hand (now, or within `timeout` seconds)."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("%d update(s) still being handled at shutdown", self._count)
            return False
        return True


def paced_chat(method: TelegramMethod[Any]) -> Any:
    """The chat a request puts a message into (a send, copy, forward or edit), else None."""
    name = method.__api_method__
    if name == "sendChatAction" or not name.startswith(("send", "edit", "copy", "forward")):
        return None
    return getattr(method, "chat_id", None)  # None for an inline message's edit


class ChatPaceMiddleware(BaseRequestMiddleware):
    """Every message put into a chat waits for that chat's pace (`bot.pacing.ChatPacer`).

    The pacer is the app's, shared with the outbox sender: a reply and a notice to the same person count against
    one bucket, so together they stay within Telegram's per-chat limit. A reply waits only when the chat has
    had its burst (three messages) within the last seconds.
    """

    def __init__(self, pacer: ChatPacer) -> None:
        self.pacer = pacer

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        chat = paced_chat(method)
        if chat is None:
            return await make_request(bot, method)
        async with self.pacer.slot(chat):
            return await make_request(bot, method)


def install_request_middlewares(
    session: BaseSession, *, retry: RetryAfterMiddleware | None = None, pacer: ChatPacer | None = None
) -> None:
    """The request middlewares of every bot the app builds (also used by the benchmarks' in-process sessions).

    The pace is the innermost, so that each retry after a 429 waits for its turn again.
    """
    session.middleware(PinResponseTypes())
    session.middleware(retry or RetryAfterMiddleware())
    if pacer is not None:
        session.middleware(ChatPaceMiddleware(pacer))


class ReleaseWaitingChats(BaseMiddleware):
    """An update from someone whose notices wait for them (Telegram did not know the chat: they had never
    opened the bot) lets those notices go. A set lookup per update; the database only at that first update."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if user is not None and user.id in self.outbox.waiting_chats:
            await self.outbox.release_chat(user.id)
        return await handler(event, data)
