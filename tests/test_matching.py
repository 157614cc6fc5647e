"""Tests of the matching domain: property tests on generated pools and hand-made examples."""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from bot.matching import (
    Constraints,
    MatchingError,
    MatchResult,
    MenteeProfile,
    MentorProfile,
    Reason,
    Weights,
    greedy_match,
    match,
    score_matrix,
    score_pair,
    stable_match,
)
from bot.matching.draft import decimal, reasons_text
from bot.matching.solver import (
    MSG_ALL_EXCLUDED,
    MSG_MENTORS_FULL,
    MSG_NO_MENTEES,
    MSG_NO_MENTORS,
    MSG_ONLY_SELF_MENTOR,
)

ALGORITHMS = [match, greedy_match, stable_match]
TOPICS = ["robotics", "3d", "code", "radio"]
DAYS = ["mon", "tue", "wed", "thu"]
CLUBS = [None, "c1", "c2"]
AGE_PREFS = [None, "10_12", "13_15", "16_17", "adult", "any"]
EPS = 1e-9

PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- generated pools ---------------------------------------------------------------------------------------


@st.composite
def pools(
    draw,
    *,
    max_mentees: int = 12,
    max_mentors: int = 6,
    forms: tuple[str, ...] = ("a", "b"),
    shared_ids: bool = True,
    excluded: bool = True,
    pinned: bool = True,
):
    """(mentees, mentors, constraints); ids may repeat across the two lists when `shared_ids`."""
    n_mentees = draw(st.integers(0, max_mentees))
    n_mentors = draw(st.integers(0, max_mentors))
    mentee_ids = draw(st.lists(st.integers(1, 20), min_size=n_mentees, max_size=n_mentees, unique=True))
    if shared_ids:
        mentor_ids = draw(st.lists(st.integers(1, 20), min_size=n_mentors, max_size=n_mentors, unique=True))
    else:
        mentor_ids = draw(st.lists(st.integers(101, 120), min_size=n_mentors, max_size=n_mentors, unique=True))
    subset = st.frozensets(st.sampled_from(TOPICS), max_size=3)
    days = st.frozensets(st.sampled_from(DAYS), max_size=4)
    form = st.sampled_from(forms)

    def prefs(ids):
        return st.lists(st.sampled_from(ids), max_size=3, unique=True).map(tuple) if ids else st.just(())

    mentees = [
        MenteeProfile(
            id=i,
            form=draw(form),
            name=f"e{i}",
            requests=draw(subset),
            interests=draw(subset),
            club=draw(st.sampled_from(CLUBS)),
            age=draw(st.one_of(st.none(), st.integers(9, 30))),
            free_days=draw(days),
            preferences=draw(prefs(mentor_ids)),
        )
        for i in mentee_ids
    ]
    mentors = [
        MentorProfile(
            id=j,
            form=draw(form),
            name=f"o{j}",
            competencies=draw(subset),
            interests=draw(subset),
            club=draw(st.sampled_from(CLUBS)),
            age_preference=draw(st.sampled_from(AGE_PREFS)),
            free_days=draw(days),
            capacity=draw(st.integers(1, 3)),
            preferences=draw(prefs(mentee_ids)),
        )
        for j in mentor_ids
    ]
    all_pairs = [(e, o) for e in mentee_ids for o in mentor_ids]
    excl: frozenset[tuple[int, int]] = frozenset()
    if excluded and all_pairs:
        excl = frozenset(draw(st.lists(st.sampled_from(all_pairs), max_size=len(all_pairs) // 2)))
    pins: set[tuple[int, int]] = set()
    if pinned and all_pairs:
        wanted = draw(st.lists(st.sampled_from(all_pairs), max_size=4))
        form_of_e = {e.id: e.form for e in mentees}
        by_id_o = {o.id: o for o in mentors}
        used: Counter[int] = Counter()
        for e_id, o_id in wanted:  # keep only pins that respect the hard rules
            o = by_id_o[o_id]
            if (
                e_id != o_id
                and form_of_e[e_id] == o.form
                and (e_id, o_id) not in excl
                and all(p[0] != e_id for p in pins)
                and used[o_id] < o.capacity
            ):
                pins.add((e_id, o_id))
                used[o_id] += 1
    return mentees, mentors, Constraints(pinned=frozenset(pins), excluded=excl)


def check_hard_rules(result: MatchResult, mentees, mentors, constraints: Constraints) -> None:
    mentee_by_id = {e.id: e for e in mentees}
    mentor_by_id = {o.id: o for o in mentors}
    seen = Counter(p.mentee_id for p in result.pairs)
    assert all(c == 1 for c in seen.values()), "a mentee has two mentors"
    load = Counter(p.mentor_id for p in result.pairs)
    for pair in result.pairs:
        e, o = mentee_by_id[pair.mentee_id], mentor_by_id[pair.mentor_id]
        assert e.form == o.form
        assert e.id != o.id
        assert (e.id, o.id) not in constraints.excluded
        assert pair.pinned == ((e.id, o.id) in constraints.pinned)
        score, reasons = score_pair(e, o, Weights())
        assert pair.score == score and pair.reasons == reasons
    for mentor_id, n in load.items():
        assert n <= mentor_by_id[mentor_id].capacity
    present = {(p.mentee_id, p.mentor_id) for p in result.pairs}
    assert constraints.pinned <= present
    assert result.total_score == pytest.approx(math.fsum(p.score for p in result.pairs), abs=EPS)
    # Everybody is accounted for: a mentee is matched or unmatched, a mentor with room is listed.
    unmatched_mentees = {u.person_id for u in result.unmatched if u.role == "mentee"}
    assert unmatched_mentees == set(mentee_by_id) - set(seen)
    unmatched_mentors = {u.person_id for u in result.unmatched if u.role == "mentor"}
    assert unmatched_mentors == {o.id for o in mentors if load[o.id] < o.capacity}
    assert all(u.reason for u in result.unmatched)


def max_matchable(mentees, mentors, constraints: Constraints) -> int:
    """Maximum number of matched mentees, by max-flow on slots (an independent check of the solver)."""
    pinned_mentees = {e for e, _ in constraints.pinned}
    used = Counter(o for _, o in constraints.pinned)
    rows = [e for e in mentees if e.id not in pinned_mentees]
    slots = [o for o in mentors for _ in range(o.capacity - used[o.id])]
    if not rows or not slots:
        return len(constraints.pinned)
    adj = np.array(
        [[e.form == o.form and e.id != o.id and (e.id, o.id) not in constraints.excluded for o in slots] for e in rows],
        dtype=np.int8,
    )
    matching = maximum_bipartite_matching(csr_matrix(adj), perm_type="column")
    return len(constraints.pinned) + int((matching >= 0).sum())


def key(result: MatchResult) -> tuple[int, float]:
    return result.matched_count, result.total_score


# --- properties --------------------------------------------------------------------------------------------


@PROPERTY
@given(pools())
def test_hard_rules_hold_for_every_algorithm(pool):
    mentees, mentors, constraints = pool
    for algorithm in ALGORITHMS:
        check_hard_rules(algorithm(mentees, mentors, constraints=constraints), mentees, mentors, constraints)


@PROPERTY
@given(pools())
def test_solver_matches_the_maximum_number(pool):
    mentees, mentors, constraints = pool
    assert match(mentees, mentors, constraints=constraints).matched_count == max_matchable(
        mentees, mentors, constraints
    )


@PROPERTY
@given(pools(shared_ids=False, excluded=False))
def test_matched_count_is_min_of_mentees_and_places_per_form(pool):
    mentees, mentors, constraints = pool
    result = match(mentees, mentors, constraints=constraints)
    form_of = {e.id: e.form for e in mentees}
    matched = Counter(form_of[p.mentee_id] for p in result.pairs)
    for form in {e.form for e in mentees}:
        n_mentees = sum(1 for e in mentees if e.form == form)
        places = sum(o.capacity for o in mentors if o.form == form)
        assert matched[form] == min(n_mentees, places)


@PROPERTY
@given(pools(shared_ids=False, excluded=False))
def test_solver_total_at_least_baselines_when_all_pairs_allowed(pool):
    mentees, mentors, constraints = pool
    best = match(mentees, mentors, constraints=constraints)
    for baseline in (greedy_match, stable_match):
        other = baseline(mentees, mentors, constraints=constraints)
        assert other.matched_count == best.matched_count
        assert best.total_score >= other.total_score - EPS


@PROPERTY
@given(pools())
def test_solver_beats_baselines_lexicographically(pool):
    # With exclusions more matched people can cost score (see test_more_matched_beats_higher_score),
    # so the solver's objective is (matched count, total score), compared in that order.
    mentees, mentors, constraints = pool
    best = match(mentees, mentors, constraints=constraints)
    for baseline in (greedy_match, stable_match):
        other = baseline(mentees, mentors, constraints=constraints)
        assert best.matched_count >= other.matched_count
        if best.matched_count == other.matched_count:
            assert best.total_score >= other.total_score - EPS


@settings(max_examples=60, deadline=None)
@given(pools(max_mentees=5, max_mentors=3))
def test_solver_is_optimal_against_brute_force(pool):
    mentees, mentors, constraints = pool
    pinned_mentor = dict(constraints.pinned)
    capacity = {o.id: o.capacity for o in mentors}
    options = []
    for e in mentees:
        if e.id in pinned_mentor:
            options.append([pinned_mentor[e.id]])
            continue
        allowed = [
            o.id for o in mentors if o.form == e.form and o.id != e.id and (e.id, o.id) not in constraints.excluded
        ]
        options.append([None, *allowed])
    scores = {(e.id, o.id): score_pair(e, o)[0] for e in mentees for o in mentors}
    best = (0, 0.0)
    for choice in itertools.product(*options):
        load = Counter(c for c in choice if c is not None)
        if any(load[m] > capacity[m] for m in load):
            continue
        chosen = [(e.id, c) for e, c in zip(mentees, choice, strict=True) if c is not None]
        value = (len(chosen), math.fsum(scores[p] for p in chosen))
        if value[0] > best[0] or (value[0] == best[0] and value[1] > best[1]):
            best = value
    count, total = key(match(mentees, mentors, constraints=constraints))
    assert count == best[0]
    assert total == pytest.approx(best[1], abs=EPS)


@PROPERTY
@given(pools(), st.randoms(use_true_random=False))
def test_same_input_in_any_order_gives_identical_output(pool, rnd):
    mentees, mentors, constraints = pool
    for algorithm in ALGORITHMS:
        first = algorithm(mentees, mentors, constraints=constraints)
        shuffled_mentees, shuffled_mentors = list(mentees), list(mentors)
        rnd.shuffle(shuffled_mentees)
        rnd.shuffle(shuffled_mentors)
        assert algorithm(shuffled_mentees, shuffled_mentors, constraints=constraints) == first


@PROPERTY
@given(pools(excluded=False, pinned=False))
def test_score_matrix_equals_score_pair(pool):
    mentees, mentors, _ = pool
    weights = Weights(request_competency=0.7, interests=0.3, club=1.1, free_days=0.9, mutual_preference=5.3)
    matrix = score_matrix(mentees, mentors, weights)
    assert matrix.shape == (len(mentees), len(mentors))
    for i, e in enumerate(mentees):
        for j, o in enumerate(mentors):
            assert matrix[i, j] == score_pair(e, o, weights)[0]  # bit-identical, not just close


@PROPERTY
@given(pools())
def test_stable_match_has_no_blocking_pair(pool):
    mentees, mentors, constraints = pool
    result = stable_match(mentees, mentors, constraints=constraints)
    mentor_of = {p.mentee_id: p.mentor_id for p in result.pairs}
    held: dict[int, list[int]] = {}
    for p in result.pairs:
        held.setdefault(p.mentor_id, []).append(p.mentee_id)
    by_e = {e.id: e for e in mentees}
    by_o = {o.id: o for o in mentors}

    def s(e_id, o_id):  # score with the tie-break on ids used by the baseline: higher is better
        return score_pair(by_e[e_id], by_o[o_id])[0]

    for e in mentees:
        if e.id in dict(constraints.pinned):
            continue
        for o in mentors:
            if o.form != e.form or o.id == e.id or (e.id, o.id) in constraints.excluded:
                continue
            current = mentor_of.get(e.id)
            if current == o.id:
                continue
            mentee_wants = current is None or (s(e.id, o.id), -o.id) > (s(e.id, current), -current)
            if not mentee_wants:
                continue
            movable = [m for m in held.get(o.id, []) if (m, o.id) not in constraints.pinned]
            has_room = len(held.get(o.id, [])) < o.capacity
            mentor_wants = has_room or any((s(e.id, o.id), -e.id) > (s(m, o.id), -m) for m in movable)
            assert not mentor_wants, f"blocking pair {e.id}–{o.id}"


# --- examples ----------------------------------------------------------------------------------------------

LABELS = {
    "robotics": "Робототехника",
    "3d": "3D-моделирование",
    "chess": "Шахматы",
    "games": "Настольные игры",
    "club_robo": "кружок «Робототехника»",
    "mon": "понедельник",
    "wed": "среда",
}


def mentee(id_: int, form: str = "педагог–обучающийся", **kw) -> MenteeProfile:
    return MenteeProfile(id=id_, form=form, name=f"Наставляемый {id_}", **kw)


def mentor(id_: int, form: str = "педагог–обучающийся", **kw) -> MentorProfile:
    return MentorProfile(id=id_, form=form, name=f"Наставник {id_}", **kw)


def test_reasons_of_a_hand_made_pair():
    e = mentee(
        1,
        requests=frozenset({"robotics", "3d", "code"}),
        interests=frozenset({"chess", "games", "music"}),
        club="club_robo",
        age=12,
        free_days=frozenset({"mon", "wed", "fri"}),
        preferences=(50, 7),
    )
    o = mentor(
        7,
        competencies=frozenset({"robotics", "3d"}),
        interests=frozenset({"chess", "games"}),
        club="club_robo",
        age_preference="10_12",
        free_days=frozenset({"wed", "mon"}),
        capacity=2,
        preferences=(1,),
    )
    score, reasons = score_pair(e, o, Weights(), LABELS)
    assert reasons == (
        Reason("взаимный выбор (№2 у наставляемого, №1 у наставника)", 6.0 * (2 / 3 + 1) / 2),
        Reason("совпадает запрос: 3D-моделирование", 3.0),
        Reason("совпадает запрос: Робототехника", 3.0),
        Reason("общие интересы: Шахматы, Настольные игры", 2.0),
        Reason("один кружок: кружок «Робототехника»", 1.5),
        Reason("возраст подходит наставнику (10–12 лет)", 1.0),
        Reason("общие свободные дни: понедельник, среда", 1.0),
    )
    assert score == pytest.approx(3 + 3 + 5 + 2 + 1.5 + 1 + 1)


def test_reason_texts_for_preferences_and_fallback_labels():
    e = mentee(1, requests=frozenset({"radio"}), preferences=(7,), free_days=frozenset({"sat"}))
    o = mentor(7, competencies=frozenset({"radio"}), preferences=(1,), free_days=frozenset({"sat"}))
    _, reasons = score_pair(e, o)
    texts = [r.text for r in reasons]
    assert texts == ["взаимный выбор №1", "совпадает запрос: radio", "общие свободные дни: sat"]
    assert reasons[2].points == 0.5  # one common day is half the free-days weight

    e2 = mentee(2, preferences=(8, 9, 7))
    _, reasons = score_pair(e2, o)
    assert [r.text for r in reasons] == ["выбор наставляемого: №3"]
    assert reasons[0].points == pytest.approx(2.5 / 2)
    o2 = mentor(8, preferences=(5, 2), age_preference="any")
    _, reasons = score_pair(e2, o2)
    assert [r.text for r in reasons] == [
        "взаимный выбор (№1 у наставляемого, №2 у наставника)",
        "наставник готов работать с любым возрастом",
    ]
    _, reasons = score_pair(mentee(5), o2)
    assert [r.text for r in reasons] == [
        "выбор наставника: №1",
        "наставник готов работать с любым возрастом",
    ]


def test_the_preference_comes_first_and_the_reasons_add_up_to_the_score():
    """A one-sided third choice (1,25 points) is still the first reason, before a request worth 3; the points
    of the reasons, as the draft prints them (decimal commas), add up to the score."""
    e = mentee(1, requests=frozenset({"radio", "code"}), club="c", free_days=frozenset({"sat"}), preferences=(8, 9, 7))
    o = mentor(7, competencies=frozenset({"radio", "code"}), club="c", free_days=frozenset({"sat"}))
    score, reasons = score_pair(e, o)
    assert [r.text for r in reasons] == [
        "выбор наставляемого: №3",
        "совпадает запрос: code",
        "совпадает запрос: radio",
        "один кружок: c",
        "общие свободные дни: sat",
    ]
    assert math.fsum(r.points for r in reasons) == pytest.approx(score)
    assert reasons_text(reasons) == (
        "выбор наставляемого: №3 (+1,25); совпадает запрос: code (+3); совпадает запрос: radio (+3); "
        "один кружок: c (+1,5); общие свободные дни: sat (+0,5)"
    )
    assert decimal(score) == "9,25"
    o2 = mentor(8, competencies=frozenset({"radio"}), preferences=(1,))
    _, reasons = score_pair(e, o2)
    assert reasons_text(reasons) == "взаимный выбор №1 (+6); совпадает запрос: radio (+3)"


def test_mutual_rank_one_is_worth_more_than_rank_three():
    o = mentor(7, preferences=(1, 2, 3))
    first, _ = score_pair(mentee(1, preferences=(7,)), o)
    third, _ = score_pair(mentee(3, preferences=(8, 9, 7)), o)
    assert first == 6.0
    assert first > third > 0


def test_mutual_first_choice_wins_over_a_slightly_better_topical_fit():
    # Mentee 1 fits mentor 10 by two topics and mentor 11 by one, but 1 and 11 chose each other first.
    e1 = mentee(1, requests=frozenset({"robotics", "3d"}), preferences=(11,))
    e2 = mentee(2, requests=frozenset({"robotics"}))
    o10 = mentor(10, competencies=frozenset({"robotics", "3d"}))
    o11 = mentor(11, competencies=frozenset({"robotics"}), preferences=(1,))
    result = match([e1, e2], [o10, o11], labels=LABELS)
    assert result.mentor_of(1) == 11
    assert result.mentor_of(2) == 10
    pair = result.groups()[11][0]
    assert pair.reasons[0].text == "взаимный выбор №1"
    assert result.top3_share([e1, e2]) == 1.0


def test_a_mentee_with_zero_score_is_still_matched():
    result = match([mentee(1)], [mentor(2)])
    assert [(p.mentee_id, p.mentor_id, p.score, p.reasons) for p in result.pairs] == [(1, 2, 0.0, ())]
    assert result.unmatched == ()


def test_more_matched_beats_higher_score():
    # Greedy takes the 3-point pair 1–10 and leaves mentee 2 alone; the solver matches both.
    e1 = mentee(1, requests=frozenset({"robotics"}))
    e2 = mentee(2)
    o10 = mentor(10, competencies=frozenset({"robotics"}))
    o11 = mentor(11)
    constraints = Constraints(excluded=frozenset({(2, 11)}))
    best = match([e1, e2], [o10, o11], constraints=constraints)
    greedy = greedy_match([e1, e2], [o10, o11], constraints=constraints)
    assert {(p.mentee_id, p.mentor_id) for p in best.pairs} == {(1, 11), (2, 10)}
    assert (greedy.matched_count, greedy.total_score) == (1, 3.0)
    assert (best.matched_count, best.total_score) == (2, 0.0)


def test_unmatched_reasons():
    mentees = [
        mentee(1, form="учитель–учитель"),  # nobody of this form mentors
        mentee(2, requests=frozenset({"robotics"})),
        mentee(3),  # the only mentor left for 3 is excluded
        mentee(4),  # all places taken
        mentee(20, form="студент–ученик"),  # the only mentor of this form is 20 themselves
    ]
    mentors = [
        mentor(10, competencies=frozenset({"robotics"}), capacity=1),
        mentor(11, capacity=1),
        mentor(12, form="работодатель–ученик", capacity=2),  # no mentees of this form
        mentor(20, form="студент–ученик", capacity=3),
    ]
    constraints = Constraints(excluded=frozenset({(3, 10), (3, 11)}))
    result = match(mentees, mentors, constraints=constraints)
    assert {(p.mentee_id, p.mentor_id) for p in result.pairs} == {(2, 10), (4, 11)}
    reasons = {(u.role, u.person_id): u.reason for u in result.unmatched}
    assert reasons == {
        ("mentee", 1): MSG_NO_MENTORS,
        ("mentee", 3): MSG_ALL_EXCLUDED,
        ("mentee", 20): MSG_ONLY_SELF_MENTOR,
        ("mentor", 12): MSG_NO_MENTEES,
        ("mentor", 20): "единственный наставляемый этой формы — сам участник",
    }
    assert MSG_NO_MENTORS == "нет наставников этой формы"
    assert MSG_ALL_EXCLUDED == "все возможные пары исключены куратором"

    busy = match([mentee(1), mentee(2), mentee(3)], [mentor(10, capacity=2)])
    assert [(u.person_id, u.reason) for u in busy.unmatched] == [(3, MSG_MENTORS_FULL)]
    assert MSG_MENTORS_FULL == "все наставники заняты (места закончились)"

    roomy = match([mentee(1)], [mentor(10, capacity=3)])
    assert [(u.person_id, u.role, u.reason) for u in roomy.unmatched] == [(10, "mentor", "остались свободные места: 2")]


def test_pinned_pair_stays_even_when_worse_and_uses_capacity():
    e1 = mentee(1, requests=frozenset({"robotics"}))
    e2 = mentee(2, requests=frozenset({"robotics"}))
    o10 = mentor(10, competencies=frozenset({"robotics"}), capacity=1)
    o11 = mentor(11, capacity=1)
    result = match([e1, e2], [o10, o11], constraints=Constraints(pinned=frozenset({(1, 11)})))
    assert {(p.mentee_id, p.mentor_id, p.pinned) for p in result.pairs} == {(1, 11, True), (2, 10, False)}


@pytest.mark.parametrize(
    ("constraints", "fragment"),
    [
        (Constraints(pinned=frozenset({(1, 12)})), "формы разные"),
        (Constraints(pinned=frozenset({(1, 10), (2, 10)})), "id 10\\): 2, а мест: 1"),
        (Constraints(pinned=frozenset({(1, 10)}), excluded=frozenset({(1, 10)})), "исключена куратором"),
        (Constraints(pinned=frozenset({(1, 10), (1, 11)})), "две закреплённые пары"),
        (Constraints(pinned=frozenset({(1, 99)})), "нет наставника с id 99"),
        (Constraints(pinned=frozenset({(99, 10)})), "нет наставляемого с id 99"),
        (Constraints(pinned=frozenset({(11, 11)})), "сам себе"),
    ],
)
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_broken_pinned_pairs_raise(algorithm, constraints, fragment):
    mentees = [mentee(1), mentee(2), mentee(11)]
    mentors = [mentor(10), mentor(11), mentor(12, form="ученик–ученик")]
    with pytest.raises(MatchingError, match=fragment) as info:
        algorithm(mentees, mentors, constraints=constraints)
    assert info.value.user_text == str(info.value)


def test_duplicate_ids_and_bad_input_raise():
    with pytest.raises(MatchingError, match="В списке наставляемых id 1 встречается 2 раза"):
        match([mentee(1), mentee(1)], [mentor(10)])
    with pytest.raises(ValueError):
        mentor(10, capacity=0)
    with pytest.raises(ValueError):
        mentor(10, age_preference="kids")
    with pytest.raises(ValueError):
        Weights(club=-1.0)


def test_nobody_is_their_own_mentor():
    # Person 5 is both a mentee and a mentor of the same form (an older student).
    result = match([mentee(5), mentee(6)], [mentor(5, capacity=1), mentor(7, capacity=1)])
    assert {(p.mentee_id, p.mentor_id) for p in result.pairs} == {(5, 7), (6, 5)}


def test_empty_inputs():
    assert match([], []) == MatchResult(pairs=(), unmatched=(), total_score=0.0)
    result = match([mentee(1)], [])
    assert [u.reason for u in result.unmatched] == [MSG_NO_MENTORS]
    assert result.top3_share([mentee(1)]) == 0.0


def test_groups_and_top3_share():
    mentees = [mentee(i, preferences=(10,) if i < 4 else (11,)) for i in range(1, 6)]
    result = match(mentees, [mentor(10, capacity=3), mentor(11, capacity=3)])
    groups = result.groups()
    assert list(groups) == [10, 11]
    assert [p.mentee_id for p in groups[10]] == [1, 2, 3]
    assert [p.mentee_id for p in groups[11]] == [4, 5]
    assert result.top3_share(mentees) == 1.0
    assert result.top3_share([mentee(9)]) == 0.0


def test_large_pool_is_fast_enough_and_deterministic():
    rng = random.Random(7)
    forms = ["a", "b", "c"]
    mentees = [
        mentee(
            i,
            form=rng.choice(forms),
            requests=frozenset(rng.sample(TOPICS, 2)),
            free_days=frozenset(rng.sample(DAYS, 2)),
        )
        for i in range(1, 601)
    ]
    mentors = [
        mentor(
            1000 + j,
            form=rng.choice(forms),
            competencies=frozenset(rng.sample(TOPICS, 2)),
            free_days=frozenset(rng.sample(DAYS, 2)),
            capacity=rng.randint(1, 5),
        )
        for j in range(200)
    ]
    first = match(mentees, mentors)
    rng.shuffle(mentees)
    assert match(mentees, list(reversed(mentors))) == first
    assert first.total_score >= greedy_match(mentees, mentors).total_score - EPS
