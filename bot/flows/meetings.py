"""Meetings of a pair or group: the pair's list of meetings, the mentor's scheduling dialog (a new meeting or a
moved one), the mentees' answers to an invitation, the mentor's move and cancel, the check-in after a meeting
(the buttons under the scheduler's notice: held / moved / not held, usefulness, reason, note) and, after the
first meeting, whether the pair suits each side.

Each press or text is one action (`bot.flows.act`): the meeting rows, the dialog state and the notices to the
other side of the pair (`Notify`, through the outbox) commit together. The dialogs are `MeetingSetup` (the
mentor's) and `MeetingReply` (a mentee's other time, anyone's note after a meeting); their state names are
aiogram's (`handlers.states`), so the Telegram adapter's state filters and this flow share one state.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from bot.clock import iso, parse_iso
from bot.flows.act import curators
from bot.flows.context import Ctx
from bot.flows.effects import Effect, Notify, Show, Toast
from bot.flows.events import CommandIn, Event, Person, PressIn, TextIn
from bot.flows.notices import CheckinCb, Rows
from bot.flows.payloads import (
    FitPayload,
    MeetingManagePayload,
    MeetingReplyPayload,
    MeetingSetupPayload,
    Payload,
    PayloadError,
)
from bot.flows.ports import MeetingRecord, Repos
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Keyboard, Screen
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
from bot.pairs import Member, Pair, member_who, pair_label, who
from bot.participants import Participant

P = TypeVar("P", bound=Payload)

TEXT_LIMIT = 200
NOTE_LIMIT = 500
TIME_SLOTS = ("15:00", "16:00", "16:30", "17:00", "18:00", "19:00")
CHECKIN_REASONS: tuple[str, ...] = ("ill", "busy", "forgot", "other")
FITS = ("yes", "unsure", "no")


class SetupStep:
    """The states of the mentor's scheduling dialog (handlers.states.MeetingSetup)."""

    GROUP = "MeetingSetup"
    DATE = "MeetingSetup:date"
    TIME = "MeetingSetup:time"
    PLACE = "MeetingSetup:place"
    TOPIC = "MeetingSetup:topic"
    CONFIRM = "MeetingSetup:confirm"


class ReplyStep:
    """A mentee's other time and anyone's note after a meeting (handlers.states.MeetingReply)."""

    GROUP = "MeetingReply"
    OTHER_TIME = "MeetingReply:other_time"
    NOTE = "MeetingReply:note"


# --- the keyboards -----------------------------------------------------------------------------------------------
def calendar_rows(year: int, month: int, today: date) -> Rows:
    """A month's days from today on (earlier days are dots), the months around it, «Отмена»."""
    kb = Keyboard()
    noop = MeetingSetupPayload(a="noop")
    kb.add(tr("cal-month", month=month, year=year), noop)
    for name in tr("cal-weekdays").split():
        kb.add(name, noop)
    weeks = calendar.Calendar().monthdayscalendar(year, month)
    for week in weeks:
        for day in week:
            if day == 0:
                kb.add("\u2800", noop)
            elif date(year, month, day) < today:
                kb.add("·", noop)
            else:
                kb.add(str(day), MeetingSetupPayload(a="day", y=year, m=month, d=day))
    prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    nav = 1
    if (prev_y, prev_m) >= (today.year, today.month):
        kb.add("‹", MeetingSetupPayload(a="cal", y=prev_y, m=prev_m))
        nav += 1
    kb.add("›", MeetingSetupPayload(a="cal", y=next_y, m=next_m))
    kb.add(tr("btn-meet-cancel"), MeetingSetupPayload(a="abort"))
    return kb.adjust(1, 7, *([7] * len(weeks)), nav, 1).rows()


def _back_and_cancel(kb: Keyboard) -> Keyboard:
    """«Назад» (one step of the dialog back) and «Отмена» (the whole dialog), side by side."""
    kb.add(tr("btn-meet-back"), MeetingSetupPayload(a="back"))
    return kb.add(tr("btn-meet-cancel"), MeetingSetupPayload(a="abort"))


def time_rows() -> Rows:
    kb = Keyboard()
    for slot in TIME_SLOTS:
        kb.add(slot, MeetingSetupPayload(a="time", v=slot.replace(":", "")))
    return _back_and_cancel(kb).adjust(3, 3, 2).rows()


def place_rows() -> Rows:
    kb = Keyboard()
    kb.add(tr("btn-online"), MeetingSetupPayload(a="place", v="online"))
    kb.add(tr("btn-at-school"), MeetingSetupPayload(a="place", v="school"))
    return _back_and_cancel(kb).adjust(2, 2).rows()


def topic_rows() -> Rows:
    kb = Keyboard().add(tr("btn-skip"), MeetingSetupPayload(a="skip"))
    return _back_and_cancel(kb).adjust(1, 2).rows()


def preview_rows() -> Rows:
    kb = Keyboard().add(tr("btn-send-invite"), MeetingSetupPayload(a="send"))
    return _back_and_cancel(kb).adjust(1, 2).rows()


def invitation_rows(meeting_id: int) -> Rows:
    kb = Keyboard()
    kb.add(tr("btn-accept"), MeetingReplyPayload(a="acc", id=meeting_id))
    kb.add(tr("btn-other-time"), MeetingReplyPayload(a="oth", id=meeting_id))
    return kb.adjust(1).rows()


def manage_rows(meeting_id: int) -> Rows:
    kb = Keyboard()
    kb.add(tr("btn-move-meeting"), MeetingManagePayload(a="move", id=meeting_id))
    kb.add(tr("btn-cancel-meeting"), MeetingManagePayload(a="cancel", id=meeting_id))
    return kb.adjust(2).rows()


def usefulness_rows(meeting_id: int) -> Rows:
    kb = Keyboard()
    for value in range(1, 6):
        kb.add(str(value), CheckinCb(a="use", id=meeting_id, v=str(value)))
    return kb.adjust(5).rows()


def note_rows(meeting_id: int) -> Rows:
    return Keyboard().add(tr("btn-skip"), CheckinCb(a="skip", id=meeting_id)).rows()


def reason_rows(meeting_id: int) -> Rows:
    kb = Keyboard()
    for key in CHECKIN_REASONS:
        kb.add(tr(f"checkin-reasons-{key}"), CheckinCb(a="why", id=meeting_id, v=key))
    return kb.adjust(2).rows()


def fit_rows(pair_id: int) -> Rows:
    kb = Keyboard()
    for value in FITS:
        kb.add(tr(f"btn-fit-{value}"), FitPayload(pair=pair_id, v=value))
    return kb.adjust(1).rows()


# --- who acts and who hears ----------------------------------------------------------------------------------------
def _plan(repos: Repos) -> StagePlan:
    return StagePlan(repos.settings.schedule.work_meetings)


def _when(moment: datetime, repos: Repos) -> str:
    return format_local(moment, repos.settings.institution.tz)


def _today(repos: Repos) -> date:
    return repos.clock.now().astimezone(repos.settings.institution.tz).date()


async def _me_and_pair(ctx: Ctx) -> tuple[Participant | None, Pair | None]:
    me = await ctx.repos.participants.by_account(ctx.person.messenger, ctx.person.account_id)
    if me is None or not me.has_consent:
        return me, None
    return me, await ctx.repos.matching.pair_of(me.id)


def _is_mentor(me: Participant | None, pair: Pair | None) -> bool:
    return me is not None and pair is not None and pair.mentor is not None and pair.mentor.id == me.id


@dataclass(frozen=True)
class _Reader:
    """Someone of a pair as a notice reaches them: on their messenger, in their voice («ты» to a pupil)."""

    person: Person
    audience: Audience


async def _reader(repos: Repos, member: Member) -> _Reader:
    found = await repos.participants.get(member.id)
    if found is None:
        return _Reader(member.person, Audience.ADULT)
    return _Reader(found.person, found.audience)


def _dialog_audience(data: dict[str, Any]) -> Audience:
    """The audience of the person in a meeting dialog, kept in its data."""
    return Audience(str(data.get("aud") or Audience.ADULT))


def _place_label(value: str) -> str:
    return {"online": tr("btn-online"), "school": tr("btn-at-school")}.get(value, value)


def _unpack(kind: type[P], event: Event) -> P | None:
    assert isinstance(event, PressIn)
    try:
        return kind.unpack(event.payload)
    except PayloadError:
        return None


STALE: list[Effect] = [Toast(tr("stale-button"))]


# --- the mentor's scheduling dialog -------------------------------------------------------------------------------
async def begin_schedule(
    ctx: Ctx, pair: Pair, audience: Audience, *, move: MeetingRecord | None = None
) -> list[Effect]:
    """The first step of the scheduling dialog: the calendar (for the next stage, or for a meeting moved)."""
    if move is not None:
        stage = move.stage
    else:
        position = stage_of_next_meeting(await ctx.repos.meetings.held_stages(pair.id), _plan(ctx.repos))
        if position is None:
            return [Show(Screen(tr("meet-all-done")))]
        stage = position.stage
    today = _today(ctx.repos)
    await ctx.dialog.set_state(SetupStep.DATE)
    await ctx.dialog.set_data(
        {"pair": pair.id, "stage": stage.value, "move": move.id if move else 0, "aud": audience.value}
    )
    text = tr("meet-pick-date", audience=audience, stage=stage.label)
    return [Show(Screen(text, calendar_rows(today.year, today.month, today)), edit=False)]


async def on_setup(ctx: Ctx, event: Event) -> list[Effect]:
    """A button of the scheduling dialog (or «Назначить встречу» of the menu, `ms:new`)."""
    payload = _unpack(MeetingSetupPayload, event)
    if payload is None:
        return STALE
    action = payload.a
    if action == "new":
        me, pair = await _me_and_pair(ctx)
        if me is None or pair is None:
            return [Toast(tr("meet-no-pair", audience=me.audience if me else Audience.ADULT))]
        if not _is_mentor(me, pair):
            return [Toast(tr("meet-not-mentor"))]
        return await begin_schedule(ctx, pair, me.audience)
    if action == "noop":
        return []
    current = await ctx.dialog.get_state()
    data = await ctx.dialog.get_data()
    if current is None or not current.startswith(SetupStep.GROUP + ":") or "pair" not in data:
        return STALE
    return await _setup_step(ctx, payload, current, data)


async def _setup_step(ctx: Ctx, payload: MeetingSetupPayload, current: str, data: dict[str, Any]) -> list[Effect]:
    action, audience, today = payload.a, _dialog_audience(data), _today(ctx.repos)
    if action == "abort":
        await ctx.dialog.clear()
        return [Show(Screen(tr("cancelled")))]
    if action == "back":
        return await _step_back(ctx, current, data, today)
    if action == "cal" and current == SetupStep.DATE:
        try:
            rows = calendar_rows(payload.y, payload.m, today)
        except ValueError:
            return STALE
        return [Show(Screen(tr("meet-pick-date", audience=audience, stage=Stage(data["stage"]).label), rows))]
    if action == "day" and current == SetupStep.DATE:
        try:
            day = date(payload.y, payload.m, payload.d)
        except ValueError:
            return STALE
        if day < today:
            return STALE
        await ctx.dialog.set_state(SetupStep.TIME)
        await ctx.dialog.update_data(date=day.isoformat())
        return [Show(Screen(tr("meet-pick-time", audience=audience, date=format_date(day)), time_rows()))]
    if action == "time" and current == SetupStep.TIME:
        return await _take_time(ctx, payload.v)
    if action == "place" and current == SetupStep.PLACE:
        return await _take_place(ctx, _place_label(payload.v))
    if action == "skip" and current == SetupStep.TOPIC:
        return await _preview(ctx, None)
    if action == "send" and current == SetupStep.CONFIRM:
        return await _send(ctx)
    return STALE


async def _step_back(ctx: Ctx, current: str, data: dict[str, Any], today: date) -> list[Effect]:
    """«Назад»: from the time to the date, from the place to the time, from the topic to the place, from the
    preview to the topic (to the time when a meeting is moved: its place and topic stay); the answers stay."""
    audience = _dialog_audience(data)
    if current == SetupStep.CONFIRM and not data.get("move"):
        await ctx.dialog.set_state(SetupStep.TOPIC)
        return [Show(Screen(tr("meet-ask-topic", audience=audience), topic_rows()))]
    if current == SetupStep.TIME:
        day = date.fromisoformat(str(data["date"]))
        await ctx.dialog.set_state(SetupStep.DATE)
        text = tr("meet-pick-date", audience=audience, stage=Stage(str(data["stage"])).label)
        return [Show(Screen(text, calendar_rows(day.year, day.month, today)))]
    if current in (SetupStep.PLACE, SetupStep.CONFIRM):
        await ctx.dialog.set_state(SetupStep.TIME)
        day = date.fromisoformat(str(data["date"]))
        return [Show(Screen(tr("meet-pick-time", audience=audience, date=format_date(day)), time_rows()))]
    if current == SetupStep.TOPIC:
        await ctx.dialog.set_state(SetupStep.PLACE)
        return [Show(Screen(tr("meet-pick-place", audience=audience), place_rows()))]
    return STALE


async def _take_time(ctx: Ctx, typed: str) -> list[Effect]:
    data = await ctx.dialog.get_data()
    tz = ctx.repos.settings.institution.tz
    try:
        at = parse_clock_time(typed if ":" in typed or not typed.isdigit() else f"{typed[:-2]}:{typed[-2:]}")
        moment = combine_local(date.fromisoformat(data["date"]), at, tz)
        validate_meeting_time(moment, ctx.repos.clock.now(), tz)
    except InvalidInput as exc:
        return [Show(Screen(esc(exc.text(_dialog_audience(data))), time_rows()), edit=False)]
    await ctx.dialog.update_data(starts_at=iso(moment))
    if data.get("move"):
        meeting = await ctx.repos.meetings.get(int(data["move"]))
        topic = meeting.topic if meeting else None
        await ctx.dialog.update_data(place=meeting.place if meeting else "", topic=topic)
        return await _preview(ctx, topic, keep_topic=True)
    await ctx.dialog.set_state(SetupStep.PLACE)
    return [Show(Screen(tr("meet-pick-place", audience=_dialog_audience(data)), place_rows()), edit=False)]


async def _take_place(ctx: Ctx, place: str) -> list[Effect]:
    data = await ctx.dialog.update_data(place=place)
    await ctx.dialog.set_state(SetupStep.TOPIC)
    return [Show(Screen(tr("meet-ask-topic", audience=_dialog_audience(data)), topic_rows()), edit=False)]


def _preview_text(data: dict[str, Any], repos: Repos) -> str:
    return tr(
        "meet-preview",
        stage=Stage(data["stage"]).label,
        when=_when(parse_iso(data["starts_at"]), repos),
        place=esc(data["place"]),
        topic=esc(data.get("topic") or tr("meet-topic-none")),
    )


async def _preview(ctx: Ctx, topic: str | None, *, keep_topic: bool = False) -> list[Effect]:
    data = await ctx.dialog.get_data()
    if not keep_topic:
        data = await ctx.dialog.update_data(topic=topic)
    await ctx.dialog.set_state(SetupStep.CONFIRM)
    return [Show(Screen(_preview_text(data, ctx.repos), preview_rows()), edit=False)]


async def _send(ctx: Ctx) -> list[Effect]:
    """«Отправить приглашение»: the meeting is made (or moved) and the mentees are told, in one action; the
    preview loses its buttons."""
    data = await ctx.dialog.get_data()
    pair = await ctx.repos.matching.pair(int(data["pair"]))
    if pair is None or pair.dissolved_at is not None:
        await ctx.dialog.clear()
        return STALE
    starts_at = parse_iso(data["starts_at"])
    await ctx.dialog.clear()
    closed: list[Effect] = [Show(Screen(_preview_text(data, ctx.repos)))]
    if data.get("move"):
        return await _send_moved(ctx, pair, int(data["move"]), starts_at, closed)
    meetings = ctx.repos.meetings
    meeting = await meetings.create(pair.id, Stage(data["stage"]), starts_at, data["place"], data.get("topic"))
    mentor = pair.mentor.name if pair.mentor else ""
    about = (pair.mentor.id,) if pair.mentor else ()
    effects: list[Effect] = list(closed)
    for mentee in pair.mentees:
        if mentee is None:
            continue
        reader = await _reader(ctx.repos, mentee)
        invitation = tr(
            "meet-invite",
            audience=reader.audience,
            stage=meeting.stage.label,
            mentor=esc(mentor),
            when=_when(starts_at, ctx.repos),
            place=esc(meeting.place),
            topic=esc(meeting.topic or tr("meet-topic-none")),
        )
        effects.append(Notify(reader.person, Screen(invitation, invitation_rows(meeting.id)), about=about))
    offsets = ", ".join(duration_words(o) for o in ctx.repos.settings.schedule.reminder_offsets) or "—"
    effects.append(Show(Screen(tr("meet-created", offsets=offsets), manage_rows(meeting.id)), edit=False))
    return effects


async def _send_moved(ctx: Ctx, pair: Pair, meeting_id: int, starts_at: datetime, closed: list[Effect]) -> list[Effect]:
    meeting = await ctx.repos.meetings.get(meeting_id)
    if meeting is None or not await ctx.repos.meetings.reschedule(meeting.id, starts_at):
        return [*closed, *STALE]
    when = _when(starts_at, ctx.repos)
    notice = tr("meet-moved-notice", stage=meeting.stage.label, when=when, place=esc(meeting.place))
    effects = list(closed)
    for mentee in pair.mentees:
        if mentee is not None:
            reader = await _reader(ctx.repos, mentee)
            effects.append(Notify(reader.person, Screen(notice, invitation_rows(meeting.id))))
    effects.append(Show(Screen(tr("meet-moved", when=when), manage_rows(meeting.id)), edit=False))
    return effects


async def _setup_text(ctx: Ctx, text: str, current: str | None) -> list[Effect]:
    audience = _dialog_audience(await ctx.dialog.get_data())
    if current == SetupStep.TIME:
        return await _take_time(ctx, text)
    if current == SetupStep.PLACE:
        if not 2 <= len(text) <= TEXT_LIMIT:
            return [Show(Screen(tr("meet-bad-text", audience=audience)), edit=False)]
        return await _take_place(ctx, text)
    if current == SetupStep.TOPIC:
        if not 1 <= len(text) <= TEXT_LIMIT:
            return [Show(Screen(tr("meet-bad-topic", audience=audience)), edit=False)]
        return await _preview(ctx, text)
    return [Show(Screen(tr("press-a-button")), edit=False)]


# --- mentees' answers to an invitation; the mentor's list, move and cancel ----------------------------------------
async def on_reply(ctx: Ctx, event: Event) -> list[Effect]:
    payload = _unpack(MeetingReplyPayload, event)
    me, pair = await _me_and_pair(ctx)
    meeting = await ctx.repos.meetings.get(payload.id) if payload is not None else None
    if payload is None or me is None or pair is None or meeting is None:
        return STALE
    if meeting.pair_id != pair.id or meeting.status != "planned":
        return STALE
    when = _when(meeting.starts_at, ctx.repos)
    if payload.a == "acc":
        await ctx.repos.meetings.respond(meeting.id, me.id, "accepted")
        effects: list[Effect] = [Show(Screen(tr("meet-accepted", when=when)))]
        if pair.mentor is not None:
            reader = await _reader(ctx.repos, pair.mentor)
            notice = tr("meet-accepted-mentor", name=esc(me.shown_name()), when=when)
            effects.append(Notify(reader.person, Screen(notice), about=(me.id,)))
        return effects
    await ctx.repos.meetings.respond(meeting.id, me.id, "other_time")
    await ctx.dialog.set_state(ReplyStep.OTHER_TIME)
    await ctx.dialog.set_data({"meeting": meeting.id, "aud": me.audience.value})
    return [Show(Screen(tr("meet-ask-other-time", audience=me.audience)), edit=False)]


async def _other_time_text(ctx: Ctx, text: str) -> list[Effect]:
    data = await ctx.dialog.get_data()
    if not 1 <= len(text) <= TEXT_LIMIT:
        return [Show(Screen(tr("meet-bad-other-time", audience=_dialog_audience(data))), edit=False)]
    await ctx.dialog.clear()
    me, pair = await _me_and_pair(ctx)
    meeting = await ctx.repos.meetings.get(int(data.get("meeting", 0)))
    if me is None or pair is None or pair.mentor is None or meeting is None:
        return [Show(Screen(tr("stale-button")), edit=False)]
    when = _when(meeting.starts_at, ctx.repos)
    forwarded = tr("meet-other-time-mentor", name=esc(me.shown_name()), when=when, text=esc(quoted(text)))
    reader = await _reader(ctx.repos, pair.mentor)
    return [
        Notify(reader.person, Screen(forwarded, manage_rows(meeting.id)), about=(me.id,)),
        Show(Screen(tr("meet-other-time-sent")), edit=False),
    ]


async def on_manage(ctx: Ctx, event: Event) -> list[Effect]:
    """«Встречи» of the menu (the pair's list), and the mentor's «Перенести» / «Отменить встречу»."""
    payload = _unpack(MeetingManagePayload, event)
    if payload is None:
        return STALE
    me, pair = await _me_and_pair(ctx)
    if me is None or pair is None:
        return [Toast(tr("meet-no-pair", audience=me.audience if me else Audience.ADULT))]
    if payload.a == "list":
        return [Show(Screen(meeting_list(await ctx.repos.meetings.for_pair(pair.id), ctx.repos)), edit=False)]
    meeting = await ctx.repos.meetings.get(payload.id)
    if not _is_mentor(me, pair) or meeting is None or meeting.pair_id != pair.id:
        return [Toast(tr("meet-not-mentor"))] if meeting else STALE
    if payload.a == "move" and meeting.status in ("planned", "not_held"):
        return await begin_schedule(ctx, pair, me.audience, move=meeting)
    if payload.a == "cancel" and meeting.status == "planned":
        await ctx.repos.meetings.set_status(meeting.id, "cancelled")
        notice = tr("meet-cancelled-notice", stage=meeting.stage.label, when=_when(meeting.starts_at, ctx.repos))
        effects: list[Effect] = []
        for mentee in pair.mentees:
            if mentee is not None:
                effects.append(Notify((await _reader(ctx.repos, mentee)).person, Screen(notice)))
        return [*effects, Show(Screen(tr("meet-cancelled")))]
    return STALE


def meeting_list(items: list[MeetingRecord], repos: Repos) -> str:
    if not items:
        return tr("meet-none")
    lines = "".join(
        tr("meet-list-line", when=_when(m.starts_at, repos), stage=m.stage.label, status=tr(f"meet-status-{m.status}"))
        for m in items[-15:]
    )
    return tr("meet-list", lines=lines)


# --- after the meeting --------------------------------------------------------------------------------------------
async def on_checkin(ctx: Ctx, event: Event) -> list[Effect]:
    """The buttons under the scheduler's «Встреча состоялась?» and the questions that follow them."""
    payload = _unpack(CheckinCb, event)
    me, pair = await _me_and_pair(ctx)
    meeting = await ctx.repos.meetings.get(payload.id) if payload is not None else None
    if payload is None or me is None or pair is None or meeting is None or meeting.pair_id != pair.id:
        return STALE
    if meeting.status == "cancelled" or meeting.starts_at > ctx.repos.clock.now():
        return STALE  # cancelled, or moved to a later time: its check-in will come again
    if await _answered(ctx, meeting, me, payload):
        return [Toast(tr("checkin-already"))]
    return await _checkin_step(ctx, payload, meeting, me, pair)


async def _answered(ctx: Ctx, meeting: MeetingRecord, me: Participant, payload: CheckinCb) -> bool:
    """Whether this press repeats an answer already stored in full (an old button pressed again)."""
    mine = (await ctx.repos.meetings.checkins(meeting.id)).get(me.id)
    if mine is None:
        return False
    if payload.a in ("held", "use"):
        return mine.answer is CheckinAnswer.HELD and mine.usefulness is not None
    if payload.a in ("not", "why"):
        return mine.answer is CheckinAnswer.NOT_HELD
    if payload.a == "moved":
        return mine.answer is CheckinAnswer.MOVED
    return False


async def _checkin_step(
    ctx: Ctx, payload: CheckinCb, meeting: MeetingRecord, me: Participant, pair: Pair
) -> list[Effect]:
    meetings, action = ctx.repos.meetings, payload.a
    if action == "held":
        await meetings.save_checkin(meeting.id, me.id, CheckinAnswer.HELD)
        shown = Show(Screen(tr("checkin-useful"), usefulness_rows(meeting.id)))
        return [shown, *await settle(ctx.repos, meeting, pair)]
    if action == "use" and payload.v in {"1", "2", "3", "4", "5"}:
        await meetings.save_checkin(meeting.id, me.id, CheckinAnswer.HELD, usefulness=int(payload.v))
        await ctx.dialog.set_state(ReplyStep.NOTE)
        await ctx.dialog.set_data({"meeting": meeting.id, "aud": me.audience.value})
        return [Show(Screen(tr("checkin-what", audience=me.audience), note_rows(meeting.id)))]
    if action == "skip":
        await ctx.dialog.clear()
        return [Show(Screen(tr("checkin-thanks")))]
    if action == "moved":
        await meetings.save_checkin(meeting.id, me.id, CheckinAnswer.MOVED)
        settled = await settle(ctx.repos, meeting, pair)
        if _is_mentor(me, pair):
            told = Show(Screen(tr("checkin-moved-mentor", audience=me.audience)))
            return [told, *settled, *await begin_schedule(ctx, pair, me.audience, move=meeting)]
        return [Show(Screen(tr("checkin-moved-mentee"))), *settled]
    if action == "not":
        return [Show(Screen(tr("checkin-why"), reason_rows(meeting.id)))]
    if action == "why" and payload.v in CHECKIN_REASONS:
        reason = tr(f"checkin-reasons-{payload.v}")
        await meetings.save_checkin(meeting.id, me.id, CheckinAnswer.NOT_HELD, note=reason)
        return [Show(Screen(tr("checkin-thanks"))), *await settle(ctx.repos, meeting, pair)]
    return STALE


async def _note_text(ctx: Ctx, text: str) -> list[Effect]:
    data = await ctx.dialog.get_data()
    if not 1 <= len(text) <= NOTE_LIMIT:
        return [Show(Screen(tr("checkin-bad-note", audience=_dialog_audience(data))), edit=False)]
    await ctx.dialog.clear()
    me = await ctx.repos.participants.by_account(ctx.person.messenger, ctx.person.account_id)
    meeting = await ctx.repos.meetings.get(int(data.get("meeting", 0)))
    if me is not None and meeting is not None:
        await ctx.repos.meetings.save_checkin(meeting.id, me.id, CheckinAnswer.HELD, note=text)
    return [Show(Screen(tr("checkin-thanks")), edit=False)]


async def settle(repos: Repos, meeting: MeetingRecord, pair: Pair) -> list[Effect]:
    """Decide the meeting's status from the check-ins; flag a disagreement to the curators; after the first
    meeting held, ask each side about the pair. Returns the notices."""
    meetings = repos.meetings
    answers = {pid: c.answer for pid, c in (await meetings.checkins(meeting.id)).items()}
    notices: list[Effect] = []
    if checkins_disagree(answers):
        alert = Screen(_disagreement(meeting, pair, answers, repos))
        about = tuple(p.id for p in pair.people)
        for curator in curators(repos):
            key = f"disagree:{meeting.id}:{iso(meeting.starts_at)}:{curator.account_id}"
            notices.append(Notify(curator, alert, kind="alert", about=about, dedup_key=key))
    mentor_answer = answers.get(pair.mentor.id) if pair.mentor else None
    mentee_answers = [answers.get(m.id) for m in pair.mentees if m is not None]
    decided = mentor_answer
    if decided is None and mentee_answers and all(a is CheckinAnswer.HELD for a in mentee_answers):
        decided = CheckinAnswer.HELD
    if decided is CheckinAnswer.HELD and await meetings.set_status(meeting.id, "held"):
        if meeting.stage is Stage.INTRO:
            for member in pair.people:
                reader = await _reader(repos, member)
                ask = Screen(tr("fit-ask", audience=reader.audience), fit_rows(pair.id))
                notices.append(Notify(reader.person, ask, kind="fit", dedup_key=f"fit:{pair.id}:{member.id}"))
    elif decided is CheckinAnswer.NOT_HELD:
        await meetings.set_status(meeting.id, "not_held")
    return notices


def _disagreement(meeting: MeetingRecord, pair: Pair, answers: dict[int, CheckinAnswer], repos: Repos) -> str:
    """Who in the pair answered what about the meeting (and who has not answered yet)."""
    lines = "".join(
        tr(
            "checkin-disagree-line",
            who=member_who(pair, person, with_pair=False),
            answer=answers[person.id].label if person.id in answers else tr("checkin-not-answered"),
        )
        for person in pair.people
    )
    when = _when(meeting.starts_at, repos)
    return tr("checkin-disagree", stage=meeting.stage.label, when=when, pair=pair_label(pair), answers=lines)


def _fit_answers(pair: Pair, fits: dict[int, str]) -> str:
    return "".join(
        tr(
            "checkin-disagree-line",
            who=member_who(pair, person, with_pair=False),
            answer=tr(f"fit-labels-{fits[person.id]}") if person.id in fits else tr("checkin-not-answered"),
        )
        for person in pair.people
    )


async def on_fit(ctx: Ctx, event: Event) -> list[Effect]:
    """«Как вам пара — подходит?»: a «Не подходит» alerts the curators."""
    payload = _unpack(FitPayload, event)
    me, pair = await _me_and_pair(ctx)
    if payload is None or me is None or pair is None or pair.id != payload.pair or payload.v not in FITS:
        return STALE
    await ctx.repos.meetings.set_fit(pair.id, me.id, payload.v)
    effects: list[Effect] = [Show(Screen(tr("fit-thanks")))]
    if payload.v == "no":
        fits = await ctx.repos.meetings.fits(pair.id)
        alert = tr("fit-alert", who=who(me.shown_name(), me.role, pair), answers=_fit_answers(pair, fits))
        about = tuple(p.id for p in pair.people)
        effects += [Notify(c, Screen(alert), kind="alert", about=about) for c in curators(ctx.repos)]
    return effects


# --- the dialogs' texts -------------------------------------------------------------------------------------------
CANCELLED = {SetupStep.GROUP: "cancelled-meeting", ReplyStep.GROUP: "cancelled-meeting-reply"}


async def on_dialog(ctx: Ctx, event: Event) -> list[Effect]:
    """A text (or a command no flow takes) in a meeting dialog: /cancel ends it; a text is the step's answer."""
    current = await ctx.dialog.get_state()
    group = (current or "").split(":", 1)[0]
    if isinstance(event, CommandIn):
        if event.command == "cancel":
            await ctx.dialog.set_state(None)
            return [Show(Screen(tr(CANCELLED.get(group, "cancelled"))), edit=False)]
        return [Show(Screen(tr("unknown-input")), edit=False)]
    if not isinstance(event, TextIn):
        return [Show(Screen(tr("press-a-button")), edit=False)]
    text = " ".join(event.text.split())
    if current == ReplyStep.OTHER_TIME:
        return await _other_time_text(ctx, text)
    if current == ReplyStep.NOTE:
        return await _note_text(ctx, text)
    return await _setup_text(ctx, text, current)


ROUTES = FlowRoutes(
    presses={
        MeetingSetupPayload.prefix: on_setup,
        MeetingReplyPayload.prefix: on_reply,
        MeetingManagePayload.prefix: on_manage,
        CheckinCb.prefix: on_checkin,
        FitPayload.prefix: on_fit,
    },
    dialogs={SetupStep.GROUP: on_dialog, ReplyStep.GROUP: on_dialog},
)
