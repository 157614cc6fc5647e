"""/destruction_act: the act on the destruction of personal data (Приказ РКН № 179) for a period, as DOCX,
from the records each withdrawal leaves in `destruction_log`."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock, parse_iso
from bot.documents.destruction_act import ActInfo, destroyed_record, destruction_act_docx
from bot.i18n import quoted, tr
from bot.settings import Settings
from handlers.kb.destruction import PERIODS, DestructionActCb, period_keyboard
from handlers.ui import show
from storage.audit import AuditLog
from storage.participants import ParticipantRepo


def period_of(kind: str, today: date) -> tuple[date, date]:
    """The first and the last day (inclusive) of this month, last month or this calendar year."""
    if kind == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    first = today.replace(day=1)
    if kind == "last_month":
        last = first - timedelta(days=1)
        return last.replace(day=1), last
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _bounds(start: date, end: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The period's local days as a half-open UTC interval."""
    since = datetime.combine(start, time(), tz).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=1), time(), tz).astimezone(UTC)
    return since, until


async def cmd_destruction_act(message: Message) -> None:
    await message.answer(tr("destruction-act-pick"), reply_markup=period_keyboard())


async def on_period(
    query: CallbackQuery,
    callback_data: DestructionActCb,
    bot: Bot,
    clock: Clock,
    settings: Settings,
    participants: ParticipantRepo,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    if callback_data.period not in PERIODS:
        callback_answer.text = tr("stale-button")
        return
    tz = settings.institution.tz
    today = clock.now().astimezone(tz).date()
    start, end = period_of(callback_data.period, today)
    since, until = _bounds(start, end, tz)
    records = [
        destroyed_record(row, tz)
        for row in await participants.destruction_log()
        if since <= parse_iso(row["destroyed_at"]) < until
    ]
    shown = {"start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"}
    if not records:
        await show(query, tr("destruction-act-none", **shown))
        return
    await show(query, tr("destruction-act-ready", n=len(records), **shown))
    organization = settings.institution.organization_name
    info = ActInfo(
        organization=organization,
        address=settings.institution.organization_address or None,
        system=tr("destruction-system", org=quoted(organization)),
        carrier=tr("destruction-carrier", file=settings.storage.database_path.name),
        period_start=start,
        period_end=end,
        act_date=today,
    )
    # python-docx is imported in the worker thread, on the first act.
    data = await asyncio.to_thread(destruction_act_docx, info, records)
    await audit.record(
        query.from_user.id,
        "destruction_act.export",
        f"{start.isoformat()}..{end.isoformat()}",
        {"records": len(records)},
    )
    await bot.send_document(
        query.from_user.id,
        BufferedInputFile(data, filename=f"akt-ob-unichtozhenii-pd-{start:%Y-%m-%d}-{end:%Y-%m-%d}.docx"),
        caption=tr("destruction-act-caption", **shown),
    )


def build_router() -> Router:
    router = Router(name="curator-destruction")
    router.message.register(cmd_destruction_act, Command("destruction_act"))
    router.callback_query.register(on_period, DestructionActCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
