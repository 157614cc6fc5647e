"""The programme's vocabulary: roles, forms of mentoring (Р-145), participant statuses and the programme year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    MENTEE_PUPIL = "mentee_pupil"
    MENTEE_TEACHER = "mentee_teacher"
    MENTOR = "mentor"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def is_mentee(self) -> bool:
        return self is not Role.MENTOR

    @property
    def may_be_minor(self) -> bool:
        """Pupils are children; a mentor may be an older pupil or a student. A young teacher is an adult."""
        return self is not Role.MENTEE_TEACHER


ROLE_LABELS: dict[Role, str] = {
    Role.MENTEE_PUPIL: "наставляемый-обучающийся",
    Role.MENTEE_TEACHER: "наставляемый-педагог (молодой специалист)",
    Role.MENTOR: "наставник",
}


class Form(StrEnum):
    PUPIL_PUPIL = "pp"
    TEACHER_TEACHER = "tt"
    STUDENT_PUPIL = "sp"
    EMPLOYER_PUPIL = "ep"
    EMPLOYER_STUDENT = "es"
    TEACHER_PUPIL = "tp"

    @property
    def label(self) -> str:
        return FORM_LABELS[self]

    @classmethod
    def parse(cls, value: str) -> Form | None:
        """The form for a value from a button, or None for a forged or stale one."""
        try:
            return cls(value)
        except ValueError:
            return None


FORM_LABELS: dict[Form, str] = {
    Form.PUPIL_PUPIL: "ученик – ученик",
    Form.TEACHER_TEACHER: "учитель – учитель",
    Form.STUDENT_PUPIL: "студент – ученик",
    Form.EMPLOYER_PUPIL: "работодатель – ученик",
    Form.EMPLOYER_STUDENT: "работодатель – студент",
    Form.TEACHER_PUPIL: "педагог – обучающийся",
}

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
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.INVITED: "приглашён, нет согласия",
    Status.AWAITING_PARENT: "ждёт согласия родителя",
    Status.CONSENTED: "согласие есть, анкета не заполнена",
    Status.SURVEY_DONE: "анкета заполнена",
}


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
