"""The curator's match draft (4.4) as the curator reads it: who has no pair, why each pair (every point of the
score, the preference first, decimal commas), what «Пересчитать» and a stale «Утвердить» changed, and a
dissolved pair that is not proposed again unless the curator pins it."""

from __future__ import annotations

from bot.i18n import tr
from bot.programme import Form, Role
from bot.sandbox.telegram import FakeTelegram, FakeUser, SentMessage
from tests.conftest import CURATOR_ID, RunningBot
from tests.flows import mentor_answers, pupil_answers, seed_participant

TP = Form.TEACHER_PUPIL


async def seed(running: RunningBot) -> dict[str, int]:
    """Маша asks for robotics and chose Иван Петрович №1; Иван takes two, Анна Сергеевна (profession) one."""
    mentor = Role.MENTOR
    ids = {
        "masha": await seed_participant(running, 801, Role.MENTEE_PUPIL, TP, pupil_answers("Маша", ["proj_robotics"])),
        "ivan": await seed_participant(running, 901, mentor, TP, mentor_answers("Иван Петрович", ["proj_robotics"], 2)),
        "anna": await seed_participant(running, 902, mentor, TP, mentor_answers("Анна Сергеевна", ["profession"], 1)),
    }
    matching = running.service("matching")
    current = await matching.open_round(TP, None, False)
    await matching.save_choices(current.id, ids["masha"], [ids["ivan"]], submit=True)
    return ids


async def open_draft(curator: FakeUser) -> SentMessage:
    await curator.send("/match")
    await curator.click(TP.label, await curator.expect("Для какой формы"))
    return await curator.expect("Черновик подбора")


def section(text: str, title: str) -> str:
    """The lines of one section of the draft («Без пары», «Есть свободные места»), '' when it is absent."""
    if title not in text:
        return ""
    return text.split(title, 1)[1].split("\n\n", 1)[0]


async def test_every_reason_adds_up_to_the_score_and_a_mentor_with_a_pair_is_not_without_one(
    tg: FakeTelegram, running: RunningBot
) -> None:
    await seed(running)
    curator = tg.user(CURATOR_ID)
    draft = await open_draft(curator)
    # 2,5 (her first choice) + 3 (the request) + 1,5 (the club) + 1 (the age) + 0,5 (one common day) = 8,5:
    # every term is shown, the preference first although the request is worth more; no gender is guessed.
    masha = next(line for line in draft.text.splitlines() if line.startswith("• Маша"))
    assert masha == (
        "• Маша — 8,5 б.: выбор наставляемого: №1 (+2,5); совпадает запрос: Проект, конкурс: робототехника (+3); "
        "один кружок: Робототехника (+1,5); возраст подходит наставнику (10–12 лет) (+1); "
        "общие свободные дни: Среда (+0,5)"
    )
    assert "сумма баллов: 8,5" in draft.text
    # Иван has Маша and room for one more: not «без пары»; Анна has nobody yet: she is.
    assert section(draft.text, "Без пары") == "\n• Анна Сергеевна: остались свободные места: 1"
    assert section(draft.text, "Есть свободные места") == "\n• Иван Петрович: свободно мест — 1"


async def test_rerun_says_nothing_changed_or_what_did(tg: FakeTelegram, running: RunningBot) -> None:
    await seed(running)
    curator = tg.user(CURATOR_ID)
    draft = await open_draft(curator)
    query = await curator.click("Пересчитать", draft)
    await tg.wait_for(lambda: any(a["callback_query_id"] == query for a in curator.callback_answers()))
    answer = next(a for a in curator.callback_answers() if a["callback_query_id"] == query)
    assert answer.get("text") == "Пересчитано: ничего не изменилось — те же пары и баллы."
    # Петя joins meanwhile: the next «Пересчитать» says so, then shows the draft with him.
    await seed_participant(running, 802, Role.MENTEE_PUPIL, TP, pupil_answers("Петя", ["proj_robotics"]))
    await curator.click("Пересчитать", draft)
    changed = await curator.expect("Пересчитано. Что изменилось")
    assert changed.text.endswith("\n• Петя: новая пара — Иван Петрович")
    fresh = await curator.expect("Наставляемых подобрано: 2 из 2")
    assert fresh.message_id == draft.message_id and "Иван Петрович — группа (2)" in fresh.text


async def test_a_stale_confirm_says_what_changed_and_confirms_nothing(tg: FakeTelegram, running: RunningBot) -> None:
    ids = await seed(running)
    curator = tg.user(CURATOR_ID)
    stale = await open_draft(curator)
    # While the curator looks, Петя joins, and Маша with Иван is excluded (from another curator's screen).
    await seed_participant(running, 802, Role.MENTEE_PUPIL, TP, pupil_answers("Петя", ["profession"]))
    await running.service("matching").set_constraint(TP, ids["masha"], ids["ivan"], "exclude")
    await curator.click("Утвердить", stale)
    refused = await curator.expect("данные изменились")
    assert "ничего не утверждено" in refused.text
    lines = refused.text.split("Что изменилось:", 1)[1].split("\n\n", 1)[0].splitlines()
    assert lines == ["", "• Маша: теперь Анна Сергеевна (было: Иван Петрович)", "• Петя: новая пара — Иван Петрович"]
    fresh = await curator.expect("Черновик подбора")
    assert fresh.message_id == stale.message_id and "• Петя" in fresh.text
    assert await running.db.fetchval("SELECT COUNT(*) FROM pairs") == 0


async def dissolve(curator: FakeUser, mentor: str) -> None:
    await curator.send("/pairs")
    await curator.click(f"№1 {mentor}", await curator.expect("Пары и группы (1)"))
    await curator.click("Расформировать", await curator.expect(f"Наставник: {mentor}"))
    await curator.expect("Почему расформировываем")
    await curator.send("Не совпало расписание")
    await curator.expect("расформирована")


async def test_a_dissolved_pair_is_not_proposed_again_unless_the_curator_pins_it(
    tg: FakeTelegram, running: RunningBot
) -> None:
    ids = await seed(running)
    for telegram_id in (801, 901, 902):
        tg.user(telegram_id)
    curator = tg.user(CURATOR_ID)
    await curator.click("Утвердить", await open_draft(curator))
    await curator.expect("Утверждено")
    await curator.expect(tr("pairs-xlsx-caption"), timeout=10)
    await curator.expect(tr("order-docx-caption"), timeout=10)
    # Confirmed, Иван leads Маша and has room for one more: not «без пары» in the next draft either.
    after = await open_draft(curator)
    assert section(after.text, "Без пары") == "\n• Анна Сергеевна: нет наставляемых этой формы"
    assert section(after.text, "Есть свободные места") == "\n• Иван Петрович: свободно мест — 1"
    await dissolve(curator, "Иван Петрович")

    # Маша chose Иван №1 and still would: yet the draft gives her Анна and says why not Иван.
    draft = await open_draft(curator)
    assert "1. Анна Сергеевна\n• Маша" in draft.text
    assert section(draft.text, "Не предлагаются снова").endswith("\n• Маша — Иван Петрович")
    assert "Иван Петрович\n• Маша" not in draft.text
    # The curator decides otherwise: «Переместить» Маша to Иван pins the pair, and the draft keeps it.
    await curator.click("Переместить", draft)
    await curator.click("Маша", await curator.expect("Кого переместить"))
    await curator.click("Иван Петрович", await curator.expect("К какому наставнику"))
    pinned = await curator.expect("закреплено 1")
    assert "Иван Петрович\n• Маша — 8,5 б. 📌" in pinned.text
    assert "Не предлагаются снова" not in pinned.text
    await curator.click("Утвердить", pinned)
    await curator.expect("Утверждено")
    active = await running.db.fetchall(
        "SELECT x.mentor_id, m.mentee_id FROM pairs x JOIN pair_members m ON m.pair_id=x.id"
        " WHERE x.dissolved_at IS NULL"
    )
    assert [(r["mentor_id"], r["mentee_id"]) for r in active] == [(ids["ivan"], ids["masha"])]
