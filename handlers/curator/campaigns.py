"""/campaign: the curator starts a monitoring survey for a segment with a closing date."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock
from bot.i18n import Audience, esc, quoted, tr
from bot.meetings.timeparse import duration_words
from bot.monitoring import SURVEY_SETS, questionnaire_for, survey_label
from bot.pairs import Pair
from bot.programme import Form, Role
from bot.questionnaires import Questionnaire
from bot.settings import Settings
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.ui import show
from scheduler.notices.campaigns import answer_markup, launch, until_text, waiting_for
from storage.audit import AuditLog
from storage.campaigns import Campaign, CampaignRepo
from storage.matching import MatchingRepo
from storage.outbox import Outbox

DAY_CHOICES = (7, 14, 30)
NAMES_SHOWN = 50  # of those who have not answered, in one message (the rest are counted)

CAMPAIGN_SEGMENTS: tuple[str, ...] = ("active", "all", "mentees", "mentors")


CANCEL = "-"  # the survey field of the preview's «Отмена» (no survey id is "-"; old buttons keep their layout)


class NewCampaignCb(CallbackData, prefix="nc"):
    """The wizard keeps its choices in the buttons: survey `s`, segment `g`, days `d`; `go` starts it."""

    s: str
    g: str = ""
    d: int = 0
    go: bool = False


def _survey_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for survey in SURVEY_SETS:
        kb.button(text=survey_label(survey), callback_data=NewCampaignCb(s=survey))
    kb.adjust(1)
    return kb.as_markup()


def _segment_keyboard(survey: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for segment in CAMPAIGN_SEGMENTS:
        label = tr(f"campaign-segments-{segment}")
        kb.button(text=label, callback_data=NewCampaignCb(s=survey, g=segment))
    kb.button(text=tr("btn-audience-form"), callback_data=NewCampaignCb(s=survey, g="pick.form"))
    kb.button(text=tr("btn-one-pair"), callback_data=NewCampaignCb(s=survey, g="pick.pair"))
    kb.adjust(1)
    return kb.as_markup()


def _form_segment_keyboard(survey: str, sides: dict[str, set[str]]) -> InlineKeyboardMarkup:
    """Only forms that have people, and only the sides of a form that have someone."""
    kb = InlineKeyboardBuilder()
    for form in Form:
        present = sides.get(form.value, set())
        for prefix, label in (
            ("form", "segment-all-of"),
            ("fmentees", "segment-mentees-of"),
            ("fmentors", "segment-mentors-of"),
        ):
            if not present or (prefix != "form" and prefix not in present):
                continue
            kb.button(
                text=tr(label, form=form.label), callback_data=NewCampaignCb(s=survey, g=f"{prefix}.{form.value}")
            )
    kb.adjust(1)
    return kb.as_markup()


def _pair_segment_keyboard(survey: str, pairs: list[Pair]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for pair in pairs[:40]:
        mentor = pair.mentor.name if pair.mentor else tr("pair-withdrawn")
        kb.button(text=f"№{pair.id} {mentor}"[:60], callback_data=NewCampaignCb(s=survey, g=f"pair.{pair.id}"))
    kb.adjust(1)
    return kb.as_markup()


def _days_keyboard(survey: str, segment: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for days in DAY_CHOICES:
        kb.button(
            text=tr("btn-expiry-days", days=days), callback_data=NewCampaignCb(s=survey, g=segment, d=days)
        )
    return kb.as_markup()


def _start_keyboard(survey: str, segment: str, days: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-campaign-start"), callback_data=NewCampaignCb(s=survey, g=segment, d=days, go=True))
    kb.button(text=tr("btn-cancel"), callback_data=NewCampaignCb(s=CANCEL))
    return kb.as_markup()


async def cmd_campaign(message: Message) -> None:
    await message.answer(tr("campaign-pick-survey"), reply_markup=_survey_keyboard())


async def on_step(
    query: CallbackQuery,
    callback_data: NewCampaignCb,
    clock: Clock,
    settings: Settings,
    campaigns: CampaignRepo,
    matching: MatchingRepo,
    outbox: Outbox,
    questionnaires: dict[str, Questionnaire],
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    survey, segment, days = callback_data.s, callback_data.g, callback_data.d
    if survey == CANCEL:
        await show(query, tr("campaign-cancelled"))
        return
    if survey not in SURVEY_SETS or (days and days not in DAY_CHOICES):
        callback_answer.text = tr("stale-button")
        return
    if not segment:
        await show(query, tr("campaign-pick-segment"), _segment_keyboard(survey))
        return
    if segment == "pick.form":
        sides = await campaigns.form_sides()
        if not sides:
            callback_answer.text = tr("campaign-nobody")
            callback_answer.show_alert = True
            return
        await show(query, tr("campaign-pick-segment"), _form_segment_keyboard(survey, sides))
        return
    if segment == "pick.pair":
        await show(query, tr("campaign-pick-segment"), _pair_segment_keyboard(survey, await matching.pairs()))
        return
    if not days:
        await show(query, tr("campaign-pick-days"), _days_keyboard(survey, segment))
        return
    now = clock.now()
    closes = now + timedelta(days=days)
    title = survey_label(survey)
    tz = settings.institution.tz
    if not callback_data.go:
        people = await campaigns.segment(segment)
        count = sum(1 for p in people if questionnaire_for(survey, p.role, questionnaires) is not None)
        if not count:
            callback_answer.text = tr("campaign-nobody")
            callback_answer.show_alert = True
            return
        already = "".join(
            tr("campaign-already-open",
                title=esc(quoted(running.title)), until=until_text(running.closes_at, tz), done=done, total=total
            )
            for running, total, done in await campaigns.open_of_survey(survey, now)
        )
        text = tr("campaign-preview", title=title, count=count, until=until_text(closes, tz), already=already)
        await show(query, text, _start_keyboard(survey, segment, days))
        return
    launched = await launch(
        campaigns,
        outbox,
        questionnaires,
        tz,
        survey=survey,
        kind=survey,
        segment=segment,
        title=title,
        opens_at=now,
        closes_at=closes,
        created_by=query.from_user.id,
    )
    if launched.campaign_id is None:
        callback_answer.text = tr("campaign-nobody")
        return
    await audit.record(
        query.from_user.id, "campaign.start", str(launched.campaign_id), {"survey": survey, "segment": segment}
    )
    every = duration_words(settings.monitoring.nudge_every)
    await show(query, tr("campaign-started", count=launched.count, every=every))


# --- /surveys: the open surveys, who has not answered, a reminder to them, closing one ---------------------------
class SurveysCb(CallbackData, prefix="sv"):
    """`a`: list, who (has not answered), remind, close (asks), closeyes; `c`: the campaign."""

    a: str
    c: int = 0


def segment_label(segment: str) -> str:
    kind, _, value = segment.partition(".")
    if kind in ("form", "fmentees", "fmentors") and (form := Form.parse(value)) is not None:
        msg_id = {"form": "segment-all-of", "fmentees": "segment-mentees-of"}.get(kind, "segment-mentors-of")
        return tr(msg_id, form=form.label)
    if kind == "pair":
        return tr("survey-audience-pair", pair=value)
    return tr(f"campaign-segments-{segment}") if segment in CAMPAIGN_SEGMENTS else segment


async def _waiting_line(
    campaigns: CampaignRepo,
    questionnaires: dict[str, Questionnaire],
    campaign: Campaign,
    now: datetime,
    weeks: int,
) -> str:
    """How many of a calendar campaign's pairs are too new to be asked yet, and how many will be in time."""
    waiting = await waiting_for(campaigns, questionnaires, campaign, now, timedelta(weeks=weeks))
    if not waiting:
        return ""
    soon = sum(1 for _person, ready in waiting if ready < campaign.closes_at)
    return tr("surveys-waiting", weeks=weeks, count=len(waiting), soon=soon)


async def _surveys_screen(
    target: Message | CallbackQuery,
    campaigns: CampaignRepo,
    questionnaires: dict[str, Questionnaire],
    clock: Clock,
    settings: Settings,
) -> None:
    now, tz = clock.now(), settings.institution.tz
    running = await campaigns.open_all(now)
    if not running:
        await show(target, tr("surveys-none"))
        return
    calendar = {c.id for c in await campaigns.open_calendar(now)}
    weeks = settings.monitoring.campaign_min_pair_weeks
    text = tr("surveys-header", count=len(running))
    for n, (campaign, total, done) in enumerate(running, start=1):
        text += tr("surveys-line",
            n=n,
            title=esc(campaign.title),
            audience=segment_label(campaign.segment),
            opened=until_text(campaign.opens_at, tz),
            until=until_text(campaign.closes_at, tz),
            done=done,
            total=total,
        )
        if campaign.id in calendar:
            text += await _waiting_line(campaigns, questionnaires, campaign, now, weeks)
    kb = InlineKeyboardBuilder()
    for n, (campaign, _total, _done) in enumerate(running, start=1):
        for label, action in ((tr("btn-survey-pending"), "who"), (tr("btn-survey-close"), "close")):
            shown = label if len(running) == 1 else tr("btn-survey-numbered", n=n, label=label)
            kb.button(text=shown, callback_data=SurveysCb(a=action, c=campaign.id))
    kb.adjust(2)
    await show(target, text, kb.as_markup())


async def cmd_surveys(
    message: Message,
    campaigns: CampaignRepo,
    questionnaires: dict[str, Questionnaire],
    clock: Clock,
    settings: Settings,
) -> None:
    await _surveys_screen(message, campaigns, questionnaires, clock, settings)


def _back_keyboard(*buttons: tuple[str, SurveysCb], back: str = tr("btn-surveys-back")) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for text, data in buttons:
        kb.button(text=text, callback_data=data)
    kb.button(text=back, callback_data=SurveysCb(a="list"))
    kb.adjust(1)
    return kb.as_markup()


async def on_surveys(
    query: CallbackQuery,
    callback_data: SurveysCb,
    clock: Clock,
    settings: Settings,
    campaigns: CampaignRepo,
    questionnaires: dict[str, Questionnaire],
    outbox: Outbox,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    tz = settings.institution.tz
    now = clock.now()
    if callback_data.a == "list":
        await _surveys_screen(query, campaigns, questionnaires, clock, settings)
        return
    campaign = await campaigns.get(callback_data.c)
    if campaign is None or not campaign.is_open(now):
        callback_answer.text = tr("survey-already-closed")
        await _surveys_screen(query, campaigns, questionnaires, clock, settings)
        return
    title, until = esc(campaign.title), until_text(campaign.closes_at, tz)
    inner = esc(quoted(campaign.title))  # the title inside «…»: its own quotes become „…“
    total, done = await campaigns.rate(campaign.id)
    if callback_data.a == "who":
        people = await campaigns.unanswered(campaign.id)
        if not people:
            await show(query, tr("survey-all-answered", title=title, total=total), _back_keyboard())
            return
        await audit.record(query.from_user.id, "campaign.unanswered", str(campaign.id))
        names = "\n".join(
            tr("campaign-report-name", name=esc(p.name), role=Role(p.role).label)
            for p in people[:NAMES_SHOWN]
        )
        if len(people) > NAMES_SHOWN:
            names += "\n" + tr("campaign-report-more", count=len(people) - NAMES_SHOWN)
        text = tr("survey-pending", title=title, until=until, count=len(people), total=total, names=names)
        remind = (tr("btn-survey-remind"), SurveysCb(a="remind", c=campaign.id))
        await show(query, text, _back_keyboard(remind))
    elif callback_data.a == "remind":
        day = now.astimezone(tz).date().isoformat()
        def text(audience: Audience) -> str:
            return tr("campaign-nudge", audience=audience, title=inner, until=until)

        count = await campaigns.remind(campaign.id, outbox, text, answer_markup(campaign.id), day)
        if count:
            await audit.record(query.from_user.id, "campaign.remind", str(campaign.id), {"count": count})
        callback_answer.text = tr("survey-reminded", count=count) if count else tr("survey-reminded-already")
        callback_answer.show_alert = True
    elif callback_data.a == "close":
        confirm = (tr("btn-survey-close-yes"), SurveysCb(a="closeyes", c=campaign.id))
        await show(
            query,
            tr("survey-close-confirm", title=inner, done=done, total=total),
            _back_keyboard(confirm, back=tr("btn-cancel")),
        )
    elif callback_data.a == "closeyes":
        if not await campaigns.close(campaign.id):
            callback_answer.text = tr("survey-already-closed")
            return
        await audit.record(query.from_user.id, "campaign.close", str(campaign.id))
        await show(query, tr("campaign-closed-report", title=inner, done=done, total=total), _back_keyboard())
    else:
        callback_answer.text = tr("stale-button")


def build_router() -> Router:
    router = Router(name="curator-campaigns")
    flags = {"callback_answer": {"pre": False}}
    router.message.register(cmd_campaign, Command("campaign"))
    router.message.register(cmd_surveys, Command("surveys"))
    router.callback_query.register(on_step, NewCampaignCb.filter(), flags=flags)
    router.callback_query.register(on_surveys, SurveysCb.filter(), flags=flags)
    return router
