"""The curator's roadmap tracker through the fake Bot API with an injected clock: deadlines in the right programme
year, done with a note and a file, reopening, overdue marks, reminders (each once), the curator's own items, the
XLSX of 6.1, and nothing for anybody else."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl

from bot.sandbox.telegram import FakeTelegram, FakeUser, SentMessage
from bot.settings import RoadmapSettings
from handlers.kb.roadmap import RoadmapCb
from scheduler.roadmap_jobs import roadmap_reminders
from storage.roadmap import RoadmapRepo
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import queued as queued_to

MSK = ZoneInfo("Europe/Moscow")
STRANGER_ID = 555


def msk(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=MSK)


async def tick(running: RunningBot) -> None:
    """The scheduler's tick (which runs the roadmap reminders)."""
    await running.service("jobs").tick()


async def open_section(curator: FakeUser, section: int) -> SentMessage:
    await curator.send("/roadmap")
    home = await curator.expect("Дорожная карта внедрения ЦМН")
    await curator.click(f"{section}. ", home)
    return await curator.expect(f"Раздел {section}.")


async def open_item(curator: FakeUser, number: str) -> SentMessage:
    listing = await open_section(curator, int(number.split(".")[0]))
    button = next(b for row in listing.buttons for b in row if b.text.endswith(f" {number}"))
    await curator.click_data(button.callback_data or "", listing.message_id)
    return await curator.expect(f"Пункт {number} ·")


def texts_with(user: FakeUser, fragment: str) -> list[str]:
    return [m.text or "" for m in user.replies() if fragment in (m.text or "")]


async def audit_actions(running: RunningBot) -> list[tuple[str, str | None]]:
    rows = await running.db.fetchall("SELECT action, subject FROM audit_log WHERE action LIKE 'roadmap.%' ORDER BY id")
    return [(r["action"], r["subject"]) for r in rows]


async def test_august_items_are_due_on_31_august_of_the_right_programme_year(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    curator = tg.user(CURATOR_ID)
    clock.set(msk(2026, 8, 10))  # August: the curator prepares the coming year 2026/2027
    card = await open_item(curator, "1.1")
    assert "Срок: август 2026 (до 31.08.2026)" in card.text
    assert "Статус: 🟡 выполняется" in card.text and "Учебный год 2026/2027" in card.text

    clock.set(msk(2027, 7, 10))  # July 2027 is still 2026/2027: its August is gone
    card = await open_item(curator, "1.3")
    assert "до 31.08.2026" in card.text and "просрочено" in card.text

    clock.set(msk(2027, 8, 1))  # 1 August 2027: 2027/2028 has begun its preparation
    await curator.send("/roadmap")
    home = await curator.expect("Дорожная карта внедрения ЦМН")
    assert "Учебный год 2027/2028" in home.text
    card = await open_item(curator, "1.1")
    assert "до 31.08.2027" in card.text and "выполняется" in card.text
    september = await open_item(curator, "4.1")
    assert "Срок: 01.09–15.09.2027" in september.text and "запланировано" in september.text

    # The year buttons page through the years; each card acts on its own year.
    await curator.send("/roadmap")
    await curator.click("‹ 2026/2027", await curator.expect("Учебный год 2027/2028"))
    assert "Учебный год 2026/2027" in (await curator.expect("Дорожная карта")).text


async def test_done_with_a_note_and_a_signed_order_then_reopened(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    curator = tg.user(CURATOR_ID)
    clock.set(msk(2026, 8, 20))
    card = await open_item(curator, "1.1")
    assert "Отметка о выполнении: —" in card.text and "Документы: нет" in card.text
    await curator.click("Выполнено", card)
    await curator.expect("Напишите примечание")
    await curator.send_sticker()
    await curator.expect("Напишите ответ текстом")
    await curator.send("x" * 1001)
    await curator.expect("Примечание — текст до 1000 символов")
    await curator.send("Приказ № 45 от 20.08.2026")
    done = await curator.expect("отмечен выполненным (20.08.2026)")
    await curator.click("Прикрепить файл", done)
    await curator.expect("Пришлите файл для пункта 1.1")
    await curator.send("вот он")
    await curator.expect("Нужен файл")
    await curator.send_document("prikaz.pdf", b"%PDF-1.4 signed order")
    card = await curator.expect("Документ «prikaz.pdf» прикреплён к пункту 1.1")
    assert "Статус: ✅ выполнено" in card.text
    assert "Отметка о выполнении: 20.08.2026" in card.text
    assert "Примечание: Приказ № 45 от 20.08.2026" in card.text
    assert "• prikaz.pdf (прикреплён 20.08.2026)" in card.text
    assert "Выполнено" not in card.button_texts() and "Вернуть в работу" in card.button_texts()
    row = await running.db.fetchone("SELECT * FROM roadmap_documents")
    assert (row["number"], row["programme_year"], row["file_name"], row["attached_by"]) == (
        "1.1",
        2026,
        "prikaz.pdf",
        CURATOR_ID,
    )

    # The attached file comes back on a press.
    await curator.click("📎 prikaz.pdf", card)
    returned = await curator.expect("Пункт 1.1 дорожной карты")
    assert returned.document is not None and returned.document["content"] == b"%PDF-1.4 signed order"

    # Reopen: the mark is taken back (and shown as such), the item is in progress again.
    await curator.click("Вернуть в работу", card)
    card = await curator.expect("Статус: 🟡 выполняется")
    assert "снята (была 20.08.2026)" in card.text and "prikaz.pdf" in card.text
    await tg.wait_for(lambda: "возвращён в работу" in (curator.callback_answers()[-1].get("text") or ""))

    # Done again without a note keeps the earlier note; «Готово» goes back to the card.
    await curator.click("Выполнено", card)
    await curator.click("Пропустить", await curator.expect("Напишите примечание"))
    await curator.click("Готово", await curator.expect("отмечен выполненным"))
    card = await curator.expect("Пункт 1.1 ·")
    assert "выполнено" in card.text and "Приказ № 45" in card.text

    assert [a for a, _ in await audit_actions(running)] == [
        "roadmap.done",
        "roadmap.attach",
        "roadmap.get_document",
        "roadmap.reopen",
        "roadmap.done",
    ]
    assert {s for _, s in await audit_actions(running)} == {"1.1"}
    state = await running.service("roadmap").state("1.1", 2026)
    assert state.done_at == date(2026, 8, 20) and not state.reopened and state.documents == ("prikaz.pdf",)


async def test_items_are_marked_overdue_after_their_deadline(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    curator = tg.user(CURATOR_ID)
    clock.set(msk(2026, 8, 31, 20))  # the due day itself is still in progress
    card = await open_item(curator, "1.2")
    assert "выполняется" in card.text

    clock.set(msk(2026, 9, 1))
    await curator.send("/roadmap")
    home = await curator.expect("Дорожная карта внедрения ЦМН")
    assert "выполнено 0 из 7 · выполняется 1 · просрочено 6" in home.text  # 1.7 is «в течение года»
    listing = await open_section(curator, 1)
    assert "🔴 1.2" in listing.text and "🟡 1.7" in listing.text
    assert "🔴 1.2" in listing.button_texts()
    card = await open_item(curator, "1.2")
    assert "Статус: 🔴 просрочено" in card.text

    # Done late is still done.
    await curator.click("Выполнено", card)
    await curator.send("Приказ подписан с опозданием")
    await curator.click("Готово", await curator.expect("отмечен выполненным (01.09.2026)"))
    assert "Статус: ✅ выполнено" in (await curator.expect("Пункт 1.2 ·")).text
    await curator.send("/roadmap")
    home = await curator.expect("Дорожная карта внедрения ЦМН")
    assert "выполнено 1 из 7 · выполняется 1 · просрочено 5" in home.text


async def test_reminders_before_the_deadline_and_the_day_after_it_each_once(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    curator, other = tg.user(CURATOR_ID), tg.user(OTHER_CURATOR_ID)
    repo: RoadmapRepo = running.service("roadmap")
    await repo.mark_done("1.1", 2026, date(2026, 8, 20), "Приказ № 45", CURATOR_ID)
    assert running.settings.roadmap.remind_days == 7

    clock.set(msk(2026, 8, 23))  # 8 days before 31 August: nothing yet
    await tick(running)
    assert await running.db.fetchval("SELECT COUNT(*) FROM outbox WHERE kind='roadmap'") == 0

    clock.set(msk(2026, 8, 24))  # 7 days before: «Скоро срок» for 1.2–1.6, not for 1.1 (done)
    await tick(running)
    await tick(running)
    await tg.wait_for(lambda: len(texts_with(curator, "Скоро срок")) >= 5 and len(texts_with(other, "Скоро срок")) >= 5)
    clock.set(msk(2026, 8, 25))  # the day after: the catch-up finds the same reminders, already queued
    await tick(running)
    soon = texts_with(curator, "Скоро срок")
    assert len(soon) == 5 and len(texts_with(other, "Скоро срок")) == 5
    assert sorted(t.split("Пункт ")[1].split(":")[0] for t in soon) == ["1.2", "1.3", "1.4", "1.5", "1.6"]
    assert all("31.08.2026 (через 7 дней)" in t for t in soon)

    clock.set(msk(2026, 8, 31))  # the due day: no «Срок прошёл» yet
    await tick(running)
    assert await running.db.fetchval("SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE '%:overdue:%'") == 0

    clock.set(msk(2026, 9, 1))  # the day after: «Срок прошёл» for the five, once each
    await tick(running)
    await tick(running)
    await tg.wait_for(lambda: len(texts_with(curator, "Срок прошёл")) >= 5)
    overdue = texts_with(curator, "Срок прошёл")
    assert len(overdue) == 5 and all("31.08.2026" in t for t in overdue)
    assert not [t for t in overdue if "пункт 1.1 " in t]
    assert not [t for t in await queued_to(running, CURATOR_ID, "Срок прошёл") if "пункт 1.1 " in t]
    assert await running.db.fetchval("SELECT COUNT(*) FROM outbox WHERE kind='roadmap'") == 20  # 5×2 curators×2
    assert (
        await running.db.fetchval("SELECT COUNT(*) FROM outbox WHERE kind='roadmap' AND chat_id=?", (STRANGER_ID,)) == 0
    )

    # The notice opens the item's card.
    notice = next(m for m in curator.replies() if "Срок прошёл" in (m.text or "") and "пункт 1.2 " in (m.text or ""))
    await curator.click("Открыть пункт", notice)
    assert "просрочено" in (await curator.expect("Пункт 1.2 ·")).text

    # The number of days comes from the setting (ROADMAP_REMIND_DAYS).
    roadmap_settings = RoadmapSettings(_env_file=None, ROADMAP_REMIND_DAYS=3)  # type: ignore[call-arg]
    three_days = dataclasses.replace(running.settings, roadmap=roadmap_settings)
    assert three_days.roadmap.remind_days == 3
    queued = await roadmap_reminders(repo, running.service("outbox"), three_days, msk(2026, 9, 12))
    assert queued == 8  # 2.1, 2.2, 4.1, 4.4 are due on 15.09: 4 items × 2 curators
    assert await roadmap_reminders(repo, running.service("outbox"), three_days, msk(2026, 9, 12)) == 0
    await tg.wait_for(lambda: any("15.09.2026 (через 3 дня)" in t for t in texts_with(curator, "Скоро срок")))


async def test_the_curator_adds_edits_and_deletes_items(tg: FakeTelegram, running: RunningBot) -> None:
    curator = tg.user(CURATOR_ID)
    listing = await open_section(curator, 4)
    await curator.click("Добавить пункт", listing)
    await curator.expect("например, «4.7»")
    for typed, answer in (
        ("5.1", "не из раздела 4"),
        ("4.1", "Пункт 4.1 уже есть"),
        ("четыре", "Номер пункта «четыре» не подходит"),
    ):
        await curator.send(typed)
        await curator.expect(answer)
    await curator.send("п. 4.7.")
    await curator.expect("Пункт 4.7. Напишите содержание")
    await curator.send_sticker()
    await curator.expect("Напишите ответ текстом")
    await curator.send("Выставка проектов пар наставничества")
    await curator.expect("Напишите срок")
    for typed, answer in (
        ("до 31.02", "Такой даты нет"),
        ("15.10.2028", "не входит в 2026/2027 учебный год"),
        ("когда-нибудь", "Не понял срок"),
    ):
        await curator.send(typed)
        await curator.expect(answer)
    await curator.send("до 15 октября")
    await curator.expect("Срок: до 15.10.2026")
    await curator.send("Фотоотчёт на сайте")
    await curator.expect("Кто ответственный")
    await curator.send(" , ")
    await curator.expect("Укажите ответственных")
    await curator.send("куратор внедрения ЦМН, рабочая группа")
    card = await curator.expect("Пункт 4.7 добавлен")
    assert "Выставка проектов пар наставничества" in card.text
    assert "Срок: до 15.10.2026" in card.text and "Ответственные: Куратор, Рабочая группа" in card.text
    assert "Ожидаемый результат: Фотоотчёт на сайте" in card.text

    # It survives a restart; then its deadline is edited.
    await running.restart()
    card = await open_item(curator, "4.7")
    await curator.click("Изменить", card)
    await curator.click("Срок", await curator.expect("что изменить?"))
    await curator.expect("Сейчас:\nдо 15.10")
    await curator.send("как получится")
    await curator.expect("Не понял срок")
    await curator.send("ноябрь")
    card = await curator.expect("Пункт 4.7 сохранён")
    assert "Срок: ноябрь 2026 (до 30.11.2026)" in card.text and "Выставка проектов" in card.text

    # A shipped item's content is edited; «Отмена» leaves an edit untouched.
    card = await open_item(curator, "4.5")
    await curator.click("Изменить", card)
    await curator.click("Содержание", await curator.expect("что изменить?"))
    await curator.send("Встречи пар по этапам: знакомство, пробная встреча, планирование")
    assert "Встречи пар по этапам" in (await curator.expect("Пункт 4.5 сохранён")).text
    await curator.click("Изменить")
    await curator.click("Ожидаемый результат", await curator.expect("что изменить?"))
    await curator.click("Отмена", await curator.expect("Сейчас:"))
    card = await curator.expect("Пункт 4.5 ·")
    await curator.send("Этот текст никуда не запишется")
    await curator.expect("Не понимаю это сообщение")
    assert (await running.service("roadmap").roadmap()).item("4.5").content.startswith("Встречи пар по этапам")

    # Delete: asked first; «Нет» keeps it, «Да» removes it with its marks.
    card = await open_item(curator, "4.7")
    await running.service("roadmap").mark_done("4.7", 2026, date(2026, 9, 7), None, CURATOR_ID)
    await curator.click("Удалить", card)
    await curator.click("Нет, оставить", await curator.expect("Удалить пункт 4.7"))
    card = await curator.expect("Пункт 4.7 ·")
    stale_card = card
    await curator.click("Удалить", card)
    await curator.click("Да, удалить", await curator.expect("Удалить пункт 4.7"))
    listing = await curator.expect("Пункт 4.7 удалён")
    assert "4.7" not in " ".join(listing.button_texts()) and "4.6" in " ".join(listing.button_texts())
    assert await running.db.fetchval("SELECT COUNT(*) FROM roadmap_states WHERE number='4.7'") == 0
    await curator.click_data(stale_card.button_data()[0], stale_card.message_id)
    await tg.wait_for(lambda: "больше нет" in (curator.callback_answers()[-1].get("text") or ""))

    # A shipped item can be deleted as well.
    card = await open_item(curator, "2.4")
    await curator.click("Удалить", card)
    await curator.click("Да, удалить", await curator.expect("Удалить пункт 2.4"))
    listing = await curator.expect("Пункт 2.4 удалён")
    assert [b.split()[-1] for b in listing.button_texts()[:3]] == ["2.1", "2.2", "2.3"]
    assert (await running.service("roadmap").roadmap()).item("2.4") is None

    assert await audit_actions(running) == [
        ("roadmap.add", "4.7"),
        ("roadmap.edit", "4.7"),
        ("roadmap.edit", "4.5"),
        ("roadmap.delete", "4.7"),
        ("roadmap.delete", "2.4"),
    ]


async def test_the_xlsx_export_lists_statuses_and_attached_documents(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    curator = tg.user(CURATOR_ID)
    clock.set(msk(2026, 8, 20))
    card = await open_item(curator, "1.3")
    await curator.click("Выполнено", card)
    await curator.send("Приказ № 46")
    await curator.click("Прикрепить файл", await curator.expect("отмечен выполненным"))
    await curator.send_document("prikaz-46-kurator.pdf", b"%PDF-1.4 order 46")
    await curator.expect("прикреплён к пункту 1.3")

    clock.set(msk(2026, 9, 7))
    await curator.send("/roadmap")
    await curator.click("Выгрузить XLSX", await curator.expect("Дорожная карта внедрения ЦМН"))
    await tg.wait_for(lambda: any(m.document for m in curator.replies()))
    sent = next(m for m in curator.replies() if m.document)
    assert sent.document is not None and sent.document["file_name"] == "dorozhnaya-karta-2026-2027.xlsx"
    assert "контрольный материал п. 6.1" in (sent.text or "")
    book = openpyxl.load_workbook(io.BytesIO(sent.document["content"]))
    sheet = book["Дорожная карта"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and isinstance(row[0], str)}
    assert rows["1.3"][5] == "выполнено" and rows["1.3"][8] == "prikaz-46-kurator.pdf"
    assert rows["1.3"][7] == "Приказ № 46"
    assert rows["1.1"][5] == "просрочено" and rows["4.1"][5] == "выполняется"
    assert ("roadmap.export", "2026/2027") in await audit_actions(running)


async def test_nobody_but_a_curator_sees_the_roadmap(tg: FakeTelegram, running: RunningBot) -> None:
    stranger = tg.user(STRANGER_ID, "Незнакомец")
    await stranger.send("/roadmap")
    reply = await stranger.next_reply()
    assert "Дорожная карта" not in (reply.text or "") and not reply.buttons

    for forged in (
        RoadmapCb(a="card", y=2026, n="1.1"),
        RoadmapCb(a="xlsx", y=2026),
        RoadmapCb(a="done", y=2026, n="1.1"),
        RoadmapCb(a="delok", y=2026, n="1.1"),
    ):
        await stranger.click_data(forged.pack(), reply.message_id)
    await tg.wait_for(lambda: len(stranger.callback_answers()) == 4)
    assert all("уже не действует" in (a.get("text") or "") for a in stranger.callback_answers())
    shown = " ".join(m.text or "" for m in stranger.replies())
    assert "Пункт 1.1" not in shown and "Приказ" not in shown
    assert not any(m.document for m in stranger.replies())
    assert not await queued_to(running, STRANGER_ID)
    assert await running.db.fetchval("SELECT COUNT(*) FROM roadmap_items") == 0
    assert await audit_actions(running) == []

    # A curator's forged year or a gone item gets a friendly answer, not a crash.
    curator = tg.user(CURATOR_ID)
    await curator.send("/roadmap")
    home = await curator.expect("Дорожная карта внедрения ЦМН")
    await curator.click_data(RoadmapCb(a="card", y=1999, n="1.1").pack(), home.message_id)
    await curator.click_data(RoadmapCb(a="card", y=2026, n="9.9").pack(), home.message_id)
    await tg.wait_for(lambda: len(curator.callback_answers()) >= 2)
    answers = [a.get("text") or "" for a in curator.callback_answers()[-2:]]
    assert "уже не действует" in answers[0] and "больше нет" in answers[1]
