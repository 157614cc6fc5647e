"""/match: the draft of pairs and groups with scores and reasons, the curator's corrections, confirmation.

Command: /match (each form's draft in a line, «Утвердить всё»). Presses: `FormPayload` with flow mt (a form's
draft) or rm (a rematch from a withdrawal notice: the draft as a new message), `MatchPayload` (a page, moving,
pinning, excluding, «Пересчитать», «Утвердить»). Confirming is one action: the pair rows, the audit entry, the
notices to the new pairs' mentors and mentees (`Notify`), the entry growth survey's invitations, and the list of
pairs (XLSX) and the director's order (DOCX) sent to the curator.

The drafts the curator was shown are kept in their dialog's data under `DRAFTS_KEY`: by digest, who went with
whom, ids only. A stale «Утвердить» or a «Пересчитать» compares the draft of now with the one the button was shown
with and says what changed.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, partial
from typing import Any

from bot.flows.act import queue
from bot.flows.campaign_launch import launch
from bot.flows.context import Ctx
from bot.flows.curator.documents import is_adult, order_file, pair_rows, pairs_file
from bot.flows.curator.pairs import paged, reader
from bot.flows.curator.reports import curator_only, press_of
from bot.flows.effects import Effect, Later, Notify, Show, Toast
from bot.flows.events import Event
from bot.flows.payloads import FormPayload, MatchPayload, Payload
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Keyboard, Screen
from bot.i18n import esc, tr
from bot.matching import MatchResult, Weights
from bot.matching.draft import build_pool, changes, decimal, fingerprint, make_draft, pairs_of, reasons_text
from bot.matching.profiles import option_labels
from bot.monitoring import GROWTH_ENTRY
from bot.pairs import Candidate
from bot.programme import INTAKE_BY_ROLE, Form, Role
from bot.questionnaires import format_value, load_vocabulary
from bot.settings import Settings

PAGE_LIMIT = 3300
#: Where the drafts the curator was shown are kept in their dialog's data.
DRAFTS_KEY = "match-drafts"
DRAFTS_KEPT = 12
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


@dataclass(frozen=True)
class ProposedGroup:
    """A mentor and their mentees as confirmed (what `MatchingRepo.create_pairs` takes)."""

    mentor_id: int
    members: Sequence[tuple[int, float, str]]  # mentee id, score, reasons in words


async def compute(form: Form, matching: Any, settings: Settings) -> Draft:
    candidates = await matching.candidates(form)
    latest = await matching.latest_round(form)
    preferences = await matching.submitted(latest.id) if latest else {}
    mentees, mentors = build_pool(candidates, form.value, preferences)
    pinned, excluded = await matching.constraints(form)
    # A pair the curator dissolved is not proposed again, unless they pin it (a pin wins over this rule).
    mentee_ids, mentor_ids = {m.id for m in mentees}, {m.id for m in mentors}
    dissolved = {
        p
        for p in await matching.dissolved(form, except_reasons=(tr("finish-reason"),))
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
            block += tr("draft-unmatched-line", name=esc(draft.name(person.person_id)), reason=esc(person.reason))
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
            block += tr("draft-dissolved-line", mentee=esc(draft.name(mentee_id)), mentor=esc(draft.name(mentor_id)))
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


# --- the drafts the curator saw ---------------------------------------------------------------------------------
async def remember(ctx: Ctx, digest: str, drafts: Sequence[Draft]) -> None:
    """Keep who went with whom in the drafts shown with the button that carries `digest`."""
    shown = dict((await ctx.dialog.get_data()).get(DRAFTS_KEY, {}))
    shown.pop(digest, None)
    shown[digest] = {d.form.value: [[m, t] for m, t in pairs_of(d.result).items()] for d in drafts}
    for old in list(shown)[:-DRAFTS_KEPT]:
        del shown[old]
    await ctx.dialog.update_data({DRAFTS_KEY: shown})


async def recall(ctx: Ctx, digest: str) -> dict[str, dict[int, int]] | None:
    """The pairs (form -> mentee id -> mentor id) of the drafts shown with `digest`, if still kept."""
    found = (await ctx.dialog.get_data()).get(DRAFTS_KEY, {}).get(digest)
    if found is None:
        return None
    return {form: {int(m): int(t) for m, t in pairs} for form, pairs in found.items()}


async def what_changed(ctx: Ctx, before: Mapping[str, Mapping[int, int]], drafts: Sequence[Draft]) -> str:
    """The lines saying, per mentee, how the drafts of now differ from those the curator saw."""

    async def name(pid: int, people: Mapping[int, Candidate]) -> str:
        if pid in people:
            return esc(people[pid].name)
        person = await ctx.repos.participants.get(pid)
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
            elif await ctx.repos.matching.pair_of(change.mentee_id) is not None:
                lines += tr("draft-change-paired", mentee=mentee, before=was)
            else:
                lines += tr("draft-change-gone", mentee=mentee, before=was)
        if lines and len(forms) > 1:
            lines = tr("draft-change-form", form=form.label) + lines
        out += lines
    if len(out) > PAGE_LIMIT:  # cut at a line, never inside a tag
        out = out[: out.rfind("\n", 0, PAGE_LIMIT)] + "\n…"
    return out


# --- the screens ------------------------------------------------------------------------------------------------
def draft_rows(form: str, page: int, count: int, digest: str, has_pairs: bool, view: str = "") -> Any:
    kb = Keyboard()
    widths = []
    nav = 0
    if page > 0:
        kb.add(tr("btn-prev"), MatchPayload(a="show", f=form, p=page - 1))
        nav += 1
    if page < count - 1:
        kb.add(tr("btn-next"), MatchPayload(a="show", f=form, p=page + 1))
        nav += 1
    if nav:
        widths.append(nav)
    if has_pairs:
        kb.add(tr("btn-move"), MatchPayload(a="mv", f=form))
        kb.add(tr("btn-pin"), MatchPayload(a="pin", f=form))
        kb.add(tr("btn-exclude"), MatchPayload(a="ex", f=form))
        widths += [1, 2]
    kb.add(tr("btn-rerun"), MatchPayload(a="rerun", f=form, h=digest, v=view))
    kb.add(tr("btn-reset-constraints"), MatchPayload(a="reset", f=form))
    widths.append(2)
    if has_pairs:
        kb.add(tr("btn-confirm-match"), MatchPayload(a="ok", f=form, h=digest))
        widths.append(1)
    return kb.adjust(*widths).rows()


async def show_draft(ctx: Ctx, draft: Draft, page: int = 0, *, edit: bool = True) -> Show:
    texts = pages(draft)
    page = min(max(page, 0), len(texts) - 1)
    text = texts[page]
    if len(texts) > 1:
        text += tr("draft-page", page=page + 1, pages=len(texts))
    digest = fingerprint(draft.result)
    await remember(ctx, digest, [draft])
    rows = draft_rows(draft.form.value, page, len(texts), digest, bool(draft.result.pairs), view_digest(draft))
    return Show(Screen(text, rows), edit=edit)


async def all_drafts(ctx: Ctx) -> list[Draft]:
    matching: Any = ctx.repos.matching
    return [await compute(form, matching, ctx.repos.settings) for form in await matching.forms_with_candidates()]


async def show_overview(ctx: Ctx, drafts: Sequence[Draft], *, edit: bool = True) -> Show:
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
        await remember(ctx, digest, [d for d in drafts if d.result.pairs])
        text += tr("match-overview-all")
    kb = Keyboard()
    for d in drafts:
        kb.add(d.form.label, FormPayload(flow="mt", f=d.form.value))
    if digest is not None:
        kb.add(tr("btn-confirm-all"), MatchPayload(a="all", f="*", h=digest))
    return Show(Screen(text, kb.rows()), edit=edit)


async def ask_form(ctx: Ctx, flow: str) -> list[Effect]:
    """The form picker that opens /groupmeeting and /preferences."""
    forms = await ctx.repos.matching.forms_with_candidates()  # type: ignore[attr-defined]
    if not forms:
        return [Show(Screen(tr("no-candidates")), edit=False)]
    kb = Keyboard()
    for form in forms:
        kb.add(form.label, FormPayload(flow=flow, f=form.value))
    return [Show(Screen(tr("pick-form"), kb.rows()), edit=False)]


# --- the events -------------------------------------------------------------------------------------------------
@curator_only
async def on_match_command(ctx: Ctx, event: Event) -> list[Effect]:
    """/match."""
    drafts = await all_drafts(ctx)
    if not drafts:
        return [Show(Screen(tr("no-candidates")), edit=False)]
    return [await show_overview(ctx, drafts, edit=False)]


async def on_form(ctx: Ctx, data: FormPayload) -> list[Effect]:
    """A form's draft (flow mt; rm, from a withdrawal notice: the draft comes as a new message, the notice
    stays). The form picker's presses reach here through the grouping flow, which takes the `fm` prefix."""
    form = Form.parse(data.f)
    if form is None:
        return [Toast(tr("stale-button"))]
    await ctx.repos.audit.record(ctx.person.account_id, "match.draft", form.value)
    draft = await compute(form, ctx.repos.matching, ctx.repos.settings)
    return [await show_draft(ctx, draft, edit=data.flow != "rm")]


@curator_only
async def on_match(ctx: Ctx, event: Event) -> list[Effect]:
    """A button of a draft."""
    data = MatchPayload.unpack(press_of(event).payload)
    if data.a == "all":
        return await confirm_all(ctx, data.h)
    form = Form.parse(data.f)
    if form is None:
        return [Toast(tr("stale-button"))]
    matching: Any = ctx.repos.matching
    curator = ctx.person.account_id
    action, mentee, mentor = data.a, data.m, data.t
    draft = await compute(form, matching, ctx.repos.settings)
    back: list[tuple[str, Payload]] = [(tr("btn-back-to-draft"), MatchPayload(a="show", f=form.value))]
    if action == "show":
        return [await show_draft(ctx, draft, data.p)]
    if action == "rerun":
        return await rerun(ctx, draft, data)
    if action == "reset":
        await matching.clear_constraints(form)
        await ctx.repos.audit.record(curator, "match.reset", form.value)
        return [await show_draft(ctx, await compute(form, matching, ctx.repos.settings))]
    if action == "mv" and not mentee:
        people = [p for p in draft.people.values() if not p.is_mentor]
        items: list[tuple[str, Payload]] = [(p.name, MatchPayload(a="mv", f=form.value, m=p.id)) for p in people]
        rows = paged(items, data.p, lambda p: MatchPayload(a="mv", f=form.value, p=p), back)
        return [Show(Screen(tr("pick-mentee-to-move"), rows))]
    if action == "mv":
        mentors = [p for p in draft.people.values() if p.is_mentor]
        items = [(p.name, MatchPayload(a="mvto", f=form.value, m=mentee, t=p.id)) for p in mentors]
        rows = paged(items, data.p, lambda p: MatchPayload(a="mv", f=form.value, m=mentee, p=p), back)
        return [Show(Screen(tr("pick-mentor-target", name=esc(draft.name(mentee))), rows))]
    if action in ("pin", "ex") and not (mentee and mentor):
        items = [
            (
                f"{draft.name(p.mentee_id)} → {draft.name(p.mentor_id)}",
                MatchPayload(a=action, f=form.value, m=p.mentee_id, t=p.mentor_id),
            )
            for p in draft.result.pairs
        ]
        rows = paged(items, data.p, lambda p: MatchPayload(a=action, f=form.value, p=p), back)
        return [Show(Screen(tr("pick-pair-to-pin") if action == "pin" else tr("pick-pair-to-exclude"), rows))]
    if action in ("mvto", "pin", "ex"):
        known = draft.people.get(mentee), draft.people.get(mentor)
        if known[0] is None or known[1] is None or known[0].is_mentor or not known[1].is_mentor:
            return [Toast(tr("stale-button"))]
        kind = "exclude" if action == "ex" else "pin"
        await matching.set_constraint(form, mentee, mentor, kind)
        await ctx.repos.audit.record(curator, f"match.{kind}", form.value, {"mentee": mentee, "mentor": mentor})
        return [await show_draft(ctx, await compute(form, matching, ctx.repos.settings))]
    if action == "ok":
        return await confirm(ctx, draft, data.h)
    return [Toast(tr("stale-button"))]


async def rerun(ctx: Ctx, draft: Draft, data: MatchPayload) -> list[Effect]:
    """«Пересчитать»: say that nothing changed, or what did (by mentee), then show the draft of now."""
    if data.v and view_digest(draft) == data.v:
        return [Toast(tr("draft-rerun-same"))]
    effects: list[Effect] = []
    if data.h and fingerprint(draft.result) == data.h:
        effects.append(Toast(tr("draft-rerun-scores")))
    else:
        before = await recall(ctx, data.h) if data.h else None
        if before is not None:
            changed = await what_changed(ctx, before, [draft])
            if changed:
                effects.append(Show(Screen(tr("draft-rerun-changed", changes=changed)), edit=False))
    return [*effects, await show_draft(ctx, draft)]


async def refuse_stale(ctx: Ctx, digest: str, drafts: Sequence[Draft]) -> Show:
    """A confirm button of a draft that changed since: nothing is confirmed, and the curator is told what changed
    (or, when the draft they saw is no longer kept, that something did)."""
    before = await recall(ctx, digest)
    changed = await what_changed(ctx, before, drafts) if before is not None else ""
    return Show(Screen(tr("draft-changed-what", changes=changed) if changed else tr("draft-changed")), edit=False)


def _counts(draft: Draft) -> tuple[int, int]:
    groups = draft.result.groups().values()
    return sum(1 for g in groups if len(g) == 1), sum(1 for g in groups if len(g) > 1)


async def confirm(ctx: Ctx, draft: Draft, digest: str) -> list[Effect]:
    """«Утвердить» on one form's draft: its pairs, and one order naming that form."""
    if fingerprint(draft.result) != digest:
        return [await refuse_stale(ctx, digest, [draft]), await show_draft(ctx, draft)]
    if not draft.result.pairs:
        return [Toast(tr("match-nothing-to-confirm"))]
    pair_ids = await fix_pairs(ctx, draft)
    pairs, groups = _counts(draft)
    shown = Show(Screen(tr("match-confirmed", pairs=pairs, groups=groups)))
    return [shown, Later(partial(papers, ctx, pair_ids, [draft.form]))]


async def confirm_all(ctx: Ctx, digest: str) -> list[Effect]:
    """«Утвердить всё» on the /match overview: every form's draft as the curator saw them, one order for all."""
    drafts = await all_drafts(ctx)
    if all_digest(drafts) != digest:
        return [await refuse_stale(ctx, digest, drafts), await show_overview(ctx, drafts)]
    confirmed = [d for d in drafts if d.result.pairs]
    if not confirmed:
        return [Toast(tr("match-nothing-to-confirm"))]
    pair_ids: list[int] = []
    lines = ""
    for draft in confirmed:
        pair_ids += await fix_pairs(ctx, draft)
        pairs, groups = _counts(draft)
        lines += tr("match-confirmed-all-line", form=draft.form.label, pairs=pairs, groups=groups)
    shown = Show(Screen(tr("match-confirmed-all", lines=lines)))
    return [shown, Later(partial(papers, ctx, pair_ids, [d.form for d in confirmed]))]


async def fix_pairs(ctx: Ctx, draft: Draft) -> list[int]:
    """Fix one form's draft: the pairs and groups, the participants' notices (`Notify`, queued here, ahead of
    the survey's invitations), the entry growth survey."""
    matching: Any = ctx.repos.matching
    curator = ctx.person.account_id
    groups = draft.result.groups()
    proposed = [
        ProposedGroup(
            mentor_id=mentor_id,
            members=[(p.mentee_id, round(p.score, 2), reasons_text(p.reasons)) for p in members],
        )
        for mentor_id, members in groups.items()
    ]
    pair_ids = await matching.create_pairs(draft.form, proposed, curator, rematched=tr("pair-rematched-reason"))
    await ctx.repos.audit.record(curator, "match.confirm", draft.form.value, {"pairs": pair_ids})
    # Who the partner is comes first, then what to do (the outbox keeps each chat's order).
    notices: list[Effect] = []
    form_label = draft.form.label
    for mentor_id, members in groups.items():
        mentor = draft.people[mentor_id]
        for pair in members:
            to, audience = await reader(ctx, pair.mentee_id, draft.people[pair.mentee_id].telegram_id)
            text = tr("pair-notice-mentee", audience=audience, mentor=esc(mentor.name), form=form_label)
            notices.append(Notify(to, Screen(text), about=(mentor_id,)))
        names = "\n".join(f"• {esc(draft.name(p.mentee_id))}" for p in members)
        to, audience = await reader(ctx, mentor_id, mentor.telegram_id)
        text = tr("pair-notice-mentor", audience=audience, mentees=names, form=form_label)
        notices.append(Notify(to, Screen(text), about=tuple(p.mentee_id for p in members)))
    # The notices go into the outbox now, before the survey's invitations: the outbox keeps each chat's order,
    # and a participant reads who their partner is before what to do (the same transaction all the same).
    await queue(notices, ctx.repos)
    repos = ctx.repos
    now = repos.clock.now()
    for pair_id in pair_ids:
        # 5.3: the entry self-assessment goes out when a pair starts; the end one comes with the May calendar.
        await launch(
            repos.campaigns,
            repos.outbox,
            dict(repos.questionnaires),
            repos.settings.institution.tz,
            survey="growth",
            kind=GROWTH_ENTRY,
            segment=f"pair.{pair_id}",
            title=tr("growth-entry-title"),
            opens_at=now,
            closes_at=now + timedelta(days=14),
            created_by=curator,
            calendar_key=f"growth-entry:{pair_id}",
        )
    return pair_ids


# --- the papers -------------------------------------------------------------------------------------------------
async def mentor_positions(ctx: Ctx, mentor_ids: list[int]) -> dict[int, str]:
    questionnaire = ctx.repos.questionnaires[INTAKE_BY_ROLE[Role.MENTOR]]
    if not questionnaire.has_question("position"):
        return {}
    question = questionnaire.question("position")
    answers = await ctx.repos.matching.answers_of(mentor_ids)  # type: ignore[attr-defined]
    return {pid: format_value(question, a["position"]) for pid, a in answers.items() if a.get("position")}


async def papers(ctx: Ctx, pair_ids: Sequence[int], forms: Sequence[Form]) -> list[Effect]:
    """The list of every active pair (XLSX) and one director's order (DOCX) of the pairs just confirmed, with
    the names the participants table has now (a corrected name included): written after the confirmation's
    commit (`Later`), from the committed rows."""
    settings = ctx.repos.settings
    matching: Any = ctx.repos.matching
    generated: datetime = ctx.repos.clock.now().astimezone(settings.institution.tz)
    active = await matching.pairs()
    positions = await mentor_positions(ctx, [p.mentor.id for p in active if p.mentor])
    all_rows = pair_rows(active, settings, positions)
    new_pairs = await matching.pairs(ids=pair_ids)
    people = {m.id: await ctx.repos.participants.get(m.id) for p in new_pairs for m in p.people}
    adults = {pid for pid, person in people.items() if person is not None and is_adult(person)}
    names = {pid: person.name for pid, person in people.items() if person is not None and person.name}
    new_rows = pair_rows(new_pairs, settings, positions, adults, names)
    return [await pairs_file(settings, all_rows, generated), await order_file(settings, new_rows, forms, generated)]


ROUTES = FlowRoutes(commands={"match": on_match_command}, presses={MatchPayload.prefix: on_match})
