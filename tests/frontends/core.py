"""The front end with no messenger: people act by calling the flows of `bot.flows` directly, on a real SQLite
database with the repositories the app uses; each person's screens are kept as the flows showed them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from bot.clock import Clock
from bot.flows import routes
from bot.flows.effects import Effect, Show, StartDialog, Toast
from bot.flows.events import CommandIn, Event, Messenger, Person, PressIn
from bot.flows.ports import Repos
from bot.flows.screens import Screen
from bot.questionnaires import load_directory
from bot.settings import Settings
from storage.database import Database
from storage.repositories import build_repositories
from tests.frontends import Seen


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


class CorePerson:
    """A person on the core: the screens shown to them (message id → screen), the toasts, the dialogs started."""

    def __init__(self, front: CoreFrontEnd, person: Person) -> None:
        self._front = front
        self.person = person
        self.messages: dict[int, Screen] = {}
        self.events: list[Seen] = []
        self.toasts: list[str] = []
        self.dialogs: list[str] = []

    async def open_menu(self) -> Seen:
        await self._act(CommandIn(self.person, "menu"), pressed=None)
        return self.last()

    async def press(self, label: str, on: Seen | None = None) -> Seen:
        message_id = on.message_id if on is not None else self.last().message_id
        screen = self.messages[message_id]
        buttons = screen.buttons()
        button = next((b for b in buttons if b.label == label), None) or next(
            (b for b in buttons if b.label.startswith(label)), None
        )
        if button is None or button.payload is None:
            raise AssertionError(f"no button {label!r} on #{message_id}: {[b.label for b in buttons]}")
        await self._act(PressIn(self.person, button.payload, str(message_id)), pressed=message_id)
        return self.last()

    def last(self) -> Seen:
        if not self.events:
            raise AssertionError(f"nothing was shown to {self.person}")
        return self.events[-1]

    async def _act(self, event: Event, pressed: int | None) -> None:
        effects = await routes.handle(event, self._front.repos())
        if effects is None:
            raise NotImplementedError(f"no flow in the core takes {event!r} yet")
        self._apply(effects, pressed)

    def _apply(self, effects: list[Effect], pressed: int | None) -> None:
        for effect in effects:
            if isinstance(effect, Show):
                message_id = pressed if effect.edit and pressed is not None else self._front.new_message_id()
                self.messages[message_id] = effect.screen
                rows = tuple(tuple(b.label for b in row) for row in effect.screen.rows)
                self.events.append(Seen(plain(effect.screen.text), rows, message_id))
            elif isinstance(effect, Toast):
                self.toasts.append(effect.text)
            elif isinstance(effect, StartDialog):
                self.dialogs.append(effect.name)
            else:
                raise NotImplementedError(f"the core front end does not carry out {effect!r} yet")


class CoreFrontEnd:
    name = "core"

    def __init__(self, db: Database, settings: Settings, services: dict[str, Any]) -> None:
        self.db = db
        self.settings = settings
        self.services = services
        self._people: dict[int, CorePerson] = {}
        self._message_ids = 0

    @classmethod
    @asynccontextmanager
    async def open(cls, path: Path, settings: Settings, clock: Clock) -> AsyncIterator[CoreFrontEnd]:
        """The app's database and repositories, built as `bot.app` builds them, with no bot."""
        db = await Database.open(path)
        try:
            yield cls(db, settings, {"questionnaires": load_directory(), **build_repositories(db, clock)})
        finally:
            await db.close()

    def service(self, name: str) -> Any:
        return self.services[name]

    def repos(self) -> Repos:
        s = self.services
        return Repos(s["participants"], s["matching"], s["meetings"], self.settings, s["questionnaires"])

    def person(self, account_id: int, name: str = "") -> CorePerson:
        if account_id not in self._people:
            self._people[account_id] = CorePerson(self, Person(Messenger.TELEGRAM, account_id))
        return self._people[account_id]

    def new_message_id(self) -> int:
        self._message_ids += 1
        return self._message_ids
