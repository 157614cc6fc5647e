"""Callback data and keyboards of the participant's menu and of withdrawal."""

from __future__ import annotations

from datetime import UTC, tzinfo

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import tr
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
    participant: Participant,
    survey_started: bool,
    *,
    has_pair: bool = False,
    is_mentor: bool = False,
    is_parent: bool = False,
) -> InlineKeyboardMarkup:
    """Before any consent there is nothing to withdraw: the menu leads to the consent (or the parent's link)."""
    kb = InlineKeyboardBuilder()
    if is_mentor:
        kb.button(text=tr("btn-schedule"), callback_data=SetupCb(a="new"))
    if has_pair:
        kb.button(text=tr("btn-my-meetings"), callback_data=ManageCb(a="list"))
    status = participant.status
    if status is Status.INVITED:
        kb.button(text=tr("btn-consent-again"), callback_data=MenuCb(action="consent"))
    elif status is Status.AWAITING_PARENT:
        kb.button(text=tr("btn-parent-link"), callback_data=MenuCb(action="parent_link"))
    elif status is Status.CONSENTED:
        label = tr("btn-continue-survey") if survey_started else tr("btn-start-survey")
        kb.button(text=label, callback_data=MenuCb(action="survey"))
    if participant.has_consent:
        kb.button(text=tr("btn-profile"), callback_data=MenuCb(action="profile"))
    if status is Status.SURVEY_DONE:
        kb.button(text=tr("btn-edit-answer"), callback_data=MenuCb(action="edit"))
    if participant.has_consent:
        kb.button(text=tr("btn-ask"), callback_data=AskCb(a="ask"))
        kb.button(text=tr("btn-materials"), callback_data=MaterialCb(a="list"))
        kb.button(text=tr("btn-forget"), callback_data=MenuCb(action="forget"))
    if is_parent:
        kb.button(text=tr("btn-parent-menu"), callback_data=MenuCb(action="p_menu"))
    kb.button(text=tr("btn-help"), callback_data=MenuCb(action="help"))
    kb.adjust(1)
    return kb.as_markup()


def back_keyboard() -> InlineKeyboardMarkup:
    """«Назад» from a screen of the menu (the profile) to the menu, in place."""
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-menu-back"), callback_data=MenuCb(action="back"))
    return kb.as_markup()


def parent_menu_keyboard(children: list[Participant], tz: tzinfo) -> InlineKeyboardMarkup:
    """A question to the curator about each child (one button for one child), withdrawal, help."""
    kb = InlineKeyboardBuilder()
    if len(children) == 1:
        kb.button(text=tr("btn-parent-ask"), callback_data=AskCb(a="ask", id=children[0].id))
    else:
        for child in children:
            label = tr("btn-parent-ask-about", name=child_button_name(child, tz))
            kb.button(text=label, callback_data=AskCb(a="ask", id=child.id))
    kb.button(text=tr("btn-parent-forget"), callback_data=MenuCb(action="p_forget"))
    kb.button(text=tr("btn-help"), callback_data=MenuCb(action="p_help"))
    kb.adjust(1)
    return kb.as_markup()


def child_button_name(child: Participant, tz: tzinfo) -> str:
    """A child on a button: the name, or before the questionnaire the date they joined."""
    if child.name:
        return child.name[:40]
    return tr("btn-child-unnamed", joined=f"{child.joined_at.astimezone(tz):%d.%m.%Y}")


def forget_keyboard(children: list[Participant] | None = None, tz: tzinfo = UTC) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if children:
        for child in children:
            label = tr("btn-forget-child", name=child_button_name(child, tz))
            kb.button(text=label, callback_data=ForgetCb(confirm=True, pid=child.id))
    else:
        kb.button(text=tr("btn-forget-yes"), callback_data=ForgetCb(confirm=True))
    kb.button(text=tr("btn-forget-no"), callback_data=ForgetCb(confirm=False))
    kb.adjust(1)
    return kb.as_markup()


def rematch_keyboard(form: Form) -> InlineKeyboardMarkup:
    """The curator's one tap from a withdrawal notice to the matching draft of the pair's form (a new message)."""
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-rematch"), callback_data=FormCb(flow="rm", f=form.value))
    return kb.as_markup()
