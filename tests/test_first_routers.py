"""`FirstRouters`: the first routers' events reach their handlers as aiogram's walk would deliver them (filters,
flags, inner middlewares, root filters, SkipHandler), without that walk; anything else walks as before; and a
dispatcher where the shortcut would not be faithful is refused at start-up."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import BaseMiddleware, Bot, Dispatcher, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.types import Update

from handlers.first_routers import FirstRouters

BOT = Bot(token="42:TEST")


def press(data: str) -> Update:
    return Update.model_validate(
        {
            "update_id": 1,
            "callback_query": {
                "id": "q",
                "from": {"id": 7, "is_bot": False, "first_name": "Аня"},
                "chat_instance": "c",
                "data": data,
                "message": {"message_id": 3, "date": 0, "chat": {"id": 7, "type": "private"}, "text": "?"},
            },
        }
    )


def text(value: str) -> Update:
    return Update.model_validate(
        {
            "update_id": 2,
            "message": {
                "message_id": 4,
                "date": 0,
                "chat": {"id": 7, "type": "private"},
                "from": {"id": 7, "is_bot": False, "first_name": "Аня"},
                "text": value,
            },
        }
    )


class Tag(BaseMiddleware):
    """An inner middleware that says it ran and reads the handler's flags, as the callback answer does."""

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen

    async def __call__(self, handler: Any, event: Any, data: dict[str, Any]) -> Any:
        self.seen.append(f"inner:{data['handler'].flags.get('mark')}")
        data["tagged"] = True
        return await handler(event, data)


class Walk(BaseMiddleware):
    """An outer middleware of a later router: it runs only when aiogram walks to that router."""

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen

    async def __call__(self, handler: Any, event: Any, data: dict[str, Any]) -> Any:
        self.seen.append("walked")
        return await handler(event, data)


def dispatcher(seen: list[str]) -> tuple[Dispatcher, list[Router]]:
    dp = Dispatcher(service="svc")
    dp.callback_query.middleware(Tag(seen))
    errors = Router(name="errors")
    errors.errors.register(lambda e: None)
    buttons = Router(name="buttons")
    typed = Router(name="typed")
    later = Router(name="later")
    later.callback_query.outer_middleware(Walk(seen))
    later.message.outer_middleware(Walk(seen))

    async def on_button(query: Any, service: str, tagged: bool, event_update: Update, event_router: Router) -> str:
        seen.append(f"button:{query.data}:{service}:{tagged}:{event_update.update_id}:{event_router.name}")
        return "button"

    async def on_skip(query: Any) -> None:
        seen.append("skipped")
        raise SkipHandler

    async def on_typed(message: Any) -> str:
        seen.append(f"typed:{message.text}")
        return "typed"

    async def on_later(event: Any) -> str:
        seen.append("later")
        return "later"

    buttons.callback_query.register(on_skip, F.data == "skip", flags={"mark": "skip"})
    buttons.callback_query.register(on_button, F.data.startswith("s:"), flags={"mark": "survey"})
    typed.message.filter(F.text != "not here")  # a root filter: checked on the way, as aiogram does
    typed.message.register(on_typed, F.text)
    later.callback_query.register(on_later)
    later.message.register(on_later)
    routers = [errors, buttons, typed, later]
    dp.include_routers(*routers)
    return dp, routers


@pytest.fixture
def lane() -> tuple[Dispatcher, list[str]]:
    seen: list[str] = []
    dp, routers = dispatcher(seen)
    FirstRouters.install(dp, routers[1:3], ("callback_query", "message"))
    return dp, seen


async def test_a_first_routers_press_gets_its_filters_flags_middlewares_and_context_without_the_walk(
    lane: tuple[Dispatcher, list[str]],
) -> None:
    dp, seen = lane
    assert await dp.feed_update(BOT, press("s:1")) == "button"
    assert seen == ["inner:survey", "button:s:1:svc:True:1:buttons"]


async def test_a_skipping_handler_passes_the_event_on(lane: tuple[Dispatcher, list[str]]) -> None:
    dp, seen = lane
    assert await dp.feed_update(BOT, press("skip")) == "later"
    assert seen == ["inner:skip", "skipped", "walked", "inner:None", "later"]  # offered once, as aiogram does


async def test_events_the_first_routers_do_not_take_walk_the_routers_as_before(
    lane: tuple[Dispatcher, list[str]],
) -> None:
    dp, seen = lane
    assert await dp.feed_update(BOT, press("menu:1")) == "later"
    assert seen == ["walked", "inner:None", "later"]
    seen.clear()
    assert await dp.feed_update(BOT, text("not here")) == "later"  # the typed router's root filter refused it
    assert seen == ["walked", "later"]
    seen.clear()
    assert await dp.feed_update(BOT, text("ответ")) == "typed"
    assert seen == ["typed:ответ"]


async def test_the_same_dispatcher_without_the_shortcut_answers_the_same() -> None:
    seen: list[str] = []
    dp, _ = dispatcher(seen)
    assert await dp.feed_update(BOT, press("s:1")) == "button"
    assert await dp.feed_update(BOT, text("ответ")) == "typed"
    assert seen == ["inner:survey", "button:s:1:svc:True:1:buttons", "typed:ответ"]


def test_a_dispatcher_where_the_shortcut_would_not_be_faithful_is_refused() -> None:
    seen: list[str] = []
    dp, routers = dispatcher(seen)
    with pytest.raises(RuntimeError, match="before the first routers"):
        FirstRouters.install(dp, routers[2:3], ("callback_query",))  # "buttons" takes presses before "typed"
    with pytest.raises(RuntimeError, match="outer middlewares"):
        FirstRouters.install(dp, routers[1:4], ("message",))  # "later" has an outer middleware
    dp.message.outer_middleware(Walk(seen))
    with pytest.raises(RuntimeError, match="dispatcher has outer middlewares"):
        FirstRouters.install(dp, routers[1:3], ("message",))


async def test_the_shortcut_adds_no_worker_thread_hop(monkeypatch: pytest.MonkeyPatch) -> None:
    """aiogram runs a plain-function filter in a worker thread: the root filter the shortcut adds is a coroutine."""
    dp = Dispatcher()
    buttons, later = Router(name="buttons"), Router(name="later")

    async def survey_only(query: Any) -> bool:
        return bool(query.data.startswith("s:"))

    async def on_button(query: Any) -> str:
        return "button"

    async def on_later(query: Any) -> str:
        return "later"

    buttons.callback_query.register(on_button, survey_only)
    later.callback_query.register(on_later)
    dp.include_routers(buttons, later)
    FirstRouters.install(dp, [buttons], ("callback_query",))
    threads: list[Any] = []

    async def to_thread(func: Any, *args: Any, **kwargs: Any) -> Any:
        threads.append(func)
        return func(*args, **kwargs)

    monkeypatch.setattr("asyncio.to_thread", to_thread)
    assert await dp.feed_update(BOT, press("s:1")) == "button"
    assert await dp.feed_update(BOT, press("menu")) == "later"  # the walk passes the router by, also threadless
    assert threads == []
