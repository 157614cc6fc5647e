"""The sandbox's server: the page's JSON API against a real world (the app on the embedded fakes), one for the
module; each test asks what the page would and reads what a visitor would see."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
from aiohttp import FormData
from aiohttp.test_utils import TestClient, TestServer

from bot.programme import Form, Role
from bot.sandbox.web import attach, build_app, detach, next_date, now_label
from bot.sandbox.world import CURATOR_ID, Sandbox
from tests.fakes.clock import FakeClock
from tests.sandbox.worlds import running_world

# One worker runs the whole module (--dist loadgroup): its world is built once, not once per worker.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.xdist_group("sandbox-test_web")]

START = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)  # 09:00 in Moscow, a Tuesday
MOSCOW = ZoneInfo("Europe/Moscow")
CURATOR = f"tg-{CURATOR_ID}"
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Sandbox]:
    async with running_world(tmp_path_factory.mktemp("web"), START) as sandbox:
        yield sandbox


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def client(world: Sandbox) -> AsyncIterator[TestClient[Any, Any]]:
    app = build_app()
    attach(app, world)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment.replace("<br>", "\n")))


async def get(client: TestClient[Any, Any], path: str, status: int = 200) -> Any:
    response = await client.get(path)
    body = await response.json()
    assert response.status == status, body
    return body


async def post(client: TestClient[Any, Any], path: str, body: Any, status: int = 200) -> Any:
    response = await client.post(path, json=body)
    answer = await response.json()
    assert response.status == status, answer
    return answer


async def refused(response: Any, status: int, *fragments: str) -> str:
    """A 4xx with `{error}` in Russian naming what went wrong."""
    body = await response.json()
    assert response.status == status, body
    error = body["error"]
    assert CYRILLIC.search(error), error
    for fragment in fragments:
        assert fragment in error, error
    return str(error)


async def quiet(client: TestClient[Any, Any]) -> dict[str, Any]:
    """The state once nothing has changed for half a second (the bot's first tick brings the curator's digest)."""
    state = await get(client, "/api/state")
    while True:
        later = await get(client, f"/api/state?after={state['version']}&wait=0.5")
        if later["version"] == state["version"]:
            return dict(later)
        state = later


async def message_with(
    client: TestClient[Any, Any],
    key: str,
    fragment: str,
    timeout: float = 10.0,  # noqa: ASYNC109
) -> dict[str, Any]:
    """The first bot message in `key`'s chat whose text has `fragment`, waiting on the state's long poll."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    version = 0
    while True:
        chat = await get(client, f"/api/chat/{key}")
        for message in chat["messages"]:
            if message["from"] == "bot" and fragment in plain(message["html"]):
                return dict(message)
        if loop.time() > deadline:
            texts = [plain(m["html"])[:80] for m in chat["messages"]]
            raise AssertionError(f"no {fragment!r} in {key}'s chat; it has {texts}")
        version = (await get(client, f"/api/state?after={version}&wait=1"))["version"]


async def test_the_page_names_the_moment_in_russian() -> None:
    assert now_label(START.astimezone(MOSCOW)) == "вторник, 1 сентября 2026, 09:00"
    assert now_label(datetime(2027, 5, 2, 18, 5, tzinfo=MOSCOW)) == "воскресенье, 2 мая 2027, 18:05"
    second = datetime(2026, 9, 2, 9, 0, tzinfo=MOSCOW)
    assert next_date("09-01", second) == datetime(2027, 9, 1, 9, 0, tzinfo=MOSCOW)
    assert next_date("12-01", second) == datetime(2026, 12, 1, 9, 0, tzinfo=MOSCOW)
    assert next_date("05-01", second) == datetime(2027, 5, 1, 9, 0, tzinfo=MOSCOW)
    assert next_date("09-01", datetime(2026, 9, 1, 8, 0, tzinfo=MOSCOW)) == datetime(2026, 9, 1, 9, 0, tzinfo=MOSCOW)


async def test_the_page_answers_before_the_world_and_a_long_poll_waits_for_it(world: Sandbox) -> None:
    app = build_app()
    async with TestClient(TestServer(app)) as early:
        page = await early.get("/")
        assert page.status == 200
        assert "<html" in (await page.text()).lower()
        assert (await get(early, "/api/state"))["ready"] is False
        await refused(await early.get("/api/chat/tg-1000"), 503, "запускается")
        waiting = asyncio.ensure_future(get(early, "/api/state?after=0&wait=10"))
        await asyncio.sleep(0)
        assert not waiting.done()
        attach(app, world)
        state = await asyncio.wait_for(waiting, 5)
    assert state["ready"] is True
    assert state["version"] > 0
    assert state["now"] == "2026-09-01T09:00:00+03:00"
    assert state["now_label"] == "вторник, 1 сентября 2026, 09:00"
    assert state["moving"] is False
    assert state["demo"] is None
    assert state["messengers"] == ["telegram", "max"]
    assert [(p["key"], p["kind"], p["messenger"]) for p in state["personas"]] == [(CURATOR, "curator", "telegram")]


async def test_the_demo_loads_in_the_background(
    client: TestClient[Any, Any], world: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server's part of the demo (bot/sandbox/demo.py's own tests load the real one): a task the page
    watches through the state, with the clock and a second demo refused meanwhile."""
    from bot.sandbox import demo as demo_module
    from bot.sandbox.world import PersonaKind

    release = asyncio.Event()

    async def load(world: Sandbox, stage: str, *, on_progress: Any = None) -> None:
        world.add_persona("Ирина Наставница", PersonaKind.MENTOR)
        on_progress("Куратор создаёт ссылки-приглашения")
        await release.wait()

    monkeypatch.setattr(demo_module, "load_demo", load)
    answer = await client.post("/api/demo", json={"stage": "matching"})
    assert answer.status == 202
    assert (await answer.json())["demo"] == "loading"
    state = await get(client, "/api/state")
    while state["demo_progress"] is None:
        state = await get(client, f"/api/state?after={state['version']}&wait=5")
    assert (state["demo"], state["demo_progress"]) == ("loading", "Куратор создаёт ссылки-приглашения")
    await refused(await client.post("/api/clock", json={"advance": "1h"}), 409, "демо")
    await refused(await client.post("/api/demo", json={"stage": "monitoring"}), 409, "загружается")
    release.set()
    while state["demo"] == "loading":
        state = await get(client, f"/api/state?after={state['version']}&wait=5")
    assert state["demo"] == "matching"
    assert "Ирина Наставница" in [p["name"] for p in state["personas"]]
    await refused(await client.post("/api/demo", json={"stage": "monitoring"}), 409, "уже загружено")


async def test_a_sandbox_without_max_offers_telegram_only(tmp_path: Path) -> None:
    sandbox = Sandbox(tmp_path / "sandbox.sqlite3", start=START, base_clock=FakeClock(START), with_max=False)
    await sandbox.start()
    try:
        app = build_app()
        attach(app, sandbox)
        async with TestClient(TestServer(app)) as alone:
            assert (await get(alone, "/api/state"))["messengers"] == ["telegram"]
            asked = await alone.post("/api/personas", json={"name": "Маша", "kind": "pupil", "messenger": "max"})
            await refused(asked, 400, "нет MAX")
            # stopping the sandbox mid-move (Ctrl+C): the move is cancelled first and its request answered
            async with sandbox._moving:
                moving = asyncio.ensure_future(alone.post("/api/clock", json={"advance": "1d"}))
                state = await get(alone, "/api/state")
                while not state["moving"]:
                    state = await get(alone, f"/api/state?after={state['version']}&wait=5")
                await detach(app)
                await refused(await moving, 503, "останавливается")
            assert (await get(alone, "/api/state"))["ready"] is False
    finally:
        await sandbox.stop()


async def test_personas_type_and_the_bot_answers_in_their_chat(client: TestClient[Any, Any]) -> None:
    pupil = await post(client, "/api/personas", {"name": "Маша Петрова", "kind": "pupil", "messenger": "telegram"})
    assert pupil["name"] == "Маша Петрова"
    assert pupil["kind_label"] == "Ученик"
    on_max = await post(client, "/api/personas", {"name": "Папа Маши", "kind": "parent", "messenger": "max"})
    assert on_max["key"].startswith("max-")
    state = await quiet(client)
    assert {pupil["key"], on_max["key"]} <= {p["key"] for p in state["personas"]}

    # a long poll returns as soon as the curator's message changes the world
    polling = asyncio.ensure_future(get(client, f"/api/state?after={state['version']}&wait=20"))
    await asyncio.sleep(0.05)
    assert not polling.done()
    await post(client, f"/api/chat/{CURATOR}/text", {"text": "/start"})
    changed = await asyncio.wait_for(polling, 5)
    assert changed["version"] > state["version"]

    welcome = await message_with(client, CURATOR, "Вы куратор программы")
    chat = await get(client, f"/api/chat/{CURATOR}")
    assert chat["persona"]["key"] == CURATOR
    mine = [m for m in chat["messages"] if m["from"] == "user"]
    assert [plain(m["html"]) for m in mine] == ["/start"]
    assert int(mine[0]["id"]) < int(welcome["id"])


async def test_a_press_shows_its_answer_and_a_forged_one_is_refused(client: TestClient[Any, Any]) -> None:
    await post(client, f"/api/chat/{CURATOR}/text", {"text": "/menu"})
    menu = await message_with(client, CURATOR, "Меню куратора")
    data = next(b["data"] for row in menu["buttons"] for b in row if b["data"])
    answer = await post(client, f"/api/chat/{CURATOR}/press", {"message_id": menu["id"], "data": data})
    assert set(answer) >= {"text", "alert"}
    assert answer.get("timeout") is not True
    await refused(
        await client.post(f"/api/chat/{CURATOR}/press", json={"message_id": 987654, "data": data}),
        400,
        "нет сообщения бота",
    )
    await refused(await client.post(f"/api/chat/{CURATOR}/press", json={"message_id": menu["id"]}), 400, "данных")


async def test_an_invite_opened_by_new_personas_on_both_messengers(
    client: TestClient[Any, Any], world: Sandbox
) -> None:
    created = await world.app.services["invites"].create(
        Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, CURATOR_ID, days=None, max_uses=None
    )
    code = str(created.code)
    for messenger in ("telegram", "max"):
        pupil = await post(client, "/api/personas", {"name": "Оля", "kind": "pupil", "messenger": messenger})
        await post(client, f"/api/chat/{pupil['key']}/open", {"payload": code})
        await message_with(client, pupil["key"], "Привет! Ты в программе наставничества")
        age = await message_with(client, pupil["key"], "сколько тебе лет?")
        child = next(b["data"] for row in age["buttons"] for b in row if b["text"] == "Меньше 14")
        answer = await post(client, f"/api/chat/{pupil['key']}/press", {"message_id": age["id"], "data": child})
        assert answer.get("timeout") is not True
        await message_with(client, pupil["key"], "даёт родитель")
    await refused(
        await client.post(f"/api/chat/{pupil['key']}/press", json={"message_id": "mid.forged", "data": child}),
        400,
        "нет сообщения бота",
    )
    await refused(await client.post(f"/api/chat/{CURATOR}/open", json={"payload": "no spaces here"}), 400, "ссылку")


async def test_a_file_goes_up_and_comes_back_byte_for_byte(client: TestClient[Any, Any]) -> None:
    content = bytes(range(256)) * 40 + "Привет".encode()
    form = FormData()
    form.add_field("file", content, filename="план.pdf", content_type="application/pdf")
    sent = await client.post(f"/api/chat/{CURATOR}/file", data=form)
    assert sent.status == 200, await sent.text()
    chat = await get(client, f"/api/chat/{CURATOR}")
    mine = [m for m in chat["messages"] if m["from"] == "user" and m.get("document")]
    assert mine, chat["messages"]
    document = mine[-1]["document"]
    assert document["name"] == "план.pdf"
    assert document["size"] == len(content)
    download = await client.get(document["url"])
    assert download.status == 200
    assert await download.read() == content
    assert download.headers["Content-Type"].startswith("application/pdf")
    assert "filename*=UTF-8''%D0%BF%D0%BB%D0%B0%D0%BD.pdf" in download.headers["Content-Disposition"]

    await refused(await client.get("/api/file/telegram/no-such-file"), 404, "файла")
    empty = FormData()
    empty.add_field("file", b"", filename="пусто.txt", content_type="text/plain")
    await refused(await client.post(f"/api/chat/{CURATOR}/file", data=empty), 400, "пустой")
    huge = FormData()
    huge.add_field("file", b"\0" * (20 * 1024 * 1024 + 1), filename="big.bin")
    await refused(await client.post(f"/api/chat/{CURATOR}/file", data=huge), 413, "20 МБ")


async def test_bad_requests_get_a_russian_4xx(client: TestClient[Any, Any]) -> None:
    await refused(await client.get("/api/chat/tg-424242"), 404, "tg-424242")
    await refused(await client.post("/api/chat/tg-424242/text", json={"text": "привет"}), 404)
    await refused(await client.post(f"/api/chat/{CURATOR}/text", json={"text": "   "}), 400, "Пустое")
    await refused(await client.post(f"/api/chat/{CURATOR}/text", json={"text": "я" * 4097}), 400, "4 096")
    parent = next(p for p in (await get(client, "/api/state"))["personas"] if p["messenger"] == "max")
    await refused(await client.post(f"/api/chat/{parent['key']}/text", json={"text": "я" * 4001}), 400, "4 000")
    await refused(await client.post(f"/api/chat/{CURATOR}/text", data=b"{not json"), 400, "JSON")
    await refused(await client.post(f"/api/chat/{CURATOR}/text", json=["текст"]), 400, "JSON")
    await refused(await client.post("/api/personas", json={"name": "Кто-то", "kind": "director"}), 400, "kind")
    await refused(await client.post("/api/personas", json={"kind": "pupil", "messenger": "whatsapp"}), 400)
    await refused(await client.get("/api/nowhere"), 404, "адреса")
    await refused(await client.get("/api/state?after=x"), 400, "after")
    await refused(await client.post("/api/demo", json={"stage": "everything"}), 400, "matching")
    await refused(await client.post("/api/clock", json={"advance": "1y"}), 400, "шаг")
    await refused(await client.post("/api/clock", json={"to": "1 декабря"}), 400, "дата")
    await refused(await client.post("/api/clock", json={}), 400)
    transcript = await get(client, "/api/transcript?after=0")
    sent = [e for e in transcript["entries"] if e["method"] == "sendMessage"]
    assert sent and all(e["ok"] for e in sent), transcript["entries"][-5:]
    later = await get(client, f"/api/transcript?after={transcript['last']}")
    assert all(entry["seq"] > transcript["last"] for entry in later["entries"])


async def test_the_clock_moves_forward_once_at_a_time_and_never_back(
    client: TestClient[Any, Any], world: Sandbox
) -> None:
    moved = await post(client, "/api/clock", {"advance": "1d"})
    assert moved["ticks"] == 24
    assert moved["now"] == "2026-09-02T09:00:00+03:00"
    assert moved["now_label"] == "среда, 2 сентября 2026, 09:00"
    assert (await get(client, "/api/state"))["now_label"] == "среда, 2 сентября 2026, 09:00"
    await message_with(client, CURATOR, "Сводка на 02.09")

    await refused(await client.post("/api/clock", json={"to": "2026-09-01"}), 400, "не идёт назад", "1 сентября 2026")

    # a long move: the world's clock is held (as by a move of a whole season) while the page goes on asking
    async with world._moving:
        day = asyncio.ensure_future(client.post("/api/clock", json={"advance": "1d"}))
        state = await get(client, "/api/state")
        while not state["moving"]:
            state = await get(client, f"/api/state?after={state['version']}&wait=5")
        assert state["moving_to"] == "2026-09-03T09:00:00+03:00"
        await refused(await client.post("/api/clock", json={"advance": "1h"}), 409, "Часы уже идут")
        assert (await get(client, f"/api/chat/{CURATOR}"))["messages"]
        assert not day.done()
    finished = await day
    assert finished.status == 200
    assert (await finished.json())["now"] == "2026-09-03T09:00:00+03:00"
    state = await get(client, "/api/state")
    assert state["moving"] is False
    assert state["now_label"] == "четверг, 3 сентября 2026, 09:00"
    hour = await post(client, "/api/clock", {"advance": "1h"})
    assert (hour["now"], hour["ticks"]) == ("2026-09-03T10:00:00+03:00", 1)
