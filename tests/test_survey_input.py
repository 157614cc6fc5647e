"""Bad input in the middle of a questionnaire gets a friendly answer and loses nothing."""

from __future__ import annotations

import json
import re

from bot.consent import ConsentKind, Relation, render
from bot.i18n import tr
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram, FakeUser
from tests.conftest import CURATOR_ID, RunningBot
from tests.flows import answer_anything, join_adult, make_invite


async def _pupil_at_question_1(tg: FakeTelegram, running: RunningBot, user_id: int = 511) -> FakeUser:
    """A pupil who says they are 18 or older: the pupils' questionnaire still says «ты» on every screen."""
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
    tg.allow_error(400, "message is not modified")  # a stale press on the message that already shows the question
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
    # An old press for another question and forged presses change no answer: they show the current question.
    await pupil.click_data("sv:a:club:robotics", q3.message_id)
    await pupil.click_data("sv:a:format:zzz", q3.message_id)
    await pupil.click_data("sv:a:x", q3.message_id)
    stale = "Это старая копия вопроса — вот текущий вопрос."
    await tg.wait_for(lambda: _alerts(pupil).count(stale) == 2 and "не действует" in _alerts(pupil)[-1])
    assert (await _answers(running))["club"] == "programming"
    assert "Вопрос 4 из 9" in tg.messages(pupil.id)[-1].text

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
    await pupil.expect("Не понимаю это сообщение")
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
    summary = await pupil.expect("проверь ответы")
    assert "13" in summary.text
    await pupil.click("Всё верно")
    await pupil.expect("Анкета сохранена")
    ok_data = summary.buttons[0][0].callback_data
    assert ok_data
    await pupil.click_data(ok_data, summary.message_id)  # a double tap that arrives late: nothing breaks
    await tg.wait_for(lambda: "Эта анкета сейчас не открыта" in (pupil.callback_answers()[-1].get("text") or ""))

    await pupil.send("/menu")
    menu = await pupil.expect("Моё меню")
    assert "Анкета заполнена" in menu.text
    await pupil.click("Мой профиль и ответы")
    profile = await pupil.expect("Мой профиль")
    assert "Маша Иванова" in profile.text and "дано вами" in profile.text
    await pupil.click("← Назад", profile)  # the profile replaced the menu; «Назад» brings it back
    menu = await pupil.expect("Моё меню")
    await pupil.click("Изменить ответ", menu)
    await pupil.expect("проверь ответы")
    assert (await _answers(running))["age"] == 13


async def test_input_at_the_summary_points_to_its_buttons(tg: FakeTelegram, running: RunningBot) -> None:
    from tests.flows import answer_pupil_survey

    pupil = await _pupil_at_question_1(tg, running, 515)
    await answer_pupil_survey(pupil)
    await pupil.send("всё правильно")
    await pupil.expect("ответь кнопкой")
    await pupil.send("/unknown")
    await pupil.expect("ответь кнопкой")
    await pupil.send_sticker()
    await pupil.expect("стикеры, фото и файлы")
    await pupil.send("/menu")  # a command still reaches its own flow
    await pupil.expect("Моё меню")
    assert len(await _answers(running)) == 9


# --------------------------------------------------------------------------------- a pupil's questionnaire

# «Вы»-forms a pupil must not read: the pronoun and the plural imperative («Напишите», «Отметьте»).
YOU_PLURAL = re.compile(r"(?<!\w)(вы|вас|вам|вами|ваш\w*)(?!\w)|(?<!\w)\w{2,}(ите|йте|ьте)(?!\w)", re.IGNORECASE)


async def _minor_pupil(tg: FakeTelegram, running: RunningBot, user_id: int) -> tuple[FakeUser, int]:
    """A 12-year-old whose mother consented: opens /menu and starts the questionnaire; ends at question 1.
    Returns the pupil and the id of the menu message (every bot message after it belongs to the dialog)."""
    invite = await running.service("invites").create(
        Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, CURATOR_ID, days=None, max_uses=None
    )
    repo = running.service("participants")
    person = await repo.join(user_id, invite)
    await repo.set_adult(person.id, False, None)
    await repo.record_consent(
        person.id,
        render("СЮТ", ConsentKind.PARENT),
        kind=ConsentKind.PARENT,
        given_by=user_id + 1000,
        parent_name="Иванова Мария",
        parent_relation=Relation.MOTHER,
    )
    pupil = tg.user(user_id, "Маша")
    await pupil.send("/menu")
    menu = await pupil.next_reply()
    await pupil.click(tr("btn-start-survey"), menu)
    await pupil.expect("Анкета наставляемого")
    first = await pupil.expect("Вопрос 1 из 9")
    assert "Как тебя зовут?" in first.text
    return pupil, menu.message_id


def _alerts(user: FakeUser) -> list[str]:
    return [a.get("text") or "" for a in user.callback_answers()]


async def test_a_pupil_hears_ty_on_every_questionnaire_screen(tg: FakeTelegram, running: RunningBot) -> None:
    """Hints, refusals, the summary and the thanks say «ты» to a child; «15 лет» is 15; «Другое» asks which."""
    pupil, menu_id = await _minor_pupil(tg, running, 521)
    first = pupil.last()
    assert "Напиши ответ сообщением." in first.text and "Напишите" not in first.text
    await pupil.send("😀")
    assert (await pupil.expect("словами")).text == "Напиши, пожалуйста, словами — одни смайлики и знаки не подойдут."
    await pupil.expect("Вопрос 1 из 9")
    await pupil.send("Маша Иванова")
    age = await pupil.expect("Вопрос 2 из 9")
    assert age.text.count("числ") == 1, age.text  # «Напиши число сообщением.» once, not twice
    await pupil.send("сто")
    assert (await pupil.expect("Нужно")).text == "Нужно число от 7 до 25. Например: 16"
    await pupil.expect("Вопрос 2 из 9")
    await pupil.send("12 лет")
    await pupil.expect("Вопрос 3 из 9")
    await pupil.click("Другое")
    which = await pupil.next_reply()
    assert "Вопрос 3 из 9" in which.text and "Сейчас: Другое" in which.text
    assert "Какое именно? Напиши сообщением." in which.text
    await pupil.send("Оригами")
    await pupil.expect("Вопрос 4 из 9")
    await pupil.click("Первый год")
    interests = await pupil.expect("Вопрос 5 из 9")
    assert "потом нажми «Готово»" in interests.text
    await pupil.click("Готово")  # nothing ticked yet
    await tg.wait_for(lambda: "Отметь хотя бы 1 вариант." in _alerts(pupil))
    await pupil.click("Роботы")
    await pupil.next_reply()
    await pupil.click("Готово")
    await pupil.expect("Вопрос 6 из 9")
    await pupil.click("Выбор профессии")
    await pupil.next_reply()
    await pupil.click("Готово")
    await pupil.expect("Вопрос 7 из 9")
    await pupil.click("Один на один")
    await pupil.expect("Вопрос 8 из 9")
    await pupil.click("Среда")
    await pupil.next_reply()
    await pupil.click("Готово")
    await pupil.expect("Вопрос 9 из 9")
    await pupil.send("/unknown")
    assert "Ответь на вопрос или напиши /cancel" in (await pupil.expect("команда")).text
    await pupil.click("Пропустить")
    summary = await pupil.expect("проверь ответы")
    assert "Другое: Оригами" in summary.text and "\n12\n" in summary.text
    await pupil.send("всё так")
    await pupil.expect("ответь кнопкой")
    await pupil.click("Всё верно")
    done = await pupil.expect("Анкета сохранена")
    assert "подберёт тебе наставника" in done.text

    dialog = [m for m in tg.messages(pupil.id) if m.message_id > menu_id]
    spoken = [text for m in dialog for text in (m.text or "", *m.button_texts())] + _alerts(pupil)
    assert not [text for text in spoken if YOU_PLURAL.search(text)]
    answers = await _answers(running)
    assert answers["age"] == 12 and answers["club"] == "other" and answers["club.details"] == "Оригами"


async def test_a_stale_copy_of_a_question_leads_to_the_current_one(tg: FakeTelegram, running: RunningBot) -> None:
    """The ticks of question 5 survive /menu; an older copy's buttons show the current question in its place."""
    pupil, _ = await _minor_pupil(tg, running, 522)
    await pupil.send("Маша Иванова")
    await pupil.expect("Вопрос 2 из 9")
    await pupil.send("12")
    await pupil.expect("Вопрос 3 из 9")
    await pupil.click("Робототехника")
    await pupil.expect("Вопрос 4 из 9")
    await pupil.click("Первый год")
    old = await pupil.expect("Вопрос 5 из 9")
    await pupil.click("Роботы", old)
    await pupil.next_reply()
    await pupil.click("Космос", old)
    assert {"✅ Роботы", "✅ Космос"} <= set((await pupil.next_reply()).button_texts())

    await pupil.send("/menu")  # a detour: the selection in progress is kept
    menu = await pupil.next_reply()
    await pupil.click(tr("btn-continue-survey"), menu)
    again = await pupil.expect("Вопрос 5 из 9")
    assert {"✅ Роботы", "✅ Космос"} <= set(again.button_texts())
    await pupil.click("Спорт", again)
    assert {"✅ Роботы", "✅ Космос", "✅ Спорт"} <= set((await pupil.next_reply()).button_texts())

    await pupil.click("Готово", old)  # the older copy: not refused, it becomes the current question
    shown = await pupil.next_reply()
    assert shown.message_id == old.message_id and "Вопрос 5 из 9" in shown.text
    assert {"✅ Роботы", "✅ Космос", "✅ Спорт"} <= set(shown.button_texts())
    await tg.wait_for(lambda: "Это старая копия вопроса — вот текущий вопрос." in _alerts(pupil))
    assert "interests" not in await _answers(running)
    await pupil.click("Готово", old)
    await pupil.expect("Вопрос 6 из 9")
    assert (await _answers(running))["interests"] == ["robots", "space", "sport"]

    await pupil.click("Программирование", again)  # the other copy of question 5, now a question behind
    moved = await pupil.next_reply()
    assert moved.message_id == again.message_id and "Вопрос 6 из 9" in moved.text
    assert (await _answers(running))["interests"] == ["robots", "space", "sport"]
    await pupil.click("Выбор профессии", moved)
    assert "✅ Выбор профессии" in (await pupil.next_reply()).button_texts()


async def test_back_from_the_change_list_returns_to_the_summary(tg: FakeTelegram, running: RunningBot) -> None:
    from tests.flows import answer_pupil_survey

    pupil = await _pupil_at_question_1(tg, running, 523)
    await answer_pupil_survey(pupil)
    summary = pupil.last()
    await pupil.click("Изменить ответ", summary)
    pick = await pupil.expect("Какой ответ изменить")
    assert pick.button_texts()[-1] == "← Назад"
    await pupil.click("← Назад", pick)
    back = await pupil.next_reply()
    assert back.message_id == summary.message_id and "проверь ответы" in back.text
    assert back.button_texts() == ["Всё верно", "Изменить ответ"]


async def test_the_mentor_competencies_fit_a_phone_screen(tg: FakeTelegram, running: RunningBot) -> None:
    """Two short buttons to a row; the summary (and the exports) keep the full label; a count reads «2»."""
    mentor = tg.user(524, "Ирина")
    await join_adult(mentor, await make_invite(running, Role.MENTOR, Form.TEACHER_PUPIL))
    await mentor.send("Иванова Ирина Петровна")
    await mentor.expect("Вопрос 2 из 13")
    await mentor.click("Педагог доп. образования")
    experience = await mentor.expect("Вопрос 3 из 13")
    assert "Напишите число сообщением." in experience.text and experience.text.count("числ") == 1
    await mentor.send("15 лет")
    await mentor.expect("Вопрос 4 из 13")
    await mentor.click("Робототехника")
    wall = await mentor.expect("Вопрос 5 из 13")
    rows = [[b.text for b in row] for row in wall.buttons]
    assert len(rows) <= 14 and max(len(row) for row in rows) == 2
    assert ["Трудности в учёбе", "Проект: роботы"] in rows
    assert all(len(text) <= 24 for row in rows for text in row)
    await mentor.click("Проект: роботы", wall)
    assert "✅ Проект: роботы" in (await mentor.next_reply()).button_texts()
    await mentor.click("Готово", wall)
    summary = await answer_anything(mentor)
    assert "Проект, конкурс: робототехника" in summary.text
    assert "Опыт, лет\n15" in summary.text
    assert "Сколько наставляемых\n1\n" in summary.text and "из 5" not in summary.text
    answers = await _answers(running)
    assert answers["competencies"] == ["proj_robotics"] and answers["capacity"] == 1


async def test_the_export_keeps_full_labels_and_the_text_after_other(tg: FakeTelegram, running: RunningBot) -> None:
    """The competencies' short buttons and «Другое» → «Оригами» reach the curator's workbook in full words."""
    from tests.flows import mentor_answers, pupil_answers, seed_participant
    from tests.test_curator_sheets import export_book, table

    answers = {**pupil_answers("Маша", ["proj_robotics"]), "club": "other", "club.details": "Оригами"}
    await seed_participant(running, 531, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, answers)
    await seed_participant(running, 532, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Анна", ["burnout"], 2))
    rows = table(await export_book(tg.user(CURATOR_ID)), "Ответы")
    masha = {row["Вопрос"]: row["Ответ"] for row in rows if row["ФИО"] == "Маша"}
    anna = {row["Вопрос"]: row["Ответ"] for row in rows if row["ФИО"] == "Анна"}
    club = "В каком объединении (кружке) ты занимаешься?"
    assert masha[club] in ("Другое", "Оригами") and "club.details" not in masha
    assert sorted(row["Ответ"] for row in rows if row["ФИО"] == "Маша" and row["Вопрос"] == club) == [
        "Другое",
        "Оригами",
    ]
    assert anna["С чем получится помочь наставляемому? Всё, в чём есть уверенность."] == (
        "Нагрузка и профессиональное выгорание"
    )
    assert anna["Сколько наставляемых получится вести одновременно?"] == "2"
