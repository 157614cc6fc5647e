"""One user action, one transaction: the event goes to its flow (`routes.handle`), and the notices among its
effects are queued in the outbox, all in the database transaction of the action. The domain rows, the dialog
state, the audit entry and the outbox rows commit together; a flow that raises leaves nothing of the action.

What is left (screens to show, toasts, files) is for the adapter to carry out after the commit: nothing is sent
before the action's rows are safe, and a message sent is never about rows that were rolled back. Rendering that
needs no transaction (`Later`: a chart, a workbook) runs after the commit too, so the database is not held while
a picture is drawn.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.flows import routes
from bot.flows.context import Ctx
from bot.flows.effects import Effect, Later, Notify, NotifyCurators
from bot.flows.events import Event, Person
from bot.flows.notices import stored_buttons
from bot.flows.ports import Repos


async def act(event: Event, ctx: Ctx) -> list[Effect] | None:
    """The effects for the person who acted, or None when no flow of the core takes the event."""
    return await run(lambda: routes.handle(event, ctx), ctx.repos)


async def run(action: Callable[[], Awaitable[list[Effect] | None]], repos: Repos) -> list[Effect] | None:
    """`action` (a flow's handler called by the adapter itself) as one action: its transaction, its notices
    queued in it, its `Later` work after the commit. Returns the effects left for the person who acted."""
    async with repos.atomic():
        effects = await action()
        if effects is None:
            return None
        await queue(effects, repos)
    return await after_commit(effects)


async def after_commit(effects: list[Effect]) -> list[Effect]:
    """The effects for the person who acted, with each `Later` done in its place."""
    left: list[Effect] = []
    for effect in effects:
        if isinstance(effect, Later):
            done = await effect.work()
            if any(isinstance(e, Notify | NotifyCurators | Later) for e in done):
                raise TypeError("work done after the commit shows screens and files only: notices belong to the action")
            left.extend(done)
        elif not isinstance(effect, Notify | NotifyCurators):
            left.append(effect)
    return left


async def queue(effects: list[Effect], repos: Repos) -> None:
    """Write the notices among `effects` into the outbox (inside the caller's transaction, if any)."""
    for effect in effects:
        if isinstance(effect, Notify):
            await _enqueue(repos, effect.to, effect)
        elif isinstance(effect, NotifyCurators):
            for curator in curators(repos):
                await _enqueue(repos, curator, effect)


def curators(repos: Repos) -> list[Person]:
    """Every curator now, each on their own messenger."""
    return repos.settings.roster.people()


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
