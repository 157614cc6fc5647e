"""The real process on both messengers: `python -m bot` against the fake Telegram Bot API and the fake MAX Bot API
at once — both answer; killed with SIGKILL mid-questionnaire on MAX (after an acknowledged answer, and while an
update is in flight) and restarted, the dialog resumes with every answer stored once; SIGTERM stops both; a token
MAX refuses exits 2 with one line."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.flows.survey import TICK
from bot.programme import Form, Role
from bot.sandbox.max import FakeMax
from bot.sandbox.telegram import FakeTelegram
from storage.database import Database
from storage.invites import InviteRepo
from tests.conftest import CURATOR_ID
from tests.fakes.clock import FakeClock
from tests.test_process import BotProcess

MAX_CURATOR_ID = 5001
TEACHER_ID = 7001
#: What the scheduler tells the curators at the start, on its own schedule beside the dialogs followed here.
CURATOR_BACKGROUND = ("Сводка на", "дорожной карты")


class BothBots(BotProcess):
    """One `python -m bot` process configured for Telegram and MAX, on a database that outlives it."""

    def __init__(self, tg: FakeTelegram, mx: FakeMax, workdir: Path, **env: str) -> None:
        super().__init__(tg, workdir)
        self.database = workdir / "data" / "bot.sqlite3"
        self.env.update(
            {
                "MAX_BOT_TOKEN": mx.token,
                "MAX_API_BASE_URL": mx.base_url,
                "CURATOR_IDS": f"{CURATOR_ID},max:{MAX_CURATOR_ID}",
                "DATABASE_PATH": str(self.database),
                **env,
            }
        )

    async def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed or closed."""
        self.signal(signal.SIGKILL)
        assert await self.wait() == -signal.SIGKILL


@pytest.fixture
async def mx() -> AsyncIterator[FakeMax]:
    async with FakeMax() as fake:
        yield fake
    assert not fake.unexpected_errors(), [e.describe() for e in fake.unexpected_errors()]
    assert not fake.unmet_expectations(), fake.unmet_expectations()


@pytest.fixture
async def bots(tg: FakeTelegram, mx: FakeMax, tmp_path: Path) -> AsyncIterator[BothBots]:
    # Both curators have opened the bot before (else "chat not found" for the day's digest at the start).
    tg.user(CURATOR_ID, "Куратор")
    max_curator = mx.user(MAX_CURATOR_ID, "Куратор")
    max_curator.pass_over(*CURATOR_BACKGROUND)
    await max_curator.start()
    runner = BothBots(tg, mx, tmp_path)
    yield runner
    if runner.process is not None and runner.process.returncode is None:
        runner.process.kill()
        await runner.process.wait()
    if runner.log.exists():
        log = runner.log.read_text()
        bad = [line for line in log.splitlines() if " ERROR " in line or " CRITICAL " in line or "Traceback" in line]
        assert not bad, "the bot process logged errors:\n" + log


async def seed_invite(database: Path) -> str:
    """A young teacher's invite, made before the process starts (an adult: no parent's consent on the way)."""
    db = await Database.open(database)
    try:
        invite = await InviteRepo(db, FakeClock()).create(
            Role.MENTEE_TEACHER, Form.TEACHER_TEACHER, CURATOR_ID, days=None, max_uses=None
        )
    finally:
        await db.close()
    return invite.code


async def rows(database: Path, sql: str) -> list[tuple[Any, ...]]:
    db = await Database.open(database)
    try:
        return [tuple(row) for row in await db.fetchall(sql)]
    finally:
        await db.close()


def polls(mx: FakeMax) -> list[int | None]:
    """The marker of every GET /updates the bot made, in order (None: a poll without one)."""
    return [int(query["marker"]) if "marker" in query else None for query, _ in mx.calls("GET /updates")]


async def handled(mx: FakeMax, update: int) -> None:
    """Until the bot polls past `update`: it has handled it and its marker (in SQLite) says so."""
    await mx.wait_for(lambda: any(marker is not None and marker > update for marker in polls(mx)), timeout=10)


def hold_next_answer(mx: FakeMax, monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """The fake takes the bot's next POST /answers and never answers it: the bot has the update and waits on MAX.
    The returned event is set once the request is held."""
    reached = asyncio.Event()
    answer = mx._answer

    async def held(query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
        monkeypatch.setattr(mx, "_answer", answer)  # the next ones go through
        reached.set()
        await asyncio.Event().wait()  # until the bot's connection drops (aiohttp cancels this handler)
        raise AssertionError("unreachable")

    monkeypatch.setattr(mx, "_answer", held)
    return reached


async def test_both_messengers_answer_and_sigterm_stops_both(tg: FakeTelegram, mx: FakeMax, bots: BothBots) -> None:
    await bots.start()
    await mx.user(MAX_CURATOR_ID).expect("Вы куратор программы наставничества", timeout=40)
    tg_user, max_user = tg.user(501, "Аня"), mx.user(601, "Боря Петров")
    await tg_user.send("/start")
    await max_user.start()
    await tg_user.expect("ссылка-приглашение", timeout=20)
    await max_user.expect("ссылка-приглашение")
    await tg_user.send("/menu")
    await max_user.send("/menu")
    await tg_user.expect("пока не участник программы")
    await max_user.expect("пока не участник программы")

    loop = asyncio.get_running_loop()
    started = loop.time()
    bots.signal(signal.SIGTERM)  # both are in a long poll now
    assert await bots.wait(10) == 0
    assert loop.time() - started < 5, "SIGTERM waited for a long poll to run out"
    log = bots.log.read_text()
    assert "Traceback" not in log, log
    assert mx.skipped_updates == []


async def test_killed_mid_questionnaire_on_max_the_dialog_resumes(
    tg: FakeTelegram, mx: FakeMax, bots: BothBots, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = await seed_invite(bots.database)
    await bots.start()
    await mx.user(MAX_CURATOR_ID).expect("Вы куратор программы наставничества", timeout=40)

    teacher = mx.user(TEACHER_ID, "Ольга Петрова")
    await teacher.start(code)
    await teacher.expect("в программе наставничества", timeout=10)
    await teacher.expect("Прежде чем я что-то о вас запомню")  # an adult: no age question, no parent
    await teacher.click("Даю согласие", await teacher.expect("Согласие на обработку"))
    await teacher.expect("согласие записано")
    await teacher.expect("Вопрос 1 из 8")
    await teacher.send("Петрова Ольга Ивановна")
    await teacher.expect("Вопрос 2 из 8")
    await teacher.send("1")
    q3 = await teacher.expect("Вопрос 3 из 8")

    # Killed at once after an answer MAX saw acknowledged (the next question on the pressed message).
    update = mx._next_marker
    await teacher.click("Робототехника", q3)
    q4 = await teacher.expect("Вопрос 4 из 8")
    await handled(mx, update)
    await bots.kill()
    restarted_at = len(polls(mx))
    await bots.start()
    # The person presses on the message they have: the questionnaire goes on from there.
    await teacher.click("Методика и формы занятий", q4)
    ticked = await teacher.expect("Вопрос 4 из 8", timeout=40)
    assert f"{TICK}Методика и формы занятий" in ticked.button_texts()
    assert polls(mx)[restarted_at] == update + 1  # the marker past the acknowledged answer was kept
    await teacher.click("Готово", ticked)
    await teacher.expect("Вопрос 5 из 8")
    await teacher.send("Разобрать с наставником, как вести занятия")
    q6 = await teacher.expect("Вопрос 6 из 8")
    await teacher.click("Вторник", q6)
    await teacher.click("Готово", await teacher.expect("Вопрос 6 из 8"))
    q7 = await teacher.expect("Вопрос 7 из 8")

    # Killed while an update is in flight: MAX has handed the press out, the bot has not answered it yet.
    update = mx._next_marker
    reached = hold_next_answer(mx, monkeypatch)
    pressed = q7.button_texts()[0]
    await teacher.click(pressed, q7)
    await asyncio.wait_for(reached.wait(), 10)
    await bots.kill()
    restarted_at = len(polls(mx))
    await bots.start()
    # The restart polls from the marker before that update: it comes again and is answered this time (its
    # answer was committed before the kill, so the press now finds the next question current and shows it).
    q8 = await teacher.expect("Вопрос 8 из 8", timeout=40)
    assert polls(mx)[restarted_at] == update
    assert teacher.notifications()[-1] == "Это старая копия вопроса — вот текущий вопрос."
    telegram_user = tg.user(502, "Аня")  # Telegram came back with the same process
    await telegram_user.send("/start")
    await telegram_user.expect("ссылка-приглашение", timeout=20)
    await teacher.click("Пропустить", q8)
    await teacher.click("Всё верно", await teacher.expect("проверьте ответы"))
    await teacher.expect("Анкета сохранена")
    assert mx.skipped_updates == []

    bots.signal(signal.SIGTERM)
    assert await bots.wait() == 0
    assert await rows(bots.database, "SELECT messenger, account_id FROM participants") == [("max", TEACHER_ID)]
    assert await rows(bots.database, "SELECT COUNT(*) FROM consents") == [(1,)]
    # Every answer given, each once (the answer pressed while in flight too), none lost at either kill.
    assert await rows(bots.database, "SELECT question_id, value FROM answers ORDER BY question_id") == [
        ("club", '"robotics"'),
        ("difficulties", '["methods"]'),
        ("expectations", "null"),
        ("experience", "1"),
        ("format", '"individual"'),
        ("free_days", '["tue"]'),
        ("help_wanted", '"Разобрать с наставником, как вести занятия"'),
        ("name", '"Петрова Ольга Ивановна"'),
    ]


async def test_a_token_max_refuses_exits_2_with_one_line(tg: FakeTelegram, mx: FakeMax, tmp_path: Path) -> None:
    """Telegram takes its token, MAX refuses its own: the process stops both and names the one refused."""
    tg.user(CURATOR_ID, "Куратор")
    mx.expect_error(401, "Invalid access_token", method="GET /me")
    bots = BothBots(tg, mx, tmp_path, MAX_BOT_TOKEN="f9LHodD0cOWRONG-max-token-" + "b" * 50)
    await bots.start()
    assert await bots.wait(60) == 2
    output = bots.log.read_text()
    assert len(output.strip().splitlines()) == 1, output
    assert "MAX refused MAX_BOT_TOKEN" in output and "Traceback" not in output
    assert "b" * 50 not in output  # the token is never printed
