"""Which flow an event reaches: the table a messenger adapter with no router of its own (and the test front end)
calls through `handle`. The Telegram adapter routes with aiogram's filters to the same flows.

Only what the core holds so far is here; `handle` returns None for the rest (the adapter's own dialogs).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.flows import menu
from bot.flows.effects import Effect
from bot.flows.events import CommandIn, Event, Person, PressIn
from bot.flows.payloads import SEPARATOR, MenuPayload
from bot.flows.ports import Repos

Command = Callable[[Person, Repos], Awaitable[list[Effect]]]
Press = Callable[[Person, str, Repos], Awaitable[list[Effect]]]

#: Commands (without the slash) → their flows.
COMMANDS: dict[str, Command] = {"menu": menu.open_menu}
#: A pressed button's payload prefix → the flow that takes the press.
PRESSES: dict[str, Press] = {MenuPayload.prefix: menu.press}


async def handle(event: Event, repos: Repos) -> list[Effect] | None:
    """The effects of the event, or None when no flow of the core takes it yet."""
    if isinstance(event, CommandIn) and event.command in COMMANDS:
        return await COMMANDS[event.command](event.person, repos)
    if isinstance(event, PressIn):
        flow = PRESSES.get(event.payload.split(SEPARATOR, 1)[0])
        return await flow(event.person, event.payload, repos) if flow is not None else None
    return None
