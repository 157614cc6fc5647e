"""Storage on real temporary SQLite files: migrations, the FSM storage, repositories."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

import pytest
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from bot.consent import ConsentKind, render
from bot.curators import CuratorRoster
from bot.flows.events import Messenger, Person
from bot.invites import InviteProblem
from bot.programme import Form, Role
from handlers.fsm_storage import SQLiteStorage
from storage.audit import AuditLog
from storage.curators import CuratorRepo
from storage.database import MIGRATIONS_DIR, Database, discover_migrations
from storage.informing import InformingRepo
from storage.invites import InviteRepo
from storage.outbox import Outbox
from storage.participants import JoinRefused, ParticipantRepo
from tests.fakes.clock import FakeClock


class Form1(StatesGroup):
    question = State()


async def test_an_older_database_is_upgraded_and_keeps_its_rows(tmp_path: Path) -> None:
    old = tmp_path / "old-migrations"
    old.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("000[12]_*.sql")):
        shutil.copy(path, old / path.name)
    db_file = tmp_path / "school.sqlite3"
    db = await Database.open(db_file, migrations_dir=old)
    assert await db.schema_version() == 2
    await db.execute(
        "INSERT INTO invites(code, role, form, created_by, created_at)"
        " VALUES ('i', 'mentor', 'tp', 1, '2026-09-01T10:00:00Z')"
    )
    await db.execute(
        "INSERT INTO participants(telegram_id, role, form, invite_code, joined_at)"
        " VALUES (42, 'mentor', 'tp', 'i', '2026-09-01T10:00:00Z')"
    )
    await db.close()

    db = await Database.open(db_file)
    try:
        latest = len(discover_migrations())
        assert await db.schema_version() == latest
        assert await db.fetchval("SELECT account_id FROM participants") == 42
        assert (await ParticipantRepo(db, FakeClock()).by_telegram(42)) is not None
        assert await db.fetchval("SELECT COUNT(*) FROM outbox") == 0  # a table from a later migration
        versions = [r["version"] for r in await db.fetchall("SELECT version FROM schema_migrations")]
        assert versions == list(range(1, latest + 1))
    finally:
        await db.close()


async def test_pragmas_and_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "x.sqlite3")
    assert (await db.fetchval("PRAGMA journal_mode")).lower() == "wal"
    assert await db.fetchval("PRAGMA foreign_keys") == 1
    assert await db.fetchval("PRAGMA busy_timeout") == 5000
    assert await db.migrate(discover_migrations()) == []
    await db.close()


def test_a_gap_in_migration_numbers_is_refused(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("CREATE TABLE a(x);")
    (tmp_path / "0003_c.sql").write_text("CREATE TABLE c(x);")
    with pytest.raises(RuntimeError, match="1, 2, 3"):
        discover_migrations(tmp_path)


async def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    migrations = tmp_path / "m"
    migrations.mkdir()
    (migrations / "0001_ok.sql").write_text("CREATE TABLE a(x);")
    (migrations / "0002_broken.sql").write_text("CREATE TABLE b(x); INSERT INTO nowhere VALUES (1);")
    with pytest.raises(Exception, match="nowhere"):
        await Database.open(tmp_path / "db.sqlite3", migrations_dir=migrations)
    (migrations / "0002_broken.sql").write_text("CREATE TABLE b(x);")
    db = await Database.open(tmp_path / "db.sqlite3", migrations_dir=migrations)
    assert await db.schema_version() == 2
    await db.close()


async def test_fsm_state_and_data_survive_a_restart_per_destiny(tmp_path: Path) -> None:
    path = tmp_path / "fsm.sqlite3"
    db = await Database.open(path)
    storage = SQLiteStorage(db)
    key = StorageKey(bot_id=1, chat_id=10, user_id=10)
    dialog_key = StorageKey(bot_id=1, chat_id=10, user_id=10, destiny="aiogd_stack")
    thread_key = StorageKey(bot_id=1, chat_id=10, user_id=10, thread_id=5)
    await storage.set_state(key, Form1.question)
    await storage.set_data(key, {"q": "age", "ans": {"name": "Маша"}})
    await storage.set_state(dialog_key, "Other:state")
    await storage.set_data(thread_key, {"t": 1})
    await db.close()

    db = await Database.open(path)
    storage = SQLiteStorage(db)
    assert await storage.get_state(key) == "Form1:question"
    assert await storage.get_data(key) == {"q": "age", "ans": {"name": "Маша"}}
    assert await storage.get_state(dialog_key) == "Other:state"
    assert await storage.get_data(dialog_key) == {}
    assert await storage.get_data(thread_key) == {"t": 1}
    assert await storage.get_state(StorageKey(bot_id=2, chat_id=10, user_id=10)) is None
    # Data handed out is a copy: changing it does not change what is stored.
    data = await storage.get_data(key)
    data["ans"]["name"] = "X"
    assert (await storage.get_data(key))["ans"]["name"] == "Маша"
    await storage.set_state(key, None)
    await storage.set_data(key, {})
    assert await db.fetchval("SELECT COUNT(*) FROM fsm_state WHERE destiny='default' AND thread_id=0") == 0
    await storage.forget_user(10)
    assert await db.fetchval("SELECT COUNT(*) FROM fsm_state") == 0
    assert await storage.get_state(dialog_key) is None
    with pytest.raises(TypeError):
        await storage.set_data(key, ["not", "a", "mapping"])  # type: ignore[arg-type]
    await db.close()


async def test_a_single_use_invite_admits_one_of_many_simultaneous_joins(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    clock = FakeClock()
    invite = await InviteRepo(db, clock).create(Role.MENTOR, Form.PUPIL_PUPIL, 1, days=None, max_uses=1)
    repo = ParticipantRepo(db, clock)
    results = await asyncio.gather(*(repo.join(100 + i, invite) for i in range(5)), return_exceptions=True)
    joined = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, JoinRefused)]
    assert len(joined) == 1 and len(refused) == 4
    assert all(r.problem is InviteProblem.USED_UP for r in refused)
    await db.close()


async def test_consent_is_recorded_once_and_destruction_removes_everything(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    clock = FakeClock()
    invite = await InviteRepo(db, clock).create(Role.MENTOR, Form.PUPIL_PUPIL, 1, days=None, max_uses=None)
    repo = ParticipantRepo(db, clock)
    person = await repo.join(7, invite)
    document = render("СЮТ", ConsentKind.SELF)
    assert await repo.record_consent(person.id, document, kind=ConsentKind.SELF, given_by=7)
    assert not await repo.record_consent(person.id, document, kind=ConsentKind.SELF, given_by=7)
    await repo.save_answer(person.id, "intake_mentor", "name", "Пётр")
    await Outbox(db, clock).enqueue(7, "Ваш наставник — …")
    result = await repo.destroy(person.id, requested_by="participant", reason="отзыв согласия")
    assert result is not None and result.categories["answers"] == 1 and result.categories["consents"] == 1
    for table in ("participants", "consents", "answers", "outbox"):
        assert await db.fetchval(f"SELECT COUNT(*) FROM {table}") == 0, table
    assert await repo.destroy(person.id, requested_by="participant", reason="again") is None
    await db.close()


async def test_outbox_dedup_key_makes_enqueue_idempotent(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    outbox = Outbox(db, FakeClock())
    assert await outbox.enqueue(1, "a", dedup_key="reminder:1:24h")
    assert not await outbox.enqueue(1, "a", dedup_key="reminder:1:24h")
    assert len(await outbox.due()) == 1
    await db.close()


async def test_single_statements_never_land_inside_another_coroutines_transaction(tmp_path: Path) -> None:
    """Single statements skip the lock when no transaction holds it; while one does, they wait for it."""
    db = await Database.open(tmp_path / "db.sqlite3")
    await db.execute("CREATE TABLE t (v TEXT NOT NULL)")
    inside = asyncio.Event()
    go_on = asyncio.Event()

    class Abort(Exception):
        pass

    async def failing_transaction() -> None:
        with pytest.raises(Abort):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO t VALUES ('tx')")
                inside.set()
                await go_on.wait()
                raise Abort

    task = asyncio.create_task(failing_transaction())
    await inside.wait()
    writes = [asyncio.create_task(db.insert("INSERT INTO t VALUES (?)", (f"w{i}",))) for i in range(2)]
    writes.append(asyncio.create_task(db.execute("INSERT INTO t VALUES ('w2')")))
    reads = asyncio.create_task(db.fetchall("SELECT v FROM t"))
    await asyncio.sleep(0.05)
    waiting = [not w.done() for w in writes] + [not reads.done()]  # they wait for the transaction
    go_on.set()
    await task
    await asyncio.gather(*writes)
    assert waiting == [True] * 4
    assert "tx" not in [row["v"] for row in await reads]
    assert sorted(row["v"] for row in await db.fetchall("SELECT v FROM t")) == ["w0", "w1", "w2"]

    # Many statements at once with no transaction open: queued back to back, all committed, in order.
    results = await asyncio.gather(*(db.insert("INSERT INTO t VALUES (?)", (f"b{i:03}",)) for i in range(200)))
    assert results == sorted(results) and len(set(results)) == 200
    assert await db.fetchval("SELECT COUNT(*) FROM t WHERE v LIKE 'b%'") == 200

    # A transaction that starts while single statements are queued commits on its own.
    queued = [asyncio.create_task(db.execute("UPDATE t SET v = v || '!' WHERE v LIKE 'w0%'")) for _ in range(2)]
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO t VALUES ('tx2')")
    await asyncio.gather(*queued)
    assert await db.fetchval("SELECT v FROM t WHERE v LIKE 'w0%'") == "w0!!"
    assert await db.fetchval("SELECT COUNT(*) FROM t WHERE v = 'tx2'") == 1
    await db.close()


async def test_dialogs_are_kept_per_messenger(tmp_path: Path) -> None:
    """aiogram's key has no messenger: each adapter's storage has its own, on the one table."""
    db = await Database.open(tmp_path / "fsm.sqlite3")
    telegram, max_ = SQLiteStorage(db, messenger=Messenger.TELEGRAM), SQLiteStorage(db, messenger=Messenger.MAX)
    key = StorageKey(bot_id=1, chat_id=10, user_id=10)
    await telegram.set_state(key, Form1.question)
    await telegram.set_data(key, {"q": "telegram"})
    await max_.set_state_and_data(key, "Other:state", {"q": "max"})
    assert (await telegram.get_state(key), await telegram.get_data(key)) == ("Form1:question", {"q": "telegram"})
    assert (await max_.get_state(key), await max_.get_data(key)) == ("Other:state", {"q": "max"})
    rows = await db.fetchall("SELECT messenger, state FROM fsm_state ORDER BY messenger")
    assert [tuple(r) for r in rows] == [("max", "Other:state"), ("telegram", "Form1:question")]
    await max_.forget_user(10)
    assert await max_.get_state(key) is None
    assert await SQLiteStorage(db).get_state(key) == "Form1:question"  # Telegram's, read afresh from the table
    await db.close()


async def test_the_outbox_keeps_each_messengers_chats_apart(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    outbox = Outbox(db, FakeClock())
    assert await outbox.enqueue(10, "В Telegram")
    assert await outbox.enqueue(10, "В MAX", messenger=Messenger.MAX)
    await outbox.enqueue_many([(11, None), (12, None)], "Рассылка в MAX", messenger=Messenger.MAX)
    # One first message per chat: chat 10 on Telegram and chat 10 on MAX are two chats.
    assert [(m.messenger, m.chat_id) for m in await outbox.due()] == [
        (Messenger.TELEGRAM, 10),
        (Messenger.MAX, 10),
        (Messenger.MAX, 11),
        (Messenger.MAX, 12),
    ]
    assert [m.text for m in await outbox.due(messenger=Messenger.TELEGRAM)] == ["В Telegram"]
    max_due = await outbox.due(messenger=Messenger.MAX)
    await outbox.wait_for_chat(10, max_due[0].id, "chat not found", Messenger.MAX)
    assert outbox.waiting_chats == set() and outbox.waiting[Messenger.MAX] == {10}
    assert [m.chat_id for m in await outbox.due(messenger=Messenger.MAX)] == [11, 12]
    assert [m.text for m in await outbox.due(messenger=Messenger.TELEGRAM)] == ["В Telegram"]
    await outbox.load_waiting()
    assert outbox.waiting[Messenger.MAX] == {10}
    await outbox.release_chat(10, Messenger.MAX)
    assert len(await outbox.due(messenger=Messenger.MAX)) == 3
    assert await outbox.mark_unreachable(10, "blocked", Messenger.MAX)
    assert not await outbox.is_unreachable(10) and await outbox.is_unreachable(10, Messenger.MAX)
    await db.close()


async def test_people_and_curators_are_keyed_by_messenger(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    clock = FakeClock()
    invite = await InviteRepo(db, clock).create(
        Role.MENTOR, Form.PUPIL_PUPIL, 5, days=None, max_uses=None, created_by_messenger=Messenger.MAX
    )
    assert invite.created_by_messenger is Messenger.MAX
    repo = ParticipantRepo(db, clock)
    on_telegram = await repo.join(100, invite)
    on_max = await repo.join(100, invite, Messenger.MAX)
    assert on_telegram.id != on_max.id
    assert (await repo.by_telegram(100)) == on_telegram and (await repo.by_account(Messenger.MAX, 100)) == on_max
    with pytest.raises(sqlite3.IntegrityError):
        await repo.join(100, invite, Messenger.MAX)

    roster = CuratorRoster([1])
    curators = CuratorRepo(db, clock, roster)
    link = await curators.create_invite(1)
    assert await curators.accept(link.code, 2, "Ольга", Messenger.MAX) == link
    assert Person(Messenger.MAX, 2) in roster and 2 not in roster and 1 in roster
    assert roster.ids() == [1] and roster.ids(Messenger.MAX) == [2]
    added = await curators.get(2, Messenger.MAX)
    assert added is not None and added.messenger is Messenger.MAX and added.added_by_messenger is Messenger.TELEGRAM
    assert await curators.get(2) is None
    assert not await curators.remove(2, drop_pending=True)  # not a Telegram curator
    assert await curators.remove(2, drop_pending=True, messenger=Messenger.MAX)
    assert Person(Messenger.MAX, 2) not in roster

    await AuditLog(db, clock).record(2, "test", actor_messenger=Messenger.MAX)
    assert (await AuditLog(db, clock).recent(1))[0]["actor_messenger"] == "max"
    await db.close()


async def test_a_migration_runs_with_foreign_keys_off_and_may_not_leave_a_dangling_reference(tmp_path: Path) -> None:
    """A table rebuilt the SQLite way (create, copy, drop, rename) keeps its children's rows: the drop does not
    cascade. A migration that leaves a reference to nothing is rolled back."""
    migrations = tmp_path / "m"
    migrations.mkdir()
    (migrations / "0001_tables.sql").write_text(
        "CREATE TABLE parent(id INTEGER PRIMARY KEY, x);"
        " CREATE TABLE child(parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE);"
        " INSERT INTO parent VALUES (1, 'a'); INSERT INTO child VALUES (1);"
    )
    (migrations / "0002_rebuild.sql").write_text(
        "CREATE TABLE parent_new(id INTEGER PRIMARY KEY, x, y DEFAULT 'b'); INSERT INTO parent_new(id, x)"
        " SELECT id, x FROM parent; DROP TABLE parent; ALTER TABLE parent_new RENAME TO parent;"
    )
    db = await Database.open(tmp_path / "db.sqlite3", migrations_dir=migrations, target=1)
    assert await db.schema_version() == 1
    await db.close()
    db = await Database.open(tmp_path / "db.sqlite3", migrations_dir=migrations)
    assert await db.fetchval("SELECT COUNT(*) FROM child") == 1
    assert await db.fetchval("PRAGMA foreign_keys") == 1
    await db.close()

    (migrations / "0003_dangling.sql").write_text("INSERT INTO child VALUES (99);")
    with pytest.raises(RuntimeError, match="broke foreign keys"):
        await Database.open(tmp_path / "db.sqlite3", migrations_dir=migrations)
    db = await Database.open(tmp_path / "db.sqlite3", migrations_dir=migrations, target=2)
    assert await db.schema_version() == 2 and await db.fetchval("SELECT COUNT(*) FROM child") == 1
    await db.close()


async def test_a_parents_question_says_on_which_messenger_to_answer(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    clock = FakeClock()
    invite = await InviteRepo(db, clock).create(Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, 1, days=None, max_uses=None)
    child = await ParticipantRepo(db, clock).join(100, invite)
    informing = InformingRepo(db, clock)
    own = await informing.ask(child.id, "Когда встреча?")
    parents = await informing.ask(child.id, "А мне?", asked_by=200, asked_by_messenger=Messenger.MAX)
    asked = [await informing.question(q) for q in (own, parents)]
    assert [(q.asked_by, q.asked_by_messenger) for q in asked if q] == [(None, None), (200, Messenger.MAX)]
    await db.close()
