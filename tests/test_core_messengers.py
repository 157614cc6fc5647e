"""One programme across both messengers, on the core front end (no adapter): each person is on the messenger they
joined with, and whatever the bot sends them on its own (a broadcast, a campaign's invitation and reminder, the
curators' notices and digest, the parent's consent) goes to them there, as that messenger's outbox rows. A link
that someone else opens (an invite, a parent's link) is given for every messenger the bot runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.consent import ConsentKind, render
from bot.flows.act import run
from bot.flows.campaign_launch import launch
from bot.flows.curator import curators
from bot.flows.events import Messenger, Person
from bot.flows.ports import StartLinks
from bot.i18n import tr
from bot.programme import INTAKE_BY_ROLE, Form, Role
from bot.sandbox.telegram import DEFAULT_TOKEN
from bot.settings import load_settings
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID
from tests.fakes.clock import FakeClock
from tests.flows import mentor_answers, pupil_answers
from tests.frontends.core import CoreFrontEnd

MAX = Messenger.MAX
TODAY = "07.09.2026"
TELEGRAM_BOT, MAX_BOT = "school_bot", "school_max_bot"


@pytest.fixture
async def core(tmp_path: Path, clock: FakeClock) -> AsyncIterator[CoreFrontEnd]:
    settings = load_settings(
        env_file=None,
        telegram={"bot_token": DEFAULT_TOKEN, "curator_ids": f"{CURATOR_ID},{OTHER_CURATOR_ID}"},
        storage={"database_path": tmp_path / "core.sqlite3"},
        institution={"organization_name": "СЮТ"},
    )
    async with CoreFrontEnd.open(settings.storage.database_path, settings, clock) as front:
        yield front


def both_run(core: CoreFrontEnd) -> StartLinks:
    """Both adapters have started and told the bot's name on their messenger."""
    links = core.repos().links
    links.learn(Messenger.TELEGRAM, TELEGRAM_BOT)
    links.learn(MAX, MAX_BOT)
    return links


async def seed(
    core: CoreFrontEnd, account_id: int, messenger: Messenger, role: Role, answers: dict[str, object]
) -> int:
    """A consented adult with the intake done, who joined on `messenger`."""
    repo = core.service("participants")
    invite = await core.service("invites").create(role, Form.TEACHER_PUPIL, CURATOR_ID, days=None, max_uses=None)
    person = await repo.join(account_id, invite, messenger)
    await repo.set_adult(person.id, True, None)
    await repo.record_consent(
        person.id, render("СЮТ", ConsentKind.SELF), kind=ConsentKind.SELF, given_by=account_id,
        given_by_messenger=messenger,
    )  # fmt: skip
    for question_id, value in answers.items():
        await repo.save_answer(person.id, INTAKE_BY_ROLE[role], question_id, value)
    await repo.mark_survey_done(person.id)
    return person.id


async def outbox(core: CoreFrontEnd, kind: str) -> set[tuple[str, int]]:
    rows = await core.service("db").fetchall("SELECT messenger, chat_id FROM outbox WHERE kind=?", (kind,))
    return {(r["messenger"], r["chat_id"]) for r in rows}


async def curator_on_max(core: CoreFrontEnd, account_id: int, name: str) -> Person:
    """An owner makes a curator link; someone on MAX opens it (the flow's `accept_link`) and is a curator there."""
    invite = await core.service("curators").create_invite(CURATOR_ID)
    person = Person(MAX, account_id)
    effects = await run(lambda: curators.accept_link(core.ctx(person), invite.code, name), core.repos())
    assert effects is not None
    core.person(account_id, messenger=MAX)._apply(effects, None)
    await core.deliver()
    return person


# --- broadcasts ----------------------------------------------------------------------------------------------------
async def test_a_broadcast_reaches_a_mentee_on_max_and_a_mentor_on_telegram(core: CoreFrontEnd) -> None:
    await seed(core, 801, MAX, Role.MENTEE_PUPIL, pupil_answers("Маша", []))
    await seed(core, 901, Messenger.TELEGRAM, Role.MENTOR, mentor_answers("Анна", [], 2))
    curator = core.person(CURATOR_ID)
    await curator.send("/broadcast")
    await curator.expect("Напишите сообщение для рассылки")
    await curator.send("Встреча в пятницу")
    picker = await curator.expect("Кому отправить")
    preview = await curator.press("Всем участникам", picker)
    assert preview.text.startswith("Получателей: 2")
    queued = await curator.press("Отправить", await curator.expect("Отправить?", eventually=True))
    assert "поставлена в очередь" in queued.text

    assert await outbox(core, "broadcast") == {("max", 801), ("telegram", 901)}
    assert (await core.person(801, messenger=MAX).expect("Встреча в пятницу")).text == "Встреча в пятницу"
    assert (await core.person(901).expect("Встреча в пятницу")).text == "Встреча в пятницу"
    assert not core.person(801).events  # the same number on Telegram is someone else: nothing went there

    await core.tick()
    await curator.expect("Отчёт о рассылке", eventually=True)


async def test_a_broadcast_from_a_curator_on_max_is_reported_to_them_on_max(core: CoreFrontEnd) -> None:
    await seed(core, 801, MAX, Role.MENTEE_PUPIL, pupil_answers("Маша", []))
    me = await curator_on_max(core, 4242, "Ирина Смирнова")
    curator = core.person(me.account_id, messenger=MAX)
    await curator.send("/broadcast")
    await curator.send("Выставка открыта")
    await curator.press("Всем участникам", await curator.expect("Кому отправить", eventually=True))
    await curator.press("Отправить", await curator.expect("Отправить?", eventually=True))
    await core.person(801, messenger=MAX).expect("Выставка открыта")
    await core.tick()
    await curator.expect("Отчёт о рассылке", eventually=True)
    assert ("max", me.account_id) in await outbox(core, "report")
    assert ("telegram", me.account_id) not in await outbox(core, "report")


# --- campaigns -----------------------------------------------------------------------------------------------------
async def test_a_campaigns_invitation_and_reminder_reach_a_pupil_on_max(core: CoreFrontEnd, clock: FakeClock) -> None:
    pupil_id = await seed(core, 802, MAX, Role.MENTEE_PUPIL, pupil_answers("Петя", []))
    await seed(core, 902, Messenger.TELEGRAM, Role.MENTOR, mentor_answers("Иван", [], 1))
    repos = core.repos()
    now = clock.now()
    launched = await launch(
        repos.campaigns, repos.outbox, dict(repos.questionnaires), core.settings.institution.tz,
        survey="quality", kind="quality", segment="all", title="Удовлетворённость",
        opens_at=now, closes_at=now + timedelta(days=14), created_by=CURATOR_ID,
        report_to=core.settings.roster.people(),
    )  # fmt: skip
    assert launched.campaign_id is not None and pupil_id in {p.participant_id for p in launched.asked}
    await core.deliver()
    invitation = await core.person(802, messenger=MAX).expect("Удовлетворённость", eventually=True)
    assert invitation.buttons and ("max", 802) in await outbox(core, "campaign")
    assert ("telegram", 902) in await outbox(core, "campaign") and ("telegram", 802) not in await outbox(
        core, "campaign"
    )
    await core.person(CURATOR_ID).expect("Удовлетворённость", eventually=True)  # the curators are told who

    clock.advance(days=3, hours=1)
    await core.tick()
    nudged = [r for r in await core.service("db").fetchall(
        "SELECT messenger, chat_id FROM outbox WHERE kind='campaign' AND dedup_key LIKE '%cnudge:%'"
    )]  # fmt: skip
    assert {(r["messenger"], r["chat_id"]) for r in nudged} >= {("max", 802)}
    assert len([e for e in core.person(802, messenger=MAX).events if "Удовлетворённость" in e.text]) == 2


# --- the curators on MAX -------------------------------------------------------------------------------------------
async def test_a_curator_on_max_is_told_of_a_question_and_answers_it(core: CoreFrontEnd) -> None:
    me = await curator_on_max(core, 4242, "Ирина Смирнова")
    joined = await core.person(CURATOR_ID).expect("Новый куратор программы: Ирина Смирнова", eventually=True)
    assert joined.text == "Новый куратор программы: Ирина Смирнова. Список кураторов — /curators."
    await seed(core, 903, Messenger.TELEGRAM, Role.MENTOR, mentor_answers("Анна", [], 1))
    mentor = core.person(903)
    await mentor.send("/ask")
    await mentor.send("Когда будет семинар?")
    curator = core.person(me.account_id, messenger=MAX)
    question = await curator.expect("Вопрос от участника", eventually=True)
    assert "Когда будет семинар?" in question.text
    rows = await core.service("db").fetchall("SELECT messenger FROM outbox WHERE chat_id=?", (me.account_id,))
    assert {r["messenger"] for r in rows} == {"max"}
    await curator.press("Ответить", question)
    await curator.send("В четверг в 15:00")
    await curator.expect("Ответ отправлен", eventually=True)
    assert "В четверг в 15:00" in (await mentor.expect("В четверг в 15:00", eventually=True)).text

    await curator.send("/curators")
    listing = await curator.expect("Кураторы программы", eventually=True)
    assert f"1. id {CURATOR_ID} · Telegram — из настроек бота" in listing.text
    assert "3. Ирина Смирнова · MAX (вы) — в списке с 07.09.2026" in listing.text


async def test_the_digest_goes_to_a_curator_on_max(core: CoreFrontEnd) -> None:
    me = await curator_on_max(core, 4242, "Ирина Смирнова")
    await core.tick()  # 12:00 in Moscow: past the digest's 09:00
    digest = await core.person(me.account_id, messenger=MAX).expect("Сводка на 07.09.2026", eventually=True)
    assert "Ждут согласия" in digest.text
    await core.person(CURATOR_ID).expect("Сводка на 07.09.2026", eventually=True)
    rows = await outbox(core, "digest")
    assert rows == {("telegram", CURATOR_ID), ("telegram", OTHER_CURATOR_ID), ("max", me.account_id)}


async def test_a_curator_on_max_is_removed_from_max(core: CoreFrontEnd) -> None:
    me = await curator_on_max(core, 4242, "Ирина Смирнова")
    owner = core.person(CURATOR_ID)
    await owner.send("/curators")
    listing = await owner.expect("Кураторы программы", eventually=True)
    confirm = await owner.press("Убрать: Ирина Смирнова", listing)
    assert confirm.text.startswith("Убрать из кураторов: Ирина Смирнова?")
    await owner.press("Да, убрать", confirm)
    assert me not in core.settings.roster
    await core.person(me.account_id, messenger=MAX).expect("Вы больше не куратор", eventually=True)


# --- the parent's consent across messengers ------------------------------------------------------------------------
async def _child_gets_both_links(core: CoreFrontEnd, child: Person) -> str:
    both_run(core)
    invite = await core.service("invites").create(
        Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, CURATOR_ID, days=None, max_uses=None
    )
    pupil = core.person(child.account_id, messenger=child.messenger)
    await pupil.send(f"/start {invite.code}")
    age = await pupil.expect("сколько тебе лет", eventually=True)
    await pupil.press("Меньше 14", age)
    link = await pupil.expect("даёт родитель", eventually=True)
    [code] = {part.split("?start=")[1].split()[0] for part in link.text.split() if "?start=" in part}
    assert f"Telegram: https://t.me/{TELEGRAM_BOT}?start={code}" in link.text
    assert f"MAX: https://max.ru/{MAX_BOT}?start={code}" in link.text
    assert "Перешли маме, папе или опекуну ссылку того мессенджера, которым они пользуются:" in link.text
    return code


async def _parent_consents(core: CoreFrontEnd, parent: Person, code: str) -> None:
    chat = core.person(parent.account_id, messenger=parent.messenger)
    await chat.send(f"/start {code}")
    document = await chat.expect("Согласие на обработку персональных данных", eventually=True)
    await chat.press("Даю согласие", document)
    await chat.press("мать", await chat.expect("Кем вы приходитесь ребёнку?", eventually=True))
    await chat.send("Иванова Мария")
    await chat.expect("Согласие записано", eventually=True)


@pytest.mark.parametrize(
    ("child", "parent"),
    [(Person(Messenger.TELEGRAM, 731), Person(MAX, 601)), (Person(MAX, 731), Person(Messenger.TELEGRAM, 601))],
    ids=["child-on-telegram-parent-on-max", "child-on-max-parent-on-telegram"],
)
async def test_a_parent_on_one_messenger_consents_for_a_child_on_the_other(
    core: CoreFrontEnd, child: Person, parent: Person
) -> None:
    code = await _child_gets_both_links(core, child)
    await _parent_consents(core, parent, code)

    child_chat = core.person(child.account_id, messenger=child.messenger)
    told = await child_chat.expect("Родитель дал согласие", eventually=True)
    assert told.buttons == ["Заполнить анкету"]
    assert not core.person(child.account_id, messenger=parent.messenger).events  # not the same person elsewhere
    row = await core.service("db").fetchone("SELECT given_by, given_by_messenger FROM consents WHERE kind='parent'")
    assert (row["given_by"], row["given_by_messenger"]) == (parent.account_id, parent.messenger.value)
    menu = await core.person(parent.account_id, messenger=parent.messenger).open_menu()
    assert menu.text.startswith("Меню родителя") and f"Согласие дано вами {TODAY} 12:00" in menu.text
    assert menu.buttons == ["Вопрос куратору", "Отозвать согласие", "Помощь"]
    same_number = Person(child.messenger, parent.account_id)
    assert await core.service("participants").children_of(same_number.account_id, same_number.messenger) == []


async def test_with_telegram_alone_the_parents_link_is_one_link_as_ever(core: CoreFrontEnd) -> None:
    core.repos().links.learn(Messenger.TELEGRAM, TELEGRAM_BOT)
    invite = await core.service("invites").create(
        Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, CURATOR_ID, days=None, max_uses=None
    )
    pupil = core.person(731)
    await pupil.send(f"/start {invite.code}")
    await pupil.press("Меньше 14", await pupil.expect("сколько тебе лет", eventually=True))
    link = await pupil.expect("даёт родитель", eventually=True)
    assert "Перешли эту ссылку маме, папе или опекуну — пусть откроют её в Telegram:\nhttps://t.me/" in link.text
    assert "MAX" not in link.text


# --- the invite ----------------------------------------------------------------------------------------------------
async def test_an_invite_gives_a_link_on_each_messenger_that_runs(core: CoreFrontEnd) -> None:
    both_run(core)
    curator = core.person(CURATOR_ID)
    await curator.send("/invite")
    roles = await curator.expect("Кого приглашаем")
    forms = await curator.press(Role.MENTEE_PUPIL.label, roles)
    expiry = await curator.press(Form.TEACHER_PUPIL.label, forms)
    limit = await curator.press("Без срока", expiry)
    created = await curator.press("Без ограничения", limit)
    [invite] = await core.service("invites").active()
    assert created.text.startswith(
        "Ссылка-приглашение готова:\n"
        f"Telegram: https://t.me/{TELEGRAM_BOT}?start={invite.code}\n"
        f"MAX: https://max.ru/{MAX_BOT}?start={invite.code}\n"
    )
    await curator.send("/invites")
    listed = await curator.expect("Действующие ссылки")
    assert f"MAX: https://max.ru/{MAX_BOT}?start={invite.code}" in listed.text

    # Someone on MAX opens the MAX link: the same code enrols them there.
    pupil = core.person(805, messenger=MAX)
    await pupil.send(f"/start {invite.code}")
    await pupil.expect("Привет! Ты в программе наставничества")
    joined = await core.service("participants").by_account(MAX, 805)
    assert joined is not None and joined.messenger is MAX


def test_a_start_link_on_max_and_the_payloads_limit() -> None:
    links = StartLinks()
    assert links.links("i-abc") == [(Messenger.TELEGRAM, "https://t.me/bot?start=i-abc")]
    links.learn(MAX, MAX_BOT)
    assert links.links("i-abc") == [(MAX, f"https://max.ru/{MAX_BOT}?start=i-abc")]
    assert links.link(MAX, "x" * 128).endswith("start=" + "x" * 128)
    with pytest.raises(ValueError, match="128"):
        links.link(MAX, "x" * 129)


# --- the curator's screens -----------------------------------------------------------------------------------------
async def test_the_curator_sees_who_is_on_which_messenger_and_the_counts(core: CoreFrontEnd) -> None:
    both_run(core)
    await seed(core, 801, MAX, Role.MENTEE_PUPIL, pupil_answers("Маша Иванова", []))
    await seed(core, 901, Messenger.TELEGRAM, Role.MENTOR, mentor_answers("Анна Петровна", [], 2))
    curator = core.person(CURATOR_ID)
    await curator.send("/participants")
    summary = await curator.expect("Участники программы: 2")
    assert summary.text.startswith("Участники программы: 2 (в Telegram: 1, в MAX: 1)")
    page = await curator.press(f"{tr('btn-show-list')}: {tr('list-all')}", summary)
    lines = page.text.splitlines()
    assert "1. Маша Иванова — наставляемый-обучающийся, анкета заполнена · MAX" in lines
    assert "2. Анна Петровна — наставник, анкета заполнена · Telegram" in lines
    card = await curator.press("1. Маша Иванова", page)
    assert card.text.startswith("Маша Иванова (P-") and " · MAX\n" in card.text

    await curator.send("/summary")
    report = await curator.expect("Сводка программы", eventually=True)
    assert "Участники: 2 (в Telegram: 1, в MAX: 1)" in report.text


async def test_a_curator_link_opened_on_max_makes_a_curator_there(core: CoreFrontEnd) -> None:
    both_run(core)
    owner = core.person(CURATOR_ID)
    await owner.send("/curators")
    made = await owner.press("Добавить куратора", await owner.expect("Кураторы программы"))
    assert made.text.startswith(f"Ссылка для нового куратора:\nTelegram: https://t.me/{TELEGRAM_BOT}?start=c-")
    [code] = [line.split("?start=")[1] for line in made.text.splitlines() if line.startswith("MAX: ")]
    newcomer = core.person(4343, messenger=MAX)
    await newcomer.send(f"/start {code}")
    await newcomer.expect("Готово: вы куратор программы наставничества")
    assert Person(MAX, 4343) in core.settings.roster and Person(Messenger.TELEGRAM, 4343) not in core.settings.roster
    await owner.expect("Новый куратор программы: id 4343", eventually=True)


async def test_the_consent_names_the_account_on_the_participants_messenger(core: CoreFrontEnd) -> None:
    """The document says whose account id is kept: on MAX for someone on MAX (and a parent's, the child's)."""
    code = await _child_gets_both_links(core, Person(MAX, 731))
    chat = core.person(601)  # the parent, on Telegram
    await chat.send(f"/start {code}")
    document = await chat.expect("Согласие на обработку персональных данных", eventually=True)
    assert "• идентификатор в MAX;" in document.text and "идентификатор в Telegram" not in document.text
