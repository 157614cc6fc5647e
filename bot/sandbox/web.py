"""The sandbox's page and its JSON API, served on 127.0.0.1 (aiohttp, which aiogram already brings).

The page is served at once, before the bot is up (aiogram takes seconds to import): `/api/state` says
`ready: false` until `attach(world)`, and a long poll of it waits for the attach.

The API (the contract the page keeps; every error is `{error: "…"}` in Russian with a 4xx status, never a
traceback):
- `GET /api/state?after=V&wait=S`: waits until the version passes V (at most S ≤ 30 seconds), then
  `{ready, version, now, now_label, moving, moving_to, personas, demo, demo_error, demo_progress, messengers}`
  (`messengers`: ["telegram"] or ["telegram", "max"], the choices for a new persona).
- `GET /api/chat/<key>`, `POST /api/chat/<key>/text|sticker|file|press|open`: a persona's chat and what a person
  does in it (see the handlers).
- `POST /api/personas {name, kind, messenger}`: a new persona.
- `POST /api/clock {advance: "1h"|"1d"|"7d"} | {to: "YYYY-MM-DD" | "next:MM-DD"}`: the move runs as a task of its
  own and the request is answered when it is done, `{now, now_label, ticks}`; the server keeps answering
  meanwhile (the page long-polls `state`, whose `moving` is true and whose `now` advances step by step). A second
  move while one runs gets 409; a move to the past 400.
- `POST /api/demo {stage}`: starts loading the demo programme as a task and answers 202 at once;
  `state.demo` is "loading", then the stage.
- `GET /api/transcript?after=SEQ`, `GET /api/file/<messenger>/<file_id>`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import mimetypes
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from aiohttp import web

from bot.sandbox import view
from bot.sandbox.clock import ClockWentBackwards

if TYPE_CHECKING:
    from bot.sandbox.world import Sandbox

log = logging.getLogger("bot.sandbox.web")

STATIC = Path(__file__).with_name("static")
MAX_WAIT = 30.0
#: Telegram's limit of a message's text; MAX's is 4,000 characters.
TEXT_LIMITS = {"telegram": 4096, "max": 4000}
#: The largest file a bot may download from Telegram (getFile): the page refuses bigger ones.
FILE_LIMIT = 20 * 1024 * 1024
#: How often, at most, a long move of the clock tells the page its new time (a bump of the version).
MOVE_REPORT_EVERY = 0.2
ADVANCES = {"h": timedelta(hours=1), "d": timedelta(days=1)}
DEMO_STAGES = ("matching", "monitoring")
KINDS = ("curator", "pupil", "parent", "mentor", "teacher")
WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
MESSENGER_NAMES = {"telegram": "Telegram", "max": "MAX"}


class Problem(Exception):
    """A request the sandbox refuses: answered `{error: text}` with `status`."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


@dataclass
class Server:
    """What the server keeps beside the world: the world once attached, a move or a demo under way."""

    world: Sandbox | None = None
    attached: asyncio.Event = field(default_factory=asyncio.Event)
    moving: bool = False
    moving_to: datetime | None = None
    demo: str | None = None
    demo_error: str | None = None
    demo_progress: str | None = None
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    def touch(self) -> None:
        """Tell the long polls that something beside the chats changed (a move started or ended, the demo)."""
        if self.world is not None:
            self.world._bump()

    def spawn(self, work: Awaitable[Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task


SERVER = web.AppKey("server", Server)


def build_app() -> web.Application:
    app = web.Application(client_max_size=FILE_LIMIT + 1024 * 1024, middlewares=[errors])
    app[SERVER] = Server()
    app.router.add_get("/", index)
    app.router.add_get("/api/state", state)
    app.router.add_post("/api/personas", add_persona)
    app.router.add_get("/api/chat/{key}", chat)
    app.router.add_post("/api/chat/{key}/text", send_text)
    app.router.add_post("/api/chat/{key}/sticker", send_sticker)
    app.router.add_post("/api/chat/{key}/file", send_file)
    app.router.add_post("/api/chat/{key}/press", press)
    app.router.add_post("/api/chat/{key}/open", open_link)
    app.router.add_post("/api/clock", move_clock)
    app.router.add_post("/api/demo", demo)
    app.router.add_get("/api/transcript", transcript)
    app.router.add_get("/api/file/{messenger}/{file_id}", file)
    app.router.add_static("/static/", STATIC)
    app.on_shutdown.append(_cancel_tasks)
    return app


def attach(app: web.Application, world: Sandbox) -> None:
    """Serve `world` (started). Every Bot API call in its transcript wakes the long polls too: a call that
    changed no chat (a refused send, in red) still belongs on the page's transcript panel at once."""
    server = app[SERVER]
    server.world = world
    transcript = getattr(world, "transcript", None)
    if transcript is not None:
        transcript.listeners.append(lambda entry: server.touch())
    server.attached.set()


async def detach(app: web.Application) -> None:
    """Before the world stops: a move or a demo under way is cancelled, and the API says «not ready» again."""
    await _cancel_tasks(app)
    server = app[SERVER]
    server.world = None
    server.attached.clear()


async def _cancel_tasks(app: web.Application) -> None:
    for task in list(app[SERVER].tasks):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


# ---- errors ---------------------------------------------------------------------------------------------------

HTTP_TEXTS = {
    404: "Такого адреса у песочницы нет",
    405: "Этот адрес так не вызывают",
    413: "Слишком большой запрос: файл больше 20 МБ Telegram боту не отдаст",
}


@web.middleware
async def errors(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> Any:
    """The API's answers to what it refuses: `{error}` in Russian, never a traceback. The fakes guard the Bot
    API's rules with AssertionError/KeyError/TypeError/ValueError (a press on a message not in the chat, a
    persona on the wrong messenger): a request that trips one is the visitor's, answered 400."""
    if not request.path.startswith("/api/"):
        return await handler(request)
    try:
        return await handler(request)
    except Problem as problem:
        return json_response({"error": problem.text}, status=problem.status)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        text = HTTP_TEXTS.get(exc.status, f"Запрос не выполнен ({exc.status})")
        return json_response({"error": text}, status=exc.status)
    except ClockWentBackwards:
        return json_response({"error": "Время в песочнице не идёт назад"}, status=400)
    except (AssertionError, KeyError, TypeError, ValueError) as exc:
        log.warning("refused %s %s: %r", request.method, request.path, exc)
        return json_response({"error": f"Песочница не может это сделать: {describe(exc)}"}, status=400)
    except Exception as exc:
        log.exception("%s %s failed", request.method, request.path)
        return json_response({"error": f"Внутренняя ошибка песочницы: {describe(exc)}"}, status=500)


def json_response(body: Any, *, status: int = 200) -> web.Response:
    """JSON with Russian left readable (no \\u escapes) for whoever reads it with curl."""
    return web.json_response(body, status=status, dumps=lambda data: json.dumps(data, ensure_ascii=False))


def describe(exc: BaseException) -> str:
    text = str(exc.args[0]) if exc.args else type(exc).__name__
    return text.splitlines()[0][:300] if text else type(exc).__name__


def ready_world(request: web.Request) -> Sandbox:
    world = request.app[SERVER].world
    if world is None or not world.ready:
        raise Problem(503, "Песочница ещё запускается: бот будет готов через несколько секунд")
    return world


def persona_of(world: Sandbox, key: str) -> Any:
    persona = world.personas.get(key)
    if persona is None:
        raise Problem(404, f"В песочнице нет участника «{key}»")
    return persona


async def json_body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Problem(400, "Тело запроса — не JSON") from None
    if not isinstance(body, dict):
        raise Problem(400, "Тело запроса должно быть JSON-объектом")
    return body


def text_field(body: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise Problem(400, f"Поле «{name}» должно быть строкой")
    return value


# ---- time -----------------------------------------------------------------------------------------------------


def now_label(moment: datetime) -> str:
    """«вторник, 1 сентября 2026, 09:00»: how the page names the sandbox's present (local time)."""
    return f"{WEEKDAYS[moment.weekday()]}, {moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"


def clock_target(body: dict[str, Any], now: datetime) -> datetime:
    """The moment a `POST /api/clock` body asks for; `now` is local (the world's timezone)."""
    advance, to = body.get("advance"), body.get("to")
    if (advance is None) == (to is None):
        raise Problem(400, "Укажите одно: «advance» (1h, 1d, 7d) или «to» (ГГГГ-ММ-ДД или next:ММ-ДД)")
    if advance is not None:
        match = re.fullmatch(r"(\d{1,4})([hd])", advance) if isinstance(advance, str) else None
        if match is None or int(match.group(1)) == 0:
            raise Problem(400, f"Непонятный шаг часов: {advance!r} (нужно, например, 1h, 1d или 7d)")
        step = int(match.group(1)) * ADVANCES[match.group(2)]
        if step > timedelta(days=400):
            raise Problem(400, "Больше чем на год часы за один раз не переводят")
        return now + step
    if not isinstance(to, str):
        raise Problem(400, "Поле «to» должно быть строкой: ГГГГ-ММ-ДД или next:ММ-ДД")
    if to.startswith("next:"):
        return next_date(to.removeprefix("next:"), now)
    try:
        day = date.fromisoformat(to)
    except ValueError:
        raise Problem(400, f"Непонятная дата: {to!r} (нужно ГГГГ-ММ-ДД)") from None
    return nine_am(day, now)


def nine_am(day: date, now: datetime) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=now.tzinfo)


def next_date(month_day: str, now: datetime) -> datetime:
    """The first 09:00 of MM-DD after `now` (the programme calendar's buttons: 1 September, 1 December, 1 May)."""
    match = re.fullmatch(r"(\d\d)-(\d\d)", month_day)
    if match is None:
        raise Problem(400, f"Непонятная дата календаря: {month_day!r} (нужно ММ-ДД)")
    month, day = int(match.group(1)), int(match.group(2))
    for year in (now.year, now.year + 1, now.year + 4):
        try:
            moment = nine_am(date(year, month, day), now)
        except ValueError:
            continue
        if moment > now:
            return moment
    raise Problem(400, f"Такой даты нет: {month_day!r}")


# ---- handlers -------------------------------------------------------------------------------------------------


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html")


async def state(request: web.Request) -> web.Response:
    server = request.app[SERVER]
    after = int_query(request, "after", -1)
    wait = min(max(float_query(request, "wait", 0.0), 0.0), MAX_WAIT)
    if server.world is None and wait > 0:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.attached.wait(), wait)
    world = server.world
    if world is None or not world.ready:
        return json_response(
            {
                "ready": False,
                "version": 0,
                "now": None,
                "now_label": None,
                "moving": False,
                "moving_to": None,
                "personas": [],
                "demo": None,
                "demo_error": None,
                "messengers": [],
            }
        )
    if wait > 0:
        await world.wait_change(after, wait)
    return json_response(state_body(server, world))


def state_body(server: Server, world: Sandbox) -> dict[str, Any]:
    now = world.now().astimezone(world.tz)
    return {
        "ready": True,
        "version": world.version,
        "now": now.isoformat(),
        "now_label": now_label(now),
        "moving": server.moving,
        "moving_to": server.moving_to.astimezone(world.tz).isoformat() if server.moving_to else None,
        "personas": [p.to_json() for p in world.personas.values()],
        "demo": server.demo,
        "demo_error": server.demo_error,
        "demo_progress": server.demo_progress,
        "messengers": ["telegram", "max"] if world.max is not None else ["telegram"],
    }


def int_query(request: web.Request, name: str, default: int) -> int:
    value = request.query.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise Problem(400, f"Параметр «{name}» должен быть целым числом") from None


def float_query(request: web.Request, name: str, default: float) -> float:
    value = request.query.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise Problem(400, f"Параметр «{name}» должен быть числом") from None


async def add_persona(request: web.Request) -> web.Response:
    from bot.flows.events import Messenger
    from bot.sandbox.world import PersonaKind

    world = ready_world(request)
    body = await json_body(request)
    name = text_field(body, "name", required=False) or ""
    kind = body.get("kind")
    if kind not in KINDS:
        raise Problem(400, "Кто это? «kind»: curator, pupil, parent, mentor или teacher")
    messenger = body.get("messenger", "telegram")
    if messenger not in MESSENGER_NAMES:
        raise Problem(400, "Мессенджер: telegram или max")
    if messenger == "max" and world.max is None:
        raise Problem(400, "В этой песочнице нет MAX (она запущена с --no-max)")
    persona = world.add_persona(name, PersonaKind(kind), Messenger(messenger))
    return json_response(persona.to_json())


async def chat(request: web.Request) -> web.Response:
    world = ready_world(request)
    key = request.match_info["key"]
    persona_of(world, key)
    return json_response(view.chat(world, key))


async def send_text(request: web.Request) -> web.Response:
    world = ready_world(request)
    persona = persona_of(world, request.match_info["key"])
    text = text_field(await json_body(request), "text") or ""
    if not text.strip():
        raise Problem(400, "Пустое сообщение не отправить")
    limit = TEXT_LIMITS[persona.messenger.value]
    if len(text) > limit:
        where = MESSENGER_NAMES[persona.messenger.value]
        raise Problem(400, f"Сообщение длиннее {limit:,} символов: {where} его не пропустит".replace(",", " "))
    await world.send_text(persona.key, text)
    return json_response({"ok": True})


async def send_sticker(request: web.Request) -> web.Response:
    world = ready_world(request)
    persona = persona_of(world, request.match_info["key"])
    await world.send_sticker(persona.key)
    return json_response({"ok": True})


async def send_file(request: web.Request) -> web.Response:
    """A file from the visitor's computer (multipart, field `file`), read in parts and refused past 20 MB."""
    world = ready_world(request)
    persona = persona_of(world, request.match_info["key"])
    if not request.content_type.startswith("multipart/"):
        raise Problem(400, "Файл отправляют формой multipart/form-data, в поле «file»")
    try:
        reader = await request.multipart()
        part = await reader.next()
        while part is not None and getattr(part, "name", None) != "file":
            part = await reader.next()
    except ValueError:
        raise Problem(400, "Не удалось прочитать форму с файлом") from None
    if part is None or not hasattr(part, "read_chunk"):
        raise Problem(400, "В форме нет поля «file»")
    name = Path(unquote(part.filename or "")).name or "файл"  # aiohttp's client percent-encodes a name
    content = bytearray()
    while chunk := await part.read_chunk(256 * 1024):
        content.extend(chunk)
        if len(content) > FILE_LIMIT:
            raise Problem(413, "Файл больше 20 МБ: такой бот из Telegram не скачает")
    if not content:
        raise Problem(400, "Файл пустой")
    mime = part.headers.get("Content-Type") or ""
    if not mime or mime == "application/octet-stream":
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    await world.send_file(persona.key, name, bytes(content), mime)
    return json_response({"ok": True, "name": name, "size": len(content)})


async def press(request: web.Request) -> web.Response:
    """Press a button: `{message_id, data}` → the answer the phone shows, `{text, alert, timeout?}`. The message
    must be one of the bot's in this persona's chat (a forged id is refused); its buttons may since have changed,
    as a client showing the old keyboard sends the old press."""
    world = ready_world(request)
    persona = persona_of(world, request.match_info["key"])
    body = await json_body(request)
    data = body.get("data")
    if not isinstance(data, str) or not data:
        raise Problem(400, "У кнопки нет данных («data»)")
    if len(data.encode()) > 1024:
        raise Problem(400, "Данные кнопки слишком длинные")
    message_id = bot_message_id(world, persona, body.get("message_id"))
    return json_response(await world.press(persona.key, message_id, data))


def bot_message_id(world: Sandbox, persona: Any, raw: Any) -> int | str:
    """The id of a bot message still in `persona`'s chat, or a 400."""
    if persona.messenger.value == "telegram":
        try:
            message_id = int(raw) if isinstance(raw, (int, str)) and not isinstance(raw, bool) else None
        except ValueError:
            message_id = None
        found = [m for m in world.tg.messages(persona.account_id) if m.message_id == message_id]
        deleted = bool(found) and found[0].deleted
        result: int | str | None = message_id if found else None
    else:
        assert world.max is not None
        user = world.max_user(persona.key)
        sent = world.max._messages.get(raw) if isinstance(raw, str) else None
        found_max = sent is not None and sent.chat_id == user.chat_id
        deleted = found_max and bool(sent and sent.deleted)
        result = raw if found_max else None
    if result is None:
        raise Problem(400, f"В чате нет сообщения бота {raw!r}: нажать можно только кнопку под сообщением")
    if deleted:
        raise Problem(400, "Это сообщение бот уже удалил")
    return result


async def open_link(request: web.Request) -> web.Response:
    """Open the bot's link with a start payload as this persona (an invite from another persona's chat)."""
    world = ready_world(request)
    persona = persona_of(world, request.match_info["key"])
    payload = text_field(await json_body(request), "payload", required=False)
    payload = payload.strip() if payload else None
    if payload is not None:
        pattern = r"[A-Za-z0-9_-]{1,64}" if persona.messenger.value == "telegram" else r"[^\s]{1,128}"
        if re.fullmatch(pattern, payload) is None:
            raise Problem(400, f"Такую ссылку {MESSENGER_NAMES[persona.messenger.value]} не откроет: {payload[:80]!r}")
    await world.open_link(persona.key, payload)
    return json_response({"ok": True})


async def move_clock(request: web.Request) -> web.Response:
    world = ready_world(request)
    server = request.app[SERVER]
    body = await json_body(request)
    now = world.now().astimezone(world.tz)
    target = clock_target(body, now)
    if server.moving:
        raise Problem(409, "Часы уже идут: дождитесь, пока они дойдут до нужного дня")
    if server.demo == "loading":
        raise Problem(409, "Загружается демо: часы можно будет перевести, когда оно загрузится")
    if target < now:
        raise Problem(
            400,
            f"Время в песочнице не идёт назад: сейчас {now_label(now)}, а {now_label(target)} уже прошло",
        )
    server.moving, server.moving_to = True, target
    server.touch()
    # The move is its own task: a page closed mid-move does not cut the year in half.
    task = server.spawn(run_move(server, world, target))
    try:
        ticks = await asyncio.shield(task)
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if task.cancelled() and not (current and current.cancelling()):
            raise Problem(503, "Песочница останавливается: часы остановлены") from None
        raise
    moved = world.now().astimezone(world.tz)
    return json_response({"now": moved.isoformat(), "now_label": now_label(moved), "ticks": ticks})


async def run_move(server: Server, world: Sandbox, target: datetime) -> int:
    last = time.monotonic()

    def on_step(moment: datetime) -> None:
        nonlocal last
        if time.monotonic() - last >= MOVE_REPORT_EVERY:
            last = time.monotonic()
            server.touch()

    try:
        return await world.move_clock(target, on_step=on_step)
    finally:
        server.moving, server.moving_to = False, None
        server.touch()


async def demo(request: web.Request) -> web.Response:
    world = ready_world(request)
    server = request.app[SERVER]
    stage = (await json_body(request)).get("stage")
    if stage not in DEMO_STAGES:
        raise Problem(400, "С чего начать демо: «matching» (подбор пар) или «monitoring» (мониторинг)")
    if server.demo == "loading":
        raise Problem(409, "Демо уже загружается")
    if server.demo is not None:
        raise Problem(409, "Демо уже загружено: чтобы начать заново, перезапустите песочницу")
    if server.moving:
        raise Problem(409, "Часы идут: загрузите демо, когда они остановятся")
    if any(p.kind.value != "curator" for p in world.personas.values()):
        raise Problem(409, "Демо загружается только в новую песочницу, а здесь уже есть участники")
    server.demo, server.demo_error, server.demo_progress = "loading", None, None
    server.touch()
    from bot.sandbox import demo as programme  # the flows' modules: loaded with the bot, not before the page

    server.spawn(run_demo(server, world, programme.load_demo, stage))
    return json_response({"demo": "loading"}, status=202)


async def run_demo(server: Server, world: Sandbox, load: Callable[..., Awaitable[Any]], stage: str) -> None:
    def on_progress(*args: Any, **kwargs: Any) -> None:
        server.demo_progress = " ".join(str(a) for a in args) or None
        server.touch()

    try:
        await load(world, stage, on_progress=on_progress)
    except asyncio.CancelledError:
        raise
    except ValueError as exc:  # the demo's own refusal, in Russian
        log.warning("the demo refused: %s", exc)
        server.demo, server.demo_error = None, describe(exc)
    except Exception as exc:
        log.exception("the demo did not load")
        server.demo, server.demo_error = None, f"Демо не загрузилось: {describe(exc)}"
    else:
        server.demo = stage
    finally:
        server.demo_progress = None
        server.touch()


async def transcript(request: web.Request) -> web.Response:
    world = ready_world(request)
    return json_response(view.transcript(world, int_query(request, "after", 0)))


async def file(request: web.Request) -> web.Response:
    world = ready_world(request)
    messenger = request.match_info["messenger"]
    if messenger not in MESSENGER_NAMES or (messenger == "max" and world.max is None):
        raise Problem(404, f"Нет такого мессенджера: {messenger}")
    found = view.file(world, messenger, request.match_info["file_id"])
    if found is None:
        raise Problem(404, "Такого файла в песочнице нет")
    name, mime, content = found
    headers = {"Content-Type": mime, "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}"}
    return web.Response(body=content, headers=headers)

