"""The participant's /menu (profile and answers, change an answer, withdraw consent, help) and the parent's
(the children they consented for, each child's mentor and next meeting, a question to the curator, withdrawal).

Every time a person sees here is on the institution's wall clock, «ДД.ММ.ГГГГ ЧЧ:ММ» (a date alone
«ДД.ММ.ГГГГ»); every text speaks to its reader (`Audience`)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock, parse_iso
from bot.consent import ConsentKind
from bot.i18n import Audience, esc, tr
from bot.meetings import StagePlan, stage_line, stage_of_next_meeting
from bot.pairs import Pair
from bot.participants import CATEGORY_LABELS, Participant
from bot.programme import INTAKE_BY_ROLE, Role, Status
from bot.questionnaires import Questionnaire, summary_rows
from bot.settings import Settings
from handlers import survey
from handlers.kb.menu import (
    ForgetCb,
    MenuCb,
    back_keyboard,
    forget_keyboard,
    menu_keyboard,
    parent_menu_keyboard,
    rematch_keyboard,
)
from handlers.kb.reports import curator_menu_keyboard
from handlers.notify import farewell, notify, notify_curators
from handlers.states import Forget
from handlers.ui import show
from storage.fsm import SQLiteStorage
from storage.matching import MatchingRepo
from storage.meetings import MeetingRepo
from storage.outbox import Outbox
from storage.participants import ConsentRecord, ParticipantRepo


def local_moment(moment: datetime | str, tz: tzinfo) -> str:
    """A moment as a person reads it: «01.12.2026 23:27» on the institution's wall clock."""
    value = parse_iso(moment) if isinstance(moment, str) else moment
    return f"{value.astimezone(tz):%d.%m.%Y %H:%M}"


def local_day(moment: datetime | str, tz: tzinfo) -> str:
    """A date alone: «02.12.2026» on the institution's wall clock."""
    value = parse_iso(moment) if isinstance(moment, str) else moment
    return f"{value.astimezone(tz):%d.%m.%Y}"


def consent_line(record: ConsentRecord | None, settings: Settings, audience: Audience = Audience.CURATOR) -> str:
    """«дано родителем 01.12.2026 23:27»: for the curator's card (the default) or the participant's profile."""
    if record is None:
        return tr("consent-none")
    at = local_moment(record.given_at, settings.institution.tz)
    if record.kind is ConsentKind.SELF:
        return tr("consent-given-self", at=at, audience=audience)
    return tr("consent-given-parent", at=at) if record.kind is ConsentKind.PARENT else tr("consent-given-paper", at=at)


def about_line(participant: Participant, audience: Audience) -> str:
    """What the programme means for the reader, in plain words (a pupil's, and a parent's about the child):
    the terms «наставляемый-обучающийся», «форма наставничества» stay in the curator's screens; an adult
    mentor reads the form they mentor in."""
    if participant.role is Role.MENTOR:
        return tr("menu-about-mentor", audience=audience, form=participant.form.label)
    return tr(f"menu-about-{participant.form.value}", audience=audience)


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
    audience = participant.audience
    status = participant.status
    text = tr("menu-title") + "\n" + about_line(participant, audience) + "\n"
    text += tr(f"menu-status-{status.value}", audience=audience)
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
            when = local_moment(upcoming.starts_at, settings.institution.tz)
            text += tr("menu-next-meeting", when=when, place=esc(upcoming.place))
        else:
            text += tr("menu-no-meeting")
    is_parent = bool(await participants.children_of(participant.telegram_id))
    markup = menu_keyboard(
        participant, started, has_pair=pair is not None, is_mentor=is_mentor and working, is_parent=is_parent
    )
    await show(target, text, markup, edit=edit)


async def reader_audience(user_id: int, settings: Settings, participants: ParticipantRepo) -> Audience:
    """How to speak to whoever wrote: the curator, a participant (pupil or adult), a parent, else «вы»."""
    if settings.is_curator(user_id):
        return Audience.CURATOR
    participant = await participants.by_telegram(user_id)
    if participant is not None:
        return participant.audience
    if await participants.children_of(user_id):
        return Audience.PARENT
    return Audience.ADULT


async def show_parent_menu(
    target: Message | CallbackQuery,
    children: list[Participant],
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    settings: Settings,
    *,
    preface: str = "",
    edit: bool = False,
) -> None:
    """The parent's menu: each child they consented for, the child's mentor (or mentees) and next meeting."""
    text = (preface + "\n\n" if preface else "") + tr("parent-menu-title")
    for child in children:
        text += await _child_block(child, participants, matching, meetings, settings)
    text += tr("parent-menu-footer")
    await show(target, text, parent_menu_keyboard(children, settings.institution.tz), edit=edit)


def child_label(child: Participant, settings: Settings) -> str:
    """The child's name, or before the questionnaire what tells the parent which child it is."""
    if child.name:
        return esc(child.name)
    return tr("parent-child-unnamed", joined=local_day(child.joined_at, settings.institution.tz))


async def _child_block(
    child: Participant,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    settings: Settings,
) -> str:
    tz = settings.institution.tz
    record = await participants.consent(child.id)
    given = record.given_at if record is not None else child.consent_at
    text = tr("parent-menu-child",
        child=child_label(child, settings),
        about=about_line(child, Audience.PARENT),
        at=local_moment(given, tz) if given else "—",
    )
    pair = await matching.pair_of(child.id) if child.has_consent else None
    if pair is None:
        if child.status is Status.SURVEY_DONE:
            return text + tr("parent-child-survey-done")
        return text + tr("parent-child-survey-pending")
    if child.role is Role.MENTOR:
        names = ", ".join(m.name for m in pair.mentees if m is not None)
        text += tr("parent-child-mentees", names=esc(names)) if names else tr("parent-child-survey-done")
    elif pair.mentor is not None:
        text += tr("parent-child-mentor", name=esc(pair.mentor.name))
    else:
        return text + tr("parent-child-mentor-pending")
    upcoming = await meetings.next_planned(pair.id)
    if upcoming is None:
        return text + tr("parent-child-no-meeting")
    return text + tr("parent-child-next-meeting", when=local_moment(upcoming.starts_at, tz), place=esc(upcoming.place))


async def cmd_menu(
    message: Message,
    state: FSMContext,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    settings: Settings,
    questionnaires: dict[str, Questionnaire],
) -> None:
    user_id = message.from_user.id  # type: ignore[union-attr]
    if settings.is_curator(user_id):
        await message.answer(tr("curator-menu"), reply_markup=curator_menu_keyboard())
        return
    participant = await participants.by_telegram(user_id)
    if participant is not None:
        await show_menu(message, state, participant, participants, matching, meetings, settings, questionnaires)
        return
    children = await participants.children_of(user_id)
    if children:
        await show_parent_menu(message, children, participants, matching, meetings, settings)
        return
    await message.answer(tr("not-a-participant"))


async def on_menu(
    query: CallbackQuery,
    callback_data: MenuCb,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    questionnaires: dict[str, Questionnaire],
    callback_answer: CallbackAnswer,
) -> None:
    action = callback_data.action
    participant = await participants.by_telegram(query.from_user.id)
    if participant is None or action.startswith("p_"):
        await _on_parent_menu(query, action, state, settings, participants, matching, meetings, callback_answer)
        return
    if action == "survey":
        await survey.begin(query, state, participant, questionnaires, participants, edit=False)
    elif action == "profile":
        await show(query, await _profile(participant, participants, settings, questionnaires), back_keyboard())
    elif action == "back":
        await show_menu(
            query, state, participant, participants, matching, meetings, settings, questionnaires, edit=True
        )
    elif action == "edit" and participant.has_consent:
        questionnaire = questionnaires[INTAKE_BY_ROLE[participant.role]]
        answers = await participants.answers(participant.id, questionnaire.id)
        data = survey.dialog_data(participant, questionnaire, answers)
        await survey.to_review(query, state, questionnaire, data, edit=False)
    elif action == "forget":
        await ask_forget(query, state, participant, matching)
    elif action == "help":
        await show(query, tr("help-participant", audience=participant.audience), edit=False)
    else:
        callback_answer.text = tr("stale-button")


async def _profile(
    participant: Participant,
    participants: ParticipantRepo,
    settings: Settings,
    questionnaires: dict[str, Questionnaire],
) -> str:
    questionnaire = questionnaires[INTAKE_BY_ROLE[participant.role]]
    answers = await participants.answers(participant.id, questionnaire.id)
    record = await participants.consent(participant.id)
    audience = participant.audience
    return tr("profile",
        about=about_line(participant, audience),
        joined=local_day(participant.joined_at, settings.institution.tz),
        consent=consent_line(record, settings, audience),
        answers=answers_block(questionnaire, answers),
    )


async def _on_parent_menu(
    query: CallbackQuery,
    action: str,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    callback_answer: CallbackAnswer,
) -> None:
    """The parent's buttons (and a participant's «Меню родителя»); anyone else's press is a stale button."""
    children = await participants.children_of(query.from_user.id)
    if not children:
        callback_answer.text = tr("not-a-participant")
        callback_answer.show_alert = True
        return
    if action in ("p_menu", "back"):
        await show_parent_menu(query, children, participants, matching, meetings, settings, edit=action == "back")
    elif action in ("p_forget", "forget"):
        await ask_forget_parent(query, state, children, settings)
    elif action in ("p_help", "help"):
        await show(query, tr("help-parent"), edit=False)
    else:
        callback_answer.text = tr("stale-button")


async def ask_forget(
    target: Message | CallbackQuery, state: FSMContext, participant: Participant, matching: MatchingRepo
) -> None:
    """The confirmation says what the withdrawal does to their pair: a mentor's mentees get a new mentor.
    Before any consent there is nothing to withdraw: it offers to leave the programme."""
    audience = participant.audience
    await state.set_state(Forget.confirm)
    if not participant.has_consent:
        await show(target, tr("forget-confirm-no-consent", audience=audience), forget_keyboard(), edit=False)
        return
    text = tr("forget-confirm", audience=audience)
    pair = await matching.pair_of(participant.id)
    if pair is not None and participant.role is Role.MENTOR:
        mentees = sum(1 for m in pair.mentees if m is not None)
        if mentees == 1:
            text += tr("forget-has-mentee", audience=audience)
        elif mentees > 1:
            text += tr("forget-has-mentees", n=mentees, audience=audience)
    elif pair is not None and pair.mentor is not None:
        text += tr("forget-has-mentor", audience=audience)
    await show(target, text, forget_keyboard(), edit=False)


async def ask_forget_parent(
    target: Message | CallbackQuery, state: FSMContext, children: list[Participant], settings: Settings
) -> None:
    await state.set_state(Forget.confirm)
    text = tr("forget-confirm-parent", n=len(children))
    await show(target, text, forget_keyboard(children, settings.institution.tz), edit=False)


async def cmd_forget(
    message: Message, state: FSMContext, settings: Settings, participants: ParticipantRepo, matching: MatchingRepo
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
    await ask_forget_parent(message, state, children, settings)


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
    if not callback_data.confirm:
        await state.clear()
        await show(query, tr("forget-kept"))
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
    had_consent = participant.has_consent
    pair = await matching.pair_of(participant.id) if had_consent else None
    reason = tr("reason-parent-withdrawal") if requested_by == "parent" else tr("reason-withdrawal")
    destruction = await participants.destroy(participant.id, requested_by=requested_by, reason=reason)
    if isinstance(state.storage, SQLiteStorage):
        await state.storage.forget_user(participant.telegram_id)
        for user_id in destruction.dialogs_dropped if destruction else ():
            await state.storage.forget_user(user_id)
    if requested_by == "parent":
        await show(query, tr("forget-done-parent"))
    elif had_consent:
        await show(query, tr("forget-done", audience=participant.audience))
    else:
        await show(query, tr("forget-left", audience=participant.audience))
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
            audience = person.audience if person is not None else Audience.ADULT
            await notify(outbox, mentee.telegram_id, tr("mentor-left", audience=audience))
        kind = tr("kind-group") if pair.is_group else tr("kind-pair")
        note = tr("curator-pair-no-mentor",
            kind=kind, pair=pair.id, form=pair.form.label, mentees=esc(names)
        )
        return note, [m.id for m in mentees]
    if after.mentor is None:
        return "", [m.id for m in mentees]
    mentor = esc(after.mentor.name)
    person = await participants.get(after.mentor.id)
    audience = person.audience if person is not None else Audience.ADULT
    if mentees:
        await notify(outbox, after.mentor.telegram_id, tr("mentee-left-group", audience=audience))
        note = tr("curator-group-mentee-left", pair=pair.id, form=pair.form.label, mentor=mentor)
    else:
        await notify(outbox, after.mentor.telegram_id, tr("mentee-left-pair", audience=audience))
        note = tr("curator-pair-no-mentee", pair=pair.id, form=pair.form.label, mentor=mentor)
    return note, [after.mentor.id]


def build_router() -> Router:
    router = Router(name="menu")
    router.message.register(cmd_menu, Command("menu"))
    router.message.register(cmd_forget, Command("forget"))
    router.callback_query.register(on_menu, MenuCb.filter())
    router.callback_query.register(on_forget, ForgetCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
