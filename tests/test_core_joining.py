"""Joining through the core (`bot.flows.joining`), the stories written once and run on every front end: the
core with no messenger and Telegram. A pupil joins by the curator's invite and gets the parent's link; the
parent opens it and consents, and the child is told; an adult consents; a refusal leaves no row of the person;
and an action that fails half-way leaves nothing of itself."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.flows import joining
from bot.flows.payloads import Payload
from bot.programme import Form, Role
from handlers.kb.joining import AgeCb, ConsentCb, MinorConsentCb, ParentCb
from handlers.states import Joining, ParentConsent
from tests.conftest import CURATOR_ID
from tests.flows import code_in
from tests.frontends import FrontEnd
from tests.test_core_stories import PARENT, TODAY, core_front, front, max_front, telegram_front

#: The stories' front ends (pytest finds the fixtures by these names in this module).
FIXTURES = (front, core_front, telegram_front, max_front)
CHILD, ADULT = 731, 831


async def invite(front: FrontEnd, role: Role, form: Form, max_uses: int | None = None) -> str:
    """The curator's invite (the curator's dialog that makes it is tested in test_joining)."""
    created = await front.service("invites").create(role, form, CURATOR_ID, days=None, max_uses=max_uses)
    return str(created.code)


async def count(front: FrontEnd, sql: str, *params: Any) -> int:
    return int(await front.service("db").fetchval(sql, params))


async def rows_of(front: FrontEnd, account_id: int) -> dict[str, int]:
    """Every row that holds this account id: their profile, their dialog, messages to them, audit entries."""
    return {
        "participants": await count(front, "SELECT COUNT(*) FROM participants WHERE account_id=?", account_id),
        "dialog": await count(front, "SELECT COUNT(*) FROM fsm_state WHERE user_id=?", account_id),
        "outbox": await count(front, "SELECT COUNT(*) FROM outbox WHERE chat_id=?", account_id),
        "consents": await count(front, "SELECT COUNT(*) FROM consents WHERE given_by=?", account_id),
        "audit": await count(front, "SELECT COUNT(*) FROM audit_log WHERE actor_id=?", account_id),
    }


async def pupil_gets_the_parents_link(front: FrontEnd) -> str:
    code = await invite(front, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL)
    pupil = front.person(CHILD, "Маша")
    await pupil.send(f"/start {code}")
    joined = await pupil.expect("Привет! Ты в программе наставничества")
    assert "наставляемый-обучающийся" not in joined.text
    age = await pupil.expect("Сначала один вопрос: сколько тебе лет?")
    assert age.buttons == ["18 или больше", "14–17", "Меньше 14"]
    answered = await pupil.press("Меньше 14", age)
    assert answered.message_id == age.message_id and answered.buttons == []  # the question stays, answered
    link = await pupil.expect("даёт родитель")
    assert "Перешли эту ссылку маме, папе или опекуну" in link.text and "?start=p-" in link.text
    return code_in(link.text)


# --- the stories ------------------------------------------------------------------------------------------------
async def test_a_pupil_joins_by_the_curators_invite_and_is_told_what_to_do(front: FrontEnd) -> None:
    parent_code = await pupil_gets_the_parents_link(front)
    pupil = front.person(CHILD)
    await pupil.send("а можно анкету?")
    waiting = await pupil.expect("Ждём согласия родителя")
    assert code_in(waiting.text) == parent_code
    # Nothing of the child is kept but the enrolment: no consent yet.
    assert await count(front, "SELECT COUNT(*) FROM consents") == 0
    assert await count(front, "SELECT COUNT(*) FROM participants WHERE consent_at IS NULL AND is_adult=0") == 1

    menu = await pupil.open_menu()
    assert menu.buttons == ["Ссылка для родителя", "Помощь"]
    again = await pupil.press("Ссылка для родителя", menu)
    assert again.text.startswith("Ждём согласия родителя") and code_in(again.text) == parent_code


async def test_the_parent_opens_the_link_and_consents_and_the_child_is_told(front: FrontEnd) -> None:
    parent_code = await pupil_gets_the_parents_link(front)
    parent = front.person(PARENT, "Мария")
    await parent.send(f"/start {parent_code}")
    intro = await parent.expect("Здравствуйте! Вас просят дать согласие")
    assert f"ребёнок открыл приглашение в боте: {TODAY} 12:00" in intro.text
    document = await parent.expect("Согласие на обработку персональных данных")
    assert "Я, родитель (законный представитель) ребёнка" in document.text
    assert document.buttons == ["Даю согласие", "Не даю"]
    assert (await parent.press("Даю согласие", document)).buttons == []
    relation = await parent.expect("Кем вы приходитесь ребёнку?")
    assert relation.buttons == ["мать", "отец", "опекун / законный представитель"]
    await parent.press("мать", relation)
    await parent.expect("фамилию и имя")
    await parent.send("12345")
    await parent.expect("буквами")
    await parent.send("Иванова Мария")
    done = await parent.expect("Согласие записано")
    assert done.text.startswith(f"Согласие записано ({TODAY} 12:00). Спасибо!")

    told = await front.person(CHILD).expect("Родитель дал согласие", eventually=True)
    assert told.text == "Родитель дал согласие — можно заполнить анкету!" and told.buttons == ["Заполнить анкету"]
    pid = await count(front, "SELECT id FROM participants WHERE account_id=?", CHILD)
    record = await front.service("participants").consent(pid)
    assert record.kind.value == "parent" and record.given_by == PARENT
    assert record.parent_name == "Иванова Мария" and record.parent_relation.value == "mother"
    assert (await rows_of(front, PARENT))["dialog"] == 0


async def test_an_adult_joins_and_consents(front: FrontEnd) -> None:
    code = await invite(front, Role.MENTOR, Form.TEACHER_PUPIL)
    mentor = front.person(ADULT, "Пётр")
    await mentor.send(f"/start {code}")
    joined = await mentor.expect("Здравствуйте! Вы в программе наставничества")
    assert "как наставник: вы будете помогать обучающимся из объединений" in joined.text
    age = await mentor.expect("Сначала один вопрос: сколько вам лет?")
    await mentor.press("18 или больше", age)
    await mentor.expect("Прежде чем я что-то о вас запомню")
    document = await mentor.expect("Согласие на обработку персональных данных")
    assert "Я, участник программы наставничества, свободно, своей волей" in document.text
    await mentor.press("Даю согласие", document)
    thanks = await mentor.expect("согласие записано")
    assert thanks.text.startswith(f"Спасибо, согласие записано ({TODAY} 12:00). Теперь — анкета.")
    # The questionnaire follows in the same action, its intro in the same message as the thanks.
    assert "Анкета наставника" in thanks.text
    await mentor.expect("Вопрос 1 из")
    pid = await count(front, "SELECT id FROM participants WHERE account_id=?", ADULT)
    record = await front.service("participants").consent(pid)
    assert record.kind.value == "self" and record.given_by == ADULT


async def test_a_refusal_leaves_no_row_of_the_person(front: FrontEnd) -> None:
    code = await invite(front, Role.MENTEE_TEACHER, Form.TEACHER_TEACHER, max_uses=1)
    teacher = front.person(ADULT)
    await teacher.send(f"/start {code}")
    await teacher.expect("в программе наставничества")
    await teacher.expect("Прежде чем я что-то о вас запомню")  # a young teacher is an adult: no age question
    document = await teacher.expect("Согласие на обработку")
    assert (await rows_of(front, ADULT))["participants"] == 1
    await teacher.press("Не даю", document)
    await teacher.expect("ничего о вас не храню")
    assert await rows_of(front, ADULT) == dict.fromkeys(("participants", "dialog", "outbox", "consents", "audit"), 0)
    assert await count(front, "SELECT uses FROM invites WHERE code=?", code) == 0  # the single use given back

    # A parent's refusal: nothing of the parent stays; the child is told.
    parent_code = await pupil_gets_the_parents_link(front)
    parent = front.person(PARENT)
    await parent.send(f"/start {parent_code}")
    await parent.expect("Вас просят дать согласие")
    await parent.press("Не даю", await parent.expect("Согласие на обработку"))
    await parent.expect("согласие не дано")
    told = await front.person(CHILD).expect("Родитель не дал согласия", eventually=True)
    assert "ссылка для родителя прежняя" in told.text
    assert await rows_of(front, PARENT) == dict.fromkeys(("participants", "dialog", "outbox", "consents", "audit"), 0)


@pytest.mark.allow_errors(log=["the outbox is broken"], apology=True)
async def test_an_action_that_fails_after_the_consent_is_written_leaves_nothing(
    front: FrontEnd, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent_code = await pupil_gets_the_parents_link(front)
    parent = front.person(PARENT)
    await parent.send(f"/start {parent_code}")
    await parent.expect("Вас просят дать согласие")
    await parent.press("Даю согласие", await parent.expect("Согласие на обработку"))
    await parent.press("отец", await parent.expect("Кем вы приходитесь"))
    await parent.expect("фамилию и имя")
    outbox = front.service("outbox")
    written: list[int] = []

    async def broken(*args: Any, **kwargs: Any) -> bool:
        written.append(await count(front, "SELECT COUNT(*) FROM consents"))  # the consent is in, uncommitted
        raise RuntimeError("the outbox is broken")

    monkeypatch.setattr(outbox, "enqueue", broken)
    before = await count(front, "SELECT COUNT(*) FROM audit_log")
    if front.name == "core":
        with pytest.raises(RuntimeError, match="outbox is broken"):
            await parent.send("Петров Олег")
    else:
        await parent.send("Петров Олег")
        await parent.expect("что-то пошло не так", eventually=True)
    assert written == [1]
    assert await count(front, "SELECT COUNT(*) FROM consents") == 0
    assert await count(front, "SELECT COUNT(*) FROM participants WHERE consent_at IS NOT NULL") == 0
    assert await count(front, "SELECT COUNT(*) FROM outbox WHERE chat_id=?", CHILD) == 0
    assert await count(front, "SELECT COUNT(*) FROM audit_log") == before
    # The parent's dialog was not cleared either: the name, typed again once the outbox works, is taken.
    monkeypatch.undo()
    await parent.send("Петров Олег")
    await parent.expect("Согласие записано", eventually=True)
    assert await count(front, "SELECT COUNT(*) FROM consents") == 1
    await front.person(CHILD).expect("Родитель дал согласие", eventually=True)


# --- the core's own pieces --------------------------------------------------------------------------------------
TWINS: list[tuple[type[Payload], type[CallbackData], list[dict[str, object]]]] = [
    (joining.AgePayload, AgeCb, [{"group": g} for g in (*joining.AGE_GROUPS, "elder")]),
    (joining.ConsentPayload, ConsentCb, [{"agree": True}, {"agree": False}]),
    (joining.MinorConsentPayload, MinorConsentCb, [{"agree": True}, {"agree": False}]),
    (
        joining.ParentPayload,
        ParentCb,
        [{"pid": 17}, {"pid": 17, "agree": False}, {"pid": 123456, "relation": "guardian"}],
    ),
]


@pytest.mark.parametrize(("neutral", "twin", "examples"), TWINS, ids=lambda x: getattr(x, "__name__", ""))
def test_joinings_payloads_pack_as_their_aiogram_twins(
    neutral: type[Payload], twin: type[CallbackData], examples: list[dict[str, object]]
) -> None:
    """The buttons sent before keep working: the core packs and reads them as aiogram's filters do."""
    assert neutral.prefix == twin.__prefix__
    assert [f.name for f in dataclasses.fields(neutral)] == list(twin.model_fields)  # type: ignore[arg-type]
    for values in examples:
        packed = neutral(**values).pack()
        assert packed == twin(**values).pack()  # type: ignore[arg-type]
        assert twin.unpack(packed).model_dump() == vars(neutral.unpack(packed))


def test_joinings_states_are_the_adapters() -> None:
    assert (
        Joining.age.state,
        Joining.consent.state,
        Joining.waiting_parent.state,
    ) == (joining.AGE, joining.CONSENT, joining.WAITING_PARENT)
    assert (
        ParentConsent.document.state,
        ParentConsent.name.state,
        ParentConsent.relation.state,
    ) == (joining.PARENT_DOCUMENT, joining.PARENT_NAME, joining.PARENT_RELATION)
