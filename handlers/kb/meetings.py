"""Callback data and keyboards of meetings: the inline calendar, time slots, invitations, check-ins."""

from __future__ import annotations

import calendar
from datetime import date

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import tr
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.kb.notices import CheckinCb

TIME_SLOTS = ("15:00", "16:00", "16:30", "17:00", "18:00", "19:00")

CHECKIN_REASONS: tuple[str, ...] = ("ill", "busy", "forgot", "other")


class SetupCb(CallbackData, prefix="ms"):
    """The mentor's scheduling dialog: a = cal (month page), day, time, place, skip, send, abort, noop, and
    back (one step back: time -> date, place -> time, topic -> place, preview -> topic, or -> time when moving)."""

    a: str
    y: int = 0
    m: int = 0
    d: int = 0
    v: str = ""


class ReplyCb(CallbackData, prefix="mr"):
    """A mentee's answer to an invitation: a = acc (accept) or oth (another time)."""

    a: str
    id: int


class ManageCb(CallbackData, prefix="mm"):
    """The mentor's buttons on a planned meeting: a = move, cancel; and list (the pair's meetings)."""

    a: str
    id: int = 0


class FitCb(CallbackData, prefix="fit"):
    pair: int
    v: str


def calendar_keyboard(year: int, month: int, today: date) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    noop = SetupCb(a="noop")
    kb.button(text=tr("cal-month", month=month, year=year), callback_data=noop)
    for name in tr("cal-weekdays").split():
        kb.button(text=name, callback_data=noop)
    weeks = calendar.Calendar().monthdayscalendar(year, month)
    for week in weeks:
        for day in week:
            if day == 0:
                kb.button(text="\u2800", callback_data=noop)
            elif date(year, month, day) < today:
                kb.button(text="·", callback_data=noop)
            else:
                kb.button(text=str(day), callback_data=SetupCb(a="day", y=year, m=month, d=day))
    prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    nav = 1
    if (prev_y, prev_m) >= (today.year, today.month):
        kb.button(text="‹", callback_data=SetupCb(a="cal", y=prev_y, m=prev_m))
        nav += 1
    kb.button(text="›", callback_data=SetupCb(a="cal", y=next_y, m=next_m))
    kb.button(text=tr("btn-meet-cancel"), callback_data=SetupCb(a="abort"))
    kb.adjust(1, 7, *([7] * len(weeks)), nav, 1)
    return kb.as_markup()


def _back_and_cancel(kb: InlineKeyboardBuilder) -> None:
    """«Назад» (one step of the dialog back) and «Отмена» (the whole dialog), side by side."""
    kb.button(text=tr("btn-meet-back"), callback_data=SetupCb(a="back"))
    kb.button(text=tr("btn-meet-cancel"), callback_data=SetupCb(a="abort"))


def time_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for slot in TIME_SLOTS:
        kb.button(text=slot, callback_data=SetupCb(a="time", v=slot.replace(":", "")))
    _back_and_cancel(kb)
    kb.adjust(3, 3, 2)
    return kb.as_markup()


def place_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-online"), callback_data=SetupCb(a="place", v="online"))
    kb.button(text=tr("btn-at-school"), callback_data=SetupCb(a="place", v="school"))
    _back_and_cancel(kb)
    kb.adjust(2, 2)
    return kb.as_markup()


def topic_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-skip"), callback_data=SetupCb(a="skip"))
    _back_and_cancel(kb)
    kb.adjust(1, 2)
    return kb.as_markup()


def preview_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-send-invite"), callback_data=SetupCb(a="send"))
    _back_and_cancel(kb)
    kb.adjust(1, 2)
    return kb.as_markup()


def invitation_keyboard(meeting_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-accept"), callback_data=ReplyCb(a="acc", id=meeting_id))
    kb.button(text=tr("btn-other-time"), callback_data=ReplyCb(a="oth", id=meeting_id))
    kb.adjust(1)
    return kb.as_markup()


def manage_keyboard(meeting_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-move-meeting"), callback_data=ManageCb(a="move", id=meeting_id))
    kb.button(text=tr("btn-cancel-meeting"), callback_data=ManageCb(a="cancel", id=meeting_id))
    kb.adjust(2)
    return kb.as_markup()


def usefulness_keyboard(meeting_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for value in range(1, 6):
        kb.button(text=str(value), callback_data=CheckinCb(a="use", id=meeting_id, v=str(value)))
    kb.adjust(5)
    return kb.as_markup()


def note_keyboard(meeting_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-skip"), callback_data=CheckinCb(a="skip", id=meeting_id))
    return kb.as_markup()


def reason_keyboard(meeting_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for key in CHECKIN_REASONS:
        label = tr(f"checkin-reasons-{key}")
        kb.button(text=label, callback_data=CheckinCb(a="why", id=meeting_id, v=key))
    kb.adjust(2)
    return kb.as_markup()


def fit_keyboard(pair_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-fit-yes"), callback_data=FitCb(pair=pair_id, v="yes"))
    kb.button(text=tr("btn-fit-unsure"), callback_data=FitCb(pair=pair_id, v="unsure"))
    kb.button(text=tr("btn-fit-no"), callback_data=FitCb(pair=pair_id, v="no"))
    kb.adjust(1)
    return kb.as_markup()
