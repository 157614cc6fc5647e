"""The one outbox sender: drains `outbox` within Telegram's limits and records every outcome."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta

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
from storage.outbox import Outbox, OutgoingMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_BACKOFF = 600.0
# Above this many remembered chats, those whose per-chat pause is over are forgotten (memory stays flat).
_CHAT_MEMORY = 1024


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        outbox: Outbox,
        clock: Clock,
        *,
        rate: float = 25.0,
        chat_rate: float = 1.0,
        on_blocked: Callable[[int], Awaitable[None]] | None = None,
        idle_poll: float = 5.0,
    ) -> None:
        self._bot = bot
        self._outbox = outbox
        self._clock = clock
        self._interval = 1.0 / rate
        self._chat_interval = 1.0 / chat_rate
        # Telegram counts messages in a sliding window ("N per second"): never more than `rate` (at least one)
        # of our requests may reach it within one second, or within 1/rate seconds when rate < 1.
        self._window_span = max(1.0, self._interval)
        self._recent: deque[float] = deque(maxlen=max(1, int(rate)))
        self._next_slot = 0.0
        self._on_blocked = on_blocked
        self._idle_poll = idle_poll
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._last_chat: dict[int, float] = {}
        self.sent = 0
        outbox.on_enqueue(self._wake.set)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self, grace: float = 5.0) -> None:
        """Finish the message in flight (so a sent message is recorded as sent), then stop."""
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while not self._stopping:
            try:
                progressed = await self.drain_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox sender failed; retrying shortly")
                progressed = False
            if not progressed and not self._stopping:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._idle_poll)

    async def drain_once(self) -> bool:
        """Send what is due now; True when anything was attempted (so the caller loops at once)."""
        batch = await self._outbox.due()
        if not batch:
            return False
        self._forget_idle_chats()
        attempted = False
        waiting: list[OutgoingMessage] = []
        for message in batch:
            if self._stopping:
                return False
            now = time.monotonic()
            ready_at = self._last_chat.get(message.chat_id, 0.0) + self._chat_interval
            if ready_at > now:
                waiting.append(message)
                continue
            await self._pace_global()
            await self._send(message)
            attempted = True
        if waiting and not attempted:
            soonest = min(self._last_chat.get(m.chat_id, 0.0) + self._chat_interval for m in waiting)
            await asyncio.sleep(max(0.0, soonest - time.monotonic()))
            return True
        return attempted

    async def _pace_global(self) -> None:
        """Wait for the next send slot: one every 1/rate s, and never more than `rate` within one second.

        Slots are a fixed grid (each is one interval after the previous *planned* slot, so the sleep's overshoot
        and the work between sends do not add up), but a slot missed by more than an interval is not made up
        for with a burst. The window rule counts from when each earlier request *finished*: a request reaches
        Telegram before its answer comes back, so `rate` requests can never arrive within one second, whatever
        the network's delays, and the cost is one request's latency per second, not per message.
        """
        slot = self._next_slot
        if len(self._recent) == self._recent.maxlen:
            slot = max(slot, self._recent[0] + self._window_span)
        now = time.monotonic()
        if slot > now:
            await asyncio.sleep(slot - now)
            now = time.monotonic()
        self._next_slot = (slot if now - slot < self._interval else now) + self._interval

    def _forget_idle_chats(self) -> None:
        if len(self._last_chat) > _CHAT_MEMORY:
            cutoff = time.monotonic() - self._chat_interval
            self._last_chat = {chat: at for chat, at in self._last_chat.items() if at > cutoff}

    async def _deliver(self, message: OutgoingMessage, markup: InlineKeyboardMarkup | None) -> None:
        caption = message.text or None
        if message.media_kind == "photo" and message.file_id:
            await self._bot.send_photo(message.chat_id, message.file_id, caption=caption, reply_markup=markup)
        elif message.media_kind == "document" and message.file_id:
            await self._bot.send_document(message.chat_id, message.file_id, caption=caption, reply_markup=markup)
        else:
            await self._bot.send_message(message.chat_id, message.text, reply_markup=markup)

    async def _send(self, message: OutgoingMessage) -> None:
        if message.chat_id <= 0:  # a group, supergroup or channel: everyone in it would read the message
            log.warning("outbox message %s refused: chat %s is not a private chat", message.id, message.chat_id)
            await self._outbox.fail(message.id, "failed", "not a private chat")
            return
        markup = InlineKeyboardMarkup.model_validate(message.reply_markup) if message.reply_markup else None
        try:
            try:
                await self._deliver(message, markup)
            finally:
                # Whatever the outcome, the request may have counted: the limits count from its answer.
                finished = time.monotonic()
                self._recent.append(finished)
                self._last_chat[message.chat_id] = finished
        except TelegramRetryAfter as exc:
            until = self._clock.now() + timedelta(seconds=exc.retry_after)
            await self._outbox.postpone(message.id, until, f"429 retry after {exc.retry_after}", count_attempt=False)
        except TelegramForbiddenError as exc:
            await self._outbox.fail(message.id, "blocked", exc.message)
            if await self._outbox.mark_unreachable(message.chat_id, exc.message) and self._on_blocked:
                await self._on_blocked(message.chat_id)
        except TelegramBadRequest as exc:
            log.error("outbox message %s refused: %s", message.id, exc.message)
            await self._outbox.fail(message.id, "failed", exc.message)
        except (TelegramServerError, TelegramNetworkError) as exc:
            if message.attempts + 1 >= MAX_ATTEMPTS:
                await self._outbox.fail(message.id, "failed", str(exc))
                return
            backoff = min(MAX_BACKOFF, 2.0 ** (message.attempts + 1))
            until = self._clock.now() + timedelta(seconds=backoff)
            await self._outbox.postpone(message.id, until, str(exc), count_attempt=True)
        else:
            await self._outbox.mark_sent(message.id)
            self.sent += 1
