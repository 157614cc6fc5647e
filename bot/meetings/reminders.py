"""When reminders and check-ins go out, and how moments are written for people.

Offsets are exact durations: a "24h" reminder goes out 24 real hours before the meeting, so across a DST
change its wall-clock time differs from the meeting's by an hour (and the text «через 24 часа» stays true).

Quiet hours are the institution's night on its wall clock; nothing planned here ever lands in them:
- a reminder that falls into quiet hours moves to the END of that quiet period;
- if that end is not before the meeting (the quiet period covers the meeting start itself, e.g. a 07:45
  meeting with quiet hours 21:00-08:00), it is PULLED BACK to the last minute before the quiet period
  began (20:59 the evening before);
- reminders keep the order of their offsets: one that would not come strictly after the reminder of a
  larger offset (two that collapse into the same moment, typically the end of the night) is DROPPED and
  the larger offset wins.
Because a moved reminder no longer goes out exactly `offset` before the meeting, its text should be built
from the real remaining time: `format_relative(start_utc - send_at)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from bot.i18n import tr
from bot.meetings.timeparse import QuietHours, duration_words, format_moment, require_aware

Due = Literal["wait", "send", "missed"]


def shift_out_of_quiet(when_utc: datetime, quiet: QuietHours | None, tz: ZoneInfo | tzinfo) -> datetime:
    """`when_utc` if it is outside quiet hours (or there are none), else the end of that quiet period (UTC).

    For anything sent to children on the bot's own initiative: check-ins, nudges, campaign messages.
    """
    require_aware(when_utc)
    when_utc = when_utc.astimezone(UTC)
    if quiet is None:
        return when_utc
    return quiet.shift_out(when_utc, tz)


def reminder_times(
    start_utc: datetime,
    offsets: Iterable[timedelta],
    quiet: QuietHours | None,
    tz: ZoneInfo | tzinfo,
    *,
    not_before: datetime | None = None,
) -> list[tuple[timedelta, datetime]]:
    """(offset, send time in UTC) for each reminder of a meeting, sorted by send time (largest offset first).

    See the module docstring for the quiet-hours rules. Every send time is outside quiet hours and strictly
    before `start_utc`; send times strictly increase. `not_before` (typically the moment the meeting was
    scheduled) drops reminders whose slot or send time is before it: a meeting set for in 40 minutes gets no
    "1 hour before" reminder.
    """
    require_aware(start_utc)
    start_utc = start_utc.astimezone(UTC)
    if not_before is not None:
        require_aware(not_before)
    unique = sorted(set(offsets), reverse=True)
    if any(offset <= timedelta(0) for offset in unique):
        raise ValueError(f"reminder offsets must be positive, got {unique}")
    planned: list[tuple[timedelta, datetime]] = []
    last: datetime | None = None
    for offset in unique:
        slot = start_utc - offset
        if not_before is not None and slot < not_before:
            continue
        send_at = slot
        if quiet is not None and quiet.is_quiet(send_at, tz):
            send_at = quiet.shift_out(send_at, tz)
            if send_at >= start_utc:
                send_at = quiet.last_free_before(start_utc, tz)
        if not_before is not None and send_at < not_before:
            continue
        if last is not None and send_at <= last:
            continue  # collapsed into (or behind) the reminder of a larger offset: that one is enough
        planned.append((offset, send_at))
        last = send_at
    return planned


def due(planned: datetime, now: datetime, grace: timedelta) -> Due:
    """Whether a planned message goes out now.

    "wait" before `planned`; "send" from `planned` until `grace` after it (a reminder that came due while
    the bot was down still goes out); "missed" later than that. The bounds are inclusive: at exactly
    `planned` it is "send", at exactly `planned + grace` still "send".
    """
    require_aware(planned, now)
    if now < planned:
        return "wait"
    return "send" if now - planned <= grace else "missed"


def checkin_time(start_utc: datetime, after: timedelta, quiet: QuietHours | None, tz: ZoneInfo | tzinfo) -> datetime:
    """When to ask "did the meeting take place?": `after` the start, moved out of quiet hours (next morning)."""
    if after < timedelta(0):
        raise ValueError(f"check-in delay must not be negative, got {after}")
    return shift_out_of_quiet(start_utc + after, quiet, tz)


def format_local(dt_utc: datetime, tz: ZoneInfo | tzinfo) -> str:
    """A meeting's time as every participant's text shows it, on the institution's wall clock: «25.09.2026 16:30».

    One format for every time a person sees (the invitation, reminders, check-ins, the menu, the list).
    """
    return format_moment(dt_utc, tz)


def format_relative(offset: timedelta) -> str:
    """«через 24 часа», «через 1 час», «через 2 минуты», «через 1 час 30 минут», «через 3 дня»; 0 -> «сейчас»."""
    if offset < timedelta(0):
        raise ValueError(f"negative offset: {offset}")
    if offset < timedelta(seconds=1):
        return tr("relative-now")
    return tr("relative-in", duration=duration_words(offset))
