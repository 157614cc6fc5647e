"""Non-private chats the bot was told about: the private-only guard says its one line at most once a day each."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import Clock, iso
from bot.flows.events import Messenger
from storage.database import Database

TELL_AGAIN_AFTER = timedelta(days=1)


class GroupChats:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def claim_notice(self, chat_id: int, messenger: Messenger = Messenger.TELEGRAM) -> bool:
        """True for exactly one caller per chat and day, however many of its updates are handled at once."""
        now = self._clock.now()
        changed = await self._db.execute(
            "INSERT INTO group_chats(messenger, chat_id, told_at) VALUES (?,?,?) ON CONFLICT(messenger, chat_id)"
            " DO UPDATE SET told_at=excluded.told_at WHERE group_chats.told_at<=?",
            (messenger, chat_id, iso(now), iso(now - TELL_AGAIN_AFTER)),
        )
        return changed > 0
