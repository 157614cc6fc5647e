"""Monitoring campaigns (roadmap 4.6, 5.2, 5.3): which questionnaire each role answers, the programme
calendar of standard campaigns, and the privacy rule for aggregates."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from bot.i18n import tr
from bot.questionnaires import Questionnaire

#: A campaign's survey is a set: each role answers the questionnaire of the set meant for it.
SURVEY_SETS: dict[str, tuple[str, ...]] = {
    "quality": ("quality_mentee", "quality_mentor"),
    "final": ("final_mentee", "final_mentor"),
    "growth": ("growth",),
}


def survey_label(survey: str) -> str:
    """The name of a survey set, as the curator picks it and as its invitation is titled."""
    return tr(f"survey-label-{survey}")

#: Growth is compared between the entry self-assessment (when a pair starts) and the end one.
GROWTH_ENTRY = "growth_entry"
GROWTH_END = "growth_end"

#: The mentor questionnaire's `position` answers that make a mentor one of the institution's teachers or pupils
#: for the shares of the municipal report (a student or a partner's employee is neither; a minor is never a
#: teacher, whatever they answered).
TEACHER_POSITIONS = ("teacher", "methodist", "school_teacher")
PUPIL_POSITIONS = ("senior_pupil",)

#: No aggregate is shown for fewer answers than this (one person's answer must not be readable).
MIN_GROUP = 3


def questionnaire_for(survey: str, role: str, questionnaires: Mapping[str, Questionnaire]) -> Questionnaire | None:
    for questionnaire_id in SURVEY_SETS.get(survey, (survey,)):
        questionnaire = questionnaires.get(questionnaire_id)
        if questionnaire is not None and questionnaire.is_for(role):
            return questionnaire
    return None


@dataclass(frozen=True)
class CalendarEntry:
    """A standard campaign: `survey` opens on day/month of the programme year and stays open `days`."""

    survey: str
    month: int
    day: int
    days: int

    def opens(self, programme_year: int) -> date:
        """September–December belong to the year the programme starts in, January–August to the next."""
        return date(programme_year if self.month >= 9 else programme_year + 1, self.month, self.day)

    def key(self, programme_year: int) -> str:
        return f"{self.survey}:{self.opens(programme_year).isoformat()}"


_ENTRY = re.compile(r"^(?P<survey>[a-z_]+)@(?P<day>\d{1,2})\.(?P<month>\d{1,2})/(?P<days>\d{1,3})d$")


def parse_calendar(text: str) -> tuple[CalendarEntry, ...]:
    """`quality@01.12/14d, quality@01.05/14d, final@15.05/14d, growth@01.05/14d` (survey@dd.mm/Nd)."""
    entries = []
    for part in str(text or "").split(","):
        part = part.strip()
        if not part:
            continue
        match = _ENTRY.match(part)
        if not match:
            raise ValueError(f"{part!r} is not like quality@01.12/14d (survey@day.month/days)")
        survey = match.group("survey")
        if survey not in SURVEY_SETS:
            raise ValueError(f"unknown survey {survey!r} (known: {', '.join(SURVEY_SETS)})")
        month, day, days = int(match.group("month")), int(match.group("day")), int(match.group("days"))
        try:
            date(2000, month, day)
        except ValueError:
            raise ValueError(f"{part!r}: no such day") from None
        if not 1 <= days <= 120:
            raise ValueError(f"{part!r}: a campaign is open 1..120 days")
        entries.append(CalendarEntry(survey, month, day, days))
    return tuple(entries)


def programme_year_of(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def calendar_due(entries: tuple[CalendarEntry, ...], today: date) -> list[tuple[CalendarEntry, date, date]]:
    """Entries whose window contains `today`: (entry, opens, closes)."""
    year = programme_year_of(today)
    due = []
    for entry in entries:
        opens = entry.opens(year)
        closes = opens + timedelta(days=entry.days)
        if opens <= today < closes:
            due.append((entry, opens, closes))
    return due


#: A campaign opened up to this long before a period's calendar date counts for that period (launched early).
PERIOD_EARLY = timedelta(days=14)


def monitoring_period(opened: date, entries: tuple[CalendarEntry, ...], survey: str = "quality") -> date:
    """The monitoring period a campaign of `survey` opened on `opened` belongs to, named by the calendar date the
    period starts on (December, May: the calendar's dates for that survey). Every campaign of a period, the
    calendar's and the curator's own, is counted in it; with no calendar date for the survey, its month."""
    year = programme_year_of(opened)
    starts = [e.opens(year) for e in entries if e.survey == survey]
    before = [start for start in starts if start <= opened + PERIOD_EARLY]
    return max(before) if before else opened.replace(day=1)


def mean_or_hidden(total: float, n: int) -> float | None:
    return round(total / n, 2) if n >= MIN_GROUP else None
