"""The MAX Bot API as the adapter uses it: maxapi's client (`maxapi.Bot`) with MAX's limits kept on our side.

MAX's limits (dev.max.ru/docs-api, quoted in bot/sandbox/max.py beside each rule):
- 30 requests per second in all: `RateWindow` counts every request of the process (replies, the outbox, polls);
- at most 2 messages and 2 callback answers per second in one dialog: a `ChatPacer` each, shared by the replies
  and the outbox sender;
- a text of at most 4,000 characters (maxapi itself refuses 4,000): longer texts go as several messages, split at
  line ends, the buttons under the last;
- at most 7 buttons in a row (3 when the row holds a link), 30 rows, button texts of at most 128 characters;
- a file is uploaded first (`POST /uploads`) and a message with it may be refused with `attachment.not.ready`
  until the platform has processed it: tried again with a growing pause.

maxapi's own retries are off (its `after_upload_attempts=1`, `max_retries=0`): the outbox decides what a
failure means and when to try again, and the pauses here go through an injectable `sleep`.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any

import maxapi
from aiohttp import FormData
from maxapi.client.default import DefaultConnectionProperties
from maxapi.enums.upload_type import UploadType
from maxapi.exceptions.max import InvalidToken, MaxApiError, MaxConnection
from maxapi.types.attachments.buttons import CallbackButton, LinkButton
from maxapi.types.attachments.upload import AttachmentPayload, AttachmentUpload
from maxapi.types.input_media import InputMediaBuffer
from maxapi.types.updates.message_callback import MessageForCallback
from maxapi.utils.inline_keyboard import InlineKeyboardBuilder

from bot.flows.screens import Button, FileOut
from bot.pacing import ChatPacer

TEXT_LIMIT = 4000
PIECE = 3900  # a split text's pieces, with room to spare under maxapi's own check (len < 4000)
ROW_BUTTONS = 7
ROW_BUTTONS_WITH_LINK = 3
MAX_ROWS = 30
BUTTON_TEXT = 128
TOTAL_RATE = 30.0
CHAT_RATE = 2.0
#: Pauses before sending a message with a just uploaded file again (`attachment.not.ready`).
NOT_READY_PAUSES = (0.5, 1.0, 2.0, 4.0, 8.0)
#: A 429 though the bot kept MAX's pace (the platform's own judgement, or a bot restarted within the second): a
#: message or an answer is tried once more after this pause (MAX sends no Retry-After); a second 429 is the
#: caller's (the outbox puts the notice off, a reply is lost with the apology).
PAUSE_AFTER_429 = 1.0
#: Files a person sent are kept by MAX's token: `FileIn.file_ref` is "max:<type>:<token>".
REF_PREFIX = "max:"

# maxapi's requests go through `backoff`, which logs an ERROR when it gives up after its one try (its retries are
# off here): a 5xx or a dropped connection is the caller's to judge (the outbox backs off, polling pauses), so the
# library's line would only report as an error what is handled.
logging.getLogger("backoff").setLevel(logging.CRITICAL)

Rows = Sequence[Sequence[Button]]


class _Bot(maxapi.Bot):
    async def upload_file_buffer(self, filename: str, url: str, buffer: bytes, type: UploadType) -> str:
        """The file under its own name: maxapi's appends the extension its sniffing of the bytes guesses (an XLSX
        arrived as «….xlsx.docx», a zip read as a Word document)."""
        form = FormData(quote_fields=False)
        mime = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        form.add_field(name="data", value=buffer, filename=filename, content_type=mime)
        session = await self.ensure_session()
        async with session.post(url=url, data=form) as response:
            return await self._read_upload_response(response)


class MaxError(Exception):
    """A request MAX refused or could not answer: the HTTP status (0: no answer) and MAX's error code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def _error(exc: MaxApiError | MaxConnection) -> MaxError:
    if isinstance(exc, MaxConnection):
        return MaxError(0, "connection", str(exc))
    raw = exc.raw if isinstance(exc.raw, dict) else {"message": str(exc.raw)}
    return MaxError(exc.code, str(raw.get("code", "")), str(raw.get("message", "")))


class RateWindow:
    """At most `rate` requests within any second, counted from when each answer came back (a request can never
    reach the server earlier than that), requests in flight included."""

    def __init__(self, rate: float = TOTAL_RATE, *, now: Callable[[], float] = time.monotonic) -> None:
        self._limit = max(1, int(rate))
        self._now = now
        self._done: deque[float] = deque()
        self._in_flight = 0
        self._changed = asyncio.Condition()

    def _busy(self) -> float:
        """Seconds until a request may start (0: now)."""
        now = self._now()
        while self._done and now - self._done[0] >= 1.0:
            self._done.popleft()
        if self._in_flight + len(self._done) < self._limit:
            return 0.0
        return 1.0 - (now - self._done[0]) if self._done else 0.01

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._changed:
            while (wait := self._busy()) > 0:
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), wait)
            self._in_flight += 1
        try:
            yield
        finally:
            async with self._changed:
                self._in_flight -= 1
                self._done.append(self._now())
                self._changed.notify_all()


@dataclass(frozen=True)
class Sent:
    mid: str


def split_text(text: str, limit: int = PIECE) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at line ends where it can be (a line longer than
    the limit is cut where it must)."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def _label(text: str) -> str:
    return text if len(text) <= BUTTON_TEXT else text[: BUTTON_TEXT - 1] + "…"


def keyboard(rows: Rows) -> list[Any]:
    """A screen's buttons as MAX's inline keyboard attachment (none for no buttons): a row wider than MAX
    allows is laid out over several rows."""
    laid: list[list[Button]] = []
    for row in rows:
        width = ROW_BUTTONS_WITH_LINK if any(b.url is not None for b in row) else ROW_BUTTONS
        laid.extend(list(row[i : i + width]) for i in range(0, len(row), width))
    if not laid:
        return []
    if len(laid) > MAX_ROWS:
        raise ValueError(f"{len(laid)} rows of buttons: MAX shows at most {MAX_ROWS}")
    builder = InlineKeyboardBuilder()
    for row in laid:
        builder.row(
            *(
                LinkButton(text=_label(b.label), url=b.url)
                if b.url is not None
                else CallbackButton(text=_label(b.label), payload=b.payload or "")
                for b in row
            )
        )
    return [builder.as_markup()]


def file_ref(kind: str, token: str) -> str:
    return f"{REF_PREFIX}{kind}:{token}"


def parse_ref(ref: str) -> AttachmentUpload | None:
    """A MAX file a person sent, to send on by its token; None for a reference of another messenger."""
    if not ref.startswith(REF_PREFIX):
        return None
    kind, _, token = ref[len(REF_PREFIX) :].partition(":")
    if kind not in ("image", "file", "video", "audio") or not token:
        return None
    return AttachmentUpload(type=UploadType(kind), payload=AttachmentPayload(token=token))


class MaxClient:
    """The bot's requests to MAX, paced and with MAX's errors as `MaxError`."""

    def __init__(
        self,
        token: str,
        base_url: str,
        *,
        window: RateWindow | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.bot = _Bot(
            token,
            auto_requests=False,
            auto_check_subscriptions=False,
            after_upload_attempts=1,
            after_upload_retry_delay=0,  # the pauses are ours (NOT_READY_PAUSES, through `sleep`)
            after_input_media_delay=0.001,
            disable_link_preview=True,
            default_connection=DefaultConnectionProperties(max_retries=0),
        )
        self.bot.set_api_url(base_url)
        self.window = window or RateWindow()
        self.messages = ChatPacer(CHAT_RATE, burst=1)
        self.answers = ChatPacer(CHAT_RATE, burst=1)
        self._sleep = sleep
        self.username: str | None = None

    async def close(self) -> None:
        await self.bot.close_session()

    async def _call(self, request: Callable[[], Awaitable[Any]]) -> Any:
        async with self.window.slot():
            try:
                return await request()
            except (MaxApiError, MaxConnection) as exc:
                raise _error(exc) from exc
            except InvalidToken as exc:  # maxapi's own class for a 401, not a MaxApiError
                raise MaxError(401, "verify.token", str(exc)) from exc

    async def me(self) -> str:
        """The bot's username (its links are https://max.ru/<username>)."""
        if self.username is None:
            me = await self._call(self.bot.get_me)
            self.username = me.username or str(me.user_id)
        return self.username

    async def updates(self, marker: int | None, wait: int) -> dict[str, Any]:
        return await self._call(lambda: self.bot.get_updates(marker=marker, timeout=wait, limit=100))

    async def subscriptions(self) -> list[Any]:
        got = await self._call(self.bot.get_subscriptions)
        return list(got.subscriptions or [])

    async def subscribe(self, url: str, secret: str) -> None:
        await self._call(lambda: self.bot.subscribe_webhook(url=url, secret=secret))

    async def set_commands(self, commands: Iterable[tuple[str, str]]) -> None:
        from maxapi.types.command import BotCommand

        listed = [BotCommand(name=name, description=description) for name, description in commands]
        await self._call(lambda: self.bot.set_commands(*listed))

    async def send(
        self, user_id: int, text: str, rows: Rows = (), *, attachments: Sequence[Any] = (), silent: bool = False
    ) -> Sent:
        """A message to a person's dialog (several when the text is too long; the buttons and files go with the
        last); returns the last one's id."""
        pieces = split_text(text) if text else [""]
        mid = ""
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            extra = [*attachments, *keyboard(rows)] if last else []
            mid = await self._send_one(user_id, piece, extra, silent=silent)
        return Sent(mid)

    async def send_chat(self, chat_id: int, text: str) -> None:
        """A line to a group chat (the bot's only words there: it works in private)."""
        async with self.messages.slot(("chat", chat_id)):
            await self._call(lambda: self.bot.send_message(chat_id=chat_id, text=text))

    async def _send_one(self, user_id: int, text: str, attachments: list[Any], *, silent: bool) -> str:
        pauses = iter(NOT_READY_PAUSES)
        flooded = False
        while True:
            try:
                async with self.messages.slot(user_id):
                    sent = await self._call(
                        lambda: self.bot.send_message(
                            user_id=user_id,
                            text=text or None,
                            attachments=attachments or None,
                            format="html",
                            notify=not silent,
                        )
                    )
                return sent.message.body.mid if sent is not None else ""
            except RuntimeError as exc:
                # maxapi answers `attachment.not.ready` itself: with its retries off, by giving up so.
                if not attachments:
                    raise
                pause = next(pauses, None)
                if pause is None:
                    raise MaxError(400, "attachment.not.ready", str(exc)) from exc
                await self._sleep(pause)
            except MaxError as exc:
                if exc.status == 429 and not flooded:
                    flooded = True
                    await self._sleep(PAUSE_AFTER_429)
                    continue
                pause = next(pauses, None) if exc.code == "attachment.not.ready" else None
                if pause is None:
                    raise
                await self._sleep(pause)

    async def answer(
        self, callback_id: str, user_id: Hashable, *, notification: str | None, text: str | None = None, rows: Rows = ()
    ) -> None:
        """Answer a press: `notification` shown to the person, and/or (`text` given) the pressed message edited
        to `text` with `rows` as its buttons. MAX refuses an answer with neither."""
        message = None
        if text is not None:
            message = MessageForCallback(text=split_text(text)[0], attachments=keyboard(rows), format="html")
        for last in (False, True):
            try:
                async with self.answers.slot(user_id):
                    await self._call(
                        lambda: self.bot.send_callback(
                            callback_id=callback_id, message=message, notification=notification
                        )
                    )
                return
            except MaxError as exc:
                if exc.status != 429 or last:
                    raise
                await self._sleep(PAUSE_AFTER_429)

    async def upload(self, file: FileOut) -> AttachmentUpload:
        kind = UploadType.IMAGE if file.mime.startswith("image/") else UploadType.FILE
        media = InputMediaBuffer(file.content, filename=file.name, type=kind)
        return await self._call(lambda: self.bot.upload_media(media))

    async def send_file(self, user_id: int, file: FileOut, rows: Rows = ()) -> Sent:
        """A file to a person (uploaded first, or sent on by its MAX token), its caption as the message's text."""
        attachment = parse_ref(file.ref) if file.ref else await self.upload(file)
        if attachment is None:
            raise MaxError(400, "foreign.file", f"{file.ref!r} is not a file MAX keeps")
        return await self.send(user_id, file.caption, rows, attachments=[attachment])
