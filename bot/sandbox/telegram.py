"""A strict local fake of the Telegram Bot API, served over real HTTP for aiogram to talk to.

Point a real bot at it with ``AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))``. The fake keeps
the state of every private chat and group (`FakeTelegram.group`), answers with real Bot API JSON, and rejects
what real Telegram rejects (malformed HTML, over-long texts, bad inline keyboards, stale callback queries,
blocked users, floods) with Telegram's own error texts, so a dialog test fails here the way production would
fail there.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import mimetypes
import re
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from aiohttp import web

from bot.sandbox.transcript import Transcript, buttons_note, join, plural, quote, size_label

DEFAULT_TOKEN = "123456:TEST-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_ANSWER_LENGTH = 200
CALLBACK_QUERY_TTL = 15.0
DELETE_WINDOW = 48 * 3600
MAX_UPLOAD_SIZE = 50 * 1024 * 1024

ERR_TEXT_EMPTY = "Bad Request: message text is empty"
ERR_TEXT_TOO_LONG = "Bad Request: message is too long"
ERR_CAPTION_TOO_LONG = "Bad Request: message caption is too long"
ERR_CHAT_NOT_FOUND = "Bad Request: chat not found"
ERR_EDIT_NOT_FOUND = "Bad Request: message to edit not found"
ERR_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
ERR_QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
ERR_BLOCKED = "Forbidden: bot was blocked by the user"
ERR_BUTTON_DATA = "Bad Request: BUTTON_DATA_INVALID"
_BUTTON_ERROR = "Bad Request: can't parse inline keyboard button"
ERR_SERVER = "Internal Server Error"
ERR_CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"

# Update types Telegram delivers when allowed_updates is empty or was never given.
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

# Form fields that are plain strings even when they look like JSON ("123", "true").
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "description",
        "short_description",
        "name",
        "language_code",
        "action",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "file_id",
        "title",
        "query",
        "emoji",
    }
)

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "web_app",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_BOT_COMMAND_IN_TEXT_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")
_URL_RE = re.compile(r"^(?:https?|tg)://\S+$", re.IGNORECASE)

_PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000105e2264f0000000049454e44ae426082"
)


# --------------------------------------------------------------------------------------------------------------
# Text and entity parsing
# --------------------------------------------------------------------------------------------------------------


class EntityParseError(Exception):
    """The text cannot be parsed in the requested parse_mode; the message is Telegram's wording."""


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


def _char_u16(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


@dataclass
class _OpenEntity:
    tag: str
    offset: int
    byte_offset: int
    argument: str | None = None


_HTML_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ENTITY_RE = re.compile(r"&(?:#[xX]([0-9a-fA-F]{1,8})|#([0-9]{1,10})|([a-zA-Z][a-zA-Z0-9]{0,31}));")


def _html_entity(text: str, index: int) -> tuple[str, int]:
    """Decode the character entity at ``text[index] == "&"``; return the character and the index after it."""
    match = _HTML_ENTITY_RE.match(text, index)
    if match is None:
        raise EntityParseError(f'Character "&" must be escaped as "&amp;" at byte offset {_byte_offset(text, index)}')
    hex_code, dec_code, name = match.groups()
    if name is not None:
        if name not in _HTML_NAMED_ENTITIES:
            raise EntityParseError(
                f'Unsupported character entity "&{name};" at byte offset {_byte_offset(text, index)}'
            )
        return _HTML_NAMED_ENTITIES[name], match.end()
    code = int(hex_code, 16) if hex_code is not None else int(dec_code)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise EntityParseError(f"Invalid character entity at byte offset {_byte_offset(text, index)}")
    return chr(code), match.end()


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram-flavoured HTML into visible text and message entities (UTF-16 offsets)."""
    out: list[str] = []
    u16 = 0
    stack: list[_OpenEntity] = []
    entities: list[dict[str, Any]] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c == "&":
            ch, i = _html_entity(text, i)
            out.append(ch)
            u16 += _char_u16(ch)
            continue
        if c != "<":
            out.append(c)
            u16 += _char_u16(c)
            i += 1
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
            j = i + 1
            while j < n and not text[j].isspace() and text[j] != ">":
                j += 1
            end_name = text[i + 1 : j].lower()
            while j < n and text[j].isspace():
                j += 1
            if j >= n or text[j] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
            opened = stack[-1]
            if end_name and end_name != opened.tag:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                    f'expected "</{opened.tag}>", found "</{end_name}>"'
                )
            stack.pop()
            i = j + 1
            _close_html_entity(opened, u16, stack, entities)
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != ">":
            j += 1
        if j >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
        tag = text[i:j].lower()
        if tag not in _HTML_TAG_TYPES:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}')
        i = j
        argument: str | None = None
        while True:
            while i < n and text[i].isspace():
                i += 1
            if i >= n:
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}')
            if text[i] == ">":
                i += 1
                break
            attr_begin = i
            while i < n and not text[i].isspace() and text[i] not in "=>":
                i += 1
            attr = text[attr_begin:i].lower()
            if not attr:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                )
            while i < n and text[i].isspace():
                i += 1
            if i >= n or text[i] != "=":
                if tag == "blockquote" and attr == "expandable":
                    argument = "expandable"
                    continue
                raise EntityParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {_byte_offset(text, begin)}"
                )
            i += 1
            while i < n and text[i].isspace():
                i += 1
            if i >= n:
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}')
            value_chars: list[str] = []
            if text[i] in "'\"":
                quote = text[i]
                i += 1
                while i < n and text[i] != quote:
                    if text[i] == "&":
                        ch, i = _html_entity(text, i)
                        value_chars.append(ch)
                    else:
                        value_chars.append(text[i])
                        i += 1
                if i < n:
                    i += 1
            else:
                while i < n and (text[i].isalnum() or text[i] in ".-"):
                    value_chars.append(text[i])
                    i += 1
            if i >= n:
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}')
            value = "".join(value_chars)
            if (
                (tag == "a" and attr == "href")
                or (tag == "code" and attr == "class" and value.startswith("language-"))
                or (tag == "span" and attr == "class")
                or (tag == "tg-emoji" and attr == "emoji-id")
            ):
                argument = value.removeprefix("language-") if tag == "code" else value
        if tag == "span" and argument != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(text, begin)}'
            )
        stack.append(_OpenEntity(tag, u16, _byte_offset(text, begin), argument))
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    return "".join(out), _sorted_entities(entities)


def _close_html_entity(opened: _OpenEntity, u16: int, stack: list[_OpenEntity], entities: list[dict[str, Any]]) -> None:
    length = u16 - opened.offset
    if opened.tag == "code" and stack and stack[-1].tag == "pre":
        if opened.argument:
            stack[-1].argument = opened.argument
        return
    if length <= 0:
        return
    kind = _HTML_TAG_TYPES[opened.tag]
    entity: dict[str, Any] = {"type": kind, "offset": opened.offset, "length": length}
    if kind == "text_link":
        if not opened.argument:
            return
        entity["url"] = opened.argument
    elif kind == "pre" and opened.argument:
        entity["language"] = opened.argument
    elif kind == "custom_emoji":
        if not opened.argument:
            return
        entity["custom_emoji_id"] = opened.argument
    elif kind == "blockquote" and opened.argument == "expandable":
        entity["type"] = "expandable_blockquote"
    entities.append(entity)


_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_TYPE_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse MarkdownV2 the way Telegram does, rejecting unescaped reserved characters."""
    out: list[str] = []
    u16 = 0
    stack: list[_OpenEntity] = []
    entities: list[dict[str, Any]] = []
    n = len(text)

    def at(k: int) -> str:
        return text[k] if k < n else ""

    i = 0
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            out.append(text[i + 1])
            u16 += 1
            i += 2
            continue
        top = stack[-1].tag if stack else None
        in_code = top in ("code", "pre")
        if (c != "`") if in_code else (c not in _MDV2_RESERVED):
            out.append(c)
            u16 += _char_u16(c)
            i += 1
            continue
        if c == ">" and not in_code and (i == 0 or text[i - 1] == "\n"):
            i += 1
            continue
        is_end = False
        if top == "bold":
            is_end = c == "*"
        elif top == "italic":
            is_end = c == "_" and at(i + 1) != "_"
        elif top == "code":
            is_end = c == "`"
        elif top == "pre":
            is_end = c == "`" and at(i + 1) == "`" and at(i + 2) == "`"
        elif top in ("text_link", "custom_emoji"):
            is_end = c == "]"
        elif top == "underline":
            is_end = c == "_" and at(i + 1) == "_"
        elif top == "strikethrough":
            is_end = c == "~"
        elif top == "spoiler":
            is_end = c == "|" and at(i + 1) == "|"
        if not is_end:
            begin_byte = _byte_offset(text, i)
            reserved_error = EntityParseError(
                f"Character '{c}' is reserved and must be escaped with the preceding '\\'"
            )
            if c == "_":
                kind = "italic"
                if at(i + 1) == "_":
                    kind = "underline"
                    i += 1
            elif c == "*":
                kind = "bold"
            elif c == "~":
                kind = "strikethrough"
            elif c == "|":
                if at(i + 1) != "|":
                    raise reserved_error
                kind = "spoiler"
                i += 1
            elif c == "[":
                kind = "text_link"
            elif c == "!" and at(i + 1) == "[":
                kind = "custom_emoji"
                i += 1
            elif c == "`":
                if at(i + 1) == "`" and at(i + 2) == "`":
                    i += 3
                    language_end = i
                    while language_end < n and not text[language_end].isspace() and text[language_end] != "`":
                        language_end += 1
                    language = None
                    if i != language_end and language_end < n and text[language_end] != "`":
                        language = text[i:language_end]
                        i = language_end
                    if at(i) in ("\n", "\r"):
                        i += 2 if at(i + 1) in ("\n", "\r") and at(i + 1) != at(i) else 1
                    stack.append(_OpenEntity("pre", u16, begin_byte, language))
                    continue
                kind = "code"
            else:
                raise reserved_error
            stack.append(_OpenEntity(kind, u16, begin_byte))
            i += 1
            continue
        opened = stack.pop()
        kind = opened.tag
        argument = opened.argument
        if kind in ("underline", "spoiler"):
            i += 1
        elif kind == "pre":
            i += 2
        elif kind in ("text_link", "custom_emoji"):
            if at(i + 1) != "(":
                argument = "".join(out)[len(_prefix_by_u16("".join(out), opened.offset)) :]
            else:
                i += 2
                url_begin = i
                url: list[str] = []
                while i < n and text[i] != ")":
                    if text[i] == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
                        url.append(text[i + 1])
                        i += 2
                        continue
                    url.append(text[i])
                    i += 1
                if i >= n:
                    raise EntityParseError(f"Can't find end of a URL at byte offset {_byte_offset(text, url_begin)}")
                argument = "".join(url)
        i += 1
        length = u16 - opened.offset
        if length <= 0:
            continue
        entity: dict[str, Any] = {"type": kind, "offset": opened.offset, "length": length}
        if kind == "text_link":
            if not argument:
                continue
            entity["url"] = argument
        elif kind == "custom_emoji":
            match = re.match(r"^tg://emoji\?id=(\d+)$", argument or "")
            if match is None:
                continue
            entity["custom_emoji_id"] = match.group(1)
        elif kind == "pre" and argument:
            entity["language"] = argument
        entities.append(entity)
    if stack:
        opened = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_MDV2_TYPE_NAMES[opened.tag]} entity at byte offset {opened.byte_offset}"
        )
    return "".join(out), _sorted_entities(entities)


def _prefix_by_u16(text: str, units: int) -> str:
    total = 0
    for index, ch in enumerate(text):
        if total >= units:
            return text[:index]
        total += _char_u16(ch)
    return text


def parse_markdown(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse legacy Markdown: unclosed ``* _ ` [`` are errors, nothing nests."""
    out: list[str] = []
    u16 = 0
    entities: list[dict[str, Any]] = []
    n = len(text)

    def at(k: int) -> str:
        return text[k] if k < n else ""

    i = 0
    while i < n:
        c = text[i]
        if c == "\\" and at(i + 1) in ("_", "*", "`", "["):
            out.append(text[i + 1])
            u16 += 1
            i += 2
            continue
        if c not in "_*`[":
            out.append(c)
            u16 += _char_u16(c)
            i += 1
            continue
        begin = i
        end_char = "]" if c == "[" else c
        is_pre = False
        language = None
        i += 1
        if c == "`" and at(i) == "`" and at(i + 1) == "`":
            i += 2
            is_pre = True
            language_end = i
            while language_end < n and not text[language_end].isspace() and text[language_end] != "`":
                language_end += 1
            if i != language_end and language_end < n and text[language_end] != "`":
                language = text[i:language_end]
                i = language_end
        start = u16
        while i < n and (text[i] != end_char or (is_pre and not (at(i + 1) == "`" and at(i + 2) == "`"))):
            out.append(text[i])
            u16 += _char_u16(text[i])
            i += 1
        if i >= n:
            raise EntityParseError(f"Can't find end of the entity starting at byte offset {_byte_offset(text, begin)}")
        entity: dict[str, Any] = {"offset": start, "length": u16 - start}
        if c == "_":
            entity["type"] = "italic"
        elif c == "*":
            entity["type"] = "bold"
        elif c == "`":
            entity["type"] = "pre" if is_pre else "code"
            if language:
                entity["language"] = language
        else:
            entity["type"] = "text_link"
            if at(i + 1) == "(":
                close = text.find(")", i + 2)
                if close != -1:
                    entity["url"] = text[i + 2 : close]
                    i = close
        i += 3 if is_pre else 1
        if entity["length"] > 0 and (entity["type"] != "text_link" or entity.get("url")):
            entities.append(entity)
    return "".join(out), _sorted_entities(entities)


def _sorted_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _strip_text(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim surrounding whitespace as Telegram does, keeping the entities aligned."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    left = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    result: list[dict[str, Any]] = []
    for entity in entities:
        start = max(0, entity["offset"] - left)
        end = min(total, entity["offset"] + entity["length"] - left)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


# --------------------------------------------------------------------------------------------------------------
# Public data
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Button:
    text: str
    callback_data: str | None
    url: str | None


@dataclass
class Upload:
    """A file part received in a request; appears in ``FakeTelegram.requests`` in place of ``attach://``."""

    file_name: str
    content: bytes
    content_type: str | None = None


@dataclass
class SentMessage:
    """A bot message in a chat, as the user would see it now (or as it was at an event, for snapshots)."""

    message_id: int
    chat_id: int
    text: str | None
    parse_mode: str | None
    buttons: list[list[Button]] = field(default_factory=list)
    reply_keyboard: list[list[str]] | None = None
    document: dict[str, Any] | None = None
    photo: dict[str, Any] | None = None
    edited: bool = False
    deleted: bool = False
    entities: list[dict[str, Any]] = field(default_factory=list)
    raw_text: str | None = None
    reply_markup: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    sticker: dict[str, Any] | None = None
    forwarded: bool = False
    date: int = 0
    edit_date: int | None = None

    def button_texts(self) -> list[str]:
        return [button.text for row in self.buttons for button in row]

    def button_data(self) -> list[str]:
        return [button.callback_data for row in self.buttons for button in row if button.callback_data]

    def snapshot(self) -> SentMessage:
        return replace(
            self,
            buttons=[list(row) for row in self.buttons],
            reply_keyboard=[list(row) for row in self.reply_keyboard] if self.reply_keyboard is not None else None,
            entities=list(self.entities),
        )

    def describe(self) -> str:
        state = "deleted" if self.deleted else "edited" if self.edited else "new"
        body = self.text
        if self.document is not None:
            body = f"[document {self.document['file_name']}] {self.text or ''}"
        elif self.photo is not None:
            body = f"[photo] {self.text or ''}"
        shown = body if body is None or len(body) <= 160 else body[:157] + "..."
        buttons = f" buttons={self.button_texts()}" if self.buttons else ""
        return f"#{self.message_id} ({state}) {shown!r}{buttons}"


class ApiError(Exception):
    def __init__(
        self, code: int, description: str, retry_after: int | None = None, *, injected: bool = False
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
        self.injected = injected  # the test asked for it (flood(), fail_server()): never a product error


@dataclass
class ApiErrorRecord:
    """One error answer of the fake, with what the errors guard needs to judge and report it."""

    method: str
    code: int
    description: str
    chat_id: int | None
    injected: bool
    text: str | None = None  # the text or caption the request carried, for the report

    def describe(self) -> str:
        chat = f" (chat {self.chat_id})" if self.chat_id is not None else ""
        text = ""
        if self.text:
            text = f", text {self.text if len(self.text) <= 80 else self.text[:77] + '...'!r}"
        return f"{self.method} -> {self.code} {self.description}{chat}{text}"


@dataclass
class _ErrorExpectation:
    code: int
    contains: str
    method: str | None
    required: bool
    seen: int = 0

    def matches(self, error: ApiErrorRecord) -> bool:
        return (
            error.code == self.code
            and self.contains in error.description
            and (self.method is None or error.method == self.method)
        )

    def describe(self) -> str:
        method = f" from {self.method}" if self.method else ""
        return f"{self.code} containing {self.contains!r}{method}"


@dataclass
class _Injection:
    remaining: int
    chat_id: int | None
    retry_after: int = 1


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str | None
    mime_type: str | None
    file_path: str


@dataclass
class _Record:
    """Any message in a chat, the bot's or the user's."""

    chat_id: int
    message_id: int
    date: int
    from_bot: bool
    payload: dict[str, Any]
    sent: SentMessage | None = None
    deleted: bool = False


@dataclass
class _Callback:
    query_id: str
    user_id: int
    created: float
    answered: bool = False
    answer: dict[str, Any] | None = None


# --------------------------------------------------------------------------------------------------------------
# The user side
# --------------------------------------------------------------------------------------------------------------


class FakeUser:
    """A Telegram user in a private chat with the bot; the chat id equals the user id."""

    def __init__(
        self,
        fake: FakeTelegram,
        user_id: int,
        first_name: str,
        *,
        username: str | None,
        last_name: str | None,
        language_code: str,
    ) -> None:
        self._fake = fake
        self.id = user_id
        self.first_name = first_name
        self.username = username
        self.last_name = last_name
        self.language_code = language_code
        self._cursor = 0
        self._callback_ids: list[str] = []
        self._background: list[str] = []

    def __repr__(self) -> str:
        return f"FakeUser(id={self.id}, first_name={self.first_name!r})"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    async def send(self, text: str, *, reply_to: int | None = None) -> int:
        """Send a text message to the bot; a leading /command gets its bot_command entity."""
        content: dict[str, Any] = {"text": text}
        match = _BOT_COMMAND_IN_TEXT_RE.match(text)
        if match is not None:
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]
        return self._fake._user_message(self, content, reply_to=reply_to)

    async def send_sticker(self, emoji: str = "👍") -> int:
        file = self._fake._store_file(b"RIFF\x00\x00\x00\x00WEBP", "sticker.webp", "image/webp", "stickers")
        sticker = {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": len(file.content),
        }
        return self._fake._user_message(self, {"sticker": sticker})

    async def send_photo(self, caption: str | None = None, content: bytes = _PNG_1X1) -> int:
        file = self._fake._store_file(content, None, "image/png", "photos")
        content_json: dict[str, Any] = {"photo": [_photo_size(file)]}
        if caption:
            content_json["caption"] = caption
        return self._fake._user_message(self, content_json)

    async def send_document(
        self, file_name: str = "doc.pdf", content: bytes = b"%PDF-1.4", caption: str | None = None
    ) -> int:
        file = self._fake._store_file(content, file_name, _guess_mime(file_name), "documents")
        content_json: dict[str, Any] = {"document": _document_json(file)}
        if caption:
            content_json["caption"] = caption
        return self._fake._user_message(self, content_json)

    async def click(self, button_text: str, message: SentMessage | None = None) -> str:
        """Press an inline button by its text; return the callback query id."""
        fake = self._fake
        if message is not None:
            current = fake._record(self.id, message.message_id)
            if current is None or current.sent is None:
                raise AssertionError(f"Message #{message.message_id} is not a bot message in chat {self.id}")
            if current.deleted:
                raise AssertionError(f"Message #{message.message_id} in chat {self.id} was deleted")
            candidates = [current.sent]
        else:
            candidates = [m for m in reversed(fake.messages(self.id)) if not m.deleted and m.buttons]
        found: tuple[SentMessage, Button] | None = None
        for matches in (
            lambda b: b.text == button_text,
            lambda b: b.text.startswith(button_text),
        ):
            found = next(((m, b) for m in candidates for row in m.buttons for b in row if matches(b)), None)
            if found is not None:
                break
        if found is None:
            available = "\n".join(f"  #{m.message_id}: {m.button_texts()}" for m in candidates[:5]) or "  (none)"
            raise AssertionError(f"No inline button {button_text!r} in chat {self.id}; available:\n{available}")
        target, button = found
        if button.callback_data is None:
            raise AssertionError(f"Button {button.text!r} is not a callback button (url={button.url!r})")
        return fake._queue_callback(self, target.message_id, button.callback_data)

    async def click_data(self, callback_data: str, message_id: int) -> str:
        """Press a button with arbitrary data on any message id (forged or stale presses)."""
        return self._fake._queue_callback(self, message_id, callback_data)

    async def block_bot(self) -> None:
        self._fake._blocked.add(self.id)
        self._fake._queue_my_chat_member(self, old="member", new="kicked")

    async def unblock_bot(self) -> None:
        self._fake._blocked.discard(self.id)
        self._fake._queue_my_chat_member(self, old="kicked", new="member")

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """The reply keyboard currently shown in this chat, if any."""
        return self._fake._reply_keyboards.get(self.id)

    def replies(self) -> list[SentMessage]:
        return self._fake.messages(self.id)

    def last(self) -> SentMessage:
        """The newest bot message in this chat that is not deleted."""
        for message in reversed(self._fake.messages(self.id)):
            if not message.deleted:
                return message
        raise AssertionError(f"The bot has no messages in chat {self.id}")

    def callback_answers(self) -> list[dict[str, Any]]:
        answers = []
        for query_id in self._callback_ids:
            callback = self._fake._callbacks[query_id]
            if callback.answer is not None:
                answers.append(callback.answer)
        return answers

    def pass_over(self, *fragments: str) -> None:
        """Messages containing any of ``fragments`` come on their own schedule (the curator's daily digest):
        a strict ``expect`` passes over them instead of failing; ``expect`` of them still finds them."""
        self._background.extend(fragments)

    def drain(self) -> list[SentMessage]:
        events = self._fake._events.get(self.id, [])
        pending = events[self._cursor :]
        self._cursor = len(events)
        return pending

    async def next_reply(self, timeout: float = 5.0) -> SentMessage:  # noqa: ASYNC109
        """The next bot event in this chat (a new message or an edit, as the message then was)."""
        fake = self._fake
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            events = fake._events.get(self.id, [])
            if self._cursor < len(events):
                self._cursor += 1
                return events[self._cursor - 1]
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"No new bot message in chat {self.id} within {timeout}s.\n{self._context(events[-5:])}"
                )
            await fake._wait_signal(fake._event_signal, remaining)

    async def expect(
        self,
        contains: str,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        eventually: bool = False,
    ) -> SentMessage:
        """The next bot message in this chat, which must contain ``contains``; returns it.

        Strict by default: a test that expects A then B asserts the order the user saw, so a new message that
        does not match arrives first fails here, naming it. Edits of messages already there are passed over on
        the way (a keyboard re-drawn after a press, a question closed with the answer): they change what a
        message shows, not the order of messages; an edit that matches is returned like a new message.

        ``eventually=True`` passes over anything until the match, for the places that assert no order: a notice
        from the outbox racing a reply, several notices whose order nobody promises.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        skipped: list[SentMessage] = []
        while True:
            remaining = deadline - loop.time()
            try:
                event = await self.next_reply(timeout=max(remaining, 0.0))
            except AssertionError:
                raise AssertionError(
                    f"No bot message containing {contains!r} in chat {self.id} within {timeout}s.\n"
                    f"{self._context(skipped, header='Came instead')}"
                ) from None
            if contains in (event.text or ""):
                return event
            skipped.append(event)
            background = any(fragment in (event.text or "") for fragment in self._background)
            if not eventually and not event.edited and not background:
                raise AssertionError(
                    f"Expected the next bot message in chat {self.id} to contain {contains!r}, but another came "
                    f"first (pass eventually=True only where the order is not promised).\n"
                    f"{self._context(skipped, header='Came first')}"
                )

    async def expect_all(self, *fragments: str, timeout: float = 5.0) -> list[SentMessage]:  # noqa: ASYNC109
        """The next new messages are one per fragment, in any order (notices whose order nobody promises);
        strict otherwise: a message that matches none of the fragments still left fails. Returns them in the
        order of ``fragments``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        found: dict[str, SentMessage] = {}
        seen: list[SentMessage] = []
        while len(found) < len(fragments):
            remaining = deadline - loop.time()
            try:
                event = await self.next_reply(timeout=max(remaining, 0.0))
            except AssertionError:
                missing = [f for f in fragments if f not in found]
                raise AssertionError(
                    f"No bot messages containing {missing!r} in chat {self.id} within {timeout}s.\n"
                    f"{self._context(seen, header='Came instead')}"
                ) from None
            seen.append(event)
            match = next((f for f in fragments if f not in found and f in (event.text or "")), None)
            if match is not None:
                found[match] = event
            elif not event.edited and not any(fragment in (event.text or "") for fragment in self._background):
                raise AssertionError(
                    f"Expected the next bot messages in chat {self.id} to be {list(fragments)!r} in any order, "
                    f"but another came.\n{self._context(seen, header='Came')}"
                )
        return [found[fragment] for fragment in fragments]

    def _context(self, events: list[SentMessage], header: str = "Last events") -> str:
        lines = [f"{header}:"] + [f"  {event.describe()}" for event in events]
        if not events:
            lines.append("  (none)")
        errors = [e for e in self._fake.errors if e[0] != "getUpdates"][-5:]
        if errors:
            lines.append("Recent API errors:")
            lines.extend(f"  {method}: {code} {description}" for method, code, description in errors)
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------------------------
# Groups and supergroups
# --------------------------------------------------------------------------------------------------------------

_MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "restricted"})
_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_send_welcome_messages": False,
    "can_pin_messages": True,
}


class FakeGroup:
    """A group or supergroup (negative chat id; a supergroup's starts with −100) with the bot in it or not.

    In a group the bot is in, users speak through `member(user)`. Telegram's privacy mode is on (getMe says
    `can_read_all_group_messages: false`): the bot receives commands, replies to its own messages and service
    messages, and everything only when it is an administrator. Once it has left or was removed, it receives
    nothing from the group and sending there is 403, as in Telegram.
    """

    def __init__(self, fake: FakeTelegram, chat_id: int, title: str, kind: str, bot_status: str) -> None:
        self._fake = fake
        self.id = chat_id
        self.title = title
        self.type = kind
        self.bot_status = bot_status

    def __repr__(self) -> str:
        return f"FakeGroup(id={self.id}, type={self.type!r}, title={self.title!r})"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "title": self.title}

    @property
    def bot_is_member(self) -> bool:
        return self.bot_status in _MEMBER_STATUSES

    def member(self, user: FakeUser) -> FakeGroupMember:
        """`user` speaking in this group."""
        return FakeGroupMember(self, user)

    async def add_bot(self, by: FakeUser, *, status: str = "member") -> None:
        """Someone adds the bot: a my_chat_member update, then the service message, as Telegram sends them."""
        old = self.bot_status
        self.bot_status = status
        self._fake._queue_group_membership(self, by, old=old, new=status)
        if self.type != "channel":
            self._fake._group_message(self, by, {"new_chat_members": [self._fake._bot_json()]}, service=True)

    async def remove_bot(self, by: FakeUser) -> None:
        old = self.bot_status
        self.bot_status = "kicked"
        self._fake._queue_group_membership(self, by, old=old, new="kicked")

    def replies(self) -> list[SentMessage]:
        """What the bot posted in this group (every member sees it)."""
        return self._fake.messages(self.id)


class FakeGroupMember:
    """A user in a group: commands carry the ``@botname`` suffix, as a client adds it in groups."""

    def __init__(self, group: FakeGroup, user: FakeUser) -> None:
        self.group = group
        self.user = user
        self._callback_ids: list[str] = []

    def __repr__(self) -> str:
        return f"FakeGroupMember(user={self.user.id}, group={self.group.id})"

    async def send(self, text: str, *, mention: bool = True, reply_to: int | None = None) -> int:
        """Send a text to the group; a leading /command gets ``@botname`` (unless `mention` is False)."""
        fake = self.group._fake
        match = _BOT_COMMAND_IN_TEXT_RE.match(text)
        if match is not None and mention and "@" not in match.group(0):
            text = f"{match.group(0)}@{fake.bot_username}{text[match.end() :]}"
            match = _BOT_COMMAND_IN_TEXT_RE.match(text)
        content: dict[str, Any] = {"text": text}
        if match is not None:
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]
        return fake._group_message(self.group, self.user, content, reply_to=reply_to)

    async def forward(self, message: SentMessage) -> int:
        """Forward a bot message (from any chat) into the group; its inline keyboard stays on the copy."""
        fake = self.group._fake
        record = fake._record(message.chat_id, message.message_id)
        if record is None or record.sent is None:
            raise AssertionError(f"Message #{message.message_id} is not a bot message in chat {message.chat_id}")
        source = fake._sent_json(record.sent, with_reply=False)
        content = {
            key: value
            for key, value in source.items()
            if key not in ("message_id", "from", "chat", "date", "edit_date", "forward_origin")
        }
        content["forward_origin"] = {"type": "user", "sender_user": fake._bot_json(), "date": record.sent.date}
        return fake._group_message(self.group, self.user, content)

    async def click(self, button_text: str, message_id: int) -> str:
        """Press an inline button on a message in the group (a bot message, or a forwarded one)."""
        fake = self.group._fake
        record = fake._record(self.group.id, message_id)
        if record is None or record.deleted:
            raise AssertionError(f"No message #{message_id} in group {self.group.id}")
        markup = fake._record_json(record).get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if button.get("text", "").startswith(button_text) and button.get("callback_data"):
                    return fake._queue_group_callback(self, message_id, button["callback_data"])
        raise AssertionError(f"No callback button {button_text!r} on message #{message_id} in group {self.group.id}")

    async def click_data(self, callback_data: str, message_id: int) -> str:
        """Press a button with arbitrary data on any message id in the group (a forged press)."""
        return self.group._fake._queue_group_callback(self, message_id, callback_data)

    def callback_answers(self) -> list[dict[str, Any]]:
        callbacks = self.group._fake._callbacks
        return [answer for q in self._callback_ids if (answer := callbacks[q].answer) is not None]


# --------------------------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------------------------


class FakeTelegram:
    """A strict in-process Bot API server with private chats, files, callbacks and failure injection."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "nastavnik_test_bot",
        rate_limit_per_chat: float | None = None,
        chat_burst: int | None = None,
        rate_limit_global: float | None = None,
        transcript: Transcript | None = None,
    ) -> None:
        self.token = token
        # Every API call the bot makes, with its result (the sandbox's transcript panel); None: not kept.
        self.transcript = transcript
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = "Наставник"
        # Per chat: a token bucket of `chat_burst` messages (default: the rate, at least 1) refilled at
        # `rate_limit_per_chat` per second; overall: at most `rate_limit_global` within any sliding second.
        self.rate_limit_per_chat = rate_limit_per_chat
        self.chat_burst = chat_burst
        self.rate_limit_global = rate_limit_global

        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.errors: list[tuple[str, int, str]] = []
        self.error_log: list[ApiErrorRecord] = []  # the same errors, with their chat and origin
        self._error_expectations: list[_ErrorExpectation] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}

        self._users: dict[int, FakeUser] = {}
        self._groups: dict[int, FakeGroup] = {}
        self._group_numbers = itertools.count(1)
        self._blocked: set[int] = set()
        self._floods: list[_Injection] = []
        self._server_failures: list[_Injection] = []
        self._next_message_id: dict[int, int] = {}
        self._records: dict[tuple[int, int], _Record] = {}
        self._bot_messages: dict[int, list[SentMessage]] = {}
        self._reply_keyboards: dict[int, list[list[str]] | None] = {}
        self._events: dict[int, list[SentMessage]] = {}
        self._event_signal = asyncio.Event()
        # Told the chat id of every change a user would see (the sandbox's page follows them).
        self.listeners: list[Callable[[int], None]] = []
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._callbacks: dict[str, _Callback] = {}
        self._callback_counter = itertools.count(1)

        self._updates: deque[dict[str, Any]] = deque()
        self._next_update_id = 100_000_001
        self._update_signal = asyncio.Event()
        self._allowed_updates: list[str] = []
        self._poll_generation = 0

        self._chat_tat: dict[int, float] = {}  # per chat: the bucket's "theoretical arrival time" (GCRA)
        self._global_sends: deque[float] = deque()
        self._clock_offset = 0.0

        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._stopping = False
        self._methods: dict[str, Callable[[dict[str, Any]], Any]] = {
            name.lower(): handler
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "deleteWebhook": self._ok,
                "logOut": self._ok,
                "close": self._ok,
                "setMyCommands": self._set_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "getMyCommands": self._get_my_commands,
                "setMyDescription": self._set_my_description,
                "getMyDescription": self._get_my_description,
                "setMyShortDescription": self._set_my_short_description,
                "getMyShortDescription": self._get_my_short_description,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageCaption": self._edit_message_caption,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "answerCallbackQuery": self._answer_callback_query,
                "sendDocument": self._send_document,
                "sendPhoto": self._send_photo,
                "sendChatAction": self._send_chat_action,
                "copyMessage": self._copy_message,
                "forwardMessage": self._forward_message,
                "getFile": self._get_file,
                "getChat": self._get_chat,
                "leaveChat": self._leave_chat,
            }.items()
        }
        self._canonical_names = {
            "getme": "getMe",
            "getupdates": "getUpdates",
            "deletewebhook": "deleteWebhook",
            "logout": "logOut",
            "close": "close",
            "setmycommands": "setMyCommands",
            "deletemycommands": "deleteMyCommands",
            "getmycommands": "getMyCommands",
            "setmydescription": "setMyDescription",
            "getmydescription": "getMyDescription",
            "setmyshortdescription": "setMyShortDescription",
            "getmyshortdescription": "getMyShortDescription",
            "sendmessage": "sendMessage",
            "editmessagetext": "editMessageText",
            "editmessagecaption": "editMessageCaption",
            "editmessagereplymarkup": "editMessageReplyMarkup",
            "deletemessage": "deleteMessage",
            "answercallbackquery": "answerCallbackQuery",
            "senddocument": "sendDocument",
            "sendphoto": "sendPhoto",
            "sendchataction": "sendChatAction",
            "copymessage": "copyMessage",
            "forwardmessage": "forwardMessage",
            "getfile": "getFile",
            "getchat": "getChat",
            "leavechat": "leaveChat",
        }

    # ---- lifecycle -------------------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_UPLOAD_SIZE + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
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

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://127.0.0.1:{self._port}"

    # ---- users and failure injection -------------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Тест",
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str = "ru",
    ) -> FakeUser:
        existing = self._users.get(user_id)
        if existing is not None:
            return existing
        created = FakeUser(
            self, user_id, first_name, username=username, last_name=last_name, language_code=language_code
        )
        self._users[user_id] = created
        return created

    def group(self, title: str = "Учительская", *, supergroup: bool = False, bot_status: str = "member") -> FakeGroup:
        """A new group (or supergroup) chat; the bot is already in it unless `bot_status` says otherwise."""
        number = next(self._group_numbers)
        chat_id = -(1_000_000_000_000 + 2_000_000_000 + number) if supergroup else -(4_000_000_000 + number)
        created = FakeGroup(self, chat_id, title, "supergroup" if supergroup else "group", bot_status)
        self._groups[chat_id] = created
        return created

    def channel(self, title: str = "Новости") -> FakeGroup:
        """A channel (id −100…) the bot is not in yet; `add_bot(status="administrator")` adds it, as channels do."""
        chat_id = -(1_000_000_000_000 + 3_000_000_000 + next(self._group_numbers))
        created = FakeGroup(self, chat_id, title, "channel", "left")
        self._groups[chat_id] = created
        return created

    def block(self, user_id: int) -> None:
        self._blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        self._blocked.discard(user_id)

    def flood(self, count: int = 1, retry_after: int = 1, chat_id: int | None = None) -> None:
        self._floods.append(_Injection(count, chat_id, retry_after))

    def fail_server(self, count: int = 1, chat_id: int | None = None) -> None:
        self._server_failures.append(_Injection(count, chat_id))

    def advance_clock(self, seconds: float) -> None:
        """Move the fake's clock forward (message dates, callback query expiry, rate-limit windows)."""
        self._clock_offset += seconds

    def now(self) -> float:
        """The fake's wall clock, in Unix seconds."""
        return time.time() + self._clock_offset

    # ---- inspection ------------------------------------------------------------------------------------------

    def calls(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.requests if name == method]

    def messages(self, chat_id: int) -> list[SentMessage]:
        return list(self._bot_messages.get(chat_id, []))

    def file_content(self, file_id: str) -> bytes:
        return self._files[file_id].content

    def all_messages(self) -> list[SentMessage]:
        """Every bot message in every chat, as the chats show them now."""
        return [message for messages in self._bot_messages.values() for message in messages]

    # ---- error bookkeeping (read by the errors guard in tests/conftest.py) ------------------------------------

    def expect_error(self, code: int, contains: str = "", *, method: str | None = None) -> None:
        """Declare an error answer this test provokes on purpose: it must happen at least once, may repeat."""
        self._error_expectations.append(_ErrorExpectation(code, contains, method, required=True))

    def allow_error(self, code: int, contains: str = "", *, method: str | None = None) -> None:
        """Tolerate an error answer that may or may not happen (timing), without requiring it."""
        self._error_expectations.append(_ErrorExpectation(code, contains, method, required=False))

    def unexpected_errors(self) -> list[ApiErrorRecord]:
        """Error answers nobody declared.

        Not counted: getUpdates (long polling is aiogram's: a 409 when a restarted dispatcher's new poll
        overtakes the old one, or anything at shutdown, never reaches a user), and failures the test injected
        with ``flood()`` or ``fail_server()``.
        """
        for expectation in self._error_expectations:
            expectation.seen = 0
        unexpected = []
        for error in self.error_log:
            if error.method == "getUpdates" or error.injected:
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
                recent = [f"  {method}: {code} {text}" for method, code, text in self.errors[-5:]]
                calls = [f"  {method}" for method, _ in self.requests[-10:] if method != "getUpdates"]
                raise AssertionError(
                    f"Condition {getattr(predicate, '__name__', predicate)!r} still false after {timeout}s.\n"
                    "Recent calls:\n" + ("\n".join(calls) or "  (none)") + "\n"
                    "Recent errors:\n" + ("\n".join(recent) or "  (none)")
                )
            await asyncio.sleep(0.01)

    # ---- HTTP ------------------------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        raw_method = request.match_info["method"]
        method = self._canonical_names.get(raw_method.lower(), raw_method)
        try:
            params = await self._read_params(request)
        except ApiError as error:
            self.requests.append((method, {}))
            return self._error_response(method, error, {})
        self.requests.append((method, params))
        if request.match_info["token"] != self.token:
            return self._error_response(method, ApiError(401, "Unauthorized"), params)
        handler = self._methods.get(raw_method.lower())
        if handler is None:
            return self._error_response(method, ApiError(404, "Not Found: method not found"), params)
        try:
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as error:
            return self._error_response(method, error, params)
        except Exception as error:  # a bug in the fake must surface as a readable API error, not a hang
            failure = ApiError(500, f"Internal Server Error: fake failed: {error!r}")
            return self._error_response(method, failure, params)
        if method != "getUpdates" or result:  # an empty long poll is not worth a line
            self._transcribe(method, params, result=result)
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        stored = self._files_by_path.get(request.match_info["path"])
        if request.match_info["token"] != self.token or stored is None:
            self._transcribe("download", {}, error=ApiError(404, "Not Found"))
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        self._transcribe("download", {"file": stored})
        return web.Response(body=stored.content, content_type="application/octet-stream")

    def _error_response(self, method: str, error: ApiError, params: dict[str, Any]) -> web.Response:
        self.errors.append((method, error.code, error.description))
        self._transcribe(method, params, error=error)
        chat_id = params.get("chat_id")
        text = params.get("text", params.get("caption"))
        self.error_log.append(
            ApiErrorRecord(
                method,
                error.code,
                error.description,
                chat_id if isinstance(chat_id, int) and not isinstance(chat_id, bool) else None,
                error.injected,
                text if isinstance(text, str) else None,
            )
        )
        body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        return web.json_response(body, status=error.code)

    # ---- the transcript -------------------------------------------------------------------------------------

    def _transcribe(
        self, method: str, params: dict[str, Any], *, result: Any = None, error: ApiError | None = None
    ) -> None:
        if self.transcript is None:
            return
        try:
            summary = self._summary(method, params, result)
        except Exception as failure:  # a summary must never break the answer
            summary = f"{method} ({failure!r})"
        self.transcript.record(
            "telegram",
            method,
            summary,
            time=self.now(),
            ok=error is None,
            status=200 if error is None else error.code,
            error=None if error is None else error.description,
        )

    def _chat_label(self, params: dict[str, Any]) -> str:
        chat_id = params.get("chat_id")
        try:
            number = int(chat_id)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return str(chat_id) if chat_id not in (None, "") else ""
        if number in self._groups:
            return self._groups[number].title
        user = self._users.get(number)
        if user is None:
            return str(number)
        return " ".join(part for part in (user.first_name, user.last_name) if part)

    def _file_label(self, value: Any, kind: str) -> str:
        if isinstance(value, Upload):
            name, size = value.file_name, len(value.content)
        elif isinstance(value, str) and value in self._files:
            stored = self._files[value]
            name, size = stored.file_name, len(stored.content)
        else:
            return kind
        if kind == "photo" or not name:
            return f"{kind} ({size_label(size)})"
        return f"{name} ({size_label(size)})"

    def _summary(self, method: str, params: dict[str, Any], result: Any) -> str:
        """One line of what the call asked for: `sendMessage → Куратор: «Здравствуйте!…» [3 кнопки]`."""
        chat = self._chat_label(params)
        target = f"{method} → {chat}:" if chat else f"{method}:"
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            with contextlib.suppress(ValueError):
                markup = json.loads(markup)
        keyboard = ""
        if isinstance(markup, dict):
            if isinstance(markup.get("inline_keyboard"), list):
                keyboard = buttons_note(sum(len(row) for row in markup["inline_keyboard"] if isinstance(row, list)))
            elif markup.get("keyboard"):
                keyboard = "[клавиатура]"
            elif markup.get("remove_keyboard"):
                keyboard = "[клавиатура убрана]"
        html_mode = str(params.get("parse_mode") or "").lower() == "html"
        if method == "sendMessage":
            text = result.get("text") if isinstance(result, dict) else None
            return join(target, quote(text) if text else quote(params.get("text"), markup=html_mode), keyboard)
        if method in ("sendDocument", "sendPhoto"):
            kind = "document" if method == "sendDocument" else "photo"
            caption = quote(params.get("caption"), markup=html_mode)
            return join(target, self._file_label(params.get(kind), kind), caption, keyboard)
        if method in ("editMessageText", "editMessageCaption", "editMessageReplyMarkup", "deleteMessage"):
            text = quote(params.get("text", params.get("caption")), markup=html_mode)
            return join(f"{method} #{params.get('message_id')}" + (f" → {chat}" if chat else ""), text, keyboard)
        if method == "answerCallbackQuery":
            text = quote(params.get("text"))
            alert = "(окно)" if params.get("show_alert") in (True, "true") else ""
            return join(f"{method}:", text or "(без текста)", alert)
        if method == "sendChatAction":
            return join(target, str(params.get("action") or ""))
        if method == "getUpdates":
            kinds = ", ".join(sorted({next((k for k in u if k != "update_id"), "?") for u in result or []}))
            return f"{method}: {plural(len(result or []), 'обновление', 'обновления', 'обновлений')} ({kinds})"
        if method == "setMyCommands":
            commands = params.get("commands")
            count = len(commands) if isinstance(commands, list) else 0
            return f"{method}: {plural(count, 'команда', 'команды', 'команд')}"
        if method == "download":
            stored = params.get("file")
            if isinstance(stored, _StoredFile):
                return f"{method}: {stored.file_name or stored.file_path} ({size_label(len(stored.content))})"
            return f"{method}: файл не найден"
        if method in ("copyMessage", "forwardMessage"):
            return join(target, f"#{params.get('message_id')}")
        return target.removesuffix(":")

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        raw: dict[str, str] = dict(request.query)
        typed: dict[str, Any] = {}
        uploads: dict[str, Upload] = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise ApiError(400, "Bad Request: can't parse JSON object") from None
                if isinstance(body, dict):
                    typed.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        uploads[key] = Upload(value.filename, value.file.read(), value.content_type)
                    else:
                        raw[key] = value if isinstance(value, str) else value.decode()
        params: dict[str, Any] = {key: _decode_field(key, value) for key, value in raw.items()}
        params.update(typed)
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                upload = uploads.pop(value.removeprefix("attach://"), None)
                if upload is None:
                    raise ApiError(400, f"Bad Request: file for {key} not found in the request")
                params[key] = upload
        for key, upload in uploads.items():
            params.setdefault(key, upload)
        return params

    # ---- internal helpers ------------------------------------------------------------------------------------

    def _mono(self) -> float:
        return time.monotonic() + self._clock_offset

    def _date(self) -> int:
        return int(self.now())

    async def _wait_signal(self, signal: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(signal.wait(), seconds)

    def _notify_updates(self) -> None:
        self._update_signal.set()
        self._update_signal = asyncio.Event()

    def _queue_update(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append({"update_id": update_id, kind: payload})
        self._notify_updates()
        return update_id

    def _emit(self, sent: SentMessage) -> None:
        self._events.setdefault(sent.chat_id, []).append(sent.snapshot())
        self._event_signal.set()
        self._event_signal = asyncio.Event()
        self._changed(sent.chat_id)

    def _changed(self, chat_id: int) -> None:
        for listener in self.listeners:
            listener(chat_id)

    def _new_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 0) + 1
        self._next_message_id[chat_id] = message_id
        return message_id

    def _record(self, chat_id: int, message_id: int) -> _Record | None:
        return self._records.get((chat_id, message_id))

    def _bot_json(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name, "username": self.bot_username}

    def _chat_json(self, chat_id: int) -> dict[str, Any]:
        if chat_id in self._groups:
            return self._groups[chat_id].to_json()
        user = self._users[chat_id]
        data: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": user.first_name}
        if user.last_name:
            data["last_name"] = user.last_name
        if user.username:
            data["username"] = user.username
        return data

    def _store_file(self, content: bytes, file_name: str | None, mime_type: str | None, folder: str) -> _StoredFile:
        number = next(self._file_counter)
        prefix = {"documents": "BQAC", "photos": "AgAC", "stickers": "CAAC"}.get(folder, "BAAC")
        extension = ""
        if file_name and "." in file_name:
            extension = "." + file_name.rsplit(".", 1)[1]
        elif folder == "photos":
            extension = ".jpg"
        elif folder == "stickers":
            extension = ".webp"
        stored = _StoredFile(
            file_id=f"{prefix}{number:06d}{secrets.token_urlsafe(12)}",
            file_unique_id=f"AQAD{number:06d}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
            file_path=f"{folder}/file_{number}{extension}",
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _user_message(self, user: FakeUser, content: dict[str, Any], *, reply_to: int | None = None) -> int:
        message_id = self._new_message_id(user.id)
        date = self._date()
        payload: dict[str, Any] = {
            "message_id": message_id,
            "from": user.to_json(),
            "chat": self._chat_json(user.id),
            "date": date,
            **content,
        }
        if reply_to is not None:
            replied = self._record(user.id, reply_to)
            if replied is not None and not replied.deleted:
                payload["reply_to_message"] = self._record_json(replied)
        self._records[(user.id, message_id)] = _Record(user.id, message_id, date, False, payload)
        self._queue_update("message", payload)
        self._changed(user.id)
        return message_id

    def _queue_callback(self, user: FakeUser, message_id: int, data: str) -> str:
        query_id = f"{self.bot_id}{next(self._callback_counter):08d}"
        self._callbacks[query_id] = _Callback(query_id, user.id, self._mono())
        user._callback_ids.append(query_id)
        record = self._record(user.id, message_id)
        if record is not None and not record.deleted:
            message = self._record_json(record)
        else:
            message = {"chat": self._chat_json(user.id), "message_id": message_id, "date": 0}
        payload = {
            "id": query_id,
            "from": user.to_json(),
            "chat_instance": str((user.id * 2654435761 + self.bot_id) % (1 << 62)),
            "message": message,
            "data": data,
        }
        self._queue_update("callback_query", payload)
        return query_id

    def _queue_my_chat_member(self, user: FakeUser, *, old: str, new: str) -> None:
        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"status": status, "user": self._bot_json()}
            if status == "kicked":
                data["until_date"] = 0
            return data

        payload = {
            "chat": self._chat_json(user.id),
            "from": user.to_json(),
            "date": self._date(),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        self._queue_update("my_chat_member", payload)

    # ---- groups --------------------------------------------------------------------------------------------

    def _group_message(
        self,
        group: FakeGroup,
        user: FakeUser,
        content: dict[str, Any],
        *,
        reply_to: int | None = None,
        service: bool = False,
    ) -> int:
        """A user's message in a group; the bot gets it only if it is there and privacy mode lets it through."""
        message_id = self._new_message_id(group.id)
        date = self._date()
        payload: dict[str, Any] = {
            "message_id": message_id,
            "from": user.to_json(),
            "chat": group.to_json(),
            "date": date,
            **content,
        }
        replied = self._record(group.id, reply_to) if reply_to is not None else None
        if replied is not None and not replied.deleted:
            payload["reply_to_message"] = self._record_json(replied)
        self._records[(group.id, message_id)] = _Record(group.id, message_id, date, False, payload)
        text = str(content.get("text") or "")
        mention = re.match(r"^/\w+@(\w+)", text)
        to_this_bot = mention is None or mention.group(1).lower() == self.bot_username.lower()
        sees = (
            service
            or group.bot_status in ("creator", "administrator")
            or (text.startswith("/") and to_this_bot)
            or (replied is not None and replied.from_bot)
        )
        if group.bot_is_member and sees:
            self._queue_update("message", payload)
        return message_id

    def _queue_group_callback(self, member: FakeGroupMember, message_id: int, data: str) -> str:
        group, user = member.group, member.user
        query_id = f"{self.bot_id}{next(self._callback_counter):08d}"
        self._callbacks[query_id] = _Callback(query_id, user.id, self._mono())
        member._callback_ids.append(query_id)
        record = self._record(group.id, message_id)
        if record is not None and not record.deleted:
            message = self._record_json(record)
        else:
            message = {"chat": group.to_json(), "message_id": message_id, "date": 0}
        payload = {
            "id": query_id,
            "from": user.to_json(),
            "chat_instance": str((group.id * 2654435761 + self.bot_id) % (1 << 62)),
            "message": message,
            "data": data,
        }
        self._queue_update("callback_query", payload)
        return query_id

    def _queue_group_membership(self, group: FakeGroup, by: dict[str, Any] | FakeUser, *, old: str, new: str) -> None:
        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"status": status, "user": self._bot_json()}
            if status == "kicked":
                data["until_date"] = 0
            elif status == "administrator":
                data.update(_ADMIN_RIGHTS)
            return data

        payload = {
            "chat": group.to_json(),
            "from": by.to_json() if isinstance(by, FakeUser) else by,
            "date": self._date(),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        self._queue_update("my_chat_member", payload)

    def _gate_group(self, chat_id: int) -> None:
        group = self._groups.get(chat_id)
        if group is not None and not group.bot_is_member:
            verb = "was kicked from" if group.bot_status == "kicked" else "is not a member of"
            raise ApiError(403, f"Forbidden: bot {verb} the {group.type} chat")

    def _leave_chat(self, params: dict[str, Any]) -> bool:
        chat_id = self._chat_id(params)
        group = self._groups.get(chat_id)
        if group is None:
            raise ApiError(400, "Bad Request: chat member status can't be changed in private chats")
        self._gate_group(chat_id)
        old = group.bot_status
        group.bot_status = "left"
        self._queue_group_membership(group, self._bot_json(), old=old, new="left")
        return True

    def _record_json(self, record: _Record) -> dict[str, Any]:
        if record.sent is None:
            return record.payload
        return self._sent_json(record.sent)

    def _sent_json(self, sent: SentMessage, *, with_reply: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": sent.message_id,
            "from": self._bot_json(),
            "chat": self._chat_json(sent.chat_id),
            "date": sent.date,
        }
        if sent.edit_date is not None:
            data["edit_date"] = sent.edit_date
        if sent.forwarded:
            data["forward_origin"] = {"type": "user", "sender_user": self._bot_json(), "date": sent.date}
        is_media = sent.document is not None or sent.photo is not None or sent.sticker is not None
        if sent.document is not None:
            data["document"] = _document_json(self._files[sent.document["file_id"]])
        elif sent.photo is not None:
            data["photo"] = [_photo_size(self._files[sent.photo["file_id"]])]
        elif sent.sticker is not None:
            data["sticker"] = sent.sticker
        if is_media:
            if sent.text:
                data["caption"] = sent.text
                if sent.entities:
                    data["caption_entities"] = sent.entities
        else:
            data["text"] = sent.text
            if sent.entities:
                data["entities"] = sent.entities
        if sent.reply_markup is not None:
            data["reply_markup"] = sent.reply_markup
        if with_reply and sent.reply_to_message_id is not None:
            replied = self._record(sent.chat_id, sent.reply_to_message_id)
            if replied is not None and not replied.deleted:
                data["reply_to_message"] = (
                    self._sent_json(replied.sent, with_reply=False) if replied.sent else replied.payload
                )
        return data

    def _chat_id(self, params: dict[str, Any], key: str = "chat_id") -> int:
        value = params.get(key)
        if value is None or value == "":
            raise ApiError(400, f"Bad Request: {key} is empty")
        if isinstance(value, str):
            try:
                value = int(value)
            except ValueError:
                raise ApiError(400, ERR_CHAT_NOT_FOUND) from None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ApiError(400, ERR_CHAT_NOT_FOUND)
        if value not in self._users and value not in self._groups:
            raise ApiError(400, ERR_CHAT_NOT_FOUND)
        return value

    def _message_id(self, params: dict[str, Any], key: str = "message_id") -> int:
        value = params.get(key)
        if value is None or value == "":
            raise ApiError(400, "Bad Request: message identifier is not specified")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError(400, f"Bad Request: invalid {key} specified") from None

    def _take_injection(self, injections: list[_Injection], chat_id: int) -> _Injection | None:
        for injection in injections:
            if injection.chat_id is None or injection.chat_id == chat_id:
                injection.remaining -= 1
                if injection.remaining <= 0:
                    injections.remove(injection)
                return injection
        return None

    def _gate(self, chat_id: int, kind: str) -> None:
        """Apply injected failures, rate limits and blocks to a request aimed at a chat.

        ``kind`` is "send" (creates a message), "edit" or "action" (chat actions, deletions).
        """
        self._gate_group(chat_id)
        if kind in ("send", "edit"):
            flood = self._take_injection(self._floods, chat_id)
            if flood is not None:
                raise ApiError(
                    429, f"Too Many Requests: retry after {flood.retry_after}", flood.retry_after, injected=True
                )
            if kind == "send" and self._take_injection(self._server_failures, chat_id) is not None:
                raise ApiError(500, ERR_SERVER, injected=True)
            self._check_rate(chat_id)
        if chat_id in self._blocked:
            raise ApiError(403, ERR_BLOCKED)

    def _chat_limit(self) -> tuple[float, float] | None:
        """(seconds per message, how far ahead of now a chat's bucket may run) for the per-chat limit."""
        if self.rate_limit_per_chat is None:
            return None
        burst = self.chat_burst if self.chat_burst is not None else max(1, int(self.rate_limit_per_chat))
        interval = 1.0 / self.rate_limit_per_chat
        return interval, (burst - 1) * interval

    def _check_rate(self, chat_id: int) -> None:
        now = self._mono()
        chat_limit = self._chat_limit()
        if chat_limit is not None and self._chat_tat.get(chat_id, now) - now > chat_limit[1] + 1e-9:
            raise ApiError(429, "Too Many Requests: retry after 1", 1)
        limit, window = self.rate_limit_global, self._global_sends
        if limit is not None:
            span, allowed = (1.0, int(limit)) if limit >= 1 else (1.0 / limit, 1)
            while window and window[0] <= now - span:
                window.popleft()
            if len(window) >= allowed:
                raise ApiError(429, "Too Many Requests: retry after 1", 1)

    def _count_send(self, chat_id: int) -> None:
        now = self._mono()
        chat_limit = self._chat_limit()
        if chat_limit is not None:
            self._chat_tat[chat_id] = max(self._chat_tat.get(chat_id, now), now) + chat_limit[0]
        if self.rate_limit_global is not None:
            self._global_sends.append(now)

    def _parse_text(
        self, raw: Any, parse_mode: Any, entities: Any, *, caption: bool
    ) -> tuple[str | None, list[dict[str, Any]], str | None]:
        """Return visible text, entities and the parse mode used; raise Telegram's errors."""
        if raw is None or raw == "":
            if caption:
                return None, [], None
            raise ApiError(400, ERR_TEXT_EMPTY)
        text = raw if isinstance(raw, str) else str(raw)
        mode = parse_mode if isinstance(parse_mode, str) and parse_mode else None
        parsed_entities: list[dict[str, Any]] = []
        try:
            if mode is None:
                visible = text
                if isinstance(entities, list):
                    parsed_entities = [e for e in entities if isinstance(e, dict)]
            elif mode.lower() == "html":
                visible, parsed_entities = parse_html(text)
            elif mode.lower() == "markdownv2":
                visible, parsed_entities = parse_markdown_v2(text)
            elif mode.lower() == "markdown":
                visible, parsed_entities = parse_markdown(text)
            else:
                raise ApiError(400, "Bad Request: unsupported parse_mode")
        except EntityParseError as error:
            raise ApiError(400, f"Bad Request: can't parse entities: {error}") from None
        visible, parsed_entities = _strip_text(visible, parsed_entities)
        if not visible:
            if caption:
                return None, [], mode
            raise ApiError(400, ERR_TEXT_EMPTY)
        if caption and utf16_len(visible) > MAX_CAPTION_LENGTH:
            raise ApiError(400, ERR_CAPTION_TOO_LONG)
        if not caption and utf16_len(visible) > MAX_TEXT_LENGTH:
            raise ApiError(400, ERR_TEXT_TOO_LONG)
        return visible, parsed_entities, mode

    def _parse_markup(
        self, raw: Any, *, inline_only: bool = False
    ) -> tuple[dict[str, Any] | None, list[list[Button]], list[list[str]] | None, bool]:
        """Validate reply_markup; return (inline markup, buttons, reply keyboard, removes keyboard)."""
        if raw is None or raw == "":
            return None, [], None, False
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object") from None
        if not isinstance(raw, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in raw:
            markup, buttons = _validate_inline_keyboard(raw["inline_keyboard"])
            return markup, buttons, None, False
        if inline_only:
            raise ApiError(400, "Bad Request: inline keyboard expected")
        if "keyboard" in raw:
            rows = raw["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise ApiError(400, 'Bad Request: field "keyboard" of the ReplyKeyboardMarkup should be an Array')
            keyboard: list[list[str]] = []
            for row in rows:
                texts = []
                for button in row:
                    label = button.get("text") if isinstance(button, dict) else button
                    if not isinstance(label, str) or not label.strip():
                        raise ApiError(400, "Bad Request: keyboard button text must be non-empty")
                    texts.append(label)
                keyboard.append(texts)
            return None, [], keyboard, False
        if raw.get("remove_keyboard"):
            return None, [], None, True
        if raw.get("force_reply"):
            return None, [], None, False
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")

    def _reply_to(self, chat_id: int, params: dict[str, Any]) -> int | None:
        reply = params.get("reply_parameters")
        allow_missing = bool(params.get("allow_sending_without_reply"))
        message_id: Any = params.get("reply_to_message_id")
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow_missing = bool(reply.get("allow_sending_without_reply", allow_missing))
        if message_id is None:
            return None
        record = self._record(chat_id, int(message_id))
        if record is None or record.deleted:
            if allow_missing:
                return None
            raise ApiError(400, "Bad Request: message to be replied not found")
        return int(message_id)

    def _create_message(
        self,
        chat_id: int,
        params: dict[str, Any],
        *,
        text: str | None,
        entities: list[dict[str, Any]],
        parse_mode: str | None,
        raw_text: str | None,
        document: dict[str, Any] | None = None,
        photo: dict[str, Any] | None = None,
        sticker: dict[str, Any] | None = None,
        forwarded: bool = False,
        markup: tuple[dict[str, Any] | None, list[list[Button]], list[list[str]] | None, bool] | None = None,
    ) -> SentMessage:
        inline, buttons, keyboard, removes = markup if markup is not None else (None, [], None, False)
        reply_to = self._reply_to(chat_id, params)
        message_id = self._new_message_id(chat_id)
        sent = SentMessage(
            message_id=message_id,
            chat_id=chat_id,
            text=text,
            parse_mode=parse_mode,
            buttons=buttons,
            reply_keyboard=keyboard,
            document=document,
            photo=photo,
            entities=entities,
            raw_text=raw_text,
            reply_markup=inline,
            reply_to_message_id=reply_to,
            sticker=sticker,
            forwarded=forwarded,
            date=self._date(),
        )
        if keyboard is not None:
            self._reply_keyboards[chat_id] = keyboard
        elif removes:
            self._reply_keyboards.pop(chat_id, None)
        self._records[(chat_id, message_id)] = _Record(chat_id, message_id, sent.date, True, {}, sent)
        self._bot_messages.setdefault(chat_id, []).append(sent)
        self._count_send(chat_id)
        self._emit(sent)
        return sent

    def _resolve_file(self, value: Any, kind: str) -> _StoredFile:
        if value is None or value == "":
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        if isinstance(value, Upload):
            if not value.content:
                raise ApiError(400, "Bad Request: file must be non-empty")
            if len(value.content) > MAX_UPLOAD_SIZE:
                raise ApiError(413, "Request Entity Too Large")
            if kind == "photo" and not _looks_like_image(value.content):
                raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
            folder = "photos" if kind == "photo" else "documents"
            name = value.file_name if kind == "document" else None
            mime = _guess_mime(value.file_name) if kind == "document" else "image/jpeg"
            return self._store_file(value.content, name, mime, folder)
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    # ---- methods ---------------------------------------------------------------------------------------------

    def _ok(self, params: dict[str, Any]) -> bool:
        return True

    def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_json(),
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = _int_param(params, "offset", 0)
        limit = min(max(_int_param(params, "limit", 100), 1), 100)
        timeout = max(_int_param(params, "timeout", 0), 0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed]
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify_updates()
        if offset > 0:
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
        elif offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            ready = self._deliverable(limit)
            if ready or self._stopping:
                return ready
            if generation != self._poll_generation:
                raise ApiError(409, ERR_CONFLICT)
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self._wait_signal(self._update_signal, remaining)

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        allowed = set(self._allowed_updates)
        result: list[dict[str, Any]] = []
        kept: deque[dict[str, Any]] = deque()
        for update in self._updates:
            kind = next(key for key in update if key != "update_id")
            wanted = kind in allowed if allowed else kind not in _DEFAULT_EXCLUDED_UPDATES
            if not wanted:
                continue
            kept.append(update)
            if len(result) < limit:
                result.append(update)
        self._updates = kept
        return result

    def _scope_key(self, params: dict[str, Any]) -> str:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise ApiError(400, "Bad Request: can't parse BotCommandScope JSON object")
        kind = scope["type"]
        if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
            key = kind
        elif kind in ("chat", "chat_administrators", "chat_member"):
            chat_id = self._chat_id(scope)
            key = f"{kind}:{chat_id}"
            if kind == "chat_member":
                key += f":{_int_param(scope, 'user_id', 0)}"
        else:
            raise ApiError(400, "Bad Request: unsupported bot command scope type")
        language = params.get("language_code")
        return f"{key}|{language}" if language else key

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        cleaned: list[dict[str, Any]] = []
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.match(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            description = command.get("description")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": command["command"], "description": description})
        self.commands[self._scope_key(params)] = cleaned
        return True

    def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(self._scope_key(params), [])

    def _set_my_description(self, params: dict[str, Any]) -> bool:
        description = str(params.get("description") or "")
        if len(description) > 512:
            raise ApiError(400, "Bad Request: description is too long")
        self.descriptions[str(params.get("language_code") or "")] = description
        return True

    def _get_my_description(self, params: dict[str, Any]) -> dict[str, str]:
        return {"description": self.descriptions.get(str(params.get("language_code") or ""), "")}

    def _set_my_short_description(self, params: dict[str, Any]) -> bool:
        description = str(params.get("short_description") or "")
        if len(description) > 120:
            raise ApiError(400, "Bad Request: short description is too long")
        self.short_descriptions[str(params.get("language_code") or "")] = description
        return True

    def _get_my_short_description(self, params: dict[str, Any]) -> dict[str, str]:
        return {"short_description": self.short_descriptions.get(str(params.get("language_code") or ""), "")}

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        self._gate(chat_id, "send")
        text, entities, mode = self._parse_text(
            params.get("text"), params.get("parse_mode"), params.get("entities"), caption=False
        )
        markup = self._parse_markup(params.get("reply_markup"))
        sent = self._create_message(
            chat_id,
            params,
            text=text,
            entities=entities,
            parse_mode=mode,
            raw_text=params.get("text"),
            markup=markup,
        )
        return self._sent_json(sent)

    def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._send_media(params, "document")

    def _send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._send_media(params, "photo")

    def _send_media(self, params: dict[str, Any], kind: str) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        self._gate(chat_id, "send")
        stored = self._resolve_file(params.get(kind), kind)
        caption, entities, mode = self._parse_text(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities"), caption=True
        )
        markup = self._parse_markup(params.get("reply_markup"))
        media: dict[str, Any] = {"file_id": stored.file_id, "content": stored.content}
        if kind == "document":
            media["file_name"] = stored.file_name
            media["mime_type"] = stored.mime_type
        sent = self._create_message(
            chat_id,
            params,
            text=caption,
            entities=entities,
            parse_mode=mode,
            raw_text=params.get("caption"),
            document=media if kind == "document" else None,
            photo=media if kind == "photo" else None,
            markup=markup,
        )
        return self._sent_json(sent)

    def _editable(self, params: dict[str, Any]) -> SentMessage:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat_id = self._chat_id(params)
        self._gate(chat_id, "edit")
        record = self._record(chat_id, self._message_id(params))
        if record is None or record.deleted:
            raise ApiError(400, ERR_EDIT_NOT_FOUND)
        if record.sent is None:
            raise ApiError(400, "Bad Request: message can't be edited")
        return record.sent

    def _apply_edit(
        self,
        sent: SentMessage,
        *,
        text: str | None,
        entities: list[dict[str, Any]],
        parse_mode: str | None,
        raw_text: str | None,
        markup: tuple[dict[str, Any] | None, list[list[Button]], list[list[str]] | None, bool],
    ) -> dict[str, Any]:
        inline, buttons, _, _ = markup
        if (text, entities, inline) == (sent.text, sent.entities, sent.reply_markup):
            raise ApiError(400, ERR_NOT_MODIFIED)
        sent.text = text
        sent.entities = entities
        sent.parse_mode = parse_mode
        sent.raw_text = raw_text
        sent.reply_markup = inline
        sent.buttons = buttons
        sent.edited = True
        sent.edit_date = self._date()
        self._count_send(sent.chat_id)
        self._emit(sent)
        return self._sent_json(sent)

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        sent = self._editable(params)
        if sent.document is not None or sent.photo is not None or sent.sticker is not None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text, entities, mode = self._parse_text(
            params.get("text"), params.get("parse_mode"), params.get("entities"), caption=False
        )
        markup = self._parse_markup(params.get("reply_markup"), inline_only=True)
        return self._apply_edit(
            sent, text=text, entities=entities, parse_mode=mode, raw_text=params.get("text"), markup=markup
        )

    def _edit_message_caption(self, params: dict[str, Any]) -> dict[str, Any]:
        sent = self._editable(params)
        if sent.document is None and sent.photo is None:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        caption, entities, mode = self._parse_text(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities"), caption=True
        )
        markup = self._parse_markup(params.get("reply_markup"), inline_only=True)
        return self._apply_edit(
            sent, text=caption, entities=entities, parse_mode=mode, raw_text=params.get("caption"), markup=markup
        )

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        sent = self._editable(params)
        markup = self._parse_markup(params.get("reply_markup"), inline_only=True)
        return self._apply_edit(
            sent,
            text=sent.text,
            entities=sent.entities,
            parse_mode=sent.parse_mode,
            raw_text=sent.raw_text,
            markup=markup,
        )

    def _delete_message(self, params: dict[str, Any]) -> bool:
        chat_id = self._chat_id(params)
        self._gate(chat_id, "action")
        record = self._record(chat_id, self._message_id(params))
        if record is None or record.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        if self.now() - record.date > DELETE_WINDOW:
            raise ApiError(400, "Bad Request: message can't be deleted for everyone")
        record.deleted = True
        if record.sent is not None:
            record.sent.deleted = True
        return True

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        callback = self._callbacks.get(str(params.get("callback_query_id") or ""))
        if callback is None or callback.answered or self._mono() - callback.created > CALLBACK_QUERY_TTL:
            raise ApiError(400, ERR_QUERY_TOO_OLD)
        text = params.get("text")
        if isinstance(text, str) and utf16_len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        callback.answered = True
        callback.answer = params
        self._changed(callback.user_id)
        return True

    def _send_chat_action(self, params: dict[str, Any]) -> bool:
        chat_id = self._chat_id(params)
        self._gate(chat_id, "action")
        if params.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _source_record(self, params: dict[str, Any], verb: str) -> _Record:
        from_chat = self._chat_id(params, "from_chat_id")
        record = self._record(from_chat, self._message_id(params))
        if record is None or record.deleted:
            raise ApiError(400, f"Bad Request: message to {verb} not found")
        return record

    def _duplicate(self, params: dict[str, Any], verb: str) -> SentMessage:
        chat_id = self._chat_id(params)
        self._gate(chat_id, "send")
        record = self._source_record(params, verb)
        source = self._record_json(record)
        document = photo = sticker = None
        if "document" in source:
            stored = self._files[source["document"]["file_id"]]
            document = {
                "file_id": stored.file_id,
                "file_name": stored.file_name,
                "content": stored.content,
                "mime_type": stored.mime_type,
            }
        elif "photo" in source:
            stored = self._files[source["photo"][-1]["file_id"]]
            photo = {"file_id": stored.file_id, "content": stored.content}
        elif "sticker" in source:
            sticker = source["sticker"]
        is_media = document is not None or photo is not None or sticker is not None
        text: str | None = source.get("caption") if is_media else source.get("text")
        entities: list[dict[str, Any]] = source.get("caption_entities" if is_media else "entities", [])
        mode: str | None = None
        raw_text = text
        markup = None
        if verb == "copy":
            if is_media and "caption" in params:
                raw_text = params.get("caption")
                text, entities, mode = self._parse_text(
                    raw_text, params.get("parse_mode"), params.get("caption_entities"), caption=True
                )
            markup = self._parse_markup(params.get("reply_markup"))
        return self._create_message(
            chat_id,
            params,
            text=text,
            entities=list(entities),
            parse_mode=mode,
            raw_text=raw_text,
            document=document,
            photo=photo,
            sticker=sticker,
            forwarded=verb == "forward",
            markup=markup,
        )

    def _copy_message(self, params: dict[str, Any]) -> dict[str, int]:
        return {"message_id": self._duplicate(params, "copy").message_id}

    def _forward_message(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._sent_json(self._duplicate(params, "forward"))

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    def _get_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        return {
            **self._chat_json(chat_id),
            "accent_color_id": chat_id % 7,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
                "gifts_from_channels": True,
            },
        }


# --------------------------------------------------------------------------------------------------------------
# Module helpers
# --------------------------------------------------------------------------------------------------------------


def _decode_field(key: str, value: str) -> Any:
    """Undo aiogram's form encoding: non-string values arrive as JSON text."""
    if key in _STRING_FIELDS or not value:
        return value
    if value[0] in '{["-0123456789' or value in ("true", "false", "null"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _int_param(params: dict[str, Any], key: str, default: int) -> int:
    value = params.get(key)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: invalid {key} specified") from None


def _validate_inline_keyboard(rows: Any) -> tuple[dict[str, Any], list[list[Button]]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(
            400, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    if sum(len(row) for row in rows) > 100:
        raise ApiError(400, "Bad Request: reply markup is too long")
    buttons: list[list[Button]] = []
    for row in rows:
        parsed_row: list[Button] = []
        for button in row:
            if not isinstance(button, dict):
                raise ApiError(400, f"{_BUTTON_ERROR}: InlineKeyboardButton must be an Object")
            text = button.get("text")
            if not isinstance(text, str) or not text.strip():
                raise ApiError(400, f"{_BUTTON_ERROR}: Text must be non-empty")
            actions = [key for key in _BUTTON_ACTIONS if key in button and button[key] is not None]
            if not actions:
                raise ApiError(400, f"{_BUTTON_ERROR}: Text buttons are unallowed in the inline keyboard")
            if len(actions) > 1:
                raise ApiError(
                    400,
                    f"{_BUTTON_ERROR}: exactly one of the optional fields must be used, got {', '.join(actions)}",
                )
            data = button.get("callback_data")
            if "callback_data" in actions and (not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64):
                raise ApiError(400, ERR_BUTTON_DATA)
            url = button.get("url")
            if "url" in actions and (not isinstance(url, str) or not _URL_RE.match(url)):
                raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
            parsed_row.append(Button(text=text, callback_data=data, url=url))
        if parsed_row:
            buttons.append(parsed_row)
    return {"inline_keyboard": rows}, buttons


def _document_json(stored: _StoredFile) -> dict[str, Any]:
    data: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
    }
    if stored.file_name:
        data["file_name"] = stored.file_name
    if stored.mime_type:
        data["mime_type"] = stored.mime_type
    return data


def _photo_size(stored: _StoredFile) -> dict[str, Any]:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "width": 800,
        "height": 600,
        "file_size": len(stored.content),
    }


def _guess_mime(file_name: str | None) -> str:
    guessed, _ = mimetypes.guess_type(file_name or "")
    return guessed or "application/octet-stream"


def _looks_like_image(content: bytes) -> bool:
    return content.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")) or (
        content[:4] == b"RIFF" and content[8:12] == b"WEBP"
    )
