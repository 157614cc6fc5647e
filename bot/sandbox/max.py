"""A strict local fake of the MAX Bot API (the Russian national messenger), served over real HTTP.

Point a client at ``fake.base_url`` (maxapi: ``bot.set_api_url(fake.base_url)``). The fake keeps every dialog
with the bot, answers with the platform's JSON (``Message``, ``Update``, ``{"success": true}``) and rejects what
the platform rejects with its error shape ``{"code": ..., "message": ...}``, so an adapter test fails here the
way it would fail on ``platform-api2.max.ru``.

Sources, cited next to each rule below:
- [docs] the platform's documentation, https://dev.max.ru/docs-api (methods and objects pages);
- [schema] the OpenAPI schema shipped with the platform's official Go client
  (github.com/max-messenger/max-bot-api-client-go, ``schema.yaml``, version 0.0.30), and its recorded answers
  (``stabs/*.json``);
- [maxapi] the ``maxapi`` Python library the platform links to (1.2.3), for limits it quotes from [docs].

Where neither says what the platform answers, the fake picks the strict choice and says so in a comment
(``ASSUMPTION``).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import re
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from aiohttp import web

from bot.sandbox.transcript import Transcript, buttons_note, join, plural, quote, size_label

DEFAULT_TOKEN = "f9LHodD0cOTEST-max-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

# [docs] objects/NewMessageBody: text "до 4000 символов"; [schema] NewMessageBody.text maxLength 4000.
MAX_TEXT_LENGTH = 4000
# [schema] "Deep linking": the start payload is "up to 128 characters long. Longer strings will be omitted and
# not passed to the bot" (so a longer one is not an error: the bot gets a bot_started without payload).
MAX_START_PAYLOAD = 128
# [docs] objects/NewMessageBody (inline_keyboard) and use-cases/sending-messages/attachment-types: at most 210
# buttons in 30 rows, up to 7 a row, up to 3 a row when the row has a link/open_app/request_* button;
# [schema] Button.text 1..128, CallbackButton.payload maxLength 1024, LinkButton.url maxLength 2048.
MAX_KEYBOARD_ROWS = 30
MAX_ROW_BUTTONS = 7
MAX_ROW_BUTTONS_WIDE = 3
MAX_KEYBOARD_BUTTONS = 210
MAX_BUTTON_TEXT = 128
MAX_BUTTON_PAYLOAD = 1024
MAX_BUTTON_URL = 2048
_WIDE_BUTTONS = frozenset({"link", "open_app", "request_geo_location", "request_contact"})
_BUTTON_TYPES = frozenset(
    {"callback", "link", "request_geo_location", "request_contact", "chat", "message", "open_app", "clipboard"}
)
_INTENTS = frozenset({"positive", "negative", "default"})
# [docs] objects/NewMessageBody: at most 12 attachments in all.
MAX_ATTACHMENTS = 12

# [schema] GET /updates: limit 1..1000 (default 100), timeout 0..90 (default 30).
UPDATES_LIMIT_RANGE = (1, 1000)
UPDATES_TIMEOUT_RANGE = (0, 90)
# [maxapi] methods/get_updates.py quoting [docs] methods/GET/updates ("с 11.05.2026"): a batch holds at most 100
# events and a poll is held at most 30 s, whatever larger values the request asks for.
UPDATES_BATCH_CAP = 100
UPDATES_WAIT_CAP = 30.0

# Rates. [pages] green-api.com/max-bot-api/docs/faq: "максимальное количество запросов в секунду на
# platform-api.max.ru — 30 rps" (the figure issue 15 quotes). [docs] methods/POST/messages: "не более двух
# сообщений в секунду в один диалог, групповой чат или канал"; methods/POST/answers: "не более двух ответов в
# секунду в один диалог, групповой чат или канал".
GLOBAL_RPS = 30
CHAT_MESSAGES_PER_SECOND = 2
CHAT_ANSWERS_PER_SECOND = 2

# [schema] UploadType: image, video, audio, file.
UPLOAD_TYPES = frozenset({"image", "video", "audio", "file"})
_UPDATE_TYPES = frozenset(
    {
        "message_created",
        "message_callback",
        "message_edited",
        "message_removed",
        "bot_added",
        "bot_removed",
        "user_added",
        "user_removed",
        "bot_started",
        "bot_stopped",
        "dialog_cleared",
        "dialog_removed",
        "dialog_muted",
        "dialog_unmuted",
        "chat_title_changed",
        "message_chat_created",
    }
)

# Error bodies. [schema] "Error responses": every error is JSON with `code` (a string key) and `message`.
# [schema] info + stabs/error.invalid-token.json: a bad token is {"code": "verify.token", "message": "Invalid
# access_token"}.
ERR_TOKEN = ("verify.token", "Invalid access_token")
# [docs] methods/POST/uploads (quoted in public adapters): {"code": "attachment.not.ready", "message":
# "Key: errors.process.attachment.file.not.processed"}; [schema] POST /messages "Important notice": a file not yet
# processed fails the send with 400 until it is.
ERR_NOT_READY = ("attachment.not.ready", "Key: errors.process.attachment.file.not.processed")
# Validation failures answer 400 with code "proto.payload" (the platform's examples of POST /answers and
# DELETE /messages errors, as reproduced in green-api.com/max-bot-api/docs: "callback_id: Callback identifier is
# invalid", "Invalid message_id: ..."). The message texts of the other checks are the fake's own wording.
PROTO = "proto.payload"
# ASSUMPTION: the documentation gives no body for 429; the MAX client knows the key "too.many.requests".
ERR_RATE = ("too.many.requests", "Too many requests")
# [schema] 503: service unavailable.
ERR_UNAVAILABLE = ("service.unavailable", "Service unavailable")

_MID_RE = re.compile(r"^(?:mid\.)?[a-zA-Z0-9_\-]+$")  # [schema] GET /messages/{messageId} pattern
_TAG_RE = re.compile(r"<[^>]*>")
_MARKDOWN_RE = re.compile(r"\*\*|__|~~|\+\+|\^\^|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_MD_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")


# --------------------------------------------------------------------------------------------------------------
# Public data
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Button:
    type: str
    text: str
    payload: str | None = None
    url: str | None = None


@dataclass
class SentMessage:
    """A bot message in a dialog, as the user would see it now (or as it was at an event, for snapshots)."""

    mid: str
    seq: int
    chat_id: int
    user_id: int
    text: str | None
    format: str | None
    raw_text: str | None
    buttons: list[list[Button]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)  # the file/image/video/audio attachments
    notify: bool = True
    edited: bool = False
    deleted: bool = False
    timestamp: int = 0

    def button_texts(self) -> list[str]:
        return [button.text for row in self.buttons for button in row]

    def button_payloads(self) -> list[str]:
        return [button.payload for row in self.buttons for button in row if button.payload is not None]

    def snapshot(self) -> SentMessage:
        return replace(self, buttons=[list(row) for row in self.buttons], files=list(self.files))

    def describe(self) -> str:
        state = "deleted" if self.deleted else "edited" if self.edited else "new"
        body = self.text
        if self.files:
            names = ", ".join(f"{f['type']} {f.get('filename') or ''}".strip() for f in self.files)
            body = f"[{names}] {self.text or ''}"
        shown = body if body is None or len(body) <= 160 else body[:157] + "..."
        buttons = f" buttons={self.button_texts()}" if self.buttons else ""
        return f"{self.mid} ({state}) {shown!r}{buttons}"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *, injected: bool = False) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.injected = injected  # the test asked for it (flood(), fail_server()): never a product error


@dataclass
class ApiErrorRecord:
    """One error answer of the fake, with what an errors guard needs to judge and report it."""

    method: str  # "POST /messages"
    status: int
    code: str
    message: str
    chat_id: int | None
    injected: bool
    text: str | None = None

    @property
    def description(self) -> str:
        return f"{self.code}: {self.message}"

    def describe(self) -> str:
        chat = f" (chat {self.chat_id})" if self.chat_id is not None else ""
        text = ""
        if self.text:
            text = f", text {self.text if len(self.text) <= 80 else self.text[:77] + '...'!r}"
        return f"{self.method} -> {self.status} {self.description}{chat}{text}"


@dataclass
class _ErrorExpectation:
    status: int
    contains: str
    method: str | None
    required: bool
    seen: int = 0

    def matches(self, error: ApiErrorRecord) -> bool:
        return (
            error.status == self.status
            and self.contains in error.description
            and (self.method is None or error.method == self.method)
        )

    def describe(self) -> str:
        method = f" from {self.method}" if self.method else ""
        return f"{self.status} containing {self.contains!r}{method}"


@dataclass
class _Injection:
    remaining: int
    chat_id: int | None


@dataclass
class _Upload:
    upload_id: str
    type: str
    token: str  # the attachment token the upload will have
    content: bytes | None = None
    filename: str | None = None
    content_type: str | None = None
    not_ready_answered: bool = False  # `attachment.not.ready` is answered once per upload, then it is ready


@dataclass
class UserMessage:
    """What a user did in a dialog, as the user's side of the chat shows it: a message (`mid`, its text and
    attachments, as the platform delivered them to the bot) or a press of «Начать» (`started`, with the link's
    payload). `seq` orders it among the bot's messages."""

    seq: int
    timestamp: int
    mid: str | None
    text: str = ""
    attachments: list[dict[str, Any]] = field(default_factory=list)
    started: bool = False
    payload: str | None = None


@dataclass
class _Callback:
    callback_id: str
    user_id: int
    chat_id: int
    mid: str
    payload: str
    answers: list[dict[str, Any]] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------------------
# The user side
# --------------------------------------------------------------------------------------------------------------


class FakeMaxUser:
    """A MAX user in a dialog with the bot. Unlike Telegram, the dialog's chat_id differs from the user_id."""

    def __init__(self, fake: FakeMax, user_id: int, name: str, chat_id: int, locale: str) -> None:
        self._fake = fake
        self.id = user_id
        self.name = name
        self.chat_id = chat_id
        self.locale = locale
        self.started = False
        self.stopped = False
        self._cursor = 0
        self._callback_ids: list[str] = []
        self._background: list[str] = []

    def __repr__(self) -> str:
        return f"FakeMaxUser(id={self.id}, name={self.name!r}, chat_id={self.chat_id})"

    def to_json(self) -> dict[str, Any]:
        first, _, last = self.name.partition(" ")
        # [schema] User: user_id, first_name, last_name, username, is_bot, last_activity_time (all required).
        return {
            "user_id": self.id,
            "first_name": first,
            "last_name": last or None,
            "username": None,
            "is_bot": False,
            "last_activity_time": self._fake._ms(),
            "name": self.name,
        }

    async def start(self, payload: str | None = None) -> None:
        """Press «Start» (or open ``https://max.ru/<bot>?start=<payload>``): a ``bot_started`` update."""
        self._fake._bot_started(self, payload)

    async def stop_bot(self) -> None:
        """Stop the bot: a ``bot_stopped`` update; the bot can no longer write to this dialog."""
        self._fake._bot_stopped(self)

    async def send(self, text: str) -> str:
        """Send a text to the bot; returns the message's mid."""
        return self._fake._user_message(self, text)

    async def click(self, label: str, message: SentMessage | None = None) -> str:
        """Press a callback button by its label (exact, else prefix) on ``message`` or the newest message that has
        it; returns the callback_id the bot must answer."""
        fake = self._fake
        if message is not None:
            current = fake._messages.get(message.mid)
            if current is None or current.chat_id != self.chat_id:
                raise AssertionError(f"{message.mid} is not a bot message in chat {self.chat_id}")
            if current.deleted:
                raise AssertionError(f"{message.mid} in chat {self.chat_id} was deleted")
            candidates = [current]
        else:
            candidates = [m for m in reversed(fake.messages(self.chat_id)) if not m.deleted and m.buttons]
        found: tuple[SentMessage, Button] | None = None
        for matches in (lambda b: b.text == label, lambda b: b.text.startswith(label)):
            found = next(((m, b) for m in candidates for row in m.buttons for b in row if matches(b)), None)
            if found is not None:
                break
        if found is None:
            available = "\n".join(f"  {m.mid}: {m.button_texts()}" for m in candidates[:5]) or "  (none)"
            raise AssertionError(f"No button {label!r} in chat {self.chat_id}; available:\n{available}")
        target, button = found
        if button.type != "callback" or button.payload is None:
            raise AssertionError(f"Button {button.text!r} is a {button.type} button, not a callback ({button.url!r})")
        return fake._queue_callback(self, target, button.payload)

    def replies(self) -> list[SentMessage]:
        return self._fake.messages(self.chat_id)

    def last(self) -> SentMessage:
        """The newest bot message in this dialog that is not deleted."""
        for message in reversed(self._fake.messages(self.chat_id)):
            if not message.deleted:
                return message
        raise AssertionError(f"The bot has no messages in chat {self.chat_id}")

    def callback_answers(self) -> list[dict[str, Any]]:
        """Every answer the bot gave to this user's presses, in order (``notification`` and/or ``message``)."""
        return [answer for cid in self._callback_ids for answer in self._fake._callbacks[cid].answers]

    def notifications(self) -> list[str]:
        return [a["notification"] for a in self.callback_answers() if a.get("notification")]

    def pass_over(self, *fragments: str) -> None:
        """Messages containing any of ``fragments`` come on their own schedule: a strict ``expect`` passes over
        them instead of failing."""
        self._background.extend(fragments)

    def drain(self) -> list[SentMessage]:
        events = self._fake._events.get(self.chat_id, [])
        pending = events[self._cursor :]
        self._cursor = len(events)
        return pending

    async def next_reply(self, timeout: float = 5.0) -> SentMessage:  # noqa: ASYNC109
        """The next bot event in this dialog (a new message or an edit, as the message then was)."""
        fake = self._fake
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            events = fake._events.get(self.chat_id, [])
            if self._cursor < len(events):
                self._cursor += 1
                return events[self._cursor - 1]
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"No new bot message in chat {self.chat_id} within {timeout}s.\n{self._context(events[-5:])}"
                )
            await fake._wait_signal(fake._event_signal, remaining)

    async def expect(
        self,
        contains: str,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        eventually: bool = False,
    ) -> SentMessage:
        """The next bot message in this dialog, which must contain ``contains``; strict about new messages (one
        that does not match arriving first fails), passing over edits; ``eventually=True`` passes over anything."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        skipped: list[SentMessage] = []
        while True:
            remaining = deadline - loop.time()
            try:
                event = await self.next_reply(timeout=max(remaining, 0.0))
            except AssertionError:
                raise AssertionError(
                    f"No bot message containing {contains!r} in chat {self.chat_id} within {timeout}s.\n"
                    f"{self._context(skipped, header='Came instead')}"
                ) from None
            if contains in (event.text or ""):
                return event
            skipped.append(event)
            background = any(fragment in (event.text or "") for fragment in self._background)
            if not eventually and not event.edited and not background:
                raise AssertionError(
                    f"Expected the next bot message in chat {self.chat_id} to contain {contains!r}, but another "
                    f"came first.\n{self._context(skipped, header='Came first')}"
                )

    async def send_file(
        self, name: str, content: bytes = b"%PDF-1.4 fake", mime: str = "application/pdf", *, caption: str = ""
    ) -> str:
        """Send a file to the bot (an image when ``mime`` is an image's): the platform keeps it as an upload whose
        token the bot can send on; returns the message's mid."""
        return self._fake._user_file(self, name, content, mime, caption)

    async def send_sticker(self, code: str = "3b8b1b8c") -> str:
        """Send a sticker: an attachment with no file the bot could keep."""
        return self._fake._user_sticker(self, code)

    async def click_payload(self, payload: str, message: SentMessage) -> str:
        """Press a button with ``payload`` on ``message`` whatever its buttons now are (an old button an edit has
        since taken away, as a client that shows the old keyboard sends it); returns the callback_id."""
        target = self._fake._messages.get(message.mid)
        if target is None or target.chat_id != self.chat_id:
            raise AssertionError(f"{message.mid} is not a bot message in chat {self.chat_id}")
        return self._fake._queue_callback(self, target, payload)

    def answers_to(self, callback_id: str) -> list[dict[str, Any]]:
        """The answers the bot gave to one press (exactly one is due)."""
        return list(self._fake._callbacks[callback_id].answers)

    def _context(self, events: list[SentMessage], header: str = "Last events") -> str:
        lines = [f"{header}:"] + [f"  {event.describe()}" for event in events]
        if not events:
            lines.append("  (none)")
        errors = [e for e in self._fake.error_log if e.method != "GET /updates"][-5:]
        if errors:
            lines.append("Recent API errors:")
            lines.extend(f"  {e.describe()}" for e in errors)
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------------------------


class FakeMax:
    """A strict in-process MAX Bot API server: dialogs, updates by long polling, callbacks, uploads, rate limits.

    ``rate_limit_global`` (requests per sliding second, all methods), ``chat_messages_per_second`` (POST /messages
    into one chat) and ``chat_answers_per_second`` (POST /answers in one chat) default to the documented figures;
    pass ``None`` to switch one off (tests that type faster than people do switch the per-chat ones off).
    ``updates_per_second`` limits GET /updates; off by default, as its figure (2 RPS since 11.05.2026) is quoted
    only by maxapi's docstring and could not be read on the platform's page here.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_id: int = 229229229,
        bot_username: str = "nastavnik_test_bot",
        bot_name: str = "Наставник",
        rate_limit_global: int | None = GLOBAL_RPS,
        chat_messages_per_second: int | None = CHAT_MESSAGES_PER_SECOND,
        chat_answers_per_second: int | None = CHAT_ANSWERS_PER_SECOND,
        updates_per_second: int | None = None,
        allow_repeat_answers: bool = False,
        markerless_poll_gets_last_only: bool = True,
        transcript: Transcript | None = None,
    ) -> None:
        self.token = token
        # Every API call the bot makes, with its result (the sandbox's transcript panel); None: not kept.
        self.transcript = transcript
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.rate_limit_global = rate_limit_global
        self.chat_messages_per_second = chat_messages_per_second
        self.chat_answers_per_second = chat_answers_per_second
        self.updates_per_second = updates_per_second
        # ASSUMPTION: the documentation does not say whether a callback may be answered twice; strict by default
        # (a second answer is refused like an unknown callback_id).
        self.allow_repeat_answers = allow_repeat_answers
        # The current page of GET /updates and its older version disagree on a poll without `marker`: see
        # _get_updates. True follows the current page.
        self.markerless_poll_gets_last_only = markerless_poll_gets_last_only

        self.requests: list[tuple[str, dict[str, Any], Any]] = []  # (method, query, json body)
        self.errors: list[tuple[str, int, str]] = []  # (method, status, "code: message")
        self.error_log: list[ApiErrorRecord] = []
        self._error_expectations: list[_ErrorExpectation] = []

        self._users: dict[int, FakeMaxUser] = {}
        self._users_by_chat: dict[int, FakeMaxUser] = {}
        self._chat_ids = itertools.count(182_000_001)
        self._messages: dict[str, SentMessage] = {}
        self._user_mids: set[str] = set()
        self._user_messages: dict[int, list[UserMessage]] = {}  # chat id -> what the user sent, in order
        self._bot_messages: dict[int, list[SentMessage]] = {}
        self._events: dict[int, list[SentMessage]] = {}
        self._event_signal = asyncio.Event()
        # Told the chat id of every change a user would see (the sandbox's page follows them).
        self.listeners: list[Callable[[int], None]] = []
        self._seq = itertools.count(116_328_147_937_082_782)
        self._callbacks: dict[str, _Callback] = {}
        self._uploads: dict[str, _Upload] = {}
        self._uploads_by_token: dict[str, _Upload] = {}
        self.skipped_updates: list[dict[str, Any]] = []
        self.webhooks: dict[str, str] = {}  # url -> secret
        self.commands: list[dict[str, Any]] = []

        self._updates: deque[tuple[int, dict[str, Any]]] = deque()
        self._next_marker = 25_493_970
        self._update_signal = asyncio.Event()

        self._floods: list[_Injection] = []
        self._server_failures: list[_Injection] = []
        self._windows: dict[tuple[str, int], deque[float]] = {}
        self._clock_offset = 0.0

        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._stopping = False

    # ---- lifecycle -------------------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/upload/{upload_id}", self._handle_upload)
        app.router.add_get("/files/{token}", self._handle_file)
        app.router.add_route("*", "/{path:.*}", self._handle_api)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]
        self._stopping = False

    async def stop(self) -> None:
        self._stopping = True
        self._notify_updates()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeMax:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeMax is not started")
        return f"http://127.0.0.1:{self._port}"

    # ---- users and failure injection -------------------------------------------------------------------------

    def user(self, user_id: int, name: str = "Тест Тестов", *, locale: str = "ru") -> FakeMaxUser:
        existing = self._users.get(user_id)
        if existing is not None:
            return existing
        created = FakeMaxUser(self, user_id, name, next(self._chat_ids), locale)
        self._users[user_id] = created
        self._users_by_chat[created.chat_id] = created
        return created

    def flood(self, count: int = 1, chat_id: int | None = None) -> None:
        """The next ``count`` requests (about ``chat_id``, if given) answer 429."""
        self._floods.append(_Injection(count, chat_id))

    def fail_server(self, count: int = 1, chat_id: int | None = None) -> None:
        """The next ``count`` requests (about ``chat_id``, if given) answer 503."""
        self._server_failures.append(_Injection(count, chat_id))

    def advance_clock(self, seconds: float) -> None:
        """Move the fake's clock forward (timestamps, rate-limit windows)."""
        self._clock_offset += seconds

    def now(self) -> float:
        return time.time() + self._clock_offset

    # ---- inspection ------------------------------------------------------------------------------------------

    def calls(self, method: str) -> list[tuple[dict[str, Any], Any]]:
        """The (query, body) of every request of ``method`` ("POST /messages"), refused ones included."""
        return [(query, body) for name, query, body in self.requests if name == method]

    def messages(self, chat_id: int) -> list[SentMessage]:
        return list(self._bot_messages.get(chat_id, []))

    def all_messages(self) -> list[SentMessage]:
        return [message for messages in self._bot_messages.values() for message in messages]

    def user_messages(self, chat_id: int) -> list[UserMessage]:
        """What the user of dialog `chat_id` sent (and each «Начать»), oldest first."""
        return list(self._user_messages.get(chat_id, []))

    def upload_content(self, token: str) -> bytes | None:
        upload = self._uploads_by_token.get(token)
        return upload.content if upload is not None else None

    def expect_error(self, status: int, contains: str = "", *, method: str | None = None) -> None:
        """Declare an error answer this test provokes on purpose: it must happen at least once, may repeat."""
        self._error_expectations.append(_ErrorExpectation(status, contains, method, required=True))

    def allow_error(self, status: int, contains: str = "", *, method: str | None = None) -> None:
        """Tolerate an error answer that may or may not happen (timing), without requiring it."""
        self._error_expectations.append(_ErrorExpectation(status, contains, method, required=False))

    def unexpected_errors(self) -> list[ApiErrorRecord]:
        """Error answers nobody declared (GET /updates and injected failures are never counted)."""
        for expectation in self._error_expectations:
            expectation.seen = 0
        unexpected = []
        for error in self.error_log:
            if error.method == "GET /updates" or error.injected:
                continue
            expectation = next((e for e in self._error_expectations if e.matches(error)), None)
            if expectation is None:
                unexpected.append(error)
            else:
                expectation.seen += 1
        return unexpected

    def unmet_expectations(self) -> list[str]:
        """Errors declared with ``expect_error`` that never happened (call after ``unexpected_errors``)."""
        return [e.describe() for e in self._error_expectations if e.required and e.seen == 0]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() >= deadline:
                recent = [f"  {e.describe()}" for e in self.error_log[-5:]]
                calls = [f"  {method}" for method, _, _ in self.requests[-10:] if method != "GET /updates"]
                raise AssertionError(
                    f"Condition {getattr(predicate, '__name__', predicate)!r} still false after {timeout}s.\n"
                    "Recent calls:\n" + ("\n".join(calls) or "  (none)") + "\n"
                    "Recent errors:\n" + ("\n".join(recent) or "  (none)")
                )
            await asyncio.sleep(0.01)

    # ---- HTTP ------------------------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        route = "/messages/{id}" if path.startswith("/messages/") else path
        method = f"{request.method} {route}"
        query = dict(request.query)
        body: Any = None
        try:
            if request.can_read_body:
                try:
                    body = await request.json()
                except ValueError:
                    self.requests.append((method, query, None))
                    raise ApiError(400, PROTO, "Invalid JSON in request body") from None
            self.requests.append((method, query, body))
            self._authorize(request)
            handler = self._route(request.method, route)
            chat_id = self._chat_of(query)
            self._gate(chat_id)
            self._count(("global", 0), self.rate_limit_global)
            result = handler(query, body, path)
            if asyncio.iscoroutine(result):
                result = await result
            if route != "/updates" or result.get("updates"):  # an empty long poll is not worth a line
                self._transcribe(method, query, body, result=result)
        except ApiError as error:
            return self._error_response(method, error, query, body)
        except Exception as error:  # a bug in the fake must surface as a readable API error, not a hang
            failure = ApiError(500, "internal.error", f"fake failed: {error!r}")
            return self._error_response(method, failure, query, body)
        return web.json_response(result)

    def _authorize(self, request: web.Request) -> None:
        # [docs] index ("Авторизация") and every method page: "Передача токена через query-параметры больше не
        # поддерживается — используйте заголовок Authorization: <token>". The bare token, no "Bearer" scheme; a
        # token in `access_token` authenticates nothing.
        if request.headers.get("Authorization") != self.token:
            raise ApiError(401, *ERR_TOKEN)

    def _route(self, verb: str, route: str) -> Callable[[dict[str, Any], Any, str], Any]:
        table: dict[tuple[str, str], Callable[[dict[str, Any], Any, str], Any]] = {
            ("GET", "/me"): self._get_me,
            ("GET", "/updates"): self._get_updates,
            ("GET", "/chats"): self._get_chats,
            ("GET", "/subscriptions"): self._get_subscriptions,
            ("POST", "/subscriptions"): self._subscribe,
            ("DELETE", "/subscriptions"): self._unsubscribe,
            ("PATCH", "/me/commands"): self._set_commands,
            ("POST", "/messages"): self._send_message,
            ("PUT", "/messages"): self._edit_message,
            ("DELETE", "/messages"): self._delete_message,
            ("GET", "/messages/{id}"): self._get_message,
            ("POST", "/answers"): self._answer,
            ("POST", "/uploads"): self._get_upload_url,
        }
        handler = table.get((verb, route))
        if handler is None:
            if any(path == route for _, path in table):
                # [schema] 405: method is not allowed.
                raise ApiError(405, "method.not.allowed", f"Method {verb} is not allowed for {route}")
            raise ApiError(404, "not.found", f"Path {route} is not found")
        return handler

    def _error_response(self, method: str, error: ApiError, query: dict[str, Any], body: Any) -> web.Response:
        self.errors.append((method, error.status, f"{error.code}: {error.message}"))
        self._transcribe(method, query, body, error=error)
        text = body.get("text") if isinstance(body, dict) else None
        self.error_log.append(
            ApiErrorRecord(
                method,
                error.status,
                error.code,
                error.message,
                self._chat_of(query),
                error.injected,
                text if isinstance(text, str) else None,
            )
        )
        return web.json_response({"code": error.code, "message": error.message}, status=error.status)

    # ---- the transcript -------------------------------------------------------------------------------------

    def _transcribe(
        self, method: str, query: dict[str, Any], body: Any, *, result: Any = None, error: ApiError | None = None
    ) -> None:
        if self.transcript is None:
            return
        try:
            summary = self._summary(method, query, body, result)
        except Exception as failure:  # a summary must never break the answer
            summary = f"{method} ({failure!r})"
        self.transcript.record(
            "max",
            method,
            summary,
            time=self.now(),
            ok=error is None,
            status=200 if error is None else error.status,
            error=None if error is None else f"{error.code}: {error.message}",
        )

    def _chat_label(self, query: dict[str, Any]) -> str:
        chat_id = self._chat_of(query)
        user = self._users_by_chat.get(chat_id) if chat_id is not None else None
        if user is not None:
            return user.name
        return str(chat_id) if chat_id is not None else ""

    def _attachments_label(self, body: Any) -> str:
        attachments = body.get("attachments") if isinstance(body, dict) else None
        if not isinstance(attachments, list):
            return ""
        parts: list[str] = []
        for attachment in attachments:
            if not isinstance(attachment, dict):
                continue
            kind = attachment.get("type")
            if kind == "inline_keyboard":
                rows = (attachment.get("payload") or {}).get("buttons") or []
                parts.append(buttons_note(sum(len(row) for row in rows if isinstance(row, list))))
            elif kind in UPLOAD_TYPES:
                token = (attachment.get("payload") or {}).get("token")
                upload = self._uploads_by_token.get(token) if isinstance(token, str) else None
                if upload is not None and upload.content is not None:
                    name = upload.filename if kind == "file" and upload.filename else kind
                    parts.append(f"[{name} ({size_label(len(upload.content))})]")
                else:
                    parts.append(f"[{kind}]")
        return join(*parts)

    def _summary(self, method: str, query: dict[str, Any], body: Any, result: Any) -> str:
        """One line of what the call asked for: `POST /messages → Маша: «Здравствуйте!…» [3 кнопки]`."""
        chat = self._chat_label(query)
        target = f"{method} → {chat}:" if chat else f"{method}:"
        text = body.get("text") if isinstance(body, dict) else None
        html_format = isinstance(body, dict) and body.get("format") == "html"
        if method == "POST /messages":
            return join(target, quote(text, markup=html_format), self._attachments_label(body))
        if method in ("PUT /messages", "DELETE /messages"):
            mid = str(query.get("message_id") or "")
            head = f"{method} {mid[-8:]}" + (f" → {chat}" if chat else "")
            return join(head, quote(text, markup=html_format), self._attachments_label(body))
        if method == "POST /answers":
            notification = body.get("notification") if isinstance(body, dict) else None
            message = body.get("message") if isinstance(body, dict) else None
            edit = "+ правка сообщения" if message is not None else ""
            return join(f"{method}:", quote(notification) or "(без уведомления)", edit)
        if method == "GET /updates":
            updates = result.get("updates") or [] if isinstance(result, dict) else []
            kinds = ", ".join(sorted({str(u.get("update_type")) for u in updates}))
            return f"{method}: {plural(len(updates), 'обновление', 'обновления', 'обновлений')} ({kinds})"
        if method == "POST /uploads":
            return f"{method}: {query.get('type', '?')}"
        if method in ("upload", "download"):
            upload = result.get("upload") if isinstance(result, dict) else None
            if isinstance(upload, _Upload) and upload.content is not None:
                return f"{method}: {upload.filename or upload.type} ({size_label(len(upload.content))})"
            return f"{method}: файл не найден"
        if method == "PATCH /me/commands":
            commands = body.get("commands") if isinstance(body, dict) else None
            count = len(commands) if isinstance(commands, list) else 0
            return f"{method}: {plural(count, 'команда', 'команды', 'команд')}"
        return target.removesuffix(":")

    async def _handle_upload(self, request: web.Request) -> web.Response:
        """The upload URL POST /uploads hands out (on the platform, another host: no Authorization there).

        [schema] POST /uploads: a multipart upload (`Content-Type: multipart/form-data`, one file, field `data`);
        the answer for an image is `PhotoTokens` ({"photos": {<id>: {"token": ...}}}), for a file `UploadedInfo`
        ({"token": ...}; [docs] adds `fileId`), for video/audio the token came with POST /uploads and the upload
        answers `<retval>1</retval>` (stabs/upload.video.response.xml).
        """
        upload = self._uploads.get(request.match_info["upload_id"])
        if upload is None:
            return web.json_response({"code": "not.found", "message": "Upload URL is not valid"}, status=404)
        if request.method != "POST":
            return web.json_response({"code": "method.not.allowed", "message": "POST the file"}, status=405)
        if upload.content is not None:
            # [docs] methods/POST/uploads: one file per URL; "если вы хотите загрузить ещё, отправьте повторно
            # запрос POST /uploads".
            return web.json_response({"code": PROTO, "message": "This upload URL was already used"}, status=400)
        if not request.content_type.startswith("multipart/"):
            # ASSUMPTION: resumable (Content-Range) uploads are not modelled; only the single multipart request.
            return web.json_response({"code": PROTO, "message": "Send the file as multipart/form-data"}, status=400)
        form = await request.post()
        data = form.get("data")
        if not isinstance(data, web.FileField):
            return web.json_response({"code": PROTO, "message": "No file in field 'data'"}, status=400)
        upload.content = data.file.read()
        upload.filename = data.filename
        upload.content_type = data.content_type
        self._uploads_by_token[upload.token] = upload
        self._transcribe("upload", {}, None, result={"upload": upload})
        if upload.type == "image":
            return web.json_response({"photos": {secrets.token_urlsafe(16): {"token": upload.token}}})
        if upload.type == "file":
            return web.json_response({"fileId": int(upload.upload_id, 16) % 10**12, "token": upload.token})
        return web.Response(
            text='<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<retval>1</retval>',
            content_type="application/xml",
        )

    async def _handle_file(self, request: web.Request) -> web.Response:
        """Where an attachment's `payload.url` points: the uploaded bytes, as a CDN would serve them."""
        upload = self._uploads_by_token.get(request.match_info["token"])
        if upload is None or upload.content is None:
            self._transcribe("download", {}, None, error=ApiError(404, "not.found", "File is not found"))
            return web.json_response({"code": "not.found", "message": "File is not found"}, status=404)
        self._transcribe("download", {}, None, result={"upload": upload})
        return web.Response(body=upload.content, content_type=upload.content_type or "application/octet-stream")

    # ---- internal helpers ------------------------------------------------------------------------------------

    def _mono(self) -> float:
        return time.monotonic() + self._clock_offset

    def _ms(self) -> int:
        return int(self.now() * 1000)

    async def _wait_signal(self, signal: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(signal.wait(), seconds)

    def _notify_updates(self) -> None:
        self._update_signal.set()
        self._update_signal = asyncio.Event()

    def _queue_update(self, update: dict[str, Any]) -> None:
        self._updates.append((self._next_marker, update))
        self._next_marker += 1
        self._notify_updates()

    def _emit(self, sent: SentMessage) -> None:
        self._events.setdefault(sent.chat_id, []).append(sent.snapshot())
        self._event_signal.set()
        self._event_signal = asyncio.Event()
        self._changed(sent.chat_id)

    def _changed(self, chat_id: int) -> None:
        for listener in self.listeners:
            listener(chat_id)

    def _new_mid(self) -> str:
        return "mid." + secrets.token_hex(16)

    def _chat_of(self, query: dict[str, Any]) -> int | None:
        for key in ("chat_id", "user_id"):
            value = query.get(key)
            if value is not None:
                with contextlib.suppress(ValueError):
                    number = int(value)
                    if key == "user_id":
                        user = self._users.get(number)
                        return user.chat_id if user is not None else None
                    return number
        mid = query.get("message_id")
        if mid is not None and mid in self._messages:
            return self._messages[mid].chat_id
        callback = self._callbacks.get(query.get("callback_id", ""))
        return callback.chat_id if callback is not None else None

    def _take_injection(self, injections: list[_Injection], chat_id: int | None) -> bool:
        for injection in injections:
            if injection.remaining > 0 and (injection.chat_id is None or injection.chat_id == chat_id):
                injection.remaining -= 1
                return True
        return False

    def _gate(self, chat_id: int | None) -> None:
        if self._take_injection(self._server_failures, chat_id):
            raise ApiError(503, *ERR_UNAVAILABLE, injected=True)
        if self._take_injection(self._floods, chat_id):
            raise ApiError(429, *ERR_RATE, injected=True)

    def _count(self, key: tuple[str, int], limit: int | None) -> None:
        """At most ``limit`` accepted requests of ``key`` within any sliding second; a refused one is not counted."""
        if limit is None:
            return
        now = self._mono()
        window = self._windows.setdefault(key, deque())
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= limit:
            raise ApiError(429, *ERR_RATE)
        window.append(now)

    def _bot_user_json(self) -> dict[str, Any]:
        return {
            "user_id": self.bot_id,
            "first_name": self.bot_name,
            "last_name": None,
            "username": self.bot_username,
            "is_bot": True,
            "last_activity_time": self._ms(),
            "name": self.bot_name,
        }

    def _message_json(self, sent: SentMessage) -> dict[str, Any]:
        # [schema] Message: sender, recipient {chat_id, chat_type, user_id}, timestamp, body {mid, seq, text,
        # attachments}; stabs/update.message_callback.json shows a bot message in a dialog.
        attachments: list[dict[str, Any]] = [dict(f) for f in sent.files]
        if sent.buttons:
            attachments.append(
                {
                    "type": "inline_keyboard",
                    "payload": {
                        "buttons": [
                            [
                                {
                                    key: value
                                    for key, value in (
                                        ("type", b.type),
                                        ("text", b.text),
                                        ("payload", b.payload),
                                        ("url", b.url),
                                    )
                                    if value is not None
                                }
                                for b in row
                            ]
                            for row in sent.buttons
                        ]
                    },
                }
            )
        return {
            "sender": self._bot_user_json(),
            "recipient": {"chat_id": sent.chat_id, "chat_type": "dialog", "user_id": sent.user_id},
            "timestamp": sent.timestamp,
            "body": {"mid": sent.mid, "seq": sent.seq, "text": sent.text, "attachments": attachments or None},
        }

    def _user_for_send(self, query: dict[str, Any]) -> FakeMaxUser:
        """The dialog POST /messages addresses: exactly one of `user_id`, `chat_id` ([docs] methods/POST/messages)."""
        has_user, has_chat = "user_id" in query, "chat_id" in query
        if has_user == has_chat:
            raise ApiError(400, PROTO, "Pass exactly one of user_id and chat_id")
        key = "user_id" if has_user else "chat_id"
        try:
            number = int(query[key])
        except ValueError:
            raise ApiError(400, PROTO, f"{key}: must be an integer") from None
        user = self._users.get(number) if has_user else self._users_by_chat.get(number)
        if user is None:
            # ASSUMPTION: an id the platform does not know answers 404 (the schema's NotFound, an Error).
            raise ApiError(404, "chat.not.found", f"Chat {number} is not found")
        if not user.started or user.stopped:
            # ASSUMPTION: a bot writes only to dialogs a user started and did not stop ([schema] Chat.status
            # "suspended: bot was stopped by user").
            raise ApiError(403, "chat.denied", f"Dialog {user.chat_id} is not available to the bot")
        return user

    def _visible_text(self, text: str | None, fmt: str | None) -> str | None:
        if text is None:
            return None
        if fmt == "html":
            # [docs] docs/chatbots/bots-coding/formatting and use-cases/sending-messages/text-formatting, [schema]
            # "HTML support": only <i> <em> <b> <strong> <del> <s> <ins> <u> <a> <pre> <code> <mark> <blockquote>
            # <h1> are supported, "Все остальные будут удалены" — so unknown or unbalanced tags are not an error
            # (no 400 for "malformed" HTML, unlike Telegram). The fake shows the text with every tag removed.
            return html.unescape(_TAG_RE.sub("", text))
        if fmt == "markdown":
            return _MARKDOWN_RE.sub("", _MD_LINK_RE.sub(r"\1", text))
        return text

    def _parse_body(self, body: Any, *, editing: bool) -> dict[str, Any]:
        """Validate a NewMessageBody ([docs] objects/NewMessageBody, [schema] NewMessageBody)."""
        if not isinstance(body, dict):
            raise ApiError(400, PROTO, "Request body must be a NewMessageBody object")
        text = body.get("text")
        if text is not None and not isinstance(text, str):
            raise ApiError(400, PROTO, "text: must be a string")
        if text is not None and len(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, PROTO, f"text: size must be between 0 and {MAX_TEXT_LENGTH}")
        fmt = body.get("format")
        if fmt is not None and fmt not in ("markdown", "html"):  # [schema] TextFormat
            raise ApiError(400, PROTO, f"format: must be one of markdown, html, got {fmt!r}")
        notify = body.get("notify", True)
        if not isinstance(notify, bool):
            raise ApiError(400, PROTO, "notify: must be a boolean")
        link = body.get("link")
        if link is not None:
            # [schema] NewMessageLink {type: forward|reply (MessageLinkType), mid}, both required.
            if not isinstance(link, dict) or link.get("type") not in ("forward", "reply"):
                raise ApiError(400, PROTO, "link.type: must be one of forward, reply")
            if not isinstance(link.get("mid"), str) or (
                link["mid"] not in self._messages and link["mid"] not in self._user_mids
            ):
                raise ApiError(400, PROTO, f"link.mid: Invalid message_id: {link.get('mid')}")
        attachments = body.get("attachments")
        buttons: list[list[Button]] | None = None
        files: list[dict[str, Any]] | None = None
        if attachments is not None:
            if not isinstance(attachments, list):
                raise ApiError(400, PROTO, "attachments: must be an array")
            if len(attachments) > MAX_ATTACHMENTS:
                raise ApiError(400, PROTO, f"attachments: at most {MAX_ATTACHMENTS}")
            buttons, files = [], []
            keyboards = 0
            for attachment in attachments:
                if not isinstance(attachment, dict) or not isinstance(attachment.get("type"), str):
                    raise ApiError(400, PROTO, "attachments: every attachment needs a type")
                kind = attachment["type"]
                payload = attachment.get("payload")
                if kind == "inline_keyboard":
                    keyboards += 1
                    if keyboards > 1:  # [docs] objects/NewMessageBody: "одно вложение с кнопками"
                        raise ApiError(400, PROTO, "attachments: only one inline_keyboard per message")
                    buttons = _validate_keyboard(payload)
                elif kind in UPLOAD_TYPES:
                    files.append(self._resolve_media(kind, payload))
                else:
                    # ASSUMPTION: the other documented attachment kinds (sticker, contact, location, share,
                    # reply_keyboard) are not modelled: refused rather than silently accepted.
                    raise ApiError(400, PROTO, f"attachments: type {kind!r} is not supported by the fake")
        if not editing and not text and not files:
            raise ApiError(400, PROTO, "text: a message needs a text or an attachment")
        return {"text": text, "format": fmt, "notify": notify, "buttons": buttons, "files": files}

    def _resolve_media(self, kind: str, payload: Any) -> dict[str, Any]:
        token = payload.get("token") if isinstance(payload, dict) else None
        if kind == "image" and isinstance(payload, dict) and token is None and isinstance(payload.get("photos"), dict):
            photos = list(payload["photos"].values())
            token = photos[0].get("token") if photos and isinstance(photos[0], dict) else None
        if not isinstance(token, str) or not token:
            raise ApiError(400, PROTO, f"attachments: {kind} payload needs the token POST /uploads gave")
        upload = self._uploads_by_token.get(token)
        if upload is None:
            for candidate in self._uploads.values():  # video/audio: the token exists before the bytes arrive
                if candidate.token == token:
                    upload = candidate
        if upload is None or upload.type != kind:
            raise ApiError(400, PROTO, f"attachments: {kind} token is not valid")
        if upload.content is None or not upload.not_ready_answered:
            # [schema] POST /messages "Important notice" and [docs] methods/POST/uploads: a file is processed
            # after the upload, and until then a message with it fails with attachment.not.ready. The fake
            # answers it exactly once per upload, so a client must retry, and one retry is enough.
            upload.not_ready_answered = upload.content is not None
            raise ApiError(400, *ERR_NOT_READY)
        entry: dict[str, Any] = {"type": kind, "payload": {"token": token, "url": f"{self.base_url}/files/{token}"}}
        if kind == "file":
            entry["filename"] = upload.filename
            entry["size"] = len(upload.content)
        if kind == "image":
            entry["payload"]["photo_id"] = int(upload.upload_id, 16) % 10**12
        return entry

    def _store_message(self, user: FakeMaxUser, parsed: dict[str, Any]) -> SentMessage:
        sent = SentMessage(
            mid=self._new_mid(),
            seq=next(self._seq),
            chat_id=user.chat_id,
            user_id=user.id,
            text=self._visible_text(parsed["text"], parsed["format"]),
            format=parsed["format"],
            raw_text=parsed["text"],
            buttons=parsed["buttons"] or [],
            files=parsed["files"] or [],
            notify=parsed["notify"],
            timestamp=self._ms(),
        )
        self._messages[sent.mid] = sent
        self._bot_messages.setdefault(user.chat_id, []).append(sent)
        self._emit(sent)
        return sent

    def _apply_edit(self, sent: SentMessage, parsed: dict[str, Any]) -> None:
        if parsed["text"] is not None:
            sent.raw_text = parsed["text"]
            sent.format = parsed["format"]
            sent.text = self._visible_text(parsed["text"], parsed["format"])
        # [schema] PUT /messages: "In case attachments field is null, the current message attachments won't be
        # changed. In case of sending an empty list in this field, all attachments will be deleted."
        if parsed["buttons"] is not None:
            sent.buttons = parsed["buttons"]
            sent.files = parsed["files"] or []
        sent.edited = True
        self._emit(sent)

    def _existing_bot_message(self, mid: Any) -> SentMessage:
        if not isinstance(mid, str) or not mid or not _MID_RE.match(mid):
            raise ApiError(400, PROTO, f"Invalid message_id: {mid}")
        sent = self._messages.get(mid)
        if sent is None or sent.deleted:
            # Green-api's reproduction of the platform's DELETE /messages error: 400 proto.payload
            # "Invalid message_id: <id>"; the fake answers so for edits as well.
            raise ApiError(400, PROTO, f"Invalid message_id: {mid}")
        return sent

    # ---- user-side events ------------------------------------------------------------------------------------

    def _update_base(self, kind: str) -> dict[str, Any]:
        return {"update_type": kind, "timestamp": self._ms()}

    def _bot_started(self, user: FakeMaxUser, payload: str | None) -> None:
        user.started, user.stopped = True, False
        started = UserMessage(next(self._seq), self._ms(), None, started=True, payload=payload)
        self._user_messages.setdefault(user.chat_id, []).append(started)
        # [schema] BotStartedUpdate: chat_id, user, payload, user_locale; stabs/update.bot_started.json.
        update = self._update_base("bot_started") | {
            "chat_id": user.chat_id,
            "user": user.to_json(),
            "user_locale": user.locale,
        }
        if payload is not None and len(payload) <= MAX_START_PAYLOAD:
            update["payload"] = payload
        self._queue_update(update)
        self._changed(user.chat_id)

    def _bot_stopped(self, user: FakeMaxUser) -> None:
        user.stopped = True
        # [schema] BotStoppedUpdate; stabs/update.bot_stopped.json.
        self._queue_update(
            self._update_base("bot_stopped")
            | {"chat_id": user.chat_id, "user": user.to_json(), "user_locale": user.locale}
        )

    def _user_attachment_message(self, user: FakeMaxUser, attachments: list[dict[str, Any]], text: str) -> str:
        if user.stopped:
            raise AssertionError(f"{user!r} stopped the bot; start() it again before writing")
        user.started = True
        mid = self._new_mid()
        self._user_mids.add(mid)
        seq, timestamp = next(self._seq), self._ms()
        message = {
            "sender": user.to_json(),
            "recipient": {"chat_id": user.chat_id, "chat_type": "dialog", "user_id": self.bot_id},
            "timestamp": timestamp,
            "body": {"mid": mid, "seq": seq, "text": text, "attachments": attachments or None},
        }
        history = self._user_messages.setdefault(user.chat_id, [])
        history.append(UserMessage(seq, timestamp, mid, text, [dict(a) for a in attachments]))
        self._queue_update(self._update_base("message_created") | {"message": message, "user_locale": user.locale})
        self._changed(user.chat_id)
        return mid

    def _user_file(self, user: FakeMaxUser, name: str, content: bytes, mime: str, caption: str) -> str:
        # [schema] FileAttachment {type "file", payload: FileAttachmentPayload {url, token}, filename, size};
        # PhotoAttachment {type "image", payload: PhotoAttachmentPayload {photo_id, token, url}} (dev.max.ru
        # docs-api/objects/Message, body.attachments). The user's file is processed: the bot may send it on.
        kind = "image" if mime.startswith("image/") else "file"
        upload = _Upload(secrets.token_hex(8), kind, secrets.token_urlsafe(32), content, name, mime, True)
        self._uploads[upload.upload_id] = upload
        self._uploads_by_token[upload.token] = upload
        payload: dict[str, Any] = {"url": f"{self.base_url}/files/{upload.token}", "token": upload.token}
        attachment: dict[str, Any] = {"type": kind, "payload": payload}
        if kind == "file":
            attachment |= {"filename": name, "size": len(content)}
        else:
            payload["photo_id"] = int(upload.upload_id, 16) % 10**12
        return self._user_attachment_message(user, [attachment], caption)

    def _user_sticker(self, user: FakeMaxUser, code: str) -> str:
        # [schema] StickerAttachment {type "sticker", payload: StickerAttachmentPayload {url, code}, width, height}.
        sticker = {
            "type": "sticker",
            "payload": {"url": f"{self.base_url}/stickers/{code}.webp", "code": code},
            "width": 128,
            "height": 128,
        }
        return self._user_attachment_message(user, [sticker], "")

    def _user_message(self, user: FakeMaxUser, text: str) -> str:
        # [schema] MessageCreatedUpdate; stabs/update.message_created.json.
        return self._user_attachment_message(user, [], text)

    def _queue_callback(self, user: FakeMaxUser, target: SentMessage, payload: str) -> str:
        callback_id = secrets.token_urlsafe(48)
        self._callbacks[callback_id] = _Callback(callback_id, user.id, user.chat_id, target.mid, payload)
        user._callback_ids.append(callback_id)
        # [schema] MessageCallbackUpdate {callback {timestamp, callback_id, payload, user}, message, user_locale};
        # stabs/update.message_callback.json.
        update = self._update_base("message_callback") | {
            "callback": {
                "timestamp": self._ms(),
                "callback_id": callback_id,
                "payload": payload,
                "user": user.to_json(),
            },
            "message": self._message_json(target),
            "user_locale": user.locale,
        }
        self._queue_update(update)
        return callback_id

    # ---- methods ---------------------------------------------------------------------------------------------

    def _get_me(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        # [schema] GET /me -> BotInfo; stabs/botInfo.ok.json.
        return self._bot_user_json() | {"description": None, "commands": None}

    def _get_chats(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        # [schema] GET /chats: count 1..100 (default 50), marker; -> ChatList {chats, marker}.
        count = _int_query(query, "count", 50, 1, 100)
        marker = _int_query(query, "marker", 0, 0, 2**63 - 1)
        users = [u for u in self._users.values() if u.started]
        page = users[marker : marker + count]
        chats = [
            {
                "chat_id": u.chat_id,
                "type": "dialog",
                "status": "suspended" if u.stopped else "active",
                "title": None,
                "last_event_time": self._ms(),
                "participants_count": 2,
                "is_public": False,
                "dialog_with_user": u.to_json(),
            }
            for u in page
        ]
        next_marker = marker + count if marker + count < len(users) else None
        return {"chats": chats, "marker": next_marker}

    def _get_subscriptions(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        # [schema] GET /subscriptions -> {subscriptions: [Subscription {url, time, update_types, version}]}.
        return {"subscriptions": [{"url": url, "time": self._ms(), "update_types": None} for url in self.webhooks]}

    def _subscribe(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        # [docs] methods/POST/subscriptions: {url (HTTPS), update_types, secret (5..256 of A-Z a-z 0-9 _ -)}. The
        # fake records the subscription; it does not POST updates to it (a test posts them itself).
        if not isinstance(body, dict) or not str(body.get("url", "")).startswith("https://"):
            raise ApiError(400, PROTO, "url: must be an HTTPS URL")
        secret = body.get("secret")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{5,256}", str(secret)):
            raise ApiError(400, PROTO, "secret: 5 to 256 characters of A-Z, a-z, 0-9, _ and -")
        self.webhooks[str(body["url"])] = str(secret or "")
        return {"success": True}

    def _unsubscribe(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        self.webhooks.pop(str(query.get("url", "")), None)
        return {"success": True}

    def _set_commands(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        # [maxapi] methods/set_commands.py (dev.max.ru/docs-api/methods/PATCH/me/commands): {commands: [{name,
        # description}]}; ASSUMPTION: a name of 1..64 latin letters, digits and _, a description of at most 128.
        commands = body.get("commands") if isinstance(body, dict) else None
        if not isinstance(commands, list):
            raise ApiError(400, PROTO, "commands: must be a list")
        for command in commands:
            name = command.get("name") if isinstance(command, dict) else None
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]{1,64}", name):
                raise ApiError(400, PROTO, f"commands.name: invalid {name!r}")
            if len(str(command.get("description") or "")) > 128:
                raise ApiError(400, PROTO, f"commands.description of /{name}: over 128 characters")
        self.commands = [dict(c) for c in commands]
        return self._bot_user_json() | {"commands": self.commands}

    async def _get_updates(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        # [docs] methods/GET/updates, [schema] GET /updates: `marker` points to the next update; passing it
        # commits every earlier one. Without a marker, the current page (platform-api2, header-only tokens) says
        # "Если параметр marker не передан или передано значение null, вы получите только последнее обновление",
        # while its older version and [schema] said the bot gets every update since the last commitment. By
        # default the fake follows the current page: a backlog is reduced to its newest update (the others land in
        # `skipped_updates`); `markerless_poll_gets_last_only=False` gives the older behaviour.
        self._count(("updates", 0), self.updates_per_second)
        limit = _int_query(query, "limit", 100, *UPDATES_LIMIT_RANGE)
        timeout = _int_query(query, "timeout", 30, *UPDATES_TIMEOUT_RANGE)
        marker_text = query.get("marker")
        marker = None if marker_text in (None, "", "null") else _int_query(query, "marker", 0, 0, 2**63 - 1)
        types = None
        if query.get("types"):
            types = {t for t in query["types"].split(",") if t}
            unknown = types - _UPDATE_TYPES
            if unknown:
                raise ApiError(400, PROTO, f"types: unknown update types {sorted(unknown)}")
        if marker is not None:
            while self._updates and self._updates[0][0] < marker:
                self._updates.popleft()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(float(timeout), UPDATES_WAIT_CAP)
        while True:
            matching = [(n, u) for n, u in self._updates if types is None or u["update_type"] in types]
            if matching:
                break
            remaining = deadline - loop.time()
            if remaining <= 0 or self._stopping:
                next_marker = marker if marker is not None else self._next_marker
                return {"updates": [], "marker": next_marker}
            await self._wait_signal(self._update_signal, remaining)
        if marker is None and self.markerless_poll_gets_last_only:
            # Only the newest comes; what came before it is gone for good, as if committed.
            self.skipped_updates.extend(u for _, u in matching[:-1])
            matching = matching[-1:]
            while self._updates and self._updates[0][0] < matching[0][0]:
                self._updates.popleft()
        batch = matching[: min(limit, UPDATES_BATCH_CAP)]
        last = batch[-1][0]
        # Updates of other types in the batch's span are passed over for this poll: the marker moves beyond them.
        return {"updates": [u for _, u in batch], "marker": last + 1}

    def _send_message(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        user = self._user_for_send(query)
        parsed = self._parse_body(body, editing=False)
        self._count(("messages", user.chat_id), self.chat_messages_per_second)
        sent = self._store_message(user, parsed)
        # [schema] SendMessageResult {message}.
        return {"message": self._message_json(sent)}

    def _edit_message(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        # [docs] methods/PUT/messages; [schema] PUT /messages?message_id= with a NewMessageBody -> SimpleQueryResult.
        sent = self._existing_bot_message(query.get("message_id"))
        parsed = self._parse_body(body, editing=True)
        self._apply_edit(sent, parsed)
        return {"success": True}

    def _delete_message(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        # [docs] methods/DELETE/messages; [schema] DELETE /messages?message_id= -> SimpleQueryResult.
        # A deletion is not an event the user's `next_reply` sees (as in the Telegram fake): `SentMessage.deleted`.
        sent = self._existing_bot_message(query.get("message_id"))
        sent.deleted = True
        return {"success": True}

    def _get_message(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        # [schema] GET /messages/{messageId} -> Message; 404 "when message is not found or bot has no access".
        mid = path.removeprefix("/messages/")
        sent = self._messages.get(mid)
        if sent is None or sent.deleted:
            raise ApiError(404, "not.found", f"Message {mid} is not found")
        return self._message_json(sent)

    def _answer(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        # [docs] methods/POST/answers; [schema] POST /answers?callback_id= with a CallbackAnswer {message,
        # notification} -> SimpleQueryResult.
        callback_id = query.get("callback_id", "")
        callback = self._callbacks.get(callback_id)
        if not callback_id.strip() or callback is None or (callback.answers and not self.allow_repeat_answers):
            # The platform's answer to a callback_id it does not know (green-api's reproduction of POST /answers).
            raise ApiError(400, PROTO, "callback_id: Callback identifier is invalid")
        if not isinstance(body, dict):
            raise ApiError(400, PROTO, "Request body must be a CallbackAnswer object")
        message, notification = body.get("message"), body.get("notification")
        if notification is not None and not isinstance(notification, str):
            raise ApiError(400, PROTO, "notification: must be a string")
        if message is None and not notification:
            # The answer is "an updated message and/or a one-time notification" ([docs]); issue 15 records that
            # the platform answers 400 to an answer with neither.
            raise ApiError(400, PROTO, "Answer must contain message or notification")
        parsed = self._parse_body(message, editing=True) if message is not None else None
        self._count(("answers", callback.chat_id), self.chat_answers_per_second)
        if parsed is not None:
            target = self._messages.get(callback.mid)
            if target is not None and not target.deleted:
                self._apply_edit(target, parsed)
        answer: dict[str, Any] = {}
        if notification:
            answer["notification"] = notification
        if message is not None:
            answer["message"] = message
        callback.answers.append(answer)
        self._changed(callback.chat_id)
        return {"success": True}

    def _get_upload_url(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        # [docs] methods/POST/uploads; [schema] POST /uploads?type= -> UploadEndpoint {url, token (video/audio)}.
        kind = query.get("type")
        if kind not in UPLOAD_TYPES:
            raise ApiError(400, PROTO, f"type: must be one of {sorted(UPLOAD_TYPES)}, got {kind!r}")
        upload_id = secrets.token_hex(8)
        upload = _Upload(upload_id, kind, secrets.token_urlsafe(32))
        self._uploads[upload_id] = upload
        result: dict[str, Any] = {"url": f"{self.base_url}/upload/{upload_id}"}
        if kind in ("video", "audio"):
            result["token"] = upload.token
        return result


# --------------------------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------------------------


def _int_query(query: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    raw = query.get(key)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, PROTO, f"{key}: must be an integer") from None
    if not low <= value <= high:
        raise ApiError(400, PROTO, f"{key}: must be between {low} and {high}")
    return value


def _validate_keyboard(payload: Any) -> list[list[Button]]:
    """[docs] objects/NewMessageBody (inline_keyboard) and [schema] Button/CallbackButton/LinkButton."""
    rows = payload.get("buttons") if isinstance(payload, dict) else None
    if not isinstance(rows, list) or not rows:
        raise ApiError(400, PROTO, "inline_keyboard: payload.buttons must be a non-empty array of rows")
    if len(rows) > MAX_KEYBOARD_ROWS:
        raise ApiError(400, PROTO, f"inline_keyboard: at most {MAX_KEYBOARD_ROWS} rows")
    parsed: list[list[Button]] = []
    total = 0
    for row in rows:
        if not isinstance(row, list) or not row:
            raise ApiError(400, PROTO, "inline_keyboard: every row must be a non-empty array")
        wide = any(isinstance(b, dict) and b.get("type") in _WIDE_BUTTONS for b in row)
        limit = MAX_ROW_BUTTONS_WIDE if wide else MAX_ROW_BUTTONS
        if len(row) > limit:
            raise ApiError(400, PROTO, f"inline_keyboard: at most {limit} buttons in this row")
        total += len(row)
        out_row: list[Button] = []
        for button in row:
            if not isinstance(button, dict) or button.get("type") not in _BUTTON_TYPES:
                raise ApiError(400, PROTO, f"inline_keyboard: unknown button type in {button!r}")
            text = button.get("text")
            if not isinstance(text, str) or not 1 <= len(text) <= MAX_BUTTON_TEXT:
                raise ApiError(400, PROTO, f"button text: size must be between 1 and {MAX_BUTTON_TEXT}")
            kind = button["type"]
            if kind == "callback":
                data = button.get("payload")
                if not isinstance(data, str) or len(data) > MAX_BUTTON_PAYLOAD:
                    raise ApiError(400, PROTO, f"callback button payload: a string of at most {MAX_BUTTON_PAYLOAD}")
                if button.get("intent", "default") not in _INTENTS:
                    raise ApiError(400, PROTO, "callback button intent: positive, negative or default")
                out_row.append(Button(kind, text, payload=data))
            elif kind == "link":
                url = button.get("url")
                if not isinstance(url, str) or not url or len(url) > MAX_BUTTON_URL:
                    raise ApiError(400, PROTO, f"link button url: a string of 1 to {MAX_BUTTON_URL}")
                out_row.append(Button(kind, text, url=url))
            else:
                out_row.append(Button(kind, text))
        parsed.append(out_row)
    if total > MAX_KEYBOARD_BUTTONS:
        raise ApiError(400, PROTO, f"inline_keyboard: at most {MAX_KEYBOARD_BUTTONS} buttons")
    return parsed
