"""The sandbox's world: the real app on the embedded fakes, the people in it, and the clock they live by.

Everything the page does goes through here: a persona types, presses, sends a file or opens a link as a user of
the fake messenger (so the bot gets the very updates a phone would send), and the clock moves in steps of at most
`TICK_STEP`, with the scheduler's tick run and the outbox drained at each, so that what the year brings arrives in
order and on its day.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.flows.events import Messenger
from bot.monitoring import programme_year_of
from bot.sandbox import keep
from bot.sandbox.clock import ClockWentBackwards, SandboxClock
from bot.sandbox.guard import check
from bot.sandbox.max import FakeMax, FakeMaxUser
from bot.sandbox.telegram import FakeTelegram, FakeUser
from bot.settings import Settings, load_settings

log = logging.getLogger("bot.sandbox")

TELEGRAM_TOKEN = "777000:SANDBOX-not-a-real-token-aaaaaaaaaaaaaaaa"
MAX_TOKEN = "sandbox-max-not-a-real-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
BOT_USERNAME = "nastavnik_sandbox_bot"
CURATOR_ID = 1000
ORGANIZATION = "МБУ ДО «Станция юных техников» (песочница)"
#: The longest jump between two scheduler ticks while the clock moves: reminders come due at whole hours' offsets
#: before a meeting and MISSED_GRACE is 6 hours, so an hourly tick delivers each of them, on its hour.
TICK_STEP = timedelta(hours=1)
SETTLE_TIMEOUT = 10.0


class PersonaKind(StrEnum):
    CURATOR = "curator"
    PUPIL = "pupil"
    PARENT = "parent"
    MENTOR = "mentor"
    TEACHER = "teacher"


KIND_LABELS = {
    PersonaKind.CURATOR: "Куратор",
    PersonaKind.PUPIL: "Ученик",
    PersonaKind.PARENT: "Родитель",
    PersonaKind.MENTOR: "Наставник",
    PersonaKind.TEACHER: "Молодой педагог",
}


@dataclass(frozen=True)
class Persona:
    """Someone on the page: a name, who they are meant to be (a label: the bot learns the role from the invite
    they open), and their account on one messenger. `key` names them in the page's requests."""

    key: str
    name: str
    kind: PersonaKind
    messenger: Messenger
    account_id: int

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind.value,
            "kind_label": KIND_LABELS[self.kind],
            "messenger": self.messenger.value,
            "account_id": self.account_id,
        }


class UnknownPersona(KeyError):
    pass


def programme_start(today: datetime, tz: ZoneInfo) -> datetime:
    """09:00 local on 1 September of the programme year `today` is in: where a rehearsal of the year begins."""
    local = today.astimezone(tz)
    year = programme_year_of(local.date())
    return datetime.combine(datetime(year, 9, 1).date(), time(9, 0), tzinfo=tz).astimezone(UTC)


def sandbox_settings(db_path: Path, tg: FakeTelegram, fake_max: FakeMax | None) -> Settings:
    """The app's settings for the sandbox: its own tokens and servers, its own database, one curator. The school's
    `.env` is not read (environment variables still are, as for `python -m bot`, except those set here)."""
    return load_settings(
        env_file=None,
        telegram={"bot_token": tg.token, "bot_api_base_url": tg.base_url, "curator_ids": str(CURATOR_ID)},
        storage={"database_path": db_path},
        institution={"organization_name": ORGANIZATION},
        logging={"log_level": "INFO"},
        max={"bot_token": fake_max.token, "api_base_url": fake_max.base_url} if fake_max is not None else {},
    )


class Sandbox:
    """The fakes, the app and the personas. `start()` brings it all up; `stop()` takes it down."""

    def __init__(
        self,
        db_path: Path,
        *,
        start: datetime | None = None,
        with_max: bool = True,
        base_clock: Clock | None = None,
        tz: str = "Europe/Moscow",
        real: tuple[Path, set[str]] | None = None,
    ) -> None:
        """`real`: the real bot's DATABASE_PATH and tokens (`guard.real_config`), which the sandbox refuses."""
        self.db_path = db_path
        self.tz = ZoneInfo(tz)
        self._base_clock = base_clock
        self._start = start
        self.with_max = with_max
        self.tg = FakeTelegram(token=TELEGRAM_TOKEN, bot_username=BOT_USERNAME)
        self.max: FakeMax | None = (
            FakeMax(token=MAX_TOKEN, bot_username=BOT_USERNAME, bot_name="Наставник (песочница)") if with_max else None
        )
        self.real = real
        self.clock: SandboxClock | None = None
        self.settings: Settings | None = None
        self.app: Any = None  # bot.app.App, imported when the sandbox starts (aiogram takes seconds to import)
        self.personas: dict[str, Persona] = {}
        self.version = 0
        self._changed = asyncio.Event()
        self._numbers = itertools.count(2001)
        self._tasks: list[asyncio.Task[Any]] = []
        self._moving = asyncio.Lock()
        self.ready = False

    # ---- life ------------------------------------------------------------------------------------------------

    async def start(self) -> None:
        from bot.app import create_app, run_max

        await self.tg.start()
        if self.max is not None:
            await self.max.start()
        self.settings = sandbox_settings(self.db_path, self.tg, self.max)
        if self.real is not None:
            check(self.settings, real_database=self.real[0], real_tokens=self.real[1])
        self.tz = self.settings.institution.tz
        base_now = (self._base_clock.now() if self._base_clock else datetime.now(UTC))
        start = self._start or programme_start(base_now, self.tz)
        kept = keep.load(self.db_path)
        if kept.now is not None and kept.now > start:
            start = kept.now  # a kept sandbox goes on from its present, never back
        self.clock = SandboxClock(start, base=self._base_clock)
        self._sync_fakes()
        for fake in self._fakes():
            fake.listeners.append(self._on_change)
        # The curator has opened the bot before it starts (its commands are set for the curator's chat).
        self.add_persona("Куратор", PersonaKind.CURATOR, Messenger.TELEGRAM, account_id=CURATOR_ID)
        for known in kept.personas:
            if known["key"] not in self.personas and (known["messenger"] == Messenger.TELEGRAM or self.max):
                self.add_persona(
                    known["name"], PersonaKind(known["kind"]), Messenger(known["messenger"]),
                    account_id=int(known["account_id"]),
                )
        self._numbers = itertools.count(max([2000, *(p.account_id for p in self.personas.values())]) + 1)
        self.app = await create_app(self.settings, clock=self.clock)
        started = asyncio.Event()
        assert self.app.dp is not None
        self.app.dp.startup.register(lambda: started.set())
        polling = self.app.dp.start_polling(
            self.app.bot, handle_signals=False, close_bot_session=False, polling_timeout=10
        )
        self._tasks.append(asyncio.ensure_future(polling))
        if self.app.max is not None:
            await self._mark_max_polled()
            self._tasks.append(asyncio.create_task(run_max(self.app)))
        await asyncio.wait_for(started.wait(), 30)
        self.ready = True
        self._bump()

    async def stop(self) -> None:
        self.ready = False
        if self.app is not None:
            if self.app.dp is not None:
                with contextlib.suppress(RuntimeError):
                    await self.app.dp.stop_polling()
            if self.app.max is not None:
                self.app.max.stop()
            for task in self._tasks:
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(task, 10)
            await self.app.close()
            self.app = None
        self._tasks.clear()
        for fake in self._fakes():
            await fake.stop()

    async def _mark_max_polled(self) -> None:
        """MAX answers a bot's very first poll with only the newest update of a backlog: the sandbox's bot has
        polled before (its marker is where the fresh fake starts), so a persona who writes first is not lost."""
        from storage.markers import UpdateMarkers

        assert self.max is not None
        # Also after a restart of a kept sandbox: the fake is new, so is its numbering of updates.
        await UpdateMarkers(self.app.services["db"]).put(Messenger.MAX, self.max._next_marker)

    def _fakes(self) -> list[FakeTelegram | FakeMax]:
        return [self.tg] + ([self.max] if self.max is not None else [])

    def _sync_fakes(self) -> None:
        """The fakes' clocks (message dates, a press's expiry) read the sandbox's time."""
        assert self.clock is not None
        for fake in self._fakes():
            fake.advance_clock(self.clock.now().timestamp() - fake.now())
        self._keep()

    def _keep(self) -> None:
        if self.clock is not None:
            keep.save(self.db_path, self.clock.now(), [p.to_json() for p in self.personas.values()])

    # ---- change feed -----------------------------------------------------------------------------------------

    def _on_change(self, chat_id: int) -> None:
        self._bump()

    def _bump(self) -> None:
        self.version += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_change(self, after: int, timeout: float) -> int:  # noqa: ASYNC109
        """The version once it is past `after`, or the current one after `timeout` seconds."""
        if self.version > after:
            return self.version
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)
        return self.version

    # ---- personas --------------------------------------------------------------------------------------------

    def add_persona(
        self, name: str, kind: PersonaKind, messenger: Messenger = Messenger.TELEGRAM, *, account_id: int | None = None
    ) -> Persona:
        name = " ".join(name.split())[:64] or KIND_LABELS[kind]
        if messenger is Messenger.MAX and self.max is None:
            raise ValueError("MAX is off in this sandbox")
        number = account_id if account_id is not None else next(self._numbers)
        key = f"{'tg' if messenger is Messenger.TELEGRAM else 'max'}-{number}"
        first, _, last = name.partition(" ")
        if messenger is Messenger.TELEGRAM:
            self.tg.user(number, first, last_name=last or None)
        else:
            assert self.max is not None
            self.max.user(number, name)
        persona = Persona(key, name, kind, messenger, number)
        self.personas[key] = persona
        self._keep()
        self._bump()
        return persona

    def persona(self, key: str) -> Persona:
        try:
            return self.personas[key]
        except KeyError:
            raise UnknownPersona(key) from None

    def telegram_user(self, key: str) -> FakeUser:
        persona = self.persona(key)
        if persona.messenger is not Messenger.TELEGRAM:
            raise TypeError(f"{key} is on MAX")
        return self.tg.user(persona.account_id)

    def max_user(self, key: str) -> FakeMaxUser:
        persona = self.persona(key)
        if persona.messenger is not Messenger.MAX or self.max is None:
            raise TypeError(f"{key} is on Telegram")
        return self.max.user(persona.account_id)

    # ---- what a persona does ---------------------------------------------------------------------------------

    async def send_text(self, key: str, text: str) -> None:
        """Type and send `text` (a `/command` is a command, as on a phone)."""
        if self.persona(key).messenger is Messenger.TELEGRAM:
            await self.telegram_user(key).send(text)
        elif text == "/start" or text.startswith("/start "):
            await self.max_user(key).start(text.removeprefix("/start").strip() or None)
        else:
            await self.max_user(key).send(text)

    async def open_link(self, key: str, payload: str | None) -> None:
        """Open the bot's link with a start payload (`https://t.me/<bot>?start=<payload>` or MAX's)."""
        if self.persona(key).messenger is Messenger.TELEGRAM:
            await self.telegram_user(key).send(f"/start {payload}" if payload else "/start")
        else:
            await self.max_user(key).start(payload)

    async def send_sticker(self, key: str) -> None:
        if self.persona(key).messenger is Messenger.TELEGRAM:
            await self.telegram_user(key).send_sticker("👍")
        else:
            await self.max_user(key).send_sticker()

    async def send_file(self, key: str, name: str, content: bytes, mime: str) -> None:
        if self.persona(key).messenger is Messenger.TELEGRAM:
            user = self.telegram_user(key)
            if mime.startswith("image/"):
                await user.send_photo(content=content)
            else:
                await user.send_document(name, content)
        else:
            await self.max_user(key).send_file(name, content, mime)

    async def press(self, key: str, message_id: int | str, data: str, timeout: float = 10.0) -> dict[str, Any]:  # noqa: ASYNC109
        """Press the button carrying `data` on a message; returns the press's answer as the phone shows it:
        {"text": toast or alert text or None, "alert": bool} (an unanswered press: {"text": None, "timeout": True})."""
        if self.persona(key).messenger is Messenger.TELEGRAM:
            user = self.telegram_user(key)
            query_id = await user.click_data(data, int(message_id))
            callback = self.tg._callbacks[query_id]
            with contextlib.suppress(TimeoutError):
                await self.tg.wait_for(lambda: callback.answer is not None, timeout)
            if callback.answer is None:
                return {"text": None, "alert": False, "timeout": True}
            return {"text": callback.answer.get("text"), "alert": bool(callback.answer.get("show_alert"))}
        assert self.max is not None
        user = self.max_user(key)
        target = self.max._messages[str(message_id)]
        callback_id = await user.click_payload(data, target)
        fake_callback = self.max._callbacks[callback_id]
        with contextlib.suppress(TimeoutError):
            await self.max.wait_for(lambda: bool(fake_callback.answers), timeout)
        if not fake_callback.answers:
            return {"text": None, "alert": False, "timeout": True}
        return {"text": fake_callback.answers[0].get("notification"), "alert": False}

    # ---- the clock -------------------------------------------------------------------------------------------

    def now(self) -> datetime:
        assert self.clock is not None
        return self.clock.now()

    async def move_clock(
        self, to: datetime, *, on_step: Callable[[datetime], None] | None = None, step: timedelta = TICK_STEP
    ) -> int:
        """Move to `to` (never backwards: ClockWentBackwards), ticking the scheduler at least every `step` and
        letting the outbox deliver what came due at each; returns how many ticks ran."""
        assert self.clock is not None
        async with self._moving:
            if to < self.clock.now():
                raise ClockWentBackwards(f"{to.isoformat()} is before the sandbox's present")
            ticks = 0
            while True:
                now = self.clock.now()
                target = min(to, now + step)
                self.clock.move_to(target)
                self._sync_fakes()
                await self.tick()
                ticks += 1
                if on_step is not None:
                    on_step(target)
                if target >= to:
                    break
            self._bump()
            return ticks

    async def tick(self) -> None:
        """The scheduler's tick at the present moment, then the outbox drained of what is due."""
        await self.app.services["jobs"].tick()
        await self.settle()

    async def settle(self, timeout: float = SETTLE_TIMEOUT) -> bool:  # noqa: ASYNC109
        """Wake the outbox's senders and wait until nothing in it is due (True), or `timeout` passed (False)."""
        outbox = self.app.services["outbox"]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            outbox.wake()
            pending = [m for m in self.app.settings.messengers() if await outbox.due(limit=1, messenger=m)]
            if not pending:
                return True
            if loop.time() > deadline:
                log.warning("the outbox still has messages due after %.0f s", timeout)
                return False
            await asyncio.sleep(0.02)
