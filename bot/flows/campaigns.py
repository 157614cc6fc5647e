"""A participant answers a campaign's questionnaire: «Ответить» under the campaign's invitation starts the same
one-question-per-message dialog (`bot.flows.survey`), its answers kept under the campaign."""

from __future__ import annotations

from bot.flows.context import Ctx
from bot.flows.effects import Effect, Toast
from bot.flows.events import Event, PressIn
from bot.flows.notices import CampaignCb
from bot.flows.payloads import PayloadError
from bot.flows.routes import FlowRoutes
from bot.flows.survey import begin
from bot.i18n import tr


async def on_answer(ctx: Ctx, event: Event) -> list[Effect]:
    """«Ответить»: the campaign's questionnaire, unless it is closed, answered already or not theirs."""
    assert isinstance(event, PressIn)
    try:
        campaign_id = CampaignCb.unpack(event.payload).id
    except PayloadError:
        return [Toast(tr("stale-button"))]
    participant = await ctx.repos.participants.by_account(ctx.person.messenger, ctx.person.account_id)
    campaign = await ctx.repos.campaigns.get(campaign_id)
    if participant is None or campaign is None:
        return [Toast(tr("stale-button"))]
    mine = await ctx.repos.campaigns.recipient_questionnaire(campaign.id, participant.id)
    if mine is None:
        return [Toast(tr("campaign-not-for-you", audience=participant.audience))]
    questionnaire_id, completed = mine
    if not campaign.is_open(ctx.repos.clock.now()):
        return [Toast(tr("campaign-closed"), alert=True)]
    if completed:
        return [Toast(tr("campaign-already"))]
    questionnaire = ctx.repos.questionnaires[questionnaire_id]
    return await begin(ctx, participant, event=event, questionnaire=questionnaire, campaign=campaign.id)


ROUTES = FlowRoutes(presses={CampaignCb.prefix: on_answer})
