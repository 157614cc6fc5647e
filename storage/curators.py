"""Curators added from the bot and their one-time links; keeps `Settings.roster` in step with the table."""

from __future__ import annotations

import aiosqlite

from bot.clock import Clock, iso, parse_iso
from bot.curators import CURATOR_INVITE_TTL, AddedCurator, CuratorInvite, CuratorInviteProblem, CuratorRoster
from bot.flows.events import Messenger, Person
from bot.invites import CURATOR_PREFIX, new_code
from storage.database import Database


def _invite(row: aiosqlite.Row) -> CuratorInvite:
    return CuratorInvite(
        code=row["code"],
        created_by=row["created_by"],
        created_at=parse_iso(row["created_at"]),
        expires_at=parse_iso(row["expires_at"]),
        used_by=row["used_by"],
        created_by_messenger=Messenger(row["created_by_messenger"]),
        used_by_messenger=Messenger(row["used_by_messenger"]) if row["used_by_messenger"] else None,
    )


def _curator(row: aiosqlite.Row) -> AddedCurator:
    return AddedCurator(
        telegram_id=row["account_id"],
        name=row["name"],
        added_by=row["added_by"],
        added_at=parse_iso(row["added_at"]),
        messenger=Messenger(row["messenger"]),
        added_by_messenger=Messenger(row["added_by_messenger"]),
    )


class CuratorRepo:
    def __init__(self, db: Database, clock: Clock, roster: CuratorRoster) -> None:
        self._db = db
        self._clock = clock
        self.roster = roster

    async def load(self) -> None:
        """Read the added curators into the roster (at start-up; every change below does it too)."""
        rows = await self._db.fetchall("SELECT messenger, account_id FROM curators")
        self.roster.set_added(Person(Messenger(row["messenger"]), row["account_id"]) for row in rows)

    async def added(self) -> list[AddedCurator]:
        rows = await self._db.fetchall("SELECT * FROM curators ORDER BY added_at, messenger, account_id")
        return [_curator(row) for row in rows]

    async def get(self, telegram_id: int, messenger: Messenger = Messenger.TELEGRAM) -> AddedCurator | None:
        row = await self._db.fetchone(
            "SELECT * FROM curators WHERE messenger=? AND account_id=?", (messenger, telegram_id)
        )
        return _curator(row) if row else None

    async def create_invite(self, created_by: int, messenger: Messenger = Messenger.TELEGRAM) -> CuratorInvite:
        now = self._clock.now()
        code = new_code(CURATOR_PREFIX)
        await self._db.execute(
            "INSERT INTO curator_invites(code, created_by, created_by_messenger, created_at, expires_at)"
            " VALUES (?,?,?,?,?)",
            (code, created_by, messenger, iso(now), iso(now + CURATOR_INVITE_TTL)),
        )
        invite = await self.invite(code)
        assert invite is not None
        return invite

    async def invite(self, code: str) -> CuratorInvite | None:
        row = await self._db.fetchone("SELECT * FROM curator_invites WHERE code=?", (code,))
        return _invite(row) if row else None

    async def accept(
        self, code: str, telegram_id: int, name: str, messenger: Messenger = Messenger.TELEGRAM
    ) -> CuratorInvite | CuratorInviteProblem:
        """Use the link: its owner becomes a curator. One use: the check and the mark commit together."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM curator_invites WHERE code=?", (code,))
            if row is None:
                return CuratorInviteProblem.UNKNOWN
            invite = _invite(row)
            problem = invite.problem(now)
            if problem is not None:
                return problem
            await tx.execute(
                "UPDATE curator_invites SET used_by=?, used_by_messenger=?, used_at=? WHERE code=?",
                (telegram_id, messenger, iso(now), code),
            )
            await tx.execute(
                "INSERT INTO curators(messenger, account_id, name, added_by, added_by_messenger, added_at)"
                " VALUES (?,?,?,?,?,?) ON CONFLICT(messenger, account_id) DO NOTHING",
                (messenger, telegram_id, name, invite.created_by, invite.created_by_messenger, iso(now)),
            )
        await self.load()
        return invite

    async def remove(
        self, telegram_id: int, *, drop_pending: bool, messenger: Messenger = Messenger.TELEGRAM
    ) -> bool:
        """False when they are not an added curator (already removed, or an owner, who is not in the table).

        `drop_pending`: also delete the messages still queued to them (alerts, questions, the digest name
        participants; a removed curator must not receive them). The caller passes False for someone who is
        also a participant, whose own notices wait in the same queue.
        """
        async with self._db.transaction() as tx:
            account = (messenger, telegram_id)
            changed = await tx.execute("DELETE FROM curators WHERE messenger=? AND account_id=?", account)
            if changed and drop_pending:
                await tx.execute(
                    "DELETE FROM outbox WHERE messenger=? AND chat_id=? AND status='pending'", account
                )
        await self.load()
        return changed > 0
