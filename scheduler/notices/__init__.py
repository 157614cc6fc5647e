"""What the bot sends on its own initiative, shared by the handlers and the scheduler.

A notice is a `bot.flows.screens.Screen` (text and buttons with payloads, `bot.flows.notices`), queued in the
outbox in the messenger-neutral form; each messenger's adapter renders it when it sends. This package imports no
messenger library (a layer contract in pyproject.toml) and no handler.
"""

from __future__ import annotations

from typing import Any

from bot.flows.events import Person
from bot.flows.notices import stored_buttons
from bot.flows.screens import Screen
from bot.i18n import Audience
from storage.outbox import Outbox
from storage.participants import ParticipantRepo


async def queue(outbox: Outbox, to: Person | int, notice: Screen, **options: Any) -> bool:
    """Queue `notice` to a person on their messenger (a bare chat id: a Telegram chat, as the curators' are for
    now), with the options of `Outbox.enqueue`; False when its dedup key was queued."""
    if isinstance(to, Person):
        options["messenger"] = to.messenger
        to = to.account_id
    return await outbox.enqueue(to, notice.text, reply_markup=stored_buttons(notice), **options)


async def audience_of(participants: ParticipantRepo, participant_id: int) -> Audience:
    """How a notice speaks to its receiver: «ты» to a pupil, «вы» to an adult (and to someone already gone)."""
    person = await participants.get(participant_id)
    return person.audience if person is not None else Audience.ADULT
