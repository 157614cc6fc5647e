"""/curators and the curator link on Telegram: the adapter of `bot.flows.curator.curators`.

What stays here is Telegram's own: the scoped command menu (a new curator's set at once, a removed curator's
reset), the curator link's filter on /start (`build_public_router`: whoever opens it is not a curator yet, so the
curator router's filter would not let them in) with the user's name as Telegram gives it, and the refusal of a
curator command to anyone else (`build_refusal_router`): the flows answer it (`curator_only`); a command no flow
of the core takes yet is refused here with the same words.
"""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject, CommandStart, Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import BotCommand, BotCommandScopeChat, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.commands import CURATOR_COMMANDS, PARTICIPANT_COMMANDS, described
from bot.flows import routes
from bot.flows.act import run
from bot.flows.curator import curators as flow
from bot.flows.events import CommandIn, PressIn
from bot.flows.ports import Repos
from bot.i18n import tr
from bot.invites import code_kind
from bot.settings import Settings
from handlers.core import ctx_of, perform, perform_with_links, person_of
from handlers.kb.curator import CuratorsCb
from handlers.ui import render

log = logging.getLogger(__name__)


def curator_commands() -> list[BotCommand]:
    both = described((*PARTICIPANT_COMMANDS, *CURATOR_COMMANDS))
    return [BotCommand(command=c, description=d) for c, d in both.items()]


async def set_curator_commands(bot: Bot, chat_id: int) -> None:
    try:
        await bot.set_my_commands(curator_commands(), scope=BotCommandScopeChat(chat_id=chat_id))
    except TelegramAPIError as exc:
        # A curator who has never opened the bot has no chat yet; their commands follow at the next start.
        log.warning("could not set the curator commands for %s: %s", chat_id, exc.message)


async def reset_commands(bot: Bot, chat_id: int) -> None:
    """Back to the participants' menu (the all-private-chats scope)."""
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=chat_id))
    except TelegramAPIError as exc:
        log.warning("could not reset the commands of %s: %s", chat_id, exc.message)


async def cmd_curators(message: Message, state: FSMContext, repos: Repos) -> None:
    await perform(message, CommandIn(person_of(message.from_user.id), "curators"), state, repos)  # type: ignore[union-attr]


async def on_curators(
    query: CallbackQuery,
    callback_data: CuratorsCb,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
    repos: Repos,
    callback_answer: CallbackAnswer,
) -> None:
    uid = callback_data.uid
    was_curator = callback_data.a == "rmok" and settings.is_curator(uid)
    event = PressIn(person_of(query.from_user.id), callback_data.pack())
    await perform_with_links(query, event, state, repos, callback_answer)
    if was_curator and not settings.is_curator(uid):
        await reset_commands(bot, uid)


# --- the curator link: /start c-… (anyone may open it) ---------------------------------------------------------
class CuratorLink(Filter):
    async def __call__(self, message: Message, command: CommandObject) -> bool:
        return code_kind((command.args or "").strip()) == "curator"


class NotCurator(Filter):
    async def __call__(self, message: Message, settings: Settings) -> bool:
        return message.from_user is not None and not settings.is_curator(message.from_user.id)


async def start_curator_link(
    message: Message, command: CommandObject, state: FSMContext, bot: Bot, settings: Settings, repos: Repos
) -> None:
    """The flow's `accept_link` in the action's transaction (/start is the joining's command: the link is
    routed here by its filter), then the new curator's command menu."""
    user = message.from_user
    assert user is not None
    was_curator = settings.is_curator(user.id)
    ctx = ctx_of(user.id, state, repos)
    effects = await run(lambda: flow.accept_link(ctx, (command.args or "").strip(), user.full_name), repos)
    await render(message, effects or [])
    if not was_curator and settings.is_curator(user.id):
        await set_curator_commands(bot, user.id)


async def refuse_curator_command(message: Message, command: CommandObject, state: FSMContext, repos: Repos) -> None:
    """The command's flow refuses it (`curator_only`); a command no flow of the core takes yet is refused here."""
    event = CommandIn(person_of(message.from_user.id), command.command.lower(), command.args or "")  # type: ignore[union-attr]
    if event.command not in routes.table().commands or await perform(message, event, state, repos) is None:
        await message.answer(tr("curator-only"))


def build_router() -> Router:
    """Behind the curator filter (handlers/curator/__init__.py)."""
    router = Router(name="curator-curators")
    router.message.register(cmd_curators, Command("curators"))
    router.callback_query.register(on_curators, CuratorsCb.filter(), flags={"callback_answer": {"pre": False}})
    return router


def build_public_router() -> Router:
    """The curator link, before joining's /start (which takes only participant and parent links)."""
    router = Router(name="curator-link")
    router.message.register(start_curator_link, CommandStart(deep_link=True), CuratorLink())
    return router


def build_refusal_router() -> Router:
    """A curator command from someone who is not (or no longer) a curator; included just before the fallback."""
    router = Router(name="curator-refusal")
    router.message.register(refuse_curator_command, Command(*CURATOR_COMMANDS), NotCurator())
    return router


