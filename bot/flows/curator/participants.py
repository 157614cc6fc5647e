"""/participants: counts by role, form and status, a paged filtered list, a card with the answers; from the card
the curator records a paper consent (the parent's name, the paper's date, a confirmation: the dialog
`PaperConsent`) or corrects a name (`NameCorrection`). /consent_paper lists who waits for a parent's consent.

Every screen that shows personal data is written to the audit log, in the action's transaction.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any, Protocol, cast
from zoneinfo import ZoneInfo

from bot.consent import BadPaperDate, ConsentKind, clean_signatory_name, parse_paper_date
from bot.flows.context import Ctx
from bot.flows.curator.curators import curator_only
from bot.flows.effects import Effect, Notify, Show, Toast
from bot.flows.events import CommandIn, Event, Messenger, PressIn, TextIn
from bot.flows.payloads import MenuPayload, Payload
from bot.flows.ports import ConsentView
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Keyboard, Screen
from bot.flows.texts import (
    answers_block,
    consent_line,
    local_day,
    local_moment,
    messenger_counts,
    messenger_mark,
    messengers_in_use,
)
from bot.i18n import esc, tr
from bot.participants import Participant
from bot.programme import INTAKE_BY_ROLE, Form, Role, Status
from bot.questionnaires.answers import InvalidAnswer, parse_text
from bot.settings import Settings

PAGE_SIZE = 8
#: The question whose answer is the participant's name (storage.participants.NAME_QUESTION).
NAME_QUESTION = "name"

#: The dialogs' states, as aiogram's StatesGroups in handlers/states.py name them.
PAPER_PARENT, PAPER_DATE, PAPER_CONFIRM = "PaperConsent:parent", "PaperConsent:date", "PaperConsent:confirm"
RENAME_NAME, RENAME_CONFIRM = "NameCorrection:name", "NameCorrection:confirm"


class PeoplePayload(Payload, prefix="pt"):
    """a: sum (summary), list, card; paper (start a paper consent), pok (confirm it); rename (start a name
    correction), rok (confirm it); no (drop the dialog, back to the card). Filters: role, st (status); off: page
    offset; pid: participant (handlers.kb.curator.PeopleCb)."""

    a: str
    role: str = ""
    st: str = ""
    off: int = 0
    pid: int = 0


class ConsentDetails(ConsentView, Protocol):
    """A consent as the curator's card shows it (storage's ConsentRecord)."""

    @property
    def parent_name(self) -> str | None: ...

    @property
    def parent_relation(self) -> Any: ...

    @property
    def paper_date(self) -> str | None: ...


class People(Protocol):
    """What this flow asks of the participants' repository (storage.participants.ParticipantRepo)."""

    async def counts(self) -> list[tuple[Role, Form, Status, int]]: ...

    async def page(
        self, *, role: Role | None = None, status: Status | None = None, offset: int = 0, limit: int = 8
    ) -> tuple[list[Participant], int]: ...

    async def get(self, participant_id: int) -> Participant | None: ...

    async def answers(self, participant_id: int, questionnaire_id: str) -> dict[str, Any]: ...

    async def consent(self, participant_id: int, kind: ConsentKind | None = None) -> ConsentDetails | None: ...

    async def record_consent(self, participant_id: int, document: Any, **details: Any) -> bool: ...

    async def rename(
        self, participant_id: int, name: str, *, curator_id: int, curator_messenger: Any = ...
    ) -> str | None: ...

    async def destruction_log(self) -> list[dict[str, Any]]: ...


def people(ctx: Ctx) -> People:
    return cast(People, ctx.repos.participants)


async def _audit(ctx: Ctx, action: str, subject: str | None = None, details: dict[str, Any] | None = None) -> None:
    me = ctx.person
    await ctx.repos.audit.record(me.account_id, action, subject, details, actor_messenger=me.messenger)


# --- the keyboards -----------------------------------------------------------------------------------------------
def summary_rows() -> Keyboard:
    kb = Keyboard()
    kb.add(f"{tr('btn-show-list')}: {tr('list-all')}", PeoplePayload(a="list"))
    for role in Role:
        kb.add(f"{tr('btn-show-list')}: {role.label}", PeoplePayload(a="list", role=role.value))
    for status in Status:
        kb.add(f"{tr('btn-show-list')}: {status.label}", PeoplePayload(a="list", st=status.value))
    return kb


def page_rows(
    people: list[Participant], labels: list[str], role: str, status: str, offset: int, total: int
) -> Keyboard:
    """`labels`: how each person is named on their button (the name, or what identifies them before it)."""
    kb = Keyboard()
    for n, (person, label) in enumerate(zip(people, labels, strict=True), start=offset + 1):
        kb.add(f"{n}. {label[:40]}", PeoplePayload(a="card", pid=person.id))
    widths = [1] * len(people)
    nav = 0
    if offset > 0:
        kb.add(tr("btn-prev"), PeoplePayload(a="list", role=role, st=status, off=max(0, offset - PAGE_SIZE)))
        nav += 1
    if offset + PAGE_SIZE < total:
        kb.add(tr("btn-next"), PeoplePayload(a="list", role=role, st=status, off=offset + PAGE_SIZE))
        nav += 1
    if nav:
        widths.append(nav)
    kb.add(tr("btn-to-summary"), PeoplePayload(a="sum"))
    widths.append(1)
    return kb.adjust(*widths)


def card_rows(person: Participant) -> Keyboard:
    kb = Keyboard()
    if not person.has_consent:
        kb.add(tr("btn-paper-consent"), PeoplePayload(a="paper", pid=person.id))
    if person.name:
        kb.add(tr("btn-rename"), PeoplePayload(a="rename", pid=person.id))
    kb.add(tr("btn-to-summary"), PeoplePayload(a="sum"))
    return kb


def confirm_rows(person_id: int, confirm: str, label: str) -> Keyboard:
    """The last step of a dialog about a participant: `label` (a=`confirm`) or «Отмена»."""
    kb = Keyboard()
    kb.add(label, PeoplePayload(a=confirm, pid=person_id))
    kb.add(tr("btn-cancel"), PeoplePayload(a="no", pid=person_id))
    return kb.adjust(2)


def start_survey_rows() -> Keyboard:
    """Under the child's notice of a paper consent: straight to the questionnaire (handlers.kb.joining's)."""
    return Keyboard().add(tr("btn-start-survey"), MenuPayload("survey"))


# --- the screens -------------------------------------------------------------------------------------------------
async def summary_text(ctx: Ctx) -> str | None:
    counts = await people(ctx).counts()
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
    by_messenger = messenger_counts(ctx.repos.links, await ctx.repos.participants.by_messenger())
    messengers = tr("participants-by-messenger", counts=by_messenger) if by_messenger else ""
    return tr("participants-summary",
        total=total, messengers=messengers, by_role="\n".join(role_lines), by_status="\n".join(status_lines)
    )  # fmt: skip


async def summary_screen(ctx: Ctx) -> Screen:
    text = await summary_text(ctx)
    return Screen(text, summary_rows().rows()) if text else Screen(tr("participants-empty"))


async def _in_use(ctx: Ctx) -> set[Messenger]:
    """The messengers the bot runs and those the participants are on: a person's is said when there are two."""
    return messengers_in_use(ctx.repos.links, await ctx.repos.participants.by_messenger())


def invite_line(person: Participant, tz: ZoneInfo) -> str:
    if person.invite_created_at is not None and person.invite_tail:
        return tr("participant-invite", date=local_day(person.invite_created_at, tz), tail=person.invite_tail)
    return tr("participant-invite-gone")


def identity(person: Participant, tz: ZoneInfo) -> str:
    """How the curator tells people apart: the name, or before it (a child waiting for a parent) when they came,
    by which link, and the parent's name from the consent. Plain text: escape it for HTML."""
    if person.name:
        return person.name
    text = tr("participant-unnamed",
        pseudonym=person.pseudonym, joined=local_moment(person.joined_at, tz), invite=invite_line(person, tz)
    )  # fmt: skip
    if person.parent_name:
        text += tr("participant-unnamed-parent", parent=person.parent_name)
    return text


async def list_screen(
    ctx: Ctx, *, role: Role | None, status: Status | None, offset: int, intro: str = ""
) -> Screen:
    tz = ctx.repos.settings.institution.tz
    found, total = await people(ctx).page(role=role, status=status, offset=offset, limit=PAGE_SIZE)
    names = [identity(p, tz) for p in found]
    in_use = await _in_use(ctx)
    lines = [
        tr("participant-line",
            n=n, name=esc(name), role=p.role.label, status=p.status.label, messenger=messenger_mark(p.messenger, in_use)
        )
        for n, (p, name) in enumerate(zip(found, names, strict=True), start=offset + 1)
    ]
    title = role.label if role else status.label if status else tr("participants-all")
    text = intro + tr("participants-page",
        title=title, shown=len(found), total=total, lines="\n".join(lines) or "—"
    )  # fmt: skip
    role_value, status_value = role.value if role else "", status.value if status else ""
    labels = [p.name or p.pseudonym for p in found]
    return Screen(text, page_rows(found, labels, role_value, status_value, offset, total).rows())


def consent_text(record: ConsentDetails | None, settings: Settings) -> str:
    """The consent as the curator's card shows it: who gave it and when, on the institution's clock."""
    if record is not None and record.kind is ConsentKind.PAPER and record.paper_date and record.parent_name:
        day = f"{date.fromisoformat(record.paper_date):%d.%m.%Y}"
        at = local_moment(record.given_at, settings.institution.tz)
        return tr("consent-paper-details", date=day, parent=esc(record.parent_name), at=at)
    consent = consent_line(record, settings)
    if record is not None and record.parent_name and record.parent_relation:
        consent += tr("consent-parent-details",
            parent=esc(record.parent_name), relation=record.parent_relation.label
        )  # fmt: skip
    return consent


async def card(ctx: Ctx, person: Participant, *, edit: bool = True) -> Show:
    """The participant's card (written to the audit log): what they answered, as their consent allows."""
    await _audit(ctx, "participant.card", person.pseudonym)
    settings = ctx.repos.settings
    tz = settings.institution.tz
    questionnaire = ctx.repos.questionnaires[INTAKE_BY_ROLE[person.role]]
    answers = await people(ctx).answers(person.id, questionnaire.id)
    if person.name:
        title = tr("participant-card-title", name=esc(person.name), pseudonym=person.pseudonym)
    else:
        title = tr("participant-card-title-unnamed", pseudonym=person.pseudonym)
    title += messenger_mark(person.messenger, await _in_use(ctx))
    text = tr("participant-card",
        title=title,
        role=person.role.label,
        form=person.form.label,
        joined=local_moment(person.joined_at, tz),
        invite=invite_line(person, tz),
        status=person.status.label,
        consent=consent_text(await people(ctx).consent(person.id), settings),
        answers=answers_block(questionnaire, answers),
    )  # fmt: skip
    return Show(Screen(text, card_rows(person).rows()), edit=edit)


def said(text: str) -> list[Effect]:
    """An answer to what the curator typed: a new message."""
    return [Show(Screen(text), edit=False)]


# --- the commands ------------------------------------------------------------------------------------------------
@curator_only
async def on_participants(ctx: Ctx, event: Event) -> list[Effect]:
    await _audit(ctx, "participants.summary")
    return [Show(await summary_screen(ctx), edit=False)]


@curator_only
async def on_consent_paper(ctx: Ctx, event: Event) -> list[Effect]:
    """Who waits for a parent's consent, each with what identifies them; a card records the paper."""
    status = Status.AWAITING_PARENT
    _, total = await people(ctx).page(status=status, limit=1)
    if not total:
        return said(tr("consent-paper-nobody"))
    await _audit(ctx, "participants.list", None, {"status": status.value, "offset": 0})
    intro = tr("consent-paper-help") + "\n\n"
    return [Show(await list_screen(ctx, role=None, status=status, offset=0, intro=intro), edit=False)]


# --- the buttons -------------------------------------------------------------------------------------------------
@curator_only
async def on_press(ctx: Ctx, event: Event) -> list[Effect]:
    assert isinstance(event, PressIn)
    payload = PeoplePayload.unpack(event.payload)
    action = payload.a
    if action == "sum":
        return [Show(await summary_screen(ctx))]
    if action == "list":
        return await _list(ctx, payload)
    person = await people(ctx).get(payload.pid)
    if person is None:
        return [Toast(tr("participant-gone"), alert=True)]
    if action == "paper":
        return await _start_paper(ctx, person)
    if action == "rename":
        return await _start_rename(ctx, person)
    if action in ("pok", "rok", "no"):
        return await _finish(ctx, person, action)
    if action != "card":
        return [Toast(tr("stale-button"))]
    return [await card(ctx, person)]


async def _list(ctx: Ctx, payload: PeoplePayload) -> list[Effect]:
    try:
        role = Role(payload.role) if payload.role else None
        status = Status(payload.st) if payload.st else None
    except ValueError:
        return [Toast(tr("stale-button"))]
    offset = max(0, payload.off)
    await _audit(ctx, "participants.list", None, {"role": payload.role, "status": payload.st, "offset": offset})
    return [Show(await list_screen(ctx, role=role, status=status, offset=offset))]


async def _start_paper(ctx: Ctx, person: Participant) -> list[Effect]:
    if person.has_consent:
        return [Toast(tr("paper-consent-already"))]
    # `child`: a withdrawal of this person deletes the dialog (storage.participants._forget_dialogs_about).
    await ctx.dialog.set_state(PAPER_PARENT)
    await ctx.dialog.set_data({"child": person.id})
    who = esc(identity(person, ctx.repos.settings.institution.tz))
    return said(tr("paper-ask-parent", who=who))


async def _start_rename(ctx: Ctx, person: Participant) -> list[Effect]:
    if not person.name:
        return [Toast(tr("stale-button"))]
    question = ctx.repos.questionnaires[INTAKE_BY_ROLE[person.role]].question(NAME_QUESTION)
    await ctx.dialog.set_state(RENAME_NAME)
    await ctx.dialog.set_data({"about": person.id})
    return said(tr("rename-ask", name=esc(person.name), what=question.caption))


async def _finish(ctx: Ctx, person: Participant, action: str) -> list[Effect]:
    """«Подтвердить» (pok, rok) or «Отмена» (no) at the end of either dialog."""
    data = await ctx.dialog.get_data()
    expected = PAPER_CONFIRM if action == "pok" else RENAME_CONFIRM
    current = await ctx.dialog.get_state()
    in_dialog = data.get("child", data.get("about")) == person.id
    if not in_dialog or (action != "no" and current != expected):
        return [Toast(tr("stale-button"))]
    await ctx.dialog.clear()
    if action == "no":
        return [Show(Screen(tr("dialog-cancelled"))), await card(ctx, person, edit=False)]
    effects = await (_record_paper(ctx, person, data) if action == "pok" else _rename(ctx, person, data))
    after = await people(ctx).get(person.id)
    if after is None:
        return effects
    return [*effects, await card(ctx, after, edit=False)]


async def _record_paper(ctx: Ctx, person: Participant, data: dict[str, Any]) -> list[Effect]:
    paper_date = date.fromisoformat(str(data["date"]))
    recorded = await people(ctx).record_consent(
        person.id,
        None,
        kind=ConsentKind.PAPER,
        given_by=ctx.person.account_id,
        given_by_messenger=ctx.person.messenger,
        parent_name=str(data["parent"]),
        paper_date=paper_date,
    )
    if not recorded:
        return [Show(Screen(tr("paper-consent-already")))]
    # The parent's name stays in the consent record only (deleted with the person), not in the audit details.
    await _audit(ctx, "consent.paper", person.pseudonym, {"paper_date": paper_date.isoformat()})
    return [
        Show(Screen(tr("paper-consent-done", pseudonym=person.pseudonym))),
        Notify(person.person, Screen(tr("child-paper-consented"), start_survey_rows().rows())),
    ]


async def _rename(ctx: Ctx, person: Participant, data: dict[str, Any]) -> list[Effect]:
    new = str(data["name"])
    me = ctx.person
    old = await people(ctx).rename(person.id, new, curator_id=me.account_id, curator_messenger=me.messenger)
    if old is None:
        return [Toast(tr("stale-button"))]
    return [Show(Screen(tr("rename-done", old=esc(old), new=esc(new))))]


# --- the dialogs' typed steps ------------------------------------------------------------------------------------
def _typed(event: Event) -> str | None:
    """The text the curator typed; None for a file or a command (a command no flow takes reaches the dialog's
    handler: `bot.flows.routes`)."""
    return event.text if isinstance(event, TextIn) and not event.text.startswith("/") else None


def _cancel(event: Event) -> bool:
    return isinstance(event, CommandIn) and event.command == "cancel"


async def cancelled(ctx: Ctx, key: str) -> list[Effect]:
    """/cancel mid-dialog, where no flow of the core takes /cancel yet: as the adapter's /cancel answers it."""
    await ctx.dialog.set_state(None)
    return said(tr(key))


@curator_only
async def on_paper_dialog(ctx: Ctx, event: Event) -> list[Effect]:
    if _cancel(event):
        return await cancelled(ctx, "cancelled-paper-consent")
    text = _typed(event)
    if text is None:
        return said(tr("unknown-input"))
    state = await ctx.dialog.get_state()
    if state == PAPER_PARENT:
        return await _paper_parent(ctx, text)
    if state == PAPER_DATE:
        return await _paper_date(ctx, text)
    return said(tr("unknown-input"))  # at the confirmation the buttons answer, not a text


async def _paper_parent(ctx: Ctx, text: str) -> list[Effect]:
    name = clean_signatory_name(text)
    if name is None:
        return said(tr("paper-bad-parent"))
    await ctx.dialog.update_data(parent=name)
    await ctx.dialog.set_state(PAPER_DATE)
    today = ctx.repos.clock.now().astimezone(ctx.repos.settings.institution.tz).date()
    return said(tr("paper-ask-date", today=f"{today:%d.%m.%Y}"))


async def _paper_date(ctx: Ctx, text: str) -> list[Effect]:
    tz = ctx.repos.settings.institution.tz
    today = ctx.repos.clock.now().astimezone(tz).date()
    try:
        signed = parse_paper_date(text, today)
    except BadPaperDate as problem:
        return said(problem.user_text)
    data = await ctx.dialog.get_data()
    person = await people(ctx).get(int(data.get("child", 0)))
    if person is None or person.has_consent:
        await ctx.dialog.clear()
        return said(tr("participant-gone") if person is None else tr("paper-consent-already"))
    await ctx.dialog.update_data(date=signed.isoformat())
    await ctx.dialog.set_state(PAPER_CONFIRM)
    text = tr("paper-confirm",
        who=esc(identity(person, tz)), parent=esc(str(data["parent"])), date=f"{signed:%d.%m.%Y}"
    )  # fmt: skip
    return [Show(Screen(text, confirm_rows(person.id, "pok", tr("btn-paper-confirm")).rows()), edit=False)]


@curator_only
async def on_rename_dialog(ctx: Ctx, event: Event) -> list[Effect]:
    if _cancel(event):
        return await cancelled(ctx, "cancelled-name")
    text = _typed(event)
    if text is None or await ctx.dialog.get_state() != RENAME_NAME:
        return said(tr("unknown-input"))
    data = await ctx.dialog.get_data()
    person = await people(ctx).get(int(data.get("about", 0)))
    if person is None or not person.name:
        await ctx.dialog.clear()
        return said(tr("participant-gone"))
    question = ctx.repos.questionnaires[INTAKE_BY_ROLE[person.role]].question(NAME_QUESTION)
    try:
        name = str(parse_text(question, text))
    except InvalidAnswer as problem:
        return said(tr("rename-bad", problem=problem.message))
    if name == person.name:
        return said(tr("rename-same"))
    await ctx.dialog.update_data(name=name)
    await ctx.dialog.set_state(RENAME_CONFIRM)
    shown = tr("rename-confirm", old=esc(person.name), new=esc(name))
    return [Show(Screen(shown, confirm_rows(person.id, "rok", tr("btn-rename-confirm")).rows()), edit=False)]


ROUTES = FlowRoutes(
    commands={"participants": on_participants, "consent_paper": on_consent_paper},
    presses={PeoplePayload.prefix: on_press},
    dialogs={"PaperConsent": on_paper_dialog, "NameCorrection": on_rename_dialog},
)
