"""/match: the draft of pairs and groups with scores and reasons, the curator's corrections, confirmation."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot import texts
from bot.clock import Clock
from bot.documents import OrderInfo, PairRow, pairs_workbook
from bot.matching import MatchResult, Weights
from bot.matching.draft import build_pool, fingerprint, make_draft, reasons_text
from bot.matching.profiles import option_labels
from bot.monitoring import GROWTH_ENTRY
from bot.pairs import Candidate
from bot.programme import INTAKE_BY_ROLE, Form, Role
from bot.questionnaires import Questionnaire, format_value, load_vocabulary
from bot.settings import Settings
from handlers.curator.documents import is_adult, order_filename, order_info, pair_rows
from handlers.kb.matching import FormCb, MatchCb, draft_keyboard, forms_keyboard, paged
from handlers.notify import notify
from handlers.ui import show
from scheduler.notices.campaigns import launch
from storage.audit import AuditLog
from storage.campaigns import CampaignRepo
from storage.matching import MatchingRepo, ProposedGroup
from storage.outbox import Outbox
from storage.participants import ParticipantRepo

PAGE_LIMIT = 3300


@cache
def _labels() -> dict[str, str]:
    return option_labels(load_vocabulary())


@dataclass(frozen=True)
class Draft:
    form: Form
    result: MatchResult
    people: dict[int, Candidate]
    mentees: int
    pins: int
    excluded: int

    def name(self, pid: int) -> str:
        person = self.people.get(pid)
        return person.name if person else f"P-{pid:05d}"


async def compute(form: Form, matching: MatchingRepo, settings: Settings) -> Draft:
    candidates = await matching.candidates(form)
    latest = await matching.latest_round(form)
    preferences = await matching.submitted(latest.id) if latest else {}
    mentees, mentors = build_pool(candidates, form.value, preferences)
    pinned, excluded = await matching.constraints(form)
    # In a worker thread: the first draft imports the solver (numpy, scipy), and a large pool takes CPU.
    result = await asyncio.to_thread(
        make_draft,
        mentees,
        mentors,
        pinned=pinned,
        excluded=excluded,
        weights=Weights(**settings.matching.match_weights),
        labels=_labels(),
    )
    return Draft(
        form=form,
        result=result,
        people={c.id: c for c in candidates},
        mentees=len(mentees),
        pins=len(pinned),
        excluded=len(excluded),
    )


def pages(draft: Draft) -> list[str]:
    """The draft as text pages that each fit one message: whole groups per page, the unmatched last."""
    result = draft.result
    groups = result.groups()
    header = texts.DRAFT_HEADER.format(
        form=draft.form.label,
        matched=result.matched_count,
        mentees=draft.mentees,
        pairs=sum(1 for g in groups.values() if len(g) == 1),
        groups=sum(1 for g in groups.values() if len(g) > 1),
        total=f"{result.total_score:.1f}",
        pins=draft.pins,
        excluded=draft.excluded,
    )
    blocks: list[str] = []
    for n, (mentor_id, members) in enumerate(groups.items(), start=1):
        kind = texts.DRAFT_KIND_GROUP.format(size=len(members)) if len(members) > 1 else ""
        block = texts.DRAFT_GROUP.format(n=n, mentor=texts.esc(draft.name(mentor_id)), kind=kind)
        for pair in members:
            block += texts.DRAFT_MEMBER.format(
                name=texts.esc(draft.name(pair.mentee_id)),
                score=f"{pair.score:.1f}",
                pin=texts.DRAFT_PIN_MARK if pair.pinned else "",
                reasons=texts.esc(reasons_text(pair.reasons) or "—"),
            )
        blocks.append(block)
    if result.unmatched:
        block = texts.DRAFT_UNMATCHED
        for person in result.unmatched:
            block += texts.DRAFT_UNMATCHED_LINE.format(
                name=texts.esc(draft.name(person.person_id)), reason=texts.esc(person.reason)
            )
        blocks.append(block[:PAGE_LIMIT])
    out: list[str] = []
    current = ""
    for block in blocks:
        if current and len(current) + len(block) > PAGE_LIMIT:
            out.append(current)
            current = ""
        current += block
    out.append(current)
    return [header + body for body in out]


async def show_draft(target: Message | CallbackQuery, draft: Draft, page: int = 0, *, edit: bool = True) -> None:
    texts_pages = pages(draft)
    page = min(max(page, 0), len(texts_pages) - 1)
    text = texts_pages[page]
    if len(texts_pages) > 1:
        text += texts.DRAFT_PAGE.format(page=page + 1, pages=len(texts_pages))
    markup = draft_keyboard(
        draft.form.value, page, len(texts_pages), fingerprint(draft.result), bool(draft.result.pairs)
    )
    await show(target, text, markup, edit=edit)


async def cmd_match(message: Message, matching: MatchingRepo) -> None:
    await ask_form(message, matching, "mt")


async def ask_form(message: Message, matching: MatchingRepo, flow: str) -> None:
    """The form picker that opens /groupmeeting, /preferences and /match."""
    forms = await matching.forms_with_candidates()
    if not forms:
        await message.answer(texts.NO_CANDIDATES)
        return
    await message.answer(texts.PICK_FORM, reply_markup=forms_keyboard(flow, forms))


async def on_form(
    query: CallbackQuery,
    callback_data: FormCb,
    matching: MatchingRepo,
    settings: Settings,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    form = Form.parse(callback_data.f)
    if form is None:
        callback_answer.text = texts.STALE_BUTTON
        return
    await audit.record(query.from_user.id, "match.draft", form.value)
    # From a withdrawal notice ("rm"): the draft comes as a new message, the notice stays.
    await show_draft(query, await compute(form, matching, settings), edit=callback_data.flow != "rm")


async def on_match(
    query: CallbackQuery,
    callback_data: MatchCb,
    questionnaires: dict[str, Questionnaire],
    campaigns: CampaignRepo,
    bot: Bot,
    clock: Clock,
    settings: Settings,
    matching: MatchingRepo,
    outbox: Outbox,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
    participants: ParticipantRepo,
) -> None:
    form = Form.parse(callback_data.f)
    if form is None:
        callback_answer.text = texts.STALE_BUTTON
        return
    action, mentee, mentor = callback_data.a, callback_data.m, callback_data.t
    draft = await compute(form, matching, settings)
    back = [(texts.BTN_BACK_TO_DRAFT, MatchCb(a="show", f=form.value))]
    if action in ("show", "rerun"):
        await show_draft(query, draft, callback_data.p if action == "show" else 0)
    elif action == "reset":
        await matching.clear_constraints(form)
        await audit.record(query.from_user.id, "match.reset", form.value)
        await show_draft(query, await compute(form, matching, settings))
    elif action == "mv" and not mentee:
        people = [p for p in draft.people.values() if not p.is_mentor]
        items = [(p.name, MatchCb(a="mv", f=form.value, m=p.id)) for p in people]
        markup = paged(items, callback_data.p, lambda p: MatchCb(a="mv", f=form.value, p=p), back)
        await show(query, texts.PICK_MENTEE_TO_MOVE, markup)
    elif action == "mv":
        mentors = [p for p in draft.people.values() if p.is_mentor]
        items = [(p.name, MatchCb(a="mvto", f=form.value, m=mentee, t=p.id)) for p in mentors]
        markup = paged(items, callback_data.p, lambda p: MatchCb(a="mv", f=form.value, m=mentee, p=p), back)
        await show(query, texts.PICK_MENTOR_TARGET.format(name=texts.esc(draft.name(mentee))), markup)
    elif action in ("pin", "ex") and not (mentee and mentor):
        items = [
            (
                f"{draft.name(p.mentee_id)} → {draft.name(p.mentor_id)}",
                MatchCb(a=action, f=form.value, m=p.mentee_id, t=p.mentor_id),
            )
            for p in draft.result.pairs
        ]
        markup = paged(items, callback_data.p, lambda p: MatchCb(a=action, f=form.value, p=p), back)
        await show(query, texts.PICK_PAIR_TO_PIN if action == "pin" else texts.PICK_PAIR_TO_EXCLUDE, markup)
    elif action in ("mvto", "pin", "ex"):
        known = draft.people.get(mentee), draft.people.get(mentor)
        if known[0] is None or known[1] is None or known[0].is_mentor or not known[1].is_mentor:
            callback_answer.text = texts.STALE_BUTTON
            return
        kind = "exclude" if action == "ex" else "pin"
        await matching.set_constraint(form, mentee, mentor, kind)
        await audit.record(query.from_user.id, f"match.{kind}", form.value, {"mentee": mentee, "mentor": mentor})
        await show_draft(query, await compute(form, matching, settings))
    elif action == "ok":
        await confirm(
            query,
            draft,
            callback_data.h,
            questionnaires,
            campaigns,
            bot,
            clock,
            settings,
            matching,
            outbox,
            audit,
            callback_answer,
            participants,
        )
    else:
        callback_answer.text = texts.STALE_BUTTON


async def mentor_positions(
    matching: MatchingRepo, questionnaires: dict[str, Questionnaire], mentor_ids: list[int]
) -> dict[int, str]:
    questionnaire = questionnaires[INTAKE_BY_ROLE[Role.MENTOR]]
    if not questionnaire.has_question("position"):
        return {}
    question = questionnaire.question("position")
    answers = await matching.answers_of(mentor_ids)
    return {pid: format_value(question, a["position"]) for pid, a in answers.items() if a.get("position")}


async def confirm(
    query: CallbackQuery,
    draft: Draft,
    digest: str,
    questionnaires: dict[str, Questionnaire],
    campaigns: CampaignRepo,
    bot: Bot,
    clock: Clock,
    settings: Settings,
    matching: MatchingRepo,
    outbox: Outbox,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
    participants: ParticipantRepo,
) -> None:
    if fingerprint(draft.result) != digest:
        await show(query, texts.DRAFT_CHANGED, edit=False)
        await show_draft(query, draft)
        return
    groups = draft.result.groups()
    if not groups:
        callback_answer.text = texts.MATCH_NOTHING_TO_CONFIRM
        return
    proposed = [
        ProposedGroup(
            mentor_id=mentor_id,
            members=[(p.mentee_id, round(p.score, 2), reasons_text(p.reasons)) for p in members],
        )
        for mentor_id, members in groups.items()
    ]
    pair_ids = await matching.create_pairs(
        draft.form, proposed, query.from_user.id, rematched=texts.PAIR_REMATCHED_REASON
    )
    await audit.record(query.from_user.id, "match.confirm", draft.form.value, {"pairs": pair_ids})
    # Who the partner is comes first, then what to do (the outbox keeps each chat's order).
    form_label = draft.form.label
    for mentor_id, members in groups.items():
        mentor = draft.people[mentor_id]
        for pair in members:
            await notify(
                outbox,
                draft.people[pair.mentee_id].telegram_id,
                texts.PAIR_NOTICE_MENTEE.format(mentor=texts.esc(mentor.name), form=form_label),
                about=[mentor_id],
            )
        names = "\n".join(f"• {texts.esc(draft.name(p.mentee_id))}" for p in members)
        await notify(
            outbox,
            mentor.telegram_id,
            texts.PAIR_NOTICE_MENTOR.format(mentees=names, form=form_label),
            about=[p.mentee_id for p in members],
        )
    for pair_id in pair_ids:
        # 5.3: the entry self-assessment goes out when a pair starts; the end one comes with the May calendar.
        await launch(
            campaigns,
            outbox,
            questionnaires,
            settings.institution.tz,
            survey="growth",
            kind=GROWTH_ENTRY,
            segment=f"pair.{pair_id}",
            title=texts.GROWTH_ENTRY_TITLE,
            opens_at=clock.now(),
            closes_at=clock.now() + timedelta(days=14),
            created_by=query.from_user.id,
            calendar_key=f"growth-entry:{pair_id}",
        )
    await show(
        query,
        texts.MATCH_CONFIRMED.format(
            pairs=sum(1 for g in groups.values() if len(g) == 1), groups=sum(1 for g in groups.values() if len(g) > 1)
        ),
    )
    now = clock.now()
    local_today = now.astimezone(settings.institution.tz).date()
    active = await matching.pairs()
    positions = await mentor_positions(matching, questionnaires, [p.mentor.id for p in active if p.mentor])
    all_rows = pair_rows(active, settings, positions)
    new_pairs = await matching.pairs(ids=pair_ids)
    people = [await participants.get(m.id) for p in new_pairs for m in p.people]
    adults = {p.id for p in people if p is not None and is_adult(p)}
    new_rows = pair_rows(new_pairs, settings, positions, adults)
    organization = settings.institution.organization_name
    chat_id = query.from_user.id
    # The files are written in worker threads, where openpyxl and python-docx are imported on first use.
    generated = now.astimezone(settings.institution.tz)
    workbook = await asyncio.to_thread(pairs_workbook, all_rows, organization=organization, generated=generated)
    await bot.send_document(
        chat_id,
        BufferedInputFile(workbook, filename=f"pary-i-gruppy-{local_today:%Y-%m-%d}.xlsx"),
        caption=texts.PAIRS_XLSX_CAPTION,
    )
    order = await asyncio.to_thread(_order_docx, order_info(settings, local_today), new_rows)
    await bot.send_document(
        chat_id,
        BufferedInputFile(order, filename=order_filename(draft.form, generated)),
        caption=texts.ORDER_DOCX_CAPTION,
    )


def _order_docx(info: OrderInfo, rows: list[PairRow]) -> bytes:
    from bot.documents import order_docx

    return order_docx(info, rows)


def build_router() -> Router:
    router = Router(name="curator-matching")
    router.message.register(cmd_match, Command("match"))
    router.callback_query.register(
        on_form, FormCb.filter(F.flow.in_({"mt", "rm"})), flags={"callback_answer": {"pre": False}}
    )
    router.callback_query.register(on_match, MatchCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
