"""The group meeting of candidates (announce, mark attendance) and the preference survey (roadmap 4.4)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock, parse_iso
from bot.i18n import Audience, esc, tr
from bot.meetings.timeparse import InvalidInput, format_moment
from bot.meetings.when import parse_when
from bot.pairs import Candidate
from bot.programme import Form
from bot.settings import Settings
from handlers.curator.matching import ask_form
from handlers.filters import HasText
from handlers.kb.matching import (
    FormCb,
    MeetingCb,
    RoundCb,
    meeting_keyboard,
    meeting_preview_keyboard,
    paged,
    pref_start_keyboard,
    round_source_keyboard,
    round_status_keyboard,
)
from handlers.notify import notify
from handlers.states import GroupMeetingSetup
from handlers.ui import show
from scheduler.notices import audience_of
from storage.audit import AuditLog
from storage.matching import MatchingRepo
from storage.outbox import Outbox
from storage.participants import ParticipantRepo


def _when(moment_iso: str, settings: Settings) -> str:
    return format_moment(parse_iso(moment_iso), settings.institution.tz)


async def cmd_groupmeeting(message: Message, matching: MatchingRepo) -> None:
    await ask_form(message, matching, "gm")


async def cmd_preferences(message: Message, matching: MatchingRepo) -> None:
    await ask_form(message, matching, "pf")


async def on_form(
    query: CallbackQuery,
    callback_data: FormCb,
    state: FSMContext,
    settings: Settings,
    matching: MatchingRepo,
    callback_answer: CallbackAnswer,
) -> None:
    form = Form.parse(callback_data.f)
    if form is None:
        callback_answer.text = tr("stale-button")
        return
    if callback_data.flow == "gm":
        meeting = await matching.latest_meeting(form)
        if meeting is None:
            await ask_when(query, state, form)
            return
        await show_meeting(query, settings, matching, form)
    elif callback_data.flow == "pf":
        current = await matching.open_round_for(form)
        if current is None:
            await show(query, tr("pref-pick-source", form=form.label), round_source_keyboard(form.value))
            return
        await show_round(query, matching, form)
    elif callback_data.flow == "pfnew":
        await show(query, tr("pref-pick-source", form=form.label), round_source_keyboard(form.value))


async def ask_when(target: Message | CallbackQuery, state: FSMContext, form: Form) -> None:
    await state.set_state(GroupMeetingSetup.when)
    await state.set_data({"form": form.value})
    await show(target, tr("gm-ask-when", form=form.label))


async def show_meeting(target: Message | CallbackQuery, settings: Settings, matching: MatchingRepo, form: Form) -> None:
    meeting = await matching.latest_meeting(form)
    assert meeting is not None
    candidates = await matching.candidates(form)
    present = await matching.attendees(meeting.id)
    text = tr("gm-exists",
        form=form.label,
        when=_when(meeting.starts_at.isoformat(), settings),
        place=esc(meeting.place),
        present=len(present & {c.id for c in candidates}),
        total=len(candidates),
    )
    await show(target, text, meeting_keyboard(form.value))


async def on_when(message: Message, state: FSMContext, settings: Settings, clock: Clock) -> None:
    try:
        moment = parse_when(message.text or "", clock.now(), settings.institution.tz)
    except InvalidInput as exc:
        await message.answer(esc(exc.user_text))
        return
    await state.update_data(when=moment.isoformat())
    await state.set_state(GroupMeetingSetup.place)
    await message.answer(tr("gm-ask-place"))


async def on_place(message: Message, state: FSMContext, settings: Settings, participants: ParticipantRepo) -> None:
    place = " ".join((message.text or "").split())
    if not 2 <= len(place) <= 200:
        await message.answer(tr("gm-ask-place"))
        return
    data = await state.update_data(place=place)
    form = Form(data["form"])
    await state.set_state(GroupMeetingSetup.confirm)
    count = len(await participants.consented_chats(form))
    text = tr("gm-preview",
        form=form.label, when=_when(data["when"], settings), place=esc(place), count=count
    )
    await message.answer(text, reply_markup=meeting_preview_keyboard(form.value))


async def on_meeting(
    query: CallbackQuery,
    callback_data: MeetingCb,
    state: FSMContext,
    settings: Settings,
    matching: MatchingRepo,
    participants: ParticipantRepo,
    outbox: Outbox,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    form = Form.parse(callback_data.f)
    if form is None:
        callback_answer.text = tr("stale-button")
        return
    action = callback_data.a
    if action == "new":
        await ask_when(query, state, form)
    elif action == "cancel":
        await state.clear()
        await show(query, tr("cancelled"))
    elif action == "send":
        data = await state.get_data()
        if await state.get_state() != GroupMeetingSetup.confirm.state or data.get("form") != form.value:
            callback_answer.text = tr("stale-button")
            return
        await state.clear()
        meeting = await matching.create_meeting(form, parse_iso(data["when"]), data["place"], query.from_user.id)
        chats = await participants.consented_chats(form)
        when, place = _when(data["when"], settings), esc(data["place"])
        for chat_id in chats:
            person = await participants.by_telegram(chat_id)
            audience = person.audience if person else Audience.ADULT
            await notify(outbox, chat_id, tr("gm-announce", when=when, place=place, audience=audience))
        await audit.record(query.from_user.id, "group_meeting.announce", str(meeting.id), {"form": form.value})
        await show(query, tr("gm-sent", count=len(chats)))
    elif action in ("att", "tog", "done", "back"):
        meeting = await matching.latest_meeting(form)
        if meeting is None:
            callback_answer.text = tr("stale-button")
            return
        if action == "back":  # every mark is saved as it is pressed: nothing to keep or undo
            await show_meeting(query, settings, matching, form)
            return
        candidates = await matching.candidates(form)
        if action == "done":
            await show(query, await attendance_summary(matching, meeting.id, candidates))
            return
        if action == "tog" and callback_data.pid in {c.id for c in candidates}:
            await matching.toggle_attendance(meeting.id, callback_data.pid)
        await show_attendance(query, matching, form, meeting.id, candidates, callback_data.p)


async def show_attendance(
    query: CallbackQuery, matching: MatchingRepo, form: Form, meeting_id: int, candidates: list[Candidate], page: int
) -> None:
    present = await matching.attendees(meeting_id)
    items = [
        (("✅ " if c.id in present else "") + c.name, MeetingCb(a="tog", f=form.value, pid=c.id, p=page))
        for c in candidates
    ]
    text = tr("gm-attendance", present=len(present & {c.id for c in candidates}), total=len(candidates))
    tail = [(tr("btn-done"), MeetingCb(a="done", f=form.value)), (tr("btn-back"), MeetingCb(a="back", f=form.value))]
    markup = paged(items, page, lambda p: MeetingCb(a="att", f=form.value, p=p), tail)
    await show(query, text, markup)


async def attendance_summary(matching: MatchingRepo, meeting_id: int, candidates: list[Candidate]) -> str:
    """Who was marked at the meeting and who was not, by name (the screen closes on it)."""
    present = await matching.attendees(meeting_id)
    came = [c.name for c in candidates if c.id in present]
    missed = [c.name for c in candidates if c.id not in present]
    return tr("gm-attendance-done",
        present=len(came),
        total=len(candidates),
        came=esc(", ".join(came) or "—"),
        missed=esc(", ".join(missed) or "—"),
    )


async def show_round(target: Message | CallbackQuery, matching: MatchingRepo, form: Form) -> None:
    current = await matching.open_round_for(form)
    assert current is not None
    pool = await matching.round_pool(current)
    answered = await matching.submitted(current.id)
    missing = [c.name for c in pool if c.id not in answered]
    text = tr("pref-status",
        form=form.label,
        answered=len(pool) - len(missing),
        total=len(pool),
        missing=esc(", ".join(missing[:30]) or "—"),
    )
    await show(target, text, round_status_keyboard(form.value))


async def on_round(
    query: CallbackQuery,
    callback_data: RoundCb,
    matching: MatchingRepo,
    participants: ParticipantRepo,
    outbox: Outbox,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    form = Form.parse(callback_data.f)
    if form is None:
        callback_answer.text = tr("stale-button")
        return
    action = callback_data.a
    if action in ("att", "all"):
        meeting = await matching.latest_meeting(form)
        from_attendees = action == "att"
        if from_attendees and (meeting is None or not await matching.attendees(meeting.id)):
            callback_answer.text = tr("pref-no-attendees")
            callback_answer.show_alert = True
            return
        current = await matching.open_round(form, meeting.id if meeting else None, from_attendees)
        pool = await matching.round_pool(current)
        for person in pool:
            picks = person.picks_allowed
            invite = tr("pref-invite", audience=await audience_of(participants, person.id), n=picks)
            await notify(outbox, person.telegram_id, invite, pref_start_keyboard(current.id))
        await audit.record(query.from_user.id, "preferences.open", str(current.id), {"form": form.value})
        await show(query, tr("pref-opened", count=len(pool)))
        return
    current = await matching.open_round_for(form)
    if current is None:
        callback_answer.text = tr("stale-button")
        return
    if action == "remind":
        pool = await matching.round_pool(current)
        answered = await matching.submitted(current.id)
        missing = [c for c in pool if c.id not in answered]
        for person in missing:
            reminder = tr("pref-reminder", audience=await audience_of(participants, person.id))
            await notify(outbox, person.telegram_id, reminder, pref_start_keyboard(current.id))
        callback_answer.text = tr("pref-reminded", count=len(missing))
        await show_round(query, matching, form)
    elif action == "close":
        await matching.close_round(current.id)
        await show(query, tr("pref-closed"))


def build_router() -> Router:
    router = Router(name="curator-grouping")
    router.message.register(cmd_groupmeeting, Command("groupmeeting"))
    router.message.register(cmd_preferences, Command("preferences"))
    router.message.register(on_when, StateFilter(GroupMeetingSetup.when), HasText())
    router.message.register(on_place, StateFilter(GroupMeetingSetup.place), HasText())
    router.callback_query.register(
        on_form, FormCb.filter(F.flow.in_({"gm", "pf", "pfnew"})), flags={"callback_answer": {"pre": False}}
    )
    router.callback_query.register(on_meeting, MeetingCb.filter(), flags={"callback_answer": {"pre": False}})
    router.callback_query.register(on_round, RoundCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
