"""/roadmap: the curator's roadmap tracker («дорожная карта внедрения ЦМН», roadmap 1.4 and 6.1).

Sections with progress → a section's items → an item's card: mark it done with a note and a file (the signed
order, a protocol), reopen it, attach documents, edit or delete it, add the curator's own items, and export the
roadmap with statuses as XLSX (the control material of 6.1). Dates and statuses come from `bot.roadmap`; what the
curator changed and recorded lives in `storage.roadmap`. Reminders are `scheduler.roadmap_jobs`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock
from bot.i18n import esc, quoted, tr
from bot.roadmap import (
    STATUS_LABELS,
    ItemState,
    Roadmap,
    RoadmapError,
    RoadmapItem,
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
from bot.settings import Settings
from handlers.filters import HasText
from handlers.kb.roadmap import (
    ADD,
    ATTACH,
    CANCEL,
    CARD,
    DELETE,
    DELETE_YES,
    DOCUMENTS_SHOWN,
    DONE,
    EDIT,
    EDIT_FIELD,
    EDIT_FIELDS,
    FINISH,
    GET_DOCUMENT,
    HOME,
    REOPEN,
    SECTION,
    SKIP_NOTE,
    STATUS_MARKS,
    XLSX,
    RoadmapCb,
    after_done_keyboard,
    cancel_keyboard,
    card_keyboard,
    delete_keyboard,
    edit_keyboard,
    file_keyboard,
    note_keyboard,
    section_keyboard,
    sections_keyboard,
)
from handlers.states import RoadmapAdd, RoadmapAttach, RoadmapDone, RoadmapEdit
from handlers.ui import show
from storage.audit import AuditLog
from storage.roadmap import DocumentKind, RoadmapDocument, RoadmapRepo

NOTE_LIMIT = 1000
FILE_NAME_LIMIT = 200
LIST_CONTENT = 70  # characters of an item's content in a section's list
LIST_LIMIT = 3600  # a section's list stays well under Telegram's 4096
YEARS = range(2000, 2101)  # a programme year in a button outside this is forged

#: Placeholders for the fields not typed yet, so that `make_item` checks just the step at hand.
_PLACEHOLDERS: dict[str, Any] = {
    "content": "—",
    "deadline": {"within": "year"},
    "result": "—",
    "responsible": "Куратор",
}
#: The middle steps of adding an item: state -> (the field typed in it, the next state, the next field).
_ADD_STEPS: dict[str, tuple[str, State, str]] = {
    RoadmapAdd.content.state: ("content", RoadmapAdd.deadline, "deadline"),
    RoadmapAdd.deadline.state: ("deadline", RoadmapAdd.result, "result"),
    RoadmapAdd.result.state: ("result", RoadmapAdd.responsible, "responsible"),
}
_OWN_STATES = frozenset(
    name for group in (RoadmapAdd, RoadmapAttach, RoadmapDone, RoadmapEdit) for name in group.__all_states_names__
)


class NotCommand(Filter):
    """A message that is not a /command, so that commands reach their own handlers in the middle of a step."""

    async def __call__(self, message: Message) -> bool:
        return not (message.text or "").startswith("/")


# --- the screens -------------------------------------------------------------------------------------------------
def _today(clock: Clock, settings: Settings) -> date:
    return clock.now().astimezone(settings.institution.tz).date()


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _done_marks(states: dict[str, ItemState]) -> dict[str, date]:
    return {number: day for number, state in states.items() if (day := state.effective_done_at) is not None}


async def _home(target: Message | CallbackQuery, repo: RoadmapRepo, year: int, today: date) -> None:
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
    await show(target, text, sections_keyboard(plan, year))


async def _section(
    target: Message | CallbackQuery,
    repo: RoadmapRepo,
    year: int,
    number: int,
    today: date,
    notice: str = "",
) -> bool:
    plan = await repo.roadmap()
    section = plan.section(number)
    if section is None:
        return False
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
    await show(target, notice + text, section_keyboard(rows, year, number))
    return True


def _done_line(state: ItemState) -> str:
    if state.done_at is None:
        return tr("roadmap-not-done")
    if state.reopened:
        return tr("roadmap-reopened-mark", day=f"{state.done_at:%d.%m.%Y}")
    return f"{state.done_at:%d.%m.%Y}"


def _documents_line(documents: list[RoadmapDocument], settings: Settings) -> str:
    if not documents:
        return tr("roadmap-no-documents")
    tz = settings.institution.tz
    lines = "".join(
        tr("roadmap-document-line",
            name=esc(_cut(d.file_name, 80)), day=f"{d.attached_at.astimezone(tz):%d.%m.%Y}"
        )
        for d in documents[:DOCUMENTS_SHOWN]
    )
    if len(documents) > DOCUMENTS_SHOWN:
        lines += tr("roadmap-more-documents", n=len(documents) - DOCUMENTS_SHOWN)
    return lines


async def _card(
    target: Message | CallbackQuery,
    repo: RoadmapRepo,
    year: int,
    number: str,
    today: date,
    settings: Settings,
    notice: str = "",
) -> bool:
    """The item's card; False when there is no such item (any more)."""
    plan = await repo.roadmap()
    item = plan.item(number)
    if item is None:
        return False
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
        documents=_documents_line(documents, settings),
        label=programme_label(year),
    )
    markup = card_keyboard(
        item,
        year,
        can_mark_done=st != "done",
        can_reopen=state.effective_done_at is not None,
        documents=documents,
    )
    await show(target, notice + text, markup)
    return True


async def _item_or_stale(
    repo: RoadmapRepo, callback_data: RoadmapCb, callback_answer: CallbackAnswer
) -> RoadmapItem | None:
    """The button's item, or None with a friendly answer (a deleted item, a forged year)."""
    if callback_data.y not in YEARS:
        callback_answer.text = tr("stale-button")
        return None
    item = (await repo.roadmap()).item(callback_data.n)
    if item is None:
        callback_answer.text = tr("roadmap-item-gone")
        callback_answer.show_alert = True
    return item


async def _leave_own_state(state: FSMContext) -> None:
    """Forget a half-done roadmap step (another dialog's state is not ours to clear)."""
    if await state.get_state() in _OWN_STATES:
        await state.clear()


# --- navigation --------------------------------------------------------------------------------------------------
async def cmd_roadmap(
    message: Message, state: FSMContext, roadmap: RoadmapRepo, clock: Clock, settings: Settings
) -> None:
    await _leave_own_state(state)
    today = _today(clock, settings)
    await _home(message, roadmap, roadmap_year_of(today), today)


async def on_home(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    state: FSMContext,
    roadmap: RoadmapRepo,
    clock: Clock,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    if callback_data.y not in YEARS:
        callback_answer.text = tr("stale-button")
        return
    await _leave_own_state(state)
    await _home(query, roadmap, callback_data.y, _today(clock, settings))


async def on_section(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    state: FSMContext,
    roadmap: RoadmapRepo,
    clock: Clock,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    if callback_data.y not in YEARS:
        callback_answer.text = tr("stale-button")
        return
    await _leave_own_state(state)
    if not await _section(query, roadmap, callback_data.y, callback_data.s, _today(clock, settings)):
        callback_answer.text = tr("stale-button")
        callback_answer.show_alert = True


async def on_card(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    state: FSMContext,
    roadmap: RoadmapRepo,
    clock: Clock,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    if await _item_or_stale(roadmap, callback_data, callback_answer) is None:
        return
    await _leave_own_state(state)
    await _card(query, roadmap, callback_data.y, callback_data.n, _today(clock, settings), settings)


# --- done, reopen, documents ---------------------------------------------------------------------------------------
async def on_done(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    state: FSMContext,
    roadmap: RoadmapRepo,
    callback_answer: CallbackAnswer,
) -> None:
    item = await _item_or_stale(roadmap, callback_data, callback_answer)
    if item is None:
        return
    await state.set_state(RoadmapDone.note)
    await state.set_data({"n": item.number, "y": callback_data.y})
    text = tr("roadmap-ask-note", number=item.number, limit=NOTE_LIMIT)
    await show(query, text, note_keyboard(callback_data.y, item.number))


async def _record_done(
    target: Message | CallbackQuery,
    state: FSMContext,
    repo: RoadmapRepo,
    audit: AuditLog,
    today: date,
    note: str | None,
) -> None:
    data = await state.get_data()
    number, year = str(data.get("n", "")), int(data.get("y", 0))
    user_id = target.from_user.id  # type: ignore[union-attr]
    if (await repo.roadmap()).item(number) is None:
        await state.clear()
        await show(target, tr("roadmap-item-gone"))
        return
    await repo.mark_done(number, year, today, note, user_id)
    await audit.record(user_id, "roadmap.done", number, {"year": year, "note": bool(note)})
    await state.set_state(RoadmapAttach.file)
    text = tr("roadmap-marked-done", number=number, day=f"{today:%d.%m.%Y}")
    await show(target, text, after_done_keyboard(year, number))


async def on_note(
    message: Message,
    state: FSMContext,
    roadmap: RoadmapRepo,
    audit: AuditLog,
    clock: Clock,
    settings: Settings,
) -> None:
    note = (message.text or "").strip()
    if not note or len(note) > NOTE_LIMIT:
        await show(message, tr("roadmap-note-bad", limit=NOTE_LIMIT))
        return
    await _record_done(message, state, roadmap, audit, _today(clock, settings), note)


async def on_skip_note(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    state: FSMContext,
    roadmap: RoadmapRepo,
    audit: AuditLog,
    clock: Clock,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    if await state.get_state() != RoadmapDone.note.state or (await state.get_data()).get("n") != callback_data.n:
        callback_answer.text = tr("stale-button")
        return
    await _record_done(query, state, roadmap, audit, _today(clock, settings), None)


async def on_attach(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    state: FSMContext,
    roadmap: RoadmapRepo,
    callback_answer: CallbackAnswer,
) -> None:
    item = await _item_or_stale(roadmap, callback_data, callback_answer)
    if item is None:
        return
    await state.set_state(RoadmapAttach.file)
    await state.set_data({"n": item.number, "y": callback_data.y})
    await show(query, tr("roadmap-ask-file", number=item.number), file_keyboard(callback_data.y, item.number))


def _file_of(message: Message, today: date) -> tuple[DocumentKind, str, str] | None:
    """(kind, file id, name) of a document or a photo (a phone scan of the signed order)."""
    if message.document is not None:
        name = " ".join((message.document.file_name or "").split()) or tr("roadmap-unnamed-file")
        return "document", message.document.file_id, _cut(name, FILE_NAME_LIMIT)
    if message.photo:
        return "photo", message.photo[-1].file_id, tr("roadmap-photo-name", day=f"{today:%d.%m.%Y}")
    return None


async def on_file(
    message: Message,
    state: FSMContext,
    roadmap: RoadmapRepo,
    audit: AuditLog,
    clock: Clock,
    settings: Settings,
) -> None:
    today = _today(clock, settings)
    found = _file_of(message, today)
    data = await state.get_data()
    number, year = str(data.get("n", "")), int(data.get("y", 0))
    if found is None:
        await show(message, tr("roadmap-need-file"), file_keyboard(year, number))
        return
    kind, file_id, name = found
    await state.clear()
    if (await roadmap.roadmap()).item(number) is None:
        await show(message, tr("roadmap-item-gone"))
        return
    user_id = message.from_user.id  # type: ignore[union-attr]
    await roadmap.attach(number, year, file_id, name, user_id, kind)
    await audit.record(user_id, "roadmap.attach", number, {"year": year, "file_name": name})
    notice = tr("roadmap-file-attached", name=esc(quoted(name)), number=number)
    await _card(message, roadmap, year, number, today, settings, notice)


async def on_finish(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    state: FSMContext,
    roadmap: RoadmapRepo,
    clock: Clock,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    """«Готово» after the done mark, «Отмена» of a note or a file: back to the card."""
    await _leave_own_state(state)
    if await _item_or_stale(roadmap, callback_data, callback_answer) is None:
        return
    await _card(query, roadmap, callback_data.y, callback_data.n, _today(clock, settings), settings)


async def on_reopen(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    roadmap: RoadmapRepo,
    audit: AuditLog,
    clock: Clock,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    item = await _item_or_stale(roadmap, callback_data, callback_answer)
    if item is None:
        return
    if not await roadmap.reopen(item.number, callback_data.y):
        callback_answer.text = tr("roadmap-nothing-to-reopen")
    else:
        await audit.record(query.from_user.id, "roadmap.reopen", item.number, {"year": callback_data.y})
        callback_answer.text = tr("roadmap-reopened")
    await _card(query, roadmap, callback_data.y, item.number, _today(clock, settings), settings)


async def on_get_document(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    bot: Bot,
    roadmap: RoadmapRepo,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    document = await roadmap.document(callback_data.d)
    if document is None or document.number != callback_data.n or document.programme_year != callback_data.y:
        callback_answer.text = tr("stale-button")
        return
    await audit.record(query.from_user.id, "roadmap.get_document", document.number, {"file_name": document.file_name})
    caption = tr("roadmap-document-caption",
        number=document.number, label=programme_label(document.programme_year)
    )
    if document.kind == "photo":
        await bot.send_photo(query.from_user.id, document.file_id, caption=caption)
    else:
        await bot.send_document(query.from_user.id, document.file_id, caption=caption)


# --- edit and delete -------------------------------------------------------------------------------------------------
async def on_edit(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    state: FSMContext,
    roadmap: RoadmapRepo,
    callback_answer: CallbackAnswer,
) -> None:
    item = await _item_or_stale(roadmap, callback_data, callback_answer)
    if item is None:
        return
    await _leave_own_state(state)
    await show(query, tr("roadmap-edit-pick", number=item.number), edit_keyboard(callback_data.y, item.number))


def _current_value(item: RoadmapItem, field: str) -> str:
    if field == "deadline":
        return spec_text(item.deadline)
    if field == "responsible":
        return ", ".join(item.responsible)
    return str(getattr(item, field))


async def on_edit_field(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    state: FSMContext,
    roadmap: RoadmapRepo,
    callback_answer: CallbackAnswer,
) -> None:
    item = await _item_or_stale(roadmap, callback_data, callback_answer)
    if item is None:
        return
    if callback_data.f not in EDIT_FIELDS:
        callback_answer.text = tr("stale-button")
        return
    await state.set_state(RoadmapEdit.value)
    await state.set_data({"n": item.number, "y": callback_data.y, "f": callback_data.f})
    text = tr("roadmap-edit-ask",
        number=item.number,
        field=tr(f"roadmap-field-buttons-{callback_data.f}"),
        current=esc(_cut(_current_value(item, callback_data.f), 1500)),
        prompt=tr(f"roadmap-prompts-{callback_data.f}"),
    )
    await show(query, text, cancel_keyboard(callback_data.y, number=item.number))


async def on_edit_value(
    message: Message,
    state: FSMContext,
    roadmap: RoadmapRepo,
    audit: AuditLog,
    clock: Clock,
    settings: Settings,
) -> None:
    data = await state.get_data()
    number, year, field = str(data.get("n", "")), int(data.get("y", 0)), str(data.get("f", ""))
    item = (await roadmap.roadmap()).item(number)
    if item is None or field not in EDIT_FIELDS:
        await state.clear()
        await show(message, tr("roadmap-item-gone"))
        return
    values: dict[str, Any] = {
        "content": item.content,
        "deadline": item.deadline,
        "result": item.result,
        "responsible": item.responsible,
        field: message.text or "",
    }
    try:
        edited = make_item(number, item.section, programme_year=year, **values)
    except RoadmapError as exc:
        await show(
            message,
            tr("roadmap-try-again", error=esc(exc.user_text)),
            cancel_keyboard(year, number=number),
        )
        return
    user_id = message.from_user.id  # type: ignore[union-attr]
    await roadmap.save_item(edited, user_id)
    await audit.record(user_id, "roadmap.edit", number, {"field": field})
    await state.clear()
    notice = tr("roadmap-item-saved", number=number)
    await _card(message, roadmap, year, number, _today(clock, settings), settings, notice)


async def on_delete(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    state: FSMContext,
    roadmap: RoadmapRepo,
    callback_answer: CallbackAnswer,
) -> None:
    item = await _item_or_stale(roadmap, callback_data, callback_answer)
    if item is None:
        return
    await _leave_own_state(state)
    text = tr("roadmap-delete-confirm", number=item.number, content=esc(quoted(_cut(item.content, 300))))
    await show(query, text, delete_keyboard(callback_data.y, item.number))


async def on_delete_yes(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    roadmap: RoadmapRepo,
    audit: AuditLog,
    clock: Clock,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    item = await _item_or_stale(roadmap, callback_data, callback_answer)
    if item is None:
        return
    await roadmap.delete_item(item.number, query.from_user.id)
    await audit.record(query.from_user.id, "roadmap.delete", item.number)
    notice = tr("roadmap-deleted", number=item.number)
    await _section(query, roadmap, callback_data.y, item.section, _today(clock, settings), notice)


# --- adding an item --------------------------------------------------------------------------------------------------
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


async def on_add(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    state: FSMContext,
    roadmap: RoadmapRepo,
    callback_answer: CallbackAnswer,
) -> None:
    plan = await roadmap.roadmap()
    section = plan.section(callback_data.s)
    if section is None or callback_data.y not in YEARS:
        callback_answer.text = tr("stale-button")
        return
    await state.set_state(RoadmapAdd.number)
    await state.set_data({"s": section.number, "y": callback_data.y})
    text = tr("roadmap-add-ask-number",
        section=esc(quoted(f"{section.number}. {section.title}")), example=_suggest_number(plan, section.number)
    )
    await show(query, text, cancel_keyboard(callback_data.y, section=section.number))


async def on_add_number(message: Message, state: FSMContext, roadmap: RoadmapRepo) -> None:
    data = await state.get_data()
    year, section = int(data.get("y", 0)), int(data.get("s", 0))
    keyboard = cancel_keyboard(year, section=section)
    try:
        number = normalize_number(message.text or "")
        _draft(data, year, number=number)
    except RoadmapError as exc:
        await show(message, tr("roadmap-try-again", error=esc(exc.user_text)), keyboard)
        return
    plan = await roadmap.roadmap()
    if plan.item(number) is not None:
        text = tr("roadmap-number-taken", number=number, example=_suggest_number(plan, section))
        await show(message, text, keyboard)
        return
    await state.update_data(n=number)
    await state.set_state(RoadmapAdd.content)
    await show(message, tr("roadmap-add-ask-content", number=number), keyboard)


async def on_add_step(message: Message, state: FSMContext) -> None:
    """Content, deadline and result: each checked on its own, then the next question."""
    step = _ADD_STEPS.get(str(await state.get_state()))
    if step is None:  # pragma: no cover - the StateFilter admits only these states
        return
    field, following, next_field = step
    data = await state.get_data()
    year = int(data.get("y", 0))
    keyboard = cancel_keyboard(year, section=int(data.get("s", 0)))
    try:
        item = _draft(data, year, **{field: message.text or ""})
    except RoadmapError as exc:
        await show(message, tr("roadmap-try-again", error=esc(exc.user_text)), keyboard)
        return
    value: Any = deadline_to_mapping(item.deadline) if field == "deadline" else getattr(item, field)
    await state.update_data({field: value})
    text = tr(f"roadmap-prompts-{next_field}")
    if field == "deadline":
        text = tr("roadmap-deadline-understood", deadline=describe_deadline(item, year)) + text
    await state.set_state(following)
    await show(message, text, keyboard)


async def on_add_responsible(
    message: Message,
    state: FSMContext,
    roadmap: RoadmapRepo,
    audit: AuditLog,
    clock: Clock,
    settings: Settings,
) -> None:
    data = await state.get_data()
    year, section = int(data.get("y", 0)), int(data.get("s", 0))
    keyboard = cancel_keyboard(year, section=section)
    plan = await roadmap.roadmap()
    number = str(data.get("n", ""))
    if plan.item(number) is not None:  # another curator added it meanwhile
        await state.set_state(RoadmapAdd.number)
        text = tr("roadmap-number-taken", number=number, example=_suggest_number(plan, section))
        await show(message, text, keyboard)
        return
    try:
        item = _draft(data, year, responsible=message.text or "")
        plan.with_item(item)  # its section is in the roadmap
    except RoadmapError as exc:
        await show(message, tr("roadmap-try-again", error=esc(exc.user_text)), keyboard)
        return
    user_id = message.from_user.id  # type: ignore[union-attr]
    await roadmap.save_item(item, user_id)
    await audit.record(user_id, "roadmap.add", item.number, {"year": year})
    await state.clear()
    notice = tr("roadmap-item-added", number=item.number)
    await _card(message, roadmap, year, item.number, _today(clock, settings), settings, notice)


async def on_cancel(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    state: FSMContext,
    roadmap: RoadmapRepo,
    clock: Clock,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    """«Отмена» while adding or editing: back where the curator came from."""
    await _leave_own_state(state)
    if callback_data.y not in YEARS:
        callback_answer.text = tr("stale-button")
        return
    callback_answer.text = tr("roadmap-cancelled")
    today = _today(clock, settings)
    if callback_data.n and await _card(query, roadmap, callback_data.y, callback_data.n, today, settings):
        return
    if callback_data.s and await _section(query, roadmap, callback_data.y, callback_data.s, today):
        return
    await _home(query, roadmap, callback_data.y, today)


async def on_need_text(message: Message) -> None:
    """A sticker or a photo where a typed answer is expected."""
    await show(message, tr("roadmap-need-text"))


# --- the export ------------------------------------------------------------------------------------------------------
async def on_xlsx(
    query: CallbackQuery,
    callback_data: RoadmapCb,
    bot: Bot,
    roadmap: RoadmapRepo,
    audit: AuditLog,
    clock: Clock,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    year = callback_data.y
    if year not in YEARS:
        callback_answer.text = tr("stale-button")
        return
    now = clock.now().astimezone(settings.institution.tz)
    data = roadmap_workbook(
        await roadmap.roadmap(),
        year,
        now.date(),
        await roadmap.states(year),
        organization=settings.institution.organization_name,
        generated=now,
    )
    await audit.record(query.from_user.id, "roadmap.export", programme_label(year))
    await bot.send_document(
        query.from_user.id,
        BufferedInputFile(data, filename=f"dorozhnaya-karta-{year}-{year + 1}.xlsx"),
        caption=tr("roadmap-xlsx-caption", label=programme_label(year)),
    )


def build_router() -> Router:
    """The tracker's handlers; the curator-only filter is the parent router's (handlers.curator)."""
    router = Router(name="curator-roadmap")
    flags = {"callback_answer": {"pre": False}}
    router.message.register(cmd_roadmap, Command("roadmap"))
    for action, handler in (
        (HOME, on_home),
        (SECTION, on_section),
        (CARD, on_card),
        (DONE, on_done),
        (SKIP_NOTE, on_skip_note),
        (ATTACH, on_attach),
        (FINISH, on_finish),
        (REOPEN, on_reopen),
        (GET_DOCUMENT, on_get_document),
        (EDIT, on_edit),
        (EDIT_FIELD, on_edit_field),
        (DELETE, on_delete),
        (DELETE_YES, on_delete_yes),
        (ADD, on_add),
        (CANCEL, on_cancel),
        (XLSX, on_xlsx),
    ):
        router.callback_query.register(handler, RoadmapCb.filter(F.a == action), flags=flags)
    typed = (NotCommand(),)
    router.message.register(on_note, StateFilter(RoadmapDone.note), *typed, HasText())
    router.message.register(on_file, StateFilter(RoadmapAttach.file), *typed)
    router.message.register(on_edit_value, StateFilter(RoadmapEdit.value), *typed, HasText())
    router.message.register(on_add_number, StateFilter(RoadmapAdd.number), *typed, HasText())
    router.message.register(
        on_add_step,
        StateFilter(RoadmapAdd.content, RoadmapAdd.deadline, RoadmapAdd.result),
        *typed,
        HasText(),
    )
    router.message.register(on_add_responsible, StateFilter(RoadmapAdd.responsible), *typed, HasText())
    router.message.register(
        on_need_text,
        StateFilter(RoadmapDone.note, RoadmapEdit.value, *RoadmapAdd.__states__),
        typed[0],
    )
    return router
