"""/match: the draft of pairs and groups with scores and reasons, the curator's corrections, confirmation."""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock
from bot.documents import OrderInfo, PairRow, pairs_workbook
from bot.i18n import esc, tr
from bot.matching import MatchResult, Weights
from bot.matching.draft import build_pool, changes, decimal, fingerprint, make_draft, pairs_of, reasons_text
from bot.matching.profiles import option_labels
from bot.monitoring import GROWTH_ENTRY
from bot.pairs import Candidate
from bot.programme import INTAKE_BY_ROLE, Form, Role
from bot.questionnaires import Questionnaire, format_value, load_vocabulary
from bot.settings import Settings
from handlers.curator.documents import is_adult, order_filename, order_info, pair_rows
from handlers.kb.matching import FormCb, MatchCb, draft_keyboard, forms_keyboard, match_forms_keyboard, paged
from handlers.notify import notify
from handlers.ui import show
from scheduler.notices import audience_of
from scheduler.notices.campaigns import launch
from storage.audit import AuditLog
from storage.campaigns import CampaignRepo
from storage.matching import MatchingRepo, ProposedGroup
from storage.outbox import Outbox
from storage.participants import ParticipantRepo

PAGE_LIMIT = 3300
#: The drafts the curator was shown are kept in their FSM storage under this destiny (apart from their dialogs,
#: so that no dialog's end clears them): by digest, who went with whom, ids only. A stale «Утвердить» or a
#: «Пересчитать» compares the draft of now with the one the button was shown with and says what changed.
DRAFTS_DESTINY = "match-drafts"
DRAFTS_KEPT = 12


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
    # (mentee_id, mentor_id) of dissolved pairs that are not proposed again (the curator may pin one back)
    dissolved: tuple[tuple[int, int], ...] = ()
    free: Mapping[int, int] | None = None  # mentor id -> places left after this draft

    def name(self, pid: int) -> str:
        person = self.people.get(pid)
        return person.name if person else f"P-{pid:05d}"

    def has_pairs(self, mentor_id: int) -> bool:
        """A mentor with a mentee in this draft or in a confirmed pair or group."""
        person = self.people.get(mentor_id)
        return any(p.mentor_id == mentor_id for p in self.result.pairs) or bool(person and person.taken)


async def compute(form: Form, matching: MatchingRepo, settings: Settings) -> Draft:
    candidates = await matching.candidates(form)
    latest = await matching.latest_round(form)
    preferences = await matching.submitted(latest.id) if latest else {}
    mentees, mentors = build_pool(candidates, form.value, preferences)
    pinned, excluded = await matching.constraints(form)
    # A pair the curator dissolved is not proposed again, unless they pin it (a pin wins over this rule).
    mentee_ids, mentor_ids = {m.id for m in mentees}, {m.id for m in mentors}
    dissolved = {
        p
        for p in await matching.dissolved(form, except_reasons=(tr('finish-reason'),))
        if p[0] in mentee_ids and p[1] in mentor_ids and p not in pinned
    }
    # In a worker thread: the first draft imports the solver (numpy, scipy), and a large pool takes CPU.
    result = await asyncio.to_thread(
        make_draft,
        mentees,
        mentors,
        pinned=pinned,
        excluded=excluded | dissolved,
        weights=Weights(**settings.matching.match_weights),
        labels=_labels(),
    )
    taken = Counter(p.mentor_id for p in result.pairs)
    return Draft(
        form=form,
        result=result,
        people={c.id: c for c in candidates},
        mentees=len(mentees),
        pins=len(pinned),
        excluded=len(excluded),
        dissolved=tuple(sorted(dissolved - excluded)),
        free={m.id: m.capacity - taken[m.id] for m in mentors},
    )


def pages(draft: Draft) -> list[str]:
    """The draft as text pages that each fit one message: whole groups per page, the unmatched last."""
    result = draft.result
    groups = result.groups()
    header = tr("draft-header",
        form=draft.form.label,
        matched=result.matched_count,
        mentees=draft.mentees,
        pairs=sum(1 for g in groups.values() if len(g) == 1),
        groups=sum(1 for g in groups.values() if len(g) > 1),
        total=decimal(result.total_score),
        pins=draft.pins,
        excluded=draft.excluded,
    )
    blocks: list[str] = []
    for n, (mentor_id, members) in enumerate(groups.items(), start=1):
        kind = tr("draft-kind-group", size=len(members)) if len(members) > 1 else ""
        block = tr("draft-group", n=n, mentor=esc(draft.name(mentor_id)), kind=kind)
        for pair in members:
            block += tr("draft-member",
                name=esc(draft.name(pair.mentee_id)),
                score=decimal(pair.score),
                pin=tr("draft-pin-mark") if pair.pinned else "",
                reasons=esc(reasons_text(pair.reasons) or "—"),
            )
        blocks.append(block)
    # «Без пары» is for people without one; a mentor with mentees (here or confirmed) and room for more is
    # listed apart, with the places left.
    alone = [u for u in result.unmatched if u.role == "mentee" or not draft.has_pairs(u.person_id)]
    roomy = [u for u in result.unmatched if u.role == "mentor" and draft.has_pairs(u.person_id)]
    if alone:
        block = tr("draft-unmatched")
        for person in alone:
            block += tr("draft-unmatched-line",
                name=esc(draft.name(person.person_id)), reason=esc(person.reason)
            )
        blocks.append(block[:PAGE_LIMIT])
    if roomy:
        block = tr("draft-free-places")
        for person in roomy:
            block += tr("draft-free-line",
                name=esc(draft.name(person.person_id)), free=(draft.free or {}).get(person.person_id, 0)
            )
        blocks.append(block[:PAGE_LIMIT])
    if draft.dissolved:
        block = tr("draft-dissolved")
        for mentee_id, mentor_id in draft.dissolved:
            block += tr("draft-dissolved-line",
                mentee=esc(draft.name(mentee_id)), mentor=esc(draft.name(mentor_id))
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


def view_digest(draft: Draft) -> str:
    """A digest of everything the draft shows (pairs, scores, reasons, names): «Пересчитать» compares it."""
    return hashlib.sha256("\x00".join(pages(draft)).encode()).hexdigest()[:10]


def all_digest(drafts: Sequence[Draft]) -> str:
    """The digest of the pairs of every form's draft, for «Утвердить всё»."""
    text = ";".join(f"{d.form.value}:{fingerprint(d.result)}" for d in drafts if d.result.pairs)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def _snapshots(state: FSMContext) -> FSMContext:
    return FSMContext(storage=state.storage, key=replace(state.key, destiny=DRAFTS_DESTINY))


async def remember(state: FSMContext, digest: str, drafts: Sequence[Draft]) -> None:
    """Keep who went with whom in the drafts shown with the button that carries `digest`."""
    snapshots = _snapshots(state)
    shown = dict((await snapshots.get_data()).get("shown", {}))
    shown.pop(digest, None)
    shown[digest] = {d.form.value: [[m, t] for m, t in pairs_of(d.result).items()] for d in drafts}
    for old in list(shown)[:-DRAFTS_KEPT]:
        del shown[old]
    await snapshots.set_data({"shown": shown})


async def recall(state: FSMContext, digest: str) -> dict[str, dict[int, int]] | None:
    """The pairs (form -> mentee id -> mentor id) of the drafts shown with `digest`, if still kept."""
    found = (await _snapshots(state).get_data()).get("shown", {}).get(digest)
    if found is None:
        return None
    return {form: {int(m): int(t) for m, t in pairs} for form, pairs in found.items()}


async def what_changed(
    before: Mapping[str, Mapping[int, int]],
    drafts: Sequence[Draft],
    matching: MatchingRepo,
    participants: ParticipantRepo,
) -> str:
    """The lines saying, per mentee, how the drafts of now differ from those the curator saw."""

    async def name(pid: int, people: Mapping[int, Candidate]) -> str:
        if pid in people:
            return esc(people[pid].name)
        person = await participants.get(pid)
        if person is None:
            return tr("draft-gone-person", pseudonym=f"P-{pid:05d}")
        return esc(person.shown_name())

    out = ""
    by_form = {d.form.value: d for d in drafts}
    # A form whose draft is gone altogether (nobody left to match) is among the forms too.
    forms = [f for f in Form if f.value in before or (f.value in by_form and by_form[f.value].result.pairs)]
    for form in forms:
        draft = by_form.get(form.value)
        people = draft.people if draft else {}
        lines = ""
        for change in changes(before.get(form.value, {}), pairs_of(draft.result) if draft else {}):
            mentee = await name(change.mentee_id, people)
            was = await name(change.before, people) if change.before is not None else ""
            now = await name(change.after, people) if change.after is not None else ""
            if change.before is None:
                lines += tr("draft-change-new", mentee=mentee, after=now)
            elif change.after is not None:
                lines += tr("draft-change-moved", mentee=mentee, after=now, before=was)
            elif change.mentee_id in people:
                lines += tr("draft-change-unmatched", mentee=mentee, before=was)
            elif await matching.pair_of(change.mentee_id) is not None:
                lines += tr("draft-change-paired", mentee=mentee, before=was)
            else:
                lines += tr("draft-change-gone", mentee=mentee, before=was)
        if lines and len(forms) > 1:
            lines = tr("draft-change-form", form=form.label) + lines
        out += lines
    if len(out) > PAGE_LIMIT:  # cut at a line, never inside a tag
        out = out[: out.rfind("\n", 0, PAGE_LIMIT)] + "\n…"
    return out


async def show_draft(
    target: Message | CallbackQuery, draft: Draft, state: FSMContext, page: int = 0, *, edit: bool = True
) -> None:
    texts_pages = pages(draft)
    page = min(max(page, 0), len(texts_pages) - 1)
    text = texts_pages[page]
    if len(texts_pages) > 1:
        text += tr("draft-page", page=page + 1, pages=len(texts_pages))
    digest = fingerprint(draft.result)
    await remember(state, digest, [draft])
    markup = draft_keyboard(
        draft.form.value, page, len(texts_pages), digest, bool(draft.result.pairs), view_digest(draft)
    )
    await show(target, text, markup, edit=edit)


async def all_drafts(matching: MatchingRepo, settings: Settings) -> list[Draft]:
    return [await compute(form, matching, settings) for form in await matching.forms_with_candidates()]


async def show_overview(
    target: Message | CallbackQuery, drafts: Sequence[Draft], state: FSMContext, *, edit: bool = True
) -> None:
    """/match: each form's draft in one line, a button per form and «Утвердить всё» when there is a pair."""
    lines = ""
    for d in drafts:
        groups = d.result.groups().values()
        lines += tr("match-overview-line",
            form=d.form.label,
            matched=d.result.matched_count,
            mentees=d.mentees,
            pairs=sum(1 for g in groups if len(g) == 1),
            groups=sum(1 for g in groups if len(g) > 1),
        )
    digest = all_digest(drafts) if any(d.result.pairs for d in drafts) else None
    text = tr("match-overview", lines=lines)
    if digest is not None:
        await remember(state, digest, [d for d in drafts if d.result.pairs])
        text += tr("match-overview-all")
    await show(target, text, match_forms_keyboard([d.form for d in drafts], digest), edit=edit)


async def cmd_match(message: Message, matching: MatchingRepo, settings: Settings, state: FSMContext) -> None:
    drafts = await all_drafts(matching, settings)
    if not drafts:
        await message.answer(tr("no-candidates"))
        return
    await show_overview(message, drafts, state, edit=False)


async def ask_form(message: Message, matching: MatchingRepo, flow: str) -> None:
    """The form picker that opens /groupmeeting, /preferences and /match."""
    forms = await matching.forms_with_candidates()
    if not forms:
        await message.answer(tr("no-candidates"))
        return
    await message.answer(tr("pick-form"), reply_markup=forms_keyboard(flow, forms))


async def on_form(
    query: CallbackQuery,
    callback_data: FormCb,
    matching: MatchingRepo,
    settings: Settings,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
    state: FSMContext,
) -> None:
    form = Form.parse(callback_data.f)
    if form is None:
        callback_answer.text = tr("stale-button")
        return
    await audit.record(query.from_user.id, "match.draft", form.value)
    # From a withdrawal notice ("rm"): the draft comes as a new message, the notice stays.
    await show_draft(query, await compute(form, matching, settings), state, edit=callback_data.flow != "rm")


@dataclass(frozen=True)
class Confirming:
    """What a confirmation touches: the pairs, the notices, the growth survey, the audit and the papers."""

    questionnaires: dict[str, Questionnaire]
    campaigns: CampaignRepo
    bot: Bot
    clock: Clock
    settings: Settings
    matching: MatchingRepo
    outbox: Outbox
    audit: AuditLog
    participants: ParticipantRepo


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
    state: FSMContext,
) -> None:
    deps = Confirming(questionnaires, campaigns, bot, clock, settings, matching, outbox, audit, participants)
    if callback_data.a == "all":
        await confirm_all(query, callback_data.h, deps, callback_answer, state)
        return
    form = Form.parse(callback_data.f)
    if form is None:
        callback_answer.text = tr("stale-button")
        return
    action, mentee, mentor = callback_data.a, callback_data.m, callback_data.t
    draft = await compute(form, matching, settings)
    back = [(tr("btn-back-to-draft"), MatchCb(a="show", f=form.value))]
    if action == "show":
        await show_draft(query, draft, state, callback_data.p)
    elif action == "rerun":
        await rerun(query, draft, callback_data, deps, callback_answer, state)
    elif action == "reset":
        await matching.clear_constraints(form)
        await audit.record(query.from_user.id, "match.reset", form.value)
        await show_draft(query, await compute(form, matching, settings), state)
    elif action == "mv" and not mentee:
        people = [p for p in draft.people.values() if not p.is_mentor]
        items = [(p.name, MatchCb(a="mv", f=form.value, m=p.id)) for p in people]
        markup = paged(items, callback_data.p, lambda p: MatchCb(a="mv", f=form.value, p=p), back)
        await show(query, tr("pick-mentee-to-move"), markup)
    elif action == "mv":
        mentors = [p for p in draft.people.values() if p.is_mentor]
        items = [(p.name, MatchCb(a="mvto", f=form.value, m=mentee, t=p.id)) for p in mentors]
        markup = paged(items, callback_data.p, lambda p: MatchCb(a="mv", f=form.value, m=mentee, p=p), back)
        await show(query, tr("pick-mentor-target", name=esc(draft.name(mentee))), markup)
    elif action in ("pin", "ex") and not (mentee and mentor):
        items = [
            (
                f"{draft.name(p.mentee_id)} → {draft.name(p.mentor_id)}",
                MatchCb(a=action, f=form.value, m=p.mentee_id, t=p.mentor_id),
            )
            for p in draft.result.pairs
        ]
        markup = paged(items, callback_data.p, lambda p: MatchCb(a=action, f=form.value, p=p), back)
        await show(query, tr("pick-pair-to-pin") if action == "pin" else tr("pick-pair-to-exclude"), markup)
    elif action in ("mvto", "pin", "ex"):
        known = draft.people.get(mentee), draft.people.get(mentor)
        if known[0] is None or known[1] is None or known[0].is_mentor or not known[1].is_mentor:
            callback_answer.text = tr("stale-button")
            return
        kind = "exclude" if action == "ex" else "pin"
        await matching.set_constraint(form, mentee, mentor, kind)
        await audit.record(query.from_user.id, f"match.{kind}", form.value, {"mentee": mentee, "mentor": mentor})
        await show_draft(query, await compute(form, matching, settings), state)
    elif action == "ok":
        await confirm(query, draft, callback_data.h, deps, callback_answer, state)
    else:
        callback_answer.text = tr("stale-button")


async def rerun(
    query: CallbackQuery,
    draft: Draft,
    callback_data: MatchCb,
    deps: Confirming,
    callback_answer: CallbackAnswer,
    state: FSMContext,
) -> None:
    """«Пересчитать»: say that nothing changed, or what did (by mentee), then show the draft of now."""
    if callback_data.v and view_digest(draft) == callback_data.v:
        callback_answer.text = tr("draft-rerun-same")
        return
    if callback_data.h and fingerprint(draft.result) == callback_data.h:
        callback_answer.text = tr("draft-rerun-scores")
    else:
        before = await recall(state, callback_data.h) if callback_data.h else None
        if before is not None:
            changed = await what_changed(before, [draft], deps.matching, deps.participants)
            if changed:
                await show(query, tr("draft-rerun-changed", changes=changed), edit=False)
    await show_draft(query, draft, state)


async def refuse_stale(
    query: CallbackQuery, digest: str, drafts: Sequence[Draft], deps: Confirming, state: FSMContext
) -> None:
    """A confirm button of a draft that changed since: nothing is confirmed, and the curator is told what changed
    (or, when the draft they saw is no longer kept, that something did)."""
    before = await recall(state, digest)
    changed = await what_changed(before, drafts, deps.matching, deps.participants) if before is not None else ""
    await show(query, tr("draft-changed-what", changes=changed) if changed else tr("draft-changed"), edit=False)


async def mentor_positions(
    matching: MatchingRepo, questionnaires: dict[str, Questionnaire], mentor_ids: list[int]
) -> dict[int, str]:
    questionnaire = questionnaires[INTAKE_BY_ROLE[Role.MENTOR]]
    if not questionnaire.has_question("position"):
        return {}
    question = questionnaire.question("position")
    answers = await matching.answers_of(mentor_ids)
    return {pid: format_value(question, a["position"]) for pid, a in answers.items() if a.get("position")}


def _counts(draft: Draft) -> tuple[int, int]:
    groups = draft.result.groups().values()
    return sum(1 for g in groups if len(g) == 1), sum(1 for g in groups if len(g) > 1)


async def confirm(
    query: CallbackQuery,
    draft: Draft,
    digest: str,
    deps: Confirming,
    callback_answer: CallbackAnswer,
    state: FSMContext,
) -> None:
    """«Утвердить» on one form's draft: its pairs, and one order naming that form."""
    if fingerprint(draft.result) != digest:
        await refuse_stale(query, digest, [draft], deps, state)
        await show_draft(query, draft, state)
        return
    if not draft.result.pairs:
        callback_answer.text = tr("match-nothing-to-confirm")
        return
    pair_ids = await fix_pairs(query, draft, deps)
    pairs, groups = _counts(draft)
    await show(query, tr("match-confirmed", pairs=pairs, groups=groups))
    await send_papers(query, pair_ids, [draft.form], deps)


async def confirm_all(
    query: CallbackQuery, digest: str, deps: Confirming, callback_answer: CallbackAnswer, state: FSMContext
) -> None:
    """«Утвердить всё» on the /match overview: every form's draft as the curator saw them, one order for all."""
    drafts = await all_drafts(deps.matching, deps.settings)
    if all_digest(drafts) != digest:
        await refuse_stale(query, digest, drafts, deps, state)
        await show_overview(query, drafts, state)
        return
    confirmed = [d for d in drafts if d.result.pairs]
    if not confirmed:
        callback_answer.text = tr("match-nothing-to-confirm")
        return
    pair_ids: list[int] = []
    lines = ""
    for draft in confirmed:
        pair_ids += await fix_pairs(query, draft, deps)
        pairs, groups = _counts(draft)
        lines += tr("match-confirmed-all-line", form=draft.form.label, pairs=pairs, groups=groups)
    await show(query, tr("match-confirmed-all", lines=lines))
    await send_papers(query, pair_ids, [d.form for d in confirmed], deps)


async def fix_pairs(query: CallbackQuery, draft: Draft, deps: Confirming) -> list[int]:
    """Fix one form's draft: the pairs and groups, the participants' notices, the entry growth survey."""
    groups = draft.result.groups()
    proposed = [
        ProposedGroup(
            mentor_id=mentor_id,
            members=[(p.mentee_id, round(p.score, 2), reasons_text(p.reasons)) for p in members],
        )
        for mentor_id, members in groups.items()
    ]
    pair_ids = await deps.matching.create_pairs(
        draft.form, proposed, query.from_user.id, rematched=tr("pair-rematched-reason")
    )
    await deps.audit.record(query.from_user.id, "match.confirm", draft.form.value, {"pairs": pair_ids})
    # Who the partner is comes first, then what to do (the outbox keeps each chat's order).
    form_label = draft.form.label
    for mentor_id, members in groups.items():
        mentor = draft.people[mentor_id]
        for pair in members:
            await notify(
                deps.outbox,
                draft.people[pair.mentee_id].telegram_id,
                tr(
                    "pair-notice-mentee",
                    audience=await audience_of(deps.participants, pair.mentee_id),
                    mentor=esc(mentor.name),
                    form=form_label,
                ),
                about=[mentor_id],
            )
        names = "\n".join(f"• {esc(draft.name(p.mentee_id))}" for p in members)
        await notify(
            deps.outbox,
            mentor.telegram_id,
            tr(
                "pair-notice-mentor",
                audience=await audience_of(deps.participants, mentor_id),
                mentees=names,
                form=form_label,
            ),
            about=[p.mentee_id for p in members],
        )
    now = deps.clock.now()
    for pair_id in pair_ids:
        # 5.3: the entry self-assessment goes out when a pair starts; the end one comes with the May calendar.
        await launch(
            deps.campaigns,
            deps.outbox,
            deps.questionnaires,
            deps.settings.institution.tz,
            survey="growth",
            kind=GROWTH_ENTRY,
            segment=f"pair.{pair_id}",
            title=tr("growth-entry-title"),
            opens_at=now,
            closes_at=now + timedelta(days=14),
            created_by=query.from_user.id,
            calendar_key=f"growth-entry:{pair_id}",
        )
    return pair_ids


async def send_papers(query: CallbackQuery, pair_ids: Sequence[int], forms: Sequence[Form], deps: Confirming) -> None:
    """The list of every active pair (XLSX) and one director's order (DOCX) of the pairs just confirmed, with
    the names the participants table has now (a corrected name included)."""
    settings, matching = deps.settings, deps.matching
    generated: datetime = deps.clock.now().astimezone(settings.institution.tz)
    active = await matching.pairs()
    positions = await mentor_positions(matching, deps.questionnaires, [p.mentor.id for p in active if p.mentor])
    all_rows = pair_rows(active, settings, positions)
    new_pairs = await matching.pairs(ids=pair_ids)
    people = {m.id: await deps.participants.get(m.id) for p in new_pairs for m in p.people}
    adults = {pid for pid, person in people.items() if person is not None and is_adult(person)}
    names = {pid: person.name for pid, person in people.items() if person is not None and person.name}
    new_rows = pair_rows(new_pairs, settings, positions, adults, names)
    organization = settings.institution.organization_name
    chat_id = query.from_user.id
    # The files are written in worker threads, where openpyxl and python-docx are imported on first use.
    workbook = await asyncio.to_thread(pairs_workbook, all_rows, organization=organization, generated=generated)
    await deps.bot.send_document(
        chat_id,
        BufferedInputFile(workbook, filename=f"pary-i-gruppy-{generated:%Y-%m-%d}.xlsx"),
        caption=tr("pairs-xlsx-caption"),
    )
    order = await asyncio.to_thread(_order_docx, order_info(settings, generated.date()), new_rows)
    await deps.bot.send_document(
        chat_id,
        BufferedInputFile(order, filename=order_filename(forms, generated)),
        caption=tr("order-docx-caption"),
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
