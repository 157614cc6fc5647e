"""The browser for the sandbox's page: Debian's Chromium driven by Playwright (its own browser download is not
available on these machines), the sandbox's server in-process on a free port, and the steps a visitor takes on
the page (type in a chat, press a button, open a deep link as another persona).

Where no Chromium is installed the browser tests are skipped with one line saying how to get it; under CI
(`CI=true`) they fail instead: CI installs it (.ci/run) and must run them.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from playwright.async_api import BrowserContext, Download, Locator, Page, async_playwright, expect

from bot.sandbox.web import attach, build_app
from bot.sandbox.world import Sandbox

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_CHROMIUM = "no Chromium: apt-get install chromium (the .ci/run does)"
#: How long a step may take to show on the page: the bot answers within a second, a busy CI machine is slower.
STEP = 15_000
VIEWPORT = {"width": 1800, "height": 1000}

expect.set_options(timeout=STEP)  # every wait on the page is explicit, none shorter than a step


def chromium_path() -> str | None:
    """Debian's Chromium, or None where none is installed."""
    for candidate in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def require_chromium() -> str:
    """The Chromium to drive; skips the test where there is none (fails under CI, which installs it)."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{NO_CHROMIUM}: CI=true, so the browser tests must run", pytrace=False)
        pytest.skip(NO_CHROMIUM)
    return path


@asynccontextmanager
async def serve(world: Sandbox, *, app: web.Application | None = None, attached: bool = True) -> AsyncIterator[str]:
    """The sandbox's page and API for `world` on 127.0.0.1, a free port; yields the page's address.
    `attached=False`: the world is not attached yet (the page says the bot is starting)."""
    app = app if app is not None else build_app()
    if attached:
        attach(app, world)
    # The page's long poll of /api/state may be waiting: the server does not wait it out when it stops.
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        yield f"http://127.0.0.1:{port}/"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def chromium(profile: Path) -> AsyncIterator[BrowserContext]:
    """A headless Chromium with a fresh profile in `profile` (downloads allowed), nothing fetched from the
    network."""
    executable = require_chromium()
    async with async_playwright() as driver:
        context = await driver.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=VIEWPORT,
            accept_downloads=True,
            locale="ru-RU",
        )
        context.set_default_timeout(STEP)
        try:
            yield context
        finally:
            await context.close()


async def open_page(context: BrowserContext, url: str) -> Page:
    """The sandbox's page, opened and past «Бот запускается…»."""
    page = context.pages[0] if context.pages else await context.new_page()
    await page.goto(url)
    await expect(page.get_by_test_id("loading")).to_be_hidden(timeout=30_000)
    return page


async def save_screenshot(page: Page, folder: Path, name: str) -> Path | None:
    """The page as it is now, in `folder/<name>.png`; its path is printed (for a failing test's report)."""
    shot = folder / f"{name}.png"
    try:
        await page.screenshot(path=str(shot), full_page=True)
    except Exception as exc:  # the page itself may be gone
        print(f"\nno screenshot of the page: {exc}", file=sys.stderr)
        return None
    print(f"\nscreenshot of the page: {shot}", file=sys.stderr)
    return shot


# ---- what a visitor does on the page --------------------------------------------------------------------------


class Phone:
    """One persona's chat on the page."""

    def __init__(self, page: Page, root: Locator) -> None:
        self.page = page
        self.root = root

    @classmethod
    def of(cls, page: Page, key: str) -> Phone:
        return cls(page, page.get_by_test_id(f"chat-{key}"))

    @classmethod
    def named(cls, page: Page, name: str) -> Phone:
        """The chat whose header shows `name`."""
        header = page.get_by_test_id("chat-name").filter(has_text=name)
        return cls(page, page.locator("article.chat").filter(has=header))

    def messages(self, containing: str | None = None) -> Locator:
        found = self.root.get_by_test_id("message")
        return found.filter(has_text=containing) if containing else found

    async def expect(self, text: str, timeout: float = STEP) -> Locator:  # noqa: ASYNC109 (Playwright's)
        """The newest message containing `text`, once it is on the page (its keyboard included)."""
        message = self.messages(text).last
        await expect(message).to_be_visible(timeout=timeout)
        return message

    async def type(self, text: str) -> None:
        """Type `text` in the input and press Enter, as a person would."""
        box = self.root.get_by_test_id("input")
        await box.fill(text)
        async with self.page.expect_response(lambda r: "/text" in r.url and r.request.method == "POST"):
            await box.press("Enter")
        await expect(self.messages(text).last).to_be_visible()

    async def press(self, label: str, on: str | None = None, *, exact: bool = False) -> dict[str, Any]:
        """Press the inline button `label` (on the newest message containing `on`, else on the newest one that has
        such a button); returns the press's answer (the toast or alert the phone shows)."""
        scope = self.messages()
        if on is not None:
            scope = scope.filter(has_text=on)
        button = scope.get_by_test_id("button").filter(has_text=label)
        if exact:
            button = scope.get_by_role("button", name=label, exact=True)
        target = button.last
        await expect(target).to_be_enabled()
        async with self.page.expect_response(lambda r: r.url.endswith("/press")) as answered:
            await target.click()
        response = await answered.value
        answer: dict[str, Any] = await response.json()
        assert response.ok, answer
        return answer

    async def download(self, name_part: str) -> bytes:
        """Click the document link naming `name_part`; the bytes the browser saved (a real download)."""
        link = self.root.get_by_test_id("document").filter(has_text=name_part).last
        await expect(link).to_be_visible()
        async with self.page.expect_download() as started:
            await link.click()
        download: Download = await started.value
        assert download.suggested_filename.endswith(name_part) or name_part in download.suggested_filename
        saved = await download.path()
        return await asyncio.to_thread(Path(saved).read_bytes)


async def open_as_new(page: Page, link: Locator, name: str, kind_label: str) -> Phone:
    """Open a deep link (`a.start-link`) as a new persona through «Открыть как…» → «Новый персонаж…»."""
    await link.click()
    chooser = page.get_by_test_id("chooser")
    await expect(chooser).to_be_visible()
    await expect(chooser).to_contain_text("Открыть как…")
    await chooser.get_by_test_id("choose-new").click()
    dialog = page.get_by_test_id("persona-dialog")
    await expect(dialog).to_be_visible()
    await dialog.get_by_test_id("persona-name").fill(name)
    await dialog.get_by_test_id("persona-kind").select_option(label=kind_label)
    async with page.expect_response(lambda r: r.url.endswith("/open")):
        await dialog.get_by_test_id("persona-create").click()
    phone = Phone.named(page, name)
    await expect(phone.root).to_be_visible()
    return phone


QUESTION = re.compile(r"Вопрос (\d+) из (\d+)")


async def answer_questionnaire(
    phone: Phone, *, name: str | None = None, prefer: tuple[str, ...] = (), done: str = "Анкета сохранена"
) -> None:
    """Answer the questionnaire on screen from question 1 to its summary as a hurried person would: `name` for
    the first (an intake's), a number for «Сколько…», an option of `prefer` if offered, else the first (a multiple
    choice: it, then «Готово»), «Пропустить» where nothing else is offered; then «Всё верно» and its `done`."""
    number, total = 1, None
    while total is None or number <= total:
        screen = await phone.expect(f"Вопрос {number} из")
        text = await screen.inner_text()
        found = QUESTION.search(text)
        assert found, text
        total = int(found.group(2))
        labels = [label.strip() for label in await screen.get_by_test_id("button").all_inner_texts()]
        options = [label for label in labels if label not in ("← Назад", "Пропустить", "Готово")]
        on = f"Вопрос {number} из"
        if number == 1 and name is not None:
            await phone.type(name)
        elif not options and "Сколько" in text:
            await phone.type("2")
        elif options:
            chosen = next((label for label in options if label in prefer), options[0])
            await phone.press(chosen, on=on, exact=True)
            if "Готово" in labels:
                await phone.press("Готово", on=on, exact=True)
        elif "Пропустить" in labels:
            await phone.press("Пропустить", on=on, exact=True)
        else:
            await phone.type("Проекты по робототехнике")
        number += 1
    await phone.press("Всё верно", on="Всё верно?", exact=True)
    await phone.expect(done)
