"""The curator's workbooks: «Наставнические пары и группы» and the bases of mentees and mentors (XLSX bytes).

Every sheet has the same layout: a title block (title, organization, when it was generated), an empty row, then
a table with a bold shaded header that stays frozen while scrolling, an autofilter, thin borders, wrapped text
and column widths fitted to the content (within limits, so long names wrap instead of making a column a screen
wide). Dates are real Excel dates shown as DD.MM.YYYY. Pages print on A4 landscape with the header repeated on
every page: one page wide when the table fits at a readable scale (`MIN_PRINT_SCALE`), else on as many pages
across as keep that scale, the first columns (who the row is about) repeated on each (`print_layout`). Text
from users is always stored as text: «=…» is not a formula, «#N/A» is not an error value.

openpyxl is imported when a workbook is built, not with this module: `bot.reports.export_xlsx` and
`bot.roadmap.export` share the helpers here, and an idle bot should not hold openpyxl (issue 11, «Memory»).
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING

from bot.documents.model import PairRow, PersonRow, clean_line, clean_text
from bot.i18n import tr

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Border, Font, PatternFill
    from openpyxl.worksheet.worksheet import Worksheet

PAIRS_TITLE = tr("paper-pairs-title")
ALL_SHEET = tr("paper-pairs-all-sheet")
DATE_FORMAT = "DD.MM.YYYY"
SCORE_FORMAT = "0.0"

_PAIR_KEYS = ("number", "form", "mentor", "position", "mentees", "kind", "score", "reasons", "confirmed")
PAIR_COLUMNS: tuple[str, ...] = tuple(tr(f"paper-column-{key}") for key in _PAIR_KEYS)
_PEOPLE_KEYS = ("number", "pseudonym", "name", "role", "form", "club", "age", "status", "joined")
PEOPLE_COLUMNS: tuple[str, ...] = tuple(tr(f"paper-column-{key}") for key in _PEOPLE_KEYS)

SHEET_TITLE_MAX = 31  # Excel's limit, in UTF-16 code units
_SHEET_TITLE_FORBIDDEN = str.maketrans({ch: "-" for ch in "[]:*?/\\"})
_RESERVED_SHEET_TITLES = frozenset({"history"})  # Excel refuses a sheet called «History»
CELL_TEXT_MAX = 32767  # Excel's limit per cell

FONT_NAME = "Calibri"
FONT_SIZE = 11
LINE_HEIGHT = 15.0  # points per line of 11 pt text, as Excel's default row
MAX_ROW_HEIGHT = 409.0  # Excel's limit
_BOLD = 1.08  # bold text is this much wider

# Printing: A4 landscape (11.69 in wide) with these side margins, in pixels at 96 dpi as Excel counts a column
# (a width of w characters of Calibri 11 is 7·w + 5 px). A table wider than one page at MIN_PRINT_SCALE prints
# on as many pages across as keep that scale (11 pt at no less than 8 pt), its first columns repeated on each.
PRINT_SIDE_MARGIN = 0.25  # inches, Excel's «Узкие» margins
PRINT_WIDTH_PX = (11.69 - 2 * PRINT_SIDE_MARGIN) * 96
MIN_PRINT_SCALE = 0.75
_SPACE = 0.45  # a space is this part of a «0»


@dataclass(frozen=True)
class _Styles:
    body_font: Font
    header_font: Font
    header_fill: PatternFill
    header_align: Alignment
    title_font: Font
    note_font: Font
    border: Border
    text_align: Alignment
    center_align: Alignment
    number_align: Alignment


@cache
def _styles() -> _Styles:
    """The documents' cell styles, built once on first use."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="A6A6A6")
    return _Styles(
        body_font=Font(name=FONT_NAME, size=FONT_SIZE),
        header_font=Font(name=FONT_NAME, size=FONT_SIZE, bold=True),
        header_fill=PatternFill("solid", start_color="DDE6F0", end_color="DDE6F0"),
        header_align=Alignment(horizontal="center", vertical="center", wrap_text=True),
        title_font=Font(name=FONT_NAME, size=14, bold=True),
        note_font=Font(name=FONT_NAME, size=FONT_SIZE, italic=True, color="595959"),
        border=Border(left=thin, right=thin, top=thin, bottom=thin),
        text_align=Alignment(vertical="top", wrap_text=True),
        center_align=Alignment(horizontal="center", vertical="top", wrap_text=True),
        number_align=Alignment(horizontal="right", vertical="top"),
    )


Value = str | int | float | date | None


@dataclass(frozen=True)
class _Column:
    caption: str
    kind: str = "text"  # text | center | int | score | date
    min_width: float = 8
    max_width: float = 40


def pairs_workbook(pairs: Sequence[PairRow], *, organization: str, generated: datetime) -> bytes:
    """«Наставнические пары и группы»: a sheet «Все» with every pair, then one sheet per form of mentoring.

    Pairs keep the order given; form sheets follow the order in which their forms first appear. Sheet titles
    are the form labels made valid for Excel (see `unique_sheet_title`); the full label is in the sheet's
    title block.
    """
    wb = _new_workbook()
    _set_properties(wb, PAIRS_TITLE, organization, generated)
    layout = (("int", 5, 8), ("text", 14, 28), ("text", 16, 32), ("text", 12, 28), ("text", 18, 34),
              ("center", 8, 12), ("score", 10, 10), ("text", 16, 60), ("date", 12, 12))  # fmt: skip
    columns = tuple(_Column(caption, *shape) for caption, shape in zip(PAIR_COLUMNS, layout, strict=True))
    by_form: dict[str, list[PairRow]] = {}
    for pair in pairs:
        by_form.setdefault(clean_line(pair.form), []).append(pair)

    taken: set[str] = set()
    ws = wb.active
    ws.title = unique_sheet_title(ALL_SHEET, taken)
    _write_table(
        ws,
        title=PAIRS_TITLE,
        lines=(clean_line(organization), _generated_line(generated, _pairs_summary(pairs))),
        columns=columns,
        rows=[_pair_values(p) for p in pairs],
    )
    for form, form_pairs in by_form.items():
        ws = wb.create_sheet(unique_sheet_title(form or tr("paper-no-form"), taken))
        _write_table(
            ws,
            title=PAIRS_TITLE,
            lines=(
                clean_line(organization),
                tr("paper-form-line", form=form or "—"),
                _generated_line(generated, _pairs_summary(form_pairs)),
            ),
            columns=columns,
            rows=[_pair_values(p) for p in form_pairs],
        )
    return _save(wb)


def people_workbook(title: str, people: Sequence[PersonRow], *, organization: str, generated: datetime) -> bytes:
    """One base («База наставляемых», «База наставников»): one sheet, a row per person in the given order.

    After the fixed columns (`PEOPLE_COLUMNS`) comes one column per key of `details`, the union over all people
    in first-seen order; a person without that key has an empty cell. № is the row's running number.
    """
    title = clean_line(title) or tr("paper-base-title")
    wb = _new_workbook()
    _set_properties(wb, title, organization, generated)
    detail_keys: dict[str, None] = {}
    for person in people:
        for key in person.details:
            detail_keys.setdefault(key, None)
    layout = (("int", 5, 8), ("text", 10, 14), ("text", 16, 32), ("text", 12, 28), ("text", 14, 28),
              ("text", 12, 28), ("int", 8, 9), ("text", 10, 24), ("date", 12, 12))  # fmt: skip
    columns = (
        *(_Column(caption, *shape) for caption, shape in zip(PEOPLE_COLUMNS, layout, strict=True)),
        *(_Column(clean_line(key), "text", 12, 45) for key in detail_keys),
    )
    rows: list[list[Value]] = []
    for i, p in enumerate(people, 1):
        rows.append(
            [
                i,
                clean_line(p.pseudonym),
                clean_line(p.name),
                clean_line(p.role),
                clean_line(p.form),
                clean_line(p.club) if p.club is not None else None,
                p.age,
                clean_line(p.status),
                p.joined,
                *(clean_text(p.details[k]) if p.details.get(k) is not None else None for k in detail_keys),
            ]
        )
    ws = wb.active
    ws.title = unique_sheet_title(title, set())
    _write_table(
        ws,
        title=title,
        lines=(clean_line(organization), _generated_line(generated, tr("paper-people-total", n=len(people)))),
        columns=columns,
        rows=rows,
        frozen_columns=3,  # №, Псевдоним and ФИО stay in sight while scrolling through the answers
    )
    return _save(wb)


def unique_sheet_title(label: str, taken: set[str]) -> str:
    """A sheet title Excel accepts, made from `label`, not equal (ignoring case) to any in `taken`; adds it.

    `[]:*?/\\` become «-», control characters and line breaks become spaces, leading and trailing apostrophes
    go, the title is cut to 31 UTF-16 code units; a clash gets « (2)», « (3)», … within the same limit.
    """
    base = clean_line(clean_line(label).translate(_SHEET_TITLE_FORBIDDEN)).strip(" '")
    base = _cut_utf16(base, SHEET_TITLE_MAX).rstrip(" '") or tr("paper-sheet")
    candidate = base
    n = 1
    while candidate.casefold() in taken or candidate.casefold() in _RESERVED_SHEET_TITLES:
        n += 1
        suffix = f" ({n})"
        candidate = _cut_utf16(base, SHEET_TITLE_MAX - len(suffix)).rstrip(" '") + suffix
    taken.add(candidate.casefold())
    return candidate


# --- internals -----------------------------------------------------------------------------------------------


def _cut_utf16(text: str, limit: int) -> str:
    """The longest prefix of `text` that is at most `limit` UTF-16 code units (emoji take two)."""
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return text[:i]
    return text


def _pair_values(p: PairRow) -> list[Value]:
    return [
        p.number,
        clean_line(p.form),
        clean_line(p.mentor),
        clean_line(p.mentor_position) if p.mentor_position else None,
        "\n".join(clean_line(m) for m in p.mentees),
        p.kind,
        p.score,
        clean_text(p.reasons).strip() if p.reasons else None,
        p.confirmed,
    ]


def _pairs_summary(pairs: Sequence[PairRow]) -> str:
    groups = sum(1 for p in pairs if len(p.mentees) > 1)
    mentees = sum(len(p.mentees) for p in pairs)
    return tr("paper-pairs-summary", pairs=len(pairs) - groups, groups=groups, mentees=mentees)


def _generated_line(generated: datetime, summary: str) -> str:
    return tr("paper-generated", at=f"{generated:%d.%m.%Y %H:%M}", summary=summary)


def _write_table(
    ws: Worksheet,
    *,
    title: str,
    lines: Iterable[str],
    columns: Sequence[_Column],
    rows: Sequence[Sequence[Value]],
    frozen_columns: int = 0,
    print_columns: int | None = None,
) -> None:
    """`print_columns`: how many first columns a page printed across repeats (default: the frozen ones)."""
    from openpyxl.utils import get_column_letter

    st = _styles()
    _set_text(ws.cell(row=1, column=1), title).font = st.title_font
    row = 2
    for line in lines:
        _set_text(ws.cell(row=row, column=1), line).font = st.note_font
        row += 1
    header_row = row + 1
    last_col = get_column_letter(len(columns))

    for c, col in enumerate(columns, 1):
        cell = _set_text(ws.cell(row=header_row, column=c), col.caption)
        cell.font = st.header_font
        cell.fill = st.header_fill
        cell.alignment = st.header_align
        cell.border = st.border

    widths = [_width(col, (values[c] for values in rows)) for c, col in enumerate(columns)]
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    _fit_height(ws, header_row, [col.caption for col in columns], widths, bold=True)

    for r, values in enumerate(rows, header_row + 1):
        _fit_height(ws, r, values, widths)
        for c, (col, value) in enumerate(zip(columns, values, strict=True), 1):
            cell = ws.cell(row=r, column=c)
            cell.font = st.body_font
            if isinstance(value, str):
                _set_text(cell, value)
            elif isinstance(value, datetime):
                cell.value = value.date()
            elif isinstance(value, float) and not math.isfinite(value):
                cell.value = None
            else:
                cell.value = value
            cell.border = st.border
            if col.kind == "date":
                cell.number_format = DATE_FORMAT
                cell.alignment = st.center_align
            elif col.kind == "score":
                cell.number_format = SCORE_FORMAT
                cell.alignment = st.number_align
            elif col.kind == "int":
                cell.alignment = st.number_align
            elif col.kind == "center":
                cell.alignment = st.center_align
            else:
                cell.alignment = st.text_align

    last_row = header_row + max(len(rows), 1)
    ws.auto_filter.ref = f"A{header_row}:{last_col}{last_row}"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=frozen_columns + 1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    pages, repeated = print_layout(widths, frozen_columns if print_columns is None else print_columns)
    if repeated:
        ws.print_title_cols = f"A:{get_column_letter(repeated)}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = pages
    ws.page_setup.fitToHeight = 0
    ws.page_setup.pageOrder = "overThenDown"  # a row's pages across come one after another
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = PRINT_SIDE_MARGIN
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.left.text = _footer_text(title)
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = tr("paper-page-of")
    ws.oddFooter.right.size = 8


def column_px(width: float) -> float:
    """A column's printed width in pixels at 96 dpi, as Excel counts it for Calibri 11."""
    return 7 * width + 5


def print_layout(widths: Sequence[float], repeated: int = 0) -> tuple[int, int]:
    """(pages across, first columns repeated on each) that print the table at MIN_PRINT_SCALE or larger.

    One page when it fits; else the first `repeated` columns (who the row is about) are printed on every page,
    unless they alone take half a page (then nothing is repeated)."""
    total = sum(column_px(w) for w in widths)
    capacity = PRINT_WIDTH_PX / MIN_PRINT_SCALE
    if total <= capacity:
        return 1, 0
    fixed = sum(column_px(w) for w in widths[:repeated])
    if fixed > capacity / 2:
        fixed, repeated = 0, 0
    return math.ceil((total - fixed) / (capacity - fixed)), repeated


def _width(col: _Column, values: Iterable[Value]) -> float:
    """Characters wide: the longest line of the content (and of the caption, if it fits) within the column's
    limits, but never narrower than the caption's longest word, so a header never breaks inside a word."""
    caption = _line_width(col.caption, bold=True)
    need = caption if caption + 2 <= col.max_width else 0.0
    for value in values:
        if value is None:
            continue
        if isinstance(value, date):
            width = 10.0
        elif isinstance(value, float):
            width = float(len(f"{value:.1f}"))
        elif isinstance(value, str):
            width = max((_line_width(line) for line in value.split("\n")), default=0.0)
        else:
            width = float(len(str(value)))
        need = max(need, width)
        if need >= col.max_width:
            break
    longest_word = max((_line_width(w, bold=True) for w in col.caption.split()), default=0.0)
    width = min(max(need + 2, col.min_width), col.max_width)
    return float(math.ceil(max(width, longest_word + 2)))


def _line_width(line: str, *, bold: bool = False) -> float:
    words = line.split(" ")
    return (sum(_chars(w) for w in words) + _SPACE * (len(words) - 1)) * (_BOLD if bold else 1.0)


def _fit_height(
    ws: Worksheet, row: int, values: Sequence[Value], widths: Sequence[float], *, bold: bool = False
) -> None:
    """Set the row's height to fit its wrapped text: spreadsheet apps don't re-measure rows of a file they open."""
    lines = max(
        (_wrapped_lines(v, w, bold) for v, w in zip(values, widths, strict=True) if isinstance(v, str)), default=1
    )
    if lines > 1:
        ws.row_dimensions[row].height = min(lines * LINE_HEIGHT + 2, MAX_ROW_HEIGHT)


def _wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines `text` takes in a wrapped cell `width` characters wide (a greedy word wrap, erring long)."""
    capacity = max(width - 1.0, 1.0)  # the cell's inner padding
    scale = _BOLD if bold else 1.0
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0.0
        for word in paragraph.split(" "):
            w = _chars(word) * scale
            gap = _SPACE if used else 0.0
            if used + gap + w <= capacity:
                used += gap + w
                continue
            if used:
                lines += 1
            while w > capacity:  # a word longer than the cell breaks anywhere
                lines += 1
                w -= capacity
            used = w
        total += lines
    return total


def _chars(word: str) -> float:
    """Width of `word` in widths of «0»: capitals and wide Cyrillic letters are wider, punctuation narrower."""
    width = 0.0
    for ch in word:
        if unicodedata.east_asian_width(ch) in "WF":
            width += 2.0
        elif ch.isupper() or ch in "шщжюмфыШЩЖЮМФЫ":
            width += 1.25
        elif ch in ".,:;!|'()[]-ijlrtI":
            width += 0.6
        else:
            width += 1.0
    return width


def _text(value: str) -> str:
    text = clean_text(value)
    if len(text) > CELL_TEXT_MAX:
        text = text[: CELL_TEXT_MAX - 1] + "…"
    return text


def _set_text(cell: Cell, value: str) -> Cell:
    """Store `value` as a string whatever it looks like («=1+1», «#N/A», «00123»); returns the cell."""
    text = _text(value)
    cell.value = text or None
    if text:
        cell.data_type = "s"
    return cell


def _footer_text(title: str) -> str:
    # «&» starts a control code in header/footer text.
    return clean_line(title)[:100].replace("&", "&&")


def _properties(title: str, organization: str, generated: datetime) -> dict[str, str | datetime]:
    """The document properties of a workbook, by openpyxl's attribute names (`created` is naive UTC when
    `generated` is aware). Shared with `bot.reports.export_xlsx`, which writes them without openpyxl."""
    created = generated.astimezone(UTC).replace(tzinfo=None) if generated.tzinfo else generated
    return {
        "title": clean_line(title),
        "subject": clean_line(organization),
        "creator": "Nastavnik",
        "description": tr("paper-description", org=clean_line(organization), at=f"{generated:%d.%m.%Y %H:%M}"),
        "language": "ru-RU",
        "created": created.replace(microsecond=0),
    }


def _new_workbook() -> Workbook:
    from openpyxl import Workbook

    return Workbook()


def _set_properties(wb: Workbook, title: str, organization: str, generated: datetime) -> None:
    for name, value in _properties(title, organization, generated).items():
        setattr(wb.properties, name, value)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
