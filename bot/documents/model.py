"""The input of the curator's documents: plain rows as the curator's bases show them, plus text cleaning.

The writers (`bot.documents.xlsx`, `bot.documents.docx_order`) take these frozen dataclasses and return file
bytes; they know nothing of the database or the messenger. Every string here may come from a user, so the
writers pass it through `clean_text` / `clean_line` first: characters that XML 1.0 (and therefore XLSX and
DOCX) cannot hold are dropped, lone surrogates become U+FFFD, everything else (quotes, emoji, «&<>») is kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from bot.i18n import tr


@dataclass(frozen=True)
class PersonRow:
    """One participant as the curator's base (of mentees or of mentors) shows them; labels are Russian."""

    pseudonym: str  # «P-00012»
    name: str  # «Иванова Мария»; "" while not given
    role: str  # «наставляемый-обучающийся»
    form: str  # form of mentoring, «педагог – обучающийся»
    club: str | None
    age: int | None
    status: str
    joined: date | None
    # column caption -> rendered answer, in the order the columns should appear
    details: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class PairRow:
    """A confirmed pair or group: one mentor, one or more mentees (a group when more than one)."""

    number: int
    form: str
    mentor: str
    mentor_position: str | None
    mentees: tuple[str, ...]
    score: float | None  # the matching score (points), None when the pair was set by hand
    reasons: str | None  # why the pair was matched, as the curator saw it
    confirmed: date
    # The adults of the pair who sign «С приказом ознакомлены» (the mentor, a young teacher), children left
    # out; None: the mentor alone, as the caller did not say who is an adult.
    signers: tuple[str, ...] | None = None

    @property
    def kind(self) -> str:
        """«пара» or «группа (N)»."""
        n = len(self.mentees)
        return tr("paper-kind-group", n=n) if n > 1 else tr("paper-kind-pair")


@dataclass(frozen=True)
class OrderInfo:
    """What the director's order needs besides the pairs."""

    organization: str  # «МБУ ДО «Станция юных техников»»
    city: str | None  # printed as given, e.g. «г. Тула»; None leaves a blank line to fill in by hand
    order_date: date
    order_number: str | None  # None leaves a blank to fill in by hand
    curator: str | None  # None leaves a blank
    director: str | None  # None leaves a blank
    programme_year: str  # «2026/2027»
    # The order that approved the institution's «Положение о наставничестве»; None leaves blanks.
    regulation_date: date | None = None
    regulation_number: str | None = None


# XML 1.0 allows tab, LF, CR and everything from U+0020 except the surrogates and U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """`value` as text that any XML-based file can hold: line breaks kept (as LF), illegal characters gone."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _XML_ILLEGAL.sub("", text)
    # A str may hold a lone surrogate (from a bad decode); it can't be encoded as UTF-8.
    return _SURROGATE.sub("\ufffd", text)


def clean_line(value: object) -> str:
    """`clean_text` on one line: every run of whitespace (line breaks, tabs) becomes one space, ends stripped."""
    return _SPACES.sub(" ", clean_text(value)).strip()
