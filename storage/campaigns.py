"""Monitoring campaigns, their recipients and who has answered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot.clock import Clock, iso, parse_iso
from bot.flows.campaign_launch import Invitation as Invitation  # the domain's: the launch builds them
from bot.flows.campaign_launch import Report as Report
from bot.flows.events import Messenger, Person
from bot.i18n import Audience
from bot.participants import audience_for
from bot.programme import Role
from storage.database import Database, Transaction
from storage.matching import name_sql
from storage.outbox import Outbox


@dataclass(frozen=True)
class Campaign:
    id: int
    survey: str
    kind: str
    segment: str
    title: str
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and self.opens_at <= now < self.closes_at


@dataclass(frozen=True)
class Recipient:
    participant_id: int
    telegram_id: int  # their account id on `messenger`
    role: str
    name: str = ""
    audience: Audience = Audience.ADULT  # how the invitation speaks to them
    messenger: Messenger = Messenger.TELEGRAM

    @property
    def person(self) -> Person:
        """Where their invitation and reminders go: their account on their messenger."""
        return Person(self.messenger, self.telegram_id)


@dataclass(frozen=True)
class Pending:
    campaign: Campaign
    participant_id: int
    telegram_id: int  # their account id on `messenger`
    messenger: Messenger = Messenger.TELEGRAM

    @property
    def person(self) -> Person:
        return Person(self.messenger, self.telegram_id)


def _audience(row: aiosqlite.Row) -> Audience:
    return audience_for(Role(row["role"]), None if row["is_adult"] is None else bool(row["is_adult"]))


def _recipient(row: aiosqlite.Row) -> Recipient:
    name = row["name"] or f"P-{row['id']:05d}"
    return Recipient(
        row["id"], row["telegram_id"], row["role"], name, _audience(row), Messenger(row["messenger"])
    )


def _campaign(row: aiosqlite.Row) -> Campaign:
    return Campaign(
        id=row["id"],
        survey=row["survey"],
        kind=row["kind"],
        segment=row["segment"],
        title=row["title"],
        opens_at=parse_iso(row["opens_at"]),
        closes_at=parse_iso(row["closes_at"]),
        closed_at=parse_iso(row["closed_at"]) if row["closed_at"] else None,
    )


_ACTIVE_PAIR_MEMBERS = (
    "SELECT x.mentor_id FROM pairs x WHERE x.dissolved_at IS NULL"
    " UNION SELECT m.mentee_id FROM pair_members m JOIN pairs x ON x.id=m.pair_id WHERE x.dissolved_at IS NULL"
)
#: (member, confirmed_at) of every active pair or group.
_ACTIVE_PAIR_SINCE = (
    "SELECT x.mentor_id AS pid, x.confirmed_at FROM pairs x WHERE x.dissolved_at IS NULL"
    " UNION ALL SELECT m.mentee_id, x.confirmed_at FROM pair_members m JOIN pairs x ON x.id=m.pair_id"
    " WHERE x.dissolved_at IS NULL"
)
_NAME = name_sql("p.id")


async def _queue_reports(invitation: Invitation, tx: Transaction) -> None:
    for report in invitation.reports:
        await invitation.outbox.enqueue(
            report.to.account_id,
            report.text,
            kind="report",
            dedup_key=report.dedup_key,
            tx=tx,
            about=report.about,
            messenger=report.to.messenger,
        )


async def _queue_invitations(
    invitation: Invitation, campaign_id: int, participant_ids: list[int], tx: Transaction
) -> None:
    """Each recipient's invitation, worded for them, on their messenger."""
    for (text, messenger), chats in invitation.groups(campaign_id, participant_ids).items():
        await invitation.outbox.enqueue_many(
            chats, text, reply_markup=invitation.markup(campaign_id), kind="campaign", tx=tx, messenger=messenger
        )


class CampaignRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def segment(self, segment: str) -> list[Recipient]:
        """Consented participants of a segment: all, active (in a pair), mentees, mentors, form.<f>,
        fmentees.<f> / fmentors.<f> (one side of a form), pair.<id>."""
        kind, _, value = segment.partition(".")
        base = (
            f"SELECT p.id, p.account_id AS telegram_id, p.messenger, p.role, p.is_adult, {_NAME} AS name"
            " FROM participants p"
            " WHERE p.consent_at IS NOT NULL"
        )
        where = {
            "all": "",
            "active": f" AND p.id IN ({_ACTIVE_PAIR_MEMBERS})",
            "mentees": " AND p.role<>'mentor'",
            "mentors": " AND p.role='mentor'",
            "form": " AND p.form=:value",
            "fmentees": " AND p.form=:value AND p.role<>'mentor'",
            "fmentors": " AND p.form=:value AND p.role='mentor'",
            "pair": (
                " AND p.id IN (SELECT mentor_id FROM pairs WHERE id=:value UNION"
                " SELECT mentee_id FROM pair_members WHERE pair_id=:value)"
            ),
        }.get(kind, " AND 0")
        rows = await self._db.fetchall(base + where + " ORDER BY p.id", {"value": value})
        return [_recipient(r) for r in rows]

    async def paired_since(self) -> dict[int, datetime]:
        """Participant id -> when their first active pair or group was confirmed (how long they have worked)."""
        rows = await self._db.fetchall(
            f"SELECT pid, MIN(confirmed_at) AS since FROM ({_ACTIVE_PAIR_SINCE}) GROUP BY pid"
        )
        return {r["pid"]: parse_iso(r["since"]) for r in rows}

    async def recipient_ids(self, campaign_id: int) -> set[int]:
        rows = await self._db.fetchall(
            "SELECT participant_id FROM campaign_recipients WHERE campaign_id=?", (campaign_id,)
        )
        return {r["participant_id"] for r in rows}

    async def open_calendar(self, now: datetime) -> list[Campaign]:
        """The calendar's open campaigns of all pairs (those that later pairs join; not one pair's own)."""
        rows = await self._db.fetchall(
            "SELECT * FROM campaigns WHERE calendar_key IS NOT NULL AND segment='active' AND closed_at IS NULL"
            " AND opens_at<=? AND closes_at>? ORDER BY id",
            (iso(now), iso(now)),
        )
        return [_campaign(r) for r in rows]

    async def form_sides(self) -> dict[str, set[str]]:
        """Forms that have consented participants, each with the sides present ("fmentees", "fmentors")."""
        rows = await self._db.fetchall(
            "SELECT DISTINCT form, role='mentor' AS mentor FROM participants"
            " WHERE consent_at IS NOT NULL AND form IS NOT NULL"
        )
        sides: dict[str, set[str]] = {}
        for row in rows:
            sides.setdefault(row["form"], set()).add("fmentors" if row["mentor"] else "fmentees")
        return sides

    async def create(
        self,
        *,
        survey: str,
        kind: str,
        segment: str,
        title: str,
        opens_at: datetime,
        closes_at: datetime,
        created_by: int | None,
        recipients: list[tuple[int, str]],
        calendar_key: str | None = None,
        invitation: Invitation | None = None,
    ) -> int | None:
        """The campaign with its recipients (participant id, questionnaire id) and their invitations, in one
        transaction (all or nothing); None if the calendar key exists."""
        now = iso(self._clock.now())
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "INSERT INTO campaigns(survey, kind, segment, title, opens_at, closes_at, created_by, created_at,"
                " calendar_key) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(calendar_key) DO NOTHING",
                (survey, kind, segment, title, iso(opens_at), iso(closes_at), created_by, now, calendar_key),
            )
            if not changed:
                return None
            row = await tx.fetchone("SELECT last_insert_rowid() AS id")
            campaign_id = int(row["id"]) if row else 0
            await tx.executemany(
                "INSERT INTO campaign_recipients(campaign_id, participant_id, questionnaire_id, invited_at)"
                " VALUES (?,?,?,?)",
                [(campaign_id, pid, questionnaire_id, now) for pid, questionnaire_id in recipients],
            )
            if invitation is not None:
                await _queue_invitations(invitation, campaign_id, [pid for pid, _ in recipients], tx)
                await _queue_reports(invitation, tx)
        if invitation is not None:
            invitation.outbox.wake()
        return campaign_id

    async def add_recipients(
        self, campaign_id: int, recipients: list[tuple[int, str]], invitation: Invitation
    ) -> list[int]:
        """Invite more people to a campaign still open, each once, with their invitations and the curators'
        reports in one transaction; the participant ids actually added."""
        now = iso(self._clock.now())
        added = []
        async with self._db.transaction() as tx:
            still_open = await tx.fetchone(
                "SELECT 1 FROM campaigns WHERE id=? AND closed_at IS NULL AND closes_at>?", (campaign_id, now)
            )
            if still_open is None:
                return []
            for pid, questionnaire_id in recipients:
                if await tx.execute(
                    "INSERT INTO campaign_recipients(campaign_id, participant_id, questionnaire_id, invited_at)"
                    " VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
                    (campaign_id, pid, questionnaire_id, now),
                ):
                    added.append(pid)
            if added:
                await _queue_invitations(invitation, campaign_id, added, tx)
                await _queue_reports(invitation, tx)
        if added:
            invitation.outbox.wake()
        return added

    async def get(self, campaign_id: int) -> Campaign | None:
        row = await self._db.fetchone("SELECT * FROM campaigns WHERE id=?", (campaign_id,))
        return _campaign(row) if row else None

    async def recipient_questionnaire(self, campaign_id: int, participant_id: int) -> tuple[str, bool] | None:
        """(questionnaire id, completed?) of a recipient, or None if they are not one."""
        row = await self._db.fetchone(
            "SELECT questionnaire_id, completed_at FROM campaign_recipients WHERE campaign_id=? AND participant_id=?",
            (campaign_id, participant_id),
        )
        return (row["questionnaire_id"], row["completed_at"] is not None) if row else None

    async def complete(self, campaign_id: int, participant_id: int) -> None:
        await self._db.write(
            "UPDATE campaign_recipients SET completed_at=COALESCE(completed_at, ?) WHERE campaign_id=?"
            " AND participant_id=?",
            (iso(self._clock.now()), campaign_id, participant_id),
        )

    async def to_nudge(self, now: datetime, every: timedelta) -> list[Pending]:
        rows = await self._db.fetchall(
            "SELECT c.*, r.participant_id, p.account_id AS telegram_id, p.messenger FROM campaign_recipients r"
            " JOIN campaigns c ON c.id=r.campaign_id JOIN participants p ON p.id=r.participant_id"
            " WHERE r.completed_at IS NULL AND c.closed_at IS NULL AND c.closes_at>? AND c.opens_at<=?"
            " AND COALESCE(r.nudged_at, r.invited_at)<=?",
            (iso(now), iso(now), iso(now - every)),
        )
        return [
            Pending(_campaign(r), r["participant_id"], r["telegram_id"], Messenger(r["messenger"])) for r in rows
        ]

    async def mark_nudged(self, campaign_id: int, participant_id: int) -> None:
        await self._db.execute(
            "UPDATE campaign_recipients SET nudged_at=? WHERE campaign_id=? AND participant_id=?",
            (iso(self._clock.now()), campaign_id, participant_id),
        )

    async def due_to_close(self, now: datetime) -> list[Campaign]:
        rows = await self._db.fetchall("SELECT * FROM campaigns WHERE closed_at IS NULL AND closes_at<=?", (iso(now),))
        return [_campaign(r) for r in rows]

    async def close(self, campaign_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE campaigns SET closed_at=? WHERE id=? AND closed_at IS NULL", (iso(self._clock.now()), campaign_id)
        )
        return changed > 0

    async def open_of_survey(self, survey: str, now: datetime) -> list[tuple[Campaign, int, int]]:
        """The campaigns of `survey` open at `now`, with (recipients, answered), oldest first."""
        rows = await self._db.fetchall(
            "SELECT c.*, COUNT(r.participant_id) AS total, COUNT(r.completed_at) AS done FROM campaigns c"
            " LEFT JOIN campaign_recipients r ON r.campaign_id=c.id"
            " WHERE c.survey=? AND c.closed_at IS NULL AND c.opens_at<=? AND c.closes_at>? GROUP BY c.id ORDER BY c.id",
            (survey, iso(now), iso(now)),
        )
        return [(_campaign(r), r["total"], r["done"]) for r in rows]

    async def open_all(self, now: datetime) -> list[tuple[Campaign, int, int]]:
        """Every campaign open at `now`, with (recipients, answered), oldest first."""
        rows = await self._db.fetchall(
            "SELECT c.*, COUNT(r.participant_id) AS total, COUNT(r.completed_at) AS done FROM campaigns c"
            " LEFT JOIN campaign_recipients r ON r.campaign_id=c.id"
            " WHERE c.closed_at IS NULL AND c.opens_at<=? AND c.closes_at>? GROUP BY c.id ORDER BY c.id",
            (iso(now), iso(now)),
        )
        return [(_campaign(r), r["total"], r["done"]) for r in rows]

    async def rate(self, campaign_id: int) -> tuple[int, int]:
        """(recipients, answered) of one campaign."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS total, COUNT(completed_at) AS done FROM campaign_recipients WHERE campaign_id=?",
            (campaign_id,),
        )
        return (row["total"], row["done"]) if row else (0, 0)

    async def unanswered(self, campaign_id: int) -> list[Recipient]:
        """The recipients who have not answered yet, by name."""
        rows = await self._db.fetchall(
            f"SELECT p.id, p.account_id AS telegram_id, p.messenger, p.role, p.is_adult, {_NAME} AS name"
            " FROM campaign_recipients r"
            " JOIN participants p ON p.id=r.participant_id WHERE r.campaign_id=? AND r.completed_at IS NULL",
            (campaign_id,),
        )
        people = [_recipient(r) for r in rows]
        return sorted(people, key=lambda p: (p.name.casefold(), p.participant_id))

    async def remind(
        self,
        campaign_id: int,
        outbox: Outbox,
        text: Callable[[Audience], str],
        markup: dict[str, Any] | None,
        key: str,
    ) -> int:
        """Queue `text` (worded for each recipient's audience) to every recipient who has not answered an open
        campaign, once per `key` (the curator's «Напомнить» of a day), and count it as their reminder; how many
        were queued now."""
        now = self._clock.now()
        queued = 0
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT r.participant_id, p.account_id AS telegram_id, p.messenger, p.role, p.is_adult"
                " FROM campaign_recipients r"
                " JOIN campaigns c ON c.id=r.campaign_id JOIN participants p ON p.id=r.participant_id"
                " WHERE r.campaign_id=? AND r.completed_at IS NULL"
                " AND c.closed_at IS NULL AND c.closes_at>? ORDER BY r.participant_id",
                (campaign_id, iso(now)),
            )
            for row in rows:
                pid = row["participant_id"]
                if await outbox.enqueue(
                    row["telegram_id"],
                    text(_audience(row)),
                    reply_markup=markup,
                    kind="campaign",
                    dedup_key=f"cremind:{campaign_id}:{pid}:{key}",
                    tx=tx,
                    messenger=Messenger(row["messenger"]),
                ):
                    queued += 1
                    await tx.execute(
                        "UPDATE campaign_recipients SET nudged_at=? WHERE campaign_id=? AND participant_id=?",
                        (iso(now), campaign_id, pid),
                    )
        if queued:
            outbox.wake()
        return queued

    async def response_rates(self) -> list[tuple[Campaign, int, int]]:
        """Every campaign with (recipients, answered), newest first."""
        rows = await self._db.fetchall(
            "SELECT c.*, COUNT(r.participant_id) AS total, COUNT(r.completed_at) AS done FROM campaigns c"
            " LEFT JOIN campaign_recipients r ON r.campaign_id=c.id GROUP BY c.id ORDER BY c.id DESC"
        )
        return [(_campaign(r), r["total"], r["done"]) for r in rows]
