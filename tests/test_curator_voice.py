"""The curator's screens speak the catalogue's rules (issue 13): names in running text need no case, no
gendered «(а)» forms, counts take their plural form, a name inside «…» keeps its own quotes as „…“, and every
time is on the institution's clock in one format, without «UTC»."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram
from tests.conftest import CURATOR_BACKGROUND, CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import code_in, mentor_answers, pupil_answers, seed_participant
from tests.test_roadmap_dialog import open_item

ORG_QUOTED = "«МБУ ДО „Станция юных техников“»"


async def test_a_question_names_the_participant_after_a_colon_and_the_pupil_reads_ty(
    tg: FakeTelegram, running: RunningBot
) -> None:
    masha_id = await seed_participant(
        running, 801, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша Иванова", [])
    )
    await running.service("participants").set_adult(masha_id, False, None)  # a 12-year-old: «ты»
    masha, curator = tg.user(801), tg.user(CURATOR_ID)
    await masha.send("/ask")
    await masha.expect("вопрос")
    await masha.send("Когда будет первая встреча?")
    await masha.expect("Вопрос отправлен")
    question = await curator.expect("Когда будет первая встреча?")
    assert question.text.startswith("Вопрос от участника: Маша Иванова")
    await curator.click("Ответить", question)
    prompt = await curator.expect("Маша Иванова")
    assert "Ваш ответ на вопрос" not in prompt.text
    assert prompt.text.startswith("Кто спрашивает: Маша Иванова.")
    await curator.send("В четверг в 16:30")
    await curator.expect("Ответ отправлен")
    answer = await masha.expect("В четверг в 16:30")
    assert "на твой вопрос «Когда будет первая встреча?»" in answer.text


async def test_the_curators_list_and_removal_have_no_gendered_forms(tg: FakeTelegram, running: RunningBot) -> None:
    owner = tg.user(CURATOR_ID)
    await owner.send("/curators")
    await owner.click("Добавить куратора", await owner.expect("Кураторы программы"))
    link = await owner.expect("Ссылка для нового куратора")
    assert re.search(r"действует \d+ (час|часа|часов)\.", link.text), link.text
    new = tg.user(2000, "Ирина", last_name="Смирнова")
    new.pass_over(*CURATOR_BACKGROUND)
    await new.send(f"/start {code_in(link.text)}")
    joined = await new.expect("Готово: вы куратор программы")
    assert f"программы наставничества {ORG_QUOTED}" in joined.text
    await owner.expect("Новый куратор программы: Ирина Смирнова")
    await owner.send("/curators")
    listing = await owner.expect("Кураторы программы")
    assert "Ирина Смирнова — в списке с 07.09.2026" in listing.text
    await owner.click("Убрать: Ирина Смирнова", listing)
    confirm = await owner.expect("Ирина Смирнова")
    assert confirm.text.startswith("Убрать из кураторов: Ирина Смирнова?")
    assert "(а)" not in confirm.text and "Он" not in confirm.text
    await owner.click("Да, убрать", confirm)
    await owner.expect("Кураторы программы")
    await tg.wait_for(lambda: any(a.get("text") for a in owner.callback_answers()))
    removed = [a["text"] for a in owner.callback_answers() if a.get("text")][-1]
    assert removed == "Ирина Смирнова больше не куратор программы."


async def _programme(tg: FakeTelegram, running: RunningBot, pupils: int) -> None:
    for n in range(pupils):
        tg.user(801 + n)
        name = ("Маша", "Петя", "Оля", "Коля", "Вика")[n]
        person = await seed_participant(
            running, 801 + n, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers(name, [])
        )
        await running.service("participants").set_adult(person, False, None)  # children: «ты»


async def test_a_campaign_and_a_broadcast_count_their_recipients_in_words(
    tg: FakeTelegram, running: RunningBot
) -> None:
    await _programme(tg, running, 3)
    curator = tg.user(CURATOR_ID)
    await curator.send("/campaign")
    await curator.click("Оценка качества программы", await curator.expect("Какой опрос"))
    await curator.click("Всем участникам", await curator.expect("Кому?"))
    await curator.click("7 дн.", await curator.expect("Сколько дней"))
    await curator.click("Запустить", await curator.expect("Получателей: 3"))
    started = await curator.expect("Опрос запущен")
    assert started.text.startswith("Опрос запущен: 3 получателя.")
    assert "3 получателей" not in started.text

    await curator.send("/broadcast")
    await curator.expect("Напишите сообщение для рассылки")
    await curator.send("Завтра выставка")
    await curator.click("Всем участникам", await curator.expect("Кому отправить"))
    await curator.expect("Получателей: 3")
    await curator.expect("Завтра выставка")  # the message as they will get it
    await curator.click("Отправить", await curator.expect("Отправить?"))
    queued = await curator.expect("поставлена в очередь")
    assert queued.text.startswith("Рассылка поставлена в очередь: 3 получателя.")


async def test_a_material_title_keeps_its_quotes_inside_the_curators_quotes(
    tg: FakeTelegram, running: RunningBot
) -> None:
    curator = tg.user(CURATOR_ID)
    await curator.send("/materials")
    await curator.click("Добавить документ", await curator.expect("Материалы программы (0)"))
    await curator.expect("Пришлите документ")
    await curator.send_document("polozhenie.pdf", b"%PDF-1.4")
    await curator.expect("Как назвать")
    await curator.send("Положение «О наставничестве»")
    await curator.click("Всем", await curator.expect("Кому он нужен"))
    added = await curator.expect("добавлен")
    assert "Документ «Положение „О наставничестве“» добавлен" in added.text


async def test_the_group_meeting_counts_in_words_and_shows_one_time_format(
    tg: FakeTelegram, running: RunningBot
) -> None:
    await _programme(tg, running, 1)
    await seed_participant(running, 901, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Анна", [], 2))
    curator, masha, anna = tg.user(CURATOR_ID), tg.user(801), tg.user(901)
    await curator.send("/groupmeeting")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.expect("Когда она пройдёт")
    await curator.send("25.09 16:30")
    await curator.expect("Где?")
    await curator.send("СЮТ, каб. 12")
    preview = await curator.expect("Получат приглашение: 2")
    assert "Когда: 25.09.2026 16:30" in preview.text
    await curator.click("Разослать", preview)
    sent = await curator.expect("Приглашение отправлено")
    assert sent.text.startswith("Приглашение отправлено 2 участникам.")
    to_pupil = await masha.expect("Групповая встреча")
    assert "25.09.2026 16:30" in to_pupil.text and "ты сможешь выбрать" in to_pupil.text
    to_adult = await anna.expect("Групповая встреча")
    assert "вы сможете выбрать" in to_adult.text


async def test_no_time_in_the_curators_chat_says_utc(tg: FakeTelegram, running: RunningBot, clock: FakeClock) -> None:
    await _programme(tg, running, 2)
    curator = tg.user(CURATOR_ID)
    await curator.send("/participants")
    await curator.click("Список: все", await curator.expect("Участники программы"))
    await curator.click("1. Маша", await curator.expect("Маша"))
    card = await curator.expect("Роль: наставляемый-обучающийся")
    assert "UTC" not in card.text and "Присоединился" not in card.text
    assert re.search(r"Согласие: .*\d\d\.\d\d\.\d{4} \d\d:\d\d", card.text), card.text
    assert re.search(r"Дата входа: \d\d\.\d\d\.\d{4}", card.text), card.text


async def test_a_roadmap_item_with_quotes_keeps_them_inside_the_confirmations_quotes(
    tg: FakeTelegram, running: RunningBot
) -> None:
    curator = tg.user(CURATOR_ID)
    card = await open_item(curator, "4.5")
    await curator.click("Изменить", card)
    await curator.click("Содержание", await curator.expect("что изменить?"))
    await curator.send("Утвердить «Положение о наставничестве»")
    card = await curator.expect("Пункт 4.5 сохранён")
    await curator.click("Удалить", card)
    confirm = await curator.expect("Удалить пункт 4.5")
    assert "Удалить пункт 4.5 «Утвердить „Положение о наставничестве“» из дорожной карты?" in confirm.text



async def test_the_participants_summary_names_statuses_without_gender(tg: FakeTelegram, running: RunningBot) -> None:
    invites = running.service("invites")
    invite = await invites.create(Role.MENTOR, Form.TEACHER_PUPIL, CURATOR_ID, days=None, max_uses=None)
    await running.service("participants").join(901, invite)  # joined by the link, no consent yet
    curator = tg.user(CURATOR_ID)
    await curator.send("/participants")
    summary = await curator.expect("Участники программы")
    assert "вход по ссылке, согласия нет: 1" in summary.text
    assert "приглашён" not in summary.text and "Список: вход по ссылке, согласия нет" in summary.button_texts()


async def test_a_survey_title_keeps_its_quotes_inside_the_curators_quotes(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    await _programme(tg, running, 1)
    person = await running.service("participants").by_telegram(801)
    await running.service("campaigns").create(
        survey="quality",
        kind="manual",
        segment="all",
        title="Опрос «Итоги года»",
        opens_at=clock.now(),
        closes_at=clock.now() + timedelta(days=14),
        created_by=CURATOR_ID,
        recipients=[(person.id, "quality_mentee")],
    )
    curator = tg.user(CURATOR_ID)
    await curator.send("/surveys")
    await curator.click("Закрыть опрос", await curator.expect("Открытые опросы (1)"))
    confirm = await curator.expect("Закрыть опрос «")
    assert confirm.text.startswith("Закрыть опрос «Опрос „Итоги года“»? Ответили 0 из 1.")
