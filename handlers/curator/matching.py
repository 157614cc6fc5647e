"""/match on Telegram (the draft, the curator's corrections, confirming pairs): the adapter of
`bot.flows.curator.matching`. aiogram's filters route; the flow answers in one action (a confirmation: the pairs,
the audit entry and the notices to the new pairs together), and its effects go out through `handlers.ui.render`.
The form picker's presses (`FormCb`) are the grouping adapter's, which hands them to the core as well."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command

from handlers.curator.reports import on_command, on_press
from handlers.kb.matching import MatchCb


def build_router() -> Router:
    router = Router(name="curator-matching")
    router.message.register(on_command, Command("match"))
    router.callback_query.register(on_press, MatchCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
