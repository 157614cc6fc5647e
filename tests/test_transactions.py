"""One transaction per action: a task's statements inside its own transaction are part of it, whichever
repository writes them; a nested transaction is a savepoint; other tasks wait for the commit."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.flows.act import run
from bot.flows.effects import Effect, Later, Notify, Show, Toast
from bot.flows.events import Messenger, Person
from bot.flows.screens import Screen
from storage.database import Database
from tests.frontends.core import CoreFrontEnd
from tests.test_core_stories import core_front  # noqa: F401  (the fixture)


@pytest.fixture
async def db(tmp_path: Path):
    database = await Database.open(tmp_path / "t.sqlite3")
    await database.execute("CREATE TABLE t(v TEXT)")
    try:
        yield database
    finally:
        await database.close()


async def values(db: Database) -> list[str]:
    return [r[0] for r in await db.fetchall("SELECT v FROM t ORDER BY rowid")]


async def test_statements_of_the_task_outside_the_tx_object_roll_back_with_it(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES ('a')")
            await db.execute("INSERT INTO t VALUES ('b')")  # a repository's own statement: no deadlock
            assert await values(db) == ["a", "b"]  # the task reads its own uncommitted rows
            raise RuntimeError("the action failed")
    assert await values(db) == []


async def test_a_nested_transaction_is_a_savepoint(db: Database) -> None:
    async with db.transaction():
        await db.execute("INSERT INTO t VALUES ('outer')")
        with pytest.raises(ValueError):
            async with db.transaction() as inner:
                await inner.execute("INSERT INTO t VALUES ('inner')")
                raise ValueError
        async with db.transaction() as kept:
            await kept.execute("INSERT INTO t VALUES ('kept')")
    assert await values(db) == ["outer", "kept"]


async def test_other_tasks_wait_for_the_commit_and_never_see_half_an_action(db: Database) -> None:
    seen: list[list[str]] = []
    inside = asyncio.Event()

    async def reader() -> None:
        await inside.wait()
        seen.append(await values(db))

    task = asyncio.create_task(reader())
    async with db.transaction():
        await db.execute("INSERT INTO t VALUES ('1')")
        inside.set()
        await asyncio.sleep(0)
        await db.execute("INSERT INTO t VALUES ('2')")
    await task
    assert seen == [["1", "2"]]


async def test_a_task_created_inside_does_not_join_the_transaction(db: Database) -> None:
    async with db.transaction():
        await db.execute("INSERT INTO t VALUES ('mine')")
        child = asyncio.create_task(db.execute("INSERT INTO t VALUES ('child')"))
        await asyncio.sleep(0.01)
        assert not child.done()  # it waits for the lock, as any other task's statement does
    await child
    assert await values(db) == ["mine", "child"]


async def test_after_commit_runs_once_committed_and_never_after_a_rollback(db: Database) -> None:
    ran: list[str] = []

    async def note(word: str) -> None:
        ran.append(f"{word}:{await values(db)}")

    async with db.transaction():
        await db.execute("INSERT INTO t VALUES ('x')")
        await db.after_commit(lambda: note("committed"))
        assert ran == []
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await db.after_commit(lambda: note("rolled back"))
            raise RuntimeError
    await db.after_commit(lambda: note("outside"))
    assert ran == ["committed:['x']", "outside:['x']"]


async def test_a_scrub_inside_an_action_runs_after_its_commit(db: Database) -> None:
    async with db.transaction():
        await db.execute("INSERT INTO t VALUES ('gone')")
        await db.execute("DELETE FROM t")
        await db.scrub()  # would deadlock on the lock if run here
    wal = db.path.with_name(db.path.name + "-wal")
    assert wal.stat().st_size == 0


# --- the application layer's action: rendering after the commit ------------------------------------------------
async def test_later_work_runs_after_the_commit_with_the_database_free(core_front: CoreFrontEnd) -> None:  # noqa: F811
    """A chart or a workbook is drawn after the action commits: meanwhile other people's statements go through
    and see the action's rows."""
    db = core_front.db
    await db.execute("CREATE TABLE drawn(v TEXT)")
    started, release = asyncio.Event(), asyncio.Event()

    async def draw() -> list[Effect]:
        started.set()
        await release.wait()
        return [Show(Screen("готово"))]

    async def action() -> list[Effect]:
        await db.execute("INSERT INTO drawn VALUES ('a')")
        return [Toast("рисую"), Later(draw)]

    task = asyncio.create_task(run(action, core_front.repos()))
    await asyncio.wait_for(started.wait(), 5)
    assert await asyncio.wait_for(db.fetchval("SELECT COUNT(*) FROM drawn"), 1) == 1
    release.set()
    assert await task == [Toast("рисую"), Show(Screen("готово"))]


async def test_later_work_may_not_send_notices(core_front: CoreFrontEnd) -> None:  # noqa: F811
    someone = Person(Messenger.TELEGRAM, 5)

    async def late_notice() -> list[Effect]:
        return [Notify(someone, Screen("поздно"))]

    async def action() -> list[Effect]:
        return [Later(late_notice)]

    with pytest.raises(TypeError, match="notices belong to the action"):
        await run(action, core_front.repos())
    assert await core_front.db.fetchval("SELECT COUNT(*) FROM outbox") == 0


# --- the dialog table inside an action ----------------------------------------------------------------------
async def test_a_dialog_written_in_an_action_is_read_back_and_cached_only_once_committed(db: Database) -> None:
    from storage.dialogs import DialogTable, PersonDialog

    table = DialogTable(db)
    dialog = PersonDialog(table, Messenger.TELEGRAM, 7)
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await dialog.set_state("Survey:answering")
            assert await dialog.get_state() == "Survey:answering"  # the action reads its own write
            raise RuntimeError("the action failed")
    assert await dialog.get_state() is None  # nothing of it in memory or in the table
    async with db.transaction():
        await dialog.set_data({"q": 1})
        await dialog.set_state("Survey:answering")
    statements: list[str] = []
    await db._conn.set_trace_callback(statements.append)  # type: ignore[attr-defined]
    assert await dialog.get_state() == "Survey:answering" and await dialog.get_data() == {"q": 1}
    assert statements == []  # served from the cache the commit filled
    await db._conn.set_trace_callback(None)  # type: ignore[attr-defined]
    async with db.transaction():
        await dialog.set_state("Survey:review")
        await table.forget_user(Messenger.TELEGRAM, 7)  # a withdrawal in the same action
    assert await dialog.get_state() is None
    assert await db.fetchval("SELECT COUNT(*) FROM fsm_state") == 0


async def test_an_action_begins_its_transaction_at_the_first_write(db: Database) -> None:
    """A read-only action (a menu, a profile) takes no lock and costs no BEGIN or COMMIT; one that writes is one
    transaction from its first write, rolled back whole when it fails."""
    statements: list[str] = []
    await db._conn.set_trace_callback(statements.append)  # type: ignore[attr-defined]
    async with db.action():
        assert await values(db) == []
        assert not db._lock.locked()
    assert not any(s.startswith(("BEGIN", "COMMIT")) for s in statements)
    with pytest.raises(RuntimeError):
        async with db.action():
            await db.execute("INSERT INTO t VALUES ('a')")
            assert db._lock.locked()
            async with db.transaction() as tx:  # a repository's own transaction: a savepoint of the action
                await tx.execute("INSERT INTO t VALUES ('b')")
            raise RuntimeError("the action failed")
    await db._conn.set_trace_callback(None)  # type: ignore[attr-defined]
    assert await values(db) == [] and not db._lock.locked()
    assert [s.split()[0] for s in statements if s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))] == ["BEGIN", "ROLLBACK"]
    async with db.action():
        await db.execute("INSERT INTO t VALUES ('c')")
    assert await values(db) == ["c"]


async def test_a_curator_on_max_is_a_curator_and_gets_the_curators_notices_there(
    core_front: CoreFrontEnd,  # noqa: F811
) -> None:
    """The roster holds people on their messenger: a curator added on MAX passes the flows' curator check, and a
    notice to the curators is an outbox row on MAX for them (and on Telegram for the others)."""
    from bot.flows.act import queue
    from bot.flows.effects import NotifyCurators
    from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID

    roster = core_front.settings.roster
    on_max = Person(Messenger.MAX, 456)
    assert not core_front.ctx(on_max).is_curator
    roster.set_added([on_max])
    try:
        assert core_front.ctx(on_max).is_curator
        assert not core_front.ctx(Person(Messenger.TELEGRAM, 456)).is_curator  # the same number on Telegram
        await queue([NotifyCurators(Screen("Вопрос от участника"))], core_front.repos())
        rows = await core_front.db.fetchall("SELECT messenger, chat_id FROM outbox ORDER BY id")
        assert sorted((r["messenger"], r["chat_id"]) for r in rows) == sorted(
            [("max", 456), ("telegram", CURATOR_ID), ("telegram", OTHER_CURATOR_ID)]
        )
    finally:
        roster.set_added([])
