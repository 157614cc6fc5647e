"""/participants and /consent_paper on Telegram: the adapter of `bot.flows.curator.participants` (the summary,
the list, the card; the paper consent and the name correction, whose typed steps the flow reads by its dialog
state, the same state aiogram's filters here match)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.events import CommandIn, PressIn, TextIn
from bot.flows.ports import Repos
from handlers.core import perform, person_of
from handlers.filters import PlainText
from handlers.kb.curator import PeopleCb
from handlers.states import NameCorrection, PaperConsent


async def on_command(message: Message, command: CommandObject, state: FSMContext, repos: Repos) -> None:
    event = CommandIn(person_of(message.from_user.id), command.command.lower(), command.args or "")  # type: ignore[union-attr]
    await perform(message, event, state, repos)


async def on_text(message: Message, state: FSMContext, repos: Repos) -> None:
    await perform(message, TextIn(person_of(message.from_user.id), message.text or ""), state, repos)  # type: ignore[union-attr]


async def on_people(query: CallbackQuery, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer) -> None:
    await perform(query, PressIn(person_of(query.from_user.id), query.data or ""), state, repos, callback_answer)


def build_router() -> Router:
    router = Router(name="curator-participants")
    router.message.register(on_command, Command("participants", "consent_paper"))
    router.message.register(on_text, StateFilter(PaperConsent.parent), PlainText())
    router.message.register(on_text, StateFilter(PaperConsent.date), PlainText())
    router.message.register(on_text, StateFilter(NameCorrection.name), PlainText())
    router.callback_query.register(on_people, PeopleCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
