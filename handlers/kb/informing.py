"""Callback data and keyboards of informing: questions to the curator, materials, broadcasts (the curator's
keyboards are the flow's, `bot.flows.curator.informing`; these are the aiogram twins of its payloads)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.flows.curator.informing import BROADCAST_AUDIENCES as BROADCAST_AUDIENCES
from bot.flows.curator.informing import MATERIAL_AUDIENCES as MATERIAL_AUDIENCES
from bot.i18n import tr
from handlers.kb.builder import InlineKeyboardBuilder
from storage.informing import Material


class AskCb(CallbackData, prefix="ask"):
    """A participant's «Вопрос куратору» (a=ask) and the curator's «Ответить» (a=reply, id=question)."""

    a: str
    id: int = 0


class MaterialCb(CallbackData, prefix="mat"):
    """a: list, get (participant), add, aud (audience while adding), del (asks), delok (deletes), adm (the
    curator's list)."""

    a: str
    id: int = 0
    v: str = ""


class BroadcastCb(CallbackData, prefix="bc"):
    """a: aud (audience chosen, v), forms, clubs, send, cancel."""

    a: str
    v: str = ""


def reply_keyboard(question_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-reply"), callback_data=AskCb(a="reply", id=question_id))
    return kb.as_markup()


def materials_keyboard(items: Sequence[Material]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for item in items:
        kb.button(text=item.title[:60], callback_data=MaterialCb(a="get", id=item.id))
    kb.adjust(1)
    return kb.as_markup()


