"""Callback data and keyboards of forming pairs: group meeting, preferences, the draft, pairs, bases."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import tr
from bot.programme import Form
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.kb.notices import PrefCb
from handlers.kb.notices import pref_start_keyboard as pref_start_keyboard  # re-exported for the handlers

PAGE = 8


class FormCb(CallbackData, prefix="fm"):
    """A form picked for a curator's flow: `flow` is gm (group meeting), pf (preferences) or mt (match)."""

    flow: str
    f: str


class MeetingCb(CallbackData, prefix="gm"):
    a: str  # new, send, cancel, att (attendance page), tog (toggle a person), done, back (leave the attendance)
    f: str
    pid: int = 0
    p: int = 0


class RoundCb(CallbackData, prefix="rd"):
    a: str  # att (from attendees), all, remind, close
    f: str


class MatchCb(CallbackData, prefix="mt"):
    a: str  # show, mv (pick mentee), mvto (pick mentor), pin, ex, rerun, reset, ok, all (every form at once)
    f: str
    m: int = 0
    t: int = 0
    p: int = 0
    h: str = ""  # the digest of the pairs the curator saw (ok, all, rerun)
    v: str = ""  # the digest of the draft's whole text (rerun: «nothing changed» when it is the same)


class PairCb(CallbackData, prefix="pr"):
    a: str  # list, card, dis
    id: int = 0


class BasesCb(CallbackData, prefix="bs"):
    kind: str  # mentees, mentors


def forms_keyboard(flow: str, forms: Sequence[Form]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for form in forms:
        kb.button(text=form.label, callback_data=FormCb(flow=flow, f=form.value))
    kb.adjust(1)
    return kb.as_markup()


def paged(
    items: Sequence[tuple[str, CallbackData]],
    page: int,
    page_cb: Callable[[int], CallbackData],
    tail: Sequence[tuple[str, CallbackData]] = (),
) -> InlineKeyboardMarkup:
    """Items one per row, PAGE at a time, with ‹ › buttons, then the `tail` buttons."""
    kb = InlineKeyboardBuilder()
    pages = max(1, (len(items) + PAGE - 1) // PAGE)
    page = min(max(page, 0), pages - 1)
    shown = items[page * PAGE : (page + 1) * PAGE]
    for label, data in shown:
        kb.button(text=label[:60], callback_data=data)
    widths = [1] * len(shown)
    nav = 0
    if page > 0:
        kb.button(text=tr("btn-prev"), callback_data=page_cb(page - 1))
        nav += 1
    if page < pages - 1:
        kb.button(text=tr("btn-next"), callback_data=page_cb(page + 1))
        nav += 1
    if nav:
        widths.append(nav)
    for label, data in tail:
        kb.button(text=label, callback_data=data)
    widths += [1] * len(tail)
    kb.adjust(*widths)
    return kb.as_markup()


def meeting_preview_keyboard(form: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-send"), callback_data=MeetingCb(a="send", f=form))
    kb.button(text=tr("btn-cancel"), callback_data=MeetingCb(a="cancel", f=form))
    return kb.as_markup()


def meeting_keyboard(form: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-attendance"), callback_data=MeetingCb(a="att", f=form))
    kb.button(text=tr("btn-new-meeting"), callback_data=MeetingCb(a="new", f=form))
    kb.adjust(1)
    return kb.as_markup()


def round_source_keyboard(form: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-from-attendees"), callback_data=RoundCb(a="att", f=form))
    kb.button(text=tr("btn-from-all"), callback_data=RoundCb(a="all", f=form))
    kb.adjust(1)
    return kb.as_markup()


def round_status_keyboard(form: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-remind"), callback_data=RoundCb(a="remind", f=form))
    kb.button(text=tr("btn-close-round"), callback_data=RoundCb(a="close", f=form))
    kb.button(text=tr("btn-new-round"), callback_data=FormCb(flow="pfnew", f=form))
    kb.adjust(1)
    return kb.as_markup()


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


def match_forms_keyboard(forms: Sequence[Form], all_digest: str | None) -> InlineKeyboardMarkup:
    """The /match overview: a button per form, then «Утвердить всё» when some draft has pairs."""
    kb = InlineKeyboardBuilder()
    for form in forms:
        kb.button(text=form.label, callback_data=FormCb(flow="mt", f=form.value))
    if all_digest is not None:
        kb.button(text=tr("btn-confirm-all"), callback_data=MatchCb(a="all", f="*", h=all_digest))
    kb.adjust(1)
    return kb.as_markup()


def draft_keyboard(
    form: str, page: int, pages: int, digest: str, has_pairs: bool, view: str = ""
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    widths = []
    nav = 0
    if page > 0:
        kb.button(text=tr("btn-prev"), callback_data=MatchCb(a="show", f=form, p=page - 1))
        nav += 1
    if page < pages - 1:
        kb.button(text=tr("btn-next"), callback_data=MatchCb(a="show", f=form, p=page + 1))
        nav += 1
    if nav:
        widths.append(nav)
    if has_pairs:
        kb.button(text=tr("btn-move"), callback_data=MatchCb(a="mv", f=form))
        kb.button(text=tr("btn-pin"), callback_data=MatchCb(a="pin", f=form))
        kb.button(text=tr("btn-exclude"), callback_data=MatchCb(a="ex", f=form))
        widths += [1, 2]
    kb.button(text=tr("btn-rerun"), callback_data=MatchCb(a="rerun", f=form, h=digest, v=view))
    kb.button(text=tr("btn-reset-constraints"), callback_data=MatchCb(a="reset", f=form))
    widths.append(2)
    if has_pairs:
        kb.button(text=tr("btn-confirm-match"), callback_data=MatchCb(a="ok", f=form, h=digest))
        widths.append(1)
    kb.adjust(*widths)
    return kb.as_markup()


def pair_card_keyboard(pair_id: int, active: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if active:
        kb.button(text=tr("btn-dissolve"), callback_data=PairCb(a="dis", id=pair_id))
    kb.button(text=tr("btn-to-pairs"), callback_data=PairCb(a="list"))
    kb.adjust(1)
    return kb.as_markup()


def bases_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-base-mentees"), callback_data=BasesCb(kind="mentees"))
    kb.button(text=tr("btn-base-mentors"), callback_data=BasesCb(kind="mentors"))
    kb.adjust(1)
    return kb.as_markup()
