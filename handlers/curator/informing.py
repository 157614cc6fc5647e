"""The curator's informing (roadmap 2.1–2.3): answers to questions, materials, /broadcast with a preview."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock
from bot.i18n import Audience, esc, quoted, tr
from bot.meetings.timeparse import format_moment
from bot.programme import Form
from bot.questionnaires import CLUBS, load_vocabulary
from bot.settings import Settings
from handlers.filters import HasText
from handlers.kb.informing import (
    BROADCAST_AUDIENCES,
    MATERIAL_AUDIENCES,
    AskCb,
    BroadcastCb,
    MaterialCb,
    audience_keyboard,
    club_audience_keyboard,
    confirm_keyboard,
    form_audience_keyboard,
    material_audience_keyboard,
    material_delete_keyboard,
    materials_admin_keyboard,
)
from handlers.notify import notify
from handlers.states import AddMaterial, AnswerQuestion, Broadcast
from handlers.ui import show
from storage.audit import AuditLog
from storage.informing import InformingRepo
from storage.outbox import Outbox
from storage.participants import ParticipantRepo

TEXT_LIMIT = 3500
CAPTION_LIMIT = 1000


# --- answering questions -----------------------------------------------------------------------------------
async def on_reply(
    query: CallbackQuery,
    callback_data: AskCb,
    state: FSMContext,
    informing: InformingRepo,
    participants: ParticipantRepo,
    callback_answer: CallbackAnswer,
) -> None:
    question = await informing.question(callback_data.id)
    if question is None:
        callback_answer.text = tr("participant-gone")
        return
    if question.answer is not None:
        callback_answer.text = tr("answer-already")
        return
    person = await participants.get(question.participant_id)
    await state.set_state(AnswerQuestion.text)
    await state.set_data({"question": question.id})
    who = esc(person.shown_name()) if person else ""
    who = tr("ask-who-parent", child=who) if question.asked_by and person else who
    await show(query, tr("answer-prompt", who=who), edit=False)


async def on_answer_text(
    message: Message,
    state: FSMContext,
    informing: InformingRepo,
    participants: ParticipantRepo,
    outbox: Outbox,
    audit: AuditLog,
) -> None:
    text = (message.text or "").strip()
    if not 1 <= len(text) <= TEXT_LIMIT:
        await message.answer(tr("broadcast-bad"))
        return
    data = await state.get_data()
    await state.clear()
    question = await informing.question(int(data.get("question", 0)))
    person = await participants.get(question.participant_id) if question else None
    if question is None or person is None:
        await message.answer(tr("participant-gone"))
        return
    if not await informing.answer(question.id, text, message.from_user.id):  # type: ignore[union-attr]
        await message.answer(tr("answer-already"))
        return
    await audit.record(message.from_user.id, "question.answer", person.pseudonym)  # type: ignore[union-attr]
    shown_question = question.text if len(question.text) <= 200 else question.text[:199] + "…"
    # A parent's question about their child is answered to the parent.
    to, audience = (question.asked_by, Audience.PARENT) if question.asked_by else (person.telegram_id, person.audience)
    answer = tr("answer-to-participant", question=esc(quoted(shown_question)), answer=esc(text), audience=audience)
    await notify(outbox, to, answer, about=[person.id])
    await message.answer(tr("answer-sent"))


# --- materials ---------------------------------------------------------------------------------------------------
async def _materials_screen(target: Message | CallbackQuery, informing: InformingRepo) -> None:
    items = await informing.materials()
    lines = "".join(
        tr("material-line", n=n, title=esc(m.title), audience=tr(f"material-audiences-{m.audience}"))
        for n, m in enumerate(items, start=1)
    )
    text = tr("materials-curator", count=len(items), lines=lines or "\n—")
    await show(target, text, materials_admin_keyboard(items))


async def cmd_materials(message: Message, informing: InformingRepo) -> None:
    await _materials_screen(message, informing)


async def on_material_admin(
    query: CallbackQuery,
    callback_data: MaterialCb,
    state: FSMContext,
    informing: InformingRepo,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    if callback_data.a == "add":
        await state.set_state(AddMaterial.file)
        await show(query, tr("material-send-file"), edit=False)
    elif callback_data.a == "del":
        material = await informing.material(callback_data.id)
        if material is None:
            callback_answer.text = tr("stale-button")
            return
        audience = tr(f"material-audiences-{material.audience}")
        text = tr("material-delete-confirm", title=esc(quoted(material.title)), audience=audience)
        await show(query, text, material_delete_keyboard(material.id))
    elif callback_data.a == "delok":
        if not await informing.delete_material(callback_data.id):
            callback_answer.text = tr("stale-button")  # deleted already: pressed twice, or an old screen
            return
        await audit.record(query.from_user.id, "material.delete", str(callback_data.id))
        callback_answer.text = tr("material-deleted")
        await _materials_screen(query, informing)
    elif callback_data.a == "adm":
        await _materials_screen(query, informing)
    elif callback_data.a == "aud" and callback_data.v in MATERIAL_AUDIENCES:
        data = await state.get_data()
        if await state.get_state() != AddMaterial.audience.state or "file_id" not in data:
            callback_answer.text = tr("stale-button")
            return
        await state.clear()
        await informing.add_material(
            data["title"], callback_data.v, data["file_id"], data["file_name"], query.from_user.id
        )
        await audit.record(query.from_user.id, "material.add", data["title"])
        audience = tr(f"material-audiences-{callback_data.v}")
        await show(query, tr("material-added", title=esc(quoted(data["title"])), audience=audience))
    else:
        callback_answer.text = tr("stale-button")


async def on_material_file(message: Message, state: FSMContext) -> None:
    document = message.document
    if document is None:
        await message.answer(tr("material-need-file"))
        return
    await state.update_data(file_id=document.file_id, file_name=document.file_name or "document")
    await state.set_state(AddMaterial.title)
    await message.answer(tr("material-ask-title"))


async def on_material_title(message: Message, state: FSMContext) -> None:
    title = " ".join((message.text or "").split())
    if not 2 <= len(title) <= 100:
        await message.answer(tr("material-bad-title"))
        return
    await state.update_data(title=title)
    await state.set_state(AddMaterial.audience)
    await message.answer(tr("material-ask-audience"), reply_markup=material_audience_keyboard())


# --- broadcast ------------------------------------------------------------------------------------------------------
async def cmd_broadcast(message: Message, state: FSMContext) -> None:
    await state.set_state(Broadcast.content)
    await state.set_data({})
    await message.answer(tr("broadcast-ask"))


async def on_broadcast_content(message: Message, state: FSMContext) -> None:
    """Keep the content as HTML (the curator's bold and italics survive) and the file id of a photo or document."""
    media_kind, file_id = None, None
    if message.photo:
        media_kind, file_id = "photo", message.photo[-1].file_id
    elif message.document:
        media_kind, file_id = "document", message.document.file_id
    text = message.html_text if (message.text or message.caption) else ""
    limit = CAPTION_LIMIT if media_kind else TEXT_LIMIT
    if (not text and not media_kind) or len(text) > limit or (message.text or "").startswith("/"):
        await message.answer(tr("broadcast-bad"))
        return
    await state.update_data(text=text, media_kind=media_kind, file_id=file_id)
    await state.set_state(Broadcast.audience)
    await message.answer(tr("broadcast-pick-audience"), reply_markup=audience_keyboard())


def _audience_label(audience: str) -> str:
    kind, _, value = audience.partition(".")
    if kind == "form":
        return Form(value).label
    if kind == "club":
        return load_vocabulary().label(CLUBS, value) or value
    return tr(f"broadcast-audiences-{audience}") if audience in BROADCAST_AUDIENCES else audience


async def on_broadcast(
    query: CallbackQuery,
    callback_data: BroadcastCb,
    state: FSMContext,
    bot: Bot,
    clock: Clock,
    settings: Settings,
    participants: ParticipantRepo,
    informing: InformingRepo,
    outbox: Outbox,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    current = await state.get_state()
    data = await state.get_data()
    if current not in (Broadcast.audience.state, Broadcast.confirm.state) or (
        not data.get("text") and not data.get("file_id")
    ):
        callback_answer.text = tr("stale-button")
        return
    action = callback_data.a
    if action == "cancel":
        await state.clear()
        await show(query, tr("cancelled"))
    elif action == "forms":
        await show(query, tr("broadcast-pick-audience"), form_audience_keyboard())
    elif action == "clubs":
        clubs = [(o.id, o.label) for o in load_vocabulary().options(CLUBS)]
        await show(query, tr("broadcast-pick-audience"), club_audience_keyboard(clubs))
    elif action == "aud":
        try:
            label = _audience_label(callback_data.v)
        except ValueError:
            callback_answer.text = tr("stale-button")
            return
        chats = await participants.audience_chats(callback_data.v)
        if not chats:
            callback_answer.text = tr("broadcast-nobody")
            callback_answer.show_alert = True
            return
        await state.update_data(audience=callback_data.v)
        await state.set_state(Broadcast.confirm)
        await show(query, tr("broadcast-preview", count=len(chats), audience=label), edit=False)
        await _send_preview(bot, query.from_user.id, data)
        await show(query, tr("btn-broadcast-send") + "?", confirm_keyboard(), edit=False)
    elif action == "send" and current == Broadcast.confirm.state:
        chats = await participants.audience_chats(data["audience"])
        await state.clear()
        now = clock.now()
        goes_at = outbox.earliest(now)
        broadcast_id = await informing.create_broadcast(
            query.from_user.id,
            data["audience"],
            data.get("text"),
            data.get("media_kind"),
            data.get("file_id"),
            chats,
            goes_at,
            outbox=outbox,
        )
        outbox.wake()
        await audit.record(query.from_user.id, "broadcast.send", str(broadcast_id), {"audience": data["audience"]})
        text = tr("broadcast-queued", count=len(chats))
        if goes_at > now:
            text += tr("broadcast-quiet", when=format_moment(goes_at, settings.institution.tz))
        await show(query, text)
    else:
        callback_answer.text = tr("stale-button")


async def _send_preview(bot: Bot, chat_id: int, data: dict) -> None:
    """The message exactly as participants will get it (a reply to the curator's own action)."""
    if data.get("media_kind") == "photo":
        await bot.send_photo(chat_id, data["file_id"], caption=data.get("text") or None)
    elif data.get("media_kind") == "document":
        await bot.send_document(chat_id, data["file_id"], caption=data.get("text") or None)
    else:
        await bot.send_message(chat_id, data["text"])


def build_router() -> Router:
    router = Router(name="curator-informing")
    flags = {"callback_answer": {"pre": False}}
    router.message.register(cmd_materials, Command("materials"))
    router.message.register(cmd_broadcast, Command("broadcast"))
    router.callback_query.register(on_reply, AskCb.filter(F.a == "reply"), flags=flags)
    admin = MaterialCb.filter(F.a.in_({"add", "del", "delok", "adm", "aud"}))
    router.callback_query.register(on_material_admin, admin, flags=flags)
    router.callback_query.register(on_broadcast, BroadcastCb.filter(), flags=flags)
    router.message.register(on_answer_text, StateFilter(AnswerQuestion.text), HasText())
    router.message.register(on_material_file, StateFilter(AddMaterial.file))
    router.message.register(on_material_title, StateFilter(AddMaterial.title), HasText())
    router.message.register(on_broadcast_content, StateFilter(Broadcast.content))
    return router
