"""/pairs (list, card, dissolve with a reason, finish the year and its archive) and /bases (the bases of mentees
and mentors as XLSX)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock
from bot.documents import PersonRow, people_workbook
from bot.i18n import esc, tr
from bot.pairs import Pair
from bot.programme import INTAKE_BY_ROLE, ArchivedYear, Role, programme_year
from bot.questionnaires import Questionnaire
from bot.settings import Settings
from handlers.curator.documents import person_row
from handlers.curator.reports import deliver
from handlers.filters import HasText
from handlers.kb.matching import BasesCb, PairCb, bases_keyboard, paged, pair_card_keyboard
from handlers.kb.years import ArchiveCb, archive_buttons, archive_card_keyboard, finish_keyboard, renew_keyboard
from handlers.notify import notify
from handlers.states import DissolvePair
from handlers.ui import show
from scheduler.notices import audience_of
from storage.audit import AuditLog
from storage.campaigns import CampaignRepo
from storage.matching import MatchingRepo
from storage.outbox import Outbox
from storage.participants import ParticipantRepo
from storage.reports import ReportRepo


def _mentees(names: list[str]) -> str:
    return ", ".join(names) or "—"


async def _list(target: Message | CallbackQuery, matching: MatchingRepo, page: int = 0) -> None:
    """The current pairs with the finish button, and the archived years' buttons."""
    pairs = await matching.pairs()
    archive = archive_buttons(await matching.years(), "pairs")
    if not pairs:
        await show(target, tr("pairs-empty"), paged([], 0, lambda p: PairCb(a="list", id=p), archive))
        return
    tail = [(tr("btn-finish-year"), PairCb(a="finish")), *archive]
    await show(
        target,
        tr("pairs-list", count=len(pairs), lines=_lines(pairs)),
        paged(_items(pairs, lambda pid: PairCb(a="card", id=pid)), page, lambda p: PairCb(a="list", id=p), tail),
    )


async def _archive_list(
    query: CallbackQuery, matching: MatchingRepo, year: ArchivedYear, page: int, settings: Settings
) -> None:
    """The pairs an archived year ended with (their cards open as any pair's)."""
    pairs = await matching.pairs(year=year.id)
    if not pairs:
        await show(query, tr("archive-pairs-empty", year=year.label))
        return
    date = year.finished_at.astimezone(settings.institution.tz).strftime("%d.%m.%Y")
    text = tr("archive-pairs-list", year=year.label, count=len(pairs), date=date, lines=_lines(pairs))
    items = _items(pairs, lambda pair_id: ArchiveCb(a="card", y=year.id, p=pair_id))
    await show(query, text, paged(items, page, lambda p: ArchiveCb(a="pairs", y=year.id, p=p)))


async def _archive_card(
    query: CallbackQuery, matching: MatchingRepo, year: ArchivedYear, pair: Pair, settings: Settings
) -> None:
    """An archived pair, with who of its people confirmed the next year and a button for each who has not (they
    told the curator)."""
    renewals = await matching.renewals(year.id)
    tz = settings.institution.tz
    names = [m.name if m else tr("pair-withdrawn") for m in pair.mentees]
    lines = "\n".join(
        tr("archive-renewal-line",
            name=esc(p.name), state=tr(f"archive-renewal-states-{renewals.get(p.id) or 'none'}")
        )
        for p in pair.people
    )
    text = tr("archive-pair-card",
        kind=tr("kind-group") if pair.is_group else tr("kind-pair"),
        id=pair.id,
        form=pair.form.label,
        year=year.label,
        mentor=esc(pair.mentor.name if pair.mentor else tr("pair-withdrawn")),
        mentees=esc(_mentees(names)),
        start=pair.confirmed_at.astimezone(tz).strftime("%d.%m.%Y"),
        end=year.finished_at.astimezone(tz).strftime("%d.%m.%Y"),
        renewals=lines or tr("summary-none"),
    )
    waiting = [(p.id, p.name) for p in pair.people if p.id not in renewals]
    await show(query, text, archive_card_keyboard(year.id, pair.id, waiting))


def _items(pairs: list[Pair], card: Callable[[int], CallbackData]) -> list[tuple[str, CallbackData]]:
    return [
        (f"№{p.id} {(p.mentor.name if p.mentor else tr('pair-withdrawn'))}", card(p.id))
        for p in pairs
    ]


def _lines(pairs: list[Pair]) -> str:
    lines, form = [], None
    for pair in pairs:
        if pair.form != form:
            form = pair.form
            lines.append(tr("pairs-form", form=form.label))
        names = [m.name if m else tr("pair-withdrawn") for m in pair.mentees]
        mentor = pair.mentor.name if pair.mentor else tr("pair-withdrawn")
        lines.append(tr("pairs-line", n=pair.id, mentor=esc(mentor), mentees=esc(_mentees(names))))
    body = "".join(lines)
    if len(body) > 3500:
        body = body[:3500].rsplit("\n", 1)[0] + "\n…"
    return body


async def cmd_pairs(message: Message, matching: MatchingRepo, audit: AuditLog) -> None:
    await audit.record(message.from_user.id, "pairs.list")  # type: ignore[union-attr]
    await _list(message, matching)


def _year_label(pairs: list[Pair], clock: Clock, settings: Settings) -> str:
    """The programme year being finished: the one its first pair was confirmed in (a year finished in June or
    late, in September, is still the year it began)."""
    started = min((p.confirmed_at for p in pairs), default=clock.now())
    return programme_year(started.astimezone(settings.institution.tz).date())


async def _finish(
    query: CallbackQuery,
    clock: Clock,
    settings: Settings,
    matching: MatchingRepo,
    participants: ParticipantRepo,
    outbox: Outbox,
    audit: AuditLog,
) -> None:
    label = _year_label(await matching.pairs(), clock, settings)
    done = await matching.finish_year(label, query.from_user.id, tr("finish-reason"))
    if done is None:
        await show(query, tr("finish-nothing"))
        return
    year, closed = done
    pairs = await matching.pairs(active=False, ids=closed) if closed else []
    for pair in pairs:
        for person in pair.people:
            notice = tr("finished-notice", audience=await audience_of(participants, person.id))
            await notify(outbox, person.telegram_id, notice, renew_keyboard(year.id))
    renewed = await matching.renewed(year.id)
    await audit.record(query.from_user.id, "pairs.finish_year", year.label, {"pairs": len(closed)})
    await show(query, tr("finished", year=year.label, count=len(closed), renewed=renewed))


async def on_archive(
    query: CallbackQuery,
    callback_data: ArchiveCb,
    bot: Bot,
    clock: Clock,
    settings: Settings,
    matching: MatchingRepo,
    reports: ReportRepo,
    campaigns: CampaignRepo,
    questionnaires: dict[str, Questionnaire],
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    """An archived year: its pairs (a page of them), its summary, charts or export."""
    year = next((y for y in await matching.years() if y.id == callback_data.y), None)
    if year is None or callback_data.a not in ("pairs", "card", "renew", "summary", "charts", "export"):
        callback_answer.text = tr("stale-button")
        return
    if callback_data.a == "pairs":
        await audit.record(query.from_user.id, "pairs.archive", year.label)
        await _archive_list(query, matching, year, callback_data.p, settings)
        return
    if callback_data.a in ("card", "renew"):
        pair = next((p for p in await matching.pairs(year=year.id) if p.id == callback_data.p), None)
        if pair is None:
            callback_answer.text = tr("stale-button")
            return
        if callback_data.a == "renew" and callback_data.q in {p.id for p in pair.people}:
            await matching.renew(callback_data.q, year.id, "curator")
            await audit.record(query.from_user.id, "year.renew", str(callback_data.q), {"year": year.label})
        else:
            await audit.record(query.from_user.id, "pair.card", str(pair.id))
        await _archive_card(query, matching, year, pair, settings)
        return
    chat_id = query.message.chat.id if query.message else query.from_user.id
    args = (bot, clock, settings, reports, campaigns, questionnaires, audit, year)
    await deliver(callback_data.a, chat_id, query.from_user.id, *args)


async def on_pair(
    query: CallbackQuery,
    callback_data: PairCb,
    state: FSMContext,
    clock: Clock,
    settings: Settings,
    matching: MatchingRepo,
    participants: ParticipantRepo,
    outbox: Outbox,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    if callback_data.a == "list":
        await _list(query, matching, callback_data.id)
        return
    if callback_data.a == "finish":
        pairs = await matching.pairs()
        label = _year_label(pairs, clock, settings)
        # The button carries how many years were archived then: a confirmation left in the chat cannot finish
        # the next year.
        markup = finish_keyboard(len(await matching.years()))
        await show(query, tr("finish-confirm", count=len(pairs), year=label), markup)
        return
    if callback_data.a == "finish_ok":
        if callback_data.id != len(await matching.years()):
            callback_answer.text = tr("stale-button")
            return
        await _finish(query, clock, settings, matching, participants, outbox, audit)
        return
    pair = await matching.pair(callback_data.id)
    if pair is None:
        callback_answer.text = tr("stale-button")
        return
    if callback_data.a == "dis" and pair.dissolved_at is None:
        await state.set_state(DissolvePair.reason)
        await state.set_data({"pair": pair.id})
        await show(query, tr("dissolve-ask-reason", id=pair.id), edit=False)
        return
    await audit.record(query.from_user.id, "pair.card", str(pair.id))
    names = [m.name if m else tr("pair-withdrawn") for m in pair.mentees]
    text = tr("pair-card",
        kind=tr("kind-group") if pair.is_group else tr("kind-pair"),
        id=pair.id,
        form=pair.form.label,
        mentor=esc(pair.mentor.name if pair.mentor else tr("pair-withdrawn")),
        mentees=esc(_mentees(names)),
        date=pair.confirmed_at.astimezone(settings.institution.tz).strftime("%d.%m.%Y"),
    )
    await show(query, text, pair_card_keyboard(pair.id, pair.dissolved_at is None))


async def on_dissolve_reason(
    message: Message,
    state: FSMContext,
    matching: MatchingRepo,
    participants: ParticipantRepo,
    outbox: Outbox,
    audit: AuditLog,
) -> None:
    reason = " ".join((message.text or "").split())
    if not 3 <= len(reason) <= 300:
        await message.answer(tr("dissolve-bad-reason"))
        return
    data = await state.get_data()
    await state.clear()
    pair = await matching.pair(int(data.get("pair", 0)))
    if pair is None or not await matching.dissolve(pair.id, reason):
        await message.answer(tr("stale-button"))
        return
    await audit.record(message.from_user.id, "pair.dissolve", str(pair.id), {"reason": reason})  # type: ignore[union-attr]
    # The curator's reason may name one of them: a withdrawal of any of them takes these notices too.
    people = [p.id for p in pair.people]
    for person in pair.people:
        audience = await audience_of(participants, person.id)
        notice = tr("dissolved-notice", audience=audience, reason=esc(reason))
        await notify(outbox, person.telegram_id, notice, about=people)
    await message.answer(tr("dissolved", id=pair.id))


def _in_pair(row: PersonRow, pair: Pair | None) -> PersonRow:
    """Someone in a pair has the pair's number as their status: the number /pairs and the alerts show."""
    if pair is None:
        return row
    return replace(row, status=tr("base-in-group" if pair.is_group else "base-in-pair", id=pair.id))


async def cmd_bases(message: Message) -> None:
    await message.answer(tr("bases-pick"), reply_markup=bases_keyboard())


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
        callback_answer.text = tr("base-empty")
        return
    answers = await matching.answers_of([p.id for p in people])
    paired = {m.id: pair for pair in await matching.pairs() for m in pair.people}
    rows = [
        _in_pair(
            person_row(p, questionnaires[INTAKE_BY_ROLE[p.role]], answers.get(p.id, {}), settings), paired.get(p.id)
        )
        for p in people
    ]
    title = tr("btn-base-mentors") if mentors else tr("btn-base-mentees")
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
    router.callback_query.register(on_archive, ArchiveCb.filter(), flags={"callback_answer": {"pre": False}})
    router.callback_query.register(on_bases, BasesCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
