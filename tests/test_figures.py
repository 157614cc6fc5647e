"""The curator's monitoring figures (issue 12), each asserted on a programme built for the test: /summary text and
the export's sheets read back with openpyxl."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from bot.monitoring import GROWTH_ENTRY
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram
from bot.settings import Settings
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import answer_anything, mentor_answers, pupil_answers, seed_participant

TP = Form.TEACHER_PUPIL


async def _pupils(running: RunningBot, count: int, first: int = 1) -> list[int]:
    return [
        await seed_participant(running, 700 + n, Role.MENTEE_PUPIL, TP, pupil_answers(f"Ученик {n}", []))
        for n in range(first, first + count)
    ]


async def _campaign(
    running: RunningBot, clock: FakeClock, survey: str, kind: str, answers: dict[int, dict[str, object]]
) -> int:
    """A campaign opened now whose recipients answered `answers` (written through the repositories)."""
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


async def _summary(tg: FakeTelegram) -> str:
    curator = tg.user(CURATOR_ID)
    await curator.send("/summary")
    return (await curator.expect("Сводка программы")).text or ""


async def _export(tg: FakeTelegram) -> openpyxl.Workbook:
    curator = tg.user(CURATOR_ID)
    before = len([m for m in curator.replies() if m.document])
    await curator.send("/export")
    await tg.wait_for(lambda: len([m for m in curator.replies() if m.document]) > before, timeout=10)
    document = [m.document for m in curator.replies() if m.document][-1]
    return openpyxl.load_workbook(io.BytesIO(document["content"]))


def _rows(workbook: openpyxl.Workbook, title_start: str) -> list[list[object]]:
    sheet = workbook[next(t for t in workbook.sheetnames if t.startswith(title_start))]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _section(text: str, header: str) -> str:
    return text.split(header, 1)[1].split("\n\n", 1)[0]


async def test_quality_is_reported_per_monitoring_period_over_all_its_campaigns(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    pupils = await _pupils(running, 10)
    # The December calendar campaign: 8 answered, scores 6..10.
    clock.set(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    december = [6, 7, 8, 9, 10, 6, 7, 8]
    answers = {pid: {"satisfaction": s} for pid, s in zip(pupils[:8], december, strict=True)}
    await _campaign(running, clock, "quality", "quality", answers)
    # The next day the curator surveys three people of one form: two new ones and one who answered already
    # (counted once, by the latest answer: 6 → 4).
    clock.advance(days=1)
    later = {pupils[8]: {"satisfaction": 3}, pupils[9]: {"satisfaction": 3}, pupils[0]: {"satisfaction": 4}}
    await _campaign(running, clock, "quality", "quality", later)
    expected_december = (sum(december) - 6 + 3 + 3 + 4) / 10  # 6.5 over 10 people

    text = await _summary(tg)
    quality = _section(text, "Качество по периодам мониторинга")
    assert "декабрь 2026 (опросов: 2)" in quality
    assert "Совместная работа: 6,5 (10)" in quality
    assert "3,3 (3)" not in text

    # A May campaign does not hide December: each period keeps its own line.
    clock.set(datetime(2027, 5, 3, 6, 0, tzinfo=UTC))
    await _campaign(running, clock, "quality", "quality", {pid: {"satisfaction": 9} for pid in pupils[:3]})
    quality = _section(await _summary(tg), "Качество по периодам мониторинга")
    assert "декабрь 2026 (опросов: 2)\nСовместная работа: 6,5 (10)" in quality
    assert "май 2027 (опросов: 1)\nСовместная работа: 9,0 (3)" in quality

    workbook = await _export(tg)
    municipal = {row[0]: row[1:] for row in _rows(workbook, "Для муниципального")}
    assert municipal["Средняя удовлетворённость (1–10), декабрь 2026"] == [None, expected_december, 10]
    assert municipal["Средняя удовлетворённость (1–10), май 2027"] == [None, 9.0, 3]
    monitoring = _rows(workbook, "Мониторинг")
    assert ["Качество, декабрь 2026", "Совместная работа", expected_december, 10] in monitoring
    assert ["Качество, май 2027", "Совместная работа", 9.0, 3] in monitoring


async def test_growth_pairs_the_entry_with_the_latest_end_however_the_campaign_was_launched(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    users = [tg.user(700 + n) for n in (1, 2, 3)]
    pupils = await _pupils(running, 3)
    # The entry self-assessment, as the bot sends it when a pair starts.
    entry = {pid: {"motivation": 5 + n} for n, pid in enumerate(pupils)}
    await _campaign(running, clock, "growth", GROWTH_ENTRY, entry)

    # The end one: the curator starts it with /campaign; everybody answers 8 to every item.
    clock.advance(days=200)
    curator = tg.user(CURATOR_ID)
    await curator.send("/campaign")
    await curator.click("Самооценка (рост участников)", await curator.expect("Какой опрос"))
    await curator.click("Всем участникам", await curator.expect("Кому?"))
    await curator.click("7 дн.", await curator.expect("Сколько дней"))
    await curator.click("Запустить", await curator.expect("Получателей: 3"))
    await curator.expect("Опрос запущен")
    for user in users:
        await user.click("Ответить", await user.expect("Самооценка"))
        await user.click("Всё верно", await answer_anything(user))
        await user.expect("Ответы сохранены")

    growth = _section(await _summary(tg), "Рост: начало → конец")
    assert "Мотивация: 6,0 → 8,0 (3)" in growth  # (5 + 6 + 7) / 3 → 8

    # A later end answer replaces the person's earlier one (one pair of answers per person).
    clock.advance(days=3)
    await _campaign(running, clock, "growth", "growth", {pupils[0]: {"motivation": 10}})
    growth = _section(await _summary(tg), "Рост: начало → конец")
    assert "Мотивация: 6,0 → 8,7 (3)" in growth  # (10 + 8 + 8) / 3
    monitoring = _rows(await _export(tg), "Мониторинг")
    end = next(row for row in monitoring if row[0] == "Рост: конец" and row[1] == "Мотивация")
    assert end[2:] == [26 / 3, 3]


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    """The programme's contingent for the municipal shares: 35 teachers, 100 pupils."""
    base = make_settings()
    monitoring = base.monitoring.model_copy(update={"contingent_teachers": 35, "contingent_pupils": 100})
    return dataclasses.replace(base, monitoring=monitoring)


async def test_teachers_share_counts_what_people_are_and_is_written_as_numbers(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    await _pupils(running, 3)
    for n in (1, 2):
        answers = {"name": f"Молодой педагог {n}"}
        await seed_participant(running, 750 + n, Role.MENTEE_TEACHER, Form.TEACHER_TEACHER, answers)
    positions = ["teacher", "teacher", "methodist", "school_teacher", "teacher", "student", "senior_pupil"]
    mentors = [
        await seed_participant(running, 760 + n, Role.MENTOR, TP, {**mentor_answers(f"Наставник {n}", [], 2),
                                                                    "position": position})
        for n, position in enumerate(positions)
    ]  # fmt: skip
    await running.service("participants").set_adult(mentors[-1], False, None)  # the 16-year-old mentor

    workbook = await _export(tg)
    sheet = workbook[next(t for t in workbook.sheetnames if t.startswith("Для муниципального"))]
    rows = {row[0].value: row[1:] for row in sheet.iter_rows() if row[0].value}
    teachers = rows["Доля педагогов, вовлечённых в наставничество, %"]
    assert [c.value for c in teachers] == [7, 20.0, 35]  # 2 young teachers + 5 teacher mentors of 35
    pupils = rows["Доля обучающихся, вовлечённых в наставничество, %"]
    assert [c.value for c in pupils] == [4, 4.0, 100]  # 3 pupils + the senior-pupil mentor of 100
    assert all(c.data_type == "n" for c in (*teachers, *pupils))
    assert rows["Наставников (с согласием)"][0].value == 7


async def test_best_mentor_ranking_counts_one_vote_per_mentee_per_year(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    olga = await seed_participant(running, 771, Role.MENTOR, TP, mentor_answers("Лебедева Ольга Николаевна", [], 3))
    ivan = await seed_participant(running, 772, Role.MENTOR, TP, mentor_answers("Петров Иван Ильич", [], 1))
    masha, petya, kolya = await _pupils(running, 3)
    matching = running.service("matching")
    first = await matching.create_pairs(
        TP, [ProposedGroup(olga, [(masha, 9.0, "")]), ProposedGroup(ivan, [(kolya, 8.0, "")])], CURATOR_ID
    )
    clock.advance(days=30)
    final = {"mentor_rating": 9, "nominate": "yes"}
    await _campaign(running, clock, "final", "final", {masha: final, kolya: final})

    # Both pairs are dissolved; Маша comes back to her mentor, Коля goes to her too, Петя joins.
    clock.advance(days=1)
    for pair_id in first:
        await matching.dissolve(pair_id, "test")
    clock.advance(days=1)
    await matching.create_pairs(
        TP, [ProposedGroup(olga, [(masha, 9.0, ""), (petya, 7.0, ""), (kolya, 5.0, "")])], CURATOR_ID
    )
    # Петя answers two final surveys of the year: his latest one counts.
    clock.advance(days=10)
    await _campaign(running, clock, "final", "final", {petya: {"mentor_rating": 10, "nominate": "yes"}})
    clock.advance(days=10)
    await _campaign(running, clock, "final", "final", {petya: {"mentor_rating": 7, "nominate": "yes"}})

    top = _section(await _summary(tg), "Лучшие наставники")
    # Маша once (not again for the re-formed pair), Петя once; Коля's vote stays with the mentor he rated.
    assert "1. Лебедева Ольга Николаевна: 2; мало ответов" in top
    assert "2. Петров Иван Ильич: 1; мало ответов" in top
    ranking = await running.service("reports").mentor_ranking()
    assert [(r.name, r.ratings, r.mean, r.nominations) for r in ranking] == [
        ("Лебедева Ольга Николаевна", 2, 8.0, 2),
        ("Петров Иван Ильич", 1, 9.0, 1),
    ]
