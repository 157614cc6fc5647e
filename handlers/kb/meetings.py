"""The aiogram twins of the meetings' payloads (the flow draws the keyboards: `bot.flows.meetings`): the
adapter's filters route the presses by them; tests/test_payloads.py keeps each pair packing alike."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.flows import payloads
from handlers.kb.notices import CheckinCb as CheckinCb


class SetupCb(CallbackData, prefix=payloads.MeetingSetupPayload.prefix):
    """The mentor's scheduling dialog: a = cal (month page), day, time, place, skip, send, abort, noop, and
    back (one step back: time -> date, place -> time, topic -> place, preview -> topic, or -> time when moving)."""

    a: str
    y: int = 0
    m: int = 0
    d: int = 0
    v: str = ""


class ReplyCb(CallbackData, prefix=payloads.MeetingReplyPayload.prefix):
    """A mentee's answer to an invitation: a = acc (accept) or oth (another time)."""

    a: str
    id: int


class ManageCb(CallbackData, prefix=payloads.MeetingManagePayload.prefix):
    """The mentor's buttons on a planned meeting: a = move, cancel; and list (the pair's meetings)."""

    a: str
    id: int = 0


class FitCb(CallbackData, prefix=payloads.FitPayload.prefix):
    pair: int
    v: str
