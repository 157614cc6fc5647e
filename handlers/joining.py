"""Joining: /start with an invite code, the age question, consent (or a parent's), refusal."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock
from bot.consent import ConsentKind, Operator, Relation, clean_parent_name, render
from bot.flows.ports import Repos
from bot.flows.texts import local_moment
from bot.i18n import esc, quoted, tr
from bot.invites import PARENT_PREFIX, code_kind, deep_link, new_code
from bot.participants import Participant
from bot.programme import Role
from bot.questionnaires import Questionnaire
from bot.settings import InstitutionSettings, Settings
from handlers import menu, survey
from handlers.filters import HasText
from handlers.kb.joining import (
    AGE_GROUPS,
    AgeCb,
    ConsentCb,
    MinorConsentCb,
    ParentCb,
    age_keyboard,
    consent_keyboard,
    minor_consent_keyboard,
    parent_consent_keyboard,
    relation_keyboard,
    start_survey_keyboard,
)
from handlers.kb.menu import MenuCb
from handlers.notify import notify
from handlers.states import Joining, ParentConsent
from handlers.ui import drop_keyboard, show
from storage.invites import InviteRepo
from storage.matching import MatchingRepo
from storage.meetings import MeetingRepo
from storage.outbox import Outbox
from storage.participants import JoinRefused, ParticipantRepo


async def _bot_username(bot: Bot) -> str:
    me = await bot.me()
    return me.username or "bot"


async def parent_link(bot: Bot, participant: Participant) -> str:
    return deep_link(await _bot_username(bot), participant.parent_code or "")


def operator(institution: InstitutionSettings) -> Operator:
    return Operator(
        institution.organization_name, institution.organization_address, institution.organization_inn
    )


def _org(settings: Settings) -> str:
    return esc(quoted(settings.institution.organization_name))


async def show_consent(target: Message | CallbackQuery, state: FSMContext, settings: Settings) -> None:
    document = render(operator(settings.institution), ConsentKind.SELF)
    await state.set_state(Joining.consent)
    await show(target, tr("consent-intro"), edit=False)
    await show(target, document.text, consent_keyboard(), edit=False)


async def show_minor_consent(target: Message | CallbackQuery, state: FSMContext, settings: Settings) -> None:
    """A pupil of 14–17 reads their own consent, in their voice, before the link for the parent."""
    document = render(operator(settings.institution), ConsentKind.MINOR)
    await state.set_state(Joining.consent)
    await show(target, tr("minor-consent-intro"), edit=False)
    await show(target, document.text, minor_consent_keyboard(), edit=False)


async def continue_joining(
    target: Message | CallbackQuery, state: FSMContext, participant: Participant, settings: Settings, bot: Bot
) -> None:
    """The next step for someone enrolled but without consent: the age question, the document, or waiting."""
    if not participant.age_known:
        await state.set_state(Joining.age)
        await show(target, tr("ask-age", audience=participant.audience), age_keyboard(), edit=False)
    elif participant.needs_parent:
        await state.set_state(Joining.waiting_parent)
        await show(target, tr("waiting-for-parent", link=await parent_link(bot, participant)), edit=False)
    else:
        await show_consent(target, state, settings)


async def cmd_start(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
    invites: InviteRepo,
    participants: ParticipantRepo,
    questionnaires: dict[str, Questionnaire],
    matching: MatchingRepo,
    meetings: MeetingRepo,
    clock: Clock,
    repos: Repos,
) -> None:
    user_id = message.from_user.id  # type: ignore[union-attr]
    payload = (command.args or "").strip()
    kind = code_kind(payload)
    if kind == "parent":
        await start_parent(message, payload, state, settings, participants)
        return
    participant = await participants.by_telegram(user_id)
    if participant is not None:
        if kind == "invite":
            await message.answer(tr("already-enrolled", audience=participant.audience))
        await menu.show_menu(message, participant, repos)
        return
    if kind != "invite" and not settings.is_curator(user_id):
        children = await participants.children_of(user_id)  # a parent who consented has a menu of their own
        if children:
            await menu.show_parent_menu(message, children, repos)
            return
    if kind != "invite":
        org = _org(settings)
        if settings.is_curator(user_id):
            await message.answer(tr("start-curator", org=org))
        else:
            await message.answer(tr("start-no-code", org=org))
        return
    if settings.is_curator(user_id):
        await message.answer(tr("curator-own-link"))
        return
    invite = await invites.get(payload)
    problem = "unknown" if invite is None else invite.problem(clock.now())
    if invite is None or problem is not None:
        await message.answer(tr(f"invite-problems-{problem}"))
        return
    try:
        participant = await participants.join(user_id, invite)
    except JoinRefused as exc:
        await message.answer(tr(f"invite-problems-{exc.problem.value}"))
        return
    await message.answer(tr(f"joined-{participant.role.value}", org=_org(settings), form=participant.form.value))
    await continue_joining(message, state, participant, settings, bot)


async def on_menu_joining(
    query: CallbackQuery,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
    participants: ParticipantRepo,
    callback_answer: CallbackAnswer,
) -> None:
    participant = await participants.by_telegram(query.from_user.id)
    if participant is None or participant.has_consent:
        callback_answer.text = tr("stale-button")
        return
    await continue_joining(query, state, participant, settings, bot)


async def on_age(
    query: CallbackQuery,
    callback_data: AgeCb,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
    participants: ParticipantRepo,
    callback_answer: CallbackAnswer,
) -> None:
    participant = await participants.by_telegram(query.from_user.id)
    if (
        participant is None
        or participant.has_consent
        or not participant.role.may_be_minor
        or callback_data.group not in AGE_GROUPS
    ):
        callback_answer.text = tr("stale-button")
        return
    await drop_keyboard(query)
    if callback_data.group == "adult":
        await participants.set_adult(participant.id, True, None)
        await show_consent(query, state, settings)
        return
    if callback_data.group == "teen":
        # The age stays unknown until the teenager answers their own document: leaving now asks again later.
        await show_minor_consent(query, state, settings)
        return
    code = participant.parent_code or new_code(PARENT_PREFIX)
    await participants.set_adult(participant.id, False, code)
    await state.set_state(Joining.waiting_parent)
    link = deep_link(await _bot_username(bot), code)
    await show(query, tr("minor-needs-parent", link=link), edit=False)


async def on_consent(
    query: CallbackQuery,
    callback_data: ConsentCb,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    questionnaires: dict[str, Questionnaire],
    clock: Clock,
    callback_answer: CallbackAnswer,
    repos: Repos,
) -> None:
    participant = await participants.by_telegram(query.from_user.id)
    if participant is None or participant.needs_parent or not participant.age_known:
        callback_answer.text = tr("stale-button")
        return
    if participant.has_consent:
        callback_answer.text = tr("consent-already")
        return
    await drop_keyboard(query)
    if not callback_data.agree:
        await state.clear()  # before: the refusal scrubs the file, and no write of this dialog may follow it
        await participants.decline(participant.id)
        await show(query, tr("consent-declined"), edit=False)
        return
    document = render(operator(settings.institution), ConsentKind.SELF)
    await participants.record_consent(participant.id, document, kind=ConsentKind.SELF, given_by=query.from_user.id)
    at = local_moment(clock.now(), settings.institution.tz)
    consented = await participants.get(participant.id)
    assert consented is not None
    thanks = tr("consent-thanks", at=at)
    await survey.start(query, state, repos, consented, preface=thanks)


async def on_minor_consent(
    query: CallbackQuery,
    callback_data: MinorConsentCb,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
    participants: ParticipantRepo,
    clock: Clock,
    callback_answer: CallbackAnswer,
) -> None:
    """A pupil of 14–17 answers their own document: «Даю согласие» records it and gives the parent's link;
    «Не даю» removes everything, as an adult's refusal does. The processing waits for the parent either way."""
    participant = await participants.by_telegram(query.from_user.id)
    if participant is None or participant.has_consent or participant.age_known or not participant.role.may_be_minor:
        callback_answer.text = tr("stale-button")
        return
    await drop_keyboard(query)
    if not callback_data.agree:
        await state.clear()
        await participants.decline(participant.id)
        await show(query, tr("minor-consent-declined"), edit=False)
        return
    document = render(operator(settings.institution), ConsentKind.MINOR)
    await participants.record_consent(participant.id, document, kind=ConsentKind.MINOR, given_by=query.from_user.id)
    code = participant.parent_code or new_code(PARENT_PREFIX)
    await participants.set_adult(participant.id, False, code)
    await state.set_state(Joining.waiting_parent)
    link = deep_link(await _bot_username(bot), code)
    at = local_moment(clock.now(), settings.institution.tz)
    await show(query, tr("minor-consent-thanks", at=at, link=link), edit=False)


async def while_joining(message: Message, state: FSMContext, bot: Bot, participants: ParticipantRepo) -> None:
    """Anything typed while a button is expected (or while the parent has not answered yet)."""
    if await state.get_state() == Joining.waiting_parent.state:
        participant = await participants.by_telegram(message.from_user.id)  # type: ignore[union-attr]
        if participant is not None and participant.parent_code and not participant.has_consent:
            await message.answer(tr("waiting-for-parent", link=await parent_link(bot, participant)))
            return
        await state.clear()
        await message.answer(tr("unknown-input"))
        return
    await message.answer(tr("press-a-button"))


# --- the parent's side ------------------------------------------------------------------------------------
async def start_parent(
    message: Message, code: str, state: FSMContext, settings: Settings, participants: ParticipantRepo
) -> None:
    """The parent's very first message: who asks and about which child (what the child will do, when the
    invite was opened, whether a teenager has consented already), then the document."""
    child = await participants.by_parent_code(code)
    if child is None:
        await message.answer(tr("parent-link-unknown"))
        return
    if child.has_consent:
        await message.answer(tr("parent-already-done"))
        return
    if child.telegram_id == message.from_user.id:  # type: ignore[union-attr]
        await message.answer(tr("own-parent-link"))
        return
    await state.set_state(ParentConsent.document)
    await state.set_data({"child": child.id})
    await message.answer(await parent_intro(child, settings, participants))
    document = render(operator(settings.institution), ConsentKind.PARENT)
    await message.answer(document.text, reply_markup=parent_consent_keyboard(child.id))


async def parent_intro(child: Participant, settings: Settings, participants: ParticipantRepo) -> str:
    role = child.role if child.role is Role.MENTOR else Role.MENTEE_PUPIL
    what = tr(f"parent-what-{role.value}", form=child.form.value)
    joined = local_moment(child.joined_at, settings.institution.tz)
    # The child's name comes from the questionnaire, which needs this consent first: it is never known here.
    text = tr("parent-intro", org=_org(settings), what=what, joined=joined)
    own = await participants.consent(child.id, ConsentKind.MINOR)
    if own is not None:
        at = local_moment(own.given_at, settings.institution.tz)
        text += "\n\n" + tr("parent-minor-consented", at=at)
    return text


async def _child_waiting(participants: ParticipantRepo, pid: int) -> Participant | None:
    child = await participants.get(pid)
    return child if child is not None and not child.has_consent and child.needs_parent else None


async def on_parent_button(
    query: CallbackQuery,
    callback_data: ParentCb,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    outbox: Outbox,
    callback_answer: CallbackAnswer,
) -> None:
    data = await state.get_data()
    child = await _child_waiting(participants, callback_data.pid)
    if callback_data.relation and callback_data.relation not in {r.value for r in Relation}:
        callback_answer.text = tr("stale-button")
        return
    if child is None or data.get("child") != callback_data.pid:
        callback_answer.text = tr("parent-already-done") if child is None else tr("stale-button")
        await drop_keyboard(query)
        return
    await drop_keyboard(query)
    if not callback_data.agree:
        await state.clear()
        await participants.scrub()  # the refusing parent's dialog held their Telegram id
        await show(query, tr("parent-declined"), edit=False)
        await notify(outbox, child.telegram_id, tr("child-parent-declined"))
        return
    if not callback_data.relation:
        await state.set_state(ParentConsent.relation)
        await show(query, tr("parent-ask-relation"), relation_keyboard(child.id), edit=False)
        return
    await state.set_state(ParentConsent.name)
    await state.update_data(relation=Relation(callback_data.relation).value)
    await show(query, tr("parent-ask-name"), edit=False)


async def on_parent_name(
    message: Message,
    state: FSMContext,
    settings: Settings,
    participants: ParticipantRepo,
    outbox: Outbox,
    clock: Clock,
) -> None:
    name = clean_parent_name(message.text or "")
    if name is None:
        await message.answer(tr("parent-bad-name"))
        return
    data = await state.get_data()
    child = await _child_waiting(participants, int(data.get("child", 0)))
    if child is None or not data.get("relation"):
        await state.clear()
        await message.answer(tr("parent-already-done"))
        return
    document = render(operator(settings.institution), ConsentKind.PARENT)
    recorded = await participants.record_consent(
        child.id,
        document,
        kind=ConsentKind.PARENT,
        given_by=message.from_user.id,  # type: ignore[union-attr]
        parent_name=name,
        parent_relation=Relation(data["relation"]),
    )
    await state.clear()
    if not recorded:
        await message.answer(tr("parent-already-done"))
        return
    await message.answer(tr("parent-done", at=local_moment(clock.now(), settings.institution.tz)))
    await notify(outbox, child.telegram_id, tr("child-parent-consented"), start_survey_keyboard())


async def while_parent(message: Message) -> None:
    await message.answer(tr("press-a-button"))


def build_router() -> Router:
    router = Router(name="joining")
    router.message.register(cmd_start, CommandStart())
    router.callback_query.register(on_menu_joining, MenuCb.filter(F.action.in_({"consent", "parent_link"})))
    router.callback_query.register(on_age, AgeCb.filter(), flags={"callback_answer": {"pre": False}})
    router.callback_query.register(on_consent, ConsentCb.filter(), flags={"callback_answer": {"pre": False}})
    router.callback_query.register(
        on_minor_consent, MinorConsentCb.filter(), flags={"callback_answer": {"pre": False}}
    )
    router.callback_query.register(on_parent_button, ParentCb.filter(), flags={"callback_answer": {"pre": False}})
    return router


def build_state_router() -> Router:
    """Free input inside the joining dialogs; included after the command routers."""
    router = Router(name="joining-input")
    router.message.register(on_parent_name, StateFilter(ParentConsent.name), HasText())
    router.message.register(
        while_parent, StateFilter(ParentConsent.document, ParentConsent.relation, ParentConsent.name)
    )
    router.message.register(while_joining, StateFilter(Joining.age, Joining.consent, Joining.waiting_parent))
    return router
