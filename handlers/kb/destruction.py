"""Callback data of /destruction_act (the period of the act): the aiogram twin of
`bot.flows.curator.destruction.DestructionActPayload`, which draws the keyboard."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.flows.curator.destruction import PERIODS as PERIODS


class DestructionActCb(CallbackData, prefix="da"):
    period: str
