"""The curator's export workbook (roadmap 5.1 personalised accounting, 5.2–5.4 monitoring): tables → XLSX bytes.

`export_workbook` writes one sheet per `SheetData`, in the same look as the documents of `bot.documents.xlsx`
(whose helpers it reuses): a title block (title, organization, when it was generated, an optional note), an
empty row, then a table with a bold shaded header frozen while scrolling, an autofilter, thin borders, wrapped
text, column widths fitted to the content and row heights fitted to wrapped text, A4 landscape printing one
page wide with the header repeated on every page.

Cell types follow the column's kind: «date» cells are real Excel dates shown as DD.MM.YYYY, «datetime» cells
DD.MM.YYYY HH:MM, «int» and «float» cells are numbers (floats shown with two decimals). Strings are always
stored as text, whatever the column's kind and whatever they look like: «=1+1» is not a formula, «#N/A» is not
an error value, so a participant's answer can never run as a formula in the curator's spreadsheet.

Times: Excel has no time zones. Pass datetimes already converted to the institution's time zone; an aware
datetime is written with its wall-clock time as given (its offset is dropped, not converted).

The workbook is written with openpyxl's write-only (streaming) mode: cells are serialised as rows are added
and never kept as a grid of objects, so 10,000 rows × 15 columns take about 2 s of CPU and little memory
(the documents' in-memory mode took about 5 s for the same table).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from numbers import Real
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.documents import xlsx as documents
from bot.documents.model import clean_line
from bot.documents.xlsx import DATE_FORMAT, LINE_HEIGHT, MAX_ROW_HEIGHT, unique_sheet_title

ColumnKind = Literal["text", "int", "float", "date", "datetime"]

EXPORT_TITLE = "Выгрузка данных программы наставничества"
EMPTY_SHEET_TITLE = "Нет данных"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
FLOAT_FORMAT = "0.00"
MAX_COLUMN_WIDTH = 255.0  # Excel's limit, in characters

# Width limits (characters) for columns without an explicit width: (min, max).
_AUTO_WIDTH: dict[str, tuple[float, float]] = {
    "text": (10, 50),
    "int": (6, 14),
    "float": (8, 14),
    "date": (12, 12),
    "datetime": (18, 18),
}
_KINDS = frozenset(_AUTO_WIDTH)
WIDTH_SAMPLE = 200  # distinct values measured per column to fit its width
_WIDEST_CHAR = 1.25  # the widest character in documents' width model (capitals, «Ш», «Ж», …)


@dataclass(frozen=True)
class Column:
    """A table column: its header caption, the kind of its cells and, optionally, a fixed width in characters
    (None: fitted to the content)."""

    title: str
    kind: ColumnKind = "text"
    width: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"column {self.title!r}: unknown kind {self.kind!r} (expected one of {sorted(_KINDS)})")
        if self.width is not None and not (isinstance(self.width, Real) and 0 < self.width <= MAX_COLUMN_WIDTH):
            raise ValueError(f"column {self.title!r}: width must be within (0, {MAX_COLUMN_WIDTH:g}]")


@dataclass(frozen=True)
class SheetData:
    """One sheet: `title` (the sheet's tab is made from it, the full text heads the sheet), the columns, the rows
    (each exactly as long as `columns`) and an optional note printed under the title block."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]
    note: str | None = None


def export_workbook(sheets: Sequence[SheetData], *, organization: str, generated: datetime) -> bytes:
    """The workbook as XLSX bytes: one sheet per `SheetData`, in order.

    Tab names are the titles made valid and unique for Excel (`bot.documents.xlsx.unique_sheet_title`). With no
    sheets at all the workbook has one sheet saying «Нет данных» (a workbook can't be empty). Raises ValueError
    if a row's length differs from the number of columns.
    """
    for sheet in sheets:
        for i, row in enumerate(sheet.rows, 1):
            if len(row) != len(sheet.columns):
                raise ValueError(f"sheet {sheet.title!r}, row {i}: {len(row)} values for {len(sheet.columns)} columns")
    wb = Workbook(write_only=True)
    documents._set_properties(wb, EXPORT_TITLE, organization, generated)
    styles = _Styles(wb)
    taken: set[str] = set()
    if not sheets:
        sheets = (SheetData(EMPTY_SHEET_TITLE, (), (), note=None),)
    for sheet in sheets:
        ws = wb.create_sheet(unique_sheet_title(sheet.title, taken))
        _write_sheet(ws, sheet, styles, organization=organization, generated=generated)
    return documents._save(wb)


# --- internals -----------------------------------------------------------------------------------------------


class _Styles:
    """Style arrays of the documents' look, built once per workbook and copied into each cell (the fast path:
    assigning fonts and borders cell by cell costs several times more)."""

    def __init__(self, wb: Workbook) -> None:
        probe = wb.create_sheet("_styles")
        self.title = self._make(probe, font=documents._TITLE_FONT)
        self.note = self._make(probe, font=documents._NOTE_FONT)
        self.header = self._make(
            probe,
            font=documents._HEADER_FONT,
            fill=documents._HEADER_FILL,
            alignment=documents._HEADER_ALIGN,
            border=documents._BORDER,
        )
        body = {"font": documents._BODY_FONT, "border": documents._BORDER}
        self.body: dict[str, StyleArray] = {
            "text": self._make(probe, alignment=documents._TEXT_ALIGN, **body),
            "int": self._make(probe, alignment=documents._NUMBER_ALIGN, **body),  # General: 7, and 2.5 as is
            "float": self._make(probe, alignment=documents._NUMBER_ALIGN, number_format=FLOAT_FORMAT, **body),
            "date": self._make(probe, alignment=documents._CENTER_ALIGN, number_format=DATE_FORMAT, **body),
            "datetime": self._make(probe, alignment=documents._CENTER_ALIGN, number_format=DATETIME_FORMAT, **body),
        }
        wb.remove(probe)  # nothing was written to it; the styles stay registered in the workbook

    @staticmethod
    def _make(
        ws: WriteOnlyWorksheet,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        alignment: Alignment | None = None,
        border: Border | None = None,
        number_format: str | None = None,
    ) -> StyleArray:
        cell = Cell(ws, row=1, column=1)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if alignment is not None:
            cell.alignment = alignment
        if border is not None:
            cell.border = border
        if number_format is not None:
            cell.number_format = number_format
        return copy(cell._style)


def _cell(ws: WriteOnlyWorksheet, style: StyleArray) -> Cell:
    return Cell(ws, row=1, column=1, style_array=style)  # as WriteOnlyCell; Cell copies the array


def _text_cell(ws: WriteOnlyWorksheet, style: StyleArray, text: str) -> Cell:
    return documents._set_text(_cell(ws, style), text)


def _write_sheet(
    ws: WriteOnlyWorksheet, sheet: SheetData, styles: _Styles, *, organization: str, generated: datetime
) -> None:
    columns = tuple(sheet.columns)
    title = clean_line(sheet.title) or EMPTY_SHEET_TITLE
    lines = [clean_line(organization), documents._generated_line(generated, f"строк: {len(sheet.rows)}")]
    if sheet.note is not None and clean_line(sheet.note):
        lines.append(clean_line(sheet.note))

    # Everything about rows and columns must be known before the first row is streamed out.
    header_row = len(lines) + 3  # title, the lines, an empty row
    kinds = [col.kind for col in columns]
    widths = [_column_width(col, [row[c] for row in sheet.rows]) for c, col in enumerate(columns)]
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    if columns:
        last_col = get_column_letter(len(columns))
        ws.auto_filter.ref = f"A{header_row}:{last_col}{header_row + max(len(sheet.rows), 1)}"
        ws.freeze_panes = f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
    _page_setup(ws, title)

    ws.append([_text_cell(ws, styles.title, title)])
    for line in lines:
        ws.append([_text_cell(ws, styles.note, line)] if line else [])
    ws.append([])
    if not columns:
        return

    captions = [clean_line(col.title) for col in columns]
    _set_height(ws, header_row, _lines_needed(captions, widths, bold=True))
    ws.append([_text_cell(ws, styles.header, caption) for caption in captions])

    body = [styles.body[kind] for kind in kinds]
    measured: dict[tuple[str, float], int] = {}
    for r, row in enumerate(sheet.rows, header_row + 1):
        cells: list[Cell] = []
        texts: list[str | None] = []
        for kind, style, value in zip(kinds, body, row, strict=True):
            cell = _cell(ws, style)
            converted = _convert(kind, value)
            if isinstance(converted, str):
                documents._set_text(cell, converted)
                texts.append(cell.value)
            else:
                cell.value = converted
                texts.append(None)
            cells.append(cell)
        _set_height(ws, r, _lines_needed(texts, widths, cache=measured))
        ws.append(cells)


def _convert(kind: str, value: object) -> str | int | float | date | datetime | None:
    """The value to store for a column of `kind`: a number, a date or a datetime where the kind says so;
    strings stay strings in any column; anything else is shown as text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "да" if value else "нет"
    if kind in ("int", "float") and isinstance(value, Real | Decimal):
        number = float(value)
        if not math.isfinite(number):
            return None
        if kind == "float":
            return number
        return int(value) if isinstance(value, int) else (int(number) if number.is_integer() else number)
    if kind == "date" and isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    if kind == "datetime" and isinstance(value, date):
        if not isinstance(value, datetime):
            return datetime.combine(value, time())
        return value.replace(tzinfo=None, microsecond=0)
    return _display(value)


def _display(value: object) -> str:
    """A non-string value as text, dates in the Russian way."""
    if isinstance(value, datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float):
        return "" if not math.isfinite(value) else f"{value:.2f}".replace(".", ",")
    return str(value)


def _width_sample(kind: str, value: object) -> str | None:
    """What the cell will show, for measuring the column: numbers and dates as their formatted text."""
    converted = _convert(kind, value)
    if converted is None or isinstance(converted, str):
        return converted
    if isinstance(converted, datetime):
        return "00.00.0000 00:00" if kind == "datetime" else "00.00.0000"
    if isinstance(converted, date):
        return "00.00.0000"
    if isinstance(converted, float):
        return f"{converted:.2f}"
    return str(converted)


def _column_width(col: Column, values: Sequence[object]) -> float:
    """The explicit width, or the documents' fitting rule (`bot.documents.xlsx._width`) over what the cells will
    show, within the kind's limits.

    Only the `WIDTH_SAMPLE` longest distinct values (by number of characters) are measured: the widest one is
    practically always among them, and measuring every value of a 10,000-row column character by character
    would cost more than writing it.
    """
    if col.width is not None:
        return float(col.width)
    low, high = _AUTO_WIDTH[col.kind]
    samples = {text for v in values if (text := _width_sample(col.kind, v))}
    longest = heapq.nlargest(WIDTH_SAMPLE, samples, key=_longest_line)
    return documents._width(documents._Column(clean_line(col.title), "text", low, high), longest)


def _longest_line(text: str) -> int:
    return max(map(len, text.split("\n"))) if "\n" in text else len(text)


def _lines_needed(
    texts: Sequence[str | None],
    widths: Sequence[float],
    *,
    bold: bool = False,
    cache: dict[tuple[str, float], int] | None = None,
) -> int:
    """The most lines any text of the row wraps to (1 for a row without long text); `cache` remembers texts
    already measured (a column often repeats the same long answer)."""
    most = 1
    for text, width in zip(texts, widths, strict=True):
        if not text:
            continue
        # Fast path: a single line that fits even if every character were the widest.
        if "\n" not in text and len(text) * _WIDEST_CHAR * (documents._BOLD if bold else 1.0) <= width - 1:
            continue
        if cache is None:
            lines = documents._wrapped_lines(text, width, bold)
        else:
            key = (text, width)
            lines = cache.get(key, 0) or cache.setdefault(key, documents._wrapped_lines(text, width, bold))
        most = max(most, lines)
    return most


def _set_height(ws: WriteOnlyWorksheet, row: int, lines: int) -> None:
    """Row height for wrapped text, as in the documents (apps don't re-measure rows of a file they open)."""
    if lines > 1:
        ws.row_dimensions[row].height = min(lines * LINE_HEIGHT + 2, MAX_ROW_HEIGHT)


def _page_setup(ws: WriteOnlyWorksheet, title: str) -> None:
    """A4 landscape, one page wide, with the documents' footer (title and page numbers)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.left.text = documents._footer_text(title)
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "Стр. &P из &N"
    ws.oddFooter.right.size = 8
