"""Async filters (aiogram runs synchronous filters in a worker thread, which reorders one user's updates)."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.flows.payloads import SEPARATOR, Payload
from bot.settings import Settings


class IsCurator(Filter):
    async def __call__(self, event: TelegramObject, settings: Settings) -> bool:
        user = getattr(event, "from_user", None)
        return user is not None and settings.is_curator(user.id)


class HasText(Filter):
    async def __call__(self, message: Message) -> bool:
        return message.text is not None


class PlainText(Filter):
    """A text that is not a command (does not start with «/»)."""

    async def __call__(self, message: Message) -> bool:
        return message.text is not None and not message.text.startswith("/")


class NoText(Filter):
    """A sticker, a photo, a voice message…: anything without text."""

    async def __call__(self, message: Message) -> bool:
        return message.text is None


class PayloadOf(Filter):
    """A button press whose payload has this kind's prefix (`bot.flows.payloads`). The flow unpacks it, and
    answers a malformed one as a stale button; aiogram's `CallbackData.filter()` would build a pydantic model
    of it first, for nothing (bench/README.md, issue 17)."""

    def __init__(self, kind: type[Payload]) -> None:
        self._head = kind.prefix + SEPARATOR

    async def __call__(self, query: CallbackQuery) -> bool:
        return query.data is not None and query.data.startswith(self._head)
