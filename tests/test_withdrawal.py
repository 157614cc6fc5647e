"""Withdrawal leaves nothing (issue 11): after /forget, a parent's /forget or «Не даю» no byte of the
person's name or Telegram id remains in the database file or its WAL, and a pair that lost a member is marked,
its other members are told and the curator can re-match it in one tap."""

from __future__ import annotations

import json
import random
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.i18n import Audience, _formatted, tr
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram, FakeUser
from storage.database import Database
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import answer_anything, code_in, make_invite, mentor_answers, pupil_answers, seed_participant

#: Long and distinctive, so that finding its bytes cannot be a coincidence.
NAME = "Эвелина Зарецкая-Оболенская"
#: A distinctive Telegram id: 12 digits, 6 bytes as an integer.
TG_ID = 987654321123
#: The parent who consented for her and then withdraws it (their id sits in consents.given_by).
PARENT_ID = 876543219876
MSK = timedelta(hours=3)


def msk(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 9, day, hour, minute, tzinfo=UTC) - MSK


def _varint(value: int) -> bytes:
    """SQLite's variable-length integer (rowids, record headers): 7 bits a byte, big-endian, high bit = more."""
    if value > 0x00FFFFFFFFFFFFFF:
        raise ValueError("9-byte varints are not needed here")
    groups = []
    while True:
        groups.append(value & 0x7F)
        value >>= 7
        if not value:
            break
    groups.reverse()
    return bytes([g | 0x80 for g in groups[:-1]] + [groups[-1]])


def id_encodings(telegram_id: int) -> dict[str, bytes]:
    """Every form in which SQLite can hold a Telegram id in the file.

    In a record (a table row, an index key, a WITHOUT ROWID key such as fsm_state's) SQLite stores an integer
    big-endian in the smallest of 1, 2, 3, 4, 6 or 8 bytes that holds it: 987654321123 takes 6 (serial type 5).
    We look for that and for the 8-byte form (had it been written with another serial type), for the IEEE
    double (a REAL column), for a varint (had it been a rowid), and for the decimal text (JSON in
    fsm_state.data, outbox texts, audit details). A 6-byte needle in a multi-megabyte file matches by chance
    with a probability of about size / 2^48, so a hit is the id.
    """
    forms = {"decimal text": str(telegram_id).encode()}
    for width in (1, 2, 3, 4, 6, 8):
        if telegram_id < 1 << (8 * width - 1):
            forms[f"{width}-byte integer"] = telegram_id.to_bytes(width, "big")
            break
    forms["8-byte integer"] = telegram_id.to_bytes(8, "big")
    forms["double"] = struct.pack(">d", float(telegram_id))
    forms["varint"] = _varint(telegram_id)
    return forms


def name_encodings(name: str) -> dict[str, bytes]:
    """The name and each of its parts as UTF-8 (the database's encoding; JSON is written with
    ensure_ascii=False) and as JSON's \\u escapes (had anything written it with ensure_ascii=True)."""
    parts = {name, *name.split(), *name.replace("-", " ").split()}
    forms: dict[str, bytes] = {}
    for part in parts:
        forms[f"{part!r} UTF-8"] = part.encode("utf-8")
        forms[f"{part!r} JSON-escaped"] = json.dumps(part).strip('"').encode("ascii")
    return forms


def found_in_files(db_path: Path, needles: dict[str, bytes]) -> list[str]:
    """Which needles occur in the raw bytes of the database file and its WAL (not `strings`: that skips
    Cyrillic)."""
    hits = []
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        if not path.exists():
            continue
        data = path.read_bytes()
        hits += [f"{label} in {path.name}" for label, needle in needles.items() if needle in data]
    return hits


async def _split_and_delete(path: Path, secret: str, *, secure_delete: bool) -> list[str]:
    """Rows carrying `secret` among thousands, an index whose pages split around them, the rows deleted and the
    file scrubbed: which copies of `secret` are left in the file and its WAL."""

    db = await Database.open(path)
    try:
        assert await db.fetchval("PRAGMA secure_delete") == 1  # set at open, whatever SQLite's build default
        if not secure_delete:
            await db.execute("PRAGMA secure_delete=OFF")
        rng = random.Random(2)
        rows = [(1, f"{rng.random():.6f} {secret}", "2026-09-07", "2026-09-07") for _ in range(20)]
        filler = [f"{rng.random():.6f} " + "ж" * rng.randint(5, 60) for _ in range(4000)]
        rows += [(2, text, "2026-09-07", "2026-09-07") for text in filler]
        rng.shuffle(rows)
        await db.execute("CREATE INDEX scrub_text ON outbox(text)")
        for start in range(0, len(rows), 100):
            await db.executemany(
                "INSERT INTO outbox(chat_id, text, created_at, not_before) VALUES (?,?,?,?)", rows[start : start + 100]
            )
        await db.execute("DELETE FROM outbox WHERE instr(text, ?) > 0", (secret,))
        await db.scrub()
        return found_in_files(path, {"secret": secret.encode()})
    finally:
        await db.close()


async def test_deleted_rows_leave_no_copy_in_the_file_even_after_page_splits(tmp_path: Path) -> None:
    """A deleted row stays in its page's free space unless secure_delete is on, and so do copies of rows that
    page splits moved away (some SQLite builds, Debian's among them, turn it on by default; others do not);
    the WAL keeps them until a TRUNCATE checkpoint. The control run, with secure_delete off, shows that the
    scan does see such leftovers."""
    secret = "Эвелина-СЕКРЕТ"
    assert await _split_and_delete(tmp_path / "off.sqlite3", secret, secure_delete=False)
    assert not await _split_and_delete(tmp_path / "on.sqlite3", secret, secure_delete=True)


async def _sent(running: RunningBot, chat_id: int, contains: str) -> bool:
    rows = await running.db.fetchall("SELECT text FROM outbox WHERE chat_id=? AND status='sent'", (chat_id,))
    return any(contains in r["text"] for r in rows)


async def _confirm_match(curator: FakeUser) -> None:
    await curator.send("/match")
    await curator.click("педагог – обучающийся", await curator.expect("Для какой формы"))
    await curator.click(tr("btn-confirm-match"), await curator.expect("Черновик подбора"))
    await curator.expect("Утверждено")
    await curator.expect(tr("pairs-xlsx-caption"))
    await curator.expect(tr("order-docx-caption"))


async def _schedule(mentor: FakeUser, day: int, when: str, topic: str) -> None:
    await mentor.send("/menu")
    await mentor.click("Назначить встречу", await mentor.expect("Моё меню"))
    await mentor.click(str(day), await mentor.expect("Выберите дату"))
    await mentor.expect("Во сколько")
    await mentor.send(when)
    await mentor.click("В объединении", await mentor.expect("Где встречаемся"))
    await mentor.expect("Тема встречи")
    await mentor.send(topic)
    await mentor.click("Отправить приглашение", await mentor.expect("Когда:"))
    await mentor.expect("Приглашение отправлено")


async def test_a_mentors_withdrawal_leaves_no_byte_of_him_and_his_mentee_is_told(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock, db_path: Path
) -> None:
    participants = running.service("participants")
    masha_id = await seed_participant(
        running, 801, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша Иванова", [])
    )
    await participants.set_adult(masha_id, False, "PARENTCODE")  # a child: her parent consented
    await seed_participant(running, TG_ID, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers(NAME, [], 1))
    curator, masha, mentor = tg.user(CURATOR_ID), tg.user(801), tg.user(TG_ID)

    # The pair is confirmed: Маша is told her mentor's full name; he schedules the first meeting.
    await _confirm_match(curator)
    await masha.expect(f"Твой наставник — {NAME}")
    await masha.expect("Самооценка в начале работы пары")
    await mentor.expect("Вам закреплены наставляемые")
    await mentor.expect("Самооценка в начале работы пары")
    await _schedule(mentor, 10, "16:30", f"Знакомство с {NAME}")
    invitation = await masha.expect("Приглашение: встреча-знакомство")
    assert NAME in invitation.text
    # He writes to the curator and signs with his name; the curator starts a broadcast that names him.
    await mentor.send("/ask")
    await mentor.expect("Напишите вопрос")
    await mentor.send(f"Это {NAME}. Можно взять ещё одного наставляемого?")
    await mentor.expect("Вопрос отправлен куратору")
    await curator.expect("Вопрос от участника")
    assert await _sent(running, CURATOR_ID, NAME)
    # In quiet hours, a second invitation that names him and Маша's request to him wait in the outbox.
    clock.set(msk(7, 22))
    await _schedule(mentor, 11, "17:00", "Проект")
    await masha.click("Нужно другое время", invitation)
    await masha.expect("Когда тебе удобно")
    await masha.send("Лучше в пятницу")
    await masha.expect("сообщение у наставника")
    pending = await running.db.fetchall("SELECT chat_id, text FROM outbox WHERE status='pending'")
    assert any(r["chat_id"] == 801 and NAME in r["text"] for r in pending)
    assert any(r["chat_id"] == TG_ID for r in pending)
    await curator.send("/broadcast")
    await curator.expect("Напишите сообщение для рассылки")
    await curator.send(f"Поздравляем: {NAME} ведёт новый кружок!")
    await curator.expect("Кому отправить")

    # An audit entry whose details carry what the curator typed about him (a dissolution reason, say).
    await running.service("audit").record(CURATOR_ID, "pair.dissolve", "7", {"reason": f"{NAME} уезжает"})

    needles = {**name_encodings(NAME), **id_encodings(TG_ID)}
    assert found_in_files(db_path, needles), "the scan must see him before the withdrawal"

    await mentor.send("/forget")
    confirm = await mentor.expect("Отозвать согласие?")
    assert "У вас есть наставляемый: куратор подберёт ему нового наставника" in confirm.text
    await mentor.click("Да, удалить мои данные", confirm)
    await mentor.expect("данные удалены")

    leftovers = found_in_files(db_path, needles)
    assert not leftovers, leftovers
    # What should stay did: Маша, her pair (without a mentor) and the destruction record.
    assert found_in_files(db_path, {"Маша": "Маша Иванова".encode()})
    pair = await running.db.fetchone("SELECT * FROM pairs")
    assert pair["mentor_id"] is None and pair["mentor_left_at"] and pair["dissolved_at"] is None
    assert await running.db.fetchval("SELECT COUNT(*) FROM meetings WHERE status='planned'") == 0
    assert await running.db.fetchval("SELECT COUNT(*) FROM destruction_log") == 1
    redacted = await running.db.fetchval("SELECT details FROM audit_log WHERE action='pair.dissolve'")
    assert json.loads(redacted) == {"reason": "… уезжает"}
    # Маша is told at 8:00, in words for a child; the curator gets the pair and a way to re-match it.
    told = await running.db.fetchall("SELECT text, status FROM outbox WHERE chat_id=801 AND status='pending'")
    assert [r["text"] for r in told] == [tr("mentor-left", audience=Audience.PUPIL)]
    clock.set(msk(8, 8, 5))
    running.service("outbox").wake()
    await masha.expect("Твой наставник больше не участвует в программе. Куратор подберёт тебе нового")
    notice = await curator.expect("отозвал согласие")
    assert "осталась без наставника" in notice.text and "Маша Иванова" in notice.text
    assert NAME not in notice.text and tr("btn-rematch") in notice.button_texts()
    await tg.user(OTHER_CURATOR_ID).expect("Вопрос от участника")
    await tg.user(OTHER_CURATOR_ID).expect("осталась без наставника")
    # The curator's broadcast draft that named him is gone with him.
    await curator.send("Кому угодно")
    assert not [m for m in curator.drain() if "Кому отправить" in (m.text or "")]

    await masha.send("/menu")
    menu = await masha.expect("Моё меню")
    assert "Мой наставник: ещё не назначен — куратор подбирает нового" in menu.text
    assert "Мои наставляемые" not in menu.text and "Назначить встречу" not in menu.button_texts()


async def test_a_parents_withdrawal_for_a_child_who_asked_the_curator_leaves_nothing(
    tg: FakeTelegram, running: RunningBot, db_path: Path
) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    child, parent, curator = tg.user(TG_ID, "Эвелина"), tg.user(PARENT_ID, "Ольга"), tg.user(CURATOR_ID)
    await child.send(f"/start {code}")
    await child.expect("в программе наставничества")
    await child.click("Меньше 14", await child.expect("Сначала один вопрос"))
    parent_code = code_in((await child.expect("даёт родитель")).text)
    await parent.send(f"/start {parent_code}")
    await parent.expect("Вас просят дать согласие")
    await parent.click("Даю согласие", await parent.expect("Согласие на обработку"))
    await parent.click("мать", await parent.expect("Кем вы приходитесь"))
    await parent.expect("фамилию и имя")
    await parent.send("Зарецкая-Оболенская Ольга")
    await parent.expect("Согласие записано")
    await child.click("Заполнить анкету", await child.expect("Родитель дал согласие"))
    await child.expect("Анкета наставляемого")
    await child.expect("Вопрос 1 из 9")
    await child.send(NAME)
    await child.expect("Вопрос 2 из 9")
    await child.send("12")
    await answer_anything(child)
    await child.click("Всё верно")
    await child.expect("Анкета сохранена")
    question = "А когда будет первая встреча с наставником?"
    await child.send("/ask")
    await child.expect("Напиши вопрос")
    await child.send(question)
    await child.expect("Вопрос отправлен куратору")
    asked = await curator.expect("Вопрос от участника")
    assert NAME in asked.text and question in asked.text
    await tg.user(OTHER_CURATOR_ID).expect("Вопрос от участника")
    # One curator starts answering: their dialog holds the question.
    await curator.click("Ответить", asked)
    await curator.expect("Кто спрашивает")

    needles = {
        **name_encodings(NAME),
        **id_encodings(TG_ID),
        "the question": question.encode(),
        "the parent's name": "Ольга".encode(),
        **{f"parent's {k}": v for k, v in id_encodings(PARENT_ID).items()},
    }
    assert found_in_files(db_path, needles)

    await parent.send("/forget")
    confirm = await parent.expect("Вы давали согласие за ребёнка")
    await parent.click(f"Отозвать за: {NAME}", confirm)
    await parent.expect("данные ребёнка удалены")
    leftovers = found_in_files(db_path, needles)
    assert not leftovers, leftovers
    # The child hears it at once, in «ты»; nothing about her waits in the outbox to carry her id.
    farewell = await child.expect("Твой родитель отозвал согласие")
    assert "ты больше не участвуешь" in farewell.text
    assert await running.db.fetchval("SELECT COUNT(*) FROM outbox WHERE chat_id=?", (TG_ID,)) == 0
    await curator.expect("отозвал согласие")
    await curator.send("Ответ на вопрос")
    await curator.expect("Этого участника больше нет")


async def test_a_refusal_leaves_no_byte_of_the_telegram_id(
    tg: FakeTelegram, running: RunningBot, db_path: Path
) -> None:
    code = await make_invite(running, Role.MENTEE_TEACHER, Form.TEACHER_TEACHER, max_uses=1)
    teacher = tg.user(TG_ID)
    await teacher.send(f"/start {code}")
    await teacher.expect("в программе наставничества")
    await teacher.expect("Прежде чем я что-то о вас запомню")
    consent = await teacher.expect("Согласие на обработку")
    needles = id_encodings(TG_ID)
    assert found_in_files(db_path, needles)
    await teacher.click("Не даю", consent)
    await teacher.expect("ничего о вас не храню")
    leftovers = found_in_files(db_path, needles)
    assert not leftovers, leftovers


async def test_a_parents_refusal_leaves_no_byte_of_their_telegram_id(
    tg: FakeTelegram, running: RunningBot, db_path: Path
) -> None:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    child = tg.user(513)
    await child.send(f"/start {code}")
    await child.expect("в программе наставничества")
    await child.click("Меньше 14", await child.expect("Сначала один вопрос"))
    parent_code = code_in((await child.expect("даёт родитель")).text)
    parent = tg.user(TG_ID)
    await parent.send(f"/start {parent_code}")
    await parent.expect("Вас просят дать согласие")
    document = await parent.expect("Согласие на обработку")
    needles = id_encodings(TG_ID)
    assert found_in_files(db_path, needles)
    await parent.click("Не даю", document)
    await parent.expect("согласие не дано")
    leftovers = found_in_files(db_path, needles)
    assert not leftovers, leftovers


async def test_a_group_that_lost_its_mentor_is_matched_again_in_one_tap(tg: FakeTelegram, running: RunningBot) -> None:
    participants = running.service("participants")
    masha = await seed_participant(running, 811, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша", []))
    await participants.set_adult(masha, False, "PARENTCODE2")  # a child: told in «ты»
    await seed_participant(running, 812, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Вова", []))
    await seed_participant(running, 911, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Анна Петровна", [], 2))
    curator, anna, _, _ = tg.user(CURATOR_ID), tg.user(911), tg.user(811), tg.user(812)
    await _confirm_match(curator)
    await anna.expect("Вам закреплены наставляемые")
    await anna.expect("Самооценка в начале работы пары")

    await anna.send("/forget")
    confirm = await anna.expect("Отозвать согласие?")
    assert "У вас 2 наставляемых: куратор подберёт им нового наставника" in confirm.text
    await anna.click("Да, удалить мои данные", confirm)
    await anna.expect("данные удалены")
    for mentee, voice in ((tg.user(811), "Твой"), (tg.user(812), "Ваш")):  # a child and an adult mentee
        await mentee.expect(f"{voice} наставник — Анна Петровна")
        await mentee.expect("Самооценка в начале работы пары")
    await tg.user(811).expect("Твой наставник больше не участвует в программе. Куратор подберёт тебе нового")
    await tg.user(812).expect("Ваш наставник больше не участвует в программе. Куратор подберёт вам нового")
    notice = await curator.expect("отозвал согласие")
    assert "Группа №1" in notice.text and "Маша, Вова" in notice.text

    # A new mentor joins; one tap on the notice opens the draft for the form, as a new message.
    await seed_participant(running, 912, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Борис", [], 2))
    tg.user(912)
    await curator.click(tr("btn-rematch"), notice)
    draft = await curator.expect("Черновик подбора")
    assert draft.message_id != notice.message_id
    assert "Наставляемых подобрано: 2 из 2" in draft.text and "Борис" in draft.text
    await curator.click(tr("btn-confirm-match"), draft)
    await curator.expect("Утверждено")
    await tg.user(811).expect("Твой наставник — Борис")
    await tg.user(811).expect("Самооценка в начале работы пары")
    old, new = await running.db.fetchall("SELECT * FROM pairs ORDER BY id")
    assert old["dissolved_at"] and old["dissolve_reason"] == tr("pair-rematched-reason")
    assert new["dissolved_at"] is None and new["mentor_id"] == await _pid(running, 912)
    await tg.user(811).send("/menu")
    assert "Мой наставник: Борис" in (await tg.user(811).expect("Моё меню")).text


async def test_a_mentee_who_leaves_is_not_named_to_the_mentor(tg: FakeTelegram, running: RunningBot) -> None:
    await seed_participant(running, 821, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша Иванова", []))
    await seed_participant(running, 822, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Петя Сидоров", []))
    await seed_participant(running, 921, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Анна Петровна", [], 1))
    await seed_participant(running, 922, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Борис", [], 1))
    curator = tg.user(CURATOR_ID)
    for user_id in (821, 822, 921, 922):
        tg.user(user_id)  # they have opened the bot (Telegram answers "chat not found" otherwise)
    await _confirm_match(curator)
    by_mentee = {
        r["mentee_id"]: r["mentor_id"]
        for r in await running.db.fetchall(
            "SELECT x.mentor_id, m.mentee_id FROM pairs x JOIN pair_members m ON m.pair_id=x.id"
        )
    }
    masha_mentor = {await _pid(running, 921): 921, await _pid(running, 922): 922}[by_mentee[await _pid(running, 821)]]
    mentor = tg.user(masha_mentor)
    await mentor.expect("Вам закреплены наставляемые")
    await mentor.expect("Самооценка в начале работы пары")

    masha = tg.user(821)
    await masha.expect("Ваш наставник — ")
    await masha.expect("Самооценка в начале работы пары")
    await masha.send("/forget")
    confirm = await masha.expect("Отозвать согласие?")
    assert "только, что наставляемый вышел из программы" in confirm.text
    await masha.click("Да, удалить мои данные", confirm)
    await masha.expect("данные удалены")
    told = await mentor.expect("Ваш наставляемый вышел из программы")
    assert "Маша" not in told.text
    notice = await curator.expect("отозвал согласие")
    assert "распалась: наставляемый вышел из программы" in notice.text and "Маша" not in notice.text
    assert tr("btn-rematch") in notice.button_texts()
    member = await running.db.fetchone("SELECT * FROM pair_members WHERE mentee_id IS NULL")
    assert member["left_at"] and member["reasons"] is None and member["score"] is None
    ended = await running.db.fetchone("SELECT * FROM pairs WHERE id=?", (member["pair_id"],))
    assert ended["dissolved_at"] and ended["dissolve_reason"] == tr("reason-withdrawal")
    await mentor.send("/menu")
    menu = await mentor.expect("Моё меню")
    assert "Мои наставляемые" not in menu.text and "Назначить встречу" not in menu.button_texts()
    # He is back among the candidates, and a new pair starts from the first stage.
    await seed_participant(running, 823, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Оля", []))
    tg.user(823)
    await curator.click(tr("btn-rematch"), notice)
    draft = await curator.expect("Черновик подбора")
    await curator.click(tr("btn-confirm-match"), draft)
    await curator.expect("Утверждено")
    await mentor.expect("Вам закреплены наставляемые")
    await mentor.expect("Самооценка в начале работы пары")
    await mentor.send("/menu")
    menu = await mentor.expect("Моё меню")
    assert "Мои наставляемые: Оля" in menu.text and "встреча-знакомство" in menu.text


async def _pid(running: RunningBot, telegram_id: int) -> int:
    return int(await running.db.fetchval("SELECT id FROM participants WHERE account_id=?", (telegram_id,)))


def test_the_consent_document_says_what_other_participants_see() -> None:
    from bot.consent import DOCUMENT_VERSION, ConsentKind, render

    for kind in (ConsentKind.SELF, ConsentKind.PARENT, ConsentKind.MINOR):
        document = render("СЮТ", kind)
        assert "Данные видит только куратор" not in document.text
        assert "<b>Кто видит данные</b>" in document.text and "анкете предпочтений" in document.text
        assert "время, место и тему встреч" in document.text and f"Редакция {DOCUMENT_VERSION}" in document.text
    assert "фамилию и имя ребёнка" in render("СЮТ", ConsentKind.PARENT).text


def test_the_preference_screen_shows_the_other_side_by_name_only() -> None:
    from bot.i18n import Audience
    from bot.pairs import Candidate
    from handlers.preferences import _screen

    secret = "боюсь выступать перед классом"
    me = Candidate(id=1, telegram_id=1, is_mentor=True, name="Анна", answers={"capacity": 2})
    options = [Candidate(id=2, telegram_id=2, is_mentor=False, name="Маша", answers={"expectations": secret})]
    screen = _screen(me, options, [2], Audience.ADULT)
    assert "Маша" in screen and secret not in screen


async def test_messages_about_someone_go_with_them_by_their_link_not_only_by_name(
    tg: FakeTelegram, running: RunningBot
) -> None:
    """A name too short to search for in texts («Ян»): the pair notice to his mentee goes by its outbox_about
    link; the notices of the other pair stay."""
    for user_id in (831, 832, 931, 932):
        tg.user(user_id)
    await seed_participant(running, 831, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Лиза", []))
    await seed_participant(running, 832, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Петя", []))
    yan = await seed_participant(running, 931, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Ян", [], 1))
    await seed_participant(running, 932, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Борис", [], 1))
    await _confirm_match(tg.user(CURATOR_ID))
    notices = "SELECT chat_id FROM outbox WHERE text LIKE 'Ваш наставник — %' ORDER BY chat_id"
    await tg.wait_for(lambda: len(tg.messages(831)) + len(tg.messages(832)) >= 2)
    assert [r[0] for r in await running.db.fetchall(notices)] == [831, 832]
    yans_mentee = await running.db.fetchval(
        "SELECT p.account_id FROM pair_members m JOIN pairs x ON x.id=m.pair_id"
        " JOIN participants p ON p.id=m.mentee_id WHERE x.mentor_id=?",
        (yan,),
    )
    assert _formatted.cache_info().currsize > 0  # texts that quoted him («Ваш наставник — Ян») were kept
    await running.service("participants").destroy(yan, requested_by="participant", reason="test")
    assert _formatted.cache_info().currsize == 0  # and are dropped with his data (bot/i18n.py forget_texts)
    assert [r[0] for r in await running.db.fetchall(notices)] == [({831, 832} - {yans_mentee}).pop()]
    assert await running.db.fetchval("SELECT COUNT(*) FROM outbox_about WHERE participant_id=?", (yan,)) == 0
