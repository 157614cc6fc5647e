"""The withdrawal (/forget, the menu's «Отозвать согласие») as one action of the core, on both front ends: every
row of the person goes in one transaction, no byte of their name or account id stays in the database file or its
WAL, their pair and the curators are told, and a child whose parent withdrew gets the farewell at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.flows import forget
from bot.i18n import Audience, tr
from bot.programme import Form, Role
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID
from tests.flows import mentor_answers, pupil_answers, seed_participant
from tests.frontends import FrontEnd
from tests.frontends.core import CoreFrontEnd
from tests.test_core_stories import (
    PARENT,
    core_front,
    front,
    max_front,
    parent_consents,
    seed_pupil_awaiting_parent,
    telegram_front,
)
from tests.test_withdrawal import found_in_files, id_encodings, name_encodings

#: The stories' fixtures, one per front end (tests/test_core_stories.py).
FIXTURES = (core_front, telegram_front, front, max_front)
#: Long and distinctive, so that finding their bytes cannot be a coincidence (as in tests/test_withdrawal.py).
NAME = "Эвелина Зарецкая-Оболенская"
ACCOUNT = 987654321123
MENTEE = 802


def db_path(front: FrontEnd) -> Path:
    return front.service("db").path


async def rows_of(front: FrontEnd, participant_id: int, account_id: int) -> dict[str, int]:
    """How many rows anywhere still belong to the person (by their participant id or their account id)."""
    db = front.service("db")
    counts = {}
    for table in ("answers", "consents", "questions"):
        counts[table] = await db.fetchval(f"SELECT COUNT(*) FROM {table} WHERE participant_id=?", (participant_id,))
    counts["participants"] = await db.fetchval(
        "SELECT COUNT(*) FROM participants WHERE id=? OR account_id=?", (participant_id, account_id)
    )
    counts["outbox"] = await db.fetchval("SELECT COUNT(*) FROM outbox WHERE chat_id=?", (account_id,))
    counts["dialogs"] = await db.fetchval("SELECT COUNT(*) FROM fsm_state WHERE user_id=?", (account_id,))
    return counts


async def mentor_with_a_mentee(front: FrontEnd) -> tuple[int, int]:
    """A mentor with the distinctive name and account, and a pupil mentee; the pair confirmed."""
    mentor_id = await seed_participant(front, ACCOUNT, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers(NAME, [], 1))  # type: ignore[arg-type]
    mentee_id = await seed_pupil_awaiting_parent(front, MENTEE)
    await parent_consents(front, mentee_id, pupil_answers("Маша Иванова", []))
    group = ProposedGroup(mentor_id, [(mentee_id, 9.0, "")])
    await front.service("matching").create_pairs(Form.TEACHER_PUPIL, [group], CURATOR_ID)
    return mentor_id, mentee_id


async def test_a_participants_withdrawal_leaves_no_row_and_no_byte_of_them(front: FrontEnd) -> None:
    mentor_id, _ = await mentor_with_a_mentee(front)
    mentor, mentee, curator = front.person(ACCOUNT), front.person(MENTEE), front.person(CURATOR_ID)
    # He signs a question to the curator with his name: a row about him, and notices that quote it.
    await mentor.send("/ask")
    await mentor.expect("Напишите вопрос")
    await mentor.send(f"Это {NAME}. Можно взять ещё одного наставляемого?")
    await mentor.expect(tr("ask-sent"))
    await curator.expect("Вопрос от участника", eventually=True)
    needles = {**name_encodings(NAME), **id_encodings(ACCOUNT)}
    assert found_in_files(db_path(front), needles), "the scan must see him before the withdrawal"

    await mentor.send("/forget")
    confirm = await mentor.expect("Отозвать согласие?")
    assert "У вас есть наставляемый: куратор подберёт ему нового наставника" in confirm.text
    assert confirm.buttons == [tr("btn-forget-yes"), tr("btn-forget-no")]
    done = await mentor.press(tr("btn-forget-yes"), confirm)
    assert done.text == tr("forget-done", audience=Audience.ADULT)

    assert await rows_of(front, mentor_id, ACCOUNT) == dict.fromkeys(
        ("answers", "consents", "questions", "participants", "outbox", "dialogs"), 0
    )
    assert await front.service("db").fetchval("SELECT COUNT(*) FROM destruction_log") == 1
    leftovers = found_in_files(db_path(front), needles)
    assert not leftovers, leftovers
    # His mentee is told in words for a child; the curators get the pair and the way to re-match it, no name.
    await mentee.expect(tr("mentor-left", audience=Audience.PUPIL), eventually=True)
    notice = await curator.expect("отозвал согласие", eventually=True)
    assert "осталась без наставника" in notice.text and "Маша Иванова" in notice.text and NAME not in notice.text
    assert notice.buttons == [tr("btn-rematch")]
    # He is nobody to the bot now.
    await mentor.send("/menu")
    await mentor.expect("пока не участник программы", eventually=True)


async def test_a_parents_withdrawal_ends_the_childs_participation_and_the_child_is_told(front: FrontEnd) -> None:
    child_id = await seed_pupil_awaiting_parent(front, ACCOUNT)
    await parent_consents(front, child_id, pupil_answers(NAME, []))
    child, parent = front.person(ACCOUNT), front.person(PARENT)
    needles = {**name_encodings(NAME), **id_encodings(ACCOUNT)}
    assert found_in_files(db_path(front), needles)

    menu = await parent.open_menu()
    confirm = await parent.press("Отозвать согласие", menu)
    assert confirm.text.startswith("Вы давали согласие за ребёнка. Отозвать его?")
    assert confirm.buttons == [tr("btn-forget-child", name=NAME), tr("btn-forget-no")]
    done = await parent.press(tr("btn-forget-child", name=NAME), confirm)
    assert done.text == tr("forget-done-parent")

    farewell = await child.expect("Твой родитель отозвал согласие")
    assert "ты больше не участвуешь" in farewell.text
    assert await front.service("participants").get(child_id) is None
    assert await rows_of(front, child_id, ACCOUNT) == dict.fromkeys(
        ("answers", "consents", "questions", "participants", "outbox", "dialogs"), 0
    )
    leftovers = found_in_files(db_path(front), needles)
    assert not leftovers, leftovers
    await parent.send("/forget")
    await parent.expect(tr("forget-nothing"))


async def test_no_keeps_everything(front: FrontEnd) -> None:
    mentor_id = await seed_participant(front, 903, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Иван", [], 1))  # type: ignore[arg-type]
    mentor = front.person(903)
    await mentor.send("/forget")
    confirm = await mentor.expect("Отозвать согласие?")
    kept = await mentor.press(tr("btn-forget-no"), confirm)
    assert kept.text == tr("forget-kept") and kept.message_id == confirm.message_id
    assert await front.service("participants").get(mentor_id) is not None
    await mentor.send("/cancel")
    await mentor.expect(tr("nothing-to-cancel"))


async def test_on_the_core_a_confirmation_no_longer_open_is_stale(core_front: CoreFrontEnd) -> None:
    await seed_participant(core_front, 904, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Иван", [], 1))  # type: ignore[arg-type]
    mentor = core_front.person(904)
    confirm = await mentor.press("Отозвать согласие", await mentor.open_menu())
    await mentor.send("/cancel")
    await mentor.expect(tr("cancelled-forget"))
    await mentor.press(tr("btn-forget-yes"), confirm)
    assert mentor.toasts == [tr("stale-button")]
    assert await core_front.service("participants").by_account(mentor.person.messenger, 904) is not None


async def test_the_withdrawal_is_one_transaction(core_front: CoreFrontEnd, monkeypatch: pytest.MonkeyPatch) -> None:
    """A withdrawal that fails after the deletion (here: telling the pair) leaves nothing of itself: the person,
    their confirmation and no destruction record; then it succeeds whole."""
    mentor_id, _ = await mentor_with_a_mentee(core_front)
    mentor = core_front.person(ACCOUNT)
    await mentor.send("/forget")
    confirm = await mentor.expect("Отозвать согласие?")

    async def broken(*args: object) -> None:
        raise RuntimeError("the pair could not be told")

    with monkeypatch.context() as patched:
        patched.setattr(forget, "tell_partners", broken)
        with pytest.raises(RuntimeError):
            await mentor.press(tr("btn-forget-yes"), confirm)
    assert await core_front.service("participants").get(mentor_id) is not None
    assert await core_front.service("db").fetchval("SELECT COUNT(*) FROM destruction_log") == 0
    assert await core_front.dialog(mentor.person).get_state() == forget.CONFIRM
    assert await core_front.service("db").fetchval("SELECT COUNT(*) FROM outbox WHERE kind='curator'") == 0

    done = await mentor.press(tr("btn-forget-yes"), confirm)
    assert done.text == tr("forget-done", audience=Audience.ADULT)
    assert await core_front.service("participants").get(mentor_id) is None
