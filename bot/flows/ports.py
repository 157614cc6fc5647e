"""What the flows need of storage, as Protocols: the app passes its repositories (storage/), a test its own.

Only the methods the flows call are here; storage's classes match them without naming them. A repository whose
methods no flow calls yet is typed `Any` until one does (then its Protocol joins this file).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from bot.clock import Clock
from bot.consent import ConsentDocument, ConsentKind, Relation
from bot.flows.effects import Farewell
from bot.flows.events import Messenger
from bot.invites import Invite, deep_link
from bot.meetings import CheckinAnswer, Stage
from bot.pairs import Candidate, Pair
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


class MeetingRecord(MeetingView, Protocol):
    """A meeting as the meetings flow reads it (storage's Meeting)."""

    @property
    def id(self) -> int: ...

    @property
    def pair_id(self) -> int: ...

    @property
    def stage(self) -> Stage: ...

    @property
    def topic(self) -> str | None: ...

    @property
    def status(self) -> str: ...


class CheckinView(Protocol):
    """One person's check-in after a meeting (storage's Checkin)."""

    @property
    def answer(self) -> CheckinAnswer: ...

    @property
    def usefulness(self) -> int | None: ...


class PreferenceRoundView(Protocol):
    """A round of the preference survey (storage's PreferenceRound)."""

    @property
    def id(self) -> int: ...

    @property
    def closed_at(self) -> datetime | None: ...


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

    # joining (bot.flows.joining)
    async def get(self, participant_id: int) -> Participant | None: ...

    async def by_parent_code(self, code: str) -> Participant | None: ...

    async def join(self, account_id: int, invite: Invite, messenger: Messenger = ...) -> Participant: ...

    async def set_adult(self, participant_id: int, is_adult: bool, parent_code: str | None) -> None: ...

    async def record_consent(
        self,
        participant_id: int,
        document: ConsentDocument | None,
        *,
        kind: ConsentKind,
        given_by: int,
        parent_name: str | None = None,
        parent_relation: Relation | None = None,
        paper_date: date | None = None,
        given_by_messenger: Messenger = ...,
    ) -> bool: ...

    async def decline(self, participant_id: int) -> None: ...

    async def scrub(self) -> None: ...


    async def destroy(self, participant_id: int, *, requested_by: str, reason: str) -> DestructionView | None: ...

    async def save_answer(self, participant_id: int, questionnaire_id: str, question_id: str, value: Any) -> None: ...

    async def mark_survey_done(self, participant_id: int) -> None: ...


class Matching(Protocol):
    async def pair_of(self, participant_id: int) -> Pair | None: ...

    async def pair(self, pair_id: int) -> Pair | None: ...

    async def renew(self, participant_id: int, year_id: int, source: str = ...) -> bool: ...

    async def pairs(self) -> list[Pair]: ...

    async def round(self, round_id: int) -> PreferenceRoundView | None: ...

    async def round_pool(self, current: Any) -> list[Candidate]: ...

    async def draft_choices(self, round_id: int, participant_id: int) -> tuple[list[int], bool]: ...

    async def save_choices(
        self, round_id: int, participant_id: int, choices: Sequence[int], *, submit: bool = False
    ) -> None: ...


class Meetings(Protocol):
    async def next_planned(self, pair_id: int) -> MeetingView | None: ...

    async def held_stages(self, pair_id: int) -> list[Stage]: ...

    async def get(self, meeting_id: int) -> MeetingRecord | None: ...

    async def create(
        self, pair_id: int, stage: Stage, starts_at: datetime, place: str, topic: str | None
    ) -> MeetingRecord: ...

    async def reschedule(self, meeting_id: int, starts_at: datetime) -> bool: ...

    async def set_status(self, meeting_id: int, status: str) -> bool: ...

    async def for_pair(self, pair_id: int) -> list[MeetingRecord]: ...

    async def respond(self, meeting_id: int, participant_id: int, response: str) -> None: ...

    async def save_checkin(
        self,
        meeting_id: int,
        participant_id: int,
        answer: CheckinAnswer,
        *,
        usefulness: int | None = None,
        note: str | None = None,
    ) -> None: ...

    async def checkins(self, meeting_id: int) -> Mapping[int, CheckinView]: ...

    async def set_fit(self, pair_id: int, participant_id: int, fits: str) -> None: ...

    async def fits(self, pair_id: int) -> dict[int, str]: ...


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
    links: StartLinks = field(default_factory=lambda: StartLinks())
    farewells: Farewells = field(default_factory=lambda: Farewells())

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
            atomic=services["db"].action,
            clock=services["clock"],
            invites=services["invites"],
            informing=services["informing"],
            campaigns=services["campaigns"],
            reports=services["reports"],
            roadmap=services["roadmap"],
            curators=services.get("curators"),
        )


#: The longest start payload MAX passes on with `bot_started` (dev.max.ru); Telegram's is 64, and every code fits.
MAX_START_PAYLOAD = 128


class StartLinks:
    """The links that open the bot with a code (a parent's link, an invite, a curator's link) on each messenger.

    Telegram's is `https://t.me/<bot>?start=<code>`, MAX's `https://max.ru/<bot>?start=<code>`: each adapter
    tells the bot's name on its messenger once it knows it (`learn`, at start-up). A link someone else opens is
    given for every messenger that runs (`links`): a parent, a pupil or a new curator may be on either.
    """

    def __init__(self) -> None:
        self._names: dict[Messenger, str] = {}

    def learn(self, messenger: Messenger, name: str) -> None:
        self._names[messenger] = name

    def link(self, messenger: Messenger, code: str) -> str:
        name = self._names.get(messenger) or "bot"
        if messenger is Messenger.TELEGRAM:
            return deep_link(name, code)
        if messenger is Messenger.MAX:
            if len(code) > MAX_START_PAYLOAD:
                raise ValueError(f"a start code of {len(code)} characters does not fit MAX's {MAX_START_PAYLOAD}")
            return f"https://max.ru/{name}?start={code}"
        raise NotImplementedError(f"no start links on {messenger}")

    def messengers(self, fallback: Messenger = Messenger.TELEGRAM) -> list[Messenger]:
        """Every messenger whose adapter runs (in the enum's order), or `fallback` when none has told its name."""
        return [m for m in Messenger if m in self._names] or [fallback]

    def links(self, code: str, fallback: Messenger = Messenger.TELEGRAM) -> list[tuple[Messenger, str]]:
        """The link on every messenger that runs (`fallback`'s alone when none has told its name yet)."""
        return [(m, self.link(m, code)) for m in self.messengers(fallback)]


class Farewells:
    """Who sends a `Farewell` at once on each messenger: each adapter registers its own sender at start-up, so a
    parent on one messenger withdrawing the consent of a child on the other still says the child's last word."""

    def __init__(self) -> None:
        self._senders: dict[Messenger, Callable[[Farewell], Awaitable[None]]] = {}

    def register(self, messenger: Messenger, send: Callable[[Farewell], Awaitable[None]]) -> None:
        self._senders[messenger] = send

    async def send(self, farewell: Farewell) -> bool:
        """False when no adapter of the person's messenger runs (the word is not said; their data is gone)."""
        send = self._senders.get(farewell.to.messenger)
        if send is None:
            return False
        await send(farewell)
        return True
