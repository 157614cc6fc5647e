"""From a participant's intake answers to the matcher's profiles (pure: answers in, profiles out).

The question ids are those of the shipped intake questionnaires; a mentee's request is the pupil's
`request` or the young teacher's `difficulties`, both from vocabulary lists that the mentor's
`competencies` contain, so the two sides compare by option id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.matching.model import AGE_PREFERENCES, MenteeProfile, MentorProfile
from bot.questionnaires import Vocabulary


def _ids(value: Any) -> frozenset[str]:
    return frozenset(str(v) for v in value) if isinstance(value, list | tuple) else frozenset()


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def mentee_profile(
    pid: int, form: str, name: str, answers: Mapping[str, Any], preferences: Sequence[int] = ()
) -> MenteeProfile:
    return MenteeProfile(
        id=pid,
        form=form,
        name=name,
        requests=_ids(answers.get("request")) | _ids(answers.get("difficulties")),
        interests=_ids(answers.get("interests")),
        club=answers.get("club") if isinstance(answers.get("club"), str) else None,
        age=_int(answers.get("age")),
        free_days=_ids(answers.get("free_days")),
        preferences=tuple(preferences),
    )


def mentor_profile(
    pid: int, form: str, name: str, answers: Mapping[str, Any], preferences: Sequence[int] = ()
) -> MentorProfile:
    age = answers.get("mentee_age")
    return MentorProfile(
        id=pid,
        form=form,
        name=name,
        competencies=_ids(answers.get("competencies")),
        interests=_ids(answers.get("interests")),
        club=answers.get("club") if isinstance(answers.get("club"), str) else None,
        age_preference=age if age in AGE_PREFERENCES else None,
        free_days=_ids(answers.get("free_days")),
        capacity=max(1, _int(answers.get("capacity")) or 1),
        preferences=tuple(preferences),
    )


def option_labels(vocabulary: Vocabulary) -> dict[str, str]:
    """Option id → label over every vocabulary list, for the reasons shown to the curator."""
    labels: dict[str, str] = {}
    for vocabulary_list in vocabulary.lists:
        for option in vocabulary_list.options:
            labels.setdefault(option.id, option.label)
    return labels
