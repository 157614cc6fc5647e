"""Stories across the two messengers: one app with Telegram's adapter on the fake Bot API and MAX's on the fake
MAX, people on either. A child on Telegram whose parent consents on MAX (and the other way round), a curator on
MAX with /participants and /export, a mentor on MAX reminded of a meeting by the scheduler, and a withdrawal on
MAX that leaves no byte of the person in the database file or its WAL."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import openpyxl
import pytest

from bot.consent import ConsentKind, render
from bot.flows.events import Messenger, Person
from bot.i18n import Audience, tr
from bot.meetings import Stage
from bot.programme import INTAKE_BY_ROLE, Form, Role
from bot.sandbox.max import FakeMax
from bot.sandbox.telegram import FakeTelegram
from bot.settings import Settings
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID, ErrorsGuard, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import mentor_answers, pupil_answers
from tests.frontends.max import MaxFrontEnd, MaxPerson, fake_max
from tests.frontends.telegram import TelegramFrontEnd, TelegramPerson
from tests.test_withdrawal import found_in_files, id_encodings, name_encodings

#: A curator on MAX beside CURATOR_IDS' two on Telegram.
MAX_CURATOR = 3000
TODAY = "07.09.2026"
_LINK = re.compile(r"https://(t\.me|max\.ru)/\w+\?start=([A-Za-z0-9_-]+)")


def start_codes(text: str) -> dict[str, str]:
    """The start links in a text by messenger host ("t.me", "max.ru") → the code after `?start=`."""
    return {host: code for host, code in _LINK.findall(text)}


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    """CURATOR_IDS' curators on Telegram and one on MAX."""
    made = make_settings()
    owners = made.telegram.curator_ids | {Person(Messenger.MAX, MAX_CURATOR)}  # CURATOR_IDS=1000,1001,max:3000
    return dataclasses.replace(made, telegram=made.telegram.model_copy(update={"curator_ids": owners}))


@pytest.fixture
async def fake(errors_guard: ErrorsGuard) -> AsyncIterator[FakeMax]:
    async with fake_max() as server:
        errors_guard.watch(server)  # type: ignore[arg-type]
        yield server


@pytest.fixture
async def both(
    tg: FakeTelegram, running: RunningBot, fake: FakeMax, settings: Settings, clock: FakeClock
) -> AsyncIterator[tuple[TelegramFrontEnd, MaxFrontEnd]]:
    """The running app (Telegram's) with MAX's runtime on the same core."""
    assert running.app is not None
    async with MaxFrontEnd.open(fake, settings, clock, services=running.app.services) as on_max:
        on_max.person(MAX_CURATOR, "Куратор в MAX")
        yield TelegramFrontEnd(tg, running), on_max


async def invite(services: Any, role: Role, form: Form = Form.TEACHER_PUPIL) -> str:
    created = await services["invites"].create(role, form, CURATOR_ID, days=None, max_uses=None)
    return str(created.code)


async def child_gets_the_parents_link(child: TelegramPerson | MaxPerson, code: str) -> dict[str, str]:
    await child.send(f"/start {code}")
    await child.expect("Привет! Ты в программе наставничества")
    age = await child.expect("сколько тебе лет?")
    await child.press("Меньше 14", age)
    link = await child.expect("даёт родитель")
    return start_codes(link.text)


async def parent_consents(parent: TelegramPerson | MaxPerson, code: str) -> None:
    await parent.send(f"/start {code}")
    await parent.expect("Здравствуйте! Вас просят дать согласие")
    document = await parent.expect("Согласие на обработку персональных данных")
    await parent.press("Даю согласие", document)
    await parent.press("мать", await parent.expect("Кем вы приходитесь ребёнку?"))
    await parent.expect("фамилию и имя")
    await parent.send("Иванова Мария")
    done = await parent.expect("Согласие записано")
    assert done.text.startswith(f"Согласие записано ({TODAY} 12:00). Спасибо!")


async def seed(services: Any, messenger: Messenger, account: int, role: Role, answers: dict[str, object]) -> int:
    """A consented participant on `messenger` with the intake done, through the repositories."""
    code = await invite(services, role)
    repo = services["participants"]
    person = await repo.join(account, await services["invites"].get(code), messenger)
    adult = role is Role.MENTOR
    await repo.set_adult(person.id, adult, None)
    kind = ConsentKind.SELF if adult else ConsentKind.PARENT
    await repo.record_consent(person.id, render("СЮТ", kind), kind=kind, given_by=account, given_by_messenger=messenger)
    for question_id, value in answers.items():
        await repo.save_answer(person.id, INTAKE_BY_ROLE[role], question_id, value)
    await repo.mark_survey_done(person.id)
    return int(person.id)


# --- the stories ------------------------------------------------------------------------------------------------
async def test_a_child_on_telegram_and_the_parent_on_max(both: tuple[TelegramFrontEnd, MaxFrontEnd]) -> None:
    telegram, on_max = both
    child, parent = telegram.person(731, "Маша"), on_max.person(601, "Мария")
    codes = await child_gets_the_parents_link(child, await invite(on_max.services, Role.MENTEE_PUPIL))
    assert set(codes) == {"t.me", "max.ru"} and codes["t.me"] == codes["max.ru"]  # one code, either messenger

    await parent_consents(parent, codes["max.ru"])  # the child forwarded it; the parent opens it in MAX
    told = await child.expect("Родитель дал согласие", eventually=True)
    assert told.buttons == ["Заполнить анкету"]
    first = await child.press("Заполнить анкету", told)
    assert "Вопрос 1 из" in first.text or "Анкета" in first.text
    child_row = await on_max.services["participants"].by_account(Messenger.TELEGRAM, 731)
    record = await on_max.services["participants"].consent(child_row.id)
    assert (record.given_by, record.given_by_messenger, record.parent_name) == (601, Messenger.MAX, "Иванова Мария")
    menu = await parent.open_menu()  # the parent's menu is on MAX, where they consented
    assert menu.text.startswith("Меню родителя")


async def test_a_child_on_max_and_the_parent_on_telegram(both: tuple[TelegramFrontEnd, MaxFrontEnd]) -> None:
    telegram, on_max = both
    child, parent = on_max.person(732, "Коля"), telegram.person(602, "Анна")
    codes = await child_gets_the_parents_link(child, await invite(on_max.services, Role.MENTEE_PUPIL))
    assert set(codes) == {"t.me", "max.ru"} and codes["t.me"] == codes["max.ru"]

    await parent_consents(parent, codes["t.me"])
    told = await child.expect("Родитель дал согласие", eventually=True)
    assert told.buttons == ["Заполнить анкету"]
    first = await child.press("Заполнить анкету", told)
    assert "Вопрос 1 из" in first.text or "Анкета" in first.text
    child_row = await on_max.services["participants"].by_account(Messenger.MAX, 732)
    record = await on_max.services["participants"].consent(child_row.id)
    assert (record.given_by, record.given_by_messenger) == (602, Messenger.TELEGRAM)


async def test_a_curator_on_max_lists_the_participants_and_exports_a_workbook(
    both: tuple[TelegramFrontEnd, MaxFrontEnd],
) -> None:
    _, on_max = both
    services = on_max.services
    await seed(services, Messenger.TELEGRAM, 741, Role.MENTEE_PUPIL, pupil_answers("Маша Иванова", []))
    await seed(services, Messenger.MAX, 941, Role.MENTOR, mentor_answers("Иван Петрович", [], 1))
    curator = on_max.person(MAX_CURATOR)

    await curator.send("/participants")
    summary = await curator.expect("Участники программы: 2")
    page = await curator.press(f"{tr('btn-show-list')}: {tr('list-all')}", summary)
    assert any("Маша Иванова" in b for b in page.buttons) and any("Иван Петрович" in b for b in page.buttons)

    await curator.send("/export")
    [workbook] = await curator.received_files(1)
    assert workbook.name.endswith(".xlsx") and not workbook.photo and workbook.content.startswith(b"PK")
    book = openpyxl.load_workbook(io.BytesIO(workbook.content), read_only=True)
    cells = " ".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row)
    assert "Маша Иванова" in cells and "Иван Петрович" in cells
    assert len(book.sheetnames) > 1
    with zipfile.ZipFile(io.BytesIO(workbook.content)) as archive:
        assert "xl/workbook.xml" in archive.namelist()


async def test_a_mentor_on_max_is_reminded_of_the_meeting(
    both: tuple[TelegramFrontEnd, MaxFrontEnd], clock: FakeClock
) -> None:
    telegram, on_max = both
    services = on_max.services
    mentee_id = await seed(services, Messenger.TELEGRAM, 751, Role.MENTEE_PUPIL, pupil_answers("Маша Иванова", []))
    mentor_id = await seed(services, Messenger.MAX, 951, Role.MENTOR, mentor_answers("Иван Сергеевич", [], 1))
    [pair_id] = await services["matching"].create_pairs(
        Form.TEACHER_PUPIL, [ProposedGroup(mentor_id, [(mentee_id, 9.0, "")])], CURATOR_ID
    )
    starts = datetime(2026, 9, 10, 13, 30, tzinfo=UTC)  # 16:30 in Moscow
    await services["meetings"].create(pair_id, Stage.INTRO, starts, "кабинет 12", "Знакомство")
    mentor, mentee = on_max.person(951, "Иван"), telegram.person(751, "Маша")

    clock.set(datetime(2026, 9, 9, 13, 30, tzinfo=UTC))  # 24 hours before
    await on_max.tick()
    expected = "Напоминание: через 24 часа — встреча-знакомство.\nКогда: 10.09.2026 16:30\nГде: кабинет 12"
    assert (await mentor.expect("Напоминание", eventually=True)).text == expected
    assert (await mentee.expect("Напоминание", eventually=True)).text == expected
    rows = await services["db"].fetchall("SELECT messenger, chat_id FROM outbox WHERE text LIKE 'Напоминание%'")
    assert sorted((r["messenger"], r["chat_id"]) for r in rows) == [("max", 951), ("telegram", 751)]


async def test_a_withdrawal_on_max_leaves_nothing(both: tuple[TelegramFrontEnd, MaxFrontEnd]) -> None:
    telegram, on_max = both
    services = on_max.services
    name, account = "Эвелина Зарецкая-Оболенская", 987654321123
    achievements = "Победитель конкурса «Квантоборец-Прометей» по схемотехнике"
    answers = mentor_answers(name, [], 1) | {"achievements": achievements}
    mentor_id = await seed(services, Messenger.MAX, account, Role.MENTOR, answers)
    mentee_id = await seed(services, Messenger.TELEGRAM, 802, Role.MENTEE_PUPIL, pupil_answers("Маша Иванова", []))
    group = ProposedGroup(mentor_id, [(mentee_id, 9.0, "")])
    await services["matching"].create_pairs(Form.TEACHER_PUPIL, [group], CURATOR_ID)
    mentor, mentee, curator = on_max.person(account, name), telegram.person(802), on_max.person(MAX_CURATOR)
    # Her answers and a question to the curator signed with her name: rows about her, and notices quoting it.
    await mentor.send("/ask")
    await mentor.expect("Напишите вопрос")
    await mentor.send(f"Это {name}. Можно взять ещё одного наставляемого?")
    await mentor.expect(tr("ask-sent"))
    await curator.expect("Вопрос от участника", eventually=True)
    path = services["db"].path
    needles = {**name_encodings(name), **id_encodings(account), "the answer": achievements.encode()}
    assert found_in_files(path, needles), "the scan must see her before the withdrawal"

    await mentor.send("/forget")
    confirm = await mentor.expect("Отозвать согласие?")
    done = await mentor.press(tr("btn-forget-yes"), confirm)
    assert done.text == tr("forget-done", audience=Audience.ADULT)
    await mentee.expect(tr("mentor-left", audience=Audience.PUPIL), eventually=True)
    notice = await curator.expect("отозвал согласие", eventually=True)
    assert name not in notice.text

    db = services["db"]
    assert await db.fetchval("SELECT COUNT(*) FROM participants WHERE id=? OR account_id=?", (mentor_id, account)) == 0
    for table in ("answers", "consents", "questions"):
        assert await db.fetchval(f"SELECT COUNT(*) FROM {table} WHERE participant_id=?", (mentor_id,)) == 0
    assert await db.fetchval("SELECT COUNT(*) FROM outbox WHERE chat_id=?", (account,)) == 0
    leftovers = found_in_files(path, needles)
    assert not leftovers, leftovers
    await mentor.send("/menu")
    await mentor.expect("пока не участник программы", eventually=True)
