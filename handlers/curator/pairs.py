"""/pairs (list, card, dissolve with a reason) and /bases (the bases of mentees and mentors as XLSX)."""

from __future__ import annotations

from dataclasses import replace

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot import texts
from bot.clock import Clock
from bot.documents import PersonRow, people_workbook
from bot.pairs import Pair
from bot.programme import INTAKE_BY_ROLE, Role
from bot.questionnaires import Questionnaire
from bot.settings import Settings
from handlers.curator.documents import person_row
from handlers.filters import HasText
from handlers.kb.matching import BasesCb, PairCb, bases_keyboard, finish_keyboard, paged, pair_card_keyboard
from handlers.notify import notify
from handlers.states import DissolvePair
from handlers.ui import show
from storage.audit import AuditLog
from storage.matching import MatchingRepo
from storage.outbox import Outbox
from storage.participants import ParticipantRepo


def _mentees(names: list[str]) -> str:
    return ", ".join(names) or "—"


async def _list(target: Message | CallbackQuery, matching: MatchingRepo, page: int = 0) -> None:
    pairs = await matching.pairs()
    if not pairs:
        await show(target, texts.PAIRS_EMPTY)
        return
    lines, form = [], None
    for pair in pairs:
        if pair.form != form:
            form = pair.form
            lines.append(texts.PAIRS_FORM.format(form=form.label))
        names = [m.name if m else texts.PAIR_WITHDRAWN for m in pair.mentees]
        mentor = pair.mentor.name if pair.mentor else texts.PAIR_WITHDRAWN
        lines.append(texts.PAIRS_LINE.format(n=pair.id, mentor=texts.esc(mentor), mentees=texts.esc(_mentees(names))))
    body = "".join(lines)
    if len(body) > 3500:
        body = body[:3500].rsplit("\n", 1)[0] + "\n…"
    items = [
        (f"№{p.id} {(p.mentor.name if p.mentor else texts.PAIR_WITHDRAWN)}", PairCb(a="card", id=p.id)) for p in pairs
    ]
    await show(
        target,
        texts.PAIRS_LIST.format(count=len(pairs), lines=body),
        paged(items, page, lambda p: PairCb(a="list", id=p), [(texts.BTN_FINISH_YEAR, PairCb(a="finish"))]),
    )


async def cmd_pairs(message: Message, matching: MatchingRepo, audit: AuditLog) -> None:
    await audit.record(message.from_user.id, "pairs.list")  # type: ignore[union-attr]
    await _list(message, matching)


async def on_pair(
    query: CallbackQuery,
    callback_data: PairCb,
    state: FSMContext,
    settings: Settings,
    matching: MatchingRepo,
    outbox: Outbox,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    if callback_data.a == "list":
        await _list(query, matching, callback_data.id)
        return
    if callback_data.a == "finish":
        count = len(await matching.pairs())
        await show(query, texts.FINISH_CONFIRM.format(count=count), finish_keyboard())
        return
    if callback_data.a == "finish_ok":
        finished = 0
        for pair in await matching.pairs():
            if await matching.dissolve(pair.id, texts.FINISH_REASON):
                finished += 1
                for person in pair.people:
                    await notify(outbox, person.telegram_id, texts.FINISHED_NOTICE)
        await audit.record(query.from_user.id, "pairs.finish_year", None, {"pairs": finished})
        await show(query, texts.FINISHED.format(count=finished))
        return
    pair = await matching.pair(callback_data.id)
    if pair is None:
        callback_answer.text = texts.STALE_BUTTON
        return
    if callback_data.a == "dis" and pair.dissolved_at is None:
        await state.set_state(DissolvePair.reason)
        await state.set_data({"pair": pair.id})
        await show(query, texts.DISSOLVE_ASK_REASON.format(id=pair.id), edit=False)
        return
    await audit.record(query.from_user.id, "pair.card", str(pair.id))
    names = [m.name if m else texts.PAIR_WITHDRAWN for m in pair.mentees]
    text = texts.PAIR_CARD.format(
        kind=texts.KIND_GROUP if pair.is_group else texts.KIND_PAIR,
        id=pair.id,
        form=pair.form.label,
        mentor=texts.esc(pair.mentor.name if pair.mentor else texts.PAIR_WITHDRAWN),
        mentees=texts.esc(_mentees(names)),
        date=pair.confirmed_at.astimezone(settings.institution.tz).strftime("%d.%m.%Y"),
    )
    await show(query, text, pair_card_keyboard(pair.id, pair.dissolved_at is None))


async def on_dissolve_reason(
    message: Message, state: FSMContext, matching: MatchingRepo, outbox: Outbox, audit: AuditLog
) -> None:
    reason = " ".join((message.text or "").split())
    if not 3 <= len(reason) <= 300:
        await message.answer(texts.DISSOLVE_BAD_REASON)
        return
    data = await state.get_data()
    await state.clear()
    pair = await matching.pair(int(data.get("pair", 0)))
    if pair is None or not await matching.dissolve(pair.id, reason):
        await message.answer(texts.STALE_BUTTON)
        return
    await audit.record(message.from_user.id, "pair.dissolve", str(pair.id), {"reason": reason})  # type: ignore[union-attr]
    # The curator's reason may name one of them: a withdrawal of any of them takes these notices too.
    people = [p.id for p in pair.people]
    for person in pair.people:
        notice = texts.DISSOLVED_NOTICE.format(reason=texts.esc(reason))
        await notify(outbox, person.telegram_id, notice, about=people)
    await message.answer(texts.DISSOLVED.format(id=pair.id))


def _in_pair(row: PersonRow, pair: Pair | None) -> PersonRow:
    """Someone in a pair has the pair's number as their status: the number /pairs and the alerts show."""
    if pair is None:
        return row
    return replace(row, status=(texts.BASE_IN_GROUP if pair.is_group else texts.BASE_IN_PAIR).format(id=pair.id))


async def cmd_bases(message: Message) -> None:
    await message.answer(texts.BASES_PICK, reply_markup=bases_keyboard())


async def on_bases(
    query: CallbackQuery,
    callback_data: BasesCb,
    bot: Bot,
    clock: Clock,
    settings: Settings,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    questionnaires: dict[str, Questionnaire],
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    mentors = callback_data.kind == "mentors"
    roles = [Role.MENTOR] if mentors else [Role.MENTEE_PUPIL, Role.MENTEE_TEACHER]
    people = [p for p in await participants.all_consented() if p.role in roles]
    if not people:
        callback_answer.text = texts.BASE_EMPTY
        return
    answers = await matching.answers_of([p.id for p in people])
    paired = {m.id: pair for pair in await matching.pairs() for m in pair.people}
    rows = [
        _in_pair(
            person_row(p, questionnaires[INTAKE_BY_ROLE[p.role]], answers.get(p.id, {}), settings), paired.get(p.id)
        )
        for p in people
    ]
    title = texts.BTN_BASE_MENTORS if mentors else texts.BTN_BASE_MENTEES
    now = clock.now().astimezone(settings.institution.tz)
    data = people_workbook(title, rows, organization=settings.institution.organization_name, generated=now)
    await audit.record(query.from_user.id, "bases.export", callback_data.kind, {"rows": len(rows)})
    name = "baza-nastavnikov" if mentors else "baza-nastavlyaemyh"
    await bot.send_document(
        query.from_user.id, BufferedInputFile(data, filename=f"{name}-{now:%Y-%m-%d}.xlsx"), caption=title
    )


def build_router() -> Router:
    router = Router(name="curator-pairs")
    router.message.register(cmd_pairs, Command("pairs"))
    router.message.register(cmd_bases, Command("bases"))
    router.message.register(on_dissolve_reason, StateFilter(DissolvePair.reason), HasText())
    router.callback_query.register(on_pair, PairCb.filter(), flags={"callback_answer": {"pre": False}})
    router.callback_query.register(on_bases, BasesCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
