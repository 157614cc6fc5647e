"""Forming pairs (roadmap 4.4) end to end: group meeting, attendance, preferences, draft, confirm, files."""

from __future__ import annotations

import io
import json

import openpyxl
from docx import Document

from bot.i18n import tr
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram
from tests.conftest import CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import mentor_answers, pupil_answers, queued, seed_participant

TP = Form.TEACHER_PUPIL


async def _seed(running: RunningBot) -> dict[str, int]:
    ids = {
        "masha": await seed_participant(running, 801, Role.MENTEE_PUPIL, TP, pupil_answers("Маша", ["proj_robotics"])),
        "petya": await seed_participant(running, 802, Role.MENTEE_PUPIL, TP, pupil_answers("Петя", ["proj_coding"])),
        "olya": await seed_participant(running, 803, Role.MENTEE_PUPIL, TP, pupil_answers("Оля", ["profession"])),
        "anna": await seed_participant(
            running, 901, Role.MENTOR, TP, mentor_answers("Анна Сергеевна", ["proj_robotics"], 1)
        ),
        "ivan": await seed_participant(
            running, 902, Role.MENTOR, TP, mentor_answers("Иван Петрович", ["proj_coding", "profession"], 2)
        ),
    }
    return ids


async def test_the_whole_way_from_group_meeting_to_the_directors_order(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    ids = await _seed(running)
    people = {tid: tg.user(tid) for tid in (801, 802, 803, 901, 902)}
    curator = tg.user(CURATOR_ID)

    # The group meeting is announced to every candidate of the form.
    await curator.send("/groupmeeting")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.expect("Когда она пройдёт")
    await curator.send("вчера")
    await curator.expect("Не понимаю дату и время")
    await curator.send("01.09.2026 10:00")
    await curator.expect("уже прошло")
    await curator.send("25.09 16:30")
    await curator.expect("Где?")
    await curator.send("СЮТ, каб. 12")
    preview = await curator.expect("Получат приглашение: 5")
    await curator.click("Разослать", preview)
    await curator.expect("Приглашение отправлено 5 участникам")
    for user in people.values():
        notice = await user.expect("Групповая встреча")
        assert "25.09.2026 16:30" in notice.text and "каб. 12" in notice.text

    # Attendance: Оля did not come.
    await curator.send("/groupmeeting")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click("Отметить присутствие", await curator.expect("Отмечено присутствующих: 0 из 5"))
    for name in ("Маша", "Петя", "Анна Сергеевна", "Иван Петрович"):
        await curator.click(name, await curator.expect("Отметьте, кто был"))
    marked = await curator.expect("(4 из 5)")
    assert "✅ Маша" in marked.button_texts() and "Оля" in marked.button_texts()

    # The preference survey goes to those who came.
    await curator.send("/preferences")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click("Только из бывших на встрече", await curator.expect("Из кого выбирать"))
    await curator.expect("разослана 4 участникам")
    masha, petya, anna, ivan = people[801], people[802], people[901], people[902]
    await masha.click("Выбрать", await masha.expect("выберите, с кем"))
    screen = await masha.expect("Кого из наставников")
    assert sorted(screen.button_texts()[:2]) == ["Анна Сергеевна", "Иван Петрович"]
    assert "Оля" not in " ".join(screen.button_texts()) and "Петя" not in " ".join(screen.button_texts())
    await masha.click("Анна Сергеевна", screen)
    await masha.click("Готово", await masha.expect("1. Анна Сергеевна"))
    await masha.expect("выбор записан")
    await anna.click("Выбрать", await anna.expect("выберите, с кем"))
    await anna.click("Маша", await anna.expect("Кого из наставляемых"))
    await anna.click("Петя", await anna.expect("1. Маша"))
    await tg.wait_for(lambda: "не больше 1" in (anna.callback_answers()[-1].get("text") or ""))
    await anna.click("Готово")
    await anna.expect("выбор записан")
    await petya.click("Выбрать", await petya.expect("выберите, с кем"))
    await petya.click("Без предпочтений", await petya.expect("Кого из наставников"))
    await petya.expect("без предпочтений")
    await curator.send("/preferences")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    status = await curator.expect("Ответили: 3 из 4")
    assert "Иван Петрович" in status.text
    # The status screen is shown again after the reminder; unchanged, Telegram says "not modified" (ui.show).
    tg.expect_error(400, "message is not modified")
    await curator.click("Напомнить не ответившим", status)
    await ivan.expect("выберите, с кем")
    await ivan.expect("ещё не ответили")
    assert not [m for m in people[803].replies() if "ещё не ответили" in (m.text or "")]
    assert not await queued(running, 803, "ещё не ответили")  # Оля was not at the meeting: not in the round

    # The draft: scores and reasons in words; the curator excludes a pair, resets, moves a mentee.
    await curator.send("/match")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    draft = await curator.expect("Черновик подбора")
    assert "взаимный выбор №1" in draft.text
    assert "Наставляемых подобрано: 3 из 3" in draft.text
    assert "Анна Сергеевна" in draft.text and "группа (2)" in draft.text
    await curator.click("Исключить пару", draft)
    await curator.click("Маша → Анна Сергеевна", await curator.expect("Какую пару исключить"))
    excluded = await curator.expect("исключено 1")
    assert "Маша — " in excluded.text
    await curator.click("Сбросить ограничения", excluded)
    await curator.expect("исключено 0")
    await curator.click("Переместить")
    await curator.click("Оля", await curator.expect("Кого переместить"))
    await curator.click("Анна Сергеевна", await curator.expect("К какому наставнику"))
    moved = await curator.expect("закреплено 1")
    assert "📌" in moved.text

    # Петя withdraws while the curator looks: the old confirm button is refused with a fresh draft.
    stale = moved
    await petya.send("/forget")
    await petya.click("Да, удалить мои данные", await petya.expect("Отозвать согласие?"))
    await petya.expect("данные удалены")
    await curator.expect("отозвал согласие")
    await curator.click("Утвердить", stale)
    refused = await curator.expect("данные изменились")
    # What changed, without the name of the one who deleted their data.
    pseudonym = f"P-{ids['petya']:05d}"
    assert refused.text.split("Что изменилось:\n", 1)[1].startswith(
        f"• {pseudonym} (участник удалил данные): больше не среди кандидатов (было: Иван Петрович)\n\n"
    )
    fresh = await curator.expect("Черновик подбора")
    assert "Петя" not in fresh.text
    await curator.click("Утвердить", fresh)
    await curator.expect("Утверждено")

    pairs = await running.db.fetchall(
        "SELECT x.mentor_id, m.mentee_id, m.reasons FROM pairs x JOIN pair_members m ON m.pair_id=x.id"
    )
    by_mentee = {r["mentee_id"]: r["mentor_id"] for r in pairs}
    assert by_mentee[ids["olya"]] == ids["anna"]  # the curator's move held
    assert set(by_mentee) == {ids["masha"], ids["olya"]}
    assert sum(1 for m in by_mentee.values() if m == ids["anna"]) == 1  # capacity 1 respected

    _, olya_mentor = await people[803].expect_all(tr("growth-entry-title"), "Ваш наставник")
    assert "Анна Сергеевна" in olya_mentor.text
    _, ivan_notice = await ivan.expect_all(tr("growth-entry-title"), "Вам закреплены")
    assert "Маша" in ivan_notice.text
    assert "Оля" not in ivan_notice.text and "Петя" not in ivan_notice.text

    await curator.expect(tr("pairs-xlsx-caption"), timeout=10)
    await curator.expect(tr("order-docx-caption"), timeout=10)
    documents = [m for m in curator.replies() if m.document]
    assert len(documents) == 2
    names = [d.document["file_name"] for d in documents]
    assert any(n.endswith(".xlsx") for n in names) and any(n.endswith(".docx") for n in names)
    xlsx = next(d.document for d in documents if d.document["file_name"].endswith(".xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx["content"]))
    assert "Все" in workbook.sheetnames
    cells = [str(c.value) for row in workbook["Все"].iter_rows() for c in row if c.value is not None]
    assert "Анна Сергеевна" in cells and "Иван Петрович" in cells and any("Маша" in c for c in cells)
    docx = next(d.document for d in documents if d.document["file_name"].endswith(".docx"))
    order = Document(io.BytesIO(docx["content"]))
    text = "\n".join(p.text for p in order.paragraphs)
    assert "О закреплении наставнических пар" in text and "ПРИКАЗ" in text
    table_text = " ".join(c.text for t in order.tables for row in t.rows for c in row.cells)
    assert "Оля" in table_text and "Иван Петрович" in table_text

    await masha.expect_all(tr("growth-entry-title"), "Ваш наставник")
    await masha.send("/menu")
    assert "Мой наставник: Иван Петрович" in (await masha.expect("Моё меню")).text
    await ivan.send("/menu")
    assert "Мои наставляемые: Маша" in (await ivan.expect("Моё меню")).text

    # /pairs: dissolve one with a reason; both sides are told; the mentee is back in the pool.
    await curator.send("/pairs")
    listing = await curator.expect("Пары и группы (2)")
    await curator.click("№1 Анна Сергеевна", listing)
    card = await curator.expect("Наставник: Анна Сергеевна")
    await curator.click("Расформировать", card)
    await curator.expect("Почему расформировываем")
    await curator.send("по")
    await curator.expect("от 3 до 300")
    await curator.send("Не совпало расписание")
    await curator.expect("расформирована")
    await people[803].expect("Причина: Не совпало расписание")
    await anna.expect_all(tr("growth-entry-title"), "Вам закреплены")
    await anna.expect("расформирована")
    row = await running.db.fetchone("SELECT dissolved_at, dissolve_reason FROM pairs WHERE mentor_id=?", (ids["anna"],))
    assert row["dissolved_at"] and row["dissolve_reason"] == "Не совпало расписание"
    candidates = await running.service("matching").candidates(TP)
    assert ids["olya"] in {c.id for c in candidates}
    actions = {r["action"] for r in await running.db.fetchall("SELECT action FROM audit_log")}
    assert {"match.confirm", "match.pin", "match.exclude", "pair.dissolve", "group_meeting.announce"} <= actions


async def test_bases_are_exported_as_xlsx(tg: FakeTelegram, running: RunningBot) -> None:
    await _seed(running)
    curator = tg.user(CURATOR_ID)
    await curator.send("/menu")
    await curator.click("База наставляемых", await curator.expect("Меню куратора"))
    await tg.wait_for(lambda: any(m.document for m in curator.replies()))
    document = next(m.document for m in curator.replies() if m.document)
    sheet = openpyxl.load_workbook(io.BytesIO(document["content"])).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = json.dumps(values, ensure_ascii=False, default=str)
    assert "Маша" in flat and "Проект, конкурс: робототехника" in flat and "Анна" not in flat
    assert "bases.export" in {r["action"] for r in await running.db.fetchall("SELECT action FROM audit_log")}


async def test_participants_never_reach_the_curators_matching(tg: FakeTelegram, running: RunningBot) -> None:
    await _seed(running)
    masha = tg.user(801)
    for command in ("/match", "/pairs", "/bases", "/groupmeeting", "/preferences"):
        await masha.send(command)
        reply = await masha.next_reply()
        assert "Черновик" not in reply.text and "Какую базу" not in reply.text and "формы" not in reply.text
    await masha.click_data("mt:ok:tp:0:0:0:x", reply.message_id)
    await tg.wait_for(lambda: bool(masha.callback_answers()))
    assert await running.db.fetchval("SELECT COUNT(*) FROM pairs") == 0


async def test_a_member_who_withdraws_leaves_the_pair_without_a_personal_link(
    tg: FakeTelegram, running: RunningBot
) -> None:
    ids = await _seed(running)
    for telegram_id in (801, 802, 803, 901, 902):
        tg.user(telegram_id)  # they joined through the bot: their chats exist
    curator = tg.user(CURATOR_ID)
    await curator.send("/match")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click("Утвердить", await curator.expect("Черновик подбора"))
    await curator.expect("Утверждено")
    await curator.expect(tr("pairs-xlsx-caption"))
    await curator.expect(tr("order-docx-caption"))
    masha = tg.user(801)
    await masha.expect_all(tr("growth-entry-title"), "Ваш наставник")
    await masha.send("/forget")
    await masha.click("Да, удалить мои данные", await masha.expect("Отозвать согласие?"))
    await masha.expect("данные удалены")
    await curator.expect("отозвал согласие")
    members = await running.db.fetchall("SELECT mentee_id FROM pair_members")
    assert len(members) == 3 and ids["masha"] not in {m["mentee_id"] for m in members}
    await curator.send("/pairs")
    listing = await curator.expect("Пары и группы")
    # Her pair had no other mentee: it ended (issue 11), and its mentor is back among the candidates.
    assert "Пары и группы (1)" in listing.text and "Маша" not in listing.text


async def test_the_curator_finishes_the_year_and_everyone_is_thanked(tg: FakeTelegram, running: RunningBot) -> None:
    await _seed(running)
    for telegram_id in (801, 802, 803, 901, 902):
        tg.user(telegram_id)
    curator = tg.user(CURATOR_ID)
    await curator.send("/match")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click("Утвердить", await curator.expect("Черновик подбора"))
    await curator.expect("Утверждено")
    await curator.expect(tr("pairs-xlsx-caption"))
    await curator.expect(tr("order-docx-caption"))
    for telegram_id in (801, 802, 803):
        await tg.user(telegram_id).expect_all(tr("growth-entry-title"), "Ваш наставник")
    for telegram_id in (901, 902):
        await tg.user(telegram_id).expect_all(tr("growth-entry-title"), "Вам закреплены")
    await curator.send("/pairs")
    await curator.click("Завершить программу года", await curator.expect("Пары и группы (2)"))
    await curator.click("Да, завершить", await curator.expect("Закончат работу пары и группы: 2"))
    await curator.expect("закрыто пар и групп — 2")
    for telegram_id in (801, 802, 803, 901, 902):
        await tg.user(telegram_id).expect("Программа наставничества этого года завершена")
    reasons = {r["dissolve_reason"] for r in await running.db.fetchall("SELECT dissolve_reason FROM pairs")}
    assert reasons == {"завершение программы года"}
    await curator.send("/pairs")
    await curator.expect("пока нет")


async def test_those_who_have_not_chosen_are_reminded_automatically(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    await _seed(running)
    people = {tid: tg.user(tid) for tid in (801, 802, 803, 901, 902)}
    curator = tg.user(CURATOR_ID)
    await curator.send("/preferences")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click("Из всех кандидатов формы", await curator.expect("Из кого выбирать"))
    await curator.expect("разослана 5 участникам")
    masha = people[801]
    await masha.click("Выбрать", await masha.expect("выберите, с кем"))
    await masha.click("Без предпочтений", await masha.expect("Кого из наставников"))
    await masha.expect("без предпочтений")
    clock.advance(days=2, hours=23)
    await running.service("jobs").tick()
    assert not await queued(running, 802, "ещё не ответили")  # not before three days
    clock.advance(hours=1)
    await running.service("jobs").tick()
    await running.service("jobs").tick()
    for telegram_id in (802, 803, 901, 902):
        await people[telegram_id].expect("выберите, с кем")
        await people[telegram_id].expect("ещё не ответили")
    # The ticks have returned: whatever they queued is in the outbox, sent or not.
    assert not await queued(running, 801, "ещё не ответили")
    assert not [m for m in masha.replies() if "ещё не ответили" in (m.text or "")]
    assert len(await queued(running, 802, "ещё не ответили")) == 1
    assert len([m for m in people[802].replies() if "ещё не ответили" in (m.text or "")]) == 1


async def test_forged_form_buttons_are_refused_politely(tg: FakeTelegram, running: RunningBot) -> None:
    await _seed(running)
    curator = tg.user(CURATOR_ID)
    await curator.send("/match")
    picker = await curator.expect("Для какой формы")
    for data in ("fm:mt:zz", "fm:gm:zz", "fm:pf:zz"):
        await curator.click_data(data, picker.message_id)
    await tg.wait_for(
        lambda: len([a for a in curator.callback_answers() if "не действует" in (a.get("text") or "")]) == 3
    )
    assert not [m for m in curator.replies() if "что-то пошло не так" in (m.text or "")]


async def test_a_pupil_chooses_and_hears_about_the_pair_in_ty_an_adult_mentor_in_vy(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    """The preference survey, its reminder, the pair notice and the entry survey's invitation: «ты» to a
    12-year-old (her parent consented), «вы» to the adult mentor; a pupil does not read the programme's terms."""
    await seed_participant(running, 801, Role.MENTEE_PUPIL, TP, pupil_answers("Маша", ["proj_robotics"]), adult=False)
    await seed_participant(running, 901, Role.MENTOR, TP, mentor_answers("Анна Сергеевна", ["proj_robotics"], 1))
    masha, anna, curator = tg.user(801), tg.user(901), tg.user(CURATOR_ID)
    await curator.send("/preferences")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click("Из всех кандидатов формы", await curator.expect("Из кого выбирать"))
    await curator.expect("разослана 2 участникам")
    invite = await masha.expect("После групповой встречи")
    assert invite.text == (
        "После групповой встречи выбери, с кем тебе хотелось бы заниматься: до 3 человек по порядку. "
        "Можно ответить «Без предпочтений»."
    )
    assert invite.button_texts() == ["Выбрать"]
    assert "выберите, с кем вам хотелось бы работать" in (await anna.expect("После групповой встречи")).text

    clock.advance(days=3)
    await running.service("jobs").tick()
    reminder = await masha.expect("Напоминание")
    assert reminder.text == "Напоминание: ждём твоего ответа, с кем ты хочешь заниматься. Это займёт минуту."
    assert "вы ещё не ответили" in (await anna.expect("Напоминание")).text

    await masha.click("Выбрать", reminder)
    screen = await masha.expect("Кого из наставников")
    assert screen.text == "Кого из наставников ты хочешь выбрать? Нажимай по порядку: первый — самый желанный (до 3)."
    await masha.click("Анна Сергеевна", screen)
    chosen = await masha.expect("Твой выбор:")
    assert chosen.text.endswith("Твой выбор:\n1. Анна Сергеевна")
    await masha.click("Готово", chosen)
    assert (await masha.expect("выбор записан")).text == "Спасибо! Твой выбор записан. Куратор сообщит о паре."
    await anna.click("Выбрать")
    mentor_screen = await anna.expect("Кого из наставляемых")
    assert mentor_screen.text.startswith("Кого из наставляемых вы хотите взять? Нажимайте")

    await curator.send("/match")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click("Утвердить", await curator.expect("Черновик подбора"))
    await curator.expect("Утверждено")
    survey, notice = await masha.expect_all(tr("growth-entry-title"), "Твой наставник")
    assert notice.text.startswith("Твой наставник — Анна Сергеевна.\nВстречи будут идти через этого бота")
    assert "педагог" not in notice.text and "Ваш" not in notice.text
    assert "Ответь, пожалуйста, до" in survey.text
    anna_survey, anna_notice = await anna.expect_all(tr("growth-entry-title"), "Вам закреплены")
    assert "(педагог – обучающийся)" in anna_notice.text and "• Маша" in anna_notice.text
    assert "Ответьте, пожалуйста, до" in anna_survey.text
    clock.advance(days=3)
    await running.service("jobs").tick()
    nudge = await masha.expect("ждёт твоих ответов", eventually=True)
    assert nudge.text.startswith(f"Напоминание: опрос «{tr('growth-entry-title')}» ждёт твоих ответов до ")
    assert nudge.button_texts() == ["Ответить"]
    assert "ждёт ваших ответов" in (await anna.expect("ждёт ваших ответов", eventually=True)).text

    # The year's thank-you and the answer to «Участвую в следующем году».
    await curator.expect(tr("pairs-xlsx-caption"), timeout=10)
    await curator.expect(tr("order-docx-caption"), timeout=10)
    await curator.send("/pairs")
    await curator.click("Завершить программу года", await curator.expect("Пары и группы (1)"))
    await curator.click("Да, завершить", await curator.expect("Вы уверены"))
    thanks = await masha.expect("Программа наставничества этого года завершена")
    assert "Если хочешь участвовать и в следующем году, нажми кнопку ниже или скажи куратору." in thanks.text
    assert "Если хотите участвовать" in (await anna.expect("Программа наставничества этого года завершена")).text
    await masha.click("Участвую в следующем году", thanks)
    assert (await masha.expect("Записано")).text == (
        "Записано: ты участвуешь в программе следующего года. Куратор подберёт тебе пару."
    )
