"""Which flow an event reaches: the table every front end with no router of its own (the test front end, MAX)
goes through (`bot.flows.act`). The Telegram adapter routes with aiogram's filters to the same handlers.

Each flow module declares its `ROUTES`: the commands it answers, the button payload prefixes it takes, and the
dialog (state group) whose texts and files it reads. Adding a flow is a line in `FLOWS`.

The order for an event: a command goes to its flow (a command mid-dialog too: /menu and /cancel always work);
one no flow claims goes to the flow of the person's current dialog, if any. A text or a file goes to the flow of
the current dialog, else to the fallback (`menu`'s: the word that the bot did not understand, and the menu).
A press goes by its payload's prefix, whatever the dialog; a flow may take one action of a prefix another flow
shares (`ask:reply`, the curator's, beside the participant's `ask`): the key «prefix:first field» goes first.
A payload its flow cannot unpack (an old button, a forged one) is answered «Эта кнопка уже не действует» here,
for every flow.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bot.flows.context import Ctx
from bot.flows.dialog import group_of
from bot.flows.effects import Effect, Toast
from bot.flows.events import CommandIn, Event, FileIn, PressIn, TextIn
from bot.flows.payloads import SEPARATOR, PayloadError
from bot.i18n import tr

Handler = Callable[[Ctx, Event], Awaitable[list[Effect]]]


@dataclass(frozen=True)
class FlowRoutes:
    commands: Mapping[str, Handler] = field(default_factory=dict)  # without the slash
    presses: Mapping[str, Handler] = field(default_factory=dict)  # a payload's prefix
    dialogs: Mapping[str, Handler] = field(default_factory=dict)  # a state group: its texts, files, commands
    fallback: Handler | None = None  # a text or file outside any dialog (one flow only)


@dataclass
class Table:
    commands: dict[str, Handler] = field(default_factory=dict)
    presses: dict[str, Handler] = field(default_factory=dict)
    dialogs: dict[str, Handler] = field(default_factory=dict)
    fallback: Handler | None = None

    def add(self, routes: FlowRoutes) -> None:
        for mine, theirs in (
            (self.commands, routes.commands),
            (self.presses, routes.presses),
            (self.dialogs, routes.dialogs),
        ):
            taken = set(mine) & set(theirs)
            if taken:
                raise RuntimeError(f"two flows take {sorted(taken)}")
            mine.update(theirs)
        if routes.fallback is not None:
            if self.fallback is not None:
                raise RuntimeError("two flows take the texts outside any dialog")
            self.fallback = routes.fallback


def _table() -> Table:
    # The flows import this module's types: the table is built on first use.
    from bot.flows import campaigns, common, forget, informing, joining, meetings, menu, preferences, renewal, survey
    from bot.flows.curator import campaigns as curator_campaigns
    from bot.flows.curator import curators, destruction, invites, participants
    from bot.flows.curator import grouping as curator_grouping
    from bot.flows.curator import informing as curator_informing
    from bot.flows.curator import matching as curator_matching
    from bot.flows.curator import pairs as curator_pairs
    from bot.flows.curator import reports as curator_reports
    from bot.flows.curator import roadmap as curator_roadmap

    table = Table()
    flows = (menu, joining, meetings, preferences, common, forget, informing, renewal, survey, campaigns)
    curator_flows = (
        invites, curators, participants, destruction, curator_reports, curator_pairs, curator_matching,
        curator_grouping, curator_roadmap, curator_campaigns, curator_informing,
    )  # fmt: skip
    for flow in (*flows, *curator_flows):
        table.add(flow.ROUTES)
    return table


_TABLE: Table | None = None


def table() -> Table:
    global _TABLE
    if _TABLE is None:
        _TABLE = _table()
    return _TABLE


async def handle(event: Event, ctx: Ctx) -> list[Effect] | None:
    """The effects of the event, or None when no flow of the core takes it yet."""
    t = table()
    handler: Handler | None = None
    if isinstance(event, PressIn):
        prefix, action = [*event.payload.split(SEPARATOR, 2), ""][:2]  # a flow may take one action of a prefix
        handler = t.presses.get(f"{prefix}{SEPARATOR}{action}") or t.presses.get(prefix)
    elif isinstance(event, CommandIn):
        handler = t.commands.get(event.command) or t.dialogs.get(group_of(await ctx.dialog.get_state()))
    elif isinstance(event, TextIn | FileIn):
        handler = t.dialogs.get(group_of(await ctx.dialog.get_state())) or t.fallback
    if handler is None:
        return None
    if not isinstance(event, PressIn):
        return await handler(ctx, event)
    try:
        return await handler(ctx, event)
    except PayloadError:
        # An old button whose payload no longer parses, or a forged one: one answer for every flow.
        return [Toast(tr("stale-button"))]
