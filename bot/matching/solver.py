"""The matching solver: the assignment of maximum total score under the hard rules.

Hard rules (the baselines in `bot.matching.baselines` obey them too):
- a mentee and a mentor are paired only within the same form of mentoring;
- a mentor gets at most `capacity` mentees;
- an excluded (mentee_id, mentor_id) pair is never proposed;
- nobody is their own mentor (the same id in both lists is the same person);
- pinned pairs stay and use up their mentor's capacity; a pinned pair that breaks a rule is a `MatchingError`.

Method: forms are independent, so each form is solved on its own. Each mentor with free places becomes
`capacity - pinned` identical columns ("slots"); `scipy.optimize.linear_sum_assignment` picks the best
assignment of mentees to slots on the rectangular matrix. Forbidden cells get `-BIG`, with `BIG` larger than
any possible sum of scores, so the assignment first matches as many mentees as possible and then
maximises the total score; pairs that land on a forbidden cell are dropped (the person stays unmatched).
Inputs are sorted by id first, so the result does not depend on the order of the input lists.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from bot.i18n import esc, quoted, tr
from bot.matching.model import (
    Constraints,
    MatchingError,
    MatchResult,
    MenteeProfile,
    MentorProfile,
    ProposedPair,
    Unmatched,
    Weights,
)
from bot.matching.scoring import score_matrix, score_pair

MSG_NO_MENTORS = tr("match-unmatched-no-mentors")
MSG_MENTORS_FULL = tr("match-unmatched-mentors-full")
MSG_ALL_EXCLUDED = tr("match-unmatched-all-excluded")
MSG_ONLY_SELF_MENTOR = tr("match-unmatched-only-self-mentor")
MSG_NO_MENTEES = tr("match-unmatched-no-mentees")
MSG_ONLY_SELF_MENTEE = tr("match-unmatched-only-self-mentee")


def msg_free_places(free: int) -> str:
    return tr("match-unmatched-free-places", free=free)


@dataclass
class FormTask:
    """One form's free mentees and mentors with free places, both by id, and their scores."""

    form: str
    mentees: list[MenteeProfile]
    mentors: list[MentorProfile]
    remaining: list[int]  # free places of each mentor after the pinned pairs
    scores: np.ndarray  # (len(mentees), len(mentors))
    forbidden: np.ndarray  # bool, same shape: excluded pairs and self-pairs


@dataclass
class Pool:
    """Validated, id-sorted input shared by the solver and the baselines."""

    mentees: list[MenteeProfile]
    mentors: list[MentorProfile]
    weights: Weights
    labels: Mapping[str, str]
    excluded: frozenset[tuple[int, int]]
    pinned: list[tuple[MenteeProfile, MentorProfile]]
    remaining: dict[int, int] = field(default_factory=dict)  # mentor id -> capacity left after pinning

    def tasks(self) -> list[FormTask]:
        pinned_mentees = {e.id for e, _ in self.pinned}
        mentees_by_form: dict[str, list[MenteeProfile]] = defaultdict(list)
        mentors_by_form: dict[str, list[MentorProfile]] = defaultdict(list)
        for e in self.mentees:
            if e.id not in pinned_mentees:
                mentees_by_form[e.form].append(e)
        for o in self.mentors:
            if self.remaining[o.id] > 0:
                mentors_by_form[o.form].append(o)
        out = []
        for form in sorted(mentees_by_form.keys() & mentors_by_form.keys()):
            rows, cols = mentees_by_form[form], mentors_by_form[form]
            forbidden = np.zeros((len(rows), len(cols)), dtype=bool)
            row_of = {e.id: i for i, e in enumerate(rows)}
            col_of = {o.id: j for j, o in enumerate(cols)}
            for mentee_id, mentor_id in self.excluded:
                i, j = row_of.get(mentee_id), col_of.get(mentor_id)
                if i is not None and j is not None:
                    forbidden[i, j] = True
            for person_id in row_of.keys() & col_of.keys():
                forbidden[row_of[person_id], col_of[person_id]] = True
            out.append(
                FormTask(
                    form=form,
                    mentees=rows,
                    mentors=cols,
                    remaining=[self.remaining[o.id] for o in cols],
                    scores=score_matrix(rows, cols, self.weights),
                    forbidden=forbidden,
                )
            )
        return out


def prepare(
    mentees: Iterable[MenteeProfile],
    mentors: Iterable[MentorProfile],
    weights: Weights,
    constraints: Constraints,
    labels: Mapping[str, str] | None,
) -> Pool:
    """Sort by id, check ids and pinned pairs; raise `MatchingError` (Russian) when the input is broken."""
    mentee_list = sorted(mentees, key=lambda e: e.id)
    mentor_list = sorted(mentors, key=lambda o: o.id)
    for people, msg_id in (
        (mentee_list, "match-error-duplicate-mentee"),
        (mentor_list, "match-error-duplicate-mentor"),
    ):
        for person_id, count in Counter(p.id for p in people).items():
            if count > 1:
                raise MatchingError(tr(msg_id, id=person_id, count=count))
    mentee_by_id = {e.id: e for e in mentee_list}
    mentor_by_id = {o.id: o for o in mentor_list}
    remaining = {o.id: o.capacity for o in mentor_list}
    pinned: list[tuple[MenteeProfile, MentorProfile]] = []
    pinned_mentor_of: dict[int, int] = {}
    for mentee_id, mentor_id in sorted(constraints.pinned):
        ids = {"mentee": mentee_id, "mentor": mentor_id}
        mentee = mentee_by_id.get(mentee_id)
        mentor = mentor_by_id.get(mentor_id)
        if mentee is None:
            raise MatchingError(tr("match-error-pin-no-mentee", **ids))
        if mentor is None:
            raise MatchingError(tr("match-error-pin-no-mentor", **ids))
        if mentee_id == mentor_id:
            raise MatchingError(tr("match-error-pin-self", **ids))
        if mentee.form != mentor.form:
            raise MatchingError(
                tr(
                    "match-error-pin-forms",
                    **ids,
                    mentee_name=esc(mentee.name),
                    mentee_form=esc(quoted(mentee.form)),
                    mentor_name=esc(mentor.name),
                    mentor_form=esc(quoted(mentor.form)),
                )
            )
        if (mentee_id, mentor_id) in constraints.excluded:
            raise MatchingError(tr("match-error-pin-excluded", **ids))
        if mentee_id in pinned_mentor_of:
            raise MatchingError(
                tr(
                    "match-error-pin-twice",
                    name=esc(mentee.name),
                    mentee=mentee_id,
                    first=pinned_mentor_of[mentee_id],
                    second=mentor_id,
                )
            )
        if remaining[mentor_id] == 0:
            count = sum(1 for _, o in constraints.pinned if o == mentor_id)
            raise MatchingError(
                tr(
                    "match-error-pin-capacity",
                    name=esc(mentor.name),
                    mentor=mentor_id,
                    count=count,
                    capacity=mentor.capacity,
                )
            )
        remaining[mentor_id] -= 1
        pinned_mentor_of[mentee_id] = mentor_id
        pinned.append((mentee, mentor))
    return Pool(
        mentees=mentee_list,
        mentors=mentor_list,
        weights=weights,
        labels=labels if labels is not None else {},
        excluded=frozenset(constraints.excluded),
        pinned=pinned,
        remaining=remaining,
    )


def build_result(pool: Pool, chosen: Iterable[tuple[MenteeProfile, MentorProfile]]) -> MatchResult:
    """Turn chosen pairs (besides the pinned ones) into a `MatchResult` with reasons and unmatched people."""
    pinned_ids = {(e.id, o.id) for e, o in pool.pinned}
    all_pairs = [*pool.pinned, *chosen]
    pairs = []
    for mentee, mentor in sorted(all_pairs, key=lambda p: (p[0].id, p[1].id)):
        score, reasons = score_pair(mentee, mentor, pool.weights, pool.labels)
        pinned = (mentee.id, mentor.id) in pinned_ids
        pairs.append(ProposedPair(mentee.id, mentor.id, score, reasons, pinned))

    matched = {p.mentee_id for p in pairs}
    taken = Counter(p.mentor_id for p in pairs)
    mentors_by_form: dict[str, list[MentorProfile]] = defaultdict(list)
    mentees_by_form: dict[str, list[MenteeProfile]] = defaultdict(list)
    for o in pool.mentors:
        mentors_by_form[o.form].append(o)
    for e in pool.mentees:
        mentees_by_form[e.form].append(e)
    mentor_form = {o.id: o.form for o in pool.mentors}
    mentee_form = {e.id: e.form for e in pool.mentees}
    excluded_per_mentee: Counter[int] = Counter()  # excluded mentors of the mentee's own form
    excluded_per_mentor: Counter[int] = Counter()
    for mentee_id, mentor_id in pool.excluded:
        form = mentee_form.get(mentee_id)
        if form is not None and form == mentor_form.get(mentor_id) and mentee_id != mentor_id:
            excluded_per_mentee[mentee_id] += 1
            excluded_per_mentor[mentor_id] += 1

    unmatched: list[Unmatched] = []
    for e in pool.mentees:
        if e.id in matched:
            continue
        same_form = mentors_by_form.get(e.form, [])
        is_mentor_too = mentor_form.get(e.id) == e.form
        if not same_form:
            reason = MSG_NO_MENTORS
        elif len(same_form) - excluded_per_mentee[e.id] - is_mentor_too > 0:
            reason = MSG_MENTORS_FULL
        elif excluded_per_mentee[e.id] > 0:
            reason = MSG_ALL_EXCLUDED
        else:
            reason = MSG_ONLY_SELF_MENTOR
        unmatched.append(Unmatched(e.id, "mentee", reason))
    for o in pool.mentors:
        free = o.capacity - taken[o.id]
        if free <= 0:
            continue
        same_form = mentees_by_form.get(o.form, [])
        is_mentee_too = mentee_form.get(o.id) == o.form
        if not same_form:
            reason = MSG_NO_MENTEES
        elif len(same_form) - excluded_per_mentor[o.id] - is_mentee_too > 0:
            reason = msg_free_places(free)
        elif excluded_per_mentor[o.id] > 0:
            reason = MSG_ALL_EXCLUDED
        else:
            reason = MSG_ONLY_SELF_MENTEE
        unmatched.append(Unmatched(o.id, "mentor", reason))

    return MatchResult(
        pairs=tuple(pairs),
        unmatched=tuple(unmatched),
        total_score=math.fsum(p.score for p in pairs),
    )


def solve_task(task: FormTask) -> list[tuple[int, int]]:
    """Optimal (row, column) pairs of one form: most mentees matched, then the highest total score."""
    n_rows = len(task.mentees)
    # A mentor never needs more slots than there are mentees.
    slot_counts = np.minimum(np.asarray(task.remaining, dtype=np.int64), n_rows)
    slot_mentor = np.repeat(np.arange(len(task.mentors)), slot_counts)
    if n_rows == 0 or slot_mentor.size == 0:
        return []
    k = min(n_rows, slot_mentor.size)
    spread = float(task.scores.max()) - min(float(task.scores.min()), 0.0)
    big = (spread + 1.0) * (k + 1)  # more than any sum of k scores: one more match always wins
    # A cost matrix (negated scores) built in place: at 5,000 people it is the biggest array we hold.
    cost = task.scores[:, slot_mentor]
    np.negative(cost, out=cost)
    has_forbidden = bool(task.forbidden.any())
    if has_forbidden:
        cost[task.forbidden[:, slot_mentor]] = big
    rows, slots = linear_sum_assignment(cost)
    del cost
    keep = ~task.forbidden[rows, slot_mentor[slots]] if has_forbidden else np.ones(rows.size, dtype=bool)
    return list(zip(rows[keep].tolist(), slot_mentor[slots[keep]].tolist(), strict=True))


def match(
    mentees: Iterable[MenteeProfile],
    mentors: Iterable[MentorProfile],
    weights: Weights | None = None,
    constraints: Constraints | None = None,
    labels: Mapping[str, str] | None = None,
) -> MatchResult:
    """Match the whole pool for the maximum total score under the hard rules (see the module docstring).

    `labels` maps option ids (topics, interests, clubs, days) to the Russian labels used in reasons.
    """
    pool = prepare(mentees, mentors, weights or Weights(), constraints or Constraints(), labels)
    chosen: list[tuple[MenteeProfile, MentorProfile]] = []
    for task in pool.tasks():
        for i, j in solve_task(task):
            chosen.append((task.mentees[i], task.mentors[j]))
    return build_result(pool, chosen)
