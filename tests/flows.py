"""Steps that several dialog tests share: invites, joining, answering the intake questionnaire."""

from __future__ import annotations

import re

from bot.programme import Form, Role
from tests.conftest import CURATOR_ID, RunningBot
from tests.fakes.telegram import FakeUser

LINK_RE = re.compile(r"https://t\.me/(\w+)\?start=([A-Za-z0-9_-]+)")


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
    await user.expect("Добро пожаловать")
    if asks_age:
        await user.expect("исполнилось 18")
        await user.click("Да, мне 18 или больше")
    await user.expect("Согласие на обработку персональных данных")
    await user.click("Согласен")
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
    await user.expect("проверьте ответы")
