"""Benchmark: the intake questionnaire through the MAX adapter, beside Telegram's in the same run.

The same 1,000 users and steps as `bench_intake.py` (its plans, checks and table), four variants:

* ``app`` and ``floor``: Telegram's, run by `bench_intake.py`'s own workers (see that file), as the reference;
* ``max``: the real MAX side of the app, `handlers.max.runtime.MaxRuntime` on the app's core
  (`bot.app.build_core` + `start_core`, SQLite in a temporary directory), long-polling the strict fake MAX
  (`bot.sandbox.max.FakeMax`) over real HTTP on 127.0.0.1; the users are enrolled on MAX through the
  repositories (not measured);
* ``maxfloor``: the least a button questionnaire costs on MAX, against the same fake: the same client
  (`MaxClient`, its limits), the same `Polling` loop and batch handling, and for each update only the reply a
  button questionnaire must give: a text gets a new message with a question's buttons (the intake's own
  `question_rows`, in turn), a press is answered with the edited message (one `POST /answers`). No dialog, no
  routing, no storage (the poll marker is kept in memory).

Processes: the fake and the simulated users run in one process (the "harness"), the bot in a child of it, so
the bot's CPU, GC and RSS are its own (the fake's HTTP serving is not in them, unlike Telegram's in-process fake
session, whose share the table shows). The harness tells the bot when a phase starts over its stdin.

The users act like people: a user sends the next update only once the bot's reply reached MAX, and not before
``--think`` seconds (0.5 s) after it. So no dialog gets more than two messages or two callback answers a
second from the bot in reply to its person, and MAX's per-chat limits (2 messages/s, 2 answers/s: the fake
enforces them, the client paces them) are never what is measured; the bot's pacer waits and the fake's 429s
are counted to show it. With 1,000 users the bot is still saturated (1,000 / 0.5 s = 2,000 updates/s offered).
MAX's global limit of 30 requests/s would cap any MAX bot at ~30 updates/s and make the run measure the
platform: it is off by default on both sides (the fake's and the client's `RateWindow`); ``--rps 30`` turns it
on.

A press is made on the message the bot last sent or edited in that dialog, with the payload of the button whose
label is the step's (as the Telegram app variant does); each reply must show the step's expected question.
Afterwards the SQLite file is read back: every answer stored with its value, every questionnaire confirmed, no
dialog state left. ``--solo`` users then answer one update at a time on the idle bot (taking turns, each one
with its think time).

Run from the repository root:  /work/main/.venv/bin/python bench/bench_intake_max.py [--users 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import logging
import os
import resource
import statistics
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_intake as bi

from handlers.max.adapter import CONCURRENCY, MaxAdapter

ROOT = Path(__file__).resolve().parents[1]
SELF = Path(__file__).resolve()
MAX_VARIANTS = ("max", "maxfloor")
WARM_UP_USER = bi.FIRST_USER_ID - 1  # gives the poll its first marker before the users come (see warm_up)
REPLY_TIMEOUT = 120.0


# --------------------------------------------------------------------------------- the harness: fake + users
def bench_fake(rps: int | None) -> Any:
    from bot.sandbox.max import FakeMax

    class BenchFake(FakeMax):
        """The fake with a wake-up per dialog: its own signal wakes every waiting user at each event (1,000
        users woken 16,000 times each would make the harness the bottleneck)."""

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.woken: dict[int, asyncio.Event] = {}

        def _emit(self, sent: Any) -> None:
            super()._emit(sent)
            event = self.woken.get(sent.chat_id)
            if event is not None:
                event.set()

    return BenchFake(rate_limit_global=rps)


@dataclass
class Crowd:
    """The simulated MAX users: each step an update queued at the fake as its user would make it."""

    fake: Any
    variant: str
    think: float
    anomalies: list[str] = field(default_factory=list)
    cursor: dict[int, int] = field(default_factory=dict)
    last: dict[int, str] = field(default_factory=dict)  # chat → mid of the bot's last sent or edited message
    seen: dict[int, float] = field(default_factory=dict)  # chat → when the bot's last reply reached MAX
    updates: int = 0

    def queue(self, user: Any, step: bi.Step) -> None:
        fake = self.fake
        self.updates += 1
        if step.kind == "text":
            fake._user_message(user, step.text)
            return
        mid = self.last.get(user.chat_id)
        message = fake._messages.get(mid) if mid else None
        if message is None:
            self.anomalies.append(f"user {user.id}: nothing to press {step.text!r} on")
            return
        buttons = [b for row in message.buttons for b in row if b.payload is not None]
        found = [b.payload for b in buttons if b.text.removeprefix(bi.CHECK_MARK) == step.text]
        if self.variant == "max":
            if not found:
                self.anomalies.append(f"user {user.id}: no button {step.text!r} under {message.text!r}")
            elif found[0] != step.data:
                self.anomalies.append(f"user {user.id}: button {step.text!r} carries {found[0]!r}, not {step.data!r}")
        payload = found[0] if found else (buttons[0].payload if buttons else step.data)
        fake._queue_callback(user, message, payload)

    async def reply(self, user: Any, step: bi.Step) -> None:
        """Wait for the bot's reply to the step: for max, the event that shows the expected question."""
        fake = self.fake
        chat = user.chat_id
        woken = fake.woken.setdefault(chat, asyncio.Event())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + REPLY_TIMEOUT
        while True:
            events = fake._events.get(chat, [])
            while self.cursor.get(chat, 0) < len(events):
                event = events[self.cursor.get(chat, 0)]
                self.cursor[chat] = self.cursor.get(chat, 0) + 1
                self.last[chat] = event.mid
                self.seen[chat] = time.perf_counter()
                if self.variant != "max" or not step.expect or step.expect in (event.text or ""):
                    return
            woken.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                self.anomalies.append(f"user {user.id}: no reply to {step.text!r} within {REPLY_TIMEOUT:.0f} s")
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), remaining)

    async def one(self, user: Any, step: bi.Step, phase: bi.Phase) -> None:
        pause = self.seen.get(user.chat_id, 0.0) + self.think - time.perf_counter()
        if pause > 0:  # a person reads the reply before answering it
            await asyncio.sleep(pause)
        submitted = time.perf_counter()
        self.queue(user, step)
        await self.reply(user, step)
        phase.response.append(time.perf_counter() - submitted)

    async def person(self, user: Any, steps: list[bi.Step], phase: bi.Phase, go: asyncio.Event) -> None:
        await go.wait()
        for step in steps:
            await self.one(user, step, phase)

    async def together(self, users: dict[Any, list[bi.Step]]) -> tuple[bi.Phase, float]:
        """All the given users at once; the response times and the wall time."""
        phase = bi.Phase()
        go = asyncio.Event()
        tasks = [asyncio.create_task(self.person(u, steps, phase, go)) for u, steps in users.items()]
        await asyncio.sleep(0)
        started = time.perf_counter()
        go.set()
        await asyncio.gather(*tasks)
        return phase, time.perf_counter() - started

    async def in_turn(self, users: dict[Any, list[bi.Step]]) -> bi.Phase:
        """One update at a time on the idle bot: the users take turns, each waiting its think time."""
        phase = bi.Phase()
        for i in range(max(len(steps) for steps in users.values())):
            for user, steps in users.items():
                if i < len(steps):
                    await self.one(user, steps[i], phase)
        return phase


class Bot:
    """The bot's child process, driven over its stdin, answering JSON lines on its stdout."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, variant: str, fake: Any, db_path: Path, plans_file: Path, rps: int | None) -> Bot:
        command = [sys.executable, str(SELF), "--bot", variant, "--plans", str(plans_file)]
        command += ["--base-url", fake.base_url, "--token", fake.token, "--db", str(db_path)]
        command += ["--rps", str(rps)] if rps else []
        process = await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=2**26
        )
        bot = cls(process)
        await bot.read()  # ready
        return bot

    async def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = await self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the bot process ended (status {await self.process.wait()})")
        return json.loads(line)

    async def tell(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(command.encode() + b"\n")
        await self.process.stdin.drain()
        return await self.read()


async def warm_up(fake: Any, crowd: Crowd) -> None:
    """One update before the users, so that their first updates never meet a poll without a marker (MAX gives
    such a poll only the newest update of a backlog; `Polling` asks for a marker at once, this makes sure)."""
    user = fake.user(WARM_UP_USER, "Разминка")
    step = bi.Step("text", "/help")
    crowd.queue(user, step)
    await fake.wait_for(lambda: bool(fake._events.get(user.chat_id)), timeout=30)


def harness_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def harness(variant: str, args: argparse.Namespace, plans: list[bi.UserPlan], plans_file: Path) -> dict[str, Any]:
    """The fake and the users; the bot in a child process."""
    from bot.i18n import tr

    fake = bench_fake(args.rps)
    await fake.start()
    crowd = Crowd(fake, variant, args.think)
    try:
        users = {plan.user_id: fake.user(plan.user_id, f"Ученик {plan.user_id - bi.FIRST_USER_ID}") for plan in plans}
        with tempfile.TemporaryDirectory(prefix="bench-intake-max-") as tmp:
            db_path = Path(tmp) / "nastavnik.sqlite3"
            bot = await Bot.start(variant, fake, db_path, plans_file, args.rps)
            await warm_up(fake, crowd)
            crowd.anomalies.clear()
            await crowd.together({users[p.user_id]: p.entry for p in plans})  # into the questionnaire: not measured
            entry_anomalies = len(crowd.anomalies)

            crowd_plans, solo_plans = plans[: args.users], plans[args.users :]
            requests_before = len(fake.requests)
            cpu_before = harness_cpu()
            updates_before = crowd.updates
            await bot.tell("phase crowd")
            loaded, wall = await crowd.together({users[p.user_id]: p.steps for p in crowd_plans})
            measured = await bot.tell("phase solo")
            cpu_harness = harness_cpu() - cpu_before
            updates = crowd.updates - updates_before
            requests = Counter(method for method, _, _ in fake.requests[requests_before:])
            alone = await crowd.in_turn({users[p.user_id]: p.steps for p in solo_plans}) if solo_plans else bi.Phase()
            solo = await bot.tell("finish")
            await bot.process.wait()
            checks = bi.verify_database(db_path, plans) if variant == "max" else floor_checks(fake, plans, users)
    finally:
        await fake.stop()
    errors = [e for e in fake.error_log if e.method != "GET /updates"]
    taken = tr("max-press-taken")  # MAX needs an answer to every press: «Готово.» is no warning
    alerts = [
        a["notification"]
        for cid in itertools.chain.from_iterable(u._callback_ids for u in users.values())
        for a in fake._callbacks[cid].answers
        if a.get("notification") and a["notification"] != taken
    ]
    service = measured["service"]
    return {
        "variant": variant,
        "users": args.users,
        "solo": len(plans) - args.users,
        "updates": updates,
        "wall": wall,
        "ups": updates / wall,
        "service_p50": bi.percentile(service, 50),
        "service_p95": bi.percentile(service, 95),
        "service_p99": bi.percentile(service, 99),
        "response_p50": bi.percentile(loaded.response, 50),
        "response_p95": bi.percentile(loaded.response, 95),
        "response_max": max(loaded.response),
        "alone_p50": bi.percentile(solo["service"], 50) if solo["service"] else None,
        "alone_p95": bi.percentile(solo["service"], 95) if solo["service"] else None,
        "alone_response_p50": bi.percentile(alone.response, 50) if alone.response else None,
        "cpu": measured["cpu"],
        "gc_time": measured["gc_time"],
        "gc_collections": measured["gc_collections"],
        "harness": 0.0,  # the fake runs in another process: none of it is in the bot's CPU
        "harness_cpu": cpu_harness,
        "rss_start": measured["rss_start"],
        "rss_peak": measured["rss_peak"],
        "traced_peak": None,
        "calls": dict(requests),
        "batches": measured["batches"],
        "pacer_waits": measured["pacer_waits"],
        "pacer_wait_time": measured["pacer_wait_time"],
        "status_429": sum(1 for e in fake.error_log if e.status == 429),
        "checks": checks,
        "api_errors": [e.describe() for e in errors[:10]],
        "api_error_count": len(errors),
        "callback_alerts": len(alerts) if variant == "max" else 0,
        "alerts": alerts[:5],
        "anomalies": crowd.anomalies[:10],
        "anomaly_count": len(crowd.anomalies),
        "entry_anomalies": entry_anomalies,
        "error_logs": solo["error_logs"][:10],
        "error_log_count": len(solo["error_logs"]),
    }


def floor_checks(fake: Any, plans: list[bi.UserPlan], users: dict[int, Any]) -> dict[str, Any]:
    """The floor's replies: a new message for every text, an answer for every press (as bench_intake's)."""
    texts_expected = replied = clicks_expected = clicks_answered = 0
    for plan in plans:
        user = users[plan.user_id]
        steps = plan.entry + plan.steps
        texts_expected += sum(1 for s in steps if s.kind == "text")
        replied += len(fake._bot_messages.get(user.chat_id, []))
        clicks_expected += sum(1 for s in steps if s.kind == "click")
        clicks_answered += sum(1 for cid in user._callback_ids if fake._callbacks[cid].answers)
    return {
        "texts_expected": texts_expected,
        "texts_echoed": replied,
        "clicks_expected": clicks_expected,
        "clicks_answered": clicks_answered,
        "replies_lost": texts_expected - replied + clicks_expected - clicks_answered,
    }


# --------------------------------------------------------------------------------- the bot's process
class FloorAdapter:
    """What a button questionnaire must do on MAX, and nothing else; batches as the real adapter's."""

    handle_batch = MaxAdapter.handle_batch
    _handle_in_order = MaxAdapter._handle_in_order

    def __init__(self, client: Any) -> None:
        from bot.flows.survey import question_rows
        from bot.questionnaires import load_directory

        questionnaire = load_directory()[bi.QUESTIONNAIRE_ID]
        self.client = client
        self._limit = asyncio.Semaphore(CONCURRENCY)
        self._rows = [question_rows(questionnaire, q) for q in questionnaire.questions]
        self._turn = itertools.count()

    async def handle(self, update: dict[str, Any]) -> None:
        from handlers.max.updates import Incoming, parse

        parsed = parse(update)
        if not isinstance(parsed, Incoming):
            return
        n = next(self._turn)
        text, rows = f"Вопрос {n % len(self._rows) + 1}: {n}", self._rows[n % len(self._rows)]
        account = parsed.event.person.account_id
        if parsed.callback_id:
            await self.client.answer(parsed.callback_id, account, notification=None, text=text, rows=rows)
        else:
            await self.client.send(account, text, rows)


class MemoryMarkers:
    """The floor's poll marker: in memory (no storage)."""

    def __init__(self) -> None:
        self.marker: int | None = None

    async def get(self, messenger: Any) -> int | None:
        return self.marker

    async def put(self, messenger: Any, marker: int) -> None:
        self.marker = marker


@dataclass
class Recorder:
    """Per-phase figures in the bot's process: time in `handle` per update, CPU, GC, RSS, pacer waits."""

    phase: str = "entry"
    service: dict[str, list[float]] = field(default_factory=lambda: {"entry": [], "crowd": [], "solo": []})
    pacer_waits: int = 0
    pacer_wait_time: float = 0.0

    def timed(self, handle: Any) -> Any:
        async def timed(update: dict[str, Any]) -> None:
            started = time.perf_counter()
            try:
                await handle(update)
            finally:
                self.service[self.phase].append(time.perf_counter() - started)

        return timed

    def counted(self, sleep: Any) -> Any:
        async def counted(seconds: float) -> None:
            if self.phase == "crowd":
                self.pacer_waits += 1
                self.pacer_wait_time += seconds
            await sleep(seconds)

        return counted


async def bot_process(variant: str, args: argparse.Namespace, plans: list[bi.UserPlan]) -> None:
    from bot.app import build_core, start_core, stop_core
    from bot.clock import SystemClock
    from bot.flows.events import Messenger
    from handlers.max.client import MaxClient, RateWindow
    from handlers.max.polling import Polling
    from handlers.max.runtime import MaxRuntime
    from storage.database import Database

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    errors = bi.ErrorCounter()
    logging.getLogger().addHandler(errors)
    window = RateWindow(args.rps) if args.rps else RateWindow(10**9)
    recorder = Recorder()
    db: Any = None
    services: dict[str, Any] = {}
    if variant == "max":
        clock = SystemClock()
        db = await Database.open(Path(args.db))
        services = build_core(bi.bench_settings(Path(args.db)), db, clock)
        await start_core(services)
        await bi.enrol(services, plans, Messenger.MAX)
        runtime = MaxRuntime(args.token, args.base_url, services, clock, poll_timeout=30)
        runtime.client.window = window  # the global limit: off unless --rps
        await runtime.start()
        client, adapter, polling = runtime.client, runtime.adapter, runtime.polling
    else:
        client = MaxClient(args.token, args.base_url, window=window)
        adapter = FloorAdapter(client)
        polling = Polling(adapter, MemoryMarkers())  # type: ignore[arg-type]
    adapter.handle = recorder.timed(adapter.handle)  # type: ignore[method-assign]
    for pacer in (client.messages, client.answers):
        pacer._sleep = recorder.counted(pacer._sleep)
    bi.settle_collector()  # what bot.app.run_max does after start-up
    task = asyncio.create_task(polling.run())
    say({"ready": True})

    timer = bi.GcTimer()
    gc.callbacks.append(timer)
    measured: dict[str, Any] = {}
    while True:
        command = (await asyncio.to_thread(sys.stdin.readline)).strip()
        if command == "phase crowd":
            gc.collect()
            recorder.phase = "crowd"
            rss_start, cpu_start, batches_before = bi.rss_mib(), bi.cpu_seconds(), polling.batches
            timer.active = True
            say({"ok": True})
        elif command == "phase solo":
            timer.active = False
            recorder.phase = "solo"
            measured = {
                "service": recorder.service["crowd"],
                "cpu": bi.cpu_seconds() - cpu_start,
                "gc_time": timer.total,
                "gc_collections": timer.collections,
                "rss_start": rss_start,
                "rss_peak": bi.peak_rss_mib(),
                "batches": polling.batches - batches_before,
                "pacer_waits": recorder.pacer_waits,
                "pacer_wait_time": recorder.pacer_wait_time,
            }
            say(measured)
        elif command in ("finish", ""):
            polling.stop()
            await task
            if variant == "max":
                await runtime.close()
                await stop_core(services)
                await db.close()
            else:
                await client.close()
            say({"service": recorder.service["solo"], "error_logs": errors.records})
            return


def say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


# --------------------------------------------------------------------------------- the parent process
def run_max_worker(variant: str, args: argparse.Namespace, plans_file: Path) -> dict[str, Any]:
    import subprocess

    command = [sys.executable, str(SELF), "--worker", variant, "--plans", str(plans_file)]
    command += ["--users", str(args.users), "--think", str(args.think)]
    command += ["--rps", str(args.rps)] if args.rps else []
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.stderr.strip():
        sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"the {variant} worker failed with status {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ratio_line(runs: dict[str, list[dict[str, Any]]], top: str, bottom: str) -> str:
    ratio = bi.median_of(runs[top], "ups") / bi.median_of(runs[bottom], "ups")
    rounds = ", ".join(f"{a['ups'] / b['ups']:.2f}" for a, b in zip(runs[top], runs[bottom], strict=True))
    return f"{top} / {bottom} {ratio:.2f} (per round: {rounds})"


def report_max(args: argparse.Namespace, runs: dict[str, list[dict[str, Any]]]) -> None:
    pairs = [("max", "maxfloor"), ("app", "floor"), ("max", "app"), ("maxfloor", "floor")]
    lines = [ratio_line(runs, a, b) for a, b in pairs if a in runs and b in runs]
    if lines:
        print("Ratios (updates/s, medians): " + "; ".join(lines) + ".")
    cpu = {v: statistics.median(r["cpu"] / r["updates"] for r in rs) for v, rs in runs.items()}
    print("CPU per update: " + ", ".join(f"{v} {c * 1e6:,.0f} µs" for v, c in cpu.items()) + ".")
    think = f"think time {args.think:g} s after each reply"
    limit = f"global limit {args.rps} requests/s" if args.rps else "global limit off (fake and client)"
    print(f"MAX runs: {think}; per-chat limits on (2 messages/s, 2 answers/s); {limit}.")
    for variant in (v for v in MAX_VARIANTS if v in runs):
        for i, r in enumerate(runs[variant], start=1):
            calls = r["calls"]
            per = r["updates"]
            print(
                f"- {variant}, round {i}: {r['updates']:,} updates in {r['wall']:.1f} s; requests per update:"
                f" POST /messages {calls.get('POST /messages', 0) / per:.2f}, POST /answers"
                f" {calls.get('POST /answers', 0) / per:.2f}, GET /updates {calls.get('GET /updates', 0) / per:.3f}"
                f" ({r['batches']:,} batches of {per / max(r['batches'], 1):.0f} on average); 429 answers"
                f" {r['status_429']}; the bot's pacer waited {r['pacer_waits']} times ({r['pacer_wait_time']:.2f} s);"
                f" response alone p50 {bi.ms(r['alone_response_p50'])}; harness (fake + users) CPU per update"
                f" {r['harness_cpu'] / per * 1e6:,.0f} µs"
            )
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000, help="users answering at once")
    parser.add_argument("--solo", type=int, default=20, help="users answering one update at a time afterwards")
    parser.add_argument("--concurrency", type=int, default=64, help="Telegram's tasks_concurrency_limit")
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per variant; medians are shown")
    parser.add_argument(
        "--variants",
        default="app,floor,max,maxfloor",
        help="comma-separated: app, floor, max, maxfloor (and bench_intake's echo, core)",
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--think", type=float, default=0.5, help="MAX users: seconds after a reply before the next")
    parser.add_argument("--rps", type=int, default=None, help="MAX's global limit, requests/s (default off)")
    parser.add_argument("--worker", choices=MAX_VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--bot", choices=MAX_VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--plans", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.diagnose = args.tracemalloc = False  # bench_intake's workers take these
    if args.bot or args.worker:
        plans = [bi.UserPlan.from_json(p) for p in json.loads(Path(args.plans).read_text(encoding="utf-8"))]
    if args.bot:
        try:
            asyncio.run(bot_process(args.bot, args, plans))
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        return 0
    if args.worker:
        try:
            print(json.dumps(asyncio.run(harness(args.worker, args, plans, Path(args.plans)))))
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        return 0
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    runs: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
    with tempfile.TemporaryDirectory(prefix="bench-intake-plans-") as tmp:
        plans_file = Path(tmp) / "plans.json"
        plans = bi.make_plans(args.users + args.solo, args.seed)
        plans_file.write_text(json.dumps([asdict(p) for p in plans], ensure_ascii=False), encoding="utf-8")
        load = [os.getloadavg()[0]]
        for i in range(args.rounds):
            for variant in variants if i % 2 == 0 else variants[::-1]:
                if variant in MAX_VARIANTS:
                    result = run_max_worker(variant, args, plans_file)
                else:
                    result = bi.run_worker(variant, args, plans_file)
                load.append(os.getloadavg()[0])
                runs[variant].append(result)
                print(
                    f"round {i + 1} {variant}: {result['ups']:,.0f} updates/s, p95 {bi.ms(result['service_p95'])}",
                    file=sys.stderr,
                )
    status = bi.report(args, runs, load)
    report_max(args, runs)
    return status


if __name__ == "__main__":
    sys.exit(main())
