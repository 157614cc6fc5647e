"""The participant's /menu, the parent's and the curator's on Telegram: the adapter of `bot.flows.menu` (an
update becomes the flow's call, its effects go out through `handlers.ui.render`), the dialogs the menu starts
that are not in the core yet (the questionnaire, changing an answer), and the withdrawal (/forget, the adapter
of `bot.flows.forget`).

Every time a person sees here is on the institution's wall clock, «ДД.ММ.ГГГГ ЧЧ:ММ» (a date alone
«ДД.ММ.ГГГГ»); every text speaks to its reader (`Audience`)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

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
from bot.participants import Participant
from bot.programme import INTAKE_BY_ROLE
from bot.questionnaires import Questionnaire
from bot.settings import Settings
from handlers import survey
from handlers.core import perform, person_of
from handlers.kb.menu import ForgetCb, MenuCb
from handlers.ui import show_screen
from storage.matching import MatchingRepo
from storage.meetings import MeetingRepo
from storage.participants import ParticipantRepo


async def show_menu(
    target: Message | CallbackQuery, participant: Participant, repos: Repos, *, edit: bool = False
) -> None:
    await show_screen(target, await menu_flow.participant_menu(participant, repos), edit=edit)


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
    """The menu's dialogs that still live here: the questionnaire, changing an answer."""
    participant = await participants.by_telegram(query.from_user.id)
    if participant is None:
        return
    if name == "survey":
        await survey.begin(query, state, participant, questionnaires, participants, edit=False)
    elif name == "review":
        questionnaire = questionnaires[INTAKE_BY_ROLE[participant.role]]
        answers = await participants.answers(participant.id, questionnaire.id)
        data = survey.dialog_data(participant, questionnaire, answers)
        await survey.to_review(query, state, questionnaire, data, edit=False)


async def cmd_forget(message: Message, state: FSMContext, repos: Repos) -> None:
    """/forget: the withdrawal's flow (bot.flows.forget)."""
    await perform(message, CommandIn(person_of(message.from_user.id), "forget"), state, repos)  # type: ignore[union-attr]


async def on_forget(
    query: CallbackQuery, callback_data: ForgetCb, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer
) -> None:
    """«Да, удалить мои данные» / «Нет»: the withdrawal in one transaction, the farewell to a child at once."""
    await perform(query, PressIn(person_of(query.from_user.id), callback_data.pack()), state, repos, callback_answer)


def build_router() -> Router:
    router = Router(name="menu")
    router.message.register(cmd_menu, Command("menu"))
    router.message.register(cmd_forget, Command("forget"))
    router.callback_query.register(on_menu, MenuCb.filter())
    router.callback_query.register(on_forget, ForgetCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
