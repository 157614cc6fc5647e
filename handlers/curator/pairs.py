"""/pairs on Telegram (the list, a card, dissolving with a reason, finishing the year and its archive): the
adapter of `bot.flows.curator.pairs`. aiogram's filters route; the flow answers in one action."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.flows.events import TextIn
from bot.flows.ports import Repos
from handlers.core import perform, person_of
from handlers.curator.reports import on_command, on_press
from handlers.filters import HasText
from handlers.kb.matching import PairCb
from handlers.kb.years import ArchiveCb
from handlers.states import DissolvePair


async def on_dissolve_reason(message: Message, state: FSMContext, repos: Repos) -> None:
    event = TextIn(person_of(message.from_user.id), message.text or "")  # type: ignore[union-attr]
    await perform(message, event, state, repos)


def build_router() -> Router:
    router = Router(name="curator-pairs")
    router.message.register(on_command, Command("pairs"))
    router.message.register(on_dissolve_reason, StateFilter(DissolvePair.reason), HasText())
    router.callback_query.register(on_press, PairCb.filter(), flags={"callback_answer": {"pre": False}})
    router.callback_query.register(on_press, ArchiveCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
