"""Callback data and keyboard of /destruction_act: the period of the act."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import tr
from handlers.kb.builder import InlineKeyboardBuilder

#: Periods offered, in button order: this month, last month, this year.
PERIODS = ("month", "last_month", "year")


class DestructionActCb(CallbackData, prefix="da"):
    period: str


def period_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    captions = (tr("btn-act-this-month"), tr("btn-act-last-month"), tr("btn-act-this-year"))
    for period, caption in zip(PERIODS, captions, strict=True):
        kb.button(text=caption, callback_data=DestructionActCb(period=period))
    kb.adjust(2, 1)
    return kb.as_markup()
