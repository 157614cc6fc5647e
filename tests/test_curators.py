"""/curators: add a curator by a one-time link, remove one after a confirmation; the owners in CURATOR_IDS stay.

Who is a curator now (the owners and the added ones) is one answer for the curator filter, the command menu and
every notice to the curators (a participant's question, the scheduler's digest).
"""

from __future__ import annotations

from datetime import timedelta

from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram, FakeUser
from tests.conftest import CURATOR_BACKGROUND, CURATOR_ID, OTHER_CURATOR_ID, RunningBot
from tests.flows import code_in, pupil_answers, queued, seed_participant

NEW_ID = 2000


async def _add_curator(tg: FakeTelegram, running: RunningBot) -> FakeUser:
    """The owner makes a link on /curators; Ирина Смирнова opens it and becomes a curator."""
    owner = tg.user(CURATOR_ID)
    await owner.send("/curators")
    listing = await owner.expect("Кураторы программы")
    assert f"id {CURATOR_ID} (вы) — из настроек бота (CURATOR_IDS), убрать из бота нельзя" in listing.text
    assert f"id {OTHER_CURATOR_ID} — из настроек бота" in listing.text
    assert listing.button_texts() == ["Добавить куратора"]  # owners have no «Убрать»
    await owner.click("Добавить куратора", listing)
    link = await owner.expect("Ссылка для нового куратора")
    assert "один раз" in link.text
    new = tg.user(NEW_ID, "Ирина", last_name="Смирнова")
    new.pass_over(*CURATOR_BACKGROUND)
    await new.send(f"/start {code_in(link.text)}")
    await new.expect("Готово: вы куратор программы")
    await owner.expect("Новый куратор программы: Ирина Смирнова")
    await tg.user(OTHER_CURATOR_ID).expect("Новый куратор программы: Ирина Смирнова", eventually=True)
    return new


async def test_a_curator_link_makes_a_curator_once(tg: FakeTelegram, running: RunningBot) -> None:
    outsider = tg.user(NEW_ID, "Ирина", last_name="Смирнова")
    await outsider.send("/participants")
    await outsider.expect("только для кураторов")

    new = await _add_curator(tg, running)
    await new.send("/participants")
    await new.expect("Участников пока нет")
    await tg.wait_for(lambda: f"chat:{NEW_ID}" in tg.commands)
    assert "curators" in {c["command"] for c in tg.commands[f"chat:{NEW_ID}"]}
    row = await running.db.fetchone("SELECT name, added_by FROM curators WHERE account_id=?", (NEW_ID,))
    assert (row["name"], row["added_by"]) == ("Ирина Смирнова", CURATOR_ID)
    audit = await running.db.fetchall("SELECT actor_id, action, details FROM audit_log WHERE action LIKE 'curator.%'")
    assert [(r["actor_id"], r["action"]) for r in audit] == [(CURATOR_ID, "curator.invite"), (NEW_ID, "curator.add")]

    # One use: the same link again (someone it was forwarded to) makes nobody a curator.
    link = next(m for m in tg.user(CURATOR_ID).replies() if "Ссылка для нового куратора" in (m.text or ""))
    stranger = tg.user(2001)
    await stranger.send(f"/start {code_in(link.text)}")
    await stranger.expect("уже вошли")
    await stranger.send("/participants")
    await stranger.expect("только для кураторов")

    # The added curator is on the list, and the list is the same after a restart.
    await running.restart()
    await new.send("/curators")
    listing = await new.expect("Кураторы программы")
    assert "Ирина Смирнова (вы) — в списке с 07.09.2026" in listing.text
    assert listing.button_texts() == ["Добавить куратора", "Убрать: Ирина Смирнова"]


async def test_an_added_curator_gets_every_curator_notice(tg: FakeTelegram, running: RunningBot) -> None:
    await _add_curator(tg, running)
    await seed_participant(running, 801, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, pupil_answers("Маша", []))
    masha = tg.user(801)
    await masha.send("/ask")
    await masha.expect("Напишите вопрос")
    await masha.send("Когда первая встреча?")
    await masha.expect("Вопрос отправлен")
    assert await queued(running, NEW_ID, "Когда первая встреча?")
    await running.service("jobs").digest(running.clock.now(), {})
    assert await queued(running, NEW_ID, "Сводка на")


async def test_removing_a_curator_takes_effect_at_once(tg: FakeTelegram, running: RunningBot) -> None:
    new = await _add_curator(tg, running)
    await new.send("/broadcast")  # a curator dialog left half-way: its draft goes with the removal
    await new.expect("рассылк")
    await new.send("Черновик с именем Маши")
    await new.expect("Кому")
    # A curator notice naming a participant, queued for the morning: it must not reach a removed curator.
    later = running.clock.now() + timedelta(hours=20)
    await running.service("outbox").enqueue(NEW_ID, "Участник Маша ждёт ответа", kind="alert", not_before=later)
    owner = tg.user(CURATOR_ID)
    await owner.send("/curators")
    listing = await owner.expect("Кураторы программы")
    await owner.click("Убрать: Ирина Смирнова", listing)
    confirm = await owner.expect("Убрать из кураторов: Ирина Смирнова?")
    assert confirm.button_texts() == ["Да, убрать", "Отмена"]
    await owner.click("Отмена", confirm)
    await owner.expect("Кураторы программы")
    assert await running.db.fetchval("SELECT COUNT(*) FROM curators") == 1

    await owner.click("Убрать: Ирина Смирнова")
    confirm = await owner.expect("Убрать из кураторов: Ирина Смирнова?")
    yes = confirm.buttons[0][0].callback_data or ""
    await owner.click("Да, убрать", confirm)
    after = await owner.expect("Кураторы программы")
    assert "Ирина" not in after.text and after.button_texts() == ["Добавить куратора"]
    await new.expect("Вы больше не куратор программы", eventually=True)

    await new.send("/participants")
    await new.expect("только для кураторов")
    await tg.wait_for(lambda: f"chat:{NEW_ID}" not in tg.commands)
    assert not await queued(running, NEW_ID, "Маша ждёт ответа")
    state = await running.db.fetchone("SELECT state, data FROM fsm_state WHERE user_id=?", (NEW_ID,))
    assert state is None or (state["state"] is None and "Маши" not in state["data"])

    # The old confirmation pressed again does nothing: no second removal, no error.
    await tg.wait_for(lambda: any("больше не куратор" in a.get("text", "") for a in owner.callback_answers()))
    before = len(owner.callback_answers())
    await owner.click_data(yes, confirm.message_id)
    await tg.wait_for(lambda: len(owner.callback_answers()) > before)
    assert "не действует" in owner.callback_answers()[-1].get("text", "")
    actions = [r["action"] for r in await running.db.fetchall("SELECT action FROM audit_log")]
    assert actions.count("curator.remove") == 1


async def test_nobody_removes_an_owner(tg: FakeTelegram, running: RunningBot) -> None:
    new = await _add_curator(tg, running)
    await new.send("/curators")
    listing = await new.expect("Кураторы программы")
    for action in ("rm", "rmok"):  # forged: the screen has no such button
        before = len(new.callback_answers())
        await new.click_data(f"cur:{action}:{CURATOR_ID}", listing.message_id)
        await tg.wait_for(lambda before=before: len(new.callback_answers()) > before)
        assert "убрать его из бота нельзя" in new.callback_answers()[-1].get("text", "")
    owner = tg.user(CURATOR_ID)
    await owner.send("/participants")
    await owner.expect("Участников пока нет")
    assert not [r for r in await running.db.fetchall("SELECT action FROM audit_log") if r["action"] == "curator.remove"]
