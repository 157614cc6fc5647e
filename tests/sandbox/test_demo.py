"""The demo programme, loaded through the real chats: who joined, who consented for whom, the pairs, the clock.

One sandbox per stage for the whole module (loading it is the slow part); the bot's per-chat pace is raised
(OUTBOX_CHAT_RATE, as the other tests do) so that the chats go at test speed.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.consent import ConsentKind
from bot.flows.events import Messenger
from bot.i18n import tr
from bot.programme import Role
from bot.sandbox.demo import MENTORS, PUPILS, ROSTER, DemoSummary, load_demo
from bot.sandbox.world import PersonaKind, Sandbox
from tests.fakes.clock import FakeClock

# One worker runs the whole module (--dist loadgroup): its world is built once, not once per worker.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.xdist_group("sandbox-test_demo")]

START = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
CHAT_RATE = "100"


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


@pytest.fixture(scope="module")
def fast_pace() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OUTBOX_CHAT_RATE", CHAT_RATE)
        yield


async def _loaded(folder: Path, stage: str) -> AsyncIterator[tuple[Sandbox, DemoSummary, list[str]]]:
    errors = Errors()
    logging.getLogger().addHandler(errors)
    world = Sandbox(folder / "sandbox.sqlite3", start=START, base_clock=FakeClock(START))
    await world.start()
    try:
        summary = await load_demo(world, stage)
        yield world, summary, errors.lines
    finally:
        await world.stop()
        logging.getLogger().removeHandler(errors)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def matching(
    tmp_path_factory: pytest.TempPathFactory, fast_pace: None
) -> AsyncIterator[tuple[Sandbox, DemoSummary, list[str]]]:
    async for loaded in _loaded(tmp_path_factory.mktemp("matching"), "matching"):
        yield loaded


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def monitoring(
    tmp_path_factory: pytest.TempPathFactory, fast_pace: None
) -> AsyncIterator[tuple[Sandbox, DemoSummary, list[str]]]:
    async for loaded in _loaded(tmp_path_factory.mktemp("monitoring"), "monitoring"):
        yield loaded


def _clean(world: Sandbox, errors: list[str]) -> None:
    """No apology in any chat, no Bot API error in either fake, no ERROR in the log."""
    apology = tr("unexpected-error")
    texts = [m.text or "" for m in world.tg.all_messages()]
    assert world.max is not None
    texts += [m.text or "" for m in world.max.all_messages()]
    assert not [t for t in texts if apology in t]
    assert world.tg.unexpected_errors() == []
    assert world.max.unexpected_errors() == []
    assert errors == []


async def test_everyone_joined_consented_and_answered(matching: tuple[Sandbox, DemoSummary, list[str]]) -> None:
    world, summary, errors = matching
    minors = [m for m in ROSTER if m.parent]
    assert summary.personas == {
        "curator": 1,
        "mentor": len(MENTORS),
        "pupil": len(PUPILS),
        "teacher": len(ROSTER) - len(MENTORS) - len(PUPILS),
        "parent": len(minors),
    }
    assert summary.participants == len(ROSTER) == 24
    participants = world.app.services["participants"]
    people = await participants.all_consented()
    assert len(people) == 24 and all(p.survey_done_at is not None for p in people)
    by_name = {p.name: p for p in people}
    assert sorted(by_name) == sorted(m.answers["name"] for m in ROSTER)
    assert sum(p.role is Role.MENTOR for p in people) == len(MENTORS)
    for member in minors:
        child = by_name[member.answers["name"]]
        parent = await participants.consent(child.id, ConsentKind.PARENT)
        assert parent is not None, member.name
        assert child.parent_name == member.parent_full
        own = await participants.consent(child.id, ConsentKind.MINOR)
        assert (own is not None) is (member.age == "teen"), member.name
    on_max = {m.answers["name"] for m in ROSTER if m.on_max}
    assert on_max and {p.name for p in people if p.messenger is Messenger.MAX} == on_max
    max_personas = [p for p in world.personas.values() if p.messenger is Messenger.MAX]
    assert {p.kind for p in max_personas} >= {PersonaKind.PUPIL, PersonaKind.PARENT, PersonaKind.TEACHER}
    # the parents are named after their children's families: Иванова Маша → Ольга Иванова
    parents = {p.name for p in world.personas.values() if p.kind is PersonaKind.PARENT}
    assert "Ольга Иванова" in parents and "Игорь Смирнов" in parents
    _clean(world, errors)


async def test_a_second_demo_is_refused(matching: tuple[Sandbox, DemoSummary, list[str]]) -> None:
    world, _, _ = matching
    before = len(world.personas)
    with pytest.raises(ValueError, match="Демо можно загрузить только в новую песочницу"):
        await load_demo(world, "monitoring")
    assert len(world.personas) == before


async def test_monitoring_has_pairs_meetings_and_ends_on_30_november(
    monitoring: tuple[Sandbox, DemoSummary, list[str]],
) -> None:
    world, summary, errors = monitoring
    pairs = await world.app.services["matching"].pairs()
    assert summary.pairs == len(pairs) >= 5
    assert summary.meetings_planned == summary.meetings_held == 8
    local = world.now().astimezone(world.tz)
    assert (local.month, local.day, local.hour) == (11, 30, 19)
    _clean(world, errors)
    # «+1 день»: the December quality survey comes to the mentees
    await world.move_clock(world.now() + timedelta(days=1))
    pupils = [p for p in world.personas.values() if p.kind is PersonaKind.PUPIL]
    pupil = next(p for p in pupils if p.messenger is Messenger.TELEGRAM)
    texts = [m.text or "" for m in world.tg.messages(pupil.account_id)]
    assert any(t.startswith("Оценка качества программы") for t in texts[-3:]), texts[-3:]
