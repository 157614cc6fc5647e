"""/campaign and /surveys on Telegram: the adapter of `bot.flows.curator.campaigns` (a monitoring survey launched
for a segment with a closing date; the open surveys, who has not answered, a reminder, closing one). The
curator-only filter is the parent router's (handlers.curator)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.events import CommandIn, PressIn
from bot.flows.ports import Repos
from handlers.core import perform, person_of


class NewCampaignCb(CallbackData, prefix="nc"):
    """The twin of `bot.flows.curator.campaigns.NewCampaignPayload`."""

    s: str
    g: str = ""
    d: int = 0
    go: bool = False


class SurveysCb(CallbackData, prefix="sv"):
    """The twin of `bot.flows.curator.campaigns.SurveysPayload`."""

    a: str
    c: int = 0


async def on_command(message: Message, state: FSMContext, repos: Repos) -> None:
    command = (message.text or "").split()[0].lstrip("/").split("@", 1)[0].lower()
    await perform(message, CommandIn(person_of(message.from_user.id), command), state, repos)  # type: ignore[union-attr]


async def on_press(query: CallbackQuery, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer) -> None:
    message_id = str(query.message.message_id) if query.message is not None else None
    event = PressIn(person_of(query.from_user.id), query.data or "", message_id)
    await perform(query, event, state, repos, callback_answer)


def build_router() -> Router:
    router = Router(name="curator-campaigns")
    flags = {"callback_answer": {"pre": False}}
    router.message.register(on_command, Command("campaign", "surveys"))
    router.callback_query.register(on_press, NewCampaignCb.filter(), flags=flags)
    router.callback_query.register(on_press, SurveysCb.filter(), flags=flags)
    return router
