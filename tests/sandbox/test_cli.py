"""`python -m bot sandbox` as a visitor runs it: refusals are one line and exit 2 before aiogram loads; the page
answers, the bot comes up, SIGTERM stops it with status 0 and the temporary database is gone."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.sandbox.cli import SandboxError, parse, start_moment

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = (
    "BOT_TOKEN",
    "BOT_API_BASE_URL",
    "CURATOR_IDS",
    "DATABASE_PATH",
    "TIMEZONE",
    "LOG_LEVEL",
    "MAX_BOT_TOKEN",
    "MAX_API_BASE_URL",
    "MAX_WEBHOOK_URL",
    "MAX_WEBHOOK_SECRET",
)
REAL_TG = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-real"
#: How long a refusal may take on a 2-core machine busy with other tests (it is ~0.5 s on a quiet one: no aiogram,
#: no bot modules; the import check below is the proof, the time a backstop).
REFUSAL_SECONDS = 8.0


def environment(tmp: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(PYTHONPATH=str(ROOT), TMPDIR=str(tmp), **values)
    return env


def leftovers(tmp: Path) -> list[Path]:
    """The sandbox's temporary folders still in TMPDIR."""
    return list(tmp.glob("nastavnik-sandbox-*"))


@dataclass
class Finished:
    code: int
    stdout: str
    stderr: str
    seconds: float

    def said(self) -> list[str]:
        """What the visitor reads on stderr (the `-X importtime` lines aside)."""
        return [line for line in self.stderr.splitlines() if not line.startswith("import time:")]

    def imported(self, module: str) -> bool:
        return any(
            line.split("|")[-1].strip() == module
            for line in self.stderr.splitlines()
            if line.startswith("import time:")
        )


async def spawn(
    cwd: Path, *args: str, python: tuple[str, ...] = (), stderr: int = asyncio.subprocess.PIPE, **env: str
) -> asyncio.subprocess.Process:
    """`python [PYTHON] -m bot sandbox --no-browser ARGS` in `cwd`, with the test's environment."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *python,
        "-m",
        "bot",
        "sandbox",
        "--no-browser",
        *args,
        cwd=cwd,
        env=environment(cwd, **env),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=stderr,
    )


async def run_to_exit(cwd: Path, *args: str, **env: str) -> Finished:
    """Run the sandbox with `-X importtime`, so that the test sees which modules it loaded before it refused."""
    started = time.monotonic()
    process = await spawn(cwd, *args, python=("-X", "importtime"), **env)
    try:
        out, err = await asyncio.wait_for(process.communicate(), 60)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError(f"python -m bot sandbox {' '.join(args)} {env} did not exit") from None
    assert process.returncode is not None
    return Finished(process.returncode, out.decode(), err.decode(), time.monotonic() - started)


async def test_every_refusal_is_one_line_and_exit_2_before_the_bot_loads(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DATABASE_PATH=school/bot.sqlite3\nBOT_TOKEN=broken\n", encoding="utf-8")
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    real = str(tmp_path / "real.sqlite3")
    try:
        runs = [  # one at a time: each is timed
            (("--db", "school/../school/bot.sqlite3"), {}),  # the real one, from ./.env
            (("--db", real), {"DATABASE_PATH": real}),  # from the environment
            (("--db", f"{real}-wal"), {"DATABASE_PATH": real}),  # its journal
            (("--start", "2026-02-30"), {}),
            (("--port", str(port), "--db", "mine.sqlite3"), {}),
            ((), {"MAX_WEBHOOK_URL": "https://school.example/max", "MAX_WEBHOOK_SECRET": "s3cret"}),
            ((), {"TIMEZONE": "Mars/Olympus"}),
        ]
        # --port 0 unless the busy one is the point: no run may depend on 8765 being free on this machine.
        results = [
            await run_to_exit(tmp_path, *args, *([] if "--port" in args else ["--port", "0"]), **env)
            for args, env in runs
        ]
    finally:
        busy.close()
    refusal = "give it another file with --db PATH, or none for a temporary one"
    expected = [
        f"Sandbox refused: the sandbox will not open the real bot's database (school/bot.sqlite3): {refusal}",
        f"Sandbox refused: the sandbox will not open the real bot's database ({real}): {refusal}",
        f"Sandbox refused: the sandbox will not open the real bot's database ({real}): {refusal}",
        "Sandbox: --start '2026-02-30' is not a date: write it as YYYY-MM-DD, e.g. 2026-09-01",
        f"Sandbox: port {port} on 127.0.0.1 is busy (another sandbox?): choose another with --port N, "
        "or --port 0 for any free one",
        "Sandbox refused: MAX_WEBHOOK_URL is set in the environment (https://school.example/max): the sandbox polls "
        "its own MAX server; run it without that variable",
        "Sandbox: TIMEZONE is invalid",
    ]
    for result, line in zip(results, expected, strict=True):
        assert result.code == 2, result
        assert len(result.said()) == 1 and result.said()[0].startswith(line), result.said()
        assert not result.imported("aiogram"), "a refusal must come before aiogram is imported"
        assert result.seconds < REFUSAL_SECONDS, result
    assert results[4].stdout == ""  # nothing was served
    assert not (tmp_path / "school").exists() and not (tmp_path / "mine.sqlite3").exists()
    assert not leftovers(tmp_path), "every temporary database is removed"


@dataclass
class Running:
    process: asyncio.subprocess.Process
    url: str
    tmp: Path

    async def stop(self) -> tuple[int, float]:
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.process.wait(), 30)
        return code, time.monotonic() - started


@pytest.fixture
async def launch(tmp_path: Path) -> AsyncIterator[Any]:
    """Start `python -m bot sandbox --no-browser --port 0 ARGS` in tmp_path (TMPDIR too); wait for its link."""
    started: list[asyncio.subprocess.Process] = []

    async def start(*args: str, **env: str) -> Running:
        process = await spawn(tmp_path, "--port", "0", *args, stderr=asyncio.subprocess.STDOUT, **env)
        started.append(process)
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        assert line.startswith("Песочница: http://127.0.0.1:"), line
        return Running(process, line.split()[1], tmp_path)

    yield start
    for process in started:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def wait_ready(session: aiohttp.ClientSession, url: str, timeout: float = 60) -> dict[str, Any]:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while True:
        async with session.get(f"{url}api/state") as response:
            assert response.status == 200
            state = await response.json()
        if state["ready"] or time.monotonic() > deadline:
            return state
        await asyncio.sleep(0.1)


async def test_the_page_answers_the_bot_comes_up_and_sigterm_cleans_up(launch: Any, tmp_path: Path) -> None:
    # A school's real settings in ./.env and the environment: the sandbox runs beside them, touching neither.
    (tmp_path / ".env").write_text(f"DATABASE_PATH=data/real.sqlite3\nBOT_TOKEN={REAL_TG}\n", encoding="utf-8")
    sandbox = await launch(BOT_TOKEN=REAL_TG)
    async with aiohttp.ClientSession() as session:
        async with session.get(sandbox.url) as page:
            assert page.status == 200
            assert "<html" in (await page.text()).lower()
        state = await wait_ready(session, sandbox.url)
    assert state["ready"] is True, state
    assert [p["kind"] for p in state["personas"]] == ["curator"]
    temporary = leftovers(tmp_path)
    assert [p.name for p in temporary[0].iterdir() if p.suffix == ".sqlite3"] == ["sandbox.sqlite3"]
    assert not (tmp_path / "data").exists()  # the real database was not made
    code, seconds = await sandbox.stop()
    assert sandbox.process.stdout is not None
    output = (await sandbox.process.stdout.read()).decode()
    assert code == 0, output
    assert seconds < 10, f"SIGTERM took {seconds:.1f} s"
    assert "Traceback" not in output and " ERROR " not in output, output
    assert not leftovers(tmp_path), "the temporary database is removed at exit"


async def test_sigterm_while_the_bot_loads_and_a_kept_database(launch: Any, tmp_path: Path) -> None:
    # Stopped while the bot's modules load: status 0 at once, no temporary folder left.
    loading = await launch("--no-max")
    code, seconds = await loading.stop()
    assert (code, seconds < 5) == (0, True), seconds
    assert not leftovers(tmp_path)
    # --db keeps the database after the stop; the start day is the one asked for.
    kept = await launch("--no-max", "--db", "rehearsal/year.sqlite3", "--start", "2026-12-01")
    async with aiohttp.ClientSession() as session:
        state = await wait_ready(session, kept.url)
    assert state["ready"] is True, state
    assert state["now"].startswith("2026-12-01T09:0"), state
    code, _ = await kept.stop()
    assert code == 0
    assert (tmp_path / "rehearsal" / "year.sqlite3").stat().st_size > 0
    assert not leftovers(tmp_path)


def test_the_start_day_and_the_port_are_checked_in_process() -> None:
    assert start_moment("2026-12-01") == datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    assert start_moment(None) is None
    for bad in ("2026-12-1", "01.12.2026", "2026-13-01", "tomorrow", "1999-09-01", "2100-09-01"):
        with pytest.raises(SandboxError, match="--start"):
            start_moment(bad)
    assert parse(["--port", "0"]).port == 0
    assert parse([]).port == 8765
    for bad in ("65536", "-1", "http"):
        with pytest.raises(SystemExit) as exited:
            parse(["--port", bad])
        assert exited.value.code == 2
