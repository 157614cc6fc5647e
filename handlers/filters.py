"""Async filters (aiogram runs synchronous filters in a worker thread, which reorders one user's updates)."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import Message, TelegramObject

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
