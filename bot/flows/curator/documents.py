"""The curator's documents as files to send (`SendFile` effects): the director's order on the pairs just
confirmed (DOCX), the list of every active pair (XLSX), a base of mentees or mentors (XLSX); and the rows they are
written from, out of what storage returns (the writers live in bot/documents). An image goes out as a photo
(`bot.flows.screens.FileOut`: the adapter sends image/* so), anything else as a document.

The writers run in a worker thread, where python-docx and openpyxl are imported on first use (an idle bot holds
neither: tests/test_lazy_imports.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from bot.documents import OrderInfo, PairRow, PersonRow
from bot.flows.effects import SendFile
from bot.flows.screens import FileOut
from bot.i18n import tr
from bot.pairs import Member, Pair
from bot.participants import Participant
from bot.programme import Form
from bot.questionnaires import Questionnaire, format_value
from bot.settings import Settings

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORM_SLUGS: dict[Form, str] = {
    Form.PUPIL_PUPIL: "uchenik-uchenik",
    Form.TEACHER_TEACHER: "uchitel-uchitel",
    Form.STUDENT_PUPIL: "student-uchenik",
    Form.EMPLOYER_PUPIL: "rabotodatel-uchenik",
    Form.EMPLOYER_STUDENT: "rabotodatel-student",
    Form.TEACHER_PUPIL: "pedagog-obuchayushchiysya",
}


def programme_year(day: date) -> str:
    """«2026/2027» for a day from September to August."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{start + 1}"


def pair_rows(
    pairs: Sequence[Pair],
    settings: Settings,
    positions: Mapping[int, str] | None = None,
    adults: Collection[int] | None = None,
    names: Mapping[int, str] | None = None,
) -> list[PairRow]:
    """`adults`: ids of the people who are adults, for the order's signature lines (None: the mentor only);
    `names`: the names to print by id where they differ from what the pairs carry (the participants table)."""
    rows = []
    tz = settings.institution.tz
    named = names or {}

    def name(member: Member) -> str:
        return named.get(member.id) or member.name

    for pair in pairs:
        mentees = tuple(name(m) if m else tr("pair-withdrawn") for m in pair.mentees)
        scores = [m.score for m in pair.mentees if m is not None and m.score is not None]
        reasons = "; ".join(f"{name(m)}: {m.reasons}" for m in pair.mentees if m is not None and m.reasons)
        rows.append(
            PairRow(
                number=pair.id,  # the pair's number on every screen and sheet (the order numbers its own rows)
                form=pair.form.label,
                mentor=name(pair.mentor) if pair.mentor else tr("pair-withdrawn"),
                mentor_position=(positions or {}).get(pair.mentor.id) if pair.mentor else None,
                mentees=mentees,
                score=round(sum(scores), 1) if scores else None,
                reasons=reasons or None,
                confirmed=pair.confirmed_at.astimezone(tz).date(),
                signers=None if adults is None else tuple(name(m) for m in pair.people if m.id in adults),
            )
        )
    return rows


def order_info(settings: Settings, day: date) -> OrderInfo:
    """The director's order of `day`: what the institution's settings say; the rest is left blank."""
    institution = settings.institution
    return OrderInfo(
        organization=institution.organization_name,
        city=institution.city,
        order_date=day,
        order_number=institution.order_number,
        curator=None,
        director=institution.director_name,
        programme_year=programme_year(day),
        regulation_date=institution.mentorship_regulation_date,
        regulation_number=institution.mentorship_regulation_number,
    )


def order_filename(forms: Sequence[Form], at: datetime) -> str:
    """Unique per confirmation and readable: the local day, the form (when the order has one) and the time of
    the confirmation (a mentor's group of the form gets later mentees in it, so the pairs' numbers may repeat)."""
    form = f"-{FORM_SLUGS[forms[0]]}" if len(forms) == 1 else ""
    return f"prikaz-o-zakreplenii-{at:%Y-%m-%d}{form}-{at:%H%M%S}.docx"


def is_adult(participant: Participant) -> bool:
    """Known to be an adult: a young teacher always; anyone else only when they said they are 18 or more."""
    return participant.is_adult is True or not participant.role.may_be_minor


def person_row(
    participant: Participant, questionnaire: Questionnaire, answers: Mapping[str, Any], settings: Settings
) -> PersonRow:
    details = {}
    for question in questionnaire.questions:
        if question.id in ("name", "age", "club"):
            continue
        if question.id in answers:
            details[question.caption] = format_value(question, answers[question.id])
    club_question = questionnaire.question("club") if questionnaire.has_question("club") else None
    club = answers.get("club")
    age = answers.get("age")
    return PersonRow(
        pseudonym=participant.pseudonym,
        name=str(answers.get("name") or ""),
        role=participant.role.label,
        form=participant.form.label,
        club=format_value(club_question, club) if club_question and club else None,
        age=age if isinstance(age, int) else None,
        status=participant.status.label,
        joined=participant.joined_at.astimezone(settings.institution.tz).date(),
        details=details,
    )


# --- the files ---------------------------------------------------------------------------------------------------
def _order_docx(info: OrderInfo, rows: Sequence[PairRow]) -> bytes:
    from bot.documents import order_docx  # python-docx: in the worker thread, on the first order

    return order_docx(info, rows)


async def order_file(settings: Settings, rows: Sequence[PairRow], forms: Sequence[Form], at: datetime) -> SendFile:
    """The director's order «О закреплении наставнических пар (групп)» on the pairs of `rows`, confirmed `at`
    (the institution's local time)."""
    content = await asyncio.to_thread(_order_docx, order_info(settings, at.date()), rows)
    return SendFile(FileOut(order_filename(forms, at), content, DOCX, caption=tr("order-docx-caption")))


async def pairs_file(settings: Settings, rows: Sequence[PairRow], at: datetime) -> SendFile:
    """Every active pair and group, a sheet per form (XLSX)."""
    from bot.documents import pairs_workbook

    organization = settings.institution.organization_name
    content = await asyncio.to_thread(pairs_workbook, rows, organization=organization, generated=at)
    name = f"pary-i-gruppy-{at:%Y-%m-%d}.xlsx"
    return SendFile(FileOut(name, content, XLSX, caption=tr("pairs-xlsx-caption")))


async def base_file(settings: Settings, *, mentors: bool, rows: Sequence[PersonRow], at: datetime) -> SendFile:
    """The base of mentors or of mentees (XLSX), captioned with its title."""
    from bot.documents import people_workbook

    title = tr("btn-base-mentors") if mentors else tr("btn-base-mentees")
    organization = settings.institution.organization_name
    content = await asyncio.to_thread(people_workbook, title, rows, organization=organization, generated=at)
    name = "baza-nastavnikov" if mentors else "baza-nastavlyaemyh"
    return SendFile(FileOut(f"{name}-{at:%Y-%m-%d}.xlsx", content, XLSX, caption=title))
