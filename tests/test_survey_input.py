"""Bad input in the middle of a questionnaire gets a friendly answer and loses nothing."""

from __future__ import annotations

import json

from bot.programme import Form, Role
from tests.conftest import RunningBot
from tests.fakes.telegram import FakeTelegram, FakeUser
from tests.flows import join_adult, make_invite


async def _pupil_at_question_1(tg: FakeTelegram, running: RunningBot, user_id: int = 511) -> FakeUser:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    pupil = tg.user(user_id, "Вася")
    await join_adult(pupil, code)
    return pupil


async def _answers(running: RunningBot) -> dict[str, object]:
    rows = await running.db.fetchall("SELECT question_id, value FROM answers")
    return {r["question_id"]: json.loads(r["value"]) for r in rows}


async def test_wrong_kinds_of_input_are_explained_and_the_question_repeats(
    tg: FakeTelegram, running: RunningBot
) -> None:
    pupil = await _pupil_at_question_1(tg, running)
    await pupil.send("😀😀")
    await pupil.expect("словами")
    await pupil.expect("Вопрос 1 из 9")
    await pupil.send("я" * 5000)
    too_long = await pupil.expect("Слишком длинно")
    assert "5000" in too_long.text or "5 000" in too_long.text
    await pupil.expect("Вопрос 1 из 9")
    await pupil.send_sticker()
    await pupil.expect("стикеры, фото и файлы")
    await pupil.expect("Вопрос 1 из 9")
    await pupil.send_photo()
    await pupil.expect("стикеры, фото и файлы")
    await pupil.expect("Вопрос 1 из 9")
    await pupil.send("/unknown")
    await pupil.expect("команда сейчас не работает")
    assert await _answers(running) == {}

    await pupil.send("Вася Пупкин")
    await pupil.expect("Вопрос 2 из 9")
    await pupil.send("сто")
    await pupil.expect("Нужно число")
    await pupil.expect("Вопрос 2 из 9")
    await pupil.send("99")
    await pupil.expect("от 7 до 25")
    await pupil.expect("Вопрос 2 из 9")
    await pupil.send("11")
    q3 = await pupil.expect("Вопрос 3 из 9")
    await pupil.send("какой-то кружок")  # free text where a button is expected
    await pupil.expect("выбрать вариант кнопкой")
    await pupil.expect("Вопрос 3 из 9")
    await pupil.send("1")  # the option's number is accepted, as a label would be
    await pupil.expect("Вопрос 4 из 9")
    assert (await _answers(running))["club"] == q3.buttons[0][0].callback_data.split(":")[-1]
    assert (await _answers(running))["age"] == 11


async def test_back_stale_and_forged_buttons_and_the_multi_choice_limit(
    tg: FakeTelegram, running: RunningBot
) -> None:
    pupil = await _pupil_at_question_1(tg, running, 512)
    await pupil.send("Вася Пупкин")
    await pupil.expect("Вопрос 2 из 9")
    await pupil.send("11")
    q3 = await pupil.expect("Вопрос 3 из 9")
    await pupil.click("Робототехника")
    await pupil.expect("Вопрос 4 из 9")
    await pupil.click("← Назад")
    back = await pupil.expect("Вопрос 3 из 9")
    assert "Сейчас: Робототехника" in back.text
    await pupil.click("Программирование")
    await pupil.expect("Вопрос 4 из 9")
    # A forged press and an old press for another question do nothing but say so.
    await pupil.click_data("sv:a:club:robotics", q3.message_id)
    await pupil.click_data("sv:a:format:zzz", q3.message_id)
    await pupil.click_data("sv:a:x", q3.message_id)
    await tg.wait_for(lambda: len([a for a in pupil.callback_answers() if "не действует" in a.get("text", "")]) >= 3)
    assert (await _answers(running))["club"] == "programming"

    await pupil.click("Первый год")
    await pupil.expect("Вопрос 5 из 9")
    await pupil.click("Готово")  # nothing chosen yet
    await tg.wait_for(lambda: any(a.get("show_alert") for a in pupil.callback_answers()))
    await pupil.click("Роботы")
    assert "✅ Роботы" in (await pupil.next_reply()).button_texts()
    await pupil.click("✅ Роботы")  # toggled off again
    untoggled = await pupil.next_reply()
    assert "✅ Роботы" not in untoggled.button_texts()
    await pupil.click("Космос")
    await pupil.click("Готово")
    await pupil.expect("Вопрос 6 из 9")
    for label in ("Трудности на занятиях", "Выбор профессии", "Уверенность в себе"):
        await pupil.click(label)
        assert f"✅ {label}" in (await pupil.next_reply()).button_texts()
    await pupil.click("Общение и дружба в команде")  # a fourth: over the limit of 3
    await tg.wait_for(lambda: "не больше" in (pupil.callback_answers()[-1].get("text") or ""))
    await pupil.click("Готово")
    await pupil.expect("Вопрос 7 из 9")
    assert len((await _answers(running))["request"]) == 3


async def test_commands_mid_survey_keep_the_place(tg: FakeTelegram, running: RunningBot) -> None:
    pupil = await _pupil_at_question_1(tg, running, 513)
    await pupil.send("Вася Пупкин")
    await pupil.expect("Вопрос 2 из 9")
    await pupil.send("/help")
    await pupil.expect("Что умеет бот")
    await pupil.send("12")  # still answering question 2 after /help
    await pupil.expect("Вопрос 3 из 9")
    await pupil.send("/cancel")
    await pupil.expect("Отменено")
    await pupil.send("Робототехника")  # no dialog now: not taken as an answer
    await pupil.expect("не понял")
    await pupil.send("/menu")
    await pupil.expect("Моё меню")
    await pupil.click("Продолжить анкету")
    await pupil.expect("Вопрос 3 из 9")
    await pupil.click("Робототехника")
    await pupil.expect("Вопрос 4 из 9")
    assert set(await _answers(running)) == {"name", "age", "club"}


async def test_summary_change_an_answer_and_menu_profile(tg: FakeTelegram, running: RunningBot) -> None:
    from tests.flows import answer_pupil_survey

    pupil = await _pupil_at_question_1(tg, running, 514)
    await answer_pupil_survey(pupil)
    await pupil.click("Изменить ответ")
    await pupil.expect("Какой ответ изменить")
    await pupil.click("2. Возраст")
    await pupil.expect("Сейчас: 12")
    await pupil.send("13")
    summary = await pupil.expect("проверьте ответы")
    assert "13" in summary.text
    await pupil.click("Всё верно")
    await pupil.expect("Анкета сохранена")
    ok_data = summary.buttons[0][0].callback_data
    assert ok_data
    await pupil.click_data(ok_data, summary.message_id)  # a double tap that arrives late: nothing breaks
    await tg.wait_for(lambda: "не действует" in (pupil.callback_answers()[-1].get("text") or ""))

    await pupil.send("/menu")
    menu = await pupil.expect("Моё меню")
    assert "Анкета заполнена" in menu.text
    await pupil.click("Мой профиль и ответы")
    profile = await pupil.expect("Мой профиль")
    assert "Маша Иванова" in profile.text and "дано вами" in profile.text
    await pupil.click("← Назад", profile)  # the profile replaced the menu; «Назад» brings it back
    menu = await pupil.expect("Моё меню")
    await pupil.click("Изменить ответ", menu)
    await pupil.expect("проверьте ответы")
    assert (await _answers(running))["age"] == 13


async def test_input_at_the_summary_points_to_its_buttons(tg: FakeTelegram, running: RunningBot) -> None:
    from tests.flows import answer_pupil_survey

    pupil = await _pupil_at_question_1(tg, running, 515)
    await answer_pupil_survey(pupil)
    await pupil.send("всё правильно")
    await pupil.expect("ответ кнопкой")
    await pupil.send("/unknown")
    await pupil.expect("ответ кнопкой")
    await pupil.send_sticker()
    await pupil.expect("стикеры, фото и файлы")
    await pupil.send("/menu")  # a command still reaches its own flow
    await pupil.expect("Моё меню")
    assert len(await _answers(running)) == 9
