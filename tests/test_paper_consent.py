"""A paper consent (roadmap 4.1) as the curator records it: before consent a child is told apart by when they came,
by which link and the parent's name; the record asks the parent's name, the paper's date and a confirmation,
keeps both, and a withdrawal destroys them with the rest."""

from __future__ import annotations

from pathlib import Path

from bot.i18n import tr
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram, FakeUser, SentMessage
from tests.conftest import CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import answer_anything, make_invite, queued
from tests.test_withdrawal import found_in_files, name_encodings

#: Long and distinctive, so that finding its bytes cannot be a coincidence.
PARENT = "Зарецкая-Оболенская Ольга Викторовна"


async def join_minor(user: FakeUser, code: str) -> None:
    await user.send(f"/start {code}")
    await user.expect("в программе наставничества")
    await user.click("Меньше 14", await user.expect("Сначала один вопрос"))
    await user.expect("даёт родитель")


async def waiting_list(curator: FakeUser) -> SentMessage:
    await curator.send("/participants")
    await curator.click("Список: ждёт согласия родителя", await curator.expect("Участники программы"))
    return await curator.expect("ждёт согласия родителя —")


async def start_paper(curator: FakeUser, pseudonym: str) -> None:
    """From the waiting list to the paper consent's first question, for the child with this pseudonym."""
    page = await waiting_list(curator)
    await curator.click(next(b for b in page.button_texts() if b.endswith(f". {pseudonym}")), page)
    await curator.click("Отметить бумажное согласие", await curator.expect("Согласие: нет"))
    await curator.expect("Напишите фамилию, имя и отчество родителя")


async def test_a_child_waiting_for_a_parent_is_told_apart_by_the_link_and_the_time(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    robotics = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    clock.advance(days=1)
    chess = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    await join_minor(tg.user(701), robotics)  # 08.09 12:00 Moscow time
    clock.advance(minutes=25)
    await join_minor(tg.user(702), chess)

    curator = tg.user(CURATOR_ID)
    page = await waiting_list(curator)
    assert f"1. P-00001 · вход 08.09.2026 12:00 · ссылка от 07.09.2026 (…{robotics[-4:]})" in page.text
    assert f"2. P-00002 · вход 08.09.2026 12:25 · ссылка от 08.09.2026 (…{chess[-4:]})" in page.text
    await curator.click("2. P-00002", page)
    card = await curator.expect("Роль: наставляемый-обучающийся")
    assert "P-00002 (P-00002)" not in card.text
    assert card.text.startswith("P-00002 (имя ещё не указано)")
    assert "Дата входа: 08.09.2026 12:25" in card.text
    assert f"Ссылка-приглашение: от 08.09.2026 (…{chess[-4:]})" in card.text

    # /consent_paper lists exactly those waiting, the same way.
    await curator.send("/consent_paper")
    listed = await curator.expect("Кто ждёт согласия родителя")
    assert f"P-00001 · вход 08.09.2026 12:00 · ссылка от 07.09.2026 (…{robotics[-4:]})" in listed.text
    assert "Отметить бумажное согласие" in listed.text
    assert listed.button_texts()[:2] == ["1. P-00001", "2. P-00002"]


async def test_the_paper_consent_asks_the_parent_and_the_date_and_records_both_on_confirmation(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    child = tg.user(711)
    await join_minor(child, code)
    clock.advance(days=3)  # today is 10.09.2026
    curator = tg.user(CURATOR_ID)
    await start_paper(curator, "P-00001")

    await curator.send("мама")
    await curator.expect(tr("paper-bad-parent"))
    await curator.send("12345")
    await curator.expect(tr("paper-bad-parent"))
    await curator.send(PARENT)
    await curator.expect("Дата на согласии? Напишите её так: ДД.ММ.ГГГГ, например 10.09.2026")
    await curator.send("вчера")
    await curator.expect("Не понял дату")
    await curator.send("31.02.2026")
    await curator.expect("Такой даты нет: 31.02.2026")
    await curator.send("11.09.2026")
    await curator.expect("11.09.2026 ещё не наступило (сегодня 10.09.2026)")
    await curator.send("01.09.2025")
    await curator.expect("01.09.2025 — больше года назад")
    await curator.send("5.9.26")
    confirm = await curator.expect("Отметить бумажное согласие?")
    assert f"Родитель (законный представитель): {PARENT}" in confirm.text
    assert "Дата согласия: 05.09.2026" in confirm.text and "Участник: P-00001 · вход 07.09.2026 12:00" in confirm.text
    assert confirm.button_texts() == ["Подтвердить", "Отмена"]
    # Nothing is recorded before the confirmation.
    assert await running.db.fetchval("SELECT COUNT(*) FROM consents") == 0
    assert not await queued(running, 711)

    await curator.click("Подтвердить", confirm)
    await curator.expect("Бумажное согласие отмечено для P-00001")
    card = await curator.expect("Роль: наставляемый-обучающийся")
    assert f"Согласие: бумажное от 05.09.2026 (подпись: {PARENT}); отмечено куратором 10.09.2026" in card.text
    assert "Отметить бумажное согласие" not in card.button_texts()
    row = await running.db.fetchone("SELECT kind, given_by, parent_name, paper_date FROM consents")
    assert dict(row) == {"kind": "paper", "given_by": CURATOR_ID, "parent_name": PARENT, "paper_date": "2026-09-05"}
    audit = await running.db.fetchone("SELECT subject, details FROM audit_log WHERE action='consent.paper'")
    assert audit["subject"] == "P-00001" and PARENT not in audit["details"]
    await child.expect(tr("child-paper-consented"))

    # A second «Подтвердить» (a double tap, an old screen) records nothing more.
    await curator.click_data(confirm.button_data()[0], confirm.message_id)
    await tg.wait_for(lambda: curator.callback_answers()[-1].get("text") == tr("stale-button"))
    assert await running.db.fetchval("SELECT COUNT(*) FROM consents") == 1
    # Until the child writes their name, the list names the parent who signed.
    await curator.send("/participants")
    await curator.click("Список: все", await curator.expect("Участники программы"))
    page = await curator.expect("Все участники")
    assert f"P-00001 · вход 07.09.2026 12:00 · ссылка от 07.09.2026 (…{code[-4:]}) · родитель: {PARENT}" in page.text


async def test_cancel_in_the_middle_of_a_paper_consent_records_nothing(tg: FakeTelegram, running: RunningBot) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    await join_minor(tg.user(721), code)
    curator = tg.user(CURATOR_ID)
    await start_paper(curator, "P-00001")
    await curator.send(PARENT)
    await curator.expect("Дата на согласии?")
    await curator.send("/cancel")
    await curator.expect("Отменено")
    await curator.send("05.09.2026")  # no longer an answer to anything
    await curator.expect(tr("unknown-input"))

    # «Отмена» on the confirmation: back to the card, still without consent.
    await start_paper(curator, "P-00001")
    await curator.send(PARENT)
    await curator.expect("Дата на согласии?")
    await curator.send("05.09.2026")
    confirm = await curator.expect("Отметить бумажное согласие?")
    await curator.click("Отмена", confirm)
    await curator.expect(tr("dialog-cancelled"))
    assert "Согласие: нет" in (await curator.expect("Роль: наставляемый-обучающийся")).text
    await curator.click_data(confirm.button_data()[0], confirm.message_id)  # the old button does nothing now
    await tg.wait_for(lambda: curator.callback_answers()[-1].get("text") == tr("stale-button"))
    assert await running.db.fetchval("SELECT COUNT(*) FROM consents") == 0
    assert not await queued(running, 721)


async def test_a_withdrawal_destroys_the_parents_name_from_the_paper_and_from_a_dialog_under_way(
    tg: FakeTelegram, running: RunningBot, db_path: Path
) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    child, other = tg.user(731), tg.user(732)
    await join_minor(child, code)
    await join_minor(other, code)
    curator = tg.user(CURATOR_ID)
    await start_paper(curator, "P-00001")
    await curator.send(PARENT)
    await curator.expect("Дата на согласии?")
    await curator.send("05.09.2026")
    await curator.click("Подтвердить", await curator.expect("Отметить бумажное согласие?"))
    await curator.expect("Бумажное согласие отмечено")
    await curator.expect("Роль:")
    await child.click("Заполнить анкету", await child.expect(tr("child-paper-consented")))
    await child.expect("Анкета наставляемого")
    await child.expect("Вопрос 1 из 9")
    await child.send("Эвелина Зарецкая")
    await child.expect("Вопрос 2 из 9")
    await child.send("12")
    await answer_anything(child)
    await child.click("Всё верно")
    await child.expect("Анкета сохранена")

    needles = name_encodings(PARENT)
    assert found_in_files(db_path, needles), "the scan must see the parent's name before the withdrawal"
    await child.send("/forget")
    await child.click(tr("btn-forget-yes"), await child.expect("Отозвать согласие?"))
    await child.expect("данные удалены")
    leftovers = found_in_files(db_path, needles)
    assert not leftovers, leftovers
    await curator.expect("отозвал согласие")

    # The curator has typed the other child's parent's name, and that child withdraws before the date.
    second = "Белозерская-Трубецкая Анастасия"
    await start_paper(curator, "P-00002")
    await curator.send(second)
    await curator.expect("Дата на согласии?")
    needles = name_encodings(second)
    assert found_in_files(db_path, needles)
    await other.send("/forget")
    await other.click(tr("btn-forget-yes"), await other.expect("Выйти из программы?"))  # no consent yet
    await other.expect("удален")
    leftovers = found_in_files(db_path, needles)
    assert not leftovers, leftovers
    await curator.expect("P-00002 (наставляемый-обучающийся) отозвал согласие")
    await curator.send("05.09.2026")
    await curator.expect(tr("unknown-input"))


async def test_a_paper_consent_completes_a_teenagers_own_consent(tg: FakeTelegram, running: RunningBot) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    teen = tg.user(741)
    await teen.send(f"/start {code}")
    await teen.expect("в программе наставничества")
    await teen.click("14–17", await teen.expect("Сначала один вопрос"))
    await teen.expect("нужны два согласия")
    await teen.click("Даю согласие", await teen.expect("Согласие на обработку"))
    await teen.expect("твоё согласие записано")
    # The teenager's own consent does not take them off the list of those waiting for a parent.
    curator = tg.user(CURATOR_ID)
    await start_paper(curator, "P-00001")
    await curator.send(PARENT)
    await curator.expect("Дата на согласии?")
    await curator.send("07.09.2026")
    await curator.click("Подтвердить", await curator.expect("Отметить бумажное согласие?"))
    await curator.expect("Бумажное согласие отмечено для P-00001")
    card = await curator.expect("Роль: наставляемый-обучающийся")
    assert f"Согласие: бумажное от 07.09.2026 (подпись: {PARENT})" in card.text
    rows = await running.db.fetchall("SELECT kind, given_by FROM consents ORDER BY id")
    assert [(r["kind"], r["given_by"]) for r in rows] == [("minor", 741), ("paper", CURATOR_ID)]
    await teen.expect(tr("child-paper-consented"))
