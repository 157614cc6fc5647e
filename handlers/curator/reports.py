"""/summary (text and charts), /export (one XLSX workbook with every sheet the roadmap asks for) and /bases on
Telegram: the adapter of `bot.flows.curator.reports` (aiogram's filters route; the flow answers; its effects go
out through `handlers.ui.render`: charts as photos, workbooks as documents)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.curator import reports as flow
from bot.flows.events import CommandIn, PressIn
from bot.flows.ports import Repos
from handlers.core import perform, person_of
from handlers.kb.matching import BasesCb
from handlers.kb.reports import ReportCb

# What the benchmarks and tests read of the reports, now in the flow: re-exported.
MONITORING_QUESTIONNAIRES = flow.MONITORING_QUESTIONNAIRES
_chart_quality = flow._chart_quality
_growth = flow._growth
_quality = flow._quality
collect_export = flow.collect_export
summary_text = flow.summary_text


def command_event(message: Message, command: CommandObject) -> CommandIn:
    return CommandIn(person_of(message.from_user.id), command.command.lower(), command.args or "")  # type: ignore[union-attr]


def press_event(query: CallbackQuery) -> PressIn:
    message_id = str(query.message.message_id) if query.message is not None else None
    return PressIn(person_of(query.from_user.id), query.data or "", message_id)


async def on_command(message: Message, command: CommandObject, state: FSMContext, repos: Repos) -> None:
    """/summary, /export, /bases: the flow's."""
    await perform(message, command_event(message, command), state, repos)


async def on_press(query: CallbackQuery, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer) -> None:
    """The menu of reports and the bases: the flow's."""
    await perform(query, press_event(query), state, repos, callback_answer)


def build_router() -> Router:
    router = Router(name="curator-reports")
    router.message.register(on_command, Command("summary", "export", "bases"))
    router.callback_query.register(on_press, ReportCb.filter())
    router.callback_query.register(on_press, BasesCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
