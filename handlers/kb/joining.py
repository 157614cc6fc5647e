"""Callback data and keyboards of joining: the age question, consent, the parent's answers."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.consent import Relation
from bot.i18n import tr
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.kb.menu import MenuCb


class AgeCb(CallbackData, prefix="age"):
    adult: bool


class ConsentCb(CallbackData, prefix="cns"):
    agree: bool


class ParentCb(CallbackData, prefix="par"):
    """The parent's consent for participant `pid` (the child); `relation` set on the last step."""

    pid: int
    agree: bool = True
    relation: str = ""


def age_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-adult-yes"), callback_data=AgeCb(adult=True))
    kb.button(text=tr("btn-adult-no"), callback_data=AgeCb(adult=False))
    kb.adjust(1)
    return kb.as_markup()


def consent_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-agree"), callback_data=ConsentCb(agree=True))
    kb.button(text=tr("btn-disagree"), callback_data=ConsentCb(agree=False))
    return kb.as_markup()


def parent_consent_keyboard(pid: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-agree"), callback_data=ParentCb(pid=pid, agree=True))
    kb.button(text=tr("btn-disagree"), callback_data=ParentCb(pid=pid, agree=False))
    return kb.as_markup()


def relation_keyboard(pid: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for relation in Relation:
        kb.button(text=relation.label, callback_data=ParentCb(pid=pid, relation=relation.value))
    kb.adjust(2, 1)
    return kb.as_markup()


def start_survey_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-start-survey"), callback_data=MenuCb(action="survey"))
    return kb.as_markup()
