"""Commands everyone has from day one (/help, /cancel; /start is in joining, /menu in menu) and the fallbacks, on
Telegram: the adapter of `bot.flows.common` (an update becomes the flow's event, its effects go out through
`handlers.ui.render`). The routing stays aiogram's: /help and /cancel come before the dialogs, the fallback router
last of all, and it answers whatever nobody took (a stale button here: the core has no such press)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows import common as flow
from bot.flows.act import run
from bot.flows.events import CommandIn, FileIn, TextIn
from bot.flows.ports import Repos
from bot.i18n import tr
from handlers.core import ctx_of, perform, person_of
from handlers.filters import HasText
from handlers.ui import render


async def _outside(message: Message, state: FSMContext, repos: Repos, event: TextIn | FileIn) -> None:
    """The fallback whatever the dialog's state (aiogram's routers passed the update over), in the action's
    transaction, then its effects shown: the core's route table would give a text in a dialog to that dialog."""
    effects = await run(lambda: flow.on_outside(ctx_of(event.person.account_id, state, repos), event), repos)
    await render(message, effects or [])


async def cmd_help(message: Message, state: FSMContext, repos: Repos) -> None:
    await perform(message, CommandIn(person_of(message.from_user.id), "help"), state, repos)  # type: ignore[union-attr]


async def cmd_cancel(message: Message, state: FSMContext, repos: Repos) -> None:
    await perform(message, CommandIn(person_of(message.from_user.id), "cancel"), state, repos)  # type: ignore[union-attr]


async def unknown_text(message: Message, state: FSMContext, repos: Repos) -> None:
    """A text no flow took (in a dialog too: the dialog's handlers passed it over)."""
    event = TextIn(person_of(message.from_user.id), message.text or "")  # type: ignore[union-attr]
    await _outside(message, state, repos, event)


async def unsupported_content(message: Message, state: FSMContext, repos: Repos) -> None:
    """A sticker, a photo, a voice message, a file no flow took: answered kindly."""
    document = message.document
    name = document.file_name or "" if document is not None else ""
    mime = document.mime_type or "" if document is not None else str(message.content_type)
    ref = document.file_id if document is not None else ""
    event = FileIn(person_of(message.from_user.id), name, mime, ref)  # type: ignore[union-attr]
    await _outside(message, state, repos, event)


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
