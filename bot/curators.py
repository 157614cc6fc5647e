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

from bot.flows.events import Messenger, Person

#: A curator link is a key to every participant's personal data: one use, and a short life.
CURATOR_INVITE_TTL = timedelta(hours=24)


def _person(who: int | Person) -> Person:
    """A bare id is a Telegram account (CURATOR_IDS and every caller from before MAX)."""
    return who if isinstance(who, Person) else Person(Messenger.TELEGRAM, who)


class CuratorRoster:
    """Curators are people on a messenger; a bare int in any method below means a Telegram account."""

    def __init__(self, owners: Iterable[int | Person]) -> None:
        self.owner_people = frozenset(_person(o) for o in owners)
        self._added: frozenset[Person] = frozenset()

    @property
    def owners(self) -> frozenset[int]:
        """The owners' Telegram ids."""
        return frozenset(p.account_id for p in self.owner_people if p.messenger is Messenger.TELEGRAM)

    def __contains__(self, who: object) -> bool:
        if not isinstance(who, int | Person):
            return False
        person = _person(who)
        return person in self.owner_people or person in self._added

    def people(self) -> list[Person]:
        """Every curator on every messenger, owners and added, in a stable order."""
        return sorted(self.owner_people | self._added, key=lambda p: (p.messenger.value, p.account_id))

    def ids(self, messenger: Messenger = Messenger.TELEGRAM) -> list[int]:
        """Every curator on `messenger`, owners and added, in a stable order (notices go out in this order)."""
        return [p.account_id for p in self.people() if p.messenger is messenger]

    def is_owner(self, who: int | Person) -> bool:
        return _person(who) in self.owner_people

    def set_added(self, people: Iterable[int | Person]) -> None:
        self._added = frozenset(_person(p) for p in people)


@dataclass(frozen=True)
class AddedCurator:
    telegram_id: int  # their account id on `messenger`
    name: str
    added_by: int
    added_at: datetime
    messenger: Messenger = Messenger.TELEGRAM
    added_by_messenger: Messenger = Messenger.TELEGRAM


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
    created_by_messenger: Messenger = Messenger.TELEGRAM
    used_by_messenger: Messenger | None = None

    def problem(self, now: datetime) -> CuratorInviteProblem | None:
        if self.used_by is not None:
            return CuratorInviteProblem.USED
        if now >= self.expires_at:
            return CuratorInviteProblem.EXPIRED
        return None
