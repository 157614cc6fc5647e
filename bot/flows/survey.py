"""The questionnaire dialog: one question per message, answers saved as they are given.

Each answer is one action (`bot.flows.act`): the answer's row and the dialog's state commit together, so a
restart (or kill -9) resumes at the next question. `begin` starts or resumes a questionnaire (the menu, the
consent and a campaign's «Ответить» call it); `ROUTES` take the questionnaire's buttons (`sv:…`) and, while the
dialog is on, the person's texts, files and unknown commands.

Dialog data: pid (participant), qn (questionnaire id), key (where the answers are kept: the questionnaire id, a
campaign's ``c<id>``), cmp (the campaign), q (current question id), sel (multi-choice selection in progress),
ans (a copy of the answers given, so moving on needs no database read), review (editing from the summary), aud
(the dialog's audience: «ты» to a pupil), side (mentor or mentee), det (the question whose «which one?»
follow-up text is awaited), mid (the message that shows the current screen, when known), old (messages that
showed it before). The database is the truth; a selection in progress survives a detour through /menu.

A button of an older copy of a question (or of the summary) is not refused: the pressed message becomes the
current screen, with a short note why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.flows.context import Ctx
from bot.flows.dialog import Dialog
from bot.flows.effects import Effect, Show, Toast
from bot.flows.events import CommandIn, Event, FileIn, PressIn, TextIn
from bot.flows.payloads import MenuPayload, Payload, PayloadError
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Button, Keyboard, Screen
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

#: The dialog's states, as aiogram's `handlers.states.Survey` names them.
GROUP = "Survey"
ANSWERING = f"{GROUP}:answering"
REVIEW = f"{GROUP}:review"

SUMMARY_VALUE_LIMIT = 180
SUMMARY_LIMIT = 3800
DETAILS_MAX_LENGTH = 100  # «Другое» → which one: a name, not an essay
REVIEW_ACTIONS = ("ok", "ch", "e", "sum")
OLD_COPIES_KEPT = 8  # messages that showed the dialog before: a press on one of them is an older copy's

Rows = tuple[tuple[Button, ...], ...]


class SurveyPayload(Payload, prefix="sv"):
    """`a`: a=answer, t=toggle, d=done (multi), s=skip, b=back, ok=confirm, ch=change list, e=edit question,
    sum=back from the change list to the summary (handlers.kb.survey.SurveyCb)."""

    a: str
    q: str = ""
    v: str = ""


# --- the texts ------------------------------------------------------------------------------------------------
def response_key(questionnaire_id: str, campaign: int | None) -> str:
    """Where answers are kept: the intake under its questionnaire id, a campaign's under ``c<id>``."""
    return f"c{campaign}" if campaign else questionnaire_id


def audience_of(data: Mapping[str, Any]) -> Audience:
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
    answers: Mapping[str, Any],
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


def summary_text(questionnaire: Questionnaire, answers: Mapping[str, Any], audience: Audience) -> str:
    lines: list[str] = []
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


# --- the buttons ----------------------------------------------------------------------------------------------
TICK = "✅ "
# A choice with more options than this shows them two to a row, with their short labels: a phone screen
# holds about a dozen rows.
ONE_PER_ROW_LIMIT = 12
ROWS_CACHE_SIZE = 512

_rows: dict[tuple[str, str, frozenset[str]], Rows] = {}


def question_rows(questionnaire: Questionnaire, question: Question, selected: list[str] | None = None) -> Rows:
    """The question's buttons, built once per questionnaire content, question and selection (a question's
    buttons are shown thousands of times in an intake wave; an edited file has another content hash)."""
    key = (questionnaire.content_hash, question.id, frozenset(selected or ()))
    rows = _rows.get(key)
    if rows is None:
        if len(_rows) >= ROWS_CACHE_SIZE:
            del _rows[next(iter(_rows))]
        rows = _rows[key] = _question_rows(questionnaire, question, key[2])
    return rows


def _question_rows(questionnaire: Questionnaire, question: Question, chosen: frozenset[str]) -> Rows:
    kb = Keyboard()
    widths: list[int] = []
    if question.has_options:
        per_row = 1 if len(question.options) <= ONE_PER_ROW_LIMIT else 2
        for option in question.options:
            label = option.label if per_row == 1 else option.button
            if question.type is QuestionType.MULTI:
                mark = TICK if option.id in chosen else ""
                kb.add(f"{mark}{label}", SurveyPayload(a="t", q=question.id, v=option.id))
            else:
                kb.add(label, SurveyPayload(a="a", q=question.id, v=option.id))
        count = len(question.options)
        widths += [per_row] * (count // per_row) + ([count % per_row] if count % per_row else [])
        if question.type is QuestionType.MULTI:
            kb.add(tr("btn-done"), SurveyPayload(a="d", q=question.id))
            widths.append(1)
    elif question.has_buttons:  # a scale, or a number with a few values
        low, high = question.min_value or 0, question.max_value or 0
        values = list(range(low, high + 1))
        for value in values:
            kb.add(str(value), SurveyPayload(a="a", q=question.id, v=str(value)))
        row = 5 if len(values) > 5 else len(values)
        widths += [row] * (len(values) // row) + ([len(values) % row] if len(values) % row else [])
    nav = 0
    if questionnaire.index(question.id) > 0:
        kb.add(tr("btn-back"), SurveyPayload(a="b", q=question.id))
        nav += 1
    if not question.required:
        kb.add(tr("btn-skip"), SurveyPayload(a="s", q=question.id))
        nav += 1
    if nav:
        widths.append(nav)
    return kb.adjust(*widths).rows()


def review_rows() -> Rows:
    kb = Keyboard().add(tr("btn-all-right"), SurveyPayload(a="ok"))
    return kb.add(tr("btn-change"), SurveyPayload(a="ch")).rows()


def change_rows(questionnaire: Questionnaire) -> Rows:
    kb = Keyboard()
    for n, question in enumerate(questionnaire.questions, start=1):
        caption = question.caption
        label = f"{n}. {caption}" if len(caption) <= 40 else f"{n}. {caption[:38]}…"
        kb.add(label, SurveyPayload(a="e", q=question.id))
    kb.add(tr("btn-back"), SurveyPayload(a="sum"))
    return kb.rows()


# --- the dialog's state ---------------------------------------------------------------------------------------
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


async def save(dialog: Dialog, state: str, data: Mapping[str, Any]) -> None:
    """State and data in one write when the dialog can (the app's SQLite table), else in two."""
    write = getattr(dialog, "set_state_and_data", None)
    if write is not None:
        await write(state, data)
    else:
        await dialog.set_state(state)
        await dialog.set_data(data)


def _pressed(event: Event | None) -> str | None:
    return event.message_id if isinstance(event, PressIn) else None


def _old(data: Mapping[str, Any]) -> list[str]:
    return [str(x) for x in data.get("old") or ()]


def older_copy(data: Mapping[str, Any], pressed: str | None) -> bool:
    """Whether the pressed message is not the one that shows the current screen (an older copy of it)."""
    if pressed is None:
        return False
    if pressed in _old(data):
        return True
    shown = data.get("mid")
    return shown is not None and str(shown) != pressed


async def _screen(
    ctx: Ctx, event: Event | None, state: str, data: dict[str, Any], screen: Screen, *, edit: bool
) -> list[Effect]:
    """Save the dialog with the message that will show its screen: the pressed one when edited in place; a new
    message's id is not known yet (the adapter may tell it, `remember`), and the ones before become old."""
    pressed = _pressed(event)
    old = _old(data)
    if edit and pressed is not None:
        data = {**data, "mid": pressed, "old": [x for x in old if x != pressed]}
    else:
        before = [str(x) for x in (data.get("mid"), pressed) if x is not None]
        data = {**data, "mid": None, "old": list(dict.fromkeys([*old, *before]))[-OLD_COPIES_KEPT:]}
    await save(ctx.dialog, state, data)
    return [Show(screen, edit=edit)]


async def remember(dialog: Dialog, message_id: str) -> None:
    """The adapter's word after showing the dialog's screen: the message that shows it (a new message's id is
    known only once sent)."""
    state = await dialog.get_state()
    if state not in (ANSWERING, REVIEW):
        return
    data = await dialog.get_data()
    if data.get("mid") is not None and str(data["mid"]) == message_id:
        return
    old = [x for x in _old(data) if x != message_id]
    await save(dialog, state, {**data, "mid": message_id, "old": old})


# --- the screens ----------------------------------------------------------------------------------------------
async def begin(
    ctx: Ctx,
    participant: Participant,
    *,
    event: Event | None = None,
    edit: bool = False,
    questionnaire: Questionnaire | None = None,
    campaign: int | None = None,
    preface: str | None = None,
) -> list[Effect]:
    """Start a questionnaire (the intake by default, or a campaign's) or resume it where it stopped, or show
    the summary if it is all answered. `event`: the press that started it (its message is an older copy now).

    `preface` (the consent's thanks) goes in one message with the questionnaire's intro, or alone before the
    question when there is no intro to show: one message fewer to the chat in one burst."""
    if not participant.has_consent:
        return [Show(Screen(tr("survey-needs-consent", audience=participant.audience)), edit=edit)]
    questionnaire = questionnaire or ctx.repos.questionnaires[INTAKE_BY_ROLE[participant.role]]
    key = response_key(questionnaire.id, campaign)
    data = await ctx.dialog.get_data()
    same = (
        await ctx.dialog.get_state() == ANSWERING
        and data.get("pid") == participant.id
        and data.get("key", data.get("qn")) == key
    )
    answers = await ctx.repos.participants.answers(participant.id, key)
    current = data.get("q") if same else None
    # Back at the question left for /menu: the ticks of a multi-choice in progress stay as they were.
    selection: list[str] | None = list(data.get("sel") or []) if current is not None else None
    awaiting_details = same and current is not None and data.get("det") == current
    if current is None or not questionnaire.has_question(current):
        question = next_unanswered(questionnaire, answers)
        current = question.id if question else None
        selection, awaiting_details = None, False
    screens = {"mid": data.get("mid"), "old": _old(data)}
    data = {**dialog_data(participant, questionnaire, answers), "key": key, "cmp": campaign, "q": current, **screens}
    effects: list[Effect] = []
    intro = f"<b>{esc(questionnaire.title)}</b>\n\n{esc(questionnaire.intro)}"
    if current is not None and not answers and not edit:
        effects.append(Show(Screen(f"{preface}\n\n{intro}" if preface else intro), edit=False))
    elif preface:
        effects.append(Show(Screen(preface), edit=False))
    if current is None:
        return effects + await to_review(ctx, event, questionnaire, data, edit=edit)
    question = questionnaire.question(current)
    return effects + await ask(
        ctx, event, questionnaire, question, data, edit=edit, selection=selection, details=awaiting_details
    )


async def review(ctx: Ctx, participant: Participant, *, event: Event | None = None) -> list[Effect]:
    """The summary of the intake's answers as a new message, to change one (the menu's «Изменить ответ»)."""
    questionnaire = ctx.repos.questionnaires[INTAKE_BY_ROLE[participant.role]]
    answers = await ctx.repos.participants.answers(participant.id, questionnaire.id)
    data = await ctx.dialog.get_data()
    screens = {"mid": data.get("mid"), "old": _old(data)}
    return await to_review(ctx, event, questionnaire, {**dialog_data(participant, questionnaire, answers), **screens},
                           edit=False)  # fmt: skip


async def ask(
    ctx: Ctx,
    event: Event | None,
    questionnaire: Questionnaire,
    question: Question,
    data: dict[str, Any],
    *,
    edit: bool,
    selection: list[str] | None = None,
    details: bool = False,
) -> list[Effect]:
    """Show a question; `selection` is a multi-choice in progress (else the saved answer's ticks), `details`
    asks the follow-up text of the option just chosen."""
    answers: dict[str, Any] = data.get("ans", {})
    if selection is None:
        saved = answers.get(question.id) if question.type is QuestionType.MULTI else None
        selection = list(saved or [])
    data = {**data, "q": question.id, "sel": list(selection), "det": question.id if details else None}
    text = question_text(questionnaire, question, audience_of(data), answers, details=details)
    screen = Screen(text, question_rows(questionnaire, question, data["sel"]))
    return await _screen(ctx, event, ANSWERING, data, screen, edit=edit)


async def to_review(
    ctx: Ctx, event: Event | None, questionnaire: Questionnaire, data: dict[str, Any], *, edit: bool
) -> list[Effect]:
    data = {**data, "q": None, "sel": [], "review": False, "det": None}
    screen = Screen(summary_text(questionnaire, data.get("ans", {}), audience_of(data)), review_rows())
    return await _screen(ctx, event, REVIEW, data, screen, edit=edit)


async def _accept(
    ctx: Ctx, event: Event, questionnaire: Questionnaire, question: Question, data: dict[str, Any], value: Any
) -> list[Effect]:
    """Save an answer, then show the next unanswered question (or the summary); an option that asks «which
    one?» keeps the question on screen for the follow-up text."""
    await ctx.repos.participants.save_answer(data["pid"], data.get("key", questionnaire.id), question.id, value)
    data = {**data, "ans": {**data.get("ans", {}), question.id: value}}
    edit = isinstance(event, PressIn)
    chosen = question.option(value) if question.type is QuestionType.SINGLE and isinstance(value, str) else None
    if chosen is not None and chosen.details:
        return await ask(ctx, event, questionnaire, question, data, edit=edit, details=True)
    return await _move_on(ctx, event, questionnaire, question, data)


async def _accept_details(
    ctx: Ctx, event: Event, questionnaire: Questionnaire, question: Question, data: dict[str, Any], text: str
) -> list[Effect]:
    """The «which one?» text after an option such as «Другое», kept next to the answer."""
    key = data.get("key", questionnaire.id)
    await ctx.repos.participants.save_answer(data["pid"], key, question.details_key, text)
    data = {**data, "ans": {**data.get("ans", {}), question.details_key: text}, "det": None}
    return await _move_on(ctx, event, questionnaire, question, data)


async def _move_on(
    ctx: Ctx, event: Event, questionnaire: Questionnaire, question: Question, data: dict[str, Any]
) -> list[Effect]:
    answers = data.get("ans", {})
    following = None if data.get("review") else next_unanswered(questionnaire, answers, after=question.id)
    edit = isinstance(event, PressIn)
    if following is None:
        return await to_review(ctx, event, questionnaire, data, edit=edit)
    return await ask(ctx, event, questionnaire, following, data, edit=edit)


# --- the events -----------------------------------------------------------------------------------------------
async def on_press(ctx: Ctx, event: Event) -> list[Effect]:
    """A questionnaire's button."""
    assert isinstance(event, PressIn)
    try:
        pressed = SurveyPayload.unpack(event.payload)
    except PayloadError:
        return await _curators_surveys(ctx, event)
    data = await ctx.dialog.get_data()
    questionnaire = ctx.repos.questionnaires.get(data.get("qn", ""))
    state = await ctx.dialog.get_state()
    if questionnaire is None or "pid" not in data or state not in (ANSWERING, REVIEW):
        return [Toast(tr("survey-stale-closed"))]
    if state == REVIEW:
        if pressed.a in REVIEW_ACTIONS:
            return await _review_action(ctx, event, questionnaire, data, pressed)
        # a question's button after the last answer: the summary takes its place
        return [Toast(tr("survey-stale-summary")), *await to_review(ctx, event, questionnaire, data, edit=True)]
    current = data.get("q")
    if current is None or not questionnaire.has_question(current):
        return [Toast(tr("survey-stale-closed"))]
    question = questionnaire.question(current)
    if pressed.a in REVIEW_ACTIONS or pressed.q != current or older_copy(data, event.message_id):
        # An older copy of a question (or of the summary): it becomes the current question, ticks as they are.
        return [Toast(tr("survey-stale-question")), *await _again(ctx, event, questionnaire, data, edit=True)]
    try:
        return await _answer_press(ctx, event, questionnaire, question, data, pressed)
    except InvalidAnswer as exc:
        return [Toast(exc.text(audience_of(data)), alert=True)]
    except ValueError:
        return [Toast(tr("survey-stale-question"))]


async def _curators_surveys(ctx: Ctx, event: PressIn) -> list[Effect]:
    """The curator's list of open surveys shares the prefix «sv» (two fields, the questionnaire's three: buttons
    already sent keep their format): its presses go to its flow."""
    from bot.flows.curator import campaigns  # the curator's flows are loaded when one of them is used

    if campaigns.SurveysPayload.matches(event.payload):
        return await campaigns.on_surveys_press(ctx, event)
    return [Toast(tr("stale-button"))]


async def _answer_press(
    ctx: Ctx,
    event: PressIn,
    questionnaire: Questionnaire,
    question: Question,
    data: dict[str, Any],
    pressed: SurveyPayload,
) -> list[Effect]:
    action = pressed.a
    if action == "a":
        raw: Any = int(pressed.v) if question.type is not QuestionType.SINGLE else pressed.v
        return await _accept(ctx, event, questionnaire, question, data, validate_value(question, raw))
    if action == "t":
        selected = toggle(question, data.get("sel", []), pressed.v)
        return await ask(ctx, event, questionnaire, question, data, edit=True, selection=selected)
    if action == "d":
        value = validate_value(question, data.get("sel", []))
        return await _accept(ctx, event, questionnaire, question, data, value)
    if action == "s" and not question.required:
        return await _accept(ctx, event, questionnaire, question, data, None)
    if action == "b":
        index = questionnaire.index(question.id)
        if index > 0:
            return await ask(ctx, event, questionnaire, questionnaire.questions[index - 1], data, edit=True)
        return []
    return [Toast(tr("survey-stale-question"))]


async def _again(
    ctx: Ctx, event: Event, questionnaire: Questionnaire, data: dict[str, Any], *, edit: bool
) -> list[Effect]:
    """The current question once more, as it was: its ticks, its «which one?»."""
    current = data["q"]
    return await ask(
        ctx,
        event,
        questionnaire,
        questionnaire.question(current),
        data,
        edit=edit,
        selection=data.get("sel", []),
        details=data.get("det") == current,
    )


async def _review_action(
    ctx: Ctx, event: PressIn, questionnaire: Questionnaire, data: dict[str, Any], pressed: SurveyPayload
) -> list[Effect]:
    if pressed.a == "ok":
        await ctx.dialog.clear()
        if data.get("cmp"):
            await ctx.repos.campaigns.complete(int(data["cmp"]), data["pid"])
            return [Show(Screen(tr("campaign-done")))]
        await ctx.repos.participants.mark_survey_done(data["pid"])
        return [Show(Screen(tr("survey-done", audience=audience_of(data), side=data.get("side") or "mentee")))]
    if pressed.a == "ch":
        return [Show(Screen(tr("survey-pick-to-change"), change_rows(questionnaire)))]
    if pressed.a == "sum":
        return await to_review(ctx, event, questionnaire, data, edit=True)
    if questionnaire.has_question(pressed.q):
        question = questionnaire.question(pressed.q)
        return await ask(ctx, event, questionnaire, question, {**data, "review": True}, edit=True)
    return []


async def on_input(ctx: Ctx, event: Event) -> list[Effect]:
    """What the person writes or sends while the dialog is on: a typed answer, a command no flow took, a file."""
    state = await ctx.dialog.get_state()
    data = await ctx.dialog.get_data()
    if state == REVIEW:
        if isinstance(event, FileIn):
            return [Show(Screen(tr("survey-non-text")), edit=False)]
        return [Show(Screen(tr("survey-press-a-button", audience=audience_of(data))), edit=False)]
    questionnaire = ctx.repos.questionnaires.get(data.get("qn", ""))
    current = data.get("q")
    on_screen = questionnaire is not None and bool(current) and questionnaire.has_question(current)
    if isinstance(event, FileIn):
        effects: list[Effect] = [Show(Screen(tr("survey-non-text")), edit=False)]
        if on_screen and questionnaire is not None:
            effects += await _again(ctx, event, questionnaire, data, edit=False)
        return effects
    if questionnaire is None or not on_screen:
        await ctx.dialog.clear()
        return [Show(Screen(tr("unknown-input")), edit=False)]
    audience = audience_of(data)
    if isinstance(event, CommandIn):
        return [Show(Screen(tr("survey-command-hint", audience=audience)), edit=False)]
    assert isinstance(event, TextIn)
    return await _typed(ctx, event, questionnaire, questionnaire.question(current), data)


async def _typed(
    ctx: Ctx, event: TextIn, questionnaire: Questionnaire, question: Question, data: dict[str, Any]
) -> list[Effect]:
    details = data.get("det") == question.id
    try:
        if details:
            value: Any = check_free_text(event.text, DETAILS_MAX_LENGTH)
        elif question.type is QuestionType.MULTI:
            raise InvalidAnswer("answer-choose-many")
        else:
            value = parse_text(question, event.text)
    except InvalidAnswer as exc:
        hint = Show(Screen(esc(exc.text(audience_of(data)))), edit=False)
        return [hint, *await _again(ctx, event, questionnaire, data, edit=False)]
    if details:
        return await _accept_details(ctx, event, questionnaire, question, data, value)
    return await _accept(ctx, event, questionnaire, question, data, value)


async def from_menu(ctx: Ctx, event: PressIn, participant: Participant | None) -> list[Effect] | None:
    """The menu's «Заполнить анкету» / «Продолжить анкету» and «Изменить ответ» (None: not one of them)."""
    try:
        action = MenuPayload.unpack(event.payload).action
    except PayloadError:
        return None
    if participant is None or action not in ("survey", "edit"):
        return None
    if action == "survey":
        return await begin(ctx, participant, event=event)
    return await review(ctx, participant, event=event) if participant.has_consent else None


ROUTES = FlowRoutes(presses={SurveyPayload.prefix: on_press}, dialogs={GROUP: on_input})
