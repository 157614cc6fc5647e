"""A date and a time typed in one message («25.09 16:30», «завтра в 17:00», «25 сентября 16.30»)."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from bot.meetings.timeparse import (
    InvalidInput,
    combine_local,
    parse_clock_time,
    parse_local_date,
    validate_meeting_time,
)

# The time is the last token: «16:30», «16.30», «в 16:30», «1630».
_SPLIT = re.compile(r"^(?P<date>.+?)[\s,]+(?:в\s+|к\s+)?(?P<time>\d{1,2}(?:[:.\-]\d{2})?|\d{3,4})$", re.IGNORECASE)


def parse_when(text: str, now: datetime, tz: tzinfo) -> datetime:
    """The UTC moment of a local date and time typed together; refuses the past and the far future."""
    match = _SPLIT.match(" ".join(text.split()))
    if match is None:
        raise InvalidInput("when-help")
    today = now.astimezone(tz).date()
    day = parse_local_date(match.group("date"), today)
    at = parse_clock_time(match.group("time"))
    moment = combine_local(day, at, tz)
    validate_meeting_time(moment, now, tz)
    return moment
