"""The curator corrects a participant's name from their card: validated like the questionnaire's name question,
confirmed old → new, audit-logged; the new name is what every screen, sheet and paper made afterwards shows,
and a withdrawal destroys the old name as well as the new."""

from __future__ import annotations

import json
from pathlib import Path

from bot.i18n import tr
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram, FakeUser, SentMessage
from tests.conftest import CURATOR_ID, RunningBot
from tests.flows import mentor_answers, pupil_answers, seed_participant
from tests.test_curator_sheets import export_book
from tests.test_order_docx import acquainted, appendix, confirm, seed_child
from tests.test_withdrawal import found_in_files, name_encodings

OLD = "Иван Петрович"
NEW = "Петров Иван Сергеевич"
TP = Form.TEACHER_PUPIL


async def seed(running: RunningBot) -> None:
    await seed_child(running, 801, Role.MENTEE_PUPIL, TP, pupil_answers("Маша Иванова", ["proj_robotics"]))
    await seed_participant(running, 901, Role.MENTOR, TP, mentor_answers(OLD, ["proj_robotics"], 1))


async def open_card(curator: FakeUser, list_button: str, name: str) -> SentMessage:
    await curator.send("/participants")
    await curator.click(list_button, await curator.expect("Участники программы"))
    await curator.click(f"1. {name}", await curator.expect(" — 1 из 1"))
    card = await curator.expect("Роль:")
    assert card.text.startswith(name)
    return card


async def start_rename(curator: FakeUser) -> None:
    await curator.click("Исправить имя", await open_card(curator, "Список: наставник", OLD))
    await curator.expect(f"Имя сейчас: {OLD}\nНапишите исправленное (ФИО). Отменить — /cancel.")


async def test_a_corrected_name_is_what_the_lists_the_pairs_the_export_and_the_order_show(
    tg: FakeTelegram, running: RunningBot
) -> None:
    await seed(running)
    tg.user(801), tg.user(901)
    curator = tg.user(CURATOR_ID)
    await start_rename(curator)
    await curator.send("!!!")
    await curator.expect("Отменить — /cancel.")
    await curator.send("П" * 151)
    await curator.expect("Слишком длинно: 151 символ, можно до 150")
    await curator.send(f"  {OLD} ")
    await curator.expect(tr("rename-same"))
    await curator.send(NEW)
    question = await curator.expect("Исправить имя?")
    assert f"{OLD} → {NEW}" in question.text and question.button_texts() == ["Исправить", "Отмена"]
    mentor = await running.service("participants").get(2)
    assert mentor is not None and mentor.name == OLD  # nothing changes before the confirmation

    await curator.click("Исправить", question)
    await curator.expect(f"Имя исправлено: {OLD} → {NEW}.")
    card = await curator.expect("Роль: наставник")
    assert card.text.startswith(f"{NEW} (P-00002)")
    entry = await running.db.fetchone(
        "SELECT actor_id, subject, details FROM audit_log WHERE action='participant.rename'"
    )
    assert entry["actor_id"] == CURATOR_ID and entry["subject"] == "P-00002"
    assert json.loads(entry["details"]) == {"old": OLD, "new": NEW}
    # A second press of the old button changes nothing more.
    await curator.click_data(question.button_data()[0], question.message_id)
    await tg.wait_for(lambda: curator.callback_answers()[-1].get("text") == tr("stale-button"))
    assert await running.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE action='participant.rename'") == 1

    # /participants
    await curator.send("/participants")
    await curator.click("Список: все", await curator.expect("Участники программы"))
    page = await curator.expect("Все участники — 2 из 2")
    assert f"2. {NEW} — наставник" in page.text and OLD not in page.text
    # The director's order made after the correction.
    _, order = await confirm(curator, TP)
    assert appendix(order) == [["1.", TP.label, f"{NEW}\nПедагог доп. образования", "Маша Иванова"]]
    assert NEW in acquainted(order) and OLD not in acquainted(order)
    # /pairs
    await curator.send("/pairs")
    pairs = await curator.expect("Пары и группы (1)")
    assert NEW in pairs.text and OLD not in pairs.text
    # The export.
    book = await export_book(curator)
    cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert any(NEW in cell for cell in cells)
    assert not [cell for cell in cells if OLD in cell]


async def test_cancel_and_otmena_leave_the_name_as_it_was(tg: FakeTelegram, running: RunningBot) -> None:
    await seed(running)
    curator = tg.user(CURATOR_ID)
    await start_rename(curator)
    await curator.send("/cancel")
    await curator.expect("Отменено")
    await curator.send(NEW)
    await curator.expect(tr("unknown-input"))

    await start_rename(curator)
    await curator.send(NEW)
    question = await curator.expect("Исправить имя?")
    await curator.click("Отмена", question)
    await curator.expect(tr("dialog-cancelled"))
    card = await curator.expect("Роль: наставник")
    assert card.text.startswith(f"{OLD} (P-00002)")
    await curator.click_data(question.button_data()[0], question.message_id)
    await tg.wait_for(lambda: curator.callback_answers()[-1].get("text") == tr("stale-button"))
    assert (await running.service("participants").get(2)).name == OLD
    assert await running.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE action='participant.rename'") == 0


async def test_a_withdrawal_after_a_correction_leaves_neither_the_old_name_nor_the_new(
    tg: FakeTelegram, running: RunningBot, db_path: Path
) -> None:
    old, new = "Эвелина Зарецкая-Оболенская", "Эвелина Заречная-Оболонская"
    await seed_child(running, 801, Role.MENTEE_PUPIL, TP, pupil_answers("Маша Иванова", ["proj_robotics"]))
    await seed_participant(running, 901, Role.MENTOR, TP, mentor_answers(old, ["proj_robotics"], 1))
    masha, mentor, curator = tg.user(801), tg.user(901), tg.user(CURATOR_ID)
    await confirm(curator, TP)
    await masha.expect_all(f"Твой наставник — {old}", "Самооценка в начале работы пары")  # names him: the old name
    await mentor.expect_all("Вам закреплены наставляемые", "Самооценка в начале работы пары")

    await curator.click("Исправить имя", await open_card(curator, "Список: наставник", old))
    await curator.expect(f"Имя сейчас: {old}")
    await curator.send(new)
    await curator.click("Исправить", await curator.expect("Исправить имя?"))
    await curator.expect("Имя исправлено")
    await curator.expect("Роль: наставник")
    needles = {**name_encodings(old), **name_encodings(new)}
    assert found_in_files(db_path, needles)

    await mentor.send("/forget")
    await mentor.click(tr("btn-forget-yes"), await mentor.expect("Отозвать согласие?"))
    await mentor.expect("данные удалены")
    leftovers = found_in_files(db_path, needles)
    assert not leftovers, leftovers
