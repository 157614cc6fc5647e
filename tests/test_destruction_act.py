"""The act on the destruction of personal data (issue 12, Приказ Роскомнадзора от 28.10.2022 № 179): after real
withdrawals through the bot, /destruction_act gives the curator a DOCX for a period with every field the order
requires, read back here with python-docx."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document

from bot.documents.destruction_act import METHOD, REQUESTED_BY, SIGNERS, SIGNERS_HEADERS
from bot.i18n import tr
from bot.participants import CATEGORY_LABELS
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram, FakeUser, SentMessage
from bot.settings import Settings
from tests.conftest import CURATOR_ID, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import code_in, make_invite, mentor_answers, seed_participant

ADDRESS = "623400, Свердловская обл., г. Каменск-Уральский, ул. Техников, д. 7"
MSK = timedelta(hours=3)
MENTOR_NAME = "Лебедева Ольга Николаевна"
CHILD_NAME = "Коля Петров"
PARENT_NAME = "Петров Олег"


def msk(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) - MSK


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(organization_address=ADDRESS)


def docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """The paragraphs and, per table, its rows of cell texts."""
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
    return paragraphs, tables


async def _withdraw_self(user: FakeUser) -> None:
    await user.send("/forget")
    await user.click("Да, удалить мои данные", await user.expect("Отозвать согласие?"))
    await user.expect("данные удалены")


async def _child_with_parent_consent(tg: FakeTelegram, running: RunningBot) -> tuple[FakeUser, FakeUser]:
    code = await make_invite(running, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    child, parent = tg.user(511, "Коля"), tg.user(611, "Олег")
    await child.send(f"/start {code}")
    await child.expect("в программе наставничества")
    await child.click("Меньше 14", await child.expect("Сначала один вопрос"))
    parent_code = code_in((await child.expect("даёт родитель")).text)
    await parent.send(f"/start {parent_code}")
    await parent.expect("Вас просят дать согласие")
    await parent.click("Даю согласие", await parent.expect("Согласие на обработку"))
    await parent.click("отец", await parent.expect("Кем вы приходитесь"))
    await parent.expect("фамилию и имя")
    await parent.send(PARENT_NAME)
    await parent.expect("Согласие записано")
    await child.click("Заполнить анкету", await child.expect("Родитель дал согласие"))
    await child.expect("Анкета наставляемого")
    await child.expect("Вопрос 1 из 9")
    await child.send(CHILD_NAME)
    await child.expect("Вопрос 2 из 9")
    return child, parent


async def _act(curator: FakeUser, button: str, caption: str) -> tuple[SentMessage, bytes]:
    await curator.send("/destruction_act")
    pick = await curator.expect("За какой?")
    assert pick.button_texts() == [tr("btn-act-this-month"), tr("btn-act-last-month"), tr("btn-act-this-year")]
    await curator.click(button, pick)
    document = await curator.expect("Впишите номер", timeout=15)
    assert (document.text or "").startswith(caption)
    assert document.document is not None and document.document["file_name"].endswith(".docx")
    return document, document.document["content"]


async def test_the_act_after_real_withdrawals_holds_every_field_the_order_requires(
    tg: FakeTelegram, running: RunningBot, clock: FakeClock
) -> None:
    curator = tg.user(CURATOR_ID)
    # August: a mentor withdraws (last month's act).
    clock.set(msk(8, 28, 15, 40))
    mentor = tg.user(801, "Ольга")
    await seed_participant(
        running, 801, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers(MENTOR_NAME, ["proj_robotics"], 2)
    )
    await _withdraw_self(mentor)
    notice = await curator.expect("отозвал согласие")
    assert "Запись для акта об уничтожении сохранена (акт за период — /destruction_act)" in notice.text
    # September: a parent withdraws the consent they gave for their child (this month's act).
    clock.set(msk(9, 7, 12, 5))
    _child, parent = await _child_with_parent_consent(tg, running)
    await parent.send("/forget")
    await parent.click(f"Отозвать за: {CHILD_NAME}", await parent.expect("Вы давали согласие за ребёнка"))
    await parent.expect("данные ребёнка удалены")
    await curator.expect("отозвал согласие")
    log = [dict(r) for r in await running.db.fetchall("SELECT * FROM destruction_log ORDER BY id")]
    assert [r["requested_by"] for r in log] == ["participant", "parent"]
    mentor_pseudonym, child_pseudonym = (r["pseudonym"] for r in log)

    clock.set(msk(9, 10, 10))
    document, data = await _act(curator, tr("btn-act-this-month"), "Акт об уничтожении персональных данных с 01.09")
    assert document.document is not None
    assert document.document["file_name"] == "akt-ob-unichtozhenii-pd-2026-09-01-2026-09-30.docx"
    paragraphs, tables = docx_text(data)
    body = "\n".join(paragraphs)
    records, signers = tables
    # The operator's name and address.
    assert paragraphs[0] == "МБУ ДО «Станция юных техников»"
    assert f"Оператор персональных данных: МБУ ДО «Станция юных техников», адрес: {ADDRESS}" in paragraphs
    # Title, date and period.
    assert "АКТ" in paragraphs and "об уничтожении персональных данных" in paragraphs
    assert "от 10.09.2026 № ____" in paragraphs and "за период с 01.09.2026 по 30.09.2026" in paragraphs
    # The information system and the material carrier.
    assert (
        "Информационная система персональных данных: Nastavnik — Telegram-бот программы наставничества"
        " «МБУ ДО „Станция юных техников“»"
    ) in body
    assert "Материальный носитель: файл базы данных SQLite «nastavnik.sqlite3»" in body
    # The method and the reason.
    assert f"Способ уничтожения: {METHOD}" in paragraphs
    assert "secure_delete" in METHOD and "TRUNCATE" in METHOD and "WAL" in METHOD
    assert f"Причина уничтожения: {tr('reason-parent-withdrawal')}" in paragraphs
    assert "Дата уничтожения: 07.09.2026" in paragraphs
    # The subjects and the list of categories destroyed: the child's record only (the mentor's was in August).
    assert "всего субъектов: 1" in body
    categories = next(p for p in paragraphs if p.startswith("Перечень категорий уничтоженных персональных данных"))
    for key in ("profile", "consents", "answers"):
        assert CATEGORY_LABELS[key] in categories, key
    # The log extract: pseudonym, role, categories, when, who asked, why.
    assert len(records) == 2
    header, row = records
    assert header[0] == "№" and "псевдоним" in header[1] and "Причина" in header[5]
    assert row[0] == "1."
    assert row[1] == f"{child_pseudonym}, наставляемый-обучающийся"
    assert f"{CATEGORY_LABELS['answers']}: 1" in row[2] and f"{CATEGORY_LABELS['consents']}: 1" in row[2]
    assert row[3] == "07.09.2026 12:05"
    assert row[4] == REQUESTED_BY["parent"]
    assert row[5] == tr("reason-parent-withdrawal")
    assert mentor_pseudonym not in body + json.dumps(tables, ensure_ascii=False)
    # Who destroyed the data: position, name and signature lines, and the head's approval.
    assert "Персональные данные уничтожили:" in paragraphs
    assert signers[0] == list(SIGNERS_HEADERS)
    assert [r[0] for r in signers[1:3]] == list(SIGNERS[:2])
    assert all(r[1].startswith("____") and r[2].startswith("____") for r in signers[1:])
    assert any(p.startswith("Руководитель организации\t____") for p in paragraphs)
    # No name of anyone whose data was destroyed.
    dump = body + json.dumps(tables, ensure_ascii=False)
    for name in (MENTOR_NAME, CHILD_NAME, PARENT_NAME, "Коля", "Олег"):
        assert name not in dump, name
    # The screen says how many records; the file is audit-logged.
    screens = [m.text or "" for m in curator.replies() if (m.text or "").startswith("Акт об уничтожении")]
    assert tr("destruction-act-ready", start="01.09.2026", end="30.09.2026", n=1) in screens
    audit = await running.db.fetchone("SELECT * FROM audit_log WHERE action='destruction_act.export'")
    assert audit["actor_id"] == CURATOR_ID and audit["subject"] == "2026-09-01..2026-09-30"
    assert json.loads(audit["details"]) == {"records": 1}

    # Last month's act has the mentor, asked by the subject, at 15:40 on 28.08.
    _, data = await _act(curator, tr("btn-act-last-month"), "Акт об уничтожении персональных данных с 01.08")
    paragraphs, (records, _signers) = docx_text(data)
    assert "за период с 01.08.2026 по 31.08.2026" in paragraphs
    assert records[1][1] == f"{mentor_pseudonym}, наставник"
    assert records[1][3:5] == ["28.08.2026 15:40", REQUESTED_BY["participant"]]
    assert f"Причина уничтожения: {tr('reason-withdrawal')}" in paragraphs

    # The year's act has both, oldest first.
    _, data = await _act(curator, tr("btn-act-this-year"), "Акт об уничтожении персональных данных с 01.01")
    paragraphs, (records, _signers) = docx_text(data)
    assert [r[1].split(",")[0] for r in records[1:]] == [mentor_pseudonym, child_pseudonym]
    assert "всего субъектов: 2" in "\n".join(paragraphs)
    assert "Дата уничтожения: 28.08.2026, 07.09.2026" in paragraphs


async def test_a_period_without_destruction_gets_no_act(tg: FakeTelegram, running: RunningBot) -> None:
    curator = tg.user(CURATOR_ID)
    await curator.send("/destruction_act")
    await curator.click(tr("btn-act-this-month"), await curator.expect("За какой?"))
    screen = await curator.expect("не уничтожались")
    assert screen.text == tr("destruction-act-none", start="01.09.2026", end="30.09.2026")
    assert not [m for m in curator.replies() if m.document]
    assert await running.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE action='destruction_act.export'") == 0


async def test_only_a_curator_gets_the_act(tg: FakeTelegram, running: RunningBot) -> None:
    outsider = tg.user(4242, "Посторонний")
    await outsider.send("/destruction_act")
    reply = await outsider.expect("")
    assert "За какой?" not in (reply.text or "")
