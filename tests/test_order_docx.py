"""The director's order (4.4) as the curator gets it after «Утвердить» (one form) or «Утвердить всё» (every form's
draft at once): one order per confirmation covering every form it confirmed, each file named apart, the
institution's details from the settings (blanks when unset), signature lines for adults only."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from docx import Document
from docx.document import Document as DocxDocument

from bot.documents import order_docx
from bot.i18n import tr
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram, FakeUser
from bot.settings import Settings
from handlers.curator.documents import order_info
from tests.conftest import CURATOR_ID, RunningBot
from tests.flows import mentor_answers, pupil_answers, seed_participant

BLANK = "____________________"


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(
        city="г. Тула",
        director_name="И. И. Иванов",
        order_number="____-од",
        mentorship_regulation_date="01.09.2026",
        mentorship_regulation_number="12-од",
    )


def teacher_answers(name: str) -> dict[str, object]:
    return {
        "name": name,
        "experience": 1,
        "club": "robotics",
        "difficulties": ["discipline"],
        "free_days": ["wed"],
        "format": "individual",
    }


async def seed_child(running: RunningBot, telegram_id: int, role: Role, form: Form, answers: dict[str, object]) -> None:
    """A participant under 18 (their parent consented)."""
    person_id = await seed_participant(running, telegram_id, role, form, answers)
    await running.service("participants").set_adult(person_id, False, f"parent-{telegram_id}")


async def seed(running: RunningBot) -> None:
    async def child(telegram_id: int, role: Role, form: Form, answers: dict[str, object]) -> None:
        await seed_child(running, telegram_id, role, form, answers)

    tp, pp, tt = Form.TEACHER_PUPIL, Form.PUPIL_PUPIL, Form.TEACHER_TEACHER
    await child(801, Role.MENTEE_PUPIL, tp, pupil_answers("Маша Иванова", ["proj_robotics"]))
    await child(802, Role.MENTEE_PUPIL, tp, pupil_answers("Петя Сидоров", ["proj_robotics"]))
    await seed_participant(running, 901, Role.MENTOR, tp, mentor_answers("Иван Петрович", ["proj_robotics"], 2))
    # «ученик – ученик»: a 16-year-old mentor and his mentee are both children.
    await child(803, Role.MENTEE_PUPIL, pp, pupil_answers("Оля Котова", ["proj_robotics"]))
    await child(902, Role.MENTOR, pp, mentor_answers("Школьник Денис", ["proj_robotics"], 1))
    # «учитель – учитель»: a young teacher is an adult who signs too.
    await seed_participant(running, 804, Role.MENTEE_TEACHER, tt, teacher_answers("Молодая Ольга Ивановна"))
    await seed_participant(running, 903, Role.MENTOR, tt, mentor_answers("Опытная Нина Петровна", ["proj_robotics"], 1))


async def confirm(curator: FakeUser, form: Form) -> tuple[str, DocxDocument]:
    """/match for `form`, «Утвердить»: the order's file name and the order as python-docx reads it back."""
    await curator.send("/match")
    await curator.click(form.label, await curator.expect("Для какой формы"))
    await curator.click("Утвердить", await curator.expect("Черновик подбора"))
    await curator.expect("Утверждено")
    await curator.expect(tr("pairs-xlsx-caption"), timeout=10)
    order = await curator.expect(tr("order-docx-caption"), timeout=10)
    assert order.document is not None
    return order.document["file_name"], Document(io.BytesIO(order.document["content"]))


def paragraphs(doc: DocxDocument) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def acquainted(doc: DocxDocument) -> list[str]:
    """The names of «С приказом ознакомлены» (its table: name, signature, date)."""
    rows = doc.tables[0].rows
    assert all(row.cells[1].text.strip("_") == "" and row.cells[2].text.startswith("«___»") for row in rows)
    return [row.cells[0].text for row in rows]


def appendix(doc: DocxDocument) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in doc.tables[-1].rows[1:]]


async def test_each_confirmation_sends_its_own_order_with_the_settings_and_the_adults_to_sign(
    tg: FakeTelegram, running: RunningBot
) -> None:
    await seed(running)
    for telegram_id in (801, 802, 803, 804, 901, 902, 903):
        tg.user(telegram_id)
    curator = tg.user(CURATOR_ID)
    today = running.clock.now().astimezone(running.settings.institution.tz).date()

    orders = [await confirm(curator, form) for form in (Form.TEACHER_PUPIL, Form.PUPIL_PUPIL, Form.TEACHER_TEACHER)]
    names = [name for name, _ in orders]
    assert len(set(names)) == 3, names
    assert names[0].startswith(f"prikaz-o-zakreplenii-{today:%Y-%m-%d}-pedagog-obuchayushchiysya-")
    assert names[1].startswith(f"prikaz-o-zakreplenii-{today:%Y-%m-%d}-uchenik-uchenik-")
    assert names[2].startswith(f"prikaz-o-zakreplenii-{today:%Y-%m-%d}-uchitel-uchitel-")
    assert all(name.endswith(".docx") for name in names)

    for _, doc in orders:
        paras = paragraphs(doc)
        assert paras[2] == f"от {today:%d.%m.%Y} № ____-од"  # the number as the settings give it
        assert paras[3] == "г. Тула"
        preamble = paras[5]
        assert "Положением о наставничестве, утверждённым приказом от 01.09.2026 № 12-од, и дорожной" in preamble
        signature = next(p for p in paras if p.startswith("Директор"))
        assert signature.endswith("И. И. Иванов")
        assert f"от {today:%d.%m.%Y} № ____-од" in paras[paras.index("Приложение к приказу") :]

    (_, teacher_pupil), (_, pupil_pupil), (_, teacher_teacher) = orders
    # Each order covers the pairs of its confirmation only.
    assert appendix(teacher_pupil) == [
        ["1.", "педагог – обучающийся", "Иван Петрович\nПедагог доп. образования", "Маша Иванова\nПетя Сидоров"]
    ]
    assert appendix(pupil_pupil) == [
        ["1.", "ученик – ученик", "Школьник Денис\nПедагог доп. образования", "Оля Котова"]
    ]
    assert appendix(teacher_teacher) == [
        ["1.", "учитель – учитель", "Опытная Нина Петровна\nПедагог доп. образования", "Молодая Ольга Ивановна"]
    ]
    # «С приказом ознакомлены»: the curator's line (blank: the bot does not know the curator's name), then every
    # adult of the order; children never, and blank lines keep room for three signatures.
    assert acquainted(teacher_pupil) == [BLANK, "Иван Петрович", BLANK]
    assert acquainted(pupil_pupil) == [BLANK, BLANK, BLANK]
    assert acquainted(teacher_teacher) == [BLANK, "Опытная Нина Петровна", "Молодая Ольга Ивановна"]


def test_unset_settings_leave_blank_lines_never_a_made_up_value(make_settings: Callable[..., Settings]) -> None:
    unset = make_settings()
    doc = Document(io.BytesIO(order_docx(order_info(unset, date(2026, 12, 2)), [])))
    paras = paragraphs(doc)
    assert paras[2] == "от 02.12.2026 № ____"
    assert paras[3] == BLANK  # the city
    assert (
        "Положением о наставничестве, утверждённым приказом от «___» ____________ 20___ г. № ____, и дорожной"
        in paras[5]
    )
    signature = next(p for p in paras if p.startswith("Директор"))
    assert signature.split("\t")[-1] == BLANK


async def test_the_same_form_confirmed_twice_a_day_gives_two_files(tg: FakeTelegram, running: RunningBot) -> None:
    tp = Form.TEACHER_PUPIL
    await seed_child(running, 801, Role.MENTEE_PUPIL, tp, pupil_answers("Маша Иванова", ["proj_robotics"]))
    await seed_participant(running, 901, Role.MENTOR, tp, mentor_answers("Иван Петрович", ["proj_robotics"], 2))
    for telegram_id in (801, 802, 901):
        tg.user(telegram_id)
    curator = tg.user(CURATOR_ID)
    first, _ = await confirm(curator, tp)
    # Later that day another pupil joins; Иван's group of the form takes him in (the same pair in the database).
    running.clock.advance(hours=2)
    await seed_child(running, 802, Role.MENTEE_PUPIL, tp, pupil_answers("Петя Сидоров", ["proj_robotics"]))
    second, doc = await confirm(curator, tp)
    assert first != second and first[:31] == second[:31]  # the same day's prefix
    assert acquainted(doc) == [BLANK, "Иван Петрович", BLANK]


async def test_confirming_every_form_at_once_gives_one_order_for_all(tg: FakeTelegram, running: RunningBot) -> None:
    await seed(running)
    for telegram_id in (801, 802, 803, 804, 805, 901, 902, 903, 904):
        tg.user(telegram_id)
    curator = tg.user(CURATOR_ID)
    today = running.clock.now().astimezone(running.settings.institution.tz).date()

    await curator.send("/match")
    overview = await curator.expect("Для какой формы")
    assert "• педагог – обучающийся: подобрано 2 из 2; пар: 0, групп: 1" in overview.text
    # While the curator reads, a fourth form gets its first pair: the press is refused and says so.
    sp = Form.STUDENT_PUPIL
    await seed_child(running, 805, Role.MENTEE_PUPIL, sp, pupil_answers("Коля Белов", ["proj_robotics"]))
    await seed_participant(
        running, 904, Role.MENTOR, sp, mentor_answers("Студент Артём Игоревич", ["proj_robotics"], 1)
    )
    await curator.click("Утвердить всё", overview)
    refused = await curator.expect("данные изменились")
    assert "ничего не утверждено" in refused.text
    assert refused.text.split("Что изменилось:\n", 1)[1].startswith(
        "студент – ученик\n• Коля Белов: новая пара — Студент Артём Игоревич\n\n"
    )
    assert await running.db.fetchval("SELECT COUNT(*) FROM pairs") == 0
    fresh = await curator.expect("студент – ученик: подобрано 1 из 1")
    assert fresh.message_id == overview.message_id

    await curator.click("Утвердить всё", fresh)
    done = await curator.expect("Утверждено по формам")
    for label in ("ученик – ученик", "студент – ученик", "педагог – обучающийся", "учитель – учитель"):
        assert f"• {label}:" in done.text
    await curator.expect(tr("pairs-xlsx-caption"), timeout=10)
    order = await curator.expect(tr("order-docx-caption"), timeout=10)
    assert [
        m.document["file_name"] for m in curator.replies() if m.document and "prikaz" in m.document["file_name"]
    ] == [order.document["file_name"]]  # one order for the four forms
    name = order.document["file_name"]
    assert name.startswith(f"prikaz-o-zakreplenii-{today:%Y-%m-%d}-") and name.endswith(".docx")
    doc = Document(io.BytesIO(order.document["content"]))

    paras = paragraphs(doc)
    assert paras[2] == f"от {today:%d.%m.%Y} № ____-од"
    assert paras[3] == "г. Тула"
    assert "Положением о наставничестве, утверждённым приказом от 01.09.2026 № 12-од, и дорожной" in paras[5]
    assert next(p for p in paras if p.startswith("Директор")).endswith("И. И. Иванов")
    # Every pair of every form confirmed by the press, numbered through.
    assert appendix(doc) == [
        ["1.", "ученик – ученик", "Школьник Денис\nПедагог доп. образования", "Оля Котова"],
        ["2.", "студент – ученик", "Студент Артём Игоревич\nПедагог доп. образования", "Коля Белов"],
        ["3.", "педагог – обучающийся", "Иван Петрович\nПедагог доп. образования", "Маша Иванова\nПетя Сидоров"],
        ["4.", "учитель – учитель", "Опытная Нина Петровна\nПедагог доп. образования", "Молодая Ольга Ивановна"],
    ]
    # Every adult of the order signs, each once; the children (Денис, 16, among them) never.
    assert acquainted(doc) == [
        BLANK,
        "Студент Артём Игоревич",
        "Иван Петрович",
        "Опытная Нина Петровна",
        "Молодая Ольга Ивановна",
    ]
