"""The questionnaire dialog on Telegram: the adapter of `bot.flows.survey` (one question per message).

Aiogram's filters route: the questionnaire's buttons (`SurveyPayload`'s prefix), and while the dialog is on, plain
texts, other content (a sticker, a photo) and, at the end, commands no router took. Each becomes the flow's event; the
action runs in its transaction (`bot.flows.act`) and the effects are shown here, so that the message that shows
the dialog's screen is known: a new message's id is told back to the flow (`bot.flows.survey.remember`), and a
button of any other copy leads to it. The keyboards come from the cache of `handlers.kb.survey`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StateType
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows import survey as flow
from bot.flows.act import act
from bot.flows.act import run as run_action
from bot.flows.effects import Effect, Show
from bot.flows.events import CommandIn, Event, FileIn, PressIn, TextIn
from bot.flows.ports import Repos
from bot.participants import Participant
from handlers.core import ctx_of, person_of
from handlers.filters import HasText, NoText, PayloadOf, PlainText
from handlers.fsm_storage import SQLiteStorage, _key
from handlers.kb.survey import keyboard
from handlers.states import Survey
from handlers.ui import render, show


class SurveyDialog(FSMContext):
    """The update's FSMContext with the one write of state and data the flow saves with (`flow.save`), and
    one read of both per action: the state and the data are one row, read once inside the action's
    transaction (each read is a statement under the database's lock: bench/bench_intake.py); any write, and
    the end of the action (`fresh`), drop the copy."""

    _copy: tuple[str | None, str] | None = None

    async def _record(self) -> tuple[str | None, str] | None:
        if self._copy is None and isinstance(self.storage, SQLiteStorage):
            self._copy = await self.storage.table.load(_key(self.storage.messenger, self.key))
        return self._copy

    def fresh(self) -> None:
        self._copy = None

    async def get_state(self) -> str | None:
        record = await self._record()
        return record[0] if record is not None else await super().get_state()

    async def get_data(self) -> dict[str, Any]:
        record = await self._record()
        return json.loads(record[1]) if record is not None else await super().get_data()

    async def set_state(self, state: StateType = None) -> None:
        self._copy = None
        await super().set_state(state)

    async def set_data(self, data: Mapping[str, Any]) -> None:
        self._copy = None
        await super().set_data(data)

    async def update_data(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        self._copy = None
        return await super().update_data(data, **kwargs)

    async def clear(self) -> None:
        self._copy = None
        await super().clear()

    async def set_state_and_data(self, state: StateType, data: Mapping[str, Any]) -> None:
        self._copy = None
        if isinstance(self.storage, SQLiteStorage):
            await self.storage.set_state_and_data(self.key, state, data)
        else:
            await super().set_state(state)
            await super().set_data(data)


def dialog_of(state: FSMContext) -> SurveyDialog:
    return SurveyDialog(state.storage, state.key)


async def run(
    target: Message | CallbackQuery,
    event: Event,
    state: FSMContext,
    repos: Repos,
    callback_answer: CallbackAnswer | None = None,
) -> None:
    """`handlers.core.perform` for the questionnaire's events: the action, then its effects shown."""
    dialog = dialog_of(state)
    try:
        effects = await act(event, ctx_of(event.person.account_id, dialog, repos))
    finally:
        dialog.fresh()
    if effects is not None:
        await show_effects(target, dialog, repos, effects, callback_answer)


async def show_effects(
    target: Message | CallbackQuery,
    dialog: SurveyDialog,
    repos: Repos,
    effects: list[Effect],
    callback_answer: CallbackAnswer | None = None,
) -> None:
    """Show the effects; the last screen with buttons is the dialog's: the flow learns which message it is."""
    shown: int | None = None
    for effect in effects:
        if isinstance(effect, Show):
            screen = effect.screen
            message_id = await show(target, screen.text, keyboard(screen.rows), edit=effect.edit)
            shown = message_id if screen.rows else shown
        else:
            await render(target, [effect], callback_answer)
    pressed = target.message.message_id if isinstance(target, CallbackQuery) and target.message else None
    if shown is not None and shown != pressed:  # the pressed message, edited in place, the flow knows already
        async with repos.atomic():  # read and written together: a withdrawal meanwhile leaves nothing behind
            await flow.remember(dialog, str(shown))
        dialog.fresh()


async def start(
    target: Message | CallbackQuery,
    state: FSMContext,
    repos: Repos,
    participant: Participant,
    *,
    preface: str | None = None,
) -> None:
    """The intake questionnaire from another dialog of the adapter (the consent just given), in a transaction."""
    dialog = dialog_of(state)
    ctx = ctx_of(target.from_user.id, dialog, repos)  # type: ignore[union-attr]
    try:
        effects = await run_action(lambda: flow.begin(ctx, participant, preface=preface), repos)
    finally:
        dialog.fresh()
    await show_effects(target, dialog, repos, effects or [])


async def on_button(
    query: CallbackQuery, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer
) -> None:
    message_id = str(query.message.message_id) if query.message is not None else None
    event = PressIn(person_of(query.from_user.id), query.data or "", message_id)
    await run(query, event, state, repos, callback_answer)


async def on_text(message: Message, state: FSMContext, repos: Repos) -> None:
    person = person_of(message.from_user.id)  # type: ignore[union-attr]
    text = message.text or ""
    if text.startswith("/"):
        head, _, args = text[1:].partition(" ")
        event: Event = CommandIn(person, head.split("@", 1)[0].lower(), args.strip())
    else:
        event = TextIn(person, text)
    await run(message, event, state, repos)


async def on_other_content(message: Message, state: FSMContext, repos: Repos) -> None:
    """A sticker, a photo, a voice message…: not an answer (the flow says so and asks again)."""
    await run(message, FileIn(person_of(message.from_user.id), "", "", ""), state, repos)  # type: ignore[union-attr]


def build_button_router() -> Router:
    """Questionnaire buttons come first: they are most of the traffic and no other flow uses their prefix."""
    router = Router(name="survey-buttons")
    router.callback_query.register(
        on_button, PayloadOf(flow.SurveyPayload), flags={"callback_answer": {"pre": False}}
    )
    return router


def build_router() -> Router:
    """Typed answers, placed right after the questionnaire buttons: only plain texts and other content.

    Commands are not answers: they go on to the command routers, so /menu or /cancel work in the middle of a
    questionnaire, and one that no router knows gets a hint from `build_command_router` at the end. Every
    other flow's free input is tied to that flow's own states, so placing typed answers this early takes
    nothing from anyone; it spares them the walk through a dozen routers (bench/README.md, intake).
    """
    router = Router(name="survey-input")
    router.message.register(on_text, StateFilter(Survey.answering, Survey.review), PlainText())
    router.message.register(on_other_content, StateFilter(Survey.answering, Survey.review), NoText())
    return router


def build_command_router() -> Router:
    """A command no router took, in the middle of a questionnaire: a hint (answering) or «press a button»."""
    router = Router(name="survey-commands")
    router.message.register(on_text, StateFilter(Survey.answering, Survey.review), HasText())
    return router
