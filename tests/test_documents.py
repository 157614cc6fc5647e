"""The curator's documents (roadmap 4.4): open the produced bytes with openpyxl / python-docx and check them."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl.worksheet.worksheet import Worksheet

from bot.documents import OrderInfo, PairRow, PersonRow, order_docx, pairs_workbook, people_workbook
from bot.documents.docx_order import STAGES, TABLE_HEADERS
from bot.documents.model import clean_line, clean_text
from bot.documents.xlsx import PAIR_COLUMNS, PEOPLE_COLUMNS, unique_sheet_title

ROOT = Path(__file__).resolve().parents[1]
ORG = "МБУ ДО «Станция юных техников»"
GENERATED = datetime(2026, 9, 15, 10, 30)
TEACHER = "педагог – обучающийся"
PEER = "ученик – ученик"
EMPLOYER = "работодатель – ученик"
NASTY = "Ёлка 😀 «кавычки» \"двойные\" 'одинарные' & <b>теги</b> > <"


def pair(number: int, form: str = TEACHER, *mentees: str, **kw: object) -> PairRow:
    values: dict[str, object] = {
        "number": number,
        "form": form,
        "mentor": f"Наставник {number}",
        "mentor_position": "педагог дополнительного образования",
        "mentees": mentees or (f"Наставляемый {number}",),
        "score": 10.5,
        "reasons": "Запрос «Робототехника» — компетенция наставника",
        "confirmed": date(2026, 9, 10),
    }
    values.update(kw)
    return PairRow(**values)  # type: ignore[arg-type]


PAIRS = [
    pair(1, TEACHER, "Иванова Мария"),
    pair(2, PEER, "Орлов Илья", "Смирнова Вера", "Тихонов Олег", score=None, reasons=None),
    pair(3, TEACHER, "Кузнецов Пётр", mentor_position=None, confirmed=date(2026, 9, 12)),
    pair(4, EMPLOYER, "Волков Артём", score=3.25),
]


def person(pseudonym: str, **kw: object) -> PersonRow:
    values: dict[str, object] = {
        "pseudonym": pseudonym,
        "name": "Иванова Мария",
        "role": "наставляемый-обучающийся",
        "form": TEACHER,
        "club": "Робототехника",
        "age": 12,
        "status": "в паре",
        "joined": date(2026, 9, 3),
        "details": {},
    }
    values.update(kw)
    return PersonRow(**values)  # type: ignore[arg-type]


def info(**kw: object) -> OrderInfo:
    values: dict[str, object] = {
        "organization": ORG,
        "city": "г. Тула",
        "order_date": date(2026, 9, 15),
        "order_number": None,
        "curator": "Петрова Анна Сергеевна",
        "director": "И. И. Иванов",
        "programme_year": "2026/2027",
        "regulation_date": date(2026, 9, 1),
        "regulation_number": "12-од",
    }
    values.update(kw)
    return OrderInfo(**values)  # type: ignore[arg-type]


def load(data: bytes) -> openpyxl.Workbook:
    assert zipfile.is_zipfile(io.BytesIO(data))
    return openpyxl.load_workbook(io.BytesIO(data))


def header_row(ws: Worksheet) -> int:
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        if cell.value == "№":
            return cell.row
    raise AssertionError(f"no header row in {ws.title!r}")


def table(ws: Worksheet) -> tuple[list[str], list[tuple[object, ...]]]:
    """(header captions, data rows as values) of a sheet's table."""
    h = header_row(ws)
    rows = list(ws.iter_rows(min_row=h, values_only=True))
    return list(rows[0]), [r for r in rows[1:] if any(v is not None for v in r)]


def column(ws: Worksheet, caption: str) -> int:
    return table(ws)[0].index(caption) + 1


# --- pairs workbook --------------------------------------------------------------------------------------------


def test_pairs_workbook_has_sheet_all_then_one_per_form_in_first_seen_order() -> None:
    wb = load(pairs_workbook(PAIRS, organization=ORG, generated=GENERATED))
    assert wb.sheetnames == ["Все", TEACHER, PEER, EMPLOYER]
    assert [r[0] for r in table(wb["Все"])[1]] == [1, 2, 3, 4]
    assert [r[0] for r in table(wb[TEACHER])[1]] == [1, 3]
    assert [r[0] for r in table(wb[PEER])[1]] == [2]
    assert [r[0] for r in table(wb[EMPLOYER])[1]] == [4]
    # the full label of the form is in the form sheet's title block
    assert any(c.value == f"Форма наставничества: {PEER}" for c in wb[PEER]["A"])


def test_pairs_sheet_header_and_values() -> None:
    ws = load(pairs_workbook(PAIRS, organization=ORG, generated=GENERATED))["Все"]
    header, rows = table(ws)
    assert header == list(PAIR_COLUMNS)
    assert header == [
        "№",
        "Форма",
        "Наставник",
        "Должность",
        "Наставляемые",
        "Вид",
        "Оценка подбора",
        "Основания",
        "Дата закрепления",
    ]
    first, group = rows[0], rows[1]
    assert first[:6] == (1, TEACHER, "Наставник 1", "педагог дополнительного образования", "Иванова Мария", "пара")
    assert first[6] == 10.5
    assert first[7] == "Запрос «Робототехника» — компетенция наставника"
    assert group[4] == "Орлов Илья\nСмирнова Вера\nТихонов Олег"  # one mentee per line
    assert group[5] == "группа (3)"
    assert group[6] is None and group[7] is None  # set by hand: no score, no reasons
    assert rows[2][3] is None  # no position
    # title block: the title, the organization, when it was generated
    assert ws["A1"].value == "Наставнические пары и группы"
    assert ws["A1"].font.b
    texts = [c.value for c in ws["A"][: header_row(ws) - 1] if c.value]
    assert ORG in texts
    assert any("15.09.2026 10:30" in t for t in texts)


def test_pairs_date_cells_are_real_dates() -> None:
    ws = load(pairs_workbook(PAIRS, organization=ORG, generated=GENERATED))["Все"]
    col = column(ws, "Дата закрепления")
    cell = ws.cell(row=header_row(ws) + 3, column=col)
    assert cell.is_date
    assert cell.data_type == "n" or cell.data_type == "d"
    assert cell.number_format == "DD.MM.YYYY"
    assert cell.value == datetime(2026, 9, 12)
    score = ws.cell(row=header_row(ws) + 1, column=column(ws, "Оценка подбора"))
    assert score.data_type == "n" and score.number_format == "0.0"


def test_pairs_sheet_formatting() -> None:
    wb = load(pairs_workbook(PAIRS, organization=ORG, generated=GENERATED))
    for ws in wb.worksheets:
        h = header_row(ws)
        last = h + len(table(ws)[1])
        assert ws.freeze_panes == f"A{h + 1}"
        assert ws.auto_filter.ref == f"A{h}:I{last}"
        assert ws.print_title_rows == f"${h}:${h}"
        assert ws.page_setup.orientation == "landscape"
        for cell in ws[h]:
            assert cell.font.b and cell.fill.fgColor.rgb.endswith("DDE6F0")
            assert cell.alignment.wrap_text
            assert cell.border.bottom.style == "thin"
        for letter in "ABCDEFGHI":
            width = ws.column_dimensions[letter].width
            assert 5 <= width <= 60, (letter, width)
        mentees = ws.cell(row=h + 1, column=column(ws, "Наставляемые"))
        assert mentees.alignment.wrap_text and mentees.alignment.vertical == "top"
    assert wb.properties.title == "Наставнические пары и группы"
    assert wb.properties.subject == ORG
    assert wb.properties.created == GENERATED


def test_long_text_wraps_in_a_bounded_column_and_the_row_grows() -> None:
    long_name = "Константинопольская-Оглы Мария-Антуанетта Александровна " * 3
    reasons = "Запрос совпадает с компетенцией наставника; одно объединение; взаимный выбор. " * 6
    ws = load(pairs_workbook([pair(1, TEACHER, long_name, reasons=reasons)], organization=ORG, generated=GENERATED))[
        "Все"
    ]
    h = header_row(ws)
    assert ws.column_dimensions["E"].width <= 34
    assert ws.column_dimensions["H"].width <= 60
    assert ws.cell(row=h + 1, column=5).value == long_name.strip()
    assert ws.row_dimensions[h + 1].height >= 4 * 15  # the long reasons take several lines


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Все", "Все"),
        ("a/b: c?*[x]\\y", "a-b- c---x--y"),
        ("'в кавычках'", "в кавычках"),
        ("", "Лист"),
        ("   ", "Лист"),
        ("строка\nс переносом\tи\x07звонком", "строка с переносом извонком"),
        ("ф" * 40, "ф" * 31),
        ("😀" * 20, "😀" * 15),  # an emoji is two UTF-16 units
    ],
)
def test_unique_sheet_title_sanitises(label: str, expected: str) -> None:
    assert unique_sheet_title(label, set()) == expected


def test_unique_sheet_title_is_unique_ignoring_case_and_avoids_reserved_names() -> None:
    taken: set[str] = set()
    assert unique_sheet_title("Все", taken) == "Все"
    assert unique_sheet_title("ВСЕ", taken) == "ВСЕ (2)"
    assert unique_sheet_title("все", taken) == "все (3)"
    assert unique_sheet_title("History", set()) == "History (2)"
    long = "работодатель – обучающийся колледжа (вариант)"
    first = unique_sheet_title(long + " А", taken)
    second = unique_sheet_title(long + " Б", taken)
    assert first == long[:31].rstrip()
    assert second == long[:27].rstrip() + " (2)"
    assert len(second) <= 31


def test_form_sheet_titles_are_valid_and_unique_when_labels_collide_after_truncation() -> None:
    common = "работодатель – обучающийся по программе"  # 39 characters: the first 31 are the same
    forms = [f"{common} А", f"{common} Б", "студент/ученик: [пилот]?", "ВСЕ", "Все"]
    pairs = [pair(i, form) for i, form in enumerate(forms, 1)]
    wb = load(pairs_workbook(pairs, organization=ORG, generated=GENERATED))
    names = wb.sheetnames
    assert names[0] == "Все"
    assert len(names) == 1 + 5  # «ВСЕ» and «Все» are two forms, but sheet titles must differ ignoring case
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
    assert names[1] == common[:31]
    assert names[2] == common[:27].rstrip() + " (2)"
    assert names[3] == "студент-ученик- -пилот--"
    assert names[4:] == ["ВСЕ (2)", "Все (3)"]
    # each form sheet holds its own pairs and names its form in full
    assert [r[1] for r in table(wb[names[2]])[1]] == [f"{common} Б"]
    assert [r[1] for r in table(wb[names[4]])[1]] == ["ВСЕ"]
    assert [r[1] for r in table(wb[names[5]])[1]] == ["Все"]
    assert any(c.value == f"Форма наставничества: {common} Б" for c in wb[names[2]]["A"])


def test_empty_pairs_give_a_sheet_all_with_a_header() -> None:
    wb = load(pairs_workbook([], organization=ORG, generated=GENERATED))
    assert wb.sheetnames == ["Все"]
    header, rows = table(wb["Все"])
    assert header == list(PAIR_COLUMNS) and rows == []


def test_user_text_survives_in_xlsx() -> None:
    evil = [
        pair(1, NASTY, NASTY, "=1+1", "#N/A", "+7 (900) 000-00-00", "00123", mentor='=HYPERLINK("http://x")'),
        pair(2, TEACHER, "Bell\x07 and\x00 nul\x1b esc\ud800 surrogate", reasons="строка 1\r\nстрока 2\rстрока 3"),
        pair(3, TEACHER, "Я" * 40000),
    ]
    wb = load(pairs_workbook(evil, organization=NASTY, generated=GENERATED))
    ws = wb["Все"]
    h = header_row(ws)
    mentor = ws.cell(row=h + 1, column=3)
    assert mentor.value == '=HYPERLINK("http://x")' and mentor.data_type == "s"
    mentees = ws.cell(row=h + 1, column=5)
    assert mentees.value == f"{NASTY}\n=1+1\n#N/A\n+7 (900) 000-00-00\n00123"
    assert mentees.data_type == "s"
    assert ws.cell(row=h + 1, column=2).value == NASTY
    assert ws.cell(row=h + 2, column=5).value == "Bell and nul esc\ufffd surrogate"
    assert ws.cell(row=h + 2, column=8).value == "строка 1\nстрока 2\nстрока 3"
    assert len(ws.cell(row=h + 3, column=5).value) == 32767  # Excel's cell limit
    assert NASTY in [c.value for c in ws["A"]]


# --- people workbook -------------------------------------------------------------------------------------------


def test_people_workbook_columns_values_and_details_union() -> None:
    people = [
        person("P-00001", details={"Запрос": "Робототехника, Выбор профессии", "Интересы": "3D"}),
        person(
            "P-00002",
            name="",
            club=None,
            age=None,
            joined=None,
            status="ждёт согласия",
            details={"Свободные дни": "пн, ср", "Запрос": "Пайка"},
        ),
        person("P-00003", details={}),
    ]
    wb = load(people_workbook("База наставляемых", people, organization=ORG, generated=GENERATED))
    assert wb.sheetnames == ["База наставляемых"]
    ws = wb.active
    header, rows = table(ws)
    assert header == [*PEOPLE_COLUMNS, "Запрос", "Интересы", "Свободные дни"]
    assert header[:9] == [
        "№",
        "Псевдоним",
        "ФИО",
        "Роль",
        "Форма",
        "Объединение",
        "Возраст",
        "Статус",
        "Дата включения",
    ]
    assert rows[0] == (
        1,
        "P-00001",
        "Иванова Мария",
        "наставляемый-обучающийся",
        TEACHER,
        "Робототехника",
        12,
        "в паре",
        datetime(2026, 9, 3),
        "Робототехника, Выбор профессии",
        "3D",
        None,
    )
    assert rows[1] == (
        2,
        "P-00002",
        None,
        "наставляемый-обучающийся",
        TEACHER,
        None,
        None,
        "ждёт согласия",
        None,
        "Пайка",
        None,
        "пн, ср",
    )
    assert rows[2][0] == 3 and rows[2][9:] == (None, None, None)
    h = header_row(ws)
    joined = ws.cell(row=h + 1, column=9)
    assert joined.is_date and joined.number_format == "DD.MM.YYYY"
    assert ws.cell(row=h + 1, column=7).data_type == "n"
    assert ws["A1"].value == "База наставляемых"
    assert wb.properties.title == "База наставляемых"


def test_people_workbook_formatting() -> None:
    people = [person("P-00001", details={"Какие темы вам интересны в программе наставничества?": "x" * 300})]
    ws = load(people_workbook("База наставников", people, organization=ORG, generated=GENERATED)).active
    h = header_row(ws)
    assert ws.freeze_panes == f"D{h + 1}"  # №, Псевдоним, ФИО stay in sight
    assert ws.auto_filter.ref == f"A{h}:J{h + 1}"
    assert all(c.font.b for c in ws[h])
    assert ws.column_dimensions["J"].width <= 45
    answer = ws.cell(row=h + 1, column=10)
    assert answer.value == "x" * 300 and answer.alignment.wrap_text
    assert ws.row_dimensions[h + 1].height > 15  # the long answer wraps over several lines


def test_people_workbook_details_keep_line_breaks_and_odd_characters() -> None:
    people = [person(NASTY, name=NASTY, details={NASTY: "первая строка\nвторая 😀", "=SUM(A1)": "=SUM(A1)"})]
    ws = load(people_workbook("База наставляемых", people, organization=ORG, generated=GENERATED)).active
    header, rows = table(ws)
    assert header[-2:] == [NASTY, "=SUM(A1)"]
    assert rows[0][1] == NASTY and rows[0][2] == NASTY
    assert rows[0][-2:] == ("первая строка\nвторая 😀", "=SUM(A1)")
    h = header_row(ws)
    assert ws.cell(row=h, column=len(header)).data_type == "s"
    assert ws.cell(row=h + 1, column=len(header)).data_type == "s"


def test_people_workbook_empty() -> None:
    wb = load(people_workbook("База наставников", [], organization=ORG, generated=GENERATED))
    header, rows = table(wb.active)
    assert header == list(PEOPLE_COLUMNS) and rows == []
    assert any("всего: 0" in str(c.value) for c in wb.active["A"])


# --- the order -------------------------------------------------------------------------------------------------


def open_docx(data: bytes) -> DocxDocument:
    assert zipfile.is_zipfile(io.BytesIO(data))
    return Document(io.BytesIO(data))


def texts(doc: DocxDocument) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def test_order_paragraphs() -> None:
    doc = open_docx(order_docx(info(), PAIRS))
    paras = texts(doc)
    assert paras[:5] == [
        ORG,
        "ПРИКАЗ",
        "от 15.09.2026 № ____",
        "г. Тула",
        "О закреплении наставнических пар (групп)",
    ]
    preamble = paras[5]
    assert preamble.startswith(
        "В соответствии с распоряжением Минпросвещения России от 25.12.2019 № Р-145 «Об утверждении"
    )
    assert "методологии (целевой модели) наставничества" in preamble
    assert (
        "Положением о наставничестве, утверждённым приказом от 01.09.2026 № 12-од, и дорожной картой внедрения "
        "целевой модели наставничества" in preamble
    )
    assert preamble.endswith("на 2026/2027 учебный год,")
    assert paras[6] == "ПРИКАЗЫВАЮ:"
    points = paras[7:11]
    assert points[0].startswith("1. Закрепить наставнические пары (группы) согласно приложению")
    assert points[1] == f"2. Наставникам организовать работу пар (групп) по этапам: {', '.join(STAGES)}."
    assert points[1].endswith(
        "встреча-знакомство, пробная встреча, встреча-планирование, совместная работа, итоговая встреча."
    )
    assert points[2].startswith("3. Куратору (Петрова Анна Сергеевна) обеспечить мониторинг")
    assert points[3] == "4. Контроль исполнения приказа оставляю за собой."
    signature = paras[11]
    assert signature.startswith("Директор") and signature.endswith("И. И. Иванов") and "______" in signature
    assert paras[12] == "С приказом ознакомлены:"
    assert paras[13] == "Приложение к приказу"
    assert paras[14:16] == [ORG, "от 15.09.2026 № ____"]
    assert paras[16] == "Наставнические пары (группы) на 2026/2027 учебный год"
    # alignment and emphasis of the heading block; body paragraphs justified with a first-line indent
    by_text = {p.text: p for p in reversed(doc.paragraphs)}  # the first paragraph of each text
    for text in (ORG, "ПРИКАЗ", "О закреплении наставнических пар (групп)"):
        assert by_text[text].alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert by_text[text].runs[0].bold
    assert by_text[preamble].alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(by_text[preamble].paragraph_format.first_line_indent.cm, 2) == 1.25
    assert by_text["Приложение к приказу"].paragraph_format.page_break_before


def test_order_blanks_when_number_curator_director_city_and_regulation_are_unknown() -> None:
    unknown = info(
        order_number=None, curator=None, director=None, city=None, regulation_date=None, regulation_number=None
    )
    doc = open_docx(order_docx(unknown, PAIRS))
    paras = texts(doc)
    assert paras[2] == "от 15.09.2026 № ____"
    assert paras[3] == "____________________"  # the city, to write in by hand
    assert paras[4] == "О закреплении наставнических пар (групп)"
    assert (
        "Положением о наставничестве, утверждённым приказом от «___» ____________ 20___ г. № ____, и дорожной"
        in paras[5]
    )
    point3 = next(p for p in paras if p.startswith("3. "))
    assert point3.startswith("3. Куратору (____") and ") обеспечить мониторинг" in point3
    signature = next(p for p in paras if p.startswith("Директор"))
    assert signature.split("\t")[-1].strip("_") == "" and signature.endswith("____")


def test_order_number_given() -> None:
    paras = texts(open_docx(order_docx(info(order_number="123-од"), PAIRS)))
    assert paras[2] == "от 15.09.2026 № 123-од"
    assert "от 15.09.2026 № 123-од" in paras[13:]


def test_order_page_setup_and_fonts() -> None:
    doc = open_docx(order_docx(info(), PAIRS))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 2) == 3.0
    assert round(section.right_margin.cm, 2) == 1.5
    assert round(section.top_margin.cm, 2) == 2.0 and round(section.bottom_margin.cm, 2) == 2.0
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Times New Roman" and fonts.get(qn("w:cs")) == "Times New Roman"
    cell_paragraph = doc.tables[-1].rows[1].cells[2].paragraphs[0]
    assert cell_paragraph.style.font.size == Pt(12)
    assert doc.core_properties.title == "Приказ «О закреплении наставнических пар (групп)»"
    assert doc.core_properties.language == "ru-RU"


def test_appendix_table_grouped_by_form() -> None:
    doc = open_docx(order_docx(info(), PAIRS))
    appendix = doc.tables[-1]
    rows = [[c.text for c in row.cells] for row in appendix.rows]
    assert rows[0] == list(TABLE_HEADERS) == ["№", "Форма наставничества", "Наставник", "Наставляемые"]
    assert rows[1:] == [
        ["1.", TEACHER, "Наставник 1\nпедагог дополнительного образования", "Иванова Мария"],
        ["2.", TEACHER, "Наставник 3", "Кузнецов Пётр"],
        ["3.", PEER, "Наставник 2\nпедагог дополнительного образования", "Орлов Илья\nСмирнова Вера\nТихонов Олег"],
        ["4.", EMPLOYER, "Наставник 4\nпедагог дополнительного образования", "Волков Артём"],
    ]
    # the form cell spans the pairs of its form
    form_cells = [row._tr.tc_lst[1] for row in appendix.rows[1:]]
    assert [tc.vMerge for tc in form_cells] == ["restart", "continue", None, None]
    # the header repeats on every page; fixed layout so long words wrap inside their cell
    assert appendix.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert appendix._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert appendix.style.name == "Table Grid"


def test_appendix_with_no_pairs_shows_a_dash_row() -> None:
    data = order_docx(info(), [])
    doc = open_docx(data)
    rows = [[c.text for c in row.cells] for row in doc.tables[-1].rows]
    assert rows == [list(TABLE_HEADERS), ["—", "—", "—", "—"]]
    assert "4. Контроль исполнения приказа оставляю за собой." in texts(doc)


def test_acquaintance_lines_list_the_curator_and_each_mentor_once() -> None:
    pairs = [*PAIRS, pair(5, PEER, "Ещё один", mentor="Наставник 1")]
    doc = open_docx(order_docx(info(), pairs))
    acquaintance = doc.tables[0]
    names = [row.cells[0].text for row in acquaintance.rows]
    assert names == ["Петрова Анна Сергеевна", "Наставник 1", "Наставник 2", "Наставник 3", "Наставник 4"]
    assert all(row.cells[2].text == "«___» __________ 2026 г." for row in acquaintance.rows)
    # without anybody known there are still blank lines to sign
    empty = open_docx(order_docx(info(curator=None), []))
    assert len(empty.tables[0].rows) == 3
    assert all(set(row.cells[0].text) == {"_"} for row in empty.tables[0].rows)


def test_acquaintance_lines_list_the_adults_the_caller_names_and_no_child() -> None:
    pairs = [
        pair(1, PEER, "Орлов Илья", mentor="Школьник Пётр", signers=()),  # a 16-year-old mentor, a child mentee
        pair(2, "учитель – учитель", "Молодая Ольга", mentor="Опытная Нина", signers=("Опытная Нина", "Молодая Ольга")),
        pair(3, TEACHER, "Кузнецов Пётр", "Смирнова Вера", mentor="Наставник 3", signers=("Наставник 3",)),
    ]
    names = [row.cells[0].text for row in open_docx(order_docx(info(), pairs)).tables[0].rows]
    assert names == ["Петрова Анна Сергеевна", "Опытная Нина", "Молодая Ольга", "Наставник 3"]


def test_user_text_survives_in_docx() -> None:
    long_name = "Ж" * 300
    pairs = [
        pair(1, NASTY, NASTY, "Bell\x07\x00 and\ud800 surrogate", mentor=NASTY, mentor_position="строка\nвторая"),
        pair(2, TEACHER, long_name, mentor="Очень " * 40 + "длинное имя"),
    ]
    data = order_docx(info(organization=NASTY, curator=NASTY, director=NASTY, city=NASTY, order_number="<1&2>"), pairs)
    doc = open_docx(data)
    paras = texts(doc)
    assert paras[0] == NASTY
    assert paras[2] == "от 15.09.2026 № <1&2>"
    assert paras[3] == NASTY
    assert f"({NASTY})" in next(p for p in paras if p.startswith("3. "))
    assert next(p for p in paras if p.startswith("Директор")).endswith(NASTY)
    rows = [[c.text for c in row.cells] for row in doc.tables[-1].rows]
    assert rows[1] == ["1.", NASTY, f"{NASTY}\nстрока вторая", f"{NASTY}\nBell and\ufffd surrogate"]
    assert rows[2][3] == long_name
    assert rows[2][2] == clean_line("Очень " * 40 + "длинное имя") + "\nпедагог дополнительного образования"


def test_text_cleaning() -> None:
    assert clean_text("a\r\nb\rc\x00\x1f\ufffe😀") == "a\nb\nc😀"
    assert clean_line("  a \n\t b  ") == "a b"
    assert clean_text("\udfff") == "\ufffd"


def test_documents_import_neither_aiogram_nor_sql() -> None:
    code = (
        "import sys, bot.documents\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('aiogram', 'aiosqlite', 'sqlite3', 'storage'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# --- a look at the rendering, only where LibreOffice is installed -------------------------------------------


def test_documents_render_to_pdf_with_libreoffice(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    # NASTAVNIK_DOCS_PREVIEW=/some/dir keeps the files (and PNG pages, given pdftoppm) for a human to look at.
    out = Path(os.environ.get("NASTAVNIK_DOCS_PREVIEW") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    people = [
        person("P-00001", details={"Запрос": "Робототехника, Выбор профессии", "Интересы": "3D-моделирование"}),
        person("P-00002", name=NASTY, details={"Запрос": "Хочу научиться паять и собрать радиоприёмник. " * 4}),
    ]
    (out / "order.docx").write_bytes(order_docx(info(), PAIRS))
    (out / "pairs.xlsx").write_bytes(pairs_workbook(PAIRS, organization=ORG, generated=GENERATED))
    (out / "people.xlsx").write_bytes(
        people_workbook("База наставляемых", people, organization=ORG, generated=GENERATED)
    )
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(out / "order.docx"),
            str(out / "pairs.xlsx"),
            str(out / "people.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("order", "pairs", "people"):
        pdf = out / f"{name}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF"), name
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        info_text = subprocess.run([pdfinfo, str(out / "order.pdf")], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Pages:\s+2$", info_text, re.MULTILINE), info_text  # the order, then the appendix
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        for name in ("order", "pairs", "people"):
            subprocess.run([pdftoppm, "-r", "60", "-png", str(out / f"{name}.pdf"), str(out / name)], check=True)
        assert list(out.glob("order-*.png")) and list(out.glob("pairs-*.png"))
