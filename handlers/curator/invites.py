"""/invite and /invites on Telegram: the adapter of `bot.flows.curator.invites` (aiogram's filters route, the
flow answers; its links are the bot's t.me links)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.events import CommandIn, PressIn
from bot.flows.ports import Repos
from handlers.core import perform_with_links, person_of
from handlers.kb.curator import InviteCb, RevokeCb


async def on_command(message: Message, command: CommandObject, state: FSMContext, repos: Repos) -> None:
    event = CommandIn(person_of(message.from_user.id), command.command.lower(), command.args or "")  # type: ignore[union-attr]
    await perform_with_links(message, event, state, repos)


async def on_press(query: CallbackQuery, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer) -> None:
    event = PressIn(person_of(query.from_user.id), query.data or "")
    await perform_with_links(query, event, state, repos, callback_answer)


def build_router() -> Router:
    router = Router(name="curator-invites")
    router.message.register(on_command, Command("invite", "invites"))
    router.callback_query.register(on_press, InviteCb.filter(), flags={"callback_answer": {"pre": False}})
    router.callback_query.register(on_press, RevokeCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
