"""The programme's stories written once and run through every front end: the core with no messenger at all,
Telegram (the real app on the fake Bot API) and MAX (the real MAX adapter on the fake MAX, tests/frontends/max.py).
What a person reads and presses is the same on all three.

Data is seeded through the app's real repositories (`front.service(name)`), as tests/flows.py does."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.consent import ConsentKind, Relation, render
from bot.flows import menu, routes
from bot.flows.effects import Show, Toast
from bot.flows.events import CommandIn, Messenger, Person, PressIn, TextIn
from bot.flows.screens import Screen
from bot.i18n import tr
from bot.invites import PARENT_PREFIX, new_code
from bot.meetings import Stage
from bot.programme import INTAKE_BY_ROLE, Form, Role
from bot.sandbox.telegram import DEFAULT_TOKEN, FakeTelegram
from bot.settings import load_settings
from storage.matching import ProposedGroup
from tests.conftest import CURATOR_ID, OTHER_CURATOR_ID, ErrorsGuard, RunningBot
from tests.fakes.clock import FakeClock
from tests.flows import mentor_answers, pupil_answers, seed_participant
from tests.frontends import FrontEnd
from tests.frontends.core import CoreFrontEnd
from tests.frontends.max import MaxFrontEnd, fake_max
from tests.frontends.telegram import TelegramFrontEnd

PARENT = 601
#: The clock starts at 2026-09-07 09:00 UTC: 12:00 in Moscow, the institution's zone.
TODAY = "07.09.2026"


@pytest.fixture(params=["core", "telegram", "max"])
def front(request: pytest.FixtureRequest) -> FrontEnd:
    """Each story runs on each front end."""
    return request.getfixturevalue(f"{request.param}_front")


@pytest.fixture
async def core_front(tmp_path: Path, clock: FakeClock) -> AsyncIterator[CoreFrontEnd]:
    settings = load_settings(
        env_file=None,
        telegram={"bot_token": DEFAULT_TOKEN, "curator_ids": f"{CURATOR_ID},{OTHER_CURATOR_ID}"},
        storage={"database_path": tmp_path / "core.sqlite3"},
        institution={"organization_name": "МБУ ДО «Станция юных техников»"},
    )
    async with CoreFrontEnd.open(settings.storage.database_path, settings, clock) as core:
        yield core


@pytest.fixture
def telegram_front(tg: FakeTelegram, running: RunningBot) -> TelegramFrontEnd:
    return TelegramFrontEnd(tg, running)


@pytest.fixture
async def max_front(tmp_path: Path, clock: FakeClock, errors_guard: ErrorsGuard) -> AsyncIterator[MaxFrontEnd]:
    """The MAX adapter on the app's core, polling the fake MAX; the curators (CURATOR_IDS) are MAX users who
    have opened the bot before."""
    settings = load_settings(
        env_file=None,
        telegram={"bot_token": DEFAULT_TOKEN, "curator_ids": f"max:{CURATOR_ID},max:{OTHER_CURATOR_ID}"},
        storage={"database_path": tmp_path / "max.sqlite3"},
        institution={"organization_name": "МБУ ДО «Станция юных техников»"},
        logging={"log_level": "INFO"},
    )
    async with fake_max() as fake:
        errors_guard.watch(fake)  # type: ignore[arg-type]
        async with MaxFrontEnd.open(fake, settings, clock) as front:
            front.person(CURATOR_ID, "Куратор"), front.person(OTHER_CURATOR_ID, "Второй куратор")
            yield front


# --- seeds, through the repositories ----------------------------------------------------------------------------
async def seed_pupil_awaiting_parent(front: FrontEnd, account_id: int) -> int:
    """A pupil under 18 who joined by an invite and waits for the parent's consent."""
    invite = await front.service("invites").create(
        Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, CURATOR_ID, days=None, max_uses=None
    )
    repo = front.service("participants")
    child = await repo.join(account_id, invite)
    await repo.set_adult(child.id, False, new_code(PARENT_PREFIX))
    return child.id


async def parent_consents(front: FrontEnd, child_id: int, answers: dict[str, object] | None = None) -> None:
    """The parent's consent (the dialog is tested in test_joining); the questionnaire done when `answers`."""
    repo = front.service("participants")
    await repo.record_consent(
        child_id, render("СЮТ", ConsentKind.PARENT), kind=ConsentKind.PARENT, given_by=PARENT,
        parent_name="Петрова Анна", parent_relation=Relation.MOTHER,
    )  # fmt: skip
    for question_id, value in (answers or {}).items():
        await repo.save_answer(child_id, INTAKE_BY_ROLE[Role.MENTEE_PUPIL], question_id, value)
    if answers:
        await repo.mark_survey_done(child_id)


async def seed_pair_with_meeting(front: FrontEnd, mentee_id: int, mentor_account: int) -> None:
    """A mentor, the pair the curator confirmed, and its first meeting on 10.09.2026 at 16:30 Moscow time."""
    answers = mentor_answers("Иван Сергеевич", [], 1)
    mentor_id = await seed_participant(front, mentor_account, Role.MENTOR, Form.TEACHER_PUPIL, answers)  # type: ignore[arg-type]
    group = ProposedGroup(mentor_id, [(mentee_id, 9.0, "")])
    [pair_id] = await front.service("matching").create_pairs(Form.TEACHER_PUPIL, [group], CURATOR_ID)
    starts = datetime(2026, 9, 10, 13, 30, tzinfo=UTC)
    await front.service("meetings").create(pair_id, Stage.INTRO, starts, "кабинет 12", "Знакомство")


# --- the stories ------------------------------------------------------------------------------------------------
async def test_a_pupil_sees_plain_words_and_no_withdrawal_before_the_parents_consent(front: FrontEnd) -> None:
    child_id = await seed_pupil_awaiting_parent(front, 721)
    child = front.person(721, "Коля")

    menu = await child.open_menu()
    assert menu.text.startswith("Моё меню")
    assert "Ты в программе наставничества: у тебя будет наставник из педагогов станции" in menu.text
    assert "Ждём согласия твоего родителя" in menu.text
    assert "Роль" not in menu.text and "наставляемый-обучающийся" not in menu.text
    assert menu.buttons == ["Ссылка для родителя", "Помощь"]

    await parent_consents(front, child_id)
    menu = await child.open_menu()
    assert "Согласие есть. Осталось заполнить анкету" in menu.text
    assert menu.rows == (("Заполнить анкету",), ("Мой профиль и ответы",), ("Вопрос куратору",), ("Материалы",),
                         ("Отозвать согласие",), ("Помощь",))  # fmt: skip

    profile = await child.press("Мой профиль и ответы", menu)
    assert profile.text.startswith("Мой профиль")
    assert f"Согласие: дано родителем {TODAY} 12:00" in profile.text and f"В программе с {TODAY}" in profile.text
    assert "UTC" not in profile.text and "Роль" not in profile.text
    assert profile.buttons == ["← Назад"]
    back = await child.press("← Назад", profile)
    assert back.message_id == profile.message_id  # the menu comes back in place
    assert back.text == menu.text and back.rows == menu.rows

    helped = await child.press("Помощь", back)
    assert helped.message_id != back.message_id  # help is a message of its own; the menu stays above it
    assert "Что умеет бот" in helped.text and "/menu — твоё меню" in helped.text


async def test_a_mentee_with_a_pair_sees_the_mentor_and_the_next_meeting(front: FrontEnd) -> None:
    mentee_id = await seed_pupil_awaiting_parent(front, 741)
    await parent_consents(front, mentee_id, pupil_answers("Маша Иванова", []))
    await seed_pair_with_meeting(front, mentee_id, 941)

    menu = await front.person(741).open_menu()
    assert "Анкета заполнена, спасибо!" in menu.text
    assert "Мой наставник: Иван Сергеевич" in menu.text
    assert "Следующая встреча: 10.09.2026 16:30, кабинет 12" in menu.text
    assert menu.buttons == ["Встречи", "Мой профиль и ответы", "Изменить ответ", "Вопрос куратору", "Материалы",
                            "Отозвать согласие", "Помощь"]  # fmt: skip

    mentor = await front.person(941).open_menu()
    assert "Вы наставник" in mentor.text and "Мои наставляемые: Маша Иванова" in mentor.text
    assert "Следующая встреча: 10.09.2026 16:30, кабинет 12" in mentor.text
    assert mentor.buttons[:2] == ["Назначить встречу", "Встречи"]


async def test_a_parent_opens_their_menu(front: FrontEnd) -> None:
    child_id = await seed_pupil_awaiting_parent(front, 711)
    await parent_consents(front, child_id, pupil_answers("Коля Петров", []))
    parent = front.person(PARENT, "Анна")

    menu = await parent.open_menu()
    assert menu.text.startswith("Меню родителя") and "Коля Петров" in menu.text
    assert f"Согласие дано вами {TODAY} 12:00" in menu.text
    assert "Анкета заполнена. Куратор подбирает пару." in menu.text
    assert menu.buttons == ["Вопрос куратору", "Отозвать согласие", "Помощь"]

    await seed_pair_with_meeting(front, child_id, 911)
    menu = await parent.open_menu()
    assert "Наставник: Иван Сергеевич" in menu.text
    assert "Следующая встреча: 10.09.2026 16:30, кабинет 12" in menu.text
    helped = await parent.press("Помощь", menu)
    assert "/menu — меню родителя" in helped.text and helped.message_id != menu.message_id


async def test_the_curator_opens_the_menu_of_reports(front: FrontEnd) -> None:
    menu = await front.person(CURATOR_ID).open_menu()
    assert menu.text.startswith("Меню куратора") and "/participants" in menu.text
    assert menu.buttons == [tr("btn-report-summary"), tr("btn-report-charts"), tr("btn-report-export"),
                            tr("btn-base-mentees"), tr("btn-base-mentors")]  # fmt: skip


async def test_someone_not_in_the_programme_is_told_how_to_join(front: FrontEnd) -> None:
    stranger = await front.person(555).open_menu()
    assert "пока не участник программы" in stranger.text and stranger.buttons == []


def test_the_core_front_end_runs_with_no_messenger_loaded() -> None:
    """The proof that nothing of Telegram is needed: the core front end, the flows and storage load in a fresh
    interpreter without aiogram, aiohttp, the adapters or the scheduler."""
    code = (
        "import sys, tests.frontends.core;"
        " print(sorted({m.split('.')[0] for m in sys.modules} & {'aiogram', 'aiohttp', 'handlers', 'scheduler',"
        " 'apscheduler'}))"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


async def test_on_the_core_the_menu_opens_other_flows_and_a_stale_press_is_answered(
    core_front: CoreFrontEnd,
) -> None:
    """The menu's presses that open another flow's dialog get that flow's screen; stale presses a toast."""
    child_id = await seed_pupil_awaiting_parent(core_front, 721)
    await parent_consents(core_front, child_id)
    child = core_front.person(721)
    menu_screen = await child.open_menu()
    await child.press("Заполнить анкету", menu_screen)  # the questionnaire is the core's own now
    await child.expect("Вопрос 1 из", eventually=True)
    confirm = await child.press("Отозвать согласие", menu_screen)
    assert confirm.text.startswith("Отозвать согласие?")

    repos, stranger = core_front.repos(), Person(Messenger.TELEGRAM, 555)
    assert await menu.press(child.person, "m:no_such_action", repos) == [Toast(tr("stale-button"))]
    assert await menu.press(child.person, "zz:profile", repos) == [Toast(tr("stale-button"))]
    assert await menu.press(stranger, "m:profile", repos) == [Toast(tr("not-a-participant"), alert=True)]
    parent = Person(Messenger.TELEGRAM, PARENT)
    withdrawal = await routes.handle(PressIn(parent, "m:p_forget"), core_front.ctx(parent))
    assert withdrawal is not None and isinstance(withdrawal[0], Show)
    assert withdrawal[0].screen.text.startswith("Вы давали согласие за ребёнка. Отозвать его?")
    assert await menu.open_menu(Person(Messenger.MAX, 721), repos) != await menu.open_menu(child.person, repos)
    # What the core does not take yet comes back as None: the adapter's own handlers take it.
    ctx = core_front.ctx(child.person)
    await ctx.dialog.clear()  # out of the questionnaire: its dialog would take the text as an answer
    assert await routes.handle(PressIn(child.person, "zz:nothing"), ctx) is None
    assert await routes.handle(CommandIn(child.person, "no_such_command"), ctx) is None
    # A text outside any dialog is the fallback's (bot.flows.common).
    assert await routes.handle(TextIn(child.person, "привет"), ctx) == [Show(Screen(tr("unknown-input")), edit=False)]
    assert await routes.handle(CommandIn(stranger, "menu"), core_front.ctx(stranger)) == [
        Show(Screen(tr("not-a-participant")), edit=False)
    ]


async def test_a_forged_payload_of_any_flow_is_a_stale_button(core_front: CoreFrontEnd) -> None:
    """A payload whose prefix a flow takes but whose fields do not parse gets the one answer, whatever the flow
    (the route table answers it), and changes nothing."""
    child_id = await seed_pupil_awaiting_parent(core_front, 722)
    await parent_consents(core_front, child_id)
    child = Person(Messenger.TELEGRAM, 722)
    from bot.flows.notices import PrefCb
    from bot.flows.payloads import ForgetPayload, PairPayload

    curator = Person(Messenger.TELEGRAM, CURATOR_ID)
    forged = [(child, f"{ForgetPayload.prefix}:maybe:x"), (child, f"{PrefCb.prefix}:start:x"),
              (curator, f"{PairPayload.prefix}:card:x")]  # fmt: skip
    for who, payload in forged:
        assert await routes.handle(PressIn(who, payload), core_front.ctx(who)) == [Toast(tr("stale-button"))]
    assert await core_front.db.fetchval("SELECT COUNT(*) FROM participants WHERE id=?", (child_id,)) == 1
    assert await core_front.db.fetchval("SELECT COUNT(*) FROM outbox") == 0
