"""The sandbox's page in a real browser (Debian's Chromium, driven by Playwright): the stories of issue 16 as a
visitor plays them, clicking the page's buttons and typing in its chats, with the bot on the embedded fakes.

One world for the module (the year moves forward only, so the stories follow each other in order). On a failing
step the page's screenshot is written under the test's temporary folder and its path printed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
import pytest_asyncio
from aiohttp import ClientSession
from playwright.async_api import BrowserContext, Page, expect

from bot.sandbox.web import attach, build_app
from bot.sandbox.world import CURATOR_ID, PersonaKind, Sandbox
from tests.conftest import _BODY_FAILED as BODY_FAILED
from tests.sandbox.browser import (
    Phone,
    answer_questionnaire,
    chromium,
    open_as_new,
    open_page,
    require_chromium,
    save_screenshot,
    serve,
)
from tests.sandbox.worlds import running_world

# One worker runs the whole module (--dist loadgroup): its world is built once, not once per worker.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.xdist_group("sandbox-test_browser")]

#: The stories begin four weeks and a day before December (09:00 in Moscow, a Monday), as `--start 2026-11-02`
#: would: a pair is asked in the quality survey of 1 December once it has worked four weeks
#: (CAMPAIGN_MIN_PAIR_WEEKS), and from 1 September the clock would take minutes to cross the autumn hour by hour.
START = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
CURATOR = f"tg-{CURATOR_ID}"
#: Moving the clock a month, hour by hour with the scheduler's tick at each, takes a while.
LONG = 180_000


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Sandbox]:
    require_chromium()
    async with running_world(tmp_path_factory.mktemp("browser"), START) as sandbox:
        yield sandbox


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser(
    world: Sandbox, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[BrowserContext, str]]:
    async with serve(world) as url, chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context, url


@pytest_asyncio.fixture(loop_scope="module")
async def page(
    browser: tuple[BrowserContext, str], tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Page]:
    context, url = browser
    opened = await open_page(context, url)
    yield opened
    if request.node.stash.get(BODY_FAILED, False):
        await save_screenshot(opened, tmp_path, request.node.name)


async def test_the_story_of_a_programme_year_on_the_page(page: Page) -> None:
    """Issue 16's story, step by step in one world (the year goes forward only, so its steps are one test: a
    parallel run does not split them)."""
    await expect(page.get_by_test_id("clock")).to_have_text("понедельник, 2 ноября 2026, 09:00")
    await a_child_joins_by_an_invite_her_parent_consents_she_answers(page)
    await a_mentor_joins_and_the_curator_matches(page)
    await personas_on_max_stickers_files_and_whom_a_link_can_be_opened_as(page)
    await december_brings_the_quality_survey_and_the_curator_exports(page)
    await a_closed_survey_answers_with_an_alert_and_an_answered_one_with_a_toast(page)


async def test_the_page_shows_the_clock_and_the_curator_and_refuses_the_past(page: Page) -> None:
    clock = page.get_by_test_id("clock")
    await expect(clock).to_contain_text("2026, ")
    shown = await clock.inner_text()
    curator = Phone.of(page, CURATOR)
    await expect(curator.root.get_by_test_id("chat-name")).to_have_text("Куратор")
    await expect(curator.root.get_by_test_id("messenger")).to_have_text("Telegram")
    await page.get_by_test_id("goto-date").fill("2026-10-30")
    await page.get_by_test_id("goto").click()
    await expect(page.get_by_test_id("error")).to_contain_text("Время в песочнице не идёт назад")
    await expect(clock).to_have_text(shown)


async def a_child_joins_by_an_invite_her_parent_consents_she_answers(page: Page) -> None:
    curator = Phone.of(page, CURATOR)
    await curator.type("/invite")
    await curator.expect("Кого приглашаем?")
    await curator.press("наставляемый-обучающийся", on="Кого приглашаем?")
    await curator.expect("Форма наставничества?")
    await curator.press("педагог – обучающийся", on="Форма наставничества?")
    await curator.press("Без срока", on="Сколько действует ссылка?")
    await curator.press("Без ограничения", on="Сколько человек может присоединиться")
    invite = await curator.expect("Ссылка-приглашение готова")

    child = await open_as_new(page, invite.locator("a.start-link").first, "Маша", "Ученик")
    await expect(child.root.get_by_test_id("chat-kind")).to_have_text("Ученик")
    await child.expect("Привет! Ты в программе наставничества")
    await child.press("Меньше 14", on="сколько тебе лет?")
    for_parent = await child.expect("даёт родитель")

    parent_link = for_parent.locator("a.start-link[data-messenger=telegram]").first
    parent = await open_as_new(page, parent_link, "Мария", "Родитель")
    await parent.expect("Вас просят дать согласие")
    await parent.press("Даю согласие", on="Согласие на обработку персональных данных")
    await parent.press("мать", on="Кем вы приходитесь ребёнку?")
    await parent.expect("фамилию и имя")
    await parent.type("Иванова Мария")
    await parent.expect("Согласие записано")

    await child.press("Заполнить анкету", on="Родитель дал согласие")
    await child.expect("Вопрос 1 из 9")
    await child.type("Маша Иванова")
    await child.expect("Вопрос 2 из 9")
    await child.type("12")
    await child.press("Робототехника", on="Вопрос 3 из 9")
    await child.press("Первый год", on="Вопрос 4 из 9")
    for option in ("Роботы", "Программирование", "Готово"):
        await child.press(option, on="Вопрос 5 из 9")
    for option in ("Проект, конкурс: робототехника", "Выбор профессии", "Готово"):
        await child.press(option, on="Вопрос 6 из 9")
    await child.press("Один на один", on="Вопрос 7 из 9")
    for option in ("Среда", "Суббота", "Готово"):
        await child.press(option, on="Вопрос 8 из 9")
    await child.press("Пропустить", on="Вопрос 9 из 9")
    summary = await child.expect("Всё верно?")
    await expect(summary).to_contain_text("Маша Иванова")
    await child.press("Всё верно", on="Всё верно?")
    await child.expect("Анкета сохранена")


async def a_mentor_joins_and_the_curator_matches(page: Page) -> None:
    curator = Phone.of(page, CURATOR)
    await curator.type("/invite")
    await curator.press("наставник", on="Кого приглашаем?", exact=True)
    await curator.press("педагог – обучающийся", on="Форма наставничества?")
    await curator.press("7 дн.", on="Сколько действует ссылка?")
    await curator.press("1", on="Сколько человек может присоединиться", exact=True)
    invite = await curator.expect("Роль: наставник")

    mentor = await open_as_new(page, invite.locator("a.start-link").first, "Иван Петрович", "Наставник")
    await mentor.expect("в программе наставничества")
    adult = mentor.root.get_by_test_id("button").filter(has_text="18 или больше")
    consent = mentor.root.get_by_test_id("button").filter(has_text="Даю согласие")
    await expect(adult.or_(consent).last).to_be_visible()
    if await adult.count():
        await mentor.press("18 или больше")
    await mentor.press("Даю согласие", on="Согласие на обработку персональных данных")
    await answer_questionnaire(mentor, name="Иван Петрович", prefer=("Робототехника", "Среда", "Один на один"))

    await curator.type("/match")
    await curator.press("педагог – обучающийся", on="Подбор по формам", exact=True)
    draft = await curator.expect("Черновик подбора")
    await expect(draft).to_contain_text("Иван Петрович")
    await expect(draft).to_contain_text("Маша Иванова")
    await curator.press("Утвердить", on="Черновик подбора", exact=True)
    await curator.expect("Утверждено: пар — 1")
    child = Phone.named(page, "Маша")
    await expect(await child.expect("Твой наставник")).to_contain_text("Иван Петрович")


async def december_brings_the_quality_survey_and_the_curator_exports(page: Page) -> None:
    child = Phone.named(page, "Маша")
    curator = Phone.of(page, CURATOR)
    await page.get_by_test_id("to-12-01").click()
    await expect(page.get_by_test_id("clock")).to_have_text("вторник, 1 декабря 2026, 09:00", timeout=LONG)
    survey = await child.expect("Оценка качества программы")
    await expect(survey.get_by_test_id("button")).to_have_text(["Ответить"])

    await curator.type("/export")
    await curator.expect("Выгрузка данных программы")
    content = await curator.download("nastavnichestvo-2026-12-01.xlsx")
    assert content.startswith(b"PK")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "xl/workbook.xml" in archive.namelist()
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = " ".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row)
    assert "Маша Иванова" in cells and "Иван Петрович" in cells


async def test_before_the_bot_is_up_the_page_says_so(world: Sandbox, browser: tuple[BrowserContext, str]) -> None:
    context, _ = browser
    app = build_app()  # the page is served before the bot is attached, as `python -m bot sandbox` does
    async with serve(world, app=app, attached=False) as url:
        page = await context.new_page()
        try:
            await page.goto(url)
            loading = page.get_by_test_id("loading")
            await expect(loading).to_be_visible()
            await expect(loading).to_have_text("Бот запускается…")
            attach(app, world)
            await expect(loading).to_be_hidden()
            await expect(page.get_by_test_id(f"chat-{CURATOR}")).to_be_visible()
        finally:
            await page.close()


async def test_the_transcript_follows_the_calls_with_refusals_in_red(world: Sandbox, page: Page) -> None:
    entries = page.get_by_test_id("transcript-entry")
    await expect(entries.filter(has_text="sendMessage").first).to_be_visible()
    # A call the Bot API refuses (a chat nobody opened) is on the panel, in red, with the platform's words.
    async with ClientSession() as session:
        url = f"{world.tg.base_url}/bot{world.tg.token}/sendMessage"
        async with session.post(url, json={"chat_id": 987654, "text": "кому?"}) as response:
            assert response.status == 400
    refused = entries.filter(has_text="chat not found").last
    await expect(refused).to_be_visible()
    await expect(refused).to_have_attribute("data-ok", "false")
    await expect(refused).to_have_css("background-color", "rgb(255, 240, 240)")
    await expect(refused.locator(".method")).to_have_css("color", "rgb(217, 56, 56)")


async def a_closed_survey_answers_with_an_alert_and_an_answered_one_with_a_toast(page: Page) -> None:
    child = Phone.named(page, "Маша")
    answer = await child.press("Ответить", on="Самооценка в начале работы пары")  # its fortnight is over
    assert answer == {"text": "Этот опрос уже закрыт. Спасибо!", "alert": True}
    alert = page.get_by_test_id("alert")
    await expect(alert).to_be_visible()
    await expect(alert).to_contain_text("Этот опрос уже закрыт. Спасибо!")
    await alert.get_by_role("button", name="OK").click()
    await expect(alert).to_be_hidden()

    await child.press("Ответить", on="Оценка качества программы")
    await answer_questionnaire(child, done="Ответы сохранены")
    await child.press("Ответить", on="Оценка качества программы")
    toast = child.root.get_by_test_id("toast")
    await expect(toast).to_have_text("Ответы на этот опрос уже получены. Спасибо!")
    await expect(toast).to_be_hidden()  # it shows briefly
    await expect(alert).to_be_hidden()


async def personas_on_max_stickers_files_and_whom_a_link_can_be_opened_as(page: Page) -> None:
    await page.get_by_test_id("add-persona").click()
    dialog = page.get_by_test_id("persona-dialog")
    await dialog.get_by_test_id("persona-name").fill("Петя")
    await dialog.get_by_test_id("persona-kind").select_option(label="Ученик")
    await dialog.get_by_test_id("persona-messenger").select_option(label="MAX")
    await dialog.get_by_test_id("persona-create").click()
    petya = Phone.named(page, "Петя")
    await expect(petya.root.get_by_test_id("messenger")).to_have_text("MAX")
    await expect(page.get_by_test_id("personas")).to_contain_text("Петя")
    await petya.type("/start")
    await expect(petya.root.locator("[data-from=bot]").first).to_be_visible()

    # A Telegram link offers the Telegram personas but the one whose chat it is in; a MAX link, the MAX ones.
    chooser = page.get_by_test_id("chooser")
    curator = Phone.of(page, CURATOR)
    await (await curator.expect("Роль: наставник")).locator("a.start-link").first.click()
    await expect(chooser.locator(".choice")).to_have_text(
        ["Маша · Ученик", "Мария · Родитель", "Иван Петрович · Наставник", "Новый персонаж…"]
    )
    await chooser.get_by_test_id("chooser-cancel").click()
    await expect(chooser).to_be_hidden()
    child = Phone.named(page, "Маша")
    await (await child.expect("даёт родитель")).locator("a.start-link[data-messenger=max]").first.click()
    await expect(chooser.locator(".choice")).to_have_text(["Петя · Ученик", "Новый персонаж…"])
    await chooser.get_by_test_id("chooser-cancel").click()

    parent = Phone.named(page, "Мария")
    await parent.root.get_by_test_id("sticker").click()
    await expect(parent.root.get_by_test_id("sticker-message").last).to_have_text("👍")
    await parent.root.get_by_test_id("file-input").set_input_files(
        {"name": "справка.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 sandbox"}
    )
    await expect(parent.messages("справка.pdf").last).to_be_visible()


async def test_a_reply_keyboard_is_under_the_input_and_sends_its_text(world: Sandbox, page: Page) -> None:
    persona = world.add_persona("Оля", PersonaKind.TEACHER)
    olya = Phone.of(page, persona.key)
    await expect(olya.root.get_by_test_id("chat-kind")).to_have_text("Молодой педагог")
    keyboard = {"keyboard": [[{"text": "Да"}, {"text": "Нет"}]], "resize_keyboard": True}
    async with ClientSession() as session:  # a bot's message with a reply keyboard, as the Bot API gets it
        url = f"{world.tg.base_url}/bot{world.tg.token}/sendMessage"
        body = {"chat_id": persona.account_id, "text": "Придёте на встречу?", "reply_markup": keyboard}
        async with session.post(url, json=body) as response:
            assert response.status == 200, await response.text()
    await olya.expect("Придёте на встречу?")
    buttons = olya.root.get_by_test_id("reply-keyboard").get_by_test_id("reply-button")
    await expect(buttons).to_have_text(["Да", "Нет"])
    await buttons.filter(has_text="Да").click()
    await expect(olya.root.locator("[data-from=user]").filter(has_text="Да")).to_be_visible()
