"""Callback data and buttons of the programme year's archive: the curator's archived lists and reports, and the
participant's «Участвую в следующем году» under the thank-you notice."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import tr
from bot.programme import ArchivedYear
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.kb.matching import PairCb

#: How many of the latest archived years get buttons (older ones: /summary 2025-26, /export 2025-26).
SHOWN_YEARS = 2


class ArchiveCb(CallbackData, prefix="ya"):
    """The curator's archive of year y: a = pairs (the year's list, page p), card (pair p), renew (participant q
    of pair p takes part next year), summary, charts, export."""

    a: str
    y: int
    p: int = 0
    q: int = 0


class RenewCb(CallbackData, prefix="yn"):
    """A participant of archived year y takes part next year."""

    y: int


def finish_keyboard(archived: int) -> InlineKeyboardMarkup:
    """«Да, завершить» carries how many years were archived when it was shown (`archived`)."""
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-finish-ok"), callback_data=PairCb(a="finish_ok", id=archived))
    kb.button(text=tr("btn-cancel"), callback_data=PairCb(a="list"))
    kb.adjust(2)
    return kb.as_markup()


def archive_buttons(years: Sequence[ArchivedYear], action: str) -> list[tuple[str, CallbackData]]:
    """Buttons to the latest archived years: their pairs («Архив 2026-27») or reports."""
    label = {"pairs": "btn-archive", "summary": "btn-archive-summary", "export": "btn-archive-export"}
    return [(tr(label[action], year=y.label), ArchiveCb(a=action, y=y.id)) for y in reversed(years[-SHOWN_YEARS:])]


def with_archive(markup: InlineKeyboardMarkup, years: Sequence[ArchivedYear]) -> InlineKeyboardMarkup:
    """The curator's report menu with the archived years' summary and export under it."""
    rows = [
        [InlineKeyboardButton(text=text, callback_data=data.pack())]
        for action in ("summary", "export")
        for text, data in archive_buttons(years, action)
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*markup.inline_keyboard, *rows])


def archive_card_keyboard(year_id: int, pair_id: int, waiting: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    """`waiting`: (participant id, name) of those who have not confirmed the next year."""
    kb = InlineKeyboardBuilder()
    for person_id, name in waiting:
        kb.button(
            text=tr("btn-archive-renew", name=name)[:60],
            callback_data=ArchiveCb(a="renew", y=year_id, p=pair_id, q=person_id),
        )
    kb.button(text=tr("btn-to-pairs"), callback_data=ArchiveCb(a="pairs", y=year_id))
    kb.adjust(1)
    return kb.as_markup()


def renew_keyboard(year_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=tr("btn-renew"), callback_data=RenewCb(y=year_id).pack())]]
    )
