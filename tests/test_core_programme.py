"""The programme's main story end to end, written once and run on every front end (the core with no messenger,
and Telegram): a pupil joins by the curator's invite, the parent consents by the link the child forwards, the
child answers the questionnaire from the notice and sees the summary; everything a person reads comes from the
flows of `bot.flows`, each action in one transaction. (The reminder and the check-in: tests/test_core_meetings.py;
the withdrawal: tests/test_core_forget.py; the curator's side: tests/test_core_curator_*.py.)"""

from __future__ import annotations

from bot.programme import INTAKE_BY_ROLE, Form, Role
from tests.conftest import CURATOR_ID
from tests.flows import code_in
from tests.frontends import FrontEnd
from tests.test_core_stories import PARENT, TODAY, core_front, front, max_front, telegram_front

FIXTURES = (front, core_front, telegram_front, max_front)
CHILD = 733


async def test_join_parents_consent_questionnaire_and_summary(front: FrontEnd) -> None:
    invite = await front.service("invites").create(Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, CURATOR_ID, days=None,
                                                   max_uses=None)  # fmt: skip
    pupil, parent = front.person(CHILD, "Маша"), front.person(PARENT, "Мария")

    await pupil.send(f"/start {invite.code}")
    await pupil.expect("Привет! Ты в программе наставничества")
    await pupil.press("Меньше 14", await pupil.expect("сколько тебе лет?"))
    link = await pupil.expect("даёт родитель")

    await parent.send(f"/start {code_in(link.text)}")
    await parent.expect("Вас просят дать согласие")
    await parent.press("Даю согласие", await parent.expect("Согласие на обработку персональных данных"))
    await parent.press("мать", await parent.expect("Кем вы приходитесь ребёнку?"))
    await parent.expect("фамилию и имя")
    await parent.send("Иванова Мария")
    assert (await parent.expect("Согласие записано")).text.startswith(f"Согласие записано ({TODAY} 12:00)")

    told = await pupil.expect("Родитель дал согласие", eventually=True)
    await pupil.press("Заполнить анкету", told)
    await pupil.expect("Вопрос 1 из 9", eventually=True)
    await pupil.send("Маша Иванова")
    await pupil.expect("Вопрос 2 из 9")
    await pupil.send("12")
    await pupil.expect("Вопрос 3 из 9")
    assert (await pupil.press("Робототехника")).text.startswith("Вопрос 4 из 9")
    assert (await pupil.press("Первый год")).text.startswith("Вопрос 5 из 9")
    assert (await pupil.press("Готово", await pupil.press("Роботы"))).text.startswith("Вопрос 6 из 9")
    await pupil.press("Выбор профессии")
    assert (await pupil.press("Готово")).text.startswith("Вопрос 7 из 9")
    assert (await pupil.press("Один на один")).text.startswith("Вопрос 8 из 9")
    await pupil.press("Среда")
    assert (await pupil.press("Готово")).text.startswith("Вопрос 9 из 9")
    summary = await pupil.press("Пропустить")
    assert "проверь ответы" in summary.text and "Маша Иванова" in summary.text
    done = await pupil.press("Всё верно", summary)
    assert "Анкета сохранена" in done.text

    db = front.service("db")
    row = await db.fetchone("SELECT id, consent_at, survey_done_at FROM participants WHERE account_id=?", (CHILD,))
    assert row["consent_at"] is not None and row["survey_done_at"] is not None
    answers = await front.service("participants").answers(row["id"], INTAKE_BY_ROLE[Role.MENTEE_PUPIL])
    assert answers["name"] == "Маша Иванова" and answers["age"] == 12 and answers["club"] == "robotics"
    assert await db.fetchval("SELECT COUNT(*) FROM fsm_state WHERE user_id=?", (CHILD,)) == 0  # the dialog ended
    menu = await pupil.open_menu()
    assert "Анкета заполнена" in menu.text
