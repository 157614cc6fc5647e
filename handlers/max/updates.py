"""MAX's updates (the JSON of `GET /updates` or of a webhook's POST) as what the application layer takes.

Read from the platform's JSON directly (dev.max.ru/docs-api/objects/Update): only the few fields the bot uses,
so that a field MAX adds or a type it invents does not stop the bot.
- `message_created` in a dialog: a command («/menu»), a text, or a file (`FileIn`, by MAX's token of it);
- `message_callback`: a press (`PressIn`, with the pressed message's id, a string on MAX);
- `bot_started`: the person pressed «Начать», perhaps from a link with a start payload: `/start <payload>`;
- `bot_stopped`: the person stopped the bot (as a Telegram user blocking it).
A message or a press in a group chat, or the bot added to one, is `InGroup`: the bot works in private only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.flows.events import CommandIn, Event, FileIn, Messenger, Person, PressIn, TextIn
from handlers.max.client import file_ref

_MIME = {"image": "image/jpeg", "video": "video/mp4", "audio": "audio/mpeg"}


@dataclass(frozen=True)
class Incoming:
    """An event from a person's dialog; `callback_id`: the press to answer; `name`: theirs on MAX."""

    event: Event
    callback_id: str | None = None
    name: str = ""


@dataclass(frozen=True)
class Stopped:
    person: Person


@dataclass(frozen=True)
class InGroup:
    """Something in a group chat (or the bot added to one): `callback_id` when it was a press."""

    chat_id: int
    callback_id: str | None = None


Update = Incoming | Stopped | InGroup


def person(user: dict[str, Any] | None) -> Person | None:
    if not isinstance(user, dict) or user.get("is_bot") or not isinstance(user.get("user_id"), int):
        return None
    return Person(Messenger.MAX, user["user_id"])


def name_of(user: dict[str, Any] | None) -> str:
    if not isinstance(user, dict):
        return ""
    return str(user.get("name") or " ".join(filter(None, (user.get("first_name"), user.get("last_name")))))


def command(who: Person, text: str, name: str = "") -> Event:
    """`/command args` a command (`/start@bot` as `/start`), anything else a text."""
    if text.startswith("/") and len(text) > 1:
        head, _, args = text[1:].partition(" ")
        return CommandIn(who, head.split("@", 1)[0].lower(), args.strip(), name)
    return TextIn(who, text)


def _in_dialog(message: dict[str, Any]) -> bool:
    recipient = message.get("recipient") or {}
    return recipient.get("chat_type", "dialog") == "dialog"


def _chat_of(message: dict[str, Any]) -> int:
    return int((message.get("recipient") or {}).get("chat_id") or 0)


def _file(who: Person, body: dict[str, Any], caption: str) -> Event:
    """The first attachment of a message as a file; a sticker, a location, a contact… as a file with no file."""
    for attachment in body.get("attachments") or ():
        kind = attachment.get("type")
        payload = attachment.get("payload") or {}
        token = payload.get("token") if isinstance(payload, dict) else None
        if kind in ("file", "image", "video", "audio") and token:
            name = str(attachment.get("filename") or "")
            mime = _MIME.get(kind) or _mime_of(name)
            return FileIn(who, name, mime, file_ref(kind, token), caption=caption)
    return FileIn(who, "", "", "", caption=caption)


def _mime_of(name: str) -> str:
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def parse(update: dict[str, Any]) -> Update | None:
    """What an update is for the bot; None for one it does not act on."""
    kind = update.get("update_type")
    if kind == "message_created":
        message = update.get("message") or {}
        who = person(message.get("sender"))
        if who is None:
            return None
        if not _in_dialog(message):
            return InGroup(_chat_of(message))
        body = message.get("body") or {}
        text = body.get("text") or ""
        if body.get("attachments"):
            return Incoming(_file(who, body, text), name=name_of(message.get("sender")))
        name = name_of(message.get("sender"))
        return Incoming(command(who, text, name), name=name)
    if kind == "message_callback":
        callback = update.get("callback") or {}
        who = person(callback.get("user"))
        if who is None:
            return None
        message = update.get("message") or {}
        callback_id = str(callback.get("callback_id") or "")
        if message and not _in_dialog(message):
            return InGroup(_chat_of(message), callback_id)
        mid = (message.get("body") or {}).get("mid")
        return Incoming(
            PressIn(who, str(callback.get("payload") or ""), str(mid) if mid else None),
            callback_id=callback_id,
            name=name_of(callback.get("user")),
        )
    if kind == "bot_started":
        who = person(update.get("user"))
        if who is None:
            return None
        name = name_of(update.get("user"))
        return Incoming(CommandIn(who, "start", str(update.get("payload") or ""), name), name=name)
    if kind == "bot_stopped":
        who = person(update.get("user"))
        return Stopped(who) if who is not None else None
    if kind == "bot_added":
        return InGroup(int(update.get("chat_id") or 0))
    return None


def user_of(update: dict[str, Any]) -> int | None:
    """Whose update it is (updates of one person are handled in their order), None when nobody's."""
    for holder in (update.get("callback"), update.get("message"), update):
        if not isinstance(holder, dict):
            continue
        user = holder.get("user") or holder.get("sender")
        if isinstance(user, dict) and isinstance(user.get("user_id"), int):
            return user["user_id"]
    return None
