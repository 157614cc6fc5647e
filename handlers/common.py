"""Commands everyone has from day one (/help, /cancel; /start is in joining, /menu in menu) and the fallbacks."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.i18n import tr
from bot.settings import Settings
from handlers.filters import HasText


async def cmd_help(message: Message, settings: Settings) -> None:
    text = tr("help-participant")
    if settings.is_curator(message.from_user.id):  # type: ignore[union-attr]
        text += tr("help-curator-extra")
    await message.answer(text)


async def cmd_cancel(message: Message, state: FSMContext) -> None:
    if await state.get_state() is None:
        await message.answer(tr("nothing-to-cancel"))
        return
    await state.set_state(None)
    await message.answer(tr("cancelled"))


async def unknown_text(message: Message) -> None:
    await message.answer(tr("unknown-input"))


async def unsupported_content(message: Message) -> None:
    await message.answer(tr("unsupported-content"))


async def stale_callback(query: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    """Any button no other handler took: an old keyboard, or forged data."""
    callback_answer.text = tr("stale-button")
    callback_answer.show_alert = True


def build_router() -> Router:
    router = Router(name="common")
    router.message.register(cmd_help, Command("help"))
    router.message.register(cmd_cancel, Command("cancel"))
    return router


def build_fallback_router() -> Router:
    """Included last: whatever no flow took."""
    router = Router(name="fallback")
    router.message.register(unknown_text, HasText())
    router.message.register(unsupported_content)
    router.callback_query.register(stale_callback, flags={"callback_answer": {"pre": False}})
    return router
