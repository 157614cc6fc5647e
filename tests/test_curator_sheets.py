"""The curator's sheets as the curator reads them back: the roadmap XLSX after a reopened item, the export's
«Ответы» sheet with the questions' texts, and the sheets' page setup for printing."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl

from tests.conftest import CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.fakes.telegram import FakeTelegram, FakeUser, SentMessage

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
    # The summary sheet agrees: nothing done in section 1.
    summary = book["Сводка"]
    rows = list(summary.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Раздел")
    section1 = dict(zip(header, next(r for r in rows if r and str(r[0]).startswith("1. ")), strict=False))
    assert section1["Выполнено"] == 0
