"""/curators: who is a curator now; add one by a one-time link, remove one after a confirmation.

The owners in CURATOR_IDS are listed as such and cannot be removed from the bot. Whoever opens a curator link
becomes a curator at once (`build_public_router`: they are not a curator yet, so the curator router's filter
would not let them in); a removed curator loses every curator command at once, their command menu and their
dialog state in curator flows go, and nothing queued for them as a curator is sent.
"""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject, CommandStart, Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.types import BotCommand, BotCommandScopeChat, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.commands import CURATOR_COMMANDS, PARTICIPANT_COMMANDS, described
from bot.curators import CURATOR_INVITE_TTL, AddedCurator, CuratorInviteProblem
from bot.i18n import esc, quoted, tr
from bot.invites import code_kind, deep_link
from bot.settings import Settings
from handlers import states
from handlers.kb.curator import CuratorsCb, curator_remove_keyboard, curators_keyboard
from handlers.notify import notify
from handlers.ui import show
from storage.audit import AuditLog
from storage.curators import CuratorRepo
from storage.outbox import Outbox
from storage.participants import ParticipantRepo

log = logging.getLogger(__name__)

#: A removed curator who is also a participant keeps their state in these (their own dialogs); any other
#: state is a curator flow (a broadcast draft, an answer to a participant…) and is cleared with its data.
PARTICIPANT_DIALOGS = (
    states.Joining,
    states.ParentConsent,
    states.Survey,
    states.MeetingSetup,
    states.MeetingReply,
    states.AskCurator,
    states.Forget,
)


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


def _name(curator: AddedCurator) -> str:
    return esc(curator.name)


async def _list_screen(viewer: int, settings: Settings, curators: CuratorRepo) -> tuple[str, list[AddedCurator]]:
    added = await curators.added()
    lines: list[str] = []
    for curator_id in sorted(settings.roster.owners):
        you = tr("curators-you") if curator_id == viewer else ""
        lines.append(tr("curators-owner-line", n=len(lines) + 1, id=curator_id, you=you))
    tz = settings.institution.tz
    for curator in added:
        you = tr("curators-you") if curator.telegram_id == viewer else ""
        date = f"{curator.added_at.astimezone(tz):%d.%m.%Y}"
        lines.append(tr("curators-added-line", n=len(lines) + 1, name=_name(curator), you=you, date=date))
    return tr("curators-list", lines="\n".join(lines)), added


async def cmd_curators(message: Message, settings: Settings, curators: CuratorRepo) -> None:
    text, added = await _list_screen(message.from_user.id, settings, curators)  # type: ignore[union-attr]
    await message.answer(text, reply_markup=curators_keyboard(added))


async def _show_list(query: CallbackQuery, settings: Settings, curators: CuratorRepo) -> None:
    text, added = await _list_screen(query.from_user.id, settings, curators)
    await show(query, text, curators_keyboard(added))


async def on_curators(
    query: CallbackQuery,
    callback_data: CuratorsCb,
    bot: Bot,
    settings: Settings,
    curators: CuratorRepo,
    participants: ParticipantRepo,
    outbox: Outbox,
    audit: AuditLog,
    fsm_storage: BaseStorage,
    callback_answer: CallbackAnswer,
) -> None:
    action, uid = callback_data.a, callback_data.uid
    if action == "add":
        invite = await curators.create_invite(query.from_user.id)
        await audit.record(query.from_user.id, "curator.invite", invite.code)
        me = await bot.me()
        hours = int(CURATOR_INVITE_TTL.total_seconds() // 3600)
        link = deep_link(me.username or "bot", invite.code)
        await show(query, tr("curator-invite-created", link=link, hours=hours), edit=False)
        return
    if action in ("rm", "rmok") and settings.is_owner(uid):
        callback_answer.text = tr("curator-owner-stays")
        callback_answer.show_alert = True
        return
    if action == "rm":
        curator = await curators.get(uid)
        if curator is None:
            callback_answer.text = tr("stale-button")
            return
        await show(query, tr("curator-remove-confirm", name=_name(curator)), curator_remove_keyboard(uid))
        return
    if action == "rmok":
        curator = await curators.get(uid)
        participant = await participants.by_telegram(uid)
        if curator is None or not await curators.remove(uid, drop_pending=participant is None):
            # Pressed twice, or on an old screen: they are not a curator any more; nothing to do.
            callback_answer.text = tr("stale-button")
            return
        await audit.record(query.from_user.id, "curator.remove", str(uid))
        await _clear_curator_state(bot, fsm_storage, uid, keep_own=participant is not None)
        await reset_commands(bot, uid)
        await notify(outbox, uid, tr("curator-removed-notice"))
        callback_answer.text = tr("curator-removed", name=curator.name)
        await _show_list(query, settings, curators)
        return
    if action == "list":
        await _show_list(query, settings, curators)
        return
    callback_answer.text = tr("stale-button")


async def _clear_curator_state(bot: Bot, storage: BaseStorage, user_id: int, *, keep_own: bool) -> None:
    """The removed curator's dialog state in a curator flow goes with its data (drafts name participants)."""
    state = FSMContext(storage, StorageKey(bot_id=bot.id, chat_id=user_id, user_id=user_id))
    current = await state.get_state()
    if current is None:
        return
    if keep_own and any(current in group for group in PARTICIPANT_DIALOGS):
        return
    await state.clear()


# --- the curator link: /start c-… (anyone may open it) ---------------------------------------------------------
class CuratorLink(Filter):
    async def __call__(self, message: Message, command: CommandObject) -> bool:
        return code_kind((command.args or "").strip()) == "curator"


class NotCurator(Filter):
    async def __call__(self, message: Message, settings: Settings) -> bool:
        return message.from_user is not None and not settings.is_curator(message.from_user.id)


async def start_curator_link(
    message: Message,
    command: CommandObject,
    bot: Bot,
    settings: Settings,
    curators: CuratorRepo,
    outbox: Outbox,
    audit: AuditLog,
) -> None:
    user = message.from_user
    assert user is not None
    if settings.is_curator(user.id):
        await message.answer(tr("curator-already"))
        return
    name = " ".join(user.full_name.split())[:100] or f"id {user.id}"
    accepted = await curators.accept((command.args or "").strip(), user.id, name)
    if isinstance(accepted, CuratorInviteProblem):
        await message.answer(tr(f"curator-invite-problems-{accepted.value}"))
        return
    await audit.record(user.id, "curator.add", str(user.id), {"invited_by": accepted.created_by})
    await set_curator_commands(bot, user.id)
    await message.answer(tr("curator-joined", org=esc(quoted(settings.institution.organization_name))))
    for curator_id in settings.curator_ids():
        if curator_id != user.id:
            await notify(outbox, curator_id, tr("curator-joined-notice", name=esc(name)))


async def refuse_curator_command(message: Message) -> None:
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
