"""The curator's sheets as the curator reads them back: the roadmap XLSX after a reopened item, the export's
«Ответы» sheet with the questions' texts, and the sheets' page setup for printing."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl

from bot.meetings import CheckinAnswer, Stage
from bot.monitoring import GROWTH_ENTRY
from bot.programme import Form, Role
from bot.questionnaires import load_directory
from bot.sandbox.telegram import FakeTelegram, FakeUser, SentMessage
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import mentor_answers, pupil_answers, seed_participant

MSK = ZoneInfo("Europe/Moscow")


def msk(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=MSK)


async def open_item(curator: FakeUser, number: str) -> SentMessage:
    await curator.send("/roadmap")
    home = await curator.expect("Дорожная карта внедрения ЦМН")
    await curator.click(f"{number.split('.')[0]}. ", home)
    listing = await curator.expect(f"Раздел {number.split('.')[0]}.")
    button = next(b for row in listing.buttons for b in row if b.text.endswith(f" {number}"))
    await curator.click_data(button.callback_data or "", listing.message_id)
    return await curator.expect(f"Пункт {number} ·")


async def roadmap_book(curator: FakeUser) -> openpyxl.Workbook:
    await curator.send("/roadmap")
    await curator.click("Выгрузить XLSX", await curator.expect("Дорожная карта внедрения ЦМН"))
    sent = await curator.expect("контрольный материал п. 6.1")
    assert sent.document is not None
    return openpyxl.load_workbook(io.BytesIO(sent.document["content"]))


def item_rows(book: openpyxl.Workbook) -> dict[str, dict[str, object]]:
    sheet = book["Дорожная карта"]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "№")
    header = rows[header_at]
    return {
        row[0]: dict(zip(header, row, strict=False))
        for row in rows[header_at + 1 :]
        if row and isinstance(row[0], str) and row[0][:1].isdigit() and "." in row[0] and " " not in row[0]
    }


async def test_a_reopened_roadmap_item_has_no_completion_mark_in_the_xlsx(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    curator = tg.user(CURATOR_ID)
    clock.set(msk(2026, 8, 20))
    card = await open_item(curator, "1.1")
    await curator.click("Выполнено", card)
    await curator.send("Приказ № 45")
    await curator.click("Готово", await curator.expect("отмечен выполненным (20.08.2026)"))
    card = await curator.expect("Пункт 1.1 ·")

    book = await roadmap_book(curator)
    done = item_rows(book)["1.1"]
    assert done["Статус"] == "выполнено"
    assert isinstance(done["Отметка о выполнении"], datetime)
    assert done["Отметка о выполнении"].date().isoformat() == "2026-08-20"

    await curator.click("Вернуть в работу", card)
    await curator.expect("Статус: 🟡 выполняется")
    book = await roadmap_book(curator)
    reopened = item_rows(book)["1.1"]
    assert reopened["Статус"] == "выполняется"
    assert reopened["Отметка о выполнении"] is None
    assert reopened["Примечание"] == "Отметка о выполнении от 20.08.2026 снята, пункт возвращён в работу.\nПриказ № 45"
    # The shipped roadmap prints one A4 landscape page wide, at a readable scale, the header on every page.
    sheet = book["Дорожная карта"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert printed_scale(sheet, 9) >= 0.75
    assert sheet.print_title_rows
    # The summary sheet agrees: nothing done in section 1.
    summary = book["Сводка"]
    rows = list(summary.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Раздел")
    section1 = dict(zip(header, next(r for r in rows if r and str(r[0]).startswith("1. ")), strict=False))
    assert section1["Выполнено"] == 0


def table(book: openpyxl.Workbook, title_start: str) -> list[dict[str, object]]:
    """The sheet's table as dicts by header caption (the header is the first row after the title block)."""
    sheet = book[next(t for t in book.sheetnames if t.startswith(title_start))]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "Псевдоним")
    header = rows[header_at]
    return [dict(zip(header, row, strict=False)) for row in rows[header_at + 1 :] if any(v is not None for v in row)]


async def export_book(curator: FakeUser) -> openpyxl.Workbook:
    curator.pass_over("Сводка на ")  # the daily digest, on its own schedule
    await curator.send("/export")
    sent = await curator.expect("Выгрузка данных программы", timeout=15)
    assert sent.document is not None, sent.text
    return openpyxl.load_workbook(io.BytesIO(sent.document["content"]))


async def test_the_answers_sheet_shows_the_questions_not_their_ids(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    tp = Form.TEACHER_PUPIL
    masha = await seed_participant(running, 801, Role.MENTEE_PUPIL, tp, pupil_answers("Маша", []))
    anna = await seed_participant(running, 901, Role.MENTOR, tp, mentor_answers("Анна", [], 2))
    await running.service("matching").create_pairs(tp, [ProposedGroup(anna, [(masha, 9.0, "")])], CURATOR_ID)
    campaigns, participants = running.service("campaigns"), running.service("participants")

    async def campaign(survey: str, kind: str, answers: dict[int, tuple[str, dict[str, object]]]) -> None:
        """A campaign as /campaign launches it: each recipient with the questionnaire of their role."""
        campaign_id = await campaigns.create(
            survey=survey,
            kind=kind,
            segment="active",
            title=f"Опрос {survey}",
            opens_at=clock.now(),
            closes_at=clock.now() + timedelta(days=14),
            created_by=CURATOR_ID,
            recipients=[(pid, questionnaire) for pid, (questionnaire, _) in answers.items()],
        )
        for pid, (_, values) in answers.items():
            for question_id, value in values.items():
                await participants.save_answer(pid, f"c{campaign_id}", question_id, value)
            await campaigns.complete(campaign_id, pid)

    # The mentee's questionnaire of the quality set sorts first, and has none of the mentor's own questions.
    await campaign(
        "quality",
        "quality",
        {
            masha: ("quality_mentee", {"satisfaction": 8}),
            anna: ("quality_mentor", {"satisfaction": 9, "planned": 6, "plan_done": 5, "coped": 7}),
        },
    )
    await campaign("growth", GROWTH_ENTRY, {masha: ("growth", {"motivation": 5})})

    # Check-ins after a meeting and the pair's fit are answers too.
    meetings = running.service("meetings")
    (pair,) = await running.service("matching").pairs()
    meeting = await meetings.create(pair.id, Stage.INTRO, msk(2026, 9, 3, 15), "СЮТ", None)
    await meetings.save_checkin(meeting.id, anna, CheckinAnswer.HELD, usefulness=4, note="Собрали первую модель")
    await meetings.save_checkin(meeting.id, masha, CheckinAnswer.NOT_HELD, note="Болезнь")
    await meetings.set_fit(pair.id, anna, "unsure")

    book = await export_book(tg.user(CURATOR_ID))
    answers = table(book, "Ответы")
    questionnaires = load_directory()
    ids = {q.id for questionnaire in questionnaires.values() for q in questionnaire.questions}
    assert answers and not [row for row in answers if row["Вопрос"] in ids]

    mentor = questionnaires["quality_mentor"]
    anna_rows = {
        row["Вопрос"]: row["Ответ"] for row in answers if row["ФИО"] == "Анна" and row["Анкета"] == "Опрос quality"
    }
    assert anna_rows == {
        mentor.question("satisfaction").text: "9 из 10",
        mentor.question("planned").text: "6 из 10",
        mentor.question("plan_done").text: "5 из 10",
        mentor.question("coped").text: "7 из 10",
    }
    assert anna_rows[mentor.question("coped").text] == "7 из 10"
    assert "Насколько хорошо получилось справиться с ролью наставника?" in anna_rows
    masha_rows = {row["Вопрос"]: row["Ответ"] for row in answers if row["ФИО"] == "Маша"}
    assert masha_rows[questionnaires["quality_mentee"].question("satisfaction").text] == "8 из 10"
    assert masha_rows[questionnaires["growth"].question("motivation").text] == "5 из 10"
    # The intake questionnaire's answers too.
    assert masha_rows[questionnaires["intake_mentee_pupil"].question("age").text] == "12"

    checkin = f"Отметка о встрече: встреча-знакомство, 03.09.2026 15:00, пара №{pair.id}"
    assert [(row["ФИО"], row["Вопрос"], row["Ответ"]) for row in answers if row["Анкета"] == checkin] == [
        ("Маша", "Встреча состоялась?", "Не состоялась"),
        ("Маша", "Почему встреча не состоялась?", "Болезнь"),
        ("Анна", "Встреча состоялась?", "Встреча состоялась"),
        ("Анна", "Насколько полезной была встреча? (1–5)", "4 из 5"),
        ("Анна", "Что сделали на встрече?", "Собрали первую модель"),
    ]
    fit = [row for row in answers if row["Анкета"] == f"Подходит ли пара №{pair.id}"]
    assert [(row["ФИО"], row["Вопрос"], row["Ответ"]) for row in fit] == [
        ("Анна", "Подходит ли пара после первой встречи?", "Пока не понятно")
    ]


def printed_scale(ws: openpyxl.worksheet.worksheet.Worksheet, columns: int) -> float:
    """The scale Excel prints the table at: its columns (the repeated ones on every page) over the pages across
    on A4 landscape within the sheet's side margins (a column of w characters is 7·w + 5 px at 96 dpi)."""
    from openpyxl.utils import get_column_letter

    px = [7 * (ws.column_dimensions[get_column_letter(c)].width or 8.43) + 5 for c in range(1, columns + 1)]
    repeated = 0
    if ws.print_title_cols:
        repeated = openpyxl.utils.column_index_from_string(ws.print_title_cols.split(":")[1].strip("$"))
    pages = ws.page_setup.fitToWidth
    printable = (11.69 - ws.page_margins.left - ws.page_margins.right) * 96
    needed = sum(px) + (pages - 1) * sum(px[:repeated])
    return min(1.0, printable * pages / needed)


async def test_the_mentee_base_prints_readably_on_a4_landscape(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    for n, name in enumerate(("Маша Иванова", "Петя Сидоров", "Оля Кузнецова"), start=1):
        answers = pupil_answers(name, ["Хочу собрать робота для соревнований по робототехнике"])
        await seed_participant(running, 800 + n, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, answers)
    curator = tg.user(CURATOR_ID)
    curator.pass_over("Сводка на ")
    await curator.send("/bases")
    await curator.click("База наставляемых", await curator.expect("Какую базу выгрузить?"))
    sent = await curator.expect("База наставляемых")
    assert sent.document is not None
    ws = openpyxl.load_workbook(io.BytesIO(sent.document["content"])).active
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "№")
    header = [v for v in rows[header_at] if v is not None]
    assert len(header) >= 13, header  # the intake answers make a wide table

    scale = printed_scale(ws, len(header))
    assert scale >= 0.75, scale  # 11 pt prints at 8¼ pt at the least
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, ws.sheet_properties.pageSetUpPr.fitToPage) == ("landscape", 9, True)
    assert ws.print_title_rows == f"${header_at + 1}:${header_at + 1}"  # the header on every page
    assert ws.print_title_cols == "$A:$C"  # №, Псевдоним, ФИО on every page across
    assert header[:3] == ["№", "Псевдоним", "ФИО"]
    assert setup.fitToWidth > 1 and setup.fitToHeight == 0 and setup.pageOrder == "overThenDown"
    assert ws.cell(row=header_at + 2, column=3).font.sz == 11


def test_a_narrow_table_still_prints_one_page_wide() -> None:
    from bot.documents import PersonRow, people_workbook

    person = PersonRow(
        pseudonym="P-00001",
        name="Маша",
        role="обучающийся",
        form="педагог – обучающийся",
        club=None,
        age=12,
        status="в паре",
        joined=None,
        details={},
    )
    ws = openpyxl.load_workbook(
        io.BytesIO(people_workbook("База", [person], organization="СЮТ", generated=msk(2026, 9, 1)))
    ).active
    assert ws.page_setup.fitToWidth == 1 and ws.print_title_cols is None
    assert printed_scale(ws, 9) == 1.0


def test_the_roadmap_prints_one_page_wide_even_with_long_notes_and_documents() -> None:
    from datetime import date

    from bot.roadmap import ItemState, load_roadmap
    from bot.roadmap.export import roadmap_workbook

    roadmap = load_roadmap()
    long_state = ItemState(
        done_at=date(2026, 9, 20),
        note="Приказ директора № 145-о от 20.09.2026 «Об утверждении положения о наставничестве» " * 3,
        documents=("prikaz-145-o-ob-utverzhdenii-polozheniya-o-nastavnichestve-podpisannyj.pdf",),
        reopened=True,
    )
    data = roadmap_workbook(
        roadmap,
        2026,
        date(2026, 12, 2),
        {item.number: long_state for item in roadmap.items},
        organization="СЮТ",
        generated=msk(2026, 12, 2),
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Дорожная карта"]
    assert sheet.page_setup.fitToWidth == 1 and printed_scale(sheet, 9) >= 0.75
