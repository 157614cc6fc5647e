"""Every notice arrives once and in time: chats that never opened the bot, one chat's backlog, quiet hours,
and the per-chat pace that the replies and the outbox share."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app import build_bot
from bot.clock import iso
from bot.flows.events import Messenger
from bot.flows.notices import campaign_answer_buttons
from bot.flows.screens import Button, Screen
from bot.i18n import tr
from bot.meetings.reminders import shift_out_of_quiet
from bot.pacing import ChatPacer
from bot.programme import INTAKE_BY_ROLE, Form, Role
from bot.sandbox.telegram import FakeTelegram
from bot.settings import Settings
from handlers.middlewares import RetryAfterMiddleware
from handlers.notify import notify
from handlers.outbox_sender import OutboxSender
from scheduler.delivery import Blocked, NotStarted, OutboxDrain, Outcome, RetryAfter, Sent, Unavailable
from scheduler.notices import queue
from storage.database import Database
from storage.outbox import Outbox, OutgoingMessage
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import make_invite, mentor_answers, pupil_answers, seed_participant


def sent_to(tg: FakeTelegram, chat_id: int) -> list[str]:
    """The Bot API methods that put something into `chat_id` (sends and edits), in order."""
    return [
        method
        for method, params in tg.requests
        if method.startswith(("send", "edit", "copy", "forward"))
        and method != "sendChatAction"
        and str(params.get("chat_id")) == str(chat_id)
    ]


def errors_429(tg: FakeTelegram) -> list[tuple[str, int, str]]:
    return [e for e in tg.errors if e[1] == 429]


@pytest.fixture
async def direct(
    tg: FakeTelegram, settings: Settings, clock: FakeClock, tmp_path: Path
) -> AsyncIterator[tuple[Database, Outbox, Bot]]:
    """The outbox and a bot against the fake, without the app: the tests drive the sender themselves."""
    db = await Database.open(tmp_path / "outbox.sqlite3")
    bot = build_bot(settings, retry=RetryAfterMiddleware(attempts=1))
    try:
        yield db, Outbox(db, clock), bot
    finally:
        await bot.session.close()
        await db.close()


# --- someone who has never opened the bot ---------------------------------------------------------------------


async def test_a_notice_to_someone_who_never_opened_the_bot_waits_for_their_first_message(
    tg: FakeTelegram, running: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    newcomer_id = 4242  # a curator named in CURATOR_IDS who has not pressed «Start» yet: Telegram knows no chat
    tg.expect_error(400, "chat not found")  # Telegram's answer that makes the notice wait, once
    outbox: Outbox = running.service("outbox")
    with caplog.at_level(logging.INFO):
        await outbox.enqueue(newcomer_id, "Дорожная карта: срок пункта 1.1 — завтра")
        await tg.wait_for(lambda: newcomer_id in outbox.waiting_chats)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("has not started the bot" in r.getMessage() for r in caplog.records)
    row = await running.db.fetchone("SELECT status, attempts FROM outbox WHERE chat_id=?", (newcomer_id,))
    assert row is not None and (row["status"], row["attempts"]) == ("pending", 0)

    # A restart keeps it waiting (the table is the truth; the set is read at start-up).
    await running.restart()
    outbox = running.service("outbox")
    assert outbox.waiting_chats == {newcomer_id}
    await outbox.enqueue(newcomer_id, "Ещё одно уведомление")
    assert await running.db.fetchval("SELECT COUNT(*) FROM outbox WHERE status='pending'") == 2

    newcomer = tg.user(newcomer_id, "Новый куратор")
    await newcomer.send("/start")
    # Her greeting and the notices released by her first message: each chat's notices keep their order,
    # but nothing orders a reply against them.
    await newcomer.expect_all("Добрый день!", "Дорожная карта: срок пункта 1.1", "Ещё одно уведомление")
    order = [m.text or "" for m in newcomer.replies()]
    first = next(i for i, t in enumerate(order) if "Дорожная карта: срок пункта 1.1" in t)
    assert "Ещё одно уведомление" in order[first + 1] or "Добрый день!" in order[first + 1]
    assert await running.db.fetchval("SELECT COUNT(*) FROM waiting_chats") == 0
    assert outbox.waiting_chats == set()
    statuses = await running.db.fetchall("SELECT status FROM outbox WHERE chat_id=?", (newcomer_id,))
    assert [r["status"] for r in statuses] == ["sent", "sent"]


async def test_a_user_telegram_knows_but_who_never_pressed_start_is_waited_for_too(
    tg: FakeTelegram, clock: FakeClock, direct: tuple[Database, Outbox, Bot], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, outbox, bot = direct
    tg.user(4343)
    blocked: list[int] = []

    async def on_blocked(chat_id: int) -> None:
        blocked.append(chat_id)

    async def refuse(self: OutboxSender, message: OutgoingMessage, markup: object) -> None:
        raise TelegramForbiddenError(
            method=SendMessage(chat_id=message.chat_id, text=message.text),
            message="Forbidden: bot can't initiate conversation with a user",
        )

    sender = OutboxSender(bot, outbox, clock, rate=1000, chat_rate=1000, on_blocked=on_blocked)
    monkeypatch.setattr(OutboxSender, "_deliver", refuse)
    await outbox.enqueue(4343, "Ваш наставник — …")
    await sender.drain_once()
    assert outbox.waiting_chats == {4343} and blocked == []
    assert await outbox.counts() == {"pending": 1}
    assert await db.fetchval("SELECT COUNT(*) FROM unreachable_chats") == 0


# --- notices as data ------------------------------------------------------------------------------------------


async def test_a_notice_is_stored_as_neutral_rows_and_telegram_gets_the_same_keyboard(
    tg: FakeTelegram, clock: FakeClock, direct: tuple[Database, Outbox, Bot]
) -> None:
    """A handler's inline keyboard and a scheduler's screen both go into the outbox with no Telegram in them."""
    db, outbox, bot = direct
    user = tg.user(4545)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text="Да", callback_data="ci:held:12:")],
            [
                InlineKeyboardButton(text="Сайт", url="https://example.org/"),
                InlineKeyboardButton(text="Нет", callback_data="x"),
            ],
        ]
    )
    await notify(outbox, 4545, "Встреча состоялась?", markup)
    await queue(outbox, 4545, Screen("Опрос", campaign_answer_buttons(5)))
    stored = [json.loads(r["reply_markup"]) for r in await db.fetchall("SELECT reply_markup FROM outbox ORDER BY id")]
    assert stored == [
        {
            "rows": [
                [{"label": "Да", "payload": "ci:held:12:"}],
                [{"label": "Сайт", "url": "https://example.org/"}, {"label": "Нет", "payload": "x"}],
            ]
        },
        {"rows": [[{"label": "Ответить", "payload": "cp:5"}]]},
    ]
    with pytest.raises(ValueError):  # Telegram's own markup is no longer written
        telegram_markup = {"inline_keyboard": [[{"text": "Да", "callback_data": "x"}]]}
        await outbox.enqueue(4545, "Старый вид", reply_markup=telegram_markup)
    sender = OutboxSender(bot, outbox, clock, rate=1000, chat_rate=1000)
    while await sender.drain_once():
        pass
    first, second = await user.expect("Встреча состоялась?"), await user.expect("Опрос")
    assert [[(b.text, b.callback_data, b.url) for b in row] for row in first.buttons] == [
        [("Да", "ci:held:12:", None)],
        [("Сайт", None, "https://example.org/"), ("Нет", "x", None)],
    ]
    assert [[(b.text, b.callback_data) for b in row] for row in second.buttons] == [[("Ответить", "cp:5")]]


async def test_a_queue_made_before_the_upgrade_still_sends(
    tg: FakeTelegram, clock: FakeClock, direct: tuple[Database, Outbox, Bot]
) -> None:
    """Rows queued by the previous version hold Telegram's own markup: they are read as the same buttons."""
    db, outbox, bot = direct
    user = tg.user(4646)
    old = {
        "inline_keyboard": [
            [{"text": "Открыть пункт", "callback_data": "rm:card:2026:0:6.1.1::0"}],
            [{"text": "Положение", "url": "https://example.org/p.pdf"}],
        ]
    }
    await db.execute(
        "INSERT INTO outbox(chat_id, text, reply_markup, kind, created_at, not_before) VALUES (?,?,?,?,?,?)",
        (4646, "Срок пункта 6.1.1 — завтра", json.dumps(old, ensure_ascii=False), "roadmap", iso(clock.now()),
         iso(clock.now())),
    )
    (message,) = await outbox.due()
    assert message.screen == Screen(
        "Срок пункта 6.1.1 — завтра",
        (
            (Button("Открыть пункт", payload="rm:card:2026:0:6.1.1::0"),),
            (Button("Положение", url="https://example.org/p.pdf"),),
        ),
    )
    sender = OutboxSender(bot, outbox, clock, rate=1000, chat_rate=1000)
    while await sender.drain_once():
        pass
    sent = await user.expect("Срок пункта 6.1.1")
    assert [[(b.text, b.callback_data, b.url) for b in row] for row in sent.buttons] == [
        [("Открыть пункт", "rm:card:2026:0:6.1.1::0", None)],
        [("Положение", None, "https://example.org/p.pdf")],
    ]
    assert await outbox.counts() == {"sent": 1}


@pytest.mark.allow_errors(log="its buttons are unreadable")
async def test_a_message_whose_buttons_cannot_be_read_fails_alone(
    tg: FakeTelegram, clock: FakeClock, direct: tuple[Database, Outbox, Bot], caplog: pytest.LogCaptureFixture
) -> None:
    db, outbox, bot = direct
    user = tg.user(4747)
    broken = {"rows": [[{"label": "Без действия"}]]}
    await db.execute(
        "INSERT INTO outbox(chat_id, text, reply_markup, kind, created_at, not_before) VALUES (?,?,?,?,?,?)",
        (4747, "Сломанная", json.dumps(broken, ensure_ascii=False), "notice", iso(clock.now()), iso(clock.now())),
    )
    await outbox.enqueue(4747, "Следующая")
    sender = OutboxSender(bot, outbox, clock, rate=1000, chat_rate=1000)
    with caplog.at_level(logging.ERROR):
        while await sender.drain_once():
            pass
    await user.expect("Следующая")
    assert await outbox.counts() == {"failed": 1, "sent": 1}
    assert any("unreadable" in r.getMessage() for r in caplog.records)


async def test_the_drain_loop_needs_no_messenger(clock: FakeClock, tmp_path: Path) -> None:
    """The loop and the outcomes are the scheduler's; an adapter only delivers (here a script, no messenger)."""
    db = await Database.open(tmp_path / "outbox.sqlite3")
    outbox = Outbox(db, clock)
    outcomes: dict[int, Outcome] = {
        1: Sent(),
        2: Blocked("gone"),
        3: NotStarted("never opened the bot"),
        4: RetryAfter(30),
        5: Unavailable("server down"),
    }
    seen: list[Screen] = []

    class Scripted(OutboxDrain):
        async def deliver(self, message: OutgoingMessage) -> Outcome:
            seen.append(message.screen)
            return outcomes[message.chat_id]

    try:
        notice = Screen("Опрос", campaign_answer_buttons(5))
        for chat in outcomes:
            await queue(outbox, chat, notice)
        drain = Scripted(outbox, clock, rate=1000, chat_rate=1000)
        while await drain.drain_once():
            pass
        assert seen == [notice] * 5
        rows = {r["chat_id"]: (r["status"], r["attempts"]) for r in await db.fetchall("SELECT * FROM outbox")}
        assert rows == {1: ("sent", 1), 2: ("blocked", 1), 3: ("pending", 0), 4: ("pending", 0), 5: ("pending", 1)}
        assert outbox.waiting_chats == {3} and await outbox.is_unreachable(2) and drain.sent == 1
    finally:
        await db.close()


async def test_each_messengers_drain_sends_only_its_own_chats(clock: FakeClock, tmp_path: Path) -> None:
    """The same chat id on two messengers is two chats; Telegram's drain leaves the MAX row for MAX's."""
    db = await Database.open(tmp_path / "outbox.sqlite3")
    outbox = Outbox(db, clock)
    delivered: dict[Messenger, list[tuple[Messenger, int]]] = {Messenger.TELEGRAM: [], Messenger.MAX: []}

    class Scripted(OutboxDrain):
        async def deliver(self, message: OutgoingMessage) -> Outcome:
            delivered[self._messenger].append((message.messenger, message.chat_id))
            return Sent()

    try:
        await outbox.enqueue(7, "Телеграм")
        await outbox.enqueue(7, "MAX", messenger=Messenger.MAX)
        telegram = Scripted(outbox, clock, rate=1000, chat_rate=1000)
        while await telegram.drain_once():
            pass
        assert delivered[Messenger.TELEGRAM] == [(Messenger.TELEGRAM, 7)]
        rows = {(r["messenger"], r["status"]) for r in await db.fetchall("SELECT * FROM outbox")}
        assert rows == {("telegram", "sent"), ("max", "pending")}
        max_drain = Scripted(outbox, clock, rate=1000, chat_rate=1000, messenger=Messenger.MAX)
        while await max_drain.drain_once():
            pass
        assert delivered[Messenger.MAX] == [(Messenger.MAX, 7)]
    finally:
        await db.close()


# --- fairness ---------------------------------------------------------------------------------------------------


async def test_one_chats_backlog_does_not_hold_up_the_others(
    tg: FakeTelegram, clock: FakeClock, direct: tuple[Database, Outbox, Bot]
) -> None:
    _, outbox, bot = direct
    busy, others = 700, list(range(701, 711))
    for chat in (busy, *others):
        tg.user(chat)
    for i in range(250):
        await outbox.enqueue(busy, f"Рассылка {i}")
    for chat in others:
        await outbox.enqueue(chat, f"Напоминание {chat}")
    # The real per-chat pace (1/s): the busy chat gets one message per round, every other chat its own one.
    sender = OutboxSender(bot, outbox, clock, rate=1000, chat_rate=1)
    assert await sender.drain_once()
    for chat in others:
        assert [m.text for m in tg.messages(chat)] == [f"Напоминание {chat}"]
    assert [m.text for m in tg.messages(busy)] == ["Рассылка 0"]
    # The next round finds the busy chat in its pause and sends nothing early.
    assert [m.chat_id for m in await outbox.due()] == [busy]
    assert await outbox.counts() == {"sent": 11, "pending": 249}
    assert not errors_429(tg)


async def test_due_takes_each_chats_first_message_in_the_order_of_those_messages(
    clock: FakeClock, direct: tuple[Database, Outbox, Bot]
) -> None:
    _, outbox, _ = direct
    await outbox.enqueue(1, "a1")
    await outbox.enqueue(1, "a2")
    await outbox.enqueue(2, "b1")
    await outbox.enqueue(3, "c1", not_before=clock.now().replace(year=2027))  # not due yet
    await outbox.enqueue(1, "a3")
    await outbox.enqueue(3, "c2")
    assert [m.text for m in await outbox.due()] == ["a1", "b1", "c2"]


# --- quiet hours at send time -----------------------------------------------------------------------------------


async def test_quiet_hours_are_checked_when_a_message_is_picked(
    tg: FakeTelegram, settings: Settings, clock: FakeClock, direct: tuple[Database, Outbox, Bot]
) -> None:
    db, outbox, bot = direct
    schedule, tz = settings.schedule, settings.institution.tz
    outbox.quiet_shift = lambda moment: shift_out_of_quiet(moment, schedule.quiet_hours, tz)
    user = tg.user(720)
    tg.user(721)
    sender = OutboxSender(bot, outbox, clock, rate=1000, chat_rate=1000)

    # Queued in the evening (a long broadcast, or a retry after a 5xx), still due when the night begins.
    clock.set(datetime(2026, 9, 7, 20, 59, 58, tzinfo=tz))
    await outbox.enqueue(720, "Рассылка: завтра день открытых дверей")
    tg.fail_server(count=1, chat_id=721)
    await outbox.enqueue(721, "Напоминание о встрече")
    assert await sender.drain_once()
    assert await outbox.counts() == {"sent": 1, "pending": 1}
    await user.expect("день открытых дверей")

    await outbox.enqueue(720, "Второе сообщение рассылки")
    clock.set(datetime(2026, 9, 7, 21, 0, 5, tzinfo=tz))  # the 5xx backoff (2 s) is over, but it is night
    await sender.drain_once()
    rows = {r["chat_id"]: dict(r) for r in await db.fetchall("SELECT * FROM outbox WHERE status='pending'")}
    morning = datetime(2026, 9, 8, 8, 0, tzinfo=tz).astimezone(UTC).isoformat()
    assert {chat: (r["not_before"][:19], r["attempts"]) for chat, r in rows.items()} == {
        720: (morning[:19], 0),
        721: (morning[:19], 1),  # the failed attempt counted, the postponement did not
    }
    assert tg.messages(721) == [] and len(tg.messages(720)) == 1

    clock.set(datetime(2026, 9, 8, 8, 0, tzinfo=tz))
    while await sender.drain_once():
        pass
    assert await outbox.counts() == {"sent": 3}
    assert [m.text for m in tg.messages(721)] == ["Напоминание о встрече"]


# --- the per-chat pace ------------------------------------------------------------------------------------------


async def test_the_fake_allows_a_burst_of_three_then_one_per_second(tg: FakeTelegram, settings: Settings) -> None:
    limited = FakeTelegram(rate_limit_per_chat=1, chat_burst=3)
    await limited.start()
    limited.user(5)
    bot = build_bot(
        replace(settings, telegram=settings.telegram.model_copy(update={"bot_api_base_url": limited.base_url})),
        retry=RetryAfterMiddleware(attempts=1),
    )
    try:
        for n in range(3):
            await bot.send_message(5, f"{n}")
        with pytest.raises(Exception, match="retry after 1"):
            await bot.send_message(5, "4")
        limited.advance_clock(1.0)
        await bot.send_message(5, "after a second")
        with pytest.raises(Exception, match="retry after 1"):
            await bot.send_message(5, "too soon")
    finally:
        await bot.session.close()
        await limited.stop()


@pytest.fixture
async def paced(tg: FakeTelegram, settings: Settings, clock: FakeClock) -> AsyncIterator[RunningBot]:
    """The app at a slow per-chat pace (4/s, bursts of 3) against a fake with the same limit."""
    tg.rate_limit_per_chat, tg.chat_burst = 4.0, 3
    tg.user(CURATOR_ID, "Куратор")
    tg.user(OTHER_CURATOR_ID, "Второй куратор")
    schedule = settings.schedule.model_copy(update={"outbox_chat_rate": 4.0})
    runner = RunningBot(replace(settings, schedule=schedule), clock)
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


async def test_consent_is_three_messages_and_replies_share_the_pace_with_the_outbox(
    tg: FakeTelegram, paced: RunningBot
) -> None:
    code = await make_invite(paced, Role.MENTOR, Form.TEACHER_TEACHER)
    user = tg.user(730, "Анна")
    await user.send(f"/start {code}")
    await user.expect("в программе наставничества")
    await user.click("18 или больше", await user.expect("Сначала один вопрос"))
    await user.expect("Прежде чем я что-то о вас запомню")
    document = await user.expect("Согласие на обработку персональных данных")
    # Two notices for her are queued at the moment she presses «Даю согласие»: five messages to one chat at once.
    outbox: Outbox = paced.service("outbox")
    await outbox.enqueue(730, "Куратор: добро пожаловать в программу")
    await outbox.enqueue(730, "Куратор: первая встреча — в пятницу")
    await user.click("Даю согласие", document)
    thanks = await user.expect("согласие записано")
    intake = paced.service("questionnaires")[INTAKE_BY_ROLE[Role.MENTOR]]
    assert intake.title in (thanks.text or "")  # the thanks and the questionnaire's intro: one message
    await user.expect("Вопрос 1 из")
    await tg.wait_for(lambda: paced_notices_sent(tg, 730) == 2, timeout=10)
    # /start: welcome, age question; «18+»: the buttons dropped, the consent's intro, the document; «Даю согласие»:
    # the buttons dropped, the thanks with the intro, question 1. And the two notices: none of them a 429.
    assert len(sent_to(tg, 730)) == 2 + 3 + 3 + 2
    assert not errors_429(tg)


def paced_notices_sent(tg: FakeTelegram, chat_id: int) -> int:
    return sum(1 for m in tg.messages(chat_id) if (m.text or "").startswith("Куратор:"))


async def test_at_pairing_the_pair_notice_comes_before_the_self_assessment(
    tg: FakeTelegram, running: RunningBot
) -> None:
    tg.user(801)
    tg.user(901)
    await seed_participant(
        running, 801, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша", ["proj_robotics"])
    )
    await seed_participant(
        running, 901, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Анна Сергеевна", ["proj_robotics"], 1)
    )
    curator = tg.user(CURATOR_ID)
    await curator.send("/match")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click("Утвердить", await curator.expect("Черновик подбора"))
    await curator.expect("Утверждено")
    for chat, notice in ((801, "Ваш наставник"), (901, "Вам закреплены")):
        rows = await running.db.fetchall("SELECT text FROM outbox WHERE chat_id=? ORDER BY id", (chat,))
        assert notice in rows[0]["text"]
        assert chat == 901 or tr("growth-entry-title") in rows[1]["text"]
        first = await tg.user(chat).next_reply()
        assert notice in (first.text or "")
    # The list of pairs and the director's order follow the confirmation (at the curator's pace).
    await tg.wait_for(lambda: len([m for m in curator.replies() if m.document]) == 2)


async def test_the_pacer_lets_a_burst_through_then_one_per_interval_counted_from_each_answer() -> None:
    now = [100.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(round(seconds, 3))
        now[0] += seconds

    pacer = ChatPacer(1.0, burst=3, now=lambda: now[0], sleep=sleep)
    for _ in range(3):
        async with pacer.slot(7):
            now[0] += 0.1  # the request's round trip: the next one counts from its answer
    assert waits == [] and pacer.delay(7) == pytest.approx(0.8)  # 1 s after the first answer
    async with pacer.slot(7), pacer.slot(7):  # the sender's slot, then the session's: one request, no deadlock
        pass
    assert waits == [0.8] and pacer.delay(8) == 0
    async with pacer.slot(7):
        pass
    assert waits == [0.8, 1.0]


async def test_a_dedup_key_is_one_message_per_messenger(clock: FakeClock, tmp_path: Path) -> None:
    """A job's key names the chat by its numeric id (a curator's digest of the day): the same id on MAX is another
    curator, whose digest is not a duplicate of the Telegram one; a second run of the job on either queues none."""
    db = await Database.open(tmp_path / "outbox.sqlite3")
    outbox = Outbox(db, clock)
    try:
        assert await outbox.enqueue(7, "Сводка", dedup_key="digest:7:2026-09-07")
        assert await outbox.enqueue(7, "Сводка", dedup_key="digest:7:2026-09-07", messenger=Messenger.MAX)
        assert not await outbox.enqueue(7, "Сводка", dedup_key="digest:7:2026-09-07")
        assert not await outbox.enqueue(7, "Сводка", dedup_key="digest:7:2026-09-07", messenger=Messenger.MAX)
        await outbox.enqueue_many([(7, "b:1:7")], "Рассылка", messenger=Messenger.MAX)
        await outbox.enqueue_many([(7, "b:1:7")], "Рассылка", messenger=Messenger.MAX)
        await outbox.enqueue_many([(7, "b:1:7")], "Рассылка")
        rows = await db.fetchall("SELECT messenger, dedup_key FROM outbox ORDER BY id")
        assert [tuple(r) for r in rows] == [
            ("telegram", "digest:7:2026-09-07"),  # Telegram's keys as before the second messenger
            ("max", "max:digest:7:2026-09-07"),
            ("max", "max:b:1:7"),
            ("telegram", "b:1:7"),
        ]
    finally:
        await db.close()
