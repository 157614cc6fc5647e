"""One user action, one transaction: the event goes to its flow (`routes.handle`), and the notices among its
effects are queued in the outbox, all in the database transaction of the action. The domain rows, the dialog
state, the audit entry and the outbox rows commit together; a flow that raises leaves nothing of the action.

What is left (screens to show, toasts, files) is for the adapter to carry out after the commit: nothing is sent
before the action's rows are safe, and a message sent is never about rows that were rolled back.
"""

from __future__ import annotations

from bot.flows import routes
from bot.flows.context import Ctx
from bot.flows.effects import Effect, Notify, NotifyCurators
from bot.flows.events import Event, Messenger, Person
from bot.flows.notices import stored_buttons
from bot.flows.ports import Repos


async def act(event: Event, ctx: Ctx) -> list[Effect] | None:
    """The effects for the person who acted, or None when no flow of the core takes the event."""
    async with ctx.repos.atomic():
        effects = await routes.handle(event, ctx)
        if effects is None:
            return None
        await queue(effects, ctx.repos)
    return [e for e in effects if not isinstance(e, Notify | NotifyCurators)]


async def queue(effects: list[Effect], repos: Repos) -> None:
    """Write the notices among `effects` into the outbox (inside the caller's transaction, if any)."""
    for effect in effects:
        if isinstance(effect, Notify):
            await _enqueue(repos, effect.to, effect)
        elif isinstance(effect, NotifyCurators):
            for curator in curators(repos):
                await _enqueue(repos, curator, effect)


def curators(repos: Repos) -> list[Person]:
    """Every curator now, each on their messenger (the roster's are Telegram's for now)."""
    return [Person(Messenger.TELEGRAM, account_id) for account_id in repos.settings.curator_ids()]


async def _enqueue(repos: Repos, to: Person, notice: Notify | NotifyCurators) -> None:
    await repos.outbox.enqueue(
        to.account_id,
        notice.screen.text,
        reply_markup=stored_buttons(notice.screen),
        kind=notice.kind,
        about=notice.about,
        dedup_key=notice.dedup_key if isinstance(notice, Notify) else None,
        messenger=to.messenger,
    )
