"""Callback data and keyboards of the participant's menu and of withdrawal."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot import texts
from bot.participants import Participant
from bot.programme import Form, Status
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.kb.informing import AskCb, MaterialCb
from handlers.kb.matching import FormCb
from handlers.kb.meetings import ManageCb, SetupCb


class MenuCb(CallbackData, prefix="m"):
    action: str


class ForgetCb(CallbackData, prefix="fg"):
    """`pid` is set when a parent withdraws the consent they gave for a child."""

    confirm: bool
    pid: int = 0


def menu_keyboard(
    participant: Participant, survey_started: bool, *, has_pair: bool = False, is_mentor: bool = False
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if is_mentor:
        kb.button(text=texts.BTN_SCHEDULE, callback_data=SetupCb(a="new"))
    if has_pair:
        kb.button(text=texts.BTN_MY_MEETINGS, callback_data=ManageCb(a="list"))
    status = participant.status
    if status is Status.INVITED:
        kb.button(text=texts.BTN_CONSENT_AGAIN, callback_data=MenuCb(action="consent"))
    elif status is Status.AWAITING_PARENT:
        kb.button(text=texts.BTN_PARENT_LINK, callback_data=MenuCb(action="parent_link"))
    elif status is Status.CONSENTED:
        label = texts.BTN_CONTINUE_SURVEY if survey_started else texts.BTN_START_SURVEY
        kb.button(text=label, callback_data=MenuCb(action="survey"))
    if participant.has_consent:
        kb.button(text=texts.BTN_PROFILE, callback_data=MenuCb(action="profile"))
    if status is Status.SURVEY_DONE:
        kb.button(text=texts.BTN_EDIT_ANSWER, callback_data=MenuCb(action="edit"))
    if participant.has_consent:
        kb.button(text=texts.BTN_ASK, callback_data=AskCb(a="ask"))
        kb.button(text=texts.BTN_MATERIALS, callback_data=MaterialCb(a="list"))
    kb.button(text=texts.BTN_FORGET, callback_data=MenuCb(action="forget"))
    kb.button(text=texts.BTN_HELP, callback_data=MenuCb(action="help"))
    kb.adjust(1)
    return kb.as_markup()


def forget_keyboard(children: list[Participant] | None = None) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if children:
        for child in children:
            label = texts.BTN_FORGET_CHILD.format(name=child.shown_name()[:40])
            kb.button(text=label, callback_data=ForgetCb(confirm=True, pid=child.id))
    else:
        kb.button(text=texts.BTN_FORGET_YES, callback_data=ForgetCb(confirm=True))
    kb.button(text=texts.BTN_FORGET_NO, callback_data=ForgetCb(confirm=False))
    kb.adjust(1)
    return kb.as_markup()


def rematch_keyboard(form: Form) -> InlineKeyboardMarkup:
    """The curator's one tap from a withdrawal notice to the matching draft of the pair's form (a new message)."""
    kb = InlineKeyboardBuilder()
    kb.button(text=texts.BTN_REMATCH, callback_data=FormCb(flow="rm", f=form.value))
    return kb.as_markup()
