"""The questionnaire dialog: one question per message, answers saved as they are given.

FSM data: pid (participant), qn (questionnaire id), q (current question id), sel (multi-choice selection in
progress), ans (a copy of the answers given, so moving on needs no database read), review (editing from
the summary), aud (the person's audience: «ты» to a pupil), side (mentor or mentee), det (the question whose
«which one?» follow-up text is awaited). The database is the truth; a restart or a week's pause resumes at
the same question, and a selection in progress survives a detour through /menu.

A button of an older copy of a question (or of the summary) is not refused: the pressed message becomes the
current screen, with a short note why.
"""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.i18n import Audience, esc, tr
from bot.participants import Participant
from bot.programme import INTAKE_BY_ROLE, Role
from bot.questionnaires import (
    InvalidAnswer,
    Question,
    Questionnaire,
    QuestionType,
    format_value,
    next_unanswered,
    parse_text,
    toggle,
    validate_value,
)
from bot.questionnaires.answers import check_free_text
from handlers.filters import HasText, NoText, PlainText
from handlers.fsm_storage import SQLiteStorage
from handlers.kb.survey import SurveyCb, change_keyboard, question_keyboard, review_keyboard
from handlers.states import Survey
from handlers.ui import show
from storage.campaigns import CampaignRepo
from storage.participants import ParticipantRepo

SUMMARY_VALUE_LIMIT = 180
DETAILS_MAX_LENGTH = 100  # «Другое» → which one: a name, not an essay
REVIEW_ACTIONS = ("ok", "ch", "e", "sum")


async def save_dialog(state: FSMContext, new_state: State, data: dict[str, Any]) -> None:
    """State and data in one write when the storage can (the SQLite one), else in two."""
    if isinstance(state.storage, SQLiteStorage):
        await state.storage.set_state_and_data(state.key, new_state, data)
    else:
        await state.set_state(new_state)
        await state.set_data(data)


def response_key(questionnaire_id: str, campaign: int | None) -> str:
    """Where answers are kept: the intake under its questionnaire id, a campaign's under ``c<id>``."""
    return f"c{campaign}" if campaign else questionnaire_id


SUMMARY_LIMIT = 3800


def audience_of(data: dict[str, Any]) -> Audience:
    """The audience kept in the dialog's data; a dialog begun before it was kept speaks to an adult."""
    try:
        return Audience(data.get("aud") or Audience.ADULT)
    except ValueError:
        return Audience.ADULT


def type_hint(question: Question, audience: Audience) -> str:
    """How to answer: the same few words under every question of a type, in the person's voice."""
    kind = question.type.value
    if question.type is QuestionType.NUMBER and question.has_buttons:
        kind = "number-buttons"
    return tr(f"question-type-hints-{kind}", audience=audience)


def question_text(
    questionnaire: Questionnaire,
    question: Question,
    audience: Audience,
    answers: dict[str, Any],
    *,
    details: bool = False,
) -> str:
    """The question, its own hint, how to answer (or the «which one?» follow-up) and the current answer."""
    text = tr(
        "question-header",
        n=questionnaire.index(question.id) + 1,
        total=len(questionnaire.questions),
        text=esc(question.text),
    )
    how = tr("question-details", audience=audience) if details else type_hint(question, audience)
    hint = f"{question.hint} {how}" if question.hint and not details else how
    text += f"\n<i>{esc(hint)}</i>"
    if question.id in answers:
        value = format_value(question, answers[question.id], answers.get(question.details_key))
        text += tr("question-current", value=esc(value))
    return text


def summary_text(questionnaire: Questionnaire, answers: dict[str, Any], audience: Audience) -> str:
    lines = []
    for n, question in enumerate(questionnaire.questions, start=1):
        value = format_value(question, answers.get(question.id), answers.get(question.details_key))
        if len(value) > SUMMARY_VALUE_LIMIT:
            value = value[: SUMMARY_VALUE_LIMIT - 1] + "…"
        line = tr("survey-summary-line", n=n, question=esc(question.caption), answer=esc(value))
        if sum(len(x) + 1 for x in lines) + len(line) > SUMMARY_LIMIT:
            lines.append("…")
            break
        lines.append(line)
    body = "\n".join(lines)
    return tr("survey-summary", title=esc(questionnaire.title), lines=body, audience=audience)


def voice(questionnaire: Questionnaire, participant: Participant) -> Audience:
    """Whom the dialog's own texts (hints, refusals, the summary) speak to: the questionnaire's voice when it
    declares one, so one screen never mixes «ты» and «вы» (an 18-year-old in the pupils' questionnaire reads
    «ты» throughout); the person's audience for a questionnaire worded for anyone."""
    if questionnaire.audience in (Audience.PUPIL.value, Audience.ADULT.value):
        return Audience(questionnaire.audience)
    return participant.audience


def dialog_data(participant: Participant, questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    """The dialog's data at its start (no question on screen yet)."""
    return {
        "pid": participant.id,
        "qn": questionnaire.id,
        "q": None,
        "sel": [],
        "ans": answers,
        "review": False,
        "aud": voice(questionnaire, participant).value,
        "side": "mentor" if participant.role is Role.MENTOR else "mentee",
        "det": None,
    }


async def begin(
    target: Message | CallbackQuery,
    state: FSMContext,
    participant: Participant,
    questionnaires: dict[str, Questionnaire],
    participants: ParticipantRepo,
    *,
    edit: bool = False,
    questionnaire: Questionnaire | None = None,
    campaign: int | None = None,
    preface: str | None = None,
) -> None:
    """Start a questionnaire (the intake by default, or a campaign's) or resume it where it stopped, or show
    the summary if it is all answered. A campaign's answers are kept under the key ``c<campaign id>``.

    `preface` (the consent's thanks) goes in one message with the questionnaire's intro, or alone before the
    question when there is no intro to show: one message fewer to the chat in one burst."""
    if not participant.has_consent:
        await show(target, tr("survey-needs-consent", audience=participant.audience), edit=edit)
        return
    questionnaire = questionnaire or questionnaires[INTAKE_BY_ROLE[participant.role]]
    key = response_key(questionnaire.id, campaign)
    data = await state.get_data()
    same = (
        await state.get_state() == Survey.answering.state
        and data.get("pid") == participant.id
        and data.get("key", data.get("qn")) == key
    )
    answers = await participants.answers(participant.id, key)
    current = data.get("q") if same else None
    # Back at the question left for /menu: the ticks of a multi-choice in progress stay as they were.
    selection: list[str] | None = list(data.get("sel") or []) if current is not None else None
    awaiting_details = same and current is not None and data.get("det") == current
    if current is None or not questionnaire.has_question(current):
        question = next_unanswered(questionnaire, answers)
        current = question.id if question else None
        selection, awaiting_details = None, False
    data = {**dialog_data(participant, questionnaire, answers), "key": key, "cmp": campaign, "q": current}
    intro = f"<b>{esc(questionnaire.title)}</b>\n\n{esc(questionnaire.intro)}"
    if current is not None and not answers and not edit:
        await show(target, f"{preface}\n\n{intro}" if preface else intro, edit=False)
    elif preface:
        await show(target, preface, edit=False)
    if current is None:
        await to_review(target, state, questionnaire, data, edit=edit)
        return
    await ask(
        target,
        state,
        questionnaire,
        questionnaire.question(current),
        data,
        edit=edit,
        selection=selection,
        details=awaiting_details,
    )


async def ask(
    target: Message | CallbackQuery,
    state: FSMContext,
    questionnaire: Questionnaire,
    question: Question,
    data: dict[str, Any],
    *,
    edit: bool,
    selection: list[str] | None = None,
    details: bool = False,
) -> None:
    """Show a question; `selection` is a multi-choice in progress (else the saved answer's ticks), `details`
    asks the follow-up text of the option just chosen."""
    answers: dict[str, Any] = data.get("ans", {})
    if selection is None:
        saved = answers.get(question.id) if question.type is QuestionType.MULTI else None
        selection = list(saved or [])
    data = {**data, "q": question.id, "sel": list(selection), "det": question.id if details else None}
    text = question_text(questionnaire, question, audience_of(data), answers, details=details)
    await _show_and_save(
        target, state, Survey.answering, data, text, question_keyboard(questionnaire, question, data["sel"]), edit=edit
    )


async def _show_and_save(
    target: Message | CallbackQuery,
    state: FSMContext,
    new_state: State,
    data: dict[str, Any],
    text: str,
    markup: InlineKeyboardMarkup,
    *,
    edit: bool,
) -> None:
    """Save the dialog, then show its screen and remember the message showing it ("mid"): a button of any
    other copy leads back to it (see on_button). Saved first, so that a crash after the screen reached the
    person loses nothing; a screen sent as a new message is saved once more with its id."""
    pressed = target.message.message_id if isinstance(target, CallbackQuery) and target.message else None
    mid = pressed if edit else None
    await save_dialog(state, new_state, {**data, "mid": mid})
    shown = await show(target, text, markup, edit=edit)
    if shown != mid:
        await save_dialog(state, new_state, {**data, "mid": shown})


async def to_review(
    target: Message | CallbackQuery,
    state: FSMContext,
    questionnaire: Questionnaire,
    data: dict[str, Any],
    *,
    edit: bool,
) -> None:
    data = {**data, "q": None, "sel": [], "review": False, "det": None}
    text = summary_text(questionnaire, data.get("ans", {}), audience_of(data))
    await _show_and_save(target, state, Survey.review, data, text, review_keyboard(), edit=edit)


async def _accept(
    target: Message | CallbackQuery,
    state: FSMContext,
    questionnaire: Questionnaire,
    question: Question,
    data: dict[str, Any],
    value: Any,
    participants: ParticipantRepo,
) -> None:
    """Save an answer, then show the next unanswered question (or the summary); an option that asks «which
    one?» keeps the question on screen for the follow-up text."""
    await participants.save_answer(data["pid"], data.get("key", questionnaire.id), question.id, value)
    answers = {**data.get("ans", {}), question.id: value}
    data = {**data, "ans": answers}
    edit = isinstance(target, CallbackQuery)
    chosen = question.option(value) if question.type is QuestionType.SINGLE and isinstance(value, str) else None
    if chosen is not None and chosen.details:
        await ask(target, state, questionnaire, question, data, edit=edit, details=True)
        return
    await _move_on(target, state, questionnaire, question, data)


async def _move_on(
    target: Message | CallbackQuery,
    state: FSMContext,
    questionnaire: Questionnaire,
    question: Question,
    data: dict[str, Any],
) -> None:
    answers = data.get("ans", {})
    following = None if data.get("review") else next_unanswered(questionnaire, answers, after=question.id)
    edit = isinstance(target, CallbackQuery)
    if following is None:
        await to_review(target, state, questionnaire, data, edit=edit)
    else:
        await ask(target, state, questionnaire, following, data, edit=edit)


async def on_button(
    query: CallbackQuery,
    callback_data: SurveyCb,
    state: FSMContext,
    questionnaires: dict[str, Questionnaire],
    participants: ParticipantRepo,
    campaigns: CampaignRepo,
    callback_answer: CallbackAnswer,
) -> None:
    data = await state.get_data()
    questionnaire = questionnaires.get(data.get("qn", ""))
    current_state = await state.get_state()
    if questionnaire is None or "pid" not in data or current_state not in (Survey.answering.state, Survey.review.state):
        callback_answer.text = tr("survey-stale-closed")
        return
    action = callback_data.a
    if current_state == Survey.review.state:
        if action in REVIEW_ACTIONS:
            await _review_action(query, state, questionnaire, data, callback_data, participants, campaigns)
        else:  # a question's button after the last answer: the summary takes its place
            callback_answer.text = tr("survey-stale-summary")
            await to_review(query, state, questionnaire, data, edit=True)
        return
    current = data.get("q")
    if current is None or not questionnaire.has_question(current):
        callback_answer.text = tr("survey-stale-closed")
        return
    question = questionnaire.question(current)
    if action in REVIEW_ACTIONS or callback_data.q != current or _older_copy(query, data):
        # An older copy of a question (or of the summary): it becomes the current question, ticks as they are.
        callback_answer.text = tr("survey-stale-question")
        await ask(
            query,
            state,
            questionnaire,
            question,
            data,
            edit=True,
            selection=data.get("sel", []),
            details=data.get("det") == current,
        )
        return
    audience = audience_of(data)
    try:
        if action == "a":
            raw: Any = int(callback_data.v) if question.type is not QuestionType.SINGLE else callback_data.v
            await _accept(query, state, questionnaire, question, data, validate_value(question, raw), participants)
        elif action == "t":
            selected = toggle(question, data.get("sel", []), callback_data.v)
            await ask(query, state, questionnaire, question, data, edit=True, selection=selected)
        elif action == "d":
            value = validate_value(question, data.get("sel", []))
            await _accept(query, state, questionnaire, question, data, value, participants)
        elif action == "s" and not question.required:
            await _accept(query, state, questionnaire, question, data, None, participants)
        elif action == "b":
            index = questionnaire.index(question.id)
            if index > 0:
                await ask(query, state, questionnaire, questionnaire.questions[index - 1], data, edit=True)
        else:
            callback_answer.text = tr("survey-stale-question")
    except (InvalidAnswer, ValueError) as exc:
        callback_answer.text = exc.text(audience) if isinstance(exc, InvalidAnswer) else tr("survey-stale-question")
        callback_answer.show_alert = isinstance(exc, InvalidAnswer)


def _older_copy(query: CallbackQuery, data: dict[str, Any]) -> bool:
    """Whether the pressed message is not the one that shows the current screen (an older copy of it)."""
    shown = data.get("mid")
    return shown is not None and query.message is not None and query.message.message_id != shown


async def _review_action(
    query: CallbackQuery,
    state: FSMContext,
    questionnaire: Questionnaire,
    data: dict[str, Any],
    callback_data: SurveyCb,
    participants: ParticipantRepo,
    campaigns: CampaignRepo,
) -> None:
    if callback_data.a == "ok":
        await state.clear()
        if data.get("cmp"):
            await campaigns.complete(int(data["cmp"]), data["pid"])
            await show(query, tr("campaign-done"))
        else:
            await participants.mark_survey_done(data["pid"])
            await show(query, tr("survey-done", audience=audience_of(data), side=data.get("side") or "mentee"))
    elif callback_data.a == "ch":
        await show(query, tr("survey-pick-to-change"), change_keyboard(questionnaire))
    elif callback_data.a == "sum":
        await to_review(query, state, questionnaire, data, edit=True)
    elif questionnaire.has_question(callback_data.q):
        await ask(
            query, state, questionnaire, questionnaire.question(callback_data.q), {**data, "review": True}, edit=True
        )


async def on_text(
    message: Message,
    state: FSMContext,
    questionnaires: dict[str, Questionnaire],
    participants: ParticipantRepo,
) -> None:
    data = await state.get_data()
    questionnaire = questionnaires.get(data.get("qn", ""))
    if questionnaire is None or not data.get("q") or not questionnaire.has_question(data["q"]):
        await state.clear()
        await message.answer(tr("unknown-input"))
        return
    question = questionnaire.question(data["q"])
    audience = audience_of(data)
    text = message.text or ""
    if text.startswith("/"):
        await message.answer(tr("survey-command-hint", audience=audience))
        return
    details = data.get("det") == question.id
    try:
        if details:
            value: Any = check_free_text(text, DETAILS_MAX_LENGTH)
        elif question.type is QuestionType.MULTI:
            raise InvalidAnswer("answer-choose-many")
        else:
            value = parse_text(question, text)
    except InvalidAnswer as exc:
        await message.answer(esc(exc.text(audience)))
        await ask(message, state, questionnaire, question, data, edit=False, selection=data.get("sel"), details=details)
        return
    if details:
        await _accept_details(message, state, questionnaire, question, data, value, participants)
    else:
        await _accept(message, state, questionnaire, question, data, value, participants)


async def _accept_details(
    message: Message,
    state: FSMContext,
    questionnaire: Questionnaire,
    question: Question,
    data: dict[str, Any],
    text: str,
    participants: ParticipantRepo,
) -> None:
    """The «which one?» text after an option such as «Другое», kept next to the answer."""
    await participants.save_answer(data["pid"], data.get("key", questionnaire.id), question.details_key, text)
    data = {**data, "ans": {**data.get("ans", {}), question.details_key: text}, "det": None}
    await _move_on(message, state, questionnaire, question, data)


async def on_review_text(message: Message, state: FSMContext) -> None:
    await message.answer(tr("survey-press-a-button", audience=audience_of(await state.get_data())))


async def on_other_content(message: Message, state: FSMContext, questionnaires: dict[str, Questionnaire]) -> None:
    await message.answer(tr("survey-non-text"))
    data = await state.get_data()
    questionnaire = questionnaires.get(data.get("qn", ""))
    if questionnaire is not None and data.get("q") and questionnaire.has_question(data["q"]):
        await ask(
            message,
            state,
            questionnaire,
            questionnaire.question(data["q"]),
            data,
            edit=False,
            selection=data.get("sel"),
            details=data.get("det") == data["q"],
        )


def build_button_router() -> Router:
    """Questionnaire buttons come first: they are most of the traffic and no other flow uses their prefix."""
    router = Router(name="survey-buttons")
    router.callback_query.register(on_button, SurveyCb.filter(), flags={"callback_answer": {"pre": False}})
    return router


def build_router() -> Router:
    """Typed answers, placed right after the questionnaire buttons: only plain texts and other content.

    Commands are not answers: they go on to the command routers, so /menu or /cancel work in the middle of a
    questionnaire, and one that no router knows gets a hint from `build_command_router` at the end. Every
    other flow's free input is tied to that flow's own states, so placing typed answers this early takes
    nothing from anyone; it spares them the walk through a dozen routers (bench/README.md, intake).
    """
    router = Router(name="survey-input")
    router.message.register(on_text, StateFilter(Survey.answering), PlainText())
    router.message.register(on_review_text, StateFilter(Survey.review), PlainText())
    router.message.register(on_other_content, StateFilter(Survey.answering, Survey.review), NoText())
    return router


def build_command_router() -> Router:
    """A command no router took, in the middle of a questionnaire: a hint (answering) or «press a button»."""
    router = Router(name="survey-commands")
    router.message.register(on_text, StateFilter(Survey.answering), HasText())
    router.message.register(on_review_text, StateFilter(Survey.review), HasText())
    return router
