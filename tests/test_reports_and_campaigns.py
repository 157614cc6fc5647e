"""Monitoring campaigns with an injected clock, and the curator's reports checked against hand-computed values."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl

from bot.meetings import Stage
from bot.monitoring import GROWTH_END, GROWTH_ENTRY
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import answer_anything, mentor_answers, pupil_answers, queued, seed_participant

TP = Form.TEACHER_PUPIL
PNG = b"\x89PNG\r\n\x1a\n"


async def _programme(running: RunningBot, tg: FakeTelegram | None = None) -> dict[str, int]:
    if tg is not None:
        for telegram_id in (801, 802, 803, 804, 901, 902):
            tg.user(telegram_id)
    ids = {}
    for n, name in enumerate(("Маша", "Петя", "Оля", "Коля"), start=1):
        ids[name] = await seed_participant(running, 800 + n, Role.MENTEE_PUPIL, TP, pupil_answers(name, []))
    ids["Анна"] = await seed_participant(running, 901, Role.MENTOR, TP, mentor_answers("Анна", [], 3))
    ids["Иван"] = await seed_participant(running, 902, Role.MENTOR, TP, mentor_answers("Иван", [], 1))
    matching = running.service("matching")
    await matching.create_pairs(
        TP,
        [
            ProposedGroup(ids["Анна"], [(ids["Маша"], 9.0, ""), (ids["Петя"], 7.0, ""), (ids["Оля"], 5.0, "")]),
            ProposedGroup(ids["Иван"], [(ids["Коля"], 4.0, "")]),
        ],
        CURATOR_ID,
    )
    return ids


async def _campaign(running: RunningBot, clock: FakeClock, survey: str, kind: str, answers: dict[int, dict]) -> int:
    campaigns, participants = running.service("campaigns"), running.service("participants")
    questionnaire = {"quality": "quality_mentee", "growth": "growth", "final": "final_mentee"}[survey]
    campaign_id = await campaigns.create(
        survey=survey,
        kind=kind,
        segment="active",
        title=f"{survey} {kind}",
        opens_at=clock.now(),
        closes_at=clock.now() + timedelta(days=14),
        created_by=CURATOR_ID,
        recipients=[(pid, questionnaire) for pid in answers],
    )
    for pid, values in answers.items():
        for question_id, value in values.items():
            await participants.save_answer(pid, f"c{campaign_id}", question_id, value)
        await campaigns.complete(campaign_id, pid)
    return campaign_id


async def test_summary_charts_and_export_show_what_was_seeded(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    ids = await _programme(running)
    m, p, o, k = ids["Маша"], ids["Петя"], ids["Оля"], ids["Коля"]
    await _campaign(
        running,
        clock,
        "quality",
        "quality",
        {
            m: {"satisfaction": 8, "comfort": 10, "valuable": "Проект на конкурс"},
            p: {"satisfaction": 9, "comfort": 6},
            o: {"satisfaction": 10},
        },
    )
    await _campaign(
        running, clock, "growth", GROWTH_ENTRY, {m: {"motivation": 5}, p: {"motivation": 6}, o: {"motivation": 7}}
    )
    await _campaign(
        running, clock, "growth", GROWTH_END, {m: {"motivation": 8}, p: {"motivation": 8}, o: {"motivation": 9}}
    )
    await _campaign(
        running,
        clock,
        "final",
        "final",
        {
            m: {"mentor_rating": 10, "nominate": "yes"},
            p: {"mentor_rating": 8, "nominate": "yes"},
            k: {"mentor_rating": 6},
        },
    )
    meetings = running.service("meetings")
    pair_ids = [pair.id for pair in await running.service("matching").pairs()]
    held = await meetings.create(pair_ids[0], Stage.INTRO, clock.now() - timedelta(days=2), "СЮТ", None)
    await meetings.set_status(held.id, "held")
    missed = await meetings.create(pair_ids[1], Stage.INTRO, clock.now() - timedelta(days=1), "СЮТ", None)
    await meetings.set_status(missed.id, "not_held")
    await meetings.create(pair_ids[0], Stage.TRIAL, clock.now() + timedelta(days=3), "СЮТ", None)

    curator = tg.user(CURATOR_ID)
    await curator.send("/summary")
    summary = await curator.expect("Сводка программы")
    text = summary.text
    assert "Участники: 6" in text and "Согласия: 6 из 6" in text
    assert "педагог – обучающийся: пар 1, групп 1 (наставляемых 4)" in text
    assert "Встречи: состоялось 1, назначено 1, не состоялось 1" in text
    assert "Совместная работа: 9,0 (3)" in text  # satisfaction: (8 + 9 + 10) / 3
    assert "Комфорт общения в паре: мало ответов (2)" in text  # two answers only: not shown
    assert "6,0 → 8,3 (3)" in text  # motivation: (5+6+7)/3 → (8+8+9)/3
    assert "1. Анна: 2; мало ответов" in text  # two nominations, two ratings: no mean shown
    assert "Проект на конкурс" not in text  # free text never in the chat summary
    assert len(text) < 4096

    await curator.send("/menu")
    await curator.click("Графики", await curator.expect("Меню куратора"))
    await tg.wait_for(lambda: len([m for m in curator.replies() if m.photo]) == 3)
    await curator.send("/summary charts")
    await tg.wait_for(lambda: len([m for m in curator.replies() if m.photo]) == 6)
    for message in [m for m in curator.replies() if m.photo]:
        assert message.photo["content"].startswith(PNG) and len(message.photo["content"]) > 5000

    await curator.send("/export")
    await tg.wait_for(lambda: any(m.document for m in curator.replies()), timeout=10)
    document = next(m.document for m in curator.replies() if m.document)
    workbook = openpyxl.load_workbook(io.BytesIO(document["content"]))
    titles = workbook.sheetnames
    for expected in ("Наставляемые", "Наставники", "Пары и группы", "Встречи", "Ответы", "Мониторинг"):
        assert any(t.startswith(expected) for t in titles), (expected, titles)
    assert any(t.startswith("Персонифицированный") for t in titles)

    def cells(title_start: str) -> list[list[object]]:
        sheet = workbook[next(t for t in titles if t.startswith(title_start))]
        return [[c.value for c in row] for row in sheet.iter_rows()]

    monitoring = cells("Мониторинг")
    flat = [row for row in monitoring if row and str(row[0]).startswith("Качество")]
    satisfaction = next(row for row in flat if row[1] == "Совместная работа")
    assert satisfaction[2] == 9.0 and satisfaction[3] == 3
    comfort = next(row for row in flat if row[3] == 2)
    assert comfort[2] is None
    answers = cells("Ответы")
    assert any("Проект на конкурс" in str(v) for row in answers for v in row)
    accounting = cells("Персонифицированный")
    masha = next(row for row in accounting if row[1] == "Маша")
    assert masha[-2] == 1 and masha[-1] == 5  # one held meeting; intake, quality, growth ×2, final
    assert {"summary.text", "summary.charts", "export.xlsx"} <= {
        r["action"] for r in await running.db.fetchall("SELECT action FROM audit_log")
    }


async def test_a_campaign_opens_nudges_closes_and_is_answered_in_chat(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    ids = await _programme(running, tg)
    curator, masha, petya = tg.user(CURATOR_ID), tg.user(801), tg.user(802)
    await curator.send("/campaign")
    await curator.click("Оценка качества программы", await curator.expect("Какой опрос"))
    await curator.click("Участникам пар и групп", await curator.expect("Кому?"))
    await curator.click("7 дн.", await curator.expect("Сколько дней"))
    preview = await curator.expect("Получателей: 6")
    await curator.click("Запустить", preview)
    await curator.expect("Опрос запущен")
    invite = await masha.expect("Оценка качества программы")
    await masha.click("Ответить", invite)
    summary = await answer_anything(masha)
    await masha.click("Всё верно", summary)
    await masha.expect("Ответы сохранены")
    await masha.click("Ответить", invite)
    await tg.wait_for(lambda: "Ответы на этот опрос уже получены" in (masha.callback_answers()[-1].get("text") or ""))
    stored = await running.db.fetchval(
        "SELECT COUNT(*) FROM answers WHERE participant_id=? AND questionnaire_id LIKE 'c%'", (ids["Маша"],)
    )
    assert stored >= 10
    mentor_invite = await tg.user(901).expect("Оценка качества программы")
    await tg.user(901).click("Ответить", mentor_invite)
    await tg.user(901).expect("Анкета наставника: качество программы")
    await tg.user(901).expect("Вопрос 1 из")  # a mentor gets the mentor questionnaire of the set

    petya_invite = await petya.expect("Оценка качества программы")
    clock.advance(days=3)
    await running.service("jobs").tick()
    await petya.expect("Напоминание: опрос")
    assert not await queued(running, 801, "Напоминание: опрос")  # she has answered
    assert not [x for x in masha.replies() if "Напоминание: опрос" in (x.text or "")]
    await running.service("jobs").tick()
    assert len(await queued(running, 802, "Напоминание: опрос")) == 1
    assert len([x for x in petya.replies() if "Напоминание: опрос" in (x.text or "")]) == 1

    clock.advance(days=5)
    await running.service("jobs").tick()
    closed = await curator.expect("закрыт: ответили 1 из 6")
    assert "Оценка качества" in closed.text
    await petya.click("Ответить", petya_invite)
    await tg.wait_for(lambda: any("закрыт" in (a.get("text") or "") for a in petya.callback_answers()))


async def test_the_programme_calendar_opens_december_monitoring_once(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    await _programme(running, tg)

    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    await running.service("jobs").tick()
    await running.service("jobs").tick()
    rows = await running.db.fetchall("SELECT survey, calendar_key FROM campaigns")
    assert [(r["survey"], r["calendar_key"]) for r in rows if r["calendar_key"].startswith("quality")] == [
        ("quality", "quality:2026-12-01")
    ]
    await tg.user(801).expect("Оценка качества программы")


async def test_a_pair_confirmation_sends_the_entry_self_assessment(tg: FakeTelegram, running: RunningBot) -> None:
    await seed_participant(running, 801, Role.MENTEE_PUPIL, TP, pupil_answers("Маша", ["proj_robotics"]))
    await seed_participant(running, 901, Role.MENTOR, TP, mentor_answers("Анна", ["proj_robotics"], 1))
    tg.user(801), tg.user(901)
    curator = tg.user(CURATOR_ID)
    await curator.send("/match")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click("Утвердить", await curator.expect("Черновик подбора"))
    await curator.expect("Утверждено")
    await tg.user(801).expect("Ваш наставник — Анна")  # who the partner is comes first
    invite = await tg.user(801).expect("Самооценка в начале работы пары")
    assert invite.button_texts() == ["Ответить"]
    kinds = [r["kind"] for r in await running.db.fetchall("SELECT kind FROM campaigns")]
    assert kinds == [GROWTH_ENTRY]


async def test_strangers_get_no_reports(tg: FakeTelegram, running: RunningBot) -> None:
    await _programme(running)
    masha = tg.user(801)
    for command in ("/summary", "/export", "/campaign", "/summary charts"):
        await masha.send(command)
        reply = await masha.next_reply()
        assert "Сводка" not in (reply.text or "") and not reply.document and not reply.photo
    await masha.click_data("rp:export", reply.message_id)  # a forged curator button
    await tg.wait_for(lambda: any("не действует" in (a.get("text") or "") for a in masha.callback_answers()))
    assert not [m for m in masha.replies() if m.document]
    assert not await running.db.fetchval("SELECT COUNT(*) FROM outbox WHERE chat_id=801 AND media_kind IS NOT NULL")


async def test_a_campaign_for_one_side_of_a_form_or_one_pair(tg: FakeTelegram, running: RunningBot) -> None:
    ids = await _programme(running, tg)
    curator = tg.user(CURATOR_ID)
    await curator.send("/campaign")
    await curator.click("Самооценка (рост участников)", await curator.expect("Какой опрос"))
    await curator.click("Форме наставничества…", await curator.expect("Кому?"))
    await curator.click("педагог – обучающийся: наставники", await curator.expect("Кому?"))
    await curator.click("14 дн.", await curator.expect("Сколько дней"))
    await curator.click("Запустить", await curator.expect("Получателей: 2"))
    await curator.expect("Опрос запущен: 2")
    await tg.user(901).expect("Самооценка")
    await tg.user(902).expect("Самооценка")
    assert not [m for m in tg.user(801).replies() if "Самооценка" in (m.text or "")]
    assert not await queued(running, 801, "Самооценка")
    ivan_pair = next(p for p in await running.service("matching").pairs() if p.mentor and p.mentor.id == ids["Иван"])
    await curator.send("/campaign")
    await curator.click("Оценка качества программы", await curator.expect("Какой опрос"))
    await curator.click("Одной паре или группе…", await curator.expect("Кому?"))
    await curator.click(f"№{ivan_pair.id} Иван", await curator.expect("Кому?"))
    await curator.click("7 дн.", await curator.expect("Сколько дней"))
    await curator.click("Запустить", await curator.expect("Получателей: 2"))
    await tg.user(804).expect("Оценка качества программы")
    await tg.user(902).expect("Оценка качества программы")
    assert not [m for m in tg.user(901).replies() if "Оценка качества" in (m.text or "")]
    assert not await queued(running, 901, "Оценка качества")


async def test_a_second_campaign_of_the_same_survey_is_warned_about(tg: FakeTelegram, running: RunningBot) -> None:
    await _programme(running, tg)
    curator = tg.user(CURATOR_ID)

    async def preview(survey: str) -> str:
        await curator.send("/campaign")
        await curator.click(survey, await curator.expect("Какой опрос"))
        await curator.click("Участникам пар и групп", await curator.expect("Кому?"))
        await curator.click("7 дн.", await curator.expect("Сколько дней"))
        return (await curator.expect("Получателей:")).text or ""

    first = await preview("Оценка качества программы")
    assert "уже идёт" not in first
    await curator.click("Запустить")
    started = await curator.expect("Опрос запущен")
    total = int(started.text.split("Опрос запущен: ")[1].split()[0])

    second = await preview("Оценка качества программы")
    assert f"⚠️ Такой опрос уже идёт: «Оценка качества программы», ответы до 14.09.2026, ответили 0 из {total}" in (
        second
    )
    # Another survey has no such warning, and nothing was queued by looking at the previews.
    other = await preview("Самооценка (рост участников)")
    assert "уже идёт" not in other
    assert await running.db.fetchval("SELECT COUNT(*) FROM campaigns WHERE kind='quality'") == 1


async def test_the_campaign_preview_can_be_cancelled(tg: FakeTelegram, running: RunningBot) -> None:
    await _programme(running, tg)
    curator = tg.user(CURATOR_ID)
    await curator.send("/campaign")
    await curator.click("Оценка качества программы", await curator.expect("Какой опрос"))
    await curator.click("Участникам пар и групп", await curator.expect("Кому?"))
    await curator.click("7 дн.", await curator.expect("Сколько дней"))
    preview = await curator.expect("Получателей:")
    assert preview.button_texts() == ["Запустить", "Отмена"]
    await curator.click("Отмена", preview)
    closed = await curator.expect("Опрос не запущен")
    assert closed.message_id == preview.message_id and closed.button_texts() == []
    assert await running.db.fetchval("SELECT COUNT(*) FROM campaigns") == 0
    assert await running.db.fetchval("SELECT COUNT(*) FROM outbox WHERE kind='campaign'") == 0
