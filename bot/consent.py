"""Consent to personal-data processing (152-ФЗ): the document, its version and the rules around it.

The document is rendered with the operator's name; the record keeps the version and the SHA-256 of the
exact text shown, so the curator can prove which words a person agreed to.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.errors import AppError
from bot.i18n import esc, tr

#: Bumped whenever the text changes; a consent keeps the version it was given for (consents.document_version).
#: 2026-2: «Кто видит данные» says what other participants see, instead of «only the curator».
DOCUMENT_VERSION = "2026-2"


class ConsentKind(StrEnum):
    SELF = "self"  # an adult for themselves
    PARENT = "parent"  # a parent or legal representative for a minor, in the bot
    PAPER = "paper"  # a signed paper form recorded by the curator


class Relation(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    GUARDIAN = "guardian"

    @property
    def label(self) -> str:
        return {"mother": "мать", "father": "отец", "guardian": "опекун / законный представитель"}[self.value]


_DATA = (
    "идентификатор Telegram; фамилия и имя; возраст; объединение (кружок); ответы на анкеты программы "
    "(интересы, запросы, удобные дни, ожидания); сведения о наставнической паре или группе, о встречах "
    "и ответы на опросы мониторинга"
)
_ACTIONS = (
    "сбор, запись, систематизация, накопление, хранение, уточнение, использование, обезличивание, "
    "удаление и уничтожение"
)


@dataclass(frozen=True)
class ConsentDocument:
    kind: ConsentKind
    version: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _who_sees(for_parent: bool) -> str:
    """Exactly what the bot shows to people other than the curator (handlers/preferences.py, the pair notices in
    handlers/curator/matching.py, /menu, the meeting messages in handlers/meetings.py); nothing else leaves
    the curator's screens."""
    if for_parent:
        name = "фамилию и имя ребёнка (как он напишет их в анкете)"
        replies = "что ребёнок подтвердил встречу или просит другое время, с текстом его просьбы"
        mirror = "Ребёнок так же увидит ФИО наставников при выборе и ФИО своего наставника."
        hidden = "Ответы ребёнка на анкеты и опросы, его возраст, вопросы куратору, отметки о встречах и ваши данные"
    else:
        name = "ваше имя (как вы напишете его в анкете: фамилию, имя, отчество)"
        replies = "что вы подтвердили встречу или просите другое время, с текстом вашей просьбы"
        mirror = "Так же и вы увидите имена участников другой стороны при выборе и имена своей пары или группы."
        hidden = "Ваши ответы на анкеты и опросы, возраст, вопросы куратору и отметки о встречах"
    return (
        "<b>Кто видит данные.</b> Все данные видит куратор программы; его действия с ними записываются в журнал. "
        f"Другим участникам бот показывает только:\n"
        f"• {name} — участникам другой стороны той же формы наставничества в анкете предпочтений (если куратор "
        "её проводит), а после закрепления — паре: наставнику его наставляемых, наставляемым их наставника "
        "(наставляемые одной группы друг друга в боте не видят);\n"
        f"• наставнику — {replies};\n"
        "• наставляемым — время, место и тему встреч, которые назначает наставник.\n"
        f"{mirror} {hidden} другие участники не видят. "
        "В муниципальный центр наставничества передаются только обезличенные сводные цифры."
    )


def render(organization: str, *, for_parent: bool) -> ConsentDocument:
    org = esc(organization)
    if for_parent:
        subject = (
            "Я, родитель (законный представитель) ребёнка, приглашённого в программу, даю согласие "
            f"оператору — <b>{org}</b> — на обработку персональных данных моего ребёнка и моих "
            "(имя и степень родства)"
        )
        whose = "ребёнка"
    else:
        subject = f"Я даю согласие оператору — <b>{org}</b> — на обработку моих персональных данных"
        whose = "участника"
    text = (
        f"<b>Согласие на обработку персональных данных</b> (версия {DOCUMENT_VERSION})\n\n"
        f"{subject} на следующих условиях.\n\n"
        "<b>Цель.</b> Участие в программе наставничества (целевая модель наставничества): подбор наставника "
        "или наставляемых, организация встреч, мониторинг и отчётность программы.\n\n"
        f"<b>Какие данные.</b> {_DATA}.\n\n"
        f"<b>Действия.</b> {_ACTIONS} — с использованием средств автоматизации (этого бота). "
        "Данные хранятся у оператора и не передаются третьим лицам.\n\n"
        f"{_who_sees(for_parent)}\n\n"
        f"<b>Срок.</b> На время участия {whose} в программе, но не дольше окончания учебного года; "
        "затем данные уничтожаются.\n\n"
        "<b>Как отозвать.</b> В любой момент командой /forget в этом боте или письменным заявлением оператору. "
        "После отзыва обработка сразу прекращается, а данные удаляются."
    )
    kind = ConsentKind.PARENT if for_parent else ConsentKind.SELF
    return ConsentDocument(kind=kind, version=DOCUMENT_VERSION, text=text)


def needs_parent(is_adult: bool | None, may_be_minor: bool) -> bool:
    """A minor's consent is given by a parent; someone whose role cannot be a minor consents themselves."""
    return may_be_minor and is_adult is False


PARENT_NAME_MAX = 100


def clean_parent_name(text: str) -> str | None:
    """A parent's name as typed: 2–100 letters, spaces, hyphens and dots; None when it is not a name."""
    name = " ".join(text.split())
    if not 2 <= len(name) <= PARENT_NAME_MAX:
        return None
    if not all(ch.isalpha() or ch in " -.'’" for ch in name):
        return None
    return name


def clean_signatory_name(text: str) -> str | None:
    """The parent's name as written on a paper consent: a parent's name of at least two words (surname and name;
    the paper has them in full)."""
    name = clean_parent_name(text)
    return name if name is not None and len(name.replace("-", " ").split()) >= 2 else None


#: A paper consent older than this cannot cover this school year (the consent lasts at most to its end).
PAPER_MAX_AGE = timedelta(days=365)
_DATE_RE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$")


class BadPaperDate(AppError):
    """The date the curator typed for a paper consent cannot be the date of that paper; says why."""


def parse_paper_date(text: str, today: date) -> date:
    """The date written on a paper consent, as the curator types it (ДД.ММ.ГГГГ; «.», «/» or «-»; a two-digit
    year is 20ГГ): a real date, not after today and not more than a year before it."""
    match = _DATE_RE.match("".join(text.split()))
    if match is None:
        raise BadPaperDate(tr("paper-date-unreadable"))
    day, month, year = (int(g) for g in match.groups())
    if year < 100:
        year += 2000
    try:
        signed = date(year, month, day)
    except ValueError:
        raise BadPaperDate(tr("paper-date-no-such", text=esc(text.strip()))) from None
    if signed > today:
        raise BadPaperDate(tr("paper-date-future", date=f"{signed:%d.%m.%Y}", today=f"{today:%d.%m.%Y}"))
    if today - signed > PAPER_MAX_AGE:
        raise BadPaperDate(tr("paper-date-too-old", date=f"{signed:%d.%m.%Y}"))
    return signed
