"""Benchmark: the durable outbox's fan-out at Telegram's pace, and its survival of kill -9.

Two scenarios, each on a fresh SQLite file in a temporary directory, with the local fake Bot API
(``bot.sandbox.telegram.FakeTelegram``, real HTTP on 127.0.0.1) in this process and the sender in a child process
(``bench/outbox_child.py``: ``build_bot`` + ``Database.open`` + ``OutboxSender``, as the app wires them):

* ``fanout``: ``--count`` due reminders to as many different chats are enqueued (one transaction, before the
  sender starts), then one sender drains them at ``--rate`` messages/s overall and ``--chat-rate`` per chat. The
  fake enforces the same limits (overall: a sliding 1 s window; per chat: bursts of 3 refilled at ``--chat-rate``;
  429 "retry after 1" when exceeded). Measured: the achieved
  rate between the first and the last delivery the fake accepted, over the configured rate (goal ≥ 0.95); the
  busiest 1 s window the fake saw; the number of 429s (goal 0); the sender's CPU per message and its peak RSS
  (``ru_maxrss`` of the child); every chat got its own text exactly once, and every row is ``sent``.
* ``restart``: ``--restart-count`` reminders at ``--restart-rate``; the sender is killed with SIGKILL ``--kills``
  times, each time when the fake has accepted a randomly chosen number of messages plus a random fraction of one
  send interval (so the kill lands at a random point of a send), and started again at once. Goal: every reminder
  delivered, duplicates ≤ kills (only the message in flight at the kill may be repeated).

``--inject-429 N`` makes the fake answer one message of the fan-out with 429 "retry after 1" after it has accepted
N: the sender must lose that second and nothing more (no 429 follows).

The script exits with status 1 when a goal is missed.

Run from the repository root:

    /tmp/venv/bin/python bench/bench_outbox.py                          # 10,000 at 25/s + 3,000 at 100/s: 7.6 min
    /tmp/venv/bin/python bench/bench_outbox.py --count 2000 --rate 100  # a quicker check: 1.3 min
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import json
import os
import platform
import random
import resource
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.clock import SystemClock
from bot.pacing import DEFAULT_BURST
from bot.sandbox.telegram import FakeTelegram
from storage.database import Database
from storage.outbox import Outbox

ROOT = Path(__file__).resolve().parents[1]
CHILD = ROOT / "bench" / "outbox_child.py"
TOKEN = "7000000002:BENCH_" + "x" * 35
FIRST_CHAT = 30_000_000


def reminder_text(i: int) -> str:
    return f"Напоминание: встреча с наставником завтра в 16:00, каб. 12 (№ {i})"


class RecordingFake(FakeTelegram):
    """The fake Bot API that also notes when each message was accepted (monotonic time, chat)."""

    def __init__(self, *, flood_after: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.deliveries: list[tuple[float, int]] = []
        self._target: tuple[int, asyncio.Event] | None = None
        self.flood_after = flood_after
        self.injected_429 = 0

    def _count_send(self, chat_id: int) -> None:
        super()._count_send(chat_id)
        self.deliveries.append((time.monotonic(), chat_id))
        if len(self.deliveries) == self.flood_after:
            self.flood(count=1, retry_after=1)  # the next sendMessage is answered 429, retry after 1 s
            self.injected_429 += 1
        if self._target is not None and len(self.deliveries) >= self._target[0]:
            self._target[1].set()

    async def wait_deliveries(self, n: int) -> None:
        event = asyncio.Event()
        self._target = (n, event)
        if len(self.deliveries) >= n:
            event.set()
        try:
            await event.wait()
        finally:
            self._target = None


class ChildDied(Exception):
    pass


class Child:
    """One run of bench/outbox_child.py."""

    def __init__(self, proc: asyncio.subprocess.Process, started: float) -> None:
        self.proc = proc
        self.started = started

    @classmethod
    async def spawn(cls, db: Path, fake: FakeTelegram, rate: float, chat_rate: float, log: Path) -> Child:
        started = time.monotonic()
        with log.open("ab") as err:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                str(CHILD),
                "--db",
                str(db),
                "--base-url",
                fake.base_url,
                "--token",
                fake.token,
                "--rate",
                str(rate),
                "--chat-rate",
                str(chat_rate),
                stdout=asyncio.subprocess.PIPE,
                stderr=err,
                cwd=ROOT,
            )
        return cls(proc, started)

    async def event(self, name: str, timeout: float) -> dict[str, Any]:  # noqa: ASYNC109
        assert self.proc.stdout is not None
        while True:
            line = await asyncio.wait_for(self.proc.stdout.readline(), timeout)
            if not line:
                raise ChildDied(f"the sender exited with {await self.proc.wait()} before {name!r}")
            if line.startswith(b"{"):
                break
            print(f"(the sender printed: {line.decode(errors='replace').rstrip()})")
        data = json.loads(line)
        if data.get("event") != name:
            raise ChildDied(f"expected {name!r} from the sender, got {data}")
        return data

    def peak_rss_kib(self) -> int:
        """VmHWM: the process's peak resident set so far (read before a kill, when it cannot report)."""
        with contextlib.suppress(OSError), open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    async def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGKILL)
        await self.proc.wait()


async def prepare(db_path: Path, count: int) -> list[int]:
    """Enqueue `count` due reminders, one per chat, in one transaction; return the chat ids."""
    db = await Database.open(db_path)
    outbox = Outbox(db, SystemClock())
    chats = [FIRST_CHAT + i for i in range(count)]
    try:
        async with db.transaction() as tx:
            for i, chat in enumerate(chats):
                await outbox.enqueue(chat, reminder_text(i), kind="reminder", dedup_key=f"bench:{i}", tx=tx)
    finally:
        await db.close()
    return chats


async def db_counts(db_path: Path) -> dict[str, int]:
    db = await Database.open(db_path)
    try:
        return await Outbox(db, SystemClock()).counts()
    finally:
        await db.close()


@dataclass
class Delivery:
    """What the fake received, checked against what was enqueued."""

    count: int
    delivered: int
    missing: int
    duplicates: int
    wrong_text: int
    rate: float
    busiest_second: int
    errors_429: int
    other_errors: Counter[str] = field(default_factory=Counter)


def busiest_window(times: list[float], span: float = 1.0) -> int:
    """The most deliveries in any window (t - span, t], the fake's own rule."""
    best = 0
    for j, t in enumerate(times):
        i = bisect.bisect_right(times, t - span, 0, j + 1)
        best = max(best, j + 1 - i)
    return best


def check_delivery(fake: RecordingFake, chats: list[int]) -> Delivery:
    per_chat = Counter(chat for _, chat in fake.deliveries)
    wrong = 0
    for i, chat in enumerate(chats):
        texts = {m.text for m in fake.messages(chat)}
        if texts and texts != {reminder_text(i)}:
            wrong += 1
    times = [t for t, _ in fake.deliveries]
    rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 and times[-1] > times[0] else 0.0
    others: Counter[str] = Counter()
    for method, code, _ in fake.errors:
        if code != 429:
            others[f"{method} {code}"] += 1
    return Delivery(
        count=len(chats),
        delivered=len(fake.deliveries),
        missing=sum(1 for chat in chats if per_chat[chat] == 0),
        duplicates=sum(n - 1 for n in per_chat.values() if n > 1),
        wrong_text=wrong + sum(1 for chat in per_chat if not FIRST_CHAT <= chat < FIRST_CHAT + len(chats)),
        rate=rate,
        busiest_second=busiest_window(times),
        errors_429=sum(1 for _, code, _ in fake.errors if code == 429) - fake.injected_429,
        other_errors=others,
    )


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


async def run_fanout(args: argparse.Namespace, workdir: Path) -> bool:
    count, rate, chat_rate = args.count, args.rate, args.chat_rate
    db_path, log = workdir / "fanout.sqlite3", workdir / "fanout.log"
    fake = RecordingFake(
        token=TOKEN,
        rate_limit_per_chat=chat_rate,
        chat_burst=DEFAULT_BURST,
        rate_limit_global=rate,
        flood_after=args.inject_429,
    )
    await fake.start()
    child: Child | None = None
    try:
        chats = await prepare(db_path, count)
        for chat in chats:
            fake.user(chat)
        child = await Child.spawn(db_path, fake, rate, chat_rate, log)
        ready = await child.event("ready", timeout=60)
        done = await child.event("done", timeout=count / rate * 2 + 120)
        await child.proc.wait()
    finally:
        if child is not None and child.proc.returncode is None:
            await child.kill()  # the run failed: leave no sender behind
        await fake.stop()
    d = check_delivery(fake, chats)
    counts = await db_counts(db_path)
    ratio = d.rate / rate
    exactly_once = d.missing == 0 and d.duplicates == 0 and d.wrong_text == 0 and d.delivered == count
    all_sent = counts == {"sent": count}
    ok = exactly_once and all_sent and ratio >= 0.95 and d.errors_429 == 0 and not d.other_errors
    print(
        f"\n### Fan-out: {count:,} reminders to {count:,} chats, OUTBOX_RATE={rate:g}, OUTBOX_CHAT_RATE={chat_rate:g}"
    )
    print()
    print(f"The fake Bot API limits: {rate:g} messages per sliding 1 s overall, {chat_rate:g} per chat.\n")
    rows = [
        ("achieved rate (first → last delivery)", f"{d.rate:.2f} msg/s", "—"),
        ("achieved / configured", f"{ratio:.3f}", f"≥ 0.95 {mark(ratio >= 0.95)}"),
        ("busiest 1 s window at the fake", f"{d.busiest_second}", f"≤ {int(rate)} {mark(d.busiest_second <= rate)}"),
        (
            "429 answers" + (f" (besides {fake.injected_429} injected)" if fake.injected_429 else ""),
            f"{d.errors_429}",
            f"0 {mark(d.errors_429 == 0)}",
        ),
        ("other API errors", ", ".join(f"{k}: {v}" for k, v in d.other_errors.items()) or "0", "0"),
        ("delivered / enqueued", f"{d.delivered:,} / {count:,}", "equal"),
        (
            "missing / duplicated / wrong text",
            f"{d.missing} / {d.duplicates} / {d.wrong_text}",
            f"0 / 0 / 0 {mark(exactly_once)}",
        ),
        ("outbox rows afterwards", ", ".join(f"{k}: {v:,}" for k, v in sorted(counts.items())), mark(all_sent)),
        ("sender wall time (start → outbox empty)", f"{done['elapsed']:.1f} s", f"≈ {count / rate:.0f} s"),
        ("sender CPU per message", f"{done['cpu'] / count * 1000:.2f} ms", "—"),
        ("sender RSS at start → peak", f"{mib(ready['rss_kib'])} → {mib(done['rss_peak_kib'])}", "—"),
        ("fake Bot API process (this one) peak RSS", mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss), "—"),
    ]
    print(table(rows, ("metric", "value", "goal")))
    return ok


async def run_restart(args: argparse.Namespace, workdir: Path) -> bool:
    count, rate, chat_rate, kills = args.restart_count, args.restart_rate, args.chat_rate, args.kills
    db_path, log = workdir / "restart.sqlite3", workdir / "restart.log"
    rng = random.Random(args.seed)
    targets = sorted(rng.sample(range(int(count * 0.05), int(count * 0.9)), kills))
    fake = RecordingFake(token=TOKEN, rate_limit_per_chat=chat_rate, chat_burst=DEFAULT_BURST, rate_limit_global=rate)
    await fake.start()
    kill_rows: list[dict[str, Any]] = []
    child: Child | None = None
    try:
        chats = await prepare(db_path, count)
        for chat in chats:
            fake.user(chat)
        first_start = time.monotonic()
        child = await Child.spawn(db_path, fake, rate, chat_rate, log)
        for target in targets:
            await child.event("ready", timeout=60)
            ready_at = time.monotonic()
            if kill_rows:
                kill_rows[-1]["ready"] = ready_at
            waiter = asyncio.create_task(fake.wait_deliveries(target))
            exited = asyncio.create_task(child.proc.wait())
            finished, _ = await asyncio.wait(
                {waiter, exited}, timeout=count / rate * 2 + 60, return_when=asyncio.FIRST_COMPLETED
            )
            if waiter not in finished:
                waiter.cancel()
                raise ChildDied(f"the sender ended before {target} deliveries")
            exited.cancel()
            await asyncio.sleep(rng.uniform(0, 1 / rate))
            rss = child.peak_rss_kib()
            at = time.monotonic()
            await child.kill()
            kill_rows.append({"at": at, "since_start": at - first_start, "rss": rss})
            child = await Child.spawn(db_path, fake, rate, chat_rate, log)
        await child.event("ready", timeout=60)
        if kill_rows:
            kill_rows[-1]["ready"] = time.monotonic()
        done = await child.event("done", timeout=count / rate * 2 + 120)
        await child.proc.wait()
        total = time.monotonic() - first_start
    finally:
        if child is not None and child.proc.returncode is None:
            await child.kill()  # the run failed: leave no sender behind
        await fake.stop()
    d = check_delivery(fake, chats)
    counts = await db_counts(db_path)
    per_chat = Counter(chat for _, chat in fake.deliveries)
    times = [t for t, _ in fake.deliveries]
    rows = []
    repeated_total = 0
    for n, k in enumerate(kill_rows, 1):
        # The killed sender's last message is the last one the fake accepted before the next sender was ready
        # (a request already on the wire when the signal came is still answered: "accepted after the kill").
        before_kill = bisect.bisect_left(times, k["at"])
        before_ready = bisect.bisect_left(times, k["ready"])
        last_chat = fake.deliveries[before_ready - 1][1] if before_ready else None
        repeated = last_chat is not None and per_chat[last_chat] > 1
        repeated_total += repeated
        first_new = times[before_ready] - k["at"] if before_ready < len(times) else float("nan")
        rows.append(
            (
                str(n),
                f"{k['since_start']:.2f} s",
                f"{before_kill:,}",
                str(before_ready - before_kill),
                "yes" if repeated else "no",
                mib(k["rss"]),
                f"{k['ready'] - k['at']:.2f} s",
                f"{first_new:.2f} s",
            )
        )
    ok = (
        d.missing == 0
        and d.wrong_text == 0
        and d.duplicates <= kills
        and d.duplicates == repeated_total
        and counts == {"sent": count}
        and len(kill_rows) == kills
    )
    print(
        f"\n### Restart: {count:,} reminders at OUTBOX_RATE={rate:g}, the sender killed with SIGKILL "
        f"{kills} times (seed {args.seed})\n"
    )
    print(
        table(
            rows,
            (
                "kill",
                "at",
                "accepted before the kill",
                "accepted after the kill",
                "last accepted sent again",
                "sender peak RSS",
                "kill → new sender ready",
                "kill → its first delivery",
            ),
        )
    )
    print()
    summary = [
        ("delivered / enqueued", f"{d.delivered:,} / {count:,}", "—"),
        ("missing", str(d.missing), f"0 {mark(d.missing == 0)}"),
        (
            "duplicates (of them: a killed sender's last message)",
            f"{d.duplicates} ({repeated_total})",
            f"≤ {kills} kills {mark(d.duplicates <= kills)}",
        ),
        ("wrong text", str(d.wrong_text), f"0 {mark(d.wrong_text == 0)}"),
        (
            "outbox rows afterwards",
            ", ".join(f"{k}: {v:,}" for k, v in sorted(counts.items())),
            mark(counts == {"sent": count}),
        ),
        ("429 answers", str(d.errors_429), "—"),
        ("other API errors", ", ".join(f"{k}: {v}" for k, v in d.other_errors.items()) or "0", "—"),
        ("wall time, restarts included", f"{total:.1f} s", f"≈ {count / rate:.0f} s + restarts"),
        ("last sender's peak RSS", mib(done["rss_peak_kib"]), "—"),
    ]
    print(table(summary, ("metric", "value", "goal")))
    return ok


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


def show_logs(workdir: Path) -> None:
    for log in sorted(workdir.glob("*.log")):
        text = log.read_text(errors="replace").strip()
        if text:
            lines = text.splitlines()
            print(f"\nThe sender's stderr ({log.name}, {len(lines)} lines, last 10):")
            print("\n".join("    " + line for line in lines[-10:]))


async def main(args: argparse.Namespace) -> int:
    print(machine())
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-outbox-") as tmp:
        workdir = Path(tmp)
        try:
            if args.scenario in ("fanout", "both"):
                ok &= await run_fanout(args, workdir)
            if args.scenario in ("restart", "both"):
                ok &= await run_restart(args, workdir)
        finally:
            show_logs(workdir)
    print("\nAll goals met." if ok else "\nSOME GOALS MISSED.")
    return 0 if ok else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=("fanout", "restart", "both"), default="both")
    parser.add_argument("--count", type=int, default=10_000, help="fan-out: reminders, one per chat")
    parser.add_argument("--rate", type=float, default=25.0, help="fan-out: OUTBOX_RATE and the fake's global limit")
    parser.add_argument("--chat-rate", type=float, default=1.0, help="OUTBOX_CHAT_RATE and the fake's per-chat limit")
    parser.add_argument("--restart-count", type=int, default=3_000, help="restart: reminders, one per chat")
    parser.add_argument("--restart-rate", type=float, default=100.0, help="restart: OUTBOX_RATE and the fake's limit")
    parser.add_argument("--kills", type=int, default=3, help="restart: how many times the sender is killed")
    parser.add_argument("--seed", type=int, default=2024, help="restart: picks the kill moments")
    parser.add_argument(
        "--inject-429",
        type=int,
        default=0,
        metavar="N",
        help="fan-out: once the fake has accepted N messages, it answers the next one 429 (retry after 1 s)",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
