"""The stories' front end over Telegram: the real app polling the fake Bot API (bot/sandbox/telegram.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.i18n import tr
from bot.sandbox.telegram import FakeTelegram, FakeUser, SentMessage
from tests.conftest import RunningBot
from tests.frontends import Received, Seen
from tests.frontends.core import plain

#: How the answers to /menu begin: a participant's menu, a parent's, the curator's, the word to a stranger.
_MENUS = ("menu-title", "parent-menu-title", "curator-menu", "not-a-participant")
_MENU_OPENINGS = tuple(plain(tr(key)).split("\n")[0] for key in _MENUS)


def seen(message: SentMessage) -> Seen:
    rows = tuple(tuple(b.text for b in row) for row in message.buttons)
    return Seen(message.text or "", rows, message.message_id)


class TelegramPerson:
    def __init__(self, user: FakeUser) -> None:
        self.user = user
        self._messages: dict[int, SentMessage] = {}

    async def open_menu(self) -> Seen:
        """/menu; notices the outbox or the scheduler sends meanwhile are passed over."""
        await self.user.send("/menu")
        for _ in range(10):
            message = await self.user.next_reply()
            if not message.edited and (message.text or "").startswith(_MENU_OPENINGS):
                return self._seen(message)
        raise AssertionError(f"no menu came to {self.user.id}")

    async def press(self, label: str, on: Seen | None = None) -> Seen:
        message = self._messages[on.message_id] if on is not None else self.user.last()
        await self.user.click(label, message)
        return self._seen(await self.user.next_reply())

    def _seen(self, message: SentMessage) -> Seen:
        self._messages[message.message_id] = message
        return seen(message)

    async def send(self, text: str) -> None:
        """Type a line (a command when it starts with «/»)."""
        await self.user.send(text)

    async def expect(self, contains: str, *, eventually: bool = False) -> Seen:
        """The next unread message, which must contain `contains` (with `eventually`, the first that does)."""
        return self._seen(await self.user.expect(contains, eventually=eventually))

    def unread(self) -> list[Seen]:
        """What came and was not read yet (read now)."""
        return [self._seen(message) for message in self.user.drain()]

    async def press_payload(self, payload: str, on: Seen) -> str | None:
        """A button's payload pressed on a message (an old button an edit has since taken away, or one sent
        again): returns the text of the callback's answer, None when it had none."""
        query_id = await self.user.click_data(payload, on.message_id)
        callbacks = self.user._fake._callbacks
        await self.user._fake.wait_for(lambda: callbacks[query_id].answer is not None)
        return callbacks[query_id].answer.get("text")  # type: ignore[union-attr]

    async def received_files(self, count: int) -> list[Received]:
        """The files sent to this person (at least `count` of them, waited for): name, bytes, a photo or not."""
        for _ in range(100):
            files = [m for m in self.user.replies() if m.document or m.photo]
            if len(files) >= count:
                return [_received(m) for m in files]
            await asyncio.sleep(0.05)
        raise AssertionError(f"fewer than {count} files came to {self.user.id}")


    async def send_document(self, name: str, mime: str = "application/octet-stream", ref: str = "file-1") -> None:
        """Send a file (the fake server keeps it; its type is guessed from the name)."""
        await self.user.send_document(name)

def _received(message: SentMessage) -> Received:
    if message.photo is not None:
        return Received("", message.photo["content"], True, message.text or "")
    document = message.document or {}
    return Received(document.get("file_name") or "", document["content"], False, message.text or "")


class TelegramFrontEnd:
    name = "telegram"

    def __init__(self, tg: FakeTelegram, running: RunningBot) -> None:
        self.tg = tg
        self.running = running
        self._people: dict[int, TelegramPerson] = {}

    def service(self, name: str) -> Any:
        return self.running.service(name)

    async def deliver(self) -> None:
        """Notices queued outside an action (a seed) go out: the app's outbox sender is woken."""
        self.running.service("outbox").wake()

    def person(self, account_id: int, name: str = "") -> TelegramPerson:
        if account_id not in self._people:
            user = self.tg.user(account_id, name) if name else self.tg.user(account_id)
            self._people[account_id] = TelegramPerson(user)
        return self._people[account_id]

    async def tick(self) -> None:
        """One tick of the running app's scheduler jobs; its notices go out through the app's outbox sender."""
        await self.running.service("jobs").tick()
