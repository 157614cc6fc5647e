"""Value objects of the matching domain: profiles, weights, constraints and the result.

Everything here is immutable and free of I/O; the solver and the baselines take these and return a
`MatchResult`. Texts meant for people (reasons, errors) are Russian.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Literal

from bot.errors import AppError

AGE_PREFERENCES: tuple[str, ...] = ("10_12", "13_15", "16_17", "adult", "any")


class MatchingError(AppError, ValueError):
    """Input that cannot be matched as given (a broken pinned pair, duplicate ids); Russian text."""


@dataclass(frozen=True)
class MenteeProfile:
    id: int
    form: str
    name: str
    requests: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    club: str | None = None
    age: int | None = None
    free_days: frozenset[str] = frozenset()
    preferences: tuple[int, ...] = ()  # ranked mentor ids, best first; () = no preference


@dataclass(frozen=True)
class MentorProfile:
    id: int
    form: str
    name: str
    competencies: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    club: str | None = None
    age_preference: str | None = None  # one of AGE_PREFERENCES or None
    free_days: frozenset[str] = frozenset()
    capacity: int = 1  # 1 = a pair, more = a group
    preferences: tuple[int, ...] = ()  # ranked mentee ids, best first

    def __post_init__(self) -> None:
        if self.capacity < 1:
            raise ValueError(f"mentor {self.id}: capacity must be >= 1, got {self.capacity}")
        if self.age_preference is not None and self.age_preference not in AGE_PREFERENCES:
            raise ValueError(f"mentor {self.id}: unknown age_preference {self.age_preference!r}")


@dataclass(frozen=True)
class Weights:
    """Points per criterion (see `bot.matching.scoring` for the formula); all must be >= 0."""

    request_competency: float = 3.0  # per request topic the mentor is competent in
    interests: float = 1.0  # per shared interest
    club: float = 1.5  # same club
    age: float = 1.0  # mentee's age fits the mentor's age preference
    free_days: float = 1.0  # full value from two common free days (half from one)
    mutual_preference: float = 6.0  # both named each other, both at rank 1
    one_sided_preference: float = 2.5  # one side named the other at rank 1

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not value >= 0:  # also rejects NaN
                raise ValueError(f"weight {f.name} must be a non-negative number, got {value!r}")


@dataclass(frozen=True)
class Constraints:
    pinned: frozenset[tuple[int, int]] = frozenset()  # (mentee_id, mentor_id) that must stay
    excluded: frozenset[tuple[int, int]] = frozenset()  # (mentee_id, mentor_id) never to be proposed


@dataclass(frozen=True)
class Reason:
    text: str  # Russian, e.g. «совпадает запрос: Робототехника»
    points: float


@dataclass(frozen=True)
class ProposedPair:
    mentee_id: int
    mentor_id: int
    score: float
    reasons: tuple[Reason, ...]
    pinned: bool = False


@dataclass(frozen=True)
class Unmatched:
    person_id: int
    role: Literal["mentee", "mentor"]
    reason: str  # Russian: why


@dataclass(frozen=True)
class MatchResult:
    pairs: tuple[ProposedPair, ...]  # sorted by mentee id
    unmatched: tuple[Unmatched, ...]  # mentees without a mentor, then mentors with free places; by id
    total_score: float

    @property
    def matched_count(self) -> int:
        """Number of mentees who have a mentor (pinned pairs included)."""
        return len(self.pairs)

    def groups(self) -> dict[int, list[ProposedPair]]:
        """Pairs by mentor id (mentors in id order, each list by mentee id)."""
        out: dict[int, list[ProposedPair]] = {}
        for pair in sorted(self.pairs, key=lambda p: (p.mentor_id, p.mentee_id)):
            out.setdefault(pair.mentor_id, []).append(pair)
        return out

    def mentor_of(self, mentee_id: int) -> int | None:
        for pair in self.pairs:
            if pair.mentee_id == mentee_id:
                return pair.mentor_id
        return None

    def top3_share(self, mentees: Iterable[MenteeProfile]) -> float:
        """Share of mentees who named at least one preferred mentor and got one of their first three.

        Mentees without preferences are left out of the denominator; 0.0 when nobody named anyone.
        """
        mentor_by_mentee = {p.mentee_id: p.mentor_id for p in self.pairs}
        named = hit = 0
        for mentee in mentees:
            if not mentee.preferences:
                continue
            named += 1
            if mentor_by_mentee.get(mentee.id) in mentee.preferences[:3]:
                hit += 1
        return hit / named if named else 0.0
