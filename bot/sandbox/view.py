"""The chats and the transcript as the page shows them: pure functions from the sandbox's world to JSON.

`chat()` is the body of `GET /api/chat/<key>`: the persona's messages and the bot's, in order, each as the phone
shows it now (edited in place, deleted ones flagged), with SAFE HTML: the text's formatting (Telegram's entities,
MAX's HTML) rendered into a small set of tags, everything else escaped. `file()` serves what a message links to,
`transcript()` the API calls both fakes recorded.

The HTML uses only b, i, u, s, code, pre, a, blockquote, br and `<span class="spoiler">`; a link is http(s) only,
and a deep link to a bot (`https://t.me/<bot>?start=CODE`, `https://max.ru/<bot>?start=CODE`) carries
`class="start-link" data-start="CODE" data-messenger="telegram|max"`, for the page to open it as another persona.
"""

from __future__ import annotations

import html
import mimetypes
import re
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.flows.events import Messenger
from bot.sandbox.transcript import Entry, Transcript

if TYPE_CHECKING:
    from bot.sandbox.max import FakeMax
    from bot.sandbox.telegram import FakeTelegram
    from bot.sandbox.world import Sandbox

#: MAX stickers carry no emoji (only a code): the page shows this one for them.
MAX_STICKER = "🙂"

_DEEP_LINK_RE = re.compile(r"^https?://(t\.me|max\.ru)/[A-Za-z0-9_.]{1,64}/?\?start=([A-Za-z0-9_-]{1,128})$", re.I)
_SAFE_URL_RE = re.compile(r"^(?:https?://|mailto:)[^\s\"'<>]+$", re.I)
_PLAIN_URL_RE = re.compile(r"https?://[^\s<>\"'«»]+", re.I)
_URL_TAIL = ".,;:!?)]»\"'"

_TELEGRAM_KINDS = {
    "bold": "b",
    "italic": "i",
    "underline": "u",
    "strikethrough": "s",
    "code": "code",
    "pre": "pre",
    "text_link": "a",
    "url": "a",
    "blockquote": "blockquote",
    "expandable_blockquote": "blockquote",
    "spoiler": "spoiler",
}
_MAX_TAGS = {
    "b": "b",
    "strong": "b",
    "mark": "b",
    "h1": "b",
    "i": "i",
    "em": "i",
    "u": "u",
    "ins": "u",
    "s": "s",
    "del": "s",
    "strike": "s",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "a",
}


# ---- formatted text to safe HTML ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A formatted stretch of a text, in Python string indices: `kind` is b, i, u, s, code, pre, a, blockquote or
    spoiler; `url` a link's target."""

    start: int
    end: int
    kind: str
    url: str | None = None


def _u16_positions(text: str) -> list[int]:
    """For each UTF-16 offset into `text` (0..its UTF-16 length), the string index there: an offset in the middle
    of a surrogate pair (an emoji) rounds up to the character after it."""
    positions: list[int] = []
    for index, char in enumerate(text):
        positions.append(index)
        if ord(char) > 0xFFFF:
            positions.append(index + 1)
    positions.append(len(text))
    return positions


def telegram_spans(text: str, entities: list[dict[str, Any]] | None) -> list[Span]:
    """Telegram's message entities (UTF-16 offsets) as spans of `text`; types the page does not format are left
    out (mentions, commands, hashtags: plain text)."""
    positions = _u16_positions(text)
    last = len(positions) - 1
    spans: list[Span] = []
    for entity in entities or []:
        kind = _TELEGRAM_KINDS.get(str(entity.get("type")))
        try:
            offset, length = int(entity["offset"]), int(entity["length"])
        except (KeyError, TypeError, ValueError):
            continue
        if kind is None or length <= 0:
            continue
        start = positions[min(max(offset, 0), last)]
        end = positions[min(max(offset + length, 0), last)]
        if end <= start:
            continue
        url = entity.get("url") if entity.get("type") == "text_link" else text[start:end] if kind == "a" else None
        spans.append(Span(start, end, kind, url if isinstance(url, str) else None))
    return spans


def entities_html(text: str | None, entities: list[dict[str, Any]] | None) -> str:
    """Telegram's `text` + `entities` as safe HTML."""
    if not text:
        return ""
    return render(text, telegram_spans(text, entities))


class _MaxHtml(HTMLParser):
    """MAX's HTML (its tags: b strong i em u ins s del a pre code mark blockquote h1; the platform drops the others,
    keeping their text) as text and spans; unbalanced tags are closed where they end or at the end."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.opened: list[tuple[str, str, int, str | None]] = []
        self.spans: list[Span] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.handle_data("\n")
            return
        kind = _MAX_TAGS.get(tag)
        if kind is not None:
            url = dict(attrs).get("href") if kind == "a" else None
            self.opened.append((tag, kind, self.length, url))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.handle_data("\n")

    def handle_endtag(self, tag: str) -> None:
        depth = next((i for i in range(len(self.opened) - 1, -1, -1) if self.opened[i][0] == tag), None)
        if depth is None:
            return
        while len(self.opened) > depth:
            self._close()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.length += len(data)

    def _close(self) -> None:
        _, kind, start, url = self.opened.pop()
        if self.length > start:
            self.spans.append(Span(start, self.length, kind, url))

    def result(self) -> tuple[str, list[Span]]:
        self.close()
        while self.opened:
            self._close()
        return "".join(self.parts), self.spans


def max_html(raw: str | None, fmt: str | None) -> str:
    """A MAX message's text as safe HTML: `fmt` "html" is parsed for its formatting; anything else is shown as
    text (with its links)."""
    if not raw:
        return ""
    if fmt == "html":
        parser = _MaxHtml()
        parser.feed(raw)
        text, spans = parser.result()
        return render(text, spans)
    return render(raw, [])


def deep_link(url: str) -> tuple[str, str] | None:
    """(messenger, start code) of a deep link to a bot, or None."""
    match = _DEEP_LINK_RE.match(url)
    if match is None:
        return None
    messenger = Messenger.TELEGRAM.value if match.group(1).lower() == "t.me" else Messenger.MAX.value
    return messenger, match.group(2)


def _link_open(url: str | None) -> str:
    """The `<a>` for `url`, or "" when it is not a link the page may follow."""
    if not url or not _SAFE_URL_RE.match(url):
        return ""
    href = html.escape(url, quote=True)
    link = deep_link(url)
    if link is not None:
        messenger, code = link
        return (
            f'<a class="start-link" data-start="{html.escape(code, quote=True)}" '
            f'data-messenger="{messenger}" href="{href}">'
        )
    return f'<a href="{href}" target="_blank" rel="noopener noreferrer">'


def _open_close(span: Span, inside_link: bool) -> tuple[str, str]:
    if span.kind == "a":
        opening = "" if inside_link else _link_open(span.url)
        return opening, "</a>" if opening else ""
    if span.kind == "spoiler":
        return '<span class="spoiler">', "</span>"
    return f"<{span.kind}>", f"</{span.kind}>"


def _text_html(segment: str, *, linkify: bool, pre: bool) -> str:
    """Escaped text; plain URLs become links (`linkify`), new lines <br> (outside <pre>)."""
    out: list[str] = []
    position = 0
    if linkify:
        for match in _PLAIN_URL_RE.finditer(segment):
            url = match.group(0).rstrip(_URL_TAIL)
            opening = _link_open(url)
            if not opening:
                continue
            out.append(html.escape(segment[position : match.start()], quote=False))
            out.append(f"{opening}{html.escape(url, quote=False)}</a>")
            position = match.start() + len(url)
    out.append(html.escape(segment[position:], quote=False))
    shown = "".join(out)
    return shown if pre else shown.replace("\n", "<br>")


def render(text: str, spans: list[Span]) -> str:
    """`text` with `spans` as safe, well-formed HTML. Spans that cross (which Telegram does not send, but a
    hand-made entity list may) are closed and reopened around each other."""
    order = sorted(range(len(spans)), key=lambda k: (spans[k].start, -spans[k].end, k))
    boundaries = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    stack: list[tuple[Span, str, str]] = []
    out: list[str] = []
    pending = [spans[k] for k in order]
    for number, position in enumerate(boundaries):
        ending = [i for i, (span, _, _) in enumerate(stack) if span.end <= position]
        if ending:
            reopened = stack[ending[0] :]
            del stack[ending[0] :]
            out.extend(closing for _, _, closing in reversed(reopened))
            for span, opening, closing in reopened:
                if span.end > position:
                    out.append(opening)
                    stack.append((span, opening, closing))
        while pending and pending[0].start <= position:
            span = pending.pop(0)
            if span.end <= position:
                continue
            opening, closing = _open_close(span, any(s.kind == "a" and o for s, o, _ in stack))
            out.append(opening)
            stack.append((span, opening, closing))
        if number + 1 < len(boundaries):
            kinds = {span.kind for span, opening, _ in stack if opening or span.kind != "a"}
            segment = text[position : boundaries[number + 1]]
            linkify = not kinds & {"a", "code", "pre"}
            out.append(_text_html(segment, linkify=linkify, pre="pre" in kinds))
    out.extend(closing for _, _, closing in reversed(stack))
    return "".join(out)


# ---- the chats ---------------------------------------------------------------------------------------------------


def _when(timestamp: float, tz: ZoneInfo) -> dict[str, str]:
    moment = datetime.fromtimestamp(timestamp, tz)
    return {"time": moment.strftime("%H:%M"), "date": moment.isoformat()}


def _message(
    message_id: str,
    sender: str,
    body: str,
    timestamp: float,
    tz: ZoneInfo,
    *,
    edited: bool = False,
    deleted: bool = False,
    buttons: list[list[dict[str, Any]]] | None = None,
    photo: dict[str, Any] | None = None,
    document: dict[str, Any] | None = None,
    sticker: str | None = None,
) -> dict[str, Any]:
    return {
        "id": message_id,
        "from": sender,
        "html": body,
        **_when(timestamp, tz),
        "edited": edited,
        "deleted": deleted,
        "buttons": buttons or [],
        "photo": photo,
        "document": document,
        "sticker": sticker,
    }


def _button(text: str, data: str | None, url: str | None) -> dict[str, Any]:
    link = deep_link(url) if url else None
    return {
        "text": text,
        "data": data,
        "url": url,
        "start": link[1] if link else None,
        "messenger": link[0] if link else None,
    }


def _file_url(messenger: str, file_id: str) -> str:
    return f"/api/file/{messenger}/{file_id}"


def _telegram_document(tg: FakeTelegram, file_id: str, name: str | None) -> dict[str, Any]:
    stored = tg._files.get(file_id)
    size = len(stored.content) if stored is not None else 0
    shown = name or (stored.file_name if stored is not None else None) or "файл"
    return {"name": shown, "url": _file_url("telegram", file_id), "size": size}


def _telegram_messages(world: Sandbox, chat_id: int) -> list[dict[str, Any]]:
    tg = world.tg
    numbers = range(1, tg._next_message_id.get(chat_id, 0) + 1)  # a chat's message ids run from 1, both sides'
    records = [record for number in numbers if (record := tg._records.get((chat_id, number))) is not None]
    messages = []
    for record in records:
        if record.sent is not None:
            sent = record.sent
            buttons = [[_button(b.text, b.callback_data, b.url) for b in row] for row in sent.buttons]
            photo = {"url": _file_url("telegram", sent.photo["file_id"])} if sent.photo else None
            document = None
            if sent.document:
                document = _telegram_document(tg, sent.document["file_id"], sent.document.get("file_name"))
            sticker = (sent.sticker or {}).get("emoji") if sent.sticker else None
            messages.append(
                _message(
                    str(sent.message_id),
                    "bot",
                    entities_html(sent.text, sent.entities),
                    sent.date,
                    world.tz,
                    edited=sent.edited,
                    deleted=record.deleted or sent.deleted,
                    buttons=buttons,
                    photo=photo,
                    document=document,
                    sticker=sticker,
                )
            )
            continue
        payload = record.payload
        text, entities = payload.get("text"), payload.get("entities")
        if text is None:
            text, entities = payload.get("caption"), payload.get("caption_entities")
        photo = {"url": _file_url("telegram", payload["photo"][-1]["file_id"])} if payload.get("photo") else None
        document = None
        if payload.get("document"):
            sent_file = payload["document"]
            document = _telegram_document(tg, sent_file["file_id"], sent_file.get("file_name"))
        sticker = payload["sticker"].get("emoji") if payload.get("sticker") else None
        messages.append(
            _message(
                str(record.message_id),
                "user",
                entities_html(text, entities),
                record.date,
                world.tz,
                deleted=record.deleted,
                photo=photo,
                document=document,
                sticker=sticker,
            )
        )
    return messages


def _max_upload_id(fake: FakeMax, attachment: dict[str, Any]) -> str | None:
    token = (attachment.get("payload") or {}).get("token")
    upload = fake._uploads_by_token.get(token) if isinstance(token, str) else None
    return upload.upload_id if upload is not None else None


def _max_media(fake: FakeMax, attachments: list[dict[str, Any]]) -> dict[str, Any]:
    """The photo, document and sticker a MAX message carries (the first of each: a phone shows one per bubble)."""
    media: dict[str, Any] = {"photo": None, "document": None, "sticker": None}
    for attachment in attachments:
        kind = attachment.get("type")
        if kind == "sticker":
            media["sticker"] = media["sticker"] or MAX_STICKER
            continue
        upload_id = _max_upload_id(fake, attachment)
        if upload_id is None:
            continue
        if kind == "image" and media["photo"] is None:
            media["photo"] = {"url": _file_url("max", upload_id)}
        elif kind in ("file", "video", "audio") and media["document"] is None:
            upload = fake._uploads[upload_id]
            name = attachment.get("filename") or upload.filename or kind
            size = len(upload.content or b"")
            media["document"] = {"name": name, "url": _file_url("max", upload_id), "size": size}
    return media


def _max_messages(world: Sandbox, account_id: int) -> list[dict[str, Any]]:
    fake = world.max
    if fake is None or account_id not in fake._users:
        return []
    chat_id = fake._users[account_id].chat_id
    ordered: list[tuple[int, dict[str, Any]]] = []
    for sent in fake.messages(chat_id):
        buttons = [
            [_button(b.text, b.payload if b.type == "callback" else None, b.url) for b in row] for row in sent.buttons
        ]
        # Markdown is shown as the fake shows it: its text with the marks taken out (the bot itself sends HTML).
        body = max_html(sent.raw_text, sent.format) if sent.format == "html" else render(sent.text or "", [])
        ordered.append(
            (
                sent.seq,
                _message(
                    sent.mid,
                    "bot",
                    body,
                    sent.timestamp / 1000,
                    world.tz,
                    edited=sent.edited,
                    deleted=sent.deleted,
                    buttons=buttons,
                    **_max_media(fake, sent.files),
                ),
            )
        )
    for said in fake.user_messages(chat_id):
        if said.started:
            body, media = html.escape(" ".join(filter(None, ["/start", said.payload]))), {}
        else:
            body, media = render(said.text, []), _max_media(fake, said.attachments)
        message_id = said.mid or f"start-{said.seq}"
        ordered.append((said.seq, _message(message_id, "user", body, said.timestamp / 1000, world.tz, **media)))
    return [message for _, message in sorted(ordered, key=lambda pair: pair[0])]


def chat(world: Sandbox, key: str) -> dict[str, Any]:
    """The body of `GET /api/chat/<key>`: {persona, messages, reply_keyboard} (raises UnknownPersona)."""
    persona = world.persona(key)
    if persona.messenger is Messenger.TELEGRAM:
        messages = _telegram_messages(world, persona.account_id)
        keyboard = world.tg._reply_keyboards.get(persona.account_id)
        reply_keyboard = [list(row) for row in keyboard] if keyboard else None
    else:
        messages = _max_messages(world, persona.account_id)
        reply_keyboard = None
    return {"persona": persona.to_json(), "messages": messages, "reply_keyboard": reply_keyboard}


# ---- files -------------------------------------------------------------------------------------------------------

_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
)


def _sniff(content: bytes) -> str | None:
    return next((mime for magic, mime in _IMAGE_MAGIC if content.startswith(magic)), None)


def _named(name: str, mime: str) -> str:
    """`name` with the extension its type has (a chart sent as a photo is stored as .jpg but is a PNG)."""
    extension = mimetypes.guess_extension(mime)
    if extension is None or name.lower().endswith(extension):
        return name
    if mime == "image/jpeg" and name.lower().endswith((".jpg", ".jpeg")):
        return name
    return name.rsplit(".", 1)[0] + extension


def file(world: Sandbox, messenger: str, file_id: str) -> tuple[str, str, bytes] | None:
    """(name, MIME type, bytes) of a file a message shows, or None when there is no such file."""
    if messenger == Messenger.TELEGRAM.value:
        stored = world.tg._files.get(file_id)
        if stored is None:
            return None
        name = stored.file_name or stored.file_path.rsplit("/", 1)[-1]
        sniffed = _sniff(stored.content)
        mime = sniffed or stored.mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        return (_named(name, sniffed) if sniffed else name), mime, stored.content
    if messenger == Messenger.MAX.value and world.max is not None:
        upload = world.max._uploads.get(file_id)
        if upload is None or upload.content is None:
            return None
        sniffed = _sniff(upload.content)
        name = upload.filename or f"{upload.type}"
        mime = sniffed or upload.content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        return name, mime, upload.content
    return None


# ---- the transcript ----------------------------------------------------------------------------------------------


def _transcripts(world: Sandbox) -> list[Transcript]:
    shared = getattr(world, "transcript", None)
    if isinstance(shared, Transcript):
        return [shared]
    found: list[Transcript] = []
    for fake in (world.tg, world.max):
        kept = getattr(fake, "transcript", None) if fake is not None else None
        if isinstance(kept, Transcript) and all(kept is not t for t in found):
            found.append(kept)
    return found


def _entry_json(entry: Entry, tz: ZoneInfo) -> dict[str, Any]:
    moment = datetime.fromtimestamp(entry.time, tz)
    return {**entry.to_json(), "time": moment.strftime("%H:%M:%S"), "date": moment.isoformat()}


def transcript(world: Sandbox, after: int = 0) -> dict[str, Any]:
    """The body of `GET /api/transcript?after=SEQ`: the API calls numbered above `after`, in time order, and
    `last`, the number to ask after next time."""
    kept = _transcripts(world)
    entries = sorted((e for t in kept for e in t.after(after)), key=lambda e: (e.time, e.seq))
    last = max((t.last_seq for t in kept), default=0)
    return {"entries": [_entry_json(entry, world.tz) for entry in entries], "last": last}
