"""A participant answers a campaign's questionnaire (the same one-question-per-message dialog): the adapter of
`bot.flows.campaigns`; the dialog's screens are shown as the questionnaire's own (`handlers.survey.run`)."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.events import PressIn
from bot.flows.ports import Repos
from handlers import survey
from handlers.core import person_of
from handlers.kb.notices import CampaignCb


async def on_answer(query: CallbackQuery, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer) -> None:
    message_id = str(query.message.message_id) if query.message is not None else None
    event = PressIn(person_of(query.from_user.id), query.data or "", message_id)
    await survey.run(query, event, state, repos, callback_answer)


def build_router() -> Router:
    router = Router(name="campaigns")
    router.callback_query.register(on_answer, CampaignCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
