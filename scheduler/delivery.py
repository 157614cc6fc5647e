"""The outbox's drain loop, the same for every messenger: rounds, fairness, pace, quiet hours, outcomes.

Each round takes the first due message of every chat (`Outbox.due`) and sends those whose chat is not in its
pause, at `rate` overall; a chat's next message comes in a later round. The per-chat pause is the app's
`ChatPacer`, shared with the replies of the handlers. Quiet hours are checked when a message is picked: in
them, everything due waits for their end.

Sending is the adapter's (`handlers/outbox_sender.py` for Telegram): it renders the stored screen, calls its
messenger and answers with an `Outcome`, which this records: sent; retry after the messenger's pause (no attempt
counted); wait for the person's first message (they never opened the bot); blocked; refused; or unavailable
(server or network: backoff, at most MAX_ATTEMPTS).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.flows.events import Messenger
from bot.pacing import ChatPacer
from storage.outbox import Outbox, OutgoingMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_BACKOFF = 600.0
# Chats whose first due message one round takes (4 s at 25/s: a new notice waits at most that long).
ROUND = 100


@dataclass(frozen=True)
class Sent:
    pass


@dataclass(frozen=True)
class RetryAfter:
    """The messenger's flood control: try again after `seconds`, no attempt counted."""

    seconds: float


@dataclass(frozen=True)
class NotStarted:
    """The person never opened the bot: their messages wait for their first update."""

    reason: str


@dataclass(frozen=True)
class Blocked:
    reason: str


@dataclass(frozen=True)
class Refused:
    """The messenger will never take this message (it is failed, logged as an error)."""

    reason: str


@dataclass(frozen=True)
class Unavailable:
    """A server or network error: tried again with backoff."""

    reason: str


Outcome = Sent | RetryAfter | NotStarted | Blocked | Refused | Unavailable


class OutboxDrain:
    """Drains the outbox through one messenger: `deliver` (the adapter's) sends a message and names the outcome;
    this records it. `on_blocked` is told of a chat that blocked the bot (once)."""

    def __init__(
        self,
        outbox: Outbox,
        clock: Clock,
        *,
        rate: float = 25.0,
        chat_rate: float = 1.0,
        pacer: ChatPacer | None = None,
        on_blocked: Callable[[int], Awaitable[None]] | None = None,
        idle_poll: float = 5.0,
        messenger: Messenger = Messenger.TELEGRAM,
    ) -> None:
        """`messenger`: whose rows this drain sends (each messenger's outbox goes at its own pace). `pacer` is
        the app's per-chat pace (also applied by the bot's session to every reply); without
        one the sender keeps its own at `chat_rate` per chat, one message at a time."""
        self._outbox = outbox
        self._messenger = messenger
        self._clock = clock
        self._interval = 1.0 / rate
        self._pacer = pacer or ChatPacer(chat_rate, burst=1)
        # Messengers count messages in a sliding window ("N per second"): never more than `rate` (at least one)
        # of our requests may reach the messenger within one second, or within 1/rate seconds when rate < 1.
        self._window_span = max(1.0, self._interval)
        self._recent: deque[float] = deque(maxlen=max(1, int(rate)))
        self._next_slot = 0.0
        self._on_blocked = on_blocked
        self._idle_poll = idle_poll
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
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
        """Send what is due now, one message per chat; True when the caller should loop at once."""
        if await self._quiet():
            return False
        skipped: list[float] = []
        attempted = False
        for message in await self._outbox.due(limit=ROUND, messenger=self._messenger):
            if self._stopping:
                return False
            delay = self._pacer.delay(message.chat_id)
            if delay > 0:
                skipped.append(delay)
                continue
            await self._pace_global()
            if await self._quiet():  # quiet hours may begin in the middle of a long round
                return False
            await self._send(message)
            attempted = True
        if skipped and not attempted:
            await asyncio.sleep(min(skipped))
            return True
        return attempted

    async def _quiet(self) -> bool:
        """In quiet hours, everything due waits for their end (no attempt is counted); True then."""
        now = self._clock.now()
        resume = self._outbox.earliest(now)
        if resume <= now:
            return False
        if moved := await self._outbox.postpone_due(resume):
            log.info("quiet hours: %d outbox messages wait until %s", moved, resume.isoformat())
        return True

    async def _pace_global(self) -> None:
        """Wait for the next send slot: one every 1/rate s, and never more than `rate` within one second.

        Slots are a fixed grid (each is one interval after the previous *planned* slot, so the sleep's overshoot
        and the work between sends do not add up), but a slot missed by more than an interval is not made up
        for with a burst. The window rule counts from when each earlier request *finished*: a request reaches
        the messenger before its answer comes back, so `rate` requests can never arrive within one second, whatever
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

    async def deliver(self, message: OutgoingMessage) -> Outcome:
        """Send `message` through the messenger (the adapter's part)."""
        raise NotImplementedError

    async def _send(self, message: OutgoingMessage) -> None:
        if message.chat_id <= 0:  # a group, supergroup or channel: everyone in it would read the message
            log.warning("outbox message %s refused: chat %s is not a private chat", message.id, message.chat_id)
            await self._outbox.fail(message.id, "failed", "not a private chat")
            return
        try:
            async with self._pacer.slot(message.chat_id):
                outcome = await self.deliver(message)
        finally:
            # Whatever the outcome, the request may have counted: the limits count from its answer.
            self._recent.append(time.monotonic())
        await self._record(message, outcome)

    async def _record(self, message: OutgoingMessage, outcome: Outcome) -> None:
        match outcome:
            case Sent():
                await self._outbox.mark_sent(message.id)
                self.sent += 1
            case RetryAfter(seconds):
                until = self._clock.now() + timedelta(seconds=seconds)
                await self._outbox.postpone(message.id, until, f"429 retry after {seconds}", count_attempt=False)
            case NotStarted(reason):
                # Someone who has never opened the bot (a curator, often): the message waits for their /start.
                log.info("outbox message %s waits: chat %s has not started the bot", message.id, message.chat_id)
                await self._outbox.wait_for_chat(message.chat_id, message.id, reason, message.messenger)
            case Blocked(reason):
                await self._outbox.fail(message.id, "blocked", reason)
                if await self._outbox.mark_unreachable(message.chat_id, reason, message.messenger) and self._on_blocked:
                    await self._on_blocked(message.chat_id)
            case Refused(reason):
                log.error("outbox message %s refused: %s", message.id, reason)
                await self._outbox.fail(message.id, "failed", reason)
            case Unavailable(reason):
                if message.attempts + 1 >= MAX_ATTEMPTS:
                    await self._outbox.fail(message.id, "failed", reason)
                    return
                backoff = min(MAX_BACKOFF, 2.0 ** (message.attempts + 1))
                until = self._clock.now() + timedelta(seconds=backoff)
                await self._outbox.postpone(message.id, until, reason, count_attempt=True)
