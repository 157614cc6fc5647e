"""A user who blocks or unblocks the bot (my_chat_member): the outbox stops or resumes; the curator is told."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import ChatMemberUpdated

from bot.i18n import tr
from bot.settings import Settings
from handlers.notify import notify_curators, who_is
from storage.matching import MatchingRepo
from storage.outbox import Outbox
from storage.participants import ParticipantRepo


async def on_member(
    update: ChatMemberUpdated,
    settings: Settings,
    outbox: Outbox,
    participants: ParticipantRepo,
    matching: MatchingRepo,
) -> None:
    if update.chat.type != "private":
        return
    chat_id = update.chat.id
    status = update.new_chat_member.status
    participant = await participants.by_telegram(chat_id)
    who = await who_is(participant, matching) if participant else None
    about = [participant.id] if participant else []
    if status in ("kicked", "left"):
        first = await outbox.mark_unreachable(chat_id, f"my_chat_member: {status}")
        if first and who and not settings.is_curator(chat_id):
            await notify_curators(outbox, settings, tr("curator-user-blocked", who=who), about=about)
    elif status == "member":
        was_blocked = await outbox.is_unreachable(chat_id)
        await outbox.mark_reachable(chat_id)
        if was_blocked and who and not settings.is_curator(chat_id):
            await notify_curators(outbox, settings, tr("curator-user-unblocked", who=who), about=about)


def build_router() -> Router:
    router = Router(name="membership")
    router.my_chat_member.register(on_member)
    return router
