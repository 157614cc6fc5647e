"""The audit log: every curator action that reads or changes personal data."""

from __future__ import annotations

import json
from typing import Any

from bot.clock import Clock, iso
from bot.flows.events import Messenger
from storage.database import Database, Transaction


class AuditLog:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def record(
        self,
        actor_id: int,
        action: str,
        subject: str | None = None,
        details: dict[str, Any] | None = None,
        *,
        tx: Transaction | None = None,
        actor_messenger: Messenger = Messenger.TELEGRAM,
    ) -> None:
        """One entry; `actor_id` is the actor's account id on `actor_messenger`."""
        params = (
            iso(self._clock.now()),
            actor_id,
            actor_messenger,
            action,
            subject,
            json.dumps(details, ensure_ascii=False) if details else None,
        )
        sql = "INSERT INTO audit_log(at, actor_id, actor_messenger, action, subject, details) VALUES (?,?,?,?,?,?)"
        if tx is not None:
            await tx.execute(sql, params)
        else:
            await self._db.execute(sql, params)

    async def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = await self._db.fetchall(
            "SELECT at, actor_id, actor_messenger, action, subject, details FROM audit_log ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [dict(row) for row in rows]
