"""`python -m bot sandbox`: the checks, then the page (it answers within a second), then the bot on the fakes.

Every refusal (the real database, a real token, a busy port, a bad date, a malformed setting) is one line on
stderr and exit status 2, before aiogram is imported (it takes seconds). The bot's own modules are imported in a
thread while the page already answers; SIGTERM or Ctrl+C stop everything and remove the temporary database.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import importlib
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import webbrowser
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from bot.sandbox.guard import SandboxRefused, check, check_database, real_config
from bot.settings import SettingsError

log = logging.getLogger("bot.sandbox")

#: The first and last years `--start` accepts: the programme calendar, the charts and the exports are about
#: school years, not the distant past or future.
YEARS = (2000, 2099)


class SandboxError(Exception):
    """Something the visitor can fix (a busy port, a bad date); the message says what, in one line."""


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0 to 65535; 0: any free one)")
    return port


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot sandbox",
        description="The whole bot on this machine, with no token and no network: a page with the chats of a "
        "curator and the people you add, and a clock you move.",
    )
    parser.add_argument(
        "--db", type=Path, metavar="PATH", help="keep the sandbox's database in this file (default: a temporary one)"
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=8765,
        metavar="N",
        help="the page's port on 127.0.0.1 (default 8765; 0: any)",
    )
    parser.add_argument(
        "--start",
        metavar="YYYY-MM-DD",
        help="the sandbox's first day, at 09:00 (default: 1 September of this programme year)",
    )
    parser.add_argument("--no-max", action="store_true", help="Telegram only (no MAX personas)")
    parser.add_argument("--no-browser", action="store_true", help="print the link only")
    return parser.parse_args(argv)


def start_moment(text: str | None, tz: str = "Europe/Moscow") -> datetime | None:
    """09:00 on the `--start` day; SandboxError (one line) for anything but a real YYYY-MM-DD date."""
    if text is None:
        return None
    try:
        day = date.fromisoformat(text.strip())
        if len(text.strip()) != 10:
            raise ValueError(text)
    except ValueError:
        raise SandboxError(f"--start {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-09-01") from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise SandboxError(f"--start {text}: the sandbox starts in a year from {YEARS[0]} to {YEARS[1]}")
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=ZoneInfo(tz))


def preflight(db_path: Path, real: tuple[Path, set[str]], with_max: bool) -> None:
    """The sandbox's own settings, built as the world will build them (with placeholder addresses for the fakes),
    checked against the real bot's: a refusal or a malformed environment variable is reported now, in a second,
    not after the bot's libraries have loaded."""
    from bot.sandbox.world import MAX_TOKEN, TELEGRAM_TOKEN, sandbox_settings

    placeholder = "http://127.0.0.1:9"
    telegram = SimpleNamespace(token=TELEGRAM_TOKEN, base_url=placeholder)
    fake_max = SimpleNamespace(token=MAX_TOKEN, base_url=placeholder) if with_max else None
    settings = sandbox_settings(db_path, telegram, fake_max)  # type: ignore[arg-type]
    check(settings, real_database=real[0], real_tokens=real[1])


def open_browser(url: str) -> None:
    """Open the page where a browser can show it (a desktop); on a server the printed link is enough."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return
    with contextlib.suppress(Exception):
        webbrowser.open(url)


async def import_in_thread(*modules: str) -> None:
    """Import the bot's modules (aiogram, the charts: seconds) off the event loop, so the page answers meanwhile.

    A daemon thread, not the loop's executor: a stop during the import does not wait for it to end."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def settle(error: BaseException | None) -> None:
        if not done.done():
            done.set_result(None) if error is None else done.set_exception(error)

    def work() -> None:
        error: BaseException | None = None
        try:
            for name in modules:
                importlib.import_module(name)
        except BaseException as exc:  # handed to the loop, which raises it
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop closed: the sandbox stopped meanwhile
            loop.call_soon_threadsafe(settle, error)

    threading.Thread(target=work, name="sandbox-imports", daemon=True).start()
    await done


async def listen(app: Any, port: int) -> tuple[Any, int]:
    """Serve the page on 127.0.0.1:`port`; SandboxError when the port is taken or not allowed."""
    from aiohttp import web

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", port).start()
    except OSError as exc:
        await runner.cleanup()
        if exc.errno == errno.EADDRINUSE:
            raise SandboxError(
                f"port {port} on 127.0.0.1 is busy (another sandbox?): choose another with --port N, "
                "or --port 0 for any free one"
            ) from None
        raise SandboxError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    return runner, runner.addresses[0][1]


async def run_world(
    args: argparse.Namespace, db_path: Path, real: tuple[Path, set[str]], app: Any, stop: asyncio.Event
) -> None:
    """Import and start the world, attach it to the page, and run until `stop`; a stop while starting wins."""
    from bot.sandbox import web as page

    starting = asyncio.create_task(_start_world(args, db_path, real))
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not starting.done():
        starting.cancel()  # _start_world takes down what it had started
        with contextlib.suppress(asyncio.CancelledError):
            await starting
        return
    world = starting.result()
    try:
        page.attach(app, world)
        log.info("sandbox ready")
        await stop.wait()
    finally:
        await page.detach(app)  # a move or a demo under way stops before the world does
        await world.stop()


async def _start_world(args: argparse.Namespace, db_path: Path, real: tuple[Path, set[str]]) -> Any:
    await import_in_thread("bot.sandbox.world", "bot.app")
    from bot.sandbox.world import Sandbox

    world = Sandbox(db_path, start=start_moment(args.start), with_max=not args.no_max, real=real)
    try:
        await world.start()
    except BaseException:
        with contextlib.suppress(Exception):
            await world.stop()
        raise
    return world


async def serve(args: argparse.Namespace, db_path: Path, real: tuple[Path, set[str]]) -> int:
    from bot.sandbox import web as page

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    try:
        app = page.build_app()
        runner, port = await listen(app, args.port)
        try:
            url = f"http://127.0.0.1:{port}/"
            print(f"Песочница: {url}  (Ctrl+C — остановить)", flush=True)
            if not args.no_browser:
                open_browser(url)
            await run_world(args, db_path, real, app, stop)
        finally:
            await runner.cleanup()
    finally:
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(number)
    return 0


def interrupted(signum: int, frame: object) -> None:
    """SIGTERM before the event loop handles it (during the checks): stop as Ctrl+C does, cleaning up."""
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    args = parse(argv)
    signal.signal(signal.SIGTERM, interrupted)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    temporary: str | None = None
    try:
        start_moment(args.start)
        real = real_config()
        if args.db is None:
            temporary = tempfile.mkdtemp(prefix="nastavnik-sandbox-")
            db_path = Path(temporary) / "sandbox.sqlite3"
        else:
            db_path = args.db
            check_database(db_path, real[0])
        preflight(db_path, real, with_max=not args.no_max)
        return asyncio.run(serve(args, db_path, real))
    except SandboxRefused as exc:
        print(f"Sandbox refused: {exc}", file=sys.stderr)
        return 2
    except (SandboxError, SettingsError) as exc:
        print(f"Sandbox: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
