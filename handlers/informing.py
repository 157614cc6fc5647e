"""The participant's side of informing: «Вопрос куратору» and the programme's materials."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.i18n import esc, tr
from bot.programme import Role
from bot.settings import Settings
from handlers.filters import HasText
from handlers.kb.informing import AskCb, MaterialCb, materials_keyboard, reply_keyboard
from handlers.notify import markup_json, who_is
from handlers.states import AskCurator
from handlers.ui import show
from storage.informing import InformingRepo
from storage.matching import MatchingRepo
from storage.outbox import Outbox
from storage.participants import ParticipantRepo

QUESTION_LIMIT = 1000


async def _start_ask(target: Message | CallbackQuery, state: FSMContext, participants: ParticipantRepo) -> None:
    participant = await participants.by_telegram(target.from_user.id)  # type: ignore[union-attr]
    if participant is None or not participant.has_consent:
        await show(target, tr("not-a-participant"), edit=False)
        return
    await state.set_state(AskCurator.text)
    await show(target, tr("ask-prompt"), edit=False)


async def cmd_ask(message: Message, state: FSMContext, participants: ParticipantRepo) -> None:
    await _start_ask(message, state, participants)


async def on_ask_button(
    query: CallbackQuery, callback_data: AskCb, state: FSMContext, participants: ParticipantRepo
) -> None:
    await _start_ask(query, state, participants)


async def on_question(
    message: Message,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    informing: InformingRepo,
    outbox: Outbox,
    matching: MatchingRepo,
) -> None:
    text = (message.text or "").strip()
    if not 1 <= len(text) <= QUESTION_LIMIT or text.startswith("/"):
        await message.answer(tr("ask-bad"))
        return
    participant = await participants.by_telegram(message.from_user.id)  # type: ignore[union-attr]
    await state.clear()
    if participant is None:
        await message.answer(tr("not-a-participant"))
        return
    question_id = await informing.ask(participant.id, text)
    body = tr("ask-to-curator", who=await who_is(participant, matching), text=esc(text))
    for curator_id in settings.curator_ids():
        await outbox.enqueue(
            curator_id,
            body,
            reply_markup=markup_json(reply_keyboard(question_id)),
            kind="question",
            about=[participant.id],
        )
    await message.answer(tr("ask-sent"))


async def on_materials(
    query: CallbackQuery,
    callback_data: MaterialCb,
    participants: ParticipantRepo,
    informing: InformingRepo,
    callback_answer: CallbackAnswer,
) -> None:
    participant = await participants.by_telegram(query.from_user.id)
    if participant is None or not participant.has_consent:
        callback_answer.text = tr("not-a-participant")
        return
    audiences = ("all", "mentors") if participant.role is Role.MENTOR else ("all", "mentees")
    if callback_data.a == "list":
        items = await informing.materials(audiences)
        if not items:
            await show(query, tr("materials-empty"), edit=False)
            return
        await show(query, tr("materials-list"), materials_keyboard(items), edit=False)
    elif callback_data.a == "get":
        item = await informing.material(callback_data.id)
        if item is None or item.audience not in audiences:
            callback_answer.text = tr("stale-button")
            return
        await query.bot.send_document(query.from_user.id, item.file_id, caption=esc(item.title))  # type: ignore[union-attr]
    else:
        callback_answer.text = tr("stale-button")


def build_router() -> Router:
    router = Router(name="informing")
    router.message.register(cmd_ask, Command("ask"))
    router.callback_query.register(on_ask_button, AskCb.filter(F.a == "ask"))
    router.callback_query.register(
        on_materials, MaterialCb.filter(F.a.in_({"list", "get"})), flags={"callback_answer": {"pre": False}}
    )
    router.message.register(on_question, StateFilter(AskCurator.text), HasText())
    return router
