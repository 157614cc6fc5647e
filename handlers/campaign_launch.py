"""Opening a campaign: recipients fixed, invitations queued — shared by /campaign, pair confirmation and
the programme calendar."""

from __future__ import annotations

from datetime import datetime, tzinfo

from aiogram.filters.callback_data import CallbackData

from bot import texts
from bot.monitoring import questionnaire_for
from bot.questionnaires import Questionnaire
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.notify import markup_json
from storage.campaigns import CampaignRepo
from storage.outbox import Outbox


class CampaignCb(CallbackData, prefix="cp"):
    id: int


def answer_markup(campaign_id: int) -> dict | None:
    kb = InlineKeyboardBuilder()
    kb.button(text=texts.BTN_CAMPAIGN_ANSWER, callback_data=CampaignCb(id=campaign_id))
    return markup_json(kb.as_markup())


def until_text(closes_at: datetime, tz: tzinfo) -> str:
    return closes_at.astimezone(tz).strftime("%d.%m.%Y")


async def launch(
    campaigns: CampaignRepo,
    outbox: Outbox,
    questionnaires: dict[str, Questionnaire],
    tz: tzinfo,
    *,
    survey: str,
    kind: str,
    segment: str,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    created_by: int | None,
    calendar_key: str | None = None,
) -> tuple[int | None, int]:
    """Create the campaign and invite its recipients; (campaign id or None if it existed, recipients)."""
    recipients = []
    people = await campaigns.segment(segment)
    chats = {}
    for person in people:
        questionnaire = questionnaire_for(survey, person.role, questionnaires)
        if questionnaire is not None:
            recipients.append((person.participant_id, questionnaire.id))
            chats[person.participant_id] = person.telegram_id
    if not recipients:
        return None, 0
    campaign_id = await campaigns.create(
        survey=survey,
        kind=kind,
        segment=segment,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=created_by,
        recipients=recipients,
        calendar_key=calendar_key,
    )
    if campaign_id is None:
        return None, 0
    text = texts.CAMPAIGN_INVITE.format(title=texts.esc(title), until=until_text(closes_at, tz))
    for pid, _ in recipients:
        await outbox.enqueue(
            chats[pid],
            text,
            reply_markup=answer_markup(campaign_id),
            kind="campaign",
            dedup_key=f"cinv:{campaign_id}:{pid}",
        )
    return campaign_id, len(recipients)
