"""Callback data of the participant's menu (its screens are drawn by bot.flows.menu, with the same payloads:
tests/test_payloads.py) and the keyboards of withdrawal."""

from __future__ import annotations

from datetime import UTC, tzinfo

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.flows.menu import child_button_name
from bot.i18n import tr
from bot.participants import Participant
from bot.programme import Form
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.kb.matching import FormCb


class MenuCb(CallbackData, prefix="m"):
    action: str


class ForgetCb(CallbackData, prefix="fg"):
    """`pid` is set when a parent withdraws the consent they gave for a child."""

    confirm: bool
    pid: int = 0


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
