"""The curator's figures: /summary (the text, or the charts as photos), /export (one XLSX workbook with every
sheet the roadmap asks for), of the current year or an archived one, and the bases of mentees and mentors (XLSX).

Commands: /summary [графики] [2025-26], /export [2025-26], /bases. Presses: the curator's menu of reports
(`ReportPayload`), the bases (`BasesPayload`); an archived year's summary, charts and export come from the pairs
flow (`ArchivePayload`, `bot.flows.curator.pairs`). Each is one action: the audit entry and the file it sends.

Charts and workbooks are written in a worker thread (matplotlib and openpyxl are imported there on first use).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

from bot.clock import Clock
from bot.documents import PersonRow, people_workbook
from bot.flows.context import Ctx
from bot.flows.curator.documents import person_row
from bot.flows.effects import Effect, Later, SendFile, Show, Toast
from bot.flows.events import CommandIn, Event, PressIn
from bot.flows.menu import curator_menu
from bot.flows.payloads import ArchivePayload, BasesPayload, PayloadError, ReportPayload
from bot.flows.ports import StartLinks
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Button, FileOut, Keyboard, Screen
from bot.flows.texts import messenger_counts
from bot.i18n import esc, quoted, tr
from bot.meetings import Stage
from bot.monitoring import MIN_GROUP, monitoring_period
from bot.pairs import Pair
from bot.programme import FORM_LABELS, INTAKE_BY_ROLE, ROLE_LABELS, YEAR_LABEL_RE, ArchivedYear, Form, Role
from bot.questionnaires import Questionnaire
from bot.reports.summary import QualityPeriod, export_sheets, item_labels, period_label, stage_counts, visible
from bot.settings import Settings

#: Monitoring periods shown in the chat summary (all of them are in the export).
SUMMARY_PERIODS = 3
MONITORING_QUESTIONNAIRES = ("quality_mentee", "quality_mentor", "growth", "final_mentee", "final_mentor")
#: How many of the latest archived years get buttons (older ones: /summary 2025-26, /export 2025-26).
SHOWN_YEARS = 2
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = ("summary", "charts", "export")

Handler = Callable[[Ctx, Event], Awaitable[list[Effect]]]


# --- the curator's only ------------------------------------------------------------------------------------------
def curator_only(handler: Handler) -> Handler:
    """Anyone else's command is a word the bot did not understand, their press a stale button (on Telegram the
    curator's router never lets them reach it)."""

    async def guarded(ctx: Ctx, event: Event) -> list[Effect]:
        if ctx.is_curator:
            return await handler(ctx, event)
        if isinstance(event, PressIn):
            return [Toast(tr("stale-button"), alert=True)]
        return [Show(Screen(tr("unknown-input")), edit=False)]

    guarded.__name__ = handler.__name__
    guarded.__doc__ = handler.__doc__
    return guarded


def press_of(event: Event) -> PressIn:
    assert isinstance(event, PressIn)
    return event


# --- the events --------------------------------------------------------------------------------------------------
@curator_only
async def on_summary(ctx: Ctx, event: Event) -> list[Effect]:
    """/summary, /summary графики, /summary 2025-26."""
    args = event.args.strip().lower().split() if isinstance(event, CommandIn) else []
    kind = "charts" if {"charts", "графики"} & set(args) else "summary"
    year = await _named_year(ctx, args)
    if isinstance(year, Show):
        return [year]
    return await deliver(ctx, kind, year)


@curator_only
async def on_export(ctx: Ctx, event: Event) -> list[Effect]:
    """/export, /export 2025-26."""
    year = await _named_year(ctx, event.args.split() if isinstance(event, CommandIn) else [])
    if isinstance(year, Show):
        return [year]
    return await deliver(ctx, "export", year)


@curator_only
async def on_report(ctx: Ctx, event: Event) -> list[Effect]:
    """A button of the curator's menu of reports."""
    try:
        kind = ReportPayload.unpack(press_of(event).payload).kind
    except PayloadError:
        return [Toast(tr("stale-button"))]
    if kind not in KINDS:
        return []
    return await deliver(ctx, kind)


async def on_archive_report(ctx: Ctx, year: ArchivedYear, kind: str) -> list[Effect]:
    """An archived year's summary, charts or export (its buttons are the pairs flow's `ArchivePayload`)."""
    return await deliver(ctx, kind, year)


async def _named_year(ctx: Ctx, args: list[str]) -> ArchivedYear | Show | None:
    """The archived year named in a command's arguments («/summary 2025-26»): the year, None for the current
    one, or the screen that says there is no such year."""
    named = [a for a in args if YEAR_LABEL_RE.match(a)]
    if not named:
        return None
    years = await ctx.repos.reports.years()
    year = next((y for y in years if y.label == named[0]), None)
    if year is None:
        listed = ", ".join(y.label for y in years) or tr("summary-none")
        return Show(Screen(tr("archive-unknown", year=named[0], years=listed)), edit=False)
    return year


async def deliver(ctx: Ctx, kind: str, year: ArchivedYear | None = None) -> list[Effect]:
    """A report of an archived `year`, else of the current one: the text under the menu of reports, the three
    charts as photos, or the workbook."""
    repos = ctx.repos
    settings, curator = repos.settings, ctx.person.account_id
    reports = repos.reports.of_year(year)
    labels = item_labels(repos.questionnaires, MONITORING_QUESTIONNAIRES)
    if kind == "export":
        return [await _export(ctx, reports, year)]
    quality = await _quality(reports, labels, settings)
    growth = await _growth(reports, labels)
    if kind == "charts":
        await repos.audit.record(curator, "summary.charts")
        stages = stage_counts(await reports.furthest_stages())
        return [Later(partial(_charts, stages, _chart_quality(quality), growth))]
    await repos.audit.record(curator, "summary.text", year.label if year else None)
    text = await summary_text(repos.clock, settings, reports, repos.campaigns, quality, growth, repos.links)
    return [Show(Screen(text, report_rows(await reports.years())), edit=False)]


async def _charts(*data: Any) -> list[Effect]:
    """The three charts as photos, drawn after the action's commit (matplotlib in a worker thread)."""
    pictures = await asyncio.to_thread(_render_charts, *data)
    return [SendFile(FileOut(name, content, "image/png")) for name, content in pictures]


async def _export(ctx: Ctx, reports: Any, year: ArchivedYear | None) -> Later:
    repos = ctx.repos
    settings = repos.settings
    tz = settings.institution.tz
    data = await collect_export(settings, reports, dict(repos.questionnaires))
    generated = repos.clock.now().astimezone(tz)
    organization = settings.institution.organization_name
    await repos.audit.record(ctx.person.account_id, "export.xlsx", year.label if year else None)
    name = f"nastavnichestvo-{generated:%Y-%m-%d}.xlsx"
    caption = tr("export-caption")
    if year is not None:
        name = f"nastavnichestvo-arhiv-{year.label}-{generated:%Y-%m-%d}.xlsx"
        caption = tr("archive-export-caption", year=year.label)

    async def write() -> list[Effect]:
        workbook = await asyncio.to_thread(
            lambda: _workbook(export_sheets(**data), organization=organization, generated=generated)
        )
        return [SendFile(FileOut(name, workbook, XLSX, caption))]

    return Later(write)


def _workbook(sheets: Any, **options: Any) -> bytes:
    from bot.reports.export_xlsx import export_workbook

    return export_workbook(sheets, **options)


def report_rows(years: list[ArchivedYear]) -> tuple[tuple[Button, ...], ...]:
    """The curator's menu of reports with the latest archived years' summary and export under it."""
    kb = Keyboard()
    for action in ("summary", "export"):
        for label, payload in archive_buttons(years, action):
            kb.add(label, payload)
    return curator_menu().rows + kb.rows()


def archive_buttons(years: list[ArchivedYear], action: str) -> list[tuple[str, ArchivePayload]]:
    """Buttons to the latest archived years: their pairs («Архив 2026-27») or reports."""
    label = {"pairs": "btn-archive", "summary": "btn-archive-summary", "export": "btn-archive-export"}
    return [
        (tr(label[action], year=y.label), ArchivePayload(a=action, y=y.id)) for y in reversed(years[-SHOWN_YEARS:])
    ]


# --- the figures -------------------------------------------------------------------------------------------------
def _fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


async def _quality(reports: Any, labels: dict[str, str], settings: Settings) -> list[QualityPeriod]:
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


async def _growth(reports: Any, labels: dict[str, str]) -> list[tuple[str, float | None, float | None, int]]:
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


async def summary_text(
    clock: Clock,
    settings: Settings,
    reports: Any,
    campaigns: Any,
    quality: list[QualityPeriod],
    growth: list[tuple[str, float | None, float | None, int]],
    links: StartLinks | None = None,
) -> str:
    """The /summary text; `links` says which messengers the bot runs (the head count per messenger is shown
    when people are on more than one, or the bot runs more than one)."""
    links = links or StartLinks()
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
    counts = messenger_counts(links, await reports.people_by_messenger())
    text += tr("summary-people",
        total=sum(c.people for c in people),
        messengers=tr("participants-by-messenger", counts=counts) if counts else "",
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


async def collect_export(settings: Settings, reports: Any, questionnaires: dict[str, Questionnaire]) -> dict[str, Any]:
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


# --- the bases of mentees and mentors ---------------------------------------------------------------------------
@curator_only
async def on_bases_command(ctx: Ctx, event: Event) -> list[Effect]:
    """/bases: which base to export."""
    kb = Keyboard()
    kb.add(tr("btn-base-mentees"), BasesPayload("mentees"))
    kb.add(tr("btn-base-mentors"), BasesPayload("mentors"))
    return [Show(Screen(tr("bases-pick"), kb.rows()), edit=False)]


@curator_only
async def on_bases(ctx: Ctx, event: Event) -> list[Effect]:
    """A base as an XLSX file: everyone of its roles who consented, their answers and their pair."""
    try:
        kind = BasesPayload.unpack(press_of(event).payload).kind
    except PayloadError:
        return [Toast(tr("stale-button"))]
    repos = ctx.repos
    settings = repos.settings
    mentors = kind == "mentors"
    roles = [Role.MENTOR] if mentors else [Role.MENTEE_PUPIL, Role.MENTEE_TEACHER]
    people = [p for p in await repos.participants.all_consented() if p.role in roles]
    if not people:
        return [Toast(tr("base-empty"))]
    answers = await repos.matching.answers_of([p.id for p in people])
    paired = {m.id: pair for pair in await repos.matching.pairs() for m in pair.people}
    rows = [
        _in_pair(
            person_row(p, repos.questionnaires[INTAKE_BY_ROLE[p.role]], answers.get(p.id, {}), settings),
            paired.get(p.id),
        )
        for p in people
    ]
    title = tr("btn-base-mentors") if mentors else tr("btn-base-mentees")
    now = repos.clock.now().astimezone(settings.institution.tz)
    organization = settings.institution.organization_name
    await repos.audit.record(ctx.person.account_id, "bases.export", kind, {"rows": len(rows)})
    name = "baza-nastavnikov" if mentors else "baza-nastavlyaemyh"

    async def write() -> list[Effect]:
        data = await asyncio.to_thread(people_workbook, title, rows, organization=organization, generated=now)
        return [SendFile(FileOut(f"{name}-{now:%Y-%m-%d}.xlsx", data, XLSX, title))]

    return [Later(write)]


def _in_pair(row: PersonRow, pair: Pair | None) -> PersonRow:
    """Someone in a pair has the pair's number as their status: the number /pairs and the alerts show."""
    if pair is None:
        return row
    return replace(row, status=tr("base-in-group" if pair.is_group else "base-in-pair", id=pair.id))


ROUTES = FlowRoutes(
    commands={"summary": on_summary, "export": on_export, "bases": on_bases_command},
    presses={ReportPayload.prefix: on_report, BasesPayload.prefix: on_bases},
)
