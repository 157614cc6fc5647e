"""The curator's documents for forming pairs (roadmap item 4.4): pure functions from plain rows to file bytes.

- `pairs_workbook` — XLSX «Наставнические пары и группы» (a sheet «Все» and one per form of mentoring);
- `people_workbook` — XLSX «База наставляемых» / «База наставников»;
- `order_docx` — DOCX draft of the director's order «О закреплении наставнических пар (групп)».

Nothing here touches the database or the messenger: callers build `PersonRow` / `PairRow` / `OrderInfo`.
"""

from __future__ import annotations

from bot.documents.docx_order import order_docx
from bot.documents.model import OrderInfo, PairRow, PersonRow
from bot.documents.xlsx import pairs_workbook, people_workbook

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
