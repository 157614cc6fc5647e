"""Joining: /start with an invite code, the age question, the consent of an adult or of a pupil of 14–17, the
link for the parent, and the parent's side (the link opened, «Даю согласие» / «Не даю», the relation, the name).

Each action is one call (`bot.flows.act`), one transaction: the participant's row, their consent, the dialog
state and the notice to the child (`Notify`, through the outbox) commit together or not at all. A refusal
(«Не даю») deletes what there was of the person, dialog included, in the same transaction; the file is
scrubbed after the commit (`Database.scrub` defers itself).

The actions write no audit entry: the audit log is the curators' (every entry's actor is a curator), and an
entry naming a participant or a parent as its actor would keep their account id after a withdrawal. The record
of a consent is its own row (who gave it, when, which edition of the document).

A pressed button is answered once: the message it was on comes back without its buttons (`Show` of its own
text, `edit=True`, no rows), then the next step as a message of its own.

An adult's consent starts the questionnaire in the same action (`bot.flows.survey.begin`): the thanks are its
preface, one message with the questionnaire's intro.
"""

from __future__ import annotations

from bot.consent import ConsentKind, Operator, Relation, clean_parent_name, render
from bot.flows import survey
from bot.flows.context import Ctx
from bot.flows.effects import Effect, Notify, Show, Toast
from bot.flows.events import CommandIn, Event, Messenger, PressIn, TextIn
from bot.flows.payloads import MenuPayload, Payload, PayloadError
from bot.flows.ports import Repos
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Keyboard, Screen
from bot.flows.texts import link_where, local_moment, start_links
from bot.i18n import esc, quoted, tr
from bot.invites import PARENT_PREFIX, JoinRefused, code_kind, new_code
from bot.participants import Participant
from bot.programme import Role
from bot.settings import InstitutionSettings, Settings


# --- the payloads of joining's buttons (twins: handlers.kb.joining) ------------------------------------------
class AgePayload(Payload, prefix="age"):
    """The age group: «adult» (18+), «teen» (14–17, consents alongside the parent), «child» (under 14)."""

    group: str


class ConsentPayload(Payload, prefix="cns"):
    agree: bool


class MinorConsentPayload(Payload, prefix="cnm"):
    """A pupil of 14–17 answering their own consent document."""

    agree: bool


class ParentPayload(Payload, prefix="par"):
    """The parent's consent for participant `pid` (the child); `relation` set on the last step."""

    pid: int
    agree: bool = True
    relation: str = ""


AGE_GROUPS = ("adult", "teen", "child")

#: The dialog's states: the names aiogram's `handlers.states.Joining` / `ParentConsent` give them.
AGE, CONSENT, WAITING_PARENT = "Joining:age", "Joining:consent", "Joining:waiting_parent"
PARENT_DOCUMENT, PARENT_NAME, PARENT_RELATION = (
    "ParentConsent:document",
    "ParentConsent:name",
    "ParentConsent:relation",
)
#: The menu's buttons that lead back into joining (the menu flow hands them here).
MENU_ACTIONS = ("consent", "parent_link")


# --- the screens -------------------------------------------------------------------------------------------
def operator(institution: InstitutionSettings) -> Operator:
    return Operator(institution.organization_name, institution.organization_address, institution.organization_inn)


def _org(settings: Settings) -> str:
    return esc(quoted(settings.institution.organization_name))


def _say(text: str) -> Show:
    """A message of its own (never an edit of the pressed one)."""
    return Show(Screen(text), edit=False)


def _bare(text: str) -> Show:
    """The pressed message as it was, without its buttons: answered once, it cannot be pressed again."""
    return Show(Screen(text), edit=True)


def age_screen(participant: Participant, *, buttons: bool = True) -> Screen:
    kb = Keyboard()
    if buttons:
        for group in AGE_GROUPS:
            kb.add(tr(f"btn-age-{group}"), AgePayload(group))
        kb.adjust(3)
    return Screen(tr("ask-age", audience=participant.audience), kb.rows())


def document_screen(
    settings: Settings,
    kind: ConsentKind,
    payloads: tuple[Payload, Payload] | None,
    messenger: Messenger = Messenger.TELEGRAM,
) -> Screen:
    """The consent document with «Даю согласие» / «Не даю» under it (`payloads`), or bare (None). `messenger`:
    the participant's (the child's, in a parent's document), whose account id there the document names."""
    kb = Keyboard()
    if payloads is not None:
        kb.add(tr("btn-consent-yes"), payloads[0]).add(tr("btn-consent-no"), payloads[1])
    return Screen(render(operator(settings.institution), kind, messenger).text, kb.rows())


def relation_screen(pid: int | None) -> Screen:
    kb = Keyboard()
    if pid is not None:
        for relation in Relation:
            kb.add(relation.label, ParentPayload(pid=pid, relation=relation.value))
        kb.adjust(2, 1)
    return Screen(tr("parent-ask-relation"), kb.rows())


def child_consented_screen() -> Screen:
    """The child's notice: the parent consented, the questionnaire is one button away."""
    return Screen(tr("child-parent-consented"), Keyboard().add(tr("btn-start-survey"), MenuPayload("survey")).rows())


def _parent_link(participant: Participant, repos: Repos, code: str | None = None) -> dict[str, str]:
    """The parent's link for a text (`link`, `where`): on every messenger that runs, since a parent on MAX may
    consent for a child on Telegram and the other way round (the code is the same on both)."""
    code = code or participant.parent_code or ""
    return {
        "link": start_links(repos.links, code, participant.messenger),
        "where": link_where(repos.links, participant.messenger),
    }


async def parent_intro(child: Participant, repos: Repos) -> str:
    """Who asks and about which child: what the child will do, when the invite was opened, whether a teenager
    has consented already. The child's name comes from the questionnaire, after this consent: never known here."""
    settings = repos.settings
    role = child.role if child.role is Role.MENTOR else Role.MENTEE_PUPIL
    what = tr(f"parent-what-{role.value}", form=child.form.value)
    joined = local_moment(child.joined_at, settings.institution.tz)
    text = tr("parent-intro", org=_org(settings), what=what, joined=joined)
    own = await repos.participants.consent(child.id, ConsentKind.MINOR)
    if own is not None:
        text += "\n\n" + tr("parent-minor-consented", at=local_moment(own.given_at, settings.institution.tz))
    return text


# --- the steps ---------------------------------------------------------------------------------------------
async def _me(ctx: Ctx) -> Participant | None:
    return await ctx.repos.participants.by_account(ctx.person.messenger, ctx.person.account_id)


async def _consent_screens(ctx: Ctx) -> list[Effect]:
    await ctx.dialog.set_state(CONSENT)
    payloads = (ConsentPayload(True), ConsentPayload(False))
    document = document_screen(ctx.repos.settings, ConsentKind.SELF, payloads, ctx.person.messenger)
    return [_say(tr("consent-intro")), Show(document, edit=False)]


async def _minor_consent_screens(ctx: Ctx) -> list[Effect]:
    """A pupil of 14–17 reads their own consent, in their voice, before the link for the parent."""
    await ctx.dialog.set_state(CONSENT)
    payloads = (MinorConsentPayload(True), MinorConsentPayload(False))
    document = document_screen(ctx.repos.settings, ConsentKind.MINOR, payloads, ctx.person.messenger)
    return [_say(tr("minor-consent-intro")), Show(document, edit=False)]


async def continue_joining(ctx: Ctx, participant: Participant) -> list[Effect]:
    """The next step for someone enrolled but without consent: the age question, the document, or waiting."""
    if not participant.age_known:
        await ctx.dialog.set_state(AGE)
        return [Show(age_screen(participant), edit=False)]
    if participant.needs_parent:
        await ctx.dialog.set_state(WAITING_PARENT)
        return [_say(tr("waiting-for-parent", **_parent_link(participant, ctx.repos)))]
    return await _consent_screens(ctx)


async def on_start(ctx: Ctx, event: Event) -> list[Effect]:
    """/start with a code: an invite enrols, a parent's link opens the parent's consent; without a code the
    participant's (or the parent's) menu, or the word how to join."""
    from bot.flows import menu  # the menu hands its joining buttons here: imported when used

    assert isinstance(event, CommandIn)
    repos, person = ctx.repos, ctx.person
    payload = event.args.strip()
    kind = code_kind(payload)
    if kind == "parent":
        return await _start_parent(ctx, payload)
    if kind == "curator":  # Telegram's adapter routes these itself (it sets the new curator's commands)
        from bot.flows.curator import curators

        return await curators.accept_link(ctx, payload, event.name)
    participant = await _me(ctx)
    if participant is not None:
        effects: list[Effect] = []
        if kind == "invite":
            effects.append(_say(tr("already-enrolled", audience=participant.audience)))
        return [*effects, Show(await menu.participant_menu(participant, repos), edit=False)]
    if kind != "invite" and not ctx.is_curator:
        children = await repos.participants.children_of(person.account_id, person.messenger)
        if children:  # a parent who consented has a menu of their own
            return [Show(await menu.parent_menu(children, repos), edit=False)]
    if kind != "invite":
        org = _org(repos.settings)
        return [_say(tr("start-curator", org=org) if ctx.is_curator else tr("start-no-code", org=org))]
    if ctx.is_curator:
        return [_say(tr("curator-own-link"))]
    invite = await repos.invites.get(payload)
    problem = "unknown" if invite is None else invite.problem(repos.clock.now())
    if invite is None or problem is not None:
        return [_say(tr(f"invite-problems-{problem}"))]
    try:
        participant = await repos.participants.join(person.account_id, invite, person.messenger)
    except JoinRefused as exc:
        return [_say(tr(f"invite-problems-{exc.problem.value}"))]
    joined = tr(f"joined-{participant.role.value}", org=_org(repos.settings), form=participant.form.value)
    return [_say(joined), *await continue_joining(ctx, participant)]


async def on_menu_press(ctx: Ctx, event: Event) -> list[Effect]:
    """«Дать согласие» / «Ссылка для родителя» in the menu of someone without consent."""
    participant = await _me(ctx)
    if participant is None or participant.has_consent:
        return [Toast(tr("stale-button"))]
    return await continue_joining(ctx, participant)


async def on_age(ctx: Ctx, event: Event) -> list[Effect]:
    assert isinstance(event, PressIn)
    participant = await _me(ctx)
    try:
        group = AgePayload.unpack(event.payload).group
    except PayloadError:
        group = ""
    if participant is None or participant.has_consent or not participant.role.may_be_minor or group not in AGE_GROUPS:
        return [Toast(tr("stale-button"))]
    answered = Show(age_screen(participant, buttons=False))
    participants = ctx.repos.participants
    if group == "adult":
        await participants.set_adult(participant.id, True, None)
        return [answered, *await _consent_screens(ctx)]
    if group == "teen":
        # The age stays unknown until the teenager answers their own document: leaving now asks again later.
        return [answered, *await _minor_consent_screens(ctx)]
    code = participant.parent_code or new_code(PARENT_PREFIX)
    await participants.set_adult(participant.id, False, code)
    await ctx.dialog.set_state(WAITING_PARENT)
    return [answered, _say(tr("minor-needs-parent", **_parent_link(participant, ctx.repos, code)))]


def _agrees(payload_type: type[ConsentPayload] | type[MinorConsentPayload], payload: str) -> bool | None:
    try:
        return payload_type.unpack(payload).agree
    except PayloadError:
        return None


async def on_consent(ctx: Ctx, event: Event) -> list[Effect]:
    """An adult's answer to the document: «Даю согласие» records it and starts the questionnaire; «Не даю»
    removes everything (the invite's use is given back)."""
    assert isinstance(event, PressIn)
    agree = _agrees(ConsentPayload, event.payload)
    participant = await _me(ctx)
    if participant is None or participant.needs_parent or not participant.age_known or agree is None:
        return [Toast(tr("stale-button"))]
    if participant.has_consent:
        return [Toast(tr("consent-already"))]
    repos = ctx.repos
    answered = Show(document_screen(repos.settings, ConsentKind.SELF, None, ctx.person.messenger))
    if not agree:
        await ctx.dialog.clear()  # before: the refusal deletes the person's rows, and nothing may write after it
        await repos.participants.decline(participant.id)
        return [answered, _say(tr("consent-declined"))]
    document = render(operator(repos.settings.institution), ConsentKind.SELF, ctx.person.messenger)
    await repos.participants.record_consent(
        participant.id, document, kind=ConsentKind.SELF, given_by=ctx.person.account_id,
        given_by_messenger=ctx.person.messenger,
    )  # fmt: skip
    at = local_moment(repos.clock.now(), repos.settings.institution.tz)
    consented = await repos.participants.get(participant.id)
    assert consented is not None
    # The thanks and the questionnaire's intro are one message (the survey's preface).
    return [answered, *await survey.begin(ctx, consented, preface=tr("consent-thanks", at=at))]


async def on_minor_consent(ctx: Ctx, event: Event) -> list[Effect]:
    """A pupil of 14–17 answers their own document: «Даю согласие» records it and gives the parent's link;
    «Не даю» removes everything, as an adult's refusal does. The processing waits for the parent either way."""
    assert isinstance(event, PressIn)
    agree = _agrees(MinorConsentPayload, event.payload)
    participant = await _me(ctx)
    if (
        participant is None
        or participant.has_consent
        or participant.age_known
        or not participant.role.may_be_minor
        or agree is None
    ):
        return [Toast(tr("stale-button"))]
    repos = ctx.repos
    answered = Show(document_screen(repos.settings, ConsentKind.MINOR, None, ctx.person.messenger))
    if not agree:
        await ctx.dialog.clear()
        await repos.participants.decline(participant.id)
        return [answered, _say(tr("minor-consent-declined"))]
    document = render(operator(repos.settings.institution), ConsentKind.MINOR, ctx.person.messenger)
    await repos.participants.record_consent(
        participant.id, document, kind=ConsentKind.MINOR, given_by=ctx.person.account_id,
        given_by_messenger=ctx.person.messenger,
    )  # fmt: skip
    code = participant.parent_code or new_code(PARENT_PREFIX)
    await repos.participants.set_adult(participant.id, False, code)
    await ctx.dialog.set_state(WAITING_PARENT)
    at = local_moment(repos.clock.now(), repos.settings.institution.tz)
    return [answered, _say(tr("minor-consent-thanks", at=at, **_parent_link(participant, repos, code)))]


async def on_joining_input(ctx: Ctx, event: Event) -> list[Effect]:
    """Anything typed while a button is expected (or while the parent has not answered yet)."""
    if await ctx.dialog.get_state() == WAITING_PARENT:
        participant = await _me(ctx)
        if participant is not None and participant.parent_code and not participant.has_consent:
            return [_say(tr("waiting-for-parent", **_parent_link(participant, ctx.repos)))]
        await ctx.dialog.clear()
        return [_say(tr("unknown-input"))]
    return [_say(tr("press-a-button"))]


# --- the parent's side -------------------------------------------------------------------------------------
async def _start_parent(ctx: Ctx, code: str) -> list[Effect]:
    """The parent's very first message: who asks and about which child, then the document."""
    repos = ctx.repos
    child = await repos.participants.by_parent_code(code)
    if child is None:
        return [_say(tr("parent-link-unknown"))]
    if child.has_consent:
        return [_say(tr("parent-already-done"))]
    if child.person == ctx.person:
        return [_say(tr("own-parent-link"))]
    await ctx.dialog.set_state(PARENT_DOCUMENT)
    await ctx.dialog.set_data({"child": child.id})
    payloads = (ParentPayload(pid=child.id, agree=True), ParentPayload(pid=child.id, agree=False))
    document = document_screen(repos.settings, ConsentKind.PARENT, payloads, child.messenger)
    return [_say(await parent_intro(child, repos)), Show(document, edit=False)]


async def _child_waiting(repos: Repos, pid: int) -> Participant | None:
    child = await repos.participants.get(pid)
    return child if child is not None and not child.has_consent and child.needs_parent else None


async def on_parent_press(ctx: Ctx, event: Event) -> list[Effect]:
    """«Даю согласие» / «Не даю» under the document, then the relation. A refusal tells the child; the
    parent's dialog goes, and with it their account id (scrubbed from the file after the commit)."""
    assert isinstance(event, PressIn)
    press = ParentPayload.unpack(event.payload)
    repos = ctx.repos
    if press.relation and press.relation not in {r.value for r in Relation}:
        return [Toast(tr("stale-button"))]
    data = await ctx.dialog.get_data()
    child = await _child_waiting(repos, press.pid)
    on = child.messenger if child is not None else Messenger.TELEGRAM
    pressed = relation_screen(None) if press.relation else document_screen(repos.settings, ConsentKind.PARENT, None, on)
    answered = Show(pressed)
    if child is None or data.get("child") != press.pid:
        return [Toast(tr("parent-already-done") if child is None else tr("stale-button")), answered]
    if not press.agree:
        await ctx.dialog.clear()
        await repos.participants.scrub()  # the refusing parent's dialog held their account id
        told = Notify(child.person, Screen(tr("child-parent-declined")))
        return [answered, _say(tr("parent-declined")), told]
    if not press.relation:
        await ctx.dialog.set_state(PARENT_RELATION)
        return [answered, Show(relation_screen(child.id), edit=False)]
    await ctx.dialog.set_state(PARENT_NAME)
    await ctx.dialog.update_data(relation=Relation(press.relation).value)
    return [answered, _say(tr("parent-ask-name"))]


async def on_parent_input(ctx: Ctx, event: Event) -> list[Effect]:
    """The parent's name on the last step records the consent and tells the child; anything else typed in the
    parent's dialog asks for a button."""
    if not isinstance(event, TextIn) or await ctx.dialog.get_state() != PARENT_NAME:
        return [_say(tr("press-a-button"))]
    name = clean_parent_name(event.text)
    if name is None:
        return [_say(tr("parent-bad-name"))]
    repos = ctx.repos
    data = await ctx.dialog.get_data()
    child = await _child_waiting(repos, int(data.get("child", 0)))
    if child is None or not data.get("relation"):
        await ctx.dialog.clear()
        return [_say(tr("parent-already-done"))]
    recorded = await repos.participants.record_consent(
        child.id,
        render(operator(repos.settings.institution), ConsentKind.PARENT, child.messenger),
        kind=ConsentKind.PARENT,
        given_by=ctx.person.account_id,
        parent_name=name,
        parent_relation=Relation(data["relation"]),
        given_by_messenger=ctx.person.messenger,
    )
    await ctx.dialog.clear()
    if not recorded:
        return [_say(tr("parent-already-done"))]
    at = local_moment(repos.clock.now(), repos.settings.institution.tz)
    return [_say(tr("parent-done", at=at)), Notify(child.person, child_consented_screen())]


ROUTES = FlowRoutes(
    commands={"start": on_start},
    presses={
        AgePayload.prefix: on_age,
        ConsentPayload.prefix: on_consent,
        MinorConsentPayload.prefix: on_minor_consent,
        ParentPayload.prefix: on_parent_press,
    },
    dialogs={"Joining": on_joining_input, "ParentConsent": on_parent_input},
)
