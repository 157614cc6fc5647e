"""The export workbook: one sheet per table, the documents' look, real dates and numbers, text kept as text."""

from __future__ import annotations

import io
import math
import time
from copy import copy
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.documents import PersonRow, people_workbook
from bot.documents.xlsx import unique_sheet_title
from bot.reports import XLSX_MIME
from bot.reports.export_xlsx import (
    DATETIME_FORMAT,
    EMPTY_SHEET_TITLE,
    FLOAT_FORMAT,
    Column,
    SheetData,
    export_workbook,
)

GENERATED = datetime(2022, 5, 20, 10, 30)
ORG = "МБУ ДО «Станция юных техников»"

COLUMNS = (
    Column("№", "int"),
    Column("Псевдоним"),
    Column("Дата включения", "date"),
    Column("Последняя встреча", "datetime"),
    Column("Средний балл", "float"),
    Column("Комментарий", width=30),
)
ROWS: list[list[object]] = [
    [1, "P-00001", date(2021, 9, 3), datetime(2022, 5, 1, 14, 30, 15, 999), 8.456, "=1+1"],
    [2, "P-00002", datetime(2021, 9, 4, 23, 0), date(2022, 5, 2), 7, "#N/A"],
    [3, '=HYPERLINK("http://x")', None, None, None, "+79990000000"],
    [4.0, "00123", date(2021, 9, 5), datetime(2022, 5, 3, 9, 5, tzinfo=timezone(timedelta(hours=3))), math.nan, None],
    ["—", True, "нет даты", "не было", "скрыто", "a\x00b\x07c"],
]
HEADER_ROW = 6  # title, organization, «Сформировано…», the note, an empty row


def build(sheets: list[SheetData]) -> Workbook:
    data = export_workbook(sheets, organization=ORG, generated=GENERATED)
    assert data[:2] == b"PK"
    return load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def sheet() -> Worksheet:
    wb = build([SheetData("Учёт участников (5.1): I квартал", COLUMNS, ROWS, note="Только активные пары")])
    return wb.worksheets[0]


def body(ws: Worksheet, row: int, col: int):  # type: ignore[no-untyped-def]
    return ws.cell(row=HEADER_ROW + row, column=col)


# ----------------------------------------------------------------------------------------- layout and titles


def test_sheets_in_order_with_sanitised_unique_titles() -> None:
    titles = ["Пары: итоги/май", "Пары: итоги/май", "Мониторинг качества программы наставничества 5.2", "history"]
    wb = build([SheetData(t, COLUMNS[:2], [[1, "a"]]) for t in titles])
    taken: set[str] = set()
    assert wb.sheetnames == [unique_sheet_title(t, taken) for t in titles]
    assert wb.sheetnames[:2] == ["Пары- итоги-май", "Пары- итоги-май (2)"]
    assert all(len(name) <= 31 for name in wb.sheetnames)
    # The full title heads each sheet even when the tab had to be cut.
    assert wb.worksheets[2]["A1"].value == titles[2]


def test_title_block(sheet: Worksheet) -> None:
    assert sheet["A1"].value == "Учёт участников (5.1): I квартал"
    assert sheet["A1"].font.b
    assert sheet["A2"].value == ORG
    assert sheet["A3"].value == "Сформировано: 20.05.2022 10:30; строк: 5"
    assert sheet["A4"].value == "Только активные пары"
    assert sheet["A5"].value is None


def test_header_is_bold_frozen_and_filtered(sheet: Worksheet) -> None:
    header = [c.value for c in sheet[HEADER_ROW]]
    assert header == [c.title for c in COLUMNS]
    assert all(c.font.b for c in sheet[HEADER_ROW])
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:F{HEADER_ROW + len(ROWS)}"
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.page_setup.orientation == "landscape"


def test_looks_like_the_documents() -> None:
    person = PersonRow("P-00001", "Иванова Мария", "наставляемый", "педагог – обучающийся", None, 12, "активен", None)
    doc = load_workbook(io.BytesIO(people_workbook("База", [person], organization=ORG, generated=GENERATED))).active
    ours = build([SheetData("База", COLUMNS[:2], [[1, "P-00001"]], note=None)]).active
    doc_header = next(r for r in range(1, 10) if doc.cell(row=r, column=1).value == "№")
    our_header = next(r for r in range(1, 10) if ours.cell(row=r, column=1).value == "№")
    assert doc_header == our_header == 5

    def style(cell: Cell, attr: str) -> object:
        return copy(getattr(cell, attr))  # a style proxy compares by identity; its copy by value

    for attr in ("font", "fill", "border", "alignment"):
        for r, c in ((0, 1), (1, 2)):  # the header, a text cell
            assert style(doc.cell(row=doc_header + r, column=c), attr) == style(
                ours.cell(row=our_header + r, column=c), attr
            ), (attr, r, c)
    assert style(doc["A1"], "font") == style(ours["A1"], "font")
    assert style(doc["A2"], "font") == style(ours["A2"], "font")


def test_column_widths(sheet: Worksheet) -> None:
    widths = {key: dim.width for key, dim in sheet.column_dimensions.items()}
    assert widths["F"] == 30  # explicit
    assert widths["C"] == 12  # dates
    assert widths["D"] == 18  # date and time
    assert 6 <= widths["A"] <= 14
    assert 10 <= widths["B"] <= 50


def test_long_text_makes_a_taller_row() -> None:
    long = "Очень длинный комментарий куратора, который не помещается в одну строку узкой колонки. " * 3
    ws = build([SheetData("Т", (Column("Текст", width=20),), [["коротко"], [long]])]).active
    header = 5
    assert ws.row_dimensions[header + 1].height is None
    assert ws.row_dimensions[header + 2].height > 15 * 5


# -------------------------------------------------------------------------------------------------- values


def test_dates_are_real_dates(sheet: Worksheet) -> None:
    cell = body(sheet, 1, 3)
    assert cell.is_date and cell.number_format == "DD.MM.YYYY"
    assert cell.value.date() == date(2021, 9, 3)
    # A datetime in a date column keeps only its date.
    assert body(sheet, 2, 3).value == datetime(2021, 9, 4)


def test_datetimes_are_real_datetimes(sheet: Worksheet) -> None:
    cell = body(sheet, 1, 4)
    assert cell.is_date and cell.number_format == DATETIME_FORMAT
    assert cell.value == datetime(2022, 5, 1, 14, 30, 15)
    assert body(sheet, 2, 4).value == datetime(2022, 5, 2, 0, 0)  # a date at midnight
    # An aware datetime is written with its own wall-clock time: the caller converts to local time.
    assert body(sheet, 4, 4).value == datetime(2022, 5, 3, 9, 5)


def test_numbers_are_numbers(sheet: Worksheet) -> None:
    score = body(sheet, 1, 5)
    assert score.data_type == "n" and isinstance(score.value, float)
    assert score.value == pytest.approx(8.456) and score.number_format == FLOAT_FORMAT
    assert body(sheet, 2, 5).value == 7.0 and body(sheet, 2, 5).number_format == FLOAT_FORMAT
    assert body(sheet, 1, 1).value == 1 and body(sheet, 1, 1).data_type == "n"
    assert body(sheet, 4, 1).value == 4  # an integral float in an int column
    assert body(sheet, 4, 5).value is None  # NaN is left empty


def test_formula_like_text_stays_text(sheet: Worksheet) -> None:
    for row, col, text in [
        (1, 6, "=1+1"),
        (2, 6, "#N/A"),
        (3, 2, '=HYPERLINK("http://x")'),
        (3, 6, "+79990000000"),
        (4, 2, "00123"),
    ]:
        cell = body(sheet, row, col)
        assert cell.value == text and cell.data_type == "s", (row, col)


def test_strings_in_typed_columns_and_other_values(sheet: Worksheet) -> None:
    row = [body(sheet, 5, c) for c in range(1, 7)]
    assert [c.value for c in row] == ["—", "да", "нет даты", "не было", "скрыто", "abc"]
    assert all(c.data_type == "s" for c in row)


def test_empty_sheet_list_gives_one_sheet() -> None:
    wb = build([])
    assert wb.sheetnames == [EMPTY_SHEET_TITLE]
    assert wb.active["A1"].value == EMPTY_SHEET_TITLE


def test_sheet_without_rows_keeps_header_and_filter() -> None:
    ws = build([SheetData("Пусто", COLUMNS, [])]).active
    assert [c.value for c in ws[5]] == [c.title for c in COLUMNS]
    assert ws.auto_filter.ref == "A5:F6"
    assert ws["A3"].value.endswith("строк: 0")


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="row 1"):
        export_workbook([SheetData("Т", COLUMNS, [[1, 2]])], organization=ORG, generated=GENERATED)
    with pytest.raises(ValueError):
        Column("x", "money")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Column("x", width=0)


def test_properties() -> None:
    data = export_workbook([SheetData("Т", COLUMNS[:1], [[1]])], organization=ORG, generated=GENERATED)
    wb = load_workbook(io.BytesIO(data))
    assert wb.properties.creator == "Nastavnik"
    assert wb.properties.subject == ORG
    assert XLSX_MIME.endswith("spreadsheetml.sheet")


# --------------------------------------------------------------------------------------------------- scale


def test_ten_thousand_rows_by_fifteen_columns() -> None:
    kinds = ("int", "text", "text", "date", "datetime", "float", "text", "int", "text", "float", "text", "date")
    columns = [Column(f"Колонка {i}", kind) for i, kind in enumerate((*kinds, "text", "text", "float"))]
    start = datetime(2021, 9, 1, 9, 0, tzinfo=UTC)

    def row(i: int) -> list[object]:
        values: list[object] = []
        for c, col in enumerate(columns):
            if col.kind == "int":
                values.append(i * c)
            elif col.kind == "float":
                values.append(i / 7)
            elif col.kind == "date":
                values.append(start.date() + timedelta(days=i % 300))
            elif col.kind == "datetime":
                values.append(start + timedelta(hours=i))
            else:
                values.append(f"Ответ участника {i} на вопрос {c}" + (" с продолжением" * (i % 5)))
        return values

    sheets = [SheetData(f"Лист {k}", columns, [row(i) for i in range(k * 2500, (k + 1) * 2500)]) for k in range(4)]
    began = time.process_time()
    data = export_workbook(sheets, organization=ORG, generated=GENERATED)
    spent = time.process_time() - began
    assert spent < 60  # a sanity bound only: about 2 s of CPU on the reference machine
    wb = load_workbook(io.BytesIO(data), read_only=True)
    assert len(wb.sheetnames) == 4
    ws = wb["Лист 3"]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 1 + 2500 and len(rows[0]) == 15
    assert rows[-1][0] == 0 and rows[-1][1] == "Ответ участника 9999 на вопрос 1" + " с продолжением" * 4
    wb.close()
