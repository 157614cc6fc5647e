"""aiogram FSM storage on the app's SQLite database.

State and data are kept per full `StorageKey`, destiny included, so aiogram-dialog-style flows that use
their own destiny coexist with ours. Reads are served from a bounded write-through cache: SQLite is always
written first, so a restart (or kill -9) resumes every conversation from the database.

aiogram's `StorageKey` knows no messenger: each adapter constructs its own storage with its `messenger`
(Telegram's is `messenger='telegram'`), and every row and cache entry is keyed by it too, so the same numeric
id on two messengers is two people with two dialogs on the one table.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from bot.flows.events import Messenger
from storage.database import Database

_KeyTuple = tuple[str, int, int, int, int, str, str]  # messenger, bot, chat, user, thread, business, destiny
_Record = tuple[str | None, str]  # state, data as the JSON stored (parsed afresh for each reader: no shared dicts)
_EMPTY = "{}"


def _key(messenger: str, key: StorageKey) -> _KeyTuple:
    return (
        messenger,
        key.bot_id,
        key.chat_id,
        key.user_id,
        key.thread_id or 0,
        key.business_connection_id or "",
        key.destiny,
    )


def _dump(data: Mapping[str, Any]) -> str:
    """Data as stored: JSON, which also refuses what a restart could not restore."""
    if not isinstance(data, Mapping):
        raise TypeError(f"data must be a mapping, not {type(data).__name__}")
    return json.dumps(dict(data), ensure_ascii=False, separators=(",", ":"))


def _state_name(state: StateType) -> str | None:
    if isinstance(state, State):
        return state.state
    return state


class SQLiteStorage(BaseStorage):
    def __init__(
        self, db: Database, *, messenger: Messenger = Messenger.TELEGRAM, cache_size: int = 20_000
    ) -> None:
        self._db = db
        self.messenger = Messenger(messenger)
        self._cache: OrderedDict[_KeyTuple, _Record] = OrderedDict()
        self._cache_size = cache_size

    async def _load(self, key: _KeyTuple) -> _Record:
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        row = await self._db.fetchone(
            "SELECT state, data FROM fsm_state WHERE messenger=? AND bot_id=? AND chat_id=? AND user_id=?"
            " AND thread_id=?"
            " AND business_connection_id=? AND destiny=?",
            key,
        )
        record: _Record = (None, _EMPTY) if row is None else (row["state"], row["data"])
        self._remember(key, record)
        return record

    def _remember(self, key: _KeyTuple, record: _Record) -> None:
        self._cache[key] = record
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def _store(self, key: _KeyTuple, state: str | None, data: str) -> None:
        if state is None and data == _EMPTY:
            await self._db.execute(
                "DELETE FROM fsm_state WHERE messenger=? AND bot_id=? AND chat_id=? AND user_id=?"
                " AND thread_id=?"
                " AND business_connection_id=? AND destiny=?",
                key,
            )
        else:
            await self._db.execute(
                "INSERT INTO fsm_state(messenger, bot_id, chat_id, user_id, thread_id, business_connection_id,"
                " destiny, state, data, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
                " ON CONFLICT DO UPDATE SET state=excluded.state, data=excluded.data,"
                " updated_at=excluded.updated_at",
                (*key, state, data),
            )
        self._remember(key, (state, data))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        k = _key(self.messenger, key)
        _, data = await self._load(k)
        await self._store(k, _state_name(state), data)

    async def get_state(self, key: StorageKey) -> str | None:
        state, _ = await self._load(_key(self.messenger, key))
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        k = _key(self.messenger, key)
        state, _ = await self._load(k)
        await self._store(k, state, _dump(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        _, data = await self._load(_key(self.messenger, key))
        return json.loads(data)

    async def set_state_and_data(self, key: StorageKey, state: StateType, data: Mapping[str, Any]) -> None:
        """One write for both, for dialogs that move to the next question and save the answer together."""
        await self._store(_key(self.messenger, key), _state_name(state), _dump(data))

    async def forget_user(self, user_id: int) -> None:
        """Drop every dialog of a user of this storage's messenger (consent withdrawal)."""
        await self._db.execute("DELETE FROM fsm_state WHERE messenger=? AND user_id=?", (self.messenger, user_id))
        for k in [k for k in self._cache if k[3] == user_id]:
            del self._cache[k]

    async def close(self) -> None:
        """The database is owned and closed by the app."""
        self._cache.clear()
