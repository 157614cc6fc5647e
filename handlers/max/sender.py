"""The outbox sender, MAX's: sends each queued screen as a MAX message and names the outcome.

The drain loop is the messenger-neutral `scheduler.delivery.OutboxDrain` (on the MAX rows only, at
MAX_OUTBOX_RATE, each chat at MAX's 2 messages a second shared with the replies). MAX's answers:
429 → try again after a second (MAX sends no Retry-After); 404 → the person is not in a dialog with the bot
(never started it); 403 → they stopped it; `attachment.not.ready` is ridden out by the client; other 4xx →
refused; 5xx and network errors → unavailable (backoff).

A broadcast's file whose reference is another messenger's (a curator on Telegram sent it) cannot go to MAX by
that reference: its text goes alone, with a line saying the file is with the curator.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.clock import Clock
from bot.flows.events import Messenger
from bot.flows.screens import FileOut
from bot.i18n import tr
from handlers.max.client import MaxClient, MaxError, parse_ref
from scheduler.delivery import Blocked, NotStarted, OutboxDrain, Outcome, Refused, RetryAfter, Sent, Unavailable
from storage.outbox import Outbox, OutgoingMessage

RETRY_AFTER_429 = 1.0


class MaxOutboxSender(OutboxDrain):
    def __init__(
        self,
        client: MaxClient,
        outbox: Outbox,
        clock: Clock,
        *,
        rate: float = 20.0,
        on_blocked: Callable[[int], Awaitable[None]] | None = None,
        idle_poll: float = 5.0,
    ) -> None:
        super().__init__(
            outbox,
            clock,
            rate=rate,
            pacer=client.messages,
            on_blocked=on_blocked,
            idle_poll=idle_poll,
            messenger=Messenger.MAX,
        )
        self._client = client

    async def deliver(self, message: OutgoingMessage) -> Outcome:
        screen = message.screen
        try:
            if message.media_kind and message.file_id and parse_ref(message.file_id) is not None:
                file = FileOut("", b"", "", caption=screen.text, ref=message.file_id)
                await self._client.send_file(message.chat_id, file, screen.rows)
            elif message.media_kind and message.file_id:
                text = f"{screen.text}\n\n{tr('max-file-elsewhere')}" if screen.text else tr("max-file-elsewhere")
                await self._client.send(message.chat_id, text, screen.rows)
            else:
                await self._client.send(message.chat_id, screen.text, screen.rows)
        except ValueError as exc:  # buttons MAX cannot show
            return Refused(f"its buttons do not fit MAX: {exc}")
        except MaxError as exc:
            return outcome(exc)
        return Sent()


def outcome(exc: MaxError) -> Outcome:
    if exc.status == 429:
        return RetryAfter(RETRY_AFTER_429)
    if exc.status == 404:
        return NotStarted(exc.message)
    if exc.status == 403:
        return Blocked(exc.message)
    if exc.status == 0 or exc.status >= 500:
        return Unavailable(str(exc))
    return Refused(str(exc))
