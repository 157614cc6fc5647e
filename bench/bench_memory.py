"""Benchmark: the memory of the idle bot (`python -m bot`) on a database of a large institution.

A fresh SQLite file gets the app's schema (``Database.open`` applies the migrations), then the people of
``bench/bench_reports.py``'s generator (plain ``sqlite3`` ``executemany``, fixed seed): ``--participants``
participants (~65 % pupils, ~10 % young teachers, 25 % mentors), ~95 % with a consent row, ~92 % of those with
every intake answer of their role (the others with the first few). No pairs, meetings or campaigns: the bot has
nothing to send, so it idles as it does between a programme's events.

Then, for each tree given (``--tree``, default: this checkout), ``python -m bot`` runs as a process with that
tree on ``PYTHONPATH``, on its own copy of the file, against the local fake Bot API (``bot.sandbox.telegram``,
real HTTP on 127.0.0.1, in this process). From the log line «bot started» (start-up done: commands set, the
outbox sender and the scheduler started, whose first tick runs at once) it idles for ``--idle`` seconds
(default 30) while this script samples ``/proc/<pid>/status`` every 0.5 s. Measured: peak RSS (``VmHWM``) and
RSS at the end (``VmRSS``), the largest RSS sample after start-up, the process's anonymous memory
(``/proc/<pid>/smaps_rollup``), and which of the heavy extension libraries (numpy, scipy, matplotlib, Pillow,
lxml) are mapped into it (``/proc/<pid>/maps``). SIGTERM ends it.

The reference: the same measurement of a bare aiogram process (``Bot`` + ``Dispatcher`` with no routers,
polling the same fake for as long): what aiogram and the interpreter hold before any of the bot's code.
Results are printed as a Markdown table with the ratios to the first tree and to the bare aiogram process.
Goal: peak RSS of the bot at most ``--goal`` MiB (190). The script exits with status 1 when the first tree
misses it.

Run from the repository root (about 1.5 minutes per tree):

    /work/main/.venv/bin/python bench/bench_memory.py
    /work/main/.venv/bin/python bench/bench_memory.py --tree . --tree /tmp/nastavnik-52dc5d4   # with a reference
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import re
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_reports import Generator, _create_schema  # noqa: E402

from bot.sandbox.telegram import FakeTelegram  # noqa: E402

CURATOR_ID = 1000
HEAVY_LIBRARIES = ("numpy", "scipy", "matplotlib", "PIL", "lxml", "openpyxl", "docx")
BARE_AIOGRAM = """
import asyncio, logging, sys
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

logging.basicConfig(level=logging.INFO)


async def main() -> None:
    bot = Bot(sys.argv[2], session=AiohttpSession(api=TelegramAPIServer.from_base(sys.argv[1])))
    dp = Dispatcher()
    dp.startup.register(lambda: logging.getLogger("bot").info("bot started"))
    await dp.start_polling(bot, polling_timeout=25)


asyncio.run(main())
"""


@dataclass
class Measurement:
    name: str
    command: str
    peak_kib: int = 0  # VmHWM
    end_kib: int = 0  # VmRSS at the end of the idle time
    max_sample_kib: int = 0
    at_start_kib: int = 0  # VmRSS when «bot started» was logged
    anon_kib: int = 0
    startup_s: float = 0.0
    mapped: list[str] = field(default_factory=list)
    requests: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def generate(path: Path, participants: int, seed: int) -> dict[str, int]:
    asyncio.run(_create_schema(path))
    gen = Generator(participants, 0, seed, datetime.now(UTC))
    gen.make_people()
    return gen.write(path)


def status_kib(pid: int, key: str) -> int:
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def anonymous_kib(pid: int) -> int:
    with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Anonymous:"):
                return int(line.split()[1])
    return 0


def mapped_libraries(pid: int) -> list[str]:
    """Heavy packages with a shared library or file mapped into the process (pure-Python ones never are)."""
    found: set[str] = set()
    pattern = re.compile(r"site-packages/(" + "|".join(map(re.escape, HEAVY_LIBRARIES)) + r")[/.]")
    with contextlib.suppress(OSError), open(f"/proc/{pid}/maps") as f:
        for line in f:
            m = pattern.search(line)
            if m:
                found.add(m.group(1))
    return sorted(found)


async def measure(
    name: str, argv: list[str], env: dict[str, str], cwd: Path, fake: FakeTelegram, idle: float, log: Path
) -> Measurement:
    result = Measurement(name=name, command=" ".join(argv))
    started = time.monotonic()
    drainer: asyncio.Task[None] | None = None
    with log.open("wb") as err:
        proc = await asyncio.create_subprocess_exec(
            *argv, cwd=cwd, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
        assert proc.stderr is not None
        try:
            while True:
                line = await asyncio.wait_for(proc.stderr.readline(), 120)
                if not line:
                    raise RuntimeError(f"{name}: the process exited with {await proc.wait()} before start-up")
                err.write(line)
                if b"bot started" in line:
                    break
            result.startup_s = time.monotonic() - started
            result.at_start_kib = status_kib(proc.pid, "VmRSS")

            async def drain() -> None:
                assert proc.stderr is not None
                async for rest in proc.stderr:
                    err.write(rest)

            drainer = asyncio.create_task(drain())
            deadline = time.monotonic() + idle
            while time.monotonic() < deadline:
                result.max_sample_kib = max(result.max_sample_kib, status_kib(proc.pid, "VmRSS"))
                await asyncio.sleep(0.5)
            result.peak_kib = status_kib(proc.pid, "VmHWM")
            result.end_kib = status_kib(proc.pid, "VmRSS")
            result.anon_kib = anonymous_kib(proc.pid)
            result.mapped = mapped_libraries(proc.pid)
        finally:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 30)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        if drainer is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(drainer, 5)
    counts: dict[str, int] = {}
    for method, _ in fake.requests:
        counts[method] = counts.get(method, 0) + 1
    result.requests = counts
    result.errors = [f"{method} {code} {description}" for method, code, description in fake.errors]
    return result


async def run_tree(tree: Path, db: Path, workdir: Path, idle: float) -> Measurement:
    fake = FakeTelegram()
    await fake.start()
    fake.user(CURATOR_ID, "Куратор")
    copy = workdir / f"{tree.name or 'tree'}-{os.getpid()}-{time.monotonic_ns()}.sqlite3"
    shutil.copy(db, copy)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "CURATOR_"))}
    env.update(
        PYTHONPATH=str(tree),
        BOT_TOKEN=fake.token,
        BOT_API_BASE_URL=fake.base_url,
        CURATOR_IDS=str(CURATOR_ID),
        DATABASE_PATH=str(copy),
        ORGANIZATION_NAME="МБУ ДО «Станция юных техников»",
        LOG_LEVEL="INFO",
    )
    try:
        return await measure(
            f"`python -m bot` ({tree})",
            [sys.executable, "-m", "bot"],
            env,
            workdir,  # not the tree: a developer's .env there must not apply
            fake,
            idle,
            workdir / f"{copy.stem}.log",
        )
    finally:
        await fake.stop()


async def run_bare(workdir: Path, idle: float) -> Measurement:
    fake = FakeTelegram()
    await fake.start()
    try:
        return await measure(
            "bare aiogram `Dispatcher` (no routers)",
            [sys.executable, "-c", BARE_AIOGRAM, fake.base_url, fake.token],
            dict(os.environ),
            workdir,
            fake,
            idle,
            workdir / "bare.log",
        )
    finally:
        await fake.stop()


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f}"


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"`nproc` {os.cpu_count()}, {platform.machine()}, CPU \"{cpu}\", {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, aiogram {version('aiogram')}, "
        f"pydantic {version('pydantic')}"
    )


def report(args: argparse.Namespace, counts: dict[str, int], results: list[Measurement], bare: Measurement) -> str:
    first = results[0]
    lines = [
        f"Machine: {machine()}.",
        "",
        "Command: `" + " ".join([Path(sys.executable).as_posix(), *sys.argv]) + "`",
        "",
        "Data: " + ", ".join(f"{table} {n:,}" for table, n in counts.items() if n) + f"; idle {args.idle:g} s.",
        "",
        "| process | peak RSS (VmHWM), MiB | RSS at the end, MiB | largest sample, MiB | anonymous, MiB "
        "| peak ÷ first | peak ÷ bare aiogram | start-up, s | heavy libraries mapped |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in [*results, bare]:
        lines.append(
            f"| {r.name} | {mib(r.peak_kib)} | {mib(r.end_kib)} | {mib(r.max_sample_kib)} | {mib(r.anon_kib)} "
            f"| {r.peak_kib / first.peak_kib:.2f} | {r.peak_kib / bare.peak_kib:.2f} | {r.startup_s:.1f} "
            f"| {', '.join(r.mapped) or 'none'} |"
        )
    lines.append("")
    for r in results:
        sent = ", ".join(f"{m} {n}" for m, n in sorted(r.requests.items()))
        lines.append(f"Requests the fake got from {r.name}: {sent}; errors: {len(r.errors)}.")
    ok = first.peak_kib <= args.goal * 1024
    lines += ["", f"Goal: peak RSS ≤ {args.goal} MiB: **{'met' if ok else 'missed'}** ({mib(first.peak_kib)} MiB)."]
    return "\n".join(lines)


def keep_logs(workdir: Path, dest: Path) -> None:
    for log in workdir.glob("*.log"):
        shutil.copy(log, dest)


async def amain(args: argparse.Namespace, trees: list[Path]) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        workdir = Path(tmp)
        db = workdir / "institution.sqlite3"
        started = time.perf_counter()
        counts = await asyncio.to_thread(generate, db, args.participants, args.seed)
        print(f"generated in {time.perf_counter() - started:.1f} s: {counts}", flush=True)
        results = []
        for tree in trees:
            results.append(await run_tree(tree, db, workdir, args.idle))
            print(f"{results[-1].name}: peak {mib(results[-1].peak_kib)} MiB", flush=True)
        bare = await run_bare(workdir, args.idle)
        print(f"{bare.name}: peak {mib(bare.peak_kib)} MiB", flush=True)
        if args.keep_logs:
            keep_logs(workdir, args.keep_logs)
    text = report(args, counts, results, bare)
    print()
    print(text)
    return 0 if results[0].peak_kib <= args.goal * 1024 else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--idle", type=float, default=30.0, help="seconds of idling after start-up (default 30)")
    parser.add_argument("--goal", type=float, default=190.0, help="MiB of peak RSS (default 190)")
    parser.add_argument(
        "--tree", action="append", help="a checkout to run `python -m bot` from (repeatable; default: this one)"
    )
    parser.add_argument("--keep-logs", type=Path, help="copy the processes' logs into this directory")
    args = parser.parse_args()
    trees = [Path(t).resolve() for t in (args.tree or [str(ROOT)])]
    sys.exit(asyncio.run(amain(args, trees)))


if __name__ == "__main__":
    main()
