"""What the bot sends on its own initiative, shared by the handlers and the scheduler.

A notice is a `bot.flows.screens.Screen` (text and buttons with payloads, `bot.flows.notices`), queued in the
outbox in the messenger-neutral form; each messenger's adapter renders it when it sends. This package imports no
messenger library (a layer contract in pyproject.toml) and no handler.
"""

from __future__ import annotations

from typing import Any

from bot.flows.notices import stored_buttons
from bot.flows.screens import Screen
from bot.i18n import Audience
from storage.outbox import Outbox
from storage.participants import ParticipantRepo


async def queue(outbox: Outbox, chat_id: int, notice: Screen, **options: Any) -> bool:
    """Queue `notice` to `chat_id` (the options of `Outbox.enqueue`); False when its dedup key was queued."""
    return await outbox.enqueue(chat_id, notice.text, reply_markup=stored_buttons(notice), **options)


async def audience_of(participants: ParticipantRepo, participant_id: int) -> Audience:
    """How a notice speaks to its receiver: «ты» to a pupil, «вы» to an adult (and to someone already gone)."""
    person = await participants.get(participant_id)
    return person.audience if person is not None else Audience.ADULT
