"""Consent to personal-data processing (152-ФЗ): the document, its version and the rules around it.

The document is rendered with the operator's name; the record keeps the version and the SHA-256 of the
exact text shown, so the curator can prove which words a person agreed to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from bot.texts import esc

DOCUMENT_VERSION = "2026-1"


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
        "Данные хранятся у оператора и не передаются третьим лицам; в муниципальный центр наставничества "
        "передаются только обезличенные сводные цифры. Данные видит только куратор программы.\n\n"
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
