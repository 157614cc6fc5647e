"""Shared fixtures: a fake clock, a strict fake Bot API server, the real bot running against it, and the errors
guard that fails a test on any ERROR log line, apology or Bot API error it did not declare."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, create_app
from bot.i18n import tr
from bot.sandbox.telegram import FakeTelegram
from bot.settings import Settings, load_settings
from storage.database import Database
from tests.fakes.clock import FakeClock

# The curator's own schedule, as the chat shows it (tr("digest"), roadmap-remind-*): a daily digest and
# roadmap deadlines come at whatever tick the clock reaches; no reply's order is measured against them.
CURATOR_BACKGROUND = ("Сводка на ", "⏰ Скоро срок по дорожной карте", "🔴 Срок прошёл ")
CURATOR_ID = 1000
OTHER_CURATOR_ID = 1001
# Telegram's per-chat limit (bursts of 3, then 1 message/s) at test speed: the fake enforces it on every chat,
# and the app's pace (OUTBOX_CHAT_RATE) keeps to it, replies and outbox alike.
CHAT_RATE = 100.0


# --------------------------------------------------------------------------------------------------------------
# The errors guard
# --------------------------------------------------------------------------------------------------------------

ALLOW_ERRORS_DOC = (
    "allow_errors(log=..., api=..., apology=False): the errors guard tolerates these in this test. "
    "log: substrings of ERROR log lines; api: (code, substring) pairs of Bot API error answers; "
    "apology: the bot may send the apology (unexpected-error)."
)


# Known product defects being fixed on other branches of issue 11. Mark a test they hit with one of these and
# a comment `# fixed by branch <name>`; after the merge the integrator deletes the marks and these names.
KNOWN_CHAT_NOT_FOUND = pytest.mark.allow_errors(  # fixed by branch send: such a notice waits for /start
    log="refused: Bad Request: chat not found", api=[(400, "chat not found")]
)
KNOWN_BURST_429 = pytest.mark.allow_errors(api=[(429, "Too Many Requests")])  # fixed by branch send


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", ALLOW_ERRORS_DOC)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.when == "call":
        item.stash[_BODY_FAILED] = report.failed
    return report


_BODY_FAILED = pytest.StashKey[bool]()


class ErrorsGuard(logging.Handler):
    """Collects ERROR records on the root logger and the fake servers of a test; judges them at teardown.

    What counts: every ERROR (or worse) log record; every bot message carrying the error router's apology
    (``tr("unexpected-error")``); every error answer of the test's fake Bot API except getUpdates (polling is
    aiogram's business: a 409 when a restarted dispatcher's new poll overtakes the old one never reaches a
    user) and except failures the test injected itself (``tg.flood()``, ``tg.fail_server()``). A test declares
    what it provokes with ``@pytest.mark.allow_errors(...)`` or ``tg.expect_error(code, text)`` (must happen)
    / ``tg.allow_error(code, text)`` (may happen), or ``errors_guard.allow_log(text)``.
    """

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []
        self.allowed_logs: list[str] = []
        self.allowed_api: list[tuple[int, str]] = []
        self.apology_allowed = False
        self.servers: list[FakeTelegram] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def allow_log(self, contains: str) -> None:
        self.allowed_logs.append(contains)

    def apply(self, marker: pytest.Mark) -> None:
        log = marker.kwargs.get("log", ())
        self.allowed_logs.extend([log] if isinstance(log, str) else log)
        api = marker.kwargs.get("api", ())
        self.allowed_api.extend([api] if api and isinstance(api[0], int) else api)
        self.apology_allowed |= bool(marker.kwargs.get("apology", False))
        unknown = set(marker.kwargs) - {"log", "api", "apology", "reason"}
        if marker.args or unknown:
            raise TypeError(f"allow_errors takes log=, api=, apology=, reason= only; got {marker}")

    def watch(self, server: FakeTelegram) -> None:
        for code, contains in self.allowed_api:
            server.allow_error(code, contains)
        self.servers.append(server)

    def problems(self) -> list[str]:
        found: list[str] = []
        for record in self.records:
            line = record.getMessage()
            if any(allowed in line for allowed in self.allowed_logs):
                continue
            exc = f" [{record.exc_info[1]!r}]" if record.exc_info and record.exc_info[1] else ""
            found.append(f"ERROR log   {record.name}: {line}{exc}")
        for server in self.servers:
            if not self.apology_allowed:
                found.extend(
                    f"apology     to chat {message.chat_id}: {message.text!r}"
                    for message in server.all_messages()
                    if tr("unexpected-error") in (message.text or "")
                )
            found.extend(f"Bot API     {error.describe()}" for error in server.unexpected_errors())
            found.extend(f"expected    a Bot API error {missing}, none came" for missing in server.unmet_expectations())
        return found


@pytest.fixture(autouse=True)
def errors_guard(request: pytest.FixtureRequest) -> Iterator[ErrorsGuard]:
    """Autouse: after the test (and the bot's shutdown), fail on anything in ``ErrorsGuard``'s list."""
    guard = ErrorsGuard()
    for marker in request.node.iter_markers("allow_errors"):
        guard.apply(marker)
    root = logging.getLogger()
    root.addHandler(guard)
    try:
        yield guard
    finally:
        root.removeHandler(guard)
    if request.node.stash.get(_BODY_FAILED, False):
        return  # the test's own failure says more; its context already lists recent API errors
    problems = guard.problems()
    if problems:
        pytest.fail(
            "The errors guard found what this test did not declare:\n  "
            + "\n  ".join(problems)
            + "\nIf the test provokes it on purpose, declare it: @pytest.mark.allow_errors(log=..., api=[(code, "
            "text)], apology=True), tg.expect_error(code, text) or errors_guard.allow_log(text).",
            pytrace=False,
        )


# --------------------------------------------------------------------------------------------------------------
# The fake Bot API and the bot
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def tg(errors_guard: ErrorsGuard) -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(rate_limit_per_chat=CHAT_RATE, chat_burst=3)
    errors_guard.watch(server)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "nastavnik.sqlite3"


@pytest.fixture
def make_settings(tg: FakeTelegram, db_path: Path) -> Callable[..., Settings]:
    def factory(**institution: Any) -> Settings:
        return load_settings(
            env_file=None,
            telegram={
                "bot_token": tg.token,
                "bot_api_base_url": tg.base_url,
                "curator_ids": f"{CURATOR_ID},{OTHER_CURATOR_ID}",
            },
            storage={"database_path": db_path},
            institution={"organization_name": "МБУ ДО «Станция юных техников»", **institution},
            logging={"log_level": "INFO"},
            schedule={"outbox_rate": 1000, "outbox_chat_rate": CHAT_RATE},
        )

    return factory


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


class RunningBot:
    """The real app (dispatcher, SQLite, outbox sender) polling the fake server in this event loop."""

    def __init__(self, settings: Settings, clock: FakeClock) -> None:
        self.settings = settings
        self.clock = clock
        self.app: App | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> App:
        self.app = await create_app(self.settings, clock=self.clock)
        started = asyncio.Event()
        self.app.dp.startup.register(lambda: started.set())
        self._task = asyncio.create_task(
            self.app.dp.start_polling(
                self.app.bot, handle_signals=False, close_bot_session=False, polling_timeout=1
            )
        )
        await asyncio.wait_for(started.wait(), 5)
        return self.app

    async def stop(self) -> None:
        if self.app is None or self._task is None:
            return
        with contextlib.suppress(RuntimeError):
            await self.app.dp.stop_polling()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(self._task, 10)
        await self.app.close()
        self.app, self._task = None, None

    async def restart(self) -> App:
        await self.stop()
        return await self.start()

    @property
    def db(self) -> Database:
        assert self.app is not None
        return self.app.db

    def service(self, name: str) -> Any:
        assert self.app is not None
        return self.app.services[name]


@pytest.fixture
async def running(tg: FakeTelegram, settings: Settings, clock: FakeClock) -> AsyncIterator[RunningBot]:
    # The curators have opened the bot before (Telegram answers "chat not found" otherwise).
    tg.user(CURATOR_ID, "Куратор").pass_over(*CURATOR_BACKGROUND)
    tg.user(OTHER_CURATOR_ID, "Второй куратор").pass_over(*CURATOR_BACKGROUND)
    runner = RunningBot(settings, clock)
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()
