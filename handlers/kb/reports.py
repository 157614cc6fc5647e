"""Callback data and keyboard of the curator's menu of reports."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.flows.menu import curator_menu
from handlers.ui import markup_of


class ReportCb(CallbackData, prefix="rp"):
    """The curator's menu buttons: kind = summary, charts or export."""

    kind: str


def curator_menu_keyboard() -> InlineKeyboardMarkup:
    """The curator's menu of reports (bot.flows.menu draws it), the keyboard a report comes back to."""
    markup = markup_of(curator_menu())
    assert markup is not None
    return markup
