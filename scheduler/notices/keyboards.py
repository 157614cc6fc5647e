"""Callback data and buttons of the notices the scheduler queues: campaign invitations and nudges, meeting
check-ins, preference reminders, roadmap reminders.

The callback data formats are what buttons already sent carry: they must not change (`cp:5`, `ci:held:12:`,
`pf:start:3:0`, `rm:card:2026:0:6.1.1::0`). The handlers parse them with these same classes.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import tr

#: The roadmap tracker's «open the card of item n» action (the other actions are in handlers/kb/roadmap.py).
ROADMAP_CARD = "card"


class CampaignCb(CallbackData, prefix="cp"):
    id: int


class CheckinCb(CallbackData, prefix="ci"):
    """After a meeting: a = held, moved, not (not held), use (usefulness v), why (reason v), skip (no note)."""

    a: str
    id: int
    v: str = ""


class PrefCb(CallbackData, prefix="pf"):
    a: str  # start, pick, none, reset, done
    r: int
    c: int = 0


class RoadmapCb(CallbackData, prefix="rm"):
    """a: the action (see handlers/kb/roadmap.py); y: programme year; s: section; n: item number; f: field;
    d: document id."""

    a: str
    y: int = 0
    s: int = 0
    n: str = ""
    f: str = ""
    d: int = 0


def _row(*buttons: tuple[str, CallbackData]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=text, callback_data=data.pack()) for text, data in buttons]]
    )


def campaign_answer_keyboard(campaign_id: int) -> InlineKeyboardMarkup:
    return _row((tr("btn-campaign-answer"), CampaignCb(id=campaign_id)))


def checkin_keyboard(meeting_id: int) -> InlineKeyboardMarkup:
    return _row(
        (tr("btn-held"), CheckinCb(a="held", id=meeting_id)),
        (tr("btn-moved"), CheckinCb(a="moved", id=meeting_id)),
        (tr("btn-not-held"), CheckinCb(a="not", id=meeting_id)),
    )


def pref_start_keyboard(round_id: int) -> InlineKeyboardMarkup:
    return _row((tr("btn-pref-start"), PrefCb(a="start", r=round_id)))


def open_card_keyboard(year: int, number: str) -> InlineKeyboardMarkup:
    """The button under a roadmap reminder: straight to the item's card."""
    return _row((tr("btn-roadmap-open"), RoadmapCb(a=ROADMAP_CARD, y=year, n=number)))
