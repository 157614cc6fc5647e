"""Day-one commands and bad input, through the real bot and the fake Bot API over HTTP."""

from __future__ import annotations

from bot.sandbox.telegram import FakeTelegram
from tests.conftest import CURATOR_ID, RunningBot


async def test_start_without_code_explains_and_stores_nothing(tg: FakeTelegram, running: RunningBot) -> None:
    pupil = tg.user(501, "Маша")
    await pupil.send("/start")
    reply = await pupil.expect("ссылка-приглашение")
    assert "бот ничего не хранит" in reply.text
    assert await running.db.fetchval("SELECT COUNT(*) FROM participants") == 0
    assert await running.db.fetchval("SELECT COUNT(*) FROM fsm_state") == 0


async def test_help_menu_cancel_for_a_stranger(tg: FakeTelegram, running: RunningBot) -> None:
    user = tg.user(502)
    await user.send("/help")
    assert "/menu" in (await user.expect("Что умеет бот")).text
    await user.send("/menu")
    await user.expect("пока не участник")
    await user.send("/cancel")
    await user.expect("нечего отменять")


async def test_curator_sees_curator_start_and_help(tg: FakeTelegram, running: RunningBot) -> None:
    curator = tg.user(CURATOR_ID, "Куратор")
    await curator.send("/start")
    await curator.expect("Вы куратор")
    await curator.send("/help")
    assert "/invite" in (await curator.expect("Команды куратора")).text


async def test_commands_registered_per_scope(tg: FakeTelegram, running: RunningBot) -> None:
    await tg.wait_for(lambda: "all_private_chats" in tg.commands)
    participant = {c["command"] for c in tg.commands["all_private_chats"]}
    assert {"menu", "help", "cancel", "forget"} <= participant
    assert "invite" not in participant
    await tg.wait_for(lambda: f"chat:{CURATOR_ID}" in tg.commands)
    curator = {c["command"] for c in tg.commands[f"chat:{CURATOR_ID}"]}
    assert {"menu", "invite", "participants"} <= curator


async def test_sticker_photo_long_text_and_forged_button(tg: FakeTelegram, running: RunningBot) -> None:
    user = tg.user(503)
    await user.send_sticker()
    await user.expect("понимаю только текст")
    await user.send_photo()
    await user.expect("понимаю только текст")
    await user.send("а" * 5000)
    await user.expect("Не понимаю это сообщение")
    await user.send("/start")
    message = await user.next_reply()
    await user.click_data("forged:data", message.message_id)
    await tg.wait_for(lambda: bool(user.callback_answers()))
    answer = user.callback_answers()[-1]
    assert "не действует" in answer.get("text", "")
