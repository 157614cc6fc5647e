"""Joining on Telegram: the adapter of `bot.flows.joining` (/start with an invite code, the age question, the
consent or the parent's, refusal). aiogram's filters route the updates; each body makes the event and runs it
through the core (`handlers.core`), whose effects come back out through the edit-or-send helper.

What stays here: the pressed message answered (the flow's bare edit) is Telegram's editMessageReplyMarkup; the
bot's username for the parent's link (`StartLinks`, learnt from getMe), and the questionnaire an adult's consent
starts is shown by the questionnaire's adapter (`handlers.survey.show_effects`: it learns the message's id).
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.flows.act import act
from bot.flows.dialog import group_of
from bot.flows.effects import Effect, Show
from bot.flows.events import CommandIn, Event, FileIn, Messenger, PressIn, TextIn

# The consent's operator moved to the application layer; tests and the curator's screens take it from here.
from bot.flows.joining import operator as operator
from bot.flows.ports import Repos
from bot.questionnaires import Questionnaire
from handlers import survey
from handlers.core import ctx_of, person_of
from handlers.filters import HasText
from handlers.kb.joining import AgeCb, ConsentCb, MinorConsentCb, ParentCb
from handlers.kb.menu import MenuCb
from handlers.states import Joining, ParentConsent
from handlers.ui import drop_keyboard, render
from storage.participants import ParticipantRepo


async def learn_links(bot: Bot, repos: Repos) -> None:
    """The parent's link is `https://t.me/<bot>?start=<code>`: the core learns the bot's username (getMe is
    asked once; aiogram keeps the answer)."""
    me = await bot.me()
    repos.links.learn(Messenger.TELEGRAM, me.username or "bot")


def _answered(effect: Effect) -> bool:
    """The flow's «the pressed message, answered»: its own text again without buttons. Telegram only drops the
    keyboard (a message too old to edit keeps its text; the document is not sent again)."""
    return isinstance(effect, Show) and effect.edit and not effect.screen.rows


async def run(
    target: Message | CallbackQuery,
    event: Event,
    state: FSMContext,
    bot: Bot,
    repos: Repos,
    participants: ParticipantRepo,
    questionnaires: dict[str, Questionnaire],
    callback_answer: CallbackAnswer | None = None,
) -> None:
    """`handlers.core.perform` for joining: an answered button drops its keyboard; a questionnaire the consent
    started is shown by the questionnaire's adapter."""
    await learn_links(bot, repos)
    effects = await act(event, ctx_of(event.person.account_id, state, repos))
    if effects is None:
        return
    rest: list[Effect] = []
    for effect in effects:
        if isinstance(target, CallbackQuery) and _answered(effect):
            await drop_keyboard(target)
        else:
            rest.append(effect)
    if group_of(await state.get_state()) == "Survey":
        # The consent started the questionnaire: its adapter shows it and tells the flow which message it is.
        await survey.show_effects(target, survey.dialog_of(state), repos, rest, callback_answer)
    else:
        await render(target, rest, callback_answer)


async def cmd_start(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    bot: Bot,
    repos: Repos,
    participants: ParticipantRepo,
    questionnaires: dict[str, Questionnaire],
) -> None:
    event = CommandIn(person_of(message.from_user.id), "start", command.args or "")  # type: ignore[union-attr]
    await run(message, event, state, bot, repos, participants, questionnaires)


async def on_press(
    query: CallbackQuery,
    state: FSMContext,
    bot: Bot,
    repos: Repos,
    participants: ParticipantRepo,
    questionnaires: dict[str, Questionnaire],
    callback_answer: CallbackAnswer,
) -> None:
    """Every button of joining: the menu's «Дать согласие» / «Ссылка для родителя», the age, the consents,
    the parent's answers."""
    event = PressIn(person_of(query.from_user.id), query.data or "")
    await run(query, event, state, bot, repos, participants, questionnaires, callback_answer)


async def on_input(
    message: Message,
    state: FSMContext,
    bot: Bot,
    repos: Repos,
    participants: ParticipantRepo,
    questionnaires: dict[str, Questionnaire],
) -> None:
    """Anything typed inside joining's dialogs: the parent's name, else a word that a button is expected."""
    event = TextIn(person_of(message.from_user.id), message.text or "")  # type: ignore[union-attr]
    await run(message, event, state, bot, repos, participants, questionnaires)


async def on_other_input(
    message: Message,
    state: FSMContext,
    bot: Bot,
    repos: Repos,
    participants: ParticipantRepo,
    questionnaires: dict[str, Questionnaire],
) -> None:
    """A file, a sticker, a photo… where the parent's name is expected: the flow asks for a button."""
    document = message.document
    event = FileIn(
        person_of(message.from_user.id),  # type: ignore[union-attr]
        document.file_name or "" if document else "",
        document.mime_type or "" if document else "",
        document.file_id if document else "",
    )
    await run(message, event, state, bot, repos, participants, questionnaires)


def build_router() -> Router:
    router = Router(name="joining")
    router.message.register(cmd_start, CommandStart())
    router.callback_query.register(on_press, MenuCb.filter(F.action.in_({"consent", "parent_link"})))
    answered_late = {"callback_answer": {"pre": False}}
    for twin in (AgeCb, ConsentCb, MinorConsentCb, ParentCb):
        router.callback_query.register(on_press, twin.filter(), flags=answered_late)
    return router


def build_state_router() -> Router:
    """Free input inside the joining dialogs; included after the command routers."""
    router = Router(name="joining-input")
    router.message.register(on_input, StateFilter(ParentConsent.name), HasText())
    router.message.register(
        on_other_input, StateFilter(ParentConsent.document, ParentConsent.relation, ParentConsent.name)
    )
    router.message.register(on_input, StateFilter(Joining.age, Joining.consent, Joining.waiting_parent), HasText())
    router.message.register(on_other_input, StateFilter(Joining.age, Joining.consent, Joining.waiting_parent))
    return router
