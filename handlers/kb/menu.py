"""Callback data of the participant's menu and of the withdrawal's confirmation: their screens are drawn by
bot.flows.menu and bot.flows.forget, with the same payloads (tests/test_payloads.py)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class MenuCb(CallbackData, prefix="m"):
    action: str


class ForgetCb(CallbackData, prefix="fg"):
    """`pid` is set when a parent withdraws the consent they gave for a child."""

    confirm: bool
    pid: int = 0
