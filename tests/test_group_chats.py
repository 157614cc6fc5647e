"""The bot in groups and supergroups: it says once that it works in private messages, leaves, and shows nothing.

Every curator command and a participant's flow are sent from a group and from a supergroup through the fake
Bot API's group chats (commands carry ``@botname`` there, as Telegram clients send them); the tests assert on
what the fake recorded in that chat, on the outbox, the audit log and the FSM rows.
"""

from __future__ import annotations

import logging

import pytest
from aiogram.types import Update

import bot.commands
from bot.i18n import tr
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeGroup, FakeTelegram
from handlers.kb.joining import ConsentCb
from handlers.kb.menu import ForgetCb, MenuCb
from tests.conftest import CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import make_invite, pupil_answers, seed_participant

CURATOR_COMMANDS = [
    "/invite",
    "/invites",
    "/participants",
    "/consent_paper",
    "/groupmeeting",
    "/preferences",
    "/match",
    "/pairs",
    "/bases",
    "/campaign",
    "/surveys",
    "/summary",
    "/export",
    "/broadcast",
    "/materials",
    "/roadmap",
    "/destruction_act",
    "/curators",
    "/menu",
    "/help",
    "/start",
]
BOT_LINK = "https://t.me/nastavnik_test_bot"


def test_every_curator_command_is_covered() -> None:
    commands = {f"/{name}" for name in (*bot.commands.CURATOR_COMMANDS, *bot.commands.PARTICIPANT_COMMANDS)}
    assert commands - {"/cancel", "/forget", "/ask"} <= set(CURATOR_COMMANDS)


def assert_only_the_line(group: FakeGroup) -> None:
    """What every member of the group saw from the bot: the one line with a button to the private chat."""
    posted = [m.describe() for m in group.replies()]
    assert len(posted) == 1, f"the bot posted in {group.type} {group.title!r}:\n" + "\n".join(posted)
    line = group.replies()[0]
    assert line.text == tr("private-only")
    assert line.document is None and line.photo is None
    assert [[(b.text, b.url) for b in row] for row in line.buttons] == [[(tr("private-only-button"), BOT_LINK)]]


def left(tg: FakeTelegram, group: FakeGroup) -> int:
    return sum(1 for call in tg.calls("leaveChat") if int(call["chat_id"]) == group.id)


async def nothing_stored_for_groups(tg: FakeTelegram, running: RunningBot) -> None:
    """No dialog state and no queued message for a group; and the Bot API refused nothing the bot asked."""
    assert [e for e in tg.errors if e[0] != "getUpdates"] == []
    fsm = await running.db.fetchall("SELECT chat_id, state, data FROM fsm_state WHERE chat_id<0")
    assert [tuple(r) for r in fsm] == []
    assert await running.db.fetchval("SELECT COUNT(*) FROM outbox WHERE chat_id<0") == 0


@pytest.mark.parametrize("supergroup", [False, True], ids=["group", "supergroup"])
async def test_curator_commands_in_a_group_show_nothing(
    tg: FakeTelegram, running: RunningBot, supergroup: bool
) -> None:
    await seed_participant(running, 701, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша Иванова", []))
    curator = tg.user(CURATOR_ID)
    audit_before = await running.db.fetchval("SELECT COUNT(*) FROM audit_log")
    groups: list[FakeGroup] = []
    for command in CURATOR_COMMANDS:
        group = tg.group(f"Кураторы {command}", supergroup=supergroup)
        groups.append(group)
        await group.member(curator).send(command)

    for group in groups:
        await tg.wait_for(lambda group=group: len(group.replies()) > 0, timeout=10)
    posted = {
        command: [m.describe() for m in group.replies()]
        for command, group in zip(CURATOR_COMMANDS, groups, strict=True)
        if [(m.text, m.document, m.photo) for m in group.replies()] != [(tr('private-only'), None, None)]
    }
    assert posted == {}, "posted in the group:\n" + "\n".join(f"{c}: {m}" for c, m in posted.items())
    for group in groups:
        assert_only_the_line(group)
    await tg.wait_for(lambda: len(tg.calls("leaveChat")) == len(groups), timeout=10)
    assert all(not group.bot_is_member for group in groups)
    assert not any("Маша" in (m.text or "") for group in groups for m in group.replies())

    # The private chat works right after, and the group commands left nothing behind.
    await curator.send("/help")
    await curator.expect("Команды куратора")
    assert await running.db.fetchval("SELECT COUNT(*) FROM audit_log") == audit_before
    await nothing_stored_for_groups(tg, running)
    rows = await running.db.fetchall("SELECT chat_id FROM group_chats ORDER BY chat_id")
    assert sorted(r["chat_id"] for r in rows) == sorted(group.id for group in groups)


async def test_a_busy_group_gets_one_line(tg: FakeTelegram, running: RunningBot) -> None:
    """An administrator bot sees every message; thirty of them handled at once still make one line."""
    await seed_participant(running, 702, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша Иванова", []))
    curator = tg.user(CURATOR_ID)
    parent = tg.user(703, "Ольга")
    group = tg.group("Родители 5А", supergroup=True, bot_status="administrator")
    for command in CURATOR_COMMANDS:
        await group.member(curator).send(command)
    for n in range(12):
        await group.member(parent).send(f"Добрый вечер, вопрос №{n}")
    await tg.wait_for(lambda: len(tg.calls("leaveChat")) == 1, timeout=10)
    await curator.send("/help")  # a private round trip after the group's updates
    await curator.expect("Команды куратора")
    assert_only_the_line(group)
    assert left(tg, group) == 1
    await nothing_stored_for_groups(tg, running)


async def test_bot_added_to_a_group_says_it_once_a_day_and_leaves(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    teacher = tg.user(704, "Ирина")
    group = tg.group("Учительская", bot_status="left")
    await group.add_bot(teacher)  # my_chat_member and the service message «joined»
    await tg.wait_for(lambda: not group.bot_is_member, timeout=5)
    assert_only_the_line(group)
    assert left(tg, group) == 1

    await group.add_bot(teacher)  # added again the same day: it leaves without a second line
    await tg.wait_for(lambda: len(tg.calls("leaveChat")) == 2, timeout=5)
    assert len(group.replies()) == 1

    clock.advance(days=1, minutes=1)
    await group.add_bot(teacher, status="administrator")
    await tg.wait_for(lambda: len(tg.calls("leaveChat")) == 3, timeout=5)
    assert [m.text for m in group.replies()] == [tr("private-only"), tr("private-only")]
    await nothing_stored_for_groups(tg, running)
    assert await running.db.fetchval("SELECT COUNT(*) FROM participants WHERE account_id=704") == 0


@pytest.mark.parametrize("supergroup", [False, True], ids=["group", "supergroup"])
async def test_participant_flow_in_a_group_joins_nothing(
    tg: FakeTelegram, running: RunningBot, supergroup: bool
) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    masha = tg.user(710, "Маша")
    group = tg.group("5А", supergroup=supergroup, bot_status="administrator")
    member = group.member(masha)
    await member.send(f"/start {code}")
    await member.send("/menu")
    await member.send("/ask")
    await member.send("Когда первая встреча?")
    await member.send("/forget")
    await member.click_data(ConsentCb(agree=True).pack(), 1)  # a forged press on the bot's line
    await tg.wait_for(lambda: len(group.replies()) > 0, timeout=5)
    assert_only_the_line(group)
    await tg.wait_for(lambda: len(member.callback_answers()) == 1, timeout=5)
    assert member.callback_answers()[0]["text"] == tr("private-only-alert")
    await tg.wait_for(lambda: not group.bot_is_member, timeout=5)
    assert await running.db.fetchval("SELECT COUNT(*) FROM participants WHERE account_id=710") == 0
    assert await running.db.fetchval("SELECT uses FROM invites WHERE code=?", (code,)) == 0
    assert await running.db.fetchval("SELECT COUNT(*) FROM questions") == 0
    await nothing_stored_for_groups(tg, running)
    assert masha.replies() == []

    # The same girl opens the bot in private: it works from the start.
    await masha.send(f"/start {code}")
    await masha.expect("в программе наставничества")
    await masha.click("18 или больше", await masha.expect("Сначала один вопрос"))
    await masha.expect("Прежде чем я что-то о вас запомню")
    consent = await masha.expect("Согласие на обработку персональных данных")

    # She forwards the consent message to another group and presses «Даю согласие» there: nothing happens.
    other = tg.group("Друзья", supergroup=supergroup).member(masha)
    forwarded = await other.forward(consent)
    await other.click("Даю согласие", forwarded)
    await tg.wait_for(lambda: len(other.callback_answers()) == 1, timeout=5)
    assert other.callback_answers()[0]["text"] == tr("private-only-alert")
    assert other.group.replies() == []
    participant = await running.service("participants").by_telegram(710)
    assert participant is not None and not participant.has_consent

    await masha.click("Даю согласие", consent)
    await masha.expect("согласие записано")
    await masha.expect("Вопрос 1 из")

    # Mid-questionnaire, a questionnaire button pressed in a group (forged) and an answer typed there count for
    # nothing: the questionnaire's shortcut past the routers comes after the private-only check.
    third = tg.group("Кружок", supergroup=supergroup).member(masha)
    await third.click_data("sv:a:club:robotics", 1)
    await third.send("Маша Иванова")
    await tg.wait_for(lambda: len(third.callback_answers()) == 1, timeout=5)
    assert third.callback_answers()[0]["text"] == tr("private-only-alert")
    assert await running.db.fetchval("SELECT COUNT(*) FROM answers") == 0
    await masha.send("Маша Иванова")
    await masha.expect("Вопрос 2 из")
    await nothing_stored_for_groups(tg, running)


async def test_forget_in_a_group_does_not_withdraw(tg: FakeTelegram, running: RunningBot) -> None:
    """/forget and its confirmation pressed in a group (forged: the bot showed no button there) delete nothing."""
    await seed_participant(running, 711, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша Иванова", []))
    masha = tg.user(711, "Маша")
    group = tg.group("5А", supergroup=True)
    member = group.member(masha)
    await member.send("/forget")
    await tg.wait_for(lambda: len(group.replies()) > 0, timeout=5)
    assert_only_the_line(group)
    await member.click_data(ForgetCb(confirm=True).pack(), 1)
    await member.click_data(MenuCb(action="profile").pack(), 1)
    await tg.wait_for(lambda: len(member.callback_answers()) == 2, timeout=5)
    assert not group.bot_is_member and len(group.replies()) == 1
    assert await running.service("participants").by_telegram(711) is not None
    assert await running.db.fetchval("SELECT COUNT(*) FROM destruction_log") == 0
    await nothing_stored_for_groups(tg, running)

    await masha.send("/menu")
    assert "Анкета заполнена" in (await masha.expect("Моё меню")).text


async def test_outbox_refuses_group_chats(
    tg: FakeTelegram, running: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    outbox = running.service("outbox")
    group = tg.group("Учительская", supergroup=True)
    with caplog.at_level(logging.WARNING, logger="storage.outbox"):
        assert await outbox.enqueue(group.id, "Ваш наставник — <b>Иван Петров</b>", dedup_key="pair:1") is False
        assert await outbox.enqueue(-4000000001, "Маша Иванова", kind="question") is False
        await outbox.enqueue_many([(group.id, None), (CURATOR_ID, "c:1")], "Опрос для Маши Ивановой", kind="campaign")
    assert await running.db.fetchval("SELECT COUNT(*) FROM outbox WHERE chat_id<0") == 0
    assert await running.db.fetchval("SELECT COUNT(*) FROM outbox WHERE chat_id=?", (CURATOR_ID,)) == 1
    assert sum("not a private chat" in r.getMessage() for r in caplog.records) == 2
    assert sum("chats that are not private" in r.getMessage() for r in caplog.records) == 1
    assert not any("Иван" in r.getMessage() or "Маша" in r.getMessage() for r in caplog.records)


async def test_sender_refuses_group_chats(tg: FakeTelegram, running: RunningBot) -> None:
    """A row written past `enqueue` (as a broadcast writes its rows) is refused by the sender, not sent."""
    outbox = running.service("outbox")
    group = tg.group("Учительская", supergroup=True)
    now = "2026-01-01T00:00:00.000Z"
    await running.db.execute(
        "INSERT INTO outbox(chat_id, text, kind, created_at, not_before) VALUES (?,?,?,?,?)",
        (group.id, "Список участников: Маша Иванова", "broadcast", now, now),
    )
    await running.db.execute(
        "INSERT INTO outbox(chat_id, text, kind, created_at, not_before) VALUES (?,?,?,?,?)",
        (CURATOR_ID, "Проверка связи", "notice", now, now),
    )
    outbox.wake()
    curator = tg.user(CURATOR_ID)
    await curator.expect("Проверка связи")  # sent after the group's row, which comes first in the queue
    row = await running.db.fetchone("SELECT status, error FROM outbox WHERE chat_id=?", (group.id,))
    assert (row["status"], row["error"]) == ("failed", "not a private chat")
    assert group.replies() == []
    assert not any(int(call["chat_id"]) == group.id for call in tg.calls("sendMessage"))


async def test_edited_messages_and_channels_stop_at_the_guard(tg: FakeTelegram, running: RunningBot) -> None:
    """Update kinds beyond messages and buttons: an edited message in a group; the bot made a channel admin."""
    assert running.app is not None
    bot, dp = running.app.bot, running.app.dp
    group = tg.group("Кураторы", supergroup=True)
    edited = {
        "message_id": 7,
        "date": 1,
        "edit_date": 2,
        "chat": group.to_json(),
        "from": tg.user(CURATOR_ID).to_json(),
        "text": "/participants",
        "entities": [{"type": "bot_command", "offset": 0, "length": 13}],
    }
    await dp.feed_update(bot, Update.model_validate({"update_id": 1, "edited_message": edited}, context={"bot": bot}))
    assert_only_the_line(group)
    assert left(tg, group) == 1

    channel = tg.channel("Новости СЮТ")
    await channel.add_bot(tg.user(CURATOR_ID), status="administrator")
    await tg.wait_for(lambda: left(tg, channel) == 1, timeout=5)
    assert channel.replies() == []  # a line in a channel would go to every subscriber
    await nothing_stored_for_groups(tg, running)
