"""The real process: `python -m bot` against the fake Bot API — bad settings, SIGTERM, kill -9 mid-dialog."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram
from storage.database import Database
from storage.invites import InviteRepo
from tests.conftest import CHAT_RATE, CURATOR_ID
from tests.fakes.clock import FakeClock

ROOT = Path(__file__).resolve().parents[1]


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS}
    env["PYTHONPATH"] = str(ROOT)
    env.update(values)
    return env


_SETTINGS = {
    "BOT_TOKEN",
    "BOT_API_BASE_URL",
    "CURATOR_IDS",
    "DATABASE_PATH",
    "TIMEZONE",
    "ORGANIZATION_NAME",
    "LOG_LEVEL",
    "MAX_BOT_TOKEN",
    "MAX_API_BASE_URL",
    "MAX_WEBHOOK_URL",
    "MAX_WEBHOOK_SECRET",
}


async def _run_to_exit(env: dict[str, str], cwd: Path) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode or 0, (out + err).decode()


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({}, "Neither BOT_TOKEN (Telegram) nor MAX_BOT_TOKEN (MAX) is set"),
        ({"BOT_TOKEN": "12345"}, "BOT_TOKEN is invalid"),
        ({"BOT_TOKEN": "123456:" + "a" * 35, "CURATOR_IDS": "12,abc"}, "CURATOR_IDS is invalid"),
        ({"BOT_TOKEN": "123456:" + "a" * 35, "TIMEZONE": "Moscow"}, "TIMEZONE is invalid"),
        ({"BOT_TOKEN": "123456:" + "a" * 35, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL is invalid"),
    ],
)
async def test_bad_settings_exit_2_with_one_clear_line(tmp_path: Path, values: dict[str, str], named: str) -> None:
    code, output = await _run_to_exit(_env(**values), tmp_path)
    assert code == 2
    assert named in output and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1
    assert "a" * 35 not in output  # the token is never printed


async def test_settings_are_read_from_dot_env(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BOT_TOKEN=broken\n", encoding="utf-8")
    code, output = await _run_to_exit(_env(), tmp_path)
    assert code == 2 and "BOT_TOKEN is invalid" in output


class BotProcess:
    def __init__(self, tg: FakeTelegram, workdir: Path) -> None:
        self.env = _env(
            BOT_TOKEN=tg.token,
            BOT_API_BASE_URL=tg.base_url,
            CURATOR_IDS=str(CURATOR_ID),
            DATABASE_PATH=str(workdir / "data" / "bot.sqlite3"),
            LOG_LEVEL="WARNING",
            OUTBOX_CHAT_RATE=str(CHAT_RATE),  # the per-chat pace at test speed, as the fake's limit
        )
        self.workdir = workdir
        self.process: asyncio.subprocess.Process | None = None
        self.log = workdir / "bot.log"

    async def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self.workdir, env=self.env, stdout=log, stderr=log
            )

    def signal(self, sig: int) -> None:
        assert self.process is not None
        self.process.send_signal(sig)

    async def wait(self, seconds: float = 10.0) -> int:
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), seconds)


@pytest.fixture
async def bot_process(tg: FakeTelegram, tmp_path: Path) -> AsyncIterator[BotProcess]:
    tg.user(CURATOR_ID, "Куратор")  # the curator has opened the bot before (else "chat not found")
    runner = BotProcess(tg, tmp_path)
    yield runner
    if runner.process is not None and runner.process.returncode is None:
        runner.process.kill()
        await runner.process.wait()
    # The errors guard cannot see another process's log records: the same rule, read from its log.
    if runner.log.exists():
        errors = [line for line in runner.log.read_text().splitlines() if " ERROR " in line or " CRITICAL " in line]
        assert not errors, "the bot process logged errors:\n" + "\n".join(errors)


async def test_sigterm_stops_the_bot_cleanly(tg: FakeTelegram, bot_process: BotProcess) -> None:
    user = tg.user(501)
    await bot_process.start()
    await user.send("/start")
    await user.expect("ссылка-приглашение", timeout=20)
    loop = asyncio.get_running_loop()
    started = loop.time()
    bot_process.signal(signal.SIGTERM)
    assert await bot_process.wait(10) == 0
    assert loop.time() - started < 5
    log = bot_process.log.read_text()
    assert "Traceback" not in log, log


async def test_kill_9_mid_questionnaire_loses_no_acknowledged_answer(
    tg: FakeTelegram, bot_process: BotProcess, tmp_path: Path
) -> None:
    db = await Database.open(tmp_path / "data" / "bot.sqlite3")
    invites = InviteRepo(db, FakeClock())
    invite = await invites.create(Role.MENTOR, Form.TEACHER_PUPIL, CURATOR_ID, days=None, max_uses=None)
    await db.close()

    mentor = tg.user(701, "Пётр")
    await bot_process.start()
    await mentor.send(f"/start {invite.code}")
    await mentor.expect("в программе наставничества", timeout=20)
    await mentor.expect("Сначала один вопрос")
    await mentor.click("18 или больше")
    await mentor.expect("Прежде чем я что-то о вас запомню")
    await mentor.click("Даю согласие", await mentor.expect("Согласие на обработку"))
    assert "Анкета наставника" in ((await mentor.expect("согласие записано")).text or "")
    await mentor.expect("Вопрос 1 из")
    await mentor.send("Пётр Сидоров")
    q2 = await mentor.expect("Вопрос 2 из")

    bot_process.signal(signal.SIGKILL)
    await bot_process.wait()
    await bot_process.start()

    await mentor.click(q2.button_texts()[0], q2)
    await mentor.expect("Вопрос 3 из", timeout=20)
    await mentor.send("/menu")
    menu = await mentor.expect("Моё меню")
    assert "Продолжить анкету" in menu.button_texts()
    bot_process.signal(signal.SIGTERM)
    assert await bot_process.wait() == 0

    db = await Database.open(tmp_path / "data" / "bot.sqlite3")
    try:
        answered = {r["question_id"] for r in await db.fetchall("SELECT question_id FROM answers")}
        assert {"name"} < answered and len(answered) == 2
        assert await db.fetchval("SELECT COUNT(*) FROM consents") == 1
    finally:
        await db.close()
