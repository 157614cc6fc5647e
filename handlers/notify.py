"""Messages the bot sends on its own initiative go through the outbox, never straight to the Bot API (with one
exception, the farewell to a child whose parent withdrew: `bot.flows.effects.Farewell`, sent by
`handlers.ui.render`)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from aiogram.types import InlineKeyboardMarkup

from bot.flows.notices import stored_buttons
from bot.pairs import who
from bot.participants import Participant
from bot.settings import Settings
from handlers.kb.notices import neutral_rows
from storage.matching import MatchingRepo
from storage.outbox import Outbox

log = logging.getLogger(__name__)


def markup_json(markup: InlineKeyboardMarkup | None) -> dict[str, Any] | None:
    """A handler's inline keyboard as the outbox stores it: messenger-neutral rows (`bot.flows.notices`)."""
    return stored_buttons(neutral_rows(markup))


async def notify(
    outbox: Outbox,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    about: Iterable[int] = (),
) -> None:
    """`about`: the participants the text names or quotes (see `Outbox.enqueue`)."""
    await outbox.enqueue(chat_id, text, reply_markup=markup_json(markup), about=about)


async def notify_curators(
    outbox: Outbox,
    settings: Settings,
    text: str,
    *,
    kind: str = "curator",
    markup: InlineKeyboardMarkup | None = None,
    about: Iterable[int] = (),
) -> None:
    """To every curator, each on their own messenger (a curator added on MAX gets it on MAX)."""
    for curator in settings.roster.people():
        await outbox.enqueue(
            curator.account_id,
            text,
            kind=kind,
            reply_markup=markup_json(markup),
            about=about,
            messenger=curator.messenger,
        )


async def who_is(participant: Participant, matching: MatchingRepo) -> str:
    """The participant as a curator's notice names them: name, role and current pair (`bot.pairs.who`).
    A notice that says this must go with `about=[participant.id]`, so a withdrawal takes it too."""
    pair = await matching.pair_of(participant.id) if participant.has_consent else None
    return who(participant.shown_name(), participant.role, pair)
