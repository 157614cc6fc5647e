"""Confirmed pairs and groups as the domain sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.programme import Form


@dataclass(frozen=True)
class Member:
    id: int
    telegram_id: int
    name: str
    score: float | None = None  # a mentee's matching score and reasons, as confirmed
    reasons: str | None = None


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
