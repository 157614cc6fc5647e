"""The group meeting of candidates and the preference survey (roadmap 4.4) on Telegram: the adapter of
`bot.flows.curator.grouping` (aiogram's filters route; the flow answers in one action). Every form picker's
press (`FormCb`: the group meeting's, the preferences', the match draft's and a rematch's) goes to the core."""

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
from handlers.kb.matching import FormCb, MeetingCb, RoundCb
from handlers.states import GroupMeetingSetup


async def on_setup_text(message: Message, state: FSMContext, repos: Repos) -> None:
    event = TextIn(person_of(message.from_user.id), message.text or "")  # type: ignore[union-attr]
    await perform(message, event, state, repos)


def build_router() -> Router:
    router = Router(name="curator-grouping")
    router.message.register(on_command, Command("groupmeeting", "preferences"))
    router.message.register(
        on_setup_text, StateFilter(GroupMeetingSetup.when, GroupMeetingSetup.place), HasText()
    )
    router.callback_query.register(on_press, FormCb.filter(), flags={"callback_answer": {"pre": False}})
    router.callback_query.register(on_press, MeetingCb.filter(), flags={"callback_answer": {"pre": False}})
    router.callback_query.register(on_press, RoundCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
