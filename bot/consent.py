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

#: The document's edition: bump it whenever the text changes; a consent keeps the edition it was given for
#: (consents.document_version). `FINGERPRINTS` pins each edition's text, so a change without a bump fails a test.
#: 2026-2: «Кто видит данные» says what other participants see, instead of «only the curator».
#: 2026-3: headings and lists, the operator's details, the 14–17 variant; the texts move to consent.ftl.
DOCUMENT_VERSION = "2026-3"
FINGERPRINTS: dict[str, str] = {
    "2026-3": "1f923799d25108eb2d566ddc846dacd104f2e56fd2bf94c606dfd200e611a5ae",
}
#: The same editions as read on MAX (the account is «идентификатор в MAX»), pinned the same way.
MAX_FINGERPRINTS: dict[str, str] = {
    "2026-3": "3681aacb45262a80bef1de520720d83c643eca705b5dbbfb0799f48a7e4bc40f",
}


class ConsentKind(StrEnum):
    SELF = "self"  # an adult for themselves
    PARENT = "parent"  # a parent or legal representative for a minor, in the bot
    PAPER = "paper"  # a signed paper form recorded by the curator
    #: A pupil of 14–17 for themselves, alongside the parent's consent (which alone starts the processing).
    MINOR = "minor"


class Relation(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    GUARDIAN = "guardian"

    @property
    def label(self) -> str:
        return tr(f"relation-{self.value}")


@dataclass(frozen=True)
class Operator:
    """Who processes the data, as the document names them; address and INN only when configured."""

    name: str
    address: str = ""
    inn: str = ""


@dataclass(frozen=True)
class ConsentDocument:
    kind: ConsentKind
    version: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


#: Which variant of a section each kind reads: a pupil of 14–17 speaks for themselves, as an adult does.
_VOICE = {ConsentKind.SELF: "self", ConsentKind.MINOR: "self", ConsentKind.PARENT: "parent"}


def render(operator: Operator | str, kind: ConsentKind, messenger: str = "telegram") -> ConsentDocument:
    """The document a person reads before pressing «Даю согласие»: `kind` is SELF, PARENT or MINOR; `messenger`:
    where the participant (the child, in a parent's) is, whose account id there the document names."""
    if isinstance(operator, str):
        operator = Operator(operator)
    if kind is ConsentKind.PAPER:
        raise ValueError("a paper consent has no document in the bot")
    voice = _VOICE[kind]
    details = [esc(operator.name)]
    if operator.address.strip():
        details.append(tr("consent-operator-address", address=esc(operator.address.strip())))
    if operator.inn.strip():
        details.append(tr("consent-operator-inn", inn=esc(operator.inn.strip())))
    sections = [
        tr("consent-title", version=DOCUMENT_VERSION),
        "\n".join([tr("consent-operator-title"), *details]),
        "\n".join([tr("consent-subject-title"), _subject(kind, messenger)]),
        "\n".join([tr("consent-purpose-title"), tr("consent-purpose")]),
        "\n".join([tr("consent-data-title"), tr("consent-data", messenger=messenger)]),
        "\n".join([tr("consent-actions-title"), tr("consent-actions")]),
        "\n".join([
            tr("consent-who-sees-title"),
            tr("consent-who-sees-curator"),
            tr("consent-who-sees-others"),
            tr(f"consent-who-sees-{voice}"),
        ]),
        "\n".join([tr("consent-term-title"), tr(f"consent-term-{voice}")]),
        "\n".join([tr("consent-withdraw-title"), tr("consent-withdraw")]),
        tr("consent-signature"),
    ]
    return ConsentDocument(kind=kind, version=DOCUMENT_VERSION, text="\n\n".join(sections))


def _subject(kind: ConsentKind, messenger: str) -> str:
    if kind is ConsentKind.MINOR:
        return tr("consent-subject-minor", messenger=messenger)
    return tr(f"consent-subject-{kind.value}")


def template_fingerprint(messenger: str = "telegram") -> str:
    """The SHA-256 of every variant rendered for a sample operator, as read on `messenger`: it changes exactly
    when the words do."""
    sample = Operator("«Оператор»", "г. Город, ул. Улица, 1", "0000000000")
    kinds = (ConsentKind.SELF, ConsentKind.PARENT, ConsentKind.MINOR)
    texts = [render(sample, kind, messenger).text for kind in kinds]
    return hashlib.sha256("\n\f".join(texts).encode("utf-8")).hexdigest()


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
