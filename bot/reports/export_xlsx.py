"""The curator's export workbook (roadmap 5.1 personalised accounting, 5.2–5.4 monitoring): tables → XLSX bytes.

`export_workbook` writes one sheet per `SheetData`, in the same look as the documents of `bot.documents.xlsx`
(whose fonts, fill, borders, alignments and fitting rules it reuses): a title block (title, organization, when
it was generated, an optional note), an empty row, then a table with a bold shaded header frozen while
scrolling, an autofilter, thin borders, wrapped text, column widths fitted to the content and row heights
fitted to wrapped text, and the documents' print setup (`bot.documents.xlsx.print_layout`): A4 landscape, one
page wide when the table fits at a readable scale (75 % or more), else on as many pages across as keep that
scale with the sheet's first `print_columns` (who the row is about) repeated on each; the header row repeated
on every page, the title and «Стр. N из M» in the footer.

Cell types follow the column's kind: «date» cells are real Excel dates shown as DD.MM.YYYY, «datetime» cells
DD.MM.YYYY HH:MM, «int» and «float» cells are numbers (floats shown with two decimals). Strings are always
stored as text, whatever the column's kind and whatever they look like: «=1+1» is not a formula, «#N/A» is not
an error value, so a participant's answer can never run as a formula in the curator's spreadsheet. Text is
cleaned as in the documents (`bot.documents.xlsx._text`: characters XML can't hold removed, cut to Excel's
32,767 characters per cell).

Times: Excel has no time zones. Pass datetimes already converted to the institution's time zone; an aware
datetime is written with its wall-clock time as given (its offset is dropped, not converted).

Why not openpyxl: an institution's export has about 1.6 million cells (1.2 million in «Ответы»), and
openpyxl, even in write-only mode, spends about 11 µs on each styled cell (a Cell object, its style array,
a ValueError raised and caught per cell): 18–19 s, against the export's 10 s budget. This module writes the
SpreadsheetML parts itself, as strings streamed into the zip: a handful of fixed cell styles (`_XF_*`), a
shared string table (each distinct text cleaned, escaped and measured once: answers repeat a lot), rows
compressed in batches of `_FLUSH_ROWS`. That export now takes about 2 s and 8 MB. The same input gives the
same bytes (the zip entries are dated `generated`). openpyxl still writes the smaller documents of
`bot.documents` and reads these files in the tests.
"""

from __future__ import annotations

import heapq
import io
import math
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from numbers import Real
from typing import IO, Literal

from bot.documents import xlsx as documents
from bot.documents.model import clean_line
from bot.documents.xlsx import DATE_FORMAT, LINE_HEIGHT, MAX_ROW_HEIGHT, unique_sheet_title
from bot.i18n import tr

ColumnKind = Literal["text", "int", "float", "date", "datetime"]

EXPORT_TITLE = tr("export-title")
EMPTY_SHEET_TITLE = tr("export-empty-sheet")
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
    (each exactly as long as `columns`), an optional note printed under the title block, and how many first
    columns a wide table repeats on each page printed across (`print_columns`: who or what the row is about)."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]
    note: str | None = None
    print_columns: int = 0


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
    if not sheets:
        sheets = (SheetData(EMPTY_SHEET_TITLE, (), (), note=None),)
    strings = _SharedStrings()
    taken: set[str] = set()
    tabs: list[_Tab] = []
    stamp = max(generated.timetuple()[:6], (1980, 1, 1, 0, 0, 0))  # the same bytes for the same input

    def part(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED  # at zlib's default level: 8 MB for the big export
        return info

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(part("[Content_Types].xml"), _content_types(len(sheets)))  # first, where tools look for it
        zf.writestr(part("_rels/.rels"), _ROOT_RELS)
        zf.writestr(part("docProps/core.xml"), _core_xml(organization, generated))
        zf.writestr(part("docProps/app.xml"), _APP_XML)
        for n, sheet in enumerate(sheets, 1):
            tab = _Tab(unique_sheet_title(sheet.title, taken), len(sheet.columns), len(sheet.rows))
            with zf.open(part(f"xl/worksheets/sheet{n}.xml"), "w") as stream:
                tab.header_row, tab.print_columns = _write_sheet(
                    stream, sheet, strings, selected=n == 1, organization=organization, generated=generated
                )
            tabs.append(tab)
        zf.writestr(part("xl/sharedStrings.xml"), strings.xml())
        zf.writestr(part("xl/styles.xml"), _STYLES_XML)
        zf.writestr(part("xl/workbook.xml"), _workbook_xml(tabs))
        zf.writestr(part("xl/_rels/workbook.xml.rels"), _workbook_rels(len(tabs)))
    return buffer.getvalue()


# --- values ----------------------------------------------------------------------------------------------------


def _convert(kind: str, value: object) -> str | int | float | date | datetime | None:
    """The value to store for a column of `kind`: a number, a date or a datetime where the kind says so;
    strings stay strings in any column; anything else is shown as text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return tr("export-yes") if value else tr("export-no")
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
        return value.replace(tzinfo=None, microsecond=0) if value.tzinfo or value.microsecond else value
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


_EXCEL_EPOCH = date(1899, 12, 30).toordinal()


def _excel_serial(value: date) -> int | float:
    """Excel's serial number of a date (whole days since 1899-12-30) or datetime (plus the fraction of the day),
    computed as openpyxl's `to_excel` does, including Excel's phantom 29 February 1900."""
    days = value.toordinal() - _EXCEL_EPOCH
    if 0 < days <= 60:
        days -= 1
    if isinstance(value, datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 10**6
        return days + seconds / 86400
    return days


# --- fitting columns and rows -----------------------------------------------------------------------------------


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
    if low == high:  # dates: the content can't change the width, only a long caption word can
        values = ()
    samples = {v for v in values if type(v) is str and v}  # the common case without a call per value
    samples.update(text for v in values if type(v) is not str and (text := _width_sample(col.kind, v)))
    longest = heapq.nlargest(WIDTH_SAMPLE, samples, key=_longest_line)
    return documents._width(documents._Column(clean_line(col.title), "text", low, high), longest)


def _longest_line(text: str) -> int:
    return max(map(len, text.split("\n"))) if "\n" in text else len(text)


def _lines(text: str, width: float, *, bold: bool = False) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (documents' `_wrapped_lines`)."""
    # Fast path: a single line that fits even if every character were the widest.
    if "\n" not in text and len(text) * _WIDEST_CHAR * (documents._BOLD if bold else 1.0) <= width - 1:
        return 1
    return documents._wrapped_lines(text, width, bold)


def _row_height(lines: int) -> str:
    """The `<row>` attributes for a row of `lines` wrapped lines, as in the documents (apps don't re-measure
    rows of a file they open); nothing for a one-line row."""
    if lines <= 1:
        return ""
    return f' ht="{_number(min(lines * LINE_HEIGHT + 2, MAX_ROW_HEIGHT))}" customHeight="1"'


# --- sheets -----------------------------------------------------------------------------------------------------

_FLUSH_ROWS = 2000  # rows of XML joined and compressed at a time

# Cell style ids: indexes into `cellXfs` of `_STYLES_XML`.
_XF_TITLE = 1
_XF_NOTE = 2
_XF_HEADER = 3
_XF_BODY: dict[str, int] = {"int": 4, "text": 5, "date": 6, "datetime": 7, "float": 8}
_SELECTED = ' tabSelected="1"'  # the first sheet's tab, as the workbook's activeTab


@dataclass
class _Tab:
    """What the workbook part needs to know about a sheet written into the zip."""

    name: str
    columns: int
    rows: int
    header_row: int | None = None  # None: no table (the «Нет данных» sheet)
    print_columns: int = 0  # first columns repeated on each page printed across


class _SharedStrings:
    """The workbook's shared string table: each distinct text is stored (and escaped) once, cells refer to it by
    index. Texts are added already cleaned (`documents._text`), so the table holds exactly what cells show."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def xml(self) -> bytes:
        items = "".join(f"<si>{_t(text)}</si>" for text in self.index)  # dicts keep insertion order = index
        return (f'{_XML_DECL}<sst xmlns="{_NS_MAIN}" uniqueCount="{len(self.index)}">{items}</sst>').encode()


class _ColumnWriter:
    """Cells of one column: the XML after `<c r="B7` for each distinct text is built (cleaned, added to the
    shared strings, wrapped-line count measured) once and reused, since columns repeat texts a lot."""

    def __init__(self, letter: str, kind: str, width: float, strings: _SharedStrings) -> None:
        self.prefix = f'<c r="{letter}'
        self.kind = kind
        self.width = width
        self.style = _XF_BODY[kind]
        self.strings = strings
        self.empty = f'" s="{self.style}"/>'  # an empty cell keeps its borders
        self.texts: dict[str, tuple[str, int]] = {}

    def text(self, value: str) -> tuple[str, int]:
        """The cell's XML tail and its wrapped-line count for a string `value`."""
        found = self.texts.get(value)
        if found is None:
            cleaned = documents._text(value)
            if cleaned:
                index = self.strings.add(cleaned)
                found = (f'" s="{self.style}" t="s"><v>{index}</v></c>', _lines(cleaned, self.width))
            else:
                found = (self.empty, 1)
            self.texts[value] = found
        return found

    def other(self, value: object) -> tuple[str, int]:
        """The same for any other value: a number or date where the column's kind says so, else text."""
        converted = _convert(self.kind, value)
        if converted is None:
            return self.empty, 1
        if isinstance(converted, str):
            return self.text(converted)
        if isinstance(converted, date):
            converted = _excel_serial(converted)
        return f'" s="{self.style}"><v>{_number(converted)}</v></c>', 1


def _write_sheet(
    part: IO[bytes],
    sheet: SheetData,
    strings: _SharedStrings,
    *,
    selected: bool,
    organization: str,
    generated: datetime,
) -> tuple[int | None, int]:
    """Stream the sheet's XML into `part`; returns the header's row number (None: a sheet without columns) and
    how many first columns print on every page across."""
    columns = tuple(sheet.columns)
    title = clean_line(sheet.title) or EMPTY_SHEET_TITLE
    lines = [clean_line(organization), documents._generated_line(generated, tr("export-rows", n=len(sheet.rows)))]
    if sheet.note is not None and clean_line(sheet.note):
        lines.append(clean_line(sheet.note))

    header_row = len(lines) + 3  # title, the lines, an empty row
    letters = [_column_letter(c) for c in range(1, len(columns) + 1)]
    widths = [_column_width(col, [row[c] for row in sheet.rows]) for c, col in enumerate(columns)]
    last_row = header_row + len(sheet.rows) if columns else len(lines) + 1

    head = [
        _XML_DECL,
        f'<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">',
        '<sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr fitToPage="1"/></sheetPr>',
        f'<dimension ref="A1:{letters[-1] if letters else "A"}{last_row}"/>',
        f'<sheetViews><sheetView{_SELECTED if selected else ""} workbookViewId="0">',
    ]
    if columns:  # the header stays in sight while scrolling
        top = f"A{header_row + 1}"
        head.append(
            f'<pane ySplit="{header_row}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
        )
    head.append('</sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>')
    if columns:
        head.append("<cols>")
        head.extend(
            f'<col min="{c}" max="{c}" width="{_number(width)}" customWidth="1"/>' for c, width in enumerate(widths, 1)
        )
        head.append("</cols>")
    head.append("<sheetData>")
    head.append(f'<row r="1"><c r="A1" s="{_XF_TITLE}" t="s"><v>{strings.add(documents._text(title))}</v></c></row>')
    for r, line in enumerate(lines, 2):
        if line:  # an empty organization leaves its row empty
            head.append(
                f'<row r="{r}"><c r="A{r}" s="{_XF_NOTE}" t="s"><v>{strings.add(documents._text(line))}</v></c></row>'
            )
    if columns:
        captions = [documents._text(clean_line(col.title)) for col in columns]
        height = max(_lines(caption, width, bold=True) for caption, width in zip(captions, widths, strict=True))
        head.append(f'<row r="{header_row}"{_row_height(height)}>')
        head.extend(
            f'<c r="{letter}{header_row}" s="{_XF_HEADER}"'
            + (f' t="s"><v>{strings.add(caption)}</v></c>' if caption else "/>")
            for letter, caption in zip(letters, captions, strict=True)
        )
        head.append("</row>")
    part.write("".join(head).encode())

    if columns:
        writers = [
            _ColumnWriter(letter, col.kind, width, strings)
            for letter, col, width in zip(letters, columns, widths, strict=True)
        ]
        for chunk in _body_rows(writers, sheet.rows, header_row + 1):
            part.write(chunk.encode())

    foot = ["</sheetData>"]
    if columns:
        foot.append(f'<autoFilter ref="{_filter_range(header_row, len(columns), len(sheet.rows))}"/>')
    pages, repeated = documents.print_layout(widths, min(sheet.print_columns, len(columns)))
    margin = _number(documents.PRINT_SIDE_MARGIN)
    foot.append(
        f'<pageMargins left="{margin}" right="{margin}" top="0.6" bottom="0.6" header="0.5" footer="0.5"/>'
        f'<pageSetup paperSize="9" orientation="landscape" fitToWidth="{pages}" fitToHeight="0"'
        ' pageOrder="overThenDown"/>'  # a row's pages across come one after another
        f"<headerFooter><oddFooter>{_escape(_footer(title))}</oddFooter></headerFooter>"
        "</worksheet>"
    )
    part.write("".join(foot).encode())
    return (header_row, repeated) if columns else (None, 0)


def _body_rows(writers: Sequence[_ColumnWriter], rows: Sequence[Sequence[object]], first: int) -> Iterator[str]:
    """The table's rows as XML, `_FLUSH_ROWS` rows per string. This loop runs for every cell of the export, so it
    does only a dict lookup per text cell; the rest is in `_ColumnWriter`."""
    out: list[str] = []
    for r, row in enumerate(rows, first):
        number = str(r)
        most = 1
        cells = []
        for writer, value in zip(writers, row, strict=True):
            if type(value) is str:
                tail, lines = writer.texts.get(value) or writer.text(value)
            elif value is None:
                tail, lines = writer.empty, 1
            else:
                tail, lines = writer.other(value)
            if lines > most:
                most = lines
            cells.append(writer.prefix + number + tail)
        out.append(f'<row r="{number}"{_row_height(most)}>{"".join(cells)}</row>')
        if len(out) == _FLUSH_ROWS:
            yield "".join(out)
            out.clear()
    if out:
        yield "".join(out)


def _filter_range(header_row: int, columns: int, rows: int, *, absolute: bool = False) -> str:
    """The header and the body (at least one row, so that the filter buttons show on an empty table)."""
    d = "$" if absolute else ""
    return f"{d}A{d}{header_row}:{d}{_column_letter(columns)}{d}{header_row + max(rows, 1)}"


def _footer(title: str) -> str:
    """The documents' footer: the title on the left, «Стр. N из M» on the right, both 8 pt (as openpyxl writes
    them; the space after the size keeps a title starting with a digit out of it)."""
    return f"&L&8 {documents._footer_text(title)}&R&8 {tr('paper-page-of')}"


def _column_letter(n: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _number(value: float) -> str:
    """A number as `<v>` text (floats as Python's shortest round-trip repr: «2.5», «7.0», «1e-05»)."""
    return repr(value)


def _escape(text: str) -> str:
    """Text for XML element content or a double-quoted attribute."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


def _t(text: str) -> str:
    """A `<t>` element; leading or trailing spaces and line breaks must be marked to survive."""
    if text != text.strip() or "\n" in text:
        return f'<t xml:space="preserve">{_escape(text)}</t>'
    return f"<t>{_escape(text)}</t>"


# --- workbook parts ---------------------------------------------------------------------------------------------

_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def _styles_xml() -> str:
    """The documents' look (`bot.documents.xlsx`: Calibri 11, a 14 pt bold title, grey italic notes, a bold
    header shaded #DDE6F0, thin #A6A6A6 borders) as fixed cell styles; ids as `_XF_*`."""
    d = documents
    name = f'<name val="{d.FONT_NAME}"/>'
    fonts = [
        f'<font><sz val="{d.FONT_SIZE}"/>{name}<family val="2"/></font>',  # 0: the default
        f'<font><b val="1"/><sz val="14"/>{name}</font>',  # 1: the title
        f'<font><i val="1"/><sz val="{d.FONT_SIZE}"/><color rgb="00595959"/>{name}</font>',  # 2: notes
        f'<font><b val="1"/><sz val="{d.FONT_SIZE}"/>{name}</font>',  # 3: the header
        f'<font><sz val="{d.FONT_SIZE}"/>{name}</font>',  # 4: the body
    ]
    fill = (
        '<fill><patternFill patternType="solid"><fgColor rgb="00DDE6F0"/><bgColor rgb="00DDE6F0"/></patternFill></fill>'
    )
    side = '<{0} style="thin"><color rgb="00A6A6A6"/></{0}>'
    border = "<border>" + "".join(side.format(s) for s in ("left", "right", "top", "bottom")) + "</border>"

    def xf(num_fmt: int, font: int, fill: int = 0, border: int = 0, align: str = "") -> str:
        applied = (
            (' applyNumberFormat="1"' if num_fmt else "")
            + (' applyFont="1"' if font else "")
            + (' applyFill="1"' if fill else "")
            + (' applyBorder="1"' if border else "")
            + (' applyAlignment="1"' if align else "")
        )
        attrs = f'numFmtId="{num_fmt}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"{applied}'
        return f"<xf {attrs}><alignment {align}/></xf>" if align else f"<xf {attrs}/>"

    text = 'vertical="top" wrapText="1"'
    center = 'horizontal="center" vertical="top" wrapText="1"'
    number = 'horizontal="right" vertical="top"'
    xfs = {  # 164, 165: DATE_FORMAT, DATETIME_FORMAT; 2 is Excel's built-in «0.00» (FLOAT_FORMAT)
        0: xf(0, 0),
        _XF_TITLE: xf(0, 1),
        _XF_NOTE: xf(0, 2),
        _XF_HEADER: xf(0, 3, 2, 1, 'horizontal="center" vertical="center" wrapText="1"'),
        _XF_BODY["int"]: xf(0, 4, 0, 1, number),  # General: 7, and 2.5 as is
        _XF_BODY["text"]: xf(0, 4, 0, 1, text),
        _XF_BODY["date"]: xf(164, 4, 0, 1, center),
        _XF_BODY["datetime"]: xf(165, 4, 0, 1, center),
        _XF_BODY["float"]: xf(2, 4, 0, 1, number),
    }
    assert sorted(xfs) == list(range(len(xfs))) and FLOAT_FORMAT == "0.00"
    return (
        f'{_XML_DECL}<styleSheet xmlns="{_NS_MAIN}">'
        f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>'
        f'<numFmt numFmtId="165" formatCode="{DATETIME_FORMAT}"/></numFmts>'
        f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
        f'<fills count="3"><fill><patternFill patternType="none"/></fill>'
        f'<fill><patternFill patternType="gray125"/></fill>{fill}</fills>'
        f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>{border}</borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs[i] for i in range(len(xfs)))}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


_STYLES_XML = _styles_xml()

_APP_XML = (
    f'{_XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Nastavnik</Application></Properties>"
)

_ROOT_RELS = (
    f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_NS_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_NS_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)


def _workbook_xml(tabs: Sequence[_Tab]) -> str:
    """Sheets in order (the first one active) and, per table, the autofilter's and the print titles' names (the
    repeated columns, if any, then the header row, as Excel writes them)."""
    sheets = "".join(
        f'<sheet name="{_escape(tab.name)}" sheetId="{n}" r:id="rId{n}"/>' for n, tab in enumerate(tabs, 1)
    )
    names = []
    for n, tab in enumerate(tabs):
        if tab.header_row is None:
            continue
        quoted = "'" + tab.name.replace("'", "''") + "'"
        titles = f"{quoted}!${tab.header_row}:${tab.header_row}"
        if tab.print_columns:
            titles = f"{quoted}!$A:${_column_letter(tab.print_columns)},{titles}"
        names.append(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
            f"{_escape(quoted)}!{_filter_range(tab.header_row, tab.columns, tab.rows, absolute=True)}</definedName>"
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">{_escape(titles)}</definedName>'
        )
    defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
    return (
        f'{_XML_DECL}<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}"><workbookPr/>'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>{defined}</workbook>'
    )


def _workbook_rels(count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="{_NS_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_REL}">{sheets}'
        f'<Relationship Id="rId{count + 1}" Type="{_NS_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{count + 2}" Type="{_NS_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )


def _content_types(count: int) -> str:
    sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = [
        ("/xl/workbook.xml", f"{sml}.sheet.main+xml"),
        *((f"/xl/worksheets/sheet{n}.xml", _CT_SHEET) for n in range(1, count + 1)),
        ("/xl/styles.xml", f"{sml}.styles+xml"),
        ("/xl/sharedStrings.xml", f"{sml}.sharedStrings+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
    ]
    overrides = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in parts)
    return (
        f'{_XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )


def _core_xml(organization: str, generated: datetime) -> str:
    """The documents' properties (`bot.documents.xlsx._properties`); «modified» is the creation time too."""
    props = documents._properties(EXPORT_TITLE, organization, generated)
    created = props.pop("created")
    assert isinstance(created, datetime)
    stamp = f"{created:%Y-%m-%dT%H:%M:%S}Z"
    dc = "".join(f"<dc:{name}>{_escape(str(value))}</dc:{name}>" for name, value in props.items())
    return (
        f'{_XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{dc}'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
    )
