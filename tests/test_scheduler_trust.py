"""The scheduler's tick keeps going when one job fails, a campaign opens all or nothing, the programme calendar
asks only pairs that have worked long enough, and the scheduler imports no handlers and no messenger library."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import iso
from bot.flows.notices import (
    Rows,
    campaign_answer_buttons,
    checkin_buttons,
    open_card_buttons,
    pref_start_buttons,
    stored_buttons,
)
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram
from handlers.kb.notices import inline_markup
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import mentor_answers, pupil_answers, seed_participant

ROOT = Path(__file__).resolve().parents[1]
TP = Form.TEACHER_PUPIL
DECEMBER = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # the calendar's December monitoring opens that day


async def _pair(running: RunningBot, tg: FakeTelegram, mentor: int, mentees: list[int]) -> dict[int, int]:
    """Seed a mentor (telegram id) with mentees confirmed as a group now; telegram id -> participant id."""
    ids = {mentor: await seed_participant(running, mentor, Role.MENTOR, TP, mentor_answers(f"М{mentor}", [], 3))}
    for telegram_id in mentees:
        ids[telegram_id] = await seed_participant(
            running, telegram_id, Role.MENTEE_PUPIL, TP, pupil_answers(f"У{telegram_id}", [])
        )
    for telegram_id in ids:
        tg.user(telegram_id)
    group = ProposedGroup(ids[mentor], [(ids[t], 5.0, "") for t in mentees])
    await running.service("matching").create_pairs(TP, [group], CURATOR_ID)
    return ids


async def _outbox(running: RunningBot, kind: str) -> list[int]:
    """Chats of the rows of a kind queued since the December launch (the start-up tick queued a digest)."""
    rows = await running.db.fetchall(
        "SELECT chat_id FROM outbox WHERE kind=? AND created_at>=? ORDER BY chat_id", (kind, iso(DECEMBER))
    )
    return [r["chat_id"] for r in rows]


@pytest.mark.allow_errors(log="the other jobs go on")
async def test_a_failing_job_is_logged_and_the_others_still_run(
    running: RunningBot,
    tg: FakeTelegram,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _pair(running, tg, 901, [801, 802])
    jobs = running.service("jobs")

    async def broken(*_args: object) -> None:
        raise RuntimeError("the reminders job broke")

    # The first job of the tick and one in the middle fail.
    monkeypatch.setattr(jobs, "reminders", broken)
    monkeypatch.setattr(jobs, "broadcast_reports", broken)
    clock.set(DECEMBER)
    with caplog.at_level(logging.ERROR, logger="scheduler.jobs"):
        await jobs.tick()

    # The digest (before the broken middle job) and the calendar campaign (after it) were still queued.
    assert await _outbox(running, "digest") == [CURATOR_ID, OTHER_CURATOR_ID]
    assert await _outbox(running, "campaign") == [801, 802, 901]
    failures = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "scheduler.jobs"]
    assert [r.getMessage() for r in failures] == [
        "tick job reminders failed; the other jobs go on",
        "tick job broadcast_reports failed; the other jobs go on",
    ]
    assert all(r.exc_info and "the reminders job broke" in str(r.exc_info[1]) for r in failures)


@pytest.mark.allow_errors(log="tick job campaign_calendar failed")
async def test_a_crash_in_the_middle_of_a_launch_leaves_nothing_and_the_next_tick_launches_it(
    running: RunningBot, tg: FakeTelegram, clock: FakeClock
) -> None:
    ids = await _pair(running, tg, 901, [801, 802, 803])
    # The third invitation's INSERT fails, as a crash between two enqueues would leave it.
    await running.db.execute(
        "CREATE TEMP TRIGGER crash_mid_launch BEFORE INSERT ON outbox"
        " WHEN NEW.kind='campaign' AND (SELECT COUNT(*) FROM outbox WHERE kind='campaign')>=2"
        " BEGIN SELECT RAISE(ABORT, 'crash in the middle of the launch'); END"
    )
    clock.set(DECEMBER)
    await running.service("jobs").tick()

    assert await running.db.fetchall("SELECT id FROM campaigns") == []
    assert await running.db.fetchall("SELECT participant_id FROM campaign_recipients") == []
    assert await _outbox(running, "campaign") == []
    assert await _outbox(running, "digest") == [CURATOR_ID, OTHER_CURATOR_ID]  # the tick went on

    await running.db.execute("DROP TRIGGER crash_mid_launch")
    clock.advance(seconds=30)
    await running.service("jobs").tick()
    rows = await running.db.fetchall("SELECT calendar_key FROM campaigns")
    assert [r["calendar_key"] for r in rows] == ["quality:2026-12-01"]
    recipients = await running.db.fetchall("SELECT participant_id FROM campaign_recipients ORDER BY participant_id")
    assert [r["participant_id"] for r in recipients] == sorted(ids.values())
    assert await _outbox(running, "campaign") == [801, 802, 803, 901]
    invite = await tg.user(803).expect("Оценка качества программы")
    assert invite.button_texts() == ["Ответить"]


def test_no_code_but_the_outbox_module_inserts_into_the_outbox() -> None:
    insert = re.compile(r"INSERT\s+(OR\s+\w+\s+)?INTO\s+outbox\b", re.IGNORECASE)
    skipped = {"tests", "bench", "build", "dist"}
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in skipped or any(part.startswith(".") or part.endswith("venv") for part in parts):
            continue
        if insert.search(path.read_text(encoding="utf-8")) and parts != ("storage", "outbox.py"):
            offenders.append("/".join(parts))
    assert offenders == []
    assert insert.search((ROOT / "storage" / "outbox.py").read_text(encoding="utf-8"))  # the check can see one


async def test_the_calendar_asks_pairs_that_worked_long_enough_and_the_curator_anyone(
    running: RunningBot, tg: FakeTelegram, clock: FakeClock
) -> None:
    clock.set(DECEMBER - timedelta(weeks=5))
    seasoned = await _pair(running, tg, 901, [801])
    clock.set(DECEMBER - timedelta(minutes=1))
    await _pair(running, tg, 902, [802])
    clock.set(DECEMBER)
    await running.service("jobs").tick()

    assert await _outbox(running, "campaign") == [801, 901]
    recipients = await running.db.fetchall("SELECT participant_id FROM campaign_recipients ORDER BY participant_id")
    assert [r["participant_id"] for r in recipients] == sorted(seasoned.values())

    # The curator is told who was asked and who was not (the new pair's four weeks end after the window).
    curator = tg.user(CURATOR_ID)
    curator.pass_over("без встреч уже")  # the quiet-pair alert for the seasoned pair comes on its own schedule
    report = await curator.expect("По календарю программы запущен опрос «Оценка качества программы»")
    assert "Приглашение получили (2):\n• М901 — наставник\n• У801 — наставляемый-обучающийся" in report.text
    assert "Ещё не приглашены — их пара работает меньше 4 недель (2)" in report.text
    assert "• М902 — наставник: не получит, срок наступит 29.12.2026, после закрытия опроса" in report.text
    # The curator's /campaign still asks every active pair, the new one included.
    await curator.send("/campaign")
    await curator.click("Оценка качества программы", await curator.expect("Какой опрос"))
    await curator.click("Участникам пар и групп", await curator.expect("Кому?"))
    await curator.click("14 дн.", await curator.expect("Сколько дней"))
    await curator.click("Запустить", await curator.expect("Получателей: 4"))
    await curator.expect("Опрос запущен: 4 получателя. Напоминания не ответившим — раз в 3 дня.")
    await tg.user(802).expect("Оценка качества программы")


def test_the_scheduler_imports_no_handlers_and_no_messenger_library() -> None:
    code = (
        "import sys, scheduler, scheduler.jobs, scheduler.roadmap_jobs, scheduler.notices.campaigns\n"
        "import scheduler.delivery\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('handlers', 'aiogram', 'aiohttp')))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _telegram(rows: Rows) -> dict[str, object]:
    markup = inline_markup(rows)
    assert markup is not None
    return markup.model_dump(mode="json", exclude_none=True)


def test_notice_buttons_keep_the_callback_data_already_sent() -> None:
    """The scheduler's notices are stored as neutral rows; Telegram gets the same keyboard as before them."""
    assert stored_buttons(campaign_answer_buttons(5)) == {"rows": [[{"label": "Ответить", "payload": "cp:5"}]]}
    assert _telegram(campaign_answer_buttons(5)) == {
        "inline_keyboard": [[{"text": "Ответить", "callback_data": "cp:5"}]]
    }
    assert _telegram(pref_start_buttons(3)) == {
        "inline_keyboard": [[{"text": "Выбрать", "callback_data": "pf:start:3:0"}]]
    }
    assert _telegram(checkin_buttons(12)) == {
        "inline_keyboard": [
            [
                {"text": "Да", "callback_data": "ci:held:12:"},
                {"text": "Перенесли", "callback_data": "ci:moved:12:"},
                {"text": "Не состоялась", "callback_data": "ci:not:12:"},
            ]
        ]
    }
    assert _telegram(open_card_buttons(2026, "6.1.1")) == {
        "inline_keyboard": [[{"text": "Открыть пункт", "callback_data": "rm:card:2026:0:6.1.1::0"}]]
    }
