"""The curator's informing on Telegram (roadmap 2.1–2.3): the adapter of `bot.flows.curator.informing`
(answers to questions, materials, /broadcast with a preview). Each update becomes the flow's event
(`handlers.core.perform`); aiogram's filters route them (the curator-only filter is the parent router's)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.curator.informing import MATERIAL_ACTIONS
from bot.flows.events import CommandIn, PressIn
from bot.flows.ports import Repos
from handlers.core import message_event, perform, person_of
from handlers.filters import HasText
from handlers.kb.informing import AskCb, BroadcastCb, MaterialCb
from handlers.states import AddMaterial, AnswerQuestion, Broadcast


async def on_command(message: Message, state: FSMContext, repos: Repos) -> None:
    command = (message.text or "").split()[0].lstrip("/").split("@", 1)[0].lower()
    await perform(message, CommandIn(person_of(message.from_user.id), command), state, repos)  # type: ignore[union-attr]


async def on_press(query: CallbackQuery, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer) -> None:
    message_id = str(query.message.message_id) if query.message is not None else None
    event = PressIn(person_of(query.from_user.id), query.data or "", message_id)
    await perform(query, event, state, repos, callback_answer)


async def on_step(message: Message, state: FSMContext, repos: Repos) -> None:
    await perform(message, message_event(message), state, repos)


async def on_broadcast_content(message: Message, state: FSMContext, repos: Repos) -> None:
    """The broadcast's content keeps the curator's bold and italics: its text as markup."""
    await perform(message, message_event(message, html=True), state, repos)


def build_router() -> Router:
    router = Router(name="curator-informing")
    flags = {"callback_answer": {"pre": False}}
    router.message.register(on_command, Command("materials", "broadcast"))
    router.callback_query.register(on_press, AskCb.filter(F.a == "reply"), flags=flags)
    router.callback_query.register(on_press, MaterialCb.filter(F.a.in_(set(MATERIAL_ACTIONS))), flags=flags)
    router.callback_query.register(on_press, BroadcastCb.filter(), flags=flags)
    router.message.register(on_step, StateFilter(AnswerQuestion.text), HasText())
    router.message.register(on_step, StateFilter(AddMaterial.file))
    router.message.register(on_step, StateFilter(AddMaterial.title), HasText())
    router.message.register(on_broadcast_content, StateFilter(Broadcast.content))
    return router
