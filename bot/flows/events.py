"""What a person did, as the application layer sees it: who (a person on a messenger) and what."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Messenger(StrEnum):
    TELEGRAM = "telegram"
    MAX = "max"


@dataclass(frozen=True)
class Person:
    """Someone writing to the bot: their messenger and their account id there (their private chat)."""

    messenger: Messenger
    account_id: int


@dataclass(frozen=True)
class TextIn:
    person: Person
    text: str


@dataclass(frozen=True)
class CommandIn:
    person: Person
    command: str  # without the slash
    args: str = ""
    name: str = ""  # the sender's name as their messenger shows it (a curator accepting a link is listed by it)


@dataclass(frozen=True)
class PressIn:
    """A button pressed: its payload and the id of the message it was on (a string: MAX's ids are strings)."""

    person: Person
    payload: str
    message_id: str | None = None


@dataclass(frozen=True)
class FileIn:
    """A file sent: the adapter downloads what a flow reads (`content`; empty when the flow needs only the
    messenger's own id of the file, `file_ref`, to send it on)."""

    person: Person
    name: str
    mime: str
    file_ref: str
    content: bytes = b""
    caption: str = ""  # the text sent with the file (in the markup of `bot.flows.screens`)


Event = TextIn | CommandIn | PressIn | FileIn
