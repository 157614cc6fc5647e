"""Finishing the programme year (issue 12): the year goes to the archive — its pairs, meetings and figures stay
readable and exportable as that year's — and /match does not recreate last year's groups on its own."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl

from bot.i18n import tr
from bot.meetings import Stage
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import mentor_answers, pupil_answers, queued, seed_participant

TP = Form.TEACHER_PUPIL
PUPILS = (801, 802, 803)
MENTORS = (901, 902)


async def _year(tg: FakeTelegram, running: RunningBot, clock: FakeClock) -> dict[str, int]:
    """A programme year: three pupils and two mentors matched with /match (one pair, one group of two), a meeting
    held, a quality survey answered by the three pupils and a final survey where Маша says she will continue."""
    # The year's months pass in a moment: the scheduler's ticks (quiet-pair alerts, nudges) would come at whatever
    # real time they fall on; nothing here is about them.
    assert running.app is not None
    running.app.dp["scheduler"].pause()
    ids = {
        "masha": await seed_participant(running, 801, Role.MENTEE_PUPIL, TP, pupil_answers("Маша", ["proj_robotics"])),
        "petya": await seed_participant(running, 802, Role.MENTEE_PUPIL, TP, pupil_answers("Петя", ["proj_coding"])),
        "olya": await seed_participant(running, 803, Role.MENTEE_PUPIL, TP, pupil_answers("Оля", ["profession"])),
        "anna": await seed_participant(
            running, 901, Role.MENTOR, TP, mentor_answers("Анна Сергеевна", ["proj_robotics"], 1)
        ),
        "ivan": await seed_participant(
            running, 902, Role.MENTOR, TP, mentor_answers("Иван Петрович", ["proj_coding", "profession"], 2)
        ),
    }
    for telegram_id in (*PUPILS, *MENTORS):
        tg.user(telegram_id)
    curator = tg.user(CURATOR_ID)
    await curator.send("/match")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click("Утвердить", await curator.expect("Черновик подбора"))
    await curator.expect("Утверждено")
    await curator.expect(tr("pairs-xlsx-caption"))
    await curator.expect(tr("order-docx-caption"))
    for telegram_id in PUPILS:
        await tg.user(telegram_id).expect_all(tr("growth-entry-title"), "Ваш наставник")
    for telegram_id in MENTORS:
        await tg.user(telegram_id).expect_all(tr("growth-entry-title"), "Вам закреплены")
    pairs = await running.db.fetchall("SELECT id FROM pairs ORDER BY id")
    assert len(pairs) == 2
    meetings = running.service("meetings")
    held = await meetings.create(pairs[0]["id"], Stage.INTRO, clock.now() + timedelta(days=3), "каб. 12", None)
    await meetings.set_status(held.id, "held")
    await meetings.create(pairs[1]["id"], Stage.INTRO, clock.now() + timedelta(days=300), "каб. 14", None)
    clock.advance(days=90)
    await _campaign(running, clock, "quality", {ids["masha"]: 9, ids["petya"]: 8, ids["olya"]: 7})
    clock.advance(days=150)
    await _campaign(running, clock, "final", {ids["masha"]: 10}, extra={"continue": "yes"})
    clock.advance(days=10)
    return ids


async def _campaign(
    running: RunningBot, clock: FakeClock, survey: str, scores: dict[int, int], extra: dict[str, object] | None = None
) -> int:
    campaigns, participants = running.service("campaigns"), running.service("participants")
    questionnaire = {"quality": "quality_mentee", "final": "final_mentee"}[survey]
    campaign_id = await campaigns.create(
        survey=survey,
        kind="manual",
        segment="active",
        title=f"Опрос {survey}",
        opens_at=clock.now(),
        closes_at=clock.now() + timedelta(days=14),
        created_by=CURATOR_ID,
        recipients=[(pid, questionnaire) for pid in scores],
    )
    assert campaign_id is not None
    for pid, score in scores.items():
        await participants.save_answer(pid, f"c{campaign_id}", "satisfaction", score)
        for question_id, value in (extra or {}).items():
            await participants.save_answer(pid, f"c{campaign_id}", question_id, value)
        await campaigns.complete(campaign_id, pid)
    return campaign_id


async def _workbook(tg: FakeTelegram, command: str) -> openpyxl.Workbook:
    curator = tg.user(CURATOR_ID)
    before = len([m for m in curator.replies() if m.document])
    await curator.send(command)
    await tg.wait_for(lambda: len([m for m in curator.replies() if m.document]) > before, timeout=10)
    document = [m.document for m in curator.replies() if m.document][-1]
    return openpyxl.load_workbook(io.BytesIO(document["content"]))


def _cells(workbook: openpyxl.Workbook, title_start: str) -> list[str]:
    sheet = workbook[next(t for t in workbook.sheetnames if t.startswith(title_start))]
    return [" | ".join(str(c.value) for c in row if c.value is not None) for row in sheet.iter_rows()]


async def _finish(tg: FakeTelegram) -> None:
    curator = tg.user(CURATOR_ID)
    await curator.send("/pairs")
    await curator.click("Завершить программу года", await curator.expect("Пары и группы (2)"))
    await curator.click("Да, завершить", await curator.expect("Вы уверены"))


async def test_finishing_the_year_asks_first_and_cancel_keeps_the_pairs(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    await _year(tg, running, clock)
    curator = tg.user(CURATOR_ID)
    await curator.send("/pairs")
    await curator.click("Завершить программу года", await curator.expect("Пары и группы (2)"))
    confirm = await curator.expect("Вы уверены, что хотите завершить программу 2026-27?")
    text = confirm.text or ""
    assert "Закончат работу пары и группы: 2" in text
    assert "Пары, встречи и показатели года перейдут в архив" in text and "/export 2026-27" in text
    assert "когда подтвердят участие в следующем году" in text
    assert confirm.button_texts() == ["Да, завершить", "Отмена"]
    await curator.click("Отмена", confirm)
    listing = await curator.expect("Пары и группы (2)")
    assert listing.edited and listing.message_id == confirm.message_id
    assert await running.db.fetchval("SELECT COUNT(*) FROM programme_years") == 0
    assert await running.db.fetchval("SELECT COUNT(*) FROM pairs WHERE dissolved_at IS NULL") == 2
    for telegram_id in (*PUPILS, *MENTORS):
        assert not await queued(running, telegram_id, "завершена")


async def test_the_finished_year_stays_readable_and_exportable(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    ids = await _year(tg, running, clock)
    curator = tg.user(CURATOR_ID)
    await _finish(tg)
    done = await curator.expect("Программа 2026-27 завершена: закрыто пар и групп — 2")
    assert "/summary 2026-27" in (done.text or "") and "уже подтвердили (итоговая анкета): 1" in (done.text or "")
    year = await running.db.fetchone("SELECT * FROM programme_years")
    assert year["label"] == "2026-27" and year["started_at"] is None and year["finished_by"] == CURATOR_ID
    pairs = await running.db.fetchall("SELECT year_id, dissolved_at, dissolve_reason FROM pairs")
    assert {(p["year_id"], p["dissolved_at"], p["dissolve_reason"]) for p in pairs} == {
        (year["id"], year["finished_at"], tr("finish-reason"))
    }
    renewals = await running.db.fetchall("SELECT participant_id, source FROM year_renewals")
    assert [(r["participant_id"], r["source"]) for r in renewals] == [(ids["masha"], "final")]
    # The meeting planned past the end is cancelled: no reminder goes out for a pair that has finished.
    statuses = await running.db.fetchall("SELECT place, status FROM meetings ORDER BY id")
    assert [(m["place"], m["status"]) for m in statuses] == [("каб. 12", "held"), ("каб. 14", "cancelled")]
    for telegram_id in (*PUPILS, *MENTORS):
        thanks = await tg.user(telegram_id).expect("Программа наставничества этого года завершена")
        assert thanks.button_texts() == [tr("btn-renew")]

    # /pairs: nothing current, last year's pairs one tap away.
    await curator.send("/pairs")
    empty = await curator.expect(tr("pairs-empty"))
    assert empty.button_texts() == ["Архив 2026-27"]
    await curator.click("Архив 2026-27", empty)
    archived = await curator.expect("Архив 2026-27: пары и группы (2)")
    for name in ("Анна Сергеевна — Маша", "Иван Петрович — Петя, Оля"):
        assert name in (archived.text or "")

    # A pupil who joins after the finish is the new year's, not the archived one's.
    clock.advance(minutes=1)
    await seed_participant(running, 804, Role.MENTEE_PUPIL, TP, pupil_answers("Даша", []))
    # /summary: the current year is empty; last year's figures are under its own button and command.
    await curator.send("/summary")
    current = await curator.expect("Сводка программы")
    text = current.text or ""
    assert "Пары и группы\n—" in text and "Встречи: состоялось 0" in text and "Опросы\n—" in text
    assert "Качество по периодам мониторинга\n—" in text
    assert "Участники: 6" in text
    assert "Сводка 2026-27 (архив)" in current.button_texts() and "Выгрузка 2026-27 (архив)" in current.button_texts()
    await curator.click("Сводка 2026-27 (архив)", current)
    archive = await curator.expect("Сводка программы 2026-27")
    text = archive.text or ""
    assert "(архив; год завершён 15.05.2027)" in text
    assert "Участники: 5" in text and "наставляемый-обучающийся: 3" in text
    assert "педагог – обучающийся: пар 1, групп 1 (наставляемых 3)" in text
    assert "Встречи: состоялось 1, назначено 0" in text
    assert "«Опрос quality»: ответили 3 из 3" in text and "«Опрос final»: ответили 1 из 1" in text
    assert "декабрь 2026 (опросов: 1)" in text and ": 8,0 (3)" in text
    await curator.send("/summary 2026-27")
    assert (await curator.expect("Сводка программы 2026-27")).text == text
    await curator.send("/summary 2030-31")
    await curator.expect("Архивного года «2030-31» нет. В архиве: 2026-27.")

    # /export 2026-27: the year's pairs and meetings; the current export has none of them.
    workbook = await _workbook(tg, "/export 2026-27")
    document = [m for m in curator.replies() if m.document][-1]
    assert document.document["file_name"].startswith("nastavnichestvo-arhiv-2026-27-")
    assert "2026-27 (архив)" in (document.text or "")
    pair_rows = [row for row in _cells(workbook, "Пары") if "Сергеевна" in row or "Петрович" in row]
    assert len(pair_rows) == 2 and any("Петя" in row and "Оля" in row for row in pair_rows)
    assert len([row for row in _cells(workbook, "Встречи") if "каб. 12" in row]) == 1
    quality = [row for row in _cells(workbook, "Мониторинг") if row.startswith("Качество, декабрь 2026")]
    assert len(quality) == 1 and quality[0].endswith("| 8.0 | 3")
    workbook = await _workbook(tg, "/export")
    assert not [row for row in _cells(workbook, "Пары") if "Сергеевна" in row or "Петрович" in row]
    assert not [row for row in _cells(workbook, "Встречи") if "каб. 12" in row]
    assert not [row for row in _cells(workbook, "Мониторинг") if "декабрь 2026" in row]


async def test_match_does_not_recreate_last_years_groups(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    """Decided: a participant of the archived year's pairs is proposed again only after confirming they take part
    next year (the thank-you notice's button, or «Да» to «continue» in the year's final survey)."""
    ids = await _year(tg, running, clock)
    curator = tg.user(CURATOR_ID)
    await _finish(tg)
    await curator.expect("закрыто пар и групп — 2")
    for telegram_id in (*PUPILS, *MENTORS):
        await tg.user(telegram_id).expect("Программа наставничества этого года завершена")
    await curator.send("/match")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    draft = (await curator.expect("Черновик подбора")).text or ""
    assert "Наставляемых подобрано: 0 из 1" in draft
    for name in ("Петя", "Оля", "Анна Сергеевна", "Иван Петрович"):
        assert name not in draft

    ivan = tg.user(902)
    await ivan.click(tr("btn-renew"))
    await ivan.expect(tr("renewed", audience="adult"))
    await ivan.click(tr("btn-renew"))
    await ivan.expect(tr("renewed-already"))

    # Петя told the curator: she marks it on his archived group's card.
    await curator.send("/pairs")
    await curator.click("Архив 2026-27", await curator.expect(tr("pairs-empty")))
    await curator.click("№2 Иван Петрович", await curator.expect("Архив 2026-27: пары и группы (2)"))
    card = await curator.expect("Группа №")
    assert "архив 2026-27" in (card.text or "")
    assert "Участие в следующем году\nИван Петрович: да (ответ в боте)\nПетя: не подтверждено" in (card.text or "")
    assert card.button_texts() == ["↩ Петя участвует в новом году", "↩ Оля участвует в новом году", "← К списку"]
    await curator.click("↩ Петя участвует в новом году", card)
    card = await curator.expect("Петя: да (отметил куратор)")
    assert card.button_texts() == ["↩ Оля участвует в новом году", "← К списку"]
    renewals = await running.db.fetchall("SELECT participant_id, source FROM year_renewals ORDER BY participant_id")
    assert {(r["participant_id"], r["source"]) for r in renewals} == {
        (ids["masha"], "final"),
        (ids["petya"], "curator"),
        (ids["ivan"], "button"),
    }

    await curator.send("/match")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    draft = (await curator.expect("Черновик подбора")).text or ""
    assert "Наставляемых подобрано: 2 из 2" in draft and "Иван Петрович" in draft
    assert "Маша" in draft and "Петя" in draft
    for name in ("Оля", "Анна Сергеевна"):
        assert name not in draft


async def test_a_confirmation_left_in_the_chat_does_not_finish_the_next_year(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    ids = await _year(tg, running, clock)
    curator = tg.user(CURATOR_ID)
    await curator.send("/pairs")
    await curator.click("Завершить программу года", await curator.expect("Пары и группы (2)"))
    stale = await curator.expect("Вы уверены")
    await curator.send("/pairs")
    await curator.click("Завершить программу года", await curator.expect("Пары и группы (2)"))
    await curator.click("Да, завершить", await curator.expect("Вы уверены"))
    await curator.expect("закрыто пар и групп — 2")
    # The new year's first pair, then the first confirmation's «Да, завершить».
    group = ProposedGroup(ids["ivan"], [(ids["olya"], 1.0, "")])
    await running.service("matching").create_pairs(TP, [group], CURATOR_ID)
    answered = len(curator.callback_answers())
    await curator.click("Да, завершить", stale)
    await tg.wait_for(lambda: len(curator.callback_answers()) > answered)
    assert curator.callback_answers()[-1].get("text") == tr("stale-button")
    assert await running.db.fetchval("SELECT COUNT(*) FROM programme_years") == 1
    assert await running.db.fetchval("SELECT COUNT(*) FROM pairs WHERE dissolved_at IS NULL") == 1
