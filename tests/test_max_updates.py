"""MAX's update JSON (dev.max.ru/docs-api/objects/Update, as bot/sandbox/max.py produces it) as events."""

from __future__ import annotations

from typing import Any

from bot.flows.events import CommandIn, FileIn, Messenger, Person, PressIn, TextIn
from handlers.max.updates import Incoming, InGroup, Stopped, parse, user_of

USER = {"user_id": 5001, "first_name": "Лена", "last_name": "Смирнова", "name": "Лена Смирнова", "is_bot": False}
LENA = Person(Messenger.MAX, 5001)


def _message(text: str | None, *, chat_type: str = "dialog", attachments: list[Any] | None = None) -> dict[str, Any]:
    body = {"mid": "mid.1", "seq": 1, "text": text, "attachments": attachments}
    recipient = {"chat_id": 182000001, "chat_type": chat_type, "user_id": 229229229}
    return {"update_type": "message_created", "message": {"sender": USER, "recipient": recipient, "body": body}}


def test_a_start_with_a_payload_is_the_start_command_with_the_code_and_the_name() -> None:
    update = {"update_type": "bot_started", "chat_id": 182000001, "user": USER, "payload": "cur-abc"}
    parsed = parse(update)
    assert parsed == Incoming(CommandIn(LENA, "start", "cur-abc", "Лена Смирнова"), name="Лена Смирнова")
    assert user_of(update) == 5001


def test_texts_commands_and_presses() -> None:
    assert parse(_message("Привет")) == Incoming(TextIn(LENA, "Привет"), name="Лена Смирнова")
    command = parse(_message("/menu@nastavnik_bot extra"))
    assert isinstance(command, Incoming) and command.event == CommandIn(LENA, "menu", "extra", "Лена Смирнова")
    press = {
        "update_type": "message_callback",
        "callback": {"callback_id": "cb-1", "payload": "m:profile", "user": USER},
        "message": {"recipient": {"chat_id": 182000001, "chat_type": "dialog"}, "body": {"mid": "mid.9"}},
    }
    parsed = parse(press)
    assert isinstance(parsed, Incoming) and parsed.callback_id == "cb-1"
    assert parsed.event == PressIn(LENA, "m:profile", "mid.9")  # MAX's message ids are strings


def test_a_file_is_kept_by_its_token_and_a_sticker_is_a_file_with_none() -> None:
    document = {"type": "file", "payload": {"url": "https://x/1", "token": "tok-1"}, "filename": "план.pdf"}
    parsed = parse(_message("подпись", attachments=[document]))
    assert isinstance(parsed, Incoming)
    assert parsed.event == FileIn(LENA, "план.pdf", "application/pdf", "max:file:tok-1", caption="подпись")
    sticker = {"type": "sticker", "payload": {"url": "https://x/s", "code": "abc"}}
    parsed = parse(_message(None, attachments=[sticker]))
    assert isinstance(parsed, Incoming) and parsed.event == FileIn(LENA, "", "", "")


def test_group_chats_stops_and_what_the_bot_does_not_act_on() -> None:
    assert parse(_message("всем привет", chat_type="chat")) == InGroup(182000001)
    assert parse({"update_type": "bot_stopped", "chat_id": 1, "user": USER}) == Stopped(LENA)
    assert parse({"update_type": "message_edited", "message": {}}) is None
    bot_user = {**USER, "is_bot": True}
    assert parse({"update_type": "bot_started", "chat_id": 1, "user": bot_user}) is None
