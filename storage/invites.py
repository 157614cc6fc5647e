"""Invite links the curator creates."""

from __future__ import annotations

from datetime import datetime, timedelta

import aiosqlite

from bot.clock import Clock, iso, parse_iso
from bot.flows.events import Messenger
from bot.invites import INVITE_PREFIX, Invite, new_code
from bot.programme import Form, Role
from storage.database import Database


def invite_from_row(row: aiosqlite.Row) -> Invite:
    return Invite(
        code=row["code"],
        role=Role(row["role"]),
        form=Form(row["form"]),
        created_by=row["created_by"],
        created_at=parse_iso(row["created_at"]),
        expires_at=parse_iso(row["expires_at"]) if row["expires_at"] else None,
        max_uses=row["max_uses"],
        uses=row["uses"],
        revoked_at=parse_iso(row["revoked_at"]) if row["revoked_at"] else None,
        created_by_messenger=Messenger(row["created_by_messenger"]),
    )


class InviteRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def create(
        self,
        role: Role,
        form: Form,
        created_by: int,
        *,
        days: int | None,
        max_uses: int | None,
        created_by_messenger: Messenger = Messenger.TELEGRAM,
    ) -> Invite:
        """`created_by`: the curator's account id on `created_by_messenger`."""
        now = self._clock.now()
        expires = now + timedelta(days=days) if days else None
        code = new_code(INVITE_PREFIX)
        await self._db.execute(
            "INSERT INTO invites(code, role, form, created_by, created_by_messenger, created_at, expires_at, max_uses)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (
                code,
                role.value,
                form.value,
                created_by,
                created_by_messenger,
                iso(now),
                iso(expires) if expires else None,
                max_uses,
            ),
        )
        invite = await self.get(code)
        assert invite is not None
        return invite

    async def get(self, code: str) -> Invite | None:
        row = await self._db.fetchone("SELECT * FROM invites WHERE code=?", (code,))
        return invite_from_row(row) if row else None

    async def active(self, now: datetime | None = None) -> list[Invite]:
        now = now or self._clock.now()
        rows = await self._db.fetchall(
            "SELECT * FROM invites WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)"
            " AND (max_uses IS NULL OR uses < max_uses) ORDER BY created_at DESC",
            (iso(now),),
        )
        return [invite_from_row(r) for r in rows]

    async def revoke(self, code: str) -> bool:
        changed = await self._db.execute(
            "UPDATE invites SET revoked_at=? WHERE code=? AND revoked_at IS NULL", (iso(self._clock.now()), code)
        )
        return changed > 0
