"""Participants, their consents and answers, and the true deletion of it all on withdrawal."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.clock import Clock, iso, parse_iso
from bot.consent import ConsentDocument, ConsentKind, Relation
from bot.invites import Invite, InviteProblem
from bot.participants import Participant
from bot.programme import Form, Role, Status
from storage.database import Database
from storage.invites import invite_from_row

#: The questionnaire question whose answer is the participant's name (every intake form has it).
NAME_QUESTION = "name"

_SELECT = (
    "SELECT p.*, (SELECT json_extract(a.value, '$') FROM answers a WHERE a.participant_id=p.id"
    f" AND a.question_id='{NAME_QUESTION}' ORDER BY a.answered_at LIMIT 1) AS name FROM participants p"
)

_STATUS_SQL = (
    "CASE WHEN p.consent_at IS NULL THEN"
    " (CASE WHEN p.parent_code IS NOT NULL THEN 'awaiting_parent' ELSE 'invited' END)"
    " WHEN p.survey_done_at IS NULL THEN 'consented' ELSE 'survey_done' END"
)


def _participant(row: aiosqlite.Row) -> Participant:
    return Participant(
        id=row["id"],
        telegram_id=row["telegram_id"],
        role=Role(row["role"]),
        form=Form(row["form"]),
        joined_at=parse_iso(row["joined_at"]),
        is_adult=None if row["is_adult"] is None else bool(row["is_adult"]),
        parent_code=row["parent_code"],
        consent_at=parse_iso(row["consent_at"]) if row["consent_at"] else None,
        survey_done_at=parse_iso(row["survey_done_at"]) if row["survey_done_at"] else None,
        name=row["name"],
    )


class JoinRefused(Exception):
    def __init__(self, problem: InviteProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class ConsentRecord:
    kind: ConsentKind
    document_version: str
    text_sha256: str
    given_at: str
    given_by: int
    parent_name: str | None
    parent_relation: Relation | None


@dataclass(frozen=True)
class Destruction:
    pseudonym: str
    categories: dict[str, int]


class ParticipantRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- reading --------------------------------------------------------------------------------------
    async def by_telegram(self, telegram_id: int) -> Participant | None:
        row = await self._db.fetchone(f"{_SELECT} WHERE p.telegram_id=?", (telegram_id,))
        return _participant(row) if row else None

    async def get(self, participant_id: int) -> Participant | None:
        row = await self._db.fetchone(f"{_SELECT} WHERE p.id=?", (participant_id,))
        return _participant(row) if row else None

    async def by_parent_code(self, code: str) -> Participant | None:
        row = await self._db.fetchone(f"{_SELECT} WHERE p.parent_code=?", (code,))
        return _participant(row) if row else None

    async def answers(self, participant_id: int, questionnaire_id: str) -> dict[str, Any]:
        rows = await self._db.fetchall(
            "SELECT question_id, value FROM answers WHERE participant_id=? AND questionnaire_id=?",
            (participant_id, questionnaire_id),
        )
        return {r["question_id"]: json.loads(r["value"]) if r["value"] is not None else None for r in rows}

    async def children_of(self, parent_telegram_id: int) -> list[Participant]:
        """Participants whose consent this person gave as a parent (they may withdraw it)."""
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE p.id IN (SELECT participant_id FROM consents WHERE kind='parent' AND given_by=?)"
            " ORDER BY p.id",
            (parent_telegram_id,),
        )
        return [_participant(r) for r in rows]

    async def audience_chats(self, audience: str) -> list[int]:
        """Telegram ids of a broadcast's audience: all, mentors, mentees, form.<f>, club.<id>, unfinished,
        awaiting_parent. Everyone but those waiting for a parent has consented."""
        consented = "p.consent_at IS NOT NULL"
        kind, _, value = audience.partition(".")
        where, params = {
            "all": (consented, ()),
            "mentors": (f"{consented} AND p.role='mentor'", ()),
            "mentees": (f"{consented} AND p.role<>'mentor'", ()),
            "unfinished": (f"{consented} AND p.survey_done_at IS NULL", ()),
            "awaiting_parent": ("p.consent_at IS NULL AND p.parent_code IS NOT NULL", ()),
            "form": (f"{consented} AND p.form=?", (value,)),
            "club": (
                f"{consented} AND EXISTS (SELECT 1 FROM answers a WHERE a.participant_id=p.id"
                " AND a.question_id='club' AND json_extract(a.value, '$')=?)",
                (value,),
            ),
        }.get(kind, ("0", ()))
        rows = await self._db.fetchall(f"SELECT p.telegram_id FROM participants p WHERE {where} ORDER BY p.id", params)
        return [r["telegram_id"] for r in rows]

    async def pending_consents(self) -> int:
        return int(await self._db.fetchval("SELECT COUNT(*) FROM participants WHERE consent_at IS NULL"))

    async def all_consented(self) -> list[Participant]:
        rows = await self._db.fetchall(f"{_SELECT} WHERE p.consent_at IS NOT NULL ORDER BY p.id")
        return [_participant(r) for r in rows]

    async def consented_chats(self, form: Form) -> list[int]:
        rows = await self._db.fetchall(
            "SELECT telegram_id FROM participants WHERE form=? AND consent_at IS NOT NULL ORDER BY id", (form.value,)
        )
        return [r["telegram_id"] for r in rows]

    async def consent(self, participant_id: int) -> ConsentRecord | None:
        row = await self._db.fetchone(
            "SELECT * FROM consents WHERE participant_id=? ORDER BY id DESC LIMIT 1", (participant_id,)
        )
        if row is None:
            return None
        return ConsentRecord(
            kind=ConsentKind(row["kind"]),
            document_version=row["document_version"],
            text_sha256=row["text_sha256"],
            given_at=row["given_at"],
            given_by=row["given_by"],
            parent_name=row["parent_name"],
            parent_relation=Relation(row["parent_relation"]) if row["parent_relation"] else None,
        )

    async def counts(self) -> list[tuple[Role, Form, Status, int]]:
        rows = await self._db.fetchall(
            f"SELECT p.role, p.form, {_STATUS_SQL} AS status, COUNT(*) AS n FROM participants p"
            " GROUP BY p.role, p.form, status ORDER BY p.role, p.form, status"
        )
        return [(Role(r["role"]), Form(r["form"]), Status(r["status"]), r["n"]) for r in rows]

    async def page(
        self,
        *,
        role: Role | None = None,
        status: Status | None = None,
        offset: int = 0,
        limit: int = 8,
    ) -> tuple[list[Participant], int]:
        where, params = ["1=1"], []
        if role is not None:
            where.append("p.role=?")
            params.append(role.value)
        if status is not None:
            where.append(f"{_STATUS_SQL}=?")
            params.append(status.value)
        condition = " AND ".join(where)
        total = await self._db.fetchval(f"SELECT COUNT(*) FROM participants p WHERE {condition}", params)
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE {condition} ORDER BY p.id LIMIT ? OFFSET ?", [*params, limit, offset]
        )
        return [_participant(r) for r in rows], int(total)

    # --- joining and consent --------------------------------------------------------------------------
    async def join(self, telegram_id: int, invite: Invite) -> Participant:
        """Enrol with the invite's role and form; the invite is re-checked and counted in one transaction."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM invites WHERE code=?", (invite.code,))
            if row is None:
                raise JoinRefused(InviteProblem.UNKNOWN)
            problem = invite_from_row(row).problem(now)
            if problem is not None:
                raise JoinRefused(problem)
            await tx.execute("UPDATE invites SET uses=uses+1 WHERE code=?", (invite.code,))
            await tx.execute(
                "INSERT INTO participants(telegram_id, role, form, invite_code, joined_at) VALUES (?,?,?,?,?)",
                (telegram_id, invite.role.value, invite.form.value, invite.code, iso(now)),
            )
        joined = await self.by_telegram(telegram_id)
        assert joined is not None
        return joined

    async def set_adult(self, participant_id: int, is_adult: bool, parent_code: str | None) -> None:
        await self._db.execute(
            "UPDATE participants SET is_adult=?, parent_code=? WHERE id=?",
            (int(is_adult), parent_code, participant_id),
        )

    async def record_consent(
        self,
        participant_id: int,
        document: ConsentDocument | None,
        *,
        kind: ConsentKind,
        given_by: int,
        parent_name: str | None = None,
        parent_relation: Relation | None = None,
    ) -> bool:
        """Store the consent; False when the participant already has one or is gone (double press, withdrawal)."""
        now = iso(self._clock.now())
        version = document.version if document else "paper"
        digest = document.sha256 if document else ""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE participants SET consent_at=? WHERE id=? AND consent_at IS NULL", (now, participant_id)
            )
            if not changed:
                return False
            await tx.execute(
                "INSERT INTO consents(participant_id, kind, document_version, text_sha256, given_at, given_by,"
                " parent_name, parent_relation) VALUES (?,?,?,?,?,?,?,?)",
                (
                    participant_id,
                    kind.value,
                    version,
                    digest,
                    now,
                    given_by,
                    parent_name,
                    parent_relation.value if parent_relation else None,
                ),
            )
        return True

    async def decline(self, participant_id: int) -> None:
        """«Не согласен»: nothing stays, not even the Telegram id (the invite use is given back)."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT invite_code FROM participants WHERE id=? AND consent_at IS NULL", (participant_id,)
            )
            if row is None:
                return
            await tx.execute("DELETE FROM participants WHERE id=?", (participant_id,))
            if row["invite_code"]:
                await tx.execute("UPDATE invites SET uses=MAX(uses-1, 0) WHERE code=?", (row["invite_code"],))

    # --- answers --------------------------------------------------------------------------------------
    async def save_answer(self, participant_id: int, questionnaire_id: str, question_id: str, value: Any) -> None:
        await self._db.execute(
            "INSERT INTO answers(participant_id, questionnaire_id, question_id, value, answered_at)"
            " VALUES (?,?,?,?,?) ON CONFLICT DO UPDATE SET value=excluded.value, answered_at=excluded.answered_at",
            (
                participant_id,
                questionnaire_id,
                question_id,
                json.dumps(value, ensure_ascii=False),
                iso(self._clock.now()),
            ),
        )

    async def mark_survey_done(self, participant_id: int) -> None:
        await self._db.execute(
            "UPDATE participants SET survey_done_at=COALESCE(survey_done_at, ?) WHERE id=?",
            (iso(self._clock.now()), participant_id),
        )

    # --- withdrawal -----------------------------------------------------------------------------------
    async def destroy(self, participant_id: int, *, requested_by: str, reason: str) -> Destruction | None:
        """Delete everything personal about a participant and keep a record of what was destroyed."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone("SELECT id, telegram_id, role FROM participants WHERE id=?", (participant_id,))
            if row is None:
                return None
            pseudonym = f"P-{row['id']:05d}"
            counts = {"profile": 1}
            for category, sql in (
                ("consents", "SELECT COUNT(*) FROM consents WHERE participant_id=?"),
                ("answers", "SELECT COUNT(*) FROM answers WHERE participant_id=?"),
            ):
                found = await tx.fetchone(sql, (participant_id,))
                counts[category] = int(found[0]) if found else 0
            found = await tx.fetchone("SELECT COUNT(*) FROM fsm_state WHERE user_id=?", (row["telegram_id"],))
            counts["dialog"] = int(found[0]) if found else 0
            found = await tx.fetchone("SELECT COUNT(*) FROM outbox WHERE chat_id=?", (row["telegram_id"],))
            counts["messages"] = int(found[0]) if found else 0
            await tx.execute("DELETE FROM fsm_state WHERE user_id=?", (row["telegram_id"],))
            await tx.execute("DELETE FROM outbox WHERE chat_id=?", (row["telegram_id"],))
            await tx.execute("DELETE FROM participants WHERE id=?", (participant_id,))
            await tx.execute(
                "INSERT INTO destruction_log(pseudonym, role, categories, destroyed_at, requested_by, reason)"
                " VALUES (?,?,?,?,?,?)",
                (
                    pseudonym,
                    row["role"],
                    json.dumps(counts, ensure_ascii=False),
                    iso(self._clock.now()),
                    requested_by,
                    reason,
                ),
            )
        return Destruction(pseudonym=pseudonym, categories=counts)

    async def destruction_log(self) -> list[dict[str, Any]]:
        rows = await self._db.fetchall("SELECT * FROM destruction_log ORDER BY id")
        return [dict(r) for r in rows]
