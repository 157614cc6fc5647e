"""The first routers' updates handled without aiogram's walk through the routers.

The questionnaire's routers come first (`handlers.build_routers`), and their updates are most of the traffic: a
pupil's presses and typed answers. Through the dispatcher, each such update first passes aiogram's update
listener and its propagation, router level by router level, with the ~30 values of the context (the services
and aiogram's own) copied as keyword arguments at each level (bench/README.md, issue 17). `FirstRouters` is the
innermost outer middleware of the update: it offers the event to those routers' handlers itself, in their
order, with their own filters (`HandlerObject.check`) and the observers' inner middlewares (the callback answer
of a press) around the handler, exactly as aiogram's `TelegramEventObserver.trigger` does; an event none of them
takes goes on through the routers as before.

It is only faithful while nothing else would have run before those handlers, so `install` checks that: no
router before them handles the event, and neither the dispatcher nor those routers have outer middlewares for
it (root filters are checked on the way, as aiogram does). A change that breaks this fails at start-up, not
silently. An event they do not take (or whose handler raises `SkipHandler`) walks on through the routers, where
those routers let it pass: each gets a root filter that refuses an event already offered to it here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Dispatcher, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.dispatcher.middlewares.manager import MiddlewareManager
from aiogram.types import TelegramObject, Update

Wrapped = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


@dataclass(frozen=True)
class Routes:
    """One event type's way through one of the first routers: the observers whose root filters aiogram checks on
    the way (the dispatcher's, then the router's), and each handler with its inner middlewares around it."""

    router: Router
    dispatcher: TelegramEventObserver
    own: TelegramEventObserver
    handlers: tuple[tuple[HandlerObject, Wrapped], ...]


class FirstRouters(BaseMiddleware):
    def __init__(self, routes: dict[str, list[Routes]]) -> None:
        self._routes = routes

    @classmethod
    def install(cls, dp: Dispatcher, routers: Sequence[Router], event_types: Sequence[str]) -> FirstRouters:
        """Give `routers` (the dispatcher's first sub-routers handling `event_types`) their events directly."""
        routes: dict[str, list[Routes]] = {}
        for event_type in event_types:
            observer = dp.observers[event_type]
            if len(observer.outer_middleware):
                raise RuntimeError(f"the dispatcher has outer middlewares for {event_type}")
            if observer.handlers:
                raise RuntimeError(f"the dispatcher's own {event_type} handlers would come before the first routers")
            for earlier in dp.sub_routers:
                if earlier in routers:
                    break
                if earlier.observers[event_type].handlers:
                    raise RuntimeError(f"router {earlier.name!r} takes {event_type} before the first routers")
            chosen: list[Routes] = []
            for router in routers:
                own = router.observers[event_type]
                if router.parent_router is not dp:
                    raise RuntimeError(f"router {router.name!r} is not the dispatcher's own")
                if len(own.outer_middleware):
                    raise RuntimeError(f"router {router.name!r} has outer middlewares for {event_type}")
                own.filter(_not_offered_yet)
                middlewares = [*observer.middleware, *own.middleware]
                handlers = tuple((h, MiddlewareManager.wrap_middlewares(middlewares, h.call)) for h in own.handlers)
                if handlers:
                    chosen.append(Routes(router, observer, own, handlers))
            routes[event_type] = chosen
        lane = cls(routes)
        dp.update.outer_middleware(lane)
        return lane

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            routes = self._routes.get(event.event_type) if isinstance(event, Update) else None
        except LookupError:  # an update type this aiogram does not know: the dispatcher warns about it
            routes = None
        if routes:
            inner = event.event  # type: ignore[attr-defined]
            kwargs = {**data, "event_update": event}
            passed, found = await routes[0].dispatcher.check_root_filters(inner, **kwargs)
            if passed:
                kwargs.update(found)
                for route in routes:  # as Router._propagate_event and TelegramEventObserver.trigger do
                    here = {**kwargs, "event_router": route.router}
                    passed, found = await route.own.check_root_filters(inner, **here)
                    if not passed:
                        continue
                    here.update(found)
                    for candidate, wrapped in route.handlers:
                        here["handler"] = candidate
                        matched, found = await candidate.check(inner, **here)
                        if matched:
                            here.update(found)
                            try:
                                return await wrapped(inner, here)
                            except SkipHandler:
                                continue
            data[OFFERED] = True
        return await handler(event, data)


#: The context's key that tells the first routers, when the walk reaches them, that they have had the event.
OFFERED = "first_routers_offered"


async def _not_offered_yet(event: TelegramObject, first_routers_offered: bool = False) -> bool:
    """A coroutine: aiogram runs a plain function filter in a worker thread (`asyncio.to_thread`)."""
    return not first_routers_offered
