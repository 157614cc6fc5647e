"""The stories' front end over MAX: the real MAX adapter (`handlers.max.runtime.MaxRuntime`: maxapi's client,
long polling with the marker in SQLite, the outbox's MAX sender) on the app's core, against the strict fake MAX
Bot API (bot/sandbox/max.py) over real HTTP.

What a person sees is the fake's record of their dialog: a screen is a `SentMessage` (its text as MAX shows it,
tags dropped), an edit in place keeps its mid, and the mids (strings on MAX) are handed out to the stories as the
`Seen.message_id` ints the other front ends use. A press must get exactly one answer (`POST /answers`): one that
gets none, or two, fails the story. A toast is the answer's notification; a file comes by upload, its bytes the
fake's (`FakeMax.upload_content`).

The stories seed people through the repositories with their Telegram defaults (`join(account_id, invite)`); here
the repositories are handed out with those defaults on MAX (`OnMax`), so a seeded person is a MAX person.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import mimetypes
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.app import build_core, stop_core
from bot.clock import Clock
from bot.flows.events import Messenger, Person
from bot.i18n import tr
from bot.pacing import ChatPacer
from bot.sandbox.max import FakeMax, FakeMaxUser, SentMessage
from bot.settings import Settings
from handlers.max.runtime import MaxRuntime
from storage.database import Database
from storage.markers import UpdateMarkers
from tests.conftest import CURATOR_BACKGROUND
from tests.frontends import Received, Seen
from tests.frontends.core import plain

#: How the answers to /menu begin: a participant's menu, a parent's, the curator's, the word to a stranger.
_MENUS = ("menu-title", "parent-menu-title", "curator-menu", "not-a-participant")
_MENU_OPENINGS = tuple(plain(tr(key)).split("\n")[0] for key in _MENUS)
#: The per-chat pace at test speed (MAX allows 2 messages a second; the fake is told the same figure).
CHAT_RATE = 100.0
#: How long a person waits for what a press or a line brings.
WAIT = 5.0

#: Repository methods whose messenger defaults to Telegram, and the keyword that names it.
_MESSENGER_KEYWORDS: dict[str, dict[str, str]] = {
    "participants": {"join": "messenger", "record_consent": "given_by_messenger", "children_of": "messenger",
                     "audience_chats": "messenger", "consented_chats": "messenger"},
    "outbox": {"enqueue": "messenger", "mark_unreachable": "messenger", "mark_reachable": "messenger",
               "release_chat": "messenger", "is_unreachable": "messenger"},
    "informing": {"ask": "asked_by_messenger"},
    "invites": {"create": "created_by_messenger"},
}  # fmt: skip


class OnMax:
    """A repository as the stories use it, its Telegram defaults on MAX; `by_telegram(id)` finds a MAX person.

    Setting an attribute sets it on the repository itself (a story's monkeypatch breaks the app's own outbox),
    and setting back what was read from here restores the repository's own method."""

    def __init__(self, repo: Any, keywords: dict[str, str]) -> None:
        object.__setattr__(self, "_repo", repo)
        object.__setattr__(self, "_keywords", keywords)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._repo, name)
        if name == "by_telegram":
            return functools.partial(self._repo.by_account, Messenger.MAX)
        keyword = self._keywords.get(name)
        if keyword is None or not callable(attr):
            return attr

        @functools.wraps(attr)
        def on_max(*args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault(keyword, Messenger.MAX)
            return attr(*args, **kwargs)

        on_max.on_max_of = attr  # type: ignore[attr-defined]
        return on_max

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(value, "on_max_of", None) is not None:  # a monkeypatch undone: the repository's own again
            with contextlib.suppress(AttributeError):
                delattr(self._repo, name)
            return
        setattr(self._repo, name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._repo, name)


class MaxPerson:
    def __init__(self, front: MaxFrontEnd, user: FakeMaxUser) -> None:
        self.front = front
        self.user = user
        self._messages: dict[int, SentMessage] = {}

    # --- acting -------------------------------------------------------------------------------------------
    async def open_menu(self) -> Seen:
        """/menu; notices the outbox sends meanwhile are passed over."""
        await self.user.send("/menu")
        for _ in range(10):
            message = await self.user.next_reply(WAIT)
            if not message.edited and (message.text or "").startswith(_MENU_OPENINGS):
                return self._seen(message)
        raise AssertionError(f"no menu came to {self.user.id}")

    async def send(self, text: str) -> None:
        """Type a line (a command when it starts with «/»); `/start <code>` is opening the bot's link with that
        start payload (https://max.ru/<bot>?start=<code>), as a person on MAX does."""
        if text == "/start" or text.startswith("/start "):
            await self.user.start(text.removeprefix("/start").strip() or None)
        else:
            await self.user.send(text)

    async def send_document(self, name: str, mime: str = "", ref: str = "") -> None:
        """Send a file (its type from `mime`, else guessed from the name); `ref` is Telegram's and unused here."""
        mime = mime or mimetypes.guess_type(name)[0] or "application/octet-stream"
        await self.user.send_file(name, b"%fake " + name.encode(), mime)

    async def press(self, label: str, on: Seen | None = None) -> Seen:
        """Press `label` on `on` (the last message by default): the press gets exactly one answer; returns the
        screen that came of it (the pressed message edited, or a new one), or the pressed one when only a
        notification came."""
        message = self._messages[on.message_id] if on is not None else self.user.last()
        callback_id = await self.user.click(label, message)
        await self._answered(callback_id)
        events = self.front.fake._events.get(self.user.chat_id, [])
        if self.user._cursor < len(events):
            return self._seen(await self.user.next_reply(WAIT))
        return self._seen(self.front.fake._messages[message.mid].snapshot())

    async def press_payload(self, payload: str, on: Seen) -> str | None:
        """A button's payload pressed on a message (an old button an edit has since taken away, or one sent
        again): returns the notification the press's one answer carried, None when it carried none."""
        callback_id = await self.user.click_payload(payload, self._messages[on.message_id])
        answer = await self._answered(callback_id)
        return answer.get("notification")

    async def _answered(self, callback_id: str) -> dict[str, Any]:
        """The one answer a press got (waited for); none, or a second, fails."""
        fake = self.front.fake
        await fake.wait_for(lambda: bool(self.user.answers_to(callback_id)), WAIT)
        await self.front.idle()
        answers = self.user.answers_to(callback_id)
        refused = [e for e in fake.error_log if e.method == "POST /answers" and e.chat_id == self.user.chat_id]
        assert len(answers) == 1 and not refused, f"a press got {len(answers)} answers: {answers}, {refused}"
        return answers[0]

    # --- reading ------------------------------------------------------------------------------------------
    async def expect(self, contains: str, *, eventually: bool = False) -> Seen:
        """The next unread message, which must contain `contains` (with `eventually`, the first that does)."""
        return self._seen(await self.user.expect(contains, WAIT, eventually=eventually))

    def next(self) -> Seen:
        """The next unread message (it must have come already)."""
        events = self.front.fake._events.get(self.user.chat_id, [])
        if self.user._cursor >= len(events):
            raise AssertionError(f"no new message for {self.user.id}")
        self.user._cursor += 1
        return self._seen(events[self.user._cursor - 1])

    def unread(self) -> list[Seen]:
        """What came and was not read yet (read now)."""
        return [self._seen(message) for message in self.user.drain()]

    @property
    def toasts(self) -> list[str]:
        """The notifications the presses' answers carried."""
        return self.user.notifications()

    async def received_files(self, count: int) -> list[Received]:
        """The files sent to this person (at least `count` of them, waited for): name, bytes, a photo or not."""
        fake = self.front.fake
        await fake.wait_for(lambda: len(self._files()) >= count, WAIT)
        return [self._received(message) for message in self._files()]

    async def received_file(self, caption: str) -> Received:
        """The newest file sent to this person whose caption begins with `caption` (waited for)."""

        def with_caption() -> list[SentMessage]:
            return [m for m in self._files() if (m.text or "").startswith(caption)]

        await self.front.fake.wait_for(lambda: bool(with_caption()), WAIT)
        return self._received(with_caption()[-1])

    def _received(self, message: SentMessage) -> Received:
        [attachment] = message.files
        content = self.front.fake.upload_content(attachment["payload"]["token"])
        assert content is not None, attachment
        photo = attachment["type"] == "image"
        return Received("" if photo else attachment.get("filename") or "", content, photo, message.text or "")

    def _files(self) -> list[SentMessage]:
        return [m for m in self.user.replies() if m.files]

    def _seen(self, message: SentMessage) -> Seen:
        number = self.front.number(message.mid)
        self._messages[number] = message
        rows = tuple(tuple(b.text for b in row) for row in message.buttons)
        return Seen((message.text or "").strip(), rows, number)


class MaxFrontEnd:
    name = "max"

    def __init__(self, fake: FakeMax, runtime: MaxRuntime, services: dict[str, Any]) -> None:
        self.fake = fake
        self.runtime = runtime
        self.services = services
        self._people: dict[int, MaxPerson] = {}
        self._numbers: dict[str, int] = {}
        self._repos: dict[str, OnMax] = {}

    @classmethod
    @asynccontextmanager
    async def open(
        cls, fake: FakeMax, settings: Settings, clock: Clock, *, services: dict[str, Any] | None = None
    ) -> AsyncIterator[MaxFrontEnd]:
        """The app's core (`bot.app.build_core`, as `create_app` builds it) with MAX's runtime on it, polling the
        fake. With `services` (an app already running, Telegram's), MAX joins that app's core."""
        db = None
        own = services is None
        if services is None:
            db = await Database.open(settings.storage.database_path)
            services = build_core(settings, db, clock)
            await services["curators"].load()
            await services["outbox"].load_waiting()
        # The bot has polled before: without a marker MAX answers only the newest update of a backlog.
        markers = UpdateMarkers(services["db"])
        if await markers.get(Messenger.MAX) is None:
            await markers.put(Messenger.MAX, fake._next_marker)
        runtime = MaxRuntime(fake.token, fake.base_url, services, clock, outbox_rate=1000, poll_timeout=1)
        fast(runtime)
        front = cls(fake, runtime, services)
        await runtime.start()
        task = asyncio.create_task(runtime.run())
        try:
            yield front
        finally:
            runtime.stop()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 10)
            await runtime.close()
            if own:
                await stop_core(services)
                assert db is not None
                await db.close()

    def service(self, name: str) -> Any:
        keywords = _MESSENGER_KEYWORDS.get(name)
        if keywords is None:
            return self.services[name]
        if name not in self._repos:
            self._repos[name] = OnMax(self.services[name], keywords)
        return self._repos[name]

    @property
    def db(self) -> Database:
        return self.services["db"]

    def person(self, account_id: int, name: str = "") -> MaxPerson:
        """A MAX user who has opened the bot before (MAX lets a bot write only into a dialog a person started)."""
        if account_id not in self._people:
            user = self.fake.user(account_id, name) if name else self.fake.user(account_id)
            user.started = True
            if Person(Messenger.MAX, account_id) in self.services["repos"].settings.roster:
                user.pass_over(*CURATOR_BACKGROUND)  # the curator's own schedule (the digest) comes at any tick
            self._people[account_id] = MaxPerson(self, user)
        return self._people[account_id]

    def number(self, mid: str) -> int:
        """The int a story knows a MAX message by."""
        return self._numbers.setdefault(mid, len(self._numbers) + 1)

    # --- the outbox and the scheduler -----------------------------------------------------------------------
    async def idle(self) -> None:
        """Wait until the MAX outbox has sent what is due now (the sender is woken, the rows watched)."""
        outbox = self.services["outbox"]
        outbox.wake()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT
        while await outbox.due(messenger=Messenger.MAX):
            if loop.time() > deadline:
                raise AssertionError(f"the MAX outbox did not send what is due: {await outbox.due()}")
            await asyncio.sleep(0.01)

    async def deliver(self) -> None:
        """Notices queued outside an action (a seed) go out through the MAX sender."""
        await self.idle()

    async def tick(self) -> None:
        """One tick of the app's scheduler jobs (on the injected clock), then what it queued delivered."""
        await self.services["jobs"].tick()
        await self.idle()


def fast(runtime: MaxRuntime) -> None:
    """The per-chat pace at test speed, the replies' and the outbox's alike (one pacer, as in the app), and no
    pause before a file is sent again."""
    client = runtime.client
    client.messages = ChatPacer(CHAT_RATE, burst=3)
    client.answers = ChatPacer(CHAT_RATE, burst=3)
    runtime.sender._pacer = client.messages
    client._sleep = _no_pause  # the pauses before sending a just uploaded file again (the fake is ready at once)


async def _no_pause(seconds: float) -> None:
    await asyncio.sleep(0)


def fake_max() -> FakeMax:
    """A fake MAX whose per-chat limits are at the test speed (the global 30 a second stays)."""
    fake = FakeMax(chat_messages_per_second=int(CHAT_RATE), chat_answers_per_second=int(CHAT_RATE))
    # A file just uploaded is not processed yet: MAX refuses the first message with it, the client sends it again.
    fake.allow_error(400, "attachment.not.ready", method="POST /messages")
    return fake
