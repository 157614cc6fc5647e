"""Informing (roadmap 2.1–2.3): a question to the curator and back, materials, broadcasts to audiences."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import iso
from bot.consent import ConsentKind, render
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import make_invite, mentor_answers, pupil_answers, queued, seed_participant

MOSCOW = ZoneInfo("Europe/Moscow")


async def test_a_question_reaches_the_curator_and_the_answer_comes_back(tg: FakeTelegram, running: RunningBot) -> None:
    await seed_participant(running, 801, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша", []))
    await seed_participant(running, 802, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Петя", []))
    masha, petya, curator = tg.user(801), tg.user(802), tg.user(CURATOR_ID)
    await masha.send("/menu")
    await masha.click("Вопрос куратору", await masha.expect("Моё меню"))
    await masha.expect("Напишите вопрос")
    await masha.send_sticker()
    await masha.expect("понимаю только текст")
    await masha.send("Когда будет первая встреча?")
    await masha.expect("Вопрос отправлен")
    question = await curator.expect("Вопрос от участника")
    assert "Маша" in question.text and "Когда будет первая встреча?" in question.text
    await tg.user(OTHER_CURATOR_ID).expect("Когда будет первая встреча?")
    await curator.click("Ответить", question)
    await curator.expect("Кто спрашивает: Маша")
    await curator.send("В четверг в 16:30, каб. 12")
    await curator.expect("Ответ отправлен")
    answer = await masha.expect("Ответ куратора")
    assert "В четверг в 16:30" in answer.text and "Когда будет первая встреча?" in answer.text
    await curator.click("Ответить", question)  # the second curator's copy, or a second press
    await tg.wait_for(lambda: "уже ответили" in (curator.callback_answers()[-1].get("text") or ""))
    assert not [m for m in petya.replies() if "первая встреча" in (m.text or "")]
    assert not await queued(running, 802)
    await petya.click_data(question.buttons[0][0].callback_data or "", question.message_id)
    await tg.wait_for(lambda: bool(petya.callback_answers()))
    assert "Когда будет" not in " ".join(m.text or "" for m in petya.replies())
    row = await running.db.fetchone("SELECT answer, answered_by FROM questions")
    assert row["answer"] == "В четверг в 16:30, каб. 12" and row["answered_by"] == CURATOR_ID


async def test_materials_reach_their_audience_only(tg: FakeTelegram, running: RunningBot) -> None:
    await seed_participant(running, 801, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша", []))
    await seed_participant(running, 901, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Анна", [], 1))
    curator, mentee, mentor = tg.user(CURATOR_ID), tg.user(801), tg.user(901)
    await curator.send("/materials")
    await curator.click("Добавить документ", await curator.expect("Материалы программы (0)"))
    await curator.expect("Пришлите документ")
    await curator.send("просто текст")
    await curator.expect("Нужен документ файлом")
    await curator.send_document("pamyatka.pdf", "%PDF-1.4 памятка".encode())
    await curator.expect("Как назвать")
    await curator.send("Памятка наставляемого")
    await curator.click("Наставляемым", await curator.expect("Кому он нужен"))
    await curator.expect("добавлен (наставляемым)")

    await mentee.send("/menu")
    await mentee.click("Материалы", await mentee.expect("Моё меню"))
    await mentee.click("Памятка наставляемого", await mentee.expect("Выберите документ"))
    await tg.wait_for(lambda: any(m.document for m in mentee.replies()))
    document = next(m for m in mentee.replies() if m.document)
    assert document.document["content"] == "%PDF-1.4 памятка".encode()
    await mentor.send("/menu")
    await mentor.click("Материалы", await mentor.expect("Моё меню"))
    await mentor.expect("Материалов пока нет")


async def test_a_broadcast_reaches_exactly_its_audience_and_reports_delivery(
    tg: FakeTelegram, running: RunningBot
) -> None:
    ids = {
        "mentor": 901,
        "pupil_robotics": 801,
        "pupil_coding_pp": 802,
        "unfinished": 803,
        "minor": 804,
        "invited": 805,
    }
    await seed_participant(running, 901, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Анна", [], 2))
    await seed_participant(running, 801, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша", []))
    await seed_participant(
        running, 802, Role.MENTEE_PUPIL, Form.PUPIL_PUPIL, pupil_answers("Петя", [], club="programming")
    )
    repo = running.service("participants")
    invites = running.service("invites")
    unfinished = await repo.join(
        803, await invites.create(Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, 1, days=None, max_uses=None)
    )
    await repo.set_adult(unfinished.id, True, None)
    await repo.record_consent(unfinished.id, render("СЮТ", ConsentKind.SELF), kind=ConsentKind.SELF, given_by=803)
    minor = await repo.join(
        804, await invites.create(Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, 1, days=None, max_uses=None)
    )
    await repo.set_adult(minor.id, False, "p-abcdefghijklmnop")
    await repo.join(805, await invites.create(Role.MENTOR, Form.TEACHER_PUPIL, 1, days=None, max_uses=None))
    for telegram_id in ids.values():
        tg.user(telegram_id)
    curator = tg.user(CURATOR_ID)
    expected = {
        "Всем участникам": {901, 801, 802, 803},
        "Наставникам": {901},
        "Наставляемым": {801, 802, 803},
        "Не заполнившим анкету": {803},
        "Ждущим согласия родителя": {804},
        ("Форме наставничества…", "ученик – ученик"): {802},
        ("Объединению…", "Робототехника"): {901, 801},
    }
    for n, (audience, recipients) in enumerate(expected.items(), start=1):
        await curator.send("/broadcast")
        await curator.expect("Напишите сообщение для рассылки")
        await curator.send(f"Объявление №{n}: <b>встреча</b> & чай")
        picker = await curator.expect("Кому отправить")
        if isinstance(audience, tuple):
            await curator.click(audience[0], picker)
            await curator.click(audience[1], await curator.expect("Кому отправить"))
        else:
            await curator.click(audience, picker)
        preview = await curator.expect("Получателей")
        assert f"Получателей: {len(recipients)}" in preview.text
        await curator.expect(f"Объявление №{n}")  # the message as they will get it
        await curator.click("Отправить", await curator.expect("Отправить?"))
        await curator.expect("поставлена в очередь")
        for telegram_id in recipients:
            got = await tg.user(telegram_id).expect(f"Объявление №{n}")
            assert f"Объявление №{n}: <b>встреча</b> & чай" == got.text  # exactly what the curator typed
        outsiders = set(ids.values()) - recipients
        for telegram_id in outsiders:
            assert not [m for m in tg.user(telegram_id).replies() if f"Объявление №{n}:" in (m.text or "")]
            assert not await queued(running, telegram_id, f"Объявление №{n}:")
    await running.service("jobs").tick()
    report = await curator.expect("Отчёт о рассылке")
    assert "Доставлено:" in report.text


async def test_a_photo_broadcast_and_strangers_cannot_broadcast(tg: FakeTelegram, running: RunningBot) -> None:
    await seed_participant(running, 801, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша", []))
    mentee, curator = tg.user(801), tg.user(CURATOR_ID)
    await curator.send("/broadcast")
    await curator.expect("Напишите сообщение")
    await curator.send_photo(caption="Фото с выставки")
    await curator.click("Всем участникам", await curator.expect("Кому отправить"))
    await curator.expect("Получателей: 1")
    await curator.expect("Фото с выставки")  # the photo as they will get it
    await curator.click("Отправить", await curator.expect("Отправить?"))
    photo = await mentee.expect("Фото с выставки")
    assert photo.photo is not None and photo.text == "Фото с выставки"
    await mentee.send("/broadcast")
    reply = await mentee.next_reply()  # the answer to her /broadcast, the photo being consumed above
    assert "Напишите сообщение" not in (reply.text or "")
    code = await make_invite(running, Role.MENTOR, Form.TEACHER_PUPIL)
    assert code


async def test_a_broadcast_queued_in_quiet_hours_says_when_it_will_go_out(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    await seed_participant(running, 801, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша", []))
    tg.user(801)
    curator = tg.user(CURATOR_ID)

    async def broadcast(text: str) -> str:
        await curator.send("/broadcast")
        await curator.expect("Напишите сообщение для рассылки")
        await curator.send(text)
        await curator.click("Всем участникам", await curator.expect("Кому отправить"))
        await curator.expect("Получателей: 1")
        await curator.expect(text)
        await curator.click("Отправить", await curator.expect("Отправить?"))
        return (await curator.expect("поставлена в очередь")).text or ""

    # 22:30 in Moscow (quiet hours 21:00–08:00): it goes out tomorrow morning, and the curator is told so.
    clock.set(datetime(2026, 9, 7, 22, 30, tzinfo=MOSCOW))
    late = await broadcast("Завтра выставка")
    assert "Сейчас тихие часы: сообщение уйдёт 08.09.2026 08:00." in late
    row = await running.db.fetchone("SELECT not_before FROM outbox WHERE text='Завтра выставка'")
    assert row["not_before"] == iso(datetime(2026, 9, 8, 8, 0, tzinfo=MOSCOW))
    assert await queued(running, 801, "Завтра выставка") == ["Завтра выставка"]
    # 06:15: later the same morning.
    clock.set(datetime(2026, 9, 8, 6, 15, tzinfo=MOSCOW))
    early = await broadcast("Выставка сегодня")
    assert "Сейчас тихие часы: сообщение уйдёт 08.09.2026 08:00." in early
    # In the daytime nothing is said about quiet hours, and the message goes out at once.
    clock.set(datetime(2026, 9, 8, 12, 0, tzinfo=MOSCOW))
    day = await broadcast("Выставка открыта")
    assert "тихие часы" not in day
    await tg.user(801).expect_all("Завтра выставка", "Выставка сегодня", "Выставка открыта")
