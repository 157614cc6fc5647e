"""aiogram's FSM storage on the app's dialog table (`storage.dialogs`): Telegram's adapter part of it.

State and data are kept per full `StorageKey`, destiny included, so aiogram-dialog-style flows that use their
own destiny coexist with ours. aiogram's `StorageKey` knows no messenger: this storage writes its rows with
`messenger` (Telegram's), so the same numeric id on another messenger is another person with another dialog.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from bot.flows.events import Messenger
from storage.database import Database
from storage.dialogs import DialogTable, Key, dump


def _key(messenger: str, key: StorageKey) -> Key:
    return (
        messenger,
        key.bot_id,
        key.chat_id,
        key.user_id,
        key.thread_id or 0,
        key.business_connection_id or "",
        key.destiny,
    )


def _state_name(state: StateType) -> str | None:
    if isinstance(state, State):
        return state.state
    return state


class SQLiteStorage(BaseStorage):
    def __init__(
        self,
        db: Database,
        *,
        messenger: Messenger = Messenger.TELEGRAM,
        table: DialogTable | None = None,
        cache_size: int = 20_000,
    ) -> None:
        """`table`: the app's dialog table, shared with the other front ends (one cache); a new one otherwise."""
        self.table = table or DialogTable(db, cache_size=cache_size)
        self.messenger = Messenger(messenger)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        k = _key(self.messenger, key)
        _, data = await self.table.load(k)
        await self.table.store(k, _state_name(state), data)

    async def get_state(self, key: StorageKey) -> str | None:
        state, _ = await self.table.load(_key(self.messenger, key))
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        k = _key(self.messenger, key)
        state, _ = await self.table.load(k)
        await self.table.store(k, state, dump(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        _, data = await self.table.load(_key(self.messenger, key))
        return json.loads(data)

    async def set_state_and_data(self, key: StorageKey, state: StateType, data: Mapping[str, Any]) -> None:
        """One write for both, for dialogs that move to the next question and save the answer together."""
        await self.table.store(_key(self.messenger, key), _state_name(state), dump(data))

    async def forget_user(self, user_id: int) -> None:
        """Drop every dialog of a user of this storage's messenger (consent withdrawal)."""
        await self.table.forget_user(self.messenger, user_id)

    async def close(self) -> None:
        """The database is owned and closed by the app."""
        self.table.clear_cache()
