"""The shipped monitoring questionnaires (roadmap 4.6, 5.2–5.4): quality, growth and final surveys."""

from __future__ import annotations

import pytest

from bot.questionnaires import DATA_DIR, Questionnaire, QuestionType, load_directory, load_questionnaire

MONITORING = ("quality_mentee", "quality_mentor", "growth", "final_mentee", "final_mentor")
MENTEES = ("mentee_pupil", "mentee_teacher")
# Rated by both sides: a report compares mentees' and mentors' means per item by these ids.
SHARED_SCALES = (
    "effectiveness",
    "comfort",
    "help",
    "satisfaction",
    "expectations",
    "group_use",
    "individual_use",
    "support",
    "clarity",
)
GROWTH_IDS = ("motivation", "confidence", "skills", "communication")


@pytest.fixture(scope="module")
def shipped() -> dict[str, Questionnaire]:
    return load_directory()


def _scales(qn: Questionnaire) -> dict[str, tuple[int | None, int | None]]:
    return {q.id: (q.min_value, q.max_value) for q in qn.questions if q.type is QuestionType.SCALE}


def test_monitoring_files_load(shipped: dict[str, Questionnaire]) -> None:
    assert set(MONITORING) <= set(shipped)
    for name in MONITORING:
        assert load_questionnaire(DATA_DIR / f"{name}.toml") == shipped[name]
        qn = shipped[name]
        assert qn.version >= 1 and qn.intro and qn.title


def test_roles_and_audiences(shipped: dict[str, Questionnaire]) -> None:
    assert shipped["quality_mentee"].roles == MENTEES
    assert shipped["quality_mentor"].roles == ("mentor",)
    assert shipped["growth"].roles == ("all",)
    assert shipped["final_mentee"].roles == MENTEES
    assert shipped["final_mentor"].roles == ("mentor",)
    # Pupils and adults answer the same monitoring questionnaires (mentors may be senior pupils too): their
    # texts are worded without «ты» and «вы» (tests/test_questionnaires.py checks the wording).
    for name in ("quality_mentee", "quality_mentor", "growth", "final_mentee", "final_mentor"):
        assert shipped[name].audience == "any", name
    for role in (*MENTEES, "mentor"):
        assert shipped["growth"].is_for(role)
    assert not shipped["quality_mentee"].is_for("mentor")
    assert not shipped["quality_mentor"].is_for("mentee_pupil")


def test_no_question_asks_for_a_name(shipped: dict[str, Questionnaire]) -> None:
    # The bot already knows who answers: a monitoring survey collects no identifying data of its own.
    for name in MONITORING:
        assert not shipped[name].has_question("name")
        assert not any(q.type is QuestionType.NUMBER for q in shipped[name].questions)


def test_every_scale_is_1_to_10(shipped: dict[str, Questionnaire]) -> None:
    for name in MONITORING:
        scales = _scales(shipped[name])
        assert scales, name
        for qid, bounds in scales.items():
            assert bounds == (1, 10), (name, qid)


def test_quality_scales_share_ids_and_captions(shipped: dict[str, Questionnaire]) -> None:
    mentee, mentor = shipped["quality_mentee"], shipped["quality_mentor"]
    both = set(_scales(mentee)) & set(_scales(mentor))
    assert set(SHARED_SCALES) <= both
    for qid in SHARED_SCALES:
        # Same caption on both sides, so a comparison table has one row label per item.
        assert mentee.question(qid).short == mentor.question(qid).short, qid
        assert mentee.question(qid).short
    assert {"planned", "plan_done", "coped"} <= set(_scales(mentor))
    assert not {"planned", "plan_done", "coped"} & set(_scales(mentee))


def test_quality_choice_questions(shipped: dict[str, Questionnaire]) -> None:
    mentee, mentor = shipped["quality_mentee"], shipped["quality_mentor"]
    for qn in (mentee, mentor):
        for qid in ("glad", "continue"):
            q = qn.question(qid)
            assert (q.type, q.option_ids) == (QuestionType.SINGLE, ("yes", "no")), (qn.id, qid)
        freq = qn.question("frequency")
        assert freq.type is QuestionType.SINGLE
        assert freq.option_ids == ("weekly", "twice_month", "monthly", "other")
        for qid in ("valuable", "missing"):
            q = qn.question(qid)
            assert q.type is QuestionType.TEXT and not q.required and q.personal
    assert mentee.question("become_mentor").option_ids == ("yes", "no")
    assert not mentor.has_question("become_mentor")


def test_growth_has_the_four_self_assessment_items(shipped: dict[str, Questionnaire]) -> None:
    qn = shipped["growth"]
    assert tuple(q.id for q in qn.questions) == GROWTH_IDS
    assert all(q.required and q.short for q in qn.questions)


def test_final_surveys(shipped: dict[str, Questionnaire]) -> None:
    mentee, mentor = shipped["final_mentee"], shipped["final_mentor"]
    assert set(_scales(mentee)) == {"satisfaction", "mentor_rating"}
    assert set(_scales(mentor)) == {"satisfaction"}
    assert mentee.question("nominate").option_ids == ("yes", "no")
    for qn in (mentee, mentor):
        assert qn.question("continue").option_ids == ("yes", "no", "unsure")
        reflection = qn.question("reflection")
        assert reflection.type is QuestionType.TEXT and not reflection.required and reflection.personal


def test_labels_fit_buttons(shipped: dict[str, Questionnaire]) -> None:
    for name in MONITORING:
        for q in shipped[name].questions:
            assert q.short and len(q.short) <= 40, (name, q.id)
            for opt in q.options:
                assert len(opt.id) <= 16 and len(opt.label) <= 40, (name, q.id, opt.id)
