"""/participants: counts by role, form and status, a paged filtered list, a card with the answers.

Every screen that shows personal data is written to the audit log.
"""

from __future__ import annotations

from collections import Counter

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot import texts
from bot.consent import ConsentKind
from bot.programme import INTAKE_BY_ROLE, Role, Status
from bot.questionnaires import Questionnaire
from bot.settings import Settings
from handlers.kb.curator import PeopleCb, card_keyboard, page_keyboard, summary_keyboard
from handlers.kb.joining import start_survey_keyboard
from handlers.menu import answers_block, consent_line
from handlers.notify import notify
from handlers.ui import show
from storage.audit import AuditLog
from storage.outbox import Outbox
from storage.participants import ParticipantRepo

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
    return texts.PARTICIPANTS_SUMMARY.format(
        total=total, by_role="\n".join(role_lines), by_status="\n".join(status_lines)
    )


async def cmd_participants(message: Message, participants: ParticipantRepo, audit: AuditLog) -> None:
    text = await _summary_text(participants)
    await audit.record(message.from_user.id, "participants.summary")  # type: ignore[union-attr]
    if text is None:
        await message.answer(texts.PARTICIPANTS_EMPTY)
        return
    await message.answer(text, reply_markup=summary_keyboard())


async def cmd_consent_paper(message: Message) -> None:
    await message.answer(texts.CONSENT_PAPER_HELP)


async def on_people(
    query: CallbackQuery,
    callback_data: PeopleCb,
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
        await show(query, text or texts.PARTICIPANTS_EMPTY, summary_keyboard() if text else None)
        return
    if action == "list":
        try:
            role = Role(callback_data.role) if callback_data.role else None
            status = Status(callback_data.st) if callback_data.st else None
        except ValueError:
            callback_answer.text = texts.STALE_BUTTON
            return
        offset = max(0, callback_data.off)
        people, total = await participants.page(role=role, status=status, offset=offset, limit=PAGE_SIZE)
        await audit.record(
            curator_id,
            "participants.list",
            None,
            {"role": callback_data.role, "status": callback_data.st, "offset": offset},
        )
        title = role.label if role else status.label if status else texts.PARTICIPANTS_ALL
        lines = [
            texts.PARTICIPANT_LINE.format(n=n, name=texts.esc(p.shown_name()), role=p.role.label, status=p.status.label)
            for n, p in enumerate(people, start=offset + 1)
        ]
        text = texts.PARTICIPANTS_PAGE.format(
            title=title, shown=len(people), total=total, lines="\n".join(lines) or "—"
        )
        await show(query, text, page_keyboard(people, callback_data.role, callback_data.st, offset, total, PAGE_SIZE))
        return
    person = await participants.get(callback_data.pid)
    if person is None:
        callback_answer.text = texts.PARTICIPANT_GONE
        callback_answer.show_alert = True
        return
    if action == "paper":
        recorded = await participants.record_consent(person.id, None, kind=ConsentKind.PAPER, given_by=curator_id)
        if not recorded:
            callback_answer.text = texts.PAPER_CONSENT_ALREADY
            return
        await audit.record(curator_id, "consent.paper", person.pseudonym)
        callback_answer.text = texts.PAPER_CONSENT_DONE.format(pseudonym=person.pseudonym)
        await notify(outbox, person.telegram_id, texts.CHILD_PAPER_CONSENTED, start_survey_keyboard())
        person = await participants.get(person.id)
        assert person is not None
    elif action != "card":
        callback_answer.text = texts.STALE_BUTTON
        return
    await audit.record(curator_id, "participant.card", person.pseudonym)
    questionnaire = questionnaires[INTAKE_BY_ROLE[person.role]]
    answers = await participants.answers(person.id, questionnaire.id)
    record = await participants.consent(person.id)
    consent = consent_line(record, settings)
    if record is not None and record.parent_name:
        relation = record.parent_relation.label if record.parent_relation else ""
        consent += f" ({texts.esc(record.parent_name)}, {relation})"
    text = texts.PARTICIPANT_CARD.format(
        name=texts.esc(person.shown_name()),
        pseudonym=person.pseudonym,
        role=person.role.label,
        form=person.form.label,
        joined=person.joined_at.astimezone(settings.institution.tz).strftime("%d.%m.%Y"),
        status=person.status.label,
        consent=consent,
        answers=answers_block(questionnaire, answers),
    )
    await show(query, text, card_keyboard(person))


def build_router() -> Router:
    router = Router(name="curator-participants")
    router.message.register(cmd_participants, Command("participants"))
    router.message.register(cmd_consent_paper, Command("consent_paper"))
    router.callback_query.register(on_people, PeopleCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
