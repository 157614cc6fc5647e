"""The sending process of ``bench/bench_outbox.py``: the app's outbox sender draining one SQLite file.

It is its own process so that the benchmark can kill it with SIGKILL mid-send and start it again. It builds the
bot as the app does (``bot.app.build_bot``: aiohttp session, ``RetryAfterMiddleware``, HTML parse mode), opens
the database with ``Database.open`` (WAL, migrations), runs ``handlers.outbox_sender.OutboxSender`` with the given
pace and ``gc.freeze()`` after start-up (as ``on_startup`` does), and exits when no row is ``pending``.

Protocol on stdout, one JSON object per line: ``{"event": "ready", ...}`` when the sender starts,
``{"event": "done", ...}`` with its numbers when the outbox is empty.

    python bench/outbox_child.py --db PATH --base-url http://127.0.0.1:PORT --token TOKEN [--rate 25]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import build_bot
from bot.clock import SystemClock
from bot.pacing import DEFAULT_BURST, ChatPacer
from bot.settings import load_settings
from handlers.outbox_sender import OutboxSender
from storage.database import Database
from storage.outbox import Outbox


def _emit(event: str, **fields: object) -> None:
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main(args: argparse.Namespace) -> None:
    settings = load_settings(
        env_file=None,
        telegram={"bot_token": args.token, "bot_api_base_url": args.base_url, "curator_ids": ""},
        storage={"database_path": args.db},
    )
    db = await Database.open(args.db)
    clock = SystemClock()
    outbox = Outbox(db, clock)
    pacer = ChatPacer(args.chat_rate, burst=args.chat_burst)  # shared by the session and the sender, as in the app
    bot = build_bot(settings, pacer=pacer)
    sender = OutboxSender(
        bot, outbox, clock, rate=args.rate, chat_rate=args.chat_rate, pacer=pacer, idle_poll=args.idle_poll
    )
    pending_sql = "SELECT COUNT(*) FROM outbox WHERE status='pending'"
    try:
        pending = await db.fetchval(pending_sql)
        gc.freeze()
        rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cpu_start = _cpu()
        started = time.monotonic()
        _emit("ready", pending=pending, rss_kib=rss_start)
        sender.start()
        parent = os.getppid()
        while pending:
            await asyncio.sleep(args.poll)
            if os.getppid() != parent:
                raise SystemExit("the benchmark is gone; stopping")  # no orphan sending into a dead fake
            pending = await db.fetchval(pending_sql)
        elapsed = time.monotonic() - started
        await sender.stop()
        _emit(
            "done",
            sent=sender.sent,
            elapsed=elapsed,
            cpu=_cpu() - cpu_start,
            rss_start_kib=rss_start,
            rss_peak_kib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        )
    finally:
        await bot.session.close()
        await db.close()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--rate", type=float, default=25.0, help="OUTBOX_RATE, messages/s overall")
    parser.add_argument("--chat-rate", type=float, default=1.0, help="OUTBOX_CHAT_RATE, messages/s per chat")
    parser.add_argument("--chat-burst", type=int, default=DEFAULT_BURST, help="messages at once to one chat")
    parser.add_argument("--idle-poll", type=float, default=5.0, help="the sender's idle_poll (the app's default)")
    parser.add_argument("--poll", type=float, default=0.2, help="how often to look whether the outbox is empty (s)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(main(parse_args()))
