"""The scheduler's notices go to each person on their own messenger: a pair whose mentor joined on MAX gets the
mentor's reminder and check-in as MAX outbox rows, the mentee's as Telegram's (the drain of each messenger sends
its own rows; tests/test_delivery.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.consent import ConsentKind, render
from bot.flows.events import Messenger
from bot.meetings import Stage
from bot.programme import INTAKE_BY_ROLE, Form, Role
from bot.sandbox.telegram import DEFAULT_TOKEN
from bot.settings import load_settings
from scheduler.jobs import Jobs
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID
from tests.fakes.clock import FakeClock
from tests.flows import mentor_answers, pupil_answers
from tests.frontends.core import CoreFrontEnd


@pytest.fixture
async def core(tmp_path: Path, clock: FakeClock) -> AsyncIterator[CoreFrontEnd]:
    settings = load_settings(
        env_file=None,
        telegram={"bot_token": DEFAULT_TOKEN, "curator_ids": str(CURATOR_ID)},
        storage={"database_path": tmp_path / "core.sqlite3"},
        institution={"organization_name": "СЮТ"},
    )
    async with CoreFrontEnd.open(settings.storage.database_path, settings, clock) as front:
        yield front


async def seed(core: CoreFrontEnd, account_id: int, messenger: Messenger, role: Role, answers: dict) -> int:
    repo = core.service("participants")
    invite = await core.service("invites").create(role, Form.TEACHER_PUPIL, CURATOR_ID, days=None, max_uses=None)
    person = await repo.join(account_id, invite, messenger)
    await repo.set_adult(person.id, True, None)
    await repo.record_consent(person.id, render("СЮТ", ConsentKind.SELF), kind=ConsentKind.SELF, given_by=account_id)
    for question_id, value in answers.items():
        await repo.save_answer(person.id, INTAKE_BY_ROLE[role], question_id, value)
    await repo.mark_survey_done(person.id)
    return person.id


def jobs_of(core: CoreFrontEnd) -> Jobs:
    s = core.services
    return Jobs(
        core.settings, core.clock, s["meetings"], s["matching"], s["participants"], s["outbox"], s["informing"],
        s["campaigns"], s["questionnaires"], s["roadmap"],
    )  # fmt: skip


async def test_a_mentor_on_max_gets_the_reminder_and_the_check_in_on_max(core: CoreFrontEnd, clock: FakeClock) -> None:
    mentor = await seed(core, 77, Messenger.MAX, Role.MENTOR, mentor_answers("Иван Сергеевич", [], 1))
    mentee = await seed(core, 77, Messenger.TELEGRAM, Role.MENTEE_PUPIL, pupil_answers("Маша Иванова", []))
    [pair_id] = await core.service("matching").create_pairs(
        Form.TEACHER_PUPIL, [ProposedGroup(mentor, [(mentee, 9.0, "")])], CURATOR_ID
    )
    starts = datetime(2026, 9, 10, 13, 30, tzinfo=UTC)
    await core.service("meetings").create(pair_id, Stage.INTRO, starts, "кабинет 12", "Знакомство")
    jobs = jobs_of(core)

    clock.set(starts - timedelta(minutes=59))
    await jobs.tick()
    clock.set(starts + timedelta(hours=3))
    await jobs.tick()
    rows = await core.db.fetchall("SELECT messenger, chat_id, kind FROM outbox WHERE kind IN ('reminder','checkin')")
    got = sorted((r["kind"], r["messenger"], r["chat_id"]) for r in rows)
    assert got == [
        ("checkin", "max", 77),
        ("checkin", "telegram", 77),
        ("reminder", "max", 77),
        ("reminder", "telegram", 77),
    ]
