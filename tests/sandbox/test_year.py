"""The sandbox's clock over a week of a small programme: what the scheduler brings arrives once, at its minute.

Two pairs (one mentor on MAX) each with a meeting; the clock moves day by day, 09:00 to 09:00, as the page's
«+1 день» does, over the meetings' days and the week after. Each person's chat then shows each reminder once at
its offset, the check-in once after the meeting, and the curator's chat one digest each morning at 09:00.
The people are seeded through the repositories (their joining is tested elsewhere); what is asserted is what the
chats show, with each message's date as the chat shows it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

from bot.consent import ConsentKind, render
from bot.flows.events import Messenger
from bot.meetings import Stage
from bot.programme import INTAKE_BY_ROLE, Form, Role
from bot.sandbox.world import CURATOR_ID, ORGANIZATION, Persona, PersonaKind, Sandbox
from storage.matching import ProposedGroup
from tests.fakes.clock import FakeClock

START = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
DAYS = 8  # to 9 September, 09:00

# One worker runs the whole module (--dist loadgroup): its world is built once, not once per worker.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.xdist_group("sandbox-test_year")]


async def join(world: Sandbox, name: str, kind: PersonaKind, role: Role, form: Form, messenger: Messenger) -> int:
    """A persona who joined, consented and answered the intake (written through the repositories)."""
    persona = world.add_persona(name, kind, messenger)
    if messenger is Messenger.MAX:
        await world.open_link(persona.key, None)  # MAX writes only to a dialog the person opened
    services = world.app.services
    invite = await services["invites"].create(role, form, CURATOR_ID, days=None, max_uses=None)
    joined = await services["participants"].join(persona.account_id, invite, messenger)
    await services["participants"].set_adult(joined.id, True, None)
    document = render(ORGANIZATION, ConsentKind.SELF, messenger.value)
    await services["participants"].record_consent(
        joined.id, document, kind=ConsentKind.SELF, given_by=persona.account_id
    )
    await services["participants"].save_answer(joined.id, INTAKE_BY_ROLE[role], "name", name)
    await services["participants"].mark_survey_done(joined.id)
    return joined.id


async def pair(world: Sandbox, form: Form, mentor: int, mentee: int, starts_local: datetime) -> None:
    group = ProposedGroup(mentor, [(mentee, 9.0, "")])
    [pair_id] = await world.app.services["matching"].create_pairs(form, [group], CURATOR_ID)
    await world.app.services["meetings"].create(pair_id, Stage.INTRO, starts_local.astimezone(UTC), "кабинет 12", None)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def year(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[Sandbox, list[int]]]:
    world = Sandbox(tmp_path_factory.mktemp("year") / "sandbox.sqlite3", start=START, base_clock=FakeClock(START))
    await world.start()
    try:
        tz = world.tz
        tp, tt = Form.TEACHER_PUPIL, Form.TEACHER_TEACHER
        mentor = await join(world, "Ирина Петровна", PersonaKind.MENTOR, Role.MENTOR, tp, Messenger.TELEGRAM)
        pupil = await join(world, "Маша Иванова", PersonaKind.PUPIL, Role.MENTEE_PUPIL, tp, Messenger.TELEGRAM)
        # A 16:00 meeting: everything on whole hours.
        await pair(world, tp, mentor, pupil, datetime(2026, 9, 3, 16, 0, tzinfo=tz))
        senior = await join(world, "Олег Павлович", PersonaKind.MENTOR, Role.MENTOR, tt, Messenger.MAX)
        junior = await join(world, "Анна Сергеевна", PersonaKind.TEACHER, Role.MENTEE_TEACHER, tt, Messenger.TELEGRAM)
        # A 08:30 meeting: the 1-hour reminder falls into the quiet hours (till 08:00), the rest on half hours.
        await pair(world, tt, senior, junior, datetime(2026, 9, 4, 8, 30, tzinfo=tz))
        ticks = []
        for day in range(1, DAYS + 1):
            ticks.append(await world.move_clock(START + timedelta(days=day)))
        yield world, ticks
    finally:
        await world.stop()


def chat(world: Sandbox, persona: Persona) -> list[tuple[str, str]]:
    """(the message's first line, its date on the chat «dd.mm HH:MM» in Moscow) of every bot message."""
    if persona.messenger is Messenger.TELEGRAM:
        shown = [(m.text or "", m.date) for m in world.tg.messages(persona.account_id)]
    else:
        assert world.max is not None
        shown = [(m.text or "", m.timestamp / 1000) for m in world.max.user(persona.account_id).replies()]
    return [
        (text.split("\n", 1)[0], datetime.fromtimestamp(stamp, world.tz).strftime("%d.%m %H:%M"))
        for text, stamp in shown
    ]


def of_meetings(world: Sandbox, name: str) -> list[tuple[str, str]]:
    [persona] = [p for p in world.personas.values() if p.name == name]
    return [(text, when) for text, when in chat(world, persona) if "Напоминание" in text or "состоялась?" in text]


async def test_each_reminder_and_the_check_in_come_once_at_their_minute(year: tuple[Sandbox, list[int]]) -> None:
    world, _ticks = year
    intro = "встреча-знакомство"
    at_four = [
        (f"Напоминание: через 24 часа — {intro}.", "02.09 16:00"),
        (f"Напоминание: через 1 час — {intro}.", "03.09 15:00"),
        (f"03.09.2026 16:00 — {intro}. Встреча состоялась?", "03.09 18:00"),
    ]
    assert of_meetings(world, "Ирина Петровна") == at_four
    assert of_meetings(world, "Маша Иванова") == at_four
    at_half_past_eight = [
        (f"Напоминание: через 24 часа — {intro}.", "03.09 08:30"),
        (f"Напоминание: через 30 минут — {intro}.", "04.09 08:00"),  # the end of the quiet hours
        (f"04.09.2026 08:30 — {intro}. Встреча состоялась?", "04.09 10:30"),
    ]
    assert of_meetings(world, "Олег Павлович") == at_half_past_eight  # on MAX
    assert of_meetings(world, "Анна Сергеевна") == at_half_past_eight


async def test_the_curator_gets_one_digest_each_morning_at_nine(year: tuple[Sandbox, list[int]]) -> None:
    world, ticks = year
    digests = [(text, when) for text, when in chat(world, world.personas["tg-1000"]) if text.startswith("Сводка на")]
    days = [(START + timedelta(days=n)).astimezone(world.tz) for n in range(DAYS + 1)]
    assert digests == [(f"Сводка на {day:%d.%m.%Y}", f"{day:%d.%m} 09:00") for day in days]
    # Hourly ticks, and one more at a reminder's or a check-in's minute off the hour: 3 September 08:30 (the
    # 24-hour reminder), 4 September 10:30 (the check-in).
    assert ticks == [24, 25, 24, 25, 24, 24, 24, 24]
