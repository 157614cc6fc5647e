"""The one edit-or-send helper: show a screen by editing the pressed message, else by sending a new one."""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

log = logging.getLogger(__name__)

_GONE = ("message to edit not found", "message can't be edited", "message to be edited not found")


async def show(
    target: Message | CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    edit: bool = True,
) -> Message | None:
    """Edit the callback's message in place (or send when `edit` is false or the message is gone).

    "message is not modified" is not an error for a user who pressed the same button twice.
    """
    if isinstance(target, CallbackQuery):
        message = target.message
        if edit and isinstance(message, Message):
            try:
                edited = await message.edit_text(text, reply_markup=markup)
                return edited if isinstance(edited, Message) else message
            except TelegramBadRequest as exc:
                description = exc.message.lower()
                if "message is not modified" in description:
                    return message
                if not any(reason in description for reason in _GONE):
                    raise
                log.info("message %s is gone, sending a new one", message.message_id)
        if target.message is None:
            return await target.bot.send_message(target.from_user.id, text, reply_markup=markup)  # type: ignore[union-attr]
        return await target.bot.send_message(target.message.chat.id, text, reply_markup=markup)  # type: ignore[union-attr]
    return await target.answer(text, reply_markup=markup)


async def drop_keyboard(query: CallbackQuery) -> None:
    """Remove the buttons of the pressed message, ignoring a message that is gone or already bare."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    try:
        await message.edit_reply_markup(reply_markup=None)
    except TelegramBadRequest as exc:
        description = exc.message.lower()
        if "message is not modified" not in description and not any(r in description for r in _GONE):
            raise
