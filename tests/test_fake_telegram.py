"""The fake Bot API server, exercised through a real aiogram Bot over HTTP."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InaccessibleMessage,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.sandbox.telegram import FakeTelegram

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000105e2264f0000000049454e44ae426082"
)


class _FastSession(AiohttpSession):
    """aiogram's session without the 250 ms grace sleep on close (plain HTTP has no TLS to drain)."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def make_bot(fake: FakeTelegram, token: str | None = None) -> Bot:
    session = _FastSession(api=TelegramAPIServer.from_base(fake.base_url))
    return Bot(token or fake.token, session=session)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    client = make_bot(fake)
    yield client
    await client.session.close()


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=text, callback_data=data)] for text, data in pairs]
    )


async def test_get_me_wrong_token_and_unknown_method(fake: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (fake.bot_id, "nastavnik_test_bot", True)

    stranger = make_bot(fake, token="999:WRONG-token")
    with pytest.raises(TelegramUnauthorizedError):
        await stranger.get_me()
    await stranger.session.close()

    url = f"{fake.base_url}/bot{fake.token}/sendTelepathy"
    async with aiohttp.ClientSession() as http, http.post(url, data={"chat_id": "1"}) as resp:
        assert resp.status == 404
        assert await resp.json() == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
    assert ("sendTelepathy", 404, "Not Found: method not found") in fake.errors
    assert ("getMe", 401, "Unauthorized") in fake.errors


async def test_send_edit_round_trip(fake: FakeTelegram, bot: Bot) -> None:
    user = fake.user(101, "Аня")
    sent = await bot.send_message(
        101, "<b>Привет</b>, &lt;друг&gt;!", parse_mode="HTML", reply_markup=keyboard(("Да", "yes"), ("Нет", "no"))
    )
    assert sent.text == "Привет, <друг>!"
    assert sent.entities is not None and sent.entities[0].type == "bold"
    assert sent.html_text == "<b>Привет</b>, &lt;друг&gt;!"
    assert sent.reply_markup is not None and sent.reply_markup.inline_keyboard[1][0].callback_data == "no"
    assert fake.calls("sendMessage")[0]["chat_id"] == 101

    first = await user.next_reply()
    assert (first.message_id, first.text, first.edited) == (sent.message_id, "Привет, <друг>!", False)
    assert first.button_texts() == ["Да", "Нет"]
    assert first.buttons[0][0].callback_data == "yes"

    edited = await bot.edit_message_text("Готово", chat_id=101, message_id=sent.message_id)
    assert isinstance(edited, Message) and edited.edit_date is not None and edited.reply_markup is None
    event = await user.next_reply()
    assert (event.text, event.edited, event.buttons) == ("Готово", True, [])
    assert first.text == "Привет, <друг>!"
    assert [m.text for m in fake.messages(101)] == ["Готово"]

    await bot.edit_message_reply_markup(chat_id=101, message_id=sent.message_id, reply_markup=keyboard(("Ок", "ok")))
    assert (await user.next_reply()).button_texts() == ["Ок"]

    assert await bot.delete_message(101, sent.message_id)
    assert user.replies()[0].deleted
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(101, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=101, message_id=sent.message_id)


async def test_message_ids_are_shared_with_user_messages(fake: FakeTelegram, bot: Bot) -> None:
    user = fake.user(7)
    first = await user.send("привет")
    reply = await bot.send_message(7, "ответ", reply_parameters={"message_id": first})
    second = await user.send("ещё")
    assert first < reply.message_id < second
    assert reply.reply_to_message is not None and reply.reply_to_message.text == "привет"
    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await bot.send_message(7, "x", reply_parameters={"message_id": 999})


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("Привет <br> мир", 'Unsupported start tag "br" at byte offset 13'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b>жирный", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("AT&T", "at byte offset 2"),
        ("a&nbsp;b", 'Unsupported character entity "&nbsp;"'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
async def test_bad_html_is_rejected(fake: FakeTelegram, bot: Bot, text: str, error: str) -> None:
    fake.user(1)
    with pytest.raises(TelegramBadRequest) as caught:
        await bot.send_message(1, text, parse_mode="HTML")
    assert "can't parse entities" in caught.value.message
    assert error in caught.value.message
    assert fake.errors[-1][:2] == ("sendMessage", 400)
    assert fake.messages(1) == []


async def test_valid_html_and_markdown(fake: FakeTelegram, bot: Bot) -> None:
    fake.user(1)
    html = (
        '<b>b</b> <i>i</i> <u>u</u> <s>s</s> <a href="https://example.org/?a=1&amp;b=2">link</a> '
        '<tg-spoiler>sp</tg-spoiler> <span class="tg-spoiler">sp2</span> <code>c</code> '
        '<pre><code class="language-python">print(1)</code></pre> <blockquote expandable>q</blockquote> '
        "&quot;&#128512;&#x41;"
    )
    message = await bot.send_message(1, html, parse_mode="HTML")
    assert message.text is not None and message.text.endswith('"😀A')
    kinds = {entity.type for entity in message.entities or []}
    assert {"bold", "italic", "underline", "strikethrough", "text_link", "spoiler", "code", "pre"} <= kinds
    assert "expandable_blockquote" in kinds
    link = next(e for e in message.entities or [] if e.type == "text_link")
    assert link.url == "https://example.org/?a=1&b=2"

    md = await bot.send_message(1, r"*жирный* _курсив_ \. [ссылка](https://example.org)", parse_mode="MarkdownV2")
    assert md.text == "жирный курсив . ссылка"
    with pytest.raises(TelegramBadRequest, match=r"Character '\.' is reserved"):
        await bot.send_message(1, "Итог: 5.", parse_mode="MarkdownV2")
    with pytest.raises(TelegramBadRequest, match="Can't find end of Bold entity at byte offset 0"):
        await bot.send_message(1, "*не закрыто", parse_mode="MarkdownV2")
    with pytest.raises(TelegramBadRequest, match="unsupported parse_mode"):
        await bot.send_message(1, "x", parse_mode="BBCode")


async def test_length_limits(fake: FakeTelegram, bot: Bot) -> None:
    fake.user(1)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(1, "")
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(1, "<b> </b>\n", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(1, "я" * 4097)
    tagged = "<b>" + "я" * 4096 + "</b>"
    assert (await bot.send_message(1, tagged, parse_mode="HTML")).text == "я" * 4096
    assert (await bot.send_message(1, "&amp;" * 4096, parse_mode="HTML")).text == "&" * 4096
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_document(1, BufferedInputFile(b"x", "a.txt"), caption="c" * 1025)


async def test_keyboard_validation(fake: FakeTelegram, bot: Bot) -> None:
    fake.user(1)
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(1, "x", reply_markup=keyboard(("a", "я" * 33)))
    assert (await bot.send_message(1, "x", reply_markup=keyboard(("a", "я" * 32)))).message_id
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(1, "x", reply_markup=keyboard(("a", "")))
    with pytest.raises(TelegramBadRequest, match="Text buttons are unallowed"):
        await bot.send_message(
            1, "x", reply_markup=InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="a")]])
        )
    both = InlineKeyboardButton(text="a", callback_data="d", url="https://example.org")
    with pytest.raises(TelegramBadRequest, match="exactly one"):
        await bot.send_message(1, "x", reply_markup=InlineKeyboardMarkup(inline_keyboard=[[both]]))
    with pytest.raises(TelegramBadRequest, match="Text must be non-empty"):
        await bot.send_message(1, "x", reply_markup=keyboard(("", "d")))
    with pytest.raises(TelegramBadRequest, match="BUTTON_URL_INVALID"):
        await bot.send_message(
            1,
            "x",
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="a", url="example")]]),
        )


async def test_reply_keyboard_is_tracked(fake: FakeTelegram, bot: Bot) -> None:
    user = fake.user(1)
    markup = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Да"), KeyboardButton(text="Нет")]])
    message = await bot.send_message(1, "Вопрос?", reply_markup=markup)
    assert message.reply_markup is None
    assert user.last().reply_keyboard == [["Да", "Нет"]]
    assert user.reply_keyboard == [["Да", "Нет"]]
    await bot.send_message(1, "Спасибо", reply_markup=ReplyKeyboardRemove())
    assert user.reply_keyboard is None


async def test_chat_not_found_and_not_modified(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(424242, "x")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.get_chat(424242)
    fake.user(5, "Петя", username="petya")
    chat = await bot.get_chat(5)
    assert (chat.id, chat.type, chat.username) == (5, "private", "petya")

    markup = keyboard(("A", "a"))
    sent = await bot.send_message(5, "<b>same</b>", parse_mode="HTML", reply_markup=markup)
    with pytest.raises(TelegramBadRequest, match="message is not modified: specified new message content"):
        await bot.edit_message_text(
            "<strong>same</strong>", chat_id=5, message_id=sent.message_id, parse_mode="HTML", reply_markup=markup
        )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(chat_id=5, message_id=sent.message_id, reply_markup=markup)
    await bot.edit_message_text("same", chat_id=5, message_id=sent.message_id, reply_markup=markup)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=5, message_id=9999)
    user_message = await fake.user(5).send("моё")
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("x", chat_id=5, message_id=user_message)


async def test_blocked_flood_server_error_and_rate_limits(fake: FakeTelegram, bot: Bot) -> None:
    fake.user(1)
    fake.user(2)
    fake.block(1)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(1, "x")
    fake.unblock(1)
    await bot.send_message(1, "x")

    fake.flood(count=2, retry_after=7, chat_id=2)
    await bot.send_message(1, "not flooded")
    for _ in range(2):
        with pytest.raises(TelegramRetryAfter) as caught:
            await bot.send_message(2, "x")
        assert caught.value.retry_after == 7
    await bot.send_message(2, "passes")
    assert fake.errors[-1] == ("sendMessage", 429, "Too Many Requests: retry after 7")

    fake.fail_server()
    with pytest.raises(TelegramServerError):
        await bot.send_message(2, "x")
    await bot.send_message(2, "ok again")

    limited = FakeTelegram(rate_limit_per_chat=2, rate_limit_global=3)
    await limited.start()
    limited_bot = make_bot(limited)
    try:
        for chat in (1, 2):
            limited.user(chat)
        await limited_bot.send_message(1, "a")
        await limited_bot.send_message(1, "b")
        with pytest.raises(TelegramRetryAfter) as caught:
            await limited_bot.send_message(1, "c")
        assert caught.value.retry_after == 1
        await limited_bot.send_message(2, "d")
        with pytest.raises(TelegramRetryAfter):
            await limited_bot.send_message(2, "e")
        limited.advance_clock(1.01)
        await limited_bot.send_message(1, "f")
        assert [code for _, code, _ in limited.errors] == [429, 429]
    finally:
        await limited_bot.session.close()
        await limited.stop()


async def test_callback_query_round_trip(fake: FakeTelegram, bot: Bot) -> None:
    user = fake.user(3, "Оля")
    await bot.send_message(3, "Выбор", reply_markup=keyboard(("Первый вариант", "v:1"), ("Второй", "v:2")))
    query_id = await user.click("Первый")
    updates = await bot.get_updates(timeout=1)
    query = updates[-1].callback_query
    assert isinstance(query, CallbackQuery)
    assert (query.id, query.data, query.from_user.id) == (query_id, "v:1", 3)
    assert isinstance(query.message, Message) and query.message.text == "Выбор"

    assert await bot.answer_callback_query(query_id, text="Принято")
    assert user.callback_answers() == [{"callback_query_id": query_id, "text": "Принято"}]
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)

    second = await user.click("Второй")
    with pytest.raises(TelegramBadRequest, match="MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(second, text="x" * 201)
    fake.advance_clock(16)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(second)

    with pytest.raises(AssertionError, match=r"(?s)No inline button 'Третий'.*Первый вариант"):
        await user.click("Третий")
    forged = await user.click_data("v:999", message_id=12345)
    updates = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    assert updates[-1].callback_query is not None and updates[-1].callback_query.id == forged
    assert isinstance(updates[-1].callback_query.message, InaccessibleMessage)


async def test_document_and_photo_upload_and_download(fake: FakeTelegram, bot: Bot) -> None:
    user = fake.user(9)
    sent = await bot.send_document(
        9, BufferedInputFile(b"a;b\n1;2\n", "report.csv"), caption="<i>Отчёт</i>", parse_mode="HTML"
    )
    assert sent.document is not None and sent.document.file_name == "report.csv"
    assert sent.caption == "Отчёт"
    stored = user.last()
    assert stored.document is not None
    assert (stored.document["file_name"], stored.document["content"], stored.text) == (
        "report.csv",
        b"a;b\n1;2\n",
        "Отчёт",
    )
    upload = fake.calls("sendDocument")[0]["document"]
    assert (upload.file_name, upload.content) == ("report.csv", b"a;b\n1;2\n")
    downloaded = await bot.download(sent.document.file_id)
    assert downloaded is not None and downloaded.read() == b"a;b\n1;2\n"
    again = await bot.send_document(9, sent.document.file_id)
    assert again.document is not None and again.document.file_id == sent.document.file_id

    photo = await bot.send_photo(9, BufferedInputFile(PNG, "chart.png"))
    assert photo.photo is not None and user.last().photo == {"file_id": photo.photo[-1].file_id, "content": PNG}
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await bot.send_photo(9, BufferedInputFile(b"not an image", "x.png"))
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_document(9, "no-such-file-id")

    await user.send_document("согласие.pdf", b"%PDF-1.7 signed", caption="подписано")
    updates = await bot.get_updates(timeout=1)
    document = updates[-1].message.document if updates[-1].message else None
    assert document is not None and document.file_name == "согласие.pdf"
    file = await bot.get_file(document.file_id)
    assert file.file_path is not None
    content = await bot.download_file(file.file_path)
    assert content is not None and content.read() == b"%PDF-1.7 signed"
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("nope")


async def test_long_poll_returns_fast_and_honours_offset(fake: FakeTelegram, bot: Bot) -> None:
    user = fake.user(11, "Ира", username="ira")
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    assert not poll.done()
    started = time.monotonic()
    await user.send("/start invite-42")
    updates = await poll
    assert time.monotonic() - started < 0.5
    message = updates[0].message
    assert message is not None and message.text == "/start invite-42"
    assert message.entities is not None and (message.entities[0].type, message.entities[0].length) == (
        "bot_command",
        6,
    )
    assert message.from_user is not None and message.from_user.username == "ira"

    await user.send_sticker()
    await user.send_photo(caption="фото")
    again = await bot.get_updates(timeout=0)
    assert again[0].update_id == updates[0].update_id
    assert len(again) == 3
    after = await bot.get_updates(offset=again[-1].update_id + 1, timeout=0)
    assert after == []
    assert (await bot.get_updates(limit=1, timeout=0)) == []

    await user.block_bot()
    await user.send("один")
    await user.send("два")
    batch = await bot.get_updates(offset=again[-1].update_id + 1, limit=2, timeout=0)
    assert batch[0].my_chat_member is not None and batch[0].my_chat_member.new_chat_member.status == "kicked"
    assert len(batch) == 2
    only_messages = await bot.get_updates(offset=batch[0].update_id, allowed_updates=["message"], timeout=0)
    assert [u.message.text for u in only_messages if u.message] == ["один", "два"]


async def test_stop_releases_pending_poll_and_conflict(fake: FakeTelegram, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=20))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=20))
    with pytest.raises(TelegramConflictError):
        await asyncio.wait_for(first, 2)
    started = time.monotonic()
    await fake.stop()
    assert await asyncio.wait_for(second, 2) == []
    assert time.monotonic() - started < 1.5


async def test_commands_copy_forward_and_misc(fake: FakeTelegram, bot: Bot) -> None:
    fake.user(1)
    curator = fake.user(2, "Куратор")
    assert await bot.delete_webhook()
    assert await bot.set_my_commands([BotCommand(command="start", description="Начать")])
    assert await bot.set_my_commands(
        [BotCommand(command="help", description="Помощь")], scope=BotCommandScopeAllPrivateChats()
    )
    assert await bot.set_my_commands(
        [BotCommand(command="report", description="Отчёт")], scope=BotCommandScopeChat(chat_id=2)
    )
    assert set(fake.commands) == {"default", "all_private_chats", "chat:2"}
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=2))] == ["report"]
    assert await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=2))
    assert "chat:2" not in fake.commands
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad-Command", description="x")])
    assert await bot.set_my_description("Бот наставничества")
    assert await bot.set_my_short_description("Наставник")
    assert await bot.send_chat_action(1, "typing")
    with pytest.raises(TelegramBadRequest, match="wrong parameter action"):
        await bot.send_chat_action(1, "dancing")

    source = await fake.user(1).send_document("ответ.pdf", b"%PDF answer", caption="моя работа")
    copied = await bot.copy_message(2, from_chat_id=1, message_id=source, caption="От ученика")
    copy = curator.last()
    assert copy.message_id == copied.message_id
    assert copy.document is not None and copy.document["content"] == b"%PDF answer" and copy.text == "От ученика"
    forwarded = await bot.forward_message(2, from_chat_id=1, message_id=source)
    assert forwarded.forward_origin is not None and forwarded.document is not None
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await bot.copy_message(2, from_chat_id=1, message_id=777)


async def test_dispatcher_dialog_through_polling(fake: FakeTelegram, bot: Bot) -> None:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("Согласны участвовать?", reply_markup=keyboard(("Да", "consent:yes")))

    @router.callback_query(F.data == "consent:yes")
    async def consent(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.edit_text("Спасибо, согласие записано")
        await query.answer("Готово")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False, polling_timeout=5)
    )
    try:
        user = fake.user(55, "Дима")
        await user.send("/start")
        question = await user.next_reply()
        assert question.text == "Согласны участвовать?"
        await user.click("Да")
        done = await user.expect("согласие записано")
        assert done.edited and done.buttons == []
        await fake.wait_for(lambda: len(user.callback_answers()) == 1)
        assert user.callback_answers()[0]["text"] == "Готово"
        assert user.drain() == []
        with pytest.raises(AssertionError, match="No new bot message in chat 55"):
            await user.next_reply(timeout=0.05)
    finally:
        await dispatcher.stop_polling()
        await asyncio.wait_for(polling, 3)


async def test_expect_reports_what_came_instead(fake: FakeTelegram, bot: Bot) -> None:
    user = fake.user(1)
    await bot.send_message(1, "первое")
    with pytest.raises(AssertionError, match=r"(?s)to contain 'второе', but another came first.*первое"):
        await user.expect("второе", timeout=0.05)
    await bot.send_message(1, "третье")
    with pytest.raises(AssertionError, match=r"(?s)No bot message containing 'второе'.*третье"):
        await user.expect("второе", timeout=0.05, eventually=True)
    with pytest.raises(TelegramNotFound):
        await bot.get_chat_member(1, 1)
    with pytest.raises(AssertionError, match="still false"):
        await fake.wait_for(lambda: False, timeout=0.05)


async def test_expect_is_strict_about_new_messages_but_passes_over_edits(fake: FakeTelegram, bot: Bot) -> None:
    user = fake.user(2)
    question = await bot.send_message(2, "Вопрос 1")
    await bot.edit_message_text("Вопрос 1 — отвечено", chat_id=2, message_id=question.message_id)
    await bot.send_message(2, "Вопрос 2")
    assert (await user.expect("Вопрос 1", timeout=0.05)).text == "Вопрос 1"
    assert (await user.expect("Вопрос 2", timeout=0.05)).text == "Вопрос 2"  # the edit in between: passed over

    user.pass_over("Сводка на")
    await bot.send_message(2, "Сводка на сегодня")
    await bot.send_message(2, "Вопрос 3")
    await user.expect("Вопрос 3", timeout=0.05)
    await bot.send_message(2, "Сводка на завтра")
    assert (await user.expect("Сводка на", timeout=0.05)).text == "Сводка на завтра"  # still found when asked


# ---- groups and supergroups ----------------------------------------------------------------------------------


async def test_group_and_supergroup_chats(fake: FakeTelegram, bot: Bot) -> None:
    ann = fake.user(21, "Анна")
    group = fake.group("Учительская")
    supergroup = fake.group("Родители 5А", supergroup=True)
    assert group.id < 0 and not str(group.id).startswith("-100")
    assert str(supergroup.id).startswith("-100")
    for chat in (group, supergroup):
        info = await bot.get_chat(chat.id)
        assert (info.id, info.type, info.title) == (chat.id, chat.type, chat.title)

    await group.member(ann).send("/participants")
    await supergroup.member(ann).send("/start abc", mention=False)
    await supergroup.member(ann).send("всем привет")  # privacy mode: the bot does not see plain talk
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == [
        "/participants@nastavnik_test_bot",
        "/start abc",
    ]
    first = updates[0].message
    assert first is not None and first.chat.type == "group" and first.chat.title == "Учительская"
    assert first.from_user is not None and first.from_user.id == 21
    assert first.entities is not None and first.entities[0].length == len("/participants@nastavnik_test_bot")

    sent = await bot.send_message(group.id, "Я работаю только в личных сообщениях")
    assert sent.chat.type == "group"
    assert [m.text for m in group.replies()] == ["Я работаю только в личных сообщениях"]
    assert fake.messages(21) == []


async def test_group_button_press_and_forwarded_message(fake: FakeTelegram, bot: Bot) -> None:
    ann = fake.user(22, "Анна")
    await bot.send_message(22, "Согласие", reply_markup=keyboard(("Согласен", "consent:yes")))
    group = fake.group("Класс", supergroup=True)
    member = group.member(ann)
    forwarded = await member.forward(ann.last())
    await member.click("Согласен", forwarded)
    await member.click_data("menu:forget", 999)
    updates = await bot.get_updates(timeout=0)
    queries = [u.callback_query for u in updates if u.callback_query]
    assert [q.data for q in queries] == ["consent:yes", "menu:forget"]
    pressed = queries[0].message
    assert isinstance(pressed, Message) and pressed.chat.id == group.id and pressed.forward_origin is not None
    assert isinstance(queries[1].message, InaccessibleMessage) and queries[1].message.chat.id == group.id
    assert await bot.answer_callback_query(queries[0].id, text="Только в личных сообщениях")
    assert member.callback_answers() == [{"callback_query_id": queries[0].id, "text": "Только в личных сообщениях"}]
    assert group.replies() == []


async def test_bot_added_to_a_group_and_leaving_it(fake: FakeTelegram, bot: Bot) -> None:
    ann = fake.user(23, "Анна")
    group = fake.group("Кружок", bot_status="left")
    await group.member(ann).send("/help")  # not in the group yet: nothing arrives
    assert await bot.get_updates(timeout=0) == []
    with pytest.raises(TelegramForbiddenError, match="bot is not a member of the group chat"):
        await bot.send_message(group.id, "привет")

    await group.add_bot(ann)
    added, service = await bot.get_updates(timeout=0)
    assert added.my_chat_member is not None and added.my_chat_member.chat.id == group.id
    assert (added.my_chat_member.old_chat_member.status, added.my_chat_member.new_chat_member.status) == (
        "left",
        "member",
    )
    assert service.message is not None and service.message.new_chat_members is not None
    assert await bot.leave_chat(group.id)
    with pytest.raises(TelegramForbiddenError, match="not a member"):
        await bot.leave_chat(group.id)
    with pytest.raises(TelegramBadRequest, match="private chats"):
        await bot.leave_chat(23)
    await group.member(ann).send("/help")
    left = await bot.get_updates(offset=service.update_id + 1, timeout=0)
    assert len(left) == 1 and left[0].my_chat_member is not None
    assert left[0].my_chat_member.new_chat_member.status == "left"

    admin_group = fake.group("Админы", supergroup=True, bot_status="left")
    await admin_group.add_bot(ann, status="administrator")
    await admin_group.member(ann).send("просто текст")  # an administrator bot sees everything
    updates = await bot.get_updates(offset=left[0].update_id + 1, timeout=0)
    assert updates[0].my_chat_member is not None
    assert updates[0].my_chat_member.new_chat_member.status == "administrator"
    assert [u.message.text for u in updates if u.message and u.message.text] == ["просто текст"]
    await admin_group.remove_bot(ann)
    with pytest.raises(TelegramForbiddenError, match="bot was kicked from the supergroup chat"):
        await bot.send_message(admin_group.id, "привет")


async def test_channel_membership(fake: FakeTelegram, bot: Bot) -> None:
    ann = fake.user(24, "Анна")
    channel = fake.channel("Новости")
    assert str(channel.id).startswith("-100") and (await bot.get_chat(channel.id)).type == "channel"
    await channel.add_bot(ann, status="administrator")
    (update,) = await bot.get_updates(timeout=0)
    assert update.my_chat_member is not None and update.my_chat_member.chat.type == "channel"
    assert await bot.leave_chat(channel.id)
    assert not channel.bot_is_member
