"""Who is who for the curator: notices name the person, their role and their pair; a pair has one number on
every screen and sheet."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl

from bot.app import tell_curators_blocked
from bot.documents import pairs_workbook
from bot.meetings import Stage
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram
from handlers.curator.documents import pair_rows
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import mentor_answers, pupil_answers, queued, seed_participant
from tests.test_meetings import _schedule, msk, tick

TP = Form.TEACHER_PUPIL


async def _about(running: RunningBot, chat_id: int, containing: str) -> set[int]:
    """The participants the outbox rows to `chat_id` with `containing` are linked to (a withdrawal takes them)."""
    rows = await running.db.fetchall(
        "SELECT o.text, a.participant_id FROM outbox o JOIN outbox_about a ON a.outbox_id=o.id WHERE o.chat_id=?",
        (chat_id,),
    )
    return {r["participant_id"] for r in rows if containing in r["text"]}


async def _pair(running: RunningBot, mentee_tg: int, mentee: str, mentor_tg: int, mentor: str) -> tuple[int, int, int]:
    mentee_id = await seed_participant(running, mentee_tg, Role.MENTEE_PUPIL, TP, pupil_answers(mentee, []))
    mentor_id = await seed_participant(running, mentor_tg, Role.MENTOR, TP, mentor_answers(mentor, [], 1))
    [pair_id] = await running.service("matching").create_pairs(
        TP, [ProposedGroup(mentor_id, [(mentee_id, 5.0, "")])], CURATOR_ID
    )
    return pair_id, mentee_id, mentor_id


async def test_a_blocked_bot_notice_names_the_person_the_role_and_the_pair(
    tg: FakeTelegram, running: RunningBot
) -> None:
    pair_id, masha, _ = await _pair(running, 801, "Маша Иванова", 901, "Анна Сергеевна")
    petya = await seed_participant(running, 802, Role.MENTEE_PUPIL, TP, pupil_answers("Петя Смирнов", []))
    curator = tg.user(CURATOR_ID)

    await tg.user(801).block_bot()
    notice = await curator.expect("Бот заблокирован участником")
    assert f"Маша Иванова (наставляемый-обучающийся, пара №{pair_id})" in notice.text
    assert "P-0" not in notice.text
    await tg.user(OTHER_CURATOR_ID).expect(f"Маша Иванова (наставляемый-обучающийся, пара №{pair_id})")
    assert await _about(running, CURATOR_ID, "Бот заблокирован") == {masha}
    await tg.user(801).unblock_bot()
    back = await curator.expect("Снова на связи в боте")
    assert f"Маша Иванова (наставляемый-обучающийся, пара №{pair_id})" in back.text

    await tg.user(802).block_bot()
    alone = await curator.expect("Петя Смирнов")
    assert "Бот заблокирован участником: Петя Смирнов (наставляемый-обучающийся, без пары)." in alone.text

    # The sender finds the block on its own (a 403 on a send): the same words.
    await tell_curators_blocked(901, running.settings, running.app.services)  # type: ignore[union-attr]
    found = await curator.expect("Анна Сергеевна")
    assert f"Бот заблокирован участником: Анна Сергеевна (наставник, пара №{pair_id})." in found.text
    assert await _about(running, CURATOR_ID, "Петя Смирнов") == {petya}


async def test_the_disagreement_and_fit_alerts_say_who_answered_what(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    pair_id, masha, anna = await _pair(running, 801, "Маша", 901, "Анна")
    mentor, mentee, curator = tg.user(901), tg.user(801), tg.user(CURATOR_ID)
    await _schedule(mentor, 10, "16:30", topic=None)
    await mentee.expect("Приглашение: ")
    clock.set(msk(10, 18, 30))
    await tick(running)
    mentor.pass_over("Как вам пара")
    mentee.pass_over("Как вам пара")
    await mentor.click("Да", await mentor.expect("состоялась?"))
    await mentor.click("5", await mentor.expect("Насколько полезной"))
    await mentor.click("Пропустить", await mentor.expect("Что сделали"))
    await mentor.expect("Спасибо, записано")
    await mentee.click("Не состоялась", await mentee.expect("состоялась?"))
    await mentee.click("Забыли", await mentee.expect("Почему"))
    await mentee.expect("Спасибо, записано")

    flagged = await curator.expect("расходятся")
    assert f"пара №{pair_id}" in flagged.text
    assert "Анна (наставник): «Встреча состоялась»" in flagged.text
    assert "Маша (наставляемый-обучающийся): «Не состоялась»" in flagged.text
    assert await _about(running, CURATOR_ID, "расходятся") == {masha, anna}

    await tg.wait_for(lambda: any("Как вам пара" in (m.text or "") for m in mentor.replies()))
    await mentor.click("Да, подходит", next(m for m in mentor.replies() if "Как вам пара" in (m.text or "")))
    await mentor.expect("Спасибо за ответ")
    await tg.wait_for(lambda: any("Как вам пара" in (m.text or "") for m in mentee.replies()))
    await mentee.click("Не подходит", next(m for m in mentee.replies() if "Как вам пара" in (m.text or "")))
    await mentee.expect("Спасибо за ответ")
    alert = await curator.expect("пара не подходит")
    assert f"Маша (наставляемый-обучающийся, пара №{pair_id}) отвечает" in alert.text
    assert "Анна (наставник): «Да, подходит»" in alert.text
    assert "Маша (наставляемый-обучающийся): «Не подходит»" in alert.text
    assert await _about(running, CURATOR_ID, "не подходит") == {masha, anna}

    # Маша withdraws: every alert that names her goes with her data.
    await running.service("participants").destroy(masha, requested_by="self", reason="отзыв согласия")
    for curator_id in (CURATOR_ID, OTHER_CURATOR_ID):
        assert await queued(running, curator_id, "расходятся") == []
        assert await queued(running, curator_id, "не подходит") == []


async def test_a_pair_has_one_number_in_the_list_the_card_alerts_the_digest_the_files_and_the_bases(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    first, _, _ = await _pair(running, 801, "Маша", 901, "Анна")
    pair_id, _, _ = await _pair(running, 802, "Петя", 902, "Олег")
    matching = running.service("matching")
    await matching.dissolve(first, "переезд")  # the pair left is the first row of every list, not №1
    assert pair_id != 1
    curator, _, _ = tg.user(CURATOR_ID), tg.user(802), tg.user(902)  # the pair has opened the bot

    await curator.send("/pairs")
    listing = await curator.expect("Пары и группы")
    assert f"№{pair_id} Олег — Петя" in listing.text
    await curator.click(f"№{pair_id} Олег", listing)
    assert f"Пара №{pair_id}" in (await curator.expect("Наставник: Олег")).text

    # The digest of a day with the pair's meeting, and the alert about a quiet pair.
    clock.advance(days=21)
    await running.service("meetings").create(pair_id, Stage.INTRO, clock.now() + timedelta(hours=1), "каб. 5", None)
    await tick(running)
    alert = await curator.expect("без встреч")
    assert f"Пара №{pair_id} без встреч" in alert.text and "Олег" in alert.text and "Петя" in alert.text
    digests = await queued(running, CURATOR_ID, "Сводка на")
    assert digests and f"пара №{pair_id}, встреча-знакомство" in digests[-1]

    # The pairs workbook sent with the order, and the /export workbook.
    rows = pair_rows(await matching.pairs(), running.settings)
    sheet = openpyxl.load_workbook(io.BytesIO(pairs_workbook(rows, organization="СЮТ", generated=clock.now()))).active
    numbers = [row[0] for row in sheet.iter_rows(values_only=True) if row and isinstance(row[0], int)]
    assert numbers == [pair_id]
    curator.pass_over("Сводка на ")
    await curator.send("/export")
    sent = await curator.expect("Выгрузка данных программы", timeout=15)
    book = openpyxl.load_workbook(io.BytesIO(sent.document["content"]))  # type: ignore[index]
    for title in ("Пары и группы", "Встречи"):
        values = [row[0] for row in book[title].iter_rows(values_only=True) if row and isinstance(row[0], int)]
        assert values == [pair_id], title

    # The base of mentees: Петя is «в паре №N», Маша (her pair dissolved) is not in one.
    await curator.send("/bases")
    await curator.click("База наставляемых", await curator.expect("Какую базу выгрузить?"))
    base = await curator.expect("База наставляемых")
    rows = list(openpyxl.load_workbook(io.BytesIO(base.document["content"])).active.iter_rows(values_only=True))  # type: ignore[index]
    header = next(row for row in rows if row and row[0] == "№")
    status = {row[2]: row[header.index("Статус")] for row in rows[rows.index(header) + 1 :] if row[0]}
    assert status == {"Маша": "анкета заполнена", "Петя": f"в паре №{pair_id}"}
