"""The curator's draft: candidates and their preferences in, a proposed matching and its fingerprint out."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence

from bot.matching.model import Constraints, MatchResult, MenteeProfile, MentorProfile, Weights
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


def reasons_text(reasons: Sequence[object], limit: int = 3) -> str:
    texts = [getattr(r, "text", str(r)) for r in reasons[:limit]]
    return "; ".join(texts)
