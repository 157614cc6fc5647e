"""Callback data of forming pairs (group meeting, preferences, the draft, pairs, bases): the aiogram twins of the
payloads `bot.flows.curator` draws its buttons with (`bot.flows.payloads`), for the adapters' filters; and the
participant's preference keyboard."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.flows import payloads
from bot.i18n import tr
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.kb.notices import PrefCb
from handlers.kb.notices import pref_start_keyboard as pref_start_keyboard  # re-exported for the handlers


class FormCb(CallbackData, prefix=payloads.FormPayload.prefix):
    """A form picked for a curator's flow: `flow` is gm (group meeting), pf (preferences) or mt (match)."""

    flow: str
    f: str


class MeetingCb(CallbackData, prefix=payloads.GroupMeetingPayload.prefix):
    a: str  # new, send, cancel, att (attendance page), tog (toggle a person), done, back (leave the attendance)
    f: str
    pid: int = 0
    p: int = 0


class RoundCb(CallbackData, prefix=payloads.RoundPayload.prefix):
    a: str  # att (from attendees), all, remind, close
    f: str


class MatchCb(CallbackData, prefix=payloads.MatchPayload.prefix):
    a: str  # show, mv (pick mentee), mvto (pick mentor), pin, ex, rerun, reset, ok, all (every form at once)
    f: str
    m: int = 0
    t: int = 0
    p: int = 0
    h: str = ""  # the digest of the pairs the curator saw (ok, all, rerun)
    v: str = ""  # the digest of the draft's whole text (rerun: «nothing changed» when it is the same)


class PairCb(CallbackData, prefix=payloads.PairPayload.prefix):
    a: str  # list, card, dis
    id: int = 0


class BasesCb(CallbackData, prefix=payloads.BasesPayload.prefix):
    kind: str  # mentees, mentors


def pref_keyboard(round_id: int, options: Sequence[tuple[int, str]], chosen: Sequence[int]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    rank = {pid: n for n, pid in enumerate(chosen, start=1)}
    for pid, name in options:
        mark = f"№{rank[pid]} " if pid in rank else ""
        kb.button(text=f"{mark}{name}"[:60], callback_data=PrefCb(a="pick", r=round_id, c=pid))
    kb.button(text=tr("btn-pref-none"), callback_data=PrefCb(a="none", r=round_id))
    kb.button(text=tr("btn-pref-reset"), callback_data=PrefCb(a="reset", r=round_id))
    kb.button(text=tr("btn-pref-done"), callback_data=PrefCb(a="done", r=round_id))
    kb.adjust(*([1] * len(options)), 1, 2)
    return kb.as_markup()
