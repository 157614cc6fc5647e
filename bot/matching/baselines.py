"""Two simple matchers to compare the solver with; same signature, same hard rules, same result type.

- `greedy_match`: take the feasible pairs from the highest score down (ties: lower mentee id, then lower
  mentor id) while both sides have room.
- `stable_match`: mentee-proposing Gale–Shapley with mentor capacities. Each mentee ranks the feasible
  mentors of their form by score (ties: lower id first); each mentor ranks mentees the same way and keeps
  the best proposals up to their free places. The result is stable with respect to those score-derived lists.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping

import numpy as np

from bot.matching.model import Constraints, MatchResult, MenteeProfile, MentorProfile, Weights
from bot.matching.solver import FormTask, build_result, prepare


def _greedy_task(task: FormTask) -> list[tuple[int, int]]:
    scores, forbidden = task.scores, task.forbidden
    n_rows = scores.shape[0]
    rows, cols = np.nonzero(~forbidden)
    order = np.lexsort((cols, rows, -scores[rows, cols]))  # the last key is the primary one
    remaining = list(task.remaining)
    room = sum(remaining)
    done = [False] * n_rows
    chosen: list[tuple[int, int]] = []
    limit = min(n_rows, room)
    for i, j in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        if len(chosen) == limit:
            break
        if done[i] or remaining[j] == 0:
            continue
        done[i] = True
        remaining[j] -= 1
        chosen.append((i, j))
    return chosen


def _stable_task(task: FormTask) -> list[tuple[int, int]]:
    scores, forbidden = task.scores, task.forbidden
    n_rows, _ = scores.shape
    # Each mentee's mentors, best first; a stable sort on -score keeps lower ids (columns) first on ties.
    ranked = np.argsort(-scores, axis=1, kind="stable")
    next_choice = [0] * n_rows
    held: list[list[tuple[float, int]]] = [[] for _ in task.mentors]  # min-heaps of (score, -row)
    free = list(range(n_rows - 1, -1, -1))  # a stack; lower ids propose first
    while free:
        i = free.pop()
        row_order = ranked[i]
        while next_choice[i] < row_order.size:
            j = int(row_order[next_choice[i]])
            next_choice[i] += 1
            if forbidden[i, j]:
                continue
            offer = (float(scores[i, j]), -i)
            heap = held[j]
            if len(heap) < task.remaining[j]:
                heapq.heappush(heap, offer)
                break
            if offer > heap[0]:  # the mentor prefers the newcomer to their worst current mentee
                _, rejected = heapq.heapreplace(heap, offer)
                free.append(-rejected)
                break
        # a mentee who ran out of mentors stays unmatched
    return [(-neg_row, j) for j, heap in enumerate(held) for _, neg_row in heap]


def _run(task_solver, mentees, mentors, weights, constraints, labels) -> MatchResult:
    pool = prepare(mentees, mentors, weights or Weights(), constraints or Constraints(), labels)
    chosen: list[tuple[MenteeProfile, MentorProfile]] = []
    for task in pool.tasks():
        for i, j in task_solver(task):
            chosen.append((task.mentees[i], task.mentors[j]))
    return build_result(pool, chosen)


def greedy_match(
    mentees: Iterable[MenteeProfile],
    mentors: Iterable[MentorProfile],
    weights: Weights | None = None,
    constraints: Constraints | None = None,
    labels: Mapping[str, str] | None = None,
) -> MatchResult:
    """Highest-scoring feasible pairs first (a baseline for the solver)."""
    return _run(_greedy_task, mentees, mentors, weights, constraints, labels)


def stable_match(
    mentees: Iterable[MenteeProfile],
    mentors: Iterable[MentorProfile],
    weights: Weights | None = None,
    constraints: Constraints | None = None,
    labels: Mapping[str, str] | None = None,
) -> MatchResult:
    """Mentee-proposing Gale–Shapley with capacities, preference lists from scores (a baseline)."""
    return _run(_stable_task, mentees, mentors, weights, constraints, labels)
