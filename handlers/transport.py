"""The Bot API session: aiogram's aiohttp session with a cheaper serialisation of keyboards.

aiogram turns a request into form fields by dumping the whole method to dicts and walking them in Python
(`BaseSession.prepare_value`), then `json.dumps` each nested value. For a question with ten buttons that walk
cost about 50 µs, as much as everything else of the request (bench/README.md, intake throughput). Keyboards
hold no files and no «default» placeholders, so pydantic can write their JSON directly (about 7 µs); every
other field still goes through aiogram's own path.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import TelegramMethod
from aiogram.types import ForceReply, InlineKeyboardMarkup, InputFile, ReplyKeyboardMarkup, ReplyKeyboardRemove
from aiohttp import FormData

KEYBOARDS = (InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, ForceReply)


class KeyboardJson:
    """Mixin for an aiogram session: `request_fields` serialises a method as aiogram does, keyboards aside."""

    def request_fields(self, bot: Bot, method: TelegramMethod[Any]) -> tuple[dict[str, str], dict[str, InputFile]]:
        """The form fields of `method` (name → text) and the files to attach, as `build_form_data` sends them."""
        keyboards = {name: value for name, value in method if isinstance(value, KEYBOARDS)}
        files: dict[str, InputFile] = {}
        fields: dict[str, str] = {}
        for key, value in method.model_dump(warnings=False, exclude=set(keyboards)).items():
            prepared = self.prepare_value(value, bot=bot, files=files)  # type: ignore[attr-defined]
            if prepared:
                fields[key] = prepared
        for key, keyboard in keyboards.items():
            fields[key] = keyboard.model_dump_json(exclude_none=True)
        return fields, files


class BotSession(KeyboardJson, AiohttpSession):
    """The session every bot of the app uses (`bot.app.build_bot`)."""

    def build_form_data(self, bot: Bot, method: TelegramMethod[Any]) -> FormData:
        fields, files = self.request_fields(bot, method)
        form = FormData(quote_fields=False)
        for key, value in fields.items():
            form.add_field(key, value)
        for key, file in files.items():
            form.add_field(key, file.read(bot), filename=file.filename or key)
        return form
