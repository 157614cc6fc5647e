"""The participant's and the parent's side of informing: «Вопрос куратору» and the programme's materials."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.ports import Repos
from bot.i18n import esc, tr
from bot.programme import Role
from bot.settings import Settings
from handlers.filters import HasText
from handlers.kb.informing import AskCb, MaterialCb, materials_keyboard, reply_keyboard
from handlers.menu import reader_audience, show_parent_menu
from handlers.notify import markup_json, who_is
from handlers.states import AskCurator
from handlers.ui import show
from storage.informing import InformingRepo
from storage.matching import MatchingRepo
from storage.outbox import Outbox
from storage.participants import ParticipantRepo

QUESTION_LIMIT = 1000


async def _start_ask(
    target: Message | CallbackQuery,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    repos: Repos,
    child_id: int = 0,
) -> None:
    """A participant asks about themselves; a parent asks about a child they consented for (a parent of two
    picks the child first)."""
    user_id = target.from_user.id  # type: ignore[union-attr]
    participant = await participants.by_telegram(user_id)
    if participant is not None and participant.has_consent and not child_id:
        await state.set_state(AskCurator.text)
        await _drop_child(state)
        await show(target, tr("ask-prompt", audience=participant.audience), edit=False)
        return
    children = await participants.children_of(user_id)
    if children:
        child = next((c for c in children if c.id == child_id), None)
        if child is None and not child_id and len(children) == 1:
            child = children[0]
        if child is None:
            which = tr("parent-ask-which")
            await show_parent_menu(target, children, repos, preface=which)
            return
        await state.set_state(AskCurator.text)
        await state.update_data(child=child.id)
        await show(target, tr("parent-ask-prompt"), edit=False)
        return
    await show(target, tr("ask-needs-consent") if participant is not None else tr("not-a-participant"), edit=False)


async def _drop_child(state: FSMContext) -> None:
    """Forget which child a parent asked about; the rest of the dialog (a questionnaire under way) stays."""
    data = await state.get_data()
    if "child" in data:
        await state.set_data({k: v for k, v in data.items() if k != "child"})


async def cmd_ask(
    message: Message,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    repos: Repos,
) -> None:
    await _start_ask(message, state, settings, participants, repos)


async def on_ask_button(
    query: CallbackQuery,
    callback_data: AskCb,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    repos: Repos,
) -> None:
    await _start_ask(query, state, settings, participants, repos, callback_data.id)


async def on_question(
    message: Message,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    informing: InformingRepo,
    outbox: Outbox,
    matching: MatchingRepo,
) -> None:
    user_id = message.from_user.id  # type: ignore[union-attr]
    data = await state.get_data()
    text = (message.text or "").strip()
    if not 1 <= len(text) <= QUESTION_LIMIT or text.startswith("/"):
        await message.answer(tr("ask-bad", audience=await reader_audience(user_id, settings, participants)))
        return
    await state.set_state(None)
    await _drop_child(state)
    if data.get("child"):
        child = next((c for c in await participants.children_of(user_id) if c.id == data["child"]), None)
        if child is None:
            await message.answer(tr("not-a-participant"))
            return
        question_id = await informing.ask(child.id, text, asked_by=user_id)
        body = tr("ask-to-curator-from-parent",
            parent=esc(child.parent_name or "—"), who=await who_is(child, matching), text=esc(text)
        )
        about = child.id
    else:
        participant = await participants.by_telegram(user_id)
        if participant is None:
            await message.answer(tr("not-a-participant"))
            return
        question_id = await informing.ask(participant.id, text)
        body = tr("ask-to-curator", who=await who_is(participant, matching), text=esc(text))
        about = participant.id
    for curator_id in settings.curator_ids():
        await outbox.enqueue(
            curator_id,
            body,
            reply_markup=markup_json(reply_keyboard(question_id)),
            kind="question",
            about=[about],
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
        callback_answer.text = tr("not-a-participant") if participant is None else tr("ask-needs-consent")
        return
    audiences = ("all", "mentors") if participant.role is Role.MENTOR else ("all", "mentees")
    if callback_data.a == "list":
        items = await informing.materials(audiences)
        if not items:
            await show(query, tr("materials-empty"), edit=False)
            return
        text = tr("materials-list", audience=participant.audience)
        await show(query, text, materials_keyboard(items), edit=False)
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
