"""The curator's roadmap, informing and campaigns through the core (bot.flows.curator), written once and run on
both front ends: the core with no messenger and Telegram (the fake Bot API)."""

from __future__ import annotations

from typing import Any

from bot.flows import routes
from bot.flows.curator import campaigns, informing, roadmap
from bot.flows.effects import SendFile, Toast
from bot.flows.events import PressIn
from bot.flows.notices import RoadmapCb, stored_buttons
from bot.flows.payloads import AskPayload
from bot.flows.screens import Keyboard
from bot.i18n import tr
from bot.programme import Form, Role
from handlers import states
from handlers.curator.campaigns import NewCampaignCb, SurveysCb
from handlers.kb.informing import BroadcastCb
from handlers.kb.roadmap import RoadmapCb as RoadmapTwin
from tests import test_core_stories
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID
from tests.flows import mentor_answers, pupil_answers, seed_participant
from tests.frontends import FrontEnd, Seen
from tests.frontends.core import CoreFrontEnd

# The stories' fixtures: each story runs on the core and on Telegram.
front = test_core_stories.front
core_front = test_core_stories.core_front
telegram_front = test_core_stories.telegram_front
max_front = test_core_stories.max_front

MENTEE, MENTOR, BYSTANDER = 7301, 7302, 7303


async def audit(front: FrontEnd, prefix: str) -> list[tuple[str, str | None, int]]:
    rows = await front.service("db").fetchall(
        "SELECT action, subject, actor_id FROM audit_log WHERE action LIKE ? ORDER BY id", (f"{prefix}%",)
    )
    return [(r["action"], r["subject"], r["actor_id"]) for r in rows]


async def outbox_rows(front: FrontEnd, containing: str) -> list[dict[str, Any]]:
    rows = await front.service("db").fetchall("SELECT chat_id, kind, text FROM outbox ORDER BY id")
    return [dict(r) for r in rows if containing in r["text"]]


async def press_to(person: Any, label: str, on: Seen, fragment: str) -> Seen:
    """Press, and read on to the screen with `fragment` (a curator's daily notices may come between on Telegram)."""
    seen = await person.press(label, on)
    return seen if fragment in seen.text else await person.expect(fragment, eventually=True)


async def seed_people(front: FrontEnd) -> dict[int, int]:
    """A mentee, a mentor and a bystander, each consented and with the intake done; each has opened the bot."""
    ids = {
        MENTEE: await seed_participant(front, MENTEE, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL,  # type: ignore[arg-type]
                                       pupil_answers("Петя Иванов", []), adult=False),
        MENTOR: await seed_participant(front, MENTOR, Role.MENTOR, Form.TEACHER_PUPIL,  # type: ignore[arg-type]
                                       mentor_answers("Иван Сергеевич", [], 1)),
        BYSTANDER: await seed_participant(front, BYSTANDER, Role.MENTOR, Form.TEACHER_PUPIL,  # type: ignore[arg-type]
                                          mentor_answers("Анна Павловна", [], 1)),
    }  # fmt: skip
    for account in ids:
        await front.person(account).open_menu()
    return ids


# --- the stories ------------------------------------------------------------------------------------------------
async def test_the_curator_opens_the_roadmap_and_an_items_card_and_marks_it_done(front: FrontEnd) -> None:
    curator = front.person(CURATOR_ID)
    await curator.send("/roadmap")  # type: ignore[attr-defined]
    home = await curator.expect("Дорожная карта внедрения ЦМН", eventually=True)  # type: ignore[attr-defined]
    assert "Учебный год 2026/2027" in home.text and tr("btn-roadmap-xlsx") in home.buttons
    section = await press_to(curator, "1. ", home, "Раздел 1.")
    label = next(b for b in section.buttons if b.endswith(" 1.1"))
    card = await press_to(curator, label, section, "Пункт 1.1 ·")
    assert "Отметка о выполнении: —" in card.text
    asked = await press_to(curator, tr("btn-roadmap-done"), card, "Пункт 1.1: отмечаю выполненным")
    done = await press_to(curator, tr("btn-roadmap-skip-note"), asked, "Пункт 1.1 отмечен выполненным (07.09.2026)")
    card = await press_to(curator, tr("btn-roadmap-finish"), done, "Пункт 1.1 ·")
    assert "Статус: ✅ выполнено" in card.text and "Отметка о выполнении: 07.09.2026" in card.text

    state = await front.service("roadmap").state("1.1", 2026)
    assert state.done_at is not None and f"{state.done_at:%d.%m.%Y}" == "07.09.2026"
    assert await audit(front, "roadmap.") == [("roadmap.done", "1.1", CURATOR_ID)]


async def test_the_curators_answer_reaches_the_participant_who_asked_and_nobody_else(front: FrontEnd) -> None:
    ids = await seed_people(front)
    question_id = await front.service("informing").ask(ids[MENTEE], "Когда первая встреча?")
    buttons = Keyboard().add(tr("btn-reply"), AskPayload(a="reply", id=question_id)).rows()
    await front.service("outbox").enqueue(
        CURATOR_ID, "Вопрос от Пети: Когда первая встреча?", reply_markup=stored_buttons(buttons), kind="question"
    )
    await front.deliver()  # type: ignore[attr-defined]
    curator = front.person(CURATOR_ID)
    notice = await curator.expect("Вопрос от Пети", eventually=True)  # type: ignore[attr-defined]
    await press_to(curator, tr("btn-reply"), notice, "Кто спрашивает: Петя Иванов")
    await curator.send("В четверг в 16:30, кабинет 12.")  # type: ignore[attr-defined]
    await curator.expect(tr("answer-sent"), eventually=True)  # type: ignore[attr-defined]

    mentee = front.person(MENTEE)
    answer = await mentee.expect("В четверг в 16:30, кабинет 12.", eventually=True)  # type: ignore[attr-defined]
    assert "Когда первая встреча?" in answer.text
    rows = await outbox_rows(front, "В четверг в 16:30")
    assert [r["chat_id"] for r in rows] == [MENTEE]
    for other in (MENTOR, BYSTANDER, OTHER_CURATOR_ID):
        assert not [s for s in front.person(other).unread() if "В четверг" in s.text]  # type: ignore[attr-defined]
    assert await front.service("informing").question(question_id) is not None
    assert (await audit(front, "question."))[0][0::2] == ("question.answer", CURATOR_ID)


async def test_a_broadcast_reaches_each_participant_once_through_the_outbox(front: FrontEnd) -> None:
    await seed_people(front)
    curator = front.person(CURATOR_ID)
    await curator.send("/broadcast")  # type: ignore[attr-defined]
    await curator.expect("Напишите сообщение для рассылки", eventually=True)  # type: ignore[attr-defined]
    await curator.send("Собрание наставников в пятницу в 15:00.")  # type: ignore[attr-defined]
    audiences = await curator.expect(tr("broadcast-pick-audience"), eventually=True)  # type: ignore[attr-defined]
    await press_to(curator, tr("broadcast-audiences-all"), audiences, "Получателей: 3")
    confirm = await curator.expect(tr("btn-broadcast-send") + "?", eventually=True)  # type: ignore[attr-defined]
    await press_to(curator, tr("btn-broadcast-send"), confirm, "Рассылка поставлена в очередь: 3")

    rows = await outbox_rows(front, "Собрание наставников")
    assert sorted(r["chat_id"] for r in rows) == [MENTEE, MENTOR, BYSTANDER]
    assert {r["kind"] for r in rows} == {"broadcast"}
    for account in (MENTEE, MENTOR, BYSTANDER):
        person = front.person(account)
        await person.expect("Собрание наставников в пятницу", eventually=True)  # type: ignore[attr-defined]
    for account in (MENTEE, MENTOR, BYSTANDER):  # once: nothing more of it comes
        assert not [s for s in front.person(account).unread() if "Собрание" in s.text]  # type: ignore[attr-defined]
    assert [a[0] for a in await audit(front, "broadcast.")] == ["broadcast.send"]


# --- the core alone ---------------------------------------------------------------------------------------------
async def test_on_the_core_a_roadmap_file_is_attached_by_its_messenger_id_and_sent_back_by_it(
    core_front: CoreFrontEnd,
) -> None:
    curator = core_front.person(CURATOR_ID)
    await curator.send("/roadmap")
    section = await curator.press("1. ", curator.last())
    card = await curator.press(next(b for b in section.buttons if b.endswith(" 1.1")), section)
    await curator.press(tr("btn-roadmap-attach"), card)
    await curator.send_document("prikaz.pdf", "application/pdf", ref="tg-file-42")
    card = await curator.expect("Документ «prikaz.pdf» прикреплён к пункту 1.1")
    await curator.press("📎 prikaz.pdf", card)
    [sent] = curator.files
    assert isinstance(sent, SendFile) and sent.file.ref == "tg-file-42" and "1.1" in sent.file.caption
    assert [a[0] for a in await audit(core_front, "roadmap.")] == ["roadmap.attach", "roadmap.get_document"]


async def test_on_the_core_only_a_curator_reaches_the_curators_flows(core_front: CoreFrontEnd) -> None:
    stranger = core_front.person(555)
    for command in ("/roadmap", "/broadcast", "/materials", "/campaign", "/surveys"):
        await stranger.send(command)
        assert stranger.next().text == tr("curator-only")
    ctx = core_front.ctx(stranger.person)
    for payload in (RoadmapCb(a="home", y=2026).pack(), "ask:reply:1", "bc:send:", "nc:monitoring:::0", "sv:list:0"):
        assert await routes.handle(PressIn(stranger.person, payload), ctx) == [Toast(tr("stale-button"))]


def test_the_flows_states_and_payloads_are_the_adapters() -> None:
    """The flows name their dialogs' states as aiogram's StatesGroups do, and their payloads pack as the twins."""
    names = {s.state for group in (states.RoadmapDone, states.RoadmapAttach, states.RoadmapEdit, states.RoadmapAdd,
                                   states.AnswerQuestion, states.AddMaterial, states.Broadcast)
             for s in group.__states__}  # fmt: skip
    ours = {value for module in (roadmap, informing) for key, value in vars(module).items()
            if key.isupper() and isinstance(value, str) and ":" in value and value[0].isupper()}  # fmt: skip
    assert ours == names
    assert RoadmapTwin(a="card", y=2026, n="6.1.1").pack() == RoadmapCb(a="card", y=2026, n="6.1.1").pack()
    broadcast = informing.BroadcastPayload("aud", "form.teacher_pupil")
    assert BroadcastCb(a="aud", v="form.teacher_pupil").pack() == broadcast.pack()
    wizard = campaigns.NewCampaignPayload("x", "all", 7, True)
    assert NewCampaignCb(s="x", g="all", d=7, go=True).pack() == wizard.pack()
    assert SurveysCb(a="who", c=3).pack() == campaigns.SurveysPayload("who", 3).pack()
