"""The participant's /menu, the parent's and the curator's on Telegram: the adapter of `bot.flows.menu` (an
update becomes the flow's call, its effects go out through `handlers.ui.render`), the dialogs the menu starts
that are not in the core yet (the questionnaire, changing an answer), and the withdrawal (/forget).

Every time a person sees here is on the institution's wall clock, «ДД.ММ.ГГГГ ЧЧ:ММ» (a date alone
«ДД.ММ.ГГГГ»); every text speaks to its reader (`Audience`)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock
from bot.flows import menu as menu_flow
from bot.flows.effects import StartDialog
from bot.flows.events import CommandIn, PressIn

# The screens' words moved to the application layer; the curator's card (handlers.curator.participants) still
# takes them from here: re-exported.
from bot.flows.menu import about_line as about_line
from bot.flows.ports import Repos
from bot.flows.texts import answers_block as answers_block
from bot.flows.texts import consent_line as consent_line
from bot.flows.texts import local_day as local_day
from bot.flows.texts import local_moment as local_moment
from bot.i18n import Audience, esc, tr
from bot.pairs import Pair
from bot.participants import CATEGORY_LABELS, Participant
from bot.programme import Role
from bot.questionnaires import Questionnaire
from bot.settings import Settings
from handlers.core import perform, person_of
from handlers.fsm_storage import SQLiteStorage
from handlers.kb.menu import ForgetCb, MenuCb, forget_keyboard, rematch_keyboard
from handlers.notify import farewell, notify, notify_curators
from handlers.states import Forget
from handlers.ui import show, show_screen
from storage.matching import MatchingRepo
from storage.meetings import MeetingRepo
from storage.outbox import Outbox
from storage.participants import ParticipantRepo


async def show_menu(
    target: Message | CallbackQuery, participant: Participant, repos: Repos, *, edit: bool = False
) -> None:
    await show_screen(target, await menu_flow.participant_menu(participant, repos), edit=edit)


async def reader_audience(user_id: int, settings: Settings, participants: ParticipantRepo) -> Audience:
    """How to speak to whoever wrote: the curator, a participant (pupil or adult), a parent, else «вы»."""
    if settings.is_curator(user_id):
        return Audience.CURATOR
    participant = await participants.by_telegram(user_id)
    if participant is not None:
        return participant.audience
    if await participants.children_of(user_id):
        return Audience.PARENT
    return Audience.ADULT


async def show_parent_menu(
    target: Message | CallbackQuery, children: list[Participant], repos: Repos, *, preface: str = "", edit: bool = False
) -> None:
    """The parent's menu: each child they consented for, the child's mentor (or mentees) and next meeting."""
    await show_screen(target, await menu_flow.parent_menu(children, repos, preface=preface), edit=edit)


async def cmd_menu(message: Message, state: FSMContext, repos: Repos) -> None:
    await perform(message, CommandIn(person_of(message.from_user.id), "menu"), state, repos)  # type: ignore[union-attr]


async def on_menu(
    query: CallbackQuery,
    callback_data: MenuCb,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    meetings: MeetingRepo,
    questionnaires: dict[str, Questionnaire],
    callback_answer: CallbackAnswer,
    repos: Repos,
) -> None:
    event = PressIn(person_of(query.from_user.id), callback_data.pack())
    for effect in await perform(query, event, state, repos, callback_answer) or []:
        if isinstance(effect, StartDialog):
            await _start_dialog(query, state, effect.name, settings, participants, matching, questionnaires)


async def _start_dialog(
    query: CallbackQuery,
    state: FSMContext,
    name: str,
    settings: Settings,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    questionnaires: dict[str, Questionnaire],
) -> None:
    """The menu's dialogs that still live here: the withdrawal."""
    if name == "forget-parent":
        children = await participants.children_of(query.from_user.id)
        await ask_forget_parent(query, state, children, settings)
        return
    participant = await participants.by_telegram(query.from_user.id)
    if participant is None:
        return
    if name == "forget":
        await ask_forget(query, state, participant, matching)


async def ask_forget(
    target: Message | CallbackQuery, state: FSMContext, participant: Participant, matching: MatchingRepo
) -> None:
    """The confirmation says what the withdrawal does to their pair: a mentor's mentees get a new mentor.
    Before any consent there is nothing to withdraw: it offers to leave the programme."""
    audience = participant.audience
    await state.set_state(Forget.confirm)
    if not participant.has_consent:
        await show(target, tr("forget-confirm-no-consent", audience=audience), forget_keyboard(), edit=False)
        return
    text = tr("forget-confirm", audience=audience)
    pair = await matching.pair_of(participant.id)
    if pair is not None and participant.role is Role.MENTOR:
        mentees = sum(1 for m in pair.mentees if m is not None)
        if mentees == 1:
            text += tr("forget-has-mentee", audience=audience)
        elif mentees > 1:
            text += tr("forget-has-mentees", n=mentees, audience=audience)
    elif pair is not None and pair.mentor is not None:
        text += tr("forget-has-mentor", audience=audience)
    await show(target, text, forget_keyboard(), edit=False)


async def ask_forget_parent(
    target: Message | CallbackQuery, state: FSMContext, children: list[Participant], settings: Settings
) -> None:
    await state.set_state(Forget.confirm)
    text = tr("forget-confirm-parent", n=len(children))
    await show(target, text, forget_keyboard(children, settings.institution.tz), edit=False)


async def cmd_forget(
    message: Message, state: FSMContext, settings: Settings, participants: ParticipantRepo, matching: MatchingRepo
) -> None:
    user_id = message.from_user.id  # type: ignore[union-attr]
    participant = await participants.by_telegram(user_id)
    if participant is not None:
        await ask_forget(message, state, participant, matching)
        return
    children = await participants.children_of(user_id)
    if not children:
        await message.answer(tr("forget-nothing"))
        return
    await ask_forget_parent(message, state, children, settings)


async def on_forget(
    query: CallbackQuery,
    callback_data: ForgetCb,
    state: FSMContext,
    bot: Bot,
    clock: Clock,
    settings: Settings,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    outbox: Outbox,
    callback_answer: CallbackAnswer,
) -> None:
    if await state.get_state() != Forget.confirm.state:
        callback_answer.text = tr("stale-button")
        return
    if not callback_data.confirm:
        await state.clear()
        await show(query, tr("forget-kept"))
        return
    requested_by = "participant"
    if callback_data.pid:
        children = await participants.children_of(query.from_user.id)
        participant = next((c for c in children if c.id == callback_data.pid), None)
        requested_by = "parent"
    else:
        participant = await participants.by_telegram(query.from_user.id)
    if participant is None:
        callback_answer.text = tr("forget-nothing")
        await show(query, tr("forget-nothing"))
        return
    # The dialog goes first: the withdrawal scrubs the file afterwards, so nothing of it may be written later.
    await state.clear()
    had_consent = participant.has_consent
    pair = await matching.pair_of(participant.id) if had_consent else None
    reason = tr("reason-parent-withdrawal") if requested_by == "parent" else tr("reason-withdrawal")
    destruction = await participants.destroy(participant.id, requested_by=requested_by, reason=reason)
    if isinstance(state.storage, SQLiteStorage):
        await state.storage.forget_user(participant.telegram_id)
        for user_id in destruction.dialogs_dropped if destruction else ():
            await state.storage.forget_user(user_id)
    if requested_by == "parent":
        await show(query, tr("forget-done-parent"))
    elif had_consent:
        await show(query, tr("forget-done", audience=participant.audience))
    else:
        await show(query, tr("forget-left", audience=participant.audience))
    if destruction is None:
        return
    if requested_by == "parent":
        await farewell(bot, outbox, clock, participant.telegram_id, tr("child-data-withdrawn"))
    note, about = await tell_partners(pair, participant, participants, matching, outbox)
    categories = ", ".join(f"{CATEGORY_LABELS.get(k, k)}: {v}" for k, v in destruction.categories.items() if v)
    text = tr("curator-withdrawal",
        pseudonym=destruction.pseudonym, role=participant.role.label, categories=esc(categories)
    )
    markup = rematch_keyboard(pair.form) if pair is not None and note else None
    await notify_curators(outbox, settings, text + note, markup=markup, about=about)


async def tell_partners(
    pair: Pair | None,
    leaver: Participant,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    outbox: Outbox,
) -> tuple[str, list[int]]:
    """Tell the others of a pair or group, in plain words and without the leaver's name, that one of them
    left; returns the curator's line about the pair and the participants it names."""
    if pair is None or pair.dissolved_at is not None:
        return "", []
    after = await matching.pair(pair.id)
    if after is None:
        return "", []
    mentees = [m for m in after.mentees if m is not None]
    names = ", ".join(m.name for m in mentees) or "—"
    if pair.mentor is not None and pair.mentor.id == leaver.id:
        for mentee in mentees:
            person = await participants.get(mentee.id)
            audience = person.audience if person is not None else Audience.ADULT
            await notify(outbox, mentee.telegram_id, tr("mentor-left", audience=audience))
        kind = tr("kind-group") if pair.is_group else tr("kind-pair")
        note = tr("curator-pair-no-mentor",
            kind=kind, pair=pair.id, form=pair.form.label, mentees=esc(names)
        )
        return note, [m.id for m in mentees]
    if after.mentor is None:
        return "", [m.id for m in mentees]
    mentor = esc(after.mentor.name)
    person = await participants.get(after.mentor.id)
    audience = person.audience if person is not None else Audience.ADULT
    if mentees:
        await notify(outbox, after.mentor.telegram_id, tr("mentee-left-group", audience=audience))
        note = tr("curator-group-mentee-left", pair=pair.id, form=pair.form.label, mentor=mentor)
    else:
        await notify(outbox, after.mentor.telegram_id, tr("mentee-left-pair", audience=audience))
        note = tr("curator-pair-no-mentee", pair=pair.id, form=pair.form.label, mentor=mentor)
    return note, [after.mentor.id]


def build_router() -> Router:
    router = Router(name="menu")
    router.message.register(cmd_menu, Command("menu"))
    router.message.register(cmd_forget, Command("forget"))
    router.callback_query.register(on_menu, MenuCb.filter())
    router.callback_query.register(on_forget, ForgetCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
