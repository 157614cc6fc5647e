"""Deferred writes (`Database.write`): inside a task's transaction they run with its commit, or before its next
statement, in one hop to SQLite's thread, in the order written; a failure rolls back the whole action."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import aiosqlite
import pytest

from storage.database import Database, in_thread


@pytest.fixture
async def db(tmp_path: Path):
    database = await Database.open(tmp_path / "t.sqlite3")
    await database.execute("CREATE TABLE t(v TEXT NOT NULL)")
    await database.execute("CREATE TABLE u(k INTEGER PRIMARY KEY, v TEXT)")
    try:
        yield database
    finally:
        await database.close()


async def values(db: Database) -> list[str]:
    return [r[0] for r in await db.fetchall("SELECT v FROM t ORDER BY rowid")]


class Hops:
    """Counts the jobs queued to aiosqlite's thread (each is one round trip for the event loop)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = aiosqlite.Connection._execute

        async def counted(conn: aiosqlite.Connection, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.count += 1
            return await real(conn, fn, *args, **kwargs)

        monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)


async def test_in_thread_runs_on_aiosqlites_own_connection_and_thread(db: Database) -> None:
    """The pinned internal (aiosqlite 0.22's `Connection._execute` and `_conn`) as this code uses it."""
    assert aiosqlite.__version__.startswith("0.22.")
    caller = asyncio.get_running_loop()._thread_id  # type: ignore[attr-defined]

    def work(conn: sqlite3.Connection) -> tuple[int, int]:
        import threading

        conn.execute("INSERT INTO t VALUES ('x')")
        return threading.get_ident(), conn.total_changes

    thread, changes = await in_thread(db._conn, work)
    assert thread != caller and changes >= 1
    assert await values(db) == ["x"]


async def test_an_action_of_deferred_writes_is_one_hop_and_commits_them_in_order(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    hops = Hops(monkeypatch)
    async with db.action():
        await db.write("INSERT INTO t VALUES ('a')")
        await db.write("INSERT INTO u(k, v) VALUES (1, 'one') ON CONFLICT DO UPDATE SET v=excluded.v")
        await db.write("INSERT INTO t VALUES ('b')")
        assert hops.count == 0  # nothing ran yet
    assert hops.count == 1  # BEGIN IMMEDIATE, the three writes and COMMIT in one hop
    assert await values(db) == ["a", "b"]
    assert await db.fetchval("SELECT v FROM u WHERE k=1") == "one"


async def test_a_read_after_a_deferred_write_sees_it(db: Database) -> None:
    async with db.action():
        await db.write("INSERT INTO t VALUES ('mine')")
        assert await values(db) == ["mine"]
        await db.write("INSERT INTO t VALUES ('after')")
    assert await values(db) == ["mine", "after"]


async def test_a_failing_deferred_write_rolls_back_the_whole_action_and_frees_the_database(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        async with db.action():
            await db.execute("INSERT INTO t VALUES ('before')")  # begins the transaction at once
            await db.write("INSERT INTO t VALUES (NULL)")  # NOT NULL: fails at the commit
    assert await values(db) == []
    with pytest.raises(sqlite3.IntegrityError):
        async with db.action():  # only deferred writes: BEGIN, writes, COMMIT in one hop, rolled back there
            await db.write("INSERT INTO t VALUES ('lost')")
            await db.write("INSERT INTO t VALUES (NULL)")
    assert await values(db) == []
    async with db.action():  # the lock and the connection are free again
        await db.write("INSERT INTO t VALUES ('next')")
    assert await values(db) == ["next"]
    assert not db._conn.in_transaction


async def test_an_action_that_raises_runs_none_of_its_deferred_writes(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    hops = Hops(monkeypatch)
    with pytest.raises(RuntimeError):
        async with db.action():
            await db.write("INSERT INTO t VALUES ('a')")
            raise RuntimeError
    assert hops.count == 0
    assert await values(db) == []


async def test_deferred_writes_and_the_transaction_object_keep_their_order(db: Database) -> None:
    async with db.transaction() as tx:
        await db.write("INSERT INTO t VALUES ('1')")
        await tx.execute("INSERT INTO t VALUES ('2')")
        await db.write("INSERT INTO t VALUES ('3')")
        async with db.transaction() as inner:  # a savepoint: the deferred write before it is not inside it
            await db.write("INSERT INTO t VALUES ('4')")
            await inner.execute("INSERT INTO t VALUES ('5')")
        with pytest.raises(ValueError):
            async with db.transaction():
                await db.write("INSERT INTO t VALUES ('dropped')")
                raise ValueError
        await db.write("INSERT INTO t VALUES ('6')")
    assert await values(db) == ["1", "2", "3", "4", "5", "6"]


async def test_a_one_hop_commit_waits_for_another_tasks_open_transaction(db: Database) -> None:
    inside = asyncio.Event()
    release = asyncio.Event()

    async def holder() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES ('first')")
            inside.set()
            await release.wait()
            await tx.execute("INSERT INTO t VALUES ('second')")

    task = asyncio.create_task(holder())
    await inside.wait()

    async def writer() -> None:
        async with db.action():
            await db.write("INSERT INTO t VALUES ('third')")

    other = asyncio.create_task(writer())
    await asyncio.sleep(0.05)
    assert not other.done()  # not slipped into the holder's transaction
    release.set()
    await asyncio.gather(task, other)
    assert await values(db) == ["first", "second", "third"]


async def test_many_actions_at_once_each_commit_whole(db: Database) -> None:
    async def one(i: int) -> None:
        async with db.action():
            await db.write("INSERT INTO t VALUES (?)", (f"{i}a",))
            if i % 3 == 0:
                await db.fetchall("SELECT v FROM t")  # begins: a multi-hop transaction among one-hop ones
            await db.write("INSERT INTO t VALUES (?)", (f"{i}b",))

    await asyncio.gather(*(one(i) for i in range(60)))
    rows = await values(db)
    assert len(rows) == 120
    for i in range(60):  # each action's two rows are adjacent: no other action's write came between them
        at = rows.index(f"{i}a")
        assert rows[at + 1] == f"{i}b"


async def test_outside_a_transaction_a_write_runs_at_once(db: Database) -> None:
    await db.write("INSERT INTO t VALUES ('now')")
    assert await values(db) == ["now"]


async def test_commits_that_come_together_share_one_hop_and_one_transaction(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    hops = Hops(monkeypatch)

    async def one(i: int) -> None:
        async with db.action():
            await db.write("INSERT INTO t VALUES (?)", (f"{i}a",))
            await db.write("INSERT INTO t VALUES (?)", (f"{i}b",))

    await asyncio.gather(*(one(i) for i in range(50)))
    assert hops.count < 50 / 5  # the first commit's hop, then the others in a group or a few
    rows = await values(db)
    assert sorted(rows) == sorted(f"{i}{x}" for i in range(50) for x in "ab")
    for i in range(50):
        assert rows[rows.index(f"{i}a") + 1] == f"{i}b"


async def test_one_failing_action_in_a_group_fails_alone(db: Database) -> None:
    async def one(i: int) -> None:
        async with db.action():
            await db.write("INSERT INTO t VALUES (?)", (f"{i}",))
            await db.write("INSERT INTO t VALUES (?)", (None if i == 7 else f"{i}!",))

    results = await asyncio.gather(*(one(i) for i in range(20)), return_exceptions=True)
    assert [i for i, r in enumerate(results) if r is not None] == [7]
    assert isinstance(results[7], sqlite3.IntegrityError)
    rows = await values(db)
    assert "7" not in rows and len(rows) == 38
    assert not db._conn.in_transaction


async def test_a_cancelled_first_committer_does_not_strand_the_group(db: Database) -> None:
    async def one(i: int) -> None:
        async with db.action():
            await db.write("INSERT INTO t VALUES (?)", (f"{i}",))

    first = asyncio.create_task(one(0))
    others = [asyncio.create_task(one(i)) for i in range(1, 10)]
    await asyncio.sleep(0)  # every task has reached its commit; the first queued the group's hop
    first.cancel()
    await asyncio.wait_for(asyncio.gather(*others), timeout=5)
    rows = await values(db)
    assert {str(i) for i in range(1, 10)} <= set(rows)  # the others committed; the first's hop ran as queued


async def test_a_groups_commit_callbacks_run_in_the_order_of_its_writes(db: Database) -> None:
    """A cache that takes committed values in `on_commit` must see them in the order the writes were made."""
    seen: list[int] = []

    async def one(i: int) -> None:
        async with db.action():
            await db.write("INSERT INTO u(k, v) VALUES (1, ?) ON CONFLICT DO UPDATE SET v=excluded.v", (str(i),))
            db.on_commit(lambda: seen.append(i))

    await asyncio.gather(*(one(i) for i in range(12)))
    assert seen == list(range(12))
    assert await db.fetchval("SELECT v FROM u WHERE k=1") == str(seen[-1])  # the last callback has the row's value
