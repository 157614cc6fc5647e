"""Confirmations before what cannot be undone: revoking an invite, deleting a material.

Each asks «…?» with «Да, …» / «Отмена»; «Отмена» changes nothing; the old «Да, …» pressed again does nothing.
"""

from __future__ import annotations

from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram, FakeUser, SentMessage
from tests.conftest import CURATOR_ID, RunningBot
from tests.flows import make_invite


async def _press_again(tg: FakeTelegram, user: FakeUser, message: SentMessage, data: str, *, done: str) -> str:
    """Press the old «Да, …» again once the first press was answered with `done`; the second press's answer."""
    await tg.wait_for(lambda: any(done in a.get("text", "") for a in user.callback_answers()))
    before = len(user.callback_answers())
    await user.click_data(data, message.message_id)
    await tg.wait_for(lambda: len(user.callback_answers()) > before)
    return user.callback_answers()[-1].get("text", "")


async def test_revoking_an_invite_asks_first(tg: FakeTelegram, running: RunningBot) -> None:
    code = await make_invite(running, Role.MENTOR, Form.TEACHER_TEACHER, max_uses=30)
    curator = tg.user(CURATOR_ID)
    await curator.send("/invites")
    listing = await curator.expect("Действующие ссылки")
    await curator.click("Отозвать №1", listing)
    confirm = await curator.expect("Отозвать ссылку-приглашение (роль: наставник, форма: учитель – учитель")
    assert "использовано 0 из 30" in confirm.text and confirm.text.rstrip().endswith("останутся в программе.")
    assert confirm.button_texts() == ["Да, отозвать", "Отмена"]
    assert await running.db.fetchval("SELECT revoked_at FROM invites WHERE code=?", (code,)) is None

    await curator.click("Отмена", confirm)
    back = await curator.expect("Действующие ссылки")
    assert code in back.text
    assert await running.db.fetchval("SELECT revoked_at FROM invites WHERE code=?", (code,)) is None

    await curator.click("Отозвать №1", back)
    confirm = await curator.expect("Отозвать ссылку-приглашение")
    yes = confirm.buttons[0][0].callback_data or ""
    await curator.click("Да, отозвать", confirm)
    await curator.expect("Действующих ссылок нет")
    assert await running.db.fetchval("SELECT revoked_at FROM invites WHERE code=?", (code,)) is not None

    assert "не действует" in await _press_again(tg, curator, confirm, yes, done="Ссылка отозвана")
    actions = [r["action"] for r in await running.db.fetchall("SELECT action FROM audit_log")]
    assert actions.count("invite.revoke") == 1


async def test_deleting_a_material_asks_first(tg: FakeTelegram, running: RunningBot) -> None:
    informing = running.service("informing")
    kept = await informing.add_material("Положение о наставничестве", "all", "file-1", "polozhenie.pdf", CURATOR_ID)
    gone = await informing.add_material("Памятка наставляемого", "mentees", "file-2", "pamyatka.pdf", CURATOR_ID)
    curator = tg.user(CURATOR_ID)
    await curator.send("/materials")
    listing = await curator.expect("Материалы программы (2)")
    await curator.click("Удалить №2", listing)
    confirm = await curator.expect("Удалить документ «Памятка наставляемого» (наставляемым)?")
    assert confirm.button_texts() == ["Да, удалить", "Отмена"]
    assert await informing.material(gone) is not None

    await curator.click("Отмена", confirm)
    await curator.expect("Материалы программы (2)")
    assert await informing.material(gone) is not None

    await curator.click("Удалить №2")
    confirm = await curator.expect("Удалить документ «Памятка наставляемого»")
    yes = confirm.buttons[0][0].callback_data or ""
    await curator.click("Да, удалить", confirm)
    after = await curator.expect("Материалы программы (1)")
    assert "Положение о наставничестве" in after.text and "Памятка" not in after.text
    assert await informing.material(gone) is None

    assert "не действует" in await _press_again(tg, curator, confirm, yes, done="Документ удалён")
    assert await informing.material(kept) is not None
    actions = [r["action"] for r in await running.db.fetchall("SELECT action FROM audit_log")]
    assert actions.count("material.delete") == 1
