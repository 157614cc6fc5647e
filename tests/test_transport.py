"""The app's Bot API request path: keyboards serialised by pydantic, answer types kept alive, keyboards cached."""

from __future__ import annotations

import gc
import json
import weakref
from dataclasses import replace
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from typing import Any
from urllib.parse import parse_qsl

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.enums import ChatAction, ParseMode
from aiogram.methods import (
    AnswerCallbackQuery,
    BanChatMember,
    EditMessageText,
    Response,
    SendChatAction,
    SendDocument,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import (
    BufferedInputFile,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from aiohttp import FormData

from bot.questionnaires import QuestionType, load_directory
from handlers.kb import survey as survey_kb
from handlers.middlewares import PinResponseTypes
from handlers.transport import BotSession

TOKEN = "42:TEST"


async def _sent(form: FormData) -> tuple[dict[str, str], dict[str, tuple[str | None, bytes]]]:
    """The fields (name → text) and files (name → filename, bytes) a form puts on the wire, read back from its
    encoded body: a urlencoded form, or multipart when it carries a file."""
    payload = form()
    body = await payload.as_bytes()
    if payload.content_type == "application/x-www-form-urlencoded":
        return dict(parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=True)), {}
    header = f"Content-Type: {payload.content_type}\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(header + body)
    fields: dict[str, str] = {}
    files: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        assert isinstance(name, str) and isinstance(data, bytes)
        if part.get_filename() is None:
            fields[name] = data.decode()
        else:
            files[name] = (part.get_filename(), data)
    return fields, files


INLINE = InlineKeyboardMarkup(
    inline_keyboard=[
        [InlineKeyboardButton(text="Робототехника «<&>»", callback_data="sv:a:club:robotics")],
        [InlineKeyboardButton(text="Сайт", url="https://example.org/?a=1&b=2")],
    ]
)


@pytest.mark.parametrize(
    "method",
    [
        SendMessage(chat_id=5, text="<b>Вопрос 1 из 9</b>", reply_markup=INLINE),
        EditMessageText(chat_id=5, message_id=7, text="Вопрос 2 из 9", reply_markup=INLINE),
        EditMessageText(chat_id=5, message_id=7, text="без кнопок"),
        SendMessage(
            chat_id=5,
            text="меню",
            reply_markup=ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Да")]], resize_keyboard=True),
        ),
        SendMessage(chat_id=5, text="убрать", reply_markup=ReplyKeyboardRemove()),
        SendMessage(chat_id=5, text="ответьте", reply_markup=ForceReply(input_field_placeholder="Имя")),
        SendDocument(chat_id=5, document=BufferedInputFile(b"x", filename="a.xlsx"), caption="<i>отчёт</i>"),
        SendMessage(
            chat_id=-100123,
            text="",
            parse_mode=ParseMode.MARKDOWN_V2,
            disable_notification=True,
            protect_content=False,
            message_thread_id=0,
            link_preview_options=LinkPreviewOptions(is_disabled=False, url="https://example.org"),
            reply_parameters=ReplyParameters(message_id=3, allow_sending_without_reply=True),
        ),
        BanChatMember(chat_id="@group", user_id=7, until_date=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)),
        SendChatAction(chat_id=5, action=ChatAction.TYPING),
        AnswerCallbackQuery(callback_query_id="q1", text="Кнопка не действует", show_alert=True, cache_time=0),
    ],
    ids=[
        "send-inline",
        "edit-inline",
        "edit-bare",
        "reply-keyboard",
        "remove",
        "force-reply",
        "document",
        "enum-bool-nested",
        "datetime",
        "chat-action",
        "callback-answer",
    ],
)
async def test_fields_are_what_aiogram_would_send(method: TelegramMethod[Any]) -> None:
    """Our `build_form_data` against aiogram's own (`AiohttpSession.build_form_data`), compared as sent."""
    bot = Bot(TOKEN, default=DefaultBotProperties(parse_mode="HTML", link_preview_is_disabled=True))
    session = BotSession()
    aiogram_session = AiohttpSession()
    try:
        ours, our_files = await _sent(session.build_form_data(bot, method))
        theirs, their_files = await _sent(aiogram_session.build_form_data(bot, method))
    finally:
        await session.close()
        await aiogram_session.close()
        await bot.session.close()
    assert set(ours) == set(theirs)
    assert theirs, "aiogram sent no fields: the comparison would prove nothing"
    for key, value in theirs.items():
        if key == "reply_markup":
            assert json.loads(ours[key]) == json.loads(value)  # the same JSON, written by pydantic
        elif value.startswith("attach://"):
            # The attachment's name is random (aiogram's `secrets.token_urlsafe`): compare the file it names.
            assert ours[key].startswith("attach://")
            assert our_files[ours[key].removeprefix("attach://")] == their_files[value.removeprefix("attach://")]
        else:
            assert ours[key] == value, key
    assert len(our_files) == len(their_files)
    if "reply_markup" in ours:
        assert '"url":null' not in ours["reply_markup"] and "null" not in ours["reply_markup"]


async def test_answer_types_survive_the_garbage_collector() -> None:
    """pydantic keeps parametrised generics only weakly: without the pin, `Response[...]` is rebuilt after a
    collection (about 1.5 ms each time); with it, the same class serves every request."""
    pin = PinResponseTypes()
    calls: list[str] = []

    async def make_request(bot: Bot, method: TelegramMethod[Any]) -> Any:
        calls.append(method.__api_method__)
        return True

    class Probe(EditMessageText):  # a method class no other test has parametrised yet
        __returning__ = dict[str, int] | bool

    await pin(make_request, Bot(TOKEN), Probe(chat_id=1, message_id=2, text="x"))
    answer_type = weakref.ref(Response[Probe.__returning__])
    gc.collect()
    assert answer_type() is not None
    assert calls == ["editMessageText"]

    unpinned = weakref.ref(Response[dict[str, complex]])  # what happened to every answer type before
    gc.collect()
    assert unpinned() is None


def _multi_question() -> tuple[Any, Any]:
    questionnaire = load_directory()["intake_mentee_pupil"]
    question = next(q for q in questionnaire.questions if q.type is QuestionType.MULTI)
    return questionnaire, question


def test_question_keyboards_are_built_once_per_selection() -> None:
    questionnaire, question = _multi_question()
    a, b = question.options[0].id, question.options[1].id
    first = survey_kb.question_keyboard(questionnaire, question, [a, b])
    assert survey_kb.question_keyboard(questionnaire, question, [b, a]) is first
    other = survey_kb.question_keyboard(questionnaire, question, [a])
    assert other is not first
    marked = [button.text for row in other.inline_keyboard for button in row if button.text.startswith("✅")]
    assert marked == [f"✅ {question.options[0].label}"]


def test_an_edited_questionnaire_never_shows_the_old_buttons() -> None:
    questionnaire, question = _multi_question()
    old = survey_kb.question_keyboard(questionnaire, question)
    renamed = replace(question.options[0], label="Новое название")
    edited_question = replace(question, options=(renamed, *question.options[1:]))
    edited = replace(
        questionnaire,
        questions=tuple(edited_question if q.id == question.id else q for q in questionnaire.questions),
    )
    assert edited.id == questionnaire.id and edited.version == questionnaire.version
    keyboard = survey_kb.question_keyboard(edited, edited_question)
    labels = [button.text for row in keyboard.inline_keyboard for button in row]
    assert "Новое название" in labels
    assert survey_kb.question_keyboard(questionnaire, question) is old


def test_the_keyboard_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    questionnaire, question = _multi_question()
    monkeypatch.setattr(survey_kb, "KEYBOARD_CACHE_SIZE", 3)
    monkeypatch.setattr(survey_kb, "_keyboards", {})
    for option in question.options[:6]:
        survey_kb.question_keyboard(questionnaire, question, [option.id])
    assert len(survey_kb._keyboards) == 3
    assert {next(iter(key[2])) for key in survey_kb._keyboards} == {o.id for o in question.options[3:6]}
