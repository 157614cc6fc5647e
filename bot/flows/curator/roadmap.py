"""/roadmap: the curator's roadmap tracker («дорожная карта внедрения ЦМН», roadmap 1.4 and 6.1).

Sections with progress → a section's items → an item's card: mark it done with a note and a file (the signed
order, a protocol), reopen it, attach documents, edit or delete it, add the curator's own items, and export the
roadmap with statuses as XLSX (the control material of 6.1). Dates and statuses come from `bot.roadmap`; what the
curator changed and recorded lives in the roadmap repository. Reminders are `scheduler.roadmap_jobs`.

Events: the /roadmap command, the tracker's buttons (`RoadmapCb`, prefix «rm»: the action `a` below), and the
texts and files of its dialogs (RoadmapDone, RoadmapAttach, RoadmapEdit, RoadmapAdd). Each action is one `act`:
the rows, the audit entry and the screen. A file arrives as `FileIn`: its `file_ref` is the messenger's id of it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any

from bot.flows.context import Ctx
from bot.flows.effects import Effect, SendFile, Show, Toast
from bot.flows.events import CommandIn, Event, FileIn, PressIn, TextIn
from bot.flows.notices import ROADMAP_CARD, RoadmapCb
from bot.flows.payloads import PayloadError
from bot.flows.routes import FlowRoutes
from bot.flows.screens import FileOut, Keyboard, Screen
from bot.i18n import esc, quoted, tr
from bot.roadmap import (
    STATUS_LABELS,
    ItemState,
    Roadmap,
    RoadmapError,
    RoadmapItem,
    Status,
    deadline_to_mapping,
    describe_deadline,
    make_item,
    normalize_number,
    programme_label,
    roadmap_workbook,
    roadmap_year_of,
    section_progress,
    spec_text,
    status,
)
from bot.roadmap.model import number_key

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

#: Attached documents listed on a card (each with a button that sends the file back).
DOCUMENTS_SHOWN = 10
_BUTTON_TEXT = 48

NOTE_LIMIT = 1000
FILE_NAME_LIMIT = 200
LIST_CONTENT = 70  # characters of an item's content in a section's list
LIST_LIMIT = 3600  # a section's list stays well under Telegram's 4096
YEARS = range(2000, 2101)  # a programme year in a button outside this is forged

#: The dialog's states (the names of handlers/states.py's StatesGroups: tests check they are alike).
DONE_NOTE = "RoadmapDone:note"
ATTACH_FILE = "RoadmapAttach:file"
EDIT_VALUE = "RoadmapEdit:value"
ADD_NUMBER = "RoadmapAdd:number"
ADD_CONTENT = "RoadmapAdd:content"
ADD_DEADLINE = "RoadmapAdd:deadline"
ADD_RESULT = "RoadmapAdd:result"
ADD_RESPONSIBLE = "RoadmapAdd:responsible"
GROUPS = ("RoadmapDone", "RoadmapAttach", "RoadmapEdit", "RoadmapAdd")

#: Placeholders for the fields not typed yet, so that `make_item` checks just the step at hand.
_PLACEHOLDERS: dict[str, Any] = {
    "content": "—",
    "deadline": {"within": "year"},
    "result": "—",
    "responsible": "Куратор",
}
#: The middle steps of adding an item: state -> (the field typed in it, the next state, the next field).
_ADD_STEPS: dict[str, tuple[str, str, str]] = {
    ADD_CONTENT: ("content", ADD_DEADLINE, "deadline"),
    ADD_DEADLINE: ("deadline", ADD_RESULT, "result"),
    ADD_RESULT: ("result", ADD_RESPONSIBLE, "responsible"),
}


# --- helpers -----------------------------------------------------------------------------------------------------
def _today(ctx: Ctx) -> date:
    return ctx.repos.clock.now().astimezone(ctx.repos.settings.institution.tz).date()


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _done_marks(states: dict[str, ItemState]) -> dict[str, date]:
    return {number: day for number, state in states.items() if (day := state.effective_done_at) is not None}


async def _leave_own_state(ctx: Ctx) -> None:
    """Forget a half-done roadmap step (another dialog's state is not ours to clear)."""
    state = await ctx.dialog.get_state()
    if state and state.split(":", 1)[0] in GROUPS:
        await ctx.dialog.clear()


def _stale(alert: bool = False) -> list[Effect]:
    return [Toast(tr("stale-button"), alert=alert)]


# --- keyboards ---------------------------------------------------------------------------------------------------
def sections_keyboard(roadmap: Roadmap, year: int) -> Keyboard:
    kb = Keyboard()
    for section in roadmap.sections:
        kb.add(_cut(f"{section.number}. {section.title}", _BUTTON_TEXT), RoadmapCb(a=SECTION, y=year, s=section.number))
    kb.add(tr("btn-roadmap-xlsx"), RoadmapCb(a=XLSX, y=year))
    kb.add(tr("btn-roadmap-prev-year", label=f"{year - 1}/{year}"), RoadmapCb(a=HOME, y=year - 1))
    kb.add(tr("btn-roadmap-next-year", label=f"{year + 1}/{year + 2}"), RoadmapCb(a=HOME, y=year + 1))
    return kb.adjust(*([1] * (len(roadmap.sections) + 1)), 2)


def section_keyboard(items: Sequence[tuple[RoadmapItem, Status]], year: int, section: int) -> Keyboard:
    kb = Keyboard()
    for item, st in items:
        kb.add(f"{STATUS_MARKS[st]} {item.number}", RoadmapCb(a=CARD, y=year, n=item.number))
    kb.add(tr("btn-roadmap-add"), RoadmapCb(a=ADD, y=year, s=section))
    kb.add(tr("btn-roadmap-to-sections"), RoadmapCb(a=HOME, y=year))
    full, rest = divmod(len(items), 4)
    return kb.adjust(*([4] * full), *([rest] if rest else []), 1, 1)


def card_keyboard(
    item: RoadmapItem, year: int, *, can_mark_done: bool, can_reopen: bool, documents: Sequence[Any]
) -> Keyboard:
    kb = Keyboard()
    cb: dict[str, Any] = {"y": year, "n": item.number}
    sizes: list[int] = []
    if can_mark_done:
        kb.add(tr("btn-roadmap-done"), RoadmapCb(a=DONE, **cb))
        sizes.append(1)
    if can_reopen:
        kb.add(tr("btn-roadmap-reopen"), RoadmapCb(a=REOPEN, **cb))
        sizes.append(1)
    kb.add(tr("btn-roadmap-attach"), RoadmapCb(a=ATTACH, **cb))
    sizes.append(1)
    for document in documents[:DOCUMENTS_SHOWN]:
        kb.add(_cut(f"📎 {document.file_name}", _BUTTON_TEXT), RoadmapCb(a=GET_DOCUMENT, d=document.id, **cb))
        sizes.append(1)
    kb.add(tr("btn-roadmap-edit"), RoadmapCb(a=EDIT, **cb))
    kb.add(tr("btn-roadmap-delete"), RoadmapCb(a=DELETE, **cb))
    kb.add(tr("btn-roadmap-to-section"), RoadmapCb(a=SECTION, y=year, s=item.section))
    sizes.extend((2, 1))
    return kb.adjust(*sizes)


def note_keyboard(year: int, number: str) -> Keyboard:
    kb = Keyboard()
    kb.add(tr("btn-roadmap-skip-note"), RoadmapCb(a=SKIP_NOTE, y=year, n=number))
    kb.add(tr("btn-roadmap-cancel"), RoadmapCb(a=FINISH, y=year, n=number))
    return kb


def after_done_keyboard(year: int, number: str) -> Keyboard:
    kb = Keyboard()
    kb.add(tr("btn-roadmap-attach-file"), RoadmapCb(a=ATTACH, y=year, n=number))
    kb.add(tr("btn-roadmap-finish"), RoadmapCb(a=FINISH, y=year, n=number))
    return kb.adjust(2)


def file_keyboard(year: int, number: str) -> Keyboard:
    return Keyboard().add(tr("btn-roadmap-cancel"), RoadmapCb(a=FINISH, y=year, n=number))


def edit_keyboard(year: int, number: str) -> Keyboard:
    kb = Keyboard()
    for field in EDIT_FIELDS:
        kb.add(tr(f"roadmap-field-buttons-{field}"), RoadmapCb(a=EDIT_FIELD, y=year, n=number, f=field))
    kb.add(tr("btn-roadmap-to-card"), RoadmapCb(a=CARD, y=year, n=number))
    return kb


def delete_keyboard(year: int, number: str) -> Keyboard:
    kb = Keyboard()
    kb.add(tr("btn-roadmap-delete-yes"), RoadmapCb(a=DELETE_YES, y=year, n=number))
    kb.add(tr("btn-roadmap-delete-no"), RoadmapCb(a=CARD, y=year, n=number))
    return kb


def cancel_keyboard(year: int, *, number: str = "", section: int = 0) -> Keyboard:
    """«Отмена» of adding (back to the section) or editing an item (back to its card)."""
    return Keyboard().add(tr("btn-roadmap-cancel"), RoadmapCb(a=CANCEL, y=year, s=section, n=number))


def _screen(text: str, kb: Keyboard | None = None) -> Show:
    return Show(Screen(text, kb.rows() if kb is not None else ()))


# --- the screens -------------------------------------------------------------------------------------------------
async def home(ctx: Ctx, year: int, today: date) -> Show:
    repo = ctx.repos.roadmap
    plan = await repo.roadmap()
    progress = section_progress(plan, year, today, _done_marks(await repo.states(year)))
    totals = dict.fromkeys(STATUS_LABELS, 0)
    lines = []
    for section, counts in progress:
        for key, value in counts.items():
            totals[key] += value
        lines.append(
            tr("roadmap-home-line",
                number=section.number, title=esc(section.title), total=sum(counts.values()), **counts
            )
        )
    text = tr("roadmap-home",
        label=programme_label(year),
        today=f"{today:%d.%m.%Y}",
        lines="\n".join(lines),
        total=sum(totals.values()),
        **totals,
    )
    return _screen(text, sections_keyboard(plan, year))


async def section_screen(ctx: Ctx, year: int, number: int, today: date, notice: str = "") -> Show | None:
    """The items of a section; None when there is no such section."""
    repo = ctx.repos.roadmap
    plan = await repo.roadmap()
    section = plan.section(number)
    if section is None:
        return None
    states = await repo.states(year)
    rows = []
    for item in plan.items_of(number):
        state = states.get(item.number) or ItemState()
        rows.append((item, status(item, year, today, state.done_at, state.reopened)))
    lines = ""
    for limit in (LIST_CONTENT, 30, 0):
        lines = "\n".join(
            tr("roadmap-section-line",
                mark=STATUS_MARKS[st],
                number=item.number,
                content=esc(_cut(item.content, limit)) if limit else "",
                deadline=describe_deadline(item, year),
            )
            for item, st in rows
        )
        if len(lines) <= LIST_LIMIT:
            break
    lines = _cut(lines, LIST_LIMIT) if len(lines) > LIST_LIMIT else lines
    text = tr("roadmap-section",
        number=section.number,
        title=esc(section.title),
        label=programme_label(year),
        lines=lines or tr("roadmap-section-empty"),
    )
    return _screen(notice + text, section_keyboard(rows, year, number))


def _done_line(state: ItemState) -> str:
    if state.done_at is None:
        return tr("roadmap-not-done")
    if state.reopened:
        return tr("roadmap-reopened-mark", day=f"{state.done_at:%d.%m.%Y}")
    return f"{state.done_at:%d.%m.%Y}"


def _documents_line(ctx: Ctx, documents: Sequence[Any]) -> str:
    if not documents:
        return tr("roadmap-no-documents")
    tz = ctx.repos.settings.institution.tz
    lines = "".join(
        tr("roadmap-document-line",
            name=esc(_cut(d.file_name, 80)), day=f"{d.attached_at.astimezone(tz):%d.%m.%Y}"
        )
        for d in documents[:DOCUMENTS_SHOWN]
    )
    if len(documents) > DOCUMENTS_SHOWN:
        lines += tr("roadmap-more-documents", n=len(documents) - DOCUMENTS_SHOWN)
    return lines


async def card(ctx: Ctx, year: int, number: str, today: date, notice: str = "") -> Show | None:
    """The item's card; None when there is no such item (any more)."""
    repo = ctx.repos.roadmap
    plan = await repo.roadmap()
    item = plan.item(number)
    if item is None:
        return None
    section = plan.section(item.section)
    state = await repo.state(number, year)
    documents = await repo.documents(number, year)
    st = status(item, year, today, state.done_at, state.reopened)
    text = tr("roadmap-card",
        number=item.number,
        section=esc(f"{section.number}. {section.title}" if section else item.section),
        content=esc(item.content),
        deadline=describe_deadline(item, year),
        mark=STATUS_MARKS[st],
        status=STATUS_LABELS[st],
        result=esc(item.result),
        responsible=esc(", ".join(item.responsible)),
        done=_done_line(state),
        note=esc(state.note) if state.note else tr("roadmap-no-note"),
        documents=_documents_line(ctx, documents),
        label=programme_label(year),
    )
    kb = card_keyboard(
        item, year, can_mark_done=st != "done", can_reopen=state.effective_done_at is not None, documents=documents
    )
    return _screen(notice + text, kb)


async def _card_or_gone(ctx: Ctx, year: int, number: str, notice: str = "") -> list[Effect]:
    shown = await card(ctx, year, number, _today(ctx), notice)
    return [shown] if shown is not None else [_screen(tr("roadmap-item-gone"))]


# --- the command -------------------------------------------------------------------------------------------------
async def on_roadmap(ctx: Ctx, event: Event) -> list[Effect]:
    """/roadmap: the sections of the current programme year."""
    if not ctx.is_curator:
        return [Show(Screen(tr("curator-only")), edit=False)]
    await _leave_own_state(ctx)
    today = _today(ctx)
    return [await home(ctx, roadmap_year_of(today), today)]


# --- the buttons -------------------------------------------------------------------------------------------------
Press = Callable[[Ctx, RoadmapCb], Awaitable[list[Effect]]]


async def on_press(ctx: Ctx, event: Event) -> list[Effect]:
    assert isinstance(event, PressIn)
    if not ctx.is_curator:
        return _stale()
    try:
        cb = RoadmapCb.unpack(event.payload)
    except PayloadError:
        return _stale()
    handler = _PRESSES.get(cb.a)
    if handler is None or cb.y not in YEARS:
        return _stale()
    return await handler(ctx, cb)


async def _item_or_stale(ctx: Ctx, cb: RoadmapCb) -> RoadmapItem | Toast:
    """The button's item, or the friendly answer to a button of a deleted item."""
    item = (await ctx.repos.roadmap.roadmap()).item(cb.n)
    return item if item is not None else Toast(tr("roadmap-item-gone"), alert=True)


async def _home(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    await _leave_own_state(ctx)
    return [await home(ctx, cb.y, _today(ctx))]


async def _section(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    await _leave_own_state(ctx)
    shown = await section_screen(ctx, cb.y, cb.s, _today(ctx))
    return [shown] if shown is not None else _stale(alert=True)


async def _card(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    item = await _item_or_stale(ctx, cb)
    if isinstance(item, Toast):
        return [item]
    await _leave_own_state(ctx)
    return await _card_or_gone(ctx, cb.y, item.number)


async def _done(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    item = await _item_or_stale(ctx, cb)
    if isinstance(item, Toast):
        return [item]
    await ctx.dialog.set_state(DONE_NOTE)
    await ctx.dialog.set_data({"n": item.number, "y": cb.y})
    return [_screen(tr("roadmap-ask-note", number=item.number, limit=NOTE_LIMIT), note_keyboard(cb.y, item.number))]


async def _record_done(ctx: Ctx, note: str | None) -> list[Effect]:
    data = await ctx.dialog.get_data()
    number, year = str(data.get("n", "")), int(data.get("y", 0))
    repo = ctx.repos.roadmap
    if (await repo.roadmap()).item(number) is None:
        await ctx.dialog.clear()
        return [_screen(tr("roadmap-item-gone"))]
    today = _today(ctx)
    curator = ctx.person.account_id
    await repo.mark_done(number, year, today, note, curator)
    await ctx.repos.audit.record(curator, "roadmap.done", number, {"year": year, "note": bool(note)})
    await ctx.dialog.set_state(ATTACH_FILE)
    text = tr("roadmap-marked-done", number=number, day=f"{today:%d.%m.%Y}")
    return [_screen(text, after_done_keyboard(year, number))]


async def _skip_note(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    if await ctx.dialog.get_state() != DONE_NOTE or (await ctx.dialog.get_data()).get("n") != cb.n:
        return _stale()
    return await _record_done(ctx, None)


async def _attach(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    item = await _item_or_stale(ctx, cb)
    if isinstance(item, Toast):
        return [item]
    await ctx.dialog.set_state(ATTACH_FILE)
    await ctx.dialog.set_data({"n": item.number, "y": cb.y})
    return [_screen(tr("roadmap-ask-file", number=item.number), file_keyboard(cb.y, item.number))]


async def _finish(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    """«Готово» after the done mark, «Отмена» of a note or a file: back to the card."""
    await _leave_own_state(ctx)
    item = await _item_or_stale(ctx, cb)
    if isinstance(item, Toast):
        return [item]
    return await _card_or_gone(ctx, cb.y, item.number)


async def _reopen(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    item = await _item_or_stale(ctx, cb)
    if isinstance(item, Toast):
        return [item]
    if not await ctx.repos.roadmap.reopen(item.number, cb.y):
        toast = Toast(tr("roadmap-nothing-to-reopen"))
    else:
        await ctx.repos.audit.record(ctx.person.account_id, "roadmap.reopen", item.number, {"year": cb.y})
        toast = Toast(tr("roadmap-reopened"))
    return [toast, *await _card_or_gone(ctx, cb.y, item.number)]


async def _get_document(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    """The attached file, sent back by the messenger's own id of it (`FileOut.ref`)."""
    document = await ctx.repos.roadmap.document(cb.d)
    if document is None or document.number != cb.n or document.programme_year != cb.y:
        return _stale()
    details = {"file_name": document.file_name}
    await ctx.repos.audit.record(ctx.person.account_id, "roadmap.get_document", document.number, details)
    caption = tr("roadmap-document-caption", number=document.number, label=programme_label(document.programme_year))
    mime = "image/jpeg" if document.kind == "photo" else "application/octet-stream"
    return [SendFile(FileOut(document.file_name, b"", mime, caption, ref=document.file_id))]


async def _edit(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    item = await _item_or_stale(ctx, cb)
    if isinstance(item, Toast):
        return [item]
    await _leave_own_state(ctx)
    return [_screen(tr("roadmap-edit-pick", number=item.number), edit_keyboard(cb.y, item.number))]


def _current_value(item: RoadmapItem, field: str) -> str:
    if field == "deadline":
        return spec_text(item.deadline)
    if field == "responsible":
        return ", ".join(item.responsible)
    return str(getattr(item, field))


async def _edit_field(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    item = await _item_or_stale(ctx, cb)
    if isinstance(item, Toast):
        return [item]
    if cb.f not in EDIT_FIELDS:
        return _stale()
    await ctx.dialog.set_state(EDIT_VALUE)
    await ctx.dialog.set_data({"n": item.number, "y": cb.y, "f": cb.f})
    text = tr("roadmap-edit-ask",
        number=item.number,
        field=tr(f"roadmap-field-buttons-{cb.f}"),
        current=esc(_cut(_current_value(item, cb.f), 1500)),
        prompt=tr(f"roadmap-prompts-{cb.f}"),
    )
    return [_screen(text, cancel_keyboard(cb.y, number=item.number))]


async def _delete(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    item = await _item_or_stale(ctx, cb)
    if isinstance(item, Toast):
        return [item]
    await _leave_own_state(ctx)
    text = tr("roadmap-delete-confirm", number=item.number, content=esc(quoted(_cut(item.content, 300))))
    return [_screen(text, delete_keyboard(cb.y, item.number))]


async def _delete_yes(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    item = await _item_or_stale(ctx, cb)
    if isinstance(item, Toast):
        return [item]
    curator = ctx.person.account_id
    await ctx.repos.roadmap.delete_item(item.number, curator)
    await ctx.repos.audit.record(curator, "roadmap.delete", item.number)
    shown = await section_screen(ctx, cb.y, item.section, _today(ctx), tr("roadmap-deleted", number=item.number))
    return [shown] if shown is not None else _stale()


def _suggest_number(plan: Roadmap, section: int) -> str:
    """The next free «section.k» after the section's last two-part number."""
    taken = [number_key(i.number) for i in plan.items_of(section)]
    last = max((key[1] for key in taken if len(key) == 2), default=0)
    return f"{section}.{min(last + 1, 99)}"


def _draft(data: dict[str, Any], year: int, **typed: Any) -> RoadmapItem:
    """The item from the steps typed so far (placeholders for the rest), validated by `make_item`."""
    values = {**_PLACEHOLDERS, **{k: data[k] for k in _PLACEHOLDERS if k in data}, **typed}
    return make_item(
        str(typed.get("number") or data.get("n") or ""),
        int(data["s"]),
        values["content"],
        values["deadline"],
        values["result"],
        values["responsible"],
        programme_year=year,
    )


async def _add(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    plan = await ctx.repos.roadmap.roadmap()
    section = plan.section(cb.s)
    if section is None:
        return _stale()
    await ctx.dialog.set_state(ADD_NUMBER)
    await ctx.dialog.set_data({"s": section.number, "y": cb.y})
    text = tr("roadmap-add-ask-number",
        section=esc(quoted(f"{section.number}. {section.title}")), example=_suggest_number(plan, section.number)
    )
    return [_screen(text, cancel_keyboard(cb.y, section=section.number))]


async def _cancel(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    """«Отмена» while adding or editing: back where the curator came from."""
    await _leave_own_state(ctx)
    toast: list[Effect] = [Toast(tr("roadmap-cancelled"))]
    today = _today(ctx)
    if cb.n and (shown := await card(ctx, cb.y, cb.n, today)) is not None:
        return [*toast, shown]
    if cb.s and (shown := await section_screen(ctx, cb.y, cb.s, today)) is not None:
        return [*toast, shown]
    return [*toast, await home(ctx, cb.y, today)]


async def _xlsx(ctx: Ctx, cb: RoadmapCb) -> list[Effect]:
    year = cb.y
    settings = ctx.repos.settings
    now = ctx.repos.clock.now().astimezone(settings.institution.tz)
    data = roadmap_workbook(
        await ctx.repos.roadmap.roadmap(),
        year,
        now.date(),
        await ctx.repos.roadmap.states(year),
        organization=settings.institution.organization_name,
        generated=now,
    )
    await ctx.repos.audit.record(ctx.person.account_id, "roadmap.export", programme_label(year))
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    caption = tr("roadmap-xlsx-caption", label=programme_label(year))
    return [SendFile(FileOut(f"dorozhnaya-karta-{year}-{year + 1}.xlsx", data, mime, caption))]


_PRESSES: dict[str, Press] = {
    HOME: _home,
    SECTION: _section,
    CARD: _card,
    DONE: _done,
    SKIP_NOTE: _skip_note,
    ATTACH: _attach,
    FINISH: _finish,
    REOPEN: _reopen,
    GET_DOCUMENT: _get_document,
    EDIT: _edit,
    EDIT_FIELD: _edit_field,
    DELETE: _delete,
    DELETE_YES: _delete_yes,
    ADD: _add,
    CANCEL: _cancel,
    XLSX: _xlsx,
}


# --- the dialogs: texts and files --------------------------------------------------------------------------------
async def on_dialog(ctx: Ctx, event: Event) -> list[Effect]:
    """A text or a file in one of the tracker's steps (a command there is not an answer: it is left alone)."""
    if isinstance(event, CommandIn) or not ctx.is_curator:
        return []
    state = str(await ctx.dialog.get_state())
    if state == ATTACH_FILE:
        return await _on_file(ctx, event)
    if not isinstance(event, TextIn):
        return [_screen(tr("roadmap-need-text"))]
    step = _TEXT_STEPS.get(state)
    if step is None:
        return []
    return await step(ctx, event.text)


async def _on_note(ctx: Ctx, text: str) -> list[Effect]:
    note = text.strip()
    if not note or len(note) > NOTE_LIMIT:
        return [_screen(tr("roadmap-note-bad", limit=NOTE_LIMIT))]
    return await _record_done(ctx, note)


def _file_of(event: Event, today: date) -> tuple[str, str, str] | None:
    """(kind, file id, name) of a document or a photo (a phone scan of the signed order)."""
    if not isinstance(event, FileIn) or not event.file_ref:
        return None
    if event.mime.startswith("image/") and not event.name:
        return "photo", event.file_ref, tr("roadmap-photo-name", day=f"{today:%d.%m.%Y}")
    name = " ".join(event.name.split()) or tr("roadmap-unnamed-file")
    return "document", event.file_ref, _cut(name, FILE_NAME_LIMIT)


async def _on_file(ctx: Ctx, event: Event) -> list[Effect]:
    today = _today(ctx)
    found = _file_of(event, today)
    data = await ctx.dialog.get_data()
    number, year = str(data.get("n", "")), int(data.get("y", 0))
    if found is None:
        return [_screen(tr("roadmap-need-file"), file_keyboard(year, number))]
    kind, file_id, name = found
    await ctx.dialog.clear()
    repo = ctx.repos.roadmap
    if (await repo.roadmap()).item(number) is None:
        return [_screen(tr("roadmap-item-gone"))]
    curator = ctx.person.account_id
    await repo.attach(number, year, file_id, name, curator, kind)
    await ctx.repos.audit.record(curator, "roadmap.attach", number, {"year": year, "file_name": name})
    notice = tr("roadmap-file-attached", name=esc(quoted(name)), number=number)
    return await _card_or_gone(ctx, year, number, notice)


async def _on_edit_value(ctx: Ctx, text: str) -> list[Effect]:
    data = await ctx.dialog.get_data()
    number, year, field = str(data.get("n", "")), int(data.get("y", 0)), str(data.get("f", ""))
    repo = ctx.repos.roadmap
    item = (await repo.roadmap()).item(number)
    if item is None or field not in EDIT_FIELDS:
        await ctx.dialog.clear()
        return [_screen(tr("roadmap-item-gone"))]
    values: dict[str, Any] = {
        "content": item.content,
        "deadline": item.deadline,
        "result": item.result,
        "responsible": item.responsible,
        field: text,
    }
    try:
        edited = make_item(number, item.section, programme_year=year, **values)
    except RoadmapError as exc:
        return [_screen(tr("roadmap-try-again", error=esc(exc.user_text)), cancel_keyboard(year, number=number))]
    curator = ctx.person.account_id
    await repo.save_item(edited, curator)
    await ctx.repos.audit.record(curator, "roadmap.edit", number, {"field": field})
    await ctx.dialog.clear()
    return await _card_or_gone(ctx, year, number, tr("roadmap-item-saved", number=number))


async def _on_add_number(ctx: Ctx, text: str) -> list[Effect]:
    data = await ctx.dialog.get_data()
    year, section = int(data.get("y", 0)), int(data.get("s", 0))
    keyboard = cancel_keyboard(year, section=section)
    try:
        number = normalize_number(text)
        _draft(data, year, number=number)
    except RoadmapError as exc:
        return [_screen(tr("roadmap-try-again", error=esc(exc.user_text)), keyboard)]
    plan = await ctx.repos.roadmap.roadmap()
    if plan.item(number) is not None:
        return [_screen(tr("roadmap-number-taken", number=number, example=_suggest_number(plan, section)), keyboard)]
    await ctx.dialog.update_data(n=number)
    await ctx.dialog.set_state(ADD_CONTENT)
    return [_screen(tr("roadmap-add-ask-content", number=number), keyboard)]


async def _on_add_step(ctx: Ctx, text: str) -> list[Effect]:
    """Content, deadline and result: each checked on its own, then the next question."""
    field, following, next_field = _ADD_STEPS[str(await ctx.dialog.get_state())]
    data = await ctx.dialog.get_data()
    year = int(data.get("y", 0))
    keyboard = cancel_keyboard(year, section=int(data.get("s", 0)))
    try:
        item = _draft(data, year, **{field: text})
    except RoadmapError as exc:
        return [_screen(tr("roadmap-try-again", error=esc(exc.user_text)), keyboard)]
    value: Any = deadline_to_mapping(item.deadline) if field == "deadline" else getattr(item, field)
    await ctx.dialog.update_data({field: value})
    prompt = tr(f"roadmap-prompts-{next_field}")
    if field == "deadline":
        prompt = tr("roadmap-deadline-understood", deadline=describe_deadline(item, year)) + prompt
    await ctx.dialog.set_state(following)
    return [_screen(prompt, keyboard)]


async def _on_add_responsible(ctx: Ctx, text: str) -> list[Effect]:
    data = await ctx.dialog.get_data()
    year, section = int(data.get("y", 0)), int(data.get("s", 0))
    keyboard = cancel_keyboard(year, section=section)
    repo = ctx.repos.roadmap
    plan = await repo.roadmap()
    number = str(data.get("n", ""))
    if plan.item(number) is not None:  # another curator added it meanwhile
        await ctx.dialog.set_state(ADD_NUMBER)
        return [_screen(tr("roadmap-number-taken", number=number, example=_suggest_number(plan, section)), keyboard)]
    try:
        item = _draft(data, year, responsible=text)
        plan.with_item(item)  # its section is in the roadmap
    except RoadmapError as exc:
        return [_screen(tr("roadmap-try-again", error=esc(exc.user_text)), keyboard)]
    curator = ctx.person.account_id
    await repo.save_item(item, curator)
    await ctx.repos.audit.record(curator, "roadmap.add", item.number, {"year": year})
    await ctx.dialog.clear()
    return await _card_or_gone(ctx, year, item.number, tr("roadmap-item-added", number=item.number))


_TEXT_STEPS: dict[str, Callable[[Ctx, str], Awaitable[list[Effect]]]] = {
    DONE_NOTE: _on_note,
    EDIT_VALUE: _on_edit_value,
    ADD_NUMBER: _on_add_number,
    ADD_CONTENT: _on_add_step,
    ADD_DEADLINE: _on_add_step,
    ADD_RESULT: _on_add_step,
    ADD_RESPONSIBLE: _on_add_responsible,
}

ROUTES = FlowRoutes(
    commands={"roadmap": on_roadmap},
    presses={RoadmapCb.prefix: on_press},
    dialogs=dict.fromkeys(GROUPS, on_dialog),
)
