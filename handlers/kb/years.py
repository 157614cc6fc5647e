"""Callback data of the programme year's archive: the curator's archived lists and reports (their buttons are drawn
by `bot.flows.curator.pairs` and `.reports`: `ArchivePayload` is this `ArchiveCb`'s twin), and the participant's
«Участвую в следующем году» under the thank-you notice."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.flows import payloads
from bot.i18n import tr


class ArchiveCb(CallbackData, prefix=payloads.ArchivePayload.prefix):
    """The curator's archive of year y: a = pairs (the year's list, page p), card (pair p), renew (participant q
    of pair p takes part next year), summary, charts, export."""

    a: str
    y: int
    p: int = 0
    q: int = 0


class RenewCb(CallbackData, prefix="yn"):
    """A participant of archived year y takes part next year."""

    y: int


def renew_keyboard(year_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=tr("btn-renew"), callback_data=RenewCb(y=year_id).pack())]]
    )
