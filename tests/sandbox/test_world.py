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

START = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)  # 09:00 in Moscow


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[Sandbox]:
    sandbox = Sandbox(tmp_path / "sandbox.sqlite3", start=START, base_clock=FakeClock(START))
    await sandbox.start()
    try:
        yield sandbox
    finally:
        await sandbox.stop()


async def test_the_curator_is_there_and_the_bot_answers_on_both_messengers(world: Sandbox) -> None:
    assert [(p.kind, p.account_id) for p in world.personas.values()] == [(PersonaKind.CURATOR, CURATOR_ID)]
    await world.send_text("tg-1000", "/start")
    await world.tg.user(CURATOR_ID).expect("Вы куратор программы", timeout=10)
    pupil = world.add_persona("Маша", PersonaKind.PUPIL, Messenger.MAX)
    assert pupil.key.startswith("max-")
    await world.send_text(pupil.key, "/start")
    assert world.max is not None
    await world.max.user(pupil.account_id).next_reply(timeout=10)


async def test_a_press_returns_the_answer_the_phone_shows(world: Sandbox) -> None:
    curator = world.tg.user(CURATOR_ID)
    curator.pass_over("Сводка на ")
    await world.send_text("tg-1000", "/menu")
    menu = await curator.next_reply(timeout=10)
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
