"""The meetings' stories, written once and run on both front ends (the core with no messenger, and Telegram): a
pair's meetings screen, the mentor's scheduling dialog and the mentee's answer, the scheduler's reminder and
check-in, the check-in's answers stored, an old check-in button, and the preference survey."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.flows import meetings as meetings_flow
from bot.flows import routes
from bot.flows.events import PressIn
from bot.flows.notices import CheckinCb, PrefCb, pref_start_buttons, stored_buttons
from bot.flows.payloads import FitPayload
from bot.i18n import tr
from bot.meetings import CheckinAnswer
from bot.programme import Form, Role
from handlers import states
from tests import test_core_stories as stories
from tests.conftest import CURATOR_ID
from tests.flows import mentor_answers, pupil_answers, seed_participant
from tests.frontends import Seen
from tests.frontends.core import CoreFrontEnd
from tests.test_core_stories import parent_consents, seed_pair_with_meeting, seed_pupil_awaiting_parent

# The stories' fixtures: each story here runs on each front end.
core_front, telegram_front, front = stories.core_front, stories.telegram_front, stories.front
max_front = stories.max_front

MENTEE, MENTOR = 741, 941
MSK = timedelta(hours=3)


def msk(day: int, hour: int, minute: int = 0) -> datetime:
    """A Moscow wall-clock moment in September 2026 as UTC."""
    return datetime(2026, 9, day, hour, minute, tzinfo=UTC) - MSK


async def _pair(front: Any) -> tuple[int, int, int, int]:
    """A pupil (her parent consented), her mentor and their first meeting on 10.09.2026 16:30 Moscow time:
    (mentee id, mentor id, pair id, meeting id)."""
    mentee_id = await seed_pupil_awaiting_parent(front, MENTEE)
    await parent_consents(front, mentee_id, pupil_answers("Маша Иванова", []))
    await seed_pair_with_meeting(front, mentee_id, MENTOR)
    pair = await front.service("matching").pair_of(mentee_id)
    [meeting] = await front.service("meetings").for_pair(pair.id)
    return mentee_id, pair.mentor.id, pair.id, meeting.id


async def _screen_with(person: Any, seen: Seen, fragment: str) -> Seen:
    """The screen a press brought, or (when a notice from the outbox came first) the next one with `fragment`."""
    return seen if fragment in seen.text else await person.expect(fragment, eventually=True)


async def _screens_with(person: Any, first: Seen, *fragments: str) -> list[Seen]:
    """The screens with `fragments` that came of a press (`first`, what the press returned, among them): a
    screen and a notice from the outbox may come in either order."""
    return [await _screen_with(person, first, fragment) for fragment in fragments]


async def test_a_reminder_and_a_checkin_the_mentor_answers_and_an_old_button_stores_nothing_twice(
    front: Any, clock: Any
) -> None:
    _, mentor_id, pair_id, meeting_id = await _pair(front)
    mentor, mentee = front.person(MENTOR, "Иван"), front.person(MENTEE, "Маша")

    clock.set(msk(9, 16, 29))
    await front.tick()
    clock.set(msk(9, 16, 30))  # 24 hours before the meeting
    await front.tick()
    for person in (mentor, mentee):
        reminder = await person.expect("Напоминание", eventually=True)
        assert reminder.text == (
            "Напоминание: через 24 часа — встреча-знакомство.\nКогда: 10.09.2026 16:30\nГде: кабинет 12"
        )

    clock.set(msk(10, 18, 30))  # two hours after it: the check-in
    await front.tick()
    ask = await mentor.expect("10.09.2026 16:30 — встреча-знакомство. Встреча состоялась?", eventually=True)
    assert ask.buttons == ["Да", "Перенесли", "Не состоялась"]
    await mentee.expect("Встреча состоялась?", eventually=True)

    # «Да» settles the meeting: the first one held, each side is asked about the pair, in their voice.
    pressed = await mentor.press("Да", ask)
    useful, _ = await _screens_with(mentor, pressed, "Насколько полезной", "Как вам пара — подходит?")
    await mentee.expect("Как тебе пара — подходит?", eventually=True)
    assert useful.message_id == ask.message_id and useful.buttons == ["1", "2", "3", "4", "5"]
    what = await _screen_with(mentor, await mentor.press("5", useful), "Что сделали на встрече?")
    assert "Напишите коротко" in what.text and what.buttons == ["Пропустить"]
    await mentor.send("Познакомились, обсудили проект")
    await mentor.expect("Спасибо, записано", eventually=True)

    meetings = front.service("meetings")
    assert (await meetings.get(meeting_id)).status == "held"
    checkins = await meetings.checkins(meeting_id)
    assert list(checkins) == [mentor_id]
    stored = checkins[mentor_id]
    assert (stored.answer, stored.usefulness, stored.note) == (CheckinAnswer.HELD, 5, "Познакомились, обсудили проект")

    # The old «Да» pressed again: a polite word, and nothing is stored or sent twice.
    answer = await mentor.press_payload(CheckinCb(a="held", id=meeting_id).pack(), ask)
    assert answer == tr("checkin-already")
    assert await meetings.checkins(meeting_id) == checkins
    db = front.service("db")
    rows = await db.fetchval("SELECT COUNT(*) FROM checkins WHERE meeting_id=?", (meeting_id,))
    fits = await db.fetchval("SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE ?", (f"%fit:{pair_id}:%",))
    assert (rows, fits) == (1, 2)
    # A forged check-in of a meeting that is not theirs is a stale button.
    stale = await mentor.press_payload(CheckinCb(a="held", id=meeting_id + 100).pack(), ask)
    assert stale == tr("stale-button")


async def test_the_mentor_schedules_the_mentee_confirms_and_both_see_the_pairs_meetings(front: Any) -> None:
    await _pair(front)
    mentor, mentee = front.person(MENTOR, "Иван"), front.person(MENTEE, "Маша")

    menu = await mentee.open_menu()
    listed = await mentee.press("Встречи", menu)
    assert listed.message_id != menu.message_id
    assert "10.09.2026 16:30 — встреча-знакомство (назначена)" in listed.text

    calendar = await mentor.press("Назначить встречу", await mentor.open_menu())
    assert "Выберите дату" in calendar.text and calendar.buttons[:2] == ["Сентябрь 2026", "Пн"]
    times = await mentor.press("11", calendar)
    assert times.text.startswith("11.09.2026. Во сколько?") and times.message_id == calendar.message_id
    await mentor.send("17:00")
    places = await mentor.expect("Где встречаемся")
    assert places.buttons == ["Онлайн", "В объединении", "← Назад", "Отмена"]
    topic = await mentor.press("Онлайн", places)
    assert topic.text.startswith("Тема встречи?")
    preview = await mentor.press("Пропустить", topic)
    assert "Когда: 11.09.2026 17:00" in preview.text and "Где: Онлайн" in preview.text
    await mentor.press("Отправить приглашение", preview)
    created = await mentor.expect("Приглашение отправлено", eventually=True)
    assert created.buttons == ["Перенести", "Отменить встречу"]

    invitation = await mentee.expect("Приглашение: встреча-знакомство", eventually=True)
    assert "Когда: 11.09.2026 17:00" in invitation.text and "Наставник: Иван Сергеевич" in invitation.text
    assert invitation.buttons == ["Подтверждаю", "Нужно другое время"]
    accepted = await mentee.press("Подтверждаю", invitation)
    assert "встреча подтверждена" in accepted.text
    await mentor.expect("Маша Иванова подтверждает встречу", eventually=True)

    listed = await mentor.press("Встречи", await mentor.open_menu())
    assert "11.09.2026 17:00 — встреча-знакомство (назначена)" in listed.text


async def test_the_mentee_asks_for_another_time_and_cancel_ends_the_mentors_dialog(front: Any) -> None:
    _, _, _, meeting_id = await _pair(front)
    mentor, mentee = front.person(MENTOR, "Иван"), front.person(MENTEE, "Маша")
    # The invitation of the meeting seeded (the scheduling dialog sends it: the story above).
    rows = stored_buttons(meetings_flow.invitation_rows(meeting_id))
    await front.service("outbox").enqueue(MENTEE, "Приглашение: встреча-знакомство", reply_markup=rows)
    await front.tick()
    invitation = await mentee.expect("Приглашение", eventually=True)
    asked = await mentee.press("Нужно другое время", invitation)
    assert asked.text == "Когда тебе удобно? Напиши одним сообщением, я передам наставнику."
    await mentee.send("В пятницу после 17")
    await mentee.expect("сообщение у наставника", eventually=True)
    request = await mentor.expect("просит другое время", eventually=True)
    assert "пятницу после 17" in request.text and request.buttons == ["Перенести", "Отменить встречу"]

    calendar = await mentor.press("Перенести", request)
    assert "Выберите дату встречи" in calendar.text
    await mentor.send("/cancel")
    await mentor.expect("Отменено: встреча не назначена", eventually=True)


async def test_not_held_and_moved_the_curator_hears_of_the_disagreement_and_the_meeting_moves(
    front: Any, clock: Any
) -> None:
    mentee_id, _, pair_id, meeting_id = await _pair(front)
    mentor, mentee, curator = front.person(MENTOR, "Иван"), front.person(MENTEE, "Маша"), front.person(CURATOR_ID)
    clock.set(msk(10, 18, 30))
    await front.tick()
    mentee_ask = await mentee.expect("Встреча состоялась?", eventually=True)
    mentor_ask = await mentor.expect("Встреча состоялась?", eventually=True)

    why = await mentee.press("Не состоялась", mentee_ask)
    assert why.text == "Почему встреча не состоялась?" and why.message_id == mentee_ask.message_id
    assert why.buttons == ["Болезнь", "Не смогли прийти", "Забыли", "Другое"]
    assert (await mentee.press("Болезнь", why)).text == "Спасибо, записано!"
    meetings = front.service("meetings")
    stored = (await meetings.checkins(meeting_id))[mentee_id]
    assert (stored.answer, stored.note) == (CheckinAnswer.NOT_HELD, "Болезнь")
    assert (await meetings.get(meeting_id)).status == "planned"  # the mentor's answer decides

    moved = await mentor.press("Перенесли", mentor_ask)
    assert moved.text == "Хорошо. Назначьте новое время встречи:"
    flagged = await curator.expect("Ответы о встрече расходятся", eventually=True)
    assert f"пара №{pair_id}" in flagged.text
    calendar = await mentor.expect("Выберите дату встречи")
    times = await mentor.press("12", calendar)
    preview = await mentor.press("18:00", times)
    assert "Когда: 12.09.2026 18:00" in preview.text and "Где: кабинет 12" in preview.text
    await mentor.press("Отправить приглашение", preview)
    await mentor.expect("Встреча перенесена", eventually=True)
    notice = await mentee.expect("Новое время: 12.09.2026 18:00", eventually=True)
    assert notice.buttons == ["Подтверждаю", "Нужно другое время"]
    meeting = await meetings.get(meeting_id)
    assert (meeting.status, meeting.starts_at) == ("planned", msk(12, 18))
    assert await meetings.checkins(meeting_id) == {}  # the check-ins start over with the new time

    # The old check-in's button of a meeting moved to a later time is a stale button.
    answer = await mentee.press_payload(CheckinCb(a="held", id=meeting_id).pack(), mentee_ask)
    assert answer == tr("stale-button") and await meetings.checkins(meeting_id) == {}


async def test_a_mentee_picks_a_mentor_in_the_preference_survey(front: Any) -> None:
    form = Form.TEACHER_PUPIL
    await seed_participant(front, 751, Role.MENTEE_PUPIL, form, pupil_answers("Оля", []))  # type: ignore[arg-type]
    await seed_participant(front, 951, Role.MENTOR, form, mentor_answers("Анна Петровна", [], 2))  # type: ignore[arg-type]
    await seed_participant(front, 952, Role.MENTOR, form, mentor_answers("Борис Ильич", [], 2))  # type: ignore[arg-type]
    matching = front.service("matching")
    current = await matching.open_round(form, None, False)
    mentee = front.person(751, "Оля")
    await front.service("outbox").enqueue(
        751, tr("pref-invite", audience="pupil", n=3), reply_markup=stored_buttons(pref_start_buttons(current.id))
    )
    await front.tick()
    invite = await mentee.expect("После групповой встречи выбери", eventually=True)
    picks = await mentee.press("Выбрать", invite)
    assert picks.buttons == ["Анна Петровна", "Борис Ильич", "Без предпочтений", "Сбросить", "Готово"]
    picks = await mentee.press("Борис Ильич", picks)
    assert picks.buttons[:2] == ["Анна Петровна", "№1 Борис Ильич"] and "1. Борис Ильич" in picks.text
    done = await mentee.press("Готово", picks)
    assert done.message_id == invite.message_id and done.buttons == []
    mentee_id = (await front.service("participants").by_telegram(751)).id
    chosen, submitted = await matching.draft_choices(current.id, mentee_id)
    boris = (await front.service("participants").by_telegram(952)).id
    assert chosen == [boris] and submitted


# --- the core's own ---------------------------------------------------------------------------------------------
async def test_the_flows_dialog_states_are_aiograms_and_the_route_table_takes_the_meetings(
    core_front: CoreFrontEnd,
) -> None:
    assert states.MeetingSetup.__full_group_name__ == meetings_flow.SetupStep.GROUP
    for name in ("date", "time", "place", "topic", "confirm"):
        assert getattr(meetings_flow.SetupStep, name.upper()) == getattr(states.MeetingSetup, name).state
    for name in ("other_time", "note"):
        assert getattr(meetings_flow.ReplyStep, name.upper()) == getattr(states.MeetingReply, name).state
    table = routes.table()
    for prefix in ("ms", "mm", "mr", "ci", "fit", PrefCb.prefix):
        assert prefix in table.presses
    assert FitPayload(pair=3, v="no").pack() == "fit:3:no"

    # A stranger's presses (or a forged payload) are answered with a word, never an error.
    stranger = core_front.person(555)
    ctx = core_front.ctx(stranger.person)
    for payload in ("ms:new:0:0:0:", "mm:list:0", "mr:acc:1", "ci:held:1:", "fit:1:yes", "ms:zz"):
        effects = await routes.handle(PressIn(stranger.person, payload), ctx)
        assert effects and all(getattr(e, "text", "") for e in effects)
