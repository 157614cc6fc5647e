"""Messages the bot sends on its own initiative go through the outbox, never straight to the Bot API."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.settings import Settings
from storage.outbox import Outbox


def markup_json(markup: InlineKeyboardMarkup | None) -> dict | None:
    return markup.model_dump(mode="json", exclude_none=True) if markup else None


async def notify(outbox: Outbox, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    await outbox.enqueue(chat_id, text, reply_markup=markup_json(markup))


async def notify_curators(outbox: Outbox, settings: Settings, text: str, *, kind: str = "curator") -> None:
    for curator_id in sorted(settings.telegram.curator_ids):
        await outbox.enqueue(curator_id, text, kind=kind)
