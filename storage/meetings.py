"""Meetings of pairs and groups, the mentees' responses, check-ins and how the pair suits each side."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot.clock import Clock, iso, parse_iso
from bot.meetings import CheckinAnswer, Stage
from storage.database import Database


@dataclass(frozen=True)
class Meeting:
    id: int
    pair_id: int
    stage: Stage
    starts_at: datetime
    place: str
    topic: str | None
    status: str  # planned, held, not_held, cancelled
    updated_at: datetime  # when it was last (re)scheduled: no reminder is due before it


@dataclass(frozen=True)
class Checkin:
    participant_id: int
    answer: CheckinAnswer
    usefulness: int | None
    note: str | None


def _meeting(row: aiosqlite.Row) -> Meeting:
    return Meeting(
        id=row["id"],
        pair_id=row["pair_id"],
        stage=Stage(row["stage"]),
        starts_at=parse_iso(row["starts_at"]),
        place=row["place"],
        topic=row["topic"],
        status=row["status"],
        updated_at=parse_iso(row["updated_at"]),
    )


class MeetingRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def create(self, pair_id: int, stage: Stage, starts_at: datetime, place: str, topic: str | None) -> Meeting:
        now = iso(self._clock.now())
        meeting_id = await self._db.insert(
            "INSERT INTO meetings(pair_id, stage, starts_at, place, topic, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?)",
            (pair_id, stage.value, iso(starts_at), place, topic, now, now),
        )
        found = await self.get(meeting_id)
        assert found is not None
        return found

    async def get(self, meeting_id: int) -> Meeting | None:
        row = await self._db.fetchone("SELECT * FROM meetings WHERE id=?", (meeting_id,))
        return _meeting(row) if row else None

    async def reschedule(self, meeting_id: int, starts_at: datetime) -> bool:
        """Move a planned meeting; the mentees' earlier answers no longer hold, check-ins start over."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE meetings SET starts_at=?, status='planned', updated_at=? WHERE id=? AND status IN"
                " ('planned', 'not_held')",
                (iso(starts_at), iso(self._clock.now()), meeting_id),
            )
            if changed:
                await tx.execute("DELETE FROM meeting_responses WHERE meeting_id=?", (meeting_id,))
                await tx.execute("DELETE FROM checkins WHERE meeting_id=?", (meeting_id,))
        return changed > 0

    async def set_status(self, meeting_id: int, status: str) -> bool:
        changed = await self._db.execute(
            "UPDATE meetings SET status=?, updated_at=? WHERE id=? AND status<>?",
            (status, iso(self._clock.now()), meeting_id, status),
        )
        return changed > 0

    async def for_pair(self, pair_id: int) -> list[Meeting]:
        rows = await self._db.fetchall("SELECT * FROM meetings WHERE pair_id=? ORDER BY starts_at", (pair_id,))
        return [_meeting(r) for r in rows]

    async def next_planned(self, pair_id: int) -> Meeting | None:
        row = await self._db.fetchone(
            "SELECT * FROM meetings WHERE pair_id=? AND status='planned' ORDER BY starts_at LIMIT 1", (pair_id,)
        )
        return _meeting(row) if row else None

    async def held_stages(self, pair_id: int) -> list[Stage]:
        rows = await self._db.fetchall(
            "SELECT stage FROM meetings WHERE pair_id=? AND status='held' ORDER BY starts_at", (pair_id,)
        )
        return [Stage(r["stage"]) for r in rows]

    async def pairs_with_planned(self) -> set[int]:
        rows = await self._db.fetchall("SELECT DISTINCT pair_id FROM meetings WHERE status='planned'")
        return {r["pair_id"] for r in rows}

    async def held_by_pair(self) -> dict[int, list[Stage]]:
        rows = await self._db.fetchall(
            "SELECT m.pair_id, m.stage FROM meetings m JOIN pairs x ON x.id=m.pair_id"
            " WHERE x.dissolved_at IS NULL AND m.status='held' ORDER BY m.starts_at"
        )
        out: dict[int, list[Stage]] = {}
        for r in rows:
            out.setdefault(r["pair_id"], []).append(Stage(r["stage"]))
        return out

    async def respond(self, meeting_id: int, participant_id: int, response: str) -> None:
        await self._db.execute(
            "INSERT INTO meeting_responses(meeting_id, participant_id, response, at) VALUES (?,?,?,?)"
            " ON CONFLICT DO UPDATE SET response=excluded.response, at=excluded.at",
            (meeting_id, participant_id, response, iso(self._clock.now())),
        )

    async def responses(self, meeting_id: int) -> dict[int, str]:
        rows = await self._db.fetchall(
            "SELECT participant_id, response FROM meeting_responses WHERE meeting_id=?", (meeting_id,)
        )
        return {r["participant_id"]: r["response"] for r in rows}

    async def save_checkin(
        self,
        meeting_id: int,
        participant_id: int,
        answer: CheckinAnswer,
        *,
        usefulness: int | None = None,
        note: str | None = None,
    ) -> None:
        await self._db.execute(
            "INSERT INTO checkins(meeting_id, participant_id, answer, usefulness, note, at) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT DO UPDATE SET answer=excluded.answer,"
            " usefulness=COALESCE(excluded.usefulness, checkins.usefulness),"
            " note=COALESCE(excluded.note, checkins.note), at=excluded.at",
            (meeting_id, participant_id, answer.value, usefulness, note, iso(self._clock.now())),
        )

    async def checkins(self, meeting_id: int) -> dict[int, Checkin]:
        rows = await self._db.fetchall("SELECT * FROM checkins WHERE meeting_id=?", (meeting_id,))
        return {
            r["participant_id"]: Checkin(r["participant_id"], CheckinAnswer(r["answer"]), r["usefulness"], r["note"])
            for r in rows
        }

    async def set_fit(self, pair_id: int, participant_id: int, fits: str) -> None:
        await self._db.execute(
            "INSERT INTO pair_fit(pair_id, participant_id, fits, at) VALUES (?,?,?,?)"
            " ON CONFLICT DO UPDATE SET fits=excluded.fits, at=excluded.at",
            (pair_id, participant_id, fits, iso(self._clock.now())),
        )

    async def fits(self, pair_id: int) -> dict[int, str]:
        """Each one's answer to «пара подходит?» (yes, unsure, no) by participant id."""
        rows = await self._db.fetchall("SELECT participant_id, fits FROM pair_fit WHERE pair_id=?", (pair_id,))
        return {r["participant_id"]: r["fits"] for r in rows}

    # --- what the scheduler reads -------------------------------------------------------------------------
    async def planned_between(self, start: datetime, end: datetime) -> list[Meeting]:
        rows = await self._db.fetchall(
            "SELECT m.* FROM meetings m JOIN pairs x ON x.id=m.pair_id WHERE x.dissolved_at IS NULL"
            " AND m.status='planned' AND m.starts_at>=? AND m.starts_at<? ORDER BY m.starts_at",
            (iso(start), iso(end)),
        )
        return [_meeting(r) for r in rows]

    async def missing_checkins(
        self, started_after: datetime, started_before: datetime
    ) -> list[tuple[Meeting, set[int]]]:
        """Planned meetings that have started in the window, with who has already checked in."""
        meetings = await self.planned_between(started_after, started_before)
        if not meetings:
            return []
        marks = ",".join("?" * len(meetings))
        rows = await self._db.fetchall(
            f"SELECT meeting_id, participant_id FROM checkins WHERE meeting_id IN ({marks})", [m.id for m in meetings]
        )
        done: dict[int, set[int]] = {}
        for r in rows:
            done.setdefault(r["meeting_id"], set()).add(r["participant_id"])
        return [(m, done.get(m.id, set())) for m in meetings]

    async def last_held(self) -> dict[int, datetime]:
        """The latest held meeting of every active pair."""
        rows = await self._db.fetchall(
            "SELECT m.pair_id, MAX(m.starts_at) AS last FROM meetings m JOIN pairs x ON x.id=m.pair_id"
            " WHERE x.dissolved_at IS NULL AND m.status='held' GROUP BY m.pair_id"
        )
        return {r["pair_id"]: parse_iso(r["last"]) for r in rows}

    async def day_overview(self, start: datetime, end: datetime) -> list[Meeting]:
        return await self.planned_between(start, end)

    async def recent_without_checkin(self, now: datetime, after: timedelta, window: timedelta) -> int:
        """How many started meetings still lack a check-in from somebody (for the digest)."""
        return len([m for m, done in await self.missing_checkins(now - window, now - after) if not done])
