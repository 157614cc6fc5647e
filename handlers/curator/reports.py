"""/summary (text and charts) and /export (one XLSX workbook with every sheet the roadmap asks for)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date
from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.clock import Clock
from bot.i18n import esc, quoted, tr
from bot.meetings import Stage
from bot.monitoring import MIN_GROUP, monitoring_period
from bot.programme import FORM_LABELS, ROLE_LABELS, YEAR_LABEL_RE, ArchivedYear, Form, Role
from bot.questionnaires import Questionnaire
from bot.reports.export_xlsx import export_workbook
from bot.reports.summary import QualityPeriod, export_sheets, item_labels, period_label, stage_counts, visible
from bot.settings import Settings
from handlers.kb.reports import ReportCb, curator_menu_keyboard
from handlers.kb.years import with_archive
from storage.audit import AuditLog
from storage.campaigns import CampaignRepo
from storage.reports import ReportRepo

#: Monitoring periods shown in the chat summary (all of them are in the export).
SUMMARY_PERIODS = 3
MONITORING_QUESTIONNAIRES = ("quality_mentee", "quality_mentor", "growth", "final_mentee", "final_mentor")


def _fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


async def _quality(reports: ReportRepo, labels: dict[str, str], settings: Settings) -> list[QualityPeriod]:
    """Quality figures per monitoring period (the calendar's quality dates), over every quality campaign of the
    period, oldest period first."""
    tz, calendar = settings.institution.tz, settings.monitoring.campaign_calendar
    periods = {
        campaign_id: monitoring_period(opened.astimezone(tz).date(), calendar).isoformat()
        for campaign_id, opened in await reports.campaign_openings("quality")
    }
    items: dict[str, list[tuple[str, float | None, int]]] = {}
    for item in await reports.period_item_means(periods):
        label = labels.get(item.question_id, item.question_id)
        items.setdefault(item.period, []).append((label, item.mean if visible(item.n) else None, item.n))
    campaigns = Counter(periods.values())
    return [
        QualityPeriod(period_label(date.fromisoformat(period)), campaigns[period], items.get(period, []))
        for period in sorted(campaigns)
    ]


def _chart_quality(periods: list[QualityPeriod]) -> list[tuple[str, float | None, int]]:
    """One bar per item and period (the period named when there are several)."""
    if len(periods) == 1:
        return periods[0].items
    return [(f"{p.label}: {label}", mean, n) for p in periods for label, mean, n in p.items]


async def _growth(reports: ReportRepo, labels: dict[str, str]) -> list[tuple[str, float | None, float | None, int]]:
    return [
        (
            labels.get(g.question_id, g.question_id),
            g.entry if visible(g.n) else None,
            g.end if visible(g.n) else None,
            g.n,
        )
        for g in await reports.growth()
    ]


def _render_charts(
    stages: dict[str, int],
    quality: list[tuple[str, float | None, int]],
    growth: list[tuple[str, float | None, float | None, int]],
) -> list[tuple[str, bytes]]:
    # matplotlib (about 55 MiB) is imported here, in the worker thread, on the first /summary charts.
    from bot.reports.charts import growth_png, satisfaction_png, stage_progress_png

    return [
        ("stages.png", stage_progress_png(stages, title=tr("chart-stages"))),
        ("quality.png", satisfaction_png(quality, title=tr("chart-satisfaction"))),
        ("growth.png", growth_png(growth, title=tr("chart-growth"))),
    ]


async def deliver(
    kind: str,
    chat_id: int,
    curator_id: int,
    bot: Bot,
    clock: Clock,
    settings: Settings,
    reports: ReportRepo,
    campaigns: CampaignRepo,
    questionnaires: dict[str, Questionnaire],
    audit: AuditLog,
    year: ArchivedYear | None = None,
) -> None:
    """Send a report (of an archived `year`, else of the current one). Charts and the workbook are rendered in a
    worker thread: they take CPU for a while and must not hold up other users' updates on the event loop."""
    labels = item_labels(questionnaires, MONITORING_QUESTIONNAIRES)
    reports = reports.of_year(year)
    if kind == "export":
        tz = settings.institution.tz
        data = await collect_export(settings, reports, questionnaires)
        generated = clock.now().astimezone(tz)
        organization = settings.institution.organization_name
        workbook = await asyncio.to_thread(
            lambda: export_workbook(export_sheets(**data), organization=organization, generated=generated)
        )
        await audit.record(curator_id, "export.xlsx", year.label if year else None)
        name = f"nastavnichestvo-{clock.now().astimezone(tz):%Y-%m-%d}.xlsx"
        caption = tr("export-caption")
        if year is not None:
            name = f"nastavnichestvo-arhiv-{year.label}-{clock.now().astimezone(tz):%Y-%m-%d}.xlsx"
            caption = tr("archive-export-caption", year=year.label)
        await bot.send_document(chat_id, BufferedInputFile(workbook, filename=name), caption=caption)
        return
    quality = await _quality(reports, labels, settings)
    growth = await _growth(reports, labels)
    if kind == "charts":
        await audit.record(curator_id, "summary.charts")
        stages = stage_counts(await reports.furthest_stages())
        pictures = await asyncio.to_thread(_render_charts, stages, _chart_quality(quality), growth)
        for name, data in pictures:
            await bot.send_photo(chat_id, BufferedInputFile(data, filename=name))
        return
    await audit.record(curator_id, "summary.text", year.label if year else None)
    text = await summary_text(clock, settings, reports, campaigns, quality, growth)
    markup = with_archive(curator_menu_keyboard(), await reports.years())
    await bot.send_message(chat_id, text, reply_markup=markup)


async def report_year(message: Message, args: list[str], reports: ReportRepo) -> tuple[bool, ArchivedYear | None]:
    """The archived year named in a command's arguments («/summary 2025-26»): (go on?, the year or None)."""
    named = [a for a in args if YEAR_LABEL_RE.match(a)]
    if not named:
        return True, None
    years = await reports.years()
    year = next((y for y in years if y.label == named[0]), None)
    if year is None:
        listed = ", ".join(y.label for y in years) or tr("summary-none")
        await message.answer(tr("archive-unknown", year=named[0], years=listed))
        return False, None
    return True, year


async def cmd_summary(
    message: Message,
    command: CommandObject,
    bot: Bot,
    clock: Clock,
    settings: Settings,
    reports: ReportRepo,
    campaigns: CampaignRepo,
    questionnaires: dict[str, Questionnaire],
    audit: AuditLog,
) -> None:
    args = (command.args or "").strip().lower().split()
    kind = "charts" if {"charts", "графики"} & set(args) else "summary"
    found, year = await report_year(message, args, reports)
    if not found:
        return
    user_id = message.from_user.id  # type: ignore[union-attr]
    await deliver(
        kind, message.chat.id, user_id, bot, clock, settings, reports, campaigns, questionnaires, audit, year
    )


async def cmd_export(
    message: Message,
    command: CommandObject,
    bot: Bot,
    clock: Clock,
    settings: Settings,
    reports: ReportRepo,
    campaigns: CampaignRepo,
    questionnaires: dict[str, Questionnaire],
    audit: AuditLog,
) -> None:
    found, year = await report_year(message, (command.args or "").split(), reports)
    if not found:
        return
    user_id = message.from_user.id  # type: ignore[union-attr]
    args = (bot, clock, settings, reports, campaigns, questionnaires, audit, year)
    await deliver("export", message.chat.id, user_id, *args)


async def on_report(
    query: CallbackQuery,
    callback_data: ReportCb,
    bot: Bot,
    clock: Clock,
    settings: Settings,
    reports: ReportRepo,
    campaigns: CampaignRepo,
    questionnaires: dict[str, Questionnaire],
    audit: AuditLog,
) -> None:
    if callback_data.kind not in ("summary", "charts", "export"):
        return
    chat_id = query.message.chat.id if query.message else query.from_user.id
    args = (bot, clock, settings, reports, campaigns, questionnaires, audit)
    await deliver(callback_data.kind, chat_id, query.from_user.id, *args)


async def summary_text(
    clock: Clock,
    settings: Settings,
    reports: ReportRepo,
    campaigns: CampaignRepo,
    quality: list[QualityPeriod],
    growth: list[tuple[str, float | None, float | None, int]],
) -> str:
    people = await reports.people_by_role()
    text = tr("summary-header", date=clock.now().astimezone(settings.institution.tz).strftime("%d.%m.%Y"))
    year, last = reports.year, (await reports.years())[-1:]
    if year is not None:
        finished = year.finished_at.astimezone(settings.institution.tz).strftime("%d.%m.%Y")
        text = tr("archive-summary-header", year=year.label, date=finished)
    role_lines = "\n".join(
        tr("summary-role-line", role=ROLE_LABELS[Role(c.role)], n=c.people)
        + (tr("summary-role-unconsented", n=c.people - c.consented) if c.consented < c.people else "")
        for c in people
    )
    text += tr("summary-people",
        total=sum(c.people for c in people),
        by_role=role_lines or tr("summary-none"),
        consented=sum(c.consented for c in people),
        waiting=sum(c.waiting for c in people),
    )
    forms = await reports.pairs_by_form()
    form_lines = "\n".join(
        tr("summary-form-line", form=FORM_LABELS[Form(f)], pairs=p, groups=g, mentees=m) for f, p, g, m in forms
    )
    text += tr("summary-forms", lines=form_lines or tr("summary-none"))
    by_stage = await reports.meetings_by_stage()
    held = sum(s.get("held", 0) for s in by_stage.values())
    planned = sum(s.get("planned", 0) for s in by_stage.values())
    missed = sum(s.get("not_held", 0) for s in by_stage.values())
    stage_lines = "\n".join(
        tr("summary-stage-line",
            stage=stage.label,
            held=by_stage.get(stage.value, {}).get("held", 0),
            planned=by_stage.get(stage.value, {}).get("planned", 0),
            missed=by_stage.get(stage.value, {}).get("not_held", 0),
        )
        for stage in Stage
        if stage.value in by_stage
    )
    text += tr("summary-meetings", held=held, planned=planned, missed=missed, lines=stage_lines)
    rates = [
        rate
        for rate in await campaigns.response_rates()
        if (year.holds(rate[0].opens_at) if year else not last or rate[0].opens_at > last[0].finished_at)
    ][:5]
    campaign_lines = "\n".join(
        tr("summary-campaign-line", title=esc(quoted(c.title)), done=done, total=n) for c, n, done in rates
    )
    text += tr("summary-campaigns", lines=campaign_lines or tr("summary-none"))
    period_blocks = []
    for period in quality[-SUMMARY_PERIODS:]:
        lines = [tr("summary-period", period=period.label, campaigns=period.campaigns)]
        lines += [
            tr("summary-item",
                label=esc(label), mean=_fmt(mean) if mean is not None else tr("summary-hidden"), n=n
            )
            for label, mean, n in period.items
        ] or [tr("summary-none")]
        period_blocks.append("\n".join(lines))
    quality_lines = "\n".join(period_blocks)
    text += tr("summary-satisfaction", lines=quality_lines or tr("summary-none"))
    growth_lines = "\n".join(
        tr("summary-growth-item",
            label=esc(label),
            entry=_fmt(entry) if entry is not None else tr("summary-hidden"),
            end=_fmt(end) if end is not None else tr("summary-hidden"),
            n=n,
        )
        for label, entry, end, n in growth
    )
    text += tr("summary-growth", lines=growth_lines or tr("summary-none"))
    days = settings.schedule.inactivity_days
    text += tr("summary-quiet", days=days, quiet=await reports.quiet_pairs(days))
    ranking = (await reports.mentor_ranking())[:5]
    if ranking:
        top = "\n".join(
            tr("summary-top-line",
                n=n,
                name=esc(r.name),
                nominations=r.nominations,
                mean=_fmt(r.mean) if r.mean is not None and r.ratings >= MIN_GROUP else tr("summary-hidden"),
            )
            for n, r in enumerate(ranking, start=1)
        )
        text += tr("summary-top", lines=top)
    return text + tr("summary-charts-hint")


async def collect_export(
    settings: Settings, reports: ReportRepo, questionnaires: dict[str, Questionnaire]
) -> dict[str, Any]:
    """Everything the export's sheets are made of (read here, on the loop; turned into sheets in a thread)."""
    people = await reports.accounting()
    names = {p["id"]: p["name"] for p in people if p["name"]}
    pairs = await reports.pair_rows()
    labels = item_labels(questionnaires, MONITORING_QUESTIONNAIRES)
    quality = await _quality(reports, labels, settings)
    growth = await _growth(reports, labels)
    monitoring = [
        (tr("export-monitoring-quality", period=p.label), label, mean, n) for p in quality for label, mean, n in p.items
    ]
    entry_kind, end_kind = tr("export-monitoring-growth-entry"), tr("export-monitoring-growth-end")
    monitoring += [(entry_kind, label, entry, n) for label, entry, _, n in growth]
    monitoring += [(end_kind, label, end, n) for label, _, end, n in growth]
    consented = {c.role: c.consented for c in await reports.people_by_role()}
    forms = await reports.pairs_by_form()
    teachers, pupils = await reports.involved_teachers_and_pupils()
    contingent = settings.monitoring

    def share(count: int, of: int) -> tuple[int, float | None, int | None]:
        return count, (round(100 * count / of, 1) if of else None), (of or None)

    municipal: list[tuple[str, int | None, float | None, int | None]] = [
        (tr("municipal-lines-mentees"), sum(n for r, n in consented.items() if r != Role.MENTOR.value), None, None),
        (tr("municipal-lines-mentors"), consented.get(Role.MENTOR.value, 0), None, None),
        # the sum of the form lines below
        (tr("municipal-lines-pairs"), sum(p + g for _, p, g, _ in forms), None, None),
        (tr("municipal-lines-pupils_share"), *share(pupils, contingent.contingent_pupils)),
        (tr("municipal-lines-teachers_share"), *share(teachers, contingent.contingent_teachers)),
    ]
    for period in quality:
        satisfaction = next((item for item in period.items if item[0] == labels.get("satisfaction")), None)
        if satisfaction is not None:
            _, mean, n = satisfaction
            municipal.append((tr("municipal-lines-satisfaction", period=period.label), None, mean, n))
    for f, p, g, m in forms:
        form = FORM_LABELS[Form(f)]
        municipal += [
            (tr("municipal-lines-form_pairs", form=form), p, None, None),
            (tr("municipal-lines-form_groups", form=form), g, None, None),
            (tr("municipal-lines-form_mentees", form=form), m, None, None),
        ]
    return dict(
        people=people,
        names=names,
        pairs=pairs,
        meetings=await reports.all_meetings(),
        answers=await reports.all_answers(),
        campaign_questionnaires=await reports.campaign_questionnaires(),
        checkins=await reports.all_checkins(),
        monitoring=monitoring,
        municipal=municipal,
        questionnaires=questionnaires,
        tz=settings.institution.tz,
    )


def build_router() -> Router:
    router = Router(name="curator-reports")
    router.message.register(cmd_summary, Command("summary"))
    router.message.register(cmd_export, Command("export"))
    router.callback_query.register(on_report, ReportCb.filter())
    return router
