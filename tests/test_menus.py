"""The menus as each reader sees them (issue 13): a parent's own menu, a child's menu in plain words with «ты»,
times on the institution's clock, the curator's own /help and /cancel."""

from __future__ import annotations

from bot.consent import ConsentKind, Relation, render
from bot.i18n import tr
from bot.invites import PARENT_PREFIX, new_code
from bot.programme import INTAKE_BY_ROLE, Form, Role
from bot.sandbox.telegram import FakeTelegram, FakeUser
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID, RunningBot
from tests.flows import make_invite, mentor_answers, pupil_answers, queued, seed_participant

PARENT = 601
#: The clock starts at 2026-09-07 09:00 UTC: 12:00 in Moscow, the institution's zone.
TODAY = "07.09.2026"


async def seed_child(
    running: RunningBot, telegram_id: int, answers: dict[str, object] | None = None, *, parent: int = PARENT
) -> int:
    """A pupil under 18 whose parent consented in the bot; the questionnaire done when `answers` are given."""
    invite = await running.service("invites").create(
        Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, CURATOR_ID, days=None, max_uses=None
    )
    repo = running.service("participants")
    child = await repo.join(telegram_id, invite)
    await repo.set_adult(child.id, False, new_code(PARENT_PREFIX))
    await repo.record_consent(
        child.id,
        render("СЮТ", ConsentKind.PARENT),
        kind=ConsentKind.PARENT,
        given_by=parent,
        parent_name="Петрова Анна",
        parent_relation=Relation.MOTHER,
    )
    for question_id, value in (answers or {}).items():
        await repo.save_answer(child.id, INTAKE_BY_ROLE[Role.MENTEE_PUPIL], question_id, value)
    if answers:
        await repo.mark_survey_done(child.id)
    return child.id


async def _menu(user: FakeUser, title: str) -> tuple[str, list[str]]:
    await user.send("/menu")
    screen = await user.expect(title)
    return screen.text or "", screen.button_texts()


# --- the parent ---------------------------------------------------------------------------------------------
async def test_a_parent_has_a_menu_and_asks_the_curator_about_the_child(tg: FakeTelegram, running: RunningBot) -> None:
    await seed_child(running, 701)
    parent, child, curator = tg.user(PARENT, "Анна"), tg.user(701), tg.user(CURATOR_ID)

    text, buttons = await _menu(parent, "Меню родителя")
    assert "пока не участник" not in text
    assert f"Ребёнок, приглашённый {TODAY}" in text  # before the questionnaire, the child has no name yet
    assert "у ребёнка будет наставник из педагогов станции" in text
    assert f"Согласие дано вами {TODAY} 12:00" in text and "UTC" not in text
    assert "Анкета ещё не заполнена" in text
    assert buttons == ["Вопрос куратору", "Отозвать согласие", "Помощь"]
    await parent.send("/start")
    assert (await parent.expect("Меню родителя")).button_texts() == buttons

    # Free text leads to the menu, with the way to the curator.
    await parent.send("Здравствуйте! Когда начнутся занятия?")
    screen = await parent.expect("Чтобы написать куратору, нажмите «Вопрос куратору»")
    assert "Меню родителя" in screen.text and "Вопрос куратору" in screen.button_texts()
    await parent.send("/help")
    help_text = (await parent.expect("Что умеет бот")).text
    assert "/forget — отозвать согласие за ребёнка" in help_text and "ваши данные" not in help_text

    # /ask, then /cancel: nothing goes to the curator, and the parent is told what was cancelled.
    await parent.send("/ask")
    await parent.expect("Напишите вопрос одним сообщением")
    await parent.send("/cancel")
    await parent.expect("Отменено: вопрос куратору не отправлен")
    assert not await queued(running, CURATOR_ID, "Вопрос от")

    await parent.click("Вопрос куратору", screen)
    await parent.expect("ребёнок его не увидит")
    await parent.send("Когда первая встреча?")
    await parent.expect("Вопрос отправлен куратору")
    question = await curator.expect("Вопрос от родителя")
    assert "Петрова Анна" in question.text and "Когда первая встреча?" in question.text
    await tg.user(OTHER_CURATOR_ID).expect("Вопрос от родителя")
    await curator.click("Ответить", question)
    await curator.expect("родитель (P-00001)")
    await curator.send("В четверг в 16:30")
    await curator.expect("Ответ отправлен")
    answer = await parent.expect("Ответ куратора")
    assert "на ваш вопрос «Когда первая встреча?»" in answer.text and "В четверг в 16:30" in answer.text
    assert not await queued(running, 701, "В четверг")
    assert not [m for m in child.replies() if "В четверг" in (m.text or "")]

    # Withdrawing from the menu: the child is named as the parent knows them, never by a pseudonym.
    await parent.send("/menu")
    await parent.click("Отозвать согласие", await parent.expect("Меню родителя"))
    confirm = await parent.expect("Вы давали согласие за ребёнка")
    assert confirm.button_texts() == [f"Отозвать за: Ребёнок, приглашённый {TODAY}", "Нет, оставить"]
    await parent.click(f"Отозвать за: Ребёнок, приглашённый {TODAY}", confirm)
    await parent.expect("данные ребёнка удалены")
    await child.expect("Твой родитель отозвал согласие", eventually=True)
    await parent.send("/menu")
    await parent.expect("пока не участник")


async def _schedule(mentor: FakeUser, day: int, when: str) -> None:
    await mentor.send("/menu")
    await mentor.click("Назначить встречу", await mentor.expect("Моё меню"))
    await mentor.click(str(day), await mentor.expect("Выберите дату"))
    await mentor.expect("Во сколько")
    await mentor.send(when)
    await mentor.click("В объединении", await mentor.expect("Где встречаемся"))
    await mentor.expect("Тема встречи")
    await mentor.send("Знакомство")
    await mentor.click("Отправить приглашение", await mentor.expect("Когда:"))
    await mentor.expect("Приглашение отправлено")


async def test_a_parent_of_two_sees_both_the_mentor_and_the_next_meeting(tg: FakeTelegram, running: RunningBot) -> None:
    await seed_child(running, 711, pupil_answers("Коля Петров", []))
    await seed_child(running, 712, pupil_answers("Маша Петрова", []))
    await seed_participant(running, 911, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Иван Сергеевич", [], 1))
    parent, curator, mentor = tg.user(PARENT, "Анна"), tg.user(CURATOR_ID), tg.user(911)
    tg.user(711), tg.user(712)
    await curator.send("/match")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click(tr("btn-confirm-match"), await curator.expect("Черновик подбора"))
    await curator.expect("Утверждено")
    await curator.expect(tr("pairs-xlsx-caption"))
    await curator.expect(tr("order-docx-caption"))
    await mentor.expect("Вам закреплены наставляемые")
    await mentor.expect("Самооценка в начале работы пары")
    await _schedule(mentor, 10, "16:30")

    text, buttons = await _menu(parent, "Меню родителя")
    assert "Коля Петров" in text and "Маша Петрова" in text
    assert text.count("Наставник: Иван Сергеевич") == 1  # one of them has the mentor, the other waits
    assert "Анкета заполнена. Куратор подбирает пару." in text
    assert "Следующая встреча: 10.09.2026 16:30" in text
    assert buttons == [
        "Вопрос куратору: Коля Петров", "Вопрос куратору: Маша Петрова", "Отозвать согласие", "Помощь"
    ]  # fmt: skip

    await parent.send("/ask")
    which = await parent.expect("О ком вопрос куратору?")
    await parent.click("Вопрос куратору: Маша Петрова", which)
    await parent.expect("Напишите вопрос одним сообщением")
    await parent.send("Можно ли сменить день?")
    await parent.expect("Вопрос отправлен куратору")
    question = await curator.expect("Вопрос от родителя")
    assert "Ребёнок: Маша Петрова" in question.text and "Можно ли сменить день?" in question.text

    await parent.send("/forget")
    confirm = await parent.expect("Вы давали согласие за детей")
    assert confirm.button_texts() == ["Отозвать за: Коля Петров", "Отозвать за: Маша Петрова", "Нет, оставить"]
    await parent.click("Нет, оставить", confirm)
    await parent.expect("всё остаётся как было")


# --- the child ----------------------------------------------------------------------------------------------
async def test_a_childs_menu_speaks_plainly_and_offers_no_withdrawal_before_consent(
    tg: FakeTelegram, running: RunningBot
) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    child = tg.user(721, "Коля")
    await child.send(f"/start {code}")
    await child.expect("Ты в программе наставничества")
    await child.click("Меньше 14", await child.expect("сколько тебе лет?"))
    await child.expect("согласие на обработку данных даёт родитель")

    text, buttons = await _menu(child, "Моё меню")
    assert "Ты в программе наставничества: у тебя будет наставник из педагогов станции" in text
    assert "Ждём согласия твоего родителя" in text
    assert "Роль" not in text and "наставляемый-обучающийся" not in text and "Форма наставничества" not in text
    assert buttons == ["Ссылка для родителя", "Помощь"]
    await child.send("/help")
    assert "/menu — твоё меню" in (await child.expect("Что умеет бот")).text
    await child.send("/forget")
    confirm = await child.expect("Выйти из программы?")
    assert "что о тебе записал" in confirm.text and "Отозвать согласие" not in confirm.text
    await child.click("Нет, оставить", confirm)
    await child.expect("всё остаётся как было")
    await child.send_sticker()
    await child.expect("Я понимаю только текст и кнопки. Открой /menu или напиши /help.")

    # The parent consents (here straight through the repository; the dialog is tested in test_joining).
    repo = running.service("participants")
    person = await repo.by_telegram(721)
    await repo.record_consent(
        person.id, render("СЮТ", ConsentKind.PARENT), kind=ConsentKind.PARENT, given_by=PARENT,
        parent_name="Петрова Анна", parent_relation=Relation.MOTHER,
    )  # fmt: skip
    text, buttons = await _menu(child, "Моё меню")
    assert "Согласие есть. Осталось заполнить анкету" in text
    assert buttons == ["Заполнить анкету", "Мой профиль и ответы", "Вопрос куратору", "Материалы",
                       "Отозвать согласие", "Помощь"]  # fmt: skip
    menu = child.last()
    await child.click("Мой профиль и ответы", menu)
    profile = await child.expect("Мой профиль")
    assert f"Согласие: дано родителем {TODAY} 12:00" in profile.text
    assert f"В программе с {TODAY}" in profile.text and "UTC" not in profile.text
    assert "Роль" not in profile.text and "у тебя будет наставник" in profile.text
    assert profile.button_texts() == ["← Назад"]
    await child.click("← Назад", profile)
    back = await child.expect("Моё меню")
    assert back.message_id == profile.message_id and "Мой профиль и ответы" in back.button_texts()

    await child.send("/forget")
    assert "Обработка твоих данных сразу прекратится" in (await child.expect("Отозвать согласие?")).text
    await child.click("Нет, оставить")
    await child.expect("всё остаётся")
    await child.send("/ask")
    await child.expect("Напиши вопрос одним сообщением")
    await child.send("/cancel")
    await child.expect("Отменено: вопрос куратору не отправлен")


async def test_an_adults_profile_keeps_the_terms_and_the_curators_card_its_clock(
    tg: FakeTelegram, running: RunningBot
) -> None:
    await seed_participant(running, 731, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Иван Сергеевич", [], 1))
    mentor = tg.user(731)
    text, _ = await _menu(mentor, "Моё меню")
    assert "Вы наставник в программе наставничества (форма «педагог – обучающийся»)" in text and "Роль" not in text
    await mentor.click("Мой профиль и ответы", mentor.last())
    profile = await mentor.expect("Мой профиль")
    assert f"Согласие: дано вами {TODAY} 12:00" in profile.text and "UTC" not in profile.text

    curator = tg.user(CURATOR_ID)
    await curator.send("/participants")
    await curator.click("Список: все", await curator.expect("Участники программы"))
    await curator.click("1. Иван Сергеевич", await curator.expect("Все участники"))
    card = await curator.expect("Роль: наставник")
    assert f"Согласие: дано участником {TODAY} 12:00" in card.text and "UTC" not in card.text


# --- the curator ----------------------------------------------------------------------------------------------
async def test_the_curator_gets_the_curators_help_and_cancel(tg: FakeTelegram, running: RunningBot) -> None:
    curator = tg.user(CURATOR_ID)
    await curator.send("/help")
    help_text = (await curator.expect("Что умеет бот")).text
    assert "Команды куратора" in help_text and "/invite" in help_text
    assert "/forget" not in help_text and "ваши данные" not in help_text
    await curator.send("/broadcast")
    await curator.expect("Напишите сообщение для рассылки")
    await curator.send("/cancel")
    cancelled = await curator.expect("Отменено")
    assert cancelled.text == "Отменено: рассылка не отправлена."
    await curator.send("/cancel")
    await curator.expect("Сейчас нечего отменять")


# --- notices after a withdrawal -------------------------------------------------------------------------------
async def test_a_pupil_mentor_hears_about_the_mentee_who_left_with_ty(tg: FakeTelegram, running: RunningBot) -> None:
    """A mentor who is a minor (a senior pupil) reads «ты», and so does a pupil whose mentor left."""
    await seed_participant(running, 741, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша Иванова", []))
    mentor_id = await seed_participant(
        running, 941, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Петя Старший", [], 1)
    )
    await running.service("participants").set_adult(mentor_id, False, new_code(PARENT_PREFIX))
    curator, masha, mentor = tg.user(CURATOR_ID), tg.user(741), tg.user(941)
    await curator.send("/match")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click(tr("btn-confirm-match"), await curator.expect("Черновик подбора"))
    await curator.expect("Утверждено")
    await masha.expect("Самооценка в начале работы пары", eventually=True)
    await mentor.expect("Самооценка в начале работы пары", eventually=True)
    text, _ = await _menu(mentor, "Моё меню")
    assert "Ты наставник" in text and "Роль" not in text
    await masha.send("/forget")
    confirm = await masha.expect("Отозвать согласие?")
    assert "Вашему наставнику я сообщу только" in confirm.text  # Маша is seeded as an adult pupil
    await masha.click("Да, удалить мои данные", confirm)
    await masha.expect("ваши данные удалены")
    await mentor.expect("Твой наставляемый вышел из программы, назначенные встречи отменены.")
