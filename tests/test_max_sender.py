"""The outbox's MAX rows (`handlers.max.sender.MaxOutboxSender`) against the strict fake MAX over real HTTP: what
each of MAX's answers does to a queued notice, as the person sees it and as the outbox stores it; and a file
sent by upload riding out `attachment.not.ready`."""

from __future__ import annotations

from typing import Any

from bot.flows.events import Messenger
from bot.i18n import tr
from bot.sandbox.max import FakeMax, FakeMaxUser
from tests import test_max_adapter as adapter_tests
from tests.conftest import CURATOR_ID
from tests.fakes.clock import FakeClock
from tests.flows import pupil_answers
from tests.test_max_adapter import MaxBot, consented_pupil, max_curator, outbox_rows

# The MAX bot's fixtures.
fake, max_settings, bot = adapter_tests.fake, adapter_tests.max_settings, adapter_tests.bot


async def notice(bot: MaxBot, account_id: int, text: str) -> None:
    await bot.service("outbox").enqueue(account_id, text, messenger=Messenger.MAX)


async def tried(bot: MaxBot, count: int = 1) -> None:
    """Wait until the MAX rows of the outbox are no longer as they were queued: `count` of them tried."""

    async def changed() -> bool:
        rows = await outbox_rows(bot)
        return sum(1 for r in rows if r[2] != "pending" or r[4] is not None) >= count

    for _ in range(500):
        if await changed():
            return
        await adapter_tests.asyncio.sleep(0.01)
    raise AssertionError(f"the outbox did not try {count} message(s): {await outbox_rows(bot)}")


async def rows_become(bot: MaxBot, expected: list[tuple[Any, ...]]) -> None:
    """Wait until the outbox's rows are `expected` (a message is marked sent just after MAX took it)."""
    for _ in range(500):
        if await outbox_rows(bot) == expected:
            return
        await adapter_tests.asyncio.sleep(0.01)
    assert await outbox_rows(bot) == expected


async def due_again(bot: MaxBot, clock: FakeClock, seconds: float) -> None:
    """The clock past a postponed message's time, and the sender woken (it would look again by itself)."""
    clock.advance(seconds=seconds)
    assert bot.runtime is not None
    bot.runtime.sender.wake()


def texts(user: FakeMaxUser) -> list[str]:
    return [m.text or "" for m in user.replies()]


async def test_a_429_puts_the_notice_off_without_counting_an_attempt(
    bot: MaxBot, fake: FakeMax, clock: FakeClock
) -> None:
    user = fake.user(7300, "Маша")
    await user.start()
    await user.expect("", eventually=True)
    fake.flood(2, chat_id=user.chat_id)  # the client tries once more after a pause; the second 429 is the outbox's

    await notice(bot, 7300, "Встреча в среду")
    await tried(bot)

    assert await outbox_rows(bot) == [("max", 7300, "pending", 0, "429 retry after 1.0")]
    assert bot.pauses == [1.0]
    assert "Встреча в среду" not in texts(user)
    await due_again(bot, clock, 2)
    await fake.wait_for(lambda: "Встреча в среду" in texts(user))
    await rows_become(bot, [("max", 7300, "sent", 1, None)])


async def test_a_server_error_backs_off_and_the_notice_goes_later(bot: MaxBot, fake: FakeMax, clock: FakeClock) -> None:
    user = fake.user(7301, "Маша")
    await user.start()
    await user.expect("", eventually=True)
    fake.fail_server(1, chat_id=user.chat_id)

    await notice(bot, 7301, "Встреча в среду")
    await tried(bot)

    [(messenger, chat, status, attempts, error)] = await outbox_rows(bot)
    assert (messenger, chat, status, attempts) == ("max", 7301, "pending", 1) and "503" in error
    await due_again(bot, clock, 1)  # the backoff is 2 s after the first failure: not yet
    assert "Встреча в среду" not in texts(user)
    await due_again(bot, clock, 2)
    await fake.wait_for(lambda: "Встреча в среду" in texts(user))
    await rows_become(bot, [("max", 7301, "sent", 2, None)])


async def test_a_person_who_never_started_the_bot_gets_the_notice_when_they_do(bot: MaxBot, fake: FakeMax) -> None:
    fake.expect_error(404, "chat.not.found")
    await notice(bot, 7302, "Вас добавили в программу")
    await tried(bot)

    assert await outbox_rows(bot) == [("max", 7302, "pending", 0, "Chat 7302 is not found")]
    assert await bot.rows("SELECT messenger, chat_id FROM waiting_chats") == [("max", 7302)]
    requests = len(fake.calls("POST /messages"))
    await adapter_tests.asyncio.sleep(0.3)
    assert len(fake.calls("POST /messages")) == requests  # it waits: not tried again and again

    user = fake.user(7302, "Новый наставник")
    await user.start()
    await fake.wait_for(lambda: "Вас добавили в программу" in texts(user))
    await rows_become(bot, [("max", 7302, "sent", 1, None)])
    assert await bot.rows("SELECT * FROM waiting_chats") == []


async def test_a_person_who_stops_the_bot_is_reported_to_the_curators_once_and_again_when_back(
    bot: MaxBot, fake: FakeMax
) -> None:
    fake.expect_error(403, "chat.denied")
    await max_curator(bot, 7500)
    curator = fake.user(7500, "Куратор в MAX")
    await curator.start()
    await curator.expect("", eventually=True)
    await consented_pupil(bot, 7303, pupil_answers("Маша Иванова", ["robots"]))
    user = fake.user(7303, "Маша Иванова")
    await user.start()
    await user.expect("", eventually=True)
    blocked = tr("curator-user-blocked", who="").split(":")[0]  # «Бот заблокирован участником»
    back = tr("curator-user-unblocked", who="").split(":")[0]  # «Снова на связи в боте»

    await user.stop_bot()
    await fake.wait_for(lambda: any(blocked in t for t in texts(curator)))
    await notice(bot, 7303, "Встреча в среду")
    await notice(bot, 7303, "Встреча в пятницу")
    await tried(bot, 1 + 2)  # the MAX curator's notice and the two to the person (no Telegram sender here)

    assert [t for t in texts(curator) if blocked in t] == [texts(curator)[-1]]
    assert "Маша Иванова" in texts(curator)[-1]
    assert await bot.rows("SELECT messenger, chat_id FROM unreachable_chats") == [("max", 7303)]
    rows = await outbox_rows(bot)
    assert [(r[0], r[1], r[2]) for r in rows if r[1] == 7303] == [("max", 7303, "blocked")] * 2
    assert [(r[0], r[1]) for r in rows if blocked in str(r)] == []  # (texts are not in these columns)
    told = await bot.rows("SELECT messenger, chat_id, text FROM outbox WHERE text LIKE ?", f"%{blocked}%")
    assert sorted((m, c) for m, c, _ in told) == [("max", 7500), ("telegram", CURATOR_ID)]
    assert "Встреча" not in " ".join(texts(user))

    await user.start()
    await fake.wait_for(lambda: any(back in t for t in texts(curator)))
    await notice(bot, 7303, "Встреча в субботу")
    await fake.wait_for(lambda: "Встреча в субботу" in texts(user))
    assert await bot.rows("SELECT * FROM unreachable_chats") == []
    assert len([t for t in texts(curator) if blocked in t]) == 1


async def test_the_curators_export_goes_by_upload_through_attachment_not_ready(bot: MaxBot, fake: FakeMax) -> None:
    fake.expect_error(400, "attachment.not.ready")
    await max_curator(bot, 7501)
    curator = fake.user(7501, "Куратор в MAX")
    await curator.start()
    await curator.expect("", eventually=True)

    await curator.send("/export")
    await fake.wait_for(lambda: any(m.files for m in curator.replies()), timeout=10)

    [sent] = [m for m in curator.replies() if m.files]
    [file] = sent.files
    assert file["type"] == "file" and file["filename"].endswith(".xlsx")
    content = fake.upload_content(file["payload"]["token"])
    assert content is not None and content.startswith(b"PK")  # an XLSX is a zip
    assert bot.pauses == [0.5]  # tried again after the client's first pause, with no real wait
    assert fake.unexpected_errors() == []


async def test_a_refusal_of_the_outbox_alone_tells_the_curators_once(bot: MaxBot, fake: FakeMax) -> None:
    """The bot learns of the stop from MAX's 403 alone (the `bot_stopped` update came while it was down)."""
    fake.expect_error(403, "chat.denied")
    await max_curator(bot, 7502)
    curator = fake.user(7502, "Куратор в MAX")
    await curator.start()
    await curator.expect("", eventually=True)
    await consented_pupil(bot, 7304, pupil_answers("Петя Сидоров", ["robots"]))
    user = fake.user(7304, "Петя Сидоров")
    await user.start()
    await user.expect("", eventually=True)
    user.stopped = True  # stopped, and the update of it never came
    blocked = tr("curator-user-blocked", who="").split(":")[0]

    await notice(bot, 7304, "Встреча в среду")
    await notice(bot, 7304, "Встреча в пятницу")
    await fake.wait_for(lambda: any(blocked in t for t in texts(curator)))
    await tried(bot, 1 + 2)

    assert len([t for t in texts(curator) if blocked in t]) == 1 and "Петя Сидоров" in texts(curator)[-1]
    assert await bot.rows("SELECT messenger, chat_id FROM unreachable_chats") == [("max", 7304)]
    assert [r[2] for r in await outbox_rows(bot) if r[1] == 7304] == ["blocked", "blocked"]
