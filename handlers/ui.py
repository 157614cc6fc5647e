"""The one edit-or-send helper: show a screen by editing the pressed message, else by sending a new one; and
the rendering of a flow's effects (bot.flows) through it."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.methods import EditMessageText, SendMessage
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.effects import Effect, Farewell, Later, SendFile, Show, Toast
from bot.flows.events import Messenger
from bot.flows.screens import FileOut, Screen
from handlers.kb.notices import inline_markup

log = logging.getLogger(__name__)

_GONE = ("message to edit not found", "message can't be edited", "message to be edited not found")


class _EditScreen(EditMessageText):
    """editMessageText whose answer is checked (errors raise as usual) but not parsed into a Message.

    `show` never uses the message Telegram sends back; parsing it, with every button of its keyboard, into
    pydantic objects cost about as much as the rest of the request (bench/README.md, intake throughput).
    """

    __returning__ = dict[str, Any] | bool


class _SendScreen(SendMessage):
    """sendMessage without parsing the sent message back, for the same reason as `_EditScreen`."""

    __returning__ = dict[str, Any]


async def show(
    target: Message | CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    edit: bool = True,
) -> int | None:
    """Edit the callback's message in place (or send when `edit` is false or the message is gone); returns
    the id of the message that shows the screen.

    "message is not modified" is not an error for a user who pressed the same button twice.
    """
    bot: Bot = target.bot  # type: ignore[assignment]  # updates are always bound to the bot that got them
    if isinstance(target, CallbackQuery):
        message = target.message
        if edit and isinstance(message, Message):
            try:
                await bot(
                    _EditScreen(
                        chat_id=message.chat.id,
                        message_id=message.message_id,
                        business_connection_id=message.business_connection_id,
                        text=text,
                        reply_markup=markup,
                    )
                )
                return message.message_id
            except TelegramBadRequest as exc:
                description = exc.message.lower()
                if "message is not modified" in description:
                    return message.message_id
                if not any(reason in description for reason in _GONE):
                    raise
                log.info("message %s is gone, sending a new one", message.message_id)
        chat_id = target.message.chat.id if target.message is not None else target.from_user.id
    else:
        chat_id = target.chat.id
    sent = await bot(_SendScreen(chat_id=chat_id, text=text, reply_markup=markup))
    return sent.get("message_id") if isinstance(sent, dict) else None


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


def markup_of(screen: Screen) -> InlineKeyboardMarkup | None:
    """A screen's buttons as Telegram's inline keyboard (none for a screen without buttons)."""
    return inline_markup(screen.rows)


async def show_screen(target: Message | CallbackQuery, screen: Screen, *, edit: bool = True) -> int | None:
    """`show` for a flow's screen."""
    return await show(target, screen.text, markup_of(screen), edit=edit)


async def render(
    target: Message | CallbackQuery, effects: list[Effect], callback_answer: CallbackAnswer | None = None
) -> list[Effect]:
    """Carry out a flow's effects to the person who acted: screens shown (edited in place when the effect says
    so and there is a pressed message), toasts as the callback's answer (a message when there is no callback),
    files sent. Returns the effects left to the caller (dialogs to start), in their order."""
    left: list[Effect] = []
    for effect in effects:
        if isinstance(effect, Show):
            await show_screen(target, effect.screen, edit=effect.edit)
        elif isinstance(effect, Toast):
            if isinstance(target, CallbackQuery) and callback_answer is not None:
                callback_answer.text = effect.text
                callback_answer.show_alert = effect.alert
            else:
                await show(target, effect.text, edit=False)
        elif isinstance(effect, SendFile):
            await send_file(target, effect.file)
        elif isinstance(effect, Later):
            raise TypeError("work for after the commit is done by bot.flows.act, not rendered")
        elif isinstance(effect, Farewell) and effect.to.messenger is Messenger.TELEGRAM:
            await farewell(target.bot, effect)  # type: ignore[arg-type]
        else:
            left.append(effect)
    return left


async def send_file(target: Message | CallbackQuery, file: FileOut) -> None:
    """A file to the person who acted: an image as a photo (a chart), anything else as a document."""
    bot: Bot = target.bot  # type: ignore[assignment]
    chat_id = target.chat.id if isinstance(target, Message) else target.from_user.id
    upload: BufferedInputFile | str = file.ref or BufferedInputFile(file.content, filename=file.name)
    caption = file.caption or None
    if file.mime.startswith("image/"):
        await bot.send_photo(chat_id, upload, caption=caption)
    else:
        await bot.send_document(chat_id, upload, caption=caption)


async def farewell(bot: Bot, effect: Farewell) -> None:
    """The last message to someone whose data was just destroyed, sent at once (see `Farewell`); one that cannot
    be delivered is not retried."""
    try:
        await bot.send_message(effect.to.account_id, effect.text, disable_notification=effect.silent)
    except TelegramAPIError as exc:
        log.info("the farewell to a withdrawn participant was not delivered: %s", exc.message)
