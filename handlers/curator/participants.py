"""/participants: counts by role, form and status, a paged filtered list, a card with the answers; from the card
the curator records a paper consent (the parent's name, the paper's date, a confirmation) or corrects a name.

Every screen that shows personal data is written to the audit log.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock
from bot.consent import BadPaperDate, ConsentKind, clean_signatory_name, parse_paper_date
from bot.i18n import esc, tr
from bot.participants import Participant
from bot.programme import INTAKE_BY_ROLE, Role, Status
from bot.questionnaires import Questionnaire
from bot.questionnaires.answers import InvalidAnswer, parse_text
from bot.settings import Settings
from handlers.filters import PlainText
from handlers.kb.curator import PeopleCb, card_keyboard, dialog_confirm_keyboard, page_keyboard, summary_keyboard
from handlers.kb.joining import start_survey_keyboard
from handlers.menu import answers_block, consent_line, local_day, local_moment
from handlers.notify import notify
from handlers.states import NameCorrection, PaperConsent
from handlers.ui import show
from storage.audit import AuditLog
from storage.outbox import Outbox
from storage.participants import NAME_QUESTION, ConsentRecord, ParticipantRepo

PAGE_SIZE = 8


async def _summary_text(participants: ParticipantRepo) -> str | None:
    counts = await participants.counts()
    if not counts:
        return None
    total = sum(n for *_, n in counts)
    by_role: Counter[Role] = Counter()
    by_role_form: Counter[tuple[Role, str]] = Counter()
    by_status: Counter[Status] = Counter()
    for role, form, status, n in counts:
        by_role[role] += n
        by_role_form[(role, form.label)] += n
        by_status[status] += n
    role_lines = []
    for role in Role:
        if not by_role[role]:
            continue
        forms = ", ".join(f"{label}: {n}" for (r, label), n in sorted(by_role_form.items()) if r is role)
        role_lines.append(f"<b>{role.label}</b>: {by_role[role]} ({forms})")
    status_lines = [f"{status.label}: {by_status[status]}" for status in Status if by_status[status]]
    return tr("participants-summary",
        total=total, by_role="\n".join(role_lines), by_status="\n".join(status_lines)
    )


async def cmd_participants(message: Message, participants: ParticipantRepo, audit: AuditLog) -> None:
    text = await _summary_text(participants)
    await audit.record(message.from_user.id, "participants.summary")  # type: ignore[union-attr]
    if text is None:
        await message.answer(tr("participants-empty"))
        return
    await message.answer(text, reply_markup=summary_keyboard())


def identity(person: Participant, tz: ZoneInfo) -> str:
    """How the curator tells people apart: the name, or before it (a child waiting for a parent) when they came,
    by which link, and the parent's name from the consent. Plain text: escape it for HTML."""
    if person.name:
        return person.name
    if person.invite_created_at is not None and person.invite_tail:
        invite = tr("participant-invite",
            date=local_day(person.invite_created_at, tz), tail=person.invite_tail
        )
    else:
        invite = tr("participant-invite-gone")
    text = tr("participant-unnamed",
        pseudonym=person.pseudonym, joined=local_moment(person.joined_at, tz), invite=invite
    )
    if person.parent_name:
        text += tr("participant-unnamed-parent", parent=person.parent_name)
    return text


async def _list_page(
    target: Message | CallbackQuery,
    participants: ParticipantRepo,
    settings: Settings,
    *,
    role: Role | None,
    status: Status | None,
    offset: int,
    intro: str = "",
) -> None:
    tz = settings.institution.tz
    people, total = await participants.page(role=role, status=status, offset=offset, limit=PAGE_SIZE)
    names = [identity(p, tz) for p in people]
    lines = [
        tr("participant-line", n=n, name=esc(name), role=p.role.label, status=p.status.label)
        for n, (p, name) in enumerate(zip(people, names, strict=True), start=offset + 1)
    ]
    title = role.label if role else status.label if status else tr("participants-all")
    text = intro + tr("participants-page",
        title=title, shown=len(people), total=total, lines="\n".join(lines) or "—"
    )
    role_value, status_value = role.value if role else "", status.value if status else ""
    labels = [p.name or p.pseudonym for p in people]
    await show(target, text, page_keyboard(people, labels, role_value, status_value, offset, total, PAGE_SIZE))


async def cmd_consent_paper(
    message: Message, participants: ParticipantRepo, settings: Settings, audit: AuditLog
) -> None:
    """Who waits for a parent's consent, each with what identifies them; a card records the paper."""
    status = Status.AWAITING_PARENT
    _, total = await participants.page(status=status, limit=1)
    if not total:
        await message.answer(tr("consent-paper-nobody"))
        return
    await audit.record(message.from_user.id, "participants.list", None, {"status": status.value, "offset": 0})  # type: ignore[union-attr]
    intro = tr("consent-paper-help") + "\n\n"
    await _list_page(message, participants, settings, role=None, status=status, offset=0, intro=intro)


def _consent_text(record: ConsentRecord | None, settings: Settings) -> str:
    """The consent as the curator's card shows it: who gave it and when, on the institution's clock."""
    if record is not None and record.kind is ConsentKind.PAPER and record.paper_date and record.parent_name:
        day = f"{date.fromisoformat(record.paper_date):%d.%m.%Y}"
        at = local_moment(record.given_at, settings.institution.tz)
        return tr("consent-paper-details", date=day, parent=esc(record.parent_name), at=at)
    consent = consent_line(record, settings)
    if record is not None and record.parent_name and record.parent_relation:
        consent += tr("consent-parent-details",
            parent=esc(record.parent_name), relation=record.parent_relation.label
        )
    return consent


async def _card(
    query: CallbackQuery,
    person: Participant,
    settings: Settings,
    participants: ParticipantRepo,
    questionnaires: dict[str, Questionnaire],
    audit: AuditLog,
    *,
    edit: bool = True,
) -> None:
    await audit.record(query.from_user.id, "participant.card", person.pseudonym)
    tz = settings.institution.tz
    questionnaire = questionnaires[INTAKE_BY_ROLE[person.role]]
    answers = await participants.answers(person.id, questionnaire.id)
    if person.name:
        title = tr("participant-card-title", name=esc(person.name), pseudonym=person.pseudonym)
    else:
        title = tr("participant-card-title-unnamed", pseudonym=person.pseudonym)
    if person.invite_created_at is not None and person.invite_tail:
        invite = tr("participant-invite",
            date=local_day(person.invite_created_at, tz), tail=person.invite_tail
        )
    else:
        invite = tr("participant-invite-gone")
    text = tr("participant-card",
        title=title,
        role=person.role.label,
        form=person.form.label,
        joined=local_moment(person.joined_at, tz),
        invite=invite,
        status=person.status.label,
        consent=_consent_text(await participants.consent(person.id), settings),
        answers=answers_block(questionnaire, answers),
    )
    await show(query, text, card_keyboard(person), edit=edit)


async def on_people(
    query: CallbackQuery,
    callback_data: PeopleCb,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    questionnaires: dict[str, Questionnaire],
    audit: AuditLog,
    outbox: Outbox,
    callback_answer: CallbackAnswer,
) -> None:
    curator_id = query.from_user.id
    action = callback_data.a
    if action == "sum":
        text = await _summary_text(participants)
        await show(query, text or tr("participants-empty"), summary_keyboard() if text else None)
        return
    if action == "list":
        try:
            role = Role(callback_data.role) if callback_data.role else None
            status = Status(callback_data.st) if callback_data.st else None
        except ValueError:
            callback_answer.text = tr("stale-button")
            return
        offset = max(0, callback_data.off)
        await audit.record(
            curator_id,
            "participants.list",
            None,
            {"role": callback_data.role, "status": callback_data.st, "offset": offset},
        )
        await _list_page(query, participants, settings, role=role, status=status, offset=offset)
        return
    person = await participants.get(callback_data.pid)
    if person is None:
        callback_answer.text = tr("participant-gone")
        callback_answer.show_alert = True
        return
    if action == "paper":
        if person.has_consent:
            callback_answer.text = tr("paper-consent-already")
            return
        # `child`: a withdrawal of this person deletes the dialog (storage.participants._forget_dialogs_about).
        await state.set_state(PaperConsent.parent)
        await state.set_data({"child": person.id})
        who = esc(identity(person, settings.institution.tz))
        await show(query, tr("paper-ask-parent", who=who), edit=False)
        return
    if action == "rename":
        if not person.name:
            callback_answer.text = tr("stale-button")
            return
        question = questionnaires[INTAKE_BY_ROLE[person.role]].question(NAME_QUESTION)
        await state.set_state(NameCorrection.name)
        await state.set_data({"about": person.id})
        await show(query, tr("rename-ask", name=esc(person.name), what=question.caption), edit=False)
        return
    if action in ("pok", "rok", "no"):
        data = await state.get_data()
        expected = PaperConsent.confirm if action == "pok" else NameCorrection.confirm
        current = await state.get_state()
        in_dialog = data.get("child", data.get("about")) == person.id
        if not in_dialog or (action != "no" and current != expected.state):
            callback_answer.text = tr("stale-button")
            return
        await state.clear()
        if action == "no":
            await show(query, tr("dialog-cancelled"))
            await _card(query, person, settings, participants, questionnaires, audit, edit=False)
            return
        if action == "pok":
            await _record_paper(query, person, data, participants, audit, outbox)
        else:
            await _rename(query, person, data, participants, callback_answer)
        person = await participants.get(person.id)
        if person is None:
            return
        await _card(query, person, settings, participants, questionnaires, audit, edit=False)
        return
    if action != "card":
        callback_answer.text = tr("stale-button")
        return
    await _card(query, person, settings, participants, questionnaires, audit)


async def _record_paper(
    query: CallbackQuery,
    person: Participant,
    data: dict[str, Any],
    participants: ParticipantRepo,
    audit: AuditLog,
    outbox: Outbox,
) -> None:
    paper_date = date.fromisoformat(str(data["date"]))
    recorded = await participants.record_consent(
        person.id,
        None,
        kind=ConsentKind.PAPER,
        given_by=query.from_user.id,
        parent_name=str(data["parent"]),
        paper_date=paper_date,
    )
    if not recorded:
        await show(query, tr("paper-consent-already"))
        return
    # The parent's name stays in the consent record only (deleted with the person), not in the audit details.
    await audit.record(query.from_user.id, "consent.paper", person.pseudonym, {"paper_date": paper_date.isoformat()})
    await show(query, tr("paper-consent-done", pseudonym=person.pseudonym))
    await notify(outbox, person.telegram_id, tr("child-paper-consented"), start_survey_keyboard())


async def _rename(
    query: CallbackQuery,
    person: Participant,
    data: dict[str, Any],
    participants: ParticipantRepo,
    callback_answer: CallbackAnswer,
) -> None:
    new = str(data["name"])
    old = await participants.rename(person.id, new, curator_id=query.from_user.id)
    if old is None:
        callback_answer.text = tr("stale-button")
        return
    await show(query, tr("rename-done", old=esc(old), new=esc(new)))


async def on_paper_parent(message: Message, state: FSMContext, clock: Clock, settings: Settings) -> None:
    name = clean_signatory_name(message.text or "")
    if name is None:
        await message.answer(tr("paper-bad-parent"))
        return
    await state.update_data(parent=name)
    await state.set_state(PaperConsent.date)
    today = clock.now().astimezone(settings.institution.tz).date()
    await message.answer(tr("paper-ask-date", today=f"{today:%d.%m.%Y}"))


async def on_paper_date(
    message: Message, state: FSMContext, clock: Clock, settings: Settings, participants: ParticipantRepo
) -> None:
    today = clock.now().astimezone(settings.institution.tz).date()
    try:
        signed = parse_paper_date(message.text or "", today)
    except BadPaperDate as problem:
        await message.answer(problem.user_text)
        return
    data = await state.get_data()
    person = await participants.get(int(data.get("child", 0)))
    if person is None or person.has_consent:
        await state.clear()
        await message.answer(tr("participant-gone") if person is None else tr("paper-consent-already"))
        return
    await state.update_data(date=signed.isoformat())
    await state.set_state(PaperConsent.confirm)
    text = tr("paper-confirm",
        who=esc(identity(person, settings.institution.tz)),
        parent=esc(str(data["parent"])),
        date=f"{signed:%d.%m.%Y}",
    )
    await message.answer(text, reply_markup=dialog_confirm_keyboard(person.id, "pok", tr("btn-paper-confirm")))


async def on_new_name(
    message: Message, state: FSMContext, participants: ParticipantRepo, questionnaires: dict[str, Questionnaire]
) -> None:
    data = await state.get_data()
    person = await participants.get(int(data.get("about", 0)))
    if person is None or not person.name:
        await state.clear()
        await message.answer(tr("participant-gone"))
        return
    question = questionnaires[INTAKE_BY_ROLE[person.role]].question(NAME_QUESTION)
    try:
        name = str(parse_text(question, message.text or ""))
    except InvalidAnswer as problem:
        await message.answer(tr("rename-bad", problem=problem.message))
        return
    if name == person.name:
        await message.answer(tr("rename-same"))
        return
    await state.update_data(name=name)
    await state.set_state(NameCorrection.confirm)
    text = tr("rename-confirm", old=esc(person.name), new=esc(name))
    await message.answer(text, reply_markup=dialog_confirm_keyboard(person.id, "rok", tr("btn-rename-confirm")))


def build_router() -> Router:
    router = Router(name="curator-participants")
    router.message.register(cmd_participants, Command("participants"))
    router.message.register(cmd_consent_paper, Command("consent_paper"))
    router.message.register(on_paper_parent, StateFilter(PaperConsent.parent), PlainText())
    router.message.register(on_paper_date, StateFilter(PaperConsent.date), PlainText())
    router.message.register(on_new_name, StateFilter(NameCorrection.name), PlainText())
    router.callback_query.register(on_people, PeopleCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
