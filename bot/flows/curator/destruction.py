"""/destruction_act: the act on the destruction of personal data (Приказ РКН № 179) for a period, as DOCX, from
the records each withdrawal leaves in `destruction_log`; the file is a `SendFile` effect."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.clock import parse_iso
from bot.documents.destruction_act import ActInfo, destroyed_record, destruction_act_docx
from bot.flows.context import Ctx
from bot.flows.curator.curators import curator_only
from bot.flows.curator.documents import DOCX
from bot.flows.curator.participants import people
from bot.flows.effects import Effect, Later, SendFile, Show, Toast
from bot.flows.events import Event, PressIn
from bot.flows.payloads import Payload, PayloadError
from bot.flows.routes import FlowRoutes
from bot.flows.screens import FileOut, Keyboard, Screen
from bot.i18n import quoted, tr

#: Periods offered, in button order: this month, last month, this year.
PERIODS = ("month", "last_month", "year")


class DestructionActPayload(Payload, prefix="da"):
    """The act's period (handlers.kb.destruction.DestructionActCb)."""

    period: str


def period_rows() -> Keyboard:
    kb = Keyboard()
    captions = (tr("btn-act-this-month"), tr("btn-act-last-month"), tr("btn-act-this-year"))
    for period, caption in zip(PERIODS, captions, strict=True):
        kb.add(caption, DestructionActPayload(period=period))
    return kb.adjust(2, 1)


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


def bounds(start: date, end: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The period's local days as a half-open UTC interval."""
    since = datetime.combine(start, time(), tz).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=1), time(), tz).astimezone(UTC)
    return since, until


@curator_only
async def on_destruction_act(ctx: Ctx, event: Event) -> list[Effect]:
    return [Show(Screen(tr("destruction-act-pick"), period_rows().rows()), edit=False)]


@curator_only
async def on_period(ctx: Ctx, event: Event) -> list[Effect]:
    assert isinstance(event, PressIn)
    try:
        period = DestructionActPayload.unpack(event.payload).period
    except PayloadError:
        period = ""
    if period not in PERIODS:
        return [Toast(tr("stale-button"))]
    settings = ctx.repos.settings
    tz = settings.institution.tz
    today = ctx.repos.clock.now().astimezone(tz).date()
    start, end = period_of(period, today)
    since, until = bounds(start, end, tz)
    records = [
        destroyed_record(row, tz)
        for row in await people(ctx).destruction_log()
        if since <= parse_iso(row["destroyed_at"]) < until
    ]
    shown = {"start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"}
    if not records:
        return [Show(Screen(tr("destruction-act-none", **shown)))]
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
    me = ctx.person
    await ctx.repos.audit.record(
        me.account_id,
        "destruction_act.export",
        f"{start.isoformat()}..{end.isoformat()}",
        {"records": len(records)},
        actor_messenger=me.messenger,
    )
    name = f"akt-ob-unichtozhenii-pd-{start:%Y-%m-%d}-{end:%Y-%m-%d}.docx"

    async def write() -> list[Effect]:
        # python-docx is imported in the worker thread, on the first act; after the commit, the database free.
        data = await asyncio.to_thread(destruction_act_docx, info, records)
        return [SendFile(FileOut(name, data, DOCX, caption=tr("destruction-act-caption", **shown)))]

    return [Show(Screen(tr("destruction-act-ready", n=len(records), **shown))), Later(write)]


ROUTES = FlowRoutes(
    commands={"destruction_act": on_destruction_act}, presses={DestructionActPayload.prefix: on_period}
)
