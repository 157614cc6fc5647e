"""What the bot sends on its own initiative, shared by the handlers and the scheduler.

The outbox stores a message's reply markup as JSON, so a notice's buttons are built here, outside
`handlers/`: the scheduler imports no handlers. This package may use aiogram's types and callback data (the
buttons must parse in the handlers exactly as before), but never a router or a handler.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup

from bot.i18n import Audience
from storage.participants import ParticipantRepo


def markup_json(markup: InlineKeyboardMarkup | None) -> dict[str, Any] | None:
    """The markup as the outbox stores it (and the Bot API receives it)."""
    return markup.model_dump(mode="json", exclude_none=True) if markup else None


async def audience_of(participants: ParticipantRepo, participant_id: int) -> Audience:
    """How a notice speaks to its receiver: «ты» to a pupil, «вы» to an adult (and to someone already gone)."""
    person = await participants.get(participant_id)
    return person.audience if person is not None else Audience.ADULT
