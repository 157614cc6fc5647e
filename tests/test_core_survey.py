"""The questionnaire through the core (`bot.flows.survey`), written once and run on both front ends: a pupil
answers it from the menu by pressing and typing, a bad answer gets a hint and loses nothing, an answer is changed
from the menu beside the profile. On the core alone: each answer is one transaction, and the dialog's state after
each answer is in the database (a new front end on the same file resumes at the next question)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.flows import survey
from bot.flows.survey import SurveyPayload
from bot.programme import INTAKE_BY_ROLE, Role
from handlers.kb.survey import SurveyCb
from handlers.states import Survey
from tests import test_core_stories as stories
from tests.flows import pupil_answers
from tests.frontends import FrontEnd, Seen
from tests.frontends.core import CoreFrontEnd, CorePerson
from tests.frontends.telegram import TelegramPerson
from tests.test_core_stories import parent_consents, seed_pupil_awaiting_parent

# The stories' fixtures: each story runs on each front end.
core_front, telegram_front, front = stories.core_front, stories.telegram_front, stories.front
max_front = stories.max_front

PUPIL_INTAKE = INTAKE_BY_ROLE[Role.MENTEE_PUPIL]
Person = CorePerson | TelegramPerson


# --- typing and reading on either front end ----------------------------------------------------------------------
async def send(person: Person, text: str) -> None:
    if isinstance(person, CorePerson):
        await person.send(text)
    else:
        await person.user.send(text)


async def send_sticker(person: Person) -> None:
    """Something that is not text: a sticker on Telegram, a file on the core."""
    if isinstance(person, CorePerson):
        await person.send_document("sticker.webp", "image/webp")
    else:
        await person.user.send_sticker()


async def expect(person: Person, fragment: str, *, eventually: bool = False) -> Seen:
    """The next new screen (edits of screens already there passed over on Telegram) must contain `fragment`."""
    if isinstance(person, CorePerson):
        return await person.expect(fragment, eventually=eventually)
    return person._seen(await person.user.expect(fragment, eventually=eventually))


async def consented_pupil(front: FrontEnd, account_id: int, answers: dict[str, object] | None = None) -> int:
    child_id = await seed_pupil_awaiting_parent(front, account_id)
    await parent_consents(front, child_id, answers)
    return child_id


async def answers_of(front: FrontEnd, participant_id: int) -> dict[str, object]:
    return await front.service("participants").answers(participant_id, PUPIL_INTAKE)


# --- the stories --------------------------------------------------------------------------------------------------
async def test_a_pupil_answers_the_questionnaire_from_the_menu(front: FrontEnd) -> None:
    child_id = await consented_pupil(front, 731)
    pupil = front.person(731, "Маша")

    intro = await pupil.press("Заполнить анкету", await pupil.open_menu())
    assert "Анкета" in intro.text or "анкет" in intro.text
    first = await expect(pupil, "Вопрос 1 из 9", eventually=True)
    assert "Как тебя зовут" in first.text or "имя" in first.text.lower()
    await send(pupil, "Маша Иванова")
    await expect(pupil, "Вопрос 2 из 9")
    await send(pupil, "12")
    await expect(pupil, "Вопрос 3 из 9")
    which = await pupil.press("Другое")  # «Другое» asks which one, on the same message
    assert "Какое именно? Напиши сообщением." in which.text and "Вопрос 3 из 9" in which.text
    await send(pupil, "Оригами")
    await expect(pupil, "Вопрос 4 из 9")
    assert (await pupil.press("Первый год")).text.startswith("Вопрос 5 из 9")
    ticked = await pupil.press("Роботы")
    assert "✅ Роботы" in ticked.buttons
    assert (await pupil.press("Готово", ticked)).text.startswith("Вопрос 6 из 9")
    await pupil.press("Выбор профессии")
    assert (await pupil.press("Готово")).text.startswith("Вопрос 7 из 9")
    back = await pupil.press("← Назад")  # going back shows the answer given
    assert back.text.startswith("Вопрос 6 из 9") and "✅ Выбор профессии" in back.buttons
    assert (await pupil.press("Готово", back)).text.startswith("Вопрос 7 из 9")
    assert (await pupil.press("Один на один")).text.startswith("Вопрос 8 из 9")
    await pupil.press("Среда")
    assert (await pupil.press("Готово")).text.startswith("Вопрос 9 из 9")
    summary = await pupil.press("Пропустить")
    assert "проверь ответы" in summary.text and "Другое: Оригами" in summary.text
    assert summary.buttons == ["Всё верно", "Изменить ответ"]
    done = await pupil.press("Всё верно", summary)
    assert "Анкета сохранена" in done.text and "подберёт тебе наставника" in done.text

    saved = await answers_of(front, child_id)
    assert saved["name"] == "Маша Иванова" and saved["age"] == 12
    assert saved["club"] == "other" and saved["club.details"] == "Оригами"
    assert saved["interests"] == ["robots"] and saved["free_days"] == ["wed"]
    menu = await pupil.open_menu()
    assert "Анкета заполнена" in menu.text and "Изменить ответ" in menu.buttons


async def test_a_bad_answer_gets_a_hint_and_loses_nothing(front: FrontEnd) -> None:
    child_id = await consented_pupil(front, 732)
    pupil = front.person(732, "Коля")
    await pupil.press("Заполнить анкету", await pupil.open_menu())
    await expect(pupil, "Вопрос 1 из 9", eventually=True)

    await send(pupil, "я" * 5000)
    too_long = await expect(pupil, "Слишком длинно")
    assert "5000" in too_long.text or "5 000" in too_long.text
    await expect(pupil, "Вопрос 1 из 9")
    await send_sticker(pupil)
    await expect(pupil, "стикеры, фото и файлы")
    await expect(pupil, "Вопрос 1 из 9")
    await send(pupil, "/unknown")
    await expect(pupil, "команда сейчас не работает")
    assert await answers_of(front, child_id) == {}

    await send(pupil, "Коля Петров")
    await expect(pupil, "Вопрос 2 из 9")
    await send(pupil, "сто")
    await expect(pupil, "Нужно число")
    await expect(pupil, "Вопрос 2 из 9")
    await send(pupil, "11")
    await expect(pupil, "Вопрос 3 из 9")
    await send(pupil, "какой-то кружок")  # free text where a button is expected
    await expect(pupil, "выбрать вариант кнопкой")
    again = await expect(pupil, "Вопрос 3 из 9")
    assert "Робототехника" in again.buttons
    assert await answers_of(front, child_id) == {"name": "Коля Петров", "age": 11}
    assert (await pupil.press("Робототехника", again)).text.startswith("Вопрос 4 из 9")
    assert (await answers_of(front, child_id))["club"] == "robotics"


async def test_an_answer_is_changed_from_the_menu_and_the_profile_shows_it(front: FrontEnd) -> None:
    child_id = await consented_pupil(front, 733, pupil_answers("Маша Иванова", ["profession"]))
    pupil = front.person(733, "Маша")

    profile = await pupil.press("Мой профиль и ответы", await pupil.open_menu())
    assert "Возраст: 12" in profile.text
    menu = await pupil.press("← Назад", profile)
    summary = await pupil.press("Изменить ответ", menu)
    assert "проверь ответы" in summary.text and summary.message_id != menu.message_id
    pick = await pupil.press("Изменить ответ", summary)
    assert "Какой ответ изменить" in pick.text and pick.buttons[-1] == "← Назад"
    asked = await pupil.press("2. Возраст", pick)
    assert "Вопрос 2 из 9" in asked.text and "Сейчас: 12" in asked.text
    await send(pupil, "13")
    changed = await expect(pupil, "проверь ответы")  # back to the summary, not to the next question
    assert "13" in changed.text
    assert "Анкета сохранена" in (await pupil.press("Всё верно", changed)).text
    assert (await answers_of(front, child_id))["age"] == 13

    profile = await pupil.press("Мой профиль и ответы", await pupil.open_menu())
    assert "Возраст: 13" in profile.text


# --- the core alone -------------------------------------------------------------------------------------------
def test_the_dialog_states_are_aiograms_and_the_payload_is_twinned() -> None:
    assert (Survey.answering.state, Survey.review.state) == (survey.ANSWERING, survey.REVIEW)
    assert Survey.__full_group_name__ == survey.GROUP
    for values in ({"a": "ok"}, {"a": "a", "q": "club", "v": "robotics"}, {"a": "t", "q": "interests", "v": "x"}):
        packed = SurveyPayload(**values).pack()  # type: ignore[arg-type]
        assert packed == SurveyCb(**values).pack()
        assert SurveyCb.unpack(packed).model_dump() == vars(SurveyPayload.unpack(packed))


STEPS: list[tuple[str, str]] = [("send", "Маша Иванова"), ("send", "12"), ("press", "Робототехника"),
                                 ("press", "Первый год")]  # fmt: skip


async def test_after_each_answer_a_new_front_end_on_the_same_file_resumes_at_the_next_question(
    core_front: CoreFrontEnd,
) -> None:
    """As if the process were killed after each answer: the dialog state is in the database, not in memory."""
    child_id = await consented_pupil(core_front, 734)
    path: Path = core_front.settings.storage.database_path
    pupil = core_front.person(734)
    await pupil.press("Заполнить анкету", await pupil.open_menu())
    await pupil.expect("Вопрос 1 из 9", eventually=True)
    questionnaire = core_front.repos().questionnaires[PUPIL_INTAKE]
    for n, (how, what) in enumerate(STEPS, start=1):
        async with CoreFrontEnd.open(path, core_front.settings, core_front.clock) as fresh:
            fresh._message_ids = 100 * n  # the chat goes on: its message ids do not start again
            again = fresh.person(734)
            dialog = fresh.dialog(again.person)
            assert await dialog.get_state() == survey.ANSWERING
            assert (await dialog.get_data())["q"] == questionnaire.questions[n - 1].id
            shown = await again.press("Заполнить анкету" if n == 1 else "Продолжить анкету", await again.open_menu())
            if f"Вопрос {n} из 9" not in shown.text:  # the questionnaire's intro came first
                await again.expect(f"Вопрос {n} из 9")
            if how == "send":
                await again.send(what)
                await again.expect(f"Вопрос {n + 1} из 9")
            else:
                assert f"Вопрос {n + 1} из 9" in (await again.press(what)).text
        async with CoreFrontEnd.open(path, core_front.settings, core_front.clock) as after:
            data = await after.dialog(again.person).get_data()
            assert data["q"] == questionnaire.questions[n].id
            assert set(await after.service("participants").answers(child_id, PUPIL_INTAKE)) == {
                q.id for q in questionnaire.questions[:n]
            }


async def test_an_answer_and_the_dialog_state_commit_together(
    core_front: CoreFrontEnd, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One answer, one transaction: when writing the dialog's state fails, the answer's row is not kept."""
    child_id = await consented_pupil(core_front, 735)
    pupil = core_front.person(735)
    await pupil.press("Заполнить анкету", await pupil.open_menu())
    await pupil.expect("Вопрос 1 из 9", eventually=True)

    async def broken(*args: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(survey, "save", broken)
    with pytest.raises(RuntimeError):
        await pupil.send("Маша Иванова")
    assert await answers_of(core_front, child_id) == {}
    monkeypatch.undo()
    dialog = core_front.dialog(pupil.person)
    assert await dialog.get_state() == survey.ANSWERING and (await dialog.get_data())["q"] == "name"
    await pupil.send("Маша Иванова")
    await pupil.expect("Вопрос 2 из 9", eventually=True)
    assert await answers_of(core_front, child_id) == {"name": "Маша Иванова"}
