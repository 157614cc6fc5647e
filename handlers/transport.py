"""The Bot API session: aiogram's aiohttp session with a cheaper serialisation of requests.

aiogram turns a request into form fields by dumping the whole method to dicts and walking them in Python
(`BaseSession.prepare_value`), with a `json.dumps` for every number and nested value. For a question with
ten buttons that walk cost about 50 µs, as much as everything else of the request (bench/README.md, intake
throughput). Keyboards hold no files and no «default» placeholders, so pydantic can write their JSON directly
(about 7 µs); texts and numbers need no walk at all.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import TelegramMethod
from aiogram.types import ForceReply, InlineKeyboardMarkup, InputFile, ReplyKeyboardMarkup, ReplyKeyboardRemove
from aiohttp import FormData

KEYBOARDS = (InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, ForceReply)


class RequestFields:
    """Mixin for an aiogram session: `request_fields` serialises a method as aiogram does, only cheaper.

    Keyboards are written by pydantic; texts and whole numbers (most fields of a message) go as they are,
    which is what aiogram's walk makes of them too; everything else (defaults such as the parse mode, files,
    dates, nested objects, lists) is dumped and prepared by aiogram itself.
    """

    def request_fields(self, bot: Bot, method: TelegramMethod[Any]) -> tuple[dict[str, str], dict[str, InputFile]]:
        """The form fields of `method` (name → text) and the files to attach, as `build_form_data` sends them."""
        fields: dict[str, str] = {}
        files: dict[str, InputFile] = {}
        rest: set[str] = set()
        for key, value in method:
            if value is None:
                continue
            if isinstance(value, str):
                if value:
                    fields[key] = value
            elif isinstance(value, bool):
                fields[key] = "true" if value else "false"
            elif isinstance(value, int):
                fields[key] = str(int(value))
            elif isinstance(value, KEYBOARDS):
                fields[key] = value.model_dump_json(exclude_none=True)
            else:
                rest.add(key)
        if rest:
            for key, value in method.model_dump(warnings=False, include=rest).items():
                prepared = self.prepare_value(value, bot=bot, files=files)  # type: ignore[attr-defined]
                if prepared:
                    fields[key] = prepared
        return fields, files


class BotSession(RequestFields, AiohttpSession):
    """The session every bot of the app uses (`bot.app.build_bot`)."""

    def build_form_data(self, bot: Bot, method: TelegramMethod[Any]) -> FormData:
        fields, files = self.request_fields(bot, method)
        form = FormData(quote_fields=False)
        for key, value in fields.items():
            form.add_field(key, value)
        for key, file in files.items():
            form.add_field(key, file.read(bot), filename=file.filename or key)
        return form
