"""«Участвую в следующем году» under the thank-you notice of a finished programme year, on Telegram: the adapter of
`bot.flows.renewal`."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.events import PressIn
from bot.flows.ports import Repos
from handlers.core import perform, person_of
from handlers.kb.years import RenewCb


async def on_renew(
    query: CallbackQuery, callback_data: RenewCb, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer
) -> None:
    event = PressIn(person_of(query.from_user.id), callback_data.pack())
    await perform(query, event, state, repos, callback_answer)


def build_router() -> Router:
    router = Router(name="renewal")
    router.callback_query.register(on_renew, RenewCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
