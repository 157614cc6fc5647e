"""The participant's and the parent's side of informing: «Вопрос куратору» (/ask, the menu's button, the
question's text and the notice to every curator) and the programme's materials.

The curator's side (the answer to a question, adding and deleting materials, broadcasts) is the curator's flow;
on Telegram its buttons (`ask:reply:…`, `mat:add`, …) reach the curator's handlers by their own filters.
"""

from __future__ import annotations

from typing import Any

from bot.flows.common import reader_audience, unsupported
from bot.flows.context import Ctx
from bot.flows.effects import Effect, NotifyCurators, SendFile, Show, Toast
from bot.flows.events import CommandIn, Event, FileIn, PressIn, TextIn
from bot.flows.menu import children_of, parent_menu, participant_of
from bot.flows.payloads import AskPayload, MaterialPayload
from bot.flows.ports import Matching
from bot.flows.routes import FlowRoutes
from bot.flows.screens import FileOut, Keyboard, Screen
from bot.i18n import esc, tr
from bot.pairs import who
from bot.participants import Participant
from bot.programme import Role

#: The dialog's one step (handlers.states.AskCurator.text).
QUESTION = "AskCurator:text"
QUESTION_LIMIT = 1000


def say(text: str) -> list[Effect]:
    return [Show(Screen(text), edit=False)]


async def who_is(participant: Participant, matching: Matching) -> str:
    """The participant as a curator's notice names them: name, role and current pair (`bot.pairs.who`).
    A notice that says this goes with `about=(participant.id,)`, so a withdrawal takes it too."""
    pair = await matching.pair_of(participant.id) if participant.has_consent else None
    return who(participant.shown_name(), participant.role, pair)


# --- asking -------------------------------------------------------------------------------------------------
async def start_ask(ctx: Ctx, child_id: int = 0) -> list[Effect]:
    """A participant asks about themselves; a parent asks about a child they consented for (a parent of two
    picks the child first)."""
    participant = await participant_of(ctx.person, ctx.repos.participants)
    if participant is not None and participant.has_consent and not child_id:
        await ctx.dialog.set_state(QUESTION)
        await _drop_child(ctx)
        return say(tr("ask-prompt", audience=participant.audience))
    children = await children_of(ctx.person, ctx.repos.participants)
    if children:
        child = next((c for c in children if c.id == child_id), None)
        if child is None and not child_id and len(children) == 1:
            child = children[0]
        if child is None:
            return [Show(await parent_menu(children, ctx.repos, preface=tr("parent-ask-which")), edit=False)]
        await ctx.dialog.set_state(QUESTION)
        await ctx.dialog.update_data(child=child.id)
        return say(tr("parent-ask-prompt"))
    return say(tr("ask-needs-consent") if participant is not None else tr("not-a-participant"))


async def _drop_child(ctx: Ctx) -> None:
    """Forget which child a parent asked about; the rest of the dialog (a questionnaire under way) stays."""
    data = await ctx.dialog.get_data()
    if "child" in data:
        await ctx.dialog.set_data({k: v for k, v in data.items() if k != "child"})


async def on_ask(ctx: Ctx, event: Event) -> list[Effect]:
    """/ask."""
    return await start_ask(ctx)


async def on_ask_press(ctx: Ctx, event: Event) -> list[Effect]:
    """«Вопрос куратору» (a=ask; id: the child a parent asks about)."""
    assert isinstance(event, PressIn)
    pressed = AskPayload.unpack(event.payload)
    if pressed.a != "ask":
        return [Toast(tr("stale-button"), alert=True)]
    return await start_ask(ctx, pressed.id)


async def on_question(ctx: Ctx, event: Event) -> list[Effect]:
    """The question's text: to every curator, with «Ответить»; anything but a text of 1–1000 characters is
    asked again."""
    if isinstance(event, FileIn):
        return await unsupported(ctx)
    text = event.text.strip() if isinstance(event, TextIn) else ""
    if isinstance(event, CommandIn) or not 1 <= len(text) <= QUESTION_LIMIT or text.startswith("/"):
        return say(tr("ask-bad", audience=await reader_audience(ctx)))
    data = await ctx.dialog.get_data()
    await ctx.dialog.set_state(None)
    await _drop_child(ctx)
    informing: Any = ctx.repos.informing
    if data.get("child"):
        children = await children_of(ctx.person, ctx.repos.participants)
        child = next((c for c in children if c.id == data["child"]), None)
        if child is None:
            return say(tr("not-a-participant"))
        question_id = await informing.ask(
            child.id, text, asked_by=ctx.person.account_id, asked_by_messenger=ctx.person.messenger
        )
        body = tr("ask-to-curator-from-parent",
            parent=esc(child.parent_name or "—"), who=await who_is(child, ctx.repos.matching), text=esc(text)
        )  # fmt: skip
        about = child.id
    else:
        participant = await participant_of(ctx.person, ctx.repos.participants)
        if participant is None:
            return say(tr("not-a-participant"))
        question_id = await informing.ask(participant.id, text)
        body = tr("ask-to-curator", who=await who_is(participant, ctx.repos.matching), text=esc(text))
        about = participant.id
    rows = Keyboard().add(tr("btn-reply"), AskPayload(a="reply", id=question_id)).rows()
    return [NotifyCurators(Screen(body, rows), kind="question", about=(about,)), *say(tr("ask-sent"))]


# --- materials ------------------------------------------------------------------------------------------------
async def on_materials(ctx: Ctx, event: Event) -> list[Effect]:
    """The list of materials for the participant's side (mentors' or mentees', and everyone's), and a material
    sent as the file the curator uploaded."""
    assert isinstance(event, PressIn)
    pressed = MaterialPayload.unpack(event.payload)
    if pressed.a not in ("list", "get"):
        return [Toast(tr("stale-button"), alert=True)]
    participant = await participant_of(ctx.person, ctx.repos.participants)
    if participant is None or not participant.has_consent:
        return [Toast(tr("not-a-participant") if participant is None else tr("ask-needs-consent"))]
    audiences = ("all", "mentors") if participant.role is Role.MENTOR else ("all", "mentees")
    informing: Any = ctx.repos.informing
    if pressed.a == "list":
        items = await informing.materials(audiences)
        if not items:
            return say(tr("materials-empty"))
        kb = Keyboard()
        for item in items:
            kb.add(item.title[:60], MaterialPayload(a="get", id=item.id))
        return [Show(Screen(tr("materials-list", audience=participant.audience), kb.rows()), edit=False)]
    item = await informing.material(pressed.id)
    if item is None or item.audience not in audiences:
        return [Toast(tr("stale-button"))]
    return [SendFile(FileOut(item.file_name, b"", "", caption=esc(item.title), ref=item.file_id))]


ROUTES = FlowRoutes(
    commands={"ask": on_ask},
    presses={AskPayload.prefix: on_ask_press, MaterialPayload.prefix: on_materials},
    dialogs={"AskCurator": on_question},
)
