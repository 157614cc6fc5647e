"""Where each messenger's update stream was read to (see migration 0018)."""

from __future__ import annotations

from bot.flows.events import Messenger
from storage.database import Database


class UpdateMarkers:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, messenger: Messenger) -> int | None:
        row = await self._db.fetchone("SELECT marker FROM update_markers WHERE messenger=?", (messenger,))
        return None if row is None else int(row["marker"])

    async def put(self, messenger: Messenger, marker: int) -> None:
        await self._db.execute(
            "INSERT INTO update_markers(messenger, marker) VALUES (?,?)"
            " ON CONFLICT(messenger) DO UPDATE SET marker=excluded.marker",
            (messenger, marker),
        )
