"""The outbox sender, Telegram's: renders each queued screen as a Bot API message and names the outcome.

The drain loop (rounds, fairness, the pace within Telegram's limits, quiet hours, recording every outcome) is the
messenger-neutral `scheduler.delivery.OutboxDrain`; this adds the Bot API call and maps Telegram's answers:
429 → retry after its pause; 400 «chat not found» and 403 «can't initiate conversation» → the person never
opened the bot; other 403 → blocked; other 400 → refused; 5xx and network errors → unavailable (backoff).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup

from bot.clock import Clock
from bot.pacing import ChatPacer
from handlers.kb.notices import inline_markup
from scheduler.delivery import (
    Blocked,
    NotStarted,
    OutboxDrain,
    Outcome,
    Refused,
    RetryAfter,
    Sent,
    Unavailable,
)
from storage.outbox import Outbox, OutgoingMessage

# Telegram's answers for someone who has never opened the bot: 400 when it has never seen the id, 403 when it
# knows the user but they have not pressed «Start».
_NOT_STARTED = ("chat not found", "can't initiate conversation")


class OutboxSender(OutboxDrain):
    def __init__(
        self,
        bot: Bot,
        outbox: Outbox,
        clock: Clock,
        *,
        rate: float = 25.0,
        chat_rate: float = 1.0,
        pacer: ChatPacer | None = None,
        on_blocked: Callable[[int], Awaitable[None]] | None = None,
        idle_poll: float = 5.0,
    ) -> None:
        """`pacer` is the app's per-chat pace (also applied by the bot's session to every reply); without
        one the sender keeps its own at `chat_rate` per chat, one message at a time."""
        super().__init__(
            outbox, clock, rate=rate, chat_rate=chat_rate, pacer=pacer, on_blocked=on_blocked, idle_poll=idle_poll
        )
        self._bot = bot

    async def deliver(self, message: OutgoingMessage) -> Outcome:
        try:
            markup = inline_markup(message.screen.rows)
        except ValueError as exc:  # a stored button no messenger could send: the message, not the queue, fails
            return Refused(f"its buttons are unreadable: {exc}")
        try:
            await self._deliver(message, markup)
        except TelegramRetryAfter as exc:
            return RetryAfter(exc.retry_after)
        except (TelegramForbiddenError, TelegramBadRequest) as exc:
            if any(reason in exc.message.lower() for reason in _NOT_STARTED):
                return NotStarted(exc.message)
            if isinstance(exc, TelegramForbiddenError):
                return Blocked(exc.message)
            return Refused(exc.message)
        except (TelegramServerError, TelegramNetworkError) as exc:
            return Unavailable(str(exc))
        return Sent()

    async def _deliver(self, message: OutgoingMessage, markup: InlineKeyboardMarkup | None) -> None:
        caption = message.text or None
        if message.media_kind == "photo" and message.file_id:
            await self._bot.send_photo(message.chat_id, message.file_id, caption=caption, reply_markup=markup)
        elif message.media_kind == "document" and message.file_id:
            await self._bot.send_document(message.chat_id, message.file_id, caption=caption, reply_markup=markup)
        else:
            await self._bot.send_message(message.chat_id, message.text, reply_markup=markup)
