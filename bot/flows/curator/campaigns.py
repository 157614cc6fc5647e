"""/campaign: the curator starts a monitoring survey for a segment with a closing date; /surveys: the open
surveys, who has not answered, a reminder to them, closing one.

Events: the commands, the wizard's buttons (`NewCampaignPayload`, prefix «nc»: the choices ride in the buttons)
and the list's (`SurveysPayload`, «sv»). Each action is one `act`: a launch writes the campaign, its recipients,
their invitations (outbox rows) and the audit entry in one transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.flows.campaign_launch import answer_markup, launch, until_text, waiting_for
from bot.flows.context import Ctx
from bot.flows.effects import Effect, Show, Toast
from bot.flows.events import Event, PressIn
from bot.flows.payloads import Payload, PayloadError
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Keyboard, Screen
from bot.i18n import Audience, esc, quoted, tr
from bot.meetings.timeparse import duration_words
from bot.monitoring import SURVEY_SETS, questionnaire_for, survey_label
from bot.pairs import Pair
from bot.programme import Form, Role

DAY_CHOICES = (7, 14, 30)
NAMES_SHOWN = 50  # of those who have not answered, in one message (the rest are counted)

CAMPAIGN_SEGMENTS: tuple[str, ...] = ("active", "all", "mentees", "mentors")

CANCEL = "-"  # the survey field of the preview's «Отмена» (no survey id is "-"; old buttons keep their layout)


class NewCampaignPayload(Payload, prefix="nc"):
    """The wizard keeps its choices in the buttons: survey `s`, segment `g`, days `d`; `go` starts it
    (handlers.curator.campaigns.NewCampaignCb)."""

    s: str
    g: str = ""
    d: int = 0
    go: bool = False


class SurveysPayload(Payload, prefix="sv"):
    """`a`: list, who (has not answered), remind, close (asks), closeyes; `c`: the campaign
    (handlers.curator.campaigns.SurveysCb)."""

    a: str
    c: int = 0


def _stale(alert: bool = False) -> list[Effect]:
    return [Toast(tr("stale-button"), alert=alert)]


def _show(text: str, kb: Keyboard | None = None, *, edit: bool = True) -> Show:
    return Show(Screen(text, kb.rows() if kb is not None else ()), edit=edit)


# --- the wizard's keyboards -------------------------------------------------------------------------------------
def survey_keyboard() -> Keyboard:
    kb = Keyboard()
    for survey in SURVEY_SETS:
        kb.add(survey_label(survey), NewCampaignPayload(s=survey))
    return kb


def segment_keyboard(survey: str) -> Keyboard:
    kb = Keyboard()
    for segment in CAMPAIGN_SEGMENTS:
        kb.add(tr(f"campaign-segments-{segment}"), NewCampaignPayload(s=survey, g=segment))
    kb.add(tr("btn-audience-form"), NewCampaignPayload(s=survey, g="pick.form"))
    return kb.add(tr("btn-one-pair"), NewCampaignPayload(s=survey, g="pick.pair"))


def form_segment_keyboard(survey: str, sides: dict[str, set[str]]) -> Keyboard:
    """Only forms that have people, and only the sides of a form that have someone."""
    kb = Keyboard()
    for form in Form:
        present = sides.get(form.value, set())
        for prefix, label in (
            ("form", "segment-all-of"),
            ("fmentees", "segment-mentees-of"),
            ("fmentors", "segment-mentors-of"),
        ):
            if not present or (prefix != "form" and prefix not in present):
                continue
            kb.add(tr(label, form=form.label), NewCampaignPayload(s=survey, g=f"{prefix}.{form.value}"))
    return kb


def pair_segment_keyboard(survey: str, pairs: list[Pair]) -> Keyboard:
    kb = Keyboard()
    for pair in pairs[:40]:
        mentor = pair.mentor.name if pair.mentor else tr("pair-withdrawn")
        kb.add(f"№{pair.id} {mentor}"[:60], NewCampaignPayload(s=survey, g=f"pair.{pair.id}"))
    return kb


def days_keyboard(survey: str, segment: str) -> Keyboard:
    kb = Keyboard()
    for days in DAY_CHOICES:
        kb.add(tr("btn-expiry-days", days=days), NewCampaignPayload(s=survey, g=segment, d=days))
    return kb.adjust(len(DAY_CHOICES))


def start_keyboard(survey: str, segment: str, days: int) -> Keyboard:
    kb = Keyboard().add(tr("btn-campaign-start"), NewCampaignPayload(s=survey, g=segment, d=days, go=True))
    return kb.add(tr("btn-cancel"), NewCampaignPayload(s=CANCEL)).adjust(2)


# --- /campaign ----------------------------------------------------------------------------------------------------
async def on_campaign(ctx: Ctx, event: Event) -> list[Effect]:
    if not ctx.is_curator:
        return [_show(tr("curator-only"), edit=False)]
    return [_show(tr("campaign-pick-survey"), survey_keyboard(), edit=False)]


async def on_step(ctx: Ctx, event: Event) -> list[Effect]:
    """A step of the wizard: the survey, the segment (a form, a pair), the days, the preview, the launch."""
    assert isinstance(event, PressIn)
    if not ctx.is_curator:
        return _stale()
    try:
        cb = NewCampaignPayload.unpack(event.payload)
    except PayloadError:
        return _stale()
    survey, segment, days = cb.s, cb.g, cb.d
    if survey == CANCEL:
        return [_show(tr("campaign-cancelled"))]
    if survey not in SURVEY_SETS or (days and days not in DAY_CHOICES):
        return _stale()
    campaigns = ctx.repos.campaigns
    if not segment:
        return [_show(tr("campaign-pick-segment"), segment_keyboard(survey))]
    if segment == "pick.form":
        sides = await campaigns.form_sides()
        if not sides:
            return [Toast(tr("campaign-nobody"), alert=True)]
        return [_show(tr("campaign-pick-segment"), form_segment_keyboard(survey, sides))]
    if segment == "pick.pair":
        pairs = await ctx.repos.matching.pairs()
        return [_show(tr("campaign-pick-segment"), pair_segment_keyboard(survey, pairs))]
    if not days:
        return [_show(tr("campaign-pick-days"), days_keyboard(survey, segment))]
    if not cb.go:
        return await _preview(ctx, survey, segment, days)
    return await _launch(ctx, survey, segment, days)


async def _preview(ctx: Ctx, survey: str, segment: str, days: int) -> list[Effect]:
    campaigns, questionnaires = ctx.repos.campaigns, ctx.repos.questionnaires
    now = ctx.repos.clock.now()
    tz = ctx.repos.settings.institution.tz
    people = await campaigns.segment(segment)
    count = sum(1 for p in people if questionnaire_for(survey, p.role, questionnaires) is not None)
    if not count:
        return [Toast(tr("campaign-nobody"), alert=True)]
    already = "".join(
        tr("campaign-already-open",
            title=esc(quoted(running.title)), until=until_text(running.closes_at, tz), done=done, total=total
        )
        for running, total, done in await campaigns.open_of_survey(survey, now)
    )
    until = until_text(now + timedelta(days=days), tz)
    text = tr("campaign-preview", title=survey_label(survey), count=count, until=until, already=already)
    return [_show(text, start_keyboard(survey, segment, days))]


async def _launch(ctx: Ctx, survey: str, segment: str, days: int) -> list[Effect]:
    """The campaign, its recipients, their invitations and the audit entry: one transaction."""
    repos, curator = ctx.repos, ctx.person.account_id
    now = repos.clock.now()
    launched = await launch(
        repos.campaigns,
        repos.outbox,
        dict(repos.questionnaires),
        repos.settings.institution.tz,
        survey=survey,
        kind=survey,
        segment=segment,
        title=survey_label(survey),
        opens_at=now,
        closes_at=now + timedelta(days=days),
        created_by=curator,
    )
    if launched.campaign_id is None:
        return [Toast(tr("campaign-nobody"))]
    details = {"survey": survey, "segment": segment}
    await repos.audit.record(curator, "campaign.start", str(launched.campaign_id), details)
    every = duration_words(repos.settings.monitoring.nudge_every)
    return [_show(tr("campaign-started", count=launched.count, every=every))]


# --- /surveys -----------------------------------------------------------------------------------------------------
def segment_label(segment: str) -> str:
    kind, _, value = segment.partition(".")
    if kind in ("form", "fmentees", "fmentors") and (form := Form.parse(value)) is not None:
        msg_id = {"form": "segment-all-of", "fmentees": "segment-mentees-of"}.get(kind, "segment-mentors-of")
        return tr(msg_id, form=form.label)
    if kind == "pair":
        return tr("survey-audience-pair", pair=value)
    return tr(f"campaign-segments-{segment}") if segment in CAMPAIGN_SEGMENTS else segment


async def _waiting_line(ctx: Ctx, campaign: Any, now: datetime, weeks: int) -> str:
    """How many of a calendar campaign's pairs are too new to be asked yet, and how many will be in time."""
    questionnaires = dict(ctx.repos.questionnaires)
    waiting = await waiting_for(ctx.repos.campaigns, questionnaires, campaign, now, timedelta(weeks=weeks))
    if not waiting:
        return ""
    soon = sum(1 for _person, ready in waiting if ready < campaign.closes_at)
    return tr("surveys-waiting", weeks=weeks, count=len(waiting), soon=soon)


async def surveys_screen(ctx: Ctx, *, edit: bool = True) -> Show:
    campaigns, settings = ctx.repos.campaigns, ctx.repos.settings
    now, tz = ctx.repos.clock.now(), settings.institution.tz
    running = await campaigns.open_all(now)
    if not running:
        return _show(tr("surveys-none"), edit=edit)
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
            text += await _waiting_line(ctx, campaign, now, weeks)
    kb = Keyboard()
    for n, (campaign, _total, _done) in enumerate(running, start=1):
        for label, action in ((tr("btn-survey-pending"), "who"), (tr("btn-survey-close"), "close")):
            shown = label if len(running) == 1 else tr("btn-survey-numbered", n=n, label=label)
            kb.add(shown, SurveysPayload(a=action, c=campaign.id))
    return _show(text, kb.adjust(2), edit=edit)


async def on_surveys(ctx: Ctx, event: Event) -> list[Effect]:
    if not ctx.is_curator:
        return [_show(tr("curator-only"), edit=False)]
    return [await surveys_screen(ctx, edit=False)]


def back_keyboard(*buttons: tuple[str, SurveysPayload], back: str = "") -> Keyboard:
    kb = Keyboard()
    for text, payload in buttons:
        kb.add(text, payload)
    return kb.add(back or tr("btn-surveys-back"), SurveysPayload(a="list"))


async def on_surveys_press(ctx: Ctx, event: Event) -> list[Effect]:
    assert isinstance(event, PressIn)
    if not ctx.is_curator:
        return _stale()
    try:
        cb = SurveysPayload.unpack(event.payload)
    except PayloadError:
        return _stale()
    if cb.a == "list":
        return [await surveys_screen(ctx)]
    campaigns = ctx.repos.campaigns
    now = ctx.repos.clock.now()
    campaign = await campaigns.get(cb.c)
    if campaign is None or not campaign.is_open(now):
        return [Toast(tr("survey-already-closed")), await surveys_screen(ctx)]
    handler = _SURVEY_ACTIONS.get(cb.a)
    return await handler(ctx, campaign) if handler is not None else _stale()


async def _who(ctx: Ctx, campaign: Any) -> list[Effect]:
    campaigns = ctx.repos.campaigns
    total, _done = await campaigns.rate(campaign.id)
    title = esc(campaign.title)
    people = await campaigns.unanswered(campaign.id)
    if not people:
        return [_show(tr("survey-all-answered", title=title, total=total), back_keyboard())]
    await ctx.repos.audit.record(ctx.person.account_id, "campaign.unanswered", str(campaign.id))
    names = "\n".join(
        tr("campaign-report-name", name=esc(p.name), role=Role(p.role).label) for p in people[:NAMES_SHOWN]
    )
    if len(people) > NAMES_SHOWN:
        names += "\n" + tr("campaign-report-more", count=len(people) - NAMES_SHOWN)
    until = until_text(campaign.closes_at, ctx.repos.settings.institution.tz)
    text = tr("survey-pending", title=title, until=until, count=len(people), total=total, names=names)
    remind = (tr("btn-survey-remind"), SurveysPayload(a="remind", c=campaign.id))
    return [_show(text, back_keyboard(remind))]


async def _remind(ctx: Ctx, campaign: Any) -> list[Effect]:
    """A reminder to those who have not answered, once a day (the outbox rows in this action's transaction)."""
    tz = ctx.repos.settings.institution.tz
    inner = esc(quoted(campaign.title))  # the title inside «…»: its own quotes become „…“
    until = until_text(campaign.closes_at, tz)
    day = ctx.repos.clock.now().astimezone(tz).date().isoformat()

    def text(audience: Audience) -> str:
        return tr("campaign-nudge", audience=audience, title=inner, until=until)

    count = await ctx.repos.campaigns.remind(campaign.id, ctx.repos.outbox, text, answer_markup(campaign.id), day)
    if count:
        await ctx.repos.audit.record(ctx.person.account_id, "campaign.remind", str(campaign.id), {"count": count})
    return [Toast(tr("survey-reminded", count=count) if count else tr("survey-reminded-already"), alert=True)]


async def _close(ctx: Ctx, campaign: Any) -> list[Effect]:
    total, done = await ctx.repos.campaigns.rate(campaign.id)
    confirm = (tr("btn-survey-close-yes"), SurveysPayload(a="closeyes", c=campaign.id))
    text = tr("survey-close-confirm", title=esc(quoted(campaign.title)), done=done, total=total)
    return [_show(text, back_keyboard(confirm, back=tr("btn-cancel")))]


async def _close_yes(ctx: Ctx, campaign: Any) -> list[Effect]:
    campaigns = ctx.repos.campaigns
    total, done = await campaigns.rate(campaign.id)
    if not await campaigns.close(campaign.id):
        return [Toast(tr("survey-already-closed"))]
    await ctx.repos.audit.record(ctx.person.account_id, "campaign.close", str(campaign.id))
    text = tr("campaign-closed-report", title=esc(quoted(campaign.title)), done=done, total=total)
    return [_show(text, back_keyboard())]


_SURVEY_ACTIONS = {"who": _who, "remind": _remind, "close": _close, "closeyes": _close_yes}

ROUTES = FlowRoutes(
    commands={"campaign": on_campaign, "surveys": on_surveys},
    # «sv» is the questionnaire's prefix too: bot.flows.survey takes it and passes this list's presses here.
    presses={NewCampaignPayload.prefix: on_step},
)
