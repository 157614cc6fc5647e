"""The programme's vocabulary: roles, forms of mentoring (Р-145), participant statuses and the programme year."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from bot.i18n import tr


class _Labelled(Protocol):
    @property
    def label(self) -> str: ...


_K = TypeVar("_K", bound=_Labelled)


class Labels(Mapping[_K, str], Generic[_K]):
    """An enum's labels as a mapping, read from the catalogue (`programme.ftl`) when asked: `ROLE_LABELS[role]`
    is `role.label`."""

    def __init__(self, members: tuple[_K, ...]) -> None:
        self._members = members

    def __getitem__(self, key: _K) -> str:
        if key not in self._members:
            raise KeyError(key)
        return key.label

    def __iter__(self) -> Iterator[_K]:
        return iter(self._members)

    def __len__(self) -> int:
        return len(self._members)


class Role(StrEnum):
    MENTEE_PUPIL = "mentee_pupil"
    MENTEE_TEACHER = "mentee_teacher"
    MENTOR = "mentor"

    @property
    def label(self) -> str:
        """The programme's term («наставляемый-обучающийся»): the curator's screens and papers."""
        return tr(f"role-{self.value}")

    @property
    def is_mentee(self) -> bool:
        return self is not Role.MENTOR

    @property
    def may_be_minor(self) -> bool:
        """Pupils are children; a mentor may be an older pupil or a student. A young teacher is an adult."""
        return self is not Role.MENTEE_TEACHER


ROLE_LABELS: Labels[Role] = Labels(tuple(Role))


class Form(StrEnum):
    PUPIL_PUPIL = "pp"
    TEACHER_TEACHER = "tt"
    STUDENT_PUPIL = "sp"
    EMPLOYER_PUPIL = "ep"
    EMPLOYER_STUDENT = "es"
    TEACHER_PUPIL = "tp"

    @property
    def label(self) -> str:
        return tr(f"form-{self.value}")

    @classmethod
    def parse(cls, value: str) -> Form | None:
        """The form for a value from a button, or None for a forged or stale one."""
        try:
            return cls(value)
        except ValueError:
            return None


FORM_LABELS: Labels[Form] = Labels(tuple(Form))

#: Forms that make sense for each role (a young teacher is mentored in «учитель – учитель» only).
FORMS_BY_ROLE: dict[Role, tuple[Form, ...]] = {
    Role.MENTEE_PUPIL: (
        Form.TEACHER_PUPIL,
        Form.PUPIL_PUPIL,
        Form.STUDENT_PUPIL,
        Form.EMPLOYER_PUPIL,
        Form.EMPLOYER_STUDENT,
    ),
    Role.MENTEE_TEACHER: (Form.TEACHER_TEACHER,),
    Role.MENTOR: tuple(Form),
}

#: The intake questionnaire of each role (files under bot/questionnaires/data).
INTAKE_BY_ROLE: dict[Role, str] = {
    Role.MENTEE_PUPIL: "intake_mentee_pupil",
    Role.MENTEE_TEACHER: "intake_mentee_teacher",
    Role.MENTOR: "intake_mentor",
}


class Status(StrEnum):
    """Where a participant is on the way in; derived from their record, never stored."""

    INVITED = "invited"
    AWAITING_PARENT = "awaiting_parent"
    CONSENTED = "consented"
    SURVEY_DONE = "survey_done"

    @property
    def label(self) -> str:
        return tr(f"status-{self.value}")


STATUS_LABELS: Labels[Status] = Labels(tuple(Status))


# --- the programme year --------------------------------------------------------------------------------------
#: The programme year follows the school year: it starts on 1 September.
YEAR_START_MONTH = 9
YEAR_LABEL_RE = re.compile(r"^\d{4}-\d{2}(\.\d+)?$")


def programme_year(day: date) -> str:
    """The label of the programme year a day falls in: 1 September 2026 – 31 August 2027 is «2026-27»."""
    first = day.year if day.month >= YEAR_START_MONTH else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


@dataclass(frozen=True)
class ArchivedYear:
    """A finished programme year: what happened after the previous year's finish (`started_at`, None for the
    first) up to its own finish belongs to it."""

    id: int
    label: str
    started_at: datetime | None
    finished_at: datetime

    def holds(self, moment: datetime) -> bool:
        return (self.started_at is None or moment > self.started_at) and moment <= self.finished_at
