"""App assembly and lifecycle: settings → database → bot, dispatcher, scheduler → long polling."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.fsm.storage.base import BaseEventIsolation
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats

from bot.clock import Clock, SystemClock
from bot.commands import PARTICIPANT_COMMANDS, described
from bot.flows.events import Messenger
from bot.i18n import tr
from bot.meetings.reminders import shift_out_of_quiet
from bot.pacing import ChatPacer
from bot.questionnaires import QuestionnaireError
from bot.settings import Settings, SettingsError, load_settings
from handlers import build_routers
from handlers.curator.curators import set_curator_commands
from handlers.fsm_storage import SQLiteStorage
from handlers.middlewares import (
    InFlightUpdates,
    LateTolerantCallbackAnswer,
    ReleaseWaitingChats,
    RetryAfterMiddleware,
    install_request_middlewares,
)
from handlers.notify import notify_curators, who_is
from handlers.outbox_sender import OutboxSender
from handlers.private_only import PrivateOnly
from handlers.transport import BotSession
from scheduler import build_scheduler
from scheduler.jobs import Jobs
from storage.database import Database
from storage.group_chats import GroupChats
from storage.repositories import build_services

log = logging.getLogger("bot")


def build_pacer(settings: Settings) -> ChatPacer:
    """The per-chat pace shared by the replies and the outbox: bursts of 3, then OUTBOX_CHAT_RATE per second."""
    return ChatPacer(settings.schedule.outbox_chat_rate)


def build_bot(settings: Settings, *, retry: RetryAfterMiddleware | None = None, pacer: ChatPacer | None = None) -> Bot:
    session = BotSession(api=TelegramAPIServer.from_base(settings.telegram.bot_api_base_url))
    install_request_middlewares(session, retry=retry, pacer=pacer)
    return Bot(
        token=settings.telegram.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


@dataclass
class App:
    """Everything one running bot owns; `close` releases it all."""

    settings: Settings
    db: Database
    bot: Bot
    dp: Dispatcher
    clock: Clock
    services: dict[str, Any] = field(default_factory=dict)

    async def close(self) -> None:
        # Updates already confirmed to Telegram are still being handled: let them finish (bounded) first.
        await self.services["in_flight"].wait_idle(10)
        await self.bot.session.close()
        await self.db.close()


def build_dispatcher(
    settings: Settings,
    db: Database,
    clock: Clock,
    *,
    events_isolation: BaseEventIsolation | None = None,
    pacer: ChatPacer | None = None,
) -> tuple[Dispatcher, dict[str, Any]]:
    services = build_services(settings, db, clock)
    dp = Dispatcher(
        storage=SQLiteStorage(db, messenger=Messenger.TELEGRAM, table=services["dialogs"]),
        events_isolation=events_isolation or SimpleEventIsolation(),
        **services,
    )
    services["in_flight"] = InFlightUpdates()
    dp.update.outer_middleware(services["in_flight"])
    # Before any router: nothing is handled outside private chats (handlers/private_only.py).
    dp.update.outer_middleware(PrivateOnly(GroupChats(db, clock)))
    dp.update.outer_middleware(ReleaseWaitingChats(services["outbox"]))
    dp.callback_query.middleware(LateTolerantCallbackAnswer(pre=True))
    dp.include_routers(*build_routers())
    schedule = settings.schedule
    tz = settings.institution.tz
    services["outbox"].quiet_shift = lambda moment: shift_out_of_quiet(moment, schedule.quiet_hours, tz)
    jobs = Jobs(
        settings,
        clock,
        services["meetings"],
        services["matching"],
        services["participants"],
        services["outbox"],
        services["informing"],
        services["campaigns"],
        services["questionnaires"],
        services["roadmap"],
    )
    services["jobs"] = jobs
    dp["jobs"] = jobs
    scheduler = build_scheduler(jobs, clock)
    dp["scheduler"] = scheduler
    senders: list[OutboxSender] = []

    async def on_startup(bot: Bot) -> None:
        await services["curators"].load()
        await register_commands(bot, settings)
        await services["outbox"].load_waiting()
        sender = OutboxSender(
            bot,
            services["outbox"],
            clock,
            rate=schedule.outbox_rate,
            chat_rate=schedule.outbox_chat_rate,
            pacer=pacer,
            on_blocked=lambda chat_id: tell_curators_blocked(chat_id, settings, services),
        )
        senders.append(sender)
        sender.start()
        scheduler.start()
        # Objects alive after start-up are long-lived: keep the collector from rescanning them (DESIGN.md).
        gc.freeze()
        log.info("bot started")

    async def on_shutdown() -> None:
        if scheduler.running:
            # APScheduler's asyncio executor cancels running jobs at shutdown: stop new runs, let the
            # current tick finish its database work, then shut down.
            scheduler.pause()
            await jobs.close()
            scheduler.shutdown(wait=False)
        for sender in senders:
            await sender.stop()
        senders.clear()
        log.info("bot stopped")

    dp.startup.register(on_startup)
    dp.shutdown.register(on_shutdown)
    return dp, services


async def tell_curators_blocked(chat_id: int, settings: Settings, services: dict[str, Any]) -> None:
    if settings.is_curator(chat_id):
        return
    participant = await services["participants"].by_telegram(chat_id)
    who = await who_is(participant, services["matching"]) if participant else f"id {chat_id}"
    about = [participant.id] if participant else []
    await notify_curators(services["outbox"], settings, tr("curator-user-blocked", who=who), about=about)


async def register_commands(bot: Bot, settings: Settings) -> None:
    participant = [BotCommand(command=c, description=d) for c, d in described(PARTICIPANT_COMMANDS).items()]
    await bot.set_my_commands(participant, scope=BotCommandScopeAllPrivateChats())
    for curator_id in settings.curator_ids():
        await set_curator_commands(bot, curator_id)


async def create_app(settings: Settings, *, clock: Clock | None = None) -> App:
    clock = clock or SystemClock()
    db = await Database.open(settings.storage.database_path)
    try:
        pacer = build_pacer(settings)
        bot = build_bot(settings, pacer=pacer)
        dp, services = build_dispatcher(settings, db, clock, pacer=pacer)
    except BaseException:
        await db.close()
        raise
    return App(settings=settings, db=db, bot=bot, dp=dp, clock=clock, services=services)


async def run(settings: Settings) -> int:
    app = await create_app(settings)
    try:
        await app.dp.start_polling(
            app.bot,
            polling_timeout=25,
            tasks_concurrency_limit=64,
            close_bot_session=False,
        )
    except TelegramUnauthorizedError:
        log.error("Telegram refused BOT_TOKEN (401 Unauthorized): check the token from @BotFather in .env")
        return 2
    finally:
        await app.close()
    return 0


def main() -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.logging.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # aiogram logs every handled update at INFO; that is noise (and user ids) in a production log.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    try:
        return asyncio.run(run(settings))
    except QuestionnaireError as exc:
        print(f"Questionnaire files are broken:\n{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
