"""The MAX adapter (`handlers/max`) against the strict fake MAX Bot API (`bot/sandbox/max.py`) over real HTTP:
what the platform is strict about, seen from the person's dialog and from the database.

Each test runs the app's services (`storage.repositories.build_services`) on a fake clock, a `MaxRuntime`
polling the fake, and people as `FakeMaxUser`s. The fake keeps MAX's limits on (30 requests a second, 2 messages
and 2 callback answers a second in one dialog), refuses an empty callback answer, a second answer to one press,
a text over 4,000 characters and a keyboard row over 7 buttons; `fake.unexpected_errors()` lists every refusal
the test did not ask for, and the errors guard fails a test on any of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.consent import ConsentKind, render
from bot.flows.effects import Show
from bot.flows.events import Messenger, Person, PressIn
from bot.flows.screens import Button, Screen
from bot.i18n import tr
from bot.programme import INTAKE_BY_ROLE, Form, Role
from bot.sandbox.max import FakeMax, FakeMaxUser, SentMessage
from bot.sandbox.telegram import DEFAULT_TOKEN
from bot.settings import Settings, load_settings
from handlers.max.client import keyboard
from handlers.max.polling import SECRET_HEADER, webhook_app
from handlers.max.runtime import MaxRuntime
from handlers.max.updates import Incoming
from storage.database import Database
from storage.repositories import build_services
from tests.conftest import CURATOR_ID, ErrorsGuard
from tests.fakes.clock import FakeClock

PUPIL_INTAKE = INTAKE_BY_ROLE[Role.MENTEE_PUPIL]
STALE = tr("stale-button")


# --------------------------------------------------------------------------------------------------------------
# The bot on MAX, against the fake
# --------------------------------------------------------------------------------------------------------------


class MaxBot:
    """The app's services on one SQLite file and a `MaxRuntime` polling the fake; `restart()` builds both anew
    on the same file, as a new process would."""

    def __init__(self, fake: FakeMax, settings: Settings, clock: FakeClock) -> None:
        self.fake = fake
        self.settings = settings
        self.clock = clock
        self.db: Database | None = None
        self.services: dict[str, Any] = {}
        self.runtime: MaxRuntime | None = None
        self.task: asyncio.Task[None] | None = None
        self.pauses: list[float] = []  # the client's pauses (a file not processed yet), taken at once

    async def _pause(self, seconds: float) -> None:
        self.pauses.append(seconds)

    async def start(self, *, poll: bool = True) -> MaxRuntime:
        self.db = await Database.open(self.settings.storage.database_path)
        self.services = build_services(self.settings, self.db, self.clock)
        await self.services["curators"].load()
        await self.services["outbox"].load_waiting()
        self.runtime = MaxRuntime(
            self.fake.token, self.fake.base_url, self.services, self.clock, poll_timeout=1, sleep=self._pause
        )
        await self.runtime.start()
        if poll:
            polls = len(self.fake.calls("GET /updates"))
            self.task = asyncio.create_task(self.runtime.run())
            # Polling with a marker (a first start gets one at once): nothing a person does from here is skipped.
            await self.fake.wait_for(lambda: len(self.fake.calls("GET /updates")) >= polls + 2)
        return self.runtime

    async def stop(self) -> None:
        if self.runtime is not None:
            self.runtime.stop()
            if self.task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait_for(self.task, 5)
            await self.runtime.close()
        if self.db is not None:
            await self.db.close()
        self.runtime, self.task, self.db = None, None, None

    async def restart(self) -> MaxRuntime:
        await self.stop()
        return await self.start()

    def service(self, name: str) -> Any:
        return self.services[name]

    async def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        assert self.db is not None
        return [tuple(r) for r in await self.db.fetchall(sql, params)]


@pytest.fixture
async def fake(errors_guard: ErrorsGuard) -> AsyncIterator[FakeMax]:
    server = FakeMax()
    errors_guard.watch(server)  # type: ignore[arg-type]  # FakeMax answers the guard's questions as FakeTelegram
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def max_settings(tmp_path: Path) -> Settings:
    return load_settings(
        env_file=None,
        telegram={"bot_token": DEFAULT_TOKEN, "curator_ids": str(CURATOR_ID)},
        storage={"database_path": tmp_path / "max.sqlite3"},
        institution={"organization_name": "МБУ ДО «Станция юных техников»"},
        logging={"log_level": "INFO"},
        schedule={"outbox_rate": 1000},
    )


@pytest.fixture
async def quiet_bot(fake: FakeMax, max_settings: Settings, clock: FakeClock) -> AsyncIterator[MaxBot]:
    """The bot on MAX with no polling: a test hands the adapter its updates itself."""
    running = MaxBot(fake, max_settings, clock)
    await running.start(poll=False)
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture
async def bot(fake: FakeMax, max_settings: Settings, clock: FakeClock) -> AsyncIterator[MaxBot]:
    running = MaxBot(fake, max_settings, clock)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


# --------------------------------------------------------------------------------------------------------------
# Seeds and reading
# --------------------------------------------------------------------------------------------------------------


async def consented_pupil(bot: MaxBot, account_id: int, answers: dict[str, object] | None = None) -> int:
    """A pupil on MAX whose parent consented; the intake done when `answers` are given."""
    invites, repo = bot.service("invites"), bot.service("participants")
    invite = await invites.create(Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, CURATOR_ID, days=None, max_uses=None)
    child = await repo.join(account_id, invite, Messenger.MAX)
    await repo.set_adult(child.id, False, None)
    await repo.record_consent(child.id, render("СЮТ", ConsentKind.PARENT), kind=ConsentKind.PARENT, given_by=account_id)
    if answers is not None:
        for question_id, value in answers.items():
            await repo.save_answer(child.id, PUPIL_INTAKE, question_id, value)
        await repo.mark_survey_done(child.id)
    return child.id


async def max_curator(bot: MaxBot, account_id: int, name: str = "Куратор в MAX") -> None:
    """A curator on MAX, added by the owner's link (as /curators does)."""
    curators = bot.service("curators")
    invite = await curators.create_invite(CURATOR_ID)
    await curators.accept(invite.code, account_id, name, Messenger.MAX)


async def answers_of(bot: MaxBot, participant_id: int) -> dict[str, object]:
    return await bot.service("participants").answers(participant_id, PUPIL_INTAKE)


async def answered(user: FakeMaxUser, count: int) -> list[dict[str, Any]]:
    """Wait until `count` of the user's presses were answered; the answers."""
    await user._fake.wait_for(lambda: len(user.callback_answers()) >= count)
    return user.callback_answers()


async def press(user: FakeMaxUser, label: str, message: SentMessage | None = None) -> dict[str, Any]:
    """Press a button and wait for the press's answer (every press is answered: MAX shows a spinner until then)."""
    before = len(user.callback_answers())
    await user.click(label, message)
    return (await answered(user, before + 1))[before]


def no_429(fake: FakeMax) -> list[tuple[str, int, str]]:
    return [e for e in fake.errors if e[1] == 429]


async def open_questionnaire(user: FakeMaxUser) -> SentMessage:
    """From the menu, the questionnaire's first question."""
    await user.send("/menu")
    await user.expect("", eventually=True)
    await press(user, "Заполнить анкету")
    return await user.expect("Вопрос 1 из 9", eventually=True)


# --------------------------------------------------------------------------------------------------------------
# Presses
# --------------------------------------------------------------------------------------------------------------


async def fsm_rows(bot: MaxBot, account_id: int) -> list[tuple[Any, ...]]:
    return await bot.rows("SELECT state, data FROM fsm_state WHERE messenger='max' AND user_id=?", account_id)


async def outbox_rows(bot: MaxBot) -> list[tuple[Any, ...]]:
    return await bot.rows("SELECT messenger, chat_id, status, attempts, error FROM outbox ORDER BY id")


async def to_question_5(bot: MaxBot, user: FakeMaxUser) -> SentMessage:
    """A pupil on MAX through the questionnaire's first four questions (typing and pressing), at question 5."""
    await open_questionnaire(user)
    await user.send("Маша Иванова")
    await user.expect("Вопрос 2 из 9")
    await user.send("12")
    q3 = await user.expect("Вопрос 3 из 9")
    await press(user, "Робототехника", q3)
    await user.expect("Вопрос 4 из 9", eventually=True)
    await press(user, "Первый год")
    return await user.expect("Вопрос 5 из 9", eventually=True)


async def test_every_press_is_answered_once_an_edit_in_the_answer_and_a_new_screen_with_a_notification(
    bot: MaxBot, fake: FakeMax
) -> None:
    child_id = await consented_pupil(bot, 7001)
    user = fake.user(7001, "Маша Иванова")
    await user.start()
    q5 = await to_question_5(bot, user)
    messages = len(user.replies())

    answer = await press(user, "Роботы", q5)  # a multiple choice ticks the option on the same message

    assert "notification" not in answer and "✅ Роботы" in json.dumps(answer["message"], ensure_ascii=False)
    shown = fake._messages[q5.mid]
    assert shown.edited and "✅ Роботы" in shown.button_texts() and shown.text.startswith("Вопрос 5 из 9")
    assert len(user.replies()) == messages  # edited in place: no second message
    await press(user, "Готово", shown)
    await user.expect("Вопрос 6 из 9", eventually=True)

    # Every press got exactly one answer, each with a notification or a message (the fake refuses an empty one
    # or a second one with 400, which the errors guard would report).
    presses = user.callback_answers()
    assert len(presses) == len(user._callback_ids) == 5
    assert all(a.get("notification") or a.get("message") for a in presses)
    assert fake.unexpected_errors() == []
    saved = await answers_of(bot, child_id)
    assert saved["name"] == "Маша Иванова" and saved["age"] == 12 and saved["club"] == "robotics"
    assert saved["interests"] == ["robots"]


async def test_a_press_that_only_says_something_is_a_notification(bot: MaxBot, fake: FakeMax) -> None:
    await consented_pupil(bot, 7002)
    user = fake.user(7002, "Маша Иванова")
    await user.start()
    menu = await user.expect("Моё меню")
    before = len(user.replies())
    answer = await press(user, "Заполнить анкету", menu)
    assert answer == {"notification": tr("max-press-taken")}  # the new screens come as messages of their own
    await user.expect("Вопрос 1 из 9", eventually=True)
    assert len(user.replies()) > before


async def test_a_press_read_again_after_a_restart_gets_no_second_answer_and_no_apology(
    bot: MaxBot, fake: FakeMax
) -> None:
    """The process died after answering a press but before its marker was kept: the press comes again. MAX
    refuses a second answer; the bot shows the screen as a new message instead of the error apology."""
    child_id = await consented_pupil(bot, 7009)
    user = fake.user(7009, "Маша Иванова")
    await user.start()
    q5 = await to_question_5(bot, user)
    await press(user, "Роботы", q5)
    callback = fake._callbacks[user._callback_ids[-1]]
    saved = await answers_of(bot, child_id)
    before = len(user.replies())
    fake.expect_error(400, "Callback identifier is invalid")

    again = fake._update_base("message_callback") | {
        "callback": {"callback_id": callback.callback_id, "payload": callback.payload, "user": user.to_json()},
        "message": fake._message_json(fake._messages[callback.mid]),
    }
    assert bot.runtime is not None
    await bot.runtime.adapter.handle(again)

    came = user.replies()[before:]
    assert [m.text.split("\n")[0] for m in came] == ["Вопрос 5 из 9"]  # the current screen, not an apology
    assert not any(tr("unexpected-error") in m.text for m in user.replies())
    assert len(callback.answers) == 1
    assert await answers_of(bot, child_id) == saved


def forged_press(fake: FakeMax, user: FakeMaxUser, payload: str, on: SentMessage) -> str:
    """A press with a payload the bot never put on a button (a modified client, or a button from long ago)."""
    return fake._queue_callback(user, fake._messages[on.mid], payload)


async def test_an_old_button_and_forged_payloads_get_the_stale_notification_and_store_nothing(
    bot: MaxBot, fake: FakeMax
) -> None:
    child_id = await consented_pupil(bot, 7003)
    user = fake.user(7003, "Маша Иванова")
    await user.start()
    await open_questionnaire(user)
    await user.send("Маша Иванова")
    await user.expect("Вопрос 2 из 9")
    await user.send("12")
    q3 = await user.expect("Вопрос 3 из 9")
    robotics = next(b.payload for row in q3.buttons for b in row if b.text == "Робототехника")
    assert robotics is not None
    await press(user, "Робототехника", q3)
    q4 = await user.expect("Вопрос 4 из 9", eventually=True)
    saved = await answers_of(bot, child_id)
    state = await fsm_rows(bot, 7003)
    outbox = await outbox_rows(bot)
    messages = len(user.replies())

    # The old question's button: the questionnaire says so and shows the current question on that message.
    forged_press(fake, user, robotics, q3)
    old = (await answered(user, len(user.callback_answers()) + 1))[-1]
    assert old["notification"] == "Это старая копия вопроса — вот текущий вопрос."
    assert fake._messages[q3.mid].text.startswith("Вопрос 4 из 9")

    payloads = ["garbage", "", "x" * 1000, "survey:1:2:3:4", '{"a": "list"}', "ppl:list:9999"]
    for payload in payloads:
        count = len(user.callback_answers())
        forged_press(fake, user, payload, q4)
        answers = await answered(user, count + 1)
        assert answers[count:] == [{"notification": STALE}], payload

    assert await answers_of(bot, child_id) == saved
    assert await fsm_rows(bot, 7003) == state
    assert await outbox_rows(bot) == outbox
    assert len(user.replies()) == messages  # nothing new in the dialog, no screen edited
    assert fake._messages[q4.mid].text.startswith("Вопрос 4 из 9")


def attachment_message(fake: FakeMax, user: FakeMaxUser, attachments: list[dict[str, Any]], text: str = "") -> None:
    """A message with attachments from the user (the fake's users type text only): the JSON of
    dev.max.ru/docs-api/objects/Update (`message_created`), as the fake builds it for a text."""
    mid = fake._new_mid()
    fake._user_mids.add(mid)
    message = {
        "sender": user.to_json(),
        "recipient": {"chat_id": user.chat_id, "chat_type": "dialog", "user_id": fake.bot_id},
        "timestamp": fake._ms(),
        "body": {"mid": mid, "seq": 1, "text": text, "attachments": attachments},
    }
    fake._queue_update({"update_type": "message_created", "timestamp": fake._ms(), "message": message})


STICKER = {"type": "sticker", "payload": {"code": "f00d", "url": "https://i.oneme.ru/s/1.webp"}, "width": 128}
PHOTO = {"type": "image", "payload": {"photo_id": 42, "token": "tok-photo", "url": "https://i.oneme.ru/p/1.jpg"}}
DOCUMENT = {"type": "file", "payload": {"token": "tok-file", "url": "https://fd.oneme.ru/f/1"}, "filename": "a.pdf"}


async def test_what_a_questionnaire_does_not_expect_gets_a_friendly_answer_and_loses_no_answer(
    bot: MaxBot, fake: FakeMax
) -> None:
    child_id = await consented_pupil(bot, 7004)
    user = fake.user(7004, "Коля Петров")
    await user.start()
    await open_questionnaire(user)

    await user.send("я" * 3999)  # MAX itself lets a person type at most 4,000 characters
    too_long = await user.expect("Слишком длинно")
    assert "3999" in too_long.text or "3 999" in too_long.text
    await user.expect("Вопрос 1 из 9")
    for attachment in (STICKER, PHOTO, DOCUMENT):
        attachment_message(fake, user, [attachment])
        await user.expect("стикеры, фото и файлы")
        await user.expect("Вопрос 1 из 9")
    await user.send("/unknown")
    await user.expect("команда сейчас не работает")
    assert await answers_of(bot, child_id) == {}

    await user.send("Коля Петров")
    await user.expect("Вопрос 2 из 9")
    await user.send("11")
    await user.expect("Вопрос 3 из 9")
    await user.send("какой-то кружок")  # a text where a button is expected
    await user.expect("выбрать вариант кнопкой")
    again = await user.expect("Вопрос 3 из 9")
    assert "Робототехника" in again.button_texts()
    assert await answers_of(bot, child_id) == {"name": "Коля Петров", "age": 11}
    await press(user, "Робототехника", again)
    await user.expect("Вопрос 4 из 9", eventually=True)

    await user.send("/cancel")
    cancelled = await user.expect("", eventually=True)
    assert cancelled.text and "Отменено" in cancelled.text
    assert await answers_of(bot, child_id) == {"name": "Коля Петров", "age": 11, "club": "robotics"}
    assert fake.unexpected_errors() == []


# --------------------------------------------------------------------------------------------------------------
# MAX's sizes: 4,000 characters, 7 buttons a row (3 with a link)
# --------------------------------------------------------------------------------------------------------------


def long_text(lines: int = 230) -> str:
    """A screen of ~9,000 characters in lines (a long list of participants, say)."""
    return "\n".join(f"{i:>3}. Иванова Мария Петровна — наставляемая, 7 «Б», робототехника" for i in range(lines))


def numbered(count: int, prefix: str = "b") -> tuple[Button, ...]:
    return tuple(Button(f"{i + 1}", f"{prefix}:{i}") for i in range(count))


async def test_a_long_screen_comes_as_several_messages_with_the_buttons_under_the_last(
    quiet_bot: MaxBot, fake: FakeMax
) -> None:
    user = fake.user(7005, "Куратор")
    await user.start()
    text = long_text()
    assert len(text) > 2 * 4000
    client = quiet_bot.runtime.client  # type: ignore[union-attr]

    await client.send(7005, text, (numbered(2),))

    sent = user.replies()
    assert len(sent) == -(-len(text) // 3900) and all(len(m.raw_text or "") <= 4000 for m in sent)
    assert "\n".join(m.text or "" for m in sent) == text  # cut at line ends, nothing lost
    assert [m.button_texts() for m in sent] == [[]] * (len(sent) - 1) + [["1", "2"]]


async def test_a_long_screen_shown_for_a_press_loses_nothing(quiet_bot: MaxBot, fake: FakeMax) -> None:
    """A press whose new screen is too long for one message: the pressed message shows its beginning, the rest
    follows, the buttons under the last piece; the press is answered once."""
    user = fake.user(7006, "Куратор")
    await user.start()
    runtime = quiet_bot.runtime
    assert runtime is not None
    await runtime.client.send(7006, "Список", (numbered(1),))
    pressed = user.last()
    callback_id = fake._queue_callback(user, fake._messages[pressed.mid], "b:0")
    text = long_text()
    event = PressIn(Person(Messenger.MAX, 7006), "b:0", pressed.mid)

    await runtime.adapter.render(Incoming(event, callback_id), [Show(Screen(text, (numbered(2),)))])

    assert len(user.callback_answers()) == 1
    shown = [m for m in user.replies() if m.mid == pressed.mid or m.seq > pressed.seq]
    assert all(len(m.raw_text or "") <= 4000 for m in shown)
    assert "\n".join(m.text or "" for m in shown) == text
    assert [m.button_texts() for m in shown][-1] == ["1", "2"]
    assert all(not m.buttons for m in shown[:-1])


@pytest.mark.parametrize(
    ("row", "widths"),
    [
        (numbered(8), [7, 1]),
        (numbered(15), [7, 7, 1]),
        ((Button("Сайт", url="https://example.org"), *numbered(4)), [3, 2]),
        (numbered(7), [7]),
    ],
)
async def test_a_wide_row_of_buttons_is_laid_out_as_max_allows(
    quiet_bot: MaxBot, fake: FakeMax, row: tuple[Button, ...], widths: list[int]
) -> None:
    user = fake.user(7007, "Куратор")
    await user.start()
    client = quiet_bot.runtime.client  # type: ignore[union-attr]

    await client.send(7007, "Выберите", (row,))  # the fake refuses a row over 7 (3 with a link) with 400

    shown = user.last()
    assert [len(r) for r in shown.buttons] == widths
    assert [b.text for r in shown.buttons for b in r] == [b.label for b in row]
    assert fake.unexpected_errors() == []


def test_more_rows_than_max_shows_are_refused_before_sending() -> None:
    with pytest.raises(ValueError, match="30"):
        keyboard([numbered(7)] * 5)  # 35 buttons in 5 rows fit
        keyboard([numbered(1, f"r{i}") for i in range(31)])
    assert len(keyboard([numbered(7)] * 30)[0].payload.buttons) == 30


# --------------------------------------------------------------------------------------------------------------
# MAX's pace: 2 messages and 2 answers a second in a dialog, 30 requests a second in all
# --------------------------------------------------------------------------------------------------------------


async def test_a_burst_of_replies_notices_and_presses_to_one_person_gets_no_429(bot: MaxBot, fake: FakeMax) -> None:
    await consented_pupil(bot, 7008)
    user = fake.user(7008, "Маша Иванова")
    await user.start()
    menu = await user.expect("Моё меню")
    outbox = bot.service("outbox")
    for i in range(4):
        await outbox.enqueue(7008, f"Напоминание {i}", messenger=Messenger.MAX)
    for _ in range(3):
        await user.send("/help")
    for _ in range(4):
        forged_press(fake, user, "garbage", menu)

    await fake.wait_for(lambda: len(user.replies()) >= 1 + 4 + 3, timeout=30)  # at 2 a second, on a loaded machine
    await answered(user, 4)

    texts = [m.text or "" for m in user.replies()]
    assert sorted(t for t in texts if t.startswith("Напоминание")) == [f"Напоминание {i}" for i in range(4)]
    assert len([t for t in texts if "/menu" in t and not t.startswith("Напоминание")]) >= 3
    assert user.notifications() == [STALE] * 4
    assert no_429(fake) == []
    assert [r[2] for r in await outbox_rows(bot)] == ["sent"] * 4


async def test_many_people_at_once_stay_within_30_requests_a_second(bot: MaxBot, fake: FakeMax) -> None:
    people = [fake.user(7100 + i, f"Гость {i}") for i in range(45)]
    outbox = bot.service("outbox")
    for person in people:
        await person.start()
        await outbox.enqueue(person.id, "Объявление для всех", messenger=Messenger.MAX)

    await fake.wait_for(lambda: all(len(p.replies()) >= 2 for p in people), timeout=20)

    assert no_429(fake) == [] and fake.skipped_updates == []
    assert all(any(m.text == "Объявление для всех" for m in p.replies()) for p in people)


# --------------------------------------------------------------------------------------------------------------
# The marker: nothing lost, nothing skipped
# --------------------------------------------------------------------------------------------------------------


async def test_a_bot_that_never_polled_gets_a_marker_at_once_and_skips_nobody(quiet_bot: MaxBot, fake: FakeMax) -> None:
    """Without a marker MAX gives only the newest update: the first poll does not wait (a long poll would keep
    going without a marker until the first update, and drop all but one of those that came together)."""
    runtime = quiet_bot.runtime
    assert runtime is not None
    task = asyncio.create_task(runtime.run())
    try:
        await fake.wait_for(lambda: len(fake.calls("GET /updates")) >= 2)
        first, second = (query for query, _ in fake.calls("GET /updates")[:2])
        assert "marker" not in first and first["timeout"] == "0"
        assert second["marker"]
        people = [fake.user(7200 + i, f"Гость {i}") for i in range(3)]
        for person in people:
            await person.start()
        await fake.wait_for(lambda: all(p.replies() for p in people))
        assert fake.skipped_updates == []
    finally:
        runtime.stop()
        await task


async def test_a_process_that_dies_mid_batch_resumes_from_the_stored_marker(bot: MaxBot, fake: FakeMax) -> None:
    child_id = await consented_pupil(bot, 7009)
    user = fake.user(7009, "Маша Иванова")
    await user.start()
    await open_questionnaire(user)
    runtime = bot.runtime
    assert runtime is not None and bot.task is not None
    began = asyncio.Event()

    async def dies(updates: list[dict[str, Any]]) -> None:  # the process is killed while handling the batch
        began.set()
        await asyncio.Event().wait()

    runtime.adapter.handle_batch = dies  # type: ignore[method-assign]
    await user.send("Маша Иванова")
    await user.send("12")
    await asyncio.wait_for(began.wait(), 5)
    bot.task.cancel()
    await bot.stop()
    assert await_nothing(user) and await answers_of_file(bot, child_id) == {}

    fake.advance_clock(1.0)  # a new process starts seconds later: MAX's per-second windows have passed
    await bot.start()  # a new process on the same database

    await user.expect("Вопрос 2 из 9", eventually=True)
    await user.expect("Вопрос 3 из 9")
    assert await answers_of(bot, child_id) == {"name": "Маша Иванова", "age": 12}
    assert fake.skipped_updates == []


def await_nothing(user: FakeMaxUser) -> bool:
    """Nothing new in the dialog."""
    return user.drain() == []


async def answers_of_file(bot: MaxBot, participant_id: int) -> dict[str, object]:
    """The answers in the database file, read while the bot is down."""
    db = await Database.open(bot.settings.storage.database_path)
    try:
        rows = await db.fetchall("SELECT question_id FROM answers WHERE participant_id=?", (participant_id,))
        return {r["question_id"]: True for r in rows}
    finally:
        await db.close()


# --------------------------------------------------------------------------------------------------------------
# The webhook
# --------------------------------------------------------------------------------------------------------------

SECRET = "s3cret_webhook-key"


def text_update(fake: FakeMax, user: FakeMaxUser, text: str) -> dict[str, Any]:
    """A `message_created` update as MAX POSTs it to a webhook (dev.max.ru/docs-api/objects/Update)."""
    mid = fake._new_mid()
    fake._user_mids.add(mid)
    return {
        "update_type": "message_created",
        "timestamp": fake._ms(),
        "message": {
            "sender": user.to_json(),
            "recipient": {"chat_id": user.chat_id, "chat_type": "dialog", "user_id": fake.bot_id},
            "timestamp": fake._ms(),
            "body": {"mid": mid, "seq": 1, "text": text, "attachments": None},
        },
        "user_locale": "ru",
    }


async def test_the_webhook_takes_only_updates_with_the_secret_and_answers_once_handled(
    quiet_bot: MaxBot, fake: FakeMax
) -> None:
    runtime = quiet_bot.runtime
    assert runtime is not None
    user = fake.user(7010, "Гость")
    user.started = True
    server = TestServer(webhook_app(runtime.adapter, SECRET), host="127.0.0.1")
    async with TestClient(server) as http:
        update = text_update(fake, user, "/help")
        for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET + "x"}, {SECRET_HEADER: ""}):
            refused = await http.post("/", json=update, headers=headers)
            assert refused.status == 401
        assert user.replies() == []

        not_json = await http.post("/", data=b"{not json", headers={SECRET_HEADER: SECRET})
        assert not_json.status == 400
        not_an_update = await http.post("/", json=[1, 2], headers={SECRET_HEADER: SECRET})
        assert not_an_update.status == 400
        assert user.replies() == []

        taken = await http.post("/", json=update, headers={SECRET_HEADER: SECRET})
        assert taken.status == 200 and await taken.json() == {"success": True}
        assert len(user.replies()) == 1 and "/menu" in (user.last().text or "")  # handled before the 200
    assert await quiet_bot.rows("SELECT * FROM update_markers") == []  # a webhook has no marker to keep


# --------------------------------------------------------------------------------------------------------------
# Group chats: the bot works in private only
# --------------------------------------------------------------------------------------------------------------


async def test_a_group_chat_gets_one_line_a_day_and_nothing_about_the_person_is_kept(
    bot: MaxBot, fake: FakeMax, clock: FakeClock
) -> None:
    # The fake models dialogs only: the group is a started dialog standing in for a chat the bot is a member of.
    group = fake.user(7900, "Группа 7 «Б»")
    group.started = True
    writer = fake.user(7011, "Петя Сидоров")

    def in_group(text: str) -> None:
        update = text_update(fake, writer, text)
        update["message"]["recipient"] = {"chat_id": group.chat_id, "chat_type": "chat"}
        fake._queue_update(update)

    for text in ("/start", "Привет, бот", "/menu"):
        in_group(text)
    await fake.wait_for(lambda: len(group.replies()) >= 1)
    in_group("Ещё раз")
    await fake.wait_for(lambda: not fake._updates)
    await asyncio.sleep(0.3)
    assert [m.text for m in group.replies()] == [tr("private-only-alert")]
    assert writer.replies() == []

    clock.advance(days=1)
    in_group("На следующий день")
    await fake.wait_for(lambda: len(group.replies()) >= 2)
    assert [m.text for m in group.replies()] == [tr("private-only-alert")] * 2

    for table in ("participants", "fsm_state", "outbox", "waiting_chats", "unreachable_chats"):
        assert await bot.rows(f"SELECT * FROM {table}") == [], table
    assert fake.unexpected_errors() == []


async def test_a_press_in_a_group_chat_gets_a_short_notification(bot: MaxBot, fake: FakeMax) -> None:
    group = fake.user(7901, "Группа")
    group.started = True
    writer = fake.user(7012, "Петя Сидоров")
    await bot.runtime.client.send(7901, "Старое сообщение бота", (numbered(1),))  # type: ignore[union-attr]
    target = fake._messages[group.last().mid]
    callback_id = fake._queue_callback(writer, target, "b:0")
    fake._updates[-1][1]["message"]["recipient"]["chat_type"] = "chat"  # the press came from a group chat

    await fake.wait_for(lambda: bool(fake._callbacks[callback_id].answers))

    assert fake._callbacks[callback_id].answers == [{"notification": tr("private-only-alert")}]
    assert len(group.replies()) == 1 and writer.replies() == []
    assert await bot.rows("SELECT * FROM fsm_state") == []


async def test_a_429_on_a_reply_or_an_answer_is_ridden_out_once(bot: MaxBot, fake: FakeMax) -> None:
    """MAX may answer 429 though the bot kept its pace (a bot restarted within the second, say): the reply and
    the press's answer are tried once more after a pause, not lost."""
    user = fake.user(7013, "Гость")
    await user.start()
    menu = await user.expect("", eventually=True)
    fake.flood(1, chat_id=user.chat_id)
    await user.send("/help")
    assert "/menu" in ((await user.expect("/menu")).text or "")
    fake.flood(1, chat_id=user.chat_id)
    forged_press(fake, user, "garbage", menu)
    assert (await answered(user, 1)) == [{"notification": STALE}]
    assert bot.pauses == [1.0, 1.0]
    assert [e[1] for e in fake.errors] == [429, 429]  # the injected ones, nothing else
