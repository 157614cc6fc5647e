"""The view: the chats as the page shows them (safe HTML, buttons, files, edits, deep links) and the transcript of
every Bot API call, read from a real sandbox; and the entity renderer on tricky input."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, KeyboardButton, ReplyKeyboardMarkup

from bot.flows.events import Messenger
from bot.sandbox import view
from bot.sandbox.telegram import parse_html
from bot.sandbox.transcript import Transcript, plural, quote, size_label
from bot.sandbox.view import MAX_STICKER, Span, entities_html, max_html, render
from bot.sandbox.world import CURATOR_ID, MAX_TOKEN, TELEGRAM_TOKEN, PersonaKind, Sandbox
from tests.sandbox.worlds import running_world

START = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
CURATOR = f"tg-{CURATOR_ID}"
START_LINK_RE = re.compile(
    r'<a class="start-link" data-start="([^"]+)" data-messenger="(telegram|max)" href="([^"]+)">'
)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with running_world(tmp_path, START) as sandbox:
        yield sandbox


def by_id(chat: dict[str, Any]) -> dict[str, dict[str, Any]]:
    ids = [m["id"] for m in chat["messages"]]
    assert len(ids) == len(set(ids)), f"a message shown twice: {ids}"
    return {m["id"]: m for m in chat["messages"]}


def datas(message: dict[str, Any]) -> list[str | None]:
    return [button["data"] for row in message["buttons"] for button in row]


# ---- the chats from a real sandbox -------------------------------------------------------------------------------


async def test_the_curators_chat_is_shown_as_the_phone_shows_it(world: Sandbox) -> None:
    curator = world.tg.user(CURATOR_ID)
    await world.send_text(CURATOR, "/start")
    greeting = await curator.expect("Вы куратор программы", timeout=10, eventually=True)
    await world.send_text(CURATOR, "/menu")
    menu = await curator.expect("Меню куратора", timeout=10, eventually=True)

    shown = by_id(view.chat(world, CURATOR))
    assert view.chat(world, CURATOR)["persona"]["name"] == "Куратор"
    user_side = [(m["html"], m["time"]) for m in shown.values() if m["from"] == "user"]
    assert user_side == [("/start", "09:00"), ("/menu", "09:00")]
    first = next(iter(shown.values()))
    assert first["date"].startswith("2026-09-01T09:00") and first["date"].endswith("+03:00")
    shown_greeting = shown[str(greeting.message_id)]
    assert shown_greeting["from"] == "bot" and "Вы куратор программы" in shown_greeting["html"]
    # The bot's own HTML comes back as its formatting: each <b>…</b> it sent is a <b> on the page.
    for bold in re.findall(r"<b>(.*?)</b>", greeting.raw_text or ""):
        assert f"<b>{bold}</b>" in shown_greeting["html"]
    shown_menu = shown[str(menu.message_id)]
    assert shown_menu["html"].startswith("<b>Меню куратора</b><br>Отчёты — кнопками ниже.")
    assert datas(shown_menu) == menu.button_data() and len(datas(shown_menu)) == 5
    assert shown_menu["buttons"][0][0]["text"] == "Сводка программы"
    assert any("<b>" in m["html"] for m in shown.values() if m["from"] == "bot")

    # An invite: the question is edited, step by step, into the link, in place.
    await world.send_text(CURATOR, "/invite")
    question = await curator.expect("Кого приглашаем", timeout=10, eventually=True)
    for label, next_step in (
        ("наставляемый-обучающийся", "Форма наставничества"),
        ("педагог – обучающийся", "Сколько действует"),
        ("30 дн.", "Сколько человек"),
        ("Без ограничения", "Ссылка-приглашение готова"),
    ):
        await curator.click(label)
        await curator.expect(next_step, timeout=10, eventually=True)
    shown = by_id(view.chat(world, CURATOR))
    link_message = shown[str(question.message_id)]
    assert link_message["edited"] is True and link_message["buttons"] == []
    assert link_message["html"].startswith("Ссылка-приглашение готова:")
    assert not any("Кого приглашаем" in m["html"] for m in shown.values())
    links = START_LINK_RE.findall(link_message["html"])
    code = links[0][0]
    assert links == [
        (code, "telegram", f"https://t.me/nastavnik_sandbox_bot?start={code}"),
        (code, "max", f"https://max.ru/nastavnik_sandbox_bot?start={code}"),
    ]

    # What the user sends: text (escaped), a sticker, a document, a photo.
    await world.send_text(CURATOR, "<script>alert('x')</script> & «ёлка»")
    await world.send_sticker(CURATOR)
    await world.send_file(CURATOR, "план.pdf", b"%PDF-1.4 plan", "application/pdf")
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")
    await world.send_file(CURATOR, "chart.png", png, "image/png")
    mine = [m for m in view.chat(world, CURATOR)["messages"] if m["from"] == "user"][-4:]
    assert mine[0]["html"] == "&lt;script&gt;alert('x')&lt;/script&gt; &amp; «ёлка»"
    assert "<script" not in mine[0]["html"]
    assert mine[1]["sticker"] == "👍" and mine[1]["html"] == ""
    document = mine[2]["document"]
    assert document["name"] == "план.pdf" and document["size"] == len(b"%PDF-1.4 plan")
    file_id = document["url"].removeprefix("/api/file/telegram/")
    assert view.file(world, "telegram", file_id) == ("план.pdf", "application/pdf", b"%PDF-1.4 plan")
    photo_id = mine[3]["photo"]["url"].removeprefix("/api/file/telegram/")
    name, mime, content = view.file(world, "telegram", photo_id) or ("", "", b"")
    assert (mime, content) == ("image/png", png) and name.endswith(".png")
    assert view.file(world, "telegram", "no-such-file") is None
    assert view.chat(world, CURATOR)["reply_keyboard"] is None


async def test_a_max_personas_chat_and_the_transcript_with_its_failures_in_red(world: Sandbox) -> None:
    assert world.max is not None
    pupil = world.add_persona("Маша Петрова", PersonaKind.PUPIL, Messenger.MAX)
    masha = world.max.user(pupil.account_id)
    await world.send_text(pupil.key, "/start")
    welcome = await masha.next_reply(timeout=10)
    await world.send_text(pupil.key, "<b>не жирный</b>")
    await masha.next_reply(timeout=10)
    await world.send_file(pupil.key, "справка.docx", b"PK\x03\x04docx", "application/octet-stream")
    await world.send_sticker(pupil.key)

    chat = view.chat(world, pupil.key)
    assert chat["persona"]["messenger"] == "max" and chat["reply_keyboard"] is None
    messages = chat["messages"]
    assert [m["from"] for m in messages[:3]] == ["user", "bot", "user"]
    assert messages[0]["html"] == "/start"
    assert messages[1]["id"] == welcome.mid and "<b>ссылка-приглашение</b>" in messages[1]["html"]
    assert messages[2]["html"] == "&lt;b&gt;не жирный&lt;/b&gt;"
    sent_file = next(m for m in messages if m["document"])
    assert sent_file["from"] == "user" and sent_file["document"]["name"] == "справка.docx"
    upload_id = sent_file["document"]["url"].removeprefix("/api/file/max/")
    assert view.file(world, "max", upload_id) == ("справка.docx", "application/octet-stream", b"PK\x03\x04docx")
    assert any(m["sticker"] == MAX_STICKER and m["from"] == "user" for m in messages)

    # The transcript: the calls of both messengers, in one numbering, with what they did.
    seen = view.transcript(world, 0)
    entries = seen["entries"]
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    assert seen["last"] == entries[-1]["seq"]
    welcome_call = next(e for e in entries if e["method"] == "POST /messages")
    assert welcome_call["messenger"] == "max" and welcome_call["ok"] is True and welcome_call["status"] == 200
    assert welcome_call["summary"].startswith("POST /messages → Маша Петрова: «Добрый день!")
    assert welcome_call["time"].startswith("09:00") and welcome_call["date"].startswith("2026-09-01T09:00")
    assert all(e["method"] != "GET /updates" or "обновлени" in e["summary"] for e in entries)
    mark = seen["last"]

    # A 429 (injected), then the bot's retry; a 400 (HTML Telegram cannot parse); a MAX 429. (On a pupil's chat:
    # the curator's is busy with the outbox's reminders of the first day.)
    pupil_tg = world.add_persona("Петя", PersonaKind.PUPIL)
    petya = world.tg.user(pupil_tg.account_id)
    world.tg.flood(1, retry_after=1, chat_id=petya.id)
    await world.send_text(pupil_tg.key, "/start")
    await petya.expect("Добрый день!", timeout=10)
    with pytest.raises(TelegramBadRequest):
        await world.app.bot.send_message(petya.id, "<b>не закрыт", parse_mode="HTML")
    world.max.flood(1, chat_id=masha.chat_id)
    await world.send_text(pupil.key, "ещё")
    await world.max.wait_for(lambda: any(e[1] == 429 for e in world.max.errors), timeout=10)

    # What the bot can do that the product's flows do not show here yet: a document, an edit, a deletion, a reply
    # keyboard (asked of the fake through the bot's own session, as the app would).
    bot = world.app.bot
    export = b"PK\x03\x04" + b"x" * 12 * 1024
    document = await bot.send_document(petya.id, BufferedInputFile(export, "export.xlsx"), caption="Выгрузка")
    note = await bot.send_message(
        petya.id,
        "<i>черновик</i>",
        parse_mode="HTML",
        reply_markup=ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Меню")]]),
    )
    await bot.edit_message_text("<b>готово</b>", chat_id=petya.id, message_id=note.message_id, parse_mode="HTML")
    doomed = await bot.send_message(petya.id, "удалю")
    await bot.delete_message(petya.id, doomed.message_id)
    petyas = view.chat(world, pupil_tg.key)
    shown = by_id(petyas)
    assert petyas["reply_keyboard"] == [["Меню"]]
    assert shown[str(note.message_id)]["html"] == "<b>готово</b>" and shown[str(note.message_id)]["edited"] is True
    assert shown[str(doomed.message_id)]["deleted"] is True
    sent_document = shown[str(document.message_id)]
    assert sent_document["html"] == "Выгрузка"
    assert sent_document["document"]["name"] == "export.xlsx" and sent_document["document"]["size"] == len(export)
    served = view.file(world, "telegram", sent_document["document"]["url"].rsplit("/", 1)[1])
    assert served is not None and served[0] == "export.xlsx" and served[2] == export

    later = view.transcript(world, mark)["entries"]
    assert later and all(e["seq"] > mark for e in later)
    flooded = next(e for e in later if e["status"] == 429 and e["messenger"] == "telegram")
    assert flooded["ok"] is False and flooded["method"] == "sendMessage"
    assert flooded["error"] == "Too Many Requests: retry after 1"
    assert flooded["summary"].startswith("sendMessage → Петя: «Добрый день! Это бот программы")
    retried = [e for e in later if e["seq"] > flooded["seq"] and e["summary"] == flooded["summary"]]
    assert [(e["ok"], e["status"]) for e in retried] == [(True, 200)]
    refused = next(e for e in later if e["status"] == 400)
    assert refused["ok"] is False and refused["summary"] == "sendMessage → Петя: «не закрыт»"
    assert refused["error"].startswith("Bad Request: can't parse entities")
    max_flood = next(e for e in later if e["messenger"] == "max" and e["status"] == 429)
    assert max_flood["ok"] is False and max_flood["error"] == "too.many.requests: Too many requests"
    summaries = [e["summary"] for e in later if e["messenger"] == "telegram" and e["ok"]]
    assert "sendDocument → Петя: export.xlsx (12 КБ) «Выгрузка»" in summaries
    assert f"editMessageText #{note.message_id} → Петя «готово»" in summaries
    assert f"deleteMessage #{doomed.message_id} → Петя" in summaries
    everything = " ".join(f"{e['summary']} {e['error']}" for e in view.transcript(world, 0)["entries"])
    assert TELEGRAM_TOKEN not in everything and MAX_TOKEN not in everything and "PK\x03\x04" not in everything
    assert view.transcript(world, view.transcript(world, 0)["last"])["entries"] == []


# ---- the renderer ------------------------------------------------------------------------------------------------


def test_entities_render_at_their_utf16_offsets() -> None:
    # An emoji outside the BMP takes two UTF-16 units: the bold span after it must not shift.
    text, entities = parse_html("👨‍👩‍👧 🎉 <b>жирный</b> и <i>курсив <u>с подчёркиванием</u></i>")
    assert entities_html(text, entities) == "👨‍👩‍👧 🎉 <b>жирный</b> и <i>курсив <u>с подчёркиванием</u></i>"
    text, entities = parse_html(
        "<b>a<i>b<s>c</s></i></b>\n<pre>x &lt; y\nz</pre><code>https://a.ru</code> <tg-spoiler>тайна</tg-spoiler>"
        "<blockquote>цитата</blockquote>"
    )
    assert entities_html(text, entities) == (
        '<b>a<i>b<s>c</s></i></b><br><pre>x &lt; y\nz</pre><code>https://a.ru</code> <span class="spoiler">тайна'
        "</span><blockquote>цитата</blockquote>"
    )
    # An entity that ends in the middle of a surrogate pair covers the whole emoji; crossing spans nest.
    assert entities_html("🎉x", [{"type": "bold", "offset": 0, "length": 1}]) == "<b>🎉</b>x"
    assert render("abcdef", [Span(0, 4, "b"), Span(2, 6, "i")]) == "<b>ab<i>cd</i></b><i>ef</i>"
    # Out of range and unknown entities are harmless.
    assert entities_html("ok", [{"type": "bold", "offset": 1, "length": 99}, {"type": "mention", "offset": 0}]) == (
        "o<b>k</b>"
    )


def test_links_are_safe_and_deep_links_open_as_a_persona() -> None:
    text, entities = parse_html(
        'Жми <a href="https://t.me/some_bot?start=p-42">сюда</a> или https://max.ru/b?start=Q1.'
    )
    assert entities_html(text, entities) == (
        'Жми <a class="start-link" data-start="p-42" data-messenger="telegram" '
        'href="https://t.me/some_bot?start=p-42">сюда</a> или <a class="start-link" data-start="Q1" '
        'data-messenger="max" href="https://max.ru/b?start=Q1">https://max.ru/b?start=Q1</a>.'
    )
    assert entities_html("x", [{"type": "text_link", "offset": 0, "length": 1, "url": "javascript:alert(1)"}]) == "x"
    quoted = entities_html('"><img src=x onerror=alert(1)>', [])
    assert quoted == "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;".replace("&quot;", '"')
    assert "<img" not in quoted
    plain = entities_html("см. https://example.com/a?b=1&c=2", [])
    assert plain == (
        'см. <a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">'
        "https://example.com/a?b=1&amp;c=2</a>"
    )
    # MAX's HTML: its tags map to the page's, the rest is dropped or escaped, unclosed tags are closed.
    formatted = '<strong>Привет</strong>, <mark>ты</mark><br/><a href="javascript:x()">a</a><img src=x> &lt;b&gt; '
    assert max_html(formatted + "<em>не закрыт", "html") == "<b>Привет</b>, <b>ты</b><br>a &lt;b&gt; <i>не закрыт</i>"
    assert max_html("**как есть** <b>", "markdown") == "**как есть** &lt;b&gt;"


def test_the_transcript_numbers_and_bounds_its_entries() -> None:
    transcript = Transcript(capacity=3)
    for number in range(5):
        transcript.record("telegram", "sendMessage", f"#{number}", time=float(number))
    assert [e.summary for e in transcript.after(0)] == ["#2", "#3", "#4"]
    assert [e.seq for e in transcript.after(4)] == [5]
    assert transcript.after(5) == []
    assert quote("<b>Жирный</b>\n" + "я" * 80, markup=True).startswith("«Жирный яя")
    assert len(quote("я" * 80)) == 62
    assert [plural(n, "кнопка", "кнопки", "кнопок") for n in (1, 3, 5, 11, 21)] == [
        "1 кнопка",
        "3 кнопки",
        "5 кнопок",
        "11 кнопок",
        "21 кнопка",
    ]
    assert [size_label(n) for n in (512, 12 * 1024, 1536 * 1024)] == ["512 Б", "12 КБ", "1,5 МБ"]
