"""The curator's /participants: counts, filtered pages, a card, a paper consent, the audit log."""

from __future__ import annotations

from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram, FakeUser, SentMessage
from tests.conftest import CURATOR_ID, RunningBot
from tests.flows import answer_pupil_survey, join_adult, make_invite


async def test_counts_list_card_and_audit(tg: FakeTelegram, running: RunningBot) -> None:
    pupil_code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    mentor_code = await make_invite(running, Role.MENTOR, Form.TEACHER_PUPIL)
    done = tg.user(521, "Маша")
    await join_adult(done, pupil_code)
    await answer_pupil_survey(done)
    await done.click("Всё верно")
    await done.expect("Анкета сохранена")
    minor = tg.user(522, "Петя")
    await minor.send(f"/start {pupil_code}")
    await minor.expect("в программе наставничества")
    await minor.click("Меньше 14", await minor.expect("Сначала один вопрос"))
    await minor.expect("даёт родитель")
    for n in range(10):
        mentor = tg.user(530 + n)
        await join_adult(mentor, mentor_code)

    curator = tg.user(CURATOR_ID)
    await curator.send("/participants")
    summary = await curator.expect("Участники программы: 12")
    assert "наставляемый-обучающийся</b>" not in summary.text  # HTML was rendered, not shown
    assert "наставляемый-обучающийся: 2" in summary.text
    assert "наставник: 10" in summary.text
    assert "ждёт согласия родителя: 1" in summary.text
    assert "анкета заполнена: 1" in summary.text
    assert "согласие есть, анкета не заполнена: 10" in summary.text

    await curator.click("Список: все")
    page1 = await curator.expect("Все участники — 8 из 12")
    await curator.click("Далее ›")
    page2 = await curator.expect("Все участники — 4 из 12")
    assert page1.message_id == page2.message_id  # paging edits the same message
    await curator.click("Список: ждёт согласия родителя", await curator_summary(curator))
    waiting = await curator.expect("ждёт согласия родителя — 1 из 1")
    await curator.click("1.", waiting)
    card = await curator.expect("Роль: наставляемый-обучающийся")
    assert "Согласие: нет" in card.text and "Отметить бумажное согласие" in card.button_texts()

    await curator.click("Список: анкета заполнена", await curator_summary(curator))
    await curator.click("1. Маша Иванова", await curator.expect("анкета заполнена — 1 из 1"))
    card = await curator.expect("Маша Иванова")
    assert "Объединение" in card.text and "Робототехника" in card.text
    assert "Согласие: дано участником 07.09.2026 12:00" in card.text  # the institution's clock, not UTC

    actions = [r["action"] for r in await running.db.fetchall("SELECT action FROM audit_log ORDER BY id")]
    assert actions.count("participant.card") == 2 and "participants.list" in actions
    assert all(r["actor_id"] == CURATOR_ID for r in await running.db.fetchall("SELECT actor_id FROM audit_log"))


async def curator_summary(curator: FakeUser) -> SentMessage:
    await curator.send("/participants")
    return await curator.expect("Участники программы")


async def test_paper_consent_lets_a_minor_start(tg: FakeTelegram, running: RunningBot) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    minor = tg.user(541, "Петя")
    await minor.send(f"/start {code}")
    await minor.expect("в программе наставничества")
    await minor.click("Меньше 14", await minor.expect("Сначала один вопрос"))
    await minor.expect("даёт родитель")
    await minor.send("/menu")
    menu = await minor.expect("Моё меню")
    assert "Заполнить анкету" not in menu.button_texts()

    curator = tg.user(CURATOR_ID)
    await curator.click("Список: ждёт согласия родителя", await curator_summary(curator))
    await curator.click("1.", await curator.expect("ждёт согласия родителя — 1 из 1"))
    await curator.click("Отметить бумажное согласие", await curator.expect("Согласие: нет"))
    await curator.expect("Напишите фамилию, имя и отчество родителя")
    await curator.send("Петрова Анна Сергеевна")
    await curator.expect("Дата на согласии?")
    await curator.send("07.09.2026")
    await curator.click("Подтвердить", await curator.expect("Отметить бумажное согласие?"))
    await curator.expect("Бумажное согласие отмечено")
    card = await curator.expect("Согласие: бумажное от 07.09.2026 (подпись: Петрова Анна Сергеевна)")
    assert "Отметить бумажное согласие" not in card.button_texts()
    await minor.expect("бумажное согласие")
    await minor.click("Заполнить анкету")
    await minor.expect("Анкета наставляемого")
    await minor.expect("Вопрос 1 из 9")
    consent = await running.db.fetchone("SELECT kind, given_by FROM consents")
    assert consent["kind"] == "paper" and consent["given_by"] == CURATOR_ID
    assert "consent.paper" in [r["action"] for r in await running.db.fetchall("SELECT action FROM audit_log")]
    # The parent link is dead now: consent exists.
    row = await running.db.fetchone("SELECT parent_code FROM participants")
    parent = tg.user(641)
    await parent.send(f"/start {row['parent_code']}")
    await parent.expect("уже есть")
