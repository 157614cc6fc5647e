"""Dialog state on the app's SQLite table `fsm_state`, with no messenger library: the table, its write-through
cache, and `PersonDialog`, a person's dialog in their private chat (the `bot.flows.dialog.Dialog` port).

Rows are keyed by messenger and aiogram's key fields (bot, chat, user, thread, business connection, destiny):
Telegram's aiogram storage (`handlers.fsm_storage`) and every other front end share the table. SQLite is always
written first, so a restart (or kill -9) resumes every conversation from the database.

Inside a task's transaction (one action of the application layer) a write is kept in the transaction's own
scratch space (`Database.pending`), which that transaction reads first; the cache takes it when the transaction
commits, in commit order (`Database.on_commit`), and a rollback drops it with the scratch space: a rolled-back
action leaves no state in memory, and a committed one costs no second read.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from bot.flows.events import Messenger
from storage.database import Database

#: messenger, bot, chat, user, thread, business connection, destiny
Key = tuple[str, int, int, int, int, str, str]
Record = tuple[str | None, str]  # state, data as the JSON stored (parsed afresh for each reader: no shared dicts)
EMPTY = "{}"
DEFAULT_DESTINY = "default"

_WHERE = (
    "messenger=? AND bot_id=? AND chat_id=? AND user_id=? AND thread_id=? AND business_connection_id=? AND destiny=?"
)


def dump(data: Mapping[str, Any]) -> str:
    """Data as stored: JSON, which also refuses what a restart could not restore."""
    if not isinstance(data, Mapping):
        raise TypeError(f"data must be a mapping, not {type(data).__name__}")
    return json.dumps(dict(data), ensure_ascii=False, separators=(",", ":"))


class DialogTable:
    def __init__(self, db: Database, *, cache_size: int = 20_000) -> None:
        self._db = db
        self._cache: OrderedDict[Key, Record] = OrderedDict()
        self._cache_size = cache_size

    async def load(self, key: Key) -> Record:
        pending = self._db.pending()
        if pending is not None:
            written = pending.get((self, key))
            if written is not None:
                return written
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        record = await self._read(key)
        if pending is None:  # a read inside a transaction may see its own uncommitted deletes: not cached
            self._remember(key, record)
        return record

    async def _read(self, key: Key) -> Record:
        row = await self._db.fetchone(f"SELECT state, data FROM fsm_state WHERE {_WHERE}", key)
        return (None, EMPTY) if row is None else (row["state"], row["data"])

    def _remember(self, key: Key, record: Record) -> None:
        self._cache[key] = record
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def store(self, key: Key, state: str | None, data: str) -> None:
        if state is None and data == EMPTY:
            await self._db.write(f"DELETE FROM fsm_state WHERE {_WHERE}", key)
        else:
            await self._db.write(
                "INSERT INTO fsm_state(messenger, bot_id, chat_id, user_id, thread_id, business_connection_id,"
                " destiny, state, data, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
                " ON CONFLICT DO UPDATE SET state=excluded.state, data=excluded.data,"
                " updated_at=excluded.updated_at",
                (*key, state, data),
            )
        record: Record = (state, data)
        pending = self._db.pending()
        if pending is None:
            self._remember(key, record)
            return
        if (self, key) not in pending:
            self._db.on_commit(lambda: self._remember(key, pending.pop((self, key))))
        pending[(self, key)] = record

    async def forget_user(self, messenger: Messenger, user_id: int) -> None:
        """Drop every dialog of an account on a messenger (consent withdrawal)."""
        await self._db.execute("DELETE FROM fsm_state WHERE messenger=? AND user_id=?", (messenger, user_id))
        for k in [k for k in self._cache if k[0] == messenger and k[3] == user_id]:
            del self._cache[k]
        pending = self._db.pending()
        for table, k in [entry for entry in pending or {} if entry[0] is self]:
            if k[0] == messenger and k[3] == user_id:
                pending[(table, k)] = (None, EMPTY)  # type: ignore[index]

    def clear_cache(self) -> None:
        self._cache.clear()


class PersonDialog:
    """A person's dialog in their private chat on a messenger: the `Dialog` port over `DialogTable`.

    `bot_id` tells apart two bots of one messenger on one database (0: the messenger's only bot)."""

    def __init__(self, table: DialogTable, messenger: Messenger, account_id: int, *, bot_id: int = 0) -> None:
        self._table = table
        self._key: Key = (Messenger(messenger), bot_id, account_id, account_id, 0, "", DEFAULT_DESTINY)

    async def get_state(self) -> str | None:
        state, _ = await self._table.load(self._key)
        return state

    async def set_state(self, state: Any = None) -> None:
        _, data = await self._table.load(self._key)
        await self._table.store(self._key, _name(state), data)

    async def get_data(self) -> dict[str, Any]:
        _, data = await self._table.load(self._key)
        return json.loads(data)

    async def set_data(self, data: Mapping[str, Any]) -> None:
        state, _ = await self._table.load(self._key)
        await self._table.store(self._key, state, dump(data))

    async def update_data(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        merged = await self.get_data()
        merged.update(data or {}, **kwargs)
        await self.set_data(merged)
        return merged

    async def set_state_and_data(self, state: Any, data: Mapping[str, Any]) -> None:
        await self._table.store(self._key, _name(state), dump(data))

    async def clear(self) -> None:
        await self._table.store(self._key, None, EMPTY)


def _name(state: Any) -> str | None:
    """A state's name: a string as is; anything with a `.state` (aiogram's State) by it."""
    if state is None or isinstance(state, str):
        return state
    return str(state.state)
