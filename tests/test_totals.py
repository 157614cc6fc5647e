"""Every total is the sum of its parts, and one question gets one number on every screen and sheet (issue 12).

One programme is built through the bot's flows and repositories: mentors (one of them a senior pupil), pupils,
young teachers, a child whose parent consented in the bot, a child still waiting for a parent, an adult who
opened an invite and has not consented yet, a pupil who withdrew from a group, an unpaired pupil who withdrew,
a mentor who withdrew from his pair, a dissolved pair, meetings held, planned and missed, quality and growth
surveys. Each figure is then read at least two ways: /summary, /participants, /pairs, the /export workbook
(its sheets and the municipal sheet) and the data of /summary charts.

The definitions (one per figure):
- participants: whoever joined by an invite and has not withdrawn, by the role they joined as (a parent who
  consented for a child is not a participant); «с согласием» is its part with a consent (self, parent's or
  paper). /summary's total is the sum of its role lines, and each role is the /participants figure;
- pairs and groups: confirmed and not dissolved; a pair has one current mentee, a group more; a mentee who
  withdrew is not counted; a pair whose mentor withdrew is still a pair (it waits for a new mentor);
- meetings: every meeting of every pair, dissolved ones too, by status;
- the municipal «обучающиеся» share counts what people are (pupils and senior-pupil mentors), with consent.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import timedelta
from typing import Any

import openpyxl
import pytest

from bot.meetings import Stage
from bot.monitoring import GROWTH_ENTRY
from bot.programme import FORM_LABELS, ROLE_LABELS, STATUS_LABELS, Form, Role, Status
from bot.sandbox.telegram import FakeTelegram, FakeUser
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import (
    answer_pupil_survey,
    code_in,
    make_invite,
    mentor_answers,
    pupil_answers,
    queued,
    seed_participant,
)

TP, TT = Form.TEACHER_PUPIL, Form.TEACHER_TEACHER
PUPIL, TEACHER, MENTOR = (ROLE_LABELS[r] for r in (Role.MENTEE_PUPIL, Role.MENTEE_TEACHER, Role.MENTOR))


async def _mentor(running: RunningBot, tg_id: int, name: str, form: Form, position: str) -> int:
    return await seed_participant(
        running, tg_id, Role.MENTOR, form, {**mentor_answers(name, [], 3), "position": position}
    )


async def _campaign(running: RunningBot, clock: FakeClock, survey: str, kind: str, answers: dict[int, Any]) -> int:
    """A campaign opened now whose recipients answered `answers` (written through the repositories)."""
    campaigns, participants = running.service("campaigns"), running.service("participants")
    questionnaire = {"quality": "quality_mentee", "growth": "growth"}[survey]
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


async def _withdraw(user: FakeUser) -> None:
    await user.send("/forget")
    await user.click("Да, удалить мои данные", await user.expect("Отозвать согласие?"))
    await user.expect("данные удалены")


async def _build_programme(tg: FakeTelegram, running: RunningBot, clock: FakeClock) -> None:
    curator = tg.user(CURATOR_ID)
    anna = await _mentor(running, 901, "Анна Петровна", TP, "teacher")
    boris = await _mentor(running, 902, "Борис Ильич", TP, "teacher")
    vera = await _mentor(running, 903, "Вера Павловна", TT, "methodist")
    dima = await _mentor(running, 904, "Дима Соколов", TP, "senior_pupil")
    await running.service("participants").set_adult(dima, False, None)  # a 16-year-old mentor
    egor = await _mentor(running, 905, "Егор Лунин", TP, "student")
    await _mentor(running, 906, "Жанна Орлова", TP, "teacher")  # no pair yet
    pupils = [
        await seed_participant(running, 800 + n, Role.MENTEE_PUPIL, TP, pupil_answers(f"Ученик {n}", []))
        for n in range(1, 9)
    ]
    p1, p2, p3, p4, p5, p6, p7, p8 = pupils
    t1, _t2 = [
        await seed_participant(running, 850 + n, Role.MENTEE_TEACHER, TT, {"name": f"Молодой педагог {n}"})
        for n in (1, 2)
    ]
    for user_id in (901, 902, 903, 904, 905, 906, *range(801, 809), 851, 852):
        tg.user(user_id)  # they have opened the bot

    # A child joins by the link, her mother consents in the bot, she fills in the questionnaire.
    code = await make_invite(running, Role.MENTEE_PUPIL, TP)
    masha, mother = tg.user(811, "Маша"), tg.user(611, "Мария")
    await masha.send(f"/start {code}")
    await masha.expect("в программе наставничества")
    await masha.click("Меньше 14", await masha.expect("Сначала один вопрос"))
    parent_code = code_in((await masha.expect("даёт родитель")).text)
    await mother.send(f"/start {parent_code}")
    await mother.expect("Вас просят дать согласие")
    await mother.click("Даю согласие", await mother.expect("Согласие на обработку"))
    await mother.click("мать", await mother.expect("Кем вы приходитесь"))
    await mother.expect("фамилию и имя")
    await mother.send("Иванова Мария")
    await mother.expect("Согласие записано")
    await masha.click("Заполнить анкету", await masha.expect("Родитель дал согласие"))
    await masha.expect("Анкета наставляемого")
    await masha.expect("Вопрос 1 из 9")
    await answer_pupil_survey(masha)
    await masha.click("Всё верно")
    await masha.expect("Анкета сохранена")
    masha_id = int(await running.db.fetchval("SELECT id FROM participants WHERE account_id=811"))
    # Another child waits for a parent; an adult opened a mentor's invite and has not consented yet.
    kolya = tg.user(812, "Коля")
    await kolya.send(f"/start {code}")
    await kolya.expect("в программе наставничества")
    await kolya.click("Меньше 14", await kolya.expect("Сначала один вопрос"))
    await kolya.expect("даёт родитель")
    zoya = tg.user(813, "Зоя")
    await zoya.send(f"/start {await make_invite(running, Role.MENTOR, TP)}")
    await zoya.expect("в программе наставничества")
    await zoya.click("18 или больше", await zoya.expect("Сначала один вопрос"))
    await zoya.expect("Прежде чем я что-то о вас запомню")
    await zoya.expect("Согласие на обработку персональных данных")

    # Pairs: Анна's first pair is dissolved after a meeting, then she leads a group; Борис a group of three.
    matching, meetings = running.service("matching"), running.service("meetings")
    (first,) = await matching.create_pairs(TP, [ProposedGroup(anna, [(p1, 9.0, "")])], CURATOR_ID)
    held = await meetings.create(first, Stage.INTRO, clock.now() - timedelta(days=1), "каб. 12", None)
    await meetings.set_status(held.id, "held")
    clock.advance(days=1)
    await matching.dissolve(first, "не сошлись по времени")
    clock.advance(days=1)
    groups = [
        ProposedGroup(anna, [(p1, 9.0, ""), (p2, 8.0, "")]),
        ProposedGroup(boris, [(p3, 7.0, ""), (p4, 7.0, ""), (p5, 6.0, "")]),
        ProposedGroup(dima, [(masha_id, 6.0, "")]),
        ProposedGroup(egor, [(p7, 5.0, "")]),
    ]
    anna_group, boris_group, _, _ = await matching.create_pairs(TP, groups, CURATOR_ID)
    (vera_pair,) = await matching.create_pairs(TT, [ProposedGroup(vera, [(t1, 8.0, "")])], CURATOR_ID)
    for n, (pair_id, stage, status) in enumerate(
        (
            (anna_group, Stage.INTRO, "held"),
            (anna_group, Stage.TRIAL, "planned"),
            (boris_group, Stage.INTRO, "not_held"),
            (vera_pair, Stage.INTRO, "held"),
            (vera_pair, Stage.TRIAL, "held"),
        )
    ):
        meeting = await meetings.create(pair_id, stage, clock.now() + timedelta(hours=n), "каб. 12", None)
        if status != "planned":
            await meetings.set_status(meeting.id, status)

    # Surveys: the entry self-assessment, a quality survey (the pupil who leaves answered it too), the end one.
    await _campaign(running, clock, "growth", GROWTH_ENTRY, {p: {"motivation": 5} for p in (p1, p2, p3, p5)})
    clock.advance(days=20)
    answers = {p1: 8, p2: 9, p3: 6, t1: 10, p5: 2}
    await _campaign(running, clock, "quality", "quality", {p: {"satisfaction": s} for p, s in answers.items()})
    clock.advance(days=10)
    await _campaign(running, clock, "growth", "growth", {p: {"motivation": 8} for p in (p1, p2, p3, p5)})

    # Withdrawals: a pupil from Борис's group, an unpaired pupil, Егор from his pair.
    for user in (tg.user(805), tg.user(808), tg.user(905)):
        await _withdraw(user)
        await curator.expect("отозвал согласие")
    assert p6 and p8  # p6 stays unpaired, p8 withdrew


# --- reading the figures --------------------------------------------------------------------------------------


def _int(pattern: str, text: str) -> int:
    match = re.search(pattern, text, re.M)
    assert match, f"{pattern!r} not in {text!r}"
    return int(match.group(1))


def _summary_people(text: str) -> tuple[int, dict[str, tuple[int, int]], int, int]:
    """(total, {role: (people, without consent)}, consented, waiting for a parent) from /summary."""
    block = text.split("Участники: ", 1)[1].split("\n\n", 1)[0]
    total = int(block.split("\n", 1)[0])
    roles = {}
    for label in (PUPIL, TEACHER, MENTOR):
        line = next((ln for ln in block.split("\n") if ln.startswith(f"{label}: ")), None)
        if line is not None:
            without = re.search(r"\(без согласия: (\d+)\)", line)
            roles[label] = (_int(r": (\d+)", line), int(without.group(1)) if without else 0)
    consented = _int(r"Согласия: (\d+) из", block)
    assert _int(r"Согласия: \d+ из (\d+)", block) == total
    return total, roles, consented, _int(r"ждут родителя: (\d+)", block)


def _summary_forms(text: str) -> dict[str, tuple[int, int, int]]:
    block = text.split("Пары и группы\n", 1)[1].split("\n\n", 1)[0]
    found = re.findall(r"^(.+): пар (\d+), групп (\d+) \(наставляемых (\d+)\)$", block, re.M)
    return {form: (int(p), int(g), int(m)) for form, p, g, m in found}


def _summary_meetings(text: str) -> tuple[tuple[int, int, int], dict[str, tuple[int, int, int]]]:
    block = text.split("Встречи: ", 1)[1].split("\n\n", 1)[0]
    head, *lines = block.split("\n")
    totals = tuple(int(n) for n in re.findall(r"\d+", head))
    stages = {}
    for line in lines:
        label, numbers = line.rsplit(": ", 1)
        stages[label] = tuple(int(n) for n in numbers.split(" / "))
    return totals, stages  # type: ignore[return-value]


def _summary_items(text: str, header: str) -> list[str]:
    return text.split(header, 1)[1].split("\n\n", 1)[0].strip().split("\n")


def _participants(text: str) -> tuple[int, dict[str, int], dict[str, int]]:
    """(total, {role: n}, {status: n}) from /participants."""
    total = _int(r"Участники программы: (\d+)", text)
    roles = {label: _int(rf"^{re.escape(label)}: (\d+)", text) for label in (PUPIL, TEACHER, MENTOR)}
    statuses = {}
    for status in Status:
        match = re.search(rf"^{re.escape(status.label)}: (\d+)$", text, re.M)
        statuses[status.label] = int(match.group(1)) if match else 0
    return total, roles, statuses


def _table(workbook: openpyxl.Workbook, title: str) -> list[dict[str, Any]]:
    """A sheet's table as dicts by column caption (the header is the first row after the title block's gap)."""
    sheet = workbook[next(t for t in workbook.sheetnames if t.startswith(title))]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    gap = next(i for i, row in enumerate(rows) if i > 0 and all(v is None for v in row))
    header = rows[gap + 1]
    return [dict(zip(header, row, strict=True)) for row in rows[gap + 2 :]]


def _municipal(workbook: openpyxl.Workbook) -> dict[str, list[Any]]:
    return {row["Показатель"]: list(row.values())[1:] for row in _table(workbook, "Для муниципального")}


def _fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


# --- the test ---------------------------------------------------------------------------------------------------


@pytest.fixture
def settings(make_settings: Any) -> Any:
    import dataclasses

    base = make_settings()
    monitoring = base.monitoring.model_copy(update={"contingent_teachers": 40, "contingent_pupils": 100})
    return dataclasses.replace(base, monitoring=monitoring)


async def test_every_total_is_the_sum_of_its_parts_and_the_same_on_every_screen_and_sheet(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _build_programme(tg, running, clock)
    curator = tg.user(CURATOR_ID)

    await curator.send("/summary")
    summary = (await curator.expect("Сводка программы")).text or ""
    await curator.send("/participants")
    participants = (await curator.expect("Участники программы")).text or ""
    await curator.send("/pairs")
    pairs_screen = (await curator.expect("Пары и группы")).text or ""
    await curator.send("/export")
    sent = await curator.expect("Выгрузка данных программы")
    assert sent.document is not None
    workbook = openpyxl.load_workbook(io.BytesIO(sent.document["content"]))
    charts: dict[str, Any] = {}
    import bot.flows.curator.reports as reports_module

    render = reports_module._render_charts

    def recording(stages: Any, quality: Any, growth: Any) -> Any:
        charts.update(stages=stages, quality=quality, growth=growth)
        return render(stages, quality, growth)

    monkeypatch.setattr(reports_module, "_render_charts", recording)
    await curator.send("/summary charts")
    photos = 0
    while photos < 3:  # the quiet-pair alert comes on the scheduler's tick, whenever the clock reaches it
        shown = await curator.expect("")
        assert shown.photo or "без встреч уже" in shown.text, shown.text
        photos += bool(shown.photo)

    # --- people: 8 + 1 + 1 pupils joined (2 withdrew), 2 young teachers, 6 + 1 mentors (1 withdrew, 1 to consent)
    total, roles, consented, waiting = _summary_people(summary)
    assert roles == {PUPIL: (8, 1), TEACHER: (2, 0), MENTOR: (6, 1)}
    assert total == sum(n for n, _ in roles.values()) == 16
    assert consented == total - sum(without for _, without in roles.values()) == 14
    assert waiting == 1
    p_total, p_roles, p_statuses = _participants(participants)
    assert p_total == total and p_roles == {label: n for label, (n, _) in roles.items()}
    assert sum(p_statuses.values()) == p_total
    not_consented = p_statuses[STATUS_LABELS[Status.INVITED]] + p_statuses[STATUS_LABELS[Status.AWAITING_PARENT]]
    assert not_consented == total - consented and p_statuses[STATUS_LABELS[Status.AWAITING_PARENT]] == waiting
    mentees_sheet, mentors_sheet = _table(workbook, "Наставляемые"), _table(workbook, "Наставники")
    by_role = Counter(row["Роль"] for row in mentees_sheet + mentors_sheet)
    assert by_role == {label: n for label, (n, _) in roles.items()}
    accounting = _table(workbook, "Персонифицированный учёт")
    assert len(accounting) == total and sum(1 for row in accounting if row["Согласие"]) == consented
    municipal = _municipal(workbook)
    mentees_consented = sum(n - without for label, (n, without) in roles.items() if label != MENTOR)
    assert municipal["Наставляемых (с согласием)"][0] == mentees_consented == 9
    assert municipal["Наставников (с согласием)"][0] == roles[MENTOR][0] - roles[MENTOR][1] == 5
    assert municipal["Наставляемых (с согласием)"][0] + municipal["Наставников (с согласием)"][0] == consented
    # The shares count what people are: pupils (with consent) and the senior-pupil mentor; the young teachers
    # and the teacher and methodist mentors.
    assert municipal["Доля обучающихся, вовлечённых в наставничество, %"] == [7 + 1, 8.0, 100]
    assert municipal["Доля педагогов, вовлечённых в наставничество, %"] == [2 + 4, 15.0, 40]

    # --- pairs and groups: TP: Анна's group, Борис's group (one left), Дима's pair, the pair Егор left; TT: Вера
    forms = _summary_forms(summary)
    assert forms == {FORM_LABELS[TP]: (2, 2, 6), FORM_LABELS[TT]: (1, 0, 1)}
    active = sum(p + g for p, g, _ in forms.values())
    pairs_sheet = _table(workbook, "Пары и группы")
    assert len(pairs_sheet) == active == municipal["Пар и групп"][0] == 5
    assert _int(r"Пары и группы \((\d+)\)", pairs_screen) == active
    for form, (p, g, m) in forms.items():
        rows = [row for row in pairs_sheet if row["Форма"] == form]
        assert (sum(r["Наставляемых"] == 1 for r in rows), sum(r["Наставляемых"] > 1 for r in rows)) == (p, g)
        assert sum(r["Наставляемых"] for r in rows) == m
        assert [municipal[f"{form}: {what}"][0] for what in ("пар", "групп", "наставляемых")] == [p, g, m]
    in_pairs = [row for row in accounting if row["Пара/группа №"] is not None and row["Роль"] != MENTOR]
    assert len(in_pairs) == sum(m for _, _, m in forms.values())
    assert sum(charts["stages"].values()) == active  # the stages chart: every active pair at its stage
    assert charts["stages"] == {**dict.fromkeys(charts["stages"], 0), "ещё не встречались": 3,
                                Stage.INTRO.label: 1, Stage.TRIAL.label: 1}  # fmt: skip

    # --- meetings: every meeting of every pair, by status; the header is the sum of the stage lines.
    (held, planned, missed), stages = _summary_meetings(summary)
    assert (held, planned, missed) == tuple(sum(s[i] for s in stages.values()) for i in range(3)) == (4, 1, 1)
    meetings_sheet = Counter(row["Статус"] for row in _table(workbook, "Встречи"))
    assert (meetings_sheet["состоялась"], meetings_sheet["назначена"], meetings_sheet["не состоялась"]) == (
        held,
        planned,
        missed,
    )

    # --- surveys answered: the intake questionnaires and the campaigns' answers, in the accounting sheet.
    campaigns_done = sum(int(n) for n in re.findall(r"ответили (\d+) из", summary))
    intakes = p_statuses[STATUS_LABELS[Status.SURVEY_DONE]]
    assert sum(row["Анкет заполнено"] for row in accounting) == intakes + campaigns_done

    # --- quality and growth: /summary, the export's monitoring and municipal sheets and the charts agree.
    quality = _summary_items(summary, "Качество по периодам мониторинга")
    assert quality[1] == f"Совместная работа: {_fmt(33 / 4)} (4)"  # the pupil who withdrew is not counted
    monitoring = _table(workbook, "Мониторинг")
    row = next(r for r in monitoring if r["Пункт"] == "Совместная работа")
    assert (row["Среднее"], row["Ответов"]) == (33 / 4, 4)
    period = next(k for k in municipal if k.startswith("Средняя удовлетворённость"))
    assert municipal[period][1:] == [33 / 4, 4]
    assert ("Совместная работа", 33 / 4, 4) in charts["quality"]
    growth = _summary_items(summary, "Рост: начало → конец")
    assert "Мотивация: 5,0 → 8,0 (3)" in growth
    ends = {r["Показатель"]: (r["Среднее"], r["Ответов"]) for r in monitoring if r["Пункт"] == "Мотивация"}
    assert ends == {"Рост: начало": (5.0, 3), "Рост: конец": (8.0, 3)}
    assert ("Мотивация", 5.0, 8.0, 3) in charts["growth"]

    # --- the daily digest counts the same quiet pairs and the same people without consent as /summary.
    await running.service("jobs").tick()
    digest = (await queued(running, CURATOR_ID, f"Сводка на {clock.now():%d.%m.%Y}"))[-1]
    quiet = _int(r"Пары без встреч \d+(?:\+ дн\.| \w+ и больше): (\d+)", summary)
    assert _int(r"Пары без встреч \d+(?:\+ дн\.| \w+ и больше): (\d+)", digest) == quiet and 0 < quiet <= active
    assert _int(r"Ждут согласия \(своего или родителя\): (\d+)", digest) == total - consented
