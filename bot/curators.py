"""Who is a curator now: the owners in CURATOR_IDS and the curators added from the bot (/curators).

The added ones live in the `curators` table; `storage.curators.CuratorRepo` is the only writer and refreshes
this roster after every change (and at start-up), so the synchronous checks on every update (the curator
filter, `Settings.is_curator`) and every notice loop (`Settings.curator_ids`) read one answer without a query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

#: A curator link is a key to every participant's personal data: one use, and a short life.
CURATOR_INVITE_TTL = timedelta(hours=24)


class CuratorRoster:
    def __init__(self, owners: Iterable[int]) -> None:
        self.owners = frozenset(owners)
        self._added: frozenset[int] = frozenset()

    def __contains__(self, user_id: object) -> bool:
        return user_id in self.owners or user_id in self._added

    def ids(self) -> list[int]:
        """Every curator, owners and added, in a stable order (notices go out in this order)."""
        return sorted(self.owners | self._added)

    def is_owner(self, user_id: int) -> bool:
        return user_id in self.owners

    def set_added(self, ids: Iterable[int]) -> None:
        self._added = frozenset(ids)


@dataclass(frozen=True)
class AddedCurator:
    telegram_id: int
    name: str
    added_by: int
    added_at: datetime


class CuratorInviteProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True)
class CuratorInvite:
    code: str
    created_by: int
    created_at: datetime
    expires_at: datetime
    used_by: int | None

    def problem(self, now: datetime) -> CuratorInviteProblem | None:
        if self.used_by is not None:
            return CuratorInviteProblem.USED
        if now >= self.expires_at:
            return CuratorInviteProblem.EXPIRED
        return None
