"""The curator's draft: candidates and their preferences in, a proposed matching and its fingerprint out."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from bot.matching.model import Constraints, MatchResult, MenteeProfile, MentorProfile, Reason, Weights
from bot.matching.profiles import mentee_profile, mentor_profile
from bot.pairs import Candidate


def build_pool(
    candidates: Sequence[Candidate],
    form: str,
    preferences: Mapping[int, Sequence[int]],
) -> tuple[list[MenteeProfile], list[MentorProfile]]:
    """Profiles for the solver; a mentor's capacity is what is left after the groups they already lead."""
    mentees: list[MenteeProfile] = []
    mentors: list[MentorProfile] = []
    for person in candidates:
        chosen = list(preferences.get(person.id, ()))
        if person.is_mentor:
            profile = mentor_profile(person.id, form, person.name, person.answers, chosen)
            free = profile.capacity - person.taken
            if free <= 0:
                continue
            mentors.append(
                MentorProfile(
                    id=profile.id,
                    form=profile.form,
                    name=profile.name,
                    competencies=profile.competencies,
                    interests=profile.interests,
                    club=profile.club,
                    age_preference=profile.age_preference,
                    free_days=profile.free_days,
                    capacity=free,
                    preferences=profile.preferences,
                )
            )
        else:
            mentees.append(mentee_profile(person.id, form, person.name, person.answers, chosen))
    return mentees, mentors


def make_draft(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    *,
    pinned: Collection[tuple[int, int]],
    excluded: Collection[tuple[int, int]],
    weights: Weights,
    labels: Mapping[str, str],
) -> MatchResult:
    """Run the solver with the curator's constraints, dropping those about people no longer in the pool.

    The solver (numpy, scipy) is imported here, on the first draft, not with this module."""
    from bot.matching.solver import match

    present_mentees = {m.id for m in mentees}
    present_mentors = {m.id for m in mentors}

    def present(pair: tuple[int, int]) -> bool:
        return pair[0] in present_mentees and pair[1] in present_mentors

    constraints = Constraints(
        pinned=frozenset(p for p in pinned if present(p)),
        excluded=frozenset(p for p in excluded if present(p)),
    )
    return match(mentees, mentors, weights=weights, constraints=constraints, labels=labels)


def fingerprint(result: MatchResult) -> str:
    """A short digest of who goes with whom: the confirm button carries it, so the curator confirms what
    they saw and not a draft that changed underneath (someone withdrew, a preference arrived)."""
    text = ";".join(f"{p.mentee_id}>{p.mentor_id}" for p in sorted(result.pairs, key=lambda p: p.mentee_id))
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def decimal(value: float) -> str:
    """Points as the curator reads them: a decimal comma, up to two decimals, no trailing zeros («3», «2,5»,
    «1,67»). Only a preference's points are not whole halves, so the reasons' printed points add up to the
    printed score."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "−")


def reasons_text(reasons: Sequence[Reason]) -> str:
    """Every reason with its points, in the order given (the preference first): they add up to the score."""
    return "; ".join(f"{r.text} (+{decimal(r.points)})" for r in reasons)


def pairs_of(result: MatchResult) -> dict[int, int]:
    """Mentee id -> mentor id of a draft: what a snapshot keeps to tell later what changed."""
    return {p.mentee_id: p.mentor_id for p in result.pairs}


@dataclass(frozen=True)
class Change:
    """One mentee whose place differs between two drafts; a mentor of None is «without a pair»."""

    mentee_id: int
    before: int | None
    after: int | None


def changes(before: Mapping[int, int], after: Mapping[int, int]) -> list[Change]:
    """What differs from the draft the curator saw to the draft of now, by mentee id."""
    return [
        Change(mentee_id, before.get(mentee_id), after.get(mentee_id))
        for mentee_id in sorted(before.keys() | after.keys())
        if before.get(mentee_id) != after.get(mentee_id)
    ]
