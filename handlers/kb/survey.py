"""The questionnaire's buttons on Telegram: the aiogram twin of `bot.flows.survey.SurveyPayload` and the
keyboards of the flow's screens, each built once.

A question's keyboard is shown thousands of times during an intake wave: building its pydantic buttons took
about a tenth of the time of handling a button press (bench/README.md, intake). The flow's rows are immutable
and hashable: the markup is cached by them, at most `KEYBOARD_CACHE_SIZE` (the oldest go first)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.flows import survey as flow
from bot.flows.screens import Button
from bot.flows.survey import ONE_PER_ROW_LIMIT as ONE_PER_ROW_LIMIT  # the bench reads the layout here
from bot.flows.survey import TICK as TICK
from bot.questionnaires import Question, Questionnaire
from handlers.kb.notices import inline_markup


class SurveyCb(CallbackData, prefix=flow.SurveyPayload.prefix):
    """`a`: a=answer, t=toggle, d=done (multi), s=skip, b=back, ok=confirm, ch=change list, e=edit question,
    sum=back from the change list to the summary."""

    a: str
    q: str = ""
    v: str = ""


KEYBOARD_CACHE_SIZE = 512  # about 18 KB each (pydantic buttons): at most ~9 MB

_markups: dict[tuple[tuple[Button, ...], ...], InlineKeyboardMarkup | None] = {}
_keyboards: dict[tuple[str, str, frozenset[str]], InlineKeyboardMarkup | None] = {}


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a screen's rows, built once per rows."""
    try:
        return _markups[rows]
    except KeyError:
        pass
    if len(_markups) >= KEYBOARD_CACHE_SIZE:
        del _markups[next(iter(_markups))]
    markup = _markups[rows] = inline_markup(rows)
    return markup


def question_keyboard(
    questionnaire: Questionnaire, question: Question, selected: list[str] | None = None
) -> InlineKeyboardMarkup | None:
    """A question's keyboard by the questionnaire's content, the question and the selection (the bench's floor
    takes them so): an edited file has another content hash and never shows stale buttons."""
    key = (questionnaire.content_hash, question.id, frozenset(selected or ()))
    markup = _keyboards.get(key)
    if markup is None:
        if len(_keyboards) >= KEYBOARD_CACHE_SIZE:
            del _keyboards[next(iter(_keyboards))]
        markup = _keyboards[key] = inline_markup(flow.question_rows(questionnaire, question, list(key[2])))
    return markup
