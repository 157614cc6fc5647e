"""Callback data and keyboards of joining: the age question, consent, the parent's answers."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.consent import Relation
from bot.i18n import tr
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.kb.menu import MenuCb


class AgeCb(CallbackData, prefix="age"):
    """The age group: «adult» (18+), «teen» (14–17, consents alongside the parent), «child» (under 14)."""

    group: str


AGE_GROUPS = ("adult", "teen", "child")


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


def age_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for group in AGE_GROUPS:
        kb.button(text=tr(f"btn-age-{group}"), callback_data=AgeCb(group=group))
    kb.adjust(3)
    return kb.as_markup()


def consent_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-consent-yes"), callback_data=ConsentCb(agree=True))
    kb.button(text=tr("btn-consent-no"), callback_data=ConsentCb(agree=False))
    return kb.as_markup()


def minor_consent_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-consent-yes"), callback_data=MinorConsentCb(agree=True))
    kb.button(text=tr("btn-consent-no"), callback_data=MinorConsentCb(agree=False))
    return kb.as_markup()


def parent_consent_keyboard(pid: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-consent-yes"), callback_data=ParentCb(pid=pid, agree=True))
    kb.button(text=tr("btn-consent-no"), callback_data=ParentCb(pid=pid, agree=False))
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
