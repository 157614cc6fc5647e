"""«Акт об уничтожении персональных данных» for a period (DOCX bytes), as Приказ Роскомнадзора от 28.10.2022
№ 179 requires of an operator that processes personal data by automated means.

The order names what the act must hold: the operator's name and address; the surname, name and position of
the persons who destroyed the data, and their signatures; the subjects (or other information identifying them)
and the list of categories of data destroyed; the name of the information system or the material carrier; the
method and the reason of destruction; the date. With automated processing the act goes together with an
extract from the system's event log: here the table of records is that extract, from `destruction_log` (a
pseudonym and a role, never a name: the names were destroyed).

python-docx (with lxml, about 15 MiB of RSS) is imported inside `destruction_act_docx`, which callers run in a
worker thread; importing this module costs nothing.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import TYPE_CHECKING, Any

from bot.clock import parse_iso
from bot.documents.model import clean_line
from bot.i18n import tr
from bot.participants import CATEGORY_LABELS
from bot.programme import ROLE_LABELS, Role

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.shared import Length
    from docx.table import Table
    from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
TITLE = tr("act-title")
SUBTITLE = tr("act-subtitle")
NUMBER_BLANK = "____"
LINE_BLANK = "______________________________"
SIGNATURE_BLANK = "______________"
METHOD = tr("act-method")
SUBJECTS = tr("act-subjects")
TABLE_HEADERS = tuple(
    tr(f"act-column-{key}") for key in ("number", "subject", "categories", "when", "requested", "reason")
)
SIGNERS = (tr("act-signer-curator"), tr("act-signer-responsible"), "")
SIGNERS_HEADERS = tuple(tr(f"act-signers-column-{key}") for key in ("position", "name", "signature", "date"))
#: `destruction_log.requested_by` in the act's words.
REQUESTED_BY = {
    "participant": tr("act-requested-participant"),
    "parent": tr("act-requested-parent"),
}


@dataclass(frozen=True)
class DestroyedRecord:
    """One line of `destruction_log`, with its labels already in Russian and its time in local time."""

    pseudonym: str  # «P-00012»
    role: str  # «наставник»
    categories: tuple[tuple[str, int], ...]  # (category label, rows destroyed), only those with rows
    destroyed_at: datetime  # local time
    requested_by: str  # «субъект персональных данных»
    reason: str  # «отзыв согласия»


@dataclass(frozen=True)
class ActInfo:
    organization: str
    address: str | None
    system: str  # the information system's name
    carrier: str  # where the data lived: the database file
    period_start: date
    period_end: date  # inclusive
    act_date: date


def destroyed_record(row: Mapping[str, Any], tz: tzinfo) -> DestroyedRecord:
    """A `destruction_log` row as the act shows it."""
    try:
        role = ROLE_LABELS[Role(row["role"])]
    except ValueError:
        role = str(row["role"])
    counts = json.loads(row["categories"]) if row["categories"] else {}
    return DestroyedRecord(
        pseudonym=str(row["pseudonym"]),
        role=role,
        categories=tuple((CATEGORY_LABELS.get(k, k), int(v)) for k, v in counts.items() if v),
        destroyed_at=parse_iso(row["destroyed_at"]).astimezone(tz),
        requested_by=REQUESTED_BY.get(row["requested_by"], str(row["requested_by"])),
        reason=str(row["reason"]),
    )


def destruction_act_docx(info: ActInfo, records: Sequence[DestroyedRecord]) -> bytes:
    """The act for `records` (oldest first), with the signature lines; runs in a worker thread."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    from bot.documents.docx_order import set_fonts

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    set_fonts(normal.element.get_or_add_rPr())

    organization = clean_line(info.organization)
    address = clean_line(info.address or "") or LINE_BLANK
    period = tr("act-period", start=f"{info.period_start:%d.%m.%Y}", end=f"{info.period_end:%d.%m.%Y}")

    def para(
        text: str, *, center: bool = False, bold: bool = False, before: int = 0, indent: bool = False
    ) -> Paragraph:
        p = doc.add_paragraph()
        p.add_run(text).bold = bold or None
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif indent:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1.25)
        if before:
            p.paragraph_format.space_before = Pt(before)
        return p

    def labelled(label: str, text: str) -> None:
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(text)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.space_before = Pt(6)

    para(organization, center=True, bold=True)
    para(tr("act-address", address=address), center=True)
    para(TITLE, center=True, bold=True, before=18)
    para(SUBTITLE, center=True, bold=True)
    para(tr("act-date-line", date=f"{info.act_date:%d.%m.%Y}", number=NUMBER_BLANK), center=True, before=6)
    para(tr("act-for-period", period=period), center=True)

    categories: dict[str, int] = {}
    for record in records:
        for label, count in record.categories:
            categories[label] = categories.get(label, 0) + count
    reasons = list(dict.fromkeys(clean_line(r.reason) for r in records))

    labelled(tr("act-label-operator"), tr("act-operator", org=organization, address=address))
    labelled(tr("act-label-system"), clean_line(info.system))
    labelled(tr("act-label-carrier"), clean_line(info.carrier))
    labelled(tr("act-label-subjects"), tr("act-subjects-count", subjects=SUBJECTS, n=len(records)))
    labelled(
        tr("act-label-categories"),
        "; ".join(f"{label} — {count}" for label, count in categories.items()) or "—",
    )
    labelled(tr("act-label-method"), METHOD)
    labelled(tr("act-label-reason"), "; ".join(reasons) or "—")
    dates = sorted({r.destroyed_at.date() for r in records})
    labelled(
        tr("act-label-date"),
        ", ".join(f"{d:%d.%m.%Y}" for d in dates) or "—",
    )

    para(tr("act-log-heading", period=period), before=12, indent=True)
    table = _table(doc, 1 + max(len(records), 1), (0.9, 3.2, 4.4, 2.6, 2.4, 3.0))
    rows = list(table.rows)
    for cell, caption in zip(rows[0].cells, TABLE_HEADERS, strict=True):
        cell.text = caption
        cell.paragraphs[0].runs[0].bold = True
    for n, (row, record) in enumerate(zip(rows[1:], records, strict=False), start=1):
        values = (
            f"{n}.",
            f"{clean_line(record.pseudonym)}, {clean_line(record.role)}",
            "; ".join(f"{clean_line(label)}: {count}" for label, count in record.categories) or "—",
            f"{record.destroyed_at:%d.%m.%Y %H:%M}",
            clean_line(record.requested_by),
            clean_line(record.reason),
        )
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    if not records:
        for cell in rows[1].cells:
            cell.text = "—"
    _small(table, Pt(11))

    para(tr("act-destroyed-by"), bold=True, before=18)
    signers = _table(doc, 1 + len(SIGNERS), (5.0, 5.0, 3.0, 3.5))
    signer_rows = list(signers.rows)
    for cell, caption in zip(signer_rows[0].cells, SIGNERS_HEADERS, strict=True):
        cell.text = caption
        cell.paragraphs[0].runs[0].bold = True
    for row, position in zip(signer_rows[1:], SIGNERS, strict=True):
        for cell, value in zip(
            row.cells, (position or LINE_BLANK, LINE_BLANK, SIGNATURE_BLANK, "«___» ______"), strict=True
        ):
            cell.text = value
    _small(signers, Pt(12))

    head = para(tr("act-head", blank=SIGNATURE_BLANK, line=LINE_BLANK), before=24)
    head.paragraph_format.tab_stops.add_tab_stop(Cm(7.5))
    head.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
    para(tr("act-seal"), before=6)

    props = doc.core_properties
    props.title = f"{TITLE} {SUBTITLE}"
    props.subject = organization
    props.author = "Nastavnik"
    props.comments = tr("act-property-comments", period=period)
    props.language = "ru-RU"
    props.created = props.modified = datetime.combine(info.act_date, time())

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _table(doc: DocumentObject, rows: int, widths_cm: Sequence[float]) -> Table:
    from docx.shared import Cm

    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        for cell in column.cells:
            cell.width = Cm(width)
    return table


def _small(table: Table, size: Length) -> None:
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = size
