"""«Участвую в следующем году» under the thank-you notice of a finished programme year: the participant is back
among /match's candidates (the archived year's participants are not proposed until they say so)."""

from __future__ import annotations

from bot.flows.context import Ctx
from bot.flows.effects import Effect, Show, Toast
from bot.flows.events import Event, PressIn
from bot.flows.menu import participant_of
from bot.flows.payloads import PayloadError, RenewPayload
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Screen
from bot.i18n import tr


async def on_renew(ctx: Ctx, event: Event) -> list[Effect]:
    assert isinstance(event, PressIn)
    try:
        year_id = RenewPayload.unpack(event.payload).y
    except PayloadError:
        return [Toast(tr("stale-button"))]
    participant = await participant_of(ctx.person, ctx.repos.participants)
    if participant is None or not participant.has_consent:
        return [Toast(tr("stale-button"))]
    renewed = await ctx.repos.matching.renew(participant.id, year_id)
    # A new message: the thank-you notice stays as it was.
    text = tr("renewed", audience=participant.audience) if renewed else tr("renewed-already")
    return [Show(Screen(text), edit=False)]


ROUTES = FlowRoutes(presses={RenewPayload.prefix: on_renew})
