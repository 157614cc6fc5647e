"""Opening a campaign: recipients fixed and invitations queued in one transaction — shared by /campaign, pair
confirmation and the programme calendar (the scheduler)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from bot import texts
from bot.monitoring import questionnaire_for
from bot.questionnaires import Questionnaire
from scheduler.notices import markup_json
from scheduler.notices.keyboards import campaign_answer_keyboard
from storage.campaigns import CampaignRepo, Invitation
from storage.outbox import Outbox


def answer_markup(campaign_id: int) -> dict[str, Any] | None:
    return markup_json(campaign_answer_keyboard(campaign_id))


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
    paired_before: datetime | None = None,
) -> tuple[int | None, int]:
    """Create the campaign and invite its recipients; (campaign id or None if it existed, recipients).

    `paired_before` keeps only those whose pair was confirmed by then (see `CampaignRepo.segment`).
    """
    recipients = []
    chats = {}
    for person in await campaigns.segment(segment, paired_before=paired_before):
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
        invitation=Invitation(
            outbox=outbox,
            text=texts.CAMPAIGN_INVITE.format(title=texts.esc(title), until=until_text(closes_at, tz)),
            markup=answer_markup,
            chats=chats,
        ),
    )
    return (campaign_id, len(recipients)) if campaign_id is not None else (None, 0)
