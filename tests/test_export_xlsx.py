"""The export workbook: one sheet per table, the documents' look, real dates and numbers, text kept as text."""

from __future__ import annotations

import io
import math
import time
import zipfile
from copy import copy
from datetime import UTC, date, datetime, timedelta, timezone
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.documents import PersonRow, people_workbook
from bot.documents.xlsx import CELL_TEXT_MAX, unique_sheet_title
from bot.i18n import tr
from bot.programme import Form, Role
from bot.reports import XLSX_MIME
from bot.reports.export_xlsx import (
    DATETIME_FORMAT,
    EMPTY_SHEET_TITLE,
    FLOAT_FORMAT,
    Column,
    SheetData,
    export_workbook,
)
from bot.sandbox.telegram import FakeTelegram
from tests.conftest import CURATOR_ID, RunningBot
from tests.flows import pupil_answers, seed_participant
from tests.test_curator_sheets import printed_scale

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
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
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
    assert spent < 60  # a sanity bound only: about 0.8 s of CPU on the reference machine (openpyxl took 2 s)
    wb = load_workbook(io.BytesIO(data), read_only=True)
    assert len(wb.sheetnames) == 4
    ws = wb["Лист 3"]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 1 + 2500 and len(rows[0]) == 15
    assert rows[-1][0] == 0 and rows[-1][1] == "Ответ участника 9999 на вопрос 1" + " с продолжением" * 4
    wb.close()


# ------------------------------------------------------------------ the hand-written SpreadsheetML (read back)


def test_markup_characters_are_escaped_everywhere() -> None:
    text = "<b>Tom & \"Jerry\"</b> 'quoted' a<b && c>d ]]>"
    title = 'Q&A: <мама\'s> "лист"'
    wb = load_workbook(
        io.BytesIO(
            export_workbook(
                [SheetData(title, (Column("<&> \"'"), Column("n", "int")), [[text, 1]], note="x < y & z")],
                organization='ООО «Рога & Копыта» <"1">',
                generated=GENERATED,
            )
        )
    )
    ws = wb.active
    assert ws.title == unique_sheet_title(title, set()) == 'Q&A- <мама\'s> "лист"'
    assert ws["A1"].value == title
    assert ws["A2"].value == 'ООО «Рога & Копыта» <"1">'
    assert ws["A4"].value == "x < y & z"
    assert ws["A6"].value == "<&> \"'"
    assert ws["A7"].value == text and ws["A7"].data_type == "s"
    # The defined names quote the tab (an apostrophe doubled) and still point at this sheet.
    assert ws.print_title_rows == "$6:$6"
    assert ws.auto_filter.ref == "A6:B7"
    assert wb.properties.subject == 'ООО «Рога & Копыта» <"1">'


@pytest.mark.parametrize("text", ["=SUM(A1)", "=1+1", "@SUM(A1)", "-2+3", "#N/A", "#DIV/0!", "TRUE", "1e5", "0012"])
def test_text_that_looks_like_a_formula_error_or_number_is_text(text: str) -> None:
    ws = build([SheetData("Т", (Column("Ответ"), Column("Число", "int")), [[text, text]])]).active
    for cell in (ws["A6"], ws["B6"]):
        assert cell.value == text and cell.data_type == "s"


def test_characters_xml_cannot_hold_are_removed_and_line_breaks_kept() -> None:
    ws = build(
        [SheetData("Т", (Column("Ответ"),), [["a\x00b\x07c\x1fd\ufffee\x0b"], ["1\r\n2\r3\t4"], ["\x01\x02"]])]
    ).active
    assert ws["A6"].value == "abcde"
    assert ws["A7"].value == "1\n2\n3\t4"
    assert ws["A8"].value is None  # nothing left: an empty cell, still framed
    assert ws["A8"].border.left.style == "thin"


def test_leading_and_trailing_spaces_and_breaks_survive() -> None:
    texts = ["  два пробела впереди", "в конце  ", " с обеих сторон ", "\nс переноса", "перенос в конце\n", "\t"]
    data = export_workbook(
        [SheetData("Т", (Column("Ответ"),), [[t] for t in texts])], organization=ORG, generated=GENERATED
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert [ws.cell(row=6 + i, column=1).value for i in range(len(texts))] == texts
    # openpyxl reads the spaces either way; Excel keeps them only where the text says xml:space="preserve".
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        shared = ElementTree.fromstring(zf.read("xl/sharedStrings.xml"))
    spaces = {t.text: t.get("{http://www.w3.org/XML/1998/namespace}space") for t in shared.iter(f"{{{MAIN}}}t")}
    assert all(spaces[text] == "preserve" for text in texts)
    assert spaces["Ответ"] is None


def test_long_text_is_cut_to_the_cell_limit() -> None:
    ws = build([SheetData("Т", (Column("Ответ"),), [["я" * 40_000], ["ю" * CELL_TEXT_MAX]])]).active
    cut = ws["A6"].value
    assert len(cut) == CELL_TEXT_MAX and cut.endswith("…") and cut[:-1] == "я" * (CELL_TEXT_MAX - 1)
    assert ws["A7"].value == "ю" * CELL_TEXT_MAX  # exactly at the limit: kept whole
    assert ws.row_dimensions[7].height == 409  # Excel's tallest row


@pytest.mark.parametrize(
    "value",
    [
        datetime(1900, 1, 1),
        datetime(1900, 2, 28, 6, 0),  # before Excel's phantom 29 February 1900
        datetime(1900, 3, 1),
        datetime(2000, 2, 29, 23, 59, 59),
        datetime(2024, 12, 31, 0, 0, 1),
        datetime(2026, 3, 29, 2, 30),
        datetime(2099, 1, 1, 12, 0, 30),
    ],
)
def test_dates_and_datetimes_round_trip(value: datetime) -> None:
    ws = build([SheetData("Т", (Column("Дата", "date"), Column("Когда", "datetime")), [[value.date(), value]])]).active
    day, moment = ws["A6"], ws["B6"]
    assert (
        day.is_date and day.number_format == "DD.MM.YYYY" and day.value == datetime(value.year, value.month, value.day)
    )
    assert moment.is_date and moment.number_format == DATETIME_FORMAT and moment.value == value


def test_every_table_has_its_own_pane_filter_and_print_titles() -> None:
    wb = build(
        [
            SheetData("Первый", COLUMNS[:2], [[1, "a"]] * 3),
            SheetData("Второй", COLUMNS, ROWS, note="Заметка"),
            SheetData("Третий", COLUMNS[:1], []),
        ]
    )
    first, second, third = wb.worksheets
    assert (first.freeze_panes, first.auto_filter.ref, first.print_title_rows) == ("A6", "A5:B8", "$5:$5")
    assert (second.freeze_panes, second.auto_filter.ref, second.print_title_rows) == ("A7", "A6:F11", "$6:$6")
    assert (third.freeze_panes, third.auto_filter.ref, third.print_title_rows) == ("A6", "A5:A6", "$5:$5")
    assert all(ws.max_row == row for ws, row in ((first, 8), (second, 11), (third, 5)))


def test_sheet_without_columns_is_only_the_title_block() -> None:
    ws = build([]).active
    assert ws.freeze_panes is None and ws.auto_filter.ref is None and ws.print_title_rows is None
    assert ws["A3"].value.endswith("строк: 0")
    assert ws.page_setup.orientation == "landscape"


def test_page_setup_and_footer(sheet: Worksheet) -> None:
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    margins = sheet.page_margins
    assert (margins.left, margins.right, margins.top, margins.bottom) == (0.25, 0.25, 0.6, 0.6)  # Excel's «Узкие»
    footer = sheet.oddFooter
    assert footer.left.text == "Учёт участников (5.1): I квартал" and footer.left.size == 8
    assert footer.right.text == "Стр. &P из &N" and footer.right.size == 8


def test_footer_keeps_an_ampersand_of_the_title() -> None:
    ws = build([SheetData("Пары & группы", COLUMNS[:1], [[1]])]).active
    assert ws.oddFooter.left.text == "Пары && группы"  # «&&» is how a footer shows one «&»


def test_styles_of_the_title_block_header_and_body(sheet: Worksheet) -> None:
    title, note, header = sheet["A1"], sheet["A2"], sheet.cell(row=HEADER_ROW, column=2)
    assert title.font.b and title.font.sz == 14 and title.font.name == "Calibri"
    assert note.font.i and note.font.color.rgb == "00595959"
    assert header.font.b and header.fill.fgColor.rgb == "00DDE6F0" and header.fill.fill_type == "solid"
    assert header.alignment.horizontal == "center" and header.alignment.wrap_text
    expected = {
        1: ("right", False, "General"),
        2: (None, True, "General"),
        3: ("center", True, "DD.MM.YYYY"),
        4: ("center", True, DATETIME_FORMAT),
        5: ("right", False, FLOAT_FORMAT),
    }
    for col, (horizontal, wrap, number_format) in expected.items():
        cell = body(sheet, 3, col)  # row 3 has empty date, datetime and float cells: styled all the same
        assert cell.font.sz == 11 and not cell.font.b, col
        assert (cell.alignment.horizontal, bool(cell.alignment.wrap_text)) == (horizontal, wrap), col
        assert cell.alignment.vertical == "top" and cell.number_format == number_format, col
        assert {cell.border.left.style, cell.border.top.style, cell.border.bottom.style} == {"thin"}, col
        assert cell.border.right.color.rgb == "00A6A6A6", col


def test_header_row_grows_for_a_long_caption() -> None:
    caption = "Очень длинное название колонки, которое не помещается"
    ws = build([SheetData("Т", (Column(caption, "int", width=8),), [[1]])]).active
    assert ws["A5"].value == caption
    assert ws.row_dimensions[5].height > 15 * 3
    assert ws.column_dimensions["A"].width == 8


def test_columns_beyond_z() -> None:
    columns = [Column(f"К{i}", "int") for i in range(30)]
    ws = build([SheetData("Т", columns, [list(range(30))])]).active
    assert ws["AD6"].value == 29 and ws["AD5"].value == "К29"
    assert ws.auto_filter.ref == "A5:AD6"


def test_more_properties() -> None:
    wb = build([SheetData("Т", COLUMNS[:1], [[1]])])
    props = wb.properties
    assert props.title == "Выгрузка данных программы наставничества"
    assert props.description == f"{ORG}; сформировано 20.05.2022 10:30"
    assert props.language == "ru-RU"
    assert props.created == GENERATED


def test_same_input_same_bytes() -> None:
    sheets = [SheetData("Учёт", COLUMNS, ROWS, note="Только активные пары")]
    assert export_workbook(sheets, organization=ORG, generated=GENERATED) == export_workbook(
        sheets, organization=ORG, generated=GENERATED
    )


# ------------------------------------------------------------------------------------------------ printing


def test_a_wide_sheet_prints_on_pages_across_at_a_readable_scale_with_who_repeated() -> None:
    """18 text columns of 30 characters can't go on one A4 width at 75 %: the sheet prints on several pages
    across, each with the header row and the first (who) columns, at 75 % or larger."""
    columns = [Column("Псевдоним"), Column("ФИО"), *(Column(f"Вопрос {n}", width=30) for n in range(1, 17))]
    rows = [[f"P-{n:05d}", f"Участник {n}", *("ответ" for _ in range(16))] for n in range(1, 40)]
    ws = build([SheetData("База", columns, rows, print_columns=2)]).active
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, ws.sheet_properties.pageSetUpPr.fitToPage) == ("landscape", 9, True)
    assert setup.fitToWidth > 1 and setup.fitToHeight == 0 and setup.pageOrder == "overThenDown"
    assert ws.print_title_rows == "$5:$5" and ws.print_title_cols == "$A:$B"
    assert printed_scale(ws, len(columns)) >= 0.75


def test_a_narrow_sheet_prints_one_page_wide_at_full_size() -> None:
    ws = build([SheetData("Пары", COLUMNS[:3], [row[:3] for row in ROWS[:2]], print_columns=1)]).active
    assert ws.page_setup.fitToWidth == 1 and ws.print_title_cols is None and ws.print_title_rows == "$5:$5"
    assert printed_scale(ws, 3) == 1.0


async def test_every_sheet_of_the_export_prints_readably(tg: FakeTelegram, running: RunningBot) -> None:
    """The /export workbook a curator prints: every table A4 landscape, its header on every page, at 75 % or
    larger; a wide one on pages across with its who-columns repeated."""
    for n in range(1, 4):
        answers = pupil_answers(f"Иванова-Голенищева Мария-Антонина Сергеевна {n}", [])
        answers["expectations"] = "Собрать робота для соревнований по робототехнике и выступить на городском фестивале"
        await seed_participant(running, 800 + n, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, answers)
    curator = tg.user(CURATOR_ID)
    await curator.send("/export")
    sent = await curator.expect(tr("export-caption"))
    assert sent.document is not None
    wb = load_workbook(io.BytesIO(sent.document["content"]))
    across = []
    for ws in wb.worksheets:
        header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).font.b and r > 1)
        columns = ws.max_column
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToHeight) == ("landscape", 9, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == f"${header}:${header}", ws.title
        assert printed_scale(ws, columns) >= 0.75, ws.title
        if setup.fitToWidth > 1:
            across.append(ws.title)
            assert ws.print_title_cols in ("$A:$A", "$A:$B"), ws.title
    assert across, "long names, questions and answers make some table wider than one page at 75 %"
