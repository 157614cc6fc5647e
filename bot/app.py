"""App assembly and lifecycle: settings → database → bot, dispatcher, scheduler → long polling."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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
from bot.settings import Settings
from handlers import FIRST, FIRST_EVENTS, build_routers
from handlers.curator.curators import set_curator_commands
from handlers.first_routers import FirstRouters
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
from handlers.ui import farewell
from scheduler import build_scheduler
from scheduler.jobs import Jobs
from storage.database import Database
from storage.group_chats import GroupChats
from storage.repositories import build_services

if TYPE_CHECKING:
    from handlers.max.runtime import MaxRuntime

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
    """Everything one running bot owns; `close` releases it all. `bot`/`dp` are Telegram's, `max` MAX's (each
    None when its token is not set)."""

    settings: Settings
    db: Database
    clock: Clock
    services: dict[str, Any] = field(default_factory=dict)
    bot: Bot | None = None
    dp: Dispatcher | None = None
    max: MaxRuntime | None = None

    async def close(self) -> None:
        # Updates already confirmed to Telegram are still being handled: let them finish (bounded) first.
        if "in_flight" in self.services:
            await self.services["in_flight"].wait_idle(10)
        if self.max is not None:
            await self.max.close()
        await stop_core(self.services)
        if self.bot is not None:
            await self.bot.session.close()
        await self.db.close()


def build_core(settings: Settings, db: Database, clock: Clock) -> dict[str, Any]:
    """The repositories, the scheduler's jobs and the scheduler: one set per app, whatever its messengers."""
    services = build_services(settings, db, clock)
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
    services["scheduler"] = build_scheduler(jobs, clock)
    return services


async def start_core(services: dict[str, Any]) -> None:
    """What every messenger's start needs once, before it takes updates: the curators, the waiting chats."""
    if services.get("core_started"):
        return
    services["core_started"] = True
    await services["curators"].load()
    await services["outbox"].load_waiting()


def start_scheduler(services: dict[str, Any]) -> None:
    """Once a messenger is ready to send (its commands set, its outbox sender running)."""
    if not services["scheduler"].running:
        services["scheduler"].start()


async def stop_core(services: dict[str, Any]) -> None:
    if not services.pop("core_started", False):
        return
    scheduler = services["scheduler"]
    if scheduler.running:
        # APScheduler's asyncio executor cancels running jobs at shutdown: stop new runs, let the current tick
        # finish its database work, then shut down.
        scheduler.pause()
        await services["jobs"].close()
        scheduler.shutdown(wait=False)


def build_dispatcher(
    settings: Settings,
    db: Database,
    clock: Clock,
    *,
    events_isolation: BaseEventIsolation | None = None,
    pacer: ChatPacer | None = None,
    services: dict[str, Any] | None = None,
) -> tuple[Dispatcher, dict[str, Any]]:
    """Telegram's dispatcher on the app's core (`build_core`, built here when not given)."""
    services = services if services is not None else build_core(settings, db, clock)
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
    routers = build_routers()
    dp.include_routers(*routers)
    # The innermost of the update's outer middlewares: after the private-only check and the others above.
    FirstRouters.install(dp, [r for r in routers if r.name in FIRST], FIRST_EVENTS)
    schedule = settings.schedule
    senders: list[OutboxSender] = []

    async def on_startup(bot: Bot) -> None:
        await start_core(services)
        await register_commands(bot, settings)
        # The start links on every messenger from the first action on (a MAX child's parent may be on Telegram).
        services["repos"].links.learn(Messenger.TELEGRAM, (await bot.me()).username or "bot")
        services["repos"].farewells.register(Messenger.TELEGRAM, lambda effect: farewell(bot, effect))
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
        start_scheduler(services)
        settle_collector()
        log.info("bot started")

    async def on_shutdown() -> None:
        await stop_core(services)
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


def build_max(settings: Settings, services: dict[str, Any], clock: Clock) -> MaxRuntime | None:
    """MAX's side of the app when MAX_BOT_TOKEN is set. Its modules are imported only then: a bot that runs on
    Telegram alone idles at 189.1 MiB peak RSS without them, 195.5 MiB with (bench/README.md, issue 17)."""
    conf = settings.max
    if conf.bot_token is None:
        return None
    from handlers.max.runtime import MaxRuntime, Webhook

    webhook = None
    if conf.webhook_url is not None and conf.webhook_secret is not None:
        host, _, port = conf.webhook_listen.rpartition(":")
        webhook = Webhook(conf.webhook_url, conf.webhook_secret.get_secret_value(), host, int(port))
    return MaxRuntime(
        conf.bot_token.get_secret_value(),
        conf.api_base_url,
        services,
        clock,
        outbox_rate=conf.outbox_rate,
        webhook=webhook,
    )


async def create_app(settings: Settings, *, clock: Clock | None = None) -> App:
    clock = clock or SystemClock()
    db = await Database.open(settings.storage.database_path)
    try:
        services = build_core(settings, db, clock)
        app = App(settings=settings, db=db, clock=clock, services=services)
        if settings.telegram.bot_token is not None:
            pacer = build_pacer(settings)
            app.bot = build_bot(settings, pacer=pacer)
            app.dp, _ = build_dispatcher(settings, db, clock, pacer=pacer, services=services)
        app.max = build_max(settings, services, clock)
    except BaseException:
        await db.close()
        raise
    return app


#: The collector's youngest generation is scanned after this many new containers (Python's default: 700).
YOUNG_GC_THRESHOLD = 20_000


def settle_collector() -> None:
    """After start-up: objects alive now are long-lived, so the collector stops rescanning them (`gc.freeze`,
    DESIGN.md), and it scans the young generation every 20,000 new containers instead of 700. An update's
    objects die young, freed by their reference counts; what a scan finds is the live objects of the updates in
    hand, so fewer scans cost less in all. In the intake benchmark the collector's share fell from 8–9 % to 0–1 %
    and the throughput rose 12–18 %, with the same peak RSS (bench/README.md, issue 17)."""
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GC_THRESHOLD, older, oldest)


async def run_max(app: App) -> None:
    assert app.max is not None
    await start_core(app.services)
    await app.max.start()
    start_scheduler(app.services)
    settle_collector()
    log.info("MAX bot started")
    await app.max.run()


async def run(settings: Settings) -> int:
    """Every configured messenger in one process, until SIGINT or SIGTERM."""
    app = await create_app(settings)
    tasks: dict[asyncio.Task[None], Messenger] = {}
    if app.dp is not None and app.bot is not None:
        polling = app.dp.start_polling(
            app.bot, polling_timeout=25, tasks_concurrency_limit=64, close_bot_session=False, handle_signals=False
        )
        tasks[asyncio.ensure_future(polling)] = Messenger.TELEGRAM
    if app.max is not None:
        tasks[asyncio.create_task(run_max(app))] = Messenger.MAX

    stopping: list[asyncio.Task[None]] = []

    def stop() -> None:
        if app.dp is not None:
            stopping.append(asyncio.create_task(_stop_polling(app.dp)))
        if app.max is not None:
            app.max.stop()

    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop)
    code = 0
    try:
        pending = set(tasks)
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
            failed = [task for task in done if task.exception() is not None]
            if failed:
                stop()
                await asyncio.gather(*pending, return_exceptions=True)
                code = _failure(failed[0].exception())
                break
    finally:
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signal_number)
        await app.close()
    return code


async def _stop_polling(dp: Dispatcher) -> None:
    with contextlib.suppress(RuntimeError):  # not polling (yet, or any more)
        await dp.stop_polling()


def _failure(exc: BaseException | None) -> int:
    """Exit status 2 for a token a messenger refuses (with the line that says which), else re-raise."""
    if isinstance(exc, TelegramUnauthorizedError):
        log.error("Telegram refused BOT_TOKEN (401 Unauthorized): check the token from @BotFather in .env")
        return 2
    max_client = sys.modules.get("handlers.max.client")  # loaded only when MAX runs (`build_max`)
    if max_client is not None and isinstance(exc, max_client.MaxError) and exc.status == 401:
        log.error("MAX refused MAX_BOT_TOKEN (401): check the token from the bot's page on business.max.ru in .env")
        return 2
    assert exc is not None
    raise exc
