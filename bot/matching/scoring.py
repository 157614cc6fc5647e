"""How well a mentee and a mentor fit: a score and the reasons behind it.

The formula (weights `w` from `Weights`; `k` are counts of common items)::

    score = w.request_competency * k(requests ∩ competencies)      per request topic the mentor covers
          + w.interests          * k(interests ∩ interests)         per shared interest
          + w.club               * [same club]                      both in the same club (not None)
          + w.age                * [age fits]                       see `age_fits`
          + w.free_days          * min(k(free_days ∩ free_days), 2) / 2
          + preference points

    rank factor      f(r) = 2 / (r + 1)          r = 1, 2, 3, ... gives 1, 2/3, 1/2, ...
    mutual           w.mutual_preference * (f(r_mentee) + f(r_mentor)) / 2   both named each other
    one-sided        w.one_sided_preference * f(r)                           only one side named the other

Only the first occurrence of an id in a preference list counts. Terms are added in the order above, so
`score_pair` and `score_matrix` give bit-identical floats (the solver optimises the matrix, the reasons
come from `score_pair`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from bot.i18n import tr
from bot.matching.model import MenteeProfile, MentorProfile, Reason, Weights

AGE_RANGES: dict[str, tuple[int, int]] = {
    "10_12": (10, 12),
    "13_15": (13, 15),
    "16_17": (16, 17),
    "adult": (18, 200),
}
AGE_LABELS: dict[str, str] = {key: tr(f"match-ages-{key}") for key in AGE_RANGES}
# Known day ids in calendar order, so reasons list days as a person would; unknown ids go last.
_DAY_ORDER: dict[str, int] = {
    day: i % 7
    for i, day in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun", "пн", "вт", "ср", "чт", "пт", "сб", "вс"))
}
_EMPTY: Mapping[str, str] = {}


def age_fits(age: int | None, preference: str | None) -> bool:
    """A mentor who accepts any age fits everybody; otherwise the mentee's known age must be in range."""
    if preference == "any":
        return True
    if age is None or preference is None or preference not in AGE_RANGES:
        return False
    low, high = AGE_RANGES[preference]
    return low <= age <= high


def rank_factor(rank: int) -> float:
    """1 for a first choice, 2/3 for a second, 1/2 for a third, ..."""
    return 2.0 / (rank + 1)


def preference_points(mentee_rank: int | None, mentor_rank: int | None, weights: Weights) -> float:
    """Points from the two preference lists; a rank is 1-based or None when not named."""
    if mentee_rank is not None and mentor_rank is not None:
        return weights.mutual_preference * (rank_factor(mentee_rank) + rank_factor(mentor_rank)) / 2
    if mentee_rank is not None:
        return weights.one_sided_preference * rank_factor(mentee_rank)
    if mentor_rank is not None:
        return weights.one_sided_preference * rank_factor(mentor_rank)
    return 0.0


def _rank(preferences: Sequence[int], person_id: int) -> int | None:
    try:
        return preferences.index(person_id) + 1
    except ValueError:
        return None


def _label(labels: Mapping[str, str], option: str) -> str:
    return labels.get(option, option)


def _days_sorted(days: Iterable[str]) -> list[str]:
    return sorted(days, key=lambda d: (_DAY_ORDER.get(d, 7), d))


def score_pair(
    mentee: MenteeProfile,
    mentor: MentorProfile,
    weights: Weights | None = None,
    labels: Mapping[str, str] | None = None,
) -> tuple[float, tuple[Reason, ...]]:
    """Score one pair and explain it: every term that adds to the score is a reason (Russian), the preference
    first, then the biggest; zero-point ones are left out, so the reasons' points add up to the score."""
    w = weights if weights is not None else Weights()
    lab = labels if labels is not None else _EMPTY
    reasons: list[Reason] = []

    mentee_rank = _rank(mentee.preferences, mentor.id)
    mentor_rank = _rank(mentor.preferences, mentee.id)
    pref = preference_points(mentee_rank, mentor_rank, w)
    if mentee_rank is not None and mentor_rank is not None:
        if mentee_rank == mentor_rank:
            text = tr("match-reason-mutual-same", rank=mentee_rank)
        else:
            text = tr("match-reason-mutual", mentee_rank=mentee_rank, mentor_rank=mentor_rank)
        reasons.append(Reason(text, pref))
    elif mentee_rank is not None:
        # Neutral wording: the questionnaires do not ask for gender, so «она выбрала его» cannot be said.
        reasons.append(Reason(tr("match-reason-mentee-choice", rank=mentee_rank), pref))
    elif mentor_rank is not None:
        reasons.append(Reason(tr("match-reason-mentor-choice", rank=mentor_rank), pref))

    topics = sorted(mentee.requests & mentor.competencies)
    for topic in topics:
        reasons.append(Reason(tr("match-reason-request", topic=_label(lab, topic)), w.request_competency))

    shared = sorted(mentee.interests & mentor.interests)
    if shared:
        names = ", ".join(_label(lab, i) for i in shared)
        reasons.append(Reason(tr("match-reason-interests", names=names), w.interests * len(shared)))

    same_club = mentee.club is not None and mentee.club == mentor.club
    if same_club:
        reasons.append(Reason(tr("match-reason-club", club=_label(lab, mentee.club)), w.club))

    fits = age_fits(mentee.age, mentor.age_preference)
    if fits:
        if mentor.age_preference == "any":
            text = tr("match-reason-any-age")
        else:
            text = tr("match-reason-age", ages=AGE_LABELS[mentor.age_preference])
        reasons.append(Reason(text, w.age))

    days = _days_sorted(mentee.free_days & mentor.free_days)
    days_points = w.free_days * min(len(days), 2) / 2
    if days:
        names = ", ".join(_label(lab, d) for d in days)
        reasons.append(Reason(tr("match-reason-days", names=names), days_points))

    # The same order of additions as in score_matrix (see the module docstring).
    total = w.request_competency * len(topics)
    total = total + w.interests * len(shared)
    total = total + (w.club if same_club else 0.0)
    total = total + (w.age if fits else 0.0)
    total = total + days_points
    total = total + pref

    kept = [r for r in reasons if r.points != 0]
    # The preference comes first whatever its points (the curator reads whom they chose first), then the
    # biggest; the sort is stable: equal points keep the category order.
    kept[1 if pref else 0 :] = sorted(kept[1 if pref else 0 :], key=lambda r: -r.points)
    return total, tuple(kept)


def _incidence(sets: Sequence[frozenset[str]], vocab: Mapping[str, int]) -> np.ndarray:
    out = np.zeros((len(sets), max(len(vocab), 1)), dtype=np.float64)
    for row, items in enumerate(sets):
        for item in items:
            out[row, vocab[item]] = 1.0
    return out


def _common_counts(left: Sequence[frozenset[str]], right: Sequence[frozenset[str]]) -> np.ndarray:
    vocab = {item: i for i, item in enumerate(sorted(set().union(*left, *right)))}
    return _incidence(left, vocab) @ _incidence(right, vocab).T  # small exact integers in float64


def score_matrix(
    mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile], weights: Weights | None = None
) -> np.ndarray:
    """Scores of all pairs as a (len(mentees), len(mentors)) float64 array, equal to `score_pair`.

    Ids must be unique within each list (the solver checks that before calling this).
    """
    w = weights if weights is not None else Weights()
    n, m = len(mentees), len(mentors)
    if n == 0 or m == 0:
        return np.zeros((n, m), dtype=np.float64)

    # Terms are accumulated in place, in the order of the module docstring (bit-identical to score_pair;
    # adding 0.0 where a term is absent changes nothing, so masked additions are the same).
    total = _common_counts([e.requests for e in mentees], [o.competencies for o in mentors])
    total *= w.request_competency
    term = _common_counts([e.interests for e in mentees], [o.interests for o in mentors])
    term *= w.interests
    total += term
    del term

    clubs = {c: i for i, c in enumerate(sorted({x.club for x in (*mentees, *mentors) if x.club is not None}))}
    mentee_club = np.array([clubs[e.club] if e.club is not None else -1 for e in mentees])
    mentor_club = np.array([clubs[o.club] if o.club is not None else -2 for o in mentors])
    total[mentee_club[:, None] == mentor_club[None, :]] += w.club

    fits = np.zeros((n, m), dtype=bool)
    for pref in {o.age_preference for o in mentors}:
        cols = np.array([o.age_preference == pref for o in mentors])
        rows = np.array([age_fits(e.age, pref) for e in mentees])
        fits |= rows[:, None] & cols[None, :]
    total[fits] += w.age
    del fits

    term = _common_counts([e.free_days for e in mentees], [o.free_days for o in mentors])
    np.minimum(term, 2.0, out=term)
    term *= w.free_days
    term /= 2
    total += term
    del term

    mentee_index = {e.id: i for i, e in enumerate(mentees)}
    mentor_index = {o.id: j for j, o in enumerate(mentors)}
    mentee_ranks: dict[tuple[int, int], int] = {}
    mentor_ranks: dict[tuple[int, int], int] = {}
    for i, e in enumerate(mentees):
        for r, mentor_id in enumerate(e.preferences, start=1):
            j = mentor_index.get(mentor_id)
            if j is not None:
                mentee_ranks.setdefault((i, j), r)
    for j, o in enumerate(mentors):
        for r, mentee_id in enumerate(o.preferences, start=1):
            i = mentee_index.get(mentee_id)
            if i is not None:
                mentor_ranks.setdefault((i, j), r)
    for cell in mentee_ranks.keys() | mentor_ranks.keys():
        total[cell] += preference_points(mentee_ranks.get(cell), mentor_ranks.get(cell), w)
    return total
