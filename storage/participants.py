"""Participants, their consents and answers, and the true deletion of it all on withdrawal."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import aiosqlite

from bot.clock import Clock, iso, parse_iso
from bot.consent import ConsentDocument, ConsentKind, Relation
from bot.flows.events import Messenger, Person
from bot.i18n import forget_texts
from bot.invites import Invite, InviteProblem, JoinRefused
from bot.participants import Participant
from bot.programme import Form, Role, Status
from storage.database import Database, Transaction
from storage.invites import invite_from_row
from storage.matching import leave_pairs

#: The questionnaire question whose answer is the participant's name (every intake form has it).
NAME_QUESTION = "name"

_SELECT = (
    "SELECT p.*, (SELECT json_extract(a.value, '$') FROM answers a WHERE a.participant_id=p.id"
    f" AND a.question_id='{NAME_QUESTION}' ORDER BY a.answered_at LIMIT 1) AS name,"
    " (SELECT i.created_at FROM invites i WHERE i.code=p.invite_code) AS invite_created_at,"
    " (SELECT c.parent_name FROM consents c WHERE c.participant_id=p.id ORDER BY c.id DESC LIMIT 1) AS parent_name"
    " FROM participants p"
)
#: The audit action of a name correction; its details keep the old and the new name, so a withdrawal finds
#: (and redacts) the old one too.
RENAME_ACTION = "participant.rename"

_STATUS_SQL = (
    "CASE WHEN p.consent_at IS NULL THEN"
    " (CASE WHEN p.parent_code IS NOT NULL THEN 'awaiting_parent' ELSE 'invited' END)"
    " WHEN p.survey_done_at IS NULL THEN 'consented' ELSE 'survey_done' END"
)


def _participant(row: aiosqlite.Row) -> Participant:
    return Participant(
        id=row["id"],
        telegram_id=row["account_id"],
        role=Role(row["role"]),
        form=Form(row["form"]),
        joined_at=parse_iso(row["joined_at"]),
        is_adult=None if row["is_adult"] is None else bool(row["is_adult"]),
        parent_code=row["parent_code"],
        consent_at=parse_iso(row["consent_at"]) if row["consent_at"] else None,
        survey_done_at=parse_iso(row["survey_done_at"]) if row["survey_done_at"] else None,
        name=row["name"],
        invite_code=row["invite_code"],
        invite_created_at=parse_iso(row["invite_created_at"]) if row["invite_created_at"] else None,
        parent_name=row["parent_name"],
        messenger=Messenger(row["messenger"]),
    )


@dataclass(frozen=True)
class ConsentRecord:
    kind: ConsentKind
    document_version: str
    text_sha256: str
    given_at: str
    given_by: int
    parent_name: str | None
    parent_relation: Relation | None
    #: The date written on a paper consent (ISO), as the curator typed it.
    paper_date: str | None = None
    given_by_messenger: Messenger = Messenger.TELEGRAM


@dataclass(frozen=True)
class Destruction:
    pseudonym: str
    categories: dict[str, int]
    #: Other users whose dialog held the person and was deleted (the FSM storage drops its cached copy).
    dialogs_dropped: tuple[int, ...] = ()


class ParticipantRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- reading --------------------------------------------------------------------------------------
    async def by_account(self, messenger: Messenger, account_id: int) -> Participant | None:
        row = await self._db.fetchone(f"{_SELECT} WHERE p.messenger=? AND p.account_id=?", (messenger, account_id))
        return _participant(row) if row else None

    async def by_telegram(self, telegram_id: int) -> Participant | None:
        return await self.by_account(Messenger.TELEGRAM, telegram_id)

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

    async def children_of(
        self, parent_account_id: int, messenger: Messenger = Messenger.TELEGRAM
    ) -> list[Participant]:
        """Participants whose consent this person gave as a parent (they may withdraw it)."""
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE p.id IN (SELECT participant_id FROM consents WHERE kind='parent' AND given_by=?"
            " AND given_by_messenger=?) ORDER BY p.id",
            (parent_account_id, messenger),
        )
        return [_participant(r) for r in rows]

    async def audience(self, audience: str) -> list[Person]:
        """A broadcast's audience, each on their messenger: all, mentors, mentees, form.<f>, club.<id>,
        unfinished, awaiting_parent. Everyone but those waiting for a parent has consented."""
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
        rows = await self._db.fetchall(
            f"SELECT p.messenger, p.account_id FROM participants p WHERE {where} ORDER BY p.id", params
        )
        return [Person(Messenger(r["messenger"]), r["account_id"]) for r in rows]

    async def by_messenger(self) -> dict[Messenger, int]:
        """How many participants are on each messenger (those on none are left out)."""
        rows = await self._db.fetchall("SELECT messenger, COUNT(*) AS n FROM participants GROUP BY messenger")
        return {Messenger(r["messenger"]): r["n"] for r in rows}

    async def pending_consents(self) -> int:
        return int(await self._db.fetchval("SELECT COUNT(*) FROM participants WHERE consent_at IS NULL"))

    async def all_consented(self) -> list[Participant]:
        rows = await self._db.fetchall(f"{_SELECT} WHERE p.consent_at IS NOT NULL ORDER BY p.id")
        return [_participant(r) for r in rows]

    async def consented(self, form: Form) -> list[Participant]:
        """The consented participants of a form, on every messenger."""
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE p.form=? AND p.consent_at IS NOT NULL ORDER BY p.id", (form.value,)
        )
        return [_participant(r) for r in rows]

    async def consent(self, participant_id: int, kind: ConsentKind | None = None) -> ConsentRecord | None:
        """The consent that lets the processing go on (the latest; a pupil's own one at 14–17 only by `kind`)."""
        where = "kind=?" if kind else "kind!=?"
        row = await self._db.fetchone(
            f"SELECT * FROM consents WHERE participant_id=? AND {where} ORDER BY id DESC LIMIT 1",
            (participant_id, (kind or ConsentKind.MINOR).value),
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
            paper_date=row["paper_date"],
            given_by_messenger=Messenger(row["given_by_messenger"]),
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
    async def join(
        self, account_id: int, invite: Invite, messenger: Messenger = Messenger.TELEGRAM
    ) -> Participant:
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
                "INSERT INTO participants(messenger, account_id, role, form, invite_code, joined_at)"
                " VALUES (?,?,?,?,?,?)",
                (messenger, account_id, invite.role.value, invite.form.value, invite.code, iso(now)),
            )
        joined = await self.by_account(messenger, account_id)
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
        paper_date: date | None = None,
        given_by_messenger: Messenger = Messenger.TELEGRAM,
    ) -> bool:
        """Store the consent; False when the participant already has one or is gone (double press, withdrawal).
        A pupil's own consent at 14–17 (MINOR) is kept beside the parent's and does not start the processing."""
        now = iso(self._clock.now())
        version = document.version if document else "paper"
        digest = document.sha256 if document else ""
        async with self._db.transaction() as tx:
            if kind is ConsentKind.MINOR:
                changed = await tx.fetchone(
                    "SELECT 1 FROM participants WHERE id=? AND consent_at IS NULL", (participant_id,)
                )
            else:
                changed = await tx.execute(
                    "UPDATE participants SET consent_at=? WHERE id=? AND consent_at IS NULL", (now, participant_id)
                )
            if not changed:
                return False
            await tx.execute(
                "INSERT INTO consents(participant_id, kind, document_version, text_sha256, given_at, given_by,"
                " parent_name, parent_relation, paper_date, given_by_messenger) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    participant_id,
                    kind.value,
                    version,
                    digest,
                    now,
                    given_by,
                    parent_name,
                    parent_relation.value if parent_relation else None,
                    paper_date.isoformat() if paper_date else None,
                    given_by_messenger,
                ),
            )
        return True

    async def decline(self, participant_id: int) -> None:
        """«Не согласен»: nothing stays, not even the account id (the invite use is given back), neither in
        the tables nor in the file's free space or its WAL. The caller clears the dialog state first."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT messenger, account_id, invite_code FROM participants WHERE id=? AND consent_at IS NULL",
                (participant_id,),
            )
            if row is None:
                return
            account = (row["messenger"], row["account_id"])
            await tx.execute("DELETE FROM fsm_state WHERE messenger=? AND user_id=?", account)
            for table in ("outbox", "unreachable_chats", "waiting_chats"):
                await tx.execute(f"DELETE FROM {table} WHERE messenger=? AND chat_id=?", account)
            await tx.execute("DELETE FROM participants WHERE id=?", (participant_id,))
            if row["invite_code"]:
                await tx.execute("UPDATE invites SET uses=MAX(uses-1, 0) WHERE code=?", (row["invite_code"],))
        await self._db.scrub()

    async def scrub(self) -> None:
        """After a refusal that left no row (a parent's «Не согласен»): no copy of it in the file or WAL."""
        await self._db.scrub()

    # --- answers --------------------------------------------------------------------------------------
    async def save_answer(self, participant_id: int, questionnaire_id: str, question_id: str, value: Any) -> None:
        await self._db.write(
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

    async def rename(
        self, participant_id: int, name: str, *, curator_id: int, curator_messenger: Messenger = Messenger.TELEGRAM
    ) -> str | None:
        """The curator corrects a participant's name (their answer to the name question), with its audit entry
        in the same transaction; returns the old name, or None when there is no name to correct (gone)."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT json_extract(value, '$') AS name FROM answers WHERE participant_id=? AND question_id=?"
                " ORDER BY answered_at LIMIT 1",
                (participant_id, NAME_QUESTION),
            )
            if row is None or row["name"] is None:
                return None
            old = str(row["name"])
            await tx.execute(
                "UPDATE answers SET value=? WHERE participant_id=? AND question_id=?",
                (json.dumps(name, ensure_ascii=False), participant_id, NAME_QUESTION),
            )
            await tx.execute(
                "INSERT INTO audit_log(at, actor_id, actor_messenger, action, subject, details) VALUES (?,?,?,?,?,?)",
                (
                    iso(self._clock.now()),
                    curator_id,
                    curator_messenger,
                    RENAME_ACTION,
                    f"P-{participant_id:05d}",
                    json.dumps({"old": old, "new": name}, ensure_ascii=False),
                ),
            )
        return old

    async def mark_survey_done(self, participant_id: int) -> None:
        await self._db.write(
            "UPDATE participants SET survey_done_at=COALESCE(survey_done_at, ?) WHERE id=?",
            (iso(self._clock.now()), participant_id),
        )

    # --- withdrawal -----------------------------------------------------------------------------------
    async def destroy(self, participant_id: int, *, requested_by: str, reason: str) -> Destruction | None:
        """Delete everything personal about a participant and keep a record of what was destroyed.

        Beyond their own rows (profile, consents, answers, questions, check-ins… by cascade) this deletes the
        messages to them and the messages that name or quote them (`outbox_about`, or their full name in the
        text), sent or not; the dialogs of others that hold their name, Telegram id or them as the child being
        consented for; their name in what others typed about their pairs and in the audit log; their place in
        others' preference lists; and marks their pairs as missing them. Then `Database.scrub` leaves no copy
        of the deleted bytes in the file or its WAL.
        """
        now = iso(self._clock.now())
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT id, messenger, account_id, role FROM participants WHERE id=?", (participant_id,)
            )
            if row is None:
                return None
            messenger, account_id = str(row["messenger"]), int(row["account_id"])
            pseudonym = f"P-{row['id']:05d}"
            names = [
                str(r[0])
                for r in await tx.fetchall(
                    "SELECT DISTINCT json_extract(value, '$') FROM answers WHERE participant_id=? AND question_id=?"
                    " AND json_type(value)='text'",
                    (participant_id, NAME_QUESTION),
                )
                if r[0] and str(r[0]).strip()
            ]
            # Names the curator corrected away: still in what was written before the correction.
            for r in await tx.fetchall(
                "SELECT json_extract(details, '$.old'), json_extract(details, '$.new') FROM audit_log"
                " WHERE action=? AND subject=?",
                (RENAME_ACTION, pseudonym),
            ):
                names += [str(v) for v in r if v and str(v).strip() and str(v) not in names]
            counts = {"profile": 1}
            for category, sql in (
                ("consents", "SELECT COUNT(*) FROM consents WHERE participant_id=?"),
                ("answers", "SELECT COUNT(*) FROM answers WHERE participant_id=?"),
                ("questions", "SELECT COUNT(*) FROM questions WHERE participant_id=?"),
            ):
                found = await tx.fetchone(sql, (participant_id,))
                counts[category] = int(found[0]) if found else 0
            account = (messenger, account_id)
            counts["dialog"] = await tx.execute("DELETE FROM fsm_state WHERE messenger=? AND user_id=?", account)
            dropped = await _forget_dialogs_about(tx, participant_id, account_id, names)
            counts["messages"] = await _delete_messages(tx, participant_id, account, names)
            for table in ("unreachable_chats", "waiting_chats"):
                await tx.execute(f"DELETE FROM {table} WHERE messenger=? AND chat_id=?", account)
            await _redact_mentions(tx, participant_id, pseudonym, names)
            await _drop_from_preferences(tx, participant_id)
            await leave_pairs(tx, participant_id, now, reason)
            await tx.execute("DELETE FROM participants WHERE id=?", (participant_id,))
            await tx.execute(
                "INSERT INTO destruction_log(pseudonym, role, categories, destroyed_at, requested_by, reason)"
                " VALUES (?,?,?,?,?,?)",
                (pseudonym, row["role"], json.dumps(counts, ensure_ascii=False), now, requested_by, reason),
            )
        await self._db.scrub()
        forget_texts()  # texts kept once formatted may quote them too (bot/i18n.py)
        return Destruction(pseudonym=pseudonym, categories=counts, dialogs_dropped=tuple(dropped))

    async def destruction_log(self) -> list[dict[str, Any]]:
        rows = await self._db.fetchall("SELECT * FROM destruction_log ORDER BY id")
        return [dict(r) for r in rows]


#: Words of a name shorter than this are not searched for in others' free text (too many false hits).
_MIN_WORD = 3
#: A name shorter than this is not searched for in the texts of queued messages (those rely on `outbox_about`).
_MIN_NAME = 4
#: Free-text answers (another participant's own name answer is theirs: never touched).
_FREE_TEXT = f"json_type(value)='text' AND question_id<>'{NAME_QUESTION}'"
#: Telegram ids shorter than this are not searched for as text (real ids have 9 digits and more).
_MIN_ID_DIGITS = 6


def _needles(names: list[str]) -> list[str]:
    """The full names as typed and as HTML-escaped in messages, longest first."""
    found = {n for name in names for n in (name, html.escape(name, quote=False)) if len(n) >= _MIN_NAME}
    return sorted(found, key=len, reverse=True)


def _words(names: list[str]) -> list[str]:
    """The full names and their words (and the parts of double names), longest first."""
    found: set[str] = set()
    for name in names:
        found.add(name)
        for word in name.split():
            found.add(word)
            found.update(word.split("-"))
    return sorted((w for w in found if len(w) >= _MIN_WORD), key=len, reverse=True)


async def _delete_messages(
    tx: Transaction, participant_id: int, account: tuple[str, int], names: list[str]
) -> int:
    """Messages to them, and messages naming or quoting them, whatever their status."""
    account_id = account[1]
    where = ["messenger=? AND chat_id=?", "id IN (SELECT outbox_id FROM outbox_about WHERE participant_id=?)"]
    params: list[Any] = [*account, participant_id]
    for needle in _needles(names):
        where.append("instr(text, ?) > 0")
        params.append(needle)
    if len(str(account_id)) >= _MIN_ID_DIGITS:
        where.append("instr(text, ?) > 0 OR instr(COALESCE(reply_markup, ''), ?) > 0")
        params.extend([str(account_id), str(account_id)])
    deleted = await tx.execute(f"DELETE FROM outbox WHERE {' OR '.join(f'({w})' for w in where)}", params)
    await tx.execute("DELETE FROM outbox_about WHERE participant_id=?", (participant_id,))
    return deleted


async def _forget_dialogs_about(
    tx: Transaction, participant_id: int, account_id: int, names: list[str]
) -> list[int]:
    """Delete other users' dialogs that hold the person (their name or Telegram id in the data, or a parent
    consenting for them); returns those users' ids, whose cached dialogs the FSM storage must drop."""
    # `child`: a parent's consent or the curator's paper consent for them; `about`: a curator's dialog about them.
    where = ["json_extract(data, '$.child')=?", "json_extract(data, '$.about')=?"]
    params: list[Any] = [participant_id, participant_id]
    for needle in _needles(names):
        where.append("instr(data, ?) > 0")
        params.append(needle)
    if len(str(account_id)) >= _MIN_ID_DIGITS:
        where.append("instr(data, ?) > 0")
        params.append(str(account_id))
    condition = " OR ".join(where)
    users = [r[0] for r in await tx.fetchall(f"SELECT DISTINCT user_id FROM fsm_state WHERE {condition}", params)]
    if users:
        await tx.execute(f"DELETE FROM fsm_state WHERE {condition}", params)
    return users


async def _replace(tx: Transaction, table: str, column: str, words: list[str], where: str, params: list[Any]) -> None:
    for word in words:
        await tx.execute(
            f"UPDATE {table} SET {column}=replace({column}, ?, '…') WHERE instr({column}, ?) > 0 AND ({where})",
            [word, word, *params],
        )


async def _redact_mentions(tx: Transaction, participant_id: int, pseudonym: str, names: list[str]) -> None:
    """Their name in what others typed: the full name anywhere (audit log, questions and answers, broadcasts,
    sent messages), and also its words in what concerns their pairs (meeting places and topics, others'
    check-in notes, a dissolution reason) and in the audit entries about them."""
    full = sorted({n for n in names if len(n) >= _MIN_WORD}, key=len, reverse=True)
    words = _words(names)
    for table, column, where in (
        ("audit_log", "subject", "1=1"),
        ("audit_log", "details", "1=1"),
        ("questions", "text", "1=1"),
        ("questions", "answer", "1=1"),
        ("broadcasts", "text", "1=1"),
        ("answers", "value", _FREE_TEXT),
        # Queued messages that name them are deleted (`_delete_messages`); history is only redacted.
        ("outbox", "text", "status<>'pending'"),
    ):
        await _replace(tx, table, column, full, where, [])
    await _replace(tx, "audit_log", "details", words, "subject=?", [pseudonym])
    pairs = "SELECT id FROM pairs WHERE mentor_id=? UNION SELECT pair_id FROM pair_members WHERE mentee_id=?"
    mine = [participant_id, participant_id]
    # Free-text answers of their partners (a monitoring survey about the mentor) may use their first name.
    partners = (
        f"SELECT mentor_id FROM pairs WHERE id IN ({pairs}) UNION SELECT mentee_id FROM pair_members"
        f" WHERE pair_id IN ({pairs})"
    )
    await _replace(tx, "answers", "value", words, f"{_FREE_TEXT} AND participant_id IN ({partners})", mine + mine)
    await _replace(tx, "pairs", "dissolve_reason", words, f"id IN ({pairs})", mine)
    for column in ("place", "topic"):
        await _replace(tx, "meetings", column, words, f"pair_id IN ({pairs})", mine)
    await _replace(
        tx, "checkins", "note", words, f"meeting_id IN (SELECT id FROM meetings WHERE pair_id IN ({pairs}))", mine
    )


async def _drop_from_preferences(tx: Transaction, participant_id: int) -> None:
    """Others' ranked choices that name them lose that entry (their own rows go by cascade)."""
    rows = await tx.fetchall(
        "SELECT round_id, participant_id, choices FROM preferences WHERE participant_id<>?"
        " AND EXISTS (SELECT 1 FROM json_each(preferences.choices) WHERE value=?)",
        (participant_id, participant_id),
    )
    for r in rows:
        kept = [c for c in json.loads(r["choices"]) if c != participant_id]
        await tx.execute(
            "UPDATE preferences SET choices=? WHERE round_id=? AND participant_id=?",
            (json.dumps(kept), r["round_id"], r["participant_id"]),
        )
