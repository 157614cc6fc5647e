"""/destruction_act on Telegram: the adapter of `bot.flows.curator.destruction` (the act comes as a document)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.events import CommandIn, PressIn
from bot.flows.ports import Repos
from handlers.core import perform, person_of
from handlers.kb.destruction import DestructionActCb


async def cmd_destruction_act(message: Message, state: FSMContext, repos: Repos) -> None:
    await perform(message, CommandIn(person_of(message.from_user.id), "destruction_act"), state, repos)  # type: ignore[union-attr]


async def on_period(query: CallbackQuery, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer) -> None:
    await perform(query, PressIn(person_of(query.from_user.id), query.data or ""), state, repos, callback_answer)


def build_router() -> Router:
    router = Router(name="curator-destruction")
    router.message.register(cmd_destruction_act, Command("destruction_act"))
    router.callback_query.register(on_period, DestructionActCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
