"""Callback data and keyboards of informing: questions to the curator, materials, broadcasts."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import tr
from bot.programme import Form
from handlers.kb.builder import InlineKeyboardBuilder
from storage.informing import Material

MATERIAL_AUDIENCES: tuple[str, ...] = ("all", "mentors", "mentees")
BROADCAST_AUDIENCES: tuple[str, ...] = ("all", "mentors", "mentees", "unfinished", "awaiting_parent")


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


def materials_admin_keyboard(items: Sequence[Material]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-add-material"), callback_data=MaterialCb(a="add"))
    for n, item in enumerate(items, start=1):
        kb.button(text=tr("btn-delete-material", n=n), callback_data=MaterialCb(a="del", id=item.id))
    kb.adjust(1, 3)
    return kb.as_markup()


def material_delete_keyboard(material_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-material-delete-yes"), callback_data=MaterialCb(a="delok", id=material_id))
    kb.button(text=tr("btn-material-delete-no"), callback_data=MaterialCb(a="adm"))
    kb.adjust(1)
    return kb.as_markup()


def material_audience_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for key in MATERIAL_AUDIENCES:
        label = tr(f"material-audiences-{key}")
        kb.button(text=label.capitalize(), callback_data=MaterialCb(a="aud", v=key))
    kb.adjust(1)
    return kb.as_markup()


def audience_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for key in BROADCAST_AUDIENCES:
        label = tr(f"broadcast-audiences-{key}")
        kb.button(text=label, callback_data=BroadcastCb(a="aud", v=key))
    kb.button(text=tr("btn-audience-form"), callback_data=BroadcastCb(a="forms"))
    kb.button(text=tr("btn-audience-club"), callback_data=BroadcastCb(a="clubs"))
    kb.button(text=tr("btn-cancel"), callback_data=BroadcastCb(a="cancel"))
    kb.adjust(1)
    return kb.as_markup()


def form_audience_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for form in Form:
        kb.button(text=form.label, callback_data=BroadcastCb(a="aud", v=f"form.{form.value}"))
    kb.button(text=tr("btn-cancel"), callback_data=BroadcastCb(a="cancel"))
    kb.adjust(1)
    return kb.as_markup()


def club_audience_keyboard(clubs: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for club_id, label in clubs:
        kb.button(text=label, callback_data=BroadcastCb(a="aud", v=f"club.{club_id}"))
    kb.button(text=tr("btn-cancel"), callback_data=BroadcastCb(a="cancel"))
    kb.adjust(1)
    return kb.as_markup()


def confirm_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-broadcast-send"), callback_data=BroadcastCb(a="send"))
    kb.button(text=tr("btn-cancel"), callback_data=BroadcastCb(a="cancel"))
    return kb.as_markup()
