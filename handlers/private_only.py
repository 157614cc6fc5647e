"""The bot works in private chats only: one outer middleware in front of every router.

What the bot shows is somebody's personal data or the curator's tools, and a group, a supergroup or a channel
would show it to all of its members. So an update reaches the routers only from a private chat: a message (or
an edited one), a button pressed on a message in a private chat, the user's own my_chat_member (blocking and
unblocking the bot). Everything else stops here:

- a message in a group, or the bot being added to one: the chat gets one line with a button to the private chat,
  and the bot leaves it (there is nothing for it to do there, and while it stays it receives the members'
  messages). The line is said at most once a day per chat, remembered in SQLite (`group_chats`): a busy group,
  or many of its updates handled at the same time, get one line; an admin who adds the bot again another day
  is told again why it leaves. A channel is left without a word (the line would go to every subscriber).
  Service messages about members («… added the bot») are dropped: the my_chat_member update of the same event
  does the talking and the leaving, once.
- a button pressed on a message in a group (a forwarded message, or forged data) gets a short callback answer
  and nothing else.
- any other kind of update (inline queries, reactions, polls, business messages…) is dropped: a new kind reaches
  the routers only once it is added here.

It is a middleware on the dispatcher's update observer rather than a filter on a parent router: it sees every
update type, those no router handles yet included, in one place, and it runs before any handler can touch the
database or the FSM.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)

from bot.i18n import tr
from storage.group_chats import GroupChats

log = logging.getLogger(__name__)

_IN_CHAT = frozenset(
    {ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER, ChatMemberStatus.RESTRICTED}
)


def is_private(chat: Chat | None) -> bool:
    """A private chat: Telegram gives it the user's (positive) id; groups and channels have negative ids."""
    return chat is not None and chat.type == ChatType.PRIVATE and chat.id > 0


def is_membership_notice(message: Message) -> bool:
    """«X added Y», «X left», «group created», «upgraded to a supergroup»: nobody said anything to the bot."""
    return bool(
        message.new_chat_members
        or message.left_chat_member
        or message.group_chat_created
        or message.supergroup_chat_created
        or message.migrate_from_chat_id
        or message.migrate_to_chat_id
    )


class PrivateOnly(BaseMiddleware):
    def __init__(self, groups: GroupChats) -> None:
        self._groups = groups

    async def __call__(
        self,
        handler: Callable[[Any, dict[str, Any]], Awaitable[Any]],
        event: Any,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        message = event.message or event.edited_message
        if message is not None:
            chat = message.chat
        elif event.callback_query is not None:
            chat = event.callback_query.message.chat if event.callback_query.message else None
        elif event.my_chat_member is not None:
            chat = event.my_chat_member.chat
        else:
            return UNHANDLED  # another kind of update: none reaches the routers before it is added here
        if is_private(chat):
            return await handler(event, data)
        try:
            await self._refuse(data["bot"], event)
        except Exception:
            # Not the error router: its apology would go to the group.
            log.exception("the private-only guard failed on update %s", event.update_id)
        return UNHANDLED

    async def _refuse(self, bot: Bot, event: Update) -> None:
        message = event.message or event.edited_message
        if message is not None:
            if not is_membership_notice(message):
                await self._stray_message(bot, message.chat)
        elif event.callback_query is not None:
            await self._stray_button(bot, event.callback_query)
        elif event.my_chat_member is not None:
            await self._membership(bot, event.my_chat_member)

    async def _stray_message(self, bot: Bot, chat: Chat) -> None:
        if await self._groups.claim_notice(chat.id):
            await self._tell(bot, chat)
            await self._leave(bot, chat)

    async def _stray_button(self, bot: Bot, query: CallbackQuery) -> None:
        try:
            await bot.answer_callback_query(query.id, text=tr("private-only-alert"))
        except TelegramAPIError as exc:
            log.warning("could not answer a button pressed outside a private chat: %s", exc.message)

    async def _membership(self, bot: Bot, update: ChatMemberUpdated) -> None:
        if update.new_chat_member.status not in _IN_CHAT:
            return  # removed, or left by itself: nothing to say
        if await self._groups.claim_notice(update.chat.id):
            await self._tell(bot, update.chat)
        await self._leave(bot, update.chat)

    async def _tell(self, bot: Bot, chat: Chat) -> None:
        if chat.type == ChatType.CHANNEL:
            return
        try:
            me = await bot.me()
            button = InlineKeyboardButton(text=tr("private-only-button"), url=f"https://t.me/{me.username}")
            await bot.send_message(
                chat.id, tr("private-only"), reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]])
            )
        except TelegramAPIError as exc:
            log.warning("could not tell %s %s that the bot works in private chats: %s", chat.type, chat.id, exc.message)

    async def _leave(self, bot: Bot, chat: Chat) -> None:
        try:
            await bot.leave_chat(chat.id)
        except TelegramForbiddenError as exc:  # already out (an update of the same group handled meanwhile)
            log.info("%s %s already left: %s", chat.type, chat.id, exc.message)
        except TelegramAPIError as exc:
            log.warning("could not leave %s %s: %s", chat.type, chat.id, exc.message)
        else:
            log.info("left %s %s: the bot works in private chats only", chat.type, chat.id)
