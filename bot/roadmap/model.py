"""The roadmap's data: sections, items and their deadlines, with the validation shared by the file and the curator.

A deadline is stored RELATIVE to the programme year, so the same roadmap serves every year: «август»,
«01.09–15.09», «в течение года», «декабрь и май», «ежеквартально». `bot.roadmap.deadlines` turns a spec into
dates for a given programme year Y (the year that starts on 1 September of Y); the rule is:

- a day in September–December falls in Y;
- a day in January–August falls in Y+1,
- except for a spec marked ``before_start``: its January–August days fall in Y, i.e. in the preparation
  BEFORE the year starts (the seed's «Август» items 1.1–1.6: the order, the curator, the roadmap itself).
  ``before_start`` on a spec with no January–August day would change nothing and is an error.

Every error is a `RoadmapError` whose text is Russian, for the curator who edits the file or types an item.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from bot.errors import AppError

# --- errors --------------------------------------------------------------------------------------------------


class RoadmapError(AppError, ValueError):
    """A roadmap file, an item or a deadline typed by the curator is wrong.

    ``errors`` holds every problem found (a file is checked in one pass, so it can be fixed in one go); each
    line names where: «roadmap.toml: пункт 4.1: deadline: …». ``user_text`` is all of them, one per line.
    """

    def __init__(self, errors: str | Iterable[str]) -> None:
        self.errors: tuple[str, ...] = (errors,) if isinstance(errors, str) else tuple(errors)
        super().__init__("\n".join(self.errors))


# --- Russian months ------------------------------------------------------------------------------------------

MONTHS_NOMINATIVE: tuple[str, ...] = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
MONTHS_GENITIVE: tuple[str, ...] = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
MONTHS_PREPOSITIONAL: tuple[str, ...] = (
    "январе", "феврале", "марте", "апреле", "мае", "июне",
    "июле", "августе", "сентябре", "октябре", "ноябре", "декабре",
)  # fmt: skip
_MONTH_ABBREVIATIONS: dict[str, int] = {
    "янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7,
    "авг": 8, "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12,
}  # fmt: skip

#: Every form of a month name we understand («октябрь», «октября», «октябре», «окт»), lower case, «ё» as «е».
MONTH_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(MONTHS_NOMINATIVE, 1)},
    **{w: i for i, w in enumerate(MONTHS_GENITIVE, 1)},
    **{w: i for i, w in enumerate(MONTHS_PREPOSITIONAL, 1)},
    **_MONTH_ABBREVIATIONS,
}

FIRST_MONTH = 9  # the programme year starts on 1 September of Y
PROGRAMME_START = (9, 1)
PROGRAMME_END = (5, 31)  # «в течение года» means: by 31 May of Y+1


def month_number(word: str) -> int | None:
    """1–12 for a Russian month name in any form we know, else None."""
    return MONTH_WORDS.get(word.strip().lower().replace("ё", "е").rstrip("."))


def in_first_half(month: int) -> bool:
    """September–December: the part of the programme year that lies in the calendar year Y."""
    return month >= FIRST_MONTH


# --- a day of the year ---------------------------------------------------------------------------------------

_ISO_MD = re.compile(r"^(\d{1,2})-(\d{1,2})$")  # "09-15": month-day, as in the brief's TOML examples
_RU_DM = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?$")  # "15.09": day.month, as Russians write it


@dataclass(frozen=True, order=True)
class MonthDay:
    """A day of the year without a year: 15 September is MonthDay(9, 15). 29 February is allowed and means
    the last day of February in a year that is not a leap year."""

    month: int
    day: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.day <= calendar.monthrange(2000, self.month)[1]:
            raise RoadmapError(f"такой даты нет: {self.day:02d}.{self.month:02d}")

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        """«09-15» (month-day, the file's form) or «15.09» (day.month, as typed)."""
        text = text.strip()
        if m := _ISO_MD.match(text):
            return cls(int(m[1]), int(m[2]))
        if m := _RU_DM.match(text):
            return cls(int(m[2]), int(m[1]))
        raise RoadmapError(f"не понял дату «{text}»: пишите «ММ-ДД» (например, «09-15») или «ДД.ММ» («15.09»)")

    @classmethod
    def end_of(cls, month: int) -> MonthDay:
        return cls(month, 29 if month == 2 else calendar.monthrange(2001, month)[1])

    def in_year(self, year: int) -> date:
        return date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))

    @property
    def iso(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"

    @property
    def ru(self) -> str:
        return f"{self.day:02d}.{self.month:02d}"


def _programme_order(md: MonthDay, before_start: bool) -> tuple[int, int, int]:
    """Sorts days in the order they come in a programme year: preparation, September–December, January–August."""
    if in_first_half(md.month):
        return (1, md.month, md.day)
    return (0 if before_start else 2, md.month, md.day)


def _check_before_start(before_start: bool, months: Iterable[int]) -> None:
    if before_start and all(in_first_half(m) for m in months):
        raise RoadmapError(
            "before_start (до начала учебного года) относится только к срокам с января по август: "
            "сентябрь–декабрь и так в начале учебного года"
        )


# --- deadline specs ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ByDate:
    """«до 15.10»: due on that day; no declared start (in progress from the start of the programme year)."""

    day: MonthDay
    before_start: bool = False

    def __post_init__(self) -> None:
        _check_before_start(self.before_start, (self.day.month,))


@dataclass(frozen=True)
class InMonth:
    """«Август», «май»: during that month, due on its last day."""

    month: int
    before_start: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise RoadmapError(f"месяца с номером {self.month} нет")
        _check_before_start(self.before_start, (self.month,))


@dataclass(frozen=True)
class DateRange:
    """«01.09–15.09», «с 01.09 по 31.05»: from the first day to the last, due on the last."""

    start: MonthDay
    end: MonthDay
    before_start: bool = False

    def __post_init__(self) -> None:
        _check_before_start(self.before_start, (self.start.month, self.end.month))
        if _programme_order(self.start, self.before_start) > _programme_order(self.end, self.before_start):
            raise RoadmapError(
                f"начало {self.start.ru} позже конца {self.end.ru}: в учебном году сентябрь–декабрь идут "
                "раньше января–августа (и подготовка до начала года, если указано before_start)"
            )


WithinKind = Literal["year", "period"]


@dataclass(frozen=True)
class Within:
    """«В течение года» (``year``) or «в течение всего периода реализации» (``period``): from 1 September of Y to
    31 May of Y+1, never overdue before that day."""

    kind: WithinKind = "year"

    def __post_init__(self) -> None:
        if self.kind not in ("year", "period"):
            raise RoadmapError(f"within может быть «year» или «period», а не «{self.kind}»")


@dataclass(frozen=True)
class InMonths:
    """«декабрь, май»: due at the end of each of these months (kept in programme-year order)."""

    months: tuple[int, ...]
    before_start: bool = False

    def __post_init__(self) -> None:
        if len(self.months) < 2:
            raise RoadmapError("в списке месяцев должно быть хотя бы два месяца (один месяц — это month)")
        if len(set(self.months)) != len(self.months):
            raise RoadmapError("месяц повторяется в списке")
        for m in self.months:
            if not 1 <= m <= 12:
                raise RoadmapError(f"месяца с номером {m} нет")
        _check_before_start(self.before_start, self.months)
        ordered = tuple(sorted(self.months, key=lambda m: _programme_order(MonthDay(m, 1), self.before_start)))
        object.__setattr__(self, "months", ordered)


@dataclass(frozen=True)
class Quarterly:
    """«Ежеквартально»: the three quarters of the programme year Sep–Nov, Dec–Feb, Mar–May, due on 30 November,
    the last day of February and 31 May (the summer is no quarter of the programme's work)."""


DeadlineSpec = ByDate | InMonth | DateRange | Within | InMonths | Quarterly

#: (opens, due) of each quarter of the programme year, as (month, day) relative to the year.
QUARTERS: tuple[tuple[MonthDay, MonthDay], ...] = (
    (MonthDay(9, 1), MonthDay(11, 30)),
    (MonthDay(12, 1), MonthDay(2, 29)),
    (MonthDay(3, 1), MonthDay(5, 31)),
)


# --- items, sections, the roadmap ----------------------------------------------------------------------------

NUMBER_RE = re.compile(r"^[1-9]\d?(\.[1-9]\d?){1,3}$")  # «1.1», «4.6», «6.1.1»: two to four parts of 1–99
CONTENT_LIMIT = 1500
RESULT_LIMIT = 500
RESPONSIBLE_LIMIT = 100
RESPONSIBLE_MAX = 10
SECTION_TITLE_LIMIT = 300

#: The usual responsible roles of the seed roadmap, in their canonical spelling; other values are allowed.
RESPONSIBLE_ROLES: tuple[str, ...] = ("Администрация", "Куратор", "Рабочая группа", "Участники ЦМН")


def number_key(number: str) -> tuple[int, ...]:
    """Sort key of an item number: «1.2» < «1.10» < «6.1.1»."""
    return tuple(int(part) for part in number.split("."))


@dataclass(frozen=True)
class Section:
    number: int
    title: str


@dataclass(frozen=True)
class RoadmapItem:
    number: str  # «4.1», «6.1.1»
    section: int  # the number's first part
    content: str
    deadline: DeadlineSpec
    result: str  # the expected result, usually a document: «Приказ директора», «База наставляемых»
    responsible: tuple[str, ...]  # «Администрация», «Куратор», …

    @property
    def sort_key(self) -> tuple[int, ...]:
        return number_key(self.number)


@dataclass(frozen=True)
class Roadmap:
    """Sections in their order and items sorted by number. Built by `load_roadmap`; `with_item` and
    `without_item` give a new roadmap with the curator's own items (validated like the file's)."""

    sections: tuple[Section, ...]
    items: tuple[RoadmapItem, ...]
    title: str = "Дорожная карта внедрения целевой модели наставничества"
    _by_number: dict[str, RoadmapItem] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        errors: list[str] = []
        numbers = [s.number for s in self.sections]
        if len(set(numbers)) != len(numbers):
            errors.append("Номер раздела повторяется.")
        by_number: dict[str, RoadmapItem] = {}
        for item in self.items:
            if item.number in by_number:
                errors.append(f"Пункт {item.number} уже есть в дорожной карте.")
            if item.section not in numbers:
                errors.append(f"Пункт {item.number}: в дорожной карте нет раздела {item.section}.")
            by_number[item.number] = item
        if errors:
            raise RoadmapError(errors)
        object.__setattr__(self, "items", tuple(sorted(self.items, key=lambda i: i.sort_key)))
        object.__setattr__(self, "_by_number", by_number)

    def item(self, number: str) -> RoadmapItem | None:
        return self._by_number.get(number)

    def section(self, number: int) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)

    def items_of(self, section: int) -> tuple[RoadmapItem, ...]:
        return tuple(i for i in self.items if i.section == section)

    def with_item(self, item: RoadmapItem) -> Roadmap:
        """A roadmap with `item` added, or replacing the item of the same number."""
        items = [i for i in self.items if i.number != item.number]
        return Roadmap(self.sections, (*items, item), self.title)

    def without_item(self, number: str) -> Roadmap:
        return Roadmap(self.sections, tuple(i for i in self.items if i.number != number), self.title)


@dataclass(frozen=True)
class ItemState:
    """What the curator has recorded for an item in a programme year: when it was marked done, a note and the
    names of the attached documents. ``reopened`` is a done mark the curator took back (the date is kept)."""

    done_at: date | None = None
    note: str | None = None
    documents: tuple[str, ...] = ()
    reopened: bool = False

    @property
    def effective_done_at(self) -> date | None:
        return None if self.reopened else self.done_at
