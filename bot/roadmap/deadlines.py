"""Deadlines of the roadmap in a given programme year: dates, statuses, reminders, Russian descriptions.

Nothing here reads the clock: the caller passes `today` (a date in the institution's time zone).

Programme year Y runs from 1 September of Y to 31 August of Y+1 (`programme_year_of`). A spec becomes dates by
the rule of `bot.roadmap.model`: September–December → Y, January–August → Y+1, and January–August → Y for
``before_start`` specs (the August preparation). So the seed's «Август» items are due on 31 August of Y, and in
August the curator is already working on the NEXT programme year: `roadmap_year_of` gives the year whose
roadmap to show (from 1 August), `reminder_years` the years a daily job should check.

Checkpoints. Every item has one or more checkpoints, each a period (opens, due):

| spec                  | checkpoints (opens – due)                                                     |
| --------------------- | ----------------------------------------------------------------------------- |
| ByDate «до 15.10»     | 1 Sep Y – 15 Oct (a before-start date opens on the 1st of its month)            |
| InMonth «август»      | 1 Aug – 31 Aug (the whole month)                                              |
| DateRange             | from – to                                                                     |
| Within year/period    | 1 Sep Y – 31 May Y+1                                                          |
| InMonths «декабрь, май» | each month, 1st – last day                                                  |
| Quarterly             | 1 Sep – 30 Nov, 1 Dec – end of Feb, 1 Mar – 31 May (quarters of the programme) |

Status of an item (`status`). A done mark (`done_at`) covers the first checkpoint and every later checkpoint that
had opened by `done_at`: 5.2 marked done on 20 December covers December, not May; marked on 10 May it covers
both. Then the first checkpoint NOT covered decides:
- none left → «done»;
- its due day has passed (today > due) → «overdue» — so the due day itself is still «in_progress»;
- it has opened (opens <= today <= due) → «in_progress»;
- it has not opened yet → «done» if a done mark covers the earlier checkpoints (done for now: 5.2 between
  January and April), else «planned».
So a multi-checkpoint item goes back to «in_progress» when its next checkpoint opens and to «overdue» when that
one passes unmet. ``reopened`` (the curator took the mark back) makes `done_at` count for nothing.
Done marks are per programme year: pass the mark of the same year.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.i18n import tr
from bot.roadmap.model import (
    MONTH_WORDS,
    MONTHS_NOMINATIVE,
    PROGRAMME_END,
    PROGRAMME_START,
    QUARTERS,
    ByDate,
    DateRange,
    DeadlineSpec,
    InMonth,
    InMonths,
    MonthDay,
    Quarterly,
    Roadmap,
    RoadmapError,
    RoadmapItem,
    Section,
    Within,
    in_first_half,
    month_number,
)

Status = Literal["done", "in_progress", "overdue", "planned"]
STATUSES: tuple[Status, ...] = ("done", "in_progress", "overdue", "planned")


class _StatusLabels(Mapping[Status, str]):
    """A status as the curator reads it («выполнено»), from the catalogue (`roadmap-status-…`)."""

    def __getitem__(self, key: Status) -> str:
        if key not in STATUSES:
            raise KeyError(key)
        return tr(f"roadmap-status-{key}")

    def __iter__(self) -> Iterator[Status]:
        return iter(STATUSES)

    def __len__(self) -> int:
        return len(STATUSES)


STATUS_LABELS: Mapping[Status, str] = _StatusLabels()
ReminderKind = Literal["soon", "overdue"]


# --- the programme year --------------------------------------------------------------------------------------


def programme_year_of(today: date) -> int:
    """Y such that `today` is within 1 September Y – 31 August Y+1."""
    return today.year if today.month >= PROGRAMME_START[0] else today.year - 1


def roadmap_year_of(today: date, *, preparation_month: int = 8) -> int:
    """The programme year whose roadmap the curator works on: `programme_year_of(today)`, except from the 1st of
    `preparation_month` (August: the seed's items 1.1–1.6 are due by 31 August of Y) to 31 August, when it is
    already the coming year."""
    year = programme_year_of(today)
    if not in_first_half(today.month) and today.month >= preparation_month:
        return year + 1
    return year


def reminder_years(today: date) -> tuple[int, ...]:
    """The programme years a daily reminder job should pass to `reminders_due` (each with its own done marks):
    the current one, the next (its before-start items fall in this year's summer) and the previous (an item
    due on 31 August is overdue on 1 September)."""
    year = programme_year_of(today)
    return (year - 1, year, year + 1)


def programme_label(programme_year: int) -> str:
    """«2026/2027»."""
    return f"{programme_year}/{programme_year + 1}"


# --- checkpoints ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    opens: date
    due: date


def _year_of(month: int, programme_year: int, before_start: bool) -> int:
    if in_first_half(month) or before_start:
        return programme_year
    return programme_year + 1


def _date(md: MonthDay, programme_year: int, before_start: bool = False) -> date:
    return md.in_year(_year_of(md.month, programme_year, before_start))


def _month_period(month: int, programme_year: int, before_start: bool) -> Checkpoint:
    return Checkpoint(
        _date(MonthDay(month, 1), programme_year, before_start),
        _date(MonthDay.end_of(month), programme_year, before_start),
    )


def periods(spec: DeadlineSpec | RoadmapItem, programme_year: int) -> list[Checkpoint]:
    """The checkpoints of an item (or a bare spec) in that programme year, in date order."""
    if isinstance(spec, RoadmapItem):
        spec = spec.deadline
    start = programme_start(programme_year)
    match spec:
        case ByDate(day=day, before_start=before):
            due = _date(day, programme_year, before)
            return [Checkpoint(start if due >= start else due.replace(day=1), due)]
        case InMonth(month=month, before_start=before):
            return [_month_period(month, programme_year, before)]
        case DateRange(start=first, end=last, before_start=before):
            return [Checkpoint(_date(first, programme_year, before), _date(last, programme_year, before))]
        case Within():
            return [Checkpoint(start, _date(MonthDay(*PROGRAMME_END), programme_year))]
        case InMonths(months=months, before_start=before):
            return [_month_period(m, programme_year, before) for m in months]
        case Quarterly():
            return [Checkpoint(_date(a, programme_year), _date(b, programme_year)) for a, b in QUARTERS]
    raise TypeError(f"not a deadline spec: {spec!r}")


def programme_start(programme_year: int) -> date:
    """1 September of Y."""
    return date(programme_year, *PROGRAMME_START)


def programme_end(programme_year: int) -> date:
    """31 May of Y+1: the end of the programme's work, the due day of «в течение года»."""
    return date(programme_year + 1, *PROGRAMME_END)


def checkpoints(item: RoadmapItem | DeadlineSpec, programme_year: int) -> list[date]:
    """The concrete due dates of the item in that programme year, ascending."""
    return [p.due for p in periods(item, programme_year)]


def window(item: RoadmapItem | DeadlineSpec, programme_year: int) -> tuple[date | None, date]:
    """(start, final due date). The start is the declared one: a range's first day, 1 September for «в течение
    года», the first day of the (first) month for month specs, of the first quarter for quarterly; None for
    «до 15.10», which declares none."""
    spec = item.deadline if isinstance(item, RoadmapItem) else item
    ps = periods(spec, programme_year)
    return (None if isinstance(spec, ByDate) else ps[0].opens, ps[-1].due)


# --- status --------------------------------------------------------------------------------------------------


def _pending(ps: Sequence[Checkpoint], done_at: date | None) -> list[Checkpoint]:
    """The checkpoints a done mark on `done_at` does not cover (see the module's doc)."""
    if done_at is None:
        return list(ps)
    return [p for k, p in enumerate(ps) if k > 0 and p.opens > done_at]


def status(
    item: RoadmapItem | DeadlineSpec,
    programme_year: int,
    today: date,
    done_at: date | None,
    reopened: bool = False,
) -> Status:
    """«done», «in_progress», «overdue» or «planned» on `today`; the rules are in the module's doc."""
    if reopened:
        done_at = None
    pending = _pending(periods(item, programme_year), done_at)
    if not pending:
        return "done"
    following = pending[0]
    if today > following.due:
        return "overdue"
    if today >= following.opens:
        return "in_progress"
    return "done" if done_at is not None else "planned"


def next_checkpoint(item: RoadmapItem, programme_year: int, done_at: date | None) -> date | None:
    """The due date of the first checkpoint a done mark does not cover (None when all are covered)."""
    pending = _pending(periods(item, programme_year), done_at)
    return pending[0].due if pending else None


def reminders_due(
    items: Iterable[RoadmapItem],
    programme_year: int,
    today: date,
    done: Mapping[str, date],
    days_before: int,
) -> list[tuple[RoadmapItem, date, ReminderKind]]:
    """(item, checkpoint, kind) to send today, for checkpoints not covered by the item's done mark:
    «soon» when the checkpoint is exactly `days_before` days ahead, «overdue» when it was yesterday (it passed
    today). Exact days, so a daily job sends each once; the caller still dedups by (item, checkpoint, kind)
    to survive a restart or a second run. Sorted by checkpoint, then item number."""
    if days_before < 0:
        raise ValueError("days_before must be >= 0")
    soon_day = today + timedelta(days=days_before)
    yesterday = today - timedelta(days=1)
    result: list[tuple[RoadmapItem, date, ReminderKind]] = []
    for item in items:
        for p in _pending(periods(item, programme_year), done.get(item.number)):
            if p.due == soon_day:
                result.append((item, p.due, "soon"))
            if p.due == yesterday:
                result.append((item, p.due, "overdue"))
    result.sort(key=lambda r: (r[1], r[0].sort_key, r[2]))
    return result


def section_progress(
    roadmap: Roadmap, programme_year: int, today: date, done: Mapping[str, date]
) -> list[tuple[Section, dict[str, int]]]:
    """For every section in order (also empty ones): how many items are done / in_progress / overdue / planned."""
    result: list[tuple[Section, dict[str, int]]] = []
    for section in roadmap.sections:
        counts = dict.fromkeys(STATUSES, 0)
        for item in roadmap.items_of(section.number):
            counts[status(item, programme_year, today, done.get(item.number))] += 1
        result.append((section, counts))
    return result


# --- Russian descriptions ------------------------------------------------------------------------------------


def _d(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def _month_year(day: date) -> str:
    return f"{MONTHS_NOMINATIVE[day.month - 1]} {day.year}"


def _join_ru(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else tr("roadmap-deadline-and", first=", ".join(parts[:-1]), last=parts[-1])


def describe_deadline(item: RoadmapItem | DeadlineSpec, programme_year: int) -> str:
    """The deadline in Russian for that year: «до 15.10.2026», «август 2026 (до 31.08.2026)», «01.09–15.09.2026»,
    «01.09.2026–31.05.2027», «в течение года (до 31.05.2027)», «декабрь 2026 и май 2027»,
    «ежеквартально: 30.11.2026, 28.02.2027, 31.05.2027»."""
    spec = item.deadline if isinstance(item, RoadmapItem) else item
    ps = periods(spec, programme_year)
    match spec:
        case ByDate():
            return tr("roadmap-deadline-by", day=_d(ps[0].due))
        case InMonth():
            return tr("roadmap-deadline-month", month=_month_year(ps[0].due), day=_d(ps[0].due))
        case DateRange():
            first, last = ps[0].opens, ps[0].due
            if first == last:
                return _d(last)
            if first.year == last.year:
                return f"{first:%d.%m}–{_d(last)}"
            return f"{_d(first)}–{_d(last)}"
        case Within(kind="period"):
            return tr("roadmap-deadline-period", day=_d(ps[0].due))
        case Within():
            return tr("roadmap-deadline-year", day=_d(ps[0].due))
        case InMonths():
            return _join_ru([_month_year(p.due) for p in ps])
        case Quarterly():
            return tr("roadmap-deadline-quarterly", days=", ".join(_d(p.due) for p in ps))
    raise TypeError(f"not a deadline spec: {spec!r}")


def spec_text(spec: DeadlineSpec) -> str:
    """The deadline without a year, as the curator would type it: «до 15.10», «октябрь», «01.09–15.09»,
    «в течение года», «декабрь и май», «ежеквартально»; «(до начала учебного года)» marks before_start."""
    match spec:
        case ByDate(day=day):
            text = tr("roadmap-spec-by", day=day.ru)
        case InMonth(month=month):
            text = MONTHS_NOMINATIVE[month - 1]
        case DateRange(start=first, end=last):
            text = f"{first.ru}–{last.ru}"
        case Within(kind="period"):
            text = tr("roadmap-spec-period")
        case Within():
            text = tr("roadmap-spec-year")
        case InMonths(months=months):
            text = _join_ru([MONTHS_NOMINATIVE[m - 1] for m in months])
        case Quarterly():
            text = tr("roadmap-spec-quarterly")
        case _:
            raise TypeError(f"not a deadline spec: {spec!r}")
    if getattr(spec, "before_start", False):
        text = tr("roadmap-spec-before-start", deadline=text)
    return text


# --- the curator's text --------------------------------------------------------------------------------------

_MONTH_ALT = "|".join(sorted(MONTH_WORDS, key=len, reverse=True))
_YEAR = r"(?:\s*(\d{4})(?:\s*(?:г|года?))?\.?)?"
_DATE_TOKEN = rf"(?:(\d{{1,2}})\.(\d{{1,2}})(?:\.(\d{{4}}|\d{{2}}))?\.?|(\d{{1,2}})\s+({_MONTH_ALT})\.?{_YEAR})"
_DATE_RE = re.compile(rf"^{_DATE_TOKEN}$")
_BY_DATE_RE = re.compile(r"^(?:(?:до|к|не позднее|по)\s+)?(?P<day>.+?)(?:\s+включительно)?$")
_RANGE_RE = re.compile(r"^(?:с\s+)?(?P<a>.+?)\s*(?:-|\s(?:по|до)\s)\s*(?P<b>.+)$")
_MONTH_RE = re.compile(rf"^(?:(?:в|в течение|до конца|к концу|не позднее конца|конец)\s+)?({_MONTH_ALT})\.?{_YEAR}$")
_BEFORE_START_RE = re.compile(
    r"[\s,;]*\(?\s*(?:до|перед)\s+начал(?:а|ом)\s+(?:учебного\s+|программного\s+)?года\s*\)?$"
)
_WITHIN_RE = re.compile(r"^(?:в\s+течени[еия]|на\s+протяжении|весь|в\s+продолжение)\b(.*)$")
_QUARTERLY_RE = re.compile(r"^(?:ежеквартально|поквартально|(?:раз\s+в|каждый)\s+квартал)$")
_LIST_SPLIT = re.compile(r"\s*(?:,|;|\sи\s|\+)\s*")


@dataclass(frozen=True)
class _Day:
    md: MonthDay
    year: int | None
    text: str


@dataclass(frozen=True)
class _Month:
    month: int
    year: int | None


def _normalize(text: str) -> str:
    text = text.lower().replace("ё", "е").replace("\u00a0", " ")
    text = re.sub(r"[‐‑‒–—―−]", "-", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(".!").strip()


def _full_year(raw: str | None) -> int | None:
    if raw is None:
        return None
    year = int(raw)
    return year + 2000 if year < 100 else year


def _parse_day(text: str) -> _Day | None:
    m = _DATE_RE.match(text.strip())
    if not m:
        return None
    if m[1] is not None:
        day, month, year = int(m[1]), int(m[2]), _full_year(m[3])
    else:
        day, month, year = int(m[4]), MONTH_WORDS[m[5]], _full_year(m[6])
    shown = f"{day:02d}.{month:02d}" + (f".{year}" if year else "")
    try:
        md = MonthDay(month, day)
    except RoadmapError:
        raise RoadmapError(tr("roadmap-error-no-such-date", day=shown)) from None
    if year is not None:
        try:
            date(year, month, day)
        except ValueError:
            raise RoadmapError(tr("roadmap-error-no-such-date", day=shown)) from None
    return _Day(md, year, shown)


def _parse_month(text: str) -> _Month | None:
    m = _MONTH_RE.match(text.strip())
    if not m:
        return None
    month = month_number(m[1])
    assert month is not None
    return _Month(month, _full_year(m[2]))


def _before_start_from_years(
    found: Sequence[tuple[int, int | None, str]], programme_year: int | None, before_start: bool
) -> bool:
    """Check typed years against the programme year; returns the before_start flag the spec gets.

    `found` is (month, year or None, text for a message) for every day or month typed."""
    typed = [(month, year, shown) for month, year, shown in found if year is not None]
    if not typed:
        return before_start
    if programme_year is None:
        raise RoadmapError(tr("roadmap-error-year-not-expected"))
    label = programme_label(programme_year)
    flags: set[bool] = set()
    for month, year, shown in typed:
        if in_first_half(month):
            if year != programme_year:
                raise RoadmapError(_out_of_programme(shown, programme_year, label))
        elif year == programme_year:
            flags.add(True)
        elif year == programme_year + 1:
            flags.add(False)
        else:
            raise RoadmapError(_out_of_programme(shown, programme_year, label))
    if len(flags) > 1:
        raise RoadmapError(tr("roadmap-error-too-long", what=" – ".join(shown for _, _, shown in found)))
    if before_start and flags == {False}:
        raise RoadmapError(tr("roadmap-error-before-start-conflict", what=typed[0][2], year=str(programme_year)))
    return before_start or flags == {True}


def _out_of_programme(shown: str, programme_year: int, label: str) -> str:
    return tr(
        "roadmap-error-out-of-year", what=shown, label=label, first=str(programme_year), last=str(programme_year + 1)
    )


def _month_shown(m: _Month) -> str:
    return MONTHS_NOMINATIVE[m.month - 1] + (f" {m.year}" if m.year else "")


def parse_deadline_text(text: str, programme_year: int | None = None) -> DeadlineSpec:
    """A deadline spec from what the curator typed; RoadmapError with a friendly Russian text otherwise.

    Understood: «до 15.10», «15.10», «к 15 октября»; «октябрь», «в октябре», «до конца октября»;
    «01.09–15.09», «с 01.09 по 31.05», «с 1 по 15 сентября», «сентябрь–октябрь»; «декабрь и май», «декабрь,
    май»; «ежеквартально»; «в течение года» («в течении года»), «в течение всего периода реализации».
    A trailing «(до начала учебного года)» puts the January–August days in the preparation before the year
    (before_start).

    Years are optional. They are accepted only with `programme_year` (the year the curator is editing) and must
    fall in it; a January–August day of Y itself means before_start («15.08.2026» for 2026/2027).
    """
    source = _normalize(text)
    before_start = False
    if m := _BEFORE_START_RE.search(source):
        before_start = True
        source = source[: m.start()].strip(" ,;")
    if not source:
        raise RoadmapError(tr("roadmap-error-help"))

    if _QUARTERLY_RE.match(source):
        return _no_flag(Quarterly(), before_start)
    if m := _WITHIN_RE.match(source):
        rest = m[1]
        if "период" in rest or "реализац" in rest:
            return _no_flag(Within("period"), before_start)
        if re.search(r"(?:^|\s)(?:всего\s+|учебного\s+)?года\b", rest):
            return _no_flag(Within("year"), before_start)

    if (m := _BY_DATE_RE.match(source)) and (day := _parse_day(m["day"])) is not None:
        flag = _before_start_from_years([(day.md.month, day.year, day.text)], programme_year, before_start)
        return _make(lambda: ByDate(day.md, flag))

    if (month := _parse_month(source)) is not None:
        flag = _before_start_from_years([(month.month, month.year, _month_shown(month))], programme_year, before_start)
        return _make(lambda: InMonth(month.month, flag))

    if m := _RANGE_RE.match(source):
        a, b = m["a"].strip(), m["b"].strip()
        last = _parse_day(b)
        first = _parse_day(a)
        if first is None and last is not None and re.fullmatch(r"\d{1,2}", a):  # «с 1 по 15 сентября»
            first = _parse_day(f"{a}.{last.md.month}" + (f".{last.year}" if last.year else ""))
        if first is not None and last is not None:
            found = [(first.md.month, first.year, first.text), (last.md.month, last.year, last.text)]
            flag = _before_start_from_years(found, programme_year, before_start)
            return _make(lambda: DateRange(first.md, last.md, flag), f"{first.text}–{last.text}")
        m_first, m_last = _parse_month(a), _parse_month(b)
        if m_first is not None and m_last is not None:
            names = (_month_shown(m_first), _month_shown(m_last))
            found = [(m_first.month, m_first.year, names[0]), (m_last.month, m_last.year, names[1])]
            flag = _before_start_from_years(found, programme_year, before_start)
            return _make(
                lambda: DateRange(MonthDay(m_first.month, 1), MonthDay.end_of(m_last.month), flag),
                f"{names[0]}–{names[1]}",
            )

    parts = [p for p in _LIST_SPLIT.split(source) if p]
    if len(parts) > 1:
        parsed = [_parse_month(p) for p in parts]
        months = [x for x in parsed if x is not None]
        if len(months) == len(parts):
            if len({x.month for x in months}) != len(months):
                raise RoadmapError(tr("roadmap-error-month-repeats"))
            found = [(x.month, x.year, _month_shown(x)) for x in months]
            flag = _before_start_from_years(found, programme_year, before_start)
            return _make(lambda: InMonths(tuple(x.month for x in months), flag))
    raise RoadmapError(tr("roadmap-error-help"))


def _no_flag(spec: DeadlineSpec, before_start: bool) -> DeadlineSpec:
    if before_start:
        raise RoadmapError(tr("roadmap-error-before-start-summer"))
    return spec


def _make(build: Callable[[], DeadlineSpec], what: str = "") -> DeadlineSpec:
    """Build a spec, turning the model's errors into the curator's wording."""
    try:
        return build()
    except RoadmapError as exc:
        message = str(exc)
        if message.startswith("начало"):
            raise RoadmapError(tr("roadmap-error-backwards", what=what)) from None
        if message.startswith("before_start"):
            raise RoadmapError(tr("roadmap-error-before-start-summer")) from None
        raise RoadmapError(message[:1].upper() + message[1:] + ".") from None
