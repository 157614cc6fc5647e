"""Questionnaires: shipped data, loader validation, answer parsing and flow helpers."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from bot.i18n import Audience, tr
from bot.questionnaires import (
    MENTOR_COMPETENCIES,
    REQUEST_TOPICS,
    TEACHER_DIFFICULTIES,
    InvalidAnswer,
    Option,
    Question,
    Questionnaire,
    QuestionnaireError,
    QuestionType,
    format_value,
    is_complete,
    load_directory,
    load_questionnaire,
    load_vocabulary,
    next_unanswered,
    parse_text,
    summary_rows,
    toggle,
    uncovered_requests,
    validate_value,
)
from bot.questionnaires.loader import DATA_DIR

SHIPPED = ("intake_mentee_pupil", "intake_mentee_teacher", "intake_mentor")


@pytest.fixture(scope="module")
def shipped() -> dict[str, Questionnaire]:
    return load_directory()


# ------------------------------------------------------------------------------------------ shipped files


def test_shipped_questionnaires_load(shipped: dict[str, Questionnaire]) -> None:
    assert set(SHIPPED) <= set(shipped)
    assert shipped["intake_mentee_pupil"].roles == ("mentee_pupil",)
    assert shipped["intake_mentee_teacher"].roles == ("mentee_teacher",)
    assert shipped["intake_mentor"].roles == ("mentor",)
    assert shipped["intake_mentee_pupil"].audience == "pupil"
    assert shipped["intake_mentee_teacher"].audience == "adult"
    assert shipped["intake_mentor"].audience == "any"  # a mentor may be a senior pupil
    for qn in shipped.values():
        assert qn.version >= 1
        assert qn.intro
        for q in qn.questions:
            for opt in q.options:
                assert len(opt.label) <= 40, (qn.id, q.id, opt.label)
            if q.type is QuestionType.TEXT:
                assert q.personal
    for name in SHIPPED:  # intake surveys: the bases need the name and the full profile
        qn = shipped[name]
        assert len(qn.questions) >= 8
        assert qn.question("name").personal
        assert qn.question("name").type is QuestionType.TEXT


def test_shipped_files_load_one_by_one(shipped: dict[str, Questionnaire]) -> None:
    for name in SHIPPED:
        assert load_questionnaire(DATA_DIR / f"{name}.toml") == shipped[name]


def test_pupil_questionnaire_shape(shipped: dict[str, Questionnaire]) -> None:
    qn = shipped["intake_mentee_pupil"]
    age = qn.question("age")
    assert (age.type, age.min_value, age.max_value) == (QuestionType.NUMBER, 7, 25)
    assert qn.question("request").options_from == REQUEST_TOPICS
    assert not qn.question("expectations").required
    assert 8 <= len(qn.questions) <= 10


def test_mentor_capacity_is_a_number_1_to_5_with_buttons(shipped: dict[str, Questionnaire]) -> None:
    cap = shipped["intake_mentor"].question("capacity")
    assert (cap.type, cap.min_value, cap.max_value) == (QuestionType.NUMBER, 1, 5)
    assert cap.has_buttons
    assert format_value(cap, 2) == "2"  # a count, not a rating: no «из 5»


def test_every_mentee_request_can_meet_a_mentor_competency(shipped: dict[str, Questionnaire]) -> None:
    competencies = {opt.id for q in shipped["intake_mentor"].questions_from(MENTOR_COMPETENCIES) for opt in q.options}
    assert competencies
    requests = {
        opt.id
        for name in ("intake_mentee_pupil", "intake_mentee_teacher")
        for vocab in (REQUEST_TOPICS, TEACHER_DIFFICULTIES)
        for q in shipped[name].questions_from(vocab)
        for opt in q.options
    }
    assert shipped["intake_mentee_pupil"].questions_from(REQUEST_TOPICS)
    assert shipped["intake_mentee_teacher"].questions_from(TEACHER_DIFFICULTIES)
    assert requests <= competencies
    assert uncovered_requests(load_vocabulary()) == frozenset()


def test_vocabulary_ids_are_shared() -> None:
    vocab = load_vocabulary()
    assert vocab.ids(MENTOR_COMPETENCIES) == vocab.ids(REQUEST_TOPICS) | vocab.ids(TEACHER_DIFFICULTIES)
    assert {"proj_robotics", "proj_3d", "proj_coding", "proj_avia", "proj_radio"} <= vocab.ids(REQUEST_TOPICS)
    assert vocab.ids("weekdays") == {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
    assert load_vocabulary(DATA_DIR) == vocab


def test_mentor_age_ids_match_matching_module(shipped: dict[str, Questionnaire]) -> None:
    ids = set(shipped["intake_mentor"].question("mentee_age").option_ids)
    assert ids == {"10_12", "13_15", "16_17", "adult", "any"}


def test_content_hash_is_stable_and_sensitive(shipped: dict[str, Questionnaire]) -> None:
    qn = shipped["intake_mentor"]
    again = load_directory()["intake_mentor"]
    assert qn.content_hash == again.content_hash
    assert len(qn.content_hash) == 64
    edited = Questionnaire(qn.id, qn.title + "!", qn.roles, qn.version, qn.intro, qn.questions)
    assert edited.content_hash != qn.content_hash


def test_questionnaire_lookup(shipped: dict[str, Questionnaire]) -> None:
    qn = shipped["intake_mentee_pupil"]
    assert qn.index("name") == 0
    assert qn.question("age").id == "age"
    with pytest.raises(KeyError):
        qn.question("nope")
    assert qn.is_for("mentee_pupil") and not qn.is_for("mentor")


def test_domain_imports_no_messenger_or_sql() -> None:
    code = Path(DATA_DIR).parent
    for file in code.glob("*.py"):
        text = file.read_text(encoding="utf-8")
        for banned in ("aiogram", "aiosqlite", "sqlite3"):
            assert f"import {banned}" not in text and f"from {banned}" not in text, (file.name, banned)


# ------------------------------------------------------------------------------------------ loader errors

GOOD_HEAD = """
id = "demo"
title = "Демо"
roles = ["mentor"]
audience = "adult"
version = 1
intro = "Привет"
"""


ROLES = 'roles = ["mentor"]\n'
VOICE = 'audience = "adult"\n'


def write(tmp_path: Path, body: str, name: str = "demo.toml", head: str = GOOD_HEAD) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(head) + textwrap.dedent(body), encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path)
    return str(info.value)


def test_minimal_file_loads(tmp_path: Path) -> None:
    qn = load_questionnaire(
        write(
            tmp_path,
            """
            [[questions]]
            id = "mood"
            type = "scale"
            text = "Настроение?"
            """,
        )
    )
    q = qn.question("mood")
    assert (q.min_value, q.max_value, q.required, q.personal) == (1, 10, True, False)


def test_spec_example_message(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[questions]]
        id = "capacity"
        type = "scale"
        text = "Сколько?"
        min_value = 5
        max_value = 1
        """,
        name="intake_mentor.toml",
    )
    assert load_error(path) == 'intake_mentor.toml: question "capacity": scale min_value 5 > max_value 1'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # duplicate question ids
        (
            """
            [[questions]]
            id = "a"
            type = "text"
            text = "A"
            [[questions]]
            id = "a"
            type = "text"
            text = "B"
            """,
            'demo.toml: question "a": duplicate id (also question #1)',
        ),
        # unknown type
        (
            """
            [[questions]]
            id = "a"
            type = "multiple"
            text = "A"
            """,
            'demo.toml: question "a": type "multiple" is unknown',
        ),
        # options missing for single
        (
            """
            [[questions]]
            id = "pick"
            type = "single"
            text = "A"
            """,
            'demo.toml: question "pick": a single question needs "options" or "options_from"',
        ),
        # only one option
        (
            """
            [[questions]]
            id = "pick"
            type = "multi"
            text = "A"
            options = [{ id = "x", label = "X" }]
            """,
            'demo.toml: question "pick": options: a multi question needs at least 2 options, got 1',
        ),
        # options on a text question
        (
            """
            [[questions]]
            id = "about"
            type = "text"
            text = "A"
            options = [{ id = "x", label = "X" }, { id = "y", label = "Y" }]
            """,
            'demo.toml: question "about": key "options" is not allowed for a text question',
        ),
        # duplicate option ids
        (
            """
            [[questions]]
            id = "pick"
            type = "single"
            text = "A"
            options = [{ id = "x", label = "X" }, { id = "x", label = "Y" }]
            """,
            'demo.toml: question "pick": option "x": duplicate id',
        ),
        # bad option id
        (
            """
            [[questions]]
            id = "pick"
            type = "single"
            text = "A"
            options = [{ id = "Robo-tech", label = "X" }, { id = "y", label = "Y" }]
            """,
            'demo.toml: question "pick": option #1: id "Robo-tech" must match',
        ),
        # option id too long for callback data
        (
            """
            [[questions]]
            id = "pick"
            type = "single"
            text = "A"
            options = [{ id = "a_very_long_option_id", label = "X" }, { id = "y", label = "Y" }]
            """,
            'demo.toml: question "pick": option #1: id "a_very_long_option_id" must match',
        ),
        # bad question id
        (
            """
            [[questions]]
            id = "Имя"
            type = "text"
            text = "A"
            """,
            "demo.toml: question #1: id 'Имя' must be a string matching",
        ),
        # text max_length above the limit
        (
            """
            [[questions]]
            id = "essay"
            type = "text"
            text = "A"
            max_length = 5000
            """,
            'demo.toml: question "essay": max_length 5000 > 1000',
        ),
        # text bounds inverted
        (
            """
            [[questions]]
            id = "essay"
            type = "text"
            text = "A"
            min_length = 50
            max_length = 10
            """,
            'demo.toml: question "essay": text min_length 50 > max_length 10',
        ),
        # number bounds inverted
        (
            """
            [[questions]]
            id = "age"
            type = "number"
            text = "A"
            min_value = 25
            max_value = 7
            """,
            'demo.toml: question "age": number min_value 25 > max_value 7',
        ),
        # multi choices inconsistent
        (
            """
            [[questions]]
            id = "pick"
            type = "multi"
            text = "A"
            options = [{ id = "x", label = "X" }, { id = "y", label = "Y" }]
            max_choices = 3
            """,
            'demo.toml: question "pick": max_choices 3 > number of options 2',
        ),
        # label longer than a Telegram button allows
        (
            f"""
            [[questions]]
            id = "pick"
            type = "single"
            text = "A"
            options = [{{ id = "x", label = "{"Д" * 65}" }}, {{ id = "y", label = "Y" }}]
            """,
            'demo.toml: question "pick": option "x": "label" is 65 chars, at most 64 allowed',
        ),
        # unknown vocabulary list
        (
            """
            [[questions]]
            id = "club"
            type = "single"
            text = "A"
            options_from = "clubz"
            """,
            'demo.toml: question "club": options_from "clubz" is not a vocabulary list (known: ',
        ),
        # typo in a key
        (
            """
            [[questions]]
            id = "essay"
            type = "text"
            text = "A"
            max_lenght = 100
            """,
            'demo.toml: question "essay": unknown key "max_lenght" (did you mean "max_length"?)',
        ),
        # typo in an option key
        (
            """
            [[questions]]
            id = "pick"
            type = "single"
            text = "A"
            options = [{ id = "x", lable = "X" }, { id = "y", label = "Y" }]
            """,
            'demo.toml: question "pick": option "x": unknown key "lable"',
        ),
        # wrong value type
        (
            """
            [[questions]]
            id = "age"
            type = "number"
            text = "A"
            min_value = "7"
            """,
            'demo.toml: question "age": "min_value" must be an integer, got a string',
        ),
        # missing text
        (
            """
            [[questions]]
            id = "age"
            type = "number"
            """,
            'demo.toml: question "age": missing required key "text"',
        ),
        # free text must stay curator-only
        (
            """
            [[questions]]
            id = "about"
            type = "text"
            text = "A"
            personal = false
            """,
            'demo.toml: question "about": personal = false is not allowed',
        ),
        # scale too wide for buttons
        (
            """
            [[questions]]
            id = "mood"
            type = "scale"
            text = "A"
            min_value = 0
            max_value = 100
            """,
            'demo.toml: question "mood": scale min_value 0 .. max_value 100 has 101 values',
        ),
        # a button's short label must be short; «which one?» follows one choice only
        (
            """
            [[questions]]
            id = "club"
            type = "single"
            text = "A"
            options = [
                { id = "a", label = "Альфа", short = "Очень длинная подпись для кнопки" },
                { id = "b", label = "Бета" },
            ]
            """,
            'demo.toml: question "club": option "a": "short" is 32 chars, at most 24 allowed',
        ),
        (
            """
            [[questions]]
            id = "clubs"
            type = "multi"
            text = "A"
            options = [{ id = "a", label = "Альфа" }, { id = "other", label = "Другое", details = true }]
            """,
            'demo.toml: question "clubs": details = true is for single questions only',
        ),
    ],
)
def test_validation_errors_name_file_question_and_field(tmp_path: Path, body: str, expected: str) -> None:
    assert expected in load_error(write(tmp_path, body))


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (f'title = "T"\n{ROLES}{VOICE}version = 1\n', 'demo.toml: missing required key "id"'),
        (f'id = "demo"\n{ROLES}{VOICE}version = 1\n', 'demo.toml: missing required key "title"'),
        (f'id = "demo"\ntitle = "T"\n{ROLES}version = 1\n', 'demo.toml: missing required key "audience"'),
        (f'id = "demo"\ntitle = "T"\n{VOICE}version = 1\n', 'demo.toml: missing required key "roles"'),
        (f'id = "demo"\ntitle = "T"\n{ROLES}{VOICE}', 'demo.toml: missing required key "version"'),
        (GOOD_HEAD + 'titel = "x"\n', 'demo.toml: unknown key "titel" (did you mean "title"?)'),
        (GOOD_HEAD.replace('["mentor"]', '["teacher"]'), 'demo.toml: role "teacher" is unknown'),
        (GOOD_HEAD.replace('"adult"', '"child"'), 'audience "child" is unknown (expected one of: pupil, adult, any)'),
        (
            GOOD_HEAD.replace('roles = ["mentor"]\naudience = "adult"', 'audience = ["mentor"]'),
            'demo.toml: "audience" now says whom the texts speak to',
        ),
        (GOOD_HEAD.replace("version = 1", "version = 0"), 'demo.toml: "version" must be at least 1, got 0'),
        (GOOD_HEAD.replace('"demo"', '"Demo Form"'), 'demo.toml: id "Demo Form" must match'),
    ],
)
def test_top_level_errors(tmp_path: Path, head: str, expected: str) -> None:
    body = """
    [[questions]]
    id = "a"
    type = "text"
    text = "A"
    """
    assert expected in load_error(write(tmp_path, body, head=head))


def test_missing_questions_and_bad_toml(tmp_path: Path) -> None:
    assert 'demo.toml: missing required key "questions"' in load_error(write(tmp_path, ""))
    broken = tmp_path / "broken.toml"
    broken.write_text('id = "x\n', encoding="utf-8")
    assert load_error(broken).startswith("broken.toml: invalid TOML:")


def test_all_errors_of_a_file_are_reported_together(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[questions]]
        id = "a"
        type = "scale"
        text = "A"
        min_value = 5
        max_value = 1
        [[questions]]
        id = "b"
        type = "text"
        text = "B"
        max_length = 2000
        """,
    )
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path)
    assert len(info.value.errors) == 2
    assert all(e.startswith("demo.toml: question ") for e in info.value.errors)


def test_local_vocabulary_and_its_errors(tmp_path: Path) -> None:
    (tmp_path / "vocabulary.toml").write_text(
        textwrap.dedent(
            """
            [vocabulary.colors]
            options = [{ id = "red", label = "Красный" }, { id = "blue", label = "Синий" }]
            [vocabulary.more]
            include = ["colors"]
            options = [{ id = "green", label = "Зелёный" }]
            """
        ),
        encoding="utf-8",
    )
    path = write(
        tmp_path,
        """
        [[questions]]
        id = "color"
        type = "multi"
        text = "Цвет?"
        options_from = "more"
        """,
    )
    q = load_questionnaire(path).question("color")
    assert q.option_ids == ("red", "blue", "green")
    assert q.options_from == "more"
    assert set(load_directory(tmp_path)) == {"demo"}

    (tmp_path / "vocabulary.toml").write_text(
        textwrap.dedent(
            """
            [vocabulary.a]
            include = ["b"]
            [vocabulary.b]
            include = ["a"]
            [vocabulary.c]
            options = [{ id = "x", label = "X" }]
            optoins = []
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(QuestionnaireError) as info:
        load_vocabulary(tmp_path)
    message = str(info.value)
    assert "vocabulary.toml: vocabulary " in message and "makes a cycle: a -> b -> a" in message
    assert 'vocabulary.toml: vocabulary "c": unknown key "optoins" (did you mean "options"?)' in message


def test_vocabulary_conflicting_labels(tmp_path: Path) -> None:
    (tmp_path / "vocabulary.toml").write_text(
        textwrap.dedent(
            """
            [vocabulary.a]
            options = [{ id = "x", label = "Икс" }, { id = "y", label = "Игрек" }]
            [vocabulary.b]
            options = [{ id = "x", label = "Другой икс" }, { id = "z", label = "Зет" }]
            [vocabulary.ab]
            include = ["a", "b"]
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(QuestionnaireError) as info:
        load_vocabulary(tmp_path / "vocabulary.toml")
    assert 'vocabulary "ab": option "x" is "Икс" in "a" but "Другой икс" in "b"' in str(info.value)


def test_load_directory_reports_duplicate_ids(tmp_path: Path) -> None:
    body = """
    [[questions]]
    id = "a"
    type = "text"
    text = "A"
    """
    write(tmp_path, body, name="one.toml")
    write(tmp_path, body, name="two.toml")
    with pytest.raises(QuestionnaireError, match=r'two\.toml: id "demo" is already used by one\.toml'):
        load_directory(tmp_path)


# ------------------------------------------------------------------------------------------------- answers

NAME = Question("name", QuestionType.TEXT, "Как тебя зовут?", min_length=2, max_length=100)
ABOUT = Question("about", QuestionType.TEXT, "О себе", required=False)
AGE = Question("age", QuestionType.NUMBER, "Сколько лет?", min_value=7, max_value=25)
CAPACITY = Question("capacity", QuestionType.SCALE, "Сколько?", min_value=1, max_value=5)
COUNT = Question("count", QuestionType.NUMBER, "Сколько?", min_value=1, max_value=5)
MOOD = Question("mood", QuestionType.SCALE, "Настроение?")
CLUB = Question(
    "club",
    QuestionType.SINGLE,
    "Кружок?",
    options=(Option("robotics", "Робототехника"), Option("modeling_3d", "3D-моделирование"), Option("radio", "Радио")),
)
TOPICS = Question(
    "topics",
    QuestionType.MULTI,
    "Темы?",
    options=(Option("a", "Альфа"), Option("b", "Бета"), Option("c", "Гамма"), Option("d", "Дельта")),
    max_choices=3,
)


def refusal(question: Question, text: str, audience: Audience = Audience.ADULT) -> str:
    with pytest.raises(InvalidAnswer) as info:
        parse_text(question, text)
    assert info.value.user_text == info.value.message == info.value.text(Audience.ADULT)
    return info.value.text(audience)


def test_text_answers_are_stripped_and_kept() -> None:
    assert parse_text(NAME, "  Ваня Петров \n") == "Ваня Петров"
    assert parse_text(ABOUT, "строка 1\r\nстрока 2") == "строка 1\nстрока 2"
    assert parse_text(NAME, "Ваня 🚀") == "Ваня 🚀"


def test_too_long_text_is_refused_not_truncated() -> None:
    question = Question("q", QuestionType.TEXT, "Q", max_length=300)
    assert refusal(question, "а" * 5000) == "Слишком длинно: 5000 символов, можно до 300. Сократите, пожалуйста."
    assert parse_text(question, "а" * 300) == "а" * 300
    assert refusal(question, "а" * 301).startswith("Слишком длинно: 301 символ,")


def test_emoji_only_and_empty_text_are_refused() -> None:
    assert refusal(NAME, "😀🎉") == "Напишите, пожалуйста, словами — одни смайлики и знаки не подойдут."
    assert "можно пропустить" in refusal(ABOUT, "👍")
    assert refusal(NAME, "   ") == "Ответ пустой — напишите, пожалуйста, хотя бы пару слов."
    assert refusal(NAME, "Я") == "Слишком коротко: нужно хотя бы 2 символа."


def test_control_characters_are_refused() -> None:
    expected = "В ответе есть служебные символы. Напишите, пожалуйста, обычным текстом."
    assert refusal(NAME, "Ва\x00ня") == expected
    assert refusal(NAME, "Ваня\u202eвортеП") == expected
    assert parse_text(NAME, "Ваня\tПетров") == "Ваня\tПетров"


def test_number_answers() -> None:
    assert parse_text(AGE, " 12 ") == 12
    assert parse_text(AGE, "+7") == 7
    assert refusal(AGE, "30") == "Нужно число от 7 до 25. Например: 16"
    assert refusal(AGE, "двенадцать") == "Нужно число от 7 до 25. Например: 16"
    assert refusal(AGE, "12.5") == "Нужно целое число от 7 до 25. Например: 16"
    assert refusal(AGE, "🙂") == "Нужно число от 7 до 25. Например: 16"
    assert refusal(AGE, "9" * 5000) == "Нужно число от 7 до 25. Например: 16"
    unbounded = Question("n", QuestionType.NUMBER, "N")
    assert parse_text(unbounded, "−3") == -3
    assert refusal(unbounded, "x") == "Нужно число, цифрами. Например: 3"


def test_a_number_with_its_unit_is_the_number() -> None:
    assert parse_text(AGE, "15 лет") == 15
    assert parse_text(AGE, "12лет") == 12
    assert parse_text(AGE, "11 years") == 11
    assert parse_text(CAPACITY, "2 чел.") == 2
    assert refusal(AGE, "15 или 16 лет") == "Нужно число от 7 до 25. Например: 16"
    assert refusal(AGE, "30 лет") == "Нужно число от 7 до 25. Например: 16"
    assert refusal(AGE, "12,5 лет") == "Нужно целое число от 7 до 25. Например: 16"


def test_scale_accepts_typed_digit() -> None:
    assert parse_text(CAPACITY, "3") == 3
    assert refusal(CAPACITY, "6") == "Нужно число от 1 до 5. Например: 3"
    assert refusal(CAPACITY, "0") == "Нужно число от 1 до 5. Например: 3"
    assert parse_text(MOOD, "10") == 10


def test_single_accepts_label_or_number() -> None:
    assert parse_text(CLUB, "робототехника") == "robotics"
    assert parse_text(CLUB, "3D-МОДЕЛИРОВАНИЕ") == "modeling_3d"
    assert parse_text(CLUB, "2") == "modeling_3d"
    assert parse_text(CLUB, "3.") == "radio"
    assert refusal(CLUB, "4") == "Здесь нужно выбрать вариант кнопкой ниже."
    assert refusal(CLUB, "шахматы") == "Здесь нужно выбрать вариант кнопкой ниже."
    assert refusal(TOPICS, "Альфа") == "Здесь нужно отметить варианты кнопками ниже, потом нажать «Готово»."


def test_validate_value() -> None:
    assert validate_value(CLUB, "radio") == "radio"
    with pytest.raises(InvalidAnswer, match="Такого варианта нет"):
        validate_value(CLUB, "chess")
    assert validate_value(TOPICS, ["c", "a", "a"]) == ["a", "c"]
    with pytest.raises(InvalidAnswer, match="Такого варианта нет"):
        validate_value(TOPICS, ["a", "zzz"])
    with pytest.raises(InvalidAnswer, match=r"Отметьте хотя бы 1 вариант\."):
        validate_value(TOPICS, [])
    with pytest.raises(InvalidAnswer, match=r"Можно отметить не больше 3 вариантов\."):
        validate_value(TOPICS, ["a", "b", "c", "d"])
    assert validate_value(CAPACITY, 5) == 5
    assert validate_value(CAPACITY, "2") == 2
    with pytest.raises(InvalidAnswer, match="от 1 до 5"):
        validate_value(CAPACITY, 6)
    with pytest.raises(InvalidAnswer):
        validate_value(CAPACITY, True)
    assert validate_value(ABOUT, None) is None
    with pytest.raises(InvalidAnswer, match="Без ответа"):
        validate_value(NAME, None)
    assert validate_value(NAME, " Ваня ") == "Ваня"


def test_toggle() -> None:
    assert toggle(TOPICS, None, "b") == ["b"]
    assert toggle(TOPICS, ["c"], "a") == ["a", "c"]
    assert toggle(TOPICS, ["a", "c"], "a") == ["c"]
    assert toggle(TOPICS, ["gone", "b"], "a") == ["a", "b"]  # ids removed from the file are dropped
    with pytest.raises(InvalidAnswer, match="не больше 3 вариантов"):
        toggle(TOPICS, ["a", "b", "c"], "d")
    assert toggle(TOPICS, ["a", "b", "c"], "b") == ["a", "c"]
    with pytest.raises(InvalidAnswer, match="Такого варианта нет"):
        toggle(TOPICS, ["a"], "zzz")
    with pytest.raises(ValueError, match="multi"):
        toggle(CLUB, None, "radio")


def test_format_value() -> None:
    assert format_value(CLUB, "radio") == "Радио"
    assert format_value(TOPICS, ["a", "c"]) == "Альфа, Гамма"
    assert format_value(TOPICS, []) == "— ничего не выбрано"
    assert format_value(MOOD, 7) == "7 из 10"
    assert format_value(CAPACITY, 2) == "2 из 5"  # a scale is a rating: its top says what 2 means
    assert format_value(COUNT, 2) == "2"  # a number is a count
    other = Option("other", "Другое", details=True)
    club = Question("club", QuestionType.SINGLE, "Кружок?", options=(*CLUB.options, other))
    assert format_value(club, "other", "Оригами") == "Другое: Оригами"
    assert format_value(club, "other") == "Другое"
    assert format_value(club, "radio", "Оригами") == "Радио"  # a text left from an earlier «Другое»
    assert format_value(AGE, 12) == "12"
    assert format_value(NAME, "Ваня") == "Ваня"
    assert format_value(ABOUT, None) == "— пропущено"
    assert format_value(CLUB, "removed") == "removed"


def test_answers_are_json_serialisable() -> None:
    values = [parse_text(NAME, "Ваня"), parse_text(AGE, "12"), toggle(TOPICS, None, "a"), parse_text(CLUB, "1")]
    assert json.loads(json.dumps(values, ensure_ascii=False)) == ["Ваня", 12, ["a"], "robotics"]


def test_refusals_speak_to_a_pupil_as_to_a_pupil() -> None:
    """The same refusal in a pupil's words and an adult's; plural forms come from the catalogue."""
    with pytest.raises(InvalidAnswer) as info:
        validate_value(TOPICS, [])
    assert info.value.text(Audience.PUPIL) == "Отметь хотя бы 1 вариант."
    assert info.value.text(Audience.ADULT) == "Отметьте хотя бы 1 вариант."
    assert refusal(NAME, "😀", Audience.PUPIL) == "Напиши, пожалуйста, словами — одни смайлики и знаки не подойдут."
    assert refusal(ABOUT, "👍", Audience.PUPIL).endswith("Если не хочешь отвечать, этот вопрос можно пропустить.")
    with pytest.raises(InvalidAnswer) as info:
        toggle(TOPICS, ["a", "b", "c"], "d")
    assert info.value.text(Audience.PUPIL) == "Можно отметить не больше 3 вариантов. Сначала сними отметку с другого."


@pytest.mark.parametrize(
    ("n", "length", "at_least", "at_most"),
    [
        (1, "1 символ", "1 вариант", "1 варианта"),
        (2, "2 символа", "2 варианта", "2 вариантов"),
        (5, "5 символов", "5 вариантов", "5 вариантов"),
        (11, "11 символов", "11 вариантов", "11 вариантов"),
        (12, "12 символов", "12 вариантов", "12 вариантов"),
        (21, "21 символ", "21 вариант", "21 варианта"),
        (22, "22 символа", "22 варианта", "22 вариантов"),
        (111, "111 символов", "111 вариантов", "111 вариантов"),
        (5000, "5000 символов", "5000 вариантов", "5000 вариантов"),
    ],
)
def test_the_catalogue_renders_russian_plurals(n: int, length: str, at_least: str, at_most: str) -> None:
    """Nominative after a count (1 символ, 2 символа, 5 символов), genitive after «не больше» (до 21 варианта)."""
    audience = Audience.ADULT
    assert tr("answer-too-short", n=n, audience=audience) == f"Слишком коротко: нужно хотя бы {length}."
    assert tr("answer-too-few", n=n, audience=audience) == f"Отметьте хотя бы {at_least}."
    assert tr("answer-too-many", n=n, toggling="no", audience=audience) == f"Можно отметить не больше {at_most}."


# ------------------------------------------------------------------------------------------ flow helpers

FLOW = Questionnaire("flow", "Поток", ("mentor",), 1, "", (NAME, ABOUT, AGE, TOPICS))


def test_next_unanswered_walks_in_order() -> None:
    assert next_unanswered(FLOW, {}) is NAME
    assert next_unanswered(FLOW, {"name": "Ваня"}, after="name") is ABOUT
    assert next_unanswered(FLOW, {"name": "Ваня", "about": None}, after="about") is AGE
    done = {"name": "Ваня", "about": None, "age": 12, "topics": ["a"]}
    assert next_unanswered(FLOW, done, after="topics") is None


def test_next_unanswered_wraps_around_and_tolerates_stale_after() -> None:
    answers = {"about": "x", "age": 12, "topics": ["a"]}
    assert next_unanswered(FLOW, answers, after="age") is NAME  # wraps to the gap at the start
    assert next_unanswered(FLOW, {"name": "Ваня"}, after="age") is TOPICS  # after, then from the top
    assert next_unanswered(FLOW, {"name": "Ваня"}, after="deleted_question") is ABOUT
    assert next_unanswered(FLOW, {"name": None}) is NAME  # a required question cannot be skipped


def test_is_complete() -> None:
    assert not is_complete(FLOW, {})
    assert not is_complete(FLOW, {"name": "Ваня", "age": 12})
    assert not is_complete(FLOW, {"name": "Ваня", "age": 12, "topics": []})
    assert is_complete(FLOW, {"name": "Ваня", "age": 12, "topics": ["a"]})  # optional "about" absent
    assert is_complete(FLOW, {"name": "Ваня", "about": None, "age": 12, "topics": ["a"]})


def test_summary_rows_hide_personal_answers() -> None:
    answers = {"name": "Ваня", "about": None, "age": 12, "topics": ["a", "b"]}
    hidden = summary_rows(FLOW, answers, include_personal=False)
    assert hidden == [
        ("Как тебя зовут?", "скрыто"),
        ("О себе", "— пропущено"),
        ("Сколько лет?", "12"),
        ("Темы?", "Альфа, Бета"),
    ]
    shown = dict(summary_rows(FLOW, answers, include_personal=True))
    assert shown["Как тебя зовут?"] == "Ваня"


# ------------------------------------------------------------------------------------------------- voice

# «Вы»-forms: the pronoun and the plural imperative («Напишите», «Выберите», «Отметьте»).
YOU_PLURAL = re.compile(r"(?<!\w)(вы|вас|вам|вами|ваш\w*)(?!\w)|(?<!\w)\w{2,}(ите|йте|ьте)(?!\w)", re.IGNORECASE)
# «Ты»-forms: the pronoun, «твой», the singular present («занимаешься») and the common imperatives.
YOU_SINGULAR = re.compile(
    r"(?<!\w)(ты|тебя|тебе|тобой|твой|твоя|твоё|твое|твои|твоего|твоей|твоих|твоим|твоими|твою)(?!\w)"
    r"|(?<!\w)\w+(ешь|ёшь|ишь)(ся)?(?!\w)"
    r"|(?<!\w)(напиши|выбери|отметь|ответь|сократи|нажми|открой|расскажи|укажи|сними)(?!\w)",
    re.IGNORECASE,
)


def texts_of(qn: Questionnaire) -> list[str]:
    """Every text of a questionnaire a person reads: title, intro, questions, hints, option labels."""
    found = [qn.title, qn.intro]
    for q in qn.questions:
        found += [q.text, q.hint or "", q.short or ""]
        found += [text for opt in q.options for text in (opt.label, opt.short or "")]
    return [text for text in found if text]


def voice_problems(qn: Questionnaire) -> list[str]:
    problems = []
    for text in texts_of(qn):
        if qn.audience in ("pupil", "any") and (m := YOU_PLURAL.search(text)):
            problems.append(f"{qn.id} ({qn.audience}): «{m.group(0)}» in {text!r}")
        if qn.audience in ("adult", "any") and (m := YOU_SINGULAR.search(text)):
            problems.append(f"{qn.id} ({qn.audience}): «{m.group(0)}» in {text!r}")
    return problems


def test_a_questionnaire_speaks_in_the_voice_it_declares(shipped: dict[str, Questionnaire]) -> None:
    """A pupil's questionnaire says «ты», an adult's «вы», one that both answer neither."""
    assert {qn.audience for qn in shipped.values()} == {"pupil", "adult", "any"}
    problems = [p for qn in shipped.values() for p in voice_problems(qn)]
    assert not problems, "\n".join(problems)


def test_an_option_may_have_a_short_button_and_ask_which_one(tmp_path: Path) -> None:
    body = """
    [[questions]]
    id = "club"
    type = "single"
    text = "A"
    options = [
        { id = "a", label = "Проект, конкурс: робототехника", short = "Проект: роботы" },
        { id = "other", label = "Другое", details = true },
    ]
    """
    question = load_questionnaire(write(tmp_path, body)).question("club")
    assert [(o.label, o.button, o.details) for o in question.options] == [
        ("Проект, конкурс: робототехника", "Проект: роботы", False),
        ("Другое", "Другое", True),
    ]
    assert question.details_key == "club.details"
    assert parse_text(question, "проект: роботы") == "a"  # a typed short label counts too


def test_the_voice_check_can_fail() -> None:
    def one(audience: str, text: str) -> Questionnaire:
        question = Question("q", QuestionType.TEXT, text)
        return Questionnaire("demo", "Демо", ("all",), 1, "", (question,), audience=audience)

    assert voice_problems(one("pupil", "Как тебя зовут?")) == []
    assert voice_problems(one("pupil", "Напишите имя."))
    assert voice_problems(one("pupil", "Отметьте всё, что нравится."))
    assert voice_problems(one("adult", "Ваши фамилия и имя.")) == []
    assert voice_problems(one("adult", "В каком кружке ты занимаешься?"))
    assert voice_problems(one("any", "Что вам интересно?"))
    assert voice_problems(one("any", "Напиши название."))
    assert voice_problems(one("any", "Насколько полезной оказалась программа?")) == []


def test_a_question_leaves_how_to_answer_to_the_hint_under_it(shipped: dict[str, Questionnaire]) -> None:
    """«Напишите числом.» in a question and «Напишите число сообщением.» under it said the same twice."""
    said_twice = re.compile(r"числом|сообщением|кнопк", re.IGNORECASE)
    repeated = [
        f"{qn.id}.{q.id}: {text!r}"
        for qn in shipped.values()
        for q in qn.questions
        for text in (q.text, q.hint or "")
        if said_twice.search(text)
    ]
    assert not repeated, "\n".join(repeated)
