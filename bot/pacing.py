"""One per-chat pace for everything the bot puts into a chat: replies, edits and the outbox's notices.

Telegram lets a bot send about one message per second to one chat, with short bursts. The pace is a token
bucket per chat (`burst` requests at once, refilled at `rate` per second), kept as the "generic cell rate
algorithm": each chat has a theoretical arrival time `tat`, and a request may start once `tat - now` is at most
`(burst - 1) / rate`.

A request is counted from the moment its answer came back, not from when it was sent: Telegram counts it on
arrival, which is somewhere in between, so a request can never reach it earlier than the pace allows, whatever
the network's delays. Requests to one chat go one at a time (a lock per chat), which also keeps their order.

Pure asyncio: the Bot API session's request middleware (`handlers.middlewares.ChatPaceMiddleware`) and the
outbox sender (`handlers.outbox_sender`) share one instance that the app owns.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

DEFAULT_BURST = 3
# Above this many remembered chats, those whose bucket is full again (and not in use) are forgotten.
_CHAT_MEMORY = 1024

# The chat whose slot the current task holds: a request made inside `slot(chat)` for the same chat (the outbox
# sender's own slot, then the session's middleware) is not paced twice and does not wait for its own lock.
_held: contextvars.ContextVar[Hashable | None] = contextvars.ContextVar("paced_chat", default=None)


@dataclass
class _Chat:
    tat: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class ChatPacer:
    def __init__(
        self,
        rate: float = 1.0,
        burst: int = DEFAULT_BURST,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("the per-chat pace needs rate > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._interval = 1.0 / rate
        self._allowance = (burst - 1) * self._interval
        self._now = now
        self._sleep = sleep
        self._chats: dict[Hashable, _Chat] = {}

    def delay(self, chat: Hashable) -> float:
        """Seconds until a request to `chat` may start (0: now); a request in flight to it counts as busy."""
        state = self._chats.get(chat)
        if state is None:
            return 0.0
        wait = max(0.0, state.tat - self._allowance - self._now())
        return wait if wait > 0 or not state.lock.locked() else self._interval

    @asynccontextmanager
    async def slot(self, chat: Hashable) -> AsyncIterator[None]:
        """Wait for `chat`'s turn, make the request inside the block; it is counted when the block ends."""
        if _held.get() == chat:
            yield
            return
        if len(self._chats) > _CHAT_MEMORY:
            self._forget_idle()
        state = self._chats.setdefault(chat, _Chat())
        async with state.lock:
            wait = state.tat - self._allowance - self._now()
            if wait > 0:
                await self._sleep(wait)
            token = _held.set(chat)
            try:
                yield
            finally:
                _held.reset(token)
                state.tat = max(state.tat, self._now()) + self._interval

    def _forget_idle(self) -> None:
        now = self._now()
        self._chats = {chat: state for chat, state in self._chats.items() if state.tat > now or state.lock.locked()}
