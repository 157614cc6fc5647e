"""Questions to the curator, materials and broadcasts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock, iso, parse_iso
from bot.flows.events import Messenger, Person
from storage.database import Database
from storage.outbox import Outbox


@dataclass(frozen=True)
class Question:
    id: int
    participant_id: int
    text: str
    asked_at: datetime
    answer: str | None
    #: The parent's account id (on `asked_by_messenger`) when a parent asked about their child; None when the
    #: participant asked.
    asked_by: int | None = None
    asked_by_messenger: Messenger | None = None


@dataclass(frozen=True)
class Material:
    id: int
    title: str
    audience: str
    file_id: str
    file_name: str


@dataclass(frozen=True)
class BroadcastReport:
    id: int
    created_by: int
    recipients: int
    counts: dict[str, int]
    created_by_messenger: Messenger = Messenger.TELEGRAM

    @property
    def curator(self) -> Person:
        """The curator who sent it, on the messenger they sent it from: the report goes there."""
        return Person(self.created_by_messenger, self.created_by)


class InformingRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- questions ---------------------------------------------------------------------------------------
    async def ask(
        self,
        participant_id: int,
        text: str,
        *,
        asked_by: int | None = None,
        asked_by_messenger: Messenger = Messenger.TELEGRAM,
    ) -> int:
        """`asked_by`: a parent asking about their child, the participant `participant_id`."""
        return await self._db.insert(
            "INSERT INTO questions(participant_id, text, asked_at, asked_by, asked_by_messenger) VALUES (?,?,?,?,?)",
            (participant_id, text, iso(self._clock.now()), asked_by, asked_by_messenger if asked_by else None),
        )

    async def question(self, question_id: int) -> Question | None:
        row = await self._db.fetchone("SELECT * FROM questions WHERE id=?", (question_id,))
        if row is None:
            return None
        return Question(
            row["id"],
            row["participant_id"],
            row["text"],
            parse_iso(row["asked_at"]),
            row["answer"],
            row["asked_by"],
            Messenger(row["asked_by_messenger"]) if row["asked_by_messenger"] else None,
        )

    async def answer(self, question_id: int, text: str, curator_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE questions SET answer=?, answered_by=?, answered_at=? WHERE id=? AND answered_at IS NULL",
            (text, curator_id, iso(self._clock.now()), question_id),
        )
        return changed > 0

    async def open_questions(self) -> int:
        return int(await self._db.fetchval("SELECT COUNT(*) FROM questions WHERE answered_at IS NULL"))

    # --- materials ---------------------------------------------------------------------------------------
    async def add_material(self, title: str, audience: str, file_id: str, file_name: str, added_by: int) -> int:
        return await self._db.insert(
            "INSERT INTO materials(title, audience, file_id, file_name, added_by, added_at) VALUES (?,?,?,?,?,?)",
            (title, audience, file_id, file_name, added_by, iso(self._clock.now())),
        )

    async def materials(self, audiences: tuple[str, ...] = ("all", "mentors", "mentees")) -> list[Material]:
        marks = ",".join("?" * len(audiences))
        rows = await self._db.fetchall(
            f"SELECT * FROM materials WHERE deleted_at IS NULL AND audience IN ({marks}) ORDER BY id", audiences
        )
        return [Material(r["id"], r["title"], r["audience"], r["file_id"], r["file_name"]) for r in rows]

    async def material(self, material_id: int) -> Material | None:
        row = await self._db.fetchone("SELECT * FROM materials WHERE id=? AND deleted_at IS NULL", (material_id,))
        return Material(row["id"], row["title"], row["audience"], row["file_id"], row["file_name"]) if row else None

    async def delete_material(self, material_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE materials SET deleted_at=? WHERE id=? AND deleted_at IS NULL", (iso(self._clock.now()), material_id)
        )
        return changed > 0

    # --- broadcasts ----------------------------------------------------------------------------------------
    async def create_broadcast(
        self,
        created_by: int,
        audience: str,
        text: str | None,
        media_kind: str | None,
        file_id: str | None,
        recipients: list[Person],
        not_before: datetime,
        *,
        outbox: Outbox,
        created_by_messenger: Messenger = Messenger.TELEGRAM,
    ) -> int:
        """The broadcast and one outbox row per recipient on their messenger, in one transaction (all or
        nothing); the caller wakes the sender."""
        async with self._db.transaction() as tx:
            broadcast_id = await tx.insert(
                "INSERT INTO broadcasts(created_by, created_by_messenger, created_at, audience, text, media_kind,"
                " file_id, recipients) VALUES (?,?,?,?,?,?,?,?)",
                (
                    created_by, created_by_messenger, iso(self._clock.now()), audience, text, media_kind, file_id,
                    len(recipients),
                ),
            )
            for messenger in Messenger:
                chats = [(p.account_id, None) for p in recipients if p.messenger is messenger]
                if not chats:
                    continue
                await outbox.enqueue_many(
                    chats,
                    text or "",
                    kind="broadcast",
                    not_before=not_before,
                    media_kind=media_kind,
                    file_id=file_id,
                    broadcast_id=broadcast_id,
                    tx=tx,
                    messenger=messenger,
                )
        return broadcast_id

    async def finished_unreported(self) -> list[BroadcastReport]:
        """Broadcasts whose every message reached a final state and whose report was not sent yet."""
        rows = await self._db.fetchall(
            "SELECT b.id, b.created_by, b.created_by_messenger, b.recipients, o.status, COUNT(o.id) AS n"
            " FROM broadcasts b LEFT JOIN outbox o ON o.broadcast_id=b.id WHERE b.reported_at IS NULL"
            " GROUP BY b.id, o.status"
        )
        reports: dict[int, BroadcastReport] = {}
        for r in rows:
            report = reports.setdefault(
                r["id"],
                BroadcastReport(
                    r["id"], r["created_by"], r["recipients"], {}, Messenger(r["created_by_messenger"])
                ),
            )
            if r["status"] is not None:
                report.counts[r["status"]] = r["n"]
        return [rep for rep in reports.values() if not rep.counts.get("pending")]

    async def mark_reported(self, broadcast_id: int) -> None:
        await self._db.execute("UPDATE broadcasts SET reported_at=? WHERE id=?", (iso(self._clock.now()), broadcast_id))
