"""/help, /cancel, what is outside any dialog, the question to the curator and the materials: stories written once
and run on the core with no messenger and on Telegram (`front`); the core's own answers on the core alone."""

from __future__ import annotations

from dataclasses import fields

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.flows import common, forget, informing
from bot.flows.events import PressIn
from bot.flows.payloads import ForgetPayload, FormPayload, Payload, RenewPayload
from bot.i18n import Audience, tr
from bot.programme import Form, Role
from handlers.kb.matching import FormCb
from handlers.kb.menu import ForgetCb
from handlers.kb.years import RenewCb
from handlers.states import AskCurator, Forget
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID
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

#: The stories' fixtures, one per front end (tests/test_core_stories.py).
FIXTURES = (core_front, telegram_front, front, max_front)
QUESTION = "Когда будет следующая встреча с наставником?"


async def consented_pupil(front: FrontEnd, account_id: int, name: str = "Коля Петров") -> int:
    child_id = await seed_pupil_awaiting_parent(front, account_id)
    await parent_consents(front, child_id, pupil_answers(name, []))
    return child_id


async def chats_with(front: FrontEnd, fragment: str) -> set[int]:
    """The chats any outbox row whose text has `fragment` went (or goes) to."""
    rows = await front.service("db").fetchall("SELECT chat_id FROM outbox WHERE instr(text, ?) > 0", (fragment,))
    return {int(r["chat_id"]) for r in rows}


# --- /help ----------------------------------------------------------------------------------------------------
async def test_help_speaks_to_its_reader(front: FrontEnd) -> None:
    await consented_pupil(front, 731)
    pupil, parent, curator = front.person(731), front.person(PARENT), front.person(CURATOR_ID)

    await pupil.send("/help")
    helped = await pupil.expect("Что умеет бот")
    assert "/menu — твоё меню" in helped.text
    await parent.send("/help")
    assert "/menu — меню родителя" in (await parent.expect("Что умеет бот")).text
    await curator.send("/help")
    assert "/menu — меню куратора" in (await curator.expect("Что умеет бот", eventually=True)).text


# --- /cancel ----------------------------------------------------------------------------------------------------
async def test_cancel_mid_question_says_what_was_cancelled_and_nothing_reaches_the_curator(front: FrontEnd) -> None:
    await consented_pupil(front, 732)
    pupil = front.person(732)

    await pupil.send("/cancel")
    await pupil.expect(tr("nothing-to-cancel"))
    prompt = await pupil.press("Вопрос куратору", await pupil.open_menu())
    assert prompt.text == tr("ask-prompt", audience=Audience.PUPIL)
    await pupil.send("/cancel")
    await pupil.expect(tr("cancelled-question"))
    await pupil.send(QUESTION)  # no dialog now: the text is not a question any more
    await pupil.expect(tr("unknown-input"))
    assert await chats_with(front, QUESTION) == set()


# --- outside any dialog -----------------------------------------------------------------------------------------
async def test_free_text_and_files_outside_a_dialog(front: FrontEnd) -> None:
    await consented_pupil(front, 733)
    pupil, parent, stranger = front.person(733), front.person(PARENT), front.person(556)

    await pupil.send("привет")
    await pupil.expect(tr("unknown-input"))
    await stranger.send("а что это за бот?")
    await stranger.expect(tr("unknown-input"))
    # A parent's free text leads to their menu: the question to the curator is one button away.
    await parent.send("Здравствуйте, как дела у сына?")
    menu = await parent.expect(tr("parent-menu-hint"))
    assert "Меню родителя" in menu.text and "Вопрос куратору" in menu.buttons
    # A file where none is expected is answered kindly, in the reader's voice.
    await pupil.send_document("рисунок.pdf", "application/pdf")
    await pupil.expect(tr("unsupported-content", audience=Audience.PUPIL))
    await stranger.send_document("резюме.pdf", "application/pdf")
    await stranger.expect(tr("unsupported-content", audience=Audience.ADULT))


# --- the question to the curator --------------------------------------------------------------------------------
async def test_a_question_reaches_the_curators_and_no_other_chat(front: FrontEnd) -> None:
    await consented_pupil(front, 734, "Маша Иванова")
    pupil = front.person(734)

    await pupil.send("/ask")
    await pupil.expect(tr("ask-prompt", audience=Audience.PUPIL))
    await pupil.send(QUESTION)
    await pupil.expect(tr("ask-sent"))
    for curator_id in (CURATOR_ID, OTHER_CURATOR_ID):
        notice = await front.person(curator_id).expect("Вопрос от участника", eventually=True)
        assert "Маша Иванова" in notice.text and QUESTION in notice.text
        assert notice.buttons == [tr("btn-reply")]
    assert await chats_with(front, QUESTION) == {CURATOR_ID, OTHER_CURATOR_ID}
    rows = await front.service("db").fetchall("SELECT kind FROM outbox WHERE instr(text, ?) > 0", (QUESTION,))
    assert {r["kind"] for r in rows} == {"question"}


async def test_a_parents_question_about_the_child_reaches_the_curators(front: FrontEnd) -> None:
    await consented_pupil(front, 735, "Коля Петров")
    parent = front.person(PARENT)

    prompt = await parent.press("Вопрос куратору", await parent.open_menu())
    assert prompt.text == tr("parent-ask-prompt")
    await parent.send("Можно ли перенести встречу на субботу?")
    await parent.expect(tr("ask-sent"))
    notice = await front.person(CURATOR_ID).expect("Вопрос от родителя", eventually=True)
    assert "Петрова Анна" in notice.text and "Коля Петров" in notice.text and "на субботу" in notice.text
    assert await chats_with(front, "на субботу") == {CURATOR_ID, OTHER_CURATOR_ID}


async def test_a_question_is_one_text_of_at_most_1000_characters(front: FrontEnd) -> None:
    await consented_pupil(front, 736)
    pupil = front.person(736)
    await pupil.send("/ask")
    await pupil.expect(tr("ask-prompt", audience=Audience.PUPIL))
    await pupil.send("ы" * 1001)
    await pupil.expect(tr("ask-bad", audience=Audience.PUPIL))
    await pupil.send_document("вопрос.pdf", "application/pdf")
    await pupil.expect(tr("unsupported-content", audience=Audience.PUPIL))
    await pupil.send("Коротко: когда встреча?")
    await pupil.expect(tr("ask-sent"))


# --- the core's own answers -------------------------------------------------------------------------------------
async def test_materials_on_the_core_are_sent_by_the_messengers_file_id(core_front: CoreFrontEnd) -> None:
    await consented_pupil(core_front, 737)
    informing_repo = core_front.service("informing")
    await informing_repo.add_material("Памятка наставляемому", "mentees", "FILE-ID-1", "pamyatka.pdf", CURATOR_ID)
    await informing_repo.add_material("Для наставников", "mentors", "FILE-ID-2", "mentors.pdf", CURATOR_ID)
    pupil = core_front.person(737)

    materials = await pupil.press("Материалы", await pupil.open_menu())
    assert materials.buttons == ["Памятка наставляемому"]
    await pupil.press("Памятка наставляемому", materials)
    [sent] = pupil.files
    assert sent.file.ref == "FILE-ID-1" and sent.file.caption == "Памятка наставляемому"


async def test_a_stranger_cannot_ask_and_a_curators_button_is_not_the_participants(core_front: CoreFrontEnd) -> None:
    stranger = core_front.person(557)
    await stranger.send("/ask")
    await stranger.expect(tr("not-a-participant"))
    await stranger.send("/cancel")
    await stranger.expect(tr("nothing-to-cancel"))
    await stranger.send("/forget")
    await stranger.expect(tr("forget-nothing"))


def test_the_flows_states_are_the_adapters_states() -> None:
    assert AskCurator.text.state == informing.QUESTION
    assert Forget.confirm.state == forget.CONFIRM
    assert set(common.CANCELLED_BY_DIALOG) >= {"AskCurator", "Forget"}


TWINS: list[tuple[type[Payload], type[CallbackData], list[dict[str, object]]]] = [
    (ForgetPayload, ForgetCb, [{"confirm": True}, {"confirm": False}, {"confirm": True, "pid": 17}]),
    (RenewPayload, RenewCb, [{"y": 1}, {"y": 2026}]),
    (FormPayload, FormCb, [{"flow": "rm", "f": "tp"}, {"flow": "mt", "f": "sp"}]),
]


@pytest.mark.parametrize(("neutral", "twin", "examples"), TWINS, ids=lambda x: getattr(x, "__name__", ""))
def test_the_new_payloads_pack_as_their_aiogram_twins(
    neutral: type[Payload], twin: type[CallbackData], examples: list[dict[str, object]]
) -> None:
    assert neutral.prefix == twin.__prefix__
    assert [f.name for f in fields(neutral)] == list(twin.model_fields)  # type: ignore[arg-type]
    for values in examples:
        packed = neutral(**values).pack()
        assert packed == twin(**values).pack()
        assert twin.unpack(packed).model_dump() == vars(neutral.unpack(packed))


async def test_renewal_on_the_core(core_front: CoreFrontEnd) -> None:
    """«Участвую в следующем году» under the thank-you notice: once recorded, then said to be recorded already;
    anyone who is not a participant has a stale button."""
    mentee_id = await consented_pupil(core_front, 738, "Маша Иванова")
    mentor_id = await seed_participant(core_front, 938, Role.MENTOR, Form.TEACHER_PUPIL, mentor_answers("Иван", [], 1))  # type: ignore[arg-type]
    matching = core_front.service("matching")
    await matching.create_pairs(Form.TEACHER_PUPIL, [ProposedGroup(mentor_id, [(mentee_id, 9.0, "")])], CURATOR_ID)
    finished = await matching.finish_year("2026-27", CURATOR_ID, "конец года")
    assert finished is not None
    press = RenewPayload(y=finished[0].id).pack()
    pupil, stranger = core_front.person(738), core_front.person(558)

    await pupil.act(PressIn(pupil.person, press, "1"), pressed=1)
    assert pupil.next().text == tr("renewed", audience=Audience.PUPIL)
    await pupil.act(PressIn(pupil.person, press, "1"), pressed=1)
    assert pupil.next().text == tr("renewed-already")
    assert await matching.renewals(finished[0].id) == {mentee_id: "button"}
    await stranger.act(PressIn(stranger.person, press, "1"), pressed=1)
    assert stranger.toasts == [tr("stale-button")]
