"""Joining the programme (roadmap 4.1–4.3) as the users live it, through the fake Bot API over HTTP."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from bot.consent import (
    DOCUMENT_VERSION,
    FINGERPRINTS,
    MAX_FINGERPRINTS,
    ConsentKind,
    Operator,
    render,
    template_fingerprint,
)
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram
from bot.settings import Settings, SettingsError
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import answer_pupil_survey, code_in, join_adult, make_invite, queued


async def test_curator_invites_a_pupil_whose_parent_consents_and_she_finishes_the_survey(
    tg: FakeTelegram, running: RunningBot
) -> None:
    curator = tg.user(CURATOR_ID, "Куратор")
    await curator.send("/invite")
    await curator.expect("Кого приглашаем")
    await curator.click("наставляемый-обучающийся")
    await curator.expect("Форма наставничества")
    await curator.click("педагог – обучающийся")
    await curator.expect("Сколько действует")
    await curator.click("30 дн.")
    await curator.expect("Сколько человек")
    await curator.click("Без ограничения")
    created = await curator.expect("Ссылка-приглашение готова")
    assert f"https://t.me/{tg.bot_username}?start=" in created.text
    code = code_in(created.text)
    assert len(code) <= 64

    pupil = tg.user(501, "Маша")
    await pupil.send(f"/start {code}")
    # A pupil invite speaks to the child as to a child from the first screen: what it means, no jargon.
    joined = await pupil.expect("в программе наставничества")
    assert joined.text == (
        "Привет! Ты в программе наставничества «МБУ ДО „Станция юных техников“».\n"
        "У тебя будет наставник из педагогов — с тем, что тебе интересно или пока трудно, будет к кому обратиться."
        "\n\nСначала — согласие на обработку данных, потом короткая анкета. По ней куратор подберёт тебе наставника."
    )
    assert "наставляемый-обучающийся" not in joined.text and "форма наставничества" not in joined.text
    age = await pupil.expect("Сначала один вопрос")
    assert age.text.startswith("Сначала один вопрос: сколько тебе лет?")
    assert age.button_texts() == ["18 или больше", "14–17", "Меньше 14"]
    await pupil.send("да")  # free text where a button is expected
    await pupil.expect("Здесь нужен ответ кнопкой")
    await pupil.click("Меньше 14")
    parent_msg = await pupil.expect("даёт родитель")
    assert "Перешли эту ссылку маме, папе или опекуну" in parent_msg.text and "я напишу тебе" in parent_msg.text
    assert "Перешлите" not in parent_msg.text and "вам" not in parent_msg.text
    parent_code = code_in(parent_msg.text)
    assert parent_code != code
    await pupil.send("а можно анкету?")
    waiting = await pupil.expect("Ждём согласия родителя")
    assert "перешли её маме, папе или опекуну" in waiting.text and code_in(waiting.text) == parent_code
    # Nothing personal is stored yet, and the child cannot answer.
    assert await running.db.fetchval("SELECT COUNT(*) FROM answers") == 0
    assert await running.db.fetchval("SELECT consent_at FROM participants WHERE account_id=501") is None

    parent = tg.user(601, "Мария")
    await parent.send(f"/start {parent_code}")
    intro = await parent.expect("Здравствуйте!")
    # The name comes from the questionnaire, after the consent: the first message says what the bot knows.
    assert intro.text == (
        "Здравствуйте! Вас просят дать согласие на участие ребёнка в программе наставничества "
        "«МБУ ДО „Станция юных техников“».\n\n"
        "Что известно о приглашении:\n"
        "• ребёнку подберут наставника из педагогов;\n"
        "• ребёнок открыл приглашение в боте: 07.09.2026 12:00.\n\n"
        "Имя ребёнка появится после вашего согласия, в анкете: до согласия бот ничего о ребёнке не хранит. "
        "Текст согласия — в следующем сообщении."
    )
    assert "Ваш ребёнок приглашён" not in intro.text and "UTC" not in intro.text
    document = await parent.expect("Согласие на обработку персональных данных")
    assert "Я, родитель (законный представитель) ребёнка" in document.text
    assert "Станция юных техников" in document.text
    assert document.button_texts() == ["Даю согласие", "Не даю"]
    await parent.click("Даю согласие")
    relation = await parent.expect("Кем вы приходитесь")
    assert relation.button_texts() == ["мать", "отец", "опекун / законный представитель"]
    await parent.click("мать")
    await parent.expect("фамилию и имя")
    await parent.send("12345")
    await parent.expect("буквами")
    await parent.send("Иванова Мария")
    done = await parent.expect("Согласие записано")
    assert done.text.startswith("Согласие записано (07.09.2026 12:00). Спасибо!")

    told = await pupil.expect("Родитель дал согласие")
    assert told.text == "Родитель дал согласие — можно заполнить анкету!"
    assert told.button_texts() == ["Заполнить анкету"]
    await pupil.click("Заполнить анкету")
    await pupil.expect("Анкета наставляемого")
    first = await pupil.expect("Вопрос 1 из 9")
    assert "Как тебя зовут" in first.text
    await answer_pupil_survey(pupil)
    summary = pupil.last()
    assert "Маша Иванова" in summary.text and "Среда, Суббота" in summary.text and "— пропущено" in summary.text
    await pupil.click("Всё верно")
    await pupil.expect("Анкета сохранена")

    consent = await running.db.fetchone("SELECT * FROM consents")
    assert consent["kind"] == "parent" and consent["given_by"] == 601
    assert consent["parent_name"] == "Иванова Мария" and consent["parent_relation"] == "mother"
    assert consent["document_version"] == DOCUMENT_VERSION
    assert consent["text_sha256"] == render(Operator("МБУ ДО «Станция юных техников»"), ConsentKind.PARENT).sha256
    rows = await running.db.fetchall("SELECT question_id, value FROM answers ORDER BY question_id")
    stored = {r["question_id"]: json.loads(r["value"]) for r in rows}
    assert stored["name"] == "Маша Иванова" and stored["age"] == 12 and stored["club"] == "robotics"
    assert stored["interests"] == ["robots", "programming"]
    assert stored["free_days"] == ["wed", "sat"] and stored["expectations"] is None
    assert await running.db.fetchval("SELECT survey_done_at FROM participants") is not None


async def test_adult_mentor_resumes_after_a_restart_mid_questionnaire(tg: FakeTelegram, running: RunningBot) -> None:
    code = await make_invite(running, Role.MENTOR, Form.TEACHER_PUPIL)
    mentor = tg.user(701, "Пётр")
    await join_adult(mentor, code)
    await mentor.send("Пётр Сидоров")
    q2 = await mentor.expect("Вопрос 2 из")
    await running.restart()
    # The same buttons still work after the restart, and the dialog goes on from question 2.
    button = q2.button_texts()[0]
    await mentor.click(button)
    q3 = await mentor.expect("Вопрос 3 из")
    assert "Вопрос 3" in q3.text
    assert await running.db.fetchval("SELECT COUNT(*) FROM answers") == 2


async def test_refusal_stores_nothing_and_explains_how_to_come_back(tg: FakeTelegram, running: RunningBot) -> None:
    code = await make_invite(running, Role.MENTEE_TEACHER, Form.TEACHER_TEACHER, max_uses=1)
    teacher = tg.user(801)
    await teacher.send(f"/start {code}")
    await teacher.expect("в программе наставничества")
    await teacher.expect("Прежде чем я что-то о вас запомню")  # a young teacher is an adult: no age question
    await teacher.expect("Согласие на обработку")
    await teacher.click("Не даю")
    await teacher.expect("ничего о вас не храню")
    assert await running.db.fetchval("SELECT COUNT(*) FROM participants") == 0
    assert await running.db.fetchval("SELECT COUNT(*) FROM fsm_state WHERE user_id=801") == 0
    # The single-use link was given back, so they can change their mind.
    await teacher.send(f"/start {code}")
    await teacher.expect("в программе наставничества")


async def test_withdrawal_deletes_every_row_and_tells_the_curator(tg: FakeTelegram, running: RunningBot) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    pupil = tg.user(502, "Оля")
    await join_adult(pupil, code)
    await pupil.send("Оля Смирнова")
    await pupil.expect("Вопрос 2 из 9")
    await pupil.send("/forget")
    await pupil.expect("Отозвать согласие?")
    await pupil.click("Нет, оставить")
    await pupil.expect("всё остаётся")
    await pupil.send("/menu")
    await pupil.expect("Моё меню")
    assert "Продолжить анкету" in pupil.last().button_texts()
    await pupil.click("Отозвать согласие")
    await pupil.expect("Отозвать согласие?")
    await pupil.click("Да, удалить мои данные")
    await pupil.expect("данные удалены")

    for table in ("participants", "consents", "answers"):
        assert await running.db.fetchval(f"SELECT COUNT(*) FROM {table}") == 0, table
    assert await running.db.fetchval("SELECT COUNT(*) FROM fsm_state WHERE user_id=502") == 0
    record = await running.db.fetchone("SELECT * FROM destruction_log")
    assert record["pseudonym"].startswith("P-") and record["requested_by"] == "participant"
    assert json.loads(record["categories"])["answers"] == 1
    dump = json.dumps([dict(r) for r in await running.db.fetchall("SELECT * FROM destruction_log")])
    assert "Оля" not in dump and "502" not in dump

    curator = tg.user(CURATOR_ID)
    notice = await curator.expect("отозвал согласие", timeout=5)
    assert record["pseudonym"] in notice.text and "Оля" not in notice.text
    await tg.user(OTHER_CURATOR_ID).expect("отозвал согласие")
    # Pressing an old questionnaire button afterwards gets a polite "stale", not an error.
    await pupil.send("/menu")
    await pupil.expect("пока не участник")


async def test_invite_problems_curator_link_and_enrolled_twice(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    short = await make_invite(running, Role.MENTOR, Form.PUPIL_PUPIL, days=7)
    once = await make_invite(running, Role.MENTOR, Form.PUPIL_PUPIL, max_uses=1)
    revoked = await make_invite(running, Role.MENTOR, Form.PUPIL_PUPIL)
    await running.service("invites").revoke(revoked)

    curator = tg.user(CURATOR_ID)
    await curator.send(f"/start {once}")
    await curator.expect("а вы куратор")

    first, second = tg.user(901), tg.user(902)
    await first.send(f"/start {once}")
    await first.expect("в программе наставничества")
    await first.expect("Сначала один вопрос")
    await second.send(f"/start {once}")
    await second.expect("максимальное число")
    await second.send(f"/start {revoked}")
    await second.expect("отозвана")
    await second.send("/start i-doesnotexist0000")
    await second.expect("не найдена")
    clock.advance(days=8)
    await second.send(f"/start {short}")
    await second.expect("истёк")
    await first.send(f"/start {short}")
    await first.expect("уже участник")
    assert await running.db.fetchval("SELECT COUNT(*) FROM participants") == 1


async def test_curator_lists_and_revokes_invites(tg: FakeTelegram, running: RunningBot) -> None:
    await make_invite(running, Role.MENTOR, Form.PUPIL_PUPIL)
    curator = tg.user(CURATOR_ID)
    await curator.send("/invites")
    listing = await curator.expect("Действующие ссылки")
    await curator.click("Отозвать №1", listing)
    await curator.click("Да, отозвать", await curator.expect("Отозвать ссылку-приглашение"))
    await curator.expect("Действующих ссылок нет")
    actions = [r["action"] for r in await running.db.fetchall("SELECT action FROM audit_log")]
    assert "invite.revoke" in actions


async def test_strangers_get_nothing_from_curator_commands(tg: FakeTelegram, running: RunningBot) -> None:
    code = await make_invite(running, Role.MENTOR, Form.PUPIL_PUPIL)
    mentor = tg.user(703, "Иван")
    await join_adult(mentor, code)
    await mentor.send("Иван Петров")
    await mentor.expect("Вопрос 2 из")
    for command in ("/invite", "/participants", "/invites"):
        await mentor.send(command)
        reply = await mentor.expect("команда")
        assert "Участники" not in reply.text and "Кого приглашаем" not in reply.text
    outsider = tg.user(704)
    await outsider.send("/participants")
    reply = await outsider.next_reply()
    assert "Участники" not in reply.text and "Иван" not in reply.text
    # Forged curator buttons are refused too.
    await outsider.click_data("pt:card:::0:1", reply.message_id)
    await tg.wait_for(lambda: bool(outsider.callback_answers()))
    assert "не действует" in outsider.callback_answers()[-1].get("text", "")
    assert not [m for m in outsider.replies() if "Иван" in (m.text or "")]
    assert not await queued(running, 704)


async def test_a_parent_withdraws_the_consent_they_gave(tg: FakeTelegram, running: RunningBot) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    child = tg.user(511, "Коля")
    await child.send(f"/start {code}")
    await child.expect("в программе наставничества")
    await child.click("Меньше 14", await child.expect("Сначала один вопрос"))
    parent_code = code_in((await child.expect("даёт родитель")).text)
    parent = tg.user(611, "Ольга")
    await parent.send("/forget")
    await parent.expect("ничего не хранится")
    await parent.send(f"/start {parent_code}")
    await parent.expect("Вас просят дать согласие")
    await parent.click("Даю согласие", await parent.expect("Согласие на обработку"))
    await parent.click("отец", await parent.expect("Кем вы приходитесь"))
    await parent.expect("фамилию и имя")
    await parent.send("Петров Олег")
    await parent.expect("Согласие записано")
    await child.click("Заполнить анкету", await child.expect("Родитель дал согласие"))
    await child.expect("Анкета наставляемого")
    await child.expect("Вопрос 1 из 9")
    await child.send("Коля Петров")
    await child.expect("Вопрос 2 из 9")

    await parent.send("/forget")
    confirm = await parent.expect("Вы давали согласие за ребёнка")
    await parent.click("Отозвать за: Коля Петров", confirm)
    await parent.expect("данные ребёнка удалены")
    for table in ("participants", "consents", "answers"):
        assert await running.db.fetchval(f"SELECT COUNT(*) FROM {table}") == 0, table
    assert await running.db.fetchval("SELECT COUNT(*) FROM fsm_state WHERE user_id=511") == 0
    assert await running.db.fetchval("SELECT requested_by FROM destruction_log") == "parent"
    await child.expect("Твой родитель отозвал согласие")  # the child is told, in «ты»
    await child.send("Коля")  # the child's dialog is gone with the data
    await child.expect("Не понимаю это сообщение")


async def test_a_forged_relation_button_is_refused_and_the_parent_can_go_on(
    tg: FakeTelegram, running: RunningBot
) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    child = tg.user(512, "Дима")
    await child.send(f"/start {code}")
    await child.expect("в программе наставничества")
    await child.click("Меньше 14", await child.expect("Сначала один вопрос"))
    parent_code = code_in((await child.expect("даёт родитель")).text)
    parent = tg.user(612)
    await parent.send(f"/start {parent_code}")
    await parent.expect("Вас просят дать согласие")
    await parent.click("Даю согласие", await parent.expect("Согласие на обработку"))
    relation = await parent.expect("Кем вы приходитесь")
    pid = await running.db.fetchval("SELECT id FROM participants WHERE account_id=512")
    await parent.click_data(f"par:{pid}:1:uncle", relation.message_id)
    await tg.wait_for(lambda: any("не действует" in (a.get("text") or "") for a in parent.callback_answers()))
    assert not [m for m in parent.replies() if "что-то пошло не так" in (m.text or "")]
    await parent.click("мать", relation)
    await parent.expect("фамилию и имя")


async def test_a_pupil_of_14_to_17_gives_their_own_consent_and_the_parent_gives_theirs(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.STUDENT_PUPIL)
    teen = tg.user(521, "Лёша")
    await teen.send(f"/start {code}")
    joined = await teen.expect("в программе наставничества")
    assert "У тебя будет наставник — студент колледжа или вуза" in joined.text
    await teen.click("14–17", await teen.expect("сколько тебе лет?"))
    intro = await teen.expect("нужны два согласия")
    assert intro.text == (
        "Тебе 14–17 лет, поэтому нужны два согласия на обработку данных: твоё и родителя.\n"
        "Прочитай своё согласие и ответь кнопкой под ним. Потом я дам ссылку для родителя."
    )
    document = await teen.expect("Согласие на обработку персональных данных")
    assert "Я, участник программы наставничества в возрасте от 14 до 18 лет" in document.text
    assert "вместе с согласием моего родителя (законного представителя)" in document.text
    assert document.button_texts() == ["Даю согласие", "Не даю"]
    # Nothing is kept before the answer: leaving now asks the age again.
    assert await running.db.fetchval("SELECT is_adult FROM participants WHERE account_id=521") is None
    clock.advance(minutes=3)
    await teen.click("Даю согласие", document)
    thanks = await teen.expect("твоё согласие записано")
    assert thanks.text.startswith(
        "Спасибо, твоё согласие записано (07.09.2026 12:03).\n\nТеперь нужно согласие родителя."
    )
    parent_code = code_in(thanks.text)
    own = await running.db.fetchone("SELECT * FROM consents")
    assert own["kind"] == "minor" and own["given_by"] == 521 and own["document_version"]
    # The teenager's consent alone does not start anything: the questionnaire waits for the parent.
    assert await running.db.fetchval("SELECT consent_at FROM participants WHERE account_id=521") is None
    await teen.send("/menu")
    menu = await teen.expect("Моё меню")
    assert "Ссылка для родителя" in menu.button_texts() and "Заполнить анкету" not in menu.button_texts()

    parent = tg.user(621, "Ирина")
    await parent.send(f"/start {parent_code}")
    intro = await parent.expect("Вас просят дать согласие")
    assert "• ребёнку подберут наставника — студента колледжа или вуза;" in intro.text
    assert intro.text.endswith(
        "Ребёнку 14–17 лет, и своё согласие ребёнок уже дал (07.09.2026 12:03). Нужно и ваше: без него участие "
        "не начнётся."
    )
    await parent.click("Даю согласие", await parent.expect("Согласие на обработку"))
    await parent.click("отец", await parent.expect("Кем вы приходитесь"))
    await parent.expect("фамилию и имя")
    await parent.send("Петров Олег")
    await parent.expect("Согласие записано")
    await teen.click("Заполнить анкету", await teen.expect("Родитель дал согласие"))
    await teen.expect("Анкета наставляемого")
    await teen.expect("Вопрос 1 из")
    rows = await running.db.fetchall("SELECT kind, given_by FROM consents ORDER BY id")
    assert [(r["kind"], r["given_by"]) for r in rows] == [("minor", 521), ("parent", 621)]
    # What the bot calls the consent is the parent's.
    pid = await running.db.fetchval("SELECT id FROM participants WHERE account_id=521")
    record = await running.service("participants").consent(pid)
    assert record.kind.value == "parent" and record.parent_name == "Петров Олег"


async def test_a_pupil_of_14_to_17_who_says_no_leaves_nothing(tg: FakeTelegram, running: RunningBot) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    teen = tg.user(522)
    await teen.send(f"/start {code}")
    await teen.expect("в программе наставничества")
    await teen.click("14–17", await teen.expect("сколько тебе лет?"))
    await teen.expect("нужны два согласия")
    await teen.click("Не даю", await teen.expect("Согласие на обработку"))
    declined = await teen.expect("без твоего согласия")
    assert declined.text == (
        "Хорошо, без твоего согласия я ничего о тебе не храню — всё удалено. "
        "Если передумаешь, открой ссылку-приглашение ещё раз."
    )
    for table in ("participants", "consents"):
        assert await running.db.fetchval(f"SELECT COUNT(*) FROM {table}") == 0, table


async def test_adults_are_told_what_their_role_means_in_plain_words(tg: FakeTelegram, running: RunningBot) -> None:
    mentor_code = await make_invite(running, Role.MENTOR, Form.TEACHER_PUPIL)
    mentor = tg.user(711, "Анна")
    await mentor.send(f"/start {mentor_code}")
    joined = await mentor.expect("в программе наставничества")
    assert joined.text.startswith(
        "Здравствуйте! Вы в программе наставничества «МБУ ДО „Станция юных техников“» как наставник: "
        "вы будете помогать обучающимся из объединений."
    )
    assert "форма наставничества" not in joined.text
    # A mentor may be a senior pupil: «вы» until the age is known.
    age = await mentor.expect("Сначала один вопрос")
    assert age.text.startswith("Сначала один вопрос: сколько вам лет?")
    await mentor.click("18 или больше", age)
    await mentor.expect("Прежде чем я что-то о вас запомню")
    await mentor.click("Даю согласие", await mentor.expect("Согласие на обработку"))
    thanks = await mentor.expect("согласие записано")
    assert thanks.text.startswith("Спасибо, согласие записано (07.09.2026 12:00). Теперь — анкета.")

    teacher_code = await make_invite(running, Role.MENTEE_TEACHER, Form.TEACHER_TEACHER)
    teacher = tg.user(712)
    await teacher.send(f"/start {teacher_code}")
    joined = await teacher.expect("в программе наставничества")
    assert (
        "Вы в программе наставничества «МБУ ДО „Станция юных техников“» как молодой специалист: у вас будет "
        "наставник из опытных коллег" in joined.text
    )
    await teacher.expect("Прежде чем я что-то о вас запомню")
    document = await teacher.expect("Согласие на обработку")
    assert "Я, участник программы наставничества, свободно, своей волей" in document.text
    assert document.button_texts() == ["Даю согласие", "Не даю"]


async def test_a_senior_pupil_mentor_is_spoken_to_with_ty_once_the_age_is_known(
    tg: FakeTelegram, running: RunningBot
) -> None:
    code = await make_invite(running, Role.MENTOR, Form.PUPIL_PUPIL)
    mentor = tg.user(713)
    await mentor.send(f"/start {code}")
    assert "вы будете помогать младшим ученикам" in (await mentor.expect("в программе наставничества")).text
    await mentor.click("14–17", await mentor.expect("сколько вам лет?"))
    await mentor.expect("Тебе 14–17 лет")
    await mentor.click("Даю согласие", await mentor.expect("Согласие на обработку"))
    parent_code = code_in((await mentor.expect("твоё согласие записано")).text)
    parent = tg.user(714)
    await parent.send(f"/start {parent_code}")
    intro = await parent.expect("Вас просят дать согласие")
    assert "• ребёнка пригласили наставником для младших ребят;" in intro.text


HEADINGS = (
    "<b>Согласие на обработку персональных данных</b>",
    "<b>Оператор</b>",
    "<b>Кто даёт согласие</b>",
    "<b>Цель</b>",
    "<b>Какие данные</b>",
    "<b>Что оператор делает с данными</b>",
    "<b>Кто видит данные</b>",
    "<b>Срок</b>",
    "<b>Как отозвать согласие</b>",
)


@pytest.mark.parametrize("kind", [ConsentKind.SELF, ConsentKind.PARENT, ConsentKind.MINOR])
def test_the_consent_document_reads_as_a_document(kind: ConsentKind) -> None:
    text = render(Operator("МБУ ДО «Станция юных техников»"), kind).text
    # Short paragraphs under headings, in this order.
    positions = [text.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    assert all(f"\n\n{heading}\n" in text for heading in HEADINGS[1:])
    # Each list item on its own line; no «Какие данные. идентификатор…», no sentence starting in lowercase.
    assert "<b>Какие данные</b>\n• идентификатор в Telegram;\n• фамилия и имя;\n• возраст;\n" in text
    assert "<b>Что оператор делает с данными</b>\n• сбор и запись;\n" in text
    assert "• командой /forget в этом боте;\n• письменным заявлением оператору." in text
    assert all(text[i - 1] == "\n" for i, ch in enumerate(text) if ch == "•"), "list items run into each other"
    assert not re.search(r"(?<!\bг)\.\s+[а-яё]", re.sub(r"<[^>]+>", "", text))
    assert "участия участника" not in text and " он передумает" not in text
    assert f"Редакция {DOCUMENT_VERSION}" in text and "152-ФЗ" in text
    assert text.endswith(
        "Нажимая кнопку «Даю согласие» под этим сообщением, я даю согласие на этих условиях. "
        "Бот записывает время нажатия и редакцию документа."
    )


def test_the_three_variants_say_who_consents_for_whom() -> None:
    operator = Operator("СЮТ")
    self_text = render(operator, ConsentKind.SELF).text
    parent_text = render(operator, ConsentKind.PARENT).text
    minor_text = render(operator, ConsentKind.MINOR).text
    assert "Я, участник программы наставничества, свободно, своей волей и в своём интересе даю" in self_text
    assert "Я, родитель (законный представитель) ребёнка" in parent_text
    assert "моих данных: фамилии, имени и степени родства с ребёнком" in parent_text
    assert "пока ребёнок участвует в программе" in parent_text and "пока я участвую в программе" in self_text
    assert "в возрасте от 14 до 18 лет" in minor_text and "вместе с согласием моего родителя" in minor_text
    assert "пока я участвую в программе" in minor_text
    assert len({self_text, parent_text, minor_text}) == 3


def test_the_consent_names_the_operator_with_the_details_configured(make_settings: Callable[..., Settings]) -> None:
    from handlers.joining import operator

    bare = render(operator(make_settings().institution), ConsentKind.SELF).text
    assert "<b>Оператор</b>\nМБУ ДО «Станция юных техников»\n\n<b>Кто даёт согласие</b>" in bare
    full = make_settings(organization_address="г. Тула, ул. Ленина, д. 1", organization_inn="7100000000")
    text = render(operator(full.institution), ConsentKind.PARENT).text
    details = "МБУ ДО «Станция юных техников»\nАдрес: г. Тула, ул. Ленина, д. 1\nИНН: 7100000000\n"
    assert f"<b>Оператор</b>\n{details}" in text
    with pytest.raises(SettingsError, match="ORGANIZATION_INN"):
        make_settings(organization_inn="71-00")


def test_the_document_version_changes_when_the_text_does() -> None:
    """Every edition's text is pinned: a changed word fails here until DOCUMENT_VERSION is bumped and the new
    edition's fingerprint is added to FINGERPRINTS (consents keep the edition they were given for)."""
    assert FINGERPRINTS.get(DOCUMENT_VERSION) == template_fingerprint(), (
        "the consent text changed: bump DOCUMENT_VERSION in bot/consent.py and add "
        f'"{{new version}}": "{template_fingerprint()}" to FINGERPRINTS'
    )
    assert len(set(FINGERPRINTS.values())) == len(FINGERPRINTS)
    assert MAX_FINGERPRINTS.get(DOCUMENT_VERSION) == template_fingerprint("max"), (
        "the consent text as read on MAX changed: bump DOCUMENT_VERSION in bot/consent.py and add "
        f'"{{new version}}": "{template_fingerprint("max")}" to MAX_FINGERPRINTS'
    )
    assert template_fingerprint("max") != template_fingerprint()  # the MAX edition names MAX, not Telegram
    document = render("СЮТ", ConsentKind.PARENT)
    assert document.version == DOCUMENT_VERSION and document.sha256 == render("СЮТ", ConsentKind.PARENT).sha256


async def test_a_parents_refusal_as_the_parent_and_the_child_read_it(tg: FakeTelegram, running: RunningBot) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    child = tg.user(531)
    await child.send(f"/start {code}")
    await child.expect("в программе наставничества")
    await child.click("Меньше 14", await child.expect("сколько тебе лет?"))
    parent_code = code_in((await child.expect("даёт родитель")).text)
    await child.send(f"/start {parent_code}")  # the child opens the parent's link themselves
    own = await child.expect("Эта ссылка — для родителя")
    assert own.text == "Эта ссылка — для родителя или законного представителя: открыть её нужно в их Telegram."

    parent = tg.user(631)
    await parent.send(f"/start {parent_code}")
    await parent.expect("Вас просят дать согласие")
    await parent.click("Не даю", await parent.expect("Согласие на обработку"))
    declined = await parent.expect("согласие не дано")
    assert declined.text == (
        "Хорошо, согласие не дано, и ребёнок участвовать не сможет. Если решите иначе, откройте ту же ссылку ещё раз."
    )
    told = await child.expect("Родитель не дал согласия")
    assert told.text == (
        "Родитель не дал согласия, поэтому участвовать пока нельзя. "
        "Если решение изменится, ссылка для родителя прежняя — она есть в /menu."
    )
    await child.send("/menu")
    assert "Ссылка для родителя" in (await child.expect("Моё меню")).button_texts()
    # The same link works again when the parent changes their mind.
    await parent.send(f"/start {parent_code}")
    await parent.expect("Вас просят дать согласие")


async def test_start_without_a_code_names_the_organisation_with_nested_quotes(
    tg: FakeTelegram, running: RunningBot
) -> None:
    stranger = tg.user(541)
    await stranger.send("/start")
    reply = await stranger.expect("ссылка-приглашение")
    assert "«МБУ ДО „Станция юных техников“»" in reply.text


async def test_an_age_button_of_the_old_kind_or_a_forged_one_is_stale(tg: FakeTelegram, running: RunningBot) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    pupil = tg.user(551)
    await pupil.send(f"/start {code}")
    await pupil.expect("в программе наставничества")
    age = await pupil.expect("сколько тебе лет?")
    await pupil.click_data("age:elder", age.message_id)
    await tg.wait_for(lambda: any("не действует" in (a.get("text") or "") for a in pupil.callback_answers()))
    await pupil.click("Меньше 14", age)  # the real buttons still work
    await pupil.expect("даёт родитель")
    assert await running.db.fetchval("SELECT is_adult FROM participants WHERE account_id=551") == 0
