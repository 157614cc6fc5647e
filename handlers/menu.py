"""The participant's /menu: profile and answers, change an answer, withdraw consent (/forget), help."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot import texts
from bot.meetings import StagePlan, stage_line, stage_of_next_meeting
from bot.meetings.reminders import format_local
from bot.participants import CATEGORY_LABELS, Participant
from bot.programme import INTAKE_BY_ROLE
from bot.questionnaires import Questionnaire, summary_rows
from bot.settings import Settings
from handlers import survey
from handlers.kb.menu import ForgetCb, MenuCb, forget_keyboard, menu_keyboard
from handlers.kb.reports import curator_menu_keyboard
from handlers.notify import notify_curators
from handlers.states import Forget
from handlers.ui import show
from storage.fsm import SQLiteStorage
from storage.matching import MatchingRepo
from storage.meetings import MeetingRepo
from storage.outbox import Outbox
from storage.participants import ConsentRecord, ParticipantRepo


def consent_line(record: ConsentRecord | None, settings: Settings) -> str:
    if record is None:
        return texts.CONSENT_NONE
    at = record.given_at[:16].replace("T", " ")
    template = {
        "self": texts.CONSENT_GIVEN_SELF,
        "parent": texts.CONSENT_GIVEN_PARENT,
        "paper": texts.CONSENT_GIVEN_PAPER,
    }[record.kind.value]
    return template.format(at=at + " UTC")


def answers_block(questionnaire: Questionnaire, answers: dict) -> str:
    if not answers:
        return texts.PROFILE_NO_ANSWERS
    rows = summary_rows(questionnaire, answers, include_personal=True)
    lines = []
    for caption, value in rows:
        shown = value if len(value) <= 180 else value[:179] + "…"
        lines.append(f"<b>{texts.esc(caption)}</b>: {texts.esc(shown)}")
    return "\n".join(lines)[:3500]


async def show_menu(
    target: Message | CallbackQuery,
    state: FSMContext,
    participant: Participant,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    settings: Settings,
    questionnaires: dict[str, Questionnaire],
    *,
    edit: bool = False,
) -> None:
    started = False
    if participant.has_consent and participant.survey_done_at is None:
        questionnaire = questionnaires[INTAKE_BY_ROLE[participant.role]]
        started = bool(await participants.answers(participant.id, questionnaire.id))
    text = texts.MENU_HEADER.format(
        role=participant.role.label, form=participant.form.label, status=participant.status.label
    )
    pair = await matching.pair_of(participant.id) if participant.has_consent else None
    is_mentor = pair is not None and pair.mentor is not None and pair.mentor.id == participant.id
    if pair is not None and not is_mentor and pair.mentor is not None:
        text += texts.MENU_MY_MENTOR.format(name=texts.esc(pair.mentor.name))
    elif pair is not None:
        names = ", ".join(m.name for m in pair.mentees if m is not None) or "—"
        text += texts.MENU_MY_MENTEES.format(names=texts.esc(names))
    if pair is not None:
        position = stage_of_next_meeting(
            await meetings.held_stages(pair.id), StagePlan(settings.schedule.work_meetings)
        )
        text += texts.MENU_STAGE.format(stage=stage_line(position))
        upcoming = await meetings.next_planned(pair.id)
        if upcoming is not None:
            when = format_local(upcoming.starts_at, settings.institution.tz)
            text += texts.MENU_NEXT_MEETING.format(when=when, place=texts.esc(upcoming.place))
        else:
            text += texts.MENU_NO_MEETING
    markup = menu_keyboard(participant, started, has_pair=pair is not None, is_mentor=is_mentor)
    await show(target, text, markup, edit=edit)


async def cmd_menu(
    message: Message,
    state: FSMContext,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    settings: Settings,
    questionnaires: dict[str, Questionnaire],
) -> None:
    if settings.is_curator(message.from_user.id):  # type: ignore[union-attr]
        await message.answer(texts.CURATOR_MENU, reply_markup=curator_menu_keyboard())
        return
    participant = await participants.by_telegram(message.from_user.id)  # type: ignore[union-attr]
    if participant is None:
        await message.answer(texts.NOT_A_PARTICIPANT)
        return
    await show_menu(message, state, participant, participants, matching, meetings, settings, questionnaires)


async def on_menu(
    query: CallbackQuery,
    callback_data: MenuCb,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
    participants: ParticipantRepo,
    questionnaires: dict[str, Questionnaire],
    callback_answer: CallbackAnswer,
) -> None:
    participant = await participants.by_telegram(query.from_user.id)
    if participant is None:
        callback_answer.text = texts.NOT_A_PARTICIPANT
        callback_answer.show_alert = True
        return
    action = callback_data.action
    if action == "survey":
        await survey.begin(query, state, participant, questionnaires, participants, edit=False)
    elif action == "profile":
        questionnaire = questionnaires[INTAKE_BY_ROLE[participant.role]]
        answers = await participants.answers(participant.id, questionnaire.id)
        record = await participants.consent(participant.id)
        text = texts.PROFILE.format(
            role=participant.role.label,
            form=participant.form.label,
            consent=consent_line(record, settings),
            answers=answers_block(questionnaire, answers),
        )
        await show(query, text, edit=False)
    elif action == "edit" and participant.has_consent:
        questionnaire = questionnaires[INTAKE_BY_ROLE[participant.role]]
        answers = await participants.answers(participant.id, questionnaire.id)
        data = {"pid": participant.id, "qn": questionnaire.id, "q": None, "sel": [], "ans": answers, "review": False}
        await survey.to_review(query, state, questionnaire, data, edit=False)
    elif action == "forget":
        await ask_forget(query, state)
    elif action == "help":
        await show(query, texts.HELP_PARTICIPANT, edit=False)
    else:
        callback_answer.text = texts.STALE_BUTTON


async def ask_forget(target: Message | CallbackQuery, state: FSMContext) -> None:
    await state.set_state(Forget.confirm)
    await show(target, texts.FORGET_CONFIRM, forget_keyboard(), edit=False)


async def cmd_forget(message: Message, state: FSMContext, participants: ParticipantRepo) -> None:
    user_id = message.from_user.id  # type: ignore[union-attr]
    if await participants.by_telegram(user_id) is not None:
        await ask_forget(message, state)
        return
    children = await participants.children_of(user_id)
    if not children:
        await message.answer(texts.FORGET_NOTHING)
        return
    await state.set_state(Forget.confirm)
    await message.answer(texts.FORGET_CONFIRM_PARENT, reply_markup=forget_keyboard(children))


async def on_forget(
    query: CallbackQuery,
    callback_data: ForgetCb,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    outbox: Outbox,
    callback_answer: CallbackAnswer,
) -> None:
    if await state.get_state() != Forget.confirm.state:
        callback_answer.text = texts.STALE_BUTTON
        return
    requested_by = "participant"
    if callback_data.pid:
        children = await participants.children_of(query.from_user.id)
        participant = next((c for c in children if c.id == callback_data.pid), None)
        requested_by = "parent"
    else:
        participant = await participants.by_telegram(query.from_user.id)
    if participant is None:
        callback_answer.text = texts.FORGET_NOTHING
        await show(query, texts.FORGET_NOTHING)
        return
    if not callback_data.confirm:
        await state.clear()
        await show(query, texts.FORGET_KEPT)
        return
    reason = texts.REASON_PARENT_WITHDRAWAL if requested_by == "parent" else texts.REASON_WITHDRAWAL
    destruction = await participants.destroy(participant.id, requested_by=requested_by, reason=reason)
    if isinstance(state.storage, SQLiteStorage):
        await state.storage.forget_user(participant.telegram_id)
    await state.clear()
    await show(query, texts.FORGET_DONE_PARENT if requested_by == "parent" else texts.FORGET_DONE)
    if destruction is not None:
        categories = ", ".join(f"{CATEGORY_LABELS.get(k, k)}: {v}" for k, v in destruction.categories.items() if v)
        await notify_curators(
            outbox,
            settings,
            texts.CURATOR_WITHDRAWAL.format(
                pseudonym=destruction.pseudonym, role=participant.role.label, categories=texts.esc(categories)
            ),
        )


def build_router() -> Router:
    router = Router(name="menu")
    router.message.register(cmd_menu, Command("menu"))
    router.message.register(cmd_forget, Command("forget"))
    router.callback_query.register(on_menu, MenuCb.filter())
    router.callback_query.register(on_forget, ForgetCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
