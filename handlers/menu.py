"""The participant's /menu: profile and answers, change an answer, withdraw consent (/forget), help."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock
from bot.i18n import esc, tr
from bot.meetings import StagePlan, stage_line, stage_of_next_meeting
from bot.meetings.reminders import format_local
from bot.pairs import Pair
from bot.participants import CATEGORY_LABELS, Participant
from bot.programme import INTAKE_BY_ROLE, Role
from bot.questionnaires import Questionnaire, summary_rows
from bot.settings import Settings
from handlers import survey
from handlers.kb.menu import ForgetCb, MenuCb, forget_keyboard, menu_keyboard, rematch_keyboard
from handlers.kb.reports import curator_menu_keyboard
from handlers.notify import farewell, notify, notify_curators
from handlers.states import Forget
from handlers.ui import show
from storage.fsm import SQLiteStorage
from storage.matching import MatchingRepo
from storage.meetings import MeetingRepo
from storage.outbox import Outbox
from storage.participants import ConsentRecord, ParticipantRepo


def consent_line(record: ConsentRecord | None, settings: Settings) -> str:
    if record is None:
        return tr("consent-none")
    at = record.given_at[:16].replace("T", " ")
    msg_id = {
        "self": "consent-given-self",
        "parent": "consent-given-parent",
        "paper": "consent-given-paper",
    }[record.kind.value]
    return tr(msg_id, at=at + " UTC")


def answers_block(questionnaire: Questionnaire, answers: dict) -> str:
    if not answers:
        return tr("profile-no-answers")
    rows = summary_rows(questionnaire, answers, include_personal=True)
    lines = []
    for caption, value in rows:
        shown = value if len(value) <= 180 else value[:179] + "…"
        lines.append(f"<b>{esc(caption)}</b>: {esc(shown)}")
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
    text = tr("menu-header",
        role=participant.role.label, form=participant.form.label, status=participant.status.label
    )
    pair = await matching.pair_of(participant.id) if participant.has_consent else None
    # The role decides the side: a pair whose mentor withdrew has no mentor, and its mentee is not one.
    is_mentor = pair is not None and participant.role is Role.MENTOR
    working = pair is not None and pair.mentor is not None and any(m is not None for m in pair.mentees)
    if pair is not None and not is_mentor:
        if pair.mentor is not None:
            text += tr("menu-my-mentor", name=esc(pair.mentor.name))
        else:
            text += tr("menu-mentor-pending")
    elif pair is not None:
        names = ", ".join(m.name for m in pair.mentees if m is not None)
        text += tr("menu-my-mentees", names=esc(names)) if names else tr("menu-mentees-pending")
    if pair is not None and working:
        position = stage_of_next_meeting(
            await meetings.held_stages(pair.id), StagePlan(settings.schedule.work_meetings)
        )
        text += tr("menu-stage", stage=stage_line(position))
        upcoming = await meetings.next_planned(pair.id)
        if upcoming is not None:
            when = format_local(upcoming.starts_at, settings.institution.tz)
            text += tr("menu-next-meeting", when=when, place=esc(upcoming.place))
        else:
            text += tr("menu-no-meeting")
    markup = menu_keyboard(participant, started, has_pair=pair is not None, is_mentor=is_mentor and working)
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
        await message.answer(tr("curator-menu"), reply_markup=curator_menu_keyboard())
        return
    participant = await participants.by_telegram(message.from_user.id)  # type: ignore[union-attr]
    if participant is None:
        await message.answer(tr("not-a-participant"))
        return
    await show_menu(message, state, participant, participants, matching, meetings, settings, questionnaires)


async def on_menu(
    query: CallbackQuery,
    callback_data: MenuCb,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    questionnaires: dict[str, Questionnaire],
    callback_answer: CallbackAnswer,
) -> None:
    participant = await participants.by_telegram(query.from_user.id)
    if participant is None:
        callback_answer.text = tr("not-a-participant")
        callback_answer.show_alert = True
        return
    action = callback_data.action
    if action == "survey":
        await survey.begin(query, state, participant, questionnaires, participants, edit=False)
    elif action == "profile":
        questionnaire = questionnaires[INTAKE_BY_ROLE[participant.role]]
        answers = await participants.answers(participant.id, questionnaire.id)
        record = await participants.consent(participant.id)
        text = tr("profile",
            role=participant.role.label,
            form=participant.form.label,
            consent=consent_line(record, settings),
            answers=answers_block(questionnaire, answers),
        )
        await show(query, text, edit=False)
    elif action == "edit" and participant.has_consent:
        questionnaire = questionnaires[INTAKE_BY_ROLE[participant.role]]
        answers = await participants.answers(participant.id, questionnaire.id)
        data = survey.dialog_data(participant, questionnaire, answers)
        await survey.to_review(query, state, questionnaire, data, edit=False)
    elif action == "forget":
        await ask_forget(query, state, participant, matching)
    elif action == "help":
        await show(query, tr("help-participant"), edit=False)
    else:
        callback_answer.text = tr("stale-button")


async def ask_forget(
    target: Message | CallbackQuery, state: FSMContext, participant: Participant, matching: MatchingRepo
) -> None:
    """The confirmation says what the withdrawal does to their pair: a mentor's mentees get a new mentor."""
    text = tr("forget-confirm")
    pair = await matching.pair_of(participant.id) if participant.has_consent else None
    if pair is not None and participant.role is Role.MENTOR:
        mentees = sum(1 for m in pair.mentees if m is not None)
        if mentees == 1:
            text += tr("forget-has-mentee")
        elif mentees > 1:
            text += tr("forget-has-mentees", n=mentees)
    elif pair is not None and pair.mentor is not None:
        text += tr("forget-has-mentor")
    await state.set_state(Forget.confirm)
    await show(target, text, forget_keyboard(), edit=False)


async def cmd_forget(
    message: Message, state: FSMContext, participants: ParticipantRepo, matching: MatchingRepo
) -> None:
    user_id = message.from_user.id  # type: ignore[union-attr]
    participant = await participants.by_telegram(user_id)
    if participant is not None:
        await ask_forget(message, state, participant, matching)
        return
    children = await participants.children_of(user_id)
    if not children:
        await message.answer(tr("forget-nothing"))
        return
    await state.set_state(Forget.confirm)
    await message.answer(tr("forget-confirm-parent"), reply_markup=forget_keyboard(children))


async def on_forget(
    query: CallbackQuery,
    callback_data: ForgetCb,
    state: FSMContext,
    bot: Bot,
    clock: Clock,
    settings: Settings,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    outbox: Outbox,
    callback_answer: CallbackAnswer,
) -> None:
    if await state.get_state() != Forget.confirm.state:
        callback_answer.text = tr("stale-button")
        return
    requested_by = "participant"
    if callback_data.pid:
        children = await participants.children_of(query.from_user.id)
        participant = next((c for c in children if c.id == callback_data.pid), None)
        requested_by = "parent"
    else:
        participant = await participants.by_telegram(query.from_user.id)
    if participant is None:
        callback_answer.text = tr("forget-nothing")
        await show(query, tr("forget-nothing"))
        return
    # The dialog goes first: the withdrawal scrubs the file afterwards, so nothing of it may be written later.
    await state.clear()
    if not callback_data.confirm:
        await show(query, tr("forget-kept"))
        return
    pair = await matching.pair_of(participant.id) if participant.has_consent else None
    reason = tr("reason-parent-withdrawal") if requested_by == "parent" else tr("reason-withdrawal")
    destruction = await participants.destroy(participant.id, requested_by=requested_by, reason=reason)
    if isinstance(state.storage, SQLiteStorage):
        await state.storage.forget_user(participant.telegram_id)
        for user_id in destruction.dialogs_dropped if destruction else ():
            await state.storage.forget_user(user_id)
    await show(query, tr("forget-done-parent") if requested_by == "parent" else tr("forget-done"))
    if destruction is None:
        return
    if requested_by == "parent":
        await farewell(bot, outbox, clock, participant.telegram_id, tr("child-data-withdrawn"))
    note, about = await tell_partners(pair, participant, participants, matching, outbox)
    categories = ", ".join(f"{CATEGORY_LABELS.get(k, k)}: {v}" for k, v in destruction.categories.items() if v)
    text = tr("curator-withdrawal",
        pseudonym=destruction.pseudonym, role=participant.role.label, categories=esc(categories)
    )
    markup = rematch_keyboard(pair.form) if pair is not None and note else None
    await notify_curators(outbox, settings, text + note, markup=markup, about=about)


async def tell_partners(
    pair: Pair | None,
    leaver: Participant,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    outbox: Outbox,
) -> tuple[str, list[int]]:
    """Tell the others of a pair or group, in plain words and without the leaver's name, that one of them
    left; returns the curator's line about the pair and the participants it names."""
    if pair is None or pair.dissolved_at is not None:
        return "", []
    after = await matching.pair(pair.id)
    if after is None:
        return "", []
    mentees = [m for m in after.mentees if m is not None]
    names = ", ".join(m.name for m in mentees) or "—"
    if pair.mentor is not None and pair.mentor.id == leaver.id:
        for mentee in mentees:
            person = await participants.get(mentee.id)
            child = person is not None and person.is_adult is False
            notice = tr("mentor-left-child") if child else tr("mentor-left-adult")
            await notify(outbox, mentee.telegram_id, notice)
        kind = tr("kind-group") if pair.is_group else tr("kind-pair")
        note = tr("curator-pair-no-mentor",
            kind=kind, pair=pair.id, form=pair.form.label, mentees=esc(names)
        )
        return note, [m.id for m in mentees]
    if after.mentor is None:
        return "", [m.id for m in mentees]
    mentor = esc(after.mentor.name)
    if mentees:
        await notify(outbox, after.mentor.telegram_id, tr("mentee-left-group"))
        note = tr("curator-group-mentee-left", pair=pair.id, form=pair.form.label, mentor=mentor)
    else:
        await notify(outbox, after.mentor.telegram_id, tr("mentee-left-pair"))
        note = tr("curator-pair-no-mentee", pair=pair.id, form=pair.form.label, mentor=mentor)
    return note, [after.mentor.id]


def build_router() -> Router:
    router = Router(name="menu")
    router.message.register(cmd_menu, Command("menu"))
    router.message.register(cmd_forget, Command("forget"))
    router.callback_query.register(on_menu, MenuCb.filter())
    router.callback_query.register(on_forget, ForgetCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
