"""Telegram's way into the application layer: an update becomes an event (`bot.flows.events`), the action runs
in its transaction (`bot.flows.act`), and the effects come back out through the edit-or-send helper.

The dialog a flow reads and writes is the update's `FSMContext`: aiogram's state filters and the flows share
one state (`bot.flows.dialog`).
"""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.act import act
from bot.flows.context import Ctx
from bot.flows.dialog import Dialog
from bot.flows.effects import Effect, Farewell
from bot.flows.events import Event, FileIn, Messenger, Person, TextIn
from bot.flows.ports import Repos
from handlers.fsm_storage import SQLiteStorage
from handlers.ui import render
from storage.dialogs import PersonDialog


def person_of(user_id: int) -> Person:
    return Person(Messenger.TELEGRAM, user_id)


def ctx_of(user_id: int, state: FSMContext, repos: Repos) -> Ctx:
    """The flow's context of an update from `user_id` in their private chat."""
    storage = state.storage
    table = storage.table if isinstance(storage, SQLiteStorage) else None

    def dialog_of(person: Person) -> Dialog:
        if person.messenger is Messenger.TELEGRAM:
            key = StorageKey(bot_id=state.key.bot_id, chat_id=person.account_id, user_id=person.account_id)
            return FSMContext(storage, key)
        if table is None:
            raise RuntimeError(f"no dialog table for {person.messenger}: the app's storage is not SQLiteStorage")
        return PersonDialog(table, person.messenger, person.account_id)

    return Ctx(person_of(user_id), repos, state, dialog_of)


async def perform(
    target: Message | CallbackQuery,
    event: Event,
    state: FSMContext,
    repos: Repos,
    callback_answer: CallbackAnswer | None = None,
) -> list[Effect] | None:
    """Run the event through the core and show its effects to the person; returns the effects left to the
    caller (dialogs the adapter still holds, files), or None when no flow of the core takes the event."""
    effects = await act(event, ctx_of(event.person.account_id, state, repos))
    if effects is None:
        return None
    left = await render(target, effects, callback_answer)
    for effect in left:
        if isinstance(effect, Farewell):  # to someone on another messenger
            await repos.farewells.send(effect)
    return [e for e in left if not isinstance(e, Farewell)]


def message_event(message: Message, *, html: bool = False) -> Event:
    """A private message as an event: a text (`html`: with the sender's bold and italics kept as markup), a
    document or a photo (`FileIn`, by Telegram's file id; its caption kept), anything else (a sticker) a
    `FileIn` with no file."""
    person = person_of(message.from_user.id)  # type: ignore[union-attr]
    if message.text is not None:
        return TextIn(person, message.html_text if html else message.text)
    caption = (message.html_text if html else message.caption or "") if message.caption else ""
    if message.document is not None:
        document = message.document
        mime = document.mime_type or "application/octet-stream"
        return FileIn(person, document.file_name or "", mime, document.file_id, caption=caption)
    if message.photo:
        return FileIn(person, "", "image/jpeg", message.photo[-1].file_id, caption=caption)
    return FileIn(person, "", "", "", caption=caption)


async def perform_with_links(
    target: Message | CallbackQuery,
    event: Event,
    state: FSMContext,
    repos: Repos,
    callback_answer: CallbackAnswer | None = None,
) -> list[Effect] | None:
    """`perform` for the flows that give out links opening the bot (invites, a curator's link): the bot's
    username is learnt first (aiogram keeps getMe's answer after the first call)."""
    me = await target.bot.me()  # type: ignore[union-attr]
    repos.links.learn(Messenger.TELEGRAM, me.username or "bot")
    return await perform(target, event, state, repos, callback_answer)
