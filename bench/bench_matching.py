"""Benchmark: the matching solver against the greedy and Gale–Shapley baselines.

Generated pools of 50, 500 and 5,000 people (one mentor per three mentees, capacities 1–5, several forms,
requests/competencies/interests/clubs/days/preferences drawn with a fixed seed). For each pool and
algorithm: the total score, the share of mentees (of those who named someone) who got one of their top-3
preferred mentors, the number of mentees matched, and the best wall time of N runs.

Run from the repository root:  /tmp/venv/bin/python bench/bench_matching.py
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.matching import (
    MatchResult,
    MenteeProfile,
    MentorProfile,
    greedy_match,
    match,
    stable_match,
)

FORMS: list[tuple[str, float, str]] = [  # form, share of people, kind of topics
    ("педагог–обучающийся", 0.50, "child"),
    ("ученик–ученик", 0.25, "child"),
    ("студент–ученик", 0.10, "child"),
    ("учитель–учитель", 0.10, "teacher"),
    ("работодатель–ученик", 0.05, "child"),
]
TOPICS = {
    "child": [
        "robotics",
        "3d_modeling",
        "programming",
        "aviamodeling",
        "radio",
        "olympiad",
        "project",
        "competitions",
        "career",
        "confidence",
        "study_skills",
        "public_speaking",
    ],
    "teacher": [
        "methods",
        "classroom",
        "digital_tools",
        "documents",
        "projects_with_kids",
        "parents",
        "competitions",
        "self_education",
    ],
}
INTERESTS = ["games", "sport", "music", "drawing", "books", "cinema", "tourism", "chess", "science", "crafts"]
CLUBS = ["robotics", "3d", "programming", "aviamodels", "radio", "karting"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat"]
AGE_PREFS_CHILD = ["10_12", "13_15", "16_17", "any", "any"]
AGE_PREFS_TEACHER = ["adult", "any"]


def generate_pool(people: int, seed: int, one_form: bool = False) -> tuple[list[MenteeProfile], list[MentorProfile]]:
    """A pool of `people` (a quarter mentors); `one_form` puts everybody in the first form (the worst case)."""
    rng = random.Random(seed)
    n_mentors = max(1, round(people / 4))
    n_mentees = people - n_mentors
    form_names = [f for f, _, _ in FORMS]
    form_weights = [1.0] + [0.0] * (len(FORMS) - 1) if one_form else [w for _, w, _ in FORMS]
    kind = {f: k for f, _, k in FORMS}

    def sample(items: Sequence[str], low: int, high: int) -> frozenset[str]:
        return frozenset(rng.sample(items, rng.randint(low, high)))

    mentors_raw = []
    for idx in range(n_mentors):
        form = rng.choices(form_names, form_weights)[0]
        teacher = kind[form] == "teacher"
        mentors_raw.append(
            dict(
                id=100_000 + idx,
                form=form,
                name=f"Наставник {idx}",
                competencies=sample(TOPICS[kind[form]], 2, 5),
                interests=sample(INTERESTS, 1, 4),
                club=rng.choice(CLUBS) if rng.random() < 0.7 else None,
                age_preference=rng.choice(AGE_PREFS_TEACHER if teacher else AGE_PREFS_CHILD),
                free_days=sample(DAYS, 1, 4),
                capacity=rng.randint(1, 5),
                popularity=rng.lognormvariate(0, 0.8),
            )
        )
    mentees = []
    mentors_by_form: dict[str, list[dict]] = {}
    for o in mentors_raw:
        mentors_by_form.setdefault(o["form"], []).append(o)
    for idx in range(n_mentees):
        form = rng.choices(form_names, form_weights)[0]
        teacher = kind[form] == "teacher"
        requests = sample(TOPICS[kind[form]], 1, 3)
        club = None if teacher or rng.random() < 0.1 else rng.choice(CLUBS)
        preferences: tuple[int, ...] = ()
        candidates = mentors_by_form.get(form, [])
        if candidates and rng.random() < 0.75:
            # The mentors one met at the group meeting: a sample, favouring one's club and topics.
            met = rng.sample(candidates, min(25, len(candidates)))
            weights = [
                o["popularity"] * (1 + 3 * (o["club"] == club) + 2 * len(requests & o["competencies"])) for o in met
            ]
            chosen: list[int] = []
            for _ in range(min(rng.randint(1, 3), len(met))):
                k = rng.choices(range(len(met)), weights)[0]
                chosen.append(met[k]["id"])
                weights[k] = 0.0
                if not any(weights):
                    break
            preferences = tuple(chosen)
        mentees.append(
            MenteeProfile(
                id=1 + idx,
                form=form,
                name=f"Наставляемый {idx}",
                requests=requests,
                interests=sample(INTERESTS, 1, 4),
                club=club,
                age=None if teacher else rng.randint(10, 17),
                free_days=sample(DAYS, 1, 4),
                preferences=preferences,
            )
        )
    named_by: dict[int, list[MenteeProfile]] = {}
    mentees_by_form: dict[str, list[MenteeProfile]] = {}
    for e in mentees:
        mentees_by_form.setdefault(e.form, []).append(e)
        for mentor_id in e.preferences:
            named_by.setdefault(mentor_id, []).append(e)
    mentors = []
    for o in mentors_raw:
        preferences = ()
        pool = mentees_by_form.get(o["form"], [])
        if pool and rng.random() < 0.6:
            met = {e.id: e for e in rng.sample(pool, min(15, len(pool)))}
            met.update({e.id: e for e in named_by.get(o["id"], [])})
            people_met = sorted(met.values(), key=lambda e: e.id)
            weights = [
                1 + 4 * (o["id"] in e.preferences) + 2 * len(e.requests & o["competencies"]) + 2 * (e.club == o["club"])
                for e in people_met
            ]
            chosen = []
            for _ in range(min(rng.randint(1, 3), len(people_met))):
                k = rng.choices(range(len(people_met)), weights)[0]
                chosen.append(people_met[k].id)
                weights[k] = 0
                if not any(weights):
                    break
            preferences = tuple(chosen)
        o = {k: v for k, v in o.items() if k != "popularity"}
        mentors.append(MentorProfile(**o, preferences=preferences))
    return mentees, mentors


def best_time(fn: Callable[[], MatchResult], repeat: int) -> tuple[float, MatchResult]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    assert result is not None
    return best, result


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def machine() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy
    import scipy

    return (
        f"nproc {os.cpu_count()}, CPU {cpu}, Python {platform.python_version()}, "
        f"numpy {numpy.__version__}, scipy {scipy.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 5000])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--one-form", action="store_true", help="everybody in one form: one big matrix")
    args = parser.parse_args()

    algorithms = [("solver (match)", match), ("greedy", greedy_match), ("stable (Gale–Shapley)", stable_match)]
    print(f"Machine: {machine()}\n")
    print(
        "| people | mentees / mentors / places | algorithm | total score | top-3 share | matched | time (best of N) |"
    )
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        mentees, mentors = generate_pool(size, args.seed + size, args.one_form)
        places = sum(o.capacity for o in mentors)
        repeat = 5 if size <= 500 else 3
        for name, fn in algorithms:
            seconds, result = best_time(lambda fn=fn, e=mentees, o=mentors: fn(e, o), repeat)
            print(
                f"| {size:,} | {len(mentees):,} / {len(mentors):,} / {places:,} | {name} "
                f"| {result.total_score:,.1f} | {result.top3_share(mentees):.1%} "
                f"| {result.matched_count:,} | {fmt_time(seconds)} (N={repeat}) |"
            )


if __name__ == "__main__":
    main()
