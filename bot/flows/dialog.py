"""A person's dialog state as the flows see it: which step they are at and what they have said so far.

The method names are aiogram's `FSMContext`'s, so the Telegram adapter hands a flow the update's FSMContext as
is (its storage is the app's SQLite table); any other front end hands `storage.dialogs.PersonDialog`, on the same
table keyed by messenger. A state is a string `Group:step` (aiogram's `StatesGroup` names states so, and the
adapter's state filters match the flows' names: tests/test_flow_states.py keeps them alike).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class Dialog(Protocol):
    async def get_state(self) -> str | None: ...

    async def set_state(self, state: Any = None) -> None: ...

    async def get_data(self) -> dict[str, Any]: ...

    async def set_data(self, data: Mapping[str, Any]) -> None: ...

    async def update_data(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]: ...

    async def clear(self) -> None: ...


def group_of(state: str | None) -> str:
    """The dialog a state belongs to: `Survey` of `Survey:answering` ('' for no state)."""
    return (state or "").split(":", 1)[0]
