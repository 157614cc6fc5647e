"""The demo programme: a curator, six mentors and eighteen mentees who joined through the real flows.

Nothing here writes to the database: every person is a persona of the world who does what people do in their
chats. The curator makes the invite links with the /invite wizard, each person opens their link, says how old
they are, consents (a pupil under 14 through a parent, who opens the link the child got; a pupil of 14–17 with
their own consent and then the parent's) and answers the whole intake questionnaire by pressing its buttons and
typing. The «monitoring» stage goes on: the curator runs matching and confirms the pairs, some pairs plan meetings
and check in after them, and the clock stops on 30 November, evening.

Each step waits for what the person would see next (a question, a document, a link), never a fixed time.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from bot.flows.curator.invites import InvitePayload
from bot.flows.events import Messenger
from bot.flows.joining import AgePayload, ConsentPayload, MinorConsentPayload, ParentPayload
from bot.flows.notices import CheckinCb
from bot.flows.payloads import MatchPayload, MeetingReplyPayload, MeetingSetupPayload, MenuPayload
from bot.flows.survey import SurveyPayload
from bot.monitoring import programme_year_of
from bot.programme import INTAKE_BY_ROLE, Form, Role
from bot.questionnaires import Question, Questionnaire, QuestionType
from bot.sandbox.world import PersonaKind, Sandbox

STAGES = ("matching", "monitoring")
REFUSED = "Демо можно загрузить только в новую песочницу"
#: How long one step may take before the demo gives up (a step is one answer of the bot).
STEP_TIMEOUT = 20.0
LINK_RE = re.compile(r"https://(?:t\.me|max\.ru)/\w+\?start=([A-Za-z0-9_-]+)")

Progress = Callable[[str], None]


class DemoError(RuntimeError):
    """The bot did not answer as a person expects: the demo stops there, saying where."""


# --- the people ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Member:
    """One person of the demo: their persona, the invite they open, their age group and their answers.

    `age`: «adult», «teen» (14–17: their own consent, then the parent's) or «child» (under 14: the parent's);
    None where the bot does not ask (a young teacher). `parent`: the parent's persona name, for a minor."""

    name: str
    kind: PersonaKind
    role: Role
    form: Form
    answers: dict[str, Any]
    age: str | None = "adult"
    parent: str | None = None
    parent_full: str | None = None
    relation: str = "mother"
    on_max: bool = False
    parent_on_max: bool = False


def _pupil(
    name: str,
    surname: str,
    age: int,
    club: str,
    interests: Sequence[str],
    request: Sequence[str],
    days: Sequence[str],
    parent: tuple[str, str, str],
    *,
    form: Form = Form.TEACHER_PUPIL,
    years: str = "first",
    fmt: str = "individual",
    expectations: str | None = None,
    on_max: bool = False,
    parent_on_max: bool = False,
) -> Member:
    """A pupil; `parent`: (first name, patronymic, relation). The parent shares the child's surname (its
    feminine or masculine form as the parent is a mother or a father)."""
    first, patronymic, relation = parent
    family = _surname_for(surname, relation)
    answers = {
        "name": f"{name} {surname}",
        "age": age,
        "club": club,
        "club_years": years,
        "interests": list(interests),
        "request": list(request),
        "format": fmt,
        "free_days": list(days),
        "expectations": expectations,
    }
    return Member(
        f"{name} {surname}", PersonaKind.PUPIL, Role.MENTEE_PUPIL, form, answers,
        age="child" if age < 14 else "teen", parent=f"{first} {family}",
        parent_full=f"{family} {first} {patronymic}", relation=relation, on_max=on_max, parent_on_max=parent_on_max,
    )  # fmt: skip


def _surname_for(surname: str, relation: str) -> str:
    """The parent's surname from the child's: Иванов/Иванова → Иванова for a mother, Иванов for a father."""
    feminine = relation == "mother"
    for male, female in (("ов", "ова"), ("ев", "ева"), ("ин", "ина"), ("ий", "ая"), ("ёв", "ёва")):
        if surname.endswith(female):
            return surname if feminine else surname[: -len(female)] + male
        if surname.endswith(male):
            return surname[: -len(male)] + female if feminine else surname
    return surname


def _mentor(
    name: str,
    full: str,
    position: str,
    experience: int,
    club: str,
    competencies: Sequence[str],
    mentee_age: str,
    capacity: int,
    days: Sequence[str],
    *,
    form: Form,
    kind: PersonaKind = PersonaKind.MENTOR,
    age: str = "adult",
    parent: tuple[str, str, str] | None = None,
    achievements: str | None = None,
    interests: Sequence[str] = (),
    fmt: str = "any",
    hours: str = "h1_2",
    motivation: str | None = None,
    on_max: bool = False,
) -> Member:
    answers = {
        "name": full,
        "position": position,
        "experience": experience,
        "club": club,
        "competencies": list(competencies),
        "achievements": achievements,
        "interests": list(interests) or None,
        "mentee_age": mentee_age,
        "capacity": capacity,
        "format": fmt,
        "time": hours,
        "free_days": list(days),
        "motivation": motivation,
    }
    parent_name = parent_full = None
    relation = "mother"
    if parent is not None:
        first, patronymic, relation = parent
        family = _surname_for(name.split()[-1], relation)
        parent_name, parent_full = f"{first} {family}", f"{family} {first} {patronymic}"
    return Member(
        name, kind, Role.MENTOR, form, answers, age=age, parent=parent_name, parent_full=parent_full,
        relation=relation, on_max=on_max,
    )  # fmt: skip


def _teacher(
    name: str,
    full: str,
    experience: int,
    club: str,
    difficulties: Sequence[str],
    help_wanted: str,
    days: Sequence[str],
    *,
    fmt: str = "individual",
    expectations: str | None = None,
    on_max: bool = False,
) -> Member:
    answers = {
        "name": full,
        "experience": experience,
        "club": club,
        "difficulties": list(difficulties),
        "help_wanted": help_wanted,
        "free_days": list(days),
        "format": fmt,
        "expectations": expectations,
    }
    return Member(
        name, PersonaKind.TEACHER, Role.MENTEE_TEACHER, Form.TEACHER_TEACHER, answers, age=None, on_max=on_max
    )


# fmt: off
MENTORS: tuple[Member, ...] = (
    _mentor(
        "Елена Соколова", "Соколова Елена Викторовна", "teacher", 14, "robotics",
        ["proj_robotics", "study_difficulty", "confidence", "public_speaking", "adaptation"], "10_12", 5,
        ["mon", "wed", "sat"], form=Form.TEACHER_PUPIL,
        achievements="Мои ученики — призёры регионального этапа WRO три года подряд.",
        interests=["robots", "science"], fmt="any", hours="h3_4",
        motivation="Нравится видеть, как ребёнок из «не получается» приходит к своему роботу на соревнованиях.",
    ),
    _mentor(
        "Андрей Морозов", "Морозов Андрей Николаевич", "teacher", 9, "programming",
        ["proj_coding", "proj_3d", "profession", "time_mgmt", "communication"], "13_15", 5,
        ["tue", "thu", "sat"], form=Form.TEACHER_PUPIL,
        achievements="Веду кружок Python, двое выпускников поступили в ИТМО.",
        interests=["programming", "games"], fmt="individual", hours="h1_2",
    ),
    _mentor(
        "Тимофей Лебедев", "Лебедев Тимофей Андреевич", "senior_pupil", 3, "aviamodeling",
        ["proj_avia", "adaptation", "communication", "confidence"], "10_12", 2,
        ["wed", "fri"], form=Form.PUPIL_PUPIL, age="teen", parent=("Наталья", "Игоревна", "mother"),
        achievements="Победитель областных соревнований по авиамоделям F1.", interests=["aircraft", "space"],
        fmt="group", hours="lt1", motivation="Сам пришёл в кружок в 11 лет и помню, как было непросто.",
    ),
    _mentor(
        "Дмитрий Волков", "Волков Дмитрий Сергеевич", "partner", 11, "radio",
        ["proj_radio", "proj_coding", "profession", "public_speaking"], "13_15", 3,
        ["thu", "sat"], form=Form.EMPLOYER_PUPIL, achievements="Инженер-разработчик встраиваемых систем, АО «Элекон».",
        interests=["electronics", "programming"], fmt="individual", hours="h1_2", on_max=True,
        motivation="Хочу показать ребятам, как выглядит работа инженера на настоящем предприятии.",
    ),
    _mentor(
        "Ирина Кузнецова", "Кузнецова Ирина Павловна", "methodist", 22, "tech_modeling",
        ["methods", "program_design", "paperwork", "parents", "discipline"], "adult", 3,
        ["mon", "wed", "fri"], form=Form.TEACHER_TEACHER,
        achievements="Методист высшей категории, автор трёх дополнительных общеразвивающих программ.",
        fmt="individual", hours="h3_4",
    ),
    _mentor(
        "Сергей Павлов", "Павлов Сергей Михайлович", "teacher", 18, "robotics",
        ["pupil_motivation", "contest_coaching", "ict", "team_entry", "burnout"], "adult", 2,
        ["tue", "thu"], form=Form.TEACHER_TEACHER,
        achievements="Тренер сборной области по робототехнике, «Педагог года — 2023».",
        interests=["robots", "sport"], fmt="any", hours="h1_2",
    ),
)

PUPILS: tuple[Member, ...] = (
    _pupil("Маша", "Иванова", 11, "robotics", ["robots", "design"], ["proj_robotics", "confidence"],
           ["mon", "wed"], ("Ольга", "Сергеевна", "mother"), expectations="Хочу собрать робота на соревнования."),
    _pupil("Артём", "Смирнов", 12, "robotics", ["robots", "programming"], ["proj_robotics", "study_difficulty"],
           ["wed", "sat"], ("Игорь", "Владимирович", "father"), years="second"),
    _pupil("Соня", "Кириллова", 10, "robotics", ["robots", "music"], ["adaptation", "confidence"],
           ["mon", "sat"], ("Анна", "Дмитриевна", "mother"), fmt="any", on_max=True, parent_on_max=True),
    _pupil("Никита", "Попов", 13, "robotics", ["robots", "space"], ["public_speaking", "proj_robotics"],
           ["wed"], ("Светлана", "Юрьевна", "mother"), years="three_plus",
           expectations="Научиться защищать проект перед жюри."),
    _pupil("Варя", "Новикова", 12, "modeling_3d", ["modeling_3d", "design"], ["proj_3d", "study_difficulty"],
           ["mon", "wed", "sat"], ("Елена", "Викторовна", "mother")),
    _pupil("Егор", "Фёдоров", 15, "programming", ["programming", "games"], ["proj_coding", "profession"],
           ["tue", "thu"], ("Михаил", "Петрович", "father"), years="second",
           expectations="Хочу написать свою игру и понять, кем работать."),
    _pupil("Алиса", "Орлова", 14, "programming", ["programming", "science"], ["proj_coding", "time_mgmt"],
           ["thu", "sat"], ("Татьяна", "Александровна", "mother")),
    _pupil("Кирилл", "Васильев", 13, "modeling_3d", ["modeling_3d", "games"], ["proj_3d", "communication"],
           ["tue", "sat"], ("Олег", "Николаевич", "father"), fmt="any"),
    _pupil("Полина", "Захарова", 16, "programming", ["programming", "design"], ["profession", "time_mgmt"],
           ["tue", "thu"], ("Марина", "Олеговна", "mother"), years="three_plus"),
    _pupil("Даня", "Белов", 11, "robotics", ["robots", "cars_ships"], ["study_difficulty", "adaptation"],
           ["mon", "wed"], ("Юлия", "Андреевна", "mother")),
    _pupil("Миша", "Григорьев", 10, "aviamodeling", ["aircraft", "space"], ["proj_avia", "adaptation"],
           ["wed", "fri"], ("Ксения", "Павловна", "mother"), form=Form.PUPIL_PUPIL, fmt="group"),
    _pupil("Лиза", "Медведева", 11, "aviamodeling", ["aircraft", "sport"], ["proj_avia", "confidence"],
           ["fri"], ("Алексей", "Иванович", "father"), form=Form.PUPIL_PUPIL, fmt="group"),
    _pupil("Ваня", "Тихонов", 14, "radio", ["electronics", "science"], ["proj_radio", "profession"],
           ["thu", "sat"], ("Ирина", "Львовна", "mother"), form=Form.EMPLOYER_PUPIL, years="second",
           expectations="Хочу увидеть, как делают настоящую электронику."),
    _pupil("Катя", "Степанова", 15, "radio", ["electronics", "programming"], ["proj_coding", "public_speaking"],
           ["sat"], ("Людмила", "Петровна", "mother"), form=Form.EMPLOYER_PUPIL),
)

TEACHERS: tuple[Member, ...] = (
    _teacher("Анастасия Белова", "Белова Анастасия Игоревна", 0, "tech_modeling", ["methods", "discipline"],
             "Как выстроить занятие с младшими, чтобы не теряли интерес.", ["mon", "wed"],
             expectations="Уверенно вести занятия и написать свою программу."),
    _teacher("Роман Ковалёв", "Ковалёв Роман Олегович", 1, "robotics", ["contest_coaching", "pupil_motivation"],
             "Подготовка команды к первым соревнованиям.", ["tue", "thu"], fmt="any", on_max=True),
    _teacher("Дарья Ильина", "Ильина Дарья Сергеевна", 2, "modeling_3d", ["paperwork", "parents", "program_design"],
             "Разобраться с отчётностью и разговором с родителями.", ["wed", "fri"]),
    _teacher("Максим Егоров", "Егоров Максим Витальевич", 0, "programming", ["ict", "team_entry"],
             "Хочу понять, как устроена работа в коллективе СЮТ.", ["tue", "thu"],
             expectations="Освоиться и провести открытое занятие."),
)

# fmt: on

ROSTER: tuple[Member, ...] = MENTORS + PUPILS + TEACHERS


@dataclass
class DemoSummary:
    """What the demo made: personas by kind, participants by role, the pairs and the meetings, the wall time."""

    stage: str
    personas: dict[str, int] = field(default_factory=dict)
    participants: int = 0
    pairs: int = 0
    meetings_planned: int = 0
    meetings_held: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "personas": dict(self.personas),
            "participants": self.participants,
            "pairs": self.pairs,
            "meetings_planned": self.meetings_planned,
            "meetings_held": self.meetings_held,
            "seconds": dict(self.seconds),
        }


# --- a chat as the person sees it -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Shown:
    """A bot message as it is now: its id on its messenger, its text, its buttons (label, data)."""

    id: int | str
    text: str
    buttons: tuple[tuple[str, str], ...]

    def data_of(self, wanted: str) -> str | None:
        return next((data for _, data in self.buttons if data == wanted), None)


class Chat:
    """One persona's chat: what the bot shows there, and typing or pressing as the person would."""

    def __init__(self, world: Sandbox, key: str) -> None:
        self.world = world
        self.key = key
        self.persona = world.persona(key)

    def shown(self) -> list[Shown]:
        if self.persona.messenger is Messenger.TELEGRAM:
            messages = self.world.tg.messages(self.persona.account_id)
            return [
                Shown(m.message_id, m.text or "", tuple((b.text, b.callback_data or "") for r in m.buttons for b in r))
                for m in messages
                if not m.deleted
            ]
        assert self.world.max is not None
        chat_id = self.world.max_user(self.key).chat_id
        return [
            Shown(m.mid, m.text or "", tuple((b.text, b.payload or "") for r in m.buttons for b in r))
            for m in self.world.max.messages(chat_id)
            if not m.deleted
        ]

    def count(self) -> int:
        return len(self.shown())

    async def wait(self, what: str, test: Callable[[Shown], bool], *, after: int = 0) -> Shown:
        """The newest message (of those from index `after` on) that passes `test`, once there is one."""
        found: list[Shown] = []

        def ready() -> bool:
            for message in reversed(self.shown()[after:]):
                if test(message):
                    found.append(message)
                    return True
            return False

        fake: Any = self.world.tg if self.persona.messenger is Messenger.TELEGRAM else self.world.max
        try:
            await fake.wait_for(ready, STEP_TIMEOUT)
        except AssertionError:
            last = self.shown()[-3:]
            seen = " | ".join(m.text[:120] for m in last) or "(nothing)"
            raise DemoError(f"{self.persona.name}: no {what!r} in the chat; last: {seen}") from None
        return found[0]

    async def wait_text(self, fragment: str, *, after: int = 0, data_prefix: str | None = None) -> Shown:
        def test(message: Shown) -> bool:
            if fragment not in message.text:
                return False
            return data_prefix is None or any(data.startswith(data_prefix) for _, data in message.buttons)

        return await self.wait(fragment, test, after=after)

    async def wait_in(self, message: Shown, fragment: str) -> Shown:
        """`message` once it shows `fragment` (a pressed screen edited in place)."""
        return await self.wait(fragment, lambda m: m.id == message.id and fragment in m.text)

    async def wait_button(
        self,
        data: str,
        *,
        after: int = 0,
        having: Callable[[str], bool] | None = None,
    ) -> tuple[Shown, str]:
        """The newest message with a button carrying `data` (or one whose data passes `having`), and that data."""
        match = having or (lambda d: d == data)

        def test(message: Shown) -> bool:
            return any(match(d) for _, d in message.buttons)

        message = await self.wait(data, test, after=after)
        return message, next(d for _, d in message.buttons if match(d))

    async def press(self, message: Shown, data: str) -> None:
        """Press the button carrying `data` on `message` (it must be there, as on a phone)."""
        if message.data_of(data) is None:
            labels = [label for label, _ in message.buttons]
            raise DemoError(f"{self.persona.name}: no button {data!r} on {message.text[:80]!r}; there: {labels}")
        answer = await self.world.press(self.key, message.id, data, timeout=STEP_TIMEOUT)
        if answer.get("timeout"):
            raise DemoError(f"{self.persona.name}: the press {data!r} was not answered")

    async def send(self, text: str) -> None:
        await self.world.send_text(self.key, text)

    async def open(self, code: str) -> None:
        await self.world.open_link(self.key, code)


def _code_in(text: str) -> str:
    match = LINK_RE.search(text)
    if match is None:
        raise DemoError(f"no link in {text[:120]!r}")
    return match.group(1)


# --- the curator's invites ------------------------------------------------------------------------------------
async def make_invite(curator: Chat, role: Role, form: Form) -> str:
    """The /invite wizard: role, form, no expiry, no limit; returns the code of the link it shows."""
    mark = curator.count()
    await curator.send("/invite")
    screen = await curator.wait_text("Кого приглашаем?", after=mark)
    await curator.press(screen, InvitePayload(step="form", role=role.value).pack())
    screen = await curator.wait_text("Форма наставничества?", after=mark)
    await curator.press(screen, InvitePayload(step="expiry", role=role.value, form=form.value).pack())
    screen = await curator.wait_text("Сколько действует ссылка?", after=mark)
    await curator.press(screen, InvitePayload(step="limit", role=role.value, form=form.value, days=0).pack())
    screen = await curator.wait_text("Сколько человек может присоединиться", after=mark)
    create = InvitePayload(step="create", role=role.value, form=form.value, days=0, limit=0).pack()
    await curator.press(screen, create)
    created = await curator.wait_text("Ссылка-приглашение готова", after=mark)
    return _code_in(created.text)


# --- joining and the questionnaire ----------------------------------------------------------------------------
def questionnaire(world: Sandbox, role: Role) -> Questionnaire:
    """The intake questionnaire the bot asks `role` (the app's own, as it loaded them)."""
    loaded: dict[str, Questionnaire] = world.app.services["questionnaires"]
    return loaded[INTAKE_BY_ROLE[role]]


async def join(world: Sandbox, member: Member, code: str) -> None:
    """The member opens the invite, gives their age, consents (or has the parent consent) and answers."""
    messenger = Messenger.MAX if member.on_max and world.max is not None else Messenger.TELEGRAM
    chat = Chat(world, world.add_persona(member.name, member.kind, messenger).key)
    await chat.open(code)
    if member.age is not None:
        screen = await chat.wait_text("Сначала один вопрос", data_prefix=AgePayload.prefix + ":")
        await chat.press(screen, AgePayload(member.age).pack())
    if member.age == "teen":
        screen = await chat.wait_text("", data_prefix=MinorConsentPayload.prefix + ":")
        await chat.press(screen, MinorConsentPayload(True).pack())
    if member.age in ("teen", "child"):
        mark = chat.count()
        link = await chat.wait("the parent's link", lambda m: "родител" in m.text and bool(LINK_RE.search(m.text)))
        await parent_consents(world, member, _code_in(link.text))
        notice = await chat.wait_text("Родитель дал согласие", after=mark, data_prefix=MenuPayload.prefix + ":")
        await chat.press(notice, MenuPayload("survey").pack())
    else:
        screen = await chat.wait_text("", data_prefix=ConsentPayload.prefix + ":")
        await chat.press(screen, ConsentPayload(True).pack())
    await answer(chat, questionnaire(world, member.role), member.answers)


async def parent_consents(world: Sandbox, member: Member, code: str) -> None:
    assert member.parent is not None and member.parent_full is not None
    on_max = member.parent_on_max and world.max is not None
    messenger = Messenger.MAX if on_max else Messenger.TELEGRAM
    parent = Chat(world, world.add_persona(member.parent, PersonaKind.PARENT, messenger).key)
    await parent.open(code)
    document = await parent.wait_text("", data_prefix=ParentPayload.prefix + ":")
    agree = next(data for _, data in document.buttons if ParentPayload.unpack(data).agree)
    await parent.press(document, agree)
    pid = ParentPayload.unpack(agree).pid
    relation = await parent.wait_text("Кем вы приходитесь", data_prefix=ParentPayload.prefix + ":")
    await parent.press(relation, ParentPayload(pid=pid, relation=member.relation).pack())
    mark = parent.count()
    await parent.wait_text("Напишите, пожалуйста, ваши фамилию и имя")
    await parent.send(member.parent_full)
    await parent.wait_text("Согласие записано", after=mark)


def _header(questionnaire: Questionnaire, index: int) -> str:
    return f"Вопрос {index + 1} из {len(questionnaire.questions)}"


async def answer(chat: Chat, questionnaire: Questionnaire, answers: dict[str, Any]) -> None:
    """Every question of `questionnaire` in turn, by its buttons or typed; then «Всё верно» on the summary."""
    mark = max(chat.count() - 3, 0)
    for index, question in enumerate(questionnaire.questions):
        screen = await chat.wait_text(_header(questionnaire, index), after=mark)
        await _answer_one(chat, screen, question, answers.get(question.id))
    summary = await chat.wait_text("Всё верно?", after=mark, data_prefix=SurveyPayload.prefix + ":")
    done = chat.count()
    await chat.press(summary, SurveyPayload(a="ok").pack())
    await chat.wait_text("Анкета сохранена", after=done - 1)


async def _answer_one(chat: Chat, screen: Shown, question: Question, value: Any) -> None:
    if value is None or value == []:
        await chat.press(screen, SurveyPayload(a="s", q=question.id).pack())
    elif question.type is QuestionType.MULTI:
        for n, option in enumerate(value, start=1):
            await chat.press(screen, SurveyPayload(a="t", q=question.id, v=option).pack())
            screen = await chat.wait(f"{n} ticks", lambda m, s=screen, n=n: m.id == s.id and _ticks(m) == n)
        await chat.press(screen, SurveyPayload(a="d", q=question.id).pack())
    elif question.has_buttons:
        await chat.press(screen, SurveyPayload(a="a", q=question.id, v=str(value)).pack())
    else:
        await chat.send(str(value))


def _ticks(message: Shown) -> int:
    return sum(1 for label, _ in message.buttons if label.startswith("✅"))


def _work(member: Member) -> int:
    """How long a member's way in is, roughly (their answers, a parent's consent): the curator makes the invites
    of the longest ways first, so that they start early."""
    answers = sum(len(v) if isinstance(v, list) else 1 for v in member.answers.values())
    return answers + (8 if member.parent else 0)


# --- the stages -----------------------------------------------------------------------------------------------
async def load_demo(world: Sandbox, stage: str, *, on_progress: Progress | None = None) -> DemoSummary:
    """Fill a new sandbox with the demo programme up to `stage` («matching» or «monitoring»)."""
    if stage not in STAGES:
        raise ValueError(f"Неизвестный этап демо: {stage}")
    if any(p.kind is not PersonaKind.CURATOR for p in world.personas.values()):
        raise ValueError(REFUSED)
    say = on_progress or (lambda _text: None)
    summary = DemoSummary(stage)
    started = time.monotonic()
    await _matching_stage(world, say)
    summary.seconds["matching"] = round(time.monotonic() - started, 1)
    if stage == "monitoring":
        began = time.monotonic()
        await _monitoring_stage(world, say, summary)
        summary.seconds["monitoring"] = round(time.monotonic() - began, 1)
    await world.settle()
    await _count(world, summary)
    say("Демо готово")
    return summary


async def _matching_stage(world: Sandbox, say: Progress) -> None:
    """The curator makes the invites one after another; each member opens theirs as soon as it is there, all at
    once (the bot paces its messages to each chat, about one a second: people each in their own chat at the same
    time is what makes the demo quick)."""
    curator = Chat(world, "tg-1000")
    say("Куратор создаёт ссылки-приглашения")
    invites: dict[tuple[Role, Form], asyncio.Future[str]] = {}
    for member in sorted(ROSTER, key=_work, reverse=True):
        invites.setdefault((member.role, member.form), asyncio.get_running_loop().create_future())
    done = 0

    async def one(member: Member) -> None:
        nonlocal done
        await join(world, member, await invites[member.role, member.form])
        done += 1
        say(f"Присоединились и ответили на анкету: {done} из {len(ROSTER)}")

    async def curator_invites() -> None:
        for (role, form), future in invites.items():
            future.set_result(await make_invite(curator, role, form))

    joining = [asyncio.ensure_future(one(member)) for member in ROSTER]
    try:
        await curator_invites()
        await asyncio.gather(*joining)
    finally:
        for task in joining:
            task.cancel()
        await asyncio.gather(*joining, return_exceptions=True)
    await world.settle()


#: Pairs whose mentor plans meetings in the demo, and when their meetings are: days after the demo is loaded.
MEETING_PAIRS = 4
MEETING_AFTER_DAYS = (7, 35)
MEETING_TIME = clock_time(16, 0)
TOPICS = (
    "Знакомство: цели на год и план работы",
    "Разбор проекта: что получилось и что дальше",
)
NOTES = (
    "Познакомились, обсудили цели и договорились о плане.",
    "Разобрали проект, наметили задачи до следующей встречи.",
)
#: The clock's step far from any meeting: 6 hours, on 03:00, 09:00, 15:00 and 21:00 (the digest keeps its 09:00,
#: the quiet hours their edges); and how long before a meeting's evening it goes hour by hour again (its reminders
#: come 24 hours and 1 hour before it, and the scheduler drops a reminder more than 6 hours late).
COARSE_STEP = timedelta(hours=6)
COARSE_ANCHOR = 9
FINE_BEFORE_MEETING = timedelta(hours=48)


def _local(world: Sandbox, day: date, at: clock_time) -> datetime:
    return datetime.combine(day, at, tzinfo=world.tz).astimezone(UTC)


def end_of_november(world: Sandbox) -> datetime:
    """30 November, 19:00 local, of the sandbox's programme year: «+1 день» brings the December survey."""
    return _local(world, date(programme_year_of(world.now().astimezone(world.tz).date()), 11, 30), clock_time(19))


async def advance(world: Sandbox, to: datetime, *, fine: timedelta = timedelta(hours=1)) -> None:
    """Move the clock to `to`: in `COARSE_STEP`s on the local day's 09:00 grid up to `fine` before it, then hour
    by hour. Far from meetings nothing the year brings needs the very hour (a notice comes at the next tick, the
    same morning or afternoon); near one, its reminders do."""
    coarse_until = to - fine
    if world.now() + COARSE_STEP < coarse_until:
        local = world.now().astimezone(world.tz).replace(minute=0, second=0, microsecond=0)
        every = int(COARSE_STEP.total_seconds() // 3600)
        aligned = local + timedelta(hours=(COARSE_ANCHOR - local.hour) % every or every)
        await world.move_clock(aligned.astimezone(UTC))
        steps = (coarse_until - world.now()) // COARSE_STEP
        if steps > 0:
            await world.move_clock(world.now() + steps * COARSE_STEP, step=COARSE_STEP)
    if to > world.now():
        await world.move_clock(to)


async def _monitoring_stage(world: Sandbox, say: Progress, summary: DemoSummary) -> None:
    curator = Chat(world, "tg-1000")
    say("Куратор подбирает пары и утверждает их")
    mark = curator.count()
    await curator.send("/match")
    confirm_all = MatchPayload.prefix + ":all:"
    overview, confirm = await curator.wait_button(confirm_all, after=mark, having=lambda d: d.startswith(confirm_all))
    await curator.press(overview, confirm)
    await curator.wait_text("Утверждено по формам", after=mark)
    await world.settle()
    pairs = [p for p in await world.app.services["matching"].pairs() if p.mentor is not None and p.mentees]
    chosen = sorted(pairs, key=lambda p: (p.is_group, p.id))[:MEETING_PAIRS]
    keys = {(p.messenger, p.account_id): p.key for p in world.personas.values()}

    def key_of(member: Any) -> str:
        return keys[member.messenger, member.telegram_id]

    today = world.now().astimezone(world.tz).date()
    for number, days in enumerate(MEETING_AFTER_DAYS):
        day = today + timedelta(days=days)
        say(f"Наставники назначают встречи на {day:%d.%m}")
        meetings = await asyncio.gather(
            *(plan_meeting(world, key_of(p.mentor), [key_of(m) for m in p.mentees if m], day, number)
              for p in chosen)
        )  # fmt: skip
        summary.meetings_planned += len(meetings)
        say(f"Часы идут к вечеру {day:%d.%m}: напоминания и вопрос «Встреча состоялась?»")
        await advance(world, _local(world, day, clock_time(19)), fine=FINE_BEFORE_MEETING)
        await asyncio.gather(
            *(check_in(world, key_of(person), meeting, number)
              for p, meeting in zip(chosen, meetings, strict=True) for person in p.people)
        )  # fmt: skip
        await world.settle()
    end = end_of_november(world)
    if world.now() < end:
        say("Часы идут к 30 ноября, вечер")
        await advance(world, end)


async def plan_meeting(world: Sandbox, mentor_key: str, mentee_keys: list[str], day: date, number: int) -> int:
    """The mentor's «Назначить встречу» from /menu: the day, 16:00, at school, a topic, «Отправить»; each mentee
    accepts the invitation. Returns the meeting's id (from the invitation's buttons)."""
    mentor = Chat(world, mentor_key)
    mark = mentor.count()
    await mentor.send("/menu")
    menu, new = await mentor.wait_button(MeetingSetupPayload(a="new").pack(), after=mark)
    await mentor.press(menu, new)
    screen, _ = await mentor.wait_button("ms:day:", after=mark, having=lambda d: d.startswith("ms:day:"))
    chosen = MeetingSetupPayload(a="day", y=day.year, m=day.month, d=day.day).pack()
    for _ in range(3):  # a later month: «›»
        if screen.data_of(chosen) is not None:
            break
        later = next(d for _, d in screen.buttons if d.startswith("ms:cal:") and _month(d) > _month(_first_day(screen)))
        await mentor.press(screen, later)
        screen = await mentor.wait("the next month", lambda m, s=screen, later=later: m.id == s.id and _shows(m, later))
    await mentor.press(screen, chosen)
    slot = MeetingSetupPayload(a="time", v=f"{MEETING_TIME:%H%M}").pack()
    times, _ = await mentor.wait_button(slot, after=mark)
    await mentor.press(times, slot)
    places, school = await mentor.wait_button(MeetingSetupPayload(a="place", v="school").pack(), after=mark)
    await mentor.press(places, school)
    await mentor.wait_button(MeetingSetupPayload(a="skip").pack(), after=mark)
    await mentor.send(TOPICS[number % len(TOPICS)])
    preview, send = await mentor.wait_button(MeetingSetupPayload(a="send").pack(), after=mark)
    await mentor.press(preview, send)
    await mentor.wait_text("Приглашение отправлено", after=mark)
    await world.settle()
    ids = await asyncio.gather(*(accept(world, key) for key in mentee_keys))
    return ids[0]


def _month(data: str) -> tuple[int, int]:
    """(year, month) of a calendar button's payload (`ms:day:…` or `ms:cal:…`)."""
    payload = MeetingSetupPayload.unpack(data)
    return payload.y, payload.m


def _first_day(screen: Shown) -> str:
    return next(d for _, d in screen.buttons if d.startswith("ms:day:"))


def _shows(message: Shown, cal: str) -> bool:
    """The calendar now shows the month `cal` led to."""
    days = [d for _, d in message.buttons if d.startswith("ms:day:")]
    return bool(days) and _month(days[0]) == _month(cal)


async def accept(world: Sandbox, key: str) -> int:
    chat = Chat(world, key)
    invitation, data = await chat.wait_button("mr:acc:", having=lambda d: d.startswith("mr:acc:"))
    await chat.press(invitation, data)
    await chat.wait_in(invitation, "встреча подтверждена")
    return MeetingReplyPayload.unpack(data).id


async def check_in(world: Sandbox, key: str, meeting: int, number: int) -> None:
    """«Встреча состоялась?» — «Да», usefulness 5 or 4, a note from the mentor; after the first one, «подходит»."""
    chat = Chat(world, key)
    held = CheckinCb(a="held", id=meeting).pack()
    asked, _ = await chat.wait_button(held)
    await chat.press(asked, held)
    use = CheckinCb(a="use", id=meeting, v="5" if (meeting + len(key)) % 3 else "4").pack()
    useful, _ = await chat.wait_button(use)
    await chat.press(useful, use)
    skip = CheckinCb(a="skip", id=meeting).pack()
    note, _ = await chat.wait_button(skip)
    mark = chat.count()
    if world.persona(key).kind is PersonaKind.MENTOR:
        await chat.send(NOTES[number % len(NOTES)])
        await chat.wait_text("Спасибо, записано", after=mark)
    else:
        await chat.press(note, skip)
        await chat.wait_in(note, "Спасибо, записано")
    if number == 0:
        await world.settle()
        fit, data = await chat.wait_button("fit:", having=lambda d: d.startswith("fit:") and d.endswith(":yes"))
        await chat.press(fit, data)
        await chat.wait_in(fit, "Спасибо за ответ")


async def _count(world: Sandbox, summary: DemoSummary) -> None:
    """The summary's figures, read through the repositories."""
    summary.personas = dict(Counter(p.kind.value for p in world.personas.values()))
    services = world.app.services
    summary.participants = len(await services["participants"].all_consented())
    pairs = await services["matching"].pairs()
    summary.pairs = len(pairs)
    held = 0
    for pair in pairs:
        held += len(await services["meetings"].held_stages(pair.id))
    summary.meetings_held = held
