"""Callback data and keyboards of the curator's roadmap tracker (/roadmap).

Every button names the programme year `y` it was shown for, so a card opened for 2026/2027 acts on that year
even after 1 September has passed. Item numbers («6.1.1») go into the data as they are: no ':' in them.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup

from bot.i18n import tr
from bot.roadmap import Roadmap, RoadmapItem, Status
from handlers.kb.builder import InlineKeyboardBuilder
from handlers.kb.notices import ROADMAP_CARD, RoadmapCb
from storage.roadmap import RoadmapDocument

#: What a tracker button does (`a`).
HOME = "home"  # the sections of year y
SECTION = "sec"  # the items of section s
CARD = ROADMAP_CARD  # the card of item n
DONE = "done"  # «Выполнено»: ask for a note
SKIP_NOTE = "skip"  # «Пропустить» the note
ATTACH = "att"  # «Прикрепить документ» / «Прикрепить файл»: wait for a file
FINISH = "fin"  # «Готово» / «Отмена» of the file step: back to the card
REOPEN = "reopen"  # «Вернуть в работу»
EDIT = "edit"  # «Изменить»: which field
EDIT_FIELD = "ef"  # a field to edit (f)
DELETE = "del"  # «Удалить»: confirm
DELETE_YES = "delok"  # the confirmation
ADD = "add"  # «Добавить пункт» to section s
CANCEL = "cancel"  # stop adding or editing
XLSX = "xlsx"  # «Выгрузить XLSX»
GET_DOCUMENT = "doc"  # send the attached file d

#: Fields the curator can edit, in the order of the «Изменить» keyboard.
EDIT_FIELDS: tuple[str, ...] = ("content", "deadline", "result", "responsible")

STATUS_MARKS: dict[Status, str] = {"done": "✅", "in_progress": "🟡", "overdue": "🔴", "planned": "⚪"}

_BUTTON_TEXT = 48
#: Attached documents listed on a card (each with a button that sends the file back).
DOCUMENTS_SHOWN = 10


def _short(text: str, limit: int = _BUTTON_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def sections_keyboard(roadmap: Roadmap, year: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for section in roadmap.sections:
        kb.button(
            text=_short(f"{section.number}. {section.title}"),
            callback_data=RoadmapCb(a=SECTION, y=year, s=section.number),
        )
    kb.button(text=tr("btn-roadmap-xlsx"), callback_data=RoadmapCb(a=XLSX, y=year))
    kb.button(
        text=tr("btn-roadmap-prev-year", label=f"{year - 1}/{year}"), callback_data=RoadmapCb(a=HOME, y=year - 1)
    )
    kb.button(
        text=tr("btn-roadmap-next-year", label=f"{year + 1}/{year + 2}"),
        callback_data=RoadmapCb(a=HOME, y=year + 1),
    )
    kb.adjust(*([1] * (len(roadmap.sections) + 1)), 2)
    return kb.as_markup()


def section_keyboard(items: Sequence[tuple[RoadmapItem, Status]], year: int, section: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for item, status in items:
        kb.button(text=f"{STATUS_MARKS[status]} {item.number}", callback_data=RoadmapCb(a=CARD, y=year, n=item.number))
    kb.button(text=tr("btn-roadmap-add"), callback_data=RoadmapCb(a=ADD, y=year, s=section))
    kb.button(text=tr("btn-roadmap-to-sections"), callback_data=RoadmapCb(a=HOME, y=year))
    full, rest = divmod(len(items), 4)
    kb.adjust(*([4] * full), *([rest] if rest else []), 1, 1)
    return kb.as_markup()


def card_keyboard(
    item: RoadmapItem, year: int, *, can_mark_done: bool, can_reopen: bool, documents: Sequence[RoadmapDocument]
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    cb = {"y": year, "n": item.number}
    sizes: list[int] = []
    if can_mark_done:
        kb.button(text=tr("btn-roadmap-done"), callback_data=RoadmapCb(a=DONE, **cb))
        sizes.append(1)
    if can_reopen:
        kb.button(text=tr("btn-roadmap-reopen"), callback_data=RoadmapCb(a=REOPEN, **cb))
        sizes.append(1)
    kb.button(text=tr("btn-roadmap-attach"), callback_data=RoadmapCb(a=ATTACH, **cb))
    sizes.append(1)
    for document in documents[:DOCUMENTS_SHOWN]:
        kb.button(text=_short(f"📎 {document.file_name}"), callback_data=RoadmapCb(a=GET_DOCUMENT, d=document.id, **cb))
        sizes.append(1)
    kb.button(text=tr("btn-roadmap-edit"), callback_data=RoadmapCb(a=EDIT, **cb))
    kb.button(text=tr("btn-roadmap-delete"), callback_data=RoadmapCb(a=DELETE, **cb))
    kb.button(text=tr("btn-roadmap-to-section"), callback_data=RoadmapCb(a=SECTION, y=year, s=item.section))
    sizes.extend((2, 1))
    kb.adjust(*sizes)
    return kb.as_markup()


def note_keyboard(year: int, number: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-roadmap-skip-note"), callback_data=RoadmapCb(a=SKIP_NOTE, y=year, n=number))
    kb.button(text=tr("btn-roadmap-cancel"), callback_data=RoadmapCb(a=FINISH, y=year, n=number))
    kb.adjust(1)
    return kb.as_markup()


def after_done_keyboard(year: int, number: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-roadmap-attach-file"), callback_data=RoadmapCb(a=ATTACH, y=year, n=number))
    kb.button(text=tr("btn-roadmap-finish"), callback_data=RoadmapCb(a=FINISH, y=year, n=number))
    return kb.as_markup()


def file_keyboard(year: int, number: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-roadmap-cancel"), callback_data=RoadmapCb(a=FINISH, y=year, n=number))
    return kb.as_markup()


def edit_keyboard(year: int, number: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for field in EDIT_FIELDS:
        kb.button(
            text=tr(f"roadmap-field-buttons-{field}"), callback_data=RoadmapCb(a=EDIT_FIELD, y=year, n=number, f=field)
        )
    kb.button(text=tr("btn-roadmap-to-card"), callback_data=RoadmapCb(a=CARD, y=year, n=number))
    kb.adjust(1)
    return kb.as_markup()


def delete_keyboard(year: int, number: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-roadmap-delete-yes"), callback_data=RoadmapCb(a=DELETE_YES, y=year, n=number))
    kb.button(text=tr("btn-roadmap-delete-no"), callback_data=RoadmapCb(a=CARD, y=year, n=number))
    kb.adjust(1)
    return kb.as_markup()


def cancel_keyboard(year: int, *, number: str = "", section: int = 0) -> InlineKeyboardMarkup:
    """«Отмена» of adding (back to the section) or editing an item (back to its card)."""
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-roadmap-cancel"), callback_data=RoadmapCb(a=CANCEL, y=year, s=section, n=number))
    return kb.as_markup()
