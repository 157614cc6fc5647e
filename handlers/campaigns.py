"""A participant answers a campaign's questionnaire (the same one-question-per-message dialog)."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock
from bot.i18n import tr
from bot.questionnaires import Questionnaire
from handlers import survey
from handlers.kb.notices import CampaignCb
from storage.campaigns import CampaignRepo
from storage.participants import ParticipantRepo


async def on_answer(
    query: CallbackQuery,
    callback_data: CampaignCb,
    state: FSMContext,
    clock: Clock,
    participants: ParticipantRepo,
    campaigns: CampaignRepo,
    questionnaires: dict[str, Questionnaire],
    callback_answer: CallbackAnswer,
) -> None:
    participant = await participants.by_telegram(query.from_user.id)
    campaign = await campaigns.get(callback_data.id)
    if participant is None or campaign is None:
        callback_answer.text = tr("stale-button")
        return
    mine = await campaigns.recipient_questionnaire(campaign.id, participant.id)
    if mine is None:
        callback_answer.text = tr("campaign-not-for-you", audience=participant.audience)
        return
    questionnaire_id, completed = mine
    if not campaign.is_open(clock.now()):
        callback_answer.text = tr("campaign-closed")
        callback_answer.show_alert = True
        return
    if completed:
        callback_answer.text = tr("campaign-already")
        return
    await survey.begin(
        query,
        state,
        participant,
        questionnaires,
        participants,
        questionnaire=questionnaires[questionnaire_id],
        campaign=campaign.id,
    )


def build_router() -> Router:
    router = Router(name="campaigns")
    router.callback_query.register(on_answer, CampaignCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
