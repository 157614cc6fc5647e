"""Meetings of a pair or group: the mentor schedules, moves or cancels; mentees confirm or ask for another
time; after the meeting both sides check in; after the first one both say whether the pair suits them."""

from __future__ import annotations

from datetime import date, datetime

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock, iso, parse_iso
from bot.i18n import Audience, esc, quoted, tr
from bot.meetings import CheckinAnswer, Stage, StagePlan, checkins_disagree, stage_of_next_meeting
from bot.meetings.reminders import format_local
from bot.meetings.timeparse import (
    InvalidInput,
    combine_local,
    duration_words,
    format_date,
    parse_clock_time,
    validate_meeting_time,
)
from bot.pairs import Pair, member_who, pair_label, who
from bot.participants import Participant
from bot.settings import Settings
from handlers.filters import HasText
from handlers.kb.meetings import (
    CHECKIN_REASONS,
    CheckinCb,
    FitCb,
    ManageCb,
    ReplyCb,
    SetupCb,
    calendar_keyboard,
    fit_keyboard,
    invitation_keyboard,
    manage_keyboard,
    note_keyboard,
    place_keyboard,
    preview_keyboard,
    reason_keyboard,
    time_keyboard,
    topic_keyboard,
    usefulness_keyboard,
)
from handlers.notify import markup_json, notify, notify_curators
from handlers.states import MeetingReply, MeetingSetup
from handlers.ui import drop_keyboard, show
from storage.matching import MatchingRepo
from storage.meetings import Meeting, MeetingRepo
from storage.outbox import Outbox
from storage.participants import ParticipantRepo

TEXT_LIMIT = 200


def _plan(settings: Settings) -> StagePlan:
    return StagePlan(settings.schedule.work_meetings)


def _when(moment: datetime, settings: Settings) -> str:
    return format_local(moment, settings.institution.tz)


async def _me_and_pair(
    user_id: int, participants: ParticipantRepo, matching: MatchingRepo
) -> tuple[Participant | None, Pair | None]:
    me = await participants.by_telegram(user_id)
    if me is None or not me.has_consent:
        return me, None
    return me, await matching.pair_of(me.id)


def _is_mentor(me: Participant | None, pair: Pair | None) -> bool:
    return me is not None and pair is not None and pair.mentor is not None and pair.mentor.id == me.id


async def _audience(participants: ParticipantRepo, participant_id: int) -> Audience:
    """How to speak to someone of a pair («ты» to a pupil, «вы» to an adult)."""
    person = await participants.get(participant_id)
    return person.audience if person is not None else Audience.ADULT


def _dialog_audience(data: dict[str, object]) -> Audience:
    """The audience of the mentor in the scheduling dialog, kept in its data."""
    return Audience(str(data.get("aud") or Audience.ADULT))


def _place_label(value: str) -> str:
    return {"online": tr("btn-online"), "school": tr("btn-at-school")}.get(value, value)


# --- the mentor's scheduling dialog ---------------------------------------------------------------------------
async def begin_schedule(
    target: Message | CallbackQuery,
    state: FSMContext,
    settings: Settings,
    clock: Clock,
    pair: Pair,
    meetings: MeetingRepo,
    audience: Audience,
    *,
    move: Meeting | None = None,
) -> None:
    if move is not None:
        stage = move.stage
    else:
        position = stage_of_next_meeting(await meetings.held_stages(pair.id), _plan(settings))
        if position is None:
            await show(target, tr("meet-all-done"))
            return
        stage = position.stage
    today = clock.now().astimezone(settings.institution.tz).date()
    await state.set_state(MeetingSetup.date)
    await state.set_data({"pair": pair.id, "stage": stage.value, "move": move.id if move else 0, "aud": audience.value})
    await show(
        target,
        tr("meet-pick-date", audience=audience, stage=stage.label),
        calendar_keyboard(today.year, today.month, today),
        edit=False,
    )


async def on_setup(
    query: CallbackQuery,
    callback_data: SetupCb,
    state: FSMContext,
    settings: Settings,
    clock: Clock,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    outbox: Outbox,
    callback_answer: CallbackAnswer,
) -> None:
    action = callback_data.a
    current = await state.get_state()
    data = await state.get_data()
    today = clock.now().astimezone(settings.institution.tz).date()
    if action == "new":
        me, pair = await _me_and_pair(query.from_user.id, participants, matching)
        if me is None or pair is None:
            callback_answer.text = tr("meet-no-pair", audience=me.audience if me else Audience.ADULT)
        elif not _is_mentor(me, pair):
            callback_answer.text = tr("meet-not-mentor")
        else:
            await begin_schedule(query, state, settings, clock, pair, meetings, me.audience)
        return
    if action == "noop":
        return
    if current is None or not current.startswith("MeetingSetup:") or "pair" not in data:
        callback_answer.text = tr("stale-button")
        return
    audience = _dialog_audience(data)
    if action == "abort":
        await state.clear()
        await show(query, tr("cancelled"))
    elif action == "back":
        await _step_back(query, state, current, data, today, callback_answer)
    elif action == "cal" and current == MeetingSetup.date.state:
        try:
            markup = calendar_keyboard(callback_data.y, callback_data.m, today)
        except ValueError:
            callback_answer.text = tr("stale-button")
            return
        await show(query, tr("meet-pick-date", audience=audience, stage=Stage(data["stage"]).label), markup)
    elif action == "day" and current == MeetingSetup.date.state:
        try:
            day = date(callback_data.y, callback_data.m, callback_data.d)
        except ValueError:
            callback_answer.text = tr("stale-button")
            return
        if day < today:
            callback_answer.text = tr("stale-button")
            return
        await state.set_state(MeetingSetup.time)
        await state.update_data(date=day.isoformat())
        await show(query, tr("meet-pick-time", audience=audience, date=format_date(day)), time_keyboard())
    elif action == "time" and current == MeetingSetup.time.state:
        await _take_time(query, state, settings, clock, callback_data.v, meetings)
    elif action == "place" and current == MeetingSetup.place.state:
        await _take_place(query, state, settings, _place_label(callback_data.v))
    elif action == "skip" and current == MeetingSetup.topic.state:
        await _preview(query, state, settings, None)
    elif action == "send" and current == MeetingSetup.confirm.state:
        await _send(query, state, settings, participants, matching, meetings, outbox, callback_answer)
    else:
        callback_answer.text = tr("stale-button")


async def _step_back(
    query: CallbackQuery,
    state: FSMContext,
    current: str,
    data: dict[str, object],
    today: date,
    callback_answer: CallbackAnswer,
) -> None:
    """«Назад» in the scheduling dialog: from the time to the date, from the place to the time, from the
    topic to the place, from the preview to the topic (to the time when a meeting is moved: its place and
    topic stay); the answers given so far stay."""
    audience = _dialog_audience(data)
    if current == MeetingSetup.confirm.state and not data.get("move"):
        await state.set_state(MeetingSetup.topic)
        await show(query, tr("meet-ask-topic", audience=audience), topic_keyboard())
    elif current == MeetingSetup.time.state:
        day = date.fromisoformat(str(data["date"]))
        await state.set_state(MeetingSetup.date)
        text = tr("meet-pick-date", audience=audience, stage=Stage(str(data["stage"])).label)
        await show(query, text, calendar_keyboard(day.year, day.month, today))
    elif current in (MeetingSetup.place.state, MeetingSetup.confirm.state):
        await state.set_state(MeetingSetup.time)
        day = date.fromisoformat(str(data["date"]))
        await show(query, tr("meet-pick-time", audience=audience, date=format_date(day)), time_keyboard())
    elif current == MeetingSetup.topic.state:
        await state.set_state(MeetingSetup.place)
        await show(query, tr("meet-pick-place", audience=audience), place_keyboard())
    else:
        callback_answer.text = tr("stale-button")


async def _take_time(
    target: Message | CallbackQuery,
    state: FSMContext,
    settings: Settings,
    clock: Clock,
    typed: str,
    meetings: MeetingRepo,
) -> None:
    data = await state.get_data()
    try:
        at = parse_clock_time(typed if ":" in typed or not typed.isdigit() else f"{typed[:-2]}:{typed[-2:]}")
        moment = combine_local(date.fromisoformat(data["date"]), at, settings.institution.tz)
        validate_meeting_time(moment, clock.now(), settings.institution.tz)
    except InvalidInput as exc:
        await show(target, esc(exc.text(_dialog_audience(data))), time_keyboard(), edit=False)
        return
    await state.update_data(starts_at=iso(moment))
    if data.get("move"):
        meeting = await meetings.get(int(data["move"]))
        await state.update_data(place=meeting.place if meeting else "", topic=meeting.topic if meeting else None)
        await _preview(target, state, settings, meeting.topic if meeting else None, keep_topic=True)
        return
    await state.set_state(MeetingSetup.place)
    await show(target, tr("meet-pick-place", audience=_dialog_audience(data)), place_keyboard(), edit=False)


async def _take_place(target: Message | CallbackQuery, state: FSMContext, settings: Settings, place: str) -> None:
    data = await state.update_data(place=place)
    await state.set_state(MeetingSetup.topic)
    await show(target, tr("meet-ask-topic", audience=_dialog_audience(data)), topic_keyboard(), edit=False)


async def _preview(
    target: Message | CallbackQuery,
    state: FSMContext,
    settings: Settings,
    topic: str | None,
    *,
    keep_topic: bool = False,
) -> None:
    data = await state.get_data()
    if not keep_topic:
        data = await state.update_data(topic=topic)
    await state.set_state(MeetingSetup.confirm)
    text = tr("meet-preview",
        stage=Stage(data["stage"]).label,
        when=_when(parse_iso(data["starts_at"]), settings),
        place=esc(data["place"]),
        topic=esc(data.get("topic") or tr("meet-topic-none")),
    )
    await show(target, text, preview_keyboard(), edit=False)


async def _send(
    query: CallbackQuery,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    outbox: Outbox,
    callback_answer: CallbackAnswer,
) -> None:
    data = await state.get_data()
    pair = await matching.pair(int(data["pair"]))
    if pair is None or pair.dissolved_at is not None:
        await state.clear()
        callback_answer.text = tr("stale-button")
        return
    starts_at = parse_iso(data["starts_at"])
    await state.clear()
    await drop_keyboard(query)
    mentor = pair.mentor.name if pair.mentor else ""
    if data.get("move"):
        meeting = await meetings.get(int(data["move"]))
        if meeting is None or not await meetings.reschedule(meeting.id, starts_at):
            callback_answer.text = tr("stale-button")
            return
        notice = tr(
            "meet-moved-notice", stage=meeting.stage.label, when=_when(starts_at, settings), place=esc(meeting.place)
        )
        for mentee in pair.mentees:
            if mentee is not None:
                await notify(outbox, mentee.telegram_id, notice, invitation_keyboard(meeting.id))
        await show(
            query, tr("meet-moved", when=_when(starts_at, settings)), manage_keyboard(meeting.id), edit=False
        )
        return
    meeting = await meetings.create(pair.id, Stage(data["stage"]), starts_at, data["place"], data.get("topic"))
    for mentee in pair.mentees:
        if mentee is not None:
            invitation = tr(
                "meet-invite",
                audience=await _audience(participants, mentee.id),
                stage=meeting.stage.label,
                mentor=esc(mentor),
                when=_when(starts_at, settings),
                place=esc(meeting.place),
                topic=esc(meeting.topic or tr("meet-topic-none")),
            )
            about = [pair.mentor.id] if pair.mentor else []
            await notify(outbox, mentee.telegram_id, invitation, invitation_keyboard(meeting.id), about=about)
    offsets = ", ".join(duration_words(o) for o in settings.schedule.reminder_offsets) or "—"
    await show(query, tr("meet-created", offsets=offsets), manage_keyboard(meeting.id), edit=False)


async def on_setup_text(
    message: Message,
    state: FSMContext,
    settings: Settings,
    clock: Clock,
    meetings: MeetingRepo,
) -> None:
    current = await state.get_state()
    text = " ".join((message.text or "").split())
    audience = _dialog_audience(await state.get_data())
    if current == MeetingSetup.time.state:
        await _take_time(message, state, settings, clock, text, meetings)
    elif current == MeetingSetup.place.state:
        if not 2 <= len(text) <= TEXT_LIMIT:
            await message.answer(tr("meet-bad-text", audience=audience))
            return
        await _take_place(message, state, settings, text)
    elif current == MeetingSetup.topic.state:
        if not 1 <= len(text) <= TEXT_LIMIT:
            await message.answer(tr("meet-bad-topic", audience=audience))
            return
        await _preview(message, state, settings, text)
    else:
        await message.answer(tr("press-a-button"))


# --- mentees' answers to an invitation; the mentor's move / cancel ------------------------------------------------
async def on_reply(
    query: CallbackQuery,
    callback_data: ReplyCb,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    outbox: Outbox,
    callback_answer: CallbackAnswer,
) -> None:
    me, pair = await _me_and_pair(query.from_user.id, participants, matching)
    meeting = await meetings.get(callback_data.id)
    if me is None or pair is None or meeting is None or meeting.pair_id != pair.id or meeting.status != "planned":
        callback_answer.text = tr("stale-button")
        return
    when = _when(meeting.starts_at, settings)
    if callback_data.a == "acc":
        await meetings.respond(meeting.id, me.id, "accepted")
        await show(query, tr("meet-accepted", when=when))
        if pair.mentor is not None:
            name = esc(me.shown_name())
            notice = tr("meet-accepted-mentor", name=name, when=when)
            await notify(outbox, pair.mentor.telegram_id, notice, about=[me.id])
    else:
        await meetings.respond(meeting.id, me.id, "other_time")
        await state.set_state(MeetingReply.other_time)
        await state.set_data({"meeting": meeting.id, "aud": me.audience.value})
        await show(query, tr("meet-ask-other-time", audience=me.audience), edit=False)


async def on_other_time_text(
    message: Message,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    outbox: Outbox,
) -> None:
    text = " ".join((message.text or "").split())
    data = await state.get_data()
    if not 1 <= len(text) <= TEXT_LIMIT:
        await message.answer(tr("meet-bad-other-time", audience=_dialog_audience(data)))
        return
    await state.clear()
    me, pair = await _me_and_pair(message.from_user.id, participants, matching)  # type: ignore[union-attr]
    meeting = await meetings.get(int(data.get("meeting", 0)))
    if me is None or pair is None or pair.mentor is None or meeting is None:
        await message.answer(tr("stale-button"))
        return
    when = _when(meeting.starts_at, settings)
    forwarded = tr("meet-other-time-mentor", name=esc(me.shown_name()), when=when, text=esc(quoted(text)))
    await notify(outbox, pair.mentor.telegram_id, forwarded, manage_keyboard(meeting.id), about=[me.id])
    await message.answer(tr("meet-other-time-sent"))


async def on_manage(
    query: CallbackQuery,
    callback_data: ManageCb,
    state: FSMContext,
    settings: Settings,
    clock: Clock,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    outbox: Outbox,
    callback_answer: CallbackAnswer,
) -> None:
    me, pair = await _me_and_pair(query.from_user.id, participants, matching)
    if me is None or pair is None:
        callback_answer.text = tr("meet-no-pair", audience=me.audience if me else Audience.ADULT)
        return
    if callback_data.a == "list":
        await show(query, _meeting_list(await meetings.for_pair(pair.id), settings), edit=False)
        return
    meeting = await meetings.get(callback_data.id)
    if me is None or not _is_mentor(me, pair) or meeting is None or meeting.pair_id != pair.id:
        callback_answer.text = tr("meet-not-mentor") if meeting else tr("stale-button")
        return
    if callback_data.a == "move" and meeting.status in ("planned", "not_held"):
        await begin_schedule(query, state, settings, clock, pair, meetings, me.audience, move=meeting)
    elif callback_data.a == "cancel" and meeting.status == "planned":
        await meetings.set_status(meeting.id, "cancelled")
        notice = tr("meet-cancelled-notice", stage=meeting.stage.label, when=_when(meeting.starts_at, settings))
        for mentee in pair.mentees:
            if mentee is not None:
                await notify(outbox, mentee.telegram_id, notice)
        await show(query, tr("meet-cancelled"))
    else:
        callback_answer.text = tr("stale-button")


def _meeting_list(items: list[Meeting], settings: Settings) -> str:
    if not items:
        return tr("meet-none")
    lines = "".join(
        tr(
            "meet-list-line",
            when=_when(m.starts_at, settings),
            stage=m.stage.label,
            status=tr(f"meet-status-{m.status}"),
        )
        for m in items[-15:]
    )
    return tr("meet-list", lines=lines)


# --- after the meeting ---------------------------------------------------------------------------------------
async def on_checkin(
    query: CallbackQuery,
    callback_data: CheckinCb,
    state: FSMContext,
    settings: Settings,
    clock: Clock,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    outbox: Outbox,
    callback_answer: CallbackAnswer,
) -> None:
    me, pair = await _me_and_pair(query.from_user.id, participants, matching)
    meeting = await meetings.get(callback_data.id)
    if me is None or pair is None or meeting is None or meeting.pair_id != pair.id:
        callback_answer.text = tr("stale-button")
        return
    if meeting.status == "cancelled":
        callback_answer.text = tr("stale-button")
        return
    action = callback_data.a
    if action == "held":
        await meetings.save_checkin(meeting.id, me.id, CheckinAnswer.HELD)
        await show(query, tr("checkin-useful"), usefulness_keyboard(meeting.id))
        await settle(meeting, pair, settings, participants, meetings, outbox)
    elif action == "use" and callback_data.v in {"1", "2", "3", "4", "5"}:
        await meetings.save_checkin(meeting.id, me.id, CheckinAnswer.HELD, usefulness=int(callback_data.v))
        await state.set_state(MeetingReply.note)
        await state.set_data({"meeting": meeting.id, "aud": me.audience.value})
        await show(query, tr("checkin-what", audience=me.audience), note_keyboard(meeting.id))
    elif action == "skip":
        await state.clear()
        await show(query, tr("checkin-thanks"))
    elif action == "moved":
        await meetings.save_checkin(meeting.id, me.id, CheckinAnswer.MOVED)
        await settle(meeting, pair, settings, participants, meetings, outbox)
        if _is_mentor(me, pair):
            await show(query, tr("checkin-moved-mentor", audience=me.audience))
            await begin_schedule(query, state, settings, clock, pair, meetings, me.audience, move=meeting)
        else:
            await show(query, tr("checkin-moved-mentee"))
    elif action == "not":
        await show(query, tr("checkin-why"), reason_keyboard(meeting.id))
    elif action == "why" and callback_data.v in CHECKIN_REASONS:
        reason = tr(f"checkin-reasons-{callback_data.v}")
        await meetings.save_checkin(meeting.id, me.id, CheckinAnswer.NOT_HELD, note=reason)
        await show(query, tr("checkin-thanks"))
        await settle(meeting, pair, settings, participants, meetings, outbox)
    else:
        callback_answer.text = tr("stale-button")


async def on_note_text(
    message: Message, state: FSMContext, participants: ParticipantRepo, meetings: MeetingRepo
) -> None:
    text = " ".join((message.text or "").split())
    data = await state.get_data()
    if not 1 <= len(text) <= 500:
        await message.answer(tr("checkin-bad-note", audience=_dialog_audience(data)))
        return
    await state.clear()
    me = await participants.by_telegram(message.from_user.id)  # type: ignore[union-attr]
    meeting = await meetings.get(int(data.get("meeting", 0)))
    if me is not None and meeting is not None:
        await meetings.save_checkin(meeting.id, me.id, CheckinAnswer.HELD, note=text)
    await message.answer(tr("checkin-thanks"))


async def settle(
    meeting: Meeting,
    pair: Pair,
    settings: Settings,
    participants: ParticipantRepo,
    meetings: MeetingRepo,
    outbox: Outbox,
) -> None:
    """Decide the meeting's status from the check-ins; flag disagreement; ask about the pair after the first."""
    answers = {pid: c.answer for pid, c in (await meetings.checkins(meeting.id)).items()}
    if checkins_disagree(answers):
        alert = _disagreement(meeting, pair, answers, settings)
        for curator_id in settings.curator_ids():
            await outbox.enqueue(
                curator_id,
                alert,
                kind="alert",
                dedup_key=f"disagree:{meeting.id}:{iso(meeting.starts_at)}:{curator_id}",
                about=[p.id for p in pair.people],
            )
    mentor_answer = answers.get(pair.mentor.id) if pair.mentor else None
    mentee_answers = [answers.get(m.id) for m in pair.mentees if m is not None]
    decided = mentor_answer
    if decided is None and mentee_answers and all(a is CheckinAnswer.HELD for a in mentee_answers):
        decided = CheckinAnswer.HELD
    if decided is CheckinAnswer.HELD and await meetings.set_status(meeting.id, "held"):
        if meeting.stage is Stage.INTRO:
            for person in pair.people:
                await outbox.enqueue(
                    person.telegram_id,
                    tr("fit-ask", audience=await _audience(participants, person.id)),
                    reply_markup=markup_json(fit_keyboard(pair.id)),
                    kind="fit",
                    dedup_key=f"fit:{pair.id}:{person.id}",
                )
    elif decided is CheckinAnswer.NOT_HELD:
        await meetings.set_status(meeting.id, "not_held")


def _disagreement(meeting: Meeting, pair: Pair, answers: dict[int, CheckinAnswer], settings: Settings) -> str:
    """Who in the pair answered what about the meeting (and who has not answered yet)."""
    lines = "".join(
        tr("checkin-disagree-line",
            who=member_who(pair, person, with_pair=False),
            answer=answers[person.id].label if person.id in answers else tr("checkin-not-answered"),
        )
        for person in pair.people
    )
    return tr(
        "checkin-disagree",
        stage=meeting.stage.label,
        when=_when(meeting.starts_at, settings),
        pair=pair_label(pair),
        answers=lines,
    )


def _fit_answers(pair: Pair, fits: dict[int, str]) -> str:
    return "".join(
        tr("checkin-disagree-line",
            who=member_who(pair, person, with_pair=False),
            answer=tr(f"fit-labels-{fits[person.id]}") if person.id in fits else tr("checkin-not-answered"),
        )
        for person in pair.people
    )


async def on_fit(
    query: CallbackQuery,
    callback_data: FitCb,
    settings: Settings,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    outbox: Outbox,
    callback_answer: CallbackAnswer,
) -> None:
    me, pair = await _me_and_pair(query.from_user.id, participants, matching)
    if me is None or pair is None or pair.id != callback_data.pair or callback_data.v not in ("yes", "unsure", "no"):
        callback_answer.text = tr("stale-button")
        return
    await meetings.set_fit(pair.id, me.id, callback_data.v)
    await show(query, tr("fit-thanks"))
    if callback_data.v == "no":
        alert = tr("fit-alert",
            who=who(me.shown_name(), me.role, pair), answers=_fit_answers(pair, await meetings.fits(pair.id))
        )
        await notify_curators(outbox, settings, alert, kind="alert", about=[p.id for p in pair.people])


def build_router() -> Router:
    router = Router(name="meetings")
    flags = {"callback_answer": {"pre": False}}
    router.callback_query.register(on_setup, SetupCb.filter(), flags=flags)
    router.callback_query.register(on_reply, ReplyCb.filter(), flags=flags)
    router.callback_query.register(on_manage, ManageCb.filter(), flags=flags)
    router.callback_query.register(on_checkin, CheckinCb.filter(), flags=flags)
    router.callback_query.register(on_fit, FitCb.filter(), flags=flags)
    router.message.register(
        on_setup_text, StateFilter(MeetingSetup.time, MeetingSetup.place, MeetingSetup.topic), HasText()
    )
    router.message.register(on_other_time_text, StateFilter(MeetingReply.other_time), HasText())
    router.message.register(on_note_text, StateFilter(MeetingReply.note), HasText())
    return router
