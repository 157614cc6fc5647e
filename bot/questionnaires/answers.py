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

Refusals raise ``InvalidAnswer`` whose text is Russian and says what is expected, so a handler can send it
to the person unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from bot.errors import AppError
from bot.questionnaires.model import Question, Questionnaire, QuestionType

AnswerValue = str | int | list[str] | None
Answers = Mapping[str, AnswerValue]

NUMBER_DIGITS_LIMIT = 9

MSG_CHOOSE_ONE = "Здесь нужно выбрать вариант кнопкой ниже."
MSG_CHOOSE_MANY = "Здесь нужно отметить варианты кнопками ниже."
MSG_NO_SUCH_OPTION = "Такого варианта нет. Выберите, пожалуйста, кнопкой ниже."
MSG_REQUIRED = "Без ответа на этот вопрос дальше не получится — ответьте, пожалуйста."
MSG_EMPTY = "Ответ пустой — напишите, пожалуйста, хотя бы пару слов."
MSG_CONTROL = "В ответе есть служебные символы. Напишите, пожалуйста, обычным текстом."
MSG_NO_WORDS = "Напишите, пожалуйста, словами — одни смайлики и знаки не подойдут."
MSG_MAY_SKIP = "Если не хотите отвечать, этот вопрос можно пропустить."
MSG_SKIPPED = "— пропущено"
MSG_NOTHING_CHOSEN = "— ничего не выбрано"
MSG_HIDDEN = "скрыто"

# Bidirectional embeddings/overrides/isolates: invisible, and able to make a name display reversed.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INT_RE = re.compile(r"^[+-]?[0-9]+$")
_FRACTION_RE = re.compile(r"^[+-]?[0-9]+[.,][0-9]+$")
_OPTION_NUMBER_RE = re.compile(r"^([0-9]{1,3})[.)]?$")
_SPACES_RE = re.compile(r"\s+")


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian form of a noun for the count `n`: 1 час, 2 часа, 5 часов, 11 часов, 21 час, 22 часа."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


class InvalidAnswer(AppError, ValueError):
    """An answer that cannot be accepted; ``message`` (same as ``user_text``) is Russian, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ------------------------------------------------------------------------------------------------ helpers


def _genitive(n: int, singular: str, plural_form: str) -> str:
    """Genitive after «до», «не больше»: до 1 варианта, до 3 вариантов, до 21 варианта."""
    n = abs(n)
    return singular if n % 10 == 1 and n % 100 != 11 else plural_form


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


def _expect_number(question: Question, *, whole: bool = False) -> str:
    noun = "целое число" if whole else "число"
    lo, hi = question.min_value, question.max_value
    if lo is not None and hi is not None:
        return f"Нужно {noun} от {lo} до {hi}. Например: {(lo + hi) // 2}"
    if lo is not None:
        return f"Нужно {noun} не меньше {lo}. Например: {lo + 1}"
    if hi is not None:
        return f"Нужно {noun} не больше {hi}. Например: {min(hi, 1)}"
    return f"Нужно {noun}, цифрами. Например: 3"


def _check_int(question: Question, value: int) -> int:
    lo, hi = question.min_value, question.max_value
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise InvalidAnswer(_expect_number(question))
    return value


def _parse_int(question: Question, text: str) -> int:
    text = _normalise(text).replace("\u2212", "-").replace(" ", "")  # U+2212 is the typographic minus
    if _INT_RE.match(text) and len(text.lstrip("+-")) <= NUMBER_DIGITS_LIMIT:
        return _check_int(question, int(text))
    raise InvalidAnswer(_expect_number(question, whole=bool(_FRACTION_RE.match(text))))


def _parse_free_text(question: Question, text: str) -> str:
    text = _normalise(text)
    if not text:
        raise InvalidAnswer(MSG_EMPTY)
    if _has_control(text):
        raise InvalidAnswer(MSG_CONTROL)
    if len(text) > question.max_length:
        # Refuse rather than truncate: a silently cut answer is worse than asking to shorten it.
        raise InvalidAnswer(
            f"Слишком длинно: {len(text)} {plural(len(text), 'символ', 'символа', 'символов')}, "
            f"можно до {question.max_length}. Сократите, пожалуйста."
        )
    if not _has_words(text):
        raise InvalidAnswer(MSG_NO_WORDS if question.required else f"{MSG_NO_WORDS} {MSG_MAY_SKIP}")
    if len(text) < question.min_length:
        n = question.min_length
        raise InvalidAnswer(f"Слишком коротко: нужно хотя бы {n} {plural(n, 'символ', 'символа', 'символов')}.")
    return text


def _parse_single(question: Question, text: str) -> str:
    key = _fold(_normalise(text))
    if not key:
        raise InvalidAnswer(MSG_CHOOSE_ONE)
    for opt in question.options:  # a label wins over a number, in case a label is itself a number
        if _fold(opt.label) == key:
            return opt.id
    m = _OPTION_NUMBER_RE.match(key)
    if m and 1 <= int(m.group(1)) <= len(question.options):
        return question.options[int(m.group(1)) - 1].id
    raise InvalidAnswer(MSG_CHOOSE_ONE)


def _ordered(question: Question, ids: Iterable[str]) -> list[str]:
    chosen = set(ids)
    return [oid for oid in question.option_ids if oid in chosen]


def _too_many(n: int) -> str:
    return f"Можно отметить не больше {n} {_genitive(n, 'варианта', 'вариантов')}."


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
            raise InvalidAnswer(MSG_CHOOSE_MANY)
    raise AssertionError(f"unknown question type {question.type!r}")  # pragma: no cover


def validate_value(question: Question, value: object) -> AnswerValue:
    """Check a value from a button press (or from storage) and return it in canonical form.

    ``None`` means skipped and is only accepted for optional questions. Multi choices come back de-duplicated
    and ordered as in the question. Scale and number accept an int or its decimal string (callback data is
    text). Raises InvalidAnswer.
    """
    if value is None:
        if question.required:
            raise InvalidAnswer(MSG_REQUIRED)
        return None
    match question.type:
        case QuestionType.SINGLE:
            if isinstance(value, str) and question.option(value) is not None:
                return value
            raise InvalidAnswer(MSG_NO_SUCH_OPTION)
        case QuestionType.MULTI:
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise InvalidAnswer(MSG_NO_SUCH_OPTION)
            if any(question.option(v) is None for v in value):
                raise InvalidAnswer(MSG_NO_SUCH_OPTION)
            chosen = _ordered(question, value)
            if len(chosen) < question.min_choices:
                n = question.min_choices
                raise InvalidAnswer(f"Отметьте хотя бы {n} {plural(n, 'вариант', 'варианта', 'вариантов')}.")
            if question.max_choices is not None and len(chosen) > question.max_choices:
                raise InvalidAnswer(_too_many(question.max_choices))
            return chosen
        case QuestionType.SCALE | QuestionType.NUMBER:
            if isinstance(value, bool):
                raise InvalidAnswer(_expect_number(question))
            if isinstance(value, int):
                return _check_int(question, value)
            if isinstance(value, str):
                return _parse_int(question, value)
            raise InvalidAnswer(_expect_number(question))
        case QuestionType.TEXT:
            if isinstance(value, str):
                return _parse_free_text(question, value)
            raise InvalidAnswer(MSG_EMPTY)
    raise AssertionError(f"unknown question type {question.type!r}")  # pragma: no cover


def toggle(question: Question, current: list[str] | None, option_id: str) -> list[str]:
    """Mark or unmark one option of a multi-choice question; returns a new list in the question's order.

    Ids in ``current`` that the question no longer has (the file was edited) are dropped. Marking one more
    option than ``max_choices`` allows raises InvalidAnswer; unmarking is always possible.
    """
    if question.type is not QuestionType.MULTI:
        raise ValueError(f"toggle() needs a multi question, {question.id!r} is {question.type.value}")
    if question.option(option_id) is None:
        raise InvalidAnswer(MSG_NO_SUCH_OPTION)
    chosen = _ordered(question, current or ())
    if option_id in chosen:
        chosen.remove(option_id)
        return chosen
    if question.max_choices is not None and len(chosen) >= question.max_choices:
        raise InvalidAnswer(f"{_too_many(question.max_choices)} Сначала снимите отметку с другого.")
    return _ordered(question, [*chosen, option_id])


def format_value(question: Question, value: AnswerValue) -> str:
    """Human Russian rendering of an answer for summaries: labels, «7 из 10», «— пропущено».

    Never raises: an id the question no longer has is shown as is.
    """
    if value is None:
        return MSG_SKIPPED
    match question.type:
        case QuestionType.SINGLE:
            opt = question.option(str(value))
            return opt.label if opt is not None else str(value)
        case QuestionType.MULTI:
            if not isinstance(value, list | tuple):
                return str(value)
            if not value:
                return MSG_NOTHING_CHOSEN
            labels = []
            for oid in value:
                opt = question.option(str(oid))
                labels.append(opt.label if opt is not None else str(oid))
            return ", ".join(labels)
        case QuestionType.SCALE:
            return f"{value} из {question.max_value}"
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
        shown = format_value(q, value) if include_personal or not q.personal or value is None else MSG_HIDDEN
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
