"""The curator's surveys: the form picker offers only forms with people, a calendar launch says who was asked
and asks later pairs within its window, and /surveys lists the open surveys, who has not answered, and closes
one."""

from __future__ import annotations

from bot.programme import Form, Role
from tests.conftest import CURATOR_ID, RunningBot
from tests.fakes.telegram import FakeTelegram
from tests.flows import mentor_answers, pupil_answers, seed_participant

TP = Form.TEACHER_PUPIL
PP = Form.PUPIL_PUPIL


async def test_the_campaign_form_picker_lists_only_forms_that_have_people(
    tg: FakeTelegram, running: RunningBot
) -> None:
    await seed_participant(running, 801, Role.MENTEE_PUPIL, TP, pupil_answers("Маша", []))
    await seed_participant(running, 901, Role.MENTOR, TP, mentor_answers("Анна", [], 2))
    await seed_participant(running, 802, Role.MENTEE_PUPIL, PP, pupil_answers("Петя", []))
    # Someone who only opened an invite (no consent) does not make a form worth asking.
    invite = await running.service("invites").create(
        Role.MENTOR, Form.STUDENT_PUPIL, CURATOR_ID, days=None, max_uses=None
    )
    await running.service("participants").join(803, invite)
    curator = tg.user(CURATOR_ID)
    await curator.send("/campaign")
    await curator.click("Оценка качества программы", await curator.expect("Какой опрос"))
    await curator.click("Форме наставничества…", await curator.expect("Кому?"))
    picker = await curator.expect("Кому?")
    assert picker.button_texts() == [
        "ученик – ученик: все",
        "ученик – ученик: наставляемые",
        "педагог – обучающийся: все",
        "педагог – обучающийся: наставляемые",
        "педагог – обучающийся: наставники",
    ]
