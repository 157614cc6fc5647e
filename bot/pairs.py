"""Confirmed pairs and groups as the domain sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.flows.events import Messenger, Person
from bot.i18n import esc, tr
from bot.programme import Form, Role


@dataclass(frozen=True)
class Member:
    id: int
    telegram_id: int  # their account id on `messenger` (the name stays from the days of Telegram alone)
    name: str
    score: float | None = None  # a mentee's matching score and reasons, as confirmed
    reasons: str | None = None
    messenger: Messenger = Messenger.TELEGRAM

    @property
    def person(self) -> Person:
        """Who they are on their messenger: where a notice to them goes."""
        return Person(self.messenger, self.telegram_id)


@dataclass(frozen=True)
class Pair:
    """One mentor with one mentee (a pair) or several (a group); a withdrawn person is None."""

    id: int
    form: Form
    mentor: Member | None
    mentees: tuple[Member | None, ...]
    confirmed_at: datetime
    dissolved_at: datetime | None = None
    dissolve_reason: str | None = None

    @property
    def is_group(self) -> bool:
        return len(self.mentees) > 1

    @property
    def people(self) -> list[Member]:
        return [m for m in (self.mentor, *self.mentees) if m is not None]

    @property
    def kind(self) -> str:
        """«Пара» or «Группа», as the curator's screens call it."""
        return tr("kind-group") if self.is_group else tr("kind-pair")

    def role_of(self, person_id: int) -> Role:
        """The role of someone in the pair: the mentor, or a mentee of the form's kind (young teachers are
        mentored only in «учитель – учитель», pupils in every other form)."""
        if self.mentor is not None and self.mentor.id == person_id:
            return Role.MENTOR
        return Role.MENTEE_TEACHER if self.form is Form.TEACHER_TEACHER else Role.MENTEE_PUPIL


def who(name: str, role: Role, pair: Pair | None, *, with_pair: bool = True) -> str:
    """How a notice to the curator names a participant: «<b>Маша</b> (наставляемый-обучающийся, пара №3)».

    The pair's number is its id, the number every curator screen and sheet shows. `with_pair=False` leaves
    it out, for the lines of a notice that names the pair once itself.
    """
    if not with_pair:
        return tr("who-in-pair", name=esc(name), role=role.label)
    where = tr("who-no-pair") if pair is None else pair_label(pair)
    return tr("who", name=esc(name), role=role.label, pair=where)


def member_who(pair: Pair, member: Member, *, with_pair: bool = True) -> str:
    """`who` for someone of the pair (a `Member` knows no role: the pair does)."""
    return who(member.name, pair.role_of(member.id), pair, with_pair=with_pair)


def pair_label(pair: Pair) -> str:
    """«пара №3» or «группа №3»."""
    return tr("who-group" if pair.is_group else "who-pair", id=pair.id)


@dataclass(frozen=True)
class Candidate:
    """A participant who may be matched: consented, questionnaire done, of the form being matched."""

    id: int
    telegram_id: int
    is_mentor: bool
    name: str
    answers: dict
    taken: int = 0  # mentees already in the mentor's active pairs and groups

    @property
    def picks_allowed(self) -> int:
        """How many people of the other side one may rank: a mentee three, a mentor their free places."""
        if not self.is_mentor:
            return MENTEE_PICKS
        capacity = self.answers.get("capacity")
        return max(1, (capacity if isinstance(capacity, int) else 1) - self.taken)


MENTEE_PICKS = 3
