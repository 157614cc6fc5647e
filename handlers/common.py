"""Commands everyone has from day one (/help, /cancel; /start is in joining, /menu in menu) and the fallbacks.

Each speaks to its reader: the curator gets the curator's help and no participant's phrases, a parent the
parent's, a pupil «ты»; /cancel says what it cancelled when the dialog's state tells it."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.ports import Repos
from bot.i18n import Audience, tr
from bot.settings import Settings
from handlers.filters import HasText
from handlers.menu import reader_audience, show_parent_menu
from storage.participants import ParticipantRepo

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


async def cmd_help(message: Message, settings: Settings, participants: ParticipantRepo) -> None:
    audience = await reader_audience(message.from_user.id, settings, participants)  # type: ignore[union-attr]
    if audience is Audience.CURATOR:
        await message.answer(tr("help-curator") + tr("help-curator-extra"))
    elif audience is Audience.PARENT:
        await message.answer(tr("help-parent"))
    else:
        await message.answer(tr("help-participant", audience=audience))


async def cmd_cancel(
    message: Message, state: FSMContext, settings: Settings, participants: ParticipantRepo
) -> None:
    current = await state.get_state()
    if current is None:
        await message.answer(tr("nothing-to-cancel"))
        return
    await state.set_state(None)
    audience = await reader_audience(message.from_user.id, settings, participants)  # type: ignore[union-attr]
    await message.answer(cancelled_text(current, audience))


def cancelled_text(state_name: str, audience: Audience) -> str:
    """«Отменено: вопрос куратору не отправлен» — what was cancelled, told from the dialog's state."""
    dialog = state_name.partition(":")[0]
    if dialog == "Survey" and audience in (Audience.PUPIL, Audience.ADULT):
        return tr("cancelled-survey", audience=audience)
    msg_id = CANCELLED_BY_DIALOG.get(dialog)
    if msg_id is not None:
        return tr(msg_id)
    return tr("cancelled-curator") if audience is Audience.CURATOR else tr("cancelled-other")


async def unknown_text(
    message: Message,
    settings: Settings,
    participants: ParticipantRepo,
    repos: Repos,
) -> None:
    """A parent's free text leads to their menu (the question to the curator is one button away)."""
    user_id = message.from_user.id  # type: ignore[union-attr]
    if not settings.is_curator(user_id) and await participants.by_telegram(user_id) is None:
        children = await participants.children_of(user_id)
        if children:
            hint = tr("parent-menu-hint")
            await show_parent_menu(message, children, repos, preface=hint)
            return
    await message.answer(tr("unknown-input"))


async def unsupported_content(message: Message, settings: Settings, participants: ParticipantRepo) -> None:
    audience = await reader_audience(message.from_user.id, settings, participants)  # type: ignore[union-attr]
    await message.answer(tr("unsupported-content", audience=audience))


async def stale_callback(query: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    """Any button no other handler took: an old keyboard, or forged data."""
    callback_answer.text = tr("stale-button")
    callback_answer.show_alert = True


def build_router() -> Router:
    router = Router(name="common")
    router.message.register(cmd_help, Command("help"))
    router.message.register(cmd_cancel, Command("cancel"))
    return router


def build_fallback_router() -> Router:
    """Included last: whatever no flow took."""
    router = Router(name="fallback")
    router.message.register(unknown_text, HasText())
    router.message.register(unsupported_content)
    router.callback_query.register(stale_callback, flags={"callback_answer": {"pre": False}})
    return router
