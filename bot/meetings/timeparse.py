"""Parsing and checking times: settings values (durations, offsets, quiet hours) and what people type.

Settings parsers raise `ValueError` with an English message (they end up in a settings error line).
Parsers of chat input raise `InvalidInput` naming a catalogue message, rendered for whoever typed it.

Conventions of the whole `bot.meetings` package:
- moments are timezone-aware `datetime`s in UTC; the institution's zone is passed as a `ZoneInfo`;
- nothing reads the system clock: the caller passes `now` / `today`;
- a wall-clock time that does not exist (the spring-forward gap of a DST zone) is shifted forward by the
  length of the gap (02:30 -> 03:30), and an ambiguous one (the autumn fold) means its first occurrence:
  the PEP 495 `fold=0` rule, the same as `java.time.ZonedDateTime.of`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot.errors import AppError
from bot.i18n import Audience, tr

# --- errors ------------------------------------------------------------------------------------------


class InvalidInput(AppError, ValueError):
    """Something a person typed that we cannot use: a catalogue message id and its values.

    The handler renders it for the person it answers (`text(audience)`: «Напиши…» to a pupil, «Напишите…» to
    an adult); `user_text` is the adults' wording, for the generic error handler.
    """

    def __init__(self, msg_id: str, **values: object) -> None:
        self.msg_id = msg_id
        self.values = values
        super().__init__(self.text(Audience.ADULT))

    def text(self, audience: Audience) -> str:
        return tr(self.msg_id, audience=audience, **self.values)


# --- Russian words ------------------------------------------------------------------------------------

MONTHS_GENITIVE: tuple[str, ...] = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
MONTHS_NOMINATIVE: tuple[str, ...] = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip


def _count(n: int, unit: str) -> str:
    """«1 день», «2 часа», «5 минут» (accusative after «через» / «на»: «через 1 минуту»)."""
    return tr("duration-part", n=n, unit=unit)


def duration_words(delta: timedelta) -> str:
    """A duration in Russian words, in the accusative that follows «через» / «на»: «24 часа», «1 час 30 минут».

    Under a minute it is seconds; from a minute on it is rounded to the nearest minute; hours are used up to
    48 hours («24 часа», «36 часов»), days from there on («3 дня 2 часа»). Zero parts are left out.
    """
    if delta < timedelta(0):
        raise ValueError(f"negative duration: {delta}")
    seconds = delta.total_seconds()
    if seconds < 59.5:
        return _count(round(seconds), "second")
    minutes_total = int((seconds + 30) // 60)
    hours_total, minutes = divmod(minutes_total, 60)
    if hours_total == 0:
        return _count(minutes, "minute")
    parts: list[str] = []
    if hours_total < 48:
        parts.append(_count(hours_total, "hour"))
    else:
        days, hours = divmod(hours_total, 24)
        parts.append(_count(days, "day"))
        if hours:
            parts.append(_count(hours, "hour"))
    if minutes:
        parts.append(_count(minutes, "minute"))
    return " ".join(parts)


def format_date(day: date) -> str:
    """A date as every chat text shows it: «25.09.2026»."""
    return day.strftime("%d.%m.%Y")


def format_moment(moment: datetime, tz: ZoneInfo | tzinfo) -> str:
    """A moment as every chat text shows it, on the institution's wall clock: «25.09.2026 16:30»."""
    require_aware(moment)
    return moment.astimezone(tz).strftime("%d.%m.%Y %H:%M")


# --- settings: durations, offsets, quiet hours --------------------------------------------------------

_DURATION_RE = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


def parse_duration(text: str) -> timedelta:
    """A duration from settings: "24h", "90m", "1d", "1h30m", "45s" (units d, h, m, s in this order).

    Spaces between parts and upper case are allowed ("1H 30M"); a bare number is rejected because its unit
    would be a guess. Zero ("0m") is a valid duration.
    """
    raw = str(text)
    compact = re.sub(r"\s+", "", raw).lower()
    if not compact:
        raise ValueError("empty duration: write it like 24h, 90m, 1d or 1h30m")
    if compact.isdigit():
        raise ValueError(f"{raw.strip()!r} has no unit: write it like {compact}m or {compact}h")
    match = _DURATION_RE.fullmatch(compact)
    if not match or not any(match.groups()):
        raise ValueError(
            f"{raw.strip()!r} is not a duration: use numbers with units d, h, m, s in this order, "
            f"like 24h, 90m, 1d or 1h30m"
        )
    days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    try:
        return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        raise ValueError(f"{raw.strip()!r} is too long a duration") from None


def parse_offsets(text: str) -> tuple[timedelta, ...]:
    """Reminder offsets from settings, "24h,1h": unique, sorted from the largest; "" -> () (no reminders).

    Every offset must be positive (a reminder "0m before" would come with the meeting itself).
    Empty items between commas are ignored ("24h, 1h," is fine).
    """
    offsets: set[timedelta] = set()
    for part in str(text or "").replace(";", ",").split(","):
        if not part.strip():
            continue
        offset = parse_duration(part)
        if offset <= timedelta(0):
            raise ValueError(f"reminder offset {part.strip()!r} must be positive")
        offsets.add(offset)
    return tuple(sorted(offsets, reverse=True))


_CLOCK_RE = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def _strict_clock(text: str, what: str) -> time:
    match = _CLOCK_RE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"{what} {text.strip()!r} is not a time of day: use HH:MM, like 21:00")
    return time(int(match.group(1)), int(match.group(2)))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _wall_candidates(days: Iterable[date], at: time, tz: tzinfo) -> Iterator[datetime]:
    """Every UTC instant whose local reading is `at` on one of `days`, both readings of a DST fold included.

    A wall time inside a DST gap yields its two PEP 495 interpretations (shifted forward and backward by the
    gap); callers check what they need (quiet or not, before or after) on the result.
    """
    for day in days:
        for fold in (0, 1):
            yield datetime.combine(day, at, tzinfo=tz).replace(fold=fold).astimezone(UTC)


@dataclass(frozen=True)
class QuietHours:
    """A daily period without messages to children, on the institution's wall clock: [start, end).

    `start` > `end` wraps midnight (21:00-08:00). The start minute is quiet, the end minute is not.
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("quiet hours are wall-clock times without a time zone")
        if self.start == self.end:
            raise ValueError("quiet hours start and end at the same time: leave the value empty to switch them off")

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def wraps_midnight(self) -> bool:
        return self.start > self.end

    def contains(self, local: time | datetime) -> bool:
        """Whether a local wall-clock time (or the time of a local datetime) is quiet."""
        at = local.time() if isinstance(local, datetime) else local.replace(tzinfo=None)
        if self.wraps_midnight:
            return at >= self.start or at < self.end
        return self.start <= at < self.end

    def is_quiet(self, moment: datetime, tz: tzinfo) -> bool:
        """Whether an aware moment is quiet on the wall clock of `tz`."""
        return self.contains(moment.astimezone(tz))

    def end_after(self, local_dt: datetime) -> datetime:
        """The end of the quiet period that contains `local_dt`; `local_dt` itself when it is not quiet.

        A naive `local_dt` is treated as a pure wall-clock reading and a naive result is returned. An aware
        one (in the institution's zone) gives an aware result in the same zone that is later than
        `local_dt` as an instant, even across a DST fold; an end that falls into a DST gap is shifted
        forward by the gap (see the module docstring).
        """
        if not self.contains(local_dt):
            return local_dt
        if local_dt.tzinfo is None:
            day = local_dt.date()
            if self.wraps_midnight and local_dt.time() >= self.start:
                day += timedelta(days=1)
            return datetime.combine(day, self.end)
        zone = local_dt.tzinfo
        return self._next_end_utc(_utc(local_dt), zone).astimezone(zone)

    def start_before(self, local_dt: datetime) -> datetime:
        """The start of the quiet period that contains `local_dt` (wall-clock reading, same zone as given)."""
        if not self.contains(local_dt):
            raise ValueError(f"{local_dt} is not in quiet hours {self}")
        day = local_dt.date()
        if self.wraps_midnight and local_dt.time() < self.end:
            day -= timedelta(days=1)
        return datetime.combine(day, self.start, tzinfo=local_dt.tzinfo)

    # --- instants (UTC) ---

    def _next_end_utc(self, moment: datetime, tz: tzinfo) -> datetime:
        """The earliest not-quiet instant at a wall-clock `end` after the quiet instant `moment`."""
        local_day = moment.astimezone(tz).date()
        days = tuple(local_day + timedelta(days=k) for k in range(4))
        found = [c for c in _wall_candidates(days, self.end, tz) if c > moment and not self.is_quiet(c, tz)]
        if not found:  # pragma: no cover - would need a zone that skips whole days
            raise ValueError(f"no end of quiet hours {self} found after {moment}")
        return min(found)

    def shift_out(self, moment: datetime, tz: tzinfo) -> datetime:
        """`moment` if it is not quiet, else the end of its quiet period (UTC in, UTC out)."""
        if not self.is_quiet(moment, tz):
            return moment
        return self._next_end_utc(moment, tz)

    def last_free_before(self, moment: datetime, tz: tzinfo, *, margin: timedelta = timedelta(minutes=1)) -> datetime:
        """The latest not-quiet instant before `moment`: `margin` before a start of quiet hours (UTC).

        Used to pull a reminder back to the evening before when the quiet period covers the meeting itself.
        """
        local_day = moment.astimezone(tz).date()
        days = tuple(local_day - timedelta(days=k) for k in range(4))
        found = [
            c - margin
            for c in _wall_candidates(days, self.start, tz)
            if c - margin < moment and not self.is_quiet(c - margin, tz)
        ]
        if not found:  # pragma: no cover - would need a zone that skips whole days
            raise ValueError(f"no time outside quiet hours {self} found before {moment}")
        return max(found)


_QUIET_OFF = {"", "off", "none", "no", "false", "0", "-"}


def parse_quiet_hours(text: str) -> QuietHours | None:
    """Quiet hours from settings: "21:00-08:00" (wraps midnight), "22:30-07:15"; "" / "off" -> None."""
    raw = str(text or "").strip()
    if raw.lower() in _QUIET_OFF:
        return None
    parts = re.split(r"\s*[-–—]\s*", raw)
    if len(parts) != 2:
        raise ValueError(f"quiet hours {raw!r} must look like 21:00-08:00 (or be empty to switch them off)")
    return QuietHours(_strict_clock(parts[0], "quiet hours start"), _strict_clock(parts[1], "quiet hours end"))


# --- chat input: times and dates ----------------------------------------------------------------------


def _normalize(text: str) -> str:
    text = str(text).strip().lower().replace("ё", "е")
    return re.sub(r"\s+", " ", text)


_HOURS_WORD = r"(?:ч|час|часа|часов|h)\.?"
_MINUTES_WORD = r"(?:м|мин|минут|минуты|минута|m)\.?"
_CLOCK_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 16:30, 16.30, 16,30, 16-30, 16ч30, 16 ч 30 мин, 16h30, 9 30
    re.compile(rf"(\d{{1,2}})\s*(?:[:.,\-]|{_HOURS_WORD}|\s)\s*(\d{{2}})(?:\s*{_MINUTES_WORD})?"),
    # 1630, 930, 0930
    re.compile(r"(\d{1,2})(\d{2})"),
    # 16, 16 ч, 9 часов, 16:00 written as an hour only
    re.compile(rf"(\d{{1,2}})()(?:\s*{_HOURS_WORD})?"),
)


def parse_clock_time(text: str) -> time:
    """A time of day typed in chat: «16:30», «16.30», «1630», «930», «9:05», «9 30», «16», «в 16 ч 30 мин».

    Minutes are always two digits («9:5» is refused: 9:05 or 9:50?). A leading «в»/«к» is allowed.
    """
    normalized = re.sub(r"^(?:в|к)\s*", "", _normalize(text))
    for pattern in _CLOCK_PATTERNS:
        match = pattern.fullmatch(normalized)
        if match:
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
            if hour > 23 or minute > 59:
                raise InvalidInput("time-out-of-range")
            return time(hour, minute)
    raise InvalidInput("time-help")


def _month_from_word(word: str) -> int | None:
    """1..12 for a Russian month name (genitive, nominative or a prefix of 3+ letters: «сент», «дек.»)."""
    word = word.rstrip(".")
    if len(word) < 3:
        return None
    months = {
        number
        for number, names in enumerate(zip(MONTHS_GENITIVE, MONTHS_NOMINATIVE, strict=True), start=1)
        if any(name.startswith(word) for name in names)
    }
    return months.pop() if len(months) == 1 else None


_RELATIVE_DAYS = {"сегодня": 0, "завтра": 1, "послезавтра": 2}
_YEAR_SUFFIX = r"(?:\s*г(?:\.|ода?)?)?"
_NUMERIC_DATE_RE = re.compile(rf"(\d{{1,2}})[./\-](\d{{1,2}})(?:[./\-](\d{{4}}|\d{{2}}))?\.?{_YEAR_SUFFIX}")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORD_DATE_RE = re.compile(rf"(\d{{1,2}})\s*([а-я]+\.?)(?:\s+(\d{{4}}))?{_YEAR_SUFFIX}")


def _resolve_date(day: int, month: int, year: int | None, today: date, shown: str) -> date:
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            raise InvalidInput("date-does-not-exist", day=shown) from None
    # no year: the next such date on or after today (29.02 waits for a leap year)
    for candidate_year in range(today.year, today.year + 9):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise InvalidInput("date-does-not-exist", day=shown)


def parse_local_date(text: str, today: date) -> date:
    """A date typed in chat, in the institution's calendar: «25.09», «25.09.2026», «25.09.26», «25 сентября»,
    «25 сент. 2026 г.», «2026-09-25», «сегодня», «завтра», «послезавтра».

    A date without a year is the next such date on or after `today`. A date with a year is returned as
    typed even if it is in the past (`validate_meeting_time` says so in its own words).
    """
    normalized = _normalize(text).removeprefix("на ").strip()
    if normalized in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[normalized])
    if match := _ISO_DATE_RE.fullmatch(normalized):
        year, month, day = (int(g) for g in match.groups())
        return _resolve_date(day, month, year, today, f"{day:02d}.{month:02d}.{year}")
    if match := _NUMERIC_DATE_RE.fullmatch(normalized):
        day, month = int(match.group(1)), int(match.group(2))
        year_text = match.group(3)
        year = None if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            raise InvalidInput("date-does-not-exist", day=f"{day:02d}.{month:02d}")
        return _resolve_date(day, month, year, today, f"{day:02d}.{month:02d}" + (f".{year}" if year else ""))
    if match := _WORD_DATE_RE.fullmatch(normalized):
        month_number = _month_from_word(match.group(2))
        if month_number is not None:
            day = int(match.group(1))
            year = int(match.group(3)) if match.group(3) else None
            shown = f"{day} {MONTHS_GENITIVE[month_number - 1]}" + (f" {year}" if year else "")
            if not 1 <= day <= 31:
                raise InvalidInput("date-does-not-exist", day=shown)
            return _resolve_date(day, month_number, year, today, shown)
    raise InvalidInput("date-help")


def combine_local(day: date, at: time, tz: ZoneInfo | tzinfo) -> datetime:
    """The UTC instant of a wall-clock reading `day` `at` in `tz`.

    DST gap (the reading does not exist): shifted forward by the gap, 02:30 -> 03:30 local.
    DST fold (the reading happens twice): the first occurrence.
    """
    return datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz).replace(fold=0).astimezone(UTC)


def require_aware(*moments: datetime) -> None:
    """Programming errors, not user errors: the domain only takes timezone-aware datetimes."""
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment!r}: pass timezone-aware UTC datetimes")


def validate_meeting_time(
    start_utc: datetime,
    now_utc: datetime,
    tz: ZoneInfo | tzinfo,
    *,
    earliest: timedelta = timedelta(minutes=15),
    latest: timedelta = timedelta(days=120),
) -> None:
    """Refuse a meeting in the past, sooner than `earliest` from now, or further than `latest` ahead.

    Both bounds are inclusive: exactly `earliest` or exactly `latest` from now is accepted.
    """
    require_aware(start_utc, now_utc)
    ahead = start_utc - now_utc
    if ahead <= timedelta(0):
        raise InvalidInput("meeting-in-past")
    if ahead < earliest:
        # The first whole minute that is far enough ahead, on the institution's clock.
        first = now_utc + earliest
        if first.second or first.microsecond:
            first = first.replace(second=0, microsecond=0) + timedelta(minutes=1)
        same_day = first.astimezone(tz).date() == now_utc.astimezone(tz).date()
        raise InvalidInput(
            "meeting-too-soon",
            earliest=duration_words(earliest),
            at=f"{first.astimezone(tz):%H:%M}" if same_day else format_moment(first, tz),
        )
    if ahead > latest:
        limit = (now_utc + latest).astimezone(tz).date()
        raise InvalidInput("meeting-too-far", latest=duration_words(latest), until=format_date(limit))
