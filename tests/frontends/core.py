"""The front end with no messenger: people act through `bot.flows.act` (each action one transaction), on a real
SQLite database with the repositories the app uses; each person's screens are kept as the flows showed them,
and the notices the actions queued come out of the outbox into the receivers' chats.

A person reads their chat as a queue, as a Telegram test user does (`bot/sandbox/telegram.FakeUser`): `next()`,
`expect(fragment)`; acting (`send`, `press`) leaves the answers unread until read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from bot.clock import Clock
from bot.flows.act import act
from bot.flows.context import Ctx
from bot.flows.dialog import Dialog
from bot.flows.effects import Effect, Farewell, SendFile, Show, Toast
from bot.flows.events import CommandIn, Event, FileIn, Messenger, Person, PressIn, TextIn
from bot.flows.ports import Repos
from bot.flows.screens import Screen
from bot.settings import Settings
from storage.database import Database
from storage.dialogs import PersonDialog
from storage.repositories import build_services
from tests.frontends import Received, Seen


def plain(html: str) -> str:
    """The text a reader sees of a screen's markup: tags dropped, entities read (as Telegram shows it)."""
    parser = _Plain()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts).strip()


class _Plain(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def parse(person: Person, text: str) -> Event:
    """What a typed line is: `/command args` a command (`/start@bot` as `/start`), anything else a text."""
    if text.startswith("/") and len(text) > 1:
        head, _, args = text[1:].partition(" ")
        return CommandIn(person, head.split("@", 1)[0].lower(), args.strip())
    return TextIn(person, text)


class CorePerson:
    """A person on the core: their chat (message id → screen shown, and the events in order, read by a cursor),
    the toasts their presses got, the files sent to them and the dialogs the adapter would have started."""

    def __init__(self, front: CoreFrontEnd, person: Person) -> None:
        self._front = front
        self.person = person
        self.messages: dict[int, Screen] = {}
        self.events: list[Seen] = []
        self.toasts: list[str] = []
        self.files: list[SendFile] = []
        self.dialogs: list[str] = []
        self._cursor = 0

    # --- acting -------------------------------------------------------------------------------------------
    async def open_menu(self) -> Seen:
        await self.send("/menu")
        return await self.expect("", eventually=True)

    async def send(self, text: str) -> None:
        """Type a line (a command when it starts with «/»)."""
        await self.act(parse(self.person, text))

    async def send_document(self, name: str, mime: str = "application/octet-stream", ref: str = "file-1") -> None:
        await self.act(FileIn(self.person, name, mime, ref))

    async def press(self, label: str, on: Seen | None = None) -> Seen:
        """Press the button whose label is (or starts with) `label` on `on` (the last screen by default);
        returns the next screen that comes to this person (the same one when only a toast came)."""
        message_id = on.message_id if on is not None else self.events[-1].message_id
        screen = self.messages[message_id]
        buttons = screen.buttons()
        button = next((b for b in buttons if b.label == label), None) or next(
            (b for b in buttons if b.label.startswith(label)), None
        )
        if button is None or button.payload is None:
            raise AssertionError(f"no button {label!r} on #{message_id}: {[b.label for b in buttons]}")
        self._cursor = len(self.events)
        await self.act(PressIn(self.person, button.payload, str(message_id)), pressed=message_id)
        return self.next() if self._cursor < len(self.events) else self.last()

    async def act(self, event: Event, pressed: int | None = None) -> list[Effect]:
        effects = await act(event, self._front.ctx(self.person))
        if effects is None:
            raise NotImplementedError(f"no flow in the core takes {event!r} yet")
        self._apply(effects, pressed)
        await self._front.deliver()
        return effects

    # --- reading ------------------------------------------------------------------------------------------
    def last(self) -> Seen:
        if not self.events:
            raise AssertionError(f"nothing was shown to {self.person}")
        return self.events[-1]

    def next(self) -> Seen:
        """The next unread screen in this chat (a new message or an edit, as it then was)."""
        if self._cursor >= len(self.events):
            raise AssertionError(f"no new screen for {self.person}; the last: {self.events[-3:]}")
        self._cursor += 1
        return self.events[self._cursor - 1]

    async def expect(self, contains: str, *, eventually: bool = False) -> Seen:
        """The next unread screen, which must contain `contains` (with `eventually`, the first that does)."""
        skipped: list[str] = []
        while True:
            try:
                seen = self.next()
            except AssertionError:
                raise AssertionError(f"no screen with {contains!r} for {self.person}; came: {skipped}") from None
            if contains in seen.text:
                return seen
            skipped.append(seen.text[:80])
            if not eventually:
                raise AssertionError(f"expected {contains!r} for {self.person}, but came first: {skipped}")

    def unread(self) -> list[Seen]:
        pending = self.events[self._cursor :]
        self._cursor = len(self.events)
        return pending

    async def received_files(self, count: int) -> list[Received]:
        """The files sent to this person: name, bytes, a photo (an image) or not."""
        files = [
            Received(f.file.name, f.file.content, f.file.mime.startswith("image/"), plain(f.file.caption))
            for f in self.files
        ]
        if len(files) < count:
            raise AssertionError(f"fewer than {count} files came to {self.person}: {[f.name for f in files]}")
        return files

    # --- what came ----------------------------------------------------------------------------------------
    def show(self, screen: Screen, message_id: int | None = None) -> None:
        message_id = message_id or self._front.new_message_id()
        self.messages[message_id] = screen
        rows = tuple(tuple(b.label for b in row) for row in screen.rows)
        self.events.append(Seen(plain(screen.text), rows, message_id))

    def _apply(self, effects: list[Effect], pressed: int | None) -> None:
        for effect in effects:
            if isinstance(effect, Show):
                self.show(effect.screen, pressed if effect.edit and pressed is not None else None)
            elif isinstance(effect, Toast):
                if pressed is None:  # no press to answer: the adapter sends it as a message
                    self.show(Screen(effect.text))
                else:
                    self.toasts.append(effect.text)
            elif isinstance(effect, SendFile):
                self.files.append(effect)
            elif isinstance(effect, Farewell):  # sent at once, into the chat of someone who is gone
                self._front.person(effect.to.account_id, messenger=effect.to.messenger).show(Screen(effect.text))
            else:
                raise NotImplementedError(f"the core front end does not carry out {effect!r} yet")

    async def press_payload(self, payload: str, on: Seen) -> str | None:
        """A button's payload pressed on a message (an old button an edit has since taken away, or one sent
        again): returns the toast the press got, None when it got none."""
        toasts = len(self.toasts)
        self._cursor = len(self.events)
        await self.act(PressIn(self.person, payload, str(on.message_id)), pressed=on.message_id)
        return self.toasts[-1] if len(self.toasts) > toasts else None


class CoreFrontEnd:
    name = "core"

    def __init__(self, db: Database, settings: Settings, clock: Clock, services: dict[str, Any]) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.services = services
        self._people: dict[Person, CorePerson] = {}
        self._message_ids = 0

    @classmethod
    @asynccontextmanager
    async def open(cls, path: Path, settings: Settings, clock: Clock) -> AsyncIterator[CoreFrontEnd]:
        """The app's database and repositories, built as `bot.app` builds them, with no bot."""
        db = await Database.open(path)
        try:
            services = build_services(settings, db, clock)
            await services["curators"].load()
            yield cls(db, settings, clock, services)
        finally:
            await db.close()

    def service(self, name: str) -> Any:
        return self.services[name]

    def repos(self) -> Repos:
        return self.services["repos"]

    def dialog(self, person: Person) -> Dialog:
        return PersonDialog(self.services["dialogs"], person.messenger, person.account_id)

    def ctx(self, person: Person) -> Ctx:
        return Ctx(person, self.repos(), self.dialog(person), self.dialog)

    def person(self, account_id: int, name: str = "", messenger: Messenger = Messenger.TELEGRAM) -> CorePerson:
        key = Person(messenger, account_id)
        if key not in self._people:
            self._people[key] = CorePerson(self, key)
        return self._people[key]

    def new_message_id(self) -> int:
        self._message_ids += 1
        return self._message_ids

    async def deliver(self) -> int:
        """Send what is due in the outbox (every messenger's) into the receivers' chats here; returns how many."""
        outbox = self.services["outbox"]
        count = 0
        while batch := await outbox.due():
            for message in batch:
                self.person(message.chat_id, messenger=message.messenger).show(message.screen)
                await outbox.mark_sent(message.id)
                count += 1
        return count

    # --- the scheduler ------------------------------------------------------------------------------------
    async def tick(self) -> int:
        """One tick of the app's scheduler jobs (built as `bot.app` builds them, on this front end's repositories
        and clock), then the outbox delivered; returns how many notices came. The scheduler is imported here:
        loading this front end loads no scheduler (test_the_core_front_end_runs_with_no_messenger_loaded)."""
        from scheduler.jobs import Jobs

        jobs = self.services.get("jobs")
        if jobs is None:
            s = self.services
            jobs = Jobs(
                self.settings, self.clock, s["meetings"], s["matching"], s["participants"], s["outbox"],
                s["informing"], s["campaigns"], s["questionnaires"], s["roadmap"],
            )  # fmt: skip
            self.services["jobs"] = jobs
        await jobs.tick()
        return await self.deliver()

