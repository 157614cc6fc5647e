"""Callback data and keyboards of joining: the age question, consent, the parent's answers."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot import texts
from bot.consent import Relation
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
    kb.button(text=texts.BTN_ADULT_YES, callback_data=AgeCb(adult=True))
    kb.button(text=texts.BTN_ADULT_NO, callback_data=AgeCb(adult=False))
    kb.adjust(1)
    return kb.as_markup()


def consent_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=texts.BTN_AGREE, callback_data=ConsentCb(agree=True))
    kb.button(text=texts.BTN_DISAGREE, callback_data=ConsentCb(agree=False))
    return kb.as_markup()


def parent_consent_keyboard(pid: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=texts.BTN_AGREE, callback_data=ParentCb(pid=pid, agree=True))
    kb.button(text=texts.BTN_DISAGREE, callback_data=ParentCb(pid=pid, agree=False))
    return kb.as_markup()


def relation_keyboard(pid: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for relation in Relation:
        kb.button(text=relation.label, callback_data=ParentCb(pid=pid, relation=relation.value))
    kb.adjust(2, 1)
    return kb.as_markup()


def start_survey_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=texts.BTN_START_SURVEY, callback_data=MenuCb(action="survey"))
    return kb.as_markup()
