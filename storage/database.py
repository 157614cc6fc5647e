"""One aiosqlite connection shared by the app, with versioned migrations.

The connection runs in autocommit mode (`isolation_level=None`): a single statement commits in one hop to
aiosqlite's thread. Multi-statement work goes through `transaction()`, which holds an asyncio lock so that
other coroutines' statements cannot slip into the open transaction on the shared connection.

A transaction belongs to the task that opened it: that task's own statements (through any repository, with or
without the `Transaction` object) run inside it, and a `transaction()` it opens inside is a savepoint. This is
how one user action of the application layer (`bot.flows.act`) is one transaction: the domain rows, the outbox
rows, the dialog state and the audit entry, written by several repositories, commit together or not at all.

Each aiosqlite call is a hop to its thread and back, and the hops, not SQLite, were the cost of an answer
(bench/README.md, issue 17). So a write whose result nobody reads (`write`: an answer, the dialog state) waits
inside the action and goes with its commit, or before its next statement, in one hop; an action of such writes
alone is one hop (`BEGIN`, the writes, `COMMIT`), and such commits that come while one waits for the thread are
committed together (a group commit). Nothing is acknowledged before its commit.
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import logging
import re
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

Params = Sequence[Any] | dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def discover_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Numbered SQL files `NNNN_name.sql`, in order; a gap or a duplicate number is a programming error."""
    found: list[Migration] = []
    for path in sorted(directory.iterdir()):
        match = _MIGRATION_NAME.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), path.read_text(encoding="utf-8")))
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration numbers must run 1, 2, 3…; found {migration.version:04d} at {expected}")
    return found


@dataclass
class _Held:
    """The transaction the current task holds, and what is to run once it commits."""

    db: Database
    task: asyncio.Task[Any] | None
    after_commit: list[Callable[[], Awaitable[None]]]
    on_commit: list[Callable[[], None]] = field(default_factory=list)
    pending: dict[Any, Any] = field(default_factory=dict)
    begun: bool = False  # an action's transaction begins at its first write (`Database.action`)
    deferred: list[tuple[str, Params]] = field(default_factory=list)  # `Database.write`s not yet run


def _run_writes(conn: sqlite3.Connection, statements: list[tuple[str, Params]], *, begin: bool, commit: bool) -> None:
    """On SQLite's thread: `BEGIN IMMEDIATE` (when `begin`), the statements, `COMMIT` (when `commit`). A
    transaction this call began is rolled back here if anything in it fails, so no lock is left to release."""
    if begin:
        conn.execute("BEGIN IMMEDIATE")
    try:
        for sql, params in statements:
            conn.execute(sql, params)
        if commit:
            conn.execute("COMMIT")
    except BaseException:
        if begin and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


Statements = list[tuple[str, Params]]


def _run_group(conn: sqlite3.Connection, actions: list[Statements]) -> list[BaseException | None]:
    """On SQLite's thread: several actions' writes in one transaction. If it fails, each action runs again in its
    own transaction, so that one action's failure (a constraint) is its own and the others commit."""
    try:
        _run_writes(conn, [statement for action in actions for statement in action], begin=True, commit=True)
        return [None] * len(actions)
    except Exception as exc:
        if len(actions) == 1:
            return [exc]
    results: list[BaseException | None] = []
    for action in actions:
        try:
            _run_writes(conn, action, begin=True, commit=True)
            results.append(None)
        except Exception as exc:
            results.append(exc)
    return results


class _GroupCommit:
    """Actions whose commit is only deferred writes, waiting together for SQLite's thread (a group commit).

    The first action's commit queues the group's hop; the actions that commit before the hop starts on the thread
    join it. On the thread the group is one transaction. Its first action, when its hop returns, resolves every
    action's future in the order they joined and goes on at once, so the actions' `on_commit` callbacks run in
    the order their writes were made; if that task was cancelled meanwhile, the results resolve the others when
    they arrive. Under load this turns many hops, each a wake-up of SQLite's thread and of the event loop, into
    one: the hops, not SQLite, were the cost."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._mutex = threading.Lock()  # `started` and `actions` are shared with SQLite's thread
        self.started = False
        self.actions: list[tuple[Statements, asyncio.Future[None]]] = []
        self.results: list[BaseException | None] | None = None
        self.orphaned = False  # the first action's task was cancelled while the hop was queued

    def join(self, statements: Statements) -> asyncio.Future[None] | None:
        """This action's future in the group, or None when the group has already started."""
        with self._mutex:
            if self.started:
                return None
            done: asyncio.Future[None] = self._loop.create_future()
            self.actions.append((statements, done))
            return done

    def run(self, conn: sqlite3.Connection) -> None:
        """On SQLite's thread. The results reach the loop before the hop's own answer does (both go through
        `call_soon_threadsafe`, in order), so the first action finds them when it resumes."""
        with self._mutex:
            self.started = True
            actions = list(self.actions)
        try:
            results = _run_group(conn, [statements for statements, _ in actions])
        except BaseException as exc:  # the connection itself failed
            results = [exc] * len(actions)
        self._loop.call_soon_threadsafe(self._arrived, results)

    def _arrived(self, results: list[BaseException | None]) -> None:
        self.results = results
        if self.orphaned:
            self.resolve()

    def resolve(self) -> None:
        assert self.results is not None
        for (_, done), result in zip(self.actions, self.results, strict=True):
            if done.done():
                continue
            if result is None:
                done.set_result(None)
            else:
                done.set_exception(result)


async def in_thread(conn: aiosqlite.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """Run `work` with the sqlite3 connection on aiosqlite's own thread: several statements in one hop.

    aiosqlite 0.22 has no public call for it; `Connection._execute` (queue a function for its thread) and
    `Connection._conn` are its internals, so aiosqlite is pinned to 0.22 in pyproject.toml and
    tests/test_deferred_writes.py runs this against the real thing. Like every aiosqlite call, the function is queued
    before this coroutine first yields (`Database._single` relies on that order)."""
    return await conn._execute(lambda: work(conn._conn))


#: A task created inside a transaction copies the context but is another task, so its statements wait for the
#: commit like anyone else's.
_HELD: contextvars.ContextVar[_Held | None] = contextvars.ContextVar("held_transaction", default=None)
_SAVEPOINTS = itertools.count(1)


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._group: _GroupCommit | None = None  # the group commit that has not started on SQLite's thread yet

    def _holds(self) -> bool:
        """Whether the current task is inside its own transaction on this database."""
        held = _HELD.get()
        return held is not None and held.db is self and held.task is asyncio.current_task()

    def pending(self) -> dict[Any, Any] | None:
        """The current task's transaction's own scratch space (None outside one): a cache keeps there what the
        transaction wrote and has not committed, readable by that transaction only and gone with a rollback."""
        held = _HELD.get()
        return held.pending if held is not None and self._holds() else None

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` right after the current task's transaction commits, before the task yields to any other:
        for a cache that must take the committed values in commit order."""
        held = _HELD.get()
        if held is None or not self._holds():
            raise RuntimeError("on_commit outside the current task's transaction")
        held.on_commit.append(callback)

    async def after_commit(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` once the current task's transaction commits (never, if it rolls back); at once outside one.
        For what cannot run inside a transaction (a WAL checkpoint) or must not see uncommitted rows."""
        held = _HELD.get()
        if held is not None and self._holds():
            held.after_commit.append(work)
        else:
            await work()

    @classmethod
    async def open(
        cls, path: str | Path, *, migrations_dir: Path = MIGRATIONS_DIR, target: int | None = None
    ) -> Database:
        """Open (creating) the database and migrate it to the latest version, or to `target` (tests of a
        migration build a database of an earlier schema)."""
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        db = cls(conn, path)
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a committed transaction survives a crash of the process (kill -9);
            # only an OS crash or power loss may roll back the last transactions.
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            # Deleted rows are overwritten with zeros, not left in the page's free space (withdrawal, 152-ФЗ).
            await conn.execute("PRAGMA secure_delete=ON")
            await db.migrate(discover_migrations(migrations_dir), target=target)
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    async def schema_version(self) -> int:
        row = await self.fetchone(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
        )
        if row is None:
            return 0
        row = await self.fetchone("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
        return int(row["v"]) if row else 0

    async def migrate(self, migrations: Iterable[Migration], *, target: int | None = None) -> list[int]:
        """Apply the migrations newer than the database (up to `target`, if given), each atomically with its
        version row.

        Foreign keys are off while a migration runs, as SQLite's way of rebuilding a table asks: dropping the old
        copy of a parent table (`participants`) would otherwise cascade into its children. `foreign_key_check`
        runs before the commit, so a migration that leaves a dangling reference is rolled back.
        """
        await self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
        )
        current = await self.schema_version()
        applied: list[int] = []
        async with self._lock:
            for migration in migrations:
                if migration.version <= current or (target is not None and migration.version > target):
                    continue
                log.info("applying migration %04d_%s", migration.version, migration.name)
                await self._apply(migration)
                applied.append(migration.version)
            if applied and str(self.path) != ":memory:":
                # The pages of rebuilt tables were zeroed when freed (secure_delete); the checkpoint writes the
                # zeroed pages into the file and empties the WAL, which held the old ones.
                await self._conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
        return applied

    async def _apply(self, migration: Migration) -> None:
        name = migration.name.replace("'", "")
        script = (
            f"BEGIN;\n{migration.sql}\n;"
            f"INSERT INTO schema_migrations(version, name) VALUES ({migration.version}, '{name}');\n"
        )
        foreign_keys = (await self._conn.execute_fetchall("PRAGMA foreign_keys"))[0][0]
        await self._conn.execute("PRAGMA foreign_keys=OFF")
        try:
            await self._conn.executescript(script)
            broken = list(await self._conn.execute_fetchall("PRAGMA foreign_key_check"))
            if broken:
                raise RuntimeError(
                    f"migration {migration.version:04d} broke foreign keys: {[tuple(r) for r in broken[:5]]}"
                )
            await self._conn.execute("COMMIT")
        except Exception:
            if self._conn.in_transaction:
                await self._conn.execute("ROLLBACK")
            raise
        finally:
            await self._conn.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")

    async def scrub(self) -> None:
        """Leave no byte of deleted rows in the database file or its WAL (after a withdrawal or a refusal).

        `secure_delete` (set at open) zeroes a deleted row where it lay, and the free space of the pages SQLite
        rebuilds (without it, copies of rows that a page split moved stay behind), but the WAL keeps every page
        version written since the last checkpoint. The TRUNCATE checkpoint copies the current pages into the
        main file and cuts the WAL to zero bytes.
        """
        if str(self.path) == ":memory:":
            return
        if self._holds():
            await self.after_commit(self.scrub)
            return
        async with self._lock:
            rows = await self._conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
        busy = next(iter(rows), (0,))[0]
        if busy:
            log.warning("a reader blocked the WAL checkpoint after a deletion: the WAL keeps it until the next scrub")

    # Every call is one hop to aiosqlite's thread: a statement's cursor is not closed (it holds nothing once
    # the statement is done, and closing is a second hop), and reads use execute_fetchall.

    async def _single(self, call: Callable[[], Awaitable[T]], *, write: bool = True) -> T:
        """Run one statement, taking the lock only while a transaction holds it.

        Otherwise the statement goes straight into aiosqlite's queue: `call()` reaches the queue before this
        coroutine first yields, so a transaction that starts later queues its BEGIN behind it, and aiosqlite's
        one thread runs the queue in order. Statements of many users then wait in aiosqlite's queue, back to
        back, instead of each waiting for the previous one's round trip under the lock (in the intake
        benchmark the lock was held 54 % of the wall time).
        """
        held = _HELD.get()
        if held is not None and held.db is self and held.task is asyncio.current_task():
            if held.deferred:
                await self._flush(held)
            elif write and not held.begun:
                await self._begin(held)
            if held.begun:
                return await call()
        if self._lock.locked():
            async with self._lock:
                return await call()
        return await call()

    async def _begin(self, held: _Held) -> None:
        """The action's first write: the lock is taken and the transaction begins; what it read before stays as
        read (a repository that must read and write atomically opens its own `transaction()`, which begins it)."""
        await self._lock.acquire()
        try:
            await self._conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise
        held.begun = True

    async def _flush(self, held: _Held) -> None:
        """Run the task's deferred writes now, in one hop (with the `BEGIN` if its transaction has not begun):
        a statement of the task comes next and must see them, in their order."""
        statements, held.deferred = held.deferred, []
        if held.begun:
            await in_thread(self._conn, lambda conn: _run_writes(conn, statements, begin=False, commit=False))
            return
        await self._lock.acquire()
        try:
            await in_thread(self._conn, lambda conn: _run_writes(conn, statements, begin=True, commit=False))
        except BaseException:
            self._lock.release()
            raise
        held.begun = True

    async def _commit(self, held: _Held) -> None:
        """The task's transaction committed with its deferred writes, in one hop. A transaction that has not
        begun (only deferred writes) begins, writes and commits in that one hop, which needs the lock only if
        another task's transaction holds it: aiosqlite's thread runs the whole hop before the next statement.
        Such commits that come while one is waiting for the thread join it (`_GroupCommit`)."""
        statements, held.deferred = held.deferred, []
        if held.begun:
            await in_thread(self._conn, lambda conn: _run_writes(conn, statements, begin=False, commit=True))
        elif self._lock.locked():
            async with self._lock:
                await in_thread(self._conn, lambda conn: _run_writes(conn, statements, begin=True, commit=True))
        else:
            group = self._group
            done = group.join(statements) if group is not None else None
            if done is None:
                group = self._group = _GroupCommit(asyncio.get_running_loop())
                done = group.join(statements)
                assert done is not None
                try:
                    await in_thread(self._conn, group.run)  # queued at once, before this coroutine yields
                except asyncio.CancelledError:
                    group.orphaned = True
                    if group.results is not None:
                        group.resolve()
                    raise
                finally:
                    if self._group is group:
                        self._group = None
                group.resolve()
            await done

    async def write(self, sql: str, params: Params = ()) -> None:
        """A write whose result nobody reads (no row count, no new id). Inside the current task's transaction it
        waits, in order, until the task's next statement or the commit, and runs with them in one hop to SQLite's
        thread (an action that only writes this way is one hop: `BEGIN`, the writes, `COMMIT`). A failure shows
        at that point, and the whole transaction rolls back. Outside a transaction it runs at once."""
        held = _HELD.get()
        if held is not None and held.db is self and held.task is asyncio.current_task():
            held.deferred.append((sql, params))
            return
        await self.execute(sql, params)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns the number of rows it changed."""
        cursor = await self._single(lambda: self._conn.execute(sql, params))
        return max(cursor.rowcount, 0)

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT; returns the new row's id."""
        cursor = await self._single(lambda: self._conn.execute(sql, params))
        return int(cursor.lastrowid or 0)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        """The first row of a query meant to return one (keyed or LIMIT 1)."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        write = not sql.lstrip()[:6].upper().startswith("SELECT")  # INSERT … RETURNING reads what it writes
        return list(await self._single(lambda: self._conn.execute_fetchall(sql, params), write=write))

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    @property
    def in_transaction(self) -> bool:
        """Whether the current task holds an open transaction here (its statements are part of it)."""
        return self._holds()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """One transaction; inside the current task's own transaction, a savepoint of it (rolled back alone
        when its block raises, committed with the outer one)."""
        held = _HELD.get()
        if held is not None and self._holds():
            if held.deferred:
                await self._flush(held)
            elif not held.begun:
                await self._begin(held)
            name = f"sp{next(_SAVEPOINTS)}"
            await self._conn.execute(f"SAVEPOINT {name}")
            try:
                yield Transaction(self, held)
            except BaseException:
                held.deferred.clear()  # written inside the savepoint: rolled back with it
                await self._conn.execute(f"ROLLBACK TO {name}")
                await self._conn.execute(f"RELEASE {name}")
                raise
            else:
                held.deferred.append((f"RELEASE {name}", ()))
            return
        held = _Held(self, asyncio.current_task(), [], begun=True)
        async with self._lock:
            token = _HELD.set(held)
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield Transaction(self, held)
                except BaseException:
                    held.deferred.clear()
                    await self._conn.execute("ROLLBACK")
                    raise
                else:
                    try:
                        await self._commit(held)
                    except BaseException:
                        if self._conn.in_transaction:
                            await self._conn.execute("ROLLBACK")
                        raise
                    for callback in held.on_commit:
                        callback()
            finally:
                _HELD.reset(token)
        for work in held.after_commit:
            await work()


    @asynccontextmanager
    async def action(self) -> AsyncIterator[None]:
        """One user action (`bot.flows.act`): every statement of the task inside is part of one transaction,
        which begins at the first write (a read-only action takes no lock and costs no BEGIN or COMMIT) and
        commits at the end, or rolls back if the block raises. Inside an action, `transaction()` is a savepoint."""
        if self._holds():
            async with self.transaction():
                yield
            return
        held = _Held(self, asyncio.current_task(), [])
        token = _HELD.set(held)
        try:
            try:
                yield
            except BaseException:
                held.deferred.clear()
                if held.begun:
                    await self._conn.execute("ROLLBACK")
                raise
            if held.begun or held.deferred:
                try:
                    await self._commit(held)
                except BaseException:
                    if held.begun and self._conn.in_transaction:
                        await self._conn.execute("ROLLBACK")
                    raise
                for callback in held.on_commit:
                    callback()
        finally:
            _HELD.reset(token)
            if held.begun:
                self._lock.release()
        for work in held.after_commit:
            await work()


class Transaction:
    """Statements inside `Database.transaction()`; the lock is already held and the transaction begun. The
    task's deferred writes (`Database.write`) run first, so that every statement comes in the order written."""

    def __init__(self, db: Database, held: _Held) -> None:
        self._db = db
        self._conn = db._conn
        self._held = held

    async def _in_order(self) -> None:
        if self._held.deferred:
            await self._db._flush(self._held)

    async def execute(self, sql: str, params: Params = ()) -> int:
        await self._in_order()
        cursor = await self._conn.execute(sql, params)
        return max(cursor.rowcount, 0)

    async def insert(self, sql: str, params: Params = ()) -> int:
        await self._in_order()
        cursor = await self._conn.execute(sql, params)
        return int(cursor.lastrowid or 0)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._in_order()
        await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        await self._in_order()
        return list(await self._conn.execute_fetchall(sql, params))
