"""Callback data and keyboard of /destruction_act: the period of the act."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot import texts
from handlers.kb.builder import InlineKeyboardBuilder

#: Periods offered, in button order: this month, last month, this year.
PERIODS = ("month", "last_month", "year")


class DestructionActCb(CallbackData, prefix="da"):
    period: str


def period_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    captions = (texts.BTN_ACT_THIS_MONTH, texts.BTN_ACT_LAST_MONTH, texts.BTN_ACT_THIS_YEAR)
    for period, caption in zip(PERIODS, captions, strict=True):
        kb.button(text=caption, callback_data=DestructionActCb(period=period))
    kb.adjust(2, 1)
    return kb.as_markup()
