"""The participant's /menu, the parent's and the curator's on Telegram: the adapter of `bot.flows.menu` (an
update becomes the flow's call, its effects go out through `handlers.ui.render`), the dialogs the menu starts
(the questionnaire, changing an answer: `bot.flows.survey`), and the withdrawal (/forget, the adapter
of `bot.flows.forget`).

Every time a person sees here is on the institution's wall clock, «ДД.ММ.ГГГГ ЧЧ:ММ» (a date alone
«ДД.ММ.ГГГГ»); every text speaks to its reader (`Audience`)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows import menu as menu_flow
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
from handlers.core import perform, person_of
from handlers.kb.menu import ForgetCb, MenuCb
from handlers.ui import show_screen


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
    query: CallbackQuery, callback_data: MenuCb, state: FSMContext, repos: Repos, callback_answer: CallbackAnswer
) -> None:
    """A button of a menu; the questionnaire and its summary are the core's screens too (bot.flows.survey)."""
    await perform(query, PressIn(person_of(query.from_user.id), callback_data.pack()), state, repos, callback_answer)


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
