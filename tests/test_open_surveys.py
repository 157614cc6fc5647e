"""The curator's surveys: the form picker offers only forms with people, a calendar launch says who was asked
and asks later pairs within its window, and /surveys lists the open surveys, who has not answered, and closes
one."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import answer_anything, mentor_answers, pupil_answers, queued, seed_participant

TP = Form.TEACHER_PUPIL
PP = Form.PUPIL_PUPIL


async def test_the_campaign_form_picker_lists_only_forms_that_have_people(
    tg: FakeTelegram, running: RunningBot
) -> None:
    await seed_participant(running, 801, Role.MENTEE_PUPIL, TP, pupil_answers("Маша", []))
    await seed_participant(running, 901, Role.MENTOR, TP, mentor_answers("Анна", [], 2))
    await seed_participant(running, 802, Role.MENTEE_PUPIL, PP, pupil_answers("Петя", []))
    # Someone who only opened an invite (no consent) does not make a form worth asking.
    invite = await running.service("invites").create(
        Role.MENTOR, Form.STUDENT_PUPIL, CURATOR_ID, days=None, max_uses=None
    )
    await running.service("participants").join(803, invite)
    curator = tg.user(CURATOR_ID)
    await curator.send("/campaign")
    await curator.click("Оценка качества программы", await curator.expect("Какой опрос"))
    await curator.click("Форме наставничества…", await curator.expect("Кому?"))
    picker = await curator.expect("Кому?")
    assert picker.button_texts() == [
        "ученик – ученик: все",
        "ученик – ученик: наставляемые",
        "педагог – обучающийся: все",
        "педагог – обучающийся: наставляемые",
        "педагог – обучающийся: наставники",
    ]


DECEMBER = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # the calendar's December monitoring opens; closes 15.12


async def _group(running: RunningBot, tg: FakeTelegram, mentor: int, mentees: list[int]) -> list[int]:
    """A mentor (telegram id) with mentees confirmed as a group now; their participant ids."""
    ids = [await seed_participant(running, mentor, Role.MENTOR, TP, mentor_answers(f"Наставник {mentor}", [], 3))]
    for telegram_id in mentees:
        ids.append(
            await seed_participant(running, telegram_id, Role.MENTEE_PUPIL, TP, pupil_answers(f"У{telegram_id}", []))
        )
    for telegram_id in (mentor, *mentees):
        tg.user(telegram_id)
    group = ProposedGroup(ids[0], [(pid, 5.0, "") for pid in ids[1:]])
    await running.service("matching").create_pairs(TP, [group], CURATOR_ID)
    return ids


async def _invited(running: RunningBot) -> list[int]:
    """Chats of the invitations queued (reminders aside)."""
    rows = await running.db.fetchall("SELECT chat_id FROM outbox WHERE dedup_key LIKE 'cinv:%' ORDER BY chat_id")
    return [r["chat_id"] for r in rows]


async def test_a_calendar_launch_tells_the_curator_and_asks_a_pair_once_it_has_worked_long_enough(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    clock.set(DECEMBER - timedelta(weeks=6))
    await _group(running, tg, 901, [801])
    clock.set(datetime(2026, 11, 10, 12, 0, tzinfo=UTC))  # four weeks on 08.12, inside the window
    late = await _group(running, tg, 902, [802, 803])
    clock.set(DECEMBER)
    jobs = running.service("jobs")
    await jobs.tick()

    curator = tg.user(CURATOR_ID)
    for chat in (CURATOR_ID, OTHER_CURATOR_ID):
        tg.user(chat).pass_over("без встреч уже")  # the quiet-pair alert comes on its own schedule
    report = await curator.expect("По календарю программы запущен опрос «Оценка качества программы»")
    assert report.text == (
        "📋 По календарю программы запущен опрос «Оценка качества программы», ответы до 15.12.2026.\n"
        "Приглашение получили (2):\n• Наставник 901 — наставник\n• У801 — наставляемый-обучающийся\n\n"
        "Ещё не приглашены — их пара работает меньше 4 недель (3):\n"
        "• Наставник 902 — наставник: получит приглашение 08.12.2026\n"
        "• У802 — наставляемый-обучающийся: получит приглашение 08.12.2026\n"
        "• У803 — наставляемый-обучающийся: получит приглашение 08.12.2026"
    )
    await tg.user(OTHER_CURATOR_ID).expect("По календарю программы запущен опрос")
    assert await _invited(running) == [801, 901]
    await curator.send("/surveys")
    listing = await curator.expect("Открытые опросы (1)")
    assert listing.text.endswith(
        "Ответили 0 из 2\nЕщё не приглашены (пара работает меньше 4 недель): 3, из них получат до закрытия: 3"
    )

    clock.set(datetime(2026, 12, 8, 11, 0, tzinfo=UTC))  # not four weeks yet
    await jobs.tick()
    assert await _invited(running) == [801, 901]
    clock.set(datetime(2026, 12, 8, 12, 1, tzinfo=UTC))
    await jobs.tick()
    await jobs.tick()
    assert await _invited(running) == [801, 802, 803, 901, 902]  # each once
    invite = await tg.user(802).expect("Оценка качества программы")
    assert "до 15.12.2026" in invite.text and invite.button_texts() == ["Ответить"]
    told = await curator.expect("приглашение отправлено ещё 3 участникам")
    assert told.text == (
        "📋 Опрос «Оценка качества программы» (ответы до 15.12.2026): приглашение отправлено ещё 3 участникам"
        " из новых пар и групп:\n• Наставник 902 — наставник\n• У802 — наставляемый-обучающийся"
        "\n• У803 — наставляемый-обучающийся"
    )
    recipients = await running.db.fetchall(
        "SELECT r.participant_id FROM campaign_recipients r JOIN campaigns c ON c.id=r.campaign_id"
        " WHERE c.calendar_key='quality:2026-12-01' ORDER BY r.participant_id"
    )
    assert {r["participant_id"] for r in recipients} >= set(late)
    assert len(await queued(running, CURATOR_ID, "приглашение отправлено ещё")) == 1


@pytest.mark.allow_errors(log="tick job campaign_calendar failed")
async def test_a_group_confirmed_just_after_the_launch_is_asked_on_the_next_tick(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = running.service("jobs")
    monitoring = jobs.settings.monitoring.model_copy(update={"campaign_min_pair_weeks": 0})
    monkeypatch.setattr(jobs, "settings", dataclasses.replace(jobs.settings, monitoring=monitoring))
    clock.set(DECEMBER - timedelta(days=3))
    await _group(running, tg, 901, [801])
    clock.set(DECEMBER)
    await jobs.tick()
    assert await _invited(running) == [801, 901]
    clock.advance(seconds=4)
    await _group(running, tg, 902, [802, 803])

    # The next tick crashes in the middle of the invitations: no recipient row stays without its invitation.
    await running.db.execute(
        "CREATE TEMP TRIGGER crash_mid_invite BEFORE INSERT ON outbox"
        " WHEN NEW.kind='campaign' AND NEW.chat_id=803 BEGIN SELECT RAISE(ABORT, 'crash'); END"
    )
    clock.advance(seconds=30)
    await jobs.tick()
    assert await _invited(running) == [801, 901]
    assert await running.db.fetchval("SELECT COUNT(*) FROM campaign_recipients") == 2
    assert not await queued(running, CURATOR_ID, "приглашение отправлено ещё")
    await running.db.execute("DROP TRIGGER crash_mid_invite")

    clock.advance(seconds=30)
    await jobs.tick()
    await jobs.tick()
    assert await _invited(running) == [801, 802, 803, 901, 902]
    assert await running.db.fetchval("SELECT COUNT(*) FROM campaign_recipients") == 5
    await tg.user(803).expect("Оценка качества программы")
    told = await queued(running, CURATOR_ID, "приглашение отправлено ещё 3 участникам")
    assert len(told) == 1 and "У802" in told[0]

    # After the window closes a new group is not asked.
    clock.set(datetime(2026, 12, 16, 9, 0, tzinfo=UTC))
    await jobs.tick()
    await _group(running, tg, 903, [804])
    clock.advance(minutes=1)
    await jobs.tick()
    assert await _invited(running) == [801, 802, 803, 901, 902]


async def test_surveys_lists_the_open_ones_who_has_not_answered_reminds_them_and_closes_one(
    tg: FakeTelegram, running: RunningBot
) -> None:
    await _group(running, tg, 901, [801, 802])
    await _group(running, tg, 902, [803])
    curator = tg.user(CURATOR_ID)
    await curator.send("/surveys")
    await curator.expect("Открытых опросов нет")
    await curator.send("/campaign")
    await curator.click("Оценка качества программы", await curator.expect("Какой опрос"))
    await curator.click("Участникам пар и групп", await curator.expect("Кому?"))
    await curator.click("14 дн.", await curator.expect("Сколько дней"))
    await curator.click("Запустить", await curator.expect("Получателей: 5"))
    await curator.expect("Опрос запущен: 5")
    masha = tg.user(801)
    await masha.click("Ответить", await masha.expect("Оценка качества программы"))
    await masha.click("Всё верно", await answer_anything(masha))
    await masha.expect("Ответы сохранены")
    invite = await tg.user(803).expect("Оценка качества программы")
    await tg.user(802).expect("Оценка качества программы")

    await curator.send("/surveys")
    listing = await curator.expect("Открытые опросы (1)")
    assert listing.text == (
        "Открытые опросы (1)\n\n1. Оценка качества программы — Участникам пар и групп\n"
        "Открыт 07.09.2026, ответы до 21.09.2026\nОтветили 1 из 5"
    )
    assert listing.button_texts() == ["Кто не ответил", "Закрыть опрос"]
    await curator.click("Кто не ответил", listing)
    pending = await curator.expect("Не ответили 4 из 5")
    assert pending.text.endswith(
        "Не ответили 4 из 5:\n• Наставник 901 — наставник\n• Наставник 902 — наставник\n"
        "• У802 — наставляемый-обучающийся\n• У803 — наставляемый-обучающийся"
    )
    assert pending.button_texts() == ["Напомнить", "← К опросам"]
    await curator.click("Напомнить", pending)
    await tg.wait_for(lambda: "в очередь: 4" in (curator.callback_answers()[-1].get("text") or ""))
    reminder = await tg.user(802).expect("Напоминание: опрос «Оценка качества программы»")
    assert reminder.button_texts() == ["Ответить"]
    assert not await queued(running, 801, "Напоминание")  # she has answered
    await curator.click("Напомнить", pending)  # a second press the same day queues nothing
    await tg.wait_for(lambda: "уже напоминали" in (curator.callback_answers()[-1].get("text") or ""))
    assert len(await queued(running, 802, "Напоминание")) == 1

    await curator.click("← К опросам", pending)
    await curator.click("Закрыть опрос", await curator.expect("Открытые опросы (1)"))
    confirm = await curator.expect("Закрыть опрос «Оценка качества программы»? Ответили 1 из 5.")
    assert confirm.button_texts() == ["Да, закрыть", "Отмена"]
    await curator.click("Отмена", confirm)
    listing = await curator.expect("Открытые опросы (1)")
    assert await running.db.fetchval("SELECT closed_at FROM campaigns") is None
    await curator.click("Закрыть опрос", listing)
    await curator.click("Да, закрыть", await curator.expect("Закрыть опрос «"))
    await curator.expect("Опрос «Оценка качества программы» закрыт: ответили 1 из 5.")
    assert await running.db.fetchval("SELECT closed_at FROM campaigns") is not None
    await tg.user(803).click("Ответить", invite)
    await tg.wait_for(lambda: any("закрыт" in (a.get("text") or "") for a in tg.user(803).callback_answers()))
    await curator.send("/surveys")
    await curator.expect("Открытых опросов нет")
    actions = {r["action"] for r in await running.db.fetchall("SELECT action FROM audit_log")}
    assert {"campaign.unanswered", "campaign.remind", "campaign.close"} <= actions
    await curator.send("/help")
    assert "/surveys — открытые опросы" in (await curator.expect("Команды куратора")).text
