"""A draft of the director's order «О закреплении наставнических пар (групп)» (DOCX bytes), roadmap item 4.4.

Layout of a Russian institution's order: A4, margins left 3 cm, right 1.5 cm, top and bottom 2 cm, Times New
Roman 14 single-spaced, body paragraphs justified with a 1.25 cm first-line indent. The organization at the top,
«ПРИКАЗ», the date and number line (a blank to fill in when there is no number yet), the city (a blank line
when unknown), the title, the preamble citing Р-145 and the institution's «Положение о наставничестве» (its
date and number, blanks when unknown), four numbered points, the director's signature line, «С приказом
ознакомлены:» with a line for the curator and each adult of the pairs (mentors and young teachers, no
children); then, on a new page, «Приложение к приказу» with the table of pairs (Times New Roman 12) grouped by
form of mentoring: the form cell spans the pairs of that form.

The points are plain text («1. …»), not Word list numbering, so the draft edits predictably in Word and
LibreOffice alike. Names are not declined: the curator goes in parentheses, which needs no grammatical case.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, time

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Length, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from bot.documents.model import OrderInfo, PairRow, clean_line
from bot.i18n import tr

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
TABLE_SIZE = Pt(12)
TEXT_WIDTH = Cm(16.5)  # A4 21 cm minus 3 cm and 1.5 cm
INDENT = Cm(1.25)
TABLE_STYLE = "Order Table Text"
TABLE_STYLE_ID = "OrderTableText"

ORDER_TITLE = tr("order-title")
APPENDIX_TITLE = tr("order-appendix")
TABLE_HEADERS = tuple(tr(f"order-column-{key}") for key in ("number", "form", "mentor", "mentees"))
TABLE_WIDTHS = (Cm(1.2), Cm(4.0), Cm(5.3), Cm(6.0))
STAGES = tuple(tr("order-stages").split(", "))
NUMBER_BLANK = "____"
NAME_BLANK = "____________________"
CITY_BLANK = "____________________"
DATE_BLANK = "«___» ____________ 20___ г."
SIGNATURE_BLANK = "______________"
R145 = tr("order-r145")


def order_docx(info: OrderInfo, pairs: Sequence[PairRow]) -> bytes:
    """The order with its appendix; `pairs` in the order the appendix should list them within each form."""
    doc = Document()
    _set_up(doc, info)
    organization = clean_line(info.organization)
    date_line = order_date_line(info)
    year = clean_line(info.programme_year)

    _para(doc, organization, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    _para(doc, tr("order-heading"), align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, before=18, after=12)
    _para(doc, date_line, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, clean_line(info.city or "") or CITY_BLANK, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, ORDER_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, before=18, after=12)

    _body(
        doc,
        tr("order-preamble", r145=R145, regulation=regulation_clause(info), year=year),
    )
    _para(doc, tr("order-commands"), before=6, after=6)
    curator = clean_line(info.curator or "") or SIGNATURE_BLANK
    for point in (
        tr("order-point-pairs"),
        tr("order-point-stages", stages=", ".join(STAGES)),
        tr("order-point-curator", curator=curator),
        tr("order-point-control"),
    ):
        _body(doc, point)

    director = clean_line(info.director or "") or NAME_BLANK
    signed = tr("order-director", blank=SIGNATURE_BLANK, director=director)
    signature = _para(doc, signed, before=36, keep_with_next=True)
    signature.paragraph_format.tab_stops.add_tab_stop(Cm(6.5))
    signature.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)

    _para(doc, tr("order-acquainted"), before=24, after=6, keep_with_next=True)
    _acquaintance_table(doc, info, pairs)

    appendix = _para(doc, APPENDIX_TITLE, page_break=True)
    for p in (appendix, _para(doc, organization), _para(doc, date_line)):
        p.paragraph_format.left_indent = Cm(9.5)
    _para(
        doc,
        tr("order-appendix-heading", year=year),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        bold=True,
        before=18,
        after=12,
        keep_with_next=True,
    )
    _pairs_table(doc, pairs)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def regulation_clause(info: OrderInfo) -> str:
    """«Положением о наставничестве, утверждённым приказом от 01.09.2026 № 12-од», blanks for what is unknown."""
    when = f"{info.regulation_date:%d.%m.%Y}" if info.regulation_date else DATE_BLANK
    number = clean_line(info.regulation_number or "") or NUMBER_BLANK
    return tr("order-regulation", date=when, number=number)


def order_date_line(info: OrderInfo) -> str:
    """«от 15.09.2026 № 123-од», or with «№ ____» to fill in by hand."""
    number = clean_line(info.order_number or "") or NUMBER_BLANK
    return tr("order-date-line", date=f"{info.order_date:%d.%m.%Y}", number=number)


# --- the two tables ------------------------------------------------------------------------------------------


def _acquaintance_table(doc: DocumentObject, info: OrderInfo, pairs: Sequence[PairRow]) -> None:
    """Name, signature and date: the curator first (a blank line if unknown), then every adult of the pairs
    once (their mentors and young teachers; the caller leaves children out of `PairRow.signers`)."""
    names: dict[str, None] = {clean_line(info.curator or "") or NAME_BLANK: None}
    for pair in pairs:
        for name in (pair.mentor,) if pair.signers is None else pair.signers:
            names.setdefault(clean_line(name) or NAME_BLANK, None)
    rows = list(names)
    while len(rows) < 3:  # room for whoever the director adds
        rows.append(NAME_BLANK)
    date_blank = tr("order-date-blank", year=str(info.order_date.year))
    table = _table(doc, len(rows), (Cm(7.0), Cm(3.5), Cm(6.0)), style=None)
    for row, name in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, (name, SIGNATURE_BLANK, date_blank), strict=True):
            _cell_text(cell, [text])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
            cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def _pairs_table(doc: DocumentObject, pairs: Sequence[PairRow]) -> Table:
    by_form: dict[str, list[PairRow]] = {}
    for pair in pairs:
        by_form.setdefault(clean_line(pair.form), []).append(pair)
    table = _table(doc, 1 + max(len(pairs), 1), TABLE_WIDTHS, style="Table Grid")

    rows = list(table.rows)  # table.rows[i] walks the table each time
    header = rows[0]
    _row_flags(header, header=True)
    for cell, caption in zip(header.cells, TABLE_HEADERS, strict=True):
        _cell_text(cell, [caption], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    if not pairs:
        for cell in rows[1].cells:
            _cell_text(cell, ["—"], align=WD_ALIGN_PARAGRAPH.CENTER)
        return table

    index = 1
    for form, form_pairs in by_form.items():
        first = index
        for pair in form_pairs:
            row = rows[index]
            if len(pair.mentees) <= 10:
                _row_flags(row, header=False)
            number, form_cell, mentor_cell, mentees_cell = row.cells
            _cell_text(number, [f"{index}."], align=WD_ALIGN_PARAGRAPH.CENTER)
            if index == first:
                _cell_text(form_cell, [form or "—"])
            _cell_text(mentor_cell, [clean_line(pair.mentor) or "—"])
            position = clean_line(pair.mentor_position or "")
            if position:
                _cell_line(mentor_cell, position).italic = True
            _cell_text(mentees_cell, [clean_line(m) or "—" for m in pair.mentees] or ["—"])
            index += 1
        if index - 1 > first:
            table.cell(first, 1).merge(table.cell(index - 1, 1))
    return table


# --- helpers -------------------------------------------------------------------------------------------------


def _table(doc: DocumentObject, rows: int, widths: Sequence[Length], *, style: str | None) -> Table:
    """A table of fixed column widths across the text width: long words wrap inside their cell."""
    table = doc.add_table(rows=rows, cols=len(widths))
    if style:
        table.style = doc.styles[style]
    table.autofit = False  # w:tblLayout fixed
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(sum(w.twips for w in widths)))
    tbl_w.set(qn("w:type"), "dxa")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table


def _row_flags(row: _Row, *, header: bool) -> None:
    """Never split the row across pages; a header row repeats on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _cell_text(
    cell: _Cell, lines: Sequence[str], *, bold: bool = False, align: WD_ALIGN_PARAGRAPH | None = None
) -> None:
    """`lines` as paragraphs of the table style, replacing whatever the cell held."""
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for i, line in enumerate(lines):
        p = paragraphs[0] if i == 0 else cell.add_paragraph()
        _table_style(p)
        for run in list(p.runs):
            run._r.getparent().remove(run._r)
        run = p.add_run(line)
        run.bold = bold or None
        if align is not None:
            p.alignment = align


def _cell_line(cell: _Cell, text: str) -> Run:
    """One more paragraph of the table style in `cell`; returns its run."""
    p = cell.add_paragraph()
    _table_style(p)
    return p.add_run(text)


def _table_style(p: Paragraph) -> None:
    # By id: `p.style = name` looks the style up among all styles, which is slow for a long table.
    p._p.get_or_add_pPr().style = TABLE_STYLE_ID


def _body(doc: DocumentObject, text: str) -> Paragraph:
    p = _para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    p.paragraph_format.first_line_indent = INDENT
    return p


def _para(
    doc: DocumentObject,
    text: str,
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    bold: bool = False,
    before: float = 0,
    after: float = 0,
    keep_with_next: bool = False,
    page_break: bool = False,
) -> Paragraph:
    p = doc.add_paragraph()
    if text:
        p.add_run(text).bold = bold or None
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    if before:
        fmt.space_before = Pt(before)
    if after:
        fmt.space_after = Pt(after)
    if keep_with_next:
        fmt.keep_with_next = True
    if page_break:
        fmt.page_break_before = True
    return p


def _set_up(doc: DocumentObject, info: OrderInfo) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.header_distance = section.footer_distance = Cm(1.25)

    styles = doc.styles
    # Defaults for everything (also table cells and styles we don't touch): Times New Roman, Russian, no gaps.
    defaults = styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(r_pr)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "ru-RU")
    lang.set(qn("w:eastAsia"), "ru-RU")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = True

    table_text = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.style_id = TABLE_STYLE_ID
    table_text.base_style = normal
    table_text.font.size = TABLE_SIZE
    table_text.paragraph_format.first_line_indent = Cm(0)
    table_text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    props = doc.core_properties
    props.title = tr("order-property-title", title=ORDER_TITLE)
    props.subject = clean_line(info.organization)
    props.author = clean_line(info.curator or "") or "Nastavnik"
    props.last_modified_by = props.author
    props.comments = tr("order-property-comments")
    props.keywords = tr("order-property-keywords")
    props.category = tr("order-property-category")
    props.language = "ru-RU"
    props.revision = 1
    props.created = props.modified = datetime.combine(info.order_date, time())


def set_fonts(r_pr: BaseOxmlElement) -> None:
    """Times New Roman for every script slot, dropping theme fonts (a theme font beats an explicit one)."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
