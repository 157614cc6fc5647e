"""/roadmap on Telegram: the adapter of `bot.flows.curator.roadmap` (the curator's roadmap tracker). The command,
the tracker's buttons and the messages of its steps become the flow's events (`handlers.core.perform`); aiogram's
filters route them (the curator-only filter is the parent router's, handlers.curator)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.events import CommandIn, PressIn
from bot.flows.ports import Repos
from handlers.core import message_event, perform, person_of
from handlers.kb.roadmap import RoadmapCb
from handlers.states import RoadmapAdd, RoadmapAttach, RoadmapDone, RoadmapEdit


class NotCommand(Filter):
    """A message that is not a /command, so that commands reach their own handlers in the middle of a step."""

    async def __call__(self, message: Message) -> bool:
        return not (message.text or "").startswith("/")


async def cmd_roadmap(message: Message, state: FSMContext, repos: Repos) -> None:
    event = CommandIn(person_of(message.from_user.id), "roadmap")  # type: ignore[union-attr]
    await perform(message, event, state, repos)


async def on_press(query: CallbackQuery, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer) -> None:
    message_id = str(query.message.message_id) if query.message is not None else None
    event = PressIn(person_of(query.from_user.id), query.data or "", message_id)
    await perform(query, event, state, repos, callback_answer)


async def on_step(message: Message, state: FSMContext, repos: Repos) -> None:
    """A note, a field's value, a file: the step's answer (the flow checks what it is)."""
    await perform(message, message_event(message), state, repos)


def build_router() -> Router:
    """The tracker's handlers; the curator-only filter is the parent router's (handlers.curator)."""
    router = Router(name="curator-roadmap")
    router.message.register(cmd_roadmap, Command("roadmap"))
    router.callback_query.register(on_press, RoadmapCb.filter(), flags={"callback_answer": {"pre": False}})
    states = (*RoadmapDone.__states__, *RoadmapAttach.__states__, *RoadmapEdit.__states__, *RoadmapAdd.__states__)
    router.message.register(on_step, StateFilter(*states), NotCommand())
    return router
