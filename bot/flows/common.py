"""What everyone has from day one: /help, /cancel, and the answer to whatever is outside any dialog (a text the
bot does not understand, a sticker, a photo, a file).

Each speaks to its reader: the curator gets the curator's help and no participant's phrases, a parent the
parent's, a pupil «ты»; /cancel says what it cancelled when the dialog's state tells it.
"""

from __future__ import annotations

from bot.flows.context import Ctx
from bot.flows.dialog import group_of
from bot.flows.effects import Effect, Show
from bot.flows.events import Event, FileIn
from bot.flows.menu import children_of, parent_menu, participant_of
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Screen
from bot.i18n import Audience, tr

#: What /cancel says per dialog (the StatesGroup's name in the stored state), when it is not «Отменено».
CANCELLED_BY_DIALOG: dict[str, str] = {
    "AskCurator": "cancelled-question",
    "Forget": "cancelled-forget",
    "Joining": "cancelled-joining",
    "ParentConsent": "cancelled-parent-consent",
    "MeetingSetup": "cancelled-meeting",
    "MeetingReply": "cancelled-meeting-reply",
    "AnswerQuestion": "cancelled-answer",
    "Broadcast": "cancelled-broadcast",
    "AddMaterial": "cancelled-material",
    "DissolvePair": "cancelled-dissolve",
    "GroupMeetingSetup": "cancelled-group-meeting",
    "PaperConsent": "cancelled-paper-consent",
    "NameCorrection": "cancelled-name",
}


async def reader_audience(ctx: Ctx) -> Audience:
    """How to speak to whoever wrote: the curator, a participant (pupil or adult), a parent, else «вы»."""
    if ctx.is_curator:
        return Audience.CURATOR
    participant = await participant_of(ctx.person, ctx.repos.participants)
    if participant is not None:
        return participant.audience
    if await children_of(ctx.person, ctx.repos.participants):
        return Audience.PARENT
    return Audience.ADULT


def say(text: str) -> list[Effect]:
    """A message of its own (never an edit of the screen above)."""
    return [Show(Screen(text), edit=False)]


async def on_help(ctx: Ctx, event: Event) -> list[Effect]:
    audience = await reader_audience(ctx)
    if audience is Audience.CURATOR:
        return say(tr("help-curator") + tr("help-curator-extra"))
    if audience is Audience.PARENT:
        return say(tr("help-parent"))
    return say(tr("help-participant", audience=audience))


async def on_cancel(ctx: Ctx, event: Event) -> list[Effect]:
    """Leaves the dialog's step (its data stays: a questionnaire resumes where it stopped)."""
    current = await ctx.dialog.get_state()
    if current is None:
        return say(tr("nothing-to-cancel"))
    await ctx.dialog.set_state(None)
    return say(cancelled_text(current, await reader_audience(ctx)))


def cancelled_text(state_name: str, audience: Audience) -> str:
    """«Отменено: вопрос куратору не отправлен» — what was cancelled, told from the dialog's state."""
    dialog = group_of(state_name)
    if dialog == "Survey" and audience in (Audience.PUPIL, Audience.ADULT):
        return tr("cancelled-survey", audience=audience)
    msg_id = CANCELLED_BY_DIALOG.get(dialog)
    if msg_id is not None:
        return tr(msg_id)
    return tr("cancelled-curator") if audience is Audience.CURATOR else tr("cancelled-other")


async def on_outside(ctx: Ctx, event: Event) -> list[Effect]:
    """A text or a file no dialog takes: content the bot does not read is answered kindly; a parent's free
    text leads to their menu (the question to the curator is one button away); anyone else's text gets the
    word that the bot did not understand."""
    if isinstance(event, FileIn):
        return await unsupported(ctx)
    if not ctx.is_curator and await participant_of(ctx.person, ctx.repos.participants) is None:
        children = await children_of(ctx.person, ctx.repos.participants)
        if children:
            return [Show(await parent_menu(children, ctx.repos, preface=tr("parent-menu-hint")), edit=False)]
    return say(tr("unknown-input"))


async def unsupported(ctx: Ctx) -> list[Effect]:
    """A sticker, a photo, a voice message or a file where none is expected."""
    return say(tr("unsupported-content", audience=await reader_audience(ctx)))


ROUTES = FlowRoutes(commands={"help": on_help, "cancel": on_cancel}, fallback=on_outside)
