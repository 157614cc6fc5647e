"""The curator's informing (roadmap 2.1–2.3): answers to participants' questions, materials, /broadcast with a
preview.

Events: «Ответить» under a question (`ask:reply`: the participant's own «Вопрос куратору» is the participant's
flow), the materials' curator buttons (`mat:add|del|delok|adm|aud`), the broadcast's buttons (`bc`), the commands
/materials and /broadcast, and the texts and files of the dialogs AnswerQuestion, AddMaterial and Broadcast. A
file arrives as `FileIn` (its `file_ref` the messenger's id of it; a broadcast's caption in `caption`). Each
action is one `act`: an answer's row, its audit entry and the notice to the asker commit together; a broadcast's
row and its outbox rows (one per recipient) too.
"""

from __future__ import annotations

from bot.flows.context import Ctx
from bot.flows.effects import Effect, Notify, SendFile, Show, Toast
from bot.flows.events import CommandIn, Event, FileIn, Messenger, Person, PressIn, TextIn
from bot.flows.payloads import AskPayload, MaterialPayload, Payload, PayloadError
from bot.flows.routes import FlowRoutes
from bot.flows.screens import FileOut, Keyboard, Screen
from bot.i18n import Audience, esc, quoted, tr
from bot.meetings.timeparse import format_moment
from bot.programme import Form
from bot.questionnaires import CLUBS, load_vocabulary

TEXT_LIMIT = 3500
CAPTION_LIMIT = 1000

MATERIAL_AUDIENCES: tuple[str, ...] = ("all", "mentors", "mentees")
BROADCAST_AUDIENCES: tuple[str, ...] = ("all", "mentors", "mentees", "unfinished", "awaiting_parent")

#: The dialogs' states (the names of handlers/states.py's StatesGroups).
ANSWER_TEXT = "AnswerQuestion:text"
MATERIAL_FILE = "AddMaterial:file"
MATERIAL_TITLE = "AddMaterial:title"
MATERIAL_AUDIENCE = "AddMaterial:audience"
BROADCAST_CONTENT = "Broadcast:content"
BROADCAST_AUDIENCE = "Broadcast:audience"
BROADCAST_CONFIRM = "Broadcast:confirm"

#: The curator's actions of the materials' payload (the participant's «list» and «get» are not these).
MATERIAL_ACTIONS = ("add", "del", "delok", "adm", "aud")


class BroadcastPayload(Payload, prefix="bc"):
    """a: aud (audience chosen, v), forms, clubs, send, cancel (handlers.kb.informing.BroadcastCb)."""

    a: str
    v: str = ""


def _stale() -> list[Effect]:
    return [Toast(tr("stale-button"))]


def _say(text: str, kb: Keyboard | None = None) -> Show:
    """A new message (the answers to typed messages and the prompts after a press that keep the pressed one)."""
    return Show(Screen(text, kb.rows() if kb is not None else ()), edit=False)


# --- keyboards ---------------------------------------------------------------------------------------------------
def materials_admin_keyboard(items: list) -> Keyboard:
    kb = Keyboard().add(tr("btn-add-material"), MaterialPayload(a="add"))
    for n, item in enumerate(items, start=1):
        kb.add(tr("btn-delete-material", n=n), MaterialPayload(a="del", id=item.id))
    return kb.adjust(1, 3)


def material_delete_keyboard(material_id: int) -> Keyboard:
    kb = Keyboard().add(tr("btn-material-delete-yes"), MaterialPayload(a="delok", id=material_id))
    return kb.add(tr("btn-material-delete-no"), MaterialPayload(a="adm"))


def material_audience_keyboard() -> Keyboard:
    kb = Keyboard()
    for key in MATERIAL_AUDIENCES:
        kb.add(tr(f"material-audiences-{key}").capitalize(), MaterialPayload(a="aud", v=key))
    return kb


def audience_keyboard() -> Keyboard:
    kb = Keyboard()
    for key in BROADCAST_AUDIENCES:
        kb.add(tr(f"broadcast-audiences-{key}"), BroadcastPayload(a="aud", v=key))
    kb.add(tr("btn-audience-form"), BroadcastPayload(a="forms"))
    kb.add(tr("btn-audience-club"), BroadcastPayload(a="clubs"))
    return kb.add(tr("btn-cancel"), BroadcastPayload(a="cancel"))


def form_audience_keyboard() -> Keyboard:
    kb = Keyboard()
    for form in Form:
        kb.add(form.label, BroadcastPayload(a="aud", v=f"form.{form.value}"))
    return kb.add(tr("btn-cancel"), BroadcastPayload(a="cancel"))


def club_audience_keyboard(clubs: list[tuple[str, str]]) -> Keyboard:
    kb = Keyboard()
    for club_id, label in clubs:
        kb.add(label, BroadcastPayload(a="aud", v=f"club.{club_id}"))
    return kb.add(tr("btn-cancel"), BroadcastPayload(a="cancel"))


def confirm_keyboard() -> Keyboard:
    kb = Keyboard().add(tr("btn-broadcast-send"), BroadcastPayload(a="send"))
    return kb.add(tr("btn-cancel"), BroadcastPayload(a="cancel")).adjust(2)


# --- answering questions -----------------------------------------------------------------------------------
async def on_reply(ctx: Ctx, event: Event) -> list[Effect]:
    """«Ответить» under a question: the curator types the answer next."""
    assert isinstance(event, PressIn)
    if not ctx.is_curator:
        return _stale()
    try:
        question_id = AskPayload.unpack(event.payload).id
    except PayloadError:
        return _stale()
    question = await ctx.repos.informing.question(question_id)
    if question is None:
        return [Toast(tr("participant-gone"))]
    if question.answer is not None:
        return [Toast(tr("answer-already"))]
    person = await ctx.repos.participants.get(question.participant_id)
    await ctx.dialog.set_state(ANSWER_TEXT)
    await ctx.dialog.set_data({"question": question.id})
    who = esc(person.shown_name()) if person else ""
    who = tr("ask-who-parent", child=who) if question.asked_by and person else who
    return [_say(tr("answer-prompt", who=who))]


async def _on_answer_text(ctx: Ctx, event: Event) -> list[Effect]:
    text = event.text.strip() if isinstance(event, TextIn) else ""
    if not 1 <= len(text) <= TEXT_LIMIT:
        return [_say(tr("broadcast-bad"))]
    data = await ctx.dialog.get_data()
    await ctx.dialog.clear()
    informing = ctx.repos.informing
    question = await informing.question(int(data.get("question", 0)))
    person = await ctx.repos.participants.get(question.participant_id) if question else None
    if question is None or person is None:
        return [_say(tr("participant-gone"))]
    curator = ctx.person.account_id
    if not await informing.answer(question.id, text, curator):
        return [_say(tr("answer-already"))]
    await ctx.repos.audit.record(curator, "question.answer", person.pseudonym)
    shown_question = question.text if len(question.text) <= 200 else question.text[:199] + "…"
    # A parent's question about their child is answered to the parent.
    if question.asked_by:
        to = Person(question.asked_by_messenger or Messenger.TELEGRAM, question.asked_by)
        audience = Audience.PARENT
    else:
        to, audience = person.person, person.audience
    answer = tr("answer-to-participant", question=esc(quoted(shown_question)), answer=esc(text), audience=audience)
    return [Notify(to, Screen(answer), about=(person.id,)), _say(tr("answer-sent"))]


# --- materials ---------------------------------------------------------------------------------------------------
async def materials_screen(ctx: Ctx, *, edit: bool = True) -> Show:
    items = await ctx.repos.informing.materials()
    lines = "".join(
        tr("material-line", n=n, title=esc(m.title), audience=tr(f"material-audiences-{m.audience}"))
        for n, m in enumerate(items, start=1)
    )
    text = tr("materials-curator", count=len(items), lines=lines or "\n—")
    return Show(Screen(text, materials_admin_keyboard(items).rows()), edit=edit)


async def on_materials(ctx: Ctx, event: Event) -> list[Effect]:
    if not ctx.is_curator:
        return [_say(tr("curator-only"))]
    return [await materials_screen(ctx, edit=False)]


async def on_material_press(ctx: Ctx, event: Event) -> list[Effect]:
    assert isinstance(event, PressIn)
    if not ctx.is_curator:
        return _stale()
    try:
        cb = MaterialPayload.unpack(event.payload)
    except PayloadError:
        return _stale()
    informing, curator = ctx.repos.informing, ctx.person.account_id
    if cb.a == "add":
        await ctx.dialog.set_state(MATERIAL_FILE)
        return [_say(tr("material-send-file"))]
    if cb.a == "del":
        material = await informing.material(cb.id)
        if material is None:
            return _stale()
        audience = tr(f"material-audiences-{material.audience}")
        text = tr("material-delete-confirm", title=esc(quoted(material.title)), audience=audience)
        return [Show(Screen(text, material_delete_keyboard(material.id).rows()))]
    if cb.a == "delok":
        if not await informing.delete_material(cb.id):
            return _stale()  # deleted already: pressed twice, or an old screen
        await ctx.repos.audit.record(curator, "material.delete", str(cb.id))
        return [Toast(tr("material-deleted")), await materials_screen(ctx)]
    if cb.a == "adm":
        return [await materials_screen(ctx)]
    if cb.a == "aud" and cb.v in MATERIAL_AUDIENCES:
        data = await ctx.dialog.get_data()
        if await ctx.dialog.get_state() != MATERIAL_AUDIENCE or "file_id" not in data:
            return _stale()
        await ctx.dialog.clear()
        await informing.add_material(data["title"], cb.v, data["file_id"], data["file_name"], curator)
        await ctx.repos.audit.record(curator, "material.add", data["title"])
        audience = tr(f"material-audiences-{cb.v}")
        return [Show(Screen(tr("material-added", title=esc(quoted(data["title"])), audience=audience)))]
    return _stale()


def _is_document(event: Event) -> bool:
    """A file sent as a file (a photo, which has no name, is not a document)."""
    if not isinstance(event, FileIn) or not event.file_ref:
        return False
    return not (event.mime.startswith("image/") and not event.name)


async def _on_material_file(ctx: Ctx, event: Event) -> list[Effect]:
    if not isinstance(event, FileIn) or not _is_document(event):
        return [_say(tr("material-need-file"))]
    await ctx.dialog.update_data(file_id=event.file_ref, file_name=event.name or "document")
    await ctx.dialog.set_state(MATERIAL_TITLE)
    return [_say(tr("material-ask-title"))]


async def _on_material_title(ctx: Ctx, event: Event) -> list[Effect]:
    if not isinstance(event, TextIn):
        return []
    title = " ".join(event.text.split())
    if not 2 <= len(title) <= 100:
        return [_say(tr("material-bad-title"))]
    await ctx.dialog.update_data(title=title)
    await ctx.dialog.set_state(MATERIAL_AUDIENCE)
    return [_say(tr("material-ask-audience"), material_audience_keyboard())]


# --- broadcast ------------------------------------------------------------------------------------------------------
async def on_broadcast_command(ctx: Ctx, event: Event) -> list[Effect]:
    if not ctx.is_curator:
        return [_say(tr("curator-only"))]
    await ctx.dialog.set_state(BROADCAST_CONTENT)
    await ctx.dialog.set_data({})
    return [_say(tr("broadcast-ask"))]


async def _on_broadcast_content(ctx: Ctx, event: Event) -> list[Effect]:
    """Keep the content as markup (the curator's bold and italics survive) and the file id of a photo or a
    document."""
    media_kind, file_id, text = None, None, ""
    if isinstance(event, TextIn):
        text = event.text
    elif isinstance(event, FileIn) and event.file_ref:
        media_kind = "document" if _is_document(event) else "photo"
        file_id, text = event.file_ref, event.caption
    limit = CAPTION_LIMIT if media_kind else TEXT_LIMIT
    if isinstance(event, CommandIn) or (not text and not media_kind) or len(text) > limit or text.startswith("/"):
        return [_say(tr("broadcast-bad"))]
    await ctx.dialog.update_data(text=text, media_kind=media_kind, file_id=file_id)
    await ctx.dialog.set_state(BROADCAST_AUDIENCE)
    return [_say(tr("broadcast-pick-audience"), audience_keyboard())]


def _audience_label(audience: str) -> str:
    kind, _, value = audience.partition(".")
    if kind == "form":
        return Form(value).label
    if kind == "club":
        return load_vocabulary().label(CLUBS, value) or value
    return tr(f"broadcast-audiences-{audience}") if audience in BROADCAST_AUDIENCES else audience


def _preview(data: dict) -> Effect:
    """The message exactly as participants will get it."""
    media_kind, text = data.get("media_kind"), data.get("text") or ""
    if media_kind in ("photo", "document"):
        mime = "image/jpeg" if media_kind == "photo" else "application/octet-stream"
        return SendFile(FileOut("", b"", mime, text, ref=data["file_id"]))
    return _say(text)


async def on_broadcast_press(ctx: Ctx, event: Event) -> list[Effect]:
    assert isinstance(event, PressIn)
    if not ctx.is_curator:
        return _stale()
    try:
        cb = BroadcastPayload.unpack(event.payload)
    except PayloadError:
        return _stale()
    current = await ctx.dialog.get_state()
    data = await ctx.dialog.get_data()
    if current not in (BROADCAST_AUDIENCE, BROADCAST_CONFIRM) or (not data.get("text") and not data.get("file_id")):
        return _stale()
    participants = ctx.repos.participants
    if cb.a == "cancel":
        await ctx.dialog.clear()
        return [Show(Screen(tr("cancelled")))]
    if cb.a == "forms":
        return [Show(Screen(tr("broadcast-pick-audience"), form_audience_keyboard().rows()))]
    if cb.a == "clubs":
        clubs = [(o.id, o.label) for o in load_vocabulary().options(CLUBS)]
        return [Show(Screen(tr("broadcast-pick-audience"), club_audience_keyboard(clubs).rows()))]
    if cb.a == "aud":
        try:
            label = _audience_label(cb.v)
        except ValueError:
            return _stale()
        people = await participants.audience(cb.v)
        if not people:
            return [Toast(tr("broadcast-nobody"), alert=True)]
        await ctx.dialog.update_data(audience=cb.v)
        await ctx.dialog.set_state(BROADCAST_CONFIRM)
        return [
            _say(tr("broadcast-preview", count=len(people), audience=label)),
            _preview(data),
            _say(tr("btn-broadcast-send") + "?", confirm_keyboard()),
        ]
    if cb.a == "send" and current == BROADCAST_CONFIRM:
        return await _send(ctx, data)
    return _stale()


async def _send(ctx: Ctx, data: dict) -> list[Effect]:
    """The broadcast's row and one outbox row per recipient, in the action's transaction."""
    people = await ctx.repos.participants.audience(data["audience"])
    await ctx.dialog.clear()
    outbox, curator = ctx.repos.outbox, ctx.person.account_id
    now = ctx.repos.clock.now()
    goes_at = outbox.earliest(now)
    broadcast_id = await ctx.repos.informing.create_broadcast(
        curator,
        data["audience"],
        data.get("text"),
        data.get("media_kind"),
        data.get("file_id"),
        people,
        goes_at,
        outbox=outbox,
        created_by_messenger=ctx.person.messenger,
    )
    outbox.wake()  # the sender waits for this transaction's commit before it reads the rows
    details = {"audience": data["audience"]}
    await ctx.repos.audit.record(
        curator, "broadcast.send", str(broadcast_id), details, actor_messenger=ctx.person.messenger
    )
    text = tr("broadcast-queued", count=len(people))
    if goes_at > now:
        text += tr("broadcast-quiet", when=format_moment(goes_at, ctx.repos.settings.institution.tz))
    return [Show(Screen(text))]


# --- the dialogs ----------------------------------------------------------------------------------------------------
_STEPS = {
    ANSWER_TEXT: _on_answer_text,
    MATERIAL_FILE: _on_material_file,
    MATERIAL_TITLE: _on_material_title,
    BROADCAST_CONTENT: _on_broadcast_content,
}


async def on_dialog(ctx: Ctx, event: Event) -> list[Effect]:
    """A text or a file in one of the curator's informing dialogs; a step that waits for a press takes none."""
    step = _STEPS.get(str(await ctx.dialog.get_state()))
    if step is None or not ctx.is_curator:
        return []
    if isinstance(event, CommandIn) and step is not _on_broadcast_content:
        return []
    return await step(ctx, event)


ROUTES = FlowRoutes(
    commands={"materials": on_materials, "broadcast": on_broadcast_command},
    presses={
        f"{AskPayload.prefix}:reply": on_reply,
        **{f"{MaterialPayload.prefix}:{action}": on_material_press for action in MATERIAL_ACTIONS},
        BroadcastPayload.prefix: on_broadcast_press,
    },
    dialogs=dict.fromkeys(("AnswerQuestion", "AddMaterial", "Broadcast"), on_dialog),
)
