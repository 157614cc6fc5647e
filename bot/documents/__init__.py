"""The curator's documents for forming pairs (roadmap item 4.4): pure functions from plain rows to file bytes.

- `pairs_workbook` — XLSX «Наставнические пары и группы» (a sheet «Все» and one per form of mentoring);
- `people_workbook` — XLSX «База наставляемых» / «База наставников»;
- `order_docx` — DOCX draft of the director's order «О закреплении наставнических пар (групп)».

Nothing here touches the database or the messenger: callers build `PersonRow` / `PairRow` / `OrderInfo`.
`order_docx` is imported on first access (python-docx with lxml adds about 15 MiB of RSS; an idle bot needs neither),
and the XLSX writers import openpyxl when they build a workbook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.documents.model import OrderInfo, PairRow, PersonRow
from bot.documents.xlsx import pairs_workbook, people_workbook

if TYPE_CHECKING:
    from bot.documents.docx_order import order_docx

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = [
    "DOCX_MIME",
    "XLSX_MIME",
    "OrderInfo",
    "PairRow",
    "PersonRow",
    "order_docx",
    "pairs_workbook",
    "people_workbook",
]


def __getattr__(name: str) -> Any:
    if name == "order_docx":
        from bot.documents.docx_order import order_docx

        return order_docx
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
