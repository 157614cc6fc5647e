"""Benchmark: 1,000 users answer the intake questionnaire at once through the real dispatcher.

Three dispatchers get the same simulated users and the same steps (texts and button presses) in one run, each
in a fresh subprocess so that its peak RSS is its own:

* ``app``: the real one, ``bot.app.build_dispatcher`` (all routers, the middlewares, ``SimpleEventIsolation``,
  the SQLite FSM storage, answers saved by ``ParticipantRepo``) after its own start-up (``on_startup``: bot
  commands, outbox sender, scheduler, ``gc.freeze()`` and the young-generation threshold), on a fresh SQLite
  file in a temporary directory.
* ``echo``: a bare aiogram ``Dispatcher()`` with one async message handler (``message.answer(text)``) and one
  async callback handler (``query.answer()``), and the same collector settings at the point where the app sets them.
* ``floor``: a bare ``Dispatcher()`` that replies the way the questionnaire must: a text gets a question with
  its keyboard, a button press is answered and its message edited to the next question with its keyboard
  (the intake's own keyboards, the app's ``show`` and request serialisation), with no dialog state, routing
  or storage. It is the ceiling for any questionnaire that shows its questions with buttons.

All talk to an in-process fake Bot API (``FakeSession``): requests are serialised as aiogram's HTTP session
does (echo) or as the app's session does (app and floor: ``handlers.transport``), and the answers are JSON parsed
by aiogram; only the network is missing. Users are enrolled and consented
through the repositories (not measured), enter the questionnaire through the dispatcher (/menu → «Заполнить
анкету», not measured), then answer all 9 questions and press «Всё верно» (measured).

Users behave like people: each sends the next update only after the bot has answered the previous one (a button
press carries the message the bot last sent or edited, so it cannot be built earlier), and all of them start at
once, so the dispatcher is saturated. Updates go through a semaphore of ``--concurrency`` (64) with one task per
update and are parsed from JSON with ``Update.model_validate``, as ``start_polling(tasks_concurrency_limit=64)``
does. Per update: time in the dispatcher (task start → handler done, parsing included) and response time (the
user's send → handler done, the wait for a free slot included). Then ``--solo`` more users answer one at a time
on the idle bot: the cost of an update without queueing.

Afterwards the SQLite file is read with sqlite3 and every user's 9 answers are compared with what the user gave
(the echo's replies are counted); a lost or wrong answer, an unfinished questionnaire, an error log record or an
unexpected bot reply makes the script exit with status 1.

Run from the repository root:  /tmp/venv/bin/python bench/bench_intake.py [--users 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import logging
import math
import os
import platform
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Only aiogram here: the echo worker must not carry the app's modules in its RSS. The app's modules are imported
# where they are used (the plans in the parent process, the dispatcher in the app worker).
import aiogram
import aiosqlite
from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.types import CallbackQuery, Message, Update

ROOT = Path(__file__).resolve().parents[1]

BOT_ID = 7_000_000_001
TOKEN = f"{BOT_ID}:BENCH_" + "x" * 35
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Наставник", "username": "nastavnik_bench_bot"}
CURATOR_ID = 1000
FIRST_USER_ID = 50_000_000
QUESTIONNAIRE_ID = "intake_mentee_pupil"
CHECK_MARK = "✅ "

FIRST_NAMES = ["Маша", "Петя", "Аня", "Ваня", "Соня", "Дима", "Лиза", "Артём", "Вика", "Егор", "Катя", "Миша"]
LAST_NAMES = ["Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Новиков"]
EXPECTATIONS = [
    "Хочу сделать свой проект и выступить на конкурсе.",
    "Хочу научиться программировать роботов.",
    "Чтобы было с кем посоветоваться.",
    "Подготовиться к олимпиаде и не бояться выступать.",
]


# --------------------------------------------------------------------------------- the fake Bot API (harness)
class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


class FakeTelegram:
    """Private chats with the bot: message ids, the bot's messages (for edits), callback answers.

    Message ids are shared by both sides of a chat, as in Telegram. Time spent here and in building the users'
    updates is harness time, reported separately (it is not the bot's work, but it runs in the same process).
    """

    def __init__(self) -> None:
        self.counter: dict[int, int] = {}
        self.bot_messages: dict[int, dict[int, dict[str, Any]]] = {}
        self.last: dict[int, dict[str, Any]] = {}  # the bot's last sent or edited message in each chat
        self.calls: Counter[str] = Counter()
        self.sent_texts: dict[int, list[str]] = {}
        self.callback_answers: dict[int, list[str | None]] = {}
        self.pending_queries: dict[str, int] = {}
        self.errors: list[str] = []
        self.harness = 0.0

    def next_message_id(self, chat_id: int) -> int:
        self.counter[chat_id] = self.counter.get(chat_id, 0) + 1
        return self.counter[chat_id]

    def handle(self, method: str, params: dict[str, Any]) -> Any:
        self.calls[method] += 1
        if method == "getMe":
            return BOT_USER
        if method in ("setMyCommands", "deleteMyCommands"):
            return True
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            message: dict[str, Any] = {
                "message_id": self.next_message_id(chat_id),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": f"U{chat_id}"},
                "from": BOT_USER,
                "text": params["text"],
            }
            if "reply_markup" in params:
                message["reply_markup"] = json.loads(params["reply_markup"])
            self.bot_messages.setdefault(chat_id, {})[message["message_id"]] = message
            self.last[chat_id] = message
            self.sent_texts.setdefault(chat_id, []).append(params["text"])
            return message
        if method in ("editMessageText", "editMessageReplyMarkup"):
            chat_id = int(params["chat_id"])
            old = self.bot_messages.get(chat_id, {}).get(int(params["message_id"]))
            if old is None:
                raise ApiError(400, "Bad Request: message to edit not found")
            markup = json.loads(params["reply_markup"]) if "reply_markup" in params else None
            text = params.get("text", old["text"]) if method == "editMessageText" else old["text"]
            if text == old["text"] and markup == old.get("reply_markup"):
                raise ApiError(400, "Bad Request: message is not modified")
            message = {k: v for k, v in old.items() if k != "reply_markup"}
            message.update(text=text, edit_date=int(time.time()))
            if markup:
                message["reply_markup"] = markup
            self.bot_messages[chat_id][message["message_id"]] = message
            self.last[chat_id] = message
            return message
        if method == "answerCallbackQuery":
            chat_id = self.pending_queries.pop(params["callback_query_id"], None)
            if chat_id is None:
                raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
            self.callback_answers.setdefault(chat_id, []).append(params.get("text"))
            return True
        raise ApiError(400, f"Bad Request: {method} is not simulated by the benchmark")


class FakeSession(BaseSession):
    """aiogram's request path without the network: the same serialisation, JSON answers parsed by aiogram."""

    def __init__(self, server: FakeTelegram) -> None:
        super().__init__()
        self.server = server

    def request_fields(self, bot: Bot, method: TelegramMethod[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """As `AiohttpSession.build_form_data` makes the form fields."""
        fields: dict[str, Any] = {}
        files: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if prepared:
                fields[key] = prepared
        return fields, files

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:  # noqa: ASYNC109
        params, _ = self.request_fields(bot, method)
        started = time.perf_counter()
        try:
            result = self.server.handle(method.__api_method__, params)
            content, status = self.json_dumps({"ok": True, "result": result}), 200
        except ApiError as exc:
            self.server.errors.append(f"{method.__api_method__}: {exc.description}")
            content = self.json_dumps({"ok": False, "error_code": exc.code, "description": exc.description})
            status = exc.code
        self.server.harness += time.perf_counter() - started
        return self.check_response(bot=bot, method=method, status_code=status, content=content).result

    async def stream_content(self, *args: Any, **kwargs: Any) -> Any:  # never used: nothing is downloaded
        raise NotImplementedError
        yield b""

    async def close(self) -> None:
        pass


def app_session(server: FakeTelegram) -> FakeSession:
    """The fake session with the app's own serialisation (`handlers.transport.BotSession`'s form fields)."""
    from handlers.transport import RequestFields

    class AppFakeSession(RequestFields, FakeSession):
        pass

    return AppFakeSession(server)


# --------------------------------------------------------------------------------- what each user does
@dataclass(frozen=True)
class Step:
    kind: str  # "text" or "click"
    text: str  # the text typed, or the label of the button pressed
    data: str = ""  # the callback data of that button
    expect: str = ""  # what the app's last message must contain afterwards


@dataclass
class UserPlan:
    user_id: int
    entry: list[Step]  # /menu → «Заполнить анкету»: not measured
    steps: list[Step]  # the questionnaire and «Всё верно»: measured
    answers: dict[str, Any]  # what must be stored afterwards

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> UserPlan:
        return cls(
            raw["user_id"], [Step(**s) for s in raw["entry"]], [Step(**s) for s in raw["steps"]], raw["answers"]
        )


def plain_options(options: Any) -> list[Any]:
    """The options a simulated user picks: not «Другое», whose follow-up question the plans do not type."""
    return [o for o in options if not o.details]


def shown(question: Any, option: Any) -> str:
    """An option's label on its button: the full wording one to a row, the short one two to a row."""
    from handlers.kb.survey import ONE_PER_ROW_LIMIT

    return option.label if len(question.options) <= ONE_PER_ROW_LIMIT else option.button


def make_plans(count: int, seed: int) -> list[UserPlan]:
    """A random but valid way through the questionnaire for each user, from the questionnaire file itself."""
    from bot.i18n import tr
    from bot.questionnaires import QuestionType, load_directory
    from handlers.kb.menu import MenuCb
    from handlers.kb.survey import SurveyCb

    questionnaire = load_directory()[QUESTIONNAIRE_ID]
    total = len(questionnaire.questions)
    rng = random.Random(seed)
    plans = []
    for user_id in range(FIRST_USER_ID, FIRST_USER_ID + count):
        entry = [
            Step("text", "/menu", expect="Моё меню"),
            Step("click", tr("btn-start-survey"), MenuCb(action="survey").pack(), expect=f"Вопрос 1 из {total}"),
        ]
        steps: list[Step] = []
        answers: dict[str, Any] = {}
        for n, q in enumerate(questionnaire.questions, start=1):
            after = f"Вопрос {n + 1} из {total}" if n < total else "проверь ответы"
            if q.type is QuestionType.TEXT:
                if q.required or rng.random() < 0.5:
                    if q.id == "name":
                        value = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {user_id - FIRST_USER_ID}"
                    else:
                        value = rng.choice(EXPECTATIONS)
                    steps.append(Step("text", value, expect=after))
                    answers[q.id] = value
                else:
                    steps.append(Step("click", tr("btn-skip"), SurveyCb(a="s", q=q.id).pack(), expect=after))
                    answers[q.id] = None
            elif q.type is QuestionType.NUMBER:
                number = rng.randint(max(q.min_value or 0, 10), min(q.max_value or 99, 17))
                steps.append(Step("text", str(number), expect=after))
                answers[q.id] = number
            elif q.type is QuestionType.SCALE:
                number = rng.randint(q.min_value or 1, q.max_value or 10)
                steps.append(Step("click", str(number), SurveyCb(a="a", q=q.id, v=str(number)).pack(), expect=after))
                answers[q.id] = number
            elif q.type is QuestionType.SINGLE:
                option = rng.choice(plain_options(q.options))
                steps.append(Step("click", shown(q, option), SurveyCb(a="a", q=q.id, v=option.id).pack(), expect=after))
                answers[q.id] = option.id
            else:  # multi: mark 1–3 options, then «Готово»
                options = plain_options(q.options)
                most = min(3, q.max_choices or 3, len(options))
                chosen = rng.sample(options, rng.randint(max(1, q.min_choices), most))
                for option in chosen:
                    data = SurveyCb(a="t", q=q.id, v=option.id).pack()
                    steps.append(Step("click", shown(q, option), data, expect=f"Вопрос {n} из {total}"))
                steps.append(Step("click", tr("btn-done"), SurveyCb(a="d", q=q.id).pack(), expect=after))
                answers[q.id] = [o.id for o in q.options if o in chosen]
        steps.append(Step("click", tr("btn-all-right"), SurveyCb(a="ok").pack(), expect="Анкета сохранена"))
        plans.append(UserPlan(user_id, entry, steps, answers))
    return plans


# --------------------------------------------------------------------------------- feeding a dispatcher
@dataclass
class Phase:
    service: list[float] = field(default_factory=list)  # task start → handler done (parsing included)
    response: list[float] = field(default_factory=list)  # the user's send → handler done


class Driver:
    """Turns users' steps into Bot API updates and feeds them as polling does with a concurrency limit."""

    def __init__(self, dp: Dispatcher, bot: Bot, server: FakeTelegram, concurrency: int, variant: str) -> None:
        self.dp, self.bot, self.server, self.variant = dp, bot, server, variant
        self.app = variant == "app"
        self.sem = asyncio.Semaphore(concurrency)
        self.update_ids = itertools.count(1)
        self.query_ids = itertools.count(1)
        self.anomalies: list[str] = []

    def build(self, user_id: int, step: Step) -> str:
        user = {"id": user_id, "is_bot": False, "first_name": f"U{user_id}", "language_code": "ru"}
        if step.kind == "text":
            message: dict[str, Any] = {
                "message_id": self.server.next_message_id(user_id),
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private", "first_name": f"U{user_id}"},
                "from": user,
                "text": step.text,
            }
            if step.text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(step.text.split()[0])}]
            return json.dumps({"update_id": next(self.update_ids), "message": message}, ensure_ascii=False)
        last = self.server.last.get(user_id)
        data = step.data
        if self.app:  # press the button the bot really showed, found by its label
            rows = (last or {}).get("reply_markup", {}).get("inline_keyboard", [])
            found = [b["callback_data"] for row in rows for b in row if b["text"].removeprefix(CHECK_MARK) == step.text]
            if not found:
                self.anomalies.append(f"user {user_id}: no button {step.text!r} under {(last or {}).get('text')!r}")
            elif found[0] != step.data:
                self.anomalies.append(f"user {user_id}: button {step.text!r} carries {found[0]!r}, not {step.data!r}")
            data = found[0] if found else step.data
        query_id = str(next(self.query_ids))
        self.server.pending_queries[query_id] = user_id
        query: dict[str, Any] = {"id": query_id, "from": user, "chat_instance": str(user_id * 7), "data": data}
        if last is not None:
            query["message"] = last
        return json.dumps({"update_id": next(self.update_ids), "callback_query": query}, ensure_ascii=False)

    def check(self, user_id: int, step: Step) -> None:
        last = self.server.last.get(user_id)
        text = (last or {}).get("text")
        if self.app:
            if step.expect and (text is None or step.expect not in text):
                self.anomalies.append(f"user {user_id}: after {step.text!r} expected {step.expect!r}, got {text!r}")
        elif self.variant == "echo" and step.kind == "text" and text != step.text:
            self.anomalies.append(f"user {user_id}: {step.text!r} was not echoed")

    async def process(self, raw: str, submitted: float, phase: Phase) -> None:
        started = time.perf_counter()
        try:
            update = Update.model_validate(json.loads(raw), context={"bot": self.bot})
            await self.dp.feed_update(self.bot, update)
        except Exception as exc:  # polling would log it and go on
            self.anomalies.append(f"feed_update raised {exc!r}")
        finally:
            self.sem.release()
            done = time.perf_counter()
            phase.service.append(done - started)
            phase.response.append(done - submitted)

    async def user(self, user_id: int, steps: list[Step], phase: Phase, go: asyncio.Event) -> None:
        await go.wait()
        for step in steps:
            started = time.perf_counter()
            raw = self.build(user_id, step)
            submitted = time.perf_counter()
            self.server.harness += submitted - started
            await self.sem.acquire()
            await asyncio.create_task(self.process(raw, submitted, phase))  # one task per update, as polling
            started = time.perf_counter()
            self.check(user_id, step)
            self.server.harness += time.perf_counter() - started

    async def run(self, plans: dict[int, list[Step]], phase: Phase | None = None) -> tuple[Phase, float]:
        """All the given users at once; returns the per-update times and the wall time."""
        phase = phase or Phase()
        go = asyncio.Event()
        tasks = [asyncio.create_task(self.user(uid, steps, phase, go)) for uid, steps in plans.items()]
        await asyncio.sleep(0)
        started = time.perf_counter()
        go.set()
        await asyncio.gather(*tasks)
        return phase, time.perf_counter() - started


# --------------------------------------------------------------------------------- measurement helpers
def settle_collector() -> None:
    """What the app's on_startup does (`bot.app.settle_collector`, not imported here so that echo's process
    stays bare aiogram): every variant gets the same collector."""
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(20_000, older, oldest)


class GcTimer:
    """gc.callbacks hook: time spent in the collector and collections per generation."""

    def __init__(self) -> None:
        self.total = 0.0
        self.collections = [0, 0, 0]
        self.active = False
        self._started: float | None = None

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if not self.active:
            return
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self.total += time.perf_counter() - self._started
            self.collections[info["generation"]] += 1
            self._started = None


class ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.name}: {record.getMessage()}")


def thread_cpu(native_id: int) -> float:
    with open(f"/proc/self/task/{native_id}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Diagnostics:
    """--diagnose (app only): aiosqlite hops, SQL statements, the Database lock, CPU of the two threads."""

    def __init__(self) -> None:
        self.hops = 0
        self.hop_time = 0.0
        self.lock_acquired = 0
        self.lock_wait = 0.0
        self.lock_hold = 0.0
        self.statements: Counter[str] = Counter()
        self.sqlite_thread = 0
        self.sqlite_cpu = 0.0
        self.main_thread = threading.get_native_id()
        self.main_cpu = 0.0
        self.active = False

    def trace(self, sql: str) -> None:  # runs in aiosqlite's thread
        if self.active:
            verb = sql.split(None, 1)[0].upper()
            table = re.search(r"\b(?:INTO|FROM|UPDATE)\s+(\w+)", sql, re.IGNORECASE)
            self.statements[f"{verb} {table.group(1) if table else '?'}"] += 1

    async def install(self, db: Any) -> None:
        conn = db._conn
        await conn.set_trace_callback(self.trace)
        self.sqlite_thread = conn._thread.native_id
        execute = conn._execute
        diag = self

        async def counted(fn: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await execute(fn, *args, **kwargs)
            finally:
                if diag.active:
                    diag.hops += 1
                    diag.hop_time += time.perf_counter() - started

        conn._execute = counted

        class TimedLock(asyncio.Lock):
            held_since = 0.0

            async def acquire(self) -> bool:
                started = time.perf_counter()
                result = await super().acquire()
                self.held_since = time.perf_counter()
                if diag.active:
                    diag.lock_acquired += 1
                    diag.lock_wait += self.held_since - started
                return result

            def release(self) -> None:
                if diag.active:
                    diag.lock_hold += time.perf_counter() - self.held_since
                super().release()

        db._lock = TimedLock()

    def start(self) -> None:
        self.active = True
        self.sqlite_cpu = -thread_cpu(self.sqlite_thread)
        self.main_cpu = -thread_cpu(self.main_thread)

    def stop(self) -> None:
        self.active = False
        self.sqlite_cpu += thread_cpu(self.sqlite_thread)
        self.main_cpu += thread_cpu(self.main_thread)


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    """VmHWM: the peak RSS of this process's memory. ru_maxrss is not used: on Linux a child started with
    fork/vfork + exec inherits the parent's high-water mark in it (here the parent's ~230 MiB)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# ------------------------------------------------------------------------------- the three dispatchers
def echo_dispatcher() -> Dispatcher:
    router = Router(name="echo")

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    @router.callback_query()
    async def press(query: CallbackQuery) -> None:
        await query.answer()

    dp = Dispatcher()
    dp.include_router(router)
    return dp


def floor_dispatcher() -> Dispatcher:
    """The least a button questionnaire has to do, in the app's own way, with no dialog state and no storage.

    Like echo, a bare `Dispatcher()`; unlike echo, every reply shows a question with its buttons, as the app
    does: a text gets a new message with a keyboard, a button press is answered and its message edited to the
    next question's text and keyboard. The keyboards are the intake questionnaire's own, taken in turn from
    the app's keyboard cache, and sent through the app's `show` and the app's request serialisation. What the
    app does beyond this floor is its dialog: routing, state, validation, storage.
    """
    from bot.questionnaires import load_directory
    from handlers.kb.survey import question_keyboard
    from handlers.ui import show

    questionnaire = load_directory()[QUESTIONNAIRE_ID]
    keyboards = [question_keyboard(questionnaire, q) for q in questionnaire.questions]
    turn = itertools.count()
    router = Router(name="floor")

    @router.message()
    async def reply(message: Message) -> None:
        n = next(turn)
        await show(message, f"Вопрос {n % len(keyboards) + 1}: {n}", keyboards[n % len(keyboards)], edit=False)

    @router.callback_query()
    async def press(query: CallbackQuery) -> None:
        await query.answer()
        n = next(turn)
        await show(query, f"Вопрос {n % len(keyboards) + 1}: {n}", keyboards[n % len(keyboards)])

    dp = Dispatcher()
    dp.include_router(router)
    return dp


def floor_bot(session: FakeSession) -> Bot:
    """A bot made as the app makes it: HTML by default, the app's request middlewares."""
    from aiogram.client.default import DefaultBotProperties
    from aiogram.enums import ParseMode

    from handlers.middlewares import install_request_middlewares

    install_request_middlewares(session)
    default = DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True)
    return Bot(token=TOKEN, session=session, default=default)


async def start_app(session: FakeSession, db_path: Path, plans: list[UserPlan]) -> tuple[Dispatcher, Bot, Any]:
    """The app as `bot.app` assembles it (Bot API session aside), started, with every user enrolled."""
    from aiogram.client.default import DefaultBotProperties
    from aiogram.enums import ParseMode

    from bot.app import build_dispatcher
    from bot.clock import SystemClock
    from handlers.middlewares import install_request_middlewares
    from storage.database import Database

    settings = bench_settings(db_path)
    db = await Database.open(db_path)
    install_request_middlewares(session)  # as bot.app.build_bot
    bot = Bot(
        token=TOKEN,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    dp, services = build_dispatcher(settings, db, SystemClock())
    await dp.emit_startup(bot=bot)  # commands, outbox sender, scheduler, the collector settled
    await enrol(services, plans)
    return dp, bot, db


async def enrol(services: dict[str, Any], plans: list[UserPlan], messenger: Any = None) -> None:
    """Join, «younger than 18», a parent's consent: straight through the repositories, not measured.
    `messenger`: where the users are (Telegram unless given; bench_intake_max.py enrols them on MAX)."""
    from bot.consent import ConsentKind, Relation, render
    from bot.flows.events import Messenger
    from bot.invites import PARENT_PREFIX, new_code
    from bot.programme import Form, Role

    settings = services["settings"]
    invite = await services["invites"].create(Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, CURATOR_ID, days=30, max_uses=None)
    document = render(settings.institution.organization_name, ConsentKind.PARENT)
    repo = services["participants"]
    for plan in plans:
        participant = await repo.join(plan.user_id, invite, messenger or Messenger.TELEGRAM)
        await repo.set_adult(participant.id, False, new_code(PARENT_PREFIX))
        await repo.record_consent(
            participant.id,
            document,
            kind=ConsentKind.PARENT,
            given_by=plan.user_id + 1_000_000,
            parent_name="Иванова Мария Петровна",
            parent_relation=Relation.MOTHER,
        )


def bench_settings(db_path: Path) -> Any:
    from bot.settings import load_settings

    return load_settings(
        env_file=None,
        telegram={"bot_token": TOKEN, "bot_api_base_url": "http://127.0.0.1:9", "curator_ids": str(CURATOR_ID)},
        storage={"database_path": db_path},
        institution={"organization_name": "МБУ ДО «Станция юных техников»"},
        logging={"log_level": "WARNING"},
    )


# --------------------------------------------------------------------------------- the core, no messenger
class CoreDriver:
    """The same users and steps through the application layer itself (`bot.flows.act`), with no messenger and
    no dispatcher: a text is `TextIn`, a press is `PressIn` with the payload of the button the flow last showed
    (found by its label), each action one transaction on SQLite with the dialog state in the table. What this
    costs per answer is the core's own share of the app's time."""

    def __init__(self, services: dict[str, Any], concurrency: int) -> None:
        from storage.dialogs import PersonDialog

        self.services = services
        self.sem = asyncio.Semaphore(concurrency)
        self.anomalies: list[str] = []
        self.last: dict[int, Any] = {}  # the last screen shown to each user
        self.harness = 0.0
        self._dialog = PersonDialog

    def ctx(self, user_id: int) -> Any:
        from bot.flows.context import Ctx
        from bot.flows.events import Messenger, Person

        def dialog_of(person: Person) -> Any:
            return self._dialog(self.services["dialogs"], person.messenger, person.account_id)

        person = Person(Messenger.TELEGRAM, user_id)
        return Ctx(person, self.services["repos"], dialog_of(person), dialog_of)

    def build(self, user_id: int, step: Step) -> Any:
        from bot.flows.events import CommandIn, Messenger, Person, PressIn, TextIn

        person = Person(Messenger.TELEGRAM, user_id)
        if step.kind == "text":
            if step.text.startswith("/"):
                return CommandIn(person, step.text[1:])
            return TextIn(person, step.text)
        screen = self.last.get(user_id)
        buttons = screen.buttons() if screen is not None else []
        found = [b.payload for b in buttons if b.label.removeprefix(CHECK_MARK) == step.text]
        if not found:
            self.anomalies.append(f"user {user_id}: no button {step.text!r} under {getattr(screen, 'text', None)!r}")
        elif found[0] != step.data:
            self.anomalies.append(f"user {user_id}: button {step.text!r} carries {found[0]!r}, not {step.data!r}")
        return PressIn(person, found[0] if found else step.data)

    async def process(self, user_id: int, event: Any, submitted: float, phase: Phase) -> None:
        from bot.flows.act import act
        from bot.flows.effects import Show

        started = time.perf_counter()
        try:
            effects = await act(event, self.ctx(user_id))
            shown = [e.screen for e in effects or [] if isinstance(e, Show)]
            if shown:
                self.last[user_id] = shown[-1]
            elif effects is None:
                self.anomalies.append(f"user {user_id}: no flow of the core took {event!r}")
        except Exception as exc:
            self.anomalies.append(f"act raised {exc!r}")
        finally:
            self.sem.release()
            done = time.perf_counter()
            phase.service.append(done - started)
            phase.response.append(done - submitted)

    def check(self, user_id: int, step: Step) -> None:
        screen = self.last.get(user_id)
        text = getattr(screen, "text", None)
        if step.expect and (text is None or step.expect not in text):
            self.anomalies.append(f"user {user_id}: after {step.text!r} expected {step.expect!r}, got {text!r}")

    async def user(self, user_id: int, steps: list[Step], phase: Phase, go: asyncio.Event) -> None:
        await go.wait()
        for step in steps:
            started = time.perf_counter()
            event = self.build(user_id, step)
            submitted = time.perf_counter()
            self.harness += submitted - started
            await self.sem.acquire()
            await asyncio.create_task(self.process(user_id, event, submitted, phase))
            started = time.perf_counter()
            self.check(user_id, step)
            self.harness += time.perf_counter() - started

    async def run(self, plans: dict[int, list[Step]], phase: Phase | None = None) -> tuple[Phase, float]:
        phase = phase or Phase()
        go = asyncio.Event()
        tasks = [asyncio.create_task(self.user(uid, steps, phase, go)) for uid, steps in plans.items()]
        await asyncio.sleep(0)
        started = time.perf_counter()
        go.set()
        await asyncio.gather(*tasks)
        return phase, time.perf_counter() - started


async def start_core(db_path: Path, plans: list[UserPlan]) -> tuple[dict[str, Any], Any]:
    """The core's services as the app builds them (repositories, dialog table), with no bot and no scheduler."""
    from bot.clock import SystemClock
    from storage.database import Database
    from storage.repositories import build_services

    settings = bench_settings(db_path)
    db = await Database.open(db_path)
    clock = SystemClock()
    services = build_services(settings, db, clock)
    await enrol(services, plans)
    settle_collector()
    return services, db


def verify_database(path: Path, plans: list[UserPlan]) -> dict[str, Any]:
    """Read the SQLite file back (a new connection) and compare every stored answer with what was given."""
    conn = sqlite3.connect(path)
    try:
        done = dict(conn.execute("SELECT account_id, survey_done_at IS NOT NULL FROM participants"))
        stored: dict[int, dict[str, Any]] = {}
        rows = conn.execute(
            "SELECT p.account_id, a.question_id, a.value FROM answers a JOIN participants p ON p.id=a.participant_id"
            " WHERE a.questionnaire_id=?",
            (QUESTIONNAIRE_ID,),
        )
        for telegram_id, question_id, value in rows:
            stored.setdefault(telegram_id, {})[question_id] = None if value is None else json.loads(value)
        dialogs_left = conn.execute("SELECT COUNT(*) FROM fsm_state WHERE user_id >= ?", (FIRST_USER_ID,)).fetchone()[0]
    finally:
        conn.close()
    expected = lost = wrong = complete = 0
    for plan in plans:
        got = stored.get(plan.user_id, {})
        ok = True
        for question_id, value in plan.answers.items():
            expected += 1
            if question_id not in got:
                lost, ok = lost + 1, False
            elif got[question_id] != value:
                wrong, ok = wrong + 1, False
        complete += ok and bool(done.get(plan.user_id))
    return {
        "answers_expected": expected,
        "answers_stored": expected - lost - wrong,
        "answers_lost": lost,
        "answers_wrong": wrong,
        "surveys_done": sum(bool(done.get(p.user_id)) for p in plans),
        "users_complete": complete,
        "dialogs_left": dialogs_left,
    }


def verify_replies(server: FakeTelegram, plans: list[UserPlan], *, echo: bool) -> dict[str, Any]:
    """Every press was answered, and every text echoed (echo) or answered with a question (floor)."""
    texts_expected = replied = clicks_expected = clicks_answered = 0
    for plan in plans:
        typed = [s.text for s in plan.entry + plan.steps if s.kind == "text"]
        sent = server.sent_texts.get(plan.user_id, [])
        texts_expected += len(typed)
        replied += sum(1 for a, b in zip(typed, sent, strict=False) if a == b) if echo else len(sent)
        clicks_expected += sum(1 for s in plan.entry + plan.steps if s.kind == "click")
        clicks_answered += len(server.callback_answers.get(plan.user_id, []))
    return {
        "texts_expected": texts_expected,
        "texts_echoed": replied,
        "clicks_expected": clicks_expected,
        "clicks_answered": clicks_answered,
        "replies_lost": texts_expected - replied + clicks_expected - clicks_answered,
    }


# --------------------------------------------------------------------------------- one worker process
async def worker(variant: str, args: argparse.Namespace, plans: list[UserPlan]) -> dict[str, Any]:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)  # as bot.__main__.main does
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    app = variant == "app"
    crowd, solo = plans[: args.users], plans[args.users :]

    server = FakeTelegram()
    session = FakeSession(server) if variant == "echo" else app_session(server)
    diag = Diagnostics() if args.diagnose and app else None
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp:
        db_path = Path(tmp) / "nastavnik.sqlite3"
        db: Any = None
        if app:
            dp, bot, db = await start_app(session, db_path, plans)
            if diag is not None:
                await diag.install(db)
        elif variant == "core":
            services, db = await start_core(db_path, plans)
        elif variant == "echo":
            bot = Bot(token=TOKEN, session=session)
            dp = echo_dispatcher()
            settle_collector()
        else:
            bot = floor_bot(session)
            dp = floor_dispatcher()
            settle_collector()
        driver: Any = (
            CoreDriver(services, args.concurrency)
            if variant == "core"
            else Driver(dp, bot, server, args.concurrency, variant)
        )
        if variant == "core":
            server.harness = 0.0

        await driver.run({p.user_id: p.entry for p in plans})  # into the questionnaire: not measured
        entry_anomalies = len(driver.anomalies)

        gc.collect()
        timer = GcTimer()
        gc.callbacks.append(timer)
        if args.tracemalloc:
            import tracemalloc

            tracemalloc.start()
        harness_before = driver.harness if variant == "core" else server.harness
        rss_start = rss_mib()
        cpu_start = cpu_seconds()
        timer.active = True
        if diag:
            diag.start()
        profiler = None
        if getattr(args, "profile_to", None):
            import cProfile

            profiler = cProfile.Profile(time.thread_time)  # CPU time: a wait for the GIL is not counted
            profiler.enable()
        loaded, wall = await driver.run({p.user_id: p.steps for p in crowd})
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile_to)
        if diag:
            diag.stop()
        timer.active = False
        cpu = cpu_seconds() - cpu_start
        harness = (driver.harness if variant == "core" else server.harness) - harness_before
        traced_peak = None
        if args.tracemalloc:
            traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        peak = peak_rss_mib()

        alone = Phase()  # the same questionnaire, one user at a time on the idle bot
        for plan in solo:
            await driver.run({plan.user_id: plan.steps}, alone)

        if app:
            await dp.emit_shutdown(bot=bot)
            await db.close()
            checks = verify_database(db_path, plans)
        elif variant == "core":
            await db.close()
            checks = verify_database(db_path, plans)
        else:
            checks = verify_replies(server, plans, echo=variant == "echo")
        await session.close()

    n = len(loaded.service)
    result: dict[str, Any] = {
        "variant": variant,
        "users": args.users,
        "solo": len(solo),
        "updates": n,
        "wall": wall,
        "ups": n / wall,
        "service_p50": percentile(loaded.service, 50),
        "service_p95": percentile(loaded.service, 95),
        "service_p99": percentile(loaded.service, 99),
        "response_p50": percentile(loaded.response, 50),
        "response_p95": percentile(loaded.response, 95),
        "response_max": max(loaded.response),
        "alone_p50": percentile(alone.service, 50) if alone.service else None,
        "alone_p95": percentile(alone.service, 95) if alone.service else None,
        "cpu": cpu,
        "gc_time": timer.total,
        "gc_collections": timer.collections,
        "harness": harness,
        "rss_start": rss_start,
        "rss_peak": peak,
        "traced_peak": traced_peak,
        "calls": dict(server.calls),
        "checks": checks,
        "api_errors": server.errors[:10],
        "api_error_count": len(server.errors),
        "callback_alerts": sum(1 for answers in server.callback_answers.values() for text in answers if text),
        "anomalies": driver.anomalies[:10],
        "anomaly_count": len(driver.anomalies),
        "entry_anomalies": entry_anomalies,
        "error_logs": errors.records[:10],
        "error_log_count": len(errors.records),
    }
    if diag:
        result["diag"] = {
            "hops": diag.hops,
            "hop_time": diag.hop_time,
            "lock_acquired": diag.lock_acquired,
            "lock_wait": diag.lock_wait,
            "lock_hold": diag.lock_hold,
            "statements": dict(diag.statements.most_common()),
            "sqlite_cpu": diag.sqlite_cpu,
            "main_cpu": diag.main_cpu,
        }
    return result


def failures(result: dict[str, Any]) -> list[str]:
    problems = []
    checks = result["checks"]
    everyone = result["users"] + result["solo"]
    if "answers_expected" in checks:  # the answers were stored: app, core (and bench_intake_max.py's max)
        if checks["answers_lost"] or checks["answers_wrong"]:
            problems.append(f"{checks['answers_lost']} answers lost, {checks['answers_wrong']} wrong")
        if checks["users_complete"] != everyone:
            problems.append(f"{everyone - checks['users_complete']} users without a complete, confirmed survey")
        if checks["dialogs_left"]:
            problems.append(f"{checks['dialogs_left']} dialog states left")
    elif checks["replies_lost"]:
        problems.append(f"{checks['replies_lost']} echo replies lost")
    for key, what in (
        ("anomaly_count", "unexpected bot replies or buttons"),
        ("entry_anomalies", "problems while entering the questionnaire"),
        ("api_error_count", "Bot API errors"),
        ("callback_alerts", "button presses answered with a warning"),
        ("error_log_count", "error log records"),
    ):
        if result[key]:
            problems.append(f"{result[key]} {what}")
    return problems


# --------------------------------------------------------------------------------- the parent process
def machine() -> str:
    cpu = "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"nproc {os.cpu_count()}, CPU \"{cpu}\", Python {platform.python_version()}, aiogram {aiogram.__version__},"
        f" aiosqlite {aiosqlite.__version__}"
    )


def run_worker(variant: str, args: argparse.Namespace, plans_file: Path) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", variant, "--plans", str(plans_file)]
    if args.profile:
        # cProfile of the worker's main thread (the event loop; aiosqlite's thread is not in it) during the
        # measured phase only (imports and start-up left out), one file a round.
        Path(args.profile).mkdir(parents=True, exist_ok=True)
        out = Path(args.profile) / f"{variant}-{len(list(Path(args.profile).glob(f'{variant}-*.prof'))) + 1}.prof"
        command += ["--profile-to", str(out)]
    command += ["--users", str(args.users), "--concurrency", str(args.concurrency)]
    command += ["--diagnose"] if args.diagnose else []
    command += ["--tracemalloc"] if args.tracemalloc else []
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.stderr.strip():
        sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"the {variant} worker failed with status {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:,.2f} ms" if seconds < 0.1 else f"{seconds * 1000:,.0f} ms"


def median_of(results: list[dict[str, Any]], key: str) -> Any:
    values = [r[key] for r in results if r[key] is not None]
    return statistics.median(values) if values else None


def report(args: argparse.Namespace, runs: dict[str, list[dict[str, Any]]], load: list[float]) -> int:
    first = next(iter(runs.values()))
    print(f"Machine: {machine()}")
    print(
        f"Load average (1 min) before, during and after the run: {', '.join(f'{x:.2f}' for x in load)}"
        " (other processes share these cores; anything well above 1 means the numbers are low)"
    )
    print(
        f"Users: {args.users:,} at once (+ {first[0]['solo']} alone afterwards), concurrency limit {args.concurrency},"
        f" seed {args.seed}, {len(first)} rounds (medians; updates/s also min–max)"
    )
    print()
    print(
        "| dispatcher | updates | updates/s | per update under load, p50 / p95 / p99 | response p50 / p95 / max"
        " | per update alone, p50 / p95 | CPU per update | GC share | harness share | RSS start → peak |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for variant, results in runs.items():
        ups = [r["ups"] for r in results]
        traced = ""
        if results[0]["traced_peak"] is not None:
            traced = f" (Python allocations {median_of(results, 'traced_peak'):,.0f} MiB)"
        print(
            f"| {variant} | {results[0]['updates']:,} | {statistics.median(ups):,.0f} ({min(ups):,.0f}–{max(ups):,.0f})"
            f" | {ms(median_of(results, 'service_p50'))} / {ms(median_of(results, 'service_p95'))}"
            f" / {ms(median_of(results, 'service_p99'))}"
            f" | {ms(median_of(results, 'response_p50'))} / {ms(median_of(results, 'response_p95'))}"
            f" / {ms(median_of(results, 'response_max'))}"
            f" | {ms(median_of(results, 'alone_p50'))} / {ms(median_of(results, 'alone_p95'))}"
            f" | {statistics.median(r['cpu'] / r['updates'] * 1e6 for r in results):,.0f} µs"
            f" | {statistics.median(r['gc_time'] / r['wall'] for r in results):.0%}"
            f" | {statistics.median(r['harness'] / r['wall'] for r in results):.0%}"
            f" | {median_of(results, 'rss_start'):,.0f} → {median_of(results, 'rss_peak'):,.0f} MiB{traced} |"
        )
    print()
    if "app" in runs and "echo" in runs:
        ratio = median_of(runs["app"], "ups") / median_of(runs["echo"], "ups")
        per_round = ", ".join(f"{a['ups'] / e['ups']:.2f}" for a, e in zip(runs["app"], runs["echo"], strict=True))
        verdict = "met" if ratio >= 0.5 else "NOT met"
        print(f"Ratio app / echo (updates/s): {ratio:.2f} (per round: {per_round}); goal ≥ 0.5: {verdict}.")
        cpu = {v: statistics.median(r["cpu"] / r["updates"] for r in runs[v]) for v in ("app", "echo")}
        print(
            f"CPU per update, echo / app: {cpu['echo'] / cpu['app']:.2f} (less sensitive to other processes on the"
            " machine than updates/s)."
        )
        print()
    if "floor" in runs and "echo" in runs:
        ratio = median_of(runs["floor"], "ups") / median_of(runs["echo"], "ups")
        per_round = ", ".join(f"{f['ups'] / e['ups']:.2f}" for f, e in zip(runs["floor"], runs["echo"], strict=True))
        print(
            f"Ratio floor / echo (updates/s): {ratio:.2f} (per round: {per_round}): the most any button"
            " questionnaire shown this way can reach, before dialog state, routing and storage."
        )
        if "app" in runs:
            share = median_of(runs["app"], "ups") / median_of(runs["floor"], "ups")
            print(f"Ratio app / floor (updates/s): {share:.2f}.")
        print()
    if "core" in runs:
        alone = median_of(runs["core"], "alone_p50")
        cpu_core = statistics.median(r["cpu"] / r["updates"] for r in runs["core"])
        line = (
            f"The core alone (bot.flows.act on SQLite, no messenger): {median_of(runs['core'], 'ups'):,.0f} updates/s,"
            f" {ms(alone)} per answer alone, {cpu_core * 1e6:,.0f} µs CPU per answer"
        )
        if "app" in runs:
            cpu_app = statistics.median(r["cpu"] / r["updates"] for r in runs["app"])
            line += f": {cpu_core / cpu_app:.0%} of the app's CPU per update"
        print(line + ".")
        print()
    status = 0
    for variant, results in runs.items():
        for i, r in enumerate(results, start=1):
            c = r["checks"]
            if "answers_expected" in c:
                fact = (
                    f"{c['answers_stored']:,} of {c['answers_expected']:,} answers stored with the values given"
                    f" ({c['answers_lost']} lost, {c['answers_wrong']} wrong), {c['surveys_done']:,} of"
                    f" {r['users'] + r['solo']:,} questionnaires confirmed, {c['dialogs_left']} dialog states left"
                )
            else:
                replied = "texts echoed" if variant == "echo" else "texts answered with a question"
                fact = (
                    f"{c['texts_echoed']:,} of {c['texts_expected']:,} {replied}, {c['clicks_answered']:,} of"
                    f" {c['clicks_expected']:,} button presses answered"
                )
            problems = failures(r)
            verdict = "OK" if not problems else "FAILED: " + "; ".join(problems)
            gen = "/".join(str(x) for x in r["gc_collections"])
            print(f"- {variant}, round {i}: {fact}; GC runs gen0/1/2 {gen}; {verdict}")
            if problems:
                status = 1
                for line in r["anomalies"] + r["api_errors"] + r["error_logs"]:
                    print(f"    {line}")
            if "diag" in r:
                d, per = r["diag"], r["updates"]
                statements = ", ".join(f"{k} {v / per:.2f}" for k, v in d["statements"].items())
                hop = ms(d["hop_time"] / max(d["hops"], 1))
                wait = ms(d["lock_wait"] / max(d["lock_acquired"], 1))
                print(
                    f"  diagnostics: {d['hops'] / per:.1f} aiosqlite hops per update, {hop} each on average;"
                    f" Database lock taken {d['lock_acquired'] / per:.1f}× per update, held"
                    f" {d['lock_hold'] / r['wall']:.0%} of the wall time, {wait} average wait;"
                    f" CPU per update: event-loop thread {d['main_cpu'] / per * 1e6:,.0f} µs (busy"
                    f" {d['main_cpu'] / r['wall']:.0%} of the wall time),"
                    f" SQLite thread {d['sqlite_cpu'] / per * 1e6:,.0f} µs;"
                    f" SQL per update: {statements}"
                )
    print()
    print(f"Exit status {status}: {'nothing lost' if status == 0 else 'something was lost or went wrong'}.")
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000, help="users answering at once")
    parser.add_argument("--solo", type=int, default=20, help="users answering one at a time afterwards")
    parser.add_argument("--concurrency", type=int, default=64, help="as start_polling(tasks_concurrency_limit=...)")
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per dispatcher; medians are shown")
    parser.add_argument(
        "--variants", default="app,echo,floor,core", help="comma-separated: app, echo, floor, core"
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--diagnose", action="store_true", help="count aiosqlite hops, SQL, lock time (app only)")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")
    parser.add_argument(
        "--profile", metavar="DIR", help="profile each worker with cProfile into DIR; print where the time goes"
    )
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    parser.add_argument("--worker", choices=["app", "echo", "floor", "core"], help=argparse.SUPPRESS)
    parser.add_argument("--plans", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        plans = [UserPlan.from_json(p) for p in json.loads(Path(args.plans).read_text(encoding="utf-8"))]
        try:
            print(json.dumps(asyncio.run(worker(args.worker, args, plans))))
        except BaseException:
            # A worker that failed midway leaves aiosqlite's (non-daemon) thread running: exit without waiting.
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        return 0
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    runs: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
    with tempfile.TemporaryDirectory(prefix="bench-intake-plans-") as tmp:
        plans_file = Path(tmp) / "plans.json"
        plans = make_plans(args.users + args.solo, args.seed)
        plans_file.write_text(json.dumps([asdict(p) for p in plans], ensure_ascii=False), encoding="utf-8")
        load = [os.getloadavg()[0]]
        for i in range(args.rounds):
            for variant in variants if i % 2 == 0 else variants[::-1]:
                result = run_worker(variant, args, plans_file)
                load.append(os.getloadavg()[0])
                runs[variant].append(result)
                print(
                    f"round {i + 1} {variant}: {result['ups']:,.0f} updates/s, p95 {ms(result['service_p95'])}",
                    file=sys.stderr,
                )
    code = report(args, runs, load)
    if args.profile:
        for variant in variants:
            print_profile(variant, sorted(Path(args.profile).glob(f"{variant}-*.prof")))
    return code


#: Where a function's file lives, by the first match: the share of each is what the profile's summary shows.
PROFILE_GROUPS = (
    ("aiogram (routers, filters, middlewares, types)", "/aiogram/"),
    ("pydantic (models: updates, requests, answers)", "/pydantic"),
    ("aiosqlite (the hop to SQLite's thread)", "/aiosqlite/"),
    ("asyncio (the event loop, tasks, futures)", "/asyncio/"),
    ("json", "/json/"),
    ("fluent / babel (texts)", "/fluent"),
    ("bot.flows (the application layer)", "/bot/flows/"),
    ("bot (the domain)", "/bot/"),
    ("handlers (the Telegram adapter)", "/handlers/"),
    ("storage", "/storage/"),
    ("the bench's harness (fake server, users)", "/bench/"),
)


def print_profile(variant: str, files: list[Path], top: int = 25) -> None:
    """Self time by library and the functions with the most self time, summed over the variant's rounds."""
    import pstats

    if not files:
        return
    stats = pstats.Stats(*[str(f) for f in files])
    table: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in table.values()) or 1.0
    groups: Counter[str] = Counter()
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in table.items():
        group = next((label for label, part in PROFILE_GROUPS if part in filename), "other (stdlib, builtins)")
        groups[group] += tottime
    print(f"\nProfile of {variant} ({len(files)} round(s), {total:.1f} s of self time in the event loop's thread):")
    for label, seconds in groups.most_common():
        print(f"  {seconds / total:6.1%}  {seconds:7.2f} s  {label}")
    print(f"  the {top} functions with the most self time:")
    ranked = sorted(table.items(), key=lambda item: item[1][2], reverse=True)[:top]
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in ranked:
        where = "/".join(Path(filename).parts[-2:]) if filename != "~" else "builtin"
        print(f"  {tottime / total:6.1%}  {calls:>9,} calls  {name} ({where}:{line}), cumulative {cumtime:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
