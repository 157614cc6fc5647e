"""What the flows need of storage, as Protocols: the app passes its repositories (storage/), a test its own.

Only the methods the flows call are here; storage's classes match them without naming them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

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


class Participants(Protocol):
    async def by_telegram(self, telegram_id: int) -> Participant | None: ...

    async def by_account(self, messenger: Messenger, account_id: int) -> Participant | None: ...

    async def children_of(self, parent_account_id: int, messenger: Messenger = ...) -> list[Participant]: ...

    async def answers(self, participant_id: int, questionnaire_id: str) -> dict[str, Any]: ...

    async def consent(self, participant_id: int, kind: ConsentKind | None = None) -> ConsentView | None: ...


class Matching(Protocol):
    async def pair_of(self, participant_id: int) -> Pair | None: ...


class Meetings(Protocol):
    async def next_planned(self, pair_id: int) -> MeetingView | None: ...

    async def held_stages(self, pair_id: int) -> list[Stage]: ...


@dataclass(frozen=True)
class Repos:
    """What a flow is given: the repositories, the settings and the questionnaires."""

    participants: Participants
    matching: Matching
    meetings: Meetings
    settings: Settings
    questionnaires: Mapping[str, Questionnaire]
