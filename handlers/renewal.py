"""«Участвую в следующем году» under the thank-you notice of a finished programme year: the participant is back
among /match's candidates (the archived year's participants are not proposed until they say so)."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer

from bot.i18n import tr
from handlers.kb.years import RenewCb
from handlers.ui import show
from storage.matching import MatchingRepo
from storage.participants import ParticipantRepo


async def on_renew(
    query: CallbackQuery,
    callback_data: RenewCb,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    callback_answer: CallbackAnswer,
) -> None:
    participant = await participants.by_telegram(query.from_user.id)
    if participant is None or not participant.has_consent:
        callback_answer.text = tr("stale-button")
        return
    renewed = await matching.renew(participant.id, callback_data.y)
    # A new message: the thank-you notice stays as it was.
    text = tr("renewed", audience=participant.audience) if renewed else tr("renewed-already")
    await show(query, text, edit=False)


def build_router() -> Router:
    router = Router(name="renewal")
    router.callback_query.register(on_renew, RenewCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
