"""Steps that several dialog tests share: invites, joining, answering the intake questionnaire."""

from __future__ import annotations

import re

from bot.programme import Form, Role
from bot.sandbox.telegram import FakeUser, SentMessage
from tests.conftest import CURATOR_ID, RunningBot

LINK_RE = re.compile(r"https://(?:t\.me|max\.ru)/(\w+)\?start=([A-Za-z0-9_-]+)")


def code_in(text: str | None) -> str:
    match = LINK_RE.search(text or "")
    assert match, f"no deep link in {text!r}"
    return match.group(2)


async def make_invite(running: RunningBot, role: Role, form: Form, **kwargs: int | None) -> str:
    repo = running.service("invites")
    invite = await repo.create(role, form, CURATOR_ID, days=kwargs.get("days"), max_uses=kwargs.get("max_uses"))
    return invite.code


async def join_adult(user: FakeUser, code: str, *, asks_age: bool = True) -> None:
    """Open the invite, say 18+, accept the consent: ends at the questionnaire's first question."""
    await user.send(f"/start {code}")
    await user.expect("в программе наставничества")
    if asks_age:
        await user.expect("Сначала один вопрос")
        await user.click("18 или больше")
    await user.expect("Прежде чем я что-то о вас запомню")
    await user.expect("Согласие на обработку персональных данных")
    await user.click("Даю согласие")
    thanks = await user.expect("согласие записано")
    assert "Анкета " in (thanks.text or "")  # the thanks and the questionnaire's intro are one message
    await user.expect("Вопрос 1 из")


async def answer_pupil_survey(user: FakeUser) -> None:
    """From question 1 of the pupil's questionnaire to its summary."""
    await user.send("Маша Иванова")
    await user.expect("Вопрос 2 из 9")
    await user.send("12")
    await user.expect("Вопрос 3 из 9")
    await user.click("Робототехника")
    await user.expect("Вопрос 4 из 9")
    await user.click("Первый год")
    await user.expect("Вопрос 5 из 9")
    await user.click("Роботы")
    await user.click("Программирование")
    await user.click("Готово")
    await user.expect("Вопрос 6 из 9")
    await user.click("Проект, конкурс: робототехника")
    await user.click("Выбор профессии")
    await user.click("Готово")
    await user.expect("Вопрос 7 из 9")
    await user.click("Один на один")
    await user.expect("Вопрос 8 из 9")
    await user.click("Среда")
    await user.click("Суббота")
    await user.click("Готово")
    await user.expect("Вопрос 9 из 9")
    await user.click("Пропустить")
    await user.expect("Всё верно?")  # «проверьте ответы» to an adult, «проверь ответы» to a child


async def seed_participant(
    running: RunningBot, telegram_id: int, role: Role, form: Form, answers: dict[str, object], *, adult: bool = True
) -> int:
    """A consented participant with the intake done, written straight through the repositories.

    `adult=False`: a minor, whose parent gave the consent (the bot speaks to them as to a pupil, «ты»)."""
    from bot.consent import ConsentKind, render
    from bot.programme import INTAKE_BY_ROLE

    invite = await running.service("invites").create(role, form, CURATOR_ID, days=None, max_uses=None)
    repo = running.service("participants")
    person = await repo.join(telegram_id, invite)
    await repo.set_adult(person.id, adult, None)
    kind = ConsentKind.SELF if adult else ConsentKind.PARENT
    await repo.record_consent(person.id, render("СЮТ", kind), kind=kind, given_by=telegram_id)
    for question_id, value in answers.items():
        await repo.save_answer(person.id, INTAKE_BY_ROLE[role], question_id, value)
    await repo.mark_survey_done(person.id)
    return person.id


def pupil_answers(name: str, requests: list[str], club: str = "robotics") -> dict[str, object]:
    return {
        "name": name,
        "age": 12,
        "club": club,
        "interests": ["robots"],
        "request": requests,
        "format": "individual",
        "free_days": ["wed", "sat"],
    }


def mentor_answers(name: str, competencies: list[str], capacity: int, club: str = "robotics") -> dict[str, object]:
    return {
        "name": name,
        "position": "teacher",
        "competencies": competencies,
        "club": club,
        "mentee_age": "10_12",
        "capacity": capacity,
        "free_days": ["wed"],
    }


async def answer_anything(user: FakeUser, number: str = "8", limit: int = 40) -> SentMessage:
    """Answer whatever questionnaire is on screen until its summary: numbers for scales, the first option for
    choices (multi: the first, then «Готово»), «Пропустить» or a sentence for text; returns the summary."""
    asked = False
    for _ in range(limit):
        screen = await user.next_reply()
        text = screen.text or ""
        if "Всё верно?" in text:  # the summary
            return screen
        if "Вопрос" not in text:
            # Only the questionnaire's title and intro come before its first question; nothing comes between
            # (edits of a screen already there aside).
            assert screen.edited or not asked, f"unexpected message amid the questionnaire: {screen.describe()}"
            continue
        asked = True
        labels = screen.button_texts()
        if number in labels:
            await user.click(number, screen)
        elif "Готово" in labels:
            await user.click(labels[0], screen)
            await user.next_reply()
            await user.click("Готово")
        elif labels and labels[0] not in ("← Назад", "Пропустить"):
            await user.click(labels[0], screen)
        elif "Пропустить" in labels:
            await user.click("Пропустить", screen)
        else:
            await user.send("Было полезно и интересно")
    raise AssertionError("the questionnaire did not reach its summary")


async def queued(running: RunningBot, chat_id: int, containing: str = "") -> list[str]:
    """Texts of the outbox rows to a chat (pending, sent or failed) that contain ``containing``, oldest first.

    Negative checks ("no reminder yet") look here as well as at the chat: a notice queued a moment ago may not
    have arrived yet, but its row is there as soon as the tick that queued it returns."""
    rows = await running.db.fetchall("SELECT text FROM outbox WHERE chat_id=? ORDER BY id", (chat_id,))
    return [row["text"] for row in rows if containing in row["text"]]
