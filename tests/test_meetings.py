"""Meetings through the stages with an injected clock: scheduling, reminders, quiet hours, check-ins,
the pair's fit, quiet pairs and the digest — all through the fake Bot API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.i18n import tr
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram, FakeUser
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import mentor_answers, pupil_answers, queued, seed_participant

MSK = timedelta(hours=3)


def msk(day: int, hour: int, minute: int = 0, month: int = 9) -> datetime:
    """A Moscow wall-clock moment in 2026 as UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) - MSK


async def _pair(running: RunningBot) -> tuple[int, int, int]:
    mentee = await seed_participant(running, 801, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша", []))
    mentor = await seed_participant(running, 901, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Анна", [], 1))
    [pair_id] = await running.service("matching").create_pairs(
        Form.TEACHER_PUPIL, [ProposedGroup(mentor, [(mentee, 5.0, "")])], CURATOR_ID
    )
    return pair_id, mentee, mentor


async def _schedule(mentor: FakeUser, day: int, when: str, topic: str | None = "Знакомство") -> None:
    await mentor.send("/menu")
    await mentor.click("Назначить встречу", await mentor.expect("Моё меню"))
    calendar = await mentor.expect("Выберите дату")
    await mentor.click(str(day), calendar)
    await mentor.expect("Во сколько")
    await mentor.send(when)
    await mentor.click("В объединении", await mentor.expect("Где встречаемся"))
    topic_question = await mentor.expect("Тема встречи")
    if topic:
        await mentor.send(topic)
    else:
        await mentor.click("Пропустить", topic_question)
    await mentor.click("Отправить приглашение", await mentor.expect("Когда:"))
    await mentor.expect("Приглашение отправлено")


async def tick(running: RunningBot) -> None:
    await running.service("jobs").tick()


async def test_mentor_schedules_mentee_confirms_and_both_get_reminders_on_time(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    await _pair(running)
    mentor, mentee = tg.user(901), tg.user(801)
    await mentee.send("/menu")
    menu = await mentee.expect("Моё меню")
    assert "Этап: встреча-знакомство" in menu.text and "ещё не назначена" in menu.text
    assert "Назначить встречу" not in menu.button_texts()

    # Bad input first: a time typo, a time already past today.
    await mentor.send("/menu")
    await mentor.click("Назначить встречу", await mentor.expect("Моё меню"))
    calendar = await mentor.expect("Выберите дату")
    assert "5" not in calendar.button_texts()  # days before today (7 September) cannot be chosen
    await mentor.click("7", calendar)
    await mentor.expect("Во сколько")
    await mentor.send("25:99")
    await mentor.expect("Такого времени не бывает")
    await mentor.send("10:00")  # it is 12:00 in Moscow already
    await mentor.expect("уже прошло")
    await mentor.send("/cancel")
    await mentor.expect("Отменено")

    await _schedule(mentor, 10, "16:30")
    invitation = await mentee.expect("Приглашение: встреча-знакомство")
    assert "Когда: 10.09.2026 16:30" in invitation.text and "Где: В объединении" in invitation.text
    assert "Наставник: Анна" in invitation.text
    await mentee.click("Подтверждаю", invitation)
    await mentee.expect("встреча подтверждена")
    await mentor.expect("Маша подтверждает встречу")
    await mentee.send("/menu")
    assert "Следующая встреча: 10.09.2026 16:30" in (await mentee.expect("Моё меню")).text

    clock.set(msk(9, 16, 29))
    await tick(running)
    assert not await queued(running, 801, "Напоминание") and not await queued(running, 901, "Напоминание")
    assert not [m for m in mentee.replies() if "Напоминание" in (m.text or "")]
    clock.set(msk(9, 16, 30))
    await tick(running)
    for user in (mentor, mentee):
        reminder = await user.expect("Напоминание")
        assert reminder.text == (
            "Напоминание: через 24 часа — встреча-знакомство.\nКогда: 10.09.2026 16:30\nГде: В объединении"
        )
    await tick(running)  # a second tick (or a restart) queues nothing twice
    clock.set(msk(10, 15, 30))
    await running.restart()
    await tick(running)
    await mentee.expect("через 1 час")
    await mentor.expect("через 1 час")
    for chat in (801, 901):  # the 24 h and the 1 h reminder, each once however many ticks and restarts
        assert len(await queued(running, chat, "Напоминание")) == 2
    assert len([m for m in mentee.replies() if "Напоминание" in (m.text or "")]) == 2


async def test_quiet_hours_move_a_reminder_and_late_reminders_go_out_within_the_grace(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    pair_id, _, _ = await _pair(running)
    meetings = running.service("meetings")
    from bot.meetings import Stage

    early = await meetings.create(pair_id, Stage.INTRO, msk(11, 8, 30), "СЮТ", None)
    mentee = tg.user(801)
    tg.user(901)
    clock.set(msk(11, 7, 30))  # the 1 h reminder would fall at 07:30, inside 21:00–08:00
    await tick(running)
    assert not await queued(running, 801, "Напоминание")  # worded at 08:00, when it can go out
    assert not [m for m in mentee.replies() if "через 1 час" in (m.text or "")]
    clock.set(msk(11, 8, 0))
    await tick(running)
    moved = await mentee.expect("Напоминание")
    assert "через 30 минут" in moved.text
    await meetings.set_status(early.id, "cancelled")

    # The bot was down when the 24 h reminder of a meeting came due: 3 h late is still within 6 h.
    late = await meetings.create(pair_id, Stage.INTRO, msk(20, 16, 0), "СЮТ", None)
    clock.set(msk(19, 19, 0))
    await tick(running)
    assert "через 21 час" in (await mentee.expect("Напоминание")).text
    await meetings.set_status(late.id, "cancelled")
    # 7 h late: missed, not sent.
    missed = await meetings.create(pair_id, Stage.INTRO, msk(25, 18, 0), "СЮТ", None)
    clock.set(msk(24, 18, 0) + timedelta(hours=7))
    await tick(running)
    rows = await running.db.fetchall("SELECT dedup_key FROM outbox WHERE dedup_key LIKE ?", (f"rem:{missed.id}:%",))
    assert rows == []


async def test_checkins_disagreement_and_the_pair_fit(tg: FakeTelegram, running: RunningBot, clock: FakeClock) -> None:
    pair_id, _, _ = await _pair(running)
    mentor, mentee, curator = tg.user(901), tg.user(801), tg.user(CURATOR_ID)
    await _schedule(mentor, 10, "16:30", topic=None)
    await mentee.expect("Приглашение: ")
    clock.set(msk(10, 18, 29))
    await tick(running)
    assert not await queued(running, 901, "состоялась?")
    assert not [m for m in mentor.replies() if "состоялась?" in (m.text or "")]
    clock.set(msk(10, 18, 30))
    await tick(running)
    ask = await mentor.expect("10.09.2026 16:30 — встреча-знакомство. Встреча состоялась?")
    # «Да» settles the meeting: the outbox asks both about the pair while the check-in goes on in place.
    mentor.pass_over(tr("fit-ask", audience="adult"))
    mentee.pass_over(tr("fit-ask", audience="adult"))
    await mentor.click("Да", ask)
    await mentor.click("5", await mentor.expect("Насколько полезной"))
    await mentor.expect("Что сделали")
    await mentor.send("Познакомились, обсудили проект по робототехнике")
    await mentor.expect("Спасибо, записано")
    mentee_ask = await mentee.expect("состоялась?")
    await mentee.click("Не состоялась", mentee_ask)
    await mentee.click("Забыли", await mentee.expect("Почему"))
    await mentee.expect("Спасибо, записано")
    flagged = await curator.expect("расходятся")
    assert f"пара №{pair_id}" in flagged.text
    row = await running.db.fetchone("SELECT status FROM meetings")
    assert row["status"] == "held"  # the mentor's answer decides; the curator looks into the disagreement
    checkin = await running.db.fetchone("SELECT usefulness, note FROM checkins WHERE answer='held'")
    assert checkin["usefulness"] == 5 and "робототехнике" in checkin["note"]

    await tg.wait_for(lambda: any("Как вам пара" in (m.text or "") for m in mentee.replies()))
    fit = next(m for m in mentee.replies() if "Как вам пара" in (m.text or ""))
    await mentee.click("Не подходит", fit)
    await mentee.expect("Спасибо за ответ")
    await curator.expect("пара не подходит")
    await mentor.send("/menu")
    assert "Этап: пробная встреча" in (await mentor.expect("Моё меню")).text


async def test_quiet_pair_nudges_the_mentor_then_alerts_the_curator_and_the_digest(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    await _pair(running)
    mentor, curator = tg.user(901), tg.user(CURATOR_ID)
    clock.advance(days=13, hours=23)
    await tick(running)
    assert not await queued(running, 901, "прошло")
    assert not [m for m in mentor.replies() if "прошло" in (m.text or "")]
    clock.advance(hours=1)
    await tick(running)
    assert "прошло 14 дней." in (await mentor.expect("Назначьте следующую")).text
    clock.advance(days=7)
    await tick(running)
    alert = await curator.expect("без встреч уже 21 день.")
    assert "Анна" in alert.text
    await tg.user(OTHER_CURATOR_ID).expect("без встреч")
    await tick(running)
    await tick(running)
    assert len(await queued(running, 901, "Назначьте следующую")) == 1
    assert len([m for m in mentor.replies() if "Назначьте следующую" in (m.text or "")]) == 1
    await tg.wait_for(lambda: any("Сводка на 28.09.2026" in (m.text or "") for m in curator.replies()))
    digest = next(m for m in curator.replies() if "Сводка на 28.09.2026" in (m.text or ""))
    assert "Пары без встреч 14+ дн.: 1" in digest.text
    days_with_digest = await running.db.fetchval(
        "SELECT COUNT(DISTINCT dedup_key) FROM outbox WHERE kind='digest' AND chat_id=?", (CURATOR_ID,)
    )
    assert days_with_digest == 3  # 7, 21 and 28 September: once a day, however many ticks


async def test_mentee_asks_for_another_time_and_the_mentor_moves_then_cancels(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    await _pair(running)
    mentor, mentee = tg.user(901), tg.user(801)
    await _schedule(mentor, 10, "16:30")
    invitation = await mentee.expect("Приглашение: ")
    await mentee.click("Нужно другое время", invitation)
    await mentee.expect("Когда вам удобно")
    await mentee.send("Лучше в пятницу после 17")
    await mentee.expect("сообщение у наставника")
    request = await mentor.expect("просит другое время")
    assert "пятницу после 17" in request.text
    await mentor.click("Перенести", request)
    await mentor.click("11", await mentor.expect("Выберите дату"))
    await mentor.click("18:00", await mentor.expect("Во сколько"))
    await mentor.click("Отправить приглашение", await mentor.expect("Когда:"))
    await mentor.expect("Встреча перенесена")
    moved = await mentee.expect("Новое время: 11.09.2026 18:00")
    assert "Подтверждаю" in moved.button_texts()
    meeting = await running.db.fetchone("SELECT id, starts_at FROM meetings")
    assert meeting["starts_at"].startswith("2026-09-11T15:00")
    await mentor.click("Отменить встречу")
    await mentor.expect("Встреча отменена")
    await mentee.expect("Отменено наставником: встреча-знакомство")
    await mentee.click("Подтверждаю", moved)  # an old invitation after the cancellation
    await tg.wait_for(lambda: "не действует" in (mentee.callback_answers()[-1].get("text") or ""))


async def test_blocking_the_bot_is_noticed_and_told_to_the_curator_once(
    tg: FakeTelegram, running: RunningBot
) -> None:
    await _pair(running)
    mentee, curator = tg.user(801), tg.user(CURATOR_ID)
    await mentee.block_bot()
    await curator.expect("Бот заблокирован участником")
    tg.expect_error(403, "bot was blocked by the user")
    await running.service("outbox").enqueue(801, "Напоминание")
    await tg.wait_for(lambda: any(e[1] == 403 for e in tg.errors))
    await mentee.unblock_bot()
    back = await curator.expect("Снова на связи в боте")
    assert back.text.startswith("Снова на связи в боте: Маша (")  # the name after a colon: no case to decline
    assert len(await queued(running, CURATOR_ID, "Бот заблокирован")) == 1
    assert len([m for m in curator.replies() if "Бот заблокирован" in (m.text or "")]) == 1


async def _pupil_pair(running: RunningBot) -> int:
    """A 12-year-old mentee (her parent consented) and an adult mentor."""
    mentee = await seed_participant(
        running, 801, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша", []), adult=False
    )
    mentor = await seed_participant(running, 901, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Анна", [], 1))
    [pair_id] = await running.service("matching").create_pairs(
        Form.TEACHER_PUPIL, [ProposedGroup(mentor, [(mentee, 5.0, "")])], CURATOR_ID
    )
    return pair_id


async def test_too_soon_names_the_earliest_time_and_back_leads_through_the_scheduling_dialog(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    await _pair(running)
    mentor, mentee = tg.user(901), tg.user(801)
    await mentor.send("/menu")
    await mentor.click("Назначить встречу", await mentor.expect("Моё меню"))
    calendar = await mentor.expect("Выберите дату")
    assert calendar.button_texts()[:2] == ["Сентябрь 2026", "Пн"]
    await mentor.click("7", calendar)
    times = await mentor.expect("07.09.2026. Во сколько?")
    assert times.button_texts()[-2:] == ["← Назад", "Отмена"]
    await mentor.send("12:10")  # it is 12:00 in Moscow
    too_soon = await mentor.expect("Слишком скоро")
    assert too_soon.text == (
        "Слишком скоро: встречу можно назначить не раньше 12:15 (через 15 минут или позже), чтобы все успели узнать"
    )
    assert "UTC" not in too_soon.text and too_soon.button_texts()[-2:] == ["← Назад", "Отмена"]

    # «Назад» from the time goes back to the date; the dialog goes on from there.
    await mentor.click("← Назад", too_soon)
    back_to_dates = await mentor.expect("Выберите дату")
    assert back_to_dates.edited and "10" in back_to_dates.button_texts()
    await mentor.click("10", back_to_dates)
    await mentor.expect("10.09.2026. Во сколько?")
    await mentor.send("16:30")
    places = await mentor.expect("Где встречаемся? Выберите или напишите место.")
    assert places.button_texts() == ["Онлайн", "В объединении", "← Назад", "Отмена"]
    await mentor.click("← Назад", places)
    await mentor.expect("10.09.2026. Во сколько?")
    await mentor.click("17:00")
    await mentor.click("Онлайн", await mentor.expect("Где встречаемся"))
    topic = await mentor.expect("Тема встречи?")
    assert topic.button_texts() == ["Пропустить", "← Назад", "Отмена"]
    await mentor.click("← Назад", topic)
    await mentor.click("В объединении", await mentor.expect("Где встречаемся"))
    await mentor.click("Пропустить", await mentor.expect("Тема встречи?"))
    preview = await mentor.expect("Когда:")
    assert "Когда: 10.09.2026 17:00" in preview.text and "Где: В объединении" in preview.text
    assert preview.button_texts() == ["Отправить приглашение", "← Назад", "Отмена"]
    await mentor.click("← Назад", preview)
    await mentor.send("Проект по робототехнике")
    preview = await mentor.expect("Тема: Проект по робототехнике")
    await mentor.click("Отправить приглашение", preview)
    await mentor.expect("Приглашение отправлено")
    assert "Когда: 10.09.2026 17:00" in (await mentee.expect("Приглашение: встреча-знакомство")).text


async def test_a_pupil_hears_ty_from_the_invitation_to_the_question_about_the_pair(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    await _pupil_pair(running)
    mentor, mentee = tg.user(901), tg.user(801)
    await _schedule(mentor, 10, "16:30", topic=None)
    invitation = await mentee.expect("Приглашение: встреча-знакомство")
    assert invitation.text == (
        "Приглашение: встреча-знакомство\nНаставник: Анна\nКогда: 10.09.2026 16:30\nГде: В объединении\nТема: —\n\n"
        "Подтверди встречу или попроси другое время — кнопкой ниже."
    )
    assert invitation.button_texts() == ["Подтверждаю", "Нужно другое время"]
    await mentee.click("Нужно другое время", invitation)
    assert (await mentee.expect("Когда тебе удобно?")).text == (
        "Когда тебе удобно? Напиши одним сообщением, я передам наставнику."
    )
    await mentee.send("В пятницу")
    await mentee.expect("сообщение у наставника")

    clock.set(msk(10, 15, 30))
    await tick(running)
    reminder = await mentee.expect("Напоминание")
    assert reminder.text == (
        "Напоминание: через 1 час — встреча-знакомство.\nКогда: 10.09.2026 16:30\nГде: В объединении"
    )
    assert reminder.text.count("встреч") == 1

    clock.set(msk(10, 18, 30))
    await tick(running)
    ask = await mentee.expect("Встреча состоялась?")
    assert ask.button_texts() == ["Да", "Перенесли", "Не состоялась"]
    mentee.pass_over("Как тебе пара")
    await mentee.click("Да", ask)
    await mentee.click("4", await mentee.expect("Насколько полезной"))
    what = await mentee.expect("Что сделали на встрече?")
    assert "Напиши коротко" in what.text and "нажми «Пропустить»" in what.text
    await mentee.click("Пропустить", what)
    await tg.wait_for(lambda: any("Как тебе пара" in (m.text or "") for m in mentee.replies()))
    fit = next(m for m in mentee.replies() if "Как тебе пара" in (m.text or ""))
    assert fit.text == "Первая встреча позади. Как тебе пара — подходит?"
    # The adult mentor of the same pair is asked «вы».
    await tg.wait_for(lambda: any("Как вам пара" in (m.text or "") for m in mentor.replies()))


async def test_a_pupil_mentor_schedules_in_ty(tg: FakeTelegram, running: RunningBot, clock: FakeClock) -> None:
    """A mentor who is a minor (a pupil mentoring a younger one) hears «ты» in the scheduling dialog."""
    mentee = await seed_participant(running, 801, Role.MENTEE_PUPIL, Form.PUPIL_PUPIL, pupil_answers("Маша", []))
    mentor = await seed_participant(
        running, 901, Role.MENTOR, Form.PUPIL_PUPIL, mentor_answers("Петя", [], 1), adult=False
    )
    await running.service("matching").create_pairs(
        Form.PUPIL_PUPIL, [ProposedGroup(mentor, [(mentee, 5.0, "")])], CURATOR_ID
    )
    user = tg.user(901)
    await user.send("/menu")
    await user.click("Назначить встречу", await user.expect("Моё меню"))
    await user.click("7", await user.expect("Выбери дату встречи"))
    await user.expect("07.09.2026. Во сколько? Выбери время или напиши, например: 16:30")
    await user.send("25:99")
    await user.expect("Такого времени не бывает: часы от 0 до 23, минуты от 00 до 59. Напиши, например, 16:30")
    await user.send("10:00")
    await user.expect("Это время уже прошло. Выбери день и время позже, чем сейчас")
