"""The Telegram side of the notices (`bot.flows.notices`): their buttons rendered as an inline keyboard, and the
aiogram twins of their payloads that the handlers filter on.

Each twin packs and parses exactly as the neutral class of the same name (tests/test_payloads.py checks every
pair against aiogram's own `pack`/`unpack`): the core packs notices with the neutral codec, the handlers keep
aiogram's `CallbackData.filter(F.a == …)` and their typed `callback_data` until their flows move into the core.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.flows import notices
from bot.flows.notices import ROADMAP_CARD as ROADMAP_CARD
from bot.flows.notices import Rows
from bot.flows.screens import Button


class CampaignCb(CallbackData, prefix=notices.CampaignCb.prefix):
    id: int


class CheckinCb(CallbackData, prefix=notices.CheckinCb.prefix):
    """After a meeting: a = held, moved, not (not held), use (usefulness v), why (reason v), skip (no note)."""

    a: str
    id: int
    v: str = ""


class PrefCb(CallbackData, prefix=notices.PrefCb.prefix):
    a: str  # start, pick, none, reset, done
    r: int
    c: int = 0


class RoadmapCb(CallbackData, prefix=notices.RoadmapCb.prefix):
    """a: the action (see handlers/kb/roadmap.py); y: programme year; s: section; n: item number; f: field;
    d: document id."""

    a: str
    y: int = 0
    s: int = 0
    n: str = ""
    f: str = ""
    d: int = 0


def inline_markup(rows: Rows) -> InlineKeyboardMarkup | None:
    """Neutral rows of buttons as Telegram's inline keyboard (None without buttons)."""
    if not rows:
        return None
    return InlineKeyboardMarkup(inline_keyboard=[[_inline(button) for button in row] for row in rows])


def _inline(button: Button) -> InlineKeyboardButton:
    if button.url is not None:
        return InlineKeyboardButton(text=button.label, url=button.url)
    return InlineKeyboardButton(text=button.label, callback_data=button.payload)


def neutral_rows(markup: InlineKeyboardMarkup | None) -> Rows:
    """An inline keyboard built by a handler as neutral rows (for the outbox): its buttons are payloads or links."""
    if markup is None:
        return ()
    return tuple(tuple(_neutral(button) for button in row) for row in markup.inline_keyboard)


def _neutral(button: InlineKeyboardButton) -> Button:
    if button.callback_data is not None:
        return Button(button.text, payload=button.callback_data)
    if button.url is not None:
        return Button(button.text, url=button.url)
    raise ValueError(f"a notice's button is a payload or a link: {button!r}")


def pref_start_keyboard(round_id: int) -> InlineKeyboardMarkup:
    markup = inline_markup(notices.pref_start_buttons(round_id))
    assert markup is not None
    return markup
