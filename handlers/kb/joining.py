"""Callback data of joining (the aiogram twins of `bot.flows.joining`'s payloads, for the routers' filters) and
the child's «Заполнить анкету» under a consent recorded on paper."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import tr
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.kb.menu import MenuCb


class AgeCb(CallbackData, prefix="age"):
    """The age group: «adult» (18+), «teen» (14–17, consents alongside the parent), «child» (under 14)."""

    group: str


class ConsentCb(CallbackData, prefix="cns"):
    agree: bool


class MinorConsentCb(CallbackData, prefix="cnm"):
    """A pupil of 14–17 answering their own consent document."""

    agree: bool


class ParentCb(CallbackData, prefix="par"):
    """The parent's consent for participant `pid` (the child); `relation` set on the last step."""

    pid: int
    agree: bool = True
    relation: str = ""


def start_survey_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-start-survey"), callback_data=MenuCb(action="survey"))
    return kb.as_markup()
