"""Benchmark: one chat's backlog must not hold up the others' notices.

``--backlog`` notices (default 1,000) are queued to one chat, then one notice to each of ``--others`` chats
(default 100), all due at once, in one transaction on a fresh SQLite file. The app's outbox sender
(``handlers.outbox_sender.OutboxSender`` with the app's ``ChatPacer`` shared by the bot's session, as ``bot.app`` wires
them) sends them at the real pace, ``--rate`` overall (25/s) and ``--chat-rate`` per chat (1/s, bursts of 3), to
the fake Bot API (``bot.sandbox.telegram.FakeTelegram``, real HTTP on 127.0.0.1, in this process) which enforces
the same limits (per chat: a token bucket of 3 refilled at 1/s; overall: 25 within any sliding second; 429
"retry after 1" beyond).

Measured: when each of the other chats got its notice, counted from the sender's start (goal: every one within
10 s); the backlog chat's pace meanwhile; the 429s (goal 0). The run stops ``--tail`` seconds after the last
other chat got its notice (the backlog would take ~1,000 s more at 1/s; it is not waited for).

``--legacy-due`` replaces ``Outbox.due`` by the query before this benchmark existed (the 200 oldest due rows,
the per-chat pause applied afterwards), to show what it fixes; the run then stops after ``--timeout`` seconds.

Run from the repository root:

    /tmp/venv/bin/python bench/bench_fairness.py
    /tmp/venv/bin/python bench/bench_fairness.py --legacy-due --timeout 60
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import platform
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import build_bot
from bot.clock import SystemClock, iso
from bot.pacing import DEFAULT_BURST, ChatPacer
from bot.sandbox.telegram import FakeTelegram
from bot.settings import load_settings
from handlers.outbox_sender import OutboxSender
from storage.database import Database
from storage.outbox import Outbox, OutgoingMessage

TOKEN = "7000000003:BENCH_" + "x" * 35
BUSY_CHAT = 40_000_000
FIRST_OTHER = 40_000_001


class RecordingFake(FakeTelegram):
    """The fake Bot API that also notes when it accepted each message (monotonic time, chat)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.deliveries: list[tuple[float, int]] = []
        self.changed = asyncio.Event()

    def _count_send(self, chat_id: int) -> None:
        super()._count_send(chat_id)
        self.deliveries.append((time.monotonic(), chat_id))
        self.changed.set()


async def legacy_due(self: Outbox, limit: int = 200) -> list[OutgoingMessage]:
    """`Outbox.due` as it was: the oldest due rows, whatever their chat."""
    rows = await self._db.fetchall(
        "SELECT id, chat_id, text, reply_markup, kind, attempts, media_kind, file_id FROM outbox"
        " WHERE status='pending' AND not_before<=? ORDER BY not_before, id LIMIT ?",
        (iso(self._clock.now()), 200),
    )
    return [
        OutgoingMessage(
            id=r["id"], chat_id=r["chat_id"], text=r["text"], reply_markup=None, kind=r["kind"], attempts=r["attempts"]
        )
        for r in rows
    ]


async def enqueue(outbox: Outbox, db: Database, backlog: int, others: list[int]) -> None:
    async with db.transaction() as tx:
        for i in range(backlog):
            await outbox.enqueue(BUSY_CHAT, f"Рассылка: сообщение {i + 1} из {backlog}", kind="broadcast", tx=tx)
        for chat in others:
            await outbox.enqueue(chat, f"Напоминание о встрече (чат {chat})", kind="reminder", tx=tx)


def busiest(times: list[float], span: float) -> int:
    best, i = 0, 0
    for j, t in enumerate(times):
        while times[i] <= t - span:
            i += 1
        best = max(best, j - i + 1)
    return best


def machine() -> str:
    cpu = "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"Machine: nproc {os.cpu_count()}, CPU {cpu!r}, Python {platform.python_version()}, "
        f"aiogram {version('aiogram')}, aiohttp {version('aiohttp')}, aiosqlite {version('aiosqlite')}, "
        f"SQLite {__import__('sqlite3').sqlite_version}"
    )


async def run(args: argparse.Namespace, workdir: Path) -> bool:
    others = [FIRST_OTHER + i for i in range(args.others)]
    fake = RecordingFake(
        token=TOKEN, rate_limit_per_chat=args.chat_rate, chat_burst=args.chat_burst, rate_limit_global=args.rate
    )
    await fake.start()
    for chat in (BUSY_CHAT, *others):
        fake.user(chat)
    settings = load_settings(
        env_file=None,
        telegram={"bot_token": TOKEN, "bot_api_base_url": fake.base_url, "curator_ids": ""},
        storage={"database_path": workdir / "fairness.sqlite3"},
    )
    db = await Database.open(settings.storage.database_path)
    clock = SystemClock()
    outbox = Outbox(db, clock)
    if args.legacy_due:
        outbox.due = legacy_due.__get__(outbox)  # type: ignore[method-assign]
    pacer = ChatPacer(args.chat_rate, burst=args.chat_burst)
    bot = build_bot(settings, pacer=pacer)
    sender = OutboxSender(bot, outbox, clock, rate=args.rate, chat_rate=args.chat_rate, pacer=pacer)
    got: dict[int, float] = {}
    try:
        await enqueue(outbox, db, args.backlog, others)
        started = time.monotonic()
        sender.start()
        deadline = started + args.timeout
        while len(got) < len(others) and time.monotonic() < deadline:
            fake.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(fake.changed.wait(), timeout=max(0.0, deadline - time.monotonic()))
            for at, chat in fake.deliveries:
                if chat != BUSY_CHAT and chat not in got:
                    got[chat] = at - started
        if len(got) == len(others):
            await asyncio.sleep(args.tail)
        await sender.stop()
        ended = time.monotonic()
    finally:
        await bot.session.close()
        await db.close()
        await fake.stop()

    latencies = sorted(got.values())
    busy = [at for at, chat in fake.deliveries if chat == BUSY_CHAT]
    errors_429 = sum(1 for _, code, _ in fake.errors if code == 429)
    other_errors = [e for e in fake.errors if e[1] != 429]
    all_times = [at for at, _ in fake.deliveries]
    within = sum(1 for x in latencies if x <= args.goal)
    ok = within == len(others) and errors_429 == 0 and not other_errors
    gaps = [b - a for a, b in itertools.pairwise(busy)]
    mode = "legacy due() (the 200 oldest rows)" if args.legacy_due else "due(): each chat's first message"
    print(
        f"\n### {args.backlog:,} notices to one chat, then 1 to each of {args.others} others; "
        f"OUTBOX_RATE={args.rate:g}, OUTBOX_CHAT_RATE={args.chat_rate:g} (bursts of {args.chat_burst}); {mode}\n"
    )
    rows = [
        (
            f"other chats served within {args.goal:g} s",
            f"{within} of {len(others)}",
            f"all {'✅' if within == len(others) else '❌'}",
        ),
        (
            "their wait: median / p90 / max",
            " / ".join(
                f"{x:.2f} s"
                for x in (
                    (statistics.median(latencies), latencies[int(0.9 * (len(latencies) - 1))], latencies[-1])
                    if latencies
                    else ()
                )
            )
            or "none served",
            f"max ≤ {args.goal:g} s",
        ),
        ("backlog chat: messages during the run", f"{len(busy)} in {ended - started:.1f} s", "—"),
        (
            "backlog chat: median gap between its messages",
            f"{statistics.median(gaps):.2f} s" if gaps else "—",
            f"≥ {1 / args.chat_rate:g} s",
        ),
        (
            "backlog chat: busiest 1 s window",
            str(busiest(busy, 1.0)) if busy else "0",
            f"≤ {args.chat_burst}",
        ),
        ("busiest 1 s window overall", str(busiest(all_times, 1.0)) if all_times else "0", f"≤ {int(args.rate)}"),
        ("429 answers", str(errors_429), f"0 {'✅' if errors_429 == 0 else '❌'}"),
        ("other API errors", str(len(other_errors)), "0"),
    ]
    print("| metric | value | goal |\n| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return ok


async def main(args: argparse.Namespace) -> int:
    print(machine())
    with tempfile.TemporaryDirectory(prefix="bench-fairness-") as tmp:
        ok = await run(args, Path(tmp))
    print("\nAll goals met." if ok else "\nSOME GOALS MISSED.")
    return 0 if ok else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backlog", type=int, default=1000, help="notices queued to the one busy chat")
    parser.add_argument("--others", type=int, default=100, help="other chats, one notice each")
    parser.add_argument("--rate", type=float, default=25.0, help="OUTBOX_RATE and the fake's overall limit")
    parser.add_argument("--chat-rate", type=float, default=1.0, help="OUTBOX_CHAT_RATE and the fake's per-chat limit")
    parser.add_argument("--chat-burst", type=int, default=DEFAULT_BURST, help="messages at once to one chat")
    parser.add_argument("--goal", type=float, default=10.0, help="seconds within which every other chat is served")
    parser.add_argument("--tail", type=float, default=10.0, help="seconds to go on after the others are served")
    parser.add_argument("--timeout", type=float, default=120.0, help="give up waiting for the others after this")
    parser.add_argument("--legacy-due", action="store_true", help="the old Outbox.due, for comparison")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
