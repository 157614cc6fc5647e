"""The group meeting's attendance screen: «Готово» saves and closes with who was marked, «Назад» returns to the
meeting's screen keeping the marks."""

from __future__ import annotations

from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram
from tests.conftest import CURATOR_ID, RunningBot
from tests.flows import mentor_answers, pupil_answers, seed_participant
from tests.test_meetings import msk

TP = Form.TEACHER_PUPIL


async def test_the_attendance_screen_has_done_and_back(tg: FakeTelegram, running: RunningBot) -> None:
    for tg_id, name in ((801, "Маша"), (802, "Петя"), (803, "Оля")):
        await seed_participant(running, tg_id, Role.MENTEE_PUPIL, TP, pupil_answers(name, []))
    await seed_participant(running, 901, Role.MENTOR, TP, mentor_answers("Анна", [], 2))
    await running.service("matching").create_meeting(TP, msk(25, 16, 30), "СЮТ", CURATOR_ID)
    curator = tg.user(CURATOR_ID)

    await curator.send("/groupmeeting")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click("Отметить присутствие", await curator.expect("Отмечено присутствующих: 0 из 4"))
    await curator.click("Маша", await curator.expect("Отметьте, кто был"))
    screen = await curator.expect("(1 из 4)")
    assert screen.button_texts()[-2:] == ["Готово", "← Назад"]
    await curator.click("Анна", screen)
    screen = await curator.expect("(2 из 4)")

    # «Назад» returns to the meeting's screen; the marks stay.
    await curator.click("← Назад", screen)
    meeting = await curator.expect("Отмечено присутствующих: 2 из 4")
    assert "Отметить присутствие" in meeting.button_texts()
    await curator.click("Отметить присутствие", meeting)
    screen = await curator.expect("(2 из 4)")
    assert "✅ Маша" in screen.button_texts() and "✅ Анна" in screen.button_texts()

    # «Готово» closes the screen with who was marked and who was not.
    await curator.click("Петя", screen)
    await curator.click("Готово", await curator.expect("(3 из 4)"))
    done = await curator.expect("Присутствие отмечено")
    assert "3 из 4" in done.text and "Были: Маша, Петя, Анна" in done.text and "Не было: Оля" in done.text
    assert done.buttons == []
    attended = await running.db.fetchval("SELECT COUNT(*) FROM attendance")
    assert attended == 3
