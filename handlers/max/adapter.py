"""MAX's way into the application layer: an update becomes an event, the action runs in its transaction
(`bot.flows.act`), and its effects come back out as MAX requests.

MAX has no router here: the core's route table (`bot.flows.routes`) sends each event to its flow, and the dialog
state is the neutral table's (`storage.dialogs.PersonDialog`), as on the test front end. What MAX asks of an
adapter and this does:
- every press is answered exactly once (`POST /answers`), and an answer needs a notification or a message: a
  screen that replaces the pressed one goes as the answer's message (one request, not two), a toast as its
  notification, and a press that shows neither gets the short «Готово»;
- message ids are strings (`PressIn.message_id`);
- a questionnaire's new screen tells the flow which message shows it (`bot.flows.survey.remember`), as the
  Telegram adapter does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from bot.errors import AppError
from bot.flows import survey
from bot.flows.act import act, queue
from bot.flows.context import Ctx
from bot.flows.dialog import Dialog
from bot.flows.effects import Effect, Farewell, NotifyCurators, SendFile, Show, Toast
from bot.flows.events import CommandIn, Messenger, Person, PressIn
from bot.flows.ports import Repos
from bot.flows.screens import Screen
from bot.i18n import tr
from bot.pairs import who
from handlers.max.client import MaxClient, MaxError, Rows, split_text
from handlers.max.updates import Incoming, InGroup, Stopped, parse, user_of
from storage.dialogs import PersonDialog
from storage.group_chats import GroupChats

log = logging.getLogger(__name__)

#: How many people's updates are handled at once (one person's always in their order).
CONCURRENCY = 64


class MaxAdapter:
    def __init__(
        self,
        client: MaxClient,
        services: Mapping[str, Any],
    ) -> None:
        self.client = client
        self._services = services
        self._repos: Repos = services["repos"]
        self._limit = asyncio.Semaphore(CONCURRENCY)
        self._groups = GroupChats(services["db"], services["clock"])
        self._repos.farewells.register(Messenger.MAX, self.farewell)

    # --- a batch of updates --------------------------------------------------------------------------------
    async def handle_batch(self, updates: list[dict[str, Any]]) -> None:
        """Handle a batch: each person's updates in their order, different people's at once; returns when all
        are done (the caller may then move the marker past them)."""
        by_person: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
        for update in updates:
            by_person[user_of(update)].append(update)
        await asyncio.gather(*(self._handle_in_order(group) for group in by_person.values()))

    async def _handle_in_order(self, updates: list[dict[str, Any]]) -> None:
        async with self._limit:
            for update in updates:
                await self.handle(update)

    async def handle(self, update: dict[str, Any]) -> None:
        """One update; an error is logged and the update is not handled again (a person who pressed a button
        that broke gets the stale-button answer rather than the same failure at every restart)."""
        try:
            parsed = parse(update)
        except (TypeError, ValueError, KeyError):
            log.warning("a MAX update the bot cannot read: %.200r", update)
            return
        try:
            if isinstance(parsed, Incoming):
                await self._incoming(parsed)
            elif isinstance(parsed, Stopped):
                await self._stopped(parsed.person)
            elif isinstance(parsed, InGroup):
                await self._in_group(parsed)
        except AppError as exc:
            if isinstance(parsed, Incoming):
                await self._tell_quietly(parsed, exc.user_text)
        except Exception as exc:  # the line names the failure, as the Telegram adapter's does
            log.exception("a MAX update failed: %s: %s", update.get("update_type"), exc)
            if isinstance(parsed, Incoming):
                await self._tell_quietly(parsed, tr("unexpected-error"))

    # --- a person's event -----------------------------------------------------------------------------------
    def dialog(self, person: Person) -> Dialog:
        return PersonDialog(self._services["dialogs"], person.messenger, person.account_id)

    def ctx(self, person: Person) -> Ctx:
        return Ctx(person, self._repos, self.dialog(person), self.dialog)

    async def _incoming(self, incoming: Incoming) -> None:
        event = incoming.event
        await self._reachable(event.person, starting=isinstance(event, CommandIn) and event.command == "start")
        effects = await act(event, self.ctx(event.person))
        if effects is None:  # no flow takes it (the route table has a fallback: this is a press with no owner)
            effects = [Toast(tr("stale-button"))] if isinstance(event, PressIn) else []
        await self.render(incoming, effects)

    async def render(self, incoming: Incoming, effects: list[Effect]) -> None:
        """Carry out the effects for the person who acted (see the module's docstring)."""
        event = incoming.event
        person = event.person
        pressed = event.message_id if isinstance(event, PressIn) else None
        toast = next((e for e in effects if isinstance(e, Toast)), None) if incoming.callback_id else None
        answered = False
        shown: str | None = None  # a new message that shows a screen with buttons
        for effect in effects:
            if isinstance(effect, Show):
                screen = effect.screen
                if effect.edit and incoming.callback_id and not answered:
                    # A screen too long for one message: the pressed message shows its beginning, the rest
                    # follows as new messages with the buttons under the last.
                    head, *rest = split_text(screen.text)
                    answered = True
                    if not await self._answer(
                        incoming, toast.text if toast else None, head, () if rest else screen.rows
                    ):
                        sent = await self.client.send(person.account_id, screen.text, screen.rows)
                        shown = sent.mid if screen.rows else shown
                    elif rest:
                        sent = await self.client.send(person.account_id, "\n".join(rest), screen.rows)
                        shown = sent.mid if screen.rows else shown
                else:
                    sent = await self.client.send(person.account_id, screen.text, screen.rows)
                    shown = sent.mid if screen.rows else shown
            elif isinstance(effect, Toast):
                if not incoming.callback_id:
                    await self.client.send(person.account_id, effect.text)
            elif isinstance(effect, SendFile):
                await self.client.send_file(person.account_id, effect.file)
            elif isinstance(effect, Farewell):
                await self.farewell(effect)
            else:
                raise TypeError(f"the MAX adapter does not carry out {effect!r}")
        if incoming.callback_id and not answered:
            await self._answer(incoming, toast.text if toast else tr("max-press-taken"))
        if shown is not None and shown != pressed:
            dialog = self.dialog(person)
            async with self._repos.atomic():
                await survey.remember(dialog, shown)

    async def _answer(
        self, incoming: Incoming, notification: str | None, text: str | None = None, rows: Rows = ()
    ) -> bool:
        """Answer the press; False when MAX no longer takes an answer to it: a press read again after a restart
        had been answered before the process died (the screen then goes as a new message)."""
        try:
            await self.client.answer(
                incoming.callback_id or "",
                incoming.event.person.account_id,
                notification=notification,
                text=text,
                rows=rows,
            )
        except MaxError as exc:
            if exc.status == 400 and "callback" in exc.message.lower():
                log.info("a press could not be answered any more: %s", exc.message)
                return False
            raise
        return True

    async def farewell(self, effect: Farewell) -> None:
        """The last word to someone whose data is gone: at once, on their messenger; not retried."""
        if effect.to.messenger is not Messenger.MAX:
            await self._repos.farewells.send(effect)
            return
        try:
            await self.client.send(effect.to.account_id, effect.text, silent=effect.silent)
        except MaxError as exc:
            log.info("the farewell to a withdrawn participant was not delivered: %s", exc.message)

    async def _tell_quietly(self, incoming: Incoming, text: str) -> None:
        """What went wrong, as a message (and as the press's answer, unless it was answered already)."""
        account = incoming.event.person.account_id
        if incoming.callback_id:
            with contextlib.suppress(MaxError):
                await self.client.answer(incoming.callback_id, account, notification=text)
        try:
            await self.client.send(account, text)
        except MaxError as exc:
            log.info("a person was not told about an error: %s", exc)

    # --- reachability and groups ------------------------------------------------------------------------------
    async def _reachable(self, person: Person, *, starting: bool) -> None:
        """A person who writes can be written to: their waiting notices go, a stop is over. The waiting chats
        are a set in memory (as Telegram's middleware checks them): the database, and a wake-up of the outbox
        sender, only for a chat that has notices waiting, not at every update. A stop ends with a start (MAX
        lets nobody write to a bot they stopped without starting it again), so only /start asks the database."""
        outbox = self._repos.outbox
        if starting and await outbox.is_unreachable(person.account_id, Messenger.MAX):
            await outbox.mark_reachable(person.account_id, Messenger.MAX)
            await self._tell_curators(person, "curator-user-unblocked")
        if person.account_id in outbox.waiting[Messenger.MAX]:
            await outbox.release_chat(person.account_id, Messenger.MAX)

    async def _stopped(self, person: Person) -> None:
        """The person stopped the bot: the outbox stops writing to them and the curators are told once."""
        if await self._repos.outbox.mark_unreachable(person.account_id, "bot_stopped", Messenger.MAX):
            await self._tell_curators(person, "curator-user-blocked")

    async def _tell_curators(self, person: Person, message: str) -> None:
        if person in self._repos.settings.roster:
            return
        participant = await self._repos.participants.by_account(Messenger.MAX, person.account_id)
        if participant is None:
            return
        pair = await self._repos.matching.pair_of(participant.id) if participant.has_consent else None
        text = tr(message, who=who(participant.shown_name(), participant.role, pair))
        async with self._repos.atomic():
            await queue([NotifyCurators(Screen(text), about=(participant.id,))], self._repos)

    async def _in_group(self, group: InGroup) -> None:
        """A group chat gets one line a day at most; a press there a short answer. Nothing else happens."""
        if group.callback_id:
            try:
                await self.client.answer(group.callback_id, group.chat_id, notification=tr("private-only-alert"))
            except MaxError as exc:
                log.info("a press in a group was not answered: %s", exc)
            return
        if group.chat_id and await self._groups.claim_notice(group.chat_id, Messenger.MAX):
            try:
                await self.client.send_chat(group.chat_id, tr("private-only-alert"))
            except MaxError as exc:
                log.info("a group chat was not told the bot is private-only: %s", exc)
