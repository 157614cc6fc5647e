"""The roadmap as the control material of item 6.1 (XLSX bytes): what was planned, what is done, what is late.

Sheet «Дорожная карта»: the title block, then the table №, Содержание, Сроки, Ожидаемый результат,
Ответственные, Статус, Отметка о выполнении, Примечание, Документы, with each section as a bold merged row
before its items. Sheet «Сводка»: how many items of each section are done, in progress, overdue, planned.
The layout (frozen bold header, borders, wrapping, fitted widths and heights, real dates, A4 landscape) is
`bot.documents.xlsx`'s, reused through its helpers. openpyxl is imported when a workbook is built (as there):
`bot.roadmap` is imported by the scheduler and the storage, which never write one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.documents.model import clean_line, clean_text
from bot.documents.xlsx import (
    FONT_NAME,
    FONT_SIZE,
    LINE_HEIGHT,
    MAX_ROW_HEIGHT,
    Value,
    _Column,
    _generated_line,
    _new_workbook,
    _save,
    _set_properties,
    _wrapped_lines,
    _write_table,
    unique_sheet_title,
)
from bot.i18n import tr
from bot.roadmap.deadlines import (
    STATUS_LABELS,
    STATUSES,
    Status,
    describe_deadline,
    programme_label,
    section_progress,
    status,
)
from bot.roadmap.model import ItemState, Roadmap

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

ROADMAP_SHEET = tr("roadmap-xlsx-sheet")
SUMMARY_SHEET = tr("roadmap-xlsx-summary-sheet")
_ROADMAP_KEYS = ("number", "content", "deadline", "result", "responsible", "status", "done", "note", "documents")
ROADMAP_COLUMNS: tuple[str, ...] = tuple(tr(f"roadmap-xlsx-column-{key}") for key in _ROADMAP_KEYS)
SUMMARY_COLUMNS: tuple[str, ...] = (
    tr("roadmap-xlsx-column-section"),
    tr("roadmap-xlsx-column-total"),
    *(STATUS_LABELS[s].capitalize() for s in STATUSES),
)

# Excel's own «Хороший» / «Нейтральный» / «Плохой» cell styles.
_STATUS_STYLE: dict[Status, tuple[str, str]] = {
    "done": ("C6EFCE", "006100"),
    "in_progress": ("FFEB9C", "9C5700"),
    "overdue": ("FFC7CE", "9C0006"),
}

__all__ = ["ROADMAP_COLUMNS", "SUMMARY_COLUMNS", "ItemState", "roadmap_workbook"]


def roadmap_workbook(
    roadmap: Roadmap,
    programme_year: int,
    today: date,
    statuses: Mapping[str, ItemState],
    *,
    organization: str,
    generated: datetime,
) -> bytes:
    """The control material of 6.1 for that programme year, with statuses as of `today`.

    `statuses` maps an item number to what the curator recorded (a missing item has no marks). The date column
    shows the done mark even when a later checkpoint has made the item due again (its status says so), but not a
    mark the curator took back: a reopened item is not done, and its note says which mark was taken back.
    """
    from openpyxl.styles import Font, PatternFill

    label = programme_label(programme_year)
    title = tr("roadmap-xlsx-title", title=clean_line(roadmap.title), label=label)
    wb = _new_workbook()
    _set_properties(wb, title, organization, generated)

    # Widths that print the roadmap one A4 page wide at a readable scale (`MIN_PRINT_SCALE`) even with long
    # notes and documents' names (they wrap); were it wider, pages across would repeat the item's number.
    layout = (("center", 6, 8), ("text", 30, 44), ("text", 14, 22), ("text", 20, 30), ("text", 14, 20),
              ("center", 12, 14), ("date", 12, 12), ("text", 14, 22), ("text", 14, 22))  # fmt: skip
    columns = tuple(_Column(caption, *shape) for caption, shape in zip(ROADMAP_COLUMNS, layout, strict=True))
    rows: list[list[Value]] = []
    separators: list[int] = []  # indexes into rows
    item_status: dict[int, Status] = {}
    counts = dict.fromkeys(STATUSES, 0)
    for section in roadmap.sections:
        separators.append(len(rows))
        rows.append([f"{section.number}. {clean_line(section.title)}", *([None] * (len(columns) - 1))])
        for item in roadmap.items_of(section.number):
            state = statuses.get(item.number) or ItemState()
            st = status(item, programme_year, today, state.done_at, state.reopened)
            counts[st] += 1
            item_status[len(rows)] = st
            rows.append(
                [
                    item.number,
                    clean_line(item.content),
                    describe_deadline(item, programme_year),
                    clean_line(item.result),
                    "\n".join(clean_line(r) for r in item.responsible),
                    STATUS_LABELS[st],
                    state.effective_done_at,
                    _note(state),
                    "\n".join(clean_line(d) for d in state.documents if clean_line(d)) or None,
                ]
            )

    total = sum(counts.values())
    summary = ", ".join(tr("roadmap-xlsx-count", status=STATUS_LABELS[s], n=counts[s]) for s in STATUSES)
    lines = (
        clean_line(organization),
        tr("roadmap-xlsx-state", label=label, today=f"{today:%d.%m.%Y}"),
        _generated_line(generated, tr("roadmap-xlsx-items", total=total, summary=summary)),
    )
    taken: set[str] = set()
    ws = wb.active
    ws.title = unique_sheet_title(ROADMAP_SHEET, taken)
    # Printed across pages, each page keeps the item's number.
    _write_table(ws, title=title, lines=lines, columns=columns, rows=rows, print_columns=1)
    header_row = _header_row(ws, ROADMAP_COLUMNS[0])
    _style_separators(ws, [header_row + 1 + i for i in separators], len(columns))
    status_col = _ROADMAP_KEYS.index("status") + 1
    for i, st in item_status.items():
        if st in _STATUS_STYLE:
            fill, color = _STATUS_STYLE[st]
            cell = ws.cell(row=header_row + 1 + i, column=status_col)
            cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
            cell.font = Font(name=FONT_NAME, size=FONT_SIZE, color=color)

    summary_ws = wb.create_sheet(unique_sheet_title(SUMMARY_SHEET, taken))
    _summary_sheet(summary_ws, roadmap, programme_year, today, statuses, title=title, lines=lines)
    return _save(wb)


def _summary_sheet(
    ws: Worksheet,
    roadmap: Roadmap,
    programme_year: int,
    today: date,
    statuses: Mapping[str, ItemState],
    *,
    title: str,
    lines: tuple[str, ...],
) -> None:
    from openpyxl.styles import Font

    done = {
        number: state.done_at for number, state in statuses.items() if state.done_at is not None and not state.reopened
    }
    columns = (
        _Column(SUMMARY_COLUMNS[0], "text", 30, 60),
        _Column(SUMMARY_COLUMNS[1], "int", 8, 8),
        *(_Column(caption, "int", 10, 14) for caption in SUMMARY_COLUMNS[2:]),
    )
    rows: list[list[Value]] = []
    totals = dict.fromkeys(STATUSES, 0)
    for section, counts in section_progress(roadmap, programme_year, today, done):
        rows.append(
            [f"{section.number}. {clean_line(section.title)}", sum(counts.values()), *(counts[s] for s in STATUSES)]
        )
        for s in STATUSES:
            totals[s] += counts[s]
    rows.append([tr("roadmap-xlsx-total"), sum(totals.values()), *(totals[s] for s in STATUSES)])
    _write_table(ws, title=tr("roadmap-xlsx-summary-title", title=title), lines=lines, columns=columns, rows=rows)
    last = _header_row(ws, SUMMARY_COLUMNS[0]) + len(rows)
    total_font = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
    for c in range(1, len(columns) + 1):
        ws.cell(row=last, column=c).font = total_font


def _note(state: ItemState) -> str | None:
    """The curator's note, after the done mark they took back (so the paper keeps the record, not the mark)."""
    parts: list[str] = []
    if state.reopened and state.done_at is not None:
        parts.append(tr("roadmap-xlsx-reopened", day=f"{state.done_at:%d.%m.%Y}"))
    if state.note and clean_text(state.note).strip():
        parts.append(clean_text(state.note).strip())
    return "\n".join(parts) or None


def _header_row(ws: Worksheet, first_caption: str) -> int:
    """The row of the table's header, wherever `_write_table` placed it under its title block."""
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == first_caption:
            return row
    raise AssertionError("no table header")  # pragma: no cover - _write_table always writes it


def _style_separators(ws: Worksheet, rows: list[int], ncols: int) -> None:
    """Section rows: one bold shaded cell across the table, as high as its wrapped title needs."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    section_font = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
    section_fill = PatternFill("solid", start_color="EDEDED", end_color="EDEDED")
    section_align = Alignment(horizontal="left", vertical="center", wrap_text=True)
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 8 for c in range(1, ncols + 1))
    for r in rows:
        cell = ws.cell(row=r, column=1)
        text = str(cell.value or "")
        for c in range(1, ncols + 1):
            ws.cell(row=r, column=c).fill = section_fill
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        cell.font = section_font
        cell.alignment = section_align
        lines = _wrapped_lines(text, width, bold=True)
        ws.row_dimensions[r].height = min(lines * LINE_HEIGHT + 4, MAX_ROW_HEIGHT)
