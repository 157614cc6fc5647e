"""What the flows need of storage, as Protocols: the app passes its repositories (storage/), a test its own.

Only the methods the flows call are here; storage's classes match them without naming them. A repository whose
methods no flow calls yet is typed `Any` until one does (then its Protocol joins this file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.clock import Clock
from bot.consent import ConsentKind
from bot.flows.events import Messenger
from bot.meetings import Stage
from bot.pairs import Pair
from bot.participants import Participant
from bot.questionnaires import Questionnaire
from bot.settings import Settings


class ConsentView(Protocol):
    """A consent as a screen shows it (storage's ConsentRecord)."""

    @property
    def kind(self) -> ConsentKind: ...

    @property
    def given_at(self) -> str: ...


class MeetingView(Protocol):
    """A planned meeting as a screen shows it (storage's Meeting)."""

    @property
    def starts_at(self) -> datetime: ...

    @property
    def place(self) -> str: ...


class DestructionView(Protocol):
    """What a withdrawal destroyed (storage's Destruction)."""

    @property
    def pseudonym(self) -> str: ...

    @property
    def categories(self) -> dict[str, int]: ...

    @property
    def dialogs_dropped(self) -> tuple[int, ...]: ...


class Participants(Protocol):
    async def by_telegram(self, telegram_id: int) -> Participant | None: ...

    async def by_account(self, messenger: Messenger, account_id: int) -> Participant | None: ...

    async def children_of(self, parent_account_id: int, messenger: Messenger = ...) -> list[Participant]: ...

    async def answers(self, participant_id: int, questionnaire_id: str) -> dict[str, Any]: ...

    async def consent(self, participant_id: int, kind: ConsentKind | None = None) -> ConsentView | None: ...

    async def get(self, participant_id: int) -> Participant | None: ...

    async def destroy(self, participant_id: int, *, requested_by: str, reason: str) -> DestructionView | None: ...


class Matching(Protocol):
    async def pair_of(self, participant_id: int) -> Pair | None: ...

    async def pair(self, pair_id: int) -> Pair | None: ...

    async def renew(self, participant_id: int, year_id: int, source: str = ...) -> bool: ...

    async def pairs(self) -> list[Pair]: ...


class Meetings(Protocol):
    async def next_planned(self, pair_id: int) -> MeetingView | None: ...

    async def held_stages(self, pair_id: int) -> list[Stage]: ...


class Outbox(Protocol):
    async def enqueue(
        self,
        chat_id: int,
        text: str,
        *,
        reply_markup: dict[str, Any] | None = None,
        kind: str = "notice",
        dedup_key: str | None = None,
        not_before: datetime | None = None,
        about: Iterable[int] = (),
        messenger: Messenger = Messenger.TELEGRAM,
    ) -> bool: ...

    def earliest(self, moment: datetime) -> datetime: ...


class Audit(Protocol):
    async def record(
        self,
        actor_id: int,
        action: str,
        subject: str | None = None,
        details: dict[str, Any] | None = None,
        *,
        actor_messenger: Messenger = Messenger.TELEGRAM,
    ) -> None: ...


#: One transaction (the database's): every statement of the action inside it commits together or not at all.
Atomic = Callable[[], AbstractAsyncContextManager[Any]]


@dataclass(frozen=True)
class Repos:
    """What a flow is given: the repositories, the settings, the questionnaires, the clock and the transaction."""

    participants: Participants
    matching: Matching
    meetings: Meetings
    settings: Settings
    questionnaires: Mapping[str, Questionnaire]
    outbox: Outbox
    audit: Audit
    atomic: Atomic
    clock: Clock
    invites: Any
    informing: Any
    campaigns: Any
    reports: Any
    roadmap: Any
    curators: Any

    @classmethod
    def of(cls, services: Mapping[str, Any]) -> Repos:
        """From the app's services (`bot.app`, a test front end): the repositories by their names."""
        return cls(
            participants=services["participants"],
            matching=services["matching"],
            meetings=services["meetings"],
            settings=services["settings"],
            questionnaires=services["questionnaires"],
            outbox=services["outbox"],
            audit=services["audit"],
            atomic=services["db"].transaction,
            clock=services["clock"],
            invites=services["invites"],
            informing=services["informing"],
            campaigns=services["campaigns"],
            reports=services["reports"],
            roadmap=services["roadmap"],
            curators=services.get("curators"),
        )
