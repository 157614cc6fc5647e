"""Callback data and keyboards of a questionnaire dialog: one question per message."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import tr
from bot.questionnaires import Question, Questionnaire, QuestionType
from handlers.kb.builder import InlineKeyboardBuilder


class SurveyCb(CallbackData, prefix="sv"):
    """`a`: a=answer, t=toggle, d=done (multi), s=skip, b=back, ok=confirm, ch=change list, e=edit question,
    sum=back from the change list to the summary."""

    a: str
    q: str = ""
    v: str = ""


KEYBOARD_CACHE_SIZE = 512  # about 18 KB each (pydantic buttons): at most ~9 MB
TICK = "✅ "
# A choice with more options than this shows them two to a row, with their short labels: a phone screen
# holds about a dozen rows.
ONE_PER_ROW_LIMIT = 12

_keyboards: dict[tuple[str, str, frozenset[str]], InlineKeyboardMarkup] = {}


def question_keyboard(
    questionnaire: Questionnaire, question: Question, selected: list[str] | None = None
) -> InlineKeyboardMarkup:
    """The question's buttons, built once per questionnaire content, question and selection.

    Keyboards are immutable, and a question's keyboard is shown thousands of times during an intake wave:
    building its pydantic buttons and packing their callback data took about a tenth of the time of handling
    a button press (bench/README.md, intake). The key is the questionnaire's content hash, so an edited file
    never shows stale buttons; the cache holds at most `KEYBOARD_CACHE_SIZE` keyboards (the oldest go first).
    """
    key = (questionnaire.content_hash, question.id, frozenset(selected or ()))
    markup = _keyboards.get(key)
    if markup is None:
        if len(_keyboards) >= KEYBOARD_CACHE_SIZE:
            del _keyboards[next(iter(_keyboards))]
        markup = _keyboards[key] = _question_keyboard(questionnaire, question, key[2])
    return markup


def _question_keyboard(
    questionnaire: Questionnaire, question: Question, chosen: frozenset[str]
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    widths: list[int] = []
    if question.has_options:
        per_row = 1 if len(question.options) <= ONE_PER_ROW_LIMIT else 2
        for option in question.options:
            label = option.label if per_row == 1 else option.button
            if question.type is QuestionType.MULTI:
                mark = TICK if option.id in chosen else ""
                kb.button(text=f"{mark}{label}", callback_data=SurveyCb(a="t", q=question.id, v=option.id))
            else:
                kb.button(text=label, callback_data=SurveyCb(a="a", q=question.id, v=option.id))
        count = len(question.options)
        widths += [per_row] * (count // per_row) + ([count % per_row] if count % per_row else [])
        if question.type is QuestionType.MULTI:
            kb.button(text=tr("btn-done"), callback_data=SurveyCb(a="d", q=question.id))
            widths.append(1)
    elif question.has_buttons:  # a scale, or a number with a few values
        low, high = question.min_value or 0, question.max_value or 0
        values = list(range(low, high + 1))
        for value in values:
            kb.button(text=str(value), callback_data=SurveyCb(a="a", q=question.id, v=str(value)))
        row = 5 if len(values) > 5 else len(values)
        widths += [row] * (len(values) // row) + ([len(values) % row] if len(values) % row else [])
    nav = 0
    if questionnaire.index(question.id) > 0:
        kb.button(text=tr("btn-back"), callback_data=SurveyCb(a="b", q=question.id))
        nav += 1
    if not question.required:
        kb.button(text=tr("btn-skip"), callback_data=SurveyCb(a="s", q=question.id))
        nav += 1
    if nav:
        widths.append(nav)
    kb.adjust(*widths)
    return kb.as_markup()


def review_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-all-right"), callback_data=SurveyCb(a="ok"))
    kb.button(text=tr("btn-change"), callback_data=SurveyCb(a="ch"))
    return kb.as_markup()


def change_keyboard(questionnaire: Questionnaire) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for n, question in enumerate(questionnaire.questions, start=1):
        caption = question.caption
        label = f"{n}. {caption}" if len(caption) <= 40 else f"{n}. {caption[:38]}…"
        kb.button(text=label, callback_data=SurveyCb(a="e", q=question.id))
    kb.button(text=tr("btn-back"), callback_data=SurveyCb(a="sum"))
    kb.adjust(1)
    return kb.as_markup()
