"""Answers to questionnaire questions: parsing typed text, checking button values, rendering, progress.

An answer value is JSON-serialisable so that storage can keep it as is:

======== ==========================================================
single   option id (``str``)
multi    option ids (``list[str]``), in the order of the question
scale    ``int``
number   ``int``
text     ``str`` (stripped, NFC-normalised)
skipped  ``None`` (only for optional questions)
======== ==========================================================

An option with ``details`` («Другое») asks which one: that text (``str``) is kept under the key
``<question id>.details`` (``Question.details_key``) next to the answer, and ``format_value`` shows both.

Refusals raise ``InvalidAnswer``: it names a message of the catalogue (``bot/locales/ru/answers.ftl``) and its
arguments, and ``text(audience)`` renders it for the person who gave the answer («ты» to a pupil).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from bot.errors import AppError
from bot.i18n import Audience, tr
from bot.questionnaires.model import Question, Questionnaire, QuestionType

AnswerValue = str | int | list[str] | None
Answers = Mapping[str, AnswerValue]

NUMBER_DIGITS_LIMIT = 9

# Bidirectional embeddings/overrides/isolates: invisible, and able to make a name display reversed.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INT_RE = re.compile(r"^[+-]?[0-9]+$")
# A number with a unit word after it: «15 лет», «3 года», «2 ч.».
_INT_WITH_UNIT_RE = re.compile(r"^([+-]?[0-9]+)\s*[^\W\d_]+\.?$")
_FRACTION_RE = re.compile(r"^[+-]?[0-9]+[.,][0-9]+")
_OPTION_NUMBER_RE = re.compile(r"^([0-9]{1,3})[.)]?$")
_SPACES_RE = re.compile(r"\s+")


class InvalidAnswer(AppError, ValueError):
    """An answer that cannot be accepted: the catalogue message `msg_id` with `args` says what is expected.

    `text(audience)` is the sentence for the person; `user_text` and `message` are the adult wording (the
    curator correcting a name sees it).
    """

    def __init__(self, msg_id: str, **args: object) -> None:
        self.msg_id = msg_id
        self.args_ = args
        super().__init__(self.text(Audience.ADULT))

    def text(self, audience: Audience | str) -> str:
        return tr(self.msg_id, audience=audience, **self.args_)

    @property
    def message(self) -> str:
        return self.user_text


# ------------------------------------------------------------------------------------------------ helpers


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return unicodedata.normalize("NFC", text).strip()


def _has_control(text: str) -> bool:
    for ch in text:
        if ch in "\n\t":
            continue
        if ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs"):
            return True
    return False


def _has_words(text: str) -> bool:
    """At least one letter or digit: rules out emoji-only and punctuation-only answers."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def _fold(text: str) -> str:
    """Loose comparison key for typed option labels: case, «ё», spacing, quotes and end punctuation."""
    text = _SPACES_RE.sub(" ", text.casefold().replace("ё", "е")).strip()
    return text.strip("«»\"'").rstrip(".!").strip()


def _expect_number(question: Question, *, whole: bool = False) -> InvalidAnswer:
    kind = "whole" if whole else "any"
    lo, hi = question.min_value, question.max_value
    if lo is not None and hi is not None:
        return InvalidAnswer("answer-number-range", kind=kind, lo=lo, hi=hi, example=(lo + hi) // 2)
    if lo is not None:
        return InvalidAnswer("answer-number-min", kind=kind, lo=lo, example=lo + 1)
    if hi is not None:
        return InvalidAnswer("answer-number-max", kind=kind, hi=hi, example=min(hi, 1))
    return InvalidAnswer("answer-number-any", kind=kind)


def _check_int(question: Question, value: int) -> int:
    lo, hi = question.min_value, question.max_value
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise _expect_number(question)
    return value


def _parse_int(question: Question, text: str) -> int:
    text = _normalise(text).replace("\u2212", "-")  # U+2212 is the typographic minus
    with_unit = _INT_WITH_UNIT_RE.match(text)
    digits = with_unit.group(1) if with_unit else text.replace(" ", "")
    if _INT_RE.match(digits) and len(digits.lstrip("+-")) <= NUMBER_DIGITS_LIMIT:
        return _check_int(question, int(digits))
    raise _expect_number(question, whole=bool(_FRACTION_RE.match(text.replace(" ", ""))))


def _parse_free_text(question: Question, text: str) -> str:
    return check_free_text(text, question.max_length, question.min_length, skippable=not question.required)


def check_free_text(text: str, max_length: int, min_length: int = 1, *, skippable: bool = False) -> str:
    """A typed text, normalised, or InvalidAnswer: not empty, no control characters, some words, in length."""
    text = _normalise(text)
    if not text:
        raise InvalidAnswer("answer-empty")
    if _has_control(text):
        raise InvalidAnswer("answer-control")
    if len(text) > max_length:
        # Refuse rather than truncate: a silently cut answer is worse than asking to shorten it.
        raise InvalidAnswer("answer-too-long", length=len(text), limit=max_length)
    if not _has_words(text):
        raise InvalidAnswer("answer-no-words", skippable="yes" if skippable else "no")
    if len(text) < min_length:
        raise InvalidAnswer("answer-too-short", n=min_length)
    return text


def _parse_single(question: Question, text: str) -> str:
    key = _fold(_normalise(text))
    if not key:
        raise InvalidAnswer("answer-choose-one")
    for opt in question.options:  # a label wins over a number, in case a label is itself a number
        if _fold(opt.label) == key or (opt.short is not None and _fold(opt.short) == key):
            return opt.id
    m = _OPTION_NUMBER_RE.match(key)
    if m and 1 <= int(m.group(1)) <= len(question.options):
        return question.options[int(m.group(1)) - 1].id
    raise InvalidAnswer("answer-choose-one")


def _ordered(question: Question, ids: Iterable[str]) -> list[str]:
    chosen = set(ids)
    return [oid for oid in question.option_ids if oid in chosen]


# --------------------------------------------------------------------------------------------- public API


def parse_text(question: Question, text: str) -> AnswerValue:
    """Turn a typed message into an answer value, or raise InvalidAnswer explaining what is expected.

    text: the stripped text (not truncated: too long is refused). number/scale: an integer within bounds.
    single: an option's exact label (case-insensitive) or its 1-based number. multi: always refused, the
    options are toggled with buttons.
    """
    match question.type:
        case QuestionType.TEXT:
            return _parse_free_text(question, text)
        case QuestionType.NUMBER | QuestionType.SCALE:
            return _parse_int(question, text)
        case QuestionType.SINGLE:
            return _parse_single(question, text)
        case QuestionType.MULTI:
            raise InvalidAnswer("answer-choose-many")
    raise AssertionError(f"unknown question type {question.type!r}")  # pragma: no cover


def validate_value(question: Question, value: object) -> AnswerValue:
    """Check a value from a button press (or from storage) and return it in canonical form.

    ``None`` means skipped and is only accepted for optional questions. Multi choices come back de-duplicated
    and ordered as in the question. Scale and number accept an int or its decimal string (callback data is
    text). Raises InvalidAnswer.
    """
    if value is None:
        if question.required:
            raise InvalidAnswer("answer-required")
        return None
    match question.type:
        case QuestionType.SINGLE:
            if isinstance(value, str) and question.option(value) is not None:
                return value
            raise InvalidAnswer("answer-no-such-option")
        case QuestionType.MULTI:
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise InvalidAnswer("answer-no-such-option")
            if any(question.option(v) is None for v in value):
                raise InvalidAnswer("answer-no-such-option")
            chosen = _ordered(question, value)
            if len(chosen) < question.min_choices:
                raise InvalidAnswer("answer-too-few", n=question.min_choices)
            if question.max_choices is not None and len(chosen) > question.max_choices:
                raise InvalidAnswer("answer-too-many", n=question.max_choices, toggling="no")
            return chosen
        case QuestionType.SCALE | QuestionType.NUMBER:
            if isinstance(value, bool):
                raise _expect_number(question)
            if isinstance(value, int):
                return _check_int(question, value)
            if isinstance(value, str):
                return _parse_int(question, value)
            raise _expect_number(question)
        case QuestionType.TEXT:
            if isinstance(value, str):
                return _parse_free_text(question, value)
            raise InvalidAnswer("answer-empty")
    raise AssertionError(f"unknown question type {question.type!r}")  # pragma: no cover


def toggle(question: Question, current: list[str] | None, option_id: str) -> list[str]:
    """Mark or unmark one option of a multi-choice question; returns a new list in the question's order.

    Ids in ``current`` that the question no longer has (the file was edited) are dropped. Marking one more
    option than ``max_choices`` allows raises InvalidAnswer; unmarking is always possible.
    """
    if question.type is not QuestionType.MULTI:
        raise ValueError(f"toggle() needs a multi question, {question.id!r} is {question.type.value}")
    if question.option(option_id) is None:
        raise InvalidAnswer("answer-no-such-option")
    chosen = _ordered(question, current or ())
    if option_id in chosen:
        chosen.remove(option_id)
        return chosen
    if question.max_choices is not None and len(chosen) >= question.max_choices:
        raise InvalidAnswer("answer-too-many", n=question.max_choices, toggling="yes")
    return _ordered(question, [*chosen, option_id])


def format_value(question: Question, value: AnswerValue, details: object = None) -> str:
    """Human Russian rendering of an answer for summaries: labels, «7 из 10», «— пропущено».

    Scales read «7 из 10» (a rating means little without its top); numbers read as typed («2»). `details` is
    the follow-up text of an option that asks «which one?» («Другое: Оригами»). Never raises: an id the
    question no longer has is shown as is.
    """
    if value is None:
        return tr("answer-skipped")
    match question.type:
        case QuestionType.SINGLE:
            opt = question.option(str(value))
            if opt is None:
                return str(value)
            if opt.details and isinstance(details, str) and details:
                return tr("answer-with-details", label=opt.label, details=details)
            return opt.label
        case QuestionType.MULTI:
            if not isinstance(value, list | tuple):
                return str(value)
            if not value:
                return tr("answer-nothing-chosen")
            labels = []
            for oid in value:
                opt = question.option(str(oid))
                labels.append(opt.label if opt is not None else str(oid))
            return ", ".join(labels)
        case QuestionType.SCALE:
            return tr("answer-scale", value=value, max=question.max_value)
    return str(value)


def summary_rows(questionnaire: Questionnaire, answers: Answers, *, include_personal: bool) -> list[tuple[str, str]]:
    """(caption, rendered answer) for every question that has an entry in ``answers``, in order.

    Personal answers (names, free text) are replaced by «скрыто» unless ``include_personal`` — only curators
    (and the person themselves) may see them.
    """
    rows: list[tuple[str, str]] = []
    for q in questionnaire.questions:
        if q.id not in answers:
            continue
        value = answers[q.id]
        if include_personal or not q.personal or value is None:
            shown = format_value(q, value, answers.get(q.details_key) if include_personal else None)
        else:
            shown = tr("answer-hidden")
        rows.append((q.caption, shown))
    return rows


def _settled(question: Question, answers: Answers) -> bool:
    """Answered, or deliberately skipped if optional. Empty values do not count as answers."""
    if question.id not in answers:
        return False
    value = answers[question.id]
    if value is None or value == "" or value == []:
        return not question.required
    return True


def is_complete(questionnaire: Questionnaire, answers: Answers) -> bool:
    """Whether the answers can be submitted: every required question has a (non-empty) answer.

    Optional questions may be skipped (``None``) or absent. Values are not re-validated here.
    """
    return all(_settled(q, answers) for q in questionnaire.questions if q.required)


def next_unanswered(questionnaire: Questionnaire, answers: Answers, after: str | None = None) -> Question | None:
    """The next question to ask, or None when every question is answered or skipped.

    Searches the questions after ``after`` first, then wraps around to the beginning, so going back to change
    an earlier answer continues where it makes sense and still never leaves a gap. An optional question
    counts as done once it is in ``answers`` (``None`` = skipped). An ``after`` the questionnaire no longer has
    (it was edited mid-dialog) is treated as None.
    """
    questions = questionnaire.questions
    start = questionnaire.index(after) + 1 if after is not None and questionnaire.has_question(after) else 0
    for q in questions[start:] + questions[:start]:
        if not _settled(q, answers):
            return q
    return None
