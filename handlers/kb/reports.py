"""Callback data and keyboard of the curator's menu of reports."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import tr
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.kb.matching import BasesCb


class ReportCb(CallbackData, prefix="rp"):
    """The curator's menu buttons: kind = summary, charts or export."""

    kind: str


def curator_menu_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-report-summary"), callback_data=ReportCb(kind="summary"))
    kb.button(text=tr("btn-report-charts"), callback_data=ReportCb(kind="charts"))
    kb.button(text=tr("btn-report-export"), callback_data=ReportCb(kind="export"))
    kb.button(text=tr("btn-base-mentees"), callback_data=BasesCb(kind="mentees"))
    kb.button(text=tr("btn-base-mentors"), callback_data=BasesCb(kind="mentors"))
    kb.adjust(1)
    return kb.as_markup()
