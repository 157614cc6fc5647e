"""`python -m bot sandbox`: the page first (it answers within a second), then the bot on the embedded fakes."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import shutil
import signal
import sys
import tempfile
import webbrowser
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.sandbox.guard import SandboxRefused, real_config, same_file

log = logging.getLogger("bot.sandbox")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot sandbox",
        description="The whole bot on this machine, with no token and no network: a page with the chats of a "
        "curator and the people you add, and a clock you move.",
    )
    parser.add_argument("--db", type=Path, help="keep the sandbox's database in this file (default: a temporary one)")
    parser.add_argument("--port", type=int, default=8765, help="the page's port on 127.0.0.1 (default 8765; 0: any)")
    parser.add_argument("--start", help="the sandbox's first day, YYYY-MM-DD (default: 1 September of this year)")
    parser.add_argument("--no-max", action="store_true", help="Telegram only (no MAX personas)")
    parser.add_argument("--no-browser", action="store_true", help="print the link only")
    return parser.parse_args(argv)


def start_moment(text: str | None, tz: str = "Europe/Moscow") -> datetime | None:
    if text is None:
        return None
    day = datetime.strptime(text, "%Y-%m-%d")
    return day.replace(hour=9, tzinfo=ZoneInfo(tz))


def open_browser(url: str) -> None:
    """Open the page where a browser can show it (a desktop); on a server the printed link is enough."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return
    with contextlib.suppress(Exception):
        webbrowser.open(url)


async def serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.sandbox import web as page

    real_db, real_tokens = real_config()
    temporary: str | None = None
    if args.db is None:
        temporary = tempfile.mkdtemp(prefix="nastavnik-sandbox-")
        db_path = Path(temporary) / "sandbox.sqlite3"
    else:
        db_path = args.db
        if same_file(db_path, real_db):
            raise SandboxRefused(
                f"the sandbox will not open the real bot's database ({real_db}): give it another file with --db"
            )
    app = page.build_app()
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", args.port)
    await site.start()
    port = runner.addresses[0][1]
    url = f"http://127.0.0.1:{port}/"
    print(f"Песочница: {url}  (Ctrl+C — остановить)", flush=True)
    if not args.no_browser:
        open_browser(url)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    world = None
    try:
        from bot.sandbox.world import Sandbox

        world = Sandbox(
            db_path, start=start_moment(args.start), with_max=not args.no_max, real=(real_db, real_tokens)
        )
        starting = asyncio.create_task(world.start())
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if starting.done():
            starting.result()
            page.attach(app, world)
            log.info("sandbox ready at %s", url)
            await stop.wait()
        else:
            starting.cancel()
        stopping.cancel()
    finally:
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(number)
        await page.detach(app)  # a move or a demo under way stops before the world does
        if world is not None:
            await world.stop()
        await runner.cleanup()
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0


def main(argv: list[str]) -> int:
    args = parse(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(serve(args))
    except SandboxRefused as exc:
        print(f"Sandbox refused: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"Sandbox: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
