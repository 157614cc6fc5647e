"""/campaign: the curator starts a monitoring survey for a segment with a closing date."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot import texts
from bot.clock import Clock
from bot.meetings.timeparse import duration_words
from bot.monitoring import SURVEY_LABELS, SURVEY_SETS, questionnaire_for
from bot.pairs import Pair
from bot.programme import Form
from bot.questionnaires import Questionnaire
from bot.settings import Settings
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.ui import show
from scheduler.notices.campaigns import launch, until_text
from storage.audit import AuditLog
from storage.campaigns import CampaignRepo
from storage.matching import MatchingRepo
from storage.outbox import Outbox

DAY_CHOICES = (7, 14, 30)


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
        kb.button(text=SURVEY_LABELS[survey], callback_data=NewCampaignCb(s=survey))
    kb.adjust(1)
    return kb.as_markup()


def _segment_keyboard(survey: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for segment, label in texts.CAMPAIGN_SEGMENTS.items():
        kb.button(text=label, callback_data=NewCampaignCb(s=survey, g=segment))
    kb.button(text=texts.BTN_AUDIENCE_FORM, callback_data=NewCampaignCb(s=survey, g="pick.form"))
    kb.button(text=texts.BTN_ONE_PAIR, callback_data=NewCampaignCb(s=survey, g="pick.pair"))
    kb.adjust(1)
    return kb.as_markup()


def _form_segment_keyboard(survey: str, sides: dict[str, set[str]]) -> InlineKeyboardMarkup:
    """Only forms that have people, and only the sides of a form that have someone."""
    kb = InlineKeyboardBuilder()
    for form in Form:
        present = sides.get(form.value, set())
        for prefix, label in (
            ("form", texts.SEGMENT_ALL_OF),
            ("fmentees", texts.SEGMENT_MENTEES_OF),
            ("fmentors", texts.SEGMENT_MENTORS_OF),
        ):
            if not present or (prefix != "form" and prefix not in present):
                continue
            kb.button(
                text=label.format(form=form.label), callback_data=NewCampaignCb(s=survey, g=f"{prefix}.{form.value}")
            )
    kb.adjust(1)
    return kb.as_markup()


def _pair_segment_keyboard(survey: str, pairs: list[Pair]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for pair in pairs[:40]:
        mentor = pair.mentor.name if pair.mentor else texts.PAIR_WITHDRAWN
        kb.button(text=f"№{pair.id} {mentor}"[:60], callback_data=NewCampaignCb(s=survey, g=f"pair.{pair.id}"))
    kb.adjust(1)
    return kb.as_markup()


def _days_keyboard(survey: str, segment: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for days in DAY_CHOICES:
        kb.button(
            text=texts.BTN_EXPIRY_DAYS.format(days=days), callback_data=NewCampaignCb(s=survey, g=segment, d=days)
        )
    return kb.as_markup()


def _start_keyboard(survey: str, segment: str, days: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=texts.BTN_CAMPAIGN_START, callback_data=NewCampaignCb(s=survey, g=segment, d=days, go=True))
    kb.button(text=texts.BTN_CANCEL, callback_data=NewCampaignCb(s=CANCEL))
    return kb.as_markup()


async def cmd_campaign(message: Message) -> None:
    await message.answer(texts.CAMPAIGN_PICK_SURVEY, reply_markup=_survey_keyboard())


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
        await show(query, texts.CAMPAIGN_CANCELLED)
        return
    if survey not in SURVEY_SETS or (days and days not in DAY_CHOICES):
        callback_answer.text = texts.STALE_BUTTON
        return
    if not segment:
        await show(query, texts.CAMPAIGN_PICK_SEGMENT, _segment_keyboard(survey))
        return
    if segment == "pick.form":
        sides = await campaigns.form_sides()
        if not sides:
            callback_answer.text = texts.CAMPAIGN_NOBODY
            callback_answer.show_alert = True
            return
        await show(query, texts.CAMPAIGN_PICK_SEGMENT, _form_segment_keyboard(survey, sides))
        return
    if segment == "pick.pair":
        await show(query, texts.CAMPAIGN_PICK_SEGMENT, _pair_segment_keyboard(survey, await matching.pairs()))
        return
    if not days:
        await show(query, texts.CAMPAIGN_PICK_DAYS, _days_keyboard(survey, segment))
        return
    now = clock.now()
    closes = now + timedelta(days=days)
    title = SURVEY_LABELS[survey]
    tz = settings.institution.tz
    if not callback_data.go:
        people = await campaigns.segment(segment)
        count = sum(1 for p in people if questionnaire_for(survey, p.role, questionnaires) is not None)
        if not count:
            callback_answer.text = texts.CAMPAIGN_NOBODY
            callback_answer.show_alert = True
            return
        already = "".join(
            texts.CAMPAIGN_ALREADY_OPEN.format(
                title=texts.esc(running.title), until=until_text(running.closes_at, tz), done=done, total=total
            )
            for running, total, done in await campaigns.open_of_survey(survey, now)
        )
        text = texts.CAMPAIGN_PREVIEW.format(title=title, count=count, until=until_text(closes, tz), already=already)
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
        callback_answer.text = texts.CAMPAIGN_NOBODY
        return
    await audit.record(
        query.from_user.id, "campaign.start", str(launched.campaign_id), {"survey": survey, "segment": segment}
    )
    every = duration_words(settings.monitoring.nudge_every)
    await show(query, texts.CAMPAIGN_STARTED.format(count=launched.count, every=every))


def build_router() -> Router:
    router = Router(name="curator-campaigns")
    router.message.register(cmd_campaign, Command("campaign"))
    router.callback_query.register(on_step, NewCampaignCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
