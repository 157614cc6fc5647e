"""Meetings of a pair or group on Telegram: the adapter of `bot.flows.meetings`. aiogram's filters route the
presses (the scheduling dialog, the answers to an invitation, the mentor's move / cancel and the pair's list, the
check-in after a meeting, the pair's fit) and the dialogs' texts here; each becomes the flow's event, run in one
transaction by `handlers.core.perform`, its effects shown through the edit-or-send helper."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.events import PressIn, TextIn
from bot.flows.ports import Repos
from handlers.core import perform, person_of
from handlers.filters import HasText
from handlers.kb.meetings import CheckinCb, FitCb, ManageCb, ReplyCb, SetupCb
from handlers.states import MeetingReply, MeetingSetup


async def on_press(query: CallbackQuery, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer) -> None:
    """Any button of the meetings: the flow reads its payload."""
    message_id = str(query.message.message_id) if query.message is not None else None
    event = PressIn(person_of(query.from_user.id), query.data or "", message_id)
    await perform(query, event, state, repos, callback_answer)


async def on_text(message: Message, state: FSMContext, repos: Repos) -> None:
    """A text in a meeting dialog: the time, the place, the topic, the other time, the note."""
    event = TextIn(person_of(message.from_user.id), message.text or "")  # type: ignore[union-attr]
    await perform(message, event, state, repos)


def build_router() -> Router:
    router = Router(name="meetings")
    flags = {"callback_answer": {"pre": False}}
    for payload in (SetupCb, ReplyCb, ManageCb, CheckinCb, FitCb):
        router.callback_query.register(on_press, payload.filter(), flags=flags)
    router.message.register(on_text, StateFilter(MeetingSetup.time, MeetingSetup.place, MeetingSetup.topic), HasText())
    router.message.register(on_text, StateFilter(MeetingReply.other_time), HasText())
    router.message.register(on_text, StateFilter(MeetingReply.note), HasText())
    return router
