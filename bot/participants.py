"""A participant as the domain sees them, and where they are on the way in."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.consent import needs_parent
from bot.flows.events import Messenger, Person
from bot.i18n import Audience, tr
from bot.programme import Form, Role, Status

#: Categories of personal data a participant's withdrawal destroys (named in the destruction record).
DATA_CATEGORIES = ("profile", "consents", "answers", "questions", "dialog", "messages")


class _CategoryLabels(Mapping[str, str]):
    """A category's name for the curator and the destruction act, from the catalogue (`data-category-…`)."""

    def __getitem__(self, key: str) -> str:
        if key not in DATA_CATEGORIES:
            raise KeyError(key)
        return tr(f"data-category-{key}")

    def __iter__(self) -> Iterator[str]:
        return iter(DATA_CATEGORIES)

    def __len__(self) -> int:
        return len(DATA_CATEGORIES)


CATEGORY_LABELS: Mapping[str, str] = _CategoryLabels()


def audience_for(role: Role, is_adult: bool | None) -> Audience:
    """«ты» to a pupil (a child mentee, or a mentor who is a minor), «вы» to an adult; see `Participant.audience`."""
    if role is Role.MENTEE_PUPIL:
        return Audience.ADULT if is_adult else Audience.PUPIL
    if role is Role.MENTOR and is_adult is False:
        return Audience.PUPIL
    return Audience.ADULT


@dataclass(frozen=True)
class Participant:
    id: int
    #: Their account id on `messenger` (the id of their private chat there); the name stays from the days of
    #: Telegram only: read it as «account id».
    telegram_id: int
    role: Role
    form: Form
    joined_at: datetime
    is_adult: bool | None
    parent_code: str | None
    consent_at: datetime | None
    survey_done_at: datetime | None
    name: str | None = None
    #: What tells the curator who a person is before their name is known (a child waiting for consent): the
    #: invite they came by and when it was made, and the parent's name from the consent, if one was given.
    invite_code: str | None = None
    invite_created_at: datetime | None = None
    parent_name: str | None = None
    messenger: Messenger = Messenger.TELEGRAM

    @property
    def account_id(self) -> int:
        return self.telegram_id

    @property
    def person(self) -> Person:
        """Who they are on their messenger."""
        return Person(self.messenger, self.telegram_id)

    @property
    def pseudonym(self) -> str:
        """The id kept in destruction records and audit entries instead of a name."""
        return f"P-{self.id:05d}"

    @property
    def needs_parent(self) -> bool:
        return needs_parent(self.is_adult, self.role.may_be_minor)

    @property
    def age_known(self) -> bool:
        return self.is_adult is not None or not self.role.may_be_minor

    @property
    def status(self) -> Status:
        if self.consent_at is None:
            return Status.AWAITING_PARENT if self.needs_parent and self.parent_code else Status.INVITED
        if self.survey_done_at is None:
            return Status.CONSENTED
        return Status.SURVEY_DONE

    @property
    def has_consent(self) -> bool:
        return self.consent_at is not None

    @property
    def audience(self) -> Audience:
        """How the bot speaks to this person: «ты» to a pupil (a child mentee, or a mentor who is a minor),
        «вы» to an adult. A pupil who said they are 18 or older is an adult."""
        return audience_for(self.role, self.is_adult)

    def shown_name(self) -> str:
        return self.name or self.pseudonym

    @property
    def invite_tail(self) -> str | None:
        """The end of the invite's code, as the curator sees it at the end of the link they sent."""
        return self.invite_code[-INVITE_TAIL:] if self.invite_code else None


#: How many last characters of an invite code identify the link to the curator (of 16 random ones).
INVITE_TAIL = 4
