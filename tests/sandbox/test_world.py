"""The sandbox's world: the real app on the embedded fakes, personas acting through them, the clock moving."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.flows.events import Messenger
from bot.sandbox.clock import ClockWentBackwards
from bot.sandbox.world import CURATOR_ID, PersonaKind, Sandbox
from tests.fakes.clock import FakeClock
from tests.sandbox.worlds import running_world

START = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)  # 09:00 in Moscow


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with running_world(tmp_path, START) as sandbox:
        yield sandbox


async def test_the_curator_is_there_and_the_bot_answers_on_both_messengers(world: Sandbox) -> None:
    assert [(p.kind, p.account_id) for p in world.personas.values()] == [(PersonaKind.CURATOR, CURATOR_ID)]
    world.tg.user(CURATOR_ID).pass_over("Сводка на ", "Срок прошёл")  # the start-up tick's, on their own schedule
    await world.send_text("tg-1000", "/start")
    await world.tg.user(CURATOR_ID).expect("Вы куратор программы", timeout=10)
    pupil = world.add_persona("Маша", PersonaKind.PUPIL, Messenger.MAX)
    assert pupil.key.startswith("max-")
    await world.send_text(pupil.key, "/start")
    assert world.max is not None
    await world.max.user(pupil.account_id).next_reply(timeout=10)


async def test_a_press_returns_the_answer_the_phone_shows(world: Sandbox) -> None:
    curator = world.tg.user(CURATOR_ID)
    curator.pass_over("Сводка на ")  # the morning digest comes on its own schedule
    await world.send_text("tg-1000", "/menu")
    menu = await curator.expect("Меню куратора", timeout=10)
    assert menu.buttons, menu.describe()
    data = menu.button_data()[0]
    answer = await world.press("tg-1000", menu.message_id, data)
    assert answer.get("timeout") is not True


async def test_the_clock_moves_forward_only_and_ticks_each_hour(world: Sandbox) -> None:
    before = world.now()
    ticks = await world.move_clock(before + timedelta(days=1))
    assert ticks == 24
    assert world.now() >= before + timedelta(days=1)
    # the fake's dates follow the sandbox's clock
    assert abs(world.tg.now() - world.now().timestamp()) < 5
    with pytest.raises(ClockWentBackwards):
        await world.move_clock(before)
    # the curator's digest of the next morning came once
    digests = [m for m in world.tg.messages(CURATOR_ID) if (m.text or "").startswith("Сводка на 02.09")]
    assert len(digests) == 1


async def test_a_kept_sandbox_restarts_with_its_people_and_its_present(tmp_path: Path) -> None:
    db = tmp_path / "kept.sqlite3"
    first = Sandbox(db, start=START, base_clock=FakeClock(START))
    await first.start()
    try:
        pupil = first.add_persona("Маша Иванова", PersonaKind.PUPIL, Messenger.TELEGRAM)
        mentor = first.add_persona("Олег Петрович", PersonaKind.MENTOR, Messenger.MAX)
        await first.move_clock(START + timedelta(days=3))
    finally:
        await first.stop()

    again = Sandbox(db, start=START, base_clock=FakeClock(START))
    await again.start()
    try:
        assert again.now() == START + timedelta(days=3)  # not back to 1 September
        assert [(p.key, p.name, p.kind) for p in again.personas.values()] == [
            ("tg-1000", "Куратор", PersonaKind.CURATOR),
            (pupil.key, "Маша Иванова", PersonaKind.PUPIL),
            (mentor.key, "Олег Петрович", PersonaKind.MENTOR),
        ]
        newcomer = again.add_persona("Новенький", PersonaKind.PUPIL)
        assert newcomer.account_id > max(pupil.account_id, mentor.account_id)
        await again.send_text(mentor.key, "/start")  # MAX polls from the new fake's numbering
        assert again.max is not None
        await again.max.user(mentor.account_id).next_reply(timeout=10)
    finally:
        await again.stop()
