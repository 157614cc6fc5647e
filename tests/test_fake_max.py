"""The fake MAX Bot API server, driven over real HTTP: with plain aiohttp, and with the maxapi client."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.sandbox.max import (
    CHAT_ANSWERS_PER_SECOND,
    CHAT_MESSAGES_PER_SECOND,
    DEFAULT_TOKEN,
    MAX_TEXT_LENGTH,
    FakeMax,
    FakeMaxUser,
)


class Api:
    """A bare HTTP client of the MAX Bot API: the token in the Authorization header, JSON in and out."""

    def __init__(self, fake: FakeMax, token: str = DEFAULT_TOKEN) -> None:
        self.fake = fake
        self.session = aiohttp.ClientSession(headers={"Authorization": token})

    async def __call__(
        self, verb: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None
    ) -> tuple[int, Any]:
        async with self.session.request(verb, self.fake.base_url + path, params=params, json=json) as response:
            return response.status, await response.json(content_type=None)

    async def send(self, user: FakeMaxUser, text: str | None = "Привет", **body: Any) -> tuple[int, Any]:
        payload = {"text": text, **body}
        return await self("POST", "/messages", params={"user_id": user.id}, json=payload)

    async def close(self) -> None:
        await self.session.close()


def keyboard(*rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "inline_keyboard", "payload": {"buttons": list(rows)}}


def callback(text: str, payload: str | None = None) -> dict[str, Any]:
    return {"type": "callback", "text": text, "payload": payload if payload is not None else text}


def link(text: str, url: str = "https://example.org") -> dict[str, Any]:
    return {"type": "link", "text": text, "url": url}


@pytest.fixture
async def fake() -> AsyncIterator[FakeMax]:
    # The per-chat limits (2 messages and 2 answers a second) off, as a test sends faster than a person reads;
    # test_two_messages_and_two_answers_a_second_per_chat switches them back on. The global 30 rps stays.
    server = FakeMax(chat_messages_per_second=None, chat_answers_per_second=None)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def api(fake: FakeMax) -> AsyncIterator[Api]:
    client = Api(fake)
    yield client
    await client.close()


@pytest.fixture
async def alice(fake: FakeMax) -> FakeMaxUser:
    user = fake.user(5001, "Алиса Иванова")
    await user.start()
    return user


async def poll(api: Api, **params: Any) -> dict[str, Any]:
    status, body = await api("GET", "/updates", params={"timeout": 0, **params})
    assert status == 200, body
    return body


# --------------------------------------------------------------------------------------------------------------
# Authorisation and /me
# --------------------------------------------------------------------------------------------------------------


async def test_me_needs_the_token_in_the_authorization_header(fake: FakeMax, api: Api) -> None:
    status, me = await api("GET", "/me")
    assert status == 200
    assert me["user_id"] == fake.bot_id and me["is_bot"] is True and me["username"] == fake.bot_username

    async with aiohttp.ClientSession() as bare:
        for headers, params in (
            ({}, {}),
            ({}, {"access_token": fake.token}),  # the query parameter is no longer supported
            ({"Authorization": f"Bearer {fake.token}"}, {}),  # the bare token, no scheme
            ({"Authorization": "wrong"}, {}),
        ):
            async with bare.get(f"{fake.base_url}/me", headers=headers, params=params) as response:
                assert response.status == 401
                assert await response.json() == {"code": "verify.token", "message": "Invalid access_token"}


async def test_unknown_path_and_verb(api: Api) -> None:
    assert (await api("GET", "/nowhere"))[0] == 404
    status, body = await api("PATCH", "/messages")
    assert status == 405 and body["code"] == "method.not.allowed"


# --------------------------------------------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------------------------------------------


async def test_send_edit_get_delete_round_trip(fake: FakeMax, api: Api, alice: FakeMaxUser) -> None:
    status, sent = await api.send(alice, "Здравствуйте!", attachments=[keyboard([callback("Да"), callback("Нет")])])
    assert status == 200
    message = sent["message"]
    mid = message["body"]["mid"]
    assert isinstance(mid, str) and mid.startswith("mid.")
    assert message["recipient"] == {"chat_id": alice.chat_id, "chat_type": "dialog", "user_id": alice.id}
    assert message["sender"]["is_bot"] is True
    assert message["body"]["attachments"][0]["payload"]["buttons"][0][0] == {
        "type": "callback",
        "text": "Да",
        "payload": "Да",
    }
    shown = await alice.expect("Здравствуйте")
    assert shown.mid == mid and shown.button_texts() == ["Да", "Нет"]

    # attachments omitted: the keyboard stays; an empty list removes it
    assert await api("PUT", "/messages", params={"message_id": mid}, json={"text": "Изменено"}) == (
        200,
        {"success": True},
    )
    edited = await alice.next_reply()
    assert edited.edited and edited.text == "Изменено" and edited.button_texts() == ["Да", "Нет"]
    await api("PUT", "/messages", params={"message_id": mid}, json={"text": "Без кнопок", "attachments": []})
    assert (await alice.next_reply()).buttons == []

    status, got = await api("GET", f"/messages/{mid}")
    assert status == 200 and got["body"]["text"] == "Без кнопок"

    assert await api("DELETE", "/messages", params={"message_id": mid}) == (200, {"success": True})
    assert fake.messages(alice.chat_id)[0].deleted
    status, body = await api("GET", f"/messages/{mid}")
    assert status == 404 and body["code"] == "not.found"


async def test_unknown_message_id_to_edit_or_delete_is_a_400(api: Api, alice: FakeMaxUser) -> None:
    for verb, body_sent in (("PUT", {"text": "x"}), ("DELETE", None)):
        params = {"message_id": "mid.0000000000deadbeef"}
        status, body = await api(verb, "/messages", params=params, json=body_sent)
        assert status == 400
        assert body == {"code": "proto.payload", "message": "Invalid message_id: mid.0000000000deadbeef"}
    # a deleted message is gone for edits too
    _, sent = await api.send(alice, "Скоро исчезнет")
    mid = sent["message"]["body"]["mid"]
    await api("DELETE", "/messages", params={"message_id": mid})
    assert (await api("PUT", "/messages", params={"message_id": mid}, json={"text": "x"}))[0] == 400


async def test_text_over_4000_characters_is_a_400(api: Api, alice: FakeMaxUser) -> None:
    status, _ = await api.send(alice, "я" * MAX_TEXT_LENGTH)
    assert status == 200
    status, body = await api.send(alice, "я" * (MAX_TEXT_LENGTH + 1))
    assert status == 400 and body["code"] == "proto.payload" and "4000" in body["message"]
    # the same limit on edits
    _, sent = await api.send(alice, "коротко")
    mid = sent["message"]["body"]["mid"]
    status, body = await api("PUT", "/messages", params={"message_id": mid}, json={"text": "я" * 4001})
    assert status == 400 and body["code"] == "proto.payload"


async def test_recipient_must_be_one_known_started_dialog(fake: FakeMax, api: Api, alice: FakeMaxUser) -> None:
    assert (await api("POST", "/messages", params={"chat_id": alice.chat_id}, json={"text": "по чату"}))[0] == 200
    status, body = await api("POST", "/messages", json={"text": "никому"})
    assert status == 400 and body["code"] == "proto.payload"
    params = {"chat_id": alice.chat_id, "user_id": alice.id}
    assert (await api("POST", "/messages", params=params, json={"text": "обоим"}))[0] == 400
    assert (await api("POST", "/messages", params={"user_id": 999}, json={"text": "кто?"}))[0] == 404
    stranger = fake.user(5002, "Не Начинал")
    assert (await api.send(stranger))[0] == 403
    await alice.stop_bot()
    status, body = await api.send(alice)
    assert status == 403 and body["code"] == "chat.denied"
    bob = fake.user(5003, "Боб")
    await bob.start()
    status, body = await api.send(bob, None)
    assert status == 400 and "text or an attachment" in body["message"]


async def test_formats(api: Api, alice: FakeMaxUser) -> None:
    await api.send(alice, "<b>Жирно</b> &amp; <blink>мигает</blink> <i>незакрыто", format="html")
    shown = await alice.next_reply()
    # unsupported tags are stripped, not refused; entities decoded
    assert shown.text == "Жирно & мигает незакрыто" and shown.raw_text.startswith("<b>")
    await api.send(alice, "**Важно** и [ссылка](https://max.ru)", format="markdown")
    assert (await alice.next_reply()).text == "Важно и ссылка"
    status, body = await api.send(alice, "x", format="MarkdownV2")
    assert status == 400 and body["code"] == "proto.payload"
    status, _ = await api.send(alice, "x", notify=False)
    assert status == 200 and not (await alice.next_reply()).notify


async def test_reply_link_must_name_a_known_message(api: Api, alice: FakeMaxUser) -> None:
    mid = await alice.send("Вопрос")
    assert (await api.send(alice, "Ответ", link={"type": "reply", "mid": mid}))[0] == 200
    for bad in ({"type": "reply", "mid": "mid.0000000000beef"}, {"type": "quote", "mid": mid}):
        status, body = await api.send(alice, "Ответ", link=bad)
        assert status == 400 and body["code"] == "proto.payload", bad


@pytest.mark.parametrize(
    ("attachment", "fragment"),
    [
        (keyboard([callback(str(i)) for i in range(8)]), "at most 7"),
        (keyboard([link(str(i)) for i in range(4)]), "at most 3"),
        (keyboard(*[[callback(str(i))] for i in range(31)]), "at most 30 rows"),
        (keyboard([callback("x" * 129)]), "button text"),
        (keyboard([callback("")]), "button text"),
        (keyboard([callback("ok", "p" * 1025)]), "payload"),
        (keyboard([{"type": "link", "text": "без адреса"}]), "url"),
        (keyboard([{"type": "teleport", "text": "?"}]), "unknown button type"),
        (keyboard(), "non-empty"),
        ({"type": "sticker", "payload": {"code": "x"}}, "not supported"),
    ],
)
async def test_bad_keyboards_are_a_400(api: Api, alice: FakeMaxUser, attachment: dict[str, Any], fragment: str) -> None:
    status, body = await api.send(alice, "Клавиатура", attachments=[attachment])
    assert status == 400 and body["code"] == "proto.payload"
    assert fragment in body["message"]


async def test_largest_keyboard_is_accepted(api: Api, alice: FakeMaxUser) -> None:
    rows = [[callback(f"{r}-{c}") for c in range(7)] for r in range(30)]
    assert (await api.send(alice, "210 кнопок", attachments=[keyboard(*rows)]))[0] == 200


# --------------------------------------------------------------------------------------------------------------
# Updates
# --------------------------------------------------------------------------------------------------------------


async def test_updates_marker_limit_and_types(fake: FakeMax, api: Api) -> None:
    bob = fake.user(6001, "Боб Петров")
    await bob.start("invite-abc")
    mid = await bob.send("/start")
    await bob.send("второе")

    first = await poll(api, marker=0, limit=1)
    assert [u["update_type"] for u in first["updates"]] == ["bot_started"]
    started = first["updates"][0]
    assert started["payload"] == "invite-abc" and started["chat_id"] == bob.chat_id
    assert started["user"]["user_id"] == bob.id and started["user_locale"] == "ru"

    rest = await poll(api, marker=first["marker"])
    assert [u["message"]["body"]["text"] for u in rest["updates"]] == ["/start", "второе"]
    created = rest["updates"][0]
    assert created["message"]["body"]["mid"] == mid
    assert created["message"]["sender"]["user_id"] == bob.id
    assert created["message"]["recipient"]["chat_id"] == bob.chat_id

    # the marker commits: nothing again, and the same marker comes back
    again = await poll(api, marker=rest["marker"])
    assert again == {"updates": [], "marker": rest["marker"]}

    # types filters
    await bob.send("текст")
    await bob.stop_bot()
    only_stops = await poll(api, marker=rest["marker"], types="bot_stopped")
    assert [u["update_type"] for u in only_stops["updates"]] == ["bot_stopped"]


async def test_updates_parameter_ranges(api: Api) -> None:
    for params in ({"limit": 0}, {"limit": 1001}, {"timeout": 91}, {"timeout": -1}, {"types": "message_new"}):
        status, body = await api("GET", "/updates", params=params)
        assert status == 400 and body["code"] == "proto.payload", params


async def test_long_poll_waits_and_wakes(fake: FakeMax, api: Api) -> None:
    carol = fake.user(6002, "Кэрол")
    started = time.monotonic()
    empty = await poll(api, timeout=1)
    assert empty["updates"] == [] and time.monotonic() - started >= 0.9

    async def later() -> None:
        await asyncio.sleep(0.2)
        await carol.send("я тут")

    task = asyncio.create_task(later())
    started = time.monotonic()
    woke = await poll(api, timeout=30, marker=empty["marker"])
    await task
    assert time.monotonic() - started < 2
    assert woke["updates"][0]["message"]["body"]["text"] == "я тут"


async def test_without_marker_only_the_last_update_comes(fake: FakeMax, api: Api) -> None:
    dave = fake.user(6003, "Дейв")
    await dave.send("раз")
    await dave.send("два")
    await dave.send("три")
    got = await poll(api)
    assert [u["message"]["body"]["text"] for u in got["updates"]] == ["три"]
    assert [u["message"]["body"]["text"] for u in fake.skipped_updates] == ["раз", "два"]
    assert (await poll(api, marker=got["marker"]))["updates"] == []

    fake.markerless_poll_gets_last_only = False
    await dave.send("четыре")
    await dave.send("пять")
    for _ in range(2):  # not committed until a marker passes them
        again = await poll(api)
        assert [u["message"]["body"]["text"] for u in again["updates"]] == ["четыре", "пять"]
    assert (await poll(api, marker=again["marker"]))["updates"] == []


async def test_start_payload_over_128_characters_is_omitted(fake: FakeMax, api: Api) -> None:
    erin = fake.user(6004, "Эрин")
    await erin.start("x" * 128)
    await erin.start("y" * 129)
    await erin.start()
    updates = (await poll(api, marker=0))["updates"]
    assert [u.get("payload") for u in updates] == ["x" * 128, None, None]


async def test_stop_releases_a_pending_poll() -> None:
    server = FakeMax()
    await server.start()
    client = Api(server)
    try:
        task = asyncio.create_task(client("GET", "/updates", params={"timeout": 30}))
        await asyncio.sleep(0.1)
        await server.stop()
        try:
            status, body = await asyncio.wait_for(task, 5)
        except aiohttp.ClientError:
            pass  # the connection went down with the server: released all the same
        else:
            assert status == 200 and body["updates"] == []
    finally:
        await client.close()


# --------------------------------------------------------------------------------------------------------------
# Callbacks
# --------------------------------------------------------------------------------------------------------------


async def test_callback_round_trip_and_answers(fake: FakeMax, api: Api, alice: FakeMaxUser) -> None:
    marker = (await poll(api, marker=0))["marker"]
    attachments = [keyboard([callback("Да", "yes"), callback("Нет", "no")], [link("Сайт")])]
    _, sent = await api.send(alice, "Согласны?", attachments=attachments)
    mid = sent["message"]["body"]["mid"]
    with pytest.raises(AssertionError, match="link button"):
        await alice.click("Сайт")
    callback_id = await alice.click("Да")

    update = (await poll(api, marker=marker))["updates"][0]
    assert update["update_type"] == "message_callback"
    assert update["callback"]["callback_id"] == callback_id and update["callback"]["payload"] == "yes"
    assert update["callback"]["user"]["user_id"] == alice.id
    assert update["message"]["body"]["mid"] == mid

    # an answer with neither notification nor message is a 400
    for empty in ({}, {"notification": ""}, {"notification": None, "message": None}):
        status, body = await api("POST", "/answers", params={"callback_id": callback_id}, json=empty)
        assert status == 400 and body["code"] == "proto.payload", empty
    assert alice.callback_answers() == []

    answer = {"notification": "Принято", "message": {"text": "Согласны? — Да", "attachments": []}}
    assert await api("POST", "/answers", params={"callback_id": callback_id}, json=answer) == (
        200,
        {"success": True},
    )
    assert alice.notifications() == ["Принято"]
    await alice.expect("Согласны?")
    closed = await alice.next_reply()
    assert closed.edited and closed.text == "Согласны? — Да" and closed.buttons == []

    # a second answer to the same callback, and an unknown callback id
    for cid in (callback_id, "no-such-callback"):
        status, body = await api("POST", "/answers", params={"callback_id": cid}, json={"notification": "ещё"})
        assert status == 400
        assert body == {"code": "proto.payload", "message": "callback_id: Callback identifier is invalid"}
    assert len(alice.callback_answers()) == 1


async def test_repeat_answers_can_be_allowed(api: Api, fake: FakeMax, alice: FakeMaxUser) -> None:
    fake.allow_repeat_answers = True
    await api.send(alice, "Кнопка", attachments=[keyboard([callback("Жми")])])
    cid = await alice.click("Жми")
    for text in ("раз", "два"):
        assert (await api("POST", "/answers", params={"callback_id": cid}, json={"notification": text}))[0] == 200
    assert alice.notifications() == ["раз", "два"]


# --------------------------------------------------------------------------------------------------------------
# Uploads
# --------------------------------------------------------------------------------------------------------------


async def upload(api: Api, kind: str, content: bytes, filename: str) -> tuple[dict[str, Any], int, str]:
    status, endpoint = await api("POST", "/uploads", params={"type": kind})
    assert status == 200, endpoint
    form = aiohttp.FormData()
    form.add_field("data", content, filename=filename, content_type="application/octet-stream")
    async with aiohttp.ClientSession() as bare, bare.post(endpoint["url"], data=form) as response:
        return endpoint, response.status, await response.text()


async def test_file_upload_is_not_ready_once_then_sends(fake: FakeMax, api: Api, alice: FakeMaxUser) -> None:
    endpoint, status, text = await upload(api, "file", b"PK\x03\x04 xlsx", "report.xlsx")
    assert status == 200
    token = json.loads(text)["token"]
    assert fake.upload_content(token) == b"PK\x03\x04 xlsx"

    attachments = [{"type": "file", "payload": {"token": token}}]
    status, body = await api.send(alice, "Отчёт", attachments=attachments)
    assert status == 400
    assert body == {"code": "attachment.not.ready", "message": "Key: errors.process.attachment.file.not.processed"}
    status, sent = await api.send(alice, "Отчёт", attachments=attachments)
    assert status == 200
    file = sent["message"]["body"]["attachments"][0]
    assert file["type"] == "file" and file["filename"] == "report.xlsx" and file["size"] == 9
    shown = await alice.expect("Отчёт")
    assert shown.files[0]["filename"] == "report.xlsx"
    async with aiohttp.ClientSession() as bare, bare.get(file["payload"]["url"]) as response:
        assert await response.read() == b"PK\x03\x04 xlsx"

    # one file per upload URL
    form = aiohttp.FormData()
    form.add_field("data", b"again", filename="again.txt")
    async with aiohttp.ClientSession() as bare, bare.post(endpoint["url"], data=form) as response:
        assert response.status == 400


async def test_image_and_video_uploads(api: Api, alice: FakeMaxUser) -> None:
    _, status, text = await upload(api, "image", b"\x89PNG....", "chart.png")
    photos = json.loads(text)["photos"]
    assert status == 200 and len(photos) == 1
    attachments = [{"type": "image", "payload": {"photos": photos}}]
    assert (await api.send(alice, "График", attachments=attachments))[1]["code"] == "attachment.not.ready"
    status, sent = await api.send(alice, "График", attachments=attachments)
    assert status == 200 and sent["message"]["body"]["attachments"][0]["type"] == "image"

    # video: the token comes with the upload URL; until the bytes arrive, the attachment is never ready
    status, endpoint = await api("POST", "/uploads", params={"type": "video"})
    video = [{"type": "video", "payload": {"token": endpoint["token"]}}]
    for _ in range(2):
        assert (await api.send(alice, "Видео", attachments=video))[1]["code"] == "attachment.not.ready"
    form = aiohttp.FormData()
    form.add_field("data", b"\x00\x00\x00\x18ftypmp42", filename="clip.mp4")
    async with aiohttp.ClientSession() as bare, bare.post(endpoint["url"], data=form) as response:
        assert "<retval>1</retval>" in await response.text()
    assert (await api.send(alice, "Видео", attachments=video))[1]["code"] == "attachment.not.ready"
    assert (await api.send(alice, "Видео", attachments=video))[0] == 200


async def test_upload_errors(api: Api, alice: FakeMaxUser) -> None:
    status, body = await api("POST", "/uploads", params={"type": "photo"})
    assert status == 400 and body["code"] == "proto.payload"
    status, body = await api.send(alice, "?", attachments=[{"type": "file", "payload": {"token": "forged"}}])
    assert status == 400 and body["code"] == "proto.payload"


# --------------------------------------------------------------------------------------------------------------
# Chats, limits, injected failures, error bookkeeping
# --------------------------------------------------------------------------------------------------------------


async def test_chats_lists_started_dialogs(fake: FakeMax, api: Api, alice: FakeMaxUser) -> None:
    fake.user(7001, "Не начинал")
    status, body = await api("GET", "/chats")
    assert status == 200 and body["marker"] is None
    assert [(c["chat_id"], c["type"], c["dialog_with_user"]["user_id"]) for c in body["chats"]] == [
        (alice.chat_id, "dialog", alice.id)
    ]
    assert (await api("GET", "/chats", params={"count": 101}))[0] == 400


async def test_more_than_30_requests_a_second_is_a_429(fake: FakeMax, api: Api) -> None:
    results = await asyncio.gather(*(api("GET", "/me") for _ in range(31)))
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 30 + [429]
    assert next(body for status, body in results if status == 429) == {
        "code": "too.many.requests",
        "message": "Too many requests",
    }
    fake.advance_clock(1.0)
    assert (await api("GET", "/me"))[0] == 200


async def test_two_messages_and_two_answers_a_second_per_chat(fake: FakeMax, api: Api, alice: FakeMaxUser) -> None:
    fake.chat_messages_per_second = CHAT_MESSAGES_PER_SECOND
    fake.chat_answers_per_second = CHAT_ANSWERS_PER_SECOND
    bob = fake.user(8001, "Боб")
    await bob.start()
    assert [(await api.send(alice, str(i)))[0] for i in range(3)] == [200, 200, 429]
    assert (await api.send(bob, "другой диалог"))[0] == 200  # the limit is per chat
    fake.advance_clock(1.0)
    await api.send(alice, "Кнопки", attachments=[keyboard([callback("А"), callback("Б"), callback("В")])])
    ids = [await alice.click(label) for label in ("А", "Б", "В")]
    statuses = [
        (await api("POST", "/answers", params={"callback_id": cid}, json={"notification": "ок"}))[0] for cid in ids
    ]
    assert statuses == [200, 200, 429]
    fake.advance_clock(1.0)
    assert (await api("POST", "/answers", params={"callback_id": ids[2]}, json={"notification": "ок"}))[0] == 200


async def test_injected_failures_and_error_bookkeeping(fake: FakeMax, api: Api, alice: FakeMaxUser) -> None:
    fake.flood(1, chat_id=alice.chat_id)
    fake.fail_server(1)
    assert (await api.send(alice))[0] == 503
    assert (await api.send(alice))[0] == 429
    assert (await api.send(alice))[0] == 200
    assert fake.unexpected_errors() == []  # injected failures are never the product's

    await api.send(alice, "я" * 4001)
    unexpected = fake.unexpected_errors()
    assert [e.describe().split(" (")[0] for e in unexpected] == [
        "POST /messages -> 400 proto.payload: text: size must be between 0 and 4000"
    ]
    fake.expect_error(400, "size must be", method="POST /messages")
    fake.expect_error(400, "never happens")
    assert fake.unexpected_errors() == []
    assert fake.unmet_expectations() == ["400 containing 'never happens'"]


async def test_expect_is_strict_about_order(api: Api, alice: FakeMaxUser) -> None:
    await api.send(alice, "первое")
    await api.send(alice, "второе")
    with pytest.raises(AssertionError, match="another came first"):
        await alice.expect("второе", timeout=0.5)
    assert (await alice.expect("второе", timeout=0.5)).text == "второе"
    with pytest.raises(AssertionError, match="No new bot message"):
        await alice.next_reply(timeout=0.1)


# --------------------------------------------------------------------------------------------------------------
# The maxapi client against the fake
# --------------------------------------------------------------------------------------------------------------

try:  # maxapi is the client issue 15's adapter will use; until it is a dependency, its tests skip without it
    import maxapi
except ImportError:  # pragma: no cover
    maxapi = None

needs_maxapi = pytest.mark.skipif(maxapi is None, reason="maxapi is not installed")


@pytest.fixture
async def max_bot(fake: FakeMax) -> AsyncIterator[Any]:
    bot = maxapi.Bot(fake.token, after_input_media_delay=0.01, after_upload_retry_delay=0.01)
    bot.set_api_url(fake.base_url)
    yield bot
    await bot.close_session()


@needs_maxapi
async def test_maxapi_sends_edits_and_reads(fake: FakeMax, max_bot: Any, alice: FakeMaxUser) -> None:
    me = await max_bot.get_me()
    assert me.user_id == fake.bot_id

    sent = await max_bot.send_message(user_id=alice.id, text="<b>Привет</b>", format="html")
    mid = sent.message.body.mid
    assert (await alice.expect("Привет")).mid == mid
    await max_bot.edit_message(message_id=mid, text="Пока")
    assert (await alice.next_reply()).text == "Пока"
    assert (await max_bot.get_message(mid)).body.text == "Пока"

    # maxapi refuses a text of 4000 characters or more itself (len < 4000), before any request
    with pytest.raises(ValueError, match="4000"):
        await max_bot.send_message(user_id=alice.id, text="я" * 4000)
    await max_bot.delete_message(mid)
    with pytest.raises(maxapi.exceptions.max.MaxApiError) as refused:
        await max_bot.edit_message(message_id=mid, text="Поздно")
    assert refused.value.code == 400 and refused.value.raw["code"] == "proto.payload"
    fake.expect_error(400, "Invalid message_id")


@needs_maxapi
async def test_maxapi_polls_and_answers_a_callback(fake: FakeMax, max_bot: Any, alice: FakeMaxUser) -> None:
    from maxapi.types.attachments.buttons import CallbackButton
    from maxapi.utils.inline_keyboard import InlineKeyboardBuilder

    builder = InlineKeyboardBuilder()
    builder.row(CallbackButton(text="Да", payload="yes"))
    await max_bot.send_message(user_id=alice.id, text="Вопрос", attachments=[builder.as_markup()])
    await alice.expect("Вопрос")
    callback_id = await alice.click("Да")

    raw = await max_bot.get_updates(marker=0, timeout=0)
    kinds = [u["update_type"] for u in raw["updates"]]
    assert kinds == ["bot_started", "message_callback"]
    assert raw["updates"][1]["callback"]["callback_id"] == callback_id

    with pytest.raises(maxapi.exceptions.max.MaxApiError):
        await max_bot.send_callback(callback_id=callback_id)  # neither notification nor message
    fake.expect_error(400, "message or notification")
    await max_bot.send_callback(callback_id=callback_id, notification="Готово")
    assert alice.notifications() == ["Готово"]


@needs_maxapi
async def test_maxapi_upload_rides_out_attachment_not_ready(fake: FakeMax, max_bot: Any, alice: FakeMaxUser) -> None:
    from maxapi.enums.upload_type import UploadType
    from maxapi.types.input_media import InputMediaBuffer

    media = InputMediaBuffer(b"PK\x03\x04 spreadsheet", filename="export.xlsx", type=UploadType.FILE)
    await max_bot.send_message(user_id=alice.id, text="Выгрузка", attachments=[media])
    shown = await alice.expect("Выгрузка")
    assert shown.files[0]["type"] == "file"
    assert [e.code for e in fake.error_log] == ["attachment.not.ready"]  # once, then maxapi's retry got through
    fake.expect_error(400, "attachment.not.ready")


@needs_maxapi
async def test_maxapi_dispatcher_runs_a_dialog_by_long_polling(fake: FakeMax) -> None:
    """maxapi's own polling loop (marker kept between polls) against the fake: start payload, a text, a press."""
    from maxapi.types.attachments.buttons import CallbackButton
    from maxapi.utils.inline_keyboard import InlineKeyboardBuilder

    bot = maxapi.Bot(fake.token, auto_requests=False)
    bot.set_api_url(fake.base_url)
    dp = maxapi.Dispatcher()

    @dp.bot_started()
    async def started(event: Any) -> None:
        await event.bot.send_message(chat_id=event.chat_id, text=f"Код приглашения: {event.payload}")

    @dp.message_created()
    async def text(event: Any) -> None:
        builder = InlineKeyboardBuilder()
        builder.row(CallbackButton(text="Подтвердить", payload="confirm"))
        await event.message.answer(f"Вы написали: {event.message.body.text}", attachments=[builder.as_markup()])

    @dp.message_callback()
    async def pressed(event: Any) -> None:
        await event.answer(notification="Подтверждено", new_text="Подтверждено ✅", attachments=[])

    alice = fake.user(9001, "Алиса Новая")
    polling = asyncio.create_task(dp.start_polling(bot))
    try:
        await fake.wait_for(lambda: bool(fake.calls("GET /updates")))  # the first poll (no marker) is under way
        await alice.start("invite-42")
        await alice.expect("Код приглашения: invite-42")
        await alice.send("Здравствуйте")
        asked = await alice.expect("Вы написали: Здравствуйте")
        await alice.click("Подтвердить", asked)
        await fake.wait_for(lambda: alice.notifications() == ["Подтверждено"])
        closed = await alice.next_reply()
        assert closed.edited and closed.text == "Подтверждено ✅" and closed.buttons == []
        assert fake.skipped_updates == []
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(polling, 5)
        await bot.close_session()
    assert fake.unexpected_errors() == []


# --------------------------------------------------------------------------------------------------------------
# What a person sends besides text, and presses of payloads
# --------------------------------------------------------------------------------------------------------------


async def test_a_persons_file_comes_as_an_attachment_the_bot_can_send_on(
    fake: FakeMax, api: Api, alice: FakeMaxUser
) -> None:
    marker = (await poll(api, marker=0))["marker"]
    await alice.send_file("отчёт.pdf", b"%PDF-1.4 report", "application/pdf", caption="Вот отчёт")
    await alice.send_file("фото.png", b"\x89PNG picture", "image/png")
    [document, photo] = (await poll(api, marker=marker))["updates"]
    body = document["message"]["body"]
    assert document["update_type"] == "message_created" and body["text"] == "Вот отчёт"
    [attachment] = body["attachments"]
    assert attachment["type"] == "file" and attachment["filename"] == "отчёт.pdf" and attachment["size"] == 15
    token = attachment["payload"]["token"]
    assert fake.upload_content(token) == b"%PDF-1.4 report"
    async with aiohttp.ClientSession() as cdn, cdn.get(attachment["payload"]["url"]) as response:
        assert response.status == 200 and await response.read() == b"%PDF-1.4 report"
    [image] = photo["message"]["body"]["attachments"]
    assert image["type"] == "image" and isinstance(image["payload"]["photo_id"], int)

    # The bot sends the person's file on by its token at once (it is processed already).
    status, sent = await api.send(alice, "Ваш файл", attachments=[{"type": "file", "payload": {"token": token}}])
    assert status == 200, sent
    assert (await alice.expect("Ваш файл")).files[0]["filename"] == "отчёт.pdf"


async def test_a_sticker_is_an_attachment_with_no_file(fake: FakeMax, api: Api, alice: FakeMaxUser) -> None:
    marker = (await poll(api, marker=0))["marker"]
    await alice.send_sticker("c0ffee")
    [update] = (await poll(api, marker=marker))["updates"]
    [sticker] = update["message"]["body"]["attachments"]
    assert sticker["type"] == "sticker" and sticker["payload"]["code"] == "c0ffee"
    assert sticker["payload"]["url"].endswith("c0ffee.webp") and "token" not in sticker["payload"]
    assert {"width", "height"} <= set(sticker)
    # The bot cannot send a sticker back: the fake does not model sending one (refused as unknown).
    status, body = await api.send(alice, None, attachments=[sticker])
    assert status == 400 and "sticker" in body["message"]


async def test_a_payload_pressed_on_a_message_whose_buttons_changed(
    fake: FakeMax, api: Api, alice: FakeMaxUser
) -> None:
    marker = (await poll(api, marker=0))["marker"]
    _, sent = await api.send(alice, "Встреча состоялась?", attachments=[keyboard([callback("Да", "ci:held:1")])])
    message = await alice.expect("Встреча состоялась?")
    mid = sent["message"]["body"]["mid"]
    assert await api("PUT", "/messages", params={"message_id": mid}, json={"text": "Спасибо", "attachments": []}) == (
        200,
        {"success": True},
    )
    callback_id = await alice.click_payload("ci:held:1", message)  # the old button, as a client may still send it
    [update] = (await poll(api, marker=marker))["updates"]
    assert update["callback"]["payload"] == "ci:held:1" and update["message"]["body"]["mid"] == mid
    assert alice.answers_to(callback_id) == []
    await api("POST", "/answers", params={"callback_id": callback_id}, json={"notification": "Уже записано"})
    assert alice.answers_to(callback_id) == [{"notification": "Уже записано"}]
    with pytest.raises(AssertionError, match="not a bot message"):
        await fake.user(5002).click_payload("ci:held:1", message)
