"""Questionnaires as data: the model, the TOML loader with validation, the shared vocabulary and answers.

Pure domain code: no aiogram, no SQL. See ``loader.py`` for the file format and ``answers.py`` for the
shape of answer values.
"""

from bot.questionnaires.answers import (
    Answers,
    AnswerValue,
    InvalidAnswer,
    format_value,
    is_complete,
    next_unanswered,
    parse_text,
    summary_rows,
    toggle,
    validate_value,
)
from bot.questionnaires.loader import DATA_DIR, load_directory, load_questionnaire
from bot.questionnaires.model import (
    AUDIENCES,
    Option,
    Question,
    Questionnaire,
    QuestionnaireError,
    QuestionType,
    Vocabulary,
    VocabularyList,
)
from bot.questionnaires.vocabulary import (
    CLUBS,
    FORMATS,
    INTERESTS,
    MENTOR_COMPETENCIES,
    REQUEST_TOPICS,
    TEACHER_DIFFICULTIES,
    WEEKDAYS,
    load_vocabulary,
    uncovered_requests,
)

__all__ = [
    "AUDIENCES",
    "CLUBS",
    "DATA_DIR",
    "FORMATS",
    "INTERESTS",
    "MENTOR_COMPETENCIES",
    "REQUEST_TOPICS",
    "TEACHER_DIFFICULTIES",
    "WEEKDAYS",
    "AnswerValue",
    "Answers",
    "InvalidAnswer",
    "Option",
    "Question",
    "QuestionType",
    "Questionnaire",
    "QuestionnaireError",
    "Vocabulary",
    "VocabularyList",
    "format_value",
    "is_complete",
    "load_directory",
    "load_questionnaire",
    "load_vocabulary",
    "next_unanswered",
    "parse_text",
    "summary_rows",
    "toggle",
    "uncovered_requests",
    "validate_value",
]
