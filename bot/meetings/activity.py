"""Whether meetings happen: check-in answers, pairs that went quiet, the time of the curator's digest."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import UTC, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from bot.i18n import tr
from bot.meetings.timeparse import combine_local, require_aware

QuietLevel = Literal["ok", "nudge_mentor", "alert_curator"]
CURATOR_ALERT_AFTER_NUDGE = timedelta(days=7)


class CheckinAnswer(StrEnum):
    HELD = "held"
    MOVED = "moved"
    NOT_HELD = "not_held"

    @property
    def label(self) -> str:
        """The Russian text of the answer button."""
        return tr(f"checkin-answer-{self.value}")


def checkins_disagree(answers: Mapping[Hashable, CheckinAnswer | None]) -> bool:
    """True when the participants gave different answers about the same meeting (the curator looks into it).

    Keys are whatever identifies a participant (a role, a person id); None values (not answered yet) are
    ignored, so one answer alone never disagrees.
    """
    return len({CheckinAnswer(a) for a in answers.values() if a is not None}) > 1


def agreed_answer(answers: Mapping[Hashable, CheckinAnswer | None]) -> CheckinAnswer | None:
    """The common answer when everyone who answered said the same; None if nobody answered or they disagree."""
    given = {CheckinAnswer(a) for a in answers.values() if a is not None}
    return given.pop() if len(given) == 1 else None


def quiet_level(last_held: datetime | None, pair_started: datetime, now: datetime, days: int) -> QuietLevel:
    """How worried to be about a pair with no held meeting.

    Counted from the later of the pair's start and its last held meeting, in exact 24-hour days:
    less than `days` -> "ok"; from `days` on -> "nudge_mentor"; from `days + 7` on -> "alert_curator".
    """
    if days < 1:
        raise ValueError(f"days must be >= 1, got {days}")
    require_aware(pair_started, now)
    since = pair_started
    if last_held is not None:
        require_aware(last_held)
        since = max(since, last_held)
    silent = now - since
    if silent >= timedelta(days=days) + CURATOR_ALERT_AFTER_NUDGE:
        return "alert_curator"
    if silent >= timedelta(days=days):
        return "nudge_mentor"
    return "ok"


def next_daily_run(now_utc: datetime, at_local: time, tz: ZoneInfo | tzinfo) -> datetime:
    """The first moment strictly after `now_utc` when the institution's clock reads `at_local` (UTC).

    Strictly after, so a job that just ran at its time gets tomorrow's run. On a DST day a time in the gap
    runs shifted forward by the gap and a time in the fold runs once (its first occurrence).
    """
    require_aware(now_utc)
    now_utc = now_utc.astimezone(UTC)
    today = now_utc.astimezone(tz).date()
    for k in range(3):
        candidate = combine_local(today + timedelta(days=k), at_local, tz)
        if candidate > now_utc:
            return candidate
    raise AssertionError("unreachable: a day later is always after now")  # pragma: no cover
