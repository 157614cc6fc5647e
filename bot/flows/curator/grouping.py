"""The group meeting of candidates (announce it, mark who came) and the preference survey (roadmap 4.4).

Commands: /groupmeeting, /preferences (a form picker each). Presses: `FormPayload` (every form picker's: gm, pf,
pfnew here; mt and rm go on to the match flow), `GroupMeetingPayload`, `RoundPayload`. Dialog:
`GroupMeetingSetup` (when, place, confirm). Announcing a meeting and opening a round are one action each: the
rows, the audit entry and the invitations (`Notify`) commit together.
"""

from __future__ import annotations

from typing import Any

from bot.clock import parse_iso
from bot.flows.context import Ctx
from bot.flows.curator import matching as match_flow
from bot.flows.curator.pairs import paged, reader
from bot.flows.curator.reports import curator_only, press_of
from bot.flows.effects import Effect, Notify, Show, Toast
from bot.flows.events import Event, TextIn
from bot.flows.notices import pref_start_buttons
from bot.flows.payloads import FormPayload, GroupMeetingPayload, Payload, RoundPayload
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Keyboard, Screen
from bot.i18n import esc, tr
from bot.meetings.timeparse import InvalidInput, format_moment
from bot.meetings.when import parse_when
from bot.pairs import Candidate
from bot.programme import Form

#: The states of the announcing dialog (handlers.states.GroupMeetingSetup).
SETUP = "GroupMeetingSetup"
WHEN, PLACE, CONFIRM = f"{SETUP}:when", f"{SETUP}:place", f"{SETUP}:confirm"


def _when(ctx: Ctx, moment_iso: str) -> str:
    return format_moment(parse_iso(moment_iso), ctx.repos.settings.institution.tz)


def _matching(ctx: Ctx) -> Any:
    return ctx.repos.matching


@curator_only
async def on_groupmeeting(ctx: Ctx, event: Event) -> list[Effect]:
    """/groupmeeting."""
    return await match_flow.ask_form(ctx, "gm")


@curator_only
async def on_preferences(ctx: Ctx, event: Event) -> list[Effect]:
    """/preferences."""
    return await match_flow.ask_form(ctx, "pf")


@curator_only
async def on_form(ctx: Ctx, event: Event) -> list[Effect]:
    """A form picked: its group meeting, its preference round, or (mt, rm) its match draft."""
    data = FormPayload.unpack(press_of(event).payload)
    if data.flow in ("mt", "rm"):
        return await match_flow.on_form(ctx, data)
    form = Form.parse(data.f)
    if form is None or data.flow not in ("gm", "pf", "pfnew"):
        return [Toast(tr("stale-button"))]
    matching = _matching(ctx)
    if data.flow == "gm":
        if await matching.latest_meeting(form) is None:
            return [await ask_when(ctx, form)]
        return [Show(await meeting_screen(ctx, form))]
    if data.flow == "pf" and await matching.open_round_for(form) is not None:
        return [Show(await round_screen(ctx, form))]
    kb = Keyboard()
    kb.add(tr("btn-from-attendees"), RoundPayload(a="att", f=form.value))
    kb.add(tr("btn-from-all"), RoundPayload(a="all", f=form.value))
    return [Show(Screen(tr("pref-pick-source", form=form.label), kb.rows()))]


async def ask_when(ctx: Ctx, form: Form) -> Show:
    await ctx.dialog.set_state(WHEN)
    await ctx.dialog.set_data({"form": form.value})
    return Show(Screen(tr("gm-ask-when", form=form.label)))


async def meeting_screen(ctx: Ctx, form: Form) -> Screen:
    matching = _matching(ctx)
    meeting = await matching.latest_meeting(form)
    assert meeting is not None
    candidates = await matching.candidates(form)
    present = await matching.attendees(meeting.id)
    text = tr("gm-exists",
        form=form.label,
        when=_when(ctx, meeting.starts_at.isoformat()),
        place=esc(meeting.place),
        present=len(present & {c.id for c in candidates}),
        total=len(candidates),
    )
    kb = Keyboard()
    kb.add(tr("btn-attendance"), GroupMeetingPayload(a="att", f=form.value))
    kb.add(tr("btn-new-meeting"), GroupMeetingPayload(a="new", f=form.value))
    return Screen(text, kb.rows())


@curator_only
async def on_setup(ctx: Ctx, event: Event) -> list[Effect]:
    """The announcing dialog's texts: when, then where (at the preview, a text is not taken)."""
    state = await ctx.dialog.get_state()
    if not isinstance(event, TextIn) or state not in (WHEN, PLACE):
        return [Show(Screen(tr("unknown-input")), edit=False)]
    if state == WHEN:
        try:
            moment = parse_when(event.text, ctx.repos.clock.now(), ctx.repos.settings.institution.tz)
        except InvalidInput as exc:
            return [Show(Screen(esc(exc.user_text)), edit=False)]
        await ctx.dialog.update_data(when=moment.isoformat())
        await ctx.dialog.set_state(PLACE)
        return [Show(Screen(tr("gm-ask-place")), edit=False)]
    place = " ".join(event.text.split())
    if not 2 <= len(place) <= 200:
        return [Show(Screen(tr("gm-ask-place")), edit=False)]
    data = await ctx.dialog.update_data(place=place)
    form = Form(data["form"])
    await ctx.dialog.set_state(CONFIRM)
    count = len(await ctx.repos.participants.consented(form))  # type: ignore[attr-defined]
    text = tr("gm-preview", form=form.label, when=_when(ctx, data["when"]), place=esc(place), count=count)
    kb = Keyboard()
    kb.add(tr("btn-send"), GroupMeetingPayload(a="send", f=form.value))
    kb.add(tr("btn-cancel"), GroupMeetingPayload(a="cancel", f=form.value))
    kb.adjust(2)
    return [Show(Screen(text, kb.rows()), edit=False)]


@curator_only
async def on_meeting(ctx: Ctx, event: Event) -> list[Effect]:
    """The group meeting's buttons: a new one, send or cancel the announcement, the attendance."""
    data = GroupMeetingPayload.unpack(press_of(event).payload)
    form = Form.parse(data.f)
    if form is None:
        return [Toast(tr("stale-button"))]
    matching = _matching(ctx)
    action = data.a
    if action == "new":
        return [await ask_when(ctx, form)]
    if action == "cancel":
        await ctx.dialog.clear()
        return [Show(Screen(tr("cancelled")))]
    if action == "send":
        return await _announce(ctx, form)
    if action not in ("att", "tog", "done", "back"):
        return []
    meeting = await matching.latest_meeting(form)
    if meeting is None:
        return [Toast(tr("stale-button"))]
    if action == "back":  # every mark is saved as it is pressed: nothing to keep or undo
        return [Show(await meeting_screen(ctx, form))]
    candidates = await matching.candidates(form)
    if action == "done":
        return [Show(Screen(await attendance_summary(ctx, meeting.id, candidates)))]
    if action == "tog" and data.pid in {c.id for c in candidates}:
        await matching.toggle_attendance(meeting.id, data.pid)
    return [Show(await attendance_screen(ctx, form, meeting.id, candidates, data.p))]


async def _announce(ctx: Ctx, form: Form) -> list[Effect]:
    """«Отправить»: the meeting is made and every consented candidate of the form invited."""
    data = await ctx.dialog.get_data()
    if await ctx.dialog.get_state() != CONFIRM or data.get("form") != form.value:
        return [Toast(tr("stale-button"))]
    await ctx.dialog.clear()
    participants: Any = ctx.repos.participants
    curator = ctx.person.account_id
    meeting = await _matching(ctx).create_meeting(form, parse_iso(data["when"]), data["place"], curator)
    invited = await participants.consented(form)
    when, place = _when(ctx, data["when"]), esc(data["place"])
    effects: list[Effect] = [Show(Screen(tr("gm-sent", count=len(invited))))]
    for person in invited:  # each on their own messenger
        text = tr("gm-announce", when=when, place=place, audience=person.audience)
        effects.append(Notify(person.person, Screen(text)))
    await ctx.repos.audit.record(curator, "group_meeting.announce", str(meeting.id), {"form": form.value})
    return effects


async def attendance_screen(ctx: Ctx, form: Form, meeting_id: int, candidates: list[Candidate], page: int) -> Screen:
    present = await _matching(ctx).attendees(meeting_id)
    items: list[tuple[str, Payload]] = [
        (("✅ " if c.id in present else "") + c.name, GroupMeetingPayload(a="tog", f=form.value, pid=c.id, p=page))
        for c in candidates
    ]
    text = tr("gm-attendance", present=len(present & {c.id for c in candidates}), total=len(candidates))
    tail: list[tuple[str, Payload]] = [
        (tr("btn-done"), GroupMeetingPayload(a="done", f=form.value)),
        (tr("btn-back"), GroupMeetingPayload(a="back", f=form.value)),
    ]
    return Screen(text, paged(items, page, lambda p: GroupMeetingPayload(a="att", f=form.value, p=p), tail))


async def attendance_summary(ctx: Ctx, meeting_id: int, candidates: list[Candidate]) -> str:
    """Who was marked at the meeting and who was not, by name (the screen closes on it)."""
    present = await _matching(ctx).attendees(meeting_id)
    came = [c.name for c in candidates if c.id in present]
    missed = [c.name for c in candidates if c.id not in present]
    return tr("gm-attendance-done",
        present=len(came),
        total=len(candidates),
        came=esc(", ".join(came) or "—"),
        missed=esc(", ".join(missed) or "—"),
    )


async def round_screen(ctx: Ctx, form: Form) -> Screen:
    matching = _matching(ctx)
    current = await matching.open_round_for(form)
    assert current is not None
    pool = await matching.round_pool(current)
    answered = await matching.submitted(current.id)
    missing = [c.name for c in pool if c.id not in answered]
    text = tr("pref-status",
        form=form.label,
        answered=len(pool) - len(missing),
        total=len(pool),
        missing=esc(", ".join(missing[:30]) or "—"),
    )
    kb = Keyboard()
    kb.add(tr("btn-remind"), RoundPayload(a="remind", f=form.value))
    kb.add(tr("btn-close-round"), RoundPayload(a="close", f=form.value))
    kb.add(tr("btn-new-round"), FormPayload(flow="pfnew", f=form.value))
    return Screen(text, kb.rows())


@curator_only
async def on_round(ctx: Ctx, event: Event) -> list[Effect]:
    """The preference round's buttons: open it (from the meeting's attendees or everyone), remind, close."""
    data = RoundPayload.unpack(press_of(event).payload)
    form = Form.parse(data.f)
    if form is None:
        return [Toast(tr("stale-button"))]
    matching = _matching(ctx)
    action = data.a
    if action in ("att", "all"):
        meeting = await matching.latest_meeting(form)
        from_attendees = action == "att"
        if from_attendees and (meeting is None or not await matching.attendees(meeting.id)):
            return [Toast(tr("pref-no-attendees"), alert=True)]
        current = await matching.open_round(form, meeting.id if meeting else None, from_attendees)
        pool = await matching.round_pool(current)
        effects: list[Effect] = [Show(Screen(tr("pref-opened", count=len(pool))))]
        for person in pool:
            to, audience = await reader(ctx, person.id, person.telegram_id)
            invite = tr("pref-invite", audience=audience, n=person.picks_allowed)
            effects.append(Notify(to, Screen(invite, pref_start_buttons(current.id))))
        await ctx.repos.audit.record(ctx.person.account_id, "preferences.open", str(current.id), {"form": form.value})
        return effects
    current = await matching.open_round_for(form)
    if current is None:
        return [Toast(tr("stale-button"))]
    if action == "remind":
        pool = await matching.round_pool(current)
        answered = await matching.submitted(current.id)
        missing = [c for c in pool if c.id not in answered]
        effects = [Toast(tr("pref-reminded", count=len(missing))), Show(await round_screen(ctx, form))]
        for person in missing:
            to, audience = await reader(ctx, person.id, person.telegram_id)
            effects.append(Notify(to, Screen(tr("pref-reminder", audience=audience), pref_start_buttons(current.id))))
        return effects
    if action == "close":
        await matching.close_round(current.id)
        return [Show(Screen(tr("pref-closed")))]
    return []


ROUTES = FlowRoutes(
    commands={"groupmeeting": on_groupmeeting, "preferences": on_preferences},
    presses={
        FormPayload.prefix: on_form,
        GroupMeetingPayload.prefix: on_meeting,
        RoundPayload.prefix: on_round,
    },
    dialogs={SETUP: on_setup},
)
