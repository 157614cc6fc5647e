"""The preference survey on Telegram: the adapter of `bot.flows.preferences` (aiogram's filter routes `PrefCb`
presses here; the flow saves each choice and draws the screen in one transaction)."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.events import PressIn
from bot.flows.ports import Repos

# The screen's text moved to the flow; a test reads it here.
from bot.flows.preferences import screen_text as _screen  # noqa: F401
from handlers.core import perform, person_of
from handlers.kb.notices import PrefCb


async def on_pref(query: CallbackQuery, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer) -> None:
    message_id = str(query.message.message_id) if query.message is not None else None
    event = PressIn(person_of(query.from_user.id), query.data or "", message_id)
    await perform(query, event, state, repos, callback_answer)


def build_router() -> Router:
    router = Router(name="preferences")
    router.callback_query.register(on_pref, PrefCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
