"""The participant's and the parent's side of informing on Telegram: «Вопрос куратору» and the programme's
materials, the adapter of `bot.flows.informing` (aiogram's filters route, the flow acts in one transaction and
its effects go out through `handlers.ui.render`)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.events import CommandIn, PressIn, TextIn
from bot.flows.ports import Repos
from handlers.core import perform, person_of
from handlers.filters import HasText
from handlers.kb.informing import AskCb, MaterialCb
from handlers.states import AskCurator


async def cmd_ask(message: Message, state: FSMContext, repos: Repos) -> None:
    await perform(message, CommandIn(person_of(message.from_user.id), "ask"), state, repos)  # type: ignore[union-attr]


async def on_ask_button(
    query: CallbackQuery, callback_data: AskCb, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer
) -> None:
    event = PressIn(person_of(query.from_user.id), callback_data.pack())
    await perform(query, event, state, repos, callback_answer)


async def on_question(message: Message, state: FSMContext, repos: Repos) -> None:
    event = TextIn(person_of(message.from_user.id), message.text or "")  # type: ignore[union-attr]
    await perform(message, event, state, repos)


async def on_materials(
    query: CallbackQuery, callback_data: MaterialCb, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer
) -> None:
    event = PressIn(person_of(query.from_user.id), callback_data.pack())
    await perform(query, event, state, repos, callback_answer)


def build_router() -> Router:
    router = Router(name="informing")
    router.message.register(cmd_ask, Command("ask"))
    router.callback_query.register(
        on_ask_button, AskCb.filter(F.a == "ask"), flags={"callback_answer": {"pre": False}}
    )
    router.callback_query.register(
        on_materials, MaterialCb.filter(F.a.in_({"list", "get"})), flags={"callback_answer": {"pre": False}}
    )
    router.message.register(on_question, StateFilter(AskCurator.text), HasText())
    return router
