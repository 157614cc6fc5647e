"""Migration 0017 (a person is (messenger, account id)) on a database made with the schema before it.

The database is built by the real migrations up to 0016 with a row in every table (the test fails when a table
is not seeded), migrated by the real runner to the latest version, and then: every row is there with its values,
every messenger column says Telegram, the new keys hold (the same id on MAX is another person, a duplicate on one
messenger is refused), the repositories work on it, and a withdrawal after the migration leaves no byte behind.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.curators import CuratorRoster
from bot.flows.events import Messenger, Person
from bot.programme import Form, Role
from handlers.fsm_storage import SQLiteStorage
from storage.audit import AuditLog
from storage.curators import CuratorRepo
from storage.database import Database
from storage.invites import InviteRepo
from storage.outbox import Outbox
from storage.participants import ParticipantRepo
from tests.fakes.clock import FakeClock
from tests.test_withdrawal import found_in_files, id_encodings, name_encodings

BEFORE = 16  # the last migration before the messenger
T = "2026-09-01T10:00:00.000000Z"
NAME = "Эвелина Зарецкая-Оболенская"
TG_ID = 987654321123  # the participant withdrawn after the migration: no byte of her may stay
OTHER_ID = 555000111  # another participant, who stays
PARENT_ID = 876543219876
CURATOR = 700100
ADDED_CURATOR = 700200

#: One row (or more) for every table of the schema at 0016, column → value as written then.
SEED: dict[str, list[dict[str, Any]]] = {
    "invites": [
        {"code": "inv1", "role": "mentor", "form": "tp", "created_by": CURATOR, "created_at": T, "expires_at": None,
         "max_uses": 5, "uses": 3, "revoked_at": None},
    ],
    "participants": [
        {"id": 1, "telegram_id": TG_ID, "role": "mentee_pupil", "form": "tp", "invite_code": "inv1", "joined_at": T,
         "is_adult": 0, "parent_code": "par1", "consent_at": T, "survey_done_at": T},
        {"id": 2, "telegram_id": OTHER_ID, "role": "mentor", "form": "tp", "invite_code": "inv1", "joined_at": T,
         "is_adult": 1, "parent_code": None, "consent_at": T, "survey_done_at": None},
        # id 3 was deleted (a withdrawal) before the migration: the id must not be given again.
    ],
    "consents": [
        {"id": 1, "participant_id": 1, "kind": "parent", "document_version": "2024-09", "text_sha256": "ab" * 32,
         "given_at": T, "given_by": PARENT_ID, "parent_name": "Мама", "parent_relation": "mother",
         "paper_date": None},
        {"id": 2, "participant_id": 2, "kind": "self", "document_version": "paper", "text_sha256": "",
         "given_at": T, "given_by": CURATOR, "parent_name": None, "parent_relation": None,
         "paper_date": "2026-08-30"},
    ],
    "answers": [
        {"participant_id": 1, "questionnaire_id": "intake", "question_id": "name", "value": f'"{NAME}"',
         "answered_at": T},
        {"participant_id": 2, "questionnaire_id": "intake", "question_id": "name", "value": '"Анна"',
         "answered_at": T},
    ],
    "destruction_log": [
        {"id": 1, "pseudonym": "P-00003", "role": "mentor", "categories": '{"profile": 1}', "destroyed_at": T,
         "requested_by": "participant", "reason": "withdrawal"},
    ],
    "fsm_state": [
        {"bot_id": 1, "chat_id": TG_ID, "user_id": TG_ID, "thread_id": 0, "business_connection_id": "",
         "destiny": "default", "state": "Survey:question", "data": '{"q":"age"}', "updated_at": T},
        {"bot_id": 1, "chat_id": OTHER_ID, "user_id": OTHER_ID, "thread_id": 0, "business_connection_id": "",
         "destiny": "default", "state": "Menu:main", "data": "{}", "updated_at": T},
    ],
    "audit_log": [
        {"id": 1, "at": T, "actor_id": CURATOR, "action": "invite.create", "subject": "inv1",
         "details": '{"role": "mentor"}'},
    ],
    "broadcasts": [
        {"id": 1, "created_by": CURATOR, "created_at": T, "audience": "all", "text": "Всем привет", "media_kind": None,
         "file_id": None, "recipients": 2, "reported_at": None},
    ],
    "outbox": [
        {"id": 1, "chat_id": TG_ID, "text": "Напоминание", "reply_markup": None, "kind": "reminder",
         "dedup_key": "rem:1", "created_at": T, "not_before": T, "attempts": 0, "status": "pending", "sent_at": None,
         "error": None, "media_kind": None, "file_id": None, "broadcast_id": None},
        {"id": 2, "chat_id": OTHER_ID, "text": "Всем привет", "reply_markup": '{"inline_keyboard": []}',
         "kind": "broadcast", "dedup_key": None, "created_at": T, "not_before": T, "attempts": 1, "status": "sent",
         "sent_at": T, "error": None, "media_kind": "photo", "file_id": "AgAC", "broadcast_id": 1},
        {"id": 3, "chat_id": CURATOR, "text": "Куратору", "reply_markup": None, "kind": "notice",
         "dedup_key": None, "created_at": T, "not_before": T, "attempts": 0, "status": "pending", "sent_at": None,
         "error": None, "media_kind": None, "file_id": None, "broadcast_id": None},
    ],
    "outbox_about": [{"outbox_id": 3, "participant_id": 2}],
    "unreachable_chats": [{"chat_id": TG_ID, "since": T, "reason": "blocked", "notified": 1}],
    "waiting_chats": [{"chat_id": TG_ID, "since": T, "reason": "chat not found"}],
    "group_chats": [{"chat_id": -1001234, "told_at": T}],
    "group_meetings": [
        {"id": 1, "form": "tp", "starts_at": T, "place": "Актовый зал", "created_by": CURATOR, "created_at": T},
    ],
    "attendance": [{"meeting_id": 1, "participant_id": 2}],
    "preference_rounds": [
        {"id": 1, "form": "tp", "meeting_id": 1, "from_attendees": 1, "opened_at": T, "closed_at": None},
    ],
    "preferences": [{"round_id": 1, "participant_id": 2, "choices": "[1]", "submitted_at": T}],
    "match_constraints": [{"form": "tp", "mentee_id": 1, "mentor_id": 2, "kind": "pin", "created_at": T}],
    "programme_years": [
        {"id": 1, "label": "2025-26", "started_at": None, "finished_at": T, "finished_by": CURATOR},
    ],
    "pairs": [
        {"id": 1, "form": "tp", "mentor_id": 2, "confirmed_at": T, "confirmed_by": CURATOR, "dissolved_at": None,
         "dissolve_reason": None, "mentor_left_at": None, "year_id": None},
        {"id": 2, "form": "tp", "mentor_id": 2, "confirmed_at": T, "confirmed_by": CURATOR, "dissolved_at": T,
         "dissolve_reason": "год завершён", "mentor_left_at": None, "year_id": 1},
    ],
    "pair_members": [{"pair_id": 1, "mentee_id": 1, "score": 0.75, "reasons": "кружок", "left_at": None}],
    "meetings": [
        {"id": 1, "pair_id": 1, "stage": "first", "starts_at": T, "place": "Кабинет 12", "topic": "Знакомство",
         "status": "held", "created_at": T, "updated_at": T},
    ],
    "meeting_responses": [{"meeting_id": 1, "participant_id": 1, "response": "accepted", "at": T}],
    "checkins": [
        {"meeting_id": 1, "participant_id": 2, "answer": "held", "usefulness": 5, "note": "Хорошо", "at": T},
    ],
    "pair_fit": [{"pair_id": 1, "participant_id": 1, "fits": "yes", "at": T}],
    "questions": [
        {"id": 1, "participant_id": 1, "text": "Когда встреча?", "asked_at": T, "answer": "Завтра",
         "answered_by": CURATOR, "answered_at": T, "asked_by": PARENT_ID},
        {"id": 2, "participant_id": 2, "text": "Где?", "asked_at": T, "answer": None, "answered_by": None,
         "answered_at": None, "asked_by": None},
    ],
    "materials": [
        {"id": 1, "title": "Положение", "audience": "all", "file_id": "BQAC", "file_name": "polozhenie.pdf",
         "added_by": CURATOR, "added_at": T, "deleted_at": None},
    ],
    "campaigns": [
        {"id": 1, "survey": "final", "kind": "final", "segment": "all", "title": "Итоги", "opens_at": T,
         "closes_at": T, "created_by": CURATOR, "created_at": T, "calendar_key": "final:2026", "closed_at": None},
    ],
    "campaign_recipients": [
        {"campaign_id": 1, "participant_id": 2, "questionnaire_id": "c1", "invited_at": T, "nudged_at": None,
         "completed_at": None},
    ],
    "roadmap_items": [
        {"number": "9.1", "content": "Своё", "deadline": '{"kind": "date"}', "result": "Приказ",
         "responsible": '["Куратор"]', "deleted": 0, "updated_by": CURATOR, "updated_at": T},
    ],
    "roadmap_states": [
        {"number": "1.1", "programme_year": 2026, "done_at": "2026-09-01", "done_by": CURATOR, "note": "Готово",
         "reopened": 0, "updated_at": T},
    ],
    "roadmap_documents": [
        {"id": 1, "number": "1.1", "programme_year": 2026, "kind": "document", "file_id": "BQAD",
         "file_name": "prikaz.pdf", "attached_at": T, "attached_by": CURATOR},
    ],
    "year_renewals": [{"participant_id": 2, "year_id": 1, "source": "button", "renewed_at": T}],
    "curators": [{"telegram_id": ADDED_CURATOR, "name": "Ольга", "added_by": CURATOR, "added_at": T}],
    "curator_invites": [
        {"code": "cur1", "created_by": CURATOR, "created_at": T, "expires_at": T, "used_by": ADDED_CURATOR,
         "used_at": T},
        {"code": "cur2", "created_by": CURATOR, "created_at": T, "expires_at": "2099-01-01T00:00:00Z",
         "used_by": None, "used_at": None},
    ],
}

#: Columns 0017 renamed.
RENAMED = {("participants", "telegram_id"): "account_id", ("curators", "telegram_id"): "account_id"}
#: Tables of the latest schema that the schema at 0016 did not have (each needs its own migration test).
LATER_TABLES: set[str] = {"update_markers"}  # 0018: the MAX adapter's update marker


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name<>'schema_migrations'"
    )
    return {r[0] for r in rows}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


async def _old_database(path: Path) -> None:
    db = await Database.open(path, target=BEFORE)
    assert await db.schema_version() == BEFORE
    await db.close()
    conn = sqlite3.connect(path)
    try:
        assert _tables(conn) == set(SEED), "seed every table of the schema at 0016 (and no other)"
        with conn:
            conn.execute("PRAGMA foreign_keys=ON")
            for table, rows in SEED.items():
                assert set(rows[0]) == set(_columns(conn, table)), f"seed every column of {table}"
                for row in rows:
                    names, marks = ", ".join(row), ", ".join("?" * len(row))
                    conn.execute(f"INSERT INTO {table}({names}) VALUES ({marks})", list(row.values()))
            # The participant with the highest id withdrew before the migration.
            conn.execute(
                "INSERT INTO participants(id, telegram_id, role, form, joined_at) VALUES (3, 3333, 'mentor', 'tp', ?)",
                (T,),
            )
            conn.execute("DELETE FROM participants WHERE id=3")
        assert conn.execute("SELECT seq FROM sqlite_sequence WHERE name='participants'").fetchone() == (3,)
    finally:
        conn.close()


@pytest.fixture
async def migrated(tmp_path: Path) -> Path:
    path = tmp_path / "school.sqlite3"
    await _old_database(path)
    db = await Database.open(path)  # the real runner, to the latest version
    await db.close()
    return path


def test_every_row_survives_with_its_values_and_is_telegrams(migrated: Path) -> None:
    conn = sqlite3.connect(migrated)
    try:
        assert _tables(conn) == set(SEED) | LATER_TABLES, "a new table: seed it in the migration test of its own"
        for table, rows in SEED.items():
            columns = [RENAMED.get((table, c), c) for c in rows[0]]
            stored = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            assert sorted(stored, key=repr) == sorted((tuple(r.values()) for r in rows), key=repr), table
            for column in _columns(conn, table):
                if column == "messenger" or column.endswith("_messenger"):
                    values = {v for (v,) in conn.execute(f"SELECT {column} FROM {table}")}
                    assert values <= {"telegram", None}, (table, column, values)
        messenger_columns = {
            (table, c) for table in _tables(conn) for c in _columns(conn, table) if "messenger" in c
        }
        assert messenger_columns == {
            ("participants", "messenger"),
            ("fsm_state", "messenger"),
            ("outbox", "messenger"),
            ("unreachable_chats", "messenger"),
            ("waiting_chats", "messenger"),
            ("group_chats", "messenger"),
            ("curators", "messenger"),
            ("curators", "added_by_messenger"),
            ("curator_invites", "created_by_messenger"),
            ("curator_invites", "used_by_messenger"),
            ("invites", "created_by_messenger"),
            ("audit_log", "actor_messenger"),
            ("consents", "given_by_messenger"),
            ("questions", "asked_by_messenger"),
            ("broadcasts", "created_by_messenger"),  # 0019: the delivery report goes back on that messenger
            ("update_markers", "messenger"),  # 0018: the MAX adapter's update marker
        }
        # Who used a curator link and who asked a question: said for those who did, NULL for the others.
        assert conn.execute("SELECT code, used_by_messenger FROM curator_invites ORDER BY code").fetchall() == [
            ("cur1", "telegram"),
            ("cur2", None),
        ]
        assert conn.execute("SELECT id, asked_by_messenger FROM questions ORDER BY id").fetchall() == [
            (1, "telegram"),
            (2, None),
        ]
        assert conn.execute("SELECT seq FROM sqlite_sequence WHERE name='participants'").fetchone() == (3,)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")}
        assert {"participants_role_form", "fsm_state_user", "outbox_chat_pending", "outbox_due"} <= indexes
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("table", "row"),
    [
        ("participants", "(messenger, account_id, role, form, joined_at) VALUES ({m}, 555000111, 'mentor', 'tp', 't')"),
        ("curators", "(messenger, account_id, name, added_by, added_at) VALUES ({m}, 700200, 'О', 1, 't')"),
        (
            "fsm_state",
            "(messenger, bot_id, chat_id, user_id, state) VALUES ({m}, 1, 555000111, 555000111, 'Menu:main')",
        ),
        ("unreachable_chats", "(messenger, chat_id, since, reason) VALUES ({m}, 987654321123, 't', 'blocked')"),
        ("waiting_chats", "(messenger, chat_id, since, reason) VALUES ({m}, 987654321123, 't', 'not found')"),
        ("group_chats", "(messenger, chat_id, told_at) VALUES ({m}, -1001234, 't')"),
    ],
)
def test_the_same_id_on_max_is_another_person_and_a_duplicate_is_refused(
    migrated: Path, table: str, row: str
) -> None:
    conn = sqlite3.connect(migrated)
    try:
        with conn:
            conn.execute(f"INSERT INTO {table}{row.format(m=repr('max'))}")
        with pytest.raises(sqlite3.IntegrityError), conn:
            conn.execute(f"INSERT INTO {table}{row.format(m=repr('max'))}")
        with pytest.raises(sqlite3.IntegrityError), conn:
            conn.execute(f"INSERT INTO {table}{row.format(m=repr('telegram'))}")
    finally:
        conn.close()


async def test_the_app_works_on_the_migrated_database(migrated: Path) -> None:
    db = await Database.open(migrated)
    clock = FakeClock()
    try:
        participants = ParticipantRepo(db, clock)
        other = await participants.by_telegram(OTHER_ID)
        assert other is not None and other.id == 2 and other.name == "Анна" and other.messenger is Messenger.TELEGRAM
        assert other.person == Person(Messenger.TELEGRAM, OTHER_ID)
        assert await participants.by_account(Messenger.MAX, OTHER_ID) is None
        assert [c.id for c in await participants.children_of(PARENT_ID)] == [1]
        assert await participants.children_of(PARENT_ID, Messenger.MAX) == []
        # A MAX user with the same number joins as a new person, with an id never used before.
        invite = await InviteRepo(db, clock).create(Role.MENTOR, Form.TEACHER_PUPIL, CURATOR, days=None, max_uses=None)
        twin = await participants.join(OTHER_ID, invite, Messenger.MAX)
        assert twin.id == 4 and twin.messenger is Messenger.MAX and twin.name is None
        assert (await participants.by_telegram(OTHER_ID)).id == 2  # type: ignore[union-attr]

        roster = CuratorRoster([CURATOR])
        curators = CuratorRepo(db, clock, roster)
        await curators.load()
        assert ADDED_CURATOR in roster and Person(Messenger.MAX, ADDED_CURATOR) not in roster
        assert roster.ids() == [CURATOR, ADDED_CURATOR]
        added = await curators.get(ADDED_CURATOR)
        assert added is not None and added.name == "Ольга" and added.added_by_messenger is Messenger.TELEGRAM

        storage = SQLiteStorage(db, messenger=Messenger.TELEGRAM)
        key = StorageKey(bot_id=1, chat_id=OTHER_ID, user_id=OTHER_ID)
        assert await storage.get_state(key) == "Menu:main"
        assert await SQLiteStorage(db, messenger=Messenger.MAX).get_state(key) is None

        outbox = Outbox(db, clock)
        await outbox.load_waiting()
        assert outbox.waiting_chats == {TG_ID}
        due = await outbox.due()
        assert [(m.id, m.messenger) for m in due] == [(3, Messenger.TELEGRAM)]  # TG_ID's row waits for its chat
        assert await outbox.is_unreachable(TG_ID) and not await outbox.is_unreachable(TG_ID, Messenger.MAX)

        await AuditLog(db, clock).record(CURATOR, "test.action")
        assert (await AuditLog(db, clock).recent(1))[0]["actor_messenger"] == "telegram"
        # Foreign keys point at the rebuilt participants: a deletion cascades as before.
        assert await db.fetchval("PRAGMA foreign_keys") == 1
        await db.execute("DELETE FROM participants WHERE id=4")
        assert await db.fetchval("SELECT COUNT(*) FROM answers WHERE participant_id=2") == 1
    finally:
        await db.close()


async def test_a_withdrawal_after_the_migration_leaves_no_byte_of_the_person(migrated: Path) -> None:
    """The rebuilt tables' old pages were zeroed when freed (secure_delete) and the WAL checkpointed, so the
    withdrawal's scrub leaves nothing of her in the file or its WAL, as on a database never migrated."""
    needles = {**id_encodings(TG_ID), **name_encodings(NAME)}
    assert found_in_files(migrated, needles), "the scan must see her before the withdrawal"
    db = await Database.open(migrated)
    try:
        destruction = await ParticipantRepo(db, FakeClock()).destroy(1, requested_by="participant", reason="test")
        assert destruction is not None and destruction.pseudonym == "P-00001"
    finally:
        await db.close()
    assert found_in_files(migrated, needles) == []
