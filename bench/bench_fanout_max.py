"""Benchmark: a notice to 2,000 MAX dialogs through the outbox, at MAX_OUTBOX_RATE, under MAX's 30 requests/s.

2,000 users have started a dialog with the bot in the strict fake MAX (`bot.sandbox.max.FakeMax`, real HTTP on
127.0.0.1, its limits on: 30 requests in any sliding second overall, 2 messages a second per dialog). One notice
for each, with its own text, is queued in the outbox as a broadcast queues it (`Outbox.enqueue(...,
messenger=Messenger.MAX)`, in one transaction, on a fresh SQLite file; not measured). Then the MAX side of the
app runs as `bot.app` runs it: `handlers.max.runtime.MaxRuntime` on the app's services (`start()`: the bot's
name, the command list, the outbox sender `handlers.max.sender.MaxOutboxSender` at ``--rate``; `run()`: long
polling, whose requests count against the same 30 a second), until every notice is delivered.

Reported: wall time from the runtime's start to the last delivery against the ideal count / rate; the achieved
rate (first → last delivery at the fake); the busiest sliding second at the fake, of messages and of all
requests; 429 answers (goal 0); every dialog got its own notice exactly once; every outbox row ends `sent`;
the process's CPU (the fake's serving included: it runs in this process) and peak RSS. The script exits with
status 1 when a goal is missed.

Run from the repository root:  /work/main/.venv/bin/python bench/bench_fanout_max.py [--count 2000] [--rate 20]
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import logging
import os
import platform
import resource
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_intake as bi

FIRST_USER_ID = 70_000_000
DEFAULT_RATE = 20.0  # MAX_OUTBOX_RATE's default (handlers.max.runtime.MaxRuntime)


def recording_fake() -> Any:
    from bot.sandbox.max import FakeMax

    class RecordingFake(FakeMax):
        """The fake, noting when it accepted each request (its global rule) and each message."""

        def __init__(self) -> None:
            super().__init__()  # the documented limits: 30 rps overall, 2 messages/s and 2 answers/s per dialog
            self.accepted: list[float] = []
            self.delivered: list[tuple[float, int, str]] = []  # (when, chat, text)
            self.expected = 0
            self.cpu_at_first = 0.0  # the process's CPU when the first message arrived (start-up excluded)
            self.all_in = asyncio.Event()  # set when `expected` messages were delivered

        def _count(self, key: tuple[str, int], limit: int | None) -> None:
            super()._count(key, limit)
            if key[0] == "global":
                self.accepted.append(self._mono())

        def _send_message(self, query: dict[str, Any], body: Any, path: str) -> dict[str, Any]:
            result = super()._send_message(query, body, path)
            self.delivered.append((self._mono(), int(query["user_id"]), body.get("text") or ""))
            if len(self.delivered) == 1:
                self.cpu_at_first = cpu_seconds()
            if len(self.delivered) >= self.expected:
                self.all_in.set()
            return result

    return RecordingFake()


def busiest(times: list[float]) -> int:
    """The most of `times` within any sliding second (t − 1 s, t]."""
    ordered = sorted(times)
    return max((i + 1 - bisect.bisect_right(ordered, t - 1.0) for i, t in enumerate(ordered)), default=0)


def notice(user_id: int) -> str:
    return f"Напоминание для участника {user_id - FIRST_USER_ID}: в субботу в 11:00 встреча наставников в актовом зале."


async def enqueue_all(services: dict[str, Any], count: int) -> None:
    from bot.flows.events import Messenger

    outbox = services["outbox"]
    async with services["db"].transaction() as tx:
        for user_id in range(FIRST_USER_ID, FIRST_USER_ID + count):
            await outbox.enqueue(user_id, notice(user_id), kind="broadcast", tx=tx, messenger=Messenger.MAX)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def fanout(args: argparse.Namespace) -> dict[str, Any]:
    from bot.clock import SystemClock
    from handlers.max.runtime import MaxRuntime
    from storage.database import Database
    from storage.repositories import build_services

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    errors = bi.ErrorCounter()
    logging.getLogger().addHandler(errors)
    fake = recording_fake()
    fake.expected = args.count
    await fake.start()
    try:
        for user_id in range(FIRST_USER_ID, FIRST_USER_ID + args.count):
            fake.user(user_id, f"Участник {user_id - FIRST_USER_ID}").started = True  # the dialog exists
        with tempfile.TemporaryDirectory(prefix="bench-fanout-max-") as tmp:
            db_path = Path(tmp) / "nastavnik.sqlite3"
            db = await Database.open(db_path)
            clock = SystemClock()
            # The repositories as the app builds them, without its scheduler and quiet hours (a run at night in
            # the institution's time zone would otherwise wait for the morning).
            services = build_services(bi.bench_settings(db_path), db, clock)
            await services["curators"].load()
            await enqueue_all(services, args.count)
            runtime = MaxRuntime(fake.token, fake.base_url, services, clock, outbox_rate=args.rate)
            cpu_start = cpu_seconds()
            started = time.monotonic()
            await runtime.start()
            polling = asyncio.create_task(runtime.run())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(fake.all_in.wait(), args.count / args.rate * 3 + 30)
            finished = time.monotonic()
            cpu_now = cpu_seconds()
            cpu, steady = cpu_now - cpu_start, cpu_now - fake.cpu_at_first
            await asyncio.sleep(2.0)  # anything sent twice would come now
            runtime.stop()
            await polling
            await runtime.close()
            await db.close()
            conn = sqlite3.connect(db_path)
            try:
                rows = dict(conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall())
            finally:
                conn.close()
    finally:
        await fake.stop()
    times = [t for t, _, _ in fake.delivered]
    got = Counter(chat for _, chat, _ in fake.delivered)
    wrong = sum(1 for _, chat, text in fake.delivered if text != notice(chat))
    expected = range(FIRST_USER_ID, FIRST_USER_ID + args.count)
    return {
        "count": args.count,
        "rate": args.rate,
        "delivered": len(fake.delivered),
        "missing": sum(1 for user_id in expected if got[user_id] == 0),
        "duplicated": sum(n - 1 for n in got.values() if n > 1),
        "wrong": wrong,
        "rows": rows,
        "wall": (times[-1] if times else finished) - started,
        "first_to_last": times[-1] - times[0] if len(times) > 1 else 0.0,
        "achieved": (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0,
        "busiest_messages": busiest(times),
        "busiest_requests": busiest(fake.accepted),
        "requests": Counter(method for method, _, _ in fake.requests),
        "status_429": sum(1 for e in fake.error_log if e.status == 429),
        "other_errors": [e.describe() for e in fake.error_log if e.status != 429 and e.method != "GET /updates"],
        "cpu": cpu,
        "cpu_steady": steady,
        "rss_peak": bi.peak_rss_mib(),
        "error_logs": errors.records,
    }


def report(r: dict[str, Any]) -> int:
    from importlib.metadata import version

    ideal = r["count"] / r["rate"]
    share = r["achieved"] / r["rate"]
    checks = {
        "share": share >= 0.95,
        "window": r["busiest_requests"] <= 30,
        "429": r["status_429"] == 0,
        "delivery": r["missing"] == r["duplicated"] == r["wrong"] == 0 and r["delivered"] == r["count"],
        "rows": r["rows"] == {"sent": r["count"]},
        "errors": not r["other_errors"] and not r["error_logs"],
    }
    mark = {k: "✅" if v else "❌" for k, v in checks.items()}
    cpu_name = "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        cpu_name = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    print(
        f'Machine: nproc {os.cpu_count()}, CPU "{cpu_name}", Python {platform.python_version()}, maxapi'
        f" {version('maxapi')}, aiohttp {version('aiohttp')}, aiosqlite {version('aiosqlite')};"
        f" load average (1 min) at the end {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{r['count']:,} notices to {r['count']:,} MAX dialogs, MAX_OUTBOX_RATE={r['rate']:g}, fake limits on"
        " (30 requests/s overall, 2 messages/s per dialog)"
    )
    print()
    print("| metric | value | goal |")
    print("| --- | --- | --- |")
    print(
        f"| wall time, runtime start → last delivery | {r['wall']:.1f} s"
        f" | ≈ {ideal:.0f} s ({r['count']:,} / {r['rate']:g}) |"
    )
    print(f"| wall / ideal | {r['wall'] / ideal:.3f} | — |")
    print(f"| achieved rate (first → last delivery) | {r['achieved']:.2f} msg/s | — |")
    print(f"| achieved / configured | {share:.3f} | ≥ 0.95 {mark['share']} |")
    print(
        f"| busiest 1 s window at the fake: messages / all requests | {r['busiest_messages']} / {r['busiest_requests']}"
        f" | ≤ {r['rate']:g} / ≤ 30 {mark['window']} |"
    )
    print(f"| 429 answers | {r['status_429']} | 0 {mark['429']} |")
    print(
        f"| other API errors, error log records | {len(r['other_errors'])}, {len(r['error_logs'])}"
        f" | 0 {mark['errors']} |"
    )
    print(f"| delivered / enqueued | {r['delivered']:,} / {r['count']:,} | equal |")
    print(
        f"| missing / duplicated / wrong text | {r['missing']} / {r['duplicated']} / {r['wrong']} | 0 / 0 / 0"
        f" {mark['delivery']} |"
    )
    rows = ", ".join(f"{k}: {v:,}" for k, v in sorted(r["rows"].items()))
    print(f"| outbox rows afterwards | {rows} | sent: {r['count']:,} {mark['rows']} |")
    requests = ", ".join(f"{k} {v:,}" for k, v in sorted(r["requests"].items()))
    print(f"| requests at the fake | {requests} | — |")
    print(
        f"| CPU per message (sender and fake in one process) | {r['cpu'] / max(r['delivered'], 1) * 1000:.2f} ms | — |"
    )
    steady = r["cpu_steady"] / max(r["delivered"] - 1, 1) * 1000
    print(f"| the same, first → last delivery (start-up and first imports left out) | {steady:.2f} ms | — |")
    print(f"| peak RSS (VmHWM) | {r['rss_peak']:,.0f} MiB | — |")
    for line in r["other_errors"][:5] + r["error_logs"][:5]:
        print(f"    {line}")
    status = 0 if all(checks.values()) else 1
    print()
    print(f"Exit status {status}.")
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="dialogs, one notice each")
    parser.add_argument("--rate", type=float, default=DEFAULT_RATE, help="MAX_OUTBOX_RATE, messages/s")
    args = parser.parse_args()
    return report(asyncio.run(fanout(args)))


if __name__ == "__main__":
    sys.exit(main())
